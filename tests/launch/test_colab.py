"""Colab: every notebook's set-up cell run as if on Colab, GPU metadata, ``nncourse set-ref``.

- The set-up cell (first code cell) of every solution and student notebook runs with a
  stand-in ``google.colab`` module in ``sys.modules`` and ``subprocess.run`` recorded: it
  must make exactly one pip call that installs this package from ``REPO_URL@RELEASE_REF``
  with ``--no-deps`` and never names (so never upgrades) TensorFlow, Keras or NumPy.
  Then the notebook's next code cell (``import nnlib`` first) runs in a fresh Python
  that has the stand-in Colab module too.
- Outside Colab the cell installs nothing.
- On Colab or not, the cell says in one printed line, and only then, when the runtime's
  Keras is older than the ``keras>=X.Y`` of the installed distribution's own requirements (the
  one place the minimum lives).
- ``constraints/colab.txt``, Colab's stack (``.ci/colab_stack.sh`` runs the course on it),
  says where and when it was read, names Colab's Python and pins what the notebooks need;
  Colab's Keras is not older than the course's minimum.
- Notebooks that train convolutional networks ask Colab for a GPU runtime.
- ``nncourse set-ref`` on a temporary copy of the repository.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import types

import nbformat
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

from nncourse import layout
from nncourse._meta import DISTRIBUTION, RELEASE_REF, RELEASE_SOURCE, REPO_URL
from nncourse.release.colab import release_version, setup_cell_source
from nncourse.hub.kubernetes import VALUES_FILE
from nncourse.release.ref import PYPROJECT_FILE
from tests.course_tools import COURSE, ROOT, assignments, kernel_env, run, solution_path

IDS = assignments()
NOTEBOOKS = [solution_path(a) for a in IDS] + [COURSE / a / f"{a}.ipynb" for a in IDS]
#: Assignments that train CNNs and so ask Colab for a GPU runtime (checked when present).
GPU_NOTEBOOKS = ("06_cnn", "07_transfer_learning")
NEVER_INSTALLED = ("tensorflow", "keras", "numpy", "tf-keras", "jax")


def _code_cells(path):
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def _run_setup_cell(source: str, monkeypatch, on_colab: bool, pip_exit: int = 0,
                    pip_says: str = "") -> list[list[str]]:
    """Execute ``source`` and return the argument lists it passed to subprocess.run (which
    answers with ``pip_exit`` and prints ``pip_says`` on stderr, where the cell lets it)."""
    calls: list[list[str]] = []

    def fake_run(args, *a, **kw):
        calls.append([str(x) for x in args])
        if not kw.get("capture_output"):
            sys.stderr.write(pip_says)
        return subprocess.CompletedProcess(args, pip_exit, "", pip_says)

    monkeypatch.setattr(subprocess, "run", fake_run)
    if on_colab:
        # `google` is a namespace package (protobuf lives there): add `colab` to it only
        try:
            import google
        except ImportError:
            google = types.ModuleType("google")
            google.__path__ = []
            monkeypatch.setitem(sys.modules, "google", google)
        colab = types.ModuleType("google.colab")
        monkeypatch.setattr(google, "colab", colab, raising=False)
        monkeypatch.setitem(sys.modules, "google.colab", colab)
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(compile(source, "<set-up cell>", "exec"), {"__name__": "__main__"})
    return calls


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_setup_cell_installs_the_course_at_the_pinned_release_without_touching_colab_packages(path, monkeypatch):
    source = _code_cells(path)[0]
    assert source == setup_cell_source(), "run `nncourse set-ref REF` to rewrite the set-up cells"
    calls = _run_setup_cell(source, monkeypatch, on_colab=True)
    assert len(calls) == 1, calls
    args = calls[0]
    assert args[:4] == [sys.executable, "-m", "pip", "install"]
    assert "--no-deps" in args, "Colab's own packages must not be upgraded as dependencies"
    assert not {"-U", "--upgrade", "--force-reinstall", "-r"} & set(args)
    packages = [Requirement(a) for a in args[4:] if not a.startswith("-")]
    course_req = next(r for r in packages if r.name == DISTRIBUTION)
    if RELEASE_SOURCE == "git":
        assert course_req.url == f"git+{REPO_URL}@{RELEASE_REF}", course_req
    else:
        assert str(course_req.specifier) == f"=={release_version(RELEASE_REF)}", course_req
    named = {r.name.lower() for r in packages}
    assert not named & set(NEVER_INSTALLED), f"the set-up cell names {named & set(NEVER_INSTALLED)}"
    others = [a for a in args[4:] if not a.startswith("-") and Requirement(a).name != DISTRIBUTION]
    assert not any(w in " ".join(others).lower() for w in ("tensorflow", "keras", "numpy")), others


def test_setup_cell_keeps_pip_quiet_unless_it_fails(monkeypatch, capsys):
    """On Colab the set-up cell prints nothing of pip's (its warnings would be lines a
    student reads before the backend line); a failed install raises with pip's words."""
    warning = "WARNING: Running pip as the 'root' user can result in broken permissions\n"
    _run_setup_cell(setup_cell_source(), monkeypatch, on_colab=True, pip_says=warning)
    printed = capsys.readouterr()
    assert printed.out == "" and printed.err == "", f"the set-up cell printed {printed}"
    with pytest.raises(RuntimeError, match="ERROR: No matching distribution"):
        _run_setup_cell(setup_cell_source(), monkeypatch, on_colab=True, pip_exit=1,
                        pip_says="ERROR: No matching distribution found for nncourse\n")


