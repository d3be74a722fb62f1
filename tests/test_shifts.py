"""Shift scheduling: cxplan.workforce.shifts, cxplan.workforce.cover, cxplan.config.shifts.

Reference values are worked by hand in the comments, enumerated by brute force written here, or
taken from pyworkforce 0.5.1 (its published examples and results, cited where used).
"""

from __future__ import annotations

import doctest
import itertools
import textwrap

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxplan.config import shifts as shift_config
from cxplan.config.shifts import ShiftsParams, expand_start_times, format_clock
from cxplan.config.yamlfile import load_model
from cxplan.errors import InfeasibleError, InputError, ParamsError
from cxplan.workforce import cover, shifts
from cxplan.workforce.cover import CoverProblem, solve_cover
from cxplan.workforce.shifts import compare_to_curve, schedule_week, select_week

MONDAY = "2027-01-04"


def week(values_per_day, freq: str = "h") -> pd.Series:
    """One week from Monday 00:00; ``values_per_day`` is one day's list or a 7-list of lists."""
    per_day = {"h": 24, "30min": 48, "15min": 96}[freq]
    days = values_per_day if isinstance(values_per_day[0], list) else [values_per_day] * 7
    flat = [v for day in days for v in day]
    assert len(flat) == 7 * per_day
    return pd.Series(flat, index=pd.date_range(MONDAY, periods=7 * per_day, freq=freq), dtype=float)


def hours(open_from: int, open_to: int, agents: float) -> list[float]:
    return [agents if open_from <= h < open_to else 0.0 for h in range(24)]


def template(name: str = "Eight", **kw) -> dict:
    base = {"name": name, "length_minutes": 480, "start_times": ["08:00"], "days_on": 7}
    base.update(kw)
    return base


# ---------------------------------------------------------------------------------------------
# hand-checkable schedules
# ---------------------------------------------------------------------------------------------


def test_flat_requirement_covered_exactly_by_eight_hour_shifts():
    # 10 agents 24/7: three 8-hour shifts x 10 agents = 30 agents, 10 x 24 x 7 = 1,680 paid hours
    params = {"templates": [template(start_times=["00:00", "08:00", "16:00"])]}
    r = schedule_week(week([10.0] * 24), params)
    assert r.status == "optimal" and r.gap == 0.0
    assert r.headcount == 30
    assert r.paid_hours == pytest.approx(1680.0)
    assert r.efficiency == pytest.approx(1.0)
    assert r.under_hours == 0.0 and r.over_hours == pytest.approx(0.0)
    assert sorted(r.schedule["start"]) == ["00:00", "08:00", "16:00"]
    assert set(r.schedule["days"]) == {"every day"}
    assert (r.schedule["agents"] == 10).all()


def test_five_on_two_off_needs_seven_fifths_of_the_daily_staff():
    # 10 agents every hour, 8-hour shifts, 5 days on: each start needs 70 agent-days / 5 = 14
    # agents (two on each of the 7 rotations), 42 agents x 40 h = 1,680 h, efficiency 1
    params = {"templates": [template(start_times=["00:00", "08:00", "16:00"], days_on=5)]}
    r = schedule_week(week([10.0] * 24), params)
    assert r.headcount == 42
    assert r.paid_hours == pytest.approx(1680.0)
    assert r.efficiency == pytest.approx(1.0)
    assert (r.intervals["on_phone"] >= r.intervals["required"] - 1e-9).all()
    assert set(r.schedule["paid_hours_per_agent"]) == {40.0}


def test_shrinkage_uplifts_the_requirement_and_matches_the_curve():
    # 7 on-phone agents 08:00-16:00 with 30 % shrinkage: 7 / 0.7 = 10 at work, 8-hour shifts;
    # paid 10 x 8 x 7 = 560 h = curve 7 x 8 x 7 / 0.7 = 560 h: no extra over the curve
    params = {"templates": [template(break_minutes=30)]}
    r = schedule_week(week(hours(8, 16, 7.0)), params, shrinkage=0.30)
    assert r.headcount == 10
    assert r.intervals["at_work"].max() == pytest.approx(10.0)
    assert r.on_phone_hours == pytest.approx(560 * 0.7)
    c = compare_to_curve(r, cost_per_paid_hour=25.0)
    assert c["curve_paid_hours"] == pytest.approx(560.0)
    assert c["schedule_paid_hours"] == pytest.approx(560.0)
    assert c["extra_paid_hours"] == pytest.approx(0.0, abs=1e-9)
    assert c["extra_cost"] == pytest.approx(0.0, abs=1e-6)


