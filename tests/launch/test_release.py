"""The distribution as the package index will hold it: its own name, a wheel and an sdist
that ``twine check --strict`` accepts, and the Colab set-up cell of a release installing
that wheel by name and version.

``nnlib`` on the package index is an unrelated library (a NumPy-only one, there since
2018): a student who typed ``pip install nnlib`` would get it. The distribution is called
:data:`nncourse._meta.DISTRIBUTION`; the import packages stay ``nnlib`` and ``nncourse``.
The sdist and the wheel are built as ``docs/releasing.md`` builds them (``python -m build``,
the wheel from the sdist, so a file the sdist lacks is missing from the wheel too), without
build isolation (offline: the venv's setuptools).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import venv
import zipfile
from email.parser import Parser

import pytest
from packaging.requirements import Requirement

from nncourse._meta import DISTRIBUTION
from nncourse.release.colab import setup_cell_source
from nncourse.release.ref import PYPROJECT_FILE
from tests.course_tools import ROOT

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("install")]

PROJECT = tomllib.loads((ROOT / PYPROJECT_FILE).read_text())["project"]
#: Where users read install commands: a squatted name there sends them to another library.
USER_FACING = ["README.md", "docs/*.md", "binder/*", "course/*/*.ipynb", "solutions/*/*.ipynb"]


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """The folder that ``python -m build`` wrote the sdist and the wheel to."""
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out


def _one(dist, pattern):
    found = sorted(dist.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {dist}, found {[p.name for p in found]}"
    return found[0]


def test_the_distribution_has_a_name_of_its_own():
    assert PROJECT["name"] == DISTRIBUTION, \
        f"pyproject.toml names the distribution {PROJECT['name']!r}, nncourse/_meta.py {DISTRIBUTION!r}"
    assert DISTRIBUTION.lower() != "nnlib", "nnlib on the package index is another library"
    said = [f"{path.relative_to(ROOT)}" for pattern in USER_FACING for path in ROOT.glob(pattern)
            if path.is_file() and re.search(r"pip3? install[^\n`\"']*\bnnlib\b(?![./\w-])", path.read_text())]
    assert not said, f"these files tell users to `pip install nnlib`, another library: {said}"


def test_twine_accepts_the_wheel_and_the_sdist(dist):
    files = [_one(dist, f"{DISTRIBUTION}-*.tar.gz"), _one(dist, f"{DISTRIBUTION}-*.whl")]
    proc = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert proc.stdout.count("PASSED") == 2, proc.stdout


def test_the_wheel_says_its_name_version_and_readme(dist):
    wheel = _one(dist, f"{DISTRIBUTION}-{PROJECT['version']}-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as zf:
        meta_name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(zf.read(meta_name).decode())
        names = zf.namelist()
    assert (meta["Name"], meta["Version"]) == (DISTRIBUTION, PROJECT["version"])
    assert meta["Description-Content-Type"].startswith("text/markdown")
    assert meta.get_payload().startswith("# "), "the README is the long description"
    assert "nnlib/weights/digits04_cnn.keras" in names, "the wheel built from the sdist lacks nnlib's weights"


def test_the_sdist_holds_the_packages_and_the_license(dist):
    sdist = _one(dist, f"{DISTRIBUTION}-{PROJECT['version']}.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    for expected in ("pyproject.toml", "README.md", "LICENSE", "nnlib/__init__.py", "nncourse/cli.py",
                     "nnlib/weights/digits04_cnn.keras"):
        assert expected in names, f"the sdist lacks {expected}"


def test_a_release_set_up_cell_installs_this_wheel_by_name_and_version(dist, tmp_path):
    """The set-up cell of release ``vX.Y.Z`` from the package index (``nncourse set-ref
    vX.Y.Z --index``) asks pip for ``nncourse==X.Y.Z``: given an index that holds this
    wheel (a folder, offline), that requirement installs it into a fresh venv."""
    version = PROJECT["version"]
    cell = setup_cell_source(ref=f"v{version}", source="index")
    quoted = re.findall(r'"([^"\s,]+)"', cell[cell.index("--no-deps"):cell.index("capture_output")])
    wanted = [arg for arg in quoted if Requirement(arg).name == DISTRIBUTION]
    assert wanted == [f"{DISTRIBUTION}=={version}"], f"the set-up cell asks pip for {quoted}"
    venv.EnvBuilder(with_pip=True).create(tmp_path / "venv")
    python = tmp_path / "venv" / "bin" / "python"
    proc = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                           "--find-links", str(dist), *wanted], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    code = ("import importlib.metadata as m, importlib.util as u; "
            "print(m.version('%s'), bool(u.find_spec('nnlib')), bool(u.find_spec('nncourse')))" % DISTRIBUTION)
    proc = subprocess.run([str(python), "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.stdout.split() == [version, "True", "True"], proc.stdout + proc.stderr
