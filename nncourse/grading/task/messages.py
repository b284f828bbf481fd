"""Notes a person can act on, read from notebooks: pure functions, no kernel, no files.

- :func:`syntax_error_note`: which cell of an executed notebook did not even compile, and
  where (a student whose answer has a syntax error loses every test that uses it; the
  note says why in one line);
- :func:`unchanged_since_release`: whether a hand-in still holds the release's stubs in
  every answer cell (the student handed in the untouched notebook);
- :func:`failing_source_line`: the source line an IPython traceback points at (a bare
  ``AssertionError`` says nothing; its ``assert ...`` line does).

``"1 point"``/``"2 points"`` is :func:`nncourse.grading.status.points_text`.

The notebooks are nbformat 4 nodes (or plain dicts of the same shape). IPython writes
tracebacks with terminal colour codes; they are stripped before anything is read.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from nncourse.grading.task.notebooks import strip_ansi

#: Exceptions that mean "this cell never ran: Python could not compile it".
SYNTAX_ERRORS = ("SyntaxError", "IndentationError", "TabError")

#: IPython's frame header for a notebook cell: ``Cell In[7], line 3`` (execution count, line).
_CELL_FRAME = re.compile(r"Cell In\[(\d*)\], line (\d+)")
#: IPython's marker of the failing line in a frame: ``----> 3 assert f(2) == 1``.
_ARROW = re.compile(r"^-+>\s*(\d+)\s?(.*)$")
#: A numbered context line of a frame: ``      4     1.0, 2.0)``.
_CONTEXT = re.compile(r"^\s+(\d+)\s?(.*)$")
#: The file and line CPython appends to a cell's SyntaxError message: ``(123.py, line 2)``.
_SYNTAX_WHERE = re.compile(r"\s*\([^()]*, line (\d+)\)\s*$")


def _bracket_depth(text: str) -> int:
    """Open ``([{`` minus closed ``)]}`` brackets of a line of code (strings not parsed)."""
    return sum(text.count(c) for c in "([{") - sum(text.count(c) for c in ")]}")


class FailingLine(NamedTuple):
    """The line a traceback frame points at.

    Attributes
    ----------
    execution_count : int or None
        ``N`` of the frame's ``Cell In[N]`` (the cell that ran as the N-th), None for a
        frame in a file.
    line : int
        The line's number in that cell or file.
    statement : str
        Its statement, on one line.
    """

    execution_count: int | None
    line: int
    statement: str


def _frame_failing_line(frame: str) -> FailingLine | None:
    """The line that one traceback frame points at, with the following lines of a
    statement that spans several joined on one line; None without an arrow."""
    lines = strip_ansi(frame).split("\n")
    cell = _CELL_FRAME.search(lines[0])
    execution_count = int(cell.group(1)) if cell and cell.group(1) else None
    for i, line in enumerate(lines):
        arrow = _ARROW.match(line)
        if not arrow:
            continue
        number, parts = int(arrow.group(1)), [arrow.group(2).strip()]
        depth = _bracket_depth(parts[0])
        for follow in lines[i + 1:]:
            context = _CONTEXT.match(follow)
            if depth <= 0 or not context:
                break
            parts.append(context.group(2).strip())
            depth += _bracket_depth(parts[-1])
        return FailingLine(execution_count, number, _join_code(parts))
    return None


def _join_code(parts: list[str]) -> str:
    """Lines of one statement on one line: a space between two lines, none after an
    opening bracket or before a closing one."""
    text = ""
    for part in filter(None, parts):
        glue = "" if not text or text.endswith(("(", "[", "{")) or part.startswith((")", "]", "}")) else " "
        text += glue + part
    return text


def failing_source_line(traceback: list[str]) -> FailingLine | None:
    """The line that raised, from an IPython traceback: the arrow of its innermost frame.

    Parameters
    ----------
    traceback : list of str
        An error output's ``traceback`` (one entry per frame, with colour codes).

    Returns
    -------
    FailingLine or None
        The frame's cell (its execution count), the line's number there and its
        statement (a statement over several lines joined on one), or None when no frame
        shows a failing line.
    """
    for frame in reversed(traceback or []):
        found = _frame_failing_line(frame)
        if found is not None:
            return found
    return None


def _syntax_error_line(output) -> int | None:
    """The line of a cell that a SyntaxError output names, from its traceback or message."""
    for frame in output.get("traceback", []):
        match = _CELL_FRAME.search(strip_ansi(frame))
        if match:
            return int(match.group(2))
    match = _SYNTAX_WHERE.search(output.get("evalue", ""))
    return int(match.group(1)) if match else None


def _cell_name(cell, number: int) -> str:
    """``code cell 5 (grade_id answer-01-tanh)``, ``code cell 5 (cell id 3fa2c1)``, or
    ``code cell 5``."""
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    label = f"grade_id {grade_id}" if grade_id else (f"cell id {cell['id']}" if cell.get("id") else "")
    return f"code cell {number}" + (f" ({label})" if label else "")


def _syntax_error_text(cell, number: int, output) -> str:
    """One syntax error, in words: where it is and what Python said."""
    message = _SYNTAX_WHERE.sub("", output.get("evalue", "")).strip() or "invalid syntax"
    if output.get("ename") != "SyntaxError":
        message = f"{output.get('ename')}: {message}"
    line = _syntax_error_line(output)
    where = f", line {line}" if line is not None else ""
    return f"syntax error in {_cell_name(cell, number)}{where}: {message}"


def syntax_error_note(nb) -> str | None:
    """A note naming the first code cell of an executed notebook that Python could not
    compile, or None when every cell compiled.

    Parameters
    ----------
    nb : nbformat.NotebookNode or dict
        An executed notebook (nbgrader's autograded copy runs every cell and keeps each
        error in the cell's outputs).

    Returns
    -------
    str or None
        e.g. ``"syntax error in code cell 5 (grade_id answer-01-tanh), line 2: invalid
        syntax"``; cells are numbered among code cells from 1, named by their nbgrader
        ``grade_id`` or else their cell id; ``" (and 2 more cells)"`` follows when other
        cells have one too.
    """
    found = []
    code_cells = [cell for cell in nb.get("cells", []) if cell.get("cell_type") == "code"]
    for number, cell in enumerate(code_cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") in SYNTAX_ERRORS:
                found.append(_syntax_error_text(cell, number, output))
                break
    if not found:
        return None
    more = len(found) - 1
    return found[0] + (f" (and {more} more {'cell' if more == 1 else 'cells'})" if more else "")


def _comparable(source) -> str:
    """A cell's source without trailing spaces or blank lines at either end (saving a
    notebook may add or drop them; they change nothing)."""
    text = "".join(source) if isinstance(source, list) else (source or "")
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _solution_sources(nb) -> dict[str, str]:
    """``grade_id -> source`` of the answer cells (nbgrader ``solution: true``) of ``nb``."""
    out = {}
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id"):
            out[meta["grade_id"]] = _comparable(cell.get("source", ""))
    return out


def unchanged_since_release(submitted, release) -> bool:
    """Whether every answer cell of ``release`` is in ``submitted`` with the same source.

    Parameters
    ----------
    submitted : nbformat.NotebookNode or dict
        The hand-in (before or after grading: outputs are not compared).
    release : nbformat.NotebookNode or dict
        The student version the assignment was released as.

    Returns
    -------
    bool
        True when each answer cell (nbgrader ``solution: true``) of the release has a cell
        of the same ``grade_id`` in ``submitted`` whose source differs at most by
        surrounding whitespace; False when one was edited or deleted, or when the release
        has no answer cell.
    """
    expected = _solution_sources(release)
    handed_in = _solution_sources(submitted)
    return bool(expected) and all(handed_in.get(gid) == source for gid, source in expected.items())
