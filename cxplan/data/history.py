"""Interval history import: read a platform export (CSV or XLSX), validate it, fill gaps, aggregate.

An export has one row per interval (and per channel or queue): the interval start, offered
contacts and, where the platform gives them, handled, abandoned, answered within the
service-level threshold, AHT or handle seconds, ASA and agents staffed. :func:`read_history`
maps the headers (:mod:`cxplan.data.columns`), parses numbers and timestamps, validates the frame
with pandera (:mod:`cxplan.data.checks`) and raises one :class:`~cxplan.errors.DataError` listing
every problem as ``file:row: column: message``. A valid file becomes a :class:`History`: a tidy
frame on a complete grid per channel (one row per interval between the channel's first and last
interval), with gaps reported and filled by the stated rule.

Timestamps are interval starts. With ``timezone`` given, naive times are local wall-clock times
in that zone (a daylight-saving day has 23 or 25 hours: the repeated hour appears twice in file
order, the skipped hour must not appear) and times with a UTC offset are converted to it.
Without it, naive times are taken as they are (no daylight saving) and times with one UTC
offset keep it. Everything downstream (day types, intraday shapes) works in local wall-clock
time.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import os
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from cxplan.data.checks import (
    MAX_PROBLEMS,
    NUMBER_FIELDS,
    number_schema,
    problems_from,
    run_schema,
    value_schema,
)
from cxplan.data.columns import COUNT_FIELDS, TIME_FIELDS, detect_columns
from cxplan.errors import DataError, InputError

__all__ = [
    "GAP_RULES",
    "SUPPORTED_MINUTES",
    "GapRule",
    "History",
    "aggregate",
    "minute_of_day",
    "read_history",
]

#: Interval lengths an export may have, minutes.
SUPPORTED_MINUTES: tuple[int, ...] = (5, 6, 10, 15, 30, 60)

GapRule = Literal["auto", "missing", "zero", "last_week", "error"]

#: Gap rules: ``auto`` fills 0 where the interval of the week is normally closed (median offered
#: 0, or no row at all, in the rest of the history: platforms often omit empty intervals) and
#: leaves the rest
#: missing; ``missing`` leaves every gap missing (reported, skipped by the models); ``zero`` fills
#: 0 contacts; ``last_week`` copies the same interval a week earlier; ``error`` refuses gaps.
GAP_RULES: tuple[str, ...] = ("auto", "missing", "zero", "last_week", "error")

_OFFSET_RE = r"(?:Z|[+-]\d{2}:?\d{2})$"
_DURATION_RE = re.compile(r"^(\d+):(\d{1,2})(?::(\d{1,2}(?:\.\d*)?))?$")


@dataclass(frozen=True)
class History:
    """A validated interval history.

    Attributes
    ----------
    frame : pandas.DataFrame
        Tidy, sorted by ``channel`` then ``timestamp``: ``channel``, ``timestamp`` (interval
        start; timezone-aware when the file or ``timezone`` gave a zone), ``offered`` and any of
        ``handled``, ``abandoned``, ``answered_in_threshold``, ``aht_s``, ``handle_s``,
        ``asa_s``, ``agents``. Each channel has every interval from its first to its last;
        values of unfilled gaps are NaN.
    interval_minutes : int
        Interval length.
    source : str
        The file (as given).
    timezone : str or None
        The zone timestamps are in (``None``: naive wall-clock times).
    gaps : pandas.DataFrame
        One row per gap: ``channel``, ``start``, ``end`` (last missing interval), ``intervals``,
        ``filled`` (intervals filled by the rule), ``rule``.
    answer_threshold_s : float or None
        Service-level threshold of ``answered_in_threshold`` (from the header or the caller).
    """

    frame: pd.DataFrame
    interval_minutes: int
    source: str
    timezone: str | None = None
    gaps: pd.DataFrame = field(default_factory=lambda: _empty_gaps())
    answer_threshold_s: float | None = None

    @property
    def channels(self) -> tuple[str, ...]:
        """Channel (queue) names, sorted."""
        return tuple(sorted(self.frame["channel"].unique()))

    @property
    def measures(self) -> tuple[str, ...]:
        """Numeric columns present."""
        return tuple(c for c in NUMBER_FIELDS if c in self.frame.columns)

    def series(self, channel: str, column: str = "offered") -> pd.Series:
        """One channel's column as a Series indexed by interval start."""
        if channel not in self.channels:
            raise InputError(f"channel {channel!r} is not in {self.source} ({self.channels})")
        sub = self.frame[self.frame["channel"] == channel]
        return pd.Series(
            sub[column].to_numpy(dtype=float),
            index=pd.DatetimeIndex(sub["timestamp"]),
            name=column,
        )

    @property
    def end(self) -> pd.Timestamp:
        """Start of the last interval of any channel."""
        return pd.Timestamp(self.frame["timestamp"].max())

    def at(self, minutes: int) -> History:
        """Return the history aggregated to ``minutes`` (see :func:`aggregate`)."""
        return aggregate(self, minutes)


