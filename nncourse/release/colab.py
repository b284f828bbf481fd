"""The notebooks' set-up cell: on Colab it installs the course's distribution (nnlib and
nncourse) at the pinned release, from git or from the package index.

Every solution notebook starts with exactly :func:`setup_cell_source` as its first code
cell (a test checks it, and ``nncourse set-ref`` rewrites it). On Colab the package is
installed with ``--no-deps``: Colab's TensorFlow, Keras and NumPy are never upgraded or
downgraded, and the few extras nnlib needs that Colab may lack are installed without
their dependencies too.

pip's own output is kept from the notebook unless the install fails (then it is the
error's message): the set-up and import cells print one line, the backend line.

Then, everywhere, the cell compares the runtime's Keras with the oldest one the course
supports and, if it is older, says so in one line with what to do, before any later cell
fails in a stranger way (a Colab runtime pinned to an old version, another hosted
notebook service). The minimum is not written in the cell: it is read from the installed
distribution's own requirement (``keras>=X.Y`` in ``pyproject.toml``'s ``dependencies``, the one
place it lives), with the standard library only, and Keras is not imported (that would
load TensorFlow before ``import nnlib`` quiets it).
"""

from __future__ import annotations

import re

from nncourse._meta import DISTRIBUTION, RELEASE_REF, RELEASE_SOURCE, REPO_URL

#: Packages nnlib needs on Colab beyond what Colab ships (installed with --no-deps).
COLAB_EXTRAS = ("mlxtend",)
#: Where the set-up cell may install from (:data:`nncourse._meta.RELEASE_SOURCE`).
SOURCES = ("git", "index")
#: A release tag: ``v`` and the version it publishes (``v1.2.0``, ``v1.3.0rc1``).
_RELEASE_TAG = re.compile(r"^v(\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?)$")


def release_version(ref: str) -> str:
    """The version a release tag publishes: ``"v1.2.0"`` -> ``"1.2.0"``; ValueError for a
    ref that is not a release tag (a branch, a tag of another shape)."""
    match = _RELEASE_TAG.match(ref)
    if not match:
        raise ValueError(f"{ref!r} is not a release tag (vX.Y.Z): the package index has only releases")
    return match[1]


def install_spec(repo_url: str = REPO_URL, ref: str = RELEASE_REF, source: str = RELEASE_SOURCE) -> str:
    """The pip requirement that installs the course's distribution at ``ref``: from the
    repository (``source="git"``), or the release ``ref`` names from the package index
    (``source="index"``)."""
    if source == "git":
        return f"{DISTRIBUTION} @ git+{repo_url}@{ref}"
    if source == "index":
        return f"{DISTRIBUTION}=={release_version(ref)}"
    raise ValueError(f"source must be one of {SOURCES}, not {source!r}")


def setup_cell_source(repo_url: str = REPO_URL, ref: str = RELEASE_REF, source: str = RELEASE_SOURCE) -> str:
    """Source of the first code cell of every notebook."""
    packages = ", ".join(f'"{p}"' for p in (install_spec(repo_url, ref, source), *COLAB_EXTRAS))
    return (
        f"# Set-up: on Colab, install the course's helper library nnlib (the package {DISTRIBUTION}); Colab's\n"
        "# own TensorFlow, Keras and NumPy are left as they are. Elsewhere it is installed already.\n"
        "import importlib, re, subprocess, sys\n"
        "from importlib.metadata import requires, version\n"
        "\n"
        'if "google.colab" in sys.modules:  # pip says nothing unless it fails\n'
        '    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",\n'
        f"                          {packages}],\n"
        "                         capture_output=True, text=True)\n"
        "    if pip.returncode:\n"
        f'        raise RuntimeError(f"pip could not install {DISTRIBUTION}:\\n{{pip.stdout[-2000:]}}{{pip.stderr[-2000:]}}")\n'
        "    importlib.invalidate_caches()\n"
        "\n"
        f"# The oldest Keras the course supports is {DISTRIBUTION}'s requirement `keras>=X.Y`: say at once if this one is older.\n"
        f'oldest = re.search(r"^keras *[<>=!~,.\\d ]*?>= *([\\d.]+)", "\\n".join(requires("{DISTRIBUTION}") or []), re.M)\n'
        'keras_version = version("keras")\n'
        'if oldest and [int(n) for n in re.findall(r"\\d+", keras_version)[:3]] < [int(n) for n in oldest[1].split(".")]:\n'
        '    print(f"Keras {keras_version} is older than this course needs (Keras >= {oldest[1]}): run "\n'
        '          f\'%pip install -U "keras>={oldest[1]}" in a cell, then restart the session (on Colab: Runtime > Restart session).\')'
    )
