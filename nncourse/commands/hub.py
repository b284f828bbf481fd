"""``nncourse hub``: JupyterHub for the course on this machine (run as root).

Prepares the exchange, the instructors' course folder and each role's configuration
(:mod:`nncourse.hub.setup`), then replaces itself with JupyterHub started on
``deploy/jupyterhub/jupyterhub_config.py``. Exits 2 when the hub cannot start (not root,
unknown users, no ``configurable-http-proxy``).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from nncourse import layout


def register(subparsers) -> None:
    """Add the ``hub`` sub-command."""
    from nncourse.hub import settings as hub_settings

    p = subparsers.add_parser("hub", help="start JupyterHub for the course on this machine (as root)")
    p.add_argument("--instructor", action="append", default=[], metavar="USER",
                   help="a Unix user who teaches the course (repeatable; the first owns the course folder)")
    p.add_argument("--student", action="append", default=[], metavar="USER",
                   help="a Unix user who takes the course (repeatable, or comma-separated)")
    p.add_argument("--course-root", metavar="DIR",
                   help="the instructors' course folder (default: the first instructor's ~/<course id>; "
                        "made from this repository when missing)")
    p.add_argument("--exchange", default=str(hub_settings.DEFAULT_EXCHANGE_ROOT), metavar="DIR",
                   help=f"nbgrader's exchange (default {hub_settings.DEFAULT_EXCHANGE_ROOT})")
    p.add_argument("--state", default=str(hub_settings.DEFAULT_HUB_STATE), metavar="DIR",
                   help=f"the hub's own folder (default {hub_settings.DEFAULT_HUB_STATE})")
    p.add_argument("--ip", default="127.0.0.1", help="the address the hub listens on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="the hub's port (default 8000)")
    p.add_argument("--prepare-only", action="store_true", help="prepare the folders, do not start JupyterHub")
    p.set_defaults(func=run_hub)


def _names(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n.strip() for v in values for n in v.split(",") if n.strip()))


def run_hub(args) -> int:
    """Prepare the course's hub, then exec JupyterHub."""
    import pwd

    from nncourse.hub import setup
    from nncourse.hub.settings import SETTINGS_VARIABLE, HubSettings

    try:
        repository = layout.repo_root()
    except FileNotFoundError as exc:
        print(f"nncourse hub: {exc}", file=sys.stderr)
        return 2
    instructors, students = _names(args.instructor), _names(args.student)
    course_root = args.course_root
    if course_root is None and instructors:
        try:
            course_root = str(Path(pwd.getpwnam(instructors[0]).pw_dir) / layout.COURSE_ID)
        except KeyError:
            course_root = ""
    settings = HubSettings(instructors=instructors, students=students, course_root=str(course_root or ""),
                           exchange_root=str(Path(args.exchange).resolve()), state=str(Path(args.state).resolve()),
                           ip=args.ip, port=args.port)
    found = setup.problems(settings, os.geteuid(), shutil.which("configurable-http-proxy"))
    if found:
        for problem in found:
            print(f"nncourse hub: {problem}", file=sys.stderr)
        return 2
    setup.prepare_exchange(Path(settings.exchange_root))
    made = setup.prepare_course(settings, repository)
    setup.private_homes((*instructors, *students))
    setup.prepare_state(settings)
    print(f"nncourse hub: exchange {settings.exchange_root}, course folder {settings.course_root}"
          f"{' (copied from ' + str(repository) + ')' if made else ''}, {len(students)} students, "
          f"instructors {', '.join(instructors)}", flush=True)
    if args.prepare_only:
        return 0
    jupyterhub = str(Path(settings.python_bin) / "jupyterhub")
    env = dict(os.environ, **{SETTINGS_VARIABLE: settings.to_json()})
    env["PATH"] = settings.python_bin + os.pathsep + env.get("PATH", "")
    os.chdir(settings.state)
    os.execve(jupyterhub, [jupyterhub, "-f", str(repository / setup.HUB_CONFIG)], env)
    return 0  # not reached
