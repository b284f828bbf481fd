"""Run grading tasks on Dask distributed: an embedded local cluster, or an existing one.

- ``--jobs N`` (the default, N = 1): a :class:`distributed.LocalCluster` of N worker
  processes with one thread each, started and stopped by the run; nothing else to install
  or start.
- ``--scheduler ADDRESS`` (or ``$NNCOURSE_SCHEDULER``): the same tasks go to an existing
  cluster (``dask scheduler``; ``dask worker ADDRESS --nthreads 1 --memory-limit 0`` on
  each machine that has the course installed, and bubblewrap). ``tls://`` addresses use
  Dask's own TLS configuration (``distributed.comm.tls.*``).

Every task is submitted with ``pure=False`` (two identical submissions are two tasks),
the assignment is scattered once to every worker, and results come back as they
complete. A worker lost mid-task is retried on another by the scheduler; a task that
loses its worker too often (``KilledWorker``) comes back as a ``kernel_died`` result,
never as a missing one.
"""

from __future__ import annotations

import logging
import os
import socket
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, replace

from nncourse.grading.status import Status
from nncourse.grading.task.task import AssignmentData, TaskInput, TaskResult, Timings

SCHEDULER_VARIABLE = "NNCOURSE_SCHEDULER"


@dataclass(frozen=True)
class WorkerReport:
    """What a worker says of itself when the run starts."""

    address: str
    host: str
    cpus: int
    sandbox: str
    protections: tuple[str, ...]
    missing: tuple[str, ...]
    backend: str = "tensorflow"
    fence_enterable: bool = True


def describe_worker() -> dict:
    """Run on each worker: its host, CPU count, sandbox and Keras backend (a plain dict
    travels anywhere)."""
    from nncourse import layout
    from nncourse.grading.task.perform import local_sandbox
    from nncourse.grading.task.warm import fence_enterable

    sandbox = local_sandbox()
    return {"host": socket.gethostname(), "cpus": os.cpu_count() or 1, "sandbox": sandbox.kind,
            "fence_enterable": fence_enterable(sandbox.kind),
            "backend": layout.grading_kernel_env().get("KERAS_BACKEND") or "tensorflow",
            "protections": [name for name, ok in sandbox.protections.items() if ok],
            "missing": [name for name, ok in sandbox.protections.items() if not ok]}


def worker_reports(client) -> list[WorkerReport]:
    """Every connected worker's :class:`WorkerReport`."""
    found = client.run(describe_worker)
    return [WorkerReport(addr, d["host"], d["cpus"], d["sandbox"], tuple(d["protections"]), tuple(d["missing"]),
                         d.get("backend", "tensorflow"), d.get("fence_enterable", True))
            for addr, d in sorted(found.items())]


def threads_per_task(reports: list[WorkerReport]) -> int:
    """Compute threads each task may use: the fewest CPUs per worker on any host."""
    per_host = Counter(r.host for r in reports)
    return max(1, min((r.cpus // per_host[r.host] for r in reports), default=1))


@contextmanager
def open_client(scheduler: str | None, jobs: int, connect_timeout_s: float = 30.0):
    """A Dask client: on ``scheduler``, or on a local cluster of ``jobs`` processes.

    Raises
    ------
    ValueError
        When the scheduler cannot be reached.
    """
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=f"{connect_timeout_s}s")
        except (OSError, TimeoutError) as exc:
            raise ValueError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        try:
            yield client
        finally:
            client.close()
        return
    # the tasks fence in their own memory (a watchdog per notebook): Dask's worker memory
    # manager would only pause or restart workers in the middle of a task
    with dask.config.set({"distributed.worker.daemon": False, "distributed.admin.system-monitor.gil.enabled": False}):
        # no dashboard; the scheduler's own HTTP server (always started) on a free loopback
        # port, not 8787: two runs on one machine would warn "Port 8787 is already in use"
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None,
                               scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
                               memory_limit=0, silence_logs=logging.ERROR, host="127.0.0.1")
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()


def grade_with(assignment: AssignmentData, task: TaskInput) -> TaskResult:
    """Run on a worker: the task with its assignment put back (scattered once per worker)."""
    from nncourse.grading.task.perform import grade_task

    return grade_task(replace(task, assignment=assignment))


def _lost(task: TaskInput, exc: BaseException) -> TaskResult:
    from distributed import KilledWorker

    if isinstance(exc, KilledWorker):
        return TaskResult(task.student, Status.KERNEL_DIED, 0.0, task.assignment.max_score,
                          message=("The grading worker process died every time this submission ran on it "
                                   "(Dask gave up after several workers were lost); nothing could be scored."),
                          timings=Timings(), worker="lost")
    return TaskResult(task.student, Status.ERROR, 0.0, task.assignment.max_score,
                      message=f"The grader failed: {type(exc).__name__}: {exc}", timings=Timings(), worker="?")


def run_task_batches(client, assignment: AssignmentData, tasks: list[TaskInput]):
    """Submit every task; yield lists of ``(task, result)``: each list holds every task
    that completed while the one before was being recorded (at least one)."""
    from distributed import as_completed

    if not tasks:
        return
    shared = client.scatter(assignment, broadcast=True, hash=False)
    light = AssignmentData(assignment.aid, (), b"", b"", assignment.max_score)
    futures = {}
    for task in tasks:
        future = client.submit(grade_with, shared, replace(task, assignment=light), pure=False,
                               key=f"grade-{assignment.aid}-{task.student}-{os.urandom(4).hex()}")
        futures[future.key] = (future, task)
    for done in as_completed([f for f, _t in futures.values()]).batches():
        batch = []
        for future in done:
            task = futures[future.key][1]
            try:
                batch.append((task, future.result()))
            except Exception as exc:  # KilledWorker, a worker's own failure: a row, never a gap
                batch.append((task, _lost(task, exc)))
            future.release()
        yield batch
