"""Reference results of 04_sgd, in full mode: your-own-loop SGD, then Keras' SGD,
SGD with momentum and Adam on the same network and data.

The set-up is the notebook's: digits flattened to 784 values in [0, 1] and shuffled once
(seeds 0 and 1), the network 784 -> 64 (ReLU) -> 10 with seeded initial weights, batches
of 32, the loss ``SparseCategoricalCrossentropy(from_logits=True)``.

- ``own_sgd``: the training loop of Exercise 6 (``references.sgd.train_sgd``, the
  reference answer) on the whole training set, eps_r = 0.2 / (1 + r / k) with k the
  iterations of one epoch, lambda = 1e-4;
- ``sgd``, ``momentum``, ``adam``: section 8's ``model.fit`` runs, SGD(0.05),
  SGD(0.05, momentum=0.9), Adam(0.001), no penalty.

Each records the test accuracy after ``EPOCHS`` epochs (the notebook's full-mode count),
over ``SEEDS`` (the seed sets the initial weights and the batch order): the plain keys
hold the mean over the seeds, the ``_std`` keys the standard deviation (ddof=1), and
``seeds`` how many there were.
With ``--time-notebook`` it also executes the solution notebook in fast mode and records
its wall and CPU time.

Usage (from the repository root)::

    NNLIB_MODE=full python -m benchmarks.sgd_optimizers --time-notebook   # 3 seeds: about 2 min on 2 cores
    NNLIB_MODE=full python -m benchmarks.sgd_optimizers --notebook-only   # after an edit of the notebook
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import nnlib  # first: quiet TensorFlow
from nncourse.layout import SOLUTIONS_DIR, repo_root, solution_notebook

EPOCHS = 10  # the notebook's compare_epochs in full mode
BATCH = 32
SEEDS = (0, 1, 2)


def _data():
    import numpy as np

    from nnlib.data import load_mnist

    data = load_mnist()
    train_order = np.random.default_rng(0).permutation(len(data.x_train))
    test_order = np.random.default_rng(1).permutation(len(data.x_test))
    x_train = data.x_train[train_order].reshape(len(train_order), -1).astype("float32") / 255.0
    x_test = data.x_test[test_order].reshape(len(test_order), -1).astype("float32") / 255.0
    return x_train, data.y_train[train_order], x_test, data.y_test[test_order], data.source


def _digit_mlp(seed=0):
    import keras

    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input((784,)), keras.layers.Dense(64, activation="relu"), keras.layers.Dense(10)])


def _accuracy(model, x, y):
    import numpy as np

    return float(np.mean(np.argmax(model.predict(x, verbose=0), axis=1) == y))


def _one_seed(seed, x_train, y_train, x_test, y_test) -> dict:
    import keras
    import numpy as np

    from references.sgd import n_iterations, train_sgd

    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    out = {}
    per_epoch = n_iterations(len(x_train), BATCH, 1)
    model = _digit_mlp(seed)
    start = time.perf_counter()
    train_sgd(model, loss_fn, x_train, y_train, epochs=EPOCHS, batch_size=BATCH,
              learning_rate=lambda r: 0.2 / (1 + r / per_epoch), lam=1e-4, rng=np.random.default_rng(seed))
    out["own_sgd_seconds"] = time.perf_counter() - start
    out["own_sgd_test_accuracy"] = _accuracy(model, x_test, y_test)
    print(f"seed {seed}, own SGD loop: {out['own_sgd_test_accuracy']:.4f}", flush=True)

    optimizers = {
        "sgd": lambda: keras.optimizers.SGD(learning_rate=0.05),
        "momentum": lambda: keras.optimizers.SGD(learning_rate=0.05, momentum=0.9),
        "adam": lambda: keras.optimizers.Adam(learning_rate=0.001),
    }
    for name, make in optimizers.items():
        net = _digit_mlp(seed=seed)  # also seeds fit's shuffling
        net.compile(optimizer=make(), loss=loss_fn, metrics=["accuracy"])
        history = net.fit(x_train, y_train, batch_size=BATCH, epochs=EPOCHS,
                          validation_data=(x_test, y_test), verbose=0).history
        out[f"{name}_test_accuracy"] = float(history["val_accuracy"][-1])
        out[f"{name}_train_loss"] = float(history["loss"][-1])
        print(f"seed {seed}, {name}: {out[f'{name}_test_accuracy']:.4f}", flush=True)
    return out


def run_benchmark(seeds=SEEDS) -> dict:
    import numpy as np

    x_train, y_train, x_test, y_test, source = _data()
    metrics = {"epochs": EPOCHS, "batch_size": BATCH, "n_train": len(x_train), "n_test": len(x_test),
               "seeds": len(seeds)}
    runs = [_one_seed(seed, x_train, y_train, x_test, y_test) for seed in seeds]
    for key in runs[0]:
        values = np.array([run[key] for run in runs])
        digits = 1 if key.endswith("seconds") else 4
        metrics[key] = round(float(values.mean()), digits)
        metrics[f"{key}_std"] = round(float(values.std(ddof=1)), digits) if len(values) > 1 else 0.0
    return {"metrics": metrics, "source": source}


#: The notebook ``--time-notebook`` runs, relative to the course root (its code is part of
#: what the result describes).
NOTEBOOK = f"{SOLUTIONS_DIR}/04_sgd/04_sgd.ipynb"


def time_notebook() -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, kernel included) of the solution
    notebook executed in fast mode, offline. On a shared machine the CPU time is the
    figure to trust: the wall time grows with the other jobs' load. The kernel imports
    the installed nnlib (the notebook needs nothing else from the repository)."""
    import resource
    import subprocess
    import tempfile

    root = repo_root()
    env = dict(os.environ, NNLIB_MODE="fast", NNLIB_OFFLINE="1", MPLBACKEND="Agg")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
             "--output-dir", tmp, str(solution_notebook(root, "04_sgd"))],
            cwd=root, env=env, check=True, capture_output=True,
        )
        wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return round(wall, 1), round(cpu, 1)


