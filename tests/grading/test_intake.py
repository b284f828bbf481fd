"""Intake (``nncourse.grading.client.intake``): which notebook is whose, from a folder of flat LMS
downloads (with or without ``--pattern``) or a zip archive, without escaping the work folder."""

from __future__ import annotations

import zipfile

import nbformat
import pytest

from tests.grading.crafted_class import AID, solution

pytestmark = pytest.mark.grading


def test_intake_flat_lms_files_zip_and_pattern(tmp_path):
    from nncourse.grading.client.intake import collect

    sol = nbformat.writes(solution())
    flat = tmp_path / "flat"
    flat.mkdir()
    for name in ["alice_123_01_neuron.ipynb", "bob_99_late_01_neuron.ipynb", "bob_99_scratch.ipynb",
                 "carol_a.ipynb", "carol_b.ipynb", "readme.txt", "nounderscore.ipynb"]:
        (flat / name).write_text(sol)
    subs = {s.student: s for s in collect(flat, AID, tmp_path / "w1")}
    assert set(subs) == {"alice", "bob", "carol"}
    assert subs["alice"].notebook.name == "alice_123_01_neuron.ipynb"
    assert subs["bob"].notebook.name == "bob_99_late_01_neuron.ipynb" and subs["bob"].notes
    assert subs["carol"].status == "ambiguous" and subs["carol"].notebook is None

    subs = {s.student: s for s in collect(flat, AID, tmp_path / "w2", pattern=r"^(?P<student>[a-z]+_\d+)_")}
    assert set(subs) == {"alice_123", "bob_99"}

    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("class/dave/01_neuron.ipynb", sol)
        zf.writestr("class/erin/work/Untitled.ipynb", sol)
        zf.writestr("class/erin/.ipynb_checkpoints/Untitled-checkpoint.ipynb", sol)
        zf.writestr("__MACOSX/._junk", "x")
        zf.writestr("../evil.ipynb", sol)
    subs = {s.student: s for s in collect(archive, AID, tmp_path / "w3")}
    assert set(subs) == {"dave", "erin"}
    assert subs["erin"].notebook.name == "Untitled.ipynb"
    assert not (tmp_path / "evil.ipynb").exists()


def _hand_in(submitted, student: str, aid: str, notebook, stamp: str) -> None:
    """``submitted/<student>/<aid>/<aid>.ipynb`` and its ``timestamp.txt``, as ``nbgrader collect`` lays them out."""
    folder = submitted / student / aid
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{aid}.ipynb")
    (folder / "timestamp.txt").write_text(stamp)


def test_intake_of_nbgrader_collect_reads_only_the_assignments_own_folder(tmp_path, capsys):
    from nncourse.grading.client.intake import collect

    submitted = tmp_path / "submitted"
    neuron_time, mlp_time = "2026-11-01 09:00:00.000000 UTC", "2026-11-20 18:30:00.000000 UTC"
    _hand_in(submitted, "alice", "01_neuron", solution(), neuron_time)
    _hand_in(submitted, "alice", "02_mlp", solution(), mlp_time)
    # a timestamp.txt the student put inside her hand-in never stands for nbgrader's
    (submitted / "alice" / "01_neuron" / "extra").mkdir()
    (submitted / "alice" / "01_neuron" / "extra" / "timestamp.txt").write_text("2026-01-01 00:00:00 UTC")

    for aid, time in (("01_neuron", neuron_time), ("02_mlp", mlp_time)):
        subs = collect(submitted, aid, tmp_path / f"w-{aid}")
        assert [s.student for s in subs] == ["alice"], f"{aid}: expected alice alone, got {[s.student for s in subs]}"
        alice = subs[0]
        expected = submitted / "alice" / aid / f"{aid}.ipynb"
        assert alice.notebook == expected, f"{aid}: expected {expected} graded, got {alice.notebook}"
        assert alice.timestamp == time, f"{aid}: expected the time of {aid}/timestamp.txt, {time!r}, got {alice.timestamp!r}"
        assert alice.notes == [], f"{aid}: expected no note (the other assignment is not this hand-in), got {alice.notes}"
        assert alice.status is None, f"{aid}: expected a notebook to grade, got status {alice.status!r}"
    assert capsys.readouterr().out == "", "expected nothing printed when every student handed in"


def test_intake_leaves_out_a_student_who_handed_in_only_another_assignment(tmp_path, capsys):
    from nncourse.grading.client.intake import collect

    submitted = tmp_path / "submitted"
    _hand_in(submitted, "alice", "01_neuron", solution(), "2026-11-01 09:00:00 UTC")
    _hand_in(submitted, "bob", "02_mlp", solution(), "2026-11-20 18:30:00 UTC")
    (submitted / "erin").mkdir()  # a folder of no layout, without a notebook: no_notebook, as always

    subs = {s.student: s for s in collect(submitted, "01_neuron", tmp_path / "w")}
    assert set(subs) == {"alice", "erin"}, f"expected alice and erin (bob handed in 02_mlp only), got {sorted(subs)}"
    assert subs["erin"].status == "no_notebook", f"expected erin's empty folder no_notebook, got {subs['erin'].status!r}"
    out = capsys.readouterr().out
    assert "bob (02_mlp)" in out, f"expected a line naming bob and his 02_mlp folder, got {out!r}"

    subs = {s.student: s for s in collect(submitted, "02_mlp", tmp_path / "w2")}
    assert subs["bob"].timestamp == "2026-11-20 18:30:00 UTC", f"expected bob's 02_mlp time, got {subs['bob'].timestamp!r}"
    assert "alice" not in subs, f"expected alice left out of 02_mlp (only 01_neuron handed in), got {sorted(subs)}"

    only_other = tmp_path / "only_other"
    _hand_in(only_other, "bob", "02_mlp", solution(), "2026-11-20 18:30:00 UTC")
    with pytest.raises(ValueError, match="other assignments' hand-ins only: bob"):
        collect(only_other, "01_neuron", tmp_path / "w3")
