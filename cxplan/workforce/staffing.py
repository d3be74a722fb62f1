"""Workload staffing, shrinkage, interval staffing and channel models.

From a volume profile (contacts per 15-, 30- or 60-minute interval, any length) the channel
functions produce one table per channel, with the same columns for every channel so that they
add up to one requirement:

========================  =====================================================================
column                    meaning
========================  =====================================================================
``contacts``              contacts arriving in the interval
``traffic_erl``           offered workload in Erlangs (``contacts × aht_s ÷ interval_s``)
``agents``                agents required in the interval (whole number)
``service_level``         achieved service level at that staffing (deferred work: share of the
                          interval's contacts completed within the response time)
``asa_s``                 average speed of answer, seconds (deferred work: mean completion delay)
``occupancy``             share of staffed time spent handling work
``abandonment``           probability a contact abandons (0 without patience)
``backlog``               contacts still open at the end of the interval (deferred work only)
``agent_hours``           staffed agent-hours (``agents × interval_s ÷ 3600``)
========================  =====================================================================

:func:`rollup` turns such a table into daily, weekly or monthly agent-hours, FTE and scheduled
headcount after shrinkage.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Self, overload

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import Field, field_validator, model_validator

from cxplan._schema import ConfigModel, Int, NonNegative, Num, Positive, Share
from cxplan._validation import ArrayLike, FloatArray, as_array, broadcast, float_or_array
from cxplan.errors import InputError
from cxplan.workforce import queueing

__all__ = [
    "COLUMNS",
    "ChatChannel",
    "DeferredChannel",
    "VoiceChannel",
    "combine",
    "infer_interval_s",
    "rollup",
    "scheduled_headcount",
    "staff_intervals",
    "workload_agents",
]

#: Columns of every interval staffing table, in order.
COLUMNS: tuple[str, ...] = (
    "contacts",
    "traffic_erl",
    "agents",
    "service_level",
    "asa_s",
    "occupancy",
    "abandonment",
    "backlog",
    "agent_hours",
)

ShrinkageMethod = Literal["divide", "multiply"]

#: An hour of the day, 0 to 24.
HourOfDay = Annotated[Num, Field(ge=0.0, le=24.0)]


# ---------------------------------------------------------------------------------------------
# formulas
# ---------------------------------------------------------------------------------------------


@overload
def workload_agents(contacts: float, aht: float, period: float, occupancy: float) -> float: ...
@overload
def workload_agents(
    contacts: ArrayLike, aht: ArrayLike, period: ArrayLike, occupancy: ArrayLike
) -> FloatArray: ...
def workload_agents(
    contacts: ArrayLike, aht: ArrayLike, period: ArrayLike, occupancy: ArrayLike
) -> float | FloatArray:
    """Agents needed by the workload formula (no queueing).

    Parameters
    ----------
    contacts : array_like
        Contacts in the period (≥ 0).
    aht : array_like
        Average handle time, seconds (> 0).
    period : array_like
        Working time per agent in the period, seconds (> 0), e.g. a 450-minute shift = 27,000 s.
    occupancy : array_like
        Target occupancy in (0, 1].

    Returns
    -------
    float or ndarray
        ``contacts × aht ÷ (period × occupancy)``, unrounded (round up for a headcount).

    Notes
    -----
    The rule of seed 001: required agents = (daily contacts × AHT) ÷ (shift × occupancy). It ignores
    queueing, so it understates the staff needed for a service-level target on small teams; use
    :func:`staff_intervals` for that.

    References
    ----------
    .. [1] Seed 001 (CX guide): 1,200 calls/day, AHT 6 min, 450-minute shift, 85 % occupancy →
       7,200 ÷ 382.5 ≈ 18.8 → 19 agents.

    Examples
    --------
    >>> round(workload_agents(1200, 6 * 60, 450 * 60, 0.85), 2)
    18.82
    """
    c = as_array("contacts", contacts, low=0.0)
    h = as_array("aht", aht, low=0.0, low_inclusive=False)
    p = as_array("period", period, low=0.0, low_inclusive=False)
    o = as_array("occupancy", occupancy, low=0.0, low_inclusive=False, high=1.0)
    c, h, p, o = broadcast(contacts=c, aht=h, period=p, occupancy=o)
    return float_or_array(
        c * h / (p * o), all(np.ndim(v) == 0 for v in (contacts, aht, period, occupancy))
    )


@overload
def scheduled_headcount(
    agents: float, shrinkage: float, method: ShrinkageMethod = "divide"
) -> float: ...
@overload
def scheduled_headcount(
    agents: ArrayLike, shrinkage: ArrayLike, method: ShrinkageMethod = "divide"
) -> FloatArray: ...
def scheduled_headcount(
    agents: ArrayLike, shrinkage: ArrayLike, method: ShrinkageMethod = "divide"
) -> float | FloatArray:
    """Scheduled headcount (or FTE) needed to have ``agents`` available after shrinkage.

    Parameters
    ----------
    agents : array_like
        Agents (or FTE) required on the phones (≥ 0).
    shrinkage : array_like
        Share of paid time not available for contact handling (breaks, training, absence), in
        [0, 1).
    method : {"divide", "multiply"}
        ``"divide"`` (default, the WFM rule): ``agents ÷ (1 − shrinkage)``, so that exactly
        ``agents`` remain after shrinkage. ``"multiply"``: ``agents × (1 + shrinkage)``, the rule of
        seed 001; it understates the need (30 % shrinkage: 24.7 vs 27.1 for 19 agents).

    Returns
    -------
    float or ndarray
        Unrounded scheduled headcount (round up to hire).

    Examples
    --------
    >>> round(scheduled_headcount(19, 0.30), 2)
    27.14
    >>> round(scheduled_headcount(19, 0.30, method="multiply"), 2)
    24.7
    """
    a = as_array("agents", agents, low=0.0)
    s = as_array("shrinkage", shrinkage, low=0.0, high=1.0, high_inclusive=False)
    a, s = broadcast(agents=a, shrinkage=s)
    if method == "divide":
        out = a / (1.0 - s)
    elif method == "multiply":
        out = a * (1.0 + s)
    else:
        raise InputError(f"method must be 'divide' or 'multiply' (got {method!r})")
    return float_or_array(out, np.ndim(agents) == 0 and np.ndim(shrinkage) == 0)


# ---------------------------------------------------------------------------------------------
# channels
# ---------------------------------------------------------------------------------------------


def _check(name: str, value: Any, **rule: Any) -> None:
    as_array(name, value, **rule)


class _Channel(ConfigModel):
    """Errors name the field alone (``aht_s must be > 0``), as the staffing functions do."""

    @classmethod
    def _error_prefix(cls, data: Mapping[str, Any]) -> str:
        return ""


class VoiceChannel(_Channel):
    """Inbound queued contacts (voice, or any channel answered one at a time).

    Parameters
    ----------
    aht_s : float
        Average handle time, seconds (> 0, at most a day).
    sl_target : float
        Service-level target (share answered within ``answer_time_s``), e.g. 0.80 for 80/20
        (seed 001).
    answer_time_s : float
        Service-level threshold, seconds.
    max_occupancy : float
        Occupancy cap in (0, 1].
    patience_s : float or None
        Mean caller patience for Erlang A; ``None`` for Erlang C (nobody abandons).
    max_asa_s : float or None
        Optional cap on the average speed of answer, seconds.
    max_abandonment : float or None
        Optional cap on the share of callers who abandon, in (0, 1] (Erlang A only: needs
        ``patience_s``).
    sl_definition : str
        ``"offered"``, ``"answered"`` or ``"virtual"``, see
        :func:`cxplan.workforce.queueing.service_level`.
    """

    aht_s: Annotated[Positive, Field(le=86_400.0)]
    sl_target: Share = 0.80
    answer_time_s: Annotated[NonNegative, Field(le=86_400.0)] = 20.0
    max_occupancy: Share = 1.0
    patience_s: Positive | None = None
    max_asa_s: Positive | None = None
    max_abandonment: Share | None = None
    sl_definition: queueing.SLDefinition = "offered"

    @model_validator(mode="after")
    def _abandonment_needs_patience(self) -> Self:
        if self.max_abandonment is not None and self.patience_s is None:
            raise ValueError(
                "max_abandonment needs patience_s (callers abandon only in the Erlang A model)"
            )
        return self


class ChatChannel(_Channel):
    """Chat: each agent works up to ``concurrency`` chats at once.

    Parameters
    ----------
    aht_s : float
        Handle time of one chat when the agent handles it alone, seconds.
    concurrency : int
        Chats an agent works at once, 1 to 8 (typically 2–4, domain notes).
    concurrency_aht_factor : tuple of float
        Handle-time multiplier at 1, 2, …, ``concurrency`` simultaneous chats (each ≥ 1,
        non-decreasing). A single number is read as the multiplier at full concurrency.
    sl_target, answer_time_s, max_occupancy, patience_s
        As for :class:`VoiceChannel` (``answer_time_s`` defaults to 60 s for chat).

    Notes
    -----
    Staffing uses an effective-slot model: each agent offers ``k = concurrency`` slots and each
    chat occupies a slot for ``aht_s × factor[k]``; the slots are staffed with Erlang C/A and the
    agents are ``⌈slots ÷ k⌉``. Because handle time rises with concurrency, capacity grows less
    than proportionally with ``k``.
    """

    aht_s: Annotated[Positive, Field(le=86_400.0)]
    concurrency: Annotated[Int, Field(ge=1, le=8)] = 2
    concurrency_aht_factor: (
        tuple[Annotated[Num, Field(ge=1.0, le=10.0)], ...] | Annotated[Num, Field(ge=1.0, le=10.0)]
    ) = (1.0, 1.25)
    sl_target: Share = 0.80
    answer_time_s: Annotated[NonNegative, Field(le=86_400.0)] = 60.0
    max_occupancy: Share = 1.0
    patience_s: Positive | None = None

    @model_validator(mode="after")
    def _factors(self) -> Self:
        f = self.concurrency_aht_factor
        if isinstance(f, tuple) and len(f) != 1:
            if len(f) < self.concurrency:
                raise ValueError(
                    f"concurrency_aht_factor needs {self.concurrency} values, one per concurrent "
                    f"chat (got {len(f)})"
                )
            if any(b < a for a, b in itertools.pairwise(f)):
                raise ValueError("concurrency_aht_factor must be non-decreasing")
        return self

    @property
    def slot_aht_s(self) -> float:
        """Handle time of a chat at full concurrency, seconds."""
        factors = np.atleast_1d(np.asarray(self.concurrency_aht_factor, dtype=float))
        factor = factors[0] if factors.size == 1 else factors[self.concurrency - 1]
        return float(self.aht_s * factor)


class DeferredChannel(_Channel):
    """Email and back-office work, cleared within a response time.

    Parameters
    ----------
    aht_s : float
        Handle time per item, seconds.
    response_time_s : float
        Every item should be completed within this time of arrival, seconds (e.g. 24 h for email,
        seed 001; at most 30 days).
    max_occupancy : float
        Share of staffed time spent on items (the rest: breaks in flow, context switching).
    open_hours : tuple of float or None
        ``(start_hour, end_hour)`` of the working day, e.g. ``(8, 20)``; items are processed only
        then. ``None`` means always open.
    cyclic : bool
        Treat the volume profile as repeating (a typical day or week): the backlog carried into the
        first interval is the one the end of the profile leaves. ``False`` starts with no backlog.
    """

    aht_s: Annotated[Positive, Field(le=86_400.0)]
    response_time_s: Annotated[Positive, Field(le=30 * 86_400.0)] = 86_400.0
    max_occupancy: Share = 0.90
    open_hours: tuple[HourOfDay, HourOfDay] | None = None
    cyclic: bool = True

    @field_validator("open_hours")
    @classmethod
    def _hours(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is not None and not value[0] < value[1]:
            raise ValueError(f"must be [start_hour, end_hour] with start < end (got {list(value)})")
        return value


Channel = VoiceChannel | ChatChannel | DeferredChannel


# ---------------------------------------------------------------------------------------------
# interval staffing
# ---------------------------------------------------------------------------------------------


def infer_interval_s(index: pd.Index) -> float:
    """Interval length in seconds of a regular :class:`~pandas.DatetimeIndex`.

    Raises
    ------
    InputError
        If the index is not a DatetimeIndex with at least two equally spaced, increasing entries.
    """
    if not isinstance(index, pd.DatetimeIndex):
        raise InputError("volume needs a DatetimeIndex, or give interval_s explicitly")
    if len(index) < 2:
        raise InputError("volume needs at least two intervals to infer interval_s; give interval_s")
    steps = (index[1:] - index[:-1]).total_seconds().to_numpy()
    if np.any(steps != steps[0]) or steps[0] <= 0:
        raise InputError("volume index must be increasing with a constant interval length")
    return float(steps[0])


def _volume_array(volume: pd.Series) -> npt.NDArray[np.float64]:
    if not isinstance(volume, pd.Series):
        raise InputError(
            f"volume must be a pandas Series of contacts per interval (got {type(volume).__name__})"
        )
    if len(volume) == 0:
        raise InputError("volume is empty: give at least one interval")
    try:
        values = volume.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise InputError(
            f"volume must hold numbers of contacts (got dtype {volume.dtype})"
        ) from None
    return as_array("volume", values, low=0.0)


def staff_intervals(
    volume: pd.Series, channel: Channel, *, interval_s: float | None = None
) -> pd.DataFrame:
    """Staffing requirement per interval for one channel.

    Parameters
    ----------
    volume : pandas.Series
        Contacts arriving per interval. With a regular DatetimeIndex the interval length is
        inferred; otherwise give ``interval_s``. Zero-volume intervals are normal.
    channel : VoiceChannel, ChatChannel or DeferredChannel
        The channel's handle time and targets.
    interval_s : float, optional
        Interval length in seconds (overrides inference).

    Returns
    -------
    pandas.DataFrame
        Same index as ``volume``; columns :data:`COLUMNS`.

    Examples
    --------
    >>> idx = pd.date_range("2026-01-05 08:00", periods=3, freq="30min")
    >>> t = staff_intervals(pd.Series([0, 100, 200], index=idx), VoiceChannel(aht_s=180))
    >>> t["agents"].tolist()
    [0, 14, 24]
    """
    contacts = _volume_array(volume)
    if interval_s is None:
        step = infer_interval_s(volume.index)
    else:
        step = float(as_array("interval_s", interval_s, low=0.0, low_inclusive=False))
    if isinstance(channel, VoiceChannel):
        data = _staff_queued(
            contacts, step, channel.aht_s, 1, channel.sl_target, channel.answer_time_s,
            channel.max_occupancy, channel.patience_s, channel.max_asa_s, channel.sl_definition,
            channel.max_abandonment,
        )  # fmt: skip
    elif isinstance(channel, ChatChannel):
        data = _staff_queued(
            contacts, step, channel.slot_aht_s, channel.concurrency, channel.sl_target,
            channel.answer_time_s, channel.max_occupancy, channel.patience_s, None, "offered", None,
        )  # fmt: skip
    elif isinstance(channel, DeferredChannel):
        data = _staff_deferred(contacts, step, channel, volume.index)
    else:
        raise InputError(
            f"channel must be a VoiceChannel, ChatChannel or DeferredChannel (got {channel!r})"
        )
    return pd.DataFrame(data, index=volume.index, columns=list(COLUMNS))


def _staff_queued(
    contacts: npt.NDArray[np.float64],
    step: float,
    aht_s: float,
    slots_per_agent: int,
    sl_target: float,
    answer_time_s: float,
    max_occupancy: float,
    patience_s: float | None,
    max_asa_s: float | None,
    definition: queueing.SLDefinition,
    max_abandonment: float | None,
) -> dict[str, Any]:
    traffic = contacts * aht_s / step
    # Every parameter but the traffic is the channel's, so equal traffic means equal figures:
    # staff each distinct value once (empty intervals and repeated forecast values are common)
    # and scatter back; the figures are the same numbers the per-interval call gives.
    distinct, back = np.unique(traffic, return_inverse=True)
    slots_needed = queueing.required_agents(
        distinct, aht_s, answer_time_s, sl_target, max_occupancy=max_occupancy,
        patience=patience_s, max_asa=max_asa_s, max_abandonment=max_abandonment,
        definition=definition,
    )  # fmt: skip
    agents_d = np.ceil(slots_needed / slots_per_agent).astype(np.int64)
    perf = queueing.performance(
        distinct, agents_d * slots_per_agent, aht_s, answer_time_s, patience_s,
        definition=definition,
    )  # fmt: skip
    agents = agents_d[back]
    return {
        "contacts": contacts,
        "traffic_erl": traffic,
        "agents": agents,
        "service_level": perf["service_level"][back],
        "asa_s": perf["asa"][back],
        "occupancy": perf["occupancy"][back],
        "abandonment": perf["abandonment"][back],
        "backlog": np.zeros_like(traffic),
        "agent_hours": agents * step / 3600.0,
    }


def _staff_deferred(
    contacts: npt.NDArray[np.float64], step: float, ch: DeferredChannel, index: pd.Index
) -> dict[str, Any]:
    """Deferred work: smooth the cumulative workload curve inside the deadline band.

    Let ``W(k)`` be cumulative arrivals (contacts) up to the end of interval ``k``. A processing
    plan ``D(k)`` (cumulative completions) is feasible when ``W(k − R) ≤ D(k) ≤ W(k)``: nothing
    is processed before it arrives and everything is done within the response time ``R``.
    The plan used is the trailing moving average of ``W`` over the open intervals of one response
    window (equivalently: staff each interval at the average arrival rate of the last response
    window, which is what a planner does by hand), clipped into that band, and held flat in closed
    hours (work arriving then is carried forward as backlog to the next open interval). Everything
    is vectorized: cumulative sums, a moving average and a clip, no loop over intervals.

    The timeline is padded on both sides: with a cyclic profile by whole repetitions of it (so the
    backlog carried in is the one the profile ends with), otherwise by empty intervals (no work
    before; after the end, the backlog is worked off in the real open hours).
    """
    n = contacts.size
    window = max(1, int(np.floor(ch.response_time_s / step)))
    per_day = max(1, round(86_400.0 / step))
    if ch.cyclic:
        pad_before = pad_after = n * (2 + -(-window // n))
    else:
        pad_before, pad_after = window, window + 2 * per_day
    pos = np.arange(-pad_before, n + pad_after)
    if ch.open_hours is None:
        is_open = np.ones(pos.size, dtype=bool)
    else:
        if not isinstance(index, pd.DatetimeIndex):
            raise InputError("open_hours needs a DatetimeIndex on the volume")
        # a cyclic profile repeats its own open/closed pattern; otherwise the real clock runs on
        t0 = index[0]
        offsets = np.mod(pos, n) if ch.cyclic else pos
        seconds_of_day = ((t0.hour * 3600 + t0.minute * 60 + t0.second) + offsets * step) % 86_400.0
        if ch.cyclic:
            seconds_of_day = np.asarray(index.hour * 3600 + index.minute * 60 + index.second)[
                offsets
            ]
        hour = seconds_of_day / 3600.0
        start, end = ch.open_hours
        is_open = (hour >= start) & (hour < end)
        if not is_open[pad_before : pad_before + n].any() and ch.cyclic:
            raise InputError("open_hours leave no open interval in the volume profile")
    if ch.cyclic:
        arrivals = contacts[np.mod(pos, n)]
    else:
        arrivals = np.concatenate([np.zeros(pad_before), contacts, np.zeros(pad_after)])
    m = arrivals.size
    cum = np.cumsum(arrivals)
    # lower bound (deadline curve): contacts of interval j are done by the end of interval
    # j + window − 1, i.e. within (window − ½)·step ≤ R of their arrival (mid-interval)
    lag = window - 1
    due = np.concatenate([np.zeros(lag), cum[: m - lag]])
    open_idx = np.flatnonzero(is_open)
    if open_idx.size == 0:
        raise InputError("open_hours leave no open interval in the volume profile")
    # Smooth on the open-hours timeline: the trailing moving average of the cumulative curve over
    # the open intervals of one response window, clipped into the feasible band.
    open_share = float(is_open[pad_before : pad_before + n].mean()) or float(is_open.mean())
    w_open = max(1, round(window * open_share))
    cum_o = cum[open_idx]
    csum = np.cumsum(np.concatenate([[0.0], cum_o]))
    pos_o = np.arange(cum_o.size)
    ma = (csum[1:] - csum[np.maximum(pos_o + 1 - w_open, 0)]) / w_open
    held = np.full(m, -np.inf)
    # at an open interval, also finish what falls due before the next opening (if it has arrived)
    next_open = np.append(open_idx[1:], m)
    due_o = np.minimum(due[next_open - 1], cum_o)
    held[open_idx] = np.clip(ma, due_o, cum_o)
    plan = np.maximum(np.maximum.accumulate(held), 0.0)
    # completion (FIFO) of the profile's own intervals k (the padding only shapes the plan): the
    # first interval whose plan covers an interval's contacts, but never sooner than the handle
    # time after arrival (mid-interval) and only in an open interval
    inside = slice(pad_before, pad_before + n)
    k = np.arange(pad_before, pad_before + n)
    cum_in = cum[inside]
    finish = np.searchsorted(plan, cum_in - 1e-9, side="left")
    earliest = k + np.ceil((0.5 * step + ch.aht_s) / step).astype(np.int64) - 1
    finish = np.maximum(finish, earliest)
    # next open interval at or after each position (m where none)
    nxt = np.full(m + 1, m)
    nxt[open_idx] = open_idx
    nxt = np.minimum.accumulate(nxt[::-1])[::-1]
    finish = nxt[np.minimum(finish, m)]
    complete = (finish < m) & (plan[np.minimum(finish, m - 1)] >= cum_in - 1e-9)
    delay_s = (finish - k + 0.5) * step
    on_time = complete & (delay_s <= ch.response_time_s + 1e-9)
    done = np.diff(plan[pad_before - 1 : pad_before + n])
    backlog = cum_in - plan[inside]
    work_s = done * ch.aht_s
    agents = np.ceil(np.round(work_s / (step * ch.max_occupancy), 9)).astype(np.int64)
    sl = np.where(contacts > 0, on_time.astype(float), 1.0)
    capacity_s = agents * step
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(capacity_s > 0, work_s / capacity_s, 0.0)
    return {
        "contacts": contacts,
        "traffic_erl": contacts * ch.aht_s / step,
        "agents": agents,
        "service_level": sl,
        "asa_s": np.where(contacts > 0, np.where(complete, delay_s, np.inf), 0.0),
        "occupancy": occ,
        "abandonment": np.zeros(n),
        "backlog": backlog,
        "agent_hours": agents * step / 3600.0,
    }


# ---------------------------------------------------------------------------------------------
# combining and rolling up
# ---------------------------------------------------------------------------------------------


def combine(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Add channel tables into one requirement per interval.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Channel name → table from :func:`staff_intervals` (same index).

    Returns
    -------
    pandas.DataFrame
        Columns ``agents_<channel>`` for each channel plus ``contacts``, ``agents`` and
        ``agent_hours`` totals (dedicated agents per channel, no cross-skilling).
    """
    if not tables:
        raise InputError("combine needs at least one channel table")
    first = next(iter(tables.values())).index
    data: dict[str, Any] = {}
    for name, table in tables.items():
        if not table.index.equals(first):
            raise InputError(f"channel {name!r} has a different interval index from the others")
        data[f"agents_{name}"] = table["agents"].to_numpy()
    # one frame built at once (column inserts copy the frame each time)
    for col in ("contacts", "agents", "agent_hours"):
        data[col] = sum(t[col].to_numpy() for t in tables.values())
    return pd.DataFrame(data, index=first)


