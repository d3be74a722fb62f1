"""Forecast and backtest (cxplan.data.models, backtest, forecast, grid): recovery of a known
process, baselines recomputed independently, quantiles against scipy, DST grids."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cxplan.data.backtest import backtest, scores
from cxplan.data.daytypes import Calendar, day_types
from cxplan.data.forecast import forecast_history, parse_duration_minutes
from cxplan.data.grid import to_grid, values_at
from cxplan.data.history import read_history
from cxplan.data.models import intraday_shapes, predict, quantile
from cxplan.errors import DataError, InputError

ROOT = Path(__file__).resolve().parents[1]


def demo_module():
    spec = importlib.util.spec_from_file_location(
        "make_demo_history", ROOT / "params" / "history" / "make_demo_history.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def demo():
    """The demo process (params/history/make_demo_history.py): export and true means."""
    return demo_module().demo_history()


@pytest.fixture(scope="module")
def demo_forecast(demo, tmp_path_factory):
    """Forecast of the week after a cut 6 weeks before the demo's end (truth known there)."""
    export, expected = demo
    cut = pd.Timestamp("2025-11-17")  # a Monday; forecast 2025-11-17 .. 11-23
    path = tmp_path_factory.mktemp("demo") / "cut.csv"
    part = export[export["timestamp"] < cut].copy()
    part["timestamp"] = part["timestamp"].dt.strftime("%Y-%m-%d %H:%M")
    part.to_csv(path, index=False)
    history = read_history(path)
    result = forecast_history(history, horizon_minutes=7 * 1440, country="US")
    return result, export, expected, cut


def test_forecast_recovers_the_known_process(demo_forecast):
    result, export, expected, cut = demo_forecast
    week = (expected["timestamp"] >= cut) & (expected["timestamp"] < cut + pd.Timedelta(days=7))
    for channel, fc in result.channels.items():
        assert fc.index[0] == cut
        truth = expected[week & (expected["channel"] == channel)]["expected"].to_numpy()
        wape_truth = np.abs(fc.mean - truth).sum() / truth.sum()
        # the forecast is within a few percent of the true means (Poisson noise in the history
        # alone makes per-interval estimates imperfect); bias small
        assert wape_truth < 0.06, (channel, wape_truth)
        assert abs(fc.mean.sum() / truth.sum() - 1) < 0.04
        # the 80 % interval covers about 80 % of the realised counts where there is volume
        actual = export[(export["channel"] == channel)].set_index("timestamp")["offered"]
        y = actual.reindex(fc.index).to_numpy(dtype=float)
        frame = fc.frame()
        ok = np.isfinite(y) & ((y > 0) | (fc.mean > 0))
        inside = (y >= frame["lower_80"].to_numpy()) & (y <= frame["upper_80"].to_numpy())
        assert 0.70 <= inside[ok].mean() <= 0.92, (channel, inside[ok].mean())


def test_chosen_model_beats_both_baselines_on_the_demo(demo_forecast):
    result = demo_forecast[0]
    table = result.backtest_table()
    for channel, fc in result.channels.items():
        t = table[table["channel"] == channel].set_index("method")
        chosen = fc.method
        assert chosen in ("daily_regression", "daily_mstl")
        assert t.loc[chosen, "wape"] < t.loc["seasonal_naive", "wape"]
        assert t.loc[chosen, "wape"] < t.loc["four_week_mean", "wape"]
        assert "chosen" in fc.backtest.reason and "beats both baselines" in fc.backtest.reason
        assert 0.7 <= t.loc[chosen, "coverage_80"] <= 0.92


def _poisson_series(weeks=10, seed=3, step=60):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2026-01-05", periods=weeks * 7 * 1440 // step, freq=f"{step}min")
    hours = idx.hour + idx.minute / 60
    lam = np.where((hours >= 8) & (hours < 18), 20.0, 0.0) * np.where(idx.dayofweek < 5, 1, 0.5)
    return pd.Series(rng.poisson(lam).astype(float), index=idx), lam


