"""Checks that test cells use on a student's function without knowing its answer.

:func:`python_lines` counts the lines of notebook code a call executes. Vectorised code
runs the same lines whatever the size of its input; a Python loop over the examples (or
the pixels) runs more lines as the input grows. Comparing two calls that differ only in
size is deterministic, unlike timing, and does not depend on how the loop is written.
"""

from __future__ import annotations

import sys
from collections.abc import Callable


def _is_notebook_code(filename: str) -> bool:
    """Whether a code object comes from a notebook cell (IPython names cells' files so)."""
    return "ipykernel_" in filename or filename.startswith("<ipython-input") or filename.startswith("<string>")


def python_lines(function: Callable, *args, **kwargs) -> int:
    """Count the lines of notebook code that ``function(*args, **kwargs)`` executes.

    Only lines in code defined in notebook cells count (the student's functions and any
    helper they call); NumPy's and Keras' own Python code does not.

    Parameters
    ----------
    function : callable
        Usually a function the student wrote.
    *args, **kwargs
        Its arguments.

    Returns
    -------
    int
        Line events in notebook code during the call (a loop body counts once per pass).
    """
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame, event, arg):
        if event == "call" and _is_notebook_code(frame.f_code.co_filename):
            return local
        return None

    previous = sys.gettrace()
    sys.settrace(calls)
    try:
        function(*args, **kwargs)
    finally:
        sys.settrace(previous)
    return count


def grows_with_size(function: Callable, small: tuple, large: tuple) -> tuple[int, int]:
    """Lines of notebook code run by ``function(*small)`` and by ``function(*large)``.

    Parameters
    ----------
    function : callable
    small, large : tuple
        Two argument tuples that differ only in the size of the data.

    Returns
    -------
    (int, int)
        The two line counts; vectorised code gives the same count twice (the small call
        runs once untraced first, so that work done only on a first call is not counted).
    """
    function(*small)
    return python_lines(function, *small), python_lines(function, *large)
