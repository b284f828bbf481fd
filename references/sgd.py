"""Reference answers of 04_sgd: minibatches, the learning-rate schedule, the SGD step
with the slides' L2 penalty, the iteration count, a training loop, the momentum and Adam
steps, and the two sanity checks (initial loss near ln K, overfitting a tiny batch).

Checked against ``keras.optimizers.SGD`` and ``keras.optimizers.Adam`` in
``tests/course/test_references_sgd.py``. Parameters
are lists of ``(W, b)`` pairs of NumPy arrays in the course's layout: ``W`` is W^(k), of shape
(n_out, n_in), ``b`` has shape (n_out,), and a layer computes ``X @ W.T + b``. A Keras
``Dense`` kernel is ``W.T``, of shape (n_in, n_out): :func:`get_params` and
:func:`set_params` transpose on the way out of and into a model. The penalty is the slides'
``Omega(theta) = sum_k ||W^(k)||_F^2``, whose gradient is ``2 W^(k)`` on the weights
and 0 on the biases.
"""

from __future__ import annotations

from typing import Callable, Iterator, Sequence

import numpy as np

Params = Sequence[tuple[np.ndarray, np.ndarray]]


def minibatches(n: int, m: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """One epoch of batches drawn at random without replacement.

    Yields ``ceil(n / m)`` int arrays that partition ``range(n)``: all of size ``m``
    but the last, which holds the ``n - m * floor(n / m)`` remaining indices if any.
    """
    order = rng.permutation(n)
    for start in range(0, n, m):
        yield order[start:start + m]


def n_iterations(n: int, m: int, epochs: int) -> int:
    """Parameter updates in ``epochs`` epochs of ``n`` examples in batches of ``m``:
    ``epochs * ceil(n / m)`` (a last, partial batch is one more update)."""
    return int(epochs) * (-(-int(n) // int(m)))


def schedule(r, eps0: float, alpha: float):
    """Learning rate ``eps_r = eps0 / (1 + r) ** alpha`` (float; r may be an array)."""
    return eps0 / (1.0 + np.asarray(r, dtype=float)) ** alpha


def meets_conditions(alpha: float) -> bool:
    """Whether ``eps0 / (1 + r) ** alpha`` satisfies eps_r -> 0, sum eps_r = inf and
    sum eps_r**2 < inf: exactly when ``1/2 < alpha <= 1``."""
    return bool(0.5 < alpha <= 1.0)


def sgd_step(params: Params, grads: Params, eps: float, lam: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """``W <- W - eps (g_W + 2 lam W)``, ``b <- b - eps g_b`` for every layer (new arrays).

    The step acts entry by entry, so it is the same on ``W`` (n_out, n_in) and on Keras'
    kernel ``W.T``."""
    return [
        (W - eps * (gW + 2.0 * lam * W), b - eps * gb)
        for (W, b), (gW, gb) in zip(params, grads)
    ]


def momentum_step(theta: np.ndarray, g: np.ndarray, v: np.ndarray, eps: float, mu: float):
    """Exercise 8 of 04_sgd: one step of ``keras.optimizers.SGD(eps, momentum=mu)`` on one array.

    Keras' convention: ``v <- mu v - eps g``, then ``theta <- theta + v`` (entry by entry;
    ``v`` starts at 0). PyTorch's ``v <- mu v + g``, ``theta <- theta - eps v`` gives the same
    path at a constant ``eps`` with a velocity ``-1/eps`` times this one.

    Returns
    -------
    (new_theta, new_v) : ndarrays of theta's shape (new arrays)
    """
    new_v = mu * v - eps * g
    return theta + new_v, new_v


def adam_step(theta: np.ndarray, g: np.ndarray, state, r: int, eps: float, beta_1: float = 0.9,
              beta_2: float = 0.999, kappa: float = 1e-7):
    """Exercise 9 of 04_sgd: one step of ``keras.optimizers.Adam`` on one array.

    ``state = (g_mean, g2_mean)``, the running averages of ``g`` and ``g**2`` before this step
    (zeros at the start); ``r`` is the iteration, 0 at the first step. Keras' formula
    (``keras/src/optimizers/adam.py``), with its ``epsilon`` written ``kappa``::

        g_mean  <- beta_1 g_mean  + (1 - beta_1) g
        g2_mean <- beta_2 g2_mean + (1 - beta_2) g**2
        theta   <- theta - eps sqrt(1 - beta_2**(r+1)) / (1 - beta_1**(r+1)) * g_mean / (sqrt(g2_mean) + kappa)

    that is ``eps * g_hat / (sqrt(g2_hat) + kappa / sqrt(1 - beta_2**(r+1)))`` with the
    bias-corrected averages; Kingma and Ba's Algorithm 1 adds ``kappa`` to ``sqrt(g2_hat)``
    instead (the same for ``kappa -> 0``).

    Returns
    -------
    (new_theta, (new_g_mean, new_g2_mean)) : new arrays of theta's shape
    """
    g_mean, g2_mean = state
    g_mean = beta_1 * g_mean + (1 - beta_1) * g
    g2_mean = beta_2 * g2_mean + (1 - beta_2) * g**2
    step = eps * np.sqrt(1 - beta_2 ** (r + 1)) / (1 - beta_1 ** (r + 1))
    return theta - step * g_mean / (np.sqrt(g2_mean) + kappa), (g_mean, g2_mean)


def momentum_step_layers(params: Params, velocity: Params, grads: Params, eps: float, mu: float,
                         weight_decay: float = 0.0):
    """One step of ``keras.optimizers.SGD(eps, momentum=mu, weight_decay=weight_decay)`` on a
    list of ``(W, b)`` pairs, with the biases excluded from the decay.

    Keras first shrinks the weights, ``W <- W - eps * weight_decay * W`` (decoupled: the
    decay does not enter the velocity), then takes :func:`momentum_step` on every array.
    With ``mu = 0`` and ``weight_decay = 2 lam`` this is :func:`sgd_step`.

    Returns
    -------
    params, velocity : lists of (W, b) pairs
    """
    new_params, new_velocity = [], []
    for (W, b), (vW, vb), (gW, gb) in zip(params, velocity, grads):
        W, vW = momentum_step(W - eps * weight_decay * W, gW, vW, eps, mu)
        b, vb = momentum_step(b, gb, vb, eps, mu)
        new_params.append((W, b))
        new_velocity.append((vW, vb))
    return new_params, new_velocity


def expected_initial_loss(n_classes: int) -> float:
    """Exercise 10 of 04_sgd: ``ln K``, the cross-entropy of the uniform prediction ``1/K``."""
    return float(np.log(n_classes))


def initial_loss(model, x, y) -> float:
    """Exercise 10 of 04_sgd: the mean cross-entropy of a model that outputs logits on
    ``(x, y)`` (integer labels), without training it; a stable log-softmax in float64."""
    z = np.asarray(model.predict(x, verbose=0), dtype=np.float64)
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(y)), np.asarray(y, dtype=int)].mean())


def overfit_tiny_batch(model, x, y, max_epochs: int):
    """Exercise 11 of 04_sgd: train a compiled model on the whole batch, one update per
    epoch, until ``argmax`` of its scores equals ``y`` everywhere.

    Returns
    -------
    int or None : the epochs (= updates) it took, or None if ``max_epochs`` did not suffice
    """
    for epoch in range(1, max_epochs + 1):
        model.train_on_batch(x, y)
        if np.all(np.argmax(model.predict_on_batch(x), axis=1) == y):
            return epoch
    return None


def get_params(model) -> list[tuple[np.ndarray, np.ndarray]]:
    """A Keras model of Dense layers as a list of ``(W, b)`` NumPy pairs, ``W = kernel.T`` of
    shape (n_out, n_in) (copies: changing them does not change the model)."""
    weights = [np.asarray(w) for w in model.get_weights()]
    return [(np.array(kernel.T), np.array(bias)) for kernel, bias in zip(weights[0::2], weights[1::2])]


def set_params(model, params: Params) -> None:
    """Write ``(W, b)`` pairs back into a Keras model of Dense layers (each kernel is ``W.T``)."""
    model.set_weights([a for W, b in params for a in (W.T, b)])


def train_sgd(model, loss_fn, x, y, *, epochs: int, batch_size: int, learning_rate: Callable[[int], float],
              lam: float, rng: np.random.Generator) -> list[float]:
    """Minibatch SGD with the slides' penalty on a Keras model of Dense layers.

    The gradients come from :func:`nnlib.gradients.loss_and_gradients` (one per trainable
    weight: a kernel's gradient is the transpose of ``g_W``); iteration ``r`` (counted from 0
    over all epochs) uses the learning rate ``learning_rate(r)``.

    Returns
    -------
    list of float, one minibatch loss per iteration (``n_iterations(n, m, epochs)`` of them)
    """
    from nnlib.gradients import loss_and_gradients

    losses, r = [], 0
    for _ in range(epochs):
        for batch in minibatches(len(x), batch_size, rng):
            loss, grads = loss_and_gradients(model, loss_fn, x[batch], y[batch])
            grads = [(g_kernel.T, g_bias) for g_kernel, g_bias in zip(grads[0::2], grads[1::2])]
            set_params(model, sgd_step(get_params(model), grads, learning_rate(r), lam))
            losses.append(loss)
            r += 1
    return losses


def sweep(settings, x, y, epochs: int, make_model, loss_fn) -> dict:
    """Exercise 7 of 04_sgd: one fresh ``make_model()`` per ``(batch_size, eps)`` of
    ``settings``, trained by :func:`train_sgd` at the constant rate ``eps``, ``lam = 0``,
    with a new ``np.random.default_rng(0)`` per run (the notebook's ``make_model`` is
    ``digit_mlp``, seed 0).

    Returns
    -------
    dict mapping each ``(batch_size, eps)`` to its list of batch losses
    """
    return {(m, eps): train_sgd(make_model(), loss_fn, x, y, epochs=epochs, batch_size=m,
                                learning_rate=lambda r, eps=eps: eps, lam=0.0, rng=np.random.default_rng(0))
            for m, eps in settings}
