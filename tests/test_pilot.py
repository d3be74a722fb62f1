"""Tests for cxplan.plan.pilot_design (sample size, power, MDE, duration) and pilot_readout.

The demo data generator, ``params/pilot/make_demo_pilot.py``, is tested here too.

Reference values come from published outputs (R ``power.t.test`` / ``power.prop.test``, Zar's
Biostatistical Analysis, JMP's documentation, Cohen's tables, Agresti's textbook, a published
two-proportion worked example), from scipy called directly in the test, from hand arithmetic
written here, and from seeded simulations.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis_support import scaled
from scipy import stats

from cxplan.errors import InputError
from cxplan.plan import pilot_design, pilot_power, pilot_readout
from cxplan.plan.pilot_readout import ArmSummary

PILOT_DIR = Path(__file__).resolve().parents[1] / "params" / "pilot"
DEMO_CSV = PILOT_DIR / "demo_pilot.csv"


def _load_demo_script() -> ModuleType:
    """The demo-data generator ``params/pilot/make_demo_pilot.py`` (a script, not a package)."""
    spec = importlib.util.spec_from_file_location(
        "make_demo_pilot", PILOT_DIR / "make_demo_pilot.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_demo_pilot = _load_demo_script()
Z975 = 1.959963984540054  # standard normal 97.5 % quantile (tables: 1.960)
Z80 = 0.8416212335729143  # 80 % quantile (tables: 0.842)
Z90 = 1.2815515655446004  # 90 % quantile (tables: 1.282)


# ---------------------------------------------------------------------------------------------
# design: difference of means
# ---------------------------------------------------------------------------------------------

# R's power.t.test(n, delta, sd) two-sample power, as printed by R. R's default (strict = FALSE)
# leaves out the far rejection tail, which cxplan includes; the difference is < 1e-5 here.
R_T_POWER = [
    # n, delta, sd, power, source
    (
        20,
        1.0,
        1.0,
        0.8689528,
        "R stats::power.t.test docs example: power.t.test(n = 20, delta = 1)",
    ),
    (
        20,
        4.0,
        5.0,
        0.6933994,
        "RPubs 50607 (rstudio-pubs-static): power.t.test(n=20, delta=4, sd=5)",
    ),
    (100, 1.0, 2.5, 0.8036466, "ideone.com L2w5V3B3 R run: power.t.test(n=100, delta=1.0, sd=2.5)"),
]


@pytest.mark.parametrize(("n", "delta", "sd", "expected", "source"), R_T_POWER)
def test_t_power_matches_r(n: int, delta: float, sd: float, expected: float, source: str) -> None:
    # AHT parametrisation: baseline 100 s, relative change delta/100, common SD sd.
    got = pilot_power.aht_power(100.0, delta / 100.0, n, sd_s=sd)
    assert isinstance(got, float)
    assert got == pytest.approx(expected, abs=2e-5), source


R_T_N = [
    # delta, sd, power, alternative, R's continuous n, source
    (
        1.0,
        1.0,
        0.90,
        "two-sided",
        22.02110,
        "R power.t.test docs: power.t.test(power=.90, delta=1)",
    ),
    (1.0, 1.0, 0.90, "one-sided", 17.84713, "R power.t.test docs: same, alternative='one.sided'"),
    (4.0, 5.0, 0.80, "two-sided", 25.52463, "RPubs 50607: power.t.test(power=0.8, delta=4, sd=5)"),
    (0.75, 2.25, 0.90, "two-sided", 190.0991, "UVA StatLab 'pass_in_R' t tests: coffee example"),
]


@pytest.mark.parametrize(("delta", "sd", "power", "alternative", "r_n", "source"), R_T_N)
def test_t_sample_size_matches_r(
    delta: float, sd: float, power: float, alternative: Any, r_n: float, source: str
) -> None:
    kw: dict[str, Any] = {"sd_s": sd, "alternative": alternative}
    n = pilot_power.aht_sample_size(100.0, delta / 100.0, power=power, **kw)
    assert n == math.ceil(r_n), source
    # R's continuous solution sits on the target power.
    assert pilot_power.aht_power(100.0, delta / 100.0, r_n, **kw) == pytest.approx(power, abs=1e-4)


@pytest.mark.parametrize(
    ("d", "n_table"),
    [
        # Cohen (1988), Table 2.4.1, two-sided alpha = .05, power = .80: n per group.
        (0.5, 64),
        (0.8, 26),
        (1.0, 17),
    ],
)
def test_t_sample_size_matches_cohen_table(d: float, n_table: int) -> None:
    assert pilot_power.aht_sample_size(100.0, d / 100.0, sd_s=1.0) == n_table


def _welch_power_scipy(
    delta: float, sd1: float, sd2: float, n1: float, n2: float, alpha: float
) -> float:
    """Reference Welch power written out with scipy's noncentral t (R strict = TRUE form)."""
    a, b = sd1**2 / n1, sd2**2 / n2
    df = (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n2 - 1))
    ncp = abs(delta) / math.sqrt(a + b)
    crit = stats.t.ppf(1 - alpha / 2, df)
    return float(1 - stats.nct.cdf(crit, df, ncp) + stats.nct.cdf(-crit, df, ncp))


