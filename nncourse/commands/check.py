"""``nncourse check ID NOTEBOOK``: a student runs a notebook's visible tests before handing
it in (see :mod:`nncourse.grading.client.check`). Exit 0 only when every visible test passes."""

from __future__ import annotations

import sys
from pathlib import Path

from nncourse import layout


def register(subparsers) -> None:
    """Add the ``check`` sub-command."""
    c = subparsers.add_parser("check", help="run a notebook's visible tests before handing it in")
    c.add_argument("aid", metavar="ID", help="assignment id, e.g. 01_neuron")
    c.add_argument("notebook", metavar="NOTEBOOK", help="your notebook file")
    c.add_argument("--timeout", type=int, default=layout.CELL_TIMEOUT_S, metavar="SECONDS",
                   help=f"limit per cell (default {layout.CELL_TIMEOUT_S})")
    c.set_defaults(func=run)


def run(args) -> int:
    """Run the visible tests of ``args.notebook`` and print one line per test."""
    from nncourse.grading.client.check import run_visible_tests
    from nncourse.grading.task.notebooks import InvalidNotebook
    from nncourse.grading.status import describe_points, points_text

    root = layout.repo_root()
    layout.check_assignments(root, [args.aid])
    release = layout.release_notebook(root, args.aid)
    if not Path(args.notebook).is_file():
        raise FileNotFoundError(f"no such notebook: {args.notebook}")
    try:
        results = run_visible_tests(release, Path(args.notebook), timeout=args.timeout)
    except InvalidNotebook as exc:
        print(f"{args.notebook}: {exc}")
        return 1
    for r in results:
        print(f"{'PASS' if r.passed else 'FAIL'}  {r.grade_id} ({points_text(r.points)})"
              f"{': ' + r.reason if r.reason else ''}")
    got = sum(r.points for r in results if r.passed)
    total = sum(r.points for r in results)
    print(f"visible tests: {describe_points(got, total)}. Hidden tests run at grading time; "
          "passing these is necessary, not sufficient.")
    sys.stdout.flush()
    return 0 if all(r.passed for r in results) else 1
