"""Plain CSV: for a spreadsheet, a registrar, or an LMS this package does not know.

Two layouts:

wide (``--format csv``)
    one row per student, one column per assignment (titled with its id, or its
    ``--column`` title). Without a roster the first column is ``student``; with one, every
    roster column is kept, in order, and the assignment columns follow (an assignment whose
    title already is a roster column fills that column, so an earlier export can serve as
    the roster).
long (``--format csv-long``)
    one row per student and assignment: ``student`` (or the roster's columns),
    ``assignment``, ``score``, ``max_score``, ``status``, ``late_minutes``,
    ``late_penalty``.

With a roster, every roster student has a row, in the roster's separator, its row of
maximum points (if any) kept in the wide layout with each assignment's total; students
missing from it go to ``<stem>.unmatched.csv``. The roster column holding our student ids
is ``--match``, or whichever column holds the most of them. Where nothing is graded in this
run (no submission, or a row left out for its status) the score is empty, or, in the wide
layout when the assignment's column is a roster column, the roster's cell is kept. Without
a roster, only students with something to write have a row.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from nncourse.export.csvio import format_score, write_csv
from nncourse.export.options import check_assignments
from nncourse.export.result import ExportResult, write_unmatched
from nncourse.export.roster import Roster, match_students, missing
from nncourse.export.table import GradeTable

#: The columns of the long layout after the student's.
LONG_COLUMNS = ["assignment", "score", "max_score", "status", "late_minutes", "late_penalty"]


def _long_cells(title: str, row, score: float | None) -> list[str]:
    if score is None:
        return [title, "", "", "", "", ""]
    return [title, format_score(score), format_score(row.max_score), row.status, format_score(row.late_minutes),
            format_score(row.late_penalty)]


def _score_cell(score: float | None, kept: str = "") -> str:
    return format_score(score) if score is not None else kept


def export(table: GradeTable, roster: Roster | None, output: str | Path, *, layout: str = "wide",
           match: str | None = None, titles: Mapping[str, str] | None = None) -> ExportResult:
    """Write ``table`` as a plain CSV to ``output``.

    Parameters
    ----------
    table : GradeTable
        The grades, of one or several assignments.
    roster : Roster or None
        The class list to join to, if any.
    output : path-like
        The CSV to write; students not on the roster go to ``<stem>.unmatched.csv``.
    layout : str
        ``"wide"`` or ``"long"`` (see the module docstring).
    match : str, optional
        The roster column holding our student ids; by default the one holding the most.
    titles : Mapping, optional
        Assignment id to its column title (``--column``).

    Returns
    -------
    ExportResult

    Raises
    ------
    ValueError
        For an unknown layout, a bad ``match`` or ``titles``, or a roster whose columns
        clash with the long layout's.
    """
    if layout not in ("wide", "long"):
        raise ValueError(f"layout {layout!r}: choose wide or long")
    titles = dict(titles or {})
    check_assignments("--column", titles, table.assignments)
    columns = [titles.get(aid, aid) for aid in table.assignments]
    pairs = list(zip(table.assignments, columns))
    fmt = "csv" if layout == "wide" else "csv-long"
    if roster is None:
        graded = [s for s in table.students if any(table.score(s, a) is not None for a in table.assignments)]
        if layout == "wide":
            write_csv(output, ["student"] + columns,
                      [[s] + [_score_cell(table.score(s, a)) for a in table.assignments] for s in graded])
        else:
            write_csv(output, ["student"] + LONG_COLUMNS,
                      [[s] + _long_cells(t, table.get(s, a), score) for a, t in pairs for s in graded
                       if (score := table.score(s, a)) is not None])
        return ExportResult.of(table, output=Path(output), format=fmt, columns=tuple(columns),
                               unmatched_file=write_unmatched(output, table, ()))

    joined, notes, warnings = match_students(roster, table.students, roster.columns, match)
    on_row = joined.on_row
    if layout == "wide":
        header = list(roster.columns) + [c for c in columns if c not in roster.columns]
        rows = []
        if roster.points is not None:
            line = list(roster.points) + [""] * (len(header) - len(roster.columns))
            for aid, title in pairs:
                line[header.index(title)] = format_score(table.max_score(aid))
            rows.append(line)
        for i, cells in enumerate(roster.rows):
            line = list(cells) + [""] * (len(header) - len(cells))
            for aid, title in pairs:
                index = header.index(title)
                line[index] = _score_cell(table.score(on_row.get(i), aid), line[index])
            rows.append(line)
    else:
        clash = sorted(set(roster.columns) & set(LONG_COLUMNS))
        if clash:
            raise ValueError(f"{roster.path} has columns named like the long layout's ({', '.join(clash)}): "
                             f"use --format csv, or rename them")
        header = list(roster.columns) + LONG_COLUMNS
        rows = [list(cells) + _long_cells(title, table.get(on_row.get(i), aid), table.score(on_row.get(i), aid))
                for aid, title in pairs for i, cells in enumerate(roster.rows)]
    write_csv(output, header, rows, roster.delimiter)
    return ExportResult.of(table, output=Path(output), format=fmt, columns=tuple(columns), match_column=joined.column,
                           missing=missing(roster, joined, table),
                           kept=("keep the roster's cell where the roster has the assignment's column, else are "
                                 "left empty") if layout == "wide" else "are left empty",
                           unmatched=joined.unmatched, unmatched_file=write_unmatched(output, table, joined.unmatched),
                           notes=tuple(notes), warnings=tuple(warnings))
