"""Grading through nbgrader's exchange (JupyterHub's path), with the commands an instructor
and students type, on one machine: ``nncourse grade`` reads what ``nbgrader collect``
gathered, and ``nncourse release-feedback`` sends the pages back through ``nbgrader
release_feedback`` (:mod:`nncourse.grading.client.exchange_feedback`).

One round, in a temporary course root (``nbgrader_config.py``, ``solutions/01_neuron``,
``course/01_neuron`` as released) whose state folder is ``NNCOURSE_STATE``, a temporary
folder: ``nbgrader release_assignment``; two students, each in a home of their own (their
own nbgrader cache), ``fetch_assignment`` and ``submit``: alice with every exercise
answered as the solution answers it, bob a second or so later with the release untouched;
``nbgrader collect``; ``nncourse grade`` with a due date between the two hand-ins;
``nncourse release-feedback``; each student's ``nbgrader fetch_feedback``; then
``nncourse feedback --after-due`` and ``nncourse release-feedback --after-due`` (run from the
course root), and alice fetches again.

This machine has one login, and nbgrader names a student by their login
(``nbgrader.utils.get_username`` reads the process's user id in the password database,
not ``$USER``): each student hands in with nbgrader's own ``--student`` option, as
``nbgrader submit --help`` describes for such set-ups. ``USER``, ``LOGNAME`` and ``HOME`` are
theirs all the same.

The fast tests at the end check the command's refusals and the plan of what goes where,
without running nbgrader.
"""

from __future__ import annotations

import csv
import html
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import nbformat
import pytest

from nncourse import layout
from nncourse.grading.client.late import parse_submission_time
from nncourse.grading.task.notebooks import autograded_points
from tests.course_tools import ROOT, answered_as_the_solution, hidden_test_lines, kernel_env, run, solution_path
from tests.grading.crafted_class import GROUP

pytestmark = pytest.mark.grading

