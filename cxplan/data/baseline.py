"""The measured baseline of a client's history, its data quality, and how well queueing explains it.

:func:`measure_baseline` returns tidy frames (units in column names) and a small summary:

- volume, AHT, service level, ASA and abandonment per channel and week (where the data have them);
- the average intraday profile per channel, day type and interval of day;
- data quality per channel: gaps, unexpected zero days, outlier days and intervals, holidays
  found, level shifts;
- where staffed agents are given, the queueing model's service level next to the measured one per
  interval (Erlang C, and Erlang A with the mean patience estimated from the measured
  abandonment), with the error summary the report prints.

Seed 001 ("0-30 days: baseline measurement (volume, AHT, CSAT)") is where a plan starts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan.data.daytypes import Calendar
from cxplan.data.grid import to_grid
from cxplan.data.history import History
from cxplan.workforce import queueing

__all__ = ["Baseline", "ModelFit", "estimate_patience", "measure_baseline", "predicted_sl"]

FloatArray = npt.NDArray[np.float64]

_PATIENCE_GRID_S = np.geomspace(5.0, 3600.0, 40)
_MAX_FIT_INTERVALS = 5000
_OUTLIER_Z = 6.0


@dataclass(frozen=True)
class ModelFit:
    """How well the queueing model explains one channel's measured service level.

    Attributes
    ----------
    channel : str
        The channel.
    model : str
        ``"Erlang A"`` (patience estimated from abandonment) or ``"Erlang C"``.
    patience_s : float or None
        Mean patience used (Erlang A).
    intervals : int
        Staffed intervals compared.
    mean_abs_error : float
        Contact-weighted mean |model − measured| service level (fraction: 0.04 = 4 points).
    bias : float
        Contact-weighted mean (model − measured); positive: the model is optimistic.
    within_10_points : float
        Share of intervals (contact-weighted) where the model is within 0.10 of the measure.
    sentence : str
        What the report says.
    """

    channel: str
    model: str
    patience_s: float | None
    intervals: int
    mean_abs_error: float
    bias: float
    within_10_points: float
    sentence: str


@dataclass(frozen=True)
class Baseline:
    """The measured baseline of a history (see the module docstring).

    Attributes
    ----------
    weekly : pandas.DataFrame
        ``channel, week_start, days, offered`` and, where measured, ``handled, abandoned,
        aht_s, service_level, asa_s, abandonment_rate`` (service level = answered within the
        threshold ÷ offered).
    daily : pandas.DataFrame
        ``channel, date, day_type, offered`` (complete days only) and the measures per day.
    profile : pandas.DataFrame
        ``channel, day_type, interval_start`` (``HH:MM``), ``offered_mean`` (contacts per
        interval), ``share_of_day``.
    quality : pandas.DataFrame
        ``channel, check, count, detail`` per data-quality check.
    sl_comparison : pandas.DataFrame
        Per staffed interval: ``channel, timestamp, offered, agents, aht_s, sl_measured,
        sl_erlang_c, sl_erlang_a`` (NaN without patience), ``sl_error`` (chosen model − measured).
    fits : dict of str to ModelFit
        Per channel with staffed agents.
    answer_threshold_s : float
        Service-level threshold used.
    """

    weekly: pd.DataFrame
    daily: pd.DataFrame
    profile: pd.DataFrame
    quality: pd.DataFrame
    sl_comparison: pd.DataFrame
    fits: dict[str, ModelFit]
    answer_threshold_s: float


def _shifted(values: FloatArray, weeks: Iterable[int]) -> FloatArray:
    """Stack of ``values`` shifted by whole weeks along axis 0 (NaN where shifted in)."""
    out = []
    for k in weeks:
        s = np.full_like(values, np.nan)
        d = 7 * k
        if d > 0:
            s[d:] = values[:-d]
        else:
            s[:d] = values[-d:]
        out.append(s)
    return np.stack(out)


def _measures(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sum counts and weight rates by ``keys``."""
    g = frame.groupby(keys, sort=True)
    out = g["offered"].sum(min_count=1).to_frame()
    for col in ("handled", "abandoned", "answered_in_threshold"):
        if col in frame.columns:
            out[col] = g[col].sum(min_count=1)
    weight = "handled" if "handled" in frame.columns else "offered"
    for col in ("aht_s", "asa_s"):
        if col in frame.columns:
            w = frame[weight].where(frame[col].notna() & (frame[weight] > 0))
            num = (frame[col] * w).groupby([frame[k] for k in keys], sort=True).sum(min_count=1)
            den = w.groupby([frame[k] for k in keys], sort=True).sum(min_count=1)
            out[col] = (num / den.where(den > 0)).to_numpy()
    if "agents" in frame.columns:
        out["agents_mean"] = g["agents"].mean()
    if "answered_in_threshold" in out.columns:
        out["service_level"] = out["answered_in_threshold"] / out["offered"].where(
            out["offered"] > 0
        )
    if "abandoned" in out.columns:
        out["abandonment_rate"] = out["abandoned"] / out["offered"].where(out["offered"] > 0)
    return out.reset_index()


