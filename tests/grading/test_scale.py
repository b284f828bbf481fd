"""``nncourse grade`` with the real parts, started by these tests: a Dask cluster of
separate processes on loopback, a PostgreSQL server, and clients killed mid-run.

One class of 01_neuron, 14 students: four run a kernel (``good``: the solution, ``wrong``:
one plausible wrong answer, ``stub``: the untouched release under another name,
``crash``: a kernel that kills itself half-way) and ten never start one (invalid JSON,
UTF-16, not a notebook, a broken file next to an extra one, two notebooks, an empty
folder, and a second copy of four of these). The cases come from ``crafted_class.py``.

- the reference, and the resume with SQLite: ``--jobs 1`` into SQLite, the client's
  process group SIGKILLed after its first row, while a kernel runs, then the same command
  again: the graded rows skipped, every row once, nothing of the killed run left running.
  Its ``grades.csv`` is the reference of the other runs.
- a cluster: ``dask scheduler`` and two ``dask worker`` processes; the class graded through
  ``--scheduler`` while one worker is SIGKILLed as it runs a grading task (its grading
  subprocess seen, the task in its processing set on the scheduler): the task is graded
  again by another worker process and ``grades.csv`` equals the reference.
- PostgreSQL: Debian's server in a temporary folder on a Unix socket. Two runs grade the
  halves of the class at once into one database and one output folder; the first is
  SIGKILLed while its kernel runs and started again while the second still runs (their
  rows interleave in time). Then ``nbgrader export`` on that database gives the scores of
  ``grades.csv``, and the resume is checked as with SQLite.

Together they take about 3 minutes on 2 cores, most of it in 12 kernel runs and 3 cut
short (12-16 s each), the rest in the runs' start-up (5-13 s each, 9 runs).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests import services
from tests.course_tools import ROOT, kernel_env, load_wrong_answers, replace_answers
from tests.grading.crafted_class import AID, FULL, GROUP, NOTEBOOK_CAP, TIMEOUT, craft, read_grades, solution, write

pytestmark = [pytest.mark.grading, GROUP]

#: Students whose notebook runs in a kernel (a few: each costs about 15 s of a core).
KERNEL = ("crash", "good", "stub", "wrong")
#: Crafted cases that end before any kernel starts, and copies of some (a class of 14).
CHEAP = ("badenc", "empty", "extra", "notnb", "trunc", "twofiles")
COPIES = {"empty2": "empty", "notnb2": "notnb", "trunc2": "trunc", "twofiles2": "twofiles"}
STUDENTS = tuple(sorted(KERNEL + CHEAP + tuple(COPIES)))
#: What the rows of two runs must agree on (all but ``seconds``, the task's wall time).
COMPARED = ("student", "assignment", "score", "max_score", "status", "late_minutes", "late_penalty",
            "lost_points_in", "message")
#: Seconds the processes of a killed run (grading subprocesses and kernels included) may take to die.
DIE_S = 20.0
#: Seconds a run may take to record its first row and start a kernel.
WAIT_S = 600.0
GRADING_WORKER = "nncourse.grading.task.worker"


# --------------------------------------------------------------------------- helpers


def limits() -> list:
    """The limits of every run here (part of each result's key: a rerun must reuse them)."""
    return ["--timeout", TIMEOUT, "--notebook-timeout", NOTEBOOK_CAP, "--memory", "2G"]


def start_grade(subs: Path, out: Path, *args, log: Path) -> subprocess.Popen:
    """``nncourse grade 01_neuron SUBS --out OUT ARGS...`` in a process group of its own
    (a test kills the client with all it started); its stdout and stderr go to ``LOG.out``
    and ``LOG.err``."""
    cmd = [sys.executable, "-m", "nncourse.cli", "grade", AID, str(subs), "--out", str(out), *map(str, args)]
    with open(log.with_suffix(".out"), "wb") as stdout, open(log.with_suffix(".err"), "wb") as stderr:
        return subprocess.Popen(cmd, cwd=ROOT, env=kernel_env(), stdout=stdout, stderr=stderr,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def finish(proc: subprocess.Popen, log: Path, timeout: float = 900) -> str:
    """Wait for a run started by :func:`start_grade`; returns its stderr (the test fails on
    a non-zero exit)."""
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    err = log.with_suffix(".err").read_text(errors="replace")
    assert proc.returncode == 0, f"nncourse grade exited {proc.returncode}:\n{err[-3000:]}"
    return err


def stop(procs) -> None:
    """SIGKILL the process groups of the runs still running (a test that failed midway)."""
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def comparable(out: Path) -> dict:
    """student -> the :data:`COMPARED` columns of ``OUT/grades.csv``."""
    return {s: {k: r[k] for k in COMPARED} for s, r in read_grades(out).items()}


def recorded_students(url: str):
    """A function that lists the students in the gradebook's result table at ``url`` (none
    while the table, or the SQLite file, does not exist yet), without writing to it."""
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")

        def students() -> set[str]:
            try:
                with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10) as conn:
                    return {r[0] for r in conn.execute("SELECT student FROM nncourse_results")}
            except sqlite3.OperationalError:  # no file or no table yet
                return set()
        return students

    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import ProgrammingError
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)

    def students() -> set[str]:
        try:
            with engine.connect() as conn:
                return set(conn.execute(text("SELECT student FROM nncourse_results")).scalars())
        except ProgrammingError:  # no table yet
            return set()
    return students


