"""nnlib.history against hand-computed values and NumPy, with random shapes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from nnlib.history import as_history, generalization_gap, plot_train_val, plot_weight_histograms, sparsity


class _FakeHistory:
    """Stands for keras.callbacks.History: metrics under ``.history``."""

    def __init__(self, history):
        self.history = history


def _random_history(rng, epochs):
    return {
        "loss": list(rng.uniform(0, 2, epochs)), "val_loss": list(rng.uniform(0, 2, epochs)),
        "accuracy": list(rng.uniform(0, 1, epochs)), "val_accuracy": list(rng.uniform(0, 1, epochs)),
    }


def test_as_history_reads_a_dict_or_a_history_object():
    rng = np.random.default_rng(0)
    epochs = int(rng.integers(1, 20))
    raw = _random_history(rng, epochs)
    for given in (raw, _FakeHistory(raw)):
        h = as_history(given)
        assert set(h) == set(raw)
        assert all(v.shape == (epochs,) and v.dtype == float for v in h.values())
        assert np.array_equal(h["val_loss"], raw["val_loss"])
    assert as_history({}) == {}
    with pytest.raises(ValueError):
        as_history({"loss": [1, 2], "val_loss": [1]})


def test_as_history_reads_a_real_keras_history():
    import keras

    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((8, 3), dtype="float32")
    fitted = model.fit(x, np.zeros(8), validation_data=(x, np.zeros(8)), epochs=2, verbose=0)
    h = as_history(fitted)
    assert set(h) == {"loss", "val_loss"} and all(v.shape == (2,) for v in h.values())


def test_generalization_gap_is_train_minus_validation():
    rng = np.random.default_rng(1)
    raw = _random_history(rng, 7)
    gap = generalization_gap(raw, "accuracy")
    assert np.allclose(gap, [a - b for a, b in zip(raw["accuracy"], raw["val_accuracy"])])
    assert np.allclose(generalization_gap(raw, "loss"), np.subtract(raw["loss"], raw["val_loss"]))


def test_sparsity_counts_small_weights():
    rng = np.random.default_rng(2)
    shapes = [tuple(int(s) for s in rng.integers(1, 6, size=int(rng.integers(1, 4)))) for _ in range(3)]
    arrays = [rng.normal(scale=2e-3, size=s) for s in shapes]
    flat = np.concatenate([a.ravel() for a in arrays])
    assert np.isclose(sparsity(arrays), np.count_nonzero(np.abs(flat) < 1e-3) / flat.size)
    assert np.isclose(sparsity(arrays[0], tol=1.0), np.mean(np.abs(arrays[0]) < 1.0))
    assert sparsity(np.array([0.0, -5e-4, 1e-3, 2.0])) == 0.5, "|w| < tol is strict"
    assert sparsity([]) == 0.0


def test_plots_draw_one_line_pair_per_model_and_one_panel_per_weight_set():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(3)
    histories = {"plain": _random_history(rng, 5), "dropout": _FakeHistory(_random_history(rng, 9))}
    ax = plot_train_val(histories, metric="accuracy", title="t")
    assert len(ax.lines) == 4 and ax.get_title() == "t"
    assert np.array_equal(ax.lines[3].get_xdata(), np.arange(1, 10))
    assert np.allclose(ax.lines[3].get_ydata(), histories["dropout"].history["val_accuracy"])
    weights = {"L1": np.r_[np.zeros(30), rng.normal(size=70)], "L2": rng.normal(size=(10, 10))}
    axes = plot_weight_histograms(weights, bins=20)
    assert len(axes) == 2
    assert axes[0].get_title().startswith("L1: 30%")
    heights = [patch.get_height() for patch in axes[1].patches]
    assert len(heights) == 20 and sum(heights) == 100
    plt.close("all")
