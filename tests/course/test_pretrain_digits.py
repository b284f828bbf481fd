"""benchmarks/pretrain_digits.py: the script that made the shipped digits CNN.

One short epoch of the real recipe (no network: the offline digits), and the file it
writes in the form every supported Keras loads (no configuration key that only newer
Keras knows; ``.ci/colab_stack.sh`` loads the shipped file on Colab's Keras)."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

import nnlib  # noqa: F401  (quiet TensorFlow first)
import keras

from benchmarks import pretrain_digits
from benchmarks.pretrain_digits import digits_classifier
from nnlib.data import pretrained


def _digits(n=8, seed=0):
    return np.random.default_rng(seed).uniform(0, 255, size=(n, 28, 28, 1)).astype("float32")


def test_distortions_change_images_in_training_only():
    layer = pretrain_digits.distortions(seed=1)
    x = _digits()
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(x, training=False)), x)
    moved = keras.ops.convert_to_numpy(layer(x, training=True))
    assert moved.shape == x.shape and not np.allclose(moved, x)


def test_training_model_trains_the_classifiers_own_weights():
    classifier = digits_classifier()
    before = [w.copy() for w in classifier.get_weights()]
    trainer = pretrain_digits.training_model(classifier)
    assert len(trainer.trainable_weights) == len(classifier.trainable_weights)
    trainer.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    trainer.fit(_digits(), np.arange(8) % 5, epochs=1, batch_size=8, verbose=0)
    after = classifier.get_weights()
    assert all(not np.array_equal(a, b) for a, b in zip(before, after))
    names = [layer.name for layer in trainer.layers]
    assert "distortions" in names and any("dropout" in n for n in names)
    plain = [layer.name for layer in pretrain_digits.training_model(digits_classifier(), plain=True).layers]
    assert "distortions" not in plain and not any("dropout" in n for n in plain)


@pytest.mark.slow
def test_main_writes_a_model_the_loader_reads(monkeypatch, tmp_path):
    monkeypatch.setenv("NNLIB_OFFLINE", "1")
    out = tmp_path / "digits.keras"
    assert pretrain_digits.main(["--epochs", "1", "--out", str(out)]) == 0
    assert 0 < out.stat().st_size < 1_000_000  # no optimizer state
    assert _config(out) == pretrain_digits.portable_config(_config(out)), "saved in the portable form"
    monkeypatch.setattr(pretrained, "DIGITS_MODEL", out)
    model = pretrained.load_digits_cnn()
    assert model.output_shape == (None, 5)
    assert model.get_layer("digits_base").output_shape == (None, 7, 7, 64)


def test_the_shipped_model_is_this_scripts_architecture():
    def layout(model):
        base = model.get_layer("digits_base")
        return [(layer.name, [tuple(w.shape) for w in layer.weights]) for layer in base.layers + model.layers[1:]]

    assert layout(pretrained.load_digits_cnn()) == layout(digits_classifier())


def _config(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("config.json"))


def _keys(config):
    if isinstance(config, dict):
        return {(k, json.dumps(v)) for k, v in config.items()} | {x for v in config.values() for x in _keys(v)}
    if isinstance(config, list):
        return {x for v in config for x in _keys(v)}
    return set()


def test_portable_config_drops_only_the_newer_keys_at_their_default():
    config = {"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Conv2D", "config": {"kernel_initializer": {"class_name": "GlorotUniform", "config": {
            "seed": None, "input_axes": None, "output_axes": None}}}},
        {"class_name": "Dense", "config": {"units": 5, "quantization_config": None, "bias_regularizer": None}},
        {"class_name": "Dense", "config": {"kernel_initializer": {"config": {"input_axes": [0]}}}},
    ]}}
    portable = pretrain_digits.portable_config(config)
    layers = portable["config"]["layers"]
    assert layers[0]["config"]["kernel_initializer"]["config"] == {"seed": None}
    assert layers[1]["config"] == {"units": 5, "bias_regularizer": None}
    assert layers[2] == config["config"]["layers"][2], "a key with a value that matters stays"
    assert "input_axes" in json.dumps(config), "the input is not changed"


def test_the_shipped_file_is_portable_and_only_its_configuration_was_rewritten(tmp_path):
    shipped = pretrained.DIGITS_MODEL
    config = _config(shipped)
    assert config == pretrain_digits.portable_config(config)
    assert not {k for k, v in _keys(config) if k in pretrain_digits.NEWER_CONFIG_KEYS and v == "null"}
    # rewriting it again changes nothing, byte for byte in every member
    copy = tmp_path / "copy.keras"
    copy.write_bytes(shipped.read_bytes())
    pretrain_digits.make_portable(copy)
    with zipfile.ZipFile(shipped) as a, zipfile.ZipFile(copy) as b:
        assert [i.filename for i in a.infolist()] == [i.filename for i in b.infolist()]
        for name in a.namelist():
            assert (json.loads(a.read(name)) == json.loads(b.read(name))) if name.endswith(".json") \
                else a.read(name) == b.read(name), name
