"""Tests for cxplan.plan.roadmap (validation, Gantt data) and cxplan.plan.cashflow (money).

Reference values: seed 001's roadmap (phases 0–30 / 30–90 / 90–180 days; discovery $5k–20k;
licences and integrations $10k–75k), the template of params/defaults.yaml built from it, and hand
arithmetic written in each test.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_support import scaled
from roadmap_template import defaults_roadmap  # tests/ is on sys.path (rootdir import mode)

from cxplan.errors import InputError
from cxplan.plan.cashflow import (
    CATEGORIES,
    SCHEDULE_COLUMNS,
    BenefitRamp,
    Schedule,
    capacity_cash_flows,
    cashflow_chart_data,
    cost_schedule,
)
from cxplan.plan.roadmap import (
    Phase,
    Roadmap,
    ScheduleWarning,
    Task,
    gantt_data,
    milestone_data,
)
from cxplan.workforce.capacity import (
    CapacityCosts,
    HiringClass,
    LearningCurve,
    Workforce,
    simulate_capacity,
)

P = (Phase("P1", "first", 0, 30), Phase("P2", "second", 30, 60))


# ---------------------------------------------------------------------------------------------
# the template: params/defaults.yaml
# ---------------------------------------------------------------------------------------------


def test_template_phases_are_seed_001_windows() -> None:
    r = defaults_roadmap()
    assert [(p.start_day, p.end_day) for p in r.phases] == [(0, 30), (30, 90), (90, 180)]
    assert r.horizon_days == 180


@pytest.mark.parametrize(
    ("phase", "scenario", "total"),
    [
        ("foundation", "low", 5_000.0),  # seed 001: discovery $5k–$20k
        ("foundation", "high", 20_000.0),
        ("build", "low", 10_000.0),  # seed 001: licences and integrations $10k–$75k
        ("build", "high", 75_000.0),
        ("scale", "high", 0.0),  # seed 001 gives no phase-3 range
    ],
)
def test_template_task_costs_sum_to_seed_ranges(phase: str, scenario: Any, total: float) -> None:
    r = defaults_roadmap()
    tasks = [t for t in r.tasks if t.phase == phase]
    assert sum(t.cost(scenario) for t in tasks) == total
    s = cost_schedule(r, scenario=scenario)
    assert s.phase_totals()[phase] == pytest.approx(total)


def test_template_people_tasks_carry_no_money_of_their_own() -> None:
    # hiring and training are priced by the capacity plan only (no double counting)
    people = [t for t in defaults_roadmap().tasks if t.workstream == "people"]
    assert [t.id for t in people] == ["wfm-lead", "cohort", "scale-up"]
    assert all(t.cost_high == 0 and t.monthly_recurring_cost == 0 for t in people)


def _priced_by_capacity_plan(r: Roadmap) -> Roadmap:
    """The template with its first-cohort and scale-up tasks marked as capacity-plan money."""
    plan_tasks = {"cohort", "scale-up"}
    tasks = tuple(
        t.replace(cost_source="capacity_plan") if t.id in plan_tasks else t
        for t in r.tasks
    )
    return Roadmap(r.phases, tasks, horizon_days=r.horizon_days)


# ---------------------------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------------------------


def _t(tid: str, start: int, end: int, deps: tuple[str, ...] = (), phase: str = "P1") -> Task:
    return Task(tid, f"task {tid}", phase, start, end, depends_on=deps)


@pytest.mark.parametrize(
    ("tasks", "match"),
    [
        ((_t("a", 0, 5), _t("a", 5, 9)), r"tasks: duplicate id\(s\) 'a'"),
        ((_t("a", 0, 5), _t("b", 5, 9, ("zz",))), r"dependency on unknown task: 'b' -> 'zz'"),
        (
            (_t("a", 0, 5, ("c",)), _t("b", 5, 9, ("a",)), _t("c", 9, 12, ("b",))),
            r"dependency cycle a -> c -> b -> a",
        ),
        ((_t("a", 0, 5, ("a",)),), r"dependency cycle a -> a"),
        (
            (_t("x", 0, 1), _t("a", 0, 5, ("b",)), _t("b", 5, 9, ("c",)), _t("c", 9, 12, ("b",))),
            r"dependency cycle b -> c -> b",
        ),
        (
            (_t("a", 0, 10), _t("b", 5, 20, ("a",))),
            r"'b' starts on day 5, before its dependency 'a' ends \(day 10\)",
        ),
        ((_t("a", 0, 5, phase="P9"),), r"unknown phase for 'a' \(phase 'P9'\)"),
    ],
)
def test_roadmap_validation(tasks: tuple[Task, ...], match: str) -> None:
    with pytest.raises(InputError, match=match):
        Roadmap(P, tasks)


def test_dependency_overlap_can_be_a_warning() -> None:
    tasks = (_t("a", 0, 10), _t("b", 5, 20, ("a",)))
    with pytest.warns(ScheduleWarning, match=r"'b' starts on day 5, before its dependency 'a'"):
        r = Roadmap(P, tasks, dependency_overlap="warn")
    assert r.horizon_days == 60
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Roadmap(P, (_t("a", 0, 10), _t("b", 10, 20, ("a",))))  # starting on the end day is fine


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (
            lambda: Task("a", "A", "P1", 10, 5),
            r"task 'a': end_day \(5\) is before start_day \(10\)",
        ),
        (lambda: Task("a", "A", "P1", -1, 5), r"task 'a': start_day must be >= 0"),
        (lambda: Task("", "A", "P1", 0, 5), r"task.id must be a non-empty string"),
        (
            lambda: Task("a", "A", "P1", 0, 5, cost_low=5, cost_base=3, cost_high=9),
            r"task 'a': costs must satisfy cost_low <= cost_base <= cost_high \(got 5, 3, 9\)",
        ),
        (
            lambda: Task("a", "A", "P1", 0, 5, depends_on="b"),  # type: ignore[arg-type]
            r"task 'a': depends_on must be a list",
        ),
        (
            lambda: Task("a", "A", "P1", 0, 5, cost_high=10, cost_source="capacity_plan"),
            r"task 'a': cost_source='capacity_plan' .* its own costs must be 0",
        ),
        (
            lambda: Task("a", "A", "P1", 0, 5, monthly_recurring_cost=-1),
            r"task 'a': monthly_recurring_cost must be >= 0",
        ),
        (
            lambda: Task("a", "A", "P1", 5, 9, recurring_end_day=3),
            r"task 'a': recurring_end_day \(3\) is before start_day \(5\)",
        ),
        (lambda: Phase("p", "P", 30, 30), r"phase 'p': end_day \(30\) must be after start_day"),
        (lambda: Roadmap((P[0], P[0]), ()), r"phases: duplicate id\(s\) 'P1'"),
        (
            lambda: Roadmap(P, (_t("a", 0, 50),), horizon_days=40),
            r"horizon_days \(40\) ends before 'a' \(day 50\)",
        ),
        (lambda: Roadmap(P, (), dependency_overlap="ignore"), r"dependency_overlap must be"),  # type: ignore[arg-type]
    ],
)
def test_task_and_phase_validation(make: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        make()  # type: ignore[operator]


def test_lists_from_yaml_are_accepted() -> None:
    r = Roadmap(list(P), [Task("a", "A", "P1", 0, 5), Task("b", "B", "P1", 5, 9, depends_on=["a"])])  # type: ignore[arg-type]
    assert isinstance(r.tasks, tuple)
    assert r.task("b").depends_on == ("a",)


# ---------------------------------------------------------------------------------------------
# the schedule
# ---------------------------------------------------------------------------------------------


def _hand_roadmap() -> Roadmap:
    return Roadmap(
        P,
        (
            Task("A", "ten days", "P1", 0, 10, cost_base=1000),
            Task("B", "across months", "P1", 25, 35, depends_on=("A",), cost_base=1000),
            Task("C", "instant", "P2", 30, 30, cost_base=600, milestone=True),
            Task("D", "upfront", "P2", 30, 60, cost_base=900, upfront=True),
            Task("E", "licence", "P1", 15, 20, monthly_recurring_cost=300),
        ),
    )


def test_hand_worked_schedule_30_day_months() -> None:
    s = cost_schedule(_hand_roadmap())
    assert s.horizon_months == 2
    wide = s.wide()
    # month 0: D upfront 900
    # month 1: A 1000 + B days 25–29 (5 × 100) + E days 15–29 (15 × 300/30)
    # month 2: B days 30–34 (500) + C on day 30 (600) + E days 30–59 (300)
    np.testing.assert_allclose(wide["costs"], [900, 1000 + 500 + 150, 500 + 600 + 300])
    np.testing.assert_allclose(wide["one_off"], [-900, -1500, -1100])
    np.testing.assert_allclose(wide["recurring"], [0, -150, -300])
    np.testing.assert_allclose(s.net_cash_flow(), [-900, -1650, -1400])
    np.testing.assert_allclose(wide["cumulative"], [-900, -2550, -3950])
    assert list(wide["month_label"]) == ["initial", "M1", "M2"]
    # phases: P1 = A + B + E (1000 + 1000 + 450), P2 = C + D (600 + 900)
    assert s.phase_totals().to_dict() == pytest.approx({"P1": 2450.0, "P2": 1500.0})
    assert s.total_cost() == pytest.approx(3950.0)
    assert tuple(s.tidy.columns) == SCHEDULE_COLUMNS
    assert set(s.tidy["category"]) <= set(CATEGORIES)


def test_hand_worked_schedule_calendar_months() -> None:
    r = Roadmap(
        (Phase("P1", "p", 0, 20),),
        (Task("F", "f", "P1", 0, 20, cost_base=2000, monthly_recurring_cost=310),),
    )
    s = cost_schedule(r, start_date="2025-01-20")
    # day 0 = 20 Jan, day 19 = 8 Feb: months Jan, Feb
    assert s.month_labels == ("initial", "2025-01", "2025-02")
    wide = s.wide()
    # one-off 100/day: 12 days in Jan (20–31) and 8 in Feb (1–8)
    np.testing.assert_allclose(wide["one_off"], [0, -1200, -800])
    # recurring 310/month pro rata: Jan 12/31 × 310 = 120; Feb all 28 days (to the horizon end)
    np.testing.assert_allclose(wide["recurring"], [0, -120, -310])


def test_horizon_extension_recurring_end_and_benefit_ramp() -> None:
    r = Roadmap(
        P,
        (
            Task("A", "build", "P1", 0, 30, cost_base=3000),
            Task("L", "licence", "P2", 30, 60, monthly_recurring_cost=100, recurring_end_day=90),
        ),
    )
    s = cost_schedule(r, horizon_months=5, benefit=BenefitRamp(2000, start_month=2, ramp_months=2))
    wide = s.wide()
    np.testing.assert_allclose(wide["recurring"], [0, 0, -100, -100, 0, 0])  # days 30–89
    np.testing.assert_allclose(wide["benefit"], [0, 0, 1000, 2000, 2000, 2000])
    np.testing.assert_allclose(s.net_cash_flow(), [0, -3000, 900, 1900, 2000, 2000])
    # cumulative −3000, −2100, −200, 1800: first month back in the black is month 4
    cum = np.cumsum(s.net_cash_flow())
    np.testing.assert_allclose(wide["cumulative"], cum)
    been_negative = np.maximum.accumulate(cum < 0)
    assert int(np.argmax(been_negative & (cum >= 0))) == 4
    arr = cost_schedule(r, horizon_months=3, benefit=[0, 500, 700])
    np.testing.assert_allclose(arr.wide()["benefits"], [0, 0, 500, 700])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"scenario": "worst"}, r"scenario must be 'low', 'base' or 'high'"),
        ({"horizon_months": 1}, r"horizon_months \(1\) must cover day 59 \(needs 2 months\)"),
        ({"benefit": [1, 2, 3]}, r"benefit must have one amount per month 1…2"),
        ({"benefit": [1, -2]}, r"benefit must be >= 0"),
        ({"start_date": "nonsense"}, r"start_date must be a date"),
    ],
)
def test_schedule_validation(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match):
        cost_schedule(_hand_roadmap(), **kwargs)  # type: ignore[arg-type]


roadmaps = st.lists(
    st.tuples(
        st.integers(0, 170),  # start day
        st.integers(0, 60),  # duration (0 = instant)
        st.floats(0, 1e6),  # one-off cost
        st.floats(0, 1e4),  # monthly recurring
        st.booleans(),  # upfront
    ),
    min_size=1,
    max_size=12,
)


PHASES = defaults_roadmap().phases


def _random_roadmap(rows: list[tuple[int, int, float, float, bool]]) -> Roadmap:
    tasks = []
    for i, (start, dur, cost, rec, up) in enumerate(rows):
        end = min(start + dur, 200)
        phase = next(p.id for p in PHASES if p.start_day <= start < p.end_day)
        tasks.append(
            Task(
                f"T{i}",
                f"t{i}",
                phase,
                start,
                end,
                cost_low=0,
                cost_base=cost,
                cost_high=cost,
                monthly_recurring_cost=rec,
                upfront=up,
            )
        )
    return Roadmap(PHASES, tuple(tasks), horizon_days=200)


@settings(max_examples=scaled(80), deadline=None)
@given(rows=roadmaps, calendar=st.booleans())
def test_total_equals_sum_of_phases_and_of_tasks(
    rows: list[tuple[int, int, float, float, bool]], calendar: bool
) -> None:
    r = _random_roadmap(rows)
    s = cost_schedule(r, horizon_months=8, start_date="2025-02-14" if calendar else None)
    total = s.total_cost()
    assert s.phase_totals().sum() == pytest.approx(total, rel=1e-9, abs=1e-6)
    assert -s.net_cash_flow().sum() == pytest.approx(total, rel=1e-9, abs=1e-6)
    one_off = -s.tidy.loc[s.tidy.category == "one_off", "amount"].sum()
    assert one_off == pytest.approx(sum(t.cost_base for t in r.tasks), rel=1e-9, abs=1e-6)
    upfront = sum(t.cost_base for t in r.tasks if t.upfront)
    assert -s.net_cash_flow()[0] == pytest.approx(upfront, rel=1e-9, abs=1e-6)
    if not calendar:  # 30-day months: recurring = monthly × active days / 30, to day 240
        rec = sum(t.monthly_recurring_cost * (240 - t.start_day) / 30 for t in r.tasks)
        got = -s.tidy.loc[s.tidy.category == "recurring", "amount"].sum()
        assert got == pytest.approx(rec, rel=1e-9, abs=1e-6)


# ---------------------------------------------------------------------------------------------
# capacity-plan money: taken once, from the plan
# ---------------------------------------------------------------------------------------------


def test_capacity_cash_flows_hand_case_across_a_month_boundary() -> None:
    plan = pd.DataFrame(
        {
            "week": range(8),
            "hires": [0, 0, 0, 0, 7, 0, 0, 0],
            "headcount_training": [0, 0, 0, 0, 7, 7, 0, 0],
            "classes": [0, 0, 0, 0, 1, 0, 0, 0],
        }
    )
    f = capacity_cash_flows(plan, cost_per_hire=1000, trainee_pay_per_week=700, cost_per_class=50)
    by = f.groupby(["month", "category"])["amount"].sum()
    # week 4 = days 28–34: hires on day 28 (month 1): 7 × 1000 + 1 class × 50
    assert by[(1, "hiring")] == -7050
    # training pay 7 trainees × 100/day: days 28–29 in month 1, days 30–41 in month 2
    assert by[(1, "training")] == pytest.approx(-2 * 700)
    assert by[(2, "training")] == pytest.approx(-12 * 700)
    assert set(f["phase"]) == {"unphased"}
    assert (f["task_id"] == "").all()


def _plan_and_costs() -> tuple[pd.DataFrame, CapacityCosts]:
    wf = Workforce(
        starting_headcount=20,
        attrition_annual=0.35,
        training_weeks=6,
        learning_curve=LearningCurve(8, start_aht_multiplier=1.5),
    )
    loaded_week = 20.0 * 40 * 1.3  # $20/h wage, 40-h week, 30 % benefits load
    costs = CapacityCosts(
        shortfall_cost_per_fte_week=20.0 * 40 * 1.5,  # overtime at time-and-a-half
        surplus_cost_per_fte_week=loaded_week,
        cost_per_hire=4000,
        trainee_pay_per_week=loaded_week,
        cost_per_class=2500,
    )
    classes = [HiringClass(2, 8), HiringClass(6, 10), HiringClass(14, 12)]
    return simulate_capacity(np.linspace(20, 40, 26), wf, classes, costs), costs


def test_hiring_costs_from_the_capacity_plan_appear_once() -> None:
    plan, costs = _plan_and_costs()
    roadmap = _priced_by_capacity_plan(defaults_roadmap())
    base = cost_schedule(roadmap)
    s = cost_schedule(
        roadmap,
        capacity_plan=plan,
        cost_per_hire=costs.cost_per_hire,
        trainee_pay_per_week=costs.trainee_pay_per_week,
        cost_per_class=costs.cost_per_class,
    )
    # 26 weeks = 182 days: the schedule grows to 7 thirty-day months
    assert s.horizon_months == 7
    tidy = s.tidy
    hiring = -tidy.loc[tidy.category == "hiring", "amount"].sum()
    training = -tidy.loc[tidy.category == "training", "amount"].sum()
    # exactly the plan's own hiring and training cost (same unit costs), counted once
    assert hiring == pytest.approx(plan["hiring_cost"].sum(), rel=1e-12)
    assert hiring == pytest.approx(30 * 4000 + 3 * 2500, rel=1e-12)
    assert training == pytest.approx(plan["training_pay"].sum(), rel=1e-12)
    # nothing else changed: the capacity-plan tasks (first cohort, scale-up) carry no money
    assert s.total_cost() == pytest.approx(base.total_cost() + hiring + training, rel=1e-12)
    assert not tidy["task_id"].isin(["cohort", "scale-up"]).any()
    assert s.phase_totals().sum() == pytest.approx(s.total_cost(), rel=1e-12)
    # hiring money lands in the phase of its week: classes start on days 14, 42, 98
    hires = tidy[tidy.category == "hiring"].groupby("phase")["amount"].sum()
    assert hires.to_dict() == pytest.approx(
        {
            "foundation": -(8 * 4000 + 2500),
            "build": -(10 * 4000 + 2500),
            "scale": -(12 * 4000 + 2500),
        }
    )


def test_capacity_money_after_the_phases_is_unphased_but_counted() -> None:
    plan, _ = _plan_and_costs()
    s = cost_schedule(
        defaults_roadmap(), capacity_plan=plan, trainee_pay_per_week=1000, capacity_start_day=90
    )
    # plan days 90–271: weeks from day 181 on (weeks 13+) are after the 180-day roadmap
    totals = s.phase_totals()
    assert totals["unphased"] > 0
    assert totals.sum() == pytest.approx(s.total_cost(), rel=1e-12)
    training = -s.tidy.loc[s.tidy.category == "training", "amount"].sum()
    assert training == pytest.approx(plan["headcount_training"].sum() * 1000, rel=1e-12)


def test_capacity_cash_flow_validation() -> None:
    plan, _ = _plan_and_costs()
    with pytest.raises(InputError, match=r"plan is missing column\(s\) headcount_training"):
        capacity_cash_flows(
            plan.drop(columns="headcount_training"), cost_per_hire=1, trainee_pay_per_week=1
        )
    with pytest.raises(InputError, match=r"horizon_months \(6\) must cover day 181 \(needs 7"):
        capacity_cash_flows(plan, cost_per_hire=1, trainee_pay_per_week=1, horizon_months=6)
    with pytest.raises(InputError, match=r"cost_per_hire must be >= 0"):
        capacity_cash_flows(plan, cost_per_hire=-1, trainee_pay_per_week=1)


def test_net_cash_flow_is_the_finance_layer_input() -> None:
    """Index 0 = t = 0 (initial), index m = month m: the finance layer's convention."""
    plan, costs = _plan_and_costs()
    s = cost_schedule(
        defaults_roadmap(),
        horizon_months=12,
        capacity_plan=plan,
        cost_per_hire=costs.cost_per_hire,
        trainee_pay_per_week=costs.trainee_pay_per_week,
        benefit=BenefitRamp(40_000, start_month=4, ramp_months=3),
    )
    flow = s.net_cash_flow()
    assert flow.shape == (13,)
    assert flow[0] == 0.0  # nothing upfront in the template
    wide = s.wide()
    np.testing.assert_allclose(wide["net"], flow)
    np.testing.assert_allclose(wide["cumulative"], np.cumsum(flow))
    np.testing.assert_allclose(wide["benefits"] - wide["costs"], flow)
    cost_cols = [c for c in CATEGORIES if c != "benefit"]
    np.testing.assert_allclose(-wide[cost_cols].sum(axis=1), wide["costs"])


