"""Cash-flow mathematics: NPV, IRR, payback, ROI and the Forrester TEI cash-flow table.

Conventions
-----------
* A cash flow is a float array with the periods along the **last** axis; index 0 is t = 0 (today,
  undiscounted), index t is the end of period t. Leading axes are independent flows, so a
  ``(draws, periods)`` array is a whole Monte Carlo batch and every function returns one value per
  row (shape ``(draws,)``).
* Money out is negative, money in positive. ``roi``, ``risk_adjust`` and ``tei_table`` take costs
  as positive amounts and say so.
* Rates are fractions per period (0.10, not 10) and must be > -1 (a rate of -100 % makes the
  discount factor infinite).
* Scalar in, Python float out: a 1-D cash flow with a scalar rate gives a ``float``.

References
----------
.. [1] numpy-financial 1.0.0, ``npv`` and ``irr`` (t = 0 undiscounted convention; docstring
   examples reproduced in the tests). https://numpy.org/numpy-financial/
.. [2] Forrester Research, Total Economic Impact (TEI) methodology: three-year horizon, 10 %
   discount rate, per-line risk adjustment, table Initial / Year 1..3 / Total / Present value,
   ROI = (PV benefits - PV costs) / PV costs (domain-notes "Finance").
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_array, broadcast, scalar_or_array
from cxplan.errors import InputError

__all__ = [
    "TEI_DISCOUNT_RATE",
    "TEI_HORIZON_YEARS",
    "break_even_month",
    "cumulative_cashflow",
    "irr",
    "irr_roots",
    "monthly_rate",
    "npv",
    "payback_period",
    "risk_adjust",
    "roi",
    "tei_table",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]

#: Forrester TEI default discount rate per year (domain-notes "Finance": 10 %).
TEI_DISCOUNT_RATE = 0.10
#: Forrester TEI default horizon in years (domain-notes "Finance": three years).
TEI_HORIZON_YEARS = 3

# When several IRRs qualify, the one nearest this rate is reported (a conventional hurdle rate,
# the TEI discount rate of domain-notes); ``irr(..., guess=...)`` overrides it.
_REFERENCE_RATE = TEI_DISCOUNT_RATE
# Geometric scan points between the root bounds (a safety net next to the companion eigenvalues).
_GRID_POINTS = 129
# Rows per chunk in the multi-root scan: bounds the (rows, scan points) temporaries to a few MB.
_CHUNK_ROWS = 2048
_MAX_ITER = 200
# Fixed x = 1/(1+r) breakpoints for the interval root counts (rates 300 %, 100 %, 50 %, 25 %,
# 10 %, 0 %, -20 %, -50 %), ascending in x, and the bisection depth before falling back to the
# companion-matrix eigenvalues.
_BREAK_X = tuple(1.0 / (1.0 + r) for r in (3.0, 1.0, 0.5, 0.25, 0.1, 0.0, -0.2, -0.5))
_MAX_DEPTH = 8


# ----------------------------------------------------------------------------------------------
# argument checks
# ----------------------------------------------------------------------------------------------
def _cashflows(name: str, value: Any, *, low: float | None = None) -> FloatArray:
    """Validate a cash-flow array: finite numbers, at least 1-D, at least one period."""
    arr = as_array(name, value, low=low)
    if arr.ndim == 0:
        raise InputError(
            f"{name} must be an array with the periods along the last axis (got the scalar "
            f"{arr.item()!r}); pass [{arr.item()!r}] for a single flow at t = 0"
        )
    if arr.shape[-1] == 0:
        raise InputError(f"{name} must have at least one period (got shape {arr.shape})")
    return arr


def _rate(name: str, value: Any) -> FloatArray:
    return as_array(name, value, low=-1.0, low_inclusive=False)


def _lead_shape(rate: FloatArray, cf: FloatArray, cf_name: str) -> tuple[int, ...]:
    try:
        return np.broadcast_shapes(rate.shape, cf.shape[:-1])
    except ValueError:
        raise InputError(
            f"rate of shape {rate.shape} does not broadcast against the leading axes "
            f"{cf.shape[:-1]} of {cf_name} (shape {cf.shape}; periods are the last axis)"
        ) from None


def _discounted(cf: FloatArray, rate: FloatArray) -> FloatArray:
    """``cf[..., t] / (1 + rate)**t`` with ``rate`` broadcast against the leading axes."""
    t = np.arange(cf.shape[-1], dtype=np.float64)
    factor = np.power(1.0 + rate[..., None], -t)
    return np.asarray(cf * factor, dtype=np.float64)


# ----------------------------------------------------------------------------------------------
# rates and NPV
# ----------------------------------------------------------------------------------------------
def monthly_rate(annual_rate: Any) -> Any:
    """Convert an effective annual rate to the equivalent effective monthly rate.

    Parameters
    ----------
    annual_rate : float or array_like
        Effective annual rate as a fraction (0.10 = 10 % a year); must be > -1.

    Returns
    -------
    float or numpy.ndarray
        Monthly rate (fraction per month), same shape as the input.

    Raises
    ------
    InputError
        If ``annual_rate`` is not finite or is <= -1.

    Notes
    -----
    ``r_month = (1 + r_year)**(1/12) - 1`` (compounding-equivalent, domain-notes "Finance"),
    computed as ``expm1(log1p(r_year) / 12)`` for accuracy at small rates. Twelve months at
    ``r_month`` compound back to exactly ``r_year``; the nominal ``r_year / 12`` does not.

    Examples
    --------
    >>> round(monthly_rate(0.10), 8)
    0.00797414
    """
    r = _rate("annual_rate", annual_rate)
    out = np.expm1(np.log1p(r) / 12.0)
    return scalar_or_array(out, r.ndim == 0)


def npv(rate: Any, cashflows: Any) -> Any:
    """Net present value with the first flow at t = 0, undiscounted.

    Parameters
    ----------
    rate : float or array_like
        Discount rate per period (fraction, > -1). Broadcasts against the leading axes of
        ``cashflows`` (e.g. one rate per Monte Carlo draw: shape ``(draws,)``).
    cashflows : array_like
        Flows per period, periods along the last axis, money out negative.

    Returns
    -------
    float or numpy.ndarray
        ``float`` for a 1-D flow and a scalar rate, else an array of the broadcast shape of
        ``rate`` and ``cashflows.shape[:-1]``.

    Raises
    ------
    InputError
        NaN/inf flows, an empty or scalar ``cashflows``, a rate <= -1, or shapes that do not
        broadcast.

    Notes
    -----
    ``NPV = sum_t c_t / (1 + r)**t`` for t = 0..T-1 -- the numpy-financial and Forrester TEI
    convention [1]_. Excel's ``NPV()`` discounts its first argument by one period; Excel's value
    equals ``npv(rate, [0, *flows])``.

    References
    ----------
    .. [1] numpy-financial ``npv`` documentation (L. J. Gitman, Principles of Managerial
       Finance, Brief, 3rd ed., 2003, p. 346).

    Examples
    --------
    The numpy-financial docstring example (8 %, investment of 40 000):

    >>> round(npv(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000]), 5)
    3065.22267
    >>> npv([0.0, 0.1], [[-100, 110], [-100, 121]]).round(6)
    array([10., 10.])
    """
    r = _rate("rate", rate)
    cf = _cashflows("cashflows", cashflows)
    _lead_shape(r, cf, "cashflows")
    out = np.sum(_discounted(cf, r), axis=-1)
    return scalar_or_array(out, out.ndim == 0)


def cumulative_cashflow(cashflows: Any, rate: Any = None) -> FloatArray:
    """Return the running total of a cash flow (discounted when ``rate`` is given).

    Parameters
    ----------
    cashflows : array_like
        Flows per period, periods along the last axis.
    rate : float or array_like, optional
        Discount rate per period (> -1), broadcast against the leading axes. ``None`` (default)
        gives the undiscounted running total.

    Returns
    -------
    numpy.ndarray
        Same periods as ``cashflows``; element t is ``sum_{s<=t} c_s / (1 + r)**s``.

    Raises
    ------
    InputError
        As :func:`npv`.

    Examples
    --------
    >>> cumulative_cashflow([-100, 60, 60]).tolist()
    [-100.0, -40.0, 20.0]
    """
    cf = _cashflows("cashflows", cashflows)
    if rate is not None:
        r = _rate("rate", rate)
        _lead_shape(r, cf, "cashflows")
        cf = _discounted(cf, r)
    return np.cumsum(cf, axis=-1)


# ----------------------------------------------------------------------------------------------
# payback
# ----------------------------------------------------------------------------------------------
def _payback_core(cum: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Fractional payback and break-even index from a running total (vectorized over rows)."""
    neg = cum < 0.0
    idx = np.arange(cum.shape[-1])
    has_neg = neg.any(axis=-1)
    first_neg = np.argmax(neg, axis=-1)
    recovered = ~neg & (idx > first_neg[..., None])
    paid = has_neg & recovered.any(axis=-1)
    j = np.argmax(recovered, axis=-1)
    prev = np.take_along_axis(cum, np.maximum(j - 1, 0)[..., None], axis=-1)[..., 0]
    cur = np.take_along_axis(cum, j[..., None], axis=-1)[..., 0]
    step = np.where(paid, cur - prev, 1.0)  # > 0 where paid: prev < 0 <= cur
    frac = np.where(paid, -prev / step, 0.0)
    payback = np.where(paid, j - 1 + frac, np.nan)
    month = np.where(paid, j.astype(np.float64), np.nan)
    payback = np.where(has_neg, payback, 0.0)
    month = np.where(has_neg, month, 0.0)
    return payback, month