def _timing_note() -> str:
    return (" Fast-mode notebook timed at load average "
            f"{tuple(round(v, 1) for v in os.getloadavg())} on a shared machine: its CPU time"
            " (user + system, kernel included) is the stable figure.")


def _retime_notebook() -> None:
    """Re-time the notebook and keep the training figures of the existing result file."""
    import json

    from nncourse.layout import results_dir
    from nncourse.results import write_result

    old = json.loads((results_dir(repo_root()) / "sgd_optimizers.json").read_text())
    wall, cpu = time_notebook()
    metrics = dict(old["metrics"], fast_mode_notebook_wall_seconds=wall, fast_mode_notebook_cpu_seconds=cpu)
    notes = (old["notes"].split(" Fast-mode notebook timed")[0] + _timing_note()
             + " The notebook was timed on its own (--notebook-only) after its last edit; the training figures"
               " are those of the full run.")
    path = write_result(old["name"], old["title"], metrics, old["data_source"], targets=old.get("targets"),
                        command=old["command"].replace(" --time-notebook", "") + " --time-notebook",
                        notes=notes, run_mode=old["mode"], backend=old.get("backend"), device=old.get("device"),
                        code=[NOTEBOOK], imported=False, earlier=old.get("code", {}))
    print(f"re-timed the notebook: {wall} s wall, {cpu} s CPU; wrote {path}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-notebook", action="store_true", help="also time the fast-mode notebook")
    parser.add_argument("--notebook-only", action="store_true",
                        help="only re-time the fast-mode notebook and update those two figures in the existing"
                             " results/sgd_optimizers.json (after an edit of the notebook)")
    args = parser.parse_args(argv)
    if args.notebook_only:
        _retime_notebook()
        return
    if nnlib.mode() != "full":
        raise SystemExit("run this benchmark in full mode: NNLIB_MODE=full")
    nnlib.setup(seed=0)
    start = time.perf_counter()
    result = run_benchmark()
    result["metrics"]["total_seconds"] = round(time.perf_counter() - start, 1)
    notes = (f"Test accuracy after the given epochs: mean over seeds {list(SEEDS)} (the seed sets the initial"
             " weights and the batch order; each seed gives every optimiser the same initial weights), with the"
             " standard deviation over the seeds (ddof=1) in the _std keys.")
    if args.time_notebook:
        wall, cpu = time_notebook()
        result["metrics"]["fast_mode_notebook_wall_seconds"] = wall
        result["metrics"]["fast_mode_notebook_cpu_seconds"] = cpu
        notes += _timing_note()
    from nncourse.results import write_result

    path = write_result(
        "sgd_optimizers",
        "04_sgd: own SGD loop, SGD, momentum, Adam (784-64-10 MLP, digits)",
        result["metrics"],
        result["source"],
        targets={"own_sgd_test_accuracy": ">= 0.85"},
        command="NNLIB_MODE=full python -m benchmarks.sgd_optimizers" + (" --time-notebook" if args.time_notebook else ""),
        notes=notes,
        code=[NOTEBOOK] if args.time_notebook else [],
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