@pytest.mark.parametrize(
    ("baseline", "change", "cv", "n", "ratio", "alpha"),
    [
        (360.0, -0.20, 0.8, 150, 1.0, 0.05),
        (420.0, -0.25, 1.0, 90, 2.0, 0.05),
        (300.0, 0.10, 0.6, 500, 0.5, 0.10),
        (600.0, -0.05, 0.7, 4000, 1.0, 0.01),
    ],
)
def test_welch_power_with_cv_matches_scipy(
    baseline: float, change: float, cv: float, n: int, ratio: float, alpha: float
) -> None:
    # With cv the treatment SD is cv × the treatment mean (handle-time spread scales with its mean).
    expected = _welch_power_scipy(
        baseline * change, cv * baseline, cv * baseline * (1 + change), n, ratio * n, alpha
    )
    got = pilot_power.aht_power(baseline, change, n, cv=cv, ratio=ratio, alpha=alpha)
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_z_method_is_the_closed_form() -> None:
    # Hand formula: n = (z_.975 + z_.80)^2 (σc² + σt²/r) / δ², σ = cv × mean, δ = 360 × 0.2.
    sd_c, sd_t, delta, r = 0.8 * 360, 0.8 * 288, 72.0, 1.5
    n_hand = (Z975 + Z80) ** 2 * (sd_c**2 + sd_t**2 / r) / delta**2
    got = pilot_power.aht_sample_size(360.0, -0.2, cv=0.8, ratio=r, method="z")
    assert got == math.ceil(n_hand)


def test_power_simulation_normal_handle_times() -> None:
    """Seeded simulation: Welch rejections on normal data with the planned means and SDs."""
    rng = np.random.default_rng(12345)
    reps, n = 4000, 150
    control = rng.normal(360.0, 0.8 * 360.0, size=(reps, n))
    treatment = rng.normal(288.0, 0.8 * 288.0, size=(reps, n))
    rejected = stats.ttest_ind(treatment, control, axis=1, equal_var=False).pvalue < 0.05
    expected = pilot_power.aht_power(360.0, -0.2, n, cv=0.8)
    se = math.sqrt(expected * (1 - expected) / reps)
    assert abs(rejected.mean() - expected) < 4 * se


def test_power_simulation_lognormal_handle_times() -> None:
    """Right-skewed (lognormal) handle times: the t-based design holds up at pilot sizes.

    Measured with 40,000 replications: simulated 0.680 against 0.664 planned at n = 150, CV 0.8
    (the formula is slightly conservative on skewed data).
    """
    rng = np.random.default_rng(2024)
    reps, n, cv = 4000, 150, 0.8
    s2 = math.log1p(cv**2)
    control = rng.lognormal(math.log(360.0) - s2 / 2, math.sqrt(s2), size=(reps, n))
    treatment = rng.lognormal(math.log(288.0) - s2 / 2, math.sqrt(s2), size=(reps, n))
    rejected = stats.ttest_ind(treatment, control, axis=1, equal_var=False).pvalue < 0.05
    expected = pilot_power.aht_power(360.0, -0.2, n, cv=cv)
    assert -0.01 < rejected.mean() - expected < 0.045


def test_aht_mde_inverts_power() -> None:
    mde = pilot_power.aht_mde(360.0, 250, cv=0.8)
    assert -0.25 < mde < -0.1
    assert pilot_power.aht_power(360.0, mde, 250, cv=0.8) == pytest.approx(0.8, abs=1e-9)
    up = pilot_power.aht_mde(360.0, 250, sd_s=250.0, direction="increase")
    assert up > 0
    assert pilot_power.aht_power(360.0, up, 250, sd_s=250.0) == pytest.approx(0.8, abs=1e-9)


def test_aht_mde_unreachable_is_nan() -> None:
    # With cv the detectable change is bounded: 3 contacts per arm cannot reach 99 % power.
    assert math.isnan(pilot_power.aht_mde(360.0, 3, cv=1.0, power=0.99))


def test_zero_change_needs_infinite_sample() -> None:
    assert pilot_power.aht_sample_size(360.0, 0.0, cv=0.8) == math.inf
    assert pilot_power.proportion_sample_size(0.7, 0.7) == math.inf


def test_design_effect_scales_sample_size() -> None:
    base = pilot_power.aht_sample_size(360.0, -0.2, cv=0.8, method="z")
    inflated = pilot_power.aht_sample_size(360.0, -0.2, cv=0.8, method="z", design_effect=1.5)
    n_hand = (Z975 + Z80) ** 2 * ((0.8 * 360) ** 2 + (0.8 * 288) ** 2) / 72.0**2
    assert base == math.ceil(n_hand)
    assert inflated == math.ceil(1.5 * n_hand)
    # Power at an inflated n equals power at n / design_effect without inflation.
    assert pilot_power.aht_power(360.0, -0.2, 300, cv=0.8, design_effect=1.5) == pytest.approx(
        pilot_power.aht_power(360.0, -0.2, 200, cv=0.8)
    )


