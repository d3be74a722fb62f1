"""Pilot readout for the standard-vs-staccato A/B comparison: effects, tests and a verdict.

After the pilot (seed 000: 90 days, two regions, measured on CSAT, FCR, AHT and cost per contact,
with a target of a 10–20 % lower cost per contact by month 3): effect sizes with confidence
intervals, tests and a plain-language verdict per metric and overall ("scale up" / "extend" /
"stop"). :func:`readout` works on per-contact records, :func:`readout_from_summaries` on aggregates
(:class:`ArmSummary`). The design side (sample sizes, duration) is :mod:`cxplan.plan.pilot_design`;
``params/pilot/make_demo_pilot.py`` generates the demo data set ``params/pilot/demo_pilot.csv``.

Conventions: durations in seconds, shares and changes as fractions (``-0.2`` = 20 % lower), money in
the caller's currency.

Independence caveat: the tests treat contacts as independent. When whole agent groups are assigned
to an arm, contacts handled by the same agent are correlated: read contact-level confidence
intervals on clustered data as too narrow.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from cxplan._validation import as_array
from cxplan.errors import InputError
from cxplan.plan.pilot_power import _choice

__all__ = [
    "COST_TARGET_CHANGE",
    "ArmSummary",
    "MetricResult",
    "PilotReadout",
    "readout",
    "readout_csv",
    "readout_from_summaries",
]

Array = npt.NDArray[np.float64]
ProportionTest = Literal["auto", "z", "fisher"]
Decision = Literal["scale up", "extend", "stop"]

#: Target change in cost per contact by month 3: a 10–20 % decrease (seed 000), as (low, high).
COST_TARGET_CHANGE: tuple[float, float] = (-0.20, -0.10)

_PROPORTION_TESTS = ("auto", "z", "fisher")


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


_LABELS = {"aht": "AHT", "fcr": "FCR", "csat": "CSAT", "cost_per_contact": "cost per contact"}


def _fmt_p(p: float) -> str:
    if not math.isfinite(p):
        return "p n/a"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _outcome(
    diff: float, p: float, alpha: float, better: str
) -> Literal["improved", "worse", "unchanged"]:
    if not (math.isfinite(p) and p < alpha) or diff == 0.0:
        return "unchanged"
    good = diff < 0.0 if better == "lower" else diff > 0.0
    return "improved" if good else "worse"


def _means_result(
    metric: str,
    unit: str,
    m_c: float,
    s_c: float,
    n_c: int,
    m_t: float,
    s_t: float,
    n_t: int,
    alpha: float,
    robust: tuple[str, float],
) -> MetricResult:
    """Welch t test, CI of the difference, and delta-method CI of the ratio of means."""
    v_t, v_c = s_t**2 / n_t, s_c**2 / n_c
    se = math.sqrt(v_t + v_c)
    diff = m_t - m_c
    if se > 0.0:
        res = stats.ttest_ind_from_stats(m_t, s_t, n_t, m_c, s_c, n_c, equal_var=False)
        df = (v_t + v_c) ** 2 / (v_t**2 / (n_t - 1) + v_c**2 / (n_c - 1))
        q = float(stats.t.isf(alpha / 2.0, df))
        stat, p = float(res.statistic), float(res.pvalue)
    elif diff != 0.0:  # both arms constant and different
        q, stat, p = 0.0, math.copysign(math.inf, diff), 0.0
    else:  # both arms constant and equal
        q, stat, p = 0.0, math.nan, 1.0
    se_log = math.sqrt(v_t / m_t**2 + v_c / m_c**2)
    rel = m_t / m_c - 1.0
    rel_lo = m_t / m_c * math.exp(-q * se_log) - 1.0
    rel_hi = m_t / m_c * math.exp(q * se_log) - 1.0
    outcome = _outcome(diff, p, alpha, "lower")
    label = _LABELS[metric]
    ci_pct = round(100 * (1 - alpha))
    tail = f", Mann–Whitney {_fmt_p(robust[1])}" if robust[0] else ""
    if outcome == "unchanged":
        text = (
            f"{label} changed {100 * rel:+.0f} % ({ci_pct} % CI {100 * rel_lo:+.0f} to "
            f"{100 * rel_hi:+.0f} %), not significant: unchanged (Welch {_fmt_p(p)}{tail})"
        )
    else:
        verb = "fell" if rel < 0 else "rose"
        lo, hi = sorted((abs(100 * rel_lo), abs(100 * rel_hi)))
        text = (
            f"{label} {verb} {abs(100 * rel):.0f} % ({ci_pct} % CI {lo:.0f}–{hi:.0f} %), "
            f"significant (Welch {_fmt_p(p)}{tail})"
        )
        if rel_lo < 0.0 < rel_hi:
            text = text.replace(
                f"{lo:.0f}–{hi:.0f} %", f"{100 * rel_lo:+.0f} to {100 * rel_hi:+.0f} %"
            )
    return MetricResult(
        metric=metric,
        unit=unit,
        better="lower",
        control=m_c,
        treatment=m_t,
        n_control=n_c,
        n_treatment=n_t,
        difference=diff,
        ci_low=diff - q * se,
        ci_high=diff + q * se,
        relative_change=rel,
        rel_ci_low=rel_lo,
        rel_ci_high=rel_hi,
        test="Welch t",
        statistic=stat,
        p_value=p,
        robust_test=robust[0],
        robust_p_value=robust[1],
        outcome=outcome,
        summary=text,
    )


def _proportion_result(
    metric: str,
    x_c: int,
    n_c: int,
    x_t: int,
    n_t: int,
    alpha: float,
    test: str,
) -> MetricResult:
    """Two-proportion z test (pooled) or Fisher exact, with the Wald CI of the difference."""
    p_c, p_t = x_c / n_c, x_t / n_t
    diff = p_t - p_c
    pooled = (x_c + x_t) / (n_c + n_t)
    se0 = math.sqrt(pooled * (1.0 - pooled) * (1.0 / n_c + 1.0 / n_t))
    if test == "auto":
        total = n_c + n_t
        cols = (x_c + x_t, total - x_c - x_t)
        expected = min(n * c / total for n in (n_c, n_t) for c in cols)
        test = "fisher" if expected < 5.0 else "z"
    if test == "z":
        name = "two-proportion z"
        if se0 > 0.0:
            stat = diff / se0
            p = float(2.0 * stats.norm.sf(abs(stat)))
        else:  # all successes or all failures in both arms
            stat, p = 0.0, 1.0
    else:
        name = "Fisher exact"
        fe = stats.fisher_exact([[x_t, n_t - x_t], [x_c, n_c - x_c]])
        stat, p = float(fe.statistic), float(fe.pvalue)
    se1 = math.sqrt(p_t * (1.0 - p_t) / n_t + p_c * (1.0 - p_c) / n_c)
    z = float(stats.norm.isf(alpha / 2.0))
    lo, hi = diff - z * se1, diff + z * se1
    outcome = _outcome(diff, p, alpha, "higher")
    label = _LABELS[metric]
    ci_pct = round(100 * (1 - alpha))
    state = {
        "improved": "significant: improved",
        "worse": "significant: worse",
        "unchanged": "not significant: unchanged",
    }[outcome]
    text = (
        f"{label} {100 * p_c:.1f} % → {100 * p_t:.1f} % ({100 * diff:+.1f} pts, {ci_pct} % CI "
        f"{100 * lo:+.1f} to {100 * hi:+.1f} pts), {state} ({name} {_fmt_p(p)})"
    )
    return MetricResult(
        metric=metric,
        unit="fraction",
        better="higher",
        control=p_c,
        treatment=p_t,
        n_control=n_c,
        n_treatment=n_t,
        difference=diff,
        ci_low=lo,
        ci_high=hi,
        relative_change=p_t / p_c - 1.0 if p_c > 0 else math.nan,
        rel_ci_low=math.nan,
        rel_ci_high=math.nan,
        test=name,
        statistic=float(stat),
        p_value=p,
        robust_test="",
        robust_p_value=math.nan,
        outcome=outcome,
        summary=text,
    )


def _no_data(metric: str, unit: str, better: Literal["lower", "higher"]) -> MetricResult:
    nan = math.nan
    return MetricResult(
        metric=metric,
        unit=unit,
        better=better,
        control=nan,
        treatment=nan,
        n_control=0,
        n_treatment=0,
        difference=nan,
        ci_low=nan,
        ci_high=nan,
        relative_change=nan,
        rel_ci_low=nan,
        rel_ci_high=nan,
        test="",
        statistic=nan,
        p_value=nan,
        robust_test="",
        robust_p_value=nan,
        outcome="no data",
        summary=f"{_LABELS[metric]}: no data",
    )


def _readout_core(
    control: ArmSummary,
    treatment: ArmSummary,
    *,
    alpha: float,
    proportion_test: str,
    cost_target_change: tuple[float, float],
    guardrail_margin: float | None,
    robust: Mapping[str, tuple[str, float]],
) -> PilotReadout:
    _choice("proportion_test", proportion_test, _PROPORTION_TESTS)
    as_array("alpha", alpha, low=0.0, low_inclusive=False, high=0.5)
    if len(cost_target_change) != 2:
        raise InputError("cost_target_change must be a (low, high) pair of fractions")
    t_lo, t_hi = (float(v) for v in cost_target_change)
    as_array("cost_target_change", [t_lo, t_hi], low=-1.0, high=1.0)
    if t_lo > t_hi:
        raise InputError(
            f"cost_target_change must be (low, high) with low <= high (got {t_lo, t_hi})"
        )
    if guardrail_margin is not None:
        as_array("guardrail_margin", guardrail_margin, low=0.0, high=1.0)
    none = ("", math.nan)

    results: list[MetricResult] = [
        _means_result(
            "aht",
            "s",
            control.aht_mean_s,
            control.aht_sd_s,
            control.n,
            treatment.aht_mean_s,
            treatment.aht_sd_s,
            treatment.n,
            alpha,
            robust.get("aht", none),
        )
    ]
    for metric, succ, tot in (
        ("fcr", "fcr_resolved", "fcr_n"),
        ("csat", "csat_satisfied", "csat_n"),
    ):
        xc, nc = getattr(control, succ), getattr(control, tot)
        xt, nt = getattr(treatment, succ), getattr(treatment, tot)
        if nc is None or nt is None:
            results.append(_no_data(metric, "fraction", "higher"))
        else:
            results.append(_proportion_result(metric, xc, nc, xt, nt, alpha, proportion_test))
    if (
        control.cost_mean is None
        or treatment.cost_mean is None
        or control.cost_sd is None
        or treatment.cost_sd is None
    ):
        cost = _no_data("cost_per_contact", "money", "lower")
        cost_status: Literal["met", "not met", "no data"] = "no data"
    else:
        cost = _means_result(
            "cost_per_contact",
            "money",
            control.cost_mean,
            control.cost_sd,
            control.n,
            treatment.cost_mean,
            treatment.cost_sd,
            treatment.n,
            alpha,
            robust.get("cost_per_contact", none),
        )
        cost_status = "met" if cost.relative_change <= t_hi else "not met"
        if cost.relative_change < t_lo:
            where = f"beyond the {-100 * t_hi:.0f}–{-100 * t_lo:.0f} % decrease target"
        elif cost_status == "met":
            where = f"within the {-100 * t_hi:.0f}–{-100 * t_lo:.0f} % decrease target"
        else:
            where = f"short of the {-100 * t_hi:.0f} % decrease target"
        cost = _replace_summary(cost, f"{cost.summary}, {where} (seed 000)")
    results.append(cost)

    by = {m.metric: m for m in results}
    worse = [m for m in results if m.outcome == "worse"]
    guard_fail = []
    if guardrail_margin is not None:
        guard_fail = [
            by[k]
            for k in ("fcr", "csat")
            if by[k].outcome != "no data" and by[k].ci_low < -guardrail_margin
        ]
    if worse:
        decision: Decision = "stop"
        reason = "significantly worse: " + ", ".join(_LABELS[m.metric] for m in worse)
    elif (
        by["aht"].outcome == "improved"
        and cost_status != "not met"
        and by["cost_per_contact"].outcome in ("improved", "no data")
        and not guard_fail
    ):
        decision = "scale up"
        reason = "AHT improved"
        if cost_status == "met":
            reason += " and cost per contact met its target"
        reason += ", no metric significantly worse"
        if guardrail_margin is not None:
            reason += f", FCR/CSAT within the {100 * guardrail_margin:.1f}-point guardrail"
    else:
        decision = "extend"
        gaps = []
        if by["aht"].outcome != "improved":
            gaps.append("AHT improvement not significant")
        if cost_status == "not met" or by["cost_per_contact"].outcome == "unchanged":
            gaps.append("cost-per-contact target not shown")
        if guard_fail:
            gaps.append(
                "FCR/CSAT not shown within the guardrail ("
                + ", ".join(_LABELS[m.metric] for m in guard_fail)
                + ")"
            )
        reason = "; ".join(gaps) if gaps else "evidence inconclusive"
    verdict = "; ".join(m.summary for m in results) + f" → {decision} ({reason})."
    return PilotReadout(
        metrics=tuple(results),
        decision=decision,
        cost_target_status=cost_status,
        verdict=verdict,
        alpha=float(alpha),
        cost_target_change=(t_lo, t_hi),
    )


def _replace_summary(m: MetricResult, summary: str) -> MetricResult:
    values = {f.name: getattr(m, f.name) for f in fields(MetricResult)}
    values["summary"] = summary
    return MetricResult(**values)


def readout_from_summaries(
    control: ArmSummary,
    treatment: ArmSummary,
    *,
    alpha: float = 0.05,
    proportion_test: ProportionTest = "auto",
    cost_target_change: tuple[float, float] = COST_TARGET_CHANGE,
    guardrail_margin: float | None = None,
) -> PilotReadout:
    """Compare treatment (staccato) with control (standard) from aggregate results.

    Parameters
    ----------
    control, treatment : ArmSummary
        Aggregates per arm.
    alpha : float, default 0.05
        Two-sided significance level; intervals are ``1 − alpha``.
    proportion_test : {"auto", "z", "fisher"}
        FCR/CSAT test: ``"auto"`` uses the pooled two-proportion z test unless an expected cell of
        the 2×2 table is below 5 (Cochran's rule), then Fisher's exact test.
    cost_target_change : (float, float), default (-0.20, -0.10)
        Target relative change in cost per contact (seed 000: 10–20 % lower by month 3). "Met" when
        the point estimate is at or below the high end (a larger fall also counts).
    guardrail_margin : float, optional
        Non-inferiority margin for FCR and CSAT (fraction, e.g. 0.02 = 2 points): to scale up, the
        lower confidence bound of each difference must be above ``-guardrail_margin``. Without it a
        guardrail only has to be "not significantly worse".

    Returns
    -------
    PilotReadout
        Per-metric results, ``.table()``, ``.decision`` and ``.verdict``.

    Notes
    -----
    AHT and cost per contact: Welch's t test on the difference of means, with the Welch
    ``1 − alpha`` interval ``Δ ± t_{ν} se``; the relative change ``m_t/m_c − 1`` gets a
    delta-method interval on the log ratio, ``exp(±t_ν · sqrt(s_t²/(n_t m_t²) + s_c²/(n_c m_c²)))``.
    FCR and CSAT: pooled two-proportion z, ``z = (p_t − p_c)/sqrt(p̄(1 − p̄)(1/n_t + 1/n_c))``,
    with the Wald interval ``(p_t − p_c) ± z_{1−α/2} sqrt(p_t q_t/n_t + p_c q_c/n_c)``.

    Decision rules: **stop** if any metric is significantly worse (AHT or cost up, FCR or CSAT
    down); **scale up** if AHT fell significantly, cost per contact (when measured) fell
    significantly and met its target, nothing is significantly worse and, with
    ``guardrail_margin``, FCR and CSAT are shown non-inferior; otherwise **extend** (keep
    collecting data or rework the design). The four tests are not adjusted for multiplicity, and
    contacts are treated as independent (see the module note on clustering).

    References
    ----------
    .. [1] B. L. Welch, Biometrika 34, 1947 (unequal-variance t test).
    .. [2] A. Agresti, *An Introduction to Categorical Data Analysis*, 2nd ed., 2007, §2.2
       (difference of proportions, Wald interval) and §2.6 (Fisher's exact test).
    .. [3] Seed 000: A/B test of standard vs staccato groups on CSAT, FCR, AHT and cost per contact;
       cost-per-contact target −10 to −20 % by month 3.

    Examples
    --------
    >>> c = ArmSummary(n=1500, aht_mean_s=360.0, aht_sd_s=290.0, fcr_resolved=1080, fcr_n=1500)
    >>> t = ArmSummary(n=1500, aht_mean_s=281.0, aht_sd_s=225.0, fcr_resolved=1095, fcr_n=1500)
    >>> r = readout_from_summaries(c, t)
    >>> r.decision
    'scale up'
    >>> round(r.metric("aht").relative_change, 3)
    -0.219
    """
    return _readout_core(
        control,
        treatment,
        alpha=alpha,
        proportion_test=proportion_test,
        cost_target_change=cost_target_change,
        guardrail_margin=guardrail_margin,
        robust={},
    )


def _numeric_column(data: pd.DataFrame, col: str) -> Array:
    try:
        values = pd.to_numeric(data[col], errors="raise")
    except (TypeError, ValueError):
        raise InputError(f"column {col!r} must be numeric") from None
    return np.asarray(pd.Series(values).to_numpy(dtype=np.float64, na_value=np.nan))


def _flag_column(data: pd.DataFrame, col: str) -> Array:
    """Bool / 0-1 column to float with NaN for missing; anything else is an InputError."""
    s = data[col]
    out = np.full(len(s), np.nan)
    present = s.notna().to_numpy()
    vals = s[present]
    if len(vals) == 0:
        return out
    if all(isinstance(v, bool | np.bool_) for v in vals):
        out[present] = vals.astype(bool).to_numpy(dtype=np.float64)
        return out
    num = _numeric_column(data.loc[present], col)
    if not np.all((num == 0.0) | (num == 1.0)):
        raise InputError(f"column {col!r} must hold True/False (or 1/0), missing allowed")
    out[present] = num
    return out


def _summarize(
    arm: pd.DataFrame, csat_satisfied_min: float, csat_scale_max: float
) -> tuple[ArmSummary, Array, Array | None]:
    aht = _numeric_column(arm, "handle_time_s")
    as_array("handle_time_s", aht, low=0.0, low_inclusive=False)
    fcr = csat = None
    if "resolved_first_contact" in arm:
        f = _flag_column(arm, "resolved_first_contact")
        f = f[~np.isnan(f)]
        if f.size:
            fcr = (int(f.sum()), int(f.size))
    if "csat" in arm:
        s = arm["csat"]
        present = s.dropna()
        if len(present) and all(isinstance(v, bool | np.bool_) for v in present):
            sat = _flag_column(arm, "csat")
        else:
            raw = _numeric_column(arm, "csat")
            scores = raw[~np.isnan(raw)]
            as_array("csat", scores, low=1.0, high=csat_scale_max, integer=True)
            sat = np.where(np.isnan(raw), np.nan, (raw >= csat_satisfied_min).astype(np.float64))
        sat = sat[~np.isnan(sat)]
        if sat.size:
            csat = (int(sat.sum()), int(sat.size))
    cost_arr = None
    cost_mean = cost_sd = None
    if "cost" in arm:
        cost_arr = _numeric_column(arm, "cost")
        as_array("cost", cost_arr, low=0.0)
        cost_mean, cost_sd = float(cost_arr.mean()), float(cost_arr.std(ddof=1))
        if cost_mean <= 0.0:
            raise InputError("column 'cost' must have a positive mean per arm")
    summary = ArmSummary(
        n=int(aht.size),
        aht_mean_s=float(aht.mean()),
        aht_sd_s=float(aht.std(ddof=1)),
        fcr_resolved=None if fcr is None else fcr[0],
        fcr_n=None if fcr is None else fcr[1],
        csat_satisfied=None if csat is None else csat[0],
        csat_n=None if csat is None else csat[1],
        cost_mean=cost_mean,
        cost_sd=cost_sd,
    )
    return summary, aht, cost_arr


def readout(
    data: pd.DataFrame,
    *,
    control: str = "control",
    treatment: str = "treatment",
    alpha: float = 0.05,
    csat_satisfied_min: float = 4,
    csat_scale_max: float = 5,
    proportion_test: ProportionTest = "auto",
    cost_target_change: tuple[float, float] = COST_TARGET_CHANGE,
    guardrail_margin: float | None = None,
) -> PilotReadout:
    """Compare treatment (staccato) with control (standard) from per-contact records.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per contact. Required columns: ``group`` (arm label) and ``handle_time_s`` (> 0).
        Optional: ``resolved_first_contact`` (bool or 0/1; missing = not measured), ``csat`` (a
        1–``csat_scale_max`` integer score or a satisfied bool; missing = no survey response) and
        ``cost`` (cost of the contact, money, >= 0). Other columns are ignored.
    control, treatment : str
        The ``group`` labels of the two arms; other labels are an error.
    alpha : float, default 0.05
        Two-sided significance level.
    csat_satisfied_min : float, default 4
        A score at or above this is "satisfied": CSAT = share of respondents scoring 4–5 on a
        5-point scale (top-two-box), the usual reading of the seed 001 "CSAT ≥ 80 %" benchmark.
    csat_scale_max : float, default 5
        Top of the CSAT scale (scores must be whole numbers in 1..max).
    proportion_test, cost_target_change, guardrail_margin
        As in :func:`readout_from_summaries`.

    Returns
    -------
    PilotReadout
        As :func:`readout_from_summaries`, plus Mann–Whitney U p-values for handle time and cost.

    Notes
    -----
    Aggregates each arm and applies :func:`readout_from_summaries`. Handle times are right-skewed:
    Welch's t compares means (what cost depends on) and is reliable at pilot sizes; the Mann–Whitney
    U test (two-sided, scipy's default method) is the rank-based check that does not lean on
    normality. Cost per contact is the mean of ``cost``. To check the seed's month-3 cost target,
    pass only month-3 contacts (e.g. ``data[data.day > 60]``).

    References
    ----------
    .. [1] H. B. Mann and D. R. Whitney, "On a test of whether one of two random variables is
       stochastically larger than the other", Ann. Math. Stat. 18, 1947.
    .. [2] Seed 000 (pilot metrics and target) and seed 001 (CSAT benchmark).

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "group": ["control"] * 4 + ["treatment"] * 4,
    ...     "handle_time_s": [330, 420, 360, 390, 280, 310, 285, 325],  # means 375 s, 300 s
    ...     "resolved_first_contact": [True, False, True, True, True, True, False, True],
    ... })
    >>> r = readout(df)
    >>> round(r.metric("aht").relative_change, 3)
    -0.2
    >>> r.metric("csat").outcome
    'no data'
    >>> list(r.table().metric)
    ['aht', 'fcr', 'csat', 'cost_per_contact']
    """
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"data must be a pandas DataFrame (got {type(data).__name__})")
    for col in ("group", "handle_time_s"):
        if col not in data:
            raise InputError(f"data must have a {col!r} column")
    if control == treatment:
        raise InputError("control and treatment must be different group labels")
    groups = data["group"]
    seen = set(groups.dropna().unique().tolist())
    for name, label in (("control", control), ("treatment", treatment)):
        if label not in seen:
            raise InputError(
                f"{name} group {label!r} not found in data['group'] "
                f"(found {sorted(map(str, seen))})"
            )
    other = seen - {control, treatment}
    if other or groups.isna().any():
        raise InputError(
            f"data['group'] must hold only {control!r} and {treatment!r} "
            f"(found also {sorted(map(str, other)) or 'missing values'})"
        )
    as_array("csat_satisfied_min", csat_satisfied_min, low=1.0, high=csat_scale_max)
    summ_c, aht_c, cost_c = _summarize(data[groups == control], csat_satisfied_min, csat_scale_max)
    summ_t, aht_t, cost_t = _summarize(
        data[groups == treatment], csat_satisfied_min, csat_scale_max
    )
    robust: dict[str, tuple[str, float]] = {
        "aht": ("Mann–Whitney U", float(stats.mannwhitneyu(aht_t, aht_c).pvalue))
    }
    if cost_c is not None and cost_t is not None:
        robust["cost_per_contact"] = (
            "Mann–Whitney U",
            float(stats.mannwhitneyu(cost_t, cost_c).pvalue),
        )
    return _readout_core(
        summ_c,
        summ_t,
        alpha=alpha,
        proportion_test=proportion_test,
        cost_target_change=cost_target_change,
        guardrail_margin=guardrail_margin,
        robust=robust,
    )


def readout_csv(path: str | os.PathLike[str], **kwargs: Any) -> PilotReadout:
    """Read a pilot data file (CSV, ``#`` starts a comment) and compute its :func:`readout`.

    The one reader of pilot data files: ``cxplan validate`` calls it on the file a parameter file
    names, so that a file the report could not read is refused before the report runs.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file (one row per contact, see :func:`readout` for the columns).
    **kwargs
        Passed to :func:`readout` (e.g. ``alpha``).

    Returns
    -------
    PilotReadout

    Raises
    ------
    InputError
        ``"<path>: <problem>"``: not a readable CSV table (binary, empty, ragged rows), or any
        problem :func:`readout` finds (a missing column, an unknown group, bad values).
    """
    try:
        data = pd.read_csv(path, comment="#")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{os.fspath(path)}: not a CSV text file (not UTF-8: byte {exc.start})"
        ) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(f"{os.fspath(path)}: not a readable CSV table ({reason})") from None
    except OSError as exc:
        raise InputError(f"{os.fspath(path)}: cannot read ({exc.strerror or exc})") from None
    try:
        return readout(data, **kwargs)
    except InputError as exc:
        raise InputError(f"{os.fspath(path)}: {exc}") from None
