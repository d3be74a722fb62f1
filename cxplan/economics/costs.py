"""Fully loaded in-house cost: location profiles, technology stack, cost per hour and per contact.

An in-house agent hour carries seven cost components (the cost mix charted in reports):

==============  =========================================================================
``wages``       agent wage per paid hour
``benefits``    payroll taxes and benefits: ``wage × benefits_load``
``supervision`` team leaders, loaded like agents: ``supervisor_wage × (1 + load) / span``
``technology``  per-agent licences spread over the paid hours of one FTE
``facilities``  seat cost spread over the paid hours of one FTE (seat sharing allowed)
``hiring``      recruiting + training of replacements: ``attrition × cost_per_hire / hours``
``other``       anything else per FTE per month (telephony usage, IT support, management
                and G&A allocations), spread over the paid hours of one FTE
==============  =========================================================================

Every component is a rate per *paid* hour, so the cost of any staffing result is
``paid_hours × rate``, with ``paid_hours = staffed_agent_hours / (1 − shrinkage)``.

The configuration classes (:class:`Location`, :class:`LocationProfile`, :class:`Licence`,
:class:`TechStack`) are frozen pydantic models validated on construction
(:class:`cxplan._schema.ConfigModel`); the parameter files are made of the same classes, so the
YAML is the source of truth at run time. The ``*_PRESETS`` mappings are cited examples
that the params defaults mirror; nothing in the maths reads them.

References
----------
.. [1] Seed 001 (``shared/reference/seeds/001_*.txt``): agent wages US $18–35/h, nearshore
   $10–20/h, offshore $4–12/h; overhead 25–40 % for in-house US teams; cloud contact-centre
   licences $75–200, CRM $25–150, knowledge/QA $5–25 per agent per month; a 25-agent technology
   budget of $2,000–6,000/month plus $8k–50k implementation.
.. [2] Seed 000 (``shared/reference/seeds/000_*.txt``): entry prices Zendesk Suite $19,
   Freshdesk $15, Talkdesk about $65 per agent per month (2024).
.. [3] ``shared/reference/domain-notes.md``, "Costs": benefits load 23–40 % (BLS Dec 2024:
   ≈ 42 % on top of wages); cost mix agents 55–65 %, supervision 8–12 %, technology 8–12 %,
   facilities 5–10 %, training 3–5 %; replacement cost $10k–15k per agent; attrition 30–45 %/yr
   and supervisor span of control 10–15 ("Queueing and staffing").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any, overload

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import Field, field_validator

from cxplan._schema import ConfigModel, Money, Name, Num, OpenFraction
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
    "COST_COMPONENTS",
    "LICENCE_PRESETS",
    "LOCATION_PRESETS",
    "TECH_STACK_PRESETS",
    "Licence",
    "Location",
    "LocationProfile",
    "TechStack",
    "component_rates",
    "cost_per_contact",
    "cost_per_paid_hour",
    "cost_per_productive_hour",
    "hourly_cost_breakdown",
    "staffing_cost",
]

#: Cost components, in the order used by every breakdown (columns / index labels).
COST_COMPONENTS: tuple[str, ...] = (
    "wages",
    "benefits",
    "supervision",
    "technology",
    "facilities",
    "hiring",
    "other",
)

_MONTHS_PER_YEAR = 12.0
_HOURS_PER_YEAR_MAX = 8784.0  # 366 × 24: a paid year cannot be longer


def _shrinkage(value: Any) -> npt.NDArray[np.float64]:
    return as_array("shrinkage", value, low=0.0, high=1.0, high_inclusive=False)


def _occupancy(value: Any) -> npt.NDArray[np.float64]:
    return as_array("occupancy", value, low=0.0, low_inclusive=False, high=1.0)


class Location(ConfigModel):
    """Labour and site cost of one delivery location, without its attrition (the params section).

    :class:`LocationProfile` adds the attrition rate that prices replacement hiring; a region's
    attrition lives in its workforce section, so the parameter file's ``location:`` is this class
    (see :meth:`profile`).

    Parameters
    ----------
    name : str
        Label, e.g. ``"onshore_us"``.
    wage_per_hour : float
        Agent base wage per paid hour (≥ 0).
    benefits_load : float
        Payroll taxes and benefits as a fraction of wages, in [0, 1) (0.30 = +30 %).
    paid_hours_per_fte_per_year : float
        Paid hours of one full-time equivalent per year, in (0, 8784]; default 2080 = 40 h × 52
        weeks.
    supervisor_span : float
        Agents per supervisor (span of control), 1 to 100; default 12 (domain notes: 10–15).
    supervisor_wage_per_hour : float
        Supervisor base wage per paid hour (≥ 0); the same ``benefits_load`` is applied.
    facilities_per_seat_per_month : float
        Rent, utilities, furniture and desktop hardware per seat per month (≥ 0).
    hiring_cost_per_hire : float
        Recruiting plus training cost of one hire (≥ 0).
    seats_per_fte : float
        Seats per paid FTE, in (0, 2]: 1 for dedicated seats, below 1 when shifts share seats.
    other_cost_per_fte_per_month : float
        Any other cost per paid FTE per month (≥ 0): telephony usage, IT support, management and
        G&A allocations. Default 0; the domain-notes cost mix (agents 55–65 % of the total)
        suggests real centres carry such costs, so set it per engagement.

    Raises
    ------
    InputError
        If a field breaks its rule; the message names ``<class>.<field>``.
    """

    name: Name
    wage_per_hour: Annotated[Money, Field(le=1_000.0)]
    benefits_load: OpenFraction
    paid_hours_per_fte_per_year: Annotated[Num, Field(gt=0.0, le=_HOURS_PER_YEAR_MAX)] = 2_080.0
    supervisor_span: Annotated[Num, Field(ge=1.0, le=100.0)] = 12.0
    supervisor_wage_per_hour: Annotated[Money, Field(le=1_000.0)]
    facilities_per_seat_per_month: Money
    hiring_cost_per_hire: Money
    seats_per_fte: Annotated[Num, Field(gt=0.0, le=2.0)] = 1.0
    other_cost_per_fte_per_month: Money = 0.0

    def profile(self, attrition_per_year: float) -> LocationProfile:
        """Return the :class:`LocationProfile` of this location at an attrition rate (per year)."""
        return LocationProfile(**dict(self), attrition_per_year=attrition_per_year)


class LocationProfile(Location):
    """Labour and site cost of one delivery location (all money per the params' currency).

    Parameters
    ----------
    name, wage_per_hour, benefits_load, paid_hours_per_fte_per_year, supervisor_span
        As for :class:`Location`.
    supervisor_wage_per_hour, facilities_per_seat_per_month, hiring_cost_per_hire
        As for :class:`Location`.
    attrition_per_year : float
        Share of the workforce replaced per year (≥ 0; above 1 is possible in contact centres).
    seats_per_fte, other_cost_per_fte_per_month
        As for :class:`Location`.

    Raises
    ------
    InputError
        If a field breaks its rule; the message names ``LocationProfile.<field>``.

    Examples
    --------
    >>> loc = LocationProfile(
    ...     name="example", wage_per_hour=20.0, benefits_load=0.30,
    ...     paid_hours_per_fte_per_year=2080.0, supervisor_span=10.0,
    ...     supervisor_wage_per_hour=30.0, facilities_per_seat_per_month=260.0,
    ...     hiring_cost_per_hire=5200.0, attrition_per_year=0.40,
    ... )
    >>> loc.paid_hours_per_fte_per_month
    173.33333333333334
    """

    attrition_per_year: Annotated[Num, Field(ge=0.0, le=10.0)]

    @property
    def paid_hours_per_fte_per_month(self) -> float:
        """Paid hours of one FTE in an average month (``paid_hours_per_fte_per_year / 12``)."""
        return self.paid_hours_per_fte_per_year / _MONTHS_PER_YEAR


class Licence(ConfigModel):
    """One per-agent software subscription.

    Parameters
    ----------
    name : str
        Product or line item, e.g. ``"Talkdesk"``.
    category : str
        Stack layer, e.g. ``"contact_centre_platform"``, ``"crm"``, ``"knowledge_qa"``.
    cost_per_agent_per_month : float
        List or negotiated price per licensed agent per month (≥ 0).
    """

    name: Name
    category: Name
    cost_per_agent_per_month: Money


class TechStack(ConfigModel):
    """The per-agent technology stack plus its one-off implementation cost.

    Parameters
    ----------
    name : str
        Label of the stack.
    licences : sequence of Licence
        Per-agent subscriptions (stored as a tuple; names must be unique).
    implementation_cost : float
        One-off implementation and integration cost (≥ 0; default 0). Not part of the running
        cost per hour; the sourcing comparison books it as a one-off when asked to.
    licences_per_fte : float
        Licensed users per paid FTE, in (0, 2] (1 for a full-time workforce on named-user
        licences; above 1 when part-timers each need a licence).

    Examples
    --------
    The seed 001 low end for 25 agents: ``25 × (75 + 25 + 5) = 2,625`` per month.

    >>> stack = TECH_STACK_PRESETS["seed001_low"]
    >>> stack.cost_per_agent_per_month
    105.0
    >>> stack.monthly_cost(25)
    2625.0
    """

    name: Name = "technology stack"
    licences: tuple[Licence, ...]
    implementation_cost: Money = 0.0
    licences_per_fte: Annotated[Num, Field(gt=0.0, le=2.0)] = 1.0

    @field_validator("licences")
    @classmethod
    def _unique(cls, value: tuple[Licence, ...]) -> tuple[Licence, ...]:
        names = [item.name for item in value]
        if len(set(names)) != len(names):
            raise ValueError(f"names must be unique (got {names})")
        return value

    @property
    def cost_per_agent_per_month(self) -> float:
        """Sum of the licence prices per agent per month."""
        return math.fsum(item.cost_per_agent_per_month for item in self.licences)

    def monthly_cost(self, agents: Any) -> Any:
        """Licence cost per month for ``agents`` licensed agents (vectorized).

        Parameters
        ----------
        agents : array_like
            Licensed agents (≥ 0).

        Returns
        -------
        float or ndarray
            ``agents × cost_per_agent_per_month``.
        """
        n = as_array("agents", agents, low=0.0)
        return scalar_or_array(n * self.cost_per_agent_per_month, n.ndim == 0)

    def breakdown(self, agents: float) -> pd.Series:
        """Monthly licence cost per line item for ``agents`` licensed agents.

        Returns
        -------
        pandas.Series
            Indexed by licence name, named ``cost_per_month``.
        """
        n = float(as_array("agents", agents, low=0.0))
        return pd.Series(
            {item.name: n * item.cost_per_agent_per_month for item in self.licences},
            name="cost_per_month",
            dtype=float,
        )


# ---------------------------------------------------------------------------------------------
# rates and breakdowns
# ---------------------------------------------------------------------------------------------


def component_rates(location: LocationProfile, tech: TechStack) -> dict[str, float]:
    """Cost per paid agent hour of each component, in :data:`COST_COMPONENTS` order.

    Parameters
    ----------
    location : LocationProfile
        Labour and site costs.
    tech : TechStack
        Per-agent licences.

    Returns
    -------
    dict of str to float
        ``{"wages": ..., "benefits": ..., ..., "hiring": ...}``, money per paid hour.

    Notes
    -----
    With ``w`` the wage, ``L`` the benefits load, ``H`` the paid hours per FTE per year:

    - wages ``= w``; benefits ``= w·L``
    - supervision ``= w_sup·(1 + L) / span``
    - technology ``= 12 · licences_per_fte · Σ licence prices / H``
    - facilities ``= 12 · seats_per_fte · facilities_per_seat_per_month / H``
    - hiring ``= attrition_per_year · hiring_cost_per_hire / H`` (steady state: every leaver
      is replaced, so hires per FTE-year equal the attrition rate)
    - other ``= 12 · other_cost_per_fte_per_month / H``

    Examples
    --------
    >>> rates = component_rates(LOCATION_PRESETS["onshore_us"], TECH_STACK_PRESETS["seed001_low"])
    >>> list(rates) == list(COST_COMPONENTS)
    True
    >>> rates["wages"]
    26.5
    """
    h = location.paid_hours_per_fte_per_year
    load = location.benefits_load
    return {
        "wages": location.wage_per_hour,
        "benefits": location.wage_per_hour * load,
        "supervision": location.supervisor_wage_per_hour * (1.0 + load) / location.supervisor_span,
        "technology": _MONTHS_PER_YEAR * tech.licences_per_fte * tech.cost_per_agent_per_month / h,
        "facilities": _MONTHS_PER_YEAR
        * location.seats_per_fte
        * location.facilities_per_seat_per_month
        / h,
        "hiring": location.attrition_per_year * location.hiring_cost_per_hire / h,
        "other": _MONTHS_PER_YEAR * location.other_cost_per_fte_per_month / h,
    }


def cost_per_paid_hour(location: LocationProfile, tech: TechStack) -> float:
    """Fully loaded cost of one paid agent hour (sum of :func:`component_rates`).

    Examples
    --------
    >>> loc = LOCATION_PRESETS["onshore_us"]
    >>> round(cost_per_paid_hour(loc, TECH_STACK_PRESETS["seed001_low"]), 2)
    43.92
    """
    return math.fsum(component_rates(location, tech).values())


def _productive_factor(shrinkage: Any, occupancy: Any) -> tuple[npt.NDArray[np.float64], bool]:
    s = _shrinkage(shrinkage)
    occ = _occupancy(occupancy)
    s, occ = broadcast(shrinkage=s, occupancy=occ)
    return (1.0 - s) * occ, s.ndim == 0


@overload
def cost_per_productive_hour(
    location: LocationProfile, tech: TechStack, *, shrinkage: float, occupancy: float
) -> float: ...
@overload
def cost_per_productive_hour(
    location: LocationProfile, tech: TechStack, *, shrinkage: ArrayLike, occupancy: ArrayLike
) -> FloatArray: ...
def cost_per_productive_hour(
    location: LocationProfile, tech: TechStack, *, shrinkage: ArrayLike, occupancy: ArrayLike
) -> float | FloatArray:
    """Fully loaded cost of one hour spent handling contacts (vectorized over the shares).

    Parameters
    ----------
    location : LocationProfile
        Labour and site costs.
    tech : TechStack
        Per-agent licences.
    shrinkage : array_like
        Share of paid time not available to handle contacts, in [0, 1).
    occupancy : array_like
        Share of available (staffed) time spent handling contacts, in (0, 1].

    Returns
    -------
    float or ndarray
        ``cost_per_paid_hour / ((1 − shrinkage) · occupancy)``.

    Examples
    --------
    A paid hour at 30 % shrinkage and 80 % occupancy buys 0.7 × 0.8 = 0.56 productive hours:

    >>> loc = LOCATION_PRESETS["onshore_us"]
    >>> tech = TECH_STACK_PRESETS["seed001_low"]
    >>> paid = cost_per_paid_hour(loc, tech)
    >>> math.isclose(cost_per_productive_hour(loc, tech, shrinkage=0.3, occupancy=0.8),
    ...              paid / 0.56)
    True
    """
    factor, scalar = _productive_factor(shrinkage, occupancy)
    return float_or_array(cost_per_paid_hour(location, tech) / factor, scalar)


@overload
def cost_per_contact(
    location: LocationProfile,
    tech: TechStack,
    *,
    aht_s: float,
    shrinkage: float,
    occupancy: float,
    concurrency: float = 1.0,
) -> float: ...
@overload
def cost_per_contact(
    location: LocationProfile,
    tech: TechStack,
    *,
    aht_s: ArrayLike,
    shrinkage: ArrayLike,
    occupancy: ArrayLike,
    concurrency: ArrayLike = 1.0,
) -> FloatArray: ...
def cost_per_contact(
    location: LocationProfile,
    tech: TechStack,
    *,
    aht_s: ArrayLike,
    shrinkage: ArrayLike,
    occupancy: ArrayLike,
    concurrency: ArrayLike = 1.0,
) -> float | FloatArray:
    """Fully loaded in-house cost of one handled contact (vectorized, e.g. over channels).

    Parameters
    ----------
    location : LocationProfile
        Labour and site costs.
    tech : TechStack
        Per-agent licences.
    aht_s : array_like
        Average handle time, seconds (> 0); for chat, the handle time of one chat.
    shrinkage : array_like
        Share of paid time unavailable, in [0, 1).
    occupancy : array_like
        Achieved occupancy of staffed time, in (0, 1].
    concurrency : array_like
        Contacts worked at once (≥ 1; chat 2–4, voice and email 1). Use the *effective*
        concurrency when handle time grows with concurrency.

    Returns
    -------
    float or ndarray
        Money per contact.

    Notes
    -----
    ``cost = cost_per_paid_hour · (aht_s / 3600) / ((1 − shrinkage) · occupancy · concurrency)``.

    Examples
    --------
    Voice (6 min, 85 % occupancy) and chat (8 min, 2 at once, 80 %) in one call:

    >>> loc, tech = LOCATION_PRESETS["offshore"], TECH_STACK_PRESETS["seed001_low"]
    >>> cost_per_contact(loc, tech, aht_s=[360, 480], shrinkage=0.3,
    ...                  occupancy=[0.85, 0.80], concurrency=[1, 2]).round(2).tolist()
    [2.31, 1.64]
    """
    aht = as_array("aht_s", aht_s, low=0.0, low_inclusive=False)
    conc = as_array("concurrency", concurrency, low=1.0)
    s = _shrinkage(shrinkage)
    occ = _occupancy(occupancy)
    aht, conc, s, occ = broadcast(aht_s=aht, concurrency=conc, shrinkage=s, occupancy=occ)
    out = cost_per_paid_hour(location, tech) * (aht / 3600.0) / ((1.0 - s) * occ * conc)
    return float_or_array(out, aht.ndim == 0)


def hourly_cost_breakdown(
    location: LocationProfile,
    tech: TechStack,
    *,
    shrinkage: float,
    occupancy: float,
    aht_s: float | None = None,
    concurrency: float = 1.0,
) -> pd.DataFrame:
    """Tidy cost mix: one row per component, per paid and productive hour (and contact), share.

    Parameters
    ----------
    location : LocationProfile
        Labour and site costs.
    tech : TechStack
        Per-agent licences.
    shrinkage : float
        Share of paid time unavailable, in [0, 1).
    occupancy : float
        Achieved occupancy of staffed time, in (0, 1].
    aht_s : float, optional
        Handle time of one contact, seconds; adds a ``cost_per_contact`` column (see
        :func:`cost_per_contact`).
    concurrency : float
        Contacts worked at once (≥ 1), used with ``aht_s``.

    Returns
    -------
    pandas.DataFrame
        Index ``component`` (:data:`COST_COMPONENTS`), columns ``cost_per_paid_hour``,
        ``cost_per_productive_hour``, ``cost_per_contact`` (when ``aht_s`` is given) and
        ``share`` (fraction of the total; sums to 1). No total row: sum the columns.

    Examples
    --------
    >>> loc, tech = LOCATION_PRESETS["onshore_us"], TECH_STACK_PRESETS["seed001_low"]
    >>> mix = hourly_cost_breakdown(loc, tech, shrinkage=0.3, occupancy=0.85)
    >>> list(mix.columns)
    ['cost_per_paid_hour', 'cost_per_productive_hour', 'share']
    >>> round(float(mix["share"].sum()), 12)
    1.0
    """
    factor, _ = _productive_factor(shrinkage, occupancy)
    if factor.ndim != 0:
        raise InputError("shrinkage and occupancy must be single numbers for a breakdown")
    rates = pd.Series(component_rates(location, tech), dtype=float)
    total = math.fsum(rates)
    out = pd.DataFrame(
        {
            "cost_per_paid_hour": rates,
            "cost_per_productive_hour": rates / float(factor),
        }
    )
    if aht_s is not None:
        aht = as_array("aht_s", aht_s, low=0.0, low_inclusive=False)
        conc = as_array("concurrency", concurrency, low=1.0)
        if aht.ndim or conc.ndim:
            raise InputError("aht_s and concurrency must be single numbers for a breakdown")
        out["cost_per_contact"] = (
            out["cost_per_productive_hour"] * float(aht) / 3600.0 / float(conc)
        )
    out["share"] = rates / total if total > 0 else rates * 0.0
    out.index.name = "component"
    return out


def staffing_cost(
    table: pd.DataFrame | pd.Series,
    location: LocationProfile,
    tech: TechStack,
    *,
    shrinkage: float,
) -> pd.DataFrame:
    """Cost by component of a staffing result (e.g. ``staffing.rollup(..., freq="MS")``).

    Parameters
    ----------
    table : pandas.DataFrame or pandas.Series
        Staffed (on-queue) agent hours per period: a frame with an ``agent_hours`` column (and
        optionally ``contacts``), or a Series of agent hours.
    location : LocationProfile
        Labour and site costs.
    tech : TechStack
        Per-agent licences.
    shrinkage : float
        Share of paid time unavailable, in [0, 1); use the value the rollup used.

    Returns
    -------
    pandas.DataFrame
        Same index; columns ``contacts`` (when given), ``agent_hours``, ``paid_hours``, one column
        per :data:`COST_COMPONENTS`, ``cost`` (their sum) and, when contacts are given,
        ``cost_per_contact`` (NaN in periods without contacts).

    Notes
    -----
    ``paid_hours = agent_hours / (1 − shrinkage)`` (the WFM rule) and each component
    ``= paid_hours × rate`` (:func:`component_rates`). Every component scales with paid hours,
    so the periods may be days, weeks or months.

    Examples
    --------
    1,400 staffed hours at 30 % shrinkage are 2,000 paid hours:

    >>> table = pd.DataFrame({"contacts": [10_000.0], "agent_hours": [1_400.0]})
    >>> out = staffing_cost(table, LOCATION_PRESETS["offshore"],
    ...                     TECH_STACK_PRESETS["seed001_low"], shrinkage=0.3)
    >>> round(float(out["paid_hours"].iloc[0]), 6), round(float(out["wages"].iloc[0]), 6)
    (2000.0, 16000.0)
    """
    s = float(_shrinkage(shrinkage))
    if isinstance(table, pd.Series):
        frame = table.rename("agent_hours").to_frame()
    elif isinstance(table, pd.DataFrame):
        if "agent_hours" not in table.columns:
            raise InputError("table must have an 'agent_hours' column (staffed agent hours)")
        frame = table
    else:
        raise InputError(f"table must be a pandas DataFrame or Series (got {type(table)!r})")
    hours = as_array("agent_hours", frame["agent_hours"].to_numpy(dtype=float), low=0.0)
    paid = hours / (1.0 - s)
    rates = component_rates(location, tech)
    rate_vec = np.array(list(rates.values()))
    parts = paid[:, None] * rate_vec[None, :]
    out = pd.DataFrame(parts, index=frame.index, columns=list(rates))
    out.insert(0, "paid_hours", paid)
    out.insert(0, "agent_hours", hours)
    out["cost"] = parts.sum(axis=1)
    if "contacts" in frame.columns:
        contacts = as_array("contacts", frame["contacts"].to_numpy(dtype=float), low=0.0)
        out.insert(0, "contacts", contacts)
        with np.errstate(divide="ignore", invalid="ignore"):
            out["cost_per_contact"] = np.where(contacts > 0, out["cost"] / contacts, np.nan)
    return out


# ---------------------------------------------------------------------------------------------
# presets (cited examples; the params defaults mirror them, the YAML is the source of truth)
# ---------------------------------------------------------------------------------------------

# Fields without a seed figure are marked ASSUMPTION and must be set per engagement in params.
_PAID_HOURS_US = 2080.0  # 40 h × 52 weeks, full-time paid year (holidays and PTO are paid)
_SPAN = 12.5  # domain notes: span of control 10–15 → midpoint
_LOAD = 0.325  # seed 001: overhead 25–40 % (US in-house) → midpoint; ASSUMPTION outside the US
_ATTRITION = 0.375  # domain notes: contact-centre attrition 30–45 %/yr → midpoint
_REPLACEMENT_US = 12_500.0  # domain notes: agent replacement cost $10k–15k → midpoint
_SUPERVISOR_RATIO = 1.5  # ASSUMPTION: team-leader wage ≈ 1.5 × agent wage (no seed figure)


def _location(name: str, wage: float, facilities: float) -> LocationProfile:
    return LocationProfile(
        name=name,
        wage_per_hour=wage,
        benefits_load=_LOAD,
        paid_hours_per_fte_per_year=_PAID_HOURS_US,
        supervisor_span=_SPAN,
        supervisor_wage_per_hour=_SUPERVISOR_RATIO * wage,
        facilities_per_seat_per_month=facilities,
        # ASSUMPTION outside the US: replacement cost scales with the local wage.
        hiring_cost_per_hire=_REPLACEMENT_US * wage / 26.5,
        attrition_per_year=_ATTRITION,
        seats_per_fte=1.0,
    )


#: Example location profiles at the midpoint of the seed 001 wage ranges (US $18–35 → 26.5,
#: nearshore $10–20 → 15, offshore $4–12 → 8). Facilities per seat per month are ASSUMPTIONS
#: (no seed figure): 300 / 150 / 100. ``other_cost_per_fte_per_month`` is left at 0 (the seeds
#: price no telephony usage, IT support or G&A), so the presets' agent-pay share (≈ 80 %) sits
#: above the domain-notes cost mix (55–65 %): set it per engagement.
LOCATION_PRESETS: Mapping[str, LocationProfile] = MappingProxyType(
    {
        "onshore_us": _location("onshore_us", 26.5, 300.0),
        "nearshore": _location("nearshore", 15.0, 150.0),
        "offshore": _location("offshore", 8.0, 100.0),
    }
)

#: Per-agent monthly licence price points: seed 001 ranges (low/high ends) and seed 000 entry
#: prices (Zendesk Suite $19, Freshdesk $15, Talkdesk about $65, 2024).
LICENCE_PRESETS: Mapping[str, Licence] = MappingProxyType(
    {
        # seed 001: Genesys Cloud, Five9, Amazon Connect $75–200 per agent per month
        "ccaas_low": Licence(
            name="Cloud contact centre (low)",
            category="contact_centre_platform",
            cost_per_agent_per_month=75.0,
        ),
        "ccaas_high": Licence(
            name="Cloud contact centre (high)",
            category="contact_centre_platform",
            cost_per_agent_per_month=200.0,
        ),
        # seed 001: Salesforce Service Cloud, Zendesk Suite $25–150 per user per month
        "crm_low": Licence(name="CRM (low)", category="crm", cost_per_agent_per_month=25.0),
        "crm_high": Licence(name="CRM (high)", category="crm", cost_per_agent_per_month=150.0),
        # seed 001: knowledge management and QA tools $5–25 per agent per month
        "km_qa_low": Licence(
            name="Knowledge/QA (low)", category="knowledge_qa", cost_per_agent_per_month=5.0
        ),
        "km_qa_high": Licence(
            name="Knowledge/QA (high)", category="knowledge_qa", cost_per_agent_per_month=25.0
        ),
        # seed 000: entry prices (2024)
        "zendesk_suite": Licence(name="Zendesk Suite", category="crm", cost_per_agent_per_month=19),
        "freshdesk": Licence(name="Freshdesk", category="crm", cost_per_agent_per_month=15.0),
        "talkdesk": Licence(
            name="Talkdesk", category="contact_centre_platform", cost_per_agent_per_month=65.0
        ),
    }
)

_L = LICENCE_PRESETS

#: Example stacks. ``seed001_low``/``seed001_high``: the seed 001 per-seat ranges with its $8k /
#: $50k implementation ends. ``seed000_entry``: Talkdesk + Zendesk Suite entry prices (seed 000
#: gives no implementation fee; seed 001's low end, $8k, is used).
TECH_STACK_PRESETS: Mapping[str, TechStack] = MappingProxyType(
    {
        "seed001_low": TechStack(
            name="seed001_low",
            licences=(_L["ccaas_low"], _L["crm_low"], _L["km_qa_low"]),
            implementation_cost=8_000.0,
        ),
        "seed001_high": TechStack(
            name="seed001_high",
            licences=(_L["ccaas_high"], _L["crm_high"], _L["km_qa_high"]),
            implementation_cost=50_000.0,
        ),
        "seed000_entry": TechStack(
            name="seed000_entry",
            licences=(_L["talkdesk"], _L["zendesk_suite"]),
            implementation_cost=8_000.0,
        ),
    }
)
