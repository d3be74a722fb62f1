"""Altair chart builders for the live planner and the static reports.

Every builder takes a table produced by a model module and returns an altair chart (``Chart``,
``LayerChart`` or ``VConcatChart``) with a title, axis titles that carry units, tooltips, the
shared colour scheme below and ``width`` / ``height`` arguments. The same chart serves both
front ends:

- **static reports**: :func:`to_svg` renders it with vl-convert to a deterministic SVG string
  (same input, byte-identical output; no external references), :func:`svg_html` wraps it for
  inline embedding in an HTML report or ``IPython.display.HTML``;
- **live planner**: :func:`enable_offline` configures altair so charts render in JupyterLab
  without a network connection, and :func:`chart_widget` / :func:`update_chart_widget` keep one
  widget per chart that is updated in place rather than rebuilt.

Nothing is configured at import time: the planner notebook calls :func:`enable_offline`.

Modules (every public name is re-exported here: ``from cxplan.present import charts``):
``staffing`` (:func:`staffing_chart`, :func:`weekly_fte_chart`), ``costs``
(:func:`cost_comparison_chart`, :func:`cost_mix_chart`, :func:`crossover_chart`),
``business_case`` (:func:`cashflow_chart`, :func:`tornado_chart`, :func:`histogram_chart`,
:func:`portfolio_chart`), ``plan`` (:func:`gantt_chart`, :func:`capacity_chart`), ``kpi``
(:func:`kpi_chart`), ``export`` (:func:`to_svg`, :func:`svg_html`, :func:`enable_offline`,
:func:`chart_widget`, :func:`update_chart_widget`, :func:`vegalite_version`), ``parts``
(:class:`ChartParts`, :func:`chart_builder`: the planner's four builders also give their chart
as tables and layout, ``staffing_chart.parts(...)``, which the planner serialises reusing the
layout) and ``_common`` (argument checks, colours, :data:`MAX_ROWS`). Data shaping that is
domain work lives in the domain layers: the typical-week fold in
:mod:`cxplan.workforce.typical_week`, percentiles of a histogram in
:func:`cxplan.economics.risk.histogram_percentile`.

Data size and determinism
-------------------------
Each chart embeds its data inline (altair's ``datasets``, named by a hash of the content, so no
random ids). No dataset holds more than :data:`MAX_ROWS` rows: interval staffing is aggregated to
a typical week (coarser slots if needed), long curves are thinned evenly, and the other builders
reject inputs that would exceed the cap with an :class:`~cxplan.errors.InputError` saying how to
aggregate. Rows are sorted; dates are written as UTC ISO strings and drawn on UTC scales, so the
output does not depend on the machine's time zone.

Styling
-------
Fonts, text sizes, legend placement, the colour palette and the axis number style live in one
altair theme, :mod:`cxplan.present.theme`; :func:`to_svg` and the planner widgets serialise every
chart inside :func:`cxplan.present.theme.themed`, so the builders here only say what is drawn.
:data:`PALETTE` (Okabe-Ito, colour-blind safe) colours categories in a fixed order (sourcing
options always ``in-house`` then ``outsourced`` then the hybrids, cost components in
:data:`cxplan.economics.costs.COST_COMPONENTS` order); :data:`STATUS_COLORS` for good / near / bad.

References
----------
.. [1] ``shared/reference/domain-notes.md``, "Jupyter tooling pitfalls": altair 6's default
   renderer loads Vega from a CDN (blank offline); offline options (``JupyterChart``
   offline mode, the inline HTML template, vl-convert SVG); JupyterLab's built-in Vega-Lite
   renderer predates Vega-Lite 6 (so the ``mimetype`` renderer is not used); a few thousand rows
   per chart; one ``JupyterChart`` per chart, updated in place.
.. [2] altair 6 ``JupyterChart.enable_offline`` and the ``"inline"`` HTML template; vl-convert
   ``vegalite_to_svg(spec, vl_version=...)``.
"""

from cxplan.present.charts._common import (
    MAX_ROWS,
    OPTION_COLORS,
    PALETTE,
    STATUS_COLORS,
    TopLevelChart,
)
from cxplan.present.charts.business_case import (
    cashflow_chart,
    histogram_chart,
    portfolio_chart,
    tornado_chart,
)
from cxplan.present.charts.costs import cost_comparison_chart, cost_mix_chart, crossover_chart
from cxplan.present.charts.export import (
    chart_widget,
    enable_offline,
    svg_html,
    to_svg,
    update_chart_widget,
    vegalite_version,
)
from cxplan.present.charts.kpi import kpi_chart
from cxplan.present.charts.parts import ChartBuilder, ChartParts, chart_builder
from cxplan.present.charts.plan import capacity_chart, gantt_chart
from cxplan.present.charts.staffing import staffing_chart, weekly_fte_chart

__all__ = [
    "MAX_ROWS",
    "OPTION_COLORS",
    "PALETTE",
    "STATUS_COLORS",
    "ChartBuilder",
    "ChartParts",
    "TopLevelChart",
    "capacity_chart",
    "cashflow_chart",
    "chart_builder",
    "chart_widget",
    "cost_comparison_chart",
    "cost_mix_chart",
    "crossover_chart",
    "enable_offline",
    "gantt_chart",
    "histogram_chart",
    "kpi_chart",
    "portfolio_chart",
    "staffing_chart",
    "svg_html",
    "to_svg",
    "tornado_chart",
    "update_chart_widget",
    "vegalite_version",
    "weekly_fte_chart",
]
