"""Figures the notebooks draw, by what they show. Each function returns what it drew on.

========================= ===================================== =========================
module                    functions                             notebooks
========================= ===================================== =========================
:mod:`.curves`            :func:`plot_curves` (a metric over    03, 04, 05
                          training: several runs, training vs
                          validation, smoothing)
:mod:`.weights`           :func:`plot_weight_histograms`        05
:mod:`.functions`         :func:`plot_functions`                01
:mod:`.boundaries`        :func:`plot_decision_boundary`        01
:mod:`.network`           :func:`plot_network`                  02
:mod:`.images`            :func:`show_images`,                  06, 07
                          :func:`plot_filters`,
                          :func:`plot_feature_maps`,
                          :func:`plot_confusion_matrix`,
                          :func:`plot_misclassified`,
                          :func:`show_verdicts`
========================= ===================================== =========================

They all get their Axes from :mod:`nnlib.figures.axes` (one Axes, or a grid of panels).
They take plain callables and arrays (the student's own functions, the arrays a notebook
computed) and compute nothing an exercise asks for; the numbers they show come from
:mod:`nnlib.metrics`. matplotlib is imported when a figure is drawn, not on import.
"""

from nnlib.figures.boundaries import plot_decision_boundary
from nnlib.figures.curves import plot_curves
from nnlib.figures.functions import plot_functions
from nnlib.figures.images import (
    plot_confusion_matrix,
    plot_feature_maps,
    plot_filters,
    plot_misclassified,
    show_images,
    show_verdicts,
)
from nnlib.figures.network import plot_network
from nnlib.figures.weights import plot_weight_histograms

__all__ = [
    "plot_confusion_matrix",
    "plot_curves",
    "plot_decision_boundary",
    "plot_feature_maps",
    "plot_filters",
    "plot_functions",
    "plot_misclassified",
    "plot_network",
    "plot_weight_histograms",
    "show_images",
    "show_verdicts",
]
