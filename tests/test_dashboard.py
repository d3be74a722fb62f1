"""Tests of the live planner (:mod:`cxplan.app.dashboard`): the fast recompute and the widget
wiring.

The KPI figures are checked against the staffing engine run directly on the representative
week (``weekly_contacts × day-of-week share × intraday share``, the documented recompute) and
against hand arithmetic for costs (fully loaded cost per paid hour from the location's
components; vendor prices from the region files, seed 001 ranges cited there).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_support import scaled

from cxplan.app.dashboard import (
    Planner,
    PlannerState,
    compute,
    initial_state,
    kpi_html,
)
from cxplan.config.params import Dist, RegionParams, load_params
from cxplan.economics import costs
from cxplan.workforce import staffing

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "params" / "regions"
REGION_FILES = sorted(REGIONS.glob("*.yaml"))
WEEKS_PER_MONTH = 52.0 / 12.0

SETTINGS = settings(
    max_examples=scaled(8),
    deadline=None,
)


@functools.cache
def _params(stem: str) -> RegionParams:
    return load_params(REGIONS / f"{stem}.yaml")


@functools.cache
def _chat_lead() -> RegionParams:
    # Latin America without voice: the planner's lead channel becomes chat (concurrency 3)
    p = _params("latin-america")
    return p.model_copy(update={"channels": p.channels.model_copy(update={"voice": None})})


CASES = {
    "north-america": lambda: _params("north-america"),  # voice, Erlang A (patience 240 s)
    "latin-america": lambda: _params("latin-america"),  # voice, Erlang A (patience 180 s)
    "asia-pacific": lambda: _params("asia-pacific"),  # voice, Erlang C, 60-minute intervals
    "latin-america-chat": _chat_lead,
}


@pytest.fixture(scope="module", params=list(CASES))
def case(request: pytest.FixtureRequest) -> tuple[RegionParams, str]:
    p = CASES[request.param]()
    return p, ("voice" if p.channels.voice is not None else "chat")


@pytest.fixture(scope="module")
def computed(case: tuple[RegionParams, str]) -> Any:
    p, _ = case
    return compute(p, initial_state(p))


def _mode(value: float | Dist) -> float:
    return float(value.mode) if isinstance(value, Dist) else float(value)


def _reference_table(p: RegionParams, lead: str, state: PlannerState) -> pd.DataFrame:
    """The staffing engine on the representative week, built from the parameter file."""
    f = p.forecast
    profile = np.asarray(f.intraday_profile, dtype=float)
    week = np.outer(np.asarray(f.day_of_week_share), profile / profile.sum()).ravel()
    idx = pd.date_range(
        pd.Timestamp(p.region.start_date), periods=week.size, freq=f"{f.interval_minutes}min"
    )
    volume = pd.Series(state.weekly_contacts * week, index=idx)
    c = getattr(p.channels, lead)
    channel: Any
    if lead == "voice":
        channel = staffing.VoiceChannel(
            aht_s=state.aht_s,
            sl_target=state.sl_target,
            answer_time_s=state.answer_time_s,
            max_occupancy=state.max_occupancy,
            patience_s=c.patience_s,
        )
    else:
        channel = staffing.ChatChannel(
            aht_s=state.aht_s,
            concurrency=c.concurrency,
            concurrency_aht_factor=tuple(c.concurrency_aht_factor),
            sl_target=state.sl_target,
            answer_time_s=state.answer_time_s,
            max_occupancy=state.max_occupancy,
            patience_s=c.patience_s,
        )
    return staffing.staff_intervals(volume, channel)


def _cost_per_paid_hour_by_hand(p: RegionParams, wage: float) -> float:
    loc, tech = p.location, p.technology
    h = loc.paid_hours_per_fte_per_year
    lic = sum(x.cost_per_agent_per_month for x in tech.licences)
    return (
        wage * (1.0 + loc.benefits_load)
        + loc.supervisor_wage_per_hour * (1.0 + loc.benefits_load) / loc.supervisor_span
        + 12.0 * tech.licences_per_fte * lic / h
        + 12.0 * loc.seats_per_fte * loc.facilities_per_seat_per_month / h
        + p.workforce.attrition_annual * loc.hiring_cost_per_hire / h
        + 12.0 * loc.other_cost_per_fte_per_month / h
    )


# ---------------------------------------------------------------------------------------------
# initial state
# ---------------------------------------------------------------------------------------------


def test_initial_state_mirrors_the_region(case: tuple[RegionParams, str]) -> None:
    p, lead = case
    c = getattr(p.channels, lead)
    s = initial_state(p)
    assert s == PlannerState(
        weekly_contacts=c.weekly_contacts,
        aht_s=c.aht_s,
        sl_target=c.sl_target,
        answer_time_s=c.answer_time_s,
        max_occupancy=c.max_occupancy,
        shrinkage=p.workforce.shrinkage,
        location="region",
        wage_per_hour=p.location.wage_per_hour,
        vendor_share=p.sourcing.vendor_share,
        aht_reduction=_mode(p.initiative.aht_reduction),
        deflection=_mode(p.initiative.deflection),
        horizon_months=p.finance.horizon_months,
    )


def test_initial_state_north_america_values() -> None:
    # params/regions/north-america.yaml voice line; defaults.yaml initiative modes (seed 000)
    s = initial_state(_params("north-america"))
    assert (s.weekly_contacts, s.aht_s, s.sl_target, s.answer_time_s) == (30_000, 360, 0.8, 20)
    assert (s.max_occupancy, s.shrinkage, s.wage_per_hour) == (0.85, 0.30, 24.0)
    assert (s.aht_reduction, s.deflection, s.horizon_months) == (0.20, 0.18, 36)


# ---------------------------------------------------------------------------------------------
# compute: KPIs against independent references
# ---------------------------------------------------------------------------------------------


def test_peak_agents_equal_the_staffing_engine(
    case: tuple[RegionParams, str], computed: Any
) -> None:
    p, lead = case
    ref = _reference_table(p, lead, computed.state)
    per_day = 24 * 60 // p.forecast.interval_minutes
    assert len(computed.staffing) == 7 * per_day  # one week of intervals
    assert computed.kpis["peak_agents"] == float(ref["agents"].max())
    np.testing.assert_array_equal(computed.staffing["agents"], ref["agents"])
    fte = float(ref["agent_hours"].sum()) / p.workforce.fte_hours_per_week
    assert computed.kpis["fte"] == pytest.approx(fte)
    assert computed.kpis["scheduled_fte"] == pytest.approx(fte / (1.0 - p.workforce.shrinkage))


def test_inhouse_cost_per_month_by_hand(case: tuple[RegionParams, str], computed: Any) -> None:
    p, lead = case
    s = computed.state
    ref = _reference_table(p, lead, s)
    cph = _cost_per_paid_hour_by_hand(p, s.wage_per_hour)
    assert computed.kpis["cost_per_paid_hour"] == pytest.approx(cph, rel=1e-12)
    # staffed hours of the week × 52/12 weeks a month ÷ (1 − shrinkage) = paid hours a month
    paid_hours = float(ref["agent_hours"].sum()) * WEEKS_PER_MONTH / (1.0 - s.shrinkage)
    assert computed.kpis["inhouse_cost_per_month"] == pytest.approx(paid_hours * cph, rel=1e-12)


def _exp_billed_minutes(aht_s: float) -> float:
    # per started minute with exponential handle times: E[⌈X/60⌉] = 1 / (1 − e^(−60/AHT))
    return 1.0 / (1.0 - math.exp(-60.0 / aht_s))


OUTSOURCED_BY_HAND = {
    # params/regions/north-america.yaml: 0.95 per minute + 0.5 wrap minutes per contact, billed
    # per started minute; 30,000 × 52/12 = 130,000 calls a month at AHT 360 s:
    # 130,000 × (1/(1 − e^(−1/6)) + 0.5) × 0.95 × (1 + 0.05 governance + 0.10 leakage)
    "north-america": 130_000.0 * (_exp_billed_minutes(360.0) + 0.5) * 0.95 * 1.15,
    # latin-america: graduated per-contact bands [0, 50k, 100k) at 3.40 / 3.10 / 2.85; 9,000 ×
    # 52/12 = 39,000 contacts all fall in the first band: 39,000 × 3.40 × 1.15 = 152,490
    "latin-america": 9_000.0 * 52 / 12 * 3.40 * 1.15,
    # asia-pacific: 10 per agent hour, minimum 2,000 h; 5,000 × 52/12 = 21,666.7 contacts ×
    # 480 s ÷ 3,600 ÷ 0.88 occupancy = 3,282.8 h (above the minimum) × 10 × 1.15 = 37,752.53
    "asia-pacific": 5_000.0 * 52 / 12 * 480.0 / 3600.0 / 0.88 * 10.0 * 1.15,
}


@pytest.mark.parametrize(("stem", "expected"), list(OUTSOURCED_BY_HAND.items()))
def test_outsourced_cost_per_month_by_hand(stem: str, expected: float) -> None:
    p = _params(stem)
    r = compute(p, initial_state(p))
    assert r.kpis["outsourced_cost_per_month"] == pytest.approx(expected, rel=1e-9)


def test_outsourced_cost_is_the_quote_monthly_cost(
    case: tuple[RegionParams, str], computed: Any
) -> None:
    from cxplan.model import RegionModel

    p, _ = case
    s = computed.state
    contacts = s.weekly_contacts * WEEKS_PER_MONTH
    work_h = contacts * s.aht_s / 3600.0 / s.max_occupancy
    quote = RegionModel(p).quote
    expected = quote.monthly_cost(contacts, aht_s=s.aht_s, agent_hours=work_h)
    assert computed.kpis["outsourced_cost_per_month"] == pytest.approx(expected, rel=1e-12)


def test_cost_options_and_cheapest(case: tuple[RegionParams, str], computed: Any) -> None:
    p, _ = case
    s = computed.state
    k = computed.kpis
    table = computed.costs
    totals = table.groupby("option", sort=False)["total_cost"].sum()
    hybrid = f"hybrid {s.vendor_share:.0%} to vendor"
    assert list(totals.index) == ["in-house", "outsourced", hybrid]
    months = s.horizon_months
    # one row per calendar month from the plan's start month (month-start dates)
    first = pd.Timestamp(p.region.start_date).to_period("M").to_timestamp()
    expected = list(pd.date_range(first, periods=months, freq="MS"))
    assert (table.groupby("option")["month"].apply(list) == [expected] * 3).all()
    # in-house: the same cost every month; outsourced: the same plus the transition in month 1
    assert totals["in-house"] == pytest.approx(k["inhouse_cost_per_month"] * months, rel=1e-12)
    transition = p.vendor.transition_cost
    assert totals["outsourced"] == pytest.approx(
        k["outsourced_cost_per_month"] * months + transition, rel=1e-12
    )
    assert k["cheapest_option"] == totals.idxmin()
    assert totals[k["cheapest_option"]] == totals.min()


def test_kpi_html_shows_the_figures(computed: Any) -> None:
    page = kpi_html(computed, "USD")
    shown = dict(re.findall(r'data-kpi="([^"]+)">([^<]*)<', page))
    assert shown["Peak agents"] == f"{computed.kpis['peak_agents']:.0f}"
    assert shown["Scheduled FTE"] == f"{computed.kpis['scheduled_fte']:.1f}"
    assert shown["Cheapest option"] == computed.kpis["cheapest_option"]
    assert "<script" not in page and "http" not in page  # offline, no external resources


_CONTEXTS: dict[str, Any] = {}


def _ctx(stem: str) -> Any:
    # one planner context per region (the planner builds it once; compute accepts it)
    from cxplan.app.dashboard import _Context

    if stem not in _CONTEXTS:
        _CONTEXTS[stem] = _Context(_params(stem))
    return _CONTEXTS[stem]


@SETTINGS
@given(
    stem=st.sampled_from(["north-america", "asia-pacific"]),  # Erlang A and Erlang C
    aht=st.floats(60.0, 900.0),
    extra=st.floats(1.0, 300.0),
)
def test_longer_aht_never_lowers_agents_or_cost(stem: str, aht: float, extra: float) -> None:
    s0 = initial_state(_params(stem))
    low = compute(_ctx(stem), dataclasses.replace(s0, aht_s=aht)).kpis
    high = compute(_ctx(stem), dataclasses.replace(s0, aht_s=aht + extra)).kpis
    assert high["peak_agents"] >= low["peak_agents"]
    assert high["inhouse_cost_per_month"] >= low["inhouse_cost_per_month"]


# ---------------------------------------------------------------------------------------------
# the widget
# ---------------------------------------------------------------------------------------------


def _panel(planner: Planner) -> dict[str, str]:
    return dict(re.findall(r'data-kpi="([^"]+)">([^<]*)<', planner.kpi_panel.value))


def _chart_state(widget: Any) -> Any:
    # ipywidgets.HTML (svg backend) holds the SVG; altair.JupyterChart holds the spec
    return copy.deepcopy(widget.spec) if hasattr(widget, "spec") else widget.value


@pytest.mark.parametrize("backend", ["svg", None], ids=["svg", "default"])
def test_setting_a_control_updates_panel_and_charts(backend: str | None) -> None:
    p = _params("north-america")
    planner = Planner(p) if backend is None else Planner(p, chart_backend=backend)
    if backend == "svg":
        assert all(type(w).__name__ == "HTML" for w in planner.chart_widgets.values())
    widgets = dict(planner.chart_widgets)
    before_panel = planner.kpi_panel.value
    before_charts = {name: _chart_state(w) for name, w in widgets.items()}
    assert planner.result.state.aht_s == 360.0

    planner.controls["aht_s"].value = 500.0

    assert planner.result.state.aht_s == 500
    assert planner.status.value == ""
    assert planner.kpi_panel.value != before_panel
    expected = compute(p, dataclasses.replace(initial_state(p), aht_s=500.0))
    assert planner.result.kpis["peak_agents"] == expected.kpis["peak_agents"]
    assert _panel(planner)["Peak agents"] == f"{expected.kpis['peak_agents']:.0f}"
    assert expected.kpis["peak_agents"] > float(_panel_value(before_panel, "Peak agents"))
    for name, widget in planner.chart_widgets.items():
        assert widget is widgets[name]  # updated in place, never rebuilt
        assert _chart_state(widget) != before_charts[name], name


def _panel_value(page: str, label: str) -> str:
    return dict(re.findall(r'data-kpi="([^"]+)">([^<]*)<', page))[label]


def test_location_dropdown_sets_the_wage() -> None:
    p = _params("north-america")
    planner = Planner(p)  # default backend: altair JupyterChart widgets (quick to update)
    offshore = costs.LOCATION_PRESETS["offshore"]
    planner.controls["location"].value = "offshore"
    assert planner.controls["wage_per_hour"].value == offshore.wage_per_hour  # 8.0 (seed 001)
    state = planner.result.state
    assert (state.location, state.wage_per_hour) == ("offshore", offshore.wage_per_hour)
    tech = planner._ctx.tech
    assert planner.result.kpis["cost_per_paid_hour"] == pytest.approx(
        costs.cost_per_paid_hour(offshore, tech)
    )
    planner.controls["location"].value = "region"
    assert planner.controls["wage_per_hour"].value == p.location.wage_per_hour  # back to 24.0
    assert planner.result.kpis["cost_per_paid_hour"] == pytest.approx(
        _cost_per_paid_hour_by_hand(p, p.location.wage_per_hour)
    )


def test_strict_but_reachable_target_updates_the_figures() -> None:
    # SL 99 % answered at once (answer time 0) is reachable under Erlang C: the share answered
    # without waiting is 1 − C(n, A), which tends to 1 as agents are added. The planner shows it.
    p = _params("asia-pacific")
    planner = Planner(p)
    base = planner.result.kpis["peak_agents"]
    planner.controls["answer_time_s"].value = 0.0
    planner.controls["sl_target"].value = 0.99
    assert planner.status.value == ""
    expected = compute(p, dataclasses.replace(initial_state(p), sl_target=0.99, answer_time_s=0))
    assert planner.result.kpis["peak_agents"] == expected.kpis["peak_agents"] > base


def test_impossible_target_shows_an_error_and_keeps_the_figures() -> None:
    # Asia Pacific's voice is Erlang C (no patience): with answer time 0 the share answered at
    # once is 1 − C(n, A) < 1 for every finite n, so a 100 % target is unreachable. The
    # planner must say so in its status line and keep the last figures, not raise.
    p = _params("asia-pacific")
    planner = Planner(p, chart_backend="svg")
    planner.controls["answer_time_s"].value = 0.0
    last = planner.result
    panel = planner.kpi_panel.value
    charts = {name: w.value for name, w in planner.chart_widgets.items()}
    planner.controls["sl_target"].max = 1.0  # the slider's own bound is 0.99
    planner.controls["sl_target"].value = 1.0
    assert planner.status.value != ""
    assert "no finite staffing" in planner.status.value
    assert planner.result is last
    assert planner.kpi_panel.value == panel
    assert {name: w.value for name, w in planner.chart_widgets.items()} == charts
    # and the planner recovers on the next reachable setting
    planner.controls["sl_target"].value = 0.8
    assert planner.status.value == ""
    assert planner.result.state.sl_target == 0.8
