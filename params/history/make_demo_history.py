"""Generate the DEMO interval history (synthetic; no client data) from a known process.

Run ``python params/history/make_demo_history.py`` to (re)write ``demo_history.csv.gz`` beside
this file (gzip; ``cxplan`` reads it as it is). Tests import :func:`demo_history` to get the
counts together with the true expected values and check that the forecast recovers them. See
README.md for the process.
"""

from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd

COUNTRY = "US"  # national public holidays of the demo (holidays library)
START = "2024-01-01"  # a Monday
WEEKS = 104
STEP_MINUTES = 15
SEED = 13
ANSWER_TIME_S = 20.0

# Channel: (daily volume on an average Wednesday at the start, annual growth, annual amplitude,
# peak day of year, Mon..Sun factors, holiday factor, AHT s, patience s or None)
CHANNELS: dict[str, dict[str, object]] = {
    "voice": {
        "daily": 2400.0, "growth": -0.05, "amp": 0.12, "peak_doy": 20,
        "dow": (1.25, 1.10, 1.00, 0.97, 0.92, 0.45, 0.0), "holiday": 0.0,
        "aht_s": 330.0, "patience_s": 120.0,
    },
    "chat": {
        "daily": 900.0, "growth": 0.30, "amp": 0.08, "peak_doy": 330,
        "dow": (1.10, 1.05, 1.00, 1.00, 0.95, 0.70, 0.55), "holiday": 0.4,
        "aht_s": 540.0, "patience_s": 300.0,
    },
    "email": {
        "daily": 600.0, "growth": 0.05, "amp": 0.10, "peak_doy": 60,
        "dow": (1.30, 1.10, 1.00, 1.00, 0.95, 0.50, 0.45), "holiday": 0.5,
        "aht_s": 420.0, "patience_s": None,
    },
}  # fmt: skip


def _bump(hours: np.ndarray, centre: float, width: float) -> np.ndarray:
    return np.exp(-0.5 * ((hours - centre) / width) ** 2)


def intraday_shape(channel: str, day_type: str) -> np.ndarray:
    """Share of the day's volume per 15-minute interval (sums to 1)."""
    h = (np.arange(96) + 0.5) / 4.0
    if channel == "voice":
        if day_type == "weekday":
            w = (_bump(h, 10.5, 1.5) + 0.8 * _bump(h, 14.5, 1.8)) * ((h >= 8) & (h < 20))
        elif day_type == "saturday":
            w = _bump(h, 11.0, 1.8) * ((h >= 9) & (h < 17))
        else:  # closed on Sundays and holidays
            w = _bump(h, 12.0, 3.0) * ((h >= 9) & (h < 17))
    elif channel == "chat":
        base = (h >= 8) & (h < 22)
        if day_type == "weekday":
            w = (_bump(h, 11.5, 2.0) + 0.9 * _bump(h, 20.0, 1.5)) * base
        else:
            w = (0.6 * _bump(h, 13.0, 2.5) + _bump(h, 20.0, 1.5)) * base
    else:  # email arrives around the clock
        if day_type == "weekday":
            w = 0.05 + _bump(h, 10.0, 2.5) + 0.6 * _bump(h, 15.5, 2.0)
        else:
            w = 0.08 + 0.7 * _bump(h, 12.0, 4.0)
    return w / w.sum()


