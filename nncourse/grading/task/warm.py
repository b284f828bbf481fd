"""Warm kernels on nbgrader's side: a kernel manager whose kernels come from the fork
server (:mod:`.forkserver`) instead of a new interpreter.

:class:`WarmKernelManager` is an ordinary ``AsyncKernelManager`` with the same kernelspec
as a fresh kernel (the sandbox's ``bwrap ... -- python -m ipykernel_launcher -f ...``):
its provisioner, :class:`WarmProvisioner`, splits that command into the fence and the
kernel, starts the fence with a placeholder in place of the kernel (``sleep infinity``,
the first process of the fence's namespaces), and asks the fork server to fork a kernel
into those namespaces with the kernel's own arguments and environment. To nbclient the
kernel behaves as a fresh one: it is alive while the forked process is, interrupts go by
message, and killing it kills the fence with everything started inside.

:data:`FORK_SAFE_BACKENDS` names the Keras backends on which forking an imported, idle
process was proven to grade as fresh kernels do; the others get fresh kernels.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from functools import lru_cache
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Integer, Unicode

from nncourse.grading.task.sandbox import process_limit_group, remove_group

#: Keras backends whose kernels may be forked from a warm server (tests/grading/test_warm.py
#: grades the course both ways on each of them).
FORK_SAFE_BACKENDS = ("tensorflow", "jax")

#: The placeholder that holds the fence's namespaces open while the kernel lives.
PLACEHOLDER = ["sleep", "infinity"]


def kernels_mode(backend: str, fresh_kernels: bool, fence_enterable: bool = True) -> str:
    """``"warm"`` or ``"fresh"``: the kernels a run with Keras backend ``backend`` gets, on a
    worker whose sandbox's namespaces a forked kernel can (``fence_enterable``) or cannot enter."""
    warm = not fresh_kernels and backend in FORK_SAFE_BACKENDS and fence_enterable
    return "warm" if warm else "fresh"


def probe_fence(kind: str) -> list[str]:
    """The smallest fence of sandbox ``kind`` with the namespaces a kernel's fence has
    (``--unshare-all`` for bubblewrap), to start :data:`PLACEHOLDER` in."""
    from nncourse.grading.task.sandbox import _unshare_base

    if kind == "bwrap":
        return ["bwrap", "--die-with-parent", "--unshare-all", "--ro-bind", "/", "/", "--proc", "/proc",
                "--dev", "/dev", "--"]
    return _unshare_base()


