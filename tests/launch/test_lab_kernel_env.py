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
import time
import urllib.request

import pytest

from nncourse import layout
from tests.course_tools import ROOT
from tests.launch.lab_server import GRADING_VARIABLES, running_lab, shell_env

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]


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
    env = shell_env(tmp_path)
    log_path = tmp_path / "jupyter.log"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    # the README's command, `jupyter lab course/` from the repository root
    with running_lab([os.path.join(layout.bin_dir(), "jupyter"), "lab", "course/"], ROOT, env, log_path) as (base, token):
        kernel = _request(opener, f"{base}/api/kernels", token, method="POST", body={"name": "python3"})
        connection_file = tmp_path / "runtime" / f"kernel-{kernel['id']}.json"
        for _ in range(100):
            if connection_file.is_file():
                break
            time.sleep(0.2)
        seen = _read_kernel_environ(str(connection_file), list(GRADING_VARIABLES))
    log = log_path.read_text()
    assert "nbgrader" in log, "the nbgrader server extension did not load, so nbgrader_config.py was not read:\n" + log[-2000:]
    # ipykernel itself points MPLBACKEND at its inline backend: that one is the student's
    leaked = {k: v for k, v in seen.items() if v is not None and not (k == "MPLBACKEND" and "inline" in v)}
    assert not leaked, f"a student's kernel inherited grading settings {leaked}; expected none of {list(GRADING_VARIABLES)}"
