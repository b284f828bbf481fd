"""nnlib.config: the mode switch, seeding and quiet logs."""

import numpy as np
import pytest

import nnlib
from nnlib import config


@pytest.mark.parametrize("value, expected", [("fast", "fast"), ("FULL", "full"), (" Fast ", "fast")])
def test_mode_is_case_insensitive(monkeypatch, value, expected):
    monkeypatch.setenv("NNLIB_MODE", value)
    assert config.mode() == expected


def test_mode_defaults_to_full(monkeypatch):
    monkeypatch.delenv("NNLIB_MODE", raising=False)
    assert config.mode() == "full" and not config.is_fast()


@pytest.mark.parametrize("value", ["quick", "", "1", "fastest"])
def test_unknown_mode_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv("NNLIB_MODE", value)
    with pytest.raises(ValueError, match="NNLIB_MODE"):
        config.mode()


def test_by_mode_picks_the_current_mode(monkeypatch):
    monkeypatch.setenv("NNLIB_MODE", "fast")
    assert nnlib.by_mode(fast=2, full=20) == 2
    monkeypatch.setenv("NNLIB_MODE", "full")
    assert nnlib.by_mode(fast=2, full=20) == 20


@pytest.mark.parametrize("value, expected", [("1", True), ("true", True), ("YES", True), ("0", False), ("", False)])
def test_offline_flag(monkeypatch, value, expected):
    monkeypatch.setenv("NNLIB_OFFLINE", value)
    assert config.offline() is expected


def test_seed_everything_makes_numpy_and_keras_repeat():
    import keras

    def draw():
        config.seed_everything(7)
        layer = keras.layers.Dense(3)
        layer.build((None, 4))
        return np.random.rand(3), keras.ops.convert_to_numpy(layer.kernel)

    (a1, k1), (a2, k2) = draw(), draw()
    assert np.array_equal(a1, a2) and np.array_equal(k1, k2)


def test_quiet_env_is_set_before_tensorflow_loads():
    import os

    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "2" and os.environ["TF_ENABLE_ONEDNN_OPTS"] == "0"


def test_backend_line_names_backend_and_mode(monkeypatch):
    import keras

    monkeypatch.setenv("NNLIB_MODE", "fast")
    line = config.backend_line()
    assert keras.backend.backend() in line and "mode fast" in line and keras.__version__ in line
