"""Staffing charts: interval requirement over a typical week, weekly scheduled FTE."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

import altair as alt
import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_array
from cxplan.errors import InputError
from cxplan.present.charts._common import (
    _INK,
    _REF_MONDAY,
    _WEEK_S,
    MAX_ROWS,
    _cap,
    _frame,
    _label,
    _layer,
    _numeric,
    _period_labels,
    _scale,
    _size,
    _title,
    _unique,
    _utc_iso,
)
from cxplan.present.charts.parts import ChartParts, chart_builder
from cxplan.workforce.typical_week import typical_week, week_offset_s

__all__ = ["staffing_chart", "weekly_fte_chart"]

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


@chart_builder
def staffing_chart(
    tables: pd.DataFrame | Mapping[str, pd.DataFrame],
    *,
    statistic: Literal["mean", "max"] = "mean",
    name: str = "agents",
    title: str = "Required agents by channel, typical week",
    width: int = 720,
    height: int = 260,
) -> ChartParts[alt.VConcatChart]:
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
    slots_per_week = _WEEK_S // step
    n_series = max(agents.shape[1], 1)
    k = max(1, math.ceil(slots_per_week * n_series / MAX_ROWS))
    while slots_per_week % k:  # widened slots tile the week exactly
        k += 1
    slot_s = step * k
    slots, a = _fold(agents, index, slot_s, step, "mean", statistic)
    _, c = _fold(contacts, index, slot_s, step, "sum", statistic)

    offsets = slots * slot_s  # seconds since the reference Monday 00:00
    iso = _utc_iso(_REF_MONDAY + pd.to_timedelta(offsets, unit="s"))
    labels = _week_labels(offsets)
    channels = [str(x) for x in agents.columns]
    agent_rows = pd.DataFrame(
        {
            "interval_start": np.repeat(iso, len(channels)),
            "interval": np.repeat(labels, len(channels)),
            "channel": channels * len(iso),
            "channel_order": list(range(len(channels))) * len(iso),
            "agents": a.ravel(),
        }
    )
    contact_cols = [str(x) for x in contacts.columns]
    contact_rows = pd.DataFrame(
        {
            "interval_start": np.repeat(iso, len(contact_cols)),
            "interval": np.repeat(labels, len(contact_cols)),
            "channel": contact_cols * len(iso),
            "contacts": c.ravel(),
        }
    )
    layout = {
        "title": title,
        "width": w,
        "height": h,
        "minutes": f"{slot_s / 60:g} min",
        "stat": "mean week" if statistic == "mean" else "peak over weeks",
        "channels": tuple(channels),
        "contact_cols": tuple(contact_cols),
    }
    return ChartParts(_staffing_layout, (contact_rows, agent_rows), layout)


def _fold(
    frame: pd.DataFrame,
    index: pd.DatetimeIndex,
    slot_s: int,
    step: int,
    within: Literal["mean", "sum"],
    statistic: Literal["mean", "max"],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Return the slots of the week that occur and ``frame`` folded onto them (typical_week).

    When the slots are the intervals and each occurs once (one week of intervals, as the
    model's typical week), every group :func:`typical_week` forms holds one value: its sum,
    mean or maximum is the value itself (pandas' sum from 0.0 turns -0.0 into 0.0, as
    ``+ 0.0`` does), so the fold is a sort; otherwise :func:`typical_week` folds.
    """
    if slot_s == step:
        _, offset = week_offset_s(index)
        slots = offset // slot_s
        order = np.argsort(slots, kind="stable")
        slots = slots[order]
        if slots.size and bool(np.all(np.diff(slots) > 0)):
            return slots, frame.to_numpy(dtype=float)[order] + 0.0
    folded = typical_week(frame.set_axis(index), slot_s=slot_s, within=within, statistic=statistic)
    return folded.index.to_numpy(dtype=np.int64), folded.to_numpy(dtype=float)


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _week_labels(offsets: npt.NDArray[np.int64]) -> list[str]:
    """``Mon 09:30`` labels of offsets in seconds from Monday 00:00 (``strftime("%a %H:%M")``).

    The English day names of the C locale, which Python's ``strftime`` uses unless the program
    sets another; written out here to build a week of labels in a fraction of the time.
    """
    day, second = np.divmod(offsets, 86_400)
    hour, minute = second // 3600, second % 3600 // 60
    return [
        f"{_DAYS[d % 7]} {hh:02d}:{mm:02d}"
        for d, hh, mm in zip(day.tolist(), hour.tolist(), minute.tolist(), strict=True)
    ]


def _staffing_layout(
    contact_rows: pd.DataFrame,
    agent_rows: pd.DataFrame,
    *,
    title: str,
    width: int,
    height: int,
    minutes: str,
    stat: str,
    channels: tuple[str, ...],
    contact_cols: tuple[str, ...],
) -> alt.VConcatChart:
    """Lay :func:`staffing_chart` out: contacts above, stacked agents below."""
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
        .properties(width=width, height=max(height // 3, 40))
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
        .properties(width=width, height=height)
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
    chart: alt.LayerChart = (
        _layer(bars, line)
        .resolve_scale(color="independent")
        .properties(title=_title(title), width=w, height=h)
    )
    return chart
