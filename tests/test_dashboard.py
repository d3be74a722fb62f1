"""The live planner (:mod:`cxplan.app.dashboard`) is a view of the region model.

Issue 11: the planner was a second model (one channel, a representative week, no parallel run)
and disagreed with the report. Here, for each demo region and a grid of control settings, every
figure the planner shows is checked against the report's for the same inputs: a
:class:`~cxplan.model.RegionModel` built independently (the result store turned off) from the
region file with the same overrides, and its headline JSON (what ``cxplan report`` writes),
field by field and exactly. The wiring is checked the way a user drives it: setting and typing
control values, switching channel, location and region.
"""

from __future__ import annotations

import functools
import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import REGIONS, REPO

from cxplan.app.chart_grid import ChartGrid, records, split_spec
from cxplan.app.dashboard import (
    CHART_NAMES,
    Planner,
    case_figures,
    kpi_html,
    operation_figures,
    planner_charts,
)
from cxplan.app.inputs import format_value
from cxplan.app.overrides import CONTROLS, location_override, region_files, with_overrides
from cxplan.config.params import Dist, RegionParams, load_params
from cxplan.economics import costs
from cxplan.model import RegionModel
from cxplan.model._memo import MEMO
from cxplan.present import charts

STEMS = ["asia-pacific", "latin-america", "north-america"]
DRAWS = 200  # Monte Carlo draws of the report-side headline (the planner compares no risk figure)


@functools.cache
def _params(stem: str) -> RegionParams:
    return load_params(REGIONS / f"{stem}.yaml")


@functools.cache
def _planner(stem: str) -> Planner:
    return Planner(REGIONS / f"{stem}.yaml")


def _fresh(params: RegionParams) -> RegionModel:
    with MEMO.disabled():
        model = RegionModel(params, monte_carlo_draws=DRAWS)
        model.key_figures  # noqa: B018 - computed without the shared store
    return model


def _report_json(model: RegionModel) -> dict[str, Any]:
    """The headline as ``cxplan report`` writes it (through JSON)."""
    with MEMO.disabled():
        result: dict[str, Any] = json.loads(json.dumps(model.headline()))
    return result


# ------------------------------------------------------------------------ one computation

#: Control settings per region: (control key, value), applied in order; ``{first}`` channels
#: are the region's first channel. Chosen to move every layer: staffing, costs, sourcing,
#: hiring plan, business case (an uncertain input beyond its file range), finance horizon.
SETTINGS: dict[str, list[tuple[str, float]]] = {
    "base": [],
    "busier, costlier": [("weekly_contacts", 1.25), ("aht_s", 1.1), ("wage_per_hour", 1.3)],
    "outsourced share": [("vendor_share", 0.55), ("shrinkage", 0.36)],
    "initiative": [("aht_reduction", 0.5), ("deflection", 0.05), ("horizon_months", 48)],
    "service": [("sl_target", 0.9), ("answer_time_s", 15.0), ("max_occupancy", 0.8)],
}
_RELATIVE = {"weekly_contacts", "aht_s", "wage_per_hour"}  # values are factors of the region's

CASES = [(stem, name) for stem in STEMS for name in SETTINGS]


def _apply(planner: Planner, setting: str) -> dict[str, Any]:
    """Apply a setting; return the overrides a report run would use."""
    for key, value in SETTINGS[setting]:
        target = value * planner.value(key) if key in _RELATIVE else value
        assert planner.set_value(key, target), planner.status.value
    return dict(planner.overrides)


