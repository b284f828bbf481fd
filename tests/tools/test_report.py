"""``nncourse report``: the class report's numbers, figures, page and command.

Every input is a small ``grades.csv`` / ``scores.csv`` written here with
:func:`nncourse.scores.write_grades` and :func:`~nncourse.scores.write_scores`, as
``nncourse grade`` leaves them. The page in a real browser is
``tests/launch/test_report_browser.py``.
"""

import base64
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nncourse.cli import main
from nncourse.report import FIGURE_NAMES, ExerciseResult, file_stems, summarize, write_report
from nncourse.report import figures
from nncourse.report.page import PNG_SIGNATURE, png_size
from nncourse import scores as scores_csv  # not its TestScore by name: pytest would try to collect it
from nncourse.scores import GRADES_FILE, SCORES_FILE, GradeRow, write_grades, write_scores

ROOT = Path(__file__).resolve().parents[2]
#: A student id and a message that are HTML, and mathtext for matplotlib.
HOSTILE_STUDENT = '<script>alert("x")</script>$x^$'
HOSTILE_MESSAGE = '<img src="/etc/passwd" onerror="alert(1)"> & friends'
DATA_URI = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")


def grade(student, aid, score, max_score=10.0, status="ok", message="", **extra):
    return GradeRow(student=student, assignment=aid, score=score, max_score=max_score, status=status,
                    message=message, **extra)


def score_row(student, aid, grade_id, score, max_score=1.0):
    return scores_csv.TestScore(student, aid, grade_id, score, max_score)

#: Two assignments, given out of teaching order on purpose; one hostile student.
GRADES = [
    grade("ghopper", "02_mlp", 7, 12, seconds=40.0),
    grade("aturing", "01_neuron", 10, seconds=12.5),
    grade("jdoe", "01_neuron", 4, status="timeout", message="cell 7 ran past 60 s", seconds=61.0,
          lost_points_in=("ex-02",)),
    grade("zz_late", "01_neuron", 8.5, late_minutes=95, late_penalty=1.5, seconds=9.0, lost_points_in=("ex-01",)),
    grade("nobody", "01_neuron", 0, status="no_notebook", message="no notebook in the folder"),
    grade(HOSTILE_STUDENT, "01_neuron", 6, message=HOSTILE_MESSAGE, seconds=20.0),
]
#: 01_neuron: ex-01 passed by 3 of 4, ex-02 by 1 of 4 (half a point is not full marks).
SCORES = [
    score_row("aturing", "01_neuron", "ex-01", 1), score_row("aturing", "01_neuron", "ex-02", 2, 2),
    score_row("jdoe", "01_neuron", "ex-01", 1), score_row("jdoe", "01_neuron", "ex-02", 0, 2),
    score_row("zz_late", "01_neuron", "ex-01", 0), score_row("zz_late", "01_neuron", "ex-02", 1.5, 2),
    score_row(HOSTILE_STUDENT, "01_neuron", "ex-01", 1), score_row(HOSTILE_STUDENT, "01_neuron", "ex-02", 0, 2),
    score_row("ghopper", "02_mlp", "ex-01-mlp", 3, 4),
]


@pytest.fixture
def out(tmp_path):
    """A grading output folder holding GRADES and SCORES."""
    folder = tmp_path / "out"
    folder.mkdir()
    write_grades(folder / GRADES_FILE, GRADES)
    write_scores(folder / SCORES_FILE, SCORES)
    return folder


@pytest.fixture
def report(out):
    """The report of ``out`` written where the command writes it: ``(page text, written paths)``."""
    written = write_report(out)
    return written[0].read_text(encoding="utf-8"), written


class References(HTMLParser):
    """Every URL-valued attribute of a page's elements (text is not parsed as markup)."""

    URL_ATTRIBUTES = {"src", "href", "srcset", "action", "formaction", "poster", "data", "background", "cite"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value or "" for name, value in attrs if name in self.URL_ATTRIBUTES]
        self.urls += re.findall(r"url\(([^)]*)\)", dict(attrs).get("style") or "")


def references(page):
    """Every URL the page's elements and its style sheet name."""
    parser = References()
    parser.feed(page)
    return parser.urls + re.findall(r"url\(([^)]*)\)", page.split("</style>")[0])


def without_data_uris(page):
    return DATA_URI.sub("DATA-URI", page)


# --- the numbers ---------------------------------------------------------------------------------


def test_summaries_follow_teaching_order_and_count_what_the_csvs_hold():
    summaries = summarize(GRADES, SCORES)
    assert [s.assignment for s in summaries] == ["01_neuron", "02_mlp"], \
        f"expected teaching order, got {[s.assignment for s in summaries]}"
    neuron = summaries[0]
    assert neuron.submissions == 5, f"expected 5 submissions of 01_neuron, got {neuron.submissions}"
    assert neuron.mean_score == pytest.approx((10 + 4 + 8.5 + 0 + 6) / 5), f"mean: {neuron.mean_score}"
    assert neuron.median_score == 6, f"median: {neuron.median_score}"
    assert neuron.late_submissions == 1, f"late: {neuron.late_submissions}"
    assert neuron.status_counts == {"timeout": 1, "no_notebook": 1, "ok": 3}, \
        f"expected statuses most specific first, ok last; got {neuron.status_counts}"


