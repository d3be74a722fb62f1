"""Business-case building blocks: release through attrition, month spreading, line evaluation.

Reference values are hand arithmetic written in the tests or numpy-financial's ``npv`` (the
numpy-financial / TEI convention: the first period undiscounted, domain notes "Finance").
"""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxplan.economics.business_case import (
    DAYS_PER_MONTH,
    CaseLine,
    evaluate_lines,
    monthly_from_weekly,
    release_schedule,
    span_month_shares,
    tei_by_line,
    week_month_matrix,
)
from cxplan.errors import InputError


@pytest.mark.parametrize(
    ("target", "hires", "r", "released", "avoided"),
    [
        # hand: D0 = min(5, 0 + 1) = 1; D1 = min(5, 0.9 + 1) = 1.9; D2 = min(5, 1.71 + 1) = 2.71
        ([5, 5, 5], [1, 1, 1], 0.1, [1.0, 1.9, 2.71], [1.0, 1.0, 1.0]),
        # enough hires to skip: the target is met at once, then followed down
        ([3, 3, 0], [5, 5, 5], 0.0, [3.0, 3.0, 0.0], [3.0, 0.0, 0.0]),
        # no hires to skip and no attrition carry: nothing can be released
        ([4, 4], [0, 0], 0.2, [0.0, 0.0], [0.0, 0.0]),
    ],
)
def test_release_through_attrition_hand_cases(target, hires, r, released, avoided) -> None:
    out = release_schedule(target, hires, r)
    np.testing.assert_allclose(out.released_fte, released)
    np.testing.assert_allclose(out.hires_avoided, avoided)
    assert not out.exits.any()


def test_release_policy_counts_exits_beyond_the_attrition_path() -> None:
    # hand: week 0 cap = 0 + 2 -> 8 exits; week 1 cap = 10 * 0.5 + 2 = 7 < 10 -> 3 exits
    out = release_schedule([10.0, 10.0], [2.0, 2.0], 0.5, policy="release")
    np.testing.assert_allclose(out.released_fte, [10.0, 10.0])
    np.testing.assert_allclose(out.exits, [8.0, 3.0])


@given(
    target=st.lists(st.floats(0, 50), min_size=1, max_size=30),
    hires=st.floats(0, 5),
    r=st.floats(0, 0.05),
)
def test_release_invariants(target: list[float], hires: float, r: float) -> None:
    h = np.full(len(target), hires)
    attr = release_schedule(target, h, r)
    rel = release_schedule(target, h, r, policy="release")
    d = attr.released_fte
    assert np.all(d >= -1e-12) and np.all(d <= np.asarray(target) + 1e-9)
    prev = np.r_[0.0, d[:-1]]
    assert np.all(d <= prev * (1 - r) + h + 1e-9)  # never faster than skipped hires + carry
    assert np.all(attr.hires_avoided <= h + 1e-12)
    np.testing.assert_allclose(rel.released_fte, target)
    assert np.all(rel.released_fte >= d - 1e-9)


def test_release_vectorized_over_draws_equals_one_draw_at_a_time() -> None:
    rng = np.random.default_rng(3)
    target = rng.uniform(0, 20, size=(7, 12))
    hires = rng.uniform(0, 3, size=12)
    both = release_schedule(target, hires, 0.01)
    for i in range(7):
        one = release_schedule(target[i], hires, 0.01)
        np.testing.assert_allclose(both.released_fte[i], one.released_fte)
        np.testing.assert_allclose(both.hires_avoided[i], one.hires_avoided)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"target_fte": [1, 2], "baseline_hires": [1]}, "one value per week"),
        ({"target_fte": [-1], "baseline_hires": [1]}, "target_fte"),
        ({"target_fte": [1], "baseline_hires": [1], "attrition_weekly": 1.0}, "attrition_weekly"),
        ({"target_fte": [1], "baseline_hires": [1], "policy": "fire"}, "policy"),
    ],
)
def test_release_bad_input(kwargs, match) -> None:
    kwargs.setdefault("attrition_weekly", 0.0)
    with pytest.raises(InputError, match=match):
        release_schedule(**kwargs)


