"""The status of a graded submission, one enumeration, and how statuses combine.

Statuses, from the most to the least specific (:data:`PRECEDENCE`; where several apply,
the first wins: a run that timed out in one cell and then lost its kernel is
``kernel_died``):

``memory_limit``       the kernel used more resident memory than ``--memory`` allows.
``process_limit``      the kernel started more processes than allowed (a fork bomb).
``kernel_died``        the Python process running the notebook exited (``os._exit``, a
                       crash), or the grading worker was lost too often (Dask's ``KilledWorker``).
``timeout``            a cell ran past the per-cell limit, or the notebook past its total cap.
``invalid_notebook``   the file is not a readable Jupyter notebook.
``no_notebook``        the student's folder holds no notebook.
``ambiguous``          several notebooks, none named like the assignment's.
``error``              the grader itself failed on this submission (see the message);
                       never kept by a resumed run: it is graded again.
``ok``                 every cell ran; the score is what the tests gave.
"""

from __future__ import annotations

from enum import Enum


class Status(str, Enum):
    """What happened to one submission (see the module docstring)."""

    MEMORY_LIMIT = "memory_limit"
    PROCESS_LIMIT = "process_limit"
    KERNEL_DIED = "kernel_died"
    TIMEOUT = "timeout"
    INVALID_NOTEBOOK = "invalid_notebook"
    NO_NOTEBOOK = "no_notebook"
    AMBIGUOUS = "ambiguous"
    ERROR = "error"
    OK = "ok"

    def __str__(self) -> str:
        return self.value


#: Most specific first: where several statuses apply to one run, the first one wins.
PRECEDENCE: tuple[Status, ...] = tuple(Status)


def points_text(points: float) -> str:
    """A number of points, in words: ``"1 point"``, ``"2 points"``, ``"0.5 points"``
    (the number without needless decimals)."""
    return f"{points:g} {'point' if points == 1 else 'points'}"


def describe_points(score: float, max_score: float) -> str:
    """``"7 of 12 points"``, ``"1 of 1 point"``."""
    return f"{score:g} of {points_text(max_score)}"
