"""The nbgrader round trip of every assignment: generate the student version in a
temporary course, submit the solution, the untouched student version, every wrong answer
of ``tests/course/wrong_answers/<id>.py`` and every right answer written another way,
autograde them in one run, and check the scores: full marks, zero, less than full on the
test cells each wrong answer targets and on no test of another exercise (tests are
independent), and full marks for the right answers. Written answers, graded by hand, are
left out of every total: the solution's await a person, the untouched ones score 0.

A right answer marked ``needs_keras_float64`` (a Keras call asked for float64) is graded
where Keras computes float64 (not on JAX without its 64-bit mode). Right answers ride
along in the wrong answers' submissions, in any that replaces other cells
(:func:`tests.course_tools.plan_submissions`): tests are independent, so each answer is
graded by its own tests as it would be alone, and a submission with one wrong answer
shows that it costs points nowhere else, right answers to other exercises included.
``NNCOURSE_ROUND_TRIP=packed`` (CI's second backend) also packs the wrong answers: those
to different exercises share a submission and each must still lose points on its own
tests; that they lose points on nothing else is checked where each is graded alone (the
default, on TensorFlow).
"""

from __future__ import annotations

import os

import nbformat
import pytest

from nncourse.grading.task.notebooks import written_answer_ids

from tests.course_tools import (CourseSandbox, assignments, graded_cells_by_answer, keras_computes_float64,
                                load_right_answers, load_wrong_answers, plan_submissions, replace_answers,
                                solution_path)
from tests.grading.crafted_class import grade_assignment

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


def grade_warm(aid: str, submitted, out) -> dict[str, dict[str, tuple[float, float]]]:
    """``student -> {grade_id: (score, max_score)}`` of ``nncourse grade`` (warm kernels,
    the default) on nbgrader's ``submitted/`` folder."""
    import csv

    proc = grade_assignment(aid, [submitted, "--out", out, "--jobs", 1])
    assert "kernels: warm" in proc.stderr, f"nncourse grade did not use warm kernels:\n{proc.stderr[-3000:]}"
    assert proc.returncode == 0, f"nncourse grade failed:\n{proc.stderr[-3000:]}"
    scores: dict = {}
    with open(out / "scores.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            scores.setdefault(row["student"], {})[row["grade_id"]] = (float(row["score"]), float(row["max_score"]))
    return scores


def _grade_all(aid, tmp_path):
    box = CourseSandbox(aid, tmp_path)
    student_nb = box.generate()
    solution = nbformat.read(solution_path(aid), as_version=4)
    right = [item for item in load_right_answers(aid)
             if not item.get("needs_keras_float64") or keras_computes_float64()]
    submissions = plan_submissions(load_wrong_answers(aid), right, pack_wrong=MODE == "packed")
    box.submit("solution", solution)
    box.submit("stub", student_nb)
    for sub in submissions:
        box.submit(sub["name"], replace_answers(solution, sub["replace"]))
    box.autograde()
    return box, submissions


@pytest.mark.grading
@pytest.mark.parametrize("aid", IDS)
def test_round_trip(aid, tmp_path):
    box, submissions = _grade_all(aid, tmp_path)
    assert sum(len(sub["wrong"]) for sub in submissions) >= 2, \
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

    def own(item):
        return {gid for answer in item["replace"] for gid in graded_by[answer]}

    for sub in submissions:
        got = scores[sub["name"]]
        for item in sub["right"]:
            lost = {gid: got[gid] for gid in own(item) if got[gid][0] != got[gid][1]}
            assert not lost, f"right answer {item['name']}, written another valid way, loses points on {lost}"
        for item in sub["wrong"]:
            for gid in item["fails"]:
                score, max_score = got[gid]
                assert score < max_score, f"wrong answer {item['name']} passes {gid}"
        if not sub["wrong"]:
            lost = {gid: s for gid, s in got.items() if s[0] != s[1]}
            assert not lost, f"right answers {[i['name'] for i in sub['right']]} lose points on {lost}"
            continue
        if MODE == "packed":
            continue
        item = sub["wrong"][0]
        assert sum(s for s, _ in got.values()) < total, f"wrong answer {item['name']} scores full marks"
        elsewhere = {gid: s for gid, s in got.items() if s[0] < s[1] and gid not in own(item)}
        assert not elsewhere, (f"wrong answer {item['name']} (to {sorted(item['replace'])}) also loses points on "
                               f"{elsewhere}: those tests depend on another exercise's answer")
    # Warm kernels grade as fresh ones: `nncourse grade`, whose kernels are forked from a
    # server that has imported Keras and nnlib, gives every submission of the round trip
    # the scores plain nbgrader's fresh kernels gave, test by test.
    warm = grade_warm(aid, box.state / "submitted", tmp_path / "warm")
    differ = {(student, gid): (warm.get(student, {}).get(gid), score) for student, got in scores.items()
              for gid, score in got.items() if warm.get(student, {}).get(gid) != score}
    assert not differ, f"warm kernels (first) and fresh kernels (second) disagree on {differ}"
    # Grading is deterministic: the solution graded again gets the same scores (checked
    # on the first assignment; the others share the same configuration and kernel).
    if aid == IDS[0]:
        box.autograde("--student", "solution")
        assert {g: s for g, s in box.scores()["solution"].items() if g not in written} == full
