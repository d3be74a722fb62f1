"""Insource / outsource / hybrid comparison, the crossover volume and the price of an occupancy cap.

Every option is costed from the *same* volume forecast (contacts per interval) through the staffing
engine (:func:`cxplan.workforce.staffing.staff_intervals` then
:func:`~cxplan.workforce.staffing.rollup` by month), so
queueing economies of scale are in the in-house cost and the vendor's billable agent hours:

- **in-house**: staffed agent hours → paid hours ``÷ (1 − shrinkage)`` → fully loaded cost
  (:func:`cxplan.economics.costs.staffing_cost`), plus an optional in-house one-off in the first
  month;
- **outsourced**: the vendor quote (:class:`cxplan.economics.outsourcing.VendorQuote`) on the
monthly
  volume, plus governance and value leakage, the one-off transition cost in the first month and
  the parallel run (the in-house cost continues for ``parallel_run_months``);
- **hybrid**: a split of each interval's volume (:class:`ShareSplit`, :class:`OverflowSplit`,
  :class:`AfterHoursSplit`); each side is staffed and priced on its own part. A side that
  receives no contacts over the horizon costs nothing (no minimum charge, transition or
  one-off), so a 0 % share equals in-house and a 100 % share equals outsourced exactly.

:func:`cost_curves` prices the options over a grid of forecast scale factors in one broadcast
staffing call; :func:`crossover` brackets the sign changes of the cost difference on that grid
and solves each with :func:`scipy.optimize.brentq`. :func:`occupancy_investment` prices an
occupancy cap (e.g. 60–70 % instead of the 80s, seed 002) as extra hours, FTE and money.

References
----------
.. [1] Seed 001: outsourcing price models and ranges; staffing formula and shrinkage.
.. [2] Seed 002 (``shared/reference/seeds/002_*.txt``): Zappos runs at 60–70 % agent occupancy
   against an industry norm in the 80s.
.. [3] ``shared/reference/domain-notes.md``, "Costs": transition 4–5 weeks with both sides paid,
   governance 3–6 %, value leakage 5–30 %.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Self

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import Field, model_validator
from scipy.optimize import brentq

from cxplan._schema import ConfigModel, Fraction, Int, NonNegative
from cxplan._validation import as_array, as_scalar
from cxplan.economics.costs import LocationProfile, TechStack, cost_per_paid_hour, staffing_cost
from cxplan.economics.outsourcing import VendorQuote
from cxplan.errors import InputError
from cxplan.workforce import queueing
from cxplan.workforce.staffing import (
    ChatChannel,
    DeferredChannel,
    VoiceChannel,
    infer_interval_s,
    rollup,
    staff_intervals,
)

__all__ = [
    "COMPARISON_COLUMNS",
    "AfterHoursSplit",
    "CrossoverResult",
    "OverflowSplit",
    "ShareSplit",
    "compare_sourcing",
    "cost_curves",
    "crossover",
    "inhouse_monthly_cost",
    "occupancy_investment",
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
# hybrid splits
# ---------------------------------------------------------------------------------------------


def _volume(volume: Any) -> Array:
    if not isinstance(volume, pd.Series):
        raise InputError(
            f"volume must be a pandas Series of contacts per interval (got {type(volume).__name__})"
        )
    if len(volume) == 0:
        raise InputError("volume is empty: give at least one interval")
    return as_array("volume", volume.to_numpy(dtype=float, na_value=np.nan), low=0.0)


class ShareSplit(ConfigModel):
    """Send a fixed share of every interval's contacts to the vendor.

    Parameters
    ----------
    vendor_share : float
        Fraction of contacts sent to the vendor, in [0, 1].

    Examples
    --------
    >>> inh, ven = ShareSplit(vendor_share=0.25).split(pd.Series([100.0, 40.0]))
    >>> inh.tolist(), ven.tolist()
    ([75.0, 30.0], [25.0, 10.0])
    """

    vendor_share: Fraction

    @property
    def label(self) -> str:
        """Option name used in comparison tables."""
        return f"hybrid: {self.vendor_share:.0%} to vendor"

    def split(self, volume: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Return ``(in-house, vendor)`` contacts per interval."""
        v = _volume(volume)
        return (
            pd.Series(v * (1.0 - self.vendor_share), index=volume.index),
            pd.Series(v * self.vendor_share, index=volume.index),
        )


