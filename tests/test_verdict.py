"""nnlib.verdict: the slides' sentences and the figure."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from nnlib.verdict import show_verdicts, verdict


@pytest.mark.parametrize(
    "p_hug, expected",
    [  # the four examples of the slides
        (0.695779, "Go for it! Hug it out. With a score of 0.695779, we're somewhat sure."),
        (1 - 0.999875, "Don't hug that. Please. With a score of 0.999875, we're pretty sure."),
        (1 - 0.778686, "Don't hug that. Please. With a score of 0.778686, we're pretty sure."),
        (0.958104, "Go for it! Hug it out. With a score of 0.958104, we're pretty sure."),
        (0.5, "Go for it! Hug it out. With a score of 0.500000, we're somewhat sure."),
        (0.25, "Don't hug that. Please. With a score of 0.750000, we're pretty sure."),
    ],
)
def test_verdict_matches_the_slides(p_hug, expected):
    assert verdict(p_hug) == expected


def test_verdict_rejects_non_probabilities():
    for bad in (-0.1, 1.5, float("nan")):
        with pytest.raises(ValueError):
            verdict(bad)


def test_show_verdicts_draws_one_panel_per_image_and_marks_mistakes():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(5, 32, 32, 3), dtype=np.uint8)
    p = np.array([0.9, 0.1, 0.6, 0.3, 0.99])
    fig = show_verdicts(images, p, truth=[1, 1, 1, 0, 0], ncols=3)
    titled = [ax for ax in fig.axes if ax.get_title()]
    assert len(titled) == 5
    assert titled[0].get_title().replace("\n", " ") == verdict(0.9)
    red = [ax.title.get_color() for ax in titled]
    assert red[1] == "tab:red" and red[4] == "tab:red" and red[0] == "black"
    with pytest.raises(ValueError):
        show_verdicts(images, p[:3])
