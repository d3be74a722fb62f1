"""Forecast a history per channel at the planning interval, with a backtest choosing the method.

:func:`forecast_history` aggregates the history to the planning interval, backtests the
methods of :mod:`cxplan.data.models` per channel (:mod:`cxplan.data.backtest`), refits the
chosen one on the whole history and forecasts every interval of the horizon, starting right
after the last history interval. Prediction intervals come from the method's count distribution
(:func:`cxplan.data.models.quantile`), so any quantile (e.g. P80 for staffing) is available.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from cxplan.data.backtest import Backtest, backtest
from cxplan.data.daytypes import Calendar
from cxplan.data.grid import DayGrid, horizon_index, to_grid, values_at
from cxplan.data.history import History
from cxplan.data.models import METHOD_LABELS, METHODS, predict, quantile
from cxplan.errors import InputError

__all__ = [
    "ChannelForecast",
    "ForecastResult",
    "forecast_channel",
    "forecast_history",
    "parse_duration_minutes",
]


@dataclass(frozen=True)
class ChannelForecast:
    """The forecast of one channel.

    Attributes
    ----------
    channel : str
        Channel name.
    index : pandas.DatetimeIndex
        Interval starts of the horizon.
    mean : numpy.ndarray
        Expected contacts per interval.
    var : numpy.ndarray
        Variance of contacts per interval (for quantiles).
    grid_dates : pandas.DatetimeIndex
        Days of the forecast grid.
    grid_mean, grid_var : numpy.ndarray
        The forecast as days × intervals of day (local wall-clock; see :mod:`cxplan.data.grid`).
    step_minutes : int
        Planning interval.
    backtest : Backtest
        Scores of every method; ``backtest.chosen`` made this forecast.
    """

    channel: str
    index: pd.DatetimeIndex
    mean: np.ndarray
    var: np.ndarray
    grid_dates: pd.DatetimeIndex
    grid_mean: np.ndarray
    grid_var: np.ndarray
    step_minutes: int
    backtest: Backtest

    @property
    def method(self) -> str:
        """The method used."""
        return self.backtest.chosen

    def quantile(self, q: float) -> pd.Series:
        """Contacts per interval at quantile ``q`` (e.g. 0.8 to staff to P80)."""
        return pd.Series(quantile(self.mean, self.var, q), index=self.index, name=self.channel)

    def series(self, q: float | None = None) -> pd.Series:
        """Mean forecast (``q=None``) or quantile ``q`` per interval."""
        if q is None:
            return pd.Series(self.mean, index=self.index, name=self.channel)
        return self.quantile(q)

    def frame(self, level: float = 0.80) -> pd.DataFrame:
        """``timestamp, channel, forecast, lower_80, upper_80`` (columns named for ``level``)."""
        pct = round(level * 100)
        lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
        return pd.DataFrame(
            {
                "timestamp": self.index,
                "channel": self.channel,
                "forecast": self.mean,
                f"lower_{pct}": quantile(self.mean, self.var, lo),
                f"upper_{pct}": quantile(self.mean, self.var, hi),
            }
        )


@dataclass(frozen=True)
class ForecastResult:
    """Forecasts of every channel of a history."""

    channels: dict[str, ChannelForecast]
    interval_minutes: int
    source: str

    def frame(self, level: float = 0.80) -> pd.DataFrame:
        """All channels' forecast rows (see :meth:`ChannelForecast.frame`)."""
        return pd.concat([c.frame(level) for c in self.channels.values()], ignore_index=True)

    def backtest_table(self) -> pd.DataFrame:
        """WAPE, bias and coverage per channel and method, with the chosen method flagged."""
        parts = []
        for name, c in self.channels.items():
            t = c.backtest.table.copy()
            t.insert(0, "channel", name)
            t["chosen"] = t["method"] == c.method
            parts.append(t)
        return pd.concat(parts, ignore_index=True)

    def backtest_dict(self) -> dict[str, object]:
        """JSON-ready backtest summary (``backtest.json`` of ``cxplan forecast``)."""
        return {
            "source": self.source,
            "interval_minutes": self.interval_minutes,
            "metrics": {
                "wape": "sum |forecast - actual| / sum actual",
                "bias": "sum (forecast - actual) / sum actual (positive: over-forecast)",
                "coverage_80": "share of intervals with volume inside the 80 % interval",
            },
            "channels": {n: c.backtest.to_dict() for n, c in self.channels.items()},
        }


