"""Late work: due dates, submission times, minutes late and the penalty they cost.

Pure functions, applied by the grading client when it records a result (``grades.csv``
keeps ``late_minutes`` and ``late_penalty``, and ``score`` is what is left after the
penalty); nothing here runs during grading itself.

Times
-----
A **due date** is an ISO 8601 date-time that carries its UTC offset:
``2026-12-01T23:59+01:00`` or ``2026-12-01T22:59Z``. One without an offset is refused:
whose midnight would it be? (:func:`parse_due`).

A **submission time** comes from nbgrader's ``timestamp.txt`` or from a ``--times``
file. nbgrader writes ``timestamp.txt`` with ``datetime.now(tz).strftime(timestamp_format)``
(``nbgrader/exchange/abc/exchange.py``; default format ``"%Y-%m-%d %H:%M:%S.%f %Z"``,
default ``timezone = "UTC"``), e.g. ``2026-12-01 22:58:23.948203 UTC``; ``nbgrader
zip_collect`` writes ``datetime.isoformat(" ")``, with or without an offset. nbgrader
reads them back with ``nbgrader.utils.parse_utc``: a third space-separated part is a time
zone, a time without one is UTC. :func:`parse_submission_time` follows those rules, with
two differences where nbgrader's reading is wrong rather than lenient:

- a numeric zone (``+0100``, what ``strftime("%z")`` writes) is read as an offset of hours
  and minutes; ``parse_utc`` hands ``int("+0100")`` to dateutil, which takes it as 100
  *seconds*;
- a zone that is neither an offset, ``UTC``/``GMT``/``Z``, nor an IANA name (the
  abbreviations ``%Z`` writes for other zones, such as ``PST`` or ``CEST``) is refused;
  ``parse_utc`` silently reads such a time as UTC. Give that student's time in ``--times``.

A ``--times`` file (:func:`read_times`) is a CSV with the columns ``student`` and
``time``, one row per student, each time with its UTC offset: LMS file names and zip
entries carry no reliable time, so the instructor supplies it.

Penalties
---------
A penalty is written as one of (:func:`parse_penalty`):

``10%/day``
    10 % of the assignment's maximum score per *started* day late (1 minute late costs
    one day's 10 %, 24 h 1 min costs two);
``2/hour``
    2 points per started hour late (``/day`` and ``/hour`` go with either form);
``zero``
    a late submission scores 0, as nbgrader's ``LateSubmissionPlugin`` with
    ``penalty_method = 'zero'`` does;
``none``
    no penalty (nbgrader's default ``penalty_method = 'none'``); lateness is still recorded.

The penalty never takes more than the score, and nothing when the work is on time (exactly
at the due date is on time). There is no grace period: move the due date instead. These
are the policies nbgrader's late-submission plugins describe
(https://nbgrader.readthedocs.io/en/stable/plugins/late-plugin.html: ``zero``, and the
example plugin that takes one point per hour late), with the penalty computed here from
minutes late exactly as the plugin API's ``late_submission_penalty(student_id, score,
total_seconds_late)`` would.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

#: Zone names read as UTC in a ``timestamp.txt``.
UTC_NAMES = frozenset({"UTC", "GMT", "Z", "Etc/UTC", "Etc/GMT"})

#: Minutes in one unit of a penalty rate.
UNIT_MINUTES = {"day": 24 * 60.0, "hour": 60.0}

_OFFSET = re.compile(r"^(?P<sign>[+-])(?P<hours>\d{2}):?(?P<minutes>\d{2})?$")
_RATE = re.compile(r"^(?P<amount>\d+(?:\.\d+)?)\s*(?P<percent>%?)\s*/\s*(?P<unit>day|hour)s?$", re.IGNORECASE)
_PENALTY_SYNTAX = "'10%/day' (percent of the maximum score per started day), '2/hour' (points per started hour), " \
                  "'zero' or 'none'"


def _iso(text: str, whole: str, source: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{source} {whole!r} is not an ISO 8601 date-time such as 2026-12-01T23:59+01:00 "
                         f"(nor nbgrader's 'DATE TIME ZONE')") from None


def parse_due(text: str) -> datetime:
    """A due date, as an aware datetime in UTC.

    Parameters
    ----------
    text : str
        ISO 8601 date-time with its UTC offset: ``2026-12-01T23:59+01:00``,
        ``2026-12-01T22:59Z``.

    Raises
    ------
    ValueError
        When ``text`` is not such a date-time, or has no UTC offset.
    """
    due = _iso(text.strip(), text.strip(), "due date")
    if due.tzinfo is None:
        raise ValueError(f"due date {text.strip()!r} has no UTC offset, so it is ambiguous (whose midnight?): "
                         f"write it as {text.strip()}+01:00, {text.strip()}Z or with your own offset")
    return due.astimezone(timezone.utc)


def _zone(name: str, source: str):
    """The tzinfo a ``timestamp.txt`` zone part names (see the module docstring)."""
    if name in UTC_NAMES:
        return timezone.utc
    offset = _OFFSET.match(name)
    if offset:
        minutes = int(offset["hours"]) * 60 + int(offset["minutes"] or 0)
        return timezone(timedelta(minutes=-minutes if offset["sign"] == "-" else minutes))
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} in {source}: use an offset such as +01:00, UTC, or an IANA "
                         f"name such as Europe/Berlin (abbreviations like PST are ambiguous; nbgrader itself would "
                         f"read this time as UTC); or give this student's time in a --times file") from None


def _submission_time(text: str, *, naive_is_utc: bool, source: str) -> datetime:
    stripped = text.strip()
    if not stripped:
        raise ValueError(f"empty time in {source}")
    parts = stripped.split()
    if len(parts) == 3:
        local = _iso(" ".join(parts[:2]), stripped, f"time in {source}")
        if local.tzinfo is not None:
            raise ValueError(f"time {stripped!r} in {source} has both an offset and a zone {parts[2]!r}: keep one")
        when = local.replace(tzinfo=_zone(parts[2], source))
    elif len(parts) <= 2:
        when = _iso(stripped, stripped, f"time in {source}")
        if when.tzinfo is None:
            if not naive_is_utc:
                raise ValueError(f"time {stripped!r} in {source} has no UTC offset: write it with one, "
                                 f"e.g. {stripped}+01:00 or {stripped}Z")
            when = when.replace(tzinfo=timezone.utc)
    else:
        raise ValueError(f"time in {source} {stripped!r} is not an ISO 8601 date-time such as "
                         f"2026-12-01T23:59+01:00 (nor nbgrader's 'DATE TIME ZONE')")
    return when.astimezone(timezone.utc)


def parse_submission_time(text: str) -> datetime:
    """A submission time from nbgrader's ``timestamp.txt``, as an aware datetime in UTC.

    Parameters
    ----------
    text : str
        The file's content: ``2026-12-01 22:58:23.948203 UTC`` (nbgrader's default),
        ``... Europe/Berlin``, ``... +0100``, an ISO 8601 date-time with an offset, or a
        date-time without any zone, which nbgrader takes as UTC.

    Raises
    ------
    ValueError
        When ``text`` is empty, not a date-time, or names an unknown or ambiguous zone
        (see the module docstring).
    """
    return _submission_time(text, naive_is_utc=True, source="timestamp.txt")


def read_times(path: str | Path) -> dict[str, datetime]:
    """Submission times from a ``--times`` CSV: columns ``student`` and ``time``.

    Parameters
    ----------
    path : str or Path
        The file. Each time must carry its UTC offset (``2026-12-01T23:59+01:00``, ``...Z``
        or ``2026-12-01 23:59:00 Europe/Berlin``); column names are matched without regard
        to case.

    Returns
    -------
    dict
        Student id to the time, as an aware datetime in UTC.

    Raises
    ------
    FileNotFoundError
        When there is no such file.
    ValueError
        Naming the file and line of a missing column, an empty student, a bad time, a time
        without offset, or a student given twice.
    """
    path = Path(path)
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = [h.strip().casefold() for h in next(reader, [])]
        missing = [c for c in ("student", "time") if c not in header]
        if missing:
            raise ValueError(f"{path}: line 1 must name the columns 'student' and 'time' "
                             f"(no {', '.join(map(repr, missing))} among {header})")
        i_student, i_time = header.index("student"), header.index("time")
        times: dict[str, datetime] = {}
        lines: dict[str, int] = {}
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            where = f"{path}, line {reader.line_num}"
            if len(cells) <= max(i_student, i_time):
                raise ValueError(f"{where}: expected the columns student,time, got {cells}")
            student = cells[i_student].strip()
            if not student:
                raise ValueError(f"{where}: the student is empty")
            if student in times:
                raise ValueError(f"{where}: student {student!r} was already given on line {lines[student]}")
            times[student] = _submission_time(cells[i_time], naive_is_utc=False, source=where)
            lines[student] = reader.line_num
    return times


def late_minutes(submitted: datetime | None, due: datetime | None) -> float:
    """Minutes past the due date: 0 when on time, without due date or without a known time.

    Parameters
    ----------
    submitted, due : datetime or None
        Aware datetimes (as :func:`parse_due`, :func:`parse_submission_time` and
        :func:`read_times` return them).

    Raises
    ------
    ValueError
        When either is a naive datetime: comparing it would guess its zone.
    """
    if submitted is None or due is None:
        return 0.0
    for name, value in (("submission time", submitted), ("due date", due)):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"the {name} {value.isoformat()} has no time zone; "
                             "parse it with nncourse.grading.client.late")
    return max(0.0, (submitted - due).total_seconds() / 60.0)


@dataclass(frozen=True)
class LatePenalty:
    """A late-submission penalty (see the module docstring for its syntax).

    Attributes
    ----------
    kind : str
        ``"percent"`` (of the maximum score), ``"points"``, ``"zero"`` or ``"none"``.
    amount : float
        Percent or points per unit; 0 for ``zero`` and ``none``.
    unit : str
        ``"day"`` or ``"hour"``; empty for ``zero`` and ``none``.
    """

    kind: str
    amount: float = 0.0
    unit: str = ""

    def __str__(self) -> str:
        if self.kind in ("zero", "none"):
            return self.kind
        return f"{self.amount:g}{'%' if self.kind == 'percent' else ''}/{self.unit}"

    def points(self, score: float, max_score: float, late_minutes: float) -> float:
        """The points this penalty takes from ``score``.

        Parameters
        ----------
        score, max_score : float
            The points the tests gave and the assignment's total.
        late_minutes : float
            Minutes past the due date (:func:`late_minutes`).

        Returns
        -------
        float
            0 when not late; otherwise the rate times the started days or hours late, or
            the whole score for ``zero``; never more than ``score``, never negative.
        """
        if late_minutes <= 0 or self.kind == "none" or score <= 0:
            return 0.0
        if self.kind == "zero":
            return float(score)
        units = math.ceil(late_minutes / UNIT_MINUTES[self.unit])
        per_unit = self.amount / 100.0 * max_score if self.kind == "percent" else self.amount
        return min(float(score), round(per_unit * units, 9))


def parse_penalty(text: str) -> LatePenalty:
    """A :class:`LatePenalty` from its written form.

    Parameters
    ----------
    text : str
        ``"10%/day"``, ``"2/hour"``, ``"zero"`` or ``"none"`` (see the module docstring).

    Raises
    ------
    ValueError
        Naming the accepted forms, when ``text`` is none of them.
    """
    written = text.strip()
    if written.casefold() in ("zero", "none"):
        return LatePenalty(written.casefold())
    rate = _RATE.match(written)
    if not rate:
        raise ValueError(f"late penalty {text!r} is not one of {_PENALTY_SYNTAX}")
    return LatePenalty("percent" if rate["percent"] else "points", float(rate["amount"]), rate["unit"].lower())
