"""Interval tables folded onto one week: the typical (or peak) week of a staffing horizon.

A horizon of 15/30/60-minute intervals becomes one row per slot of the week (Monday 00:00 to
Sunday 24:00, wall-clock time): within each calendar week, the intervals of a slot are combined
(``"mean"`` for a rate such as agents on duty: agent-hours / hours, so the area stays the
workload; ``"sum"`` for a count such as contacts), then the weeks are combined per slot
(``"mean"``: the typical week; ``"max"``: the peak seen in that slot).

Used by :func:`cxplan.present.charts.staffing_chart`; :attr:`cxplan.model.RegionModel.typical_week`
is the model's own typical week, which folds weeks counted from the plan's start instead.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from cxplan.errors import InputError

__all__ = ["WEEK_S", "typical_week", "week_offset_s"]

#: Seconds in a week.
WEEK_S = 7 * 86_400
_EPOCH_TO_MONDAY_S = 3 * 86_400  # 1970-01-01 was a Thursday: +3 days puts Monday at 0


def week_offset_s(index: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Calendar week number and seconds since Monday 00:00 (wall-clock time) of each entry.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Interval starts; tz-aware entries are taken in their own (wall-clock) time.

    Returns
    -------
    week, offset : numpy.ndarray of int64
        Weeks counted from the Monday on or before 1970-01-01; offset in seconds, 0 to
        ``WEEK_S - 1``.

    Examples
    --------
    >>> week, offset = week_offset_s(pd.DatetimeIndex(["2024-01-01 00:00", "2024-01-07 23:30"]))
    >>> (week[0] == week[1], offset.tolist())
    (np.True_, [0, 603000])
    """
    wall = index.tz_localize(None) if index.tz is not None else index
    seconds = wall.to_numpy().astype("datetime64[s]").astype(np.int64) + _EPOCH_TO_MONDAY_S
    return seconds // WEEK_S, seconds % WEEK_S


def typical_week(
    frame: pd.DataFrame,
    *,
    slot_s: int,
    within: Literal["mean", "sum"] = "mean",
    statistic: Literal["mean", "max"] = "mean",
) -> pd.DataFrame:
    """Fold an interval table onto the slots of one week.

    Parameters
    ----------
    frame : pandas.DataFrame
        Numeric columns, indexed by a :class:`~pandas.DatetimeIndex` of interval starts.
    slot_s : int
        Slot length in seconds; a whole number of the table's intervals that divides a week.
    within : {"mean", "sum"}
        How the intervals of one slot in one week combine (``"mean"`` for agents on duty,
        ``"sum"`` for contacts).
    statistic : {"mean", "max"}
        How the weeks combine for each slot: the typical week or the peak over weeks.

    Returns
    -------
    pandas.DataFrame
        The same columns, one row per slot that occurs, indexed by ``slot`` (the slot's start in
        seconds since Monday 00:00 divided by ``slot_s``), sorted.

    Raises
    ------
    InputError
        A non-DatetimeIndex, a slot length that does not divide a week, or an unknown
        ``within`` / ``statistic``.

    Examples
    --------
    Two Mondays at 09:00, hourly slots: the typical Monday 09:00 is their mean.

    >>> idx = pd.DatetimeIndex(["2024-01-01 09:00", "2024-01-08 09:00"])
    >>> agents = pd.DataFrame({"agents": [4.0, 6.0]}, index=idx)
    >>> typical_week(agents, slot_s=3600)["agents"].tolist()
    [5.0]
    """
    if not isinstance(frame.index, pd.DatetimeIndex):
        raise InputError("frame must be indexed by a DatetimeIndex of intervals")
    if slot_s <= 0 or WEEK_S % slot_s:
        raise InputError(f"slot_s ({slot_s}) must be a positive divisor of a week ({WEEK_S} s)")
    if within not in ("mean", "sum"):
        raise InputError(f"within must be 'mean' or 'sum' (got {within!r})")
    if statistic not in ("mean", "max"):
        raise InputError(f"statistic must be 'mean' or 'max' (got {statistic!r})")
    week, offset = week_offset_s(frame.index)
    keys = pd.DataFrame({"week": week, "slot": offset // slot_s})
    values = frame.reset_index(drop=True)
    per_week = pd.concat([keys, values], axis=1).groupby(["week", "slot"], sort=True).agg(within)
    return per_week.groupby(level="slot", sort=True).agg(statistic)