def test_unpaid_lunch_is_placed_inside_its_window():
    # 4 agents 08:00-17:00; 9-hour shift at 08:00 with a 1-hour unpaid lunch starting 11:00,
    # 12:00 or 13:00. N agents with y_h at lunch need N - y_h >= 4 and sum y_h = N: N = 5 fails
    # (y_h <= 1, sum 3 < 5), N = 6 works with 2 at each lunch hour. Paid 6 x 8 x 7 = 336 h,
    # required 4 x 9 x 7 = 252 h, efficiency 252 / 336 = 0.75.
    t = template(length_minutes=540, lunch_minutes=60, lunch_window_minutes=[180, 300])
    r = schedule_week(week(hours(8, 17, 4.0)), {"templates": [t]})
    assert r.headcount == 6
    assert r.paid_hours == pytest.approx(336.0)
    assert r.efficiency == pytest.approx(0.75)
    assert set(r.lunches["lunch_start"]) == {"11:00", "12:00", "13:00"}
    assert (r.lunches["agents"] == 2).all()
    assert r.lunches.groupby("day")["agents"].sum().eq(6).all()
    monday = r.intervals.loc[f"{MONDAY} 08:00" : f"{MONDAY} 16:00", "at_work"]
    assert monday.tolist() == [6, 6, 6, 4, 4, 4, 6, 6, 6]


def test_soft_coverage_prices_the_shortfall():
    # 1 agent needed at 12:00 only, every day. Hard: one 8-hour agent, 56 paid hours, efficiency
    # 7 / 56 = 0.125. Soft at 5 per missing agent-hour: shortfall 7 h x 5 = 35 < 56, so nobody;
    # at 10 per hour: 70 > 56, so the same agent as in hard coverage.
    need = week(hours(12, 13, 1.0))
    hard = schedule_week(need, {"templates": [template()]})
    assert (hard.headcount, hard.paid_hours, hard.efficiency) == (1, 56.0, 0.125)
    assert hard.coverage == "hard"
    cheap = {"templates": [template()], "coverage": "soft", "under_penalty_per_agent_hour": 5.0}
    soft = schedule_week(need, cheap)
    assert soft.coverage == "soft"
    assert soft.headcount == 0 and soft.paid_hours == 0.0
    assert soft.under_hours == pytest.approx(7.0)
    assert soft.objective == pytest.approx(35.0)
    assert soft.efficiency == 1.0  # nothing scheduled, nothing wasted
    dear = dict(cheap, under_penalty_per_agent_hour=10.0)
    assert schedule_week(need, dear).headcount == 1


def test_template_costs_and_max_agents():
    # Same coverage, different price: 3 agents 08:00-16:00 all go to the cheaper template
    # (3 x 56 h x 20 = 3,360); capped at 1 agent, the other 2 take the dearer one
    # (1 x 56 x 20 + 2 x 56 x 30 = 4,480).
    cheap = template("Day", cost_per_paid_hour=20.0)
    dear = template("Premium", cost_per_paid_hour=30.0)
    need = week(hours(8, 16, 3.0))
    r = schedule_week(need, {"templates": [dear, cheap]})
    assert r.cost == pytest.approx(3360.0)
    assert r.schedule.set_index("template")["agents"].to_dict() == {"Day": 3}
    capped = schedule_week(need, {"templates": [dear, dict(cheap, max_agents=1)]})
    assert capped.cost == pytest.approx(4480.0)
    assert capped.schedule.set_index("template")["agents"].to_dict() == {"Premium": 2, "Day": 1}
    assert capped.weekly()["cost"] == pytest.approx(4480.0)


def test_overnight_shift_wraps_into_the_next_day_and_the_week():
    # Night 22:00-06:00 worked every day covers 22:00-06:00 everywhere, including Monday 00:00-06:00
    # from Sunday's shift (the week repeats).
    need = week([2.0 if h >= 22 or h < 6 else 0.0 for h in range(24)])
    r = schedule_week(need, {"templates": [template("Night", start_times=["22:00"])]})
    assert r.headcount == 2
    assert r.efficiency == pytest.approx(1.0)
    assert r.intervals["under"].sum() == 0.0


