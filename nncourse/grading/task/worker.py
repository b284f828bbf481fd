"""One student's grading after another, in the long-lived grading worker
``python -m nncourse.grading.task.worker --serve PARENT --folder DIR [--warm]``

The worker is started once per grading process (:mod:`.resident`), in its own process
group, so that a submission that hangs or eats memory can be killed with everything it
started (the next task then starts a new worker); a worker whose parent disappears kills
itself and its kernels. nbgrader, nbconvert and SQLAlchemy are imported once, and with
``--warm`` the fork server (:mod:`.forkserver`) is started first: each kernel is then
forked, already holding NumPy, Keras and nnlib, into its own sandbox.

For each task the worker autogrades with nbgrader's API (:class:`nbgrader.apps.NbGraderAPI`)
against the task's *own copy* of the template gradebook, renders the feedback, and writes
``result.json`` with the scores and where the time went; it never opens the class gradebook
(the client records the scores there). Each task has its own nbgrader course, environment
and working folder, restored after it: nothing of one task is left for the next.

``SPEC.json`` keys: ``root`` (the nbgrader course), ``aid``, ``student``, ``db`` (this
task's gradebook), ``timeout`` (per cell, s), ``total_timeout`` (per notebook, s),
``show_hidden``, ``kernel_name`` (None: the notebook's own), ``ipc_dir`` (None: TCP on
loopback; else ZeroMQ over unix sockets in that folder, for a kernel without network),
``startup`` (a file run in the kernel at start), ``env`` (the task's own environment
variables), ``result``.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from pathlib import Path

from nncourse import layout


def _config(spec: dict):
    from traitlets.config import Config

    from nncourse.grading.task.execute import GuardedExecute
    from nncourse.grading.task.feedback import configure_feedback

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
    if spec.get("fork_server"):
        c.GuardedExecute.fork_server = spec["fork_server"]
        c.WarmKernelManager.max_tasks = int(spec.get("max_tasks") or 0)
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

    from nncourse.grading.task.execute import GuardedExecute

    api = NbGraderAPI(config=_config(spec))
    aid, student = spec["aid"], spec["student"]
    GuardedExecute.events = {}
    start = time.monotonic()
    out = api.autograde(aid, student, force=True, create=True)
    events = GuardedExecute.events
    phases = {"kernel_ready": events.get("kernel_ready_s", 0.0),
              "executed": events.get("executed_s", 0.0) - events.get("kernel_ready_s", 0.0),
              "autograde": time.monotonic() - start}
    result = {"autograde_ok": bool(out.get("success")), "log": out.get("log", "")[-4000:],
              "error": out.get("error", "") or "", "events": events, "scores": {}, "phases": phases}
    result["where"] = _where(spec, GuardedExecute.events)
    if result["autograde_ok"]:
        with Gradebook(layout.sqlite_url(spec["db"])) as gb:
            nb = gb.find_submission_notebook(aid, aid, student)
            result["scores"] = {g.name: [g.score, g.max_score] for g in nb.grades}
        start = time.monotonic()
        fb = api.generate_feedback(aid, student, force=True)
        phases["feedback"] = time.monotonic() - start
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

    from nncourse.grading.task.perform import kill_tree

    def watch():
        while os.getppid() == parent:
            time.sleep(interval_s)
        for child in psutil.Process().children():  # each at once, its descendants with it
            kill_tree(child, timeout_s=2.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _start_fork_server(folder: Path) -> tuple:
    """Start the fork server (:mod:`.forkserver`) and wait until it answers.

    Returns
    -------
    (process, socket path)
    Raises
    ------
    RuntimeError
        When it exits or does not answer in time.
    """
    import socket
    import subprocess
    import time

    path = folder / "forkserver.sock"
    private = folder / "server-home"  # its imports' caches; each kernel gets the fence's own
    env = dict(os.environ, HOME=str(private), MPLCONFIGDIR=str(private / "mpl"), KERAS_HOME=str(private / "keras"),
               MPLBACKEND="module://matplotlib_inline.backend_inline")
    env.pop("JPY_PARENT_PID", None)
    proc = subprocess.Popen([sys.executable, "-m", "nncourse.grading.task.forkserver", str(path), str(os.getpid())],
                            cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=sys.stderr.fileno(),
                            stderr=sys.stderr.fileno())
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the fork server exited ({proc.returncode}) before it was ready")
        if path.exists():
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                try:
                    probe.connect(str(path))
                    probe.sendall(b"{}\n")  # an empty request: the server answers without forking
                    if probe.recv(64):
                        return proc, path
                except OSError:
                    pass
        time.sleep(0.05)
    raise RuntimeError("the fork server did not answer in time")


def serve(parent: int, folder: Path, warm: bool) -> int:
    """Grade the spec files named on standard input, one per line, until it closes;
    answer ``done`` on standard output after writing each result (and ``ready PID``
    first, PID the fork server's or 0). Everything else this process or its kernels
    print goes to standard error (the worker's log)."""
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # a kernel's or a library's stray output never mixes with the protocol
    sys.stdout = sys.stderr
    _die_with_parent(parent)
    server, socket_path = (_start_fork_server(folder) if warm else (None, None))
    import nbgrader.apps  # noqa: F401  what every task needs, imported once
    import nbgrader.api  # noqa: F401

    protocol.write(f"ready {server.pid if server else 0}\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        spec = json.loads(Path(line.strip()).read_text())
        spec["fork_server"] = str(socket_path) if socket_path else None
        result = _grade_in_place(spec)
        Path(spec["result"]).write_text(json.dumps(result))
        protocol.write("done\n")
    return 0


def _grade_in_place(spec: dict) -> dict:
    """:func:`grade` with the task's own environment and working folder, both restored after."""
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    os.environ.update(spec.get("env") or {})
    os.chdir(spec["root"])
    try:
        return grade(spec)
    except BaseException:  # report anything, even a KeyboardInterrupt, to the task
        return {"autograde_ok": False, "error": traceback.format_exc()[-4000:], "scores": {}, "events": {}}
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m nncourse.grading.task.worker")
    parser.add_argument("--serve", type=int, required=True, metavar="PARENT", help="the pid this worker dies with")
    parser.add_argument("--folder", type=Path, required=True, help="its own folder (the fork server's socket)")
    parser.add_argument("--warm", action="store_true", help="fork each kernel from a warm server")
    args = parser.parse_args(argv)
    return serve(args.serve, args.folder, args.warm)


if __name__ == "__main__":
    sys.exit(main())
