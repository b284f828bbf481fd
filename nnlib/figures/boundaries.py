"""Decision boundaries of a classifier of 2-D points (used by 01_neuron on Iris)."""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from nnlib.figures.axes import get_axes


def plot_decision_boundary(
    predict: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    feature_names: Sequence[str] = ("x1", "x2"),
    class_names: Sequence[str] = ("0", "1"),
    threshold: float = 0.5,
    resolution: int = 200,
    ax=None,
):
    """Shade a 2-D classifier's output and draw its decision boundary over the data.

    The classifier is evaluated on a ``resolution x resolution`` grid that covers the
    data with a 10 % margin; the boundary is its contour at ``threshold``.

    Parameters
    ----------
    predict : callable
        Maps points of shape (m, 2) to scores of shape (m,) or (m, 1), e.g. probabilities.
    X : ndarray, shape (n, 2)
    y : ndarray, shape (n,), labels in {0, 1}
    feature_names : (str, str)
        Axis labels.
    class_names : (str, str)
        Legend entries of the labels 0 and 1.
    threshold : float
        Score at which the boundary is drawn (0.5 for a sigmoid output).
    resolution : int
        Grid points per axis.
    ax : matplotlib Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    Axes
        ``ax.collections``: the shading, the boundary, then one scatter per class.
    """
    ax = get_axes(ax, figsize=(5.5, 4.5))
    X = np.asarray(X, dtype=float)
    y = np.asarray(y).ravel()
    pad = 0.1 * (X.max(axis=0) - X.min(axis=0))
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    scores = np.asarray(predict(grid), dtype=float).reshape(g1.shape)
    filled = ax.contourf(g1, g2, scores, levels=20, cmap="RdBu_r", alpha=0.35)
    ax.contour(g1, g2, scores, levels=[threshold], colors="k", linewidths=2)
    for label, marker, color in ((0, "o", "tab:blue"), (1, "^", "tab:red")):
        pts = X[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], marker=marker, c=color, edgecolor="k", s=30, label=class_names[label])
    ax.set_xlabel(feature_names[0])
    ax.set_ylabel(feature_names[1])
    ax.legend(loc="best")
    ax.figure.colorbar(filled, ax=ax, label="neuron output")
    return ax