@pytest.mark.parametrize(("stem", "setting"), CASES, ids=[f"{s}-{n}" for s, n in CASES])
def test_planner_figures_equal_the_report(stem: str, setting: str) -> None:
    planner = Planner(REGIONS / f"{stem}.yaml")
    overrides = _apply(planner, setting)
    assert bool(overrides) == bool(SETTINGS[setting])
    shown = planner.figures

    # the report for the same inputs: the region file, the same overrides, a fresh model
    params = with_overrides(load_params(REGIONS / f"{stem}.yaml"), overrides)
    assert params == planner.params
    model = _fresh(params)
    report = _report_json(model)
    staffing, cost, ini = report["staffing"], report["costs"], report["initiative"]

    assert shown["peak_agents"] == staffing["peak_agents"]
    assert shown["peak_agents_by_channel"] == staffing["peak_agents_by_channel"]
    assert set(shown["peak_agents_by_channel"]) == set(report["channels"])  # all channels
    assert shown["scheduled_fte"] == staffing["average_scheduled_fte"]
    assert shown["inhouse_cost_per_month"] == cost["inhouse_cost_per_month"]
    assert shown["cheapest_option"] == cost["cheapest_option"]
    assert shown["cost_by_option"] == cost["sourcing_total_by_option"]
    assert shown["hybrid_cost"] == cost["sourcing_total_by_option"][shown["hybrid_option"]]
    for key in ("npv", "roi", "payback_months", "break_even_month"):
        assert shown[key] == ini[key], key
    assert [key for key, _, _ in shown["sanity_flags"]] == report["sanity_flags"]

    # the charts draw the model's own tables
    for name, (data, _) in planner_charts(model).items():
        drawn = planner._chart_inputs[name]
        if isinstance(data, dict):
            for ch in data:
                pd.testing.assert_frame_equal(drawn[ch], data[ch], check_exact=True)
        else:
            pd.testing.assert_frame_equal(drawn, data, check_exact=True)
    # the KPI panel shows these figures
    assert planner.kpi_panel.value == kpi_html(
        operation_figures(model), case_figures(model), model.currency
    )


def _validated_whole(params: Any, overrides: dict[str, Any]) -> Any:
    """The overrides applied to the whole dump, every section validated again (reference)."""
    data = params.model_dump()
    for path, value in overrides.items():
        *parents, leaf = path.split(".")
        target = data
        for part in parents:
            target = target[part]
        current = target.get(leaf)
        if isinstance(current, dict) and {"low", "mode", "high"} <= set(current):
            value = {
                **current,
                "low": min(current["low"], value),
                "mode": value,
                "high": max(current["high"], value),
            }
        elif isinstance(value, dict) and isinstance(current, dict):
            value = {**current, **value}
        target[leaf] = value
    return type(params).model_validate(data)


@pytest.mark.parametrize(("stem", "setting"), CASES, ids=[f"{s}-{n}" for s, n in CASES])
def test_overrides_equal_validating_the_whole_file(stem: str, setting: str) -> None:
    # with_overrides passes untouched sections through as validated objects: the result must be
    # what validating every section again gives
    planner = Planner(REGIONS / f"{stem}.yaml")
    overrides = _apply(planner, setting)
    base = load_params(REGIONS / f"{stem}.yaml")
    assert with_overrides(base, overrides) == _validated_whole(base, overrides)
    assert (
        with_overrides(base, overrides).model_dump()
        == _validated_whole(base, overrides).model_dump()
    )


def test_settings_move_every_layer() -> None:
    """The grid above is not a no-op: each setting changes the figures it aims at."""
    base = _planner("north-america").figures
    for setting, keys in {
        "busier, costlier": ("peak_agents", "inhouse_cost_per_month", "npv"),
        "outsourced share": ("hybrid_cost", "scheduled_fte"),
        "initiative": ("npv", "payback_months"),
        "service": ("peak_agents",),
    }.items():
        planner = Planner(REGIONS / "north-america.yaml")
        _apply(planner, setting)
        for key in keys:
            assert planner.figures[key] != base[key], (setting, key)


# ------------------------------------------------------------------------------- controls


def test_every_control_names_a_field_of_the_schema() -> None:
    p = _params("north-america")
    for spec in CONTROLS:
        for channel in spec.channel_kinds or ("voice",):
            target: Any = p
            for part in spec.path.format(channel=channel).split("."):
                target = getattr(target, part)
            assert isinstance(target, float | int | Dist), spec.key