def payback_period(cashflows: Any, rate: Any = None) -> Any:
    """Payback period in (fractional) periods; discounted payback when ``rate`` is given.

    Parameters
    ----------
    cashflows : array_like
        Flows per period, periods along the last axis (index 0 = t = 0).
    rate : float or array_like, optional
        Discount rate per period (> -1) for the discounted payback, broadcast against the
        leading axes. ``None`` (default): simple payback.

    Returns
    -------
    float or numpy.ndarray
        Periods until the (discounted) cumulative flow first turns non-negative after having been
        negative; ``0.0`` if it is never negative (nothing to pay back); ``NaN`` if it never
        recovers within the horizon. ``float`` for a 1-D flow with a scalar rate.

    Raises
    ------
    InputError
        As :func:`npv`.

    Notes
    -----
    Let ``C_t`` be the running total (of discounted flows with ``rate``), ``k`` the first index
    with ``C_k < 0`` and ``j > k`` the first later index with ``C_j >= 0``. Flow ``c_j`` is
    taken to accrue evenly over period ``j`` (from t = j-1 to t = j), so by linear
    interpolation

        payback = (j - 1) + (-C_{j-1}) / (C_j - C_{j-1})

    -- the textbook ``A + B / C`` rule (A last period with a negative cumulative flow, B its
    absolute value, C the next period's flow; domain-notes "Finance"). It is the **first**
    recovery: a later dip below zero (a second investment) does not move it, and flows after it
    never change it. The computation is vectorized over all leading axes (no loop over rows).

    Examples
    --------
    >>> payback_period([-200_000, 60_000, 80_000, 70_000, 60_000, 50_000])
    2.857142857142857
    >>> round(payback_period([-200_000, 60_000, 80_000, 70_000, 60_000, 50_000], rate=0.12), 3)
    3.861
    """
    cum = cumulative_cashflow(cashflows, rate)
    payback, _ = _payback_core(cum)
    return scalar_or_array(payback, payback.ndim == 0)


def break_even_month(cashflows: Any, rate: Any = None) -> Any:
    """Index of the period in which the cumulative flow first turns non-negative.

    Parameters
    ----------
    cashflows : array_like
        Monthly flows (any period works), periods along the last axis; index 0 is the upfront
        flow at t = 0 and index m the flow of month m.
    rate : float or array_like, optional
        Discount rate per period (> -1); ``None`` for undiscounted.

    Returns
    -------
    float or numpy.ndarray
        The 0-based array index ``j`` of :func:`payback_period`'s Notes. With an upfront flow at
        index 0 this is the 1-based calendar month ("break-even in month 7"). ``0.0`` if the
        cumulative flow is never negative, ``NaN`` if it never recovers. Equals
        ``ceil(payback_period(...))``.

    Raises
    ------
    InputError
        As :func:`npv`.

    Examples
    --------
    >>> break_even_month([-1000, 150, 150, 150, 150, 150, 150, 150])
    7.0
    >>> break_even_month([-1000, 10, 10])
    nan
    """
    cum = cumulative_cashflow(cashflows, rate)
    _, month = _payback_core(cum)
    return scalar_or_array(month, month.ndim == 0)


