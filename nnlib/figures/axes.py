"""The one place where nnlib's figures get their matplotlib Axes.

Every plotting function of :mod:`nnlib.figures` either draws on one Axes
(:func:`get_axes`: the caller's, or a new figure's) or on a grid of panels
(:func:`panel_grid`), and finishes a figure of several panels with :func:`finish`.
matplotlib is imported only when a figure is drawn, so importing nnlib stays cheap.
"""

from __future__ import annotations

import numpy as np


def get_axes(ax=None, figsize: tuple[float, float] = (5.5, 3.5)):
    """The Axes to draw on: ``ax`` when given, else the Axes of a new figure.

    Parameters
    ----------
    ax : matplotlib Axes, optional
        Where the caller wants the drawing (e.g. one panel of its own ``plt.subplots``).
    figsize : (float, float)
        Width and height in inches of the new figure, when ``ax`` is None.

    Returns
    -------
    matplotlib Axes
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def panel_grid(
    n_panels: int,
    ncols: int,
    panel_size: float | tuple[float, float],
    *,
    ticks: bool = True,
    frame: bool = True,
    sharey: bool = False,
    title_room: float = 0.0,
):
    """A new figure with ``n_panels`` Axes on rows of at most ``ncols``.

    Parameters
    ----------
    n_panels : int, >= 1
        Number of panels; the cells of the last row beyond it are hidden.
    ncols : int
        Panels per row (fewer when there are fewer panels).
    panel_size : float or (float, float)
        Width and height of one panel in inches (a float: square panels).
    ticks : bool
        Keep the axis ticks (False for images).
    frame : bool
        Keep the axes' frame; False turns each axis off entirely (``ax.axis("off")``).
    sharey : bool
        Share the y axis between panels (compare counts across histograms).
    title_room : float
        Inches added to the figure's height (room for titles above small panels).

    Returns
    -------
    fig : matplotlib Figure
    axes : ndarray of Axes, shape (n_panels,)
        In reading order, row by row.

    Raises
    ------
    ValueError
        If ``n_panels < 1``.
    """
    import matplotlib.pyplot as plt

    if n_panels < 1:
        raise ValueError(f"a grid needs at least one panel, got {n_panels}")
    width, height = (panel_size, panel_size) if np.isscalar(panel_size) else panel_size
    ncols = max(1, min(int(ncols), n_panels))
    nrows = int(np.ceil(n_panels / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows + title_room),
                             sharey=sharey, squeeze=False)
    axes = axes.ravel()
    for ax in axes:
        if not frame:
            ax.axis("off")
        elif not ticks:
            ax.set_xticks([])
            ax.set_yticks([])
    for ax in axes[n_panels:]:
        ax.set_visible(False)
    return fig, axes[:n_panels]


def finish(fig, suptitle: str | None = None) -> None:
    """Give a figure of panels its overall title, if any, and a tight layout.

    Parameters
    ----------
    fig : matplotlib Figure
    suptitle : str, optional
    """
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
