"""The code of a solution notebook, as Python objects, for the tests that keep each
reference in this package identical to the answer it mirrors.

A reference is a copy of a solution's answer (the benchmarks and the tests need it
importable, and nnlib may hold no answer); a copy drifts. The tests
``tests/course/test_references_<topic>.py`` therefore take the solution's own functions
from ``solutions/<id>/<id>.ipynb`` with :func:`solution_namespace` and check that the
reference gives the same numbers on the same inputs and seeds.

Only what is asked for runs: the top-level statements of the notebook's code cells that
define the requested names, and the notebook's own imports of the names those statements
use (``np``, ``keras``, ``loss_and_gradients``, ... as in the notebook), in the
notebook's order. Nothing else runs: no data
loading, no training, no ``nnlib.setup``. Test cells (nbgrader ``grade``) are skipped:
their helpers are not the solution's.
"""

from __future__ import annotations

import ast
from pathlib import Path

from nncourse import layout

ROOT = layout.repo_root(Path(__file__).parent)


def _defined_names(node: ast.stmt) -> set[str]:
    """Names a top-level statement binds: a def or class, or the plain names assigned."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    else:
        return set()
    names = set()
    for target in targets:
        names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


def _is_import(node: ast.stmt) -> bool:
    return isinstance(node, (ast.Import, ast.ImportFrom))


def _imported_names(node: ast.Import | ast.ImportFrom) -> set[str]:
    """Names an import statement binds (``import a.b`` binds ``a``)."""
    return {alias.asname or alias.name.split(".")[0] for alias in node.names}


def solution_namespace(aid: str, *names: str) -> dict:
    """Run the definitions of ``names`` from the solution notebook of ``aid``; return its namespace.

    Parameters
    ----------
    aid : str
        Assignment id, e.g. ``"03_backprop"``.
    *names : str
        Functions, classes or variables defined at the top level of the notebook's code
        cells (answer cells included: the ``### BEGIN/END SOLUTION`` markers are comments).
        A name defined in several cells takes its last definition, as in the notebook.
        A definition that uses another top-level name needs that name asked for too.

    Returns
    -------
    dict
        The namespace the statements ran in: ``names`` and the imports they use.

    Raises
    ------
    LookupError
        A name that no code cell outside the test cells defines.
    """
    import nbformat

    path = layout.solution_notebook(ROOT, aid)
    nb = nbformat.read(path, as_version=4)
    wanted, found, nodes = set(names), set(), []
    for cell in nb.cells:
        if cell.cell_type != "code" or cell.metadata.get("nbgrader", {}).get("grade"):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:  # an IPython magic: not a definition this module can take
            continue
        for node in tree.body:
            bound = _defined_names(node) & wanted
            if bound or isinstance(node, (ast.Import, ast.ImportFrom)):
                nodes.append(node)
                found |= bound
    if wanted - found:
        raise LookupError(f"{path.relative_to(ROOT)} defines no {sorted(wanted - found)} outside its test cells")
    # the imports that bind a name the definitions use, and no other (a plotting import
    # has no business here, and one that moves must not break an unrelated check)
    used = {n.id for node in nodes if not _is_import(node) for n in ast.walk(node) if isinstance(n, ast.Name)}
    picked = [node for node in nodes if not _is_import(node) or _imported_names(node) & used]
    namespace: dict = {"__name__": f"solutions.{aid}"}
    exec(compile(ast.Module(body=picked, type_ignores=[]), str(path), "exec"), namespace)  # noqa: S102
    return namespace