def test_partial_intervals_at_quarter_hour_starts_on_an_hourly_grid():
    # An 8-hour shift starting 08:30 on an hourly grid is at work half of 08:00 and of 16:00.
    need = week(hours(9, 16, 2.0))
    r = schedule_week(need, {"templates": [template(start_times=["08:30"])]})
    monday = r.intervals.loc[f"{MONDAY} 08:00" : f"{MONDAY} 16:00", "at_work"].tolist()
    assert monday == [1.0, 2, 2, 2, 2, 2, 2, 2, 1.0]
    assert r.paid_hours == pytest.approx(2 * 8 * 7)


def test_hard_coverage_on_a_demo_region_week():
    # North America's first plan week (30-minute intervals), full-time shifts only, with the
    # region's shrinkage; every interval covered and efficiency at most 1.
    from cxplan.model import load_region

    m = load_region("params/regions/north-america.yaml")
    need = select_week(m.combined["agents"], 0)
    ft = {
        "name": "Full time", "length_minutes": 510, "start_times": ["06:00-14:30/30"],
        "days_on": 5, "break_minutes": 30, "lunch_minutes": 30, "lunch_window_minutes": [180, 300],
    }  # fmt: skip
    r = schedule_week(need, {"templates": [ft], "time_limit_s": 60}, shrinkage=m.paid_shrinkage)
    assert r.under_hours == 0.0
    assert 0.5 < r.efficiency <= 1.0
    c = compare_to_curve(r)
    assert c["schedule_paid_hours"] == pytest.approx(c["curve_paid_hours"] / r.efficiency)
    assert c["required_agent_hours"] == pytest.approx(m.combined["agent_hours"].iloc[:336].sum())


# ---------------------------------------------------------------------------------------------
# optimality by brute force
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_days_off_schedule_is_optimal_by_enumeration(seed):
    # One 8-hour shift at 09:00, 5 days on / 2 off: 7 rotations. Daily requirement 0-3 agents
    # (09:00-17:00). Enumerate every count 0..3 per rotation (4^7 schedules) with coverage
    # computed here: the cheapest covering one must cost what schedule_week finds.
    rng = np.random.default_rng(seed)
    daily = rng.integers(0, 4, size=7)
    need = week([hours(9, 17, float(d)) for d in daily])
    r = schedule_week(need, {"templates": [template(start_times=["09:00"], days_on=5)]})
    counts = np.array(list(itertools.product(range(4), repeat=7)))  # rotation f starts day f
    works = np.array([[(d - f) % 7 < 5 for d in range(7)] for f in range(7)], dtype=int)
    cover_by_day = counts @ works  # (schedules, days)
    feasible = (cover_by_day >= daily).all(axis=1)
    best = counts[feasible].sum(axis=1).min() * 40.0
    assert r.status == "optimal"
    assert r.paid_hours == pytest.approx(best)
    assert r.under_hours == 0.0


@pytest.mark.parametrize("seed", range(8))
def test_cover_solver_matches_brute_force(seed):
    rng = np.random.default_rng(100 + seed)
    m, k = int(rng.integers(3, 7)), int(rng.integers(2, 5))
    a = rng.integers(0, 2, size=(m, k))
    a[rng.integers(0, m), :] |= 1  # no empty problem
    a[:, rng.integers(0, k)] = 1  # something covers every row
    r = rng.integers(0, 4, size=m).astype(float)
    cost = rng.integers(1, 6, size=k).astype(float)
    soft = bool(seed % 2)
    under, over = (float(rng.integers(1, 5)), float(rng.integers(0, 3))) if soft else (None, 0.0)
    sol = solve_cover(CoverProblem(a, r, cost, under_penalty=under, over_penalty=over))
    grid = np.array(list(itertools.product(range(5), repeat=k)))
    cov = grid @ a.T
    obj = grid @ cost
    if soft:
        short = np.clip(r - cov, 0, None).sum(1)
        excess = np.clip(cov - r, 0, None).sum(1)
        obj = obj + under * short + over * excess
    else:
        obj = np.where((cov >= r).all(axis=1), obj, np.inf)
    assert sol.status == "optimal"
    assert sol.objective == pytest.approx(obj.min())
    assert sol.bound == pytest.approx(sol.objective) and sol.gap == 0.0


