"""Moodle: a file for Grades > Import > CSV file ("Import grades from CSV file").

Moodle's CSV grade import (https://docs.moodle.org/en/Grade_import; the code is
``grade/import/csv/classes/load_data.php`` in moodle/moodle) reads a header line and one
line per student. On its preview page the instructor maps one column to a user field
under "Identify user by" (Map from the column, Map to ``username``, ``useridnumber`` or
``useremail``) and every other column to a grade item, a "new grade item", or nothing.

The file written here has exactly that shape: one identifier column, titled as Moodle's
own exports title that field (``Username``, ``ID number``, ``Email address``), chosen by
``--moodle-key``; then one column per assignment, titled with its id or its ``--column``
title (map each to its grade item in Moodle; the titles cannot do it for you). It is
comma separated with a decimal point, which Moodle reads in every language.

The roster is any CSV with those columns, e.g. a Moodle grade export (Grades > Export >
Plain text file; its user fields are the site's ``grade_export_userprofilefields``,
``First name, Last name, ID number, Institution, Department, Email address`` by default,
to which an administrator may add ``username``) or a participants download. What Moodle's
importer does with a file decides what is written:

- a row whose identifier is empty, or names nobody, stops the whole import
  ("usermappingerrorusernotfound"): so without a roster nothing is written unless
  ``--allow-unknown-users`` says the submission ids are Moodle identifiers, roster rows
  without the identifier are left out (a warning lists them), and their students'
  grades, like those of submitters not on the roster, go to ``<stem>.unmatched.csv``;
- an empty cell, or ``-``, is "no grade" (``update_grade_item``): it clears the grade
  Moodle holds. A student with nothing graded in this run gets no row. In a file of
  several assignments, a student graded in some but not others gets the others' current
  grade from the roster's column for that grade item
  (:func:`~nncourse.export.scale.item_column`); without one the export is refused, naming
  them (export one assignment per file: ``--assignment``);
- a grade outside its item's range fails the whole import, and an item out of another
  maximum changes what a score means: the scale is checked, and the export refused before
  anything is written, as :mod:`nncourse.export.scale` says.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from nncourse.export.csvio import write_csv
from nncourse.export.options import check_assignments
from nncourse.export.result import ExportResult, write_unmatched
from nncourse.export.roster import Roster, match_students, missing
from nncourse.export.scale import Scale, cell, in_range, item_scale
from nncourse.export.table import GradeTable

#: ``--moodle-key`` values: the column title Moodle exports, the names a roster may use
#: instead, and what to choose under "Map to" when importing.
KEYS = {
    "username": (("Username", "username", "user name"), "username"),
    "idnumber": (("ID number", "idnumber", "id_number"), "useridnumber"),
    "email": (("Email address", "email", "e-mail", "email_address"), "useremail"),
}
#: Columns that name a student in messages.
NAME_COLUMNS = ("Email address", "Username", "ID number", "Last name", "First name")


def key_column(roster: Roster | None, key: str) -> str:
    """The roster column holding Moodle's ``key`` field (without a roster, the title Moodle
    gives that field).

    Raises
    ------
    ValueError
        When ``key`` is unknown or the roster has no such column, listing its columns.
    """
    if key not in KEYS:
        raise ValueError(f"--moodle-key {key!r}: choose username, idnumber or email")
    if roster is None:
        return KEYS[key][0][0]
    found = roster.find(*KEYS[key][0])
    if found is None:
        raise ValueError(f"{roster.path} has no {KEYS[key][0][0]!r} column for --moodle-key {key} (its columns: "
                         f"{', '.join(roster.columns)}); choose another --moodle-key or add the column")
    return found


def _key_of(roster: Roster, column: str) -> str | None:
    return next((k for k, (names, _) in KEYS.items() if roster.find(*names) == column), None)


def export(table: GradeTable, roster: Roster | None, output: str | Path, *, key: str | None = None,
           match: str | None = None, titles: Mapping[str, str] | None = None,
           maxima: Mapping[str | None, float] | None = None, scale_to: Mapping[str | None, float] | None = None,
           allow_unknown_users: bool = False) -> ExportResult:
    """Write the Moodle import of ``table`` to ``output``.

    Parameters
    ----------
    table : GradeTable
        The grades, of one or several assignments.
    roster : Roster or None
        The class list; without one, the student ids are written as the identifiers, which
        ``allow_unknown_users`` must allow.
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
    maxima, scale_to : Mapping, optional
        ``--max`` and ``--scale-to``: assignment id (None: every one) to the grade item's
        maximum, and to the top of the range scores are rescaled to (see :func:`item_scale`).
    allow_unknown_users : bool
        Write the student ids as Moodle identifiers when there is no roster.

    Returns
    -------
    ExportResult

    Raises
    ------
    ValueError
        Before anything is written: for an unknown ``key``, a roster without that column, a
        bad ``match``, a default ``key`` that cannot be told, no roster without
        ``allow_unknown_users``, a grade item maximum that is unknown or does not fit (see
        :func:`item_scale`), a grade outside 0..maximum, or a student graded in some of
        the file's assignments whose others have no current grade to keep.
    """
    titles, maxima, scale_to = dict(titles or {}), dict(maxima or {}), dict(scale_to or {})
    for option, named in (("--column", titles), ("--max", maxima), ("--scale-to", scale_to)):
        check_assignments(option, named, table.assignments)
    if roster is None and not allow_unknown_users:
        raise ValueError("no --roster: the submission ids would be written as Moodle user identifiers, and one that "
                         "names nobody makes Moodle refuse the whole file; give the class list with --roster (e.g. "
                         "a Moodle grade export), or --allow-unknown-users if the ids are Moodle identifiers")
    columns = [titles.get(aid, aid) for aid in table.assignments]
    scales = [item_scale(aid, title, table, roster, maxima, scale_to) for aid, title in zip(table.assignments, columns)]
    if roster is None:
        key = key or "username"
        key_column(None, key)
        joined, people = None, [(s, s, None) for s in table.students]
        notes = [f"no --roster (--allow-unknown-users): the student ids are written as Moodle {KEYS[key][0][0]}s"]
        warnings, unplaced = [], []
    else:
        joined, key, people, unplaced, notes, warnings = _identify(roster, table, key, match)
    label = KEYS[key][0][0]
    notes.append(f"in Moodle map {label!r} to {KEYS[key][1]!r} under 'Identify user by', and each other column to "
                 f"its grade item")
    write_csv(output, [label] + columns, _rows(table, roster, scales, people))
    return ExportResult.of(table, output=Path(output), format="moodle", columns=tuple(columns),
                           match_column=joined.column if joined else None,
                           missing=missing(roster, joined, table, NAME_COLUMNS) if joined else {},
                           kept="get no row, so Moodle keeps the grade it holds",
                           unmatched=tuple(sorted(unplaced)), unmatched_file=write_unmatched(output, table, unplaced),
                           notes=tuple(notes), warnings=tuple(warnings))


def _identify(roster: Roster, table: GradeTable, key: str | None, match: str | None):
    """Join the students to ``roster`` and choose the identifier written.

    Returns
    -------
    joined : Join
    key : str
        The ``--moodle-key`` used.
    people : list of (str, str or None, int)
        Per roster row that has the identifier: the identifier, the student placed on it
        (None when nobody), the row index.
    unplaced : list of str
        Students with grades but no identifier to write them under.
    notes, warnings : list of str
    """
    joined, notes, warnings = match_students(roster, table.students, [n for ns, _ in KEYS.values() for n in ns], match)
    if key is None:
        key = _key_of(roster, joined.column)
        if key is None:
            raise ValueError(f"students matched on roster column {joined.column!r}, which is not a Moodle "
                             f"identifier: choose the one to write with --moodle-key username, idnumber or email")
    column = key_column(roster, key)
    notes.append(f"writing Moodle {KEYS[key][0][0]}s from roster column {column!r}")
    on_row = joined.on_row
    people, no_key, unplaced = [], [], list(joined.unmatched)
    for i in range(len(roster.rows)):
        ident, student = roster.value(i, column), on_row.get(i)
        if ident:
            people.append((ident, student, i))
            continue
        no_key.append(student or f"line {roster.lines[i]}")
        if student:
            unplaced.append(student)
    if no_key:
        warnings.append(f"{len(no_key)} roster row(s) of {roster.path} have no {column!r} and are left out "
                        f"(Moodle stops an import at a row it cannot identify): {', '.join(no_key)}")
    return joined, key, people, unplaced, notes, warnings


def _rows(table: GradeTable, roster: Roster | None, scales: list[Scale], people) -> list[list[str]]:
    """The file's lines after the header: one per person (see :func:`_identify`) with
    something graded, each cell a grade or the roster's current one.

    Raises
    ------
    ValueError
        When a grade is outside its item's range, or a graded person's other item has no
        current grade to keep, naming each.
    """
    rows, partial, outside = [], [], []
    for ident, student, i in people:
        scores = [table.score(student, aid) for aid in table.assignments]
        if all(s is None for s in scores):
            continue  # nothing graded: no row, and Moodle keeps what it holds
        line = [ident]
        for aid, scale, score in zip(table.assignments, scales, scores):
            current = roster.rows[i][scale.current] if roster is not None and scale.current is not None else None
            text, number = cell(scale, score, current)
            if text is None:
                partial.append(f"{ident} ({aid})")
            elif not in_range(number, scale):
                outside.append(f"{ident}'s {aid}: {text} (maximum {scale.item_max:g})")
            line.append(text)
        rows.append(line)
    if outside:
        raise ValueError(f"{len(outside)} grade(s) outside 0..the Moodle grade item's maximum, which makes Moodle "
                         f"refuse the whole file: {'; '.join(outside)}. Check --max, or rescale with --scale-to")
    if partial:
        raise ValueError(f"{len(partial)} grade(s) of students graded in other assignments of this file have nothing "
                         f"to write, and an empty cell would clear the grade Moodle holds: {', '.join(partial)}. "
                         f"Export one assignment per file (--assignment AID), or give a roster with a column of the "
                         f"item's current grades")
    return rows
