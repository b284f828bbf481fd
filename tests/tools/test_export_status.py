"""``nncourse export``: a row whose status is not ``ok`` is left out and listed, never written as a
silent 0; ``--failed-as-zero`` writes 0 on purpose (issue 25)."""

import pytest

from nncourse import cli
from nncourse.export import canvas, grade_table, moodle, plain
from nncourse.export.roster import read_roster
from nncourse.grading.status import Status
from nncourse.scores import GradeRow
from tests.tools.test_export import CANVAS_EXPORT, MOODLE_EXPORT, by_first, grade, grading_folder, read

FAILED = [s.value for s in Status if s is not Status.OK]


def rows_with(status):
    """jdoe ok; aturing's submission ended with ``status`` and a partial score (the tests that ran)."""
    return [grade("jdoe", "02_mlp", 11, 12), GradeRow(student="aturing", assignment="02_mlp", score=4, max_score=12,
                                                      status=status, message="the grader failed")]


def test_every_status_but_ok_is_failed():
    assert set(FAILED) == {"timeout", "kernel_died", "memory_limit", "process_limit", "invalid_notebook",
                           "no_notebook", "ambiguous", "error"}, f"the statuses changed ({FAILED}): check what export should do with each"


@pytest.mark.parametrize("status", FAILED)
def test_table_writes_nothing_for_a_failed_row_unless_asked(status):
    table = grade_table(rows_with(status))
    assert table.score("aturing", "02_mlp") is None and table.score("jdoe", "02_mlp") == 11, \
        f"expected nothing to write for a {status} row"
    assert [r.student for r in table.failed] == ["aturing"], f"expected the {status} row listed, got {table.failed}"
    assert grade_table(rows_with(status), failed_as_zero=True).score("aturing", "02_mlp") == 0, \
        f"expected 0 (not the partial 4) for a {status} row under failed_as_zero"


@pytest.mark.parametrize("status", FAILED)
def test_canvas_keeps_the_current_cell_of_a_failed_row(tmp_path, status):
    out = tmp_path / "canvas.csv"
    result = canvas.export(grade_table(rows_with(status)), canvas.read_gradebook(CANVAS_EXPORT), out)
    students = by_first(read(out)[2:])
    assert students["Turing, Alan"][5] == "" and students["Doe, Jane"][5] == "11", \
        f"expected Turing's cell left as Canvas has it (empty), got {students['Turing, Alan']}"
    assert [(r.student, r.status) for r in result.left_out] == [("aturing", status)], result.left_out
    problems = "\n".join(result.problems())
    assert f"left out: aturing's 02_mlp, status {status} (the grader failed)" in problems, problems


def test_moodle_gives_a_failed_row_no_row(tmp_path):
    out = tmp_path / "moodle.csv"
    result = moodle.export(grade_table(rows_with("error")), read_roster(MOODLE_EXPORT), out, maxima={None: 12})
    assert read(out) == [["Username", "02_mlp"], ["jdoe", "11"]], f"expected aturing's error row left out: {read(out)}"
    assert "aturing" in result.missing["02_mlp"] and len(result.left_out) == 1, result


def test_failed_as_zero_writes_zero_in_every_format(tmp_path):
    table = grade_table(rows_with("error"), failed_as_zero=True)
    canvas.export(table, canvas.read_gradebook(CANVAS_EXPORT), tmp_path / "c.csv")
    moodle.export(table, read_roster(MOODLE_EXPORT), tmp_path / "m.csv", maxima={None: 12})
    result = plain.export(table, None, tmp_path / "p.csv", layout="long")
    assert by_first(read(tmp_path / "c.csv"))["Turing, Alan"][5] == "0", "canvas: expected 0"
    assert by_first(read(tmp_path / "m.csv"))["aturing"] == ["aturing", "0"], "moodle: expected 0"
    assert by_first(read(tmp_path / "p.csv"))["aturing"][1:5] == ["02_mlp", "0", "12", "error"], \
        "csv-long: expected 0 with the status kept"
    assert result.left_out == () and "written as 0 (--failed-as-zero)" in "\n".join(result.report()), result.report()


def test_plain_leaves_a_failed_row_out(tmp_path):
    out = tmp_path / "long.csv"
    plain.export(grade_table(rows_with("kernel_died")), None, out, layout="long")
    assert [r[0] for r in read(out)[1:]] == ["jdoe"], f"expected only jdoe's row, got {read(out)}"
    plain.export(grade_table([rows_with("kernel_died")[1]]), None, out)
    assert read(out) == [["student", "02_mlp"]], f"expected no line for a student with nothing graded: {read(out)}"


def test_unmatched_file_keeps_failed_rows(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("login\njdoe\n", encoding="utf-8")
    result = plain.export(grade_table(rows_with("timeout")), read_roster(roster), tmp_path / "w.csv")
    assert read(result.unmatched_file)[1][:5] == ["aturing", "02_mlp", "4", "12", "timeout"], \
        "expected the unmatched file to hold aturing's row as grades.csv does"


def test_cli_error_row_exits_1_and_is_listed(tmp_path, capsys):
    folder = grading_folder(tmp_path, rows_with("error"))
    output = tmp_path / "canvas.csv"
    code = cli.main(["export", str(folder), "--format", "canvas", "--roster", str(CANVAS_EXPORT), "--output",
                     str(output)])
    captured = capsys.readouterr()
    assert code == 1, f"expected exit 1 when a row is left out, got {code}: {captured.err}"
    assert "left out: aturing's 02_mlp, status error" in captured.err, captured.err
    assert by_first(read(output))["Turing, Alan"][5] == "", "expected no 0 written for the grader's error"
    code = cli.main(["export", str(folder), "--format", "canvas", "--roster", str(CANVAS_EXPORT), "--output",
                     str(output), "--failed-as-zero"])
    assert code == 0 and by_first(read(output))["Turing, Alan"][5] == "0", "expected 0 on purpose and exit 0"
