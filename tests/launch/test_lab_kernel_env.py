"""A student's JupyterLab, started as the README says, gives its kernels none of the
grading settings.

JupyterLab's nbgrader extension loads ``nbgrader_config.py`` from the folder the server
starts in; whatever that file put into ``os.environ`` reached every kernel of the server
(fast mode, no figures, warnings off). The test starts ``jupyter lab course/`` from the
repository root with a shell's environment (none of the grading variables), asks the server
for a kernel through its REST API, connects to that kernel with the connection file the
server wrote, and reads the variables from inside it. It also checks that the server did
load the nbgrader extension, so the config file was read.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import time
import urllib.request

import pytest

from nncourse import layout
from tests.course_tools import ROOT

#: What grading sets and a student's kernel must not see.
GRADING_VARIABLES = sorted({*layout.GRADING_KERNEL_ENV, "NNLIB_MODE", "NNLIB_OFFLINE", "NNLIB_GRADING_MODE"})

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(opener, url: str, token: str, method: str = "GET", body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with opener.open(req, timeout=10) as resp:
        return json.loads(resp.read() or b"{}")


def _read_kernel_environ(connection_file: str, names: list[str]) -> dict:
    """Execute code in the kernel and return ``{name: os.environ.get(name)}`` from inside it."""
    from jupyter_client import BlockingKernelClient

    client = BlockingKernelClient(connection_file=connection_file)
    client.load_connection_file()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        code = f"import json, os; print(json.dumps({{n: os.environ.get(n) for n in {names!r}}}))"
        msg_id = client.execute(code)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            msg = client.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
                return json.loads(msg["content"]["text"])
            if msg["msg_type"] == "error":
                raise AssertionError("\n".join(msg["content"]["traceback"]))
        raise AssertionError("the kernel printed nothing within 60 s")
    finally:
        client.stop_channels()


def test_readme_launch_gives_kernels_no_grading_settings(tmp_path):
    # a shell's environment: nothing of the test suite's grading set-up
    env = {k: v for k, v in os.environ.items() if k not in GRADING_VARIABLES}
    env.update(JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"), HOME=str(tmp_path))
    token, port = secrets.token_hex(16), _free_port()
    # the README's command, `jupyter lab course/` from the repository root, on loopback
    cmd = [os.path.join(layout.bin_dir(), "jupyter"), "lab", "course/", "--no-browser", "--ip=127.0.0.1",
           f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log_path = tmp_path / "jupyter.log"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "w") as log:
        server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _request(opener, f"{base}/api/status", token)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n" + log_path.read_text()[-3000:])
                time.sleep(0.5)
        kernel = _request(opener, f"{base}/api/kernels", token, method="POST", body={"name": "python3"})
        connection_file = tmp_path / "runtime" / f"kernel-{kernel['id']}.json"
        for _ in range(100):
            if connection_file.is_file():
                break
            time.sleep(0.2)
        seen = _read_kernel_environ(str(connection_file), GRADING_VARIABLES)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    log = log_path.read_text()
    assert "nbgrader" in log, "the nbgrader server extension did not load, so nbgrader_config.py was not read:\n" + log[-2000:]
    # ipykernel itself points MPLBACKEND at its inline backend: that one is the student's
    leaked = {k: v for k, v in seen.items() if v is not None and not (k == "MPLBACKEND" and "inline" in v)}
    assert not leaked, f"a student's kernel inherited grading settings {leaked}; expected none of {GRADING_VARIABLES}"
