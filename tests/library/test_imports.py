"""Every nnlib module imports on its own, without the instructors' tools or TensorFlow.

nnlib is what students install (without nbgrader); it must never import nncourse or
nbgrader. Each check runs in a fresh Python process, so that nothing another test
imported hides a dependency.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import nnlib


def _modules() -> list[str]:
    return ["nnlib"] + sorted(m.name for m in pkgutil.walk_packages(nnlib.__path__, prefix="nnlib."))


def test_the_walk_finds_the_library():
    found = set(_modules())
    assert {"nnlib.config", "nnlib.data", "nnlib.data.download", "nnlib.figures", "nnlib.figures.axes",
            "nnlib.metrics", "nnlib.gradients"} <= found


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


@pytest.mark.parametrize("module", _modules())
def test_module_imports_without_nncourse_or_nbgrader(module):
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] in {'nncourse', 'nbgrader'})\n"
        "assert not leaked, leaked\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("module", [m for m in _modules() if m.startswith(("nnlib.figures", "nnlib.metrics"))])
def test_figures_and_metrics_import_without_tensorflow(module):
    # With tensorflow blocked, importing it raises ImportError: the figures must not need it.
    code = f"import sys; sys.modules['tensorflow'] = None; import {module}"
    result = _run(code)
    assert result.returncode == 0, result.stderr
