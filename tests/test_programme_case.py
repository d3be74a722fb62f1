"""The programme's business case lines: hand cases and invariants (issue 12).

References are hand arithmetic in the tests: released FTE from the attrition recursion written out
week by week, task costs spread by days, tooling from the pilot month.
"""

from __future__ import annotations

import numpy as np
import pytest

from cxplan.economics.business_case import evaluate_lines, week_month_matrix
from cxplan.economics.programme_case import CaseSetup, TaskCost, case_lines, weeks_in_months
from cxplan.errors import InputError

MONTHS = 12
WEEKS = weeks_in_months(MONTHS)


def setup(**kw: object) -> CaseSetup:
    base: dict[str, object] = {
        "months": MONTHS,
        "adoption": np.ones(WEEKS),
        "requirement_fte": np.full(WEEKS, 100.0),
        "baseline_hires": np.full(WEEKS, 1.0),
        "baseline_headcount": np.full(WEEKS, 100.0),
        "attrition_weekly": 0.0,
        "avoidable_cost_per_fte_week": 1_000.0,
        "cost_per_hire": 5_000.0,
        "loaded_cost_per_paid_hour": 40.0,
    }
    base.update(kw)
    return CaseSetup(**base)  # type: ignore[arg-type]


def by_key(lines):
    return {ln.key: ln for ln in lines}


def test_weeks_in_months() -> None:
    assert weeks_in_months(12) == 53  # 365.25 days = 52.18 weeks
    assert weeks_in_months(36) == 157


def test_labour_benefit_follows_the_attrition_path_by_hand() -> None:
    # target 10 FTE; one hire a week can be skipped; no attrition: 1, 2, ..., 10, 10, ...
    lines, release = case_lines(setup(), saving_share=0.1)
    expected = np.minimum(np.arange(1, WEEKS + 1), 10.0)
    np.testing.assert_allclose(release.released_fte, expected)
    labour = by_key(lines)["labour"].monthly
    assert labour.sum() == pytest.approx(
        (expected * week_month_matrix(WEEKS, MONTHS).sum(axis=1)).sum() * 1_000.0
    )
    recruiting = by_key(lines)["recruiting"].monthly.sum()
    inside = week_month_matrix(WEEKS, MONTHS).sum(axis=1)
    skipped = np.r_[np.ones(10), np.zeros(WEEKS - 10)]
    assert recruiting == pytest.approx((skipped * inside).sum() * 5e3)


def test_nothing_is_released_before_adoption() -> None:
    adoption = np.r_[np.zeros(20), np.linspace(0, 1, 9)[1:], np.ones(WEEKS - 28)]
    _, release = case_lines(setup(adoption=adoption), saving_share=0.2, realisation=0.5)
    assert not release.released_fte[:20].any()
    # full adoption: target = 0.2 · 0.5 · 100 = 10 FTE
    assert release.target_fte[-1] == pytest.approx(10.0)


def test_task_costs_tooling_and_training_by_hand() -> None:
    tasks = (
        TaskCost("task:routing", "Routing", 30, 75),
        TaskCost("task:review", "Review", 100, 100),
    )
    s = setup(
        tasks=tasks,
        tooling_start_day=31,  # month 1 (days 30.4-60.9)
        training_hours_per_agent=16.0,
        adoption=np.r_[np.zeros(10), np.ones(WEEKS - 10)],
    )
    lines, release = case_lines(
        s,
        saving_share=0.0,
        tooling_per_year=12_000.0,
        task_costs={"task:routing": 45_000.0, "task:review": 7_000.0},
    )
    k = by_key(lines)
    assert k["task:routing"].monthly.sum() == pytest.approx(45_000.0)
    # days 30-74: 0.4375 days in month 0 (day 30 only, floor), the rest in months 1 and 2
    assert k["task:routing"].monthly[0] == pytest.approx(45_000.0 * 0.4375 / 45)
    assert k["task:review"].monthly[3] == 7_000.0  # a one-day task: the month of day 100
    np.testing.assert_allclose(k["tooling"].monthly, np.r_[0.0, np.full(11, 1_000.0)])
    # 100 agents trained in week 10 (16 h at 40/h), then one new hire a week
    assert k["agent_training"].monthly.sum() == pytest.approx(
        (100 + (WEEKS - 11) + 2 / 7) * 16 * 40.0, rel=1e-9
    )  # 365.25 days: of the last week (days 364-370) only days 364 and 365 are inside
    assert not release.released_fte.any()


def test_release_policy_adds_a_release_line() -> None:
    s = setup(policy="release", release_cost_per_fte=20_000.0, baseline_hires=np.zeros(WEEKS))
    lines, release = case_lines(s, saving_share=0.1)
    k = by_key(lines)
    assert release.exits[0] == pytest.approx(10.0)
    assert k["release"].monthly.sum() == pytest.approx(10.0 * 20_000.0)


def test_draws_broadcast_and_match_single_cases() -> None:
    s = setup(attrition_weekly=0.006, tasks=(TaskCost("task:x", "X", 0, 30),))
    shares = np.array([0.05, 0.1, 0.2])
    lines, _ = case_lines(s, saving_share=shares, task_costs={"task:x": np.array([1e4, 2e4, 3e4])})
    npv = evaluate_lines(lines, 0.1).npv
    for i, sh in enumerate(shares):
        one, _ = case_lines(s, saving_share=sh, task_costs={"task:x": 1e4 * (i + 1)})
        assert float(evaluate_lines(one, 0.1).npv) == pytest.approx(float(npv[i]))


def test_per_line_risk() -> None:
    s = setup(risk={"labour": 0.2}, risk_benefit=0.1, risk_cost=0.05)
    k = by_key(case_lines(s, saving_share=0.1, tooling_per_year=1200.0)[0])
    assert (k["labour"].risk, k["recruiting"].risk, k["tooling"].risk) == (0.2, 0.1, 0.05)
    np.testing.assert_allclose(k["tooling"].adjusted, k["tooling"].monthly * 1.05)


def test_setup_checks_shapes() -> None:
    with pytest.raises(InputError, match="one value per week"):
        setup(adoption=np.ones(10))
