"""The reference answers of 04_sgd against Keras (one reference step equals one
``keras.optimizers.SGD`` or ``Adam`` step from the same state) and against direct counts."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import nnlib  # noqa: F401  (quiet TensorFlow before Keras loads it)
import keras

from references import sgd as ref


def _model(rng, sizes):
    layers = [keras.Input((sizes[0],))]
    layers += [keras.layers.Dense(k, activation="tanh") for k in sizes[1:-1]]
    layers += [keras.layers.Dense(sizes[-1])]
    model = keras.Sequential(layers)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.get_weights()])
    return model


def _keras_step(model, optimizer, grads):
    """One optimizer step from ``(g_W, g_b)`` pairs: Keras takes each kernel's gradient, ``g_W.T``."""
    flat = [g for gW, gb in grads for g in (gW.T, gb)]
    optimizer.apply_gradients(zip([keras.ops.convert_to_tensor(g) for g in flat], model.trainable_variables))


def test_params_are_w_of_shape_n_out_n_in_and_round_trip():
    rng = np.random.default_rng(7)
    model = _model(rng, [5, 4, 3])
    params = ref.get_params(model)
    assert [(W.shape, b.shape) for W, b in params] == [((4, 5), (4,)), ((3, 4), (3,))]
    x = rng.normal(size=(6, 5)).astype("float32")
    h = np.tanh(x @ params[0][0].T + params[0][1])
    assert np.allclose(h @ params[1][0].T + params[1][1], model.predict(x, verbose=0), atol=1e-5)
    params[0][0][0, 0] += 1.0  # a copy: the model does not change
    assert not np.array_equal(ref.get_params(model)[0][0], params[0][0])
    ref.set_params(model, params)
    assert all(np.array_equal(W, W2) and np.array_equal(b, b2) for (W, b), (W2, b2) in zip(params, ref.get_params(model)))


