"""Initiatives: levers → staffing recompute → the paid hours the operation saves.

A lever changes volumes or handle times; the staffing engine recomputes the requirement interval
by interval at the same service targets; the difference in paid hours is the saving
(:func:`effect`), which the business case (:mod:`cxplan.economics.business_case`) turns into
money and cash flow. Everything is vectorized over draws, so the same function serves the
deterministic case (one draw), the tornado (2k + 1 scenarios) and Monte Carlo (100,000 draws).

Levers (seed 000 and 001 ranges)
--------------------------------
- ``aht_reduction``: share of handle time removed (staccato pilots: AHT −20–35 %, seed 000).
- ``deflection``: share of the deflectable channels' volume contained by bots or self-service
  (bots handle 40–60 % of basic inquiries, seed 001; staccato pilots report 12–28 % deflection,
  seed 000).
- ``fcr_improvement``: first-contact resolution gained, in absolute points (0.05 = +5 points).
  Repeat contacts: each unresolved issue brings ``repeats_per_unresolved`` more contacts, so
  volume = issues × (1 + (1 − FCR)·r) and the volume factor is
  ``(1 + (1 − FCR₁)·r) / (1 + (1 − FCR₀)·r)``.
- ``occupancy_cap``: a new occupancy cap (e.g. 0.65 instead of 0.85: seed 002's choice, priced).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_array
from cxplan.errors import InputError
from cxplan.workforce import queueing
from cxplan.workforce.staffing import ChatChannel, DeferredChannel, VoiceChannel, infer_interval_s

__all__ = [
    "Baseline",
    "ChannelLoad",
    "Levers",
    "NaiveComparison",
    "effect",
    "naive_vs_queue_aware",
    "paid_hours_per_month",
    "volume_factors",
]

Array = npt.NDArray[np.float64]
WEEKS_PER_MONTH = 52.0 / 12.0


def _fraction(name: str, value: Any, *, high_inclusive: bool = False) -> Array:
    return as_array(name, value, low=0.0, high=1.0, high_inclusive=high_inclusive)


@dataclass(frozen=True)
class Levers:
    """Initiative levers (fractions; each may be an array of draws).

    Parameters
    ----------
    aht_reduction : float or array
        Share of handle time removed, in [0, 1).
    deflection : float or array
        Share of deflectable volume contained, in [0, 1].
    fcr_improvement : float or array
        First-contact resolution gained, absolute points as a fraction (0.05 = +5 points).
    occupancy_cap : float or None
        New occupancy cap for queued channels; ``None`` keeps each channel's own cap.
    """

    aht_reduction: Any = 0.0
    deflection: Any = 0.0
    fcr_improvement: Any = 0.0
    occupancy_cap: Any = None

    def __post_init__(self) -> None:
        _fraction("aht_reduction", self.aht_reduction)
        _fraction("deflection", self.deflection, high_inclusive=True)
        as_array("fcr_improvement", self.fcr_improvement, low=-1.0, high=1.0)
        if self.occupancy_cap is not None:
            as_array("occupancy_cap", self.occupancy_cap, low=0.0, low_inclusive=False, high=1.0)


@dataclass(frozen=True)
class ChannelLoad:
    """One channel's representative workload and targets.

    Parameters
    ----------
    profile : pandas.Series
        Contacts per interval over a representative period (e.g. an average week at hourly
        intervals, DatetimeIndex).
    channel : VoiceChannel, ChatChannel or DeferredChannel
        Handle time and targets.
    periods_per_month : float
        How many times the profile's period occurs in a month (a week: 52/12).
    deflectable : bool
        Whether deflection applies to this channel (bots and self-service take voice and chat,
        not back-office work).
    """

    profile: pd.Series
    channel: VoiceChannel | ChatChannel | DeferredChannel
    periods_per_month: float = WEEKS_PER_MONTH
    deflectable: bool = True

    @property
    def interval_s(self) -> float:
        """Interval length of the profile, seconds."""
        return infer_interval_s(self.profile.index)


@dataclass(frozen=True)
class Baseline:
    """The operation the levers act on.

    Parameters
    ----------
    channels : mapping of str to ChannelLoad
        Channel name → workload.
    cost_per_paid_hour : float or array
        Fully loaded cost of one paid agent hour (see
        :func:`cxplan.economics.costs.cost_per_paid_hour`).
    shrinkage : float
        Share of paid time unavailable; paid hours = staffed hours ÷ (1 − shrinkage).
    baseline_fcr : float
        First-contact resolution today (seed 001 benchmark: ≥ 70 %).
    repeats_per_unresolved : float
        Extra contacts per unresolved issue.
    deflected_aht_ratio : float
        Handle time of the contacts bots take, relative to the channel's average (≥ 0). Bots
        take the simplest contacts, so below 1 the remaining contacts are longer on average:
        their AHT is multiplied by ``(1 − d·ρ) / (1 − d)`` at deflection ``d`` (1.0 = no such
        effect).
    """

    channels: Mapping[str, ChannelLoad]
    cost_per_paid_hour: Any
    shrinkage: float = 0.30
    baseline_fcr: float = 0.70
    repeats_per_unresolved: float = 1.0
    deflected_aht_ratio: float = 1.0
    # derived state, never copied by dataclasses.replace (each instance builds its own)
    _nonzero: dict[str, tuple[Array, float]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _cache: dict[str, Array] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.channels:
            raise InputError("channels must name at least one channel")
        as_array("cost_per_paid_hour", self.cost_per_paid_hour, low=0.0)
        as_array("shrinkage", self.shrinkage, low=0.0, high=1.0, high_inclusive=False)
        _fraction("baseline_fcr", self.baseline_fcr, high_inclusive=True)
        as_array("repeats_per_unresolved", self.repeats_per_unresolved, low=0.0)
        as_array("deflected_aht_ratio", self.deflected_aht_ratio, low=0.0)
        for name, load in self.channels.items():
            vol = as_array(f"channels.{name}.profile", load.profile.to_numpy(dtype=float), low=0.0)
            # only intervals with volume need a staffing recompute (nights are free)
            self._nonzero[name] = (vol[vol > 0], load.interval_s)

    def paid_hours_before(self) -> Array:
        """Paid hours per month of the operation as it is (computed once, then reused)."""
        if "__before__" not in self._cache:
            self._cache["__before__"] = paid_hours_per_month(self)
        return self._cache["__before__"]


def volume_factors(baseline: Baseline, levers: Levers) -> dict[str, Array]:
    """Multiplier on each channel's volume from deflection and first-contact resolution.

    Returns
    -------
    dict of str to ndarray
        Channel → factor (shape of the broadcast levers).

    Examples
    --------
    >>> import pandas as pd
    >>> from cxplan.workforce.staffing import VoiceChannel
    >>> p = pd.Series([10.0, 20.0], index=pd.date_range("2026-01-05", periods=2, freq="h"))
    >>> b = Baseline({"voice": ChannelLoad(p, VoiceChannel(aht_s=300))}, 40.0, baseline_fcr=0.7)
    >>> float(volume_factors(b, Levers(deflection=0.2, fcr_improvement=0.1))["voice"])
    0.7384615384615385
    """
    r = baseline.repeats_per_unresolved
    f0 = baseline.baseline_fcr
    f1 = np.clip(f0 + np.asarray(levers.fcr_improvement, dtype=float), 0.0, 1.0)
    fcr_factor = (1.0 + (1.0 - f1) * r) / (1.0 + (1.0 - f0) * r)
    deflect = 1.0 - np.asarray(levers.deflection, dtype=float)
    return {
        name: np.asarray(fcr_factor * (deflect if load.deflectable else 1.0), dtype=float)
        for name, load in baseline.channels.items()
    }


def paid_hours_per_month(
    baseline: Baseline,
    volume_factor: Mapping[str, Any] | None = None,
    aht_factor: Any = 1.0,
    occupancy_cap: Any = None,
) -> Array:
    """Paid agent hours per month, recomputed through the staffing engine, vectorized over draws.

    Parameters
    ----------
    baseline : Baseline
        The operation.
    volume_factor : mapping of str to array_like, optional
        Per channel volume multiplier (draws), default 1.
    aht_factor : array_like or mapping of str to array_like
        Handle-time multiplier (draws), e.g. ``1 − aht_reduction``; a mapping gives one per
        channel (channels not in it keep 1).
    occupancy_cap : array_like, optional
        Occupancy cap replacing each queued channel's own (draws).

    Returns
    -------
    ndarray
        Paid hours per month, shape of the broadcast draws (0-d for scalars).

    Notes
    -----
    Queued channels (voice, chat): for each draw ``d`` and interval ``i`` the traffic
    ``contacts_i × v_d × aht × a_d ÷ interval`` is staffed with
    :func:`cxplan.workforce.queueing.required_agents` in one broadcast call (draws × intervals), no
    loop.
    Deferred work is staffed to its workload,
    ``contacts × aht ÷ max_occupancy`` (exact over a cyclic profile up to per-interval rounding,
    see :mod:`cxplan.workforce.staffing`). Paid hours = staffed hours ÷ (1 − shrinkage) × periods
    per month.
    """
    vf = volume_factor or {}
    per_channel = aht_factor if isinstance(aht_factor, Mapping) else None
    factors = {
        name: np.asarray(
            as_array(
                "aht_factor",
                per_channel.get(name, 1.0) if per_channel is not None else aht_factor,
                low=0.0,
                low_inclusive=False,
            )
        )
        for name in baseline.channels
    }
    occ_override = None if occupancy_cap is None else np.asarray(occupancy_cap, dtype=float)
    total: Array = np.zeros(
        np.broadcast_shapes(
            *(np.shape(f) for f in factors.values()), *(np.shape(v) for v in vf.values())
        )
    )
    for name, load in baseline.channels.items():
        contacts, step = baseline._nonzero[name]
        a_f = factors[name]
        v = np.asarray(vf.get(name, 1.0), dtype=float)
        shape = np.broadcast_shapes(a_f.shape, v.shape)
        ch = load.channel
        if isinstance(ch, DeferredChannel):
            work_h = contacts.sum() * ch.aht_s / ch.max_occupancy / 3600.0
            hours = np.broadcast_to(work_h * v * a_f, shape)
        else:
            if isinstance(ch, VoiceChannel):
                aht_s, per_agent, target, t = ch.aht_s, 1, ch.sl_target, ch.answer_time_s
                patience, max_asa, definition = ch.patience_s, ch.max_asa_s, ch.sl_definition
            else:
                aht_s, per_agent, target, t = (
                    ch.slot_aht_s,
                    ch.concurrency,
                    ch.sl_target,
                    ch.answer_time_s,
                )
                patience, max_asa, definition = ch.patience_s, None, "offered"
            occ = ch.max_occupancy if occ_override is None else occ_override
            draw_aht = (aht_s * a_f)[..., None]
            traffic = contacts * (np.asarray(v)[..., None] * draw_aht) / step
            slots = queueing.required_agents(
                traffic, draw_aht, t, target, max_occupancy=np.asarray(occ)[..., None],
                patience=patience, max_asa=max_asa, definition=definition,
            )  # fmt: skip
            agents = np.ceil(np.asarray(slots) / per_agent)
            hours = agents.sum(axis=-1) * step / 3600.0
        total = total + hours * load.periods_per_month
    return np.asarray(total / (1.0 - baseline.shrinkage))


def effect(baseline: Baseline, levers: Levers) -> dict[str, Array]:
    """Compute what the levers do to the operation (hours, contacts), vectorized over draws.

    Parameters
    ----------
    baseline : Baseline
        The operation (its ``deflected_aht_ratio`` couples deflection to the remaining AHT).
    levers : Levers
        The levers (arrays of draws allowed).

    Returns
    -------
    dict of str to ndarray
        ``paid_hours_before`` and ``paid_hours_after`` (per month), ``hours_saved_per_month``,
        ``saving_share`` (saved ÷ before; 0 for an empty operation) and
        ``deflected_contacts_per_month`` (contacts bots take, for their per-contact cost).

    Notes
    -----
    Volumes: :func:`volume_factors`. Handle time: ``(1 − aht_reduction)`` on every channel, and
    on deflectable channels also the mix effect ``(1 − d·ρ) / (1 − d)`` (``ρ`` =
    ``deflected_aht_ratio``; 1 at ``d = 1``, where no contact is left). Deflected contacts =
    the deflectable channels' contacts after the FCR effect × ``d``.

    Examples
    --------
    >>> import pandas as pd
    >>> from cxplan.workforce.staffing import DeferredChannel
    >>> p = pd.Series([100.0, 100.0], index=pd.date_range("2026-01-05", periods=2, freq="h"))
    >>> load = ChannelLoad(p, DeferredChannel(aht_s=360, max_occupancy=1.0), deflectable=True)
    >>> b = Baseline({"email": load}, 40.0, shrinkage=0.0, deflected_aht_ratio=0.5)
    >>> out = effect(b, Levers(deflection=0.2))
    >>> round(float(out["saving_share"]), 4)  # 1 - (1 - 0.2 * 0.5) = 0.1 of the work goes
    0.1
    """
    before = baseline.paid_hours_before()
    factors = volume_factors(baseline, levers)
    d = np.asarray(levers.deflection, dtype=float)
    rho = float(baseline.deflected_aht_ratio)
    with np.errstate(divide="ignore", invalid="ignore"):
        mix = np.where(d < 1.0, (1.0 - d * rho) / np.where(d < 1.0, 1.0 - d, 1.0), 1.0)
    base_aht = 1.0 - np.asarray(levers.aht_reduction, dtype=float)
    aht = {
        name: base_aht * (mix if load.deflectable else 1.0)
        for name, load in baseline.channels.items()
    }
    after = paid_hours_per_month(baseline, factors, aht, levers.occupancy_cap)
    saved = before - after
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(before > 0, saved / np.where(before > 0, before, 1.0), 0.0)
    r = baseline.repeats_per_unresolved
    f0 = baseline.baseline_fcr
    f1 = np.clip(f0 + np.asarray(levers.fcr_improvement, dtype=float), 0.0, 1.0)
    fcr_factor = (1.0 + (1.0 - f1) * r) / (1.0 + (1.0 - f0) * r)
    monthly_contacts = sum(
        float(load.profile.sum()) * load.periods_per_month
        for load in baseline.channels.values()
        if load.deflectable
    )
    shape = np.shape(saved)
    return {
        "paid_hours_before": np.broadcast_to(before, shape).astype(float),
        "paid_hours_after": np.asarray(after, dtype=float),
        "hours_saved_per_month": np.asarray(saved, dtype=float),
        "saving_share": np.asarray(share, dtype=float),
        "deflected_contacts_per_month": np.broadcast_to(
            monthly_contacts * fcr_factor * d, shape
        ).astype(float),
    }


@dataclass(frozen=True)
class NaiveComparison:
    """Naive handle-time saving beside the queue-aware one (figures per year unless named)."""

    naive_hours_per_week: float
    naive_saving_per_week: float
    naive_saving_per_year: float
    queue_hours_per_week: float
    queue_paid_hours_per_week: float
    queue_saving_per_year: float
    explanation: tuple[str, ...]

    def table(self) -> pd.DataFrame:
        """Two-row comparison table."""
        return pd.DataFrame(
            {
                "hours_saved_per_week": [self.naive_hours_per_week, self.queue_paid_hours_per_week],
                "saving_per_year": [self.naive_saving_per_year, self.queue_saving_per_year],
            },
            index=pd.Index(
                ["naive (contacts × ΔAHT)", "queue-aware (staffing engine)"], name="method"
            ),
        )


def naive_vs_queue_aware(
    contacts_per_day: float,
    aht_s: float,
    aht_reduction: float,
    wage_per_hour: float,
    *,
    days_per_week: float = 5.0,
    weeks_per_year: float = 52.0,
    profile: pd.Series | None = None,
    channel: VoiceChannel | None = None,
    shrinkage: float = 0.30,
) -> NaiveComparison:
    """Seed 000's naive handle-time saving set beside the queue-aware saving.

    Parameters
    ----------
    contacts_per_day : float
        Contacts per working day.
    aht_s : float
        Handle time today, seconds.
    aht_reduction : float
        Share of handle time removed.
    wage_per_hour : float
        Cost of one hour (the seed uses the wage, $28/h).
    days_per_week, weeks_per_year : float
        Working days and weeks.
    profile : pandas.Series, optional
        Intraday shape of one working day (relative weights per interval, DatetimeIndex); default
        an 8:00–18:00 day at 30-minute intervals peaking mid-morning and mid-afternoon.
    channel : VoiceChannel, optional
        Targets for the queue-aware recompute (default 80/20, occupancy cap 0.85).
    shrinkage : float
        Share of paid time unavailable (the naive figure ignores it).

    Returns
    -------
    NaiveComparison

    Notes
    -----
    Naive: ``contacts × AHT × reduction`` hours a week, × wage. With 1,200 contacts a day, AHT 6
    min, −25 %, 5 days and $28/h: 1,200 × 1.5 min × 5 = 150 h a week → $4,200 a week → $218,400
    a year (seed 000: "~150 agent-hours/week … ~$219,000/year"). Queue-aware: the staffing engine
    staffs every interval at the service target before and after; the saving is the difference in
    staffed hours, ÷ (1 − shrinkage) for paid hours.

    Examples
    --------
    >>> c = naive_vs_queue_aware(1200, 360, 0.25, 28.0)
    >>> round(c.naive_hours_per_week), round(c.naive_saving_per_year)
    (150, 218400)
    """
    if channel is None:
        channel = VoiceChannel(aht_s=aht_s, sl_target=0.80, answer_time_s=20.0, max_occupancy=0.85)
    if profile is None:
        idx = pd.date_range("2026-01-05 08:00", periods=20, freq="30min")
        hour = idx.hour + idx.minute / 60.0
        weights = (
            1.0
            + 0.6 * np.exp(-((hour - 10.5) ** 2) / 2.0)
            + 0.4 * np.exp(-((hour - 14.5) ** 2) / 2.0)
        )
        profile = pd.Series(weights, index=idx)
    shape = profile / profile.sum()
    day = shape * contacts_per_day
    naive_h = contacts_per_day * aht_s * aht_reduction / 3600.0 * days_per_week
    load = ChannelLoad(day, channel, periods_per_month=days_per_week * weeks_per_year / 12.0)
    base = Baseline({"voice": load}, wage_per_hour, shrinkage=shrinkage)
    weekly = 12.0 / weeks_per_year
    before = float(paid_hours_per_month(base)) * weekly
    after = float(paid_hours_per_month(base, aht_factor=1.0 - aht_reduction)) * weekly
    paid_saved = before - after
    staffed_before, staffed_after = before * (1.0 - shrinkage), after * (1.0 - shrinkage)
    staffed_saved = staffed_before - staffed_after
    work_before = contacts_per_day * days_per_week * aht_s / 3600.0
    work_after = work_before * (1.0 - aht_reduction)
    # no contacts: no staffed hours and no work (0, not a division by zero)
    occ_before = work_before / staffed_before if staffed_before > 0 else 0.0
    occ_after = work_after / staffed_after if staffed_after > 0 else 0.0
    ratio = staffed_saved / naive_h if naive_h > 0 else float("nan")
    if ratio > 1.0 + 1e-9:
        why = (
            f"It is more than the work saved because agents are staffed above the workload "
            f"(workload ÷ staffed hours {occ_before:.0%} before, {occ_after:.0%} after): each "
            "hour of work removed also removes its share of idle margin."
        )
    elif ratio < 1.0 - 1e-9:
        why = (
            "It is less than the work saved because agents come in whole numbers per interval "
            "and the service-level margin shrinks more slowly than the workload: removing part "
            "of an agent's work in an interval frees no agent there."
        )
    else:
        why = "It equals the work saved: here the staffing moves one for one with the workload."
    explanation = (
        f"Naive: {contacts_per_day:,.0f} contacts × {aht_s * aht_reduction / 60:.2f} min saved × "
        f"{days_per_week:g} days = {naive_h:,.0f} hours of work a week.",
        f"Queue-aware: staffing every interval at {channel.sl_target:.0%} in "
        f"{channel.answer_time_s:g} s (occupancy cap {channel.max_occupancy:.0%}) needs "
        f"{staffed_before:,.0f} staffed hours a week before and {staffed_after:,.0f} after: "
        f"{staffed_saved:,.0f} saved, "
        + (f"{ratio:.2f}× the work saved." if naive_h > 0 else "and no work is saved."),
        why,
        f"Paid hours saved = staffed hours ÷ (1 − {shrinkage:.0%} shrinkage) = "
        f"{paid_saved:,.0f} a week; the naive figure ignores shrinkage.",
    )
    return NaiveComparison(
        naive_hours_per_week=naive_h,
        naive_saving_per_week=naive_h * wage_per_hour,
        naive_saving_per_year=naive_h * wage_per_hour * weeks_per_year,
        queue_hours_per_week=staffed_saved,
        queue_paid_hours_per_week=paid_saved,
        queue_saving_per_year=paid_saved * wage_per_hour * weeks_per_year,
        explanation=explanation,
    )
