"""One place for each fact: :mod:`nncourse.layout` alone knows the repository's paths, the
assignment ids, the gradebook URL and the grading environment; nothing edits the import
path.

These tests read the repository's own files (tracked and new ones alike) and name the
file and line of every offence.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nncourse import layout
from tests.course_tools import ROOT

THIS = Path(__file__).resolve()


def _project_files(*suffixes: str) -> list[Path]:
    """The repository's files (tracked or not ignored) with one of ``suffixes``."""
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    return [ROOT / name for name in out if name.endswith(suffixes) and (ROOT / name).is_file()]


def _offences(pattern: str, files, allowed=()) -> list[str]:
    regex = re.compile(pattern)
    found = []
    for path in files:
        if path.resolve() == THIS or path.relative_to(ROOT).as_posix() in allowed:
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if regex.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_nothing_edits_the_import_path():
    code = _project_files(".py", ".toml", ".cfg", ".sh", "run", "postBuild")
    found = _offences(r"sys\.path\.(insert|append|extend)|PYTHONPATH|\.pth\b|syspath_prepend", code)
    # prose and notebooks may name these, never tell a reader to set them
    prose = _project_files(".md", ".txt", ".ipynb", ".json")
    found += _offences(r"PYTHONPATH=|sys\.path\.(insert|append|extend)", prose)
    assert not found, "the import path is edited here (install the packages; run benchmarks as " \
                      "`python -m benchmarks.NAME`; tests import references/ through pytest's " \
                      "pythonpath):\n" + "\n".join(found)


@pytest.mark.parametrize("pattern, what", [
    (r"sqlite:///", "the gradebook URL (layout.sqlite_url)"),
    (r"""f?["']unknown assignment""", "the unknown-assignment check (layout.check_assignments)"),
    (r"""["']solutions["']|solutions/\{""", "the solutions folder (layout.solution_notebook)"),
    (r"""["']NNLIB_OFFLINE["']\s*:\s*["']1|NNLIB_OFFLINE=["']1""", "the grading environment (layout.GRADING_KERNEL_ENV)"),
])
def test_layout_alone_spells(pattern, what):
    files = [p for p in _project_files(".py") if p.relative_to(ROOT).parts[0] in ("nncourse", "nnlib")]
    found = _offences(pattern, files, allowed=("nncourse/layout.py",))
    assert not found, f"{what} is spelled outside nncourse/layout.py:\n" + "\n".join(found)


def test_check_assignments_names_every_unknown_id():
    with pytest.raises(ValueError, match="'99_a', '98_b'"):
        layout.check_assignments(ROOT, ["01_neuron", "99_a", "98_b"])
    assert layout.check_assignments(ROOT, ["01_neuron"]) == ["01_neuron"]


def test_grading_kernel_env_overrides_the_shell_and_honours_grading_mode():
    env = layout.grading_kernel_env({"NNLIB_MODE": "full", "HOME": "/h"})
    assert env["NNLIB_MODE"] == "fast" and env["NNLIB_OFFLINE"] == "1" and env["HOME"] == "/h"
    assert layout.grading_kernel_env({"NNLIB_GRADING_MODE": "full"})["NNLIB_MODE"] == "full"


def test_notebook_timeout_is_ten_cells_capped():
    assert layout.notebook_timeout_s(30) == 300
    assert layout.notebook_timeout_s(layout.FULL_CELL_TIMEOUT_S) == layout.NOTEBOOK_TIMEOUT_CAP_S


def test_nbgrader_finds_alembic_whatever_the_environment_given(monkeypatch):
    # nbgrader runs `alembic` from PATH: this venv's bin/ must come first even when the
    # extra environment carries a PATH of its own (a copy of the shell's)
    monkeypatch.setenv("PATH", "/usr/bin")
    env = layout.nbgrader_env(layout.grading_kernel_env())
    assert env["PATH"].split(os.pathsep)[0] == layout.bin_dir()
    assert env["NNLIB_MODE"] == "fast"


def test_quiet_environment_agrees_with_nnlibs_and_layout_imports_no_nnlib():
    from nnlib.config import QUIET_ENV

    assert layout.QUIET_TF_ENV == QUIET_ENV
    code = "import sys, nncourse.layout; print('nnlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False", "nncourse.layout (loaded by nbgrader_config.py in a student's server) imported nnlib"
