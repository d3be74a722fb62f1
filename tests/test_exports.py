"""Excel workbooks, the report shell and the deliverables of ``cxplan report --formats``.

Workbooks are read back with openpyxl (a different library from the XlsxWriter that writes them):
sheets, header text, frozen header row, column widths, number formats, and figures identical to
the model's (one number per question across the report, its JSON and its workbook).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from browser_support import DEMO_PARAMS

from cxplan.app import cli
from cxplan.errors import InputError, ReportError
from cxplan.model import RegionModel, load_region
from cxplan.present import document, exports, pdf, xlsx
from cxplan.present.columns import column_spec
from cxplan.present.tables import FormattedTable, format_table

SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
REQUIRED_SHEETS = [
    "Key figures",
    "Assumptions",
    "Interval requirements",
    "Weekly plan",
    "Capacity plan",
    "Sourcing TCO",
    "Initiative cash flows",
    "Monte Carlo summary",
]


@pytest.fixture(scope="module")
def model() -> RegionModel:
    return load_region(DEMO_PARAMS / "north-america.yaml", monte_carlo_draws=400)


@pytest.fixture(scope="module")
def tables(model: RegionModel) -> dict[str, FormattedTable]:
    return exports.region_tables(model)


@pytest.fixture(scope="module")
def workbook_data(model: RegionModel) -> bytes:
    return exports.region_workbook(model)


@pytest.fixture(scope="module")
def book(workbook_data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(workbook_data))


def list_rows(sheet: Any) -> dict[str, Any]:
    """``{key: value cell}`` of a Key figures / Assumptions sheet (key in column D)."""
    out = {}
    for row in sheet.iter_rows(min_row=xlsx.HEADER_ROW + 2):
        if row[3].value is not None:
            out[str(row[3].value)] = row[2]
    return out


# -------------------------------------------------------------------------------- workbook


def test_region_workbook_has_the_required_sheets(book: Any) -> None:
    assert book.sheetnames[: len(REQUIRED_SHEETS) - 6] == ["Key figures", "Assumptions"]
    assert set(REQUIRED_SHEETS) <= set(book.sheetnames)


@pytest.mark.parametrize("sheet", [*REQUIRED_SHEETS[2:], "Sourcing totals", "ROI summary (TEI)"])
def test_table_sheets_header_freeze_widths_and_formats(
    book: Any, tables: dict[str, FormattedTable], sheet: str
) -> None:
    ws = book[sheet]
    table = tables[sheet]
    assert ws["A1"].value.startswith("North America: ") and ws["A1"].font.b
    header_row = xlsx.HEADER_ROW + 1  # 1-based
    headers = [c.value for c in ws[header_row]][: len(table.columns)]
    assert headers == table.headers
    assert not [h for h in headers if SNAKE.search(h)]
    assert all(ws.cell(header_row, j + 1).font.b for j in range(len(headers)))
    assert ws.freeze_panes == f"A{header_row + 1}"  # the title, notes and header stay in view
    assert ws.auto_filter.ref is not None
    for j, column in enumerate(table.columns, start=1):
        letter = openpyxl.utils.get_column_letter(j)
        width = ws.column_dimensions[letter].width
        assert 6 <= width <= 62, (sheet, column.header, width)
        longest_cell = max(len(t) for t in column.texts[:200])
        assert width >= min(longest_cell, 60), (sheet, column.header, width, longest_cell)
    rows = min(len(table), 300)
    for j, column in enumerate(table.columns, start=1):
        for i in range(rows):
            cell = ws.cell(header_row + 1 + i, j)
            value = column.values[i]
            if value is None:
                assert cell.value == "n/a"
            elif column.numeric:
                assert isinstance(cell.value, int | float), (sheet, column.header, cell.value)
                assert cell.value == pytest.approx(value)
                assert cell.number_format == column.spec.excel_format()
                assert cell.number_format != "General"
            elif column.spec.temporal:
                assert isinstance(cell.value, dt.datetime)
                assert cell.number_format == column.spec.excel_format()
            else:
                assert cell.value not in ("nan", "None", "NaN")


def test_percent_money_and_date_formats(book: Any) -> None:
    ws = book["Interval requirements"]
    headers = [c.value for c in ws[xlsx.HEADER_ROW + 1]]
    row = xlsx.HEADER_ROW + 2
    assert ws.cell(row, headers.index("Service level") + 1).number_format == "0.0%"
    assert ws.cell(row, 1).number_format == "ddd d mmm yyyy hh:mm"
    tco = book["Sourcing TCO"]
    headers = [c.value for c in tco[xlsx.HEADER_ROW + 1]]
    assert tco.cell(row, headers.index("Total cost (USD)") + 1).number_format == "#,##0;-#,##0"
    assert tco.cell(row, 1).number_format == "mmm yyyy"


def test_footnote_for_missing_vendor_hours(book: Any, tables: dict[str, FormattedTable]) -> None:
    ws = book["Sourcing TCO"]
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert any(t.startswith("[1] n/a: not applicable") for t in texts)


def test_key_figures_are_the_models(book: Any, model: RegionModel) -> None:
    rows = list_rows(book["Key figures"])
    head = model.headline()
    assert rows["staffing.peak_agents"].value == head["staffing"]["peak_agents"]
    assert rows["initiative.npv"].value == pytest.approx(head["initiative"]["npv"])
    assert rows["initiative.npv"].number_format == "#,##0;-#,##0"
    assert rows["initiative.roi"].number_format == "0%"
    assert rows["weekly_contacts.voice"].value == head["weekly_contacts"]["voice"]
    assert rows["risk.seed"].value == str(head["risk"]["seed"])  # an identifier: no separators
    labels = [c.value for c in book["Key figures"]["B"] if c.value]
    assert not [x for x in labels if SNAKE.search(str(x))]


def test_assumptions_list_every_parameter_with_its_format(book: Any, model: RegionModel) -> None:
    rows = list_rows(book["Assumptions"])
    p = model.params
    assert rows["channels.voice.aht_s"].value == p.channels.voice.aht_s  # type: ignore[union-attr]
    assert rows["location.wage_per_hour"].number_format == "#,##0.00;-#,##0.00"
    assert rows["workforce.shrinkage"].number_format == "0%"
    assert rows["region.start_date"].value == dt.datetime(2027, 1, 4)
    assert rows["finance.seed"].value == str(p.finance.seed)
    sections = {c.value for c in book["Assumptions"]["A"][xlsx.HEADER_ROW + 1 :]}
    assert "Channels › Voice" in sections and "Initiative › Aht reduction" not in sections
    labels = {c.value for c in book["Assumptions"]["B"]}
    assert {"AHT (s)", "AHT reduction, low", "Wage per hour (USD)"} <= labels


def test_workbook_is_deterministic(model: RegionModel, workbook_data: bytes) -> None:
    assert exports.region_workbook(model) == workbook_data


def test_write_workbook_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.xlsx"
    frame = pd.DataFrame({"total_cost": [1.0, 2.0]})
    xlsx.write_workbook(target, {"Costs": frame}, title="R", currency="USD")
    good = target.read_bytes()
    wb = openpyxl.load_workbook(target)
    assert wb["Costs"]["A3"].value == "Total cost (USD)"

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        xlsx.write_workbook(target, {"Costs": frame * 2}, title="R")
    assert target.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.xlsx"]


def test_sheet_names_and_refusals() -> None:
    assert xlsx.sheet_name("a/b:c*d?[e]") == "a b c d e"
    assert len(xlsx.sheet_name("x" * 40)) == 31
    assert xlsx.sheet_name("x" * 40, taken=["x" * 31]) == "x" * 27 + " (2)"
    with pytest.raises(InputError, match="at least one"):
        xlsx.workbook_bytes({})
    with pytest.raises(InputError, match="FormattedTable or a DataFrame"):
        xlsx.workbook_bytes({"x": [1, 2]})  # type: ignore[dict-item]


def test_mixed_currency_workbook_puts_codes_in_cells() -> None:
    frame = pd.DataFrame(
        {"region": ["A", "B"], "currency": ["USD", "EUR"], "roadmap_cost": [1500.0, 2500.0]}
    )
    book = openpyxl.load_workbook(io.BytesIO(xlsx.workbook_bytes({"R": format_table(frame)})))
    ws = book["R"]
    assert ws["C4"].number_format == '#,##0" USD";-#,##0" USD"'
    assert ws["C5"].number_format == '#,##0" EUR";-#,##0" EUR"'


# ------------------------------------------------------------------------------ the shell


NBCONVERT_LIKE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"/><title>north-america</title>
<style>.jp-RenderedHTMLCommon table { table-layout: fixed; }</style></head>
<body class="jp-Notebook"><main>
<div class="jp-Cell"><h1 id="Region-report">Region report<a class="anchor-link" href="#Region-report">¶</a></h1></div>
<div class="jp-Cell"><h2 id="A">Executive summary</h2><p>text</p></div>
<div class="jp-Cell"><h2 id="B">Staffing</h2></div>
</main></body></html>
"""  # noqa: E501


