"""``nncourse grade`` exits 2, before grading anything, when it cannot run: an unknown
assignment, a missing or unreadable SUBMISSIONS, a bad ``--pattern``, ``--student`` or
``--memory``."""

from __future__ import annotations

import pytest

from tests.grading.crafted_class import AID, GROUP

pytestmark = pytest.mark.grading


def test_bad_arguments_exit_2(tmp_path):
    from nncourse.cli import main

    (tmp_path / "subs" / "a").mkdir(parents=True)
    out = tmp_path / "out"
    assert main(["grade", "99_nothing", str(tmp_path / "subs"), "--out", str(out)]) == 2
    assert main(["grade", AID, str(tmp_path / "missing"), "--out", str(out)]) == 2
    assert main(["grade", AID, str(tmp_path / "subs"), "--out", str(out), "--pattern", "(no-group)"]) == 2
    assert main(["grade", AID, str(tmp_path / "subs"), "--out", str(out), "--student", "zed"]) == 2
    assert main(["grade", AID, str(tmp_path / "subs"), "--out", str(out), "--memory", "lots"]) == 2
    (tmp_path / "notzip.zip").write_text("no")
    assert main(["grade", AID, str(tmp_path / "notzip.zip"), "--out", str(out)]) == 2


@pytest.mark.parametrize("extra", [
    ["--db", "nosuchdriver://somewhere/gradebook"],
    ["--due", "2026-12-01T23:59"],              # no UTC offset: ambiguous
    ["--late-penalty", "10%/day"],              # a penalty without a due date
    ["--due", "2026-12-01T23:59+01:00", "--late-penalty", "a lot"],
    ["--student", "@no-such-list.txt"],
    ["--jobs", "0"],
])
def test_unusable_options_exit_2_before_grading(tmp_path, extra, capsys):
    from nncourse.cli import main

    (tmp_path / "subs" / "a").mkdir(parents=True)
    out = tmp_path / "out"
    code = main(["grade", AID, str(tmp_path / "subs"), "--out", str(out), *extra])
    err = capsys.readouterr().err
    assert code == 2, f"expected exit 2 for {extra}, got {code}; stderr: {err[-800:]}"
    assert not (out / "grades.csv").exists(), f"{extra}: nothing should be graded, yet grades.csv was written"


@GROUP  # runs a kernel: not beside the class's grading
def test_grade_task_files_round_trip(tmp_path):
    """--tasks-to writes one task per submission; `nncourse grade-task IN OUT` grades one as a
    batch job would (no gradebook, no shared folder); --results-from records them."""
    import shutil
    import subprocess
    import sys

    from tests.course_tools import solution_path
    from tests.grading.crafted_class import grade, read_grades

    subs, out, tasks = tmp_path / "subs", tmp_path / "out", tmp_path / "tasks"
    (subs / "good").mkdir(parents=True)
    shutil.copy(solution_path(AID), subs / "good" / f"{AID}.ipynb")
    (subs / "empty").mkdir()
    proc = grade([subs, "--out", out, "--tasks-to", tasks])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert sorted(p.name for p in tasks.iterdir()) == ["empty.task.json", "good.task.json"]
    assert not (out / "grades.csv").exists() or not read_grades(out), "--tasks-to must not record anything"
    elsewhere = tmp_path / "batch-node"
    elsewhere.mkdir()
    for student in ("good", "empty"):
        job = subprocess.run([sys.executable, "-m", "nncourse.cli", "grade-task", str(tasks / f"{student}.task.json"),
                              str(tasks / f"{student}.result.json")], cwd=elsewhere, capture_output=True,
                             text=True, timeout=600)
        assert job.returncode == 0, job.stderr[-2000:]
    proc = grade([subs, "--out", out, "--results-from", tasks])
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = read_grades(out)
    assert (rows["good"]["status"], float(rows["good"]["score"])) == ("ok", 12.0), rows["good"]
    assert rows["empty"]["status"] == "no_notebook", rows["empty"]
