"""Price components of a vendor quote: per minute, contact, agent hour or seat, and fixed fee."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Protocol, cast, runtime_checkable

import numpy as np
import numpy.typing as npt
from pydantic import Field

from cxplan._schema import (
    ConfigModel,
    Money,
    Name,
    NonNegative,
    NonNegativeInt,
    Positive,
)
from cxplan._validation import (
    as_array,
    broadcast,
    scalar_or_array,
)
from cxplan.economics.outsourcing.billing import expected_billed_seconds
from cxplan.economics.outsourcing.tiers import Price, _charge
from cxplan.errors import InputError

__all__ = [
    "Component",
    "ComponentType",
    "FixedFee",
    "PerAgentHour",
    "PerContact",
    "PerMinute",
    "PerSeat",
    "PriceComponent",
]

Array = npt.NDArray[np.float64]
TierMethod = Literal["graduated", "all_units"]
HandleTimeDistribution = Literal["exponential", "constant"]

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
