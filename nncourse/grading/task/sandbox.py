"""Fence each student's kernel in with what the operating system offers.

Student code runs with the grader's rights unless something stops it. On Linux:

``bwrap`` (bubblewrap, Debian package ``bubblewrap``)
    The kernel runs in new user, mount, PID, IPC, UTS and network namespaces. Its file
    system is the system's directories and the Python installation, read-only, a private
    ``/tmp``, the course library ``nnlib`` (read-only) and a writable scratch folder with
    the assignment's data files, at the path nbgrader runs the notebook from (the notebook
    itself, which holds the hidden tests while it is graded, is not there): no solutions, no gradebook, no other submission, no home. The
    network namespace has only its own loopback: nothing outside is reachable, not even a
    server on the machine's ``127.0.0.1``. The kernel talks to the grader through unix
    sockets in its scratch folder.
``unshare`` (util-linux)
    Network namespace only (no connection leaves the kernel); the file system is not
    fenced.
neither
    No fence: the kernel runs as the grader. Said plainly at the start of the run.

Processes: the watchdog also counts the processes of that tree and stops a notebook that
starts more than :data:`~nncourse.grading.task.task.Limits` ``processes`` (a fork bomb);
where the machine lets the grader make control groups (:func:`process_limit_group`), a
forked kernel's group also has ``pids.max``, so the bomb's forks fail before it gets far,
and a fork refused there (:func:`refused_forks`) stops the notebook too.

Memory (``--memory``) is enforced by the batch for every kind, by a resident-memory
watchdog over the worker's whole process tree (not an address-space limit, which
TensorFlow's import would not survive). Wall time is limited per cell and per notebook.
:func:`detect` finds the best kind; ``NNCOURSE_SANDBOX=bwrap|unshare|none`` forces one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

KINDS = ("bwrap", "unshare", "none")


def _works(argv: list[str]) -> bool:
    try:
        return subprocess.run(argv + ["true"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _bwrap_base() -> list[str]:
    return ["bwrap", "--die-with-parent", "--unshare-all", "--ro-bind", "/", "/"]


def _unshare_base() -> list[str]:
    return ["unshare", "--user", "--map-root-user", "--net", "--"]


@dataclass
class Sandbox:
    """The kind of fence available, and the protections it gives (see module docstring)."""

    kind: str

    @property
    def protections(self) -> dict[str, bool]:
        return {
            "file system (no solutions, gradebook, other submissions or home)": self.kind == "bwrap",
            "network (loopback included)": self.kind in ("bwrap", "unshare"),
            "memory (resident-memory watchdog)": True,
            "time (per cell and per notebook)": True,
        }

    def announcement(self) -> str:
        """One paragraph for the start of a run: what holds, and what is missing, plainly."""
        missing = [name for name, ok in self.protections.items() if not ok]
        holds = [name for name, ok in self.protections.items() if ok]
        line = f"sandbox: {self.kind}; protected: {', '.join(holds)}."
        if missing:
            fix = "install bubblewrap (apt-get install -y bubblewrap)"
            line += (f"\nWARNING: NOT protected: {', '.join(missing)}. Student code can reach these "
                     f"with your rights; {fix} to close this.")
        return line

    def kernel_argv(self, python: str, scratch: Path, library: Path, run_dir: Path,
                    scratch_source: Path | None = None) -> list[str]:
        """The kernelspec ``argv`` that starts an IPython kernel inside the fence.

        Parameters
        ----------
        python : str
            The interpreter (``sys.executable``).
        scratch : Path
            The student's scratch copy (the kernel's working folder; writable).
        library : Path
            The folder of the installed ``nnlib`` package (``Path(nnlib.__file__).parent``),
            made visible read-only at its own path: the interpreter then imports it the way
            it always does (site-packages, or an editable install's path), with no
            change to the import path and no view of the rest of the repository.
        run_dir : Path
            Where the connection file and the unix sockets are (writable).
        scratch_source : Path, optional
            The folder mounted at ``scratch`` inside the fence (default: ``scratch`` itself).
            nbgrader executes the notebook from ``scratch``, where it keeps the notebook
            *with* its hidden tests; the grader mounts a copy of the assignment's other
            files there instead, so student code cannot read the hidden tests.
        """
        kernel = [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        if self.kind == "none":
            return kernel
        if self.kind == "unshare":
            return _unshare_base() + kernel
        argv = ["bwrap", "--die-with-parent", "--unshare-all"]
        for folder in ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/etc", "/opt"):
            argv += ["--ro-bind-try", folder, folder]
        argv += ["--tmpfs", "/tmp", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/run"]
        for prefix in sorted({sys.prefix, sys.base_prefix, os.path.dirname(os.path.realpath(python))}):
            if not prefix.startswith(("/usr/", "/bin/", "/lib", "/opt/")):
                argv += ["--ro-bind", prefix, prefix]
        argv += ["--ro-bind", str(library), str(library), "--bind", str(scratch_source or scratch), str(scratch),
                 "--bind", str(run_dir), str(run_dir), "--chdir", str(scratch),
                 "--setenv", "HOME", "/tmp", "--setenv", "MPLCONFIGDIR", "/tmp/mpl",
                 "--setenv", "KERAS_HOME", "/tmp/keras",
                 # the grader's PID is not visible in the new PID namespace: --die-with-parent does that job
                 "--unsetenv", "JPY_PARENT_PID", "--"]
        return argv + kernel


def detect(forced: str | None = None) -> Sandbox:
    """The best sandbox kind this machine offers (or ``forced`` / ``$NNCOURSE_SANDBOX``).

    Raises
    ------
    ValueError
        When the forced kind is unknown or does not work here.
    """
    forced = forced or os.environ.get("NNCOURSE_SANDBOX") or None
    if forced:
        if forced not in KINDS:
            raise ValueError(f"NNCOURSE_SANDBOX must be one of {KINDS}, not {forced!r}")
        if forced == "bwrap" and not (shutil.which("bwrap") and _works(_bwrap_base())):
            raise ValueError("bubblewrap (bwrap) was asked for but does not work here")
        if forced == "unshare" and not (shutil.which("unshare") and _works(_unshare_base())):
            raise ValueError("unshare was asked for but does not work here")
        return Sandbox(forced)
    if shutil.which("bwrap") and _works(_bwrap_base()):
        return Sandbox("bwrap")
    if shutil.which("unshare") and _works(_unshare_base()):
        return Sandbox("unshare")
    return Sandbox("none")


#: Where a pids control group may be made: cgroup v1's ``pids`` hierarchy, then v2's.
CGROUP_ROOTS = ("/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified", "/sys/fs/cgroup")
#: Prefix of the groups the grader makes (empty ones left by a killed worker are removed).
CGROUP_PREFIX = "nncourse-kernel-"


def _own_cgroup(root: str) -> str | None:
    """This process's group under hierarchy ``root`` (from ``/proc/self/cgroup``)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    v1 = root.endswith("/pids")
    for line in lines:
        _num, controllers, path = line.split(":", 2)
        if (v1 and "pids" in controllers.split(",")) or (not v1 and controllers == ""):
            return path
    return None


def _remove_stale_groups(parent: Path) -> None:
    """Remove the empty groups of grading processes that are gone (killed before they
    could remove their own); a live process's groups are its own to remove."""
    for stale in parent.glob(CGROUP_PREFIX + "*"):
        owner = stale.name[len(CGROUP_PREFIX):].split("-", 1)[0]
        if owner.isdigit() and not os.path.exists(f"/proc/{owner}"):
            try:
                stale.rmdir()  # only an empty group goes
            except OSError:
                pass


def process_limit_group(tasks: int, name: str) -> Path | None:
    """Make a control group, named after this process and ``name``, whose ``pids.max``
    is ``tasks`` (processes and threads); returns its ``cgroup.procs`` file, or None where
    this machine does not let the grader make one (no pids controller, not writable)."""
    for root in CGROUP_ROOTS:
        own = _own_cgroup(root)
        if own is None or not os.path.isfile(os.path.join(root, own.lstrip("/"), "cgroup.procs")):
            continue
        parent = Path(root) / own.lstrip("/")
        _remove_stale_groups(parent)
        group = parent / f"{CGROUP_PREFIX}{os.getpid()}-{name}"
        try:
            group.mkdir()
            (group / "pids.max").write_text(str(tasks))
        except OSError:
            try:
                group.rmdir()
            except OSError:
                pass
            continue
        return group / "cgroup.procs"
    return None


def refused_forks(owner: int) -> int:
    """How many forks the control groups of process ``owner`` (the grading worker that made
    them, :func:`process_limit_group`) refused at their ``pids.max`` (``pids.events``' ``max``
    count), summed; 0 where there are none. A fork bomb whose shells die as soon as their
    forks fail may never show many processes at once to a watchdog that polls; this count
    says that it reached the cap all the same."""
    refused = 0
    for root in CGROUP_ROOTS:
        own = _own_cgroup(root)
        if own is None:
            continue
        for events in (Path(root) / own.lstrip("/")).glob(f"{CGROUP_PREFIX}{owner}-*/pids.events"):
            try:
                counts = dict(line.split() for line in events.read_text().splitlines() if line.strip())
                refused += int(counts.get("max", 0))
            except (OSError, ValueError):
                pass
    return refused


def remove_group(procs_file: Path | None) -> None:
    """Remove the group of :func:`process_limit_group` once its processes are gone."""
    if procs_file is not None:
        try:
            Path(procs_file).parent.rmdir()
        except OSError:
            pass