def test_vectorized_matches_scalar_calls() -> None:
    changes = np.array([-0.1, -0.2, -0.3])
    cvs = np.array([[0.6], [1.0]])
    grid = pilot_power.aht_sample_size(360.0, changes, cv=cvs)
    assert isinstance(grid, np.ndarray)
    assert grid.shape == (2, 3)
    for i, cv in enumerate(cvs[:, 0]):
        for j, ch in enumerate(changes):
            assert grid[i, j] == pilot_power.aht_sample_size(360.0, float(ch), cv=float(cv))
    powers = pilot_power.proportion_power(0.7, np.array([0.72, 0.75, 0.8]), 1000)
    assert isinstance(powers, np.ndarray)
    assert np.all(np.diff(powers) > 0)


@settings(max_examples=scaled(40), deadline=None)
@given(
    baseline=st.floats(60.0, 1200.0),
    change=st.floats(-0.6, 0.6).filter(lambda c: abs(c) > 0.02),
    cv=st.floats(0.3, 1.5),
    ratio=st.sampled_from([0.5, 1.0, 2.0]),
    alpha=st.sampled_from([0.01, 0.05, 0.1]),
    power=st.floats(0.5, 0.95),
)
def test_aht_sample_size_is_minimal(
    baseline: float, change: float, cv: float, ratio: float, alpha: float, power: float
) -> None:
    n = pilot_power.aht_sample_size(baseline, change, cv=cv, ratio=ratio, alpha=alpha, power=power)
    assert n == math.floor(n)
    kw: dict[str, Any] = {"cv": cv, "ratio": ratio, "alpha": alpha}
    assert pilot_power.aht_power(baseline, change, n, **kw) >= power - 1e-12
    if n - 1 >= max(2.0, 2.0 / ratio):
        assert pilot_power.aht_power(baseline, change, n - 1, **kw) < power


@settings(max_examples=scaled(40), deadline=None)
@given(
    n1=st.integers(3, 5000),
    extra=st.integers(1, 5000),
    change=st.floats(-0.5, 0.5).filter(lambda c: abs(c) > 1e-3),
)
def test_power_increases_with_n(n1: int, extra: int, change: float) -> None:
    p1 = pilot_power.aht_power(360.0, change, n1, cv=0.8)
    p2 = pilot_power.aht_power(360.0, change, n1 + extra, cv=0.8)
    assert 0.0 < p1 <= p2 <= 1.0


# ---------------------------------------------------------------------------------------------
# design: two proportions
# ---------------------------------------------------------------------------------------------


def test_proportion_power_matches_r() -> None:
    # R stats::power.prop.test docs example: power.prop.test(n = 50, p1 = .50, p2 = .75) prints
    # power = 0.7401659 (one-tailed form; the far tail adds ~1e-6).
    assert pilot_power.proportion_power(0.5, 0.75, 50) == pytest.approx(0.7401659, abs=1e-5)


PROP_N = [
    # p_control, p_treatment, power, ratio, continuity, expected n_control, source
    (0.50, 0.75, 0.90, 1.0, False, 77, "R power.prop.test(p1=.5, p2=.75, power=.9): n = 76.7"),
    (0.45, 0.25, 0.90, 1.0, True, 128, "Zar (1999) Example 24.26: n = 127.2343 (via unistat.com)"),
    (0.45, 0.25, 0.90, 3.0, True, 84, "Zar (1999) Example 24.26, n2/n1 = 3: n1 = 83.1527"),
    (0.08, 0.06, 0.80, 1.0, False, 2554, "JMP 13.2 help, Two Sample Proportions: 2554 per group"),
]


@pytest.mark.parametrize(
    ("p_c", "p_t", "power", "ratio", "continuity", "expected", "source"), PROP_N
)
def test_proportion_sample_size_published(
    p_c: float,
    p_t: float,
    power: float,
    ratio: float,
    continuity: bool,
    expected: int,
    source: str,
) -> None:
    got = pilot_power.proportion_sample_size(
        p_c, p_t, power=power, ratio=ratio, continuity=continuity
    )
    assert got == expected, source


def test_proportion_sample_size_hand_formula() -> None:
    # Fleiss pooled formula written out for FCR 70 % → 75 %, 80 % power, two-sided 5 %.
    p1, p2 = 0.70, 0.75
    p_bar = (p1 + p2) / 2
    n = Z975 * math.sqrt(2 * p_bar * (1 - p_bar)) + Z80 * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    n = (n / (p2 - p1)) ** 2
    assert pilot_power.proportion_sample_size(p1, p2) == math.ceil(n)
    # Unpooled (Wald) and Cohen's h (arcsine) forms.
    b = math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    assert pilot_power.proportion_sample_size(p1, p2, method="unpooled") == math.ceil(
        ((Z975 + Z80) * b / (p2 - p1)) ** 2
    )
    h = 2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1))
    assert pilot_power.proportion_sample_size(p1, p2, method="arcsine") == math.ceil(
        2 * (Z975 + Z80) ** 2 / h**2
    )


def test_proportion_mde_matches_r() -> None:
    # R stats::power.prop.test docs example: power.prop.test(n = 50, p1 = .5, power = .90)
    # gives p2 = 0.8026.
    mde = pilot_power.proportion_mde(0.5, 50, power=0.9)
    assert 0.5 + mde == pytest.approx(0.8026, abs=1e-4)
    down = pilot_power.proportion_mde(0.7, 1000, direction="decrease")
    assert down < 0
    assert pilot_power.proportion_power(0.7, 0.7 + down, 1000) == pytest.approx(0.8, abs=1e-9)


