"""The gradebook store refuses a batch that holds two results of one student (one would
silently replace the other)."""

import pytest

from nncourse.grading.gradebook.store import GradebookStore, Recording
from nncourse.grading.status import Status
from nncourse.grading.task.task import TaskResult, Timings


def result(student: str) -> TaskResult:
    return TaskResult(student, Status.OK, 1.0, 2.0, (("t", 1.0, 2.0),), "", None, b"", Timings(total=1.0),
                      worker="test")


def test_a_batch_with_one_student_twice_is_refused(tmp_path):
    store = GradebookStore(f"sqlite:///{tmp_path / 'gradebook.db'}")
    with pytest.raises(ValueError, match="two results of one student"):
        store.record_all("01_neuron", [Recording("k", result("jdoe")), Recording("k", result("jdoe"))])
    assert not (tmp_path / "gradebook.db").exists(), "expected the refusal before the gradebook was touched"


def test_an_empty_batch_records_nothing(tmp_path):
    assert GradebookStore(f"sqlite:///{tmp_path / 'gradebook.db'}").record_all("01_neuron", []) == []