# ----------------------------------------------------------------------------------------------
# ROI and risk adjustment
# ----------------------------------------------------------------------------------------------
def roi(benefits: Any, costs: Any, rate: Any = None) -> Any:
    """Return on investment ``(PV benefits - PV costs) / PV costs``.

    Parameters
    ----------
    benefits : float or array_like
        Benefit amounts per period (periods along the last axis, t = 0 first). A scalar is a
        single amount at t = 0.
    costs : float or array_like
        Cost amounts per period as **positive** numbers (>= 0), same period layout.
    rate : float or array_like, optional
        Discount rate per period (> -1); ``None`` sums undiscounted.

    Returns
    -------
    float or numpy.ndarray
        ROI as a fraction (2.5 = 250 %). Where PV costs is 0 the ratio has no finite value: it
        is ``+inf`` with positive PV benefits (something for nothing), ``-inf`` with negative
        ones and ``NaN`` (undefined, 0/0) when both are 0.

    Raises
    ------
    InputError
        Non-finite amounts, negative costs, shapes that do not broadcast, a rate <= -1.

    Notes
    -----
    Forrester TEI definition (domain-notes "Finance"): net benefits over costs, both as present
    values with the t = 0 amount undiscounted.

    Examples
    --------
    >>> roi([0, 150, 150], [100, 10, 10])
    1.5
    >>> round(roi([0, 110, 121], [100, 0, 0], rate=0.10), 6)
    1.0
    >>> roi([0, 50], [0, 0]), roi([0, 0], [0, 0])
    (inf, nan)
    """
    b = as_array("benefits", benefits)
    c = as_array("costs", costs, low=0.0)
    b, c = (np.atleast_1d(b), np.atleast_1d(c))
    b, c = broadcast(benefits=b, costs=c)
    if b.shape[-1] == 0:
        raise InputError(f"benefits and costs must have at least one period (got shape {b.shape})")
    if rate is None:
        pv_b = b.sum(axis=-1)
        pv_c = c.sum(axis=-1)
    else:
        pv_b = np.asarray(npv(rate, b), dtype=np.float64)
        pv_c = np.asarray(npv(rate, c), dtype=np.float64)
    out = _ratio_over_costs(pv_b - pv_c, pv_c)
    return scalar_or_array(out, out.ndim == 0)


def _ratio_over_costs(net: Any, pv_costs: Any) -> FloatArray:
    """``net / pv_costs``; ``±inf`` for a non-zero net over zero costs, ``NaN`` for 0/0."""
    net, pv_costs = np.asarray(net, dtype=np.float64), np.asarray(pv_costs, dtype=np.float64)
    safe = np.where(pv_costs > 0.0, pv_costs, 1.0)
    unbounded = np.where(net == 0.0, np.nan, np.copysign(np.inf, net))
    return np.asarray(np.where(pv_costs > 0.0, net / safe, unbounded), dtype=np.float64)


def risk_adjust(
    benefits: Any, costs: Any, risk_benefit: Any = 0.0, risk_cost: Any = 0.0
) -> tuple[Any, Any]:
    """Forrester TEI per-line risk adjustment: benefits reduced, costs raised.

    Parameters
    ----------
    benefits : float or array_like
        Benefit amounts.
    costs : float or array_like
        Cost amounts as positive numbers.
    risk_benefit : float or array_like
        Fraction by which benefits are reduced, in [0, 1] (TEI studies use about 0.05-0.20).
    risk_cost : float or array_like
        Fraction by which costs are raised, >= 0 (TEI studies use about 0.05-0.15).

    Returns
    -------
    tuple
        ``(benefits * (1 - risk_benefit), costs * (1 + risk_cost))``, each broadcast to the
        shape of its amount and its risk fraction (Python floats for scalars).

    Raises
    ------
    InputError
        Non-finite values, negative costs, or a risk fraction outside its range.

    Notes
    -----
    Ranges from domain-notes "Finance" (Forrester TEI: benefits reduced ~5-20 %, costs raised
    ~5-15 %). The adjustment is per line: pass one fraction per line (broadcast) to adjust lines
    differently.

    Examples
    --------
    >>> risk_adjust(100_000.0, 20_000.0, risk_benefit=0.10, risk_cost=0.05)
    (90000.0, 21000.0)
    """
    b = as_array("benefits", benefits)
    c = as_array("costs", costs, low=0.0)
    rb = as_array("risk_benefit", risk_benefit, low=0.0, high=1.0)
    rc = as_array("risk_cost", risk_cost, low=0.0)
    b_out, rb_b = broadcast(benefits=b, risk_benefit=rb)
    c_out, rc_b = broadcast(costs=c, risk_cost=rc)
    adj_b = b_out * (1.0 - rb_b)
    adj_c = c_out * (1.0 + rc_b)
    return (scalar_or_array(adj_b, adj_b.ndim == 0), scalar_or_array(adj_c, adj_c.ndim == 0))


# ----------------------------------------------------------------------------------------------
# IRR: all real roots by bracketing
# ----------------------------------------------------------------------------------------------
# NPV(r) = p(x) with x = 1/(1+r) and p(x) = sum_t c_t x**t; r in (-1, inf) <=> x in (0, inf).
def _scaled_poly(c: FloatArray, x: FloatArray) -> FloatArray:
    """``p(x) / max(1, x)**(T-1)``: same sign and zeros as ``p`` on x > 0, never overflows.

    ``c`` has the coefficients along its last axis; ``x`` broadcasts against ``c[..., 0]``.
    Horner in ``x`` where ``x <= 1`` and in ``1/x`` (reversed coefficients) where ``x > 1``.
    """
    small = x <= 1.0
    z = np.where(small, x, 1.0 / np.where(small, 1.0, x))
    n = c.shape[-1]
    acc = np.zeros(np.broadcast_shapes(np.shape(x), c.shape[:-1]))
    for t in range(n):  # loop over periods (Horner), vectorized over rows and points
        acc = acc * z + np.where(small, c[..., n - 1 - t], c[..., t])
    return acc


def _sign_changes(c: FloatArray) -> IntArray:
    """Count sign changes along the last axis, zeros skipped (Descartes' rule of signs)."""
    s = np.sign(c)
    idx = np.arange(c.shape[-1])
    last_nz = np.maximum.accumulate(np.where(s != 0, idx, -1), axis=-1)
    prev = last_nz[..., :-1]
    prev_sign = np.where(prev >= 0, np.take_along_axis(s, np.maximum(prev, 0), axis=-1), 0.0)
    return np.asarray(np.sum(s[..., 1:] * prev_sign < 0, axis=-1), dtype=np.intp)


def _variations(q: FloatArray) -> IntArray:
    """Count sign changes along the last axis of an array without zeros."""
    neg = np.signbit(q)
    return np.asarray(np.count_nonzero(neg[..., 1:] != neg[..., :-1], axis=-1), dtype=np.intp)


