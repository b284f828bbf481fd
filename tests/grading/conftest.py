"""The crafted class of 01_neuron, graded once per test session (see ``crafted_class.py``).

Several test files read it (the batch's rows, the feedback pages, the sandbox probe); a
session fixture grades it once for them all. Every test that uses it carries
``crafted_class.GROUP`` (one xdist group), so under ``-n 2 --dist loadgroup`` they all run
on one worker and that worker's session grades the class once. The fixture's output is
shared: a test may add to it only what leaves the other tests' expectations true
(``test_batch.py`` regrades one student, which must not change any row).
"""

from __future__ import annotations

import pytest

from tests.grading.crafted_class import grade_crafted_class


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """The graded class: see :func:`tests.grading.crafted_class.grade_crafted_class`."""
    return grade_crafted_class(tmp_path_factory.mktemp("class"))
