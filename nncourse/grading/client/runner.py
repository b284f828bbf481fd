"""Grade a whole class: the client that builds the tasks, runs them on Dask and records
every result.

The client alone writes: the gradebook (:mod:`.store`), ``grades.csv``/``scores.csv``
(from the gradebook), the feedback pages and the autograded notebooks. Tasks
(:mod:`.perform`) run on the workers of a local or an existing Dask cluster
(:mod:`.cluster`) and return typed results (:mod:`.task`), which the client records as
they complete, in batches: all that completed while it recorded the last batch, at most
:data:`RECORD_BATCH`. A submission whose stored result has the same task key is skipped
(``force`` grades it again); a run killed at any point is finished by running it again.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from nncourse import layout
from nncourse.grading.client import intake
from nncourse.grading.client.course import Course
from nncourse.grading.gradebook.store import Recording
from nncourse.grading.status import Status
from nncourse.grading.task.task import Limits, TaskInput, TaskResult, grader_version
from nncourse.scores import GradeRow, append_timings, write_grades, write_scores

#: Seconds between two rewrites of grades.csv/scores.csv during a run (and at its end);
#: at least :data:`CSV_REFRESH_RATIO` times the last rewrite's own time, so that rewriting
#: a large gradebook never takes more than a tenth of the client's time.
CSV_REFRESH_S = 10.0
#: The most results recorded under one lock of the gradebook (other clients of a shared
#: gradebook wait for it).
RECORD_BATCH = 100
CSV_REFRESH_RATIO = 10.0


@dataclass
class Options:
    """What ``nncourse grade`` was asked to do."""

    aid: str
    submissions: Path
    out: Path
    repo: Path
    students: tuple[str, ...] = ()
    timeout: int = layout.CELL_TIMEOUT_S
    total_timeout: float = layout.notebook_timeout_s(layout.CELL_TIMEOUT_S)
    pattern: str | None = None
    show_hidden: bool = False
    jobs: int = 1
    memory: int = 2 * 2**30
    scheduler: str | None = None
    allow_unsandboxed: bool = False
    fresh_kernels: bool = False
    db_url: str | None = None
    force: bool = False
    due: object = None                    # datetime with offset, or None
    times: dict = field(default_factory=dict)   # student -> datetime, from --times
    late_penalty: object = None           # nncourse.grading.client.late.LatePenalty or None
    tasks_to: Path | None = None          # write task inputs there instead of grading
    results_from: Path | None = None      # record the task results found there instead of grading


@dataclass(frozen=True)
class RunSummary:
    """What one run did: the rows it recorded and how many it skipped."""

    recorded: tuple[GradeRow, ...]
    skipped: int
    db_url: str


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


def read_students(values: list[str]) -> tuple[str, ...]:
    """``--student`` values: names, or ``@FILE`` (one name per line, ``#`` comments).

    Raises
    ------
    ValueError
        When a ``@FILE`` cannot be read.
    """
    names = []
    for value in values:
        if value.startswith("@"):
            try:
                lines = Path(value[1:]).read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise ValueError(f"--student {value}: {exc.strerror}") from None
            names += [line.split("#")[0].strip() for line in lines]
        else:
            names.append(value)
    return tuple(dict.fromkeys(n for n in names if n))


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


def build_tasks(subs: list[intake.Submission], assignment, limits: Limits) -> list[TaskInput]:
    """One task per submission (the notebook's bytes read now)."""
    version = grader_version()
    tasks = []
    for sub in subs:
        data = sub.notebook.read_bytes() if sub.notebook is not None else None
        tasks.append(TaskInput(
            assignment=assignment, student=sub.student, notebook=data, limits=limits, grader_version=version,
            notebook_name=sub.notebook.name if sub.notebook is not None else "",
            intake_status=Status(sub.status) if sub.status else None, intake_message=sub.message,
            notes=tuple(sub.notes)))
    return tasks


def _late(opts: Options, sub: intake.Submission, result: TaskResult) -> tuple[float, float]:
    """``(late_minutes, penalty points)`` of one result (nothing is late without a due date)."""
    if opts.due is None:
        return 0.0, 0.0
    from nncourse.grading.client.late import late_minutes, parse_submission_time

    submitted = opts.times.get(sub.student)
    if submitted is None and sub.timestamp:
        submitted = parse_submission_time(sub.timestamp)
    minutes = late_minutes(submitted, opts.due)
    if minutes <= 0 or opts.late_penalty is None:
        return minutes, 0.0
    return minutes, opts.late_penalty.points(result.score, result.max_score, minutes)


def _answers(release, result: TaskResult) -> dict:
    """The written answers of a result's notebook as it ran (none when no notebook ran:
    nothing for a person to grade), see :func:`~nncourse.grading.task.notebooks.written_answers`."""
    import nbformat

    from nncourse.grading.task.notebooks import written_answers

    if result.autograded_notebook is None:
        return {}
    try:
        ran = nbformat.reads(result.autograded_notebook.decode("utf-8"), as_version=4)
    except Exception:  # an unreadable copy: nothing a person could read to grade
        return {}
    return written_answers(ran, release)


def _write_csvs(store, course: Course) -> float:
    """Rewrite grades.csv and scores.csv from the gradebook; returns the seconds it took."""
    start = time.monotonic()
    write_grades(course.grades_csv, store.grade_rows())
    write_scores(course.scores_csv, store.test_scores())
    return time.monotonic() - start


def next_csv_refresh_s(last_rewrite_s: float) -> float:
    """Seconds to wait before the next rewrite of the CSV files."""
    return max(CSV_REFRESH_S, CSV_REFRESH_RATIO * last_rewrite_s)


def _message_page(aid: str, row: GradeRow) -> str:
    import html

    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(aid)}: "
            f"{html.escape(row.student)}</title></head><body><h1>{html.escape(aid)}: {html.escape(row.student)}</h1>"
            f"<p>Score: {row.score:g} of {row.max_score:g} ({html.escape(row.status)})</p>"
            f"<p>{html.escape(row.message)}</p></body></html>\n")


