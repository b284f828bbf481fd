"""nnlib.plots: the figures draw what they are given."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib import plots  # noqa: E402


def teardown_function():
    plt.close("all")


def test_plot_functions_one_panel_each():
    axes = plots.plot_functions({"square": np.square, "abs": np.abs, "neg": np.negative}, ncols=2)
    assert len(axes) == 3
    x, y = axes[0].lines[0].get_data()
    assert np.allclose(y, x**2) and axes[1].get_title() == "abs"


def test_plot_functions_overlay_keeps_colours():
    (ax,) = plots.plot_functions({"a": np.sin, "b": np.cos}, colors=["black", "red"], overlay=True)
    assert [line.get_color() for line in ax.lines[:2]] == ["black", "red"]
    x, y = ax.lines[1].get_data()
    assert np.allclose(y, np.cos(x))


def test_decision_boundary_is_drawn_where_the_score_crosses_the_threshold():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(float)
    ax = plots.plot_decision_boundary(lambda p: 1 / (1 + np.exp(-5 * p[:, 0])), X, y)
    boundary = ax.collections[1] if hasattr(ax.collections[1], "get_paths") else None
    verts = np.concatenate([p.vertices for p in boundary.get_paths()])
    assert np.allclose(verts[:, 0], 0, atol=0.05)
    scatter_points = sum(len(c.get_offsets()) for c in ax.collections[2:])
    assert scatter_points == 40


def test_plot_learning_curves_draws_one_line_per_run_with_the_metric():
    rng = np.random.default_rng(0)
    runs = {
        "NumPy": {"loss": list(rng.random(5)), "val_accuracy": list(rng.random(5))},
        "Keras": {"loss": list(rng.random(7))},
        "no loss here": {"val_accuracy": [0.5, 0.6]},
    }
    ax = plots.plot_learning_curves(runs, "loss")
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
    ax = plots.plot_learning_curves({"a": {"val_accuracy": [0.1, 0.2, 0.3]}}, "val_accuracy", ax=right, title="t")
    assert ax is right and not left.get_lines()
    assert ax.get_ylabel() == "val accuracy" and ax.get_title() == "t"
    with pytest.raises(KeyError):
        plots.plot_learning_curves({"a": {"loss": [1.0]}}, "accuracy", ax=left)
    plt.close(fig)
