"""``nncourse check-all [--full] [--backend B] [ID ...]``: run every solution notebook.

Each notebook executes top to bottom (fast mode unless ``--full``) on the chosen Keras
backend; every test cell must pass. Run times, the device and the figures each notebook
reports go to ``results/check_all_<mode>_<backend>.json`` (unless ``--no-write``), which
the README's results table shows. Exit 0 when every notebook passed, 1 otherwise.
"""

from __future__ import annotations

import json
import sys

from nnlib.release import available_assignments, repo_root

BACKENDS = ("tensorflow", "jax", "torch")


def register(subparsers) -> None:
    """Add the ``check-all`` sub-command."""
    parser = subparsers.add_parser("check-all", help="execute every solution notebook and check its tests")
    parser.add_argument("ids", nargs="*", metavar="ID", help="assignment ids (default: all)")
    parser.add_argument("--full", action="store_true", help="full mode (default: fast)")
    parser.add_argument("--backend", choices=BACKENDS, default=None, help="Keras backend (default: KERAS_BACKEND or tensorflow)")
    parser.add_argument("--online", action="store_true", help="allow downloads (default: offline)")
    parser.add_argument("--no-write", action="store_true", help="do not write results/")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Execute the notebooks, print one line each, write the results file."""
    import os

    from nnlib.checkall import run_notebook, summarise

    root = repo_root()
    ids = args.ids or available_assignments(root)
    unknown = [i for i in ids if not (root / "solutions" / i / f"{i}.ipynb").is_file()]
    if unknown:
        raise ValueError(f"no solution notebook for {', '.join(unknown)}")
    backend = args.backend or os.environ.get("KERAS_BACKEND", "tensorflow")
    mode = "full" if args.full else "fast"
    env = {
        "KERAS_BACKEND": backend,
        "NNLIB_MODE": mode,
        "NNLIB_OFFLINE": "0" if args.online else "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "TF_ENABLE_ONEDNN_OPTS": "0",
        "MPLBACKEND": "Agg",
        "PYTHONPATH": os.pathsep.join(p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p),
    }
    runs, device = [], None
    for aid in ids:
        result = run_notebook(root / "solutions" / aid / f"{aid}.ipynb", env)
        runs.append(result)
        device = result.figures.get("device", device)
        status = "ok  " if result.ok else "FAIL"
        print(f"{status} {aid:22s} {result.seconds:7.1f} s  tests {result.tests_passed}/{result.tests_total}"
              + (f"  failed: {', '.join(result.failures)}" if result.failures else ""), flush=True)
    if not args.no_write:
        _write(root, runs, backend, mode, device, summarise(runs), " ".join(sys.argv[1:]) or "check-all")
    return 0 if all(r.ok for r in runs) else 1


def _write(root, runs, backend, mode, device, metrics, argv) -> None:
    """Write ``results/check_all_<mode>_<backend>.json`` through the benchmarks' writer."""
    sys.path.insert(0, str(root))
    from benchmarks._common import write_result

    sources = f"the loaders' data in {mode} mode, offline fallbacks where no network"
    path = write_result(
        f"check_all_{mode}_{backend}",
        f"check-all, {mode} mode, {backend}",
        metrics,
        sources,
        command=f"nncourse {argv}",
        device=device,
        backend=backend,
        run_mode=mode,
        notes=json.dumps({r.aid: r.figures for r in runs}),
    )
    print(f"wrote {path.relative_to(root)}")