# ---------------------------------------------------------------------------------------------
# invariants
# ---------------------------------------------------------------------------------------------


@st.composite
def small_weeks(draw):
    open_from = draw(st.integers(5, 10))
    open_to = draw(st.integers(open_from + 4, min(open_from + 14, 24)))
    days = [
        [float(draw(st.integers(0, 6))) if open_from <= h < open_to else 0.0 for h in range(24)]
        for _ in range(7)
    ]
    shrink = draw(st.sampled_from([0.0, 0.1, 0.3]))
    lunch = draw(st.booleans())
    return days, shrink, lunch


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_weeks())
def test_hard_schedules_cover_every_interval(case):
    days, shrink, lunch = case
    ft = template(
        "Full", length_minutes=540 if lunch else 480, start_times=["05:00-14:00/60"], days_on=5,
        **({"lunch_minutes": 60, "lunch_window_minutes": [180, 300]} if lunch else {}),
    )  # fmt: skip
    pt = template("Part", length_minutes=240, start_times=["06:00-20:00/120"], days_on=5)
    r = schedule_week(week(days), {"templates": [ft, pt], "time_limit_s": 20}, shrinkage=shrink)
    iv = r.intervals
    assert (iv["under"] == 0).all()
    assert (iv["on_phone"] >= iv["required"] - 1e-9).all()
    assert iv["on_phone"].to_numpy() == pytest.approx(iv["at_work"].to_numpy() * (1 - shrink))
    assert 0.0 <= r.efficiency <= 1.0 + 1e-12
    assert r.bound <= r.objective + 1e-9 and 0.0 <= r.gap <= 1.0
    assert r.paid_hours == pytest.approx(r.on_phone_hours / (1 - shrink))
    if r.required_hours > 0:
        c = compare_to_curve(r)
        assert c["schedule_paid_hours"] == pytest.approx(c["curve_paid_hours"] / r.efficiency)
    if lunch and not r.lunches.empty:
        # every full-time agent working a day takes exactly one lunch that day
        full = r.schedule[r.schedule["template"] == "Full"]
        for (start, day), taken in r.lunches.groupby(["start", "day"])["agents"].sum().items():
            working = full[(full["start"] == start)]
            on_day = sum(
                row.agents
                for row in working.itertuples()
                if (shifts.DAY_NAMES.index(day) - shifts.DAY_NAMES.index(row.first_day)) % 7 < 5
            )
            assert taken == on_day


# ---------------------------------------------------------------------------------------------
# time limit and gap reporting
# ---------------------------------------------------------------------------------------------


def busy_week() -> pd.Series:
    # a lumpy 30-minute week, 06:00-23:00, 20-120 agents (like the demo regions)
    rng = np.random.default_rng(7)
    shape = np.sin(np.linspace(0, np.pi, 34)) * 90 + 20
    days = []
    for d in range(7):
        vals = np.zeros(48)
        vals[12:46] = np.round(shape * (1.0 - 0.08 * d) + rng.integers(-6, 7, size=34))
        days.append(vals.tolist())
    return week(days, freq="30min")


BUSY_TEMPLATES = [
    {
        "name": "Full time", "length_minutes": 510, "start_times": ["06:00-14:30/30"],
        "days_on": 5, "break_minutes": 30, "lunch_minutes": 30, "lunch_window_minutes": [180, 300],
    },
    {"name": "Part time", "length_minutes": 240, "start_times": ["06:00-19:00/30"], "days_on": 5},
]  # fmt: skip


def test_work_limit_stops_the_search_and_reports_the_gap():
    # 1 deterministic second finds a schedule (0.3 does not) but cannot prove it optimal
    params = {"templates": BUSY_TEMPLATES, "time_limit_s": 60, "work_limit_s": 1.0}
    r = schedule_week(busy_week(), params, shrinkage=0.3)
    assert r.status == "time_limit"
    assert r.bound <= r.objective
    assert r.gap == pytest.approx((r.objective - r.bound) / r.objective)
    assert 0.0 < r.gap < 0.2
    assert r.under_hours == 0.0  # still a covering schedule
    assert r.weekly()["status"] == "time_limit"
    # deterministic work limit, one worker: the same schedule again
    again = schedule_week(busy_week(), params, shrinkage=0.3)
    assert again.objective == r.objective
    pd.testing.assert_frame_equal(again.schedule, r.schedule)


