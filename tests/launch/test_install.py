"""The distribution as pip installs it (not editable): both packages, their data, the
``nncourse`` command working from a folder outside the repository.

The wheel is built from this checkout and installed with ``--no-deps`` into a fresh venv,
as Colab's set-up cell installs it (its own TensorFlow, Keras and NumPy are left alone):
the command's help must need nothing but the standard library, and every command that
needs the repository must say so plainly when run elsewhere.
"""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from nncourse._meta import DISTRIBUTION
from tests.course_tools import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("install")]

#: The commands whose help the issue names, and every other registered one.
COMMANDS = ("check-all", "release", "grade", "check", "set-ref", "fetch-data", "readme")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """``(wheel, bin folder of a fresh venv holding only that wheel)``."""
    tmp = tmp_path_factory.mktemp("install")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "-w", str(tmp / "dist"), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    wheel = next((tmp / "dist").glob(f"{DISTRIBUTION}-*.whl"))
    venv.EnvBuilder(with_pip=True).create(tmp / "venv")
    bin_dir = tmp / "venv" / "bin"
    proc = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                           str(wheel)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return wheel, bin_dir


def test_wheel_holds_both_packages_and_the_weights_and_nothing_else(installed):
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"nnlib", "nncourse"}, f"expected the packages nnlib and nncourse only, got {sorted(tops)}"
    assert "nnlib/weights/digits04_cnn.keras" in names, "the pretrained digits CNN must ship with nnlib"
    assert "nncourse/layout.py" in names and "nncourse/grading/task/worker.py" in names


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_runs_from_outside_the_repository(installed, tmp_path, command):
    _, bin_dir = installed
    args = [str(bin_dir / "nncourse"), *([command] if command else []), "--help"]
    proc = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"{' '.join(args[1:])} exited {proc.returncode}: {proc.stderr[-2000:]}"
    assert "usage: nncourse" in proc.stdout, proc.stdout


def test_installed_packages_are_the_venvs_own(installed, tmp_path):
    _, bin_dir = installed
    code = "import nncourse, nncourse.layout; print(nncourse.__file__)"
    proc = subprocess.run([str(bin_dir / "python"), "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert Path(proc.stdout.strip()).is_relative_to(bin_dir.parent), \
        f"nncourse came from {proc.stdout.strip()}, not from the fresh venv {bin_dir.parent}"


def test_a_command_that_needs_the_repository_says_so_outside_it(installed, tmp_path):
    _, bin_dir = installed
    proc = subprocess.run([str(bin_dir / "nncourse"), "release"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "run this from the course repository" in proc.stderr, proc.stderr
