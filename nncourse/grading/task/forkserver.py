"""Warm kernels: a fork server that has imported what a notebook kernel needs, and forks
one kernel per submission into that submission's own sandbox.

A fresh grading kernel spends seconds importing IPython, NumPy, matplotlib, Keras with
its backend and nnlib before the notebook's first cell runs: plain nbgrader pays that for
every student. The fork server (``python -m nncourse.grading.task.forkserver SOCKET``,
started by the long-lived grading worker, :mod:`.worker`) imports them once, runs no
computation (no thread pool of TensorFlow or JAX is started; forking after one has
started would be unsafe), and then only forks. Each request names

- ``ns_pid``: a process inside the submission's fence (the sandbox's placeholder,
  :meth:`~nncourse.grading.task.sandbox.Sandbox.fence_argv`), or None without a fence;
- ``cwd``, ``argv`` (the kernel's own arguments, ``-f CONNECTION_FILE ...``) and ``env``;
- ``cgroup_procs``: where the machine lets the grader make control groups, the
  ``cgroup.procs`` file of a group whose ``pids.max`` caps the kernel's processes, or None.

The forked child enters every namespace of ``ns_pid`` (user first, then mount, PID,
network, IPC, UTS, cgroup: its file system, processes and network are the fence's, exactly
those of a fresh sandboxed kernel), drops every capability the user namespace gave it,
forks again (the grandchild is inside the PID namespace), and the grandchild starts a
session of its own, closes every inherited descriptor, takes the request's environment and starts the IPython kernel. The
server itself never runs student code; each kernel is a copy of the same untouched
process, so nothing one submission did is visible to the next. Both children die with
their parent (``PR_SET_PDEATHSIG``), and all of the fence's processes die with its
placeholder (the PID namespace's first process).
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import sys

#: What a grading kernel imports before the notebook's first cell (the notebooks' own
#: imports): loaded once by the server, shared by every fork.
WARM_MODULES = ("IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell",
                "matplotlib_inline.backend_inline", "numpy", "matplotlib", "matplotlib.pyplot",
                "keras", "nnlib")

#: The namespaces a child enters, the user namespace first (it gives the rights to enter the others).
NAMESPACES = (("user", 0x10000000), ("mnt", 0x00020000), ("pid", 0x20000000), ("net", 0x40000000),
              ("ipc", 0x08000000), ("uts", 0x04000000), ("cgroup", 0x02000000))

_PR_SET_PDEATHSIG = 1
_PR_CAPBSET_DROP = 24
_PR_SET_NO_NEW_PRIVS = 38
_PR_CAP_AMBIENT = 47
_PR_CAP_AMBIENT_CLEAR_ALL = 4
_LINUX_CAPABILITY_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def enter_namespaces(pid: int) -> list[str]:
    """Enter every namespace of process ``pid`` that differs from this process's own.

    Must be called in a single-threaded process (a fresh fork). Returns the names entered.
    Raises OSError when one cannot be entered."""
    libc = _libc()
    fds = []
    for name, flag in NAMESPACES:
        theirs = f"/proc/{pid}/ns/{name}"
        try:
            if os.stat(theirs).st_ino == os.stat(f"/proc/self/ns/{name}").st_ino:
                continue
        except FileNotFoundError:  # a kernel without this kind of namespace
            continue
        fds.append((name, flag, os.open(theirs, os.O_RDONLY | os.O_CLOEXEC)))  # all opened before any is entered
    for name, flag, fd in fds:
        _check(libc.setns(fd, flag), f"setns({name})")
        os.close(fd)
    return [name for name, _flag, _fd in fds]


def drop_capabilities() -> None:
    """Give up every capability (entering a user namespace grants all of them inside it)
    and forbid gaining any back (``no_new_privs``): what runs next has a user's rights only."""
    libc = _libc()
    for cap in range(64):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break  # past the last capability this kernel knows
    libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    _check(libc.capset(ctypes.byref(header), ctypes.byref(data)), "capset")
    _check(libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def _die_with_parent() -> None:
    _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _start_kernel(request: dict) -> None:
    """In the grandchild: become the kernel the request describes (never returns)."""
    os.setsid()  # its own process group: a signal it sends to "its group" reaches nobody else
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.closerange(3, 65536)  # the server's socket and anything else it held
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["ipykernel_launcher", *request["argv"]]
    sys.path[0] = os.getcwd()  # as `python -m ipykernel_launcher` started here would have it
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
    os._exit(0)


def join_process_limit(procs_file: str) -> None:
    """Move this process into the cgroup whose ``cgroup.procs`` is ``procs_file`` (its
    ``pids.max`` caps the processes of the kernel it will start: a fork bomb's forks fail)."""
    with open(procs_file, "w") as f:
        f.write(str(os.getpid()))


def _fork_kernel(request: dict) -> None:
    """In the forked child: enter the fence, fork the kernel, wait for it (never returns)."""
    code = 1
    try:
        _die_with_parent()
        for sig in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        if request.get("cgroup_procs"):
            join_process_limit(request["cgroup_procs"])
        entered = enter_namespaces(request["ns_pid"]) if request.get("ns_pid") else []
        os.chdir(request["cwd"])
        if "user" in entered:
            drop_capabilities()
        kernel = os.fork()
        if kernel == 0:
            try:
                _die_with_parent()
                _start_kernel(request)
            finally:
                os._exit(1)
        # forward what the kernel manager sends to this process to the kernel
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda s, _f: os.kill(kernel, s))
        while True:
            try:
                _pid, status = os.waitpid(kernel, 0)
                break
            except InterruptedError:
                continue
        code = os.waitstatus_to_exitcode(status)
    except BaseException as exc:  # said on the server's log; the kernel manager sees a dead kernel
        print(f"forkserver: child failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
    finally:
        os._exit(code if 0 <= code < 256 else 1)


def _reap() -> None:
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def serve(path: str, parent: int) -> None:
    """Import :data:`WARM_MODULES`, then fork a kernel for each request on the unix socket
    ``path`` until ``parent`` is gone or the socket is closed."""
    import importlib
    import select

    for name in WARM_MODULES:
        importlib.import_module(name)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(8)
    while os.getppid() == parent:
        _reap()
        readable, _w, _x = select.select([server], [], [], 0.5)
        if not readable:
            continue
        conn, _addr = server.accept()
        with conn:
            data = b""
            while not data.endswith(b"\n"):
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
            request = json.loads(data or b"{}")
            if not request.get("argv"):  # a probe: the server is up
                conn.sendall(b'{"pid": 0}\n')
                continue
            pid = os.fork()
            if pid == 0:
                server.close()
                conn.close()
                _fork_kernel(request)
            conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def request_kernel(path: str, request: dict, timeout_s: float = 30.0) -> int:
    """Ask the fork server on ``path`` for a kernel; returns the pid of the process that
    stands for it (the forked child that waits for the kernel)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout_s)
        conn.connect(path)
        conn.sendall(json.dumps(request).encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = conn.recv(65536)
            if not chunk:
                raise OSError("the fork server closed the connection without an answer")
            data += chunk
    return int(json.loads(data)["pid"])


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
