"""nnlib.checks: lines of notebook code a call runs, to tell vectorised code from loops."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.checks import grows_with_size, python_lines

CELL = '''
import numpy as np

def vectorised(X):
    X = np.asarray(X)
    return X @ np.ones(X.shape[1])

def loop(X):
    out = []
    for x in X:
        out.append(float(np.dot(x, np.ones(len(x)))))
    return np.array(out)

def comprehension(X):
    return np.array([x.sum() for x in X])

def calls_a_loop(X):
    return loop(X)
'''


@pytest.fixture(scope="module")
def cell():
    """The functions above, compiled as IPython compiles a notebook cell."""
    namespace = {}
    exec(compile(CELL, "/tmp/ipykernel_1234/123456.py", "exec"), namespace)
    return namespace


def test_vectorised_code_runs_the_same_lines_at_any_size(cell):
    rng = np.random.default_rng(0)
    small, large = grows_with_size(cell["vectorised"], (rng.normal(size=(2, 3)),), (rng.normal(size=(50, 3)),))
    assert small == large == 2


@pytest.mark.parametrize("name", ["loop", "comprehension", "calls_a_loop"])
def test_a_loop_over_the_examples_runs_more_lines_on_more_examples(cell, name):
    rng = np.random.default_rng(0)
    small, large = grows_with_size(cell[name], (rng.normal(size=(2, 3)),), (rng.normal(size=(50, 3)),))
    assert large > small + 40, (small, large)


def test_library_code_is_not_counted():
    """Code outside notebook cells (NumPy's Python functions, this test) counts for nothing."""
    assert python_lines(np.pad, np.zeros((40, 40)), 2) == 0


def test_the_previous_tracer_is_restored(cell):
    import sys

    def tracer(frame, event, arg):
        return None

    sys.settrace(tracer)
    try:
        python_lines(cell["loop"], np.zeros((3, 2)))
        assert sys.gettrace() is tracer
    finally:
        sys.settrace(None)
