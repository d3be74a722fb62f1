"""Valid but extreme parameter files: what ``validate`` accepts, ``report`` runs (issue 10).

Strategies draw region files at the edges of the schema: 1 to 10 million contacts a week per
channel, handle times of 1 s to 4 h, occupancy caps 0.3 to 1, 4 to 52 weeks (the schema's
range; shorter plans are refused by ``validate``), 15/30/60-minute intervals, lopsided daily
and weekly shapes (one busy interval, closed days), zero-cost initiatives, roadmaps without
milestones. Every file drawn must pass ``load_params`` (what ``cxplan validate`` runs), and then:

* :class:`cxplan.model.RegionModel` computes every table the region report shows and the
  headline, which is strict JSON (many examples, no kernel);
* every figure in those tables is finite, with one documented exception: a Monte Carlo summary
  row may be NaN where no draw has a value (``nan_share`` 1: e.g. "never paid back");
* costs, volumes, staffing and hours are non-negative, and no interval's occupancy exceeds its
  cap;
* the real ``cxplan report`` (papermill, the real notebooks) writes a report for each of a few
  such files (a small number: each costs a kernel run).
"""

from __future__ import annotations

import copy
import json
import math
import shutil
from pathlib import Path
from typing import Any

import browser_support as bs
import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, Phase, example, given, note, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from hypothesis_support import scaled
from region_edits import free_initiative, without_milestones

from cxplan.config.params import load_params
from cxplan.config.yamlfile import load_yaml
from cxplan.model import RegionModel
from cxplan.present import report

REPO = Path(__file__).resolve().parent.parent
NORTH_AMERICA, _ = load_yaml(REPO / "params" / "regions" / "north-america.yaml")
# seed 003's optional sections (skills:, shifts:) are tested in tests/test_distribution.py; a
# generated operation (other open hours, intervals, shrinkage) would need its own shift templates
NORTH_AMERICA = {
    k: v for k, v in NORTH_AMERICA.items() if k not in ("skills", "shifts", "scenarios")
}
DEFAULTS, _ = load_yaml(REPO / "params" / "defaults.yaml")
DRAWS = 200
MAX_CONTACTS = 10_000_000.0
MAX_AHT_S = 4 * 3600.0

