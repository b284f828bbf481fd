"""``nncourse check-all`` and nnlib.record: notebooks run, failures are found, figures reach results."""

import json
import sys

import nbformat
import pytest

from nncourse.notebook_run import NotebookRun, run_notebook, summarise
from nncourse.results import read_records
from nnlib.record import record
from tests.course_tools import ROOT, kernel_env, run


def test_record_is_silent_without_a_target(monkeypatch, tmp_path):
    monkeypatch.delenv("NNLIB_RECORD", raising=False)
    record("x", 1.0)
    assert not list(tmp_path.iterdir())


def test_record_appends_and_converts_numpy(monkeypatch, tmp_path):
    import numpy as np

    target = tmp_path / "figures.jsonl"
    monkeypatch.setenv("NNLIB_RECORD", str(target))
    record("accuracy", np.float32(0.5))
    record("accuracy", 0.75)
    record("source", "mlxtend")
    assert read_records(str(target)) == {"accuracy": 0.75, "source": "mlxtend"}


def test_summarise_keeps_numbers_only():
    runs = [NotebookRun("01_neuron", 3.14159, 7, 8, ["ex-01-x"], {"acc": 0.912345, "device": "CPU"})]
    assert summarise(runs) == {
        "01_neuron seconds": 3.1, "01_neuron tests passed": 7, "01_neuron tests total": 8, "01_neuron acc": 0.9123,
    }


def _tiny_notebook(folder, test_source):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import nnlib\nnnlib.record('answer', 42)"),
        nbformat.v4.new_code_cell(test_source),
    ]
    nb.cells[1].metadata["nbgrader"] = {"grade": True, "grade_id": "ex-tiny", "points": 1, "solution": False,
                                        "locked": True, "schema_version": 3}
    folder.mkdir()
    path = folder / f"{folder.name}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("source, ok", [("assert 1 + 1 == 2", True), ("assert 1 + 1 == 3", False)])
def test_run_notebook_counts_passing_and_failing_tests(tmp_path, source, ok):
    result = run_notebook(_tiny_notebook(tmp_path / "tiny", source), env={"NNLIB_MODE": "fast"}, cell_timeout=120)
    assert result.ok is ok and result.tests_total == 1
    assert result.figures == {"answer": 42}
    assert result.failures == ([] if ok else ["ex-tiny"])


@pytest.mark.notebook
def test_check_all_runs_the_first_notebook(tmp_path):
    proc = run([sys.executable, "-m", "nncourse.cli", "check-all", "01_neuron", "--no-write"], cwd=ROOT, env=kernel_env())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok   01_neuron" in proc.stdout and "tests 8/8" in proc.stdout


def test_results_record_the_backend_and_mode_the_notebooks_ran_on(monkeypatch, tmp_path):
    # check-all runs the notebooks in other processes: the file must say what they ran on,
    # not what the process writing it happens to have imported
    import nncourse.results as common

    monkeypatch.setattr(common, "RESULTS", tmp_path)
    monkeypatch.setenv("NNLIB_MODE", "full")
    record = json.loads(common.write_result("x", "t", {"a": 1}, "src", device="CPU", backend="jax", run_mode="fast").read_text())
    assert (record["backend"], record["mode"]) == ("jax", "fast")