def _interp_agents(function: Any, agents: FloatArray, *args: Any, **kwargs: Any) -> FloatArray:
    """Evaluate a queueing function at fractional agents (linear between whole numbers)."""
    lo = np.floor(agents)
    w = agents - lo
    f_lo = np.asarray(function(args[0], lo, *args[1:], **kwargs), dtype=float)
    f_hi = np.asarray(function(args[0], lo + 1.0, *args[1:], **kwargs), dtype=float)
    return np.asarray(np.where(w > 0, f_lo * (1 - w) + f_hi * w, f_lo), dtype=float)


def predicted_sl(
    traffic: FloatArray,
    agents: FloatArray,
    aht_s: FloatArray,
    answer_time_s: float,
    patience_s: float | None = None,
) -> FloatArray:
    """Service level (answered within ``answer_time_s`` ÷ offered) the queueing model predicts.

    Fractional staffed agents (time averages) interpolate linearly between whole agent counts.

    Examples
    --------
    >>> round(float(predicted_sl(np.array([10.0]), np.array([11.0]), np.array([180.0]), 20)[0]), 4)
    0.3896
    """

    def sl(a: Any, n: Any, aht: Any, t: float, patience: float | None) -> Any:
        return queueing.service_level(a, n, aht, t, patience, definition="offered")

    return _interp_agents(sl, agents, traffic, aht_s, answer_time_s, patience_s)


def estimate_patience(
    traffic: FloatArray,
    agents: FloatArray,
    aht_s: FloatArray,
    abandonment_rate: FloatArray,
    weights: FloatArray,
) -> float | None:
    """Mean patience (s) whose Erlang A abandonment best matches the measured rates.

    Weighted least squares over a log grid of 5 s to 1 h (40 values); ``None`` when nobody
    abandons (Erlang C applies) or the data cannot tell.

    Notes
    -----
    Erlang A (M/M/n+M) abandonment ``P(Ab)`` decreases in patience, so the contact-weighted
    squared error over staffed intervals has a well-defined minimum on the grid; the estimate is
    the grid point with the least error (a grid rather than a root finder: robust to the noisy,
    flat objective real data give).
    """
    ok = np.isfinite(abandonment_rate) & (weights > 0) & (agents > 0)
    if ok.sum() < 20 or np.average(abandonment_rate[ok], weights=weights[ok]) < 1e-3:
        return None
    idx = np.flatnonzero(ok)
    if idx.size > _MAX_FIT_INTERVALS:
        idx = idx[:: int(np.ceil(idx.size / _MAX_FIT_INTERVALS))]
    a, n, h = traffic[idx], agents[idx], aht_s[idx]
    m, w = abandonment_rate[idx], weights[idx]
    errors = []
    for p in _PATIENCE_GRID_S:
        pab = _interp_agents(queueing.abandonment, n, a, h, float(p))
        errors.append(float(np.sum(w * (pab - m) ** 2)))
    best = int(np.argmin(errors))
    if best == len(_PATIENCE_GRID_S) - 1:
        return None  # abandonment too rare for the model to tell a patience
    return float(_PATIENCE_GRID_S[best])


def _fit_sentence(fit: ModelFit) -> str:
    how = (
        f"{fit.model} (mean patience {fit.patience_s:.0f} s, estimated from abandonment)"
        if fit.patience_s is not None
        else fit.model
    )
    pts = fit.mean_abs_error * 100
    verdict = (
        "explains the measured service level well"
        if pts <= 5
        else "explains the measured service level roughly"
        if pts <= 10
        else "does not explain the measured service level well (check that staffed agents are "
        "on the queue, and the AHT and threshold)"
    )
    return (
        f"{fit.channel}: {how} {verdict}: mean error {pts:.1f} points, bias {fit.bias * 100:+.1f} "
        f"points, {fit.within_10_points:.0%} of contacts within 10 points "
        f"({fit.intervals:,} staffed intervals)."
    )


