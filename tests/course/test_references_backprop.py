"""references/backprop.py against finite differences and Keras' autodiff, on random
shapes and depths (these references grade nothing; the benchmark trains with them)."""

from __future__ import annotations

import numpy as np
import pytest

from references import backprop as R
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
    g = R.numerical_gradient(lambda v: np.sum(np.exp(v)), x, h=1e-4)
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



def _rnn_loop(X, W_xh, W_hh, b, h0):
    """One sequence and one step at a time, in the slides' column orientation."""
    out = np.zeros((X.shape[0], X.shape[1], W_hh.shape[0]))
    for i in range(X.shape[0]):
        h = h0[i]
        for t in range(X.shape[1]):
            h = np.tanh(W_hh @ h + W_xh @ X[i, t] + b)
            out[i, t] = h
    return out


@pytest.mark.parametrize("seed", range(4))
def test_rnn_forward_is_the_recurrence_with_shared_weights(seed):
    rng = np.random.default_rng(400 + seed)
    n, T, d, n_h = (int(v) for v in rng.integers(1, 7, size=4))
    X = rng.normal(size=(n, T, d))
    W_xh, W_hh, b = rng.normal(size=(n_h, d)), rng.normal(size=(n_h, n_h)), rng.normal(size=n_h)
    h0 = rng.normal(size=(n, n_h))
    before = (X.copy(), h0.copy())
    np.testing.assert_allclose(R.rnn_forward(X, W_xh, W_hh, b, h0=h0), _rnn_loop(X, W_xh, W_hh, b, h0), atol=1e-12)
    np.testing.assert_allclose(R.rnn_forward(X, W_xh, W_hh, b), _rnn_loop(X, W_xh, W_hh, b, np.zeros((n, n_h))),
                               atol=1e-12)
    assert np.array_equal(X, before[0]) and np.array_equal(h0, before[1])


@pytest.mark.parametrize("seed", range(2))
def test_rnn_forward_matches_keras_simple_rnn(seed):
    """Keras' SimpleRNN with kernel W_xh^T, recurrent kernel W_hh^T and the bias (float32)."""
    import keras

    rng = np.random.default_rng(410 + seed)
    n, T, d, n_h = 3, 6, 2, 5
    X = rng.normal(size=(n, T, d)).astype(np.float32).astype(float)
    W_xh, W_hh = rng.normal(size=(n_h, d)), rng.normal(scale=0.5, size=(n_h, n_h))
    b, h0 = rng.normal(scale=0.1, size=n_h), rng.normal(size=(n, n_h)).astype(np.float32).astype(float)
    W_xh, W_hh, b = (v.astype(np.float32).astype(float) for v in (W_xh, W_hh, b))
    layer = keras.layers.SimpleRNN(n_h, return_sequences=True)
    layer.build((None, T, d))
    layer.set_weights([W_xh.T, W_hh.T, b])
    assert [w.shape for w in layer.get_weights()] == [(d, n_h), (n_h, n_h), (n_h,)]
    for start in (None, h0):
        theirs = keras.ops.convert_to_numpy(layer(X.astype("float32"), initial_state=None if start is None
                                                  else start.astype("float32")))
        np.testing.assert_allclose(R.rnn_forward(X, W_xh, W_hh, b, h0=start), theirs, atol=1e-5)


def test_state_jacobian_log_norms_is_the_jacobian_of_the_last_state():
    """Column k is log10 ||dh_T/dh_(T-k)||_2: the Jacobian by finite differences on the
    recurrence restarted from h_(T-k)."""
    rng = np.random.default_rng(420)
    n, T, d, n_h = 2, 6, 3, 4
    X = rng.normal(size=(n, T, d))
    W_xh, W_hh, b = rng.normal(size=(n_h, d)), rng.normal(scale=0.8, size=(n_h, n_h)), np.zeros(n_h)
    H = R.rnn_forward(X, W_xh, W_hh, b)
    got = R.state_jacobian_log_norms(H, W_hh)
    assert got.shape == (n, T + 1) and np.all(got[:, 0] == 0)
    for i in range(n):
        for k in range(1, T + 1):
            start = H[i, T - k - 1] if k < T else np.zeros(n_h)  # h_(T-k)
            rest = X[i:i + 1, T - k:]  # x_(T-k+1), ..., x_T

            def last_state(h, rest=rest):
                return R.rnn_forward(rest, W_xh, W_hh, b, h0=h[None])[0, -1]

            J = np.zeros((n_h, n_h))
            for j in range(n_h):
                e = np.zeros(n_h)
                e[j] = 1e-6
                J[:, j] = (last_state(start + e) - last_state(start - e)) / 2e-6
            assert abs(got[i, k] - np.log10(np.linalg.norm(J, 2))) < 1e-6

