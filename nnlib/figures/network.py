"""Diagrams of network architectures, drawn from their layer sizes.

:func:`plot_network` draws a multilayer perceptron from ``layer_sizes = [d, n_1, ..., K]``
(used by 02_mlp). The drawing only shows the architecture: it computes nothing the
exercises ask for.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from nnlib.figures.axes import get_axes


def _shown_units(size: int, max_units: int) -> list[int | None]:
    """Indices (0-based) of the units drawn for a layer of ``size`` units.

    Layers wider than ``max_units`` keep their first ``max_units - 2`` units, a gap
    (``None``, drawn as a vertical ellipsis) and their last unit.
    """
    if size <= max_units:
        return list(range(size))
    return list(range(max_units - 2)) + [None, size - 1]


def plot_network(
    layer_sizes: Sequence[int],
    ax=None,
    max_units: int = 10,
    layer_names: Sequence[str] | None = None,
):
    """Draw a fully connected network: one column of units per layer, every edge between
    consecutive layers.

    Layer 0 is the input :math:`h^{(0)} = x`; layer ``k`` has ``layer_sizes[k]`` units,
    and the edges from layer ``k - 1`` to layer ``k`` stand for the entries of
    :math:`W^{(k)}`, of shape ``(layer_sizes[k], layer_sizes[k - 1])``.

    Parameters
    ----------
    layer_sizes : sequence of int, length L + 2 (>= 2)
        ``[d, n_1, ..., n_L, K]``: input size, hidden-layer widths, output size.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    max_units : int
        Widest column drawn (>= 3); a wider layer shows its first ``max_units - 2`` units,
        a vertical ellipsis and its last unit, and its edges are drawn for the shown units.
    layer_names : sequence of str, optional
        One caption per layer; default "input", "hidden 1", ..., "output", each followed by
        the layer's size.

    Returns
    -------
    Axes
        Units are :class:`matplotlib.patches.Circle` patches (one per shown unit, in
        ``ax.patches``), edges are lines in ``ax.lines``.

    Raises
    ------
    ValueError
        If there are fewer than two layers, a size is not a positive integer, or
        ``max_units < 3``.
    """
    from matplotlib.patches import Circle

    sizes = [int(s) for s in layer_sizes]
    if len(sizes) < 2:
        raise ValueError("a network has at least an input and an output layer")
    if any(s < 1 or s != float(t) for s, t in zip(sizes, layer_sizes)):
        raise ValueError(f"layer sizes must be positive integers, got {list(layer_sizes)}")
    if max_units < 3:
        raise ValueError("max_units must be at least 3")
    n_layers = len(sizes)
    if layer_names is None:
        layer_names = ["input"] + [f"hidden {k}" for k in range(1, n_layers - 1)] + ["output"]
    if len(layer_names) != n_layers:
        raise ValueError("give one name per layer")

    ax = get_axes(ax, figsize=(1.6 * n_layers + 1.5, 4.5))
    tallest = max(len(_shown_units(s, max_units)) for s in sizes)
    radius = 0.18
    dx = 2.5  # horizontal distance between layers, in units of the vertical spacing
    colours = ["tab:blue"] + ["tab:orange"] * (n_layers - 2) + ["tab:green"]

    # per layer: (unit index or None for the ellipsis, height), top to bottom
    columns = []
    for size in sizes:
        shown = _shown_units(size, max_units)
        heights = (len(shown) - 1) / 2 - np.arange(len(shown), dtype=float)
        columns.append(list(zip(shown, heights)))

    for k in range(1, n_layers):
        for unit0, y0 in columns[k - 1]:
            for unit1, y1 in columns[k]:
                if unit0 is not None and unit1 is not None:
                    ax.plot([(k - 1) * dx, k * dx], [y0, y1], color="0.6", lw=0.6, zorder=1)

    for k, size in enumerate(sizes):
        for unit, y in columns[k]:
            if unit is None:
                ax.text(k * dx, y, r"$\vdots$", ha="center", va="center", fontsize=14, zorder=3)
            else:
                ax.add_patch(Circle((k * dx, y), radius, facecolor=colours[k], edgecolor="k", zorder=2))
        ax.text(k * dx, -tallest / 2 - 0.3, f"{layer_names[k]}\n({size})", ha="center", va="top", fontsize=9)

    ax.set_xlim(-0.8 * dx, (n_layers - 1) * dx + 0.8 * dx)
    ax.set_ylim(-tallest / 2 - 1.3, tallest / 2 + 0.2)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax
