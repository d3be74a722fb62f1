"""Shared pieces of the chart builders: size cap, colours, argument checks, label helpers.

The public names (:data:`MAX_ROWS`, :data:`PALETTE`, ...) are re-exported by
:mod:`cxplan.present.charts`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_array
from cxplan.errors import InputError
from cxplan.present import theme

__all__ = ["MAX_ROWS", "OPTION_COLORS", "PALETTE", "STATUS_COLORS", "TopLevelChart"]

#: Any chart :func:`to_svg` accepts.
TopLevelChart = alt.Chart | alt.LayerChart | alt.VConcatChart | alt.HConcatChart | alt.ConcatChart

#: Most rows any one inline dataset of a chart holds ("a few thousand rows per chart keeps
#: dragging smooth", domain notes).
MAX_ROWS = 3000

# Colours are the theme's (cxplan.present.theme: Okabe-Ito, colour-blind safe); the names stay
# importable from here.
PALETTE = theme.PALETTE
STATUS_COLORS = theme.STATUS_COLORS
OPTION_COLORS = theme.OPTION_COLORS
_GOOD = theme.GOOD
_AMBER = theme.AMBER
_BAD = theme.BAD
_GREY = theme.GREY
_INK = theme.INK
_LOW = theme.LOW
_HIGH = theme.HIGH

# A real Monday used to place a "typical week" on a UTC time axis (any Monday would do).
_REF_MONDAY = pd.Timestamp("2024-01-01")
_WEEK_S = 7 * 86_400

_MONEY = ",.0f"


# ---------------------------------------------------------------------------------------------
# argument checks and small helpers
# ---------------------------------------------------------------------------------------------


def _size(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise InputError(f"{name} must be a whole number of pixels > 0 (got {value!r})")
    arr = as_array(name, value, low=1.0, integer=True)
    if arr.ndim:
        raise InputError(f"{name} must be a single number of pixels (got shape {arr.shape})")
    return int(arr)


def _label(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{name} must be a non-empty string (got {value!r})")
    return value


def _frame(name: str, value: Any, columns: Sequence[str]) -> pd.DataFrame:
    if not isinstance(value, pd.DataFrame):
        raise InputError(f"{name} must be a pandas DataFrame (got {type(value).__name__})")
    if len(value) == 0:
        raise InputError(f"{name} is empty: nothing to chart")
    missing = [c for c in columns if c not in value.columns]
    if missing:
        raise InputError(f"{name} is missing column(s) {missing} (has {list(value.columns)})")
    return value


def _cap(name: str, rows: int, hint: str) -> None:
    if rows > MAX_ROWS:
        raise InputError(f"{name} would put {rows} rows in one chart (at most {MAX_ROWS}); {hint}")


def _numeric(name: str, frame: pd.DataFrame, column: str, **rule: Any) -> npt.NDArray[np.float64]:
    values = frame[column].to_numpy(dtype=float, na_value=np.nan)
    return as_array(f"{name}[{column!r}]", values, **rule)


def _colors(domain: Sequence[str], fixed: Mapping[str, str] | None = None) -> list[str]:
    """Colours for ``domain``: the fixed ones first, the others take unused palette colours."""
    fixed = fixed or {}
    spare = [c for c in PALETTE if c not in fixed.values()]
    out = []
    n_spare = 0
    for name in domain:
        if name in fixed:
            out.append(fixed[name])
        else:
            out.append(spare[n_spare % len(spare)])
            n_spare += 1
    return out


def _scale(domain: Sequence[str], fixed: Mapping[str, str] | None = None) -> alt.Scale:
    return alt.Scale(domain=list(domain), range=_colors(domain, fixed))


def _unique(values: Sequence[Any]) -> list[Any]:
    """Distinct values in order of first appearance."""
    return list(dict.fromkeys(values))


def _utc_iso(values: Any) -> list[str]:
    """Datetimes as UTC ISO strings (tz-aware: converted to UTC; naive: taken as UTC)."""
    idx = pd.DatetimeIndex(values)
    if idx.tz is not None:
        idx = idx.tz_convert("UTC").tz_localize(None)
    if idx.hasnans:  # NaT: strftime's own error
        return [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in idx]
    # numpy writes the same text as strftime (whole seconds, rounded down) column-wise
    text = np.datetime_as_string(idx.to_numpy().astype("datetime64[s]"), unit="s")
    return [t + "Z" for t in text.tolist()]


def _epoch_seconds(index: pd.DatetimeIndex) -> npt.NDArray[np.int64]:
    """Whole seconds since 1970-01-01 of a tz-naive index, whatever its resolution."""
    return index.to_numpy().astype("datetime64[s]").astype(np.int64)


def _period_labels(values: Any) -> tuple[list[str], str]:
    """Readable, sortable period labels and an axis title for a period column or index."""
    try:
        idx = pd.DatetimeIndex(values)
    except (TypeError, ValueError):
        return [str(v) for v in values], "Period"
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    if len(idx) and bool((idx.day == 1).all()) and bool((idx.normalize() == idx).all()):
        return [t.strftime("%Y-%m") for t in idx], "Month"
    steps = np.diff(_epoch_seconds(idx))
    if len(steps) and bool((steps == _WEEK_S).all()):
        return [t.strftime("%Y-%m-%d") for t in idx], "Week (period end)"
    return [t.strftime("%Y-%m-%d") for t in idx], "Date"


def _fmt_number(value: float) -> str:
    """Compact, deterministic number text for labels (``1,234``, ``12.5``, ``-3.4M``)."""
    if not math.isfinite(value):
        return "–"
    a = abs(value)
    if a >= 1e7:
        return f"{value / 1e6:,.1f}M"
    if a >= 100:
        return f"{value:,.0f}"
    if a >= 1:
        return f"{value:,.1f}"
    return f"{value:.3g}"


def _layer(*charts: Any) -> alt.LayerChart:
    return alt.LayerChart(layer=list(charts))


def _axis(values: Any, **kwargs: Any) -> alt.Axis:
    """Quantitative axis in the theme's number style (``9,500``, ``250k``, ``1.2M``)."""
    return theme.number_axis(values, **kwargs)


def _title(text: str, subtitle: str | None = None) -> alt.Title:
    if subtitle:
        return alt.Title(text, subtitle=subtitle, anchor="start")
    return alt.Title(text, anchor="start")
