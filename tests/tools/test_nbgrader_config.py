"""The repository's ``nbgrader_config.py``: grading settings reach grading kernels only,
and plain nbgrader works in a fresh clone.

Loading the file must leave ``os.environ`` as it was (JupyterLab's nbgrader extension loads
it in a student's server), and nbgrader's own ``Execute`` step, configured by it, must still
run each kernel in fast mode, offline and with TensorFlow silenced, whatever the
instructor's shell holds. Loading it creates the state folder and a course-local exchange
(the formgrader's Release and Collect need one), and sets up feedback as ``nncourse
grade`` renders it: hidden tests out, formulas as MathML. ``tests/grading/
test_plain_nbgrader.py`` runs the commands themselves.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import pytest

from nncourse import layout
from tests.course_tools import ROOT


def _load_config():
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()


@pytest.fixture
def state(tmp_path, monkeypatch):
    """A state folder that does not exist yet, where ``NNCOURSE_STATE`` points."""
    folder = tmp_path / "state"
    monkeypatch.setenv(layout.STATE_VARIABLE, str(folder))
    return folder


def test_loading_the_config_writes_nothing_into_the_environment(state):
    before = dict(os.environ)
    config = _load_config()
    assert dict(os.environ) == before, "nbgrader_config.py changed os.environ"
    assert config.CourseDirectory.source_directory == layout.SOLUTIONS_DIR
    assert config.CourseDirectory.release_directory == layout.RELEASE_DIR
    assert config.OverwriteCells.add_missing_cells is True


def test_loading_the_config_in_a_new_python_imports_no_nnlib_and_sets_no_variable(state):
    # a new process: what the file imports for the first time is what a JupyterLab server gets
    code = ("import os, sys\nbefore = dict(os.environ)\n"
            "from traitlets.config.loader import PyFileConfigLoader\n"
            f"PyFileConfigLoader('nbgrader_config.py', path={str(ROOT)!r}).load_config()\n"
            "print(dict(os.environ) == before, 'nnlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False"], "loading nbgrader_config.py set a variable or imported nnlib"


def test_loading_the_config_creates_the_state_folder_and_a_course_exchange(state):
    config = _load_config()
    assert state.is_dir(), "nbgrader cannot open a gradebook in a folder that does not exist"
    assert config.CourseDirectory.db_url == layout.sqlite_url(state / "gradebook.db")
    assert config.Exchange.root == str(state / layout.EXCHANGE_DIR)
    assert (state / layout.EXCHANGE_DIR).is_dir()
    assert config.CourseDirectory.course_id == layout.COURSE_ID


def test_the_formgrader_finds_a_working_exchange(state):
    from nbgrader.apps import NbGraderAPI

    api = NbGraderAPI(config=_load_config())
    assert api.exchange_root == str(state / layout.EXCHANGE_DIR)
    assert not api.exchange_missing, "the formgrader would switch Release and Collect off"


def test_feedback_keeps_nbgraders_preprocessors_and_adds_the_courses(state):
    from nbgrader.converters import GenerateFeedback

    from nncourse.grading.task.feedback import FeedbackHTMLExporter, HideHiddenTests
    from nncourse.grading.task.mathml import OfflineMath

    config = _load_config()
    defaults = GenerateFeedback.class_traits()["preprocessors"].default()
    assert config.GenerateFeedback.preprocessors == [*defaults, HideHiddenTests, OfflineMath]
    assert config.GenerateFeedback.exporter_class is FeedbackHTMLExporter
    assert config.OfflineMath.enabled is True, "nbconvert would register OfflineMath disabled"


def test_a_python_without_the_course_package_is_told_what_to_do(monkeypatch, state):
    monkeypatch.setitem(sys.modules, "nncourse.grading.task.feedback", None)  # as if not installed
    with pytest.raises(ImportError, match="course's own package"):
        _load_config()


@pytest.mark.slow
def test_nbgrader_execute_gives_its_kernel_the_grading_environment(tmp_path, monkeypatch, state):
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
