"""What a user sees: the batch reports and the live planner in a real headless Chromium.

The reports come from one run of ``cxplan report params/regions --out <tmp> --workers 2`` per
session (:func:`browser_support.demo_batch`). The planner is ``notebooks/planner.ipynb`` served
by ``cxplan app --port N --no-browser`` (Voilà on 127.0.0.1). Every page runs behind a
:class:`browser_support.NetworkGuard`: only ``file:``/``data:``/``blob:`` and loopback requests
go through; anything else is aborted and recorded.

Expected figures are computed independently of the page: the report headlines from the region's
result JSON with :func:`cxplan.present.report.money`, the planner's KPIs from the region's
report result JSON (the page's starting values) or a region model built here with the same
overrides (after typing a value).

A full-page screenshot of every page is written to ``tests/artifacts/`` (git-ignored) for a
person to look at; the path is printed (``pytest -s`` or the captured output of a failure).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import browser_support as bs
import pytest

from cxplan.app.dashboard import case_figures, kpi_html, operation_figures, planner_charts
from cxplan.app.overrides import region_files, with_overrides
from cxplan.config.params import load_params
from cxplan.model import RegionModel
from cxplan.present.report import money

PLANNER = bs.REPO / "notebooks" / "planner.ipynb"
REPORTS = [*bs.region_slugs(), "portfolio"]
VIEWPORT = {"width": 1400, "height": 1000}
PLANNER_VIEWPORT = {"width": 1400, "height": 1900}  # Voilà scrolls inside the page: show it all

pytestmark = pytest.mark.browser


# --------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with bs.chromium() as instance:
        yield instance


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    planner = "planner" in request.node.name
    context = browser.new_context(viewport=PLANNER_VIEWPORT if planner else VIEWPORT)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="module")
def reports(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> bs.BatchRun:
    # depends on `browser`: without Chromium the test skips (or fails on CI) before the batch
    return bs.demo_batch(tmp_path_factory)


def open_report(page: Any, path: Path) -> bs.NetworkGuard:
    guard = bs.NetworkGuard.attach(page)
    page.goto(path.as_uri(), wait_until="load", timeout=60_000)
    return guard


def figure_count(html_path: Path) -> int:
    return html_path.read_text(encoding="utf-8").count('class="cxplan-chart"')


# ---------------------------------------------------------------------------------- reports


@pytest.mark.notebook
@pytest.mark.parametrize("name", REPORTS)
def test_report_opens_offline_and_every_chart_has_drawn(
    reports: bs.BatchRun, page: Any, name: str
) -> None:
    html_path = reports.out / f"{name}.html"
    assert html_path.is_file(), f"{html_path} was not written"
    guard = open_report(page, html_path)
    shot = bs.screenshot(page, f"report-{name}")
    assert shot.stat().st_size > 10_000

    figures = page.locator("figure.cxplan-chart")
    expected = figure_count(html_path)
    assert expected >= 1, "the report has no chart at all"
    assert figures.count() == expected
    # charts are inline SVG (cxplan.present.charts.svg_html), never an <img> the browser may not
    # decode
    assert page.locator("figure.cxplan-chart > svg").count() == expected
    for index in range(expected):
        figure = figures.nth(index)
        label = figure.get_attribute("aria-label")
        figure.scroll_into_view_if_needed()
        marks = bs.chart_marks(figure.locator("svg").first)
        assert marks["width"] > 100 and marks["height"] > 50, (label, marks)
        assert marks["drawn"] >= 1, f"chart {label!r} is an empty frame: {marks}"
        # most marks have a size (a few may legitimately be 0, e.g. a bar for a zero value)
        assert marks["drawn"] >= marks["items"] / 2, f"chart {label!r} barely drew: {marks}"

    assert guard.problems() == {
        "blocked": [],
        "failed": [],
        "console errors": [],
        "page errors": [],
    }


def summary_text(page: Any, marker: str) -> str:
    """The executive-summary output (the one cell output containing ``marker``), as shown."""
    block = page.locator(".jp-OutputArea-output", has_text=marker)
    assert block.count() == 1, f"expected one summary block containing {marker!r}"
    text: str = block.inner_text()
    return " ".join(text.split())


@pytest.mark.notebook
@pytest.mark.parametrize("slug", bs.region_slugs())
def test_region_report_headline_equals_its_result_json(
    reports: bs.BatchRun, page: Any, slug: str
) -> None:
    result = reports.result(slug)
    open_report(page, reports.out / f"{slug}.html")
    assert result["region"] in page.title()
    text = summary_text(page, "Recommendation:")
    cur = result["currency"]
    staffing, costs, ini, risk, plan = (
        result[k] for k in ("staffing", "costs", "initiative", "risk", "plan")
    )
    expected = [
        f"{staffing['average_scheduled_fte']:,.0f} scheduled FTE "
        f"({staffing['peak_agents']} agents on duty at the busiest interval)",
        f"the plan hires {plan['hires']} over {result['horizon_weeks']} weeks "
        f"({plan['hires_with_initiative']} with the initiative)",
        f"{costs['cheapest_option']} is the cheapest option",
        f"({money(costs['inhouse_cost_per_month'], cur)} a month in-house, all channels)",
        f"NPV {money(ini['npv'], cur)} over {ini['finance_horizon_months']} months",
        f"ROI {ini['roi'] * 100:,.0f} %",
        "payback not within the horizon"
        if ini["payback_months"] is None
        else f"payback in {ini['payback_months']:.1f} months",
        f"between {money(risk['npv_p10'], cur)} and {money(risk['npv_p90'], cur)} in 80 %",
    ]
    missing = [phrase for phrase in expected if phrase not in text]
    assert missing == [], f"not in the executive summary {text!r}"


@pytest.mark.notebook
def test_portfolio_headline_equals_the_region_results(reports: bs.BatchRun, page: Any) -> None:
    regions = [reports.result(slug) for slug in bs.region_slugs()]
    rows = {row["region"]: row for row in reports.result("portfolio")["regions"]}
    assert sorted(rows) == sorted(r["region"] for r in regions)
    for r in regions:  # the portfolio took its figures from the region results
        assert rows[r["region"]]["initiative_npv"] == r["initiative"]["npv"]
        assert rows[r["region"]]["cheapest_option"] == r["costs"]["cheapest_option"]
    currencies = {r["currency"] for r in regions}
    cur = currencies.pop() if len(currencies) == 1 else "(mixed currencies)"
    total_npv = sum(r["initiative"]["npv"] for r in regions)
    best = max(regions, key=lambda r: r["initiative"]["npv"])
    inhouse = sum(r["costs"]["inhouse_cost_per_month"] for r in regions)

    open_report(page, reports.out / "portfolio.html")
    text = summary_text(page, "portfolio NPV")
    expected = [
        f"{len(regions)} regions",
        f"{money(inhouse, cur)} a month in-house",
        f"portfolio NPV {money(total_npv, cur)}",
        f"largest in {best['region']} ({money(best['initiative']['npv'], cur)})",
        *(f"{r['region']}: {r['costs']['cheapest_option']}" for r in regions),
    ]
    missing = [phrase for phrase in expected if phrase not in text]
    assert missing == [], f"not in the portfolio summary {text!r}"


# ------------------------------------------------------------------------------ live planner

CHART_SVGS = ".cx-chart svg.marks"
KPI = '[data-kpi="{}"]'


@pytest.fixture(scope="module")
def planner_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[bs.VoilaApp]:
    bs.chromium_executable()  # skip/fail before starting a server when there is no browser
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    with bs.voila_app(PLANNER, log, str(bs.DEMO_PARAMS)) as app:  # the demo regions folder
        yield app
    assert app.proc.returncode is not None
    assert app.orphans == [], f"kernels left running after Voilà stopped: {app.orphans}"


def first_region() -> Path:
    """The region the planner opens on: the folder's first file."""
    return region_files(bs.DEMO_PARAMS)[0]


