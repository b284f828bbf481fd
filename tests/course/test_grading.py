"""The nbgrader round trip of every assignment: generate the student version in a
temporary course, submit the solution, the untouched student version, every wrong answer
of ``tests/course/wrong_answers/<id>.py`` and every right answer written another way,
autograde them in one run, and check the scores: full marks, zero, less than full on the
test cells each wrong answer targets and on no test of another exercise (tests are
independent), and full marks for the right answers. Written answers, graded by hand, are
left out of every total: the solution's await a person, the untouched ones score 0.

A right answer marked ``needs_keras_float64`` (a Keras call asked for float64) is graded
where Keras computes float64 (not on JAX without its 64-bit mode). Right answers
replacing different answer cells share one submission
(:func:`tests.course_tools.pack_replacements`): each is still graded by its own tests
only. ``NNCOURSE_ROUND_TRIP=packed`` (CI's second backend) packs the wrong answers the
same way: each must still lose points on its own tests; that they lose points on nothing
else is checked where each is graded alone (the default, on TensorFlow).
"""

from __future__ import annotations

import os

import nbformat
import pytest

from nncourse.grading.notebooks import written_answer_ids

from tests.course_tools import (CourseSandbox, assignments, graded_cells_by_answer, keras_computes_float64,
                                load_right_answers, load_wrong_answers, pack_replacements, replace_answers,
                                solution_path)

IDS = assignments()
#: ``alone`` (default): every wrong answer in a submission of its own; ``packed``: wrong
#: answers to different exercises share submissions (a second backend, in less time).
MODE = os.environ.get("NNCOURSE_ROUND_TRIP", "alone")
if MODE not in {"alone", "packed"}:
    raise ValueError(f"NNCOURSE_ROUND_TRIP must be 'alone' or 'packed', not {MODE!r}")


def setup_output(nb) -> list[str]:
    """The lines the set-up and import cells of an executed notebook print (the code cells
    up to the one that calls ``nnlib.setup``), on stdout and stderr alike."""
    lines = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        lines += [line for out in cell.get("outputs", []) if out.output_type == "stream"
                  for line in out.text.splitlines() if line.strip()]
        if "nnlib.setup(" in cell.source:
            return lines
    raise AssertionError("no code cell calls nnlib.setup")


def _grade_all(aid, tmp_path):
    box = CourseSandbox(aid, tmp_path)
    student_nb = box.generate()
    solution = nbformat.read(solution_path(aid), as_version=4)
    wrong = load_wrong_answers(aid)
    wrong_submissions = pack_replacements(wrong) if MODE == "packed" else [
        {"name": item["name"], "replace": item["replace"], "items": [item]} for item in wrong]
    right = [item for item in load_right_answers(aid)
             if not item.get("needs_keras_float64") or keras_computes_float64()]
    right_submissions = pack_replacements(right)
    box.submit("solution", solution)
    box.submit("stub", student_nb)
    for sub in wrong_submissions:
        box.submit(f"wrong-{sub['name']}", replace_answers(solution, sub["replace"]))
    for sub in right_submissions:
        box.submit(f"right-{sub['name']}", replace_answers(solution, sub["replace"]))
    box.autograde()
    return box, wrong_submissions, right_submissions


@pytest.mark.grading
@pytest.mark.parametrize("aid", IDS)
def test_round_trip(aid, tmp_path):
    box, wrong, right = _grade_all(aid, tmp_path)
    assert sum(len(sub["items"]) for sub in wrong) >= 2, \
        f"tests/course/wrong_answers/{aid}.py must hold at least two wrong answers"
    solution_nb = nbformat.read(solution_path(aid), as_version=4)
    written = set(written_answer_ids(solution_nb))
    everything = box.scores()
    # Written answers are graded by hand: the solution's wait for a person (no automatic
    # score), the untouched ones score 0, and neither counts in the autograded total.
    pending = {gid: everything["solution"][gid] for gid in written}
    assert all(score is None for score, _ in pending.values()), \
        f"the solution's written answers should await grading by hand (no score), not {pending}"
    assert all(everything["stub"][gid][0] == 0 for gid in written), \
        f"untouched written answers should score 0: { {g: everything['stub'][g] for g in written} }"
    scores = {student: {gid: s for gid, s in got.items() if gid not in written} for student, got in everything.items()}
    full = scores["solution"]
    lost = {gid: s for gid, s in full.items() if s[0] != s[1]}
    assert not lost, f"the solution loses points on {lost} (a test fails or writes to stderr)"
    errors = box.errors("solution")
    assert not errors, f"cells of the graded solution raise: {errors}"
    printed = setup_output(box.autograded("solution"))
    assert len(printed) == 1 and printed[0].startswith("Keras "), \
        f"the set-up and import cells should print one line, the backend line; they printed {printed}"
    total = sum(m for _, m in full.values())
    stub = sum(s for s, _ in scores["stub"].values())
    graded_by = graded_cells_by_answer(solution_nb)
    assert stub == 0, f"the untouched student notebook scores {stub}: {scores['stub']}"
    for sub in wrong:
        got = scores[f"wrong-{sub['name']}"]
        for item in sub["items"]:
            for gid in item["fails"]:
                score, max_score = got[gid]
                assert score < max_score, f"wrong answer {item['name']} passes {gid}"
        if MODE == "packed":
            continue
        item = sub["items"][0]
        assert sum(s for s, _ in got.values()) < total, f"wrong answer {item['name']} scores full marks"
        own = {gid for answer in item["replace"] for gid in graded_by[answer]}
        elsewhere = {gid: s for gid, s in got.items() if s[0] < s[1] and gid not in own}
        assert not elsewhere, (f"wrong answer {item['name']} (to {sorted(item['replace'])}) also loses points on "
                               f"{elsewhere}: those tests depend on another exercise's answer")
    for sub in right:
        got = scores[f"right-{sub['name']}"]
        for item in sub["items"]:
            own = {gid for answer in item["replace"] for gid in graded_by[answer]}
            lost = {gid: got[gid] for gid in own if got[gid][0] != got[gid][1]}
            assert not lost, f"right answer {item['name']}, written another valid way, loses points on {lost}"
        lost = {gid: s for gid, s in got.items() if s[0] != s[1]}
        assert not lost, f"right answers {sub['name']} lose points on {lost}"
    # Grading is deterministic: the solution graded again gets the same scores (checked
    # on the first assignment; the others share the same configuration and kernel).
    if aid == IDS[0]:
        box.autograde("--student", "solution")
        assert {g: s for g, s in box.scores()["solution"].items() if g not in written} == full