def result_rows(url: str) -> list[dict]:
    """Every row of the gradebook's result table (student, status, worker, recorded_at...)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(text(
                "SELECT assignment, student, status, score, worker, recorded_at FROM nncourse_results")).mappings()]
    finally:
        engine.dispose()


def assert_every_row_once(url: str, out: Path, students) -> None:
    """Each student exactly once in the result table, in nbgrader's submissions and in
    ``grades.csv``."""
    from nbgrader.api import Gradebook

    assert sorted(r["student"] for r in result_rows(url)) == sorted(students)
    with Gradebook(url) as gb:
        assert sorted(s.student_id for s in gb.assignment_submissions(AID)) == sorted(students)
    assert sorted(read_grades(out)) == sorted(students)


def running_task(grader) -> str | None:
    """The student whose task grading worker ``grader`` (a psutil process) is running, once
    its kernel's fence has started, else None. The worker works in the task's nbgrader
    course (``.../nbgrader``, one student in its ``submitted/``) while it grades; its fence
    (bubblewrap, or a fresh kernel) is a child of its own, beside the fork server."""
    try:
        cwd = Path(grader.cwd())
        started = [c for c in services.children(grader) if "forkserver" not in services.command_line(c)]
        students = [p.name for p in (cwd / "submitted").iterdir()] if cwd.name == "nbgrader" else []
    except (OSError, psutil.Error):
        return None
    return students[0] if started and len(students) == 1 else None


def kill_client_midway(proc: subprocess.Popen, recorded, students, log: Path) -> dict:
    """SIGKILL the client's process group once it has recorded at least one of ``students``
    and runs a kernel (a grading subprocess with a child), before its last row.

    Returns
    -------
    dict with ``students`` (those recorded at the kill), ``rows`` (how many), ``tree`` (the
    client and all it had started, as psutil processes) and ``graders`` (its grading
    subprocesses that ran a kernel).
    """
    # Dask runs one client's tasks in the order they were submitted (sorted by student): a
    # class that starts with a case without a kernel records a row, then runs a kernel
    deadline = time.monotonic() + WAIT_S
    while True:
        if proc.poll() is not None:
            pytest.fail(f"the run ended before it could be killed:\n{log.with_suffix('.err').read_text()[-3000:]}")
        assert time.monotonic() < deadline, "the run recorded no row, or ran no kernel, in time"
        if recorded() & set(students):
            tree = services.process_tree(proc.pid)  # the client, its Dask workers, their grading subprocesses
            graders = [p for p in tree if GRADING_WORKER in services.command_line(p) and running_task(p)]
            if graders:
                break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = recorded() & set(students)
    assert 1 <= len(done) < len(students), \
        f"killed after {len(done)} of {len(students)} rows: not between the first and the last"
    return dict(students=done, rows=len(done), tree=tree, graders=graders)


def check_resume(killed: dict, left: list, stderr: str) -> None:
    """What the run after a killed client must show: a kernel was running at the kill and
    nothing of the killed run is left; the rows recorded before the kill were skipped."""
    assert killed["graders"], "no kernel was running when the client was killed"
    assert not left, f"processes of the killed run still alive after {DIE_S:g} s:\n" + services.describe(left)
    assert f"skipped {killed['rows']} submission(s) already graded" in stderr, stderr[-2000:]


# --------------------------------------------------------------------------- the class and the reference


@pytest.fixture(scope="module")
def scale_class(tmp_path_factory) -> Path:
    """The 14 students' folders (see the module docstring), from ``crafted_class.craft``."""
    base = tmp_path_factory.mktemp("scale")
    staging, subs = base / "crafted", base / "submissions"
    craft(staging, base / "unused-out", port=9)  # its sandbox probe (snoop) is not used here
    subs.mkdir()
    for student in ("crash", "good", "stub") + CHEAP:
        shutil.copytree(staging / student, subs / student)
    for student, like in COPIES.items():
        shutil.copytree(staging / like, subs / student)
    shutil.rmtree(staging)
    # partly wrong: one plausible mistake, which costs one test
    mistake = next(w for w in load_wrong_answers(AID) if w["name"] == "threshold-strict-inequality")
    write(replace_answers(solution(), mistake["replace"]), subs / "wrong" / f"{AID}.ipynb")
    assert sorted(p.name for p in subs.iterdir()) == list(STUDENTS)
    return subs


