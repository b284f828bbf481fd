"""nnlib.figures.boundaries: the boundary lies where the classifier's score crosses the threshold."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nnlib.figures import plot_decision_boundary  # noqa: E402


def teardown_function():
    plt.close("all")


def test_decision_boundary_is_drawn_where_the_score_crosses_the_threshold():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(float)
    ax = plot_decision_boundary(lambda p: 1 / (1 + np.exp(-5 * p[:, 0])), X, y)
    boundary = ax.collections[1] if hasattr(ax.collections[1], "get_paths") else None
    verts = np.concatenate([p.vertices for p in boundary.get_paths()])
    assert np.allclose(verts[:, 0], 0, atol=0.05)
    scatter_points = sum(len(c.get_offsets()) for c in ax.collections[2:])
    assert scatter_points == 40
