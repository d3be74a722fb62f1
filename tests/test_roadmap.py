"""Tests for cxplan.plan.roadmap: the template, validation and Gantt data.

Reference values: seed 001's roadmap (phases 0–30 / 30–90 / 90–180 days; discovery $5k–20k;
licences and integrations $10k–75k), seed 000's 90-day pilot and training ($8k–25k), the template
of params/defaults.yaml built from them, and hand arithmetic written in each test. The money of
the roadmap's tasks is in the business case (tests/test_programme_case.py, tests/test_model.py).
"""

from __future__ import annotations

import warnings
from typing import Any

import pandas as pd
import pytest
from roadmap_template import defaults_roadmap  # tests/ is on sys.path (rootdir import mode)

from cxplan.errors import InputError
from cxplan.plan.roadmap import (
    Phase,
    Roadmap,
    ScheduleWarning,
    Task,
    gantt_data,
    milestone_data,
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
        # seed 000: training module $8k–25k; seed 001: licences and integrations $10k–$75k
        ("build", "low", 8_000.0 + 10_000.0),
        ("build", "high", 25_000.0 + 75_000.0),
        ("scale", "high", 40_000.0),  # the rollout's change management (assumption, cited)
    ],
)
def test_template_task_costs_sum_to_cited_ranges(phase: str, scenario: Any, total: float) -> None:
    r = defaults_roadmap()
    tasks = [t for t in r.tasks if t.phase == phase]
    assert sum(t.cost(scenario) for t in tasks) == total
    assert all(t.source for t in tasks if t.cost(scenario) > 0)  # every cost cites its source


def test_template_pilot_and_rollout_follow_seed_000() -> None:
    tasks = {t.id: t for t in defaults_roadmap().tasks}
    pilot, rollout = tasks["pilot"], tasks["rollout"]
    assert pilot.end_day - pilot.start_day == 90  # seed 000: a 90-day pilot and A/B test
    assert rollout.start_day >= pilot.end_day and "pilot" in rollout.depends_on
    assert rollout.end_day <= 180  # inside the 90-180-day plan (seed 001)


def test_template_people_tasks_carry_no_money_of_their_own() -> None:
    # hiring and training are priced by the capacity plan only (no double counting); the
    # staccato module and the rollout are programme costs
    people = [t for t in defaults_roadmap().tasks if t.cost_source == "capacity_plan"]
    assert [t.id for t in people] == ["cohort", "scale-up"]
    assert all(t.cost_high == 0 and t.monthly_recurring_cost == 0 for t in people)


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
    assert (row["start_day"], row["end_day"], row["depends_on"]) == (45, 135, "stack, module")
    assert row["start_date"] == pd.Timestamp("2025-02-20")  # 6 Jan + 45 days
    both = gantt_data(Roadmap(P, (_t("a", 0, 5), _t("b", 0, 5), _t("c", 5, 9, ("a", "b")))))
    assert both.set_index("task_id").loc["c", "depends_on"] == "a, b"
    assert gantt_data(r).columns.tolist() == g.columns.tolist()[:-2]
    m = milestone_data(r, start_date="2025-01-06")
    assert m["task_id"].tolist() == ["stack", "pilot", "rollout", "rca-nps"]
    assert m.set_index("task_id").loc["rca-nps", "day"] == 180
    assert m.set_index("task_id").loc["rca-nps", "date"] == pd.Timestamp("2025-07-05")
