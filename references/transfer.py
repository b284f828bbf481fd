"""Reference answers of 07_transfer_learning, for the tests and the benchmarks.

They are not in nnlib (nnlib never holds an exercise's answer). Each is checked against
Keras' own bookkeeping in ``tests/course/test_references_transfer.py``.
"""

from __future__ import annotations

import keras
import numpy as np


def freeze(model):
    """Make every weight of ``model`` non-trainable (``model.trainable = False``); return it."""
    model.trainable = False
    return model


def count_trainable(model) -> int:
    """Number of scalars the optimizer updates: sum of the sizes of ``model.trainable_weights``."""
    return int(sum(int(np.prod(w.shape)) for w in model.trainable_weights))


def add_head(base, n_classes: int):
    """``base`` -> Flatten -> Dense(n_classes, softmax), as a functional model.

    The base is called as one layer with ``training=False``: inference mode when the model
    is called without a ``training`` argument. In Keras 3 ``fit`` overrides it with
    ``training=True`` (keras-team/keras#20285); a frozen batch normalisation stays in
    inference mode because it is frozen. VGG16 has neither batch normalisation nor dropout.
    """
    inputs = keras.Input(shape=tuple(base.input_shape[1:]))
    features = base(inputs, training=False)
    pooled = keras.layers.Flatten()(features)
    outputs = keras.layers.Dense(n_classes, activation="softmax")(pooled)
    return keras.Model(inputs, outputs)


def make_augmentation(seed: int = 0):
    """Random horizontal flip, shift by up to 10 % and rotation by up to 5 % of a turn;
    active only with ``training=True`` (Keras' preprocessing layers)."""
    return keras.Sequential(
        [
            keras.layers.RandomFlip("horizontal", seed=seed),
            keras.layers.RandomTranslation(0.1, 0.1, fill_mode="reflect", seed=seed + 1),
            keras.layers.RandomRotation(0.05, fill_mode="reflect", seed=seed + 2),
        ],
        name="augmentation",
    )


def unfreeze_last_block(base, prefix: str = "block5"):
    """Make the layers of ``base`` whose name starts with ``prefix`` trainable, all others not."""
    base.trainable = True
    for layer in base.layers:
        layer.trainable = layer.name.startswith(prefix)
    return base


def compile_for_finetuning(model, base, base_lr: float, prefix: str = "block5"):
    """Unfreeze the last block of ``base`` and recompile ``model`` with Adam at ``base_lr / 10``."""
    unfreeze_last_block(base, prefix)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=base_lr / 10),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model
