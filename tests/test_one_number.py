"""One number per question (issues 12 and 14): summary, tables and workbook show the result file.

One batch run renders the North America demo region (``cxplan report ... --formats html,xlsx``).
Each headline figure is read from the result JSON that run wrote, formatted as the report
formats it (prose: written out here by hand, money through ``cxplan.present.report.money``;
table cells through the column's :class:`~cxplan.present.columns.ColumnSpec`), and must appear
where a reader looks for it: the executive summary, the section tables and the workbook.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import browser_support as bs
import openpyxl
import pytest

from cxplan.present.columns import ColumnSpec
from cxplan.present.report import money

NORTH_AMERICA = Path(__file__).resolve().parent.parent / "params" / "regions" / "north-america.yaml"
SLUG = "north-america"


class ReportText(HTMLParser):
    """Visible text by ``<h2>`` section, and every table (caption, headers, body rows)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, list[str]] = {"": []}
        self.current = ""
        self.tables: list[dict[str, Any]] = []
        self._skip = 0  # inside <style>, <script> or <svg>
        self._heading: list[str] | None = None
        self._table: dict[str, Any] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self._sup = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "svg"):
            self._skip += 1
        elif tag == "h2":
            self._heading = []
        elif tag == "table":
            self._table = {"caption": "", "headers": [], "rows": []}
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "sup":  # footnote markers are not part of a cell's value
            self._sup += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "svg"):
            self._skip -= 1
        elif tag == "h2" and self._heading is not None:
            self.current = " ".join("".join(self._heading).replace("¶", "").split())
            self.sections.setdefault(self.current, [])
            self._heading = None
        elif tag == "caption" and self._table is not None and self._caption is not None:
            self._table["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._table is not None and self._row is not None:
            if self._row and not self._table["headers"]:
                self._table["headers"] = self._row
            elif self._row:
                self._table["rows"].append(self._row)
            self._row = None
        elif tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None
        elif tag == "sup":
            self._sup -= 1

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        for sink in (self._heading, self._caption):
            if sink is not None:
                sink.append(data)
        if self._cell is not None and not self._sup:
            self._cell.append(data)
        self.sections[self.current].append(data)

    def text(self, section: str) -> str:
        return " ".join(" ".join(self.sections[section]).split())

    def table(self, caption_start: str) -> dict[str, Any]:
        found = [t for t in self.tables if t["caption"].startswith(caption_start)]
        assert len(found) == 1, (caption_start, [t["caption"] for t in self.tables])
        return found[0]


def column(table: dict[str, Any], header: str) -> list[str]:
    i = table["headers"].index(header)
    return [row[i] for row in table["rows"]]


def cell(table: dict[str, Any], row_label: str, header: str) -> str:
    rows = [row for row in table["rows"] if row[0] == row_label]
    assert len(rows) == 1, (row_label, [r[0] for r in table["rows"]])
    return str(rows[0][table["headers"].index(header)])


def number(text: str) -> float:
    """A formatted cell as a number: ``−1,234.5`` → -1234.5."""
    return float(text.replace("−", "-").replace(",", "").replace("%", "").strip())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> bs.BatchRun:
    out = tmp_path_factory.mktemp("one-number") / "reports"
    run = bs.run_report(
        out, "--no-portfolio", "--formats", "html,xlsx", params=NORTH_AMERICA
    ).check()
    return run


@pytest.fixture(scope="module")
def result(rendered: bs.BatchRun) -> dict[str, Any]:
    return rendered.result(SLUG)


@pytest.fixture(scope="module")
def page(rendered: bs.BatchRun) -> ReportText:
    parser = ReportText()
    parser.feed((rendered.out / f"{SLUG}.html").read_text(encoding="utf-8"))
    parser.close()
    return parser


@pytest.fixture(scope="module")
def book(rendered: bs.BatchRun) -> Any:
    return openpyxl.load_workbook(rendered.out / f"{SLUG}.xlsx")


def pct(value: float) -> str:
    """A share in prose, as the summary writes it: 4.6028 → "460 %"."""
    return f"{100 * value:,.0f} %"


# ------------------------------------------------------------------- executive summary


SUMMARY_FIGURES = {
    "peak agents": lambda r: f"({r['staffing']['peak_agents']} agents on duty at the busiest",
    "scheduled FTE": lambda r: f"takes {r['staffing']['average_scheduled_fte']:,.0f} scheduled FTE",
    "in-house cost a month": lambda r: (
        f"({money(r['costs']['inhouse_cost_per_month'], r['currency'])} a month in-house"
    ),
    "NPV": lambda r: (
        f"NPV {money(r['initiative']['npv'], r['currency'])} over "
        f"{r['initiative']['finance_horizon_months']} months"
    ),
    "ROI": lambda r: f"ROI {pct(r['initiative']['roi'])}",
    "payback months": lambda r: f"payback in {r['initiative']['payback_months']:.1f} months",
    "P(payback within 12 months)": lambda r: (
        f"pays back within {r['risk']['payback_window_months']} months in "
        f"{pct(r['risk']['probability_payback_within_months'])}"
    ),
    "hires": lambda r: (
        f"the plan hires {r['plan']['hires']} over {r['horizon_weeks']} weeks "
        f"({r['plan']['hires_with_initiative']} with the initiative)"
    ),
    "FTE released": lambda r: (
        f"frees {r['initiative']['target_fte']:,.0f} FTE at full adoption, "
        f"{r['initiative']['fte_released_by_month']['12']:,.0f} of them by month 12"
    ),
}


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("figure", list(SUMMARY_FIGURES))
def test_the_executive_summary_shows_the_result_file(
    page: ReportText, result: dict[str, Any], figure: str
) -> None:
    assert result["staffing"]["peak_agents"] > 0 and result["initiative"]["npv"] != 0
    expected = SUMMARY_FIGURES[figure](result)
    text = page.text("Executive summary")
    assert expected in text, f"{figure}: {expected!r} not in {text!r}"


# ------------------------------------------------------------------------ section tables


@pytest.mark.notebook
@pytest.mark.slow
def test_the_staffing_section_shows_the_peak_and_the_scheduled_fte(
    page: ReportText, result: dict[str, Any]
) -> None:
    st = result["staffing"]
    assert f"Peak {st['peak_agents']} agents are on duty" in page.text(
        "Staffing by interval and channel"
    )
    weekly = page.table("Weekly requirement")
    # the summary's scheduled FTE is the weekly table's average (cells rounded to 0.1 FTE)
    fte = [number(v) for v in column(weekly, "Scheduled FTE")]
    assert len(fte) == result["horizon_weeks"]
    assert sum(fte) / len(fte) == pytest.approx(st["average_scheduled_fte"], abs=0.05)
    heads = [number(v) for v in column(weekly, "Scheduled headcount")]
    assert max(heads) == st["max_scheduled_headcount"]


@pytest.mark.notebook
@pytest.mark.slow
def test_the_business_case_table_totals_are_the_npv(
    page: ReportText, result: dict[str, Any]
) -> None:
    ini, cur = result["initiative"], result["currency"]
    tei = page.table("Benefits and costs by line")
    pv = f"Present value ({cur})"
    fmt = ColumnSpec(pv, "money").format
    assert cell(tei, "Net benefits", pv) == fmt(ini["npv"])
    assert cell(tei, "Total benefits", pv) == fmt(ini["pv_benefits"])
    assert cell(tei, "Total costs", pv) == fmt(-ini["pv_costs"])  # costs are negative
    # the break-even month the business-case prose states
    assert f"breaks even in month {ini['break_even_month']:.0f}" in page.text("Business case")


@pytest.mark.notebook
@pytest.mark.slow
def test_the_monte_carlo_table_is_the_risk_section_of_the_result(
    page: ReportText, result: dict[str, Any]
) -> None:
    rk = result["risk"]
    tables = [t for t in page.tables if t["caption"].endswith(f"(seed {rk['seed']})")]
    assert len(tables) == 1
    mc = tables[0]
    npv_row = [row for row in mc["rows"] if row[0].startswith("NPV")]
    assert len(npv_row) == 1
    for label, key in (("P10", "npv_p10"), ("P50", "npv_p50"), ("P90", "npv_p90")):
        shown = npv_row[0][mc["headers"].index(label)]
        decimals = len(shown.split(".")[1]) if "." in shown else 0
        # the value shown is the result's, to the precision shown
        assert abs(number(shown) - rk[key]) <= 0.5 * 10**-decimals + 1e-9, (label, shown)


@pytest.mark.notebook
@pytest.mark.slow
def test_the_plan_tables_show_the_hires_and_the_fte_released(
    page: ReportText, result: dict[str, Any]
) -> None:
    pl, ini = result["plan"], result["initiative"]
    hiring = page.table("Hiring classes")
    assert sum(number(v) for v in column(hiring, "Hires without the initiative")) == pl["hires"]
    assert (
        sum(number(v) for v in column(hiring, "Hires with the initiative"))
        == pl["hires_with_initiative"]
    )
    monthly = page.table("How the saving reaches the payroll")
    header = next(h for h in monthly["headers"] if h.startswith("FTE off the books"))
    fte = ColumnSpec(header, "fte").format
    for month, released in ini["fte_released_by_month"].items():
        if int(month) <= len(monthly["rows"]):
            assert cell(monthly, month, header) == fte(released), month


# ----------------------------------------------------------------------------- workbook


def key_figures(book: Any) -> dict[str, Any]:
    """``{key: cell}`` of the Key figures sheet (the key is in column D)."""
    rows = book["Key figures"].iter_rows(min_row=4)
    return {str(row[3].value): row[2] for row in rows if row[3].value is not None}


def sheet_rows(book: Any, name: str) -> list[dict[str, Any]]:
    ws = book[name]
    headers = [c.value for c in ws[3]]
    return [
        dict(zip(headers, row, strict=True)) for row in ws.iter_rows(min_row=4, values_only=True)
    ]


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize(
    ("key", "path", "number_format"),
    [
        ("staffing.peak_agents", ("staffing", "peak_agents"), "#,##0;-#,##0"),
        ("staffing.average_scheduled_fte", ("staffing", "average_scheduled_fte"), None),
        ("costs.inhouse_cost_per_month", ("costs", "inhouse_cost_per_month"), "#,##0;-#,##0"),
        ("initiative.npv", ("initiative", "npv"), "#,##0;-#,##0"),
        ("initiative.roi", ("initiative", "roi"), "0%"),
        ("initiative.payback_months", ("initiative", "payback_months"), None),
        (
            "risk.probability_payback_within_months",
            ("risk", "probability_payback_within_months"),
            "0%",
        ),
        ("plan.hires", ("plan", "hires"), "#,##0;-#,##0"),
        (
            "initiative.fte_released_by_month.12",
            ("initiative", "fte_released_by_month", "12"),
            None,
        ),
    ],
)
def test_the_workbook_key_figures_are_the_result_file(
    book: Any, result: dict[str, Any], key: str, path: tuple[str, ...], number_format: str | None
) -> None:
    value: Any = result
    for part in path:
        value = value[part]
    figure = key_figures(book)[key]
    assert figure.value == pytest.approx(value, rel=1e-12)
    if number_format is not None:  # a chance is a percentage, money has no decimals
        assert figure.number_format == number_format


@pytest.mark.notebook
@pytest.mark.slow
def test_the_workbook_tables_agree_with_the_result_file(book: Any, result: dict[str, Any]) -> None:
    st, ini, pl, rk = (result[k] for k in ("staffing", "initiative", "plan", "risk"))
    weekly = sheet_rows(book, "Weekly plan")
    assert sum(r["Scheduled FTE"] for r in weekly) / len(weekly) == pytest.approx(
        st["average_scheduled_fte"], rel=1e-12
    )
    assert max(r["Scheduled headcount"] for r in weekly) == st["max_scheduled_headcount"]
    tei = {r["Line"]: r for r in sheet_rows(book, "ROI summary (TEI)")}
    assert tei["Net benefits"]["Present value (USD)"] == pytest.approx(ini["npv"], rel=1e-12)
    release = sheet_rows(book, "FTE release and hiring")
    in_plan = [r for r in release if r["In plan"] == "yes"]
    assert sum(r["Hires baseline"] for r in in_plan) == pl["hires"]
    assert sum(r["Hires with initiative"] for r in in_plan) == pl["hires_with_initiative"]
    # month 12 ends in plan week 52 (12 × 365.25 / 12 / 7 = 52.2): its released FTE
    assert release[51]["Released FTE"] == pytest.approx(
        ini["fte_released_by_month"]["12"], rel=1e-12
    )
    mc = {r["Statistic"]: r for r in sheet_rows(book, "Monte Carlo summary")}
    assert mc["P10"]["NPV (USD)"] == pytest.approx(rk["npv_p10"], rel=1e-12)
    assert mc["Mean"]["Paid back within the window"] == pytest.approx(
        rk["probability_payback_within_months"], rel=1e-12
    )


def test_the_report_parser_reads_cells_headings_and_footnotes() -> None:
    # the parser the tests above rely on, on a hand-written page
    parser = ReportText()
    parser.feed(
        "<h2>Costs<a>¶</a></h2><p>Total 1.2 M USD</p><style>.x{}</style>"
        "<table><caption>Costs by line</caption><tr><th>Line</th><th>Value (USD)</th></tr>"
        "<tr><td>Net</td><td>1,234<sup>1</sup></td></tr></table><svg><text>9</text></svg>"
    )
    assert parser.text("Costs") == "Total 1.2 M USD Costs by line Line Value (USD) Net 1,234 1"
    table = parser.table("Costs by")
    assert cell(table, "Net", "Value (USD)") == "1,234"
    assert number("−1,234.5") == -1234.5
