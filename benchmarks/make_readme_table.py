"""Regenerate the README's generated blocks: the notebook table and the results table.

The results table is built from ``results/*.json`` (written by the benchmark scripts and
``nncourse check-all``); nothing in it is typed by hand. Run after any benchmark:

    python benchmarks/make_readme_table.py          # rewrite README.md
    python benchmarks/make_readme_table.py --check  # exit 1 if README.md is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

TITLES = {
    "01_neuron": "The artificial neuron: activations, derivatives, a neuron in NumPy and in Keras",
    "02_mlp": "The multilayer perceptron: layers, outputs, losses, penalties",
    "03_backprop": "Backpropagation from scratch, checked by finite differences and autodiff",
    "04_sgd": "Stochastic gradient descent: batches, learning rates, momentum and Adam",
    "05_regularization": "Regularisation: L2, L1, dropout, validation and early stopping",
    "06_cnn": "Convolutional networks: convolution, pooling, LeNet-5, AlexNet, VGG16",
    "07_transfer_learning": "Transfer learning: pretrained VGG16, fine-tuning, augmentation",
}


def notebook_table() -> str:
    """Markdown table of the seven notebooks with their Colab and Binder links."""
    from nnlib.links import badges_markdown

    rows = ["| # | notebook | open |", "|---|---|---|"]
    for aid, title in TITLES.items():
        if (ROOT / "course" / aid / f"{aid}.ipynb").is_file():
            links = badges_markdown(aid)
        else:
            links = "not written yet"
        rows.append(f"| {aid[:2]} | **{aid}**: {title} | {links} |")
    return "\n".join(rows)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def results_table() -> str:
    """Markdown table with one row per metric of every ``results/*.json``."""
    rows = [
        "| result | metric | value | target | data | backend, device | machine | date |",
        "|---|---|---|---|---|---|---|---|",
    ]
    files = sorted((ROOT / "results").glob("*.json"))
    for path in files:
        rec = json.loads(path.read_text())
        for metric, value in rec["metrics"].items():
            rows.append(
                f"| {rec['title']} | {metric} | {_fmt(value)} | {rec.get('targets', {}).get(metric, '')} "
                f"| {rec['data_source']} | {rec['backend']}, {rec['device']} | {rec['machine']} | {rec['date']} |"
            )
    if not files:
        rows.append("| (no results yet) | | | | | | | |")
    return "\n".join(rows)


def render(text: str) -> str:
    """``text`` with each generated block replaced by its current content."""
    for name, make in (("notebooks", notebook_table), ("results", results_table)):
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{start}\n{make()}\n{end}{tail}"
    return text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md is not up to date")
    args = parser.parse_args(argv)
    current = README.read_text()
    fresh = render(current)
    if args.check:
        return 0 if fresh == current else 1
    README.write_text(fresh)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
