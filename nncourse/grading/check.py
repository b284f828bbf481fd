"""``nncourse check ID NOTEBOOK``: the visible tests of a notebook, before handing it in.

The student's notebook is read as the grader reads it (an unreadable file is reported the
same way), its test cells are restored from the release in ``course/<ID>/`` (so an edited
or deleted test cannot hide a failure), and it runs top to bottom in fast mode in a
temporary copy. Each test cell passes when it raises nothing and writes nothing to stderr
(as in nbgrader). Hidden tests are not in the student version: passing here is necessary,
not sufficient, for full marks.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from nncourse import layout
from nncourse.grading.notebooks import normalise, read_notebook, strip_ansi
from nncourse.kernels import execute_notebook


@dataclass
class TestResult:
    grade_id: str
    points: float
    passed: bool
    reason: str = ""


def _failure(cell) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{out.get('ename')}: {out.get('evalue')}".strip(": ")
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            return "wrote to stderr (a graded test must not): " + strip_ansi(out.get("text", "")).strip()[:200]
    return None


def run_visible_tests(release_path: Path, notebook: Path,
                      timeout: int = layout.CELL_TIMEOUT_S) -> list[TestResult]:
    """Execute ``notebook`` with the release's visible tests; one result per test cell.

    Raises
    ------
    nncourse.grading.notebooks.InvalidNotebook
        When the file is not a readable notebook.
    """
    import nbformat

    release = nbformat.read(release_path, as_version=4)
    nb, _changes = normalise(read_notebook(notebook), release)
    with tempfile.TemporaryDirectory(prefix="nncourse-check-") as tmp:
        execute_notebook(nb, layout.GRADING_KERNEL_ENV, Path(tmp), timeout)
    results = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and cell.cell_type == "code":
            reason = _failure(cell)
            results.append(TestResult(meta["grade_id"], float(meta.get("points", 0)), reason is None, reason or ""))
    return results
