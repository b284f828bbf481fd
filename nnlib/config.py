"""The fast/full mode switch, seeding and quiet logs.

Every notebook reads the mode through :func:`mode` (never ``os.environ`` directly) and
sizes its runs through :func:`by_mode`, so that the same code path runs in both modes:

- ``full`` (default): the real data sets and the epochs behind the figures the prose quotes;
- ``fast`` (tests, autograding): small real subsets and few epochs, at most 60 s a notebook
  on 2 CPU cores.
"""

from __future__ import annotations

import os
import random
import warnings

MODES = ("fast", "full")

#: Environment that silences TensorFlow's C++ logs and its oneDNN notice. It must be in
#: place before TensorFlow is imported: nbgrader gives 0 points to a test cell that
#: writes anything to stderr.
QUIET_ENV = {"TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0"}


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

    Sets :data:`QUIET_ENV` (effective only before TensorFlow is first imported, which
    ``import nnlib`` guarantees when it comes first) and quiets the Python loggers of
    TensorFlow and absl once they exist.
    """
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", message=".*np.object.*")
    import logging

    for name in ("tensorflow", "absl", "jax._src.xla_bridge"):
        logging.getLogger(name).setLevel(logging.ERROR)


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
