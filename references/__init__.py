"""Reference implementations of the graded exercises, used by the tests and the
benchmarks only. They are not part of nnlib (students install nnlib; these are answers).

Each module is checked against Keras or NumPy in ``tests/course/test_references_<topic>.py``,
and against the solution notebook it mirrors: the same numbers as the notebook's own code
(taken from the notebook by :mod:`references.solution_code`) for the same inputs and seeds.
"""
