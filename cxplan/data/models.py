"""Forecasting methods on a day grid: two daily-total models with intraday shapes, two baselines.

Every method maps a training :class:`~cxplan.data.grid.DayGrid` and future dates to a mean and
a variance per cell (day × interval of day):

``daily_regression``
    cxplan's own model. Daily totals on a log scale ``log(1 + total)`` are fitted by robust
    (Huber, iteratively reweighted) least squares on: a linear trend, day of week, annual
    seasonality (4 Fourier pairs, with at least 52 weeks of complete days), public holidays and
    client event days; recent days weigh more (half-life 1 year). The last 2 weeks' median
    residual shifts the level (a level shift in the data is followed within days). Totals are
    spread over the day with an intraday shape per day type (:func:`intraday_shapes`).
``daily_mstl``
    The library candidate: statsforecast's MSTL (weekly season, plus yearly with ≥ 2 years)
    with an AutoETS trend on ``log(1 + total)``, holidays and event days replaced by the same
    weekday's value before fitting and scaled by their measured ratio after; same shapes.
    An interval-level MSTL (daily and weekly seasons of 96 and 672 periods at 15 minutes) was
    measured at 6-10 s per fit on 10 weeks, too slow for a rolling backtest on two cores, and
    cannot model holidays or day-type shapes; the daily-total + shape structure is what
    contact-centre planners use and what won on our synthetic and demo data.
``seasonal_naive``
    The same interval on the latest same weekday of the history (last week for a one-week
    horizon; an earlier week where that one is missing).
``four_week_mean``
    The WFM standard: the mean of the same weekday and interval over the last four weeks.

Variance: for every method, squared in-sample one-step errors of the last 8 weeks are fitted as
``a·μ + b·μ²`` (non-negative least squares; Poisson-like noise plus a multiplicative day-level
error), and quantiles come from the negative binomial with that mean and variance (Poisson
where the variance does not exceed the mean), so intervals are whole contact counts and a plan
can staff to any quantile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import optimize, stats

from cxplan.data.daytypes import Calendar
from cxplan.data.grid import DayGrid
from cxplan.errors import InputError

__all__ = [
    "BASELINES",
    "METHODS",
    "METHOD_LABELS",
    "GridForecast",
    "fit_variance",
    "intraday_shapes",
    "predict",
    "quantile",
]

FloatArray = npt.NDArray[np.float64]

#: Candidate models (chosen by backtest) followed by the two baselines.
METHODS: tuple[str, ...] = ("daily_regression", "daily_mstl", "seasonal_naive", "four_week_mean")
#: The baselines every model must beat.
BASELINES: tuple[str, ...] = ("seasonal_naive", "four_week_mean")
#: Human names for reports.
METHOD_LABELS: dict[str, str] = {
    "daily_regression": "daily regression + intraday shapes",
    "daily_mstl": "statsforecast MSTL/AutoETS daily + intraday shapes",
    "seasonal_naive": "seasonal naive (same interval last week)",
    "four_week_mean": "4-week mean (same weekday and interval)",
}

_SHAPE_WEEKS = 8  # recent weeks the intraday shapes are estimated from
_ERROR_DAYS = 56  # in-sample days the variance model is fitted on
_HALF_LIFE_DAYS = 365.0
_LEVEL_DAYS = 14
_FOURIER = 4


@dataclass(frozen=True)
class GridForecast:
    """Mean and variance per future day and interval of day (contacts)."""

    dates: pd.DatetimeIndex
    mean: FloatArray
    var: FloatArray


# ------------------------------------------------------------------------------- shared pieces


def quantile(mean: npt.ArrayLike, var: npt.ArrayLike, q: float) -> FloatArray:
    """Quantile ``q`` of the count distribution with the given mean and variance.

    Negative binomial with ``n = μ²/(σ² − μ)``, ``p = μ/σ²`` where ``σ² > μ``; Poisson
    otherwise; 0 where ``μ = 0``.

    Examples
    --------
    >>> quantile([10.0], [10.0], 0.9).tolist()  # Poisson(10)
    [14.0]
    """
    if not 0.0 < q < 1.0:
        raise InputError(f"quantile must be in (0, 1) (got {q})")
    mu = np.maximum(np.asarray(mean, dtype=float), 0.0)
    v = np.maximum(np.asarray(var, dtype=float), 0.0)
    over = v > mu * (1.0 + 1e-9)
    out = np.zeros(np.broadcast(mu, v).shape)
    safe_v = np.where(over, v, 1.0)
    n = np.where(over, mu**2 / np.where(over, safe_v - mu, 1.0), 1.0)
    p = np.where(over, mu / safe_v, 0.5)
    nb = stats.nbinom.ppf(q, np.maximum(n, 1e-12), np.clip(p, 1e-12, 1.0))
    po = stats.poisson.ppf(q, mu)
    out = np.where(mu > 0, np.where(over, nb, po), 0.0)
    return np.asarray(out, dtype=float)


def fit_variance(mean: FloatArray, actual: FloatArray) -> tuple[float, float]:
    """Fit ``error² ≈ a·μ + b·μ²`` (``a, b ≥ 0``) on finite cells; returns ``(a, b)``."""
    ok = np.isfinite(mean) & np.isfinite(actual) & (mean > 0)
    if ok.sum() < 10:
        return 1.0, 0.0
    mu, err2 = mean[ok], (actual[ok] - mean[ok]) ** 2
    scale = np.array([mu.mean(), (mu**2).mean()])
    coef, _ = optimize.nnls(np.column_stack([mu, mu**2]) / scale, err2)
    a, b = coef / scale
    return float(a), float(b)


def _variance(mean: FloatArray, ab: tuple[float, float]) -> FloatArray:
    return np.asarray(ab[0] * mean + ab[1] * mean**2, dtype=float)


def _recent(grid: DayGrid, days: int) -> tuple[pd.DatetimeIndex, FloatArray]:
    return grid.dates[-days:], grid.values[-days:]


def _day_class(dates: pd.DatetimeIndex, calendar: Calendar) -> npt.NDArray[np.int64]:
    """0-4 Monday-Friday, 5 Saturday, 6 Sunday, 7 holiday."""
    out = np.asarray(dates.dayofweek, dtype=np.int64)
    return np.where(calendar.holidays(dates), 7, out)


def intraday_shapes(grid: DayGrid, calendar: Calendar, weeks: int = _SHAPE_WEEKS) -> FloatArray:
    """Share of a day's volume per interval of day, by day class (Mon-Fri, Sat, Sun, holiday).

    Each day with volume is normalised to sum 1; per class and interval the shares of the last
    ``weeks`` weeks (more, up to 26, until the class has about 100 contacts per interval of the
    day) are averaged after trimming the top and bottom 20 % (robust to an odd day,
    yet unbiased for sparse night intervals where a median would be 0). Monday to Friday each
    blend their own shape with the pooled weekday shape by how much they differ beyond noise
    (:func:`_shrink`), holidays use all
    holidays in the history (falling back to Sunday's shape), and a class with no data falls back
    to the pooled weekday shape, then to a flat day.

    Returns
    -------
    numpy.ndarray
        Shape ``(8, slots)``; rows sum to 1.
    """
    slots = grid.slots
    cls = _day_class(grid.dates, calendar)
    totals = grid.totals
    usable = grid.complete & (totals > 0)
    # Recent weeks only (shapes drift), but at least about 100 contacts per interval of the day
    # in each class, looking back up to 26 weeks, so that a sparse class (a quiet Sunday) is not
    # shaped by noise.
    age = np.asarray((grid.dates[-1] - grid.dates).days) if len(grid.dates) else np.zeros(0)
    recent = np.zeros(len(grid.dates), dtype=bool)
    for c in range(7):
        members = np.flatnonzero(usable & (cls == c) & (age < 7 * 26))[::-1]  # newest first
        if members.size == 0:
            continue
        enough = np.cumsum(totals[members]) >= 100.0 * slots
        take = int(np.argmax(enough)) + 1 if enough.any() else members.size
        in_window = int((age[members] < 7 * weeks).sum())
        recent[members[: max(take, in_window)]] = True
    shares = np.divide(
        grid.values, totals[:, None], where=usable[:, None], out=np.zeros_like(grid.values)
    )

    def pooled(mask: npt.NDArray[np.bool_]) -> tuple[FloatArray | None, int]:
        n = int(mask.sum())
        if n == 0:
            return None, 0
        rows = np.sort(shares[mask], axis=0)
        cut = int(0.2 * n)  # trim 20 % each side (scipy.stats.trim_mean's rule, vectorised)
        return np.asarray(rows[cut : n - cut].mean(axis=0), dtype=float), n

    flat = np.full(slots, 1.0 / slots)
    weekday, _ = pooled(usable & recent & (cls <= 4))
    if weekday is None:
        weekday, _ = pooled(usable & (cls <= 4))
    base = weekday if weekday is not None else flat
    out = np.empty((8, slots))
    for c in range(7):
        mask = usable & recent & (cls == c)
        own, _ = pooled(mask)
        if own is None:
            mask = usable & (cls == c)
            own, _ = pooled(mask)
        if own is None:
            out[c] = base
        elif c <= 4:
            out[c] = _shrink(grid.values[mask].sum(axis=0), base)
        else:
            out[c] = own
    hol, _ = pooled(usable & (cls == 7))
    out[7] = hol if hol is not None else out[6]
    sums = out.sum(axis=1, keepdims=True)
    return np.asarray(np.where(sums > 0, out / np.where(sums > 0, sums, 1.0), flat), dtype=float)


def _shrink(counts: FloatArray, base: FloatArray) -> FloatArray:
    """Blend a weekday's own shape with the pooled weekday shape, by how much it differs.

    With ``E = base · total`` the counts expected from the pooled shape, the dispersion
    ``D = mean((counts − E)² / E)`` is about 1 when the day only differs by Poisson noise; the
    own shape gets weight ``max(0, 1 − 1/D)`` (James-Stein-style shrinkage), so a Monday with a
    genuinely different profile keeps it and a noisy one is pooled.
    """
    total = counts.sum()
    expected = base * total
    ok = expected > 0
    if total <= 0 or not ok.any():
        return base
    dispersion = float(np.mean((counts[ok] - expected[ok]) ** 2 / expected[ok]))
    weight = max(0.0, 1.0 - 1.0 / dispersion) if dispersion > 0 else 0.0
    return np.asarray(weight * counts / total + (1.0 - weight) * base, dtype=float)


def _spread(
    totals: FloatArray, dates: pd.DatetimeIndex, shapes: FloatArray, calendar: Calendar
) -> FloatArray:
    cls = _day_class(dates, calendar)
    return np.asarray(totals[:, None] * shapes[cls], dtype=float)


# ------------------------------------------------------------------------------ daily regression


def _design(
    dates: pd.DatetimeIndex, t0: pd.Timestamp, calendar: Calendar, annual: bool
) -> FloatArray:
    t = np.asarray((dates - t0).days, dtype=float) / 365.25
    dow = np.asarray(dates.dayofweek)
    cols = [np.ones(len(dates)), t]
    cols += [(dow == k).astype(float) for k in range(1, 7)]
    if annual:
        doy = 2.0 * np.pi * np.asarray(dates.dayofyear, dtype=float) / 365.25
        for k in range(1, _FOURIER + 1):
            cols += [np.sin(k * doy), np.cos(k * doy)]
    cols += [calendar.holidays(dates).astype(float), calendar.events(dates).astype(float)]
    return np.column_stack(cols)


def _robust_fit(x: FloatArray, y: FloatArray, w: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Huber IRLS (c = 1.345 robust σ); returns coefficients and final robustness weights."""
    robust = np.ones_like(y)
    beta: FloatArray = np.zeros(x.shape[1])
    for _ in range(8):
        ww = w * robust
        gram = (x * ww[:, None]).T @ x
        # a tiny ridge keeps a column without data (no holiday in the window) at 0
        gram[np.diag_indices_from(gram)] += 1e-9 * np.trace(gram) / len(gram) + 1e-12
        beta = np.asarray(np.linalg.solve(gram, (x * ww[:, None]).T @ y), dtype=float)
        r = y - x @ beta
        sigma = 1.4826 * np.median(np.abs(r - np.median(r))) + 1e-9
        u = np.abs(r) / (1.345 * sigma)
        robust = np.where(u <= 1.0, 1.0, 1.0 / np.maximum(u, 1e-12))
    return beta, robust


def _daily_regression(
    grid: DayGrid, dates: pd.DatetimeIndex, calendar: Calendar
) -> tuple[FloatArray, FloatArray]:
    """Daily totals for ``dates`` and the in-sample fitted totals of the training days."""
    ok = grid.complete
    train_dates = grid.dates[ok]
    if len(train_dates) < 14:
        raise InputError("daily_regression needs at least 2 weeks of complete days")
    y = np.log1p(grid.totals[ok])
    t0 = grid.dates[-1]
    annual = (train_dates[-1] - train_dates[0]).days >= 364 and len(train_dates) >= 300
    x = _design(train_dates, t0, calendar, annual)
    age = np.asarray((t0 - train_dates).days, dtype=float)
    beta, robust = _robust_fit(x, y, 0.5 ** (age / _HALF_LIFE_DAYS))
    resid = y - x @ beta
    plain = ~(calendar.holidays(train_dates) | calendar.events(train_dates))
    last = plain & (age < _LEVEL_DAYS)
    level = float(np.median(resid[last])) if last.sum() >= 5 else 0.0
    # retransformation (smearing) factor of the log model, from the inliers' spread
    inlier = robust >= 0.5
    spread = resid[inlier] - np.median(resid[inlier]) if inlier.any() else np.zeros(1)
    smear = min(max(float(np.mean(np.exp(spread))), 1.0), 1.1)

    def total(d: pd.DatetimeIndex) -> FloatArray:
        log_total = _design(d, t0, calendar, annual) @ beta + level
        return np.asarray(np.maximum(np.expm1(log_total) * smear, 0.0), dtype=float)

    fitted = np.full(len(grid.dates), np.nan)
    fitted[ok] = total(train_dates)
    return total(dates), fitted


# ---------------------------------------------------------------------------------- daily MSTL


def _same_weekday_fill(values: FloatArray, bad: npt.NDArray[np.bool_]) -> FloatArray:
    out = values.copy()
    for i in np.flatnonzero(bad):
        for k in (7, 14, 21, 28, -7, -14):
            j = i - k
            if 0 <= j < len(out) and not bad[j]:
                out[i] = out[j]
                break
        else:
            out[i] = np.nanmedian(out[~bad]) if (~bad).any() else 0.0
    return out


def _holiday_ratio(totals: FloatArray, special: npt.NDArray[np.bool_], filled: FloatArray) -> float:
    ok = special & np.isfinite(totals) & (filled > 0)
    if ok.sum() == 0:
        return 1.0
    return float(np.median(totals[ok] / filled[ok]))


def _daily_mstl(
    grid: DayGrid, dates: pd.DatetimeIndex, calendar: Calendar
) -> tuple[FloatArray, FloatArray]:
    from statsforecast.models import MSTL, AutoETS

    complete = np.flatnonzero(grid.complete)
    if complete.size == 0:
        raise InputError("daily_mstl needs complete days")
    end = grid.dates[complete[-1]]  # a partial last day is forecast, not fitted
    keep = (grid.dates >= end - pd.Timedelta(days=3 * 365)) & (grid.dates <= end)
    d = grid.dates[keep]
    totals = grid.totals[keep]
    hol, ev = calendar.holidays(d), calendar.events(d)
    bad = ~np.isfinite(totals) | hol | ev
    if (~bad).sum() < 21:
        raise InputError("daily_mstl needs at least 3 weeks of complete days")
    filled = _same_weekday_fill(np.where(bad, np.nan, totals), bad)
    ratio_h = _holiday_ratio(totals, hol, filled)
    ratio_e = _holiday_ratio(totals, ev, filled)
    seasons = [7, 365] if len(d) >= 2 * 365 + 7 else [7]
    model = MSTL(season_length=seasons, trend_forecaster=AutoETS(model="ZZN"))
    horizon = int((dates[-1] - d[-1]).days)
    if horizon < 1:
        raise InputError("daily_mstl forecasts only days after its training window")
    out = model.forecast(y=np.log1p(filled), h=horizon, fitted=True)
    ahead = np.maximum(np.expm1(np.asarray(out["mean"], dtype=float)), 0.0)
    future = pd.date_range(d[-1] + pd.Timedelta(days=1), periods=horizon, freq="D")
    pick = np.asarray((dates - future[0]).days, dtype=np.int64)
    result = ahead[np.clip(pick, 0, horizon - 1)]
    result = result * np.where(calendar.holidays(dates), ratio_h, 1.0)
    result = result * np.where(calendar.events(dates), ratio_e, 1.0)
    fitted_part = np.maximum(np.expm1(np.asarray(out["fitted"], dtype=float)), 0.0)
    fitted_part = fitted_part * np.where(hol, ratio_h, 1.0) * np.where(ev, ratio_e, 1.0)
    fitted = np.full(len(grid.dates), np.nan)
    fitted[keep] = fitted_part
    return np.asarray(result, dtype=float), fitted


# ------------------------------------------------------------------------------------ baselines


def _reference(
    grid: DayGrid, dates: pd.DatetimeIndex, weeks: int, pool: Callable[..., FloatArray]
) -> FloatArray:
    """Pool the latest same-weekday rows of the history for each future date."""
    last, start = grid.dates[-1], grid.dates[0]
    out = np.empty((len(dates), grid.slots))
    for i, date in enumerate(dates):
        lag = 7 * max(1, int(np.ceil((date - last).days / 7.0)))
        rows = []
        for k in range(weeks + 4):  # a few extra weeks stand in for missing ones
            j = (date - pd.Timedelta(days=lag + 7 * k) - start).days
            if 0 <= j < len(grid.dates):
                rows.append(grid.values[j])
        stack = np.array(rows) if rows else np.full((1, grid.slots), np.nan)
        out[i] = pool(stack, weeks)
    return np.nan_to_num(out, nan=0.0)


def _first_available(stack: FloatArray, weeks: int) -> FloatArray:
    out = stack[0].copy()
    for row in stack[1:]:
        out = np.where(np.isnan(out), row, out)
    return np.asarray(out, dtype=np.float64)


def _mean_of_available(stack: FloatArray, weeks: int) -> FloatArray:
    out = np.full(stack.shape[1], np.nan)
    count = np.zeros(stack.shape[1])
    total = np.zeros(stack.shape[1])
    for row in stack:
        take = ~np.isnan(row) & (count < weeks)
        total += np.where(take, row, 0.0)
        count += take
    np.divide(total, count, out=out, where=count > 0)
    return out


def _baseline_insample(grid: DayGrid, method: str) -> FloatArray:
    """One-week-ahead baseline predictions for every training day (NaN without 1-4 weeks before)."""
    v = grid.values
    n = len(v)
    shifted = [
        np.vstack([np.full((7 * k, v.shape[1]), np.nan), v[: n - 7 * k]])
        if n > 7 * k
        else np.full_like(v, np.nan)
        for k in range(1, 5)
    ]
    if method == "seasonal_naive":
        return shifted[0]
    stack = np.stack(shifted)
    count = np.sum(~np.isnan(stack), axis=0)
    total = np.nansum(stack, axis=0)
    return np.asarray(
        np.divide(total, count, out=np.full_like(v, np.nan), where=count > 0), dtype=np.float64
    )


# --------------------------------------------------------------------------------------- entry


def predict(
    method: str, grid: DayGrid, dates: pd.DatetimeIndex, calendar: Calendar
) -> GridForecast:
    """Forecast the cells of ``dates`` from a training grid.

    Parameters
    ----------
    method : str
        One of :data:`METHODS`.
    grid : DayGrid
        Training history (days before the first forecast day, or the whole history for a
        forecast that continues a partial last day).
    dates : pandas.DatetimeIndex
        Days to forecast (after the training window's last complete day).
    calendar : Calendar
        Holidays and event days.

    Returns
    -------
    GridForecast
        Mean and variance per day and interval of day.
    """
    if method in BASELINES:
        weeks = 1 if method == "seasonal_naive" else 4
        pool = _first_available if method == "seasonal_naive" else _mean_of_available
        mean = _reference(grid, dates, weeks, pool)
        fitted = _baseline_insample(grid, method)
    elif method in ("daily_regression", "daily_mstl"):
        fit = _daily_regression if method == "daily_regression" else _daily_mstl
        totals, fitted_totals = fit(grid, dates, calendar)
        shapes = intraday_shapes(grid, calendar)
        mean = _spread(totals, dates, shapes, calendar)
        fitted = _spread(fitted_totals, grid.dates, shapes, calendar)
    else:
        raise InputError(f"method must be one of {', '.join(METHODS)} (got {method!r})")
    recent = slice(max(0, len(grid.dates) - _ERROR_DAYS), None)
    ab = fit_variance(fitted[recent].ravel(), grid.values[recent].ravel())
    return GridForecast(dates, mean, _variance(mean, ab))
