"""``nncourse grade`` on the crafted class (runner, statuses, records): one row per student
with the status and score of its case, the gradebook, the progress bar, the untouched
input folder, and regrading one student."""

from __future__ import annotations

import pytest

from tests.grading.crafted_class import (AID, FULL, GROUP, NOTEBOOK_CAP, TIMEOUT, grade, read_grades,
                                         tree_digest)

pytestmark = [pytest.mark.grading, GROUP]


def test_batch_completes_with_a_row_per_student(graded):
    proc = graded["proc"]
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = read_grades(graded["out"])
    assert set(rows) == set(graded["expect"])
    header = (graded["out"] / "grades.csv").read_text().splitlines()[0]
    assert header == "student,score,max_score,status,message"
    for row in rows.values():
        assert float(row["max_score"]) == FULL
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
    assert err.startswith("sandbox: ")
    assert f"{len(graded['expect'])}/{len(graded['expect'])} done" in err
    assert "failed" in err and "left" in err


def test_gradebook_holds_every_student(graded):
    from nbgrader.api import Gradebook

    rows = read_grades(graded["out"])
    with Gradebook("sqlite:///" + str(graded["out"] / "gradebook.db")) as gb:
        for student, row in rows.items():
            sub = gb.find_submission(AID, student)
            assert sub.score == pytest.approx(float(row["score"])), student
            assert not sub.needs_manual_grade, student


def test_regrading_one_student_replaces_its_row_with_the_same_score(graded):
    out = graded["out"]
    before = read_grades(out)
    proc = grade([graded["subs"], "--out", out, "--student", "tamper", "--timeout", TIMEOUT,
                  "--notebook-timeout", NOTEBOOK_CAP])
    assert proc.returncode == 0, proc.stderr[-3000:]
    after = read_grades(out)
    assert set(after) == set(before)
    assert after["tamper"]["score"] == before["tamper"]["score"] and after["tamper"]["status"] == "ok"
    assert {k: v for k, v in after.items() if k != "tamper"} == {k: v for k, v in before.items() if k != "tamper"}
    assert tree_digest(graded["subs"]) == graded["before"]
