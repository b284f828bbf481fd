"""``nncourse set-ref REF [--index]``: pin the release that Colab installs and Binder builds.

At each release (see ``docs/releasing.md``)::

    nncourse set-ref v1.2.0 --index   # from the package index: nncourse==1.2.0
    nncourse set-ref main             # from git, at a branch or tag

It rewrites, in the course repository found from the working directory:

1. ``RELEASE_REF`` and ``RELEASE_SOURCE`` in ``nncourse/_meta.py`` (the one place they are
   written), and with ``--index`` the project's ``version`` in ``pyproject.toml`` (the
   version the tag ``vX.Y.Z`` publishes);
2. the first code cell of every ``solutions/<id>/<id>.ipynb`` to
   :func:`nncourse.release.colab.setup_cell_source` at the new ref (the repository URL is read from
   that same ``_meta.py``, so a fork keeps its own);
3. ``deploy/kubernetes/values.yaml``, whose image tag is the ref
   (``python -m nncourse.hub.kubernetes``, run afresh so that it reads the new ``_meta.py``);
4. ``course/`` with :func:`nncourse.release.generate.generate`, so the student notebooks follow.

Running it twice with the same arguments changes nothing.
"""

from __future__ import annotations

import subprocess
import sys

from nncourse import layout
from nncourse.hub.kubernetes import VALUES_FILE
from nncourse.release.colab import release_version
from nncourse.release.generate import generate
from nncourse.release.ref import (PYPROJECT_FILE, check_ref, read_meta, rewrite_meta, rewrite_setup_cells,
                                  rewrite_version)


def register(subparsers) -> None:
    """Add the ``set-ref`` sub-command."""
    parser = subparsers.add_parser(
        "set-ref", help="pin the release Colab installs and Binder builds, in _meta.py, every set-up cell and course/"
    )
    parser.add_argument("ref", metavar="REF", help="a git tag or branch, e.g. v1.2.0")
    parser.add_argument("--index", action="store_true",
                        help="Colab installs the release REF (vX.Y.Z) from the package index, not from git; "
                             "sets pyproject.toml's version to X.Y.Z")
    parser.add_argument("--no-release", action="store_true",
                        help="do not regenerate course/ (run `nncourse release` later)")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Move the pinned release everywhere it is written, then regenerate ``course/``."""
    ref = check_ref(args.ref)
    source = "index" if args.index else "git"
    version = release_version(ref) if args.index else None
    root = layout.repo_root()
    meta = root / layout.META_FILE
    old = read_meta(meta)
    if rewrite_meta(meta, ref, source):
        print(f"RELEASE_REF {old.get('RELEASE_REF')!r} -> {ref!r}, RELEASE_SOURCE {old.get('RELEASE_SOURCE')!r} "
              f"-> {source!r} in {meta.relative_to(root)}")
    if version and rewrite_version(root / PYPROJECT_FILE, version):
        print(f"version -> {version} in {PYPROJECT_FILE}")
    for path in rewrite_setup_cells(root, old["REPO_URL"], ref, source):
        print(f"set-up cell -> {ref} ({source}) in {path.relative_to(root)}")
    values = root / VALUES_FILE
    if values.is_file():
        text = subprocess.run([sys.executable, "-m", "nncourse.hub.kubernetes"], cwd=root, check=True,
                              capture_output=True, text=True).stdout
        if values.read_text(encoding="utf-8") != text:
            values.write_text(text, encoding="utf-8")
            print(f"image tag -> {ref} in {VALUES_FILE}")
    if not args.no_release:
        for notebook in generate(root=root):
            print(f"wrote {notebook.relative_to(root)}")
    return 0