AID = "01_neuron"
#: alice hands in the solution's answers, bob the untouched release, after the due date.
STUDENTS = ("alice", "bob")
#: The most seconds one command of the round may take on a loaded machine.
COMMAND_TIMEOUT_S = 600
#: Variables that would move a student's nbgrader cache or configuration out of their home,
#: or the course's exchange away from its state folder (``nncourse hub`` sets one).
MOVED_BY = ("JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "XDG_DATA_HOME", "JUPYTER_CONFIG_PATH", "NNCOURSE_EXCHANGE")


def make_course_root(dest: Path) -> Path:
    """A course root with what nbgrader and ``nncourse grade`` need for :data:`AID`."""
    dest.mkdir(parents=True)
    shutil.copy2(ROOT / "nbgrader_config.py", dest / "nbgrader_config.py")
    for folder in (layout.SOLUTIONS_DIR, layout.RELEASE_DIR):
        shutil.copytree(ROOT / folder / AID, dest / folder / AID)
    return dest


def without(env: dict, names) -> dict:
    """``env`` less ``names``."""
    return {k: v for k, v in env.items() if k not in names}


def checked(proc: subprocess.CompletedProcess, what: str) -> subprocess.CompletedProcess:
    """``proc``, once its exit code is 0."""
    assert proc.returncode == 0, (f"expected `{what}` to exit 0, got {proc.returncode}:\n"
                                  f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


@pytest.fixture(scope="module")
def exchange_round(tmp_path_factory) -> dict:
    """The course after one round through the exchange (see the module docstring)."""
    base = tmp_path_factory.mktemp("exchange")
    root = make_course_root(base / "course")
    state = base / "state"
    instructor_env = without(kernel_env(NNCOURSE_STATE=str(state)), MOVED_BY)
    exchange = state / layout.EXCHANGE_DIR

    def nbgrader(*args: str, cwd: Path = root, env: dict = instructor_env) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "nbgrader", *args]
        return checked(run(cmd, cwd, env, timeout=COMMAND_TIMEOUT_S), f"nbgrader {' '.join(args)}")

    def nncourse(*args: str, cwd: Path = root) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "nncourse.cli", *args]
        return checked(run(cmd, cwd, instructor_env, timeout=COMMAND_TIMEOUT_S), f"nncourse {' '.join(args)}")

    homes = {s: base / "home" / s for s in STUDENTS}

    def as_student(student: str, *args: str) -> subprocess.CompletedProcess:
        home = homes[student]
        env = {**without(instructor_env, MOVED_BY + (layout.STATE_VARIABLE,)),
               "HOME": str(home), "USER": student, "LOGNAME": student}
        return nbgrader(*args, "--course", layout.COURSE_ID, f"--Exchange.root={exchange}", cwd=home, env=env)

    nbgrader("release_assignment", AID)
    for student in STUDENTS:
        homes[student].mkdir(parents=True)
        as_student(student, "fetch_assignment", AID)
    alice_notebook = homes["alice"] / AID / f"{AID}.ipynb"
    solution = nbformat.read(solution_path(AID), as_version=4)
    nbformat.write(answered_as_the_solution(nbformat.read(alice_notebook, as_version=4), solution), alice_notebook)
    for student in STUDENTS:  # alice first; bob's hand-in is a second or more later
        as_student(student, "submit", AID, "--student", student)
    nbgrader("collect", AID)

    submitted = state / "submitted"
    times = {s: parse_submission_time((submitted / s / AID / "timestamp.txt").read_text()) for s in STUDENTS}
    assert times["alice"] < times["bob"], f"expected alice's hand-in before bob's, got {times}"
    due = times["alice"] + (times["bob"] - times["alice"]) / 2
    out = base / "grading"
    nncourse("grade", AID, str(submitted), "--out", str(out), "--due", due.isoformat())
    nncourse("release-feedback", AID, "--out", str(out), "--course-root", str(root), cwd=base)
    fetched = {}
    for student in STUDENTS:
        as_student(student, "fetch_feedback", AID)
        fetched[student] = fetched_pages(homes[student])
    staged = {s: (state / "feedback" / s / AID / f"{AID}.html").read_bytes() for s in STUDENTS}

    # once the due date has passed: the second page, released in place of the first
    nncourse("feedback", str(out), "--after-due", "--due", due.isoformat(), "--assignment", AID)
    nncourse("release-feedback", AID, "--out", str(out), "--after-due", cwd=root)
    as_student("alice", "fetch_feedback", AID)
    return {"root": root, "state": state, "exchange": exchange, "out": out, "homes": homes, "times": times,
            "due": due, "solution": solution, "fetched": fetched, "staged": staged,
            "fetched_after_due": fetched_pages(homes["alice"])}


def fetched_pages(home: Path) -> dict[str, bytes]:
    """``path -> bytes`` of the feedback pages ``nbgrader fetch_feedback`` put in ``home``."""
    return {str(p.relative_to(home)): p.read_bytes() for p in sorted((home / AID / "feedback").glob(f"*/{AID}.html"))}


def read_grades(out: Path) -> dict[str, dict]:
    """``grades.csv``'s rows of :data:`AID`, by student."""
    with open(out / "grades.csv", newline="") as fh:
        return {row["student"]: row for row in csv.DictReader(fh) if row["assignment"] == AID}


