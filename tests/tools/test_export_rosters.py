"""``nncourse export`` on rosters shaped as Canvas and Moodle export them in a decimal-comma locale:
a byte-order mark, ``;`` separators, ``10,00``, a Points Possible row, the Test Student, extra
columns, accents composed and decomposed (``tests/fixtures/lms/README.md``); a student with
nothing graded keeps the grade the LMS holds (issue 25)."""

import csv
import unicodedata

import pytest

from nncourse.export import canvas, grade_table, moodle, plain
from nncourse.export.roster import read_roster
from tests.tools.test_export import LMS, grade

CANVAS_SEMICOLON = LMS / "canvas_gradebook_semicolon.csv"
MOODLE_SEMICOLON = LMS / "moodle_grades_export_semicolon.csv"


def nfc(text):
    return unicodedata.normalize("NFC", text)


def nfd(text):
    return unicodedata.normalize("NFD", text)


def read_semicolon(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh, delimiter=";"))


#: jdoe regraded; José's folder is upper-case NFC (the roster has NFD), Ana's NFD (the roster NFC).
ROWS = [grade("jdoe", "01_neuron", 8.5), grade(nfc("JNúñez"), "01_neuron", 10), grade(nfd("amuñoz"), "01_neuron", 4),
        grade("jdoe", "02_mlp", 11, 12)]


def test_fixtures_hold_both_unicode_forms():
    for path in (CANVAS_SEMICOLON, MOODLE_SEMICOLON):
        text = path.read_text(encoding="utf-8-sig")
        assert nfd("jnúñez") in text and nfc("amuñoz") in text and nfc("jnúñez") not in text, \
            f"{path.name}: expected José decomposed and Ana composed"
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), f"{path.name}: expected a byte-order mark"


def test_canvas_reads_a_semicolon_export():
    book = canvas.read_gradebook(CANVAS_SEMICOLON)
    roster = book.roster
    assert roster.delimiter == ";" and roster.columns[0] == "Student", f"expected ';' and no BOM, got {roster.columns}"
    assert book.points_possible[5:7] == ("10,00", "12,00"), f"expected Points Possible, got {book.points_possible}"
    assert [r[0] for r in roster.rows][-1] == "Student, Test", "expected the Test Student kept as a roster row"


@pytest.fixture
def canvas_out(tmp_path):
    out = tmp_path / "canvas.csv"
    result = canvas.export(grade_table(ROWS), canvas.read_gradebook(CANVAS_SEMICOLON), out,
                           titles={"01_neuron": "Neuron (12345)"})
    return result, read_semicolon(out)


def test_canvas_writes_back_what_it_holds_for_students_with_nothing_graded(canvas_out):
    result, rows = canvas_out
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Neuron (12345)", "02_mlp (12346)"], \
        f"expected the identity columns and both assignments only, got {rows[0]}"
    assert rows[1] == ["    Points Possible", "", "", "", "", "10,00", "12,00"], f"expected Canvas's points: {rows[1]}"
    got = {r[0]: r[5:] for r in rows[2:]}
    assert got == {"Doe, Jane": ["8.5", "11"], "Lovelace, Ada": ["7,50", ""], "Muñoz, Ana": ["4", ""],
                   nfd("Núñez, José"): ["10", ""], "Student, Test": ["", ""]}, \
        f"expected new scores, and Canvas's current cells (7,50; empty) where nothing was graded, got {got}"
    assert result.unmatched == () and not result.warnings, f"expected all matched, no warning: {result}"
    assert result.missing["01_neuron"] == ("alovelace", "Student, Test"), result.missing


def test_canvas_output_keeps_the_roster_separator(canvas_out):
    result, _ = canvas_out
    first = result.output.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("Student;ID;"), f"expected ';' as in the roster, got {first}"


def test_canvas_decimal_comma_points_are_compared_as_numbers(tmp_path):
    out = tmp_path / "c.csv"
    result = canvas.export(grade_table([grade("jdoe", "02_mlp", 8, 20)]), canvas.read_gradebook(CANVAS_SEMICOLON), out)
    assert any("worth 12 points but the grades are out of 20" in w for w in result.warnings), result.warnings
    result = canvas.export(grade_table([grade("jdoe", "02_mlp", 13, 12)]), canvas.read_gradebook(CANVAS_SEMICOLON), out)
    assert any("1 score(s) above the 12 points possible" in w and "jdoe 13" in w for w in result.warnings), \
        f"expected a score above Canvas's points named, got {result.warnings}"


def test_moodle_semicolon_export_as_roster(tmp_path):
    out = tmp_path / "moodle.csv"
    rows = [r for r in ROWS if r.assignment == "01_neuron"]
    result = moodle.export(grade_table(rows), read_roster(MOODLE_SEMICOLON), out, maxima={None: 10},
                           titles={"01_neuron": "Neuron"})
    with open(out, newline="", encoding="utf-8") as fh:
        written = list(csv.reader(fh))
    assert written == [["Username", "Neuron"], ["jdoe", "8.5"], [nfc("amuñoz"), "4"], [nfd("jnúñez"), "10"]], \
        f"expected Moodle's own usernames (as the roster spells them), Ada left out, got {written}"
    assert result.missing == {"01_neuron": ("alovelace",)}, result.missing


def test_moodle_two_assignments_take_current_grades_from_its_export(tmp_path):
    out = tmp_path / "moodle.csv"
    rows = [grade("jdoe", "02_mlp", 11, 12), grade(nfd("amuñoz"), "02_mlp", 9, 12)]
    options = dict(maxima={"01_neuron": 10, "02_mlp": 12}, titles={"01_neuron": "Neuron"})
    both = [grade(nfc("JNúñez"), "01_neuron", 10), grade(nfc("JNúñez"), "02_mlp", 12, 12)]
    moodle.export(grade_table(rows + both), read_roster(MOODLE_SEMICOLON), out, **options)
    with open(out, newline="", encoding="utf-8") as fh:
        written = list(csv.reader(fh))
    assert written == [["Username", "Neuron", "02_mlp"], ["jdoe", "6.5", "11"], [nfc("amuñoz"), "-", "9"],
                       [nfd("jnúñez"), "10", "12"]], \
        f"expected the current Neuron grades (6,50 as 6.5; '-': none) where only 02_mlp was graded, got {written}"
    # Ada graded in Neuron only: 02_mlp is a new item with no current grades in the roster, so refused
    with pytest.raises(ValueError) as info:
        moodle.export(grade_table(rows + [grade("alovelace", "01_neuron", 9)]), read_roster(MOODLE_SEMICOLON),
                      tmp_path / "other.csv", **options)
    assert "alovelace (02_mlp)" in str(info.value), f"expected Ada's missing 02_mlp named, got {info.value}"


def test_plain_wide_keeps_roster_cells_and_points(tmp_path):
    out = tmp_path / "wide.csv"
    plain.export(grade_table(ROWS), canvas.read_gradebook(CANVAS_SEMICOLON).roster, out,
                 titles={"01_neuron": "Neuron (12345)"})
    rows = read_semicolon(out)
    points = rows[1]
    assert points[0] == "    Points Possible" and points[5] == "10" and points[-1] == "12", \
        f"expected the points row kept with the totals of our columns, got {points}"
    by_name = {r[0]: r for r in rows[2:]}
    assert by_name["Lovelace, Ada"][5] == "7,50" and by_name["Doe, Jane"][5] == "8.5", \
        "expected the roster's cell kept where nothing was graded, and the new score elsewhere"
