"""One student's grading, run as ``python -m nncourse.grading.worker SPEC.json``.

Each grading task (:mod:`.perform`) starts one worker, in its own process group, so that
a submission that hangs or eats memory can be killed with everything it started; a worker
whose parent disappears kills itself and its kernel. The worker autogrades with nbgrader's API
(:class:`nbgrader.apps.NbGraderAPI`) against its *own copy* of the template gradebook,
renders the feedback, and writes ``result.json``; it never opens the class gradebook
(the client records the scores there).

``SPEC.json`` keys: ``root`` (the nbgrader course), ``aid``, ``student``, ``db`` (this
worker's gradebook), ``timeout`` (per cell, s), ``total_timeout`` (per notebook, s),
``show_hidden``, ``kernel_name`` (None: the notebook's own), ``ipc_dir`` (None: TCP on
loopback; else ZeroMQ over unix sockets in that folder, for a kernel without network),
``startup`` (a file run in the kernel at start), ``result``.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

from nncourse import layout


def _config(spec: dict):
    from traitlets.config import Config

    from nncourse.grading.execute import GuardedExecute
    from nncourse.grading.feedback import configure_feedback

    c = Config()
    c.CourseDirectory.root = spec["root"]
    c.CourseDirectory.source_directory = "source"
    c.CourseDirectory.release_directory = "release"
    c.CourseDirectory.db_url = layout.sqlite_url(spec["db"])
    c.CourseDirectory.ignore = layout.NBGRADER_IGNORE
    c.OverwriteCells.add_missing_cells = True
    c.Execute.timeout = int(spec["timeout"])
    c.Execute.interrupt_on_timeout = True
    c.GuardedExecute.iopub_timeout = 30
    c.GuardedExecute.total_timeout = float(spec["total_timeout"])
    c.GuardedExecute.extra_arguments = ["--HistoryManager.hist_file=:memory:",
                                        f"--IPKernelApp.exec_files={json.dumps([spec['startup']])}"]
    if spec.get("kernel_name"):
        c.GuardedExecute.kernel_name = spec["kernel_name"]
    if spec.get("ipc_dir"):
        c.GuardedExecute.ipc_dir = spec["ipc_dir"]
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, IgnorePattern, LimitOutput,
                                        SaveAutoGrades)

    # nbgrader's own list (converters/autograde.py), with Execute replaced
    c.Autograde.autograde_preprocessors = [GuardedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                           SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
    c.LimitOutput.max_lines = 300
    c.LimitOutput.max_traceback = 60
    configure_feedback(c, hide_hidden_tests=not spec.get("show_hidden"))
    return c


def grade(spec: dict) -> dict:
    """Autograde and render feedback for ``spec["student"]``; returns the result record."""
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI

    from nncourse.grading.execute import GuardedExecute

    api = NbGraderAPI(config=_config(spec))
    aid, student = spec["aid"], spec["student"]
    out = api.autograde(aid, student, force=True, create=True)
    result = {"autograde_ok": bool(out.get("success")), "log": out.get("log", "")[-4000:],
              "error": out.get("error", "") or "", "events": GuardedExecute.events, "scores": {}}
    result["where"] = _where(spec, GuardedExecute.events)
    if result["autograde_ok"]:
        with Gradebook(layout.sqlite_url(spec["db"])) as gb:
            nb = gb.find_submission_notebook(aid, aid, student)
            result["scores"] = {g.name: [g.score, g.max_score] for g in nb.grades}
        fb = api.generate_feedback(aid, student, force=True)
        result["feedback_ok"] = bool(fb.get("success"))
        if not fb.get("success"):
            result["error"] += "\n" + (fb.get("error") or fb.get("log", ""))[-2000:]
    return result


def _describe(cell, index: int) -> str:
    gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    first = next((line.strip() for line in cell.get("source", "").splitlines() if line.strip()), "")
    return f"cell {index + 1} ({gid})" if gid else f"cell {index + 1} ({first[:40]!r})"


def _where(spec: dict, events: dict) -> dict:
    """Cell descriptions for the indexes in ``events`` (from the autograded notebook)."""
    import nbformat

    path = Path(spec["root"]) / "autograded" / spec["student"] / spec["aid"] / f"{spec['aid']}.ipynb"
    try:
        cells = nbformat.read(path, as_version=4).cells
    except Exception:
        return {}
    out = {"timeout": [_describe(cells[i], i) for i in events.get("timeout", []) if 0 <= i < len(cells)]}
    k = events.get("kernel_died")
    if k is not None and 0 <= k < len(cells):
        out["kernel_died"] = _describe(cells[k], k)
    return out


def _die_with_parent(parent: int, interval_s: float = 1.0) -> None:
    """Kill this worker and its kernel when ``parent``, the process that started it, is
    gone (a Dask worker SIGKILLed mid-task must not leave a kernel running for nobody).

    ``parent`` comes from the spec, not from ``os.getppid()`` here: a parent killed while
    this process was still starting (seconds on a loaded machine) has already left it to
    init, and the worker would otherwise grade on for nobody. What the watcher needs is
    imported before it starts, so that it never waits on Python's import lock."""
    import threading
    import time

    import psutil

    from nncourse.grading.perform import kill_tree

    def watch():
        while os.getppid() == parent:
            time.sleep(interval_s)
        for child in psutil.Process().children():  # each at once, its descendants with it
            kill_tree(child, timeout_s=2.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    spec_path = Path((argv or sys.argv[1:])[0])
    spec = json.loads(spec_path.read_text())
    _die_with_parent(int(spec.get("parent_pid") or os.getppid()))
    try:
        result = grade(spec)
    except BaseException:  # report anything, even a KeyboardInterrupt, to the task
        result = {"autograde_ok": False, "error": traceback.format_exc()[-4000:], "scores": {}, "events": {}}
    Path(spec["result"]).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
