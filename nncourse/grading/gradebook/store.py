"""The class gradebook: nbgrader's tables and the project's own result table, on any
database nbgrader accepts (an SQLAlchemy URL: SQLite by default, PostgreSQL through psycopg).

Only the grading client writes here (tasks never see it). Results are recorded in batches
(whatever finished while the last batch was written), each batch under one lock, in nbgrader's schema (a submission with its auto scores, so ``nbgrader export``
and the formgrader see it) and in :data:`RESULTS_TABLE`, a table of the project's own
keyed by (assignment, student) that keeps what nbgrader's schema has no place for: the
status, the message, the late minutes and penalty, the task's key (see
:meth:`nncourse.grading.task.task.TaskInput.key`: a re-run skips a student whose stored key is
the same), the feedback page and the per-test scores. ``grades.csv`` and ``scores.csv``
are written from that table, so they are always what the database holds.

The lock is PostgreSQL's advisory lock (several graders, on several machines, may share
one server), or an exclusive ``flock`` on ``<database>.lock`` for SQLite. A client killed
between nbgrader's commit and the result table's leaves no result row for that student,
so the next run grades it again and replaces nbgrader's submission: no row is lost or doubled.
A batch's result rows are written in one transaction: all of them or none.
"""

from __future__ import annotations

import json
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from nncourse.scores import GradeRow, TestScore

RESULTS_TABLE = "nncourse_results"
#: The key of the PostgreSQL advisory lock every nncourse client takes to write.
ADVISORY_LOCK_KEY = 0x6E6E636F  # "nnco"


@dataclass(frozen=True)
class Recording:
    """One task result to record, with what the client computed for it.

    Attributes
    ----------
    key : str
        The task input's key (:meth:`~nncourse.grading.task.task.TaskInput.key`).
    result : nncourse.grading.task.task.TaskResult
    late_minutes, late_penalty : float
        Computed by the client (:mod:`nncourse.grading.client.late`); the penalty is subtracted
        from the score written to the result table (nbgrader's auto scores stay the tests').
    """

    key: str
    result: object
    late_minutes: float = 0.0
    late_penalty: float = 0.0


@dataclass(frozen=True)
class StoredKey:
    """What a re-run needs to know of a stored result."""

    key: str
    status: str


def _results_table(metadata):
    from sqlalchemy import Column, DateTime, Float, String, Table, Text

    return Table(
        RESULTS_TABLE, metadata,
        Column("assignment", String(128), primary_key=True),
        Column("student", String(128), primary_key=True),
        Column("task_key", String(64), nullable=False),
        Column("status", String(32), nullable=False),
        Column("score", Float, nullable=False),
        Column("raw_score", Float, nullable=False),
        Column("max_score", Float, nullable=False),
        Column("late_minutes", Float, nullable=False),
        Column("late_penalty", Float, nullable=False),
        Column("seconds", Float, nullable=False),
        Column("message", Text, nullable=False),
        Column("scores_json", Text, nullable=False),
        Column("feedback_html", Text),
        Column("worker", Text),
        Column("recorded_at", DateTime(timezone=True), nullable=False),
    )


