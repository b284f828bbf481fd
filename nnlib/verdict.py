"""The slides' "should I hug it?" verdict, as a sentence and as a figure (07_transfer_learning).

A two-class model gives the probability ``p_hug`` that an image is something to hug.
The verdict is the more probable answer, its **score** is that answer's probability
(``max(p_hug, 1 - p_hug)``, so at least 0.5), and the confidence is put into words as in
the slides: "we're pretty sure" from a score of :data:`PRETTY_SURE` on, else "we're
somewhat sure". The slides' examples: 0.695779 (somewhat sure), 0.778686 and 0.999875
(pretty sure).
"""

from __future__ import annotations

import numpy as np

HUG = "Go for it! Hug it out."
DONT = "Don't hug that. Please."
#: Score from which the verdict says "we're pretty sure".
PRETTY_SURE = 0.75


def verdict(p_hug: float) -> str:
    """The slides' sentence for one image.

    Parameters
    ----------
    p_hug : float in [0, 1]
        Probability of "hug it". Ties (0.5) go to "hug it".

    Returns
    -------
    str
        e.g. ``"Don't hug that. Please. With a score of 0.999875, we're pretty sure."``
    """
    p_hug = float(p_hug)
    if not 0.0 <= p_hug <= 1.0:
        raise ValueError(f"p_hug must be a probability, got {p_hug}")
    hug = p_hug >= 0.5
    score = p_hug if hug else 1.0 - p_hug
    sure = "pretty sure" if score >= PRETTY_SURE else "somewhat sure"
    return f"{HUG if hug else DONT} With a score of {score:.6f}, we're {sure}."


def show_verdicts(images, p_hug, truth=None, ncols: int = 4, title: str = "Your specialised huggable recommendation"):
    """Show images with the verdict under each, as in the slides.

    Parameters
    ----------
    images : ndarray, shape (n, h, w, 3), uint8 0-255 or float in [0, 1]
    p_hug : array_like, shape (n,)
        Probability of "hug it" for each image.
    truth : array_like of int, shape (n,), optional
        True labels (1 hug, 0 don't): a verdict that disagrees is written in red.
    ncols : int
        Images per row.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import textwrap

    import matplotlib.pyplot as plt

    images = np.asarray(images)
    p_hug = np.ravel(np.asarray(p_hug, dtype=float))
    n = len(images)
    if len(p_hug) != n:
        raise ValueError(f"{n} images but {len(p_hug)} scores")
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, 3.6 * nrows), squeeze=False)
    for i, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if i >= n:
            continue
        image = images[i]
        ax.imshow(image if image.dtype == np.uint8 else np.clip(image, 0, 1), interpolation="nearest")
        wrong = truth is not None and int(np.ravel(truth)[i]) != int(p_hug[i] >= 0.5)
        ax.set_title("\n".join(textwrap.wrap(verdict(p_hug[i]), 26)), fontsize=9,
                     color="tab:red" if wrong else "black", y=-0.32)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
