"""What code a result describes, and whether that code has changed since.

Every result file (:func:`nncourse.results.write_result`) records a **fingerprint** of the
code its run executed: ``{path relative to the course root: hash}`` for the benchmark's
own module and every module of the repository it imported (``references/``, ``nnlib/``,
``nncourse/``), or, for ``nncourse check-all``, each notebook it ran and the whole
``nnlib`` package the notebooks import. ``nncourse readme --check`` recomputes each hash
from the working tree and calls the result **stale** when one differs, when a file is
gone, or when the result records no fingerprint at all: a quoted or tabulated number is
then older than the code it describes, and CI fails until it is measured again.

A hash is of the code, not of its wording: a Python module's syntax tree without its
docstrings (comments are not in the tree), a notebook's code cells parsed the same way
(IPython magics and shell lines dropped, markdown ignored). Rewording a docstring or the
prose of a notebook keeps its results; changing a line that runs does not. Other files
(model weights) hash by their bytes.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import sys
from pathlib import Path

#: Packages of the course whose imported modules a benchmark's result depends on.
REPOSITORY_PACKAGES = ("benchmarks", "references", "nnlib", "nncourse")
#: Modules a run imports to write its result, not to measure it.
WRITERS = ("nncourse.results", "nncourse.provenance")
#: Key of the fingerprint in a result file.
CODE_KEY = "code"
_DIGITS = 16


def _without_docstrings(tree: ast.AST) -> ast.AST:
    """``tree`` with the docstring of every module, class and function removed."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return tree


def normalised_code(source: str) -> str:
    """The code of Python ``source`` as its syntax tree without docstrings (text that does
    not parse is kept as it is, with IPython magics and shell lines dropped)."""
    source = re.sub(r"^\s*[%!].*$", "", source, flags=re.M)
    try:
        return ast.dump(_without_docstrings(ast.parse(source)), include_attributes=False)
    except SyntaxError:
        return source


def file_hash(path: Path) -> str:
    """Hash of the code of one file: a ``.py`` module, an ``.ipynb`` notebook's code cells,
    or the bytes of anything else."""
    path = Path(path)
    if path.suffix == ".py":
        data = normalised_code(path.read_text(encoding="utf-8")).encode()
    elif path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                for c in cells if c["cell_type"] == "code"]
        data = "\n# ---- cell ----\n".join(normalised_code(s) for s in code).encode()
    else:
        data = path.read_bytes()
    return hashlib.sha256(data).hexdigest()[:_DIGITS]


def _files(root: Path, path: str | Path) -> list[Path]:
    """The files of ``path`` (a file, or every file of a folder but compiled Python)."""
    full = Path(root) / path
    if full.is_dir():
        return sorted(p for p in full.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                      and p.suffix != ".pyc")
    return [full]


def fingerprint(root: Path, paths) -> dict[str, str]:
    """``{relative path: hash}`` of every file of ``paths`` (files or folders under ``root``)."""
    root = Path(root).resolve()
    out = {}
    for path in paths:
        for file in _files(root, path):
            out[file.resolve().relative_to(root).as_posix()] = file_hash(file)
    return dict(sorted(out.items()))


def imported_modules(root: Path) -> list[Path]:
    """Files of this process's imported modules that belong to the course's packages
    (:data:`REPOSITORY_PACKAGES`, and ``__main__``: a benchmark run as ``python -m
    benchmarks.NAME``) and lie under ``root``, but the result writers."""
    root = Path(root).resolve()
    out = []
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        top = name.split(".")[0]
        if (top not in REPOSITORY_PACKAGES and name != "__main__") or name in WRITERS or not file:
            continue
        file = Path(file).resolve()
        if file.is_relative_to(root):
            out.append(file.relative_to(root))
    return sorted(set(out))


def changed_files(root: Path, recorded: dict[str, str]) -> list[str]:
    """The files of a recorded fingerprint whose code differs now, or that are gone. A file
    added since (to a folder the run fingerprinted) is not looked for: the run did not run it."""
    root = Path(root)
    changed = []
    for path, digest in recorded.items():
        file = root / path
        if not file.is_file() or file_hash(file) != digest:
            changed.append(path)
    return changed


def staleness(root: Path, record: dict) -> str | None:
    """Why the result ``record`` (a parsed result file) is older than the code it
    describes, or ``None`` when every file it ran is unchanged."""
    recorded = record.get(CODE_KEY)
    if not recorded:
        return "records no fingerprint of the code it ran"
    changed = changed_files(root, recorded)
    if not changed:
        return None
    shown = ", ".join(changed[:4]) + (f" and {len(changed) - 4} more" if len(changed) > 4 else "")
    return f"the code it ran has changed since: {shown}"
