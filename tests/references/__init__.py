"""Reference implementations of the graded exercises, used by the tests and the
benchmarks only. They are not part of nnlib (students install nnlib; these are answers).
Each module is checked against Keras or NumPy in ``tests/test_references_<topic>.py``."""
