"""``nncourse export``: Canvas, Moodle and plain CSV files from grades.csv, joined to a roster.

The rosters are in ``tests/fixtures/lms`` (see its README for the formats and their sources).
"""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from nncourse.export import ExportResult, format_score, grade_table, parse_titles, unmatched_path
from nncourse.export import canvas, moodle, plain
from nncourse.export.roster import match_students, read_roster
from nncourse.scores import GradeRow, write_grades

ROOT = Path(__file__).resolve().parents[2]
LMS = ROOT / "tests" / "fixtures" / "lms"
CANVAS_EXPORT = LMS / "canvas_gradebook.csv"
MOODLE_EXPORT = LMS / "moodle_grades_export.csv"


def grade(student, aid, score, max_score=10.0, status="ok"):
    return GradeRow(student=student, assignment=aid, score=score, max_score=max_score, status=status, message="")


#: jdoe and aturing handed in both; ghopper only 02_mlp; alovelace nothing; zz_new is on no roster.
ROWS = [grade("jdoe", "01_neuron", 8.5), grade("aturing", "01_neuron", 10), grade("zz_new", "01_neuron", 4),
        grade("jdoe", "02_mlp", 11, 12), grade("aturing", "02_mlp", 0, 12, "timeout"), grade("ghopper", "02_mlp", 7, 12)]


