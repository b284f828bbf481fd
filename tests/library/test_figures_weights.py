"""nnlib.figures.weights: one histogram per weight set, titled with its sparsity."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nnlib.figures import plot_weight_histograms  # noqa: E402


def test_one_panel_per_weight_set():
    rng = np.random.default_rng(3)
    weights = {"L1": np.r_[np.zeros(30), rng.normal(size=70)], "L2": rng.normal(size=(10, 10))}
    axes = plot_weight_histograms(weights, bins=20)
    assert len(axes) == 2
    assert axes[0].get_title().startswith("L1: 30%")
    heights = [patch.get_height() for patch in axes[1].patches]
    assert len(heights) == 20 and sum(heights) == 100
    plt.close("all")


def test_shared_range_and_title():
    weights = {"a": np.array([-1.0, 0.0]), "b": np.array([0.5, 3.0])}
    axes = plot_weight_histograms(weights, bins=4, log=False, title="t")
    for ax in axes:
        edges = [patch.get_x() for patch in ax.patches]
        assert np.isclose(min(edges), -1.0) and np.isclose(max(edges), 2.0), "bins span every set's range"
    assert axes[0].figure._suptitle.get_text() == "t"
    plt.close("all")
