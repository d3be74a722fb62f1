"""Tests for cxplan.economics.risk.

Reference values: distribution moments from their closed forms (Beta and triangular mean and
variance, written out here), scipy.stats for distribution shape, hand arithmetic for tornado.
Sampling tolerances are justified from the standard error at the chosen n.
"""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxplan.economics import finance as fin
from cxplan.economics import risk
from cxplan.economics.risk import Fixed, Pert, Triangular, Uniform
from cxplan.errors import InputError

N_LARGE = 200_000

# --------------------------------------------------------------------------------------------
# distributions
# --------------------------------------------------------------------------------------------


def _pert_moments(low: float, mode: float, high: float, lam: float) -> tuple[float, float]:
    # modified PERT (domain-notes; R mc2d::rpert): Beta(a, b) on [low, high],
    # a = 1 + lam (mode - low)/(high - low), b = 1 + lam (high - mode)/(high - low);
    # Beta mean a/(a+b), variance ab / ((a+b)^2 (a+b+1))
    a = 1 + lam * (mode - low) / (high - low)
    b = 1 + lam * (high - mode) / (high - low)
    mean = low + (high - low) * a / (a + b)
    sd = (high - low) * math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    return mean, sd


@pytest.mark.parametrize(
    ("low", "mode", "high"),
    [(0.0, 0.5, 1.0), (10.0, 12.0, 30.0), (-5.0, -4.9, 0.0), (100.0, 100.0, 200.0)],
)
def test_pert_sample_mean_is_three_point_estimate(low: float, mode: float, high: float) -> None:
    d = Pert(low, mode, high)
    # the classic PERT mean (low + 4 mode + high) / 6 (Malcolm et al. 1959)
    classic = (low + 4 * mode + high) / 6
    assert d.mean == pytest.approx(classic, rel=1e-14)
    mean, sd = _pert_moments(low, mode, high, 4.0)
    assert mean == pytest.approx(classic, rel=1e-12)  # the Beta mean agrees with the formula
    x = d.sample(np.random.default_rng(11), N_LARGE)
    assert x.shape == (N_LARGE,)
    assert x.min() >= low and x.max() <= high
    # standard error sd / sqrt(n); 5 SE two-sided has a false-alarm rate below 1e-6
    assert abs(x.mean() - classic) < 5 * sd / math.sqrt(N_LARGE)
    assert x.std() == pytest.approx(sd, rel=0.02)  # SE of sd ~ sd/sqrt(2n) = 0.16 %


def test_pert_lambda_and_shape_against_scipy_beta() -> None:
    d = Pert(2.0, 3.0, 10.0, lam=2.0)
    # mc2d docs: mean = (min + shape*mode + max) / (shape + 2)
    assert d.mean == pytest.approx((2 + 2 * 3 + 10) / 4)
    assert d.alpha == pytest.approx(1 + 2 * (3 - 2) / 8)
    assert d.beta == pytest.approx(1 + 2 * (10 - 3) / 8)
    x = d.sample(np.random.default_rng(5), 20_000)
    ref = stats.beta(d.alpha, d.beta, loc=2.0, scale=8.0)
    assert stats.kstest(x, ref.cdf).pvalue > 1e-3


def test_triangular_mean_and_shape() -> None:
    a, c, b = 1.0, 2.0, 7.0  # low, mode, high
    d = Triangular(a, c, b)
    assert d.mean == pytest.approx((a + b + c) / 3)
    # variance of the triangular distribution: (a^2 + b^2 + c^2 - ab - ac - bc) / 18
    sd = math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18)
    x = d.sample(np.random.default_rng(3), N_LARGE)
    assert abs(x.mean() - (a + b + c) / 3) < 5 * sd / math.sqrt(N_LARGE)
    ref = stats.triang((c - a) / (b - a), loc=a, scale=b - a)
    assert stats.kstest(x[:20_000], ref.cdf).pvalue > 1e-3


def test_uniform_and_fixed() -> None:
    u = Uniform(2.0, 4.0)
    x = u.sample(np.random.default_rng(0), N_LARGE)
    assert u.mean == 3.0
    assert abs(x.mean() - 3.0) < 5 * (2 / math.sqrt(12)) / math.sqrt(N_LARGE)
    f = Fixed(7.25)
    assert (f.low, f.mean, f.high) == (7.25, 7.25, 7.25)
    np.testing.assert_array_equal(f.sample(np.random.default_rng(0), 3), [7.25] * 3)


