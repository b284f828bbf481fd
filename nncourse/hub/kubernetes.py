"""The course on Kubernetes: values for the Zero to JupyterHub Helm chart (4.x, JupyterHub 5).

``deploy/kubernetes/values.yaml`` is this module's output, never edited by hand
(``tests/launch/test_kubernetes.py`` fails when it differs)::

    python -m nncourse.hub.kubernetes > deploy/kubernetes/values.yaml
    python -m nncourse.hub.kubernetes --registry ghcr.io/you > my-values.yaml  # what you deploy

Everything course-specific comes from :mod:`nncourse.hub.settings`, :mod:`~nncourse.hub.configs`
and :mod:`~nncourse.hub.hooks`, so a server on the cluster reads the same configuration text
as one of ``nncourse hub`` on a single machine:

- **Image**: what ``jupyter-repo2docker`` builds from this repository's ``binder/``
  (:func:`build_command`), with the user ``jovyan`` (uid 1000: the chart's ``singleuser.uid``,
  and the name for which nbgrader takes a student's id from ``$JUPYTERHUB_USER``), the
  repository at :data:`REPO_DIR` (the user's home is a volume that hides whatever the image
  has there), and two lines appended: the data sets that ``binder/postBuild`` downloaded into
  ``~/.keras`` moved to :data:`KERAS_HOME`, and the instructors' tools (``[instructor]``).
- **Roles**: the hub's groups ``nbgrader-<course>`` and ``formgrade-<course>``
  (``JupyterHub.load_groups``; nbgrader's ``JupyterHubAuthPlugin`` reads them with the
  server's own token, whose scopes :data:`~nncourse.hub.hooks.SERVER_TOKEN_SCOPES` allow it).
  Every server starts with a student's environment (``singleuser.extraEnv``): a server the
  hook below never reached is a student's. A pre-spawn hook (``hub.extraConfig``,
  :func:`nncourse_pre_spawn_hook`, copied into the values as source) gives the members of
  the instructors' group their own.
- **Configuration folders**: each role's files (:func:`~nncourse.hub.configs.student_files`,
  :func:`~nncourse.hub.configs.instructor_files`) mounted read-only from the chart's
  ``singleuser.extraFiles`` at the paths ``nncourse hub`` uses, and named by
  ``JUPYTER_CONFIG_PATH``.
- **Exchange**: a ReadWriteMany volume claim (:func:`exchange_claim`) mounted at
  :data:`~nncourse.hub.settings.DEFAULT_EXCHANGE_ROOT` in every server; an init container
  makes its root ``1777`` (world-writable, sticky bit) as nbgrader asks. Where the cluster
  has no ReadWriteMany storage, ``--exchange ngshare`` writes values for ngshare instead.

``docs/kubernetes.md`` is the step-by-step guide, with what could not be tested here.
"""

from __future__ import annotations

import argparse
import ast
import copy
import inspect
import json
import re
import sys
import textwrap
from pathlib import Path

from nncourse import _meta, layout
from nncourse.hub import configs, hooks, settings

#: The Zero to JupyterHub chart the values are written for (its repository and version;
#: ``tests/launch/test_kubernetes.py`` lists the keys checked against its schema).
CHART_REPO = "https://hub.jupyter.org/helm-chart/"
CHART_VERSION = "4.4.0"

#: The values file in the repository (``nncourse set-ref`` writes it again: its image tag is the ref).
VALUES_FILE = Path("deploy") / "kubernetes" / "values.yaml"

#: The one placeholder: the registry (and organisation) that the image is pushed to.
REGISTRY_PLACEHOLDER = "YOUR-REGISTRY"
#: The image's name in that registry, and its tag: the git ref it is built from.
IMAGE_NAME = layout.COURSE_ID
IMAGE_TAG = _meta.RELEASE_REF