def describe_url(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


class GradebookStore:
    """The class gradebook at ``url`` (open it with ``with``).

    Raises
    ------
    ValueError
        When the URL is not one SQLAlchemy can use (an unknown driver...).
    """

    def __init__(self, url: str):
        from sqlalchemy import MetaData, create_engine
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        self.url = url
        try:
            self.engine = create_engine(url, future=True)
        except (ArgumentError, NoSuchModuleError) as exc:
            raise ValueError(f"--db {url!r} is not a database URL SQLAlchemy can use: {exc}") from None
        self.is_postgres = self.engine.dialect.name == "postgresql"
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self.metadata = MetaData()
        self.results = _results_table(self.metadata)
        self._gradebook = None

    # --- the lock -------------------------------------------------------------------
    @contextmanager
    def lock(self):
        """Exclusive write access among every nncourse client of this database."""
        if self.is_postgres:
            from sqlalchemy import text

            with self.engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": ADVISORY_LOCK_KEY})
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_LOCK_KEY})
                    conn.commit()
        elif self.is_sqlite and self.engine.url.database not in (None, "", ":memory:"):
            import fcntl

            path = Path(self.engine.url.database + ".lock")
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(fh, fcntl.LOCK_UN)
        else:
            yield

    # --- opening ----------------------------------------------------------------------
    def __enter__(self) -> "GradebookStore":
        from nbgrader.api import Gradebook
        from sqlalchemy.exc import OperationalError

        from nncourse import layout
        from nncourse.kernels import patched_environ

        if self.is_sqlite and self.engine.url.database:
            Path(self.engine.url.database).parent.mkdir(parents=True, exist_ok=True)
        try:
            # nbgrader creates its tables when there are none (one client at a time), and
            # runs `alembic` from PATH to stamp a new database
            with self.lock(), patched_environ({"PATH": layout.nbgrader_env()["PATH"]}):
                self._gradebook = Gradebook(self.url)
                self.metadata.create_all(self.engine)
        except OperationalError as exc:
            raise ValueError(f"cannot open the gradebook {describe_url(self.url)}: {exc.orig}") from None
        return self

    def __exit__(self, *exc) -> None:
        if self._gradebook is not None:
            self._gradebook.close()
        self.engine.dispose()

    @property
    def gradebook(self):
        """nbgrader's :class:`~nbgrader.api.Gradebook` on this database."""
        return self._gradebook

    # --- the assignment ------------------------------------------------------------------
    def ensure_assignment(self, aid: str, template_url: str) -> None:
        """Copy the assignment's structure (notebooks, grade, solution, task and source
        cells) from the template gradebook unless this one has it already."""
        from nbgrader.api import Gradebook, MissingEntry

        with self.lock():
            gb = self._gradebook
            try:
                gb.find_assignment(aid)
                return
            except MissingEntry:
                pass
            with warnings.catch_warnings(), Gradebook(template_url) as template:
                warnings.simplefilter("ignore")
                gb.update_or_create_assignment(aid)
                for nb in template.find_assignment(aid).notebooks:
                    gb.update_or_create_notebook(nb.name, aid)
                    for c in nb.grade_cells:
                        gb.update_or_create_grade_cell(c.name, nb.name, aid, max_score=c.max_score,
                                                       cell_type=c.cell_type)
                    for c in nb.solution_cells:
                        gb.update_or_create_solution_cell(c.name, nb.name, aid)
                    for c in nb.task_cells:
                        gb.update_or_create_task_cell(c.name, nb.name, aid, max_score=c.max_score,
                                                      cell_type=c.cell_type)
                    for c in nb.source_cells:
                        gb.update_or_create_source_cell(c.name, nb.name, aid, cell_type=c.cell_type,
                                                        locked=c.locked, source=c.source, checksum=c.checksum)

    # --- reading ----------------------------------------------------------------------------
    def stored_keys(self, aid: str) -> dict[str, StoredKey]:
        """student -> the key and status of the stored result, for ``aid``."""
        from sqlalchemy import select

        t = self.results
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.c.student, t.c.task_key, t.c.status).where(t.c.assignment == aid))
            return {r.student: StoredKey(r.task_key, r.status) for r in rows}

    def grade_rows(self) -> list[GradeRow]:
        """Every stored result, as rows of ``grades.csv`` (all assignments)."""
        from sqlalchemy import select

        t = self.results
        with self.engine.connect() as conn:
            rows = conn.execute(select(t)).mappings().all()
        out = []
        for r in rows:
            tests = json.loads(r["scores_json"])
            out.append(GradeRow(
                student=r["student"], assignment=r["assignment"], score=r["score"], max_score=r["max_score"],
                status=r["status"], message=r["message"], late_minutes=r["late_minutes"],
                late_penalty=r["late_penalty"], seconds=r["seconds"],
                lost_points_in=tuple(sorted(gid for gid, got, most in tests if got < most))))
        return out

    def test_scores(self) -> list[TestScore]:
        """Every test of every stored result, as rows of ``scores.csv``."""
        from sqlalchemy import select

        t = self.results
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.c.student, t.c.assignment, t.c.scores_json)).all()
        return [TestScore(r.student, r.assignment, gid, got, most)
                for r in rows for gid, got, most in json.loads(r.scores_json)]

    def feedback_html(self, aid: str, student: str) -> str | None:
        """The stored feedback page of one result, or None."""
        from sqlalchemy import select

        t = self.results
        with self.engine.connect() as conn:
            return conn.execute(select(t.c.feedback_html).where(
                (t.c.assignment == aid) & (t.c.student == student))).scalar_one_or_none()

    # --- writing ---------------------------------------------------------------------------
    def record(self, aid: str, key: str, result, late_minutes: float = 0.0, late_penalty: float = 0.0) -> GradeRow:
        """Record one task result: :meth:`record_all` of one :class:`Recording`."""
        return self.record_all(aid, [Recording(key, result, late_minutes, late_penalty)])[0]

    def record_all(self, aid: str, recordings: Sequence[Recording]) -> list[GradeRow]:
        """Record task results of ``aid``, each replacing any earlier one of its student.

        One lock for the batch; nbgrader's submissions are replaced one by one (its API
        commits each), their auto scores committed once, and the result rows written in one
        transaction. Returns the grade rows, in the order of ``recordings``.

        Raises
        ------
        ValueError
            When two recordings are of the same student.
        """
        from nbgrader.api import MissingEntry
        from sqlalchemy import delete, insert

        students = [r.result.student for r in recordings]
        if len(set(students)) != len(students):
            raise ValueError(f"one batch holds two results of one student: {sorted(students)}")
        if not recordings:
            return []
        rows = [_result_row(aid, r) for r in recordings]
        with self.lock(), warnings.catch_warnings():
            # nbgrader's add_submission trips SQLAlchemy's autoflush warnings; harmless
            warnings.simplefilter("ignore")
            gb = self._gradebook
            for recording in recordings:
                result = recording.result
                scores = {gid: got for gid, got, _most in result.scores}
                gb.update_or_create_student(result.student)
                try:
                    gb.remove_submission(aid, result.student)
                except MissingEntry:
                    pass
                submission = gb.add_submission(aid, result.student)
                for notebook in submission.notebooks:
                    written = _written_answers(notebook.notebook)
                    for grade in notebook.grades:
                        if grade.name in written:  # graded by hand: nbgrader's flag for a person to grade it
                            grade.auto_score = None
                            grade.needs_manual_grade = True
                            continue
                        grade.auto_score = float(scores.get(grade.name, 0.0))
                        grade.needs_manual_grade = False
            gb.db.commit()
            t = self.results
            with self.engine.begin() as conn:
                conn.execute(delete(t).where((t.c.assignment == aid) & t.c.student.in_(students)))
                conn.execute(insert(t), rows)
        return [GradeRow(r.result.student, aid, row["score"], r.result.max_score, row["status"], row["message"],
                         r.late_minutes, r.late_penalty, r.result.lost_points_in, r.result.timings.total)
                for r, row in zip(recordings, rows)]


def _result_row(aid: str, recording: Recording) -> dict:
    """The result table's row of one recording."""
    result, late_minutes, late_penalty = recording.result, recording.late_minutes, recording.late_penalty
    message = result.message
    if late_minutes > 0:
        message += f" Handed in {late_minutes:.0f} minutes late" + (
            f": {late_penalty:g} points taken off." if late_penalty else ".")
    return {"assignment": aid, "student": result.student, "task_key": recording.key, "status": str(result.status),
            "score": max(0.0, result.score - late_penalty), "raw_score": result.score,
            "max_score": result.max_score, "late_minutes": late_minutes, "late_penalty": late_penalty,
            "seconds": result.timings.total, "message": message,
            "scores_json": json.dumps([list(s) for s in result.scores]), "feedback_html": result.feedback_html,
            "worker": result.worker, "recorded_at": datetime.now(timezone.utc)}


def _written_answers(notebook) -> set[str]:
    """Names of the gradebook notebook's answers graded by hand: nbgrader's manually
    graded answer cells, both a grade cell and a solution cell."""
    return {c.name for c in notebook.grade_cells} & {c.name for c in notebook.solution_cells}