@pytest.mark.parametrize(
    "dist", [Pert(4.5, 4.5, 4.5), Triangular(4.5, 4.5, 4.5), Uniform(4.5, 4.5), Fixed(4.5)]
)
def test_degenerate_distributions_are_constants(dist: Any) -> None:
    x = dist.sample(np.random.default_rng(1), 1000)
    assert not np.isnan(x).any()
    np.testing.assert_array_equal(x, np.full(1000, 4.5))
    assert dist.mean == 4.5


def test_distributions_are_frozen_and_match_protocol() -> None:
    d = Pert(1, 2, 3)
    assert isinstance(d, risk.Distribution)
    assert isinstance(Fixed(1.0), risk.Distribution)
    with pytest.raises(AttributeError):
        d.low = 0.0  # type: ignore[misc]


# --------------------------------------------------------------------------------------------
# Monte Carlo
# --------------------------------------------------------------------------------------------


def _initiative_model(
    upfront: np.ndarray, monthly_benefit: np.ndarray, monthly_cost: np.ndarray, rate: np.ndarray
) -> dict[str, np.ndarray]:
    """A small TEI-like model: 36 monthly flows per draw, through the finance API."""
    months = 36
    flows = np.repeat((monthly_benefit - monthly_cost)[:, None], months + 1, axis=1)
    flows[:, 0] = -upfront
    r_m = fin.monthly_rate(rate)
    return {
        "npv": fin.npv(r_m, flows),
        "payback_months": fin.payback_period(flows),
        "roi": fin.roi(
            np.repeat(monthly_benefit[:, None], months, axis=1),
            np.concatenate(
                [upfront[:, None], np.repeat(monthly_cost[:, None], months - 1, axis=1)], axis=1
            ),
        ),
    }


def test_degenerate_inputs_give_the_deterministic_result_exactly() -> None:
    inputs = {
        "upfront": Pert(50_000, 50_000, 50_000),
        "monthly_benefit": Triangular(9_000, 9_000, 9_000),
        "monthly_cost": Uniform(2_500, 2_500),
        "rate": 0.10,
    }
    res = risk.monte_carlo(_initiative_model, inputs, 500, seed=3)
    one = _initiative_model(
        np.array([50_000.0]), np.array([9_000.0]), np.array([2_500.0]), np.array([0.10])
    )
    for name, value in one.items():
        np.testing.assert_array_equal(res.outputs[name].to_numpy(), np.full(500, value[0]))
    # and that value is the hand-checked one: payback 50,000 / 6,500 months
    assert res.outputs["payback_months"].iloc[0] == pytest.approx(50_000 / 6_500)
    s = res.summary().loc["npv"]
    assert s["p10"] == s["p90"] == one["npv"][0]
    assert s["std"] <= 1e-12 * abs(s["mean"])  # rounding of the mean only


def test_same_seed_identical_and_inputs_independent_of_each_other() -> None:
    inputs: dict[str, Any] = {
        "upfront": Pert(40_000, 50_000, 80_000),
        "monthly_benefit": Triangular(6_000, 9_000, 11_000),
        "monthly_cost": Uniform(2_000, 3_000),
        "rate": Pert(0.08, 0.10, 0.14),
    }
    a = risk.monte_carlo(_initiative_model, inputs, 2_000, seed=42)
    b = risk.monte_carlo(_initiative_model, dict(reversed(list(inputs.items()))), 2_000, seed=42)
    pd.testing.assert_frame_equal(a.draws, b.draws)
    pd.testing.assert_frame_equal(a.outputs, b.outputs)
    c = risk.monte_carlo(_initiative_model, inputs, 2_000, seed=43)
    assert not np.array_equal(a.draws["upfront"], c.draws["upfront"])
    # adding an input does not reshuffle the others (per-name seed streams)
    d = risk.sample_inputs({**inputs, "aaa_new": Pert(0, 1, 2)}, 2_000, seed=42)
    for name in inputs:
        np.testing.assert_array_equal(d[name], a.draws[name].to_numpy())


