"""The notebooks' set-up cell: on Colab it installs nnlib at the pinned release ref.

Every solution notebook starts with exactly :func:`setup_cell_source` as its first code
cell (a test checks it, and ``nncourse set-ref`` rewrites it). On Colab the package is
installed with ``--no-deps``: Colab's TensorFlow, Keras and NumPy are never upgraded or
downgraded, and the few extras nnlib needs that Colab may lack are installed without
their dependencies too.
"""

from __future__ import annotations

from nncourse._meta import RELEASE_REF, REPO_URL

#: Packages nnlib needs on Colab beyond what Colab ships (installed with --no-deps).
COLAB_EXTRAS = ("mlxtend",)


def install_spec(repo_url: str = REPO_URL, ref: str = RELEASE_REF) -> str:
    """The pip requirement that installs nnlib from the course repository at ``ref``."""
    return f"nnlib @ git+{repo_url}@{ref}"


def setup_cell_source(repo_url: str = REPO_URL, ref: str = RELEASE_REF) -> str:
    """Source of the first code cell of every notebook."""
    packages = ", ".join(f'"{p}"' for p in (install_spec(repo_url, ref), *COLAB_EXTRAS))
    return (
        "# Set-up: on Colab, install the course's helper library nnlib (Colab's own\n"
        "# TensorFlow, Keras and NumPy are left as they are). Elsewhere it is installed already.\n"
        "import subprocess, sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        '    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",\n'
        f"                    {packages}], check=True)"
    )
