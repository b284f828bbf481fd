"""Feedback after the due date: every test, the hidden ones included.

Until the due date a student's feedback page (``OUT/feedback/<ID>/<student>.html``, written
by ``nncourse grade``) shows the visible tests only: :mod:`nncourse.grading.task.feedback`
keeps the hidden ones out. Once the due date has passed, ``nncourse feedback OUT
--after-due --due DATETIME`` writes a second page per student,
``OUT/feedback-after-due/<ID>/<student>.html``, from what grading already recorded (no
notebook runs again):

- a table of every autograded test cell: its grade id, its points, the points it gave
  (``scores.csv``), and for a failing one the message it raised and whether the failing
  line is a visible or a hidden one;
- each test cell's code, the visible part and the hidden tests apart.

Only test cells are shown: the solution is never on the page (nor is the student's own
code: the first page has it). Written answers, graded by hand, are listed as such. The
page has no script and refers to no other file.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from pathlib import Path

from nncourse.grading.task.feedback import BEGIN, END, hidden_lines
from nncourse.grading.task.notebooks import strip_ansi


@dataclass(frozen=True)
class CellReport:
    """What the after-due page says of one autograded test cell.

    Attributes
    ----------
    grade_id : str
        The cell's nbgrader grade id.
    points : float
        Its points.
    score : float or None
        The points it gave (``scores.csv``); None where nothing was recorded.
    visible : str
        The cell's code outside the hidden-test region.
    hidden : str
        The hidden tests' code (markers dropped); ``""`` when the cell has none.
    error : str or None
        ``"<name>: <message>"`` of the error the cell raised; None when it raised none.
    failed_in_hidden : bool or None
        Whether the line that raised is a hidden one; None when unknown or no error.
    """

    grade_id: str
    points: float
    score: float | None
    visible: str
    hidden: str
    error: str | None
    failed_in_hidden: bool | None


def _failing_line_number(output: dict, execution_count) -> int | None:
    """The 1-based line of the test cell that raised, from an error output's traceback."""
    for entry in output.get("traceback", []):
        text = strip_ansi(entry)
        if execution_count is not None and f"Cell In[{execution_count}]" in text:
            match = re.search(r"Cell In\[\d+\], line (\d+)", text)
            if match:
                return int(match.group(1))
    return None


def cell_reports(nb, scores: dict[str, float]) -> list[CellReport]:
    """One :class:`CellReport` per autograded test cell of autograded notebook ``nb``.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook as grading ran it (``OUT/nbgrader/autograded/...``), hidden tests in it.
    scores : dict of str to float
        Grade id -> points given, for this student (``scores.csv``).
    """
    reports = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or not meta.get("grade") or meta.get("solution"):
            continue
        lines = cell.source.split("\n")
        hidden_numbers = hidden_lines(cell.source)
        visible = "\n".join(line for n, line in enumerate(lines, start=1) if n not in hidden_numbers).strip("\n")
        hidden = "\n".join(line for n, line in enumerate(lines, start=1)
                           if n in hidden_numbers and BEGIN not in line and END not in line).strip("\n")
        error, in_hidden = None, None
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                error = strip_ansi(f"{output.get('ename', 'Error')}: {output.get('evalue', '')}").strip()
                number = _failing_line_number(output, cell.get("execution_count"))
                in_hidden = None if number is None else number in hidden_numbers
                break
        gid = meta.get("grade_id", "")
        reports.append(CellReport(gid, float(meta.get("points", 0) or 0), scores.get(gid), visible, hidden,
                                  error, in_hidden))
    return reports


def written_answers(nb) -> list[tuple[str, float]]:
    """``(grade id, points)`` of the written answers of ``nb`` (graded by hand)."""
    return [(c.metadata["nbgrader"].get("grade_id", ""), float(c.metadata["nbgrader"].get("points", 0) or 0))
            for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade")
            and c.metadata["nbgrader"].get("solution")]


STYLE = """
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
td.num { text-align: right; }
pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; }
.fail { color: #a00; }
.pass { color: #070; }
h3 { margin-bottom: 0.2em; }
"""


def _points(value: float | None) -> str:
    return "not recorded" if value is None else f"{value:g}"


