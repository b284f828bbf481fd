"""Reference figures that a notebook reports, collected by ``nncourse check-all``.

A notebook calls ``nnlib.record("test_accuracy", acc)`` where it computes a figure its
prose quotes. Normally this does nothing; when ``NNLIB_RECORD`` names a file (check-all
sets it), one JSON line per call is appended there, so the run's figures reach
``results/`` without anyone copying them by hand.
"""

from __future__ import annotations

import json
import os


def record(name: str, value) -> None:
    """Report one figure of the running notebook (a number or a short string).

    Parameters
    ----------
    name : str
        What it is, e.g. ``"lenet5_test_accuracy"``.
    value : float, int or str
        NumPy scalars are converted to Python numbers.
    """
    path = os.environ.get("NNLIB_RECORD")
    if not path:
        return
    if hasattr(value, "item"):
        value = value.item()
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"name": name, "value": value}) + "\n")
