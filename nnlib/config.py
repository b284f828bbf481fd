"""The fast/full mode switch, seeding and quiet logs.

Every notebook reads the mode through :func:`mode` (never ``os.environ`` directly) and
sizes its runs through :func:`by_mode`, so that the same code path runs in both modes:

- ``full`` (default): the real data sets and the epochs behind the figures the prose quotes;
- ``fast`` (tests, autograding): small real subsets and few epochs, at most 60 s a notebook
  on 2 CPU cores.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import warnings

MODES = ("fast", "full")

#: Environment that silences TensorFlow's C++ logs and its oneDNN notice. It must be in
#: place before TensorFlow is imported: nbgrader gives 0 points to a test cell that
#: writes anything to stderr.
QUIET_ENV = {"TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0"}

#: JAX settings the course changes, as ``flag: value``; each can also be set by the
#: environment variable of the flag's name in capitals, and a value set there wins.
#: ``jax_threefry_partitionable`` (on by default since jax 0.5) lays random bits out for
#: sharding across devices; with it on, every new shape of a 4-D random tensor (a
#: convolution kernel's initializer) compiles for about 1.4 s on 2 CPU cores (jax 0.10),
#: against 0.2 s with it off: about 6 s of notebook 06 on JAX. The course runs on one
#: device; the numbers stay JAX's threefry random numbers, seeded the same way.
JAX_FLAGS = {"jax_threefry_partitionable": False}


def mode() -> str:
    """Return the course mode, ``"fast"`` or ``"full"``, from ``NNLIB_MODE``.

    The variable is case-insensitive and defaults to ``"full"``.

    Raises
    ------
    ValueError
        If ``NNLIB_MODE`` holds anything else.
    """
    value = os.environ.get("NNLIB_MODE", "full").strip().lower()
    if value not in MODES:
        raise ValueError(
            f"NNLIB_MODE={os.environ['NNLIB_MODE']!r} is not a mode: use 'fast' or 'full'."
        )
    return value


def is_fast() -> bool:
    """True in fast mode (tests and autograding)."""
    return mode() == "fast"


def by_mode(*, fast, full):
    """Pick the value for the current mode: ``by_mode(fast=2, full=20)``.

    This is the only way a notebook depends on the mode (epochs, subset sizes).
    """
    return fast if is_fast() else full


def offline() -> bool:
    """True when ``NNLIB_OFFLINE`` asks to skip every download (``1``, ``true``, ``yes``)."""
    return os.environ.get("NNLIB_OFFLINE", "").strip().lower() in {"1", "true", "yes"}


def quiet() -> None:
    """Silence TensorFlow's logs and the warnings that would reach a test cell's stderr.

    - Sets :data:`QUIET_ENV` (effective only before TensorFlow is first imported, which
      ``import nnlib`` guarantees when it comes first): no INFO or WARNING lines from
      TensorFlow's C++ code, no oneDNN notice.
    - Quiets the Python loggers of TensorFlow, absl and JAX's backend probe, and the
      deprecation warnings of the libraries.
    - Mutes the process's file descriptor 2 while TensorFlow's package is imported
      (:class:`_MutedImport`, once, whoever imports it: Keras does). With the full
      ``tensorflow`` wheel (Colab's, not ``tensorflow-cpu``) on a machine that has the CUDA
      libraries, that import logs ``Unable to register cuFFT factory`` / ``cuDNN`` /
      ``cuBLAS`` errors and absl's ``All log messages before absl::InitializeLog()``
      line, straight from C++ (``TF_CPP_MIN_LOG_LEVEL`` is reported not to silence them),
      and in Jupyter they land in the cell's output. Reproducing them needs those CUDA
      libraries (Colab's images have them); this mute is **unverified** against them: no
      machine here has them, and ``tensorflow-cpu`` never writes them.
      Python-level output (``sys.stderr``, tracebacks) is not muted: an import that fails
      still says why.

    The other CUDA line, ``failed call to cuInit ... (303)``, comes when TensorFlow first
    looks for a GPU on a machine without a GPU driver (full wheel, CPU machine: verified,
    ``tests/library/test_config.py`` and ``.ci/colab_stack.sh``); :func:`device_name`, which
    :func:`nnlib.setup` calls first, looks with descriptor 2 muted.
    """
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", message=".*np.object.*")
    import logging

    for name in ("tensorflow", "absl", "jax._src.xla_bridge"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if "tensorflow" not in sys.modules and not any(isinstance(f, _MutedImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _MutedImport("tensorflow"))


def jax_defaults() -> None:
    """Apply :data:`JAX_FLAGS` where the environment does not set them: through the
    environment when JAX is not imported yet (it reads its flags there on import), through
    ``jax.config`` when it is. TensorFlow and PyTorch users never import JAX for it."""
    for flag, value in JAX_FLAGS.items():
        variable = flag.upper()
        if variable in os.environ:
            continue
        os.environ[variable] = "1" if value else "0"
        jax = sys.modules.get("jax")
        if jax is not None:
            with contextlib.suppress(AttributeError, KeyError, ValueError):  # a jax without the flag
                jax.config.update(flag, value)


@contextlib.contextmanager
def muted_stderr_fd():
    """Inside the block, whatever C or C++ code writes to file descriptor 2 is dropped.

    ``sys.stderr`` (a Python object; in Jupyter, the kernel's stream) is flushed first and
    left alone. Where descriptor 2 cannot be duplicated (no console), nothing changes.
    """
    try:
        sys.stderr.flush()
    except Exception:  # a closed or odd stream must not stop the block
        pass
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


class _MutedImport:
    """A one-shot import hook (``sys.meta_path``): the first import of package ``name``
    runs with descriptor 2 muted (:func:`muted_stderr_fd`); the module, its spec and its
    loader are the real ones, only that loader's ``exec_module`` is wrapped."""

    def __init__(self, name: str):
        self.name = name

    def find_spec(self, name, path=None, target=None):
        if name != self.name:
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find else None
            if spec is not None:
                break
        else:
            return None
        run = getattr(spec.loader, "exec_module", None)
        if run is not None:
            def exec_module(module):
                with muted_stderr_fd():
                    run(module)

            try:
                spec.loader.exec_module = exec_module  # this package's loader only
            except AttributeError:  # a loader that takes no attributes imports unmuted
                pass
        return spec


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy and the Keras backend so that a notebook reruns identically.

    Parameters
    ----------
    seed : int
        The seed for ``random``, ``numpy.random`` and ``keras.utils.set_random_seed``.
    """
    import numpy as np

    random.seed(seed)
    np.random.seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    import keras

    keras.utils.set_random_seed(seed)


def backend_line() -> str:
    """One line that says which Keras backend, version and device a notebook runs on."""
    import keras

    backend = keras.backend.backend()
    device = device_name(backend)
    return f"Keras {keras.__version__}, backend {backend} on {device}, mode {mode()}"


def device_name(backend: str | None = None) -> str:
    """Name the accelerator the Keras backend sees (default: the current one), or ``"CPU"``."""
    if backend is None:
        import keras

        backend = keras.backend.backend()
    try:
        if backend == "tensorflow":
            import tensorflow as tf

            with muted_stderr_fd():  # no GPU driver: "failed call to cuInit" (see quiet)
                gpus = tf.config.list_physical_devices("GPU")
            return f"GPU ({len(gpus)})" if gpus else "CPU"
        if backend == "jax":
            import jax

            kinds = {d.platform for d in jax.devices()}
            return "GPU" if "gpu" in kinds or "cuda" in kinds else "CPU"
        if backend == "torch":
            import torch

            return f"GPU ({torch.cuda.get_device_name(0)})" if torch.cuda.is_available() else "CPU"
    except Exception:  # a broken accelerator stack must not stop a notebook
        pass
    return "CPU"