def rollup(
    table: pd.DataFrame,
    freq: str = "W",
    *,
    shrinkage: float = 0.30,
    fte_hours_per_week: float = 40.0,
    method: ShrinkageMethod = "divide",
    interval_s: float | None = None,
) -> pd.DataFrame:
    """Roll an interval table up to days, weeks or months.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`staff_intervals` or :func:`combine` (DatetimeIndex; needs ``contacts``
        and ``agent_hours``).
    freq : {"D", "W", "MS"} or any pandas offset alias
        Period to roll up to ("W" weeks end on Sunday; "MS" months).
    shrinkage : float
        Share of paid time unavailable (default 0.30, seed 001's 25–35 % range).
    fte_hours_per_week : float
        Paid hours of one FTE per week.
    method : {"divide", "multiply"}
        Shrinkage rule, see :func:`scheduled_headcount`.
    interval_s : float, optional
        Interval length in seconds, inferred from the index when omitted.

    Returns
    -------
    pandas.DataFrame
        Per period: ``contacts``, ``agent_hours`` (staffed, productive-time hours), ``fte`` (agent
        hours ÷ FTE hours in the period, ``fte_hours_per_week × days covered ÷ 7``),
        ``scheduled_fte`` (after shrinkage) and ``scheduled_headcount`` (rounded up).

    Examples
    --------
    >>> idx = pd.date_range("2026-01-05", periods=7 * 48, freq="30min")
    >>> t = staff_intervals(pd.Series(20.0, index=idx), VoiceChannel(aht_s=300))
    >>> w = rollup(t, "W", shrinkage=0.3, fte_hours_per_week=40)
    >>> w[["agent_hours", "fte"]].round(1).values.tolist()
    [[1008.0, 25.2]]
    """
    if not isinstance(table.index, pd.DatetimeIndex):
        raise InputError("rollup needs a table with a DatetimeIndex")
    for col in ("contacts", "agent_hours"):
        if col not in table.columns:
            raise InputError(f"rollup needs a {col!r} column")
    _check("fte_hours_per_week", fte_hours_per_week, low=0.0, low_inclusive=False)
    if interval_s is None:
        step = infer_interval_s(table.index)
    else:
        step = float(as_array("interval_s", interval_s, low=0.0, low_inclusive=False))
    sums = table[["contacts", "agent_hours"]]
    bins = _periods(table.index, freq)
    if bins is None:
        resampled = sums.resample(freq)
        summed = resampled.sum()
        labels, counts = summed.index, resampled.size().to_numpy()
    else:
        # the same sums as resample's (pandas' grouped sum over the same rows, in order)
        labels, codes, counts = bins
        summed = sums.groupby(codes).sum()
        if len(summed) != len(labels):  # empty periods sum to 0, as with resample
            summed = summed.reindex(np.arange(len(labels)), fill_value=0)
    # FTE hours available in a period scale with the time the table covers in it
    days = counts * step / 86_400.0
    hours_per_fte = fte_hours_per_week * days / 7.0
    agent_hours = summed["agent_hours"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        fte = np.where(hours_per_fte > 0, agent_hours / hours_per_fte, 0.0)
    scheduled = scheduled_headcount(fte, shrinkage, method)
    out = pd.DataFrame(
        {
            "contacts": summed["contacts"].to_numpy(),
            "agent_hours": agent_hours,
            "fte": fte,
            "scheduled_fte": scheduled,
            "scheduled_headcount": np.ceil(np.round(scheduled, 9)).astype(np.int64),
        },
        index=labels,
    )
    out.columns.name = table.columns.name
    return out


# Periods of the interval indexes seen recently: the planner rolls the same index up to weeks and
# months on every update, and finding pandas' period bins costs more than the sums.
_PERIODS: dict[Any, tuple[pd.DatetimeIndex, npt.NDArray[np.intp], npt.NDArray[np.int64]]] = {}
_PERIODS_KEPT = 32
_PERIODS_LOCK = threading.Lock()


def _periods(
    index: pd.DatetimeIndex, freq: Any
) -> tuple[pd.DatetimeIndex, npt.NDArray[np.intp], npt.NDArray[np.int64]] | None:
    """Resample periods of a regular increasing index: labels, period of each row, row counts.

    ``None`` where the index is not known to be regular and increasing (then the caller
    resamples). A regular index is determined by its start, step (or ``freq``), length and
    name, which key a small memo.
    """
    n = len(index)
    if n < 2:
        return None
    if index.freq is not None:
        spacing: Any = index.freq
    else:
        steps = np.diff(index.asi8)
        if np.any(steps != steps[0]):
            return None
        spacing = int(steps[0])
    if not index[1] > index[0]:
        return None
    key = (index[0], n, spacing, index.name, freq)
    try:
        with _PERIODS_LOCK:
            found = _PERIODS.get(key)
    except TypeError:  # an unhashable name or freq
        return None
    if found is None:
        sizes = pd.Series(np.zeros(n), index=index).resample(freq).size()
        counts = sizes.to_numpy().astype(np.int64)
        codes = np.repeat(np.arange(counts.size), counts)
        codes.flags.writeable = counts.flags.writeable = False  # shared between calls
        found = (pd.DatetimeIndex(sizes.index), codes, counts)
        with _PERIODS_LOCK:
            while len(_PERIODS) >= _PERIODS_KEPT:
                _PERIODS.pop(next(iter(_PERIODS)))
            _PERIODS[key] = found
    return found
