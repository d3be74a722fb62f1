"""Day × interval-of-day grid of one channel's volumes, in local wall-clock time.

Forecasting works on a matrix with one row per calendar day and one column per interval of the
day (96 columns at 15 minutes). Daylight saving is handled once, here: on a 25-hour day the
repeated hour's two intervals add into one cell, and on a 23-hour day the skipped hour's cells
are 0 (they do not exist); :func:`values_at` maps a forecast grid back onto real intervals,
splitting a repeated hour's cell between its two intervals. Missing data are NaN.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan.errors import InputError

__all__ = ["DayGrid", "cells", "horizon_index", "to_grid", "values_at"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class DayGrid:
    """Volumes of one channel as a days × intervals-of-day matrix.

    Attributes
    ----------
    dates : pandas.DatetimeIndex
        Consecutive calendar days (naive midnights).
    values : numpy.ndarray
        Shape ``(len(dates), 1440 // step_minutes)``; NaN where data are missing (including
        before the first and after the last interval).
    step_minutes : int
        Interval length.
    tz : tzinfo or None
        Zone of the original timestamps.
    """

    dates: pd.DatetimeIndex
    values: FloatArray
    step_minutes: int
    tz: Any = None

    @property
    def slots(self) -> int:
        """Intervals per day."""
        return 1440 // self.step_minutes

    @property
    def totals(self) -> FloatArray:
        """Daily totals (NaN for a day with any missing interval)."""
        return np.asarray(self.values.sum(axis=1), dtype=float)

    @property
    def complete(self) -> npt.NDArray[np.bool_]:
        """Days without missing intervals."""
        return np.asarray(~np.isnan(self.values).any(axis=1))

    def before(self, date: pd.Timestamp) -> DayGrid:
        """Return the days before ``date`` (a training window)."""
        keep = self.dates < date
        return DayGrid(self.dates[keep], self.values[keep], self.step_minutes, self.tz)

    def between(self, start: pd.Timestamp, stop: pd.Timestamp) -> FloatArray:
        """Rows for ``start <= date < stop``."""
        keep = (self.dates >= start) & (self.dates < stop)
        return self.values[keep]


def cells(index: pd.DatetimeIndex, step_minutes: int) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Local date (naive midnight) and interval-of-day of each timestamp."""
    wall = index.tz_localize(None) if index.tz is not None else index
    slot = np.asarray((wall.hour * 60 + wall.minute) // step_minutes, dtype=np.int64)
    return wall.normalize(), slot


def to_grid(series: pd.Series, step_minutes: int) -> DayGrid:
    """Build the day grid of a regular interval series.

    Parameters
    ----------
    series : pandas.Series
        Volumes indexed by interval start (regular step; NaN = missing).
    step_minutes : int
        Interval length.

    Returns
    -------
    DayGrid
        The grid; cells of a skipped daylight-saving hour inside the series' span are 0.

    Examples
    --------
    >>> idx = pd.date_range("2026-01-05 23:00", periods=4, freq="30min")
    >>> g = to_grid(pd.Series([1.0, 2, 3, 4], index=idx), 30)
    >>> g.values.shape, float(g.values[0, 46]), float(g.values[1, 1])
    ((2, 48), 1.0, 4.0)
    """
    index = pd.DatetimeIndex(series.index)
    if len(index) == 0:
        raise InputError("an empty series has no day grid")
    day, slot = cells(index, step_minutes)
    slots = 1440 // step_minutes
    dates = pd.date_range(day.min(), day.max(), freq="D")
    row = np.asarray((day - dates[0]).days, dtype=np.int64)
    vals = series.to_numpy(dtype=float)
    nan = np.isnan(vals)
    total = np.zeros((len(dates), slots))
    count = np.zeros((len(dates), slots))
    nans = np.zeros((len(dates), slots))
    np.add.at(total, (row, slot), np.where(nan, 0.0, vals))
    np.add.at(count, (row, slot), 1.0)
    np.add.at(nans, (row, slot), nan.astype(float))
    pos = np.arange(len(dates) * slots).reshape(len(dates), slots)
    first, last = row[0] * slots + slot[0], row[-1] * slots + slot[-1]
    inside = (pos >= first) & (pos <= last)
    values = np.where(count > 0, total, np.where(inside, 0.0, np.nan))
    values[nans > 0] = np.nan
    return DayGrid(dates, values, step_minutes, index.tz)


def horizon_index(last: pd.Timestamp, step_minutes: int, periods: int) -> pd.DatetimeIndex:
    """Return the ``periods`` interval starts right after ``last`` (regular in absolute time)."""
    step = pd.Timedelta(minutes=step_minutes)
    return pd.date_range(pd.Timestamp(last) + step, periods=periods, freq=step)


def values_at(
    index: pd.DatetimeIndex, dates: pd.DatetimeIndex, grid_values: FloatArray, step_minutes: int
) -> FloatArray:
    """Read a forecast grid at real interval starts.

    A cell shared by two intervals (the repeated hour of a 25-hour day) is split equally.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Interval starts to read.
    dates : pandas.DatetimeIndex
        The grid's days (consecutive naive midnights).
    grid_values : numpy.ndarray
        ``(len(dates), slots)`` values (or ``(..., len(dates), slots)`` stacked).
    step_minutes : int
        Interval length.

    Returns
    -------
    numpy.ndarray
        One value per element of ``index`` (stacked along the leading axes).
    """
    day, slot = cells(index, step_minutes)
    row = np.asarray((day - dates[0]).days, dtype=np.int64)
    if row.min() < 0 or row.max() >= len(dates):
        raise InputError("the forecast grid does not cover the requested intervals")
    key = row * (1440 // step_minutes) + slot
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    share = 1.0 / counts[inverse]
    return np.asarray(grid_values[..., row, slot] * share, dtype=float)
