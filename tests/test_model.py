"""Integration tests of :class:`cxplan.model.RegionModel` on the three demo regions.

Every check ties a table of the model to an independent reference: hand arithmetic on the
parameter files (``params/defaults.yaml`` ← ``params/regions/*.yaml``, seeds cited there), or a
direct call of the lower-level module the model delegates to (``cxplan.economics.costs``,
``cxplan.economics.sourcing``, ``cxplan.economics.finance``), with the arithmetic that links the
two written out.

Each region's model is built once per session (the ``model`` fixture of ``conftest.py``, 300
Monte Carlo draws).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_support import scaled

from cxplan.config.params import UNCERTAIN_INITIATIVE_INPUTS, Dist, RegionParams, load_params
from cxplan.economics import finance, sourcing
from cxplan.model import RESULT_VERSION, RegionModel
from cxplan.plan import kpi

ROOT = Path(__file__).resolve().parent.parent
REGION_FILES = sorted((ROOT / "params" / "regions").glob("*.yaml"))
DRAWS = 300
WEEKS_PER_MONTH = 52.0 / 12.0  # the month the live planner and the reports speak of

SETTINGS = settings(
    max_examples=scaled(15),
    deadline=None,
)



@pytest.fixture(scope="module")
def headline(model: RegionModel) -> dict[str, Any]:
    return model.headline()


def _mode(value: float | Dist) -> float:
    return float(value.mode) if isinstance(value, Dist) else float(value)


def _per_day(p: RegionParams) -> int:
    return 24 * 60 // p.forecast.interval_minutes


# ---------------------------------------------------------------------------------------------
# volume forecast
# ---------------------------------------------------------------------------------------------


def test_weekly_contacts_follow_growth_by_hand(typed_model: RegionModel) -> None:
    model = typed_model  # volumes from weekly contacts (a history region: test_model_history.py)
    # week w (0-based) of the plan: Σ_channels weekly_contacts × (1 + growth)^(w/52) × season_w;
    # e.g. North America week 1: (30,000 + 6,000 + 3,000) × 1.06^(1/52) = 39,043.73
    p = model.params
    f = p.forecast
    week1 = sum(getattr(p.channels, ch).weekly_contacts for ch in model.channels)
    season = [1.0] * f.horizon_weeks if f.seasonality is None else f.seasonality
    expected = [
        week1 * (1.0 + f.growth_annual) ** (w / 52.0) * season[w] for w in range(f.horizon_weeks)
    ]
    weekly = model.weekly
    assert len(weekly) == f.horizon_weeks
    # weeks run Monday..Sunday from the plan start (W-SUN labels the Sunday that ends them)
    assert weekly.index[0] == pd.Timestamp(p.region.start_date) + pd.Timedelta(days=6)
    np.testing.assert_allclose(weekly["contacts"].to_numpy(), expected, rtol=1e-12)


def test_weekly_contacts_worked_example() -> None:
    # asia-pacific: 5,000 voice + 4,000 chat + 18,000 email = 27,000 in week 1; week 2 is
    # 27,000 × 1.03^(1/52) = 27,015.3522 (growth_annual 0.03 in its region file)
    m = RegionModel(load_params(ROOT / "params" / "regions" / "asia-pacific.yaml"))
    by_week = sum(v.resample("W-SUN").sum() for v in m.volumes.values())
    assert by_week.iloc[0] == pytest.approx(27_000.0, rel=1e-12)
    assert by_week.iloc[1] == pytest.approx(27_000.0 * 1.03 ** (1 / 52), rel=1e-12)
    assert round(float(by_week.iloc[1]), 4) == 27_015.3522


@SETTINGS
@given(
    growth=st.floats(-0.5, 2.0),
    season=st.lists(st.floats(0.2, 3.0), min_size=26, max_size=26),
)
def test_volume_shape_with_growth_and_seasonality(growth: float, season: list[float]) -> None:
    # the forecast section rebuilt with a seasonality per week (model_copy skips validation;
    # the values drawn satisfy it: positive factors, one per week of the 26-week horizon)
    base = load_params(REGION_FILES[0])
    f = base.forecast.model_copy(update={"growth_annual": growth, "seasonality": season})
    m = RegionModel(base.model_copy(update={"forecast": f}))
    week1 = sum(getattr(base.channels, ch).weekly_contacts for ch in m.channels)
    total = sum(v.to_numpy() for v in m.volumes.values()).reshape(26, -1).sum(axis=1)
    expected = [week1 * (1.0 + growth) ** (w / 52.0) * season[w] for w in range(26)]
    np.testing.assert_allclose(total, expected, rtol=1e-12)


def test_day_of_week_and_intraday_shares(typed_model: RegionModel) -> None:
    model = typed_model  # volumes from weekly contacts (a history region: test_model_history.py)
    p = model.params
    f = p.forecast
    per_day = _per_day(p)
    dow = np.asarray(f.day_of_week_share)
    profile = np.asarray(f.intraday_profile, dtype=float)
    intraday = profile / profile.sum()  # relative profile → shares of the day (sum 1)
    for name, vol in model.volumes.items():
        cube = vol.to_numpy().reshape(f.horizon_weeks, 7, per_day)  # week × weekday × interval
        week_total = cube.sum(axis=(1, 2))
        day_total = cube.sum(axis=2)
        np.testing.assert_allclose(
            day_total / week_total[:, None], np.tile(dow, (f.horizon_weeks, 1))
        )
        open_days = dow > 0
        shares = cube[:, open_days, :] / day_total[:, open_days, None]
        np.testing.assert_allclose(shares, np.broadcast_to(intraday, shares.shape), atol=1e-15)
        assert week_total[0] == pytest.approx(getattr(p.channels, name).weekly_contacts)


def test_every_staffing_table_covers_each_interval_of_the_horizon(model: RegionModel) -> None:
    p = model.params
    n = p.forecast.horizon_weeks * 7 * _per_day(p)  # e.g. 26 × 7 × 48 = 8,736 half hours
    idx = pd.date_range(
        pd.Timestamp(p.region.start_date), periods=n, freq=f"{p.forecast.interval_minutes}min"
    )
    assert set(model.staffing) == {
        ch for ch in ("voice", "chat", "email") if getattr(p.channels, ch) is not None
    }
    for name, table in model.staffing.items():
        assert len(table) == n
        assert table.index.equals(idx)
        np.testing.assert_array_equal(table["contacts"].to_numpy(), model.volumes[name].to_numpy())
        # agent-hours of an interval = agents × interval length in hours
        np.testing.assert_allclose(
            table["agent_hours"], table["agents"] * p.forecast.interval_minutes / 60.0
        )
    assert len(model.combined) == n


# ---------------------------------------------------------------------------------------------
# weekly rollup, shrinkage, in-house cost
# ---------------------------------------------------------------------------------------------


def test_weekly_fte_and_scheduled_fte(model: RegionModel) -> None:
    w = model.params.workforce
    assert w.shrinkage_method == "divide"  # the demo regions use the WFM rule
    weekly = model.weekly
    hours_h = model.params.forecast.interval_minutes / 60.0
    # agent hours of a week = Σ over its intervals of the combined agents × interval hours
    by_hand = model.combined["agents"].to_numpy().reshape(len(weekly), -1).sum(axis=1) * hours_h
    np.testing.assert_allclose(weekly["agent_hours"].to_numpy(), by_hand)
    # every plan week is a whole week: FTE = agent hours ÷ fte_hours_per_week (40 h, defaults)
    np.testing.assert_allclose(weekly["fte"], weekly["agent_hours"] / w.fte_hours_per_week)
    # divide rule: scheduled = FTE ÷ (1 − shrinkage)
    np.testing.assert_allclose(weekly["scheduled_fte"], weekly["fte"] / (1.0 - w.shrinkage))
    np.testing.assert_array_equal(
        weekly["scheduled_headcount"], np.ceil(np.round(weekly["scheduled_fte"], 9))
    )


@pytest.mark.parametrize(
    ("method", "factor"),
    [
        ("divide", lambda s: 1.0 / (1.0 - s)),  # WFM rule, required ÷ (1 − s)
        ("multiply", lambda s: 1.0 + s),  # seed 001's rule, required × (1 + s)
    ],
)
def test_scheduled_fte_follows_the_configured_shrinkage_rule(method: str, factor: Any) -> None:
    base = load_params(REGION_FILES[0])
    wf = base.workforce.model_copy(update={"shrinkage_method": method})
    m = RegionModel(base.model_copy(update={"workforce": wf}))
    s = wf.shrinkage
    np.testing.assert_allclose(m.weekly["scheduled_fte"], m.weekly["fte"] * factor(s))


@pytest.mark.parametrize("method", ["divide", "multiply"])
def test_inhouse_paid_hours_match_the_scheduled_fte(method: str) -> None:
    # The plan pays the heads it schedules: over the horizon, the in-house cost's paid hours
    # should equal Σ weekly scheduled FTE × fte_hours_per_week, whichever shrinkage rule the
    # parameters choose (the capacity plan hires to that scheduled FTE).
    base = load_params(REGION_FILES[0])
    wf = base.workforce.model_copy(update={"shrinkage_method": method})
    m = RegionModel(base.model_copy(update={"workforce": wf}))
    scheduled_hours = float(m.weekly["scheduled_fte"].sum()) * wf.fte_hours_per_week
    paid_hours = float(m.inhouse_cost["paid_hours"].sum())
    assert paid_hours == pytest.approx(scheduled_hours, rel=1e-9)


def test_cost_per_paid_hour_by_hand(model: RegionModel) -> None:
    p = model.params
    loc, tech = p.location, p.technology
    h = loc.paid_hours_per_fte_per_year  # 2,080 = 40 h × 52 (defaults)
    lic = sum(x.cost_per_agent_per_month for x in tech.licences)  # 125 + 60 + 15 = 200 a month
    by_hand = (
        loc.wage_per_hour * (1.0 + loc.benefits_load)  # wages + benefits
        + loc.supervisor_wage_per_hour * (1.0 + loc.benefits_load) / loc.supervisor_span
        + 12.0 * tech.licences_per_fte * lic / h
        + 12.0 * loc.seats_per_fte * loc.facilities_per_seat_per_month / h
        + p.workforce.attrition_annual * loc.hiring_cost_per_hire / h
        + 12.0 * loc.other_cost_per_fte_per_month / h
    )
    assert model.cost_per_paid_hour == pytest.approx(by_hand, rel=1e-12)


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        # North America: 24 × 1.32 + 36 × 1.32 / 12 + 12 × 200 / 2080 + 12 × 450 / 2080
        #   + 0.35 × 4,700 / 2080 + 12 × 1,500 / 2080
        #   = 31.68 + 3.96 + 1.153846 + 2.596154 + 0.790865 + 8.653846 = 48.834712
        ("north-america", 48.83471153846154),
        # Asia Pacific: 6.5 × 1.25 + 10 × 1.25 / 12 + 12 × 200 / 2080 + 12 × 150 / 2080
        #   + 0.45 × 1,200 / 2080 + 12 × 250 / 2080
        #   = 8.125 + 1.041667 + 1.153846 + 0.865385 + 0.259615 + 1.442308 = 12.887821
        ("asia-pacific", 12.887820512820513),
    ],
)
def test_cost_per_paid_hour_worked_examples(stem: str, expected: float) -> None:
    m = RegionModel(load_params(ROOT / "params" / "regions" / f"{stem}.yaml"))
    assert m.cost_per_paid_hour == pytest.approx(expected, rel=1e-12)


def test_monthly_inhouse_cost_is_paid_hours_times_rates(model: RegionModel) -> None:
    from cxplan.economics import costs

    s = model.params.workforce.shrinkage
    cost = model.inhouse_cost
    paid = model.monthly["agent_hours"].to_numpy() / (1.0 - s)  # WFM rule: staffed ÷ (1 − s)
    np.testing.assert_allclose(cost["paid_hours"].to_numpy(), paid)
    rates = costs.component_rates(model.location, model.tech)
    for component, rate in rates.items():
        np.testing.assert_allclose(cost[component].to_numpy(), paid * rate)
    np.testing.assert_allclose(
        cost["cost"].to_numpy(), paid * math.fsum(rates.values()), rtol=1e-12
    )
    np.testing.assert_allclose(cost["cost"].to_numpy(), paid * model.cost_per_paid_hour)
    # the months cover the whole horizon once
    assert float(model.monthly["agent_hours"].sum()) == pytest.approx(
        float(model.weekly["agent_hours"].sum())
    )


# ---------------------------------------------------------------------------------------------
# sourcing
# ---------------------------------------------------------------------------------------------


def test_sourcing_totals_are_sums_of_the_monthly_comparison(model: RegionModel) -> None:
    comp = model.sourcing_comparison
    totals = model.sourcing_totals
    assert set(totals.index) == set(comp["option"])
    share = model.params.sourcing.vendor_share
    assert {"in-house", "outsourced", f"hybrid {share:.0%} to vendor"} <= set(totals.index)
    for option, total in totals.items():
        monthly = comp.loc[comp["option"] == option, "total_cost"].to_numpy()
        assert len(monthly) == len(model.monthly)  # one row per month of the horizon
        assert total == pytest.approx(math.fsum(monthly), rel=1e-12)
    assert totals.is_monotonic_increasing  # cheapest first
    assert totals.index[0] == min(totals.index, key=lambda k: totals[k])


def test_crossover_brackets_a_sign_change(model: RegionModel) -> None:
    cross = model.crossover
    vol, ch, loc, tech, quote = model._sourcing_args()
    grid = cross.curve["scale"].to_numpy()
    d = cross.curve["saving_from_outsourcing"].to_numpy()
    assert list(cross.scales) == sorted(cross.scales)
    for k, above in zip(cross.scales, cross.outsourcing_cheaper_above, strict=True):
        assert 0.1 <= k <= 10.0  # the searched range
        # the crossing lies between two grid scales whose savings differ in sign; recomputed
        # independently at those two scales (in-house is a step function of whole agents, so
        # the curves can touch inside a step: the bracket, not k ± ε, is the guarantee)
        j = int(np.searchsorted(grid, k)) - 1
        lo, hi = grid[j], grid[j + 1]
        assert lo <= k <= hi
        curve = sourcing.cost_curves(
            vol, ch, loc, tech, quote, shrinkage=model.paid_shrinkage, scales=[lo, hi],
            interval_s=model.interval_s,
        )  # fmt: skip
        below_diff, above_diff = curve["saving_from_outsourcing"].to_numpy()
        # saving_from_outsourcing = in-house − outsourced changes sign across the crossing
        assert below_diff * above_diff < 0
        assert (above_diff > 0) == above
    # no crossing reported ⇒ no sign change on the model's own grid
    changes = int(np.sum(np.sign(d[:-1]) * np.sign(d[1:]) < 0))
    assert changes == len(cross.scales)


# ---------------------------------------------------------------------------------------------
# initiative, TEI, risk
# ---------------------------------------------------------------------------------------------


def test_deterministic_result_is_the_tornado_base(model: RegionModel) -> None:
    tornado = model.tornado
    assert set(tornado["input"]) == set(model.uncertain_inputs)
    assert (tornado["base_output"] == model.initiative["npv"]).all()
    # the base case of each row sits between its low and high outputs (monotone inputs)
    lo = np.minimum(tornado["output_low"], tornado["output_high"])
    hi = np.maximum(tornado["output_low"], tornado["output_high"])
    assert ((lo <= tornado["base_output"] + 1e-6) & (tornado["base_output"] <= hi + 1e-6)).all()
    assert tornado["swing"].is_monotonic_decreasing


def _degenerate(model: RegionModel) -> RegionModel:
    """The same region with every uncertain input collapsed to its most likely value."""
    p = model.params
    i = p.initiative
    update = {
        name: Dist(low=_mode(getattr(i, name)), mode=_mode(getattr(i, name)),
                   high=_mode(getattr(i, name)))
        for name in UNCERTAIN_INITIATIVE_INPUTS
    }  # fmt: skip
    tasks = [t.model_copy(update={"cost_low": t.cost_base, "cost_high": t.cost_base})
             for t in p.roadmap.tasks]  # fmt: skip
    params = p.model_copy(
        update={
            "initiative": i.model_copy(update=update),
            "roadmap": p.roadmap.model_copy(update={"tasks": tuple(tasks)}),
        }
    )
    return RegionModel(params, params_root=model.params_root, monte_carlo_draws=DRAWS)


def test_degenerate_monte_carlo_equals_the_deterministic_result(model: RegionModel) -> None:
    degenerate = _degenerate(model)
    det = degenerate.initiative
    assert det["npv"] == model.initiative["npv"]  # same modes ⇒ same base case
    mc = degenerate.monte_carlo
    assert mc.n_draws == DRAWS
    for name in ("npv", "roi", "payback_months", "fte_released_end"):
        values = mc.outputs[name].to_numpy()
        # one vectorized evaluation of DRAWS identical draws vs one scalar evaluation: equal to
        # the last bits (a ratio may round differently in the last place)
        np.testing.assert_allclose(values, np.full(DRAWS, det[name]), rtol=1e-13, err_msg=name)


def test_programme_costs_are_the_roadmap_tasks_by_hand(model: RegionModel) -> None:
    p = model.params
    tei = model.tei_table
    # defaults roadmap (seed 001 discovery, seed 000 training, seed 001 integrations, rollout):
    # 12,000 + 15,000 + 35,000 + 20,000 = 82,000 one-off, each raised 10 % (TEI risk_cost)
    costed = [t for t in p.roadmap.tasks if t.cost_source == "task" and t.cost_high > 0]
    assert sum(t.cost_base for t in costed) == 82_000.0
    task_rows = tei.loc[[t.name for t in costed]]
    assert float(task_rows["total"].sum()) == pytest.approx(-82_000.0 * 1.10)
    # capacity-plan tasks (hiring, training of the operation) are not programme costs
    assert not {t.name for t in p.roadmap.tasks if t.cost_source == "capacity_plan"} & set(
        tei.index
    )
    # tooling: 60,000 a year from the pilot's start (day 45 = plan month 1) to month 35,
    # raised 5 % (finance.risk_adjustments.tooling): 35 × 5,000 × 1.05 = 183,750
    assert model.programme.pilot_start_day == 45
    assert tei.loc["Initiative tooling", "total"] == pytest.approx(-35 * 5_000.0 * 1.05)
    years = [c for c in tei.columns if c.startswith("Year ")]
    assert years == ["Year 1", "Year 2", "Year 3"]


def test_npv_break_even_and_tei_read_the_same_streams(model: RegionModel) -> None:
    f = model.params.finance
    ini = model.initiative
    flows = model.initiative_cashflows
    assert len(flows) == f.horizon_months
    rate = finance.monthly_rate(f.discount_rate_annual)
    assert ini["npv"] == pytest.approx(float(finance.npv(rate, flows)), rel=1e-12)
    assert model.tei_table.loc["Net benefits", "present_value"] == pytest.approx(ini["npv"])
    assert ini["break_even_month"] == float(finance.break_even_month(flows))
    cash = model.programme_cashflow
    cum = cash.loc[cash["series"] == "cumulative", "value"].to_numpy()
    np.testing.assert_allclose(cum, np.cumsum(flows))
    # per-line TEI risk: each line's adjusted amount is its unadjusted one times (1 ∓ risk)
    lines = model.case_lines_table
    for _, row in lines.drop_duplicates("key").iterrows():
        risk = model.case_setup.line_risk(row["key"], row["kind"])
        factor = 1.0 - risk if row["kind"] == "benefit" else 1.0 + risk
        one = lines[lines["key"] == row["key"]]
        np.testing.assert_allclose(one["amount"], one["unadjusted"] * factor)


def test_benefits_start_only_when_the_rollout_reaches_agents(model: RegionModel) -> None:
    prog = model.programme
    assert prog.readout_day <= prog.rollout_start_day
    release = model.release_table
    before = release["week"] * 7 + 7 <= prog.rollout_start_day
    assert before.any() and (release.loc[before, "released_fte"] == 0).all()
    assert (release.loc[before, "hires_avoided"] == 0).all()
    lines = model.case_lines_table
    labour = lines[lines["key"] == "labour"].set_index("month")["amount"]
    first_month = int(prog.rollout_start_day // (365.25 / 12))
    assert (labour.loc[: first_month - 1] == 0).all()
    assert labour.sum() > 0


def test_released_fte_leave_through_attrition_and_skipped_hires(model: RegionModel) -> None:
    t = model.release_table
    r = model.workforce.weekly_rates()[1]
    carry = np.r_[0.0, t["released_fte"].to_numpy()[:-1]] * (1 - r)
    assert (t["released_fte"] <= carry + t["hires_baseline"] + 1e-9).all()
    assert (t["released_fte"] <= t["target_fte"] + 1e-9).all()
    assert (t["hires_with_initiative"] >= -1e-9).all()
    np.testing.assert_allclose(
        t["hires_with_initiative"], t["hires_baseline"] - t["hires_avoided"]
    )
    # inside the plan the baseline hires are the capacity plan's
    inside = t[t["in_plan"]]
    np.testing.assert_allclose(inside["hires_baseline"], model.capacity_plan["hires"])


def test_classes_start_after_the_recruiting_lead_time(model: RegionModel) -> None:
    lead = model.params.workforce.recruiting_lead_weeks
    assert lead == 6  # SHRM time to fill 36-42 days (defaults)
    assert all(c.start_week >= lead for c in model.hiring_plan.classes)


def test_starting_position_matches_the_measured_service_level(model: RegionModel) -> None:
    table = model.starting_service
    measured = table["measured"].dropna()
    assert len(measured)  # every demo region reports a measured service level
    gaps = (table.loc[measured.index, "service_level"] - measured).abs()
    assert (gaps <= model.params.sanity.max_service_level_gap).all(), gaps


# ---------------------------------------------------------------------------------------------
# capacity plan and roadmap
# ---------------------------------------------------------------------------------------------


def test_capacity_plan_requirement_is_weekly_scheduled_fte(model: RegionModel) -> None:
    plan = model.capacity_plan
    assert len(plan) == len(model.weekly)
    np.testing.assert_array_equal(
        plan["required_fte"].to_numpy(), model.weekly["scheduled_fte"].to_numpy()
    )


def test_capacity_plan_includes_the_committed_classes(model: RegionModel) -> None:
    # The hiring MILP plans its classes on top of the committed ones (params
    # workforce.hiring_classes; North America commits 12 hires in week 2), and
    # HiringPlan.classes lists only the proposed ones. The plan the model reports must hold
    # both: hires = Σ committed sizes + Σ proposed sizes, week by week, exactly as the
    # planner's own simulation of them (hiring_plan.plan, which looks further ahead).
    committed = model.params.workforce.hiring_classes
    proposed = model.hiring_plan.classes
    plan = model.capacity_plan
    expected = np.zeros(len(plan))
    for c in (*committed, *proposed):
        expected[c.start_week] += c.size
    np.testing.assert_array_equal(plan["hires"].to_numpy(), expected)
    np.testing.assert_allclose(
        plan["headcount"].to_numpy(), model.hiring_plan.plan["headcount"].to_numpy()[: len(plan)]
    )


def test_hiring_money_of_the_capacity_plan_by_hand(model: RegionModel) -> None:
    p = model.params
    plan = model.capacity_plan
    loc, wf = p.location, p.workforce
    # capacity plan by hand: hires × cost per hire; trainees × wage × (1 + load) × 40 h a week
    assert float(plan["hiring_cost"].sum()) == pytest.approx(
        float(plan["hires"].sum()) * loc.hiring_cost_per_hire
    )
    weekly_pay = loc.wage_per_hour * (1.0 + loc.benefits_load) * wf.fte_hours_per_week
    assert float(plan["training_pay"].sum()) == pytest.approx(
        float(plan["headcount_training"].sum()) * weekly_pay
    )


# ---------------------------------------------------------------------------------------------
# headline
# ---------------------------------------------------------------------------------------------

HEADLINE_KEYS: dict[str, set[str] | None] = {
    "version": None,
    "region": None,
    "scenario": None,  # the named scenario's name, None for the region itself
    "scenarios": None,  # each named scenario's key figures and deltas (tests/test_scenarios.py)
    "currency": None,
    "fx": {"defaults_currency", "rates", "as_of"},
    "start_date": None,
    "horizon_weeks": None,
    "channels": None,
    "weekly_contacts": None,
    "forecast": None,
    "staffing": {
        "peak_agents",
        "peak_agents_definition",
        "peak_interval",
        "peak_agents_by_channel",
        "average_weekly_fte",
        "average_scheduled_fte",
        "max_scheduled_headcount",
        "shrinkage",
        "shrinkage_method",
    },
    "costs": {
        "cost_per_paid_hour",
        "inhouse_cost_per_month",
        "sourcing_channel",
        "sourcing_horizon_weeks",
        "sourcing_total_by_option",
        "cheapest_option",
        "crossover_monthly_contacts",
        "crossover_outsourcing_cheaper_above",
        "schedule_cost_per_month",  # None without a shifts: section
        "schedule_extra_cost_per_month",
    },
    "initiative": {
        "name",
        "npv",
        "roi",
        "payback_months",
        "break_even_month",
        "pv_benefits",
        "pv_costs",
        "saving_share",
        "hours_saved_per_month_full_adoption",
        "target_fte",
        "fte_released_end",
        "fte_released_by_month",
        "hires_avoided",
        "finance_horizon_months",
        "discount_rate_annual",
        "discounting",
        "basis",
    },
    "programme": {"pilot_start", "pilot_readout", "decision", "rollout_start", "rollout_end"},
    "risk": {
        "draws",
        "seed",
        "npv_p10",
        "npv_p50",
        "npv_p90",
        "percentile_definition",
        "probability_npv_positive",
        "probability_payback_within_months",
        "payback_window_months",
        "top_sensitivity",
    },
    "plan": {
        "hiring_classes",
        "committed_classes",
        "recruiting_lead_weeks",
        "hires",
        "hires_with_initiative",
        "max_shortfall_fte",
        "shortfall_weeks",
        "starting_headcount",
    },
    "starting_service": None,
    "pilot": {"weeks_needed", "decision", "data_is_demo"},
    "kpi": {"met", "near", "missed", "no_data"},
    "sanity_flags": None,
    "distribution": None,  # None without skills: and shifts:; see tests/test_distribution.py
}


def test_headline_is_strict_json(headline: dict[str, Any]) -> None:
    text = json.dumps(headline, allow_nan=False, sort_keys=True)
    assert json.loads(text) == headline  # plain types only: the round trip changes nothing


def test_headline_has_every_documented_key(headline: dict[str, Any]) -> None:
    assert set(headline) == set(HEADLINE_KEYS)
    for key, sub in HEADLINE_KEYS.items():
        if sub is not None:
            assert set(headline[key]) == sub, key
    assert headline["version"] == RESULT_VERSION


def test_headline_matches_the_model_tables(model: RegionModel, headline: dict[str, Any]) -> None:
    p = model.params
    st_, co, ini, rk, pl = (
        headline[k] for k in ("staffing", "costs", "initiative", "risk", "plan")
    )
    assert headline["region"] == p.region.name
    assert headline["start_date"] == p.region.start_date.isoformat()
    assert headline["channels"] == list(model.staffing)
    assert st_["peak_agents"] == int(model.combined["agents"].max())
    assert st_["peak_agents_by_channel"] == {
        ch: int(t["agents"].max()) for ch, t in model.staffing.items()
    }
    assert st_["peak_agents"] <= sum(st_["peak_agents_by_channel"].values())
    assert st_["average_weekly_fte"] == pytest.approx(float(model.weekly["fte"].mean()))
    assert st_["average_scheduled_fte"] == pytest.approx(
        st_["average_weekly_fte"] / (1.0 - p.workforce.shrinkage)
    )
    assert st_["max_scheduled_headcount"] == int(model.weekly["scheduled_headcount"].max())
    assert co["cost_per_paid_hour"] == model.cost_per_paid_hour
    assert co["sourcing_channel"] == p.sourcing.channel
    assert co["sourcing_total_by_option"] == pytest.approx(model.sourcing_totals.to_dict())
    totals = co["sourcing_total_by_option"]
    assert co["cheapest_option"] == min(totals, key=totals.__getitem__)
    assert len(co["crossover_monthly_contacts"]) == len(co["crossover_outsourcing_cheaper_above"])
    for key in ("npv", "pv_benefits", "pv_costs", "fte_released_end", "hires_avoided"):
        assert ini[key] == model.initiative[key]
    assert ini["roi"] == model.initiative["roi"] or not math.isfinite(model.initiative["roi"])
    assert ini["basis"] == "risk-adjusted"
    assert rk["draws"] == DRAWS
    assert rk["npv_p10"] <= rk["npv_p50"] <= rk["npv_p90"]
    npv = model.monte_carlo.outputs["npv"].to_numpy()
    assert rk["npv_p50"] == pytest.approx(float(np.percentile(npv, 50)))
    assert 0.0 <= rk["probability_payback_within_months"] <= 1.0
    tornado = model.tornado
    top = tornado.loc[tornado["input"] == rk["top_sensitivity"], "swing"]
    assert float(top.iloc[0]) == float(tornado["swing"].max())
    assert pl["hires"] == round(float(model.capacity_plan["hires"].sum()))
    assert pl["hiring_classes"] == [
        {"start_week": c.start_week, "size": c.size} for c in model.hiring_plan.classes
    ]
    assert pl["max_shortfall_fte"] == float(model.capacity_plan["shortfall_fte"].max())
    inside = model.release_table[model.release_table["in_plan"]]
    assert pl["hires_with_initiative"] == round(float(inside["hires_with_initiative"].sum()))
    assert headline["sanity_flags"] == model.sanity_flags["key"].tolist()


def test_headline_per_month_figures_use_the_horizon_length(
    model: RegionModel, headline: dict[str, Any]
) -> None:
    # "per month" in the result file and the prose is a month of the plan: the horizon total
    # ÷ the months the horizon spans (26 weeks = 26 × 12/52 = 6 months). The monthly tables
    # are calendar months, and a plan starting on Monday 4 January 2027 has a 28-day January
    # and a 4-day July bucket: averaging the 7 buckets understates a month by 6/7.
    months = model.params.forecast.horizon_weeks / WEEKS_PER_MONTH
    cost_total = float(model.inhouse_cost["cost"].sum())
    assert headline["costs"]["inhouse_cost_per_month"] == pytest.approx(
        cost_total / months, rel=1e-9
    )
    contacts_total = float(model.volumes[model.sourcing_channel].sum())
    expected = [k * contacts_total / months for k in model.crossover.scales]
    assert headline["costs"]["crossover_monthly_contacts"] == pytest.approx(expected, rel=1e-9)


# ---------------------------------------------------------------------------------------------
# pilot and KPIs
# ---------------------------------------------------------------------------------------------


def test_pilot_readout_when_data_is_given(model: RegionModel, headline: dict[str, Any]) -> None:
    # only a region that names its own pilot data gets a readout (North America names the demo
    # file, which is labelled as demo data in every output)
    if model.params.pilot.data_csv is None:
        assert model.pilot_readout is None and headline["pilot"]["decision"] is None
        assert headline["pilot"]["data_is_demo"] is False
        return
    assert model.params.pilot.data_csv == "pilot/demo_pilot.csv"
    assert model.pilot_data_path == (ROOT / "params" / "pilot" / "demo_pilot.csv").resolve()
    readout = model.pilot_readout
    assert readout is not None
    assert readout.decision in ("scale up", "extend", "stop")
    assert headline["pilot"]["decision"] == readout.decision
    assert headline["pilot"]["data_is_demo"] is True
    weeks = headline["pilot"]["weeks_needed"]
    assert weeks is None or weeks == float(model.pilot_design["weeks"].max())


def test_no_pilot_readout_without_a_params_root() -> None:
    m = RegionModel(load_params(REGION_FILES[0]))  # params_root unknown: the CSV cannot be found
    assert m.pilot_data_path is None
    assert m.pilot_readout is None


def test_kpi_counts_add_up(model: RegionModel, headline: dict[str, Any]) -> None:
    counts = headline["kpi"]
    card = pd.concat([model.kpi_scorecard, model.channel_scorecard], ignore_index=True)
    assert len(model.kpi_scorecard) == len(kpi.DEFAULT_TARGETS)
    assert sum(counts.values()) == len(card)
    for key, status in (("met", "met"), ("near", "near"), ("missed", "missed")):
        assert counts[key] == int((card["status"] == status).sum())
    given = {k for k, v in model.params.kpi.actuals.items() if v is not None}
    expected_no_data = len(kpi.DEFAULT_TARGETS) - len(given & set(kpi.DEFAULT_TARGETS))
    expected_no_data += int((model.channel_scorecard["status"] == "no data").sum())
    assert counts["no_data"] == expected_no_data
