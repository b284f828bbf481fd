"""Distributions of a network's weights (used by 05_regularization: L1 against L2)."""

from __future__ import annotations

from typing import Mapping

import numpy as np

from nnlib.figures.axes import finish, panel_grid
from nnlib.metrics import sparsity


def plot_weight_histograms(weights: Mapping[str, np.ndarray], bins: int = 80, tol: float = 1e-3,
                           log: bool = True, title: str | None = None):
    """One histogram of weights per entry, on a shared range, titled with its sparsity.

    Parameters
    ----------
    weights : mapping of str to ndarray (any shape)
        Name -> weights, e.g. a first layer's kernel of shape (784, 256).
    bins : int
        Number of bins over the common range of all the weights.
    tol : float
        Threshold of :func:`nnlib.metrics.sparsity` reported in each title.
    log : bool
        Logarithmic counts, so that a spike at 0 and the tails are both visible.
    title : str, optional
        The figure's title.

    Returns
    -------
    ndarray of Axes, shape (len(weights),)
        Side by side, sharing their count axis.
    """
    items = [(name, np.asarray(w, dtype=float).ravel()) for name, w in weights.items()]
    lo = min(w.min() for _, w in items)
    hi = max(w.max() for _, w in items)
    edges = np.linspace(lo, hi, bins + 1)
    fig, axes = panel_grid(len(items), len(items), (4, 3), sharey=True)
    for i, (ax, (name, w)) in enumerate(zip(axes, items)):
        ax.hist(w, bins=edges, color=f"C{i}", log=log)
        ax.set_title(f"{name}: {100 * sparsity(w, tol):.0f}% of |w| < {tol:g}")
        ax.set_xlabel("weight value")
    axes[0].set_ylabel("count")
    finish(fig, title)
    return axes
