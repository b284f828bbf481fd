"""Graphs of scalar functions of one variable (used by 01_neuron: activations, derivatives).

:func:`plot_functions` takes plain callables, so a notebook passes the student's own
functions and nnlib holds no answer.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import numpy as np

from nnlib.figures.axes import finish, get_axes, panel_grid


def _axis_lines(ax) -> None:
    """Light lines through the origin."""
    ax.axhline(0, color="0.8", lw=0.8, zorder=0)
    ax.axvline(0, color="0.8", lw=0.8, zorder=0)


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
    title : str, optional
        The figure's title.

    Returns
    -------
    ndarray of Axes, shape (n_panels,)
        One per function, or a single one with ``overlay``; line ``j`` of a panel holds
        ``(x, f(x))``.
    """
    x = np.linspace(-5, 5, 401) if x is None else np.asarray(x)
    items = list(functions.items())
    colors = list(colors) if colors is not None else [f"C{i}" for i in range(len(items))]
    if overlay:
        ax = get_axes(figsize=(5.5, 3.5))
        for (label, fn), color in zip(items, colors):
            ax.plot(x, fn(x), color=color, label=label, lw=2)
        _axis_lines(ax)
        ax.legend()
        ax.set_xlabel("x")
        if title:
            ax.set_title(title)
        return np.array([ax])
    fig, axes = panel_grid(len(items), ncols, (3, 2.6))
    for ax, (label, fn), color in zip(axes, items, colors):
        ax.plot(x, fn(x), color=color, lw=2)
        _axis_lines(ax)
        ax.set_title(label)
        ax.set_xlabel("x")
    finish(fig, title)
    return axes