def test_backtest_baselines_match_an_independent_computation():
    series, _ = _poisson_series()
    grid = to_grid(series, 60)
    weeks = 3
    bt = backtest(grid, Calendar(), weeks=weeks, methods=("seasonal_naive", "four_week_mean"))
    y = series.to_numpy().reshape(-1, 24)  # days x hours
    n = len(y)
    actual, naive, mean4 = [], [], []
    for k in range(weeks, 0, -1):
        start = n - 7 * k
        for d in range(start, start + 7):
            actual.append(y[d])
            naive.append(y[d - 7])
            mean4.append(np.mean([y[d - 7 * j] for j in range(1, 5)], axis=0))
    actual, naive, mean4 = map(np.concatenate, (actual, naive, mean4))
    t = bt.table.set_index("method")
    assert t.loc["seasonal_naive", "wape"] == pytest.approx(
        np.abs(naive - actual).sum() / actual.sum()
    )
    assert t.loc["four_week_mean", "wape"] == pytest.approx(
        np.abs(mean4 - actual).sum() / actual.sum()
    )
    assert t.loc["four_week_mean", "bias"] == pytest.approx((mean4 - actual).sum() / actual.sum())
    assert [o.date().isoformat() for o in bt.origins] == ["2026-02-23", "2026-03-02", "2026-03-09"]
    # no model was offered, so the better baseline is used
    assert bt.chosen == t["wape"].idxmin()
    assert "used: no model could be fitted" in bt.reason


def test_a_model_that_does_not_beat_both_baselines_is_not_used(monkeypatch):
    import cxplan.data.backtest as bt_module

    series, _ = _poisson_series(weeks=9)
    grid = to_grid(series, 60)
    real = bt_module.predict

    def worse(method, train, dates, calendar):
        fc = real(method, train, dates, calendar)
        if method == "daily_regression":  # sabotage the model: 40 % too high
            return type(fc)(fc.dates, fc.mean * 1.4, fc.var)
        return fc

    monkeypatch.setattr(bt_module, "predict", worse)
    bt = backtest(
        grid, Calendar(), weeks=4, methods=("daily_regression", "seasonal_naive", "four_week_mean")
    )
    assert bt.chosen in ("seasonal_naive", "four_week_mean")
    assert "did not beat both baselines" in bt.reason


def test_short_history_is_refused_and_backtest_shrinks():
    series, _ = _poisson_series(weeks=4)
    with pytest.raises(DataError, match="at least 5"):
        backtest(to_grid(series, 60), Calendar())
    series, _ = _poisson_series(weeks=6)
    assert len(backtest(to_grid(series, 60), Calendar(), weeks=8).origins) == 2


def test_scores_by_hand():
    s = scores(
        np.array([10.0, np.nan, 0.0, 40.0]),
        np.array([12.0, 5.0, 0.0, 30.0]),
        np.array([8.0, 0.0, 0.0, 32.0]),
        np.array([14.0, 9.0, 0.0, 38.0]),
    )
    # |2| + |10| over 50; bias (2 - 10)/50; coverage 1 of the 2 open intervals (closed 0/0 skipped)
    assert s == {"wape": 12 / 50, "bias": -8 / 50, "coverage_80": 0.5, "intervals": 3}


def test_quantiles_match_scipy():
    mu = np.array([0.0, 4.0, 50.0, 50.0])
    var = np.array([0.0, 4.0, 50.0, 200.0])
    q = quantile(mu, var, 0.9)
    # Poisson where var <= mean; negative binomial n = mu^2/(var-mu), p = mu/var otherwise
    nb = stats.nbinom.ppf(0.9, 50.0**2 / 150.0, 50.0 / 200.0)
    assert q.tolist() == [0.0, stats.poisson.ppf(0.9, 4.0), stats.poisson.ppf(0.9, 50.0), nb]
    with pytest.raises(InputError):
        quantile(mu, var, 1.0)


@settings(max_examples=30, deadline=None)
@given(
    mu=st.floats(0.0, 500.0),
    extra=st.floats(0.0, 2000.0),
    q1=st.floats(0.01, 0.98),
    dq=st.floats(0.0, 0.5),
)
def test_quantiles_are_monotone_in_q(mu, extra, q1, dq):
    q2 = min(q1 + dq, 0.99)
    lo = quantile([mu], [mu + extra], q1)[0]
    hi = quantile([mu], [mu + extra], q2)[0]
    assert 0.0 <= lo <= hi


