"""Helpers of the test suite: find the assignments, run notebooks and nbgrader offline.

Nothing here is installed with nnlib; the tests import it as ``tests.course_tools``. The
repository's paths and the grading environment come from :mod:`nncourse.layout`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from nncourse import layout

ROOT = layout.repo_root(Path(__file__).parent)
SOLUTIONS = ROOT / layout.SOLUTIONS_DIR
COURSE = ROOT / layout.RELEASE_DIR
#: The longest an nbgrader command of a round trip may take: autograding some 20
#: notebooks of up to a minute each, on a loaded machine.
ROUND_TRIP_TIMEOUT_S = 3600
#: Plausible wrong answers, one file per assignment (see :func:`load_wrong_answers`).
WRONG_ANSWERS = ROOT / "tests" / "course" / "wrong_answers"


def assignments() -> list[str]:
    """Every assignment with a solution notebook, in teaching order."""
    return layout.available_assignments(ROOT)


def solution_path(aid: str) -> Path:
    """``solutions/<aid>/<aid>.ipynb`` of this checkout."""
    return layout.solution_notebook(ROOT, aid)


def kernel_env(**extra: str) -> dict:
    """Environment of a notebook run or an nbgrader command in tests: the grading kernel's
    environment, this venv's ``bin/`` first on PATH (nbgrader runs ``alembic``), ``extra``."""
    env = layout.nbgrader_env(layout.grading_kernel_env())
    env.update(extra)
    return env


