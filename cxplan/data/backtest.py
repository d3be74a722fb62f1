"""Rolling-origin backtest of the forecasting methods, and the choice of method.

For each of the last ``weeks`` weeks of complete days, every method of
:data:`cxplan.data.models.METHODS` is trained on the days before that week and forecasts it
(one week ahead). Scores per method, pooled over the origins:

- WAPE = ``Σ|forecast − actual| / Σ actual`` (weighted absolute percentage error);
- bias = ``Σ(forecast − actual) / Σ actual`` (positive: over-forecast);
- coverage = share of intervals whose actual lies within the 80 % prediction interval, counted
  over intervals with volume forecast or measured (closed nights, 0 and 0, are not counted).

A model is chosen only when its WAPE beats both baselines (seasonal naive and the WFM 4-week
mean); otherwise the better baseline is used. :attr:`Backtest.reason` says which and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan.data.daytypes import Calendar
from cxplan.data.grid import DayGrid
from cxplan.data.models import BASELINES, METHOD_LABELS, METHODS, predict, quantile
from cxplan.errors import DataError, InputError

__all__ = ["Backtest", "backtest", "scores"]

FloatArray = npt.NDArray[np.float64]

_MIN_TRAIN_WEEKS = 4


def scores(
    actual: FloatArray, mean: FloatArray, lower: FloatArray, upper: FloatArray
) -> dict[str, float]:
    """WAPE, bias and interval coverage of a forecast (NaN actuals are skipped).

    Examples
    --------
    >>> s = scores(np.array([10.0, 0, 30]), np.array([12.0, 0, 24]), np.array([8.0, 0, 20]),
    ...            np.array([16.0, 0, 28]))
    >>> round(s["wape"], 3), round(s["bias"], 3), s["coverage_80"], s["intervals"]
    (0.2, -0.1, 0.5, 3)
    """
    ok = np.isfinite(actual)
    a, m = actual[ok], mean[ok]
    total = float(a.sum())
    open_ = (a > 0) | (m > 0)
    inside = (a >= lower[ok]) & (a <= upper[ok])
    return {
        "wape": float(np.abs(m - a).sum() / total) if total > 0 else float("nan"),
        "bias": float((m - a).sum() / total) if total > 0 else float("nan"),
        "coverage_80": float(inside[open_].mean()) if open_.any() else float("nan"),
        "intervals": int(ok.sum()),
    }


@dataclass(frozen=True)
class Backtest:
    """Backtest of one channel.

    Attributes
    ----------
    channel : str
        The channel.
    origins : list of pandas.Timestamp
        First day of each test week.
    table : pandas.DataFrame
        One row per method: ``method``, ``label``, ``wape``, ``bias``, ``coverage_80``,
        ``intervals``, ``baseline`` (bool).
    chosen : str
        The method used for the forecast.
    reason : str
        One sentence a report can print.
    """

    channel: str
    origins: list[pd.Timestamp]
    table: pd.DataFrame
    chosen: str
    reason: str
    errors: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready summary (per method WAPE, bias, coverage)."""
        return {
            "chosen": self.chosen,
            "reason": self.reason,
            "origins": [o.date().isoformat() for o in self.origins],
            "methods": {
                str(row["method"]): {
                    "label": row["label"],
                    "wape": _num(row["wape"]),
                    "bias": _num(row["bias"]),
                    "coverage_80": _num(row["coverage_80"]),
                    "intervals": int(row["intervals"]),
                    "baseline": bool(row["baseline"]),
                }
                for row in self.table.to_dict("records")
            },
            **({"errors": dict(self.errors)} if self.errors else {}),
        }


def _num(x: object) -> float | None:
    value = float(x)  # type: ignore[arg-type]
    return None if not np.isfinite(value) else round(value, 6)


