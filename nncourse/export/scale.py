"""A Moodle grade item's scale: its maximum, how scores are rescaled to it, and the cell
written for each grade.

Since Moodle 4.1 (MDL-50650) a grade above its item's maximum, or below its minimum (0
unless set otherwise), makes the whole CSV import fail ("Import failed. No data was
imported"); and a score written into an item with another maximum changes meaning (8.5 of
10 imported into an item out of 100 is 8.5%). :func:`item_scale` therefore needs the
maximum (``--max``, the roster's row of maximum points, or ``--scale-to``) and refuses a
maximum that is not the assignment's total unless ``--scale-to`` says how to rescale.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from nncourse.export.csvio import format_score, parse_number
from nncourse.export.options import amount_for
from nncourse.export.roster import Roster
from nncourse.export.table import GradeTable

#: How close two maxima, or a grade and a maximum, must be to count as equal.
EPSILON = 1e-9


def item_column(roster: Roster | None, title: str) -> int | None:
    """The roster column holding the current grades of the grade item an assignment's column
    ``title`` is for: the column titled ``title``, or one titled as Moodle's grade export
    titles that item's points (``Assignment: <title> (Real)``, ``<title> (Real)``); None
    when there is none.

    Raises
    ------
    ValueError
        When several columns fit.
    """
    if roster is None:
        return None
    pattern = re.compile(rf"(?:[^:]*:\s*)?{re.escape(title.strip())}\s*\(real\)", re.IGNORECASE)
    wanted = title.strip().casefold()
    found = [i for i, c in enumerate(roster.columns) if c.casefold() == wanted or pattern.fullmatch(c)]
    if len(found) > 1:
        raise ValueError(f"several columns of {roster.path} hold grades for {title!r}: "
                         f"{', '.join(roster.columns[i] for i in found)}; title the assignment's column with --column")
    return found[0] if found else None


@dataclass(frozen=True)
class Scale:
    """How one assignment's scores become grades of its Moodle grade item.

    Attributes
    ----------
    item_max : float
        The grade item's maximum.
    factor : float
        What a score is multiplied by (1 unless ``--scale-to``).
    current : int or None
        The roster column holding the item's current grades (:func:`item_column`).
    """

    item_max: float
    factor: float
    current: int | None


def item_scale(aid: str, title: str, table: GradeTable, roster: Roster | None, maxima: Mapping[str | None, float],
               scale_to: Mapping[str | None, float]) -> Scale:
    """The :class:`Scale` of assignment ``aid``, whose column is titled ``title``.

    The item's maximum is ``--max`` (``maxima``), else the roster's row of maximum points
    in the item's column, else the ``--scale-to`` value. Without ``--scale-to`` it must
    equal the assignment's total, so that a score means what it meant.

    Raises
    ------
    ValueError
        When the maximum is unknown, ``--max`` and the roster disagree, the maximum is not
        the assignment's total and nothing rescales, or ``--scale-to`` exceeds the maximum.
    """
    total = table.max_score(aid)
    current = item_column(roster, title)
    listed = parse_number(roster.points[current]) if roster and roster.points and current is not None else None
    given, target = amount_for(maxima, aid), amount_for(scale_to, aid)
    if given is not None and listed is not None and abs(given - listed) > EPSILON:
        raise ValueError(f"{aid}: --max {given:g}, but {roster.path} gives its grade item a maximum of {listed:g}: "
                         f"correct the one that is wrong")
    item_max = next((m for m in (given, listed, target) if m is not None), None)
    if item_max is None:
        raise ValueError(f"{aid}: the maximum of its Moodle grade item is unknown, and a score above it makes Moodle "
                         f"refuse the whole file: give it with --max {aid}=N (the item's 'Maximum grade'), or rescale "
                         f"the scores to 0..N with --scale-to N")
    if target is None:
        if abs(item_max - total) > EPSILON:
            raise ValueError(f"{aid}: the grades are out of {total:g} but the Moodle grade item's maximum is "
                             f"{item_max:g}, so a score would change meaning (8 of {total:g} would read as 8 of "
                             f"{item_max:g}): rescale with --scale-to {item_max:g}, or write the points as they are "
                             f"with --scale-to {total:g}")
        return Scale(item_max, 1.0, current)
    if target > item_max + EPSILON:
        raise ValueError(f"{aid}: --scale-to {target:g} is above the Moodle grade item's maximum of {item_max:g}")
    if total <= 0:
        raise ValueError(f"{aid}: the grades are out of {total:g} points, which cannot be rescaled")
    return Scale(item_max, target / total, current)


def cell(scale: Scale, score: float | None, current: str | None) -> tuple[str | None, float | None]:
    """The cell for one grade (a score, else the roster's current grade, else None) and the
    number Moodle will read from it (None for "no grade")."""
    if score is not None:
        text = format_score(score * scale.factor)
    elif current is None:
        return None, None
    else:
        number = parse_number(current)
        text = format_score(number) if number is not None else current.strip()
    return text, parse_number(text)


def in_range(number: float | None, scale: Scale) -> bool:
    """Whether Moodle accepts ``number`` (None: no grade) in an item of ``scale``."""
    return number is None or -EPSILON <= number <= scale.item_max + EPSILON