@pytest.mark.parametrize("seed", range(4))
def test_minibatches_partition_range_n(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 60)), int(rng.integers(1, 70))
    batches = list(ref.minibatches(n, m, rng))
    sizes = [len(b) for b in batches]
    assert len(batches) == -(-n // m) == ref.n_iterations(n, m, 1)
    assert all(s == m for s in sizes[:-1]) and 1 <= sizes[-1] <= m
    assert sorted(np.concatenate(batches).tolist()) == list(range(n))
    assert all(np.issubdtype(b.dtype, np.integer) for b in batches)


def test_minibatches_draw_every_subset_uniformly():
    rng = np.random.default_rng(0)
    firsts = [tuple(sorted(next(iter(ref.minibatches(6, 2, rng))).tolist())) for _ in range(3000)]
    counts = {pair: firsts.count(pair) for pair in itertools.combinations(range(6), 2)}
    assert len(counts) == 15 and min(counts.values()) > 140  # 200 expected each


@pytest.mark.parametrize("n,m,epochs,expected", [(10, 3, 1, 4), (9, 3, 2, 6), (5, 8, 3, 3), (2000, 32, 5, 315)])
def test_n_iterations(n, m, epochs, expected):
    assert ref.n_iterations(n, m, epochs) == expected
    rng = np.random.default_rng(n)
    assert sum(1 for _ in range(epochs) for _ in ref.minibatches(n, m, rng)) == expected


def test_n_iterations_is_what_keras_fit_counts():
    rng = np.random.default_rng(1)
    model = _model(rng, [3, 2])
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse")
    x, y = rng.normal(size=(11, 3)), rng.normal(size=(11, 2))
    model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    assert int(model.optimizer.iterations) == ref.n_iterations(11, 4, 2) == 6


def test_schedule_matches_keras_inverse_time_decay():
    decay = keras.optimizers.schedules.InverseTimeDecay(0.3, decay_steps=1, decay_rate=1.0)
    r = np.arange(0, 50, 7)
    expected = [float(decay(int(k))) for k in r]
    assert np.allclose(ref.schedule(r, 0.3, 1.0), expected, rtol=1e-6)
    assert np.isclose(ref.schedule(10**10, 1.0, 2), 1 / (1 + 1e10) ** 2)


# The p-series rule behind the table: sum (1+r)^-p diverges iff p <= 1, so the conditions
# (sum of steps infinite, sum of squares finite) hold iff 1/2 < alpha <= 1.
@pytest.mark.parametrize("alpha,ok", [(0.0, False), (0.3, False), (0.5, False), (0.51, True), (0.75, True),
                                      (1.0, True), (1.01, False), (2.0, False)])
def test_meets_conditions(alpha, ok):
    assert ref.meets_conditions(alpha) is ok


@pytest.mark.parametrize("seed", range(3))
def test_sgd_step_equals_one_keras_sgd_step(seed):
    rng = np.random.default_rng(seed)
    sizes = [int(k) for k in rng.integers(1, 6, size=rng.integers(2, 5))]
    model = _model(rng, sizes)
    eps, lam = float(rng.uniform(0.01, 0.5)), float(rng.uniform(0.01, 0.5))
    params = ref.get_params(model)
    grads = [(rng.normal(size=W.shape).astype("float32"), rng.normal(size=b.shape).astype("float32"))
             for W, b in params]
    expected = ref.sgd_step(params, grads, eps, lam)

    optimizer = keras.optimizers.SGD(learning_rate=eps, weight_decay=2 * lam)
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    _keras_step(model, optimizer, grads)
    for (W, b), (kW, kb) in zip(expected, ref.get_params(model)):
        assert np.allclose(W, kW, atol=1e-5) and np.allclose(b, kb, atol=1e-5)

    # weight_decay = lam is the wrong factor, and decaying the biases is wrong too.
    model2 = _model(np.random.default_rng(seed), sizes)
    ref.set_params(model2, params)
    optimizer = keras.optimizers.SGD(learning_rate=eps, weight_decay=lam)
    _keras_step(model2, optimizer, grads)
    assert not np.allclose(ref.get_params(model2)[0][0], expected[0][0], atol=1e-5)


@pytest.mark.parametrize("seed", range(3))
def test_momentum_step_equals_keras_sgd_with_momentum(seed):
    rng = np.random.default_rng(10 + seed)
    sizes = [int(k) for k in rng.integers(1, 6, size=rng.integers(2, 4))]
    model = _model(rng, sizes)
    eps, mu, wd = float(rng.uniform(0.01, 0.3)), float(rng.uniform(0.5, 0.95)), float(rng.choice([0.0, 0.1]))
    optimizer = keras.optimizers.SGD(learning_rate=eps, momentum=mu, weight_decay=wd or None)
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    params = ref.get_params(model)
    velocity = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
    for _ in range(3):
        grads = [(rng.normal(size=W.shape).astype("float32"), rng.normal(size=b.shape).astype("float32"))
                 for W, b in params]
        params, velocity = ref.momentum_step_layers(params, velocity, grads, eps, mu, wd)
        _keras_step(model, optimizer, grads)
    for (W, b), (kW, kb) in zip(params, ref.get_params(model)):
        assert np.allclose(W, kW, atol=1e-5) and np.allclose(b, kb, atol=1e-5)


def test_momentum_without_momentum_is_the_sgd_step():
    rng = np.random.default_rng(3)
    params = [(rng.normal(size=(3, 2)), rng.normal(size=2))]
    grads = [(rng.normal(size=(3, 2)), rng.normal(size=2))]
    velocity = [(np.zeros((3, 2)), np.zeros(2))]
    got, _ = ref.momentum_step_layers(params, velocity, grads, 0.1, 0.0, weight_decay=2 * 0.05)
    want = ref.sgd_step(params, grads, 0.1, 0.05)
    assert np.allclose(got[0][0], want[0][0]) and np.allclose(got[0][1], want[0][1])


def test_train_sgd_full_batch_is_gradient_descent():
    from nnlib.gradients import loss_and_gradients

    rng = np.random.default_rng(4)
    model = _model(rng, [4, 3, 2])
    x, y = rng.normal(size=(9, 4)).astype("float32"), rng.normal(size=(9, 2)).astype("float32")
    loss_fn = keras.losses.MeanSquaredError()
    params = ref.get_params(model)
    loss0, grads = loss_and_gradients(model, loss_fn, x, y)
    expected = ref.sgd_step(params, [(gK.T, gb) for gK, gb in zip(grads[0::2], grads[1::2])], 0.2, 0.03)
    losses = ref.train_sgd(model, loss_fn, x, y, epochs=1, batch_size=9, learning_rate=lambda r: 0.2,
                           lam=0.03, rng=rng)
    assert losses == [pytest.approx(loss0)]
    for (W, b), (kW, kb) in zip(expected, ref.get_params(model)):
        assert np.allclose(W, kW, atol=1e-6) and np.allclose(b, kb, atol=1e-6)
    more = ref.train_sgd(model, loss_fn, x, y, epochs=3, batch_size=4, learning_rate=lambda r: 0.1 / (1 + r),
                         lam=0.0, rng=rng)
    assert len(more) == ref.n_iterations(9, 4, 3) == 9


def _keras_steps(optimizer, theta, grads, dtype="float32"):
    """Drive a Keras optimizer on one variable with given gradients; its value after each step."""
    variable = keras.Variable(np.asarray(theta, dtype=dtype), dtype=dtype)
    after = []
    for g in grads:
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(np.asarray(g, dtype=dtype)), variable)])
        after.append(keras.ops.convert_to_numpy(variable).astype("float64"))
    return after


