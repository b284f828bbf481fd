"""Unit tests of nnlib, the library the notebooks import."""
