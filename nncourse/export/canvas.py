"""Canvas: a gradebook import CSV built on the instructor's own gradebook export.

The roster is the course's gradebook as Canvas exports it (Grades > Export > Export
Entire Gradebook). Canvas writes it (``lib/gradebook_exporter.rb`` in instructure/canvas-lms)
as a header ``Student, ID, [SIS User ID,] SIS Login ID, [Integration ID,] [Root Account,]
Section`` (``LastName, FirstName`` in place of ``Student`` when the course shows them),
then custom columns, one column per assignment titled ``Title (canvas assignment id)``,
then read-only totals; a row whose first cell is ``    Points Possible`` follows the header
(after a ``Manual Posting`` row when some assignment is posted by hand), then one row per
student. Sources: https://github.com/instructure/canvas-lms (``lib/gradebook_exporter.rb``,
``app/models/gradebook_importer.rb``, ``Assignment.title_and_id``), and for instructors
https://teaching.resources.osu.edu/toolsets/carmencanvas/guides/calculating-final-grades/import-csv-file-carmen-grades
("new assignment columns in the Gradebook generate new assignments").

The file written keeps the roster's identity columns in their order (Canvas's importer,
``app/models/gradebook_importer.rb``, requires ``Student`` and ``ID`` first and
``Section`` last among them), its ``Points Possible`` row if it has one, and every roster
student; other columns (other assignments, custom columns, totals) are left out, which
Canvas reads as "no change". Each assignment gets one column:

- titled like the roster column for the same Canvas assignment when there is one, so that
  Canvas updates that assignment: the column whose title (before `` (id)``) is our
  assignment id, e.g. ``01_neuron (12345)``, or the column ``--column 01_neuron="Neuron
  (12345)"`` names (by its whole title, its title without id, or its id alone);
- otherwise titled with our assignment id, and Canvas *creates a new assignment* on import
  (a warning says so, with the roster columns that look related).

Canvas finds each student by ``ID``, else ``SIS User ID``, ``SIS Login ID``, then name;
those cells are copied from the roster untouched, the Test Student's row included. Canvas
reads an empty cell as "no score" and *removes* a score it holds (``no_change_to_value?``
in the importer), so a student with nothing graded in this run (no submission, or a row
left out for its status) gets their current cell back from the roster: Canvas sees no
change. In a new column their cell is empty, which creates nothing. Canvas accepts a score
above the points possible (extra credit); a warning names each. The file uses the
roster's separator (``,`` or ``;``), which Canvas's importer detects, and Canvas shows the
scores it is about to change before it imports anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from nncourse.export.csvio import format_score, parse_number, write_csv
from nncourse.export.options import check_assignments
from nncourse.export.result import ExportResult, write_unmatched
from nncourse.export.roster import Roster, match_students, missing, read_roster
from nncourse.export.table import GradeTable

#: Columns that say who a student is, in the order Canvas exports them.
IDENTITY_COLUMNS = ("Student", "LastName", "FirstName", "ID", "SIS User ID", "SIS Login ID", "Integration ID",
                    "Root Account", "Section")
#: Columns that may hold our student ids, in the order a tie is broken.
MATCH_CANDIDATES = ("SIS Login ID", "SIS User ID", "ID", "Student")
#: Columns that name a student in messages.
NAME_COLUMNS = ("Student", "LastName")

_TITLE_ID = re.compile(r"\A(.*)\s\((\d+)\)\Z", re.DOTALL)  # Assignment.title_and_id in canvas-lms
_POSTING_ROW = re.compile(r"^\s*(Muted|Manual Posting.*)?\s*$", re.IGNORECASE)


def title_and_id(header: str) -> tuple[str, str | None]:
    """Split a Canvas assignment column title: ``"Neuron (12345)"`` -> ``("Neuron", "12345")``;
    the id is None when the title carries none."""
    found = _TITLE_ID.match(header)
    return (found[1], found[2]) if found else (header, None)


@dataclass(frozen=True)
class CanvasGradebook:
    """A Canvas gradebook export.

    Attributes
    ----------
    roster : Roster
        Its header, student rows and ``Points Possible`` row.
    """

    roster: Roster

    @property
    def points_possible(self) -> tuple[str, ...] | None:
        """The cells of its ``Points Possible`` row, if it has one."""
        return self.roster.points

    @property
    def identity(self) -> list[int]:
        """Positions of the identity columns, in the roster's order."""
        return [i for i, c in enumerate(self.roster.columns) if c in IDENTITY_COLUMNS]

    @property
    def assignment_columns(self) -> list[str]:
        """Every column but the identity ones (assignments, custom columns, totals)."""
        return [c for c in self.roster.columns if c not in IDENTITY_COLUMNS]


