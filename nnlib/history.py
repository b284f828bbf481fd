"""Training histories and weight summaries, and their figures (used by 05_regularization).

A *history* is what ``model.fit`` returns (a ``keras.callbacks.History``) or its
``.history`` dict: one list per metric, one entry per epoch, with the validation metrics
under ``"val_" + name``. These helpers only read and draw; choosing a model or an epoch
from a history is an exercise of the notebook and is not here.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np


def as_history(history) -> dict[str, np.ndarray]:
    """The per-epoch metrics of a fit as a dict of float arrays.

    Parameters
    ----------
    history : keras.callbacks.History or mapping of str to sequence
        What ``model.fit`` returned, or its ``.history`` dict.

    Returns
    -------
    dict of str to ndarray, each of shape (n_epochs,)

    Raises
    ------
    ValueError
        If the metrics do not all have the same number of epochs.
    """
    raw = getattr(history, "history", history)
    out = {str(k): np.asarray(v, dtype=float).ravel() for k, v in dict(raw).items()}
    lengths = {len(v) for v in out.values()}
    if len(lengths) > 1:
        raise ValueError(f"metrics with different numbers of epochs: {sorted(lengths)}")
    return out


def generalization_gap(history, metric: str = "accuracy") -> np.ndarray:
    """Training minus validation value of ``metric`` at each epoch.

    ``gap[e] = history[metric][e] - history["val_" + metric][e]``: for an accuracy, a large
    positive gap is the mark of overfitting (for a loss, a large negative one).

    Returns
    -------
    ndarray, shape (n_epochs,)
    """
    h = as_history(history)
    return h[metric] - h["val_" + metric]


def sparsity(weights, tol: float = 1e-3) -> float:
    """Fraction of weights with ``|w| < tol``, over every array given.

    Parameters
    ----------
    weights : ndarray or sequence of ndarray, any shapes
    tol : float
        Threshold below which a weight counts as zero.

    Returns
    -------
    float in [0, 1]
    """
    arrays = [weights] if isinstance(weights, np.ndarray) else list(weights)
    if not arrays:
        return 0.0
    flat = np.concatenate([np.abs(np.asarray(a, dtype=float)).ravel() for a in arrays])
    return float(np.mean(flat < tol)) if flat.size else 0.0


def plot_train_val(histories: Mapping[str, object], metric: str = "loss", ax=None, title: str | None = None):
    """Training (solid) and validation (dashed) curves of ``metric``, one colour per model.

    Parameters
    ----------
    histories : mapping of str to history
        Model name -> what ``fit`` returned (see :func:`as_history`); each needs ``metric``
        and ``"val_" + metric``.
    metric : str
        For example ``"loss"`` or ``"accuracy"``.

    Returns
    -------
    Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.5))
    for i, (name, history) in enumerate(histories.items()):
        h = as_history(history)
        epochs = np.arange(1, len(h[metric]) + 1)
        ax.plot(epochs, h[metric], "-", color=f"C{i}", lw=2, label=f"{name}: training")
        ax.plot(epochs, h["val_" + metric], "--", color=f"C{i}", lw=2, label=f"{name}: validation")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.legend(fontsize="small")
    if title:
        ax.set_title(title)
    return ax


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
        Threshold of :func:`sparsity` reported in each title.
    log : bool
        Logarithmic counts, so that a spike at 0 and the tails are both visible.

    Returns
    -------
    ndarray of Axes, shape (len(weights),)
    """
    import matplotlib.pyplot as plt

    items = [(name, np.asarray(w, dtype=float).ravel()) for name, w in weights.items()]
    lo = min(w.min() for _, w in items)
    hi = max(w.max() for _, w in items)
    edges = np.linspace(lo, hi, bins + 1)
    fig, axes = plt.subplots(1, len(items), figsize=(4 * len(items), 3), sharey=True, squeeze=False)
    axes = axes.ravel()
    for i, (ax, (name, w)) in enumerate(zip(axes, items)):
        ax.hist(w, bins=edges, color=f"C{i}", log=log)
        ax.set_title(f"{name}: {100 * sparsity(w, tol):.0f}% of |w| < {tol:g}")
        ax.set_xlabel("weight value")
    axes[0].set_ylabel("count")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return axes
