"""nbgrader configuration of the course, read by every nbgrader command run from here.

- ``solutions/<id>/<id>.ipynb`` is the instructors' source; ``course/<id>/`` the student
  release (``nncourse release`` regenerates it; never edit it by hand).
- The gradebook, submissions, autograded copies, feedback and exchange live under
  ``.nbgrader/`` (git-ignored), or where ``NNCOURSE_STATE`` points.
- Grading kernels run in fast mode, offline, with TensorFlow silenced (a test cell that
  writes anything to stderr gets 0 points): :class:`nncourse.kernels.GradingKernelManager`
  gives each kernel nbgrader starts that environment. This file writes nothing into
  ``os.environ``: JupyterLab's nbgrader extension loads it too, and whatever it put there
  would reach every kernel of a student's server.

The paths and the environment come from :mod:`nncourse.layout`, the one place that knows
them.
"""

import os
from pathlib import Path

from nncourse import layout

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

ROOT = Path(__file__).resolve().parent
STATE = layout.state_dir(ROOT)


def _course_relative(name: str) -> str:
    """``STATE/name`` relative to the course root, as nbgrader wants its folders."""
    return os.path.relpath(STATE / name, ROOT)


c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.source_directory = layout.SOLUTIONS_DIR
c.CourseDirectory.release_directory = layout.RELEASE_DIR
c.CourseDirectory.submitted_directory = _course_relative("submitted")
c.CourseDirectory.autograded_directory = _course_relative("autograded")
c.CourseDirectory.feedback_directory = _course_relative("feedback")
c.CourseDirectory.db_url = layout.sqlite_url(STATE / "gradebook.db")
c.Exchange.root = str(STATE / "exchange")
c.CourseDirectory.ignore = layout.NBGRADER_IGNORE

# Per-cell limit; fast-mode training cells stay far below it.
c.Execute.timeout = layout.CELL_TIMEOUT_S
c.Execute.interrupt_on_timeout = True
# Every kernel nbgrader starts gets the grading environment (and only those kernels).
c.Execute.kernel_manager_class = "nncourse.kernels.GradingKernelManager"
# A deleted or edited test cell is put back from the gradebook and graded.
c.OverwriteCells.add_missing_cells = True
