"""``nncourse report``: a class report for instructors, from a grading output folder.

``nncourse grade ... --out OUT`` leaves ``OUT/grades.csv`` (one row per submission) and
``OUT/scores.csv`` (one row per test of each submission); see :mod:`nncourse.scores`. The
report reads both and writes one self-contained HTML page (:mod:`.page`) with, for each
assignment of the folder, four figures drawn by matplotlib (:mod:`.figures`):

``scores``      the histogram of the class's scores;
``pass-rates``  the share of students with full marks on each exercise (grade id): where
                the class struggled;
``statuses``    how many submissions ended ``ok``, ``timeout``, ``memory_limit``...;
``slowest``     the submissions whose grading took longest;

then the table of every student's row. The page works offline and alone: its images are
embedded as ``data:`` URIs, its style is inline, it has no script and names no other file.
The same figures are written as PNGs next to it, ``<assignment>-<figure>.png``.

This module gathers the numbers (:func:`summarize`) and writes the files
(:func:`write_report`); the page and the figures are built from what it gathers.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nncourse.scores import GRADES_FILE, SCORES_FILE, GradeRow, TestScore

if TYPE_CHECKING:  # matplotlib is imported when figures are drawn, not by the command line
    from matplotlib.figure import Figure

#: Where ``nncourse report OUT`` writes the page unless ``--output`` says otherwise.
DEFAULT_PAGE = Path("report") / "index.html"
#: The figures of each assignment, in the order the page shows them.
FIGURE_NAMES = ("scores", "pass-rates", "statuses", "slowest")
#: A test's score counts as full marks when it is within this of the test's maximum.
FULL_MARKS_TOLERANCE = 1e-9
#: Exercises passed by fewer than this share of the class are highlighted (figure and table).
STRUGGLE_BELOW = 0.5


@dataclass(frozen=True)
class ExerciseResult:
    """How the class did on one test (one grade id) of one assignment.

    Attributes
    ----------
    grade_id : str
        The test's nbgrader grade id.
    students : int
        Students with a score for this test in ``scores.csv``.
    full_marks : int
        Those of them who got every point of it.
    """

    grade_id: str
    students: int
    full_marks: int

    @property
    def pass_rate(self) -> float:
        """The share of :attr:`students` with full marks (0 when there is no student)."""
        return self.full_marks / self.students if self.students else 0.0


@dataclass(frozen=True)
class AssignmentSummary:
    """Everything the report shows about one assignment.

    Attributes
    ----------
    assignment : str
        The assignment id.
    grades : tuple of GradeRow
        One row per submission, by student.
    exercises : tuple of ExerciseResult
        One per grade id found in ``scores.csv`` for this assignment, by grade id; empty
        when there is no ``scores.csv``.
    """

    assignment: str
    grades: tuple[GradeRow, ...]
    exercises: tuple[ExerciseResult, ...]

    @property
    def submissions(self) -> int:
        """Number of submissions (rows of ``grades.csv``)."""
        return len(self.grades)

    @property
    def max_score(self) -> float:
        """The assignment's total, as its rows give it (the largest if they disagree)."""
        return max((row.max_score for row in self.grades), default=0.0)

    @property
    def scores(self) -> list[float]:
        """Every submission's score, by student."""
        return [row.score for row in self.grades]

    @property
    def mean_score(self) -> float:
        """Mean score over every submission, whatever its status (0 when there is none)."""
        return statistics.fmean(self.scores) if self.grades else 0.0

    @property
    def median_score(self) -> float:
        """Median score over every submission, whatever its status (0 when there is none)."""
        return statistics.median(self.scores) if self.grades else 0.0

    @property
    def late_submissions(self) -> int:
        """Submissions handed in after the due date."""
        return sum(1 for row in self.grades if row.late_minutes > 0)

    @property
    def to_grade(self) -> int:
        """Written answers still to grade by hand, over every submission."""
        return sum(row.to_grade for row in self.grades)

    @property
    def submissions_to_grade(self) -> int:
        """Submissions with a written answer still to grade by hand (their score is not final)."""
        return sum(1 for row in self.grades if row.to_grade)

    def manual_grading_text(self) -> str:
        """How much grading by hand is left, in words."""
        if not self.to_grade:
            return "none left"
        return f"{self.to_grade} written answer(s) in {self.submissions_to_grade} submission(s)"

    @property
    def status_counts(self) -> dict[str, int]:
        """Status to number of submissions, most specific first (see :func:`count_statuses`)."""
        return count_statuses(self.grades)

    @property
    def pass_rates(self) -> dict[str, float]:
        """Grade id to its pass rate, by grade id."""
        return {exercise.grade_id: exercise.pass_rate for exercise in self.exercises}

    @property
    def seconds(self) -> dict[str, float]:
        """Student to the wall time the grading of their submission took."""
        return {row.student: row.seconds for row in self.grades}


