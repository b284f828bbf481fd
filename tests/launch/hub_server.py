"""A real JupyterHub of the course for tests: ``nncourse hub`` as root on loopback ports,
real Unix users made by the test, each user's server spawned as that user through the
hub's REST API (an admin service whose token the test chooses).

What a machine needs: root, ``useradd``, ``configurable-http-proxy`` (npm) on PATH. The
course's Python must be reachable by every user; where it lies under a folder other users
cannot enter (pyenv under ``/root`` here), :func:`open_way_to` lets them pass through it
(execute only, no listing) for the test's lifetime and closes it again.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from nncourse.hub import hooks, setup
from nncourse.hub.settings import ADMIN_TOKEN_VARIABLE
from tests.course_tools import ROOT
from tests.launch.lab_server import _free_port

#: How long the hub and a user's server may take to answer (a loaded 2-core machine).
START_TIMEOUT_S = 120


def prerequisites() -> list[str]:
    """What this machine lacks to run a hub (empty when nothing)."""
    missing = []
    if os.geteuid() != 0:
        missing.append("root (the hub spawns servers as other users)")
    for tool in ("useradd", "userdel", "runuser", "chpasswd", "configurable-http-proxy"):
        if shutil.which(tool) is None:
            missing.append(tool + (" (npm install -g configurable-http-proxy)" if "proxy" in tool else ""))
    return missing


def ensure_user(name: str) -> None:
    """Create the Unix user ``name`` with a home, as an administrator would (``useradd -m``)."""
    if subprocess.run(["id", name], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "-m", "-s", "/bin/bash", name], check=True)


def set_password(name: str) -> str:
    """Give the Unix user ``name`` a new random password (``chpasswd``) and return it."""
    password = secrets.token_urlsafe(12)
    subprocess.run([shutil.which("chpasswd")], input=f"{name}:{password}\n", text=True, check=True)
    return password


def remove_user(name: str) -> None:
    """Delete the Unix user ``name`` and its home (and any process left running as it)."""
    subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
    subprocess.run(["userdel", "-r", "-f", name], capture_output=True)


@contextlib.contextmanager
def open_way_to(path: Path):
    """Let every user pass through the folders on the way to ``path`` (o+x) while inside."""
    opened = []
    try:
        while (closed := setup.closed_folder(path)) is not None:
            closed.chmod(stat.S_IMODE(closed.stat().st_mode) | stat.S_IXOTH)
            opened.append(closed)
        yield opened
    finally:
        for folder in opened:
            folder.chmod(stat.S_IMODE(folder.stat().st_mode) & ~stat.S_IXOTH)


def run_as(user: str, *cmd: str, cwd: Path | None = None, env: dict | None = None,
           timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``cmd`` as the Unix user ``user`` (``runuser``), with a login-like environment."""
    base = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": f"/home/{user}",
            "USER": user, "LOGNAME": user, "LANG": "C.UTF-8", "NNLIB_OFFLINE": "1"}
    return subprocess.run([shutil.which("runuser"), "-u", user, "--", *cmd], cwd=cwd, env={**base, **(env or {})},
                          capture_output=True, text=True, timeout=timeout)


@dataclass
class Hub:
    """A running hub: its URL, the admin service's token, its folders and its log."""

    url: str
    token: str
    exchange: Path
    course_root: Path
    state: Path
    log: Path
    started_s: float

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """Call the hub's REST API (``/hub/api`` + ``path``) as the admin service."""
        return requests.request(method, f"{self.url}/hub/api{path}", timeout=60,
                                headers={"Authorization": f"token {self.token}"}, **kwargs)

    def server(self, method: str, user: str, path: str, **kwargs) -> requests.Response:
        """Call ``user``'s own server (``/user/<user>`` + ``path``) through the hub's proxy."""
        return requests.request(method, f"{self.url}/user/{user}{path}", timeout=300,
                                headers={"Authorization": f"token {self.token}"}, **kwargs)

    def spawn(self, user: str) -> float:
        """Start ``user``'s server and wait until it answers; return the seconds it took."""
        start = time.monotonic()
        reply = self.api("POST", f"/users/{user}/server")
        assert reply.status_code in (201, 202), f"spawning {user}: expected 201 or 202, got {reply.status_code}: {reply.text[:300]}\n{self.tail()}"
        while time.monotonic() - start < START_TIMEOUT_S:
            model = self.api("GET", f"/users/{user}").json()
            if model["servers"].get("", {}).get("ready"):
                return time.monotonic() - start
            time.sleep(0.5)
        raise AssertionError(f"{user}'s server not ready after {START_TIMEOUT_S} s\n{self.tail()}")

    def tail(self, lines: int = 40) -> str:
        """The end of the hub's log (for assertion messages)."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@contextlib.contextmanager
def running_hub(base: Path, instructor: str, students: tuple[str, ...]):
    """``nncourse hub`` started as the README says, in folders under ``base``."""
    token = secrets.token_hex(16)
    port = _free_port()
    hub = Hub(url=f"http://127.0.0.1:{port}", token=token, exchange=base / "exchange",
              course_root=base / "course", state=base / "state", log=base / "hub.log", started_s=0.0)
    cmd = [str(Path(sys.executable).parent / "nncourse"), "hub", "--instructor", instructor,
           "--student", ",".join(students), "--course-root", str(hub.course_root),
           "--exchange", str(hub.exchange), "--state", str(hub.state), "--port", str(port)]
    # the environment of an administrator's shell: none of the test run's own variables
    # that the hub would hand on to every server (hooks.KEPT_VARIABLES)
    env = {**{k: v for k, v in os.environ.items() if k not in hooks.KEPT_VARIABLES}, ADMIN_TOKEN_VARIABLE: token}
    start = time.monotonic()
    with open(hub.log, "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"nncourse hub exited with {proc.returncode}:\n{hub.tail()}")
            try:
                if requests.get(f"{hub.url}/hub/api/", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() - start > START_TIMEOUT_S:
                raise AssertionError(f"the hub did not answer in {START_TIMEOUT_S} s:\n{hub.tail()}")
            time.sleep(0.2)
        hub.started_s = time.monotonic() - start
        yield hub
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
