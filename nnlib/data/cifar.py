"""CIFAR-10, and its split into "hug it" and "don't" (used by 07_transfer_learning).

CIFAR-10 (Krizhevsky, 2009): 60,000 colour images of 32x32 pixels in ten classes,
50,000 for training and 10,000 for testing, through ``keras.datasets.cifar10``. It has
no offline copy: without network (or with ``NNLIB_OFFLINE=1`` and an empty cache) the
loaders print one line and return ``None``, and the notebook runs its offline experiment
instead. ``nncourse fetch-data`` puts it in Keras' cache beforehand.

The slides' "should I hug it?" classifier becomes a real two-class problem: the six
animal classes (bird, cat, deer, dog, frog, horse) are "hug it" (label 1), the four
vehicle classes (airplane, automobile, ship, truck) are "don't" (label 0).
"""

from __future__ import annotations

import numpy as np

from nnlib.config import by_mode
from nnlib.data.dataset import Dataset, stratified_subset
from nnlib.data.download import fetch, register_download

#: CIFAR-10's class names, in the order of its labels 0-9.
CLASS_NAMES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
#: CIFAR-10 labels of the animals ("hug it", label 1) and of the vehicles ("don't", label 0).
ANIMALS = (2, 3, 4, 5, 6, 7)
VEHICLES = (0, 1, 8, 9)
#: Names of the two labels of :func:`load_hug_or_not`.
HUG_NAMES = ("don't hug (vehicle)", "hug it (animal)")

#: A file of the extracted archive in Keras' cache: when present, no download is tried.
_CACHED = "cifar-10-batches-py-target/cifar-10-batches-py/test_batch"
#: Where Keras downloads CIFAR-10 from (163 MB).
CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"


def load_cifar10(n_train=None, n_test=None, seed: int = 0) -> Dataset | None:
    """CIFAR-10 through Keras, or ``None`` (after one printed line) when it cannot be had.

    Parameters
    ----------
    n_train, n_test : int or None
        Sizes of class-balanced random subsets; ``None`` keeps all 50,000 / 10,000.
    seed : int
        Seed of the subsets.

    Returns
    -------
    Dataset or None
        ``x_*``: uint8 RGB images (n, 32, 32, 3), values 0-255; ``y_*``: int64 labels 0-9
        (see :data:`CLASS_NAMES`).
    """
    import keras

    loaded = fetch("CIFAR-10", keras.datasets.cifar10.load_data, cached_file=_CACHED, probe_url=CIFAR10_URL,
                   fallback="it has no offline copy, so this part is skipped")
    if loaded is None:
        return None
    (x_train, y_train), (x_test, y_test) = loaded
    y_train, y_test = np.ravel(y_train).astype(np.int64), np.ravel(y_test).astype(np.int64)
    tr = stratified_subset(y_train, n_train, seed)
    te = stratified_subset(y_test, n_test, seed + 1)
    return Dataset(x_train[tr], y_train[tr], x_test[te], y_test[te], "CIFAR-10 (keras.datasets, 50,000 + 10,000)")


def hug_labels(y) -> np.ndarray:
    """Map CIFAR-10 labels 0-9 to 1 for an animal ("hug it") and 0 for a vehicle.

    Parameters
    ----------
    y : array_like of int, shape (n,)

    Returns
    -------
    ndarray of int64, shape (n,)
    """
    return np.isin(np.asarray(y), ANIMALS).astype(np.int64)


def load_hug_or_not(n_train="auto", n_test="auto", seed: int = 0) -> Dataset | None:
    """CIFAR-10 as "hug it" (animals, 1) against "don't" (vehicles, 0), or ``None`` offline.

    Parameters
    ----------
    n_train, n_test : int, None or "auto"
        Sizes of subsets with as many animals as vehicles; ``"auto"``: 5,000 / 2,000 in
        full mode (about 10 minutes with VGG16 on a 2-core CPU), 256 / 128 in fast mode;
        ``None`` keeps every image (then 60 % are animals).
    seed : int
        Seed of the subsets.

    Returns
    -------
    Dataset or None
        uint8 images (n, 32, 32, 3) and int64 labels in {0, 1} (see :data:`HUG_NAMES`).
    """
    data = load_cifar10(seed=seed)
    if data is None:
        return None
    n_train = by_mode(fast=256, full=5000) if n_train == "auto" else n_train
    n_test = by_mode(fast=128, full=2000) if n_test == "auto" else n_test
    y_train, y_test = hug_labels(data.y_train), hug_labels(data.y_test)
    tr = stratified_subset(y_train, n_train, seed)
    te = stratified_subset(y_test, n_test, seed + 1)
    return Dataset(data.x_train[tr], y_train[tr], data.x_test[te], y_test[te],
                   "CIFAR-10 animals vs vehicles (keras.datasets)")


@register_download("CIFAR-10")
def _download_cifar10():
    import keras

    return keras.datasets.cifar10.load_data()
