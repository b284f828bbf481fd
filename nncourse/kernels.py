"""Start notebook kernels for the course's tools: a patched environment, local sockets.

One runner serves ``nncourse check-all`` and ``nncourse check`` (:func:`execute_notebook`);
nbgrader's own kernels, when an instructor runs plain ``nbgrader autograde``, get the
grading environment through :class:`GradingKernelManager`, which the repository's
``nbgrader_config.py`` names. The grading environment therefore reaches grading kernels
only: nothing here writes ``os.environ`` for longer than one kernel's start.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

from nncourse import layout


@contextmanager
def patched_environ(env: dict):
    """``os.environ`` updated with ``env`` inside the block, restored as it was after."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def use_local_sockets(km, folder) -> None:
    """Make kernel manager ``km`` talk to its kernel over Unix sockets in ``folder``
    instead of TCP: nothing listens on the network, and the kernel has no "running over
    TCP without encryption" warning to print."""
    km.transport = "ipc"
    km.ip = str(folder).rstrip("/") + "/kernel"


def execute_notebook(nb, env: dict, workdir: Path, cell_timeout: int) -> None:
    """Run notebook node ``nb`` in place in a new ``python3`` kernel whose environment is
    this one plus ``env`` and whose working folder is ``workdir``; errors stay in the
    outputs (``allow_errors``), as nbgrader keeps them."""
    from nbclient import NotebookClient

    with patched_environ(env), tempfile.TemporaryDirectory(prefix="nncourse-kernel-") as sockets:
        client = NotebookClient(nb, timeout=cell_timeout, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(workdir)}})
        client.km = client.create_kernel_manager()
        use_local_sockets(client.km, sockets)
        client.execute()


class GradingKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run with the grading environment
    (:func:`nncourse.layout.grading_kernel_env`: fast mode, offline, silent TensorFlow).

    ``nbgrader_config.py`` sets ``c.Execute.kernel_manager_class`` to this class, so plain
    ``nbgrader autograde`` grades as ``nncourse grade`` does, while the JupyterLab server
    that loads the same file (its nbgrader extension does) keeps its own environment.
    """

    async def start_kernel(self, **kw):
        """Start the kernel with the grading environment over ``kw["env"]`` (default: this
        process's environment); a restart reuses it."""
        kw["env"] = layout.grading_kernel_env(kw.get("env"))
        return await super().start_kernel(**kw)