def _nonzero_span(c: FloatArray) -> tuple[IntArray, IntArray]:
    nz = c != 0
    first = np.argmax(nz, axis=-1)
    last = c.shape[-1] - 1 - np.argmax(nz[..., ::-1], axis=-1)
    return first, last


def _root_bounds(c: FloatArray, first: IntArray, last: IntArray) -> tuple[FloatArray, FloatArray]:
    """Cauchy bounds: every root x > 0 of p lies strictly inside (x_lo, x_hi)."""
    idx = np.arange(c.shape[-1])
    a = np.abs(c)
    a_first = np.take_along_axis(a, first[..., None], axis=-1)[..., 0]
    a_last = np.take_along_axis(a, last[..., None], axis=-1)[..., 0]
    after_first = np.max(np.where(idx > first[..., None], a, 0.0), axis=-1)
    before_last = np.max(np.where(idx < last[..., None], a, 0.0), axis=-1)
    x_hi = 1.0 + before_last / a_last
    x_lo = 1.0 / (1.0 + after_first / a_first)
    return x_lo, x_hi


def _illinois(
    c: FloatArray, a: FloatArray, b: FloatArray, fa: FloatArray, fb: FloatArray
) -> FloatArray:
    """Vectorized Illinois (modified regula falsi) in u = log x on brackets with fa*fb < 0.

    Row ``i`` solves the polynomial ``c[i]`` on ``[exp(a[i]), exp(b[i])]``. Always bracketed,
    super-linear; stops at a relative bracket width of 4 ulp or an exact zero.
    """
    a, b, fa, fb = a.copy(), b.copy(), fa.copy(), fb.copy()
    root = np.full(a.shape, np.nan)
    active = np.ones(a.shape, dtype=bool)
    tol = 4.0 * np.finfo(np.float64).eps
    for _ in range(_MAX_ITER):
        ix = np.flatnonzero(active)
        if ix.size == 0:
            break
        ai, bi, fai, fbi = a[ix], b[ix], fa[ix], fb[ix]
        m = (ai * fbi - bi * fai) / (fbi - fai)
        lo, hi = np.minimum(ai, bi), np.maximum(ai, bi)
        m = np.where((m > lo) & (m < hi), m, 0.5 * (ai + bi))  # guard against round-off
        fm = _scaled_poly(c[ix], np.exp(m))
        flip = fm * fbi < 0.0
        a[ix] = np.where(flip, bi, ai)
        fa[ix] = np.where(flip, fbi, 0.5 * fai)
        b[ix] = m
        fb[ix] = fm
        width = np.abs(b[ix] - a[ix])
        done = (fm == 0.0) | (width <= tol * np.maximum(1.0, np.abs(m)))
        root[ix[done]] = m[done]
        active[ix[done]] = False
    # non-converged after _MAX_ITER (not observed): report the last iterate
    root[active] = b[active]
    return root


def _single_roots(c: FloatArray) -> FloatArray:
    """IRR of rows with exactly one sign change (one root in x > 0, by Descartes), vectorized."""
    first, last = _nonzero_span(c)
    x_lo, x_hi = _root_bounds(c, first, last)
    f_lo = _scaled_poly(c, x_lo)
    f_hi = _scaled_poly(c, x_hi)
    u = _illinois(c, np.log(x_lo), np.log(x_hi), f_lo, f_hi)
    return np.asarray(np.expm1(-u), dtype=np.float64)


def _multi_roots(c: FloatArray) -> tuple[IntArray, FloatArray, BoolArray]:
    """All sign-changing roots of rows with two or more sign changes.

    Returns ``(row, rate, qualifies)`` for every root found, sorted by row then rate, where
    ``qualifies`` marks roots at which NPV, as the rate rises, moves from the sign opposite to
    the first non-zero flow into the sign of the first non-zero flow (for an investment: from
    positive to negative).
    """
    first, last = _nonzero_span(c)
    rows_out: list[IntArray] = []
    x_out: list[FloatArray] = []
    q_out: list[BoolArray] = []
    # group rows by the span of non-zero flows so that each group is one stacked polynomial
    # problem (a loop over groups and chunks, never over single rows)
    spans = np.stack([first, last], axis=-1)
    uniq, group = np.unique(spans, axis=0, return_inverse=True)
    for g, (f0, l0) in enumerate(uniq):
        members = np.flatnonzero(group.reshape(-1) == g)
        for start in range(0, members.size, _CHUNK_ROWS):
            rows = members[start : start + _CHUNK_ROWS]
            cc = c[rows, f0 : l0 + 1]
            r_, x_, q_ = _roots_of_block(cc)
            rows_out.append(rows[r_])
            x_out.append(x_)
            q_out.append(q_)
    row = np.concatenate(rows_out) if rows_out else np.zeros(0, dtype=np.intp)
    x = np.concatenate(x_out) if x_out else np.zeros(0)
    q = np.concatenate(q_out) if q_out else np.zeros(0, dtype=bool)
    rate = np.expm1(-np.log(x)) if x.size else x
    order = np.lexsort((rate, row))
    return row[order].astype(np.intp), rate[order], q[order]


@functools.lru_cache(maxsize=128)
def _mobius_matrix(a: float, b: float, deg: int) -> tuple[FloatArray, FloatArray]:
    """Matrix ``M`` (and ``|M|``) mapping coefficients of ``p`` to those of its image on (a, b).

    ``(M @ c)[k]`` is the coefficient of ``y**k`` in ``(1 + y)**deg * p((a + b y) / (1 + y))``
    (finite ``b``) or in ``p(a + y)`` (``b = inf``); ``y`` in (0, inf) maps onto x in (a, b).
    Column ``t`` is ``(a + b y)**t (1 + y)**(deg - t)`` (or ``(a + y)**t``), built by
    convolution. Entries may overflow to inf for long flows on far intervals; callers treat such
    an interval as unsettled.
    """
    n = deg + 1
    lin = np.array([a, 1.0]) if math.isinf(b) else np.array([a, b])
    pow_lin = [np.ones(1)]
    pow_one = [np.ones(1)]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(deg):
            pow_lin.append(np.convolve(pow_lin[-1], lin))
            pow_one.append(np.convolve(pow_one[-1], [1.0, 1.0]))
        m = np.zeros((n, n))
        for t in range(n):
            col = pow_lin[t] if math.isinf(b) else np.convolve(pow_lin[t], pow_one[deg - t])
            m[: col.size, t] = col
    return m, np.abs(m)


