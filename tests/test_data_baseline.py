"""Measured baseline (cxplan.data.baseline): figures recomputed independently with plain pandas,
quality checks, and the queueing model's service level against the measured one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxplan.data.baseline import estimate_patience, measure_baseline, predicted_sl
from cxplan.data.history import read_history
from cxplan.workforce import queueing


def make_history(tmp_path, seed=4, weeks=10, patience=150.0, aht=240.0, agents_offset=0):
    """Voice queue simulated from Erlang A (the model's own assumptions) with staffed agents."""
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2026-01-05", periods=weeks * 7 * 96, freq="15min")
    open_ = (idx.hour >= 8) & (idx.hour < 18) & (idx.dayofweek < 6)
    lam = np.where(open_, 40.0, 0.0)
    offered = rng.poisson(lam)
    traffic = lam * aht / 900.0
    agents = np.where(open_, queueing.required_agents(traffic, aht, 20, 0.8) + agents_offset, 0)
    real = offered * aht / 900.0
    pab = np.where(agents > 0, queueing.abandonment(real, agents, aht, patience), 0.0)
    sl = np.where(agents > 0, queueing.service_level(real, agents, aht, 20, patience,
                                                     definition="answered"), 0.0)  # fmt: skip
    abandoned = rng.binomial(offered, pab)
    handled = offered - abandoned
    within = rng.binomial(handled, sl)
    frame = pd.DataFrame(
        {
            "Interval Start": idx.strftime("%Y-%m-%d %H:%M"),
            "Offered": offered,
            "Handled": handled,
            "Abandoned": abandoned,
            "Answered within 20 s": within,
            "AHT": np.where(handled > 0, str(aht), ""),
            "Agents Staffed": agents,
        }
    )
    frame.loc[1000, "Offered"] = 400  # an outlier interval (a Wednesday 10:00)
    path = tmp_path / "voice.csv"
    frame.to_csv(path, index=False)
    return read_history(path), frame


def test_weekly_daily_and_profile_match_plain_pandas(tmp_path):
    history, frame = make_history(tmp_path)
    b = measure_baseline(history, country="US")
    assert b.answer_threshold_s == 20.0  # read from the header
    ts = pd.to_datetime(frame["Interval Start"])
    raw = frame.assign(ts=ts, week=ts.dt.to_period("W-SUN").dt.start_time)
    weekly = raw.groupby("week")[["Offered", "Handled", "Abandoned", "Answered within 20 s"]].sum()
    np.testing.assert_array_equal(b.weekly["offered"], weekly["Offered"])
    np.testing.assert_array_equal(b.weekly["handled"], weekly["Handled"])
    np.testing.assert_allclose(
        b.weekly["service_level"], weekly["Answered within 20 s"] / weekly["Offered"]
    )
    np.testing.assert_allclose(
        b.weekly["abandonment_rate"], weekly["Abandoned"] / weekly["Offered"]
    )
    assert (b.weekly["aht_s"] == 240.0).all() and (b.weekly["days"] == 7).all()
    daily = raw.groupby(ts.dt.normalize())["Offered"].sum()
    np.testing.assert_array_equal(b.daily["offered"], daily.to_numpy())
    # profile: mean offered at 10:00 on weekdays that are not holidays
    weekday = (ts.dt.dayofweek < 5) & ~ts.dt.normalize().isin(
        pd.to_datetime(["2026-01-19", "2026-02-16"])
    )
    at10 = raw[weekday & (ts.dt.strftime("%H:%M") == "10:00")]["Offered"].mean()
    got = b.profile.query("day_type == 'weekday' and interval_start == '10:00'")["offered_mean"]
    assert float(got.iloc[0]) == pytest.approx(at10)
    shares = b.profile.groupby("day_type")["share_of_day"].sum()
    np.testing.assert_allclose(shares[["weekday", "saturday"]], 1.0)


def test_quality_checks_find_holidays_outliers_and_no_gaps(tmp_path):
    history, _ = make_history(tmp_path)
    q = measure_baseline(history, country="US").quality.set_index("check")
    assert q.loc["holidays", "count"] == 2  # MLK day and Presidents' day 2026
    assert q.loc["holidays", "detail"] == "2026-01-19, 2026-02-16"
    assert q.loc["gaps", "count"] == 0
    assert q.loc["outlier_intervals", "count"] >= 1
    assert q.loc["zero_days", "count"] == 0  # Sundays are closed every week: not unexpected


def test_queueing_model_explains_a_client_that_follows_it(tmp_path):
    history, _ = make_history(tmp_path)
    fit = measure_baseline(history).fits["all"]
    assert fit.model == "Erlang A"
    # the patience (150 s) is recovered within the grid's resolution (about 18 % per step)
    assert fit.patience_s == pytest.approx(150.0, rel=0.3)
    assert abs(fit.bias) < 0.02 and fit.mean_abs_error < 0.08
    assert "explains the measured service level" in fit.sentence


def test_sl_comparison_matches_direct_queueing(tmp_path):
    history, _ = make_history(tmp_path, weeks=6)
    b = measure_baseline(history)
    row = b.sl_comparison.iloc[50]
    traffic = row["offered"] * row["aht_s"] / 900.0
    direct = queueing.service_level(traffic, int(row["agents"]), row["aht_s"], 20.0)
    assert row["sl_erlang_c"] == pytest.approx(direct)
    assert row["sl_error"] == pytest.approx(row["sl_erlang_a"] - row["sl_measured"])


def test_fractional_agents_interpolate():
    a = np.array([10.0])
    mid = predicted_sl(a, np.array([11.5]), np.array([180.0]), 20.0)[0]
    lo = queueing.service_level(10.0, 11, 180.0, 20.0)
    hi = queueing.service_level(10.0, 12, 180.0, 20.0)
    assert mid == pytest.approx((lo + hi) / 2)


def test_no_abandonment_means_no_patience():
    n = np.full(100, 12.0)
    a = np.full(100, 10.0)
    assert estimate_patience(a, n, np.full(100, 180.0), np.zeros(100), np.ones(100)) is None


def test_history_without_staffing_has_no_comparison(tmp_path):
    path = tmp_path / "h.csv"
    idx = pd.date_range("2026-01-05", periods=14 * 96, freq="15min")
    pd.DataFrame({"timestamp": idx.strftime("%Y-%m-%d %H:%M"), "offered": 3}).to_csv(
        path, index=False
    )
    b = measure_baseline(read_history(path))
    assert b.fits == {} and b.sl_comparison.empty
    assert list(b.weekly.columns) == ["channel", "week_start", "days", "offered"]
