"""Grade a whole class: intake, one worker per submission, watchdog, records, progress.

The main thread owns the class gradebook and ``grades.csv``: workers run in subprocesses
(at most ``jobs`` at once, each watched by a thread of this process for its wall time and
resident memory) and the main thread records each result as it arrives. A submission that
fails in any way ends as a row with its status; the others are not affected.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from nncourse import layout
from nncourse.grading import intake, records
from nncourse.grading.course import Course
from nncourse.grading.notebooks import InvalidNotebook, normalise, read_notebook
from nncourse.grading.sandbox import Sandbox
from nncourse.grading.status import describe_points

#: The installed student library (found, not imported), made visible read-only to
#: sandboxed kernels.
NNLIB_DIR = Path(find_spec("nnlib").submodule_search_locations[0]).resolve()

#: Seconds a worker may take beyond the notebook's total cap (kernel start, feedback).
GRACE_S = 90.0


@dataclass
class Options:
    """What ``nncourse grade`` was asked to do."""

    aid: str
    submissions: Path
    out: Path
    repo: Path
    student: str | None = None
    timeout: int = layout.CELL_TIMEOUT_S
    total_timeout: float = layout.notebook_timeout_s(layout.CELL_TIMEOUT_S)
    pattern: str | None = None
    show_hidden: bool = False
    jobs: int = 1
    memory: int = 2 * 2**30
    sandbox: Sandbox = field(default_factory=lambda: Sandbox("none"))


def parse_size(text: str) -> int:
    """``"2G"``, ``"512M"``, ``"1.5GiB"`` or a number of bytes -> bytes.

    Raises
    ------
    ValueError
        When the text is not a size.
    """
    units = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    t = text.strip().upper().removesuffix("IB").removesuffix("B")
    unit = t[-1] if t and t[-1] in units else ""
    try:
        value = float(t[: len(t) - len(unit)])
    except ValueError:
        raise ValueError(f"--memory: {text!r} is not a size such as 2G or 512M") from None
    if value <= 0:
        raise ValueError("--memory must be positive")
    return int(value * units[unit])


class Progress:
    """A one-line progress bar on stderr: done, failed so far, time left."""

    def __init__(self, total: int, stream=None, width: int = 24):
        self.total, self.done, self.failed = total, 0, 0
        self.start = time.monotonic()
        self.stream = stream or sys.stderr
        self.width = width
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def update(self, failed: bool) -> None:
        self.done += 1
        self.failed += int(failed)
        elapsed = time.monotonic() - self.start
        left = elapsed / self.done * (self.total - self.done)
        filled = int(self.width * self.done / max(1, self.total))
        bar = "#" * filled + "-" * (self.width - filled)
        line = (f"[{bar}] {self.done}/{self.total} done, {self.failed} failed, "
                f"{int(left // 60)}:{int(left % 60):02d} left")
        end = "\n" if (not self.tty or self.done == self.total) else ""
        self.stream.write(("\r" if self.tty else "") + line + end)
        self.stream.flush()


def _tree_rss(proc) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    import psutil

    total = 0
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def _kill_tree(proc) -> None:
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
    psutil.wait_procs(procs, timeout=10)


def run_worker(course: Course, opts: Options, student: str) -> tuple[dict, str | None, float]:
    """Start the worker for ``student`` and watch it; returns ``(result, killed_for, seconds)``
    where ``killed_for`` is ``"memory_limit"``, ``"timeout"`` or None."""
    import psutil

    work = course.work(student)
    run_dir = work / "run"
    run_dir.mkdir(parents=True)
    scratch = course.autograded(student)
    scratch.mkdir(parents=True)
    db = work / "gradebook.db"
    shutil.copy(course.template, db)
    startup = run_dir / "startup.py"
    from nncourse.grading.execute import OUTPUT_CAP_SOURCE

    startup.write_text(OUTPUT_CAP_SOURCE)
    kernel_name = None
    if opts.sandbox.kind != "none":
        kernel_name = "nncourse-sandboxed"
        spec_dir = work / "jupyter" / "kernels" / kernel_name
        spec_dir.mkdir(parents=True)
        files = work / "scratch"  # the assignment's data files, without any notebook
        shutil.copytree(course.root / "source" / course.aid, files,
                        ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints", "__pycache__"))
        argv = opts.sandbox.kernel_argv(sys.executable, scratch, NNLIB_DIR, run_dir, scratch_source=files)
        (spec_dir / "kernel.json").write_text(json.dumps(
            {"argv": argv, "display_name": "Python 3 (sandboxed)", "language": "python",
             # a signal to the sandbox's launcher would not reach the kernel: interrupt by message
             "interrupt_mode": "message"}))
    spec = {
        "root": str(course.root), "aid": course.aid, "student": student, "db": str(db),
        "timeout": opts.timeout, "total_timeout": opts.total_timeout, "show_hidden": opts.show_hidden,
        "kernel_name": kernel_name, "ipc_dir": str(run_dir) if opts.sandbox.kind != "none" else None,
        "startup": str(startup), "result": str(work / "result.json"),
    }
    (work / "spec.json").write_text(json.dumps(spec))
    env = layout.nbgrader_env(layout.grading_kernel_env())
    env.update(layout.thread_env(max(1, (os.cpu_count() or 1) // max(1, opts.jobs))))
    env.update(JUPYTER_PATH=str(work / "jupyter"),
               JUPYTER_RUNTIME_DIR=str(run_dir), MPLCONFIGDIR=str(work / "mpl"))
    env.pop("JUPYTER_CONFIG_DIR", None)
    start = time.monotonic()
    cap = opts.total_timeout + GRACE_S
    killed = None
    with open(work / "worker.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "nncourse.grading.worker", str(work / "spec.json")],
                                cwd=course.root, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        ps = psutil.Process(proc.pid)
        while proc.poll() is None:
            if _tree_rss(ps) > opts.memory:
                killed = "memory_limit"
            elif time.monotonic() - start > cap:
                killed = "timeout"
            if killed:
                _kill_tree(ps)
                proc.wait()
                break
            time.sleep(0.05)
    seconds = time.monotonic() - start
    result = {}
    if killed is None and (work / "result.json").is_file():
        result = json.loads((work / "result.json").read_text())
    return result, killed, seconds


def classify(result: dict, killed: str | None, opts: Options, max_score: float,
             seconds: float) -> tuple[str, float, dict, str]:
    """``(status, score, scores by grade_id, message)`` of one worker's outcome."""
    if killed == "memory_limit":
        return "memory_limit", 0.0, {}, (
            f"Stopped: the notebook used more than {opts.memory / 2**30:g} GiB of memory "
            f"(after {seconds:.0f} s); nothing could be scored.")
    if killed == "timeout":
        return "timeout", 0.0, {}, (
            f"Stopped: grading ran past {opts.total_timeout + GRACE_S:g} s in all "
            "(the notebook never returned control); nothing could be scored.")
    if not result:
        return "error", 0.0, {}, "The grader's worker stopped without a result; see the log in nbgrader/work/."
    text = result.get("error", "") + result.get("log", "")
    if not result.get("autograde_ok"):
        if "DeadKernelError" in text or "Kernel died" in text:
            return "kernel_died", 0.0, {}, "The Python kernel died before any test could run; nothing could be scored."
        last = [line for line in result.get("error", "").strip().splitlines() if line.strip()][-1:] or ["unknown"]
        return "error", 0.0, {}, f"nbgrader could not grade this notebook ({last[0][:200]})."
    scores = {gid: s for gid, (s, _m) in result["scores"].items()}
    score = float(sum(s or 0.0 for s in scores.values()))
    lost = sorted(gid for gid, (s, m) in result["scores"].items() if (s or 0) < m)
    events = result.get("events") or {}
    points = describe_points(score, max_score)
    lost_text = f"; lost points in {', '.join(lost)}" if lost else ""
    if events.get("kernel_died") is not None:
        where = result.get("where", {}).get("kernel_died") or "a cell"
        return "kernel_died", score, scores, (
            f"The Python kernel died in {where}; the tests before it were graded: {points}{lost_text}.")
    if events.get("timeout") or events.get("cap"):
        where = ", ".join(result.get("where", {}).get("timeout", [])) or "a cell"
        what = (f"ran past the {opts.timeout} s limit per cell" if events.get("timeout") else
                f"used up the {opts.total_timeout:g} s allowed per notebook")
        return "timeout", score, scores, f"{where[0].upper()}{where[1:]} {what} and was stopped; {points}{lost_text}."
    return "ok", score, scores, f"Graded: {points}{lost_text}."