def run(cmd: list[str], cwd: Path, env: dict | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run a command, capturing its output; never raises on a non-zero exit."""
    return subprocess.run(cmd, cwd=cwd, env=env or kernel_env(), capture_output=True, text=True, timeout=timeout)


def grade_cells(nb) -> dict[str, dict]:
    """``grade_id -> nbgrader metadata`` of the cells of a notebook node."""
    return {
        c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]
        for c in nb.cells
        if "nbgrader" in c.metadata and c.metadata["nbgrader"].get("grade_id")
    }


def cell_index(nb, grade_id: str) -> int:
    """Position (among all cells) of the cell of notebook node ``nb`` with ``grade_id``."""
    for i, cell in enumerate(nb.cells):
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return i
    raise KeyError(grade_id)


def replace_answers(nb, replacements: dict[str, str]):
    """A copy of notebook ``nb`` whose answer cells (by grade_id) hold new sources."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    found = set()
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in replacements:
            cell.source = replacements[gid]
            found.add(gid)
    missing = set(replacements) - found
    if missing:
        raise KeyError(f"no answer cell with grade_id {sorted(missing)}")
    return nb


def hidden_test_lines(nb) -> set[str]:
    """Lines of the hidden tests of notebook node ``nb`` (12 characters or more) that no
    visible part shows: none of them may reach a student's feedback page."""
    hidden, visible = set(), set()
    for cell in nb.cells:
        head, _, rest = cell.source.partition("### BEGIN HIDDEN TESTS")
        inside, _, tail = rest.partition("### END HIDDEN TESTS")
        hidden |= {line.strip() for line in inside.splitlines() if len(line.strip()) >= 12}
        visible |= {line.strip() for line in (head + tail).splitlines()}
    return hidden - visible


def answered_as_the_solution(release, solution):
    """The released notebook node with each code answer cell holding the solution's code, as
    a student would have typed it (no nbgrader solution markers)."""
    answers = {cell.metadata["nbgrader"]["grade_id"]: "\n".join(
        line for line in cell.source.split("\n") if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)
        for cell in solution.cells
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")}
    assert answers, "expected code answer cells in the solution, found none"
    return replace_answers(release, answers)


class CourseSandbox:
    """A throw-away nbgrader state (gradebook, release, submissions) for one assignment.

    It runs the repository's own ``nbgrader_config.py`` with ``NNCOURSE_STATE`` pointing
    into a temporary folder, so the real ``course/`` and gradebook are never touched.
    """

    def __init__(self, aid: str, tmp: Path):
        self.aid = aid
        self.state = Path(tmp) / "state"
        self.release = Path(tmp) / "release"
        self.env = kernel_env(NNCOURSE_STATE=str(self.state))
        self.db_url = layout.sqlite_url(self.state / "gradebook.db")

    def nbgrader(self, *args: str) -> subprocess.CompletedProcess:
        # one autograde runs every submission of a round trip, one after another
        proc = run([sys.executable, "-m", "nbgrader", *args], cwd=ROOT, env=self.env, timeout=ROUND_TRIP_TIMEOUT_S)
        if proc.returncode != 0:
            raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc

    def generate(self) -> nbformat.NotebookNode:
        """Generate the student version into the sandbox and return it."""
        self.state.mkdir(parents=True, exist_ok=True)
        self.nbgrader(
            "generate_assignment", self.aid, "--force",
            f"--CourseDirectory.release_directory={self.release}",
        )
        return nbformat.read(self.release / self.aid / f"{self.aid}.ipynb", as_version=4)

    def submit(self, student: str, nb) -> None:
        folder = self.state / "submitted" / student / self.aid
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{self.aid}.ipynb")

    def autograde(self, *args: str) -> None:
        self.nbgrader("autograde", self.aid, "--force", *args)

    def autograded(self, student: str) -> nbformat.NotebookNode:
        """``student``'s notebook as nbgrader executed it, with its outputs."""
        return nbformat.read(self.state / "autograded" / student / self.aid / f"{self.aid}.ipynb", as_version=4)

    def errors(self, student: str) -> list[tuple[int, str]]:
        """``(cell index, "Name: message")`` of every error output in ``student``'s
        autograded notebook (nbgrader goes on after an error, so a plotting cell that
        raises would not cost points)."""
        graded = self.autograded(student)
        return [(i, f"{out.ename}: {out.evalue}"[:300]) for i, cell in enumerate(graded.cells)
                for out in cell.get("outputs", []) if out.output_type == "error"]

    def scores(self) -> dict[str, dict[str, tuple[float, float]]]:
        """``student -> {grade_id: (score, max_score)}`` from the gradebook; the score is
        None for an answer still waiting to be graded by hand."""
        from nbgrader.api import Gradebook

        out = {}
        with Gradebook(self.db_url) as gb:
            for sub in gb.assignment_submissions(self.aid):
                nb = gb.find_submission_notebook(self.aid, self.aid, sub.student_id)
                # nbgrader's ``Grade.score`` reads 0 where nothing scored yet (an answer that
                # waits for a person): the manual score, else the automatic one, else None
                out[sub.student_id] = {g.name: (g.manual_score if g.manual_score is not None else g.auto_score,
                                                g.max_score) for g in nb.grades}
        return out


def copy_solution(aid: str, dest: Path) -> Path:
    """Copy ``solutions/<aid>/`` to ``dest`` and return the copied notebook."""
    shutil.copytree(SOLUTIONS / aid, dest / aid)
    return dest / aid / f"{aid}.ipynb"


def _answers_file(aid: str) -> dict:
    path = WRONG_ANSWERS / f"{aid}.py"
    if not path.exists():
        return {}
    namespace: dict = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return namespace


def load_wrong_answers(aid: str) -> list[dict]:
    """``tests/course/wrong_answers/<aid>.py``'s ``WRONG_ANSWERS`` (empty if the file is missing)."""
    return _answers_file(aid).get("WRONG_ANSWERS", [])


def load_right_answers(aid: str) -> list[dict]:
    """The same file's ``RIGHT_ANSWERS``: correct answers written another valid way."""
    return _answers_file(aid).get("RIGHT_ANSWERS", [])


#: How the wrong answers of a round trip share submissions: ``alone``, every wrong answer in
#: a submission of its own; ``per-exercise``, the first wrong answer to each exercise alone
#: and the others packed; ``packed``, wrong answers to different exercises share submissions.
PLANS = ("alone", "per-exercise", "packed")


def plan_submissions(wrong: list[dict], right: list[dict], plan: str) -> list[dict]:
    """The submissions of a round trip: every wrong answer and every right answer (answers
    rewritten another way, ``{"name", "replace", ...}`` entries), in as few notebooks as
    the checks allow.

    A wrong answer graded ``alone`` shares its submission with no other wrong answer, so
    that a point it costs outside its own tests shows that a test depends on another
    exercise's answer. ``plan`` (one of :data:`PLANS`) says which wrong answers are graded
    alone: all of them, the first to each exercise (each exercise's dependence on the
    others is shown once), or none. The others share submissions with wrong answers to
    disjoint answer cells, first fit. Right answers ride along, first fit, in any
    submission whose replaced cells they do not touch, and in new ones where none is left:
    tests are independent, so each answer is graded as it would be alone.

    Returns
    -------
    list of dict
        ``{"name": "sub<nn>", "replace": {grade_id: source}, "wrong": [entry, ...],
        "right": [entry, ...], "alone": bool}``, in the order built; ``alone`` marks a
        submission that holds one wrong answer and may hold no other.
    """
    if plan not in PLANS:
        raise ValueError(f"plan must be one of {PLANS}, not {plan!r}")
    subs: list[dict] = []

    def place(item: dict, kind: str, alone: bool) -> None:
        for sub in () if alone else subs:
            if (kind == "right" or not sub["alone"]) and not set(sub["replace"]) & set(item["replace"]):
                sub[kind].append(item)
                sub["replace"].update(item["replace"])
                return
        subs.append({"name": f"sub{len(subs):02d}", "replace": dict(item["replace"]), "wrong": [], "right": [],
                     "alone": alone})
        subs[-1][kind].append(item)

    exercises_seen: set[frozenset] = set()
    for item in wrong:
        exercise = frozenset(item["replace"])
        first = exercise not in exercises_seen
        exercises_seen.add(exercise)
        place(item, "wrong", plan == "alone" or (plan == "per-exercise" and first))
    for item in right:
        place(item, "right", False)
    return subs


def graded_cells_by_answer(nb) -> dict[str, list[str]]:
    """``answer grade_id -> the grade_ids of the test cells that grade it``: the test cells
    between that answer cell and the next one."""
    out: dict[str, list[str]] = {}
    current = None
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            current = meta["grade_id"]
            out[current] = []
        elif meta.get("grade") and not meta.get("solution") and current is not None:
            out[current].append(meta["grade_id"])
    return out


def keras_computes_float64() -> bool:
    """False where Keras silently computes float64 as float32 (JAX without ``JAX_ENABLE_X64``)."""
    import keras
    import numpy as np

    x = keras.ops.convert_to_tensor(np.array([1.0 + 1e-12]), dtype="float64")
    return bool(keras.ops.convert_to_numpy(x - 1.0)[0] != 0.0)


def needs_keras_float64(test):
    """Skip a float64-exact comparison with Keras where the backend cannot make one."""
    import pytest

    return pytest.mark.skipif(
        not keras_computes_float64(),
        reason="Keras computes float64 as float32 on this backend (JAX without x64); checked on TensorFlow",
    )(test)