def test_proportion_power_simulation() -> None:
    """Seeded simulation of the pooled two-proportion z test, FCR 70 % vs 75 %, n = 600 per arm."""
    rng = np.random.default_rng(99)
    reps, n = 20000, 600
    x_c = rng.binomial(n, 0.70, size=reps)
    x_t = rng.binomial(n, 0.75, size=reps)
    pooled = (x_c + x_t) / (2 * n)
    z = (x_t - x_c) / n / np.sqrt(pooled * (1 - pooled) * 2 / n)
    rejected = np.abs(z) > Z975
    expected = pilot_power.proportion_power(0.70, 0.75, n)
    se = math.sqrt(expected * (1 - expected) / reps)
    assert abs(rejected.mean() - expected) < 4 * se


@settings(max_examples=scaled(50), deadline=None)
@given(
    p_c=st.floats(0.05, 0.95),
    diff=st.floats(-0.3, 0.3).filter(lambda d: abs(d) > 0.01),
    ratio=st.sampled_from([0.5, 1.0, 3.0]),
    method=st.sampled_from(["pooled", "unpooled", "arcsine"]),
    continuity=st.booleans(),
)
def test_proportion_sample_size_reaches_power(
    p_c: float, diff: float, ratio: float, method: str, continuity: bool
) -> None:
    p_t = p_c + diff
    assume(0.01 < p_t < 0.99)
    assume(not (continuity and method == "arcsine"))
    kw: dict[str, Any] = {"ratio": ratio, "method": method, "continuity": continuity}
    n = pilot_power.proportion_sample_size(p_c, p_t, **kw)
    assert pilot_power.proportion_power(p_c, p_t, n, **kw) >= 0.8 - 1e-9
    if n > 1:
        # The closed form ignores the far tail, so n - 1 can only clear 0.8 by that tail's size.
        assert pilot_power.proportion_power(p_c, p_t, n - 1, **kw) < 0.8 + 1e-4


def test_pooled_sample_size_symmetric_in_arms() -> None:
    assert pilot_power.proportion_sample_size(0.7, 0.75) == pilot_power.proportion_sample_size(
        0.75, 0.7
    )


# ---------------------------------------------------------------------------------------------
# design: duration and summary table
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n_c", "volume", "ratio", "share", "weeks"),
    [
        (1000, 2000, 1.0, 1.0, 1.0),  # 2,000 needed, 2,000 a week
        (1000, 2000, 3.0, 1.0, 2.0),  # 1,000 + 3,000 = 4,000
        (500, 1000, 1.0, 0.2, 5.0),  # 1,000 responses at 20 % of 1,000 contacts = 200 a week
    ],
)
def test_pilot_weeks_hand_arithmetic(
    n_c: float, volume: float, ratio: float, share: float, weeks: float
) -> None:
    assert pilot_design.pilot_weeks(
        n_c, volume, ratio=ratio, eligible_share=share
    ) == pytest.approx(weeks)


def test_design_pilot_table_consistent() -> None:
    table = pilot_design.design_pilot(360.0, 1500.0, csat_response_rate=0.25).set_index("metric")
    assert list(table.index) == ["aht", "fcr", "csat"]
    assert table.loc["aht", "n_control"] == pilot_power.aht_sample_size(360.0, -0.2, cv=0.8)
    assert table.loc["fcr", "n_control"] == pilot_power.proportion_sample_size(0.70, 0.65)
    n_csat = pilot_power.proportion_sample_size(0.80, 0.85)
    assert table.loc["csat", "n_control"] == n_csat
    # CSAT contacts: both arms' responses divided by the response rate; weeks rounded up.
    assert table.loc["csat", "contacts_needed"] == math.ceil(2 * n_csat / 0.25)
    assert table.loc["csat", "weeks"] == math.ceil(2 * n_csat / 0.25 / 1500.0)
    assert table["fits_pilot"].tolist() == [w * 7 <= 90 for w in table["weeks"]]


