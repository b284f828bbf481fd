"""nnlib.figures.network.plot_network: counted against the architecture it draws."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Circle  # noqa: E402

from nnlib.figures import plot_network  # noqa: E402


def _circles(ax):
    return [p for p in ax.patches if isinstance(p, Circle)]


@pytest.mark.parametrize("seed", range(5))
def test_units_and_edges_match_random_small_networks(seed):
    rng = np.random.default_rng(seed)
    sizes = list(rng.integers(1, 9, size=rng.integers(2, 6)))
    ax = plot_network(sizes)
    assert len(_circles(ax)) == sum(sizes), "one circle per unit"
    assert len(ax.lines) == sum(a * b for a, b in zip(sizes[:-1], sizes[1:])), "one edge per weight"
    # One column per layer, left to right, each holding its layer's units.
    xs = np.array([c.center[0] for c in _circles(ax)])
    _, per_column = np.unique(xs.round(6), return_counts=True)
    assert np.array_equal(per_column, sizes)
    plt.close(ax.figure)


def test_wide_layers_are_elided():
    ax = plot_network([784, 3, 10], max_units=6)
    shown = [6 - 1, 3, 6 - 1]  # a wide layer: max_units - 2 units + the last one
    assert len(_circles(ax)) == sum(shown)
    assert len(ax.lines) == 5 * 3 + 3 * 5
    texts = [t.get_text() for t in ax.texts]
    assert any("784" in t for t in texts), "the caption gives the true size"
    assert sum(r"\vdots" in t for t in texts) == 2
    plt.close(ax.figure)


def test_draws_on_given_axes():
    fig, (ax0, ax1) = plt.subplots(1, 2)
    out = plot_network([2, 4, 1], ax=ax1)
    assert out is ax1 and not _circles(ax0) and len(_circles(ax1)) == 7
    plt.close(fig)


@pytest.mark.parametrize("sizes", [[3], [], [3, 0, 1], [2, -1], [2, 2.5]])
def test_rejects_bad_sizes(sizes):
    with pytest.raises(ValueError):
        plot_network(sizes)
