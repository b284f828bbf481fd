"""``nncourse set-ref REF``: pin the git ref that Colab installs nnlib from.

At each release (see ``docs/releasing.md``)::

    nncourse set-ref v1.2.0      # _meta.RELEASE_REF, every set-up cell, course/
    git commit -am "Release v1.2.0" && git tag v1.2.0

It rewrites, in the course repository found from the working directory:

1. ``RELEASE_REF = "..."`` in ``nnlib/_meta.py`` (the one place the ref is written);
2. the first code cell of every ``solutions/<id>/<id>.ipynb`` to
   :func:`nnlib.colab.setup_cell_source` at the new ref (the repository URL is read from
   that same ``_meta.py``, so a fork keeps its own);
3. ``course/`` with :func:`nnlib.release.generate`, so the student notebooks follow.

Running it twice with the same ref changes nothing.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

#: What a git ref may look like here: tag or branch names, no spaces, quotes or "..".
_REF = re.compile(r"^(?!-)(?!.*\.\.)[A-Za-z0-9._/+-]+(?<![./])$")
_ASSIGN = re.compile(r'^RELEASE_REF\s*=\s*["\'][^"\']*["\']', re.MULTILINE)


def register(subparsers) -> None:
    """Add the ``set-ref`` sub-command."""
    parser = subparsers.add_parser(
        "set-ref", help="pin the git ref Colab installs nnlib from, in _meta.py, every set-up cell and course/"
    )
    parser.add_argument("ref", metavar="REF", help="a git tag or branch, e.g. v1.2.0")
    parser.add_argument("--no-release", action="store_true",
                        help="do not regenerate course/ (run `nncourse release` later)")
    parser.set_defaults(func=run)


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

    from nnlib.colab import setup_cell_source
    from nnlib.release import available_assignments

    source = setup_cell_source(repo_url, ref)
    changed = []
    for aid in available_assignments(root):
        path = root / "solutions" / aid / f"{aid}.ipynb"
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


def run(args) -> int:
    """Move the pinned ref everywhere it is written, then regenerate ``course/``."""
    from nnlib.release import generate, repo_root

    ref = check_ref(args.ref)
    root = repo_root()
    meta = root / "nnlib" / "_meta.py"
    old = read_meta(meta)
    if rewrite_meta(meta, ref):
        print(f"RELEASE_REF {old.get('RELEASE_REF')!r} -> {ref!r} in {meta.relative_to(root)}")
    for path in rewrite_setup_cells(root, old["REPO_URL"], ref):
        print(f"set-up cell -> {ref} in {path.relative_to(root)}")
    if not args.no_release:
        for notebook in generate(root=root):
            print(f"wrote {notebook.relative_to(root)}")
    return 0