def open_planner(page: Any, app: bs.VoilaApp) -> bs.NetworkGuard:
    """Open the app and wait (bounded) for the KPI panel and four drawn charts."""
    guard = bs.NetworkGuard.attach(page)
    page.goto(app.url, wait_until="domcontentloaded", timeout=180_000)
    try:
        page.wait_for_selector(KPI.format("Peak agents"), timeout=180_000)
        page.wait_for_function(
            """(sel) => { const s = document.querySelectorAll(sel);
                return s.length >= 4 && Array.from(s).every(
                    (svg) => svg.querySelectorAll('g.role-mark > *').length > 0); }""",
            arg=CHART_SVGS,
            timeout=60_000,
        )
    except Exception:
        bs.screenshot(page, "planner-timeout")
        print(app.log_text())
        raise
    return guard


def shown_kpis(page: Any) -> dict[str, str]:
    values: dict[str, str] = page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('[data-kpi]'))
             .map((e) => [e.dataset.kpi, e.textContent]))"""
    )
    return values


def chart_signatures(page: Any) -> list[str]:
    signatures: list[str] = page.evaluate(
        """(sel) => Array.from(document.querySelectorAll(sel))
             .map((svg) => Array.from(svg.querySelectorAll('g.role-mark'))
             .map((g) => g.innerHTML).join('|'))""",
        CHART_SVGS,
    )
    return signatures


def control_row(page: Any, key: str) -> Any:
    """The row (slider, value box, message) of the control ``key`` (``cxplan.app.overrides``)."""
    found = page.locator(f".cx-control-{key}")
    assert found.count() == 1, f"no single control {key!r}"
    return found


def type_into(page: Any, key: str, text: str) -> None:
    """Type ``text`` into a control's value box and press Enter, as a user does."""
    box = control_row(page, key).locator(".widget-text input")
    box.fill(text)
    box.press("Enter")


