"""The sandbox of grading kernels (``nncourse.grading.task.sandbox``): the crafted class's snoop
reads, deletes and connects nowhere; each sandbox kind announces what it does not protect
and its command prefix blocks what it promises; a run without a sandbox says so and still
grades."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.course_tools import ROOT, kernel_env
from tests.grading.crafted_class import AID, GROUP, LoopbackServer, grade, outputs_text, read_grades

pytestmark = pytest.mark.grading


@GROUP
def test_sandbox_blocks_reads_deletes_and_connections(graded):
    from nncourse.grading.task.sandbox import detect

    if detect().kind != "bwrap":
        pytest.skip("bubblewrap is not available here (apt-get install -y bubblewrap)")
    line = next(x for x in outputs_text(graded["out"], "snoop").splitlines() if x.startswith("PROBE "))
    found = json.loads(line[len("PROBE "):])
    assert set(found.values()) == {"blocked"}, found
    assert graded["connections"] == 0
    assert (ROOT / "solutions" / AID / f"{AID}.ipynb").is_file()


@GROUP
def test_degraded_sandbox_is_announced_and_grading_still_works(tmp_path):
    subs = tmp_path / "subs"
    (subs / "empty").mkdir(parents=True)
    (subs / "broken").mkdir()
    (subs / "broken" / f"{AID}.ipynb").write_text("{")
    proc = grade([subs, "--out", tmp_path / "out"], env=kernel_env(NNCOURSE_SANDBOX="none"))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    at = next((i for i, line in enumerate(lines) if line.startswith("sandbox: ")), None)
    assert at is not None, f"expected a 'sandbox: ' line on stderr, got:\n{proc.stderr[-2000:]}"
    assert lines[at] == "sandbox: none" and "NOT protected: file system" in lines[at + 1], lines[at:at + 2]
    assert "network" in lines[at + 1], lines[at + 1]
    assert {r["status"] for r in read_grades(tmp_path / "out").values()} == {"no_notebook", "invalid_notebook"}


def test_sandbox_kinds_announce_what_is_missing():
    from nncourse.grading.task.sandbox import Sandbox

    assert "NOT protected" not in Sandbox("bwrap").announcement()
    assert "NOT protected: file system" in Sandbox("unshare").announcement()
    assert "network" not in Sandbox("unshare").announcement().split("NOT protected")[1]


@pytest.mark.parametrize("kind", ["bwrap", "unshare"])
def test_sandbox_prefix_blocks_what_it_promises(kind, tmp_path):
    from nncourse.grading.task.sandbox import Sandbox, _bwrap_base, _unshare_base, _works

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


def test_forks_refused_at_a_groups_cap_are_counted(tmp_path):
    """A fork bomb of shells that die as soon as their forks fail may never show many
    processes at once to a polling watchdog; the group's refused forks say it hit the cap."""
    import os

    from nncourse.grading.task.sandbox import process_limit_group, refused_forks, remove_group

    procs = process_limit_group(8, f"test-{tmp_path.name}")
    if procs is None:
        pytest.skip("this machine does not let the grader make a pids control group")
    try:
        assert refused_forks(os.getpid()) == 0, "a new group has refused no fork"
        proc = subprocess.run(["sh", "-c", "for i in $(seq 20); do sleep 2 & done; wait"],
                              preexec_fn=lambda: procs.write_text(str(os.getpid())),
                              capture_output=True, text=True, timeout=60)
        assert refused_forks(os.getpid()) > 0, \
            f"20 sleeps in a group capped at 8 tasks: no refused fork counted ({proc.stderr[-500:]})"
    finally:
        remove_group(procs)


@pytest.mark.skipif(shutil.which("bwrap") is None or shutil.which("runuser") is None,
                    reason="needs bubblewrap and runuser")
def test_warm_kernels_only_where_a_fork_can_enter_the_fence():
    """Root's forked kernels enter bubblewrap's namespaces; an unprivileged user's cannot
    (setns into an unprivileged bubblewrap's mount namespace is refused), and that user's
    grader starts its kernels fresh and says why."""
    import os

    from nncourse.grading.client.cluster import WorkerReport
    from nncourse.grading.client.runner import kernels_line
    from nncourse.grading.task.warm import fence_enterable, kernels_mode

    if os.geteuid() != 0:
        pytest.skip("the unprivileged case needs root to switch users")
    assert fence_enterable("bwrap") is True, "root: a forked kernel should enter bubblewrap's fence"
    probe = ("from nncourse.grading.task.warm import fence_enterable; "
             "print(fence_enterable('bwrap'))")
    # nobody: no home, no rights; reads the course's code as any user can (the test
    # environment's Python may lie under a folder closed to others: skip then)
    runuser = shutil.which("runuser")
    can_run = subprocess.run([runuser, "-u", "nobody", "--", sys.executable, "-c", "pass"], capture_output=True)
    if can_run.returncode != 0:
        pytest.skip(f"user nobody cannot run {sys.executable}")
    proc = subprocess.run([runuser, "-u", "nobody", "--", sys.executable, "-c", probe], cwd=ROOT,
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert proc.stdout.strip() == "False", f"nobody: expected False, got {proc.stdout!r} {proc.stderr[-300:]}"
    assert kernels_mode("tensorflow", False, False) == "fresh"
    line = kernels_line(False, [WorkerReport("w", "h", 2, "bwrap", (), (), "tensorflow", False)])
    assert line.startswith("kernels: fresh") and "namespaces" in line, f"expected the reason in {line!r}"
