"""Client-grade tables: column specs, headers, number formats, escaping (cxplan.present).

Every table a model produces is formatted and checked against the formatting rules of issue 14:
no scientific notation, no snake_case header, no ``nan``/``NaN``/``None`` cell, thousands
separators, the currency in money headers, every text HTML-escaped. Reference strings are
written out by hand here (the rounding rule is Excel's: halves away from zero on the shortest
decimal form, e.g. Excel shows 2.675 with format ``0.00`` as ``2.68``).
"""

from __future__ import annotations

import html
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from browser_support import DEMO_PARAMS
from hypothesis import given
from hypothesis import strategies as st

from cxplan.errors import InputError
from cxplan.model import RegionModel, load_region
from cxplan.present import exports
from cxplan.present.columns import COLUMNS, KINDS, ColumnSpec, column_spec, header_for, humanize
from cxplan.present.tables import FormattedTable, format_table
from cxplan.workforce import staffing

SCI = re.compile(r"\d[eE][+-]?\d")
SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
MISSING_WORDS = re.compile(r"\b(nan|NaN|None|NaT|inf)\b")


def rule_problems(texts: list[str]) -> list[str]:
    """Texts breaking a formatting rule (scientific notation, snake_case, raw missing values)."""
    bad = []
    for text in texts:
        if SCI.search(text) or SNAKE.search(text) or MISSING_WORDS.search(text):
            bad.append(text)
    return bad


@pytest.fixture(scope="module")
def model() -> RegionModel:
    # fewer Monte Carlo draws than the file's: the table shapes do not depend on the count
    return load_region(DEMO_PARAMS / "north-america.yaml", monte_carlo_draws=400)


# --------------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("name", "currency", "header"),
    [
        ("aht_s", None, "AHT (s)"),
        ("scheduled_fte", None, "Scheduled FTE"),
        ("cost_per_paid_hour", "USD", "Cost per paid hour (USD)"),
        ("weekly_contacts", None, "Contacts per week"),
        ("sl_target", None, "Service level target"),
        ("asa_s", None, "ASA (s)"),
        ("traffic_erl", None, "Traffic (Erlangs)"),
        ("agents_voice", None, "Agents required, voice"),
        ("inhouse_cost_per_month", "EUR", "In-house cost per month (EUR)"),
        ("nan_share", None, "Draws without a value"),
        ("payback_months", None, "Payback (months)"),
        ("interval_minutes", None, "Interval (min)"),
        ("hours_saved_per_month", None, "Paid hours saved per month"),
        # names not in the registry: unit suffix and word rules
        ("handle_time_s", None, "Handle time (s)"),
        ("monthly_fee", "GBP", "Fee per month (GBP)"),
        ("extra_cost_per_contact", "USD", "Extra cost per contact (USD)"),
        ("deflection_share", None, "Deflection share"),
        ("Year 1", None, "Year 1"),  # already readable: unchanged
    ],
)
def test_headers_from_snake_case_names(name: str, currency: str | None, header: str) -> None:
    assert header_for(name, currency=currency) == header


@pytest.mark.parametrize(
    ("name", "kind", "decimals"),
    [
        ("aht_s", "seconds", 0),
        ("occupancy", "percent", 1),
        ("total_cost", "money", 0),
        ("cost_per_contact", "money", 2),
        ("wage_per_hour", "money_per_hour", 2),
        ("scheduled_fte", "fte", 1),
        ("scheduled_headcount", "integer", 0),
        ("weekly_contacts", "count", 0),
        ("roi", "percent", 0),
        ("seed", "code", 0),
        ("week_start", "date", 0),
        ("month", "month", 0),
        ("fits_pilot", "bool", 0),
    ],
)
def test_kinds_and_decimals_of_real_columns(name: str, kind: str, decimals: int) -> None:
    spec = column_spec(name)
    assert (spec.kind, spec.digits) == (kind, decimals)


