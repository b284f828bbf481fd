"""Gradients of a Keras model's loss with respect to its weights, on every backend.

Keras 3 has no backend-neutral ``gradient`` function; this is the one place where the
course touches backend-specific autodiff (TensorFlow's ``GradientTape``, ``jax.grad``,
PyTorch's ``backward``). Used by 03_backprop (checking a hand-written backward pass
against autodiff) and 04_sgd (a training loop written by the student).
"""

from __future__ import annotations

from typing import Callable

import numpy as np


def loss_and_gradients(model, loss_fn: Callable, x, y, training: bool = False):
    """Loss of ``model`` on ``(x, y)`` and its gradient for each trainable weight.

    Parameters
    ----------
    model : keras.Model or keras.layers.Layer
        A built model.
    loss_fn : callable
        ``loss_fn(y_true, y_pred) -> scalar tensor`` (e.g. ``keras.losses.MeanSquaredError()``).
    x : array_like, shape (n, ...)
        Inputs.
    y : array_like, shape (n, ...)
        Targets.
    training : bool
        Passed to the model call (dropout and friends).

    Returns
    -------
    loss : float
    grads : list of ndarray
        One per ``model.trainable_weights``, each of that weight's shape (a Dense
        kernel is (n_in, n_out)).
    """
    import keras

    backend = keras.backend.backend()
    x = keras.ops.convert_to_tensor(np.asarray(x, dtype="float32"))
    y = keras.ops.convert_to_tensor(np.asarray(y, dtype="float32"))
    if backend == "tensorflow":
        return _tensorflow(model, loss_fn, x, y, training)
    if backend == "jax":
        return _jax(model, loss_fn, x, y, training)
    if backend == "torch":
        return _torch(model, loss_fn, x, y, training)
    raise NotImplementedError(f"no gradient dispatcher for the {backend!r} backend")


def _tensorflow(model, loss_fn, x, y, training):
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=training))
    grads = tape.gradient(loss, model.trainable_weights)
    return float(loss), [np.asarray(g) for g in grads]


def _jax(model, loss_fn, x, y, training):
    import jax

    trainable = [v.value for v in model.trainable_variables]
    frozen = [v.value for v in model.non_trainable_variables]

    def compute(trainable_values):
        y_pred, _ = model.stateless_call(trainable_values, frozen, x, training=training)
        return loss_fn(y, y_pred)

    loss, grads = jax.value_and_grad(compute)(trainable)
    return float(loss), [np.asarray(g) for g in grads]


def _torch(model, loss_fn, x, y, training):
    weights = model.trainable_weights
    for w in weights:
        w.value.grad = None
    loss = loss_fn(y, model(x, training=training))
    loss.backward()
    grads = [w.value.grad.detach().cpu().numpy().copy() for w in weights]
    return float(loss.detach().cpu()), grads