def test_no_schedule_within_the_limit_is_an_infeasible_error():
    params = {"templates": BUSY_TEMPLATES, "time_limit_s": 60, "work_limit_s": 1e-6}
    with pytest.raises(InfeasibleError, match="no schedule was found within the limit"):
        schedule_week(busy_week(), params, shrinkage=0.3)


# ---------------------------------------------------------------------------------------------
# pyworkforce's examples (peer check)
# ---------------------------------------------------------------------------------------------

# pyworkforce 0.5.1, docs/tutorials/scheduling.rst, README and
# pyworkforce/scheduling/tests/test_shifts.py (verbatim data)
PW_REQUIRED = [
    [9, 11, 17, 9, 7, 12, 5, 11, 8, 9, 18, 17, 8, 12, 16, 8, 7, 12, 11, 10, 13, 19, 16, 7],
    [13, 13, 12, 15, 18, 20, 13, 16, 17, 8, 13, 11, 6, 19, 11, 20, 19, 17, 10, 13, 14, 23, 16, 8],
]
PW_SHIFTS = {
    "Morning": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    "Afternoon": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0],
    "Night": [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1],
    "Mixed": [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
}


def pw_objective(kind, x, gamma, beta, cost=None):
    """pyworkforce's objective (docs/tutorials/scheduling.rst), written independently."""
    e = np.array(list(PW_SHIFTS.values()))
    n = np.array(PW_REQUIRED)
    scheduled = x @ e
    assert (x >= 0).all() and (x <= beta).all() and (scheduled <= gamma).all()
    if kind == "abs":
        return float(np.abs(scheduled - n).sum())
    assert (scheduled >= n).all()
    c = np.array([(cost or {}).get(s, 1) for s in PW_SHIFTS])
    return float((x * c).sum())


def pw_problem(kind, gamma, beta, cost=None):
    e = np.array(list(PW_SHIFTS.values()))
    a = np.kron(np.eye(2, dtype=int), e.T)  # rows (day, hour), columns (day, shift)
    r = np.array(PW_REQUIRED, dtype=float).ravel()
    c = np.array([(cost or {}).get(s, 1) for s in PW_SHIFTS] * 2, dtype=float)
    labels = [f"day {d + 1} {h:02d}:00" for d in range(2) for h in range(24)]
    if kind == "abs":
        return CoverProblem(
            a, r, 0 * c, under_penalty=1.0, over_penalty=1.0, upper=beta, max_coverage=gamma,
            labels=labels,
        )  # fmt: skip
    return CoverProblem(a, r, c, upper=beta, max_coverage=gamma, labels=labels)


@pytest.mark.parametrize(
    ("kind", "gamma", "beta", "cost", "peer"),
    [
        # published optima: MinAbsDifference 157, MinRequiredResources 113 (pyworkforce docs,
        # scheduling tutorial and README, status OPTIMAL)
        ("abs", 27, 25, None, 157.0),
        ("abs", 25, 20, None, 157.0),  # test_min_abs_difference_schedule (OPTIMAL)
        ("min", 27, 25, None, 113.0),
        ("min", 25, 25, None, 113.0),  # test_min_required_resources_schedule (OPTIMAL)
        # test_cost_min_required_resources_schedule: 979, from running pyworkforce 0.5.1
        # (bench/bench_shifts.py, status OPTIMAL)
        ("min", 25, 25, {"Morning": 8, "Afternoon": 8, "Night": 10, "Mixed": 7}, 979.0),
    ],
)
def test_never_worse_than_pyworkforce_on_its_examples(kind, gamma, beta, cost, peer):
    sol = solve_cover(pw_problem(kind, gamma, beta, cost), relative_gap=0.0)
    x = sol.counts.reshape(2, 4)
    ours = pw_objective(kind, x, gamma, beta, cost)
    assert ours == pytest.approx(sol.objective)
    assert sol.status == "optimal"
    assert ours <= peer
    assert ours == peer  # both optimal: equal