@pytest.mark.parametrize("aid", IDS)
def test_setup_cell_installs_nothing_outside_colab(aid, monkeypatch):
    assert _run_setup_cell(_code_cells(solution_path(aid))[0], monkeypatch, on_colab=False) == []


def _keras_floor() -> Version:
    """The ``keras>=X.Y`` of the installed distribution's requirements."""
    keras = next(Requirement(r) for r in importlib.metadata.requires(DISTRIBUTION) if Requirement(r).name == "keras")
    return Version(next(s.version for s in keras.specifier if s.operator == ">="))


def _older(floor: Version) -> str:
    major, minor, *_ = (*floor.release, 0)
    return f"{major}.{minor - 1}.9" if minor else f"{major - 1}.99.0"


def _with_keras_version(monkeypatch, fake: str):
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: fake if name == "keras" else real(name))


@pytest.mark.parametrize("on_colab", [True, False], ids=["colab", "elsewhere"])
def test_setup_cell_says_in_one_line_when_keras_is_older_than_the_course_needs(on_colab, monkeypatch, capsys):
    source, floor, installed = setup_cell_source(), _keras_floor(), importlib.metadata.version("keras")
    for fake in (_older(floor), "3.0.0rc1" if floor > Version("3.0.0") else "2.15.0"):
        _with_keras_version(monkeypatch, fake)
        _run_setup_cell(source, monkeypatch, on_colab)
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == 1, lines
        assert f"Keras {fake}" in lines[0] and f">= {floor}" in lines[0], lines[0]
        assert f'pip install -U "keras>={floor}"' in lines[0] and "restart" in lines[0].lower(), lines[0]
    for fake in (str(floor), f"{floor.major}.{floor.minor}.1", installed, "4.0.0.dev2026"):
        _with_keras_version(monkeypatch, fake)
        _run_setup_cell(source, monkeypatch, on_colab)
        assert capsys.readouterr().out == "", fake


def test_setup_cell_reads_the_minimum_from_the_distributions_requirements(monkeypatch, capsys):
    """No number in the cell: moving the floor in pyproject.toml moves the message."""
    source = setup_cell_source()
    real = importlib.metadata.requires
    for reqs, fake, said in ([["numpy>=1.26", "keras<4,>=3.11"], "3.10.0", ">= 3.11"],
                             [["keras-hub>=9.0", "keras>=3.7,<4; python_version >= '3'"], "3.6.2", ">= 3.7"],
                             [["keras-hub>=9.0", "keras<4"], "3.0.0", None]):
        monkeypatch.setattr(importlib.metadata, "requires", lambda name: reqs if name == DISTRIBUTION else real(name))
        _with_keras_version(monkeypatch, fake)
        _run_setup_cell(source, monkeypatch, on_colab=False)
        out = capsys.readouterr().out
        assert (said in out and len(out.splitlines()) == 1) if said else out == "", (reqs, out)


# ---------------------------------------------------------------- Colab's stack

CONSTRAINTS = ROOT / "constraints" / "colab.txt"


