"""What grading hands an instructor: one row per submission and one per test, typed.

``OUT/grades.csv`` holds one :class:`GradeRow` per (student, assignment) and
``OUT/scores.csv`` one :class:`TestScore` per (student, assignment, grade_id). Both are
written by the grading client from the gradebook (so they are always what the database
holds) and read by ``nncourse export`` and ``nncourse report``; nothing else writes them.

Columns of ``grades.csv``:

``student``, ``assignment``
    who and what.
``score``, ``max_score``
    the points, ``auto_score + manual_score`` less any late penalty, and the assignment's
    total: its tests' points and its written answers'.
``status``
    see :class:`nncourse.grading.status.Status`.
``late_minutes``, ``late_penalty``
    minutes past the due date (0 when on time or when no due date was given) and the
    points the penalty took.
``lost_points_in``
    the grade ids of the tests that lost points, separated by spaces.
``seconds``
    wall time the grading task took (0 when nothing was run).
``message``
    one sentence for a person.
``auto_score``
    the points the tests gave (before any penalty).
``manual_score``
    the points given by hand so far to the written answers (nbgrader's manually graded
    answer cells), in nbgrader's formgrader or with ``nncourse manual --import``.
``to_grade``
    how many written answers are still to grade by hand: while it is not 0, ``score`` is
    not final (``nncourse export`` leaves the row out unless ``--partial``).

The last three were added after the others: a reader that knows only the first ten
columns reads the same values at the same places.

``OUT/timings.csv`` says where each task's time went, one row per result recorded by a
run (appended, run after run): ``student``, ``assignment``, ``worker`` (host, process
and sandbox), the task's phases in seconds (:class:`nncourse.grading.task.task.Timings`:
``worker_start``, ``kernel_ready``, ``executed``, ``autograde``, ``feedback``, ``setup``,
``grading``, ``total``) and ``recorded`` (the client's recording of the result: gradebook
row, autograded notebook, feedback page).
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path

GRADES_FILE = "grades.csv"
SCORES_FILE = "scores.csv"

GRADES_COLUMNS = ["student", "assignment", "score", "max_score", "status", "late_minutes", "late_penalty",
                  "lost_points_in", "seconds", "message", "auto_score", "manual_score", "to_grade"]
SCORES_COLUMNS = ["student", "assignment", "grade_id", "score", "max_score"]
TIMINGS_FILE = "timings.csv"
TIMINGS_COLUMNS = ["student", "assignment", "worker", "worker_start", "kernel_ready", "executed", "autograde",
                   "feedback", "setup", "grading", "total", "recorded"]


@dataclass(frozen=True)
class GradeRow:
    """One line of ``grades.csv``: one student's submission of one assignment."""

    student: str
    assignment: str
    score: float
    max_score: float
    status: str
    message: str
    late_minutes: float = 0.0
    late_penalty: float = 0.0
    lost_points_in: tuple[str, ...] = field(default_factory=tuple)
    seconds: float = 0.0
    auto_score: float | None = None
    manual_score: float = 0.0
    to_grade: int = 0

    def __post_init__(self):
        if self.auto_score is None:  # a row without written answers: the tests' points are the score's
            object.__setattr__(self, "auto_score", self.score + self.late_penalty)

    def as_csv(self) -> dict[str, str]:
        return {"student": self.student, "assignment": self.assignment, "score": f"{self.score:g}",
                "max_score": f"{self.max_score:g}", "status": self.status,
                "late_minutes": f"{self.late_minutes:g}", "late_penalty": f"{self.late_penalty:g}",
                "lost_points_in": " ".join(self.lost_points_in), "seconds": f"{self.seconds:.1f}",
                "message": self.message, "auto_score": f"{self.auto_score:g}",
                "manual_score": f"{self.manual_score:g}", "to_grade": str(self.to_grade)}

    @classmethod
    def from_csv(cls, row: dict[str, str]) -> "GradeRow":
        """A row of ``grades.csv``; one written before the last three columns existed reads
        as a row with nothing graded by hand and nothing left to grade."""
        return cls(student=row["student"], assignment=row["assignment"], score=float(row["score"]),
                   max_score=float(row["max_score"]), status=row["status"], message=row.get("message", ""),
                   late_minutes=float(row.get("late_minutes") or 0), late_penalty=float(row.get("late_penalty") or 0),
                   lost_points_in=tuple((row.get("lost_points_in") or "").split()),
                   seconds=float(row.get("seconds") or 0),
                   auto_score=float(row["auto_score"]) if row.get("auto_score") else None,
                   manual_score=float(row.get("manual_score") or 0), to_grade=int(row.get("to_grade") or 0))


@dataclass(frozen=True)
class TestScore:
    """One line of ``scores.csv``: one test of one student's submission."""

    student: str
    assignment: str
    grade_id: str
    score: float
    max_score: float

    def as_csv(self) -> dict[str, str]:
        return {"student": self.student, "assignment": self.assignment, "grade_id": self.grade_id,
                "score": f"{self.score:g}", "max_score": f"{self.max_score:g}"}

    @classmethod
    def from_csv(cls, row: dict[str, str]) -> "TestScore":
        return cls(row["student"], row["assignment"], row["grade_id"], float(row["score"]), float(row["max_score"]))


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    """Write a CSV to a temporary file and rename it: never half-written, even when two
    runs into one folder write it at once (each its own temporary file)."""
    tmp = Path(f"{path}.{os.getpid()}.tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, path)


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_grades(path: Path, rows: list[GradeRow]) -> None:
    """Write ``grades.csv``, sorted by assignment then student."""
    ordered = sorted(rows, key=lambda r: (r.assignment, r.student))
    _write(path, GRADES_COLUMNS, [r.as_csv() for r in ordered])


def write_scores(path: Path, rows: list[TestScore]) -> None:
    """Write ``scores.csv``, sorted by assignment, student, then grade id."""
    ordered = sorted(rows, key=lambda r: (r.assignment, r.student, r.grade_id))
    _write(path, SCORES_COLUMNS, [r.as_csv() for r in ordered])


def read_grades(path: Path) -> list[GradeRow]:
    """The rows of a ``grades.csv``.

    Raises
    ------
    FileNotFoundError
        When there is no such file.
    """
    return [GradeRow.from_csv(r) for r in _read(path)]


def read_scores(path: Path) -> list[TestScore]:
    """The rows of a ``scores.csv``.

    Raises
    ------
    FileNotFoundError
        When there is no such file.
    """
    return [TestScore.from_csv(r) for r in _read(path)]


def append_timings(path: Path, rows: list[dict]) -> None:
    """Append rows of ``timings.csv`` (:data:`TIMINGS_COLUMNS`; seconds with 3 decimals),
    writing the header when the file is new."""
    path = Path(path)
    new = not path.is_file()
    with open(path, "a", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=TIMINGS_COLUMNS)
        if new:
            writer.writeheader()
        writer.writerows({k: (f"{v:.3f}" if isinstance(v, float) else v) for k, v in row.items()} for row in rows)


def read_timings(path: Path) -> list[dict]:
    """The rows of ``timings.csv``, seconds as floats."""
    return [{k: (v if k in ("student", "assignment", "worker") else float(v)) for k, v in row.items()}
            for row in _read(path)]
