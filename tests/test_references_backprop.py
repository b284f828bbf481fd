"""tests/references/backprop.py against finite differences and Keras' autodiff, on random
shapes and depths (these references grade nothing; the benchmark trains with them)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.references import backprop as R
from tests.course_tools import needs_keras_float64

IDENTITY = R.ACTIVATIONS["identity"][0]


def _random_net(seed, activation):
    rng = np.random.default_rng(seed)
    depth = int(rng.integers(1, 5))  # 0 to 3 hidden layers
    sizes = [int(s) for s in rng.integers(1, 7, size=depth + 1)]
    params = [(rng.normal(size=(o, i)), rng.normal(size=o)) for i, o in zip(sizes[:-1], sizes[1:])]
    n = int(rng.integers(1, 6))
    X, Y = rng.normal(size=(n, sizes[0])), rng.normal(size=(n, sizes[-1]))
    if activation == "relu":  # keep every hidden pre-activation away from the kink
        a, _ = R.forward(X, params, R.ACTIVATIONS["relu"][0], IDENTITY)
        params = [(W, b + np.where(np.abs(ak).min(axis=0) < 1e-2, 0.5, 0.0)) if k < len(params) - 1 else (W, b)
                  for k, ((W, b), ak) in enumerate(zip(params, a))]
        a, _ = R.forward(X, params, R.ACTIVATIONS["relu"][0], IDENTITY)
        if any(np.abs(ak).min() < 1e-3 for ak in a[:-1]):
            pytest.skip("a pre-activation sits on ReLU's kink")
    return params, X, Y


def _mse(params, X, Y, phi, psi):
    return np.sum((Y - R.forward(X, params, phi, psi)[1][-1]) ** 2) / len(X)


def _numeric(params, loss):
    out = []
    for W, b in params:
        out.append(tuple(R.numerical_gradient(lambda _: loss(params), p) for p in (W, b)))
    return out


@pytest.mark.parametrize("activation", ["identity", "sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("seed", range(5))
def test_backward_matches_finite_differences_for_the_squared_error(seed, activation):
    phi, dphi = R.ACTIVATIONS[activation]
    psi, dpsi = R.ACTIVATIONS["sigmoid" if seed % 2 else "identity"]
    params, X, Y = _random_net(seed, activation)
    a, h = R.forward(X, params, phi, psi)
    assert len(a) == len(params) and len(h) == len(params) + 1 and h[0] is X
    grads = R.backward(params, a, h, R.regression_delta(Y, a[-1], h[-1], dpsi), dphi)
    numeric = _numeric(params, lambda p: _mse(p, X, Y, phi, psi))
    for (W, b), (dW, db), (nW, nb) in zip(params, grads, numeric):
        assert dW.shape == W.shape and db.shape == b.shape
        # float64 finite differences resolve about 1e-10 absolutely: a gradient entry of 1e-3
        # (a saturated sigmoid) is then known to 1e-7 only, hence the 1e-6 here
        assert R.relative_error(dW, nW) < 1e-6 and R.relative_error(db, nb) < 1e-6


@pytest.mark.parametrize("seed", range(4))
def test_softmax_cross_entropy_delta_is_the_gradient_of_the_mean_cross_entropy(seed):
    rng = np.random.default_rng(100 + seed)
    n, K = int(rng.integers(1, 7)), int(rng.integers(2, 6))
    A, Y = rng.normal(scale=3, size=(n, K)), np.eye(K)[rng.integers(0, K, size=n)]

    def loss(A_):
        return -np.sum(Y * np.log(R.softmax(A_))) / n

    numeric = R.numerical_gradient(loss, A.copy())
    assert R.relative_error(R.softmax_cross_entropy_delta(A, Y), numeric) < 1e-7
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        big = R.softmax_cross_entropy_delta(np.array([[1000.0, -1000.0]]), np.array([[0.0, 1.0]]))
    assert np.allclose(big, [[1.0, -1.0]])


def test_numerical_gradient_is_centred_and_restores_its_input():
    rng = np.random.default_rng(5)
    x = rng.uniform(-2, 2, size=(2, 3, 2))
    before = x.copy()
    g = R.numerical_gradient(lambda v: np.sum(np.exp(v)), x, eps=1e-4)
    assert np.array_equal(x, before) and g.shape == x.shape
    assert np.allclose(g, np.exp(x), rtol=1e-8, atol=0)  # a one-sided difference is off by ~5e-5


def test_relative_error():
    assert R.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert R.relative_error(1.0, 3.0) == pytest.approx(0.5)
    assert R.relative_error(np.array([3.0, 0.0]), np.array([0.0, 4.0])) == pytest.approx(5 / 7)
    assert R.relative_error(np.array([1e-20]), np.array([0.0])) == pytest.approx(1.0)


def test_numpy_mlp_step_is_one_sgd_step_with_backward():
    rng = np.random.default_rng(6)
    params = R.init_params([5, 4, 3], rng)
    X, Y = rng.normal(size=(7, 5)), np.eye(3)[rng.integers(0, 3, size=7)]
    mlp = R.NumpyMLP(params, lr=0.5)
    relu, drelu = R.ACTIVATIONS["relu"]
    a, h = R.forward(X, params, relu, IDENTITY)
    grads = R.backward(params, a, h, (R.softmax(a[-1]) - Y) / 7, drelu)
    loss = mlp.step(X, Y)
    assert loss == pytest.approx(-np.mean(np.log(np.sum(R.softmax(a[-1]) * Y, axis=1))))
    for (W, b), (dW, db), (W1, b1) in zip(params, grads, mlp.params):
        assert np.allclose(W1, W - 0.5 * dW) and np.allclose(b1, b - 0.5 * db)


@needs_keras_float64
@pytest.mark.parametrize("seed,activation,loss_name", [(0, "sigmoid", "sse"), (1, "relu", "sse"),
                                                       (2, "identity", "xent"), (3, "sigmoid", "xent")])
def test_backward_matches_keras_autodiff(seed, activation, loss_name):
    """The same network as float64 Keras Dense layers (kernel = W transposed)."""
    import keras

    from nnlib.gradients import loss_and_gradients

    phi, dphi = R.ACTIVATIONS[activation]
    params, X, Y = _random_net(seed, activation)
    X = X.astype(np.float32).astype(np.float64)  # the dispatcher hands x and y over as float32
    n, K = len(X), params[-1][0].shape[0]
    if loss_name == "xent":
        Y = np.eye(K)[np.random.default_rng(seed).integers(0, K, size=n)]
    else:
        Y = Y.astype(np.float32).astype(np.float64)
    layers = [keras.Input((X.shape[1],))]
    for k, (W, _) in enumerate(params):
        last = k == len(params) - 1
        layers.append(keras.layers.Dense(W.shape[0], activation="linear" if last else
                                         {"identity": "linear"}.get(activation, activation), dtype="float64"))
    model = keras.Sequential(layers)
    model.set_weights([w for W, b in params for w in (W.T, b)])

    def loss_fn(y_true, y_pred):
        y_true = keras.ops.cast(y_true, y_pred.dtype)
        if loss_name == "sse":
            return keras.ops.sum((y_true - y_pred) ** 2) / n
        return -keras.ops.sum(y_true * keras.ops.log_softmax(y_pred, axis=-1)) / n

    loss, theirs = loss_and_gradients(model, loss_fn, X, Y)
    a, h = R.forward(X, params, phi, IDENTITY)
    if loss_name == "sse":
        delta = R.regression_delta(Y, a[-1], h[-1], np.ones_like)
        expected_loss = np.sum((Y - h[-1]) ** 2) / n
    else:
        delta = R.softmax_cross_entropy_delta(a[-1], Y)
        expected_loss = -np.sum(Y * np.log(R.softmax(a[-1]))) / n
    assert loss == pytest.approx(expected_loss, rel=1e-10)
    for k, (dW, db) in enumerate(R.backward(params, a, h, delta, dphi)):
        assert theirs[2 * k].shape == dW.T.shape
        assert R.relative_error(dW.T, theirs[2 * k]) < 1e-10
        assert R.relative_error(db, theirs[2 * k + 1]) < 1e-10
