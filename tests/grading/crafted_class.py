"""The crafted class of 01_neuron that ``nncourse grade`` grades once for tests/grading/.

Sixteen students, each one survival case: code that never ends (interruptible or not), a
kernel that dies, enormous output, a memory hog, edited/deleted/duplicated/moved test
cells, invalid files, wrong and extra file names, an empty folder, and a student who
tries to read, break and phone out of its sandbox. :func:`grade_crafted_class` writes
them and grades them in one ``nncourse grade`` run; ``conftest.py`` makes that a session
fixture (``graded``), so the class is graded once however many test files read it.

Also the helpers those tests share (paths, reading ``grades.csv``, a loopback server that
counts connections). Not a test module: pytest does not collect it.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import socket
import sys
import threading
from pathlib import Path

import nbformat
import pytest

from tests.course_tools import ROOT, cell_index, replace_answers, run, solution_path

AID = "01_neuron"
FULL = 12.0
TIMEOUT = 60          # per cell: the import cell alone took 40 s when the shared 2 cores were overloaded
NOTEBOOK_CAP = 150    # per notebook (what the stubborn loop costs: keep it short)

#: Every test that reads the graded class, or runs kernels or ``nncourse grade`` itself,
#: carries this mark: one xdist worker runs them all (``--dist loadgroup``), so the session
#: fixture grades the class once and no other grading competes with it for the 2 cores.
GROUP = pytest.mark.xdist_group("grading_command")

def solution():
    """The instructor notebook of the assignment (full marks)."""
    return nbformat.read(solution_path(AID), as_version=4)


def student_version():
    """The released student notebook (zero marks)."""
    return nbformat.read(ROOT / "course" / AID / f"{AID}.ipynb", as_version=4)


def gid(cell):
    """A cell's nbgrader grade_id, or None."""
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def graded_cells(nb):
    """The autograded test cells of notebook ``nb``."""
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


def write(nb, path: Path):
    """Write notebook ``nb`` to ``path``, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def tree_digest(folder: Path) -> dict:
    """relative path -> SHA-256 of every file under ``folder``."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def grade_assignment(aid: str, args, env=None, timeout=1800):
    """Run ``nncourse grade AID ARGS...`` in a subprocess; never raises on its exit code."""
    cmd = [sys.executable, "-m", "nncourse.cli", "grade", aid, *map(str, args)]
    return run(cmd, ROOT, env, timeout=timeout)


def grade(args, env=None, timeout=1800):
    """Run ``nncourse grade 01_neuron ARGS...`` in a subprocess; never raises on its exit code."""
    return grade_assignment(AID, args, env, timeout)


def read_grades(out: Path) -> dict:
    """The rows of ``out/grades.csv`` by student (one assignment)."""
    with open(out / "grades.csv", newline="") as fh:
        return {r["student"]: r for r in csv.DictReader(fh) if r["assignment"] == AID}


def feedback_page(out: Path, student: str) -> Path:
    """Where ``nncourse grade`` writes ``student``'s feedback page."""
    return out / "feedback" / AID / f"{student}.html"


def outputs_text(out: Path, student: str) -> str:
    """The stream outputs of ``student``'s autograded notebook, joined."""
    nb = nbformat.read(out / "nbgrader" / "autograded" / student / AID / f"{AID}.ipynb", as_version=4)
    return "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                     if o.get("output_type") == "stream")


