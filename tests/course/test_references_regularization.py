"""The references of 05_regularization against Keras (``keras.layers.Dropout``,
``keras.regularizers``) and finite differences, with random shapes."""

from __future__ import annotations

import numpy as np
import pytest

from references.regularization import (
    best_from_histories,
    best_model,
    dropout_backward,
    dropout_forward,
    dropout_mlp,
    l1_l2_penalty,
)


def _random_shape(rng, size=40_000):
    """A 1- to 3-D shape holding about ``size`` units."""
    ndim = int(rng.integers(1, 4))
    first = [int(rng.integers(2, 9)) for _ in range(ndim - 1)]
    return tuple(first + [max(1, size // int(np.prod(first or [1])))])


@pytest.mark.parametrize("p", [0.2, 0.5, 0.7])
def test_dropout_statistics_match_keras(p):
    """Over many units: the zero fraction is p, survivors are 1/(1-p), the mean is kept."""
    import keras

    rng = np.random.default_rng(int(p * 100))
    shape = _random_shape(rng)
    h = rng.uniform(0.5, 1.5, size=shape).astype("float32")
    ours, mask = dropout_forward(h, p, rng, training=True)
    keras_out = keras.ops.convert_to_numpy(keras.layers.Dropout(p, seed=1)(h, training=True))
    n = h.size
    tol = 4 * np.sqrt(p * (1 - p) / n)  # four standard deviations of a zero fraction
    for out in (ours, keras_out):
        assert out.shape == shape
        assert abs(np.mean(out == 0) - p) < tol
        kept = out != 0
        assert np.allclose(out[kept], h[kept] / (1 - p), rtol=1e-5)
        # out_i = h_i m_i / (1 - p) with m_i ~ Bernoulli(1 - p): Var(out_i) = h_i^2 p / (1 - p)
        sd_of_mean = np.sqrt(np.mean(h.astype(float) ** 2) * p / (1 - p) / n)
        assert abs(out.mean() - h.mean()) < 5 * sd_of_mean
    assert mask.dtype == bool and np.array_equal(mask, ours != 0)


def test_dropout_is_the_identity_at_test_time_like_keras():
    import keras

    rng = np.random.default_rng(3)
    h = rng.normal(size=_random_shape(rng, 500)).astype("float32")
    state = rng.bit_generator.state
    out, mask = dropout_forward(h, 0.5, rng, training=False)
    assert rng.bit_generator.state == state, "no random numbers are drawn at test time"
    assert np.array_equal(out, h) and mask.all()
    assert np.array_equal(keras.ops.convert_to_numpy(keras.layers.Dropout(0.5)(h, training=False)), h)


def test_dropout_rejects_p_outside_the_unit_interval():
    rng = np.random.default_rng(0)
    for p in (-0.1, 1.0, 1.5):
        with pytest.raises(ValueError):
            dropout_forward(np.ones(3), p, rng)


def test_dropout_backward_equals_finite_differences():
    """With the mask fixed (same seed), forward is linear in h: d sum(g * out) / dh."""
    rng = np.random.default_rng(7)
    shape = _random_shape(rng, 60)
    h = rng.normal(size=shape)
    g = rng.normal(size=shape)
    p, eps = 0.3, 1e-6
    _, mask = dropout_forward(h, p, np.random.default_rng(11))
    numeric = np.zeros(shape)
    for idx in np.ndindex(*shape):
        bump = np.zeros(shape)
        bump[idx] = eps
        up, _ = dropout_forward(h + bump, p, np.random.default_rng(11))
        down, _ = dropout_forward(h - bump, p, np.random.default_rng(11))
        numeric[idx] = np.sum(g * (up - down)) / (2 * eps)
    assert np.allclose(dropout_backward(g, mask, p), numeric, atol=1e-6)


def test_dropout_mlp_layers_and_keras_behaviour():
    import keras

    model = dropout_mlp(12, (8, 6), 3)
    names = [type(layer).__name__ for layer in model.layers]
    assert names == ["Dropout", "Dense", "Dropout", "Dense", "Dropout", "Dense"]
    assert [layer.rate for layer in model.layers if isinstance(layer, keras.layers.Dropout)] == [0.2, 0.5, 0.5]
    x = np.random.default_rng(0).normal(size=(5, 12)).astype("float32")
    a = keras.ops.convert_to_numpy(model(x, training=False))
    assert np.allclose(a, keras.ops.convert_to_numpy(model(x, training=False)))
    assert np.allclose(a.sum(axis=1), 1, atol=1e-5)


@pytest.mark.parametrize("l1,l2", [(1e-3, 0.0), (0.0, 2e-3), (3e-4, 5e-4)])
def test_penalty_equals_keras_model_losses(l1, l2):
    import keras

    rng = np.random.default_rng(int(1e4 * (l1 + l2)))
    sizes = [int(s) for s in rng.integers(2, 9, size=3)]
    reg = keras.regularizers.L1L2(l1=l1, l2=l2)
    model = keras.Sequential([keras.Input(shape=(sizes[0],))] + [
        keras.layers.Dense(s, kernel_regularizer=reg, bias_initializer="ones") for s in sizes[1:]
    ])
    model(np.zeros((1, sizes[0]), dtype="float32"))
    expected = float(sum(keras.ops.convert_to_numpy(loss) for loss in model.losses))
    assert np.isclose(l1_l2_penalty(model, l1=l1, l2=l2), expected, rtol=1e-5)


def test_best_model_and_best_from_histories():
    assert best_model({"a": 0.9, "b": 0.95, "c": 0.95}) == "b"
    assert best_model({"a": 0.3, "b": 0.2}, higher_is_better=False) == "b"
    histories = {
        "big": {"accuracy": [0.9, 1.0, 1.0], "val_accuracy": [0.80, 0.82, 0.81],
                "loss": [0.3, 0.01, 0.001], "val_loss": [0.6, 0.55, 0.7]},
        "dropout": {"accuracy": [0.7, 0.8, 0.85], "val_accuracy": [0.79, 0.84, 0.83],
                    "loss": [0.9, 0.6, 0.5], "val_loss": [0.65, 0.5, 0.52]},
    }
    assert best_from_histories(histories, "accuracy") == ("dropout", 2)
    assert best_from_histories(histories, "loss") == ("dropout", 2)
    # the notebook's histories hold NumPy arrays (nnlib.metrics.as_history)
    as_arrays = {name: {key: np.asarray(v) for key, v in h.items()} for name, h in histories.items()}
    assert best_from_histories(as_arrays, "accuracy") == ("dropout", 2)


# ----------------------------------------------------------------- the same numbers as the solution
# references/regularization.py copies the answers of solutions/05_regularization; these tests
# run the notebook's own definitions next to it (see references/solution_code.py).
@pytest.fixture(scope="module")
def solution():
    from references.solution_code import solution_namespace

    return solution_namespace("05_regularization", "dropout_forward", "dropout_backward", "dropout_mlp",
                              "l1_l2_penalty", "best_model", "best_from_histories")


def _architecture(model):
    """Each layer's class and configuration, its name left out."""
    return [(type(layer).__name__, {k: v for k, v in layer.get_config().items() if k != "name"})
            for layer in model.layers]


@pytest.mark.parametrize("p", [0.0, 0.3, 0.5])
@pytest.mark.parametrize("training", [True, False])
def test_dropout_matches_the_solution(solution, p, training):
    rng = np.random.default_rng(int(10 * p))
    h = rng.normal(size=_random_shape(rng, size=500))
    out, mask = dropout_forward(h, p, np.random.default_rng(1), training=training)
    t_out, t_mask = solution["dropout_forward"](h, p, np.random.default_rng(1), training=training)
    assert np.array_equal(out, t_out) and np.array_equal(mask, t_mask) and mask.dtype == t_mask.dtype
    g = rng.normal(size=h.shape)
    assert np.array_equal(dropout_backward(g, mask, p), solution["dropout_backward"](g, mask, p))
    for forward in (dropout_forward, solution["dropout_forward"]):
        with pytest.raises(ValueError):
            forward(h, 1.0, rng)


def test_dropout_mlp_and_penalty_match_the_solution(solution):
    import keras

    for args in [(), (20, (7, 5), 3)]:
        assert _architecture(dropout_mlp(*args)) == _architecture(solution["dropout_mlp"](*args))
    keras.utils.set_random_seed(0)
    model = dropout_mlp(12, (6, 4), 3)
    for l1, l2 in [(1e-3, 0.0), (0.0, 2e-3), (3e-4, 5e-4)]:
        assert l1_l2_penalty(model, l1, l2) == solution["l1_l2_penalty"](model, l1, l2)


def test_model_selection_matches_the_solution(solution):
    rng = np.random.default_rng(3)
    scores = {f"m{i}": float(s) for i, s in enumerate(rng.choice([0.8, 0.85, 0.9], size=6))}
    for higher in (True, False):
        assert best_model(scores, higher) == solution["best_model"](scores, higher)
    histories = {f"m{i}": {"val_accuracy": rng.choice([0.7, 0.8, 0.9], size=5).tolist(),
                           "val_loss": rng.choice([0.3, 0.4, 0.5], size=5).tolist()} for i in range(4)}
    for metric in ("accuracy", "loss"):
        assert best_from_histories(histories, metric) == solution["best_from_histories"](histories, metric)