# ---------------------------------------------------------------------------------------------
# design: argument errors
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: pilot_power.aht_sample_size(360.0, -0.2), "sd_s"),
        (lambda: pilot_power.aht_sample_size(360.0, -0.2, sd_s=200.0, cv=0.8), "exactly one"),
        (lambda: pilot_power.aht_sample_size(-1.0, -0.2, cv=0.8), "baseline_aht_s"),
        (lambda: pilot_power.aht_sample_size(360.0, -1.0, cv=0.8), "aht_change"),
        (lambda: pilot_power.aht_sample_size(360.0, -0.2, cv=0.8, alpha=0.0), "alpha"),
        (lambda: pilot_power.aht_sample_size(360.0, -0.2, cv=0.8, power=1.0), "power"),
        (lambda: pilot_power.aht_sample_size(360.0, -0.2, cv=0.8, ratio=0.0), "ratio"),
        (
            lambda: pilot_power.aht_sample_size(360.0, -0.2, cv=0.8, design_effect=0.5),
            "design_effect",
        ),
        (lambda: pilot_power.aht_sample_size(360.0, -0.2, cv=0.8, method="exact"), "method"),  # type: ignore[arg-type]
        (lambda: pilot_power.aht_power(360.0, -0.2, 1, cv=0.8), ">= 2"),
        (lambda: pilot_power.proportion_power(0.0, 0.5, 100), "p_control"),
        (lambda: pilot_power.proportion_power(0.5, 1.0, 100), "p_treatment"),
        (
            lambda: pilot_power.proportion_sample_size(
                0.5, 0.6, method="arcsine", continuity=True
            ),
            "continuity",
        ),
        (lambda: pilot_power.proportion_sample_size(0.5, 0.6, alternative="less"), "alternative"),  # type: ignore[arg-type]
        (lambda: pilot_design.pilot_weeks(100, 0), "weekly_contacts"),
        (lambda: pilot_design.pilot_weeks(100, 1000, eligible_share=1.5), "eligible_share"),
        (lambda: pilot_power.aht_power(360.0, [-0.1, -0.2], [100, 200, 300], cv=0.8), "broadcast"),
    ],
)
def test_design_errors(call: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        call()  # type: ignore[operator]


# ---------------------------------------------------------------------------------------------
# readout
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_pilot() -> pd.DataFrame:
    return make_demo_pilot.synthetic_pilot(400, seed=3)


def test_readout_matches_scipy(small_pilot: pd.DataFrame) -> None:
    df = small_pilot
    ctrl, trt = df[df.group == "control"], df[df.group == "treatment"]
    result = pilot_readout.readout(df)
    aht = result.metric("aht")
    ref = stats.ttest_ind(trt.handle_time_s, ctrl.handle_time_s, equal_var=False)
    assert aht.statistic == pytest.approx(ref.statistic, rel=1e-10)
    assert aht.p_value == pytest.approx(ref.pvalue, rel=1e-8, abs=1e-300)
    ci = ref.confidence_interval(0.95)
    assert (aht.ci_low, aht.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-10)
    mw = stats.mannwhitneyu(trt.handle_time_s, ctrl.handle_time_s)
    assert aht.robust_p_value == pytest.approx(mw.pvalue, rel=1e-12)
    assert aht.relative_change == pytest.approx(
        trt.handle_time_s.mean() / ctrl.handle_time_s.mean() - 1
    )

    cost = result.metric("cost_per_contact")
    ref_cost = stats.ttest_ind(trt.cost, ctrl.cost, equal_var=False)
    assert cost.statistic == pytest.approx(ref_cost.statistic, rel=1e-10)
    assert cost.robust_p_value == pytest.approx(stats.mannwhitneyu(trt.cost, ctrl.cost).pvalue)

    # FCR: two-proportion z by hand.
    x_t, n_t = int(trt.resolved_first_contact.sum()), len(trt)
    x_c, n_c = int(ctrl.resolved_first_contact.sum()), len(ctrl)
    p_pool = (x_t + x_c) / (n_t + n_c)
    z = (x_t / n_t - x_c / n_c) / math.sqrt(p_pool * (1 - p_pool) * (1 / n_t + 1 / n_c))
    fcr = result.metric("fcr")
    assert fcr.test == "two-proportion z"
    assert fcr.statistic == pytest.approx(z, rel=1e-12)
    assert fcr.p_value == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-10)

    # CSAT: share of respondents scoring 4 or 5, non-respondents excluded.
    resp_t, resp_c = trt.csat.dropna(), ctrl.csat.dropna()
    csat = result.metric("csat")
    assert (csat.n_treatment, csat.n_control) == (len(resp_t), len(resp_c))
    assert csat.treatment == pytest.approx((resp_t >= 4).mean())
    assert csat.control == pytest.approx((resp_c >= 4).mean())


def test_two_proportion_textbook_z() -> None:
    """Published worked example (usablestats.com AskStats #866): 118/3303 vs 80/3303.

    Pooled p = .02997, SE = .004196, z = 2.74195, two-sided p = .00611.
    """
    ctrl = ArmSummary(n=3303, aht_mean_s=300.0, aht_sd_s=200.0, fcr_resolved=80, fcr_n=3303)
    trt = ArmSummary(n=3303, aht_mean_s=300.0, aht_sd_s=200.0, fcr_resolved=118, fcr_n=3303)
    fcr = pilot_readout.readout_from_summaries(ctrl, trt).metric("fcr")
    assert fcr.statistic == pytest.approx(2.74195, abs=1e-5)
    assert fcr.p_value == pytest.approx(0.00611, abs=1e-5)
    assert fcr.outcome == "improved"


def test_difference_ci_textbook() -> None:
    """Agresti (2007), An Introduction to Categorical Data Analysis, 2nd ed., §2.2.3.

    Physicians' Health Study: MI in 189/11,034 on placebo and 104/11,037 on aspirin; difference
    0.0171 − 0.0094 = 0.0077 with 95 % Wald CI (0.005, 0.011). Here "treatment" is aspirin, so the
    signs flip.
    """
    placebo = ArmSummary(n=11034, aht_mean_s=1.0, aht_sd_s=1.0, fcr_resolved=189, fcr_n=11034)
    aspirin = ArmSummary(n=11037, aht_mean_s=1.0, aht_sd_s=1.0, fcr_resolved=104, fcr_n=11037)
    m = pilot_readout.readout_from_summaries(placebo, aspirin).metric("fcr")
    assert round(m.control, 4) == 0.0171
    assert round(m.treatment, 4) == 0.0094
    assert round(m.difference, 4) == -0.0077
    assert (round(m.ci_low, 3), round(m.ci_high, 3)) == (-0.011, -0.005)