def expected_kpis(model: RegionModel) -> dict[str, str]:
    """The KPI panel the planner must show for a model, computed outside the page."""
    return bs.kpi_values(kpi_html(operation_figures(model), case_figures(model), model.currency))


def report_kpis(result: dict[str, Any], params: Any) -> dict[str, str]:
    """The KPI panel built from a region's report result JSON (what ``cxplan report`` wrote)."""
    s, c, i = result["staffing"], result["costs"], result["initiative"]
    hybrid = f"hybrid {params.sourcing.vendor_share:.0%} to vendor"
    operation = {
        "peak_agents": s["peak_agents"],
        "peak_agents_by_channel": s["peak_agents_by_channel"],
        "scheduled_fte": s["average_scheduled_fte"],
        "inhouse_cost_per_month": c["inhouse_cost_per_month"],
        "sourcing_channel": c["sourcing_channel"],
        "sourcing_weeks": c["sourcing_horizon_weeks"],
        "cost_by_option": c["sourcing_total_by_option"],
        "cheapest_option": c["cheapest_option"],
        "hybrid_option": hybrid,
        "hybrid_cost": c["sourcing_total_by_option"][hybrid],
    }
    case = {
        "npv": i["npv"],
        "roi": i["roi"],
        "payback_months": i["payback_months"],
        "break_even_month": i["break_even_month"],
        "finance_months": i["finance_horizon_months"],
        "discount_rate": i["discount_rate_annual"],
        "sanity_flags": [],  # the flags are a list below the tiles, not data-kpi values
    }
    return bs.kpi_values(kpi_html(operation, case, result["currency"]))


def wait_for_kpis(page: Any, expected: dict[str, str], timeout_ms: float = 60_000) -> None:
    page.wait_for_function(
        """(want) => Object.entries(want).every(([k, v]) => {
             const e = document.querySelector(`[data-kpi="${k}"]`);
             return e !== null && e.textContent === v; })""",
        arg=expected,
        timeout=timeout_ms,
    )


