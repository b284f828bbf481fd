"""``nncourse readme [--check]``: regenerate the README's tables and ``docs/results.md``.

The README's notebook table and headline results, and the full results in
``docs/results.md``, are generated from the repository (``course/``, ``results/*.json``);
see :mod:`nncourse.release.readme`. Run it after a benchmark or ``nncourse check-all``
wrote a result file. ``--check`` writes nothing and exits 1 when a generated file is
stale, or when a result file is older than the code it describes (its recorded
fingerprint, :mod:`nncourse.provenance`, no longer matches); CI and
``tests/launch/test_readme.py`` run the same check.
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
                        help="write nothing; exit 1 if README.md or docs/results.md is stale, or a result is older than its code")
    parser.set_defaults(func=run)


def _report_stale_results(root) -> list:
    """Print each result file older than the code it describes, with its command."""
    old = readme.stale_results(root)
    for result in old:
        print(f"stale result: {result.path}: {result.why} (measure it again: {result.command})")
    return old


def run(args) -> int:
    """Rewrite the stale files (or, with ``--check``, name them and return 1); either way,
    name every result that is older than its code (with ``--check``, return 1 then too)."""
    root = repo_root()
    if args.check:
        old = readme.stale(root)
        for path in old:
            print(f"stale: {path.relative_to(root)} (run: nncourse readme)")
        old_results = _report_stale_results(root)
        return 1 if old or old_results else 0
    _report_stale_results(root)
    written = readme.write(root)
    for path in written:
        print(f"wrote {path.relative_to(root)}")
    if not written:
        print("README.md and docs/results.md are up to date")
    return 0
