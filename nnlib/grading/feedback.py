"""Keep hidden tests out of a student's feedback page.

nbgrader's ``generate_feedback`` renders the autograded notebook as it ran, so a test cell
shows its hidden tests, and a failing hidden assert is printed again in the traceback
(IPython shows the failing line and a few lines around it). :class:`HideHiddenTests`
runs before nbgrader's ``GetGrades`` and, in each test cell that has hidden tests:

- removes the ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` region from the source
  (nbgrader's own ``ClearHiddenTests`` logic);
- rewrites each error output: the cell's own traceback frame is replaced by one line
  naming the failing line, and that line is shown only when it is a visible one; frames
  of the student's own cells and of libraries are kept; ``ename: evalue`` is kept (the
  assert messages are written for students);
- drops any remaining output line that repeats a line of the hidden region.
"""

from __future__ import annotations

import re

from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def hidden_lines(source: str) -> set[int]:
    """1-based numbers of the lines of ``source`` inside (and on) the hidden-test markers."""
    hidden, inside = set(), False
    for number, line in enumerate(source.split("\n"), start=1):
        if BEGIN in line:
            inside = True
        if inside:
            hidden.add(number)
        if END in line:
            inside = False
    return hidden


def _frame_of_cell(entry: str, execution_count) -> bool:
    text = strip_ansi(entry)
    return execution_count is not None and f"Cell In[{execution_count}]" in text


def _failing_line(entry: str) -> int | None:
    match = re.search(r"Cell In\[\d+\], line (\d+)", strip_ansi(entry))
    return int(match.group(1)) if match else None


def sanitise_cell(cell) -> None:
    """Remove hidden tests from a test cell's source and outputs, in place."""
    source = cell.source
    hidden = hidden_lines(source)
    if not hidden:
        return
    lines = source.split("\n")
    secret = {lines[n - 1].strip() for n in hidden if len(lines[n - 1].strip()) >= 6}
    secret -= {BEGIN, END}
    visible_source = [line for n, line in enumerate(lines, start=1) if n not in hidden]
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            new_tb = []
            for entry in output.get("traceback", []):
                if _frame_of_cell(entry, cell.get("execution_count")):
                    number = _failing_line(entry)
                    if number is not None and number not in hidden and number <= len(lines):
                        new_tb.append(f"In this test cell, line {number}: {lines[number - 1].strip()}")
                    else:
                        new_tb.append("In a hidden test of this cell (its code is not shown).")
                elif not any(s in strip_ansi(entry) for s in secret):
                    new_tb.append(entry)
            output["traceback"] = new_tb
        elif output.get("output_type") == "stream":
            output["text"] = "\n".join(line for line in output["text"].split("\n")
                                       if line.strip() not in secret)
    cell.source = "\n".join(visible_source)
    ClearHiddenTests()._remove_hidden_test_region(cell)  # no-op now; keeps nbgrader's checks


class HideHiddenTests(NbGraderPreprocessor):
    """nbgrader preprocessor: apply :func:`sanitise_cell` to every code cell."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            sanitise_cell(cell)
        return cell, resources
