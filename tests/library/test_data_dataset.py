"""nnlib.data.dataset: class-balanced subsets and splits."""

import numpy as np
import pytest

from nnlib.data import dataset


@pytest.mark.parametrize("n", [None, 0, 7, 10, 33, 1000])
def test_stratified_subset(n):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 5, size=200)
    idx = dataset.stratified_subset(y, n, seed=1)
    expected = 200 if n is None or n >= 200 else n
    assert len(idx) == expected and len(np.unique(idx)) == expected
    if n and n < 200:
        counts = np.bincount(y[idx], minlength=5)
        assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("seed", range(3))
def test_stratified_split_holds_out_a_share_of_each_class(seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 4, size=int(rng.integers(40, 120)))
    x = np.arange(len(y))
    x_train, y_train, x_test, y_test = dataset.stratified_split(x, y, 0.25, seed)
    assert sorted(np.r_[x_train, x_test]) == list(x), "every row in exactly one split"
    assert np.array_equal(y[x_train], y_train) and np.array_equal(y[x_test], y_test)
    for c in np.unique(y):
        assert np.sum(y_test == c) == int(round(np.sum(y == c) * 0.25))
