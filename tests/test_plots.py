"""nnlib.plots: the figures draw what they are given."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

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
