"""The nbgrader round trip of every assignment: generate the student version in a
temporary course, submit the solution, the untouched student version, every wrong answer
of ``tests/course/wrong_answers/<id>.py`` and every right answer written another way, and
check the scores: full marks, zero, less than full on the test cells each wrong answer
targets and on no test of another exercise (tests are independent), and full marks for the
right answers. Written answers, graded by hand, are left out of every total: the
solution's await a person, the untouched ones score 0.

Two graders, both as instructors run them. Plain ``nbgrader autograde`` (fresh kernels)
grades the solution (every cell, its seeded training included), the untouched version and
the first submission with a wrong answer (a failing answer beside right ones); ``nncourse
grade`` (warm kernels, in its sandbox) grades every submission, and must give those three
the scores plain nbgrader gave, test by test. The wrong and right answers are checked on
its scores: the other submissions differ from the three only in which answers they
replace, and plain nbgrader would grade each at nearly twice the cost
(``NNCOURSE_ROUND_TRIP_PLAIN=all`` has it grade them all, and compares every one).

A right answer marked ``needs_keras_float64`` (a Keras call asked for float64) is graded
where Keras computes float64 (not on JAX without its 64-bit mode). Answers share
submissions as :func:`tests.course_tools.plan_submissions` plans them: right answers ride
along in any submission that replaces other cells; wrong answers share
submissions with wrong answers to other exercises (``NNCOURSE_ROUND_TRIP=packed``, the
default), each losing points on its own tests and none on a test that no wrong answer of
its submission targets, which shows a test that depends on the answer of an exercise
whose wrong answer is not in its submission.
``per-exercise`` grades the first wrong answer to each exercise alone, so that a point it
costs anywhere else shows that dependence too (run it after changing an exercise's tests:
it grades about half as many submissions again); ``alone`` grades every wrong answer alone.
``NNCOURSE_ROUND_TRIP_SUBMISSIONS=first`` (CI's second backend) submits only the solution,
the untouched version and the first planned submission, the three that both graders grade.
"""

from __future__ import annotations

import os

import nbformat
import pytest

from nncourse.grading.task.notebooks import written_answer_ids

from tests.course_tools import (PLANS, CourseSandbox, assignments, graded_cells_by_answer, keras_computes_float64,
                                load_right_answers, load_wrong_answers, plan_submissions, replace_answers,
                                solution_path)
from tests.grading.crafted_class import grade_assignment

IDS = assignments()
#: Which wrong answers get a submission of their own (:data:`tests.course_tools.PLANS`).
MODE = os.environ.get("NNCOURSE_ROUND_TRIP", "packed")
if MODE not in PLANS:
    raise ValueError(f"NNCOURSE_ROUND_TRIP must be one of {PLANS}, not {MODE!r}")
#: ``three`` (default): plain nbgrader grades the solution, the untouched version and the
#: first submission; ``all``: every submission, so that warm and fresh kernels are compared
#: on each (nearly twice the time: run it by hand after a change to warm kernels).
PLAIN = os.environ.get("NNCOURSE_ROUND_TRIP_PLAIN", "three")
if PLAIN not in {"three", "all"}:
    raise ValueError(f"NNCOURSE_ROUND_TRIP_PLAIN must be 'three' or 'all', not {PLAIN!r}")
#: ``all`` (default): every planned submission; ``first``: the first one only, beside the
#: solution and the untouched version (a second backend, where the answers were checked
#: on the first).
SUBMISSIONS = os.environ.get("NNCOURSE_ROUND_TRIP_SUBMISSIONS", "all")
if SUBMISSIONS not in {"all", "first"}:
    raise ValueError(f"NNCOURSE_ROUND_TRIP_SUBMISSIONS must be 'all' or 'first', not {SUBMISSIONS!r}")


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
    the default) on every student of nbgrader's ``submitted/`` folder."""
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
    """Submit every submission of the round trip; plain nbgrader autogrades the solution,
    the untouched version and the first submission (every one with ``PLAIN == "all"``;
    ``box.scores()`` holds them), ``nncourse grade`` every one.

    Returns
    -------
    ``(box, submissions, plain, warm)``: the course, the plan of
    :func:`tests.course_tools.plan_submissions`, the students plain nbgrader graded, and
    ``student -> {grade_id: (score, max_score)}`` of ``nncourse grade``.
    """
    box = CourseSandbox(aid, tmp_path)
    student_nb = box.generate()
    solution = nbformat.read(solution_path(aid), as_version=4)
    right = [item for item in load_right_answers(aid)
             if not item.get("needs_keras_float64") or keras_computes_float64()]
    submissions = plan_submissions(load_wrong_answers(aid), right, MODE)[:None if SUBMISSIONS == "all" else 1]
    box.submit("solution", solution)
    box.submit("stub", student_nb)
    for sub in submissions:
        box.submit(sub["name"], replace_answers(solution, sub["replace"]))
    plain = ["solution", "stub", *(sub["name"] for sub in submissions[:None if PLAIN == "all" else 1])]
    others = [sub["name"] for sub in submissions if sub["name"] not in plain]
    box.autograde(*([f"--CourseDirectory.student_id_exclude={','.join(others)}"] if others else []))
    warm = grade_warm(aid, box.state / "submitted", tmp_path / "warm")
    return box, submissions, plain, warm


