"""``nncourse grade``: autograde a class (see :mod:`nncourse.grading`).

Exits 0 when the batch completed, whatever the students did (their statuses are in
``grades.csv``), and 2 when it could not run (bad arguments, unknown assignment,
unreadable SUBMISSIONS).
"""

from __future__ import annotations

from pathlib import Path

from nncourse import layout


def register(subparsers) -> None:
    """Add the ``grade`` sub-command."""
    p = subparsers.add_parser("grade", help="autograde a class's submissions into grades.csv and feedback")
    p.add_argument("aid", metavar="ID", help="assignment id, e.g. 01_neuron")
    p.add_argument("submissions", metavar="SUBMISSIONS", help="folder of <student>/ folders, a .zip, or flat LMS files")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (reused: regrading replaces rows)")
    p.add_argument("--student", metavar="S", help="grade only this student")
    p.add_argument("--timeout", type=int, default=layout.CELL_TIMEOUT_S, metavar="SECONDS",
                   help=f"limit per cell (default {layout.CELL_TIMEOUT_S})")
    p.add_argument("--notebook-timeout", type=float, default=None, metavar="SECONDS",
                   help=f"limit per notebook (default 10 x --timeout, at most {layout.NOTEBOOK_TIMEOUT_CAP_S:g})")
    p.add_argument("--pattern", metavar="REGEX", help="regex with a named group 'student' for flat file names")
    p.add_argument("--show-hidden", action="store_true", help="show hidden tests in the feedback")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="submissions graded at once (default 1)")
    p.add_argument("--memory", default="2G", metavar="SIZE", help="resident memory per submission (default 2G)")
    p.set_defaults(func=run_grade)


def run_grade(args) -> int:
    """Grade the class and print one summary line."""
    from nncourse.grading.runner import Options, grade_class, parse_size
    from nncourse.grading.sandbox import detect

    if args.timeout <= 0 or args.jobs <= 0:
        raise ValueError("--timeout and --jobs must be positive")
    total = args.notebook_timeout or layout.notebook_timeout_s(args.timeout)
    opts = Options(aid=args.aid, submissions=Path(args.submissions), out=Path(args.out), repo=layout.repo_root(),
                   student=args.student, timeout=args.timeout, total_timeout=total, pattern=args.pattern,
                   show_hidden=args.show_hidden, jobs=args.jobs, memory=parse_size(args.memory), sandbox=detect())
    rows = grade_class(opts)
    failed = [r for r in rows if r.status != "ok"]
    print(f"graded {len(rows)} submission(s) of {args.aid}: {len(rows) - len(failed)} ok, {len(failed)} with "
          f"another status; see {Path(args.out) / 'grades.csv'} and {Path(args.out) / 'feedback'}/")
    return 0
