"""Interval history import: bad-file corpus, header detection, DST, 6-minute data, XLSX,
aggregation and gap rules (cxplan.data.history, cxplan.data.columns)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxplan.data.columns import detect_columns
from cxplan.data.history import aggregate, read_history
from cxplan.errors import DataError, InputError


def write(tmp_path, text, name="h.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def history_csv(n=8, start="2026-01-05 08:00", step="15min", channel=None):
    idx = pd.date_range(start, periods=n, freq=step)
    lines = ["timestamp,offered" + (",channel" if channel else "")]
    lines += [
        f"{t:%Y-%m-%d %H:%M},{i}" + (f",{channel}" if channel else "") for i, t in enumerate(idx)
    ]
    return "\n".join(lines) + "\n"


# Each bad file and the exact problem lines it must give ({f} is the file path).
BAD_FILES = [
    (
        "text in a number column",
        "timestamp,offered\n2026-01-05 08:00,3\n2026-01-05 08:15,abc\n2026-01-05 08:30,4\n",
        ["{f}:3: offered: not a number (got 'abc')"],
    ),
    (
        "negative count",
        "timestamp,offered\n2026-01-05 08:00,3\n2026-01-05 08:15,-2\n2026-01-05 08:30,4\n",
        ["{f}:3: offered: must be >= 0 (got -2)"],
    ),
    (
        "bad timestamp",
        "timestamp,offered\n2026-01-05 08:00,3\n2026-13-45 08:15,2\n2026-01-05 08:30,4\n",
        ["{f}:3: timestamp: not a timestamp (got '2026-13-45 08:15')"],
    ),
    (
        "duplicate interval",
        "timestamp,offered\n2026-01-05 08:00,3\n2026-01-05 08:15,2\n2026-01-05 08:15,4\n",
        [
            "{f}:4: timestamp: duplicate interval 2026-01-05 08:15:00 for channel 'all' (first "
            "at row 3); if this is the repeated hour of a daylight-saving day, state the timezone"
        ],
    ),
    (
        "irregular step",
        "timestamp,offered\n2026-01-05 08:00,3\n2026-01-05 08:15,2\n2026-01-05 08:22,1\n"
        "2026-01-05 08:30,4\n",
        [
            "{f}:4: timestamp: 2026-01-05 08:22:00 is not on the 15-minute grid (irregular step: "
            "interval starts are multiples of 15 minutes after midnight)"
        ],
    ),
    (
        "unsupported interval",
        "timestamp,offered\n2026-01-05 08:00,3\n2026-01-05 08:07,2\n2026-01-05 08:14,4\n",
        ["{f}: timestamp: intervals of 7 minutes are not supported (5, 6, 10, 15, 30 or 60)"],
    ),
    (
        "no offered column",
        "timestamp,handled\n2026-01-05 08:00,3\n",
        [
            "{f}:1: offered: no offered-contacts column found (looked for headers like 'offered', "
            "'Calls Offered', 'Contacts incoming'; got timestamp, handled)"
        ],
    ),
    (
        "wrong field count",
        "timestamp,offered\n2026-01-05 08:00,3\n2026-01-05 08:15,2,9\n",
        ["{f}:3: expected 2 fields, saw 3"],
    ),
    ("empty file", "", ["{f}:1: empty file (a header row is needed)"]),
    ("header only", "timestamp,offered\n", ["{f}:2: no data rows"]),
    (
        "several problems, one line each, in row order",
        "Interval Start,Calls Offered,AHT\n2026-01-05 08:00,3,x\n2026-01-05 08:15,-1,200\n"
        "nonsense,2,200\n",
        [
            "{f}:2: AHT: not a number (got 'x')",
            "{f}:3: Calls Offered: must be >= 0 (got -1)",
            "{f}:4: Interval Start: not a timestamp (got 'nonsense')",
        ],
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_files_give_one_exact_line_per_problem(tmp_path, case, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(DataError) as info:
        read_history(path)
    assert info.value.problems == [line.format(f=path) for line in expected]
    assert isinstance(info.value, ValueError)


def test_gap_under_error_rule_names_the_row_after_the_gap(tmp_path):
    text = "timestamp,offered\n2026-01-05 08:00,3\n2026-01-05 08:15,2\n2026-01-05 09:00,4\n"
    path = write(tmp_path, text)
    with pytest.raises(DataError) as info:
        read_history(path, gap_fill="error")
    assert info.value.problems == [
        f"{path}:4: timestamp: gap before this row: 2 interval(s) missing from "
        "2026-01-05 08:30:00 to 2026-01-05 08:45:00 (channel 'all')"
    ]


def test_problem_list_is_capped(tmp_path):
    idx = pd.date_range("2026-01-05", periods=150, freq="15min")
    rows = "".join(f"{t:%Y-%m-%d %H:%M},-1\n" for t in idx)
    with pytest.raises(DataError) as info:
        read_history(write(tmp_path, "timestamp,offered\n" + rows))
    assert len(info.value.problems) == 101
    assert info.value.problems[-1] == "... and 50 more problem(s)"


def test_missing_file_and_bad_arguments(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        read_history(tmp_path / "none.csv")
    path = write(tmp_path, history_csv())
    with pytest.raises(InputError, match="gap_fill"):
        read_history(path, gap_fill="guess")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="IANA"):
        read_history(path, timezone="Mars/Olympus")


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        # Genesys Cloud-style interval export
        (
            ["Interval Start", "Queue", "Offer", "Answered", "Abandoned", "AHT"],
            {"timestamp": "Interval Start", "channel": "Queue", "offered": "Offer",
             "handled": "Answered", "abandoned": "Abandoned", "aht_s": "AHT"},
        ),
        # Amazon Connect-style: threshold in the header
        (
            ["StartInterval", "Queue", "Contacts incoming", "Contacts handled",
             "Contacts answered in 20 seconds", "Average handle time"],
            {"timestamp": "StartInterval", "channel": "Queue", "offered": "Contacts incoming",
             "handled": "Contacts handled",
             "answered_in_threshold": "Contacts answered in 20 seconds",
             "aht_s": "Average handle time"},
        ),
        # Avaya CMS-style split date and interval columns
        (
            ["Date", "Interval", "Split/Skill", "Calls Offered", "ACD Calls", "Aban Calls",
             "Avg Pos Staff"],
            {"date": "Date", "time": "Interval", "channel": "Split/Skill",
             "offered": "Calls Offered", "handled": "ACD Calls", "abandoned": "Aban Calls",
             "agents": "Avg Pos Staff"},
        ),
        # Five9-style half-hour report, case and spacing differ
        (
            ["DATE", "HALF HOUR", "SKILL", "CALLS OFFERED", "AVG HANDLE TIME (sec)"],
            {"date": "DATE", "time": "HALF HOUR", "channel": "SKILL",
             "offered": "CALLS OFFERED", "aht_s": "AVG HANDLE TIME (sec)"},
        ),
    ],
)  # fmt: skip
def test_header_detection(headers, expected):
    cmap = detect_columns(headers)
    assert cmap.headers == expected


def test_threshold_and_units_from_headers():
    cmap = detect_columns(["timestamp", "offered", "Answered within 30s", "Handle time (ms)"])
    assert cmap.answer_threshold_s == 30.0
    assert cmap.headers["handle_s"] == "Handle time (ms)"
    assert cmap.scale == {"handle_s": 0.001}


def test_explicit_mapping_overrides_and_is_checked():
    cmap = detect_columns(["when", "n", "offered"], {"timestamp": "WHEN", "offered": "n"})
    assert cmap.headers == {"timestamp": "when", "offered": "n"}
    with pytest.raises(DataError) as info:
        detect_columns(["when", "n"], {"timestamp": "missing", "volume": "n"}, source="f.csv")
    assert info.value.problems == [
        "f.csv:1: missing: column given for timestamp is not in the file (headers: when, n)",
        "f.csv: columns: unknown field 'volume' (known: timestamp, date, time, channel, offered, "
        "handled, abandoned, answered_in_threshold, aht_s, handle_s, asa_s, agents)",
        "f.csv:1: offered: no offered-contacts column found (looked for headers like 'offered', "
        "'Calls Offered', 'Contacts incoming'; got when, n)",
    ]


def test_split_date_time_semicolons_decimal_comma_and_durations(tmp_path):
    text = (
        "Date;Interval;Calls Offered;AHT\n"
        "05/01/2026;08:00-08:30;10;0:03:30\n"
        "05/01/2026;08:30-09:00;12;3:15\n"
        "05/01/2026;09:00-09:30;8;200,5\n"
    )
    h = read_history(write(tmp_path, text), dayfirst=True)
    assert h.interval_minutes == 30
    assert list(h.frame["timestamp"]) == list(
        pd.date_range("2026-01-05 08:00", periods=3, freq="30min")
    )
    assert h.frame["aht_s"].tolist() == [210.0, 195.0, 200.5]


def _dst_rows(day, hours):
    return [f"{day} {h:02d}:{m:02d}" for h in hours for m in (0, 30)]


def test_dst_days_of_23_and_25_hours(tmp_path):
    # Europe/London: 2026-03-29 has 23 hours (01:00-02:00 skipped), 2026-10-25 has 25 (01:00
    # repeated, first in summer time BST, then GMT).
    spring = _dst_rows("2026-03-29", [0, *range(2, 24)])
    autumn = _dst_rows("2026-10-25", [0, 1, 1, *range(2, 24)])
    lines = ["timestamp,offered"] + [f"{t},1" for t in spring]
    h = read_history(write(tmp_path, "\n".join(lines) + "\n"), timezone="Europe/London")
    assert len(h.frame) == 46 and h.gaps.empty
    lines = ["timestamp,offered"] + [f"{t},1" for t in autumn]
    h = read_history(write(tmp_path, "\n".join(lines) + "\n", "b.csv"), timezone="Europe/London")
    assert len(h.frame) == 50 and h.gaps.empty
    offsets = {t.utcoffset() for t in h.frame["timestamp"] if t.hour == 1}
    assert offsets == {pd.Timedelta(hours=1), pd.Timedelta(0)}
    # the skipped hour must not appear
    bad = ["timestamp,offered", "2026-03-29 00:30,1", "2026-03-29 01:30,1", "2026-03-29 02:00,1"]
    path = write(tmp_path, "\n".join(bad) + "\n", "c.csv")
    with pytest.raises(DataError) as info:
        read_history(path, timezone="Europe/London")
    assert info.value.problems == [
        f"{path}:3: timestamp: '2026-03-29 01:30' does not exist in Europe/London "
        "(clocks go forward)"
    ]


def test_utc_offsets_converted_to_the_zone_and_mixed_offsets_need_one(tmp_path):
    text = (
        "timestamp,offered\n2026-03-28T23:00:00Z,1\n2026-03-28T23:30:00Z,2\n"
        "2026-03-29T00:00:00Z,3\n"
    )
    path = write(tmp_path, text)
    h = read_history(path, timezone="Europe/Paris")
    assert str(h.frame["timestamp"].iloc[-1]) == "2026-03-29 01:00:00+01:00"
    mixed = "timestamp,offered\n2026-03-29T01:30:00+01:00,1\n2026-03-29T03:00:00+02:00,2\n"
    path = write(tmp_path, mixed, "m.csv")
    with pytest.raises(DataError, match="several UTC offsets"):
        read_history(path)
    assert len(read_history(path, timezone="Europe/Paris").frame) == 2


def test_a_year_of_six_minute_counts_imports_and_aggregates(tmp_path):
    # A bank's export: one queue, 6-minute intervals for a year, closed at night (rows kept).
    idx = pd.date_range("2025-01-01", "2025-12-31 23:54", freq="6min")
    rng = np.random.default_rng(1)
    open_ = (idx.hour >= 8) & (idx.hour < 18)
    counts = np.where(open_, rng.poisson(6.0, len(idx)), 0)
    frame = pd.DataFrame({"Interval": idx.strftime("%Y-%m-%d %H:%M"), "Calls": counts})
    path = tmp_path / "bank.csv"
    frame.to_csv(path, index=False)
    h = read_history(path)
    assert h.interval_minutes == 6 and len(h.frame) == 365 * 240
    half = h.at(30)
    assert half.interval_minutes == 30 and len(half.frame) == 365 * 48
    # independent: pandas resample of the raw counts
    expected = pd.Series(counts, index=idx).resample("30min").sum()
    assert np.array_equal(half.frame["offered"].to_numpy(), expected.to_numpy())
    with pytest.raises(InputError, match="not a whole multiple"):
        h.at(15)


def test_aggregation_sums_counts_weights_aht_and_averages_agents(tmp_path):
    text = (
        "timestamp,offered,handled,aht_s,agents\n"
        "2026-01-05 08:00,10,8,100,2\n"
        "2026-01-05 08:15,20,12,200,4\n"
        "2026-01-05 08:30,0,0,,3\n"
        "2026-01-05 08:45,5,4,300,3\n"
    )
    h = aggregate(read_history(write(tmp_path, text)), 30)
    f = h.frame
    assert f["offered"].tolist() == [30.0, 5.0]
    assert f["handled"].tolist() == [20.0, 4.0]
    # AHT weighted by handled contacts: (8*100 + 12*200) / 20 = 160
    assert f["aht_s"].tolist() == pytest.approx([160.0, 300.0])
    assert f["agents"].tolist() == [3.0, 3.0]


@pytest.mark.parametrize(
    ("rule", "expected", "filled"),
    [
        ("missing", [np.nan, np.nan], 0),
        ("zero", [0.0, 0.0], 2),
        ("last_week", [7.0, 7.0], 2),
    ],
)
def test_gap_rules(tmp_path, rule, expected, filled):
    idx = pd.date_range("2026-01-05 08:00", periods=8 * 4 * 24, freq="15min")
    values = np.full(len(idx), 7.0)
    frame = pd.DataFrame({"timestamp": idx.strftime("%Y-%m-%d %H:%M"), "offered": values})
    frame = frame.drop(index=[700, 701])  # two missing intervals in the second week
    path = tmp_path / "g.csv"
    frame.to_csv(path, index=False)
    h = read_history(path, gap_fill=rule)
    got = h.frame["offered"].to_numpy()[700:702]
    np.testing.assert_array_equal(got, expected)
    assert h.gaps[["intervals", "filled", "rule"]].values.tolist() == [[2, filled, rule]]


def test_auto_rule_fills_closed_intervals_with_zero_and_leaves_open_ones_missing(tmp_path):
    # Platform omits empty night intervals: open 08:00-18:00 every day for three weeks.
    idx = pd.date_range("2026-01-05", periods=21 * 96, freq="15min")
    keep = (idx.hour >= 8) & (idx.hour < 18)
    frame = pd.DataFrame({"timestamp": idx[keep].strftime("%Y-%m-%d %H:%M"), "offered": 5})
    frame = frame.drop(index=[100])  # one open interval missing too
    path = tmp_path / "a.csv"
    frame.to_csv(path, index=False)
    h = read_history(path)  # auto
    night = h.frame[(h.frame["timestamp"].dt.hour < 8) | (h.frame["timestamp"].dt.hour >= 18)]
    assert (night["offered"] == 0).all()
    assert h.frame["offered"].isna().sum() == 1


def test_xlsx_import(tmp_path):
    idx = pd.date_range("2026-01-05 08:00", periods=6, freq="30min")
    frame = pd.DataFrame({"Interval Start": idx, "Queue": ["A"] * 6, "Offered": [1, 2, 3, 4, 5, 6]})
    path = tmp_path / "h.xlsx"
    frame.to_excel(path, index=False)
    h = read_history(path)
    assert h.channels == ("A",) and h.interval_minutes == 30
    assert h.frame["offered"].tolist() == [1.0, 2, 3, 4, 5, 6]
    bad = frame.astype(object)
    bad.loc[2, "Offered"] = "n/a"
    bad.to_excel(path, index=False)
    with pytest.raises(DataError) as info:
        read_history(path)
    assert info.value.problems == [f"{path}:4: Offered: not a number (got 'n/a')"]


def test_channels_and_gz(tmp_path):
    import gzip

    text = history_csv(8, channel="voice") + history_csv(8, channel="chat").split("\n", 1)[1]
    (tmp_path / "h.csv.gz").write_bytes(gzip.compress(text.encode()))
    h = read_history(tmp_path / "h.csv.gz")
    assert h.channels == ("chat", "voice")
    assert h.series("voice").sum() == sum(range(8))


@settings(max_examples=25, deadline=None)
@given(
    counts=st.lists(st.integers(0, 500), min_size=48, max_size=48),
    minutes=st.sampled_from([30, 60, 120]),
)
def test_aggregation_conserves_volume(tmp_path_factory, counts, minutes):
    path = tmp_path_factory.mktemp("agg") / "h.csv"
    idx = pd.date_range("2026-01-05", periods=48, freq="15min")
    pd.DataFrame({"timestamp": idx.strftime("%Y-%m-%d %H:%M"), "offered": counts}).to_csv(
        path, index=False
    )
    h = read_history(path)
    agg = h.at(minutes)
    assert agg.frame["offered"].sum() == sum(counts)
    assert len(agg.frame) == 48 * 15 // minutes
