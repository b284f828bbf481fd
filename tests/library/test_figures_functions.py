"""nnlib.figures.functions: the graphs show the functions they are given."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nnlib.figures import plot_functions  # noqa: E402


def teardown_function():
    plt.close("all")


def test_plot_functions_one_panel_each():
    axes = plot_functions({"square": np.square, "abs": np.abs, "neg": np.negative}, ncols=2)
    assert len(axes) == 3
    x, y = axes[0].lines[0].get_data()
    assert np.allclose(y, x**2) and axes[1].get_title() == "abs"


def test_plot_functions_overlay_keeps_colours():
    (ax,) = plot_functions({"a": np.sin, "b": np.cos}, colors=["black", "red"], overlay=True)
    assert [line.get_color() for line in ax.lines[:2]] == ["black", "red"]
    x, y = ax.lines[1].get_data()
    assert np.allclose(y, np.cos(x))