def _choose(table: pd.DataFrame) -> tuple[str, str]:
    wape = dict(zip(table["method"], table["wape"], strict=True))
    base = {m: wape[m] for m in BASELINES if np.isfinite(wape.get(m, np.nan))}
    models = {m: w for m, w in wape.items() if m not in BASELINES and np.isfinite(w)}
    best_base = min(base, key=base.__getitem__) if base else BASELINES[1]
    pct = "{:.1%}".format
    others = ", ".join(f"{METHOD_LABELS[m]} {pct(w)}" for m, w in base.items())
    if models:
        best = min(models, key=models.__getitem__)
        if all(models[best] < w for w in base.values()):
            return best, (
                f"{METHOD_LABELS[best]} chosen: backtest WAPE {pct(models[best])} beats both "
                f"baselines ({others})."
            )
        return best_base, (
            f"{METHOD_LABELS[best_base]} used: the best model ({METHOD_LABELS[best]}, WAPE "
            f"{pct(models[best])}) did not beat both baselines ({others})."
        )
    return best_base, f"{METHOD_LABELS[best_base]} used: no model could be fitted ({others})."


def backtest(
    grid: DayGrid,
    calendar: Calendar,
    *,
    channel: str = "all",
    weeks: int = 8,
    methods: Sequence[str] = METHODS,
    level: float = 0.80,
) -> Backtest:
    """Rolling-origin backtest (one week ahead) of ``methods`` over the last ``weeks`` weeks.

    Parameters
    ----------
    grid : DayGrid
        The channel's history at the planning interval.
    calendar : Calendar
        Holidays and event days.
    channel : str
        Channel name (for the result).
    weeks : int
        Number of weekly origins (fewer when the history is short: at least 4 weeks are kept
        to learn from).
    methods : sequence of str
        Methods to score; must include both baselines.
    level : float
        Central prediction-interval level scored as coverage (0.8: 10 % and 90 % quantiles).

    Returns
    -------
    Backtest
        Scores per method and the chosen method.

    Raises
    ------
    DataError
        If the history has fewer than 5 weeks of complete days.
    """
    if weeks < 1:
        raise InputError(f"backtest weeks must be >= 1 (got {weeks})")
    if not set(BASELINES) <= set(methods):
        raise InputError(f"methods must include the baselines {BASELINES}")
    complete = np.flatnonzero(grid.complete)
    if complete.size == 0:
        raise DataError(f"channel {channel!r}: no complete day in the history")
    last = grid.dates[complete[-1]]
    span_weeks = ((last - grid.dates[0]).days + 1) // 7
    used = min(weeks, span_weeks - _MIN_TRAIN_WEEKS)
    if used < 1:
        raise DataError(
            f"channel {channel!r}: the history covers {span_weeks} full week(s); a forecast "
            f"needs at least {_MIN_TRAIN_WEEKS + 1} (4 to learn from, 1 to test)"
        )
    origins = [last + pd.Timedelta(days=1 - 7 * k) for k in range(used, 0, -1)]
    lo_q, hi_q = (1.0 - level) / 2.0, 1.0 - (1.0 - level) / 2.0
    collected: dict[str, list[FloatArray]] = {m: [] for m in methods}
    errors: dict[str, str] = {}
    actual_parts = []
    for origin in origins:
        train = grid.before(origin)
        dates = pd.date_range(origin, periods=7, freq="D")
        actual_parts.append(grid.between(origin, origin + pd.Timedelta(days=7)))
        for m in methods:
            if m in errors:
                continue
            try:
                fc = predict(m, train, dates, calendar)
            except (InputError, ValueError, np.linalg.LinAlgError) as exc:
                errors[m] = str(exc)
                continue
            lower, upper = quantile(fc.mean, fc.var, lo_q), quantile(fc.mean, fc.var, hi_q)
            collected[m].append(np.stack([fc.mean, lower, upper]))
    actual = np.concatenate(actual_parts).ravel()
    rows = []
    for m in methods:
        if m in errors or len(collected[m]) != len(origins):
            s = {"wape": np.nan, "bias": np.nan, "coverage_80": np.nan, "intervals": 0}
        else:
            stack = np.concatenate(collected[m], axis=1)
            s = scores(actual, stack[0].ravel(), stack[1].ravel(), stack[2].ravel())
        rows.append({"method": m, "label": METHOD_LABELS[m], **s, "baseline": m in BASELINES})
    table = pd.DataFrame(rows)
    chosen, reason = _choose(table)
    return Backtest(channel, origins, table, chosen, reason, errors)
