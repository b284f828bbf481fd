"""The status of a row of ``grades.csv``, and how a finished run is classified.

Statuses, from the most to the least specific (a run that both timed out in one cell and
then lost its kernel is reported as ``kernel_died``):

``ok``                 every cell ran; the score is what the tests gave.
``timeout``            a cell ran past the per-cell limit, or the notebook past its total cap.
``kernel_died``        the Python process running the notebook exited (``os._exit``, a crash).
``memory_limit``       the kernel used more resident memory than ``--memory`` allows.
``invalid_notebook``   the file is not a readable Jupyter notebook.
``no_notebook``        the student's folder holds no notebook.
``ambiguous``          several notebooks, none named like the assignment's.
``error``              the grader itself failed on this submission (see the log).
"""

from __future__ import annotations

def describe_points(score: float, max_score: float) -> str:
    """``"7 of 12 points"`` with integers shown without decimals."""
    def fmt(x):
        return f"{x:g}"
    return f"{fmt(score)} of {fmt(max_score)} points"
