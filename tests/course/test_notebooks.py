"""Every solution notebook: valid nbgrader metadata, the standard set-up cell, executes
top to bottom in fast mode (nbval, in a temporary copy), and ``course/`` is what
``nncourse release`` generates from it. New notebooks are picked up automatically."""

from __future__ import annotations

import ast
import json
import re
import sys

import nbformat
import pytest

from nncourse.grading.task.feedback import hidden_lines
from nncourse.release.colab import setup_cell_source
from nncourse.release.generate import generate
from tests.course_tools import COURSE, ROOT, assignments, copy_solution, grade_cells, kernel_env, run, solution_path

IDS = assignments()


def test_there_are_assignments():
    assert "01_neuron" in IDS


@pytest.mark.parametrize("aid", IDS)
def test_nbgrader_metadata_is_valid(aid):
    from nbgrader.nbgraderformat import MetadataValidator

    nb = nbformat.read(solution_path(aid), as_version=4)
    MetadataValidator().validate_nb(nb)
    cells = grade_cells(nb)
    tests = {gid: meta for gid, meta in cells.items() if meta.get("grade") and not meta.get("solution")}
    assert len(tests) >= 4, "an assignment has at least four autograded test cells"
    assert all(meta.get("locked") and meta.get("points", 0) > 0 for meta in tests.values())
    assert not any(meta.get("grade") is False and meta.get("solution") is False for meta in cells.values()), \
        "no read-only cells"
    answers = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"]
    assert answers and all("### BEGIN SOLUTION" in c.source for c in answers)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            assert cell.cell_type == "code"
            assert "### BEGIN HIDDEN TESTS" in cell.source, f"{meta['grade_id']} has no hidden tests"
            assert "assert" in visible_source(cell.source), f"{meta['grade_id']} has no visible test"


#: The shape of a written answer in the solution: a model answer, then a rubric whose
#: points are the cell's (docs/authoring.md).
WRITTEN_ANSWER = re.compile(r"\A\*\*Model answer\.\*\* \S.*\n\n\*\*Rubric \((\d+) points?\)\.\*\* \S", re.S)
WRITTEN_QUESTION = re.compile(r"\A\*\*Written answer \((\d+) points?, graded by hand\)\.\*\* \S")


@pytest.mark.parametrize("aid", IDS)
def test_written_answers(aid):
    """Two to four answers graded by hand per notebook (nbgrader's manually graded answer
    cells): a markdown cell after the question that states its points, holding the model
    answer and a rubric in the solution; released as nbgrader's "YOUR ANSWER HERE"."""
    nb = nbformat.read(solution_path(aid), as_version=4)
    nn = aid.split("_")[0]
    written = [(n, c) for n, c in enumerate(nb.cells)
               if c.metadata.get("nbgrader", {}).get("solution") and c.metadata["nbgrader"].get("grade")]
    assert 2 <= len(written) <= 4, f"{aid} has {len(written)} written answers; each notebook has two to four"
    for n, cell in written:
        meta = cell.metadata["nbgrader"]
        gid = meta["grade_id"]
        assert cell.cell_type == "markdown" and not meta.get("locked"), f"{gid}: an unlocked markdown cell"
        assert gid.startswith(f"written-{nn}-"), f"{gid}: written answers are named written-{nn}-<name>"
        assert meta.get("points") in (1, 2, 3), f"{gid}: 1 to 3 points, not {meta.get('points')}"
        answer = WRITTEN_ANSWER.match(cell.source)
        assert answer, f"{gid}: the solution holds '**Model answer.** ...' then '**Rubric (P points).** ...'"
        assert int(answer.group(1)) == meta["points"], f"{gid}: the rubric is for {answer.group(1)} points, the cell gives {meta['points']}"
        question = WRITTEN_QUESTION.match(nb.cells[n - 1].source) if n > 0 else None
        assert question and nb.cells[n - 1].cell_type == "markdown" and int(question.group(1)) == meta["points"], (
            f"{gid}: the markdown cell before it asks the question, starting "
            f"'**Written answer ({meta['points']} points, graded by hand).**'")
    released = nbformat.read(COURSE / aid / f"{aid}.ipynb", as_version=4)
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in released.cells}
    for _n, cell in written:
        gid = cell.metadata["nbgrader"]["grade_id"]
        assert gid in by_id and by_id[gid].source.strip() == "YOUR ANSWER HERE", \
            f"{gid} is released as {by_id.get(gid, {}).get('source', 'nothing')!r}, not nbgrader's 'YOUR ANSWER HERE'"
    leaked = [n for n, c in enumerate(released.cells) if "Model answer" in c.source or "Rubric (" in c.source]
    assert not leaked, f"the student version of {aid} shows a model answer or rubric in cells {leaked}"


def visible_source(source: str) -> str:
    """A test cell's source as students see it: every hidden-test region removed."""
    hidden = hidden_lines(source)
    return "\n".join(line for n, line in enumerate(source.split("\n"), start=1) if n not in hidden)


def _names(tree, kind) -> set[str]:
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, kind)}


def _defined_at_top_level(tree) -> set[str]:
    """Functions, classes and names a cell's top-level statements define."""
    out = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            out |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return out


def _explains_itself(node: ast.Assert) -> bool:
    """An assert whose message is an f-string showing at least one value that came."""
    return isinstance(node.msg, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in node.msg.values)