def _compare(history: History, threshold: float) -> tuple[pd.DataFrame, dict[str, ModelFit]]:
    f = history.frame
    needed = {"agents", "answered_in_threshold"}
    if not needed <= set(f.columns) or not ({"aht_s"} & set(f.columns) or "handle_s" in f):
        return pd.DataFrame(), {}
    interval_s = history.interval_minutes * 60.0
    aht = (
        f["aht_s"] if "aht_s" in f.columns else f["handle_s"] / f["handled"].where(f["handled"] > 0)
    )
    use = (f["agents"] > 0) & (f["offered"] > 0) & aht.notna() & f["answered_in_threshold"].notna()
    parts, fits = [], {}
    for name in sorted(f.loc[use, "channel"].unique()):
        sel = use & (f["channel"] == name)
        offered = f.loc[sel, "offered"].to_numpy(float)
        agents = f.loc[sel, "agents"].to_numpy(float)
        h = aht[sel].to_numpy(float)
        traffic = offered * h / interval_s
        measured = np.clip(f.loc[sel, "answered_in_threshold"].to_numpy(float) / offered, 0, 1)
        patience = None
        if "abandoned" in f.columns:
            rate = f.loc[sel, "abandoned"].to_numpy(float) / offered
            patience = estimate_patience(traffic, agents, h, rate, offered)
        sl_c = predicted_sl(traffic, agents, h, threshold)
        sl_a = predicted_sl(traffic, agents, h, threshold, patience) if patience else sl_c * np.nan
        chosen = sl_a if patience else sl_c
        err = chosen - measured
        w = offered / offered.sum()
        fit = ModelFit(
            channel=str(name),
            model="Erlang A" if patience else "Erlang C",
            patience_s=patience,
            intervals=int(sel.sum()),
            mean_abs_error=float(np.sum(w * np.abs(err))),
            bias=float(np.sum(w * err)),
            within_10_points=float(np.sum(w * (np.abs(err) <= 0.10))),
            sentence="",
        )
        fits[str(name)] = ModelFit(**{**fit.__dict__, "sentence": _fit_sentence(fit)})
        parts.append(
            pd.DataFrame(
                {
                    "channel": name,
                    "timestamp": f.loc[sel, "timestamp"].to_numpy(),
                    "offered": offered,
                    "agents": agents,
                    "aht_s": h,
                    "sl_measured": measured,
                    "sl_erlang_c": sl_c,
                    "sl_erlang_a": sl_a,
                    "sl_error": err,
                }
            )
        )
    return (pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()), fits


def _quality(
    history: History, calendar: Calendar
) -> tuple[list[dict[str, Any]], dict[str, pd.DataFrame]]:
    rows: list[dict[str, Any]] = []
    dailies = {}
    for name in history.channels:
        series = history.series(name)
        grid = to_grid(series, history.interval_minutes)
        totals = grid.totals
        dates = grid.dates
        types = calendar.day_types(dates)
        complete = grid.complete
        gaps = history.gaps[history.gaps["channel"] == name] if len(history.gaps) else history.gaps
        missing = int(gaps["intervals"].sum()) if len(gaps) else 0
        filled = int(gaps["filled"].sum()) if len(gaps) else 0
        rows.append(
            {
                "channel": name,
                "check": "gaps",
                "count": len(gaps),
                "detail": f"{missing} interval(s) missing, {filled} filled by rule "
                f"{gaps['rule'].iloc[0] if len(gaps) else '-'}",
            }
        )
        # days whose type normally has volume but which had none
        frame = pd.DataFrame({"date": dates, "type": types, "total": totals, "ok": complete})
        typical = frame[frame["ok"]].groupby("type")["total"].median()
        open_type = frame["type"].map(typical).fillna(0) > 0
        zero = frame[frame["ok"] & open_type & (frame["total"] == 0)]
        rows.append(
            {
                "channel": name,
                "check": "zero_days",
                "count": len(zero),
                "detail": ", ".join(d.date().isoformat() for d in zero["date"][:10]),
            }
        )
        hol = frame[calendar.holidays(dates)]
        rows.append(
            {
                "channel": name,
                "check": "holidays",
                "count": len(hol),
                "detail": ", ".join(d.date().isoformat() for d in hol["date"][:15]),
            }
        )
        # outlier days: log total against the median of the same weekday ±4 weeks
        logt = np.log1p(np.where(complete, totals, np.nan))
        with np.errstate(all="ignore"):
            ref = np.nanmedian(_shifted(logt, (-4, -3, -2, -1, 1, 2, 3, 4)), axis=0)
        resid = logt - ref
        scale = 1.4826 * np.nanmedian(np.abs(resid - np.nanmedian(resid))) + 1e-9
        special = calendar.holidays(dates) | calendar.events(dates)
        odd = np.isfinite(resid) & (np.abs(resid) > 5 * scale) & ~special & (totals > 0)
        rows.append(
            {
                "channel": name,
                "check": "outlier_days",
                "count": int(odd.sum()),
                "detail": ", ".join(d.date().isoformat() for d in dates[odd][:10]),
            }
        )
        # outlier intervals: count far above the same interval's median on the same weekday
        v = grid.values
        with np.errstate(all="ignore"):
            med = np.nanmedian(_shifted(v, (-4, -3, -2, -1, 1, 2, 3, 4)), axis=0)
        z = (v - med) / np.sqrt(med + (0.25 * med) ** 2 + 1.0)
        spikes = np.isfinite(z) & (z > _OUTLIER_Z) & ~special[:, None]
        rows.append(
            {
                "channel": name,
                "check": "outlier_intervals",
                "count": int(spikes.sum()),
                "detail": f"offered more than {_OUTLIER_Z:g} standard deviations above the same "
                "interval on the same weekday (±4 weeks)",
            }
        )
        # level shift: the largest change between consecutive 4-week means of weekly totals
        weekly = (
            pd.Series(np.where(complete, totals, np.nan), index=dates)
            .resample("W-SUN")
            .sum(min_count=7)
        )
        roll = weekly.rolling(4, min_periods=4).mean()
        ratio = pd.Series(np.log(roll.shift(-4) / roll), index=roll.index)
        ratio = ratio.replace([np.inf, -np.inf], np.nan)
        shift_at = ratio.index[int(np.nanargmax(ratio.abs()))] if ratio.notna().any() else None
        size = float(np.expm1(ratio[shift_at])) if shift_at is not None else 0.0
        rows.append(
            {
                "channel": name,
                "check": "level_shift",
                "count": int(abs(size) >= 0.2),
                "detail": f"largest 4-week change {size:+.0%} after the week ending "
                f"{shift_at.date().isoformat()}"
                if shift_at is not None
                else "fewer than 8 weeks",
            }
        )
        dailies[name] = frame
    return rows, dailies