def test_pass_rate_is_the_share_of_students_with_full_marks_on_the_grade_id():
    neuron = summarize(GRADES, SCORES)[0]
    assert neuron.exercises == (ExerciseResult("ex-01", 4, 3), ExerciseResult("ex-02", 4, 1)), neuron.exercises
    assert neuron.pass_rates == {"ex-01": 0.75, "ex-02": 0.25}, \
        f"1.5 of 2 points is not full marks; got {neuron.pass_rates}"


def test_file_stems_are_safe_and_distinct():
    stems = file_stems(["01_neuron", "a/b", "a b", "../x"])
    assert stems == {"01_neuron": "01_neuron", "a/b": "a_b", "a b": "a_b-2", "../x": "_x"}, stems


# --- the figures ---------------------------------------------------------------------------------


FIGURE_CALLS = {
    "histogram": lambda: figures.score_histogram([0, 4, 8.5, 10, 6], 10, "01_neuron: scores"),
    "histogram of fractions": lambda: figures.score_histogram([0.2, 3.7], 7.5, "x"),
    "pass rates": lambda: figures.pass_rates({"ex-01": 0.75, "ex-02": 0.25}, "01_neuron: pass rates"),
    "statuses": lambda: figures.status_counts({"timeout": 1, "ok": 3}, "01_neuron: statuses"),
    "slowest": lambda: figures.slowest_submissions({"a": 3.0, HOSTILE_STUDENT: 9.0, "c": 0.0}, "slowest"),
    "empty histogram": lambda: figures.score_histogram([], 10, "nothing"),
    "empty pass rates": lambda: figures.pass_rates({}, "nothing"),
    "empty statuses": lambda: figures.status_counts({}, "nothing"),
    "nothing ran": lambda: figures.slowest_submissions({"a": 0.0}, "nothing"),
}


@pytest.mark.parametrize("name", FIGURE_CALLS)
def test_each_figure_has_a_title_and_labels_and_draws_to_png(name):
    figure = FIGURE_CALLS[name]()
    assert isinstance(figure, Figure) and isinstance(figure.canvas, FigureCanvasAgg), \
        f"{name}: expected a Figure on its own Agg canvas, got {type(figure.canvas).__name__}"
    axes = figure.axes[0]
    assert axes.get_title() and axes.get_xlabel() and axes.get_ylabel(), \
        f"{name}: title {axes.get_title()!r}, x label {axes.get_xlabel()!r}, y label {axes.get_ylabel()!r}"
    png = figures.to_png(figure)  # draws every text: a student id read as bad mathtext would raise here
    width, height = png_size(png)
    assert png.startswith(PNG_SIGNATURE) and 400 <= width <= 1000 and 150 <= height <= 800, \
        f"{name}: expected a PNG of a few hundred pixels, got {width}x{height}"


def test_slowest_submissions_keep_the_slowest_first_and_leave_out_what_did_not_run():
    seconds = {f"s{i:02d}": float(i) for i in range(15)}
    axes = figures.slowest_submissions(seconds, "slowest", shown=3).axes[0]
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert labels == ["s14", "s13", "s12"], f"expected the three slowest, slowest on top; got {labels}"


def test_figure_text_from_a_csv_is_drawn_literally():
    assert figures.plain_text("$x^$ costs $5") == r"\$x^\$ costs \$5"
    axes = figures.slowest_submissions({"$x^$": 1.0}, "t").axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == [r"\$x^\$"]


