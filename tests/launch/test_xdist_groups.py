"""The README's test command keeps each ``xdist_group`` on one worker.

``pyproject.toml`` runs the suite with ``-n 2 --dist loadgroup``: the crafted class is
graded once per worker that asks for it, and the tests that grade notebooks, start a
browser or build the wheel are grouped so that they run one after another instead of
beside each other. pytest 9.2 with pytest-xdist 3.8 silently drops the groups
(pytest-dev/pytest-xdist#1386): nothing fails, the suite just takes twice its time.
This test runs a small suite with the project's own options and checks where each test ran.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import tomllib

from tests.course_tools import ROOT

LOG = '''
import os

def log(name):
    with open(os.environ["WHERE_LOG"], "a") as fh:
        fh.write(f"{name} {os.environ['PYTEST_XDIST_WORKER']}\\n")
'''
# one group marked two ways (the module's pytestmark, a test's decorator), parametrized
# as the crafted class's tests are, beside tests of no group
GROUPED = '''
import pytest
from where import log
pytestmark = pytest.mark.xdist_group("together")

@pytest.mark.parametrize("case", range(6))
def test_grouped(case):
    log(f"module_mark_{case}")
'''
MIXED = '''
import pytest
from where import log

@pytest.mark.xdist_group("together")
@pytest.mark.parametrize("case", range(6))
def test_grouped(case):
    log(f"test_mark_{case}")

@pytest.mark.parametrize("case", range(12))
def test_free(case):
    log(f"free_{case}")
'''


def test_loadgroup_runs_a_group_on_one_worker(tmp_path):
    addopts = shlex.split(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
                          ["addopts"])
    assert "loadgroup" in addopts, f"the suite's options no longer ask for --dist loadgroup: {addopts}"
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "pytest.ini").write_text("[pytest]\npythonpath = .\n")
    (suite / "where.py").write_text(LOG)
    (suite / "test_module_mark.py").write_text(GROUPED)
    (suite / "test_test_mark.py").write_text(MIXED)
    log = tmp_path / "where.log"
    proc = subprocess.run([sys.executable, "-m", "pytest", *addopts, "-p", "no:randomly", "-p", "no:cacheprovider",
                           "-q", str(suite)], cwd=suite, env={"WHERE_LOG": str(log), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    where = dict(line.split() for line in log.read_text().splitlines())
    assert len(where) == 24, f"expected 24 tests to run, {len(where)} did: {where}"
    grouped = {worker for name, worker in where.items() if not name.startswith("free_")}
    assert len(grouped) == 1, (f"the tests of one xdist_group ran on workers {sorted(grouped)}, expected one: "
                               "--dist loadgroup is not grouping (pytest-dev/pytest-xdist#1386; see pyproject.toml)")
