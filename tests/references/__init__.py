"""Reference implementations the tests and benchmarks need (never installed with nnlib)."""
