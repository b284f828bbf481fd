"""``nncourse``: the parser, release and fetch-data, without network."""

import pytest

from nncourse import cli
from nncourse.layout import available_assignments, repo_root
from tests.course_tools import ROOT


def test_every_registered_command_has_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "release" in out and "fetch-data" in out


def test_unknown_assignment_exits_2(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert cli.main(["release", "99_nothing"]) == 2
    assert "unknown assignment '99_nothing'" in capsys.readouterr().err


def test_repo_root_outside_a_checkout(tmp_path):
    with pytest.raises(FileNotFoundError):
        repo_root(tmp_path)


def test_assignments_follow_teaching_order():
    found = available_assignments(ROOT)
    from nncourse.layout import ASSIGNMENTS

    assert found == [a for a in ASSIGNMENTS if a in found]


def test_fetch_data_reports_failures(monkeypatch, capsys):
    from nnlib import data

    def broken():
        raise OSError("offline")

    monkeypatch.setitem(data.DOWNLOADS, "Broken", broken)
    monkeypatch.setitem(data.DOWNLOADS, "Fine", lambda: None)
    assert cli.main(["fetch-data", "--only", "Fine", "Broken"]) == 1
    out = capsys.readouterr().out
    assert "ok      Fine" in out and "FAILED  Broken: OSError: offline" in out


def test_fetch_data_unknown_name_exits_2(capsys):
    assert cli.main(["fetch-data", "--only", "Nope"]) == 2
