"""``nncourse export --format moodle``: the grade item's scale is checked, a file never clears a
grade Moodle holds, and unknown users are not written by accident (issue 25)."""

import pytest

from nncourse import cli
from nncourse.export import grade_table, moodle
from nncourse.export.options import parse_amounts
from nncourse.export.roster import read_roster
from tests.tools.test_export import MOODLE_EXPORT, ROWS, grade, grading_folder, read

MLP = [grade("jdoe", "02_mlp", 11, 12), grade("ghopper", "02_mlp", 7, 12)]


def export(tmp_path, rows=MLP, roster=MOODLE_EXPORT, **kwargs):
    out = tmp_path / "moodle.csv"
    result = moodle.export(grade_table(rows), read_roster(roster) if roster else None, out, **kwargs)
    return result, read(out)


def refused(tmp_path, rows=MLP, roster=MOODLE_EXPORT, **kwargs):
    with pytest.raises(ValueError) as info:
        export(tmp_path, rows, roster, **kwargs)
    assert not (tmp_path / "moodle.csv").exists(), "expected nothing written when the export is refused"
    return str(info.value)


def roster_with_max(tmp_path, maximum="12,00"):
    path = tmp_path / "roster.csv"
    path.write_text(f"Username;02_mlp\nMaximum grade;{maximum}\njdoe;\nghopper;\n", encoding="utf-8")
    return path


def test_parse_amounts():
    assert parse_amounts("--max", ["10", "02_mlp=12,5"]) == {None: 10, "02_mlp": 12.5}
    for bad in (["x"], ["0"], ["-3"], ["=4"], ["10", "20"], ["a=1", "a=2"]):
        with pytest.raises(ValueError) as info:
            parse_amounts("--max", bad)
        assert "--max" in str(info.value), f"expected --max named for {bad}, got {info.value}"


@pytest.mark.parametrize("source", [{"maxima": {None: 12}}, {"maxima": {"02_mlp": 12}}, {"scale_to": {None: 12}},
                                    {"roster": "with max"}])
def test_item_maximum_from_max_scale_to_or_roster(tmp_path, source):
    kwargs = dict(source)
    if kwargs.pop("roster", None):
        kwargs["roster"] = roster_with_max(tmp_path)
    _, rows = export(tmp_path, **kwargs)
    assert rows == [["Username", "02_mlp"], ["jdoe", "11"], ["ghopper", "7"]], f"{source}: got {rows}"


def test_unknown_maximum_is_refused(tmp_path):
    message = refused(tmp_path)
    assert "02_mlp" in message and "--max 02_mlp=N" in message, f"expected --max asked for, got {message}"


def test_larger_maximum_would_change_the_meaning_and_is_refused(tmp_path):
    message = refused(tmp_path, maxima={None: 100})
    assert "out of 12" in message and "maximum is 100" in message and "--scale-to 100" in message \
        and "--scale-to 12" in message, f"expected both ways out offered, got {message}"


def test_scale_to_rescales(tmp_path):
    _, rows = export(tmp_path, scale_to={None: 100})
    assert rows[1:] == [["jdoe", "91.67"], ["ghopper", "58.33"]], f"expected x/12 as x/100, got {rows}"
    _, rows = export(tmp_path, maxima={None: 100}, scale_to={None: 12})
    assert rows[1:] == [["jdoe", "11"], ["ghopper", "7"]], f"expected raw points into a larger item, got {rows}"


def test_score_above_the_maximum_is_refused_and_named(tmp_path):
    rows = MLP + [grade("aturing", "02_mlp", 13, 12)]  # a bonus point
    message = refused(tmp_path, rows=rows, maxima={None: 12})
    assert "aturing's 02_mlp: 13 (maximum 12)" in message, f"expected aturing's 13 named, got {message}"


def test_scale_to_above_the_maximum_and_disagreeing_maxima_are_refused(tmp_path):
    assert "--scale-to 20 is above" in refused(tmp_path, maxima={None: 12}, scale_to={None: 20})
    message = refused(tmp_path, roster=roster_with_max(tmp_path, "10"), maxima={None: 12})
    assert "--max 12" in message and "maximum of 10" in message, f"expected the two maxima named, got {message}"


def test_max_names_an_unknown_assignment(tmp_path):
    assert "--max names 09_x" in refused(tmp_path, maxima={"09_x": 3})


