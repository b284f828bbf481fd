"""The reference answers of 04_sgd against Keras (one reference step equals one
``keras.optimizers.SGD`` step from the same state) and against direct counts."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import nnlib  # noqa: F401  (quiet TensorFlow before Keras loads it)
import keras

from tests.references import sgd as ref


def _model(rng, sizes):
    layers = [keras.Input((sizes[0],))]
    layers += [keras.layers.Dense(k, activation="tanh") for k in sizes[1:-1]]
    layers += [keras.layers.Dense(sizes[-1])]
    model = keras.Sequential(layers)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.get_weights()])
    return model


def _keras_step(model, optimizer, flat_grads):
    optimizer.apply_gradients(
        zip([keras.ops.convert_to_tensor(g) for g in flat_grads], model.trainable_variables)
    )


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
    _keras_step(model, optimizer, [a for pair in grads for a in pair])
    for (W, b), (kW, kb) in zip(expected, ref.get_params(model)):
        assert np.allclose(W, kW, atol=1e-5) and np.allclose(b, kb, atol=1e-5)

    # weight_decay = lam is the wrong factor, and decaying the biases is wrong too.
    model2 = _model(np.random.default_rng(seed), sizes)
    ref.set_params(model2, params)
    optimizer = keras.optimizers.SGD(learning_rate=eps, weight_decay=lam)
    _keras_step(model2, optimizer, [a for pair in grads for a in pair])
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
        params, velocity = ref.momentum_step(params, velocity, grads, eps, mu, wd)
        _keras_step(model, optimizer, [a for pair in grads for a in pair])
    for (W, b), (kW, kb) in zip(params, ref.get_params(model)):
        assert np.allclose(W, kW, atol=1e-5) and np.allclose(b, kb, atol=1e-5)


def test_momentum_without_momentum_is_the_sgd_step():
    rng = np.random.default_rng(3)
    params = [(rng.normal(size=(3, 2)), rng.normal(size=2))]
    grads = [(rng.normal(size=(3, 2)), rng.normal(size=2))]
    velocity = [(np.zeros((3, 2)), np.zeros(2))]
    got, _ = ref.momentum_step(params, velocity, grads, 0.1, 0.0, weight_decay=2 * 0.05)
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
    expected = ref.sgd_step(params, list(zip(grads[0::2], grads[1::2])), 0.2, 0.03)
    losses = ref.train_sgd(model, loss_fn, x, y, epochs=1, batch_size=9, learning_rate=lambda r: 0.2,
                           lam=0.03, rng=rng)
    assert losses == [pytest.approx(loss0)]
    for (W, b), (kW, kb) in zip(expected, ref.get_params(model)):
        assert np.allclose(W, kW, atol=1e-6) and np.allclose(b, kb, atol=1e-6)
    more = ref.train_sgd(model, loss_fn, x, y, epochs=3, batch_size=4, learning_rate=lambda r: 0.1 / (1 + r),
                         lam=0.0, rng=rng)
    assert len(more) == ref.n_iterations(9, 4, 3) == 9
