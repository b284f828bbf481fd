"""Loss curves of several training runs on one figure (used by 04_sgd).

A *run* is the sequence of losses one training recorded, one value per iteration or per
epoch. SGD's per-iteration losses are noisy, so :func:`plot_loss_curves` can draw each
run faintly as recorded and, on top, its trailing moving average
(:func:`moving_average`).
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np


def moving_average(values: Sequence[float], window: int) -> np.ndarray:
    """Trailing moving average: ``out[t] = mean(values[max(0, t - window + 1) : t + 1])``.

    The first ``window - 1`` entries average the values seen so far, so the output has
    the input's length. A non-finite value (a diverged run) makes only the averages whose
    window contains it non-finite.

    Parameters
    ----------
    values : sequence of float, shape (k,)
    window : int, >= 1

    Returns
    -------
    ndarray of float64, shape (k,)
    """
    if int(window) != window or window < 1:
        raise ValueError(f"window must be a positive integer, got {window!r}")
    values = np.asarray(values, dtype=float).ravel()
    if values.size == 0:
        return values
    window = int(window)
    padded = np.concatenate([np.zeros(window - 1), values])
    sums = np.lib.stride_tricks.sliding_window_view(padded, window).sum(axis=1)
    counts = np.minimum(np.arange(1, values.size + 1), window)
    with np.errstate(invalid="ignore"):  # inf - inf inside one window gives nan: intended
        return sums / counts


def plot_loss_curves(
    runs: Mapping[str, Sequence[float]],
    x: Mapping[str, Sequence[float]] | None = None,
    smooth: int | Mapping[str, int] = 1,
    xlabel: str = "iteration",
    ylabel: str = "training loss",
    logy: bool = False,
    ylim: tuple[float, float] | None = None,
    title: str | None = None,
    ax=None,
):
    """Draw one loss curve per run, labelled, on one Axes.

    Parameters
    ----------
    runs : mapping of str to sequence of float
        Label -> losses of one run, shape (k_label,).
    x : mapping of str to sequence of float, optional
        Label -> abscissae of the same length as that run (for example the epoch at each
        iteration, ``(t + 1) / iterations_per_epoch``). Default ``1, 2, ..., k_label``.
    smooth : int or mapping of str to int
        With a window ``> 1`` the raw losses are drawn faint and their trailing moving
        average over that many values on top (the labelled line). A mapping gives each
        run its own window (for example a quarter of its iterations per epoch, so that
        runs with different batch sizes are smoothed over the same share of an epoch).
    logy : bool
        Logarithmic loss axis.
    ylim : (float, float), optional
        Loss-axis limits (a diverging run would otherwise squash the others).

    Returns
    -------
    Axes
        Its labelled lines (``ax.get_lines()`` with a label not starting with ``_``) hold
        the plotted curves, in the order of ``runs``.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.5))
    for i, (label, losses) in enumerate(runs.items()):
        losses = np.asarray(losses, dtype=float).ravel()
        xs = np.arange(1, losses.size + 1) if x is None else np.asarray(x[label], dtype=float).ravel()
        if xs.shape != losses.shape:
            raise ValueError(f"run {label!r}: {losses.size} losses but {xs.size} abscissae")
        color = f"C{i % 10}"
        window = int(smooth[label] if isinstance(smooth, Mapping) else smooth)
        if window > 1:
            ax.plot(xs, losses, color=color, alpha=0.25, lw=0.8)
            ax.plot(xs, moving_average(losses, window), color=color, lw=1.8, label=label)
        else:
            ax.plot(xs, losses, color=color, lw=1.8, label=label, marker="o" if losses.size <= 30 else None, ms=3)
    if logy:
        ax.set_yscale("log")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()
    return ax