def test_finish_report_sets_title_heading_css_and_first_section() -> None:
    out = document.finish_report(NBCONVERT_LIKE, title="North <America> — Region report")
    assert "<title>North &lt;America&gt; — Region report</title>" in out
    assert '<h1 id="Region-report">North &lt;America&gt; — Region report<a class="anchor-link"' in (
        out
    )
    assert '<body class="jp-Notebook cx-report">' in out
    assert '<h2 id="A" class="cx-first-section">' in out and '<h2 id="B">' in out
    assert out.index('<style id="cxplan-report-css">') > out.index("table-layout: fixed")
    assert document.finish_report(out, title="North <America> — Region report") == out
    css = document.report_css()
    assert "@page" in css and "size: A4" in css and "break-before: page" in css
    assert "url(" not in css and "@import" not in css


def test_report_heading_names_the_region_once() -> None:
    assert exports.report_heading(NBCONVERT_LIKE, "North America") == (
        "North America — Region report"
    )
    named = NBCONVERT_LIKE.replace("Region report<a", "North America plan<a")
    assert exports.report_heading(named, "north america") == "North America plan"
    assert exports.report_heading("<p>no heading</p>", "EMEA") == "EMEA"


def test_report_document_renders_every_block_kind(model: RegionModel) -> None:
    from cxplan.present import charts

    doc = document.report_document(
        "North America",
        [
            document.Section("Summary", ["Peak <90> agents.", document.Html("<p>ok</p>")]),
            document.Section("Plan", [format_table(model.weekly), model.monthly]),
            document.Section("Chart", [charts.cashflow_chart([-1.0, 2.0])]),
        ],
        subtitle="Region report",
    )
    assert "<p>Peak &lt;90&gt; agents.</p>" in doc and "<p>ok</p>" in doc
    assert doc.count('class="cx-table-block') == 2 and 'class="cxplan-chart"' in doc
    with pytest.raises(InputError, match="report block"):
        document.report_document("x", [document.Section("s", [object()])])


