"""The grading task's typed input and result (``nncourse.grading.task.task``): what its key
covers, the files ``grade-task`` reads and writes, and a worker that refuses a task made
by another grader. No kernel runs here."""

from __future__ import annotations

from dataclasses import replace

import pytest

from nncourse.grading.status import Status
from nncourse.grading.task.task import (AssignmentData, Limits, TaskInput, TaskResult, Timings, dump, grader_version,
                                   load)

ASSIGNMENT = AssignmentData("01_neuron", (("01_neuron.ipynb", b"{}"),), b"{}", b"db", 12.0)
LIMITS = Limits(cell_timeout_s=60, notebook_timeout_s=600, memory_bytes=2**31, threads=1)


def task(**changes) -> TaskInput:
    base = TaskInput(ASSIGNMENT, "ada", b'{"cells": []}', LIMITS, grader_version(), notebook_name="01_neuron.ipynb")
    return replace(base, **changes)


@pytest.mark.parametrize("what, changed", [
    ("the submission's bytes", task(notebook=b'{"cells": [1]}')),
    ("the student", task(student="bob")),
    ("the assignment's source", task(assignment=replace(ASSIGNMENT, files=(("01_neuron.ipynb", b"{ }"),)))),
    ("a time limit", task(limits=replace(LIMITS, cell_timeout_s=61))),
    ("the memory limit", task(limits=replace(LIMITS, memory_bytes=2**30))),
    ("showing hidden tests", task(limits=replace(LIMITS, show_hidden=True))),
    ("the grader's version", task(grader_version="nncourse 0.0.1; nbgrader 0.9.6; grading 000000000000")),
])
def test_key_changes_with_every_part_of_the_input(what, changed):
    assert changed.key() != task().key(), f"changing {what} must change the task's key (a re-run must grade it)"


def test_key_ignores_the_thread_count_and_is_stable():
    assert task(limits=replace(LIMITS, threads=4)).key() == task().key(), \
        "the kernel's thread count changes the speed, not the result: same key expected"
    assert task().key() == task().key()


def test_task_and_result_files_round_trip(tmp_path):
    original = task(intake_status=Status.AMBIGUOUS, notes=("two notebooks",))
    dump(original, tmp_path / "t.json")
    assert load(tmp_path / "t.json") == original
    result = TaskResult("ada", Status.OK, 7.5, 12.0, scores=(("ex-01-tanh", 1.0, 1.0),), message="Graded",
                        feedback_html="<p>é</p>", autograded_notebook=b"\x00\xff", timings=Timings(1, 2, 3),
                        worker="w")
    dump(result, tmp_path / "r.json")
    assert load(tmp_path / "r.json") == result


def test_a_worker_refuses_a_task_of_another_grader():
    from nncourse.grading.task.perform import grade_task

    result = grade_task(task(grader_version="nncourse 0.0.1; nbgrader 0.9.6; grading 000000000000"))
    assert result.status == Status.ERROR and "another grader" in result.message, \
        f"expected an error naming the grader mismatch, got {result.status}: {result.message}"
    assert result.feedback_html is None and result.score == 0.0
