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


# --------------------------------------------------------------- C++ logs on stderr
# The full `tensorflow` wheel (Colab's) writes CUDA lines straight to file descriptor 2:
# "failed call to cuInit" when it first looks for a GPU on a machine without a driver, and,
# where the CUDA libraries are installed, "Unable to register cuDNN factory" lines on import.
# The test suite has `tensorflow-cpu`, which writes neither, so a stand-in `tensorflow`
# package writes them the same way (os.write on descriptor 2, as C++ does). The real wheel
# is checked by .ci/colab_stack.sh.

FAKE_TF = '''
import os
os.write(2, b"E0000 cuda_dnn.cc:8310] Unable to register cuDNN factory\\n")
print("fake tensorflow imported")

class config:
    @staticmethod
    def list_physical_devices(kind):
        os.write(2, b"E cuda_platform.cc:51] failed call to cuInit: UNKNOWN ERROR (303)\\n")
        return []
'''


def _run_with_fake_tensorflow(tmp_path, code, fake=FAKE_TF):
    import subprocess
    import sys

    (tmp_path / "tensorflow").mkdir()
    (tmp_path / "tensorflow" / "__init__.py").write_text(fake)
    # the script's own folder comes first on the import path: the stand-in wins
    (tmp_path / "main.py").write_text(code)
    return subprocess.run([sys.executable, str(tmp_path / "main.py")], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)


def test_cuda_lines_reach_stderr_without_nnlib(tmp_path):
    """The stand-in is faithful: without nnlib its lines do reach stderr."""
    proc = _run_with_fake_tensorflow(tmp_path, "import tensorflow as tf\ntf.config.list_physical_devices('GPU')\n")
    assert proc.returncode == 0 and "fake tensorflow imported" in proc.stdout
    assert "cuDNN" in proc.stderr and "cuInit" in proc.stderr


def test_import_nnlib_mutes_cuda_lines_on_tensorflow_import_and_device_query(tmp_path):
    code = ("import nnlib, sys\n"
            "import tensorflow\n"  # as `import keras` does, after `import nnlib`
            "print(nnlib.device_name('tensorflow'))\n"
            "print('python stderr still works', file=sys.stderr)\n")
    proc = _run_with_fake_tensorflow(tmp_path, code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[:2] == ["fake tensorflow imported", "CPU"]
    assert proc.stderr == "python stderr still works\n", proc.stderr


def test_muted_stderr_fd_restores_descriptor_2(capfd):
    import os

    with config.muted_stderr_fd():
        os.write(2, b"dropped\n")
    os.write(2, b"kept\n")
    assert capfd.readouterr().err == "kept\n"


def test_an_import_that_fails_still_says_why(tmp_path):
    broken = FAKE_TF + "raise ImportError('libcudart.so.12: cannot open shared object file')\n"
    proc = _run_with_fake_tensorflow(tmp_path, "import nnlib\nimport tensorflow\n", fake=broken)
    assert proc.returncode != 0 and "cuDNN" not in proc.stderr
    assert "ImportError: libcudart.so.12: cannot open shared object file" in proc.stderr


def _jax_flag_after(code: str, env: dict | None = None) -> str:
    """What ``jax.config.jax_threefry_partitionable`` is after ``code`` ran in a fresh Python."""
    import os
    import subprocess
    import sys

    pytest.importorskip("jax")
    environ = {k: v for k, v in os.environ.items() if k != "JAX_THREEFRY_PARTITIONABLE"} | (env or {})
    proc = subprocess.run([sys.executable, "-c", code + "\nprint(jax.config.jax_threefry_partitionable)"],
                          capture_output=True, text=True, timeout=120, env=environ)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.strip()


@pytest.mark.parametrize("code", ["import nnlib\nimport jax", "import jax\nimport nnlib"], ids=["nnlib-first", "jax-first"])
def test_import_nnlib_turns_off_partitionable_random_bits(code):
    assert _jax_flag_after(code) == "False"


def test_a_jax_flag_the_environment_sets_wins():
    assert _jax_flag_after("import nnlib\nimport jax", {"JAX_THREEFRY_PARTITIONABLE": "1"}) == "True"