@pytest.mark.grading
@pytest.mark.parametrize("aid", IDS)
def test_round_trip(aid, tmp_path):
    box, submissions, plain, warm = _grade_all(aid, tmp_path)
    assert len(load_wrong_answers(aid)) >= 2, \
        f"tests/course/wrong_answers/{aid}.py must hold at least two wrong answers"
    solution_nb = nbformat.read(solution_path(aid), as_version=4)
    written = set(written_answer_ids(solution_nb))
    everything = box.scores()
    assert set(everything) == set(plain), f"plain nbgrader should grade {plain}, it graded {sorted(everything)}"
    # Written answers are graded by hand: the solution's wait for a person (no automatic
    # score), the untouched ones score 0, and neither counts in the autograded total.
    pending = {gid: everything["solution"][gid] for gid in written}
    assert all(score is None for score, _ in pending.values()), \
        f"the solution's written answers should await grading by hand (no score), not {pending}"
    assert all(everything["stub"][gid][0] == 0 for gid in written), \
        f"untouched written answers should score 0: { {g: everything['stub'][g] for g in written} }"
    fresh = {student: {gid: s for gid, s in got.items() if gid not in written} for student, got in everything.items()}
    full = fresh["solution"]
    lost = {gid: s for gid, s in full.items() if s[0] != s[1]}
    assert not lost, f"the solution loses points on {lost} (a test fails or writes to stderr)"
    errors = box.errors("solution")
    assert not errors, f"cells of the graded solution raise: {errors}"
    printed = setup_output(box.autograded("solution"))
    assert len(printed) == 1 and printed[0].startswith("Keras "), \
        f"the set-up and import cells should print one line, the backend line; they printed {printed}"
    stub = sum(s for s, _ in fresh["stub"].values())
    assert stub == 0, f"the untouched student notebook scores {stub}: {fresh['stub']}"
    # Warm kernels grade as fresh ones: `nncourse grade`, whose kernels are forked from a
    # server that has imported Keras and nnlib, gives the submissions plain nbgrader graded
    # the scores plain nbgrader gave them, test by test.
    everyone = {"solution", "stub", *(sub["name"] for sub in submissions)}
    assert set(warm) == everyone, f"nncourse grade graded {sorted(warm)}, not every submission {sorted(everyone)}"
    differ = {(student, gid): (warm[student].get(gid), score) for student in plain
              for gid, score in fresh[student].items() if warm[student].get(gid) != score}
    assert not differ, f"warm kernels (first) and fresh kernels (second) disagree on {differ}"
    scores = {student: {gid: s for gid, s in got.items() if gid not in written} for student, got in warm.items()}
    graded_by = graded_cells_by_answer(solution_nb)

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
        targeted = {gid for item in sub["wrong"] for gid in own(item)}
        elsewhere = {gid: s for gid, s in got.items() if s[0] < s[1] and gid not in targeted}
        names = [item["name"] for item in sub["wrong"]]
        cells = sorted(cell for item in sub["wrong"] for cell in item["replace"])
        assert not elsewhere, (f"wrong answers {names} (to {cells}) also lose points on {elsewhere}: "
                               "those tests depend on another exercise's answer")
    # Grading is deterministic: the solution graded again gets the same scores (checked
    # on the first assignment; the others share the same configuration and kernel).
    if aid == IDS[0]:
        box.autograde("--student", "solution")
        assert {g: s for g, s in box.scores()["solution"].items() if g not in written} == full
