"""The :class:`Dataset` every image loader returns, and class-balanced subsets of it.

In fast mode (:func:`nnlib.config.is_fast`) the loaders return small stratified subsets
(:func:`stratified_subset`) of the same data, so that a notebook has one code path.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


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


def stratified_subset(y: np.ndarray, n: int | None, seed: int = 0) -> np.ndarray:
    """Indices of a class-balanced random subset of size ``n`` (all indices if ``n`` is None).

    Parameters
    ----------
    y : ndarray of int, shape (m,)
        Labels.
    n : int or None
        Size of the subset; classes get ``n // n_classes`` each, the remainder going to
        the first classes.
    seed : int
        Seed of the random choice.

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


def stratified_split(x: np.ndarray, y: np.ndarray, test_fraction: float, seed: int):
    """Stratified train/test split of a data set that ships as one block.

    Parameters
    ----------
    x : ndarray, shape (m, ...)
    y : ndarray of int, shape (m,)
    test_fraction : float in [0, 1]
        Share of each class that goes to the test split (rounded per class).
    seed : int

    Returns
    -------
    x_train, y_train, x_test, y_test : ndarray
        Rows of ``x`` and ``y``, each split in the original order.
    """
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
