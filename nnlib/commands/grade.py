"""``nncourse grade`` and ``nncourse check`` (see :mod:`nnlib.grading`).

``grade`` exits 0 when the batch completed, whatever the students did (their statuses are
in ``grades.csv``), and 2 when it could not run (bad arguments, unknown assignment,
unreadable SUBMISSIONS). ``check`` exits 0 only when every visible test passes.
"""

from __future__ import annotations

import sys
from pathlib import Path


def register(subparsers) -> None:
    """Add the ``grade`` and ``check`` sub-commands."""
    p = subparsers.add_parser("grade", help="autograde a class's submissions into grades.csv and feedback")
    p.add_argument("aid", metavar="ID", help="assignment id, e.g. 01_neuron")
    p.add_argument("submissions", metavar="SUBMISSIONS", help="folder of <student>/ folders, a .zip, or flat LMS files")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (reused: regrading replaces rows)")
    p.add_argument("--student", metavar="S", help="grade only this student")
    p.add_argument("--timeout", type=int, default=60, metavar="SECONDS", help="limit per cell (default 60)")
    p.add_argument("--notebook-timeout", type=float, default=None, metavar="SECONDS",
                   help="limit per notebook (default 10 x --timeout, at most 900)")
    p.add_argument("--pattern", metavar="REGEX", help="regex with a named group 'student' for flat file names")
    p.add_argument("--show-hidden", action="store_true", help="show hidden tests in the feedback")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="submissions graded at once (default 1)")
    p.add_argument("--memory", default="2G", metavar="SIZE", help="resident memory per submission (default 2G)")
    p.set_defaults(func=run_grade)

    c = subparsers.add_parser("check", help="run a notebook's visible tests before handing it in")
    c.add_argument("aid", metavar="ID", help="assignment id, e.g. 01_neuron")
    c.add_argument("notebook", metavar="NOTEBOOK", help="your notebook file")
    c.add_argument("--timeout", type=int, default=120, metavar="SECONDS", help="limit per cell (default 120)")
    c.set_defaults(func=run_check)


def run_grade(args) -> int:
    from nnlib.grading.runner import Options, grade_class, parse_size
    from nnlib.grading.sandbox import detect
    from nnlib.release import repo_root

    if args.timeout <= 0 or args.jobs <= 0:
        raise ValueError("--timeout and --jobs must be positive")
    total = args.notebook_timeout or min(900.0, 10.0 * args.timeout)
    opts = Options(aid=args.aid, submissions=Path(args.submissions), out=Path(args.out), repo=repo_root(),
                   student=args.student, timeout=args.timeout, total_timeout=total, pattern=args.pattern,
                   show_hidden=args.show_hidden, jobs=args.jobs, memory=parse_size(args.memory), sandbox=detect())
    rows = grade_class(opts)
    failed = [r for r in rows if r.status != "ok"]
    print(f"graded {len(rows)} submission(s) of {args.aid}: {len(rows) - len(failed)} ok, {len(failed)} with "
          f"another status; see {Path(args.out) / 'grades.csv'} and {Path(args.out) / 'feedback'}/")
    return 0


def run_check(args) -> int:
    from nnlib.grading.check import run_visible_tests
    from nnlib.grading.notebooks import InvalidNotebook
    from nnlib.release import repo_root

    release = repo_root() / "course" / args.aid / f"{args.aid}.ipynb"
    if not release.is_file():
        raise ValueError(f"unknown assignment {args.aid!r}: no {release}")
    if not Path(args.notebook).is_file():
        raise FileNotFoundError(f"no such notebook: {args.notebook}")
    try:
        results = run_visible_tests(release, Path(args.notebook), timeout=args.timeout)
    except InvalidNotebook as exc:
        print(f"{args.notebook}: {exc}")
        return 1
    for r in results:
        print(f"{'PASS' if r.passed else 'FAIL'}  {r.grade_id} ({r.points:g} points){': ' + r.reason if r.reason else ''}")
    got = sum(r.points for r in results if r.passed)
    total = sum(r.points for r in results)
    print(f"visible tests: {got:g} of {total:g} points. Hidden tests run at grading time; "
          "passing these is necessary, not sufficient.")
    sys.stdout.flush()
    return 0 if all(r.passed for r in results) else 1