#: The user of the image and of every server: repo2docker's ``--user-name``/``--user-id`` and
#: the chart's ``singleuser.uid``. nbgrader's exchange reads a student's id from
#: ``$JUPYTERHUB_USER`` only when the Unix user is called ``jovyan`` (``nbgrader.utils.get_username``).
USER_NAME = "jovyan"
USER_ID = 1000
#: Each user's persistent home (the chart's ``singleuser.storage.homeMountPath``): a volume
#: that hides what the image has there, so nothing of the course may live in it.
HOME = f"/home/{USER_NAME}"
#: Where repo2docker puts the repository (``--target-repo-dir``): out of the home volume's way.
REPO_DIR = "/srv/repo"
#: Keras' cache in the image (``KERAS_HOME``): the data sets ``binder/postBuild`` fetched.
KERAS_HOME = f"{REPO_DIR}/.keras"
#: Dockerfile lines repo2docker appends after ``binder/postBuild`` (``--appendix``).
APPENDIX = ('RUN mv "${HOME}/.keras" "${REPO_DIR}/.keras" '
            '&& pip install --no-cache-dir -e "${REPO_DIR}[instructor]"')

#: The exchange's volume claim (and the volume's name in each pod), and its size.
EXCHANGE_CLAIM = "nbgrader-exchange"
EXCHANGE_SIZE = "10Gi"
#: The init container that gives the exchange's root nbgrader's permissions.
EXCHANGE_INIT = "nbgrader-exchange-permissions"

#: ngshare (https://github.com/LibreTexts/ngshare), where there is no shared volume: its
#: last releases, the Service its Helm chart makes (release ``ngshare`` in the hub's
#: namespace) and the packages every image needs for it. ngshare_exchange 0.5.3 declares
#: ``jupyter-core<4.11.2``, which no JupyterLab 4 allows: pip installs it without dependencies.
NGSHARE_SERVICE = "ngshare"
NGSHARE_PORT = 8080
NGSHARE_URL = f"http://{NGSHARE_SERVICE}:{NGSHARE_PORT}/services/{NGSHARE_SERVICE}"
NGSHARE_PACKAGES = ("ngshare_exchange==0.5.3", "rapidfuzz==3.14.6")
NGSHARE_APPENDIX = f"pip install --no-cache-dir --no-deps {' '.join(NGSHARE_PACKAGES)}"

EXCHANGES = ("volume", "ngshare")

#: The hook's name in ``hub.extraConfig`` (the chart runs those snippets in name order).
HOOK_KEY = "nncourse-roles.py"


def hub_settings(instructors=(), students=()) -> settings.HubSettings:
    """The course's hub on the cluster, as :class:`~nncourse.hub.settings.HubSettings`.

    The course folder is ``~/<course id>`` in an instructor's home, as on one machine; the
    exchange and the configuration folders are at the single machine's defaults.
    """
    return settings.HubSettings(instructors=tuple(instructors), students=tuple(students),
                                course_root=f"{HOME}/{layout.COURSE_ID}", python_bin="")


def image(registry: str = REGISTRY_PLACEHOLDER) -> tuple[str, str]:
    """``(name, tag)`` of the course's image in ``registry`` (``ghcr.io/you``, ...)."""
    return f"{registry.rstrip('/')}/{IMAGE_NAME}", re.sub(r"[^A-Za-z0-9_.-]", "-", IMAGE_TAG)


def build_command(registry: str = REGISTRY_PLACEHOLDER, exchange: str = "volume") -> str:
    """The ``jupyter-repo2docker`` command that builds and pushes the image the values name.

    It builds the public repository (:data:`nncourse._meta.REPO_URL`) at the release ref:
    whatever the repository holds ends up in the image, readable by every student, so never
    a private copy with your own ``solutions/``.
    """
    name, tag = image(registry)
    appendix = APPENDIX + (f" && {NGSHARE_APPENDIX}" if exchange == "ngshare" else "")
    return (f"jupyter-repo2docker --ref {IMAGE_TAG} --user-name {USER_NAME} --user-id {USER_ID} "
            f"--target-repo-dir {REPO_DIR} --appendix '{appendix}' "
            f"--image-name {name}:{tag} --push --no-run {_meta.REPO_URL}")


def role_environments() -> dict[str, dict[str, str]]:
    """The variables each role's servers get (:func:`nncourse.hub.hooks.server_environment`)."""
    hub = hub_settings()
    return {role: hooks.server_environment(hub, role, {}) for role in ("student", "instructor")}


