"""nnlib.plots: the figures draw what they are given (checked on the returned Axes)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib.plots import plot_learning_curves  # noqa: E402


def test_plot_learning_curves_draws_one_line_per_run_with_the_metric():
    rng = np.random.default_rng(0)
    runs = {
        "NumPy": {"loss": list(rng.random(5)), "val_accuracy": list(rng.random(5))},
        "Keras": {"loss": list(rng.random(7))},
        "no loss here": {"val_accuracy": [0.5, 0.6]},
    }
    ax = plot_learning_curves(runs, "loss")
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["NumPy", "Keras"]
    for line, label in zip(lines, ["NumPy", "Keras"]):
        x, y = line.get_data()
        assert np.array_equal(x, np.arange(1, len(runs[label]["loss"]) + 1)), "epochs count from 1"
        assert np.allclose(y, runs[label]["loss"])
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["NumPy", "Keras"]
    plt.close(ax.figure)


def test_plot_learning_curves_draws_on_a_given_axes_and_rejects_an_unknown_metric():
    fig, (left, right) = plt.subplots(1, 2)
    ax = plot_learning_curves({"a": {"val_accuracy": [0.1, 0.2, 0.3]}}, "val_accuracy", ax=right, title="t")
    assert ax is right and not left.get_lines()
    assert ax.get_ylabel() == "val accuracy" and ax.get_title() == "t"
    with pytest.raises(KeyError):
        plot_learning_curves({"a": {"loss": [1.0]}}, "accuracy", ax=left)
    plt.close(fig)