@pytest.mark.parametrize("aid", IDS)
def test_every_visible_assert_explains_itself(aid):
    """A student whom a visible assert stops (in a test cell or any other cell they run)
    reads what was expected and the value that came, not a bare ``AssertionError`` or a
    sentence without the value: the message is an f-string that shows it."""
    nb = nbformat.read(solution_path(aid), as_version=4)
    found = []
    for n, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or meta.get("solution"):
            continue
        visible = visible_source(cell.source)
        tree = ast.parse(re.sub(r"^\s*[%!].*$", "", visible, flags=re.M))  # IPython magics and shell lines
        for node in ast.walk(tree):
            if isinstance(node, ast.Assert) and not _explains_itself(node):
                found.append(f"{meta.get('grade_id') or f'cell {n}'}: {ast.get_source_segment(visible, node)}")
    assert not found, "visible asserts whose message does not show the value that came:\n" + "\n".join(found)


#: What a student on Colab does not have: the repository's result files, benchmarks,
#: references and tests (an HTML comment, such as a quoted number's tag, may name them).
_REPOSITORY_ONLY = re.compile(r"\b(results|benchmarks|references|tests)/|\bpython -m benchmarks\b|\bnncourse check-all\b")


@pytest.mark.parametrize("aid", IDS)
def test_no_cell_points_at_a_file_students_do_not_have(aid):
    """The prose quotes a figure with its source in words; it never sends a student (on
    Colab, with nnlib and the notebook only) to a file of the repository."""
    nb = nbformat.read(solution_path(aid), as_version=4)
    found = []
    for n, cell in enumerate(nb.cells):
        text = re.sub(r"<!--.*?-->", "", cell.source, flags=re.S)
        found += [f"cell {n}: ...{text[max(0, m.start() - 40):m.end() + 40]}..." for m in _REPOSITORY_ONLY.finditer(text)]
    assert not found, "cells that point at the repository's files:\n" + "\n".join(found)


@pytest.mark.parametrize("aid", IDS)
def test_tests_use_no_other_exercise_answer(aid):
    """A test cell calls only its own exercise's functions: a name another answer cell
    defines is rebound in the cell (to the test's own reference) before it is used, so one
    wrong answer never costs the points of another exercise."""
    nb = nbformat.read(solution_path(aid), as_version=4)
    answers, current, found = {}, None, []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code":
            continue
        tree = ast.parse(re.sub(r"^\s*[%!].*$", "", cell.source, flags=re.M))  # IPython magics and shell lines
        if meta.get("solution"):
            current = meta["grade_id"]
            answers[current] = _defined_at_top_level(tree)
        elif meta.get("grade"):
            others = set().union(*(names for gid, names in answers.items() if gid != current)) - answers.get(current, set())
            used = (_names(tree, ast.Load) & others) - _defined_at_top_level(tree)
            if used:
                found.append(f"{meta['grade_id']} uses {sorted(used)}")
    assert not found, "test cells that depend on another exercise's answer:\n" + "\n".join(found)


@pytest.mark.parametrize("aid", IDS)
def test_each_test_cell_follows_a_graded_cell(aid):
    """No ungraded code cell sits between an answer and its tests: the grader puts a test
    cell back right after the graded cell before it (``nncourse.grading.task.notebooks.normalise``),
    so such a cell would run after the test in a graded notebook and before it here."""
    nb = nbformat.read(solution_path(aid), as_version=4)
    found, between = [], []
    for n, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id"):
            if meta.get("grade") and not meta.get("solution") and between:
                found.append(f"{meta['grade_id']} comes after ungraded code cells {between}")
            between = []
        elif cell.cell_type == "code":
            between.append(n)
    assert not found, "move these cells above the answer cell:\n" + "\n".join(found)


@pytest.mark.parametrize("aid", IDS)
def test_solution_is_committed_without_outputs(aid):
    nb = nbformat.read(solution_path(aid), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None


@pytest.mark.parametrize("aid", IDS)
def test_first_code_cell_is_the_setup_cell(aid):
    nb = nbformat.read(solution_path(aid), as_version=4)
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert first_code.source == setup_cell_source(), "run `nncourse set-ref` to rewrite the set-up cells"


@pytest.mark.parametrize("aid", IDS)
def test_solution_folder_holds_only_the_notebook_and_data(aid):
    files = [p for p in (ROOT / "solutions" / aid).rglob("*") if p.is_file()]
    code = [p for p in files if p.suffix in {".py", ".pyc"}]
    assert not code, f"nbgrader would copy {code} into course/"


@pytest.mark.notebook
@pytest.mark.parametrize("aid", IDS)
def test_solution_executes_in_fast_mode(aid, tmp_path):
    notebook = copy_solution(aid, tmp_path)
    proc = run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-p", "no:xdist",
         "-q", "-o", "addopts=", str(notebook)],
        cwd=notebook.parent,
        env=kernel_env(),
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]


def _normalised(path):
    nb = json.loads(path.read_text())
    return json.dumps(nb, sort_keys=True, indent=1)


@pytest.mark.xdist_group("release")
def test_course_is_generated_from_solutions(tmp_path):
    written = generate(IDS, root=ROOT, out_dir=tmp_path)
    for notebook in written:
        committed = COURSE / notebook.parent.name / notebook.name
        assert committed.is_file(), f"{committed} is missing: run `nncourse release`"
        assert _normalised(committed) == _normalised(notebook), f"{committed} is stale: run `nncourse release`"
    extra = {p.name for p in COURSE.iterdir() if p.is_dir()} - set(IDS)
    assert not extra, f"course/ holds assignments with no solution: {extra}"