@pytest.fixture(scope="module")
def planner_page(browser: Any, planner_app: bs.VoilaApp) -> Iterator[tuple[Any, bs.NetworkGuard]]:
    """One untouched planner page for the read-only checks below."""
    context = browser.new_context(viewport=PLANNER_VIEWPORT)
    try:
        page = context.new_page()
        guard = open_planner(page, planner_app)
        bs.screenshot(page, "planner")
        yield page, guard
    finally:
        context.close()


@pytest.mark.notebook
def test_planner_shows_the_reports_figures(
    planner_page: tuple[Any, bs.NetworkGuard], reports: bs.BatchRun
) -> None:
    # the page opens on the folder's first region with that file's own values: its KPI panel
    # equals the figures `cxplan report` wrote for that region
    page, _ = planner_page
    path = first_region()
    params = load_params(path)
    result = reports.result(path.stem)
    assert result["region"] == params.region.name
    assert shown_kpis(page) == report_kpis(result, params)
    assert set(result["channels"]) == {
        k.split(": ", 1)[1] for k in shown_kpis(page) if k.startswith("Peak agents: ")
    }  # every channel is shown


@pytest.mark.notebook
def test_planner_requests_nothing_off_this_machine(
    planner_page: tuple[Any, bs.NetworkGuard],
) -> None:
    _, guard = planner_page
    assert guard.blocked == []
    assert guard.failed == []
    assert guard.page_errors == []


@pytest.mark.notebook
def test_planner_kpis_have_definitions_and_no_raw_data(
    planner_page: tuple[Any, bs.NetworkGuard],
) -> None:
    page, _ = planner_page
    tiles: list[list[str]] = page.evaluate(
        """() => Array.from(document.querySelectorAll('.cx-kpi')).map((t) => [
             t.querySelector('.cx-kpi-label').textContent, t.getAttribute('title') || ''])"""
    )
    assert len(tiles) == 9
    for label, title in tiles:
        assert title.startswith(f"{label}: ") and len(title) > len(label) + 30, (label, title)
    text: str = page.inner_text("body")
    assert not re.search(r"\{'|\{\"|\bdict\(|\d\.\d{5,}|\de[+-]\d\d|\bNaN\b|\bnan\b", text)
    # the value boxes show units and separators, as typed values are read
    boxes: list[str] = page.evaluate(
        "() => Array.from(document.querySelectorAll('.widget-text input')).map((i) => i.value)"
    )
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+", b) for b in boxes)  # contacts
    assert any(b.endswith(" %") for b in boxes) and any(b.endswith(" s") for b in boxes)


@pytest.mark.notebook
def test_planner_value_boxes_are_visible(planner_page: tuple[Any, bs.NetworkGuard]) -> None:
    page, _ = planner_page
    hidden: list[str] = page.evaluate(
        """() => Array.from(document.querySelectorAll('.widget-text input')).filter((box) => {
             const r = box.getBoundingClientRect();
             const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
             return !(hit && (hit === box || box.contains(hit)));
           }).map((box) => box.value)"""
    )
    assert hidden == []


@pytest.mark.notebook
def test_planner_cost_chart_shows_every_option(
    planner_page: tuple[Any, bs.NetworkGuard],
) -> None:
    page, _ = planner_page
    labels: list[str] = page.locator('.cx-chart[data-chart="costs"] svg.marks').evaluate(
        """(svg) => Array.from(svg.querySelectorAll('.role-axis-label text'))
             .map((t) => t.textContent)"""
    )
    assert {"in-house", "outsourced", "hybrid 30% to vendor"} <= set(labels)


