"""``nncourse fetch-data``: download every data set and weight file the notebooks use.

Binder's build and offline classrooms run it once; afterwards the loaders find the files
in Keras' cache and need no network.
"""

from __future__ import annotations

import importlib

#: Modules whose import registers downloads in :data:`nnlib.data.DOWNLOADS`.
DOWNLOAD_MODULES = ["nnlib.data"]


def register(subparsers) -> None:
    """Add the ``fetch-data`` sub-command."""
    parser = subparsers.add_parser(
        "fetch-data", help="pre-download every data set and weight file into Keras' cache"
    )
    parser.add_argument("--only", nargs="*", metavar="NAME", help="download only these")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Download each registered item; exit 1 if any failed."""
    for module in DOWNLOAD_MODULES:
        importlib.import_module(module)
    from nnlib.data import DOWNLOADS, call_with_timeout

    names = args.only or list(DOWNLOADS)
    unknown = sorted(set(names) - set(DOWNLOADS))
    if unknown:
        raise ValueError(f"unknown download(s) {unknown}; known: {sorted(DOWNLOADS)}")
    failed = []
    for name in names:
        try:
            call_with_timeout(DOWNLOADS[name], timeout_s=1800)
            print(f"ok      {name}")
        except Exception as exc:
            failed.append(name)
            print(f"FAILED  {name}: {type(exc).__name__}: {exc}")
    return 1 if failed else 0
