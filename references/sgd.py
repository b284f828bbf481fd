"""Reference answers of 04_sgd: minibatches, the learning-rate schedule, the SGD step
with the slides' L2 penalty, the momentum step, the iteration count and a training loop.

Checked against ``keras.optimizers.SGD`` in ``tests/course/test_references_sgd.py``. Parameters
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


def momentum_step(params: Params, velocity: Params, grads: Params, eps: float, mu: float,
                  weight_decay: float = 0.0):
    """One step of ``keras.optimizers.SGD(eps, momentum=mu, weight_decay=weight_decay)``
    with the biases excluded from the decay.

    Keras first shrinks the weights, ``W <- W - eps * weight_decay * W`` (decoupled: the
    decay does not enter the velocity), then ``v <- mu v - eps g`` and ``theta <- theta + v``.
    With ``mu = 0`` and ``weight_decay = 2 lam`` this is :func:`sgd_step`.

    Returns
    -------
    params, velocity : lists of (W, b) pairs
    """
    new_params, new_velocity = [], []
    for (W, b), (vW, vb), (gW, gb) in zip(params, velocity, grads):
        W = W - eps * weight_decay * W
        vW = mu * vW - eps * gW
        vb = mu * vb - eps * gb
        new_params.append((W + vW, b + vb))
        new_velocity.append((vW, vb))
    return new_params, new_velocity


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
