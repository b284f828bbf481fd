"""The long-lived grading worker of this process: started once, fed one task after another.

A grading task (:mod:`.perform`) used to start ``python -m nncourse.grading.task.worker``
for every submission and pay nbgrader's, nbconvert's and SQLAlchemy's imports each time.
:class:`ResidentWorker` keeps one such process (``worker --serve``) per grading process (a
Dask worker, ``nncourse grade-task``), in its own process group, and hands it one spec file
after another on its standard input; it answers ``done`` on its standard output when the
spec's result file is written. With warm kernels it first starts the fork server
(:mod:`.forkserver`) and says ``ready PID`` once the server answers.

It is started again when it has died (a crash, or killed by the task for its memory or its
time: :meth:`ResidentWorker.kill`), after :data:`TASKS_PER_WORKER` tasks, and whenever a
task needs another environment than it was started with (another thread cap, backend or
kernel mode). Nothing a submission runs lives in it: a task's result never depends on what
ran before it (each task has its own nbgrader course, gradebook copy and kernel).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Tasks one worker process grades before it is replaced by a new one.
TASKS_PER_WORKER = 200
#: Seconds a worker (and its fork server's imports) may take to say it is ready.
START_TIMEOUT_S = 300.0


class WorkerGone(RuntimeError):
    """The worker process ended (or never became ready)."""


class ResidentWorker:
    """One ``worker --serve`` process and its log.

    Parameters
    ----------
    env : dict
        Its environment (the grading environment, thread caps).
    warm : bool
        Start the fork server (warm kernels) or not (fresh kernels).
    parent : int
        The pid it dies with (this process).
    """

    def __init__(self, env: dict, warm: bool, parent: int):
        self.key = environment_key(env, warm)
        self.warm = warm
        self.tasks = 0
        self.folder = Path(tempfile.mkdtemp(prefix="nncourse-worker-"))
        self.log_path = self.folder / "worker.log"
        argv = [sys.executable, "-m", "nncourse.grading.task.worker", "--serve", str(parent),
                "--folder", str(self.folder)] + (["--warm"] if warm else [])
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(argv, cwd=self.folder, env=env, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=log, start_new_session=True)
        self.server_pid = None
        self.started_s = 0.0

    def wait_ready(self) -> float:
        """Wait for the ``ready`` line; returns the seconds it took.

        Raises
        ------
        WorkerGone
            When the worker exits or stays silent for :data:`START_TIMEOUT_S`.
        """
        start = time.monotonic()
        line = self._line(START_TIMEOUT_S)
        if not line.startswith("ready"):
            raise WorkerGone(f"the grading worker did not start: {line or self.log_tail()}")
        parts = line.split()
        self.server_pid = int(parts[1]) if len(parts) > 1 and parts[1] != "0" else None
        self.started_s = time.monotonic() - start
        return self.started_s

    def send(self, spec_path: Path) -> None:
        """Hand the worker one task (its spec file)."""
        self.tasks += 1
        try:
            self.proc.stdin.write(f"{spec_path}\n".encode())
            self.proc.stdin.flush()
        except OSError as exc:
            raise WorkerGone(f"the grading worker is gone ({exc})") from None

    def finished(self, wait_s: float) -> bool:
        """Whether the task sent last is done (waits up to ``wait_s``).

        Raises
        ------
        WorkerGone
            When the worker died first.
        """
        ready, _w, _x = select.select([self.proc.stdout], [], [], wait_s)
        if not ready:
            if self.proc.poll() is not None:
                raise WorkerGone(f"the grading worker exited ({self.proc.returncode})")
            return False
        line = self.proc.stdout.readline().decode(errors="replace").strip()
        if line == "done":
            return True
        raise WorkerGone(f"the grading worker exited ({self.proc.poll()}): {line or self.log_tail()}")

    def _line(self, timeout_s: float) -> str:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            ready, _w, _x = select.select([self.proc.stdout], [], [], 0.1)
            if ready:
                return self.proc.stdout.readline().decode(errors="replace").strip()
            if self.proc.poll() is not None:
                return ""
        return ""

    def alive(self) -> bool:
        return self.proc.poll() is None

    def log_tail(self, chars: int = 2000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def kill(self) -> None:
        """Kill the worker with everything it started (fork server, kernels, sandboxes)."""
        import psutil

        from nncourse.grading.task.perform import kill_tree

        if self.proc.poll() is None:
            try:
                kill_tree(psutil.Process(self.proc.pid))
            except psutil.Error:
                pass
            self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)


def environment_key(env: dict, warm: bool) -> str:
    """What a worker was started with: a task that needs another gets another worker."""
    return hashlib.sha256(json.dumps([sorted(env.items()), warm]).encode()).hexdigest()


_current: ResidentWorker | None = None


def resident_worker(env: dict, warm: bool) -> ResidentWorker:
    """This process's worker for ``env`` and ``warm``, started (and waited for) if need be.

    Raises
    ------
    WorkerGone
        When a new worker does not start.
    """
    global _current
    key = environment_key(env, warm)
    w = _current
    if w is not None and (not w.alive() or w.key != key or w.tasks >= TASKS_PER_WORKER):
        w.kill()
        w = _current = None
    if w is None:
        w = ResidentWorker(env, warm, os.getpid())
        try:
            w.wait_ready()
        except WorkerGone:
            w.kill()
            raise
        _current = w
    return w


def discard(worker: ResidentWorker) -> None:
    """Kill ``worker`` (after a task that breached a limit); the next task starts another."""
    global _current
    worker.kill()
    if _current is worker:
        _current = None


@atexit.register
def _stop() -> None:
    if _current is not None:
        _current.kill()
