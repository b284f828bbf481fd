"""nnlib.data.pretrained: VGG16's loader and its offline behaviour, the small pretrained CNN.
No test touches the network: downloads are either skipped or made to fail."""

from __future__ import annotations

import urllib.request

import numpy as np
import pytest

import nnlib  # noqa: F401  (quiet TensorFlow first)
import keras

from nnlib.data import download, pretrained
from nnlib.data.pretrained import digits_base, load_digits_cnn, load_vgg16

#: VGG16's convolutions as (input channels, filters), from the paper's configuration D.
VGG16_CONVS = [(3, 64), (64, 64), (64, 128), (128, 128), (128, 256), (256, 256), (256, 256),
               (256, 512), (512, 512), (512, 512), (512, 512), (512, 512), (512, 512)]


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def no_network(*args, **kwargs):
        raise AssertionError("a test tried to reach the network")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    monkeypatch.setattr(keras.utils, "get_file", no_network)
    return tmp_path


def test_vgg16_offline_gives_random_weights_with_one_line(empty_cache, monkeypatch, capsys):
    monkeypatch.setenv("NNLIB_OFFLINE", "1")
    model, loaded = load_vgg16(include_top=False, input_shape=(32, 32, 3))
    assert loaded is False
    assert model.count_params() == sum((3 * 3 * c + 1) * n for c, n in VGG16_CONVS)
    assert model.output_shape == (None, 1, 1, 512)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "ImageNet" in lines[0]


def test_vgg16_unreachable_server_falls_back(empty_cache, monkeypatch, capsys):
    monkeypatch.setenv("NNLIB_OFFLINE", "0")

    def unreachable(url, timeout_s=None):
        raise OSError("no route to host")

    monkeypatch.setattr(download, "reachable", unreachable)
    model, loaded = load_vgg16(input_shape=(48, 48, 3))
    assert loaded is False and model.output_shape == (None, 1, 1, 512)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "Could not download" in lines[0]


def test_vgg16_uses_the_cached_file_even_offline(empty_cache, monkeypatch):
    monkeypatch.setenv("NNLIB_OFFLINE", "1")
    source = keras.applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
    name = "vgg16_test_notop.weights.h5"  # Keras-3 format stands in for the ImageNet file
    monkeypatch.setitem(pretrained.VGG16_WEIGHTS, False, (name, "https://example.invalid/x.h5", "0"))
    (empty_cache / "models").mkdir()
    source.save_weights(str(empty_cache / "models" / name))
    model, loaded = load_vgg16(input_shape=(32, 32, 3))
    assert loaded is True
    for a, b in zip(source.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_vgg16_corrupt_cached_file_falls_back(empty_cache, monkeypatch, capsys):
    monkeypatch.setenv("NNLIB_OFFLINE", "1")
    fname = pretrained.VGG16_WEIGHTS[False][0]
    (empty_cache / "models").mkdir()
    (empty_cache / "models" / fname).write_bytes(b"not an HDF5 file")
    _, loaded = load_vgg16(input_shape=(32, 32, 3))
    assert loaded is False
    assert "random weights" in capsys.readouterr().out
    assert not (empty_cache / "models" / fname).exists(), "a corrupt file must go, or no later call downloads it again"


def test_digits_base_architecture():
    base = digits_base()
    assert base.input_shape == (None, 28, 28, 1) and base.output_shape == (None, 7, 7, 64)
    assert base.count_params() == sum((3 * 3 * c + 1) * n for c, n in [(1, 32), (32, 32), (32, 64), (64, 64)])
    assert [l.name for l in base.layers if l.weights] == ["block1_conv1", "block1_conv2", "block2_conv1", "block2_conv2"]


def test_digits_cnn_weights_are_small_and_recognise_0_to_4(monkeypatch):
    from pathlib import Path

    assert pretrained.DIGITS_MODEL.parent == Path(nnlib.__file__).resolve().parent / "weights", \
        "the package data (pyproject: nnlib = ['weights/*', ...]) holds the file"
    assert pretrained.DIGITS_MODEL.stat().st_size < 1_000_000
    monkeypatch.setenv("NNLIB_OFFLINE", "1")
    from nnlib.data import load_mnist

    data = load_mnist(n_train=0, n_test=500)
    keep = data.y_test < 5
    model = load_digits_cnn()
    probs = keras.ops.convert_to_numpy(model(data.x_test[keep][..., None].astype("float32")))
    assert probs.shape == (keep.sum(), 5)
    np.testing.assert_allclose(probs.sum(axis=1), 1, atol=1e-5)
    assert np.mean(probs.argmax(axis=1) == data.y_test[keep]) > 0.95
    assert model.get_layer("digits_base").output_shape == (None, 7, 7, 64)
