"""How fast ``nncourse grade`` grades a class: 1 job against 2, and against the floor.

Grades N copies of the 01_neuron solution (default 20) twice, with ``--jobs 1`` and
``--jobs 2``, and measures the floor: the bare start of a sandboxed kernel (the same
sandbox kind as grading) that runs ``import nnlib, keras`` and stops. Writes
``results/grading_speed.json``.

Figures:
- ``s_per_submission_1_job`` / ``s_per_submission_2_jobs``: wall time of the whole
  command divided by N (set-up included);
- ``speedup_2_jobs``: the first over the second (target >= 1.6 on 2 cores);
- ``floor_kernel_keras_s``: the floor, median of 3;
- ``ratio_2_jobs_to_floor``: wall time per submission with 2 jobs over the floor (target
  <= 1.5): what grading costs beyond starting a kernel that can run Keras at all.

The floor's kernel starts as a grading kernel does: the same sandbox, the grading
kernel's environment (:func:`nncourse.layout.grading_kernel_env`) with the same thread
caps (:func:`nncourse.layout.thread_env`), and a read-only copy of the installed
``nnlib`` as its only import path besides the environment's packages.

The machine's 1-minute load average is recorded before and after: on a shared machine
other processes slow the runs, so run it at a quiet moment.

Run from the repository root: ``python -m benchmarks.grading_speed [--n 20]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nncourse.layout import grading_kernel_env, repo_root, solution_notebook, thread_env

AID = "01_neuron"


def kernel_floor(repeats: int = 3) -> float:
    """Median seconds to start a sandboxed kernel, import nnlib and Keras, and stop it."""
    from jupyter_client.manager import KernelManager

    from nncourse.grading.runner import NNLIB_DIR
    from nncourse.grading.sandbox import detect

    box = detect()
    times = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="nncourse-floor-") as tmp:
            tmp = Path(tmp)
            run_dir, scratch = tmp / "run", tmp / "scratch"
            for d in (run_dir, scratch):
                d.mkdir()
            env = {**grading_kernel_env(), **thread_env(2)}
            argv = box.kernel_argv(sys.executable, scratch, NNLIB_DIR, run_dir)
            spec_dir = tmp / "jupyter" / "kernels" / "floor"
            spec_dir.mkdir(parents=True)
            (spec_dir / "kernel.json").write_text(json.dumps(
                {"argv": argv, "display_name": "floor", "language": "python", "interrupt_mode": "message"}))
            os.environ["JUPYTER_PATH"] = str(tmp / "jupyter")
            start = time.perf_counter()
            km = KernelManager(kernel_name="floor", transport="ipc", ip=str(run_dir / "kernel"),
                               connection_file=str(run_dir / "kernel.json"))
            km.start_kernel(env=env, cwd=str(scratch))
            kc = km.client()
            kc.start_channels()
            kc.wait_for_ready(timeout=300)
            reply = kc.execute_interactive("import nnlib, keras", timeout=300)
            assert reply["content"]["status"] == "ok", reply
            kc.stop_channels()
            km.shutdown_kernel(now=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def grade_time(subs: Path, out: Path, jobs: int, root: Path | None = None) -> float:
    """Wall seconds of ``nncourse grade`` on every submission in ``subs``, run from the
    course root ``root`` (default: found from the working folder)."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "nncourse.cli", "grade", AID, str(subs), "--out", str(out),
                           "--jobs", str(jobs), "--timeout", "120"], cwd=root or repo_root(),
                          capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    from nncourse.grading.records import read_rows

    statuses = [row["status"] for row in read_rows(out / "grades.csv").values()]
    if set(statuses) != {"ok"}:
        raise RuntimeError(f"not every submission graded ok: {statuses}")
    return took


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="number of submissions (default 20)")
    args = parser.parse_args(argv)
    os.environ["NNLIB_MODE"] = "fast"  # what grading runs in; recorded by write_result
    from nncourse.grading.sandbox import detect
    from nncourse.results import write_result

    root = repo_root()

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="nncourse-bench-") as tmp:
        tmp = Path(tmp)
        subs = tmp / "subs"
        for i in range(args.n):
            (subs / f"s{i:02d}").mkdir(parents=True)
            shutil.copy(solution_notebook(root, AID), subs / f"s{i:02d}" / f"{AID}.ipynb")
        floor = kernel_floor()
        one = grade_time(subs, tmp / "out1", jobs=1, root=root)
        two = grade_time(subs, tmp / "out2", jobs=2, root=root)
    load_after = os.getloadavg()[0]
    per1, per2 = one / args.n, two / args.n
    metrics = {
        "submissions": args.n,
        "s_per_submission_1_job": round(per1, 2),
        "s_per_submission_2_jobs": round(per2, 2),
        "speedup_2_jobs": round(per1 / per2, 2),
        "floor_kernel_keras_s": round(floor, 2),
        "ratio_2_jobs_to_floor": round(per2 / floor, 2),
        "ratio_1_job_to_floor": round(per1 / floor, 2),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(load_after, 2),
    }
    notes = (f"sandbox: {detect().kind}. The machine is shared with other engineers' jobs: 1-minute load "
             f"average {load_before:.1f} before and {load_after:.1f} after the runs (2 cores); figures taken "
             "under load are slower and the speed-up smaller than on a quiet machine.")
    path = write_result("grading_speed", f"Grading {args.n} submissions of {AID} (nncourse grade)", metrics,
                        data_source="copies of the 01_neuron solution; Iris (scikit-learn), offline, fast mode",
                        targets={"speedup_2_jobs": ">= 1.6", "ratio_2_jobs_to_floor": "<= 1.5"},
                        command=f"python -m benchmarks.grading_speed --n {args.n}", notes=notes, device="cpu")
    print(path.read_text())


if __name__ == "__main__":
    main()