# A model run takes about a second: report a failing file as drawn (it is in the log through
# `note`) instead of shrinking it for minutes.
SETTINGS = settings(
    max_examples=scaled(25),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def log_uniform(low: float, high: float, digits: int = 3) -> st.SearchStrategy[float]:
    """Floats spread evenly in log scale over [low, high] (edges included), rounded."""
    inner = st.floats(math.log10(low), math.log10(high)).map(
        lambda e: min(max(float(f"{10**e:.{digits}g}"), low), high)
    )
    return st.one_of(st.just(low), st.just(high), inner)


def share(low: float, high: float) -> st.SearchStrategy[float]:
    return st.one_of(st.just(low), st.just(high), st.floats(low, high).map(lambda x: round(x, 3)))


@st.composite
def shapes(draw: st.DrawFn, per_day: int) -> tuple[list[float], list[float]]:
    """An intraday profile (``per_day`` values, some > 0) and day-of-week shares summing to 1."""
    kind = draw(st.sampled_from(["flat", "one interval", "random"]))
    if kind == "flat":
        profile = [1.0] * per_day
    elif kind == "one interval":
        profile = [0.0] * per_day
        profile[draw(st.integers(0, per_day - 1))] = 1.0
    else:
        profile = draw(st.lists(st.integers(0, 9), min_size=per_day, max_size=per_day))
        profile = [float(v) for v in profile]
        if not any(profile):
            profile[0] = 1.0
    weights = draw(st.lists(st.integers(0, 5), min_size=7, max_size=7).filter(any))
    total = sum(weights)
    days = [w / total for w in weights[:-1]]
    days.append(max(0.0, 1.0 - sum(days)))  # the shares sum to 1 to within rounding
    return profile, days


def queued(draw: st.DrawFn, *, chat: bool) -> dict[str, Any]:
    channel: dict[str, Any] = {
        "weekly_contacts": draw(log_uniform(1.0, MAX_CONTACTS)),
        "aht_s": draw(log_uniform(1.0, MAX_AHT_S)),
        "sl_target": draw(share(0.5, 0.99)),
        "answer_time_s": draw(st.sampled_from([0.0, 10.0, 20.0, 60.0, 600.0])),
        "max_occupancy": draw(share(0.3, 1.0)),
    }
    if draw(st.booleans()):
        channel["patience_s"] = draw(log_uniform(1.0, 3600.0))
    if chat:
        k = draw(st.integers(1, 4))
        channel["concurrency"] = k
        channel["concurrency_aht_factor"] = [1.0 + 0.25 * i for i in range(k)]
    return channel


def keep_kpi_channels(data: dict[str, Any]) -> None:
    """Drop the region's per-channel KPI targets for channels it no longer has."""
    if "kpi" in data:
        kept = {k: v for k, v in data["kpi"].get("channels", {}).items() if k in data["channels"]}
        data["kpi"] = {**data["kpi"], "channels": kept}


@st.composite
def extreme_regions(draw: st.DrawFn, name: str = "Extreme") -> dict[str, Any]:
    data = copy.deepcopy(NORTH_AMERICA)
    data["region"]["name"] = name
    interval = draw(st.sampled_from([15, 30, 60]))
    weeks = draw(st.sampled_from([4, 5, 13, 26, 52]) | st.integers(4, 52))
    profile, days = draw(shapes(24 * 60 // interval))
    data["forecast"] = {
        "interval_minutes": interval,
        "horizon_weeks": weeks,
        "growth_annual": draw(st.sampled_from([-0.9, 0.0, 0.06, 5.0])),
        "intraday_profile": profile,
        "day_of_week_share": days,
    }
    channels: dict[str, Any] = {}
    if draw(st.booleans()):
        channels["voice"] = queued(draw, chat=False)
    if draw(st.booleans()):
        channels["chat"] = queued(draw, chat=True)
    if draw(st.booleans()) or not channels:
        channels["email"] = {
            "weekly_contacts": draw(log_uniform(1.0, MAX_CONTACTS)),
            "aht_s": draw(log_uniform(1.0, MAX_AHT_S)),
            "response_time_s": draw(st.sampled_from([900.0, 3600.0, 86_400.0, 7 * 86_400.0])),
            "max_occupancy": draw(share(0.3, 1.0)),
        }
    if draw(st.booleans()):  # a channel with no contacts at all
        channels[draw(st.sampled_from(sorted(channels)))]["weekly_contacts"] = 0.0
    data["channels"] = channels
    keep_kpi_channels(data)
    data["sourcing"] = {
        "channel": draw(st.sampled_from(sorted(channels))),
        "occupancy_caps": [0.3, 0.65, 1.0],
        "baseline_occupancy_cap": draw(share(0.3, 1.0)),
    }
    data["workforce"] = {
        "starting_headcount": draw(st.sampled_from([0.0, 1.0, 150.0, 1e6])),
        "max_class_size": draw(st.sampled_from([1, 20, 10_000])),
    }
    if draw(st.booleans()):  # an initiative that costs nothing
        data = free_initiative(data, DEFAULTS["roadmap"])
    data["finance"] = {
        "horizon_months": draw(st.sampled_from([12, 36, 120])),
        "monte_carlo_draws": DRAWS,
    }
    if draw(st.booleans()):  # a custom roadmap without any milestone
        data["roadmap"] = without_milestones(data.get("roadmap", DEFAULTS["roadmap"]))
    return data


def write_region(root: Path, data: dict[str, Any], stem: str = "extreme") -> Path:
    path = root / "regions" / f"{stem}.yaml"
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if currently_in_test_context():
        note(text)
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------- the checks


def report_tables(model: RegionModel) -> dict[str, pd.DataFrame]:
    """The tables the region report shows (notebooks/region_report.ipynb), in full."""
    mc = model.monte_carlo
    tables = {
        "weekly": model.weekly,
        "occupancy pricing": model.occupancy_pricing.groupby("max_occupancy")[
            ["paid_fte", "extra_paid_fte", "cost", "extra_cost"]
        ].mean(),
        "TEI": model.tei_table,
        "Monte Carlo": mc.summary(),
        "programme cash flow": model.programme_cashflow.pivot(
            index="month", columns="series", values="value"
        ),
        "pilot design": model.pilot_design,
        "KPI scorecard": model.kpi_scorecard[["label", "actual", "target", "status", "gap"]],
        # behind the charts: staffing, capacity, in-house cost, programme cash flow
        "capacity plan": model.capacity_plan,
        "in-house cost": model.inhouse_cost[["cost"]],  # (cost per contact: 0/0 with none)
        "FTE release and hiring": model.release_table.select_dtypes("number"),
    }
    tables.update({f"staffing {ch}": t for ch, t in model.staffing.items()})
    if model.pilot_readout is not None:
        columns = ["control", "treatment", "relative_change", "rel_ci_low", "rel_ci_high"]
        tables["pilot readout"] = model.pilot_readout.table()[["metric", "unit", *columns]]
    return tables


#: Pilot-design figures that are +∞ when a measure cannot be detected with the agents available
#: (``cxplan.present.sections.pilot`` shows "n/a" with that reason).
PILOT_UNREACHABLE = (
    "n_control", "n_treatment", "design_effect", "contacts_needed", "days_statistical", "days",
    "weeks",
)  # fmt: skip
TEI_TOTALS = ["Total benefits", "Total costs", "Net benefits"]


def non_finite(name: str, table: pd.DataFrame, *, free: bool) -> list[str]:
    """Non-finite figures of a table, less the documented ones (``free``: zero-cost initiative)."""
    numbers = table.select_dtypes("number")
    bad = []
    for column in numbers:
        values = numbers[column].to_numpy(dtype=float)
        rows = ~np.isfinite(values)
        if name == "Monte Carlo" and "nan_share" in table:
            # documented: no draw has a value (e.g. never paid back); the row says so
            rows &= ~((table["nan_share"].to_numpy() == 1.0) & np.isnan(values))
            if free:  # ROI of an initiative that costs nothing is ∞ (finance.roi), shown so
                rows &= ~(table.index.to_numpy() == "roi")
        if name == "pilot readout" and column.startswith("rel_ci"):
            # not applicable: a share's interval is given in points, not relative (the demo
            # regions' readout has the same gaps); they do not depend on the parameter file
            rows &= ~(table["unit"].to_numpy() == "fraction")
        if name == "pilot design" and column in PILOT_UNREACHABLE:
            # documented: too few agents per arm to detect the change at any duration (the
            # design effect of clustering grows without bound); the report says so per cell
            rows &= ~(np.isposinf(values) & ~table["fits_pilot"].to_numpy(dtype=bool))
        if name == "KPI scorecard" and column in ("actual", "gap"):
            # documented: a KPI with no measured actual has the status "no data"
            rows &= ~(np.isnan(values) & (table["status"].to_numpy() == "no data"))
        if name == "TEI" and column == "risk_adjustment":
            # totals have no single adjustment (each line carries its own): shown empty
            rows &= ~np.isin(table.index.to_numpy(), TEI_TOTALS)
        if rows.any():
            bad.append(f"{name}.{column} at {list(table.index[rows][:3])}")
    return bad


NON_NEGATIVE = {
    "weekly": ["contacts", "agent_hours", "fte", "scheduled_fte", "scheduled_headcount"],
    "in-house cost": ["cost"],
    "capacity plan": ["hires", "headcount"],
    "programme cash flow": ["costs", "benefits"],
}


def assert_reportable(model: RegionModel) -> dict[str, Any]:
    headline = model.headline()
    json.dumps(headline, allow_nan=False)  # the result file is strict JSON
    report.executive_summary(model)
    report.initiative_summary(model)
    tables = report_tables(model)
    free = not math.isfinite(model.initiative["roi"])
    if free:
        assert headline["initiative"]["roi"] is None  # JSON has no ∞: null
        assert model.initiative["pv_costs"] == 0.0
    problems = [
        issue for name, table in tables.items() for issue in non_finite(name, table, free=free)
    ]
    assert problems == [], problems
    for name, columns in NON_NEGATIVE.items():
        for column in columns:
            if column in tables[name]:
                assert (tables[name][column].to_numpy(dtype=float) >= -1e-9).all(), (name, column)
    for channel, table in model.staffing.items():
        assert (table["agents"] >= 0).all() and (table["contacts"] >= 0).all(), channel
        cap = getattr(model.channels[channel], "max_occupancy", 1.0)
        assert (table["occupancy"] <= cap + 1e-9).all(), channel
    for value in headline["costs"]["sourcing_total_by_option"].values():
        assert value >= 0
    assert headline["costs"]["inhouse_cost_per_month"] >= 0
    assert headline["staffing"]["peak_agents"] >= 0
    return headline


# ------------------------------------------------------------------------------- tests


CORNERS = [
    # one contact a week of one second, a 0.3 cap, four weeks of 15-minute intervals
    {"interval": 15, "weeks": 4, "contacts": 1.0, "aht": 1.0, "cap": 0.3},
    # ten million contacts a week of four hours, no cap, 52 weeks of 60-minute intervals
    {"interval": 60, "weeks": 52, "contacts": MAX_CONTACTS, "aht": MAX_AHT_S, "cap": 1.0},
    # ten million a week of one second at a 0.3 cap, 30-minute intervals
    {"interval": 30, "weeks": 13, "contacts": MAX_CONTACTS, "aht": 1.0, "cap": 0.3},
]


def corner(spec: dict[str, Any], name: str = "Corner") -> dict[str, Any]:
    data = copy.deepcopy(NORTH_AMERICA)
    data["region"]["name"] = name
    data["forecast"] = {
        "interval_minutes": spec["interval"],
        "horizon_weeks": spec["weeks"],
        "intraday_profile": [1.0] * (24 * 60 // spec["interval"]),
    }
    voice = {
        "weekly_contacts": spec["contacts"],
        "aht_s": spec["aht"],
        "max_occupancy": spec["cap"],
    }
    data["channels"] = {"voice": voice}
    keep_kpi_channels(data)
    data["sourcing"] = {"channel": "voice"}
    data["finance"] = {"monte_carlo_draws": DRAWS}
    return data


@SETTINGS
@given(data=extreme_regions())
@example(data=corner(CORNERS[0]))
@example(data=corner(CORNERS[1]))
@example(data=corner(CORNERS[2]))
def test_valid_extreme_files_report_finite_non_negative_figures(
    params_root: Path, data: dict[str, Any]
) -> None:
    params = load_params(write_region(params_root, data))  # `cxplan validate` accepts it
    assert_reportable(RegionModel(params, params_root=params_root, monte_carlo_draws=DRAWS))


@pytest.mark.notebook
@pytest.mark.slow
@settings(
    max_examples=scaled(1),
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(drawn=extreme_regions(name="Extreme Drawn"))
@example(drawn=corner(CORNERS[1], name="Extreme Drawn"))
def test_the_real_report_runs_extreme_files(
    tmp_path_factory: pytest.TempPathFactory, params_root: Path, drawn: dict[str, Any]
) -> None:
    out = tmp_path_factory.mktemp("extreme-reports")
    folder = params_root.parent / f"batch-{out.name}"
    (folder / "regions").mkdir(parents=True)
    shutil.copyfile(params_root / "defaults.yaml", folder / "defaults.yaml")
    shutil.copytree(params_root / "pilot", folder / "pilot")
    write_region(folder, drawn, "drawn")
    write_region(folder, corner(CORNERS[0], name="Extreme Small"), "small")
    write_region(folder, corner(CORNERS[2], name="Extreme Fast"), "fast")
    run = bs.run_report(out / "reports", params=folder / "regions")
    run.check()
    for slug in ("extreme-drawn", "extreme-small", "extreme-fast"):
        result = run.result(slug)
        json.dumps(result, allow_nan=False)
        assert result["staffing"]["peak_agents"] >= 0
        assert (run.out / f"{slug}.html").is_file()
