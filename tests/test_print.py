"""Deliverables as a client gets them: reports printed to PDF, their pages, workbooks, chart files.

Two sources:

- a report built with :func:`cxplan.present.document.report_document` from tables and a chart
  (narrow and 25-column tables, a ``<script>`` in a cell), printed with
  :func:`cxplan.present.pdf.html_to_pdf` -- the presentation machinery on its own;
- the demo regions and the portfolio from ``cxplan report params/regions --formats
  html,pdf,xlsx,svg,png --workers 2`` (one run per module) -- the real reports end to end.

Checks: A4 pages (portrait, and landscape where a wide table sits), every character of every
page inside the page margins (nothing cut off), the region's name in ``<title>``, ``<h1>`` and
the page header, page numbers, text extracted from the PDF (PDFium), each section on a new page,
every table and chart inside the A4 content width measured in Chromium with print media (182 mm
portrait, 269 mm landscape), chart text at least 10 px as printed, no network request, the
workbook read back with openpyxl and its key figures equal to the results JSON. Page images
(PDF rendered to PNG) and screenshots go to ``tests/artifacts/print/`` for a person to look at.
"""

from __future__ import annotations

import html as html_lib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import browser_support as bs
import numpy as np
import openpyxl
import pandas as pd
import pytest

from cxplan.model import load_region
from cxplan.present import charts, document, pdf
from cxplan.present.tables import format_table

pytestmark = pytest.mark.browser

ARTIFACTS = bs.ARTIFACTS / "print"
MM = 72.0 / 25.4  # PDF points per millimetre
PX_PER_MM = 96.0 / 25.4  # CSS pixels per millimetre
A4 = (210.0 * MM, 297.0 * MM)
SIDE_MARGIN_MM = 14.0  # report.css @page margins (left and right)
PORTRAIT_CONTENT_PX = int((210.0 - 2 * SIDE_MARGIN_MM) * PX_PER_MM)  # 687
LANDSCAPE_CONTENT_PX = int((297.0 - 2 * SIDE_MARGIN_MM) * PX_PER_MM)  # 1016
REPORTS = [*bs.region_slugs(), "portfolio"]
ALL_FORMATS = "html,pdf,xlsx,svg,png"

SCI = re.compile(r"\b\d(?:\.\d+)?[eE][+-]\d+\b")
SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
FILE_NAME = re.compile(
    r"\S*/\S*|\b[\w-]+\.(?:csv|gz|xlsx|xls|yaml|yml|json|ipynb|html|pdf|png|svg)\b"
)
RAW_MISSING = re.compile(r"\b(?:nan|NaN|None|NaT)\b")


# ----------------------------------------------------------------------------- helpers


