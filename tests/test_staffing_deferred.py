"""cxplan.workforce.staffing deferred work (email / back office): DeferredChannel through
staff_intervals.

The model (``_staff_deferred`` docstring): cumulative completions ``D`` stay in the band
``W(k − R) ≤ D(k) ≤ W(k)`` (nothing done before it arrives, everything within the response time),
following the trailing moving average of cumulative arrivals over one response window, processed
only in open hours. Contacts of an interval count as arriving mid-interval.

Reference values are hand arithmetic written beside each test; the invariants are checked from
the table alone: items processed in an interval = occupancy × agents × interval ÷ AHT (the work
the staffed agents do), and the flow balance ``backlog[k] = backlog[k−1] + contacts[k] − done[k]``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st
from hypothesis_support import scaled

from cxplan.errors import InputError
from cxplan.workforce.staffing import COLUMNS, DeferredChannel, staff_intervals

SETTINGS = settings(max_examples=scaled(80), deadline=None)
TOL = 1e-6


def day_index(freq: str = "15min", days: int = 1, start: str = "2026-01-05") -> pd.DatetimeIndex:
    step = pd.Timedelta(freq)
    return pd.date_range(start, periods=int(days * pd.Timedelta("1D") / step), freq=freq)


def processed(table: pd.DataFrame, aht: float, step: float) -> np.ndarray:
    """Items handled per interval by the staffed agents: occupancy × agents × step ÷ AHT."""
    return (table["occupancy"] * table["agents"] * step / aht).to_numpy()


def carried_in(table: pd.DataFrame, aht: float, step: float) -> float:
    """Backlog entering the first interval implied by the flow balance of interval 0."""
    return float(
        table["backlog"].iloc[0] - table["contacts"].iloc[0] + processed(table, aht, step)[0]
    )


def check_flow_balance(table: pd.DataFrame, aht: float, step: float) -> None:
    done = processed(table, aht, step)
    backlog = table["backlog"].to_numpy()
    prev = np.concatenate([[carried_in(table, aht, step)], backlog[:-1]])
    np.testing.assert_allclose(prev + table["contacts"].to_numpy() - done, backlog, atol=TOL)


# a typical day (15-min intervals): quiet night, morning peak, afternoon shoulder
TYPICAL_DAY = np.concatenate(
    [np.full(28, 1.0), np.full(12, 14.0), np.full(16, 9.0), np.full(20, 6.0), np.full(20, 2.0)]
)
assert TYPICAL_DAY.size == 96


# ------------------------------------------------------------------------------------------------
# always open
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("response_h", [1.0, 4.0, 8.0, 24.0, 72.0])
def test_cyclic_work_conservation_always_open(response_h: float) -> None:
    # Cyclic profile, max_occupancy 1: over the cycle every arrival is processed exactly once, so
    # staffed hours cover the workload, 500 items × 300 s = 41.67 agent-hours, plus the rounding
    # up to whole agents: at most one extra agent per interval, 96 × 0.25 h = 24 h.
    step, aht = 900.0, 300.0
    volume = pd.Series(TYPICAL_DAY, index=day_index())
    assert volume.sum() == 28 * 1 + 12 * 14 + 16 * 9 + 20 * 6 + 20 * 2 == 500
    workload_h = 500 * aht / 3600  # 41.67 agent-hours
    table = staff_intervals(
        volume, DeferredChannel(aht_s=aht, response_time_s=response_h * 3600, max_occupancy=1.0)
    )
    assert list(table.columns) == list(COLUMNS)
    agent_hours = table["agent_hours"].sum()
    assert agent_hours >= workload_h - TOL
    assert agent_hours <= workload_h + len(volume) * step / 3600 + TOL
    assert processed(table, aht, step).sum() == pytest.approx(500.0)
    # cyclic: the backlog carried into the first interval is the one the last interval leaves
    assert carried_in(table, aht, step) == pytest.approx(table["backlog"].iloc[-1], abs=TOL)
    check_flow_balance(table, aht, step)


@pytest.mark.parametrize("cyclic", [True, False])
@pytest.mark.parametrize("response_s", [600.0, 3600.0, 5000.0, 4 * 3600.0, 86_400.0])
def test_always_open_every_contact_meets_the_response_time(cyclic: bool, response_s: float) -> None:
    volume = pd.Series(TYPICAL_DAY, index=day_index())
    table = staff_intervals(
        volume, DeferredChannel(aht_s=240, response_time_s=response_s, cyclic=cyclic)
    )
    assert (table["service_level"] == 1.0).all()
    busy = table["contacts"] > 0
    assert (table.loc[busy, "asa_s"] <= response_s).all()
    assert (table["backlog"] >= -TOL).all()
    assert (table["occupancy"] <= 0.90 + 1e-9).all()  # default max_occupancy 0.90
    np.testing.assert_allclose(table["agent_hours"], table["agents"] * 900 / 3600)
    assert (table["abandonment"] == 0.0).all()
    np.testing.assert_allclose(table["traffic_erl"], volume.to_numpy() * 240 / 900)


def test_hand_example_moving_average_of_the_response_window() -> None:
    # Hourly profile [8, 0, 0, 0], AHT 900 s, response 2 h, max_occupancy 1, no backlog before.
    # Staff each interval at the average arrival rate of the last 2 h (docstring):
    #   hour 0: 8 arrived in the window -> 4 processed; hour 1: still 8 in the window -> 4;
    #   hours 2-3: nothing -> 0.  Work 4 × 900 s = 3,600 s = 1 agent-hour in hours 0 and 1.
    # Backlog after each hour: 4, 0, 0, 0. The last of hour 0's items finish in hour 1:
    # delay (1 + 0.5) h = 5,400 s <= 7,200 s -> service level 1.
    volume = pd.Series([8.0, 0.0, 0.0, 0.0], index=day_index("60min")[:4])
    for cyclic in (False, True):  # the cyclic profile's tail is empty: same answer
        ch = DeferredChannel(aht_s=900, response_time_s=7200, max_occupancy=1.0, cyclic=cyclic)
        table = staff_intervals(volume, ch)
        assert table["agents"].tolist() == [1, 1, 0, 0]
        np.testing.assert_allclose(table["backlog"], [4.0, 0.0, 0.0, 0.0])
        np.testing.assert_allclose(table["occupancy"], [1.0, 1.0, 0.0, 0.0])
        assert table["service_level"].tolist() == [1.0, 1.0, 1.0, 1.0]
        np.testing.assert_allclose(table["asa_s"], [5400.0, 0.0, 0.0, 0.0])


def test_response_time_shorter_than_one_interval() -> None:
    # Response 10 min < the 15-min interval: each interval's items are processed in the interval
    # itself (the response window is one interval), no backlog is carried. AHT 120 s,
    # max_occupancy 0.8: agents = ceil(contacts × 120 ÷ (900 × 0.8)) = ceil(contacts ÷ 6):
    # 0 -> 0, 5 -> 1, 12 -> 2, 31 -> 6.
    volume = pd.Series([0.0, 5.0, 12.0, 31.0], index=day_index()[:4])
    table = staff_intervals(
        volume, DeferredChannel(aht_s=120, response_time_s=600, max_occupancy=0.8), interval_s=900
    )
    assert table["agents"].tolist() == [0, 1, 2, 6]
    np.testing.assert_allclose(table["backlog"], 0.0, atol=TOL)
    np.testing.assert_allclose(processed(table, 120, 900), volume.to_numpy())
    # mid-interval arrival, done by the interval's end: 450 s <= 600 s
    assert (table["service_level"] == 1.0).all()


def test_non_cyclic_starts_empty_and_never_processes_ahead_of_arrivals() -> None:
    step, aht = 900.0, 300.0
    volume = pd.Series(TYPICAL_DAY[::-1].copy(), index=day_index())  # busy end of day
    table = staff_intervals(
        volume,
        DeferredChannel(aht_s=aht, response_time_s=4 * 3600, max_occupancy=1.0, cyclic=False),
    )
    done = processed(table, aht, step)
    assert carried_in(table, aht, step) == pytest.approx(0.0, abs=TOL)
    # cumulative processing never exceeds cumulative arrivals
    assert (np.cumsum(done) <= np.cumsum(volume.to_numpy()) + TOL).all()
    check_flow_balance(table, aht, step)
    # work not finished inside the profile is left as the final backlog
    assert done.sum() + table["backlog"].iloc[-1] == pytest.approx(volume.sum())
    assert table["backlog"].iloc[-1] > 0


def test_deferred_range_index_with_interval_s() -> None:
    volume = pd.Series([10.0, 0.0, 20.0])
    table = staff_intervals(
        volume, DeferredChannel(aht_s=180, response_time_s=900, max_occupancy=1.0), interval_s=900
    )
    # window of one interval: processed as they arrive; ceil(10 × 180 ÷ 900) = 2, ceil(20 × 0.2) = 4
    assert table["agents"].tolist() == [2, 0, 4]
    assert table.index.equals(volume.index)


# ------------------------------------------------------------------------------------------------
# open hours
# ------------------------------------------------------------------------------------------------


def test_open_hours_no_agents_in_closed_intervals() -> None:
    index = day_index(days=2)
    volume = pd.Series(np.tile(TYPICAL_DAY, 2), index=index)
    for cyclic in (True, False):
        table = staff_intervals(
            volume,
            DeferredChannel(aht_s=300, response_time_s=86_400, open_hours=(8, 20), cyclic=cyclic),
        )
        hour = index.hour
        closed = (hour < 8) | (hour >= 20)
        assert (table.loc[closed, "agents"] == 0).all()
        assert (table.loc[closed, "agent_hours"] == 0.0).all()
        assert (table.loc[~closed, "agents"] > 0).any()
        assert (table["backlog"] >= -TOL).all()
        # 24 h response: whatever arrives overnight is done the next open day -> all on time
        assert (table["service_level"] == 1.0).all()


def test_arrivals_before_opening_miss_a_short_response_time() -> None:
    # Open 08:00-20:00, response 1 h, 15-min intervals, AHT 450 s, max_occupancy 1. Four items
    # arrive 06:00-06:15 (mid 06:07:30). Nothing is processed before 08:00, so they are done in
    # the 08:00 interval: delay = (8 intervals + ½) × 900 s = 7,650 s > 3,600 s -> service level 0.
    # Staffing at 08:00: 4 × 450 s ÷ 900 s = 2 agents (0.5 agent-hours).
    index = day_index()
    volume = pd.Series(0.0, index=index)
    volume["2026-01-05 06:00"] = 4.0
    table = staff_intervals(
        volume,
        DeferredChannel(aht_s=450, response_time_s=3600, max_occupancy=1.0, open_hours=(8, 20)),
    )
    row = table.loc["2026-01-05 06:00"]
    assert row["service_level"] == 0.0
    assert row["asa_s"] == pytest.approx(7650.0)
    assert table.loc["2026-01-05 08:00", "agents"] == 2
    assert table["agents"].sum() == 2
    assert table["agent_hours"].sum() == pytest.approx(0.5)
    np.testing.assert_allclose(table.loc["2026-01-05 06:00":"2026-01-05 07:45", "backlog"], 4.0)


def test_arrivals_just_before_closing_cannot_meet_a_short_response_time() -> None:
    # The brief's hand case. Open 08:00-20:00, response 1 h, 15-min intervals, AHT 600 s.
    # 8 items arrive 19:45-20:00; by the module's own convention they arrive mid-interval, at
    # 19:52:30. Each needs 600 s of handling, so the earliest finish is 20:02:30 -- after the
    # 20:00 close; the next opening (08:00) is far beyond the 1 h deadline (20:52:30). So at least
    # some of them (all, for the representative mid-interval item) miss: service level < 1.
    # A completion delay shorter than the handle time (asa_s < 600 s) is physically impossible.
    index = day_index()
    volume = pd.Series(0.0, index=index)
    volume["2026-01-05 19:45"] = 8.0
    table = staff_intervals(
        volume,
        DeferredChannel(aht_s=600, response_time_s=3600, max_occupancy=1.0, open_hours=(8, 20)),
    )
    row = table.loc["2026-01-05 19:45"]
    assert row["service_level"] < 1.0, (
        f"19:45 items reported on time: service_level={row['service_level']}, "
        f"asa_s={row['asa_s']} (< aht_s 600), agents={row['agents']}"
    )


def test_cyclic_open_hours_short_response_conserves_work() -> None:
    # Open 08:00-20:00, 4 items every 15 min all day (384 items), AHT 450 s, response 1 h,
    # max_occupancy 1, cyclic typical day. Items arriving 20:00-07:45 (48 intervals × 4 = 192)
    # miss the 1 h response, but they must still be processed (from 08:00): over the cycle the
    # processed items equal the 384 arrivals, i.e. 384 × 450 s = 48 agent-hours of work, and the
    # backlog carried into 00:00 is the one the profile's end leaves (20:00-23:45: 16 × 4 = 64).
    step, aht = 900.0, 450.0
    volume = pd.Series(4.0, index=day_index())
    table = staff_intervals(
        volume,
        DeferredChannel(aht_s=aht, response_time_s=3600, max_occupancy=1.0, open_hours=(8, 20)),
    )
    assert table["backlog"].iloc[-1] == pytest.approx(64.0)
    assert carried_in(table, aht, step) == pytest.approx(64.0), "backlog carried into 00:00"
    assert processed(table, aht, step).sum() == pytest.approx(384.0)
    assert table["agent_hours"].sum() >= 48.0 - TOL


def test_non_cyclic_open_hours_after_the_profile_are_closed() -> None:
    # cyclic=False, one day 00:00-23:45, open 08:00-20:00, response 4 h. Four items arrive at
    # 21:00. The centre is closed until 08:00 the next day (delay > 11 h > 4 h): they cannot be on
    # time, whatever happens after the profile ends.
    volume = pd.Series(0.0, index=day_index())
    volume["2026-01-05 21:00"] = 4.0
    table = staff_intervals(
        volume,
        DeferredChannel(
            aht_s=450, response_time_s=4 * 3600, max_occupancy=1.0, open_hours=(8, 20), cyclic=False
        ),
    )
    row = table.loc["2026-01-05 21:00"]
    assert row["service_level"] == 0.0, f"reported on time with asa_s={row['asa_s']} s"


@pytest.mark.parametrize(
    ("make", "pattern"),
    [
        (lambda: DeferredChannel(aht_s=0), r"^aht_s\b"),
        (lambda: DeferredChannel(aht_s=300, response_time_s=0), r"^response_time_s\b"),
        (lambda: DeferredChannel(aht_s=300, max_occupancy=0), r"^max_occupancy\b"),
        (lambda: DeferredChannel(aht_s=300, max_occupancy=1.2), r"^max_occupancy\b"),
        (lambda: DeferredChannel(aht_s=300, open_hours=(20, 8)), r"^open_hours\b.*start < end"),
        (lambda: DeferredChannel(aht_s=300, open_hours=(8, 8)), r"^open_hours\b"),
        (lambda: DeferredChannel(aht_s=300, open_hours=(8, 25)), r"^open_hours\b"),
    ],
)
def test_deferred_channel_validation(make: object, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern):
        make()  # type: ignore[operator]


def test_open_hours_need_a_datetime_index() -> None:
    with pytest.raises(InputError, match=r"open_hours needs a DatetimeIndex"):
        staff_intervals(
            pd.Series([1.0, 2.0]), DeferredChannel(aht_s=300, open_hours=(8, 20)), interval_s=900
        )


def test_open_hours_with_no_open_interval() -> None:
    volume = pd.Series(1.0, index=pd.date_range("2026-01-05 21:00", periods=8, freq="15min"))
    with pytest.raises(InputError, match=r"no open interval"):
        staff_intervals(volume, DeferredChannel(aht_s=300, open_hours=(8, 20)))


# ------------------------------------------------------------------------------------------------
# hypothesis invariants
# ------------------------------------------------------------------------------------------------

volume_st = st.lists(st.just(0.0) | st.floats(1e-3, 200.0), min_size=1, max_size=120)


@SETTINGS
@given(
    contacts=volume_st,
    step=st.sampled_from([900.0, 1800.0, 3600.0]),
    response_s=st.floats(60.0, 4 * 86_400.0),
    aht=st.floats(10.0, 3600.0),
    max_occ=st.floats(0.3, 1.0),
    cyclic=st.booleans(),
)
def test_always_open_invariants(
    contacts: list[float],
    step: float,
    response_s: float,
    aht: float,
    max_occ: float,
    cyclic: bool,
) -> None:
    volume = pd.Series(contacts)
    ch = DeferredChannel(
        aht_s=aht, response_time_s=response_s, max_occupancy=max_occ, cyclic=cyclic
    )
    table = staff_intervals(volume, ch, interval_s=step)
    arrivals = np.asarray(contacts)
    done = processed(table, aht, step)
    scale = 1.0 + arrivals.sum()
    assert not table.isna().any().any()
    assert (table["backlog"] >= -TOL * scale).all()
    assert (done >= -TOL * scale).all()
    assert (table["occupancy"] <= max_occ + 1e-9).all()
    assert table["occupancy"].between(0.0, 1.0).all()
    np.testing.assert_allclose(table["agent_hours"], table["agents"] * step / 3600)
    # always open: every item meets the response time wherever it physically can. Under the
    # module's interval convention an item arrives mid-interval and cannot finish sooner than its
    # handle time, so its earliest completion is at the end of interval
    # ceil((step/2 + aht)/step) - 1 after arrival, a delay of (ceil(...) - 1/2)*step.
    earliest_delay = (np.ceil((step / 2 + aht) / step) - 0.5) * step
    if response_s >= max(step / 2, earliest_delay):
        assert (table["service_level"] == 1.0).all()
    assert table["service_level"].between(0.0, 1.0).all()
    # flow balance
    backlog = table["backlog"].to_numpy()
    prev = np.concatenate([[carried_in(table, aht, step)], backlog[:-1]])
    np.testing.assert_allclose(prev + arrivals - done, backlog, atol=TOL * scale)
    if cyclic:
        # conservation over the cycle; carried-in backlog = the end backlog
        assert done.sum() == pytest.approx(arrivals.sum(), abs=TOL * scale)
        assert prev[0] == pytest.approx(backlog[-1], abs=TOL * scale)
        workload_h = arrivals.sum() * aht / 3600 / max_occ
        assert table["agent_hours"].sum() >= workload_h - TOL * scale
        assert table["agent_hours"].sum() <= workload_h + len(contacts) * step / 3600 + TOL
    else:
        assert prev[0] == pytest.approx(0.0, abs=TOL * scale)
        assert (np.cumsum(done) <= np.cumsum(arrivals) + TOL * scale).all()


def _with_volume(shape: tuple[str, int, int, int]) -> st.SearchStrategy:
    freq, days = shape[0], shape[1]
    n = len(day_index(freq, days))
    return st.tuples(
        st.just(shape), st.lists(st.just(0.0) | st.floats(1e-3, 50.0), min_size=n, max_size=n)
    )


# ((freq, days, opening hour, open length clipped to midnight), contacts per interval)
open_profile_st = st.tuples(
    st.sampled_from(["15min", "30min", "60min"]),
    st.integers(1, 3),
    st.integers(0, 22),
    st.integers(1, 24),
).flatmap(_with_volume)


@SETTINGS
@given(
    profile=open_profile_st,
    response_h=st.sampled_from([0.5, 1.0, 4.0, 8.0, 24.0, 36.0, 72.0]),
    aht=st.floats(30.0, 1800.0),
    max_occ=st.floats(0.5, 1.0),
    cyclic=st.booleans(),
)
def test_open_hours_invariants(
    profile: tuple[tuple[str, int, int, int], list[float]],
    response_h: float,
    aht: float,
    max_occ: float,
    cyclic: bool,
) -> None:
    (freq, days, start, length), contacts = profile
    end = min(24, start + length)
    index = day_index(freq, days)
    step = pd.Timedelta(freq).total_seconds()
    volume = pd.Series(contacts, index=index)
    ch = DeferredChannel(
        aht_s=aht, response_time_s=response_h * 3600, max_occupancy=max_occ,
        open_hours=(start, end), cyclic=cyclic,
    )  # fmt: skip
    table = staff_intervals(volume, ch)
    arrivals = np.asarray(contacts)
    done = processed(table, aht, step)
    scale = 1.0 + arrivals.sum()
    hour = index.hour
    closed = np.asarray((hour < start) | (hour >= end))
    assert (table["agents"].to_numpy()[closed] == 0).all()
    assert (table["backlog"] >= -TOL * scale).all()
    assert (done >= -TOL * scale).all()
    assert table["service_level"].between(0.0, 1.0).all()
    assert (table["occupancy"] <= max_occ + 1e-9).all()
    check_flow_balance(table, aht, step)
    if not cyclic:
        assert carried_in(table, aht, step) == pytest.approx(0.0, abs=TOL * scale)
        assert (np.cumsum(done) <= np.cumsum(arrivals) + TOL * scale).all()
    if response_h >= 24 and cyclic:
        # a day's response always reaches the next open period: everything on time
        assert (table["service_level"] == 1.0).all()


# no shrink phase: a failure is reported at once (shrinking took 10-20 s); the explicit example
# is the minimal case hypothesis shrank to: one item at 12:00 of a 30-min day, open 00:00-01:00,
# response 30 min -> it is never processed (0 of 1).
@settings(SETTINGS, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@example(profile=(("30min", 1, 0, 1), [0.0] * 24 + [1.0] + [0.0] * 23), response_h=0.5, aht=30.0)
@given(
    profile=open_profile_st,
    response_h=st.sampled_from([0.5, 1.0, 4.0, 8.0, 24.0, 36.0]),
    aht=st.floats(30.0, 1800.0),
)
def test_cyclic_open_hours_conserve_work(
    profile: tuple[tuple[str, int, int, int], list[float]], response_h: float, aht: float
) -> None:
    # A cyclic profile is a typical day or week repeating: over one cycle the items processed
    # must equal the items arriving, whatever the open hours (what cannot be on time is still
    # processed, late), and the backlog carried in is the one the profile's end leaves.
    (freq, days, start, length), contacts = profile
    end = min(24, start + length)
    index = day_index(freq, days)
    step = pd.Timedelta(freq).total_seconds()
    table = staff_intervals(
        pd.Series(contacts, index=index),
        DeferredChannel(
            aht_s=aht, response_time_s=response_h * 3600, max_occupancy=1.0, open_hours=(start, end)
        ),
    )
    scale = 1.0 + sum(contacts)
    assert processed(table, aht, step).sum() == pytest.approx(sum(contacts), abs=TOL * scale)
    assert carried_in(table, aht, step) == pytest.approx(table["backlog"].iloc[-1], abs=TOL * scale)


def test_a_year_of_15_minute_intervals_runs() -> None:
    index = pd.date_range("2025-01-01", periods=35_040, freq="15min")
    rng = np.random.default_rng(11)
    volume = pd.Series(rng.poisson(6.0, index.size).astype(float), index=index)
    for ch in (DeferredChannel(aht_s=300), DeferredChannel(aht_s=300, open_hours=(8, 20))):
        table = staff_intervals(volume, ch)
        assert table.shape == (35_040, len(COLUMNS))
        assert not table.isna().any().any()
        assert math.isfinite(table["agent_hours"].sum())