@lru_cache(maxsize=None)
def fence_enterable(kind: str) -> bool:
    """Whether a process started here can enter every namespace of a fence of sandbox
    ``kind``, as a warm kernel must (probed once per process, in a fresh interpreter).

    Root can; an unprivileged user cannot enter the mount namespace of an unprivileged
    bubblewrap (``setns`` fails with EPERM): a grader run by an instructor's own account
    on a shared machine (a hub) then starts its kernels fresh, fenced as before.
    """
    if kind == "none":
        return True
    placeholder = subprocess.Popen(probe_fence(kind) + PLACEHOLDER, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        ns_pid = _placeholder_pid(placeholder)
        probe = subprocess.run(
            [sys.executable, "-c", "import sys; from nncourse.grading.task.forkserver import enter_namespaces; "
                                   "enter_namespaces(int(sys.argv[1]))", str(ns_pid)],
            stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        return probe.returncode == 0
    except (OSError, RuntimeError, subprocess.TimeoutExpired):
        return False
    finally:
        placeholder.kill()
        placeholder.wait()


def split_kernel_command(cmd: list[str]) -> tuple[list[str], list[str]]:
    """``(fence, kernel_arguments)`` of a kernelspec command ``[fence..., python, -m,
    ipykernel_launcher, args...]`` (the fence is empty without a sandbox).

    Raises
    ------
    ValueError
        When the command does not start an IPython kernel with ``-m ipykernel_launcher``.
    """
    try:
        i = cmd.index("ipykernel_launcher")
    except ValueError:
        raise ValueError(f"not an IPython kernel command: {cmd!r}") from None
    if i < 2 or cmd[i - 1] != "-m":
        raise ValueError(f"not an IPython kernel command: {cmd!r}")
    return cmd[: i - 2], cmd[i + 1:]


def fence_environment(fence: list[str], env: dict) -> dict:
    """``env`` changed as the fence's own ``--setenv NAME VALUE`` and ``--unsetenv NAME``
    change it for the process it starts."""
    env = dict(env)
    i = 0
    while i < len(fence):
        if fence[i] == "--setenv":
            env[fence[i + 1]] = fence[i + 2]
            i += 3
        elif fence[i] == "--unsetenv":
            env.pop(fence[i + 1], None)
            i += 2
        else:
            i += 1
    return env


def _placeholder_pid(proc: subprocess.Popen, timeout_s: float = 20.0) -> int:
    """The pid of the placeholder inside the fence ``proc`` started (the fence execs it
    once its namespaces are set up)."""
    import psutil

    root = psutil.Process(proc.pid)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            for p in [root] + root.children(recursive=True):
                if p.name() == PLACEHOLDER[0]:
                    return p.pid
        except psutil.Error:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"the sandbox exited ({proc.returncode}) before the kernel could start")
        time.sleep(0.002)
    raise RuntimeError("the sandbox did not start in time")


class ForkedKernel:
    """A forked kernel seen as a ``subprocess.Popen`` (what ``LocalProvisioner`` keeps):
    ``pid`` is the fork server's child that waits for the kernel, ``fence`` the sandbox."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, fence: subprocess.Popen | None, group: Path | None = None):
        import psutil

        self.pid = pid
        self.fence = fence
        self.group = group
        self.returncode = None
        try:
            self._proc = psutil.Process(pid)
        except psutil.Error:
            self._proc = None

    def poll(self) -> int | None:
        import psutil

        if self.returncode is None:
            try:
                alive = self._proc is not None and self._proc.status() != psutil.STATUS_ZOMBIE
            except psutil.Error:
                alive = False
            if not alive:
                self.returncode = -signal.SIGKILL  # the fork server reaped it: its code is not ours to read
                self._end_fence()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("forked kernel", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)
        if signum == signal.SIGKILL:
            self._end_fence()

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def _end_fence(self) -> None:
        """Kill the fence's placeholder: its PID namespace, and all that runs in it, ends;
        then remove the kernel's control group."""
        if self.fence is not None and self.fence.poll() is None:
            self.fence.kill()
            self.fence.wait()
        remove_group(self.group)


class WarmProvisioner(LocalProvisioner):
    """``LocalProvisioner`` whose ``launch_kernel`` forks the kernel from the fork server."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        from nncourse.grading.task.forkserver import request_kernel

        fence, arguments = split_kernel_command(cmd)
        env = fence_environment(fence, kwargs.get("env") or dict(os.environ))
        placeholder, ns_pid = None, None
        if fence:
            placeholder = subprocess.Popen(fence + PLACEHOLDER, stdin=subprocess.DEVNULL, start_new_session=True)
            ns_pid = _placeholder_pid(placeholder)
        cwd = kwargs.get("cwd") or os.getcwd()
        group = (process_limit_group(self.parent.max_tasks, self.kernel_id)
                 if self.parent.max_tasks else None)
        pid = request_kernel(self.parent.fork_server,
                             {"ns_pid": ns_pid, "cwd": str(cwd), "argv": arguments, "env": env,
                              "cgroup_procs": str(group) if group else None})
        self.process = ForkedKernel(pid, placeholder, group)
        self.pid, self.pgid = pid, None
        return self.connection_info


class WarmKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels are forked by the fork server at ``fork_server``."""

    fork_server = Unicode("", help="the fork server's unix socket").tag(config=True)
    max_tasks = Integer(0, help="pids.max of each kernel's control group (processes and threads; "
                               "0: no group)").tag(config=True)

    async def _async_pre_start_kernel(self, **kw):
        self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
        if self.provisioner is None:
            self.provisioner = WarmProvisioner(kernel_id=self.kernel_id or "", kernel_spec=self.kernel_spec,
                                               parent=self)
        return await super()._async_pre_start_kernel(**kw)
