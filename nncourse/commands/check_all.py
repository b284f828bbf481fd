"""``nncourse check-all [--full] [--backend B] [ID ...]``: run every solution notebook.

Each notebook executes top to bottom (fast mode unless ``--full``) on the chosen Keras
backend; every test cell must pass. Run times, the device and the figures each notebook
reports go to ``results/check_all_<mode>_<backend>.json`` (unless ``--no-write``), which
the README's results table shows. Exit 0 when every notebook passed, 1 otherwise.
"""

from __future__ import annotations

import json
import os
import sys

from nncourse import layout

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


def kernel_env(backend: str, mode: str, online: bool) -> dict:
    """What check-all's kernels run with: the grading environment, with the backend, the
    mode and the network as asked."""
    return {**layout.GRADING_KERNEL_ENV, "KERAS_BACKEND": backend, "NNLIB_MODE": mode,
            "NNLIB_OFFLINE": "0" if online else "1"}


def run(args) -> int:
    """Execute the notebooks, print one line each, write the results file."""
    from nncourse.notebook_run import run_notebook, summarise

    root = layout.repo_root()
    ids = layout.check_assignments(root, args.ids or layout.available_assignments(root))
    backend = args.backend or os.environ.get("KERAS_BACKEND", "tensorflow")
    mode = "full" if args.full else "fast"
    env = kernel_env(backend, mode, args.online)
    cell_timeout = layout.FULL_CELL_TIMEOUT_S if args.full else layout.CELL_TIMEOUT_S
    runs, device = [], None
    for aid in ids:
        result = run_notebook(layout.solution_notebook(root, aid), env, cell_timeout)
        runs.append(result)
        device = result.figures.get("device", device)
        status = "ok  " if result.ok else "FAIL"
        print(f"{status} {aid:22s} {result.seconds:7.1f} s  tests {result.tests_passed}/{result.tests_total}"
              + (f"  failed: {', '.join(result.failures)}" if result.failures else ""), flush=True)
    if not args.no_write:
        _write(root, runs, backend, mode, device, summarise(runs), " ".join(sys.argv[1:]) or "check-all")
    return 0 if all(r.ok for r in runs) else 1


def _write(root, runs, backend, mode, device, metrics, argv) -> None:
    """Write ``results/check_all_<mode>_<backend>.json``."""
    from nncourse.results import write_result

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
        # what the kernels ran: each notebook and the library it imports (not this process)
        code=[layout.solution_notebook(root, r.aid).relative_to(root) for r in runs] + [layout.NNLIB_DIR],
        imported=False,
    )
    print(f"wrote {path.relative_to(root)}")
