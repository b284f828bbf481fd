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

Written answers (nbgrader's manually graded answer cells) are graded by a person, in
nbgrader's formgrader (which writes nbgrader's ``grade`` and ``comment`` tables of this
same database) or with ``nncourse manual --import`` (:meth:`GradebookStore.set_hand_grade`).
Recording a result marks each answered written answer as needing manual grading, an
unanswered one (the release's text, or no notebook that ran) as 0 with nbgrader's
comment "No response.", and keeps the fingerprint of each answer
(:func:`~nncourse.grading.task.notebooks.answer_digest`) in the result table. A regrade of
the same student (``--force``, a new hand-in, a new grader) keeps the hand grade (points,
extra credit, comment) of every written answer whose fingerprint is unchanged, and drops
the others: a person grades the new text again, and the row's message says which. (Plain
nbgrader's ``autograde`` keeps every manual score whatever the student changed, and flags
the cell for review: ``SaveAutoGrades._add_score`` in nbgrader 0.9.) Points given by hand
to a *test* cell in the formgrader are not read: a test's points are what the test gave.

:meth:`GradebookStore.grade_rows` joins both: ``auto_score`` (the tests), ``manual_score``
(the written answers' hand points and any extra credit given to them), ``to_grade`` (the
written answers no one has graded yet) and ``score``, their sum less the late penalty,
computed again on that sum with the rule the run recorded (so ``10%/day`` takes a share of
the whole total, written answers included, and ``zero`` all of it).
"""

from __future__ import annotations

import json
import warnings
from contextlib import contextmanager
from collections.abc import Mapping
from dataclasses import dataclass, field
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
    late_rule : str or None
        The penalty's written form (``10%/day``...), so that it is applied again to the
        total once the written answers are graded; None without a penalty.
    answers : Mapping
        The submission's written answers, :func:`~nncourse.grading.task.notebooks.written_answers`
        of the notebook as it ran (empty when no notebook ran: nothing to grade by hand).
    """

    key: str
    result: object
    late_minutes: float = 0.0
    late_penalty: float = 0.0
    late_rule: str | None = None
    answers: Mapping[str, tuple[str | None, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class WrittenGrade:
    """One written answer of one submission, as the gradebook holds it.

    Attributes
    ----------
    assignment, student, question : str
        The submission and the answer's grade id.
    max_score : float
    points : float or None
        Its points (nbgrader's ``score``: the hand score, else the automatic 0 of an
        unanswered one); None while it is still to grade.
    manual : float or None
        The points given by hand (None: none given).
    extra_credit : float
    comment : str
        The hand comment, else nbgrader's automatic one ("No response.").
    digest : str or None
        The answer's fingerprint (None: unanswered, or recorded before fingerprints).
    text : str
        The student's answer.
    """

    assignment: str
    student: str
    question: str
    max_score: float
    points: float | None
    manual: float | None
    extra_credit: float
    comment: str
    digest: str | None
    text: str

    @property
    def to_grade(self) -> bool:
        """Whether a person still has to grade it."""
        return self.points is None


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
        *_added_columns(),
    )


def _added_columns():
    """The result table's columns that a table made by an older version lacks (nullable:
    :meth:`GradebookStore._add_missing_columns` adds them)."""
    from sqlalchemy import Column, String, Text

    return [Column("late_rule", String(64)),            # the penalty's written form, or NULL
            Column("answers_json", Text),               # {grade id: [digest or null, text]}
            Column("manual_digest", String(64))]        # the hand grades the stored feedback page shows


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
                self._add_missing_columns()
        except OperationalError as exc:
            raise ValueError(f"cannot open the gradebook {describe_url(self.url)}: {exc.orig}") from None
        return self

    def _add_missing_columns(self) -> None:
        """Add the columns a result table made by an older version lacks (all nullable)."""
        from sqlalchemy import inspect, text

        have = {c["name"] for c in inspect(self.engine).get_columns(RESULTS_TABLE)}
        with self.engine.begin() as conn:
            for column in _added_columns():
                if column.name not in have:
                    kind = column.type.compile(dialect=self.engine.dialect)
                    conn.execute(text(f"ALTER TABLE {RESULTS_TABLE} ADD COLUMN {column.name} {kind}"))

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

    def grade_rows(self, aid: str | None = None, students: Sequence[str] | None = None) -> list[GradeRow]:
        """Every stored result (of ``aid`` and ``students``, or all), as rows of
        ``grades.csv``, with the written answers' hand grades (see the module docstring)."""
        from sqlalchemy import select

        t = self.results
        query = select(t)
        if aid is not None:
            query = query.where(t.c.assignment == aid)
        if students is not None:
            query = query.where(t.c.student.in_(list(students)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        written = self.written_grades(aid, students)
        by_submission: dict[tuple[str, str], list[WrittenGrade]] = {}
        for w in written:
            by_submission.setdefault((w.assignment, w.student), []).append(w)
        maxima = self._written_maxima()
        return [_grade_row(r, by_submission.get((r["assignment"], r["student"]), []),
                           sum(maxima.get(r["assignment"], {}).values())) for r in rows]

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

    def _written_maxima(self) -> dict[str, dict[str, float]]:
        """Assignment -> written answer (grade id) -> its points: the cells of the
        gradebook's assignments that are both a grade and a solution cell."""
        from nbgrader.api import Assignment, GradeCell, Notebook, SolutionCell
        from sqlalchemy import and_
        from sqlalchemy.orm import Session

        with Session(self.engine) as session:
            found = (session.query(Assignment.name, GradeCell.name, GradeCell.max_score)
                     .join(Notebook, Notebook.assignment_id == Assignment.id)
                     .join(GradeCell, GradeCell.notebook_id == Notebook.id)
                     .join(SolutionCell, and_(SolutionCell.notebook_id == Notebook.id,
                                              SolutionCell.name == GradeCell.name))
                     .all())
        out: dict[str, dict[str, float]] = {}
        for aid, gid, most in found:
            out.setdefault(aid, {})[gid] = float(most)
        return out

    def written_grades(self, aid: str | None = None, students: Sequence[str] | None = None) -> list[WrittenGrade]:
        """Every written answer of every recorded submission (of ``aid`` and ``students``,
        or all), with its hand grade and the student's text; by assignment, student, then
        notebook order."""
        from nbgrader.api import (Assignment, Comment, Grade, GradeCell, SolutionCell, SubmittedAssignment,
                                  SubmittedNotebook)
        from sqlalchemy import select
        from sqlalchemy.orm import Session

        maxima = self._written_maxima()
        t = self.results
        query = select(t.c.assignment, t.c.student, t.c.answers_json)
        if aid is not None:
            query = query.where(t.c.assignment == aid)
        if students is not None:
            query = query.where(t.c.student.in_(list(students)))
        with self.engine.connect() as conn:
            answers = {(r.assignment, r.student): json.loads(r.answers_json) if r.answers_json else {}
                       for r in conn.execute(query)}
        wanted = {gid for cells in maxima.values() for gid in cells}
        with Session(self.engine) as session:
            def submitted(query, cell):
                query = (query.join(SubmittedNotebook, SubmittedNotebook.id == cell.notebook_id)
                         .join(SubmittedAssignment, SubmittedAssignment.id == SubmittedNotebook.assignment_id)
                         .join(Assignment, Assignment.id == SubmittedAssignment.assignment_id))
                if students is not None:
                    query = query.filter(SubmittedAssignment.student_id.in_(list(students)))
                return query if aid is None else query.filter(Assignment.name == aid)

            grades = submitted(session.query(Assignment.name, SubmittedAssignment.student_id, GradeCell.name,
                                             Grade.auto_score, Grade.manual_score, Grade.extra_credit)
                               .select_from(Grade).join(GradeCell, GradeCell.id == Grade.cell_id)
                               .filter(GradeCell.name.in_(wanted)), Grade).all()
            comments = submitted(session.query(Assignment.name, SubmittedAssignment.student_id, SolutionCell.name,
                                               Comment.manual_comment, Comment.auto_comment)
                                 .select_from(Comment).join(SolutionCell, SolutionCell.id == Comment.cell_id)
                                 .filter(SolutionCell.name.in_(wanted)), Comment).all()
        said = {(a, s, g): (manual or auto or "") for a, s, g, manual, auto in comments}
        order = {a: {g: i for i, g in enumerate(cells)} for a, cells in maxima.items()}
        out = []
        for a, student, gid, auto, manual, extra in grades:
            if gid not in maxima.get(a, {}) or (a, student) not in answers:
                continue
            digest, text = answers[a, student].get(gid, [None, ""])
            points = manual if manual is not None else auto
            out.append(WrittenGrade(a, student, gid, maxima[a][gid], points, manual, float(extra or 0.0),
                                    said.get((a, student, gid), ""), digest, text))
        return sorted(out, key=lambda w: (w.assignment, w.student, order[w.assignment].get(w.question, 0)))

    def feedback_states(self, aid: str) -> dict[str, str | None]:
        """student -> the :func:`hand_digest` the stored feedback page of ``aid`` shows
        (None: the task's page, no hand grade)."""
        from sqlalchemy import select

        t = self.results
        with self.engine.connect() as conn:
            return {r.student: r.manual_digest
                    for r in conn.execute(select(t.c.student, t.c.manual_digest).where(t.c.assignment == aid))}

    # --- writing ---------------------------------------------------------------------------
    def set_hand_grade(self, aid: str, student: str, question: str, score: float, comment: str | None) -> None:
        """Give ``student``'s written answer ``question`` of ``aid`` its points (and a
        comment, when not None), as the formgrader does when a person saves them.

        Raises
        ------
        ValueError
            When the gradebook has no such answer, or the score is outside 0..its points.
        """
        from nbgrader.api import MissingEntry

        with self.lock():
            gb = self._gradebook
            try:
                grade = gb.find_grade(question, aid, aid, student)
                remark = gb.find_comment(question, aid, aid, student)
            except MissingEntry:
                raise ValueError(f"the gradebook has no written answer {question!r} of {student!r}'s {aid}") from None
            if not 0 <= score <= grade.max_score:
                raise ValueError(f"{student}'s {question} ({aid}): {score:g} points is outside 0..{grade.max_score:g}")
            grade.manual_score = float(score)
            grade.needs_manual_grade = False
            if comment is not None:
                remark.manual_comment = comment
            gb.db.commit()

    def save_feedback(self, aid: str, student: str, html_page: str, manual_digest: str | None) -> None:
        """Store a feedback page rendered again with the hand grades of ``manual_digest``."""
        from sqlalchemy import update

        t = self.results
        with self.lock(), self.engine.begin() as conn:
            conn.execute(update(t).where((t.c.assignment == aid) & (t.c.student == student))
                         .values(feedback_html=html_page, manual_digest=manual_digest))

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
        with self.lock(), warnings.catch_warnings():
            # nbgrader's add_submission trips SQLAlchemy's autoflush warnings; harmless
            warnings.simplefilter("ignore")
            before = {(w.student, w.question): w for w in self.written_grades(aid, students)}
            gb = self._gradebook
            rows = []
            for recording in recordings:
                result = recording.result
                scores = {gid: got for gid, got, _most in result.scores}
                gb.update_or_create_student(result.student)
                try:
                    gb.remove_submission(aid, result.student)
                except MissingEntry:
                    pass
                submission = gb.add_submission(aid, result.student)
                dropped = []
                for notebook in submission.notebooks:
                    written = _written_answers(notebook.notebook)
                    comments = {c.name: c for c in notebook.comments}
                    for grade in notebook.grades:
                        if grade.name not in written:
                            grade.auto_score = float(scores.get(grade.name, 0.0))
                            grade.needs_manual_grade = False
                            continue
                        digest = recording.answers.get(grade.name, (None, ""))[0]
                        old = before.get((result.student, grade.name))
                        kept = old is not None and old.manual is not None and old.digest == digest
                        if old is not None and old.manual is not None and not kept:
                            dropped.append(grade.name)
                        # graded by hand: nbgrader's flag for a person to grade it, unless
                        # unanswered (nbgrader's own rule: 0 points, "No response.")
                        grade.auto_score = 0.0 if digest is None else None
                        grade.manual_score = old.manual if kept else None
                        grade.extra_credit = old.extra_credit if kept and old.extra_credit else None
                        grade.needs_manual_grade = digest is not None and not kept
                        comment = comments.get(grade.name)
                        if comment is not None:
                            comment.auto_comment = "No response." if digest is None else None
                            comment.manual_comment = (old.comment if kept and old.comment != "No response."
                                                      else None)
                rows.append(_result_row(aid, recording, dropped))
            gb.db.commit()
            t = self.results
            with self.engine.begin() as conn:
                conn.execute(delete(t).where((t.c.assignment == aid) & t.c.student.in_(students)))
                conn.execute(insert(t), rows)
        by_student = {g.student: g for g in self.grade_rows(aid, students)}
        return [by_student[s] for s in students]


def _result_row(aid: str, recording: Recording, dropped: Sequence[str] = ()) -> dict:
    """The result table's row of one recording; ``dropped``: the written answers whose hand
    grade this regrade dropped (their text changed)."""
    result, late_minutes, late_penalty = recording.result, recording.late_minutes, recording.late_penalty
    message = result.message
    if dropped:
        message = message.removesuffix(".") + (
            f"; changed since graded by hand, to grade again: {', '.join(dropped)}.")
    return {"assignment": aid, "student": result.student, "task_key": recording.key, "status": str(result.status),
            "score": max(0.0, result.score - late_penalty), "raw_score": result.score,
            "max_score": result.max_score, "late_minutes": late_minutes, "late_penalty": late_penalty,
            "seconds": result.timings.total, "message": message,
            "scores_json": json.dumps([list(s) for s in result.scores]), "feedback_html": result.feedback_html,
            "worker": result.worker, "recorded_at": datetime.now(timezone.utc), "late_rule": recording.late_rule,
            "answers_json": json.dumps({gid: list(answer) for gid, answer in recording.answers.items()}),
            "manual_digest": None}


def late_sentence(late_minutes: float, late_penalty: float) -> str:
    """What a row's message says of late work (empty when on time)."""
    if late_minutes <= 0:
        return ""
    return f" Handed in {late_minutes:.0f} minutes late" + (f": {late_penalty:g} points taken off."
                                                            if late_penalty else ".")


def _grade_row(r, written: Sequence[WrittenGrade], written_max: float) -> GradeRow:
    """The ``grades.csv`` row of one result-table row and its written answers: the tests'
    points plus the hand points, less the penalty computed again on that total."""
    from nncourse.grading.client.late import parse_penalty

    tests = json.loads(r["scores_json"])
    auto = float(r["raw_score"])
    manual = sum(w.manual or 0.0 for w in written) + sum(w.extra_credit for w in written)
    total_max = float(r["max_score"]) + written_max
    if r["late_rule"]:
        penalty = parse_penalty(r["late_rule"]).points(auto + manual, total_max, r["late_minutes"])
    else:
        penalty = min(float(r["late_penalty"]), auto + manual)
    message = r["message"]
    if r["answers_json"] is not None:  # recorded since the late sentence is written here
        message += late_sentence(r["late_minutes"], penalty)
    return GradeRow(student=r["student"], assignment=r["assignment"], score=max(0.0, auto + manual - penalty),
                    max_score=total_max, status=r["status"], message=message, late_minutes=r["late_minutes"],
                    late_penalty=penalty, seconds=r["seconds"],
                    lost_points_in=tuple(sorted(gid for gid, got, most in tests if got < most)),
                    auto_score=auto, manual_score=manual, to_grade=sum(w.to_grade for w in written))


def hand_digest(written: Sequence[WrittenGrade]) -> str | None:
    """A fingerprint of the hand grades of one submission's written answers (None when no
    one has given any): its feedback page is rendered again when it changes."""
    import hashlib

    given = [(w.question, w.manual, w.extra_credit, w.comment) for w in written
             if w.manual is not None or w.extra_credit or (w.comment and w.comment != "No response.")]
    return hashlib.sha256(json.dumps(given).encode()).hexdigest() if given else None


def _written_answers(notebook) -> set[str]:
    """Names of the gradebook notebook's answers graded by hand: nbgrader's manually
    graded answer cells, both a grade cell and a solution cell."""
    return {c.name for c in notebook.grade_cells} & {c.name for c in notebook.solution_cells}
