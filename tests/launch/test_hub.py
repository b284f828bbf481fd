"""A class on JupyterHub: the whole term of 01_neuron through nbgrader's exchange, with real
Unix users (:mod:`tests.launch.hub_server`).

``nncourse hub`` starts the hub as root, as the README says. The instructor releases 01
from the formgrader (its API, as its Release button does); three students fetch it through
their own servers' nbgrader API, write (one the solution, one nothing, one a wrong answer)
through their servers' contents API and submit, the third after the due date; the
instructor collects from the formgrader, grades with ``nncourse grade`` run as the
instructor on nbgrader's collected folder as it is, and returns the feedback with
``nncourse release-feedback``; each student fetches their own. The scores must match the
same notebooks graded from a plain folder, and no one may read what is not theirs.
"""

from __future__ import annotations

import csv
import html
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest

from nncourse import layout
from nncourse.hub.settings import EXCHANGE_VARIABLE, instructor_group, student_group
from tests.course_tools import (ROOT, answered_as_the_solution, hidden_test_lines, load_wrong_answers,
                                replace_answers, solution_path)
from tests.launch import hub_server

AID = "01_neuron"
COURSE = layout.COURSE_ID
INSTRUCTOR = "nnc-teach"
#: The solution, nothing, a wrong answer (late).
SOLVED, BLANK, WRONG = "nnc-ann", "nnc-ben", "nnc-cat"
STUDENTS = (SOLVED, BLANK, WRONG)
#: The student who does it all in Chromium.
BROWSER_STUDENT = "nnc-dan"
COURSE_STUDENTS = (*STUDENTS, BROWSER_STUDENT)
#: A hub user outside the course.
OUTSIDER = "nnc-out"
USERS = (INSTRUCTOR, *COURSE_STUDENTS, OUTSIDER)
ARTIFACTS = ROOT / "test-artifacts" / "hub"
NOTEBOOK = f"{AID}/{AID}.ipynb"

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hub")]

missing = hub_server.prerequisites()
if missing:
    pytest.skip(f"a hub needs {', '.join(missing)}", allow_module_level=True)


def _written(fetched: dict, student: str) -> dict:
    """What ``student`` writes into the fetched notebook (a notebook as JSON)."""
    nb = nbformat.from_dict(fetched)
    if student == SOLVED:
        nb = answered_as_the_solution(nb, nbformat.read(solution_path(AID), as_version=4))
    elif student == WRONG:
        nb = replace_answers(nb, load_wrong_answers(AID)[0]["replace"])
    return json.loads(nbformat.writes(nb))


def _grades(out: Path) -> dict[str, dict]:
    with open(out / "grades.csv", newline="") as f:
        return {row["student"]: row for row in csv.DictReader(f) if row["assignment"] == AID}


def _post_ok(reply, what: str) -> dict:
    assert reply.status_code == 200, f"{what}: expected HTTP 200, got {reply.status_code}: {reply.text[:400]}"
    body = reply.json()
    assert body.get("success", True), f"{what}: expected success, got {json.dumps(body)[:600]}"
    return body


