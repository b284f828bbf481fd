"""The result files: one JSON file per benchmark in ``results/``, and the figures a
notebook records while check-all runs it.

Every result file records what was measured and where: the machine, the Keras backend,
the data source, the mode and the date, with the command that reproduces it. The
benchmarks (``python -m benchmarks.NAME``) and ``nncourse check-all`` write them through
:func:`write_result`; ``nncourse readme`` turns them into the README's headline table and
``docs/results.md`` (:mod:`nncourse.release.readme`); nothing in either is typed by hand.

The folder is :func:`nncourse.layout.results_dir` of the course root found from the
working folder, resolved when a file is written: ``nncourse`` may be installed anywhere,
not only as an editable checkout.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
from pathlib import Path

#: Where :func:`write_result` writes when no ``folder`` is given; ``None`` (the default)
#: means ``results_dir(repo_root())`` at the moment of writing. Tests set it to a
#: temporary folder.
RESULTS: Path | None = None


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


def results_folder(folder: str | os.PathLike | None = None) -> Path:
    """The folder result files go to: ``folder``, else :data:`RESULTS`, else
    ``results/`` of the course root found from the working folder.

    Raises
    ------
    FileNotFoundError
        When no folder is given and the working folder is not inside the course.
    """
    if folder is not None:
        return Path(folder)
    if RESULTS is not None:
        return Path(RESULTS)
    from nncourse.layout import repo_root, results_dir

    return results_dir(repo_root())


def write_result(name: str, title: str, metrics: dict, data_source: str, *, targets: dict | None = None,
                 command: str = "", notes: str = "", device: str | None = None,
                 backend: str | None = None, run_mode: str | None = None,
                 owed: list[dict] | None = None, folder: str | os.PathLike | None = None,
                 code=(), imported: bool = True, earlier: dict | None = None) -> Path:
    """Write ``results/<name>.json`` and return its path.

    Parameters
    ----------
    name : str
        File stem, e.g. ``"lenet5_mnist"``.
    title : str
        What was measured, in a few words (the heading in ``docs/results.md``).
    metrics : dict of str to float
        What was measured (accuracy as a fraction, times in seconds).
    data_source : str
        The data actually used (``Dataset.source`` of nnlib's loaders).
    targets : dict of str to str, optional
        The target each metric is held to: ``"<op> <number>"`` or ``"<op> <other metric>"``
        with ``<op>`` one of ``>= > <= < ==``, e.g. ``{"test_accuracy": ">= 0.97"}``.
    command : str
        The command that reproduces the file, e.g. ``python -m benchmarks.lenet5``.
    notes : str
        Anything a reader needs to know about the measurement.
    device : str, optional
        Defaults to the Keras backend's device name.
    backend, run_mode : str, optional
        The Keras backend and the mode (fast or full) the measurement ran on, when it ran
        in other processes (``check-all``); default: this process's.
    owed : list of dict, optional
        The figures that could not be measured here, each ``{"figure": "full-MNIST
        test_accuracy", "target": ">= 0.990", "needs": "network", "command": "..."}``:
        the README lists them as owed (:mod:`nncourse.release.readme`).
    folder : path, optional
        Where to write; default :func:`results_folder`.
    code : iterable of path, optional
        Files or folders (relative to the course root) that the run executed besides the
        modules this process imported: the notebooks ``check-all`` ran in kernels, the
        packages a benchmark's worker processes import.
    imported : bool
        Whether the course's modules imported by this process count as code the run
        executed (a benchmark: yes; ``check-all``, whose notebooks run elsewhere: no).
    earlier : dict, optional
        The fingerprint recorded with figures this file keeps from an earlier run: kept
        as recorded (not recomputed), so that those figures go stale when their code changes.

    Notes
    -----
    The file records the fingerprint of that code (:mod:`nncourse.provenance`) under
    ``"code"``; ``nncourse readme --check`` fails once any of it has changed.
    """
    from nnlib.config import device_name, mode

    if backend is None:  # check-all names it: its parent process need not import Keras
        import keras

        backend = keras.backend.backend()
    from nncourse.layout import repo_root
    from nncourse.provenance import CODE_KEY, fingerprint, imported_modules

    try:
        root = repo_root()
    except FileNotFoundError:  # run from outside the course: the checkout nncourse belongs to
        root = repo_root(Path(__file__).parent)
    ran = [*(imported_modules(root) if imported else []), *code]
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
    if owed:
        record["owed"] = list(owed)
    record[CODE_KEY] = {**(earlier or {}), **fingerprint(root, ran)}
    out = results_folder(folder)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    return path


def read_result_files(folder: str | os.PathLike) -> list[dict]:
    """Every ``*.json`` result file of ``folder``, sorted by file name (``[]`` if none)."""
    return [json.loads(path.read_text()) for path in sorted(Path(folder).glob("*.json"))]


def read_records(path: str | os.PathLike) -> dict:
    """The figures a notebook recorded with :func:`nnlib.record` in the JSON-lines file
    ``path``: ``name -> value``, the last value of a name winning; ``{}`` if the file is
    missing."""
    if not os.path.exists(path):
        return {}
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                item = json.loads(line)
                out[item["name"]] = item["value"]
    return out
