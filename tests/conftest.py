"""Test-suite set-up: fast mode, offline, silent TensorFlow, before anything imports Keras."""

import os

os.environ.setdefault("NNLIB_MODE", "fast")
os.environ["NNLIB_OFFLINE"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("MPLBACKEND", "Agg")
