"""06_cnn's depth-against-ImageNet-error figure plots the published figures.

A notebook cannot read ``references/`` (on Colab it is not there), so 06_cnn holds the
figures in its code cell ``ilsvrc = [(network, year, layers, top-5 error %), ...]``; this
test checks them, and the years, against ``references/published.json``, which cites the
paper of each figure.
"""

from __future__ import annotations

import ast
import json

import pytest

from tests.course_tools import COURSE, ROOT, solution_path

PUBLISHED = json.loads((ROOT / "references" / "published.json").read_text())

#: network -> (year, key of its layer count, key of its top-5 error) in published.json
KEYS = {
    "AlexNet": (2012, "alexnet_layers", "ilsvrc2012_alexnet_top5_error_pct"),
    "ZFNet": (2013, "zfnet_layers", "ilsvrc2013_zfnet_top5_error_pct"),
    "VGG-16/19": (2014, "vgg_layers", "ilsvrc2014_vgg_top5_error_pct"),
    "GoogLeNet": (2014, "googlenet_layers", "ilsvrc2014_googlenet_top5_error_pct"),
    "ResNet-152": (2015, "resnet_layers", "ilsvrc2015_resnet_top5_error_pct"),
}


def _ilsvrc(path) -> list[tuple]:
    """The literal assigned to ``ilsvrc`` in the notebook's code cells."""
    cells = json.loads(path.read_text())["cells"]
    found = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "ilsvrc" for t in node.targets):
                found.append(ast.literal_eval(node.value))
    assert len(found) == 1, f"{path}: expected one `ilsvrc = [...]` literal, found {len(found)}"
    return found[0]


NOTEBOOKS = [solution_path("06_cnn")] + [p for p in [COURSE / "06_cnn" / "06_cnn.ipynb"] if p.is_file()]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_figure_plots_the_published_figures(path):
    rows = _ilsvrc(path)
    assert [row[0] for row in rows] == list(KEYS), "the networks of the figure, in order"
    for name, year, layers, error in rows:
        expected_year, layers_key, error_key = KEYS[name]
        assert year == expected_year, name
        assert layers == PUBLISHED[layers_key]["value"], (name, layers, PUBLISHED[layers_key])
        assert error == PUBLISHED[error_key]["value"], (name, error, PUBLISHED[error_key])
        assert PUBLISHED[error_key]["unit"] == "%"


def test_every_figure_of_the_plot_cites_its_source():
    for _year, layers_key, error_key in KEYS.values():
        for key in (layers_key, error_key):
            assert "(20" in PUBLISHED[key]["source"], (key, PUBLISHED[key]["source"])
