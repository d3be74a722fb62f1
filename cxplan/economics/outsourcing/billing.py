"""Billable units: expected billed seconds of a contact under rounding, billable agent hours."""

from __future__ import annotations

from typing import Literal, overload

import numpy as np
import numpy.typing as npt

from cxplan._validation import (
    ArrayLike,
    FloatArray,
    as_array,
    broadcast,
    float_or_array,
)
from cxplan.errors import InputError

__all__ = ["billable_agent_hours", "expected_billed_seconds"]

Array = npt.NDArray[np.float64]
TierMethod = Literal["graduated", "all_units"]
HandleTimeDistribution = Literal["exponential", "constant"]

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
