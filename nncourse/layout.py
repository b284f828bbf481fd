"""The one place that knows the course's layout, its assignments and its environments.

Everything else asks this module:

- **paths**: the course root (found from the working folder), ``solutions/<id>/<id>.ipynb``
  (the instructors' source), ``course/<id>/<id>.ipynb`` (the generated student version),
  ``results/``, ``README.md``, the nbgrader state folder;
- **assignments**: their ids in teaching order, and the one check that an id is known;
- **environments**: what a *grading* kernel runs with (fast mode, offline, silent
  TensorFlow), what an nbgrader subprocess needs on its ``PATH``;
- **limits**: the per-cell and per-notebook time limits of grading and of check-all;
- **gradebook URLs**: ``sqlite:///<path>``.

Grading settings reach grading kernels only, through the kernel manager
(:class:`nncourse.grading.kernels.GradingKernelManager`) or the grading worker's process
environment; nothing here writes ``os.environ``, so a student's JupyterLab started from the
repository root never inherits them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: Assignment ids, in teaching order (DESIGN.md).
ASSIGNMENTS = (
    "01_neuron",
    "02_mlp",
    "03_backprop",
    "04_sgd",
    "05_regularization",
    "06_cnn",
    "07_transfer_learning",
)

#: Folders of the repository, relative to its root.
SOLUTIONS_DIR = "solutions"
RELEASE_DIR = "course"
RESULTS_DIR = "results"
#: The student library's package folder (what a notebook's kernel imports from the course).
NNLIB_DIR = "nnlib"
DOCS_DIR = "docs"
README = "README.md"
#: The file that names the repository URL and the release ref (``nncourse set-ref`` edits it).
META_FILE = "nncourse/_meta.py"
#: nbgrader's state (gradebook, submissions, feedback, exchange), git-ignored; the
#: variable ``NNCOURSE_STATE`` moves it.
STATE_DIR = ".nbgrader"
STATE_VARIABLE = "NNCOURSE_STATE"
#: nbgrader's course id: the exchange keeps releases and hand-ins under it, and
#: ``nbgrader fetch_assignment``/``submit`` need it.
COURSE_ID = "deep-learning-course"
#: nbgrader's exchange (releases, hand-ins, feedback), inside the state folder.
EXCHANGE_DIR = "exchange"

#: Files nbgrader must never copy or grade.
NBGRADER_IGNORE = [".ipynb_checkpoints", "*.pyc", "__pycache__", "*.py", ".*"]

#: Environment that silences TensorFlow's C++ logs and its oneDNN notice, as
#: ``nnlib.config.QUIET_ENV`` does on ``import nnlib``; a kernel gets it before anything is
#: imported. Written here, not imported from nnlib: ``nbgrader_config.py`` imports this
#: module inside a student's JupyterLab, and ``import nnlib`` would set these variables in
#: that server's environment, for every kernel it starts (``tests/tools/test_layout.py``
#: checks that the two agree).
QUIET_TF_ENV = {"TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0"}

#: Environment of every grading kernel: fast mode, no downloads, nothing on stderr
#: (nbgrader gives 0 points to a test cell that writes there), figures to files.
GRADING_KERNEL_ENV = {
    **QUIET_TF_ENV,
    "NNLIB_MODE": "fast",
    "NNLIB_OFFLINE": "1",
    "PYTHONWARNINGS": "ignore",
    "MPLBACKEND": "Agg",
    "PYTHONDONTWRITEBYTECODE": "1",
}

#: Seconds one cell may run when a notebook is graded or checked in fast mode.
CELL_TIMEOUT_S = 120
#: Seconds one cell may run in full mode (``nncourse check-all --full``: real training).
FULL_CELL_TIMEOUT_S = 1800
#: The most seconds a whole notebook may take when graded, whatever the per-cell limit.
NOTEBOOK_TIMEOUT_CAP_S = 900.0


def notebook_timeout_s(cell_timeout_s: float) -> float:
    """Seconds a whole graded notebook may run: ten cells' worth, at most
    :data:`NOTEBOOK_TIMEOUT_CAP_S`."""
    return min(NOTEBOOK_TIMEOUT_CAP_S, 10.0 * cell_timeout_s)


def repo_root(start: str | os.PathLike | None = None) -> Path:
    """The course root: the nearest folder upwards holding ``nbgrader_config.py`` and
    ``solutions/``.

    Raises
    ------
    FileNotFoundError
        When run outside a checkout of the course.
    """
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").is_file() and (folder / SOLUTIONS_DIR).is_dir():
            return folder
    raise FileNotFoundError(
        "no nbgrader_config.py with a solutions/ folder here or above: run this from the course repository"
    )


def solution_notebook(root: Path, aid: str) -> Path:
    """``<root>/solutions/<aid>/<aid>.ipynb``: the instructors' source of ``aid``."""
    return Path(root) / SOLUTIONS_DIR / aid / f"{aid}.ipynb"


