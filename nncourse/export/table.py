"""The grades to export, by student and assignment, and which of them may be written.

:func:`grade_table` gathers the :class:`~nncourse.scores.GradeRow` s of one or several
``grades.csv``. Each row belongs to a *student*: the LMS user ``--map`` names for its
submission, else its submission id. Students are told apart by
:func:`~nncourse.export.identity.student_key`; two submissions of one assignment that are
one student under it stop the export, naming both.

Which score is written is decided here and nowhere else (:meth:`GradeTable.score`): an
``ok`` row's score; for a row of any other status (``timeout``, ``kernel_died``,
``memory_limit``, ``process_limit``, ``invalid_notebook``, ``no_notebook``, ``ambiguous``, ``error``: see
:mod:`nncourse.grading.status`), nothing, so that the LMS keeps what it holds and the row
is listed as left out, or 0 when the instructor asks for that (``--failed-as-zero``).
An ``ok`` row whose written answers are not all graded by hand yet (``to_grade`` > 0:
its score is not final) is left out and listed the same way, unless the instructor writes
the points given so far on purpose (``--partial``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from nncourse.export.identity import student_key
from nncourse.grading.status import Status
from nncourse.layout import ASSIGNMENTS
from nncourse.scores import GradeRow


@dataclass(frozen=True)
class GradeTable:
    """Grades by student and assignment.

    Attributes
    ----------
    assignments : tuple of str
        Assignment ids, in teaching order (then any others, sorted).
    students : tuple of str
        Students, sorted: the LMS user ``--map`` gave, else the submission id (the first,
        sorted, when one student's submissions of different assignments are spelt
        differently).
    rows : Mapping
        ``(student, assignment)`` to its :class:`GradeRow`, whatever its status; the
        row itself is as ``grades.csv`` holds it.
    failed_as_zero : bool
        Whether rows whose status is not ``ok`` are written as 0 (else left out).
    partial : bool
        Whether ``ok`` rows with written answers still to grade are written with the points
        given so far (else left out).
    spellings : Mapping
        Student to the submission ids behind them, where they are not just the student.
    """

    assignments: tuple[str, ...]
    students: tuple[str, ...]
    rows: Mapping[tuple[str, str], GradeRow]
    failed_as_zero: bool = False
    spellings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    partial: bool = False

    def get(self, student: str | None, assignment: str) -> GradeRow | None:
        """The row of ``student``'s ``assignment``, or None when they did not submit it."""
        return self.rows.get((student, assignment)) if student is not None else None

    def score(self, student: str | None, assignment: str) -> float | None:
        """The score to write for ``student``'s ``assignment``: the row's when its status is
        ``ok``, 0 for another status under ``failed_as_zero``, else None (nothing to write:
        no row, or a row left out for its status)."""
        row = self.get(student, assignment)
        if row is None:
            return None
        if row.status == Status.OK:
            return row.score if (row.to_grade == 0 or self.partial) else None
        return 0.0 if self.failed_as_zero else None

    @property
    def ungraded(self) -> tuple[GradeRow, ...]:
        """The ``ok`` rows with written answers still to grade by hand, by assignment then student."""
        return tuple(sorted((r for r in self.rows.values() if r.status == Status.OK and r.to_grade > 0),
                            key=lambda r: (r.assignment, r.student)))

    @property
    def failed(self) -> tuple[GradeRow, ...]:
        """The rows whose status is not ``ok``, by assignment then student."""
        return tuple(sorted((r for r in self.rows.values() if r.status != Status.OK),
                           key=lambda r: (r.assignment, r.student)))

    def max_score(self, assignment: str) -> float:
        """The assignment's total, as its rows give it (the largest if they disagree)."""
        return max((r.max_score for (_, a), r in self.rows.items() if a == assignment), default=0.0)

    def of_students(self, students: Iterable[str]) -> list[GradeRow]:
        """Every row of these students, by assignment then submission id."""
        wanted = set(students)
        return sorted((r for (s, _), r in self.rows.items() if s in wanted), key=lambda r: (r.assignment, r.student))

    def notes(self) -> list[str]:
        """Sentences on whose submissions were taken for one student."""
        return [f"{student}: submissions {', '.join(map(repr, ids))} are taken for one student (--map, or ids equal "
                f"but for case, spaces or Unicode form)" for student, ids in self.spellings.items()]


def _collision(aid: str, first: GradeRow, second: GradeRow, mapped: Mapping[str, str]) -> ValueError:
    if first.student == second.student:
        return ValueError(f"student {first.student!r} has two rows for {aid}: export each assignment from one "
                          f"grading output folder only")
    said = ", ".join(f"--map sends {r.student!r} to {mapped[r.student]!r}" for r in (first, second)
                     if r.student in mapped)
    return ValueError(f"submissions {first.student!r} and {second.student!r} of {aid} are one LMS user once case, "
                      f"spaces and Unicode form are ignored{f' ({said})' if said else ''}, and one of the two grades "
                      f"would be lost: say which LMS user each is with --map FILE (a CSV of lines 'submission id, "
                      f"LMS user')")


def grade_table(rows: Iterable[GradeRow], *, id_map: Mapping[str, str] | None = None,
                failed_as_zero: bool = False, partial: bool = False) -> GradeTable:
    """Gather grade rows, of one or several assignments, into a :class:`GradeTable`.

    Parameters
    ----------
    rows : iterable of GradeRow
    id_map : Mapping, optional
        Submission id to LMS user (``--map``, see :func:`~nncourse.export.identity.read_id_map`).
    failed_as_zero : bool
        Write rows whose status is not ``ok`` as 0 (see :meth:`GradeTable.score`).
    partial : bool
        Write ``ok`` rows with written answers still to grade (see :meth:`GradeTable.score`).

    Raises
    ------
    ValueError
        When two rows of one assignment belong to one student: the same submission id twice
        (one assignment exported from two output folders), or two submission ids that
        :func:`~nncourse.export.identity.student_key` cannot tell apart, naming both.
    """
    id_map = dict(id_map or {})
    by_key: dict[tuple[str, str], GradeRow] = {}
    names: dict[str, set[str]] = {}
    ids: dict[str, set[str]] = {}
    for row in rows:
        student = id_map.get(row.student, row.student)
        key = student_key(student)
        if (key, row.assignment) in by_key:
            raise _collision(row.assignment, by_key[key, row.assignment], row, id_map)
        by_key[key, row.assignment] = row
        names.setdefault(key, set()).add(student)
        ids.setdefault(key, set()).add(row.student)
    name = {key: min(spelt) for key, spelt in names.items()}
    table = {(name[key], aid): row for (key, aid), row in by_key.items()}
    spellings = {name[key]: tuple(sorted(ids[key])) for key in ids if ids[key] != {name[key]}}
    found = {a for _, a in table}
    ordered = tuple(a for a in ASSIGNMENTS if a in found) + tuple(sorted(found - set(ASSIGNMENTS)))
    return GradeTable(assignments=ordered, students=tuple(sorted(name.values())), rows=table,
                      failed_as_zero=failed_as_zero, spellings=dict(sorted(spellings.items())), partial=partial)
