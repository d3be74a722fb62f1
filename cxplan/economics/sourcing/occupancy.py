"""The price of an occupancy cap: extra agent hours, FTE and money against an uncapped plan."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_array
from cxplan.economics.costs import LocationProfile, TechStack, staffing_cost
from cxplan.economics.sourcing.comparison import _shrinkage
from cxplan.economics.sourcing.hybrid import _volume
from cxplan.errors import InputError
from cxplan.workforce.staffing import (
    ChatChannel,
    DeferredChannel,
    VoiceChannel,
    rollup,
    staff_intervals,
)

__all__ = ["occupancy_investment"]

Array = npt.NDArray[np.float64]
Channel = VoiceChannel | ChatChannel | DeferredChannel

# the price of an occupancy cap
# ---------------------------------------------------------------------------------------------


def occupancy_investment(
    volume: pd.Series,
    channel: Channel,
    location: LocationProfile,
    tech: TechStack,
    *,
    shrinkage: float,
    max_occupancy: Sequence[float],
    baseline_max_occupancy: float,
    interval_s: float | None = None,
) -> pd.DataFrame:
    """Price occupancy caps against a baseline cap: extra hours, FTE, peak agents and money.

    Parameters
    ----------
    volume, channel, location, tech, shrinkage, interval_s
        As for :func:`inhouse_monthly_cost`; the channel's own ``max_occupancy`` is replaced.
    max_occupancy : sequence of float
        Occupancy caps to price, each in (0, 1] (seed 002: 0.60–0.70).
    baseline_max_occupancy : float
        The cap they are compared with, in (0, 1] (seed 002: "in the 80s", e.g. 0.85).

    Returns
    -------
    pandas.DataFrame
        Tidy, one row per month and cap (baseline included): ``month``, ``max_occupancy``,
        ``contacts``, ``agent_hours``, ``paid_hours``, ``paid_fte`` (paid hours ÷ the paid hours
        of one FTE per month), ``peak_agents`` (largest interval staffing in the month),
        ``achieved_occupancy`` (hours-weighted), ``cost``, and the investment versus the
        baseline: ``extra_agent_hours``, ``extra_paid_fte``, ``extra_peak_agents``,
        ``extra_cost``.

    Notes
    -----
    The service-level target still applies; the cap only binds in intervals where the target
    alone would run agents hotter than the cap (large queues). Small queues already run below
    60–70 % to meet 80/20, so the investment is concentrated in the busy intervals; this table
    shows it per month instead of hiding it in an average cost per contact.

    Examples
    --------
    200 calls per half hour (33.3 Erlangs) 08–20 h: 40 agents at an 85 % cap, 52 at 65 %.

    >>> from cxplan.economics.costs import LOCATION_PRESETS, TECH_STACK_PRESETS
    >>> idx = pd.date_range("2026-01-01", periods=31 * 48, freq="30min")
    >>> vol = pd.Series(np.where(idx.hour.isin(range(8, 20)), 200.0, 0.0), index=idx)
    >>> out = occupancy_investment(vol, VoiceChannel(aht_s=300), LOCATION_PRESETS["offshore"],
    ...     TECH_STACK_PRESETS["seed001_low"], shrinkage=0.3, max_occupancy=[0.65],
    ...     baseline_max_occupancy=0.85)
    >>> cols = ["max_occupancy", "peak_agents", "extra_paid_fte", "extra_cost"]
    >>> out[cols].round(2).values.tolist()
    [[0.85, 40.0, 0.0, 0.0], [0.65, 52.0, 36.79, 87590.22]]
    """
    caps = as_array("max_occupancy", list(max_occupancy), low=0.0, low_inclusive=False, high=1.0)
    base = as_array(
        "baseline_max_occupancy", baseline_max_occupancy, low=0.0, low_inclusive=False, high=1.0
    )
    if caps.ndim != 1 or base.ndim != 0:
        raise InputError("max_occupancy must be a list of caps and baseline_max_occupancy a number")
    s = _shrinkage(shrinkage)
    _volume(volume)
    fte_hours = location.paid_hours_per_fte_per_month
    frames: list[pd.DataFrame] = []
    all_caps = [float(base), *(float(c) for c in caps if float(c) != float(base))]
    for cap in all_caps:
        ch = channel.replace(max_occupancy=cap)
        table = staff_intervals(volume, ch, interval_s=interval_s)
        monthly = rollup(table, "MS", shrinkage=s, interval_s=interval_s)
        cost = staffing_cost(monthly[["contacts", "agent_hours"]], location, tech, shrinkage=s)
        work = (table["occupancy"] * table["agent_hours"]).resample("MS").sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            achieved = np.where(
                cost["agent_hours"] > 0, work.to_numpy() / cost["agent_hours"].to_numpy(), np.nan
            )
        frames.append(
            pd.DataFrame(
                {
                    "month": cost.index,
                    "max_occupancy": cap,
                    "contacts": cost["contacts"].to_numpy(),
                    "agent_hours": cost["agent_hours"].to_numpy(),
                    "paid_hours": cost["paid_hours"].to_numpy(),
                    "paid_fte": cost["paid_hours"].to_numpy() / fte_hours,
                    "peak_agents": table["agents"].resample("MS").max().to_numpy(),
                    "achieved_occupancy": achieved,
                    "cost": cost["cost"].to_numpy(),
                }
            )
        )
    baseline = frames[0]
    for frame in frames:
        for col in ("agent_hours", "paid_fte", "peak_agents", "cost"):
            frame[f"extra_{col}"] = frame[col].to_numpy() - baseline[col].to_numpy()
    return pd.concat(frames, ignore_index=True)
