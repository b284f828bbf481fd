"""references/mlp.py against Keras (keras.ops, keras.losses, keras.regularizers and
Sequential models), on random shapes and depths."""

from __future__ import annotations

import nnlib  # noqa: F401  (first: quiet TensorFlow)
import keras
import numpy as np
import pytest

from references import mlp as ref
from tests.course_tools import needs_keras_float64

SEEDS = range(6)


def _np(x):
    return np.asarray(keras.ops.convert_to_numpy(x), dtype=float)


def _random_mlp(rng):
    """Random layer sizes (non-square layers) and (W, b) with W of shape (n_k, n_(k-1))."""
    sizes = [int(s) for s in rng.integers(1, 8, size=rng.integers(2, 6))]
    params = [(rng.normal(size=(b, a)), rng.normal(size=b)) for a, b in zip(sizes[:-1], sizes[1:])]
    return sizes, params


@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_equals_keras_on_any_batch_shape(seed):
    rng = np.random.default_rng(seed)
    shape = tuple(int(s) for s in rng.integers(1, 6, size=rng.integers(1, 4)))
    Z = rng.normal(scale=5, size=shape)
    assert np.allclose(ref.softmax(Z), _np(keras.ops.softmax(Z, axis=-1)), atol=1e-6)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        big = ref.softmax(Z + 1000.0)
    assert np.allclose(big, ref.softmax(Z)) and np.allclose(big.sum(axis=-1), 1.0)


@pytest.mark.parametrize("seed", SEEDS)
def test_mlp_forward_equals_a_keras_model(seed):
    rng = np.random.default_rng(seed)
    sizes, params = _random_mlp(rng)
    hidden, output = rng.choice(["relu", "tanh", "sigmoid", "linear"]), rng.choice(["linear", "sigmoid", "softmax"])
    if output == "softmax" and sizes[-1] == 1:  # a softmax over one unit is constant (Keras warns)
        output = "sigmoid"
    model = keras.Sequential(
        [keras.Input(shape=(sizes[0],))]
        + [keras.layers.Dense(n, activation=hidden) for n in sizes[1:-1]]
        + [keras.layers.Dense(sizes[-1], activation=output)]
    )
    model.set_weights(ref.to_kernels(params))
    X = rng.normal(size=(int(rng.integers(1, 9)), sizes[0]))
    got = ref.mlp_forward(X, params, ref.ACTIVATIONS[hidden], ref.ACTIVATIONS[output])
    assert got.shape == (X.shape[0], sizes[-1])
    assert np.allclose(got, _np(model(X.astype("float32"))), rtol=1e-4, atol=1e-5)
    assert model.count_params() == ref.count_parameters(sizes)


