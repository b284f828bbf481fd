"""Rewrite ``constraints/colab.txt`` from Colab's published runtime, when Colab moves.

Google publishes the package list of Colab's current runtime in the public repository
https://github.com/googlecolab/backend-info (``pip-freeze.txt``: ``pip freeze`` of the CPU
runtime; ``os-info.txt``: the Ubuntu and Python versions). With a clone of it::

    git clone https://github.com/googlecolab/backend-info /tmp/backend-info
    python constraints/update_colab.py /tmp/backend-info
    .ci/colab_stack.sh          # the course on the new stack (rebuilds .venv-colab)

The constraints file keeps every ``name==version`` line of Colab's freeze, so that every
package ``.ci/colab_stack.sh`` installs, dependencies included, has Colab's version; the
lines Colab installs from a URL or a local file (PyTorch's CPU builds, google-colab, ...)
cannot be constraints and are left out. Its header says where and when the versions were
read, Colab's Python version (``# python: X.Y.Z``, which ``.ci/colab_stack.sh`` reads) and
the versions that matter most to the course. Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

SOURCE = "https://github.com/googlecolab/backend-info"
OUT = Path(__file__).resolve().parent / "colab.txt"
#: Shown in the header: what the notebooks and their execution use most.
KEY_PACKAGES = ("tensorflow", "keras", "numpy", "matplotlib", "scikit-learn", "scipy", "jax",
                "mlxtend", "ipykernel", "ipython", "jupyter_client", "nbclient", "nbformat")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)$")


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def render(freeze: str, os_info: str, commit: str, committed: str, today: str) -> str:
    """The constraints file's text from Colab's ``pip-freeze.txt`` and ``os-info.txt``."""
    python = re.search(r"^Python (\d+\.\d+\.\d+)", os_info, re.M)
    if not python:
        raise ValueError("os-info.txt names no Python version")
    pins = {}
    for line in freeze.splitlines():
        match = PIN.match(line.strip())
        if match:
            pins[match[1]] = match[2]
    normal = {re.sub(r"[-_.]+", "-", k).lower(): f"{k} {v}" for k, v in pins.items()}
    keys = ", ".join(normal.get(re.sub(r"[-_.]+", "-", k).lower(), f"{k} (absent)") for k in KEY_PACKAGES)
    header = [
        "# Colab's current runtime (CPU), as pip constraints: `pip install -c constraints/colab.txt ...`.",
        f"# Read on {today} from {SOURCE} at commit {commit[:12]} (committed {committed}):",
        "# pip-freeze.txt for the packages, os-info.txt for Python. Colab may run a day or two ahead.",
        "# Update when Colab moves: python constraints/update_colab.py PATH_TO_A_CLONE_OF_backend-info",
        "# (see that script), then run .ci/colab_stack.sh. Used by .ci/colab_stack.sh; do not edit by hand.",
        f"# python: {python[1]}",
        f"# Main versions: {keys}.",
    ]
    return "\n".join(header + [f"{k}=={v}" for k, v in sorted(pins.items(), key=lambda kv: kv[0].lower())]) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clone", type=Path, help="a git clone of googlecolab/backend-info")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    commit = _git(args.clone, "rev-parse", "HEAD").strip()
    committed = _git(args.clone, "log", "-1", "--format=%cd", "--date=short").strip()
    text = render(_git(args.clone, "show", "HEAD:pip-freeze.txt"), _git(args.clone, "show", "HEAD:os-info.txt"),
                  commit, committed, dt.date.today().isoformat())
    args.out.write_text(text)
    print(f"wrote {args.out} from {SOURCE} at {commit[:12]} ({committed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
