"""``nncourse manual OUT``: the written answers graded by hand (see
:mod:`nncourse.grading.client.manual`).

- ``nncourse manual OUT`` says what is still to grade, renders again the feedback pages
  whose hand grades changed (in the formgrader, say) and writes ``grades.csv`` and
  ``scores.csv`` again;
- ``--export FILE`` also writes the grading file: one row per student and written answer
  (``score`` empty while still to grade, ``comment``, the student's ``answer``);
- ``--import FILE`` records the scores and comments of a filled-in grading file first.

Exits 0 when every written answer is graded, 1 when some are still to grade (the summary
says how many), 2 when it could not run (no gradebook, a grading file with bad rows:
nothing is recorded from it then).
"""

from __future__ import annotations

import sys
from pathlib import Path


def register(subparsers) -> None:
    """Add the ``manual`` sub-command."""
    p = subparsers.add_parser("manual", help="written answers graded by hand: what is left, a grading file to fill "
                                             "in (--export) and to record (--import)")
    p.add_argument("out", metavar="OUT", help="grading output folder (as `nncourse grade --out OUT` writes it)")
    p.add_argument("--db", metavar="URL", help="gradebook SQLAlchemy URL (default: the SQLite file OUT/gradebook.db)")
    p.add_argument("--assignment", metavar="ID", help="--export: only this assignment's written answers")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--export", metavar="FILE", help="write the grading file: one row per student and written "
                                                        "answer, score empty while still to grade")
    group.add_argument("--import", dest="import_", metavar="FILE",
                       help="record the scores and comments of a filled-in grading file")
    p.set_defaults(func=run_manual)


def run_manual(args) -> int:
    """Import, export, refresh and summarise (see the module docstring)."""
    from nncourse import layout
    from nncourse.grading.client import manual
    from nncourse.grading.gradebook.store import GradebookStore, describe_url

    out = Path(args.out)
    db = out / "gradebook.db"
    if not args.db and not db.is_file():
        raise FileNotFoundError(f"no gradebook in {out} (no {db.name}): grade first with `nncourse grade ID "
                                f"SUBMISSIONS --out {out}`, or give the gradebook with --db URL")
    url = args.db or layout.sqlite_url(db.resolve())
    with GradebookStore(url) as store:
        print(f"gradebook: {describe_url(url)}", file=sys.stderr)
        if args.import_:
            grades, unchanged = manual.read_grading_file(Path(args.import_), store.written_grades())
            for g in grades:
                store.set_hand_grade(g.assignment, g.student, g.question, g.score, g.comment)
            print(f"recorded {len(grades)} hand grade(s) from {args.import_} ({unchanged} row(s) unchanged or still "
                  "to grade)")
        pages = manual.refresh(store, out, layout.repo_root())
        manual.write_formgrader_config(out, url)
        if pages:
            print(f"wrote {len(pages)} feedback page(s) again with their hand grades")
        if args.export:
            written = [w for w in store.written_grades(args.assignment)]
            left = manual.write_grading_file(Path(args.export), written)
            print(f"wrote {args.export}: {len(written)} written answer(s), {left} still to grade (fill in score "
                  f"and comment, then `nncourse manual {args.out} --import {args.export}`)")
        found = manual.report(store, sys.stdout)
    if not found:
        print("no written answer is recorded in this gradebook")
    return 1 if any(p.to_grade for p in found) else 0
