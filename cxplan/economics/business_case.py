"""The initiative's business case: one set of monthly streams from the plan to the money.

An initiative saves agent time only once agents work the new way, and it saves money only when the
paid headcount actually falls. This module turns that into arithmetic, vectorized over Monte Carlo
draws (leading axes) and stepped over weeks:

1. **Target release.** ``S[w] = saving_share × adoption[w] × requirement[w]``: the share of paid
   hours the initiative removes at full adoption (queue-aware, from
   :func:`cxplan.economics.initiatives.effect`), times the share of agents working the new way in
   week ``w`` (the programme timeline, :mod:`cxplan.plan.programme`), times the scheduled FTE the
   operation needs that week.
2. **Realised release** (:func:`release_schedule`). People are not dismissed because a forecast
   moved: the headcount falls by not replacing leavers and by cancelling planned hires. Against
   the baseline hiring plan (``hires[w]`` people start in week ``w`` without the initiative) the
   released FTE follow ``D[w] = min(S[w], D[w−1]·(1 − r) + hires[w])`` with ``r`` the weekly
   attrition rate: the gap can close no faster than the hires that can be skipped. With
   ``policy="release"`` the whole target is released at once and the FTE beyond that path are
   counted as exits, each at a stated release cost.
3. **Lines.** Benefit and cost lines per plan month (weeks and task days are spread over months
   by :func:`week_month_matrix` and :func:`span_month_shares`), each with its own TEI risk
   adjustment (benefits reduced, costs raised, per line).
4. **Evaluation** (:func:`evaluate_lines`): one discounting convention for every figure — monthly
   flows, month ``m`` discounted by ``(1 + i)^m`` with ``i = (1 + r_annual)^(1/12) − 1`` (the first
   month undiscounted, numpy-financial / TEI convention) — giving NPV, ROI, payback and break-even
   from the same risk-adjusted streams the TEI table (:func:`tei_by_line`) shows.

References
----------
.. [1] Forrester, *The Total Economic Impact methodology*: benefits, costs, per-line risk
   adjustment, 3-year horizon, 10 % discount rate (domain notes, "Finance").
.. [2] Domain notes, "Capacity planning": attrition 30–45 %/yr; hiring classes with lead time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_array
from cxplan.economics import finance
from cxplan.errors import InputError

__all__ = [
    "DAYS_PER_MONTH",
    "CaseLine",
    "CaseResult",
    "Release",
    "evaluate_lines",
    "monthly_from_weekly",
    "release_schedule",
    "span_month_shares",
    "tei_by_line",
    "week_month_matrix",
]

Array = npt.NDArray[np.float64]

#: Days in a plan month (365.25 / 12): month ``m`` covers plan days ``[m·D, (m+1)·D)``.
DAYS_PER_MONTH = 365.25 / 12.0


@dataclass(frozen=True, eq=False)
class Release:
    """FTE released by the initiative per week (arrays of shape ``draws + (weeks,)``).

    Attributes
    ----------
    target_fte : ndarray
        What the initiative would release if headcount could follow it at once.
    released_fte : ndarray
        Paid FTE actually off the books relative to the baseline plan.
    hires_avoided : ndarray
        Baseline hires not made this week (people), ≥ 0.
    exits : ndarray
        FTE released beyond attrition and skipped hires (``policy="release"`` only), ≥ 0.
    """

    target_fte: Array
    released_fte: Array
    hires_avoided: Array
    exits: Array


def release_schedule(
    target_fte: Any,
    baseline_hires: Any,
    attrition_weekly: float,
    *,
    policy: Literal["attrition", "release"] = "attrition",
) -> Release:
    """Release FTE through attrition and skipped hires (or at once, with exits).

    Parameters
    ----------
    target_fte : array_like
        FTE the initiative makes unnecessary, per week (last axis), ≥ 0; leading axes are draws.
    baseline_hires : array_like
        People the baseline plan hires per week (same number of weeks), ≥ 0.
    attrition_weekly : float
        Weekly leaving probability ``r`` in [0, 1) (see
        :func:`cxplan.workforce.capacity.weekly_attrition_rate`).
    policy : {"attrition", "release"}
        ``"attrition"`` (default): headcount falls only by skipping hires;
        ``"release"``: the target is met every week and the difference is counted as exits.

    Returns
    -------
    Release

    Notes
    -----
    With ``D[−1] = 0``, carry ``c[w] = D[w−1]·(1 − r)`` (the FTE already released keep being
    "released": the people who would have left from them are not replaced either) and
    ``cap[w] = c[w] + hires[w]``:

    * attrition: ``D[w] = min(S[w], cap[w])``; exits = 0;
    * release: ``D[w] = S[w]``; exits ``= max(0, S[w] − cap[w])``.

    Hires avoided ``= clip(D[w] − c[w], 0, hires[w])``. If the target falls again, ``D`` follows
    it down (the operation hires back). One step per week, vectorized over draws.

    Examples
    --------
    Ten FTE to release, two baseline hires a week, no attrition: the release takes five weeks.

    >>> r = release_schedule([10.0] * 6, [2.0] * 6, 0.0)
    >>> r.released_fte.tolist()
    [2.0, 4.0, 6.0, 8.0, 10.0, 10.0]
    >>> r.hires_avoided.tolist()
    [2.0, 2.0, 2.0, 2.0, 2.0, 0.0]
    >>> release_schedule([10.0] * 2, [2.0] * 2, 0.0, policy="release").exits.tolist()
    [8.0, 0.0]
    """
    target = as_array("target_fte", target_fte, low=0.0)
    hires = as_array("baseline_hires", baseline_hires, low=0.0)
    r = float(
        as_array("attrition_weekly", attrition_weekly, low=0.0, high=1.0, high_inclusive=False)
    )
    if policy not in ("attrition", "release"):
        raise InputError(f"policy must be 'attrition' or 'release' (got {policy!r})")
    if target.ndim == 0 or hires.ndim != 1 or target.shape[-1] != hires.size:
        raise InputError(
            "target_fte must have one value per week on its last axis and baseline_hires one per "
            f"week (got shapes {target.shape} and {hires.shape})"
        )
    released = np.zeros_like(target)
    avoided = np.zeros_like(target)
    exits = np.zeros_like(target)
    prev = np.zeros(target.shape[:-1])
    for w in range(hires.size):  # one step per week (≤ a few hundred), vectorized over draws
        carry = prev * (1.0 - r)
        cap = carry + hires[w]
        if policy == "attrition":
            now = np.minimum(target[..., w], cap)
        else:
            now = target[..., w]
            exits[..., w] = np.maximum(now - cap, 0.0)
        avoided[..., w] = np.clip(now - carry, 0.0, hires[w])
        released[..., w] = now
        prev = now
    return Release(target_fte=target, released_fte=released, hires_avoided=avoided, exits=exits)


def week_month_matrix(n_weeks: int, n_months: int) -> Array:
    """Share of each plan week's days that falls in each plan month.

    Parameters
    ----------
    n_weeks, n_months : int
        Weeks (rows) and months (columns); week ``w`` covers plan days ``7w … 7w + 6``, month
        ``m`` covers ``[m·D, (m+1)·D)`` with ``D = 365.25/12``.

    Returns
    -------
    ndarray
        Shape ``(n_weeks, n_months)``; a weekly stream ``x`` becomes monthly ``x @ M``. Rows sum to
        1 for weeks inside the months (days past the last month are dropped).

    Examples
    --------
    >>> m = week_month_matrix(5, 2)
    >>> m.sum(axis=0).round(4).tolist()  # days of weeks 0-4 in months 0 and 1, in weeks
    [4.4286, 0.5714]
    """
    days = np.arange(7 * int(n_weeks), dtype=float)
    month = np.floor(days / DAYS_PER_MONTH).astype(int)
    out = np.zeros((int(n_weeks), int(n_months)))
    inside = month < n_months
    np.add.at(out, ((days[inside] // 7).astype(int), month[inside]), 1.0 / 7.0)
    return out


def span_month_shares(start_day: float, end_day: float, n_months: int) -> Array:
    """Spread a span of plan days ``[start_day, end_day)`` evenly over plan months.

    A zero-length span (a milestone) puts everything in the month of ``start_day``.

    Examples
    --------
    >>> span_month_shares(0, 45, 3).round(3).tolist()
    [0.676, 0.324, 0.0]
    >>> span_month_shares(40, 40, 3).tolist()
    [0.0, 1.0, 0.0]
    """
    edges = np.arange(int(n_months) + 1) * DAYS_PER_MONTH
    out = np.zeros(int(n_months))
    if end_day <= start_day:
        m = int(start_day // DAYS_PER_MONTH)
        if m < n_months:
            out[m] = 1.0
        return out
    overlap = np.clip(np.minimum(edges[1:], end_day) - np.maximum(edges[:-1], start_day), 0, None)
    return np.asarray(overlap / (end_day - start_day), dtype=float)


@dataclass(frozen=True, eq=False)
class CaseLine:
    """One line of the business case.

    Attributes
    ----------
    key : str
        Identifier (``labour``, ``implementation`` …), used for per-line risk settings.
    label : str
        Human label for tables and charts.
    kind : {"benefit", "cost"}
        Benefits and costs are both stored as amounts ≥ 0.
    monthly : ndarray
        Amount per plan month, shape ``draws + (months,)`` (unadjusted).
    risk : float
        TEI risk adjustment: a benefit is multiplied by ``1 − risk``, a cost by ``1 + risk``.
    """

    key: str
    label: str
    kind: Literal["benefit", "cost"]
    monthly: Array
    risk: float = 0.0

    @property
    def adjusted(self) -> Array:
        """The risk-adjusted monthly amounts."""
        factor = 1.0 - self.risk if self.kind == "benefit" else 1.0 + self.risk
        return np.asarray(self.monthly, dtype=float) * factor


@dataclass(frozen=True, eq=False)
class CaseResult:
    """Totals of a business case (risk-adjusted; arrays over draws, 0-d for one case).

    ``benefits``, ``costs`` and ``net`` are monthly streams (last axis months); ``npv``,
    ``pv_benefits``, ``pv_costs``, ``roi`` (``inf`` when benefits come at no cost, NaN when there
    is neither), ``payback_months`` and ``break_even_month`` (NaN if never) per draw.
    """

    benefits: Array
    costs: Array
    net: Array
    npv: Array
    pv_benefits: Array
    pv_costs: Array
    roi: Array
    payback_months: Array
    break_even_month: Array


def evaluate_lines(lines: Sequence[CaseLine], discount_rate_annual: float) -> CaseResult:
    """Add up the risk-adjusted lines and compute NPV, ROI, payback and break-even.

    Parameters
    ----------
    lines : sequence of CaseLine
        Benefit and cost lines over the same months (draw axes broadcast).
    discount_rate_annual : float
        Annual rate ``r``; monthly ``i = (1 + r)^(1/12) − 1``; month 0 undiscounted.

    Returns
    -------
    CaseResult

    Notes
    -----
    ``NPV = Σ_m (B_m − C_m) / (1 + i)^m``; ``ROI = (PV B − PV C) / PV C`` (∞ if PV C = 0 < PV B);
    payback = the fractional month where the undiscounted cumulative net flow turns ≥ 0 after
    being negative (:func:`cxplan.economics.finance.payback_period`).

    Examples
    --------
    >>> b = CaseLine("labour", "Labour", "benefit", np.array([0.0, 100.0, 100.0]))
    >>> c = CaseLine("setup", "Set-up", "cost", np.array([150.0, 0.0, 0.0]))
    >>> res = evaluate_lines([b, c], 0.0)
    >>> float(res.npv), float(res.roi), float(res.payback_months)
    (50.0, 0.3333333333333333, 1.5)
    """
    if not lines:
        raise InputError("a business case needs at least one line")
    rate = finance.monthly_rate(discount_rate_annual)
    benefit_rows = [ln.adjusted for ln in lines if ln.kind == "benefit"]
    cost_rows = [ln.adjusted for ln in lines if ln.kind == "cost"]
    shape = np.broadcast_shapes(*(np.shape(ln.monthly) for ln in lines))
    benefits = np.broadcast_to(sum(benefit_rows, np.zeros(shape)), shape).astype(float)
    costs = np.broadcast_to(sum(cost_rows, np.zeros(shape)), shape).astype(float)
    net = benefits - costs
    pv_b = np.asarray(finance.npv(rate, benefits), dtype=float)
    pv_c = np.asarray(finance.npv(rate, costs), dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        roi = np.where(pv_c > 0, (pv_b - pv_c) / np.where(pv_c > 0, pv_c, 1.0), np.nan)
    roi = np.where((pv_c <= 0) & (pv_b > 0), np.inf, roi)
    return CaseResult(
        benefits=benefits,
        costs=costs,
        net=net,
        npv=pv_b - pv_c,
        pv_benefits=pv_b,
        pv_costs=pv_c,
        roi=np.asarray(roi, dtype=float),
        payback_months=np.asarray(finance.payback_period(net), dtype=float),
        break_even_month=np.asarray(finance.break_even_month(net), dtype=float),
    )


def tei_by_line(
    lines: Sequence[CaseLine], discount_rate_annual: float, *, months_per_column: int = 12
) -> pd.DataFrame:
    """Forrester-style table: one row per line, one column per year, total and present value.

    Every amount is risk-adjusted (benefits positive, costs negative) and discounted monthly with
    the same convention as :func:`evaluate_lines`, so the table's totals equal its figures.

    Parameters
    ----------
    lines : sequence of CaseLine
        One case (no draw axes).
    discount_rate_annual : float
        As for :func:`evaluate_lines`.
    months_per_column : int
        12 (default): Year 1 = plan months 0–11, Year 2 = 12–23, …

    Returns
    -------
    pandas.DataFrame
        Index: line labels, then ``Total benefits``, ``Total costs``, ``Net benefits``; columns
        ``kind``, ``risk_adjustment``, ``Year 1`` … ``Year N``, ``total``,
        ``present_value``, ``present_value_unadjusted``.

    Examples
    --------
    >>> b = CaseLine("labour", "Labour", "benefit", np.full(24, 10.0), risk=0.1)
    >>> c = CaseLine("setup", "Set-up", "cost", np.r_[120.0, np.zeros(23)])
    >>> t = tei_by_line([b, c], 0.0)
    >>> [float(v) for v in t.loc["Net benefits", ["Year 1", "Year 2", "total"]]]
    [-12.0, 108.0, 96.0]
    """
    if not lines:
        raise InputError("a business case needs at least one line")
    rate = finance.monthly_rate(discount_rate_annual)
    rows: dict[str, dict[str, Any]] = {}
    n_months = np.size(lines[0].monthly)
    for ln in lines:
        amounts = np.asarray(ln.monthly, dtype=float)
        if amounts.ndim != 1:
            raise InputError(f"tei_by_line takes one case (line {ln.key!r} has draws)")
        if amounts.size != n_months:
            raise InputError("every line must cover the same months")
    n_cols = -(-n_months // months_per_column)
    cols = [f"Year {k + 1}" for k in range(n_cols)]

    def row(kind: str, risk: float, adjusted: Array, raw: Array) -> dict[str, Any]:
        sign = 1.0 if kind == "benefit" else -1.0
        padded = np.zeros(n_cols * months_per_column)
        padded[: adjusted.size] = adjusted
        yearly = padded.reshape(n_cols, months_per_column).sum(axis=1) * sign
        return {
            "kind": kind,
            "risk_adjustment": risk,
            **dict(zip(cols, yearly.tolist(), strict=True)),
            "total": float(adjusted.sum()) * sign,
            "present_value": float(finance.npv(rate, adjusted)) * sign,
            "present_value_unadjusted": float(finance.npv(rate, raw)) * sign,
        }

    for ln in lines:
        rows[ln.label] = row(ln.kind, ln.risk, ln.adjusted, np.asarray(ln.monthly, dtype=float))
    table = pd.DataFrame.from_dict(rows, orient="index")
    numeric = [*cols, "total", "present_value", "present_value_unadjusted"]
    benefit = table.loc[table["kind"] == "benefit", numeric].sum()
    cost = table.loc[table["kind"] == "cost", numeric].sum()
    totals = pd.DataFrame(
        [benefit, cost, benefit + cost],
        index=["Total benefits", "Total costs", "Net benefits"],
    )
    totals.insert(0, "kind", ["benefit", "cost", "net"])
    totals.insert(1, "risk_adjustment", np.nan)
    return pd.concat([table, totals])


def monthly_from_weekly(weekly: Any, matrix: Array) -> Array:
    """Sum a weekly stream (last axis) into plan months with a :func:`week_month_matrix`.

    Examples
    --------
    >>> monthly_from_weekly(np.ones(5), week_month_matrix(5, 2)).round(4).tolist()
    [4.4286, 0.5714]
    """
    return np.asarray(np.asarray(weekly, dtype=float) @ matrix, dtype=float)