def _clean(course: Course, student: str) -> None:
    for path in (course.root / "submitted" / student, course.autograded(student), course.work(student),
                 course.root / "feedback" / student):
        if path.exists():
            shutil.rmtree(path)
    (course.feedback / f"{student}.html").unlink(missing_ok=True)


def _message_page(student: str, aid: str, row: records.Row) -> str:
    import html

    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(aid)}: "
            f"{html.escape(student)}</title></head><body><h1>{html.escape(aid)}: {html.escape(student)}</h1>"
            f"<p>Score: {row.score:g} of {row.max_score:g} ({html.escape(row.status)})</p>"
            f"<p>{html.escape(row.message)}</p></body></html>\n")


def grade_one(course: Course, opts: Options, sub: intake.Submission, release, max_score: float):
    """Grade one submission; returns ``(Row, scores)``. Never raises: the grader's own
    failure on a submission (a file it cannot read or write...) is that row's ``error``."""
    note = (" Note: " + "; ".join(sub.notes) + ".") if sub.notes else ""
    try:
        return _grade_one(course, opts, sub, release, max_score, note)
    except Exception as exc:  # the grader's own failure on this one submission
        return records.Row(sub.student, 0.0, max_score, "error",
                           f"The grader failed: {type(exc).__name__}: {exc}{note}"), {}