def test_week_month_matrix_counts_days() -> None:
    weeks, months = 60, 13
    m = week_month_matrix(weeks, months)
    # independent count: day d belongs to month floor(d / (365.25/12))
    for month in range(months):
        days = [d for d in range(7 * weeks) if math.floor(d / (365.25 / 12)) == month]
        assert m[:, month].sum() == pytest.approx(len(days) / 7)
    np.testing.assert_allclose(m[:52].sum(axis=1), 1.0)  # every week of the first year is inside
    assert monthly_from_weekly(np.ones(weeks), m).sum() == pytest.approx(m.sum())


@pytest.mark.parametrize(("start", "end"), [(0, 45), (10, 10), (29, 400), (100, 101)])
def test_span_month_shares_sum_to_one(start: float, end: float) -> None:
    shares = span_month_shares(start, end, 24)
    assert shares.sum() == pytest.approx(1.0)
    first = int(start // DAYS_PER_MONTH)
    assert shares[:first].sum() == 0.0 and shares[first] > 0


def test_evaluate_lines_matches_numpy_financial() -> None:
    rate_annual = 0.10
    i = (1 + rate_annual) ** (1 / 12) - 1
    benefit = np.r_[0.0, 0.0, np.full(34, 12_000.0)]
    cost = np.r_[50_000.0, 10_000.0, np.full(34, 1_000.0)]
    lines = [
        CaseLine("labour", "Labour", "benefit", benefit, risk=0.15),
        CaseLine("setup", "Set-up", "cost", cost, risk=0.10),
    ]
    res = evaluate_lines(lines, rate_annual)
    b, c = benefit * 0.85, cost * 1.10
    assert float(res.npv) == pytest.approx(npf.npv(i, b - c), rel=1e-12)
    pv_b, pv_c = npf.npv(i, b), npf.npv(i, c)
    assert float(res.roi) == pytest.approx((pv_b - pv_c) / pv_c, rel=1e-12)
    # payback by hand: first month the cumulative net turns >= 0, interpolated inside it
    cum = np.cumsum(b - c)
    m = int(np.argmax(cum >= 0))
    expected = m - 1 + (-cum[m - 1]) / (cum[m] - cum[m - 1])
    assert float(res.payback_months) == pytest.approx(expected)


def test_roi_is_infinite_without_costs_and_nan_without_anything() -> None:
    free = evaluate_lines([CaseLine("x", "X", "benefit", np.ones(3))], 0.1)
    assert math.isinf(float(free.roi))
    none = evaluate_lines([CaseLine("x", "X", "benefit", np.zeros(3))], 0.1)
    assert math.isnan(float(none.roi))


def test_tei_table_totals_equal_the_case_figures() -> None:
    rng = np.random.default_rng(5)
    lines = [
        CaseLine("labour", "Labour", "benefit", rng.uniform(0, 9e3, 36), risk=0.15),
        CaseLine("hiring", "Hiring", "benefit", rng.uniform(0, 1e3, 36), risk=0.10),
        CaseLine("tools", "Tools", "cost", rng.uniform(0, 2e3, 36), risk=0.05),
    ]
    table = tei_by_line(lines, 0.10)
    res = evaluate_lines(lines, 0.10)
    assert table.loc["Net benefits", "present_value"] == pytest.approx(float(res.npv))
    assert table.loc["Total costs", "present_value"] == pytest.approx(-float(res.pv_costs))
    years = ["Year 1", "Year 2", "Year 3"]
    np.testing.assert_allclose(
        table.loc["Net benefits", years].to_numpy(dtype=float),
        (res.benefits - res.costs).reshape(3, 12).sum(axis=1),
    )
    assert table.loc["Labour", "present_value"] < table.loc["Labour", "present_value_unadjusted"]
