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
from nncourse.grading.task.messages import failing_source_line
from nncourse.grading.task.notebooks import normalise, read_notebook, strip_ansi
from nncourse.kernels import execute_notebook


@dataclass
class TestResult:
    grade_id: str
    points: float
    passed: bool
    reason: str = ""


def describe_error(output, execution_count: int | None = None) -> str:
    """An error output of a test cell in one line a student can act on.

    Parameters
    ----------
    output : dict
        The error output (``ename``, ``evalue``, ``traceback``).
    execution_count : int, optional
        The test cell's execution count, to tell its own lines from those of code it calls.

    Returns
    -------
    str
        ``Name: message``; a failed ``assert`` without a message is named by its line,
        e.g. ``AssertionError at line 3: assert np.isclose(tanh(0.0), 0.0)`` (or ``...
        in code this test calls: ...`` when it is not in the test cell).
    """
    name, message = output.get("ename") or "Error", str(output.get("evalue") or "").strip()
    if message:
        return f"{name}: {message}"
    failing = failing_source_line(output.get("traceback", [])) if name == "AssertionError" else None
    if failing is None:
        return name
    own = execution_count is not None and failing.execution_count == execution_count
    where = f"at line {failing.line}" if own else "in code this test calls"
    return f"{name} {where}: {failing.statement}"


def _failure(cell) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return describe_error(out, cell.get("execution_count"))
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            return "wrote to stderr (a graded test must not): " + strip_ansi(out.get("text", "")).strip()[:200]
    return None


def run_visible_tests(release_path: Path, notebook: Path,
                      timeout: int = layout.CELL_TIMEOUT_S) -> list[TestResult]:
    """Execute ``notebook`` with the release's visible tests; one result per test cell.

    Raises
    ------
    nncourse.grading.task.notebooks.InvalidNotebook
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