def _empty_gaps() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "channel": pd.Series(dtype=str),
            "start": pd.Series(dtype="datetime64[ns]"),
            "end": pd.Series(dtype="datetime64[ns]"),
            "intervals": pd.Series(dtype=int),
            "filled": pd.Series(dtype=int),
            "rule": pd.Series(dtype=str),
        }
    )


# ------------------------------------------------------------------------------------- reading


def _read_table(path: Path, source: str, sheet: str | int | None) -> tuple[pd.DataFrame, str, int]:
    """Read the file as text cells (CSV) or Excel values.

    Returns the frame, its delimiter and the number of comment lines before the header (a CSV
    may open with ``#`` lines, e.g. cxplan's demo-data marker; row numbers count them).
    """
    if not path.is_file():
        raise DataError(f"{source}: file not found")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            frame = pd.read_excel(
                path, sheet_name=0 if sheet is None else sheet, dtype=object, keep_default_na=False
            )
        except (ValueError, KeyError, OSError) as exc:
            raise DataError(f"{source}: cannot read the workbook: {exc}") from None
        frame.columns = [str(c).strip() for c in frame.columns]
        return frame.astype(object).where(frame.notna(), ""), ",", 0
    data = path.read_bytes()
    if path.suffix.lower() == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise DataError(f"{source}: not a readable gzip file: {exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    preamble = 0
    while text.startswith("#"):  # leading comment lines (not '#' inside the data)
        text = text.split("\n", 1)[1] if "\n" in text else ""
        preamble += 1
    first = text.split("\n", 1)[0]
    if not first.strip():
        raise DataError(f"{source}:1: empty file (a header row is needed)")
    delimiter = max([",", ";", "\t", "|"], key=first.count)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            quoting=csv.QUOTE_MINIMAL,
        )
    except pd.errors.ParserError as exc:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            want, line, saw = match.groups()
            raise DataError(
                f"{source}:{int(line) + preamble}: expected {want} fields, saw {saw}"
            ) from None
        raise DataError(f"{source}: not a readable CSV file: {exc}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, delimiter, preamble


def _clean_numbers(values: pd.Series, *, duration: bool, decimal_comma: bool) -> pd.Series:
    """Cells → numbers, or text pandera will fail to coerce; empty → None; ``h:mm:ss`` → s."""
    if values.dtype != object:
        return values
    fast = pd.to_numeric(values, errors="coerce")  # plain numbers: the common case
    slow = fast.isna().to_numpy() & (values != "").to_numpy()
    if not slow.any():
        return fast.astype(float)
    sub = values[slow].map(
        lambda v: (
            v.total_seconds() if isinstance(v, dt.timedelta)
            else v.hour * 3600 + v.minute * 60 + v.second if isinstance(v, dt.time)
            else v
        )
    )  # fmt: skip
    text = sub.astype(str).str.strip().str.replace("\u00a0", "", regex=False)
    if decimal_comma:
        text = text.str.replace(r"^(-?\d+),(\d+)$", r"\1.\2", regex=True)
    if duration:
        parts = text.str.extract(_DURATION_RE)
        h, m, sec = (parts[i].astype(float) for i in range(3))
        seconds = (h * 3600 + m * 60 + sec).where(sec.notna(), h * 60 + m)  # h:mm:ss or mm:ss
        text = text.where(parts[0].isna(), seconds.map(repr))
    out = fast.astype(object)
    out[slow] = text.where(text != "", None).to_numpy()
    return out


def _parse_naive(text: pd.Series, dayfirst: bool) -> pd.Series:
    from pandas.tseries.api import guess_datetime_format

    sample = text[text != ""]
    if sample.empty:
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if sample.str.match(r"^\d{4}-\d{2}-\d{2}").mean() > 0.5:
        fmt: str | None = "ISO8601"
    else:
        fmt = guess_datetime_format(str(sample.iloc[0]), dayfirst=dayfirst)
    if fmt is None:
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    parsed = pd.to_datetime(text.where(text != ""), format=fmt, errors="coerce")
    return pd.Series(parsed, index=text.index).astype("datetime64[ns]")


def _parse_timestamps(
    values: pd.Series,
    channel: pd.Series,
    timezone: str | None,
    dayfirst: bool,
    source: str,
    header: str,
) -> tuple[pd.Series, pd.Series]:
    """Parse interval starts; return timestamps (NaT where bad) and the reason per bad row."""
    if values.map(lambda v: isinstance(v, dt.datetime)).all():  # Excel date cells
        text = values.map(lambda v: v.isoformat(sep=" "))
    else:
        text = values.astype(str).str.strip()
    reason = pd.Series(None, index=values.index, dtype=object)
    has_offset = text.str.contains(_OFFSET_RE, regex=True)
    if has_offset.any():
        parsed = pd.to_datetime(text.where(has_offset), utc=True, errors="coerce", format="ISO8601")
        parsed = pd.Series(parsed, index=text.index)
        reason[~has_offset & (text != "")] = "no UTC offset (other rows have one)"
        if timezone is not None:
            out = parsed.dt.tz_convert(timezone)
        else:
            offsets = text[has_offset].str.extract(r"(Z|[+-]\d{2}:?\d{2})$")[0]
            offsets = offsets.str.replace("Z", "+00:00").str.replace(
                r"(\d{2})(\d{2})$", r"\1:\2", regex=True
            )
            unique = sorted(offsets.unique())
            if len(unique) > 1:
                raise DataError(
                    f"{source}: {header}: timestamps carry several UTC offsets "
                    f"({', '.join(unique[:3])}, daylight saving?); state the timezone "
                    "(params history.timezone, or --timezone)"
                )
            sign = -1 if unique[0].startswith("-") else 1
            hours, minutes = (int(x) for x in unique[0][1:].split(":"))
            zone = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
            out = parsed.dt.tz_convert(zone)
    else:
        naive = _parse_naive(text, dayfirst)
        if timezone is not None:
            # The repeated hour of a 25-hour day appears twice: the first is summer time.
            first = ~pd.DataFrame({"c": channel, "t": naive}).duplicated(keep="first").to_numpy()
            out = naive.dt.tz_localize(timezone, ambiguous=first, nonexistent="NaT")
            gap = out.isna() & naive.notna()
            reason[gap] = text[gap].map(repr) + f" does not exist in {timezone} (clocks go forward)"
        else:
            out = naive
    bad = out.isna() & reason.isna()
    reason[bad & (text == "")] = "empty (an interval start is needed)"
    reason[bad & (text != "")] = "not a timestamp (got " + text[bad & (text != "")].map(repr) + ")"
    return out, reason


def minute_of_day(timestamps: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """Minutes since local midnight of each timestamp (wall-clock time)."""
    idx = pd.DatetimeIndex(timestamps)
    return np.asarray(idx.hour * 60 + idx.minute, dtype=np.int64)


def _detect_step(ts: pd.Series, channel: pd.Series, source: str, header: str) -> int:
    frame = pd.DataFrame({"c": channel, "t": ts}).dropna().drop_duplicates()
    frame = frame.sort_values(["c", "t"])
    diffs = frame.groupby("c")["t"].diff().dropna()
    minutes = diffs.dt.total_seconds().to_numpy() / 60.0
    minutes = minutes[minutes > 0]
    if minutes.size == 0:
        raise DataError(
            f"{source}: {header}: cannot tell the interval length (fewer than two intervals)"
        )
    values, counts = np.unique(np.round(minutes, 6), return_counts=True)
    supported = np.isin(values, SUPPORTED_MINUTES)
    # the most common supported step; other steps are then reported row by row as off the grid
    step = float(
        values[np.argmax(np.where(supported, counts, -1))]
        if supported.any()
        else values[np.argmax(counts)]
    )
    if step not in SUPPORTED_MINUTES:
        raise DataError(
            f"{source}: {header}: intervals of {step:g} minutes are not supported "
            f"(5, 6, 10, 15, 30 or 60)"
        )
    return int(step)


# ------------------------------------------------------------------------------------ gap rules


def _fill(
    sub: pd.DataFrame, rule: str, measures: list[str], step: int
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Reindex one channel onto its full grid and fill the gaps by ``rule``."""
    sub = sub.set_index("timestamp").sort_index()
    first, last = sub.index[0], sub.index[-1]
    full = pd.date_range(first, last, freq=f"{step}min")
    grid = sub.reindex(full)
    missing = grid["offered"].isna().to_numpy()
    filled = np.zeros(len(grid), dtype=bool)
    if missing.any() and rule in ("zero", "auto", "last_week"):
        wall = full.tz_localize(None) if full.tz is not None else full
        if rule == "last_week":
            lookup = pd.Series(grid["offered"].to_numpy(), index=wall)
            lookup = lookup[~lookup.index.duplicated()]
            before = lookup.reindex(wall - pd.Timedelta(days=7)).to_numpy()
            take = missing & ~np.isnan(before)
            grid.loc[take, "offered"] = before[take]
            filled = take
        else:
            take = missing.copy()
            if rule == "auto":
                key = wall.dayofweek * 1440 + wall.hour * 60 + wall.minute
                median = pd.Series(grid["offered"].to_numpy()).groupby(key).transform("median")
                # closed: no contacts (or never a row) at this interval of the week elsewhere
                take = missing & ~(median.to_numpy() > 0)
            for m in measures:
                if m in COUNT_FIELDS or m == "agents":
                    grid.loc[take, m] = 0.0
            filled = take
    gaps: list[dict[str, Any]] = []
    if missing.any():
        edges = np.flatnonzero(np.diff(np.r_[0, missing.astype(np.int8), 0]))
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            gaps.append(
                {
                    "start": full[a],
                    "end": full[b - 1],
                    "intervals": int(b - a),
                    "filled": int(filled[a:b].sum()),
                    "rule": rule,
                }
            )
    grid.index.name = "timestamp"
    return grid.reset_index(), gaps


def read_history(
    path: str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    timezone: str | None = None,
    gap_fill: GapRule = "auto",
    default_channel: str = "all",
    answer_threshold_s: float | None = None,
    dayfirst: bool = False,
    sheet: str | int | None = None,
) -> History:
    """Read and validate an interval history export.

    Parameters
    ----------
    path : str or pathlib.Path
        CSV (any of ``, ; tab |`` as delimiter, UTF-8 or Windows-1252; ``.csv.gz`` too) or XLSX
        file.
    columns : mapping of str to str, optional
        Canonical field → header, overriding the auto-detection (see
        :func:`cxplan.data.columns.detect_columns`).
    timezone : str, optional
        IANA zone (``"Europe/London"``) of the planning: naive times are local times there and
        times with an offset are converted to it.
    gap_fill : {"auto", "missing", "zero", "last_week", "error"}
        Rule for missing intervals (see :data:`GAP_RULES`).
    default_channel : str
        Channel name when the file has no channel/queue column.
    answer_threshold_s : float, optional
        Service-level threshold of the answered-within column (default: read from its header,
        e.g. "Answered in 20 s").
    dayfirst : bool
        Read ``01/03/2026`` as 1 March (non-ISO dates only).
    sheet : str or int, optional
        Worksheet of an XLSX file (default: the first).

    Returns
    -------
    History
        The validated history on a complete grid per channel.

    Raises
    ------
    DataError
        One line per problem (at most 100, then a count): ``file:row: column: message`` for a
        bad timestamp, text in a number column, a negative value, a duplicate interval, an
        interval off the grid (irregular step), a gap under ``gap_fill="error"``; ``file:
        message`` for a missing column or an unsupported interval length.
    InputError
        For a bad argument (unknown zone or gap rule).
    """
    if gap_fill not in GAP_RULES:
        raise InputError(f"gap_fill must be one of {', '.join(GAP_RULES)} (got {gap_fill!r})")
    if timezone is not None:
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise InputError(
                f"timezone {timezone!r} is not an IANA zone such as 'Europe/London'"
            ) from None
    source = str(path)
    raw, delimiter, preamble = _read_table(Path(path), source, sheet)
    if raw.empty:
        raise DataError(f"{source}:{2 + preamble}: no data rows")
    cmap = detect_columns(list(raw.columns), columns, source=source)
    n = len(raw)
    text = {f: raw[h].reset_index(drop=True) for f, h in cmap.headers.items()}
    rows = pd.DataFrame({"_row": np.arange(n) + 2 + preamble})
    numbers_present = [f for f in NUMBER_FIELDS if f in cmap]
    cleaned = pd.DataFrame(
        {
            f: _clean_numbers(text[f], duration=f in TIME_FIELDS, decimal_comma=delimiter != ",")
            for f in numbers_present
        }
    )
    problems = problems_from(
        run_schema(number_schema(numbers_present), cleaned),
        rows,
        source=source,
        header=cmap.header,
        raw=text,
        describe=lambda f, check, i: (
            f"not a number (got {str(text[f].iloc[i]).strip()!r})"
            if check.startswith("coerce_dtype") else None
        ),
    )  # fmt: skip
    numbers = pd.DataFrame(
        {f: pd.to_numeric(cleaned[f], errors="coerce") for f in numbers_present}, dtype=float
    )
    for f, factor in (cmap.scale or {}).items():
        numbers[f] = numbers[f] * factor
    if "channel" in cmap:
        channel = text["channel"].astype(str).str.strip().replace("", default_channel)
    else:
        channel = pd.Series(default_channel, index=rows.index)
    if "timestamp" in cmap:
        stamp_text = text["timestamp"]
    else:
        day = text["date"].map(
            lambda v: v.date().isoformat() if isinstance(v, dt.datetime) else str(v).strip()
        )
        clock = text["time"].map(
            lambda v: v.isoformat() if isinstance(v, dt.time) else str(v).strip()
        )
        stamp_text = day + " " + clock.str.split(r"\s*-\s*", n=1, regex=True).str[0]
    ts_header = cmap.header("timestamp") if "timestamp" in cmap else cmap.header("time")
    ts, reason = _parse_timestamps(stamp_text, channel, timezone, dayfirst, source, ts_header)
    step = _detect_step(ts, channel, source, ts_header)
    on_grid = (minute_of_day(ts.fillna(pd.Timestamp(0, tz=ts.dt.tz))) % step) == 0
    frame = pd.DataFrame({"timestamp": ts, "channel": channel, "_on_grid": on_grid})
    frame = pd.concat([frame, numbers, rows], axis=1)
    first_row = frame.groupby(["channel", "timestamp"])["_row"].transform("first")
    hint = (
        ""
        if ts.dt.tz is not None
        else "; if this is the repeated hour of a daylight-saving day, state the timezone"
    )

    def describe(f: str, check: str, i: int) -> str | None:
        if check == "not_nullable" and f == "timestamp":
            return str(reason.iloc[i])
        if check == "multiple_fields_uniqueness":
            if pd.isna(ts.iloc[i]):
                return None  # reported as a bad timestamp
            return (
                f"duplicate interval {ts.iloc[i]} for channel {channel.iloc[i]!r} "
                f"(first at row {int(first_row.iloc[i])}){hint}"
            )
        if check == "off_grid":
            return (
                f"{ts.iloc[i]} is not on the {step}-minute grid (irregular step: interval starts "
                f"are multiples of {step} minutes after midnight)"
            )
        if check == "negative":
            return f"must be >= 0 (got {float(numbers[f].to_numpy()[i]):g})"
        return None

    problems += problems_from(
        run_schema(value_schema(numbers_present), frame),
        frame,
        source=source,
        header=lambda f: ts_header if f == "timestamp" else cmap.header(f),
        raw=text,
        describe=describe,
    )
    if problems:
        raise DataError(_capped(problems))
    frame = frame.drop(columns=["_on_grid"])
    parts, gaps = [], []
    for name, sub in frame.groupby("channel", sort=True):
        grid, found = _fill(sub.drop(columns=["channel"]), gap_fill, numbers_present, step)
        grid.insert(0, "channel", name)
        parts.append(grid)
        gaps += [{"channel": name, **g, "row": _gap_row(grid, g)} for g in found]
    if gap_fill == "error" and gaps:
        lines = [
            (
                g["row"],
                f"{source}:{g['row']}: {ts_header}: gap before this row: {g['intervals']} "
                f"interval(s) missing from {g['start']} to {g['end']} (channel {g['channel']!r})",
            )
            for g in gaps
        ]
        raise DataError(_capped(lines))
    out = pd.concat(parts, ignore_index=True).drop(columns=["_row"])
    gap_frame = pd.DataFrame(gaps).drop(columns=["row"]) if gaps else _empty_gaps()
    threshold = answer_threshold_s if answer_threshold_s is not None else cmap.answer_threshold_s
    return History(
        frame=out[["channel", "timestamp", *numbers_present]],
        interval_minutes=step,
        source=source,
        timezone=timezone if timezone is not None else _zone_name(ts),
        gaps=gap_frame,
        answer_threshold_s=threshold,
    )


def _gap_row(grid: pd.DataFrame, gap: Mapping[str, Any]) -> int:
    after = grid.loc[grid["timestamp"] > gap["end"], "_row"]
    return int(after.iloc[0]) if len(after) else 0


def _zone_name(ts: pd.Series) -> str | None:
    tz = ts.dt.tz
    return None if tz is None else str(tz)


def _capped(problems: list[tuple[int, str]]) -> list[str]:
    lines = [line for _, line in sorted(problems, key=lambda p: p[0])]
    if len(lines) > MAX_PROBLEMS:
        rest = len(lines) - MAX_PROBLEMS
        lines = [*lines[:MAX_PROBLEMS], f"... and {rest} more problem(s)"]
    return lines


# ---------------------------------------------------------------------------------- aggregation


def aggregate(history: History, minutes: int) -> History:
    """Aggregate a history to a coarser planning interval.

    Offered, handled, abandoned, answered-within-threshold and handle seconds are summed; AHT and
    ASA are weighted by handled contacts (offered where handled is absent); agents staffed are
    averaged over time. A planning interval with any missing source interval is missing;
    incomplete planning intervals at either end of a channel's history are dropped.

    Parameters
    ----------
    history : History
        The history.
    minutes : int
        Planning interval, a whole multiple of the history's interval that divides a day.

    Returns
    -------
    History
        The aggregated history (the same object when ``minutes`` equals its interval).

    Raises
    ------
    InputError
        If ``minutes`` is not a multiple of the history's interval or does not divide a day.
    """
    step = history.interval_minutes
    if minutes == step:
        return history
    if minutes < step or minutes % step or 1440 % minutes:
        raise InputError(
            f"interval: {minutes} minutes is not a whole multiple of the history's "
            f"{step}-minute interval that divides a day"
        )
    f = history.frame
    offset = pd.to_timedelta(minute_of_day(f["timestamp"]) % minutes, unit="min")
    key = f["timestamp"] - offset.to_numpy()
    measures = list(history.measures)
    weight_col = "handled" if "handled" in f.columns else "offered"
    work = f[["channel", *measures]].copy()
    work["_key"] = key.to_numpy()
    work["_n"] = 1
    work["_nan"] = f["offered"].isna().to_numpy()
    for col in ("aht_s", "asa_s"):
        if col in work.columns:
            work[f"_{col}_w"] = (f[col] * f[weight_col]).to_numpy()
            work[f"_{col}_wsum"] = f[weight_col].where(f[col].notna()).to_numpy()
    sums = [c for c in measures if c in COUNT_FIELDS or c == "handle_s"]
    agg: dict[str, Any] = dict.fromkeys(sums, "sum")
    agg.update({"_n": "sum", "_nan": "any"})
    agg.update({c: "sum" for c in work.columns if c.endswith(("_w", "_wsum"))})
    if "agents" in work.columns:
        agg["agents"] = "mean"
    out = work.groupby(["channel", "_key"], sort=True).agg(agg)
    for col in ("aht_s", "asa_s"):
        if col in work.columns:
            wsum = out.pop(f"_{col}_wsum")
            out[col] = (out.pop(f"_{col}_w") / wsum).where(wsum > 0)
    out.loc[out["_nan"], sums] = np.nan
    # complete windows only (the ends of a channel's history may be partial)
    per = minutes // step
    out = out[out["_n"] >= per]
    out = out.drop(columns=["_n", "_nan"]).reset_index().rename(columns={"_key": "timestamp"})
    return replace(
        history, frame=out[["channel", "timestamp", *measures]], interval_minutes=minutes
    )
