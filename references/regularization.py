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


# ------------------------------------------------------------------ Exercise 6: the tuning exercise
#: The keys of a regularization choice, in the order the notebook's table gives them.
CHOICE_KEYS = ("input_dropout", "dropout", "l2", "epochs", "early_stopping")
#: The most epochs a choice may ask for (it sets the longest training the grader runs).
MAX_EPOCHS = 30
#: Early stopping watches the validation loss with this patience and restores the best epoch.
PATIENCE = 5


def choice_problems(choice) -> list[str]:
    """What makes ``choice`` ill formed, one sentence per problem (empty when it is well formed).

    A choice is a dict with exactly :data:`CHOICE_KEYS`: two dropout rates ``0 <= p < 1``,
    an L2 weight ``0 <= l2 <= 1`` (real numbers, not booleans), ``epochs`` an integer from
    1 to :data:`MAX_EPOCHS`, and ``early_stopping`` a boolean (NumPy's included).
    """
    import numbers

    import numpy as np

    if not isinstance(choice, dict):
        return [f"expected a dict, got {type(choice).__name__}"]
    problems = []
    missing, extra = set(CHOICE_KEYS) - set(choice), set(choice) - set(CHOICE_KEYS)
    if missing or extra:
        problems.append(f"expected exactly the keys {list(CHOICE_KEYS)}; missing {sorted(missing)}, "
                        f"unknown {sorted(map(str, extra))}")

    def real(value):
        return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))

    for key in ("input_dropout", "dropout"):
        if key in choice and not (real(choice[key]) and 0 <= choice[key] < 1):
            problems.append(f"{key} is a rate 0 <= p < 1, got {choice[key]!r}")
    if "l2" in choice and not (real(choice["l2"]) and 0 <= choice["l2"] <= 1):
        problems.append(f"l2 is a number 0 <= l2 <= 1, got {choice['l2']!r}")
    if "epochs" in choice:
        e = choice["epochs"]
        if not (isinstance(e, numbers.Integral) and not isinstance(e, (bool, np.bool_)) and 1 <= e <= MAX_EPOCHS):
            problems.append(f"epochs is an integer from 1 to {MAX_EPOCHS}, got {e!r}")
    if "early_stopping" in choice and not isinstance(choice["early_stopping"], (bool, np.bool_)):
        problems.append(f"early_stopping is True or False, got {choice['early_stopping']!r}")
    return problems


def regularized_mlp(choice):
    """The notebook's 784-256-256-10 ReLU network with ``choice``'s regularization: Dropout
    (``input_dropout``) on the inputs, Dropout (``dropout``) after each hidden layer and an
    L2 penalty ``l2`` on every kernel (none when 0)."""
    import keras

    l2 = float(choice["l2"])
    penalty = keras.regularizers.L2(l2) if l2 > 0 else None
    layers = [keras.Input(shape=(784,)), keras.layers.Dropout(float(choice["input_dropout"]))]
    for _ in range(2):
        layers += [keras.layers.Dense(256, activation="relu", kernel_regularizer=penalty),
                   keras.layers.Dropout(float(choice["dropout"]))]
    layers.append(keras.layers.Dense(10, activation="softmax", kernel_regularizer=penalty))
    return keras.Sequential(layers)


def train_choice(choice, x_train, y_train, x_val, y_val, seed=0):
    """Build :func:`regularized_mlp` from ``seed`` and train it as the notebook does (plain SGD,
    learning rate 0.1, batches of 32, scored on the validation digits after each epoch),
    with early stopping on the validation loss when ``choice`` asks for it.

    Returns ``(model, history)``, ``history`` the ``keras.callbacks.History``.
    """
    import keras

    keras.utils.set_random_seed(seed)
    model = regularized_mlp(choice)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    callbacks = [keras.callbacks.EarlyStopping(monitor="val_loss", patience=PATIENCE, restore_best_weights=True)
                 ] if choice["early_stopping"] else []
    history = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=int(choice["epochs"]),
                        batch_size=32, verbose=0, callbacks=callbacks)
    return model, history


def accuracy_and_loss(model, x, y):
    """``(accuracy, mean cross-entropy)`` of ``model`` on ``(x, y)``, predicting without dropout."""
    import numpy as np

    p = np.asarray(model.predict(x, verbose=0), dtype=float)
    picked = np.clip(p[np.arange(len(y)), np.asarray(y)], 1e-12, 1.0)
    return float(np.mean(np.argmax(p, axis=1) == y)), float(-np.mean(np.log(picked)))
