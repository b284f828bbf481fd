"""nnlib.figures.axes: the one Axes/grid builder, and that every figure goes through it."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pathlib  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import nnlib.figures  # noqa: E402
from nnlib.figures.axes import finish, get_axes, panel_grid  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_get_axes_returns_the_given_axes_or_a_new_figure():
    fig, ax = plt.subplots()
    assert get_axes(ax) is ax
    new = get_axes(figsize=(2.0, 3.0))
    assert new is not ax and tuple(new.figure.get_size_inches()) == (2.0, 3.0)


@pytest.mark.parametrize("n_panels, ncols, rows, cols", [(1, 8, 1, 1), (5, 3, 2, 3), (6, 3, 2, 3), (7, 10, 1, 7)])
def test_panel_grid_shape_and_hidden_cells(n_panels, ncols, rows, cols):
    fig, axes = panel_grid(n_panels, ncols, (2.0, 1.5), title_room=0.5)
    assert axes.shape == (n_panels,)
    assert len(fig.axes) == rows * cols
    assert sum(ax.get_visible() for ax in fig.axes) == n_panels
    assert np.allclose(fig.get_size_inches(), (2.0 * cols, 1.5 * rows + 0.5))


def test_panel_grid_ticks_frame_and_shared_y():
    _, axes = panel_grid(2, 2, 1.0, ticks=False)
    assert all(len(ax.get_xticks()) == 0 and len(ax.get_yticks()) == 0 and ax.axison for ax in axes)
    _, axes = panel_grid(2, 2, 1.0, frame=False)
    assert not any(ax.axison for ax in axes)
    _, axes = panel_grid(2, 2, 1.0, sharey=True)
    axes[0].set_ylim(0, 7)
    assert axes[1].get_ylim() == (0, 7)
    with pytest.raises(ValueError):
        panel_grid(0, 3, 1.0)


def test_finish_sets_the_title():
    fig, _ = panel_grid(2, 2, 1.0)
    finish(fig, "overall")
    assert fig._suptitle.get_text() == "overall"


def test_every_figure_gets_its_axes_from_the_shared_helper():
    # one builder of figures and Axes: no other module of nnlib creates its own
    root = pathlib.Path(nnlib.figures.__file__).resolve().parent.parent
    builders = ("subplots(", "plt.figure(", "add_subplot(")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "axes.py" and any(call in path.read_text() for call in builders)
    ]
    assert offenders == []
