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

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import importlib.metadata
import importlib.util
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import altair as alt
import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_array
from cxplan.errors import InputError, ReportError
from cxplan.present import theme

__all__ = [
    "MAX_ROWS",
    "OPTION_COLORS",
    "PALETTE",
    "STATUS_COLORS",
    "TopLevelChart",
    "capacity_chart",
    "cashflow_chart",
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

#: Any chart :func:`to_svg` accepts.
TopLevelChart = alt.Chart | alt.LayerChart | alt.VConcatChart | alt.HConcatChart | alt.ConcatChart

#: Most rows any one inline dataset of a chart holds ("a few thousand rows per chart keeps
#: dragging smooth", domain notes).
MAX_ROWS = 3000

# Colours are the theme's (cxplan.present.theme: Okabe-Ito, colour-blind safe); the names stay
# importable from here.
PALETTE = theme.PALETTE
STATUS_COLORS = theme.STATUS_COLORS
OPTION_COLORS = theme.OPTION_COLORS
_GOOD = theme.GOOD
_AMBER = theme.AMBER
_BAD = theme.BAD
_GREY = theme.GREY
_INK = theme.INK
_LOW = theme.LOW
_HIGH = theme.HIGH

# A real Monday used to place a "typical week" on a UTC time axis (any Monday would do).
_REF_MONDAY = pd.Timestamp("2024-01-01")
_WEEK_S = 7 * 86_400
_EPOCH_TO_MONDAY_S = 3 * 86_400  # 1970-01-01 was a Thursday: +3 days puts Monday at 0

_MONEY = ",.0f"

Backend = Literal["auto", "widget", "svg"]
OfflineMode = Literal["auto", "widget", "inline", "svg"]


# ---------------------------------------------------------------------------------------------
# argument checks and small helpers
# ---------------------------------------------------------------------------------------------


def _size(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise InputError(f"{name} must be a whole number of pixels > 0 (got {value!r})")
    arr = as_array(name, value, low=1.0, integer=True)
    if arr.ndim:
        raise InputError(f"{name} must be a single number of pixels (got shape {arr.shape})")
    return int(arr)


def _label(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{name} must be a non-empty string (got {value!r})")
    return value


def _frame(name: str, value: Any, columns: Sequence[str]) -> pd.DataFrame:
    if not isinstance(value, pd.DataFrame):
        raise InputError(f"{name} must be a pandas DataFrame (got {type(value).__name__})")
    if len(value) == 0:
        raise InputError(f"{name} is empty: nothing to chart")
    missing = [c for c in columns if c not in value.columns]
    if missing:
        raise InputError(f"{name} is missing column(s) {missing} (has {list(value.columns)})")
    return value


def _cap(name: str, rows: int, hint: str) -> None:
    if rows > MAX_ROWS:
        raise InputError(f"{name} would put {rows} rows in one chart (at most {MAX_ROWS}); {hint}")


def _numeric(name: str, frame: pd.DataFrame, column: str, **rule: Any) -> npt.NDArray[np.float64]:
    values = frame[column].to_numpy(dtype=float, na_value=np.nan)
    return as_array(f"{name}[{column!r}]", values, **rule)


def _colors(domain: Sequence[str], fixed: Mapping[str, str] | None = None) -> list[str]:
    """Colours for ``domain``: the fixed ones first, the others take unused palette colours."""
    fixed = fixed or {}
    spare = [c for c in PALETTE if c not in fixed.values()]
    out = []
    n_spare = 0
    for name in domain:
        if name in fixed:
            out.append(fixed[name])
        else:
            out.append(spare[n_spare % len(spare)])
            n_spare += 1
    return out


def _scale(domain: Sequence[str], fixed: Mapping[str, str] | None = None) -> alt.Scale:
    return alt.Scale(domain=list(domain), range=_colors(domain, fixed))


def _unique(values: Sequence[Any]) -> list[Any]:
    """Distinct values in order of first appearance."""
    return list(dict.fromkeys(values))


def _utc_iso(values: Any) -> list[str]:
    """Datetimes as UTC ISO strings (tz-aware: converted to UTC; naive: taken as UTC)."""
    idx = pd.DatetimeIndex(values)
    if idx.tz is not None:
        idx = idx.tz_convert("UTC").tz_localize(None)
    return [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in idx]


def _epoch_seconds(index: pd.DatetimeIndex) -> npt.NDArray[np.int64]:
    """Whole seconds since 1970-01-01 of a tz-naive index, whatever its resolution."""
    return index.to_numpy().astype("datetime64[s]").astype(np.int64)


def _period_labels(values: Any) -> tuple[list[str], str]:
    """Readable, sortable period labels and an axis title for a period column or index."""
    try:
        idx = pd.DatetimeIndex(values)
    except (TypeError, ValueError):
        return [str(v) for v in values], "Period"
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    if len(idx) and bool((idx.day == 1).all()) and bool((idx.normalize() == idx).all()):
        return [t.strftime("%Y-%m") for t in idx], "Month"
    steps = np.diff(_epoch_seconds(idx))
    if len(steps) and bool((steps == _WEEK_S).all()):
        return [t.strftime("%Y-%m-%d") for t in idx], "Week (period end)"
    return [t.strftime("%Y-%m-%d") for t in idx], "Date"


def _fmt_number(value: float) -> str:
    """Compact, deterministic number text for labels (``1,234``, ``12.5``, ``-3.4M``)."""
    if not math.isfinite(value):
        return "–"
    a = abs(value)
    if a >= 1e7:
        return f"{value / 1e6:,.1f}M"
    if a >= 100:
        return f"{value:,.0f}"
    if a >= 1:
        return f"{value:,.1f}"
    return f"{value:.3g}"


def _layer(*charts: Any) -> alt.LayerChart:
    return alt.LayerChart(layer=list(charts))


def _axis(values: Any, **kwargs: Any) -> alt.Axis:
    """Quantitative axis in the theme's number style (``9,500``, ``250k``, ``1.2M``)."""
    return theme.number_axis(values, **kwargs)


def _title(text: str, subtitle: str | None = None) -> alt.Title:
    if subtitle:
        return alt.Title(text, subtitle=subtitle, anchor="start")
    return alt.Title(text, anchor="start")


# ---------------------------------------------------------------------------------------------
# interval staffing
# ---------------------------------------------------------------------------------------------


def _channel_tables(
    tables: pd.DataFrame | Mapping[str, pd.DataFrame], name: str
) -> tuple[pd.DatetimeIndex, pd.DataFrame, pd.DataFrame]:
    """Agents and contacts per channel from a table, a ``combine`` table or a mapping."""
    if isinstance(tables, Mapping):
        if not tables:
            raise InputError("tables must hold at least one channel table")
        frames = {
            _label("tables key", k): _frame(f"tables[{k!r}]", v, ("agents", "contacts"))
            for k, v in tables.items()
        }
        index = next(iter(frames.values())).index
        for key, frame in frames.items():
            if not frame.index.equals(index):
                raise InputError(f"tables[{key!r}] has a different interval index from the others")
        agents = pd.DataFrame({k: f["agents"].to_numpy(dtype=float) for k, f in frames.items()})
        contacts = pd.DataFrame({k: f["contacts"].to_numpy(dtype=float) for k, f in frames.items()})
    else:
        frame = _frame("tables", tables, ("contacts",))
        index = frame.index
        per_channel = [c for c in frame.columns if str(c).startswith("agents_")]
        if per_channel:  # cxplan.workforce.staffing.combine output
            agents = pd.DataFrame(
                {str(c)[len("agents_") :]: frame[c].to_numpy(dtype=float) for c in per_channel}
            )
        else:
            _frame("tables", frame, ("agents",))
            agents = pd.DataFrame({name: frame["agents"].to_numpy(dtype=float)})
        contacts = pd.DataFrame({"all channels": frame["contacts"].to_numpy(dtype=float)})
    if not isinstance(index, pd.DatetimeIndex):
        raise InputError("tables must be indexed by a DatetimeIndex of intervals")
    for label, part in (("agents", agents), ("contacts", contacts)):
        for col in part.columns:
            as_array(f"tables: {label} of {col!r}", part[col].to_numpy(), low=0.0)
    return index, agents, contacts


def staffing_chart(
    tables: pd.DataFrame | Mapping[str, pd.DataFrame],
    *,
    statistic: Literal["mean", "max"] = "mean",
    name: str = "agents",
    title: str = "Required agents by channel, typical week",
    width: int = 720,
    height: int = 260,
) -> alt.VConcatChart:
    """Stacked agents by channel over a typical week, with contacts in a panel above.

    Parameters
    ----------
    tables : DataFrame or mapping of str to DataFrame
        Interval staffing: one :func:`cxplan.workforce.staffing.staff_intervals` table, a
        :func:`cxplan.workforce.staffing.combine` table (its ``agents_<channel>`` columns are
        stacked), or a
        mapping channel → ``staff_intervals`` table (contacts are then drawn per channel). A
        regular DatetimeIndex of any length (a day to a year of 15/30/60-minute intervals).
    statistic : {"mean", "max"}
        How the weeks are combined for each interval of the week: ``"mean"`` gives the typical
        week, ``"max"`` the peak requirement seen in each interval.
    name : str
        Channel name used for a single ``staff_intervals`` table.
    title : str
        Chart title.
    width, height : int
        Size of the agents panel in pixels; the contacts panel is a third as tall.

    Returns
    -------
    altair.VConcatChart
        Top: contacts per interval (lines, one per channel or the total); bottom: stacked area
        of agents by channel (step interpolation: staffing is constant within an interval).

    Raises
    ------
    InputError
        Not a DatetimeIndex, an irregular index, missing ``agents``/``contacts`` columns,
        negative values, or a bad ``statistic``.

    Notes
    -----
    Each interval is placed by its offset from Monday 00:00 (wall-clock time). When
    ``slots × channels`` would exceed :data:`MAX_ROWS`, slots are widened to ``k`` intervals:
    within each week a widened slot's agents are the mean of its intervals (agent-hours ÷
    hours, so the area stays the workload) and its contacts the sum; then ``statistic`` is
    taken across weeks. The x axis is a reference Monday–Sunday on a UTC scale.
    """
    if statistic not in ("mean", "max"):
        raise InputError(f"statistic must be 'mean' or 'max' (got {statistic!r})")
    _label("name", name)
    _label("title", title)
    w, h = _size("width", width), _size("height", height)
    index, agents, contacts = _channel_tables(tables, name)
    from cxplan.workforce.staffing import infer_interval_s

    try:
        step = round(infer_interval_s(index))
    except InputError as exc:
        raise InputError(f"tables: {exc}") from None
    if step <= 0 or _WEEK_S % step:
        raise InputError(f"tables: interval length {step} s must divide a week")
    wall = index.tz_localize(None) if index.tz is not None else index
    seconds = _epoch_seconds(wall) + _EPOCH_TO_MONDAY_S
    week = seconds // _WEEK_S
    offset = seconds % _WEEK_S
    slots_per_week = _WEEK_S // step
    n_series = max(agents.shape[1], 1)
    k = max(1, math.ceil(slots_per_week * n_series / MAX_ROWS))
    while slots_per_week % k:  # widened slots tile the week exactly
        k += 1
    slot_s = step * k
    slot = offset // slot_s

    keys = pd.DataFrame({"week": week, "slot": slot})
    a = pd.concat([keys, agents], axis=1).groupby(["week", "slot"], sort=True).mean()
    c = pd.concat([keys, contacts], axis=1).groupby(["week", "slot"], sort=True).sum()
    a = a.groupby(level="slot", sort=True).agg(statistic)
    c = c.groupby(level="slot", sort=True).agg(statistic)

    starts = _REF_MONDAY + pd.to_timedelta(a.index.to_numpy() * slot_s, unit="s")
    iso = _utc_iso(starts)
    labels = [t.strftime("%a %H:%M") for t in starts]
    channels = [str(x) for x in agents.columns]
    agent_rows = pd.DataFrame(
        {
            "interval_start": np.repeat(iso, len(channels)),
            "interval": np.repeat(labels, len(channels)),
            "channel": channels * len(iso),
            "channel_order": list(range(len(channels))) * len(iso),
            "agents": a[channels].to_numpy().ravel(),
        }
    )
    contact_cols = [str(x) for x in contacts.columns]
    contact_rows = pd.DataFrame(
        {
            "interval_start": np.repeat(iso, len(contact_cols)),
            "interval": np.repeat(labels, len(contact_cols)),
            "channel": contact_cols * len(iso),
            "contacts": c[contact_cols].to_numpy().ravel(),
        }
    )
    minutes = f"{slot_s / 60:g} min"
    stat = "mean week" if statistic == "mean" else "peak over weeks"
    x = alt.X(
        "interval_start:T",
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(format="%a %H:%M", tickCount={"interval": "day", "step": 1}, labelAngle=0),
        title=f"Interval of the week ({minutes} intervals, {stat})",
    )
    color_domain = _unique([*channels, *contact_cols])
    fixed = {"all channels": _INK}
    color_scale = _scale(color_domain, fixed)
    contacts_panel = (
        alt.Chart(contact_rows)
        .mark_line(interpolate="step-after", strokeWidth=1.5)
        .encode(
            x=alt.X("interval_start:T", scale=alt.Scale(type="utc"), axis=None),
            y=alt.Y("contacts:Q", title=f"Contacts per {minutes}"),
            color=alt.Color("channel:N", scale=color_scale, title="Channel"),
            tooltip=[
                alt.Tooltip("interval:N", title="Interval"),
                alt.Tooltip("channel:N", title="Channel"),
                alt.Tooltip("contacts:Q", title="Contacts", format=",.1f"),
            ],
        )
        .properties(width=w, height=max(h // 3, 40))
    )
    agents_panel = (
        alt.Chart(agent_rows)
        .mark_area(interpolate="step-after", opacity=0.85)
        .encode(
            x=x,
            y=alt.Y("agents:Q", stack="zero", title="Agents"),
            color=alt.Color("channel:N", scale=color_scale, title="Channel"),
            order=alt.Order("channel_order:Q"),
            tooltip=[
                alt.Tooltip("interval:N", title="Interval"),
                alt.Tooltip("channel:N", title="Channel"),
                alt.Tooltip("agents:Q", title="Agents", format=",.1f"),
            ],
        )
        .properties(width=w, height=h)
    )
    return alt.vconcat(contacts_panel, agents_panel, spacing=8).properties(title=_title(title))


def weekly_fte_chart(
    rollups: pd.DataFrame | Mapping[str, pd.DataFrame],
    *,
    name: str = "agents",
    title: str = "Scheduled headcount and staffed FTE",
    width: int = 720,
    height: int = 260,
) -> alt.LayerChart:
    """Scheduled headcount per period (bars, stacked by channel) and staffed FTE (line).

    Parameters
    ----------
    rollups : DataFrame or mapping of str to DataFrame
        :func:`cxplan.workforce.staffing.rollup` output (columns ``fte``, ``scheduled_headcount``;
        also
        ``scheduled_fte``, ``contacts`` for the tooltip), or channel → rollup (same index).
    name : str
        Channel name for a single table.
    title : str
        Chart title.
    width, height : int
        Size in pixels.

    Returns
    -------
    altair.LayerChart
        Bars: ``scheduled_headcount`` (after shrinkage, whole people) by channel; line: total
        ``fte`` (staffed FTE before shrinkage). Weeks, days or months on x as in the rollup
        (weekly rollups are labelled by their period end, pandas' ``"W"`` convention).

    Raises
    ------
    InputError
        Missing columns, a non-datetime index, different indexes, or more periods than fit
        (:data:`MAX_ROWS` rows; roll up to weeks or months).
    """
    _label("name", name)
    _label("title", title)
    w, h = _size("width", width), _size("height", height)
    need = ("fte", "scheduled_headcount")
    if isinstance(rollups, Mapping):
        if not rollups:
            raise InputError("rollups must hold at least one channel rollup")
        frames = {
            _label("rollups key", k): _frame(f"rollups[{k!r}]", v, need) for k, v in rollups.items()
        }
    else:
        frames = {name: _frame("rollups", rollups, need)}
    index = next(iter(frames.values())).index
    for key, frame in frames.items():
        if not frame.index.equals(index):
            raise InputError(f"rollups[{key!r}] has a different period index from the others")
    if not isinstance(index, pd.DatetimeIndex):
        raise InputError("rollups must be indexed by period (a DatetimeIndex from rollup)")
    _cap("rollups", len(index) * len(frames), "roll up to weeks ('W') or months ('MS')")
    order = np.argsort(index.to_numpy(), kind="stable")
    labels, x_title = _period_labels(index[order])
    rows = []
    for i, (channel, frame) in enumerate(frames.items()):
        f = frame.iloc[order]
        nan = np.full(len(f), np.nan)
        rows.append(
            pd.DataFrame(
                {
                    "period": labels,
                    "channel": channel,
                    "channel_order": i,
                    "scheduled_headcount": _numeric("rollups", f, "scheduled_headcount", low=0.0),
                    "fte": _numeric("rollups", f, "fte", low=0.0),
                    "scheduled_fte": f["scheduled_fte"].to_numpy(dtype=float)
                    if "scheduled_fte" in f
                    else nan,
                    "contacts": f["contacts"].to_numpy(dtype=float) if "contacts" in f else nan,
                }
            )
        )
    bars_data = pd.concat(rows, ignore_index=True)
    bars_data["period_order"] = np.tile(np.arange(len(labels)), len(frames))
    bars_data = bars_data.sort_values(["period_order", "channel_order"], kind="stable")
    bars_data = bars_data.drop(columns="period_order").reset_index(drop=True)
    total = bars_data.groupby("period", sort=False)["fte"].sum()
    line_data = pd.DataFrame(
        {"period": total.index, "fte": total.to_numpy(), "series": "Staffed FTE (before shrinkage)"}
    )
    channels = list(frames)
    x = alt.X("period:O", sort=labels, title=x_title, axis=alt.Axis(labelAngle=-45))
    bars = (
        alt.Chart(bars_data)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("scheduled_headcount:Q", stack="zero", title="FTE / scheduled headcount"),
            color=alt.Color("channel:N", scale=_scale(channels), title="Scheduled headcount"),
            order=alt.Order("channel_order:Q"),
            tooltip=[
                alt.Tooltip("period:O", title=x_title),
                alt.Tooltip("channel:N", title="Channel"),
                alt.Tooltip("scheduled_headcount:Q", title="Scheduled headcount", format=",.0f"),
                alt.Tooltip("scheduled_fte:Q", title="Scheduled FTE", format=",.1f"),
                alt.Tooltip("fte:Q", title="Staffed FTE", format=",.1f"),
                alt.Tooltip("contacts:Q", title="Contacts", format=",.0f"),
            ],
        )
    )
    line = (
        alt.Chart(line_data)
        .mark_line(point=alt.OverlayMarkDef(color=_INK), color=_INK, strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("fte:Q"),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=["Staffed FTE (before shrinkage)"], range=[_INK]),
                title=None,
            ),
            tooltip=[
                alt.Tooltip("period:O", title=x_title),
                alt.Tooltip("fte:Q", title="Staffed FTE (all channels)", format=",.1f"),
            ],
        )
    )
    return (
        _layer(bars, line)
        .resolve_scale(color="independent")
        .properties(title=_title(title), width=w, height=h)
    )


# ---------------------------------------------------------------------------------------------
# costs and sourcing
# ---------------------------------------------------------------------------------------------

#: compare_sourcing cost columns that add up to total_cost, with their display names.
_TCO_PARTS: dict[str, str] = {
    "inhouse_cost": "In-house running cost",
    "vendor_invoice": "Vendor invoice",
    "governance": "Governance",
    "value_leakage": "Value leakage",
    "one_off_cost": "One-off (transition / set-up)",
    "parallel_run_cost": "Parallel run",
}


def _option_fixed(options: Sequence[str]) -> dict[str, str]:
    return {o: c for o, c in OPTION_COLORS.items() if o in options}


def cost_comparison_chart(
    comparison: pd.DataFrame,
    *,
    kind: Literal["monthly", "total"] = "monthly",
    currency: str = "USD",
    title: str | None = None,
    horizon: str | None = None,
    width: int = 720,
    height: int = 300,
) -> alt.Chart | alt.LayerChart:
    """Compare sourcing options: monthly cost per option, or horizon TCO by component.

    Parameters
    ----------
    comparison : pandas.DataFrame
        :func:`cxplan.economics.sourcing.compare_sourcing` output (tidy: ``month``, ``option``,
        ``total_cost`` and the cost components).
    kind : {"monthly", "total"}
        ``"monthly"``: grouped bars, one per option in each month (``total_cost``).
        ``"total"``: one stacked bar per option over the whole horizon, split into in-house
        running cost, vendor invoice, governance, value leakage, one-off and parallel run, with
        the total printed above.
    currency : str
        Currency code for the axis titles.
    title : str, optional
        Chart title (default depends on ``kind``).
    horizon : str, optional
        How the report names the horizon, for the ``"total"`` axis (e.g. ``"the 26-week
        plan"``); default the number of calendar months in ``comparison``.
    width, height : int
        Size in pixels.

    Returns
    -------
    altair.Chart or altair.LayerChart
        The bar chart (``"total"`` adds a text layer).

    Raises
    ------
    InputError
        Missing columns, a bad ``kind``, or more than :data:`MAX_ROWS` rows.
    """
    if kind not in ("monthly", "total"):
        raise InputError(f"kind must be 'monthly' or 'total' (got {kind!r})")
    cur = _label("currency", currency)
    w, h = _size("width", width), _size("height", height)
    need = ["month", "option", "total_cost"] + (list(_TCO_PARTS) if kind == "total" else [])
    df = _frame("comparison", comparison, need)
    _cap("comparison", len(df), "pass fewer months or options")
    options = [str(o) for o in _unique(df["option"].tolist())]
    colors = _scale(options, _option_fixed(options))
    total = _numeric("comparison", df, "total_cost")
    if kind == "monthly":
        months = pd.Series(df["month"]).drop_duplicates()
        with contextlib.suppress(TypeError):  # unorderable labels keep their order
            months = months.sort_values(kind="stable")
        labels, x_title = _period_labels(months)
        label_of = dict(zip(months.tolist(), labels, strict=True))
        data = pd.DataFrame(
            {
                "month": [label_of[m] for m in df["month"].tolist()],
                "option": df["option"].astype(str).to_numpy(),
                "option_order": [options.index(str(o)) for o in df["option"]],
                "total_cost": total,
            }
        ).sort_values(["month", "option_order"], kind="stable", ignore_index=True)
        return (
            alt.Chart(data)
            .mark_bar()
            .encode(
                x=alt.X("month:O", sort=labels, title=x_title, axis=alt.Axis(labelAngle=-45)),
                xOffset=alt.XOffset("option:N", sort=options),
                y=alt.Y("total_cost:Q", title=f"Cost per month ({cur})", axis=_axis(total)),
                color=alt.Color("option:N", scale=colors, sort=options, title="Option"),
                tooltip=[
                    alt.Tooltip("month:O", title=x_title),
                    alt.Tooltip("option:N", title="Option"),
                    alt.Tooltip("total_cost:Q", title=f"Total cost ({cur})", format=_MONEY),
                ],
            )
            .properties(title=_title(title or "Monthly cost by sourcing option"), width=w, height=h)
        )
    n_months = int(pd.Series(df["month"]).nunique())
    sums = df.groupby("option", sort=False)[list(_TCO_PARTS)].sum()
    parts = list(_TCO_PARTS.values())
    long = pd.DataFrame(
        {
            "option": np.repeat([str(o) for o in sums.index], len(parts)),
            "component": parts * len(sums),
            "component_order": list(range(len(parts))) * len(sums),
            "cost": sums.to_numpy(dtype=float).ravel(),
        }
    )
    long = long[long["cost"] != 0.0].reset_index(drop=True)
    totals = df.groupby("option", sort=False)["total_cost"].sum()
    total_rows = pd.DataFrame(
        {
            "option": [str(o) for o in totals.index],
            "total_cost": totals.to_numpy(dtype=float),
            "label": [_fmt_number(float(v)) for v in totals.to_numpy(dtype=float)],
        }
    )
    # the horizon as the report states it (e.g. "the 26-week plan"); calendar months touched by
    # a plan that starts mid-month would overstate it
    y_title = f"Total cost over {horizon or f'{n_months} months'} ({cur})"
    x = alt.X("option:N", sort=options, title="Sourcing option", axis=alt.Axis(labelAngle=0))
    stack = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("cost:Q", stack="zero", title=y_title, axis=_axis(totals)),
            color=alt.Color("component:N", scale=_scale(parts), sort=parts, title="Cost component"),
            order=alt.Order("component_order:Q"),
            tooltip=[
                alt.Tooltip("option:N", title="Option"),
                alt.Tooltip("component:N", title="Component"),
                alt.Tooltip("cost:Q", title=f"Cost ({cur})", format=_MONEY),
            ],
        )
    )
    text = (
        alt.Chart(total_rows)
        .mark_text(dy=-6, baseline="bottom", color=_INK)
        .encode(
            x=x,
            y=alt.Y("total_cost:Q"),
            text=alt.Text("label:N"),
            tooltip=[alt.Tooltip("total_cost:Q", title=f"Total ({cur})", format=_MONEY)],
        )
    )
    return _layer(stack, text).properties(
        title=_title(title or "Total cost of ownership by sourcing option"), width=w, height=h
    )


