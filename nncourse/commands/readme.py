"""``nncourse readme [--check]``: regenerate the README's tables and ``docs/results.md``.

The README's notebook table and headline results, and the full results in
``docs/results.md``, are generated from the repository (``course/``, ``results/*.json``);
see :mod:`nncourse.release.readme`. Run it after a benchmark or ``nncourse check-all``
wrote a result file. ``--check`` writes nothing and exits 1 when a generated file is
stale (CI and ``tests/launch/test_readme.py`` run the same check).
"""

from __future__ import annotations

from nncourse.layout import repo_root
from nncourse.release import readme


def register(subparsers) -> None:
    """Add the ``readme`` sub-command."""
    parser = subparsers.add_parser(
        "readme", help="regenerate README.md's tables and docs/results.md from course/ and results/"
    )
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if README.md or docs/results.md is stale")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Rewrite the stale files (or, with ``--check``, name them and return 1)."""
    root = repo_root()
    if args.check:
        old = readme.stale(root)
        for path in old:
            print(f"stale: {path.relative_to(root)} (run: nncourse readme)")
        return 1 if old else 0
    written = readme.write(root)
    for path in written:
        print(f"wrote {path.relative_to(root)}")
    if not written:
        print("README.md and docs/results.md are up to date")
    return 0
