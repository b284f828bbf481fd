"""Find each student's notebook in what an instructor collected.

Three shapes are accepted (they may be mixed in one folder):

- a folder with one sub-folder per student: ``<student>/<anything>.ipynb`` (sub-folders of
  a student's folder are searched too, ``.ipynb_checkpoints`` and hidden entries are not);
- a ``.zip`` of such a folder (a single top folder inside the archive is stepped into);
- the flat files an LMS exports: ``<student>_<anything>.ipynb``. The student id is what
  comes before the first ``_``, or the named group ``student`` of ``--pattern``.

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

    unmatched = []
    for entry in entries:
        if entry.is_dir():
            sub = get(entry.name)
            sub.candidates += [p for p in entry.rglob("*.ipynb") if p.is_file() and not _hidden(p, entry)]
            stamps = sorted(p for p in entry.rglob("timestamp.txt") if p.is_file() and not _hidden(p, entry))
            if stamps:
                sub.timestamp = stamps[0].read_text(encoding="utf-8", errors="replace").strip()
        elif entry.suffix.lower() == ".ipynb":
            student = _flat_student(entry.name, regex)
            if student is None:
                unmatched.append(entry.name)
                continue
            get(student).candidates.append(entry)
    if not subs:
        extra = f" (file names not matching the student pattern: {', '.join(unmatched)})" if unmatched else ""
        raise ValueError(f"no submissions found in {source}{extra}")
    if unmatched:
        print(f"nncourse grade: ignored files whose name gives no student id: {', '.join(unmatched)}")
    return [_choose(subs[s], aid) for s in sorted(subs)]
