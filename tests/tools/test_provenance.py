"""Result files record the code they ran, and ``nncourse readme --check`` fails once that
code changes (:mod:`nncourse.provenance`), on a course tree built in a temporary folder,
and on the repository itself: no quoted or tabulated result is older than its code."""

from __future__ import annotations

import json
import shutil
import sys

import nbformat
import pytest

from nncourse import provenance, results
from nncourse.cli import main as nncourse
from nncourse.release import readme
from tests.course_tools import ROOT

MODULE = '''"""A benchmark."""

SEEDS = (0, 1, 2)


def accuracy(x):
    """Fraction right."""
    return x / 10  # the score
'''


def _course(tmp_path):
    """A minimal course tree: config, a solution notebook, a module, a results folder."""
    root = tmp_path / "course"
    (root / "solutions" / "01_neuron").mkdir(parents=True)
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    (root / "bench.py").write_text(MODULE)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title"),
                                         nbformat.v4.new_code_cell("%matplotlib inline\nx = 1  # one")])
    nbformat.write(nb, root / "solutions" / "01_neuron" / "01_neuron.ipynb")
    (root / "results").mkdir()
    return root


def test_a_docstring_or_comment_keeps_the_hash_and_code_changes_it(tmp_path):
    root = _course(tmp_path)
    path = root / "bench.py"
    before = provenance.file_hash(path)
    path.write_text(MODULE.replace('"""Fraction right."""', '"""The fraction of right answers."""')
                    .replace("# the score", "# reworded"))
    assert provenance.file_hash(path) == before
    path.write_text(MODULE.replace("x / 10", "x / 100"))
    assert provenance.file_hash(path) != before


def test_a_notebook_hash_is_its_code_cells_only(tmp_path):
    root = _course(tmp_path)
    path = root / "solutions" / "01_neuron" / "01_neuron.ipynb"
    before = provenance.file_hash(path)
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = "# Another title, more prose"
    nb.cells[1].source = "%matplotlib widget\nx = 1  # another comment"
    nbformat.write(nb, path)
    assert provenance.file_hash(path) == before
    nb.cells[1].source = "x = 2"
    nbformat.write(nb, path)
    assert provenance.file_hash(path) != before


def test_write_result_fingerprints_the_imported_course_modules_and_what_it_is_told(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(results, "RESULTS", tmp_path)
    import references.cnn  # noqa: F401  (a course module this "benchmark" uses)

    path = results.write_result("x", "t", {"a": 1}, "src", device="CPU", backend="jax", run_mode="fast",
                                code=["solutions/01_neuron/01_neuron.ipynb"])
    code = json.loads(path.read_text())["code"]
    assert "references/cnn.py" in code and "solutions/01_neuron/01_neuron.ipynb" in code, sorted(code)
    assert "nncourse/results.py" not in code, "the writer is not what was measured"
    assert code["references/cnn.py"] == provenance.file_hash(ROOT / "references" / "cnn.py")
    path = results.write_result("y", "t", {"a": 1}, "src", device="CPU", backend="jax", run_mode="fast",
                                code=["nnlib"], imported=False)
    code = json.loads(path.read_text())["code"]
    assert "references/cnn.py" not in code and "nnlib/config.py" in code, sorted(code)
    assert not any("__pycache__" in p for p in code)


def test_earlier_figures_keep_their_recorded_fingerprint(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(results, "RESULTS", tmp_path)
    earlier = {"references/cnn.py": "0" * 16}  # figures measured with other code
    path = results.write_result("z", "t", {"a": 1}, "src", device="CPU", backend="jax", run_mode="fast",
                                code=["nnlib/config.py"], imported=False, earlier=earlier)
    record = json.loads(path.read_text())
    assert record["code"]["references/cnn.py"] == "0" * 16
    assert provenance.staleness(ROOT, record) == "the code it ran has changed since: references/cnn.py"


def _result(root, name, code):
    record = {"name": name, "title": name, "metrics": {"a": 1.0}, "targets": {}, "data_source": "d",
              "backend": "jax", "device": "CPU", "machine": "m", "mode": "fast", "date": "2026-12-03",
              "command": f"python -m benchmarks.{name}", "notes": ""}
    if code is not None:
        record["code"] = code
    (root / "results" / f"{name}.json").write_text(json.dumps(record))


def test_stale_results_name_each_file_and_why(tmp_path):
    root = _course(tmp_path)
    fresh = provenance.fingerprint(root, ["bench.py", "solutions/01_neuron/01_neuron.ipynb"])
    _result(root, "fresh", fresh)
    _result(root, "unfingerprinted", None)
    _result(root, "edited", fresh)
    _result(root, "gone", {"old.py": "0" * 16})
    assert {r.path for r in readme.stale_results(root)} == {
        "results/unfingerprinted.json", "results/gone.json"}
    (root / "bench.py").write_text(MODULE.replace("x / 10", "x / 100"))
    why = {r.path: r.why for r in readme.stale_results(root)}
    assert set(why) == {"results/fresh.json", "results/edited.json", "results/unfingerprinted.json",
                        "results/gone.json"}
    assert why["results/edited.json"] == "the code it ran has changed since: bench.py"
    assert why["results/unfingerprinted.json"] == "records no fingerprint of the code it ran"
    assert why["results/gone.json"] == "the code it ran has changed since: old.py"


def test_readme_check_fails_on_a_result_older_than_its_code(tmp_path, monkeypatch, capsys):
    """The command CI runs, on a copy of the repository's generated files and results in
    which one benchmark's code then changes."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("README.md", "nbgrader_config.py"):
        shutil.copy(ROOT / name, root / name)
    for folder in ("results", "docs", "course", "solutions", "nnlib", "references", "benchmarks", "nncourse"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(root)
    assert nncourse(["readme", "--check"]) == (1 if readme.stale(ROOT) or readme.stale_results(ROOT) else 0)
    if readme.stale_results(ROOT):
        pytest.skip("the repository's own results are stale: test_results_are_not_older_than_their_code says which")
    record = json.loads((root / "results" / "lenet5_mnist.json").read_text())
    changed = next(p for p in record["code"] if p.startswith("benchmarks/"))
    with open(root / changed, "a") as fh:
        fh.write("\nEPOCHS_CHANGED_AFTER_THE_RUN = 1\n")
    capsys.readouterr()
    assert nncourse(["readme", "--check"]) == 1
    out = capsys.readouterr().out
    assert f"stale result: results/lenet5_mnist.json: the code it ran has changed since: {changed}" in out, out


def test_results_are_not_older_than_their_code():
    """Every quoted or tabulated figure was measured by the code as it is now."""
    stale = readme.stale_results(ROOT)
    assert not stale, "results older than their code (measure each again with its command):\n" + "\n".join(
        f"{r.path}: {r.why} (measure it again: {r.command})" for r in stale)


def test_imported_modules_include_a_benchmark_run_as_main(monkeypatch):
    fake = type(sys)("__main__")
    fake.__file__ = str(ROOT / "benchmarks" / "lenet5.py")
    monkeypatch.setitem(sys.modules, "__main__", fake)
    assert any(p.as_posix() == "benchmarks/lenet5.py" for p in provenance.imported_modules(ROOT))