def measure_baseline(
    history: History,
    *,
    country: str | None = None,
    subdiv: str | None = None,
    event_days: Iterable[date | str] = (),
    answer_threshold_s: float | None = None,
) -> Baseline:
    """Measure a history's baseline, check its quality and compare queueing with the measure.

    Parameters
    ----------
    history : History
        From :func:`cxplan.data.history.read_history` (any interval).
    country, subdiv : str, optional
        Public holidays (``holidays`` library codes) for day types.
    event_days : iterable of date, optional
        Client event days (excluded from outlier checks).
    answer_threshold_s : float, optional
        Service-level threshold (default: the history's, else 20 s, the 80/20 convention).

    Returns
    -------
    Baseline
        Frames and the queueing-model fit per channel.
    """
    calendar = Calendar(country, subdiv=subdiv, event_days=event_days)
    threshold = answer_threshold_s or history.answer_threshold_s or 20.0
    f = history.frame.copy()
    wall = pd.DatetimeIndex(f["timestamp"])
    wall = wall.tz_localize(None) if wall.tz is not None else wall
    f["date"] = wall.normalize()
    f["week_start"] = f["date"] - pd.to_timedelta(f["date"].dt.dayofweek, unit="D")
    f["day_type"] = calendar.day_types(pd.DatetimeIndex(f["date"]))
    f["interval_start"] = wall.strftime("%H:%M")
    quality_rows, frames = _quality(history, calendar)
    complete_days = pd.concat(
        [d.assign(channel=c)[d["ok"]][["channel", "date"]] for c, d in frames.items()]
    )
    daily = _measures(f, ["channel", "date", "day_type"])
    daily = daily.merge(complete_days, on=["channel", "date"])
    weekly = _measures(f, ["channel", "week_start"])
    days = f.groupby(["channel", "week_start"])["date"].nunique().rename("days").reset_index()
    weekly = weekly.merge(days, on=["channel", "week_start"])
    weekly.insert(2, "days", weekly.pop("days"))
    prof = f.merge(complete_days, on=["channel", "date"])
    profile = (
        prof.groupby(["channel", "day_type", "interval_start"])["offered"]
        .mean()
        .rename("offered_mean")
        .reset_index()
    )
    day_sum = profile.groupby(["channel", "day_type"])["offered_mean"].transform("sum")
    profile["share_of_day"] = profile["offered_mean"] / day_sum.where(day_sum > 0)
    comparison, fits = _compare(history, threshold)
    return Baseline(
        weekly=weekly,
        daily=daily,
        profile=profile,
        quality=pd.DataFrame(quality_rows),
        sl_comparison=comparison,
        fits=fits,
        answer_threshold_s=float(threshold),
    )
