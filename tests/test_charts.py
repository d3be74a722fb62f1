"""Tests for cxplan.present.charts: Vega-Lite specs, inline data, static SVG and offline rendering.

Reference values are computed in each test from the model tables by hand (numpy/pandas written
in the test), or by hand arithmetic; the rendered SVG is checked for drawn marks (rect/area/line
paths with a non-empty ``d`` and a non-zero extent), for self-containment (no http(s) reference
beyond the SVG/XLink namespace names, no web fonts) and for byte-identical repeat renders.
"""

from __future__ import annotations

import importlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import pytest
import vl_convert
from roadmap_template import defaults_roadmap  # tests/ is on sys.path (rootdir import mode)

from cxplan.economics import costs, outsourcing, risk, sourcing
from cxplan.errors import InputError
from cxplan.plan import kpi, roadmap
from cxplan.present import charts
from cxplan.workforce import staffing
from cxplan.workforce.capacity import HiringClass, Workforce, simulate_capacity

# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def spec_of(chart: Any) -> dict[str, Any]:
    return chart.to_dict()


def units(spec: dict[str, Any], data: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every unit (single-mark) spec inside layers / concatenations, in order.

    A unit without its own ``data`` gets the nearest parent's (altair hoists shared data).
    """
    data = spec.get("data", data)
    out: list[dict[str, Any]] = []
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for sub in spec.get(key, []):
            out.extend(units(sub, data))
    if "mark" in spec:
        out.append(spec if "data" in spec or data is None else spec | {"data": data})
    return out


def mark_type(unit: dict[str, Any]) -> str:
    mark = unit["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def rows(spec: dict[str, Any], unit: dict[str, Any]) -> list[dict[str, Any]]:
    """Inline data rows of a unit (altair puts them in the top-level ``datasets``)."""
    return spec["datasets"][unit["data"]["name"]]


def find(spec: dict[str, Any], mark: str, field: str | None = None) -> dict[str, Any]:
    """The first unit with this mark (and, if given, encoding some channel by ``field``)."""
    for u in units(spec):
        if mark_type(u) != mark:
            continue
        fields = {ch.get("field") for ch in u.get("encoding", {}).values() if isinstance(ch, dict)}
        if field is None or field in fields:
            return u
    raise AssertionError(f"no {mark} mark encoding {field!r}")


def title_text(spec: dict[str, Any]) -> str:
    t = spec["title"]
    return t["text"] if isinstance(t, dict) else t


def subtitle_text(spec: dict[str, Any]) -> str:
    return str(spec["title"].get("subtitle", ""))


SVG_NS = "{http://www.w3.org/2000/svg}"
_RECT_D = re.compile(r"h(-?[\d.e]+)v(-?[\d.e]+)")


def drawn(svg: str) -> dict[str, list[ET.Element]]:
    """Mark items per Vega mark type (``rect``, ``line``, ``area``, ``rule``, ...) in an SVG."""
    root = ET.fromstring(svg)
    out: dict[str, list[ET.Element]] = {}
    for g in root.iter(f"{SVG_NS}g"):
        cls = g.get("class", "")
        if "role-mark" not in cls:
            continue
        kind = cls.split()[0].removeprefix("mark-")
        out.setdefault(kind, []).extend(list(g))
    return out


def has_paths(items: list[ET.Element]) -> bool:
    return any((e.get("d") or "").strip() not in ("", "M0,0Z") for e in items)


def has_sized_bars(items: list[ET.Element]) -> bool:
    """At least one bar path ``M x,y h w v h ...`` with non-zero width and height."""
    for e in items:
        m = _RECT_D.search(e.get("d") or "")
        if m and float(m.group(1)) != 0.0 and float(m.group(2)) != 0.0:
            return True
    return False


def gantt_roadmap() -> roadmap.Roadmap:
    """The template roadmap plus an instant closing review (a zero-day task, drawn as a tick)."""
    rm = defaults_roadmap()
    review = roadmap.Task(
        "review", "Break-even review", "scale", 180, 180, depends_on=("rca-nps",), milestone=True
    )
    return roadmap.Roadmap(rm.phases, (*rm.tasks, review))


# ---------------------------------------------------------------------------------------------
# model tables (built once; each is small)
# ---------------------------------------------------------------------------------------------

WEEKS = pd.date_range("2026-01-05", periods=14 * 48, freq="30min")  # Mon 5 – Sun 18 Jan 2026


def _volume(scale_week2: float) -> pd.Series:
    day = 20 + 15 * np.sin(np.arange(48) / 48 * np.pi) ** 2
    v = np.tile(day, 14)
    v[7 * 48 :] *= scale_week2  # a busier second week, so mean and max differ
    return pd.Series(v, index=WEEKS)


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    vol = _volume(1.5)
    return {
        "voice": staffing.staff_intervals(vol, staffing.VoiceChannel(aht_s=300)),
        "chat": staffing.staff_intervals(vol * 0.5, staffing.ChatChannel(aht_s=400)),
    }


@pytest.fixture(scope="module")
def sourcing_inputs() -> dict[str, Any]:
    vol = pd.Series(20.0, index=pd.date_range("2026-01-01", periods=59 * 48, freq="30min"))
    return {
        "volume": vol,
        "channel": staffing.VoiceChannel(aht_s=300),
        "location": costs.LOCATION_PRESETS["onshore_us"],
        "tech": costs.TECH_STACK_PRESETS["seed001_low"],
        "quote": outsourcing.QUOTE_PRESETS["voice_per_minute_low"],
    }


@pytest.fixture(scope="module")
def comparison(sourcing_inputs: dict[str, Any]) -> pd.DataFrame:
    s = sourcing_inputs
    return sourcing.compare_sourcing(
        s["volume"], s["channel"], s["location"], s["tech"], s["quote"], shrinkage=0.3,
        hybrids=[sourcing.ShareSplit(vendor_share=0.5)],
    )  # fmt: skip


@pytest.fixture(scope="module")
def cross(sourcing_inputs: dict[str, Any]) -> sourcing.CrossoverResult:
    s = sourcing_inputs
    return sourcing.crossover(
        s["volume"], s["channel"], s["location"], s["tech"], s["quote"], shrinkage=0.3,
        grid_points=13,
    )  # fmt: skip


@pytest.fixture(scope="module")
def mix() -> pd.DataFrame:
    return costs.hourly_cost_breakdown(
        costs.LOCATION_PRESETS["onshore_us"],
        costs.TECH_STACK_PRESETS["seed001_low"],
        shrinkage=0.3,
        occupancy=0.85,
    )


def _cost_model(volume: Any, aht_s: Any, wage: Any) -> dict[str, Any]:
    return {"cost": volume * aht_s / 3600 * wage}


@pytest.fixture(scope="module")
def tornado_table() -> pd.DataFrame:
    # cxplan.economics.risk.tornado docstring example: aht_s swing 1500, wage swing 400, base 3000
    return risk.tornado(
        _cost_model,
        {"volume": 1000, "aht_s": 360, "wage": 30},
        {"wage": (28, 32), "aht_s": (300, 480)},
        output="cost",
    )


@pytest.fixture(scope="module")
def mc() -> risk.MonteCarloResult:
    return risk.monte_carlo(
        _cost_model,
        {"volume": risk.Pert(800, 1000, 1300), "aht_s": 360, "wage": 30},
        n_draws=2000,
        seed=7,
    )


@pytest.fixture(scope="module")
def plan() -> pd.DataFrame:
    wf = Workforce(starting_headcount=40, attrition_annual=0.35, fte_per_head=0.8)
    return simulate_capacity(
        np.full(13, 36.0), wf, [HiringClass(0, 8), HiringClass(4, 5)], start_date="2026-01-05"
    )


@pytest.fixture(scope="module")
def built(
    tables: dict[str, pd.DataFrame],
    comparison: pd.DataFrame,
    cross: sourcing.CrossoverResult,
    mix: pd.DataFrame,
    tornado_table: pd.DataFrame,
    mc: risk.MonteCarloResult,
    plan: pd.DataFrame,
) -> dict[str, Any]:
    rm = gantt_roadmap()
    return {
        "staffing": charts.staffing_chart(tables),
        "weekly_fte": charts.weekly_fte_chart({k: staffing.rollup(t) for k, t in tables.items()}),
        "cost_comparison": charts.cost_comparison_chart(comparison),
        "cost_mix": charts.cost_mix_chart(mix),
        "crossover": charts.crossover_chart(cross),
        "cashflow": charts.cashflow_chart([-1000, 150, 150, 150, 150, 150, 150, 150, 150]),
        "tornado": charts.tornado_chart(tornado_table, unit="USD"),
        "histogram": charts.histogram_chart(mc.histogram("cost"), unit="USD"),
        "gantt": charts.gantt_chart(
            roadmap.gantt_data(rm, start_date="2026-01-05"),
            roadmap.milestone_data(rm, start_date="2026-01-05"),
        ),
        "capacity": charts.capacity_chart(plan),
        "kpi": charts.kpi_chart(kpi.scorecard({"csat": 0.82, "fcr": 0.67, "aht_s": 700})),
    }


@pytest.fixture(scope="module")
def svgs(built: dict[str, Any]) -> dict[str, str]:
    return {name: charts.to_svg(chart) for name, chart in built.items()}


# ---------------------------------------------------------------------------------------------
# every chart: title, tooltips, data cap, drawn SVG, no external references
# ---------------------------------------------------------------------------------------------

# mark types that must be drawn (with non-empty geometry) in each chart's SVG
EXPECTED_MARKS = {
    "staffing": ("area", "line"),
    "weekly_fte": ("rect", "line"),
    "cost_comparison": ("rect",),
    "cost_mix": ("rect",),
    "crossover": ("line", "rule"),
    "cashflow": ("rect", "line", "rule", "symbol"),
    "tornado": ("rect", "rule"),
    "histogram": ("rect", "rule"),
    "gantt": ("rect", "symbol"),
    "capacity": ("rect", "line"),
    "kpi": ("rect", "text"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED_MARKS))
def test_every_chart_has_title_tooltips_and_capped_data(built: dict[str, Any], name: str) -> None:
    spec = spec_of(built[name])
    assert title_text(spec)
    for u in units(spec):
        assert "data" in u and u["data"]["name"] in spec["datasets"]  # inline data, no URLs
    assert any("tooltip" in u.get("encoding", {}) for u in units(spec))
    assert all(0 < len(v) <= charts.MAX_ROWS for v in spec["datasets"].values())
    # dataset names are content hashes, not random ids
    assert all(re.fullmatch(r"data-[0-9a-f]{32}", k) for k in spec["datasets"])


@pytest.mark.parametrize("name", sorted(EXPECTED_MARKS))
def test_svg_draws_marks_and_is_self_contained(svgs: dict[str, str], name: str) -> None:
    svg = svgs[name]
    assert svg.startswith("<svg")
    marks = drawn(svg)
    for kind in EXPECTED_MARKS[name]:
        items = marks.get(kind, [])
        assert items, f"{name}: no {kind} marks drawn"
        if kind in ("rect", "line", "area", "symbol", "arc"):
            assert has_paths(items), f"{name}: {kind} marks have empty geometry"
    if "rect" in EXPECTED_MARKS[name] and name != "kpi":
        assert has_sized_bars(marks["rect"]), f"{name}: all bars have zero size"
    # the only http(s) strings allowed are the namespace names on the root element
    body = svg.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', ""
    )
    assert "http://" not in body and "https://" not in body
    assert "@font-face" not in body and "@import" not in body and "<image" not in body
    fonts = set(re.findall(r'font-family="([^"]+)"', svg))
    assert fonts == {"sans-serif"}


def test_svg_is_byte_identical_for_the_same_input(
    tables: dict[str, pd.DataFrame], svgs: dict[str, str]
) -> None:
    # vl-convert numbers clip paths from a process-wide counter; to_svg renumbers them
    clipped = [charts.to_svg(_clipped(5)) for _ in range(3)]
    assert clipped[0] == clipped[1] == clipped[2]
    assert 'id="clip1"' in clipped[0] and "url(#clip1)" in clipped[0]
    again = charts.to_svg(charts.staffing_chart(dict(tables)))  # rebuilt from the same tables
    assert again == svgs["staffing"]
    rm = gantt_roadmap()
    gantt = charts.gantt_chart(
        roadmap.gantt_data(rm, start_date="2026-01-05"),
        roadmap.milestone_data(rm, start_date="2026-01-05"),
    )
    assert charts.to_svg(gantt) == svgs["gantt"]


def test_vegalite_version_matches_altair_schema() -> None:
    # altair's schema is "v6.4.1" → vl-convert renders with Vega-Lite "6.4"
    assert alt.SCHEMA_VERSION.lstrip("v").startswith(charts.vegalite_version() + ".")


# ---------------------------------------------------------------------------------------------
# staffing
# ---------------------------------------------------------------------------------------------


def test_staffing_chart_typical_week_means_and_peaks(tables: dict[str, pd.DataFrame]) -> None:
    for statistic, combine in (("mean", np.mean), ("max", np.max)):
        spec = spec_of(charts.staffing_chart(tables, statistic=statistic))
        assert "vconcat" in spec and len(spec["vconcat"]) == 2
        area = find(spec, "area", "agents")
        enc = area["encoding"]
        assert enc["y"]["field"] == "agents" and enc["y"]["stack"] == "zero"
        assert enc["y"]["title"] == "Agents"
        assert enc["x"]["type"] == "temporal" and enc["x"]["scale"]["type"] == "utc"
        assert enc["color"]["field"] == "channel"
        data = pd.DataFrame(rows(spec, area))
        assert len(data) == 7 * 48 * 2  # 336 half-hours × two channels
        # Monday 08:00 in the typical week: the two Mondays' 08:00 intervals combined
        for ch in ("voice", "chat"):
            t = tables[ch]["agents"]
            expect = combine(
                [t[pd.Timestamp("2026-01-05 08:00")], t[pd.Timestamp("2026-01-12 08:00")]]
            )
            got = data[(data.interval == "Mon 08:00") & (data.channel == ch)]["agents"]
            assert got.tolist() == [pytest.approx(float(expect))]
        line = find(spec, "line", "contacts")
        assert line["encoding"]["y"]["title"] == "Contacts per 30 min"
        c = pd.DataFrame(rows(spec, line))
        assert sorted(set(c.channel)) == ["chat", "voice"]
        v = tables["voice"]["contacts"]
        expect_c = combine([v.iloc[0], v.iloc[7 * 48]])  # Monday 00:00 of each week
        assert c[(c.interval == "Mon 00:00") & (c.channel == "voice")]["contacts"].tolist() == [
            pytest.approx(float(expect_c))
        ]


def test_staffing_chart_accepts_combine_and_single_tables(
    tables: dict[str, pd.DataFrame],
) -> None:
    spec = spec_of(charts.staffing_chart(staffing.combine(tables)))
    agents = pd.DataFrame(rows(spec, find(spec, "area", "agents")))
    assert list(dict.fromkeys(agents.channel)) == ["voice", "chat"]
    contacts = pd.DataFrame(rows(spec, find(spec, "line", "contacts")))
    assert set(contacts.channel) == {"all channels"}
    total = tables["voice"]["contacts"] + tables["chat"]["contacts"]
    assert contacts["contacts"].iloc[0] == pytest.approx((total.iloc[0] + total.iloc[336]) / 2)

    one = spec_of(charts.staffing_chart(tables["voice"], name="voice"))
    assert set(pd.DataFrame(rows(one, find(one, "area", "agents"))).channel) == {"voice"}


def test_staffing_chart_widens_slots_to_stay_under_the_row_cap() -> None:
    # 15-minute intervals, one week, five channels: 672 slots × 5 = 3,360 rows > MAX_ROWS,
    # so slots are widened to 30 minutes: agents = mean of the two quarters, contacts = sum.
    idx = pd.date_range("2026-01-05", periods=7 * 96, freq="15min")
    quarter = np.arange(len(idx)) % 2  # 0 for :00/:30, 1 for :15/:45
    channels = {
        f"c{i}": pd.DataFrame(
            {"agents": 10.0 + i + 2 * quarter, "contacts": 4.0 + quarter}, index=idx
        )
        for i in range(5)
    }
    spec = spec_of(charts.staffing_chart(channels))
    agents = pd.DataFrame(rows(spec, find(spec, "area", "agents")))
    assert len(agents) == 336 * 5 <= charts.MAX_ROWS
    assert agents[agents.channel == "c2"]["agents"].unique().tolist() == [13.0]  # (12 + 14) / 2
    contacts = pd.DataFrame(rows(spec, find(spec, "line", "contacts")))
    assert contacts["contacts"].unique().tolist() == [9.0]  # 4 + 5
    assert "30 min" in find(spec, "line", "contacts")["encoding"]["y"]["title"]


def test_staffing_chart_uses_wall_clock_time_of_tz_aware_index(
    tables: dict[str, pd.DataFrame],
) -> None:
    voice = tables["voice"].tz_localize("America/New_York")
    spec = spec_of(charts.staffing_chart(voice, name="voice"))
    data = pd.DataFrame(rows(spec, find(spec, "area", "agents")))
    t = tables["voice"]["agents"]
    expect = (t[pd.Timestamp("2026-01-05 09:30")] + t[pd.Timestamp("2026-01-12 09:30")]) / 2
    assert data[data.interval == "Mon 09:30"]["agents"].tolist() == [pytest.approx(expect)]
    assert data["interval_start"].iloc[0] == "2024-01-01T00:00:00Z"  # reference Monday, UTC


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"tables": pd.DataFrame({"agents": [1, 2], "contacts": [1, 2]})}, "DatetimeIndex"),
        ({"tables": pd.DataFrame({"contacts": [1.0, 2.0]}, index=WEEKS[:2])}, "agents"),
        ({"statistic": "median"}, "statistic"),
        ({"width": 0}, "width"),
        ({"tables": {}}, "tables"),
    ],
)
def test_staffing_chart_rejects_bad_arguments(
    tables: dict[str, pd.DataFrame], kwargs: dict[str, Any], match: str
) -> None:
    args: dict[str, Any] = {"tables": tables} | kwargs
    with pytest.raises(InputError, match=match):
        charts.staffing_chart(**args)


def test_staffing_chart_rejects_irregular_index() -> None:
    idx = pd.DatetimeIndex(["2026-01-05 08:00", "2026-01-05 08:30", "2026-01-05 09:30"])
    table = pd.DataFrame({"agents": [1.0, 2.0, 3.0], "contacts": [1.0, 1.0, 1.0]}, index=idx)
    with pytest.raises(InputError, match="tables"):
        charts.staffing_chart(table)


def test_weekly_fte_chart_bars_and_line(tables: dict[str, pd.DataFrame]) -> None:
    rolls = {k: staffing.rollup(t, "W", shrinkage=0.3) for k, t in tables.items()}
    spec = spec_of(charts.weekly_fte_chart(rolls))
    bar = find(spec, "bar", "scheduled_headcount")
    bars = pd.DataFrame(rows(spec, bar))
    assert len(bars) == 2 * 2  # two weeks × two channels
    assert bars["period"].tolist()[:2] == ["2026-01-11", "2026-01-11"]  # weeks end on Sunday
    assert bar["encoding"]["x"]["title"] == "Week (period end)"
    voice = bars[bars.channel == "voice"]["scheduled_headcount"].tolist()
    assert voice == rolls["voice"]["scheduled_headcount"].tolist()
    line = pd.DataFrame(rows(spec, find(spec, "line", "fte")))
    expect = (rolls["voice"]["fte"] + rolls["chat"]["fte"]).tolist()
    assert line["fte"].tolist() == pytest.approx(expect)
    monthly = spec_of(charts.weekly_fte_chart(staffing.rollup(tables["voice"], "MS")))
    month_bar = find(monthly, "bar", "scheduled_headcount")
    assert [r["period"] for r in rows(monthly, month_bar)] == ["2026-01"]
    assert month_bar["encoding"]["x"]["title"] == "Month"
    with pytest.raises(InputError, match="different period index"):
        charts.weekly_fte_chart({"a": rolls["voice"], "b": rolls["chat"].iloc[:1]})


# ---------------------------------------------------------------------------------------------
# costs and sourcing
# ---------------------------------------------------------------------------------------------


def test_cost_comparison_monthly_grouped_bars(comparison: pd.DataFrame) -> None:
    spec = spec_of(charts.cost_comparison_chart(comparison, currency="EUR"))
    bar = find(spec, "bar", "total_cost")
    enc = bar["encoding"]
    assert enc["xOffset"]["field"] == "option"
    assert enc["y"]["title"] == "Cost per month (EUR)"
    data = pd.DataFrame(rows(spec, bar))
    assert len(data) == len(comparison) == 2 * 3  # Jan–Feb × three options
    assert data["month"].tolist() == ["2026-01"] * 3 + ["2026-02"] * 3
    by = comparison.set_index(["option", "month"])["total_cost"]
    got = data.set_index(["option", "month"])["total_cost"]
    assert got["outsourced", "2026-02"] == pytest.approx(by["outsourced", pd.Timestamp("2026-02")])
    # fixed colours: in-house and outsourced keep theirs whatever else is compared
    scale = enc["color"]["scale"]
    colour = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colour["in-house"] == charts.PALETTE[0] and colour["outsourced"] == charts.PALETTE[1]
    assert colour["hybrid: 50% to vendor"] not in charts.PALETTE[:2]


def test_cost_comparison_total_stacks_components(comparison: pd.DataFrame) -> None:
    spec = spec_of(charts.cost_comparison_chart(comparison, kind="total"))
    stack = pd.DataFrame(rows(spec, find(spec, "bar", "cost")))
    sums = stack.groupby("option")["cost"].sum()
    expect = comparison.groupby("option")["total_cost"].sum()
    for option in expect.index:
        assert sums[option] == pytest.approx(expect[option], rel=1e-12)
    # in-house has only its running cost (no one-off given): a single component
    assert stack[stack.option == "in-house"]["component"].tolist() == ["In-house running cost"]
    labels = pd.DataFrame(rows(spec, find(spec, "text", "total_cost")))
    assert labels["total_cost"].tolist() == pytest.approx(expect[labels["option"]].tolist())
    y = find(spec, "bar", "cost")["encoding"]["y"]
    assert y["title"] == "Total cost over 2 months (USD)"
    # options drawn left to right in the comparison's order (ranked in the data)
    options = list(dict.fromkeys(comparison["option"]))
    svg = vl_convert.vegalite_to_svg(spec)
    assert sorted(options, key=lambda o: svg.index(f">{o}</text>")) == options


def test_cost_mix_bar_and_donut(mix: pd.DataFrame) -> None:
    spec = spec_of(charts.cost_mix_chart(mix))
    bar = find(spec, "bar", "cost")
    data = pd.DataFrame(rows(spec, bar))
    assert data["component"].tolist() == list(costs.COST_COMPONENTS)
    assert data["cost"].tolist() == pytest.approx(mix["cost_per_paid_hour"].tolist())
    assert data["share"].sum() == pytest.approx(1.0)
    assert bar["encoding"]["x"]["title"] == "Cost per paid agent hour (USD)"
    total = mix["cost_per_paid_hour"].sum()
    assert f"{total:,.2f} USD" in subtitle_text(spec)

    donut = spec_of(charts.cost_mix_chart(mix, kind="donut", per="productive_hour"))
    arc = find(donut, "arc", "cost")
    assert arc["encoding"]["theta"]["field"] == "cost"
    got = [r["cost"] for r in rows(donut, arc)]
    assert got == pytest.approx(mix["cost_per_productive_hour"].tolist())
    svg = charts.to_svg(charts.cost_mix_chart(mix, kind="donut"))
    assert has_paths(drawn(svg)["arc"])

    two = spec_of(charts.cost_mix_chart({"US": mix, "half": mix / 2}))
    both = pd.DataFrame(rows(two, find(two, "bar", "cost")))
    assert both.groupby("profile", sort=False)["cost"].sum().tolist() == pytest.approx(
        [total, total / 2]
    )
    with pytest.raises(InputError, match="donut"):
        charts.cost_mix_chart({"US": mix, "half": mix / 2}, kind="donut")
    with pytest.raises(InputError, match="per"):
        charts.cost_mix_chart(mix, per="seat")  # type: ignore[arg-type]


def test_crossover_chart_from_result(cross: sourcing.CrossoverResult) -> None:
    assert cross.found
    spec = spec_of(charts.crossover_chart(cross))
    lines = pd.DataFrame(rows(spec, find(spec, "line", "cost")))
    assert len(lines) == 2 * len(cross.curve)
    inhouse = lines[lines.option == "in-house"]["cost"].tolist()
    assert inhouse == pytest.approx(cross.curve["inhouse_cost"].tolist())
    rule = pd.DataFrame(rows(spec, find(spec, "rule", "monthly_contacts")))
    assert rule["monthly_contacts"].tolist() == pytest.approx(list(cross.monthly_contacts))
    assert find(spec, "line", "cost")["encoding"]["x"]["title"] == "Monthly contacts"


def _linear_curve(x: np.ndarray) -> pd.DataFrame:
    inhouse = 100.0 + x  # hand-made: in-house 100 + x, outsourced 2x → equal at x = 100
    out = 2.0 * x
    return pd.DataFrame(
        {
            "monthly_contacts": x,
            "inhouse_cost": inhouse,
            "outsourced_cost": out,
            "saving_from_outsourcing": inhouse - out,
            "inhouse_cost_per_contact": inhouse / np.where(x > 0, x, np.nan),
            "outsourced_cost_per_contact": out / np.where(x > 0, x, np.nan),
        }
    )


def test_crossover_chart_interpolates_a_bare_curve() -> None:
    spec = spec_of(charts.crossover_chart(_linear_curve(np.array([0.0, 50.0, 150.0, 200.0]))))
    rule = rows(spec, find(spec, "rule", "monthly_contacts"))
    assert [r["monthly_contacts"] for r in rule] == [pytest.approx(100.0)]
    assert subtitle_text(spec) == "Crossover ≈ 100 contacts/month"
    # no sign change → no rule
    none = spec_of(charts.crossover_chart(_linear_curve(np.array([150.0, 200.0]))))
    assert not any(mark_type(u) == "rule" for u in units(none))
    assert subtitle_text(none) == "No crossover in the range shown"
    # per contact: the NaN at zero volume is dropped
    pc = spec_of(charts.crossover_chart(_linear_curve(np.array([0.0, 50.0])), metric="per_contact"))
    assert len(rows(pc, find(pc, "line", "cost"))) == 2


def test_crossover_chart_thins_long_curves() -> None:
    x = np.linspace(0.0, 1000.0, 5001)
    spec = spec_of(charts.crossover_chart(_linear_curve(x), crossings=[100.0]))
    data = pd.DataFrame(rows(spec, find(spec, "line", "cost")))
    inhouse = data[data.option == "in-house"]["monthly_contacts"]
    assert len(data) <= charts.MAX_ROWS and len(inhouse) == charts.MAX_ROWS // 2
    assert inhouse.iloc[0] == 0.0 and inhouse.iloc[-1] == 1000.0  # ends kept


# ---------------------------------------------------------------------------------------------
# finance and risk
# ---------------------------------------------------------------------------------------------


def test_cashflow_chart_break_even_marker(svgs: dict[str, str], built: dict[str, Any]) -> None:
    flows = [-1000, 150, 150, 150, 150, 150, 150, 150, 150]
    spec = spec_of(built["cashflow"])
    bars = pd.DataFrame(rows(spec, find(spec, "bar", "amount")))
    assert bars["amount"].tolist() == flows
    assert bars["series"].tolist() == ["Net outflow"] + ["Net inflow"] * 8
    line = pd.DataFrame(rows(spec, find(spec, "line", "cumulative")))
    # hand arithmetic: −1000 + 150 m; first ≥ 0 at m = 7 (+50), m = 6 is −100
    assert line["cumulative"].tolist() == [-1000 + 150 * m for m in range(9)]
    marker = rows(spec, find(spec, "point", "cumulative"))
    assert marker == [{"month_label": "7", "cumulative": 50.0, "label": "Break-even: month 7"}]
    assert subtitle_text(spec) == "Cumulative net cash flow: break-even in month 7"
    zero = find(spec, "rule")
    assert rows(spec, zero) == [{"zero": 0.0}]
    assert find(spec, "bar", "amount")["encoding"]["y"]["title"] == "Cash flow (USD)"
    texts = [e.text for e in drawn(svgs["cashflow"])["text"]]
    assert "Break-even: month 7" in texts


def test_cashflow_chart_discounted_and_edge_cases() -> None:
    rate = 0.01
    flows = np.array([-1000.0, 600.0, 600.0])
    spec = spec_of(charts.cashflow_chart(flows, rate=rate))
    line = rows(spec, find(spec, "line", "cumulative"))
    expect = np.cumsum(flows / (1 + rate) ** np.arange(3))
    assert [r["cumulative"] for r in line] == pytest.approx(expect.tolist())
    assert "Discounted cumulative" in subtitle_text(spec) and "month 2" in subtitle_text(spec)

    never = spec_of(charts.cashflow_chart([-1000, 10, 10]))
    assert subtitle_text(never).endswith("no break-even within 2 months")
    assert not any(mark_type(u) == "point" for u in units(never))
    positive = spec_of(charts.cashflow_chart([0, 10, 10]))
    assert "never negative" in subtitle_text(positive)

    with pytest.raises(InputError, match="one-dimensional"):
        charts.cashflow_chart([[1.0, 2.0]])
    with pytest.raises(InputError, match="cashflows"):
        charts.cashflow_chart([1.0, np.nan])
    with pytest.raises(InputError, match="at most"):
        charts.cashflow_chart(np.ones(charts.MAX_ROWS + 1))


def test_cashflow_chart_from_the_business_case() -> None:
    from cxplan.model import load_region

    model = load_region("params/regions/asia-pacific.yaml", monte_carlo_draws=200)
    data = model.programme_cashflow
    spec = spec_of(charts.cashflow_chart(data))
    bars = pd.DataFrame(rows(spec, find(spec, "bar", "amount")))
    assert set(bars.series) <= {"Costs", "Benefits"}
    res = model.business_case[2]
    costs_by_month = bars[bars.series == "Costs"].set_index("month")["amount"]
    for m, c in enumerate(res.costs):
        if c != 0:
            assert costs_by_month[m] == pytest.approx(-c)
    line = pd.DataFrame(rows(spec, find(spec, "line", "cumulative")))
    assert line["cumulative"].tolist() == pytest.approx(np.cumsum(res.net).tolist())


def test_tornado_chart_bars_around_base(tornado_table: pd.DataFrame) -> None:
    shuffled = tornado_table.iloc[::-1].reset_index(drop=True)  # wage first: chart re-sorts
    shuffled.attrs = dict(tornado_table.attrs)
    spec = spec_of(charts.tornado_chart(shuffled, unit="USD"))
    bar = find(spec, "bar", "output")
    enc = bar["encoding"]
    # largest swing (1500) on top: ranked in the data, drawn in that order
    assert enc["y"]["sort"] == {"field": "input_rank", "op": "min"}
    ranks = {r["input"]: r["input_rank"] for r in rows(spec, bar)}
    assert ranks == {"aht_s": 0, "wage": 1}
    svg = vl_convert.vegalite_to_svg(spec)
    assert svg.index(">aht_s</text>") < svg.index(">wage</text>")
    assert enc["x2"]["field"] == "base_output"
    assert enc["x"]["title"] == "cost (USD)"
    data = pd.DataFrame(rows(spec, bar)).set_index(["input", "side"])
    # docstring reference of cxplan.economics.risk.tornado: aht_s 2500 → 4000, wage 2800 → 3200
    assert data.loc[("aht_s", "Input at low value"), "output"] == pytest.approx(2500.0)
    assert data.loc[("aht_s", "Input at high value"), "output"] == pytest.approx(4000.0)
    assert data.loc[("wage", "Input at high value"), "output"] == pytest.approx(3200.0)
    assert np.allclose(data["base_output"], 3000.0)
    rule = rows(spec, find(spec, "rule", "base_output"))
    assert rule == [{"base_output": pytest.approx(3000.0)}]
    top1 = spec_of(charts.tornado_chart(tornado_table, max_inputs=1))
    assert {r["input"] for r in rows(top1, find(top1, "bar", "output"))} == {"aht_s"}
    never = tornado_table.copy()  # e.g. a payback that never happens at the low case
    never.loc[1, "output_low"] = np.nan
    nan_spec = spec_of(charts.tornado_chart(never))
    assert len(rows(nan_spec, find(nan_spec, "bar", "output"))) == 3
    assert subtitle_text(nan_spec).endswith("1 case(s) with no finite output not drawn")
    bad = tornado_table.copy()
    bad.loc[0, "base_output"] = 1.0
    with pytest.raises(InputError, match="base"):
        charts.tornado_chart(bad)


def test_histogram_chart_percentile_rules() -> None:
    # ten unit bins of ten draws each: uniform on [0, 10] → P10 = 1, P50 = 5, P90 = 9
    hist = pd.DataFrame(
        {"bin_start": np.arange(10.0), "bin_end": np.arange(1.0, 11.0), "count": np.full(10, 10)}
    )
    hist.attrs["output"] = "payback"
    spec = spec_of(charts.histogram_chart(hist, unit="months"))
    bar = find(spec, "bar", "count")
    assert bar["encoding"]["x"]["bin"] == "binned" and bar["encoding"]["x2"]["field"] == "bin_end"
    assert bar["encoding"]["x"]["title"] == "payback (months)"
    assert len(rows(spec, bar)) == 10
    ref = rows(spec, find(spec, "rule", "value"))
    assert [r["value"] for r in ref] == pytest.approx([1.0, 5.0, 9.0])
    assert ref[0]["label"] == "P10 1.0 (90 % of draws above)"
    assert ref[2]["label"] == "P90 9.0 (10 % of draws above)"
    assert "estimated from the histogram" in subtitle_text(spec)
    svg = charts.to_svg(charts.histogram_chart(hist))
    marks = drawn(svg)
    assert sum(has_sized_bars([e]) for e in marks["rect"]) == 10
    assert len(marks["rule"]) == 3

    given = spec_of(charts.histogram_chart(hist, percentiles={"P10": 2.0, "P50": 4.0, "P90": 8.0}))
    assert [r["value"] for r in rows(given, find(given, "rule", "value"))] == [2.0, 4.0, 8.0]
    with pytest.raises(InputError, match="p90"):
        charts.histogram_chart(hist, percentiles={"p10": 1.0, "p50": 2.0})
    with pytest.raises(InputError, match="increasing"):
        charts.histogram_chart(hist.assign(bin_end=hist["bin_start"]))


def test_histogram_chart_takes_monte_carlo_summary(mc: risk.MonteCarloResult) -> None:
    summary = mc.summary().loc["cost"]
    spec = spec_of(charts.histogram_chart(mc.histogram("cost"), percentiles=summary))
    values = [r["value"] for r in rows(spec, find(spec, "rule", "value"))]
    assert values == pytest.approx(np.percentile(mc.outputs["cost"], [10, 50, 90]).tolist())
    assert sum(r["count"] for r in rows(spec, find(spec, "bar", "count"))) == mc.n_draws


# ---------------------------------------------------------------------------------------------
# roadmap, capacity, KPIs
# ---------------------------------------------------------------------------------------------


def test_gantt_chart_tasks_and_milestones() -> None:
    rm = gantt_roadmap()
    tasks, ms = roadmap.gantt_data(rm), roadmap.milestone_data(rm)
    spec = spec_of(charts.gantt_chart(tasks, ms))
    bar = find(spec, "bar", "row")
    data = pd.DataFrame(rows(spec, bar))
    assert len(data) == len(tasks) == len(rm.tasks)
    assert data["start"].tolist() == sorted(data["start"])  # top to bottom by start day
    assert bar["encoding"]["y"]["sort"] == data["row"].tolist()
    assert bar["encoding"]["x"]["title"] == "Days from programme start"
    assert bar["encoding"]["x2"]["field"] == "end"
    routing = data[data.task_id == "routing"].iloc[0]
    assert (routing["start"], routing["end"], routing["phase"]) == (
        30.0,
        75.0,
        tasks.set_index("task_id").loc["routing", "phase_name"],
    )
    points = pd.DataFrame(rows(spec, find(spec, "point")))
    assert len(points) == len(ms)
    assert set(points["day"]) == set(ms["day"].astype(float))
    assert len(set(bar["encoding"]["color"]["scale"]["domain"])) == 3  # three phases
    # the review lasts zero days: drawn as a tick
    assert [r["task_id"] for r in rows(spec, find(spec, "tick"))] == ["review"]


def test_gantt_chart_dates_are_utc() -> None:
    rm = gantt_roadmap()
    spec = spec_of(
        charts.gantt_chart(
            roadmap.gantt_data(rm, start_date="2026-01-05"),
            roadmap.milestone_data(rm, start_date="2026-01-05"),
        )
    )
    bar = find(spec, "bar", "row")
    assert bar["encoding"]["x"]["type"] == "temporal"
    assert bar["encoding"]["x"]["scale"]["type"] == "utc"
    first = rows(spec, bar)[0]
    assert (first["start"], first["end"]) == ("2026-01-05T00:00:00Z", "2026-01-25T00:00:00Z")


def test_gantt_chart_rejects_bad_input() -> None:
    tasks = roadmap.gantt_data(gantt_roadmap())
    with pytest.raises(InputError, match="baseline"):
        charts.gantt_chart(
            tasks.assign(end_day=np.where(tasks.task_id == "baseline", -1, tasks.end_day))
        )
    ms = pd.DataFrame({"task_id": ["T99"], "milestone_name": ["x"], "day": [3]})
    with pytest.raises(InputError, match="T99"):
        charts.gantt_chart(tasks, ms)
    with pytest.raises(InputError, match="missing column"):
        charts.gantt_chart(tasks.drop(columns="start_day"))


def test_capacity_chart_bands_requirement_and_gap(plan: pd.DataFrame) -> None:
    spec = spec_of(charts.capacity_chart(plan))
    assert len(spec["vconcat"]) == 2
    stack = pd.DataFrame(rows(spec, find(spec, "bar", "fte")))
    assert len(stack) == 3 * len(plan)
    # bars are paid FTE: the three bands add up to paid_fte (0.8 FTE per head)
    paid = stack.groupby("week", sort=False)["fte"].sum().to_numpy()
    assert paid == pytest.approx(plan["paid_fte"].to_numpy())
    assert paid == pytest.approx(0.8 * plan["headcount"].to_numpy())
    lines = pd.DataFrame(rows(spec, find(spec, "line", "fte")))
    req = lines[lines.series == "Required FTE"]["fte"].to_numpy()
    assert req == pytest.approx(plan["required_fte"].to_numpy())
    gap = pd.DataFrame(rows(spec, find(spec, "bar", "gap_fte")))
    assert gap["gap_fte"].to_numpy() == pytest.approx(plan["gap_fte"].to_numpy())
    assert (gap["state"] == np.where(plan["gap_fte"] < 0, "Shortfall", "Surplus")).all()
    assert stack["week"].iloc[0] == "2026-01-05"
    assert find(spec, "bar", "fte")["encoding"]["y"]["title"] == "FTE"


def test_kpi_chart_status_table() -> None:
    sc = kpi.scorecard({"csat": 0.82, "fcr": 0.67, "aht_s": 700})
    spec = spec_of(charts.kpi_chart(sc))
    text = pd.DataFrame(rows(spec, find(spec, "text", "text")))
    assert len(text) == 4 * len(sc)
    cell = text.set_index(["kpi", "column"])["text"]
    csat = sc.set_index("kpi").loc["csat", "label"]
    aht = sc.set_index("kpi").loc["aht_s", "label"]
    assert cell[csat, "Actual"] == "82.0 %"
    assert cell[aht, "Actual"] == "700 s" and cell[aht, "Gap"] == "-100 s"  # 600 s limit
    assert cell[aht, "Status"] == "missed"
    rect = find(spec, "rect", "status")
    scale = rect["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == dict(charts.STATUS_COLORS)
    assert rect["encoding"]["y"]["sort"] == sc["label"].tolist()
    bad = sc.assign(status="great")
    with pytest.raises(InputError, match="status"):
        charts.kpi_chart(bad)


# ---------------------------------------------------------------------------------------------
# SVG embedding, offline rendering, widgets
# ---------------------------------------------------------------------------------------------


def _clipped(n: int) -> alt.Chart:
    df = pd.DataFrame({"x": np.arange(n, dtype=float), "y": np.arange(n, dtype=float) ** 2})
    return (
        alt.Chart(df, title=f"clip {n} <&>")
        .mark_line(clip=True)
        .encode(x="x:Q", y=alt.Y("y:Q", scale=alt.Scale(domain=[0, 4])))
    )


def test_svg_html_namespaces_ids_per_chart() -> None:
    a, b = charts.svg_html(_clipped(5)), charts.svg_html(_clipped(6))
    assert a.startswith('<figure class="cxplan-chart" role="img" aria-label="clip 5 &lt;&amp;&gt;"')
    assert a == charts.svg_html(_clipped(5))  # deterministic
    ids_a = set(re.findall(r'\bid="([^"]+)"', a))
    ids_b = set(re.findall(r'\bid="([^"]+)"', b))
    assert ids_a and ids_b and not ids_a & ids_b  # raw SVGs both use "clip1"
    for fragment, ids in ((a, ids_a), (b, ids_b)):
        refs = set(re.findall(r"url\(#([^)]+)\)", fragment))
        assert refs and refs <= ids
    ET.fromstring(a.replace('role="img" ', ""))  # still well-formed XML


@pytest.fixture
def restore_renderer() -> Iterator[None]:
    name, options = alt.renderers.active, dict(alt.renderers.options)
    yield
    alt.renderers.enable(name, **options)


def _anywidget() -> bool:
    import importlib.util

    return importlib.util.find_spec("anywidget") is not None


@pytest.mark.usefixtures("restore_renderer")
def test_enable_offline_modes() -> None:
    assert charts.enable_offline("inline") == "inline"
    assert alt.renderers.active == "html"
    assert alt.renderers.options == {"template": "inline"}  # Vega bundled, no CDN
    assert charts.enable_offline("svg") == "svg"
    assert alt.renderers.active == "svg"
    if _anywidget():  # JupyterChart with Vega bundled by vl-convert
        assert charts.enable_offline() == "widget"
        assert alt.renderers.active == "jupyter"
        assert alt.renderers.options == {"offline": True}
        assert alt.JupyterChart._is_offline
    else:
        assert charts.enable_offline() == "inline"
        with pytest.raises(InputError, match="anywidget"):
            charts.enable_offline("widget")
    with pytest.raises(InputError, match="mode"):
        charts.enable_offline("cdn")  # type: ignore[arg-type]


@pytest.mark.usefixtures("restore_renderer")
def test_import_has_no_side_effects() -> None:
    # re-running the module's top-level code must leave altair's global state alone
    alt.renderers.enable("json")

    def state() -> tuple[Any, ...]:
        return (
            alt.renderers.active,
            dict(alt.renderers.options),
            alt.theme.active,
            alt.data_transformers.active,
        )

    before = state()
    importlib.reload(charts)
    assert state() == before


def test_chart_widget_updates_in_place() -> None:
    import ipywidgets

    first, second = _clipped(5), _clipped(6)
    widget = charts.chart_widget(first, backend="svg")
    assert isinstance(widget, ipywidgets.HTML)
    assert widget.value == charts.svg_html(first)
    charts.update_chart_widget(widget, second)
    assert widget.value == charts.svg_html(second)
    with pytest.raises(InputError, match="widget"):
        charts.update_chart_widget(object(), second)
    with pytest.raises(InputError, match="chart"):
        charts.chart_widget("not a chart")  # type: ignore[arg-type]
    if _anywidget():
        live = charts.chart_widget(first)  # auto → an offline JupyterChart
        assert isinstance(live, alt.JupyterChart) and alt.JupyterChart._is_offline
        assert live.spec["title"] == "clip 5 <&>"
        charts.update_chart_widget(live, second)
        assert live.spec["title"] == "clip 6 <&>"  # same widget, new chart
    else:
        assert isinstance(charts.chart_widget(first), ipywidgets.HTML)
        with pytest.raises(InputError, match="anywidget"):
            charts.chart_widget(first, backend="widget")


@pytest.mark.parametrize("value", [0, -5, 2.5, True])
@pytest.mark.parametrize("arg", ["width", "height"])
def test_sizes_must_be_positive_whole_pixels(arg: str, value: Any) -> None:
    with pytest.raises(InputError, match=arg):
        charts.cashflow_chart([-1.0, 2.0], **{arg: value})


def test_currency_must_be_text(comparison: pd.DataFrame) -> None:
    with pytest.raises(InputError, match="currency"):
        charts.cost_comparison_chart(comparison, currency="")
    with pytest.raises(InputError, match="comparison"):
        charts.cost_comparison_chart(comparison.drop(columns="total_cost"))
    with pytest.raises(InputError, match="kind"):
        charts.cost_comparison_chart(comparison, kind="pie")  # type: ignore[arg-type]


def test_to_svg_rejects_non_charts() -> None:
    with pytest.raises(InputError, match="chart"):
        charts.to_svg({"mark": "bar"})  # type: ignore[arg-type]
