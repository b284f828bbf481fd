"""A JupyterLab server started the way a student starts it, for the launch tests.

:func:`shell_env` is the environment of a student's shell (none of the variables the test
suite sets for grading, Jupyter's folders in a temporary one); :func:`running_lab` runs a
``jupyter lab`` command with only what a headless run here needs added (no browser, a
loopback port and a token, ``--allow-root`` as root), waits for it to answer, and stops it.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from nncourse import layout

#: What grading sets and a student's kernel must not see.
GRADING_VARIABLES = tuple(sorted({*layout.GRADING_KERNEL_ENV, "NNLIB_GRADING_MODE"}))


def shell_env(tmp: Path, **extra: str) -> dict:
    """A student's shell: this environment without the grading variables or an active
    venv, with HOME and Jupyter's config, runtime and workspace folders under ``tmp``."""
    env = {k: v for k, v in os.environ.items() if k not in GRADING_VARIABLES and k != "VIRTUAL_ENV"}
    env.update(HOME=str(tmp), JUPYTER_CONFIG_DIR=str(tmp / "config"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"), **extra)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_lab(command: list[str], cwd: Path, env: dict, log_path: Path, start_timeout_s: float = 90):
    """Run ``command`` (a ``jupyter lab ...`` argv) headless on loopback; yield
    ``(base_url, token)`` once ``/api/status`` answers; stop the server on exit.

    Fails the test, with the server's log, when it does not answer in ``start_timeout_s``.
    """
    token, port = secrets.token_hex(16), _free_port()
    cmd = [*command, "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with open(log_path, "w") as log:
        server = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            try:
                with opener.open(f"{base}/api/status?token={token}", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("JupyterLab did not start:\n" + log_path.read_text()[-4000:])
            time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