@pytest.fixture(scope="module")
def reference(scale_class, tmp_path_factory) -> dict:
    """The class graded with ``--jobs 1`` into SQLite, the client killed between its first
    and last rows and run again (the SQLite resume, checked by its own test); its
    ``grades.csv`` is the reference of the other runs."""
    base = tmp_path_factory.mktemp("reference")
    out = base / "out"
    db_url = f"sqlite:///{out / 'gradebook.db'}"
    args = ["--jobs", 1, *limits()]
    proc = start_grade(scale_class, out, *args, log=base / "killed")
    try:
        killed = kill_client_midway(proc, recorded_students(db_url), STUDENTS, base / "killed")
    finally:
        stop([proc])
    left = services.wait_gone(killed["tree"], DIE_S)
    err = finish(start_grade(scale_class, out, *args, log=base / "again"), base / "again")
    return dict(out=out, db_url=db_url, killed=killed, left=left, stderr=err, rows=comparable(out))


def test_reference_rows(reference):
    """The ``--jobs 1`` run gives each case its status and score (the reference is right)."""
    want = {"good": ("ok", FULL), "wrong": ("ok", FULL - 1), "stub": ("ok", 0.0), "crash": ("kernel_died", 6.0),
            "badenc": ("invalid_notebook", 0.0), "trunc": ("invalid_notebook", 0.0),
            "notnb": ("invalid_notebook", 0.0), "extra": ("invalid_notebook", 0.0), "twofiles": ("ambiguous", 0.0),
            "empty": ("no_notebook", 0.0)}
    want.update({student: want[like] for student, like in COPIES.items()})
    rows = reference["rows"]
    assert {s: (r["status"], float(r["score"])) for s, r in rows.items()} == want
    assert rows["wrong"]["lost_points_in"] == "ex-01-threshold"


def test_resume_after_a_killed_client_sqlite(reference):
    check_resume(reference["killed"], reference["left"], reference["stderr"])
    assert_every_row_once(reference["db_url"], reference["out"], STUDENTS)


# --------------------------------------------------------------------------- a cluster of processes