def assignment_order(assignments: Iterable[str]) -> tuple[str, ...]:
    """Assignment ids in teaching order, then any other id sorted.

    Parameters
    ----------
    assignments : iterable of str

    Returns
    -------
    tuple of str
        Each id once.
    """
    from nncourse.layout import ASSIGNMENTS

    found = set(assignments)
    return tuple(a for a in ASSIGNMENTS if a in found) + tuple(sorted(found - set(ASSIGNMENTS)))


def count_statuses(grades: Iterable[GradeRow]) -> dict[str, int]:
    """How many rows have each status: statuses in their order of precedence (the most
    specific first, ``ok`` last), then any unknown status sorted.

    Parameters
    ----------
    grades : iterable of GradeRow

    Returns
    -------
    dict of str to int
        Only the statuses that occur.
    """
    from nncourse.grading.status import PRECEDENCE

    counts = Counter(row.status for row in grades)
    known = [status.value for status in PRECEDENCE]
    ordered = [s for s in known if s in counts] + sorted(set(counts) - set(known))
    return {status: counts[status] for status in ordered}


def has_full_marks(test: TestScore) -> bool:
    """Whether ``test`` got every one of its points."""
    return test.score >= test.max_score - FULL_MARKS_TOLERANCE


def exercise_results(tests: Iterable[TestScore]) -> tuple[ExerciseResult, ...]:
    """How many students took each test and how many got full marks on it.

    Parameters
    ----------
    tests : iterable of TestScore
        The rows of ``scores.csv`` of one assignment.

    Returns
    -------
    tuple of ExerciseResult
        One per grade id, sorted by grade id.
    """
    taken: dict[str, int] = defaultdict(int)
    passed: dict[str, int] = defaultdict(int)
    for test in tests:
        taken[test.grade_id] += 1
        passed[test.grade_id] += has_full_marks(test)
    return tuple(ExerciseResult(grade_id, taken[grade_id], passed[grade_id]) for grade_id in sorted(taken))


def summarize(grades: Iterable[GradeRow], tests: Iterable[TestScore]) -> list[AssignmentSummary]:
    """One :class:`AssignmentSummary` per assignment of ``grades``, in teaching order.

    Parameters
    ----------
    grades : iterable of GradeRow
        The rows of ``grades.csv``.
    tests : iterable of TestScore
        The rows of ``scores.csv`` (empty when there is none). Tests of an assignment that
        ``grades`` does not hold are ignored.

    Returns
    -------
    list of AssignmentSummary
    """
    grades_by_assignment: dict[str, list[GradeRow]] = defaultdict(list)
    for row in grades:
        grades_by_assignment[row.assignment].append(row)
    tests_by_assignment: dict[str, list[TestScore]] = defaultdict(list)
    for test in tests:
        tests_by_assignment[test.assignment].append(test)
    return [AssignmentSummary(assignment=aid,
                              grades=tuple(sorted(grades_by_assignment[aid], key=lambda r: r.student)),
                              exercises=exercise_results(tests_by_assignment[aid]))
            for aid in assignment_order(grades_by_assignment)]


