"""What a pilot readout holds: arm summaries, one result per metric, the overall verdict."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

import pandas as pd

from cxplan._validation import as_array
from cxplan.errors import InputError

__all__ = ["COST_TARGET_CHANGE", "ArmSummary", "MetricResult", "PilotReadout"]

Decision = Literal["scale up", "extend", "stop"]

#: Target change in cost per contact by month 3: a 10–20 % decrease (seed 000), as (low, high).
COST_TARGET_CHANGE: tuple[float, float] = (-0.20, -0.10)


@dataclass(frozen=True)
class ArmSummary:
    """Aggregate pilot results for one arm (control or treatment).

    Parameters
    ----------
    n : int
        Contacts with a handle time (>= 2).
    aht_mean_s, aht_sd_s : float
        Mean (> 0) and sample standard deviation (>= 0, ``ddof=1``) of handle time, seconds.
    fcr_resolved, fcr_n : int, optional
        Contacts resolved at first contact, out of ``fcr_n`` with an FCR outcome.
    csat_satisfied, csat_n : int, optional
        Satisfied survey responses (e.g. 4–5 on a 5-point scale), out of ``csat_n`` responses.
    cost_mean, cost_sd : float, optional
        Mean cost per contact (> 0, money) and its sample standard deviation over the ``n``
        contacts.
    """

    n: int
    aht_mean_s: float
    aht_sd_s: float
    fcr_resolved: int | None = None
    fcr_n: int | None = None
    csat_satisfied: int | None = None
    csat_n: int | None = None
    cost_mean: float | None = None
    cost_sd: float | None = None

    def __post_init__(self) -> None:
        as_array("n", self.n, low=2.0, integer=True)
        as_array("aht_mean_s", self.aht_mean_s, low=0.0, low_inclusive=False)
        as_array("aht_sd_s", self.aht_sd_s, low=0.0)
        for succ, tot in (("fcr_resolved", "fcr_n"), ("csat_satisfied", "csat_n")):
            s, t = getattr(self, succ), getattr(self, tot)
            if (s is None) != (t is None):
                raise InputError(f"give both {succ} and {tot}, or neither")
            if t is not None:
                as_array(tot, t, low=1.0, integer=True)
                as_array(succ, s, low=0.0, high=float(t), integer=True)
        if (self.cost_mean is None) != (self.cost_sd is None):
            raise InputError("give both cost_mean and cost_sd, or neither")
        if self.cost_mean is not None:
            as_array("cost_mean", self.cost_mean, low=0.0, low_inclusive=False)
            as_array("cost_sd", self.cost_sd, low=0.0)


@dataclass(frozen=True)
class MetricResult:
    """One metric's comparison: treatment against control.

    Attributes
    ----------
    metric : str
        ``"aht"``, ``"fcr"``, ``"csat"`` or ``"cost_per_contact"``.
    unit : str
        ``"s"``, ``"fraction"`` or ``"money"``.
    better : {"lower", "higher"}
        Which direction is an improvement.
    control, treatment : float
        Arm means (seconds, money) or proportions (fractions).
    n_control, n_treatment : int
        Observations per arm (0 when the metric has no data).
    difference, ci_low, ci_high : float
        ``treatment − control`` in the metric's unit, with its confidence interval.
    relative_change, rel_ci_low, rel_ci_high : float
        ``treatment / control − 1`` with its interval (``nan`` interval for proportions).
    test, statistic, p_value : str, float, float
        The main test (Welch t, two-proportion z or Fisher exact; Fisher's statistic is the odds
        ratio).
    robust_test, robust_p_value : str, float
        Mann–Whitney U for handle time and cost on per-contact data ("" and ``nan`` otherwise).
    outcome : {"improved", "worse", "unchanged", "no data"}
        ``p < alpha`` in the better / worse direction, else unchanged.
    summary : str
        One plain-language sentence.
    """

    metric: str
    unit: str
    better: Literal["lower", "higher"]
    control: float
    treatment: float
    n_control: int
    n_treatment: int
    difference: float
    ci_low: float
    ci_high: float
    relative_change: float
    rel_ci_low: float
    rel_ci_high: float
    test: str
    statistic: float
    p_value: float
    robust_test: str
    robust_p_value: float
    outcome: Literal["improved", "worse", "unchanged", "no data"]
    summary: str


@dataclass(frozen=True)
class PilotReadout:
    """Result of :func:`readout` / :func:`readout_from_summaries`.

    Attributes
    ----------
    metrics : tuple of MetricResult
        AHT, FCR, CSAT and cost per contact, in that order.
    decision : {"scale up", "extend", "stop"}
        The overall recommendation (rules in :func:`readout_from_summaries`).
    cost_target_status : {"met", "not met", "no data"}
        Cost-per-contact change against ``cost_target_change`` (point estimate).
    verdict : str
        Plain-language verdict: one clause per metric, then the decision and its reason.
    alpha : float
        Significance level used; intervals are ``1 − alpha``.
    cost_target_change : tuple of float
        The (low, high) target change in cost per contact (seed 000: −20 % to −10 %).
    """

    metrics: tuple[MetricResult, ...]
    decision: Decision
    cost_target_status: Literal["met", "not met", "no data"]
    verdict: str
    alpha: float
    cost_target_change: tuple[float, float]

    def metric(self, name: str) -> MetricResult:
        """Return the result for ``name``: "aht", "fcr", "csat" or "cost_per_contact"."""
        for m in self.metrics:
            if m.metric == name:
                return m
        raise InputError(f"name must be one of {[m.metric for m in self.metrics]} (got {name!r})")

    def table(self) -> pd.DataFrame:
        """Return one row per metric with every :class:`MetricResult` field as a column."""
        cols = [f.name for f in fields(MetricResult)]
        return pd.DataFrame([[getattr(m, c) for c in cols] for m in self.metrics], columns=cols)
