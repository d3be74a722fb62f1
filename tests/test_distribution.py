"""Seed 003's distribution step in the region model and its report sections.

North America's demo file has both sections: ``skills:`` (three voice call types of the peak
half hour) and ``shifts:`` (full- and part-time templates, deterministic solver budget). The
schedule is checked against the requirement independently: agents at work per interval are
rebuilt here from the schedule's rows, the templates and the lunches placed, and the paid hours
from the templates' lengths (``shifts:`` in params/regions/north-america.yaml). The skills table
is checked against the Erlang A staffing of each queue (cxplan.workforce.queueing, tested against
published tables in tests/test_queueing_reference.py) and against its own pricing rule.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import REGIONS

from cxplan.config.params import RegionParams
from cxplan.economics import initiatives
from cxplan.model import RegionModel, load_region
from cxplan.model._memo import MEMO
from cxplan.present import distribution_sections
from cxplan.workforce import queueing

NA = REGIONS / "north-america.yaml"
STEP_MINUTES = 30  # North America's interval
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

#: A small, quick skills study (2 queues, 4 replications of 2 h).
SMALL_SKILLS: dict[str, Any] = {
    "queues": [
        {"name": "Billing", "rate_per_hour": 60.0, "aht_s": 300.0},
        {"name": "Orders", "rate_per_hour": 40.0, "aht_s": 300.0, "patience_s": 300.0},
    ],
    "replications": 4,
    "run_hours": 2.0,
    "warmup_s": 600.0,
}


@pytest.fixture(scope="module")
def na() -> RegionModel:
    return load_region(NA, monte_carlo_draws=50)


def _with(params: RegionParams, **sections: Any) -> RegionParams:
    data = params.model_dump()
    data.update(sections)
    return RegionParams.model_validate(data)


def _clock(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _at_work(model: RegionModel) -> np.ndarray:
    """Agents at work per interval of the week, rebuilt from the schedule's rows and lunches."""
    result, section = model.schedule, model.params.shifts
    assert result is not None and section is not None
    templates = {t.name: t for t in section.templates}
    minutes = np.zeros(7 * 1440)
    for row in result.schedule.itertuples():
        t = templates[row.template]
        first = DAYS.index(row.first_day)
        for j in range(t.days_on):
            begin = ((first + j) % 7) * 1440 + _clock(row.start)
            minutes[np.arange(begin, begin + t.length_minutes) % (7 * 1440)] += row.agents
    for row in result.lunches.itertuples():
        t = templates[row.template]
        begin = DAYS.index(row.day) * 1440 + _clock(row.lunch_start)
        if _clock(row.lunch_start) < _clock(row.start):  # the lunch is after midnight
            begin += 1440
        minutes[np.arange(begin, begin + t.lunch_minutes) % (7 * 1440)] -= row.agents
    return minutes.reshape(-1, STEP_MINUTES).mean(axis=1)


# ------------------------------------------------------------------------------ sections absent


def test_a_region_without_the_sections_has_none_of_their_results(na: RegionModel) -> None:
    bare = RegionModel(_with(na.params, skills=None, shifts=None))
    assert bare.skills_comparison is None
    assert bare.compare_skills() is None
    assert bare.schedule_requirement is None and bare.schedule is None
    assert bare.schedule_vs_curve is None
    assert bare.headline_distribution is None
    assert bare.schedule_costs == {
        "schedule_cost_per_month": None,
        "schedule_extra_cost_per_month": None,
    }
    assert distribution_sections.skills(bare).html == ""
    assert distribution_sections.shifts(bare).html == ""


# ------------------------------------------------------------------------------ the schedule


