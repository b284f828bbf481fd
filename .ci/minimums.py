"""The minimums environment, read from pyproject.toml so the two cannot drift.

    python .ci/minimums.py python            the requires-python floor (e.g. 3.11)
    python .ci/minimums.py constraints       one `name==floor[; marker]` line for every
                                             requirement of the `student` extra (the base
                                             dependencies and the extras it names) and
                                             nbgrader's pin from `instructor`
    python .ci/minimums.py check FILE        run with the minimums venv's Python: every
                                             constraint of FILE that applies here is what
                                             is installed (exit 1 naming each one that is not)

Each floor is the `>=` (or `==`) bound of a requirement; a requirement without one is an
error, so a new dependency cannot join without a floor that CI tests. Run by
.ci/minimums_stack.sh.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
#: The extra a student installs, and what the round trip adds from `instructor`.
EXTRA = "student"
FROM_INSTRUCTOR = ("nbgrader",)

_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;]*?)\s*(;\s*(.*))?$")


def _split(req: str) -> tuple[str, set[str], str, str]:
    """``(name, extras, specifiers, marker)`` of a requirement string."""
    m = _REQ.match(req)
    if not m:
        raise ValueError(f"cannot read requirement {req!r}")
    extras = {e.strip() for e in (m.group(2) or "[]")[1:-1].split(",") if e.strip()}
    return m.group(1), extras, m.group(3), (m.group(5) or "").strip()


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _floor(req: str, spec: str) -> str:
    m = re.search(r"(?:>=|==)\s*([0-9][^,\s]*)", spec)
    if not m:
        raise ValueError(f"{req!r} has no >= floor: declare the oldest version CI tests")
    return m.group(1)


def requirements(project: dict) -> list[str]:
    """The requirement strings of the base dependencies and of the `student` extra,
    following the extras that name the project itself (``nncourse[tensorflow,lab]``)."""
    name = _norm(project["name"])
    extras = project.get("optional-dependencies", {})
    out, seen, todo = list(project.get("dependencies", [])), set(), [EXTRA]
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for req in extras[extra]:
            req_name, req_extras, _, _ = _split(req)
            if _norm(req_name) == name:
                todo.extend(req_extras)
            else:
                out.append(req)
    for req in extras.get("instructor", []):
        if _norm(_split(req)[0]) in FROM_INSTRUCTOR:
            out.append(req)
    return out


def constraints(project: dict) -> list[str]:
    lines = []
    for req in requirements(project):
        name, _, spec, marker = _split(req)
        lines.append(f"{name}=={_floor(req, spec)}" + (f"; {marker}" if marker else ""))
    return lines


def python_floor(project: dict) -> str:
    m = re.fullmatch(r"\s*>=\s*([0-9]+\.[0-9]+)\s*", project["requires-python"])
    if not m:
        raise ValueError(f"requires-python {project['requires-python']!r} is not of the form '>=X.Y'")
    return m.group(1)


def check(path: str) -> int:
    """Compare the installed versions with the constraints of ``path``."""
    from importlib.metadata import PackageNotFoundError, version

    from packaging.markers import Marker  # jupyterlab's dependency: in the minimums venv
    from packaging.version import Version
    bad = 0
    for line in Path(path).read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        req, _, marker = line.partition(";")
        name, want = req.split("==")
        if marker.strip():
            if not Marker(marker.strip()).evaluate():
                continue
        try:
            got = version(name.strip())
        except PackageNotFoundError:
            got = None
        ok = got is not None and Version(got) == Version(want.strip())
        print(f"  {'ok ' if ok else 'BAD'} {name.strip():16s} floor {want.strip():10s} installed {got}")
        bad += not ok
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["check"] and len(argv) == 2:
        return check(argv[1])
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    if argv[:1] == ["python"]:
        print(python_floor(project))
    elif argv[:1] == ["constraints"]:
        print("\n".join(constraints(project)))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
