"""``nncourse``: the instructors' and maintainers' command line.

Each sub-command lives in its own module and is registered in :data:`COMMANDS`; the
module exposes ``register(subparsers)``, which adds its parser and sets ``func``. A
handler returns the process exit code: 0 on success, 2 when the command itself could
not run (bad arguments, unknown assignment).
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: Modules that each add one or more sub-commands (see module docstring).
COMMANDS = [
    "nncourse.commands.release",
    "nncourse.commands.fetch_data",
    "nncourse.commands.check_all",
    "nncourse.commands.set_ref",
    "nncourse.commands.grade",
    "nncourse.commands.feedback",
    "nncourse.commands.release_feedback",
    "nncourse.commands.manual",
    "nncourse.commands.check",
    "nncourse.commands.readme",
    "nncourse.commands.requote",
    "nncourse.commands.export",
    "nncourse.commands.report",
    "nncourse.commands.hub",
]


def build_parser() -> argparse.ArgumentParser:
    """The ``nncourse`` parser with every registered sub-command."""
    parser = argparse.ArgumentParser(
        prog="nncourse", description="Release, check and grade the deep-learning course."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMANDS:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``nncourse`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (FileNotFoundError, ValueError) as exc:
        print(f"nncourse {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
