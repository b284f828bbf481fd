"""Benchmark figures quoted in the notebooks' prose are those of ``results/*.json``.

A notebook cannot read ``results/`` (on Colab or in a student's copy it is not there), so
its prose quotes the reference runs. Each case below formats the figures of one result
file the way the notebook writes them; a benchmark re-run that changes a figure fails
here until the prose is updated.
"""

from __future__ import annotations

import json

import pytest

from tests.course_tools import ROOT, solution_path


def _metrics(name: str) -> dict:
    return json.loads((ROOT / "results" / f"{name}.json").read_text())["metrics"]


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def _sgd() -> list[str]:
    m = _metrics("sgd_optimizers")
    return [f"| {_pct(m[f'{k}_test_accuracy'])} | {m[f'{k}_train_loss']:.3f} |" for k in ("sgd", "momentum", "adam")] + [
        f"| {_pct(m['own_sgd_test_accuracy'])} |"
    ]


def _regularization() -> list[str]:
    m = _metrics("regularization")
    rows = [
        f"| {m[f'{k}_train_accuracy']:.3f} | {m[f'{k}_val_accuracy']:.3f} | {m[f'{k}_test_accuracy']:.3f} "
        f"| {100 * m[f'{k}_first_layer_sparsity']:.0f}% |"
        for k in ("plain", "l2", "l1", "dropout")
    ]
    return rows + [
        f"ran {m['early_stopping_epochs_run']} epochs",
        f"weights of epoch {m['early_stopping_best_epoch']} (test accuracy {m['early_stopping_test_accuracy']:.3f}",
        f"whose test accuracy is {m['chosen_test_accuracy']:.3f}",
    ]


def _lenet5() -> list[str]:
    return [f"**{100 * _metrics('lenet5_mnist')['test_accuracy']:.1f}%**"]


def _transfer_digits() -> list[str]:
    m = _metrics("transfer_digits")
    return [
        f"transfer (frozen base) {_pct(m['pretrained_accuracy'])}",
        f"fine-tuned {_pct(m['finetuned_accuracy'])}",
        f"from scratch {_pct(m['scratch_accuracy'])}",
        f"({_pct(m['plain_pretrained_accuracy'])} against {_pct(m['scratch_accuracy'])})",
        f"from {_pct(1 - m['scratch_accuracy'])} to {_pct(1 - m['pretrained_accuracy'])}",
    ]


CASES = {
    "04_sgd": _sgd,
    "05_regularization": _regularization,
    "06_cnn": _lenet5,
    "07_transfer_learning": _transfer_digits,
}


def _prose(aid: str) -> str:
    """The notebook's markdown, with line breaks turned into spaces."""
    cells = json.loads(solution_path(aid).read_text())["cells"]
    return " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown").replace("\n", " ")


@pytest.mark.parametrize("aid", sorted(CASES))
def test_quoted_figures_match_the_results(aid):
    text = _prose(aid)
    missing = [quote for quote in CASES[aid]() if quote not in text]
    assert not missing, f"{aid} does not quote results/ as it stands now: {missing}"