def test_model_called_once_with_full_arrays() -> None:
    calls: list[tuple[int, ...]] = []

    def model(x: np.ndarray, y: np.ndarray) -> pd.DataFrame:
        calls.append(x.shape)
        assert y.shape == x.shape
        return pd.DataFrame({"s": x + y, "c": 1.0})

    res = risk.monte_carlo(model, {"x": Pert(0, 1, 2), "y": 3.0}, 1_234, seed=0, outputs=["s"])
    assert calls == [(1_234,)]
    assert list(res.outputs.columns) == ["s"]
    assert res.n_draws == 1_234
    np.testing.assert_array_equal(res.outputs["s"], res.draws["x"] + 3.0)


def test_summary_percentiles_and_definition() -> None:
    res = risk.monte_carlo(
        lambda v: {"v": v, "w": np.where(v > 0.8, np.nan, v)},
        {"v": Uniform(0, 1)},
        10_001,
        seed=9,
    )
    v = res.outputs["v"].to_numpy()
    s = res.summary()
    assert list(s.columns) == ["mean", "std", "p10", "p50", "p90", "nan_share"]
    # numpy's default ('linear') percentile is the reference
    assert s.loc["v", "p10"] == pytest.approx(np.percentile(v, 10), rel=1e-12)
    assert s.loc["v", "p90"] == pytest.approx(np.percentile(v, 90), rel=1e-12)
    assert s.loc["v", "std"] == pytest.approx(np.std(v, ddof=1), rel=1e-12)
    # the definition travels with the table: p10 is exceeded by 90 % of draws
    assert "90 % of draws exceed" in s.attrs["definition"]
    assert np.mean(v > s.loc["v", "p10"]) == pytest.approx(0.9, abs=1e-3)
    w = res.outputs["w"].to_numpy()
    assert s.loc["w", "nan_share"] == pytest.approx(np.isnan(w).mean())
    assert s.loc["w", "p50"] == pytest.approx(np.nanpercentile(w, 50), rel=1e-12)
    p = res.percentiles([5, 50, 95], columns=["w"])
    assert list(p.columns) == ["p5", "p50", "p95"]
    # NaN ranked high ("never"): p95 falls among the ~20 % NaN draws
    ph = res.percentiles([50, 95], columns=["w"], nan_policy="high")
    assert ph.loc["w", "p50"] == pytest.approx(np.percentile(np.nan_to_num(w, nan=9.0), 50))
    assert math.isnan(ph.loc["w", "p95"])


def test_probability_counts_nan_as_not_met() -> None:
    payback = np.array([3.0, 6.0, 12.0, np.nan, np.nan, 24.0, 5.0, 13.0])
    res = risk.monte_carlo(
        lambda k: {"payback_months": payback[k.astype(int)]}, {"k": np.arange(8.0)}, 8, seed=0
    )
    # hand count: <= 12 months -> 3, 6, 12, 5 = 4 of 8 draws (the two "never" count as not)
    assert res.probability("payback_months", 12) == 0.5
    assert res.probability("payback_months", 12, side="<") == 3 / 8
    assert res.probability("payback_months", 12, side=">") == 2 / 8
    assert res.probability("payback_months", lambda x: ~(x > 12)) == 0.5  # NaN still not met


def test_histogram_frame_is_chart_ready() -> None:
    res = risk.monte_carlo(
        lambda v: {"v": np.where(v > 0.95, np.nan, v)}, {"v": Uniform(0, 1)}, 5_000, seed=2
    )
    h = res.histogram("v", bins=20)
    assert list(h.columns) == ["bin_start", "bin_end", "count", "share"]
    v = res.outputs["v"].to_numpy()
    finite = v[np.isfinite(v)]
    counts, edges = np.histogram(finite, bins=20)
    np.testing.assert_array_equal(h["count"], counts)
    np.testing.assert_allclose(h["bin_start"], edges[:-1])
    assert h["count"].sum() + h.attrs["n_excluded"] == 5_000
    assert h["share"].sum() == pytest.approx(1 - np.isnan(v).mean())
    spec = alt.Chart(h).mark_bar().encode(x="bin_start:Q", x2="bin_end:Q", y="count:Q").to_dict()
    assert spec["mark"]["type"] == "bar"
    h2 = res.histogram("v", bins=[0.0, 0.5, 1.0])
    assert h2["count"].tolist() == [np.sum(finite < 0.5), np.sum(finite >= 0.5)]


# --------------------------------------------------------------------------------------------
# tornado
# --------------------------------------------------------------------------------------------


