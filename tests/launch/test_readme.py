"""The README opens with its two commands, and its generated tables and docs/results.md
are current (``nncourse readme``)."""

import json
import re

import pytest

from nncourse.cli import main as nncourse
from nncourse.release import readme
from tests.course_tools import ROOT

README = (ROOT / "README.md").read_text()


def test_readme_opens_with_exactly_two_commands():
    before_first_section = README.split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", before_first_section, flags=re.S)
    assert len(blocks) == 2
    commands = [b.strip() for b in blocks]
    assert all("\n" not in c for c in commands)
    assert '.venv/bin/pip install -e ".[student]"' in commands[0] and "jupyter lab course/" in commands[0]
    assert commands[1] == '.venv/bin/pip install -e ".[dev]" && .venv/bin/python -m pytest'
    ci = (ROOT / ".ci" / "run").read_text()
    assert '.venv/bin/pip install -q -e ".[dev]"' in ci and "\n.venv/bin/python -m pytest\n" in ci, \
        ".ci/run must run the README's test command"


def test_generated_tables_are_current():
    stale = [str(p.relative_to(ROOT)) for p in readme.stale(ROOT)]
    assert stale == [], "run: nncourse readme"


def test_readme_check_command_agrees(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert nncourse(["readme", "--check"]) == (1 if readme.stale(ROOT) or readme.stale_results(ROOT) else 0)


def _record(name, metrics, targets=None, notes="", **extra):
    return {"name": name, "title": name.title(), "metrics": metrics, "targets": targets or {},
            "data_source": "digits; more words", "backend": "jax", "device": "CPU",
            "machine": "box", "mode": "full", "date": "2026-01-01", "command": f"python -m benchmarks.{name}",
            "notes": notes, **extra}


@pytest.mark.parametrize("target, value, expected", [
    (">= 0.97", 0.978, "met"), (">= 0.97", 0.96, "missed"), (">= 10", 10, "met"),
    ("<= 1.5", 1.6, "missed"), ("< 2", 1.99, "met"), ("> 0.9", 0.9, "missed"), ("== 8", 8, "met"),
    ("> other", 0.918, "met"), ("> other", 0.5, "missed"),
])
def test_target_status(target, value, expected):
    assert readme.status(target, "m", {"m": value, "other": 0.902})[0] == expected


def test_unreadable_target_is_an_error():
    with pytest.raises(ValueError):
        readme.status("about 0.9", "m", {"m": 0.9})
    with pytest.raises(ValueError):
        readme.status("> nothing", "m", {"m": 0.9})


def test_headline_rows_met_missed_owed():
    rows = readme.headline_rows([
        _record("a", {"acc": 0.98, "epochs": 20}, {"acc": ">= 0.97"}),
        _record("b", {"gain": 8.2}, {"gain": ">= 10"}),
        _record("c", {"acc": 0.97}, {"acc": ">= 0.95"},
                owed=[{"figure": "full-data acc", "target": ">= 0.99", "needs": "network"}]),
        _record("d", {"acc": 0.97}, notes="offline; the full-MNIST figure is owed: NNLIB_OFFLINE=0 python -m x"),
        _record("e", {}, {"acc": ">= 0.9"}),
    ])
    got = [(r.figure, r.status) for r in rows]
    assert got == [("A: `acc`", "met"), ("B: `gain`", "missed"), ("C: `acc`", "met"),
                   ("C: full-data acc figure", "owed"), ("D: full-MNIST figure", "owed"), ("E: `acc`", "owed")]
    assert "epochs" not in " ".join(r.figure for r in rows)  # no target: only in docs/results.md
    assert rows[0].mode_data == "full; digits" and rows[3].target == ">= 0.99"


def test_generated_files_come_from_the_result_files(tmp_path):
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "a.json").write_text(json.dumps(_record("a", {"acc": 0.98, "n": 5}, {"acc": ">= 0.97"})))
    (tmp_path / "README.md").write_text("# x\n<!-- notebooks:start -->\nold\n<!-- notebooks:end -->\n"
                                        "<!-- results:start -->\nold\n<!-- results:end -->\nend\n")
    assert len(readme.stale(tmp_path)) == 2
    readme.write(tmp_path)
    assert readme.stale(tmp_path) == []
    text = (tmp_path / "README.md").read_text()
    assert "| A: `acc` | 0.98 | >= 0.97 | met |" in text and "old" not in text and text.endswith("end\n")
    doc = (tmp_path / "docs" / "results.md").read_text()
    assert "| n | 5 |  |  |" in doc and "`python -m benchmarks.a`" in doc


def test_ci_runs_the_readme_commands():
    ci = (ROOT / ".ci" / "run").read_text()
    assert '.venv/bin/pip install -q -e ".[dev]"' in ci
    assert "\n.venv/bin/python -m pytest\n" in ci


def test_every_result_file_says_where_it_comes_from():
    for path in sorted((ROOT / "results").glob("*.json")):
        rec = json.loads(path.read_text())
        for key in ("name", "title", "metrics", "data_source", "backend", "device", "machine", "date", "command"):
            assert rec.get(key) not in (None, ""), f"{path.name} lacks {key}"
        assert rec["name"] == path.stem
        assert all(isinstance(v, (int, float)) for v in rec["metrics"].values())


def _instructor_commands() -> list[str]:
    """The command lines of the README's instructor section (comments and `&` dropped)."""
    section = README.split("## For instructors", 1)[1].split("\n## ", 1)[0]
    lines = []
    for block in re.findall(r"```bash\n(.*?)```", section, flags=re.S):
        for line in block.splitlines():
            line = line.split("  # ", 1)[0].split(" # ", 1)[0].strip().rstrip("&").strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def test_readme_instructor_commands_parse_with_the_installed_tools():
    """Every `nncourse` line of the instructor section parses, with its option values
    (due date, penalty, size); every `dask` line names options that `dask` has; the
    extras of the install line exist."""
    import shlex
    import subprocess
    import sys
    import tomllib
    from pathlib import Path

    from nncourse.cli import build_parser
    from nncourse.commands.grade import _late_options
    from nncourse.grading.client.runner import parse_size, read_students

    lines = _instructor_commands()
    nncourse_lines = [line for line in lines if line.startswith(".venv/bin/nncourse ")]
    assert {shlex.split(x)[1] for x in nncourse_lines} >= {"release", "grade", "manual", "report", "export",
                                                             "feedback"}, nncourse_lines
    parser = build_parser()
    for line in nncourse_lines:
        try:
            args = parser.parse_args(shlex.split(line)[1:])
        except SystemExit:
            raise AssertionError(f"the README's command does not parse: {line}") from None
        if args.command == "grade":
            _late_options(args)
            parse_size(args.memory)
            plain = [s for s in args.student if not s.startswith("@")]
            assert read_students(plain) == tuple(plain), line
    dask = Path(sys.executable).with_name("dask")
    for line in (x for x in lines if x.startswith(".venv/bin/dask ")):
        words = shlex.split(line)
        helptext = subprocess.run([str(dask), words[1], "--help"], capture_output=True, text=True, timeout=120).stdout
        for flag in (w for w in words[2:] if w.startswith("--")):
            assert flag in helptext, f"`dask {words[1]}` has no option {flag} (README: {line})"
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    install = next(x for x in lines if "pip install -e" in x)
    named = re.search(r'"\.\[([^\]]+)\]"', install).group(1).split(",")
    assert set(named) <= set(extras), f"the install line names extras {named}; pyproject has {sorted(extras)}"