@pytest.mark.slow
@GROUP
def test_grade_reads_the_collected_hand_ins_and_their_times(exchange_round):
    rows = read_grades(exchange_round["out"])
    assert set(rows) == set(STUDENTS), f"expected a row for each of {STUDENTS}, got {sorted(rows)}"
    tests_points = autograded_points(exchange_round["solution"])
    alice, bob = rows["alice"], rows["bob"]
    assert alice["status"] == "ok" and float(alice["auto_score"]) == tests_points, (
        f"expected alice ok with the tests' {tests_points:g} points, got {alice['status']} {alice['auto_score']}: "
        f"{alice['message']}")
    assert float(alice["late_minutes"]) == 0, f"expected alice on time, got late_minutes {alice['late_minutes']}"
    assert float(bob["auto_score"]) == 0, f"expected 0 for bob's untouched release, got {bob['auto_score']}"
    late = (exchange_round["times"]["bob"] - exchange_round["due"]) / timedelta(minutes=1)
    assert late > 0 and float(bob["late_minutes"]) == pytest.approx(late, rel=1e-3), (
        f"expected bob {late:.6f} minutes late (his timestamp.txt), got late_minutes {bob['late_minutes']}")


@pytest.mark.slow
@GROUP
def test_release_feedback_puts_each_page_where_nbgrader_releases_it(exchange_round):
    state, out = exchange_round["state"], exchange_round["out"]
    for student in STUDENTS:
        folder = state / "feedback" / student / AID
        found = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
        expected = [f"{AID}.html", "submission_secret.txt", "timestamp.txt"]
        assert found == expected, f"expected {expected} in {folder}, got {found}"
        for name in ("submission_secret.txt", "timestamp.txt"):
            hand_in = state / "submitted" / student / AID / name
            assert (folder / name).read_bytes() == hand_in.read_bytes(), f"expected {folder / name} to be {hand_in}"
        page = out / "feedback" / AID / f"{student}.html"
        assert exchange_round["staged"][student] == page.read_bytes(), f"expected {page} in {folder}"
    released = sorted((exchange_round["exchange"] / layout.COURSE_ID / "feedback").glob("*.html"))
    assert len(released) == len(STUDENTS), f"expected {len(STUDENTS)} pages in the exchange, got {released}"


@pytest.mark.slow
@GROUP
def test_each_student_fetches_their_own_page_and_no_hidden_test(exchange_round):
    hidden = hidden_test_lines(exchange_round["solution"])
    assert hidden, f"expected hidden tests in {solution_path(AID)}, found none"
    pages = {s: (exchange_round["out"] / "feedback" / AID / f"{s}.html").read_bytes() for s in STUDENTS}
    assert pages["alice"] != pages["bob"], "expected alice's and bob's pages to differ"
    for student in STUDENTS:
        fetched = exchange_round["fetched"][student]
        assert list(fetched.values()) == [pages[student]], (
            f"expected {student} to fetch their own page alone, got {sorted(fetched)} "
            f"({'their own' if pages[student] in fetched.values() else 'not their own'})")
        text = html.unescape(pages[student].decode("utf-8"))
        assert "BEGIN HIDDEN TESTS" not in text, f"expected no hidden-test marker on {student}'s page"
        leaked = sorted(line for line in hidden if line in text)
        assert not leaked, f"expected no hidden test on {student}'s page, found {leaked[:3]}"


@pytest.mark.slow
@GROUP
def test_after_due_page_is_released_in_place_of_the_first(exchange_round):
    after_due = (exchange_round["out"] / "feedback-after-due" / AID / "alice.html").read_bytes()
    fetched = exchange_round["fetched_after_due"]
    assert list(fetched) == list(exchange_round["fetched"]["alice"]), (
        f"expected the after-due page where alice's first page was, got {sorted(fetched)}")
    assert list(fetched.values()) == [after_due], "expected alice to fetch her after-due page the second time"
    shown = [line for line in hidden_test_lines(exchange_round["solution"]) if line in html.unescape(after_due.decode())]
    assert shown, "expected the after-due page to show the hidden tests"


# --- the command's refusals and its plan, without nbgrader -------------------------------------------------------


def _hand_in(submitted: Path, student: str, aid: str = AID, secret: bool = True) -> Path:
    """``submitted/<student>/<aid>/`` as ``nbgrader collect`` writes it."""
    folder = submitted / student / aid
    folder.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), folder / f"{aid}.ipynb")
    (folder / "timestamp.txt").write_text("2026-11-01 09:00:00.000000 UTC")
    if secret:
        (folder / "submission_secret.txt").write_text(f"secret-of-{student}")
    return folder


