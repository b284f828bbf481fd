"""The README opens with its two commands and its generated tables are current."""

import json
import re

from benchmarks import make_readme_table
from tests.course_tools import ROOT

README = (ROOT / "README.md").read_text()


def test_readme_opens_with_exactly_two_commands():
    before_first_section = README.split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", before_first_section, flags=re.S)
    assert len(blocks) == 2
    commands = [b.strip() for b in blocks]
    assert all("\n" not in c for c in commands)
    assert "pip install -e" in commands[0] and "jupyter lab course/" in commands[0]
    assert commands[1] == ".venv/bin/python -m pytest"


def test_generated_tables_are_current():
    assert make_readme_table.render(README) == README, "run: python benchmarks/make_readme_table.py"


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
