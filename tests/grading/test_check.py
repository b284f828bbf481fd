"""``nncourse check`` (``nncourse.grading.check``): a student's notebook against the visible
tests, PASS/FAIL per test cell, exit 0 only when every visible test passes."""

from __future__ import annotations

import sys

import pytest

from tests.course_tools import ROOT, cell_index, replace_answers, run
from tests.grading.crafted_class import AID, GROUP, solution, student_version, write

pytestmark = [pytest.mark.grading, GROUP]  # runs a kernel: not beside the class's grading


def test_check_reports_visible_tests(tmp_path):
    sol = solution()
    nb = replace_answers(student_version(), {"answer-01-sigmoid": sol.cells[cell_index(sol, "answer-01-sigmoid")].source})
    path = tmp_path / "mine.ipynb"
    write(nb, path)
    proc = run([sys.executable, "-m", "nncourse.cli", "check", AID, str(path)], ROOT)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "PASS  ex-01-sigmoid (2 points)" in proc.stdout
    assert "FAIL  ex-01-tanh" in proc.stdout and "NotImplementedError" in proc.stdout
    assert "visible tests: 3 of 12 points" in proc.stdout
    write(sol, path)
    proc = run([sys.executable, "-m", "nncourse.cli", "check", AID, str(path)], ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
