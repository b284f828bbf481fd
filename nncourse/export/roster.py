"""The class list an LMS knows (the *roster*), and which of its students handed in what.

A roster is any CSV with a header line: the instructor's Canvas gradebook export, a
Moodle grade export or participants download, a list from the registrar. It is read as
it is (:func:`~nncourse.export.csvio.read_rows`: a UTF-8 byte-order mark dropped, the
separator ``,``, ``;`` or tab found from the header, as Canvas's own importer does), and
kept cell for cell, so that an export can write a student's current cells back untouched.
A row of maximum points (Canvas's ``Points Possible``, or a row whose first cell is
``Maximum grade``) is set apart from the students (:attr:`Roster.points`).

One roster column is matched to the student ids of ``grades.csv`` (the names of the
students' submission folders or files, or the LMS users ``--map`` gives), both compared by
:func:`~nncourse.export.identity.student_key` (Unicode form, surrounding spaces and case
ignored). Which column that is, is either given (``--match``) or chosen among candidates
as the one that holds the most of our student ids (:func:`match_students`), and said in a
note.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from nncourse.export.csvio import read_rows
from nncourse.export.identity import student_key
from nncourse.export.table import GradeTable

#: First cells (compared without case or surrounding spaces) of a row of maximum points;
#: Canvas writes ``    Points Possible`` and its importer looks for the words anywhere in the cell.
POINTS_LABELS = ("points possible", "maximum grade", "max grade")


def is_points_row(cells: Sequence[str]) -> bool:
    """Whether a roster row gives each column's maximum points rather than a student."""
    first = cells[0].strip().casefold() if cells else ""
    return "points possible" in first or first in POINTS_LABELS


@dataclass(frozen=True)
class Roster:
    """A roster CSV, cell by cell.

    Attributes
    ----------
    path : Path
        The file read.
    columns : tuple of str
        The header, each name stripped of surrounding spaces.
    rows : tuple of tuple of str
        The students' lines, each exactly as long as :attr:`columns`, cells as written.
    lines : tuple of int
        The file line of each row, for messages.
    delimiter : str
        The file's separator, which the file written from it uses too.
    points : tuple of str or None
        The cells of its row of maximum points (see :func:`is_points_row`), if it has one.
    """

    path: Path
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]
    delimiter: str = ","
    points: tuple[str, ...] | None = None

    def find(self, *names: str) -> str | None:
        """The first of ``names`` that is a column (compared without regard to case), as the
        roster spells it; None when none is."""
        for name in names:
            for column in self.columns:
                if column.casefold() == name.strip().casefold():
                    return column
        return None

    def index(self, column: str) -> int:
        """The position of ``column`` (see :meth:`find`).

        Raises
        ------
        ValueError
            When there is no such column, or two columns bear its name; listing the columns.
        """
        found = self.find(column)
        if found is None:
            raise ValueError(f"{self.path} has no column {column!r}; its columns are: {', '.join(self.columns)}")
        if self.columns.count(found) > 1:
            raise ValueError(f"{self.path} has several columns named {found!r}: rename all but one")
        return self.columns.index(found)

    def value(self, row: int, column: str) -> str:
        """The cell of ``column`` in row ``row``, stripped."""
        return self.rows[row][self.index(column)].strip()

    def select(self, keep) -> "Roster":
        """The roster with only the rows for which ``keep(cells)`` is true."""
        kept = [(r, n) for r, n in zip(self.rows, self.lines) if keep(r)]
        return Roster(self.path, self.columns, tuple(r for r, _ in kept), tuple(n for _, n in kept), self.delimiter,
                      self.points)


def read_roster(path: str | Path) -> Roster:
    """Read a roster CSV.

    Raises
    ------
    FileNotFoundError
        When there is no such file.
    ValueError
        When the file is empty, its first line is blank, it has an empty column name, a
        line has more cells than the header (naming the line), or several rows of
        maximum points.
    """
    path = Path(path)
    delimiter, found = read_rows(path)
    if not found or found[0][0] != 1:
        raise ValueError(f"roster {path} is empty or its first line is blank: it must start with a header line")
    columns = tuple(c.strip() for c in found[0][1])
    if not all(columns):
        raise ValueError(f"roster {path}: line 1 has an empty column name (columns: {list(columns)})")
    rows, lines, points = [], [], []
    for line, cells in found[1:]:
        if len(cells) > len(columns):
            if any(c.strip() for c in cells[len(columns):]):
                raise ValueError(f"roster {path}, line {line}: {len(cells)} cells for {len(columns)} columns")
            cells = cells[:len(columns)]
        cells = tuple(cells) + ("",) * (len(columns) - len(cells))
        if is_points_row(cells):
            points.append((line, cells))
        else:
            rows.append(cells)
            lines.append(line)
    if len(points) > 1:
        raise ValueError(f"roster {path} has several rows of maximum points (lines "
                         f"{', '.join(str(n) for n, _ in points)}): keep one")
    return Roster(path, columns, tuple(rows), tuple(lines), delimiter, points[0][1] if points else None)


