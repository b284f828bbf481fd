"""What ``deploy/jupyterhub/jupyterhub_config.py`` gives JupyterHub: the course's groups,
an optional admin service, and each server's role (a pre-spawn hook)."""

from __future__ import annotations

import os
from typing import Callable

from nncourse.hub.settings import (ADMIN_SERVICE, ADMIN_TOKEN_VARIABLE, EXCHANGE_VARIABLE, STUDENT_MODE,
                                   HubSettings, instructor_group, student_group)

#: What a server's own API token may do: what the hub gives every server, and reading its
#: user's groups, which nbgrader's JupyterHubAuthPlugin asks the hub for.
SERVER_TOKEN_SCOPES = ["access:servers!server", "users:activity!user",
                       "read:users:name!user", "read:users:groups!user"]
#: What the admin service may do (create users, start and reach their servers).
ADMIN_SCOPES = ["admin:users", "admin:servers", "access:servers", "admin:groups", "tokens"]
#: Variables of the hub's environment that reach every server.
KEPT_VARIABLES = ("NNLIB_OFFLINE",)


def groups(settings: HubSettings) -> dict[str, dict]:
    """``JupyterHub.load_groups``: the course's students and instructors."""
    return {student_group(settings.course_id): {"users": list(settings.students)},
            instructor_group(settings.course_id): {"users": list(settings.instructors)}}


def admin_service(environ: dict | None = None) -> tuple[list[dict], list[dict]]:
    """``JupyterHub.services`` and ``JupyterHub.load_roles``: an admin service whose token is
    ``$NNCOURSE_HUB_ADMIN_TOKEN``, or none when that is unset."""
    token = (os.environ if environ is None else environ).get(ADMIN_TOKEN_VARIABLE)
    if not token:
        return [], []
    return ([{"name": ADMIN_SERVICE, "api_token": token}],
            [{"name": ADMIN_SERVICE, "scopes": ADMIN_SCOPES, "services": [ADMIN_SERVICE]}])


def role(settings: HubSettings, user_groups: set[str]) -> str:
    """``"instructor"`` for the course's instructors, ``"student"`` for everyone else (a
    hub user outside the course gets a student's server, where the course lists nothing)."""
    return "instructor" if instructor_group(settings.course_id) in user_groups else "student"


def server_environment(settings: HubSettings, server_role: str, hub_environ: dict) -> dict[str, str]:
    """The variables a server of ``server_role`` gets beside JupyterHub's own."""
    env = {name: hub_environ[name] for name in KEPT_VARIABLES if name in hub_environ}
    env["JUPYTER_CONFIG_PATH"] = str(settings.config_dir(server_role))
    if server_role == "instructor":
        env[EXCHANGE_VARIABLE] = settings.exchange_root
    else:
        env["NNLIB_MODE"] = STUDENT_MODE
    return env


def pre_spawn(settings: HubSettings) -> Callable:
    """``Spawner.pre_spawn_hook``: a server's configuration, environment and root by role."""

    def hook(spawner) -> None:
        server_role = role(settings, {group.name for group in spawner.user.groups})
        spawner.environment.update(server_environment(settings, server_role, dict(os.environ)))
        if server_role == "instructor":
            spawner.notebook_dir = settings.course_root
        spawner.log.info("nncourse: %s gets a server of the role %s", spawner.user.name, server_role)

    return hook
