"""Feedback (``nncourse.grading.task.feedback``): hidden tests never reach a student, neither in
the crafted class's pages nor through a cell that prints them or a traceback that quotes
them; enormous outputs are cut before they reach the page."""

from __future__ import annotations

import html
import json

import nbformat
import pytest

from tests.grading.crafted_class import AID, GROUP, feedback_page, outputs_text, solution

pytestmark = pytest.mark.grading


@GROUP
def test_feedback_never_shows_hidden_tests(graded):
    hidden, visible = set(), set()
    for cell in solution().cells:
        head, _, rest = cell.source.partition("### BEGIN HIDDEN TESTS")
        inside, _, tail = rest.partition("### END HIDDEN TESTS")
        hidden |= {line.strip() for line in inside.splitlines() if len(line.strip()) > 12}
        visible |= {line.strip() for line in (head + tail).splitlines()}
    hidden -= visible  # a line that is also visible somewhere may be shown

    for student in graded["expect"]:
        page = feedback_page(graded["out"], student)
        assert page.is_file(), student
        text = html.unescape(page.read_text())
        assert "BEGIN HIDDEN TESTS" not in text, student
        leaked = [line for line in hidden if line in text]
        assert not leaked, (student, leaked[:3])
    # a failing hidden test is named as such (loop's sigmoid passes the visible checks, and
    # fails the hidden one that its input is left unchanged)
    assert "In a hidden test of this cell" in html.unescape(feedback_page(graded["out"], "loop").read_text())


@GROUP
def test_enormous_output_is_cut(graded):
    page = feedback_page(graded["out"], "spam")
    assert page.stat().st_size < 3 * 2**20  # 30 MB of lines and one 50 MB line were printed
    autograded = graded["out"] / "nbgrader" / "autograded" / "spam" / AID / f"{AID}.ipynb"
    assert autograded.stat().st_size < 3 * 2**20
    assert "truncated" in outputs_text(graded["out"], "spam")


def test_feedback_drops_hidden_lines_printed_by_any_cell():
    from nbformat.v4 import new_code_cell, new_output

    from nncourse.grading.task.feedback import HideHiddenTests

    nb = solution()
    spy = new_code_cell("print(open('01_neuron.ipynb').read())")
    spy.outputs = [new_output("stream", name="stdout", text=nbformat.writes(nb))]
    nb.cells.insert(3, spy)
    nb, _ = HideHiddenTests().preprocess(nb, {})
    shown = nb.cells[3].outputs[0].text
    assert "default_rng(101)" not in shown and "BEGIN HIDDEN" not in shown
    assert "assert np.isclose(got, 0.5)" in shown  # visible tests stay


def test_feedback_sanitiser_hides_hidden_lines_in_tracebacks():
    from nbformat.v4 import new_code_cell, new_output

    from nncourse.grading.task.feedback import sanitise_cell

    cell = new_code_cell("assert f(1) == 1\n### BEGIN HIDDEN TESTS\nassert f(2) == 'secret-check'\n"
                         "### END HIDDEN TESTS", execution_count=7)
    tb = ["\x1b[0;31mAssertionError\x1b[0m  Traceback",
          "Cell \x1b[0;32mIn[7], line 3\x1b[0m\n      1 assert f(1) == 1\n----> 3 assert f(2) == 'secret-check'\n",
          "\x1b[0;31mAssertionError\x1b[0m: "]
    cell.outputs = [new_output("error", ename="AssertionError", evalue="", traceback=tb)]
    sanitise_cell(cell)
    text = cell.source + json.dumps(cell.outputs)
    assert "secret-check" not in text and "HIDDEN" not in text
    assert "hidden test" in json.dumps(cell.outputs)