def assignment_figures(summary: AssignmentSummary) -> dict[str, Figure]:
    """The figures of one assignment, by name (see :data:`FIGURE_NAMES`).

    Parameters
    ----------
    summary : AssignmentSummary

    Returns
    -------
    dict of str to matplotlib.figure.Figure
    """
    from nncourse.report import figures

    aid = summary.assignment
    return {
        "scores": figures.score_histogram(summary.scores, summary.max_score, f"{aid}: scores"),
        "pass-rates": figures.pass_rates(summary.pass_rates, f"{aid}: students with full marks, per exercise"),
        "statuses": figures.status_counts(summary.status_counts, f"{aid}: statuses"),
        "slowest": figures.slowest_submissions(summary.seconds, f"{aid}: slowest submissions to grade"),
    }


def file_stems(assignments: Iterable[str]) -> dict[str, str]:
    """A file-name-safe stem for each assignment id, each one different.

    Characters other than letters, digits, ``.``, ``_`` and ``-`` become ``_``; a stem
    that two ids would share gets ``-2``, ``-3``... appended.

    Parameters
    ----------
    assignments : iterable of str

    Returns
    -------
    dict of str to str
        Assignment id to its stem.
    """
    stems: dict[str, str] = {}
    for aid in assignments:
        base = re.sub(r"[^A-Za-z0-9._-]", "_", aid).strip(".") or "assignment"
        stem, n = base, 1
        while stem in stems.values():
            n += 1
            stem = f"{base}-{n}"
        stems[aid] = stem
    return stems


def read_output(out: Path) -> tuple[list[GradeRow], list[TestScore] | None]:
    """The rows of ``OUT/grades.csv`` and of ``OUT/scores.csv`` (None when it is missing).

    Raises
    ------
    FileNotFoundError
        When ``OUT`` holds no ``grades.csv``.
    ValueError
        When a file is not one that ``nncourse grade`` writes, or ``grades.csv`` holds no row.
    """
    from nncourse.scores import read_grades, read_scores

    grades_path, scores_path = out / GRADES_FILE, out / SCORES_FILE
    if not grades_path.is_file():
        raise FileNotFoundError(f"no {GRADES_FILE} in {out}: grade first with `nncourse grade ID SUBMISSIONS "
                                f"--out {out}`")
    try:
        grades = read_grades(grades_path)
        tests = read_scores(scores_path) if scores_path.is_file() else None
    except (KeyError, ValueError) as exc:
        raise ValueError(f"{out} holds a CSV that nncourse grade did not write ({type(exc).__name__}: {exc})") \
            from None
    if not grades:
        raise ValueError(f"{grades_path} holds no grades")
    return grades, tests


def write_report(out: Path, page_path: Path | None = None) -> list[Path]:
    """Write the report of the grading output folder ``out``: the page and its PNGs.

    Parameters
    ----------
    out : Path
        Output folder of ``nncourse grade``, holding ``grades.csv`` and ``scores.csv``.
    page_path : Path, optional
        The HTML file to write; default ``out/report/index.html``. The PNGs go in the same
        folder, named ``<assignment>-<figure>.png``.

    Returns
    -------
    list of Path
        The page, then each PNG.

    Raises
    ------
    FileNotFoundError, ValueError
        See :func:`read_output`.
    """
    from nncourse.report.figures import to_png
    from nncourse.report.page import build_page

    grades, tests = read_output(out)
    summaries = summarize(grades, tests or [])
    pngs: dict[str, Mapping[str, bytes]] = {
        s.assignment: {name: to_png(figure) for name, figure in assignment_figures(s).items()} for s in summaries
    }
    notes = [] if tests is not None else [f"{out} holds no {SCORES_FILE}: the pass rate of each exercise is unknown."]
    page_path = page_path or out / DEFAULT_PAGE
    page_path.parent.mkdir(parents=True, exist_ok=True)
    page_path.write_text(build_page(summaries, pngs, source=out.resolve(), notes=notes), encoding="utf-8")
    written = [page_path]
    for aid, stem in file_stems(pngs).items():
        for name, png in pngs[aid].items():
            path = page_path.parent / f"{stem}-{name}.png"
            path.write_bytes(png)
            written.append(path)
    return written