def test_outsourced_share_changes_the_hybrid_kpi_only() -> None:
    planner = Planner(REGIONS / "north-america.yaml")
    before = dict(planner.figures)
    panel = planner.kpi_panel.value
    specs = {name: planner.charts.spec(name) for name in CHART_NAMES}
    assert planner.set_value("vendor_share", 0.6)
    after = planner.figures
    assert after["hybrid_option"] == "hybrid 60% to vendor"
    assert after["hybrid_cost"] != before["hybrid_cost"]
    assert {k for k in after if after[k] != before[k]} <= {
        "hybrid_option", "hybrid_cost", "cost_by_option", "cheapest_option",
    }  # fmt: skip
    assert planner.kpi_panel.value != panel
    assert "hybrid 60% to vendor" in planner.kpi_panel.value
    # only the cost chart is redrawn; the others are not even sent again
    assert planner.charts.spec("costs") != specs["costs"]
    for name in ("staffing", "cashflow", "tornado"):
        assert planner.charts.spec(name) == specs[name], name


def test_aht_moves_staffing_costs_and_the_business_case() -> None:
    planner = Planner(REGIONS / "north-america.yaml")
    before = dict(planner.figures)
    specs = {name: planner.charts.spec(name) for name in CHART_NAMES}
    assert planner.set_value("aht_s", 480.0)
    assert planner.params.channels.voice.aht_s == 480.0  # type: ignore[union-attr]
    after = planner.figures
    assert after["peak_agents_by_channel"]["voice"] > before["peak_agents_by_channel"]["voice"]
    assert after["peak_agents_by_channel"]["chat"] == before["peak_agents_by_channel"]["chat"]
    assert after["inhouse_cost_per_month"] > before["inhouse_cost_per_month"]
    assert after["npv"] != before["npv"]
    for name in CHART_NAMES:
        assert planner.charts.spec(name) != specs[name], name
    # the staffing chart's new data went alone (same chart, new numbers)
    assert planner.charts.last_update["staffing"] == "data"


def test_an_uncertain_input_beyond_its_range_widens_the_tornado() -> None:
    p = _params("north-america")
    high = p.initiative.aht_reduction.high  # type: ignore[union-attr]
    planner = Planner(REGIONS / "north-america.yaml")
    assert planner.set_value("aht_reduction", high + 0.15)
    lever = planner.params.initiative.aht_reduction
    assert isinstance(lever, Dist)
    assert (lever.low, lever.mode, lever.high) == (
        p.initiative.aht_reduction.low,  # type: ignore[union-attr]
        high + 0.15,
        high + 0.15,
    )
    row = planner.model.tornado.set_index("input").loc["aht_reduction"]
    assert row["low_value"] <= high + 0.15 <= row["high_value"]
    assert row["base_output"] == pytest.approx(planner.figures["npv"], rel=1e-12)
    # and below its low end
    assert planner.set_value("aht_reduction", 0.01)
    lever = planner.params.initiative.aht_reduction
    assert isinstance(lever, Dist) and lever.low == lever.mode == 0.01


