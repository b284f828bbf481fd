"""Reference implementations of the exercises, used by the tests and the benchmarks.

They live under ``tests/`` so that nothing a student installs holds an answer; each
module is checked against Keras or NumPy in ``tests/test_references_<topic>.py``.
"""
