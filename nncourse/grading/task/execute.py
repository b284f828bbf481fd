"""nbgrader's ``Execute`` preprocessor with a total time cap and a kernel that may die.

Plain nbgrader stops the whole notebook when the kernel dies (the student gets no score
and no row), and has only a per-cell timeout, which a notebook of many slow cells or a
loop that ignores interrupts multiplies. :class:`GuardedExecute` keeps the per-cell
timeout and adds:

- a total budget per notebook: no cell waits past it, and once it is spent the cells
  left are not run;
- a cell whose output never goes idle after its reply (an ignored interrupt) counts as
  timed out instead of failing the whole notebook; ``iopub_timeout`` is raised from
  nbclient's 4 s so that a loaded machine does not lose a slow cell's last output;
- a dead kernel ends the run cleanly: the cell it died in and every cell after it get an
  error output, so nbgrader scores the tests that had passed and gives 0 to the others
  (a test cell without outputs would otherwise count as passed).

What happened is kept in :data:`GuardedExecute.events` for the worker to report, with
where the time went: ``kernel_ready_s`` (from the start of the run until the kernel
answered) and ``executed_s`` (the whole run, the kernel's start included).

With ``fork_server`` set, the kernel is forked from that warm server
(:class:`~nncourse.grading.task.warm.WarmKernelManager`) instead of started afresh; the
kernelspec, its sandbox and everything else stay as they are.
"""

from __future__ import annotations

import time

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute

from traitlets import Float, Unicode

from nncourse import layout
from nncourse.kernels import use_local_sockets

#: Written into the kernel at start-up (``IPKernelApp.exec_files``): caps what one cell may
#: print, so a print loop cannot flood the grader's memory or the feedback page.
OUTPUT_CAP_SOURCE = r'''
def __nncourse_cap_output(limit=1_000_000):
    import sys

    class CappedStream:
        def __init__(self, stream):
            self._stream, self._left, self._told = stream, limit, False

        def reset(self, *args, **kwargs):
            self._left, self._told = limit, False

        def write(self, text):
            if self._left <= 0:
                if not self._told:
                    self._told = True
                    self._stream.write("\n... output cut by the grader (more than %d characters in one cell) ...\n" % limit)
                return len(text)
            shown = text[: self._left]
            self._left -= len(text)
            self._stream.write(shown)
            return len(text)

        def __getattr__(self, name):
            return getattr(self._stream, name)

    events = get_ipython().events
    for name in ("stdout", "stderr"):
        capped = CappedStream(getattr(sys, name))
        setattr(sys, name, capped)
        events.register("pre_run_cell", capped.reset)


__nncourse_cap_output()
del __nncourse_cap_output
'''


def _error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"{ename}: {evalue}"])


class GuardedExecute(Execute):
    """``Execute`` with a total time budget and a clean end on kernel death."""

    total_timeout = Float(layout.notebook_timeout_s(layout.CELL_TIMEOUT_S),
                          help="seconds the whole notebook may run").tag(config=True)
    fork_server = Unicode("", help="if set, the unix socket of a fork server (warm kernels) that "
                                   "forks each kernel into its sandbox").tag(config=True)
    ipc_dir = Unicode("", help="if set, talk to the kernel over unix sockets in this folder "
                               "(a kernel without network has no TCP loopback to the grader)").tag(config=True)

    #: ``{"timeout": [cell indexes], "kernel_died": index or None, "cap": bool}`` of the last run.
    events: dict = {}

    def preprocess(self, nb, resources=None, km=None):
        GuardedExecute.events = {"timeout": [], "kernel_died": None, "cap": False}
        self._started = time.monotonic()
        self._deadline = self._started + self.total_timeout
        self._stopped = None
        try:
            return super().preprocess(nb, resources, km)
        except DeadKernelError:  # raised while shutting a dead kernel down
            if self._stopped is None:
                self._stopped = "kernel_died"
                GuardedExecute.events["kernel_died"] = -1
            return nb, resources
        finally:
            GuardedExecute.events["executed_s"] = time.monotonic() - self._started

    def start_new_kernel_client(self):
        client = super().start_new_kernel_client()
        GuardedExecute.events["kernel_ready_s"] = time.monotonic() - self._started
        return client

    def create_kernel_manager(self):
        if self.fork_server:
            from nncourse.grading.task.warm import WarmKernelManager

            self.kernel_manager_class = WarmKernelManager
        km = super().create_kernel_manager()
        if self.fork_server:
            km.fork_server = self.fork_server
        if self.ipc_dir:
            use_local_sockets(km, self.ipc_dir)
            km.connection_file = str(self.ipc_dir).rstrip("/") + "/kernel.json"
        return km

    def _get_timeout(self, cell):
        per_cell = super()._get_timeout(cell)
        left = max(1.0, self._deadline - time.monotonic())
        return int(min(per_cell, left) + 0.999) if per_cell is not None else int(left + 0.999)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if self._stopped is None and time.monotonic() >= self._deadline:
            self._stopped = "cap"
            GuardedExecute.events["cap"] = True
        if self._stopped is not None:
            why = ("the kernel had died" if self._stopped == "kernel_died"
                   else f"the notebook used up its {self.total_timeout:g} s")
            cell.outputs = [_error("NotRun", f"This cell was not run: {why}.")]
            return cell, resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._stopped = "kernel_died"
            GuardedExecute.events["kernel_died"] = index
            cell.outputs = list(cell.get("outputs", [])) + [
                _error("KernelDied", "The Python process running the notebook stopped in this cell "
                                     "(os._exit, a crash, or too much memory).")]
            return cell, resources
        except CellTimeoutError:
            # the reply came (or the interrupt's stand-in did) but the output never went
            # idle: the kernel is still busy, i.e. the interrupt was ignored
            GuardedExecute.events["timeout"].append(index)
            cell.outputs = list(cell.get("outputs", [])) + [
                _error("CellTimeoutError", "This cell did not finish in time and ignored the interrupt.")]
            return cell, resources
        if any(o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError" for o in cell.outputs):
            GuardedExecute.events["timeout"].append(index)
        return cell, resources
