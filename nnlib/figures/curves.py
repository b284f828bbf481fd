"""Curves of a metric over training: one function, :func:`plot_curves`, for every notebook.

A *run* is either a sequence of values (one per iteration or per epoch, e.g. the batch
losses of 04_sgd's training loop) or a *history*: what ``model.fit`` returns (or its
``.history`` dict, or a dict built by hand in the same layout), one list per metric with
the validation metrics under ``"val_" + name``. :func:`plot_curves` draws one metric of
several runs on one Axes, optionally with each run's validation curve (dashed, same
colour) and a trailing moving average (:func:`nnlib.metrics.moving_average`) over noisy
values. Used by 03_backprop, 04_sgd and 05_regularization.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from nnlib.figures.axes import get_axes
from nnlib.metrics import moving_average

#: Curves with at most this many points get a marker at each point (e.g. one per epoch).
MARKER_MAX_POINTS = 30


def plot_curves(
    runs: Mapping[str, object],
    metric: str | None = None,
    *,
    validation: bool = False,
    x: Mapping[str, Sequence[float]] | None = None,
    smooth: int | Mapping[str, int] = 1,
    alternate_dashes: bool = False,
    xlabel: str | None = None,
    ylabel: str | None = None,
    logy: bool = False,
    ylim: tuple[float, float] | None = None,
    title: str | None = None,
    ax=None,
):
    """Draw one metric of several runs on one Axes, one labelled colour per run.

    Parameters
    ----------
    runs : mapping of str to (sequence of float or history)
        Run label -> its values. Without ``metric``: a sequence of shape (k_label,), e.g.
        ``{"m = 32": batch_losses}``. With ``metric``: a history, i.e. a
        ``keras.callbacks.History`` or a mapping ``{metric name: values, one per epoch}``,
        e.g. ``{"Keras": model.fit(...), "NumPy": {"loss": [...], "val_accuracy": [...]}}``.
    metric : str, optional
        The key of each history to draw (``"loss"``, ``"val_accuracy"``, ...); a run
        without it is skipped, and a metric that no run has is an error.
    validation : bool
        Needs ``metric``: draw each run's ``metric`` solid, labelled ``"<run>: training"``,
        and its ``"val_" + metric`` dashed in the same colour, ``"<run>: validation"``.
    x : mapping of str to sequence of float, optional
        Run label -> abscissae of the same length as that run's values (for example the
        epoch at each iteration, ``(t + 1) / iterations_per_epoch``). Default
        ``1, 2, ..., k_label`` (epochs and iterations count from 1).
    smooth : int or mapping of str to int
        With a window ``w > 1`` the values are drawn faint and their trailing moving
        average over ``w`` values on top (the labelled line). A mapping gives each run its
        own window (for example a quarter of its iterations per epoch, so that runs with
        different batch sizes are smoothed over the same share of an epoch).
    alternate_dashes : bool
        Draw every other run dashed, so that runs that coincide (the same network trained
        in NumPy and in Keras) both stay visible. Ignored with ``validation``.
    xlabel : str, optional
        Default ``"epoch"`` with ``metric``, else ``"iteration"``.
    ylabel : str, optional
        Default ``metric`` with spaces for underscores (``"val accuracy"``), else ``"value"``.
    logy : bool
        Logarithmic y axis.
    ylim : (float, float), optional
        y-axis limits (a diverging run would otherwise squash the others).
    title : str, optional
    ax : matplotlib Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    Axes
        Its labelled lines (``ax.get_lines()`` with a label not starting with ``_``) hold
        the plotted curves, in the order of ``runs`` (training before validation); the
        faint raw curves of smoothed runs are unlabelled. Unsmoothed curves of at most
        :data:`MARKER_MAX_POINTS` points carry a marker at each point.

    Raises
    ------
    KeyError
        If ``metric`` is given and no run records it (or, with ``validation``, a run
        that records it lacks ``"val_" + metric``).
    ValueError
        If a run's abscissae and values differ in length, if ``validation`` is asked
        without ``metric``, or if ``runs`` is empty.
    """
    if validation and metric is None:
        raise ValueError("validation=True needs the metric whose 'val_' twin to draw")
    if not runs:
        raise ValueError("no run to draw")
    ax = get_axes(ax, figsize=(5.5, 3.5))
    drawn = 0
    for i, (label, run) in enumerate(runs.items()):
        style = "--" if alternate_dashes and i % 2 == 1 else "-"
        if metric is None:
            curves = [(label, run, style)]
        else:
            recorded = getattr(run, "history", run)
            if metric not in recorded:
                continue
            if validation:
                curves = [(f"{label}: training", recorded[metric], "-"),
                          (f"{label}: validation", recorded["val_" + metric], "--")]
            else:
                curves = [(label, recorded[metric], style)]
        color = f"C{i % 10}"
        window = int(smooth[label] if isinstance(smooth, Mapping) else smooth)
        for curve_label, values, linestyle in curves:
            values = np.asarray(values, dtype=float).ravel()
            xs = np.arange(1, values.size + 1) if x is None else np.asarray(x[label], dtype=float).ravel()
            if xs.shape != values.shape:
                raise ValueError(f"run {label!r}: {values.size} values but {xs.size} abscissae")
            if window > 1:
                ax.plot(xs, values, color=color, alpha=0.25, lw=0.8, ls=linestyle)
                ax.plot(xs, moving_average(values, window), color=color, lw=1.8, ls=linestyle, label=curve_label)
            else:
                ax.plot(xs, values, color=color, lw=1.8, ls=linestyle, label=curve_label,
                        marker="o" if values.size <= MARKER_MAX_POINTS else None, ms=3)
        drawn += 1
    if not drawn:
        raise KeyError(f"no history records {metric!r}")
    if logy:
        ax.set_yscale("log")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlabel(xlabel if xlabel is not None else ("epoch" if metric is not None else "iteration"))
    default_ylabel = metric.replace("_", " ") if metric is not None else "value"
    ax.set_ylabel(ylabel if ylabel is not None else default_ylabel)
    if title:
        ax.set_title(title)
    ax.legend(fontsize="small" if validation else None)
    return ax