def _save_files(course: Course, result: TaskResult) -> None:
    """The autograded notebook, for the instructor (the feedback page is written after
    the row, from what was recorded)."""
    if result.autograded_notebook is not None:
        target = course.autograded(result.student)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(result.autograded_notebook)


def _append_timings(course: Course, results: list[TaskResult], recorded_s: float) -> None:
    """A row of ``timings.csv`` for each result: where the task's time went, and the
    recording's (its batch's time, shared out)."""
    import dataclasses

    append_timings(course.timings_csv, [{"student": r.student, "assignment": course.aid, "worker": r.worker,
                                         **dataclasses.asdict(r.timings), "recorded": recorded_s} for r in results])


def _capped(batches, size: int):
    """``batches`` (lists) with each split into lists of at most ``size``."""
    for batch in batches:
        for i in range(0, len(batch), size):
            yield batch[i:i + size]


def _write_feedback(course: Course, row: GradeRow, html_page: str | None) -> None:
    target = course.feedback / f"{row.student}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".html.{os.getpid()}.tmp")
    tmp.write_text(html_page if html_page else _message_page(course.aid, row), encoding="utf-8")
    tmp.replace(target)


def _restore_feedback(store, course: Course, students: list[str]) -> None:
    """Write again, from the gradebook, the feedback pages of skipped students that are
    missing from the folder (a run killed before writing them, another ``--out``)."""
    missing = {s for s in students if not (course.feedback / f"{s}.html").is_file()}
    if not missing:
        return
    for row in store.grade_rows():
        if row.assignment == course.aid and row.student in missing:
            _write_feedback(course, row, store.feedback_html(course.aid, row.student))


def _sandbox_check(opts: Options, reports) -> None:
    """Say which protections the workers have; refuse an existing cluster's unsandboxed
    workers unless allowed.

    Raises
    ------
    ValueError
        When a worker of ``--scheduler`` lacks the fence and ``--allow-unsandboxed`` was not given.
    """
    kinds = sorted({r.sandbox for r in reports})
    print(f"workers: {len(reports)} ({', '.join(f'{r.address} on {r.host}: {r.sandbox}' for r in reports)})",
          file=sys.stderr)
    weak = [r for r in reports if r.missing]
    if not weak:
        print(f"sandbox: {', '.join(kinds)}; protected: {', '.join(reports[0].protections)}.", file=sys.stderr)
        return
    missing = sorted({m for r in weak for m in r.missing})
    if opts.scheduler and not opts.allow_unsandboxed:
        raise ValueError(
            f"{len(weak)} worker(s) of {opts.scheduler} lack the sandbox ({', '.join(r.address for r in weak)}: "
            f"not protected: {', '.join(missing)}). Install bubblewrap with user namespaces on them, or pass "
            "--allow-unsandboxed to grade there anyway.")
    print(f"sandbox: {', '.join(kinds)}\nWARNING: NOT protected: {', '.join(missing)}. Student code can reach "
          "these with the grader's rights; install bubblewrap (apt-get install -y bubblewrap) to close this.",
          file=sys.stderr)


