"""Who a submission is: student ids compared as a person reads them, and ``--map``.

A student id is the name of a submission's folder or file (``grades.csv``'s ``student``).
The same person's id may reach us spelt differently: ``JDOE`` and ``jdoe``, a trailing
space, or ``José`` composed (NFC, as most systems write it) and decomposed (NFD, as macOS
file names and some zip tools do). :func:`student_key` is the one comparison this package
uses, between ids and between an id and a roster cell: Unicode NFC, surrounding white space
trimmed and inner runs of it read as one space, case folded.

Two submissions of one assignment whose ids are equal under that comparison would land on
one LMS user, and one of the two grades would be lost; the export stops instead
(:func:`nncourse.export.table.grade_table`) unless ``--map FILE`` says which LMS user each
one is. That file (:func:`read_id_map`) is a CSV of two columns, submission id then LMS
user (the value of the roster column students are matched on, e.g. a login), with an
optional header line.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable

from nncourse.export.csvio import read_rows

#: First cells that mark the first line of a ``--map`` file as a header.
MAP_HEADERS = ("submission", "submission id", "submission_id", "student", "folder")


def student_key(value: str) -> str:
    """``value`` as ids are compared: NFC, trimmed, inner white space as one space, case
    folded (``" Jose\\u0301  Doe"`` and ``"JOSÉ DOE"`` give the same key)."""
    text = " ".join(unicodedata.normalize("NFC", value).split())
    return unicodedata.normalize("NFC", text.casefold())


def _resolve(cell: str, submissions: set[str], path, line: int) -> str | None:
    """The submission id ``cell`` names: itself, else the one id equal to it under
    :func:`student_key`; None when it names none."""
    for spelling in (cell, cell.strip()):
        if spelling in submissions:
            return spelling
    alike = sorted(s for s in submissions if student_key(s) == student_key(cell))
    if len(alike) > 1:
        raise ValueError(f"--map {path}, line {line}: {cell!r} could be any of {', '.join(map(repr, alike))}; spell "
                         f"it exactly as the submission's folder is named")
    return alike[0] if alike else None


def read_id_map(path: str | os.PathLike, submissions: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """Read ``--map FILE``: which LMS user each submission is.

    Parameters
    ----------
    path : path-like
        A CSV of two columns, submission id and LMS user (``,``, ``;`` or tab; an optional
        header line whose first cell is one of :data:`MAP_HEADERS`).
    submissions : iterable of str
        The student ids of the ``grades.csv`` rows read.

    Returns
    -------
    mapping : dict
        Submission id, exactly as in ``grades.csv``, to LMS user.
    warnings : list of str
        One per line that names no submission read (harmless: a map kept for a course).

    Raises
    ------
    FileNotFoundError
        When there is no such file.
    ValueError
        When a line lacks either cell, names a submission twice, or names several
        submissions that differ only as :func:`student_key` ignores (naming the line).
    """
    _, rows = read_rows(path)
    if rows and rows[0][1][0].strip().casefold() in MAP_HEADERS:
        rows = rows[1:]
    known = set(submissions)
    mapping: dict[str, str] = {}
    warnings: list[str] = []
    for line, cells in rows:
        cells = cells + ["", ""]
        cell, user = cells[0], cells[1].strip()
        if not cell.strip() or not user or any(c.strip() for c in cells[2:]):
            raise ValueError(f"--map {path}, line {line}: expected two cells, submission id then LMS user "
                             f"(got {[c for c in cells if c]})")
        submission = _resolve(cell, known, path, line)
        if submission is None:
            warnings.append(f"--map {path}, line {line}: no submission read is named {cell.strip()!r}; line ignored")
        elif submission in mapping:
            raise ValueError(f"--map {path}, line {line}: submission {submission!r} is mapped twice "
                             f"({mapping[submission]!r} and {user!r})")
        else:
            mapping[submission] = user
    return mapping, warnings
