"""Cash-flow mathematics: NPV, IRR, payback, ROI and the TEI risk adjustment.

The Forrester TEI cash-flow table built on these is :mod:`cxplan.economics.tei`.

Conventions
-----------
* A cash flow is a float array with the periods along the **last** axis; index 0 is t = 0 (today,
  undiscounted), index t is the end of period t. Leading axes are independent flows, so a
  ``(draws, periods)`` array is a whole Monte Carlo batch and every function returns one value per
  row (shape ``(draws,)``).
* Money out is negative, money in positive. ``roi`` and ``risk_adjust`` take costs as positive
  amounts and say so.
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

from collections.abc import Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.optimize.elementwise import find_root

from cxplan._validation import ArrayLike, as_array, broadcast, float_or_array, scalar_or_array
from cxplan.errors import InputError

__all__ = [
    "TEI_DISCOUNT_RATE",
    "TEI_HORIZON_YEARS",
    "break_even_month",
    "cumulative_cashflow",
    "irr",
    "irr_report",
    "irr_roots",
    "monthly_rate",
    "npv",
    "payback_period",
    "risk_adjust",
    "roi",
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
@overload
def monthly_rate(annual_rate: float) -> float: ...
@overload
def monthly_rate(annual_rate: ArrayLike) -> float | FloatArray: ...
def monthly_rate(annual_rate: ArrayLike) -> float | FloatArray:
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
    return float_or_array(out, r.ndim == 0)


@overload
def npv(rate: float, cashflows: Sequence[float]) -> float: ...
@overload
def npv(rate: ArrayLike, cashflows: ArrayLike) -> float | FloatArray: ...
def npv(rate: ArrayLike, cashflows: ArrayLike) -> float | FloatArray:
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
    return float_or_array(out, out.ndim == 0)


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


@overload
def payback_period(cashflows: Sequence[float], rate: float | None = None) -> float: ...
@overload
def payback_period(cashflows: ArrayLike, rate: ArrayLike | None = None) -> float | FloatArray: ...
def payback_period(cashflows: ArrayLike, rate: ArrayLike | None = None) -> float | FloatArray:
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
    return float_or_array(payback, payback.ndim == 0)


@overload
def break_even_month(cashflows: Sequence[float], rate: float | None = None) -> float: ...
@overload
def break_even_month(cashflows: ArrayLike, rate: ArrayLike | None = None) -> float | FloatArray: ...
def break_even_month(cashflows: ArrayLike, rate: ArrayLike | None = None) -> float | FloatArray:
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
    return float_or_array(month, month.ndim == 0)


# ----------------------------------------------------------------------------------------------
# ROI and risk adjustment
# ----------------------------------------------------------------------------------------------
@overload
def roi(
    benefits: float | Sequence[float],
    costs: float | Sequence[float],
    rate: float | None = None,
) -> float: ...
@overload
def roi(
    benefits: ArrayLike, costs: ArrayLike, rate: ArrayLike | None = None
) -> float | FloatArray: ...
def roi(benefits: ArrayLike, costs: ArrayLike, rate: ArrayLike | None = None) -> float | FloatArray:
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
    return float_or_array(out, out.ndim == 0)


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
# IRR: every real root of the NPV polynomial
# ----------------------------------------------------------------------------------------------
# With v = log(1 + r) and x = exp(-v) = 1/(1 + r), NPV(r) = p(x) = sum_t c_t x**t: every rate in
# (-100 %, inf) is a real v, and the IRRs are the roots x > 0 of the polynomial p.

#: Points per row of the uniform scan grid in v (a safety net beside the eigenvalue points).
_GRID_POINTS = 64
#: Companion-matrix floats per batch of eigenvalue problems (32 MB).
_EIG_BLOCK = 2**22
#: Rows solved together: bounds the (rows, scan points) temporaries to a few MB.
_CHUNK_ROWS = 4096


def _npv_scaled(v: FloatArray, *c: FloatArray) -> FloatArray:
    """``NPV(r) * min(1, 1 + r)**(T - 1)`` at ``v = log(1 + r)``: NPV's sign and roots, no overflow.

    Horner in ``x = 1/(1 + r)`` where ``r >= 0`` and in ``1/x`` (flows reversed) where ``r < 0``,
    so no power exceeds 1. ``c`` are the T flows, each broadcasting against ``v``.
    """
    ahead = v >= 0.0
    z = np.exp(-np.abs(v))
    acc = np.zeros(np.broadcast_shapes(np.shape(v), np.shape(c[0])))
    n = len(c)
    for t in range(n):  # a loop over periods, vectorized over rows and points
        acc = acc * z + np.where(ahead, c[n - 1 - t], c[t])
    return acc


def _sign_changes(c: FloatArray) -> IntArray:
    """Count sign changes along the last axis, zeros skipped (Descartes' rule of signs)."""
    s = np.sign(c)
    idx = np.arange(c.shape[-1])
    last_nz = np.maximum.accumulate(np.where(s != 0, idx, -1), axis=-1)
    prev = last_nz[..., :-1]
    prev_sign = np.where(prev >= 0, np.take_along_axis(s, np.maximum(prev, 0), axis=-1), 0.0)
    return np.asarray(np.sum(s[..., 1:] * prev_sign < 0, axis=-1), dtype=np.intp)


def _eigen_points(c: FloatArray, first: IntArray, last: IntArray) -> FloatArray:
    """``v`` at the real part of each root ``x`` of ``p`` whose real part is positive (else NaN).

    The roots are the eigenvalues of the companion matrix of the flows ``first..last`` of each
    row (no zero roots), solved in batches of rows of the same degree.
    """
    out = np.full((c.shape[0], c.shape[1] - 1), np.nan)
    deg = last - first
    for d in np.unique(deg):
        same = np.flatnonzero(deg == d)
        step = max(1, _EIG_BLOCK // (d * d))
        for r in (same[i : i + step] for i in range(0, same.size, step)):
            coef = c[r[:, None], first[r, None] + np.arange(d + 1)]
            comp = np.zeros((r.size, d, d))
            comp[:, np.arange(1, d), np.arange(d - 1)] = 1.0
            comp[:, :, -1] = -coef[:, :d] / coef[:, d:]
            x = np.linalg.eigvals(comp).real
            out[r, :d] = -np.log(np.where(x > 0.0, x, np.nan))
    return out


def _brackets(
    c: FloatArray, pts: FloatArray, lead: FloatArray
) -> tuple[IntArray, FloatArray, FloatArray, BoolArray]:
    """Where the NPV of row ``c[i]`` changes sign between consecutive sorted points ``pts[i]``.

    Returns ``(row, v_a, v_b, qualifies)``; ``qualifies`` marks the roots above which NPV takes
    the sign ``lead[row]`` of the row's first non-zero flow. A point where NPV is exactly 0 takes
    the sign before it, so it becomes the left end of its bracket.
    """
    s = np.sign(_npv_scaled(pts, *c.T[:, :, None]))
    seen = np.maximum.accumulate(np.where(s != 0, np.arange(s.shape[1]), 0), axis=1)
    s = np.take_along_axis(s, seen, axis=1)
    row, j = np.nonzero(s[:, :-1] * s[:, 1:] < 0)
    return row, pts[row, j], pts[row, j + 1], s[row, j + 1] == lead[row]


def _all_roots(flat: FloatArray) -> tuple[IntArray, FloatArray, BoolArray]:
    """Every sign-changing root of the rows of ``flat``: ``(row, rate, qualifies)``, sorted."""
    starts = range(0, max(len(flat), 1), _CHUNK_ROWS)
    parts = [_chunk_roots(flat[i : i + _CHUNK_ROWS], i) for i in starts]
    row, rate, qualifies = (np.concatenate(x) for x in zip(*parts, strict=True))
    return row, rate, qualifies


def _chunk_roots(flat: FloatArray, offset: int) -> tuple[IntArray, FloatArray, BoolArray]:
    """:func:`_all_roots` of one chunk of rows, numbered from ``offset``."""
    changes = _sign_changes(flat)
    rows = np.flatnonzero(changes > 0)
    c = flat[rows]
    a = np.abs(c)
    t = np.arange(c.shape[1])
    k = np.arange(rows.size)
    first = np.argmax(a > 0, axis=1)
    last = c.shape[1] - 1 - np.argmax(a[:, ::-1] > 0, axis=1)
    # Cauchy bounds on the roots x and 1/x: every root lies strictly inside (v_lo, v_hi)
    v_lo = -np.log1p(np.max(np.where(t < last[:, None], a, 0.0), axis=1) / a[k, last])
    v_hi = np.log1p(np.max(np.where(t > first[:, None], a, 0.0), axis=1) / a[k, first])
    lead = np.sign(c[k, first])
    # one sign change: exactly one root (Descartes), bracketed by the bounds
    one = np.flatnonzero(changes[rows] == 1)
    r1, a1, b1, q1 = _brackets(c[one], np.stack([v_lo[one], v_hi[one]], axis=1), lead[one])
    # several: scan the grid, the eigenvalue points and the midpoints between those
    many = np.flatnonzero(changes[rows] > 1)
    lo, hi = v_lo[many, None], v_hi[many, None]
    eig = np.sort(np.clip(_eigen_points(c[many], first[many], last[many]), lo, hi), axis=1)
    grid = lo + (hi - lo) * np.linspace(0.0, 1.0, _GRID_POINTS)
    pts = np.concatenate([grid, eig, 0.5 * (eig[:, 1:] + eig[:, :-1])], axis=1)
    pts = np.sort(np.where(np.isnan(pts), hi, pts), axis=1)
    rm, am, bm, qm = _brackets(c[many], pts, lead[many])
    which = np.concatenate([one[r1], many[rm]])
    v = np.zeros(0)
    if which.size:
        v_ab = (np.concatenate([a1, am]), np.concatenate([b1, bm]))
        v = find_root(_npv_scaled, v_ab, args=tuple(c[which].T)).x
    row, rate = rows[which] + offset, np.expm1(v)
    order = np.lexsort((rate, row))
    return row[order], rate[order], np.concatenate([q1, qm])[order]


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
    With ``x = 1/(1+r)``, ``NPV(r) = p(x) = sum_t c_t x**t``, so the IRRs are the real roots
    ``x > 0`` of a polynomial. They lie strictly inside the Cauchy bounds
    ``1/(1 + max_{t>f}|c_t|/|c_f|) < x < 1 + max_{t<l}|c_t|/|c_l|`` (``f``, ``l`` the first and
    last non-zero flows). The search runs in ``v = log(1 + r)``, where NPV is evaluated without
    overflow for any rate:

    * one sign change in the flows: exactly one root (Descartes' rule of signs), bracketed by the
      bounds;
    * several: NPV's sign changes over a uniform grid of 64 points between the bounds, plus the
      real parts of all roots of ``p`` (companion-matrix eigenvalues, ``numpy.linalg.eigvals``)
      and the midpoints between consecutive ones. The eigenvalues put a point beside every real
      root and one between any two of them, however close; the grid guards against eigenvalues
      that rounding has moved.

    Every bracket is solved to full precision by ``scipy.optimize.elementwise.find_root``
    (Chandrupatla's bracketing method, the vectorized counterpart of ``brentq``), all brackets of
    all rows in one call.

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
    per_row = np.split(rate, np.cumsum(np.bincount(row, minlength=flat.shape[0]))[:-1])
    return per_row[0] if cf.ndim == 1 else per_row


def _choose(flat: FloatArray, guess: Any) -> tuple[FloatArray, IntArray, FloatArray]:
    """IRR per row by the rule of :func:`irr`, plus all ``(row, rate)`` roots."""
    ref = _REFERENCE_RATE if guess is None else float(_rate("guess", guess))
    row, rate, qualifies = _all_roots(flat)
    out = np.full(flat.shape[0], np.nan)
    dist = np.where(qualifies, np.abs(rate - ref), np.inf)
    order = np.lexsort((rate, dist, row))  # per row: qualifying, nearest guess, lower rate
    uniq, first = np.unique(row[order], return_index=True)
    out[uniq] = rate[order][first]
    return out, row, rate


@overload
def irr(
    cashflows: Sequence[float], *, guess: float | None = None, raise_exceptions: bool = False
) -> float: ...
@overload
def irr(
    cashflows: ArrayLike, *, guess: float | None = None, raise_exceptions: bool = False
) -> float | FloatArray: ...
def irr(
    cashflows: ArrayLike, *, guess: float | None = None, raise_exceptions: bool = False
) -> float | FloatArray:
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
       out first: from positive to negative, a rate above which the project stops paying), the
       one nearest ``guess`` (0.10 by default; ties go to the lower rate). The largest root always
       qualifies, because NPV tends to the first non-zero flow as the rate grows.

    numpy-financial 1.0.0 returns the root nearest zero instead, which for
    ``[-50, -100, 600, 300, -100]`` is -76.9 % (NPV rises through zero there) while 185.4 % is
    the rate at which this profitable flow stops paying; this function returns 185.4 %.
    Several roots mean the IRR alone is ambiguous: :func:`irr_report` lists them per flow, and
    :func:`npv` at the hurdle rate decides.

    All rows are solved together (no Python loop over rows).

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
    out, _, _ = _choose(cf.reshape(-1, cf.shape[-1]), guess)
    if raise_exceptions and np.isnan(out).any():
        bad = int(np.flatnonzero(np.isnan(out))[0])
        where = "" if cf.ndim == 1 else f" (row {bad} of the flattened leading axes)"
        raise InputError(
            f"cashflows has no internal rate of return{where}: its NPV does not change sign "
            "for any rate in (-100 %, inf)"
        )
    return float_or_array(out.reshape(cf.shape[:-1]), cf.ndim == 1)


def irr_report(cashflows: Any, *, guess: float | None = None) -> pd.DataFrame:
    """Report the IRR of each flow, all its roots, and whether the IRR is ambiguous.

    Parameters
    ----------
    cashflows : array_like
        Flows per period, periods along the last axis.
    guess : float, optional
        As in :func:`irr`.

    Returns
    -------
    pandas.DataFrame
        One row per flow (rows of ``cashflows.reshape(-1, periods)``): ``irr`` (the rate
        :func:`irr` reports, NaN if none), ``n_roots``, ``roots`` (tuple of every IRR, ascending)
        and ``ambiguous`` (more than one IRR: the IRR alone does not rank the flow; compare
        :func:`npv` at the hurdle rate).

    Raises
    ------
    InputError
        As :func:`irr`.

    Examples
    --------
    accountingexplained.com, "Multiple IRRs": IRRs of 6.77 % and 65.36 %.

    >>> r = irr_report([-17_000, 16_000, 16_000, 16_000, 16_000, -52_000])
    >>> r[["irr", "n_roots", "ambiguous"]].round(4).to_dict("records")
    [{'irr': 0.6536, 'n_roots': 2, 'ambiguous': True}]
    """
    cf = _cashflows("cashflows", cashflows)
    flat = cf.reshape(-1, cf.shape[-1])
    out, row, rate = _choose(flat, guess)
    counts = np.bincount(row, minlength=flat.shape[0])
    roots = np.split(rate, np.cumsum(counts)[:-1])
    return pd.DataFrame(
        {
            "irr": out,
            "n_roots": counts,
            "roots": [tuple(float(x) for x in r) for r in roots],
            "ambiguous": counts > 1,
        }
    )
