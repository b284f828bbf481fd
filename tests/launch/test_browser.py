"""The course in a real browser, launched as the README says: JupyterLab + headless Chromium.

The README's first command runs as written in a fresh copy of the repository (its tracked
files and new ones, as a clone would have them): a new venv, the student install
(``pip install -e ".[student]"``: nnlib, TensorFlow, JupyterLab, no nbgrader), then
``.venv/bin/jupyter lab course/`` with only what running here needs added (no browser, a
loopback port and a token, ``--allow-root`` as root). The environment is a shell's: none of
the grading variables, so the kernels run in full mode as a student's do.

Selenium drives Debian's ``chromium`` through ``chromedriver`` (no test tool can download
its own browser here). The student notebook is run top to bottom (it stops at the first
unanswered exercise, whose test shows ``NotImplementedError``), the sigmoid answer cell is
filled in through the editor with a right answer, the notebook is run again, and the
sigmoid test cell must then show no error. Then 01_neuron with every answer filled in from
the solution runs in full mode: no cell may fail, and its figures must render as images.
Screenshots go to ``test-artifacts/browser/`` (git-ignored; CI keeps them as artifacts).

Needs ``apt-get install -y chromium chromium-driver``, ``pip install selenium`` (dev extra)
and PyPI for the student install; ``.ci/run`` has all three. Without the browser the test
skips and says what is missing.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pytest

from tests.course_tools import ROOT, cell_index, replace_answers, solution_path
from tests.launch.lab_server import running_lab, shell_env

AID = "01_neuron"
#: 01_neuron with every answer cell filled in from the solution, next to the student's copy.
ANSWERED = f"{AID}/{AID}_answered.ipynb"
ANSWER_ID = "answer-01-sigmoid"
TEST_ID = "ex-01-sigmoid"
#: A right answer, typed as one line so the editor's auto-indent cannot change it.
RIGHT_ANSWER = "def sigmoid(x): return np.exp(-np.logaddexp(0.0, -np.asarray(x, dtype=float)))"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
#: Chromium flags that work in a container without a display, GPU, sandbox or network.
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1400,1000",
)
STDERR_MIME = "application/vnd.jupyter.stderr"
T0 = time.monotonic()

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _missing_tools() -> tuple[str | None, str | None, str | None]:
    """``(chromium, chromedriver, reason)``; reason is None when everything is there."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    missing = []
    if chromium is None:
        missing.append("chromium (apt-get install -y chromium)")
    if driver is None:
        missing.append("chromedriver (apt-get install -y chromium-driver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install -e '.[dev]')")
    return chromium, driver, ("missing " + ", ".join(missing)) if missing else None


def _write_lab_settings(settings: Path) -> None:
    """User settings of the throw-away JupyterLab: every cell kept in the page (no
    virtual scrolling, so the test can read any cell), no news or update pop-ups."""
    files = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false", "checkForUpdates": False,
        },
    }
    for rel, value in files.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))


def readme_launch() -> list[str]:
    """The README's set-up command, split at its ``&&``: create the venv, install, launch."""
    text = (ROOT / "README.md").read_text().split("\n## ", 1)[0]
    command = re.findall(r"```bash\n(.*?)```", text, flags=re.S)[0].strip()
    return [step.strip() for step in command.split("&&")]


def _fresh_copy(dest: Path) -> None:
    """The repository's files as a clone of this working tree would hold them."""
    names = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.splitlines()
    for name in names:
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)


