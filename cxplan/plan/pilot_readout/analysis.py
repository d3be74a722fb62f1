"""Effects, tests and verdicts of a pilot from arm summaries (means, proportions, cost target)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields
from typing import Literal

from scipy import stats

from cxplan._validation import as_array
from cxplan.errors import InputError
from cxplan.plan.pilot_power import _choice
from cxplan.plan.pilot_readout.results import (
    COST_TARGET_CHANGE,
    ArmSummary,
    Decision,
    MetricResult,
    PilotReadout,
)

__all__ = ["readout_from_summaries"]

ProportionTest = Literal["auto", "z", "fisher"]

_PROPORTION_TESTS = ("auto", "z", "fisher")


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
