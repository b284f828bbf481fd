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

With a roster, every roster student has a row (empty score where they did not submit),
and students missing from it go to ``<stem>.unmatched.csv``. The roster column holding our
student ids is ``--match``, or whichever column holds the most of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from nncourse.export import ExportResult, GradeTable, check_titles, format_score, write_csv, write_unmatched
from nncourse.export.roster import Roster, match_students, missing

#: The columns of the long layout after the student's.
LONG_COLUMNS = ["assignment", "score", "max_score", "status", "late_minutes", "late_penalty"]


def _long_cells(title: str, row) -> list[str]:
    if row is None:
        return [title, "", "", "", "", ""]
    return [title, format_score(row.score), format_score(row.max_score), row.status, format_score(row.late_minutes),
            format_score(row.late_penalty)]


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
    check_titles(titles, table)
    columns = [titles.get(aid, aid) for aid in table.assignments]
    fmt = "csv" if layout == "wide" else "csv-long"
    if roster is None:
        if layout == "wide":
            rows = [[s] + [format_score(g.score) if (g := table.get(s, a)) else "" for a in table.assignments]
                    for s in table.students]
            write_csv(output, ["student"] + columns, rows)
        else:
            rows = [[s] + _long_cells(t, table.get(s, a)) for a, t in zip(table.assignments, columns)
                    for s in table.students if table.get(s, a)]
            write_csv(output, ["student"] + LONG_COLUMNS, rows)
        return ExportResult(output=Path(output), format=fmt, columns=tuple(columns),
                            unmatched_file=write_unmatched(output, table, ()))

    joined, notes, warnings = match_students(roster, table.students, roster.columns, match)
    on_row = {r: s for s, r in joined.row_of.items()}
    if layout == "wide":
        header = list(roster.columns) + [c for c in columns if c not in roster.columns]
        rows = []
        for i, cells in enumerate(roster.rows):
            line = list(cells) + [""] * (len(header) - len(cells))
            student = on_row.get(i)
            for aid, title in zip(table.assignments, columns):
                grade = table.get(student, aid) if student else None
                line[header.index(title)] = format_score(grade.score) if grade else ""
            rows.append(line)
    else:
        clash = sorted(set(roster.columns) & set(LONG_COLUMNS))
        if clash:
            raise ValueError(f"{roster.path} has columns named like the long layout's ({', '.join(clash)}): "
                             f"use --format csv, or rename them")
        header = list(roster.columns) + LONG_COLUMNS
        rows = [list(cells) + _long_cells(title, table.get(on_row[i], aid) if i in on_row else None)
                for aid, title in zip(table.assignments, columns) for i, cells in enumerate(roster.rows)]
    write_csv(output, header, rows)
    return ExportResult(output=Path(output), format=fmt, columns=tuple(columns), match_column=joined.column,
                        missing=missing(roster, joined, table), unmatched=joined.unmatched,
                        unmatched_file=write_unmatched(output, table, joined.unmatched), notes=tuple(notes),
                        warnings=tuple(warnings))
