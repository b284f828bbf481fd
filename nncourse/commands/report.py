"""``nncourse report OUT``: a class report for instructors (see :mod:`nncourse.report`).

Reads ``OUT/grades.csv`` and ``OUT/scores.csv``, as ``nncourse grade`` writes them, and
writes one self-contained HTML page (``OUT/report/index.html`` unless ``--output`` says
otherwise) with the score histogram, the pass rate of each exercise, the statuses and the
slowest submissions of each assignment, and a table of every student's row; the same
figures go next to it as ``<assignment>-<figure>.png``. Exits 0 when the page was written,
2 when ``OUT`` holds no ``grades.csv`` or a file that is not one.
"""

from __future__ import annotations

import sys
from pathlib import Path

from nncourse.scores import GRADES_FILE, SCORES_FILE


def register(subparsers) -> None:
    """Add the ``report`` sub-command."""
    p = subparsers.add_parser("report", help="write an offline HTML class report with figures from a grading output "
                                             "folder")
    p.add_argument("out", metavar="OUT", help=f"grading output folder holding {GRADES_FILE} and {SCORES_FILE} "
                                              f"(as `nncourse grade --out OUT` writes them)")
    p.add_argument("--output", metavar="PATH", help="the HTML page to write (default: OUT/report/index.html); the "
                                                    "figures are written next to it as <assignment>-<figure>.png")
    p.set_defaults(func=run_report)


def run_report(args) -> int:
    """Write the report and print what was written.

    Raises
    ------
    FileNotFoundError
        When ``OUT`` holds no ``grades.csv`` (the command line turns it into exit code 2).
    ValueError
        When a CSV is not one that ``nncourse grade`` writes, or holds no grades.
    """
    from nncourse.report import write_report

    out = Path(args.out)
    if not (out / SCORES_FILE).is_file() and (out / GRADES_FILE).is_file():
        print(f"warning: no {SCORES_FILE} in {out}: the report has no pass rate per exercise", file=sys.stderr)
    page, *pngs = write_report(out, Path(args.output) if args.output else None)
    print(f"wrote {page} and {len(pngs)} figure(s) next to it")
    return 0
