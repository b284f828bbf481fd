"""Plain nbgrader from a fresh clone, as an instructor runs it: no ``.nbgrader/`` folder yet,
only the repository's ``nbgrader_config.py``.

One round, in a copy of the repository's files (tracked, and untracked but not ignored):
``generate_assignment --force`` (regenerates ``course/<id>/`` without deleting it),
``release_assignment`` into the course-local exchange; a student (this machine's user:
nbgrader's exchange names a student by their login) runs ``fetch_assignment`` and
``submit`` of the untouched release, from a folder of their own; the instructor runs
``collect``, puts a second hand-in (the solution) into ``submitted/`` by hand with its
``timestamp.txt``, as from an LMS, then ``autograde``, ``generate_feedback`` and
``export``. The feedback pages show no hidden test and load no MathJax (formulas are
MathML), and the exported scores are full marks for the solution and zero for the release.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.utils import get_username

from nncourse import layout
from nncourse.grading.task.notebooks import autograded_points, written_points
from tests.course_tools import ROOT, hidden_test_lines, kernel_env, run, solution_path

pytestmark = [pytest.mark.grading, pytest.mark.xdist_group("grading_command")]

AID = "01_neuron"
#: The student who hands in the untouched release through the exchange: this login.
EXCHANGE_STUDENT = get_username()
#: The student whose hand-in (the solution) the instructor puts into ``submitted/``.
LMS_STUDENT = "ada" if EXCHANGE_STUDENT != "ada" else "bob"


def repository_files(root: Path) -> list[str]:
    """Paths of the files a fresh clone has, with what is not committed yet but not ignored."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=root, capture_output=True, text=True, check=True).stdout
    return sorted({p for p in listed.split("\0") if p and (root / p).is_file()})


def fresh_clone(dest: Path) -> Path:
    """A copy of this checkout's repository files in ``dest``, without any nbgrader state."""
    for name in repository_files(ROOT):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    assert not (dest / layout.STATE_DIR).exists()
    return dest


def state_dir(clone: Path) -> Path:
    """The clone's nbgrader state folder (``NNCOURSE_STATE`` is not passed to its commands)."""
    return clone / layout.STATE_DIR


def exchange_root(clone: Path) -> Path:
    """The clone's course-local exchange, inside its state folder."""
    return state_dir(clone) / layout.EXCHANGE_DIR


@pytest.fixture(scope="module")
def plain_round(tmp_path_factory):
    """The course after one plain nbgrader round: ``(clone, exported grades.csv)``."""
    base = tmp_path_factory.mktemp("plain")
    clone = fresh_clone(base / "clone")
    env = kernel_env()
    env.pop(layout.STATE_VARIABLE, None)  # the clone's own .nbgrader/, as in a fresh clone

    def nbgrader(*args: str, cwd: Path = clone) -> subprocess.CompletedProcess:
        proc = run([sys.executable, "-m", "nbgrader", *args], cwd, env, timeout=300)
        assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
        return proc

    nbgrader("generate_assignment", AID, "--force")
    nbgrader("release_assignment", AID)
    home = base / "student"  # a student's own folder: no course config there
    home.mkdir()
    exchange = ["--course", layout.COURSE_ID, f"--Exchange.root={exchange_root(clone)}"]
    nbgrader("fetch_assignment", AID, *exchange, cwd=home)
    nbgrader("submit", AID, *exchange, cwd=home)
    nbgrader("collect", AID)
    by_hand = state_dir(clone) / "submitted" / LMS_STUDENT / AID
    by_hand.mkdir(parents=True)
    shutil.copy2(solution_path(AID), by_hand / f"{AID}.ipynb")
    (by_hand / "timestamp.txt").write_text("2026-01-15 10:00:00.000000 UTC")
    nbgrader("autograde", AID)
    nbgrader("generate_feedback", AID)
    nbgrader("export", f"--to={base / 'grades.csv'}")
    return clone, base / "grades.csv"


def test_a_fresh_clone_generates_releases_and_collects(plain_round):
    clone, _ = plain_round
    state = state_dir(clone)
    assert (state / "gradebook.db").is_file()
    assert layout.release_notebook(clone, AID).is_file(), "generate_assignment --force left course/<id>/ deleted"
    released = list((exchange_root(clone) / layout.COURSE_ID / "outbound" / AID).glob("*.ipynb"))
    assert [p.name for p in released] == [f"{AID}.ipynb"]
    collected = state / "submitted" / EXCHANGE_STUDENT / AID
    assert (collected / f"{AID}.ipynb").is_file() and (collected / "timestamp.txt").is_file()


def test_feedback_shows_no_hidden_test_and_loads_no_mathjax(plain_round):
    clone, _ = plain_round
    hidden = hidden_test_lines(nbformat.read(solution_path(AID), as_version=4))
    assert hidden, "the solution notebook has hidden tests"
    for student in (EXCHANGE_STUDENT, LMS_STUDENT):
        page = state_dir(clone) / "feedback" / student / AID / f"{AID}.html"
        text = html.unescape(page.read_text(encoding="utf-8"))
        assert "BEGIN HIDDEN TESTS" not in text, student
        leaked = sorted(line for line in hidden if line in text)
        assert not leaked, (student, leaked[:3])
        assert "<math" in text, "formulas are written as MathML"
        assert not re.search(r"<script[^>]*\bsrc=[\"']https?://", text), "the page loads a script from the network"
        assert "MathJax.js" not in text and "x-mathjax-config" not in text, "the page still loads MathJax"


def test_export_gives_the_solution_full_marks_and_the_release_zero(plain_round):
    _, grades = plain_round
    with open(grades, newline="") as fh:
        rows = {row["student_id"]: row for row in csv.DictReader(fh) if row["assignment"] == AID}
    assert set(rows) == {EXCHANGE_STUDENT, LMS_STUDENT}
    solution, release = rows[LMS_STUDENT], rows[EXCHANGE_STUDENT]
    nb = nbformat.read(solution_path(AID), as_version=4)
    code, written = autograded_points(nb), written_points(nb)
    # nbgrader's max_score counts the written answers, which wait for a person to grade them
    assert code > 0 and written > 0
    assert float(solution["score"]) == code, (code, solution)
    assert float(solution["max_score"]) == code + written, (code, written, solution)
    assert float(release["score"]) == 0.0, release
