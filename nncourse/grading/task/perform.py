"""Perform one grading task: :func:`grade_task`, a pure function of a
:class:`~nncourse.grading.task.task.TaskInput`.

The task lays the assignment out in a temporary nbgrader course of its own, normalises
the submission (:mod:`.notebooks`), and hands it to this process's long-lived grading
worker (:mod:`.resident`, :mod:`.worker`), watched by this thread for its wall time and
for the resident memory and the number of processes of what the worker started (the
kernel and all it starts; nbgrader's own memory in the worker is not the student's), and
for forks refused at its control group's cap (:func:`.sandbox.refused_forks`); a breach
kills the worker with its kernel, and the next task starts another. It classifies what happened, reads the feedback, removes its folder and returns
a :class:`~nncourse.grading.task.task.TaskResult`.
Nothing it writes outlives it, and it never sees the class gradebook: on a Dask worker of
another machine it behaves exactly as in a local process.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import tempfile
import time
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from nncourse import layout
from nncourse.grading.task.messages import syntax_error_note, unchanged_since_release
from nncourse.grading.task.notebooks import InvalidNotebook, normalise, read_notebook, written_answer_ids
from nncourse.grading.task.sandbox import Sandbox, detect, refused_forks
from nncourse.grading.status import Status, describe_points
from nncourse.grading.task.task import Limits, TaskInput, TaskResult, Timings, grader_version

#: The installed student library (found, not imported), made visible read-only to
#: sandboxed kernels.
NNLIB_DIR = Path(find_spec("nnlib").submodule_search_locations[0]).resolve()

#: Seconds a worker may take beyond the notebook's total cap (kernel start, feedback).
GRACE_S = 90.0


@lru_cache(maxsize=1)
def local_sandbox() -> Sandbox:
    """The sandbox this machine offers (probed once per process)."""
    return detect()


@lru_cache(maxsize=1)
def local_grader_version() -> str:
    """This machine's :func:`~nncourse.grading.task.task.grader_version` (computed once per process)."""
    return grader_version()


def worker_description() -> str:
    """``host:pid (sandbox kind)``: where a task ran."""
    return f"{socket.gethostname()}:{os.getpid()} (sandbox {local_sandbox().kind})"


def kill_tree(proc, timeout_s: float = 10.0) -> None:
    """Kill a psutil process and all its descendants at once, then wait until each is gone.

    A killed grandchild stays a zombie until its own (also killed) parent is reaped, and
    a zombie never leaves ``psutil.wait_procs``: zombies count as gone here, so a tree of
    several processes takes one wait, not one timeout per process.
    """
    import psutil

    try:
        procs = proc.children(recursive=True) + [proc]
    except psutil.Error:
        procs = [proc]
    for p in procs:
        try:
            p.kill()
        except psutil.Error:
            pass
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and any(_running(p) for p in procs):
        time.sleep(0.02)


def _running(proc) -> bool:
    """Whether a psutil process still runs (a zombie does not)."""
    import psutil

    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _lay_out(task: TaskInput, base: Path) -> Path:
    """Write the task's nbgrader course under ``base``; returns its root."""
    a = task.assignment
    root = base / "nbgrader"
    for name, data in a.files:
        target = root / "source" / a.aid / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    release = root / "release" / a.aid / f"{a.aid}.ipynb"
    release.parent.mkdir(parents=True)
    release.write_bytes(a.release_notebook)
    work = base / "work"
    work.mkdir()
    (work / "gradebook.db").write_bytes(a.template_gradebook)
    return root


def _watched(proc, skip: int | None) -> tuple[int, int]:
    """``(resident bytes, processes)`` of the notebook: ``proc``'s descendants (the kernel,
    its sandbox and all it started), without ``proc`` itself (the grading worker: nbgrader's
    memory is not the student's) and without process ``skip`` (the fork server: its imports
    are shared by every kernel it forks, each of which counts them)."""
    import psutil

    try:
        procs = [p for p in proc.children(recursive=True) if p.pid != skip]
    except psutil.Error:
        return 0, 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total, len(procs)


