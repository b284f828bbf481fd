"""nnlib.data.download: the offline switch, the download time limits, the registry (no network)."""

import subprocess
import sys
import time

import pytest

from nnlib.data import download


@pytest.fixture
def offline(monkeypatch, tmp_path):
    monkeypatch.setenv("NNLIB_OFFLINE", "1")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))  # an empty cache


def test_offline_skips_the_download_at_once(offline, capsys):
    called = []
    start = time.monotonic()
    assert download.fetch("thing", lambda: called.append(1), cached_file="thing.npz", fallback="doing without") is None
    assert not called and time.monotonic() - start < 0.5
    assert capsys.readouterr().out == "thing: offline (NNLIB_OFFLINE=1); doing without.\n"


def test_offline_still_uses_the_keras_cache(offline, tmp_path):
    cache = tmp_path / "keras-home" / "datasets"
    cache.mkdir(parents=True)
    (cache / "thing.npz").write_bytes(b"")
    assert download.fetch("thing", lambda: "from cache", cached_file="thing.npz") == "from cache"


def test_a_hanging_download_gives_up_within_the_budget(monkeypatch, capsys):
    monkeypatch.setenv("NNLIB_OFFLINE", "0")
    monkeypatch.setattr(download, "DOWNLOAD_TIMEOUT_S", 0.3)
    monkeypatch.setattr(download.call_with_timeout, "__defaults__", (0.3,))
    start = time.monotonic()
    assert download.fetch("slow thing", lambda: time.sleep(5)) is None
    assert time.monotonic() - start < 2
    assert capsys.readouterr().out == "slow thing: not downloaded: no answer in time; using the offline copy.\n"


def test_a_failing_download_falls_back_with_one_line(monkeypatch, capsys):
    monkeypatch.setenv("NNLIB_OFFLINE", "0")

    def fail():
        raise OSError("no route to host")

    assert download.fetch("thing", fail) is None
    out = capsys.readouterr().out.strip().splitlines()
    assert out == ["thing: not downloaded: no network; using the offline copy."], \
        f"expected one plain line (no raw error text), got {out}"


def test_a_large_download_gets_long_once_its_server_answers(monkeypatch):
    # CIFAR-10 is 163 MB: the short budget holds for the server's answer, not the file
    monkeypatch.setenv("NNLIB_OFFLINE", "0")
    monkeypatch.setattr(download, "DOWNLOAD_TIMEOUT_S", 0.2)
    monkeypatch.setattr(download.call_with_timeout, "__defaults__", (0.2,))
    probed = []
    monkeypatch.setattr(download, "reachable", lambda url, timeout_s=None: probed.append(url))

    def slow():
        time.sleep(0.6)
        return "the file"

    assert download.fetch("big thing", slow) is None  # without a probe: the short budget
    assert download.fetch("big thing", slow, probe_url="https://example.invalid/big") == "the file"
    assert probed == ["https://example.invalid/big"]


def test_an_unreachable_server_skips_the_large_download(monkeypatch, capsys):
    monkeypatch.setenv("NNLIB_OFFLINE", "0")
    calls = []

    def unreachable(url, timeout_s=None):
        raise OSError("no route to host")

    monkeypatch.setattr(download, "reachable", unreachable)
    assert download.fetch("big thing", lambda: calls.append(1), probe_url="https://example.invalid/big") is None
    assert calls == [] and capsys.readouterr().out.startswith("big thing: not downloaded: no network;")


def test_call_with_timeout_returns_and_reraises():
    assert download.call_with_timeout(lambda: 42, 1) == 42
    with pytest.raises(ZeroDivisionError):
        download.call_with_timeout(lambda: 1 / 0, 1)


def test_mnist_is_registered_for_fetch_data():
    import nnlib.data

    assert "MNIST" in download.DOWNLOADS
    assert nnlib.data.DOWNLOADS is download.DOWNLOADS, "one registry, re-exported"


def test_downloads_are_registered_for_fetch_data():
    import importlib

    from nncourse.commands.fetch_data import DOWNLOAD_MODULES

    for module in DOWNLOAD_MODULES:
        importlib.import_module(module)
    assert DOWNLOAD_MODULES == ["nnlib.data"]
    assert "CIFAR-10" in download.DOWNLOADS and "VGG16 ImageNet weights (no top)" in download.DOWNLOADS


def test_importing_nnlib_data_alone_registers_every_download():
    # in a fresh process: nothing but `import nnlib.data`, as `nncourse fetch-data` does
    code = "import nnlib.data as d; print(sorted(d.DOWNLOADS))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == repr(sorted(["MNIST", "CIFAR-10", "VGG16 ImageNet weights (no top)"]))
