"""KPI chart: the scorecard as a table chart coloured by status."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from cxplan.errors import InputError
from cxplan.present.charts._common import (
    _INK,
    STATUS_COLORS,
    _cap,
    _frame,
    _label,
    _layer,
    _size,
    _title,
)

__all__ = ["kpi_chart"]


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
