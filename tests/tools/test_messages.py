"""Notes a person can act on (``nncourse.grading.task.messages``), on small notebooks: a cell that
does not compile, a hand-in that is the release untouched, the line a bare ``assert``
failed on, points in words; and how ``nncourse grade``'s message and ``nncourse check``'s
lines carry them. No kernel runs here: the error outputs are copied from real IPython ones.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from nncourse.grading.task.messages import (
    FailingLine,
    failing_source_line,
    syntax_error_note,
    unchanged_since_release,
)
from nncourse.grading.status import points_text

#: IPython 9's outputs for ``x = 1\ndef f(:\n    pass`` (In[1]) and ``def g():\nreturn 1`` (In[2]).
SYNTAX_ERROR = new_output(
    "error", ename="SyntaxError", evalue="invalid syntax (3672172933.py, line 2)",
    traceback=["  \x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[1]\x1b[39m\x1b[32m, line 2\x1b[39m\n"
               "\x1b[31m    \x1b[39m\x1b[31mdef f(:\x1b[39m\n          ^\n"
               "\x1b[31mSyntaxError\x1b[39m\x1b[31m:\x1b[39m invalid syntax\n"])
INDENTATION_ERROR = new_output(
    "error", ename="IndentationError",
    evalue="expected an indented block after function definition on line 1 (1939516439.py, line 2)",
    traceback=["  \x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[2]\x1b[39m\x1b[32m, line 2\x1b[39m\n"
               "\x1b[31m    \x1b[39m\x1b[31mreturn 1\x1b[39m\n    ^\n"
               "\x1b[31mIndentationError\x1b[39m\x1b[31m:\x1b[39m expected an indented block after "
               "function definition on line 1\n"])
#: ``def h(v):\n    assert v == 2\n\nassert 1 == 1\nh(1)`` (In[3]): the assert fails inside h.
BARE_ASSERT_TRACEBACK = [
    "\x1b[31m---------------------------------------------------------------------------\x1b[39m",
    "\x1b[31mAssertionError\x1b[39m                            Traceback (most recent call last)",
    "\x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[3]\x1b[39m\x1b[32m, line 5\x1b[39m\n"
    "\x1b[32m      1\x1b[39m \x1b[38;5;28;01mdef\x1b[39;00m h(v):\n"
    "\x1b[32m      2\x1b[39m     \x1b[38;5;28;01massert\x1b[39;00m v == \x1b[32m2\x1b[39m\n"
    "\x1b[32m      3\x1b[39m \n"
    "\x1b[32m      4\x1b[39m \x1b[38;5;28;01massert\x1b[39;00m \x1b[32m1\x1b[39m == \x1b[32m1\x1b[39m\n"
    "\x1b[32m----> \x1b[39m\x1b[32m5\x1b[39m h(\x1b[32m1\x1b[39m)\n",
    "\x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[3]\x1b[39m\x1b[32m, line 2\x1b[39m, in \x1b[36mh\x1b[39m"
    "\x1b[34m(v)\x1b[39m\n\x1b[32m      1\x1b[39m \x1b[38;5;28;01mdef\x1b[39;00m h(v):\n"
    "\x1b[32m----> \x1b[39m\x1b[32m2\x1b[39m     \x1b[38;5;28;01massert\x1b[39;00m v == \x1b[32m2\x1b[39m\n",
    "\x1b[31mAssertionError\x1b[39m: ",
]
#: ``import numpy as np\nassert np.isclose(\n   1.0, 2.0)`` (In[4]): one statement on two lines.
MULTILINE_ASSERT_TRACEBACK = [
    "\x1b[31mAssertionError\x1b[39m                            Traceback (most recent call last)",
    "\x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[4]\x1b[39m\x1b[32m, line 2\x1b[39m\n"
    "\x1b[32m      1\x1b[39m \x1b[38;5;28;01mimport\x1b[39;00m numpy \x1b[38;5;28;01mas\x1b[39;00m np\n"
    "\x1b[32m----> \x1b[39m\x1b[32m2\x1b[39m assert np.isclose(\n\x1b[32m      3\x1b[39m    1.0, 2.0)\n",
    "\x1b[31mAssertionError\x1b[39m: ",
]


def _answer(grade_id: str, source: str, cell_id: str | None = None):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "solution": True, "grade": False, "locked": False}
    if cell_id:
        cell["id"] = cell_id
    return cell


def _test(grade_id: str, source: str, points: float = 1):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "solution": False, "grade": True, "locked": True,
                                 "points": points}
    return cell


def _release():
    nb = new_notebook()
    nb.cells = [new_markdown_cell("# Exercise"),
                new_code_cell("import numpy as np"),
                _answer("answer-f", "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"),
                _test("ex-f", "assert f(1) == 2"),
                _answer("answer-g", "def g(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"),
                _test("ex-g", "assert g(1) == 3")]
    return nb


def _copy(nb):
    return nbformat.from_dict(json.loads(json.dumps(nb)))


# --- syntax_error_note ------------------------------------------------------------------

def test_a_syntax_error_is_named_by_code_cell_grade_id_and_line():
    nb = _release()
    nb.cells[2].outputs = [SYNTAX_ERROR]
    assert syntax_error_note(nb) == "syntax error in code cell 2 (grade_id answer-f), line 2: invalid syntax"


def test_an_indentation_error_names_its_kind_and_a_cell_without_grade_id_its_id():
    nb = _release()
    nb.cells.insert(1, new_code_cell("def g():\nreturn 1"))
    nb.cells[1]["id"] = "scratch-cell"
    nb.cells[1].outputs = [INDENTATION_ERROR]
    assert syntax_error_note(nb) == (
        "syntax error in code cell 1 (cell id scratch-cell), line 2: IndentationError: expected an "
        "indented block after function definition on line 1")


def test_the_first_syntax_error_is_named_and_the_others_counted():
    nb = _release()
    nb.cells[2].outputs = [SYNTAX_ERROR]
    nb.cells[4].outputs = [INDENTATION_ERROR]
    note = syntax_error_note(nb)
    assert note.startswith("syntax error in code cell 2 (grade_id answer-f)")
    assert note.endswith(" (and 1 more cell)")


def test_no_syntax_error_no_note():
    nb = _release()
    assert syntax_error_note(nb) is None
    nb.cells[3].outputs = [new_output("error", ename="NameError", evalue="name 'f' is not defined", traceback=[])]
    assert syntax_error_note(nb) is None


def test_the_line_comes_from_the_message_when_the_traceback_has_none():
    nb = _release()
    nb.cells[2].outputs = [new_output("error", ename="SyntaxError", evalue="invalid syntax (123.py, line 7)",
                                      traceback=[])]
    assert syntax_error_note(nb) == "syntax error in code cell 2 (grade_id answer-f), line 7: invalid syntax"


# --- unchanged_since_release -------------------------------------------------------------

def test_the_release_itself_is_unchanged_whatever_its_outputs_and_other_cells():
    release = _release()
    handed_in = _copy(release)
    handed_in.cells[2].outputs = [SYNTAX_ERROR]
    handed_in.cells[1].source = "import numpy as np\nprint('scratch')"  # not an answer cell
    handed_in.cells.append(new_code_cell("x = 1"))
    handed_in.cells[4].source += "\n\n   "  # whitespace only
    assert unchanged_since_release(handed_in, release)


def test_an_edited_or_deleted_answer_cell_is_a_change():
    release = _release()
    edited = _copy(release)
    edited.cells[4].source = "def g(x):\n    return x + 2"
    assert not unchanged_since_release(edited, release)
    deleted = _copy(release)
    del deleted.cells[2]
    assert not unchanged_since_release(deleted, release)


def test_a_release_without_answer_cells_is_never_unchanged():
    nb = new_notebook()
    nb.cells = [new_code_cell("x = 1")]
    assert not unchanged_since_release(nb, nb)


# --- failing_source_line, points_text, nncourse check's lines ----------------------------

def test_the_failing_line_is_the_innermost_frames_arrow():
    failing = failing_source_line(BARE_ASSERT_TRACEBACK)
    assert failing == FailingLine(execution_count=3, line=2, statement="assert v == 2")


def test_a_statement_over_several_lines_is_joined():
    assert failing_source_line(MULTILINE_ASSERT_TRACEBACK) == FailingLine(4, 2, "assert np.isclose(1.0, 2.0)")


def test_a_frame_in_a_file_has_no_execution_count():
    frame = ("File /lib/checks.py:12, in check(x)\n     11 def check(x):\n---> 12     assert x > 0\n")
    assert failing_source_line(["AssertionError   Traceback", frame]) == FailingLine(None, 12, "assert x > 0")


def test_a_traceback_without_an_arrow_has_no_failing_line():
    assert failing_source_line(SYNTAX_ERROR["traceback"]) is None
    assert failing_source_line([]) is None


@pytest.mark.parametrize("points, text", [(1, "1 point"), (1.0, "1 point"), (2, "2 points"),
                                          (0, "0 points"), (0.5, "0.5 points"), (12.0, "12 points")])
def test_points_in_words(points, text):
    assert points_text(points) == text


def test_check_names_the_assert_that_failed_without_a_message():
    from nncourse.grading.client.check import describe_error

    bare = new_output("error", ename="AssertionError", evalue="", traceback=MULTILINE_ASSERT_TRACEBACK)
    assert describe_error(bare, execution_count=4) == "AssertionError at line 2: assert np.isclose(1.0, 2.0)"
    # the assert is in a function of another cell (the student's): its line number would mislead
    assert describe_error(bare, execution_count=9) == \
        "AssertionError in code this test calls: assert np.isclose(1.0, 2.0)"
    told = new_output("error", ename="AssertionError", evalue="the output must have the shape of the input",
                      traceback=MULTILINE_ASSERT_TRACEBACK)
    assert describe_error(told) == "AssertionError: the output must have the shape of the input"
    # only an assert is named by its line: a stub's `raise NotImplementedError()` is in the answer cell
    stub = new_output("error", ename="NotImplementedError", evalue="", traceback=BARE_ASSERT_TRACEBACK)
    assert describe_error(stub, execution_count=3) == "NotImplementedError"


# --- nncourse grade's message ------------------------------------------------------------

@pytest.fixture
def grade_without_kernel(monkeypatch):
    """``grade_task`` on a notebook, with a worker that "runs" it by writing ``ran`` (the
    notebook as it would have run) and scoring every test 0."""
    from nncourse.grading.task import perform
    from nncourse.grading.task.task import AssignmentData, Limits, TaskInput, grader_version

    release = _release()
    monkeypatch.setattr(perform, "local_sandbox", lambda: SimpleNamespace(kind="none"))

    def grade(handed_in, ran):
        def fake_worker(root, work, aid, student, limits, sandbox):
            path = root / "autograded" / student / aid / f"{aid}.ipynb"
            path.parent.mkdir(parents=True)
            nbformat.write(ran, path)
            return {"autograde_ok": True, "scores": {"ex-f": [0.0, 1.0], "ex-g": [0.0, 1.0]}, "events": {}}, None, 1.0

        monkeypatch.setattr(perform, "run_worker", fake_worker)
        data = AssignmentData("ex", (("ex.ipynb", nbformat.writes(release).encode()),),
                              nbformat.writes(release).encode(), b"", 2.0)
        task = TaskInput(data, "ann", nbformat.writes(handed_in).encode(), Limits(10, 100.0, 2**30), grader_version())
        return perform.grade_task(task)

    return release, grade


def test_the_grade_message_says_a_notebook_is_the_release_untouched(grade_without_kernel):
    release, grade = grade_without_kernel
    result = grade(_copy(release), _copy(release))
    assert result.message.startswith("Graded: 0 of 2 points; lost points in ex-f, ex-g; unchanged since release."), \
        result.message


def test_the_grade_message_names_a_cell_with_a_syntax_error(grade_without_kernel):
    release, grade = grade_without_kernel
    handed_in = _copy(release)
    handed_in.cells[2].source = "def f(x):\n    return x +* 1"
    ran = _copy(handed_in)
    ran.cells[2].outputs = [SYNTAX_ERROR]
    result = grade(handed_in, ran)
    assert "; syntax error in code cell 2 (grade_id answer-f), line 2: invalid syntax." in result.message, \
        result.message
    assert "unchanged" not in result.message
