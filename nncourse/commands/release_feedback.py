"""``nncourse release-feedback ID --out OUT``: the feedback pages of ``nncourse grade`` sent to
students through nbgrader's exchange (see :mod:`nncourse.grading.client.exchange_feedback`).

For every student graded in ``OUT`` (a page in ``OUT/feedback/<ID>/``, or with
``--after-due`` in ``OUT/feedback-after-due/<ID>/``) who has a hand-in of ``ID`` in
nbgrader's submitted folder, puts the page in nbgrader's feedback folder with the hand-in's
``timestamp.txt`` and ``submission_secret.txt``, then runs ``nbgrader release_feedback ID``
in the course root (``--course-root``, default the current folder: where
``nbgrader_config.py`` is). Students then run ``nbgrader fetch_feedback ID`` (or the
Assignments tab's "Fetch Feedback").

Exits 0 when nbgrader released the pages, 1 when ``nbgrader release_feedback`` failed (its
log is above), 2 when nothing could be released: no folder ``OUT``, no page for ``ID``
there, no ``nbgrader_config.py`` in the course root, no hand-in of ``ID`` in nbgrader's
submitted folder, or none of a graded student.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def register(subparsers) -> None:
    """Add the ``release-feedback`` sub-command."""
    p = subparsers.add_parser("release-feedback", help="send the feedback pages of `nncourse grade` to students "
                                                       "through nbgrader's exchange (nbgrader release_feedback)")
    p.add_argument("aid", metavar="ID", help="assignment id, e.g. 01_neuron")
    p.add_argument("--out", required=True, metavar="OUT", help="the output folder of `nncourse grade ID "
                                                              "SUBMISSIONS --out OUT`")
    p.add_argument("--after-due", action="store_true",
                   help="send the after-due pages (`nncourse feedback OUT --after-due`) instead of the first ones")
    p.add_argument("--course-root", default=os.curdir, metavar="DIR",
                   help="the folder holding nbgrader_config.py, where nbgrader runs (default: the current folder)")
    p.set_defaults(func=run_release_feedback)


def _pages_folder(out: Path, aid: str, after_due: bool) -> Path:
    """``OUT/feedback/<aid>`` or ``OUT/feedback-after-due/<aid>``.

    Raises
    ------
    FileNotFoundError
        When ``out`` is no folder.
    """
    from nncourse.grading.client.course import Course

    if not out.is_dir():
        raise FileNotFoundError(f"no folder OUT {out}: give the --out of `nncourse grade {aid} SUBMISSIONS --out OUT`")
    course = Course(out, aid, Path.cwd())
    return course.feedback_after_due if after_due else course.feedback


def run_release_feedback(args) -> int:
    """Place the pages, run ``nbgrader release_feedback`` and say what was released.

    Raises
    ------
    FileNotFoundError, ValueError
        On bad input (see the module docstring); the command line turns both into exit code 2.
    """
    from nncourse.grading.client import exchange_feedback, intake

    out, aid = Path(args.out), args.aid
    pages_folder = _pages_folder(out, aid, args.after_due)
    pages = exchange_feedback.graded_pages(pages_folder)
    if not pages:
        how = (f"`nncourse feedback {out} --after-due --due DATETIME --assignment {aid}`" if args.after_due
               else f"`nncourse grade {aid} SUBMISSIONS --out {out}`")
        raise FileNotFoundError(f"nothing graded for {aid} in {out}: no page in {pages_folder} (write them with {how})")
    course_root = Path(args.course_root).resolve()
    folders = exchange_feedback.nbgrader_folders(course_root)
    if not folders.submitted.is_dir():
        raise FileNotFoundError(f"no nbgrader submitted folder {folders.submitted}: run `nbgrader collect {aid}` in "
                                f"{course_root} first (with the same NNCOURSE_STATE)")
    subs = intake.collect(folders.submitted, aid, out / "nbgrader" / "intake")
    placements, skipped = exchange_feedback.plan(pages, subs, folders, aid)
    for student, reason in skipped:
        print(f"{aid}: nothing released to {student}: {reason}", file=sys.stderr)
    if not placements:
        raise ValueError(f"none of the {len(pages)} student(s) graded in {pages_folder} has a hand-in of {aid} in "
                         f"{folders.submitted}: nothing to release")
    for placement in placements:
        exchange_feedback.place(placement)
    print(f"{aid}: {len(placements)} page(s) put in {folders.feedback} for nbgrader; running nbgrader "
          f"release_feedback {aid} in {course_root}", flush=True)
    code = exchange_feedback.release_feedback(aid, course_root)
    if code != 0:
        print(f"nncourse release-feedback: nbgrader release_feedback {aid} failed (exit {code}); see its log above",
              file=sys.stderr)
        return 1
    print(f"{aid}: released the feedback of {len(placements)} student(s); they get it with "
          f"`nbgrader fetch_feedback {aid}`")
    return 0
