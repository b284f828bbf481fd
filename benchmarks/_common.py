"""Shared by the benchmark scripts: write one result file per benchmark to ``results/``.

Every file records what was measured and where: the machine, the Keras backend, the
data source and the date. ``python benchmarks/make_readme_table.py`` turns the files
into the README's results table; nothing in that table is typed by hand.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "results"


def machine() -> str:
    """A short description of this machine: CPU model, cores, OS."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cpu}, {cores} cores, {platform.system()}"


def write_result(name: str, title: str, metrics: dict, data_source: str, *, targets: dict | None = None,
                 command: str = "", notes: str = "", device: str | None = None,
                 backend: str | None = None, run_mode: str | None = None) -> Path:
    """Write ``results/<name>.json`` and return its path.

    Parameters
    ----------
    name : str
        File stem, e.g. ``"lenet5_mnist"``.
    title : str
        The row title in the README table.
    metrics : dict of str to float
        What was measured (accuracy as a fraction, times in seconds).
    data_source : str
        The data actually used (``Dataset.source`` of nnlib's loaders).
    targets : dict of str to str, optional
        The target each metric is held to, e.g. ``{"test_accuracy": ">= 0.97"}``.
    command : str
        The command that reproduces the file.
    device : str, optional
        Defaults to the Keras backend's device name.
    backend, run_mode : str, optional
        The Keras backend and the mode (fast or full) the measurement ran on, when it ran
        in other processes (``check-all``); default: this process's.
    """
    from nnlib.config import device_name, mode

    if backend is None:  # check-all names it: its parent process need not import Keras
        import keras

        backend = keras.backend.backend()
    record = {
        "name": name,
        "title": title,
        "metrics": metrics,
        "targets": targets or {},
        "data_source": data_source,
        "backend": backend,
        "device": device or device_name(backend),
        "machine": machine(),
        "mode": run_mode or mode(),
        "date": _dt.date.today().isoformat(),
        "command": command,
        "notes": notes,
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    return path
