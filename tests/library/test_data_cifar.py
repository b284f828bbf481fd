"""nnlib.data.cifar: labels, the offline behaviour, the balanced subsets (no network)."""

from __future__ import annotations

import numpy as np

from nnlib.data import Dataset, cifar


def test_hug_labels_are_the_animals():
    animals = {"bird", "cat", "deer", "dog", "frog", "horse"}
    y = np.random.default_rng(0).integers(0, 10, size=200)
    expected = np.array([cifar.CLASS_NAMES[c] in animals for c in y], dtype=np.int64)
    np.testing.assert_array_equal(cifar.hug_labels(y), expected)
    assert set(cifar.ANIMALS) | set(cifar.VEHICLES) == set(range(10))


def test_offline_without_cache_returns_none_with_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv("NNLIB_OFFLINE", "1")
    assert cifar.load_cifar10() is None
    assert cifar.load_hug_or_not() is None
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == ["CIFAR-10: offline (NNLIB_OFFLINE=1); it has no offline copy, so this part is skipped."] * 2, \
        f"expected one plain line per call, got {lines}"


def test_hug_subsets_are_balanced(monkeypatch):
    rng = np.random.default_rng(1)
    fake = Dataset(rng.integers(0, 256, (600, 32, 32, 3), dtype=np.uint8), np.repeat(np.arange(10), 60),
                   rng.integers(0, 256, (200, 32, 32, 3), dtype=np.uint8), np.repeat(np.arange(10), 20), "fake")
    monkeypatch.setattr(cifar, "load_cifar10", lambda seed=0: fake)
    data = cifar.load_hug_or_not(n_train=100, n_test=40)
    assert data.x_train.shape == (100, 32, 32, 3) and data.x_test.shape == (40, 32, 32, 3)
    assert data.y_train.sum() == 50 and data.y_test.sum() == 20
    assert set(np.unique(data.y_train)) == {0, 1}
