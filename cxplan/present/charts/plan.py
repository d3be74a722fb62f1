"""Plan charts: the roadmap's Gantt chart and the weekly capacity plan."""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from cxplan.errors import InputError
from cxplan.present import theme
from cxplan.present.charts._common import (
    _BAD,
    _GOOD,
    _HIGH,
    _INK,
    _MONEY,
    _cap,
    _frame,
    _label,
    _layer,
    _numeric,
    _scale,
    _size,
    _title,
    _unique,
    _utc_iso,
)

__all__ = ["capacity_chart", "gantt_chart"]

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
    chart: alt.VConcatChart = (
        alt.vconcat(top, bottom, spacing=6)
        .resolve_scale(color="independent")
        .properties(title=_title(title, subtitle))
    )
    return chart
