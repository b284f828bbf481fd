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
- drops any output line, in any cell, that repeats a line found only in hidden tests.

:func:`configure_feedback` installs it, with the formulas written as MathML and no MathJax
loaded (:mod:`nncourse.grading.task.mathml`: a page that works offline), into an nbgrader
configuration: the repository's ``nbgrader_config.py`` (plain ``nbgrader
generate_feedback`` and the formgrader) and ``nncourse grade``'s worker call it alike.
"""

from __future__ import annotations

import json
import re

from nbconvert.exporters import HTMLExporter
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from traitlets import default

from nncourse.grading.task.mathml import OfflineMath, no_mathjax_loader
from nncourse.grading.task.notebooks import strip_ansi

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


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


def secret_lines(nb) -> set[str]:
    """Lines (stripped, 12 characters or more) found only inside hidden-test regions of ``nb``."""
    hidden, visible = set(), set()
    for cell in nb.cells:
        lines = cell.source.split("\n")
        numbers = hidden_lines(cell.source)
        for n, line in enumerate(lines, start=1):
            (hidden if n in numbers else visible).add(line.strip())
    return {line for line in hidden - visible if len(line) >= 12 and line not in (BEGIN, END)}


def _scrub(text: str, secrets: set[str]) -> str:
    """``text`` without the lines that contain a secret line, as is or JSON-escaped (a
    student cell that prints the notebook file shows its source JSON-escaped)."""
    forms = secrets | {json.dumps(s)[1:-1] for s in secrets} | {BEGIN, END}
    return "\n".join(line for line in text.split("\n") if not any(f in line for f in forms))


class HideHiddenTests(NbGraderPreprocessor):
    """nbgrader preprocessor: :func:`sanitise_cell` on every code cell, then every output
    line of any cell that repeats a hidden line is dropped (defence in depth: a sandboxed
    kernel cannot read the graded notebook, an unsandboxed one can)."""

    def preprocess(self, nb, resources):
        secrets = secret_lines(nb)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            sanitise_cell(cell)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream":
                    output["text"] = _scrub(output.get("text", ""), secrets)
                elif output.get("output_type") == "error":
                    output["traceback"] = [_scrub(t, secrets) for t in output.get("traceback", [])]
                elif output.get("output_type") in ("execute_result", "display_data"):
                    data = output.get("data", {})
                    for key in ("text/plain", "text/html", "text/markdown", "text/latex"):
                        if isinstance(data.get(key), str):
                            data[key] = _scrub(data[key], secrets)
        return nb, resources


class FeedbackHTMLExporter(HTMLExporter):
    """nbconvert's HTML exporter, whose pages load no MathJax (:func:`no_mathjax_loader`:
    nbgrader's feedback template writes the MathJax ``<script>`` whatever
    ``HTMLExporter.mathjax_url`` says, and ``extra_loaders`` is no configurable trait, so
    the loader comes with this class). Configuration written for ``HTMLExporter`` (nbgrader
    sets ``template_name = "feedback"``) applies to it unchanged."""

    @default("extra_loaders")
    def _no_mathjax(self):
        return [no_mathjax_loader()]


def feedback_preprocessors(hide_hidden_tests: bool = True) -> list:
    """nbgrader's own feedback preprocessors, then :class:`HideHiddenTests` (unless
    ``hide_hidden_tests`` is False) and :class:`~nncourse.grading.task.mathml.OfflineMath`.

    Returns
    -------
    list of type
        The value for ``GenerateFeedback.preprocessors``: nbgrader's defaults are read
        from nbgrader itself, so a new version's list is kept.
    """
    from nbgrader.converters import GenerateFeedback

    nbgraders = list(GenerateFeedback.class_traits()["preprocessors"].default())
    return nbgraders + ([HideHiddenTests] if hide_hidden_tests else []) + [OfflineMath]


def configure_feedback(config, hide_hidden_tests: bool = True):
    """Set up ``generate_feedback`` in an nbgrader configuration: hidden tests kept out,
    formulas as MathML, no MathJax script (a page that shows everything offline).

    Parameters
    ----------
    config : traitlets.config.Config
        ``get_config()`` of an ``nbgrader_config.py``, or a worker's configuration;
        changed in place.
    hide_hidden_tests : bool
        False renders hidden tests as they ran (``nncourse grade --show-hidden``).

    Returns
    -------
    traitlets.config.Config
        ``config``.
    """
    config.GenerateFeedback.preprocessors = feedback_preprocessors(hide_hidden_tests)
    config.GenerateFeedback.exporter_class = FeedbackHTMLExporter
    # nbconvert registers a configured preprocessor class disabled unless told otherwise
    # (nbgrader's own are enabled by default; nbconvert's base class is not)
    config.OfflineMath.enabled = True
    return config