class OverflowSplit(ConfigModel):
    """Keep up to a fixed number of contacts per interval in-house; the excess goes to the vendor.

    A planning approximation of real-time overflow routing: the *forecast* contacts above the
    threshold are costed at the vendor. (Live overflow also moves calls when the in-house queue
    is momentarily long; that second-order effect is not modelled.)

    Parameters
    ----------
    inhouse_contacts_per_interval : float
        Contacts per interval kept in-house (≥ 0; ``inf`` keeps everything).

    Examples
    --------
    >>> inh, ven = OverflowSplit(inhouse_contacts_per_interval=50).split(pd.Series([30.0, 80.0]))
    >>> inh.tolist(), ven.tolist()
    ([30.0, 50.0], [0.0, 30.0])
    """

    inhouse_contacts_per_interval: Annotated[NonNegative, Field(allow_inf_nan=True)]

    @property
    def label(self) -> str:
        """Option name used in comparison tables."""
        return f"hybrid: overflow above {self.inhouse_contacts_per_interval:g}/interval"

    def split(self, volume: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Return ``(in-house, vendor)`` contacts per interval."""
        v = _volume(volume)
        inh = np.minimum(v, self.inhouse_contacts_per_interval)
        return pd.Series(inh, index=volume.index), pd.Series(v - inh, index=volume.index)


class AfterHoursSplit(ConfigModel):
    """Handle in-house during opening hours; intervals outside them go to the vendor.

    Parameters
    ----------
    open_hour : float
        Start of in-house hours, hour of day in [0, 24).
    close_hour : float
        End of in-house hours, hour of day in (open_hour, 24].
    open_weekdays : tuple of int
        Days with in-house hours (Monday = 0 … Sunday = 6); default every day.

    Notes
    -----
    An interval is in-house when it *starts* within ``[open_hour, close_hour)`` on an open
    weekday. Needs a DatetimeIndex on the volume.

    Examples
    --------
    >>> idx = pd.date_range("2026-01-05 06:00", periods=4, freq="4h")  # 06, 10, 14, 18 h
    >>> inh, ven = AfterHoursSplit(open_hour=8, close_hour=18).split(pd.Series(10.0, index=idx))
    >>> inh.tolist(), ven.tolist()
    ([0.0, 10.0, 10.0, 0.0], [10.0, 0.0, 0.0, 10.0])
    """

    open_hour: Annotated[NonNegative, Field(lt=24.0)]
    close_hour: Annotated[NonNegative, Field(le=24.0)]
    open_weekdays: tuple[Annotated[Int, Field(ge=0, le=6)], ...] = (0, 1, 2, 3, 4, 5, 6)

    @model_validator(mode="after")
    def _order(self) -> Self:
        if not self.close_hour > self.open_hour:
            raise ValueError(
                f"close_hour must be after open_hour (got {self.open_hour:g}–{self.close_hour:g})"
            )
        return self

    @property
    def label(self) -> str:
        """Option name used in comparison tables."""
        return f"hybrid: after hours to vendor (in-house {self.open_hour:g}–{self.close_hour:g}h)"

    def split(self, volume: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Return ``(in-house, vendor)`` contacts per interval."""
        v = _volume(volume)
        idx = volume.index
        if not isinstance(idx, pd.DatetimeIndex):
            raise InputError("AfterHoursSplit needs a DatetimeIndex on the volume")
        hour = np.asarray(idx.hour + idx.minute / 60.0 + idx.second / 3600.0)
        is_open = (hour >= self.open_hour) & (hour < self.close_hour)
        is_open &= np.isin(np.asarray(idx.day_of_week), self.open_weekdays)
        inh = np.where(is_open, v, 0.0)
        return pd.Series(inh, index=idx), pd.Series(v - inh, index=idx)


HybridSplit = ShareSplit | OverflowSplit | AfterHoursSplit


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
# cost curves over scale factors and the crossover
# ---------------------------------------------------------------------------------------------


def _month_blocks(index: pd.Index) -> tuple[npt.NDArray[np.intp], pd.DatetimeIndex]:
    """Start positions of each calendar month in an increasing DatetimeIndex, and the months."""
    if not isinstance(index, pd.DatetimeIndex):
        raise InputError("volume needs a DatetimeIndex to group intervals by month")
    key = np.asarray(index.year * 12 + index.month - 1)
    if np.any(np.diff(key) < 0):
        raise InputError("volume index must be increasing")
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ks = key[starts]
    months = pd.DatetimeIndex(
        [pd.Timestamp(year=int(k // 12), month=int(k % 12) + 1, day=1) for k in ks]
    )
    return starts, months


def _agent_hours_grid(
    contacts: Array, index: pd.Index, channel: Channel, scales: Array, step: float
) -> Array:
    """Staffed agent hours per interval for every scale factor: shape (scales, intervals).

    Voice and chat are staffed in one broadcast :func:`cxplan.workforce.queueing.required_agents`
    call on
    the (scales × intervals) traffic, with the same arithmetic as
    :func:`cxplan.workforce.staffing.staff_intervals` (scaled contacts × AHT ÷ interval; chat slots
    at
    full-concurrency handle time, agents = ⌈slots ÷ concurrency⌉). Deferred work uses
    :func:`~cxplan.workforce.staffing.staff_intervals` once per scale factor (its backlog smoothing
    is not a
    queueing formula).
    """
    scaled = scales[:, None] * contacts[None, :]
    if isinstance(channel, VoiceChannel):
        traffic = scaled * channel.aht_s / step
        agents = queueing.required_agents(
            traffic,
            channel.aht_s,
            channel.answer_time_s,
            channel.sl_target,
            max_occupancy=channel.max_occupancy,
            patience=channel.patience_s,
            max_asa=channel.max_asa_s,
            definition=channel.sl_definition,
        )
        return np.asarray(agents, dtype=np.float64) * step / 3600.0
    if isinstance(channel, ChatChannel):
        aht = channel.slot_aht_s
        slots = queueing.required_agents(
            scaled * aht / step,
            aht,
            channel.answer_time_s,
            channel.sl_target,
            max_occupancy=channel.max_occupancy,
            patience=channel.patience_s,
            definition="offered",
        )
        agents = np.ceil(np.asarray(slots) / channel.concurrency)
        return np.asarray(agents, dtype=np.float64) * step / 3600.0
    if isinstance(channel, DeferredChannel):
        rows = [
            staff_intervals(pd.Series(row, index=index), channel, interval_s=step)["agent_hours"]
            for row in scaled
        ]
        return np.asarray(rows, dtype=np.float64).reshape(scaled.shape)
    raise InputError(
        f"channel must be a VoiceChannel, ChatChannel or DeferredChannel (got {channel!r})"
    )


@dataclass(frozen=True)
class _Setup:
    """Validated inputs shared by the curve and crossover functions."""

    contacts: Array
    index: pd.Index
    step: float
    starts: npt.NDArray[np.intp]
    months: pd.DatetimeIndex
    channel: Channel
    vendor_channel: Channel
    rate: float
    shrinkage: float
    quote: VendorQuote
    inhouse_one_off_cost: float
    include_one_off: bool


def _setup(
    volume: pd.Series,
    channel: Channel,
    location: LocationProfile,
    tech: TechStack,
    quote: VendorQuote,
    shrinkage: float,
    vendor_channel: Channel | None,
    inhouse_one_off_cost: float,
    include_one_off: bool,
    interval_s: float | None,
) -> _Setup:
    contacts = _volume(volume)
    if interval_s is None:
        step = infer_interval_s(volume.index)
    else:
        step = float(as_array("interval_s", interval_s, low=0.0, low_inclusive=False))
    starts, months = _month_blocks(volume.index)
    one_off = as_array("inhouse_one_off_cost", inhouse_one_off_cost, low=0.0)
    return _Setup(
        contacts=contacts,
        index=volume.index,
        step=step,
        starts=starts,
        months=months,
        channel=channel,
        vendor_channel=channel if vendor_channel is None else vendor_channel,
        rate=cost_per_paid_hour(location, tech),
        shrinkage=_shrinkage(shrinkage),
        quote=quote,
        inhouse_one_off_cost=float(one_off),
        include_one_off=bool(include_one_off),
    )


def _totals(st: _Setup, scales: Array) -> tuple[Array, Array, Array]:
    """Horizon totals (in-house, outsourced) and mean monthly contacts for each scale factor."""
    hours = _agent_hours_grid(st.contacts, st.index, st.channel, scales, st.step)
    hours_m = np.add.reduceat(hours, st.starts, axis=1)
    contacts_m = scales[:, None] * np.add.reduceat(st.contacts, st.starts)[None, :]
    inhouse_m = st.rate * hours_m / (1.0 - st.shrinkage)
    if st.quote.needs_agent_hours:
        if st.vendor_channel is st.channel:
            ven_hours_m = hours_m
        else:
            vh = _agent_hours_grid(st.contacts, st.index, st.vendor_channel, scales, st.step)
            ven_hours_m = np.add.reduceat(vh, st.starts, axis=1)
    else:
        ven_hours_m = None
    vendor_m = np.asarray(
        st.quote.monthly_cost(
            contacts_m,
            aht_s=st.vendor_channel.aht_s if st.quote.needs_aht else None,
            agent_hours=ven_hours_m,
        ),
        dtype=np.float64,
    )
    inhouse = inhouse_m.sum(axis=1)
    outsourced = vendor_m.sum(axis=1)
    if st.include_one_off:
        overlap = _overlap(len(st.months), st.quote.parallel_run_months)
        inhouse = inhouse + st.inhouse_one_off_cost
        outsourced = outsourced + st.quote.transition_cost + inhouse_m @ overlap
    return inhouse, outsourced, contacts_m.mean(axis=1)


def cost_curves(
    volume: pd.Series,
    channel: Channel,
    location: LocationProfile,
    tech: TechStack,
    quote: VendorQuote,
    *,
    shrinkage: float,
    scales: Any,
    vendor_channel: Channel | None = None,
    inhouse_one_off_cost: float = 0.0,
    include_one_off: bool = True,
    interval_s: float | None = None,
) -> pd.DataFrame:
    """In-house and outsourced cost over the horizon for the forecast scaled by each factor.

    Parameters
    ----------
    volume, channel, location, tech, quote, shrinkage, vendor_channel, inhouse_one_off_cost,
    interval_s
        As for :func:`compare_sourcing`.
    scales : array_like
        Scale factors (> 0) applied to every interval of the forecast.
    include_one_off : bool
        Include one-offs (in-house one-off; transition and parallel run) in the totals.

    Returns
    -------
    pandas.DataFrame
        One row per scale factor: ``scale``, ``monthly_contacts`` (mean per month),
        ``inhouse_cost``, ``outsourced_cost`` (horizon totals), ``saving_from_outsourcing``
        (``inhouse_cost − outsourced_cost``; positive when outsourcing is cheaper),
        ``inhouse_cost_per_contact`` and ``outsourced_cost_per_contact``.

    Examples
    --------
    Offshore in-house (seed 001 wages) against $1 per minute, 10 calls per half hour 08–20 h:
    the in-house cost per contact falls with volume, the vendor's does not.

    >>> from cxplan.economics.costs import LOCATION_PRESETS, TECH_STACK_PRESETS
    >>> from cxplan.economics.outsourcing import QUOTE_PRESETS
    >>> idx = pd.date_range("2026-01-01", periods=31 * 48, freq="30min")
    >>> vol = pd.Series(np.where(idx.hour.isin(range(8, 20)), 10.0, 0.0), index=idx)
    >>> c = cost_curves(vol, VoiceChannel(aht_s=300), LOCATION_PRESETS["offshore"],
    ...                 TECH_STACK_PRESETS["seed001_low"], QUOTE_PRESETS["voice_per_minute_low"],
    ...                 shrinkage=0.3, scales=[0.5, 1, 2], include_one_off=False)
    >>> c[["inhouse_cost_per_contact", "outsourced_cost_per_contact"]].round(2).values.tolist()
    [[5.89, 6.04], [3.92, 6.04], [2.94, 6.04]]

    Notes
    -----
    Staffing for all scale factors is one broadcast call over a (scales × intervals) traffic
    array for voice and chat (see ``_agent_hours_grid``); months are summed with
    :func:`numpy.add.reduceat`, and the quote prices the (scales × months) volumes at once. The
    numbers equal :func:`compare_sourcing` on the scaled forecast.
    """
    k = as_array("scales", scales, low=0.0, low_inclusive=False)
    k1 = np.atleast_1d(k).astype(np.float64)
    if k1.ndim != 1:
        raise InputError("scales must be a one-dimensional list of scale factors")
    st = _setup(
        volume, channel, location, tech, quote, shrinkage, vendor_channel,
        inhouse_one_off_cost, include_one_off, interval_s,
    )  # fmt: skip
    inhouse, outsourced, monthly = _totals(st, k1)
    total_contacts = monthly * len(st.months)
    with np.errstate(divide="ignore", invalid="ignore"):
        inh_pc = np.where(total_contacts > 0, inhouse / total_contacts, np.nan)
        out_pc = np.where(total_contacts > 0, outsourced / total_contacts, np.nan)
    return pd.DataFrame(
        {
            "scale": k1,
            "monthly_contacts": monthly,
            "inhouse_cost": inhouse,
            "outsourced_cost": outsourced,
            "saving_from_outsourcing": inhouse - outsourced,
            "inhouse_cost_per_contact": inh_pc,
            "outsourced_cost_per_contact": out_pc,
        }
    )


@dataclass(frozen=True, eq=False)
class CrossoverResult:
    """Where in-house and outsourced costs cross as the forecast is scaled.

    Attributes
    ----------
    scales : tuple of float
        Scale factors at which ``inhouse_cost − outsourced_cost`` changes sign, increasing.
        Staffing is whole agents, so the difference is a step function: a crossing can sit on a
        step (found to within ``xtol``) rather than at an exact zero.
    monthly_contacts : tuple of float
        Mean monthly contacts at each crossing.
    outsourcing_cheaper_above : tuple of bool
        For each crossing, ``True`` when outsourcing is the cheaper option just above it
        (the difference rises through zero) and ``False`` when it is cheaper just below.
    curve : pandas.DataFrame
        The :func:`cost_curves` grid used to bracket the crossings.
    """

    scales: tuple[float, ...]
    monthly_contacts: tuple[float, ...]
    outsourcing_cheaper_above: tuple[bool, ...]
    curve: pd.DataFrame

    @property
    def found(self) -> bool:
        """Whether any crossing lies inside the searched range."""
        return bool(self.scales)


def crossover(
    volume: pd.Series,
    channel: Channel,
    location: LocationProfile,
    tech: TechStack,
    quote: VendorQuote,
    *,
    shrinkage: float,
    scale_bounds: tuple[float, float] = (0.1, 10.0),
    grid_points: int = 41,
    vendor_channel: Channel | None = None,
    inhouse_one_off_cost: float = 0.0,
    include_one_off: bool = True,
    xtol: float = 1e-6,
    interval_s: float | None = None,
) -> CrossoverResult:
    """Solve for the forecast scale (and monthly volume) at which the sourcing choice flips.

    Parameters
    ----------
    volume, channel, location, tech, quote, shrinkage, vendor_channel, inhouse_one_off_cost,
    include_one_off, interval_s
        As for :func:`cost_curves`.
    scale_bounds : (float, float)
        Search range of scale factors, ``0 < low < high``.
    grid_points : int
        Points of the geometric bracketing grid (≥ 2).
    xtol : float
        Absolute tolerance on the scale factor passed to :func:`scipy.optimize.brentq`.

    Returns
    -------
    CrossoverResult
        All crossings inside the range (possibly none).

    Notes
    -----
    Let ``D(k) = in-house total − outsourced total`` over the horizon for the forecast × ``k``.
    ``D`` is evaluated on a geometric grid over ``scale_bounds`` (one vectorized call); every
    adjacent pair with opposite signs is refined with ``brentq`` on ``D``, each evaluation a
    single-scale staffing run. In-house cost per contact falls with volume (queueing economies
    of scale) while per-unit vendor prices do not, so typically outsourcing is cheaper *below*
    the crossing; fixed fees and minimums can add a second crossing at low volume. Crossings
    between two grid points of the same sign are missed: raise ``grid_points`` if the curve
    is close to zero over a wide range.

    Examples
    --------
    The forecast of the :func:`cost_curves` example (7,440 contacts a month): outsourcing at $1
    per minute is cheaper only below about a third of it.

    >>> from cxplan.economics.costs import LOCATION_PRESETS, TECH_STACK_PRESETS
    >>> from cxplan.economics.outsourcing import QUOTE_PRESETS
    >>> idx = pd.date_range("2026-01-01", periods=31 * 48, freq="30min")
    >>> vol = pd.Series(np.where(idx.hour.isin(range(8, 20)), 10.0, 0.0), index=idx)
    >>> res = crossover(vol, VoiceChannel(aht_s=300), LOCATION_PRESETS["offshore"],
    ...                 TECH_STACK_PRESETS["seed001_low"], QUOTE_PRESETS["voice_per_minute_low"],
    ...                 shrinkage=0.3, include_one_off=False)
    >>> [round(k, 3) for k in res.scales], [round(m) for m in res.monthly_contacts]
    ([0.325], [2417])
    >>> res.outsourcing_cheaper_above
    (False,)
    """
    lo_hi = as_array("scale_bounds", list(scale_bounds), low=0.0, low_inclusive=False)
    if lo_hi.shape != (2,) or not lo_hi[0] < lo_hi[1]:
        raise InputError(
            f"scale_bounds must be (low, high) with 0 < low < high (got {scale_bounds})"
        )
    npts = as_array("grid_points", grid_points, low=2, integer=True)
    tol = float(as_array("xtol", xtol, low=0.0, low_inclusive=False))
    grid = np.geomspace(lo_hi[0], lo_hi[1], int(npts))
    curve = cost_curves(
        volume, channel, location, tech, quote, shrinkage=shrinkage, scales=grid,
        vendor_channel=vendor_channel, inhouse_one_off_cost=inhouse_one_off_cost,
        include_one_off=include_one_off, interval_s=interval_s,
    )  # fmt: skip
    st = _setup(
        volume, channel, location, tech, quote, shrinkage, vendor_channel,
        inhouse_one_off_cost, include_one_off, interval_s,
    )  # fmt: skip

    def diff(k: float) -> float:
        inh, out, _ = _totals(st, np.array([k]))
        return float(inh[0] - out[0])

    d = curve["saving_from_outsourcing"].to_numpy()
    sign = np.sign(d)
    roots: list[float] = []
    above: list[bool] = []
    for i in np.flatnonzero(sign[:-1] * sign[1:] < 0):
        a, b = float(grid[i]), float(grid[i + 1])
        roots.append(float(brentq(diff, a, b, xtol=tol)))
        above.append(bool(d[i + 1] > 0))
    for i in np.flatnonzero(sign == 0):  # an exact zero on the grid
        before = sign[i - 1] if i > 0 else 0.0
        after = sign[i + 1] if i + 1 < len(sign) else 0.0
        if before * after < 0:
            roots.append(float(grid[i]))
            above.append(bool(after > 0))
    order = np.argsort(roots)
    roots_sorted = tuple(roots[j] for j in order)
    monthly_mean = float(np.add.reduceat(st.contacts, st.starts).mean())
    return CrossoverResult(
        scales=roots_sorted,
        monthly_contacts=tuple(r * monthly_mean for r in roots_sorted),
        outsourcing_cheaper_above=tuple(above[j] for j in order),
        curve=curve,
    )


# ---------------------------------------------------------------------------------------------
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
