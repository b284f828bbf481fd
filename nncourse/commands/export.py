"""``nncourse export``: grades for an LMS (see :mod:`nncourse.export`).

Reads ``grades.csv`` from one or more grading output folders (one per assignment, as
``nncourse grade`` writes them) and writes one file for Canvas, Moodle, or a plain CSV,
joined to the LMS's class list. Exits

- 0 when the file was written with every grade (students who could not be placed are
  printed and written to ``<stem>.unmatched.csv``);
- 1 when it was written but rows whose status is not ``ok`` were left out of it (each is
  listed on stderr; ``--failed-as-zero`` writes them as 0 instead), or rows whose written
  answers are not all graded by hand yet (each listed; ``--partial`` writes the points
  given so far instead);
- 2 when nothing was written: bad input, or an export that would lose or change a grade
  (colliding student ids, a Moodle grade outside its item's range, no roster for Moodle).
"""

from __future__ import annotations

import sys
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
    p.add_argument("--assignment", action="append", default=[], metavar="AID",
                   help="export only this assignment of the grades.csv read (repeatable)")
    p.add_argument("--map", metavar="FILE", help="CSV of lines 'submission id, LMS user': who each submission is, "
                                                 "e.g. for two ids that differ only by case, spaces or accents")
    p.add_argument("--failed-as-zero", action="store_true",
                   help="write rows whose status is not ok as 0 (default: leave them out, so the LMS keeps what it "
                        "holds, and exit 1)")
    p.add_argument("--partial", action="store_true",
                   help="write rows whose written answers are not all graded by hand yet, with the points given so "
                        "far (default: leave them out, so the LMS keeps what it holds, and exit 1)")
    p.add_argument("--max", action="append", default=[], metavar="[AID=]N",
                   help="moodle: the grade item's maximum grade, for every assignment or one (repeatable); default: "
                        "the roster's row of maximum points")
    p.add_argument("--scale-to", action="append", default=[], metavar="[AID=]N",
                   help="moodle: rescale the scores from 0..the assignment's total to 0..N (repeatable)")
    p.add_argument("--allow-unknown-users", action="store_true",
                   help="moodle without --roster: write the submission ids as Moodle identifiers")
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


def _check_options(args) -> None:
    """Raise ValueError for options that do not go together."""
    moodle_only = [name for name, given in (("--moodle-key", args.moodle_key), ("--max", args.max),
                                            ("--scale-to", args.scale_to),
                                            ("--allow-unknown-users", args.allow_unknown_users)) if given]
    if moodle_only and args.format != "moodle":
        raise ValueError(f"{', '.join(moodle_only)} applies to --format moodle only")
    if args.match and not args.roster:
        raise ValueError("--match names a roster column: give the roster with --roster")
    if args.format == "canvas" and not args.roster:
        raise ValueError("--format canvas needs --roster: the course's gradebook export (in Canvas: Grades, then "
                         "Export > Export Entire Gradebook)")
    if args.roster and Path(args.roster).resolve() == Path(args.output).resolve():
        raise ValueError(f"--output {args.output} is the roster: write the export to another file")


def read_table(args):
    """The :class:`~nncourse.export.table.GradeTable` of the OUTs, with ``--assignment``,
    ``--map`` and ``--failed-as-zero`` applied, printing what was read and any ``--map`` warning."""
    from nncourse.export import grade_table
    from nncourse.export.identity import read_id_map
    from nncourse.export.options import check_assignments

    rows = read_outputs(args.outs)
    if args.assignment:
        check_assignments("--assignment", args.assignment, {r.assignment for r in rows})
        rows = [r for r in rows if r.assignment in args.assignment]
    id_map = {}
    if args.map:
        id_map, warnings = read_id_map(args.map, {r.student for r in rows})
        print(f"--map {args.map}: {len(id_map)} submission(s) mapped to an LMS user")
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
    table = grade_table(rows, id_map=id_map, failed_as_zero=args.failed_as_zero,
                        partial=getattr(args, "partial", False))
    for note in table.notes():
        print(note)
    return table


def run_export(args) -> int:
    """Write the export; print who is missing, failed or unmatched, and any warning; exit 1
    when rows were left out for their status (see the module docstring)."""
    from nncourse.export import parse_titles

    fmt = args.format
    _check_options(args)
    titles = parse_titles(args.column)
    table = read_table(args)

    if fmt == "canvas":
        from nncourse.export import canvas

        result = canvas.export(table, canvas.read_gradebook(args.roster), args.output, match=args.match,
                               titles=titles)
    else:
        from nncourse.export.roster import read_roster

        roster = read_roster(args.roster) if args.roster else None
        if fmt == "moodle":
            from nncourse.export import moodle
            from nncourse.export.options import parse_amounts

            result = moodle.export(table, roster, args.output, key=args.moodle_key, match=args.match, titles=titles,
                                   maxima=parse_amounts("--max", args.max),
                                   scale_to=parse_amounts("--scale-to", args.scale_to),
                                   allow_unknown_users=args.allow_unknown_users)
        else:
            from nncourse.export import plain

            result = plain.export(table, roster, args.output, layout="long" if fmt == "csv-long" else "wide",
                                  match=args.match, titles=titles)
    for line in result.report():
        print(line)
    for line in result.problems():
        print(line, file=sys.stderr)
    return 1 if result.left_out else 0
