"""One grading task as typed data: what goes in, what comes out, and its resume key.

A task is a pure function (:func:`nncourse.grading.task.perform.grade_task`) of a
:class:`TaskInput` (the assignment's release data, one submission's bytes, the limits,
the grader's version) to a :class:`TaskResult` (per-test scores, status, message,
feedback HTML, timings). It needs no folder shared with the client that records it, so
it runs the same in a local process, on a Dask worker of another machine, or from files
(``nncourse grade-task IN OUT``, for batch systems that run job arrays).

:meth:`TaskInput.key` hashes the whole input; a stored result with the same key is not
graded again (see :mod:`nncourse.grading.gradebook.store`).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from nncourse.grading.status import Status


@dataclass(frozen=True)
class AssignmentData:
    """What every task of one assignment needs, built once by the client.

    Attributes
    ----------
    aid : str
        The assignment id.
    files : tuple of (str, bytes)
        The instructor folder ``solutions/<aid>/`` (relative path, content), notebook included.
    release_notebook : bytes
        The student version nbgrader generated (test cells are restored from it).
    template_gradebook : bytes
        An SQLite gradebook holding only this assignment (each task scores into a copy).
    max_score : float
        The assignment's total points.
    """

    aid: str
    files: tuple[tuple[str, bytes], ...]
    release_notebook: bytes
    template_gradebook: bytes
    max_score: float

    def digest(self) -> str:
        """SHA-256 of the assignment's source and release (the template's bytes carry
        timestamps, and follow from the source)."""
        h = hashlib.sha256(self.aid.encode())
        for name, data in sorted(self.files):
            h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
        h.update(hashlib.sha256(self.release_notebook).digest())
        return h.hexdigest()


@dataclass(frozen=True)
class Limits:
    """What one task may use, and how it must be fenced in.

    Attributes
    ----------
    cell_timeout_s : int
        Seconds one cell may run.
    notebook_timeout_s : float
        Seconds the whole notebook may run.
    memory_bytes : int
        Resident memory of the notebook's whole process tree.
    threads : int
        Compute threads the kernel may use (BLAS, TensorFlow).
    show_hidden : bool
        Show hidden tests in the feedback.
    require_sandbox : bool
        Refuse to run student code on a worker without the file-system and network fence.
    processes : int
        Processes the notebook's kernel may have at once, itself included (a fork bomb is
        stopped there); where control groups can be made, a warm kernel's group also caps
        its processes and threads together at twice that.
    fresh_kernels : bool
        Start every kernel afresh instead of forking it from a warm server (the grades are
        the same either way: it changes the speed, not the result).
    """

    cell_timeout_s: int
    notebook_timeout_s: float
    memory_bytes: int
    threads: int = 1
    show_hidden: bool = False
    require_sandbox: bool = False
    processes: int = 256
    fresh_kernels: bool = False


@dataclass(frozen=True)
class TaskInput:
    """One submission to grade.

    Attributes
    ----------
    assignment : AssignmentData
    student : str
    notebook : bytes or None
        The handed-in notebook's bytes; None when intake found none (``intake_status`` says why).
    notebook_name : str
        Its file name as handed in (messages name it).
    intake_status : Status or None
        ``no_notebook`` or ``ambiguous`` when there is nothing to run.
    intake_message : str
    notes : tuple of str
        Remarks from intake for the instructor (a file graded under another name...).
    limits : Limits
    grader_version : str
        See :func:`grader_version`.
    """

    assignment: AssignmentData
    student: str
    notebook: bytes | None
    limits: Limits
    grader_version: str
    notebook_name: str = ""
    intake_status: Status | None = None
    intake_message: str = ""
    notes: tuple[str, ...] = ()

    def key(self) -> str:
        """SHA-256 over the whole input: the same key means the same result."""
        parts = {
            "assignment": self.assignment.digest(),
            "student": self.student,
            "notebook": hashlib.sha256(self.notebook).hexdigest() if self.notebook is not None else None,
            "notebook_name": self.notebook_name,
            "intake": [str(self.intake_status) if self.intake_status else None, self.intake_message,
                       list(self.notes)],
            # the kernel's thread count and kind change the speed, not the result
            "limits": {k: v for k, v in dataclasses.asdict(self.limits).items()
                       if k not in ("threads", "fresh_kernels")},
            "grader": self.grader_version,
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Timings:
    """Seconds spent by one task.

    ``setup`` (files laid out), ``grading`` (the worker's share: nbgrader's autograde and
    feedback, kernel included), ``total``; and the phases of ``grading``:
    ``worker_start`` (starting the long-lived grading worker, when this task had to: not
    part of ``grading``), ``kernel_ready`` (the kernel started and answering),
    ``executed`` (the notebook run, after the kernel was ready), ``autograde`` (nbgrader's
    whole autograde, both of those included) and ``feedback`` (the feedback page written).
    """

    #: The phases the worker measures (:mod:`nncourse.grading.task.worker`).
    PHASES = ("worker_start", "kernel_ready", "executed", "autograde", "feedback")

    setup: float = 0.0
    grading: float = 0.0
    total: float = 0.0
    worker_start: float = 0.0
    kernel_ready: float = 0.0
    executed: float = 0.0
    autograde: float = 0.0
    feedback: float = 0.0


@dataclass(frozen=True)
class TaskResult:
    """What one task returns to the client, which alone records it.

    Attributes
    ----------
    student : str
    status : Status
    score : float
        Points the tests gave (before any late penalty, which the client applies).
    max_score : float
    scores : tuple of (str, float, float)
        ``(grade_id, score, max_score)`` of every test.
    message : str
        One sentence for a person.
    feedback_html : str or None
        The student's feedback page (hidden tests removed unless asked).
    autograded_notebook : bytes or None
        The notebook as it ran, for the instructor.
    timings : Timings
    worker : str
        Where it ran (host and process), and its sandbox.
    """

    student: str
    status: Status
    score: float
    max_score: float
    scores: tuple[tuple[str, float, float], ...] = ()
    message: str = ""
    feedback_html: str | None = None
    autograded_notebook: bytes | None = None
    timings: Timings = field(default_factory=Timings)
    worker: str = ""

    @property
    def lost_points_in(self) -> tuple[str, ...]:
        """Grade ids of the tests that lost points."""
        return tuple(sorted(gid for gid, got, most in self.scores if got < most))


# --- files, for `nncourse grade-task IN OUT` -------------------------------------------

def _encode(value):
    if isinstance(value, bytes):
        return {"__bytes__": base64.b64encode(value).decode("ascii")}
    if isinstance(value, Status):
        return value.value
    if dataclasses.is_dataclass(value):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode_bytes(value):
    if isinstance(value, dict) and "__bytes__" in value:
        return base64.b64decode(value["__bytes__"])
    return value


def _tuples(value):
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else _decode_bytes(value)


def dump(obj: TaskInput | TaskResult, path: Path) -> None:
    """Write a task input or result as JSON (bytes as base64)."""
    Path(path).write_text(json.dumps({"type": type(obj).__name__, "data": _encode(obj)}), encoding="utf-8")


def load(path: Path) -> TaskInput | TaskResult:
    """Read what :func:`dump` wrote.

    Raises
    ------
    ValueError
        When the file holds neither a task input nor a task result.
    """
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    kind, data = doc.get("type"), doc.get("data") or {}
    if kind == "TaskInput":
        a = data["assignment"]
        assignment = AssignmentData(a["aid"], _tuples(a["files"]), _decode_bytes(a["release_notebook"]),
                                    _decode_bytes(a["template_gradebook"]), float(a["max_score"]))
        return TaskInput(assignment=assignment, student=data["student"], notebook=_decode_bytes(data["notebook"]),
                         limits=Limits(**data["limits"]), grader_version=data["grader_version"],
                         notebook_name=data["notebook_name"],
                         intake_status=Status(data["intake_status"]) if data["intake_status"] else None,
                         intake_message=data["intake_message"], notes=tuple(data["notes"]))
    if kind == "TaskResult":
        return TaskResult(student=data["student"], status=Status(data["status"]), score=float(data["score"]),
                          max_score=float(data["max_score"]), scores=_tuples(data["scores"]),
                          message=data["message"], feedback_html=data["feedback_html"],
                          autograded_notebook=_decode_bytes(data["autograded_notebook"]),
                          timings=Timings(**data["timings"]), worker=data["worker"])
    raise ValueError(f"{path}: not a grading task input or result (type {kind!r})")


@lru_cache(maxsize=1)
def grader_version() -> str:
    """The grader's version: the package and nbgrader versions and a hash of the grading
    code itself (every ``.py`` file of ``nncourse/grading/`` and its sub-packages, each
    with its path relative to it), so that a changed grader never reuses an old result."""
    from importlib.metadata import version

    from nncourse._meta import DISTRIBUTION

    root = Path(__file__).resolve().parent.parent  # nncourse/grading/
    h = hashlib.sha256()
    for rel in sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py")):
        h.update(rel.encode() + (root / rel).read_bytes())
    return f"{DISTRIBUTION} {version(DISTRIBUTION)}; nbgrader {version('nbgrader')}; grading {h.hexdigest()[:12]}"