def cost_mix_chart(
    breakdown: pd.DataFrame | Mapping[str, pd.DataFrame],
    *,
    per: Literal["paid_hour", "productive_hour"] = "paid_hour",
    kind: Literal["bar", "donut"] = "bar",
    currency: str = "USD",
    title: str = "Cost mix per agent hour",
    width: int = 600,
    height: int | None = None,
) -> alt.Chart:
    """Cost components of one agent hour, as a stacked bar (one per profile) or a donut.

    Parameters
    ----------
    breakdown : DataFrame or mapping of str to DataFrame
        :func:`cxplan.economics.costs.hourly_cost_breakdown` output (index or column ``component``,
        columns ``cost_per_paid_hour``, ``cost_per_productive_hour``, ``share``), or a mapping
        profile name → breakdown to compare locations side by side (bar only).
    per : {"paid_hour", "productive_hour"}
        Which rate to show.
    kind : {"bar", "donut"}
        Horizontal stacked bar(s), or a donut for a single breakdown.
    currency : str
        Currency code for the axis title.
    title : str
        Chart title.
    width, height : int
        Size in pixels; ``height`` defaults to 60 px per bar (bar) or ``width`` (donut).

    Returns
    -------
    altair.Chart
        Components in :data:`cxplan.economics.costs.COST_COMPONENTS` order, same colours in every
        mix.

    Raises
    ------
    InputError
        Missing columns, negative costs, a bad ``per``/``kind``, or a donut of several mixes.
    """
    if per not in ("paid_hour", "productive_hour"):
        raise InputError(f"per must be 'paid_hour' or 'productive_hour' (got {per!r})")
    if kind not in ("bar", "donut"):
        raise InputError(f"kind must be 'bar' or 'donut' (got {kind!r})")
    cur = _label("currency", currency)
    _label("title", title)
    w = _size("width", width)
    column = f"cost_per_{per}"
    if isinstance(breakdown, Mapping):
        if not breakdown:
            raise InputError("breakdown must hold at least one cost mix")
        mixes = dict(breakdown)
    else:
        mixes = {"": breakdown}
    if kind == "donut" and len(mixes) != 1:
        raise InputError("kind='donut' takes a single breakdown (got several)")
    from cxplan.economics.costs import COST_COMPONENTS

    frames = []
    for profile, mix in mixes.items():
        where = "breakdown" if profile == "" else f"breakdown[{profile!r}]"
        if isinstance(mix, pd.DataFrame) and "component" not in mix.columns:
            mix = mix.reset_index()
        mix = _frame(where, mix, ("component", column))
        cost = _numeric(where, mix, column, low=0.0)
        frames.append(
            pd.DataFrame(
                {
                    "profile": profile,
                    "component": mix["component"].astype(str).to_numpy(),
                    "cost": cost,
                }
            )
        )
    data = pd.concat(frames, ignore_index=True)
    known = [c for c in COST_COMPONENTS if c in set(data["component"])]
    components = known + sorted(set(data["component"]) - set(known))
    data["component_order"] = [components.index(c) for c in data["component"]]
    data["share"] = data["cost"] / data.groupby("profile")["cost"].transform("sum").replace(
        0.0, np.nan
    )
    profiles = list(mixes)
    data["profile_order"] = [profiles.index(p) for p in data["profile"]]
    data = data.sort_values(["profile_order", "component_order"], kind="stable", ignore_index=True)
    rate = "paid" if per == "paid_hour" else "productive"
    sums = data.groupby("profile_order", sort=True)["cost"].sum().to_numpy()
    subtitle = (
        f"Total {sums[0]:,.2f} {cur} per {rate} hour"
        if len(profiles) == 1
        else "Total per "
        + rate
        + " hour: "
        + ", ".join(f"{p} {v:,.2f}" for p, v in zip(profiles, sums, strict=True))
        + f" {cur}"
    )
    color = alt.Color("component:N", scale=_scale(components), sort=components, title="Component")
    tooltip = [
        alt.Tooltip("component:N", title="Component"),
        alt.Tooltip("cost:Q", title=f"Cost per {rate} hour ({cur})", format=",.2f"),
        alt.Tooltip("share:Q", title="Share", format=".1%"),
    ]
    if kind == "donut":
        size = min(w, 320) if height is None else _size("height", height)
        return (
            alt.Chart(data)
            .mark_arc(innerRadius=max(size // 5, 10))
            .encode(
                theta=alt.Theta("cost:Q", stack=True, title=f"Cost per {rate} hour ({cur})"),
                color=color,
                order=alt.Order("component_order:Q"),
                tooltip=tooltip,
            )
            .properties(title=_title(title, subtitle), width=size, height=size)
        )
    h = 60 * len(profiles) if height is None else _size("height", height)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("cost:Q", stack="zero", title=f"Cost per {rate} agent hour ({cur})"),
            y=alt.Y("profile:N", sort=profiles, title=None),
            color=color,
            order=alt.Order("component_order:Q"),
            tooltip=[alt.Tooltip("profile:N", title="Profile"), *tooltip],
        )
        .properties(title=_title(title, subtitle), width=w, height=h)
    )


