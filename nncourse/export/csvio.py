"""CSV files in and out of an LMS: cells read as the LMS wrote them, scores written as it reads them.

LMS exports come in a few dialects: a UTF-8 byte-order mark (Excel and Moodle write one),
``;`` as the separator (Canvas and Moodle in locales whose decimal mark is a comma, who
then write ``7,50``), or tab. :func:`read_rows` takes all of them, finding the separator
from the first line as Canvas's own importer does (``identify_delimiter`` in
``app/models/gradebook_importer.rb`` of instructure/canvas-lms); :func:`parse_number` reads
either decimal mark. What this package writes uses a decimal point (:func:`format_score`),
which Canvas and Moodle both read whatever the separator.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from pathlib import Path

#: The separators a file may use, the first winning a tie.
DELIMITERS = (",", ";", "\t")


def delimiter_of(header_line: str) -> str:
    """The separator that splits ``header_line`` into the most cells."""
    counts = {d: len(next(csv.reader([header_line], delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: counts[d])


def read_rows(path: str | os.PathLike) -> tuple[str, list[tuple[int, list[str]]]]:
    """Every non-blank line of a CSV, with its line number.

    Parameters
    ----------
    path : path-like
        A UTF-8 file, with or without a byte-order mark.

    Returns
    -------
    delimiter : str
        The separator found from the first non-blank line (``","`` for an empty file).
    rows : list of (int, list of str)
        The line number of each row (counting from 1, as an editor does) and its cells,
        as written; lines whose cells are all blank are left out.

    Raises
    ------
    FileNotFoundError
        When there is no such file.
    """
    with open(path, newline="", encoding="utf-8-sig") as fh:
        text = fh.read()
    lines = text.splitlines(keepends=True)
    first = next((line for line in lines if line.strip()), "")
    delimiter = delimiter_of(first) if first else ","
    reader = csv.reader(lines, delimiter=delimiter)
    return delimiter, [(reader.line_num, cells) for cells in reader if any(c.strip() for c in cells)]


def parse_number(text: str) -> float | None:
    """A number as an LMS or a person writes it (``7.5``, ``7,50``, `` 10 ``); None when
    ``text`` is not one (empty, ``-``, ``(read only)``, ``EX``)."""
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def format_score(value: float) -> str:
    """A score as an LMS reads it: at most two decimals, no trailing zeros (``7.5``, ``10``)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def write_csv(path: str | os.PathLike, header: list[str], rows: Iterable[list[str]], delimiter: str = ",") -> None:
    """Write a CSV through a temporary file and a rename: never half-written.

    Parameters
    ----------
    path : path-like
        The file; its folder is created if needed.
    header : list of str
        The first line.
    rows : iterable of list of str
        The other lines, each as long as ``header``.
    delimiter : str
        The separator (a roster's own, so that the file reads as the LMS wrote it).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    os.replace(tmp, path)