@pytest.mark.parametrize(
    ("key", "text", "field", "expected"),
    [
        ("weekly_contacts", "30,000", ("channels", "voice", "weekly_contacts"), 30_000.0),
        ("weekly_contacts", "36k", ("channels", "voice", "weekly_contacts"), 36_000.0),
        ("max_occupancy", "75%", ("channels", "voice", "max_occupancy"), 0.75),
        ("max_occupancy", "75", ("channels", "voice", "max_occupancy"), 0.75),
        ("aht_s", "6 min", ("channels", "voice", "aht_s"), 360.0),
        ("aht_s", "6:30", ("channels", "voice", "aht_s"), 390.0),
        ("wage_per_hour", "$26.50", ("location", "wage_per_hour"), 26.5),
        ("horizon_months", "4 years", ("finance", "horizon_months"), 48),
    ],
)
def test_typed_values_are_read_as_written(
    key: str, text: str, field: tuple[str, ...], expected: float
) -> None:
    planner = _planner("north-america")
    planner.reset()
    assert planner.type_value(key, text), planner.controls[key].message.value
    value: Any = planner.params
    for part in field:
        value = getattr(value, part)
    assert value == expected
    control = planner.controls[key]
    assert control.message.value == ""
    assert control.slider.value == pytest.approx(expected)
    assert control.text.value == format_value(expected, control.spec.kind, currency="USD")


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("weekly_contacts", "1,5", "write decimals with a point"),
        ("max_occupancy", "175%", "Occupancy cap: must be at most 100 %"),
        ("max_occupancy", "0", "Occupancy cap: must be above 0 %"),
        ("sl_target", "abc", "not a number"),
        ("aht_s", "75%", "unknown unit"),
        ("wage_per_hour", "EUR 20", "in USD, not EUR"),
        ("horizon_months", "6", "Finance horizon: must be at least 12 months"),
        ("aht_reduction", "99%", "AHT reduction: must lie in [0, 0.95]"),
    ],
)
def test_refused_values_say_why_beside_the_control_and_change_nothing(
    key: str, text: str, message: str
) -> None:
    planner = _planner("north-america")
    planner.reset()
    figures, params, panel = dict(planner.figures), planner.params, planner.kpi_panel.value
    control = planner.controls[key]
    shown = control.text.value
    assert not planner.type_value(key, text)
    assert message in html.unescape(control.message.value)
    assert "\n" not in control.message.value
    assert planner.params is params and planner.figures == figures
    assert planner.kpi_panel.value == panel
    assert control.text.value == shown  # the box shows the value in force again
    # the next good value clears the message
    assert planner.type_value(key, shown)
    assert control.message.value == ""


def test_channel_selector_edits_that_channel() -> None:
    planner = Planner(REGIONS / "north-america.yaml")
    before = planner.figures
    planner.select_channel("chat")
    chat = planner.params.channels.chat
    assert chat is not None
    assert planner.controls["aht_s"].slider.value == chat.aht_s
    assert planner.controls["weekly_contacts"].text.value == "6,000"
    assert planner.set_value("aht_s", chat.aht_s * 1.5)
    after = planner.figures
    assert after["peak_agents_by_channel"]["chat"] > before["peak_agents_by_channel"]["chat"]
    assert after["peak_agents_by_channel"]["voice"] == before["peak_agents_by_channel"]["voice"]
    # email has no service-level target: those controls are off, the others edit email
    planner.select_channel("email")
    assert planner.controls["sl_target"].slider.disabled
    assert planner.controls["answer_time_s"].text.value == "n/a (email)"
    assert not planner.controls["aht_s"].slider.disabled
    assert planner.type_value("weekly_contacts", "4.5k")
    assert planner.params.channels.email.weekly_contacts == 4_500.0  # type: ignore[union-attr]
    assert planner.params.channels.chat.aht_s == chat.aht_s * 1.5  # type: ignore[union-attr]


def test_location_preset_sets_its_wage_and_costs() -> None:
    planner = Planner(REGIONS / "north-america.yaml")
    offshore = costs.LOCATION_PRESETS["offshore"]
    planner.location_select.value = "offshore"
    assert planner.controls["wage_per_hour"].slider.value == offshore.wage_per_hour  # seed 001
    assert planner.model.cost_per_paid_hour == pytest.approx(
        costs.cost_per_paid_hour(
            costs.LocationProfile(
                **{
                    **location_override(planner.base, "offshore"),  # type: ignore[dict-item]
                    "attrition_per_year": planner.base.workforce.attrition_annual,
                }
            ),
            planner.model.tech,
        ),
        rel=1e-12,
    )
    assert planner.set_value("wage_per_hour", 9.0)  # the wage on top of the preset
    assert planner.params.location.wage_per_hour == 9.0
    assert (
        planner.params.location.facilities_per_seat_per_month
        == offshore.facilities_per_seat_per_month
    )
    planner.location_select.value = "region"
    assert planner.params.location == planner.base.location
    assert planner.controls["wage_per_hour"].slider.value == 24.0  # north-america.yaml