# ----------------------------------------------------------------- the same numbers as the solution
# The reference is a copy of the solution notebook's code (answers, initialisation, training
# loop); these tests run the notebook's own definitions next to it, so the two cannot drift.
SOLUTION_NAMES = ("sigmoid", "ACTIVATIONS", "init_params", "forward", "regression_delta", "backward",
                  "numerical_gradient", "relative_error", "softmax", "softmax_cross_entropy_delta",
                  "identity", "relu", "drelu", "BATCH", "LR", "numpy_epoch", "he_init", "rnn_forward",
                  "state_jacobian_log_norms")


@pytest.fixture(scope="module")
def solution():
    from references.solution_code import solution_namespace

    return solution_namespace("03_backprop", *SOLUTION_NAMES)


def _assert_same(ours, theirs):
    """Equal numbers, shapes and dtypes, through nested lists and tuples."""
    if isinstance(theirs, (list, tuple)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            _assert_same(o, t)
    else:
        assert np.asarray(ours).dtype == np.asarray(theirs).dtype
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("seed", range(4))
def test_init_params_matches_the_solution(solution, seed, dtype):
    sizes = [int(s) for s in np.random.default_rng(seed).integers(1, 9, size=seed + 2)]
    ours = R.init_params(sizes, seed=seed, dtype=dtype)
    _assert_same(ours, solution["init_params"](sizes, seed=seed, dtype=dtype))
    assert [W.shape for W, _ in ours] == [(o, i) for i, o in zip(sizes[:-1], sizes[1:])]
    _assert_same(R.init_params(sizes), solution["init_params"](sizes))  # the default seed
    # a Generator (as the benchmark passes) is the seed it was made from
    _assert_same(R.init_params(sizes, np.random.default_rng(seed), dtype), ours)
    # the notebook's MNIST network: 784-128-10 in float32, seed 0
    if seed == 0:
        _assert_same(R.init_params([784, 128, 10], seed=0, dtype=np.float32),
                     solution["init_params"]([784, 128, 10], seed=0, dtype=np.float32))


@pytest.mark.parametrize("n_in, n_out", [(3, 5), (64, 64), (784, 10)])
def test_he_init_matches_the_solution(solution, n_in, n_out):
    ours = R.he_init(n_in, n_out, np.random.default_rng(n_in))
    _assert_same(ours, solution["he_init"](n_in, n_out, np.random.default_rng(n_in)))
    assert ours.shape == (n_out, n_in)
    big = R.he_init(500, 400, np.random.default_rng(0))
    assert abs(big.std() / np.sqrt(2 / 500) - 1) < 0.01 and abs(big.mean()) < 1e-3


@pytest.mark.parametrize("activation", ["identity", "sigmoid", "tanh", "relu"])
def test_activations_match_the_solution(solution, activation):
    a = np.random.default_rng(7).normal(scale=4, size=(5, 3))
    a[0, :] = [0.0, 800.0, -800.0]
    with np.errstate(over="raise"):
        for ours, theirs in zip(R.ACTIVATIONS[activation], solution["ACTIVATIONS"][activation]):
            _assert_same(ours(a), theirs(a))
    assert set(R.ACTIVATIONS) == set(solution["ACTIVATIONS"])


@pytest.mark.parametrize("activation", ["identity", "sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("seed", range(3))
def test_forward_delta_and_backward_match_the_solution(solution, seed, activation):
    phi, dphi = R.ACTIVATIONS[activation]
    psi, dpsi = R.ACTIVATIONS["sigmoid" if seed % 2 else "identity"]
    params, X, Y = _random_net(seed, activation)
    ours, theirs = R.forward(X, params, phi, psi), solution["forward"](X, params, phi, psi)
    _assert_same(ours, theirs)
    a, h = ours
    delta = R.regression_delta(Y, a[-1], h[-1], dpsi)
    _assert_same(delta, solution["regression_delta"](Y, a[-1], h[-1], dpsi))
    _assert_same(R.backward(params, a, h, delta, dphi), solution["backward"](params, a, h, delta, dphi))


@pytest.mark.parametrize("seed", range(3))
def test_softmax_and_its_delta_match_the_solution(solution, seed):
    rng = np.random.default_rng(200 + seed)
    n, K = int(rng.integers(1, 7)), int(rng.integers(2, 6))
    A, Y = rng.normal(scale=3, size=(n, K)), np.eye(K)[rng.integers(0, K, size=n)]
    A[0, 0] = 1000.0
    _assert_same(R.softmax(A), solution["softmax"](A))
    _assert_same(R.softmax_cross_entropy_delta(A, Y), solution["softmax_cross_entropy_delta"](A, Y))


def test_numerical_gradient_and_relative_error_match_the_solution(solution):
    rng = np.random.default_rng(8)
    x = rng.uniform(-2, 2, size=(3, 4))

    def f(v):
        return np.sum(np.sin(v) * v ** 2)

    for h in (1e-6, 1e-4):
        _assert_same(R.numerical_gradient(f, x.copy(), h), solution["numerical_gradient"](f, x.copy(), h))
    for a, b in [(x, x + 1e-3), (x, -x), (np.zeros(3), np.zeros(3)), (1.0, 3.0), (np.array([1e-20]), np.zeros(1))]:
        ours, theirs = R.relative_error(a, b), solution["relative_error"](a, b)
        assert type(ours) is type(theirs) and ours == theirs


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_numpy_mlp_epoch_matches_the_solutions_training_loop(solution, dtype):
    """NumpyMLP.train_epoch (the benchmark's loop) is the notebook's ``numpy_epoch``: the same
    losses and the same weights after an epoch, from the same initialisation and order."""
    rng = np.random.default_rng(9)
    n, batch = 70, solution["BATCH"]  # 70 = 2 full batches of 32 and a partial one
    x = rng.random((n, 12)).astype(dtype)
    y = np.eye(4, dtype=dtype)[rng.integers(0, 4, size=n)]
    solution.update(x_train=x, Y_train=y)  # the globals numpy_epoch reads
    params = solution["init_params"]([12, 8, 4], seed=0, dtype=dtype)
    mine = R.NumpyMLP(R.init_params([12, 8, 4], seed=0, dtype=dtype), lr=solution["LR"])
    for epoch in range(2):
        order = np.random.default_rng(epoch).permutation(n)
        theirs = solution["numpy_epoch"](params, order)
        assert mine.train_epoch(x, y, batch, order) == theirs
        _assert_same(mine.params, params)
    _assert_same(mine.logits(x), solution["forward"](x, params, solution["relu"], solution["identity"])[1][-1])


@pytest.mark.parametrize("seed", range(3))
def test_rnn_forward_and_the_jacobian_norms_match_the_solution(solution, seed):
    rng = np.random.default_rng(430 + seed)
    n, T, d, n_h = 3, 4 + seed, 2, 5
    X = rng.normal(size=(n, T, d))
    W_xh, W_hh, b = rng.normal(size=(n_h, d)), rng.normal(size=(n_h, n_h)), rng.normal(size=n_h)
    h0 = rng.normal(size=(n, n_h))
    for start in (None, h0):
        H = R.rnn_forward(X, W_xh, W_hh, b, h0=start)
        _assert_same(H, solution["rnn_forward"](X, W_xh, W_hh, b, h0=start))
    _assert_same(R.state_jacobian_log_norms(H, W_hh), solution["state_jacobian_log_norms"](H, W_hh))
