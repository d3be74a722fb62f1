"""What a user sees: the batch reports and the live planner in a real headless Chromium.

The reports come from one run of ``cxplan report params/regions --out <tmp> --workers 2`` per
session (:func:`browser_support.demo_batch`). The planner is ``notebooks/planner.ipynb`` served
by ``cxplan app --port N --no-browser`` (Voilà on 127.0.0.1). Every page runs behind a
:class:`browser_support.NetworkGuard`: only ``file:``/``data:``/``blob:`` and loopback requests
go through; anything else is aborted and recorded.

Expected figures are computed independently of the page: the report headlines from the region's
result JSON with :func:`cxplan.present.report.money`, the planner's KPIs with
:func:`cxplan.app.dashboard.compute` for the same parameters and the new slider setting.

A full-page screenshot of every page is written to ``tests/artifacts/`` (git-ignored) for a
person to look at; the path is printed (``pytest -s`` or the captured output of a failure).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import browser_support as bs
import pytest

from cxplan.app.dashboard import compute, initial_state, kpi_html
from cxplan.config.params import load_params
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
    """The executive-summary Markdown output (the one containing ``marker``), as shown."""
    block = page.locator(".jp-RenderedMarkdown.jp-OutputArea-output", has_text=marker)
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
    text = summary_text(page, "Staffing:")
    cur = result["currency"]
    staffing, costs, ini, risk = (result[k] for k in ("staffing", "costs", "initiative", "risk"))
    expected = [
        result["region"],
        f"peak {staffing['peak_agents']} agents on the phones at once",
        f"at most {staffing['max_scheduled_headcount']} heads in a week",
        f"{money(costs['inhouse_cost_per_month'], cur)} a month in-house",
        f"{costs['cheapest_option']} is cheapest over the horizon",
        f"NPV {money(ini['npv'], cur)}",
        f"from {money(risk['npv_p10'], cur)} (P10) to {money(risk['npv_p90'], cur)} (P90)",
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

CHART_SVGS = ".vega-embed svg.marks"
KPI = '[data-kpi="{}"]'


@pytest.fixture(scope="module")
def planner_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[bs.VoilaApp]:
    bs.chromium_executable()  # skip/fail before starting a server when there is no browser
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    with bs.voila_app(PLANNER, log) as app:
        yield app
    assert app.proc.returncode is not None
    assert app.orphans == [], f"kernels left running after Voilà stopped: {app.orphans}"


@pytest.fixture(scope="module")
def planner_params() -> Any:
    params_path = bs.notebook_parameter(PLANNER, "params_path")
    return load_params((PLANNER.parent / params_path).resolve())


def open_planner(page: Any, app: bs.VoilaApp) -> bs.NetworkGuard:
    """Open the app and wait (bounded) for the KPI panel and four drawn charts."""
    guard = bs.NetworkGuard.attach(page)
    page.goto(app.url, wait_until="domcontentloaded", timeout=120_000)
    try:
        page.wait_for_selector(KPI.format("Peak agents"), timeout=120_000)
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


def slider(page: Any, label: str) -> Any:
    """The ipywidgets 8 slider whose description is ``label``."""
    found = page.locator(".widget-hslider").filter(
        has=page.locator(".widget-label", has_text=label)
    )
    assert found.count() == 1, f"no single slider labelled {label!r}"
    return found


@pytest.mark.notebook
def test_planner_recomputes_kpis_and_charts_when_aht_moves(
    planner_app: bs.VoilaApp, planner_params: Any, page: Any
) -> None:
    guard = open_planner(page, planner_app)
    start = initial_state(planner_params)
    currency = planner_params.region.currency
    assert shown_kpis(page) == bs.kpi_values(kpi_html(compute(planner_params, start), currency))

    aht = slider(page, "AHT (s)")
    handle = aht.locator(".noUi-handle")
    assert float(handle.get_attribute("aria-valuenow")) == start.aht_s
    new_aht = start.aht_s + 120.0
    before_kpis, before_charts = shown_kpis(page), chart_signatures(page)

    # type the value into the slider's readout (ipywidgets 8: a contenteditable div) and press
    # Enter, as a user does to set an exact value
    readout = aht.locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(f"{new_aht:.0f}")
    moved = time.monotonic()
    page.keyboard.press("Enter")
    page.wait_for_function(
        """([sel, before]) => document.querySelector(sel).textContent !== before""",
        arg=[KPI.format("Peak agents"), before_kpis["Peak agents"]],
        timeout=2_000,
    )
    remaining_ms = max(1.0, 2_000 - (time.monotonic() - moved) * 1_000)
    page.wait_for_function(
        """([sel, before]) => { const now = Array.from(document.querySelectorAll(sel))
             .map((svg) => Array.from(svg.querySelectorAll('g.role-mark'))
             .map((g) => g.innerHTML).join('|'));
             return now.length === before.length && now[0] !== before[0]; }""",
        arg=[CHART_SVGS, before_charts],
        timeout=remaining_ms,
    )
    elapsed = time.monotonic() - moved
    assert elapsed <= 2.0, f"the KPI panel and the staffing chart took {elapsed:.2f} s"
    # the other charts follow in the same kernel callback; all four must have redrawn
    page.wait_for_function(
        """([sel, before]) => { const now = Array.from(document.querySelectorAll(sel))
             .map((svg) => Array.from(svg.querySelectorAll('g.role-mark'))
             .map((g) => g.innerHTML).join('|'));
             return now.length === before.length && now.every((s, i) => s !== before[i]); }""",
        arg=[CHART_SVGS, before_charts],
        timeout=10_000,
    )
    page.wait_for_timeout(300)  # let a late second update (if any) land before comparing
    bs.screenshot(page, "planner-after-aht")

    assert float(handle.get_attribute("aria-valuenow")) == new_aht
    expected = compute(planner_params, dataclasses.replace(start, aht_s=new_aht))
    shown = shown_kpis(page)
    assert shown == bs.kpi_values(kpi_html(expected, currency))
    assert shown["Peak agents"] == f"{expected.kpis['peak_agents']:.0f}"
    assert shown["Peak agents"] != before_kpis["Peak agents"]
    assert shown["Initiative NPV"] != before_kpis["Initiative NPV"]
    # the widgets and charts (anywidget JupyterChart, Vega bundled offline) load no code and no
    # data from the network (stylesheets, fonts and images are checked separately below)
    code_or_data = [
        url
        for url, kind in zip(guard.blocked, guard.blocked_types, strict=True)
        if kind not in ("stylesheet", "font", "image")
    ]
    assert code_or_data == []
    assert guard.page_errors == []


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
def test_planner_requests_nothing_off_this_machine(
    planner_page: tuple[Any, bs.NetworkGuard],
) -> None:
    _, guard = planner_page
    assert guard.blocked == []
    assert guard.failed == []


@pytest.mark.notebook
def test_planner_slider_readouts_are_visible(planner_page: tuple[Any, bs.NetworkGuard]) -> None:
    page, _ = planner_page
    hidden: list[str] = page.evaluate(
        """() => Array.from(document.querySelectorAll('.widget-hslider')).filter((s) => {
             const r = s.querySelector('.widget-readout').getBoundingClientRect();
             const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
             return !(hit && s.querySelector('.widget-readout').contains(hit));
           }).map((s) => s.querySelector('.widget-label').textContent)"""
    )
    assert hidden == []


@pytest.mark.notebook
def test_planner_cost_chart_shows_each_month(
    planner_page: tuple[Any, bs.NetworkGuard], planner_params: Any
) -> None:
    page, _ = planner_page
    # charts in cxplan.app.dashboard.Planner order: staffing, costs, cashflow, tornado
    cost_chart = page.locator(CHART_SVGS).nth(1)
    axis_labels: list[str] = cost_chart.evaluate(
        """(svg) => Array.from(svg.querySelectorAll('.role-axis-label text'))
             .map((t) => t.textContent)"""
    )
    bar_x: list[float] = cost_chart.evaluate(
        """(svg) => Array.from(svg.querySelectorAll('g.mark-rect.role-mark > path'))
             .map((p) => Math.round(p.getBBox().x * 10) / 10)"""
    )
    months = int(planner_params.finance.horizon_months)
    options = 3  # in-house, outsourced, hybrid (cxplan.app.dashboard.compute)
    assert len(bar_x) == options * months  # one bar per option and month...
    assert "1970-01-01" not in axis_labels
    assert len(set(bar_x)) == options * months  # ...each at its own place, none piled up
