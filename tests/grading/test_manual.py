"""Written answers graded by hand, on a class of four graded by ``nncourse grade``: what is
left to grade, the export that waits for it (``--partial``); through the grading file
(``nncourse manual OUT --export FILE`` / ``--import FILE``) and through nbgrader's
formgrader in Chromium (JupyterLab started in ``OUT``, as the README says), the hand
grades in ``grades.csv``, the feedback page and the export; a regrade that keeps the hand
grade of an unchanged answer and drops that of a changed one.

The formgrader test reuses this module's graded class (a second grading would cost the
kernels' time again), so it runs with the grading tests' xdist group, not the browser's."""

from __future__ import annotations

import copy
import csv
import html
import sys
import time
from pathlib import Path

import nbformat
import pytest

from nncourse.grading.task.notebooks import autograded_points, written_answer_ids, written_points
from tests.course_tools import ROOT, cell_index, run
from tests.grading.crafted_class import AID, GROUP, grade, read_grades, solution, student_version, write

pytestmark = [pytest.mark.grading, GROUP]

#: Each grading of the small class, with the limits every run of it uses (part of the key).
LIMITS = ["--timeout", 60, "--jobs", 1, "--memory", "4G"]


def nncourse(*args):
    """``nncourse ARGS...`` in a subprocess (never raises on its exit code)."""
    return run([sys.executable, "-m", "nncourse.cli", *map(str, args)], ROOT, timeout=600)


def cell_points(nb, grade_id):
    """The points of cell ``grade_id`` of notebook ``nb``."""
    return nb.cells[cell_index(nb, grade_id)].metadata["nbgrader"]["points"]


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def small_class(tmp_path_factory):
    """ada, bob and dee hand in the solution (bob's first written answer in his own
    words), cy the untouched release; graded once."""
    base = tmp_path_factory.mktemp("manual")
    subs, out = base / "submissions", base / "out"
    sol = solution()
    write(sol, subs / "ada" / f"{AID}.ipynb")
    bob = copy.deepcopy(sol)
    first = written_answer_ids(sol)[0]
    bob.cells[cell_index(bob, first)].source = "A threshold unit has no slope: nothing to follow downhill."
    write(bob, subs / "bob" / f"{AID}.ipynb")
    write(student_version(), subs / "cy" / f"{AID}.ipynb")
    write(sol, subs / "dee" / f"{AID}.ipynb")
    proc = grade([subs, "--out", out, *LIMITS])
    assert proc.returncode == 0, proc.stderr[-3000:]
    return dict(subs=subs, out=out, proc=proc, base=base)


def test_written_answers_wait_for_a_person_and_count_in_the_total(small_class):
    nb = solution()
    written = written_answer_ids(nb)
    rows = read_grades(small_class["out"])
    for student in ("ada", "bob"):
        row = rows[student]
        assert int(row["to_grade"]) == len(written), f"{student}: expected {len(written)} to grade, got {row}"
        assert float(row["max_score"]) == autograded_points(nb) + written_points(nb), row
        assert float(row["auto_score"]) == autograded_points(nb) == float(row["score"]), row
        assert float(row["manual_score"]) == 0, row
    # the release's text is no answer: nbgrader's 0, nothing for a person to grade
    assert rows["cy"]["to_grade"] == "0", rows["cy"]
    assert f"{len(written) * 3} of {len(written) * 4} written answer(s) still to grade" in small_class["proc"].stderr, \
        small_class["proc"].stderr[-2000:]
    proc = nncourse("manual", small_class["out"])
    assert proc.returncode == 1, f"expected exit 1 while answers are left to grade, got {proc.returncode}: {proc.stdout}"
    assert "still to grade" in proc.stdout, proc.stdout


