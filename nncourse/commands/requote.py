"""``nncourse requote [--check] [ID ...]``: quote the reference runs' numbers again.

Rewrites every tagged number of the solutions' prose (``<!-- result FILE KEY -->``,
``<!-- published KEY -->``, ``<!-- setting MODULE.NAME -->``; see
:mod:`nncourse.release.quotes`) from its source, keeping its decimal places. Run it after
a benchmark or ``nncourse check-all --full`` wrote a result file, then read what changed
(the prose around a number may no longer hold), then ``nncourse release``. ``--check``
writes nothing and exits 1 when a number is out of date.
"""

from __future__ import annotations


def register(subparsers) -> None:
    """Add the ``requote`` sub-command."""
    p = subparsers.add_parser("requote", help="rewrite the numbers the solutions' prose quotes from results/ "
                                              "(then run nncourse release)")
    p.add_argument("ids", nargs="*", metavar="ID", help="assignments (default: all)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if a quoted number is out of date")
    p.set_defaults(func=run)


def run(args) -> int:
    """Print each number that changes; write the notebooks (unless ``--check``).

    Returns 1 with ``--check`` when a number is out of date, else 0.
    """
    import nbformat

    from nncourse import layout
    from nncourse.release.quotes import requote

    root = layout.repo_root()
    ids = layout.check_assignments(root, args.ids) if args.ids else layout.available_assignments(root)
    stale = 0
    for aid in ids:
        path = layout.solution_notebook(root, aid)
        nb = nbformat.read(path, as_version=4)
        changed = []
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "markdown":
                continue
            cell.source, changes = requote(cell.source, root)
            changed += [f"{aid} c{index}: {change}" for change in changes]
        print("\n".join(changed) if changed else f"{aid}: every quoted number is up to date")
        stale += len(changed)
        if changed and not args.check:
            nbformat.write(nb, path)
    if stale and args.check:
        print(f"{stale} quoted number(s) out of date: run nncourse requote, read the prose around them, "
              "then nncourse release")
        return 1
    if stale:
        print(f"rewrote {stale} number(s): read the prose around them, then run nncourse release")
    return 0