def _where(report: CellReport) -> str:
    if report.error is None:
        return ""
    if report.failed_in_hidden is None:
        return "at a line the traceback does not name"
    return "in a hidden test" if report.failed_in_hidden else "in a visible test"


def after_due_page(student: str, aid: str, reports: list[CellReport], written: list[tuple[str, float]],
                   due: dt.datetime) -> str:
    """The HTML page of one student's tests after the due date ``due`` (self-contained)."""
    e = html.escape
    got = sum(r.score or 0 for r in reports)
    total = sum(r.points for r in reports)
    rows = []
    for r in reports:
        state = "" if r.score is None else ("pass" if r.score >= r.points else "fail")
        rows.append(f"<tr><td><a href=\"#{e(r.grade_id)}\">{e(r.grade_id)}</a></td><td class=\"num\">{r.points:g}</td>"
                    f"<td class=\"num {state}\">{e(_points(r.score))}</td><td>{e(_where(r))}</td>"
                    f"<td>{e(r.error or '')}</td></tr>")
    sections = []
    for r in reports:
        part = [f"<h3 id=\"{e(r.grade_id)}\">{e(r.grade_id)} ({_points(r.score)} of {r.points:g} points)</h3>"]
        if r.error:
            part.append(f"<p class=\"fail\">It raised {e(_where(r))}: <code>{e(r.error)}</code></p>")
        part.append(f"<p>Visible tests (in your notebook):</p><pre>{e(r.visible)}</pre>")
        part.append(f"<p>Hidden tests (shown now that the due date has passed):</p><pre>{e(r.hidden)}</pre>"
                    if r.hidden else "<p>No hidden tests in this cell.</p>")
        sections.append("\n".join(part))
    written_text = ""
    if written:
        items = ", ".join(f"{e(gid)} ({points:g})" for gid, points in written)
        written_text = (f"<p>Written answers, graded by hand, are not on this page: {items} "
                        f"({sum(p for _, p in written):g} points).</p>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{e(aid)}: {e(student)}, every test</title><style>{STYLE}</style></head><body>\n"
            f"<h1>{e(aid)}: {e(student)}</h1>\n"
            f"<p>The due date ({e(due.isoformat())}) has passed: this page shows every test of the "
            f"assignment, the hidden ones included. Autograded points: {got:g} of {total:g}.</p>\n"
            f"{written_text}\n<table><tr><th>test</th><th>points</th><th>given</th><th>where it failed</th>"
            f"<th>message</th></tr>\n" + "\n".join(rows) + "\n</table>\n" + "\n".join(sections) + "\n</body></html>\n")


def require_due_passed(due: dt.datetime, now: dt.datetime | None = None) -> None:
    """Raise ``ValueError`` unless ``now`` (default: the current time) is after ``due``
    (both timezone-aware): before it, hidden tests stay hidden."""
    if (now or dt.datetime.now(dt.timezone.utc)) <= due:
        raise ValueError(f"the due date {due.isoformat()} has not passed: until then feedback keeps the hidden "
                         f"tests hidden")


def write_after_due(course, due: dt.datetime) -> list[Path]:
    """Write the after-due page of every student ``course`` holds a graded notebook of.

    Parameters
    ----------
    course : nncourse.grading.client.course.Course
        The output folder and assignment.
    due : datetime.datetime
        The due date (timezone-aware); it must have passed.

    Returns
    -------
    list of Path
        The pages written, by student.

    Raises
    ------
    ValueError
        When the due date has not passed.
    FileNotFoundError
        When the folder holds no ``scores.csv``.
    """
    import nbformat

    from nncourse.scores import read_scores

    require_due_passed(due)
    scores: dict[str, dict[str, float]] = {}
    for row in read_scores(course.scores_csv):
        if row.assignment == course.aid:
            scores.setdefault(row.student, {})[row.grade_id] = row.score
    written = []
    for student in sorted(scores):
        notebook = course.autograded(student)
        if not notebook.is_file():
            continue
        nb = nbformat.read(notebook, as_version=4)
        page = after_due_page(student, course.aid, cell_reports(nb, scores[student]), written_answers(nb), due)
        target = course.feedback_after_due / f"{student}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        written.append(target)
    return written