def page_geometry(data: bytes) -> list[dict[str, float]]:
    """Per page: size and the extent of its characters (PDF points, origin bottom left)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    out = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            width, height = page.get_size()
            text = page.get_textpage()
            boxes = [text.get_charbox(k) for k in range(text.count_chars())]
            boxes = [b for b in boxes if b[2] > b[0]]  # skip zero-width (spaces, breaks)
            out.append(
                {
                    "width": width,
                    "height": height,
                    "chars": len(boxes),
                    "left": min((b[0] for b in boxes), default=width / 2),
                    "right": max((b[2] for b in boxes), default=width / 2),
                    "bottom": min((b[1] for b in boxes), default=height / 2),
                    "top": max((b[3] for b in boxes), default=height / 2),
                }
            )
            text.close()
            page.close()
    finally:
        doc.close()
    return out


def check_pages(data: bytes) -> list[dict[str, float]]:
    """Every page A4 (either way round) with all its text inside the side margins."""
    pages = page_geometry(data)
    assert pages, "the PDF has no page"
    for number, page in enumerate(pages, start=1):
        size = sorted((page["width"], page["height"]))
        assert size == pytest.approx(sorted(A4), abs=1.0), (number, size)
        assert page["chars"] > 0, f"page {number} is blank"
        margin = SIDE_MARGIN_MM * MM - 1.0
        assert page["left"] >= margin, (number, page)
        assert page["right"] <= page["width"] - margin, (number, page)
        assert page["bottom"] >= 0 and page["top"] <= page["height"], (number, page)
    return pages


def save_pages(data: bytes, stem: str, *, dpi: float = 80.0) -> list[Path]:
    """PDF pages as PNG into tests/artifacts/print/ (checked to be real, non-blank images)."""
    from PIL import Image

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for stale in ARTIFACTS.glob(f"{stem}-page*.png"):
        stale.unlink()
    paths = []
    for number, png in enumerate(pdf.pdf_page_images(data, dpi=dpi), start=1):
        image = Image.open(io.BytesIO(png)).convert("L")
        assert image.size[0] > 400 and image.size[1] > 400
        assert np.asarray(image).std() > 5.0, f"page {number} renders blank"
        path = ARTIFACTS / f"{stem}-page{number:02d}.png"
        path.write_bytes(png)
        paths.append(path)
    print(f"page images: {paths[0].parent}/{stem}-page*.png")
    return paths


MEASURE_JS = """
() => {
  const box = (e) => {
    const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right};
  };
  const tables = Array.from(document.querySelectorAll('table')).map((t) => ({
    ...box(t),
    wide: !!t.closest('.cx-wide'),
    label: (t.querySelector('caption') || t.querySelector('th') || t)
      .textContent.trim().slice(0, 60),
  }));
  const charts = Array.from(document.querySelectorAll('figure.cxplan-chart > svg')).map((svg) => {
    const r = svg.getBoundingClientRect();
    const view = svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width
      ? svg.viewBox.baseVal.width : r.width;
    const scale = r.width / view;
    const sizes = Array.from(svg.querySelectorAll('text'))
      .filter((t) => t.textContent.trim())
      .map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
    return {left: r.left, right: r.right, wide: !!svg.closest('.cx-wide'),
            label: svg.parentElement.getAttribute('aria-label') || '',
            smallest: sizes.length ? Math.min(...sizes) : 99};
  });
  return {width: document.documentElement.clientWidth, tables, charts};
}
"""


def measure_print_layout(page: Any, html_path: Path, width_px: int) -> dict[str, Any]:
    page.set_viewport_size({"width": width_px, "height": 1200})
    page.emulate_media(media="print")
    page.goto(html_path.as_uri(), wait_until="load", timeout=60_000)
    result: dict[str, Any] = page.evaluate(MEASURE_JS)
    return result


def check_fits(page: Any, html_path: Path) -> dict[str, Any]:
    """Tables and charts inside the A4 content width; chart text ≥ 10 px as printed."""
    portrait = measure_print_layout(page, html_path, PORTRAIT_CONTENT_PX)
    width = portrait["width"]
    over = [
        (t["label"], round(t["right"] - width, 1))
        for t in portrait["tables"] + portrait["charts"]
        if not t["wide"] and (t["right"] > width + 0.5 or t["left"] < -0.5)
    ]
    assert over == [], f"wider than the portrait page ({width} px): {over}"
    charts_ = portrait["charts"]
    small = [(c["label"], round(c["smallest"], 1)) for c in charts_ if c["smallest"] < 10]
    assert small == [], f"chart text under 10 px when printed: {small}"
    landscape = measure_print_layout(page, html_path, LANDSCAPE_CONTENT_PX)
    over = [
        (t["label"], round(t["right"] - landscape["width"], 1))
        for t in landscape["tables"]
        if t["wide"] and t["right"] > landscape["width"] + 0.5
    ]
    assert over == [], f"wider than the landscape page: {over}"
    return portrait


# ------------------------------------------------------------------ the machinery alone


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with bs.chromium() as instance:
        yield instance


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


EVIL = "<script>window.__pwned = 1</script>"
SECTIONS = ["Summary", "Weekly plan", "Capacity plan", "Cash flow"]


@pytest.fixture(scope="module")
def built_report(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> dict[str, Any]:
    model = load_region(bs.DEMO_PARAMS / "north-america.yaml", monte_carlo_draws=400)
    capacity = model.capacity_plan.copy()
    capacity.insert(1, "note", [EVIL] + ["a long note that has to wrap in its cell"] * 25)
    html = document.report_document(
        "North America — Region report",
        [
            document.Section(SECTIONS[0], ["Peak 90 agents on the phones at once.", EVIL]),
            document.Section(SECTIONS[1], [format_table(model.weekly, caption="Weekly plan")]),
            document.Section(
                SECTIONS[2], [format_table(capacity, currency="USD", caption="Capacity plan")]
            ),
            document.Section(SECTIONS[3], [charts.cashflow_chart(model.initiative_cashflows)]),
        ],
    )
    folder = tmp_path_factory.mktemp("built")
    path = folder / "built.html"
    path.write_text(html, encoding="utf-8")
    data = pdf.html_to_pdf(html, title="North America — Region report", region="North America")
    (folder / "built.pdf").write_bytes(data)
    return {"html": html, "path": path, "pdf": data}


def test_built_report_prints_a4_with_sections_on_new_pages(built_report: dict[str, Any]) -> None:
    data = built_report["pdf"]
    pages = check_pages(data)
    texts = pdf.pdf_page_texts(data)
    starts = {name: [i for i, t in enumerate(texts) if t.lstrip().startswith(name)] for name in
              SECTIONS[1:]}  # fmt: skip
    assert all(starts[name] for name in SECTIONS[1:]), starts
    assert texts[0].lstrip().startswith("North America — Region report")  # h1 on page 1
    assert "Summary" in texts[0]  # the first section follows the title, no blank page
    # the 26-column capacity table sits on landscape pages, the others on portrait ones
    for i, text in enumerate(texts):
        landscape = pages[i]["width"] > pages[i]["height"]
        assert landscape == ("long note" in text), i
    total = len(texts)
    for i, text in enumerate(texts, start=1):
        assert f"Page {i} of {total}" in text and "North America" in text
    assert EVIL in "".join(texts)  # shown as text, never run
    save_pages(data, "built")


def test_built_report_fits_the_page_and_runs_no_script(
    built_report: dict[str, Any], page: Any
) -> None:
    guard = bs.NetworkGuard.attach(page)
    measured = check_fits(page, built_report["path"])
    assert len(measured["tables"]) == 2 and len(measured["charts"]) == 1
    assert page.evaluate("() => window.__pwned") is None
    assert page.title() == "North America — Region report"
    assert guard.problems() == {k: [] for k in guard.problems()}
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1200, "height": 900})
    bs.screenshot(page, "print/built-screen")


# -------------------------------------------------------------------- the real reports


@pytest.fixture(scope="module")
def deliverables(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> bs.BatchRun:
    out = tmp_path_factory.mktemp("deliverables") / "reports"
    run = bs.run_report(out, "--formats", ALL_FORMATS)
    print(f"deliverables batch: {out} ({run.duration_s:.0f} s)")
    return run.check()


def display_name(run: bs.BatchRun, name: str) -> str:
    return "Portfolio" if name == "portfolio" else str(run.result(name)["region"])


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("name", REPORTS)
def test_report_pdf_pages(deliverables: bs.BatchRun, name: str) -> None:
    data = (deliverables.out / f"{name}.pdf").read_bytes()
    pages = check_pages(data)
    texts = pdf.pdf_page_texts(data)
    region = display_name(deliverables, name)
    assert region in texts[0].split("\n")[0]  # the title opens page 1
    for i, text in enumerate(texts, start=1):
        # compared without white space: a landscape page's text comes out a glyph per line
        flat = "".join(text.split())
        assert f"Page{i}of{len(pages)}" in flat, i
        assert "".join(region.split()) in flat  # the page header names the region
    # the report's text is in the PDF (not an image): every section heading, for one
    html = (deliverables.out / f"{name}.html").read_text(encoding="utf-8")
    headings = [
        re.sub(r"<[^>]+>|¶", "", h[1]).strip()
        for h in re.findall(r"<h([12])\b[^>]*>(.*?)</h\1>", html, flags=re.DOTALL)
    ]
    assert headings, "the report has no heading"
    joined = " ".join(" ".join(t.split()) for t in texts)
    missing = [h for h in headings if " ".join(html_lib.unescape(h).split()) not in joined]
    assert missing == []
    save_pages(data, name)


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("name", REPORTS)
def test_report_html_title_fit_and_offline(deliverables: bs.BatchRun, page: Any, name: str) -> None:
    html_path = deliverables.out / f"{name}.html"
    guard = bs.NetworkGuard.attach(page)
    region = display_name(deliverables, name)
    measured = check_fits(page, html_path)
    assert measured["tables"] and (measured["charts"] or name == "portfolio") is not None
    assert region in page.title()
    assert region in page.locator("h1").first.inner_text()
    assert guard.problems() == {k: [] for k in guard.problems()}
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(html_path.as_uri(), wait_until="load")
    bs.screenshot(page, f"print/{name}-screen")


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("name", REPORTS)
def test_report_chart_files_and_download_links(deliverables: bs.BatchRun, name: str) -> None:
    html = (deliverables.out / f"{name}.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)" download>', html)
    assert len(links) == 2 * html.count('class="cxplan-chart"') > 0
    for link in links:
        data = (deliverables.out / link).read_bytes()
        assert link.startswith(f"{name}-")
        if link.endswith(".svg"):
            assert data.startswith(b"<svg") and b"http://www.w3.org/2000/svg" in data
        else:
            assert data[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("name", REPORTS)
def test_report_workbook(deliverables: bs.BatchRun, name: str) -> None:
    book = openpyxl.load_workbook(deliverables.out / f"{name}.xlsx")
    for ws in book.worksheets:
        assert ws.freeze_panes == "A4", ws.title
        headers = [c.value for c in ws[3] if c.value is not None]
        assert headers and not [h for h in headers if SNAKE.search(str(h))], ws.title
        for row in ws.iter_rows(min_row=4, max_row=min(ws.max_row, 60)):
            for cell in row:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    assert cell.number_format != "General", (ws.title, cell.coordinate)
                assert cell.value not in ("nan", "NaN", "None"), (ws.title, cell.coordinate)
    if name == "portfolio":
        regions = [c.value for c in book["Regions"]["A"][3:] if c.value]
        assert regions == sorted(display_name(deliverables, s) for s in bs.region_slugs())
        return
    result = deliverables.result(name)
    assert {"Key figures", "Assumptions", "Interval requirements", "Weekly plan"} <= set(
        book.sheetnames
    )
    assert {"Capacity plan", "Sourcing TCO", "Initiative cash flows", "Monte Carlo summary"} <= set(
        book.sheetnames
    )
    figures = {
        str(row[3].value): row[2].value for row in book["Key figures"].iter_rows(min_row=4)
    }
    # one number per question: the workbook's figures are the report's results
    assert figures["staffing.peak_agents"] == result["staffing"]["peak_agents"]
    assert figures["initiative.npv"] == pytest.approx(result["initiative"]["npv"], rel=1e-12)
    assert figures["risk.npv_p50"] == pytest.approx(result["risk"]["npv_p50"], rel=1e-12)
    interval = book["Interval requirements"]
    agents_col = [c.value for c in interval[3]].index("Agents required") + 1
    cells = interval.iter_rows(
        min_row=4, min_col=agents_col, max_col=agents_col, values_only=True
    )
    peak = max(v for (v,) in cells if isinstance(v, int | float))
    assert peak <= result["staffing"]["peak_agents"]  # per channel never above all channels
    assert peak >= max(result["staffing"]["peak_agents_by_channel"].values())


def report_text_problems(html: str) -> list[str]:
    """Visible text breaking the formatting rules (scientific notation, snake_case, NaN)."""
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.DOTALL | re.IGNORECASE)
    text = re.sub(r"<[^>]+>", "\n", body)
    words = [w for line in text.splitlines() for w in [line.strip()] if w]
    # file names and paths keep their underscores (pilot/demo_pilot.csv is what is on disk)
    words = [FILE_NAME.sub(" ", w) for w in words]
    return [w for w in words if SCI.search(w) or SNAKE.search(w) or RAW_MISSING.search(w)][:10]


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("name", REPORTS)
def test_report_text_follows_the_formatting_rules(deliverables: bs.BatchRun, name: str) -> None:
    html = (deliverables.out / f"{name}.html").read_text(encoding="utf-8")
    assert report_text_problems(html) == []


def test_printing_makes_no_network_request(browser: Any) -> None:
    html = (
        '<html><head><title>t</title><link rel="stylesheet" href="https://cdn.example.com/x.css">'
        '</head><body><h1>Offline</h1><img src="http://example.com/logo.png" alt="logo">'
        "</body></html>"
    )
    blocked: list[str] = []
    data = pdf.html_to_pdf(html, title="t", blocked=blocked, timeout_s=60)
    assert sorted(blocked) == ["http://example.com/logo.png", "https://cdn.example.com/x.css"]
    assert "Offline" in pdf.pdf_page_texts(data)[0]


def test_formatted_tables_pass_the_report_text_check() -> None:
    """The check above finds problems in raw frames and none in formatted ones."""
    frame = pd.DataFrame({"npv_p10": [1.363793e7, float("nan")]})
    assert report_text_problems(frame.to_html()) != []
    assert report_text_problems(format_table(frame, currency="USD").to_html()) == []


def test_results_json_is_untouched_by_the_presentation(tmp_path: Path) -> None:
    """Formatting never changes a figure: the table's raw values are the frame's."""
    model = load_region(bs.DEMO_PARAMS / "asia-pacific.yaml", monte_carlo_draws=200)
    table = format_table(model.weekly)
    column = next(c for c in table.columns if c.key == "scheduled_fte")
    assert list(column.values) == model.weekly["scheduled_fte"].tolist()
    head = json.loads(json.dumps(model.headline()))
    assert head["staffing"]["peak_agents"] == int(model.combined["agents"].max())