def kill_a_worker_running_a_task(address: str, proc: subprocess.Popen, log: Path) -> dict:
    """SIGKILL a ``dask worker`` process while it runs a grading task: its grading
    subprocess runs, and the scheduler has that student's task in the worker's processing set.

    Returns
    -------
    dict with ``address``, ``pid``, ``student`` (of the task it was running) and ``tree``
    (the worker and its descendants just before the kill, as psutil processes).
    """
    from distributed import Client

    pids = services.worker_pids(address)
    deadline = time.monotonic() + WAIT_S
    with Client(address, timeout="60s") as client:
        while True:
            if proc.poll() is not None:
                pytest.fail("the run ended before a worker could be killed mid-task:\n"
                            + log.with_suffix(".err").read_text()[-3000:])
            assert time.monotonic() < deadline, "no worker ran a grading task in time"
            for addr, pid in pids.items():
                tree = services.process_tree(pid)
                graders = [p for p in tree[1:] if GRADING_WORKER in services.command_line(p)]
                student = running_task(graders[0]) if graders else None
                if student is None:
                    continue
                keys = client.processing(workers=[addr]).get(addr, [])
                if not any(str(k).startswith(f"grade-{AID}-{student}-") for k in keys):
                    continue
                os.kill(pid, signal.SIGKILL)
                return dict(address=addr, pid=pid, student=student, tree=tree)
            time.sleep(0.1)


def test_a_grading_worker_whose_parent_died_before_it_started_exits_at_once(tmp_path):
    """A Dask worker killed while its grading worker is still starting leaves that worker
    to init before it can note its parent: its command line names the parent instead."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    spec = tmp_path / "spec.json"
    result = tmp_path / "result.json"
    spec.write_text(json.dumps({"root": str(tmp_path / "nbgrader"), "aid": AID, "student": "nobody",
                                "db": str(tmp_path / "gradebook.db"), "result": str(result)}))
    proc = subprocess.run([sys.executable, "-m", GRADING_WORKER, "--serve", str(gone.pid), "--folder", str(tmp_path)],
                          input=f"{spec}\n", capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 1, (proc.returncode, proc.stdout[-1000:], proc.stderr[-1000:])
    assert not result.exists(), "the worker graded on for nobody"


def test_cluster_of_processes_grades_as_jobs_1_despite_a_killed_worker(scale_class, reference, tmp_path):
    from nncourse.grading.task.sandbox import detect

    out, log = tmp_path / "out", tmp_path / "grade"
    # --scheduler refuses workers without the sandbox unless told; these workers are this machine
    sandbox = [] if detect().kind == "bwrap" else ["--allow-unsandboxed"]
    with services.dask_cluster(2, tmp_path / "cluster") as address:
        proc = start_grade(scale_class, out, "--scheduler", address, *sandbox, *limits(), log=log)
        try:
            killed = kill_a_worker_running_a_task(address, proc, log)
            left = services.wait_gone(killed["tree"], DIE_S)
            err = finish(proc, log)
        finally:
            stop([proc])
    assert not left, (f"processes of the killed worker (its grading subprocess, kernel) still alive after "
                      f"{DIE_S:g} s:\n" + services.describe(left))
    assert f"{len(STUDENTS)}/{len(STUDENTS)} done" in err, err[-2000:]
    assert comparable(out) == reference["rows"]
    # the task of the killed worker was graded again, by another worker process
    row = next(r for r in result_rows(f"sqlite:///{out / 'gradebook.db'}") if r["student"] == killed["student"])
    assert f":{killed['pid']} " not in row["worker"], (killed, row)


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    """A PostgreSQL server of the tests' own (skipped where Debian's package is missing)."""
    why = services.postgres_missing()
    if why:
        pytest.skip(why)
    with services.postgres_server(tmp_path_factory.mktemp("postgres")) as url:
        yield url


@pytest.fixture(scope="module")
def postgres_graded(scale_class, postgres, tmp_path_factory) -> dict:
    """The class graded into PostgreSQL by two runs at once, on halves of it, into one output
    folder: run ``a`` (the cheap cases and ``crash``) is SIGKILLed while its kernel runs and
    started again (``a2``) while ``b`` (the other three kernels) still runs. ``b`` grades
    with fresh kernels: the slower of the two, it outlasts ``a2``'s start (and a warm and a
    fresh run share one gradebook, whose rows must equal the reference's)."""
    base = tmp_path_factory.mktemp("postgres-runs")
    url, out = postgres, base / "out"
    halves = {"a": sorted(set(CHEAP) | {"crash"}), "b": sorted({"good", "stub", "wrong"} | set(COPIES))}
    assert sorted(halves["a"] + halves["b"]) == list(STUDENTS)
    args = {}
    for name, students in halves.items():
        (base / f"{name}.txt").write_text("\n".join(students) + "\n")
        args[name] = ["--db", url, "--student", f"@{base / f'{name}.txt'}", "--jobs", 1, *limits(),
                      *(["--fresh-kernels"] if name == "b" else [])]
    procs = {name: start_grade(scale_class, out, *args[name], log=base / name) for name in halves}
    try:
        killed = kill_client_midway(procs["a"], recorded_students(url), halves["a"], base / "a")
        left = services.wait_gone(killed["tree"], DIE_S)
        procs["a2"] = start_grade(scale_class, out, *args["a"], log=base / "a2")
        errs = {name: finish(procs[name], base / name) for name in ("a2", "b")}
    finally:
        stop(procs.values())
    return dict(url=url, out=out, halves=halves, killed=killed, left=left, errs=errs, rows=result_rows(url))


