"""Feedback pages of ``nncourse grade`` sent back through nbgrader's exchange.

On JupyterHub students hand in with ``nbgrader submit``; ``nbgrader collect ID`` copies each
hand-in to ``<submitted>/<student>/<ID>/`` with nbgrader's ``timestamp.txt`` and
``submission_secret.txt``; ``nncourse grade ID <submitted> --out OUT`` writes a page per
student, ``OUT/feedback/<ID>/<student>.html`` (``OUT/feedback-after-due/<ID>/`` holds the
page of ``nncourse feedback OUT --after-due``). ``nncourse release-feedback ID --out OUT``
puts each page where nbgrader's own ``nbgrader release_feedback ID`` takes it from, then
runs that command.

What nbgrader 0.9 needs (``nbgrader/exchange/default/release_feedback.py`` and
``fetch_feedback.py``): for each ``<feedback>/<student>/<ID>/<notebook>.html``, the same
folder holds the submission's ``timestamp.txt`` and ``submission_secret.txt``; the page is
released as ``md5(secret + notebook)``, and the student's ``nbgrader fetch_feedback``
finds it by hashing the secret kept with their own copy of the hand-in and the name of each
notebook at the top of it. So the page is written under the name of the notebook that was
graded (the one :func:`nncourse.grading.client.intake.collect` picks from the student's
``<submitted>/<student>/<ID>/``, as ``nncourse grade`` did), beside copies of that folder's
``timestamp.txt`` and ``submission_secret.txt``.

A student graded in ``OUT`` gets nothing released (and is named, with the reason) when
nbgrader's submitted folder has no hand-in of theirs for ``ID`` (graded from an LMS
download, say), when that hand-in has no notebook to grade, or no
``submission_secret.txt`` (put there by hand, not through the exchange: nbgrader's release
would fail on it).

The folders are nbgrader's, as the course root's ``nbgrader_config.py`` (and Jupyter's
configuration path before it) sets them: the course's own file puts them in its state
folder (``.nbgrader/`` or ``$NNCOURSE_STATE``, :func:`nncourse.layout.state_dir`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from nncourse import layout
from nncourse.grading.client import intake

#: nbgrader's configuration file, read in the course root.
CONFIG_FILE = "nbgrader_config.py"
#: The files nbgrader's ``release_feedback`` reads beside each page (copied from the hand-in).
SUBMISSION_FILES = ("timestamp.txt", "submission_secret.txt")
#: nbgrader's default ``CourseDirectory.directory_structure``, the one this module writes.
DIRECTORY_STRUCTURE = "{nbgrader_step}/{student_id}/{assignment_id}"


@dataclass(frozen=True)
class NbgraderFolders:
    """nbgrader's folders of a course root.

    Attributes
    ----------
    root : Path
        The course root (``CourseDirectory.root``), where nbgrader commands run.
    submitted : Path
        ``CourseDirectory.submitted_directory``: ``<student>/<ID>/`` per hand-in collected.
    feedback : Path
        ``CourseDirectory.feedback_directory``: ``<student>/<ID>/<notebook>.html`` to release.
    """

    root: Path
    submitted: Path
    feedback: Path


@dataclass(frozen=True)
class Placement:
    """One page to put where ``nbgrader release_feedback`` takes it.

    Attributes
    ----------
    student : str
        The student's nbgrader id (their folder in ``submitted``).
    page : Path
        The page ``nncourse grade`` (or ``nncourse feedback --after-due``) wrote.
    hand_in : Path
        ``<submitted>/<student>/<ID>/``, holding ``timestamp.txt`` and ``submission_secret.txt``.
    target : Path
        ``<feedback>/<student>/<ID>/<notebook>.html``.
    """

    student: str
    page: Path
    hand_in: Path
    target: Path


def nbgrader_folders(course_root: Path) -> NbgraderFolders:
    """nbgrader's folders for ``course_root``, from its configuration as nbgrader loads it.

    Jupyter's configuration path is read first, then ``course_root/nbgrader_config.py``
    (which wins), as an nbgrader command run in ``course_root`` does; nbgrader's defaults
    fill in what neither sets.

    Raises
    ------
    FileNotFoundError
        When ``course_root`` has no ``nbgrader_config.py``.
    ValueError
        When the configuration changes nbgrader's ``directory_structure``.
    """
    from jupyter_core.paths import jupyter_config_path
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    course_root = Path(course_root).resolve()
    if not (course_root / CONFIG_FILE).is_file():
        raise FileNotFoundError(f"no {CONFIG_FILE} in {course_root}: give the course root (the folder where you run "
                                f"nbgrader) with --course-root DIR")
    config = Config()
    for folder in [*reversed(jupyter_config_path()), str(course_root)]:
        if (Path(folder) / CONFIG_FILE).is_file():
            config.merge(PyFileConfigLoader(CONFIG_FILE, path=folder).load_config())
    config.CourseDirectory.setdefault("root", str(course_root))
    coursedir = CourseDirectory(config=config)
    if coursedir.directory_structure != DIRECTORY_STRUCTURE:
        raise ValueError(f"nbgrader's CourseDirectory.directory_structure is {coursedir.directory_structure!r} in "
                         f"{course_root}: release-feedback knows nbgrader's default, {DIRECTORY_STRUCTURE!r}, only")
    root = Path(coursedir.root)
    return NbgraderFolders(root, root / coursedir.submitted_directory, root / coursedir.feedback_directory)


def graded_pages(folder: Path) -> dict[str, Path]:
    """``student -> page`` of the ``<student>.html`` pages in ``folder`` (empty when it is missing)."""
    return {p.stem: p for p in sorted(Path(folder).glob("*.html")) if p.is_file()} if Path(folder).is_dir() else {}


def plan(pages: dict[str, Path], subs: list[intake.Submission], folders: NbgraderFolders,
         aid: str) -> tuple[list[Placement], list[tuple[str, str]]]:
    """Which page goes where, and which graded student gets none (with why).

    Parameters
    ----------
    pages : dict of str to Path
        The graded students' pages (:func:`graded_pages`).
    subs : list of Submission
        What intake finds in ``folders.submitted`` for ``aid``.
    folders : NbgraderFolders
        nbgrader's folders of the course root.
    aid : str
        The assignment id.

    Returns
    -------
    placements : list of Placement
        By student.
    skipped : list of (str, str)
        ``(student, reason)`` of every graded student with nothing to release.
    """
    by_student = {s.student: s for s in subs}
    placements, skipped = [], []
    for student, page in sorted(pages.items()):
        sub = by_student.get(student)
        if sub is None:
            skipped.append((student, f"no hand-in of {aid} in {folders.submitted}"))
            continue
        if sub.notebook is None:
            skipped.append((student, f"no notebook graded in their hand-in ({sub.status})"))
            continue
        nbgrader_id = sub.notebook.relative_to(folders.submitted).parts[0]
        hand_in = folders.submitted / nbgrader_id / aid
        if sub.notebook.parent != hand_in:
            skipped.append((student, f"the notebook graded, {sub.notebook}, is not at the top of {hand_in}, "
                                     "where nbgrader looks for it"))
            continue
        missing = [name for name in SUBMISSION_FILES if not (hand_in / name).is_file()]
        if missing:
            skipped.append((student, f"no {' or '.join(missing)} in {hand_in} (not handed in through nbgrader's "
                                     "exchange)"))
            continue
        target = folders.feedback / nbgrader_id / aid / f"{sub.notebook.stem}.html"
        placements.append(Placement(nbgrader_id, page, hand_in, target))
    return placements, skipped


def place(placement: Placement) -> None:
    """Copy the page to its target and the hand-in's ``timestamp.txt`` and
    ``submission_secret.txt`` beside it (replacing what is there)."""
    placement.target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(placement.page, placement.target)
    for name in SUBMISSION_FILES:
        shutil.copyfile(placement.hand_in / name, placement.target.parent / name)


def release_feedback(aid: str, course_root: Path) -> int:
    """Run ``nbgrader release_feedback <aid>`` in ``course_root`` (its output goes to this
    process's) and return its exit code."""
    cmd = [sys.executable, "-m", "nbgrader", "release_feedback", aid]
    return subprocess.run(cmd, cwd=course_root, env=layout.nbgrader_env()).returncode
