"""Text from parameter, data and result files never becomes markup (issue 10, "injection").

:func:`cxplan.present.report.safe_text` is the one place where such text is made safe for
Markdown and HTML. The reference renderer is the one the batch reports are made with:
nbconvert's Markdown filter (mistune), followed by the standard library's HTML parser. "Safe"
is checked, not assumed: the rendered HTML must hold no element but the paragraph (or the
template's own), and its text must be the input itself (after the documented normalisation).
The browser test (``tests/test_browser_injection.py``) shows the same for the real report in
Chromium.
"""

from __future__ import annotations

import copy
import html
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_support import scaled
from nbconvert.filters.markdown import markdown2html

from cxplan.app import batch
from cxplan.config.params import load_params
from cxplan.config.yamlfile import load_yaml
from cxplan.model import RegionModel
from cxplan.present import report
from cxplan.present.report import (
    executive_summary,
    portfolio_summary,
    portfolio_table,
    safe_text,
)

REPO = Path(__file__).resolve().parent.parent
NORTH_AMERICA, _ = load_yaml(REPO / "params" / "regions" / "north-america.yaml")

# The payloads of issue 10 (found with initiative.name), and Markdown's own ways to a link.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<iframe srcdoc="<script>alert(1)</script>">',
    "[x](javascript:alert(1))",
    "![x](https://example.com/x.png)",
    "[x][1]\n\n[1]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<https://example.com/track.png>",
    "https://example.com/x and www.example.com and ops@example.com",
    "<style>body{display:none}</style>",
    '<meta http-equiv="refresh" content="0;url=https://example.com">',
    "<img src=https://example.com/beacon.png>",
    "`code` *em* _em_ **strong** ~~gone~~ $x^2$ \\[math\\]",
    "# heading",
    "- item",
    "1. item",
    "---",
    "===",
    "> quote",
    "| a | b |",
    "&amp; &lt;b&gt; &#60;script&#62;",  # entities in the source stay entities, shown as typed
    "line one\nline two\r\n\tthree",
    "Co\u0302te d'Ivoire",  # decomposed accent: shown composed (NFC)
    "evil\u202egnp.exe",  # a bidirectional override is dropped
    "lone \ud800 surrogate",
]


class _Elements(HTMLParser):
    """Record every start tag with its attributes and the text, entity references decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def rendered(markdown: str) -> _Elements:
    """The report's Markdown -> HTML (nbconvert/mistune), parsed."""
    parser = _Elements()
    parser.feed(markdown2html(markdown))
    parser.close()
    return parser


def shown(text: str) -> str:
    """What safe_text promises to show: NFC, one line, no bidi overrides, U+FFFD for surrogates."""
    text = re.sub("[\ud800-\udfff]", "\ufffd", text)
    text = re.sub("[\u202a-\u202e\u2066-\u2069]", "", text)
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[\s\x00-\x1f\x7f-\x9f]+", " ", text).strip()


def assert_literal(value: str) -> None:
    page = rendered(safe_text(value))
    tags = [tag for tag, _ in page.tags]
    expected = shown(value)
    assert tags == (["p"] if expected else []), (value, tags)
    assert "".join(page.text).strip() == expected