def kernels_line(fresh_kernels: bool, reports) -> str:
    """``kernels: warm ...`` or ``kernels: fresh ...``: which kernels the workers start, and why."""
    from nncourse.grading.task.warm import FORK_SAFE_BACKENDS, kernels_mode

    if fresh_kernels:
        return "kernels: fresh (--fresh-kernels): each kernel starts a new interpreter."
    modes = {}
    for r in reports:
        mode = kernels_mode(r.backend, False, r.fence_enterable)
        modes.setdefault((mode, r.backend, r.fence_enterable), []).append(r.address)
    parts = []
    for (mode, backend, enterable), addresses in sorted(modes.items()):
        which = "" if len(modes) == 1 else f" on {', '.join(addresses)}"
        if mode == "warm":
            parts.append(f"warm{which}: forked from a server that has imported Keras ({backend}) and nnlib")
        elif backend not in FORK_SAFE_BACKENDS:
            parts.append(f"fresh{which}: forking is not proven safe on Keras' {backend} backend "
                         f"(proven: {', '.join(FORK_SAFE_BACKENDS)})")
        else:
            parts.append(f"fresh{which}: a forked kernel cannot enter the sandbox's namespaces as this user "
                         "(unprivileged bubblewrap); workers run by root get warm kernels")
    return "kernels: " + "; ".join(parts) + "."


def _executor(opts: Options):
    """A Dask client, or none when task files are written or read instead."""
    from contextlib import nullcontext

    from nncourse.grading.client import cluster

    if opts.tasks_to is not None or opts.results_from is not None:
        return nullcontext(None)
    return cluster.open_client(opts.scheduler, opts.jobs)


def task_file_name(student: str, kind: str) -> str:
    """``<student>.task.json`` or ``<student>.result.json``."""
    return f"{student}.{kind}.json"


def _write_task_files(folder: Path, todo: list[TaskInput], skipped: int, db_url: str) -> RunSummary:
    from nncourse.grading.task.task import dump

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for task in todo:
        dump(task, folder / task_file_name(task.student, "task"))
    print(f"wrote {len(todo)} task(s) to {folder}/: run `nncourse grade-task IN OUT` on each "
          f"(OUT named <student>.result.json), then record them with --results-from", file=sys.stderr)
    return RunSummary((), skipped, db_url)


def _read_result_files(folder: Path, todo: list[TaskInput]):
    """Yield one list of ``(task, result)``, for every task whose result file is in ``folder``
    (the others are listed and left for a later run)."""
    from nncourse.grading.task.task import TaskResult as Result
    from nncourse.grading.task.task import load

    missing, found = [], []
    for task in todo:
        path = Path(folder) / task_file_name(task.student, "result")
        result = load(path) if path.is_file() else None
        if not isinstance(result, Result) or result.student != task.student:
            missing.append(task.student)
            continue
        found.append((task, result))
    if missing:
        print(f"no result file yet for {len(missing)} student(s): {', '.join(missing)}", file=sys.stderr)
    yield found


