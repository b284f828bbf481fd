"""The report's figures: plain data in, one :class:`matplotlib.figure.Figure` out.

Every function here is pure: it builds a new figure on its own Agg canvas and never
touches :mod:`matplotlib.pyplot` (no current figure, no figure manager, nothing to close),
so building a report leaves matplotlib's global state as it found it. The style (font
sizes, colours) is fixed here, not read from a user's ``matplotlibrc``, so that two runs
draw the same pictures. :func:`to_png` turns a figure into the bytes that the page embeds
and that the command writes next to it.

Text that comes from a CSV (student ids, grade ids) goes through :func:`plain_text` first:
matplotlib would otherwise read ``$...$`` in a student id as mathtext, and fail to draw it.
"""

from __future__ import annotations

import io
import statistics
from collections.abc import Mapping, Sequence

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nncourse.report import STRUGGLE_BELOW

#: Dots per inch of the PNGs; with the sizes below, figures are about 600 to 800 px wide.
DPI = 100
#: Width of every figure, in inches.
WIDTH = 7.0
#: The rc settings every figure is drawn with, whatever the user's matplotlibrc says.
STYLE = {
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "text.usetex": False,
}
BAR_COLOUR = "#4c72b0"
STRUGGLE_COLOUR = "#c44e52"
OK_STATUS = "ok"
#: Bars shown in :func:`slowest_submissions` unless the caller asks for another number.
SLOWEST_SHOWN = 10


def plain_text(text: str) -> str:
    """``text`` as matplotlib must be given it to draw it literally: ``$`` escaped.

    Parameters
    ----------
    text : str
        Any text from a CSV: a student id, a grade id.

    Returns
    -------
    str
        The same text with every ``$`` written ``\\$``, so that no part of it is read as
        mathtext.
    """
    return text.replace("$", r"\$")


def _new_figure(height: float) -> tuple[Figure, "matplotlib.axes.Axes"]:
    """A figure ``WIDTH`` by ``height`` inches on its own Agg canvas, with one axes."""
    figure = Figure(figsize=(WIDTH, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _say_nothing_to_show(axes, message: str) -> None:
    """Write ``message`` in the middle of empty axes (the figure still has its labels)."""
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes, color="#555555")
    axes.set_xticks([])
    axes.set_yticks([])


def _bar_height_inches(bars: int) -> float:
    """The height of a horizontal bar chart with ``bars`` bars: readable, never tiny."""
    return max(2.6, 0.9 + 0.32 * bars)


def _histogram_edges(top: float) -> list[float]:
    """Bin edges from 0 to ``top`` points: one bin per point, centred on it, when ``top`` is
    a whole number up to 20 (so that 9 and 10 of 10 fall in different bins), else 10 bins."""
    if float(top).is_integer() and 1 <= top <= 20:
        return [k - 0.5 for k in range(int(top) + 2)]
    return [top * k / 10 for k in range(11)]


def score_histogram(scores: Sequence[float], max_score: float, title: str) -> Figure:
    """Histogram of the class's scores, with the mean and the median marked.

    Parameters
    ----------
    scores : sequence of float
        One score per submission, in points (after any late penalty).
    max_score : float
        The assignment's total: the x axis runs from 0 to it.
    title : str
        The figure's title.

    Returns
    -------
    matplotlib.figure.Figure
        The histogram; a figure that says "no submissions" when ``scores`` is empty.
    """
    with matplotlib.rc_context(STYLE):
        figure, axes = _new_figure(3.2)
        axes.set_title(plain_text(title))
        axes.set_xlabel("score (points)")
        axes.set_ylabel("submissions")
        if not scores:
            _say_nothing_to_show(axes, "no submissions")
            return figure
        top = max(max_score, max(scores), 1e-9)
        edges = _histogram_edges(top)
        axes.hist(scores, bins=edges, color=BAR_COLOUR, edgecolor="white")
        mean, median = statistics.fmean(scores), statistics.median(scores)
        axes.axvline(mean, color="#222222", linestyle="--", linewidth=1, label=f"mean {mean:.3g}")
        axes.axvline(median, color="#dd8452", linestyle=":", linewidth=1.5, label=f"median {median:.3g}")
        axes.set_xlim(edges[0], edges[-1])
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)  # outside: never over a bar
    return figure