def test_region_selector_rebuilds_the_planner(tmp_path: Path) -> None:
    folder = tmp_path / "params"
    (folder / "regions").mkdir(parents=True)
    shutil.copyfile(REPO / "params" / "defaults.yaml", folder / "defaults.yaml")
    shutil.copytree(REPO / "params" / "pilot", folder / "pilot")
    for stem in ("asia-pacific", "north-america"):
        shutil.copyfile(REGIONS / f"{stem}.yaml", folder / "regions" / f"{stem}.yaml")
    (folder / "regions" / "broken.yaml").write_text("region: {name: Broken}\nchannels: 3\n")
    planner = Planner(folder / "regions")
    assert [label for label, _ in planner.region_select.options] == [
        "Asia Pacific", "Broken", "North America",
    ]  # fmt: skip
    assert planner.base.region.name == "Asia Pacific"
    assert planner.set_value("vendor_share", 0.5)
    planner.select_region(folder / "regions" / "north-america.yaml")
    assert planner.base.region.name == "North America"
    assert planner.overrides == {}
    assert planner.controls["vendor_share"].slider.value == 0.3
    assert planner.controls["aht_s"].slider.value == 360.0
    expected = _fresh(load_params(folder / "regions" / "north-america.yaml"))
    assert planner.figures["npv"] == expected.headline_initiative["npv"]
    assert planner.figures["peak_agents"] == expected.headline_staffing["peak_agents"]
    # a broken file: one line saying what is wrong, and the planner stays where it was
    panel = planner.kpi_panel.value
    assert not planner.select_region(folder / "regions" / "broken.yaml")
    assert "broken.yaml" in planner.status.value and "channels" in planner.status.value
    assert planner.region_select.value == str(folder / "regions" / "north-america.yaml")
    assert planner.kpi_panel.value == panel


def test_impossible_target_says_so_and_keeps_the_figures() -> None:
    # Asia Pacific's voice is Erlang C (no patience): with answer time 0 the share answered at
    # once is 1 - C(n, A) < 1 for every finite n, so a 100 % target is unreachable
    planner = Planner(REGIONS / "asia-pacific.yaml")
    assert planner.set_value("answer_time_s", 0.0)
    figures, panel = dict(planner.figures), planner.kpi_panel.value
    specs = {name: planner.charts.spec(name) for name in CHART_NAMES}
    assert not planner.set_value("sl_target", 1.0)
    assert "no finite staffing" in planner.status.value
    assert "no finite staffing" in planner.controls["sl_target"].message.value
    assert planner.figures == figures and planner.kpi_panel.value == panel
    assert {name: planner.charts.spec(name) for name in CHART_NAMES} == specs
    assert planner.controls["sl_target"].slider.value == 0.8  # back to the value in force
    assert planner.set_value("sl_target", 0.85)
    assert planner.status.value == ""


# ------------------------------------------------------------------------------ KPI panel