def test_fisher_exact_for_small_counts() -> None:
    # 1/10 vs 6/10: the smallest expected cell is 10 × 7/20 = 3.5 < 5, so "auto" uses Fisher.
    ctrl = ArmSummary(n=10, aht_mean_s=300.0, aht_sd_s=100.0, fcr_resolved=1, fcr_n=10)
    trt = ArmSummary(n=10, aht_mean_s=250.0, aht_sd_s=100.0, fcr_resolved=6, fcr_n=10)
    m = pilot_readout.readout_from_summaries(ctrl, trt).metric("fcr")
    ref = stats.fisher_exact([[6, 4], [1, 9]])
    assert m.test == "Fisher exact"
    assert m.p_value == pytest.approx(ref.pvalue)
    assert m.statistic == pytest.approx(ref.statistic)
    # Forcing the z test gives the hand-computed z instead.
    z_m = pilot_readout.readout_from_summaries(ctrl, trt, proportion_test="z").metric("fcr")
    pool = 7 / 20
    assert z_m.test == "two-proportion z"
    assert z_m.statistic == pytest.approx(0.5 / math.sqrt(pool * (1 - pool) * 2 / 10))


def test_welch_from_summaries_matches_scipy_from_stats() -> None:
    ctrl = ArmSummary(n=800, aht_mean_s=400.0, aht_sd_s=320.0, cost_mean=7.0, cost_sd=3.0)
    trt = ArmSummary(n=700, aht_mean_s=330.0, aht_sd_s=250.0, cost_mean=6.1, cost_sd=2.5)
    r = pilot_readout.readout_from_summaries(ctrl, trt)
    ref = stats.ttest_ind_from_stats(330.0, 250.0, 700, 400.0, 320.0, 800, equal_var=False)
    assert r.metric("aht").statistic == pytest.approx(ref.statistic)
    assert r.metric("aht").p_value == pytest.approx(ref.pvalue)
    # Relative-change CI by the delta method on the log ratio, written out here.
    a, b = 250.0**2 / 700, 320.0**2 / 800
    df = (a + b) ** 2 / (a**2 / 699 + b**2 / 799)
    q = stats.t.ppf(0.975, df)
    se_log = math.sqrt(a / 330.0**2 + b / 400.0**2)
    aht = r.metric("aht")
    assert aht.rel_ci_low == pytest.approx(330 / 400 * math.exp(-q * se_log) - 1)
    assert aht.rel_ci_high == pytest.approx(330 / 400 * math.exp(q * se_log) - 1)
    assert r.metric("fcr").outcome == "no data"
    assert r.metric("csat").outcome == "no data"


def _arm(
    aht: float, fcr: int | None = None, cost: float | None = None, n: int = 2000
) -> ArmSummary:
    return ArmSummary(
        n=n,
        aht_mean_s=aht,
        aht_sd_s=0.8 * aht,
        fcr_resolved=fcr,
        fcr_n=None if fcr is None else n,
        cost_mean=cost,
        cost_sd=None if cost is None else 0.4 * cost,
    )


DECISIONS = [
    # control, treatment, guardrail margin, decision, case
    (
        _arm(360, 1440, 7.0),
        _arm(280, 1450, 6.0),
        None,
        "scale up",
        "AHT -22 %, cost -14 %, FCR flat",
    ),
    (_arm(360, 1440), _arm(280, 1450), None, "scale up", "no cost data: AHT decides"),
    (
        _arm(360, 1440, 7.0),
        _arm(280, 1300, 6.0),
        None,
        "stop",
        "FCR 72 % -> 65 %: significant harm",
    ),
    (_arm(360, 1440), _arm(380, 1440), None, "stop", "AHT up 5.6 %: significantly worse"),
    (_arm(360, 1440), _arm(355, 1440), None, "extend", "AHT -1.4 %: not significant"),
    (_arm(360, 1440, 7.0), _arm(280, 1440, 6.72), None, "extend", "cost -4 %: short of -10 %"),
    (_arm(360, 1440), _arm(280, 1440), 0.01, "extend", "FCR CI wider than a 1-point margin"),
    (_arm(360, 1440), _arm(280, 1440), 0.05, "scale up", "FCR CI inside a 5-point margin"),
]


@pytest.mark.parametrize(("control", "treatment", "margin", "decision", "case"), DECISIONS)
def test_decision_rules(
    control: ArmSummary, treatment: ArmSummary, margin: float | None, decision: str, case: str
) -> None:
    r = pilot_readout.readout_from_summaries(control, treatment, guardrail_margin=margin)
    assert r.decision == decision, case
    assert r.verdict.endswith(")."), r.verdict
    assert f"→ {decision}" in r.verdict


