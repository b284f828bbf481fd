"""Written answers graded by hand: what is left to grade, the grading file, the
formgrader's settings, and the pages and CSV files written again once grades are given.

A written answer (nbgrader's manually graded answer cell) is graded by a person in one of
two ways, both writing nbgrader's gradebook that ``nncourse grade --out OUT`` records into:

- nbgrader's **formgrader**: ``nncourse grade`` writes ``OUT/nbgrader_config.py``
  (:func:`write_formgrader_config`), so that JupyterLab started in ``OUT`` shows the
  formgrader on this course (``OUT/nbgrader``: the autograded notebooks) and this gradebook;
- a **grading file** (:data:`GRADING_COLUMNS`): ``nncourse manual OUT --export FILE`` writes
  one row per student and written answer, with the student's text; a person fills in
  ``score`` (and ``comment``) and ``nncourse manual OUT --import FILE`` records them.

Either way, ``nncourse manual OUT`` (which ``--import`` ends with, and so does every
``nncourse grade`` run) writes ``grades.csv`` and ``scores.csv`` again from the gradebook
and renders again, with nbgrader's ``generate_feedback`` and the course's feedback settings
(hidden tests left out), each feedback page whose hand grades changed since it was written
(:func:`refresh`).
"""

from __future__ import annotations

import csv
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from nncourse import layout

#: The columns of the grading file. ``score`` empty: still to grade. ``answer_digest``: the
#: answer's fingerprint when the file was written (an import refuses a row whose answer has
#: changed since).
GRADING_COLUMNS = ["assignment", "student", "question", "max_score", "score", "comment", "answer_digest", "answer"]

FORMGRADER_CONFIG = "nbgrader_config.py"


@dataclass(frozen=True)
class Progress:
    """How far the hand grading of one assignment is.

    Attributes
    ----------
    assignment : str
    answers : int
        Written answers of the recorded submissions.
    to_grade : int
        Those still to grade.
    submissions : int
        Submissions with at least one of them.
    """

    assignment: str
    answers: int
    to_grade: int
    submissions: int

    def line(self) -> str:
        """One sentence for the instructor."""
        if not self.to_grade:
            return f"{self.assignment}: every written answer is graded ({self.answers})"
        return (f"{self.assignment}: {self.to_grade} of {self.answers} written answer(s) still to grade, in "
                f"{self.submissions} submission(s)")


def progress(written: Iterable) -> list[Progress]:
    """:class:`Progress` of each assignment of ``written`` (``WrittenGrade`` s), sorted."""
    by_aid: dict[str, list] = {}
    for w in written:
        by_aid.setdefault(w.assignment, []).append(w)
    return [Progress(aid, len(ws), sum(w.to_grade for w in ws), len({w.student for w in ws if w.to_grade}))
            for aid, ws in sorted(by_aid.items())]