# ---------------------------------------------------------------------------- the formats


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ("html",)),
        ("", ("html",)),
        ("pdf", ("html", "pdf")),
        ("xlsx, PDF,html", ("html", "pdf", "xlsx")),
        (["png", "svg"], ("html", "svg", "png")),
    ],
)
def test_parse_formats(value: Any, expected: tuple[str, ...]) -> None:
    assert exports.parse_formats(value) == expected


def test_unknown_format_is_refused_with_the_choices() -> None:
    with pytest.raises(InputError, match=r"'docx'.*html, pdf, xlsx, svg, png"):
        exports.parse_formats("html,docx")


def test_report_outputs_for_a_region(tmp_path: Path) -> None:
    files = exports.report_outputs(
        NBCONVERT_LIKE,
        name="north-america",
        out_dir=tmp_path,
        formats=["html", "xlsx"],
        params_path=DEMO_PARAMS / "north-america.yaml",
        result=b'{"region": "North America"}',
    )
    assert sorted(p.name for p in files) == ["north-america.html", "north-america.xlsx"]
    html = files[tmp_path / "north-america.html"]
    assert isinstance(html, str) and "<title>North America — Region report</title>" in html
    book = openpyxl.load_workbook(io.BytesIO(files[tmp_path / "north-america.xlsx"]))  # type: ignore[arg-type]
    assert "Capacity plan" in book.sheetnames
    assert not list(tmp_path.iterdir())  # nothing written: the batch writes, atomically
    with pytest.raises(InputError, match="needs the parameter file"):
        exports.report_outputs(NBCONVERT_LIKE, name="x", out_dir=tmp_path, formats=["xlsx"])


def test_pdf_needs_chromium_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CXPLAN_CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(ReportError, match=r"needs Chromium.*CXPLAN_CHROMIUM"):
        pdf.find_chromium()
    with pytest.raises(ReportError, match="Chromium"):
        exports.check_formats(["pdf"])


def test_cli_formats_refused_up_front_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "reports"
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["report", str(DEMO_PARAMS), "--out", str(out), "--formats", "html,docx"])
    assert exit_info.value.code == 2
    assert "unknown report format(s) 'docx'" in capsys.readouterr().err
    monkeypatch.setenv("CXPLAN_CHROMIUM", "/nonexistent/chromium")
    code = cli.main(["report", str(DEMO_PARAMS), "--out", str(out), "--formats", "pdf"])
    err = capsys.readouterr().err
    assert code == 2 and "PDF export needs Chromium" in err and "Traceback" not in err
    assert not out.exists()


def test_column_spec_of_integer_month_is_not_a_date() -> None:
    frame = pd.DataFrame({"month": [0, 1, 2], "net": [1.0, 2.0, 3.0]})
    assert column_spec("month", frame["month"]).kind == "integer"
    assert format_table(frame).to_text_frame()["Month"].tolist() == ["0", "1", "2"]
