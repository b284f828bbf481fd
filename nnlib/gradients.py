"""Gradients of a Keras model's loss with respect to its weights, and of a function of
``keras.ops`` with respect to its inputs, on every backend.

Keras 3 has no backend-neutral ``gradient`` function; this is the one place where the
course touches backend-specific autodiff (TensorFlow's ``GradientTape``, ``jax.grad``,
PyTorch's ``backward``). Used by 03_backprop (checking a hand-written backward pass
against autodiff), 04_sgd (a training loop written by the student) and 06_cnn (the
backward passes of a convolution, of pooling and of batch normalisation, through
:func:`input_gradients`).
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


def input_gradients(f: Callable, inputs, upstream, dtype: str = "float32"):
    """Gradients of ``sum(f(*inputs) * upstream)`` with respect to each array of ``inputs``.

    The vector-Jacobian product of automatic differentiation: ``upstream`` plays the part
    of the gradient of a loss with respect to ``f``'s output, and the result is the
    gradient of that loss with respect to each input, as a backward pass written by hand
    returns it. ``f`` is written with ``keras.ops`` (``keras.ops.conv``,
    ``keras.ops.max_pool``, ...), so the same call works on every backend: TensorFlow's
    ``GradientTape``, ``jax.grad`` or PyTorch's ``backward`` does the differentiation.

    Parameters
    ----------
    f : callable
        ``f(*tensors) -> tensor``, built from ``keras.ops``.
    inputs : sequence of array_like
        The arrays to differentiate with respect to, of any shapes, in ``f``'s argument
        order (pass the others through a closure).
    upstream : array_like
        The weights of ``f``'s output in the sum, of the shape of ``f(*inputs)``.
    dtype : str
        The dtype the inputs and ``upstream`` are converted to (``"float32"`` by default;
        ``"float64"`` stays float32 on JAX unless its 64-bit mode, ``JAX_ENABLE_X64=1``,
        is on).

    Returns
    -------
    list of ndarray
        One gradient per input, each of that input's shape.
    """
    import keras

    backend = keras.backend.backend()
    tensors = [keras.ops.convert_to_tensor(np.asarray(v, dtype=dtype)) for v in inputs]
    weights = keras.ops.convert_to_tensor(np.asarray(upstream, dtype=dtype))

    def objective(*args):
        out = f(*args)
        return keras.ops.sum(out * keras.ops.cast(weights, out.dtype))

    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            for t in tensors:
                tape.watch(t)
            value = objective(*tensors)
        grads = tape.gradient(value, tensors)
        grads = [tf.zeros_like(t) if g is None else g for t, g in zip(tensors, grads)]
        return [np.asarray(g) for g in grads]
    if backend == "jax":
        import jax

        grads = jax.grad(objective, argnums=tuple(range(len(tensors))))(*tensors)
        return [np.asarray(g) for g in grads]
    if backend == "torch":
        import torch

        leaves = [t.detach().clone().requires_grad_(True) for t in tensors]
        value = objective(*leaves)
        grads = torch.autograd.grad(value, leaves, allow_unused=True)
        return [np.zeros(tuple(t.shape), dtype=dtype) if g is None else g.detach().cpu().numpy().copy()
                for t, g in zip(leaves, grads)]
    raise NotImplementedError(f"no gradient dispatcher for the {backend!r} backend")
