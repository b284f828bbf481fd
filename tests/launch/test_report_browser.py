"""``nncourse report``'s page in a real browser: headless Chromium, opened from its file.

The report is built from a ``grades.csv`` and a ``scores.csv`` written here (no grading
runs), then opened as ``file://`` the way an instructor opens it from a folder. In the
page, every ``<img>`` must have loaded (``naturalWidth > 0``), and the page must have
requested nothing but itself: neither the browser's resource timing entries
(``performance.getEntriesByType('resource')``) nor Chrome's performance log (every
``Network.requestWillBeSent``) may name another URL than the page's own or a ``data:``
URI. A page that does refer to other files is opened first to show that the probes see
such requests (Chromium's resource timing lists an ``http:`` request, even a failed one,
but no ``file:`` one; the performance log lists both). A screenshot of the report is saved and must be a PNG.

Selenium drives Debian's ``chromium`` through ``chromedriver``, with the flags and the
tool check of ``tests/launch/test_browser.py``; without them the test skips and says what
is missing.
"""

from __future__ import annotations

import json

import pytest

from nncourse.report import FIGURE_NAMES, write_report
from nncourse.scores import GRADES_FILE, SCORES_FILE, GradeRow, write_grades, write_scores
from nncourse import scores as scores_csv  # not its TestScore by name: pytest would try to collect it
from tests.launch.test_browser import _missing_tools, chromium_options

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("browser")]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ASSIGNMENTS = ("01_neuron", "02_mlp")
#: Every URL the page has fetched, as the resource timing API lists them.
RESOURCE_URLS = "return performance.getEntriesByType('resource').map(e => e.name);"
#: ``[naturalWidth, naturalHeight, complete]`` of every image of the page.
IMAGE_SIZES = "return Array.from(document.images).map(i => [i.naturalWidth, i.naturalHeight, i.complete]);"


def write_grading_output(out):
    """A grading output folder of two assignments, with a few statuses and an HTML student id."""
    students = ["aturing", "ghopper", "jdoe", "<b>lovelace</b>"]
    statuses = ["ok", "ok", "timeout", "no_notebook"]
    grades, tests = [], []
    for aid in ASSIGNMENTS:
        for i, (student, status) in enumerate(zip(students, statuses)):
            grades.append(GradeRow(student=student, assignment=aid, score=3 * i, max_score=10, status=status,
                                   message=f"{status} <i>run</i>", seconds=5.0 * i, late_minutes=10 * (i == 1)))
            tests += [scores_csv.TestScore(student, aid, f"ex-0{k}", float(i >= k), 1) for k in range(1, 4)]
    out.mkdir(parents=True)
    write_grades(out / GRADES_FILE, grades)
    write_scores(out / SCORES_FILE, tests)


def requested_urls(web) -> list[str]:
    """Every URL Chrome's performance log shows a request for since the log was last read."""
    urls = []
    for entry in web.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def outside(urls, page_url) -> list[str]:
    """The URLs that are neither the page itself nor a ``data:`` URI."""
    return [u for u in urls if u.split("#")[0] != page_url and not u.startswith("data:")]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium with Chrome's performance (network) log on."""
    chromium, driver, reason = _missing_tools()
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = chromium_options(chromium, tmp_path_factory.mktemp("chromium-profile"))
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    web = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    try:
        yield web
    finally:
        web.quit()


def test_the_probes_see_a_page_that_fetches_other_files(browser, tmp_path):
    (tmp_path / "style.css").write_text("body { color: black }")
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><html><head><link rel="stylesheet" href="style.css"></head>'
                    '<body><img src="http://127.0.0.1:9/x.png" alt="x"></body></html>')
    browser.get_log("performance")  # start from an empty log
    browser.get(page.as_uri())
    logged = outside(requested_urls(browser), page.as_uri())
    timed = outside(browser.execute_script(RESOURCE_URLS), page.as_uri())
    assert (tmp_path / "style.css").as_uri() in logged and "http://127.0.0.1:9/x.png" in logged, \
        f"the performance log must show both requests, got {logged}"
    # Chromium's resource timing leaves file: URLs out (it lists the failed http request):
    # the performance log is the probe that sees a sibling file.
    assert "http://127.0.0.1:9/x.png" in timed, f"resource timing must list the image's request, got {timed}"


def test_report_loads_its_figures_offline_and_requests_nothing_else(browser, tmp_path):
    out = tmp_path / "out"
    write_grading_output(out)
    page = write_report(out)[0]
    page_url = page.as_uri()

    browser.get_log("performance")  # start from an empty log
    browser.get(page_url)  # returns after the load event: every image has been decoded or failed
    assert browser.title.startswith("Class report"), browser.title

    sizes = browser.execute_script(IMAGE_SIZES)
    assert len(sizes) == len(ASSIGNMENTS) * len(FIGURE_NAMES), f"expected every figure in the page, got {sizes}"
    broken = [i for i, (width, height, complete) in enumerate(sizes) if not (complete and width > 0 and height > 0)]
    assert not broken, f"images {broken} did not load: {sizes}"

    timed = outside(browser.execute_script(RESOURCE_URLS), page_url)
    assert not timed, f"the page fetched other resources: {timed}"
    logged = outside(requested_urls(browser), page_url)
    assert not logged, f"Chrome requested more than the page: {logged}"

    escaped = browser.execute_script("return document.body.innerText")
    assert "<b>lovelace</b>" in escaped and not browser.find_elements("css selector", "td b"), \
        "a student id that is HTML must show as text"

    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1400, min(max(height, 800), 8000))
    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot)), "the screenshot could not be saved"
    data = shot.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 10_000, \
        f"expected a PNG screenshot of the report, got {len(data)} bytes"
