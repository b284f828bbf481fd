"""``nncourse feedback OUT --after-due --due DATETIME``: the second feedback page, once the
due date has passed (see :mod:`nncourse.grading.client.after_due`).

Reads what ``nncourse grade --out OUT`` recorded (``scores.csv`` and the autograded
notebooks) and writes ``OUT/feedback-after-due/<ID>/<student>.html`` for every graded
student of each assignment (``--assignment``, default every one in ``scores.csv``). Runs
no notebook. Exits 0 when the pages were written, 2 when the due date has not passed (and
writes nothing), when ``OUT`` holds no ``scores.csv`` or ``--after-due`` is missing.
"""

from __future__ import annotations

from pathlib import Path

from nncourse.scores import SCORES_FILE


def register(subparsers) -> None:
    """Add the ``feedback`` sub-command."""
    p = subparsers.add_parser("feedback", help="after the due date, write a second feedback page per student with "
                                               "every hidden test")
    p.add_argument("out", metavar="OUT", help=f"grading output folder (as `nncourse grade --out OUT` writes it, "
                                              f"with {SCORES_FILE})")
    p.add_argument("--after-due", action="store_true",
                   help="the page that names every hidden test, its points and the message of a failing one")
    p.add_argument("--due", metavar="DATETIME", required=True,
                   help="the due date with its UTC offset, e.g. 2026-12-01T23:59+01:00; it must have passed")
    p.add_argument("--assignment", metavar="ID", action="append",
                   help="only this assignment (repeatable; default: every assignment in scores.csv)")
    p.set_defaults(func=run_feedback)


def run_feedback(args) -> int:
    """Write the after-due pages and print how many.

    Raises
    ------
    ValueError
        Without ``--after-due``, with a due date that has not passed or has no UTC offset.
    FileNotFoundError
        When ``OUT`` holds no ``scores.csv`` (the command line turns both into exit code 2).
    """
    from nncourse import layout
    from nncourse.grading.client.after_due import require_due_passed, write_after_due
    from nncourse.grading.client.course import Course
    from nncourse.grading.client.late import parse_due
    from nncourse.scores import read_scores

    if not args.after_due:
        raise ValueError("say --after-due: the page after the due date is the feedback this command writes "
                         "(the first one, `nncourse grade` writes)")
    due = parse_due(args.due)
    require_due_passed(due)
    out = Path(args.out)
    for aid in args.assignment or sorted({row.assignment for row in read_scores(out / SCORES_FILE)}):
        course = Course(out, aid, layout.repo_root())
        pages = write_after_due(course, due)
        print(f"{aid}: wrote {len(pages)} page(s) in {course.feedback_after_due}")
    return 0
