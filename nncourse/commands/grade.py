"""``nncourse grade``: autograde a class (see :mod:`nncourse.grading`), and
``nncourse grade-task IN OUT``: one grading task from files, for batch systems.

``grade`` exits 0 when the batch completed, whatever the students did (their statuses
are in ``grades.csv``), and 2 when it could not run (bad arguments, unknown assignment,
unreadable SUBMISSIONS, an unreachable scheduler or database).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from nncourse import layout


def register(subparsers) -> None:
    """Add the ``grade`` and ``grade-task`` sub-commands."""
    from nncourse.grading.client.cluster import SCHEDULER_VARIABLE

    p = subparsers.add_parser("grade", help="autograde a class's submissions into grades.csv and feedback")
    p.add_argument("aid", metavar="ID", help="assignment id, e.g. 01_neuron")
    p.add_argument("submissions", metavar="SUBMISSIONS", help="folder of <student>/ folders, a .zip, or flat LMS files")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="output folder (reused: regrading replaces rows; may hold several assignments)")
    p.add_argument("--student", action="append", default=[], metavar="S",
                   help="grade only these students: names, or @FILE with one per line (repeatable)")
    p.add_argument("--timeout", type=int, default=layout.CELL_TIMEOUT_S, metavar="SECONDS",
                   help=f"limit per cell (default {layout.CELL_TIMEOUT_S})")
    p.add_argument("--notebook-timeout", type=float, default=None, metavar="SECONDS",
                   help=f"limit per notebook (default 10 x --timeout, at most {layout.NOTEBOOK_TIMEOUT_CAP_S:g})")
    p.add_argument("--pattern", metavar="REGEX", help="regex with a named group 'student' for flat file names")
    p.add_argument("--show-hidden", action="store_true", help="show hidden tests in the feedback")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="local worker processes, one submission each at a time (default 1)")
    p.add_argument("--scheduler", default=os.environ.get(SCHEDULER_VARIABLE), metavar="ADDRESS",
                   help=f"an existing Dask scheduler (tcp:// or tls://; default ${SCHEDULER_VARIABLE}); "
                        "--jobs is then ignored")
    p.add_argument("--allow-unsandboxed", action="store_true",
                   help="let workers of --scheduler without bubblewrap grade (student code then runs unfenced)")
    p.add_argument("--fresh-kernels", action="store_true",
                   help="start every kernel afresh instead of forking it from a warm server that has imported "
                        "Keras and nnlib (same grades, slower)")
    p.add_argument("--db", metavar="URL", help="gradebook SQLAlchemy URL (default: the SQLite file DIR/gradebook.db), "
                                               "e.g. postgresql+psycopg://user@host/course")
    p.add_argument("--force", action="store_true", help="grade again submissions already graded with the same input")
    p.add_argument("--memory", default="4G", metavar="SIZE",
                   help="resident memory of each notebook's kernel and all it starts (default 4G: every solution notebook fits, with room)")
    p.add_argument("--due", metavar="DATETIME", help="due date with its UTC offset, e.g. 2026-12-01T23:59+01:00")
    p.add_argument("--times", metavar="CSV", help="submission times (columns student,time), where the "
                                                  "submissions carry no nbgrader timestamp.txt")
    p.add_argument("--late-penalty", metavar="RULE", help="e.g. 10%%/day, 2/hour or zero (needs --due)")
    p.add_argument("--tasks-to", metavar="DIR", help="write one task file per submission to grade there "
                                                     "(nncourse grade-task) instead of grading")
    p.add_argument("--results-from", metavar="DIR", help="record the result files of nncourse grade-task found "
                                                         "there instead of grading")
    p.set_defaults(func=run_grade)

    t = subparsers.add_parser("grade-task", help="run one grading task from a file (for batch job arrays)")
    t.add_argument("task_in", metavar="IN", help="a task input written by nncourse (JSON)")
    t.add_argument("result_out", metavar="OUT", help="where to write the task result (JSON)")
    t.set_defaults(func=run_grade_task)


def _late_options(args) -> dict:
    """``due``, ``times`` and ``late_penalty`` of :class:`~nncourse.grading.client.runner.Options`."""
    if (args.times or args.late_penalty) and not args.due:
        raise ValueError("--times and --late-penalty need --due (nothing is late without a due date)")
    if not args.due:
        return {}
    from nncourse.grading.client.late import parse_due, parse_penalty, read_times

    return {"due": parse_due(args.due) if args.due else None,
            "times": read_times(Path(args.times)) if args.times else {},
            "late_penalty": parse_penalty(args.late_penalty) if args.late_penalty else None}


def run_grade(args) -> int:
    """Grade the class and print one summary line."""
    from nncourse.grading.client.runner import Options, grade_class, parse_size, read_students

    if args.timeout <= 0 or args.jobs <= 0:
        raise ValueError("--timeout and --jobs must be positive")
    total = args.notebook_timeout or layout.notebook_timeout_s(args.timeout)
    opts = Options(aid=args.aid, submissions=Path(args.submissions), out=Path(args.out), repo=layout.repo_root(),
                   students=read_students(args.student), timeout=args.timeout, total_timeout=total,
                   pattern=args.pattern, show_hidden=args.show_hidden, jobs=args.jobs,
                   memory=parse_size(args.memory), scheduler=args.scheduler or None,
                   allow_unsandboxed=args.allow_unsandboxed, db_url=args.db, force=args.force,
                   fresh_kernels=args.fresh_kernels,
                   tasks_to=Path(args.tasks_to) if args.tasks_to else None,
                   results_from=Path(args.results_from) if args.results_from else None,
                   **_late_options(args))
    summary = grade_class(opts)
    rows = summary.recorded
    failed = [r for r in rows if r.status != "ok"]
    skipped = f", {summary.skipped} already graded" if summary.skipped else ""
    print(f"graded {len(rows)} submission(s) of {args.aid}: {len(rows) - len(failed)} ok, {len(failed)} with "
          f"another status{skipped}; see {Path(args.out) / 'grades.csv'} and {Path(args.out) / 'feedback'}/")
    return 0


def run_grade_task(args) -> int:
    """Read a task input, grade it, write its result; exit 0 when a result was written."""
    from nncourse.grading.task import task as taskfile
    from nncourse.grading.task.perform import grade_task

    task = taskfile.load(Path(args.task_in))
    if not isinstance(task, taskfile.TaskInput):
        raise ValueError(f"{args.task_in} is a task result, not a task input")
    result = grade_task(task)
    taskfile.dump(result, Path(args.result_out))
    print(f"{task.student}: {result.status} ({result.score:g} of {result.max_score:g}) -> {args.result_out}",
          file=sys.stderr)
    return 0
