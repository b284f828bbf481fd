"""``grades.csv`` and the class gradebook: written by the grading process only.

Workers score each submission in a gradebook of their own; :func:`save_to_gradebook`
copies a student's scores into the class gradebook, replacing any earlier submission of
that student. The batch calls it from its main thread, one student at a time, so SQLite
never sees two writers, whatever ``--jobs`` is.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from nncourse import layout

COLUMNS = ["student", "score", "max_score", "status", "message"]


@dataclass
class Row:
    """One line of ``grades.csv``."""

    student: str
    score: float
    max_score: float
    status: str
    message: str

    def as_dict(self) -> dict:
        return {"student": self.student, "score": f"{self.score:g}", "max_score": f"{self.max_score:g}",
                "status": self.status, "message": self.message}


def read_rows(path: Path) -> dict[str, dict]:
    """The rows of an existing ``grades.csv`` by student (empty if there is none)."""
    if not Path(path).is_file():
        return {}
    with open(path, newline="", encoding="utf-8") as fh:
        return {row["student"]: row for row in csv.DictReader(fh)}


def write_rows(path: Path, rows: list[Row]) -> None:
    """Merge ``rows`` into ``grades.csv`` (a student's new row replaces the old one),
    sorted by student; written to a temporary file and renamed, so never half-written."""
    merged = read_rows(path)
    for row in rows:
        merged[row.student] = row.as_dict()
    tmp = Path(str(path) + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for student in sorted(merged):
            writer.writerow({k: merged[student].get(k, "") for k in COLUMNS})
    os.replace(tmp, path)


def max_score(db: Path, aid: str) -> float:
    """The assignment's total points, from a gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(layout.sqlite_url(db)) as gb:
        return float(gb.find_assignment(aid).max_score)


def save_to_gradebook(db: Path, aid: str, student: str, scores: dict[str, float]) -> None:
    """Record ``student``'s submission of ``aid`` with these auto scores (by grade_id;
    a missing grade_id scores 0), replacing any earlier one."""
    import warnings

    from nbgrader.api import Gradebook, MissingEntry

    with warnings.catch_warnings(), Gradebook(layout.sqlite_url(db)) as gb:
        # nbgrader's add_submission trips SQLAlchemy's autoflush warnings; harmless
        warnings.simplefilter("ignore")
        gb.update_or_create_student(student)
        try:
            gb.remove_submission(aid, student)
        except MissingEntry:
            pass
        submission = gb.add_submission(aid, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = float(scores.get(grade.name, 0.0))
                grade.needs_manual_grade = False
        gb.db.commit()
