"""Figures shared by the notebooks. Each function draws and returns its matplotlib Axes.

They take plain callables and arrays, so a notebook passes the student's own functions
(for example the activations of 01_neuron) and nnlib holds no answer.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import numpy as np


def _axes(ax=None, figsize=(5, 3.5)):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_learning_curves(
    histories: Mapping[str, Mapping[str, Sequence[float]]],
    metric: str,
    ax=None,
    title: str | None = None,
):
    """Plot one metric per epoch for several training runs on one Axes.

    Used by 03_backprop to set a NumPy network trained with the student's backprop beside
    the same network in Keras.

    Parameters
    ----------
    histories : mapping of str to mapping of str to sequence of float
        Run label -> ``{metric name: values, one per epoch}``, for example
        ``{"Keras": model.fit(...).history, "NumPy": {"loss": [...], ...}}``.
    metric : str
        The key to plot (``"loss"``, ``"val_accuracy"``, ...); a run without it is
        skipped, and a metric that no run has is an error.
    ax : Axes, optional
        Where to draw; a new figure otherwise.
    title : str, optional

    Returns
    -------
    Axes
        One line per run, value of epoch e (1-based) at x = e.

    Raises
    ------
    KeyError
        If no run records ``metric``.
    """
    ax = _axes(ax, figsize=(5.5, 3.5))
    drawn = 0
    for i, (label, history) in enumerate(histories.items()):
        if metric not in history:
            continue
        values = np.asarray(history[metric], dtype=float)
        epochs = np.arange(1, len(values) + 1)
        ax.plot(epochs, values, marker="o", ms=3, lw=2, color=f"C{i}", label=label,
                ls="-" if i % 2 == 0 else "--")
        drawn += 1
    if not drawn:
        raise KeyError(f"no history records {metric!r}")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric.replace("_", " "))
    ax.legend()
    if title:
        ax.set_title(title)
    return ax


def plot_functions(
    functions: Mapping[str, Callable[[np.ndarray], np.ndarray]],
    x: np.ndarray | None = None,
    ncols: int = 5,
    colors: Sequence[str] | None = None,
    overlay: bool = False,
    title: str | None = None,
):
    """Plot scalar functions of one variable, one panel each (or all on one, ``overlay``).

    Parameters
    ----------
    functions : mapping of str to callable
        Label -> vectorised function ``f(x)`` with ``x`` of shape (n,), returning (n,).
    x : ndarray, shape (n,), optional
        Abscissae; default 401 points on [-5, 5].
    ncols : int
        Panels per row when not overlaid.
    colors : sequence of str, optional
        One matplotlib colour per function.
    overlay : bool
        Draw every function on a single Axes (e.g. the sigmoid and its derivative).

    Returns
    -------
    ndarray of Axes, shape (n_panels,)
    """
    import matplotlib.pyplot as plt

    x = np.linspace(-5, 5, 401) if x is None else np.asarray(x)
    items = list(functions.items())
    colors = list(colors) if colors is not None else [f"C{i}" for i in range(len(items))]
    if overlay:
        ax = _axes(figsize=(5.5, 3.5))
        for (label, fn), color in zip(items, colors):
            ax.plot(x, fn(x), color=color, label=label, lw=2)
        ax.axhline(0, color="0.8", lw=0.8, zorder=0)
        ax.axvline(0, color="0.8", lw=0.8, zorder=0)
        ax.legend()
        ax.set_xlabel("x")
        if title:
            ax.set_title(title)
        return np.array([ax])
    nrows = int(np.ceil(len(items) / ncols))
    fig, axes = plt.subplots(nrows, min(ncols, len(items)), figsize=(3 * min(ncols, len(items)), 2.6 * nrows), squeeze=False)
    axes = axes.ravel()
    for ax, (label, fn), color in zip(axes, items, colors):
        ax.plot(x, fn(x), color=color, lw=2)
        ax.axhline(0, color="0.8", lw=0.8, zorder=0)
        ax.axvline(0, color="0.8", lw=0.8, zorder=0)
        ax.set_title(label)
        ax.set_xlabel("x")
    for ax in axes[len(items):]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return axes[: len(items)]


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

    Parameters
    ----------
    predict : callable
        Maps points of shape (m, 2) to scores of shape (m,) or (m, 1), e.g. probabilities.
    X : ndarray, shape (n, 2)
    y : ndarray, shape (n,), labels in {0, 1}
    threshold : float
        Score at which the boundary is drawn (0.5 for a sigmoid output).
    resolution : int
        Grid points per axis.

    Returns
    -------
    Axes
    """
    ax = _axes(ax, figsize=(5.5, 4.5))
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