def test_kpi_panel_has_a_definition_for_every_figure_and_no_raw_data() -> None:
    planner = _planner("latin-america")
    page = planner.kpi_panel.value
    tiles = re.findall(r'<div class="cx-kpi[^"]*" title="([^"]+)">', page)
    labels = re.findall(r'<div class="cx-kpi-label">([^<]+)</div>', page)
    assert len(tiles) == len(labels) == 9
    for title, label in zip(tiles, labels, strict=True):
        assert html.unescape(title).startswith(f"{html.unescape(label)}: ")
        assert len(title) > len(label) + 20  # a definition, not just the name
    shown = dict(re.findall(r'data-kpi="([^"]+)">([^<]*)<', page))
    f = planner.figures
    assert shown["Peak agents"] == f"{f['peak_agents']:,}"
    assert shown["Programme NPV"].endswith(" USD")
    assert re.fullmatch(r"[\d,]+\.\d", shown["Scheduled FTE"])
    assert not re.search(r"\{'|\{\"|\d\.\d{4,}|\de\+\d|\bnan\b|\bNone\b", page)  # raw values
    assert "<script" not in page and "http" not in page


def test_kpi_panel_escapes_text_from_the_parameter_file(tmp_path: Path) -> None:
    p = _params("north-america")
    named = p.model_copy(
        update={"initiative": p.initiative.model_copy(update={"name": "R&D <b>x</b>"})}
    )
    model = _fresh(named)
    figures = {**operation_figures(model), "hybrid_option": "hybrid <i>&</i>"}
    page = kpi_html(figures, case_figures(model), "USD")
    assert "<i>" not in page and "hybrid &lt;i&gt;&amp;&lt;/i&gt;" in page


def test_pending_business_case_tiles_are_marked() -> None:
    model = _fresh(_params("asia-pacific"))
    page = kpi_html(operation_figures(model), case_figures(model), "USD", pending=True)
    assert page.count("cx-kpi cx-pending") == 4  # NPV, ROI, payback, break-even


# ----------------------------------------------------------------------------- the model


@pytest.mark.parametrize("stem", STEMS)
def test_typical_week_is_the_charts_own_aggregation(stem: str) -> None:
    model = RegionModel(_params(stem))
    week = model.typical_week
    per_week = 7 * 24 * 60 // model.params.forecast.interval_minutes
    weeks = model.params.forecast.horizon_weeks
    assert list(week) == list(model.channels)
    for ch, table in week.items():
        assert len(table) == per_week
        agents = model.staffing[ch]["agents"].to_numpy().reshape(weeks, per_week)
        np.testing.assert_allclose(table["agents"], agents.mean(axis=0), rtol=1e-12)
        assert (table["peak_agents"] == agents.max(axis=0)).all()
        assert table["contacts"].sum() == pytest.approx(model.volumes[ch].sum() / weeks, rel=1e-12)
    # the chart of the typical week draws what the chart's own averaging of the horizon draws
    # (the plan starts on a Monday, so its weeks are the chart's calendar weeks)
    assert pd.Timestamp(model.params.region.start_date).dayofweek == 0
    a = charts.staffing_chart(week).to_dict()
    b = charts.staffing_chart(model.staffing).to_dict()
    rows_a = [pd.DataFrame(v) for v in a["datasets"].values()]
    rows_b = [pd.DataFrame(v) for v in b["datasets"].values()]
    for x, y in zip(rows_a, rows_b, strict=True):
        pd.testing.assert_frame_equal(x, y, check_exact=False, rtol=1e-12)


# ---------------------------------------------------------------------------- chart grid


@pytest.mark.parametrize("stem", STEMS)
def test_fast_records_equal_altairs_own(stem: str) -> None:
    import altair as alt

    for name, (_, make) in planner_charts(RegionModel(_params(stem))).items():
        chart = make().chart()
        fast, _, _ = split_spec(chart)
        with alt.data_transformers.enable("default"):
            spec = chart.to_dict(validate=False)
        own = list(spec.pop("datasets").values())
        assert list(fast.pop("datasets").values()) == own, name


def test_records_fall_back_for_other_dtypes() -> None:
    frame = pd.DataFrame({"t": pd.to_datetime(["2027-01-04"]), "x": [np.inf]})
    assert records(frame)["values"] == [{"t": "2027-01-04T00:00:00", "x": None}]