def parse_duration_minutes(text: str, name: str) -> int:
    """Parse ``"30min"``, ``"1h"``, ``"7D"``, ``"26W"`` into whole minutes.

    Examples
    --------
    >>> parse_duration_minutes("30min", "interval"), parse_duration_minutes("7D", "horizon")
    (30, 10080)
    """
    try:
        delta = pd.Timedelta(text.strip().replace("W", "w"))
    except (ValueError, TypeError):
        raise InputError(f"{name}: not a duration such as 30min, 1h, 7D (got {text!r})") from None
    minutes = delta.total_seconds() / 60.0
    if minutes <= 0 or minutes != int(minutes):
        raise InputError(f"{name}: must be a positive whole number of minutes (got {text!r})")
    return int(minutes)


def forecast_channel(
    series: pd.Series,
    step_minutes: int,
    horizon_intervals: int,
    calendar: Calendar,
    *,
    channel: str = "all",
    backtest_weeks: int = 8,
    methods: Iterable[str] = METHODS,
    until: pd.Timestamp | None = None,
) -> ChannelForecast:
    """Backtest, choose and forecast one channel.

    Parameters
    ----------
    series : pandas.Series
        Contacts per interval at the planning interval (regular index; NaN = missing).
    step_minutes : int
        The planning interval.
    horizon_intervals : int
        Intervals to forecast after the last one of ``series``.
    calendar : Calendar
        Holidays and event days.
    channel : str
        Channel name.
    backtest_weeks : int
        Weekly origins of the backtest.
    methods : iterable of str
        Methods to compare (both baselines are always included).
    until : pandas.Timestamp, optional
        Also cover the days up to this date in the grid forecast (plans that start later).

    Returns
    -------
    ChannelForecast
        The forecast with its backtest.
    """
    if horizon_intervals < 1:
        raise InputError(f"horizon must cover at least one interval (got {horizon_intervals})")
    grid: DayGrid = to_grid(series, step_minutes)
    chosen_methods = tuple(dict.fromkeys([*methods, "seasonal_naive", "four_week_mean"]))
    test = backtest(grid, calendar, channel=channel, weeks=backtest_weeks, methods=chosen_methods)
    index = horizon_index(series.index[-1], step_minutes, horizon_intervals)
    wall_first = index[0].tz_localize(None) if index.tz is not None else index[0]
    wall_last = index[-1].tz_localize(None) if index.tz is not None else index[-1]
    end = max(wall_last.normalize(), until.normalize() if until is not None else wall_last)
    dates = pd.date_range(min(wall_first.normalize(), grid.dates[-1]), end, freq="D")
    fc = predict(test.chosen, grid, dates, calendar)
    mean = values_at(index, dates, fc.mean, step_minutes)
    var = values_at(index, dates, fc.var, step_minutes)
    return ChannelForecast(channel, index, mean, var, dates, fc.mean, fc.var, step_minutes, test)


def forecast_history(
    history: History,
    *,
    horizon_minutes: int = 7 * 1440,
    interval_minutes: int | None = None,
    country: str | None = None,
    subdiv: str | None = None,
    event_days: Iterable[date | str] = (),
    backtest_weeks: int = 8,
    methods: Iterable[str] = METHODS,
    until: pd.Timestamp | None = None,
) -> ForecastResult:
    """Forecast every channel of a history.

    Parameters
    ----------
    history : History
        From :func:`cxplan.data.history.read_history`.
    horizon_minutes : int
        Length of the horizon (7 days by default); the forecast has
        ``horizon_minutes / interval`` intervals per channel, starting right after the
        history's last interval.
    interval_minutes : int, optional
        Planning interval (default: the history's own).
    country, subdiv : str, optional
        Public holidays (``holidays`` library codes).
    event_days : iterable of date, optional
        Client-specific event days.
    backtest_weeks : int
        Weekly origins of the backtest (default 8).
    methods : iterable of str
        Candidate methods (default all of :data:`cxplan.data.models.METHODS`).
    until : pandas.Timestamp, optional
        Extend each channel's grid forecast to this date (see :func:`forecast_channel`).

    Returns
    -------
    ForecastResult
        One :class:`ChannelForecast` per channel.
    """
    step = interval_minutes or history.interval_minutes
    hist = history.at(step)
    if horizon_minutes % step:
        raise InputError(
            f"horizon: {horizon_minutes} minutes is not a whole number of {step}-minute intervals"
        )
    calendar = Calendar(country, subdiv=subdiv, event_days=event_days)
    methods = tuple(methods)
    unknown = [m for m in methods if m not in METHOD_LABELS]
    if unknown:
        raise InputError(f"unknown method {unknown[0]!r} (known: {', '.join(METHODS)})")
    out = {}
    for name in hist.channels:
        series = hist.series(name)
        out[name] = forecast_channel(
            series,
            step,
            horizon_minutes // step,
            calendar,
            channel=name,
            backtest_weeks=backtest_weeks,
            methods=methods,
            until=until,
        )
    return ForecastResult(out, step, history.source)