def test_tornado_linear_model_one_call() -> None:
    calls: list[int] = []

    def model(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> dict[str, np.ndarray]:
        calls.append(a.size)
        return {"y": 2 * a + 3 * b - c}

    base = {"a": 1.0, "b": 1.0, "c": 1.0}
    ranges = {"a": (0.0, 2.0), "b": Pert(0.5, 1.0, 1.5), "c": (-10.0, 10.0)}
    t = risk.tornado(model, base, ranges, output="y")
    assert calls == [7]  # 2k + 1 scenarios in one call
    assert list(t.columns) == [
        "input",
        "low_value",
        "high_value",
        "output_low",
        "output_high",
        "swing",
        "base_output",
    ]
    # hand: base y = 2 + 3 - 1 = 4; c -10 / +10: 2 + 3 + 10 = 15 / 2 + 3 - 10 = -5 (swing 20);
    # a 0 / 2: 0 + 3 - 1 = 2 / 4 + 3 - 1 = 6 (swing 4); b 0.5 / 1.5: 2.5 / 5.5 (swing 3)
    assert t["input"].tolist() == ["c", "a", "b"]
    np.testing.assert_allclose(t["swing"], [20.0, 4.0, 3.0])
    np.testing.assert_allclose(t["output_low"], [15.0, 2.0, 2.5])
    np.testing.assert_allclose(t["output_high"], [-5.0, 6.0, 5.5])
    np.testing.assert_allclose(t["base_output"], 4.0)
    assert t.loc[t["input"] == "b", ["low_value", "high_value"]].values.tolist() == [[0.5, 1.5]]


def test_tornado_with_finance_model_and_nan_swings_last() -> None:
    def model(upfront: np.ndarray, benefit: np.ndarray) -> dict[str, np.ndarray]:
        flows = np.stack([-upfront, benefit, benefit, benefit], axis=1)
        return {"payback": fin.payback_period(flows), "npv": fin.npv(0.1, flows)}

    t = risk.tornado(
        model,
        {"upfront": 100.0, "benefit": 50.0},
        {"benefit": (10.0, 60.0), "upfront": (90.0, 110.0)},
        output="payback",
    )
    # benefit 10 never pays back in 3 years -> NaN swing, sorted last
    assert t["input"].tolist() == ["upfront", "benefit"]
    assert math.isnan(t.loc[1, "swing"])
    # hand: upfront 90 -> 1 + 40/50 = 1.8; 110 -> 2 + 10/50 = 2.2
    np.testing.assert_allclose(t.loc[0, ["output_low", "output_high"]].to_numpy(float), [1.8, 2.2])


# --------------------------------------------------------------------------------------------
# bad input
# --------------------------------------------------------------------------------------------


def _model_xy(x: np.ndarray) -> dict[str, np.ndarray]:
    return {"y": x}


BAD_CALLS = [
    (lambda: Pert(3, 2, 4), "Pert.mode must be >= Pert.low"),
    (lambda: Pert(5, 6, 4), "Pert.low must be <= Pert.high"),
    (lambda: Pert(1, 5, 4), "Pert.mode must be <= Pert.high"),
    (lambda: Pert(1, 2, 3, lam=0), "Pert.lam must be > 0"),
    (lambda: Pert(np.nan, 2, 3), "Pert.low must be finite"),
    (lambda: Pert("a", 2, 3), "Pert.low must be a number"),  # type: ignore[arg-type]
    (lambda: Triangular(3, 2, 1), "Triangular.low must be <= Triangular.high"),
    (lambda: Triangular(0, 2, np.inf), "Triangular.high must be finite"),
    (lambda: Uniform(3, 2), "Uniform.low must be <= Uniform.high"),
    (lambda: Fixed(np.nan), "Fixed.value must be finite"),
    (lambda: Pert(0, 1, 2).sample(np.random.default_rng(0), -1), "n must be"),
    (lambda: Pert(0, 1, 2).sample(0, 5), "rng must be a numpy.random.Generator"),  # type: ignore[arg-type]
    (lambda: risk.monte_carlo(_model_xy, {"x": 1.0}, 0, seed=1), "n_draws must be"),
    (lambda: risk.monte_carlo(_model_xy, {"x": 1.0}, 10, seed=-1), "seed must be"),
    (lambda: risk.monte_carlo(_model_xy, {"x": np.nan}, 10, seed=1), r"inputs\['x'\] must not"),
    (lambda: risk.monte_carlo(_model_xy, {"x": [1.0, 2.0]}, 10, seed=1), r"inputs\['x'\]"),
    (lambda: risk.monte_carlo(lambda x: x, {"x": 1.0}, 10, seed=1), "must return a mapping"),
    (lambda: risk.monte_carlo(lambda x: {"y": x[:3]}, {"x": 1.0}, 10, seed=1), "shape"),
    (lambda: risk.monte_carlo(_model_xy, {"x": 1.0}, 10, seed=1, outputs=["z"]), "'z' not found"),
    (lambda: risk.tornado(_model_xy, {"x": 1.0}, {}, output="y"), "ranges must map"),
    (lambda: risk.tornado(_model_xy, {"x": 1.0}, {"q": (0, 1)}, output="y"), "no base value"),
    (lambda: risk.tornado(_model_xy, {"x": 1.0}, {"x": (2, 1)}, output="y"), "low <= high"),
    (lambda: risk.tornado(_model_xy, {"x": Pert(0, 1, 2)}, {"x": (0, 2)}, output="y"), "base"),
    (lambda: risk.tornado(_model_xy, {"x": 1.0}, {"x": 5}, output="y"), "pair"),
]


@pytest.mark.parametrize(("call", "message"), BAD_CALLS)
def test_bad_input_raises_input_error_naming_field(call: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        call()


def test_result_lookups_reject_unknown_names() -> None:
    res = risk.monte_carlo(_model_xy, {"x": Uniform(0, 1)}, 100, seed=1)
    with pytest.raises(InputError, match="'nope' not found"):
        res.probability("nope", 1.0)
    with pytest.raises(InputError, match="side must be"):
        res.probability("y", 1.0, side="==")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="q must be <= 100"):
        res.percentiles([150])
    with pytest.raises(InputError, match="bins must be >= 1"):
        res.histogram("y", bins=0)


def test_array_and_series_inputs_are_used_as_given() -> None:
    # pre-correlated draws passed as data (a Series has a .sample method: not a distribution)
    base = np.linspace(1.0, 2.0, 50)
    res = risk.monte_carlo(
        lambda a, b: {"ratio": b / a},
        {"a": base, "b": pd.Series(2.0 * base)},
        50,
        seed=0,
    )
    np.testing.assert_array_equal(res.draws["a"], base)
    np.testing.assert_allclose(res.outputs["ratio"], 2.0)


# -------------------------------------------------------------------------- correlated inputs


def test_correlate_keeps_marginals_and_reaches_the_target_rank_correlation() -> None:
    from scipy.stats import spearmanr

    from cxplan.economics.risk import Pert, correlate, sample_inputs

    inputs = {"a": Pert(0, 1, 5), "b": Pert(10, 20, 25), "c": Pert(0, 0.5, 1)}
    draws = sample_inputs(inputs, 20_000, 3)
    out = correlate(draws, {("a", "b"): 0.6, ("b", "c"): -0.4}, seed=3)
    for name in "abc":
        np.testing.assert_array_equal(np.sort(out[name]), np.sort(draws[name]))
    assert spearmanr(out["a"], out["b"]).statistic == pytest.approx(0.6, abs=0.02)
    assert spearmanr(out["b"], out["c"]).statistic == pytest.approx(-0.4, abs=0.02)
    assert abs(spearmanr(out["a"], out["c"]).statistic) < 0.02  # a pair not given stays at 0
    again = correlate(draws, {("a", "b"): 0.6, ("b", "c"): -0.4}, seed=3)
    np.testing.assert_array_equal(again["a"], out["a"])


@pytest.mark.parametrize(
    ("pairs", "match"),
    [
        ({("a", "z"): 0.5}, "unknown input 'z'"),
        ({("a", "b"): 1.0}, "must be < 1"),
        ({("a", "a"): 0.5}, "itself"),
        ({("a", "b"): 0.9, ("b", "c"): 0.9, ("a", "c"): -0.9}, "not positive definite"),
    ],
)
def test_correlate_bad_input(pairs, match) -> None:
    from cxplan.economics.risk import correlate

    draws = {k: np.arange(10.0) for k in "abc"}
    with pytest.raises(InputError, match=match):
        correlate(draws, pairs, seed=0)
