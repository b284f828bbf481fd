"""Real services for tests and benchmarks, started and stopped on this machine: a Dask
cluster of separate processes on loopback, and a PostgreSQL server on a Unix socket.

- :func:`dask_cluster`: ``dask scheduler`` and N x ``dask worker --nthreads 1
  --memory-limit 0`` (each its own process, as the README starts them on grading
  machines); yields the scheduler's address. :func:`worker_pids` maps each worker's
  address to its process id (a test kills one).
- :func:`postgres_server`: Debian's ``postgresql`` package (``initdb`` and ``postgres``
  from ``/usr/lib/postgresql/<version>/bin``) in a temporary folder, listening only on a
  Unix socket, with trust authentication; yields the SQLAlchemy URL of its database
  ``gradebook``. :func:`new_database` adds another database to the same server.
  ``initdb`` refuses to run as root: as root, the server runs as the ``postgres`` user
  (``runuser``), in a folder it owns.
- :func:`process_tree` and :func:`wait_gone`: which processes a test is about to kill
  (with their descendants), and whether they all died.

Not a test module: pytest does not collect it.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from nncourse import layout

#: Seconds a service may take to start (the shared 2 cores of CI may be busy).
START_TIMEOUT_S = 120.0
#: The database :func:`postgres_server` creates.
POSTGRES_DATABASE = "gradebook"


# --------------------------------------------------------------------------- processes


def _start(argv: list[str], log: Path, env: dict, cwd: Path | None = None,
           user: str | None = None) -> subprocess.Popen:
    """Start a service process in a process group of its own (as ``user``, when given),
    its output into ``log``."""
    if user:
        argv = _as_user(user, argv)
    with open(log, "wb") as fh:
        return subprocess.Popen(argv, cwd=cwd or layout.repo_root(), env=env, stdout=fh, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def _stop(procs: list[subprocess.Popen], sig: int = signal.SIGTERM, timeout_s: float = 30.0) -> None:
    """Stop the service processes started here (each leads a process group of its own)."""
    for proc in reversed(procs):
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + timeout_s
    for proc in reversed(procs):
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()


def process_tree(pid: int) -> list:
    """The process ``pid`` and all its descendants now, as :class:`psutil.Process`
    objects (which remember each one's start time: a reused pid is not mistaken for it)."""
    import psutil

    try:
        proc = psutil.Process(pid)
        return [proc] + proc.children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def alive(procs: list) -> list:
    """Those of ``procs`` (psutil processes) still running (zombies count as dead)."""
    import psutil

    out = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


def wait_gone(procs: list, timeout_s: float) -> list:
    """Wait until every one of ``procs`` is gone; returns those still alive at the timeout."""
    deadline = time.monotonic() + timeout_s
    left = alive(procs)
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = alive(left)
    return left


def children(proc) -> list:
    """A psutil process's children ([] once it is gone)."""
    import psutil

    try:
        return proc.children()
    except psutil.Error:
        return []


def command_line(proc) -> str:
    """A psutil process's command line, joined by spaces ("" once it is gone)."""
    import psutil

    try:
        return " ".join(proc.cmdline())
    except psutil.Error:
        return ""


def describe(procs: list) -> str:
    """``pid: command line`` of each process, for assertion messages."""
    return "\n".join(f"{p.pid}: {command_line(p)[:200] or '?'}" for p in procs)


# --------------------------------------------------------------------------- Dask


@contextmanager
def dask_cluster(n_workers: int, tmp: Path, env: dict | None = None):
    """A Dask cluster of separate processes on 127.0.0.1, stopped on exit.

    ``dask scheduler --host 127.0.0.1 --port 0 --no-dashboard`` and ``n_workers`` x
    ``dask worker --nthreads 1 --memory-limit 0 --no-dashboard``, all from this Python's
    ``bin/``, each in a process group of its own. Each worker runs under its nanny, as the
    README starts them: a worker process killed is replaced by a new one (another address
    and pid) that joins the same scheduler.

    Parameters
    ----------
    n_workers : int
        How many ``dask worker`` processes to start.
    tmp : Path
        A folder for the scheduler file and each process's log (created if missing).
    env : dict, optional
        Variables added to every process's environment (e.g. ``TMPDIR``).

    Yields
    ------
    str
        The scheduler's address (``tcp://127.0.0.1:PORT``), once every worker has joined.

    Raises
    ------
    RuntimeError
        When the scheduler or the workers do not come up within :data:`START_TIMEOUT_S`
        (the logs' tails are in the message).
    """
    from distributed import Client

    tmp = Path(tmp)
    tmp.mkdir(parents=True, exist_ok=True)
    dask = str(Path(layout.bin_dir()) / "dask")
    sched_file = tmp / "scheduler.json"
    sched_file.unlink(missing_ok=True)
    full_env = layout.nbgrader_env(env)
    procs: list[subprocess.Popen] = []

    def logs() -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-1500:]}" for p in sorted(tmp.glob("*.log")))

    try:
        procs.append(_start([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                             "--scheduler-file", str(sched_file)], tmp / "scheduler.log", full_env))
        deadline = time.monotonic() + START_TIMEOUT_S
        address = None
        while address is None:
            if procs[0].poll() is not None:
                raise RuntimeError(f"dask scheduler stopped (exit {procs[0].returncode}):\n{logs()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"dask scheduler wrote no {sched_file.name} in {START_TIMEOUT_S:g} s:\n{logs()}")
            try:
                address = json.loads(sched_file.read_text())["address"]
            except (OSError, ValueError, KeyError):  # not written yet, or half written
                time.sleep(0.2)
        for i in range(n_workers):
            procs.append(_start([dask, "worker", "--scheduler-file", str(sched_file), "--host", "127.0.0.1",
                                 "--nthreads", "1", "--memory-limit", "0", "--no-dashboard", "--name", f"worker-{i}"],
                                tmp / f"worker-{i}.log", full_env))
        with Client(address, timeout=f"{START_TIMEOUT_S:g}s") as client:
            try:
                client.wait_for_workers(n_workers, timeout=max(1.0, deadline - time.monotonic()))
            except TimeoutError:
                raise RuntimeError(f"{n_workers} dask worker(s) did not join in time:\n{logs()}") from None
        yield address
    finally:
        _stop(procs)


def worker_pids(address: str) -> dict[str, int]:
    """Worker address -> process id (the worker's, not its nanny's) of the cluster at
    ``address``."""
    from distributed import Client

    with Client(address, timeout="30s") as client:
        return client.run(os.getpid)


# --------------------------------------------------------------------------- PostgreSQL


def postgres_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` that has ``initdb`` and ``postgres``,
    or None (Debian's ``postgresql`` package is not installed)."""
    found = []
    for initdb in Path("/usr/lib/postgresql").glob("*/bin/initdb"):
        try:
            version = float(initdb.parent.parent.name)
        except ValueError:
            continue
        if (initdb.parent / "postgres").is_file():
            found.append((version, initdb.parent))
    return max(found)[1] if found else None


def postgres_missing() -> str | None:
    """Why :func:`postgres_server` cannot run here, or None when it can."""
    if postgres_bin() is None:
        return "no PostgreSQL server (apt-get install postgresql: /usr/lib/postgresql/<version>/bin/initdb)"
    if os.geteuid() == 0:
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, and there is no 'postgres' user to run the server as"
        if shutil.which("runuser") is None and shutil.which("su") is None:
            return "running as root, and neither runuser nor su is there to run the server as 'postgres'"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'psycopg[binary]')"
    return None


def _as_user(user: str, argv: list[str]) -> list[str]:
    """``argv`` run as ``user`` (root only)."""
    if shutil.which("runuser"):
        return ["runuser", "-u", user, "--", *argv]
    import shlex

    return ["su", user, "-s", "/bin/sh", "-c", shlex.join(argv)]


def postgres_url(socket_dir: Path, database: str, user: str | None = None) -> str:
    """The SQLAlchemy URL of ``database`` on the server whose socket is in ``socket_dir``."""
    return f"postgresql+psycopg://{user or getpass.getuser()}@/{database}?host={socket_dir}"


def new_database(url: str, name: str) -> str:
    """Create database ``name`` on the server of ``url`` (a :func:`postgres_server` URL);
    returns its URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    with psycopg.connect(host=u.query["host"], user=u.username, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_url(Path(u.query["host"]), name, u.username)


@contextmanager
def postgres_server(tmp: Path):
    """A PostgreSQL server of its own, on a Unix socket only, stopped and removed on exit.

    The cluster lives in a new folder of the system's temporary folder (the ``postgres``
    user must reach it, and a socket's path must stay short); its superuser is the current
    user, trusted on the socket. As root, ``initdb`` and ``postgres`` run as the
    ``postgres`` user.

    Parameters
    ----------
    tmp : Path
        A folder for the server's log (created if missing).

    Yields
    ------
    str
        The SQLAlchemy URL of the empty database :data:`POSTGRES_DATABASE`, e.g.
        ``postgresql+psycopg://root@/gradebook?host=/tmp/nncourse-pg-XXXX``.

    Raises
    ------
    RuntimeError
        When the server is missing (:func:`postgres_missing` says why) or does not start.
    """
    import psycopg

    why = postgres_missing()
    if why:
        raise RuntimeError(why)
    bindir = postgres_bin()
    tmp = Path(tmp)
    tmp.mkdir(parents=True, exist_ok=True)
    as_root = os.geteuid() == 0
    user = getpass.getuser()
    run_as = "postgres" if as_root else None
    base = Path(tempfile.mkdtemp(prefix="nncourse-pg-"))
    data = base / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(LC_ALL="C", LANG="C")
    procs: list[subprocess.Popen] = []
    log = tmp / "postgres.log"
    try:
        if as_root:
            import pwd

            pw = pwd.getpwnam("postgres")
            os.chown(base, pw.pw_uid, pw.pw_gid)
        initdb = [str(bindir / "initdb"), "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync"]
        proc = subprocess.run(_as_user(run_as, initdb) if run_as else initdb, cwd=base, env=env,
                              capture_output=True, text=True, timeout=START_TIMEOUT_S)
        if proc.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
        procs.append(_start([str(bindir / "postgres"), "-D", str(data), "-k", str(base), "-c", "listen_addresses=",
                             "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
                            log, env, cwd=base, user=run_as))
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if procs[0].poll() is not None:
                raise RuntimeError(f"postgres stopped (exit {procs[0].returncode}):\n{log.read_text()[-2000:]}")
            try:
                with psycopg.connect(host=str(base), user=user, dbname="postgres", autocommit=True,
                                     connect_timeout=5) as conn:
                    conn.execute(f'CREATE DATABASE "{POSTGRES_DATABASE}"')
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"postgres did not accept connections in {START_TIMEOUT_S:g} s:\n"
                                       f"{log.read_text()[-2000:]}") from None
                time.sleep(0.2)
        yield postgres_url(base, POSTGRES_DATABASE, user)
    finally:
        _stop(procs, signal.SIGINT)  # PostgreSQL's fast shutdown
        shutil.rmtree(base, ignore_errors=True)