@dataclass(frozen=True)
class Join:
    """Our students placed on roster rows.

    Attributes
    ----------
    column : str
        The roster column compared with the student ids.
    row_of : Mapping
        Student id to the index of their roster row.
    unmatched : tuple of str
        Student ids on no roster row, sorted.
    """

    column: str
    row_of: Mapping[str, int]
    unmatched: tuple[str, ...]

    @property
    def on_row(self) -> dict[int, str]:
        """Roster row index to the student placed on it."""
        return {row: student for student, row in self.row_of.items()}


def join(roster: Roster, column: str, students: Iterable[str]) -> Join:
    """Place each student on the roster row whose ``column`` holds their id.

    Values are compared by :func:`~nncourse.export.identity.student_key`.

    Raises
    ------
    ValueError
        When ``column`` is not a roster column, a student id is on several rows, or two
        students land on one row (naming the lines or the students).
    """
    index = roster.index(column)
    rows_of: dict[str, list[int]] = {}
    for i, cells in enumerate(roster.rows):
        if cells[index].strip():
            rows_of.setdefault(student_key(cells[index]), []).append(i)
    row_of: dict[str, int] = {}
    unmatched = []
    for student in students:
        found = rows_of.get(student_key(student), [])
        if len(found) > 1:
            lines = ", ".join(str(roster.lines[i]) for i in found)
            raise ValueError(f"student {student!r} is on several rows of {roster.path} (lines {lines}) in column "
                             f"{roster.columns[index]!r}: match on a column with unique values (--match)")
        if found:
            row_of[student] = found[0]
        else:
            unmatched.append(student)
    if len(set(row_of.values())) < len(row_of):
        shared = sorted(s for s in row_of if list(row_of.values()).count(row_of[s]) > 1)
        raise ValueError(f"students {', '.join(map(repr, shared))} would share a row of {roster.path}: say which LMS "
                         f"user each is with --map FILE")
    return Join(roster.columns[index], row_of, tuple(sorted(unmatched)))


def match_students(roster: Roster, students: Sequence[str], candidates: Sequence[str],
                   column: str | None = None) -> tuple[Join, list[str], list[str]]:
    """Join the students to the roster on ``column``, or on the best of ``candidates``.

    Parameters
    ----------
    roster : Roster
    students : sequence of str
        Our student ids.
    candidates : sequence of str
        Columns to choose among when ``column`` is None: the one holding the most student
        ids wins, the earlier on a tie.
    column : str, optional
        The column to use (``--match``).

    Returns
    -------
    join : Join
    notes, warnings : list of str
        Which column was used and why; a warning when it matched nobody.

    Raises
    ------
    ValueError
        When ``column`` is not in the roster, when no candidate is, or when no candidate
        holds any student id.
    """
    notes: list[str] = []
    warnings: list[str] = []
    if column is not None:
        joined = join(roster, column, students)
        notes.append(f"matched students by roster column {joined.column!r} (--match): "
                     f"{len(joined.row_of)} of {len(students)} found")
        if students and not joined.row_of:
            warnings.append(f"roster column {joined.column!r} of {roster.path} holds none of the student ids "
                            f"(e.g. {', '.join(map(repr, list(students)[:3]))}): everyone is unmatched")
        return joined, notes, warnings
    present = list(dict.fromkeys(c for c in (roster.find(name) for name in candidates) if c))
    if not present:
        raise ValueError(f"{roster.path} has none of the columns {', '.join(map(repr, candidates))}: name the "
                         f"column that holds the student ids with --match (its columns: {', '.join(roster.columns)})")
    joins = [join(roster, c, students) for c in present]
    best = max(joins, key=lambda j: len(j.row_of))  # max keeps the first of equals
    if students and not best.row_of:
        raise ValueError(f"no column of {roster.path} among {', '.join(map(repr, present))} holds any of the "
                         f"{len(students)} student ids (e.g. {', '.join(map(repr, list(students)[:3]))}): name the "
                         f"column that does with --match")
    others = ", ".join(f"{j.column!r}: {len(j.row_of)}" for j in joins if j is not best)
    notes.append(f"matched students by roster column {best.column!r}: {len(best.row_of)} of {len(students)} found"
                 + (f" (other columns: {others}; choose one with --match)" if others else ""))
    return best, notes, warnings


def label(roster: Roster, row: int, column: str, fallbacks: Sequence[str] = ()) -> str:
    """How to name roster row ``row`` to a person: its ``column`` value, else the first
    non-empty of ``fallbacks`` (e.g. a name column), else its line."""
    for name in (column, *fallbacks):
        found = roster.find(name)
        if found and roster.value(row, found):
            return roster.value(row, found)
    return f"line {roster.lines[row]}"


def missing(roster: Roster, joined: Join, table: GradeTable,
            fallbacks: Sequence[str] = ()) -> dict[str, tuple[str, ...]]:
    """Assignment id to the roster students (see :func:`label`) with nothing to write for
    it (:meth:`GradeTable.score` is None: no submission, or a row left out for its status)."""
    on_row = joined.on_row
    return {aid: tuple(label(roster, i, joined.column, fallbacks) for i in range(len(roster.rows))
                       if table.score(on_row.get(i), aid) is None)
            for aid in table.assignments}