def _isolate(cc: FloatArray) -> tuple[IntArray, FloatArray, FloatArray, BoolArray]:
    """Isolate the roots x > 0 of each row of ``cc`` by interval sign-variation counts.

    Descartes' rule on the image of an interval (Vincent's theorem): the number of roots of
    ``p`` in (a, b) is at most, and of the same parity as, the number of sign changes of the
    coefficients of ``(1 + y)**deg p((a + b y)/(1 + y))``. Counts of 0 (no root) and 1 (exactly
    one simple root) settle an interval; others are bisected. The intervals come from a fixed
    tree shared by all rows, so each test is one matrix product for all rows needing it.
    Coefficients whose sign is not certain under a rounding-error bound do not settle anything.

    Returns ``(row, x_a, x_b, fallback)``: one bracket per isolated root of the settled rows,
    and a mask of rows left for the eigenvalue scan.
    """
    nrow, ncoef = cc.shape
    deg = ncoef - 1
    x_lo, x_hi = _root_bounds(cc, np.zeros(nrow, dtype=np.intp), np.full(nrow, deg, np.intp))
    tol = 8.0 * ncoef * np.finfo(np.float64).eps
    abs_cc = np.abs(cc)
    fallback = np.zeros(nrow, dtype=bool)
    edges = np.array([0.0, *_BREAK_X, np.inf])
    n_int = edges.size - 1
    # depth 0: every row against every fixed interval in one stacked matrix product
    mats = [_mobius_matrix(float(a), float(b), deg) for a, b in itertools.pairwise(edges)]
    m_all = np.concatenate([m.T for m, _ in mats], axis=1)  # (ncoef, n_int * ncoef)
    abs_m_all = np.concatenate([am.T for _, am in mats], axis=1)
    finite_m = np.array([bool(np.isfinite(m).all()) for m, _ in mats])
    m_all = np.where(np.isfinite(m_all), m_all, 0.0)
    abs_m_all = np.where(np.isfinite(abs_m_all), abs_m_all, 0.0)
    with np.errstate(over="ignore", invalid="ignore"):  # inf/NaN only ever unsettle
        q = (cc @ m_all).reshape(nrow, n_int, ncoef)
        bound = tol * (abs_cc @ abs_m_all).reshape(nrow, n_int, ncoef)
    w_row = np.repeat(np.arange(nrow), n_int)
    w_a = np.tile(edges[:-1], nrow)
    w_b = np.tile(edges[1:], nrow)
    certain = (np.all(np.abs(q) > bound, axis=2) & finite_m[None, :]).reshape(-1)
    variations = _variations(q).reshape(-1)
    out_row: list[IntArray] = []
    out_a: list[FloatArray] = []
    out_b: list[FloatArray] = []
    for depth in range(_MAX_DEPTH + 1):
        if depth > 0:
            live = (w_b > x_lo[w_row]) & (w_a < x_hi[w_row]) & ~fallback[w_row]
            w_row, w_a, w_b = w_row[live], w_a[live], w_b[live]
            if w_row.size == 0:
                break
            variations = np.zeros(w_row.size, dtype=np.intp)
            certain = np.zeros(w_row.size, dtype=bool)
            nodes, node_of = np.unique(np.stack([w_a, w_b], axis=1), axis=0, return_inverse=True)
            node_of = node_of.reshape(-1)
            by_node = np.argsort(node_of, kind="stable")
            starts = np.cumsum(np.bincount(node_of, minlength=len(nodes)))[:-1]
            for (a, b), sel in zip(nodes, np.split(by_node, starts), strict=True):
                # one matrix product per shared interval (a loop over intervals, not rows)
                m, abs_m = _mobius_matrix(float(a), float(b), deg)
                if not np.isfinite(m).all():
                    continue  # overflowed transform: unsettled, bisect further
                with np.errstate(over="ignore", invalid="ignore"):
                    qs = cc[w_row[sel]] @ m.T
                    bs = tol * (abs_cc[w_row[sel]] @ abs_m.T)
                certain[sel] = np.all(np.abs(qs) > bs, axis=1)
                variations[sel] = _variations(qs)
        # intervals outside the Cauchy bounds hold no root whatever the count says
        inside = (w_b > x_lo[w_row]) & (w_a < x_hi[w_row])
        one = inside & certain & (variations == 1)
        out_row.append(w_row[one])
        out_a.append(np.maximum(w_a[one], x_lo[w_row[one]]))
        out_b.append(np.minimum(w_b[one], x_hi[w_row[one]]))
        split = inside & (~certain | (variations >= 2))
        if depth == _MAX_DEPTH:
            fallback[w_row[split]] = True
            break
        s_row, s_a, s_b = w_row[split], w_a[split], w_b[split]
        mid = np.where(np.isinf(s_b), 2.0 * s_a, 0.5 * (s_a + s_b))
        w_row = np.concatenate([s_row, s_row])
        w_a = np.concatenate([s_a, mid])
        w_b = np.concatenate([mid, s_b])
    row = np.concatenate(out_row) if out_row else np.zeros(0, dtype=np.intp)
    xa = np.concatenate(out_a) if out_a else np.zeros(0)
    xb = np.concatenate(out_b) if out_b else np.zeros(0)
    settled = ~fallback[row]
    return row[settled].astype(np.intp), xa[settled], xb[settled], fallback


def _scan(
    cc: FloatArray, pts: FloatArray
) -> tuple[IntArray, FloatArray, FloatArray, FloatArray, FloatArray, BoolArray]:
    """Sign changes of the polynomials ``cc`` (rows) over sorted scan points ``pts`` (rows).

    Returns ``(row, x_a, x_b, f_a, f_b, qualifies)`` per bracket; an exact zero on a scan point
    between opposite signs is returned as a bracket with ``x_a == x_b`` and ``f_a == 0``.
    ``qualifies``: the sign just above the root in rate (the lower-x end) is that of ``cc[:, 0]``.
    """
    f = _scaled_poly(cc[:, None, :], pts)
    s = np.sign(f)
    first_sign = np.sign(cc[:, 0])
    br_row, br_i = np.nonzero(s[:, :-1] * s[:, 1:] < 0)
    zr, zi = np.nonzero(s[:, 1:-1] == 0)
    zi = zi + 1
    exact = s[zr, zi - 1] * s[zr, zi + 1] < 0
    zr, zi = zr[exact], zi[exact]
    row = np.concatenate([br_row, zr]).astype(np.intp)
    x_a = np.concatenate([pts[br_row, br_i], pts[zr, zi]])
    x_b = np.concatenate([pts[br_row, br_i + 1], pts[zr, zi]])
    f_a = np.concatenate([f[br_row, br_i], f[zr, zi]])
    f_b = np.concatenate([f[br_row, br_i + 1], f[zr, zi]])
    q = np.concatenate([s[br_row, br_i], s[zr, zi - 1]]) == first_sign[row]
    return row, x_a, x_b, f_a, f_b, q