def test_every_registry_header_is_human() -> None:
    for name, spec in COLUMNS.items():
        assert spec.kind in KINDS, name
        assert not SNAKE.search(spec.title("USD")), (name, spec.title("USD"))
        assert spec.header == "" or spec.header[0].isupper() or spec.header[0] == "p", name


# ------------------------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("spec", "value", "text"),
    [
        (ColumnSpec("x", "money"), 1.363793e7, "13,637,930"),
        (ColumnSpec("x", "money"), -45_600.4, "−45,600"),
        (ColumnSpec("x", "money"), -0.4, "0"),  # no "-0"
        (ColumnSpec("x", "money_per_hour"), 50.147, "50.15"),
        (ColumnSpec("x", "ratio"), 58.112, "58.11×"),
        (ColumnSpec("x", "percent"), 0.8512, "85.1%"),
        (ColumnSpec("x", "percent", 0), 5.8112, "581%"),
        (ColumnSpec("x", "percent", signed=True), 0.05, "+5.0%"),
        (ColumnSpec("x", "fte"), 171.857143, "171.9"),
        (ColumnSpec("x", "count"), 39_043.726, "39,044"),
        (ColumnSpec("x", "number", 2), 2.675, "2.68"),  # Excel's display of 2.675 as 0.00
        (ColumnSpec("x", "integer"), 420.5, "421"),  # and of 420.5 as #,##0
        (ColumnSpec("x", "money"), 1e21, "1,000,000,000,000,000,000,000"),
        (ColumnSpec("x", "number", 3), 1e-9, "0.000"),
        (ColumnSpec("x", "date"), pd.Timestamp("2027-01-04"), "4 Jan 2027"),
        (ColumnSpec("x", "month"), np.datetime64("2027-03-01"), "Mar 2027"),
        (ColumnSpec("x", "datetime"), pd.Timestamp("2027-01-04 09:30"), "Mon 4 Jan 2027 09:30"),
        (ColumnSpec("x", "bool"), np.True_, "yes"),
        (ColumnSpec("x", "code"), 20261123.0, "20261123"),
        (ColumnSpec("x", "money"), float("nan"), "n/a"),
        (ColumnSpec("x", "money"), float("inf"), "n/a"),
        (ColumnSpec("x", "text"), None, "n/a"),
        (ColumnSpec("x", "date"), pd.NaT, "n/a"),
    ],
)
def test_cell_formats(spec: ColumnSpec, value: Any, text: str) -> None:
    assert spec.format(value) == text


@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    st.integers(min_value=0, max_value=4),
)
def test_numbers_are_never_scientific_and_round_to_the_shown_digits(x: float, digits: int) -> None:
    text = ColumnSpec("x", "number", digits).format(x)
    assert not SCI.search(text)
    assert re.fullmatch(r"−?\d{1,3}(,\d{3})*(\.\d+)?", text), text
    shown = Decimal(text.replace(",", "").replace("−", "-"))
    # within half a unit of the last shown digit of the float's shortest decimal form
    assert abs(shown - Decimal(repr(x))) <= Decimal(5).scaleb(-digits - 1)
    # and halves go away from zero (Excel's display rule)
    expected = Decimal(repr(abs(x))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    assert abs(shown) == expected


@pytest.mark.parametrize(
    ("kind", "excel"),
    [
        ("money", "#,##0;-#,##0"),
        ("money_per_hour", "#,##0.00;-#,##0.00"),
        ("percent", "0.0%"),
        ("fte", "#,##0.0;-#,##0.0"),
        ("date", "d mmm yyyy"),
        ("month", "mmm yyyy"),
        ("ratio", '#,##0.00"×";-#,##0.00"×"'),
        ("text", "@"),
    ],
)
def test_excel_number_formats(kind: str, excel: str) -> None:
    assert ColumnSpec("x", kind).excel_format() == excel  # type: ignore[arg-type]


def test_bad_specs_are_refused_with_the_rule() -> None:
    with pytest.raises(InputError, match="kind must be one of"):
        ColumnSpec("x", "currency")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="decimals"):
        ColumnSpec("x", "money", decimals=-1)


