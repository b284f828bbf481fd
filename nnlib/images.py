"""Figures of images, filters and classifications, used by 06_cnn (and 07_transfer_learning).

Every function draws with matplotlib and returns its Axes; none computes a convolution or
a pooling (those are 06_cnn's exercises): a notebook passes the arrays it computed.
:func:`confusion_matrix` counts predictions; it needs NumPy only.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np


def _grid(n_panels: int, ncols: int, panel_size: float):
    """A figure with ``n_panels`` Axes (no ticks) on rows of at most ``ncols``."""
    import matplotlib.pyplot as plt

    ncols = max(1, min(ncols, n_panels))
    nrows = int(np.ceil(n_panels / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_size * ncols, panel_size * nrows + 0.3), squeeze=False)
    axes = axes.ravel()
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes[n_panels:]:
        ax.set_visible(False)
    return fig, axes[:n_panels]


def show_images(
    images,
    titles: Sequence[str] | None = None,
    ncols: int = 8,
    cmap: str = "gray",
    panel_size: float = 1.6,
    suptitle: str | None = None,
    same_scale: bool = False,
):
    """Show images side by side, one panel each.

    Parameters
    ----------
    images : sequence of ndarray, each (h, w) or (h, w, 1) grey, or (h, w, 3) colour
        The images may differ in size (e.g. an image and its smaller feature maps).
    titles : sequence of str, optional
        One title per image.
    ncols : int
        Panels per row.
    cmap : str
        Colour map of grey images.
    same_scale : bool
        Draw every grey image on the colour scale of the whole set (compare intensities)
        instead of stretching each one to its own range (see its shapes).

    Returns
    -------
    ndarray of Axes, shape (len(images),)
    """
    images = [np.asarray(im) for im in images]
    images = [im[..., 0] if im.ndim == 3 and im.shape[-1] == 1 else im for im in images]
    fig, axes = _grid(len(images), ncols, panel_size)
    lo = min(float(im.min()) for im in images) if same_scale else None
    hi = max(float(im.max()) for im in images) if same_scale else None
    for i, (ax, im) in enumerate(zip(axes, images)):
        if im.ndim == 2:
            ax.imshow(im, cmap=cmap, vmin=lo, vmax=hi)
        else:
            ax.imshow(im)
        if titles is not None:
            ax.set_title(titles[i], fontsize=9)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return axes


def plot_filters(kernels, channel: int = 0, ncols: int = 8, suptitle: str | None = None):
    """Draw convolution filters, blue for negative weights and red for positive ones.

    Parameters
    ----------
    kernels : ndarray, shape (f, f, c, N)
        Keras' layout of a ``Conv2D`` kernel (``layer.get_weights()[0]``).
    channel : int
        Input channel to draw (a first layer on grey images has only channel 0).

    Returns
    -------
    ndarray of Axes, shape (N,)
        Every filter on the same symmetric colour scale, so that 0 is white.
    """
    kernels = np.asarray(kernels)
    if kernels.ndim != 4:
        raise ValueError(f"kernels must have shape (f, f, c, N), got {kernels.shape}")
    bound = float(np.abs(kernels[:, :, channel, :]).max()) or 1.0
    n_filters = kernels.shape[-1]
    fig, axes = _grid(n_filters, ncols, 1.3)
    for k, ax in enumerate(axes):
        ax.imshow(kernels[:, :, channel, k], cmap="bwr", vmin=-bound, vmax=bound)
        ax.set_title(f"filter {k}", fontsize=9)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return axes


def plot_feature_maps(maps, ncols: int = 8, suptitle: str | None = None, cmap: str = "viridis"):
    """Draw the N feature maps of one image, one panel per filter.

    Parameters
    ----------
    maps : ndarray, shape (h, w, N)
        One image's output of a convolution layer (drop the batch axis first).

    Returns
    -------
    ndarray of Axes, shape (N,)
    """
    maps = np.asarray(maps)
    if maps.ndim != 3:
        raise ValueError(f"maps must have shape (h, w, N), got {maps.shape}")
    return show_images([maps[:, :, k] for k in range(maps.shape[-1])],
                       titles=[f"map {k}" for k in range(maps.shape[-1])],
                       ncols=ncols, cmap=cmap, suptitle=suptitle)


def confusion_matrix(y_true, y_pred, n_classes: int | None = None) -> np.ndarray:
    """Count the predictions of each class: ``cm[i, j]`` = examples of class i predicted j.

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
    """
    y_true = np.asarray(y_true, dtype=np.int64).ravel()
    y_pred = np.asarray(y_pred, dtype=np.int64).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError("y_true and y_pred must have the same length")
    k = int(max(y_true.max(initial=-1), y_pred.max(initial=-1)) + 1) if n_classes is None else n_classes
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (y_true, y_pred), 1)
    return cm


def plot_confusion_matrix(cm, class_names: Sequence[str] | None = None, ax=None, title: str | None = None):
    """Draw a confusion matrix with its counts (rows: true class, columns: predicted).

    Parameters
    ----------
    cm : ndarray of int, shape (k, k)
        As returned by :func:`confusion_matrix`.

    Returns
    -------
    Axes
    """
    import matplotlib.pyplot as plt

    cm = np.asarray(cm)
    k = cm.shape[0]
    names = [str(i) for i in range(k)] if class_names is None else list(class_names)
    if ax is None:
        _, ax = plt.subplots(figsize=(0.5 * k + 2, 0.5 * k + 1.6))
    ax.imshow(cm, cmap="Blues")
    threshold = cm.max() / 2 if cm.size else 0
    for i in range(k):
        for j in range(k):
            if cm[i, j]:
                ax.text(j, i, str(cm[i, j]), ha="center", va="center", fontsize=8,
                        color="white" if cm[i, j] > threshold else "black")
    ax.set_xticks(range(k), names)
    ax.set_yticks(range(k), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    accuracy = np.trace(cm) / cm.sum() if cm.sum() else float("nan")
    ax.set_title(title or f"Confusion matrix (accuracy {accuracy:.1%})")
    return ax


def plot_misclassified(images, y_true, y_pred, max_images: int = 24, ncols: int = 8, probabilities=None):
    """Show the first misclassified images with their true and predicted labels.

    Parameters
    ----------
    images : ndarray, shape (n, h, w) or (n, h, w, 1)
    y_true, y_pred : array_like of int, shape (n,)
    max_images : int
        At most this many panels.
    probabilities : ndarray, shape (n, k), optional
        The model's outputs; the title then adds the probability of the predicted class.

    Returns
    -------
    ndarray of Axes, shape (min(max_images, number of errors),), empty when there is none
    """
    y_true = np.asarray(y_true).ravel()
    y_pred = np.asarray(y_pred).ravel()
    wrong = np.flatnonzero(y_true != y_pred)[:max_images]
    if len(wrong) == 0:
        return np.array([])
    titles = []
    for i in wrong:
        title = f"true {y_true[i]}, said {y_pred[i]}"
        if probabilities is not None:
            title += f"\n(p = {np.asarray(probabilities)[i, y_pred[i]]:.2f})"
        titles.append(title)
    return show_images([np.asarray(images)[i] for i in wrong], titles=titles, ncols=ncols, panel_size=1.5)
