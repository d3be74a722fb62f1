"""The vendor quote (components, minimum charge, costs an invoice does not show); presets."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import Field, field_validator

from cxplan._schema import (
    ConfigModel,
    Money,
    Name,
    NonNegative,
    OpenFraction,
)
from cxplan._validation import (
    scalar_or_array,
)
from cxplan.economics.outsourcing.components import (
    Component,
    ComponentType,
    PerAgentHour,
    PerContact,
    PerMinute,
    PriceComponent,
    _inputs,
)
from cxplan.errors import InputError

__all__ = ["QUOTE_PRESETS", "VendorQuote"]

Array = npt.NDArray[np.float64]


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