def grade_class(opts: Options) -> RunSummary:
    """Grade every submission (or ``opts.students``), record each result as it completes,
    and write ``grades.csv``/``scores.csv`` from the gradebook.

    Raises
    ------
    ValueError
        Unknown assignment, unreadable SUBMISSIONS, unknown students, an unusable
        gradebook URL, an unreachable scheduler, or unsandboxed workers not allowed.
    """
    from nncourse.grading.client import cluster
    from nncourse.grading.gradebook.store import GradebookStore, describe_url

    layout.check_assignments(opts.repo, [opts.aid])
    course = Course(opts.out, opts.aid, opts.repo)
    src = Path(opts.submissions).resolve()
    if src == course.out or course.out in src.parents or src in course.out.parents:
        raise ValueError("--out must not be inside SUBMISSIONS (nor the other way round): the input stays untouched")
    course.root.mkdir(parents=True, exist_ok=True)
    subs = intake.collect(src, opts.aid, course.root / "intake", opts.pattern)
    if opts.students:
        known = {s.student for s in subs}
        unknown = [s for s in opts.students if s not in known]
        if unknown:
            raise ValueError(f"no submission of student(s) {', '.join(map(repr, unknown))} in {opts.submissions}")
        subs = [s for s in subs if s.student in set(opts.students)]
    db_url = opts.db_url or course.default_db_url()
    assignment = course.prepare()
    with GradebookStore(db_url) as store:
        store.ensure_assignment(opts.aid, layout.sqlite_url(course.template))
        print(f"gradebook: {describe_url(db_url)}", file=sys.stderr)
        with _executor(opts) as client:
            reports = cluster.worker_reports(client) if client is not None else []
            if reports:
                _sandbox_check(opts, reports)
                print(kernels_line(opts.fresh_kernels, reports), file=sys.stderr)
            threads = cluster.threads_per_task(reports) if reports else 1
            limits = Limits(cell_timeout_s=opts.timeout, notebook_timeout_s=opts.total_timeout,
                            memory_bytes=opts.memory, threads=threads, show_hidden=opts.show_hidden,
                            require_sandbox=bool(opts.scheduler) and not opts.allow_unsandboxed,
                            fresh_kernels=opts.fresh_kernels)
            tasks = build_tasks(subs, assignment, limits)
            keys = {t.student: t.key() for t in tasks}
            stored = store.stored_keys(opts.aid)
            todo = [t for t in tasks if opts.force or stored.get(t.student) is None
                    or stored[t.student].key != keys[t.student] or stored[t.student].status == Status.ERROR.value]
            skipped = len(tasks) - len(todo)
            if skipped:
                print(f"skipped {skipped} submission(s) already graded with the same input (--force grades "
                      "them again)", file=sys.stderr)
                todo_students = {t.student for t in todo}
                _restore_feedback(store, course, [t.student for t in tasks if t.student not in todo_students])
            by_student = {s.student: s for s in subs}
            progress = Progress(len(todo))
            recorded: list[GradeRow] = []
            last_csv, wait_csv = time.monotonic(), CSV_REFRESH_S
            if opts.tasks_to is not None:
                return _write_task_files(opts.tasks_to, todo, skipped, db_url)
            batches = (_read_result_files(opts.results_from, todo) if opts.results_from is not None
                       else cluster.run_task_batches(client, assignment, todo))
            import nbformat

            release = nbformat.read(course.release_notebook(), as_version=4)
            rule = str(opts.late_penalty) if opts.due is not None and opts.late_penalty is not None else None
            for batch in _capped(batches, RECORD_BATCH):
                started = time.monotonic()
                recordings = []
                for task, result in batch:
                    _save_files(course, result)
                    recordings.append(Recording(keys[task.student], result,
                                                *_late(opts, by_student[task.student], result),
                                                late_rule=rule, answers=_answers(release, result)))
                rows = store.record_all(opts.aid, recordings)
                for (_task, result), row in zip(batch, rows):
                    _write_feedback(course, row, result.feedback_html)
                _append_timings(course, [result for _task, result in batch], (time.monotonic() - started) / len(batch))
                recorded.extend(rows)
                for row in rows:
                    progress.update(failed=row.status != Status.OK.value)
                if time.monotonic() - last_csv > wait_csv:
                    wait_csv = next_csv_refresh_s(_write_csvs(store, course))
                    last_csv = time.monotonic()
        from nncourse.grading.client import manual

        manual.write_formgrader_config(course.out, db_url)
        rendered = manual.refresh(store, course.out, course.repo)  # hand grades kept or given since: pages and CSVs
        if rendered:
            print(f"feedback: {len(rendered)} page(s) written again with their hand grades", file=sys.stderr)
        manual.report(store)
    return RunSummary(tuple(sorted(recorded, key=lambda r: r.student)), skipped, db_url)
