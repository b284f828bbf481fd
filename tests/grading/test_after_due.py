"""Feedback after the due date (``nncourse feedback OUT --after-due``, :mod:`nncourse.grading.client.after_due`):
before the due date the command writes nothing and the first page hides the hidden tests
(``test_feedback.py``); after it, the second page of every graded student of the crafted
class names every hidden test, its points, and the message of a failing one, and shows no
line of the solution."""

from __future__ import annotations

import datetime as dt
import html
import sys

import nbformat
import pytest

from nncourse.grading.client.after_due import after_due_page, cell_reports, require_due_passed, written_answers
from tests.course_tools import ROOT, run
from tests.grading.crafted_class import AID, FULL, GROUP, solution

pytestmark = pytest.mark.grading

PAST, FUTURE = "2026-01-15T12:00+01:00", "2099-01-01T00:00Z"


def _regions(nb, begin: str, end: str) -> set[str]:
    """Lines (stripped, 12 characters or more) between ``begin`` and ``end`` markers in ``nb``,
    less those that also stand outside such a region."""
    inside, outside = set(), set()
    for cell in nb.cells:
        within = False
        for line in cell.source.split("\n"):
            if begin in line:
                within = True
            elif end in line:
                within = False
            elif len(line.strip()) >= 12:
                (inside if within else outside).add(line.strip())
    return inside - outside


def feedback(*args):
    return run([sys.executable, "-m", "nncourse.cli", "feedback", *map(str, args)], ROOT, timeout=300)


def _cell(source, meta=None, outputs=(), count=None):
    cell = nbformat.v4.new_code_cell(source)
    if meta:
        cell.metadata["nbgrader"] = {"schema_version": 3, "locked": True, **meta}
    cell.outputs, cell.execution_count = list(outputs), count
    return cell


def test_a_report_per_test_cell_with_the_failing_line_and_no_answer():
    error = nbformat.v4.new_output("error", ename="AssertionError", evalue="expected 3, got 4",
                                   traceback=["\x1b[0;31mAssertionError\x1b[0m", "Cell In[7], line 4\n----> 4 assert f(1) == 3"])
    nb = nbformat.v4.new_notebook(cells=[
        _cell("def f(x):\n    return x + 3  # the student's answer", {"solution": True, "grade": False,
                                                                       "grade_id": "answer-1", "locked": False}),
        _cell("assert f(0) == 3\n### BEGIN HIDDEN TESTS\nassert f(1) == 3\n### END HIDDEN TESTS",
              {"solution": False, "grade": True, "grade_id": "ex-1", "points": 2}, [error], 7),
        _cell("assert f(2) == 5", {"solution": False, "grade": True, "grade_id": "ex-2", "points": 1}, (), 8),
    ])
    nb.cells.append(nbformat.v4.new_markdown_cell("YOUR ANSWER HERE", metadata={"nbgrader": {
        "solution": True, "grade": True, "grade_id": "written-1", "points": 3, "schema_version": 3}}))
    reports = cell_reports(nb, {"ex-1": 0.0, "ex-2": 1.0})
    assert [(r.grade_id, r.points, r.score) for r in reports] == [("ex-1", 2.0, 0.0), ("ex-2", 1.0, 1.0)]
    first = reports[0]
    assert (first.visible, first.hidden) == ("assert f(0) == 3", "assert f(1) == 3")
    assert first.error == "AssertionError: expected 3, got 4" and first.failed_in_hidden is True
    assert reports[1].error is None and reports[1].hidden == ""
    page = html.unescape(after_due_page("ada", "01_x", reports, written_answers(nb),
                                        dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)))
    assert "assert f(1) == 3" in page and "in a hidden test" in page and "expected 3, got 4" in page
    assert "the student's answer" not in page and "BEGIN HIDDEN" not in page
    assert "Autograded points: 1 of 3" in page and "written-1 (3)" in page
    assert "<script" not in page


def test_the_due_date_must_have_passed():
    due = dt.datetime(2026, 12, 1, 23, 59, tzinfo=dt.timezone.utc)
    require_due_passed(due, now=due + dt.timedelta(seconds=1))
    for now in (due, due - dt.timedelta(days=1)):
        with pytest.raises(ValueError, match="has not passed"):
            require_due_passed(due, now=now)


@GROUP
def test_after_the_due_date_every_hidden_test_and_no_solution(graded):
    out = graded["out"]
    pages = out / "feedback-after-due" / AID
    early = feedback(out, "--after-due", "--due", FUTURE)
    assert early.returncode == 2 and "has not passed" in early.stderr, early.stderr
    assert not pages.exists(), "before the due date nothing is written"

    proc = feedback(out, "--after-due", "--due", PAST)
    assert proc.returncode == 0, proc.stderr[-2000:]
    sol = solution()
    hidden = _regions(sol, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
    answers = _regions(sol, "### BEGIN SOLUTION", "### END SOLUTION")
    assert hidden and answers
    written = {p.stem for p in pages.glob("*.html")}
    assert {"good", "stub", "loop"} <= written, written
    for student in sorted(written):
        text = html.unescape((pages / f"{student}.html").read_text(encoding="utf-8"))
        missing = sorted(line for line in hidden if line not in text)
        assert not missing, (student, missing[:3])
        shown = sorted(line for line in answers if line in text)
        assert not shown, f"{student}'s page shows lines of the solution: {shown[:3]}"
    good = html.unescape((pages / "good.html").read_text(encoding="utf-8"))
    assert f"Autograded points: {FULL:g} of {FULL:g}" in good
    # loop's sigmoid passes the visible checks and fails the hidden one (its input must stay unchanged)
    loop = html.unescape((pages / "loop.html").read_text(encoding="utf-8"))
    autograded = nbformat.read(out / "nbgrader" / "autograded" / "loop" / AID / f"{AID}.ipynb", as_version=4)
    failing = [r for r in cell_reports(autograded, {}) if r.error and r.failed_in_hidden]
    assert failing, "loop fails a hidden test"
    for report in failing:
        assert report.error in loop and "in a hidden test" in loop
