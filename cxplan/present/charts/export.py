"""Rendering: static SVG through vl-convert for reports, offline widgets for the planner."""

from __future__ import annotations

import functools
import hashlib
import html
import importlib.metadata
import importlib.util
import re
from collections.abc import Callable
from typing import Any, Literal

import altair as alt

from cxplan.errors import InputError, ReportError
from cxplan.present import theme
from cxplan.present.charts._common import TopLevelChart, _label

__all__ = [
    "chart_widget",
    "enable_offline",
    "svg_html",
    "to_svg",
    "update_chart_widget",
    "vegalite_version",
]

# ---------------------------------------------------------------------------------------------
# static SVG and offline rendering
# ---------------------------------------------------------------------------------------------

Backend = Literal["auto", "widget", "svg"]
OfflineMode = Literal["auto", "widget", "inline", "svg"]


@functools.cache
def vegalite_version() -> str:
    """Vega-Lite version (``"6.4"``) vl-convert renders with: the one altair's schema targets.

    Raises
    ------
    ReportError
        If the installed vl-convert does not bundle that Vega-Lite version.
    """
    import vl_convert as vlc

    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    available = list(vlc.get_vegalite_versions())
    if major_minor not in available:
        installed = importlib.metadata.version("vl-convert-python")
        raise ReportError(
            f"vl-convert {installed} does not bundle Vega-Lite {major_minor} "
            f"(altair {alt.__version__}'s schema); it has {available}: upgrade vl-convert-python"
        )
    return major_minor


def _check_chart(chart: Any) -> None:
    if not isinstance(chart, alt.TopLevelMixin):
        raise InputError(f"chart must be an altair chart (got {type(chart).__name__})")


def to_svg(chart: TopLevelChart) -> str:
    """Render a chart to a static, deterministic SVG string with vl-convert.

    Parameters
    ----------
    chart : altair chart
        Any top-level chart (e.g. from the builders in this module).

    Returns
    -------
    str
        The SVG document. The same chart gives byte-identical output; text uses the generic
        ``sans-serif`` family (no web fonts) and external data URLs are refused, so the SVG
        references nothing outside itself (only the SVG/XLink namespace names contain
        ``http://``).

    Raises
    ------
    InputError
        If ``chart`` is not an altair chart.
    ReportError
        If vl-convert cannot render it (the message carries vl-convert's).

    Notes
    -----
    Rendered with the Vega-Lite version of altair's schema (:func:`vegalite_version`),
    ``en-US`` number and time formats, and ``allowed_base_urls=[]`` (inline data only).
    vl-convert numbers clip paths from a process-wide counter; ids are renumbered in order of
    appearance so repeated renders are identical.

    Examples
    --------
    >>> from cxplan.present.charts import cashflow_chart
    >>> svg = to_svg(cashflow_chart([-100, 60, 60]))
    >>> svg.startswith("<svg") and svg == to_svg(cashflow_chart([-100, 60, 60]))
    True
    """
    import vl_convert as vlc

    _check_chart(chart)
    with theme.themed():
        spec = chart.to_json(indent=None)
    try:
        svg = vlc.vegalite_to_svg(
            spec,
            vl_version=vegalite_version(),
            allowed_base_urls=[],
            format_locale="en-US",
            time_format_locale="en-US",
        )
    except ValueError as exc:
        raise ReportError(f"vl-convert could not render the chart: {exc}") from exc
    # vl-convert numbers clip paths from a process-wide counter (clip1, then clip3, ...), so
    # the same chart would differ between calls: renumber ids by order of appearance.
    return _rename_ids(svg, lambda i, old: f"{_ID_STEM.sub('', old)}{i + 1}")


_ID = re.compile(r'\bid="([^"]+)"')
_ID_STEM = re.compile(r"\d+$")


def _rename_ids(svg: str, rename: Callable[[int, str], str]) -> str:
    """Rename every ``id`` and its ``url(#id)`` / ``href="#id"`` references in one pass."""
    ids = list(dict.fromkeys(_ID.findall(svg)))
    if not ids:
        return svg
    mapping = {old: rename(i, old) for i, old in enumerate(ids)}
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    pattern = re.compile(r'(\bid="|url\(#|href="#)(' + alternatives + r')(?=[")])')
    return pattern.sub(lambda m: m.group(1) + mapping[m.group(2)], svg)


def svg_html(chart: TopLevelChart, *, css_class: str = "cxplan-chart") -> str:
    """Inline-SVG HTML fragment of a chart, safe to place with other charts on one page.

    Parameters
    ----------
    chart : altair chart
        The chart to render (via :func:`to_svg`).
    css_class : str
        Class of the wrapping ``<figure>``.

    Returns
    -------
    str
        ``<figure class="..." role="img" aria-label="<title>"><svg …></figure>``. Element ids
        in the SVG (vl-convert names clip paths ``clip1``, ``clip2``, … in every SVG) are
        prefixed with a hash of the SVG, so several charts in one HTML document do not clip
        each other; the result is still deterministic. Display it in a notebook with
        ``IPython.display.HTML(svg_html(chart))``.
    """
    _label("css_class", css_class)
    svg = to_svg(chart)
    prefix = "cx" + hashlib.sha256(svg.encode("utf-8")).hexdigest()[:10] + "-"
    svg = _rename_ids(svg, lambda _, old: prefix + old)
    title = chart.to_dict(validate=False).get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    label = html.escape(str(title), quote=True)
    return (
        f'<figure class="{html.escape(css_class, quote=True)}" role="img" '
        f'aria-label="{label}" style="margin:0">{svg}</figure>'
    )


