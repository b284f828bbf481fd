"""``nncourse export``: grades for an LMS (see :mod:`nncourse.export`).

Reads ``grades.csv`` from one or more grading output folders (one per assignment, as
``nncourse grade`` writes them) and writes one file for Canvas, Moodle, or a plain CSV,
joined to the LMS's class list. Exits 0 when the file was written (students who could not
be placed are printed and written to ``<stem>.unmatched.csv``), 2 on bad input.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from nncourse.scores import GRADES_FILE

MOODLE_KEYS = ("username", "idnumber", "email")


def register(subparsers) -> None:
    """Add the ``export`` sub-command."""
    from nncourse.export import FORMATS

    p = subparsers.add_parser("export", help="write grades.csv as a Canvas or Moodle import, or a plain CSV")
    p.add_argument("outs", nargs="+", metavar="OUT", help="grading output folder holding grades.csv (several: one "
                                                          "per assignment)")
    p.add_argument("--format", required=True, choices=list(FORMATS),
                   help="canvas, moodle, csv (one column per assignment) or csv-long (one row per grade)")
    p.add_argument("--output", required=True, metavar="FILE", help="the CSV to write")
    p.add_argument("--roster", metavar="FILE", help="class list CSV; for canvas, the course's gradebook export "
                                                    "(required)")
    p.add_argument("--moodle-key", choices=MOODLE_KEYS, help="moodle: the user field written to identify students "
                                                             "(default: the one students matched on)")
    p.add_argument("--match", metavar="COLUMN", help="roster column holding the student ids of grades.csv "
                                                     "(default: the one that matches most)")
    p.add_argument("--column", action="append", default=[], metavar="AID=TITLE",
                   help="column title for an assignment, e.g. 01_neuron='Neuron (12345)' (repeatable)")
    p.set_defaults(func=run_export)


def read_outputs(outs: list[str]) -> list:
    """The :class:`~nncourse.scores.GradeRow` s of every ``OUT/grades.csv``, printing which
    files were read.

    Raises
    ------
    FileNotFoundError
        When an OUT holds no ``grades.csv``.
    ValueError
        When a file is not a ``grades.csv``, holds no rows, or repeats a student's
        assignment that another file holds.
    """
    from nncourse.scores import read_grades

    rows, source = [], {}
    for out in outs:
        path = Path(out)
        path = path if path.is_file() else path / GRADES_FILE
        if not path.is_file():
            raise FileNotFoundError(f"no {GRADES_FILE} in {out}: grade first with `nncourse grade ID SUBMISSIONS "
                                    f"--out {out}`")
        try:
            found = read_grades(path)
        except (KeyError, ValueError) as exc:
            raise ValueError(f"{path} is not a grades.csv written by nncourse grade ({type(exc).__name__}: {exc})") \
                from None
        if not found:
            raise ValueError(f"{path} holds no grades")
        for row in found:
            key = (row.student, row.assignment)
            if key in source:
                raise ValueError(f"{row.student}'s {row.assignment} is in both {source[key]} and {path}: export "
                                 f"each assignment from one output folder")
            source[key] = path
        assignments = sorted({r.assignment for r in found})
        print(f"read {len(found)} grade(s) of {', '.join(assignments)} from {path}")
        rows += found
    return rows


def run_export(args) -> int:
    """Write the export and print who is missing, who is unmatched, and any warning."""
    from nncourse.export import grade_table, parse_titles

    fmt = args.format
    if args.moodle_key and fmt != "moodle":
        raise ValueError("--moodle-key applies to --format moodle only")
    if args.match and not args.roster:
        raise ValueError("--match names a roster column: give the roster with --roster")
    if fmt == "canvas" and not args.roster:
        raise ValueError("--format canvas needs --roster: the course's gradebook export (in Canvas: Grades, then "
                         "Export > Export Entire Gradebook)")
    if args.roster and Path(args.roster).resolve() == Path(args.output).resolve():
        raise ValueError(f"--output {args.output} is the roster: write the export to another file")
    titles = parse_titles(args.column)
    table = grade_table(read_outputs(args.outs))
    statuses = Counter(r.status for r in table.rows.values() if r.status != "ok")
    if statuses:
        print(f"{sum(statuses.values())} grade(s) have a status other than ok "
              f"({', '.join(f'{s}: {n}' for s, n in sorted(statuses.items()))}); their scores are exported as "
              f"grading recorded them")

    if fmt == "canvas":
        from nncourse.export import canvas

        result = canvas.export(table, canvas.read_gradebook(args.roster), args.output, match=args.match,
                               titles=titles)
    else:
        from nncourse.export.roster import read_roster

        roster = read_roster(args.roster) if args.roster else None
        if fmt == "moodle":
            from nncourse.export import moodle

            result = moodle.export(table, roster, args.output, key=args.moodle_key, match=args.match, titles=titles)
        else:
            from nncourse.export import plain

            result = plain.export(table, roster, args.output, layout="long" if fmt == "csv-long" else "wide",
                                  match=args.match, titles=titles)
    for line in result.report():
        print(line)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0
