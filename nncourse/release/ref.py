"""Pin the release that Colab installs and Binder builds (``nncourse set-ref``).

The ref and where Colab installs from are written in one place, ``nncourse/_meta.py``
(:data:`nncourse.layout.META_FILE`), and copied into the first code cell of every
solution notebook; the README's badges read it when ``nncourse readme`` runs. A release
from the package index also sets the project's version in ``pyproject.toml``. These functions edit the files of a checkout without
importing them, so the running nncourse may come from another checkout.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from nncourse import layout

#: What a git ref may look like here: tag or branch names, no spaces, quotes or "..".
_REF = re.compile(r"^(?!-)(?!.*\.\.)[A-Za-z0-9._/+-]+(?<![./])$")
#: The project's metadata, relative to the repository's root: the distribution's name and
#: version (``set-ref --index`` sets the version).
PYPROJECT_FILE = "pyproject.toml"
_VERSION = re.compile(r'^version\s*=\s*"[^"]*"', re.MULTILINE)


def _assignment(name: str) -> re.Pattern:
    return re.compile(rf'^{name}\s*=\s*["\'][^"\']*["\']', re.MULTILINE)


def check_ref(ref: str) -> str:
    """Return ``ref`` if it is a plausible git tag/branch name, else raise ValueError."""
    if not _REF.match(ref):
        raise ValueError(f"not a git ref name: {ref!r}")
    return ref


def read_meta(meta: Path) -> dict[str, str]:
    """``REPO_URL``, ``RELEASE_REF`` and ``RELEASE_SOURCE`` as written in ``meta`` (a
    ``_meta.py``), without importing it (the running nncourse may come from another checkout)."""
    values = {}
    for node in ast.parse(meta.read_text()).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in {"REPO_URL", "RELEASE_REF", "RELEASE_SOURCE"}:
                values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


def _set_line(path: Path, pattern: re.Pattern, line: str, text: str) -> str:
    new, count = pattern.subn(line, text)
    if count != 1:
        raise ValueError(f"expected one `{line.split('=')[0].strip()} = \"...\"` line in {path}, found {count}")
    return new


def rewrite_meta(meta: Path, ref: str, source: str = "git") -> bool:
    """Set ``RELEASE_REF`` and ``RELEASE_SOURCE`` in ``meta``; return whether the file changed."""
    text = meta.read_text()
    new = _set_line(meta, _assignment("RELEASE_REF"), f'RELEASE_REF = "{ref}"', text)
    new = _set_line(meta, _assignment("RELEASE_SOURCE"), f'RELEASE_SOURCE = "{source}"', new)
    if new != text:
        meta.write_text(new)
    return new != text


def rewrite_version(pyproject: Path, version: str) -> bool:
    """Set the project's ``version = "..."`` in ``pyproject`` (the one such line, in
    ``[project]``); return whether the file changed."""
    text = pyproject.read_text()
    new = _set_line(pyproject, _VERSION, f'version = "{version}"', text)
    if new != text:
        pyproject.write_text(new)
    return new != text


def rewrite_setup_cells(root: Path, repo_url: str, ref: str, source: str = "git") -> list[Path]:
    """Replace the first code cell of every solution notebook by the set-up cell at
    ``ref``, installing from ``source``; return the notebooks that changed."""
    import nbformat

    from nncourse.release.colab import setup_cell_source

    cell_source = setup_cell_source(repo_url, ref, source)
    changed = []
    for aid in layout.available_assignments(root):
        path = layout.solution_notebook(root, aid)
        nb = nbformat.read(path, as_version=4)
        cell = next((c for c in nb.cells if c.cell_type == "code"), None)
        if cell is None:
            raise ValueError(f"{path} has no code cell to hold the set-up cell")
        if "google.colab" not in cell.source:
            raise ValueError(f"the first code cell of {path} is not the set-up cell; fix it by hand first")
        if cell.source != cell_source:
            cell.source = cell_source
            nbformat.write(nb, path)
            changed.append(path)
    return changed