@pytest.fixture(scope="module")
def term():
    """Run the term once; yield what each test reads."""
    for user in USERS:
        hub_server.ensure_user(user)
    password = hub_server.set_password(BROWSER_STUDENT)
    base = Path(tempfile.mkdtemp(prefix="nncourse-hub-"))
    base.chmod(0o755)
    times = {}
    try:
        with hub_server.open_way_to(Path(sys.executable)) as opened, \
                hub_server.running_hub(base, INSTRUCTOR, COURSE_STUDENTS) as hub:
            times["hub_start_s"] = hub.started_s
            term_start = time.monotonic()
            times["spawn_s"] = {user: hub.spawn(user) for user in (INSTRUCTOR, *STUDENTS)}
            fg = "/formgrader/api/assignment/" + AID
            _post_ok(hub.server("POST", INSTRUCTOR, fg + "/assign"), "generate 01 in the formgrader")
            _post_ok(hub.server("POST", INSTRUCTOR, fg + "/release"), "release 01 in the formgrader")

            args = {"course_id": COURSE, "assignment_id": AID}
            listed = {}
            for student in STUDENTS:
                listed[student] = _post_ok(hub.server("GET", student, "/assignments", params={"course_id": COURSE}),
                                           f"{student} lists the assignments")
                _post_ok(hub.server("POST", student, "/assignments/fetch", data=args), f"{student} fetches 01")
                model = hub.server("GET", student, f"/api/contents/{NOTEBOOK}", params={"content": 1}).json()
                reply = hub.server("PUT", student, f"/api/contents/{NOTEBOOK}",
                                   json={"type": "notebook", "format": "json", "content": _written(model["content"], student)})
                assert reply.status_code == 200, f"{student} saves 01: expected 200, got {reply.status_code}: {reply.text[:300]}"
            for student in (SOLVED, BLANK):
                _post_ok(hub.server("POST", student, "/assignments/submit", data=args), f"{student} submits 01")
            time.sleep(1.0)
            due = datetime.now(timezone.utc)
            time.sleep(1.0)
            _post_ok(hub.server("POST", WRONG, "/assignments/submit", data=args), f"{WRONG} submits 01")
            _post_ok(hub.server("POST", INSTRUCTOR, fg + "/collect"), "collect 01 in the formgrader")

            out = hub.course_root / "graded"
            instructor_env = {EXCHANGE_VARIABLE: str(hub.exchange)}
            graded = hub_server.run_as(
                INSTRUCTOR, str(Path(sys.executable).parent / "nncourse"), "grade", AID,
                str(layout.state_dir(hub.course_root) / "submitted"), "--out", str(out), "--due", due.isoformat(),
                cwd=hub.course_root, env=instructor_env)
            assert graded.returncode == 0, f"nncourse grade as the instructor: exit {graded.returncode}\n{graded.stdout}\n{graded.stderr}"
            released = hub_server.run_as(
                INSTRUCTOR, str(Path(sys.executable).parent / "nncourse"), "release-feedback", AID,
                "--out", str(out), "--course-root", str(hub.course_root), cwd=hub.course_root, env=instructor_env)
            assert released.returncode == 0, f"nncourse release-feedback: exit {released.returncode}\n{released.stdout}\n{released.stderr}"
            for student in STUDENTS:
                _post_ok(hub.server("POST", student, "/assignments/fetch_feedback", data=args),
                         f"{student} fetches the feedback")
            times["term_s"] = time.monotonic() - term_start

            # The outsider: added to the hub by an administrator, in no group of the course.
            assert hub.api("POST", f"/users/{OUTSIDER}").status_code in (201, 409)
            hub.spawn(OUTSIDER)
            outsider_list = _post_ok(hub.server("GET", OUTSIDER, "/assignments", params={"course_id": COURSE}),
                                     "the outsider lists the assignments")
            groups = {g["name"]: g["users"] for g in hub.api("GET", "/groups").json()}
            student_servers = {s: hub.server("GET", s, "/formgrader").status_code for s in STUDENTS}
            yield dict(hub=hub, out=out, password=password, due=due, times=times, listed=listed, outsider_list=outsider_list,
                       groups=groups, student_formgrader=student_servers, opened=opened,
                       environ={u: _server_environ(u) for u in (INSTRUCTOR, SOLVED)})
    finally:
        print(f"\nhub term timings: {json.dumps(times)}")
        for user in USERS:
            hub_server.remove_user(user)


