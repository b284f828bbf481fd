"""The references of 05_regularization against Keras (``keras.layers.Dropout``,
``keras.regularizers``) and finite differences, with random shapes."""

from __future__ import annotations

import numpy as np
import pytest

from references.regularization import (
    CHOICE_KEYS,
    accuracy_and_loss,
    best_from_histories,
    best_model,
    choice_problems,
    dropout_backward,
    dropout_forward,
    dropout_mlp,
    l1_l2_penalty,
    regularized_mlp,
    train_choice,
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
                              "l1_l2_penalty", "best_model", "best_from_histories", "regularized_mlp",
                              "choose_regularization")


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


# ----------------------------------------------------------------- Exercise 6: the tuning exercise
_GOOD = {"input_dropout": 0.2, "dropout": 0.5, "l2": 0.0, "epochs": 20, "early_stopping": False}


def test_choice_problems_accepts_well_formed_choices():
    assert choice_problems(_GOOD) == []
    numpy_scalars = {"input_dropout": np.float32(0.0), "dropout": np.float64(0.5), "l2": 0,
                     "epochs": np.int64(30), "early_stopping": np.bool_(True)}
    assert choice_problems(numpy_scalars) == []
    assert choice_problems(dict(_GOOD, l2=1.0, epochs=1)) == []


@pytest.mark.parametrize("change", [
    {"dropout": 50}, {"input_dropout": 1.0}, {"dropout": -0.1}, {"l2": 1.5}, {"l2": True},
    {"epochs": 0}, {"epochs": 31}, {"epochs": 20.0}, {"epochs": True}, {"early_stopping": 1},
    {"dropout": "0.5"},
])
def test_choice_problems_rejects_values_out_of_range(change):
    problems = choice_problems(dict(_GOOD, **change))
    assert len(problems) == 1 and list(change)[0] in problems[0]


def test_choice_problems_rejects_other_keys_and_types():
    assert choice_problems([("dropout", 0.5)]) == ["expected a dict, got list"]
    missing = {k: v for k, v in _GOOD.items() if k != "early_stopping"}
    assert "missing ['early_stopping']" in choice_problems(missing)[0]
    assert "unknown ['rate']" in choice_problems(dict(_GOOD, rate=0.5))[0]


def test_regularized_mlp_has_the_rates_and_penalty_asked_for():
    import keras

    model = regularized_mlp({"input_dropout": 0.1, "dropout": 0.4, "l2": 2e-3, "epochs": 1, "early_stopping": False})
    assert [type(layer).__name__ for layer in model.layers] == ["Dropout", "Dense", "Dropout", "Dense", "Dropout", "Dense"]
    assert [layer.rate for layer in model.layers if isinstance(layer, keras.layers.Dropout)] == [0.1, 0.4, 0.4]
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert [layer.units for layer in dense] == [256, 256, 10] and model.count_params() == 269_322
    expected = sum(2e-3 * float(np.sum(layer.get_weights()[0] ** 2)) for layer in dense)
    assert np.isclose(float(sum(keras.ops.convert_to_numpy(v) for v in model.losses)), expected, rtol=1e-5)
    plain = regularized_mlp(dict(_GOOD, input_dropout=0, dropout=0))
    assert not plain.losses, "l2 = 0: no penalty at all"


def test_train_choice_is_deterministic_and_stops_early():
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(64, 784)).astype("float32")
    y = rng.integers(0, 10, size=64)
    choice = dict(_GOOD, epochs=2)
    runs = [train_choice(choice, x[:32], y[:32], x[32:], y[32:], seed=3) for _ in range(2)]
    assert np.array_equal(runs[0][0].predict(x, verbose=0), runs[1][0].predict(x, verbose=0))
    accuracy, loss = accuracy_and_loss(runs[0][0], x[32:], y[32:])
    assert 0 <= accuracy <= 1 and loss > 0
    # random labels: the validation loss stops improving, early stopping ends the run before 30 epochs
    _, history = train_choice(dict(_GOOD, epochs=30, early_stopping=True), x[:32], y[:32], x[32:], y[32:])
    assert len(history.history["loss"]) < 30


def test_regularized_mlp_and_choice_match_the_solution(solution):
    choice = {"input_dropout": 0.1, "dropout": 0.3, "l2": 1e-3, "epochs": 5, "early_stopping": True}
    assert _architecture(regularized_mlp(choice)) == _architecture(solution["regularized_mlp"](choice))
    assert choice_problems(solution["choose_regularization"]()) == []
    assert set(CHOICE_KEYS) == set(solution["choose_regularization"]())