def read(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def by_first(rows):
    return {r[0]: r for r in rows}


def grading_folder(tmp_path, rows, name="grading"):
    """A grading output folder holding ``rows`` as its grades.csv."""
    folder = tmp_path / name
    folder.mkdir()
    write_grades(folder / "grades.csv", rows)
    return folder


# --- shared pieces -------------------------------------------------------------------------------


def test_grade_table_orders_assignments_by_teaching_order():
    table = grade_table([grade("b", "02_mlp", 1), grade("a", "zz_extra", 1), grade("a", "01_neuron", 1)])
    assert table.assignments == ("01_neuron", "02_mlp", "zz_extra"), \
        f"expected teaching order then others, got {table.assignments}"
    assert table.students == ("a", "b"), f"expected sorted students, got {table.students}"


def test_grade_table_refuses_a_student_twice_for_one_assignment():
    with pytest.raises(ValueError) as info:
        grade_table([grade("a", "01_neuron", 1), grade("a", "01_neuron", 2)])
    assert "two rows for 01_neuron" in str(info.value), f"expected the duplicate named, got {info.value}"


@pytest.mark.parametrize("value, expected", [(8.5, "8.5"), (10.0, "10"), (7.125, "7.12"), (0.0, "0"), (1/3, "0.33")])
def test_format_score(value, expected):
    assert format_score(value) == expected, f"expected {value} to print as {expected!r}, got {format_score(value)!r}"


def test_parse_titles():
    assert parse_titles(["01_neuron=Neuron (12345)", "02_mlp = MLP"]) == {"01_neuron": "Neuron (12345)", "02_mlp": "MLP"}
    for bad in (["01_neuron"], ["=x"], ["01_neuron="], ["a=x", "a=y"]):
        with pytest.raises(ValueError) as info:
            parse_titles(bad)
        assert "--column" in str(info.value), f"expected a message about --column for {bad}, got {info.value}"


def test_unmatched_path():
    assert unmatched_path("out/grades.csv") == Path("out/grades.unmatched.csv"), \
        f"expected out/grades.unmatched.csv, got {unmatched_path('out/grades.csv')}"


def test_roster_delimiter_and_bom(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("\ufeffLogin;Name\njdoe;Jane Doe\n\naturing;Alan Turing\n", encoding="utf-8")
    roster = read_roster(path)
    assert roster.columns == ("Login", "Name"), f"expected the BOM dropped and ';' found, got {roster.columns}"
    assert roster.lines == (2, 4), f"expected blank lines skipped with file lines kept, got {roster.lines}"


def test_roster_student_on_two_rows_is_refused(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("login\njdoe\nJDOE\n", encoding="utf-8")
    with pytest.raises(ValueError) as info:
        match_students(read_roster(path), ["jdoe"], ["login"])
    assert "several rows" in str(info.value) and "lines 2, 3" in str(info.value), \
        f"expected both lines named, got {info.value}"


def test_roster_that_matches_nobody_is_refused(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("login\nsomeone\n", encoding="utf-8")
    with pytest.raises(ValueError) as info:
        match_students(read_roster(path), ["jdoe"], ["login"])
    assert "--match" in str(info.value), f"expected --match suggested, got {info.value}"


# --- Canvas --------------------------------------------------------------------------------------


def canvas_export(tmp_path, rows=ROWS, **kwargs):
    out = tmp_path / "canvas.csv"
    result = canvas.export(grade_table(rows), canvas.read_gradebook(CANVAS_EXPORT), out, **kwargs)
    return result, read(out)


def test_canvas_reads_the_export():
    book = canvas.read_gradebook(CANVAS_EXPORT)
    assert book.points_possible and book.points_possible[0] == "    Points Possible", \
        f"expected the Points Possible row apart, got {book.points_possible}"
    names = [r[0] for r in book.roster.rows]
    assert names == ["Doe, Jane", "Hopper, Grace", "Lovelace, Ada", "Turing, Alan", "Student, Test"], \
        f"expected the five student rows, got {names}"


def test_canvas_keeps_identity_columns_and_points_possible(tmp_path):
    result, rows = canvas_export(tmp_path, titles={"01_neuron": "Neuron (12345)"})
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Neuron (12345)", "02_mlp (12346)"], \
        f"expected the identity columns then one column per assignment, got {rows[0]}"
    assert rows[1] == ["    Points Possible", "", "", "", "", "10.00", "12.00"], \
        f"expected the Points Possible row with Canvas's own values, got {rows[1]}"
    assert result.columns == ("Neuron (12345)", "02_mlp (12346)"), f"expected both titles, got {result.columns}"
    assert result.match_column == "SIS Login ID", f"expected a match on SIS Login ID, got {result.match_column}"
    assert not result.warnings, f"expected no warning when every column exists, got {result.warnings}"


def test_canvas_scores_missing_and_unmatched(tmp_path):
    # Changed with issue 25: aturing's 02_mlp timed out; it was exported as 0 and is now left out
    # (his cell is the roster's current one, here empty) and he counts among the missing.
    result, rows = canvas_export(tmp_path, titles={"01_neuron": "Neuron (12345)"})
    students = by_first(rows[2:])
    expected = {
        "Doe, Jane": ["8.5", "11"],
        "Turing, Alan": ["10", ""],
        "Hopper, Grace": ["", "7"],
        "Lovelace, Ada": ["", ""],
        "Student, Test": ["", ""],
    }
    got = {name: row[5:] for name, row in students.items()}
    assert got == expected, f"expected scores (the roster's cell, not 0, where nothing was graded) {expected}, got {got}"
    assert students["Doe, Jane"][:5] == ["Doe, Jane", "1001", "S0001", "jdoe", "Section A"], \
        f"expected the roster's identity cells untouched, got {students['Doe, Jane'][:5]}"
    assert result.missing == {"01_neuron": ("ghopper", "alovelace", "Student, Test"),
                              "02_mlp": ("alovelace", "aturing", "Student, Test")}, \
        f"expected the roster students with nothing graded listed per assignment, got {result.missing}"
    assert [(r.student, r.assignment, r.status) for r in result.left_out] == [("aturing", "02_mlp", "timeout")], \
        f"expected aturing's timed-out row left out, got {result.left_out}"
    assert result.unmatched == ("zz_new",), f"expected zz_new unmatched, got {result.unmatched}"
    unmatched = read(result.unmatched_file)
    assert result.unmatched_file == tmp_path / "canvas.unmatched.csv" and unmatched[1][:3] == ["zz_new", "01_neuron", "4"], \
        f"expected zz_new's grades.csv row in canvas.unmatched.csv, got {result.unmatched_file}: {unmatched}"


def test_canvas_title_match_updates_existing_column(tmp_path):
    result, rows = canvas_export(tmp_path, rows=[grade("jdoe", "02_mlp", 11, 12)])
    assert rows[0][5:] == ["02_mlp (12346)"], f"expected the existing column '02_mlp (12346)', got {rows[0][5:]}"
    assert not result.warnings, f"expected no warning, got {result.warnings}"


@pytest.mark.parametrize("given", ["12345", "Neuron", "Old neuron title (12345)"])
def test_canvas_column_option_by_id_title_or_renamed(tmp_path, given):
    result, rows = canvas_export(tmp_path, rows=[grade("jdoe", "01_neuron", 8)], titles={"01_neuron": given})
    assert rows[0][5:] == ["Neuron (12345)"], f"expected --column {given!r} to pick 'Neuron (12345)', got {rows[0][5:]}"
    assert not result.warnings, f"expected no warning, got {result.warnings}"


def test_canvas_unknown_id_is_refused(tmp_path):
    with pytest.raises(ValueError) as info:
        canvas_export(tmp_path, titles={"01_neuron": "999"})
    assert "Canvas assignment 999" in str(info.value), f"expected the id named, got {info.value}"


def test_canvas_total_column_is_refused(tmp_path):
    with pytest.raises(ValueError) as info:
        canvas_export(tmp_path, titles={"01_neuron": "Current Score"})
    assert "read only" in str(info.value), f"expected a read-only message, got {info.value}"


def test_canvas_new_column_warns(tmp_path):
    result, rows = canvas_export(tmp_path, rows=[grade("jdoe", "01_neuron", 8)])
    assert rows[0][5:] == ["01_neuron"] and rows[1][5:] == ["10"], \
        f"expected a new column titled 01_neuron worth 10 points, got {rows[0][5:]} / {rows[1][5:]}"
    assert len(result.warnings) == 1 and "CREATE A NEW ASSIGNMENT" in result.warnings[0] \
        and "Neuron (12345)" in result.warnings[0], \
        f"expected one new-assignment warning suggesting 'Neuron (12345)', got {result.warnings}"


def test_canvas_points_possible_mismatch_warns(tmp_path):
    result, _ = canvas_export(tmp_path, rows=[grade("jdoe", "02_mlp", 8, 20)])
    assert any("worth 12 points but the grades are out of 20" in w for w in result.warnings), \
        f"expected a scale warning, got {result.warnings}"


def test_canvas_without_points_possible_row(tmp_path):
    roster = tmp_path / "no_points.csv"
    lines = CANVAS_EXPORT.read_text(encoding="utf-8").splitlines()
    roster.write_text("\n".join(l for l in lines if "Points Possible" not in l) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    canvas.export(grade_table([grade("jdoe", "02_mlp", 8, 12)]), canvas.read_gradebook(roster), out)
    rows = read(out)
    assert [r[0] for r in rows][:2] == ["Student", "Doe, Jane"], f"expected no Points Possible row, got {rows[:2]}"


def test_canvas_match_on_canvas_id_and_explicit_match(tmp_path):
    result, rows = canvas_export(tmp_path, rows=[grade("1001", "02_mlp", 9, 12)])
    assert result.match_column == "ID" and by_first(rows)["Doe, Jane"][5] == "9", \
        f"expected students matched by Canvas ID, got {result.match_column}: {rows}"
    result, _ = canvas_export(tmp_path, rows=[grade("S0001", "02_mlp", 9, 12)], match="SIS User ID")
    assert result.match_column == "SIS User ID" and result.unmatched == (), \
        f"expected --match SIS User ID used, got {result.match_column}, unmatched {result.unmatched}"


def test_canvas_refuses_a_file_that_is_not_a_gradebook(tmp_path):
    with pytest.raises(ValueError) as info:
        canvas.read_gradebook(MOODLE_EXPORT)
    assert "not a Canvas gradebook export" in str(info.value), f"expected the file refused, got {info.value}"


# --- Moodle --------------------------------------------------------------------------------------


def neuron_rows():
    return [r for r in ROWS if r.assignment == "01_neuron"]


def test_moodle_username_is_the_default_key(tmp_path):
    # Changed with issue 25: one assignment (a file of two would clear ghopper's 01_neuron in
    # Moodle, and is refused: tests/tools/test_export_moodle.py), --max given, and the roster
    # students with nothing graded get no row instead of an empty cell.
    out = tmp_path / "moodle.csv"
    result = moodle.export(grade_table(neuron_rows()), read_roster(MOODLE_EXPORT), out, maxima={None: 10})
    rows = read(out)
    assert rows[0] == ["Username", "01_neuron"], f"expected Username then the assignment, got {rows[0]}"
    expected = {"jdoe": ["8.5"], "aturing": ["10"]}
    got = {r[0]: r[1:] for r in rows[1:]}
    assert got == expected, f"expected only the graded students, got {got}"
    assert result.match_column == "Username" and result.unmatched == ("zz_new",), \
        f"expected a match on Username with zz_new unmatched, got {result.match_column}, {result.unmatched}"
    assert result.missing["01_neuron"] == ("ghopper", "alovelace"), f"expected missing listed, got {result.missing}"
    assert result.unmatched_file.is_file(), f"expected {result.unmatched_file} written"


def test_moodle_idnumber_key_leaves_out_rows_without_it(tmp_path):
    # Changed with issue 25: one assignment and --max; aturing (timeout) has no row now.
    out = tmp_path / "moodle.csv"
    rows = [r for r in ROWS if r.assignment == "02_mlp"] + [grade("alovelace", "02_mlp", 12, 12)]
    result = moodle.export(grade_table(rows), read_roster(MOODLE_EXPORT), out, key="idnumber",
                           titles={"02_mlp": "MLP"}, maxima={"02_mlp": 12})
    written = read(out)
    assert written[0] == ["ID number", "MLP"], f"expected ID number and the --column title, got {written[0]}"
    assert [r[0] for r in written[1:]] == ["S0001", "S0004"], \
        f"expected Ada (no ID number) and aturing (timeout) left out, got {[r[0] for r in written[1:]]}"
    assert any("have no 'ID number'" in w and "alovelace" in w for w in result.warnings), \
        f"expected a warning naming alovelace, got {result.warnings}"
    assert "alovelace" in result.unmatched, f"expected alovelace's grade kept in the unmatched file, got {result.unmatched}"


def test_moodle_email_key_and_match_on_email(tmp_path):
    out = tmp_path / "moodle.csv"
    result = moodle.export(grade_table([grade("Jane.Doe@example.edu", "01_neuron", 5)]), read_roster(MOODLE_EXPORT),
                           out, maxima={None: 10})
    rows = read(out)
    assert result.match_column == "Email address" and rows[0][0] == "Email address" \
        and rows[1] == ["jane.doe@example.edu", "5"], \
        f"expected a case-insensitive match on Email address written as the key, got {result.match_column}: {rows}"


def test_moodle_key_missing_from_roster(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("Username,Name\njdoe,Jane\n", encoding="utf-8")
    with pytest.raises(ValueError) as info:
        moodle.export(grade_table(ROWS), read_roster(roster), tmp_path / "m.csv", key="email",
                      maxima={"01_neuron": 10, "02_mlp": 12})
    assert "no 'Email address' column" in str(info.value), f"expected the missing column named, got {info.value}"


def test_moodle_without_roster_needs_allow_unknown_users(tmp_path):
    # Changed with issue 25: without a roster the ids were written as usernames with no check;
    # now only with allow_unknown_users, and on a scale Moodle's item has (--max).
    out = tmp_path / "moodle.csv"
    table = grade_table([grade("jdoe", "01_neuron", 120, 150)])
    with pytest.raises(ValueError) as info:
        moodle.export(table, None, out, maxima={None: 150})
    assert "--allow-unknown-users" in str(info.value) and not out.exists(), f"expected a refusal, got {info.value}"
    result = moodle.export(table, None, out, maxima={None: 150}, allow_unknown_users=True)
    assert read(out) == [["Username", "01_neuron"], ["jdoe", "120"]], f"expected ids as usernames, got {read(out)}"
    assert result.match_column is None and not result.warnings, f"expected no roster, no warning, got {result}"


# --- plain CSV -----------------------------------------------------------------------------------


def test_csv_wide_without_roster(tmp_path):
    out = tmp_path / "wide.csv"
    result = plain.export(grade_table(ROWS), None, out)
    # changed with issue 25: aturing's timed-out 02_mlp is left out, not 0
    assert read(out) == [["student", "01_neuron", "02_mlp"], ["aturing", "10", ""], ["ghopper", "", "7"],
                         ["jdoe", "8.5", "11"], ["zz_new", "4", ""]], f"expected a wide table, got {read(out)}"
    assert result.unmatched == () and result.unmatched_file is None, f"expected nothing unmatched, got {result}"


def test_csv_wide_with_roster_keeps_its_columns(tmp_path):
    out = tmp_path / "wide.csv"
    result = plain.export(grade_table(ROWS), read_roster(MOODLE_EXPORT), out)
    rows = read(out)
    assert rows[0][:3] == ["First name", "Last name", "Username"] and rows[0][-2:] == ["01_neuron", "02_mlp"], \
        f"expected the roster's columns then the assignments, got {rows[0]}"
    got = {r[2]: r[-2:] for r in rows[1:]}
    assert got == {"jdoe": ["8.5", "11"], "ghopper": ["", "7"], "alovelace": ["", ""], "aturing": ["10", ""]}, \
        f"expected every roster student with empty cells where missing, got {got}"
    assert result.unmatched == ("zz_new",) and read(result.unmatched_file)[1][0] == "zz_new", \
        f"expected zz_new in the unmatched file, got {result.unmatched}"


def test_csv_long(tmp_path):
    out = tmp_path / "long.csv"
    plain.export(grade_table(ROWS[:2]), None, out, layout="long")
    assert read(out) == [["student", "assignment", "score", "max_score", "status", "late_minutes", "late_penalty"],
                         ["aturing", "01_neuron", "10", "10", "ok", "0", "0"],
                         ["jdoe", "01_neuron", "8.5", "10", "ok", "0", "0"]], f"expected a long table, got {read(out)}"


def test_stale_unmatched_file_is_removed(tmp_path):
    out = tmp_path / "wide.csv"
    plain.export(grade_table(ROWS), read_roster(MOODLE_EXPORT), out)
    assert unmatched_path(out).is_file(), "expected an unmatched file on the first export"
    plain.export(grade_table(ROWS[:2]), read_roster(MOODLE_EXPORT), out)
    assert not unmatched_path(out).exists(), "expected the stale unmatched file removed when everyone matched"


def test_report_lists_missing_and_unmatched(tmp_path):
    result, _ = canvas_export(tmp_path, titles={"01_neuron": "Neuron (12345)"})
    text = "\n".join(result.report())
    for words in ("01_neuron: 3 roster student(s) with nothing graded in this run keep the grade Canvas holds",
                  "1 grade(s) with a status other than ok left out", "zz_new", "canvas.unmatched.csv",
                  "matched students by roster column 'SIS Login ID'"):
        assert words in text, f"expected {words!r} in the report, got:\n{text}"
    assert isinstance(result, ExportResult)


# --- the command ---------------------------------------------------------------------------------


def nncourse(*args, cwd):
    # the installed console script, as an instructor runs it
    return subprocess.run([str(Path(sys.executable).with_name("nncourse")), "export", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def outs(tmp_path):
    """Two grading output folders, one per assignment."""
    return [grading_folder(tmp_path, [r for r in ROWS if r.assignment == aid], f"out_{aid}")
            for aid in ("01_neuron", "02_mlp")]


def test_cli_canvas_end_to_end(tmp_path, outs):
    # Changed with issue 25: aturing's timed-out 02_mlp used to be exported as 0 with exit 0 and a
    # line on stdout; now it is left out, listed on stderr, and the exit status is 1.
    out = tmp_path / "canvas_import.csv"
    done = nncourse(*outs, "--format", "canvas", "--roster", CANVAS_EXPORT, "--output", out, cwd=tmp_path)
    assert done.returncode == 1, f"expected exit 1 (a row left out), got {done.returncode}: {done.stderr}"
    for words in (f"read 3 grade(s) of 01_neuron from {outs[0] / 'grades.csv'}",
                  f"read 3 grade(s) of 02_mlp from {outs[1] / 'grades.csv'}",
                  "matched students by roster column 'SIS Login ID'", "1 grade(s) with a status other than ok left out",
                  "02_mlp: 3 roster student(s) with nothing graded", "zz_new", f"wrote {out}"):
        assert words in done.stdout, f"expected {words!r} on stdout, got:\n{done.stdout}"
    assert "warning: 01_neuron" in done.stderr and "CREATE A NEW ASSIGNMENT" in done.stderr, \
        f"expected the new-assignment warning on stderr, got:\n{done.stderr}"
    assert "left out: aturing's 02_mlp, status timeout" in done.stderr, \
        f"expected the timed-out row listed on stderr, got:\n{done.stderr}"
    assert read(out)[0][5:] == ["01_neuron", "02_mlp (12346)"], f"expected both columns, got {read(out)[0]}"
    assert (tmp_path / "canvas_import.unmatched.csv").is_file(), "expected the unmatched file beside the output"


def test_cli_canvas_with_column_option_and_failed_as_zero(tmp_path, outs):
    out = tmp_path / "canvas_import.csv"
    done = nncourse(*outs, "--format", "canvas", "--roster", CANVAS_EXPORT, "--output", out,
                    "--column", "01_neuron=Neuron (12345)", "--failed-as-zero", cwd=tmp_path)
    assert done.returncode == 0 and not done.stderr, \
        f"expected exit 0 without warning, got {done.returncode}: {done.stderr}"
    assert read(out)[0][5:] == ["Neuron (12345)", "02_mlp (12346)"], f"expected existing columns, got {read(out)[0]}"
    assert by_first(read(out))["Turing, Alan"][5:] == ["10", "0"], \
        f"expected aturing's timed-out 02_mlp written as 0 on purpose, got {by_first(read(out))['Turing, Alan']}"
    assert "1 grade(s) with a status other than ok written as 0 (--failed-as-zero)" in done.stdout, done.stdout


def test_cli_moodle_and_csv(tmp_path, outs):
    # Changed with issue 25: Moodle gets one assignment (01_neuron, no failed row) and its item's --max.
    for fmt, folders, extra in (("moodle", outs[:1], ["--moodle-key", "email", "--max", "10"]), ("csv", outs, []),
                                ("csv-long", outs, [])):
        out = tmp_path / f"{fmt}.csv"
        done = nncourse(*folders, "--format", fmt, "--roster", MOODLE_EXPORT, "--output", out, *extra, cwd=tmp_path)
        expected = 0 if fmt == "moodle" else 1  # the csv files leave out aturing's timed-out 02_mlp
        assert done.returncode == expected and out.is_file(), \
            f"{fmt}: expected exit {expected} and {out}, got {done.returncode}: {done.stderr}"
    assert read(tmp_path / "moodle.csv") == [["Email address", "01_neuron"], ["jane.doe@example.edu", "8.5"],
                                             ["alan.turing@example.edu", "10"]], \
        f"expected the email key and the graded students only, got {read(tmp_path / 'moodle.csv')}"


@pytest.mark.parametrize("args, words", [
    (["missing_folder", "--format", "csv", "--output", "x.csv"], "no grades.csv in missing_folder"),
    (["{0}", "--format", "canvas", "--output", "x.csv"], "--format canvas needs --roster"),
    (["{0}", "--format", "csv", "--output", "x.csv", "--column", "01_neuron"], "is not AID=TITLE"),
    (["{0}", "--format", "csv", "--output", "x.csv", "--column", "09_x=X"], "--column names 09_x"),
    (["{0}", "--format", "csv", "--output", "x.csv", "--moodle-key", "email"], "--format moodle only"),
    (["{0}", "--format", "csv", "--output", "x.csv", "--match", "Username"], "give the roster with --roster"),
    (["{0}", "{0}", "--format", "csv", "--output", "x.csv"], "export each assignment from one output folder"),
    (["{0}", "--format", "canvas", "--roster", str(MOODLE_EXPORT), "--output", "x.csv"],
     "not a Canvas gradebook export"),
])
def test_cli_bad_input_exits_2(tmp_path, outs, args, words):
    done = nncourse(*[a.format(outs[0]) for a in args], cwd=tmp_path)
    assert done.returncode == 2, f"expected exit 2, got {done.returncode}: {done.stdout}{done.stderr}"
    assert words in done.stderr, f"expected {words!r} in the message, got:\n{done.stderr}"
    assert not (tmp_path / "x.csv").exists(), "expected nothing written on bad input"