def config_files(exchange: str = "volume") -> dict[str, dict[str, str]]:
    """``role -> {path in its configuration folder: text}``; with ngshare, each
    ``nbgrader_config.py`` ends with the lines that make ngshare_exchange the exchange."""
    hub = hub_settings()
    files = {"student": configs.student_files(hub.exchange_root),
             "instructor": configs.instructor_files(hub.exchange_root, hub.course_root)}
    if exchange == "ngshare":
        for role_files in files.values():
            role_files["nbgrader_config.py"] += ngshare_nbgrader_lines()
    return files


def ngshare_nbgrader_lines() -> str:
    """What ngshare adds to each ``nbgrader_config.py``: its exchange classes
    (``c.ExchangeFactory``, set by ``ngshare_exchange.configureExchange``) and its address."""
    return ("from ngshare_exchange import configureExchange  # ngshare instead of a shared folder\n"
            f"configureExchange(c, {NGSHARE_URL!r})  # noqa: F821\n")


def _extra_files(exchange: str) -> dict[str, dict]:
    """``singleuser.extraFiles``: every role's folder in every server (nothing secret: what
    a server may do comes from the hub's groups), named ``nncourse-<role>-<path>``."""
    hub = hub_settings()
    entries = {}
    for role, files in config_files(exchange).items():
        for path, text in files.items():
            key = f"nncourse-{role}-{path.replace('/', '-')}"
            entries[key] = {"mountPath": f"{hub.config_dir(role)}/{path}", "stringData": text}
    return entries


def exchange_init_container(image_ref: str) -> dict:
    """An init container (as root, from the course's image) that makes the exchange's root
    ``1777``. Where the volume refuses (NFS with root squashed), it says so and lets the
    server start: the volume's owner must then set those permissions once."""
    root = settings.DEFAULT_EXCHANGE_ROOT
    script = (f"chmod 1777 {root} || echo \"nncourse: cannot chmod 1777 {root}; nbgrader needs it "
              f"world-writable with the sticky bit: $(ls -ld {root})\" >&2")
    return {"name": EXCHANGE_INIT, "image": image_ref, "command": ["sh", "-c", script],
            "securityContext": {"runAsUser": 0, "runAsGroup": 0},
            "volumeMounts": [{"name": EXCHANGE_CLAIM, "mountPath": str(root)}]}


def nncourse_pre_spawn_hook(spawner, roles):
    """``Spawner.pre_spawn_hook``: the environment of the role of the server's user.

    ``roles`` holds the instructors' group, each role's variables and the variables only a
    student has; the hub runs this function's source (``hub.extraConfig``) without nncourse.
    """
    groups = {group.name for group in spawner.user.groups}
    role = "instructor" if roles["instructor_group"] in groups else "student"
    environment = {name: value for name, value in spawner.environment.items()
                   if role == "student" or name not in roles["student_only"]}
    environment.update(roles["environment"][role])
    spawner.environment = environment
    spawner.log.info("nncourse: %s gets a server of the role %s", spawner.user.name, role)


def hook_roles() -> dict:
    """The data :func:`nncourse_pre_spawn_hook` reads."""
    env = role_environments()
    return {"instructor_group": settings.instructor_group(layout.COURSE_ID),
            "environment": env,
            "student_only": sorted(set(env["student"]) - set(env["instructor"]))}


def _literal(data: dict) -> str:
    """``data`` (strings, lists and dicts) as an indented Python literal."""
    text = json.dumps(data, indent=4, sort_keys=True)
    if ast.literal_eval(text) != data:  # JSON's true/false/null are no Python literals
        raise ValueError(f"not a Python literal as JSON: {data!r}")
    return text