def demo_history(seed: int = SEED, weeks: int = WEEKS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build the demo export and the true expected volumes.

    Returns
    -------
    export : pandas.DataFrame
        ``timestamp, channel, offered, handled, abandoned, answered_in_threshold, aht_s,
        agents`` as a platform would export it (voice and chat queued with staffed agents;
        email offered and AHT only), with a few outlier intervals and one 3-hour gap in voice.
    expected : pandas.DataFrame
        ``timestamp, channel, expected`` (the Poisson means, before outliers).
    """
    import holidays

    from cxplan.workforce import queueing

    rng = np.random.default_rng(seed)
    days = pd.date_range(START, periods=7 * weeks, freq="D")
    hol = holidays.country_holidays(COUNTRY, years=range(days[0].year, days[-1].year + 1))
    is_hol = np.array([d in hol for d in days.date])
    dow = np.asarray(days.dayofweek)
    t_years = np.arange(len(days)) / 365.25
    doy = np.asarray(days.dayofyear, dtype=float)
    stamps = pd.date_range(START, periods=len(days) * 96, freq=f"{STEP_MINUTES}min")
    exports, expected = [], []
    for name, c in CHANNELS.items():
        dow_f = np.asarray(c["dow"], dtype=float)[dow]
        season = 1.0 + float(c["amp"]) * np.cos(2 * np.pi * (doy - float(c["peak_doy"])) / 365.25)  # type: ignore[arg-type]
        trend = (1.0 + float(c["growth"])) ** t_years  # type: ignore[arg-type]
        base = float(c["daily"]) * trend * season  # type: ignore[arg-type]
        total = base * np.where(is_hol, float(c["holiday"]), dow_f)  # type: ignore[arg-type]
        kinds = np.where(
            is_hol,
            "holiday",
            np.where(dow == 5, "saturday", np.where(dow == 6, "sunday", "weekday")),
        )
        shapes = {k: intraday_shape(name, k) for k in ("weekday", "saturday", "sunday", "holiday")}
        lam = np.concatenate([total[i] * shapes[kinds[i]] for i in range(len(days))])
        offered = rng.poisson(lam).astype(float)
        # outliers: three incident intervals at 5x, one day of double volume (a mailing)
        for i in rng.choice(np.flatnonzero(lam > lam.mean()), size=3, replace=False):
            offered[i] = float(rng.poisson(5 * lam[i]))
        spike_day = 7 * (weeks // 2) + 2
        offered[spike_day * 96 : (spike_day + 1) * 96] = rng.poisson(
            2 * lam[spike_day * 96 : (spike_day + 1) * 96]
        )
        aht = float(c["aht_s"]) * np.exp(rng.normal(0, 0.05, lam.size))  # type: ignore[arg-type]
        frame = pd.DataFrame({"timestamp": stamps, "channel": name, "offered": offered})
        patience = c["patience_s"]
        if patience is not None:
            traffic = lam * float(c["aht_s"]) / (STEP_MINUTES * 60.0)  # type: ignore[arg-type]
            need = queueing.required_agents(
                traffic, float(c["aht_s"]), ANSWER_TIME_S, 0.8, patience=float(patience)
            )  # type: ignore[arg-type]
            agents = np.where(lam > 0.05, np.maximum(need + rng.integers(-2, 3, lam.size), 1), 0)
            real = offered * float(c["aht_s"]) / (STEP_MINUTES * 60.0)  # type: ignore[arg-type]
            pab = np.where(
                agents > 0,
                queueing.abandonment(real, agents, float(c["aht_s"]), float(patience)),
                1.0,
            )  # type: ignore[arg-type]
            sl = np.where(
                agents > 0,
                queueing.service_level(
                    real,
                    agents,
                    float(c["aht_s"]),
                    ANSWER_TIME_S,
                    float(patience),
                    definition="answered",
                ),
                0.0,
            )  # type: ignore[arg-type]
            abandoned = rng.binomial(offered.astype(np.int64), np.clip(pab, 0, 1))
            handled = offered - abandoned
            frame["handled"] = handled
            frame["abandoned"] = abandoned
            frame["answered_in_threshold"] = rng.binomial(
                handled.astype(np.int64), np.clip(sl, 0, 1)
            )
            frame["agents"] = agents
        frame["aht_s"] = np.where(offered > 0, np.round(aht, 1), np.nan)
        if name == "voice":  # a 3-hour outage of the export (missing rows)
            gap_day = 7 * (weeks - 20) + 1
            frame = frame.drop(frame.index[gap_day * 96 + 40 : gap_day * 96 + 52])
        exports.append(frame)
        expected.append(pd.DataFrame({"timestamp": stamps, "channel": name, "expected": lam}))
    export = pd.concat(exports, ignore_index=True)
    for col in ("handled", "abandoned", "answered_in_threshold", "agents"):
        export[col] = export[col].astype("Int64")
    export["offered"] = export["offered"].astype("Int64")
    return export, pd.concat(expected, ignore_index=True)


def main(argv: list[str] | None = None) -> int:
    """Write ``demo_history.csv.gz`` (or the path given; ``.csv`` for plain text)."""
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Path(__file__).with_name("demo_history.csv.gz")
    export, _ = demo_history()
    export["timestamp"] = export["timestamp"].dt.strftime("%Y-%m-%d %H:%M")
    marker = "# cxplan demo data: synthetic interval history, not client data (README.md)\n"
    text = (marker + export.to_csv(index=False, lineterminator="\n")).encode("utf-8")
    if out.suffix == ".gz":  # deterministic: no file name or time stamp in the gzip header
        buffer = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
            gz.write(text)
        text = buffer.getvalue()
    out.write_bytes(text)
    print(f"wrote {out} ({len(export):,} rows, DEMO data)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