def read_gradebook(path: str | Path) -> CanvasGradebook:
    """Read a Canvas gradebook export.

    Raises
    ------
    FileNotFoundError
        When there is no such file.
    ValueError
        When the file is not a Canvas gradebook export (see the module docstring).
    """
    roster = read_roster(path)
    columns = roster.columns
    named = (len(columns) > 3 and "Student" in columns[0] and "ID" in columns[1]) or \
            (len(columns) > 4 and columns[:2] == ("LastName", "FirstName") and "ID" in columns[2])
    if not named or "Section" not in columns:
        raise ValueError(f"{roster.path} is not a Canvas gradebook export: its header must start with Student, ID "
                         f"and name a Section column (it starts {', '.join(columns[:5])}); in Canvas, open Grades, "
                         f"then Export > Export Entire Gradebook")
    return CanvasGradebook(roster.select(lambda r: not all(_POSTING_ROW.match(c) for c in r)))


@dataclass(frozen=True)
class Placement:
    """Where one assignment's scores go: the column ``title``; ``existing`` when the roster
    has it, so that Canvas updates that assignment rather than creating one."""

    assignment: str
    title: str
    existing: bool


def _related(aid: str, columns: list[str]) -> list[str]:
    words = [w for w in re.split(r"[\W_]+", aid.casefold()) if len(w) >= 3 and not w.isdigit()]
    return [c for c in columns if title_and_id(c)[1] and any(w in c.casefold() for w in words)]


def place(aid: str, gradebook: CanvasGradebook, given: str | None = None) -> tuple[Placement, list[str], list[str]]:
    """Choose the column of assignment ``aid`` (see the module docstring).

    Parameters
    ----------
    aid : str
        Our assignment id.
    gradebook : CanvasGradebook
    given : str, optional
        The ``--column`` title for ``aid``: a roster column's whole title, its title without
        `` (id)``, its Canvas id alone, or a new title.

    Returns
    -------
    placement : Placement
    notes, warnings : list of str

    Raises
    ------
    ValueError
        When ``given`` is an id no roster column has, when several roster columns fit, or
        when the column is a read-only one.
    """
    columns = gradebook.assignment_columns
    notes: list[str] = []
    warnings: list[str] = []
    by_id = {title_and_id(c)[1]: c for c in columns if title_and_id(c)[1]}
    wanted = (given or aid).strip()
    wanted_title, wanted_id = title_and_id(wanted)
    if wanted in columns:
        found = [wanted]
    elif given is not None and wanted.isdigit():
        if wanted not in by_id:
            raise ValueError(f"--column {aid}={given}: no column of {gradebook.roster.path} is for Canvas assignment "
                             f"{wanted} (its assignment columns: {', '.join(by_id.values()) or 'none'})")
        found = [by_id[wanted]]
    elif wanted_id is not None:
        found = [by_id[wanted_id]] if wanted_id in by_id else []
        if found:
            notes.append(f"{aid}: Canvas assignment {wanted_id} is titled {found[0]!r} in the roster; using that")
    else:
        found = [c for c in columns if title_and_id(c)[1] and title_and_id(c)[0].strip().casefold()
                 == wanted_title.casefold()]
    if len(found) > 1:
        raise ValueError(f"several columns of {gradebook.roster.path} fit {aid}: {', '.join(found)}; choose one with "
                         f"--column {aid}='<its title>'")
    if found:
        _check_read_only(aid, found[0], gradebook)
        return Placement(aid, found[0], True), notes, warnings
    if wanted_id is not None:
        warnings.append(f"{aid}: column {wanted!r} is not in {gradebook.roster.path}; Canvas will update assignment "
                        f"{wanted_id} if the course has it, and create a new assignment otherwise")
        return Placement(aid, wanted, False), notes, warnings
    related = _related(aid, columns)
    hint = (f" Roster columns that look related: {', '.join(related)}." if related else "")
    warnings.append(f"{aid}: no column of {gradebook.roster.path} is for assignment {wanted!r}, so the column is "
                    f"titled {wanted!r} and Canvas will CREATE A NEW ASSIGNMENT on import. To update an existing "
                    f"one, pass --column {aid}='<its column title>'.{hint}")
    return Placement(aid, wanted, False), notes, warnings