@needs_keras_float64
@pytest.mark.parametrize("seed", SEEDS)
def test_losses_equal_keras_losses(seed):
    rng = np.random.default_rng(seed)
    n, K = int(rng.integers(1, 12)), int(rng.integers(2, 7))
    Y, F = rng.normal(size=(n, K)), rng.normal(size=(n, K))  # float64 Keras losses: exact clipping
    assert np.isclose(ref.squared_l2_loss(Y, F), K * float(keras.losses.MeanSquaredError(dtype="float64")(Y, F)), rtol=1e-5)

    y = rng.integers(0, 2, size=n).astype(float)
    p = rng.uniform(size=n)
    p[: n // 3] = rng.choice([0.0, 1.0], size=n // 3)  # saturated outputs exercise the clipping
    expected = float(keras.losses.BinaryCrossentropy(dtype="float64")(y[:, None], p[:, None]))
    assert np.isclose(ref.binary_cross_entropy(y, p), expected, rtol=1e-7)

    Yc = np.eye(K)[rng.integers(0, K, size=n)]
    P = ref.softmax(rng.normal(scale=3, size=(n, K)))
    P[0] = np.eye(K)[(np.argmax(Yc[0]) + 1) % K]  # a confident wrong answer: log(0) clipped
    expected = float(keras.losses.CategoricalCrossentropy(dtype="float64")(Yc, P))
    assert np.isclose(ref.categorical_cross_entropy(Yc, P), expected, rtol=1e-7)


@pytest.mark.parametrize("seed", SEEDS)
def test_penalty_and_gradient_equal_keras_regularizers(seed):
    rng = np.random.default_rng(seed)
    _, params = _random_mlp(rng)
    l2 = sum(float(keras.regularizers.L2(1.0)(W)) for W, _ in params)
    l1 = sum(float(keras.regularizers.L1(1.0)(W)) for W, _ in params)
    assert np.isclose(ref.penalty(params, "l2"), l2, rtol=1e-5)
    assert np.isclose(ref.penalty(params, "l1"), l1, rtol=1e-5)
    # Gradient of the L2 penalty by central differences, on every entry.
    h = 1e-6
    for k, (dW, db) in enumerate(ref.l2_penalty_gradient(params)):
        W, b = params[k]
        assert dW.shape == W.shape and db.shape == b.shape and not db.any()
        for idx in np.ndindex(W.shape):
            plus = [(w.copy(), c) for w, c in params]
            minus = [(w.copy(), c) for w, c in params]
            plus[k][0][idx] += h
            minus[k][0][idx] -= h
            numeric = (ref.penalty(plus) - ref.penalty(minus)) / (2 * h)
            assert np.isclose(dW[idx], numeric, rtol=1e-6, atol=1e-6)


# ----------------------------------------------------------------- the same numbers as the solution
# references/mlp.py copies the answers of solutions/02_mlp; these tests run the notebook's own
# definitions next to it (see references/solution_code.py), so the two cannot drift.
@pytest.fixture(scope="module")
def solution():
    from references.solution_code import solution_namespace

    return solution_namespace("02_mlp", "TAU", "identity", "sigmoid", "relu", "softmax", "mlp_forward",
                              "squared_l2_loss", "binary_cross_entropy", "categorical_cross_entropy",
                              "penalty", "l2_penalty_gradient", "count_parameters")


def _same(ours, theirs):
    if isinstance(theirs, (list, tuple)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            _same(o, t)
    else:
        assert type(ours) is type(theirs) or np.asarray(ours).dtype == np.asarray(theirs).dtype
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("seed", SEEDS)
def test_activations_and_forward_match_the_solution(solution, seed):
    rng = np.random.default_rng(seed)
    Z = rng.normal(scale=5, size=(4, 3))
    Z[0] = [800.0, -800.0, 0.0]
    for name in ("identity", "sigmoid", "relu", "softmax"):
        _same(getattr(ref, name)(Z), solution[name](Z))
    _same(ref.softmax(Z[0].tolist()), solution["softmax"](Z[0].tolist()))
    sizes, params = _random_mlp(rng)
    X = rng.normal(size=(int(rng.integers(1, 6)), sizes[0]))
    for phi, psi in [("relu", "softmax"), ("sigmoid", "linear"), ("tanh", "sigmoid")]:
        phi, psi = ref.ACTIVATIONS[phi], ref.ACTIVATIONS[psi]
        _same(ref.mlp_forward(X, params, phi, psi), solution["mlp_forward"](X, params, phi, psi))


@pytest.mark.parametrize("seed", SEEDS)
def test_losses_penalties_and_counts_match_the_solution(solution, seed):
    rng = np.random.default_rng(50 + seed)
    n, K = int(rng.integers(1, 8)), int(rng.integers(2, 6))
    Y, F = rng.normal(size=(n, K)), rng.normal(size=(n, K))
    y, p = rng.integers(0, 2, size=n).astype(float), rng.random(n)
    p[0] = float(seed % 2)  # a probability of exactly 0 or 1 is clipped
    Y1, P = np.eye(K)[rng.integers(0, K, size=n)], ref.softmax(rng.normal(scale=4, size=(n, K)))
    assert ref.TAU == solution["TAU"]
    _same(ref.squared_l2_loss(Y, F), solution["squared_l2_loss"](Y, F))
    _same(ref.binary_cross_entropy(y, p), solution["binary_cross_entropy"](y, p))
    _same(ref.categorical_cross_entropy(Y1, P), solution["categorical_cross_entropy"](Y1, P))
    sizes, params = _random_mlp(rng)
    for kind in ("l2", "l1"):
        _same(ref.penalty(params, kind), solution["penalty"](params, kind))
    for penalty in (ref.penalty, solution["penalty"]):
        with pytest.raises(ValueError):
            penalty(params, "l3")
    _same(ref.l2_penalty_gradient(params), solution["l2_penalty_gradient"](params))
    _same(ref.count_parameters(sizes), solution["count_parameters"](sizes))
    _same(ref.count_parameters(np.array(sizes)), solution["count_parameters"](np.array(sizes)))