def pass_rates(rates: Mapping[str, float], title: str) -> Figure:
    """Horizontal bars: the share of the class with full marks on each exercise.

    Parameters
    ----------
    rates : mapping of str to float
        Grade id to its pass rate, between 0 and 1, in the order to draw them (top first).
    title : str
        The figure's title.

    Returns
    -------
    matplotlib.figure.Figure
        Bars below :data:`nncourse.report.STRUGGLE_BELOW` are drawn in :data:`STRUGGLE_COLOUR`; a figure
        that says "no per-test scores" when ``rates`` is empty.
    """
    with matplotlib.rc_context(STYLE):
        figure, axes = _new_figure(_bar_height_inches(len(rates)))
        axes.set_title(plain_text(title))
        axes.set_xlabel("students with full marks (%)")
        axes.set_ylabel("exercise (grade id)")
        if not rates:
            _say_nothing_to_show(axes, "no per-test scores")
            return figure
        names = [plain_text(name) for name in rates]
        percents = [100 * rate for rate in rates.values()]
        colours = [STRUGGLE_COLOUR if rate < STRUGGLE_BELOW else BAR_COLOUR for rate in rates.values()]
        positions = range(len(names))
        axes.barh(positions, percents, color=colours)
        axes.set_yticks(positions, names)
        axes.invert_yaxis()
        axes.set_xlim(0, 100)
        for y, percent in zip(positions, percents):
            axes.text(min(percent + 1, 92), y, f"{percent:.0f}%", va="center", fontsize=8)
    return figure


def status_counts(counts: Mapping[str, int], title: str) -> Figure:
    """Bars: how many submissions ended with each status.

    Parameters
    ----------
    counts : mapping of str to int
        Status (see :class:`nncourse.grading.status.Status`) to its number of submissions,
        in the order to draw them.
    title : str
        The figure's title.

    Returns
    -------
    matplotlib.figure.Figure
        ``ok`` in the plain bar colour, every other status in :data:`STRUGGLE_COLOUR`; a
        figure that says "no submissions" when ``counts`` is empty.
    """
    with matplotlib.rc_context(STYLE):
        figure, axes = _new_figure(_bar_height_inches(len(counts)))
        axes.set_title(plain_text(title))
        axes.set_xlabel("submissions")
        axes.set_ylabel("status")
        if not counts:
            _say_nothing_to_show(axes, "no submissions")
            return figure
        names = [plain_text(name) for name in counts]
        colours = [BAR_COLOUR if name == OK_STATUS else STRUGGLE_COLOUR for name in counts]
        positions = range(len(names))
        axes.barh(positions, list(counts.values()), color=colours)
        axes.set_yticks(positions, names)
        axes.invert_yaxis()
        axes.xaxis.get_major_locator().set_params(integer=True)
        for y, count in zip(positions, counts.values()):
            axes.text(count, y, f" {count}", va="center", fontsize=8)
        axes.set_xlim(0, max(counts.values()) * 1.15 + 0.5)
    return figure


def slowest_submissions(seconds: Mapping[str, float], title: str, shown: int = SLOWEST_SHOWN) -> Figure:
    """Horizontal bars: the grading time of the slowest submissions, slowest on top.

    Parameters
    ----------
    seconds : mapping of str to float
        Student id to the wall time its grading took, in seconds. Zero means nothing ran
        (no notebook, say): those are left out.
    title : str
        The figure's title.
    shown : int, optional
        How many of the slowest submissions to draw.

    Returns
    -------
    matplotlib.figure.Figure
        The bars; a figure that says "nothing was run" when no submission took any time.
    """
    ran = sorted(((s, t) for s, t in seconds.items() if t > 0), key=lambda item: (-item[1], item[0]))[:shown]
    with matplotlib.rc_context(STYLE):
        figure, axes = _new_figure(_bar_height_inches(len(ran)))
        axes.set_title(plain_text(title))
        axes.set_xlabel("grading time (s)")
        axes.set_ylabel("student")
        if not ran:
            _say_nothing_to_show(axes, "nothing was run")
            return figure
        positions = range(len(ran))
        axes.barh(positions, [t for _, t in ran], color=BAR_COLOUR)
        axes.set_yticks(positions, [plain_text(s) for s, _ in ran])
        axes.invert_yaxis()
        for y, (_, t) in zip(positions, ran):
            axes.text(t, y, f" {t:.1f}", va="center", fontsize=8)
        axes.set_xlim(0, max(t for _, t in ran) * 1.15)
    return figure


def to_png(figure: Figure) -> bytes:
    """The figure drawn as a PNG, at :data:`DPI`.

    Parameters
    ----------
    figure : matplotlib.figure.Figure

    Returns
    -------
    bytes
        The PNG file's bytes; no date or software version is written into it, so the
        same figure always gives the same bytes.
    """
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