@pytest.mark.notebook
def test_planner_typed_values_update_kpis_and_charts(planner_app: bs.VoilaApp, page: Any) -> None:
    guard = open_planner(page, planner_app)
    params = load_params(first_region())
    voice = params.channels.voice
    assert voice is not None
    before_kpis, before_charts = shown_kpis(page), chart_signatures(page)

    # "7,500" contacts a week: read as 7500 (the old planner read 7), the figures follow and the
    # staffing chart (the first) redraws; the cost chart may compare another channel
    type_into(page, "weekly_contacts", "7,500")
    expected = RegionModel(with_overrides(params, {"channels.voice.weekly_contacts": 7500.0}))
    try:
        wait_for_kpis(page, expected_kpis(expected))
        page.wait_for_function(
            """([sel, before]) => { const now = Array.from(document.querySelectorAll(sel))
                 .map((svg) => Array.from(svg.querySelectorAll('g.role-mark'))
                 .map((g) => g.innerHTML).join('|'));
                 return now.length === before.length && now[0] !== before[0]; }""",
            arg=[CHART_SVGS, before_charts],
            timeout=30_000,
        )
    except Exception:
        bs.screenshot(page, "planner-typed-timeout")
        raise
    bs.screenshot(page, "planner-after-typing")
    # the tornado's subtitle states the new base-case NPV: sent as a signal of the running view
    # (no new embed), it shows the text the model's own chart has
    _, make = planner_charts(expected, ("tornado",))["tornado"]
    subtitle = make().chart().to_dict()["title"]["subtitle"]
    assert subtitle.startswith("Base case ")
    page.wait_for_function(
        """(want) => { const t = document.querySelector(
             '.cx-chart[data-chart="tornado"] .role-title-subtitle');
             return t !== null && t.textContent === want; }""",
        arg=subtitle,
        timeout=30_000,
    )
    row = control_row(page, "weekly_contacts")
    assert row.locator(".widget-text input").input_value() == "7,500"
    assert shown_kpis(page) == expected_kpis(expected)
    assert shown_kpis(page)["Peak agents"] != before_kpis["Peak agents"]

    # a decimal comma is refused beside the control; nothing else changes
    after = shown_kpis(page)
    type_into(page, "weekly_contacts", "7,5")
    message = row.locator(".cx-error")
    message.wait_for(timeout=10_000)
    assert "decimals with a point" in message.inner_text()
    assert row.locator(".widget-text input").input_value() == "7,500"
    page.wait_for_timeout(500)
    assert shown_kpis(page) == after

    # a share typed as "75%" is 75 %, not 100 %
    type_into(page, "max_occupancy", "75%")
    expected = RegionModel(
        with_overrides(
            params,
            {"channels.voice.weekly_contacts": 7500.0, "channels.voice.max_occupancy": 0.75},
        )
    )
    wait_for_kpis(page, expected_kpis(expected))
    # the box is rewritten in the control's own format once the figures are in (a later message)
    box = control_row(page, "max_occupancy").locator(".widget-text input")
    page.wait_for_function(
        "(el) => el.value === '75 %'", arg=box.element_handle(), timeout=10_000
    )
    assert box.input_value() == "75 %"
    assert guard.page_errors == []
    assert [u for u, k in zip(guard.blocked, guard.blocked_types, strict=True) if k != "font"] == []


@pytest.mark.notebook
def test_planner_region_selector_switches_region(
    planner_app: bs.VoilaApp, page: Any, reports: bs.BatchRun
) -> None:
    open_planner(page, planner_app)
    target = bs.DEMO_PARAMS / "north-america.yaml"
    params = load_params(target)
    page.locator(".widget-dropdown").filter(
        has=page.locator(".widget-label", has_text="Region")
    ).locator("select").select_option(label="North America")
    try:
        wait_for_kpis(page, report_kpis(reports.result("north-america"), params))
    except Exception:
        bs.screenshot(page, "planner-region-timeout")
        raise
    assert control_row(page, "aht_s").locator(".widget-text input").input_value() == "360 s"
