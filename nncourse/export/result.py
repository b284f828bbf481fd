"""What an export wrote and what it did not: :class:`ExportResult`, and the file of
grades that found no roster student (``<output stem>.unmatched.csv``)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from nncourse.export.csvio import write_csv
from nncourse.export.table import GradeTable
from nncourse.scores import GRADES_COLUMNS, GradeRow


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
        when that is empty) with nothing graded of it in this run: no submission, or a
        row left out for its status. What the file does for them is :attr:`kept`.
    kept : str
        How the file leaves their grade alone, in words (e.g. "keep the grade Canvas holds").
    failed : tuple of GradeRow
        Rows whose status is not ``ok``: left out (nothing written for them), or written
        as 0 when :attr:`failed_as_zero`.
    failed_as_zero : bool
        Whether :attr:`failed` were written as 0 (``--failed-as-zero``).
    ungraded : tuple of GradeRow
        ``ok`` rows with written answers still to grade by hand: left out (nothing written
        for them), or written with the points given so far when :attr:`partial`.
    partial : bool
        Whether :attr:`ungraded` were written (``--partial``).
    unmatched : tuple of str
        Students with grades who are not on the roster (or, for Moodle, whose roster row
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
    kept: str = "are left empty"
    failed: tuple[GradeRow, ...] = ()
    failed_as_zero: bool = False
    ungraded: tuple[GradeRow, ...] = ()
    partial: bool = False
    unmatched: tuple[str, ...] = ()
    unmatched_file: Path | None = None
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @classmethod
    def of(cls, table: GradeTable, **fields) -> "ExportResult":
        """An ExportResult with what ``table`` says of failed rows, and ``fields``."""
        return cls(failed=table.failed, failed_as_zero=table.failed_as_zero, ungraded=table.ungraded,
                   partial=table.partial, **fields)

    @property
    def left_out(self) -> tuple[GradeRow, ...]:
        """The rows left out of :attr:`output` for their status (none under ``--failed-as-zero``)
        or for their written answers still to grade (none under ``--partial``)."""
        return (() if self.failed_as_zero else self.failed) + (() if self.partial else self.ungraded)

    def report(self) -> list[str]:
        """Lines for a person: notes, who is missing, failed or unmatched, then what was written."""
        lines = list(self.notes)
        for aid, students in self.missing.items():
            if students:
                lines.append(f"{aid}: {len(students)} roster student(s) with nothing graded in this run {self.kept}: "
                             f"{', '.join(students)}")
        if self.failed:
            how = "written as 0 (--failed-as-zero)" if self.failed_as_zero else "left out (see stderr)"
            lines.append(f"{len(self.failed)} grade(s) with a status other than ok {how}")
        if self.ungraded:
            how = ("written with the points given so far (--partial)" if self.partial else
                   "left out until they are graded (see stderr; --partial writes the points given so far)")
            lines.append(f"{len(self.ungraded)} grade(s) with written answers still to grade by hand {how}")
        if self.unmatched:
            lines.append(f"{len(self.unmatched)} student(s) with grades could not be placed on the roster and are "
                         f"not in {self.output}; their rows are in {self.unmatched_file}: {', '.join(self.unmatched)}")
        lines.append(f"wrote {self.output} ({self.format}; columns: {', '.join(self.columns)})")
        return lines

    def problems(self) -> list[str]:
        """Lines for stderr: each warning, then each row left out for its status."""
        lines = [f"warning: {w}" for w in self.warnings]
        for row in self.left_out:
            lines.append(f"left out: {row.student}'s {row.assignment}, status {row.status}"
                         + (f" ({row.message})" if row.message else "")
                         + "; nothing is written for it, so the LMS keeps what it holds (--failed-as-zero writes 0)")
        for row in self.ungraded:
            if self.partial:
                lines.append(f"partial: {row.student}'s {row.assignment} written with {row.score:g} of "
                             f"{row.max_score:g} points, {row.to_grade} written answer(s) still to grade by hand")
            else:
                lines.append(f"left out: {row.student}'s {row.assignment}, {row.to_grade} written answer(s) still "
                             "to grade by hand (`nncourse manual OUT`); nothing is written for it, so the LMS keeps "
                             "what it holds (--partial writes the points given so far)")
        return lines


def unmatched_path(output: str | os.PathLike) -> Path:
    """Where the rows of students missing from the roster go: ``out.csv`` -> ``out.unmatched.csv``."""
    output = Path(output)
    return output.with_name(output.stem + ".unmatched.csv") if output.suffix else Path(str(output) + ".unmatched.csv")


def write_unmatched(output: str | os.PathLike, table: GradeTable, students: Iterable[str]) -> Path | None:
    """Write the ``grades.csv`` rows of ``students`` (all of them, whatever their status) to
    :func:`unmatched_path` of ``output``.

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
