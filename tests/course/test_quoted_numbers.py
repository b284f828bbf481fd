"""Every number the notebooks' prose quotes as a result is the one a run wrote.

A notebook cannot read ``results/`` (on Colab or in a student's copy it is not there), so
its prose quotes the reference runs, and tags each quoted number right after it with an
HTML comment that Jupyter does not show:

- ``90.9 %<!-- result sgd_optimizers sgd_test_accuracy % -->``: ``results/<file>.json``'s
  ``metrics[key]``; ``%`` quotes it times 100; a key written ``1-key`` quotes one minus it;
- ``0.95%<!-- published lenet5_mnist_test_error_pct -->``: ``references/published.json``,
  which cites the paper of each figure;
- ``0.75<!-- setting nnlib.metrics.PRETTY_SURE -->``: a constant of nnlib that the
  notebook's code uses (a setting, not a result).

The quoted number must equal the file's value rounded to the decimals the prose shows;
the cell that quotes a result says which mode produced it (the file's ``mode``). Any
other decimal or percentage in the prose (outside formulas and code) must be a setting
that the notebook's code holds, or the test lists it.
"""

from __future__ import annotations

import importlib
import json
import re
import shlex
from decimal import Decimal

import pytest

from tests.course_tools import ROOT, assignments, solution_path

TAG = re.compile(r"<!--\s*(result|published|setting)\s+([^>]*?)\s*-->")
NUMBER_BEFORE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(?:\*\*)?\s*(?:%|&nbsp;%)?\s*(?:\*\*)?\s*$")
QUOTED = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?\s?%|(?<![\w.,])\d+\.\d+")
PUBLISHED = ROOT / "references" / "published.json"


def _results(name: str) -> dict:
    path = ROOT / "results" / f"{name}.json"
    assert path.is_file(), f"results/{name}.json does not exist"
    return json.loads(path.read_text())


def _markdown(aid: str) -> list[tuple[int, str]]:
    cells = json.loads(solution_path(aid).read_text())["cells"]
    return [(i, "".join(c["source"])) for i, c in enumerate(cells) if c["cell_type"] == "markdown"]


def _code_numbers(aid: str) -> set[Decimal]:
    """Every number literal of the notebook's code cells (its settings)."""
    cells = json.loads(solution_path(aid).read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return {Decimal(m) for m in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?:e-?\d+)?", code)}


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _expected(kind: str, spec: str) -> tuple[float, str | None]:
    """``(value, mode)`` a tag refers to (mode None for a published figure)."""
    parts = shlex.split(spec)  # a key with spaces is quoted: "01_neuron seconds"
    if kind == "published":
        return float(json.loads(PUBLISHED.read_text())[parts[0]]["value"]), None
    if kind == "setting":
        module, _, name = parts[0].rpartition(".")
        return float(getattr(importlib.import_module(module), name)), None
    name, key, *scale = parts
    data = _results(name)
    complement = key.startswith("1-")
    value = float(data["metrics"][key[2:] if complement else key])
    value = 1 - value if complement else value
    return (100 * value if scale == ["%"] else value), data.get("mode")


def tags(aid: str) -> list[tuple[int, str, str, str]]:
    """``(cell, kind, spec, quoted number)`` of every tag of the notebook's prose."""
    out = []
    for index, text in _markdown(aid):
        for match in TAG.finditer(text):
            before = NUMBER_BEFORE.search(text[: match.start()])
            out.append((index, match.group(1), match.group(2), before.group(1) if before else ""))
    return out


IDS = assignments()


@pytest.mark.parametrize("aid", IDS)
def test_tagged_numbers_are_those_of_their_files(aid):
    wrong = []
    for index, kind, spec, quoted in tags(aid):
        if not quoted:
            wrong.append(f"c{index}: the tag <!-- {kind} {spec} --> follows no number")
            continue
        value, _mode = _expected(kind, spec)
        places = _decimals(quoted)
        expected = round(value, places)
        if Decimal(quoted.replace(",", "")) != Decimal(f"{expected:.{places}f}"):
            wrong.append(f"c{index}: {quoted} is tagged {kind} {spec}, whose value is {value:.6g} (so {expected:.{places}f})")
    assert not wrong, f"{aid}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("aid", IDS)
def test_a_quoted_result_says_its_mode(aid):
    cells = dict(_markdown(aid))
    missing = sorted({f"c{index}: {shlex.split(spec)[0]} ({mode} mode)" for index, kind, spec, _ in tags(aid)
                      if kind == "result" and (mode := _expected(kind, spec)[1])
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


def test_every_published_figure_cites_its_source():
    figures = {k: v for k, v in json.loads(PUBLISHED.read_text()).items() if not k.startswith("_")}
    assert figures
    for key, figure in figures.items():
        assert {"value", "unit", "source"} <= set(figure), key
        assert re.search(r"\(\d{4}\)", figure["source"]) or "same paper" in figure["source"], (key, figure["source"])
