"""Grades for a learning-management system: ``nncourse export``.

From the :class:`~nncourse.scores.GradeRow` s of one or more ``grades.csv`` (one or several
assignments) to the CSV an LMS imports, joined to that LMS's class list (the *roster*):

- :mod:`.roster`: read a roster CSV, find which of its columns holds our student ids, join;
- :mod:`.canvas`: a Canvas gradebook import, built on the instructor's own gradebook export;
- :mod:`.moodle`: a Moodle "Import grades from CSV file" file;
- :mod:`.plain`: a plain CSV, wide (one column per assignment) or long (one row per grade).

Whatever the format, nobody is dropped: a roster student without a submission gets an
empty cell (not 0) and is listed in :attr:`ExportResult.missing`; a submitter who is not on
the roster is listed in :attr:`ExportResult.unmatched` and their rows of ``grades.csv`` go
to ``<output stem>.unmatched.csv`` beside the output. The scores written are
``GradeRow.score``, after any late penalty.

This module holds what the formats share: :class:`GradeTable` (the grades by student and
assignment), :class:`ExportResult`, score formatting and CSV writing.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from nncourse.layout import ASSIGNMENTS
from nncourse.scores import GRADES_COLUMNS, GradeRow

#: The formats ``nncourse export --format`` offers, each with the module that writes it.
FORMATS = {"canvas": "nncourse.export.canvas", "moodle": "nncourse.export.moodle",
           "csv": "nncourse.export.plain", "csv-long": "nncourse.export.plain"}


@dataclass(frozen=True)
class GradeTable:
    """Grades by student and assignment.

    Attributes
    ----------
    assignments : tuple of str
        Assignment ids, in teaching order (then any others, sorted).
    students : tuple of str
        Student ids, sorted.
    rows : Mapping
        ``(student, assignment)`` to its :class:`GradeRow`.
    """

    assignments: tuple[str, ...]
    students: tuple[str, ...]
    rows: Mapping[tuple[str, str], GradeRow]

    def get(self, student: str, assignment: str) -> GradeRow | None:
        """The row of ``student``'s ``assignment``, or None when they did not submit it."""
        return self.rows.get((student, assignment))

    def max_score(self, assignment: str) -> float:
        """The assignment's total, as its rows give it (the largest if they disagree)."""
        return max((r.max_score for (_, a), r in self.rows.items() if a == assignment), default=0.0)

    def of_students(self, students: Iterable[str]) -> list[GradeRow]:
        """Every row of these students, by assignment then student."""
        wanted = set(students)
        return sorted((r for (s, _), r in self.rows.items() if s in wanted), key=lambda r: (r.assignment, r.student))


def grade_table(rows: Iterable[GradeRow]) -> GradeTable:
    """Gather grade rows, of one or several assignments, into a :class:`GradeTable`.

    Raises
    ------
    ValueError
        When a student has two rows for one assignment (the same assignment exported from
        two output folders), naming them.
    """
    table: dict[tuple[str, str], GradeRow] = {}
    for row in rows:
        key = (row.student, row.assignment)
        if key in table:
            raise ValueError(f"student {row.student!r} has two rows for {row.assignment}: export each assignment "
                             f"from one grading output folder only")
        table[key] = row
    found = {a for _, a in table}
    ordered = tuple(a for a in ASSIGNMENTS if a in found) + tuple(sorted(found - set(ASSIGNMENTS)))
    return GradeTable(assignments=ordered, students=tuple(sorted({s for s, _ in table})), rows=table)


def parse_titles(pairs: Iterable[str]) -> dict[str, str]:
    """``--column AID=TITLE`` options as a mapping from assignment id to column title.

    Raises
    ------
    ValueError
        When an option is not ``AID=TITLE`` or names an assignment twice.
    """
    titles: dict[str, str] = {}
    for pair in pairs:
        aid, sep, title = pair.partition("=")
        aid, title = aid.strip(), title.strip()
        if not sep or not aid or not title:
            raise ValueError(f"--column {pair!r} is not AID=TITLE, e.g. --column 01_neuron='Neuron (12345)'")
        if aid in titles:
            raise ValueError(f"--column names {aid} twice ({titles[aid]!r} and {title!r})")
        titles[aid] = title
    return titles


