"""The model hook: forecast contacts per plan interval from a region's interval history.

:func:`plan_forecast` reads the history named in a region's ``history:`` section, forecasts each
plan channel (backtest and method choice as in :mod:`cxplan.data.forecast`) and reads the
forecast at the plan's intervals; :func:`plan_volumes` returns just the contacts per interval
(mean, or the ``staffing_quantile``), which is what ``RegionModel.volumes`` needs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cxplan.data.daytypes import Calendar
from cxplan.data.forecast import ChannelForecast, forecast_channel
from cxplan.data.history import History, read_history
from cxplan.data.models import quantile
from cxplan.errors import DataError, InputError

if TYPE_CHECKING:
    from cxplan.config.params import HistoryParams

__all__ = ["PlanForecast", "plan_forecast", "plan_volumes"]


@dataclass(frozen=True)
class PlanForecast:
    """Forecasts of a region's plan channels on the plan's intervals.

    Attributes
    ----------
    history : History
        The history as read (at its own interval).
    index : pandas.DatetimeIndex
        The plan's intervals (naive local wall-clock time, like ``RegionModel.index``).
    channels : dict of str to ChannelForecast
        Plan channel → its forecast (with the backtest that chose the method).
    sources : dict of str to str
        Plan channel → the history channel it was forecast from.
    """

    history: History
    index: pd.DatetimeIndex
    channels: dict[str, ChannelForecast]
    sources: dict[str, str]

    def volumes(self, q: float | None = None) -> dict[str, pd.Series]:
        """Contacts per plan interval per channel: the mean (``q=None``) or quantile ``q``."""
        out = {}
        for name, fc in self.channels.items():
            step = fc.step_minutes
            row = np.asarray((self.index.normalize() - fc.grid_dates[0]).days, dtype=np.int64)
            slot = np.asarray((self.index.hour * 60 + self.index.minute) // step, dtype=np.int64)
            mean, var = fc.grid_mean[row, slot], fc.grid_var[row, slot]
            values = mean if q is None else quantile(mean, var, q)
            out[name] = pd.Series(values, index=self.index, name=name)
        return out

    def backtest_table(self) -> pd.DataFrame:
        """WAPE, bias and coverage per plan channel and method (chosen method flagged)."""
        parts = []
        for name, fc in self.channels.items():
            t = fc.backtest.table.copy()
            t.insert(0, "channel", name)
            t["chosen"] = t["method"] == fc.method
            parts.append(t)
        return pd.concat(parts, ignore_index=True)


def _source_channel(plan_channel: str, mapping: dict[str, str], available: Sequence[str]) -> str:
    wanted = mapping.get(plan_channel, plan_channel)
    if wanted in available:
        return wanted
    if plan_channel not in mapping and len(available) == 1:
        return available[0]
    raise InputError(
        f"history.channels: plan channel {plan_channel!r} has no history channel {wanted!r} "
        f"(the history has {', '.join(available)}; map it, e.g. {plan_channel}: "
        f"{available[0]!r})"
    )


def plan_forecast(
    history_params: HistoryParams,
    params_root: str | os.PathLike[str],
    start: date | pd.Timestamp,
    horizon_weeks: int,
    interval_minutes: int,
    channels: Sequence[str],
) -> PlanForecast:
    """Forecast a region's plan channels from its history.

    Parameters
    ----------
    history_params : HistoryParams
        The region's ``history:`` section.
    params_root : path-like
        Folder ``history_params.file`` is relative to (the folder holding ``defaults.yaml``).
    start : date
        First day of the plan (after the history's last interval).
    horizon_weeks : int
        Plan length in weeks.
    interval_minutes : int
        Plan interval (a multiple of the history's interval).
    channels : sequence of str
        Plan channels to forecast (``voice``, ``chat``, ``email``).

    Returns
    -------
    PlanForecast
        Per-channel forecasts on the plan's intervals.

    Raises
    ------
    DataError
        For a bad history file.
    InputError
        For a plan that starts before the history ends, or an unmapped channel.
    """
    from cxplan.config.params import data_file  # (config imports this package's columns)

    try:  # inside the params folder once links are followed, a regular file
        path = data_file(params_root, history_params.file)
    except InputError as exc:
        raise DataError(f"history.file: {exc}") from None
    history = read_history(
        path,
        columns=history_params.columns or None,
        timezone=history_params.timezone,
        gap_fill=history_params.gap_fill,
        answer_threshold_s=history_params.answer_threshold_s,
        dayfirst=history_params.dayfirst,
        sheet=history_params.sheet,
    )
    per_day = 1440 // interval_minutes
    first = pd.Timestamp(start)
    index = pd.date_range(first, periods=horizon_weeks * 7 * per_day, freq=f"{interval_minutes}min")
    end = history.end.tz_localize(None) if history.end.tz is not None else history.end
    if first <= end:
        raise InputError(
            f"region.start_date {first.date()} must come after the history's last interval "
            f"({end}) in {history_params.file}"
        )
    hist = history.at(interval_minutes)
    calendar = Calendar(
        history_params.country,
        subdiv=history_params.subdivision,
        event_days=history_params.event_days,
    )
    out: dict[str, ChannelForecast] = {}
    sources: dict[str, str] = {}
    for name in channels:
        mapping = {str(k): v for k, v in history_params.channels.items()}
        source = _source_channel(name, mapping, hist.channels)
        out[name] = forecast_channel(
            hist.series(source),
            interval_minutes,
            1,
            calendar,
            channel=source,
            backtest_weeks=history_params.backtest_weeks,
            until=index[-1],
        )
        sources[name] = source
    return PlanForecast(history, index, out, sources)


def plan_volumes(
    history_params: HistoryParams,
    params_root: str | os.PathLike[str],
    start: date | pd.Timestamp,
    horizon_weeks: int,
    interval_minutes: int,
    channels: Sequence[str],
) -> dict[str, pd.Series]:
    """Forecast contacts per plan interval, per channel, for ``RegionModel``.

    The mean forecast, or its ``history_params.staffing_quantile`` (e.g. 0.8 to staff to P80).
    Arguments as :func:`plan_forecast`; the Series are indexed like ``RegionModel.index``.
    """
    fc = plan_forecast(
        history_params, params_root, start, horizon_weeks, interval_minutes, channels
    )
    return fc.volumes(history_params.staffing_quantile)
