"""The report's HTML page: one self-contained string.

The page must open from a file, offline, on any machine, and show everything: so its
figures are embedded as ``data:image/png;base64,...`` URIs, its style is one inline
``<style>`` element, it has no script, and it refers to no other file or address (even
its icon is the empty ``data:,``; the only other links are fragments, ``#...``, within
the page). Every text that comes from a CSV (student ids, messages, grade ids, assignment
ids) is HTML-escaped.

Layout: a title, an overview table with one row per assignment, then one section per
assignment: its summary numbers, its four figures, the pass rate of each exercise, and a
table of every student's row.
"""

from __future__ import annotations

import base64
import html
import struct
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from nncourse.report import FIGURE_NAMES, STRUGGLE_BELOW, AssignmentSummary, ExerciseResult

#: The page's whole style sheet.
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 1200px;
       padding: 0 1em; color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
h3 { font-size: 1.05em; margin-top: 1.5em; }
.source, .note { color: #555; font-size: 0.9em; }
.note { background: #fff6e0; padding: 0.4em 0.8em; border-left: 4px solid #e0a000; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
td.message { max-width: 32em; }
tr.struggle td { background: #fbeaea; }
.status-ok { color: #1a7f37; }
.status-problem { color: #b42318; font-weight: 600; }
dl.numbers { display: grid; grid-template-columns: max-content auto; gap: 0.1em 1em; }
dl.numbers dt { color: #555; }
dl.numbers dd { margin: 0; font-variant-numeric: tabular-nums; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 1em; }
figure { margin: 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.85em; }
"""

#: What each figure shows, as its caption says it.
CAPTIONS = {
    "scores": "Scores of every submission (after any late penalty), with their mean and median.",
    "pass-rates": "Share of the students graded on each exercise who got every point of it: red bars are "
                  "exercises fewer than half the class passed.",
    "statuses": "How grading ended for each submission: anything but ok is a notebook that did not run through.",
    "slowest": "Wall time of the slowest gradings (submissions where nothing ran are left out).",
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def escape(text: object) -> str:
    """``text`` as HTML text or attribute value: ``& < > " '`` escaped."""
    return html.escape(str(text), quote=True)


def number(value: float) -> str:
    """A number without needless decimals: ``7.5``, ``10``, ``0.33``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def percent(share: float) -> str:
    """``0.254`` as ``25%``."""
    return f"{100 * share:.0f}%"


def section_id(index: int) -> str:
    """The fragment id of the ``index``-th assignment's section (ids of any text are safe)."""
    return f"assignment-{index + 1}"


def png_size(png: bytes) -> tuple[int, int]:
    """``(width, height)`` in pixels, read from a PNG's header.

    Raises
    ------
    ValueError
        When ``png`` is not a PNG.
    """
    if not png.startswith(PNG_SIGNATURE) or png[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def data_uri(png: bytes) -> str:
    """The PNG as a ``data:image/png;base64,...`` URI."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def image(png: bytes, alt: str) -> str:
    """An ``<img>`` element holding the PNG, with its size and an escaped alt text."""
    width, height = png_size(png)
    return f'<img src="{data_uri(png)}" width="{width}" height="{height}" alt="{escape(alt)}">'


def table(header: Sequence[str], rows: Iterable[str]) -> str:
    """A ``<table>`` with ``header`` (plain text, escaped here) and ``rows`` (``<tr>`` HTML)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"


def status_class(status: str) -> str:
    """The CSS class of a status cell: ``ok`` green, anything else red."""
    return "status-ok" if status == "ok" else "status-problem"


def late_text(minutes: float, penalty: float) -> str:
    """``"95 min (-2 points)"`` for a late submission, ``""`` for one on time."""
    if minutes <= 0:
        return ""
    if not penalty:
        return f"{number(minutes)} min"
    return f"{number(minutes)} min (-{number(penalty)} {'point' if penalty == 1 else 'points'})"


def student_rows(summary: AssignmentSummary) -> list[str]:
    """One ``<tr>`` per submission: student, score, status, late, lost points, seconds, message."""
    rows = []
    for row in summary.grades:
        cells = [
            f"<td>{escape(row.student)}</td>",
            f'<td class="number">{number(row.score)} / {number(row.max_score)}</td>',
            f'<td class="{status_class(row.status)}">{escape(row.status)}</td>',
            f"<td>{escape(late_text(row.late_minutes, row.late_penalty))}</td>",
            f"<td>{escape(' '.join(row.lost_points_in))}</td>",
            f'<td class="number">{row.seconds:.1f}</td>',
            f'<td class="message">{escape(row.message)}</td>',
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return rows


def exercise_rows(exercises: Iterable[ExerciseResult]) -> list[str]:
    """One ``<tr>`` per exercise: grade id, students, full marks, pass rate; struggles highlighted."""
    rows = []
    for exercise in exercises:
        css = ' class="struggle"' if exercise.pass_rate < STRUGGLE_BELOW else ""
        rows.append(f"<tr{css}><td>{escape(exercise.grade_id)}</td><td class=\"number\">{exercise.students}</td>"
                    f"<td class=\"number\">{exercise.full_marks}</td>"
                    f"<td class=\"number\">{percent(exercise.pass_rate)}</td></tr>")
    return rows


def hardest_exercise(summary: AssignmentSummary) -> str:
    """``"ex-03 (12%)"``: the exercise with the lowest pass rate, or ``""`` when none is known."""
    if not summary.exercises:
        return ""
    hardest = min(summary.exercises, key=lambda e: (e.pass_rate, e.grade_id))
    return f"{hardest.grade_id} ({percent(hardest.pass_rate)})"


def summary_numbers(summary: AssignmentSummary) -> str:
    """The summary of one assignment as a ``<dl>``: submissions, mean, median, statuses, late,
    what is left to grade by hand."""
    statuses = ", ".join(f"{status}: {count}" for status, count in summary.status_counts.items())
    items = [
        ("submissions", str(summary.submissions)),
        ("mean score", f"{number(summary.mean_score)} / {number(summary.max_score)}"),
        ("median score", f"{number(summary.median_score)} / {number(summary.max_score)}"),
        ("statuses", statuses),
        ("late submissions", str(summary.late_submissions)),
        ("to grade by hand", summary.manual_grading_text()),
        ("hardest exercise", hardest_exercise(summary) or "unknown (no per-test scores)"),
    ]
    body = "\n".join(f"<dt>{escape(term)}</dt><dd>{escape(value)}</dd>" for term, value in items)
    return f'<dl class="numbers">\n{body}\n</dl>'


def overview(summaries: Sequence[AssignmentSummary]) -> str:
    """The overview table: one row per assignment, linking to its section."""
    rows = []
    for index, s in enumerate(summaries):
        not_ok = sum(count for status, count in s.status_counts.items() if status != "ok")
        rows.append(
            f'<tr><td><a href="#{section_id(index)}">{escape(s.assignment)}</a></td>'
            f'<td class="number">{s.submissions}</td>'
            f'<td class="number">{number(s.mean_score)} / {number(s.max_score)}</td>'
            f'<td class="number">{number(s.median_score)} / {number(s.max_score)}</td>'
            f'<td class="number">{not_ok}</td><td class="number">{s.late_submissions}</td>'
            f'<td class="number">{s.to_grade}</td>'
            f"<td>{escape(hardest_exercise(s))}</td></tr>"
        )
    header = ["assignment", "submissions", "mean score", "median score", "status not ok", "late",
              "written answers to grade", "hardest exercise (pass rate)"]
    return "<h2>Overview</h2>\n" + table(header, rows)


def figure_block(png: bytes, name: str, assignment: str) -> str:
    """One ``<figure>``: the embedded PNG and its caption."""
    alt = f"{assignment}: {name.replace('-', ' ')}"
    return f"<figure>{image(png, alt)}<figcaption>{escape(CAPTIONS.get(name, ''))}</figcaption></figure>"


def assignment_section(index: int, summary: AssignmentSummary, pngs: Mapping[str, bytes]) -> str:
    """The section of one assignment: numbers, figures, exercises, students."""
    figures = "\n".join(figure_block(pngs[name], name, summary.assignment) for name in FIGURE_NAMES if name in pngs)
    parts = [
        f'<section id="{section_id(index)}">',
        f"<h2>{escape(summary.assignment)}</h2>",
        summary_numbers(summary),
        f'<div class="figures">\n{figures}\n</div>',
        "<h3>Exercises</h3>",
        table(["exercise (grade id)", "students", "full marks", "pass rate"], exercise_rows(summary.exercises))
        if summary.exercises else '<p class="note">No per-test scores for this assignment.</p>',
        "<h3>Students</h3>",
        table(["student", "score", "status", "late", "lost points in", "seconds", "message"], student_rows(summary)),
        "</section>",
    ]
    return "\n".join(parts)


def build_page(summaries: Sequence[AssignmentSummary], pngs: Mapping[str, Mapping[str, bytes]],
               source: Path | str = "", notes: Iterable[str] = ()) -> str:
    """The whole report as one HTML document.

    Parameters
    ----------
    summaries : sequence of AssignmentSummary
        One per assignment, in the order of their sections.
    pngs : mapping of str to mapping of str to bytes
        Assignment id to its figures' PNGs, by figure name (see
        :data:`nncourse.report.FIGURE_NAMES`); a figure that is missing is left out.
    source : Path or str, optional
        The grading output folder, named under the title.
    notes : iterable of str, optional
        Sentences for the reader shown under the title (what is missing, say).

    Returns
    -------
    str
        A complete HTML5 document with no script and no reference outside itself.
    """
    names = ", ".join(s.assignment for s in summaries)
    head = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>Class report: {escape(names)}</title>\n<style>{STYLE}</style>\n</head>\n"
    )
    body = [
        "<body>",
        f"<h1>Class report: {escape(names)}</h1>",
        f'<p class="source">Grading output: {escape(source)}</p>' if str(source) else "",
        *(f'<p class="note">{escape(note)}</p>' for note in notes),
        overview(summaries),
        *(assignment_section(i, s, pngs.get(s.assignment, {})) for i, s in enumerate(summaries)),
        "</body>\n</html>\n",
    ]
    return head + "\n".join(part for part in body if part)
