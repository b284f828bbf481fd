"""Find each student's notebook in what an instructor collected.

Three shapes are accepted (they may be mixed in one folder):

- a folder with one sub-folder per student: ``<student>/<anything>.ipynb`` (sub-folders of
  a student's folder are searched too, ``.ipynb_checkpoints`` and hidden entries are not);
- a ``.zip`` of such a folder (a single top folder inside the archive is stepped into);
- the flat files an LMS exports: ``<student>_<anything>.ipynb``. The student id is what
  comes before the first ``_``, or the named group ``student`` of ``--pattern``.

**nbgrader's layout.** ``nbgrader collect ID`` copies each hand-in to
``submitted/<student>/<ID>/`` with its ``timestamp.txt``: a student's folder there holds
one sub-folder per assignment collected. So:

- where a student's folder has a sub-folder named exactly the assignment id, that
  sub-folder alone is read: its notebooks, and its ``timestamp.txt`` as the submission's
  time, never another assignment's (of several ``timestamp.txt``, the shallowest: one a
  student put in a sub-folder of the hand-in never stands for nbgrader's);
- where it has none, its sub-folders named after the course's other assignments
  (:data:`nncourse.layout.ASSIGNMENTS`) are skipped and the rest is read as above. When
  nothing else holds a notebook, that student did not hand in this assignment (nbgrader
  has no submission of theirs either): they are left out of this assignment's grading,
  named on one printed line, rather than reported ``no_notebook``;
- a student's folder that holds no notebook and no other assignment's sub-folder is
  ``no_notebook``.

Where a student handed in several notebooks, the one named ``<ID>.ipynb`` wins; failing
that, the only one whose name contains the assignment id; otherwise the submission is
``ambiguous``. Nothing in the input is ever written: a zip is extracted into the output
folder, and grading works on copies.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from nncourse import layout

#: Characters allowed in a student id (nbgrader uses it in paths and in the gradebook).
_UNSAFE = re.compile(r"[^A-Za-z0-9._@+-]")


@dataclass
class Submission:
    """One student's hand-in.

    ``notebook`` is the file to grade, or None with ``status``/``message`` saying why.
    ``notes`` are remarks an instructor should read (a wrong file name, extra files).
    ``timestamp`` is the content of the ``timestamp.txt`` nbgrader's exchange writes next
    to a submission, when the student's folder has one (LMS files carry no reliable time).
    """

    student: str
    notebook: Path | None = None
    status: str | None = None
    message: str = ""
    notes: list[str] = field(default_factory=list)
    candidates: list[Path] = field(default_factory=list)
    timestamp: str | None = None


def safe_student_id(raw: str) -> str:
    """A student id usable as a folder name and gradebook key (unsafe characters -> ``-``)."""
    cleaned = _UNSAFE.sub("-", raw.strip()).strip(".-")
    return cleaned or "unknown"


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith((".", "__MACOSX")) or part == ".ipynb_checkpoints"
               for part in path.relative_to(root).parts)


def unpack_zip(archive: Path, dest: Path) -> Path:
    """Extract ``archive`` into ``dest`` (emptied first) and return the folder to read.

    Entries with absolute paths or ``..`` are skipped (no writing outside ``dest``).

    Raises
    ------
    ValueError
        When the file is not a readable zip archive.
    """
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                name = info.filename
                parts = Path(name).parts
                if name.startswith(("/", "\\")) or ".." in parts or info.is_dir():
                    continue
                target = dest.joinpath(*parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError(f"cannot read the zip archive {archive}: {exc}") from exc
    entries = [p for p in dest.iterdir() if not _hidden(p, dest)]
    if len(entries) == 1 and entries[0].is_dir() and not list(entries[0].glob("*.ipynb")):
        return entries[0]  # a zipped folder of student folders
    return dest


def _flat_student(name: str, pattern: re.Pattern | None) -> str | None:
    if pattern is not None:
        match = pattern.search(name)
        return match.group("student") if match else None
    stem = name[: -len(".ipynb")]
    return stem.split("_", 1)[0] if "_" in stem else None


def _hand_in_folder(student_dir: Path, aid: str) -> tuple[Path, list[Path]]:
    """Where in a student's folder the hand-in of ``aid`` is, in nbgrader's layout or another.

    Parameters
    ----------
    student_dir : Path
        One student's folder of SUBMISSIONS.
    aid : str
        The assignment id.

    Returns
    -------
    folder : Path
        ``student_dir/aid`` when that sub-folder exists (nbgrader's layout), else ``student_dir``.
    skipped : list of Path
        The sub-folders of ``folder`` that hold other assignments' hand-ins (named after
        another of :data:`nncourse.layout.ASSIGNMENTS`), sorted; empty when ``folder`` is
        ``student_dir/aid``.
    """
    own = student_dir / aid
    if own.is_dir():
        return own, []
    others = set(layout.ASSIGNMENTS) - {aid}
    return student_dir, sorted(p for p in student_dir.iterdir() if p.is_dir() and p.name in others)


def _files_named(folder: Path, pattern: str, skipped: list[Path]) -> list[Path]:
    """Files under ``folder`` matching ``pattern``, sorted, hidden entries and the ``skipped``
    sub-folders left out."""
    return sorted(p for p in folder.rglob(pattern) if p.is_file() and not _hidden(p, folder)
                  and not any(p.is_relative_to(s) for s in skipped))


def _choose(sub: Submission, aid: str) -> Submission:
    """Apply the ambiguity rules to ``sub.candidates``."""
    found = sorted(sub.candidates)
    wanted = f"{aid}.ipynb".lower()
    if not found:
        sub.status = "no_notebook"
        sub.message = "No notebook (.ipynb file) was found in this student's submission."
        return sub
    if len(found) == 1:
        sub.notebook = found[0]
        if found[0].name.lower() != wanted and not found[0].name.lower().endswith("_" + wanted):
            sub.notes.append(f"graded {found[0].name} (the only notebook) as {aid}.ipynb")
        return sub
    exact = [p for p in found if p.name.lower() == wanted or p.name.lower().endswith("_" + wanted)]
    named = exact or [p for p in found if aid.lower() in p.name.lower()]
    if len(named) == 1:
        sub.notebook = named[0]
        others = ", ".join(p.name for p in found if p != named[0])
        sub.notes.append(f"graded {named[0].name}; ignored {others}")
        return sub
    sub.status = "ambiguous"
    names = ", ".join(p.name for p in found)
    sub.message = (f"Several notebooks were handed in ({names}) and none is clearly {aid}.ipynb: "
                   "rename the one to grade and grade this student again.")
    return sub


def collect(source: Path, aid: str, workdir: Path, pattern: str | None = None) -> list[Submission]:
    """Every student's submission in ``source``, sorted by student id.

    Parameters
    ----------
    source : Path
        A folder or a ``.zip`` (see the module docstring).
    aid : str
        The assignment id, e.g. ``"01_neuron"``.
    workdir : Path
        A folder of the grader's own where a zip is extracted.
    pattern : str, optional
        A regular expression with a named group ``student`` for flat file names.

    Returns
    -------
    list of Submission
        One per student; a student whose folder holds other assignments' hand-ins only
        (nbgrader's layout) has none, and is named on stdout.

    Raises
    ------
    ValueError
        When ``source`` cannot be read or holds no submission at all.
    """
    source = Path(source)
    regex = None
    if pattern:
        try:
            regex = re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"--pattern is not a valid regular expression: {exc}") from exc
        if "student" not in regex.groupindex:
            raise ValueError("--pattern needs a named group (?P<student>...)")
    if not source.exists():
        raise ValueError(f"SUBMISSIONS {source} does not exist")
    if source.is_file():
        if source.suffix.lower() != ".zip":
            raise ValueError(f"SUBMISSIONS must be a folder or a .zip file, not {source.name}")
        root = unpack_zip(source, workdir / "unzipped")
    else:
        root = source
    try:
        entries = sorted(p for p in root.iterdir() if not _hidden(p, root))
    except OSError as exc:
        raise ValueError(f"cannot read SUBMISSIONS {source}: {exc}") from exc

    subs: dict[str, Submission] = {}

    def get(raw: str) -> Submission:
        sid = safe_student_id(raw)
        if sid not in subs:
            subs[sid] = Submission(student=sid)
            if sid != raw:
                subs[sid].notes.append(f"student id {raw!r} written as {sid!r}")
        return subs[sid]

    unmatched, other_work = [], []
    for entry in entries:
        if entry.is_dir():
            folder, skipped = _hand_in_folder(entry, aid)
            notebooks = _files_named(folder, "*.ipynb", skipped)
            if skipped and not notebooks:  # nbgrader's layout, other assignments only
                other_work.append(f"{entry.name} ({', '.join(p.name for p in skipped)})")
                continue
            sub = get(entry.name)
            sub.candidates += notebooks
            # the shallowest: nbgrader's own, beside the notebooks (not one a student handed in)
            stamps = sorted(_files_named(folder, "timestamp.txt", skipped), key=lambda p: len(p.parts))
            if stamps:
                sub.timestamp = stamps[0].read_text(encoding="utf-8", errors="replace").strip()
        elif entry.suffix.lower() == ".ipynb":
            student = _flat_student(entry.name, regex)
            if student is None:
                unmatched.append(entry.name)
                continue
            get(student).candidates.append(entry)
    if other_work:
        print(f"{aid}: left out, with no {aid}/ folder, only other assignments' hand-ins: {', '.join(other_work)}")
    if not subs:
        extra = f" (file names not matching the student pattern: {', '.join(unmatched)})" if unmatched else ""
        if other_work:
            extra += f" (student folders with other assignments' hand-ins only: {', '.join(other_work)})"
        raise ValueError(f"no submissions found in {source}{extra}")
    if unmatched:
        print(f"nncourse grade: ignored files whose name gives no student id: {', '.join(unmatched)}")
    return [_choose(subs[s], aid) for s in sorted(subs)]
