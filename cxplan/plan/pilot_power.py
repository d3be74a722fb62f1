"""Power maths for the standard-vs-staccato A/B pilot: sample sizes, power and MDE.

The seeds call for a 90-day pilot in two regions and a 90-day A/B test of standard against
new-model ("staccato") agent groups, measured on CSAT, FCR, AHT and cost per contact (seed 000).
Before the pilot: how many contacts per arm does it take to detect a given change, and how many
weeks is that at a region's volume? :func:`aht_sample_size`, :func:`aht_power`, :func:`aht_mde` for
handle time (a difference of means, Welch t or normal approximation, SD given directly or as a
coefficient of variation); :func:`proportion_sample_size`, :func:`proportion_power`,
:func:`proportion_mde` for FCR and CSAT (two proportions). Duration, clustering by agent
and the design table: :mod:`cxplan.plan.pilot_design`; after the pilot:
:mod:`cxplan.plan.pilot_readout`.

Conventions: durations in seconds, shares and changes as fractions (``-0.2`` = 20 % lower). The
functions broadcast like numpy ufuncs and return Python floats for scalar input. ``ratio`` is always
``n_treatment / n_control`` and every ``n`` argument or result is the control-arm count (the
convention of R's ``power.prop.test`` with unequal groups and of statsmodels' ``nobs1``/``ratio``).

Independence caveat: the tests treat contacts as independent. When whole agent groups are
assigned to an arm, contacts handled by the same agent are correlated; inflate the design by the
design effect ``1 + (m − 1)·ICC`` (``design_effect`` argument; ``m`` contacts per agent, ``ICC``
the intra-agent correlation).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import stats

from cxplan._validation import as_array, broadcast, scalar_or_array
from cxplan.errors import InputError

__all__ = [
    "aht_mde",
    "aht_power",
    "aht_sample_size",
    "proportion_mde",
    "proportion_power",
    "proportion_sample_size",
]

Array = npt.NDArray[np.float64]
Alternative = Literal["two-sided", "one-sided"]
MeansMethod = Literal["t", "z"]
ProportionMethod = Literal["pooled", "unpooled", "arcsine"]


_ALTERNATIVES = ("two-sided", "one-sided")
_MEANS_METHODS = ("t", "z")
_PROPORTION_METHODS = ("pooled", "unpooled", "arcsine")
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