# ----------------------------------------------------------------------------------- tables


def model_tables(model: RegionModel) -> dict[str, FormattedTable]:
    """Every region table of the workbook, plus the interval table of each channel."""
    tables = exports.region_tables(model)
    for channel, frame in model.staffing.items():
        tables[f"staffing {channel}"] = format_table(frame.head(200), currency=model.currency)
    tables["combined"] = format_table(model.combined.head(200))
    tables["occupancy pricing"] = format_table(model.occupancy_pricing, currency="USD")
    tables["kpi scorecard"] = format_table(model.kpi_scorecard)
    tables["pilot design"] = format_table(model.pilot_design)
    tables["tornado raw"] = format_table(model.tornado, currency="USD")
    return tables


TABLE_NAMES = [
    "Interval requirements",
    "Weekly plan",
    "Monthly plan",
    "Capacity plan",
    "Cost per hour",
    "In-house cost",
    "Sourcing TCO",
    "Sourcing totals",
    "Initiative cash flows",
    "ROI summary (TEI)",
    "Monte Carlo summary",
    "NPV sensitivity",
    "FTE release and hiring",
    "staffing voice",
    "staffing chat",
    "staffing email",
    "combined",
    "occupancy pricing",
    "kpi scorecard",
    "pilot design",
    "tornado raw",
]


@pytest.fixture(scope="module")
def tables(model: RegionModel) -> dict[str, FormattedTable]:
    return model_tables(model)


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_model_tables_follow_the_formatting_rules(
    tables: dict[str, FormattedTable], name: str
) -> None:
    table = tables[name]
    frame = table.to_text_frame()
    assert list(frame.columns) == table.headers
    assert rule_problems(table.headers) == [], table.headers
    assert all(h == h.strip() for h in table.headers)
    cells = [str(v) for v in frame.to_numpy().ravel()]
    # text cells carry the model's own labels (option names, channels); numbers never break a rule
    numeric = [t for c in table.columns if c.numeric for t in c.texts]
    assert not [t for t in numeric if SCI.search(t) or MISSING_WORDS.search(t)]
    assert not [t for t in cells if MISSING_WORDS.search(t) or t in ("", "nan")]
    assert not [t for t in cells if SCI.search(t) and re.fullmatch(r"[\d.,e+\-−]+", t)]
    html_text = table.to_html()
    assert "nan" not in re.sub(r"<[^>]+>", " ", html_text).split()
    assert 'class="cx-table' in html_text


def test_money_headers_carry_the_currency_and_numbers_have_separators(
    tables: dict[str, FormattedTable],
) -> None:
    tco = tables["Sourcing TCO"]
    assert "Total cost (USD)" in tco.headers
    totals = tables["Sourcing totals"].to_text_frame()["Total cost (USD)"]
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})+", t) for t in totals)  # millions: separators


def test_vendor_hours_missing_for_in_house_say_why(tables: dict[str, FormattedTable]) -> None:
    tco = tables["Sourcing TCO"]
    column = next(c for c in tco.columns if c.key == "vendor_agent_hours")
    assert "n/a" in column.texts and column.note == 1
    assert tco.footnotes[0].startswith("not applicable")
    assert "n/a¹" in tco.to_text_frame(markers=True)[column.header].tolist()
    assert '<sup class="cx-marker"' in tco.to_html()


def test_meaningless_index_dropped_meaningful_index_named(model: RegionModel) -> None:
    assert format_table(model.tornado).headers[0] == "Input"  # RangeIndex: dropped
    assert format_table(model.weekly).headers[0] == "Week ending"  # weekly DatetimeIndex
    assert format_table(model.monthly).headers[0] == "Month"
    assert format_table(model.cost_mix).headers[0] == "Cost component"  # named index
    assert format_table(model.combined.head(3)).headers[0] == "Interval start"
    shifted = pd.DataFrame({"x": [1.0, 2.0]}, index=[5, 9])
    assert format_table(shifted).headers == ["", "X"]  # not 0..n-1: shown
    assert format_table(shifted, index=False).headers == ["X"]


