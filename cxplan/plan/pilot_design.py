"""Pilot design: how many contacts, agents and weeks the standard-vs-staccato A/B pilot needs.

Seed 000 asks for a 90-day pilot across 2 regions and a 90-day A/B test of standard against
staccato agent groups, judged on AHT, FCR, CSAT and cost per contact with a cost-per-contact
target in month 3. The power maths is in :mod:`cxplan.plan.pilot_power`; this module turns it into
a plan for one region:

* **Clustering by agent.** Whole agents are assigned to an arm, so the contacts of one agent are
  correlated (some agents are simply faster). With ``k`` agents per arm, ``m = N/k`` contacts per
  agent and an intra-agent correlation ``ρ``, the variance is inflated by the design effect
  ``DEFF = 1 + (m − 1)·ρ`` (Kish 1965). The contacts needed per arm solve
  ``N = n₀·(1 + (N/k − 1)·ρ)``, i.e. ``N = n₀(1 − ρ) / (1 − n₀ρ/k)`` (:func:`clustered_contacts`);
  when ``n₀ρ ≥ k`` no duration is enough — the pilot needs more agents, at least
  ``⌊n₀ρ⌋ + 1`` per arm.
* **Duration.** Weeks of the region's pilot volume to fill both arms (:func:`pilot_weeks`), and
  never shorter than the month in which the cost-per-contact target is read (seed 000: month 3):
  a statistically early answer would read the cost before the new way of working has settled.

References
----------
.. [1] Seed 000: 90-day pilot, A/B test for 90 days, cost-per-contact target in month 3.
.. [2] L. Kish, *Survey Sampling*, Wiley, 1965: the design effect ``1 + (m − 1)·ρ``.
.. [3] A. Donner, N. Klar, *Design and Analysis of Cluster Randomization Trials in Health
   Research*, Arnold, 2000: sample size with a fixed number of clusters; typical ICCs 0.01–0.2.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from cxplan._validation import as_array, broadcast, scalar_or_array
from cxplan.plan.pilot_power import (
    _is_scalar,
    _ratio,
    aht_sample_size,
    proportion_sample_size,
)

__all__ = [
    "DAYS_PER_MONTH",
    "PILOT_DAYS",
    "clustered_contacts",
    "design_pilot",
    "pilot_weeks",
]

#: Pilot and A/B test length in days (seed 000).
PILOT_DAYS: int = 90
#: Days in a month when a month number becomes a duration (365.25 / 12).
DAYS_PER_MONTH = 365.25 / 12.0


def clustered_contacts(n_independent: Any, agents_per_arm: Any, icc: Any) -> Any:
    """Contacts per arm needed when contacts cluster within agents.

    Parameters
    ----------
    n_independent : array_like
        Observations per arm needed if contacts were independent (``*_sample_size``), ≥ 0.
    agents_per_arm : array_like
        Agents assigned to the arm (> 0).
    icc : array_like
        Intra-agent correlation ``ρ`` in [0, 1).

    Returns
    -------
    float or numpy.ndarray
        ``N = n₀(1 − ρ) / (1 − n₀ρ/k)`` (unrounded), ``inf`` when ``n₀ρ ≥ k`` (more agents
        needed); ``n₀`` itself when ``ρ = 0``.

    Notes
    -----
    From ``N = n₀·DEFF`` with ``DEFF = 1 + (N/k − 1)·ρ`` (Kish 1965): ``N − n₀ρN/k = n₀(1 − ρ)``.

    Examples
    --------
    >>> clustered_contacts(200, 20, 0.0)
    200.0
    >>> round(clustered_contacts(200, 20, 0.05), 2)  # hand: 200·0.95 / (1 − 200·0.05/20) = 380
    380.0
    >>> clustered_contacts(500, 20, 0.05)  # 500 · 0.05 = 25 ≥ 20 agents: no duration suffices
    inf
    """
    n = as_array("n_independent", n_independent, low=0.0)
    k = as_array("agents_per_arm", agents_per_arm, low=0.0, low_inclusive=False)
    rho = as_array("icc", icc, low=0.0, high=1.0, high_inclusive=False)
    n, k, rho = broadcast(n_independent=n, agents_per_arm=k, icc=rho)
    denom = 1.0 - n * rho / k
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(denom > 0, n * (1.0 - rho) / np.where(denom > 0, denom, 1.0), np.inf)
    out = np.where(rho == 0, n, out)
    return scalar_or_array(out, _is_scalar(n_independent, agents_per_arm, icc))


def pilot_weeks(
    n_control: Any, weekly_contacts: Any, *, ratio: Any = 1.0, eligible_share: Any = 1.0
) -> Any:
    """Weeks of a region's volume needed to fill both arms of a pilot.

    Parameters
    ----------
    n_control : array_like
        Observations needed in the control arm (from a ``*_sample_size`` function).
    weekly_contacts : array_like
        Contacts per week entering the pilot, both arms together (> 0).
    ratio : array_like, default 1.0
        Allocation ratio ``n_treatment / n_control``; the weekly volume is split in the same ratio,
        so both arms fill at the same time.
    eligible_share : array_like, default 1.0
        Share of contacts that yield an observation, in (0, 1]: e.g. the CSAT survey response rate.

    Returns
    -------
    float or numpy.ndarray
        Weeks, unrounded (round up for a schedule). A 90-day pilot (seed 000) is 90/7 ≈ 12.9 weeks.

    Notes
    -----
    ``weeks = n_c (1 + r) / (V · s)`` for weekly volume ``V`` and eligible share ``s``.

    References
    ----------
    .. [1] Seed 000: 90-day pilot in 2 regions and a 90-day A/B test.

    Examples
    --------
    >>> pilot_weeks(198, 2000)
    0.198
    >>> round(pilot_weeks(1100, 2000, eligible_share=0.2), 2)
    5.5
    """
    n = as_array("n_control", n_control, low=0.0)
    volume = as_array("weekly_contacts", weekly_contacts, low=0.0, low_inclusive=False)
    ratio_ = _ratio(ratio)
    share = as_array("eligible_share", eligible_share, low=0.0, low_inclusive=False, high=1.0)
    n, volume, ratio_, share = broadcast(
        n_control=n, weekly_contacts=volume, ratio=ratio_, eligible_share=share
    )
    out = n * (1.0 + ratio_) / (volume * share)
    return scalar_or_array(out, _is_scalar(n_control, weekly_contacts, ratio, eligible_share))


def design_pilot(
    baseline_aht_s: float,
    weekly_contacts: float,
    *,
    aht_change: float = -0.20,
    cv: float = 0.8,
    fcr_control: float = 0.70,
    fcr_change: float = -0.05,
    csat_control: float = 0.80,
    csat_change: float = 0.05,
    csat_response_rate: float = 1.0,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
    agents_per_arm: float | None = None,
    icc: float = 0.0,
    pilot_days: int = PILOT_DAYS,
    min_months: float = 0.0,
) -> pd.DataFrame:
    """Contacts, agents and weeks for AHT, FCR and CSAT in one table, for one region.

    Parameters
    ----------
    baseline_aht_s : float
        Control mean handle time, seconds.
    weekly_contacts : float
        Contacts per week entering the pilot (both arms).
    aht_change : float, default -0.20
        AHT change to detect; seed 000 expects a 20–35 % AHT reduction (lower end used).
    cv : float, default 0.8
        Coefficient of variation of handle time (typical 0.6–1.0).
    fcr_control : float, default 0.70
        Control FCR; seed 001 benchmark FCR ≥ 70 %.
    fcr_change : float, default -0.05
        FCR change to detect: a 5-point drop, the guardrail (a planning assumption).
    csat_control : float, default 0.80
        Control CSAT (share satisfied); seed 001 benchmark CSAT ≥ 80 %.
    csat_change : float, default 0.05
        CSAT change to detect; seed 000 reports 5–10 point CSAT gains in pilots (lower end used).
    csat_response_rate : float, default 1.0
        Share of contacts that return a CSAT survey. Set it: real response rates are far below 1.
    alpha, power, ratio
        As in :func:`cxplan.plan.pilot_power.aht_sample_size`.
    agents_per_arm : float, optional
        Agents in the control arm (the treatment arm has ``ratio`` times as many); ``None``
        treats contacts as independent.
    icc : float, default 0
        Intra-agent correlation of the outcome (see :func:`clustered_contacts`).
    pilot_days : int, default 90
        Planned pilot length (seed 000).
    min_months : float, default 0
        The pilot runs at least this many months whatever the statistics say (seed 000: the
        cost-per-contact target is read in month 3).

    Returns
    -------
    pandas.DataFrame
        One row per metric (``aht``, ``fcr``, ``csat``) with columns ``metric``, ``baseline``,
        ``expected``, ``test``, ``n_control`` and ``n_treatment`` (observations with
        clustering), ``design_effect`` (``n_control`` ÷ the independent count),
        ``min_agents_per_arm`` (fewest control agents with which the metric can be read at all),
        ``contacts_needed`` (both arms), ``days_statistical`` (to fill both arms, rounded up),
        ``days`` (the recommendation: at least ``min_months`` of 30 days), ``weeks`` (``days`` in
        whole weeks, rounded up) and ``fits_pilot`` (``days`` within ``pilot_days``).

    Notes
    -----
    AHT: Welch t (:func:`~cxplan.plan.pilot_power.aht_sample_size`, ``cv`` form); FCR and CSAT:
    pooled two-proportion z test (:func:`~cxplan.plan.pilot_power.proportion_sample_size`). CSAT
    observations are survey responses, so its contacts are ``responses / csat_response_rate``.
    Clustering: each arm's count through :func:`clustered_contacts` with its own agents
    (control ``k``, treatment ``ratio·k``).

    References
    ----------
    .. [1] Seed 000 (pilot length, cost-per-contact month, AHT and CSAT effects) and seed 001
       (FCR and CSAT benchmarks).

    Examples
    --------
    >>> t = design_pilot(360.0, 2000.0, csat_response_rate=0.2).set_index("metric")
    >>> t["n_control"].tolist(), t["weeks"].tolist()  # independent contacts, no minimum
    ([207.0, 1377.0, 906.0], [1.0, 2.0, 5.0])
    >>> c = design_pilot(360.0, 2000.0, agents_per_arm=20, icc=0.05, min_months=3)
    >>> aht = c.set_index("metric").loc["aht"]
    >>> [float(aht[k]) for k in ("n_control", "days_statistical", "days")]
    [408.0, 3.0, 90.0]
    """
    n_aht = aht_sample_size(
        baseline_aht_s, aht_change, cv=cv, alpha=alpha, power=power, ratio=ratio
    )
    n_fcr = proportion_sample_size(
        fcr_control, fcr_control + fcr_change, alpha=alpha, power=power, ratio=ratio
    )
    n_csat = proportion_sample_size(
        csat_control, csat_control + csat_change, alpha=alpha, power=power, ratio=ratio
    )
    as_array("csat_response_rate", csat_response_rate, low=0.0, low_inclusive=False, high=1.0)
    as_array("pilot_days", pilot_days, low=1.0, integer=True)
    months = float(as_array("min_months", min_months, low=0.0, high=24.0))
    rho = float(as_array("icc", icc, low=0.0, high=1.0, high_inclusive=False))
    k = None
    if agents_per_arm is not None:
        k = float(as_array("agents_per_arm", agents_per_arm, low=1.0))
    r = float(_ratio(ratio))
    min_days = math.ceil(months * 30.0 - 1e-9)  # "in month 3" = by day 90 (seed 000's 90 days)
    rows = [
        ("aht", baseline_aht_s, baseline_aht_s * (1.0 + aht_change), "Welch t", n_aht, 1.0),
        ("fcr", fcr_control, fcr_control + fcr_change, "two-proportion z", n_fcr, 1.0),
        ("csat", csat_control, csat_control + csat_change, "two-proportion z", n_csat,
         csat_response_rate),
    ]  # fmt: skip
    records = []
    for metric, base, expected, test, n0_c, share in rows:
        n0_t = ratio * n0_c
        if k is None or rho == 0.0:
            n_c, n_t = float(n0_c), math.ceil(n0_t - 1e-9) if math.isfinite(n0_t) else math.inf
            min_agents = 1.0
        else:
            n_c = float(clustered_contacts(n0_c, k, rho))
            n_t = float(clustered_contacts(n0_t, k * r, rho))
            min_agents = float(math.floor(n0_c * rho) + 1) if math.isfinite(n0_c) else math.inf
        n_c = float(math.ceil(n_c - 1e-9)) if math.isfinite(n_c) else math.inf
        n_t = float(math.ceil(n_t - 1e-9)) if math.isfinite(n_t) else math.inf
        finite = math.isfinite(n_c) and math.isfinite(n_t)
        weeks = (
            (n_c + n_t) / (float(weekly_contacts) * share) if finite and weekly_contacts > 0
            else math.inf
        )  # fmt: skip
        days_stat = math.ceil(weeks * 7.0 - 1e-9) if math.isfinite(weeks) else math.inf
        recommended = max(days_stat, min_days)
        records.append(
            {
                "metric": metric,
                "baseline": float(base),
                "expected": float(expected),
                "test": test,
                "n_control": n_c,
                "n_treatment": n_t,
                "design_effect": n_c / float(n0_c) if finite and n0_c > 0 else math.inf,
                "min_agents_per_arm": min_agents,
                "contacts_needed": float(math.ceil((n_c + n_t) / share - 1e-9))
                if finite
                else math.inf,
                "days_statistical": float(days_stat),
                "days": float(recommended),
                "weeks": float(math.ceil(recommended / 7.0 - 1e-9))
                if math.isfinite(recommended)
                else math.inf,
                "fits_pilot": bool(recommended <= pilot_days),
            }
        )
    return pd.DataFrame.from_records(records)
