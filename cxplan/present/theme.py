"""The one altair theme of cxplan's charts: print-readable sizes, colour-blind-safe colours.

Every chart that cxplan renders goes through this theme: :func:`cxplan.present.charts.to_svg`
(static SVG for the reports), the planner's widgets (:func:`~cxplan.present.charts.chart_widget`,
:func:`~cxplan.present.charts.update_chart_widget`) and the chart files for slides
(:mod:`cxplan.present.figures`) serialise charts inside :func:`themed`. The chart builders in
:mod:`cxplan.present.charts` say what is drawn; this module says how it looks.

Sizes
-----
Text sizes are chosen for a chart printed on A4: a report page has about 690 CSS px of width
(182 mm between the margins) and a chart is 720 px wide in total (the theme's ``autosize`` fits
axes and labels *inside* the chart width), so it prints at about 0.95 of its size; 12 px axis and
legend labels print at about 11 px (never below 10 px), titles at 15 px.

Colours
-------
:data:`PALETTE` is the Okabe–Ito palette [1]_, designed to stay distinguishable with the common
colour-vision deficiencies (protanopia, deuteranopia, tritanopia); categories take it in order.
:data:`STATUS_COLORS` (met / near / missed / no data) are from the same palette, and the KPI
chart also writes the status as text, so colour is never the only cue.

Numbers
-------
:func:`number_axis` gives every quantitative axis the same label style: plain thousands
(``9,500``) below 10,000 and ``250k``, ``1.2M``, ``3.4B`` above (d3's ``~s`` would write ``G`` for
billions and ``-0.2k`` on small ranges); currency axes carry the currency in the axis title.

References
----------
.. [1] M. Okabe and K. Ito, "Color Universal Design (CUD): how to make figures and
   presentations that are friendly to colorblind people", 2008; B. Wong, "Points of view:
   Color blindness", Nature Methods 8, 441 (2011).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any

import altair as alt
import numpy as np

__all__ = [
    "AMBER",
    "BAD",
    "FONT",
    "FONT_SIZES",
    "GOOD",
    "GREY",
    "HIGH",
    "INK",
    "LOW",
    "OPTION_COLORS",
    "PALETTE",
    "SEQUENTIAL_BLUES",
    "STATUS_COLORS",
    "THEME",
    "enable",
    "number_axis",
    "number_label_expr",
    "register",
    "theme_config",
    "themed",
]

#: Name of the theme in altair's theme registry.
THEME = "cxplan"

#: Font family of every chart text: the generic family, so the SVG references no font file and
#: prints with the report's own sans-serif font.
FONT = "sans-serif"

#: Text sizes in px (see the module notes: readable when printed on A4).
FONT_SIZES: Mapping[str, int] = {
    "title": 15,
    "subtitle": 12,
    "axis_label": 12,
    "axis_title": 12,
    "legend_label": 12,
    "legend_title": 12,
    "text": 12,
}

#: Okabe–Ito categorical colours, in the order categories take them.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)

GOOD = "#009E73"  #: bluish green: target met, P90, surplus
AMBER = "#E69F00"  #: orange: near the target
BAD = "#D55E00"  #: vermillion: missed, P10, shortfall
GREY = "#999999"  #: no data
INK = "#333333"  #: lines and text that are not categories
LOW = "#0072B2"  #: tornado: input at its low value
HIGH = "#E69F00"  #: tornado: input at its high value

#: Light-to-dark blues for ordered bands (tenure bands of the capacity plan); ColorBrewer
#: "Blues", a single-hue ramp readable in grey scale and by every colour-vision type.
SEQUENTIAL_BLUES: tuple[str, ...] = ("#c6dbef", "#6baed6", "#2171b5")

#: KPI status colours (keys are :data:`cxplan.plan.kpi.STATUSES`).
STATUS_COLORS: Mapping[str, str] = {"met": GOOD, "near": AMBER, "missed": BAD, "no data": GREY}

#: Fixed colours of the two pure sourcing options; hybrids take the next palette colours.
OPTION_COLORS: Mapping[str, str] = {"in-house": PALETTE[0], "outsourced": PALETTE[1]}


def theme_config() -> alt.theme.ThemeConfig:
    """Return the theme: fonts, sizes, colours and layout shared by every cxplan chart.

    Returns
    -------
    altair.theme.ThemeConfig
        A top-level spec fragment; altair merges it under each chart's own spec when the theme
        is active (a chart's explicit settings win).
    """
    size = FONT_SIZES
    axis: dict[str, Any] = {
        "labelFontSize": size["axis_label"],
        "titleFontSize": size["axis_title"],
        "titleFontWeight": "normal",
        "labelColor": INK,
        "titleColor": INK,
        "domainColor": "#888888",
        "tickColor": "#888888",
        "gridColor": "#e5e5e5",
        "labelLimit": 320,
    }
    config: dict[str, Any] = {
        "font": FONT,
        "background": "white",
        # room on the right for the last x-axis label, which "fit" does not count
        "padding": {"left": 4, "top": 4, "bottom": 4, "right": 20},
        # width/height are the chart's total size: axes, labels and legends fit inside, so a
        # 720 px chart is 720 px on the page (single and layered views; concatenated charts
        # keep Vega-Lite's "pad", which it applies to them anyway)
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {
            "font": FONT,
            "title": {
                "fontSize": size["title"],
                "subtitleFontSize": size["subtitle"],
                "subtitleColor": "#555555",
                "color": "#1a1a1a",
                "anchor": "start",
                "offset": 8,
            },
            "axis": axis,
            "legend": {
                "labelFontSize": size["legend_label"],
                "titleFontSize": size["legend_title"],
                "titleFontWeight": "normal",
                "labelColor": INK,
                "titleColor": INK,
                "labelLimit": 320,
                "symbolSize": 120,
                # under the plot: the plot keeps the chart's width (a legend on the right
                # takes 150-250 px of a 720 px chart); three entries a row
                "orient": "bottom",
                "direction": "horizontal",
                "columns": 3,
                "columnPadding": 16,
            },
            "header": {"labelFontSize": size["axis_label"], "titleFontSize": size["axis_title"]},
            "text": {"fontSize": size["text"], "font": FONT},
            "range": {"category": list(PALETTE)},
            "view": {"stroke": None},
        },
    }
    return config  # type: ignore[return-value]


_registered: list[bool] = []  # once per process: alt.theme.names() scans entry points (~30 ms)


def register() -> None:
    """Register the theme with altair under :data:`THEME` (idempotent; does not enable it)."""
    if _registered:
        return
    if THEME not in alt.theme.names():
        alt.theme.register(THEME, enable=False)(theme_config)
    _registered.append(True)


def enable() -> None:
    """Register and enable the theme for every chart of this process (e.g. in a notebook).

    cxplan's own renderers do not need this (they use :func:`themed`); it is for charts a user
    builds and displays with altair directly.
    """
    register()
    alt.theme.enable(THEME)


@contextlib.contextmanager
def themed() -> Iterator[None]:
    """Activate the theme while charts are serialised; restores the previous theme after.

    Examples
    --------
    >>> import altair as alt
    >>> with themed():
    ...     spec = alt.Chart().mark_point().to_dict()
    >>> spec["config"]["axis"]["labelFontSize"]
    12
    """
    register()
    with alt.theme.enable(THEME):
        yield


def number_label_expr(decimals: int = 0) -> str:
    """Return a Vega expression for axis labels: ``9,500``, ``250k``, ``1.2M``, ``3.4B``.

    Parameters
    ----------
    decimals : int
        Decimals of values below 10,000 (2 for a cost per hour).

    Examples
    --------
    >>> expr = number_label_expr(2)
    >>> "'B'" in expr and "'M'" in expr and "',.2f'" in expr
    True
    """
    small = f",.{int(decimals)}f"
    return (
        "abs(datum.value) >= 1e9 ? format(datum.value / 1e9, ',.3~f') + 'B' : "
        "abs(datum.value) >= 1e6 ? format(datum.value / 1e6, ',.3~f') + 'M' : "
        "abs(datum.value) >= 1e4 ? format(datum.value / 1e3, ',.3~f') + 'k' : "
        f"format(datum.value, '{small}')"
    )


def number_axis(values: Any = None, *, decimals: int | None = None, **kwargs: Any) -> alt.Axis:
    """Return an axis whose labels follow the one cxplan number style (:func:`number_label_expr`).

    Parameters
    ----------
    values : array_like, optional
        The values on the axis; when all are below 10 in magnitude (shares, small ratios) the
        labels keep Vega's default format with decimals.
    decimals : int, optional
        Decimals below 10,000 (default 0, or Vega's default for small values).
    **kwargs
        Passed to :class:`altair.Axis` (``title``, ``labelAngle``, ...).
    """
    if decimals is None and values is not None:
        arr = np.asarray(values, dtype=float)
        arr = arr[np.isfinite(arr)]
        if arr.size and float(np.abs(arr).max()) < 10:
            return alt.Axis(**kwargs)
    return alt.Axis(labelExpr=number_label_expr(decimals or 0), **kwargs)