def test_writing_a_report_never_touches_pyplot(out):
    code = ("import sys; from pathlib import Path; from nncourse.report import write_report; "
            f"write_report(Path({str(out)!r})); print('matplotlib.pyplot' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "False", f"the report must draw without pyplot: {proc.stdout}{proc.stderr}"


def test_png_bytes_do_not_depend_on_when_they_were_drawn():
    draw = FIGURE_CALLS["histogram"]
    assert figures.to_png(draw()) == figures.to_png(draw()), "the same figure must give the same PNG"


# --- the page ------------------------------------------------------------------------------------


def test_references_finds_urls_in_attributes_and_style_but_not_in_text():
    page = ('<style>b { background: url(x.png) }</style><img src="http://a/b.png" alt="src=/no">'
            '<a href="#s">src="/text"</a><p style="background: url(/y.png)">')
    assert references(page) == ["http://a/b.png", "#s", "/y.png", "x.png"], references(page)


def test_page_refers_to_nothing_outside_itself(report):
    page, _ = report
    for needle in ("http", 'src="/', "//", "<script", "<link rel=\"stylesheet\"", "@import"):
        assert needle not in without_data_uris(page), f"the page holds {needle!r}"
    outside = [url for url in references(page) if not url.startswith(("data:", "#"))]
    assert not outside, f"every reference must be a data: URI or a fragment, found {outside}"
    images = re.findall(r"<img [^>]*>", page)
    assert len(images) == 2 * len(FIGURE_NAMES), f"expected 4 figures per assignment, got {len(images)}"
    assert all('src="data:image/png;base64,' in img for img in images), "every figure must be embedded"


def test_page_escapes_every_student_text(report):
    page, _ = report
    assert "<script>" not in page and "alert(\"x\")" not in page, "the student id must be escaped"
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;$x^$" in page, "the escaped student id must be shown"
    assert '<img src="/etc/passwd"' not in page and "&lt;img src=&quot;/etc/passwd&quot;" in page, \
        "the message must be shown as text, escaped"
    assert "&amp; friends" in page


def test_page_has_the_summary_numbers_and_a_row_per_student(report):
    page, _ = report
    neuron = page.split('<section id="assignment-1">')[1].split("</section>")[0]
    for words in ("<dt>submissions</dt><dd>5</dd>", "<dt>mean score</dt><dd>5.7 / 10</dd>",
                  "<dt>median score</dt><dd>6 / 10</dd>", "<td>ex-02</td>", ">25%<", ">75%<",
                  "95 min (-1.5 points)", "cell 7 ran past 60 s", "61.0", "no_notebook"):
        assert words in neuron, f"expected {words!r} in the 01_neuron section"
    students = re.findall(r"<tr><td>([^<]*)</td>", neuron.split("<h3>Students</h3>")[1])
    assert len(students) == 5, f"expected one student row per submission, got {students}"


def test_one_section_per_assignment_and_its_pngs_next_to_the_page(report, out):
    page, written = report
    assert page.index("<h2>01_neuron</h2>") < page.index("<h2>02_mlp</h2>"), "sections in teaching order"
    assert written[0] == out / "report" / "index.html"
    expected = {f"{aid}-{name}.png" for aid in ("01_neuron", "02_mlp") for name in FIGURE_NAMES}
    assert {p.name for p in written[1:]} == expected, f"got {[p.name for p in written[1:]]}"
    for path in written[1:]:
        assert path.parent == written[0].parent and path.read_bytes().startswith(PNG_SIGNATURE), path
    embedded = set(DATA_URI.findall(page))
    for path in written[1:]:
        uri = "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()
        assert uri in embedded, f"{path.name} must be the figure the page embeds"


def test_page_says_so_when_scores_csv_is_missing(out):
    (out / SCORES_FILE).unlink()
    page = write_report(out)[0].read_text(encoding="utf-8")
    assert "holds no scores.csv" in page and "No per-test scores for this assignment." in page


# --- the command ---------------------------------------------------------------------------------


def test_command_writes_the_page_where_output_says(out, tmp_path, capsys):
    target = tmp_path / "elsewhere" / "class.html"
    assert main(["report", str(out), "--output", str(target)]) == 0
    assert target.is_file() and (target.parent / "02_mlp-slowest.png").is_file()
    assert f"wrote {target} and 8 figure(s)" in capsys.readouterr().out


def test_command_without_grades_csv_exits_2_and_says_why(tmp_path):
    proc = subprocess.run([str(Path(sys.executable).with_name("nncourse")), "report", str(tmp_path)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, f"expected exit code 2, got {proc.returncode}: {proc.stderr}"
    assert f"nncourse report: no grades.csv in {tmp_path}" in proc.stderr, proc.stderr
    assert not (tmp_path / "report").exists(), "nothing may be written"


def test_command_refuses_a_csv_it_cannot_read(tmp_path, capsys):
    (tmp_path / GRADES_FILE).write_text("name,points\njdoe,3\n", encoding="utf-8")
    assert main(["report", str(tmp_path)]) == 2
    assert "did not write" in capsys.readouterr().err


def test_summary_says_how_much_grading_by_hand_is_left():
    from nncourse.report import summarize
    from nncourse.report.page import overview, summary_numbers

    rows = [grade("ada", "01_neuron", 8, to_grade=2), grade("bob", "01_neuron", 9, to_grade=1),
            grade("cy", "01_neuron", 10)]
    summary = summarize(rows, [])[0]
    numbers = summary_numbers(summary)
    want = "<dt>to grade by hand</dt><dd>3 written answer(s) in 2 submission(s)</dd>"
    assert want in numbers, f"expected {want!r} in {numbers}"
    done = summary_numbers(summarize([grade("cy", "01_neuron", 10)], [])[0])
    assert "<dt>to grade by hand</dt><dd>none left</dd>" in done, done
    assert '<td class="number">3</td>' in overview([summary]), overview([summary])