def test_plan_places_each_graded_hand_in_and_names_the_others(tmp_path):
    from nncourse.grading.client.exchange_feedback import NbgraderFolders, graded_pages, place, plan
    from nncourse.grading.client.intake import collect

    submitted, feedback, pages_dir = tmp_path / "submitted", tmp_path / "feedback", tmp_path / "pages"
    _hand_in(submitted, "alice")
    _hand_in(submitted, "carol", secret=False)  # put there by hand, not through the exchange
    _hand_in(submitted, "dave", aid="02_mlp")   # handed in another assignment only
    pages_dir.mkdir()
    for student in ("alice", "carol", "dave", "erin"):  # erin: graded from an LMS download
        (pages_dir / f"{student}.html").write_text(f"<p>{student}</p>")
    folders = NbgraderFolders(tmp_path, submitted, feedback)

    placements, skipped = plan(graded_pages(pages_dir), collect(submitted, AID, tmp_path / "w"), folders, AID)
    assert [p.student for p in placements] == ["alice"], f"expected alice's page alone placed, got {placements}"
    assert placements[0].target == feedback / "alice" / AID / f"{AID}.html", (
        f"expected the page named after the notebook graded, got {placements[0].target}")
    reasons = dict(skipped)
    assert sorted(reasons) == ["carol", "dave", "erin"], f"expected carol, dave and erin skipped, got {skipped}"
    assert "submission_secret.txt" in reasons["carol"], f"expected carol's missing secret named, got {reasons['carol']}"
    place(placements[0])
    written = sorted(p.name for p in (feedback / "alice" / AID).iterdir())
    assert written == [f"{AID}.html", "submission_secret.txt", "timestamp.txt"], f"expected the page and nbgrader's " \
        f"two files, got {written}"
    assert (feedback / "alice" / AID / "submission_secret.txt").read_text() == "secret-of-alice", \
        "expected alice's own submission secret beside her page"


def test_release_feedback_refuses_bad_input_with_exit_2(tmp_path, capsys, monkeypatch):
    from nncourse.cli import main

    root = make_course_root(tmp_path / "course")
    state, graded, empty = tmp_path / "state", tmp_path / "graded", tmp_path / "empty"
    monkeypatch.setenv(layout.STATE_VARIABLE, str(state))
    (graded / "feedback" / AID).mkdir(parents=True)
    (graded / "feedback" / AID / "alice.html").write_text("<p>alice</p>")
    empty.mkdir()

    def release(out: Path, *extra: str) -> list[str]:
        return ["release-feedback", AID, "--out", str(out), "--course-root", str(root), *extra]

    cases = [
        ("no such OUT", release(tmp_path / "missing")),
        ("nothing graded for the assignment", release(empty)),
        ("no after-due page", release(graded, "--after-due")),
        ("no nbgrader_config.py in the course root", release(graded)[:-2] + ["--course-root", str(tmp_path)]),
        ("nothing collected yet", release(graded)),
    ]
    for what, argv in cases:
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 2, f"{what}: expected exit 2, got {code}; stderr: {err[-500:]}"
        assert "nncourse release-feedback:" in err, f"{what}: expected a message on stderr, got {err!r}"

    _hand_in(state / "submitted", "bob")  # collected: bob only, who was not graded in OUT
    code = main(release(graded))
    err = capsys.readouterr().err
    assert code == 2, f"expected exit 2 when no graded student has a hand-in, got {code}; stderr: {err[-500:]}"
    assert "nothing released to alice" in err, f"expected alice named as left without a page, got {err!r}"
    assert not (state / "feedback").exists(), f"expected nothing placed in {state / 'feedback'}"
