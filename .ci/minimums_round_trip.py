"""Solution-only nbgrader round trip, run by .ci/minimums_stack.sh with the minimums venv's
Python from the repository root: plain nbgrader (this venv's console script, the repository's nbgrader_config.py) on a
temporary state folder (``NNCOURSE_STATE``). For each assignment given: generate the
student version (into the temporary folder, never ``course/``), submit the solution
unchanged, autograde it, and read the gradebook: full marks on every autograded test, every
written answer there and left to a person (nbgrader scores it 0 until one grades it), and
no cell of the graded notebook raising. Exit 1 on any failure.

Usage: python .ci/minimums_round_trip.py ID [ID ...]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from nncourse import layout
from nncourse.grading.task.notebooks import written_answer_ids


def main(ids: list[str]) -> int:
    root = layout.repo_root()
    layout.check_assignments(root, ids)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="minimums-round-trip-") as tmp:
        state, release = Path(tmp) / "state", Path(tmp) / "release"
        state.mkdir()
        env = layout.nbgrader_env({layout.STATE_VARIABLE: str(state)})

        def nbgrader(*args: str) -> None:
            proc = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), *args], cwd=root, env=env,
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                raise RuntimeError(f"nbgrader {' '.join(args)} exited {proc.returncode}:\n"
                                   + (proc.stdout + proc.stderr)[-3000:])

        for aid in ids:
            start = time.monotonic()
            try:
                nbgrader("generate_assignment", aid, "--force", f"--CourseDirectory.release_directory={release}")
                submitted = state / "submitted" / "solution" / aid
                submitted.mkdir(parents=True)
                shutil.copy(layout.solution_notebook(root, aid), submitted / f"{aid}.ipynb")
                nbgrader("autograde", aid, "--force")
                with Gradebook(layout.sqlite_url(state / "gradebook.db")) as gb:
                    nb = gb.find_submission_notebook(aid, aid, "solution")
                    grades = {g.name: (g.score, g.max_score) for g in nb.grades}
                written = set(written_answer_ids(nbformat.read(layout.solution_notebook(root, aid), as_version=4)))
                missing = sorted(written - set(grades))
                grades = {gid: s for gid, s in grades.items() if gid not in written}
                graded = nbformat.read(state / "autograded" / "solution" / aid / f"{aid}.ipynb", as_version=4)
                errors = [f"cell {i}: {out.ename}: {out.evalue}"[:300] for i, cell in enumerate(graded.cells)
                          for out in cell.get("outputs", []) if out.output_type == "error"]
                lost = {gid: s for gid, s in grades.items() if s[0] != s[1]}
                score, total = sum(s for s, _ in grades.values()), sum(m for _, m in grades.values())
                ok = bool(grades) and not lost and not errors and not missing
                print(f"{'ok  ' if ok else 'FAIL'} round trip {aid:22s} {time.monotonic() - start:6.1f} s  "
                      f"autograded {score:g}/{total:g}, {len(written)} written answer(s) for a person"
                      + (f"  lost: {lost}" if lost else "") + (f"  written answers missing: {missing}" if missing else "")
                      + (f"  errors: {errors}" if errors else ""), flush=True)
            except Exception as exc:  # one assignment's failure is reported, the others still run
                ok = False
                print(f"FAIL round trip {aid}: {exc}", flush=True)
            failures += not ok
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
