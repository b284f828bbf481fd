"""``nncourse check`` (``nncourse.grading.client.check``): a student's notebook against the visible
tests, PASS/FAIL per test cell with its points in words, the line of a failing bare
``assert``, exit 0 only when every visible test passes."""

from __future__ import annotations

import sys

import pytest

from tests.course_tools import ROOT, cell_index, replace_answers, run
from tests.grading.crafted_class import AID, GROUP, solution, student_version, write

pytestmark = [pytest.mark.grading, GROUP]  # runs a kernel: not beside the class's grading


def test_check_reports_visible_tests(tmp_path):
    sol = solution()
    activations = sol.cells[cell_index(sol, "answer-01-activations")].source
    wrong_tanh = activations.replace("return np.tanh(np.asarray(x, dtype=float))", "return np.asarray(x, dtype=float)")
    assert wrong_tanh != activations
    nb = replace_answers(student_version(), {"answer-01-sigmoid": sol.cells[cell_index(sol, "answer-01-sigmoid")].source,
                                             "answer-01-activations": wrong_tanh})
    path = tmp_path / "mine.ipynb"
    write(nb, path)
    proc = run([sys.executable, "-m", "nncourse.cli", "check", AID, str(path)], ROOT)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "PASS  ex-01-sigmoid (2 points)" in proc.stdout
    assert "PASS  ex-01-sigmoid-stable (1 point)" in proc.stdout
    assert "(1 points)" not in proc.stdout
    # the assert's own message: what was expected and what came
    assert ("FAIL  ex-01-tanh (1 point): AssertionError: tanh([-1, 1]) should be [-0.7616, 0.7616], "
            "got [-1.  1.]") in proc.stdout, proc.stdout
    assert "FAIL  ex-01-derivatives (2 points): NotImplementedError" in proc.stdout
    assert "visible tests: 5 of 12 points" in proc.stdout
    write(sol, path)
    proc = run([sys.executable, "-m", "nncourse.cli", "check", AID, str(path)], ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
