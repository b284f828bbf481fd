"""Numbers computed from a training run or a model's predictions; NumPy only, no figures.

- training histories: :func:`as_history`, :func:`generalization_gap`, and
  :func:`moving_average` to smooth a noisy per-iteration loss;
- weights: :func:`sparsity`;
- predictions: :func:`confusion_matrix`, and the slides' "should I hug it?"
  :func:`verdict`.

A *history* is what ``model.fit`` returns (a ``keras.callbacks.History``) or its
``.history`` dict: one list per metric, one entry per epoch, with the validation metrics
under ``"val_" + name``. These helpers only measure; choosing a model or an epoch from a
history is an exercise of 05_regularization and is not here. The figures of these
numbers are in :mod:`nnlib.figures`.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

#: The verdict's sentence for "hug it" and for "don't" (the slides' wording).
HUG = "Go for it! Hug it out."
DONT = "Don't hug that. Please."
#: Score from which the verdict says "we're pretty sure".
PRETTY_SURE = 0.75


def as_history(history) -> dict[str, np.ndarray]:
    """The per-epoch metrics of a fit as a dict of float arrays.

    Used by 05_regularization.

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
    Used by 05_regularization.

    Parameters
    ----------
    history : keras.callbacks.History or mapping of str to sequence
        Needs ``metric`` and ``"val_" + metric`` (see :func:`as_history`).
    metric : str

    Returns
    -------
    ndarray, shape (n_epochs,)
    """
    h = as_history(history)
    return h[metric] - h["val_" + metric]


def moving_average(values: Sequence[float], window: int) -> np.ndarray:
    """Trailing moving average: ``out[t] = mean(values[max(0, t - window + 1) : t + 1])``.

    The first ``window - 1`` entries average the values seen so far, so the output has
    the input's length. A non-finite value (a diverged run) makes only the averages whose
    window contains it non-finite. Smooths the curves of
    :func:`nnlib.figures.plot_curves` (04_sgd's per-iteration losses).

    Parameters
    ----------
    values : sequence of float, shape (k,)
    window : int, >= 1

    Returns
    -------
    ndarray of float64, shape (k,)

    Raises
    ------
    ValueError
        If ``window`` is not a positive integer.
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


def sparsity(weights, tol: float = 1e-3) -> float:
    """Fraction of weights with ``|w| < tol``, over every array given.

    Used by 05_regularization (L1 against L2).

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


def confusion_matrix(y_true, y_pred, n_classes: int | None = None) -> np.ndarray:
    """Count the predictions of each class: ``cm[i, j]`` = examples of class i predicted j.

    Used by 06_cnn (drawn by :func:`nnlib.figures.plot_confusion_matrix`).

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (n,)
        Labels in 0 .. n_classes - 1.
    n_classes : int, optional
        Default: one more than the largest label seen.

    Returns
    -------
    ndarray of int64, shape (n_classes, n_classes)
        Rows are the true classes, columns the predicted ones; the diagonal is correct.

    Raises
    ------
    ValueError
        If ``y_true`` and ``y_pred`` differ in length.
    """
    y_true = np.asarray(y_true, dtype=np.int64).ravel()
    y_pred = np.asarray(y_pred, dtype=np.int64).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError("y_true and y_pred must have the same length")
    k = int(max(y_true.max(initial=-1), y_pred.max(initial=-1)) + 1) if n_classes is None else n_classes
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (y_true, y_pred), 1)
    return cm


def verdict(p_hug: float) -> str:
    """The slides' "should I hug it?" sentence for one image.

    A two-class model gives the probability ``p_hug`` that an image is something to hug.
    The verdict is the more probable answer (:data:`HUG` or :data:`DONT`), its **score**
    is that answer's probability, ``max(p_hug, 1 - p_hug)`` (so at least 0.5), and the
    confidence is put into words as in the slides: "we're pretty sure" from a score of
    :data:`PRETTY_SURE` on, else "we're somewhat sure". The slides' examples: 0.695779
    (somewhat sure), 0.778686 and 0.999875 (pretty sure). Used by 07_transfer_learning
    (drawn by :func:`nnlib.figures.show_verdicts`).

    Parameters
    ----------
    p_hug : float in [0, 1]
        Probability of "hug it". Ties (0.5) go to "hug it".

    Returns
    -------
    str
        e.g. ``"Don't hug that. Please. With a score of 0.999875, we're pretty sure."``

    Raises
    ------
    ValueError
        If ``p_hug`` is not in [0, 1] (NaN included).
    """
    p_hug = float(p_hug)
    if not 0.0 <= p_hug <= 1.0:
        raise ValueError(f"p_hug must be a probability, got {p_hug}")
    hug = p_hug >= 0.5
    score = p_hug if hug else 1.0 - p_hug
    sure = "pretty sure" if score >= PRETTY_SURE else "somewhat sure"
    return f"{HUG if hug else DONT} With a score of {score:.6f}, we're {sure}."
