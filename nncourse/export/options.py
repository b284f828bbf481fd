"""Per-assignment options of ``nncourse export``: ``--column AID=TITLE``, ``--max [AID=]N``,
``--scale-to [AID=]N``, read and checked against the assignments exported."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from nncourse.export.csvio import parse_number


def parse_titles(pairs: Iterable[str]) -> dict[str, str]:
    """``--column`` options as a mapping from assignment id to column title.

    Raises
    ------
    ValueError
        When an option is not ``AID=TITLE`` or names an assignment twice.
    """
    titles: dict[str, str] = {}
    for pair in pairs:
        aid, sep, title = pair.partition("=")
        aid, title = aid.strip(), title.strip()
        if not sep or not aid or not title:
            raise ValueError(f"--column {pair!r} is not AID=TITLE, e.g. --column 01_neuron='Neuron (12345)'")
        if aid in titles:
            raise ValueError(f"--column names {aid} twice ({titles[aid]!r} and {title!r})")
        titles[aid] = title
    return titles


def parse_amounts(option: str, values: Iterable[str]) -> dict[str | None, float]:
    """``--max`` or ``--scale-to`` options: ``N`` for every assignment, ``AID=N`` for one.

    Returns
    -------
    dict
        Assignment id (None for the value given for all) to a positive number.

    Raises
    ------
    ValueError
        When a value is not a positive number or names an assignment (or all) twice.
    """
    amounts: dict[str | None, float] = {}
    for value in values:
        aid, sep, number = value.rpartition("=")
        aid = aid.strip() if sep else None
        amount = parse_number(number)
        if amount is None or amount <= 0 or (sep and not aid):
            raise ValueError(f"{option} {value!r}: expected a positive number, for every assignment (e.g. {option} 12) "
                             f"or for one (e.g. {option} 02_mlp=12)")
        if aid in amounts:
            raise ValueError(f"{option} is given twice for {aid or 'every assignment'}")
        amounts[aid] = amount
    return amounts


def amount_for(amounts: Mapping[str | None, float], aid: str) -> float | None:
    """The value ``amounts`` (see :func:`parse_amounts`) gives assignment ``aid``, if any."""
    return amounts.get(aid, amounts.get(None))


def check_assignments(option: str, named: Iterable[str | None], assignments: Iterable[str]) -> None:
    """Raise ValueError when ``option`` names an assignment that no grades.csv read holds."""
    assignments = tuple(sorted(assignments))
    unknown = sorted(a for a in set(named) - set(assignments) if a is not None)
    if unknown:
        raise ValueError(f"{option} names {', '.join(unknown)}, which no grades.csv read holds "
                         f"(they hold: {', '.join(assignments) or 'nothing'})")
