"""The configuration each role's servers read, as files (pure functions of the settings).

A student's server gets :func:`student_files` through ``JUPYTER_CONFIG_PATH``: nbgrader's
exchange and the hub's groups for nbgrader (so a hub user outside the course sees none of
its assignments), the Assignments tab and the Validate button, and neither the formgrader
nor the instructors' lab plugins. An instructor's server gets :func:`instructor_files`:
the same exchange, every nbgrader tool, the course folder as its root, and that folder's
own ``nbgrader_config.py`` (the gradebook and the course's folders).

The same text goes into ``deploy/jupyterhub`` (written by ``nncourse hub``) and into the
Zero to JupyterHub values (``deploy/kubernetes``).
"""

from __future__ import annotations

import json

#: nbgrader's server extensions an instructor has and a student does not.
INSTRUCTOR_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
)
#: nbgrader's lab plugins an instructor has and a student does not (the Assignments tab,
#: ``@jupyter/nbgrader:assignment-list``, and the menu that opens it stay).
INSTRUCTOR_LAB_PLUGINS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
)
#: nbgrader's plugin that reads a user's courses from the hub's groups.
AUTH_PLUGIN = "nbgrader.auth.JupyterHubAuthPlugin"


def nbgrader_config(exchange_root: str) -> str:
    """The ``nbgrader_config.py`` of every server of the hub: the exchange, the hub's groups."""
    return (
        '"""nbgrader on the course\'s hub (written by nncourse; do not edit)."""\n'
        "c = get_config()  # noqa: F821\n"
        f"c.Exchange.root = {exchange_root!r}\n"
        f"c.Authenticator.plugin_class = {AUTH_PLUGIN!r}\n"
    )


def _json(data: dict) -> str:
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def student_files(exchange_root: str) -> dict[str, str]:
    """The files of a student server's configuration folder, by path inside it."""
    return {
        "nbgrader_config.py": nbgrader_config(exchange_root),
        "jupyter_server_config.json": _json(
            {"ServerApp": {"jpserver_extensions": {name: False for name in INSTRUCTOR_SERVER_EXTENSIONS}}}),
        "labconfig/page_config.json": _json(
            {"disabledExtensions": {name: True for name in INSTRUCTOR_LAB_PLUGINS}}),
    }


def instructor_files(exchange_root: str, course_root: str) -> dict[str, str]:
    """The files of an instructor server's configuration folder, by path inside it.

    Its ``nbgrader_config.py`` loads the course folder's own (a server starts in its user's
    home, where the formgrader would find no course): the formgrader, and nbgrader run in a
    terminal anywhere, see the course as ``nbgrader`` run in the course folder does.
    """
    course_config = f"{course_root.rstrip('/')}/nbgrader_config.py"
    return {"nbgrader_config.py": nbgrader_config(exchange_root) + (
        f"c.CourseDirectory.root = {course_root!r}\n"
        f"load_subconfig({course_config!r})  # noqa: F821 (traitlets)\n")}
