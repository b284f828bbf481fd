"""The reference NumPy conv2d (references/cnn.py) against keras.layers.Conv2D on CPU.

A batch of 64 images of 28 x 28 x 1 through 6 filters of 5 x 5 (LeNet-5's first layer,
on MNIST-sized images), stride 1, no padding. Each is timed :data:`REPEATS` times after a
warm-up call and the fastest run is kept (the least disturbed by other processes). The
two outputs are checked to agree first. Target: NumPy within 5x of Keras. Writes
``results/conv2d_numpy_vs_keras.json``. Run from the repository root::

    python -m benchmarks.conv2d_numpy_vs_keras
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")  # CPU only, also on a GPU machine

import nnlib  # noqa: E402  (first: quiet TensorFlow)
import keras  # noqa: E402
import numpy as np  # noqa: E402

from nncourse.results import write_result  # noqa: E402
from references.cnn import conv2d  # noqa: E402

BATCH, SIZE, FILTERS, KERNEL = 64, 28, 6, 5
REPEATS = 50


def best_time(fn, repeats: int = REPEATS) -> float:
    """Fastest of ``repeats`` calls of ``fn()`` after one warm-up call, in seconds."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv=None) -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    nnlib.setup(seed=0)
    rng = np.random.default_rng(0)
    x = rng.random((BATCH, SIZE, SIZE, 1)).astype("float32")
    layer = keras.layers.Conv2D(FILTERS, KERNEL)
    x_tensor = keras.ops.convert_to_tensor(x)
    layer(x_tensor)  # builds the layer
    kernels, bias = layer.get_weights()
    kernels = kernels + rng.normal(scale=0.1, size=kernels.shape).astype("float32")
    bias = rng.normal(size=FILTERS).astype("float32")
    layer.set_weights([kernels, bias])
    keras_out = keras.ops.convert_to_numpy(layer(x_tensor))
    np.testing.assert_allclose(conv2d(x, kernels, bias), keras_out, rtol=1e-4, atol=1e-4)

    numpy_s = best_time(lambda: conv2d(x, kernels, bias))
    keras_s = best_time(lambda: keras.ops.convert_to_numpy(layer(x_tensor)))
    ratio = numpy_s / keras_s
    path = write_result(
        "conv2d_numpy_vs_keras",
        "NumPy conv2d vs keras.layers.Conv2D (64 x 28x28x1, 6 filters 5x5, CPU)",
        {"numpy_ms": round(numpy_s * 1e3, 3), "keras_ms": round(keras_s * 1e3, 3), "time_ratio": round(ratio, 2)},
        "random images (64, 28, 28, 1)",
        targets={"time_ratio": "<= 5"},
        command="python -m benchmarks.conv2d_numpy_vs_keras",
        notes=f"fastest of {REPEATS} calls each after a warm-up; Keras layer called eagerly; NumPy reference "
              "= sliding_window_view + one matrix product",
        device="CPU",
    )
    print(f"NumPy {numpy_s * 1e3:.2f} ms, Keras {keras_s * 1e3:.2f} ms: ratio {ratio:.2f} -> {path}")


if __name__ == "__main__":
    main()
