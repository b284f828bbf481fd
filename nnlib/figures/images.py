"""Figures of images: pictures, convolution filters, feature maps, and classifications.

Every function draws with matplotlib and returns its Axes (or Figure); none computes a
convolution or a pooling (those are 06_cnn's exercises): a notebook passes the arrays it
computed. The numbers they show come from :mod:`nnlib.metrics`
(:func:`~nnlib.metrics.confusion_matrix`, :func:`~nnlib.metrics.verdict`).
Used by 06_cnn and 07_transfer_learning.
"""

from __future__ import annotations

import textwrap
from typing import Sequence

import numpy as np

from nnlib.figures.axes import finish, get_axes, panel_grid
from nnlib.metrics import verdict


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
    panel_size : float
        Width and height of one panel, in inches.
    suptitle : str, optional
        The figure's title.
    same_scale : bool
        Draw every grey image on the colour scale of the whole set (compare intensities)
        instead of stretching each one to its own range (see its shapes).

    Returns
    -------
    ndarray of Axes, shape (len(images),)
        Panel ``i`` shows image ``i`` (``ax.get_images()[0]``), without ticks.
    """
    images = [np.asarray(im) for im in images]
    images = [im[..., 0] if im.ndim == 3 and im.shape[-1] == 1 else im for im in images]
    fig, axes = panel_grid(len(images), ncols, panel_size, ticks=False, title_room=0.3)
    lo = min(float(im.min()) for im in images) if same_scale else None
    hi = max(float(im.max()) for im in images) if same_scale else None
    for i, (ax, im) in enumerate(zip(axes, images)):
        if im.ndim == 2:
            ax.imshow(im, cmap=cmap, vmin=lo, vmax=hi)
        else:
            ax.imshow(im)
        if titles is not None:
            ax.set_title(titles[i], fontsize=9)
    finish(fig, suptitle)
    return axes


def _array_of_shape(values, name: str, shape: str) -> np.ndarray:
    """``values`` as an array with as many axes as ``shape`` (e.g. ``"(h, w, N)"``) names.

    Raises
    ------
    ValueError
        Naming the expected and the actual shape.
    """
    array = np.asarray(values)
    if array.ndim != shape.count(",") + 1:
        raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
    return array


def plot_filters(kernels, channel: int = 0, ncols: int = 8, suptitle: str | None = None):
    """Draw convolution filters, blue for negative weights and red for positive ones.

    Parameters
    ----------
    kernels : ndarray, shape (f, f, c, N)
        Keras' layout of a ``Conv2D`` kernel (``layer.get_weights()[0]``): f x f
        weights, c input channels, N filters.
    channel : int
        Input channel to draw (a first layer on grey images has only channel 0).
    ncols : int
        Panels per row.
    suptitle : str, optional
        The figure's title.

    Returns
    -------
    ndarray of Axes, shape (N,)
        Every filter on the same symmetric colour scale, so that 0 is white.

    Raises
    ------
    ValueError
        If ``kernels`` is not 4-D.
    """
    kernels = _array_of_shape(kernels, "kernels", "(f, f, c, N)")
    bound = float(np.abs(kernels[:, :, channel, :]).max()) or 1.0
    n_filters = kernels.shape[-1]
    fig, axes = panel_grid(n_filters, ncols, 1.3, ticks=False, title_room=0.3)
    for k, ax in enumerate(axes):
        ax.imshow(kernels[:, :, channel, k], cmap="bwr", vmin=-bound, vmax=bound)
        ax.set_title(f"filter {k}", fontsize=9)
    finish(fig, suptitle)
    return axes


def plot_feature_maps(maps, ncols: int = 8, suptitle: str | None = None, cmap: str = "viridis"):
    """Draw the N feature maps of one image, one panel per filter.

    Parameters
    ----------
    maps : ndarray, shape (h, w, N)
        One image's output of a convolution layer (drop the batch axis first).
    ncols : int
        Panels per row.
    suptitle : str, optional
        The figure's title.
    cmap : str
        Colour map; each map is stretched to its own range.

    Returns
    -------
    ndarray of Axes, shape (N,)

    Raises
    ------
    ValueError
        If ``maps`` is not 3-D.
    """
    maps = _array_of_shape(maps, "maps", "(h, w, N)")
    return show_images([maps[:, :, k] for k in range(maps.shape[-1])],
                       titles=[f"map {k}" for k in range(maps.shape[-1])],
                       ncols=ncols, cmap=cmap, suptitle=suptitle)


def plot_confusion_matrix(cm, class_names: Sequence[str] | None = None, ax=None, title: str | None = None):
    """Draw a confusion matrix with its counts (rows: true class, columns: predicted).

    Parameters
    ----------
    cm : ndarray of int, shape (k, k)
        As returned by :func:`nnlib.metrics.confusion_matrix`.
    class_names : sequence of str, length k, optional
        Tick labels; default ``"0"``, ..., ``str(k - 1)``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure otherwise.
    title : str, optional
        Default: "Confusion matrix (accuracy ...)", the accuracy being
        ``trace(cm) / sum(cm)``.

    Returns
    -------
    Axes
        Each non-zero count is written in its cell (``ax.texts``).
    """
    cm = np.asarray(cm)
    k = cm.shape[0]
    names = [str(i) for i in range(k)] if class_names is None else list(class_names)
    ax = get_axes(ax, figsize=(0.5 * k + 2, 0.5 * k + 1.6))
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
    ncols : int
        Panels per row.
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


def show_verdicts(images, p_hug, truth=None, ncols: int = 4, title: str = "Your specialised huggable recommendation"):
    """Show images with the slides' "should I hug it?" verdict under each.

    Parameters
    ----------
    images : ndarray, shape (n, h, w, 3), uint8 0-255 or float in [0, 1]
    p_hug : array_like, shape (n,)
        Probability of "hug it" for each image; the caption is
        :func:`nnlib.metrics.verdict` of it.
    truth : array_like of int, shape (n,), optional
        True labels (1 hug, 0 don't): a verdict that disagrees is written in red.
    ncols : int
        Images per row.
    title : str
        The figure's title.

    Returns
    -------
    matplotlib.figure.Figure
        Its first ``n`` Axes hold the images, in order.

    Raises
    ------
    ValueError
        If there are not as many scores as images.
    """
    images = np.asarray(images)
    p_hug = np.ravel(np.asarray(p_hug, dtype=float))
    n = len(images)
    if len(p_hug) != n:
        raise ValueError(f"{n} images but {len(p_hug)} scores")
    fig, axes = panel_grid(n, ncols, (3.2, 3.6), frame=False)
    for i, ax in enumerate(axes):
        image = images[i]
        ax.imshow(image if image.dtype == np.uint8 else np.clip(image, 0, 1), interpolation="nearest")
        wrong = truth is not None and int(np.ravel(truth)[i]) != int(p_hug[i] >= 0.5)
        ax.set_title("\n".join(textwrap.wrap(verdict(p_hug[i]), 26)), fontsize=9,
                     color="tab:red" if wrong else "black", y=-0.32)
    finish(fig, title)
    # tight_layout leaves no room for captions below the images: make it between rows and at the bottom
    fig.subplots_adjust(hspace=0.45, bottom=1.0 / fig.get_size_inches()[1])
    return fig