def _has_anywidget() -> bool:
    return importlib.util.find_spec("anywidget") is not None


def enable_offline(mode: OfflineMode = "auto") -> str:
    """Configure altair to render charts in JupyterLab without a network connection.

    Call it explicitly from the planner notebook (importing :mod:`cxplan.present.charts` changes
    nothing). Altair's default renderer loads Vega from a CDN and shows blank charts offline.

    Parameters
    ----------
    mode : {"auto", "widget", "inline", "svg"}
        ``"widget"``: ``alt.JupyterChart.enable_offline()`` and the ``jupyter`` renderer
        (interactive, Vega bundled from vl-convert, ~0.9 MB of JavaScript per chart; needs the
        ``anywidget`` package). ``"inline"``: the HTML renderer with the ``inline`` template
        (interactive tooltips, the same bundle written into each output). ``"svg"``: static
        SVG through vl-convert (smallest, no interaction). ``"auto"``: ``"widget"`` when
        anywidget is installed, else ``"inline"``.

    Returns
    -------
    str
        The mode enabled (``"widget"``, ``"inline"`` or ``"svg"``).

    Raises
    ------
    InputError
        An unknown mode, or ``"widget"`` without anywidget installed.

    Notes
    -----
    JupyterLab's built-in Vega-Lite (``mimetype``) renderer predates Vega-Lite 6, so it is
    never chosen. Undo with ``alt.renderers.enable("default")``.
    """
    if mode not in ("auto", "widget", "inline", "svg"):
        raise InputError(f"mode must be 'auto', 'widget', 'inline' or 'svg' (got {mode!r})")
    if mode == "auto":
        mode = "widget" if _has_anywidget() else "inline"
    if mode == "widget":
        if not _has_anywidget():
            raise InputError("mode='widget' needs the anywidget package (pip install anywidget)")
        alt.JupyterChart.enable_offline(offline=True)
        alt.renderers.enable("jupyter", offline=True)
    elif mode == "inline":
        alt.renderers.enable("html", template="inline")
    else:
        vegalite_version()
        alt.renderers.enable("svg")
    return mode


def chart_widget(chart: TopLevelChart, *, backend: Backend = "auto") -> Any:
    """One long-lived widget for a chart in the live planner; update it in place.

    Parameters
    ----------
    chart : altair chart
        The initial chart.
    backend : {"auto", "widget", "svg"}
        ``"widget"``: an offline :class:`altair.JupyterChart` (interactive; needs anywidget).
        ``"svg"``: an :class:`ipywidgets.HTML` holding :func:`svg_html` (static, deterministic,
        works anywhere ipywidgets does). ``"auto"``: ``"widget"`` when anywidget is installed.

    Returns
    -------
    altair.JupyterChart or ipywidgets.HTML
        Put it in the planner layout once; call :func:`update_chart_widget` on every change
        instead of creating a new widget (domain notes: keep one JupyterChart per chart).

    Raises
    ------
    InputError
        A bad backend, ``"widget"`` without anywidget, or ``chart`` not an altair chart.
    """
    _check_chart(chart)
    if backend not in ("auto", "widget", "svg"):
        raise InputError(f"backend must be 'auto', 'widget' or 'svg' (got {backend!r})")
    if backend == "auto":
        backend = "widget" if _has_anywidget() else "svg"
    if backend == "widget":
        if not _has_anywidget():
            raise InputError("backend='widget' needs the anywidget package (pip install anywidget)")
        alt.JupyterChart.enable_offline(offline=True)
        with theme.themed():  # the widget serialises the chart when it is created
            return alt.JupyterChart(chart)
    import ipywidgets

    return ipywidgets.HTML(value=svg_html(chart))


def update_chart_widget(widget: Any, chart: TopLevelChart) -> None:
    """Show a new chart in a widget made by :func:`chart_widget` (no new widget is created).

    Parameters
    ----------
    widget : altair.JupyterChart or ipywidgets.HTML
        The widget from :func:`chart_widget`.
    chart : altair chart
        The chart to show.

    Raises
    ------
    InputError
        If ``widget`` did not come from :func:`chart_widget` or ``chart`` is not a chart.
    """
    _check_chart(chart)
    if _has_anywidget() and isinstance(widget, alt.JupyterChart):
        if getattr(chart, "params", alt.Undefined) in (alt.Undefined, None, []):
            # No selections to wire up: hand the spec over directly. Skipping altair's schema
            # validation (the charts here are built by tested code) makes an update ~5x cheaper.
            with theme.themed():
                widget.spec = chart.to_dict(validate=False)
        else:
            with theme.themed():
                widget.chart = chart  # the widget re-renders in place
        return
    import ipywidgets

    if not isinstance(widget, ipywidgets.HTML):
        raise InputError(f"widget must come from chart_widget (got {type(widget).__name__})")
    widget.value = svg_html(chart)
