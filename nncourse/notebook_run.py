"""Execute one solution notebook on a chosen backend and mode, and say how it went.

Used by ``nncourse check-all``: each notebook runs top to bottom in a temporary copy (so
nothing is written next to the solutions), every nbgrader test cell must run without an
error, and the run time plus the figures the notebook reports through
:func:`nnlib.record` go to ``results/check_all_<mode>_<backend>.json``.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from nncourse.kernels import execute_notebook
from nncourse.results import read_records


@dataclass
class NotebookRun:
    """The outcome of one notebook.

    Attributes
    ----------
    aid : str
    seconds : float
        Wall time of the execution (kernel start included).
    tests_passed, tests_total : int
        nbgrader test cells without / with an error output.
    failures : list of str
        ``grade_id`` (or cell index) of each cell that raised.
    figures : dict
        What the notebook reported with :func:`nnlib.record`.
    """

    aid: str
    seconds: float
    tests_passed: int
    tests_total: int
    failures: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures and self.tests_passed == self.tests_total


def run_notebook(notebook: Path, env: dict, cell_timeout: int) -> NotebookRun:
    """Execute ``notebook`` in a temporary copy of its folder, with ``env`` added.

    Parameters
    ----------
    notebook : Path
        ``solutions/<id>/<id>.ipynb``.
    env : dict of str to str
        Variables for the kernel (``KERAS_BACKEND``, ``NNLIB_MODE``...).
    cell_timeout : int
        Seconds a cell may run.
    """
    import nbformat

    with tempfile.TemporaryDirectory(prefix="nncourse-check-") as tmp:
        work = Path(tmp) / notebook.parent.name
        shutil.copytree(notebook.parent, work)
        record_file = Path(tmp) / "figures.jsonl"
        nb = nbformat.read(work / notebook.name, as_version=4)
        start = time.perf_counter()
        try:
            execute_notebook(nb, {**env, "NNLIB_RECORD": str(record_file)}, work, cell_timeout)
        finally:
            seconds = time.perf_counter() - start
        figures = read_records(str(record_file))
    failures, passed, total = [], 0, 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        failed = any(out.get("output_type") == "error" for out in cell.get("outputs", []))
        if meta.get("grade"):
            total += 1
            passed += not failed
        if failed:
            failures.append(meta.get("grade_id") or f"cell {index}")
    return NotebookRun(notebook.parent.name, seconds, passed, total, failures, figures)


def summarise(runs: list[NotebookRun]) -> dict:
    """Flat metrics for ``results/``: per notebook its seconds, tests passed and figures."""
    metrics = {}
    for run in runs:
        metrics[f"{run.aid} seconds"] = round(run.seconds, 1)
        metrics[f"{run.aid} tests passed"] = run.tests_passed
        metrics[f"{run.aid} tests total"] = run.tests_total
        for name, value in run.figures.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                metrics[f"{run.aid} {name}"] = round(value, 4) if isinstance(value, float) else value
    return metrics
