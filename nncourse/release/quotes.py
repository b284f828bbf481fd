"""The numbers the notebooks' prose quotes, and where each comes from.

A notebook cannot read ``results/`` (on Colab or in a student's copy it is not there), so
its prose quotes the reference runs and tags each quoted number right after it with an
HTML comment that Jupyter does not show:

- ``90.9 %<!-- result sgd_optimizers sgd_test_accuracy % -->``: ``results/<file>.json``'s
  ``metrics[key]``; ``%`` quotes it times 100; a key written ``1-key`` quotes one minus it;
- ``0.95%<!-- published lenet5_mnist_test_error_pct -->``: ``references/published.json``,
  which cites the paper of each figure;
- ``0.75<!-- setting nnlib.metrics.PRETTY_SURE -->``: a constant of nnlib that the
  notebook's code uses (a setting, not a result).

A quoted number shows its source's value rounded to the decimals the prose gives it.
:func:`requote` rewrites the numbers of a text from their sources (``nncourse requote``,
after a benchmark or ``nncourse check-all --full`` wrote a result file);
``tests/course/test_quoted_numbers.py`` checks them.
"""

from __future__ import annotations

import importlib
import json
import re
import shlex
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from nncourse import layout

#: A tag: its kind and its spec (file and key, published key, or module attribute).
TAG = re.compile(r"<!--\s*(result|published|setting)\s+([^>]*?)\s*-->")
#: The number right before a tag (``**`` bold and a ``%`` sign allowed between).
NUMBER_BEFORE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(?:\*\*)?\s*(?:%|&nbsp;%)?\s*(?:\*\*)?\s*$")
PUBLISHED = Path("references") / "published.json"


def decimals(text: str) -> int:
    """Decimal places of a quoted number as written (``"90.9"`` -> 1)."""
    return len(text.split(".")[1]) if "." in text else 0


def tag_value(kind: str, spec: str, root: Path) -> tuple[float, str | None]:
    """``(value, mode)`` a tag refers to (mode None for a published figure or a setting).

    Raises
    ------
    FileNotFoundError
        When the result file does not exist.
    KeyError
        When the key is not in it.
    """
    parts = shlex.split(spec)  # a key with spaces is quoted: "01_neuron seconds"
    if kind == "published":
        return float(json.loads((Path(root) / PUBLISHED).read_text())[parts[0]]["value"]), None
    if kind == "setting":
        module, _, name = parts[0].rpartition(".")
        return float(getattr(importlib.import_module(module), name)), None
    name, key, *scale = parts
    path = layout.results_dir(root) / f"{name}.json"
    if not path.is_file():
        raise FileNotFoundError(f"results/{name}.json does not exist")
    data = json.loads(path.read_text())
    complement = key.startswith("1-")
    value = float(data["metrics"][key[2:] if complement else key])
    value = 1 - value if complement else value
    return (100 * value if scale == ["%"] else value), data.get("mode")


def as_quoted(value: float, like: str) -> str:
    """``value`` written as ``like`` is: its decimal places, thousands commas if it has any."""
    places = decimals(like)
    rounded = round(value, places)
    return f"{rounded:,.{places}f}" if "," in like else f"{rounded:.{places}f}"


def same_number(quoted: str, value: float) -> bool:
    """Whether ``quoted`` is ``value`` rounded to the decimals ``quoted`` shows."""
    return Decimal(quoted.replace(",", "")) == Decimal(as_quoted(value, quoted.replace(",", "")))


@dataclass(frozen=True)
class Quote:
    """One tagged number of a text.

    Attributes
    ----------
    kind, spec : str
        The tag's kind (``result``, ``published``, ``setting``) and the rest of it.
    quoted : str
        The number before the tag as written; ``""`` when none is.
    start, end : int
        Where ``quoted`` stands in the text.
    """

    kind: str
    spec: str
    quoted: str
    start: int
    end: int


def quotes(text: str) -> list[Quote]:
    """Every tag of ``text`` with the number written before it."""
    found = []
    for match in TAG.finditer(text):
        before = NUMBER_BEFORE.search(text[: match.start()])
        if before:
            found.append(Quote(match.group(1), match.group(2), before.group(1), before.start(1), before.end(1)))
        else:
            found.append(Quote(match.group(1), match.group(2), "", match.start(), match.start()))
    return found


def requote(text: str, root: Path) -> tuple[str, list[str]]:
    """``text`` with each tagged number rewritten from its source, and what changed.

    A number keeps its decimal places; a tag that follows no number is left as it is.

    Returns
    -------
    text : str
        The rewritten text.
    changes : list of str
        ``"<old> -> <new> (<kind> <spec>)"`` for each number rewritten.
    """
    changes, pieces, last = [], [], 0
    for quote in quotes(text):
        if not quote.quoted:
            continue
        value, _mode = tag_value(quote.kind, quote.spec, root)
        if same_number(quote.quoted, value):
            continue
        new = as_quoted(value, quote.quoted)
        pieces += [text[last: quote.start], new]
        last = quote.end
        changes.append(f"{quote.quoted} -> {new} ({quote.kind} {quote.spec})")
    return "".join(pieces) + text[last:], changes
