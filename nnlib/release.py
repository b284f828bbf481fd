"""Generate the student notebooks (``course/``) from the solutions with nbgrader.

``nbgrader generate_assignment`` strips the solutions and the hidden tests, locks the
read-only cells and records checksums. It runs here against a throw-away gradebook, so
releasing never touches an instructor's grades.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from nnlib._meta import ASSIGNMENTS


def repo_root(start: str | os.PathLike | None = None) -> Path:
    """The course root: the nearest folder upwards holding ``nbgrader_config.py``.

    Raises
    ------
    FileNotFoundError
        When run outside a checkout of the course.
    """
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").is_file() and (folder / "solutions").is_dir():
            return folder
    raise FileNotFoundError(
        "no nbgrader_config.py with a solutions/ folder here or above: run this from the course repository"
    )


def available_assignments(root: Path) -> list[str]:
    """Assignment ids that have a solution notebook, in teaching order (then others sorted)."""
    found = {p.parent.name for p in (root / "solutions").glob("*/*.ipynb") if p.stem == p.parent.name}
    ordered = [a for a in ASSIGNMENTS if a in found]
    return ordered + sorted(found - set(ordered))


def nbgrader_env(extra: dict | None = None) -> dict:
    """Environment for an nbgrader subprocess: this Python's ``bin/`` first on PATH
    (nbgrader calls ``alembic`` from there)."""
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env.update(extra or {})
    return env


def generate(ids: list[str] | None = None, root: Path | None = None, out_dir: Path | None = None) -> list[Path]:
    """Regenerate the student version of each assignment.

    Parameters
    ----------
    ids : list of str, optional
        Assignment ids; default every one found in ``solutions/``.
    root : Path, optional
        The course root (default: found from the working directory).
    out_dir : Path, optional
        Where to write ``<id>/<id>.ipynb``; default ``root / "course"``.

    Returns
    -------
    list of Path
        The notebooks written.
    """
    root = root or repo_root()
    out_dir = Path(out_dir or root / "course").resolve()
    ids = ids or available_assignments(root)
    unknown = [i for i in ids if not (root / "solutions" / i / f"{i}.ipynb").is_file()]
    if unknown:
        raise ValueError(f"no solution notebook for {', '.join(unknown)} in {root / 'solutions'}")
    written = []
    with tempfile.TemporaryDirectory(prefix="nncourse-release-") as tmp:
        for aid in ids:
            cmd = [
                sys.executable, "-m", "nbgrader", "generate_assignment", aid, "--force", "--quiet",
                f"--CourseDirectory.root={root}",
                f"--CourseDirectory.release_directory={os.path.relpath(out_dir, root)}",
                f"--CourseDirectory.db_url=sqlite:///{tmp}/gradebook.db",
            ]
            target = out_dir / aid
            if target.exists():
                shutil.rmtree(target)
            proc = subprocess.run(cmd, cwd=root, env=nbgrader_env(), capture_output=True, text=True)
            notebook = target / f"{aid}.ipynb"
            if proc.returncode != 0 or not notebook.is_file():
                raise RuntimeError(f"nbgrader generate_assignment {aid} failed:\n{proc.stdout}\n{proc.stderr}")
            written.append(notebook)
    return written