def test_roster_students_with_nothing_graded_get_no_row(tmp_path):
    result, rows = export(tmp_path, maxima={None: 12})
    assert [r[0] for r in rows[1:]] == ["jdoe", "ghopper"], f"expected alovelace and aturing left out, got {rows}"
    assert result.missing == {"02_mlp": ("alovelace", "aturing")} and "Moodle keeps" in "\n".join(result.report()), \
        f"expected the summary to count them, got {result.missing}: {result.report()}"


def test_partial_rows_are_refused_without_current_grades(tmp_path):
    message = refused(tmp_path, rows=ROWS, maxima={"01_neuron": 10, "02_mlp": 12})
    assert "ghopper (01_neuron)" in message and "aturing (02_mlp)" in message and "--assignment AID" in message, \
        f"expected ghopper's 01_neuron and aturing's timed-out 02_mlp named, got {message}"


def test_partial_rows_take_the_current_grade_from_the_roster(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("Username,Assignment: Neuron (Real),Quiz: MLP (Real)\njdoe,6.00,-\nghopper,\"4,50\",-\n",
                      encoding="utf-8")
    rows = [grade("jdoe", "01_neuron", 8.5), grade("ghopper", "02_mlp", 7, 12)]
    _, written = export(tmp_path, rows=rows, roster=roster, maxima={"01_neuron": 10, "02_mlp": 12},
                        titles={"01_neuron": "Neuron", "02_mlp": "MLP"})
    assert written == [["Username", "Neuron", "MLP"], ["jdoe", "8.5", "-"], ["ghopper", "4.5", "7"]], \
        f"expected Moodle's current grades written back ('-' is no grade), got {written}"


def test_without_roster_refused_unless_allowed(tmp_path):
    message = refused(tmp_path, roster=None, maxima={None: 12})
    assert "--allow-unknown-users" in message, message
    _, rows = export(tmp_path, roster=None, maxima={None: 12}, allow_unknown_users=True, key="email")
    assert rows == [["Email address", "02_mlp"], ["ghopper", "7"], ["jdoe", "11"]], f"got {rows}"


@pytest.mark.parametrize("extra, code, words", [
    ([], 2, "--allow-unknown-users"),
    (["--allow-unknown-users"], 2, "--max 02_mlp=N"),
    (["--allow-unknown-users", "--max", "10"], 2, "out of 12"),
    (["--allow-unknown-users", "--max", "12"], 0, ""),
    (["--allow-unknown-users", "--scale-to", "20"], 0, ""),
])
def test_cli_moodle_exit_codes(tmp_path, capsys, extra, code, words):
    folder = grading_folder(tmp_path, MLP)
    output = tmp_path / "m.csv"
    got = cli.main(["export", str(folder), "--format", "moodle", "--output", str(output), *extra])
    err = capsys.readouterr().err
    assert got == code and words in err, f"{extra}: expected exit {code} and {words!r}, got {got}: {err}"
    assert output.exists() == (code == 0), f"{extra}: expected the file written only on success"


@pytest.mark.parametrize("option", [["--max", "10"], ["--scale-to", "10"], ["--allow-unknown-users"]])
def test_cli_moodle_options_refused_for_other_formats(tmp_path, capsys, option):
    folder = grading_folder(tmp_path, MLP)
    assert cli.main(["export", str(folder), "--format", "csv", "--output", str(tmp_path / "x.csv"), *option]) == 2
    assert "--format moodle only" in capsys.readouterr().err


def test_cli_assignment_picks_one_from_a_folder_of_several(tmp_path, capsys):
    folder = grading_folder(tmp_path, ROWS)  # ghopper has no 01_neuron: a two-column Moodle file is refused
    output = tmp_path / "m.csv"
    base = ["export", str(folder), "--format", "moodle", "--roster", str(MOODLE_EXPORT), "--output", str(output),
            "--max", "01_neuron=10", "--max", "02_mlp=12"]
    assert cli.main(base) == 2 and "ghopper (01_neuron)" in capsys.readouterr().err
    assert cli.main(base[:-4] + ["--max", "12", "--assignment", "02_mlp"]) == 1, capsys.readouterr().err
    assert read(output) == [["Username", "02_mlp"], ["jdoe", "11"], ["ghopper", "7"]], read(output)
    assert cli.main(base + ["--assignment", "09_x"]) == 2
    assert "--assignment names 09_x" in capsys.readouterr().err
