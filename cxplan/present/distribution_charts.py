"""Charts of the distribution step (seed 003): a shift schedule's coverage against the requirement.

Builders say what is drawn; fonts, sizes, palette and the number style are the theme's
(:mod:`cxplan.present.theme`), applied when the chart is serialised
(:func:`cxplan.present.charts.to_svg`).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from cxplan.errors import InputError
from cxplan.present import theme

__all__ = ["coverage_chart"]

#: Series of :func:`coverage_chart`, in legend order, with their colours (Okabe–Ito).
COVERAGE_SERIES: dict[str, str] = {
    "Required on the phones": theme.INK,
    "Scheduled on the phones": theme.PALETTE[0],
    "Short of the requirement": theme.BAD,
}


def coverage_chart(
    intervals: pd.DataFrame,
    *,
    title: str = "Shift schedule against the requirement, scheduled week",
    width: int = 720,
    height: int = 260,
) -> alt.LayerChart:
    """Chart required vs scheduled on-phone agents per interval of the scheduled week.

    Parameters
    ----------
    intervals : pandas.DataFrame
        :attr:`cxplan.workforce.shifts.ScheduleResult.intervals`: a DatetimeIndex (one week)
        and columns ``required``, ``on_phone`` and ``under`` (agents).
    title : str
        Chart title.
    width, height : int
        Size in pixels.

    Returns
    -------
    altair.LayerChart
        The scheduled on-phone agents as a filled step area, the requirement as a dark step
        line over it, and any shortfall (soft coverage) as red bars; the gap between the area
        and the line is the over-coverage whole shifts cost.

    Raises
    ------
    InputError
        Not a DatetimeIndex, or a missing column.

    Examples
    --------
    >>> idx = pd.date_range("2027-01-04", periods=4, freq="30min")
    >>> t = pd.DataFrame({"required": [1.0, 2, 2, 1], "on_phone": [1.4, 2.1, 2.1, 1.4],
    ...                   "under": [0.0] * 4}, index=idx)
    >>> [layer["mark"]["type"] for layer in coverage_chart(t).to_dict()["layer"]]
    ['area', 'line', 'bar']
    """
    if not isinstance(intervals, pd.DataFrame) or not isinstance(intervals.index, pd.DatetimeIndex):
        raise InputError("intervals must be a DataFrame with a DatetimeIndex (one week)")
    missing = [c for c in ("required", "on_phone", "under") if c not in intervals]
    if missing:
        raise InputError(f"intervals needs columns required, on_phone, under (missing {missing})")
    idx = intervals.index.tz_localize(None) if intervals.index.tz is not None else intervals.index
    starts = [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in idx]
    labels = [t.strftime("%a %H:%M") for t in idx]
    names = list(COVERAGE_SERIES)

    def frame(column: str, series: str) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "start": starts,
                "interval": labels,
                "series": series,
                "agents": intervals[column].to_numpy(dtype=float).round(2),
            }
        )

    data = pd.concat(
        [
            frame("on_phone", names[1]),
            frame("required", names[0]),
            frame("under", names[2]),
        ],
        ignore_index=True,
    )
    x = alt.X(
        "start:T",
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(format="%a %H:%M", tickCount={"interval": "day", "step": 1}, labelAngle=0),
        title="Interval of the scheduled week",
    )
    color = alt.Color(
        "series:N",
        scale=alt.Scale(domain=names, range=list(COVERAGE_SERIES.values())),
        title=None,
    )
    tooltip = [
        alt.Tooltip("interval:N", title="Interval"),
        alt.Tooltip("series:N", title="Series"),
        alt.Tooltip("agents:Q", title="Agents", format=",.1f"),
    ]
    y = alt.Y("agents:Q", title="Agents on the phones", axis=theme.number_axis())
    base = alt.Chart(data).encode(x=x, y=y, color=color, tooltip=tooltip)
    area = base.transform_filter(alt.datum.series == names[1]).mark_area(
        interpolate="step-after", opacity=0.45
    )
    line = base.transform_filter(alt.datum.series == names[0]).mark_line(
        interpolate="step-after", strokeWidth=1.5
    )
    short = base.transform_filter(
        (alt.datum.series == names[2]) & (alt.datum.agents > 0)
    ).mark_bar()
    return alt.LayerChart(layer=[area, line, short], title=title, width=width, height=height)