def _grade_one(course: Course, opts: Options, sub: intake.Submission, release, max_score: float, note: str):
    import nbformat

    _clean(course, sub.student)
    if sub.notebook is None:
        return records.Row(sub.student, 0.0, max_score, sub.status, sub.message + note), {}
    try:
        nb, changes = normalise(read_notebook(sub.notebook), release)
    except InvalidNotebook as exc:
        return records.Row(sub.student, 0.0, max_score, "invalid_notebook", f"{sub.notebook.name}: {exc}{note}"), {}
    target = course.submitted(sub.student)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    result, killed, seconds = run_worker(course, opts, sub.student)
    status, score, scores, message = classify(result, killed, opts, max_score, seconds)
    if changes:
        note += " Fixed before grading: " + "; ".join(changes) + "."
    return records.Row(sub.student, score, max_score, status, message + note), scores


def grade_class(opts: Options) -> list[records.Row]:
    """Grade every submission (or ``opts.student``) and write the records.

    Raises
    ------
    ValueError
        Unknown assignment, unreadable SUBMISSIONS, or an unknown ``--student``.
    """
    import nbformat

    course = Course(opts.out, opts.aid, opts.repo)
    layout.check_assignments(opts.repo, [opts.aid])
    src = Path(opts.submissions).resolve()
    if src == course.out or course.out in src.parents or src in course.out.parents:
        raise ValueError("--out must not be inside SUBMISSIONS (nor the other way round): the input stays untouched")
    course.root.mkdir(parents=True, exist_ok=True)
    subs = intake.collect(src, opts.aid, course.root, opts.pattern)
    if opts.student:
        subs = [s for s in subs if s.student == opts.student]
        if not subs:
            raise ValueError(f"no submission of student {opts.student!r} in {opts.submissions}")
    print(opts.sandbox.announcement(), file=sys.stderr)
    try:
        course.prepare()
    except RuntimeError as exc:
        raise ValueError(str(exc)) from exc
    release = nbformat.read(course.release_notebook(), as_version=4)
    total = records.max_score(course.template, opts.aid)
    progress = Progress(len(subs))
    rows: list[records.Row] = []
    with ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        futures = {pool.submit(grade_one, course, opts, sub, release, total): sub for sub in subs}
        for future in as_completed(futures):  # only this (main) thread writes the records
            row, scores = future.result()
            records.save_to_gradebook(course.gradebook, opts.aid, row.student, scores)
            fb = course.root / "feedback" / row.student / opts.aid / f"{opts.aid}.html"
            target = course.feedback / f"{row.student}.html"
            if fb.is_file():
                shutil.copy(fb, target)
            else:
                target.write_text(_message_page(row.student, opts.aid, row), encoding="utf-8")
            records.write_rows(course.csv, [row])
            rows.append(row)
            progress.update(failed=row.status != "ok")
    return sorted(rows, key=lambda r: r.student)
