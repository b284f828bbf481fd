"""Moodle: a file for Grades > Import > CSV file ("Import grades from CSV file").

Moodle's CSV grade import (https://docs.moodle.org/311/en/Grade_import; the code is
``grade/import/csv/classes/load_data.php`` in moodle/moodle) reads a header line and one
line per student. On its preview page the instructor maps one column to a user field
under "Identify user by" (Map from the column, Map to ``username``, ``useridnumber`` or
``useremail``) and every other column to a grade item, a "new grade item", or nothing.

The file written here has exactly that shape: one identifier column, titled as Moodle's
own exports title that field (``Username``, ``ID number``, ``Email address``), chosen by
``--moodle-key``; then one column per assignment, titled with its id or its ``--column``
title (map each to its grade item in Moodle; the titles cannot do it for you).

The roster is any CSV with those columns, e.g. a Moodle grade export (Grades > Export >
Plain text file; its user fields are the site's ``grade_export_userprofilefields``,
``First name, Last name, ID number, Institution, Department, Email address`` by default,
to which an administrator may add ``username``) or a participants download. What Moodle's
importer does with a row constrains it:

- a row whose identifier is empty, or names nobody, stops the whole import
  ("usermappingerrorusernotfound"), so roster rows without the identifier are left out (a
  warning lists them) and their students' grades, like those of submitters not on the
  roster, go to ``<stem>.unmatched.csv``;
- an empty grade cell is read as "no grade" (``update_grade_item``): it clears a grade
  entered in Moodle for that item, so check the preview;
- a grade above 100 is refused unless the site allows ``unlimitedgrades`` (a warning says so).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from nncourse.export import ExportResult, GradeTable, check_titles, format_score, write_csv, write_unmatched
from nncourse.export.roster import Roster, match_students, missing

#: ``--moodle-key`` values: the column title Moodle exports, the names a roster may use
#: instead, and what to choose under "Map to" when importing.
KEYS = {
    "username": (("Username", "username", "user name"), "username"),
    "idnumber": (("ID number", "idnumber", "id_number"), "useridnumber"),
    "email": (("Email address", "email", "e-mail", "email_address"), "useremail"),
}
#: Columns that name a student in messages.
NAME_COLUMNS = ("Email address", "Username", "ID number", "Last name", "First name")
#: The most points Moodle accepts unless the site sets ``unlimitedgrades`` (``gradepointmax``).
GRADE_POINT_MAX = 100.0


def key_column(roster: Roster, key: str) -> str:
    """The roster column holding Moodle's ``key`` field.

    Raises
    ------
    ValueError
        When ``key`` is unknown or the roster has no such column, listing its columns.
    """
    if key not in KEYS:
        raise ValueError(f"--moodle-key {key!r}: choose username, idnumber or email")
    found = roster.find(*KEYS[key][0])
    if found is None:
        raise ValueError(f"{roster.path} has no {KEYS[key][0][0]!r} column for --moodle-key {key} (its columns: "
                         f"{', '.join(roster.columns)}); choose another --moodle-key or add the column")
    return found


def _key_of(roster: Roster, column: str) -> str | None:
    return next((k for k, (names, _) in KEYS.items() if roster.find(*names) == column), None)


def export(table: GradeTable, roster: Roster | None, output: str | Path, *, key: str | None = None,
           match: str | None = None, titles: Mapping[str, str] | None = None) -> ExportResult:
    """Write the Moodle import of ``table`` to ``output``.

    Parameters
    ----------
    table : GradeTable
        The grades, of one or several assignments.
    roster : Roster or None
        The class list; without one, the student ids are written as the identifiers.
    output : path-like
        The CSV to write; students not on the roster go to ``<stem>.unmatched.csv``.
    key : str, optional
        ``username``, ``idnumber`` or ``email``: the identifier written. By default the
        field of the column the students matched on, or ``username`` without a roster.
    match : str, optional
        The roster column holding our student ids; by default the identifier column (of
        the three) that holds the most.
    titles : Mapping, optional
        Assignment id to its column title (``--column``).

    Returns
    -------
    ExportResult

    Raises
    ------
    ValueError
        For an unknown ``key``, a roster without that column, a bad ``match``, or a
        default ``key`` that cannot be told (students matched on another column).
    """
    titles = dict(titles or {})
    check_titles(titles, table)
    columns = [titles.get(aid, aid) for aid in table.assignments]
    warnings: list[str] = []
    top = max((r.score for r in table.rows.values()), default=0.0)
    if top > GRADE_POINT_MAX:
        warnings.append(f"a score of {top:g} is above {GRADE_POINT_MAX:g}: Moodle refuses the import unless the site "
                        f"allows unlimitedgrades (Site administration > Grades > General settings)")

    if roster is None:
        key = key or "username"
        if key not in KEYS:
            raise ValueError(f"--moodle-key {key!r}: choose username, idnumber or email")
        label = KEYS[key][0][0]
        rows = [[s] + [format_score(g.score) if (g := table.get(s, a)) else "" for a in table.assignments]
                for s in table.students]
        write_csv(output, [label] + columns, rows)
        notes = (f"no --roster: the student ids are written as Moodle {label}s; in Moodle map {label!r} to "
                 f"{KEYS[key][1]!r} under 'Identify user by', and each other column to its grade item",)
        unmatched_file = write_unmatched(output, table, ())
        return ExportResult(output=Path(output), format="moodle", columns=tuple(columns), notes=notes,
                            warnings=tuple(warnings), unmatched_file=unmatched_file)

    candidates = [n for names, _ in KEYS.values() for n in names]
    joined, notes, more = match_students(roster, table.students, candidates, match)
    warnings += more
    if key is None:
        key = _key_of(roster, joined.column)
        if key is None:
            raise ValueError(f"students matched on roster column {joined.column!r}, which is not a Moodle identifier: "
                             f"choose the one to write with --moodle-key username, idnumber or email")
    column = key_column(roster, key)
    label = KEYS[key][0][0]
    notes.append(f"writing Moodle {label}s from roster column {column!r}; in Moodle map {label!r} to "
                 f"{KEYS[key][1]!r} under 'Identify user by', and each other column to its grade item")

    on_row = {r: s for s, r in joined.row_of.items()}
    rows, no_key, unplaced = [], [], list(joined.unmatched)
    for i in range(len(roster.rows)):
        ident = roster.value(i, column)
        student = on_row.get(i)
        if not ident:
            no_key.append(student or f"line {roster.lines[i]}")
            if student:
                unplaced.append(student)
            continue
        rows.append([ident] + [format_score(g.score) if student and (g := table.get(student, a)) else ""
                               for a in table.assignments])
    if no_key:
        warnings.append(f"{len(no_key)} roster row(s) of {roster.path} have no {column!r} and are left out (Moodle "
                        f"stops an import at a row it cannot identify): {', '.join(no_key)}")
    write_csv(output, [label] + columns, rows)
    return ExportResult(output=Path(output), format="moodle", columns=tuple(columns), match_column=joined.column,
                        missing=missing(roster, joined, table, NAME_COLUMNS), unmatched=tuple(sorted(unplaced)),
                        unmatched_file=write_unmatched(output, table, unplaced), notes=tuple(notes),
                        warnings=tuple(warnings))
