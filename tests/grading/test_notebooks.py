"""Submitted notebooks (``nncourse.grading.task.notebooks``): test cells put back in the release's
order once each, and files that are no notebook refused with an explanation."""

from __future__ import annotations

import copy
import json

import nbformat
import pytest

from tests.course_tools import cell_index
from tests.grading.crafted_class import gid, solution, student_version

pytestmark = pytest.mark.grading


def test_normalise_restores_test_order_once_each():
    from nncourse.grading.task.notebooks import normalise

    release = student_version()
    nb = copy.deepcopy(release)
    del nb.cells[cell_index(nb, "answer-01-forward")]
    del nb.cells[cell_index(nb, "ex-01-forward")]
    nb.cells.insert(2, copy.deepcopy(nb.cells[cell_index(nb, "ex-01-dense")]))
    fixed, notes = normalise(nb, release)
    order = [gid(c) for c in fixed.cells if gid(c)]
    assert order == [gid(c) for c in release.cells if gid(c)]
    assert any("ex-01-forward" in n for n in notes) and any("ex-01-dense" in n for n in notes)


def test_invalid_notebooks_are_explained(tmp_path):
    from nncourse.grading.task.notebooks import InvalidNotebook, read_notebook

    cases = {"trunc.ipynb": nbformat.writes(solution())[:500].encode(),
             "latin.ipynb": "caf\xe9".encode("latin-1"),
             "list.ipynb": b"[1, 2, 3]",
             "badcells.ipynb": json.dumps({"cells": [{"cell_type": "nonsense"}], "metadata": {},
                                           "nbformat": 4, "nbformat_minor": 5}).encode()}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(InvalidNotebook) as info:
            read_notebook(tmp_path / name)
        assert len(str(info.value)) > 20


def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    for kind, meta, source in cells:
        cell = (nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell)(source)
        if meta:
            cell.metadata["nbgrader"] = {"schema_version": 3, "locked": False, **meta}
        nb.cells.append(cell)
    return nb


def test_written_answers_are_left_out_of_the_autograded_points():
    from nncourse.grading.task.notebooks import autograded_points, written_answer_ids, written_points

    nb = _nb(("code", {"solution": True, "grade": False, "grade_id": "answer-1"}, "x = 1"),
             ("code", {"solution": False, "grade": True, "grade_id": "ex-1", "points": 2, "locked": True}, "assert x"),
             ("markdown", None, "**Written answer (3 points, graded by hand).** Why?"),
             ("markdown", {"solution": True, "grade": True, "grade_id": "written-1", "points": 3}, "Because."),
             ("code", {"solution": False, "grade": True, "grade_id": "ex-2", "points": 1.5, "locked": True}, "pass"))
    assert written_answer_ids(nb) == ("written-1",)
    assert autograded_points(nb) == 3.5
    assert written_points(nb) == 3.0
