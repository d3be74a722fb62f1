"""Outsourcing price models, vendor quotes and the costs a vendor invoice does not show.

A vendor quote is a sum of small price components, each with a vectorized
``cost(contacts, *, aht_s=None, agent_hours=None)`` over arrays of *monthly* volumes:

=====================  ========================================================================
:class:`PerMinute`      per handled minute, optionally rounded up per contact, plus wrap minutes
:class:`PerContact`     per contact or ticket
:class:`PerAgentHour`   per billable (staffed, productive) agent hour, optional minimum hours
:class:`PerSeat`        per dedicated agent seat per month, optional minimum seats
:class:`FixedFee`       fixed monthly fee with included contacts and an overage price
=====================  ========================================================================

Per-unit prices may be a flat number or a :class:`Tiers` volume schedule ("graduated" or
"all_units"). :class:`VendorQuote` sums the components, applies a monthly minimum charge, and
carries what a comparison must add so the outsourced total is not understated: a one-off
transition cost, a parallel-run period (both sides paid while the vendor stabilises),
governance (vendor management) as a share of contract value and a value-leakage allowance.

The classes are frozen pydantic models validated on construction
(:class:`cxplan._schema.ConfigModel`); a parameter file's ``vendor:`` section is a
:class:`VendorQuote` (each component chosen by its ``kind``), so the YAML is the source of truth at
run time. :data:`QUOTE_PRESETS` are cited examples.

References
----------
.. [1] Seed 001 (``shared/reference/seeds/001_*.txt``): pricing per minute, per contact, per agent
   or fixed monthly fee; $1–6 per inbound voice minute, $2–15 per qualified support ticket.
.. [2] ``shared/reference/domain-notes.md``, "Costs": per-minute billing is often rounded up per
   call plus wrap minutes; per agent-hour prices bill productive hours; fixed fees with included
   volume and overage; volume bands and seat minimums; offshore (Philippines) billed $8–12/h;
   transition 4–5 weeks to stable operation with both sides paid for a while; governance 3–6 %
   of contract value; value leakage 5–30 %.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Annotated, Any, Literal, Protocol, Self, cast, overload, runtime_checkable

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import Field, field_validator, model_validator

from cxplan._schema import (
    ConfigModel,
    Money,
    Name,
    NonNegative,
    NonNegativeInt,
    OpenFraction,
    Positive,
)
from cxplan._validation import (
    ArrayLike,
    FloatArray,
    as_array,
    broadcast,
    float_or_array,
    scalar_or_array,
)
from cxplan.errors import InputError

__all__ = [
    "QUOTE_PRESETS",
    "Component",
    "ComponentType",
    "FixedFee",
    "PerAgentHour",
    "PerContact",
    "PerMinute",
    "PerSeat",
    "Price",
    "PriceComponent",
    "Tiers",
    "VendorQuote",
    "billable_agent_hours",
    "expected_billed_seconds",
]

Array = npt.NDArray[np.float64]
TierMethod = Literal["graduated", "all_units"]
HandleTimeDistribution = Literal["exponential", "constant"]


# ---------------------------------------------------------------------------------------------
# volume tiers
# ---------------------------------------------------------------------------------------------


class Tiers(ConfigModel):
    """A volume-banded unit price.

    Band ``i`` covers billable units in ``[band_starts[i], band_starts[i+1])``; the last band is
    open-ended. Two conventions exist in contracts, chosen with ``method``:

    ``"graduated"`` (incremental)
        Each unit is priced at the rate of the band it falls in, like income-tax brackets:
        ``charge(u) = Σ_i price_i · clip(u − start_i, 0, width_i)``. The charge is continuous
        in ``u`` and non-decreasing.
    ``"all_units"``
        Every unit is priced at the rate of the band the *total* falls in:
        ``charge(u) = u · price_k`` with ``start_k ≤ u < start_{k+1}`` (a total exactly on a
        boundary takes the new band's price). At a boundary ``b`` the charge jumps by
        ``b · (price_new − price_old)``: with falling prices it *drops*, so the charge is not
        monotone in volume (buying a little more can cost less). This is how such contracts
        bill; it is reproduced, not smoothed.

    Parameters
    ----------
    band_starts : sequence of float
        Lower bound of each band in billable units; the first must be 0, the rest strictly
        increasing (equal or decreasing starts are overlapping or unordered bands).
    prices : sequence of float
        Price per unit in each band (≥ 0), same length.
    method : {"graduated", "all_units"}
        The convention above (default ``"graduated"``).

    Examples
    --------
    First 1,000 contacts at 5.00, the rest at 4.00, for 1,500 contacts:

    >>> t = Tiers(band_starts=[0, 1000], prices=[5.0, 4.0], method="graduated")
    >>> t.charge(1500)
    7000.0
    >>> Tiers(band_starts=[0, 1000], prices=[5.0, 4.0], method="all_units").charge(1500)
    6000.0
    """

    band_starts: tuple[NonNegative, ...]
    prices: tuple[Money, ...]
    method: TierMethod = "graduated"

    @model_validator(mode="after")
    def _bands(self) -> Self:
        starts, prices = self.band_starts, self.prices
        if not starts:
            raise ValueError("band_starts must be a non-empty list of numbers")
        if len(prices) != len(starts):
            raise ValueError(
                f"prices must have one price per band ({len(starts)} bands, "
                f"got {len(prices)} prices)"
            )
        if starts[0] != 0.0:
            raise ValueError(f"band_starts must start at 0 (got {starts[0]:g})")
        for i in range(1, len(starts)):
            if starts[i] <= starts[i - 1]:
                raise ValueError(
                    "band_starts must be strictly increasing: bands overlap or are unordered "
                    f"(band {i} starts at {starts[i]:g} after {starts[i - 1]:g})"
                )
        return self

    @classmethod
    def from_bands(
        cls, bands: Sequence[tuple[float, float, float]], *, method: TierMethod
    ) -> Tiers:
        """Build tiers from explicit ``(from_units, to_units, price)`` bands (contract style).

        Bands must be given in order, start at 0, touch without gaps or overlaps
        (``to`` of one band equals ``from`` of the next) and the last must be open-ended
        (``to = inf``).

        Examples
        --------
        >>> Tiers.from_bands([(0, 1000, 5.0), (1000, float("inf"), 4.0)],
        ...                  method="graduated").band_starts
        (0.0, 1000.0)
        """
        rows = _seq("Tiers bands", bands)
        if not rows:
            raise InputError("Tiers bands must not be empty")
        arr = as_array("Tiers bands", [tuple(r) for r in rows], allow_inf=True)
        if arr.ndim != 2 or arr.shape[1] != 3:
            raise InputError("Tiers bands must be (from_units, to_units, price) triples")
        lo, hi, price = arr[:, 0], arr[:, 1], arr[:, 2]
        if not np.all(np.isfinite(lo)) or not np.all(np.isfinite(price)):
            raise InputError("Tiers bands: from_units and price must be finite")
        if np.any(hi <= lo):
            i = int(np.flatnonzero(hi <= lo)[0])
            raise InputError(f"Tiers bands: band {i} must have to_units > from_units")
        for i in range(1, len(lo)):
            if lo[i] < hi[i - 1]:
                raise InputError(
                    f"Tiers bands: band {i} (from {lo[i]:g}) overlaps band {i - 1} "
                    f"(to {hi[i - 1]:g}) or the bands are unordered"
                )
            if lo[i] > hi[i - 1]:
                raise InputError(
                    f"Tiers bands: gap between band {i - 1} (to {hi[i - 1]:g}) and band {i} "
                    f"(from {lo[i]:g})"
                )
        if np.isfinite(hi[-1]):
            raise InputError("Tiers bands: the last band must be open-ended (to_units = inf)")
        return cls(band_starts=tuple(lo), prices=tuple(price), method=method)

    def charge(self, units: Any) -> Any:
        """Charge for ``units`` billable units (vectorized; scalar in → float out).

        Parameters
        ----------
        units : array_like
            Billable units (contacts, minutes or hours) per month, ≥ 0.

        Returns
        -------
        float or ndarray
            Money per month.
        """
        u = as_array("units", units, low=0.0)
        return scalar_or_array(self._charge(u), u.ndim == 0)

    def _charge(self, u: Array) -> Array:
        starts = np.asarray(self.band_starts)
        prices = np.asarray(self.prices)
        if self.method == "all_units":
            band = np.searchsorted(starts, u, side="right") - 1
            return np.asarray(u * prices[band], dtype=np.float64)
        widths = np.append(np.diff(starts), np.inf)
        in_band = np.clip(u[..., None] - starts, 0.0, widths)
        return np.asarray(in_band @ prices, dtype=np.float64)


#: A unit price: a number (money per unit) or a volume-banded :class:`Tiers` schedule.
Price = Money | Tiers


def _seq(name: str, value: Any) -> list[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InputError(f"{name} must be a list (got {value!r})")
    return list(value)


def _charge(price: float | Tiers, units: Array) -> Array:
    if isinstance(price, Tiers):
        return price._charge(units)
    return units * price


# ---------------------------------------------------------------------------------------------
# helpers on billable units
# ---------------------------------------------------------------------------------------------


@overload
def expected_billed_seconds(
    aht_s: float,
    *,
    billing_increment_s: float = 60.0,
    distribution: HandleTimeDistribution = "exponential",
) -> float: ...
@overload
def expected_billed_seconds(
    aht_s: ArrayLike,
    *,
    billing_increment_s: ArrayLike = 60.0,
    distribution: HandleTimeDistribution = "exponential",
) -> FloatArray: ...
def expected_billed_seconds(
    aht_s: ArrayLike,
    *,
    billing_increment_s: ArrayLike = 60.0,
    distribution: HandleTimeDistribution = "exponential",
) -> float | FloatArray:
    """Compute the expected billed seconds per contact when each is rounded up to an increment.

    Parameters
    ----------
    aht_s : array_like
        Mean handle time, seconds (> 0).
    billing_increment_s : array_like
        Billing increment, seconds (> 0): 60 for "per started minute", 6 for six-second billing.
    distribution : {"exponential", "constant"}
        Handle-time assumption: exponential with mean ``aht_s`` (the Erlang C model's own
        assumption) or every contact exactly ``aht_s`` long.

    Returns
    -------
    float or ndarray
        Expected billed seconds per contact, ``≥ aht_s``.

    Notes
    -----
    With ``T ~ Exp(mean a)`` and increment ``d``, ``N = ⌈T/d⌉`` is geometric on {1, 2, ...} with
    success probability ``p = 1 − e^{−d/a}`` (the exponential is memoryless, so
    ``P(N > k) = P(T > k d) = e^{−k d/a}``). Hence ``E[N] = 1/p`` and

    ``E[billed seconds] = d / (1 − e^{−d/a})``,

    which lies in ``[max(a, d), a + d)`` and tends to ``a`` as ``d → 0``. For constant handle
    times it is ``d · ⌈a/d⌉``. Real handle times are closer to log-normal than exponential; the
    exponential figure is the planning approximation used here (and the one the Erlang models
    assume).

    References
    ----------
    .. [1] "Geometric distribution", relation to the exponential distribution: the rounded-up
       (or rounded-down) exponential variable is geometric, e.g. S. M. Ross, *Introduction to
       Probability Models*, memoryless property of the exponential.

    Examples
    --------
    A 4-minute mean call billed per started minute costs 4.52 minutes on average:

    >>> round(expected_billed_seconds(240.0) / 60, 4)
    4.5208
    >>> expected_billed_seconds(240.0, distribution="constant")
    240.0
    """
    a = as_array("aht_s", aht_s, low=0.0, low_inclusive=False)
    d = as_array("billing_increment_s", billing_increment_s, low=0.0, low_inclusive=False)
    a, d = broadcast(aht_s=a, billing_increment_s=d)
    if distribution == "exponential":
        out = d / -np.expm1(-d / a)
    elif distribution == "constant":
        # round away tiny float noise before the ceiling (240/60 must give 4, not 5)
        out = d * np.ceil(np.round(a / d, 9))
    else:
        raise InputError(f"distribution must be 'exponential' or 'constant' (got {distribution!r})")
    return float_or_array(out, a.ndim == 0)


@overload
def billable_agent_hours(contacts: float, aht_s: float, occupancy: float) -> float: ...
@overload
def billable_agent_hours(
    contacts: ArrayLike, aht_s: ArrayLike, occupancy: ArrayLike
) -> FloatArray: ...
def billable_agent_hours(
    contacts: ArrayLike, aht_s: ArrayLike, occupancy: ArrayLike
) -> float | FloatArray:
    """Estimate billable (staffed) agent hours from volume when no staffing result is at hand.

    Parameters
    ----------
    contacts : array_like
        Contacts per month (≥ 0).
    aht_s : array_like
        Mean handle time, seconds (> 0).
    occupancy : array_like
        Vendor's achieved occupancy of staffed time, in (0, 1].

    Returns
    -------
    float or ndarray
        ``contacts · aht_s / 3600 / occupancy``. Prefer the staffing engine's ``agent_hours``
        (queueing makes small queues run at low occupancy); the sourcing comparison does.

    Examples
    --------
    >>> billable_agent_hours(10_000, 360, 0.8)
    1250.0
    """
    c = as_array("contacts", contacts, low=0.0)
    a = as_array("aht_s", aht_s, low=0.0, low_inclusive=False)
    occ = as_array("occupancy", occupancy, low=0.0, low_inclusive=False, high=1.0)
    c, a, occ = broadcast(contacts=c, aht_s=a, occupancy=occ)
    return float_or_array(c * a / 3600.0 / occ, c.ndim == 0)


# ---------------------------------------------------------------------------------------------
# price components
# ---------------------------------------------------------------------------------------------


@runtime_checkable
class PriceComponent(Protocol):
    """What a vendor quote needs from a price component."""

    @property
    def label(self) -> str:
        """Column name of the component in breakdowns."""
        ...

    @property
    def needs_aht(self) -> bool:
        """Whether :meth:`cost` needs ``aht_s``."""
        ...

    @property
    def needs_agent_hours(self) -> bool:
        """Whether :meth:`cost` needs ``agent_hours``."""
        ...

    def cost(self, contacts: Any, *, aht_s: Any = None, agent_hours: Any = None) -> Any:
        """Money per month for the given monthly volumes (vectorized)."""
        ...


def _inputs(
    owner: str, contacts: Any, aht_s: Any, agent_hours: Any, *, aht: bool, hours: bool
) -> tuple[Array, Array | None, Array | None, bool]:
    """Validate and broadcast the monthly drivers a component uses."""
    c = as_array("contacts", contacts, low=0.0)
    scalar = c.ndim == 0
    arrays: dict[str, Array] = {"contacts": c}
    if aht:
        if aht_s is None:
            raise InputError(f"aht_s is required by {owner} (billed units depend on handle time)")
        arrays["aht_s"] = as_array("aht_s", aht_s, low=0.0, low_inclusive=False)
        scalar = scalar and arrays["aht_s"].ndim == 0
    if hours:
        if agent_hours is None:
            raise InputError(
                f"agent_hours is required by {owner} (use the staffing engine's agent_hours or "
                "outsourcing.billable_agent_hours)"
            )
        arrays["agent_hours"] = as_array("agent_hours", agent_hours, low=0.0)
        scalar = scalar and arrays["agent_hours"].ndim == 0
    out = dict(zip(arrays, broadcast(**arrays), strict=True))
    return out["contacts"], out.get("aht_s"), out.get("agent_hours"), scalar


class PerMinute(ConfigModel):
    """Price per billed handle minute.

    Parameters
    ----------
    price_per_minute : float or Tiers
        Price per billed minute (≥ 0), or a :class:`Tiers` schedule on billed minutes per month.
    wrap_minutes_per_contact : float
        Flat after-call-work minutes billed per contact on top of the handle time (≥ 0).
    round_up_per_contact : bool
        Bill each contact in whole increments (rounded up); otherwise bill exact time.
    billing_increment_s : float
        Rounding increment in seconds (> 0; 60 = per started minute).
    handle_time_distribution : {"exponential", "constant"}
        Assumption used for the round-up, see :func:`expected_billed_seconds`.
    label : str
        Column name in breakdowns.

    Notes
    -----
    ``billed minutes per contact = E[billed seconds]/60 + wrap_minutes_per_contact`` and
    ``cost = price · contacts · billed minutes per contact`` (or the tier charge of the monthly
    billed minutes).

    Examples
    --------
    10,000 calls of 4 min mean at $1.00, exact billing plus 0.5 wrap minutes:
    ``10,000 × (4 + 0.5) × 1.00 = 45,000``.

    >>> PerMinute(price_per_minute=1.0, wrap_minutes_per_contact=0.5,
    ...           round_up_per_contact=False).cost(10_000, aht_s=240)
    45000.0
    """

    price_per_minute: Price
    wrap_minutes_per_contact: Annotated[NonNegative, Field(le=60.0)] = 0.0
    round_up_per_contact: bool = True
    billing_increment_s: Annotated[Positive, Field(le=3_600.0)] = 60.0
    handle_time_distribution: HandleTimeDistribution = "exponential"
    label: Name = "per_minute"
    kind: Literal["per_minute"] = "per_minute"

    @property
    def needs_aht(self) -> bool:
        """Per-minute billing needs the mean handle time."""
        return True

    @property
    def needs_agent_hours(self) -> bool:
        """Per-minute billing does not use agent hours."""
        return False

    def billed_minutes_per_contact(self, aht_s: Any) -> Any:
        """Return the expected billed minutes per contact (vectorized over ``aht_s``)."""
        a = as_array("aht_s", aht_s, low=0.0, low_inclusive=False)
        return scalar_or_array(self._minutes(a), a.ndim == 0)

    def _minutes(self, a: Array) -> Array:
        if self.round_up_per_contact:
            sec = np.asarray(
                expected_billed_seconds(
                    a,
                    billing_increment_s=self.billing_increment_s,
                    distribution=self.handle_time_distribution,
                ),
                dtype=np.float64,
            )
        else:
            sec = a
        return sec / 60.0 + self.wrap_minutes_per_contact

    def cost(self, contacts: Any, *, aht_s: Any = None, agent_hours: Any = None) -> Any:
        """Money per month for ``contacts`` contacts of mean handle time ``aht_s`` seconds."""
        c, a, _, scalar = _inputs("PerMinute", contacts, aht_s, None, aht=True, hours=False)
        minutes = c * self._minutes(cast(Array, a))
        return scalar_or_array(_charge(self.price_per_minute, minutes), scalar)


class PerContact(ConfigModel):
    """Price per handled contact or ticket.

    Parameters
    ----------
    price_per_contact : float or Tiers
        Price per contact (≥ 0) or a :class:`Tiers` schedule on contacts per month.
    label : str
        Column name in breakdowns.

    Examples
    --------
    >>> PerContact(price_per_contact=2.0).cost([0, 1500]).tolist()
    [0.0, 3000.0]
    """

    price_per_contact: Price
    label: Name = "per_contact"
    kind: Literal["per_contact"] = "per_contact"

    @property
    def needs_aht(self) -> bool:
        """Per-contact billing does not use handle time."""
        return False

    @property
    def needs_agent_hours(self) -> bool:
        """Per-contact billing does not use agent hours."""
        return False

    def cost(self, contacts: Any, *, aht_s: Any = None, agent_hours: Any = None) -> Any:
        """Money per month for ``contacts`` contacts."""
        c, _, _, scalar = _inputs("PerContact", contacts, None, None, aht=False, hours=False)
        return scalar_or_array(_charge(self.price_per_contact, c), scalar)


class PerAgentHour(ConfigModel):
    """Price per billable agent hour (the vendor's staffed, logged-in hours).

    Parameters
    ----------
    price_per_hour : float or Tiers
        Price per billable hour (≥ 0), or a :class:`Tiers` schedule on hours per month. "Fully
        loaded" vendor rates already include their management and technology.
    minimum_hours_per_month : float
        Billable hours charged at least, per month (≥ 0).
    label : str
        Column name in breakdowns.

    Examples
    --------
    Offshore at $10/h (domain notes: Philippines billed $8–12/h), 1,250 hours, 1,500 minimum:

    >>> PerAgentHour(price_per_hour=10.0, minimum_hours_per_month=1500).cost(
    ...     10_000, agent_hours=[1250.0, 2000.0]).tolist()
    [15000.0, 20000.0]
    """

    price_per_hour: Price
    minimum_hours_per_month: Annotated[NonNegative, Field(le=1e9)] = 0.0
    label: Name = "per_agent_hour"
    kind: Literal["per_agent_hour"] = "per_agent_hour"

    @property
    def needs_aht(self) -> bool:
        """Agent-hour billing does not use handle time."""
        return False

    @property
    def needs_agent_hours(self) -> bool:
        """Agent-hour billing needs the billable agent hours."""
        return True

    def cost(self, contacts: Any, *, aht_s: Any = None, agent_hours: Any = None) -> Any:
        """Money per month for ``agent_hours`` billable hours (``contacts`` sets the shape)."""
        _, _, h, scalar = _inputs(
            "PerAgentHour", contacts, None, agent_hours, aht=False, hours=True
        )
        billed = np.maximum(cast(Array, h), self.minimum_hours_per_month)
        return scalar_or_array(_charge(self.price_per_hour, billed), scalar)


class PerSeat(ConfigModel):
    """Price per dedicated agent seat (FTE) per month, with an optional seat minimum.

    Parameters
    ----------
    price_per_seat_per_month : float
        Price per seat per month (≥ 0).
    hours_per_seat_per_month : float
        Billable agent hours one seat delivers per month (> 0), e.g. 160.
    minimum_seats : float
        Seats charged at least (whole number ≥ 0).
    label : str
        Column name in breakdowns.

    Notes
    -----
    ``seats = max(minimum_seats, ⌈agent_hours / hours_per_seat_per_month⌉)``;
    ``cost = seats · price_per_seat_per_month``.

    Examples
    --------
    1,250 hours at 160 h per seat need ⌈7.8⌉ = 8 seats; with a 10-seat minimum, 10 × 2,000:

    >>> PerSeat(price_per_seat_per_month=2000, hours_per_seat_per_month=160,
    ...         minimum_seats=10).cost(10_000, agent_hours=1250.0)
    20000.0
    """

    price_per_seat_per_month: Money
    hours_per_seat_per_month: Annotated[Positive, Field(le=744.0)]
    minimum_seats: Annotated[NonNegativeInt, Field(le=1_000_000)] = 0
    label: Name = "per_seat"
    kind: Literal["per_seat"] = "per_seat"

    @property
    def needs_aht(self) -> bool:
        """Seat billing does not use handle time."""
        return False

    @property
    def needs_agent_hours(self) -> bool:
        """Seat billing needs the billable agent hours."""
        return True

    def seats(self, agent_hours: Any) -> Any:
        """Seats billed for ``agent_hours`` hours per month (vectorized)."""
        h = as_array("agent_hours", agent_hours, low=0.0)
        return scalar_or_array(self._seats(h), h.ndim == 0)

    def _seats(self, h: Array) -> Array:
        needed = np.ceil(np.round(h / self.hours_per_seat_per_month, 9))
        return np.maximum(needed, self.minimum_seats)

    def cost(self, contacts: Any, *, aht_s: Any = None, agent_hours: Any = None) -> Any:
        """Money per month for ``agent_hours`` billable hours (``contacts`` sets the shape)."""
        _, _, h, scalar = _inputs("PerSeat", contacts, None, agent_hours, aht=False, hours=True)
        seats = self._seats(cast(Array, h))
        return scalar_or_array(seats * self.price_per_seat_per_month, scalar)


class FixedFee(ConfigModel):
    """Fixed monthly fee covering an included volume, with a price per contact above it.

    Parameters
    ----------
    fee_per_month : float
        Fixed fee per month (≥ 0), paid at any volume.
    included_contacts : float
        Contacts per month covered by the fee (≥ 0; ``inf`` for a pure fixed fee).
    overage_per_contact : float
        Price per contact above the included volume (≥ 0).
    label : str
        Column name in breakdowns.

    Examples
    --------
    $20,000 for 8,000 contacts, $3 above: at 10,000 contacts ``20,000 + 2,000 × 3 = 26,000``.

    >>> FixedFee(fee_per_month=20_000, included_contacts=8_000,
    ...          overage_per_contact=3.0).cost([5_000, 10_000]).tolist()
    [20000.0, 26000.0]
    """

    fee_per_month: Money
    included_contacts: Annotated[NonNegative, Field(allow_inf_nan=True)] = 0.0
    overage_per_contact: Money = 0.0
    label: Name = "fixed_fee"
    kind: Literal["fixed_fee"] = "fixed_fee"

    @property
    def needs_aht(self) -> bool:
        """A fixed fee does not use handle time."""
        return False

    @property
    def needs_agent_hours(self) -> bool:
        """A fixed fee does not use agent hours."""
        return False

    def cost(self, contacts: Any, *, aht_s: Any = None, agent_hours: Any = None) -> Any:
        """Money per month for ``contacts`` contacts."""
        c, _, _, scalar = _inputs("FixedFee", contacts, None, None, aht=False, hours=False)
        extra = np.maximum(c - self.included_contacts, 0.0)
        return scalar_or_array(self.fee_per_month + extra * self.overage_per_contact, scalar)


#: One price component of a quote, chosen by its ``kind`` (in a parameter file:
#: ``{kind: per_minute, price_per_minute: 0.95}``).
Component = Annotated[
    PerMinute | PerContact | PerAgentHour | PerSeat | FixedFee, Field(discriminator="kind")
]
#: The component classes (the type of a quote's ``components`` items).
ComponentType = PerMinute | PerContact | PerAgentHour | PerSeat | FixedFee


# ---------------------------------------------------------------------------------------------
# the quote
# ---------------------------------------------------------------------------------------------


class VendorQuote(ConfigModel):
    """A vendor's price list plus the client-side costs of buying from it.

    Parameters
    ----------
    name : str
        Label, e.g. ``"voice_per_minute_low"``.
    components : sequence of PriceComponent
        Price components summed into the monthly invoice (stored as a tuple; labels unique).
    governance_share : float
        Client-side vendor management (contract management, QA calibration, reporting) as a
        fraction of contract value (the invoice), in [0, 1). Domain notes: 3–6 %.
    value_leakage_share : float
        Allowance for value lost to the arrangement (rework, repeat contacts, escalations back
        in-house, weaker conversion) as a fraction of contract value, in [0, 1). Domain notes:
        5–30 % of expected value; here it is measured against the invoice, so it raises the
        outsourced total in proportion to what is bought.
    transition_cost : float
        One-off transition cost (knowledge transfer, integration, vendor set-up fees), ≥ 0.
    parallel_run_months : float
        Months (fractions allowed) during which the in-house cost continues next to the vendor
        while it stabilises, ≥ 0. Domain notes: 4–5 weeks to stable operation.
    minimum_charge_per_month : float
        Monthly minimum commitment: the invoice is at least this (≥ 0).

    Examples
    --------
    $1.50 per minute, 4-minute calls billed per started minute, 5,000 calls:
    ``5,000 × 4.5208 × 1.5 = 33,906`` invoiced, plus 4.5 % governance and 5 % leakage.

    >>> q = VendorQuote(name="example", components=[PerMinute(price_per_minute=1.5)],
    ...                 governance_share=0.045, value_leakage_share=0.05,
    ...                 transition_cost=0.0, parallel_run_months=1.0)
    >>> round(q.invoice(5_000, aht_s=240))
    33906
    >>> round(q.monthly_cost(5_000, aht_s=240) / q.invoice(5_000, aht_s=240), 3)
    1.095
    """

    name: Name
    components: tuple[Component, ...]
    governance_share: OpenFraction = 0.05
    value_leakage_share: OpenFraction = 0.10
    transition_cost: Money = 0.0
    parallel_run_months: Annotated[NonNegative, Field(le=24.0)] = 1.0
    minimum_charge_per_month: Money = 0.0

    @field_validator("components")
    @classmethod
    def _labels(cls, value: tuple[PriceComponent, ...]) -> tuple[PriceComponent, ...]:
        if not value:
            raise ValueError("must contain at least one price component")
        labels = [item.label for item in value]
        if len(set(labels)) != len(labels):
            raise ValueError(f"labels must be unique (got {labels})")
        reserved = {"minimum_top_up", "invoice", "governance", "value_leakage", "cost"}
        if reserved & set(labels):
            raise ValueError(f"labels must not be one of {sorted(reserved)}")
        return value

    @property
    def needs_aht(self) -> bool:
        """Whether any component needs the mean handle time."""
        return any(c.needs_aht for c in self.components)

    @property
    def needs_agent_hours(self) -> bool:
        """Whether any component needs billable agent hours."""
        return any(c.needs_agent_hours for c in self.components)

    def _parts(self, contacts: Any, aht_s: Any, agent_hours: Any) -> tuple[dict[str, Array], bool]:
        c, a, h, scalar = _inputs(
            f"VendorQuote {self.name!r}",
            contacts,
            aht_s,
            agent_hours,
            aht=self.needs_aht,
            hours=self.needs_agent_hours,
        )
        parts = {
            comp.label: np.asarray(comp.cost(c, aht_s=a, agent_hours=h), dtype=np.float64)
            for comp in self.components
        }
        return parts, scalar

    def invoice(self, contacts: Any, *, aht_s: Any = None, agent_hours: Any = None) -> Any:
        """Vendor invoice per month: component sum, at least the minimum charge (vectorized).

        Parameters
        ----------
        contacts : array_like
            Contacts sent to the vendor per month (≥ 0).
        aht_s : array_like, optional
            Mean handle time, seconds; required when a component bills minutes.
        agent_hours : array_like, optional
            Billable agent hours per month; required for per-hour or per-seat components.

        Returns
        -------
        float or ndarray
        """
        parts, scalar = self._parts(contacts, aht_s, agent_hours)
        total = np.maximum(sum(parts.values()), self.minimum_charge_per_month)
        return scalar_or_array(np.asarray(total, dtype=np.float64), scalar)

    def monthly_cost(self, contacts: Any, *, aht_s: Any = None, agent_hours: Any = None) -> Any:
        """Outsourced running cost per month: ``invoice · (1 + governance + value leakage)``.

        One-off transition and parallel-run costs are not included (the sourcing comparison
        books them in the months they fall in).
        """
        inv = np.asarray(self.invoice(contacts, aht_s=aht_s, agent_hours=agent_hours))
        out = inv * (1.0 + self.governance_share + self.value_leakage_share)
        return scalar_or_array(out, inv.ndim == 0)

    def breakdown(
        self,
        contacts: Any,
        *,
        aht_s: Any = None,
        agent_hours: Any = None,
        index: Any = None,
    ) -> pd.DataFrame:
        """Monthly cost by line: components, minimum top-up, invoice, governance, leakage, cost.

        Parameters
        ----------
        contacts, aht_s, agent_hours : array_like
            As for :meth:`invoice`; one-dimensional (or scalar) monthly values.
        index : array_like, optional
            Row labels (e.g. the months).

        Returns
        -------
        pandas.DataFrame
            One column per component label, then ``minimum_top_up``, ``invoice``,
            ``governance``, ``value_leakage`` and ``cost`` (``invoice + governance +
            value_leakage``).
        """
        parts, _ = self._parts(contacts, aht_s, agent_hours)
        cols = {k: np.atleast_1d(v) for k, v in parts.items()}
        if any(v.ndim != 1 for v in cols.values()):
            raise InputError("breakdown needs one-dimensional monthly volumes")
        raw = np.sum(list(cols.values()), axis=0)
        invoice = np.maximum(raw, self.minimum_charge_per_month)
        frame = pd.DataFrame(cols, index=index)
        frame["minimum_top_up"] = invoice - raw
        frame["invoice"] = invoice
        frame["governance"] = invoice * self.governance_share
        frame["value_leakage"] = invoice * self.value_leakage_share
        frame["cost"] = frame["invoice"] + frame["governance"] + frame["value_leakage"]
        return frame


# ---------------------------------------------------------------------------------------------
# presets
# ---------------------------------------------------------------------------------------------

_GOVERNANCE = 0.045  # domain notes: governance 3–6 % of contract value → midpoint
_LEAKAGE = 0.05  # domain notes: value leakage 5–30 %; low end, assuming governance is funded
_PARALLEL_MONTHS = 1.0  # domain notes: 4–5 weeks to stable operation ≈ one month of overlap
# Transition fees: no seed figure, so the presets carry 0 and rely on the parallel run; set the
# engagement's transition cost in params.


def _quote(name: str, component: ComponentType) -> VendorQuote:
    return VendorQuote(
        name=name,
        components=(component,),
        governance_share=_GOVERNANCE,
        value_leakage_share=_LEAKAGE,
        transition_cost=0.0,
        parallel_run_months=_PARALLEL_MONTHS,
    )


#: Example quotes at the ends of the seed 001 ranges ($1–6 per inbound voice minute, billed per
#: started minute; $2–15 per ticket) and the domain-notes offshore agent-hour rates ($8–12/h).
QUOTE_PRESETS: Mapping[str, VendorQuote] = MappingProxyType(
    {
        "voice_per_minute_low": _quote("voice_per_minute_low", PerMinute(price_per_minute=1.0)),
        "voice_per_minute_high": _quote("voice_per_minute_high", PerMinute(price_per_minute=6.0)),
        "ticket_low": _quote("ticket_low", PerContact(price_per_contact=2.0)),
        "ticket_high": _quote("ticket_high", PerContact(price_per_contact=15.0)),
        "offshore_agent_hour_low": _quote(
            "offshore_agent_hour_low", PerAgentHour(price_per_hour=8.0)
        ),
        "offshore_agent_hour_high": _quote(
            "offshore_agent_hour_high", PerAgentHour(price_per_hour=12.0)
        ),
    }
)
