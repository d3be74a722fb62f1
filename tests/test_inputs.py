"""Typed planner input (:mod:`cxplan.app.inputs`): read as people write it, or refused.

Issue 14: the planner read ``30,000`` as 30 contacts and ``75%`` (or ``75``) as a 100 %
occupancy cap. Every expected value below is the plain arithmetic of what the text says
(e.g. ``6 min`` = 6 × 60 s), written out in the table.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxplan.app.inputs import KINDS, format_value, parse_value
from cxplan.errors import InputError

READ = [
    # counts: thousands separators, suffixes, exponents
    ("30,000", "count", 30_000.0),
    ("30000", "count", 30_000.0),
    ("30 000", "count", 30_000.0),
    ("30\u202f000", "count", 30_000.0),  # narrow no-break space, as French locales print
    ("1,250,000", "count", 1_250_000.0),
    ("30k", "count", 30_000.0),
    ("30 K", "count", 30_000.0),
    ("2.5k", "count", 2_500.0),
    ("1.2m", "count", 1_200_000.0),
    ("1.2 million", "count", 1_200_000.0),
    ("1e4", "count", 10_000.0),
    ("  42 ", "count", 42.0),
    ("0", "count", 0.0),
    (".5k", "count", 500.0),
    # durations: bare seconds, units, clock notation
    ("360", "seconds", 360.0),
    ("360 s", "seconds", 360.0),
    ("360s", "seconds", 360.0),
    ("360 sec", "seconds", 360.0),
    ("6 min", "seconds", 6 * 60.0),
    ("6m", "seconds", 6 * 60.0),
    ("6.5 minutes", "seconds", 6.5 * 60.0),
    ("1.5h", "seconds", 1.5 * 3600.0),
    ("6:00", "seconds", 6 * 60.0),
    ("6:30", "seconds", 6 * 60.0 + 30.0),
    ("1:02:03", "seconds", 3600.0 + 2 * 60.0 + 3.0),
    ("1,200 s", "seconds", 1_200.0),
    # shares: percent sign, words, fractions, bare percentages
    ("75%", "share", 0.75),
    ("75 %", "share", 0.75),
    ("75 percent", "share", 0.75),
    ("82.5%", "share", 0.825),
    ("0.75", "share", 0.75),
    ("75", "share", 0.75),
    ("1", "share", 1.0),
    ("100", "share", 1.0),
    ("0", "share", 0.0),
    ("0.5%", "share", 0.005),
    # money: codes, symbols, per hour, suffixes
    ("24", "money", 24.0),
    ("24.50", "money", 24.5),
    ("USD 24.50", "money", 24.5),
    ("24.50 USD", "money", 24.5),
    ("usd 24.5", "money", 24.5),
    ("$24.50", "money", 24.5),
    ("$24.50/h", "money", 24.5),
    ("24.50 per hour", "money", 24.5),
    ("1.2k", "money", 1_200.0),
    ("$1,250", "money", 1_250.0),
    # months
    ("36", "months", 36.0),
    ("36 months", "months", 36.0),
    ("3 years", "months", 36.0),
    ("2y", "months", 24.0),
]


@pytest.mark.parametrize(("text", "kind", "expected"), READ)
def test_read_as_people_write_it(text: str, kind: str, expected: float) -> None:
    assert parse_value(text, kind, currency="USD") == pytest.approx(expected, rel=1e-12)  # type: ignore[arg-type]


REFUSED = [
    ("1,5", "count", "write decimals with a point"),  # a European decimal comma
    ("1,50", "money", "write decimals with a point"),
    ("1,2345", "count", "not a number"),
    ("12,34,567", "count", "not a number"),  # Indian grouping: not guessed
    ("abc", "count", "not a number"),
    ("", "count", "type a value"),
    ("   ", "share", "type a value"),
    ("30 apples", "count", "unknown unit 'apples'"),
    ("30k contacts", "count", "not a number"),
    ("75%", "seconds", "unknown unit '%' \\(expected a duration"),
    ("6 weeks", "seconds", "unknown unit 'weeks'"),
    ("6:75", "seconds", "00-59"),
    ("1:60:00", "seconds", "00-59"),
    ("30k", "share", "expected a percentage"),
    ("150", "share", "at most 100%"),
    ("EUR 24", "money", "in USD, not EUR"),
    ("€24", "money", "in USD, not EUR"),
    ("24 GBP", "money", "in USD, not GBP"),
    ("36.5", "months", "whole number of months"),
    ("1.5 weeks", "months", "expected whole months"),
    ("1e999", "count", "too large"),
    ("9" * 41, "count", "too long"),
]


@pytest.mark.parametrize(("text", "kind", "message"), REFUSED)
def test_refused_with_one_line_saying_why(text: str, kind: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        parse_value(text, kind, currency="USD")  # type: ignore[arg-type]
    assert "\n" not in str(info.value)
    assert isinstance(info.value, ValueError)


def test_unknown_kind_is_an_input_error() -> None:
    with pytest.raises(InputError, match="kind must be one of"):
        parse_value("1", "litres")  # type: ignore[arg-type]


SHOWN = [
    (30_000.0, "count", "30,000"),
    (1_234.5, "count", "1,234.5"),
    (360.0, "seconds", "360 s"),
    (0.75, "share", "75 %"),
    (0.825, "share", "82.5 %"),
    (24.5, "money", "24.50 USD"),
    (-1_500.0, "money", "\u22121,500.00 USD"),
    (36.0, "months", "36 months"),
]


@pytest.mark.parametrize(("value", "kind", "shown"), SHOWN)
def test_shown_with_separators_and_units(value: float, kind: str, shown: str) -> None:
    assert format_value(value, kind, currency="USD") == shown  # type: ignore[arg-type]


@given(
    kind=st.sampled_from(["count", "seconds", "money"]),
    value=st.floats(0.0, 1e7, allow_nan=False).map(lambda v: round(v, 1)),
)
def test_what_is_shown_reads_back(kind: str, value: float) -> None:
    shown = format_value(value, kind, currency="USD")  # type: ignore[arg-type]
    back = parse_value(shown, kind, currency="USD")  # type: ignore[arg-type]
    assert back == pytest.approx(value, abs=0.005 if kind == "money" else 1e-9)


@given(value=st.integers(0, 10_000).map(lambda v: v / 10_000))
def test_shares_read_back(value: float) -> None:
    assert parse_value(format_value(value, "share"), "share") == pytest.approx(value, abs=1e-12)


def test_every_kind_is_described() -> None:
    assert set(KINDS) == {"count", "seconds", "share", "money", "months"}