def hook_source() -> str:
    """``hub.extraConfig``'s snippet: :func:`hook_roles`, :func:`nncourse_pre_spawn_hook`
    and the line that makes it the hub's pre-spawn hook."""
    return (
        "# nncourse: each server's environment by its user's role, from the hub's groups\n"
        "# (generated by `python -m nncourse.hub.kubernetes`; do not edit)\n"
        "import functools\n\n"
        f"NNCOURSE_ROLES = {_literal(hook_roles())}\n\n\n"
        f"{textwrap.dedent(inspect.getsource(nncourse_pre_spawn_hook))}\n\n"
        "c.Spawner.pre_spawn_hook = functools.partial(nncourse_pre_spawn_hook, roles=NNCOURSE_ROLES)\n"
    )


def build_values(registry: str = REGISTRY_PLACEHOLDER, exchange: str = "volume") -> dict:
    """The chart's values for the course (a dict; :func:`render_values` writes it as YAML).

    Parameters
    ----------
    registry : str
        Where the image is pushed (``ghcr.io/you``); the default is a placeholder.
    exchange : {"volume", "ngshare"}
        nbgrader's exchange: a ReadWriteMany volume claim (:func:`exchange_claim`), or ngshare.
    """
    if exchange not in EXCHANGES:
        raise ValueError(f"exchange must be one of {EXCHANGES}, not {exchange!r}")
    name, tag = image(registry)
    hub = hub_settings()
    student_env = role_environments()["student"]
    singleuser = {
        "image": {"name": name, "tag": tag},
        "uid": USER_ID,
        "defaultUrl": "/lab",
        "extraEnv": {**student_env, "KERAS_HOME": KERAS_HOME},
        "extraFiles": _extra_files(exchange),
    }
    values = {
        "hub": {
            "config": {
                "JupyterHub": {"load_groups": hooks.groups(hub)},
                "Spawner": {"server_token_scopes": list(hooks.SERVER_TOKEN_SCOPES)},
                # repo2docker's image starts in REPO_DIR, whose nbgrader_config.py is the
                # public course's: every server starts in its user's home instead.
                "KubeSpawner": {"working_dir": HOME},
            },
            "extraConfig": {HOOK_KEY: hook_source()},
        },
        "singleuser": singleuser,
    }
    if exchange == "volume":
        singleuser["storage"] = {
            "extraVolumes": [{"name": EXCHANGE_CLAIM, "persistentVolumeClaim": {"claimName": EXCHANGE_CLAIM}}],
            "extraVolumeMounts": [{"name": EXCHANGE_CLAIM, "mountPath": str(settings.DEFAULT_EXCHANGE_ROOT)}],
        }
        singleuser["initContainers"] = [exchange_init_container(f"{name}:{tag}")]
    else:
        values["hub"]["services"] = {NGSHARE_SERVICE: {
            "url": f"http://{NGSHARE_SERVICE}:{NGSHARE_PORT}", "oauth_no_confirm": True}}
        singleuser["networkPolicy"] = {"egress": [{
            "to": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": NGSHARE_SERVICE}}}],
            "ports": [{"port": NGSHARE_PORT, "protocol": "TCP"}]}]}
    return values


def exchange_claim(storage_class: str | None = None, size: str = EXCHANGE_SIZE) -> dict:
    """The ReadWriteMany PersistentVolumeClaim of the exchange (``kubectl apply`` it in the
    hub's namespace); ``storage_class`` must be one that offers ReadWriteMany."""
    spec = {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": size}}}
    if storage_class:
        spec["storageClassName"] = storage_class
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": EXCHANGE_CLAIM, "labels": {"app.kubernetes.io/part-of": layout.COURSE_ID}},
            "spec": spec}


def roster_values(instructors, students) -> dict:
    """Values that name the course's people (a second ``--values`` file, kept out of git):
    the hub's groups, who may log in, and the instructors as the hub's admins (as
    ``nncourse hub`` makes them)."""
    hub = hub_settings(instructors, students)
    return {"hub": {"config": {
        "Authenticator": {"allowed_users": sorted({*hub.instructors, *hub.students}),
                          "admin_users": sorted(hub.instructors)},
        "JupyterHub": {"load_groups": hooks.groups(hub)}}}}


