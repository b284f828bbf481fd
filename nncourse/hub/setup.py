"""What ``nncourse hub`` prepares, as root, before JupyterHub starts.

Each step sets a state (running it again changes nothing but what it must):

- the exchange: a folder every user may write to, with the sticky bit (nbgrader's
  documented permissions: a student can add to it and cannot remove what others put there);
- the instructors' course folder: a copy of the repository's course (``nbgrader_config.py``,
  ``solutions/``, ``course/``) owned by the first instructor, readable by no one else (it
  holds the solutions and the gradebook); an existing one is kept as it is;
- the homes of the course's users: closed to other users (``o-rwx``, as The Littlest
  JupyterHub makes them), since a student's fetched and feedback files lie there;
- the hub's folder, with the configuration folder of each role, readable by every user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
from pathlib import Path

from nncourse import layout
from nncourse.hub import configs
from nncourse.hub.settings import HubSettings

#: The exchange: rwx for everyone, and the sticky bit.
EXCHANGE_MODE = 0o1777
#: The instructors' course folder: its owner only.
COURSE_MODE = 0o700
#: What the course folder is copied from the repository.
COURSE_PARTS = ("nbgrader_config.py", layout.SOLUTIONS_DIR, layout.RELEASE_DIR)
#: The path of JupyterHub's configuration in the repository.
HUB_CONFIG = Path("deploy") / "jupyterhub" / "jupyterhub_config.py"


def missing_users(names) -> list[str]:
    """The names among ``names`` that are no Unix user of this machine."""
    missing = []
    for name in names:
        try:
            pwd.getpwnam(name)
        except KeyError:
            missing.append(name)
    return missing


def closed_folder(path: Path) -> Path | None:
    """The first folder on the way to ``path`` (links resolved) that users other than its
    owner cannot pass through, or None when every one lets them."""
    for folder in reversed(Path(os.path.realpath(path)).parents):
        if not folder.stat().st_mode & stat.S_IXOTH:
            return folder
    return None


def problems(settings: HubSettings, euid: int, proxy: str | None) -> list[str]:
    """What stops the hub from starting (empty when nothing does).

    Parameters
    ----------
    euid : int
        The effective user id (the hub spawns servers as other users: root only).
    proxy : str or None
        The path of ``configurable-http-proxy``, None when it is not on PATH.
    """
    found = []
    if euid != 0:
        found.append("nncourse hub runs as root: it starts each user's server as that user")
    if not settings.instructors:
        found.append("the course needs at least one instructor (--instructor)")
    unknown = missing_users((*settings.instructors, *settings.students))
    if unknown:
        found.append(f"no Unix user of that name on this machine: {', '.join(unknown)} "
                     "(create them first, e.g. `useradd -m NAME` and `passwd NAME`)")
    python = Path(settings.python_bin) / "python"
    closed = closed_folder(python)
    if closed is not None:
        found.append(f"the course's Python ({os.path.realpath(python)}) is in {closed}, which other users "
                     "cannot enter: every user's server runs it (install the course's environment where "
                     "everyone can read it, e.g. under /opt)")
    if proxy is None:
        found.append("configurable-http-proxy is not on PATH: `npm install -g configurable-http-proxy`")
    return found


def write_files(folder: Path, files: dict[str, str]) -> None:
    """Write ``files`` (path inside ``folder`` -> text) readable by everyone."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for part in (folder, *path.parents):
            if part == folder.parent:
                break
            part.chmod(0o755)
        path.write_text(text, encoding="utf-8")
        path.chmod(0o644)


def prepare_exchange(root: Path) -> None:
    """Create nbgrader's exchange with the permissions nbgrader documents."""
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(EXCHANGE_MODE)


def prepare_course(settings: HubSettings, repository: Path) -> bool:
    """Copy the course into ``settings.course_root`` for the instructors, unless it is there.

    Returns
    -------
    bool
        True when the folder was made now.
    """
    target = Path(settings.course_root)
    if target.exists():
        return False
    target.mkdir(parents=True)
    for part in COURSE_PARTS:
        source = repository / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        else:
            shutil.copy2(source, target / part)
    owner = pwd.getpwnam(settings.instructors[0])
    for folder, dirs, files in os.walk(target):
        for name in (folder, *(os.path.join(folder, n) for n in (*dirs, *files))):
            os.chown(name, owner.pw_uid, owner.pw_gid)
    target.chmod(COURSE_MODE)
    return True


def private_homes(names) -> list[str]:
    """Take every right of other users away from the homes of ``names``; return those changed."""
    changed = []
    for name in names:
        home = Path(pwd.getpwnam(name).pw_dir)
        mode = stat.S_IMODE(home.stat().st_mode)
        if home.is_dir() and mode & 0o007:
            home.chmod(mode & ~0o007)
            changed.append(name)
    return changed


def prepare_state(settings: HubSettings) -> None:
    """The hub's folder (its database and secret, root's only) and each role's configuration."""
    state = Path(settings.state)
    state.mkdir(parents=True, exist_ok=True)
    state.chmod(0o711)  # users reach config/ and nothing else
    write_files(settings.config_dir("student"), configs.student_files(settings.exchange_root))
    write_files(settings.config_dir("instructor"), configs.instructor_files(settings.exchange_root, settings.course_root))
