"""``nncourse export`` and written answers still to grade by hand (issue 25, part 3): an
``ok`` row with ``to_grade`` > 0 is left out and listed, as a failed row is, so that the LMS
keeps what it holds; ``--partial`` writes the points given so far, on purpose."""

from nncourse.export import canvas, grade_table, moodle, plain
from nncourse.export.roster import read_roster
from nncourse.scores import GradeRow
from tests.tools.test_export import CANVAS_EXPORT, MOODLE_EXPORT, by_first, grade, read


def rows():
    """jdoe graded in full; aturing's tests graded (8) and 2 written answers still to grade."""
    return [grade("jdoe", "02_mlp", 11, 12),
            GradeRow(student="aturing", assignment="02_mlp", score=8, max_score=12, status="ok", message="",
                     auto_score=8, manual_score=0, to_grade=2)]


def test_a_row_with_answers_to_grade_is_left_out_unless_partial():
    table = grade_table(rows())
    assert table.score("aturing", "02_mlp") is None and table.score("jdoe", "02_mlp") == 11, \
        f"expected nothing to write for aturing, got {table.score('aturing', '02_mlp')}"
    assert [r.student for r in table.ungraded] == ["aturing"], table.ungraded
    assert grade_table(rows(), partial=True).score("aturing", "02_mlp") == 8, "expected the points so far"


def test_every_format_leaves_it_out_and_lists_it(tmp_path):
    table = grade_table(rows())
    results = [canvas.export(table, canvas.read_gradebook(CANVAS_EXPORT), tmp_path / "c.csv"),
               moodle.export(table, read_roster(MOODLE_EXPORT), tmp_path / "m.csv", maxima={None: 12}),
               plain.export(table, None, tmp_path / "p.csv")]
    students = by_first(read(tmp_path / "c.csv")[2:])
    assert students["Turing, Alan"][5] == "" and students["Doe, Jane"][5] == "11", students["Turing, Alan"]
    assert read(tmp_path / "m.csv") == [["Username", "02_mlp"], ["jdoe", "11"]], read(tmp_path / "m.csv")
    assert read(tmp_path / "p.csv") == [["student", "02_mlp"], ["jdoe", "11"]], read(tmp_path / "p.csv")
    for result in results:
        assert [r.student for r in result.left_out] == ["aturing"], (result.format, result.left_out)
        problems = "\n".join(result.problems())
        assert "left out: aturing's 02_mlp, 2 written answer(s) still to grade by hand" in problems, problems


def test_partial_writes_the_points_so_far_and_says_so(tmp_path):
    result = plain.export(grade_table(rows(), partial=True), None, tmp_path / "p.csv")
    assert read(tmp_path / "p.csv") == [["student", "02_mlp"], ["aturing", "8"], ["jdoe", "11"]], \
        read(tmp_path / "p.csv")
    assert result.left_out == (), result.left_out
    problems = "\n".join(result.problems())
    assert "partial: aturing's 02_mlp written with 8 of 12 points, 2 written answer(s) still to grade" in problems, \
        problems


def test_the_command_exits_1_without_partial_and_0_with_it(tmp_path, capsys):
    from nncourse import cli
    from nncourse.scores import write_grades

    folder = tmp_path / "grading"
    folder.mkdir()
    write_grades(folder / "grades.csv", rows())
    code = cli.main(["export", str(folder), "--format", "csv", "--output", str(tmp_path / "out.csv")])
    err = capsys.readouterr().err
    assert code == 1 and "still to grade by hand" in err, (code, err)
    code = cli.main(["export", str(folder), "--format", "csv", "--output", str(tmp_path / "out.csv"), "--partial"])
    assert code == 0, (code, capsys.readouterr())
