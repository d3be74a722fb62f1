"""The ``cxplan forecast`` command's work: read a history, forecast, render the two result files.

Contract (other tools rely on it)::

    cxplan forecast HISTORY.csv [--interval 30min] [--horizon 7D] [--country CC]
                    [--backtest-weeks 8] --out DIR

writes ``DIR/forecast.csv`` with columns ``timestamp,channel,forecast,lower_80,upper_80`` (ISO
timestamps; one row per channel and interval of the horizon, starting right after the last
history interval, at ``--interval`` or the history's own) and ``DIR/backtest.json`` (per channel
and method: WAPE, bias and coverage of the 80 % interval, and the chosen method with the reason).
:func:`forecast_files` only computes the files' contents; :mod:`cxplan.app.cli` writes them
atomically, so nothing is written when any input is bad.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from cxplan.data.forecast import ForecastResult, forecast_history, parse_duration_minutes
from cxplan.data.history import GapRule, read_history
from cxplan.errors import InputError

__all__ = ["FORECAST_COLUMNS", "forecast_csv", "forecast_files"]

#: Columns of ``forecast.csv``.
FORECAST_COLUMNS: tuple[str, ...] = ("timestamp", "channel", "forecast", "lower_80", "upper_80")


def forecast_csv(result: ForecastResult) -> str:
    """Render ``forecast.csv`` (ISO 8601 timestamps, forecast to 3 decimals, whole-count bounds)."""
    frame = result.frame(0.80)
    frame["timestamp"] = [t.isoformat() for t in frame["timestamp"]]
    frame["forecast"] = frame["forecast"].round(3)
    for col in ("lower_80", "upper_80"):
        frame[col] = frame[col].round().astype("int64")
    text: str = frame[list(FORECAST_COLUMNS)].to_csv(index=False, lineterminator="\n")
    return text


def forecast_files(
    history_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    interval: str | None = None,
    horizon: str = "7D",
    country: str | None = None,
    backtest_weeks: int = 8,
    timezone: str | None = None,
    gap_fill: GapRule = "auto",
) -> dict[Path, str]:
    """Compute the contents of ``forecast.csv`` and ``backtest.json`` for ``out_dir``.

    Parameters
    ----------
    history_path : path-like
        The history (CSV, CSV.GZ or XLSX); minimal columns ``timestamp,offered``.
    out_dir : path-like
        Output folder (its files are not touched here).
    interval : str, optional
        Planning interval such as ``"30min"`` (default: the history's own).
    horizon : str
        Horizon such as ``"7D"`` or ``"26W"``.
    country : str, optional
        ISO country code for public holidays.
    backtest_weeks : int
        Weekly origins of the backtest.
    timezone : str, optional
        IANA zone of the history's timestamps.
    gap_fill : str
        Gap rule (see :data:`cxplan.data.history.GAP_RULES`).

    Returns
    -------
    dict of pathlib.Path to str
        ``{out_dir/forecast.csv: ..., out_dir/backtest.json: ...}``.

    Raises
    ------
    DataError
        For a bad history file (one line per problem).
    InputError
        For a bad option.
    """
    horizon_minutes = parse_duration_minutes(horizon, "--horizon")
    interval_minutes = parse_duration_minutes(interval, "--interval") if interval else None
    if backtest_weeks < 1:
        raise InputError(f"--backtest-weeks must be >= 1 (got {backtest_weeks})")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out: {out} exists and is not a folder")
    history = read_history(history_path, timezone=timezone, gap_fill=gap_fill)
    step = interval_minutes or history.interval_minutes
    if horizon_minutes % step:
        raise InputError(f"--horizon: {horizon} is not a whole number of {step}-minute intervals")
    result = forecast_history(
        history,
        horizon_minutes=horizon_minutes,
        interval_minutes=interval_minutes,
        country=country,
        backtest_weeks=backtest_weeks,
    )
    summary = {
        "history": str(history_path),
        "interval_minutes": step,
        "horizon": horizon,
        "horizon_intervals": horizon_minutes // step,
        "country": country,
        "backtest_weeks": backtest_weeks,
        "forecast_start": pd.Timestamp(
            min(c.index[0] for c in result.channels.values())
        ).isoformat(),
        **result.backtest_dict(),
    }
    return {
        out / "forecast.csv": forecast_csv(result),
        out / "backtest.json": json.dumps(summary, indent=2, allow_nan=False) + "\n",
    }
