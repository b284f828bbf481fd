"""NumPy references for 02_mlp: softmax, the MLP forward pass, the three losses and the
penalty. Used by the tests (never installed with nnlib: they are exercise answers).

Conventions of the course (the slides' notation):

- examples are the rows of ``X``, shape (n, d);
- ``params`` is a list of ``(W, b)`` with ``W`` of shape (n_k, n_(k-1)) and ``b`` of shape
  (n_k,), so a layer computes ``H @ W.T + b``; Keras stores ``kernel = W.T``;
- the losses are means over the batch; the cross-entropies clip probabilities to
  ``[TAU, 1 - TAU]`` as ``keras.losses`` does (the clipping constant tau; Keras calls it
  ``keras.config.epsilon()``).

Checked against ``keras.losses``, ``keras.ops`` and Keras models in
``tests/course/test_references_mlp.py``.
"""

from __future__ import annotations

import numpy as np

#: The clipping constant tau: Keras' fuzz factor, ``keras.config.epsilon()``.
TAU = 1e-7


def softmax(Z):
    """Softmax along the last axis, shifted by the row maximum (no overflow).

    Parameters
    ----------
    Z : array_like, shape (..., K)

    Returns
    -------
    ndarray, shape (..., K): exp(z_i - max z) / sum_j exp(z_j - max z)
    """
    Z = np.asarray(Z, dtype=float)
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)


def identity(Z):
    """psi(z) = z (regression output)."""
    return np.asarray(Z, dtype=float)


def sigmoid(Z):
    """Logistic sigmoid, overflow-free."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(Z, dtype=float)))


def relu(Z):
    """max(0, z)."""
    return np.maximum(np.asarray(Z, dtype=float), 0.0)


ACTIVATIONS = {"linear": identity, "sigmoid": sigmoid, "tanh": np.tanh, "relu": relu, "softmax": softmax}


def mlp_forward(X, params, phi, psi):
    """Output f(X) of the MLP h(0) = x, a(k) = b(k) + W(k) h(k-1), h(k) = phi(a(k)),
    with psi instead of phi on the last layer, for every row of X.

    Parameters
    ----------
    X : array_like, shape (n, d)
    params : list of (W, b), W shape (n_k, n_(k-1)), b shape (n_k,)
    phi, psi : callables (hidden and output activations)

    Returns
    -------
    ndarray, shape (n, n_(L+1))
    """
    H = np.asarray(X, dtype=float)
    for k, (W, b) in enumerate(params):
        A = H @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float)
        H = psi(A) if k == len(params) - 1 else phi(A)
    return H


def to_kernels(params):
    """Keras' weight list ``[kernel_1, bias_1, ...]`` with ``kernel = W.T``."""
    out = []
    for W, b in params:
        out += [np.asarray(W).T, np.asarray(b)]
    return out


def squared_l2_loss(Y, F):
    """(1/n) sum_i ||y_i - f_i||^2 for Y, F of shape (n, K): K times keras' MSE."""
    Y, F = np.asarray(Y, dtype=float), np.asarray(F, dtype=float)
    return float(np.mean(np.sum((Y - F) ** 2, axis=-1)))


def binary_cross_entropy(y, p):
    """-(1/n) sum_i [y_i log p_i + (1 - y_i) log(1 - p_i)], p clipped to [tau, 1 - tau].

    y, p : shape (n,)
    """
    y = np.asarray(y, dtype=float)
    p = np.clip(np.asarray(p, dtype=float), TAU, 1 - TAU)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def categorical_cross_entropy(Y, P):
    """-(1/n) sum_i sum_j Y_ij log P_ij, P clipped to [tau, 1 - tau]; Y one-hot (n, K)."""
    Y = np.asarray(Y, dtype=float)
    P = np.clip(np.asarray(P, dtype=float), TAU, 1 - TAU)
    return float(-np.mean(np.sum(Y * np.log(P), axis=-1)))


def penalty(params, kind="l2"):
    """Omega(theta): sum_k ||W(k)||_F^2 ("l2") or sum_k sum_ij |W(k)_ij| ("l1"); biases excluded."""
    if kind == "l2":
        return float(sum(np.sum(np.asarray(W, dtype=float) ** 2) for W, _ in params))
    if kind == "l1":
        return float(sum(np.sum(np.abs(np.asarray(W, dtype=float))) for W, _ in params))
    raise ValueError(f"kind must be 'l2' or 'l1', got {kind!r}")


def l2_penalty_gradient(params):
    """[(2 W(k), 0 like b(k)), ...]: the gradient of the L2 penalty."""
    return [(2.0 * np.asarray(W, dtype=float), np.zeros_like(np.asarray(b, dtype=float))) for W, b in params]


def count_parameters(layer_sizes):
    """sum_k (n_(k-1) + 1) n_k: weights and biases of a dense MLP."""
    return int(sum((a + 1) * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:])))