def test_the_scheduled_week_is_the_busiest_week_of_the_combined_requirement(
    na: RegionModel,
) -> None:
    agents = na.combined["agents"].to_numpy(dtype=float)
    per_week = 7 * 1440 // STEP_MINUTES
    weeks = agents[: len(agents) // per_week * per_week].reshape(-1, per_week)
    k = int(np.argmax(weeks.sum(axis=1)))
    requirement = na.schedule_requirement
    assert requirement is not None
    np.testing.assert_array_equal(requirement.to_numpy(), weeks[k])
    assert requirement.index[0] == pd.Timestamp(na.params.region.start_date) + pd.Timedelta(
        weeks=k
    )


def test_a_chosen_week_is_scheduled(na: RegionModel) -> None:
    assert na.params.shifts is not None
    shifts = na.params.shifts.model_dump() | {"week": 0}
    first = RegionModel(_with(na.params, shifts=shifts))
    requirement = first.schedule_requirement
    assert requirement is not None
    assert requirement.index[0] == pd.Timestamp("2027-01-04")  # the plan's first Monday
    assert len(requirement) == 7 * 48


def test_hard_coverage_covers_every_interval_with_whole_shifts(na: RegionModel) -> None:
    result = na.schedule
    assert result is not None and result.coverage == "hard"
    at_work = _at_work(na)
    np.testing.assert_allclose(result.intervals["at_work"].to_numpy(), at_work, atol=1e-9)
    on_phone = at_work * (1.0 - 0.30)  # divide rule, 30 % shrinkage (params/defaults.yaml)
    required = result.intervals["required"].to_numpy()
    assert np.all(on_phone >= required - 1e-9)
    assert result.under_hours == 0.0


def test_paid_hours_efficiency_and_the_curve(na: RegionModel) -> None:
    result, c = na.schedule, na.schedule_vs_curve
    assert result is not None and c is not None and na.params.shifts is not None
    templates = {t.name: t for t in na.params.shifts.templates}
    paid = sum(
        row.agents * templates[row.template].days_on
        * (templates[row.template].length_minutes - templates[row.template].lunch_minutes) / 60
        for row in result.schedule.itertuples()
    )  # fmt: skip
    requirement = na.schedule_requirement
    assert requirement is not None
    required_hours = float(requirement.sum()) * STEP_MINUTES / 60
    curve = required_hours / (1 - 0.30)
    assert c["schedule_paid_hours"] == pytest.approx(paid)
    assert c["required_agent_hours"] == pytest.approx(required_hours)
    assert c["curve_paid_hours"] == pytest.approx(curve)
    on_phone_hours = paid * (1 - 0.30)
    assert c["efficiency"] == pytest.approx(required_hours / on_phone_hours)
    assert 0.0 < c["efficiency"] <= 1.0
    assert c["schedule_paid_hours"] >= c["curve_paid_hours"] - 1e-9  # hard coverage
    assert c["extra_paid_hours"] == pytest.approx(paid - curve)
    price = na.cost_per_paid_hour
    assert c["extra_cost"] == pytest.approx((paid - curve) * price)
    assert c["schedule_cost"] == pytest.approx(paid * price)
    assert c["over_hours"] == pytest.approx(on_phone_hours - required_hours)


def test_the_schedule_cost_per_month_prices_the_horizon_at_the_weeks_ratio(
    na: RegionModel,
) -> None:
    c = na.schedule_vs_curve
    assert c is not None
    months = na.params.forecast.horizon_weeks / initiatives.WEEKS_PER_MONTH
    curve_month = float(na.inhouse_cost["cost"].sum()) / months
    # one number per question: the curve side is the headline's in-house cost per month
    assert c["curve_cost_per_month"] == pytest.approx(na.headline_costs["inhouse_cost_per_month"])
    assert c["curve_cost_per_month"] == pytest.approx(curve_month)
    ratio = c["schedule_paid_hours"] / c["curve_paid_hours"]
    assert c["schedule_cost_per_month"] == pytest.approx(curve_month * ratio)
    assert na.schedule_costs["schedule_cost_per_month"] == pytest.approx(curve_month * ratio)
    assert na.schedule_costs["schedule_extra_cost_per_month"] == pytest.approx(
        curve_month * (ratio - 1)
    )
    assert ratio == pytest.approx(1 / c["efficiency"])  # same shrinkage on both sides


def test_the_schedule_is_deterministic(na: RegionModel) -> None:
    result = na.schedule
    assert result is not None
    with MEMO.disabled():
        again = RegionModel(na.params).schedule
    assert again is not None
    pd.testing.assert_frame_equal(again.schedule, result.schedule)
    pd.testing.assert_frame_equal(again.lunches, result.lunches)
    pd.testing.assert_frame_equal(again.intervals, result.intervals)
    assert (again.objective, again.bound, again.status) == (
        result.objective,
        result.bound,
        result.status,
    )


def test_soft_coverage_may_leave_intervals_short_and_says_so(na: RegionModel) -> None:
    assert na.params.shifts is not None
    # a missing on-phone hour is priced at 2 paid hours: covering it takes at least
    # 1 / (1 - 0.30) = 1.43, more where a whole shift is mostly idle, so the schedule covers the
    # busy hours and leaves some thin ones short
    soft = na.params.shifts.model_dump() | {"coverage": "soft", "under_penalty_per_agent_hour": 2.0}
    model = RegionModel(_with(na.params, shifts=soft))
    result, c = model.schedule, model.schedule_vs_curve
    assert result is not None and c is not None and result.coverage == "soft"
    required = result.intervals["required"].to_numpy()
    on_phone = _at_work(model) * (1.0 - 0.30)
    short = np.clip(required - on_phone, 0.0, None).sum() * STEP_MINUTES / 60
    assert result.under_hours == pytest.approx(short) and short > 0 and result.paid_hours > 0
    covered = (required.sum() * STEP_MINUTES / 60) - short
    assert c["efficiency"] == pytest.approx(covered / (on_phone.sum() * STEP_MINUTES / 60))
    assert 0.0 < c["efficiency"] <= 1.0
    html = distribution_sections.shifts(model).html
    assert f"{result.under_hours:,.1f} on-phone agent-hours are short" in html


# ------------------------------------------------------------------------------ skills


def test_skills_comparison_is_priced_at_the_regions_cost(na: RegionModel) -> None:
    table = na.skills_comparison
    assert table is not None and na.params.skills is not None
    assert list(table.index) == ["dedicated", "cross_skilled", "pooled"]
    price = na.cost_per_paid_hour  # cost_per_hour omitted in the file
    premium = na.params.skills.premium_per_extra_skill
    agents = table["agents"]
    assert table.loc["dedicated", "cost_per_hour"] == pytest.approx(agents["dedicated"] * price)
    assert table.loc["cross_skilled", "cost_per_hour"] == pytest.approx(
        agents["cross_skilled"] * price * (1 + premium)
    )
    assert table.loc["pooled", "cost_per_hour"] == pytest.approx(
        agents["pooled"] * price * (1 + 2 * premium)
    )


def test_dedicated_staffing_agrees_with_erlang_a_and_sharing_needs_fewer(
    na: RegionModel,
) -> None:
    table = na.skills_comparison
    assert table is not None and na.params.skills is not None
    erlang = 0
    for q in na.params.skills.queues:
        traffic = q.rate_per_hour * q.aht_s / 3600.0
        erlang += int(
            queueing.required_agents(traffic, q.aht_s, q.answer_time_s, q.sl_target,
                                     patience=q.patience_s)
        )  # fmt: skip
    assert abs(int(table.loc["dedicated", "agents"]) - erlang) <= 2  # simulation noise
    # Wallace & Whitt (2005): two skills per agent get most of full pooling's saving
    assert table.loc["cross_skilled", "agents"] < table.loc["dedicated", "agents"]
    assert table.loc["pooled", "agents"] < table.loc["dedicated", "agents"]
    assert table.loc["cross_skilled", "agents"] <= table.loc["pooled", "agents"] + 2


def test_skills_comparison_is_deterministic_and_a_given_cost_is_used(na: RegionModel) -> None:
    table = na.skills_comparison
    assert table is not None and na.params.skills is not None
    with MEMO.disabled():
        again = RegionModel(na.params).skills_comparison
    pd.testing.assert_frame_equal(again, table)
    section = na.params.skills.model_dump() | {"cost_per_hour": 10.0}
    priced = RegionModel(_with(na.params, skills=section)).skills_comparison
    assert priced is not None
    pd.testing.assert_series_equal(priced["agents"], table["agents"])  # same seeds
    assert priced.loc["dedicated", "cost_per_hour"] == pytest.approx(
        10.0 * table.loc["dedicated", "agents"]
    )


def test_replications_over_dask_give_the_local_table(na: RegionModel) -> None:
    from dask.distributed import Client, get_task_stream  # a dev dependency (pyproject: dev)

    params = _with(na.params, skills=SMALL_SKILLS)
    with MEMO.disabled():
        local = RegionModel(params).skills_comparison
        with Client(
            processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
        ) as client:
            remote = RegionModel(params).compare_skills(client=client)
            model = RegionModel(params)
            model.dask_client = client
            with get_task_stream(client) as stream:
                on_the_cluster = model.skills_comparison
    assert len(stream.data) >= SMALL_SKILLS["replications"]  # the replications ran as tasks
    assert local is not None and remote is not None and on_the_cluster is not None
    pd.testing.assert_frame_equal(remote, local)
    pd.testing.assert_frame_equal(on_the_cluster, local)


# ------------------------------------------------------------------------------ headline


def test_headline_distribution_is_the_models(na: RegionModel) -> None:
    d = na.headline_distribution
    table, c, result = na.skills_comparison, na.schedule_vs_curve, na.schedule
    assert d is not None and table is not None and c is not None and result is not None
    assert json.loads(json.dumps(d, allow_nan=False)) == d
    designs = d["skills"]["designs"]
    assert {k: v["agents"] for k, v in designs.items()} == table["agents"].astype(int).to_dict()
    ded, cross, pooled = (designs[k]["agents"] for k in ("dedicated", "cross_skilled", "pooled"))
    assert d["skills"]["cross_skilled_share_of_pooling_saving"] == pytest.approx(
        (ded - cross) / (ded - pooled)
    )
    s = d["schedule"]
    assert s["efficiency"] == pytest.approx(c["efficiency"])
    assert s["schedule_paid_hours"] == pytest.approx(result.paid_hours)
    assert s["headcount"] == result.headcount
    assert s["week"] == "peak" and s["coverage"] == "hard"
    assert s["solver_status"] in ("optimal", "time_limit") and 0 <= s["optimality_gap"] < 0.05


# ------------------------------------------------------------------------------ report sections


def test_sections_render_tables_chart_and_the_cost_statement(na: RegionModel) -> None:
    skills = distribution_sections.skills(na).html
    assert skills.count("<h2>") == 1 and "Skills-based routing" in skills
    for name in ("Billing", "Technical support", "Orders"):
        assert f"Service level, {name}" in skills
    assert "Cost of the agents per hour (USD)" in skills
    assert "sl_min" not in skills and "cross_skilled" not in skills  # human headers only
    shifts = distribution_sections.shifts(na).html
    assert shifts.count("<h2>") == 1 and "<svg" in shifts
    c = na.schedule_vs_curve
    assert c is not None
    assert f"{c['efficiency']:.1%}" in shifts
    assert "Staffing exactly to the curve" in shifts and "In-house cost per month (USD)" in shifts
    assert "schedule_paid_hours" not in shifts


def test_sections_escape_names_from_the_params_file(na: RegionModel) -> None:
    skills = {
        **SMALL_SKILLS,
        "queues": [
            {**SMALL_SKILLS["queues"][0], "name": "Bills & Co's"},
            SMALL_SKILLS["queues"][1],
        ],
    }
    assert na.params.shifts is not None
    shifts = na.params.shifts.model_dump()
    shifts["templates"][1]["name"] = "Early & late (A)"
    model = RegionModel(_with(na.params, skills=skills, shifts=shifts))
    html = distribution_sections.skills(model).html + distribution_sections.shifts(model).html
    assert "Bills &amp; Co" in html and "Early &amp; late (A)" in html
    assert "Bills & Co" not in html and "Early & late" not in html
