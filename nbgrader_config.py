"""nbgrader configuration of the course, read by every nbgrader command run from here.

- ``solutions/<id>/<id>.ipynb`` is the instructors' source; ``course/<id>/`` the student
  release (``nncourse release`` regenerates it; never edit it by hand).
- The gradebook, submissions, autograded copies, feedback and the exchange (releases and
  hand-ins of ``nbgrader release_assignment``/``submit``/``collect``, and the formgrader's
  Release and Collect buttons) live under ``.nbgrader/`` (git-ignored), or where
  ``NNCOURSE_STATE`` points; an instructor's server on the course's hub gets the hub's
  exchange in ``NNCOURSE_EXCHANGE`` (``nncourse hub``). Loading this file creates that folder and its ``exchange/``:
  plain nbgrader works in a fresh clone (nbgrader opens its gradebook in a folder it never
  creates, and a ``generate_assignment --force`` that cannot open it has already deleted
  ``course/<id>/``).
- Grading kernels run in fast mode, offline, with TensorFlow silenced (a test cell that
  writes anything to stderr gets 0 points): :class:`nncourse.kernels.GradingKernelManager`
  gives each kernel nbgrader starts that environment. This file writes nothing into
  ``os.environ``: JupyterLab's nbgrader extension loads it too, and whatever it put there
  would reach every kernel of a student's server.
- Feedback pages never show a hidden test, and show formulas as MathML without loading
  MathJax from the network (:func:`nncourse.grading.task.feedback.configure_feedback`, as
  ``nncourse grade`` renders them).

The paths and the environment come from :mod:`nncourse.layout`, the one place that knows
them.
"""

import os
from pathlib import Path

try:
    from nncourse import layout
    from nncourse.grading.task.feedback import configure_feedback
    from nncourse.hub.settings import EXCHANGE_VARIABLE
except ImportError as exc:  # nbgrader run by a Python without the course's package
    raise ImportError(
        f"nbgrader_config.py needs the course's own package (nncourse), which this Python "
        f"cannot import ({exc}). Run nbgrader from the course's virtual environment "
        f"(`. .venv/bin/activate`, after `pip install -e \".[instructor]\"`)."
    ) from exc

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

ROOT = Path(__file__).resolve().parent
STATE = layout.state_dir(ROOT)
EXCHANGE = Path(os.environ.get(EXCHANGE_VARIABLE) or layout.exchange_dir(ROOT))  # the hub's, on a hub


def _course_relative(name: str) -> str:
    """``STATE/name`` relative to the course root, as nbgrader wants its folders."""
    return os.path.relpath(STATE / name, ROOT)


def _make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) if it is missing; a folder that cannot be made
    (a read-only checkout) is left for nbgrader to report when it needs it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass


_make_folder(STATE)
_make_folder(EXCHANGE)

c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.course_id = layout.COURSE_ID
c.CourseDirectory.source_directory = layout.SOLUTIONS_DIR
c.CourseDirectory.release_directory = layout.RELEASE_DIR
c.CourseDirectory.submitted_directory = _course_relative("submitted")
c.CourseDirectory.autograded_directory = _course_relative("autograded")
c.CourseDirectory.feedback_directory = _course_relative("feedback")
c.CourseDirectory.db_url = layout.sqlite_url(STATE / "gradebook.db")
c.Exchange.root = str(EXCHANGE)
c.CourseDirectory.ignore = layout.NBGRADER_IGNORE

# Per-cell limit; fast-mode training cells stay far below it.
c.Execute.timeout = layout.CELL_TIMEOUT_S
c.Execute.interrupt_on_timeout = True
# Every kernel nbgrader starts gets the grading environment (and only those kernels).
c.Execute.kernel_manager_class = "nncourse.kernels.GradingKernelManager"
# A deleted or edited test cell is put back from the gradebook and graded.
c.OverwriteCells.add_missing_cells = True
# Feedback: nbgrader's preprocessors, then hidden tests removed and formulas as MathML.
configure_feedback(c)
