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

Modules (every public name is re-exported here): ``tiers`` (:class:`Tiers`, :data:`Price`),
``billing`` (:func:`expected_billed_seconds`, :func:`billable_agent_hours`), ``components``
(the price components) and ``quote`` (:class:`VendorQuote`, :data:`QUOTE_PRESETS`).
"""

from cxplan.economics.outsourcing.billing import billable_agent_hours, expected_billed_seconds
from cxplan.economics.outsourcing.components import (
    Component,
    ComponentType,
    FixedFee,
    PerAgentHour,
    PerContact,
    PerMinute,
    PerSeat,
    PriceComponent,
)
from cxplan.economics.outsourcing.quote import QUOTE_PRESETS, VendorQuote
from cxplan.economics.outsourcing.tiers import Price, Tiers

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