def _check_read_only(aid: str, column: str, gradebook: CanvasGradebook) -> None:
    if gradebook.points_possible is None:
        return
    cell = gradebook.points_possible[gradebook.roster.index(column)]
    if "read only" in cell.casefold():
        raise ValueError(f"{aid}: column {column!r} of {gradebook.roster.path} is read only in Canvas (a total); "
                         f"choose an assignment column with --column")


def export(table: GradeTable, gradebook: CanvasGradebook, output: str | Path, *, match: str | None = None,
           titles: Mapping[str, str] | None = None) -> ExportResult:
    """Write the Canvas import of ``table`` to ``output``.

    Parameters
    ----------
    table : GradeTable
        The grades, of one or several assignments.
    gradebook : CanvasGradebook
        The course's gradebook export (:func:`read_gradebook`).
    output : path-like
        The CSV to write; students not on the roster go to ``<stem>.unmatched.csv``.
    match : str, optional
        The roster column holding our student ids; by default the one of
        :data:`MATCH_CANDIDATES` that holds the most.
    titles : Mapping, optional
        Assignment id to the column to use (``--column``), see :func:`place`.

    Returns
    -------
    ExportResult

    Raises
    ------
    ValueError
        For a bad ``match`` or ``titles`` (see :func:`place`,
        :func:`nncourse.export.roster.match_students`).
    """
    titles = dict(titles or {})
    check_assignments("--column", titles, table.assignments)
    roster = gradebook.roster
    joined, notes, warnings = match_students(roster, table.students, MATCH_CANDIDATES, match)
    placements = []
    for aid in table.assignments:
        placement, more_notes, more_warnings = place(aid, gradebook, titles.get(aid))
        placements.append(placement)
        notes += more_notes
        warnings += more_warnings
    if len({p.title for p in placements}) < len(placements):
        raise ValueError(f"two assignments would share a column: {', '.join(f'{p.assignment} -> {p.title}' for p in placements)}")

    identity = gradebook.identity
    header = [roster.columns[i] for i in identity] + [p.title for p in placements]
    rows = []
    if gradebook.points_possible is not None:
        rows.append([gradebook.points_possible[i] for i in identity]
                    + [_points_cell(p, table, gradebook, warnings) for p in placements])
    on_row = joined.on_row
    for i, cells in enumerate(roster.rows):
        scores = [table.score(on_row.get(i), p.assignment) for p in placements]
        rows.append([cells[j] for j in identity]
                    + [format_score(s) if s is not None else (cells[roster.index(p.title)] if p.existing else "")
                       for p, s in zip(placements, scores)])
    warnings += _above_points(placements, table, gradebook, joined.row_of)
    write_csv(output, header, rows, roster.delimiter)
    return ExportResult.of(table, output=Path(output), format="canvas", columns=tuple(p.title for p in placements),
                           match_column=joined.column, missing=missing(roster, joined, table, NAME_COLUMNS),
                           kept="keep the grade Canvas holds (their current cells are written back)",
                           unmatched=joined.unmatched, unmatched_file=write_unmatched(output, table, joined.unmatched),
                           notes=tuple(notes), warnings=tuple(warnings))


def _points_cell(p: Placement, table: GradeTable, gradebook: CanvasGradebook, warnings: list[str]) -> str:
    """The ``Points Possible`` cell of placement ``p``: Canvas's own for an existing column
    (with a warning when the grades are out of another total), ours for a new one."""
    mine = table.max_score(p.assignment)
    if not p.existing:
        return format_score(mine)
    cell = gradebook.points_possible[gradebook.roster.index(p.title)]
    theirs = parse_number(cell)
    if theirs is not None and abs(theirs - mine) > 1e-9:
        warnings.append(f"{p.assignment}: Canvas's {p.title!r} is worth {theirs:g} points but the grades are out of "
                        f"{mine:g}; Canvas keeps its {theirs:g}, so check the scale")
    return cell


def _above_points(placements: list[Placement], table: GradeTable, gradebook: CanvasGradebook,
                  students: Iterable[str]) -> list[str]:
    """A warning per column where a score written for ``students`` is above its points
    possible (Canvas's, or the assignment's total for a new column)."""
    warnings = []
    for p in placements:
        points = gradebook.points_possible
        most = parse_number(points[gradebook.roster.index(p.title)]) if p.existing and points else \
            table.max_score(p.assignment)
        above = [f"{s} {score:g}" for s in sorted(students)
                 if (score := table.score(s, p.assignment)) is not None and most is not None and score > most + 1e-9]
        if above:
            warnings.append(f"{p.assignment}: {len(above)} score(s) above the {most:g} points possible of {p.title!r}, "
                            f"which Canvas accepts as extra credit: {', '.join(above)}")
    return warnings