def _answered_notebook(clone: Path) -> None:
    """Write the student's 01_neuron with the solution's answer cells, as a student who
    has done every exercise would have it."""
    student = nbformat.read(clone / "course" / AID / f"{AID}.ipynb", as_version=4)
    solution = nbformat.read(solution_path(AID), as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in solution.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    nbformat.write(replace_answers(student, answers), clone / "course" / ANSWERED)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab launched by the README's command in a fresh copy; yields
    ``(base_url, token, clone, chromium, driver)``."""
    chromium, driver, reason = _missing_tools()
    if reason:
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("lab")
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    clone = tmp / "clone"
    _fresh_copy(clone)
    _answered_notebook(clone)
    _write_lab_settings(tmp / "settings")
    env = shell_env(tmp, JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
                    PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip")))
    *install, launch = readme_launch()
    for step in install:
        proc = subprocess.run(step, shell=True, cwd=clone, env=env, capture_output=True, text=True, timeout=1200)
        assert proc.returncode == 0, f"README step `{step}` failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    student_venv = clone / ".venv" / "bin" / "python"
    nbgrader = subprocess.run([str(student_venv), "-c", "import nbgrader"], capture_output=True)
    assert nbgrader.returncode != 0, "the student install must not bring nbgrader (and its instructor tools)"
    with running_lab(shlex.split(launch), clone, env, tmp / "jupyter.log") as (base, token):
        yield base, token, clone, chromium, driver


def chromium_options(chromium: str, profile):
    """Selenium's options for Debian's headless Chromium with a profile of its own."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--no-proxy-server")
    return options


