"""In-house, outsourced and hybrid monthly costs from one forecast, compared month by month."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_scalar
from cxplan.economics.costs import LocationProfile, TechStack, staffing_cost
from cxplan.economics.outsourcing import VendorQuote
from cxplan.economics.sourcing.hybrid import (
    AfterHoursSplit,
    HybridSplit,
    OverflowSplit,
    ShareSplit,
    _volume,
)
from cxplan.errors import InputError
from cxplan.workforce.staffing import (
    ChatChannel,
    DeferredChannel,
    VoiceChannel,
    rollup,
    staff_intervals,
)

__all__ = [
    "COMPARISON_COLUMNS",
    "compare_sourcing",
    "inhouse_monthly_cost",
    "outsourced_monthly_cost",
]

Array = npt.NDArray[np.float64]
Channel = VoiceChannel | ChatChannel | DeferredChannel

INHOUSE = "in-house"
OUTSOURCED = "outsourced"

#: Columns of :func:`compare_sourcing` (tidy: one row per month and option).
COMPARISON_COLUMNS: tuple[str, ...] = (
    "month",
    "option",
    "contacts",
    "inhouse_contacts",
    "vendor_contacts",
    "inhouse_agent_hours",
    "inhouse_paid_hours",
    "vendor_agent_hours",
    "inhouse_cost",
    "vendor_invoice",
    "governance",
    "value_leakage",
    "one_off_cost",
    "parallel_run_cost",
    "total_cost",
)


# ---------------------------------------------------------------------------------------------
# monthly costs of one option side
# ---------------------------------------------------------------------------------------------


def _shrinkage(value: Any) -> float:
    return as_scalar("shrinkage", value, low=0.0, high=1.0, high_inclusive=False)


def _monthly_staffing(
    volume: pd.Series, channel: Channel, interval_s: float | None, shrinkage: float
) -> pd.DataFrame:
    table = staff_intervals(volume, channel, interval_s=interval_s)
    return rollup(table, "MS", shrinkage=shrinkage, interval_s=interval_s)


def inhouse_monthly_cost(
    volume: pd.Series,
    channel: Channel,
    location: LocationProfile,
    tech: TechStack,
    *,
    shrinkage: float,
    interval_s: float | None = None,
) -> pd.DataFrame:
    """Monthly in-house running cost of a volume forecast, by cost component.

    Parameters
    ----------
    volume : pandas.Series
        Contacts per interval (regular DatetimeIndex, or give ``interval_s``).
    channel : VoiceChannel, ChatChannel or DeferredChannel
        Handle time and service targets (see :mod:`cxplan.workforce.staffing`).
    location : LocationProfile
        Labour and site costs.
    tech : TechStack
        Per-agent licences.
    shrinkage : float
        Share of paid time unavailable, in [0, 1).
    interval_s : float, optional
        Interval length, seconds (inferred from the index when omitted).

    Returns
    -------
    pandas.DataFrame
        Indexed by month start: ``contacts``, ``agent_hours``, ``paid_hours``, one column per
        cost component, ``cost`` and ``cost_per_contact`` (see
        :func:`cxplan.economics.costs.staffing_cost`).

    Examples
    --------
    >>> from cxplan.economics.costs import LOCATION_PRESETS, TECH_STACK_PRESETS
    >>> idx = pd.date_range("2026-01-01", periods=31 * 48, freq="30min")
    >>> m = inhouse_monthly_cost(pd.Series(20.0, index=idx), VoiceChannel(aht_s=300),
    ...                          LOCATION_PRESETS["offshore"], TECH_STACK_PRESETS["seed001_low"],
    ...                          shrinkage=0.3)
    >>> m[["contacts", "agent_hours"]].round(1).values.tolist()  # 6 agents × 744 h
    [[29760.0, 4464.0]]
    """
    s = _shrinkage(shrinkage)
    return _inhouse_cost_of(
        staff_intervals(volume, channel, interval_s=interval_s), location, tech, s, interval_s
    )


def _inhouse_cost_of(
    table: pd.DataFrame,
    location: LocationProfile,
    tech: TechStack,
    shrinkage: float,
    interval_s: float | None,
) -> pd.DataFrame:
    """Monthly in-house cost of an interval staffing table (``inhouse_monthly_cost``'s step 2)."""
    monthly = rollup(table, "MS", shrinkage=shrinkage, interval_s=interval_s)
    return staffing_cost(monthly[["contacts", "agent_hours"]], location, tech, shrinkage=shrinkage)


def outsourced_monthly_cost(
    volume: pd.Series,
    channel: Channel,
    quote: VendorQuote,
    *,
    interval_s: float | None = None,
) -> pd.DataFrame:
    """Monthly running cost of sending a volume forecast to a vendor (one-offs excluded).

    Parameters
    ----------
    volume : pandas.Series
        Contacts per interval sent to the vendor.
    channel : VoiceChannel, ChatChannel or DeferredChannel
        The service the vendor must deliver. Its ``aht_s`` drives per-minute billing; when the
        quote bills agent hours or seats, the vendor's billable hours are the staffing engine's
        ``agent_hours`` for this channel (so a small queue runs at low occupancy, as it would).
    quote : VendorQuote
        The vendor's prices.
    interval_s : float, optional
        Interval length, seconds.

    Returns
    -------
    pandas.DataFrame
        Indexed by month start: ``contacts``, ``agent_hours`` (NaN when the quote does not bill
        hours), then the columns of :meth:`VendorQuote.breakdown` (components,
        ``minimum_top_up``, ``invoice``, ``governance``, ``value_leakage``, ``cost``).

    Examples
    --------
    10 calls per half hour 08–20 h billed at $8 per agent hour (domain notes: $8–12/h): the
    staffing engine puts 4 agents on each interval, 4 × 12 h × 31 days = 1,488 billable hours.

    >>> from cxplan.economics.outsourcing import QUOTE_PRESETS
    >>> idx = pd.date_range("2026-01-01", periods=31 * 48, freq="30min")
    >>> vol = pd.Series(np.where(idx.hour.isin(range(8, 20)), 10.0, 0.0), index=idx)
    >>> m = outsourced_monthly_cost(vol, VoiceChannel(aht_s=300),
    ...                             QUOTE_PRESETS["offshore_agent_hour_low"])
    >>> m[["contacts", "agent_hours", "invoice"]].values.tolist()
    [[7440.0, 1488.0, 11904.0]]
    """
    _volume(volume)
    if quote.needs_agent_hours:
        monthly = _monthly_staffing(volume, channel, interval_s, 0.0)
        hours: Array | None = monthly["agent_hours"].to_numpy(dtype=float)
    else:
        if not isinstance(volume.index, pd.DatetimeIndex):
            raise InputError("volume needs a DatetimeIndex to roll up by month")
        monthly = volume.rename("contacts").to_frame().resample("MS").sum()
        hours = None
    contacts = monthly["contacts"].to_numpy(dtype=float)
    frame = quote.breakdown(
        contacts,
        aht_s=channel.aht_s if quote.needs_aht else None,
        agent_hours=hours,
        index=monthly.index,
    )
    frame.insert(0, "agent_hours", np.nan if hours is None else hours)
    frame.insert(0, "contacts", contacts)
    return frame


def _overlap(months: int, parallel_run_months: float) -> Array:
    """Share of each month (0, 1, or a fraction) inside the parallel-run period."""
    return np.clip(parallel_run_months - np.arange(months, dtype=float), 0.0, 1.0)


# ---------------------------------------------------------------------------------------------
# the comparison
# ---------------------------------------------------------------------------------------------


def _option_frame(
    option: str,
    full: pd.DataFrame,
    inhouse: pd.DataFrame | None,
    vendor: pd.DataFrame | None,
    quote: VendorQuote,
    inhouse_one_off_cost: float,
) -> pd.DataFrame:
    """Assemble one option's monthly rows from its in-house and vendor sides."""
    months = full.index
    n = len(months)
    zero = np.zeros(n)
    first = np.zeros(n)
    first[0] = 1.0
    inh_cost = zero if inhouse is None else inhouse["cost"].to_numpy(dtype=float)
    one_off = zero.copy()
    parallel = zero.copy()
    if inhouse is not None:
        one_off += first * inhouse_one_off_cost
    if vendor is not None:
        one_off += first * quote.transition_cost
        transferred = np.maximum(full["cost"].to_numpy(dtype=float) - inh_cost, 0.0)
        parallel = _overlap(n, quote.parallel_run_months) * transferred

    def col(frame: pd.DataFrame | None, name: str, empty: float = 0.0) -> Array:
        if frame is None:
            return np.full(n, empty)
        return frame[name].to_numpy(dtype=float)

    vendor_running = col(vendor, "cost")
    out = pd.DataFrame(
        {
            "month": months,
            "option": option,
            "contacts": full["contacts"].to_numpy(dtype=float),
            "inhouse_contacts": col(inhouse, "contacts"),
            "vendor_contacts": col(vendor, "contacts"),
            "inhouse_agent_hours": col(inhouse, "agent_hours"),
            "inhouse_paid_hours": col(inhouse, "paid_hours"),
            "vendor_agent_hours": col(vendor, "agent_hours", np.nan),
            "inhouse_cost": inh_cost,
            "vendor_invoice": col(vendor, "invoice"),
            "governance": col(vendor, "governance"),
            "value_leakage": col(vendor, "value_leakage"),
            "one_off_cost": one_off,
            "parallel_run_cost": parallel,
        }
    )
    out["total_cost"] = inh_cost + vendor_running + one_off + parallel
    return out


def compare_sourcing(
    volume: pd.Series,
    channel: Channel,
    location: LocationProfile,
    tech: TechStack,
    quote: VendorQuote,
    *,
    shrinkage: float,
    hybrids: Sequence[HybridSplit] | Mapping[str, HybridSplit] = (),
    vendor_channel: Channel | None = None,
    inhouse_one_off_cost: float = 0.0,
    interval_s: float | None = None,
    staffed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Monthly total cost of ownership of in-house, outsourced and hybrid options.

    Parameters
    ----------
    volume : pandas.Series
        Contacts per interval over the plan horizon (regular DatetimeIndex).
    channel : VoiceChannel, ChatChannel or DeferredChannel
        Handle time and service targets of the in-house team.
    location : LocationProfile
        In-house labour and site costs.
    tech : TechStack
        In-house per-agent licences.
    quote : VendorQuote
        The vendor's prices, transition and governance terms.
    shrinkage : float
        In-house shrinkage, in [0, 1).
    hybrids : sequence or mapping of ShareSplit, OverflowSplit, AfterHoursSplit
        Hybrid options to add; a mapping gives them names, otherwise their ``label`` is used.
    vendor_channel : channel, optional
        Service the vendor is held to (default: ``channel``); used for the vendor's billable
        hours when the quote bills hours or seats.
    inhouse_one_off_cost : float
        One-off cost of the in-house option in the first month (≥ 0), e.g. a greenfield build's
        ``tech.implementation_cost`` plus first-cohort hiring; 0 for an existing operation.
    interval_s : float, optional
        Interval length, seconds.
    staffed : pandas.DataFrame, optional
        ``staff_intervals(volume, channel, interval_s=interval_s)`` when the caller has it
        already (the region model does): the in-house side of the whole volume is then not
        staffed a second time. It must be that table (same volume, channel and intervals).

    Returns
    -------
    pandas.DataFrame
        Tidy, one row per month and option, columns :data:`COMPARISON_COLUMNS`.
        ``total_cost = inhouse_cost + vendor_invoice + governance + value_leakage +
        one_off_cost + parallel_run_cost``. Options: ``"in-house"``, ``"outsourced"``, then the
        hybrids.

    Notes
    -----
    ``one_off_cost`` holds the in-house one-off (options with in-house volume) and the vendor's
    transition cost (options with vendor volume), both in the first month. ``parallel_run_cost``
    is the in-house cost of the transferred work (full in-house cost minus the retained
    in-house cost) during the first ``quote.parallel_run_months`` months (a fractional last
    month pays that fraction). Set ``parallel_run_months = 0`` for a greenfield decision.

    Examples
    --------
    >>> from cxplan.economics.costs import LOCATION_PRESETS, TECH_STACK_PRESETS
    >>> from cxplan.economics.outsourcing import QUOTE_PRESETS
    >>> idx = pd.date_range("2026-01-01", periods=59 * 48, freq="30min")  # Jan–Feb
    >>> table = compare_sourcing(pd.Series(20.0, index=idx), VoiceChannel(aht_s=300),
    ...     LOCATION_PRESETS["onshore_us"], TECH_STACK_PRESETS["seed001_low"],
    ...     QUOTE_PRESETS["voice_per_minute_low"], shrinkage=0.3,
    ...     hybrids=[ShareSplit(vendor_share=0.5)])
    >>> table.groupby("option", sort=False)["total_cost"].sum().round(-3).to_dict()
    {'in-house': 533000.0, 'outsourced': 622000.0, 'hybrid: 50% to vendor': 620000.0}
    """
    _volume(volume)
    s = _shrinkage(shrinkage)
    one_off = as_scalar("inhouse_one_off_cost", inhouse_one_off_cost, low=0.0)
    vch = channel if vendor_channel is None else vendor_channel
    named = _named_hybrids(hybrids)

    def inhouse_side(part: pd.Series) -> pd.DataFrame:
        return inhouse_monthly_cost(
            part, channel, location, tech, shrinkage=s, interval_s=interval_s
        )

    if staffed is None:
        full = inhouse_side(volume)
    else:
        if not staffed.index.equals(volume.index):
            raise InputError("staffed must be the staffing table of volume (same index)")
        full = _inhouse_cost_of(staffed, location, tech, s, interval_s)
    frames = [
        _option_frame(INHOUSE, full, full, None, quote, float(one_off)),
        _option_frame(
            OUTSOURCED,
            full,
            None,
            _vendor_side(volume, vch, quote, interval_s, full.index),
            quote,
            float(one_off),
        ),
    ]
    for name, split in named.items():
        inh_part, ven_part = split.split(volume)
        inh = inhouse_side(inh_part) if inh_part.to_numpy().sum() > 0 else None
        ven = (
            _vendor_side(ven_part, vch, quote, interval_s, full.index)
            if ven_part.to_numpy().sum() > 0
            else None
        )
        frames.append(_option_frame(name, full, inh, ven, quote, float(one_off)))
    out = pd.concat(frames, ignore_index=True)
    return out[list(COMPARISON_COLUMNS)]


def _vendor_side(
    volume: pd.Series,
    channel: Channel,
    quote: VendorQuote,
    interval_s: float | None,
    months: pd.Index,
) -> pd.DataFrame:
    frame = outsourced_monthly_cost(volume, channel, quote, interval_s=interval_s)
    return frame.reindex(months, fill_value=0.0)


def _named_hybrids(
    hybrids: Sequence[HybridSplit] | Mapping[str, HybridSplit],
) -> dict[str, HybridSplit]:
    items = (
        list(hybrids.items()) if isinstance(hybrids, Mapping) else [(h.label, h) for h in hybrids]
    )
    out: dict[str, HybridSplit] = {}
    for name, split in items:
        if not isinstance(split, ShareSplit | OverflowSplit | AfterHoursSplit):
            raise InputError(
                f"hybrids: {name!r} is not a ShareSplit, OverflowSplit or AfterHoursSplit"
            )
        if name in out or name in (INHOUSE, OUTSOURCED):
            raise InputError(f"hybrids: option name {name!r} is used twice")
        out[name] = split
    return out


# ---------------------------------------------------------------------------------------------
