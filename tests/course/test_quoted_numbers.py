"""Every number the notebooks' prose quotes as a result is the one a run wrote.

The tags (``<!-- result FILE KEY [%] -->``, ``<!-- published KEY -->``, ``<!-- setting
MODULE.NAME -->``) are described in :mod:`nncourse.release.quotes`, which ``nncourse
requote`` uses to rewrite them. The quoted number must equal its source's value rounded to
the decimals the prose shows; the cell that quotes a result says which mode produced it
(the file's ``mode``). Any other decimal or percentage in the prose (outside formulas and
code) must be a setting that the notebook's code holds, or the test lists it.
"""

from __future__ import annotations

import json
import re
import shlex
from decimal import Decimal

import pytest

from nncourse.release.quotes import PUBLISHED, decimals, quotes, tag_value
from tests.course_tools import ROOT, assignments, solution_path

QUOTED = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?\s?%|(?<![\w.,])\d+\.\d+")


def _markdown(aid: str) -> list[tuple[int, str]]:
    cells = json.loads(solution_path(aid).read_text())["cells"]
    return [(i, "".join(c["source"])) for i, c in enumerate(cells) if c["cell_type"] == "markdown"]


def _code_numbers(aid: str) -> set[Decimal]:
    """Every number literal of the notebook's code cells (its settings)."""
    cells = json.loads(solution_path(aid).read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return {Decimal(m) for m in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?:e-?\d+)?", code)}


def tags(aid: str) -> list[tuple[int, str, str, str]]:
    """``(cell, kind, spec, quoted number)`` of every tag of the notebook's prose."""
    return [(index, q.kind, q.spec, q.quoted) for index, text in _markdown(aid) for q in quotes(text)]


IDS = assignments()


@pytest.mark.parametrize("aid", IDS)
def test_tagged_numbers_are_those_of_their_files(aid):
    wrong = []
    for index, kind, spec, quoted in tags(aid):
        if not quoted:
            wrong.append(f"c{index}: the tag <!-- {kind} {spec} --> follows no number")
            continue
        value, _mode = tag_value(kind, spec, ROOT)
        places = decimals(quoted)
        expected = round(value, places)
        if Decimal(quoted.replace(",", "")) != Decimal(f"{expected:.{places}f}"):
            wrong.append(f"c{index}: {quoted} is tagged {kind} {spec}, whose value is {value:.6g} (so {expected:.{places}f})")
    assert not wrong, f"{aid}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("aid", IDS)
def test_a_quoted_result_says_its_mode(aid):
    cells = dict(_markdown(aid))
    missing = sorted({f"c{index}: {shlex.split(spec)[0]} ({mode} mode)" for index, kind, spec, _ in tags(aid)
                      if kind == "result" and (mode := tag_value(kind, spec, ROOT)[1])
                      and f"{mode} mode" not in cells[index]})
    assert not missing, f"{aid}: cells that quote a result without naming its mode:\n" + "\n".join(missing)


@pytest.mark.parametrize("aid", IDS)
def test_every_quoted_decimal_is_tagged_or_a_setting(aid):
    settings = _code_numbers(aid)
    untagged = []
    for index, text in _markdown(aid):
        prose = re.sub(r"\$\$.*?\$\$|\$[^$\n]*\$|`[^`]*`", " ", text, flags=re.S)
        for match in QUOTED.finditer(prose):
            after = prose[match.end(): match.end() + 40]
            if re.match(r"\s*(?:\*\*)?\s*<!--\s*(result|published|setting)", after):
                continue
            number = Decimal(match.group(0).rstrip("% ").replace(",", ""))
            if number in settings or (match.group(0).endswith("%") and number / 100 in settings):
                continue
            untagged.append(f"c{index}: ...{prose[max(0, match.start() - 40): match.end() + 10]!r}")
    assert not untagged, (f"{aid}: numbers in the prose with no tag that the code does not hold either "
                          "(tag them <!-- result FILE KEY [%] --> or <!-- published KEY -->):\n" + "\n".join(untagged))


def test_requote_rewrites_a_stale_number_to_its_decimals_and_leaves_the_rest():
    from nncourse.release.quotes import requote

    value = tag_value("result", "sgd_optimizers sgd_test_accuracy %", ROOT)[0]
    fresh = f"{round(value, 1):.1f}"
    stale = f"{round(value + 3.14159, 1):.1f}"
    text = (f"Plain SGD reached **{stale} %**<!-- result sgd_optimizers sgd_test_accuracy % --> "
            f"and {fresh} %<!-- result sgd_optimizers sgd_test_accuracy % -->; 12.5 untagged.")
    new, changes = requote(text, ROOT)
    assert new == text.replace(f"**{stale} %**", f"**{fresh} %**", 1), new
    assert changes == [f"{stale} -> {fresh} (result sgd_optimizers sgd_test_accuracy %)"], changes
    assert requote(new, ROOT) == (new, [])


def test_every_published_figure_cites_its_source():
    figures = {k: v for k, v in json.loads((ROOT / PUBLISHED).read_text()).items() if not k.startswith("_")}
    assert figures
    for key, figure in figures.items():
        assert {"value", "unit", "source"} <= set(figure), key
        assert re.search(r"\(\d{4}\)", figure["source"]) or "same paper" in figure["source"], (key, figure["source"])
