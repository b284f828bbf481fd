"""Read a handed-in notebook safely, and put its test cells back where they belong.

nbgrader restores an edited locked cell from the gradebook, but leaves three gaps this
module closes before autograding (they would cost a student points they earned, or give
points for tests that never ran):

- a duplicated test cell: nbgrader keeps the *last* copy as the graded one, wherever it
  sits, and runs the others as ordinary code;
- a test cell moved above its answer: it runs before the function exists and fails;
- a test cell deleted together with its answer: ``OverwriteCells.add_missing_cells``
  anchors a missing cell to the cell before it and crashes when that one is missing too.

:func:`normalise` therefore rebuilds the cell list: the student's own cells stay in their
order (so their notebook runs as it did for them), every test cell is taken out and put
back, once, right after its answer (or the test before it) in the release's order, and a
deleted answer cell comes back as the release's stub. Test sources are then restored by
nbgrader from the gradebook, hidden tests included.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from pathlib import Path

import nbformat

#: Terminal colour codes, as IPython writes them into tracebacks.
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def strip_ansi(text: str) -> str:
    """``text`` without terminal colour codes."""
    return _ANSI.sub("", text)


class InvalidNotebook(ValueError):
    """The file is not a readable Jupyter notebook; the message says why, for a person."""


def read_notebook(path: Path, max_bytes: int = 50 * 2**20) -> nbformat.NotebookNode:
    """Read and validate a notebook file as nbformat 4.

    Raises
    ------
    InvalidNotebook
        Too large, not UTF-8, not JSON (e.g. truncated), or JSON that is not a notebook.
    """
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise InvalidNotebook(f"The file is {size / 2**20:.0f} MB, larger than the {max_bytes / 2**20:.0f} MB "
                              "a notebook may be (outputs left in it?).")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidNotebook(f"The file is not UTF-8 text (byte {exc.start}); it is not a saved notebook.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = "it ends too early (truncated?)" if exc.pos >= len(text.rstrip()) - 1 else f"line {exc.lineno}"
        raise InvalidNotebook(f"The file is not valid JSON ({exc.msg}; {where}): a damaged or unsaved notebook.") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells", data.get("worksheets")), list):
        raise InvalidNotebook("The file is JSON but not a Jupyter notebook (no list of cells).")
    try:
        nb = nbformat.reads(text, as_version=4)
        _unique_cell_ids(nb)
        nbformat.validate(nb)
    except Exception as exc:  # nbformat raises several types for a malformed notebook
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidNotebook(f"The file is not a valid Jupyter notebook: {first[:200]}") from None
    return nb


def _unique_cell_ids(nb) -> None:
    """Give a fresh id to every cell whose id repeats an earlier one (copied JSON)."""
    if nb.get("nbformat_minor", 0) < 5:
        return
    seen = set()
    for cell in nb.cells:
        cid = cell.get("id")
        if not cid or cid in seen:
            cell["id"] = uuid.uuid4().hex[:8]
        seen.add(cell["id"])


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _gid(cell) -> str | None:
    return _nbgrader(cell).get("grade_id")


def written_answer_ids(nb) -> tuple[str, ...]:
    """Grade ids of the answers graded by hand (nbgrader's manually graded answer cells:
    both a solution and a grade cell), in notebook order. The autograded total leaves
    them out; a person grades them, with the rubric the solution holds."""
    return tuple(_gid(c) for c in nb.cells if _nbgrader(c).get("solution") and _nbgrader(c).get("grade"))


def answer_digest(source: str) -> str:
    """The fingerprint of a written answer: SHA-256 of its text, line endings and the
    whitespace around it aside. A hand grade belongs to the answer with this fingerprint
    (:mod:`nncourse.grading.gradebook.store` keeps it through a regrade only while the
    fingerprint is the same)."""
    import hashlib

    text = "\n".join(line.rstrip() for line in source.replace("\r\n", "\n").split("\n")).strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def written_answers(nb, release) -> dict[str, tuple[str | None, str]]:
    """The written answers of student notebook ``nb``.

    Parameters
    ----------
    nb : NotebookNode
        The notebook as it was graded (the autograded copy).
    release : NotebookNode
        The student version: an answer whose text is still the release's is no answer.

    Returns
    -------
    dict
        Grade id (every one of :func:`written_answer_ids` of ``release``) to ``(digest,
        text)``: the :func:`answer_digest` of the student's answer and its text, or
        ``(None, text)`` where the student left the release's text (nbgrader's rule:
        "No response", 0 points, nothing for a person to grade) or deleted the cell.
    """
    stubs = {_gid(c): c.get("source", "") for c in release.cells if _gid(c) in set(written_answer_ids(release))}
    answers = {}
    for gid, stub in stubs.items():
        cell = next((c for c in nb.cells if _gid(c) == gid), None)
        text = cell.get("source", "") if cell is not None else ""
        answered = cell is not None and answer_digest(text) != answer_digest(stub)
        answers[gid] = (answer_digest(text) if answered else None, text)
    return answers


def written_points(nb) -> float:
    """Total points of the written answers of notebook ``nb`` (graded by hand). nbgrader's
    ``export`` counts them in its ``max_score``: autograded plus written points."""
    return float(sum(_nbgrader(c).get("points", 0) or 0 for c in nb.cells
                     if _nbgrader(c).get("grade") and _nbgrader(c).get("solution")))


def autograded_points(nb) -> float:
    """Total points of the test cells of notebook ``nb`` (written answers left out)."""
    return float(sum(_nbgrader(c).get("points", 0) or 0 for c in nb.cells
                     if _nbgrader(c).get("grade") and not _nbgrader(c).get("solution")))


def normalise(nb, release) -> tuple[nbformat.NotebookNode, list[str]]:
    """A copy of student notebook ``nb`` whose graded cells follow the ``release``.

    Parameters
    ----------
    nb : NotebookNode
        The student's notebook (read with :func:`read_notebook`).
    release : NotebookNode
        The student version generated by nbgrader (``course/<ID>/<ID>.ipynb``).

    Returns
    -------
    (NotebookNode, list of str)
        The rebuilt notebook, outputs cleared, and what was changed, in words.
    """
    nb = copy.deepcopy(nb)
    notes: list[str] = []
    order = [(_gid(c), c) for c in release.cells if _gid(c)]
    known = {gid for gid, _ in order}
    tests = {gid for gid, c in order if _nbgrader(c).get("grade") and not _nbgrader(c).get("solution")}

    kept, seen_answers = [], set()
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
        gid = _gid(cell)
        if gid is None:
            kept.append(cell)
            continue
        if gid in tests:
            continue  # every test cell is put back below, once, in its place
        if gid not in known or gid in seen_answers:
            # an unknown id or a second copy of an answer: plain code of the student's
            del cell["metadata"]["nbgrader"]
            if gid in seen_answers:
                notes.append(f"a second copy of answer cell {gid} runs as ordinary code")
            kept.append(cell)
            continue
        seen_answers.add(gid)
        kept.append(cell)

    present = {gid for gid in (_gid(c) for c in nb.cells) if gid}
    for gid in sorted(tests - present):
        notes.append(f"test cell {gid} was deleted; it was put back and graded")
    counts = {}
    for c in nb.cells:
        if _gid(c) in tests:
            counts[_gid(c)] = counts.get(_gid(c), 0) + 1
    for gid, n in sorted(counts.items()):
        if n > 1:
            notes.append(f"test cell {gid} appeared {n} times; graded once, in its place")

    # Put back missing answers (as the release's stub) and every test, in release order.
    for i, (gid, rcell) in enumerate(order):
        if gid in seen_answers:
            continue
        anchor = -1
        for prev_gid, _ in reversed(order[:i]):
            idx = next((k for k, c in enumerate(kept) if _gid(c) == prev_gid), None)
            if idx is not None:
                anchor = idx
                break
        if anchor < 0:  # nothing graded before it: after the release's preceding cells
            anchor = min(len(kept) - 1, release.cells.index(rcell) - 1)
        new = copy.deepcopy(rcell)
        if new.get("cell_type") == "code":
            new["outputs"], new["execution_count"] = [], None
        if gid not in tests:
            notes.append(f"answer cell {gid} was deleted; the empty exercise was put back")
        kept.insert(anchor + 1, new)
        seen_answers.add(gid)
    moved = [gid for gid in tests & present
             if _position_changed(nb, kept, gid)]
    for gid in sorted(moved):
        notes.append(f"test cell {gid} was moved; it was graded in its place after its answer")
    nb.cells = kept
    _unique_cell_ids(nb)
    return nb, notes


def _position_changed(original, rebuilt, gid) -> bool:
    """Whether the first copy of test ``gid`` no longer follows the same graded cell."""
    def prev_graded(cells):
        last = None
        for c in cells:
            if _gid(c) == gid:
                return last
            if _gid(c):
                last = _gid(c)
        return None
    return prev_graded(original.cells) != prev_graded(rebuilt)
