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

from nncourse import layout


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
    root = root or layout.repo_root()
    out_dir = Path(out_dir or root / layout.RELEASE_DIR).resolve()
    ids = layout.check_assignments(root, ids or layout.available_assignments(root))
    written = []
    with tempfile.TemporaryDirectory(prefix="nncourse-release-") as tmp:
        for aid in ids:
            cmd = [
                sys.executable, "-m", "nbgrader", "generate_assignment", aid, "--force", "--quiet",
                f"--CourseDirectory.root={root}",
                f"--CourseDirectory.release_directory={os.path.relpath(out_dir, root)}",
                f"--CourseDirectory.db_url={layout.sqlite_url(Path(tmp) / 'gradebook.db')}",
            ]
            target = out_dir / aid
            if target.exists():
                shutil.rmtree(target)
            proc = subprocess.run(cmd, cwd=root, env=layout.nbgrader_env(), capture_output=True, text=True)
            notebook = target / f"{aid}.ipynb"
            if proc.returncode != 0 or not notebook.is_file():
                raise RuntimeError(f"nbgrader generate_assignment {aid} failed:\n{proc.stdout}\n{proc.stderr}")
            written.append(notebook)
    return written
