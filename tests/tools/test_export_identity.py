"""``nncourse export``: student ids compared as a person reads them; colliding ids stop the export
unless ``--map`` says who each submission is (issue 25)."""

import unicodedata

import pytest

from nncourse import cli
from nncourse.export import canvas, grade_table, plain
from nncourse.export.identity import read_id_map, student_key
from nncourse.export.roster import join, read_roster
from tests.tools.test_export import CANVAS_EXPORT, by_first, grade, grading_folder, read

NFC_JOSE = unicodedata.normalize("NFC", "José")
NFD_JOSE = unicodedata.normalize("NFD", "José")


@pytest.mark.parametrize("a, b", [("JDOE", "jdoe"), (" jdoe ", "jdoe"), ("Jane  Doe", "jane doe"),
                                  ("jane\u00a0doe", "Jane Doe"), (NFD_JOSE, NFC_JOSE), ("STRASSE", "straße")])
def test_student_key_ignores_case_spaces_and_unicode_form(a, b):
    assert NFD_JOSE != NFC_JOSE, "the test needs two spellings of José"
    assert student_key(a) == student_key(b), f"expected {a!r} and {b!r} to be one student"


def test_student_key_keeps_different_ids_apart():
    assert student_key("jdoe") != student_key("j doe") and student_key("jose") != student_key(NFC_JOSE), \
        "expected inner spaces and accents to matter"


@pytest.mark.parametrize("first, second", [("JDOE", "jdoe"), ("jdoe ", "jdoe"), (NFC_JOSE, NFD_JOSE)])
def test_colliding_submissions_of_one_assignment_stop_the_export(first, second):
    with pytest.raises(ValueError) as info:
        grade_table([grade(first, "01_neuron", 8), grade(second, "01_neuron", 3)])
    message = str(info.value)
    assert repr(first) in message and repr(second) in message and "--map" in message, \
        f"expected both submissions named and --map suggested, got {message}"


def test_one_student_spelt_differently_in_two_assignments_is_one_student():
    table = grade_table([grade("JDOE", "01_neuron", 8), grade("jdoe", "02_mlp", 11, 12)])
    assert table.students == ("JDOE",), f"expected one student, got {table.students}"
    assert (table.score("JDOE", "01_neuron"), table.score("JDOE", "02_mlp")) == (8, 11), "expected both grades kept"
    assert table.spellings == {"JDOE": ("JDOE", "jdoe")} and "'JDOE', 'jdoe'" in table.notes()[0], \
        f"expected a note naming both spellings, got {table.notes()}"


def test_decomposed_name_matches_the_roster(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(f"login,name\n{NFC_JOSE.lower()},José\nana,Ana\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = plain.export(grade_table([grade(NFD_JOSE, "01_neuron", 7)]), read_roster(roster), out)
    assert result.unmatched == () and read(out)[1] == [NFC_JOSE.lower(), "José", "7"], \
        f"expected the NFD folder name placed on the NFC roster row, got {result.unmatched}, {read(out)}"


def test_join_refuses_two_students_on_one_row(tmp_path):
    # what lost a grade before issue 25: two ids placed on one roster row, one of them overwritten
    roster = tmp_path / "roster.csv"
    roster.write_text("login\njdoe\n", encoding="utf-8")
    with pytest.raises(ValueError) as info:
        join(read_roster(roster), "login", ["JDOE", "jdoe"])
    assert "'JDOE', 'jdoe'" in str(info.value) and "--map" in str(info.value), f"expected both named, got {info.value}"


# --- --map ---------------------------------------------------------------------------------------


def write_map(tmp_path, text, name="map.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_map_tells_colliding_submissions_apart(tmp_path):
    rows = [grade("JDOE", "02_mlp", 5, 12), grade("jdoe", "02_mlp", 11, 12)]
    id_map, warnings = read_id_map(write_map(tmp_path, "submission,lms user\nJDOE,ghopper\njdoe,jdoe\n"),
                                   {r.student for r in rows})
    assert id_map == {"JDOE": "ghopper", "jdoe": "jdoe"} and warnings == [], f"got {id_map}, {warnings}"
    out = tmp_path / "canvas.csv"
    result = canvas.export(grade_table(rows, id_map=id_map), canvas.read_gradebook(CANVAS_EXPORT), out)
    got = {name: row[5] for name, row in by_first(read(out)[2:]).items()}
    assert got["Doe, Jane"] == "11" and got["Hopper, Grace"] == "5" and result.unmatched == (), \
        f"expected each submission on the LMS user --map names, got {got}, unmatched {result.unmatched}"
    assert grade_table(rows, id_map=id_map).spellings == {"ghopper": ("JDOE",)}, "expected the mapping noted"


def test_map_sending_two_submissions_to_one_user_is_refused(tmp_path):
    rows = [grade("a1", "01_neuron", 5), grade("a2", "01_neuron", 6)]
    with pytest.raises(ValueError) as info:
        grade_table(rows, id_map={"a1": "jdoe", "a2": "JDOE"})
    assert "--map sends 'a1' to 'jdoe'" in str(info.value) and "'a2'" in str(info.value), \
        f"expected the map named in the refusal, got {info.value}"


def test_map_file_dialects_and_mistakes(tmp_path):
    subs = {"JDOE", "jdoe", NFD_JOSE}
    id_map, warnings = read_id_map(write_map(tmp_path, f"\ufeffJDOE;x1\r\n{NFC_JOSE};jose\r\nnobody;x3\r\n"), subs)
    assert id_map == {"JDOE": "x1", NFD_JOSE: "jose"}, f"expected ';', a BOM and NFC for NFD read, got {id_map}"
    assert len(warnings) == 1 and "'nobody'" in warnings[0], f"expected the unknown line warned about, got {warnings}"
    for text, words in (("jdoe\n", "line 1: expected two cells"), ("jdoe,a\njdoe,b\n", "line 2: submission 'jdoe' "
                        "is mapped twice"), ("Jdoe,a\n", "line 1: 'Jdoe' could be any of"),
                        ("jdoe,a,b\n", "line 1: expected two cells")):
        with pytest.raises(ValueError) as info:
            read_id_map(write_map(tmp_path, text), subs)
        assert words in str(info.value), f"{text!r}: expected {words!r}, got {info.value}"


# --- the command ---------------------------------------------------------------------------------


def test_cli_colliding_folders_exit_2_then_map_resolves(tmp_path, capsys):
    out_dir = grading_folder(tmp_path, [grade("JDOE", "01_neuron", 3), grade("jdoe", "01_neuron", 9)])
    output = tmp_path / "wide.csv"
    code = cli.main(["export", str(out_dir), "--format", "csv", "--output", str(output)])
    err = capsys.readouterr().err
    assert code == 2 and "'JDOE' and 'jdoe'" in err and not output.exists(), \
        f"expected exit 2 naming both and nothing written, got {code}: {err}"
    mapping = write_map(tmp_path, "JDOE,ghopper\n")
    code = cli.main(["export", str(out_dir), "--format", "csv", "--output", str(output), "--map", str(mapping)])
    captured = capsys.readouterr()
    assert code == 0, f"expected exit 0 with --map, got {code}: {captured.err}"
    assert read(output) == [["student", "01_neuron"], ["ghopper", "3"], ["jdoe", "9"]], \
        f"expected both grades, got {read(output)}"
    assert "--map" in captured.out and "1 submission(s) mapped" in captured.out, captured.out