def test_pyworkforce_infeasible_example_is_named():
    # test_infeasible_min_required_resources_schedule: beta = 20 per shift, but 23 are needed at
    # 21:00 on day 2 and only Night works then
    with pytest.raises(InfeasibleError, match="day 2 21:00"):
        solve_cover(pw_problem("min", 25, 20))


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------

GOOD = {"templates": [template()]}


@pytest.mark.parametrize(
    ("requirement", "message"),
    [
        ([1.0, 2.0], "must be a pandas Series"),
        (pd.Series([], dtype=float), "requirement is empty"),
        (pd.Series([1.0] * 168), "needs a DatetimeIndex"),
        (
            pd.Series(1.0, index=pd.date_range(f"{MONDAY} 06:00", periods=168, freq="h")),
            "must start at midnight",
        ),
        (
            pd.Series(1.0, index=pd.date_range(MONDAY, periods=100, freq="h")),
            r"exactly one week: 7 days × 24 intervals of 60 minutes = 168 \(got 100\)",
        ),
        (
            pd.Series(1.0, index=pd.date_range(MONDAY, periods=7 * 24 * 7, freq="25min")),
            "divide a day",
        ),
        (
            pd.Series(
                1.0,
                index=pd.DatetimeIndex([MONDAY] * 2).append(
                    pd.date_range(MONDAY, periods=166, freq="h")
                ),
            ),
            "requirement index must be increasing",
        ),
        (week([-1.0] * 24), "requirement must be >= 0"),
        (week([np.nan] * 24), "requirement must not be NaN"),
        (pd.Series("x", index=pd.date_range(MONDAY, periods=168, freq="h")), "numbers of agents"),
    ],
)
def test_bad_requirement_messages(requirement, message):
    with pytest.raises(InputError, match=message):
        schedule_week(requirement, GOOD)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start_times": ["25:00"]}, "HH:MM"),
        ({"start_times": ["14:00-06:00/30"]}, "ends before it starts"),
        ({"start_times": ["06:00", "06:00-07:00/60"]}, "must not repeat .*06:00"),
        ({"start_times": []}, "start_times"),
        ({"lunch_minutes": 30}, "lunch_window_minutes: is needed"),
        ({"lunch_minutes": 30, "lunch_window_minutes": [400, 460]}, "inside the shift"),
        ({"lunch_minutes": 30, "lunch_window_minutes": [300, 200]}, "earliest <= latest"),
        ({"lunch_window_minutes": [100, 200]}, "lunch_minutes is 0"),
        ({"break_minutes": 300, "lunch_minutes": 200}, "shorter than length_minutes"),
        ({"length_minutes": 0}, "length_minutes"),
        ({"days_on": 8}, "days_on"),
        ({"shift_minutes": 480}, "shift_minutes"),
        ({"name": "<b>x</b>"}, "plain words"),
        ({"length_minutes": 480.0}, "length_minutes"),
    ],
)
def test_bad_template_messages(change, message):
    with pytest.raises(InputError, match=message):
        schedule_week(week([1.0] * 24), {"templates": [dict(template(), **change)]})


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"templates": []}, "templates"),
        ({"templates": [template(), template()]}, "distinct names"),
        (
            {"templates": [template(cost_per_paid_hour=20.0), template("B")]},
            "all have cost_per_paid_hour or none .*B",
        ),
        (
            {"templates": [template()], "coverage": "soft"},
            "under_penalty_per_agent_hour: is needed",
        ),
        (
            {"templates": [template()], "under_penalty_per_agent_hour": 3.0},
            "only used with coverage: soft",
        ),
        ({"templates": [template()], "time_limit_s": 0}, "time_limit_s"),
        ({"templates": [template()], "coverage": "sometimes"}, "coverage"),
    ],
)
def test_bad_section_messages(params, message):
    with pytest.raises(InputError, match=message):
        schedule_week(week([1.0] * 24), params)


def test_shifts_params_must_be_a_mapping():
    with pytest.raises(InputError, match="ShiftsParams or a mapping"):
        schedule_week(week([1.0] * 24), ["templates"])


def test_paid_breaks_must_fit_in_the_shrinkage():
    params = {"templates": [template(break_minutes=30)]}  # 30 / 480 = 6.25 % of paid time
    with pytest.raises(InputError, match=r"6\.2% of its paid time but shrinkage is 5\.0%"):
        schedule_week(week([1.0] * 24), params, shrinkage=0.05)
    with pytest.raises(InputError, match="shrinkage must be < 1"):
        schedule_week(week([1.0] * 24), GOOD, shrinkage=1.0)


