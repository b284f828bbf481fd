"""JupyterHub for one course on one machine (The Littlest JupyterHub's shape).

Started by ``nncourse hub`` (as root), which prepares the exchange, the course folder and
the configuration folders, and hands this file its settings in ``$NNCOURSE_HUB_SETTINGS``
(:class:`nncourse.hub.settings.HubSettings`). Every user logs in with their Unix password
(PAM) and gets a JupyterLab server running as their own Unix user, from the course's
environment:

- instructors (the hub group ``formgrade-<course>``): the course folder as their root, the
  formgrader and every nbgrader tool, nbgrader's exchange;
- students (``nbgrader-<course>``): full mode, the Assignments tab and the Validate button,
  nothing of the formgrader, never the grading environment;
- any other user of the hub: a server like a student's, where the course lists nothing.
"""

from pathlib import Path

from nncourse.hub import hooks
from nncourse.hub.settings import HubSettings

c = get_config()  # noqa: F821 (provided by traitlets when JupyterHub loads this file)

settings = HubSettings.from_environment()
state = Path(settings.state)

c.JupyterHub.bind_url = f"http://{settings.ip}:{settings.port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings.hub_port
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")

c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(settings.instructors) | set(settings.students)
c.Authenticator.admin_users = set(settings.instructors)
c.Authenticator.allow_existing_users = True  # users an admin adds later may log in
c.JupyterHub.load_groups = hooks.groups(settings)
c.JupyterHub.services, c.JupyterHub.load_roles = hooks.admin_service()

c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(Path(settings.python_bin) / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.server_token_scopes = hooks.SERVER_TOKEN_SCOPES
c.Spawner.pre_spawn_hook = hooks.pre_spawn(settings)
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120