def _float32():
    """Keras' optimizers are compared in float32 (JAX computes float64 as float32 unless in its
    64-bit mode, and Keras keeps its learning rate in a float32 variable), to 1e-5."""
    return "float32", 1e-5


@pytest.mark.parametrize("seed", range(3))
def test_momentum_step_is_keras_sgd_with_momentum_step_by_step(seed):
    rng = np.random.default_rng(40 + seed)
    shape = tuple(int(k) for k in rng.integers(1, 5, size=rng.integers(1, 4)))
    eps, mu = float(np.float32(rng.uniform(0.01, 0.5))), float(rng.choice([0.0, 0.5, 0.9, 0.99]))
    theta0, grads = rng.normal(size=shape), [rng.normal(size=shape) for _ in range(8)]
    # Keras keeps its learning rate in a float32 variable: eps is a float32 number here
    dtype, tol = _float32()
    optimizer = keras.optimizers.SGD(learning_rate=eps, momentum=mu)
    expected = _keras_steps(optimizer, theta0, grads, dtype)
    theta, v = theta0, np.zeros(shape)
    for g, want in zip(grads, expected):
        theta, v = ref.momentum_step(theta, g, v, eps, mu)
        assert np.allclose(theta, want, rtol=tol, atol=tol)
    if mu:
        assert np.allclose(v, keras.ops.convert_to_numpy(optimizer.momentums[0]), rtol=tol, atol=tol)
    # PyTorch's convention: the same path, another velocity
    theta_t, v_t = theta0, np.zeros(shape)
    for g in grads:
        v_t = mu * v_t + g
        theta_t = theta_t - eps * v_t
    assert np.allclose(theta_t, theta) and (mu == 0 or not np.allclose(v_t, v))


@pytest.mark.parametrize("beta_1,beta_2,kappa", [(0.9, 0.999, 1e-7), (0.8, 0.99, 0.1), (0.5, 0.9, 1e-3)])
def test_adam_step_is_keras_adam_step_by_step(beta_1, beta_2, kappa):
    rng = np.random.default_rng(int(100 * beta_1))
    theta0 = rng.normal(size=(3, 4))
    grads = [rng.normal(size=(3, 4)) * rng.choice([0.01, 1.0, 30.0], size=(3, 4)) for _ in range(10)]
    dtype, tol = _float32()
    # 0.0625, a float32 number: Keras keeps its learning rate in a float32 variable
    expected = _keras_steps(keras.optimizers.Adam(learning_rate=0.0625, beta_1=beta_1, beta_2=beta_2, epsilon=kappa),
                            theta0, grads, dtype)
    theta, state = theta0, (np.zeros((3, 4)), np.zeros((3, 4)))
    for r, (g, want) in enumerate(zip(grads, expected)):
        theta, state = ref.adam_step(theta, g, state, r, 0.0625, beta_1, beta_2, kappa)
        assert np.allclose(theta, want, rtol=tol, atol=tol)


def test_adam_first_step_is_eps_against_the_sign_and_kappa_placement_shows():
    rng = np.random.default_rng(3)
    theta, g = rng.normal(size=6), rng.normal(size=6)
    zeros = (np.zeros(6), np.zeros(6))
    new, _ = ref.adam_step(theta, g, zeros, 0, 0.01)
    assert np.allclose(new - theta, -0.01 * np.sign(g), atol=1e-4)
    # Kingma and Ba's Algorithm 1 (kappa added to the corrected root) differs where kappa is large
    new, (m, s) = ref.adam_step(theta, g, zeros, 0, 0.01, kappa=0.1)
    paper = theta - 0.01 * (m / 0.1) / (np.sqrt(s / 0.001) + 0.1)
    assert not np.allclose(new, paper, rtol=1e-6)


