"""Binder (repo2docker) configuration, tested without Docker or network.

- ``binder/requirements.txt`` agrees with ``pyproject.toml``'s pins, and this environment
  (which CI installs from ``pyproject.toml``) satisfies both, so they resolve together;
  a real ``pip install --dry-run`` runs only when ``NNCOURSE_ONLINE_TESTS=1``.
- ``binder/postBuild`` is valid bash, idempotent (run twice against a temporary Jupyter
  config folder, with ``nncourse`` replaced by a recording stand-in), tolerates a failed
  download, and leaves nbgrader's instructor extensions disabled, its student one
  (validate) enabled, and JupyterLab opening on ``course/``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from nncourse._meta import DISTRIBUTION
from tests.course_tools import ROOT, kernel_env, run

BINDER = ROOT / "binder"
#: nbgrader's JupyterLab plugins for instructors (and the exchange, absent on Binder).
INSTRUCTOR_LAB_PLUGINS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:menu",  # the "Nbgrader" menu: it only opens the tools above
)
INSTRUCTOR_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.assignment_list",
)
#: One worker runs the module, so postBuild runs twice, not twice per worker.
pytestmark = pytest.mark.xdist_group("binder")
STUDENT_LAB_PLUGIN = "@jupyter/nbgrader:validate-assignment"
STUDENT_SERVER_EXTENSION = "nbgrader.server_extensions.validate_assignment"


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _binder_requirements() -> tuple[list[str], list[Requirement]]:
    """``(editable/local lines, named requirements)`` of binder/requirements.txt."""
    local, named = [], []
    for line in (BINDER / "requirements.txt").read_text().splitlines():
        line = line.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-e", ".")):
            local.append(line)
        else:
            named.append(Requirement(line))
    return local, named


def _project_pins() -> dict[str, list[Requirement]]:
    """Every requirement of pyproject.toml (runtime and extras), by canonical name."""
    project = _pyproject()["project"]
    reqs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs += extra
    pins: dict[str, list[Requirement]] = {}
    for text in reqs:
        req = Requirement(text)
        pins.setdefault(canonicalize_name(req.name), []).append(req)
    return pins


def test_binder_installs_this_repository_with_its_pins():
    local, named = _binder_requirements()
    assert local == ["-e .[student]"], \
        "binder/requirements.txt installs the repository itself as a student does (nnlib, TensorFlow, JupyterLab)"
    pins = _project_pins()
    for req in named:
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not a dependency in pyproject.toml: add it there first"
        exact = [s.version for s in req.specifier if s.operator == "=="]
        for project_req in pins[name]:
            for version in exact:
                assert Version(version) in project_req.specifier, f"binder pins {req}, pyproject says {project_req}"
            for spec in project_req.specifier:
                if spec.operator == "==":
                    assert Version(spec.version) in req.specifier, f"pyproject pins {project_req}, binder says {req}"


def test_this_environment_satisfies_both_so_they_resolve_together():
    """CI installs pyproject.toml's pins; the binder requirements must hold in that same
    environment (one consistent set of versions exists)."""
    _, named = _binder_requirements()
    project = _pyproject()["project"]
    extras = project["optional-dependencies"]
    runtime = [Requirement(r) for r in project["dependencies"]]
    for extra in ("tensorflow", "lab"):  # what `.[student]` adds
        runtime += [Requirement(r) for r in extras[extra]]
    for req in [*named, *runtime]:
        if req.marker is not None and not req.marker.evaluate():
            continue
        installed = metadata.version(req.name)
        assert req.specifier.contains(installed, prereleases=True), f"{req} but {installed} is installed"


def test_runtime_python_meets_requires_python():
    text = (BINDER / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+\.\d+)", text)
    assert match, f"runtime.txt must read python-X.Y, not {text!r}"
    requires = _pyproject()["project"]["requires-python"]
    from packaging.specifiers import SpecifierSet

    assert Version(match.group(1)) in SpecifierSet(requires)


@pytest.mark.skipif(os.environ.get("NNCOURSE_ONLINE_TESTS") != "1",
                    reason="needs the package index: set NNCOURSE_ONLINE_TESTS=1")
def test_pip_resolves_binder_requirements_online(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
         "--report", str(tmp_path / "report.json"), "-r", "binder/requirements.txt"],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    names = {canonicalize_name(i["metadata"]["name"]) for i in json.loads((tmp_path / "report.json").read_text())["install"]}
    assert {DISTRIBUTION, "keras", "nbgrader"} <= names


def test_postbuild_is_valid_executable_bash():
    post = BINDER / "postBuild"
    assert post.read_text().startswith("#!/bin/bash\n")
    assert os.access(post, os.X_OK), "repo2docker runs postBuild only when it is executable"
    proc = subprocess.run(["bash", "-n", str(post)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "set -euo pipefail" in post.read_text()


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Run postBuild twice as repo2docker would (from the repository root), against a
    temporary home and Jupyter config; ``nncourse`` is a stand-in that records its
    arguments and, on the second run, fails like a download without network."""
    tmp = tmp_path_factory.mktemp("binder")
    shims = tmp / "shims"
    shims.mkdir()
    calls = tmp / "calls.txt"
    nncourse = shims / "nncourse"
    nncourse.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> "{calls}"\n'
        f'[ -e "{tmp}/offline" ] && exit 1\n'
        "exit 0\n"
    )
    nncourse.chmod(0o755)
    config = tmp / "jupyter-config"
    env = kernel_env(HOME=str(tmp / "home"), JUPYTER_CONFIG_DIR=str(config),
                     JUPYTER_DATA_DIR=str(tmp / "jupyter-data"))
    env["PATH"] = str(shims) + os.pathsep + env["PATH"]
    runs, trees = [], []
    for attempt in range(2):
        if attempt == 1:
            (tmp / "offline").touch()
        runs.append(run(["bash", str(BINDER / "postBuild")], ROOT, env, timeout=600))
        trees.append(_tree(config))
    return dict(runs=runs, trees=trees, calls=calls.read_text().splitlines(), config=config, env=env)


