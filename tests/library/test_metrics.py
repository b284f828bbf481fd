"""nnlib.metrics against hand-computed values, loops, NumPy and scikit-learn, with random shapes."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.metrics import (
    DONT,
    HUG,
    PRETTY_SURE,
    as_history,
    confusion_matrix,
    generalization_gap,
    moving_average,
    sparsity,
    verdict,
)
from tests.library.histories import FakeHistory, random_history


# --- histories -------------------------------------------------------------------------

def test_as_history_reads_a_dict_or_a_history_object():
    rng = np.random.default_rng(0)
    epochs = int(rng.integers(1, 20))
    raw = random_history(rng, epochs)
    for given in (raw, FakeHistory(raw)):
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
    raw = random_history(rng, 7)
    gap = generalization_gap(raw, "accuracy")
    assert np.allclose(gap, [a - b for a, b in zip(raw["accuracy"], raw["val_accuracy"])])
    assert np.allclose(generalization_gap(raw, "loss"), np.subtract(raw["loss"], raw["val_loss"]))


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


# --- weights ---------------------------------------------------------------------------

def test_sparsity_counts_small_weights():
    rng = np.random.default_rng(2)
    shapes = [tuple(int(s) for s in rng.integers(1, 6, size=int(rng.integers(1, 4)))) for _ in range(3)]
    arrays = [rng.normal(scale=2e-3, size=s) for s in shapes]
    flat = np.concatenate([a.ravel() for a in arrays])
    assert np.isclose(sparsity(arrays), np.count_nonzero(np.abs(flat) < 1e-3) / flat.size)
    assert np.isclose(sparsity(arrays[0], tol=1.0), np.mean(np.abs(arrays[0]) < 1.0))
    assert sparsity(np.array([0.0, -5e-4, 1e-3, 2.0])) == 0.5, "|w| < tol is strict"
    assert sparsity([]) == 0.0


# --- predictions -----------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(4))
def test_confusion_matrix_matches_sklearn(seed):
    from sklearn.metrics import confusion_matrix as sk_confusion_matrix

    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 11))
    y_true = rng.integers(0, k, size=200)
    y_pred = np.where(rng.random(200) < 0.7, y_true, rng.integers(0, k, size=200))
    cm = confusion_matrix(y_true, y_pred, n_classes=k)
    np.testing.assert_array_equal(cm, sk_confusion_matrix(y_true, y_pred, labels=range(k)))
    assert cm.dtype == np.int64 and cm.sum() == 200


def test_confusion_matrix_infers_classes_and_checks_lengths():
    assert confusion_matrix([0, 2], [1, 2]).shape == (3, 3)
    with pytest.raises(ValueError):
        confusion_matrix([0, 1], [1])


@pytest.mark.parametrize(
    "p_hug, expected",
    [  # the four examples of the slides
        (0.695779, "Go for it! Hug it out. With a score of 0.695779, we're somewhat sure."),
        (1 - 0.999875, "Don't hug that. Please. With a score of 0.999875, we're pretty sure."),
        (1 - 0.778686, "Don't hug that. Please. With a score of 0.778686, we're pretty sure."),
        (0.958104, "Go for it! Hug it out. With a score of 0.958104, we're pretty sure."),
        (0.5, "Go for it! Hug it out. With a score of 0.500000, we're somewhat sure."),
        (0.25, "Don't hug that. Please. With a score of 0.750000, we're pretty sure."),
    ],
)
def test_verdict_matches_the_slides(p_hug, expected):
    assert verdict(p_hug) == expected


def test_verdict_rejects_non_probabilities():
    for bad in (-0.1, 1.5, float("nan")):
        with pytest.raises(ValueError):
            verdict(bad)


def test_verdict_constants_are_its_words():
    assert verdict(1.0).startswith(HUG) and verdict(0.0).startswith(DONT)
    assert "pretty sure" in verdict(PRETTY_SURE) and "somewhat sure" in verdict(np.nextafter(PRETTY_SURE, 0))