def test_cost_target_status() -> None:
    # -14 % is inside the seed 000 band (-20 % to -10 %); -25 % is beyond it (still met).
    inside = pilot_readout.readout_from_summaries(_arm(360, cost=7.0), _arm(280, cost=6.02))
    assert inside.cost_target_status == "met"
    assert "within the 10–20 % decrease target" in inside.metric("cost_per_contact").summary
    beyond = pilot_readout.readout_from_summaries(_arm(360, cost=8.0), _arm(280, cost=6.0))
    assert beyond.cost_target_status == "met"
    assert "beyond" in beyond.metric("cost_per_contact").summary
    short = pilot_readout.readout_from_summaries(_arm(360, cost=7.0), _arm(280, cost=6.72))
    assert short.cost_target_status == "not met"
    none = pilot_readout.readout_from_summaries(_arm(360), _arm(280))
    assert none.cost_target_status == "no data"


def test_table_shape(small_pilot: pd.DataFrame) -> None:
    table = pilot_readout.readout(small_pilot).table()
    assert list(table.metric) == ["aht", "fcr", "csat", "cost_per_contact"]
    assert {"difference", "ci_low", "ci_high", "p_value", "outcome", "summary"} <= set(table)
    assert (table.ci_low <= table.difference).all()
    assert (table.difference <= table.ci_high).all()


def test_readout_without_optional_columns() -> None:
    df = pd.DataFrame(
        {
            "group": ["control"] * 3 + ["treatment"] * 3,
            "handle_time_s": [300, 320, 340, 200, 220, 240],
        }
    )
    r = pilot_readout.readout(df)
    assert [m.outcome for m in r.metrics[1:]] == ["no data"] * 3
    ref = stats.ttest_ind([200, 220, 240], [300, 320, 340], equal_var=False)
    assert r.metric("aht").p_value == pytest.approx(ref.pvalue)