def _thin(frame: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Keep at most ``limit`` rows, evenly spaced, always the first and last."""
    if len(frame) <= limit:
        return frame
    keep = np.unique(np.linspace(0, len(frame) - 1, limit).round().astype(np.int64))
    return frame.iloc[keep]


def crossover_chart(
    curves: Any,
    *,
    crossings: Sequence[float] | None = None,
    metric: Literal["total", "per_contact"] = "total",
    log_x: bool = False,
    currency: str = "USD",
    title: str = "In-house vs outsourced cost by volume",
    width: int = 640,
    height: int = 320,
) -> alt.LayerChart:
    """Cost of each option against monthly volume, with a rule at each crossover.

    Parameters
    ----------
    curves : pandas.DataFrame or cxplan.economics.sourcing.CrossoverResult
        :func:`cxplan.economics.sourcing.cost_curves` output (``monthly_contacts``,
        ``inhouse_cost``,
        ``outsourced_cost``, the per-contact columns), or a
        :func:`cxplan.economics.sourcing.crossover`
        result (its ``curve`` and exact ``monthly_contacts`` crossings are used).
    crossings : sequence of float, optional
        Monthly volumes of the crossings. Default: the result's own, or for a bare curve table
        a linear interpolation of the sign changes of ``saving_from_outsourcing`` between grid
        points (approximate; use :func:`cxplan.economics.sourcing.crossover` for the solved values).
    metric : {"total", "per_contact"}
        Horizon total cost, or cost per contact.
    log_x : bool
        Logarithmic volume axis (suits the geometric grid of ``crossover``).
    currency : str
        Currency code for the axis title.
    title : str
        Chart title.
    width, height : int
        Size in pixels.

    Returns
    -------
    altair.LayerChart
        One line per option; vertical rules and labels at the crossings. Curves longer than
        :data:`MAX_ROWS` points are thinned evenly.

    Raises
    ------
    InputError
        Missing columns, a bad ``metric``, or non-finite crossings.
    """
    if metric not in ("total", "per_contact"):
        raise InputError(f"metric must be 'total' or 'per_contact' (got {metric!r})")
    cur = _label("currency", currency)
    _label("title", title)
    w, h = _size("width", width), _size("height", height)
    given: Sequence[float] | None = crossings
    if not isinstance(curves, pd.DataFrame) and hasattr(curves, "curve"):
        if given is None:
            given = tuple(curves.monthly_contacts)
        curves = curves.curve
    suffix = "_cost" if metric == "total" else "_cost_per_contact"
    cols = {"in-house": f"inhouse{suffix}", "outsourced": f"outsourced{suffix}"}
    df = _frame("curves", curves, ["monthly_contacts", *cols.values()])
    df = df.sort_values("monthly_contacts", kind="stable").reset_index(drop=True)
    x_vals = _numeric("curves", df, "monthly_contacts", low=0.0)
    if given is None:
        d = df["inhouse_cost"].to_numpy(dtype=float) - df["outsourced_cost"].to_numpy(dtype=float)
        idx = np.flatnonzero(np.sign(d[:-1]) * np.sign(d[1:]) < 0)
        found = x_vals[idx] + (x_vals[idx + 1] - x_vals[idx]) * d[idx] / (d[idx] - d[idx + 1])
        at_zero = x_vals[1:-1][(d[1:-1] == 0) & (np.sign(d[:-2]) * np.sign(d[2:]) < 0)]
        marks = sorted(float(v) for v in np.concatenate([found, at_zero]))
    else:
        marks = sorted(float(v) for v in np.atleast_1d(as_array("crossings", list(given), low=0.0)))
    limit = MAX_ROWS // 2
    df = _thin(df, limit)
    options = list(cols)
    long = pd.DataFrame(
        {
            "monthly_contacts": np.tile(df["monthly_contacts"].to_numpy(dtype=float), 2),
            "option": np.repeat(options, len(df)),
            "cost": np.concatenate([df[c].to_numpy(dtype=float) for c in cols.values()]),
        }
    )
    long = long[np.isfinite(long["cost"])].reset_index(drop=True)
    y_title = (
        f"Total cost over the horizon ({cur})" if metric == "total" else f"Cost per contact ({cur})"
    )
    x_scale = alt.Scale(type="log") if log_x else alt.Scale(zero=False)
    x = alt.X("monthly_contacts:Q", scale=x_scale, title="Monthly contacts", axis=_axis(x_vals))
    lines = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y(
                "cost:Q",
                title=y_title,
                axis=_axis(long["cost"]) if metric == "total" else alt.Axis(format=",.2f"),
            ),
            color=alt.Color("option:N", scale=_scale(options, OPTION_COLORS), title="Option"),
            tooltip=[
                alt.Tooltip("option:N", title="Option"),
                alt.Tooltip("monthly_contacts:Q", title="Monthly contacts", format=",.0f"),
                alt.Tooltip(
                    "cost:Q", title=y_title, format=_MONEY if metric == "total" else ",.2f"
                ),
            ],
        )
    )
    layers: list[Any] = [lines]
    subtitle = "No crossover in the range shown"
    if marks:
        rule_data = pd.DataFrame(
            {
                "monthly_contacts": marks,
                "label": [f"Crossover ≈ {_fmt_number(v)} contacts/month" for v in marks],
            }
        )
        rules = (
            alt.Chart(rule_data)
            .mark_rule(strokeDash=[4, 3], color=_INK)
            .encode(
                x=alt.X("monthly_contacts:Q"),
                tooltip=[
                    alt.Tooltip(
                        "monthly_contacts:Q", title="Crossover (contacts/month)", format=",.0f"
                    )
                ],
            )
        )
        labels = (
            alt.Chart(rule_data)
            .mark_text(align="left", dx=4, baseline="top", color=_INK)
            .encode(x=alt.X("monthly_contacts:Q"), y=alt.value(4), text=alt.Text("label:N"))
        )
        layers += [rules, labels]
        subtitle = "; ".join(rule_data["label"])
    return _layer(*layers).properties(title=_title(title, subtitle), width=w, height=h)


# ---------------------------------------------------------------------------------------------
# finance and risk
# ---------------------------------------------------------------------------------------------


def _cash_inputs(
    cashflows: Any,
) -> tuple[npt.NDArray[np.float64], list[str], pd.DataFrame | None]:
    """Net flow, month labels and (for roadmap data) costs/benefits per month."""
    if isinstance(cashflows, pd.DataFrame):
        df = _frame("cashflows", cashflows, ("month", "series", "value"))
        wide = df.pivot_table(index="month", columns="series", values="value", aggfunc="sum")
        wide = wide.sort_index()
        if "net" not in wide.columns:
            raise InputError("cashflows needs a 'net' series (roadmap.cashflow_chart_data output)")
        months = as_array("cashflows['month']", wide.index.to_numpy(), low=0.0, integer=True)
        if not np.array_equal(months, np.arange(len(months))):
            raise InputError("cashflows months must run 0, 1, 2, … without gaps")
        if "month_label" in df.columns:
            label_map = df.drop_duplicates("month").set_index("month")["month_label"]
            labels = [str(label_map[m]) for m in wide.index]
        else:
            labels = [str(int(m)) for m in wide.index]
        net = as_array("cashflows net", wide["net"].to_numpy(dtype=float))
        parts = None
        if {"costs", "benefits"} <= set(wide.columns):
            parts = pd.DataFrame(
                {
                    "Costs": -as_array("cashflows costs", wide["costs"].to_numpy(dtype=float)),
                    "Benefits": as_array(
                        "cashflows benefits", wide["benefits"].to_numpy(dtype=float)
                    ),
                }
            )
        return net, labels, parts
    net = as_array("cashflows", cashflows)
    if net.ndim != 1 or net.size == 0:
        raise InputError(
            f"cashflows must be a one-dimensional array of monthly flows (got shape {net.shape})"
        )
    return net, [str(i) for i in range(net.size)], None


def cashflow_chart(
    cashflows: Any,
    *,
    rate: float | None = None,
    currency: str = "USD",
    title: str = "Monthly and cumulative net cash flow",
    width: int = 640,
    height: int = 300,
) -> alt.LayerChart:
    """Monthly cash flow as bars, cumulative as a line, with the break-even month marked.

    Parameters
    ----------
    cashflows : array_like or pandas.DataFrame
        Net cash flow per month, month 0 (upfront, t = 0) first — e.g.
        ``Schedule.net_cash_flow()`` — or :func:`cxplan.plan.roadmap.cashflow_chart_data` output
        (long ``month, month_label, series, value``; its costs and benefits are drawn as
        separate bars and its month labels used).
    rate : float, optional
        Discount rate per month (> -1): the line becomes the discounted cumulative flow and the
        break-even the discounted one. Bars always show the flows as given.
    currency : str
        Currency code for the axis title.
    title : str
        Chart title.
    width, height : int
        Size in pixels.

    Returns
    -------
    altair.LayerChart
        Bars (net inflow / outflow, or costs / benefits), cumulative line with points, a rule
        at zero and, when it occurs, a labelled point at the break-even month.

    Raises
    ------
    InputError
        Not one-dimensional, non-finite values, a bad rate, or more than :data:`MAX_ROWS`
        months.

    Notes
    -----
    Cumulative = :func:`cxplan.economics.finance.cumulative_cashflow`; break-even =
    :func:`cxplan.economics.finance.break_even_month`: the first month in which the cumulative flow
    is
    back at or above zero after being negative (month 0 is the upfront flow, so the index is
    the calendar month). The subtitle states the result, including "never negative" and "no
    break-even within the horizon".

    Examples
    --------
    >>> chart = cashflow_chart([-1000, 150, 150, 150, 150, 150, 150, 150])
    >>> chart.to_dict()["title"]["subtitle"]
    'Cumulative net cash flow: break-even in month 7'
    """
    from cxplan.economics.finance import break_even_month, cumulative_cashflow

    cur = _label("currency", currency)
    _label("title", title)
    w, h = _size("width", width), _size("height", height)
    net, labels, parts = _cash_inputs(cashflows)
    _cap("cashflows", net.size, "aggregate to quarters or shorten the horizon")
    cum = np.asarray(cumulative_cashflow(net, rate), dtype=float)
    be = float(break_even_month(net, rate))
    months = np.arange(net.size)
    if parts is None:
        bars = pd.DataFrame(
            {
                "month": months,
                "month_label": labels,
                "series": np.where(net < 0, "Net outflow", "Net inflow"),
                "amount": net,
            }
        )
        domain, colors = ["Net outflow", "Net inflow"], [_BAD, _GOOD]
    else:
        bars = pd.DataFrame(
            {
                "month": np.tile(months, 2),
                "month_label": labels * 2,
                "series": np.repeat(["Costs", "Benefits"], net.size),
                "amount": np.concatenate([parts["Costs"], parts["Benefits"]]),
            }
        ).sort_values(["month", "series"], kind="stable", ignore_index=True)
        bars = bars[bars["amount"] != 0.0].reset_index(drop=True)
        domain, colors = ["Costs", "Benefits"], [_BAD, _GOOD]
    kind = "Discounted cumulative" if rate is not None else "Cumulative"
    line_data = pd.DataFrame({"month": months, "month_label": labels, "cumulative": cum})
    x = alt.X(
        "month_label:O",
        sort=labels,
        title="Month (0 = upfront)",
        axis=alt.Axis(labelAngle=0 if net.size <= 24 else -45),
    )
    y_title = f"Cash flow ({cur})"
    bar_layer = (
        alt.Chart(bars)
        .mark_bar(opacity=0.8)
        .encode(
            x=x,
            y=alt.Y(
                "amount:Q",
                stack="zero",
                title=y_title,
                axis=_axis(np.concatenate([bars["amount"], cum])),
            ),
            color=alt.Color("series:N", scale=alt.Scale(domain=domain, range=colors), title=None),
            tooltip=[
                alt.Tooltip("month_label:O", title="Month"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("amount:Q", title=f"Amount ({cur})", format=_MONEY),
            ],
        )
    )
    line_layer = (
        alt.Chart(line_data)
        .mark_line(point=alt.OverlayMarkDef(color=_INK), color=_INK, strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("cumulative:Q"),
            tooltip=[
                alt.Tooltip("month_label:O", title="Month"),
                alt.Tooltip("cumulative:Q", title=f"{kind} ({cur})", format=_MONEY),
            ],
        )
    )
    zero = (
        alt.Chart(pd.DataFrame({"zero": [0.0]}))
        .mark_rule(color=_INK, strokeWidth=1)
        .encode(y=alt.Y("zero:Q"))
    )
    layers: list[Any] = [bar_layer, zero, line_layer]
    if math.isnan(be):
        subtitle = f"{kind} net cash flow: no break-even within {net.size - 1} months"
    elif be == 0.0:
        subtitle = f"{kind} net cash flow never negative: nothing to pay back"
    else:
        j = int(be)
        name = f"month {j}" if labels[j] == str(j) else f"month {j} ({labels[j]})"
        subtitle = f"{kind} net cash flow: break-even in {name}"
        marker = pd.DataFrame(
            {
                "month_label": [labels[j]],
                "cumulative": [cum[j]],
                "label": [f"Break-even: {name}"],
            }
        )
        layers.append(
            alt.Chart(marker)
            .mark_point(shape="diamond", size=160, filled=True, color=_GOOD, stroke=_INK)
            .encode(
                x=x,
                y=alt.Y("cumulative:Q"),
                tooltip=[
                    alt.Tooltip("label:N", title="Break-even"),
                    alt.Tooltip("cumulative:Q", title=f"{kind} ({cur})", format=_MONEY),
                ],
            )
        )
        text: dict[str, Any] = {"align": "left", "dx": 8, "dy": -10, "fontWeight": "bold"}
        for style in ({"stroke": "white", "strokeWidth": 4, "color": "white"}, {"color": _INK}):
            layers.append(  # a white halo under the label keeps it legible over the bars
                alt.Chart(marker)
                .mark_text(**text, **style)
                .encode(x=x, y=alt.Y("cumulative:Q"), text=alt.Text("label:N"))
            )
    return _layer(*layers).properties(title=_title(title, subtitle), width=w, height=h)


def _axis_title(frame: pd.DataFrame, output_title: str | None, unit: str | None) -> str:
    name = output_title or str(frame.attrs.get("output", "Output"))
    return f"{name} ({unit})" if unit else name


def tornado_chart(
    table: pd.DataFrame,
    *,
    output_title: str | None = None,
    unit: str | None = None,
    max_inputs: int = 15,
    title: str = "Sensitivity (tornado)",
    width: int = 600,
    height: int | None = None,
) -> alt.LayerChart:
    """Horizontal bars from each input's low-case to high-case output, around the base case.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`cxplan.economics.risk.tornado` output: ``input``, ``output_low``, ``output_high``,
        ``base_output``, ``swing`` (``low_value``/``high_value`` are shown when present).
    output_title : str, optional
        Name of the output for the axis (default ``table.attrs["output"]``).
    unit : str, optional
        Unit of the output, e.g. the currency code for an NPV or ``"months"`` for a payback.
    max_inputs : int
        Show the ``max_inputs`` largest swings (rows beyond are dropped).
    title : str
        Chart title.
    width, height : int
        Size in pixels; ``height`` defaults to 28 px per input.

    Returns
    -------
    altair.LayerChart
        Two bar segments per input (output with the input at its low value, and at its high
        value, each drawn from the base output), inputs sorted by swing (largest on top), and a
        rule at the base output.

    Raises
    ------
    InputError
        Missing columns, an infinite or all-NaN output, or more than one base output.

    Notes
    -----
    A case whose output is NaN (e.g. "never pays back") has no bar; the subtitle counts them.
    """
    _label("title", title)
    w = _size("width", width)
    keep = _size("max_inputs", max_inputs)
    df = _frame("table", table, ("input", "output_low", "output_high", "base_output", "swing"))
    base = _numeric("table", df, "base_output")
    if not np.allclose(base, base[0], rtol=1e-12, atol=0.0):
        raise InputError("table must hold one base case (base_output differs between rows)")
    for col in ("output_low", "output_high"):
        _numeric("table", df, col, allow_nan=True)
    df = df.sort_values("swing", ascending=False, kind="stable", na_position="last").head(keep)
    inputs = [str(i) for i in df["input"]]
    if len(set(inputs)) != len(inputs):
        raise InputError("table has duplicate inputs")
    n = len(df)
    lo_val = df["low_value"].to_numpy(dtype=float) if "low_value" in df else np.full(n, np.nan)
    hi_val = df["high_value"].to_numpy(dtype=float) if "high_value" in df else np.full(n, np.nan)
    sides = ["Input at low value", "Input at high value"]
    data = pd.DataFrame(
        {
            "input": inputs * 2,
            "side": np.repeat(sides, n),
            "input_value": np.concatenate([lo_val, hi_val]),
            "output": np.concatenate(
                [df["output_low"].to_numpy(dtype=float), df["output_high"].to_numpy(dtype=float)]
            ),
            "base_output": float(base[0]),
            "swing": np.tile(df["swing"].to_numpy(dtype=float), 2),
        }
    )
    finite = np.isfinite(data["output"].to_numpy())
    dropped = int((~finite).sum())
    data = data[finite].reset_index(drop=True)
    if data.empty:
        raise InputError("table has no finite output_low / output_high to draw")
    axis = _axis_title(table, output_title, unit)
    h = 28 * n if height is None else _size("height", height)
    y = alt.Y("input:N", sort=inputs, title=None)
    bars = (
        alt.Chart(data)
        .mark_bar(opacity=0.9)
        .encode(
            y=y,
            x=alt.X(
                "output:Q", title=axis, scale=alt.Scale(zero=False), axis=_axis(data["output"])
            ),
            x2=alt.X2("base_output:Q"),
            color=alt.Color(
                "side:N", scale=alt.Scale(domain=sides, range=[_LOW, _HIGH]), title=None
            ),
            tooltip=[
                alt.Tooltip("input:N", title="Input"),
                alt.Tooltip("side:N", title="Case"),
                alt.Tooltip("input_value:Q", title="Input value", format=",.4~g"),
                alt.Tooltip("output:Q", title=axis, format=",.4~g"),
                alt.Tooltip("swing:Q", title="Swing", format=",.4~g"),
            ],
        )
    )
    base_rule = (
        alt.Chart(pd.DataFrame({"base_output": [float(base[0])]}))
        .mark_rule(color=_INK, strokeWidth=1.5)
        .encode(
            x=alt.X("base_output:Q"),
            tooltip=[alt.Tooltip("base_output:Q", title="Base case", format=",.4~g")],
        )
    )
    subtitle = f"Base case {_fmt_number(float(base[0]))}; one input at a time, others at base"
    if dropped:
        subtitle += f"; {dropped} case(s) with no finite output not drawn"
    return _layer(bars, base_rule).properties(title=_title(title, subtitle), width=w, height=h)


def _percentile_from_hist(
    start: npt.NDArray[np.float64],
    end: npt.NDArray[np.float64],
    count: npt.NDArray[np.float64],
    q: float,
) -> float:
    """Percentile by linear interpolation of the cumulative count within bins."""
    total = count.sum()
    if total <= 0:
        return float("nan")
    cum = np.concatenate([[0.0], np.cumsum(count)]) / total
    edges = np.concatenate([start[:1], end])
    return float(np.interp(q / 100.0, cum, edges))


def histogram_chart(
    hist: pd.DataFrame,
    *,
    percentiles: Mapping[str, float] | pd.Series | None = None,
    output_title: str | None = None,
    unit: str | None = None,
    title: str = "Monte Carlo distribution",
    width: int = 600,
    height: int = 260,
) -> alt.LayerChart:
    """Histogram of Monte Carlo draws with P10, P50 and P90 rules.

    Parameters
    ----------
    hist : pandas.DataFrame
        Columns ``bin_start``, ``bin_end``, ``count`` (``MonteCarloResult.histogram``).
    percentiles : mapping or pandas.Series, optional
        Keys ``p10``, ``p50``, ``p90`` (case-insensitive), e.g. a row of
        ``MonteCarloResult.summary()``. Default: estimated from the histogram by linear
        interpolation within bins (within one bin width of the exact value; the subtitle says
        so).
    output_title : str, optional
        Name of the output for the axis (default ``hist.attrs["output"]``).
    unit : str, optional
        Unit of the output (currency code, ``"months"``, ...).
    title : str
        Chart title.
    width, height : int
        Size in pixels.

    Returns
    -------
    altair.LayerChart
        Bars from ``bin_start`` to ``bin_end``; dashed rules at P10 / P50 / P90, labelled with
        their meaning: P10 is the 10th percentile (90 % of draws above it), P90 the 90th
        (10 % of draws above it), see :data:`cxplan.economics.risk.P_DEFINITION`.

    Raises
    ------
    InputError
        Missing columns, negative counts, bins that are not increasing, or missing percentile
        keys.
    """
    _label("title", title)
    w, h = _size("width", width), _size("height", height)
    df = _frame("hist", hist, ("bin_start", "bin_end", "count"))
    _cap("hist", len(df), "use fewer bins")
    df = df.sort_values("bin_start", kind="stable").reset_index(drop=True)
    start = _numeric("hist", df, "bin_start")
    end = _numeric("hist", df, "bin_end")
    count = _numeric("hist", df, "count", low=0.0)
    if np.any(end <= start) or np.any(start[1:] < end[:-1]):
        raise InputError("hist bins must be increasing and not overlap (bin_start < bin_end)")
    keys = ("p10", "p50", "p90")
    if percentiles is None:
        values = [_percentile_from_hist(start, end, count, q) for q in (10.0, 50.0, 90.0)]
        note = "percentiles estimated from the histogram"
    else:
        lower = {str(k).lower(): v for k, v in dict(percentiles).items()}
        missing = [k for k in keys if k not in lower]
        if missing:
            raise InputError(f"percentiles is missing {missing} (needs p10, p50, p90)")
        values = [float(as_array(f"percentiles[{k!r}]", lower[k], allow_nan=True)) for k in keys]
        note = "percentiles of the draws"
    meaning = ["90 % of draws above", "median", "10 % of draws above"]
    ref = pd.DataFrame(
        {
            "name": ["P10", "P50", "P90"],
            "value": values,
            "label": [
                f"{k.upper()} {_fmt_number(v)} ({m})"
                for k, v, m in zip(keys, values, meaning, strict=True)
            ],
        }
    )
    ref = ref[np.isfinite(ref["value"])].reset_index(drop=True)
    data = pd.DataFrame({"bin_start": start, "bin_end": end, "count": count})
    axis = _axis_title(hist, output_title, unit)
    bars = (
        alt.Chart(data)
        .mark_bar(color=PALETTE[0], opacity=0.85, binSpacing=0)
        .encode(
            x=alt.X(
                "bin_start:Q",
                bin="binned",
                title=axis,
                scale=alt.Scale(zero=False),
                axis=_axis(np.concatenate([start, end])),
            ),
            x2=alt.X2("bin_end:Q"),
            # 30 % headroom above the tallest bar for the percentile labels
            y=alt.Y(
                "count:Q",
                title="Draws (count)",
                scale=alt.Scale(domain=[0.0, 1.3 * float(max(count.max(), 1.0))]),
            ),
            tooltip=[
                alt.Tooltip("bin_start:Q", title="From", format=",.4~g"),
                alt.Tooltip("bin_end:Q", title="To", format=",.4~g"),
                alt.Tooltip("count:Q", title="Draws", format=",.0f"),
            ],
        )
    )
    rules = (
        alt.Chart(ref)
        .mark_rule(strokeDash=[5, 3], strokeWidth=1.5)
        .encode(
            x=alt.X("value:Q"),
            color=alt.Color(
                "name:N",
                scale=alt.Scale(domain=["P10", "P50", "P90"], range=[_BAD, _INK, _GOOD]),
                title=None,
            ),
            tooltip=[alt.Tooltip("label:N", title="Percentile")],
        )
    )
    # one text layer per percentile, each at its own pixel height so the labels never overlap
    labels = [
        alt.Chart(ref.iloc[[i]])
        .mark_text(align="left", dx=4, baseline="top")
        .encode(
            x=alt.X("value:Q"),
            y=alt.value(4 + 14 * i),
            text=alt.Text("label:N"),
            color=alt.Color("name:N", legend=None),
        )
        for i in range(len(ref))
    ]
    subtitle = f"{int(count.sum()):,} draws; P10 = 10th percentile ({note})"
    return _layer(bars, rules, *labels).properties(title=_title(title, subtitle), width=w, height=h)


# ---------------------------------------------------------------------------------------------
# roadmap, capacity, KPIs
# ---------------------------------------------------------------------------------------------


def gantt_chart(
    tasks: pd.DataFrame,
    milestones: pd.DataFrame | None = None,
    *,
    title: str = "Roadmap",
    width: int = 720,
    height: int | None = None,
) -> alt.LayerChart:
    """Gantt chart: one bar per task coloured by phase, milestones as diamonds.

    Parameters
    ----------
    tasks : pandas.DataFrame
        :func:`cxplan.plan.roadmap.gantt_data` output (``task_id``, ``task``, ``phase``,
        ``start_day``, ``end_day``; ``phase_name``, ``workstream``, ``depends_on``,
        ``cost_base``, ``start_date``/``end_date`` used when present).
    milestones : pandas.DataFrame, optional
        :func:`cxplan.plan.roadmap.milestone_data` output (``task_id``, ``milestone_name``, ``day``,
        ``date`` when dated). Every milestone's task must be in ``tasks``. An empty table (a
        roadmap without milestones) draws no diamonds, like ``None``.
    title : str
        Chart title.
    width, height : int
        Size in pixels; ``height`` defaults to 22 px per task.

    Returns
    -------
    altair.LayerChart
        Tasks top to bottom by start day (then end day, then input order); x in days from the
        programme start, or dates (UTC scale) when ``tasks`` has ``start_date``/``end_date``.
        Zero-length tasks show as a tick.

    Raises
    ------
    InputError
        Missing columns, a task ending before it starts, a milestone for an unknown task, or
        more than :data:`MAX_ROWS` tasks.
    """
    _label("title", title)
    w = _size("width", width)
    df = _frame("tasks", tasks, ("task_id", "task", "phase", "start_day", "end_day"))
    _cap("tasks", len(df), "split the roadmap")
    start = _numeric("tasks", df, "start_day")
    end = _numeric("tasks", df, "end_day")
    if np.any(end < start):
        bad = df["task_id"].to_numpy()[np.flatnonzero(end < start)[0]]
        raise InputError(f"tasks: task {bad!r} ends before it starts")
    order = np.lexsort((np.arange(len(df)), end, start))
    df = df.iloc[order].reset_index(drop=True)
    rows = [
        f"{i} {t}" for i, t in zip(df["task_id"].astype(str), df["task"].astype(str), strict=True)
    ]
    phase_col = "phase_name" if "phase_name" in df.columns else "phase"
    phases = [str(p) for p in _unique(df[phase_col].tolist())]
    dated = {"start_date", "end_date"} <= set(df.columns)
    data = pd.DataFrame(
        {
            "row": rows,
            "task_id": df["task_id"].astype(str).to_numpy(),
            "phase": df[phase_col].astype(str).to_numpy(),
            "start": df["start_day"].to_numpy(dtype=float),
            "end": df["end_day"].to_numpy(dtype=float),
            "duration_days": (df["end_day"] - df["start_day"]).to_numpy(dtype=float),
            "workstream": df["workstream"].astype(str).to_numpy() if "workstream" in df else "",
            "depends_on": df["depends_on"].astype(str).to_numpy() if "depends_on" in df else "",
            "cost_base": df["cost_base"].to_numpy(dtype=float) if "cost_base" in df else np.nan,
        }
    )
    if dated:
        data["start"] = _utc_iso(df["start_date"])
        data["end"] = _utc_iso(df["end_date"])
        data["dates"] = [
            f"{a[:10]} → {b[:10]}" for a, b in zip(data["start"], data["end"], strict=True)
        ]
        x = alt.X(
            "start:T", scale=alt.Scale(type="utc"), title="Date", axis=alt.Axis(format="%d %b")
        )
        span = alt.Tooltip("dates:N", title="Dates (end exclusive)")
    else:
        x = alt.X("start:Q", title="Days from programme start", scale=alt.Scale(zero=True))
        span = alt.Tooltip("start:Q", title="Start day")
    y = alt.Y("row:N", sort=rows, title=None, axis=alt.Axis(labelLimit=320))
    tooltip = [
        alt.Tooltip("task_id:N", title="Task"),
        alt.Tooltip("row:N", title="Name"),
        alt.Tooltip("phase:N", title="Phase"),
        span,
        alt.Tooltip("duration_days:Q", title="Duration (days)", format=",.0f"),
        alt.Tooltip("workstream:N", title="Workstream"),
        alt.Tooltip("depends_on:N", title="Depends on"),
        alt.Tooltip("cost_base:Q", title="Base cost", format=_MONEY),
    ]
    # one phase per row: the task labels leave no room for the theme's legend rows of three
    color = alt.Color(
        "phase:N",
        scale=_scale(phases),
        sort=phases,
        title="Phase",
        legend=alt.Legend(columns=1),
    )
    bars = (
        alt.Chart(data)
        .mark_bar(cornerRadius=2, height={"band": 0.7})
        .encode(x=x, x2=alt.X2("end"), y=y, color=color, tooltip=tooltip)
    )
    layers: list[Any] = [bars]
    instants = data[data["duration_days"] == 0]
    if len(instants):
        layers.append(
            alt.Chart(instants)
            .mark_tick(thickness=3, size=14)
            .encode(x=x, y=y, color=color, tooltip=tooltip)
        )
    if milestones is not None and not (isinstance(milestones, pd.DataFrame) and milestones.empty):
        ms = _frame("milestones", milestones, ("task_id", "day"))
        row_of = dict(zip(data["task_id"], rows, strict=True))
        unknown = sorted(set(ms["task_id"].astype(str)) - set(row_of))
        if unknown:
            raise InputError(f"milestones refer to tasks not in tasks: {unknown}")
        ms = ms.sort_values(["day", "task_id"], kind="stable").reset_index(drop=True)
        name = (
            ms["milestone_name"].astype(str).to_numpy()
            if "milestone_name" in ms
            else ms["task_id"].astype(str).to_numpy()
        )
        mdata = pd.DataFrame(
            {
                "row": [row_of[t] for t in ms["task_id"].astype(str)],
                "milestone": name,
                "day": ms["day"].to_numpy(dtype=float),
            }
        )
        if dated:
            if "date" not in ms.columns:
                raise InputError("milestones needs a 'date' column when tasks are dated")
            mdata["start"] = _utc_iso(ms["date"])
        else:
            mdata["start"] = mdata["day"]
        layers.append(
            alt.Chart(mdata)
            .mark_point(shape="diamond", size=110, filled=True, color=_INK)
            .encode(
                x=x,
                y=y,
                tooltip=[
                    alt.Tooltip("milestone:N", title="Milestone"),
                    alt.Tooltip("day:Q", title="Day", format=",.0f"),
                ],
            )
        )
    h = 22 * len(rows) if height is None else _size("height", height)
    return _layer(*layers).properties(title=_title(title), width=w, height=h)


_BANDS: dict[str, str] = {
    "headcount_training": "In training",
    "headcount_nesting": "On the learning curve",
    "headcount_tenured": "Tenured",
}


def capacity_chart(
    plan: pd.DataFrame,
    *,
    title: str = "Capacity plan: paid FTE by tenure band vs requirement",
    width: int = 720,
    height: int = 280,
) -> alt.VConcatChart:
    """Weekly capacity plan: paid FTE stacked by tenure band, requirement, productive FTE, gap.

    Parameters
    ----------
    plan : pandas.DataFrame
        :func:`cxplan.workforce.capacity.simulate_capacity` output (``week``, ``required_fte``,
        ``headcount_training/nesting/tenured``, ``headcount``, ``paid_fte``,
        ``productive_fte``, ``gap_fte``; ``week_start`` used for labels when present).
    title : str
        Chart title.
    width, height : int
        Size of the main panel in pixels; the gap panel is a third as tall.

    Returns
    -------
    altair.VConcatChart
        Top: stacked bars of paid FTE by band (headcount × FTE per head, so bars and lines
        share the FTE unit), with lines for required FTE and productive FTE (trainees count 0,
        nesting agents their learning-curve efficiency). Bottom: ``gap_fte`` bars
        (productive − required), red for a shortfall and green for a surplus.

    Raises
    ------
    InputError
        Missing columns or more than :data:`MAX_ROWS` rows.
    """
    _label("title", title)
    w, h = _size("width", width), _size("height", height)
    need = ["week", "required_fte", "headcount", "paid_fte", "productive_fte", "gap_fte", *_BANDS]
    df = _frame("plan", plan, need).sort_values("week", kind="stable").reset_index(drop=True)
    _cap("plan", 3 * len(df), "shorten the horizon")
    heads = _numeric("plan", df, "headcount", low=0.0)
    paid = _numeric("plan", df, "paid_fte", low=0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_head = np.where(heads > 0, paid / heads, 1.0)
    if "week_start" in df.columns:
        labels = [t.strftime("%Y-%m-%d") for t in pd.DatetimeIndex(df["week_start"])]
        x_title = "Week starting"
    else:
        labels = [str(int(v)) for v in _numeric("plan", df, "week", integer=True)]
        x_title = "Week"
    bands = list(_BANDS.values())
    stack = pd.DataFrame(
        {
            "week": np.tile(labels, len(_BANDS)),
            "band": np.repeat(bands, len(df)),
            "band_order": np.repeat(np.arange(len(_BANDS)), len(df)),
            "fte": np.concatenate([_numeric("plan", df, c, low=0.0) * per_head for c in _BANDS]),
        }
    )
    series = ["Required FTE", "Productive FTE"]
    lines = pd.DataFrame(
        {
            "week": np.tile(labels, 2),
            "series": np.repeat(series, len(df)),
            "fte": np.concatenate(
                [_numeric("plan", df, "required_fte"), _numeric("plan", df, "productive_fte")]
            ),
        }
    )
    gap = _numeric("plan", df, "gap_fte")
    gap_data = pd.DataFrame(
        {"week": labels, "gap_fte": gap, "state": np.where(gap < 0, "Shortfall", "Surplus")}
    )
    x = alt.X("week:O", sort=labels, title=x_title, axis=alt.Axis(labelAngle=-45))
    band_layer = (
        alt.Chart(stack)
        .mark_bar(opacity=0.85)
        .encode(
            x=alt.X("week:O", sort=labels, axis=None),
            y=alt.Y("fte:Q", stack="zero", title="FTE"),
            color=alt.Color(
                "band:N",
                scale=alt.Scale(domain=bands, range=list(theme.SEQUENTIAL_BLUES)),
                sort=bands,
                title="Paid FTE by band",
            ),
            order=alt.Order("band_order:Q"),
            tooltip=[
                alt.Tooltip("week:O", title=x_title),
                alt.Tooltip("band:N", title="Band"),
                alt.Tooltip("fte:Q", title="Paid FTE", format=",.1f"),
            ],
        )
    )
    line_layer = (
        alt.Chart(lines)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X("week:O", sort=labels, axis=None),
            y=alt.Y("fte:Q"),
            color=alt.Color(
                "series:N", scale=alt.Scale(domain=series, range=[_INK, _HIGH]), title=None
            ),
            strokeDash=alt.StrokeDash(
                "series:N", scale=alt.Scale(domain=series, range=[[5, 3], [1, 0]]), legend=None
            ),
            tooltip=[
                alt.Tooltip("week:O", title=x_title),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("fte:Q", title="FTE", format=",.1f"),
            ],
        )
    )
    top = (
        _layer(band_layer, line_layer)
        .resolve_scale(color="independent")
        .properties(width=w, height=h)
    )
    bottom = (
        alt.Chart(gap_data)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("gap_fte:Q", title="Gap (FTE)"),
            color=alt.Color(
                "state:N",
                scale=alt.Scale(domain=["Shortfall", "Surplus"], range=[_BAD, _GOOD]),
                title="Productive − required",
            ),
            tooltip=[
                alt.Tooltip("week:O", title=x_title),
                alt.Tooltip("gap_fte:Q", title="Gap (FTE)", format="+,.1f"),
            ],
        )
        .properties(width=w, height=max(h // 3, 40))
    )
    worst = float(gap.min())
    subtitle = (
        f"Largest shortfall {-worst:,.1f} FTE" if worst < 0 else "No shortfall in the horizon"
    )
    return (
        alt.vconcat(top, bottom, spacing=6)
        .resolve_scale(color="independent")
        .properties(title=_title(title, subtitle))
    )


def _kpi_text(value: float, unit: str, *, signed: bool) -> str:
    if not math.isfinite(value):
        return "–"
    sign = "+" if signed else ""
    if unit.startswith("fraction"):
        return f"{100 * value:{sign}.1f} %"
    if unit == "s":
        return f"{value:{sign},.0f} s"
    if unit == "points":
        return f"{value:{sign}.0f}"
    if unit == "score":
        return f"{value:{sign}.2f}"
    return f"{value:{sign},.4g}"


def kpi_chart(
    scorecard: pd.DataFrame,
    *,
    title: str = "KPI scorecard",
    width: int = 560,
    height: int | None = None,
) -> alt.LayerChart:
    """Scorecard as a table chart: actual, target, gap and a status cell coloured by status.

    Parameters
    ----------
    scorecard : pandas.DataFrame
        :func:`cxplan.plan.kpi.scorecard` output (``label``, ``unit``, ``actual``, ``target``,
        ``status``, ``gap``; ``order`` sorts the rows when present).
    title : str
        Chart title.
    width, height : int
        Size in pixels; ``height`` defaults to 26 px per KPI.

    Returns
    -------
    altair.LayerChart
        One row per KPI; values formatted in the KPI's unit (fractions as percentages, seconds,
        points, scores); the status cell is filled with :data:`STATUS_COLORS`.

    Raises
    ------
    InputError
        Missing columns or an unknown status.
    """
    _label("title", title)
    w = _size("width", width)
    df = _frame("scorecard", scorecard, ("label", "unit", "actual", "target", "status", "gap"))
    _cap("scorecard", 4 * len(df), "split the scorecard")
    if "order" in df.columns:
        df = df.sort_values("order", kind="stable")
    df = df.reset_index(drop=True)
    unknown = sorted(set(df["status"].astype(str)) - set(STATUS_COLORS))
    if unknown:
        raise InputError(f"scorecard has unknown status {unknown} (known: {list(STATUS_COLORS)})")
    kpis = [str(x) for x in df["label"]]
    if len(set(kpis)) != len(kpis):
        raise InputError("scorecard has duplicate KPI labels")
    actual = df["actual"].to_numpy(dtype=float, na_value=np.nan)
    gap = df["gap"].to_numpy(dtype=float, na_value=np.nan)
    units = [str(u) for u in df["unit"]]
    columns = ["Actual", "Target", "Gap", "Status"]
    cells = pd.DataFrame(
        {
            "kpi": kpis * 4,
            "column": np.repeat(columns, len(df)),
            "text": [_kpi_text(a, u, signed=False) for a, u in zip(actual, units, strict=True)]
            + [str(t) for t in df["target"]]
            + [_kpi_text(g, u, signed=True) for g, u in zip(gap, units, strict=True)]
            + [str(s) for s in df["status"]],
            "status": [str(s) for s in df["status"]] * 4,
        }
    )
    x = alt.X(
        "column:N",
        sort=columns,
        title=None,
        axis=alt.Axis(
            orient="top", labelAngle=0, domain=False, ticks=False, labelFontWeight="bold"
        ),
        scale=alt.Scale(paddingInner=0.05),
    )
    y = alt.Y(
        "kpi:N", sort=kpis, title=None, axis=alt.Axis(domain=False, ticks=False, labelLimit=240)
    )
    status_cells = (
        alt.Chart(cells)
        .transform_filter(alt.datum.column == "Status")
        .mark_rect(cornerRadius=3)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values())),
                title="Status",
            ),
            tooltip=[alt.Tooltip("kpi:N", title="KPI"), alt.Tooltip("status:N", title="Status")],
        )
    )
    text = (
        alt.Chart(cells)
        .mark_text(color=_INK)
        .encode(
            x=x,
            y=y,
            text=alt.Text("text:N"),
            tooltip=[
                alt.Tooltip("kpi:N", title="KPI"),
                alt.Tooltip("column:N", title="Column"),
                alt.Tooltip("text:N", title="Value"),
            ],
        )
    )
    counts = df["status"].astype(str).value_counts()
    subtitle = ", ".join(f"{int(counts.get(s, 0))} {s}" for s in STATUS_COLORS if counts.get(s, 0))
    h = 26 * len(df) if height is None else _size("height", height)
    return _layer(status_cells, text).properties(title=_title(title, subtitle), width=w, height=h)


# ---------------------------------------------------------------------------------------------
# static SVG and offline rendering
# ---------------------------------------------------------------------------------------------


def portfolio_chart(
    table: pd.DataFrame,
    *,
    currency: str | None = None,
    title: str = "Initiative NPV by region: P10–P90 range and base case",
    width: int = 600,
    height: int | None = None,
) -> alt.LayerChart:
    """NPV range per region for the portfolio report.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`cxplan.present.report.portfolio_table` output: index ``region``; columns ``npv_p10``,
        ``npv_p90``, ``initiative_npv`` and ``currency``.
    currency : str, optional
        Axis currency; default the table's (or "mixed" when regions differ).
    title : str
        Chart title.
    width, height : int
        Size in pixels (height defaults to 40 px per region).

    Returns
    -------
    altair.LayerChart
        A horizontal rule from P10 to P90 per region with a point at the base-case NPV.
    """
    frame = _frame("table", table.reset_index(), ["region", "npv_p10", "npv_p90", "initiative_npv"])
    if currency is None:
        currencies = sorted(set(frame.get("currency", pd.Series(["USD"]))))
        currency = currencies[0] if len(currencies) == 1 else "mixed currencies"
    data = frame[["region", "npv_p10", "npv_p90", "initiative_npv"]].sort_values("region")
    records = alt.Data(values=data.to_dict(orient="records"))
    y = alt.Y("region:N", title=None, sort=list(data["region"]))
    axis_title = f"NPV ({currency})"
    x_axis = _axis(data[["npv_p10", "npv_p90", "initiative_npv"]].to_numpy(dtype=float))
    base = alt.Chart(records)
    rule = base.mark_rule(strokeWidth=6, color=PALETTE[0], opacity=0.5).encode(
        y=y,
        x=alt.X("npv_p10:Q", title=axis_title, axis=x_axis),
        x2="npv_p90:Q",
        tooltip=[
            alt.Tooltip("region:N"),
            alt.Tooltip("npv_p10:Q", title="P10 (90 % of draws above)", format=",.0f"),
            alt.Tooltip("npv_p90:Q", title="P90 (10 % of draws above)", format=",.0f"),
        ],
    )
    point = base.mark_point(filled=True, size=90, color=PALETTE[1]).encode(
        y=y,
        x=alt.X("initiative_npv:Q", title=axis_title, axis=x_axis),
        tooltip=[
            alt.Tooltip("region:N"),
            alt.Tooltip("initiative_npv:Q", title="base case", format=",.0f"),
        ],
    )
    return _layer(rule, point).properties(
        title=_title(title, "bar: P10 to P90 of the Monte Carlo; dot: base case"),
        width=_size("width", width),
        height=_size("height", height if height is not None else 40 * max(1, len(data))),
    )


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