def _server_environ(user: str) -> dict[str, str]:
    """The environment of ``user``'s single-user server process."""
    pids = subprocess.run(["pgrep", "-u", user, "-f", "jupyterhub-singleuser"], capture_output=True, text=True).stdout.split()
    assert pids, f"no jupyterhub-singleuser process of {user}"
    raw = Path(f"/proc/{pids[0]}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def test_the_hub_starts_with_the_course_groups(term):
    groups = term["groups"]
    assert sorted(groups.get(student_group(COURSE), [])) == sorted(COURSE_STUDENTS), f"students' group: {groups}"
    assert groups.get(instructor_group(COURSE)) == [INSTRUCTOR], f"instructors' group: {groups}"
    assert term["times"]["hub_start_s"] < hub_server.START_TIMEOUT_S


def test_students_see_the_release_and_the_outsider_sees_nothing(term):
    for student, listing in term["listed"].items():
        ids = [a["assignment_id"] for a in listing["value"]]
        assert ids == [AID], f"{student} should see the released {AID}, saw {ids}"
    assert term["outsider_list"]["value"] == [], f"a hub user outside the course saw {term['outsider_list']['value']}"


def test_student_servers_run_the_course_not_the_grading_environment(term):
    student, instructor = term["environ"][SOLVED], term["environ"][INSTRUCTOR]
    assert student.get("NNLIB_MODE") == "full", f"a student's server: NNLIB_MODE expected 'full', got {student.get('NNLIB_MODE')!r}"
    grading_only = {k for k in layout.GRADING_KERNEL_ENV if k != "NNLIB_MODE"} & set(student)
    assert not grading_only, f"the grading environment reached a student's server: {sorted(grading_only)}"
    assert EXCHANGE_VARIABLE not in student and instructor.get(EXCHANGE_VARIABLE) == str(term["hub"].exchange)
    for name, status in term["student_formgrader"].items():
        assert status == 404, f"{name}'s server should have no formgrader (404), got HTTP {status}"


def test_the_term_grades_as_a_folder_does(term, tmp_path):
    graded = _grades(term["out"])
    assert sorted(graded) == sorted(STUDENTS), f"graded from the exchange: {sorted(graded)}"
    folder = tmp_path / "folder"
    for student in STUDENTS:
        (folder / student).mkdir(parents=True)
        submitted = layout.state_dir(term["hub"].course_root) / "submitted" / student / AID / f"{AID}.ipynb"
        (folder / student / f"{AID}.ipynb").write_bytes(submitted.read_bytes())
    proc = subprocess.run([str(Path(sys.executable).parent / "nncourse"), "grade", AID, str(folder),
                           "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "NNLIB_OFFLINE": "1"}, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    reference = _grades(tmp_path / "out")
    for student in STUDENTS:
        assert graded[student]["score"] == reference[student]["score"], (
            f"{student}: from the exchange {graded[student]['score']}, from a folder {reference[student]['score']}")
    # the tests' points (the written answers wait for a person's grade)
    auto = {s: float(graded[s]["auto_score"]) for s in STUDENTS}
    assert graded[SOLVED]["status"] == "ok" and not graded[SOLVED]["lost_points_in"] and auto[SOLVED] > 0, \
        f"the solution should lose no test's points: {graded[SOLVED]}"
    assert auto[BLANK] == 0, f"nothing written: expected 0 points, got {auto[BLANK]}"
    assert 0 < auto[WRONG] < auto[SOLVED] and graded[WRONG]["lost_points_in"], \
        f"a wrong answer: expected between 0 and {auto[SOLVED]} points, got {auto[WRONG]} ({graded[WRONG]['lost_points_in']!r})"
    late = {s: float(graded[s]["late_minutes"] or 0) for s in STUDENTS}
    assert late[WRONG] > 0 and late[SOLVED] == late[BLANK] == 0, f"late minutes read from timestamp.txt: {late}"


def test_each_student_fetches_their_own_feedback_without_hidden_tests(term):
    hidden = hidden_test_lines(nbformat.read(solution_path(AID), as_version=4))
    for student in STUDENTS:
        pages = sorted(Path(f"/home/{student}/{AID}/feedback").rglob(f"{AID}.html"))
        assert len(pages) == 1, f"{student}: expected one fetched feedback page, found {pages}"
        text = html.unescape(pages[0].read_text())
        assert "BEGIN HIDDEN TESTS" not in text and not [line for line in hidden if line in text], \
            f"{student}'s feedback shows hidden tests"
        assert student in text or AID in text


def test_no_one_reads_what_is_not_theirs(term):
    hub = term["hub"]
    state = layout.state_dir(hub.course_root)
    other = BLANK
    cases = {
        "another student's fetched notebook": f"/home/{SOLVED}/{NOTEBOOK}",
        "another student's feedback": next(str(p) for p in Path(f"/home/{SOLVED}/{AID}/feedback").rglob("*.html")),
        "the instructor's solutions": str(hub.course_root / layout.SOLUTIONS_DIR / AID / f"{AID}.ipynb"),
        "the gradebook": str(state / "gradebook.db"),
        "a collected submission": str(state / "submitted" / SOLVED / AID / f"{AID}.ipynb"),
        "the grades": str(term["out"] / "grades.csv"),
    }
    for what, path in cases.items():
        assert Path(path).exists(), f"{what}: {path} should exist"
        proc = hub_server.run_as(other, "cat", path)
        assert proc.returncode != 0, f"{other} could read {what} ({path})"
    for folder in ("inbound", "feedback"):
        proc = hub_server.run_as(other, "ls", str(hub.exchange / COURSE / folder))
        assert proc.returncode != 0, f"{other} could list the exchange's {folder}/: {proc.stdout[:200]}"


def test_a_student_in_chromium_fetches_runs_and_submits(term):
    """Log in to the hub with a Unix password, open Nbgrader > Assignment List, fetch 01,
    open it and run it (the set-up line says full mode), submit; the instructor's
    formgrader then lists the submission."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    from tests.launch.test_browser import Lab, _missing_tools, chromium_options

    chromium, driver, reason = _missing_tools()
    if reason:
        pytest.skip(reason)
    hub = term["hub"]
    web = webdriver.Chrome(options=chromium_options(chromium, Path(tempfile.mkdtemp(prefix="nncourse-chromium-"))),
                           service=Service(executable_path=driver))
    web.set_window_size(1400, 1000)
    ui = Lab(web, f"{hub.url}/user/{BROWSER_STUDENT}", "")

    def shot(name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        web.save_screenshot(str(ARTIFACTS / f"{name}.png"))

    def button(label: str):
        """The visible button of the assignment list whose text is ``label``."""
        found = [b for b in web.find_elements(By.CSS_SELECTOR, "button")
                 if b.text.strip() == label and b.is_displayed()]
        return found[0] if found else None

    def open_assignment_list() -> None:
        next(m for m in web.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-item") if m.text.strip() == "Nbgrader").click()
        ui.wait(lambda: next(i for i in web.find_elements(By.CSS_SELECTOR, ".lm-Menu-content .lm-Menu-item")
                             if i.text.strip().startswith("Assignment List")), 10, "the Nbgrader menu").click()

    try:
        web.get(f"{hub.url}/hub/login")
        ui.wait(lambda: web.find_element(By.ID, "username_input"), 30, "the hub's login page")
        web.find_element(By.ID, "username_input").send_keys(BROWSER_STUDENT)
        web.find_element(By.ID, "password_input").send_keys(term["password"])
        web.find_element(By.ID, "login_submit").click()
        ui.wait(lambda: web.find_elements(By.CSS_SELECTOR, ".jp-LabShell .lm-MenuBar-item"), 120,
                "JupyterLab after logging in")
        shot("1-lab")
        open_assignment_list()
        ui.wait(lambda: button("Fetch"), 60, "01 released, with its Fetch button").click()
        ui.wait(lambda: Path(f"/home/{BROWSER_STUDENT}/{NOTEBOOK}").is_file(), 60, "the fetched notebook")
        shot("2-fetched")

        ui.open(NOTEBOOK)
        nb = nbformat.read(Path(f"/home/{BROWSER_STUDENT}/{NOTEBOOK}"), as_version=4)
        imports = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "nnlib.setup(" in c.source)
        ui.run_all(imports, 300)
        backend_line = " ".join(text for _, text in ui.outputs(imports))
        shot("3-ran")
        assert "mode full" in backend_line, f"a student's kernel on the hub must run in full mode; it printed {backend_line!r}"

        open_assignment_list()
        ui.wait(lambda: button("Submit"), 60, "the Submit button of the fetched 01").click()
        inbound = hub.exchange / COURSE / "inbound"
        ui.wait(lambda: any(p.name.startswith(f"{BROWSER_STUDENT}+{AID}+") for p in inbound.iterdir()), 60,
                "the submission in the exchange's inbound/")
        shot("4-submitted")
    finally:
        web.quit()
    _post_ok(hub.server("POST", INSTRUCTOR, f"/formgrader/api/assignment/{AID}/collect"), "collect 01 again")
    listed = hub.server("GET", INSTRUCTOR, f"/formgrader/api/submissions/{AID}").json()
    students = {row["student"] for row in listed}
    assert BROWSER_STUDENT in students, f"the formgrader should list {BROWSER_STUDENT}'s submission; it lists {sorted(students)}"
