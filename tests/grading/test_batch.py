"""``nncourse grade`` on the crafted class (runner, statuses, records): one row per student
with the status and score of its case, the gradebook, the progress bar, the untouched
input folder, and regrading one student."""

from __future__ import annotations

import pytest

from nncourse.grading.task.notebooks import written_points
from tests.grading.crafted_class import (AID, FULL, GROUP, NOTEBOOK_CAP, TIMEOUT, grade, grade_assignment,
                                         read_grades, solution, tree_digest)

pytestmark = [pytest.mark.grading, GROUP]


def test_batch_completes_with_a_row_per_student(graded):
    proc = graded["proc"]
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = read_grades(graded["out"])
    assert set(rows) == set(graded["expect"])
    header = (graded["out"] / "grades.csv").read_text().splitlines()[0]
    assert header == ("student,assignment,score,max_score,status,late_minutes,late_penalty,lost_points_in,"
                      "seconds,message,auto_score,manual_score,to_grade"), header
    total = FULL + written_points(solution())  # the tests' points and the written answers'
    for row in rows.values():
        assert float(row["max_score"]) == total, f"expected max_score {total}, got {row}"
        assert float(row["manual_score"]) == 0, f"nothing is graded by hand yet: {row}"
        assert row["message"].strip()


@pytest.mark.parametrize("student", ["good", "stub", "loop", "stubborn", "crash", "spam", "tamper", "cheat",
                                     "hog", "snoop", "trunc", "badenc", "notnb", "extra", "twofiles", "empty"])
def test_each_case_gets_its_status_and_score(graded, student):
    row, want = read_grades(graded["out"])[student], graded["expect"][student]
    assert row["status"] == want["status"], row
    assert float(row["score"]) == want["score"], row
    if "message" in want:
        assert want["message"] in row["message"], row


def test_input_folder_untouched(graded):
    assert tree_digest(graded["subs"]) == graded["before"]


def test_progress_bar_and_sandbox_notice_on_stderr(graded):
    err = graded["proc"].stderr
    assert err.startswith("gradebook: sqlite:///"), err[:500]
    assert "\nsandbox: bwrap" in err or "\nsandbox: unshare" in err or "\nsandbox: none" in err, err[:1000]
    assert f"{len(graded['expect'])}/{len(graded['expect'])} done" in err
    assert "failed" in err and "left" in err


def test_gradebook_holds_every_student(graded):
    """The gradebook holds each student's autograded score; the written answers that were
    answered wait for a person (nbgrader's flag: needs manual grading); those left as
    released, or in no notebook that ran, are nbgrader's 0 ("No response.")."""
    from nbgrader.api import Gradebook

    from nncourse.grading.task.notebooks import written_answer_ids

    written = set(written_answer_ids(solution()))
    assert written, f"{AID} has written answers graded by hand"
    rows = read_grades(graded["out"])
    # the solution's answers, or (cheat) "pass" in place of each: answered, in a notebook that ran
    answered = {"good", "spam", "tamper", "snoop", "loop", "stubborn", "crash", "cheat"}
    unanswered = {"stub", "trunc", "badenc", "notnb", "extra", "twofiles", "empty"}
    with Gradebook("sqlite:///" + str(graded["out"] / "gradebook.db")) as gb:
        for student in answered | unanswered:
            row = rows[student]
            sub = gb.find_submission(AID, student)
            assert sub.score == pytest.approx(float(row["score"])), student
            pending = {g.name for nb in sub.notebooks for g in nb.grades if g.needs_manual_grade}
            want = written if student in answered else set()
            assert pending == want, f"{student}: {sorted(pending)} need grading by hand, expected {sorted(want)}"
            assert int(row["to_grade"]) == len(want), f"{student}: expected to_grade {len(want)}, got {row}"
    assert "written answers are graded by hand" in rows["good"]["message"], rows["good"]["message"]


def test_scores_csv_holds_every_test_of_every_graded_student(graded):
    import csv

    with open(graded["out"] / "scores.csv", newline="") as fh:
        tests = [r for r in csv.DictReader(fh) if r["assignment"] == AID]
    rows = read_grades(graded["out"])
    for student in ("good", "stub", "loop", "crash"):
        mine = [t for t in tests if t["student"] == student]
        assert len(mine) == 8, f"expected the 8 graded tests of 01_neuron for {student}, got {len(mine)}: {mine}"
        total = sum(float(t["score"]) for t in mine)
        assert total == float(rows[student]["score"]), \
            f"{student}: per-test scores add up to {total}, grades.csv says {rows[student]['score']}"
        lost = sorted(t["grade_id"] for t in mine if float(t["score"]) < float(t["max_score"]))
        assert lost == sorted(rows[student]["lost_points_in"].split()), (lost, rows[student]["lost_points_in"])


def test_a_second_run_skips_what_is_graded_and_a_second_assignment_shares_the_folder(graded, tmp_path):
    out = graded["out"]
    before = read_grades(out)
    # the same limits as the class's run (they are part of what a result's key covers)
    proc = grade([graded["subs"], "--out", out, "--student", "good", "--student", "empty", "--timeout", TIMEOUT,
                  "--notebook-timeout", NOTEBOOK_CAP, "--memory", "2G"])
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "skipped 2 submission(s) already graded" in proc.stderr, proc.stderr[-2000:]
    assert read_grades(out) == before
    # another assignment into the same folder: its own rows and feedback, 01's untouched
    other = tmp_path / "mlp"
    (other / "empty").mkdir(parents=True)
    proc = grade_assignment("02_mlp", [other, "--out", out])
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert read_grades(out) == before
    assert (out / "feedback" / "02_mlp" / "empty.html").is_file()
    assert "empty,02_mlp,0," in (out / "grades.csv").read_text()


def test_regrading_one_student_replaces_its_row_with_the_same_score(graded):
    out = graded["out"]
    before = read_grades(out)
    proc = grade([graded["subs"], "--out", out, "--student", "tamper", "--timeout", TIMEOUT,
                  "--notebook-timeout", NOTEBOOK_CAP, "--force"])
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "skipped" not in proc.stderr, proc.stderr[-2000:]
    after = read_grades(out)
    assert set(after) == set(before)
    assert after["tamper"]["score"] == before["tamper"]["score"] and after["tamper"]["status"] == "ok"
    assert {k: v for k, v in after.items() if k != "tamper"} == {k: v for k, v in before.items() if k != "tamper"}
    assert tree_digest(graded["subs"]) == graded["before"]
