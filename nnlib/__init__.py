"""nnlib: the helper library the course's notebooks import (modes, data, figures, metrics).

It never holds the answer to a graded exercise: a student writes those in the notebooks.
The instructors' tools are the separate package ``nncourse``, which nnlib never imports.
Importing nnlib first silences TensorFlow (see :mod:`nnlib.config`) before Keras loads it,
and sets the JAX flags the course changes (:data:`nnlib.config.JAX_FLAGS`).
"""

from nnlib.config import jax_defaults as _jax_defaults
from nnlib.config import quiet as _quiet

_quiet()
_jax_defaults()

from nnlib.config import backend_line, by_mode, device_name, is_fast, mode, offline, seed_everything  # noqa: E402
from nnlib.record import record  # noqa: E402

__version__ = "0.1.0"


def setup(seed: int = 0) -> None:
    """Prepare a notebook: seed everything and print the backend line.

    Parameters
    ----------
    seed : int
        Passed to :func:`nnlib.config.seed_everything`.
    """
    seed_everything(seed)
    record("device", device_name())  # collected by `nncourse check-all`
    print(backend_line())


__all__ = [
    "backend_line",
    "by_mode",
    "device_name",
    "is_fast",
    "mode",
    "offline",
    "record",
    "seed_everything",
    "setup",
]
