"""Warm kernels keep every fence of a fresh one: no trace of one submission reaches the next.

One ``nncourse grade --jobs 1`` run (one Dask worker, so one long-lived grading worker
and one fork server) grades, in this order:

1. ``a-trace``: the solution, plus a cell that leaves every trace it can (a file in each
   writable place, a changed module in ``sys.modules``, NumPy's and Keras' global state,
   nnlib, an environment variable, a background thread and a daemon process that outlive
   their cell), and a last cell that signals "its parent" (the process group) and so kills
   its own kernel;
2. ``b-check``: the solution, plus a cell that looks for each trace and prints what it found;
3. ``c-hog``: a memory hog, stopped at ``--memory`` (the worker is replaced);
4. ``d-bomb``: a fork bomb of small shells, stopped at the process limit;
5. ``e-check``: the same checks, in the new worker.

The grades and ``timings.csv`` (same grading worker: no ``worker_start`` for ``b-check``)
say the rest. The submissions run in this order because Dask runs a worker's tasks in
the order they were submitted, and intake sorts students by name.
"""

from __future__ import annotations

import csv
import json

import pytest

from tests.course_tools import replace_answers
from tests.grading.crafted_class import (AID, FULL, GROUP, grade, outputs_text, read_grades, solution,
                                         write)

#: The trace file's name in each writable place the kernel has.
TRACE = "nncourse-trace"

LEAVE_TRACES = f'''
import os, signal, subprocess, sys, threading, time
import keras, nnlib, numpy as np
for folder in (os.getcwd(), "/tmp", os.path.expanduser("~"), "/dev/shm", "/run", "/var/tmp"):
    try:
        with open(os.path.join(folder, "{TRACE}"), "w") as f:
            f.write("left by a-trace")
    except OSError:
        pass
sys.modules["json"].LEFT_BY_A_TRACE = True
nnlib.LEFT_BY_A_TRACE = True
np.set_printoptions(precision=2)
keras.config.set_floatx("float16")
keras.config.set_epsilon(0.5)
os.environ["NNCOURSE_TRACE"] = "a-trace"

def _keep_writing():
    while True:
        try:
            open("/tmp/{TRACE}-thread", "w").write("x")
        except OSError:
            pass
        time.sleep(0.05)

threading.Thread(target=_keep_writing, name="{TRACE}-thread", daemon=True).start()
subprocess.Popen(["sh", "-c", "while true; do touch /tmp/{TRACE}-daemon; sleep 0.05; done"],
                 start_new_session=True)
time.sleep(0.3)
'''

SIGNAL_PARENT = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)  # in the sandbox: its own group\n"

CHECK_TRACES = f'''
import json as _json, os as _os, sys as _sys, threading as _threading, time as _time
import keras as _keras, nnlib as _nnlib, numpy as _np
_time.sleep(0.3)  # a surviving thread or daemon would write again meanwhile
_found = {{}}
for _folder in (_os.getcwd(), "/tmp", _os.path.expanduser("~"), "/dev/shm", "/run", "/var/tmp"):
    for _name in ("{TRACE}", "{TRACE}-thread", "{TRACE}-daemon"):
        if _os.path.exists(_os.path.join(_folder, _name)):
            _found[_os.path.join(_folder, _name)] = "file"
if hasattr(_sys.modules["json"], "LEFT_BY_A_TRACE"):
    _found["json"] = "module changed"
if hasattr(_nnlib, "LEFT_BY_A_TRACE"):
    _found["nnlib"] = "module changed"
if _np.get_printoptions()["precision"] != 8:
    _found["numpy"] = "print options"
if _keras.config.floatx() != "float32" or _keras.config.epsilon() != 1e-7:
    _found["keras"] = "config"
if "NNCOURSE_TRACE" in _os.environ:
    _found["environment"] = _os.environ["NNCOURSE_TRACE"]
if any(_t.name == "{TRACE}-thread" for _t in _threading.enumerate()):
    _found["thread"] = "running"
for _pid in (p for p in _os.listdir("/proc") if p.isdigit()):
    try:
        _cmd = open(f"/proc/{{_pid}}/cmdline", "rb").read().replace(b"\\0", b" ").decode()
    except OSError:
        continue
    if "{TRACE}-daemon" in _cmd:
        _found["daemon"] = _cmd
print("TRACES " + _json.dumps(_found))
'''