def read_export(path: Path) -> dict:
    """student -> row of the CSV ``nbgrader export`` wrote (01_neuron)."""
    with open(path, newline="") as fh:
        return {r["student_id"]: r for r in csv.DictReader(fh) if r["assignment"] == AID}


def test_postgres_two_overlapping_runs_then_nbgrader_export(postgres_graded, reference, tmp_path):
    g = postgres_graded
    url, out, errs, halves = g["url"], g["out"], g["errs"], g["halves"]
    for err in errs.values():
        assert err.startswith("gradebook: postgresql+psycopg://"), err[:500]
    assert f"{len(halves['b'])}/{len(halves['b'])} done" in errs["b"], errs["b"][-2000:]
    # they overlapped: the second run of half a recorded rows while b was between its first and last
    a2 = [r["recorded_at"] for r in g["rows"] if r["student"] in set(halves["a"]) - g["killed"]["students"]]
    b = [r["recorded_at"] for r in g["rows"] if r["student"] in halves["b"]]
    assert a2 and b
    assert max(min(a2), min(b)) < min(max(a2), max(b)), \
        f"the runs did not overlap: a2 recorded {min(a2)}..{max(a2)}, b {min(b)}..{max(b)}"
    assert_every_row_once(url, out, STUDENTS)
    assert comparable(out) == reference["rows"]
    # nbgrader's own export, run as an instructor would against that database
    export = tmp_path / "export.csv"
    proc = subprocess.run([sys.executable, "-m", "nbgrader", "export", f"--CourseDirectory.db_url={url}",
                           f"--to={export}"], cwd=out / "nbgrader", env=kernel_env(), capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    exported, grades = read_export(export), read_grades(out)
    assert set(exported) == set(grades) == set(STUDENTS)
    # both totals count the written answers' points; none is graded by hand yet
    for student, row in grades.items():
        assert float(exported[student]["score"]) == pytest.approx(float(row["score"])), (student, exported[student])
        assert float(exported[student]["max_score"]) == pytest.approx(float(row["max_score"])), \
            (student, exported[student]["max_score"], row["max_score"])
        assert float(row["manual_score"]) == 0, row


def test_resume_after_a_killed_client_postgres(postgres_graded):
    g = postgres_graded
    check_resume(g["killed"], g["left"], g["errs"]["a2"])
    assert_every_row_once(g["url"], g["out"], STUDENTS)
