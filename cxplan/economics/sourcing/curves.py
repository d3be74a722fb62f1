"""Cost curves over forecast scale factors and the crossover volumes between sourcing options."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.optimize import brentq

from cxplan._validation import as_array
from cxplan.economics.costs import LocationProfile, TechStack, cost_per_paid_hour
from cxplan.economics.outsourcing import VendorQuote
from cxplan.economics.sourcing.comparison import _overlap, _shrinkage
from cxplan.economics.sourcing.hybrid import _volume
from cxplan.errors import InputError
from cxplan.workforce import queueing
from cxplan.workforce.staffing import (
    ChatChannel,
    DeferredChannel,
    VoiceChannel,
    infer_interval_s,
    staff_intervals,
)

__all__ = ["CrossoverResult", "cost_curves", "crossover"]

Array = npt.NDArray[np.float64]
Channel = VoiceChannel | ChatChannel | DeferredChannel

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