def test_colab_constraints_name_their_source_python_and_what_the_notebooks_need():
    text = CONSTRAINTS.read_text()
    assert "github.com/googlecolab/backend-info" in text and "update_colab.py" in text
    assert re.search(r"^# Read on \d{4}-\d\d-\d\d .* at commit [0-9a-f]{12} \(committed \d{4}-\d\d-\d\d\)", text, re.M)
    assert re.search(r"^# python: 3\.\d+\.\d+$", text, re.M), "the line .ci/colab_stack.sh reads"
    pins = dict(re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$", text, re.M))
    for name in ("tensorflow", "keras", "numpy", "matplotlib", "scikit-learn", "scipy", "threadpoolctl", "pandas",
                 "mlxtend", "jax", "ipykernel", "jupyter_client", "nbclient", "nbformat"):
        assert name in pins, f"{name} is not pinned in {CONSTRAINTS.name}"
    assert not [line for line in text.splitlines() if line and not line.startswith("#") and "==" not in line]
    assert Version(pins["keras"]) >= _keras_floor(), "Colab's Keras is older than the course's minimum"


def test_the_colab_ci_step_installs_only_pinned_packages():
    """.ci/colab_stack.sh installs its `packages` with the constraints: each must be pinned
    there, or pip would take the newest release instead of Colab's."""
    script = (ROOT / ".ci" / "colab_stack.sh").read_text()
    packages = re.search(r'^packages="([^"]+)"$', script, re.M)[1].split()
    assert {"tensorflow", "keras", "ipykernel", "nbclient"} <= set(packages)
    normal = lambda name: re.sub(r"[-_.]+", "-", name).lower()  # noqa: E731
    pinned = {normal(n) for n in re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", CONSTRAINTS.read_text(), re.M)}
    assert not {normal(p) for p in packages + ["mlxtend"]} - pinned


def test_notebooks_then_import_nnlib_on_colab():
    """In a fresh Python with a stand-in google.colab: set-up cell (pip recorded, not run),
    then the notebook's imports cell, which must start with ``import nnlib``."""
    script = [
        "import subprocess, sys, types",
        "try:\n    import google\nexcept ImportError:\n"
        "    google = sys.modules['google'] = types.ModuleType('google'); google.__path__ = []",
        "google.colab = sys.modules['google.colab'] = types.ModuleType('google.colab')",
        "real_run, pip_calls = subprocess.run, []",
        "def recorded_run(args, *a, **k):",
        "    if list(args)[1:4] == ['-m', 'pip', 'install']:",
        "        pip_calls.append(args); return subprocess.CompletedProcess(args, 0)",
        "    return real_run(args, *a, **k)",
        "subprocess.run = recorded_run",
    ]
    for aid in IDS:
        cells = _code_cells(solution_path(aid))
        first = ast.parse(cells[1]).body[0]
        assert isinstance(first, ast.Import) and first.names[0].name == "nnlib", \
            f"{aid}: the cell after the set-up cell must start with `import nnlib`"
        for source in cells[:2]:
            script.append(f"exec(compile({source!r}, {aid!r}, 'exec'), globals())")
        script.append(f"assert len(pip_calls) == 1 and 'nnlib' in sys.modules and 'keras' in sys.modules, {aid!r}")
        script.append(f"pip_calls.clear(); print('ok', {aid!r})")
    proc = run([sys.executable, "-c", "\n".join(script)], cwd=ROOT, env=kernel_env(), timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert proc.stdout.split().count("ok") == len(IDS)


@pytest.mark.parametrize("aid", [a for a in GPU_NOTEBOOKS if a in IDS] or
                         [pytest.param("06_cnn", marks=pytest.mark.skip(reason="no CNN notebook yet"))])
def test_cnn_notebooks_ask_colab_for_a_gpu(aid):
    for path in (solution_path(aid), COURSE / aid / f"{aid}.ipynb"):
        meta = nbformat.read(path, as_version=4).metadata
        assert meta.get("accelerator") == "GPU", f"{path}: metadata.accelerator must be 'GPU'"
        assert meta.get("colab", {}).get("gpuType"), f"{path}: metadata.colab.gpuType is missing"


# ---------------------------------------------------------------- nncourse set-ref

def _digest(paths) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory):
    """The files set-ref reads and writes, copied; the real ones are hashed to prove they
    stay untouched."""
    dest = tmp_path_factory.mktemp("repo") / "course-repo"
    for name in ("nncourse", "solutions", "course"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    for name in ("nbgrader_config.py", PYPROJECT_FILE, VALUES_FILE):
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, dest / name)
    return dest


def _set_ref(repo, *args):
    """The installed ``nncourse set-ref``, run in the copy (which it finds from its folder)."""
    env = kernel_env(NNCOURSE_STATE=str(repo / ".nbgrader"))
    return run([os.path.join(layout.bin_dir(), "nncourse"), "set-ref", *args], cwd=repo, env=env, timeout=600)


def test_set_ref_moves_the_ref_everywhere_and_leaves_the_real_repo_alone(repo_copy):
    real = _digest([ROOT / layout.META_FILE, ROOT / VALUES_FILE, *NOTEBOOKS])
    proc = _set_ref(repo_copy, "v9.8.7")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _digest([ROOT / layout.META_FILE, ROOT / VALUES_FILE, *NOTEBOOKS]) == real
    # Zero to JupyterHub's values name the image built at the new ref
    values = yaml.safe_load((repo_copy / VALUES_FILE).read_text())
    assert values["singleuser"]["image"]["tag"] == "v9.8.7", f"image tag: {values['singleuser']['image']}"

    from nncourse.release.ref import read_meta

    assert read_meta(repo_copy / layout.META_FILE) == {"REPO_URL": REPO_URL, "RELEASE_REF": "v9.8.7",
                                                        "RELEASE_SOURCE": "git"}
    expected = setup_cell_source(REPO_URL, "v9.8.7")
    for aid in IDS:
        for folder in ("solutions", "course"):
            assert _code_cells(repo_copy / folder / aid / f"{aid}.ipynb")[0] == expected, (folder, aid)
    # the rest of each solution notebook is unchanged
    for aid in IDS:
        old, new = (nbformat.read(p, as_version=4) for p in (solution_path(aid), repo_copy / "solutions" / aid / f"{aid}.ipynb"))
        assert [c.source for c in old.cells][2:] == [c.source for c in new.cells][2:]
        assert old.metadata == new.metadata

    # a second run with the same ref changes nothing
    before = _digest(sorted((repo_copy / "solutions").rglob("*.ipynb")) + [repo_copy / layout.META_FILE, repo_copy / VALUES_FILE])
    again = _set_ref(repo_copy, "v9.8.7", "--no-release")
    assert again.returncode == 0 and again.stdout == "", again.stdout + again.stderr
    assert _digest(sorted((repo_copy / "solutions").rglob("*.ipynb")) + [repo_copy / layout.META_FILE, repo_copy / VALUES_FILE]) == before


def test_set_ref_index_pins_the_release_from_the_package_index_and_its_version(repo_copy):
    """``--index``: the set-up cells install ``nncourse==X.Y.Z`` from the package index, and
    pyproject.toml's version is X.Y.Z; back to a branch, git again, the version kept."""
    from nncourse.release.ref import read_meta

    real = _digest([ROOT / layout.META_FILE, ROOT / PYPROJECT_FILE, *NOTEBOOKS])
    proc = _set_ref(repo_copy, "v9.8.7", "--index", "--no-release")  # course/ follows as above
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _digest([ROOT / layout.META_FILE, ROOT / PYPROJECT_FILE, *NOTEBOOKS]) == real
    assert read_meta(repo_copy / layout.META_FILE)["RELEASE_SOURCE"] == "index"
    project = (repo_copy / PYPROJECT_FILE).read_text()
    assert re.search(r'^version = "9\.8\.7"$', project, re.M), "pyproject.toml's version should be 9.8.7"
    for aid in IDS:
        cell = _code_cells(repo_copy / "solutions" / aid / f"{aid}.ipynb")[0]
        assert cell == setup_cell_source(REPO_URL, "v9.8.7", "index"), aid
        assert f'"{DISTRIBUTION}==9.8.7"' in cell and "git+" not in cell, (aid, cell[:600])
    proc = _set_ref(repo_copy, "main", "--no-release")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert read_meta(repo_copy / layout.META_FILE)["RELEASE_SOURCE"] == "git"
    assert re.search(r'^version = "9\.8\.7"$', (repo_copy / PYPROJECT_FILE).read_text(), re.M)
    assert f"{DISTRIBUTION} @ git+{REPO_URL}@main" in _code_cells(repo_copy / "solutions" / IDS[0] / f"{IDS[0]}.ipynb")[0]


def test_set_ref_index_refuses_a_ref_that_is_not_a_release_tag(repo_copy):
    proc = _set_ref(repo_copy, "main", "--index")
    assert proc.returncode == 2 and "is not a release tag" in proc.stderr, proc.stdout + proc.stderr


@pytest.mark.parametrize("bad", ["", "v1 2", 'v1"', "-rf", "a..b", "v1/", "main."])
def test_set_ref_rejects_what_is_not_a_ref(bad):
    from nncourse.release.ref import check_ref

    with pytest.raises(ValueError):
        check_ref(bad)


def test_set_ref_cli_reports_a_bad_ref(repo_copy):
    proc = _set_ref(repo_copy, "--", "not a ref")
    assert proc.returncode == 2 and "not a git ref name" in proc.stderr


@pytest.mark.parametrize("good", ["main", "v1.2.0", "release/2026-fall", "v1.0.0-rc1"])
def test_set_ref_accepts_tags_and_branches(good):
    from nncourse.release.ref import check_ref

    assert check_ref(good) == good
