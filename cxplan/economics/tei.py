"""The Forrester Total Economic Impact (TEI) cash-flow table: costs, benefits, PV, ROI, payback.

Built on :mod:`cxplan.economics.finance` (``npv``, ``payback_period``, ``monthly_rate``,
``risk_adjust``), with its conventions: costs as positive amounts, rates as fractions > -1.

References
----------
.. [1] Forrester Research, Total Economic Impact (TEI) methodology: three-year horizon, 10 %
   discount rate, per-line risk adjustment, table Initial / Year 1..3 / Total / Present value,
   ROI = (PV benefits - PV costs) / PV costs (domain-notes "Finance").
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_array
from cxplan.economics.finance import (
    TEI_DISCOUNT_RATE,
    TEI_HORIZON_YEARS,
    monthly_rate,
    npv,
    payback_period,
    risk_adjust,
    roi,
)
from cxplan.errors import InputError

__all__ = ["tei_table"]

FloatArray = npt.NDArray[np.float64]


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
        :func:`cxplan.economics.finance.roi`), ``payback_months`` and
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
    r = as_array("rate", rate, low=-1.0, low_inclusive=False)
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
    adj_ben, adj_cost = risk_adjust(ben_flow, cost_flow, rb, rc)
    if adjusted:
        labels += ["Risk-adjusted costs", "Risk-adjusted benefits", "Risk-adjusted net benefits"]
        data += lines(adj_cost, adj_ben)
    columns = ["Initial", *[f"Year {y}" for y in range(1, n + 1)], "Total", "Present value"]
    table = pd.DataFrame(np.vstack(data), index=pd.Index(labels), columns=pd.Index(columns))

    pv_c = float(npv(rate_f, adj_cost))
    pv_b = float(npv(rate_f, adj_ben))
    if cost_m is not None and ben_m is not None:
        ben_adj_m, cost_adj_m = risk_adjust(
            np.r_[float(b0), ben_m], np.r_[float(c0), cost_m], rb, rc
        )
        net_m = ben_adj_m - cost_adj_m
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
            "roi": float(roi(pv_b, pv_c)),  # ±inf / NaN at zero costs, as finance.roi
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
