"""Written answers graded by hand, through the grading file (``nncourse manual OUT --export
FILE`` / ``--import FILE``), on a class of three graded by ``nncourse grade``: what is left
to grade, the export that waits for it (``--partial``), the hand grades in ``grades.csv``,
the feedback page and the export, and a regrade that keeps the hand grade of an unchanged
answer and drops that of a changed one."""

from __future__ import annotations

import copy
import csv
import html
import sys

import nbformat
import pytest

from nncourse.grading.task.notebooks import autograded_points, written_answer_ids, written_points
from tests.course_tools import ROOT, cell_index, run
from tests.grading.crafted_class import AID, GROUP, grade, read_grades, solution, student_version, write

pytestmark = [pytest.mark.grading, GROUP]

#: Each grading of the small class, with the limits every run of it uses (part of the key).
LIMITS = ["--timeout", 60, "--jobs", 1, "--memory", "4G"]


def nncourse(*args):
    """``nncourse ARGS...`` in a subprocess (never raises on its exit code)."""
    return run([sys.executable, "-m", "nncourse.cli", *map(str, args)], ROOT, timeout=600)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def small_class(tmp_path_factory):
    """ada and bob hand in the solution (bob's first written answer in his own words), cy
    the untouched release; graded once."""
    base = tmp_path_factory.mktemp("manual")
    subs, out = base / "submissions", base / "out"
    sol = solution()
    write(sol, subs / "ada" / f"{AID}.ipynb")
    bob = copy.deepcopy(sol)
    first = written_answer_ids(sol)[0]
    bob.cells[cell_index(bob, first)].source = "A threshold unit has no slope: nothing to follow downhill."
    write(bob, subs / "bob" / f"{AID}.ipynb")
    write(student_version(), subs / "cy" / f"{AID}.ipynb")
    proc = grade([subs, "--out", out, *LIMITS])
    assert proc.returncode == 0, proc.stderr[-3000:]
    return dict(subs=subs, out=out, proc=proc, base=base)


def test_written_answers_wait_for_a_person_and_count_in_the_total(small_class):
    nb = solution()
    written = written_answer_ids(nb)
    rows = read_grades(small_class["out"])
    for student in ("ada", "bob"):
        row = rows[student]
        assert int(row["to_grade"]) == len(written), f"{student}: expected {len(written)} to grade, got {row}"
        assert float(row["max_score"]) == autograded_points(nb) + written_points(nb), row
        assert float(row["auto_score"]) == autograded_points(nb) == float(row["score"]), row
        assert float(row["manual_score"]) == 0, row
    # the release's text is no answer: nbgrader's 0, nothing for a person to grade
    assert rows["cy"]["to_grade"] == "0", rows["cy"]
    assert f"{len(written) * 2} of {len(written) * 3} written answer(s) still to grade" in small_class["proc"].stderr, \
        small_class["proc"].stderr[-2000:]
    proc = nncourse("manual", small_class["out"])
    assert proc.returncode == 1, f"expected exit 1 while answers are left to grade, got {proc.returncode}: {proc.stdout}"
    assert "still to grade" in proc.stdout, proc.stdout


def test_grading_file_round_trip_reaches_grades_feedback_and_export(small_class):
    out, base = small_class["out"], small_class["base"]
    nb = solution()
    written = written_answer_ids(nb)
    # before: the export leaves ada and bob out (exit 1), and --partial writes what is given so far
    export = base / "grades_wide.csv"
    proc = nncourse("export", out, "--format", "csv", "--output", export)
    assert proc.returncode == 1, f"expected exit 1, got {proc.returncode}: {proc.stdout}{proc.stderr}"
    assert "left out: ada's 01_neuron, 3 written answer(s) still to grade" in proc.stderr, proc.stderr
    assert {r["student"] for r in read_csv(export)} == {"cy"}, read_csv(export)
    proc = nncourse("export", out, "--format", "csv", "--output", export, "--partial")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "partial: ada's 01_neuron written with 12 of 19 points" in proc.stderr, proc.stderr

    sheet = base / "to_grade.csv"
    proc = nncourse("manual", out, "--export", sheet)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    rows = read_csv(sheet)
    mine = [r for r in rows if r["student"] == "ada"]
    assert [r["question"] for r in mine] == list(written), mine
    assert all(r["score"] == "" and r["answer"].strip() for r in mine), mine
    cy = [r for r in rows if r["student"] == "cy"]
    assert all(r["score"] == "0" and r["comment"] == "No response." for r in cy), cy
    given = {}
    for r in mine:  # full marks less one point, and a comment each
        r["score"] = str(float(r["max_score"]) - 1)
        r["comment"] = f"Good; be precise about {r['question']}."
        given[r["question"]] = float(r["score"])
    with open(sheet, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    proc = nncourse("manual", out, "--import", sheet)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # bob's are still to grade
    assert f"recorded {len(written)} hand grade(s)" in proc.stdout, proc.stdout

    ada = read_grades(out)["ada"]
    manual = sum(given.values())
    assert float(ada["manual_score"]) == manual and ada["to_grade"] == "0", ada
    assert float(ada["score"]) == float(ada["auto_score"]) + manual, ada
    page = html.unescape((out / "feedback" / AID / "ada.html").read_text(encoding="utf-8"))
    for question in written:
        assert f"Good; be precise about {question}." in page, f"the feedback page lacks the comment on {question}"
    assert "BEGIN HIDDEN TESTS" not in page
    proc = nncourse("export", out, "--format", "csv", "--output", export)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # bob still left out
    scores = {r["student"]: r[AID] for r in read_csv(export)}
    assert float(scores["ada"]) == float(ada["score"]), (scores, ada)
    assert "bob" not in scores, scores

    # a grading file with a bad row records nothing
    bad = base / "bad.csv"
    bad.write_text("assignment,student,question,score,comment\n"
                   f"{AID},bob,{written[0]},1,fine\n{AID},bob,{written[1]},99,too many\n", encoding="utf-8")
    proc = nncourse("manual", out, "--import", bad)
    assert proc.returncode == 2 and "nothing was recorded" in proc.stderr, proc.stdout + proc.stderr
    assert read_grades(out)["bob"]["to_grade"] == str(len(written)), read_grades(out)["bob"]


def test_a_regrade_keeps_hand_grades_of_unchanged_answers_only(small_class):
    out, subs = small_class["out"], small_class["subs"]
    written = written_answer_ids(solution())
    before = read_grades(out)["ada"]
    assert before["to_grade"] == "0", "the round trip above graded ada's written answers"
    proc = grade([subs, "--out", out, "--student", "ada", "--force", *LIMITS])
    assert proc.returncode == 0, proc.stderr[-3000:]
    again = read_grades(out)["ada"]
    assert (again["score"], again["manual_score"], again["to_grade"]) == \
        (before["score"], before["manual_score"], "0"), (before, again)
    # ada rewrites one answer: only that one's hand grade goes
    nb = nbformat.read(subs / "ada" / f"{AID}.ipynb", as_version=4)
    nb.cells[cell_index(nb, written[-1])].source += "\n\nOn second thought, also the margin."
    write(nb, subs / "ada" / f"{AID}.ipynb")
    proc = grade([subs, "--out", out, "--student", "ada", *LIMITS])
    assert proc.returncode == 0, proc.stderr[-3000:]
    changed = read_grades(out)["ada"]
    assert changed["to_grade"] == "1", changed
    assert written[-1] in changed["message"] and "to grade again" in changed["message"], changed["message"]
    assert float(changed["manual_score"]) < float(before["manual_score"]), (before, changed)
