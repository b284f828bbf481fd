"""``nncourse release [ID ...]``: regenerate ``course/`` from ``solutions/``."""

from __future__ import annotations

from nncourse.layout import repo_root
from nncourse.release.generate import generate


def register(subparsers) -> None:
    """Add the ``release`` sub-command."""
    parser = subparsers.add_parser("release", help="regenerate the student notebooks in course/ from solutions/")
    parser.add_argument("ids", nargs="*", metavar="ID", help="assignment ids (default: all)")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Generate each assignment and list what was written."""
    root = repo_root()
    for notebook in generate(args.ids or None, root=root):
        print(f"wrote {notebook.relative_to(root)}")
    return 0