def check_titles(titles: Mapping[str, str], table: GradeTable) -> None:
    """Raise ValueError when ``--column`` names an assignment that no grades.csv holds."""
    unknown = sorted(set(titles) - set(table.assignments))
    if unknown:
        raise ValueError(f"--column names {', '.join(unknown)}, which no grades.csv read holds "
                         f"(they hold: {', '.join(table.assignments) or 'nothing'})")


def format_score(value: float) -> str:
    """A score as an LMS reads it: at most two decimals, no trailing zeros (``7.5``, ``10``)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote, and who could not be placed.

    Attributes
    ----------
    output : Path
        The file written.
    format : str
        ``canvas``, ``moodle``, ``csv`` or ``csv-long``.
    columns : tuple of str
        The title of each assignment's column, in the order of :attr:`GradeTable.assignments`.
    match_column : str or None
        The roster column that held our student ids (None without a roster).
    missing : Mapping
        Assignment id to the roster students (by their match-column value, or their name
        when that is empty) who have no submission of it: their cells are empty.
    unmatched : tuple of str
        Student ids with grades who are not on the roster (or, for Moodle, whose roster row
        lacks the identifier): not in :attr:`output`, but in :attr:`unmatched_file`.
    unmatched_file : Path or None
        ``<output stem>.unmatched.csv``, with those students' rows of ``grades.csv``; None
        when everyone matched.
    notes, warnings : tuple of str
        Sentences for the instructor; warnings need their attention before importing.
    """

    output: Path
    format: str
    columns: tuple[str, ...]
    match_column: str | None = None
    missing: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    unmatched: tuple[str, ...] = ()
    unmatched_file: Path | None = None
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def report(self) -> list[str]:
        """Lines for a person: notes, who is missing or unmatched, then what was written."""
        lines = list(self.notes)
        for aid, students in self.missing.items():
            if students:
                lines.append(f"{aid}: {len(students)} roster student(s) without a submission, left empty: "
                             f"{', '.join(students)}")
        if self.unmatched:
            lines.append(f"{len(self.unmatched)} student(s) with grades could not be placed on the roster and are "
                         f"not in {self.output}; their rows are in {self.unmatched_file}: {', '.join(self.unmatched)}")
        lines.append(f"wrote {self.output} ({self.format}; columns: {', '.join(self.columns)})")
        return lines


def unmatched_path(output: str | os.PathLike) -> Path:
    """Where the rows of students missing from the roster go: ``out.csv`` -> ``out.unmatched.csv``."""
    output = Path(output)
    return output.with_name(output.stem + ".unmatched.csv") if output.suffix else Path(str(output) + ".unmatched.csv")


def write_csv(path: str | os.PathLike, header: list[str], rows: Iterable[list[str]]) -> None:
    """Write a CSV through a temporary file and a rename: never half-written.

    Parameters
    ----------
    path : path-like
        The file; its folder is created if needed.
    header : list of str
        The first line.
    rows : iterable of list of str
        The other lines, each as long as ``header``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    os.replace(tmp, path)


def write_unmatched(output: str | os.PathLike, table: GradeTable, students: Iterable[str]) -> Path | None:
    """Write the ``grades.csv`` rows of ``students`` to :func:`unmatched_path` of ``output``.

    Returns
    -------
    Path or None
        The file written; None when ``students`` is empty, in which case a stale file from an
        earlier export is removed so that it cannot be mistaken for this one's.
    """
    path = unmatched_path(output)
    rows = table.of_students(students)
    if not rows:
        path.unlink(missing_ok=True)
        return None
    write_csv(path, GRADES_COLUMNS, ([r.as_csv()[c] for c in GRADES_COLUMNS] for r in rows))
    return path