@pytest.fixture(scope="module")
def browser(lab, tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    *_, chromium, driver = lab
    options = chromium_options(chromium, tmp_path_factory.mktemp("chromium-profile"))
    web = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    web.set_window_size(1400, 1000)
    try:
        yield web
    finally:
        web.quit()


class Lab:
    """The few JupyterLab gestures a student makes, driven through the page."""

    def __init__(self, web, base: str, token: str):
        self.web, self.base, self.token = web, base, token

    def wait(self, predicate, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = predicate()
            except Exception:  # the page is still changing under us
                value = None
            if value:
                return value
            time.sleep(0.25)
        self.shot(f"timeout-{what.replace(' ', '-')}")
        raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")

    def shot(self, name: str) -> Path:
        print(f"{time.monotonic() - T0:6.1f} s  {name}")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.web.save_screenshot(str(path))
        return path

    def open(self, relpath: str) -> None:
        """Open ``relpath`` alone, in a workspace of its own (a restored workspace would
        reopen the other test's notebook, which has the same file name), and wait until
        it is the current tab and its kernel is idle."""
        workspace = f"w{secrets.token_hex(4)}"
        self.web.get(f"{self.base}/lab/workspaces/{workspace}/tree/{relpath}?token={self.token}")
        self.wait(lambda: self.web.execute_script(
            "const t = document.querySelector('.lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current');"
            "return t && (t.getAttribute('title') || '').includes('Path: ' + arguments[0]);", relpath
        ), 60, f"{relpath} to be the current tab")
        self.wait(lambda: self.web.execute_script(
            "return document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell').length"
        ), 60, f"{relpath} to open")
        # the kernel is ready when the toolbar's kernel status says Idle
        self.wait(lambda: self.web.execute_script(
            "const p = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');"
            "const s = p && p.querySelector('.jp-Notebook-ExecutionIndicator');"
            "return s && s.getAttribute('data-status') === 'idle';"
        ), 60, "the kernel to start")

    def cells(self):
        return self.web.find_elements(
            "css selector", ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook > .jp-WindowedPanel-viewport > .jp-Cell"
        ) or self.web.find_elements("css selector", ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")

    def prompt(self, index: int) -> str:
        return self.cells()[index].find_element("css selector", ".jp-InputPrompt").text.strip()

    def busy(self) -> bool:
        return any("*" in p.text for p in self.web.find_elements(
            "css selector", ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputPrompt"))

    def run_all(self, done_index: int, timeout: float) -> None:
        """Run > Run All Cells from the menu bar; wait until cell ``done_index`` has a new
        execution count and nothing is queued or running."""
        before = self.prompt(done_index)
        menu = next(m for m in self.web.find_elements("css selector", ".lm-MenuBar-item")
                    if m.text.strip() == "Run")
        menu.click()
        item = self.wait(lambda: next(
            i for i in self.web.find_elements("css selector", ".lm-Menu-content .lm-Menu-item")
            if i.text.strip().startswith("Run All Cells")), 10, "the Run menu")
        item.click()
        self.wait(lambda: self.prompt(done_index) not in (before, "[ ]:", "[*]:") and not self.busy(),
                  timeout, "Run All Cells to finish")

    def outputs(self, index: int) -> list[tuple[str, str]]:
        """``(mime type, text)`` of each output of cell ``index``."""
        return [(o.get_attribute("data-mime-type") or "", o.text)
                for o in self.cells()[index].find_elements(
                    "css selector", ".jp-OutputArea-output")]

    def replace_source(self, index: int, text: str) -> None:
        """Click into the cell's editor, select everything and type ``text`` over it."""
        from selenium.webdriver.common.keys import Keys

        editor = self.cells()[index].find_element("css selector", ".cm-content")
        self.web.execute_script("arguments[0].scrollIntoView({block: 'center'})", editor)
        editor.click()
        editor.send_keys(Keys.CONTROL, "a")
        editor.send_keys(Keys.DELETE)
        editor.send_keys(text)
        self.wait(lambda: self.web.execute_script(
            "return arguments[0].innerText", editor).strip() == text, 10, "the edit to show")

    def scroll_to(self, index: int) -> None:
        self.web.execute_script("arguments[0].scrollIntoView({block: 'center'})", self.cells()[index])
        time.sleep(0.3)


def test_student_runs_fills_in_and_checks_an_exercise(lab, browser):
    base, token, root, *_ = lab
    student = root / "course" / AID / f"{AID}.ipynb"
    cells = nbformat.read(student, as_version=4)
    answer, test = cell_index(cells, ANSWER_ID), cell_index(cells, TEST_ID)
    ui = Lab(browser, base, token)
    ui.open(f"{AID}/{AID}.ipynb")  # the server serves course/, as the README launches it
    ui.shot("1-student-opened")
    # a student install shows no instructor tools
    menus = [m.text.strip() for m in browser.find_elements("css selector", ".lm-MenuBar-item")]
    assert "Run" in menus and "Nbgrader" not in menus, menus

    # As handed out, the run stops at the first exercise: its test shows the stub's error.
    ui.run_all(test, timeout=90)
    ui.scroll_to(test)
    ui.shot("2-student-first-run")
    first = ui.outputs(test)
    assert any(mime == STDERR_MIME and "NotImplementedError" in text for mime, text in first), first

    # The student writes a right answer in the answer cell and runs everything again.
    ui.replace_source(answer, RIGHT_ANSWER)
    ui.shot("3-student-answer-typed")
    ui.run_all(test, timeout=90)
    ui.scroll_to(test)
    ui.shot("4-student-rerun")
    assert ui.prompt(test).startswith("[") and ui.prompt(test)[1:-2].isdigit(), ui.prompt(test)
    after = ui.outputs(test)
    assert not any(mime == STDERR_MIME for mime, _ in after), f"the sigmoid test still fails: {after}"


def test_answered_notebook_runs_in_full_mode_with_its_figures(lab, browser):
    base, token, root, *_ = lab
    cells = nbformat.read(root / "course" / ANSWERED, as_version=4).cells
    last = len(cells) - 1
    last_code = max(i for i, c in enumerate(cells) if c.cell_type == "code")
    imports = next(i for i, c in enumerate(cells) if c.cell_type == "code" and "nnlib.setup" in c.source)
    ui = Lab(browser, base, token)
    ui.open(ANSWERED)
    ui.run_all(last_code, timeout=300)
    errors = [(i, text[:300]) for i in range(last + 1) for mime, text in ui.outputs(i) if "Error" in text and mime == STDERR_MIME]
    assert not errors, errors
    backend_line = " ".join(text for _, text in ui.outputs(imports))
    assert "mode full" in backend_line, f"a student's kernel must run in full mode; the set-up printed {backend_line!r}"
    def image_sizes():
        return browser.execute_script(
            "return Array.from(document.querySelectorAll("
            "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img'))"
            ".map(i => [i.naturalWidth, i.naturalHeight, i.getBoundingClientRect().width]);"
        )

    def figures():
        return [s for s in image_sizes() if s[0] >= 200 and s[1] >= 150 and s[2] >= 100]

    try:  # outputs are drawn after the kernel goes idle; a loaded machine takes a while
        ui.wait(figures, 30, "a figure to render")
    except AssertionError:
        pytest.fail(f"no rendered figure among the outputs' images {image_sizes()}")
    first_figure = browser.find_elements("css selector", ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img")[0]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", first_figure)
    time.sleep(0.3)
    ui.shot("5-solution-figure")