def _eigen_scan(
    sub: FloatArray,
) -> tuple[IntArray, FloatArray, FloatArray, FloatArray, FloatArray, BoolArray]:
    """Brackets from a scan on the grid, the companion eigenvalues and their midpoints."""
    nrow, ncoef = sub.shape
    deg = ncoef - 1
    lo, hi = _root_bounds(sub, np.zeros(nrow, np.intp), np.full(nrow, deg, np.intp))
    u = np.linspace(0.0, 1.0, _GRID_POINTS)
    grid = lo[:, None] * (hi / lo)[:, None] ** u[None, :]
    comp = np.zeros((nrow, deg, deg))
    comp[:, np.arange(1, deg), np.arange(deg - 1)] = 1.0
    comp[:, :, -1] = -sub[:, :deg] / sub[:, deg : deg + 1]
    eig = np.linalg.eigvals(comp).real
    cand = np.sort(np.where((eig > lo[:, None]) & (eig < hi[:, None]), eig, lo[:, None]), 1)
    mids = 0.5 * (cand[:, 1:] + cand[:, :-1])
    pts = np.sort(np.concatenate([grid, cand, mids], axis=1), axis=1)
    return _scan(sub, pts)


def _roots_of_block(cc: FloatArray) -> tuple[IntArray, FloatArray, BoolArray]:
    """Sign-changing roots in x > 0 for a block of polynomials with non-zero end coefficients.

    First :func:`_isolate` (interval sign-variation counts, matrix products only). Rows it
    cannot settle -- roots or complex roots very close together -- are scanned on a geometric
    grid between the Cauchy bounds plus the real parts of all companion-matrix eigenvalues
    (complex roots included) and the midpoints between consecutive ones, which separates roots
    closer together than any grid spacing. Every bracket is then refined by :func:`_illinois`.

    Returns ``(row, x, qualifies)`` per root.
    """
    deg = cc.shape[1] - 1
    first_sign = np.sign(cc[:, 0])
    row, x_a, x_b, fallback = _isolate(cc)
    f_a = _scaled_poly(cc[row], x_a)
    f_b = _scaled_poly(cc[row], x_b)
    bad = ~(f_a * f_b < 0)  # a root within rounding of an interval end: leave it to the scan
    fallback[row[bad]] = True
    keep = ~fallback[row]
    row, x_a, x_b, f_a, f_b = row[keep], x_a[keep], x_b[keep], f_a[keep], f_b[keep]
    q = np.sign(f_a) == first_sign[row]
    redo = np.flatnonzero(fallback)
    # companion matrices cost deg**2 floats per row: at most ~32 MB of them at a time
    step = max(1, 2**22 // (deg * deg))
    for start in range(0, redo.size, step):
        part = redo[start : start + step]
        s_row, s_a, s_b, s_fa, s_fb, s_q = _eigen_scan(cc[part])
        row = np.concatenate([row, part[s_row]])
        x_a, x_b = np.concatenate([x_a, s_a]), np.concatenate([x_b, s_b])
        f_a, f_b = np.concatenate([f_a, s_fa]), np.concatenate([f_b, s_fb])
        q = np.concatenate([q, s_q])
    x_root = x_a.copy()
    bracket = x_a != x_b
    if bracket.any():
        u_root = _illinois(
            cc[row[bracket]],
            np.log(x_a[bracket]),
            np.log(x_b[bracket]),
            f_a[bracket],
            f_b[bracket],
        )
        x_root[bracket] = np.exp(u_root)
    return row.astype(np.intp), x_root, q.astype(bool)


def _all_roots(flat: FloatArray) -> tuple[IntArray, FloatArray, BoolArray]:
    """Roots of every row of a 2-D flow array: ``(row, rate, qualifies)`` sorted by row, rate."""
    changes = _sign_changes(flat)
    single = np.flatnonzero(changes == 1)
    multi = np.flatnonzero(changes >= 2)
    rate_1 = _single_roots(flat[single]) if single.size else np.zeros(0)
    if multi.size:
        r_m, rate_m, q_m = _multi_roots(flat[multi])
        r_m = multi[r_m]
    else:
        r_m, rate_m, q_m = np.zeros(0, dtype=np.intp), np.zeros(0), np.zeros(0, dtype=bool)
    row = np.concatenate([single, r_m]).astype(np.intp)
    rate = np.concatenate([rate_1, rate_m])
    q = np.concatenate([np.ones(single.size, dtype=bool), q_m])
    order = np.lexsort((rate, row))
    return row[order], rate[order], q[order]


def irr_roots(cashflows: Any) -> FloatArray | list[FloatArray]:
    """Every internal rate of return in (-100 %, inf), sorted ascending.

    Parameters
    ----------
    cashflows : array_like
        Flows per period, periods along the last axis.

    Returns
    -------
    numpy.ndarray or list of numpy.ndarray
        For a 1-D flow, a 1-D array of the rates (fraction per period) at which NPV changes
        sign, ascending (empty if none). For N-D input, a list with one such array per row of
        ``cashflows.reshape(-1, periods)`` (C order).

    Raises
    ------
    InputError
        NaN/inf flows, an empty or scalar ``cashflows``.

    Notes
    -----
    With ``x = 1/(1+r)``, ``NPV(r) = p(x) = sum_t c_t x**t``; rates in (-1, inf) are the roots
    x > 0. They lie strictly inside the Cauchy bounds ``1/(1 + max_{t>0}|c_t|/|c_0|) < x <
    1 + max_{t<T}|c_t|/|c_T|`` (after dropping leading/trailing zero flows).

    * One sign change in the flows: exactly one root (Descartes' rule of signs), refined on the
      bounds by a vectorized Illinois (bracketing regula falsi) iteration for all such rows at
      once.
    * Several sign changes: the roots are isolated by interval sign-variation counts (Vincent's
      theorem: the number of roots in (a, b) is at most, and of the same parity as, the number
      of sign changes of the coefficients of ``(1 + y)**d p((a + b y)/(1 + y))``); an interval
      with count 0 has no root, with count 1 exactly one. The intervals come from a fixed tree
      of rate breakpoints (300 %, 100 %, 50 %, 25 %, 10 %, 0 %, -20 %, -50 %, then bisection)
      shared by every row, so each test is one matrix product; a coefficient whose sign is not
      certain under a rounding-error bound settles nothing. Rows not settled within 8
      bisections (roots, or complex roots, very close together) are instead scanned on a
      geometric grid plus the real parts of all companion-matrix eigenvalues and the midpoints
      between them, which separates roots closer than any grid spacing. Each isolated root is
      refined by the same Illinois iteration (the job ``scipy.optimize.brentq`` would do, for
      all brackets at once).

    Limitations: only roots where NPV changes sign are reported -- a root of even multiplicity
    (NPV touching zero, e.g. ``[1, -2, 1]`` at r = 0) is not an IRR in the bracketing sense and
    vanishes under any perturbation of the flows. Roots in a cluster tighter than the float64
    resolution of NPV (several IRRs within ~1e-3 of each other) are ill-conditioned: the flows'
    rounding already decides how many of them exist.

    Examples
    --------
    A textbook flow with four IRRs (Ross, Westerfield & Jaffe's "multiple IRRs" problem):

    >>> irr_roots([-252, 1431, -3035, 2850, -1000]).round(4)
    array([0.25  , 0.3333, 0.4286, 0.6667])
    """
    cf = _cashflows("cashflows", cashflows)
    flat = cf.reshape(-1, cf.shape[-1])
    row, rate, _ = _all_roots(flat)
    counts = np.bincount(row, minlength=flat.shape[0])
    per_row = np.split(rate, np.cumsum(counts)[:-1])
    if cf.ndim == 1:
        return per_row[0]
    return per_row


def irr(cashflows: Any, *, guess: float | None = None, raise_exceptions: bool = False) -> Any:
    """Return the internal rate of return, correct for flows that change sign more than once.

    Parameters
    ----------
    cashflows : array_like
        Flows per period, periods along the last axis (money out negative).
    guess : float, optional
        Reference rate used to choose between several qualifying roots (see Notes); default
        0.10 (the TEI discount rate). Must be > -1.
    raise_exceptions : bool
        If true, a flow without any IRR raises :class:`~cxplan.errors.InputError` instead of
        returning NaN (the keyword mirrors numpy-financial's development version).

    Returns
    -------
    float or numpy.ndarray
        IRR per period as a fraction; ``float`` for a 1-D flow, else one value per row (shape
        ``cashflows.shape[:-1]``). NaN where there is no IRR.

    Raises
    ------
    InputError
        NaN/inf flows, an empty or scalar ``cashflows``, ``guess <= -1``; or, with
        ``raise_exceptions=True``, a flow with no IRR.

    Notes
    -----
    All roots are found by :func:`irr_roots`. The one reported is:

    1. none -- NaN (e.g. flows of a single sign, or ``[-1, 3, -3]`` whose NPV is always
       negative);
    2. exactly one -- that root;
    3. several -- among the roots where NPV, as the rate rises, passes from the sign opposite to
       the first non-zero flow into the sign of the first non-zero flow (for an investment, money
       out first: from positive to negative, the rate above which the project stops paying), the
       one nearest ``guess`` (0.10 by default; ties go to the lower rate). The largest root always
       qualifies, because NPV tends to the first non-zero flow as the rate grows.

    numpy-financial 1.0.0 returns the root nearest zero instead, which for
    ``[-50, -100, 600, 300, -100]`` is -76.9 % (NPV rises through zero there) while 185.4 % is
    the rate at which this profitable flow stops paying; this function returns 185.4 %.
    Several roots mean the IRR alone is ambiguous: check :func:`irr_roots` and decide with
    :func:`npv` at the hurdle rate.

    All rows are solved together (see :func:`irr_roots`; there is no Python loop over rows);
    rows whose flows change sign several times (e.g. annual licence payments in a monthly
    flow) cost several times more than conventional ones.

    References
    ----------
    numpy-financial issue #28, "Wrong IRR calculated (discrepancy from Excel)", 2019,
    https://github.com/numpy/numpy-financial/issues/28 (the -76 % / 185 % flow).

    Examples
    --------
    >>> round(irr([-100, 39, 59, 55, 20]), 5)
    0.28095
    >>> round(irr([-50, -100, 600, 300, -100]), 4)
    1.8544
    >>> irr([100, 50])
    nan
    """
    cf = _cashflows("cashflows", cashflows)
    ref = _REFERENCE_RATE if guess is None else float(_rate("guess", guess))
    flat = cf.reshape(-1, cf.shape[-1])
    row, rate, qualifies = _all_roots(flat)
    out = np.full(flat.shape[0], np.nan)
    if row.size:
        dist = np.where(qualifies, np.abs(rate - ref), np.inf)
        order = np.lexsort((rate, dist, row))
        uniq_rows, first = np.unique(row[order], return_index=True)
        out[uniq_rows] = rate[order][first]
    if raise_exceptions and np.isnan(out).any():
        bad = int(np.flatnonzero(np.isnan(out))[0])
        where = "" if cf.ndim == 1 else f" (row {bad} of the flattened leading axes)"
        raise InputError(
            f"cashflows has no internal rate of return{where}: its NPV does not change sign "
            "for any rate in (-100 %, inf)"
        )
    result = out.reshape(cf.shape[:-1])
    return scalar_or_array(result, cf.ndim == 1)


# ----------------------------------------------------------------------------------------------
# Forrester TEI cash-flow table
# ----------------------------------------------------------------------------------------------
def _yearly(
    name: str, value: Any, years: int | None, period: Literal["year", "month"]
) -> tuple[FloatArray, FloatArray | None]:
    """Amounts per year (and per month when given monthly) for one TEI line."""
    arr = as_array(name, value, low=0.0)
    if arr.ndim > 1:
        raise InputError(
            f"{name} must be a scalar or a 1-D array of amounts (got shape {arr.shape})"
        )
    per_year = 12 if period == "month" else 1
    if arr.ndim == 0:
        n_years = TEI_HORIZON_YEARS if years is None else years
        arr = np.full(n_years * per_year, arr.item())
    if arr.size == 0 or arr.size % per_year:
        raise InputError(
            f"{name} must hold whole years of {period}ly amounts (got {arr.size} values; "
            f"{per_year} per year)"
        )
    if years is not None and arr.size != years * per_year:
        raise InputError(
            f"{name} has {arr.size} {period}ly amounts but years={years} needs {years * per_year}"
        )
    yearly = arr.reshape(-1, per_year).sum(axis=1)
    return yearly, (arr if period == "month" else None)


def tei_table(
    costs: Any,
    benefits: Any,
    *,
    initial_cost: float = 0.0,
    initial_benefit: float = 0.0,
    rate: float = TEI_DISCOUNT_RATE,
    years: int | None = None,
    period: Literal["year", "month"] = "year",
    risk_benefit: float = 0.0,
    risk_cost: float = 0.0,
) -> pd.DataFrame:
    """Forrester TEI-style cash-flow table with PV, NPV, ROI and payback.

    Parameters
    ----------
    costs, benefits : float or array_like
        Amounts after t = 0, as positive numbers (>= 0). ``period="year"``: one amount per year
        (Year 1..N) or a scalar repeated for ``years`` years. ``period="month"``: 12 amounts per
        year (month 1..12N), summed into years for the table.
    initial_cost, initial_benefit : float
        Amounts at t = 0 ("Initial" column, undiscounted), >= 0.
    rate : float
        Discount rate per year, default 0.10 (TEI convention, domain-notes "Finance").
    years : int, optional
        Horizon in years; default: implied by the arrays, or 3 (TEI) when both are scalars.
    period : {"year", "month"}
        Period of ``costs`` and ``benefits``.
    risk_benefit, risk_cost : float
        Risk adjustment fractions (see :func:`risk_adjust`); benefits are multiplied by
        ``1 - risk_benefit`` and costs by ``1 + risk_cost``, the initial amounts included.

    Returns
    -------
    pandas.DataFrame
        Rows ``Costs``, ``Benefits``, ``Net benefits`` and, when a risk fraction is non-zero,
        ``Risk-adjusted costs``, ``Risk-adjusted benefits``, ``Risk-adjusted net benefits``.
        Columns ``Initial``, ``Year 1`` .. ``Year N``, ``Total``, ``Present value``. Costs are
        shown negative (money out). ``DataFrame.attrs`` holds the metrics of the risk-adjusted
        lines (the unadjusted ones when no risk is set): ``pv_costs`` and ``pv_benefits``
        (positive), ``npv``, ``roi`` (fraction; ``±inf`` or ``NaN`` with zero costs, as
        :func:`roi`), ``payback_months`` and
        ``discounted_payback_months`` (NaN if not paid back in the horizon), ``basis``
        ("risk-adjusted" or "unadjusted"), ``rate``, ``years``, ``risk_benefit``,
        ``risk_cost``.

    Raises
    ------
    InputError
        Negative or non-finite amounts, a horizon mismatch, a rate <= -1, a risk fraction
        outside its range, an unknown ``period``.

    Notes
    -----
    ``PV = Initial + sum_{y=1..N} Year_y / (1 + rate)**y`` (year-end discounting, initial not
    discounted, as in TEI studies); ``NPV = PV benefits - PV costs``;
    ``ROI = NPV / PV costs``. Payback is :func:`payback_period` of the net flows converted to
    months: with yearly input the benefit of a year is taken to accrue evenly over its 12
    months (linear interpolation inside the year); with monthly input it is computed from the
    monthly flows directly. The discounted variant discounts the same flows at ``rate`` (per
    month: :func:`monthly_rate`).

    Examples
    --------
    >>> t = tei_table([50_000, 50_000, 50_000], [80_000, 120_000, 120_000],
    ...               initial_cost=100_000)
    >>> t.loc["Net benefits"].round(0).tolist()
    [-100000.0, 30000.0, 70000.0, 70000.0, 70000.0, 37716.0]
    >>> round(t.attrs["roi"], 4), t.attrs["payback_months"]
    (0.1681, 24.0)
    """
    if period not in ("year", "month"):
        raise InputError(f"period must be 'year' or 'month' (got {period!r})")
    if years is not None:
        n_years = as_array("years", years, low=1, integer=True)
        if n_years.ndim:
            raise InputError(f"years must be a single whole number (got shape {n_years.shape})")
        years = int(n_years)
    r = _rate("rate", rate)
    if r.ndim:
        raise InputError(f"rate must be a single number (got shape {r.shape})")
    c0 = as_array("initial_cost", initial_cost, low=0.0)
    b0 = as_array("initial_benefit", initial_benefit, low=0.0)
    for nm, v in (("initial_cost", c0), ("initial_benefit", b0)):
        if v.ndim:
            raise InputError(f"{nm} must be a single number (got shape {v.shape})")
    rb = float(as_array("risk_benefit", risk_benefit, low=0.0, high=1.0))
    rc = float(as_array("risk_cost", risk_cost, low=0.0))

    cost_y, cost_m = _yearly("costs", costs, years, period)
    ben_y, ben_m = _yearly("benefits", benefits, years, period)
    if cost_y.size != ben_y.size:
        raise InputError(
            f"costs and benefits must cover the same years (got {cost_y.size} and {ben_y.size})"
        )
    n = cost_y.size
    cost_flow = np.concatenate([[float(c0)], cost_y])
    ben_flow = np.concatenate([[float(b0)], ben_y])
    rate_f = float(r)

    def lines(cost: FloatArray, ben: FloatArray) -> list[FloatArray]:
        rows = [-cost, ben, ben - cost]
        return [np.concatenate([row, [row.sum(), float(npv(rate_f, row))]]) for row in rows]

    labels = ["Costs", "Benefits", "Net benefits"]
    data = lines(cost_flow, ben_flow)
    adjusted = rb != 0.0 or rc != 0.0
    adj_cost, adj_ben = cost_flow * (1.0 + rc), ben_flow * (1.0 - rb)
    if adjusted:
        labels += ["Risk-adjusted costs", "Risk-adjusted benefits", "Risk-adjusted net benefits"]
        data += lines(adj_cost, adj_ben)
    columns = ["Initial", *[f"Year {y}" for y in range(1, n + 1)], "Total", "Present value"]
    table = pd.DataFrame(np.vstack(data), index=pd.Index(labels), columns=pd.Index(columns))

    pv_c = float(npv(rate_f, adj_cost))
    pv_b = float(npv(rate_f, adj_ben))
    if cost_m is not None and ben_m is not None:
        net_m = np.concatenate(
            [[float(b0) * (1 - rb) - float(c0) * (1 + rc)], ben_m * (1 - rb) - cost_m * (1 + rc)]
        )
        payback_m = float(payback_period(net_m))
        dpayback_m = float(payback_period(net_m, rate=monthly_rate(rate_f)))
    else:
        net_y = adj_ben - adj_cost
        payback_m = 12.0 * float(payback_period(net_y))
        dpayback_m = 12.0 * float(payback_period(net_y, rate=rate_f))
    table.attrs.update(
        {
            "pv_costs": pv_c,
            "pv_benefits": pv_b,
            "npv": pv_b - pv_c,
            "roi": float(_ratio_over_costs(pv_b - pv_c, pv_c)),
            "payback_months": payback_m,
            "discounted_payback_months": dpayback_m,
            "basis": "risk-adjusted" if adjusted else "unadjusted",
            "rate": rate_f,
            "years": n,
            "risk_benefit": rb,
            "risk_cost": rc,
        }
    )
    return table
