"""Charts of a client's interval history: measured weekly volume beside the plan's forecast."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cxplan.present.theme import number_axis

__all__ = ["history_forecast_chart"]


def history_forecast_chart(
    measured: pd.DataFrame,
    forecast: pd.DataFrame,
    *,
    title: str = "Contacts per week: measured history and the plan's forecast",
    width: int = 720,
    height: int = 260,
) -> alt.LayerChart:
    """Weekly contacts per channel: the history as measured, then the forecast the plan uses.

    Parameters
    ----------
    measured : pandas.DataFrame
        ``channel, week_start, offered`` (e.g. :attr:`cxplan.data.baseline.Baseline.weekly`).
    forecast : pandas.DataFrame
        ``channel, week_start, offered`` for the plan's weeks.
    title : str
        Chart title.
    width, height : int
        Size in pixels.

    Returns
    -------
    altair.LayerChart
        Solid lines for the history, dashed for the forecast, one colour per channel.

    Examples
    --------
    >>> m = pd.DataFrame({"channel": ["voice"] * 2, "week_start": pd.to_datetime(
    ...     ["2025-12-15", "2025-12-22"]), "offered": [100.0, 110.0]})
    >>> f = m.assign(week_start=m["week_start"] + pd.Timedelta(weeks=2))
    >>> history_forecast_chart(m, f).to_dict()["layer"][1]["mark"]["strokeDash"]
    [6, 3]
    """
    data = pd.concat(
        [
            measured[["channel", "week_start", "offered"]].assign(series="measured"),
            forecast[["channel", "week_start", "offered"]].assign(series="forecast"),
        ],
        ignore_index=True,
    )
    base = alt.Chart(data).encode(
        x=alt.X("week_start:T", title="Week starting"),
        y=alt.Y("offered:Q", title="Contacts per week", axis=number_axis()),
        color=alt.Color("channel:N", title="Channel"),
        tooltip=[
            alt.Tooltip("channel:N", title="Channel"),
            alt.Tooltip("week_start:T", title="Week starting", format="%d %b %Y"),
            alt.Tooltip("offered:Q", title="Contacts", format=",.0f"),
            alt.Tooltip("series:N", title="Series"),
        ],
    )
    history = base.transform_filter(alt.datum.series == "measured").mark_line()
    ahead = base.transform_filter(alt.datum.series == "forecast").mark_line(strokeDash=[6, 3])
    layered = alt.LayerChart(layer=[history, ahead])
    return layered.properties(title=title, width=width, height=height)
