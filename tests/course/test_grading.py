"""The nbgrader round trip of every assignment: generate the student version in a
temporary course, submit the solution, the untouched student version and every wrong
answer of ``tests/course/wrong_answers/<id>.py`` (and every right answer written another
way), autograde them in one run, and check the scores: full marks, zero, less than full on
the test cells each wrong answer targets and on no test of another exercise (tests are
independent), and full marks for the right answers."""

from __future__ import annotations

import os

import nbformat
import pytest

from tests.course_tools import (CourseSandbox, assignments, load_right_answers, load_wrong_answers, replace_answers,
                                solution_path, graded_cells_by_answer)

IDS = assignments()
#: ``NNCOURSE_ROUND_TRIP=short`` grades only the solution (CI's second backend: the
#: untouched version and the wrong answers fail in NumPy code, checked once on TensorFlow).
SHORT = os.environ.get("NNCOURSE_ROUND_TRIP", "full") == "short"


def _grade_all(aid, tmp_path):
    box = CourseSandbox(aid, tmp_path)
    student_nb = box.generate()
    solution = nbformat.read(solution_path(aid), as_version=4)
    wrong = [] if SHORT else load_wrong_answers(aid)
    right = [] if SHORT else load_right_answers(aid)
    box.submit("solution", solution)
    if not SHORT:
        box.submit("stub", student_nb)
    for item in wrong:
        box.submit(f"wrong-{item['name']}", replace_answers(solution, item["replace"]))
    for item in right:
        box.submit(f"right-{item['name']}", replace_answers(solution, item["replace"]))
    box.autograde()
    return box, wrong, right


@pytest.mark.grading
@pytest.mark.parametrize("aid", IDS)
def test_round_trip(aid, tmp_path):
    box, wrong, right = _grade_all(aid, tmp_path)
    assert SHORT or len(wrong) >= 2, f"tests/course/wrong_answers/{aid}.py must hold at least two wrong answers"
    scores = box.scores()
    full = scores["solution"]
    lost = {gid: s for gid, s in full.items() if s[0] != s[1]}
    assert not lost, f"the solution loses points on {lost} (a test fails or writes to stderr)"
    errors = box.errors("solution")
    assert not errors, f"cells of the graded solution raise: {errors}"
    if SHORT:
        return
    total = sum(m for _, m in full.values())
    stub = sum(s for s, _ in scores["stub"].values())
    graded_by = graded_cells_by_answer(nbformat.read(solution_path(aid), as_version=4))
    assert stub == 0, f"the untouched student notebook scores {stub}: {scores['stub']}"
    for item in wrong:
        got = scores[f"wrong-{item['name']}"]
        assert sum(s for s, _ in got.values()) < total, f"wrong answer {item['name']} scores full marks"
        for gid in item["fails"]:
            score, max_score = got[gid]
            assert score < max_score, f"wrong answer {item['name']} passes {gid}"
        own = {gid for answer in item["replace"] for gid in graded_by[answer]}
        elsewhere = {gid: s for gid, s in got.items() if s[0] < s[1] and gid not in own}
        assert not elsewhere, (f"wrong answer {item['name']} (to {sorted(item['replace'])}) also loses points on "
                               f"{elsewhere}: those tests depend on another exercise's answer")
    for item in right:
        got = scores[f"right-{item['name']}"]
        lost = {gid: s for gid, s in got.items() if s[0] != s[1]}
        assert not lost, f"right answer {item['name']}, written another valid way, loses points on {lost}"
    # Grading is deterministic: the solution graded again gets the same scores (checked
    # on the first assignment; the others share the same configuration and kernel).
    if aid == IDS[0]:
        box.autograde("--student", "solution")
        assert box.scores()["solution"] == full
