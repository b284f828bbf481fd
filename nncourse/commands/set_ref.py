"""``nncourse set-ref REF``: pin the git ref that Colab installs nnlib from.

At each release (see ``docs/releasing.md``)::

    nncourse set-ref v1.2.0      # _meta.RELEASE_REF, every set-up cell, course/
    git commit -am "Release v1.2.0" && git tag v1.2.0

It rewrites, in the course repository found from the working directory:

1. ``RELEASE_REF = "..."`` in ``nncourse/_meta.py`` (the one place the ref is written);
2. the first code cell of every ``solutions/<id>/<id>.ipynb`` to
   :func:`nncourse.release.colab.setup_cell_source` at the new ref (the repository URL is read from
   that same ``_meta.py``, so a fork keeps its own);
3. ``course/`` with :func:`nncourse.release.generate.generate`, so the student notebooks follow.

Running it twice with the same ref changes nothing.
"""

from __future__ import annotations

from nncourse import layout
from nncourse.release.generate import generate
from nncourse.release.ref import check_ref, read_meta, rewrite_meta, rewrite_setup_cells


def register(subparsers) -> None:
    """Add the ``set-ref`` sub-command."""
    parser = subparsers.add_parser(
        "set-ref", help="pin the git ref Colab installs nnlib from, in _meta.py, every set-up cell and course/"
    )
    parser.add_argument("ref", metavar="REF", help="a git tag or branch, e.g. v1.2.0")
    parser.add_argument("--no-release", action="store_true",
                        help="do not regenerate course/ (run `nncourse release` later)")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Move the pinned ref everywhere it is written, then regenerate ``course/``."""
    ref = check_ref(args.ref)
    root = layout.repo_root()
    meta = root / layout.META_FILE
    old = read_meta(meta)
    if rewrite_meta(meta, ref):
        print(f"RELEASE_REF {old.get('RELEASE_REF')!r} -> {ref!r} in {meta.relative_to(root)}")
    for path in rewrite_setup_cells(root, old["REPO_URL"], ref):
        print(f"set-up cell -> {ref} in {path.relative_to(root)}")
    if not args.no_release:
        for notebook in generate(root=root):
            print(f"wrote {notebook.relative_to(root)}")
    return 0