def _with_cell_after_setup(nb, source: str, at_end: str | None = None):
    """``nb`` with a code cell run right after its set-up cell (and one at its end)."""
    import nbformat

    i = next(k for k, c in enumerate(nb.cells) if c.cell_type == "code" and "nnlib.setup(" in c.source)
    nb.cells.insert(i + 1, nbformat.v4.new_code_cell(source))
    if at_end:
        nb.cells.append(nbformat.v4.new_code_cell(at_end))
    return nb


def _traces_found(out, student: str) -> dict:
    lines = [line for line in outputs_text(out, student).splitlines() if line.startswith("TRACES ")]
    assert len(lines) == 1, f"{student}'s check cell printed {len(lines)} TRACES lines"
    return json.loads(lines[0].removeprefix("TRACES "))


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    base = tmp_path_factory.mktemp("warm")
    subs, out = base / "submissions", base / "out"
    write(_with_cell_after_setup(solution(), LEAVE_TRACES, at_end=SIGNAL_PARENT), subs / "a-trace" / f"{AID}.ipynb")
    write(_with_cell_after_setup(solution(), CHECK_TRACES), subs / "b-check" / f"{AID}.ipynb")
    write(replace_answers(solution(), {"answer-01-forward": "big = np.ones(6 * 2**30 // 8)\n"}),
          subs / "c-hog" / f"{AID}.ipynb")
    write(_with_cell_after_setup(solution(), "import subprocess\nsubprocess.run(['sh', '-c', 'b(){ b|b& }; b'])\n"
                                             "import time\ntime.sleep(120)\n"),
          subs / "d-bomb" / f"{AID}.ipynb")
    write(_with_cell_after_setup(solution(), CHECK_TRACES), subs / "e-check" / f"{AID}.ipynb")
    proc = grade([subs, "--out", out, "--jobs", 1, "--memory", "2G"])
    with open(out / "timings.csv", newline="") as fh:
        timings = {row["student"]: row for row in csv.DictReader(fh)}
    return dict(out=out, proc=proc, grades=read_grades(out), timings=timings)


@GROUP
@pytest.mark.grading
def test_warm_kernels_are_used_and_said(traced):
    assert traced["proc"].returncode == 0, traced["proc"].stderr[-3000:]
    assert "kernels: warm" in traced["proc"].stderr, traced["proc"].stderr[-2000:]


@GROUP
@pytest.mark.grading
@pytest.mark.parametrize("student", ["b-check", "e-check"])
def test_no_trace_of_an_earlier_submission_is_visible(traced, student):
    row = traced["grades"][student]
    assert (row["status"], float(row["score"])) == ("ok", FULL), \
        f"{student} should be graded ok with {FULL:g} points, not {row['status']} with {row['score']}: {row['message']}"
    found = _traces_found(traced["out"], student)
    assert found == {}, f"{student} found what a-trace left: {found}"


@GROUP
@pytest.mark.grading
def test_the_tracer_and_the_checker_shared_one_grading_worker(traced):
    t = traced["timings"]
    assert t["a-trace"]["worker"] == t["b-check"]["worker"], \
        f"a-trace ran on {t['a-trace']['worker']}, b-check on {t['b-check']['worker']}: not the same Dask worker"
    assert float(t["b-check"]["worker_start"]) == 0.0, \
        f"b-check had to start a grading worker ({t['b-check']['worker_start']} s): a-trace's did not survive it"
    assert float(t["e-check"]["worker_start"]) > 0.0, "the worker that graded the fork bomb should have been replaced"


@GROUP
@pytest.mark.grading
@pytest.mark.parametrize("student, status", [("a-trace", "kernel_died"), ("c-hog", "memory_limit"),
                                             ("d-bomb", "process_limit")])
def test_each_hostile_submission_gets_its_own_status(traced, student, status):
    row = traced["grades"][student]
    assert row["status"] == status, f"{student}: expected {status}, got {row['status']}: {row['message']}"
