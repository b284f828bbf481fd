"""The repository's ``nbgrader_config.py``: grading settings reach grading kernels only.

Loading the file must leave ``os.environ`` as it was (JupyterLab's nbgrader extension loads
it in a student's server), and nbgrader's own ``Execute`` step, configured by it, must still
run each kernel in fast mode, offline and with TensorFlow silenced, whatever the
instructor's shell holds.
"""

from __future__ import annotations

import json
import os

import nbformat
import pytest

from nncourse import layout
from tests.course_tools import ROOT


def _load_config():
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()


def test_loading_the_config_writes_nothing_into_the_environment():
    before = dict(os.environ)
    config = _load_config()
    assert dict(os.environ) == before, "nbgrader_config.py changed os.environ"
    assert config.CourseDirectory.source_directory == layout.SOLUTIONS_DIR
    assert config.CourseDirectory.release_directory == layout.RELEASE_DIR
    assert config.OverwriteCells.add_missing_cells is True


@pytest.mark.slow
def test_nbgrader_execute_gives_its_kernel_the_grading_environment(tmp_path, monkeypatch):
    from nbgrader.preprocessors import Execute

    for name in (*layout.GRADING_KERNEL_ENV, "NNLIB_GRADING_MODE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NNLIB_MODE", "full")  # what a student's shell may hold
    names = sorted(layout.GRADING_KERNEL_ENV)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        f"import json, os; print(json.dumps({{n: os.environ.get(n) for n in {names!r}}}))")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    execute = Execute(config=_load_config())
    nb, _ = execute.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    seen = json.loads(nb.cells[0].outputs[0]["text"])
    assert seen == layout.GRADING_KERNEL_ENV, f"expected the grading environment {layout.GRADING_KERNEL_ENV}, got {seen}"
