"""Reference answers of 05_regularization, for the tests and the benchmark (never installed).

Checked against ``keras.layers.Dropout`` and ``keras.regularizers`` in
``tests/course/test_references_regularization.py``.
"""

from __future__ import annotations

import numpy as np


def dropout_forward(h, p, rng, training=True):
    """Inverted dropout: zero each unit with probability ``p``, scale the survivors by 1/(1-p).

    Draws ``u = rng.random(h.shape)`` once and keeps a unit where ``u >= p``. At test time
    (``training=False``) it draws nothing and is the identity.

    Returns
    -------
    out : ndarray of float, shape of h
    mask : ndarray of bool, shape of h, True where the unit is kept
    """
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p must be in [0, 1), got {p}")
    h = np.asarray(h, dtype=float)
    if not training:
        return h.copy(), np.ones(h.shape, dtype=bool)
    mask = rng.random(h.shape) >= p
    return h * mask / (1.0 - p), mask


def dropout_backward(grad_out, mask, p):
    """Gradient of the loss with respect to dropout's input: grad_out * mask / (1 - p)."""
    return np.asarray(grad_out, dtype=float) * mask / (1.0 - p)


def dropout_mlp(n_inputs=784, n_hidden=(256, 256), n_classes=10):
    """The slides' dropout rates: Dropout(0.2) on the input, Dropout(0.5) after each hidden layer."""
    import keras

    layers = [keras.Input(shape=(n_inputs,)), keras.layers.Dropout(0.2)]
    for units in n_hidden:
        layers += [keras.layers.Dense(units, activation="relu"), keras.layers.Dropout(0.5)]
    layers.append(keras.layers.Dense(n_classes, activation="softmax"))
    return keras.Sequential(layers)


def l1_l2_penalty(model, l1=0.0, l2=0.0):
    """sum over Dense kernels W of l1 * sum|W| + l2 * sum W**2 (biases are not penalised)."""
    import keras

    total = 0.0
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            w = np.asarray(keras.ops.convert_to_numpy(layer.kernel), dtype=float)
            total += l1 * np.sum(np.abs(w)) + l2 * np.sum(w**2)
    return float(total)


def best_model(val_scores, higher_is_better=True):
    """Name of the model with the best validation score (the first one on a tie)."""
    pick = max if higher_is_better else min
    return pick(val_scores, key=lambda name: val_scores[name])


def best_from_histories(histories, metric="accuracy"):
    """(name, epoch) with the best ``"val_" + metric``; epochs count from 1.

    ``metric`` is ``"accuracy"`` (higher is better) or ``"loss"`` (lower is better). Ties go
    to the first model in the dict's order, then to the earliest epoch.
    """
    higher = {"accuracy": True, "loss": False}[metric]
    best = None
    for name, history in histories.items():
        values = np.asarray(history["val_" + metric], dtype=float)
        epoch = int(np.argmax(values) if higher else np.argmin(values))
        value = values[epoch]
        if best is None or (value > best[0] if higher else value < best[0]):
            best = (value, name, epoch + 1)
    return best[1], best[2]
