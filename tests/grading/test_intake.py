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