def to_yaml(data: dict, header: str = "") -> str:
    """``data`` as YAML after ``header`` (comment lines): keys in the order given, strings
    of several lines as literal blocks (PyYAML, which nbgrader and Dask install)."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper, value: str):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)

    Dumper.add_representer(str, text)
    return header + yaml.dump(copy.deepcopy(data), Dumper=Dumper, sort_keys=False,
                              default_flow_style=False, width=10_000, allow_unicode=True)


def render_values(registry: str = REGISTRY_PLACEHOLDER, exchange: str = "volume") -> str:
    """:func:`build_values` as the text of ``deploy/kubernetes/values.yaml``."""
    name, tag = image(registry)
    placeholder = (f"# {REGISTRY_PLACEHOLDER} is a placeholder: write your own with --registry.\n"
                   if registry == REGISTRY_PLACEHOLDER else "")
    header = (
        f"# Zero to JupyterHub values (chart {CHART_VERSION}, JupyterHub 5) for the course "
        f"{layout.COURSE_ID}: exchange {exchange}.\n"
        f"# Generated by `python -m nncourse.hub.kubernetes{' --exchange ngshare' if exchange == 'ngshare' else ''}`"
        "; do not edit (docs/kubernetes.md).\n"
        f"# The image {name}:{tag} is built and pushed with:\n"
        f"#   {build_command(registry, exchange)}\n"
        f"{placeholder}"
    )
    return to_yaml(build_values(registry, exchange), header)


def _names(values: list[str]) -> list[str]:
    """User names from ``--instructor``/``--student``: repeated, comma-separated, or
    ``@file`` (one a line; ``#`` starts a comment)."""
    names = []
    for value in values:
        if value.startswith("@"):
            lines = Path(value[1:]).read_text(encoding="utf-8").splitlines()
            names += [line.split("#")[0].strip() for line in lines]
        else:
            names += [name.strip() for name in value.split(",")]
    return list(dict.fromkeys(name for name in names if name))


def main(argv=None) -> int:
    """``python -m nncourse.hub.kubernetes [values|exchange-claim|roster|build-command]``."""
    parser = argparse.ArgumentParser(
        prog="python -m nncourse.hub.kubernetes",
        description="Zero to JupyterHub values for the course (docs/kubernetes.md).")
    parser.add_argument("what", nargs="?", default="values",
                        choices=("values", "exchange-claim", "roster", "build-command"),
                        help="values: the chart's values (default); exchange-claim: the exchange's "
                             "ReadWriteMany volume claim; roster: the hub's groups and logins; "
                             "build-command: the jupyter-repo2docker command of the image")
    parser.add_argument("--registry", default=REGISTRY_PLACEHOLDER,
                        help=f"where the image is pushed, e.g. ghcr.io/you (default: the placeholder "
                             f"{REGISTRY_PLACEHOLDER})")
    parser.add_argument("--exchange", choices=EXCHANGES, default="volume",
                        help="nbgrader's exchange: a ReadWriteMany volume (default) or ngshare")
    parser.add_argument("--storage-class", help="exchange-claim: a storage class with ReadWriteMany")
    parser.add_argument("--size", default=EXCHANGE_SIZE, help=f"exchange-claim: its size (default {EXCHANGE_SIZE})")
    parser.add_argument("--instructor", action="append", default=[], metavar="USER",
                        help="roster: an instructor's hub user name (repeatable, comma-separated, or @file)")
    parser.add_argument("--student", action="append", default=[], metavar="USER",
                        help="roster: a student's hub user name (repeatable, comma-separated, or @file)")
    args = parser.parse_args(argv)
    if args.what == "values":
        sys.stdout.write(render_values(args.registry, args.exchange))
    elif args.what == "exchange-claim":
        sys.stdout.write(to_yaml(exchange_claim(args.storage_class, args.size)))
    elif args.what == "roster":
        instructors, students = _names(args.instructor), _names(args.student)
        if not instructors:
            parser.error("roster needs at least one --instructor")
        sys.stdout.write(to_yaml(roster_values(instructors, students),
                                 "# The course's people: helm upgrade ... --values values.yaml --values this file\n"))
    else:
        print(build_command(args.registry, args.exchange))
    return 0


if __name__ == "__main__":
    sys.exit(main())