def test_initial_loss_is_keras_loss_and_near_ln_k_for_a_fresh_network():
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(5)])
    x, y = rng.uniform(size=(200, 20)).astype("float32"), rng.integers(0, 5, size=200)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    assert ref.initial_loss(model, x, y) == pytest.approx(float(loss(y, model(x))), rel=1e-5)
    assert abs(ref.initial_loss(model, x, y) - ref.expected_initial_loss(5)) < 0.3
    assert ref.expected_initial_loss(10) == pytest.approx(2.302585093)
    big = 1e4 * x  # logits in the thousands: the stable log-softmax stays finite
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert ref.initial_loss(model, big, y) == pytest.approx(float(loss(y, model(big))), rel=1e-4)


def test_overfit_tiny_batch_fits_and_counts_its_updates():
    rng = np.random.default_rng(1)
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((30,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(4)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    x, y = rng.normal(size=(24, 30)).astype("float32"), rng.integers(0, 4, size=24)
    epochs = ref.overfit_tiny_batch(model, x, y, max_epochs=300)
    assert epochs is not None and epochs == int(model.optimizer.iterations)
    assert np.all(np.argmax(model.predict(x, verbose=0), axis=1) == y)
    model.optimizer.iterations.assign(0)
    assert ref.overfit_tiny_batch(model, x, (y + 1) % 4, max_epochs=1) is None
    assert int(model.optimizer.iterations) == 1


# ----------------------------------------------------------------- the same numbers as the solution
# references/sgd.py copies the answers of solutions/04_sgd; these tests run the notebook's own
# definitions next to it (see references/solution_code.py), so the two cannot drift.
@pytest.fixture(scope="module")
def solution():
    from references.solution_code import solution_namespace

    return solution_namespace("04_sgd", "minibatches", "n_iterations", "get_params", "set_params", "sgd_step",
                              "schedule", "meets_conditions", "train_sgd")


@pytest.mark.parametrize("seed", range(3))
def test_minibatches_counts_and_schedule_match_the_solution(solution, seed):
    rng = np.random.default_rng(seed)
    n, m, epochs = int(rng.integers(1, 60)), int(rng.integers(1, 70)), int(rng.integers(1, 4))
    ours = list(ref.minibatches(n, m, np.random.default_rng(seed)))
    theirs = list(solution["minibatches"](n, m, np.random.default_rng(seed)))
    assert len(ours) == len(theirs) and all(np.array_equal(a, b) for a, b in zip(ours, theirs))
    assert ref.n_iterations(n, m, epochs) == solution["n_iterations"](n, m, epochs)
    r = np.arange(0, 1000, 37)
    for alpha in (0.0, 0.5, 0.75, 1.0, 2.0, float(rng.uniform(0, 2))):
        assert np.array_equal(ref.schedule(r, 0.3, alpha), solution["schedule"](r, 0.3, alpha))
        assert ref.schedule(7, 0.3, alpha) == solution["schedule"](7, 0.3, alpha)
        assert ref.meets_conditions(alpha) is solution["meets_conditions"](alpha)


@pytest.mark.parametrize("seed", range(3))
def test_sgd_step_matches_the_solution(solution, seed):
    rng = np.random.default_rng(20 + seed)
    sizes = [int(k) for k in rng.integers(1, 6, size=rng.integers(2, 5))]
    params = ref.get_params(_model(rng, sizes))
    grads = [(rng.normal(size=W.shape).astype("float32"), rng.normal(size=b.shape).astype("float32"))
             for W, b in params]
    eps, lam = float(rng.uniform(0.01, 0.5)), float(rng.uniform(0.0, 0.5))
    ours, theirs = ref.sgd_step(params, grads, eps, lam), solution["sgd_step"](params, grads, eps, lam)
    assert len(ours) == len(theirs)
    for (W, b), (tW, tb) in zip(ours, theirs):
        assert W.dtype == tW.dtype and np.array_equal(W, tW) and np.array_equal(b, tb)


def test_train_sgd_matches_the_solution(solution):
    """The same losses and weights from the same model, data, schedule and generator seed."""
    rng = np.random.default_rng(5)
    ours, theirs = _model(rng, [4, 3, 2]), _model(rng, [4, 3, 2])
    ref.set_params(theirs, ref.get_params(ours))
    x, y = rng.normal(size=(11, 4)).astype("float32"), rng.normal(size=(11, 2)).astype("float32")
    loss_fn = keras.losses.MeanSquaredError()
    args = dict(epochs=2, batch_size=4, learning_rate=lambda r: 0.1 / (1 + r), lam=0.01)
    our_losses = ref.train_sgd(ours, loss_fn, x, y, rng=np.random.default_rng(0), **args)
    their_losses = solution["train_sgd"](theirs, loss_fn, x, y, rng=np.random.default_rng(0), **args)
    assert our_losses == their_losses and len(our_losses) == ref.n_iterations(11, 4, 2)
    for (W, b), (tW, tb) in zip(ref.get_params(ours), ref.get_params(theirs)):
        assert np.array_equal(W, tW) and np.array_equal(b, tb)


def test_sweep_matches_the_solution():
    """Exercise 7's sweep: the same curves as the notebook's, run by run, in any order."""
    from references.solution_code import solution_namespace

    sol = solution_namespace("04_sgd", "minibatches", "get_params", "set_params", "sgd_step", "train_sgd",
                             "digit_mlp", "loss_fn", "sweep")
    rng = np.random.default_rng(6)
    x, y = rng.uniform(size=(10, 784)).astype("float32"), rng.integers(0, 10, size=10)
    settings = [(4, 0.3), (1, 0.1), (10, 0.05)]
    ours = ref.sweep(settings, x, y, 2, sol["digit_mlp"], sol["loss_fn"])
    theirs = sol["sweep"](settings[::-1], x, y, 2)
    assert sorted(ours) == sorted(theirs) == sorted(settings)
    for key in settings:
        assert ours[key] == theirs[key] and len(ours[key]) == ref.n_iterations(10, key[0], 2)


def test_get_and_set_params_match_the_solution(solution):
    """The notebook's helpers and these give the same (W, b) pairs, W of shape (n_out, n_in)."""
    model = _model(np.random.default_rng(30), [5, 3, 2])
    ours, theirs = ref.get_params(model), solution["get_params"](model)
    assert len(ours) == len(theirs) == 2
    for (W, b), (tW, tb) in zip(ours, theirs):
        assert W.shape == tW.shape == (b.shape[0], W.shape[1]) and np.array_equal(W, tW) and np.array_equal(b, tb)
    moved = [(W + 1, b - 1) for W, b in ours]
    solution["set_params"](model, moved)
    for (W, b), (mW, mb) in zip(ref.get_params(model), moved):
        assert np.array_equal(W, mW) and np.array_equal(b, mb)


def test_momentum_adam_and_sanity_checks_match_the_solution():
    """Exercises 8 to 11: the notebook's answers and these give the same numbers."""
    from references.solution_code import solution_namespace

    sol = solution_namespace("04_sgd", "momentum_step", "adam_step", "expected_initial_loss", "initial_loss",
                             "loss_fn", "overfit_tiny_batch")
    rng = np.random.default_rng(9)
    theta, g, v = rng.normal(size=(3, 2)), rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    for ours, theirs in zip(ref.momentum_step(theta, g, v, 0.1, 0.9), sol["momentum_step"](theta, g, v, 0.1, 0.9)):
        assert np.array_equal(ours, theirs)
    state = (rng.normal(size=(3, 2)), rng.uniform(size=(3, 2)))
    ours, theirs = ref.adam_step(theta, g, state, 4, 0.01, 0.8, 0.99, 0.1), sol["adam_step"](theta, g, state, 4, 0.01,
                                                                                             0.8, 0.99, 0.1)
    assert np.allclose(ours[0], theirs[0], rtol=1e-14) and all(np.array_equal(a, b) for a, b in zip(ours[1], theirs[1]))
    for k in (2, 10, 1000):
        assert ref.expected_initial_loss(k) == sol["expected_initial_loss"](k)
    keras.utils.set_random_seed(2)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(6, activation="tanh"), keras.layers.Dense(3)])
    x, y = rng.normal(size=(50, 8)).astype("float32"), rng.integers(0, 3, size=50)
    assert ref.initial_loss(model, x, y) == pytest.approx(sol["initial_loss"](model, x, y), rel=1e-5)
    runs = []
    for overfit in (ref.overfit_tiny_batch, sol["overfit_tiny_batch"]):
        keras.utils.set_random_seed(3)
        net = keras.Sequential([keras.Input((8,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(3)])
        net.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss=sol["loss_fn"])
        runs.append(overfit(net, x[:20], y[:20], 300))
    assert runs[0] == runs[1] and runs[0] is not None
