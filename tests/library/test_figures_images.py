"""nnlib.figures.images: what the figures of images draw."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib.figures import images  # noqa: E402
from nnlib.metrics import verdict  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_show_images_draws_each_image_with_its_title():
    rng = np.random.default_rng(0)
    ims = [rng.random((5, 7)), rng.random((3, 3, 1)), rng.random((4, 4, 3))]
    axes = images.show_images(ims, titles=["a", "b", "c"], ncols=2)
    assert len(axes) == 3
    for ax, im, title in zip(axes, ims, "abc"):
        drawn = ax.get_images()[0].get_array()
        np.testing.assert_allclose(np.asarray(drawn), im[..., 0] if im.shape[-1] == 1 else im)
        assert ax.get_title() == title


def test_show_images_same_scale_uses_global_limits():
    axes = images.show_images([np.zeros((2, 2)), np.full((2, 2), 4.0)], same_scale=True)
    assert all(ax.get_images()[0].get_clim() == (0.0, 4.0) for ax in axes)


def test_plot_filters_draws_each_filter_on_a_symmetric_scale():
    rng = np.random.default_rng(1)
    kernels = rng.normal(size=(5, 3, 2, 6))
    axes = images.plot_filters(kernels, channel=1)
    assert len(axes) == 6
    bound = np.abs(kernels[:, :, 1, :]).max()
    for k, ax in enumerate(axes):
        shown = ax.get_images()[0]
        np.testing.assert_allclose(np.asarray(shown.get_array()), kernels[:, :, 1, k])
        assert shown.get_clim() == pytest.approx((-bound, bound))
    with pytest.raises(ValueError):
        images.plot_filters(kernels[..., 0])


def test_plot_feature_maps_one_panel_per_map():
    maps = np.arange(4 * 6 * 3, dtype=float).reshape(4, 6, 3)
    axes = images.plot_feature_maps(maps)
    assert len(axes) == 3
    np.testing.assert_allclose(np.asarray(axes[2].get_images()[0].get_array()), maps[:, :, 2])
    with pytest.raises(ValueError):
        images.plot_feature_maps(maps[None])


def test_plot_confusion_matrix_writes_counts_and_accuracy():
    cm = np.array([[3, 1], [0, 4]])
    ax = images.plot_confusion_matrix(cm)
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["1", "3", "4"]
    assert "87.5%" in ax.get_title()


def test_plot_misclassified_shows_only_errors():
    ims = np.arange(5 * 4 * 4).reshape(5, 4, 4)
    y_true = np.array([0, 1, 2, 3, 4])
    y_pred = np.array([0, 7, 2, 5, 4])
    probs = np.full((5, 10), 0.1)
    axes = images.plot_misclassified(ims, y_true, y_pred, probabilities=probs)
    assert [ax.get_title() for ax in axes] == ["true 1, said 7\n(p = 0.10)", "true 3, said 5\n(p = 0.10)"]
    np.testing.assert_array_equal(np.asarray(axes[1].get_images()[0].get_array()), ims[3])
    assert len(images.plot_misclassified(ims, y_true, y_true)) == 0


def test_show_verdicts_draws_one_panel_per_image_and_marks_mistakes():
    rng = np.random.default_rng(0)
    ims = rng.integers(0, 256, size=(5, 32, 32, 3), dtype=np.uint8)
    p = np.array([0.9, 0.1, 0.6, 0.3, 0.99])
    fig = images.show_verdicts(ims, p, truth=[1, 1, 1, 0, 0], ncols=3)
    titled = [ax for ax in fig.axes if ax.get_title()]
    assert len(titled) == 5
    assert titled[0].get_title().replace("\n", " ") == verdict(0.9)
    red = [ax.title.get_color() for ax in titled]
    assert red[1] == "tab:red" and red[4] == "tab:red" and red[0] == "black"
    with pytest.raises(ValueError):
        images.show_verdicts(ims, p[:3])