def test_postbuild_succeeds_twice_and_changes_nothing_the_second_time(built):
    for proc in built["runs"]:
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    first, second = built["trees"]
    assert first == second, "running postBuild again changed the Jupyter config"
    assert "labconfig/page_config.json" in first and "jupyter_server_config.json" in first


def test_postbuild_fetches_the_data_and_survives_a_failed_download(built):
    assert built["calls"] == ["fetch-data", "fetch-data"]
    assert "fall back to offline data" in built["runs"][1].stderr


def test_instructor_lab_plugins_are_disabled_and_locked(built):
    page = json.loads(built["trees"][1]["labconfig/page_config.json"])
    for plugin in INSTRUCTOR_LAB_PLUGINS:
        assert page["disabledExtensions"].get(plugin) is True, plugin
        assert page["lockedExtensions"].get(plugin) is True, plugin
    assert STUDENT_LAB_PLUGIN not in page["disabledExtensions"]
    proc = run([sys.executable, "-m", "jupyter", "labextension", "list"], ROOT, built["env"], timeout=300)
    listing = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr)
    disabled = listing.split("Disabled extensions:")[1].split("\n\n")[0].split()
    assert sorted(disabled) == sorted(INSTRUCTOR_LAB_PLUGINS), listing


def test_server_loads_no_instructor_extension_and_opens_on_course(built):
    """What a Jupyter server started with this config would load (its own logic)."""
    probe = (
        "import json\n"
        "from jupyter_server.serverapp import ServerApp\n"
        "app = ServerApp(); app.load_config_file(); app.find_server_extensions()\n"
        "print(json.dumps({'ext': app.jpserver_extensions, 'url': app.default_url,"
        " 'lab_url': app.config.LabApp.default_url}))\n"
    )
    proc = run([sys.executable, "-c", probe], ROOT, built["env"], timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    state = json.loads(proc.stdout.strip().splitlines()[-1])
    for name in INSTRUCTOR_SERVER_EXTENSIONS:
        assert state["ext"].get(name) is False, name
    assert state["ext"].get(STUDENT_SERVER_EXTENSION) is True
    assert state["ext"].get("jupyterlab") is True
    assert state["url"] == state["lab_url"] == "/lab/tree/course"
    assert (ROOT / "course").is_dir()