# ---------------------------------------------------------------------------------------------
# chart data
# ---------------------------------------------------------------------------------------------


def test_gantt_and_milestone_data() -> None:
    r = defaults_roadmap()
    g = gantt_data(r, start_date="2025-01-06")
    assert len(g) == len(r.tasks)
    assert {
        "task_id",
        "task",
        "phase",
        "phase_name",
        "start_day",
        "end_day",
        "start_date",
        "end_date",
        "milestone",
        "milestone_name",
        "depends_on",
    } <= set(g.columns)
    row = g.set_index("task_id").loc["pilot"]
    assert (row["start_day"], row["end_day"], row["depends_on"]) == (75, 90, "routing")
    assert row["start_date"] == pd.Timestamp("2025-03-22")  # 6 Jan + 75 days
    both = gantt_data(Roadmap(P, (_t("a", 0, 5), _t("b", 0, 5), _t("c", 5, 9, ("a", "b")))))
    assert both.set_index("task_id").loc["c", "depends_on"] == "a, b"
    assert gantt_data(r).columns.tolist() == g.columns.tolist()[:-2]
    m = milestone_data(r, start_date="2025-01-06")
    assert m["task_id"].tolist() == ["stack", "pilot", "rca-nps"]
    assert m.set_index("task_id").loc["rca-nps", "day"] == 180
    assert m.set_index("task_id").loc["rca-nps", "date"] == pd.Timestamp("2025-07-05")


def test_cashflow_chart_data_is_tidy() -> None:
    s = cost_schedule(
        defaults_roadmap(),
        horizon_months=9,
        benefit=BenefitRamp(15_000, start_month=3, ramp_months=3),
    )
    d = cashflow_chart_data(s)
    assert list(d.columns) == ["month", "month_label", "series", "value"]
    assert len(d) == 4 * 10
    cum = d[d.series == "cumulative"]["value"].to_numpy()
    np.testing.assert_allclose(cum, np.cumsum(s.net_cash_flow()))
    costs = d[d.series == "costs"]["value"].to_numpy()
    assert costs.sum() == pytest.approx(s.total_cost())
    with pytest.raises(InputError, match=r"schedule must be a Schedule"):
        cashflow_chart_data(s.tidy)  # type: ignore[arg-type]
    assert isinstance(s, Schedule)
