"""nnlib.figures.curves.plot_curves: it draws exactly the values it is given.

One plotter covers the three uses of the notebooks: one metric of several histories
(03_backprop), raw and smoothed sequences with their own abscissae (04_sgd), and training
against validation (05_regularization).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib.figures import plot_curves  # noqa: E402
from tests.library.histories import FakeHistory, random_history


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _labelled(ax):
    return [line for line in ax.get_lines() if not line.get_label().startswith("_")]


# --- one metric of several histories ---------------------------------------------------

def test_a_metric_of_histories_draws_one_line_per_run_that_has_it():
    rng = np.random.default_rng(0)
    runs = {
        "NumPy": {"loss": list(rng.random(5)), "val_accuracy": list(rng.random(5))},
        "Keras": {"loss": list(rng.random(7))},
        "no loss here": {"val_accuracy": [0.5, 0.6]},
    }
    ax = plot_curves(runs, "loss")
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["NumPy", "Keras"]
    for line, label in zip(lines, ["NumPy", "Keras"]):
        x, y = line.get_data()
        assert np.array_equal(x, np.arange(1, len(runs[label]["loss"]) + 1)), "epochs count from 1"
        assert np.allclose(y, runs[label]["loss"])
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["NumPy", "Keras"]


def test_a_metric_of_histories_draws_on_a_given_axes_and_rejects_an_unknown_metric():
    fig, (left, right) = plt.subplots(1, 2)
    ax = plot_curves({"a": {"val_accuracy": [0.1, 0.2, 0.3]}}, "val_accuracy", ax=right, title="t")
    assert ax is right and not left.get_lines()
    assert ax.get_ylabel() == "val accuracy" and ax.get_title() == "t"
    with pytest.raises(KeyError):
        plot_curves({"a": {"loss": [1.0]}}, "accuracy", ax=left)


def test_alternate_dashes_keeps_coinciding_runs_visible():
    same = {"loss": [3.0, 2.0, 1.0]}
    ax = plot_curves({"Keras": same, "NumPy": same, "third": same}, "loss", alternate_dashes=True)
    assert [line.get_linestyle() for line in ax.get_lines()] == ["-", "--", "-"]
    assert len({line.get_color() for line in ax.get_lines()}) == 3
    ax = plot_curves({"Keras": same, "NumPy": same}, "loss")
    assert [line.get_linestyle() for line in ax.get_lines()] == ["-", "-"]


# --- sequences of values, raw or smoothed ----------------------------------------------

def test_sequences_are_drawn_against_their_own_abscissae():
    rng = np.random.default_rng(0)
    runs = {"a": rng.random(20), "b": rng.random(35)}
    x = {"a": np.arange(20) / 10, "b": np.arange(35) / 7}
    ax = plot_curves(runs, x=x, xlabel="epoch", logy=True, title="t")
    labelled = _labelled(ax)
    assert [line.get_label() for line in labelled] == ["a", "b"]
    assert np.allclose(labelled[1].get_xdata(), x["b"]) and np.allclose(labelled[1].get_ydata(), runs["b"])
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch" and ax.get_title() == "t"


def test_smoothing_and_errors():
    runs = {"noisy": np.array([4.0, 0.0, 4.0, 0.0, 4.0])}
    ax = plot_curves(runs, smooth=2, ylim=(0, 5))
    labelled = _labelled(ax)
    assert len(ax.get_lines()) == 2 and len(labelled) == 1
    assert np.allclose(labelled[0].get_ydata(), [4, 2, 2, 2, 2])
    assert ax.get_ylim() == (0, 5)
    ax = plot_curves({"a": [1.0, 3.0, 5.0], "b": [1.0, 3.0, 5.0]}, smooth={"a": 1, "b": 3})
    a, b = _labelled(ax)
    assert np.allclose(a.get_ydata(), [1, 3, 5]) and np.allclose(b.get_ydata(), [1, 2, 3])
    assert len(ax.get_lines()) == 3, "only the smoothed run gets a faint raw curve"
    with pytest.raises(ValueError):
        plot_curves({"a": [1.0, 2.0]}, x={"a": [1.0]})


def test_sequence_defaults_and_a_smoothed_metric_of_histories():
    ax = plot_curves({"a": [1.0, 2.0]})
    assert ax.get_xlabel() == "iteration" and ax.get_ylabel() == "value"
    ax = plot_curves({"r": {"loss": [4.0, 0.0, 4.0, 0.0]}}, "loss", smooth=2, ylabel="training loss")
    (line,) = _labelled(ax)
    assert np.allclose(line.get_ydata(), [4, 2, 2, 2]) and ax.get_ylabel() == "training loss"
    with pytest.raises(ValueError):
        plot_curves({})


# --- training against validation -------------------------------------------------------

def test_validation_draws_one_line_pair_per_model():
    rng = np.random.default_rng(3)
    histories = {"plain": random_history(rng, 5), "dropout": FakeHistory(random_history(rng, 9))}
    ax = plot_curves(histories, "accuracy", validation=True, title="t")
    assert len(ax.lines) == 4 and ax.get_title() == "t"
    assert np.array_equal(ax.lines[3].get_xdata(), np.arange(1, 10))
    assert np.allclose(ax.lines[3].get_ydata(), histories["dropout"].history["val_accuracy"])
    assert [line.get_label() for line in ax.lines] == [
        "plain: training", "plain: validation", "dropout: training", "dropout: validation"]
    assert [line.get_linestyle() for line in ax.lines] == ["-", "--", "-", "--"]
    assert ax.lines[2].get_color() == ax.lines[3].get_color() != ax.lines[0].get_color()
    assert np.allclose(ax.lines[0].get_ydata(), histories["plain"]["accuracy"])
    assert ax.get_ylabel() == "accuracy" and ax.get_xlabel() == "epoch"


def test_validation_needs_a_metric_and_its_val_twin():
    with pytest.raises(ValueError):
        plot_curves({"a": [1.0, 2.0]}, validation=True)
    with pytest.raises(KeyError):
        plot_curves({"a": {"loss": [1.0, 2.0]}}, "loss", validation=True)