def run_worker(root: Path, work: Path, aid: str, student: str, limits: Limits,
               sandbox: Sandbox) -> tuple[dict, str | None, float]:
    """Have this process's grading worker (:mod:`.resident`) grade ``root/submitted/<student>``,
    and watch it.

    Returns
    -------
    (result, killed_for, seconds)
        The worker's result record (empty when it left none), ``"memory_limit"``,
        ``"process_limit"``, ``"timeout"`` or None, and the wall time (the worker's own start, when this task
        had to start one, is ``result["phases"]["worker_start"]``, not counted against the cap).
    """
    import psutil

    from nncourse.grading.task import resident
    from nncourse.grading.task.execute import OUTPUT_CAP_SOURCE

    run_dir = work / "run"
    run_dir.mkdir()
    scratch = root / "autograded" / student / aid
    scratch.mkdir(parents=True)
    startup = run_dir / "startup.py"
    startup.write_text(OUTPUT_CAP_SOURCE)
    kernel_name = None
    if sandbox.kind != "none":
        kernel_name = "nncourse-sandboxed"
        spec_dir = work / "jupyter" / "kernels" / kernel_name
        spec_dir.mkdir(parents=True)
        files = work / "scratch"  # the assignment's data files, without any notebook
        shutil.copytree(root / "source" / aid, files,
                        ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints", "__pycache__"))
        argv = sandbox.kernel_argv(sys.executable, scratch, NNLIB_DIR, run_dir, scratch_source=files)
        (spec_dir / "kernel.json").write_text(json.dumps(
            {"argv": argv, "display_name": "Python 3 (sandboxed)", "language": "python",
             # a signal to the sandbox's launcher would not reach the kernel: interrupt by message
             "interrupt_mode": "message"}))
    spec = {
        "root": str(root), "aid": aid, "student": student, "db": str(work / "gradebook.db"),
        "timeout": limits.cell_timeout_s, "total_timeout": limits.notebook_timeout_s,
        "show_hidden": limits.show_hidden, "kernel_name": kernel_name,
        "ipc_dir": str(run_dir) if sandbox.kind != "none" else None,
        "startup": str(startup), "result": str(work / "result.json"),
        "max_tasks": 2 * limits.processes,
        "env": {"JUPYTER_PATH": str(work / "jupyter"), "JUPYTER_RUNTIME_DIR": str(run_dir),
                "MPLCONFIGDIR": str(work / "mpl")},
    }
    (work / "spec.json").write_text(json.dumps(spec))
    start = time.monotonic()
    worker = resident.resident_worker(worker_env(limits), kernels_warm(limits))
    # a worker that graded before is reused: checking that it is alive is no start
    worker_start = time.monotonic() - start if worker.tasks == 0 else 0.0
    start = time.monotonic()
    cap = limits.notebook_timeout_s + GRACE_S
    killed, gone = None, None
    ps = psutil.Process(worker.proc.pid)
    refused_before = refused_forks(worker.proc.pid)
    try:
        worker.send(work / "spec.json")
        while not worker.finished(0.05):
            rss, processes = _watched(ps, worker.server_pid)
            if rss > limits.memory_bytes:
                killed = "memory_limit"
            elif processes >= limits.processes or refused_forks(worker.proc.pid) > refused_before:
                killed = "process_limit"
            elif time.monotonic() - start > cap:
                killed = "timeout"
            if killed:
                break
    except resident.WorkerGone as exc:
        gone = f"{exc}\n{worker.log_tail()}"
    finally:  # also when this thread is interrupted: never leave a kernel behind
        if killed or gone or not worker.alive():
            resident.discard(worker)
    seconds = time.monotonic() - start
    result = {}
    if killed is None and gone is None and (work / "result.json").is_file():
        result = json.loads((work / "result.json").read_text())
    if not result:
        result = {"log": gone or worker.log_tail()}
    result.setdefault("phases", {})["worker_start"] = worker_start
    return result, killed, seconds


def worker_env(limits: Limits) -> dict:
    """The grading worker's environment: nbgrader's, the grading kernels', the thread caps."""
    env = layout.nbgrader_env(layout.grading_kernel_env())
    env.update(layout.thread_env(limits.threads))
    env.pop("JUPYTER_CONFIG_DIR", None)
    return env


def kernels_warm(limits: Limits) -> bool:
    """Whether this task's kernels are forked from a warm server (:func:`.warm.kernels_mode`)."""
    from nncourse.grading.task.warm import fence_enterable, kernels_mode

    if limits.fresh_kernels:
        return False
    return kernels_mode(layout.grading_kernel_env().get("KERAS_BACKEND") or "tensorflow", False,
                        fence_enterable(local_sandbox().kind)) == "warm"


def classify(result: dict, killed: str | None, limits: Limits, max_score: float,
             seconds: float) -> tuple[Status, float, dict, str]:
    """``(status, score, {grade_id: [score, max]}, message)`` of one worker's outcome."""
    if killed == "memory_limit":
        return Status.MEMORY_LIMIT, 0.0, {}, (
            f"Stopped: the notebook used more than {limits.memory_bytes / 2**30:g} GiB of memory "
            f"(after {seconds:.0f} s); nothing could be scored.")
    if killed == "process_limit":
        return Status.PROCESS_LIMIT, 0.0, {}, (
            f"Stopped: the notebook started {limits.processes} processes or more, or was refused one at the "
            f"cap of {2 * limits.processes} processes and threads (after {seconds:.0f} s); nothing could be scored.")
    if killed == "timeout":
        return Status.TIMEOUT, 0.0, {}, (
            f"Stopped: grading ran past {limits.notebook_timeout_s + GRACE_S:g} s in all "
            "(the notebook never returned control); nothing could be scored.")
    if "autograde_ok" not in result:
        last = [line for line in result.get("log", "").strip().splitlines() if line.strip()][-1:] or ["no log"]
        return Status.ERROR, 0.0, {}, f"The grader's worker stopped without a result ({last[0][:200]})."
    text = result.get("error", "") + result.get("log", "")
    if not result.get("autograde_ok"):
        if "DeadKernelError" in text or "Kernel died" in text:
            return Status.KERNEL_DIED, 0.0, {}, "The Python kernel died before any test could run; nothing could be scored."
        last = [line for line in result.get("error", "").strip().splitlines() if line.strip()][-1:] or ["unknown"]
        return Status.ERROR, 0.0, {}, f"nbgrader could not grade this notebook ({last[0][:200]})."
    scores = result["scores"]
    score = float(sum(s or 0.0 for s, _m in scores.values()))
    lost = sorted(gid for gid, (s, m) in scores.items() if (s or 0) < m)
    events = result.get("events") or {}
    points = describe_points(score, max_score)
    lost_text = f"; lost points in {', '.join(lost)}" if lost else ""
    if events.get("kernel_died") is not None:
        where = result.get("where", {}).get("kernel_died") or "a cell"
        return Status.KERNEL_DIED, score, scores, (
            f"The Python kernel died in {where}; the tests before it were graded: {points}{lost_text}.")
    if events.get("timeout") or events.get("cap"):
        where = ", ".join(result.get("where", {}).get("timeout", [])) or "a cell"
        what = (f"ran past the {limits.cell_timeout_s} s limit per cell" if events.get("timeout") else
                f"used up the {limits.notebook_timeout_s:g} s allowed per notebook")
        return Status.TIMEOUT, score, scores, f"{where[0].upper()}{where[1:]} {what} and was stopped; {points}{lost_text}."
    return Status.OK, score, scores, f"Graded: {points}{lost_text}."


def _notes_text(task: TaskInput, changes: list[str] = ()) -> str:
    note = (" Note: " + "; ".join(task.notes) + ".") if task.notes else ""
    if changes:
        note += " Fixed before grading: " + "; ".join(changes) + "."
    return note


def grade_task(task: TaskInput) -> TaskResult:
    """Grade one submission; never raises: the grader's own failure on it is an ``error``
    result (graded again by the next run)."""
    start = time.monotonic()
    try:
        return _grade_task(task, start)
    except Exception as exc:  # the grader's own failure on this one submission
        return TaskResult(task.student, Status.ERROR, 0.0, task.assignment.max_score,
                          message=f"The grader failed: {type(exc).__name__}: {exc}{_notes_text(task)}",
                          timings=Timings(total=time.monotonic() - start), worker=worker_description())


def _result(task: TaskInput, status: Status, message: str, start: float, **kw) -> TaskResult:
    return TaskResult(task.student, status, kw.pop("score", 0.0), task.assignment.max_score, message=message,
                      timings=kw.pop("timings", Timings(total=time.monotonic() - start)),
                      worker=worker_description(), **kw)


def _grade_task(task: TaskInput, start: float) -> TaskResult:
    import nbformat

    aid, student = task.assignment.aid, task.student
    if task.notebook is None:
        return _result(task, task.intake_status or Status.NO_NOTEBOOK, task.intake_message + _notes_text(task), start)
    if task.grader_version != local_grader_version():
        return _result(task, Status.ERROR, (
            f"Not graded: worker {worker_description()} runs another grader ({local_grader_version()}) than the "
            f"client ({task.grader_version}); install the same version of the course on every worker."), start)
    sandbox = local_sandbox()
    if task.limits.require_sandbox and sandbox.kind != "bwrap":
        return _result(task, Status.ERROR, (
            f"Not graded: worker {worker_description()} has no file-system and network fence (bubblewrap "
            "with user namespaces), and the run did not allow unsandboxed workers (--allow-unsandboxed)."), start)
    with tempfile.TemporaryDirectory(prefix="nncourse-task-") as tmp:
        base = Path(tmp)
        handed_in = base / "handed-in.ipynb"
        handed_in.write_bytes(task.notebook)
        release = nbformat.reads(task.assignment.release_notebook.decode("utf-8"), as_version=4)
        try:
            nb, changes = normalise(read_notebook(handed_in), release)
        except InvalidNotebook as exc:
            return _result(task, Status.INVALID_NOTEBOOK,
                           f"{task.notebook_name or 'the notebook'}: {exc}{_notes_text(task)}", start)
        root = _lay_out(task, base)
        target = root / "submitted" / student / aid / f"{aid}.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(nb, target)
        setup = time.monotonic() - start
        result, killed, seconds = run_worker(root, base / "work", aid, student, task.limits, sandbox)
        written = written_answer_ids(release)  # graded by hand: not in the autograded total
        if isinstance(result.get("scores"), dict):
            result["scores"] = {gid: got for gid, got in result["scores"].items() if gid not in written}
        status, score, scores, message = classify(result, killed, task.limits, task.assignment.max_score, seconds)
        feedback = root / "feedback" / student / aid / f"{aid}.html"
        autograded = root / "autograded" / student / aid / f"{aid}.ipynb"
        autograded_bytes = autograded.read_bytes() if autograded.is_file() else None
        # what a person can act on: a cell that never compiled, a notebook handed in untouched
        try:
            ran = nbformat.reads(autograded_bytes.decode("utf-8"), as_version=4) if autograded_bytes else None
        except Exception:  # an unreadable copy costs the note, never the grade
            ran = None
        notes = [syntax_error_note(ran) if ran is not None else None,
                 "unchanged since release" if unchanged_since_release(nb, release) else None]
        if written and status == Status.OK:
            notes.append(f"the {len(written)} written answers are graded by hand, apart from this score"
                         if len(written) > 1 else "the written answer is graded by hand, apart from this score")
        notes = [note for note in notes if note]
        if notes:
            message = message.removesuffix(".") + "; " + "; ".join(notes) + "."
        return _result(
            task, status, message + _notes_text(task, changes), start, score=score,
            scores=tuple(sorted((gid, float(s or 0.0), float(m)) for gid, (s, m) in scores.items())),
            feedback_html=feedback.read_text(encoding="utf-8") if feedback.is_file() else None,
            autograded_notebook=autograded_bytes,
            timings=Timings(setup=setup, grading=seconds, total=time.monotonic() - start,
                            **{name: float(result.get("phases", {}).get(name) or 0.0) for name in Timings.PHASES}))
