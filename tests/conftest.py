"""Test-suite set-up: the grading environment (fast mode, offline, silent TensorFlow) for
this process and the processes it starts, before anything imports Keras. The values come
from :mod:`nncourse.layout`; downloads are always off in tests."""

import os

from nncourse import layout

for _key, _value in layout.GRADING_KERNEL_ENV.items():
    os.environ.setdefault(_key, _value)
os.environ["NNLIB_OFFLINE"] = "1"
