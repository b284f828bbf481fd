"""``nncourse grade`` exits 2, before grading anything, when it cannot run: an unknown
assignment, a missing or unreadable SUBMISSIONS, a bad ``--pattern``, ``--student`` or
``--memory``."""

from __future__ import annotations

import pytest

from tests.grading.crafted_class import AID

pytestmark = pytest.mark.grading


def test_bad_arguments_exit_2(tmp_path):
    from nncourse.cli import main

    (tmp_path / "subs" / "a").mkdir(parents=True)
    out = tmp_path / "out"
    assert main(["grade", "99_nothing", str(tmp_path / "subs"), "--out", str(out)]) == 2
    assert main(["grade", AID, str(tmp_path / "missing"), "--out", str(out)]) == 2
    assert main(["grade", AID, str(tmp_path / "subs"), "--out", str(out), "--pattern", "(no-group)"]) == 2
    assert main(["grade", AID, str(tmp_path / "subs"), "--out", str(out), "--student", "zed"]) == 2
    assert main(["grade", AID, str(tmp_path / "subs"), "--out", str(out), "--memory", "lots"]) == 2
    (tmp_path / "notzip.zip").write_text("no")
    assert main(["grade", AID, str(tmp_path / "notzip.zip"), "--out", str(out)]) == 2