def test_csat_as_satisfied_flag() -> None:
    df = pd.DataFrame(
        {
            "group": ["control"] * 4 + ["treatment"] * 4,
            "handle_time_s": [300, 310, 320, 330, 250, 260, 270, 280],
            "csat": [True, False, None, True, True, True, None, True],
        }
    )
    m = pilot_readout.readout(df).metric("csat")
    assert (m.n_control, m.n_treatment) == (3, 3)
    assert m.control == pytest.approx(2 / 3)
    assert m.treatment == 1.0


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda d: d.drop(columns="group"), "'group' column"),
        (lambda d: d.assign(group=d.group.replace("control", "standard")), "control group"),
        (lambda d: d.assign(group=np.where(d.index == 0, "other", d.group)), "only"),
        (lambda d: d.assign(handle_time_s=-d.handle_time_s), "handle_time_s"),
        (lambda d: d.assign(csat=d.csat.fillna(6)), "csat"),
        (lambda d: d.assign(csat=d.csat.astype(float) + 0.5), "csat"),
        (lambda d: d.assign(resolved_first_contact=2), "resolved_first_contact"),
        (lambda d: d.assign(cost=-d.cost), "cost"),
        (lambda d: d.assign(handle_time_s="long"), "handle_time_s"),
    ],
)
def test_readout_input_errors(small_pilot: pd.DataFrame, mutate: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        pilot_readout.readout(mutate(small_pilot.copy()))  # type: ignore[operator]


def test_arm_summary_validation() -> None:
    with pytest.raises(InputError, match="n"):
        ArmSummary(n=1, aht_mean_s=300.0, aht_sd_s=10.0)
    with pytest.raises(InputError, match="fcr_resolved"):
        ArmSummary(n=10, aht_mean_s=300.0, aht_sd_s=10.0, fcr_resolved=11, fcr_n=10)
    with pytest.raises(InputError, match="both"):
        ArmSummary(n=10, aht_mean_s=300.0, aht_sd_s=10.0, csat_n=10)
    with pytest.raises(InputError, match="cost_mean"):
        ArmSummary(n=10, aht_mean_s=300.0, aht_sd_s=10.0, cost_mean=0.0, cost_sd=1.0)


# ---------------------------------------------------------------------------------------------
# synthetic data and the demo file
# ---------------------------------------------------------------------------------------------


def test_synthetic_is_deterministic() -> None:
    a = make_demo_pilot.synthetic_pilot(300, seed=11)
    b = make_demo_pilot.synthetic_pilot(300, seed=11)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(make_demo_pilot.synthetic_pilot(300, seed=12))
    assert (a.groupby("group").size() == 300).all()
    assert set(a.region) == {"north", "south"}
    assert a.day.between(1, 90).all()


def test_synthetic_generating_values_large_sample() -> None:
    """Large-sample check that the generator hits its documented parameters."""
    df = make_demo_pilot.synthetic_pilot(60000, seed=5)
    g = df.groupby("group")
    aht = g.handle_time_s.mean()
    assert aht["control"] == pytest.approx(360.0, rel=0.02)
    assert aht["treatment"] / aht["control"] - 1 == pytest.approx(-0.22, abs=0.015)
    cv = g.handle_time_s.std() / aht
    assert cv["control"] == pytest.approx(0.8, abs=0.05)
    fcr = g.resolved_first_contact.mean()
    assert fcr["control"] == pytest.approx(0.72, abs=0.01)
    assert g.csat.apply(lambda s: s.notna().mean())["control"] == pytest.approx(0.30, abs=0.01)
    # Cost: 360 s at 28 × 1.3 / 0.85 per hour plus 2.50 fixed = 6.78 (hand arithmetic).
    assert g.cost.mean()["control"] == pytest.approx(360 / 3600 * 28 * 1.3 / 0.85 + 2.5, rel=0.02)


def test_demo_csv_is_the_documented_generation(tmp_path: Path) -> None:
    assert DEMO_CSV.stat().st_size < 300_000
    # the script regenerates the committed file byte for byte
    make_demo_pilot.main(["--out", str(tmp_path / "demo.csv")])
    assert (tmp_path / "demo.csv").read_bytes() == DEMO_CSV.read_bytes()
    saved = pd.read_csv(DEMO_CSV, comment="#")
    fresh = make_demo_pilot.synthetic_pilot()
    assert list(saved.columns) == list(fresh.columns)
    assert len(saved) == len(fresh) == 3000
    for col in ("contact_id", "day", "handle_time_s", "cost"):
        np.testing.assert_allclose(saved[col].to_numpy(float), fresh[col].to_numpy(float))
    for col in ("region", "group", "resolved_first_contact"):
        assert saved[col].tolist() == fresh[col].tolist()
    np.testing.assert_array_equal(
        saved.csat.to_numpy(float), fresh.csat.to_numpy(dtype=float, na_value=np.nan)
    )


def test_demo_readout_shows_staccato_effect() -> None:
    r = pilot_readout.readout(pd.read_csv(DEMO_CSV, comment="#"))
    aht = r.metric("aht")
    assert -0.25 <= aht.relative_change <= -0.20
    assert aht.outcome == "improved"
    fcr = r.metric("fcr")
    assert fcr.outcome == "unchanged"
    assert fcr.difference >= 0.0
    assert r.metric("cost_per_contact").relative_change <= pilot_readout.COST_TARGET_CHANGE[1]
    assert r.decision == "scale up"
    assert r.verdict.startswith("AHT fell 22 %")


# ------------------------------------------------------------------ clustering by agent (issue 12)


@pytest.mark.parametrize(
    ("n0", "k", "rho", "expected"),
    [
        (200, 20, 0.0, 200.0),
        (200, 20, 0.05, 200 * 0.95 / (1 - 200 * 0.05 / 20)),  # hand: 380
        (100, 50, 0.10, 100 * 0.90 / (1 - 100 * 0.10 / 50)),  # hand: 112.5
        (500, 20, 0.05, math.inf),  # n0·ρ = 25 ≥ 20 agents
    ],
)
def test_clustered_contacts_by_hand(n0: float, k: float, rho: float, expected: float) -> None:
    assert pilot_design.clustered_contacts(n0, k, rho) == pytest.approx(expected)


def test_clustered_contacts_is_the_fixed_point_of_the_design_effect() -> None:
    # Kish (1965): N = n0 · (1 + (m − 1)ρ) with m = N / k contacts per agent
    n0, k, rho = 350.0, 30.0, 0.04
    n = pilot_design.clustered_contacts(n0, k, rho)
    assert n == pytest.approx(n0 * (1 + (n / k - 1) * rho))


def test_simulated_design_effect_matches_kish() -> None:
    # agents with random effects: var(mean) = σ²/N · (1 + (m − 1)ρ), checked by simulation
    rng = np.random.default_rng(11)
    k, m, rho, reps = 20, 25, 0.05, 4000
    agent = rng.normal(0, math.sqrt(rho), size=(reps, k, 1))
    noise = rng.normal(0, math.sqrt(1 - rho), size=(reps, k, m))
    means = (agent + noise).mean(axis=(1, 2))
    deff = means.var() / (1.0 / (k * m))
    assert deff == pytest.approx(1 + (m - 1) * rho, rel=0.08)


def test_design_pilot_with_agents_and_the_cost_month() -> None:
    plain = pilot_design.design_pilot(360.0, 2000.0, csat_response_rate=0.3).set_index("metric")
    table = pilot_design.design_pilot(
        360.0, 2000.0, csat_response_rate=0.3, agents_per_arm=20, icc=0.05, min_months=3
    ).set_index("metric")
    n0 = pilot_power.aht_sample_size(360.0, -0.2, cv=0.8)
    expected = math.ceil(n0 * 0.95 / (1 - n0 * 0.05 / 20))
    assert table.loc["aht", "n_control"] == expected
    assert table.loc["aht", "design_effect"] == pytest.approx(expected / n0)
    assert (table["n_control"] >= plain["n_control"]).all()
    # seed 000: cost per contact is read in month 3, so never shorter than 90 days
    assert (table["days"] >= 90).all() and (table["days"] >= table["days_statistical"]).all()
    # FCR needs 1,377 independent contacts: 1377 · 0.05 ≥ 20 agents, so no duration suffices
    assert math.isinf(table.loc["fcr", "n_control"])
    assert table.loc["fcr", "min_agents_per_arm"] == math.floor(1377 * 0.05) + 1
    assert not table.loc["fcr", "fits_pilot"]