def test_intraday_shapes_sum_to_one_and_follow_the_data():
    series, _ = _poisson_series(weeks=8)
    shapes = intraday_shapes(to_grid(series, 60), Calendar())
    np.testing.assert_allclose(shapes.sum(axis=1), 1.0)
    assert np.all(shapes[:, :8] == 0) and np.all(shapes[:, 18:] == 0)
    # open hours get about 1/10 each (the process is flat over 08-18)
    np.testing.assert_allclose(shapes[:7, 8:18], 0.1, atol=0.03)


def test_grid_handles_dst_both_ways():
    idx = pd.date_range("2026-10-24 22:00", "2026-10-26 02:00", freq="30min", tz="Europe/London")
    series = pd.Series(1.0, index=idx)
    g = to_grid(series, 30)
    day = list(g.dates).index(pd.Timestamp("2026-10-25"))
    assert g.values[day].sum() == 50  # 25 hours of 30-minute intervals, repeated hour summed
    assert g.values[day, 2] == 2.0
    back = values_at(idx, g.dates, g.values, 30)
    np.testing.assert_array_equal(back, 1.0)  # the repeated hour's cell split equally
    idx = pd.date_range("2026-03-28 22:00", "2026-03-30 02:00", freq="30min", tz="Europe/London")
    g = to_grid(pd.Series(1.0, index=idx), 30)
    day = list(g.dates).index(pd.Timestamp("2026-03-29"))
    assert g.values[day].sum() == 46 and g.values[day, 2] == 0.0  # skipped hour is 0, not missing


def test_holidays_and_day_types():
    cal = Calendar("US", event_days=["2026-11-27"])
    dates = pd.DatetimeIndex(["2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"])
    assert cal.day_types(dates).tolist() == ["holiday", "weekday", "saturday", "sunday"]
    assert cal.events(dates).tolist() == [False, True, False, False]
    assert day_types(dates).tolist() == ["weekday", "weekday", "saturday", "sunday"]
    with pytest.raises(InputError, match="not known"):
        Calendar("XX")


def test_holiday_effect_is_learnt():
    # Closed on public holidays: the daily model forecasts (almost) nothing on one.
    rng = np.random.default_rng(5)
    idx = pd.date_range("2025-01-06", "2026-06-28 23:00", freq="60min")
    cal = Calendar("US")
    hol = cal.holidays(idx.normalize())
    lam = np.where((idx.hour >= 8) & (idx.hour < 18) & ~hol, 30.0, 0.0)
    grid = to_grid(pd.Series(rng.poisson(lam).astype(float), index=idx), 60)
    dates = pd.date_range("2026-06-29", periods=7, freq="D")  # includes 2026-07-03 (observed)
    fc = predict("daily_regression", grid, dates, cal)
    totals = fc.mean.sum(axis=1)
    assert totals[4] < 0.1 * totals[0]
    np.testing.assert_allclose(totals[[0, 1, 2, 3]], 300.0, rtol=0.08)


def test_level_shift_is_followed():
    rng = np.random.default_rng(8)
    idx = pd.date_range("2025-06-02", periods=26 * 7 * 24, freq="60min")
    level = np.where(idx < pd.Timestamp("2025-11-10"), 20.0, 30.0)  # +50 % step 4 weeks before end
    lam = np.where((idx.hour >= 8) & (idx.hour < 18), level, 0.0)
    grid = to_grid(pd.Series(rng.poisson(lam).astype(float), index=idx), 60)
    dates = pd.date_range(grid.dates[-1] + pd.Timedelta(days=1), periods=7, freq="D")
    fc = predict("daily_regression", grid, dates, Calendar())
    np.testing.assert_allclose(fc.mean.sum(axis=1), 300.0, rtol=0.08)


def test_duration_parsing():
    assert parse_duration_minutes("26W", "horizon") == 26 * 7 * 1440
    assert parse_duration_minutes("1h", "interval") == 60
    for bad in ("soon", "-1D", "90s"):
        with pytest.raises(InputError):
            parse_duration_minutes(bad, "horizon")
