"""nbgrader configuration of the course, read by every nbgrader command run from here.

- ``solutions/<id>/<id>.ipynb`` is the instructors' source; ``course/<id>/`` the student
  release (``nncourse release`` regenerates it; never edit it by hand).
- The gradebook, submissions, autograded copies, feedback and exchange live under
  ``.nbgrader/`` (git-ignored), or where ``NNCOURSE_STATE`` points.
- Grading runs in fast mode with TensorFlow silenced: a test cell that writes anything to
  stderr gets 0 points, so the kernel inherits an environment in which nothing does.
"""

import os
import sys

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

ROOT = os.path.dirname(os.path.abspath(__file__))
STATE = os.environ.get("NNCOURSE_STATE", os.path.join(ROOT, ".nbgrader"))

c.CourseDirectory.root = ROOT
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "course"
c.CourseDirectory.submitted_directory = os.path.relpath(os.path.join(STATE, "submitted"), ROOT)
c.CourseDirectory.autograded_directory = os.path.relpath(os.path.join(STATE, "autograded"), ROOT)
c.CourseDirectory.feedback_directory = os.path.relpath(os.path.join(STATE, "feedback"), ROOT)
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(STATE, "gradebook.db")
c.Exchange.root = os.path.join(STATE, "exchange")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "*.py", ".*"]

# Per-cell limit; fast-mode training cells stay far below it.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True
# A deleted or edited test cell is put back from the gradebook and graded.
c.OverwriteCells.add_missing_cells = True

# The grading kernel inherits this environment: fast mode, no downloads, silent TF.
os.environ["NNLIB_MODE"] = os.environ.get("NNLIB_GRADING_MODE", "fast")
os.environ.setdefault("NNLIB_OFFLINE", "1")
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["PYTHONWARNINGS"] = "ignore"
os.environ.setdefault("MPLBACKEND", "Agg")
# nbgrader runs `alembic` from PATH when it creates a gradebook.
_bin = os.path.dirname(sys.executable)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")
