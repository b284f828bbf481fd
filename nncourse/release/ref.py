"""Pin the git ref that Colab installs nnlib from (``nncourse set-ref``).

The ref is written in one place, ``nncourse/_meta.py`` (:data:`nncourse.layout.META_FILE`),
and copied into the first code cell of every solution notebook; the README's badges read
it when ``nncourse readme`` runs. These functions edit the files of a checkout without
importing them, so the running nncourse may come from another checkout.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from nncourse import layout

#: What a git ref may look like here: tag or branch names, no spaces, quotes or "..".
_REF = re.compile(r"^(?!-)(?!.*\.\.)[A-Za-z0-9._/+-]+(?<![./])$")
_ASSIGN = re.compile(r'^RELEASE_REF\s*=\s*["\'][^"\']*["\']', re.MULTILINE)


def check_ref(ref: str) -> str:
    """Return ``ref`` if it is a plausible git tag/branch name, else raise ValueError."""
    if not _REF.match(ref):
        raise ValueError(f"not a git ref name: {ref!r}")
    return ref


def read_meta(meta: Path) -> dict[str, str]:
    """``REPO_URL`` and ``RELEASE_REF`` as written in ``meta`` (a ``_meta.py``), without
    importing it (the running nnlib may come from another checkout)."""
    values = {}
    for node in ast.parse(meta.read_text()).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in {"REPO_URL", "RELEASE_REF"}:
                values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


def rewrite_meta(meta: Path, ref: str) -> bool:
    """Set ``RELEASE_REF`` in ``meta``; return whether the file changed."""
    text = meta.read_text()
    new, count = _ASSIGN.subn(f'RELEASE_REF = "{ref}"', text)
    if count != 1:
        raise ValueError(f"expected one `RELEASE_REF = \"...\"` line in {meta}, found {count}")
    if new != text:
        meta.write_text(new)
    return new != text


def rewrite_setup_cells(root: Path, repo_url: str, ref: str) -> list[Path]:
    """Replace the first code cell of every solution notebook by the set-up cell at
    ``ref``; return the notebooks that changed."""
    import nbformat

    from nncourse.release.colab import setup_cell_source

    source = setup_cell_source(repo_url, ref)
    changed = []
    for aid in layout.available_assignments(root):
        path = layout.solution_notebook(root, aid)
        nb = nbformat.read(path, as_version=4)
        cell = next((c for c in nb.cells if c.cell_type == "code"), None)
        if cell is None:
            raise ValueError(f"{path} has no code cell to hold the set-up cell")
        if "google.colab" not in cell.source:
            raise ValueError(f"the first code cell of {path} is not the set-up cell; fix it by hand first")
        if cell.source != source:
            cell.source = source
            nbformat.write(nb, path)
            changed.append(path)
    return changed