def test_grading_file_round_trip_reaches_grades_feedback_and_export(small_class):
    out, base = small_class["out"], small_class["base"]
    nb = solution()
    written = written_answer_ids(nb)
    # before: the export leaves ada and bob out (exit 1), and --partial writes what is given so far
    export = base / "grades_wide.csv"
    proc = nncourse("export", out, "--format", "csv", "--output", export)
    assert proc.returncode == 1, f"expected exit 1, got {proc.returncode}: {proc.stdout}{proc.stderr}"
    assert "left out: ada's 01_neuron, 3 written answer(s) still to grade" in proc.stderr, proc.stderr
    exported = {r["student"] for r in read_csv(export)}
    assert "cy" in exported and not exported & {"ada", "bob"}, exported
    proc = nncourse("export", out, "--format", "csv", "--output", export, "--partial")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "partial: ada's 01_neuron written with 12 of 19 points" in proc.stderr, proc.stderr

    sheet = base / "to_grade.csv"
    proc = nncourse("manual", out, "--export", sheet)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    rows = read_csv(sheet)
    mine = [r for r in rows if r["student"] == "ada"]
    assert [r["question"] for r in mine] == list(written), mine
    assert all(r["score"] == "" and r["answer"].strip() for r in mine), mine
    cy = [r for r in rows if r["student"] == "cy"]
    assert all(r["score"] == "0" and r["comment"] == "No response." for r in cy), cy
    given = {}
    for r in mine:  # full marks less one point, and a comment each
        r["score"] = str(float(r["max_score"]) - 1)
        r["comment"] = f"Good; be precise about {r['question']}."
        given[r["question"]] = float(r["score"])
    with open(sheet, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    proc = nncourse("manual", out, "--import", sheet)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # bob's are still to grade
    assert f"recorded {len(written)} hand grade(s)" in proc.stdout, proc.stdout

    ada = read_grades(out)["ada"]
    manual = sum(given.values())
    assert float(ada["manual_score"]) == manual and ada["to_grade"] == "0", ada
    assert float(ada["score"]) == float(ada["auto_score"]) + manual, ada
    page = html.unescape((out / "feedback" / AID / "ada.html").read_text(encoding="utf-8"))
    for question in written:
        assert f"Good; be precise about {question}." in page, f"the feedback page lacks the comment on {question}"
    assert "BEGIN HIDDEN TESTS" not in page
    proc = nncourse("export", out, "--format", "csv", "--output", export)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # bob still left out
    scores = {r["student"]: r[AID] for r in read_csv(export)}
    assert float(scores["ada"]) == float(ada["score"]), (scores, ada)
    assert "bob" not in scores, scores

    # a grading file with a bad row records nothing
    bad = base / "bad.csv"
    bad.write_text("assignment,student,question,score,comment\n"
                   f"{AID},bob,{written[0]},1,fine\n{AID},bob,{written[1]},99,too many\n", encoding="utf-8")
    proc = nncourse("manual", out, "--import", bad)
    assert proc.returncode == 2 and "nothing was recorded" in proc.stderr, proc.stdout + proc.stderr
    assert read_grades(out)["bob"]["to_grade"] == str(len(written)), read_grades(out)["bob"]


def test_a_regrade_keeps_hand_grades_of_unchanged_answers_only(small_class):
    out, subs = small_class["out"], small_class["subs"]
    written = written_answer_ids(solution())
    before = read_grades(out)["ada"]
    assert before["to_grade"] == "0", "the round trip above graded ada's written answers"
    proc = grade([subs, "--out", out, "--student", "ada", "--force", *LIMITS])
    assert proc.returncode == 0, proc.stderr[-3000:]
    again = read_grades(out)["ada"]
    assert (again["score"], again["manual_score"], again["to_grade"]) == \
        (before["score"], before["manual_score"], "0"), (before, again)
    # ada rewrites one answer: only that one's hand grade goes
    nb = nbformat.read(subs / "ada" / f"{AID}.ipynb", as_version=4)
    nb.cells[cell_index(nb, written[-1])].source += "\n\nOn second thought, also the margin."
    write(nb, subs / "ada" / f"{AID}.ipynb")
    proc = grade([subs, "--out", out, "--student", "ada", *LIMITS])
    assert proc.returncode == 0, proc.stderr[-3000:]
    changed = read_grades(out)["ada"]
    assert changed["to_grade"] == "1", changed
    assert written[-1] in changed["message"] and "to grade again" in changed["message"], changed["message"]
    assert float(changed["manual_score"]) < float(before["manual_score"]), (before, changed)


@pytest.mark.slow
@pytest.mark.browser
def test_formgrader_in_chromium_grades_a_written_answer(small_class, tmp_path):
    """An instructor starts JupyterLab in the grading folder, opens dee's submission from
    the formgrader's manual grading list, gives each written answer points and a comment;
    `nncourse manual` then puts them in grades.csv, the feedback page and the export."""
    from nbgrader.api import Gradebook
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from tests.launch.lab_server import running_lab, shell_env
    from tests.launch.test_browser import _missing_tools, chromium_options

    chromium, driver, reason = _missing_tools()
    if reason:
        pytest.skip(reason)
    out = small_class["out"]
    written = written_answer_ids(solution())
    # one point less than each answer's points (a grade that cannot be mistaken for a default)
    points = {q: float(cell_points(solution(), q)) - 1 for q in written}
    url = f"sqlite:///{out / 'gradebook.db'}"
    with Gradebook(url) as gb:
        submission = gb.find_submission_notebook(AID, AID, "dee").id
    jupyter = str(Path(sys.executable).with_name("jupyter"))
    env = shell_env(tmp_path)
    with running_lab([jupyter, "lab"], out, env, tmp_path / "jupyter.log") as (base, token):
        web = webdriver.Chrome(options=chromium_options(chromium, tmp_path / "profile"),
                               service=Service(executable_path=driver))
        web.set_window_size(1400, 1000)

        def wait(predicate, what, timeout=60):
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    value = predicate()
                except Exception:  # the page is still loading
                    value = None
                if value:
                    return value
                time.sleep(0.25)
            raise AssertionError(f"timed out waiting for {what}; the page says: "
                                 f"{web.find_element(By.TAG_NAME, 'body').text[:1500]}")

        try:
            # the instructor's JupyterLab (it logs the browser in), then its formgrader's Manual Grading
            web.get(f"{base}/lab?token={token}")
            wait(lambda: web.find_elements(By.CSS_SELECTOR, ".jp-LabShell"), "JupyterLab")
            web.get(f"{base}/formgrader/gradebook/{AID}/{AID}")
            link = wait(lambda: web.find_element(By.CSS_SELECTOR, f"a[href*='/formgrader/submissions/{submission}']"),
                        "dee's submission in the manual grading list")
            link.click()
            for question in written:
                score = wait(lambda q=question: web.find_element(By.CSS_SELECTOR, f"input.score[id='{q}']"),
                             f"the score box of {question}")
                score.clear()
                score.send_keys(f"{points[question]:g}", Keys.TAB)
                comment = web.find_element(By.ID, f"{question}-comment")
                comment.clear()
                comment.send_keys(f"Formgrader says: mind {question}.", Keys.TAB)

            def saved():
                with Gradebook(url) as gb:
                    grades = {q: (gb.find_grade(q, AID, AID, "dee").manual_score,
                                  gb.find_comment(q, AID, AID, "dee").manual_comment) for q in written}
                return grades if all(g[0] is not None and g[1] for g in grades.values()) else None

            grades = wait(saved, "the formgrader to save every score and comment")
        finally:
            web.quit()
    assert {q: g[0] for q, g in grades.items()} == points, f"expected {points} saved, got {grades}"

    proc = nncourse("manual", out)
    assert "wrote 1 feedback page(s) again" in proc.stdout, proc.stdout + proc.stderr
    row = read_grades(out)["dee"]
    given = sum(points.values())
    assert float(row["manual_score"]) == given and row["to_grade"] == "0", row
    assert float(row["score"]) == float(row["auto_score"]) + given, row
    page = html.unescape((out / "feedback" / AID / "dee.html").read_text(encoding="utf-8"))
    for question in written:
        assert f"Formgrader says: mind {question}." in page, f"the feedback page lacks the comment on {question}"
    export = tmp_path / "grades_wide.csv"
    nncourse("export", out, "--format", "csv", "--output", export)
    scores = {r["student"]: r[AID] for r in read_csv(export)}
    assert float(scores.get("dee", "nan")) == float(row["score"]), (scores, row)
