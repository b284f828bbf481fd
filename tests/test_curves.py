"""nnlib.curves against direct computations."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnlib.curves import moving_average, plot_loss_curves


@pytest.mark.parametrize("seed", range(5))
def test_moving_average_matches_a_loop(seed):
    rng = np.random.default_rng(seed)
    values = rng.normal(size=int(rng.integers(1, 40)))
    window = int(rng.integers(1, 12))
    expected = [np.mean(values[max(0, t - window + 1): t + 1]) for t in range(values.size)]
    assert np.allclose(moving_average(values, window), expected)


def test_moving_average_edge_cases():
    assert np.array_equal(moving_average([1.0, 2.0, 3.0], 1), [1.0, 2.0, 3.0])
    assert moving_average([], 3).shape == (0,)
    out = moving_average([1.0, np.inf, 1.0, 1.0, 1.0], 2)
    assert np.isinf(out[1]) and np.isinf(out[2]) and out[3] == out[4] == 1.0
    for bad in (0, -1, 1.5):
        with pytest.raises(ValueError):
            moving_average([1.0], bad)


def test_plot_loss_curves_draws_each_run():
    rng = np.random.default_rng(0)
    runs = {"a": rng.random(20), "b": rng.random(35)}
    x = {"a": np.arange(20) / 10, "b": np.arange(35) / 7}
    ax = plot_loss_curves(runs, x=x, xlabel="epoch", logy=True, title="t")
    labelled = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert [line.get_label() for line in labelled] == ["a", "b"]
    assert np.allclose(labelled[1].get_xdata(), x["b"]) and np.allclose(labelled[1].get_ydata(), runs["b"])
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch" and ax.get_title() == "t"
    plt.close("all")


def test_plot_loss_curves_smoothing_and_errors():
    runs = {"noisy": np.array([4.0, 0.0, 4.0, 0.0, 4.0])}
    ax = plot_loss_curves(runs, smooth=2, ylim=(0, 5))
    labelled = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert len(ax.get_lines()) == 2 and len(labelled) == 1
    assert np.allclose(labelled[0].get_ydata(), [4, 2, 2, 2, 2])
    assert ax.get_ylim() == (0, 5)
    ax = plot_loss_curves({"a": [1.0, 3.0, 5.0], "b": [1.0, 3.0, 5.0]}, smooth={"a": 1, "b": 3})
    a, b = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert np.allclose(a.get_ydata(), [1, 3, 5]) and np.allclose(b.get_ydata(), [1, 2, 3])
    assert len(ax.get_lines()) == 3, "only the smoothed run gets a faint raw curve"
    with pytest.raises(ValueError):
        plot_loss_curves({"a": [1.0, 2.0]}, x={"a": [1.0]})
    plt.close("all")