def test_chart_grid_sends_data_alone_when_only_data_changed() -> None:
    import altair as alt

    def bars(values: list[float], title: str = "T") -> alt.Chart:
        frame = pd.DataFrame({"x": ["a", "b"], "y": values})
        return alt.Chart(frame).mark_bar().encode(x="x:N", y="y:Q").properties(title=title)

    grid = ChartGrid({"one": bars([1.0, 2.0]), "two": bars([3.0, 4.0])})
    assert grid.names == ["one", "two"]
    first = dict(grid.spec_0)
    assert grid.update("one", bars([1.0, 5.0])) == "data"
    assert grid.spec_0 == first  # not sent again
    assert grid.data_0["datasets"] == {"d0": [{"x": "a", "y": 1.0}, {"x": "b", "y": 5.0}]}
    assert grid.spec("one")["datasets"]["d0"][1]["y"] == 5.0
    assert grid.update("one", bars([1.0, 5.0])) == "none"
    assert grid.update("one", bars([1.0, 5.0], title="New")) == "spec"
    assert grid.spec_0["title"] == "New" and grid.data_0 == {}
    # back to earlier data after a new spec: sent again (a new sequence number)
    assert grid.update("one", bars([1.0, 2.0], title="New")) == "data"
    seq = grid.data_0["seq"]
    assert grid.update("one", bars([1.0, 5.0], title="New")) == "data"
    assert grid.data_0["seq"] == seq + 1
    assert grid.spec_1["datasets"] == {"d0": [{"x": "a", "y": 3.0}, {"x": "b", "y": 4.0}]}
    # the module carries Vega itself (bundled by vl-convert): nothing is fetched from a CDN
    assert "cx-chart-grid" in grid._esm and len(grid._esm) > 500_000
    assert not re.search(r"""(import|from)\s*\(?["']https?:""", grid._esm)
    with pytest.raises(ValueError, match="no chart named"):
        grid.update("three", bars([1.0, 2.0]))


# ------------------------------------------------------------------------------ app path


def test_region_files_of_a_folder_and_a_file(tmp_path: Path) -> None:
    assert region_files(REGIONS) == sorted(REGIONS.glob("*.yaml"))
    assert region_files(REGIONS / "north-america.yaml") == [REGIONS / "north-america.yaml"]
    with pytest.raises(ValueError, match="no region file or folder"):
        region_files(tmp_path / "missing")
    with pytest.raises(ValueError, match="holds no region files"):
        region_files(tmp_path)


def test_app_params_path_takes_the_command_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    from cxplan.app.overrides import PARAMS_ENV, app_params_path

    monkeypatch.delenv(PARAMS_ENV, raising=False)
    assert app_params_path("../params/regions") == Path("../params/regions")
    monkeypatch.setenv(PARAMS_ENV, "/x/regions/a.yaml")
    assert app_params_path("../params/regions") == Path("/x/regions/a.yaml")


@pytest.mark.slow
def test_a_region_planned_from_history_keeps_its_forecast() -> None:
    """demo-bank names an interval history: its volumes are the forecast's, so the contacts
    control is greyed out, and the other controls still give the report's figures."""
    planner = Planner(REGIONS / "demo-bank.yaml")
    contacts = planner.controls["weekly_contacts"]
    assert contacts.slider.disabled and contacts.text.value == "from the history's forecast"
    assert planner.set_value("aht_s", 1.1 * planner.value("aht_s")), planner.status.value
    params = with_overrides(load_params(REGIONS / "demo-bank.yaml"), planner.overrides)
    model = RegionModel(params, params_root=REGIONS.parent, monte_carlo_draws=DRAWS)
    staffing = _report_json(model)["staffing"]
    assert planner.figures["peak_agents"] == staffing["peak_agents"]
    assert planner.figures["scheduled_fte"] == staffing["average_scheduled_fte"]
    # switching channel keeps the contacts control greyed out
    planner.select_channel("chat")
    assert contacts.slider.disabled