def release_notebook(root: Path, aid: str) -> Path:
    """``<root>/course/<aid>/<aid>.ipynb``: the student version of ``aid``."""
    return Path(root) / RELEASE_DIR / aid / f"{aid}.ipynb"


def available_assignments(root: Path) -> list[str]:
    """Assignment ids that have a solution notebook, in teaching order (then others sorted)."""
    found = {p.parent.name for p in (Path(root) / SOLUTIONS_DIR).glob("*/*.ipynb") if p.stem == p.parent.name}
    ordered = [a for a in ASSIGNMENTS if a in found]
    return ordered + sorted(found - set(ordered))


def check_assignments(root: Path, ids: list[str]) -> list[str]:
    """Return ``ids`` if each has a solution notebook under ``root``.

    Raises
    ------
    ValueError
        Naming every unknown id.
    """
    unknown = [aid for aid in ids if not solution_notebook(root, aid).is_file()]
    if unknown:
        raise ValueError(f"unknown assignment {', '.join(map(repr, unknown))}: "
                         f"no {SOLUTIONS_DIR}/<id>/<id>.ipynb in {root}")
    return list(ids)


def results_dir(root: Path) -> Path:
    """``<root>/results``: the benchmarks' and check-all's JSON files."""
    return Path(root) / RESULTS_DIR


def state_dir(root: Path) -> Path:
    """nbgrader's state folder for plain nbgrader commands: ``$NNCOURSE_STATE`` or
    ``<root>/.nbgrader``."""
    return Path(os.environ.get(STATE_VARIABLE) or Path(root) / STATE_DIR)


def exchange_dir(root: Path) -> Path:
    """nbgrader's exchange folder for plain nbgrader commands: ``<state>/exchange``."""
    return state_dir(root) / EXCHANGE_DIR


def sqlite_url(path: str | os.PathLike) -> str:
    """The SQLAlchemy URL of an SQLite gradebook file."""
    return "sqlite:///" + str(path)


def bin_dir() -> str:
    """The folder of this Python's console scripts (``alembic``, ``nbgrader``, ``jupyter``)."""
    return os.path.dirname(sys.executable)


def nbgrader_env(extra: dict | None = None) -> dict:
    """Environment for an nbgrader subprocess: this one updated with ``extra``, then this
    Python's ``bin/`` put first on PATH (nbgrader calls ``alembic`` from there)."""
    env = dict(os.environ)
    env.update(extra or {})
    env["PATH"] = bin_dir() + os.pathsep + env.get("PATH", "")
    return env


def grading_kernel_env(base: dict | None = None) -> dict:
    """A grading kernel's environment: ``base`` (default ``os.environ``) with
    :data:`GRADING_KERNEL_ENV` over it. ``NNLIB_GRADING_MODE=full`` grades in full mode."""
    env = dict(os.environ if base is None else base)
    env.update(GRADING_KERNEL_ENV)
    env["NNLIB_MODE"] = env.get("NNLIB_GRADING_MODE", GRADING_KERNEL_ENV["NNLIB_MODE"])
    return env


def thread_env(threads: int) -> dict:
    """Environment variables that cap a kernel's compute threads (BLAS, OpenMP, TensorFlow)."""
    n = str(max(1, int(threads)))
    return {
        "OMP_NUM_THREADS": n, "OPENBLAS_NUM_THREADS": n, "MKL_NUM_THREADS": n,
        "NUMEXPR_NUM_THREADS": n, "TF_NUM_INTRAOP_THREADS": n, "TF_NUM_INTEROP_THREADS": "1",
        "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=" + n,
    }