@pytest.mark.parametrize(
    "evil",
    ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "a & b < c", "x|y*z_w"],
)
def test_every_text_is_escaped(evil: str) -> None:
    frame = pd.DataFrame({"region": [evil], "total_cost": [1.0]}, index=pd.Index([evil], name=evil))
    table = format_table(frame, caption=evil, notes=[evil], na_reasons={"total_cost": evil})
    out = table.to_html()
    assert "<script>" not in out and "<img" not in out
    assert html.escape(evil) in out
    markdown = table.to_markdown()
    assert "<script>" not in markdown and "<img" not in markdown
    assert "|" not in evil or "x&#124;y" in markdown  # no extra Markdown column


def test_mixed_currencies_put_the_code_in_each_money_cell() -> None:
    frame = pd.DataFrame(
        {"region": ["A", "B"], "currency": ["USD", "EUR"], "roadmap_cost": [1500.0, 2500.0]}
    )
    table = format_table(frame)
    assert "Roadmap cost" in table.headers  # no single currency for the header
    assert table.to_text_frame()["Roadmap cost"].tolist() == ["1,500 USD", "2,500 EUR"]
    money = next(c for c in table.columns if c.key == "roadmap_cost")
    assert money.excel_format(1) == '#,##0" EUR";-#,##0" EUR"'
    single = format_table(frame.iloc[:1])
    assert "Roadmap cost (USD)" in single.headers


def test_overrides_by_spec_kind_header_and_fields() -> None:
    frame = pd.DataFrame({"a_b": [0.5], "c": [3.0], "d": [1234.5], "e": [2.0]})
    table = format_table(
        frame,
        {
            "a_b": "percent",
            "c": "Custom header",
            "d": {"kind": "money", "decimals": 1},
            "e": ColumnSpec("Multiple", "ratio", 1),
        },
        currency="GBP",
    )
    assert table.headers == ["A b", "Custom header", "D (GBP)", "Multiple"]
    assert table.to_text_frame().iloc[0].tolist() == ["50.0%", "3.00", "1,234.5", "2.0×"]
    with pytest.raises(InputError, match="not in the table"):
        format_table(frame, {"zzz": "money"})
    with pytest.raises(InputError, match="na_reasons"):
        format_table(frame, na_reasons={"zzz": "why"})
    with pytest.raises(InputError, match="DataFrame"):
        format_table([1, 2])  # type: ignore[arg-type]


def test_wide_tables_are_marked_for_landscape(tables: dict[str, FormattedTable]) -> None:
    assert not tables["Weekly plan"].wide
    assert tables["Capacity plan"].wide  # 25 columns
    assert 'class="cx-table-block cx-wide"' in tables["Capacity plan"].to_html()
    assert not format_table(pd.DataFrame({"x": [1.0]}), landscape=False).wide


def test_html_is_deterministic_and_right_aligns_numbers(model: RegionModel) -> None:
    first = format_table(model.weekly).to_html()
    assert first == format_table(model.weekly).to_html()
    assert first.count('class="data row0 col1 cx-num"') == 1
    assert "text-align: right" in first  # numeric headers


def test_rollup_frame_from_the_staffing_engine_formats_cleanly() -> None:
    index = pd.date_range("2027-01-04", periods=96, freq="30min")
    volume = pd.Series(np.r_[np.zeros(16), np.full(64, 40.0), np.zeros(16)], index=index)
    table = staffing.staff_intervals(volume, staffing.VoiceChannel(aht_s=300.0))
    weekly = staffing.rollup(table, "D")
    out = format_table(weekly)
    assert rule_problems(out.headers) == []
    assert out.headers[0] == "Date"


def test_humanize_is_idempotent_on_readable_text() -> None:
    for name in COLUMNS:
        once = humanize(name)
        assert humanize(once) == once