def test_uncoverable_intervals_are_named():
    need = week(hours(2, 4, 1.0))
    with pytest.raises(InfeasibleError, match=r"Mon 02:00, Mon 03:00, Tue 02:00.* and 8 more"):
        schedule_week(need, GOOD)


def test_max_agents_too_low_is_infeasible():
    need = week(hours(8, 16, 3.0))
    with pytest.raises(InfeasibleError, match="raise max_agents"):
        schedule_week(need, {"templates": [template(max_agents=2)]})


def test_all_zero_requirement_gives_an_empty_schedule():
    r = schedule_week(week([0.0] * 24), GOOD)
    assert r.headcount == 0 and r.paid_hours == 0.0 and r.schedule.empty
    assert r.efficiency == 1.0 and r.status == "optimal"
    c = compare_to_curve(r)
    assert c["extra_paid_hours"] == 0.0 and c["extra_share"] == 0.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"coverage": [[0.5, 1]], "requirement": [1], "cost": [1, 1]}, "whole numbers"),
        ({"coverage": [[1, 1]], "requirement": [1, 2], "cost": [1, 1]}, "must have 1 values"),
        ({"coverage": [[1, 1]], "requirement": [1], "cost": [1]}, r"shape \(rows, 1\)"),
        ({"coverage": [[1, 1]], "requirement": [1], "cost": [-1, 1]}, "cost must be >= 0"),
        ({"coverage": [[1, -1]], "requirement": [1], "cost": [1, 1]}, "upper must be finite"),
        ({"coverage": np.zeros((0, 2)), "requirement": [], "cost": [1, 1]}, "no intervals"),
    ],
)
def test_cover_input_messages(kwargs, message):
    with pytest.raises(InputError, match=message):
        solve_cover(CoverProblem(**kwargs))


def test_cover_limits_are_checked():
    p = CoverProblem([[1]], [1], [1])
    with pytest.raises(InputError, match="time_limit_s must be > 0"):
        solve_cover(p, time_limit_s=0)
    with pytest.raises(InputError, match="workers must be a whole number"):
        solve_cover(p, workers=1.5)


# ---------------------------------------------------------------------------------------------
# params, helpers and doctests
# ---------------------------------------------------------------------------------------------


def test_start_time_ranges_and_clock():
    assert expand_start_times(["06:00-07:30/30", "22:15"]) == [360, 390, 420, 450, 1335]
    assert format_clock(0) == "00:00" and format_clock(1439) == "23:59"
    assert format_clock(1440 + 75) == "01:15"


def test_yaml_section_loads_and_errors_name_the_line(tmp_path):
    # "06:00" stays a string under the YAML 1.2 core schema of cxplan's loader
    good = tmp_path / "shifts.yaml"
    good.write_text(
        textwrap.dedent(
            """\
            coverage: hard
            time_limit_s: 20
            templates:
              - name: Full time
                length_minutes: 510
                start_times: [06:00-14:30/30, "15:00"]
                days_on: 5
                break_minutes: 30
                lunch_minutes: 30
                lunch_window_minutes: [180, 300]
            """
        )
    )
    params = load_model(ShiftsParams, good)
    assert params.templates[0].start_minutes[-1] == 900
    assert params.templates[0].paid_minutes == 480
    bad = tmp_path / "bad.yaml"
    bad.write_text(good.read_text().replace('"15:00"', '"15:70"'))
    with pytest.raises(ParamsError, match=r"bad\.yaml:6: templates\[0\]\.start_times: .*15:70"):
        load_model(ShiftsParams, bad)


def test_select_week():
    idx = pd.date_range(MONDAY, periods=3 * 168, freq="h")
    s = pd.Series(np.repeat([1.0, 3.0, 2.0], 168), index=idx)
    assert select_week(s, "peak").iloc[0] == 3.0
    assert select_week(s, 2).index[0] == pd.Timestamp("2027-01-18")
    with pytest.raises(InputError, match="week must be <= 2"):
        select_week(s, 3)
    with pytest.raises(InputError, match="less than a week"):
        select_week(s.iloc[:100])


@pytest.mark.parametrize("module", [shift_config, shifts, cover])
def test_doctests(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
