"""``nncourse grade`` and ``nncourse check`` on crafted submissions of 01_neuron.

One class of crafted students is graded once (module fixture, one xdist group) and every
survival case reads its row: code that never ends (interruptible or not), a kernel that
dies, enormous output, memory hog, edited/deleted/duplicated/moved test cells, invalid
files, wrong and extra file names, an empty folder, and a student who tries to read,
break and phone out of its sandbox. Cases that need no kernel (intake, exit codes,
feedback sanitising, sandbox detection) are tested directly.
"""

from __future__ import annotations

import copy
import hashlib
import json
import socket
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import nbformat
import pytest

from tests.course_tools import ROOT, cell_index, kernel_env, replace_answers, run, solution_path

AID = "01_neuron"
FULL = 12.0
TIMEOUT = 90          # per cell: the import cell alone takes 40 s when the shared 2 cores are overloaded
NOTEBOOK_CAP = 240    # per notebook

pytestmark = [pytest.mark.grading, pytest.mark.xdist_group("grading_command")]


# ----------------------------------------------------------------------------- helpers
def _solution():
    return nbformat.read(solution_path(AID), as_version=4)


def _student_version():
    return nbformat.read(ROOT / "course" / AID / f"{AID}.ipynb", as_version=4)


def _gid(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _tests(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


def _write(nb, path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def _tree_digest(folder: Path) -> dict:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _grade(args, env=None, timeout=1800):
    cmd = [sys.executable, "-m", "nnlib.cli", "grade", AID, *map(str, args)]
    return run(cmd, ROOT, env, timeout=timeout)


def _rows(out: Path) -> dict:
    import csv

    with open(out / "grades.csv", newline="") as fh:
        return {r["student"]: r for r in csv.DictReader(fh)}


def _outputs_text(out: Path, student: str) -> str:
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


def _probe_cell(out: Path, port: int) -> str:
    """A cell that tries to read, break and phone out; prints one JSON line of outcomes."""
    home_files = sorted(p for p in Path.home().iterdir() if p.is_file()) if Path.home().is_dir() else []
    targets = {
        "solutions": str(ROOT / "solutions" / AID / f"{AID}.ipynb"),
        "other_submission": str(out / "nbgrader" / "submitted" / "good" / AID / f"{AID}.ipynb"),
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


def _craft(folder: Path, out: Path, port: int) -> dict[str, dict]:
    """Write the crafted class into ``folder``; return the expected rows (status, score)."""
    sol, stub = _solution(), _student_version()
    expect = {}

    _write(sol, folder / "good" / f"{AID}.ipynb")
    expect["good"] = dict(status="ok", score=FULL)

    # untouched student version under a wrong name, next to a file that is not a notebook
    _write(stub, folder / "stub" / f"Copy of {AID}.ipynb")
    (folder / "stub" / "notes.txt").write_text("my notes")
    expect["stub"] = dict(status="ok", score=0.0, message="Copy of")

    # a loop that the per-cell timeout interrupts: tanh/threshold/relu never get defined
    nb = replace_answers(sol, {"answer-01-activations": "while True:\n    pass"})
    _write(nb, folder / "loop" / f"{AID}.ipynb")
    expect["loop"] = dict(status="timeout", score=3.0)  # the two sigmoid tests

    # a loop that ignores the interrupt: only the notebook's total cap ends it
    nb = replace_answers(sol, {"answer-01-forward": (
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass")})
    _write(nb, folder / "stubborn" / f"{AID}.ipynb")
    expect["stubborn"] = dict(status="timeout", score=8.0)  # every test before forward

    # a kernel that dies in the derivatives exercise
    nb = replace_answers(sol, {"answer-01-derivatives": "import os\nos._exit(1)"})
    _write(nb, folder / "crash" / f"{AID}.ipynb")
    expect["crash"] = dict(status="kernel_died", score=6.0)  # sigmoid 3 + activations 3

    # enormous output, then a correct answer
    nb = copy.deepcopy(sol)
    i = cell_index(nb, "answer-01-sigmoid")
    nb.cells[i].source = ('for _i in range(300_000):\n    print("spam " * 20)\nprint("x" * 50_000_000)\n'
                          + nb.cells[i].source)
    _write(nb, folder / "spam" / f"{AID}.ipynb")
    expect["spam"] = dict(status="ok", score=FULL)

    # correct answers, tests tampered with: deleted, edited, duplicated, moved
    nb = copy.deepcopy(sol)
    for c in _tests(nb):
        c.source = c.source.split("### BEGIN HIDDEN TESTS")[0]  # the student sees no hidden tests
    del nb.cells[cell_index(nb, "ex-01-sigmoid")]
    nb.cells[cell_index(nb, "ex-01-tanh")].source = "pass  # I do not like this test"
    dup = copy.deepcopy(nb.cells[cell_index(nb, "ex-01-threshold")])
    dup["id"] = "dup-threshold"
    nb.cells.insert(3, dup)  # a copy above the answer it tests
    relu = nb.cells.pop(cell_index(nb, "ex-01-relu"))
    nb.cells.insert(cell_index(nb, "answer-01-activations"), relu)  # moved above its answer
    _write(nb, folder / "tamper" / f"{AID}.ipynb")
    expect["tamper"] = dict(status="ok", score=FULL, message="put back")

    # the untouched stub with every test replaced by `pass`, one deleted, one duplicated
    nb = copy.deepcopy(stub)
    for c in _tests(nb):
        c.source = "pass"
    del nb.cells[cell_index(nb, "ex-01-dense")]
    dup = copy.deepcopy(nb.cells[cell_index(nb, "ex-01-forward")])
    dup["id"] = "dup-forward"
    nb.cells.append(dup)
    _write(nb, folder / "cheat" / f"{AID}.ipynb")
    expect["cheat"] = dict(status="ok", score=0.0)

    # 6 GiB of memory
    nb = replace_answers(sol, {"answer-01-forward": "big = np.ones(6 * 2**30 // 8)\n"})
    _write(nb, folder / "hog" / f"{AID}.ipynb")
    expect["hog"] = dict(status="memory_limit", score=0.0)

    # reads, deletes and connects where it should not; its answers are correct
    nb = copy.deepcopy(sol)
    nb.cells.insert(3, nbformat.v4.new_code_cell(_probe_cell(out, port)))
    _write(nb, folder / "snoop" / f"{AID}.ipynb")
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
    _write(sol, folder / "extra" / "scratch.ipynb")
    expect["extra"] = dict(status="invalid_notebook", score=0.0, message=f"{AID}.ipynb")
    # two notebooks, neither named like the assignment
    _write(sol, folder / "twofiles" / "a.ipynb")
    _write(stub, folder / "twofiles" / "b.ipynb")
    expect["twofiles"] = dict(status="ambiguous", score=0.0)
    # a folder with no notebook
    (folder / "empty").mkdir()
    (folder / "empty" / "README.txt").write_text("forgot to attach it")
    expect["empty"] = dict(status="no_notebook", score=0.0)
    return expect


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    subs, out = base / "submissions", base / "out"
    server = LoopbackServer()
    try:
        expect = _craft(subs, out, server.port)
        before = _tree_digest(subs)
        proc = _grade([subs, "--out", out, "--timeout", TIMEOUT, "--notebook-timeout", NOTEBOOK_CAP,
                       "--jobs", 2, "--memory", "2G"])
    finally:
        server.close()
    return dict(subs=subs, out=out, proc=proc, expect=expect, before=before, connections=server.connections)


# ----------------------------------------------------------------------------- the class
def test_batch_completes_with_a_row_per_student(graded):
    proc = graded["proc"]
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = _rows(graded["out"])
    assert set(rows) == set(graded["expect"])
    header = (graded["out"] / "grades.csv").read_text().splitlines()[0]
    assert header == "student,score,max_score,status,message"
    for row in rows.values():
        assert float(row["max_score"]) == FULL
        assert row["message"].strip()


@pytest.mark.parametrize("student", ["good", "stub", "loop", "stubborn", "crash", "spam", "tamper", "cheat",
                                     "hog", "snoop", "trunc", "badenc", "notnb", "extra", "twofiles", "empty"])
def test_each_case_gets_its_status_and_score(graded, student):
    row, want = _rows(graded["out"])[student], graded["expect"][student]
    assert row["status"] == want["status"], row
    assert float(row["score"]) == want["score"], row
    if "message" in want:
        assert want["message"] in row["message"], row


def test_input_folder_untouched(graded):
    assert _tree_digest(graded["subs"]) == graded["before"]


def test_progress_bar_and_sandbox_notice_on_stderr(graded):
    err = graded["proc"].stderr
    assert err.startswith("sandbox: ")
    assert f"{len(graded['expect'])}/{len(graded['expect'])} done" in err
    assert "failed" in err and "left" in err


def test_gradebook_holds_every_student(graded):
    from nbgrader.api import Gradebook

    rows = _rows(graded["out"])
    with Gradebook("sqlite:///" + str(graded["out"] / "gradebook.db")) as gb:
        for student, row in rows.items():
            sub = gb.find_submission(AID, student)
            assert sub.score == pytest.approx(float(row["score"])), student
            assert not sub.needs_manual_grade, student


def test_feedback_never_shows_hidden_tests(graded):
    hidden, visible = set(), set()
    for cell in _solution().cells:
        head, _, rest = cell.source.partition("### BEGIN HIDDEN TESTS")
        inside, _, tail = rest.partition("### END HIDDEN TESTS")
        hidden |= {line.strip() for line in inside.splitlines() if len(line.strip()) > 12}
        visible |= {line.strip() for line in (head + tail).splitlines()}
    hidden -= visible  # a line that is also visible somewhere may be shown
    import html

    for student in graded["expect"]:
        page = graded["out"] / "feedback" / f"{student}.html"
        assert page.is_file(), student
        text = html.unescape(page.read_text())
        assert "BEGIN HIDDEN TESTS" not in text, student
        leaked = [line for line in hidden if line in text]
        assert not leaked, (student, leaked[:3])
    # a failing hidden test is named as such (loop's forward passes the visible checks, and its
    # hidden ones call the tanh that the endless loop never defined)
    assert "In a hidden test of this cell" in html.unescape((graded["out"] / "feedback" / "loop.html").read_text())


def test_enormous_output_is_cut(graded):
    page = graded["out"] / "feedback" / "spam.html"
    assert page.stat().st_size < 3 * 2**20  # 30 MB of lines and one 50 MB line were printed
    autograded = graded["out"] / "nbgrader" / "autograded" / "spam" / AID / f"{AID}.ipynb"
    assert autograded.stat().st_size < 3 * 2**20
    assert "truncated" in _outputs_text(graded["out"], "spam")


def test_sandbox_blocks_reads_deletes_and_connections(graded):
    from nnlib.grading.sandbox import detect

    if detect().kind != "bwrap":
        pytest.skip("bubblewrap is not available here (apt-get install -y bubblewrap)")
    line = next(x for x in _outputs_text(graded["out"], "snoop").splitlines() if x.startswith("PROBE "))
    found = json.loads(line[len("PROBE "):])
    assert set(found.values()) == {"blocked"}, found
    assert graded["connections"] == 0
    assert (ROOT / "solutions" / AID / f"{AID}.ipynb").is_file()


def test_regrading_one_student_replaces_its_row_with_the_same_score(graded):
    out = graded["out"]
    before = _rows(out)
    proc = _grade([graded["subs"], "--out", out, "--student", "tamper", "--timeout", TIMEOUT,
                   "--notebook-timeout", NOTEBOOK_CAP])
    assert proc.returncode == 0, proc.stderr[-3000:]
    after = _rows(out)
    assert set(after) == set(before)
    assert after["tamper"]["score"] == before["tamper"]["score"] and after["tamper"]["status"] == "ok"
    assert {k: v for k, v in after.items() if k != "tamper"} == {k: v for k, v in before.items() if k != "tamper"}
    assert _tree_digest(graded["subs"]) == graded["before"]


# ----------------------------------------------------------------------------- no kernel needed
def test_intake_flat_lms_files_zip_and_pattern(tmp_path):
    from nnlib.grading.intake import collect

    sol = nbformat.writes(_solution())
    flat = tmp_path / "flat"
    flat.mkdir()
    for name in ["alice_123_01_neuron.ipynb", "bob_99_late_01_neuron.ipynb", "bob_99_scratch.ipynb",
                 "carol_a.ipynb", "carol_b.ipynb", "readme.txt", "nounderscore.ipynb"]:
        (flat / name).write_text(sol)
    subs = {s.student: s for s in collect(flat, AID, tmp_path / "w1")}
    assert set(subs) == {"alice", "bob", "carol"}
    assert subs["alice"].notebook.name == "alice_123_01_neuron.ipynb"
    assert subs["bob"].notebook.name == "bob_99_late_01_neuron.ipynb" and subs["bob"].notes
    assert subs["carol"].status == "ambiguous" and subs["carol"].notebook is None

    subs = {s.student: s for s in collect(flat, AID, tmp_path / "w2", pattern=r"^(?P<student>[a-z]+_\d+)_")}
    assert set(subs) == {"alice_123", "bob_99"}

    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("class/dave/01_neuron.ipynb", sol)
        zf.writestr("class/erin/work/Untitled.ipynb", sol)
        zf.writestr("class/erin/.ipynb_checkpoints/Untitled-checkpoint.ipynb", sol)
        zf.writestr("__MACOSX/._junk", "x")
        zf.writestr("../evil.ipynb", sol)
    subs = {s.student: s for s in collect(archive, AID, tmp_path / "w3")}
    assert set(subs) == {"dave", "erin"}
    assert subs["erin"].notebook.name == "Untitled.ipynb"
    assert not (tmp_path / "evil.ipynb").exists()


def test_normalise_restores_test_order_once_each():
    from nnlib.grading.notebooks import normalise

    release = _student_version()
    nb = copy.deepcopy(release)
    del nb.cells[cell_index(nb, "answer-01-forward")]
    del nb.cells[cell_index(nb, "ex-01-forward")]
    nb.cells.insert(2, copy.deepcopy(nb.cells[cell_index(nb, "ex-01-dense")]))
    fixed, notes = normalise(nb, release)
    order = [_gid(c) for c in fixed.cells if _gid(c)]
    assert order == [_gid(c) for c in release.cells if _gid(c)]
    assert any("ex-01-forward" in n for n in notes) and any("ex-01-dense" in n for n in notes)


def test_invalid_notebooks_are_explained(tmp_path):
    from nnlib.grading.notebooks import InvalidNotebook, read_notebook

    cases = {"trunc.ipynb": nbformat.writes(_solution())[:500].encode(),
             "latin.ipynb": "caf\xe9".encode("latin-1"),
             "list.ipynb": b"[1, 2, 3]",
             "badcells.ipynb": json.dumps({"cells": [{"cell_type": "nonsense"}], "metadata": {},
                                           "nbformat": 4, "nbformat_minor": 5}).encode()}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(InvalidNotebook) as info:
            read_notebook(tmp_path / name)
        assert len(str(info.value)) > 20


def test_feedback_drops_hidden_lines_printed_by_any_cell():
    from nbformat.v4 import new_code_cell, new_output

    from nnlib.grading.feedback import HideHiddenTests

    nb = _solution()
    spy = new_code_cell("print(open('01_neuron.ipynb').read())")
    spy.outputs = [new_output("stream", name="stdout", text=nbformat.writes(nb))]
    nb.cells.insert(3, spy)
    nb, _ = HideHiddenTests().preprocess(nb, {})
    shown = nb.cells[3].outputs[0].text
    assert "default_rng(101)" not in shown and "BEGIN HIDDEN" not in shown
    assert "assert np.isclose(sigmoid(0.0), 0.5)" in shown  # visible tests stay


def test_feedback_sanitiser_hides_hidden_lines_in_tracebacks():
    from nbformat.v4 import new_code_cell, new_output

    from nnlib.grading.feedback import sanitise_cell

    cell = new_code_cell("assert f(1) == 1\n### BEGIN HIDDEN TESTS\nassert f(2) == 'secret-check'\n"
                         "### END HIDDEN TESTS", execution_count=7)
    tb = ["\x1b[0;31mAssertionError\x1b[0m  Traceback",
          "Cell \x1b[0;32mIn[7], line 3\x1b[0m\n      1 assert f(1) == 1\n----> 3 assert f(2) == 'secret-check'\n",
          "\x1b[0;31mAssertionError\x1b[0m: "]
    cell.outputs = [new_output("error", ename="AssertionError", evalue="", traceback=tb)]
    sanitise_cell(cell)
    text = cell.source + json.dumps(cell.outputs)
    assert "secret-check" not in text and "HIDDEN" not in text
    assert "hidden test" in json.dumps(cell.outputs)


def test_bad_arguments_exit_2(tmp_path):
    from nnlib.cli import main

    (tmp_path / "subs" / "a").mkdir(parents=True)
    out = tmp_path / "out"
    assert main(["grade", "99_nothing", str(tmp_path / "subs"), "--out", str(out)]) == 2
    assert main(["grade", AID, str(tmp_path / "missing"), "--out", str(out)]) == 2
    assert main(["grade", AID, str(tmp_path / "subs"), "--out", str(out), "--pattern", "(no-group)"]) == 2
    assert main(["grade", AID, str(tmp_path / "subs"), "--out", str(out), "--student", "zed"]) == 2
    assert main(["grade", AID, str(tmp_path / "subs"), "--out", str(out), "--memory", "lots"]) == 2
    (tmp_path / "notzip.zip").write_text("no")
    assert main(["grade", AID, str(tmp_path / "notzip.zip"), "--out", str(out)]) == 2


def test_degraded_sandbox_is_announced_and_grading_still_works(tmp_path):
    subs = tmp_path / "subs"
    (subs / "empty").mkdir(parents=True)
    (subs / "broken").mkdir()
    (subs / "broken" / f"{AID}.ipynb").write_text("{")
    proc = _grade([subs, "--out", tmp_path / "out"], env=kernel_env(NNCOURSE_SANDBOX="none"))
    assert proc.returncode == 0, proc.stderr
    first = proc.stderr.splitlines()[:2]
    assert first[0].startswith("sandbox: none") and "NOT protected: file system" in first[1]
    assert "network" in first[1]
    assert {r["status"] for r in _rows(tmp_path / "out").values()} == {"no_notebook", "invalid_notebook"}


def test_sandbox_kinds_announce_what_is_missing():
    from nnlib.grading.sandbox import Sandbox

    assert "NOT protected" not in Sandbox("bwrap").announcement()
    assert "NOT protected: file system" in Sandbox("unshare").announcement()
    assert "network" not in Sandbox("unshare").announcement().split("NOT protected")[1]


@pytest.mark.parametrize("kind", ["bwrap", "unshare"])
def test_sandbox_prefix_blocks_what_it_promises(kind, tmp_path):
    import shutil

    from nnlib.grading.sandbox import Sandbox, _works, _bwrap_base, _unshare_base

    base = _bwrap_base() if kind == "bwrap" else _unshare_base()
    if not (shutil.which(base[0]) and _works(base)):
        pytest.skip(f"{kind} does not work here")
    run = tmp_path / "run"
    run.mkdir()
    argv = Sandbox(kind).kernel_argv(sys.executable, tmp_path, ROOT / "nnlib", run)
    prefix = argv[: argv.index(sys.executable)]
    server = LoopbackServer()
    probe = (f"import socket, os\ns = socket.socket(); s.settimeout(2)\n"
             f"print('net', s.connect_ex(('127.0.0.1', {server.port})))\n"
             f"print('fs', os.path.exists({str(ROOT / 'solutions')!r}))")
    try:
        out = subprocess.run(prefix + [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    finally:
        server.close()
    assert "net 0" not in out.stdout and "net " in out.stdout, out
    assert server.connections == 0
    assert ("fs False" in out.stdout) == (kind == "bwrap"), out


def test_check_reports_visible_tests(tmp_path):
    sol = _solution()
    nb = replace_answers(_student_version(), {"answer-01-sigmoid": sol.cells[cell_index(sol, "answer-01-sigmoid")].source})
    path = tmp_path / "mine.ipynb"
    _write(nb, path)
    proc = run([sys.executable, "-m", "nnlib.cli", "check", AID, str(path)], ROOT)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "PASS  ex-01-sigmoid (2 points)" in proc.stdout
    assert "FAIL  ex-01-tanh" in proc.stdout and "NotImplementedError" in proc.stdout
    assert "visible tests: 3 of 12 points" in proc.stdout
    _write(sol, path)
    proc = run([sys.executable, "-m", "nnlib.cli", "check", AID, str(path)], ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