@pytest.mark.parametrize("payload", PAYLOADS)
def test_safe_text_renders_every_payload_as_its_literal_text(payload: str) -> None:
    assert_literal(payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_safe_text_is_literal_inside_the_report_templates(payload: str) -> None:
    # the places the prose puts a name: bold at a line start, in a bullet, after a colon
    text = safe_text(payload)
    page = rendered(f"**{text}** — plan\n\n- **Initiative ({text}):** saves\n- {text}: in-house")
    assert [tag for tag, _ in page.tags] == ["p", "strong", "ul", "li", "strong", "li"]
    assert all(attrs == [] for _, attrs in page.tags)
    assert "".join(page.text).count(shown(payload)) == 3


def test_safe_text_leaves_ordinary_names_as_they_are() -> None:
    # the demo regions' prose does not change (the committed notebooks' outputs stay valid)
    for name in ("North America", "Staccato micro-interactions", "hybrid 30% to vendor", "-4.0 %"):
        assert safe_text(name) == name
    assert safe_text("Tom & Jerry's") == "Tom &amp; Jerry&#39;s"
    assert html.unescape(safe_text("Tom & Jerry's")) == "Tom & Jerry's"  # HTML shows the same


@settings(max_examples=scaled(300))
@given(st.text())
def test_safe_text_is_literal_for_any_text(value: str) -> None:
    assert_literal(value)


@settings(max_examples=scaled(200))
@given(st.text(alphabet=st.sampled_from(list("<>[]()!`*_~$:@|#&;'\"\\/=-+.1 \nax")), max_size=40))
def test_safe_text_is_literal_for_markup_soup(value: str) -> None:
    assert_literal(value)


# ---------------------------------------------------------------- the report's own functions


def hostile_region(root: Path, name: str) -> RegionModel:
    data = copy.deepcopy(NORTH_AMERICA)
    data["region"]["name"] = "Tom & Jerry's"  # plain words: & and ' are allowed in region names
    data["forecast"] = {"horizon_weeks": 4}
    data["finance"] = {"monte_carlo_draws": 200}
    data["initiative"] = {"name": name}
    path = root / "regions" / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return RegionModel(load_params(path), params_root=root, monte_carlo_draws=200)


@pytest.fixture(scope="module")
def hostile(params_root: Path) -> RegionModel:
    return hostile_region(params_root, "<img src=x onerror=alert(1)> [x](javascript:alert(1))")


def test_executive_summary_shows_a_hostile_initiative_name_as_text(hostile: RegionModel) -> None:
    page = rendered(executive_summary(hostile))
    # only the summary's own markup: paragraphs, bold, lists, the demo notice in italics
    assert {tag for tag, _ in page.tags} <= {"p", "strong", "em", "ul", "ol", "li"}
    text = "".join(page.text)
    assert "roll <img src=x onerror=alert(1)> [x](javascript:alert(1)) out to every agent" in text
    assert "<img src=x onerror=alert(1)> [x](javascript:alert(1)) frees" in text


def portfolio_row(region: str, option: str) -> dict[str, Any]:
    # a result file as the region notebook writes it (the portfolio may read edited ones)
    return {
        "region": region,
        "currency": "USD",
        "weekly_contacts": {"voice": 1000.0},
        "staffing": {"peak_agents": 10, "average_scheduled_fte": 12.0},
        "costs": {
            "inhouse_cost_per_month": 1e5,
            "cost_per_paid_hour": 40.0,
            "cheapest_option": option,
        },
        "initiative": {
            "npv": 1e6,
            "roi": 2.0,
            "payback_months": 5.0,
            "fte_released_by_month": {"12": 4.0},
        },
        "risk": {"npv_p10": 5e5, "npv_p90": 2e6, "probability_payback_within_months": 0.9},
        "plan": {"hires": 10},
        "kpi": {"met": 3},
        "sanity_flags": [],
    }


def test_portfolio_summary_shows_hostile_result_files_as_text() -> None:
    table = portfolio_table(
        [
            portfolio_row("<script>alert(1)</script>", "<svg onload=alert(1)>"),
            portfolio_row("[x](javascript:alert(1))", "in-house"),
        ]
    )
    page = rendered(portfolio_summary(table))
    assert {tag for tag, _ in page.tags} <= {"ul", "li", "strong"}
    text = "".join(page.text)
    assert "<script>alert(1)</script>: <svg onload=alert(1)>" in text
    assert "[x](javascript:alert(1)): in-house" in text
    assert "largest in <script>alert(1)</script>" in text


def test_failure_banner_quotes_the_error_as_text() -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    failure = batch.Failure("r", "internal", "InputError: <img src=x onerror=alert(1)>")
    batch._add_failure_banner(nb, failure)
    page = rendered(nb.cells[0].source)
    assert [tag for tag, _ in page.tags] == ["p", "span"]
    assert "<img src=x onerror=alert(1)>" in "".join(page.text)


def test_planner_kpi_panel_and_status_escape_their_text(hostile: RegionModel) -> None:
    from cxplan.app import dashboard

    operation = dashboard.operation_figures(hostile)
    operation["hybrid_option"] = "<img src=x onerror=alert(1)>"
    case = dashboard.case_figures(hostile)
    case["sanity_flags"] = [("k", "<script>x</script>", "<img src=y onerror=alert(2)>")]
    parser = _Elements()
    parser.feed(dashboard.kpi_html(operation, case, "<b>"))
    assert {tag for tag, _ in parser.tags} <= {"style", "div", "span", "ul", "li", "b"}
    assert report.money(1e6, "<b>").endswith("<b>")  # the unit is shown, escaped, as typed
    text = "".join(parser.text)
    assert " <b>" in text and "<img src=x onerror=alert(1)>" in text
    assert "<script>x</script>" in text and "<img src=y onerror=alert(2)>" in text


def test_pandas_tables_escape_their_cells() -> None:
    # The notebooks show tables as DataFrames; their HTML (pandas' to_html, escape=True) holds
    # the text of a cell, never its markup.
    frame = pd.DataFrame({"cost": [1.0]}, index=pd.Index(["<img src=x onerror=alert(1)>"]))
    parser = _Elements()
    parser.feed(frame._repr_html_())
    assert "img" not in {tag for tag, _ in parser.tags}
    assert "<img src=x onerror=alert(1)>" in "".join(parser.text)


def test_formatted_tables_in_markdown_keep_hostile_cells_literal() -> None:
    from cxplan.present.tables import format_table

    evil = "[x](javascript:alert(1)) <img src=x onerror=alert(1)> a|b"
    frame = pd.DataFrame({"region": [evil], "total_cost": [1.0]})
    page = rendered(format_table(frame, caption=evil).to_markdown())
    tags = {tag for tag, _ in page.tags}
    assert tags <= {"p", "strong", "table", "thead", "tbody", "tr", "th", "td"}, tags
    assert "a" not in tags and "img" not in tags
    assert "".join(page.text).count(evil) == 2  # the caption and the cell, one cell each
