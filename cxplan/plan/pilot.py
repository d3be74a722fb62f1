"""Pilot design and readout for the standard-vs-staccato A/B comparison.

The seeds call for a 90-day pilot in two regions and a 90-day A/B test of standard against
new-model ("staccato") agent groups, measured on CSAT, FCR, AHT and cost per contact, with a
target of a 10–20 % lower cost per contact by month 3 (seed 000). This module answers the two
questions such a pilot raises:

Design (before)
    How many contacts per arm does it take to detect a given change, and how many weeks is that at a
    region's volume? :func:`aht_sample_size`, :func:`aht_power`, :func:`aht_mde` for handle time (a
    difference of means, Welch t or normal approximation, SD given directly or as a coefficient of
    variation); :func:`proportion_sample_size`, :func:`proportion_power`, :func:`proportion_mde` for
    FCR and CSAT (two proportions); :func:`pilot_weeks` and the summary table :func:`design_pilot`.
Readout (after)
    Effect sizes with confidence intervals, tests and a plain-language verdict per metric and
    overall ("scale up" / "extend" / "stop"): :func:`readout` on per-contact records,
    :func:`readout_from_summaries` on aggregates (:class:`ArmSummary`). :func:`synthetic_pilot`
    generates the deterministic demo data set saved as ``params/pilot/demo_pilot.csv``.

Conventions: durations in seconds, shares and changes as fractions (``-0.2`` = 20 % lower), money in
the caller's currency. The design functions broadcast like numpy ufuncs and return Python floats for
scalar input. ``ratio`` is always ``n_treatment / n_control`` and every ``n`` argument or result is
the control-arm count (the convention of R's ``power.prop.test`` with unequal groups and of
statsmodels' ``nobs1``/``ratio``).

Independence caveat: the tests treat contacts as independent. When whole agent groups are
assigned to an arm, contacts handled by the same agent are correlated; inflate the design by the
design effect ``1 + (m − 1)·ICC`` (``design_effect`` argument; ``m`` contacts per agent, ``ICC``
the intra-agent correlation) and read contact-level confidence intervals on clustered data as too
narrow.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from cxplan._validation import as_array, broadcast, scalar_or_array
from cxplan.errors import InputError

__all__ = [
    "COST_TARGET_CHANGE",
    "PILOT_DAYS",
    "ArmSummary",
    "MetricResult",
    "PilotReadout",
    "aht_mde",
    "aht_power",
    "aht_sample_size",
    "design_pilot",
    "pilot_weeks",
    "proportion_mde",
    "proportion_power",
    "proportion_sample_size",
    "readout",
    "readout_csv",
    "readout_from_summaries",
    "synthetic_pilot",
]

Array = npt.NDArray[np.float64]
Alternative = Literal["two-sided", "one-sided"]
MeansMethod = Literal["t", "z"]
ProportionMethod = Literal["pooled", "unpooled", "arcsine"]
ProportionTest = Literal["auto", "z", "fisher"]
Decision = Literal["scale up", "extend", "stop"]

#: Target change in cost per contact by month 3: a 10–20 % decrease (seed 000), as (low, high).
COST_TARGET_CHANGE: tuple[float, float] = (-0.20, -0.10)
#: Pilot and A/B test length in days (seed 000).
PILOT_DAYS: int = 90

_ALTERNATIVES = ("two-sided", "one-sided")
_MEANS_METHODS = ("t", "z")
_PROPORTION_METHODS = ("pooled", "unpooled", "arcsine")
_PROPORTION_TESTS = ("auto", "z", "fisher")
_BISECT_ITER = 200


# ---------------------------------------------------------------------------------------------
# shared helpers
# ---------------------------------------------------------------------------------------------


def _choice(name: str, value: Any, choices: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise InputError(f"{name} must be one of {', '.join(map(repr, choices))} (got {value!r})")
    return value


def _is_scalar(*values: Any) -> bool:
    return all(np.ndim(v) == 0 for v in values if v is not None)


def _alpha(alpha: Any) -> Array:
    return as_array("alpha", alpha, low=0.0, low_inclusive=False, high=1.0, high_inclusive=False)


def _power_target(power: Any) -> Array:
    return as_array("power", power, low=0.0, low_inclusive=False, high=1.0, high_inclusive=False)


def _ratio(ratio: Any) -> Array:
    return as_array("ratio", ratio, low=0.0, low_inclusive=False)


def _deff(design_effect: Any) -> Array:
    return as_array("design_effect", design_effect, low=1.0)


def _z_crit(alpha: Array, alternative: str) -> Array:
    tail = alpha / 2.0 if alternative == "two-sided" else alpha
    return np.asarray(stats.norm.isf(tail), dtype=np.float64)


def _bisect(f: Callable[[Array], Array], lo: Array, hi: Array, n_iter: int = _BISECT_ITER) -> Array:
    """Vectorized bisection for an increasing ``f`` with ``f(lo) < 0 <= f(hi)``; returns ``hi``.

    Loops over halvings (a fixed count), never over elements.
    """
    lo = lo.copy()
    hi = hi.copy()
    for _ in range(n_iter):
        mid = 0.5 * (lo + hi)
        ok = f(mid) >= 0.0
        hi = np.where(ok, mid, hi)
        lo = np.where(ok, lo, mid)
        if np.all(hi - lo <= 1e-13 * np.maximum(1.0, np.abs(hi))):
            break
    return hi


def _ceil_count(x: Array) -> Array:
    """Round a continuous sample size up to whole contacts, forgiving float noise at integers."""
    return np.where(np.isfinite(x), np.ceil(x - 1e-9 * np.maximum(1.0, x)), x)


# ---------------------------------------------------------------------------------------------
# design: difference of means (AHT)
# ---------------------------------------------------------------------------------------------


def _aht_sds(baseline: Array, change: Array, sd_s: Any, cv: Any) -> tuple[Array, Array]:
    """Return (sd_control, sd_treatment) in seconds from ``sd_s`` or ``cv``."""
    if (sd_s is None) == (cv is None):
        raise InputError("give exactly one of sd_s (seconds) or cv (SD / mean) for handle time")
    if sd_s is not None:
        sd = as_array("sd_s", sd_s, low=0.0, low_inclusive=False)
        return sd, sd
    cv_ = as_array("cv", cv, low=0.0, low_inclusive=False)
    return cv_ * baseline, cv_ * baseline * (1.0 + change)


def _means_power_kernel(
    delta: Array,
    sd_c: Array,
    sd_t: Array,
    n_c: Array,
    ratio: Array,
    alpha: Array,
    alternative: str,
    method: str,
) -> Array:
    """Power of the Welch t test (or z test) for a true difference ``delta`` (no validation)."""
    n_t = ratio * n_c
    var_c = sd_c**2 / n_c
    var_t = sd_t**2 / n_t
    se = np.sqrt(var_c + var_t)
    with np.errstate(divide="ignore", invalid="ignore"):
        ncp = np.abs(delta) / se
    tail = alpha / 2.0 if alternative == "two-sided" else alpha
    if method == "z":
        crit = stats.norm.isf(tail)
        power = stats.norm.sf(crit - ncp)
        if alternative == "two-sided":
            power = power + stats.norm.sf(crit + ncp)
        return np.asarray(power, dtype=np.float64)
    # Welch–Satterthwaite degrees of freedom at the planning SDs.
    with np.errstate(divide="ignore", invalid="ignore"):
        df = (var_c + var_t) ** 2 / (var_c**2 / (n_c - 1.0) + var_t**2 / (n_t - 1.0))
    crit = stats.t.isf(tail, df)
    power = np.nan_to_num(stats.nct.sf(crit, df, ncp), nan=1.0)
    if alternative == "two-sided":
        # The opposite tail, P(T < -crit), written as an upper tail with -ncp (scipy's nct.cdf
        # returns NaN far in the lower tail); it is negligible wherever that would matter.
        power = power + np.nan_to_num(stats.nct.sf(crit, df, -ncp), nan=0.0)
    return np.asarray(np.minimum(power, 1.0), dtype=np.float64)


def _means_inputs(
    baseline_aht_s: Any, aht_change: Any, sd_s: Any, cv: Any, alpha: Any, ratio: Any
) -> tuple[Array, Array, Array, Array, Array, Array]:
    base = as_array("baseline_aht_s", baseline_aht_s, low=0.0, low_inclusive=False)
    change = as_array("aht_change", aht_change, low=-1.0, low_inclusive=False)
    sd_c, sd_t = _aht_sds(base, change, sd_s, cv)
    return base, change, sd_c, sd_t, _alpha(alpha), _ratio(ratio)


def aht_power(
    baseline_aht_s: Any,
    aht_change: Any,
    n_control: Any,
    *,
    sd_s: Any = None,
    cv: Any = None,
    alpha: Any = 0.05,
    ratio: Any = 1.0,
    alternative: Alternative = "two-sided",
    method: MeansMethod = "t",
    design_effect: Any = 1.0,
) -> Any:
    """Power to detect a relative change in mean handle time with a two-sample test.

    Parameters
    ----------
    baseline_aht_s : array_like
        Control-arm mean handle time, seconds (> 0).
    aht_change : array_like
        True relative change in the treatment arm, a fraction (``-0.2`` = 20 % shorter; > -1).
    n_control : array_like
        Contacts in the control arm; the treatment arm has ``ratio * n_control``.
    sd_s : array_like, optional
        Standard deviation of handle time in seconds, the same in both arms.
    cv : array_like, optional
        Coefficient of variation (SD / mean) of handle time, the same in both arms, so the treatment
        arm's SD shrinks with its mean. Contact-centre handle times are right-skewed, with CV of
        roughly 0.6–1.0. Give exactly one of ``sd_s`` and ``cv``.
    alpha : array_like, default 0.05
        Significance level.
    ratio : array_like, default 1.0
        Allocation ratio ``n_treatment / n_control`` (> 0).
    alternative : {"two-sided", "one-sided"}
        ``"one-sided"`` tests in the direction of ``aht_change``.
    method : {"t", "z"}
        ``"t"``: Welch t test, power from the noncentral t distribution with Welch–Satterthwaite
        degrees of freedom; ``"z"``: normal approximation.
    design_effect : array_like, default 1.0
        Variance inflation for clustered assignment (``1 + (m − 1)·ICC``); the effective sample is
        ``n / design_effect``.

    Returns
    -------
    float or numpy.ndarray
        Power, a probability in [alpha/2, 1] (two-sided).

    Raises
    ------
    InputError
        A bad argument, or an effective arm size below 2 for the t method.

    Notes
    -----
    With means ``μ_c`` and ``μ_t = μ_c (1 + c)``, SDs ``σ_c, σ_t``, arm sizes ``n_c`` and
    ``n_t = r n_c``, the standard error is ``se = sqrt(σ_c²/n_c + σ_t²/n_t)``, the noncentrality
    ``λ = |μ_t − μ_c| / se`` and ``ν = se⁴ / ((σ_c²/n_c)²/(n_c−1) + (σ_t²/n_t)²/(n_t−1))``. The
    two-sided power is ``P(T > t_{1−α/2,ν}) + P(T < −t_{1−α/2,ν})`` for ``T ~ t'(ν, λ)`` (both
    tails, R's ``strict = TRUE``; R's default omits the far tail, which differs by < 1e-5 in
    practice).
    With equal SDs and arms ``ν = 2n − 2`` and this is the classical two-sample t power.

    References
    ----------
    .. [1] J. Cohen, *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed., 1988, ch. 2.
    .. [2] R Core Team, ``stats::power.t.test`` (noncentral t power of the two-sample t test).
    .. [3] B. L. Welch, "The generalization of 'Student's' problem when several different
       population variances are involved", Biometrika 34, 1947.

    Examples
    --------
    R's ``power.t.test(n = 20, delta = 1)`` gives 0.869:

    >>> round(aht_power(100.0, 0.01, 20, sd_s=1.0), 3)
    0.869
    >>> round(aht_power(360.0, -0.2, 250, cv=0.8), 3)
    0.869
    """
    _choice("alternative", alternative, _ALTERNATIVES)
    _choice("method", method, _MEANS_METHODS)
    base, change, sd_c, sd_t, alpha_, ratio_ = _means_inputs(
        baseline_aht_s, aht_change, sd_s, cv, alpha, ratio
    )
    n = as_array("n_control", n_control, low=0.0, low_inclusive=False)
    deff = _deff(design_effect)
    base, change, sd_c, sd_t, alpha_, ratio_, n, deff = broadcast(
        baseline_aht_s=base,
        aht_change=change,
        sd_control=sd_c,
        sd_treatment=sd_t,
        alpha=alpha_,
        ratio=ratio_,
        n_control=n,
        design_effect=deff,
    )
    n_eff = n / deff
    if method == "t" and (np.any(n_eff < 2.0) or np.any(ratio_ * n_eff < 2.0)):
        raise InputError(
            "n_control / design_effect and ratio * n_control / design_effect must be >= 2 "
            "for the t method"
        )
    out = _means_power_kernel(base * change, sd_c, sd_t, n_eff, ratio_, alpha_, alternative, method)
    scalar = _is_scalar(
        baseline_aht_s, aht_change, n_control, sd_s, cv, alpha, ratio, design_effect
    )
    return scalar_or_array(out, scalar)


def aht_sample_size(
    baseline_aht_s: Any,
    aht_change: Any,
    *,
    sd_s: Any = None,
    cv: Any = None,
    alpha: Any = 0.05,
    power: Any = 0.8,
    ratio: Any = 1.0,
    alternative: Alternative = "two-sided",
    method: MeansMethod = "t",
    design_effect: Any = 1.0,
) -> Any:
    """Contacts needed in the control arm to detect a relative change in mean handle time.

    Parameters
    ----------
    baseline_aht_s, aht_change, sd_s, cv, alpha, ratio, alternative, method, design_effect
        As in :func:`aht_power`.
    power : array_like, default 0.8
        Target power, in (0, 1).

    Returns
    -------
    float or numpy.ndarray
        Control-arm contacts, a whole number (rounded up); the treatment arm needs
        ``ceil(ratio * n_control)``. ``inf`` where ``aht_change`` is 0.

    Notes
    -----
    ``"z"``: ``n_c = (z_{1−α/2} + z_{1−β})² (σ_c² + σ_t²/r) / δ²`` with ``δ = μ_c·|c|``.
    ``"t"``: the smallest ``n_c`` whose :func:`aht_power` reaches ``power``, found by vectorized
    bisection (power rises with ``n``). The result is multiplied by ``design_effect`` and rounded
    up. With ``cv`` the treatment SD is ``cv·μ_c(1 + c)``: a shorter handle time is also less
    variable.

    References
    ----------
    .. [1] S.-C. Chow, J. Shao and H. Wang, *Sample Size Calculations in Clinical Research*,
       2nd ed., 2008, §3.2 (two-sample means, unequal variances and allocation).
    .. [2] R Core Team, ``stats::power.t.test``; e.g. ``power.t.test(power = .8, delta = 4,
       sd = 5)`` gives n = 25.52 per group, i.e. 26.

    Examples
    --------
    >>> aht_sample_size(100.0, 0.04, sd_s=5.0)
    26.0
    >>> aht_sample_size(360.0, -0.2, cv=0.8)
    207.0
    >>> aht_sample_size(360.0, -0.2, cv=0.8, method="z")
    206.0
    """
    _choice("alternative", alternative, _ALTERNATIVES)
    _choice("method", method, _MEANS_METHODS)
    base, change, sd_c, sd_t, alpha_, ratio_ = _means_inputs(
        baseline_aht_s, aht_change, sd_s, cv, alpha, ratio
    )
    target = _power_target(power)
    deff = _deff(design_effect)
    base, change, sd_c, sd_t, alpha_, ratio_, target, deff = broadcast(
        baseline_aht_s=base,
        aht_change=change,
        sd_control=sd_c,
        sd_treatment=sd_t,
        alpha=alpha_,
        ratio=ratio_,
        power=target,
        design_effect=deff,
    )
    delta = base * np.abs(change)
    zero = delta == 0.0
    delta_safe = np.where(zero, 1.0, delta)
    z_a = _z_crit(alpha_, alternative)
    z_b = stats.norm.ppf(target)
    n_z = (z_a + z_b) ** 2 * (sd_c**2 + sd_t**2 / ratio_) / delta_safe**2
    if method == "z":
        n = np.maximum(n_z, 1e-12)
    else:
        n_min = np.maximum(2.0, 2.0 / ratio_) * (1.0 + 1e-12)

        def gap(n_c: Array) -> Array:
            pw = _means_power_kernel(delta_safe, sd_c, sd_t, n_c, ratio_, alpha_, alternative, "t")
            return pw - target

        hi = np.maximum(2.0 * n_z + 10.0, 2.0 * n_min)
        for _ in range(64):  # widen the bracket where needed (rare: tiny n, huge alpha)
            short = gap(hi) < 0.0
            if not short.any():
                break
            hi = np.where(short, hi * 2.0, hi)
        at_min = gap(n_min) >= 0.0
        n = np.where(at_min, n_min, _bisect(gap, n_min, hi))
    out = np.where(zero, np.inf, _ceil_count(n * deff))
    scalar = _is_scalar(baseline_aht_s, aht_change, sd_s, cv, alpha, power, ratio, design_effect)
    return scalar_or_array(out, scalar)


def aht_mde(
    baseline_aht_s: Any,
    n_control: Any,
    *,
    sd_s: Any = None,
    cv: Any = None,
    alpha: Any = 0.05,
    power: Any = 0.8,
    ratio: Any = 1.0,
    alternative: Alternative = "two-sided",
    method: MeansMethod = "t",
    design_effect: Any = 1.0,
    direction: Literal["decrease", "increase"] = "decrease",
) -> Any:
    """Minimum detectable relative change in mean handle time for a given control-arm size.

    Parameters
    ----------
    baseline_aht_s, n_control, sd_s, cv, alpha, ratio, alternative, method, design_effect
        As in :func:`aht_power`.
    power : array_like, default 0.8
        Target power.
    direction : {"decrease", "increase"}
        Search for a shorter (default, the staccato hypothesis) or longer handle time.

    Returns
    -------
    float or numpy.ndarray
        The relative change (negative for a decrease) at which power equals ``power``; ``nan`` where
        no change within (−99 %, +1000 %) reaches it (with ``cv`` the power is bounded, because the
        SD scales with the mean).

    Notes
    -----
    The inverse of :func:`aht_power` in ``aht_change`` by vectorized bisection; power rises with
    ``|aht_change|`` on each side of zero.

    References
    ----------
    .. [1] R Core Team, ``stats::power.t.test`` (solving for ``delta``).

    Examples
    --------
    >>> round(aht_mde(360.0, 250, cv=0.8), 3)
    -0.183
    """
    _choice("direction", direction, ("decrease", "increase"))
    _choice("alternative", alternative, _ALTERNATIVES)
    _choice("method", method, _MEANS_METHODS)
    base = as_array("baseline_aht_s", baseline_aht_s, low=0.0, low_inclusive=False)
    n = as_array("n_control", n_control, low=0.0, low_inclusive=False)
    target = _power_target(power)
    alpha_ = _alpha(alpha)
    ratio_ = _ratio(ratio)
    deff = _deff(design_effect)
    if (sd_s is None) == (cv is None):
        raise InputError("give exactly one of sd_s (seconds) or cv (SD / mean) for handle time")
    spread = (
        as_array("sd_s", sd_s, low=0.0, low_inclusive=False)
        if sd_s is not None
        else as_array("cv", cv, low=0.0, low_inclusive=False)
    )
    base, n, target, alpha_, ratio_, deff, spread = broadcast(
        baseline_aht_s=base,
        n_control=n,
        power=target,
        alpha=alpha_,
        ratio=ratio_,
        design_effect=deff,
        spread=spread,
    )
    n_eff = n / deff
    if method == "t" and (np.any(n_eff < 2.0) or np.any(ratio_ * n_eff < 2.0)):
        raise InputError(
            "n_control / design_effect and ratio * n_control / design_effect must be >= 2 "
            "for the t method"
        )
    sign = -1.0 if direction == "decrease" else 1.0
    limit = 0.99 if direction == "decrease" else 10.0

    def gap(size: Array) -> Array:
        change = sign * size
        if sd_s is not None:
            sd_c = sd_t = spread
        else:
            sd_c, sd_t = spread * base, spread * base * (1.0 + change)
        pw = _means_power_kernel(
            base * change, sd_c, sd_t, n_eff, ratio_, alpha_, alternative, method
        )
        return pw - target

    hi = np.full_like(base, limit)
    reachable = gap(hi) >= 0.0
    size = _bisect(gap, np.zeros_like(base), hi)
    out = np.where(reachable, sign * size, np.nan)
    scalar = _is_scalar(baseline_aht_s, n_control, sd_s, cv, alpha, power, ratio, design_effect)
    return scalar_or_array(out, scalar)


# ---------------------------------------------------------------------------------------------
# design: two proportions (FCR, CSAT)
# ---------------------------------------------------------------------------------------------


def _prop_terms(p_c: Array, p_t: Array, ratio: Array, method: str) -> tuple[Array, Array, Array]:
    """Return (effect, A, B): power = Φ((effect√n − z·A)/B) + Φ((−effect√n − z·A)/B)."""
    q_c, q_t = 1.0 - p_c, 1.0 - p_t
    if method == "arcsine":
        effect = np.abs(2.0 * np.arcsin(np.sqrt(p_t)) - 2.0 * np.arcsin(np.sqrt(p_c)))
        a = np.sqrt(1.0 + 1.0 / ratio)
        return effect, a, a
    effect = np.abs(p_t - p_c)
    b = np.sqrt(p_c * q_c + p_t * q_t / ratio)
    if method == "unpooled":
        return effect, b, b
    p_bar = (p_c + ratio * p_t) / (1.0 + ratio)
    a = np.sqrt(p_bar * (1.0 - p_bar) * (1.0 + 1.0 / ratio))
    return effect, a, b


def _prop_power_kernel(
    p_c: Array,
    p_t: Array,
    n_c: Array,
    ratio: Array,
    alpha: Array,
    alternative: str,
    method: str,
    continuity: bool,
) -> Array:
    effect, a, b = _prop_terms(p_c, p_t, ratio, method)
    z_a = _z_crit(alpha, alternative)
    k = (1.0 + 1.0 / ratio) / 2.0 / n_c if continuity else np.zeros_like(n_c)
    root_n = np.sqrt(n_c)
    with np.errstate(divide="ignore", invalid="ignore"):
        power = stats.norm.cdf((root_n * (effect - k) - z_a * a) / b)
        if alternative == "two-sided":
            power = power + stats.norm.cdf((-root_n * (effect + k) - z_a * a) / b)
    return np.asarray(power, dtype=np.float64)


def _prop_inputs(
    p_control: Any, p_treatment: Any, alpha: Any, ratio: Any, method: str, continuity: bool
) -> tuple[Array, Array, Array, Array]:
    _choice("method", method, _PROPORTION_METHODS)
    if continuity and method == "arcsine":
        raise InputError("continuity correction applies to the 'pooled' and 'unpooled' methods")
    p_c = as_array(
        "p_control", p_control, low=0.0, low_inclusive=False, high=1.0, high_inclusive=False
    )
    p_t = as_array(
        "p_treatment", p_treatment, low=0.0, low_inclusive=False, high=1.0, high_inclusive=False
    )
    return p_c, p_t, _alpha(alpha), _ratio(ratio)


def proportion_power(
    p_control: Any,
    p_treatment: Any,
    n_control: Any,
    *,
    alpha: Any = 0.05,
    ratio: Any = 1.0,
    alternative: Alternative = "two-sided",
    method: ProportionMethod = "pooled",
    continuity: bool = False,
    design_effect: Any = 1.0,
) -> Any:
    """Power of the two-proportion z test (FCR, CSAT share satisfied) for given arm sizes.

    Parameters
    ----------
    p_control, p_treatment : array_like
        True proportions in each arm, fractions in (0, 1) (e.g. FCR 0.70).
    n_control : array_like
        Observations in the control arm (contacts for FCR, survey responses for CSAT); the
        treatment arm has ``ratio * n_control``.
    alpha, ratio, alternative, design_effect
        As in :func:`aht_power`.
    method : {"pooled", "unpooled", "arcsine"}
        ``"pooled"`` (default): the test uses the pooled proportion under H0 and the unpooled
        variance under H1 (Fleiss; R ``power.prop.test``). ``"unpooled"``: Wald test, unpooled
        variance under both. ``"arcsine"``: Cohen's effect size ``h = |2 asin√p_t − 2 asin√p_c|``.
    continuity : bool, default False
        Apply the Yates/Fleiss continuity correction (pooled and unpooled only).

    Returns
    -------
    float or numpy.ndarray
        Power, a probability.

    Notes
    -----
    With ``n_t = r n_c``, ``p̄ = (p_c + r p_t)/(1 + r)``, ``A = sqrt(p̄(1−p̄)(1 + 1/r))`` (pooled;
    ``A = B`` unpooled) and ``B = sqrt(p_c(1−p_c) + p_t(1−p_t)/r)``, the two-sided power is
    ``Φ((√n_c (δ − k) − z_{1−α/2} A)/B) + Φ((−√n_c (δ + k) − z_{1−α/2} A)/B)`` with
    ``δ = |p_t − p_c|`` and ``k = (1 + 1/r)/(2 n_c)`` under the continuity correction (else 0).
    For ``"arcsine"`` ``δ = h`` and ``A = B = sqrt(1 + 1/r)``.

    References
    ----------
    .. [1] J. L. Fleiss, B. Levin and M. C. Paik, *Statistical Methods for Rates and Proportions*,
       3rd ed., Wiley, 2003, §4.2.
    .. [2] J. Cohen, *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed., 1988, ch. 6.
    .. [3] R Core Team, ``stats::power.prop.test``: ``power.prop.test(n = 50, p1 = .5, p2 = .75)``
       gives power 0.740.

    Examples
    --------
    >>> round(proportion_power(0.5, 0.75, 50), 3)
    0.74
    """
    _choice("alternative", alternative, _ALTERNATIVES)
    p_c, p_t, alpha_, ratio_ = _prop_inputs(
        p_control, p_treatment, alpha, ratio, method, continuity
    )
    n = as_array("n_control", n_control, low=0.0, low_inclusive=False)
    deff = _deff(design_effect)
    p_c, p_t, n, alpha_, ratio_, deff = broadcast(
        p_control=p_c, p_treatment=p_t, n_control=n, alpha=alpha_, ratio=ratio_, design_effect=deff
    )
    out = _prop_power_kernel(p_c, p_t, n / deff, ratio_, alpha_, alternative, method, continuity)
    scalar = _is_scalar(p_control, p_treatment, n_control, alpha, ratio, design_effect)
    return scalar_or_array(out, scalar)


def proportion_sample_size(
    p_control: Any,
    p_treatment: Any,
    *,
    alpha: Any = 0.05,
    power: Any = 0.8,
    ratio: Any = 1.0,
    alternative: Alternative = "two-sided",
    method: ProportionMethod = "pooled",
    continuity: bool = False,
    design_effect: Any = 1.0,
) -> Any:
    """Observations needed in the control arm to detect a change in a proportion (FCR, CSAT).

    Parameters
    ----------
    p_control, p_treatment, alpha, ratio, alternative, method, continuity, design_effect
        As in :func:`proportion_power`.
    power : array_like, default 0.8
        Target power.

    Returns
    -------
    float or numpy.ndarray
        Control-arm observations, a whole number (rounded up); the treatment arm needs
        ``ceil(ratio * n_control)``. ``inf`` where the two proportions are equal. For CSAT the count
        is survey responses: divide by the response rate for contacts.

    Notes
    -----
    ``n = ((z_{1−α/2} A + z_{1−β} B) / δ)²`` with ``δ``, ``A``, ``B`` as in :func:`proportion_power`
    (the far tail ignored, as is standard). With the continuity correction
    ``n' = n/4 · (1 + sqrt(1 + 2(r + 1)/(n r δ)))²`` (Fleiss). The result is multiplied by
    ``design_effect`` and rounded up.

    References
    ----------
    .. [1] J. L. Fleiss, B. Levin and M. C. Paik, *Statistical Methods for Rates and Proportions*,
       3rd ed., 2003, eqs. 4.14 and 4.19–4.20 (unequal allocation, continuity correction).
    .. [2] J. H. Zar, *Biostatistical Analysis*, 4th ed., 1999, Example 24.26: p = 0.45 vs 0.25,
       α = 0.05 two-sided, power 0.90 gives n = 127.2 (continuity-corrected).
    .. [3] R Core Team, ``stats::power.prop.test``: p1 = .5, p2 = .75, power .9 gives n = 76.7.

    Examples
    --------
    >>> proportion_sample_size(0.5, 0.75, power=0.9)
    77.0
    >>> proportion_sample_size(0.45, 0.25, power=0.9, continuity=True)
    128.0
    """
    _choice("alternative", alternative, _ALTERNATIVES)
    p_c, p_t, alpha_, ratio_ = _prop_inputs(
        p_control, p_treatment, alpha, ratio, method, continuity
    )
    target = _power_target(power)
    deff = _deff(design_effect)
    p_c, p_t, alpha_, ratio_, target, deff = broadcast(
        p_control=p_c, p_treatment=p_t, alpha=alpha_, ratio=ratio_, power=target, design_effect=deff
    )
    effect, a, b = _prop_terms(p_c, p_t, ratio_, method)
    zero = effect == 0.0
    effect_safe = np.where(zero, 1.0, effect)
    z_a = _z_crit(alpha_, alternative)
    z_b = stats.norm.ppf(target)
    n = ((z_a * a + z_b * b) / effect_safe) ** 2
    if continuity:
        n = n / 4.0 * (1.0 + np.sqrt(1.0 + 2.0 * (ratio_ + 1.0) / (n * ratio_ * effect_safe))) ** 2
    out = np.where(zero, np.inf, _ceil_count(n * deff))
    scalar = _is_scalar(p_control, p_treatment, alpha, power, ratio, design_effect)
    return scalar_or_array(out, scalar)


def proportion_mde(
    p_control: Any,
    n_control: Any,
    *,
    alpha: Any = 0.05,
    power: Any = 0.8,
    ratio: Any = 1.0,
    alternative: Alternative = "two-sided",
    method: ProportionMethod = "pooled",
    continuity: bool = False,
    design_effect: Any = 1.0,
    direction: Literal["increase", "decrease"] = "increase",
) -> Any:
    """Minimum detectable change in a proportion (FCR, CSAT) for a given control-arm size.

    Parameters
    ----------
    p_control, n_control, alpha, ratio, alternative, method, continuity, design_effect
        As in :func:`proportion_power`.
    power : array_like, default 0.8
        Target power.
    direction : {"increase", "decrease"}
        Search above (default) or below ``p_control``.

    Returns
    -------
    float or numpy.ndarray
        ``p_treatment − p_control`` (a fraction; negative for a decrease) at which power equals
        ``power``; ``nan`` where no proportion in (0, 1) reaches it.

    Notes
    -----
    The inverse of :func:`proportion_power` in ``p_treatment`` by vectorized bisection.

    References
    ----------
    .. [1] R Core Team, ``stats::power.prop.test``: ``power.prop.test(n = 50, p1 = .5,
       power = .9)`` gives p2 = 0.8026.

    Examples
    --------
    >>> round(proportion_mde(0.5, 50, power=0.9), 4)
    0.3026
    """
    _choice("direction", direction, ("increase", "decrease"))
    _choice("alternative", alternative, _ALTERNATIVES)
    p_c, _, alpha_, ratio_ = _prop_inputs(p_control, 0.5, alpha, ratio, method, continuity)
    n = as_array("n_control", n_control, low=0.0, low_inclusive=False)
    target = _power_target(power)
    deff = _deff(design_effect)
    p_c, n, alpha_, ratio_, target, deff = broadcast(
        p_control=p_c, n_control=n, alpha=alpha_, ratio=ratio_, power=target, design_effect=deff
    )
    n_eff = n / deff
    room = (1.0 - p_c) if direction == "increase" else p_c
    sign = 1.0 if direction == "increase" else -1.0

    def gap(frac: Array) -> Array:
        p_t = p_c + sign * frac * room
        pw = _prop_power_kernel(p_c, p_t, n_eff, ratio_, alpha_, alternative, method, continuity)
        return pw - target

    edge = np.full_like(p_c, 1.0 - 1e-12)
    reachable = gap(edge) >= 0.0
    frac = _bisect(gap, np.zeros_like(p_c), edge)
    out = np.where(reachable, sign * frac * room, np.nan)
    scalar = _is_scalar(p_control, n_control, alpha, power, ratio, design_effect)
    return scalar_or_array(out, scalar)


# ---------------------------------------------------------------------------------------------
# design: duration
# ---------------------------------------------------------------------------------------------


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
    design_effect: float = 1.0,
    pilot_days: int = PILOT_DAYS,
) -> pd.DataFrame:
    """Sample size and duration for AHT, FCR and CSAT in one table, for one region.

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
        FCR change to detect: a 5-point drop, the guardrail (a planning assumption, not a seed
        figure).
    csat_control : float, default 0.80
        Control CSAT (share satisfied); seed 001 benchmark CSAT ≥ 80 %.
    csat_change : float, default 0.05
        CSAT change to detect; seed 000 reports 5–10 point CSAT gains in pilots (lower end used).
    csat_response_rate : float, default 1.0
        Share of contacts that return a CSAT survey. Set it: real response rates are far below 1.
    alpha, power, ratio, design_effect
        As in :func:`aht_sample_size`.
    pilot_days : int, default 90
        Pilot length (seed 000).

    Returns
    -------
    pandas.DataFrame
        One row per metric (``aht``, ``fcr``, ``csat``) with columns ``metric``, ``baseline``,
        ``expected``, ``test``, ``n_control``, ``n_treatment`` (observations), ``contacts_needed``
        (both arms, contacts), ``weeks`` (rounded up) and ``fits_pilot``.

    Notes
    -----
    AHT: Welch t (:func:`aht_sample_size`, ``cv`` form); FCR and CSAT: pooled two-proportion z test
    (:func:`proportion_sample_size`). CSAT observations are survey responses, so its contacts are
    ``responses / csat_response_rate``.

    References
    ----------
    .. [1] Seed 000 (pilot length, AHT and CSAT effects) and seed 001 (FCR and CSAT benchmarks).

    Examples
    --------
    >>> t = design_pilot(360.0, 2000.0, csat_response_rate=0.2).set_index("metric")
    >>> t["n_control"].tolist(), t["weeks"].tolist()
    ([207.0, 1377.0, 906.0], [1.0, 2.0, 5.0])
    """
    n_aht = aht_sample_size(
        baseline_aht_s,
        aht_change,
        cv=cv,
        alpha=alpha,
        power=power,
        ratio=ratio,
        design_effect=design_effect,
    )
    n_fcr = proportion_sample_size(
        fcr_control,
        fcr_control + fcr_change,
        alpha=alpha,
        power=power,
        ratio=ratio,
        design_effect=design_effect,
    )
    n_csat = proportion_sample_size(
        csat_control,
        csat_control + csat_change,
        alpha=alpha,
        power=power,
        ratio=ratio,
        design_effect=design_effect,
    )
    as_array("csat_response_rate", csat_response_rate, low=0.0, low_inclusive=False, high=1.0)
    as_array("pilot_days", pilot_days, low=1.0, integer=True)
    rows = [
        ("aht", baseline_aht_s, baseline_aht_s * (1.0 + aht_change), "Welch t", n_aht, 1.0),
        ("fcr", fcr_control, fcr_control + fcr_change, "two-proportion z", n_fcr, 1.0),
        (
            "csat",
            csat_control,
            csat_control + csat_change,
            "two-proportion z",
            n_csat,
            csat_response_rate,
        ),
    ]
    records = []
    for metric, base, expected, test, n_c, share in rows:
        n_t = math.ceil(ratio * n_c - 1e-9) if math.isfinite(n_c) else math.inf
        weeks = pilot_weeks(n_c, weekly_contacts, ratio=ratio, eligible_share=share)
        weeks_up = math.ceil(weeks - 1e-9) if math.isfinite(weeks) else math.inf
        records.append(
            {
                "metric": metric,
                "baseline": float(base),
                "expected": float(expected),
                "test": test,
                "n_control": float(n_c),
                "n_treatment": float(n_t),
                "contacts_needed": float(math.ceil((n_c + n_t) / share - 1e-9))
                if math.isfinite(n_c)
                else math.inf,
                "weeks": float(weeks_up),
                "fits_pilot": bool(weeks_up * 7 <= pilot_days),
            }
        )
    return pd.DataFrame.from_records(records)


# ---------------------------------------------------------------------------------------------
# readout
# ---------------------------------------------------------------------------------------------


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
    >>> df = synthetic_pilot(400, seed=7)
    >>> r = readout(df)
    >>> r.decision in ("scale up", "extend", "stop")
    True
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


# ---------------------------------------------------------------------------------------------
# synthetic demo data
# ---------------------------------------------------------------------------------------------


def synthetic_pilot(
    n_per_arm: int = 1500,
    *,
    seed: int = 25,
    regions: Sequence[str] = ("north", "south"),
    days: int = PILOT_DAYS,
    baseline_aht_s: float = 360.0,
    aht_change: float = -0.22,
    aht_cv: float = 0.8,
    fcr_control: float = 0.72,
    fcr_change: float = 0.01,
    csat_control: float = 0.80,
    csat_change: float = 0.02,
    csat_response_rate: float = 0.30,
    cost_per_handle_hour: float = 28.0 * 1.30 / 0.85,
    fixed_cost_per_contact: float = 2.50,
    tooling_cost_per_contact: float = 0.15,
) -> pd.DataFrame:
    """Generate a deterministic synthetic standard-vs-staccato pilot, one row per contact.

    Parameters
    ----------
    n_per_arm : int, default 1500
        Contacts per arm, split evenly over ``regions`` (remainder to the first).
    seed : int, default 25
        Seed for :func:`numpy.random.default_rng`; the same arguments give the same frame.
    regions : sequence of str, default ("north", "south")
        Pilot regions (seed 000: 2 regions).
    days : int, default 90
        Pilot length; each contact gets a uniform day 1..days (seed 000: 90 days).
    baseline_aht_s : float, default 360
        Control mean handle time: 6 minutes, the seed 001 worked example.
    aht_change : float, default -0.22
        Treatment change in mean handle time; seed 000 expects 20–35 % lower (ROI example −25 %).
    aht_cv : float, default 0.8
        Coefficient of variation of handle time in both arms (lognormal, right-skewed).
    fcr_control, fcr_change : float, default 0.72, +0.01
        Control FCR (seed 000: 65–85 %; seed 001: ≥ 70 %) and the treatment change (flat).
    csat_control, csat_change : float, default 0.80, +0.02
        Control share satisfied (seed 001: ≥ 80 %) and the treatment change.
    csat_response_rate : float, default 0.30
        Share of contacts with a survey response (assumption; the rest have a missing ``csat``).
    cost_per_handle_hour : float, default 28 × 1.30 / 0.85 ≈ 42.8
        Loaded agent cost per handled hour: $28/h wage (seed 000), 30 % overhead (seed 001:
        25–40 %), 85 % occupancy (seed 001).
    fixed_cost_per_contact : float, default 2.50
        Non-agent cost per contact (supervision, technology, facilities): about 37 % of the control
        cost, in line with an agent share of 55–65 % (domain notes).
    tooling_cost_per_contact : float, default 0.15
        Extra staccato tooling per contact: seed 000's $15k–120k/yr over its 1,200 contacts/day.

    Returns
    -------
    pandas.DataFrame
        Columns ``contact_id`` (int), ``region`` (str), ``day`` (int), ``group`` (``"control"`` =
        standard agents, ``"treatment"`` = staccato agents), ``handle_time_s`` (int seconds >= 1),
        ``resolved_first_contact`` (bool), ``csat`` (nullable Int64 score 1–5) and ``cost`` (money,
        2 decimals), sorted by day then contact id.

    Notes
    -----
    Handle time is lognormal with ``σ² = ln(1 + cv²)``, ``μ = ln(mean) − σ²/2``, rounded to whole
    seconds. FCR is Bernoulli. A responder is satisfied with the arm's CSAT probability; satisfied
    scores are 4 or 5 (45 % / 55 %), dissatisfied 1, 2 or 3 (20 % / 30 % / 50 %). Cost is
    ``handle_time_s/3600 · cost_per_handle_hour + fixed_cost_per_contact``, plus tooling in the
    treatment arm. With the defaults the cost per contact falls about 12 %, inside the seed 000
    target band.

    References
    ----------
    .. [1] Seeds 000 and 001 as cited per parameter.

    Examples
    --------
    >>> df = synthetic_pilot(100, seed=1)
    >>> df.shape
    (200, 8)
    >>> sorted(df.group.unique())
    ['control', 'treatment']
    """
    as_array("n_per_arm", n_per_arm, low=len(regions) if regions else 1, integer=True)
    as_array("days", days, low=1.0, integer=True)
    as_array("baseline_aht_s", baseline_aht_s, low=0.0, low_inclusive=False)
    as_array("aht_change", aht_change, low=-1.0, low_inclusive=False)
    as_array("aht_cv", aht_cv, low=0.0, low_inclusive=False)
    for name, p in (
        ("fcr_control", fcr_control),
        ("fcr_control + fcr_change", fcr_control + fcr_change),
        ("csat_control", csat_control),
        ("csat_control + csat_change", csat_control + csat_change),
        ("csat_response_rate", csat_response_rate),
    ):
        as_array(name, p, low=0.0, high=1.0)
    for name, v in (
        ("cost_per_handle_hour", cost_per_handle_hour),
        ("fixed_cost_per_contact", fixed_cost_per_contact),
        ("tooling_cost_per_contact", tooling_cost_per_contact),
    ):
        as_array(name, v, low=0.0)
    if not regions or len(set(regions)) != len(regions):
        raise InputError("regions must be a non-empty sequence of distinct names")

    rng = np.random.default_rng(seed)
    n = int(n_per_arm)
    k = len(regions)
    per_region = np.full(k, n // k)
    per_region[0] += n - per_region.sum()
    region_idx = np.repeat(np.arange(k), per_region)
    arm = np.repeat([0, 1], n)  # 0 = control, 1 = treatment
    region_all = np.concatenate([region_idx, region_idx])
    total = 2 * n

    mean = baseline_aht_s * np.where(arm == 1, 1.0 + aht_change, 1.0)
    sigma2 = math.log1p(aht_cv**2)
    mu = np.log(mean) - sigma2 / 2.0
    handle = np.maximum(1.0, np.rint(rng.lognormal(mu, math.sqrt(sigma2))))
    fcr_p = np.where(arm == 1, fcr_control + fcr_change, fcr_control)
    resolved = rng.random(total) < fcr_p
    responded = rng.random(total) < csat_response_rate
    sat_p = np.where(arm == 1, csat_control + csat_change, csat_control)
    satisfied = rng.random(total) < sat_p
    high = rng.choice(np.array([4, 5]), size=total, p=[0.45, 0.55])
    low = rng.choice(np.array([1, 2, 3]), size=total, p=[0.2, 0.3, 0.5])
    score = np.where(satisfied, high, low)
    day = rng.integers(1, int(days) + 1, size=total)
    cost = (
        handle / 3600.0 * cost_per_handle_hour
        + fixed_cost_per_contact
        + np.where(arm == 1, tooling_cost_per_contact, 0.0)
    )
    frame = pd.DataFrame(
        {
            "region": np.asarray(list(regions), dtype=object)[region_all],
            "day": day.astype(np.int64),
            "group": np.where(arm == 1, "treatment", "control").astype(object),
            "handle_time_s": handle.astype(np.int64),
            "resolved_first_contact": resolved,
            "csat": pd.array(np.where(responded, score, 0), dtype="Int64"),
            "cost": np.round(cost, 2),
        }
    )
    frame.loc[~responded, "csat"] = pd.NA
    frame = frame.sort_values(["day", "group", "region"], kind="stable").reset_index(drop=True)
    frame.insert(0, "contact_id", np.arange(1, total + 1, dtype=np.int64))
    return frame


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