class LoopbackServer:
    """A TCP server on the machine's 127.0.0.1 that counts the connections it receives."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                pass

    def close(self):
        self.stop = True
        self.thread.join(5)
        self.sock.close()


def probe_cell(out: Path, port: int) -> str:
    """A cell that tries to read, break and phone out; prints one JSON line of outcomes."""
    home_files = sorted(p for p in Path.home().iterdir() if p.is_file()) if Path.home().is_dir() else []
    targets = {
        "solutions": str(ROOT / "solutions" / AID / f"{AID}.ipynb"),
        # the grader's copy of the solutions (hidden tests included), in the output folder
        "graders_solutions": str(out / "nbgrader" / "source" / AID / f"{AID}.ipynb"),
        "gradebook": str(out / "gradebook.db"),
        "input_folder": str(out.parent / "submissions" / "good" / f"{AID}.ipynb"),
    }
    if home_files:
        targets["home"] = str(home_files[0])
    return f'''
import json as _json, os as _os, shutil as _shutil, socket as _socket
_found = {{}}
for _name, _path in {targets!r}.items():
    try:
        if _os.path.isdir(_path):
            _os.listdir(_path)
        else:
            open(_path, "rb").read(10)
        _found[_name] = "READ"
    except Exception as _exc:
        _found[_name] = "blocked"
for _name, _path in {{"delete_gradebook": {targets["gradebook"]!r}, "delete_solutions": {str(ROOT / "solutions")!r}}}.items():
    try:
        if _os.path.isdir(_path):
            _shutil.rmtree(_path)
        else:
            _os.remove(_path)
        _found[_name] = "DELETED"
    except Exception:
        _found[_name] = "blocked"
for _name, _addr in {{"loopback": ("127.0.0.1", {port}), "internet": ("1.1.1.1", 53)}}.items():
    _s = _socket.socket()
    _s.settimeout(3)
    try:
        _s.connect(_addr)
        _found[_name] = "CONNECTED"
    except Exception:
        _found[_name] = "blocked"
    finally:
        _s.close()
# the notebook being graded holds the hidden tests: it must not be in the kernel's folder
_found["graded_notebook"] = "READ" if any(_f.endswith(".ipynb") for _f in _os.listdir(".")) else "blocked"
print("PROBE " + _json.dumps(_found))
'''


def craft(folder: Path, out: Path, port: int) -> dict[str, dict]:
    """Write the crafted class into ``folder``; return the expected rows (status, score)."""
    sol, stub = solution(), student_version()
    expect = {}

    write(sol, folder / "good" / f"{AID}.ipynb")
    expect["good"] = dict(status="ok", score=FULL)

    # untouched student version under a wrong name, next to a file that is not a notebook
    write(stub, folder / "stub" / f"Copy of {AID}.ipynb")
    (folder / "stub" / "notes.txt").write_text("my notes")
    expect["stub"] = dict(status="ok", score=0.0, message="Copy of")

    # a loop that the per-cell timeout interrupts: tanh/threshold/relu never get defined;
    # and a sigmoid that passes the visible checks but fails a hidden one (it writes into
    # its input)
    nb = replace_answers(sol, {"answer-01-activations": "while True:\n    pass", "answer-01-sigmoid": (
        "def sigmoid(x):\n"
        "    x = np.asarray(x, dtype=float)\n"
        "    pos = x >= 0\n"
        "    x[pos] = 1 / (1 + np.exp(-x[pos]))\n"
        "    x[~pos] = np.exp(x[~pos]) / (1 + np.exp(x[~pos]))\n"
        "    return x")})
    write(nb, folder / "loop" / f"{AID}.ipynb")
    # every test but the activations' three and the sigmoid's hidden one (each exercise is
    # graded on its own: the derivatives, forward and dense tests use reference activations)
    expect["loop"] = dict(status="timeout", score=7.0)

    # a loop that ignores the interrupt: only the notebook's total cap ends it
    nb = replace_answers(sol, {"answer-01-forward": (
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass")})
    write(nb, folder / "stubborn" / f"{AID}.ipynb")
    expect["stubborn"] = dict(status="timeout", score=8.0)  # every test before forward

    # a kernel that dies in the derivatives exercise
    nb = replace_answers(sol, {"answer-01-derivatives": "import os\nos._exit(1)"})
    write(nb, folder / "crash" / f"{AID}.ipynb")
    expect["crash"] = dict(status="kernel_died", score=6.0)  # sigmoid 3 + activations 3

    # enormous output, then a correct answer
    nb = copy.deepcopy(sol)
    i = cell_index(nb, "answer-01-sigmoid")
    nb.cells[i].source = ('for _i in range(300_000):\n    print("spam " * 20)\nprint("x" * 50_000_000)\n'
                          + nb.cells[i].source)
    write(nb, folder / "spam" / f"{AID}.ipynb")
    expect["spam"] = dict(status="ok", score=FULL)

    # correct answers, tests tampered with: deleted, edited, duplicated, moved
    nb = copy.deepcopy(sol)
    for c in graded_cells(nb):
        c.source = c.source.split("### BEGIN HIDDEN TESTS")[0]  # the student sees no hidden tests
    del nb.cells[cell_index(nb, "ex-01-sigmoid")]
    nb.cells[cell_index(nb, "ex-01-tanh")].source = "pass  # I do not like this test"
    dup = copy.deepcopy(nb.cells[cell_index(nb, "ex-01-threshold")])
    dup["id"] = "dup-threshold"
    nb.cells.insert(3, dup)  # a copy above the answer it tests
    relu = nb.cells.pop(cell_index(nb, "ex-01-relu"))
    nb.cells.insert(cell_index(nb, "answer-01-activations"), relu)  # moved above its answer
    write(nb, folder / "tamper" / f"{AID}.ipynb")
    expect["tamper"] = dict(status="ok", score=FULL, message="put back")

    # the untouched stub with every test replaced by `pass`, one deleted, one duplicated
    nb = copy.deepcopy(stub)
    for c in graded_cells(nb):
        c.source = "pass"
    del nb.cells[cell_index(nb, "ex-01-dense")]
    dup = copy.deepcopy(nb.cells[cell_index(nb, "ex-01-forward")])
    dup["id"] = "dup-forward"
    nb.cells.append(dup)
    write(nb, folder / "cheat" / f"{AID}.ipynb")
    expect["cheat"] = dict(status="ok", score=0.0)

    # 6 GiB of memory
    nb = replace_answers(sol, {"answer-01-forward": "big = np.ones(6 * 2**30 // 8)\n"})
    write(nb, folder / "hog" / f"{AID}.ipynb")
    expect["hog"] = dict(status="memory_limit", score=0.0)

    # reads, deletes and connects where it should not; its answers are correct
    nb = copy.deepcopy(sol)
    nb.cells.insert(3, nbformat.v4.new_code_cell(probe_cell(out, port)))
    write(nb, folder / "snoop" / f"{AID}.ipynb")
    expect["snoop"] = dict(status="ok", score=FULL)

    # files that are not notebooks
    text = nbformat.writes(sol)
    (folder / "trunc").mkdir()
    (folder / "trunc" / f"{AID}.ipynb").write_text(text[: len(text) // 2])
    expect["trunc"] = dict(status="invalid_notebook", score=0.0, message="JSON")
    (folder / "badenc").mkdir()
    (folder / "badenc" / f"{AID}.ipynb").write_bytes(text.encode("utf-16"))
    expect["badenc"] = dict(status="invalid_notebook", score=0.0, message="UTF-8")
    (folder / "notnb").mkdir()
    (folder / "notnb" / f"{AID}.ipynb").write_text(json.dumps({"answer": 42}))
    expect["notnb"] = dict(status="invalid_notebook", score=0.0, message="not a Jupyter notebook")
    # the file named like the assignment wins over an extra notebook (and it is broken)
    (folder / "extra").mkdir()
    (folder / "extra" / f"{AID}.ipynb").write_bytes(b"\x89PNG\r\n\x1a\n not a notebook")
    write(sol, folder / "extra" / "scratch.ipynb")
    expect["extra"] = dict(status="invalid_notebook", score=0.0, message=f"{AID}.ipynb")
    # two notebooks, neither named like the assignment
    write(sol, folder / "twofiles" / "a.ipynb")
    write(stub, folder / "twofiles" / "b.ipynb")
    expect["twofiles"] = dict(status="ambiguous", score=0.0)
    # a folder with no notebook
    (folder / "empty").mkdir()
    (folder / "empty" / "README.txt").write_text("forgot to attach it")
    expect["empty"] = dict(status="no_notebook", score=0.0)
    return expect



def grade_crafted_class(base: Path) -> dict:
    """Write the crafted class under ``base/submissions`` and grade it into ``base/out``.

    Returns
    -------
    dict with ``subs``, ``out`` (paths), ``proc`` (the finished ``nncourse grade``),
    ``expect`` (student -> expected status, score, message part), ``before`` (digest of the
    submissions folder before grading) and ``connections`` (to the loopback server during
    grading).
    """
    subs, out = base / "submissions", base / "out"
    server = LoopbackServer()
    try:
        expect = craft(subs, out, server.port)
        before = tree_digest(subs)
        proc = grade([subs, "--out", out, "--timeout", TIMEOUT, "--notebook-timeout", NOTEBOOK_CAP,
                      "--jobs", 2, "--memory", "2G"])
    finally:
        server.close()
    return dict(subs=subs, out=out, proc=proc, expect=expect, before=before, connections=server.connections)