def _number(text: str, where: str) -> float | None:
    text = text.strip().replace(",", ".") if text else ""
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{where}: score {text!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{where}: score {text!r} is not a number")
    return value


def write_grading_file(path: Path, written: Sequence) -> int:
    """Write the grading file of ``written`` (``WrittenGrade`` s) to ``path``; returns
    how many rows are still to grade. Unanswered answers come with nbgrader's 0 and
    "No response." (a person may still change them)."""
    path = Path(path)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(GRADING_COLUMNS)
        for w in written:
            writer.writerow([w.assignment, w.student, w.question, f"{w.max_score:g}",
                             "" if w.points is None else f"{w.points:g}", w.comment, w.digest or "", w.text])
    return sum(w.to_grade for w in written)


@dataclass(frozen=True)
class HandGrade:
    """One row of a grading file to record."""

    assignment: str
    student: str
    question: str
    score: float
    comment: str


def read_grading_file(path: Path, written: Sequence) -> tuple[list[HandGrade], int]:
    """The rows of a grading file that give something new, checked against the gradebook.

    Parameters
    ----------
    path : Path
        The file (as :func:`write_grading_file` wrote it, filled in).
    written : sequence of WrittenGrade
        What the gradebook holds now.

    Returns
    -------
    (list of HandGrade, int)
        The rows whose score or comment differs from the gradebook's, and how many rows
        were left as they were (same values, or no score yet).

    Raises
    ------
    ValueError
        Naming every bad row (nothing is to be recorded then): a missing column, an
        unknown student or question, a score that is not a number or outside 0..its
        points, a comment without a score, a row given twice, or an answer whose text
        changed since the file was written (its ``answer_digest``).
    """
    known = {(w.assignment, w.student, w.question): w for w in written}
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            lacking = [c for c in ("assignment", "student", "question", "score", "comment")
                       if c not in (reader.fieldnames or [])]
            if lacking:
                raise ValueError(f"{path}: no column {', '.join(lacking)} (the file `nncourse manual OUT --export` "
                                 f"writes has {', '.join(GRADING_COLUMNS)})")
            rows = list(reader)
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text (save the grading file as CSV UTF-8)") from None
    problems, grades, unchanged, seen = [], [], 0, set()
    for number, row in enumerate(rows, start=2):
        key = ((row.get("assignment") or "").strip(), (row.get("student") or "").strip(),
               (row.get("question") or "").strip())
        where = f"{path}, line {number} ({key[1]}'s {key[2]}, {key[0]})"
        w = known.get(key)
        if w is None:
            problems.append(f"{where}: the gradebook holds no such written answer")
            continue
        if key in seen:
            problems.append(f"{where}: given twice")
            continue
        seen.add(key)
        try:
            score = _number(row.get("score") or "", where)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        comment = (row.get("comment") or "").strip()
        if score is None:
            if comment and comment != w.comment:
                problems.append(f"{where}: a comment without a score (give both, or leave both)")
            else:
                unchanged += 1
            continue
        if not 0 <= score <= w.max_score:
            problems.append(f"{where}: {score:g} points is outside 0..{w.max_score:g}")
            continue
        digest = (row.get("answer_digest") or "").strip()
        if "answer_digest" in row and digest != (w.digest or ""):
            problems.append(f"{where}: the answer changed since this file was written (it was graded again); "
                            "export a new file and grade the new text")
            continue
        if score == w.points and comment == w.comment:
            unchanged += 1
            continue
        grades.append(HandGrade(*key, score=score, comment=comment))
    if problems:
        raise ValueError(f"nothing was recorded; {len(problems)} row(s) to correct:\n" + "\n".join(problems))
    return grades, unchanged


def write_formgrader_config(out: Path, db_url: str) -> Path:
    """Write ``OUT/nbgrader_config.py``: nbgrader's formgrader, started from ``OUT``
    (``jupyter lab``), grades this folder's course and gradebook. The URL is written
    without its password (PostgreSQL reads it from ``~/.pgpass``)."""
    from nncourse.grading.gradebook.store import describe_url

    path = Path(out) / FORMGRADER_CONFIG
    path.write_text(f'''"""Written by `nncourse grade`: nbgrader's formgrader on this grading folder.

Start it from this folder: `jupyter lab` (then Nbgrader > Formgrader > Manage Assignments >
the assignment > its notebook, or Manual Grading). Once grades are given, `nncourse manual
{Path(out).name}` (run from the folder above) writes grades.csv and the feedback pages again.
"""
from pathlib import Path

c = get_config()  # noqa: F821
c.CourseDirectory.root = str(Path(__file__).resolve().parent / "nbgrader")
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.db_url = {describe_url(db_url)!r}
''', encoding="utf-8")
    return path


def _render_feedback(course, db_url: str, student: str) -> str:
    """The feedback page of ``student`` rendered again by nbgrader from the autograded
    notebook in ``course`` and the gradebook at ``db_url`` (with its hand grades).

    Raises
    ------
    ValueError
        When nbgrader fails.
    """
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    from nncourse.grading.task.feedback import configure_feedback
    from nncourse.kernels import patched_environ

    c = Config()
    c.CourseDirectory.root = str(course.root)
    c.CourseDirectory.source_directory = "source"
    c.CourseDirectory.release_directory = "release"
    c.CourseDirectory.db_url = db_url
    c.CourseDirectory.ignore = layout.NBGRADER_IGNORE
    configure_feedback(c)
    with patched_environ({"PATH": layout.nbgrader_env()["PATH"]}):
        done = NbGraderAPI(config=c).generate_feedback(course.aid, student, force=True)
    page = course.root / "feedback" / student / course.aid / f"{course.aid}.html"
    if not done.get("success") or not page.is_file():
        raise ValueError(f"nbgrader could not render {student}'s feedback of {course.aid}: "
                         f"{(done.get('error') or done.get('log') or '')[-1000:]}")
    return page.read_text(encoding="utf-8")


def refresh(store, out: Path, repo: Path) -> list[tuple[str, str]]:
    """Render again the feedback page of every submission recorded in ``out`` whose hand
    grades changed since its page was written; write ``grades.csv`` and ``scores.csv``.

    Returns
    -------
    list of (assignment, student)
        The pages written again.
    """
    from nncourse.grading.client.course import Course
    from nncourse.grading.gradebook.store import hand_digest
    from nncourse.scores import write_grades, write_scores

    written = store.written_grades()
    by_submission: dict[tuple[str, str], list] = {}
    for w in written:
        by_submission.setdefault((w.assignment, w.student), []).append(w)
    pages = []
    for aid in sorted({a for a, _ in by_submission}):
        course = Course(out, aid, repo)
        shown = store.feedback_states(aid)
        for student, digest in sorted(shown.items()):
            now = hand_digest(by_submission.get((aid, student), []))
            if now == digest or not course.autograded(student).is_file():
                continue
            page = _render_feedback(course, store.url, student)
            target = course.feedback / f"{student}.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page, encoding="utf-8")
            store.save_feedback(aid, student, page, now)
            pages.append((aid, student))
    out = Path(out)
    write_grades(out / "grades.csv", store.grade_rows())
    write_scores(out / "scores.csv", store.test_scores())
    return pages


def report(store, stream=None) -> list[Progress]:
    """Print each assignment's :class:`Progress` (to ``stream``, default stderr) and return them."""
    found = progress(store.written_grades())
    for p in found:
        print(p.line(), file=stream or sys.stderr)
    return found
