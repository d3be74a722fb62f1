"""Column specs: how a client sees each column of a cxplan table (header, unit, number format).

cxplan's frames carry their units in snake_case column names (``aht_s``, ``scheduled_fte``,
``cost_per_paid_hour``). A :class:`ColumnSpec` says how one column is shown: a human header, a
*kind* (money, FTE, seconds, a share shown as a percentage, a date, ...) and the decimals. The
same spec formats a cell for HTML and Markdown (:meth:`ColumnSpec.format`) and gives the Excel
number format (:meth:`ColumnSpec.excel_format`), so a figure reads the same in every export.

:func:`column_spec` finds the spec of a column: first the registry :data:`COLUMNS` of the column
names the cxplan models produce (and the parameter keys, for the assumptions sheet), then rules on
the name's words and unit suffix, then the column's dtype. :func:`header_for` is the header alone.

Examples
--------
>>> header_for("aht_s"), header_for("scheduled_fte"), header_for("weekly_contacts")
('AHT (s)', 'Scheduled FTE', 'Contacts per week')
>>> header_for("cost_per_paid_hour", currency="USD"), header_for("sl_target")
('Cost per paid hour (USD)', 'Service level target')
>>> column_spec("occupancy").format(0.8512), column_spec("inhouse_cost").format(1.363793e7)
('85.1%', '13,637,930')
>>> column_spec("total_cost").excel_format("EUR")
'#,##0;-#,##0'
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from cxplan.errors import InputError
from cxplan.present._registry import PER_CHANNEL, SPECS

__all__ = [
    "COLUMNS",
    "KINDS",
    "ColumnSpec",
    "Kind",
    "column_spec",
    "header_for",
    "humanize",
    "is_missing",
]

Kind = Literal[
    "money",
    "money_per_hour",
    "count",
    "integer",
    "number",
    "fte",
    "hours",
    "seconds",
    "minutes",
    "days",
    "weeks",
    "months",
    "percent",
    "ratio",
    "date",
    "month",
    "datetime",
    "text",
    "code",
    "bool",
]

#: Every kind a column can have.
KINDS: tuple[str, ...] = get_args(Kind)

#: Kinds whose values are numbers (right-aligned, Excel number formats).
_NUMERIC = frozenset(KINDS) - {"date", "month", "datetime", "text", "code", "bool"}
_TEMPORAL = frozenset({"date", "month", "datetime"})

# decimals and the unit put after the header, per kind ("{cur}" is the currency code)
_DEFAULT_DECIMALS: dict[str, int] = {
    "money": 0,
    "money_per_hour": 2,
    "count": 0,
    "integer": 0,
    "number": 2,
    "fte": 1,
    "hours": 0,
    "seconds": 0,
    "minutes": 1,
    "days": 0,
    "weeks": 0,
    "months": 1,
    "percent": 1,
    "ratio": 2,
}
_DEFAULT_UNIT: dict[str, str] = {
    "money": "{cur}",
    "money_per_hour": "{cur}",
    "hours": "h",
    "seconds": "s",
    "minutes": "min",
    "days": "days",
    "weeks": "weeks",
    "months": "months",
}

_MINUS = "\u2212"  # typographic minus sign for display text (Excel gets real numbers)
NA_TEXT = "n/a"


def is_missing(value: Any) -> bool:
    """Whether a cell has no value to show: ``None``, ``NaN``, ``NaT``, ``pd.NA`` or ±inf.

    Examples
    --------
    >>> [is_missing(v) for v in (None, float("nan"), float("inf"), pd.NaT, 0.0, "")]
    [True, True, True, True, False, False]
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return not math.isfinite(float(value))
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # arrays and other containers are values, not missing
        return False


@dataclass(frozen=True)
class ColumnSpec:
    """How one column is shown.

    Parameters
    ----------
    header : str
        The human header without its unit, e.g. ``"Cost per paid hour"``.
    kind : str
        One of :data:`KINDS`: ``money`` (whole currency units), ``money_per_hour`` (two
        decimals), ``count`` (things counted, may be fractional forecasts: shown whole),
        ``integer``, ``number``, ``fte``, durations ``hours``/``seconds``/``minutes``/``days``/
        ``weeks``/``months``, ``percent`` (a fraction 0.85 shown as ``85.0%``), ``ratio``
        (``1.25×``), ``date`` (``4 Jan 2027``), ``month`` (``Jan 2027``), ``datetime``
        (``Mon 4 Jan 2027 09:30``), ``text``, ``code`` (an identifier or seed: digits without
        separators) or ``bool`` (``yes``/``no``).
    decimals : int, optional
        Digits after the point (default: the kind's; ignored for non-numeric kinds).
    unit : str, optional
        The unit after the header in brackets; ``None`` takes the kind's (``s`` for seconds,
        the currency for money), ``""`` shows none. ``"{cur}"`` stands for the currency.
    signed : bool
        Show a ``+`` on positive numbers (gaps, changes).
    """

    header: str
    kind: Kind = "number"
    decimals: int | None = None
    unit: str | None = None
    signed: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InputError(f"kind must be one of {', '.join(KINDS)} (got {self.kind!r})")
        if not isinstance(self.header, str):
            raise InputError(f"header must be a string (got {self.header!r})")
        if self.decimals is not None and (
            isinstance(self.decimals, bool)
            or not isinstance(self.decimals, int)
            or not 0 <= self.decimals <= 10
        ):
            raise InputError(f"decimals must be a whole number 0..10 (got {self.decimals!r})")

    # ------------------------------------------------------------------------------ properties

    @property
    def numeric(self) -> bool:
        """Whether the values are numbers (right-aligned; Excel number formats)."""
        return self.kind in _NUMERIC

    @property
    def temporal(self) -> bool:
        """Whether the values are dates or times."""
        return self.kind in _TEMPORAL

    @property
    def digits(self) -> int:
        """The decimals in effect."""
        if self.decimals is not None:
            return self.decimals
        return _DEFAULT_DECIMALS.get(self.kind, 0)

    def replace(self, **changes: Any) -> ColumnSpec:
        """Return a copy with some fields changed (``spec.replace(decimals=2)``)."""
        return dataclasses.replace(self, **changes)

    def unit_text(self, currency: str | None = None) -> str:
        """Return the unit shown after the header (``"USD"``, ``"s"``), or ``""``."""
        unit = _DEFAULT_UNIT.get(self.kind, "") if self.unit is None else self.unit
        if "{cur}" in unit:
            if not currency:
                return ""
            unit = unit.replace("{cur}", currency)
        return unit

    def title(self, currency: str | None = None) -> str:
        """Return the header with its unit: ``"AHT (s)"``, ``"Total cost (USD)"``.

        A unit already written at the end of the header (``"Traffic (Erlangs)"``) is not
        repeated.
        """
        unit = self.unit_text(currency)
        if not unit or self.header.endswith(f"({unit})"):
            return self.header
        return f"{self.header} ({unit})" if self.header else unit

    # ------------------------------------------------------------------------------ formatting

    def format(self, value: Any, currency: str | None = None) -> str:
        """Format one value as display text (no markup; missing values give ``"n/a"``).

        Numbers get thousands separators and never scientific notation; negative numbers a
        minus sign (U+2212). ``currency`` is only written into the cell when the header cannot
        carry it (a table mixing currencies passes it per cell).

        Examples
        --------
        >>> ColumnSpec("NPV", "money").format(-1234567.8)
        '−1,234,568'
        >>> ColumnSpec("Gap", "fte", signed=True).format(2.25)
        '+2.3'
        >>> ColumnSpec("Start", "date").format(pd.Timestamp("2027-01-04"))
        '4 Jan 2027'
        >>> ColumnSpec("Share", "percent").format(None)
        'n/a'
        """
        if is_missing(value):
            return NA_TEXT
        kind = self.kind
        if kind == "text":
            return str(value)
        if kind == "code":
            if isinstance(value, float | np.floating) and float(value).is_integer():
                return str(int(value))
            return str(value)
        if kind == "bool":
            return "yes" if bool(value) else "no"
        if kind in _TEMPORAL:
            return _format_time(value, kind)
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(value)  # a label in a numeric column (e.g. "total"): shown as it is
        if not math.isfinite(number):
            return NA_TEXT
        if kind == "percent":
            text = _fixed(100.0 * number, self.digits, self.signed) + "%"
        elif kind == "ratio":
            text = _fixed(number, self.digits, self.signed) + "×"
        else:
            text = _fixed(number, self.digits, self.signed)
        if currency and kind in ("money", "money_per_hour"):
            text = f"{text} {currency}"
        return text

    def excel_format(self, currency: str | None = None, *, in_cell: bool = False) -> str:
        """Return the Excel number format of this column (an explicit one: never "General").

        Parameters
        ----------
        currency : str, optional
            Currency code; only written into the format when ``in_cell`` (the header carries
            it otherwise).
        in_cell : bool
            Put the currency code into each cell (for tables mixing currencies).

        Examples
        --------
        >>> ColumnSpec("Occupancy", "percent").excel_format()
        '0.0%'
        >>> ColumnSpec("Cost", "money_per_hour").excel_format("GBP", in_cell=True)
        '#,##0.00" GBP";-#,##0.00" GBP"'
        """
        kind = self.kind
        if kind == "date":
            return "d mmm yyyy"
        if kind == "month":
            return "mmm yyyy"
        if kind == "datetime":
            return "ddd d mmm yyyy hh:mm"
        if kind in ("text", "code", "bool"):
            return "@"
        places = "." + "0" * self.digits if self.digits else ""
        if kind == "percent":
            body = f"0{places}%"
            return f"+{body};-{body};{body}" if self.signed else body
        body = f"#,##0{places}"
        suffix = ""
        if kind == "ratio":
            suffix = '"×"'
        elif in_cell and currency and kind in ("money", "money_per_hour"):
            suffix = f'" {_excel_quote(currency)}"'
        positive = f"+{body}{suffix}" if self.signed else f"{body}{suffix}"
        return f"{positive};-{body}{suffix}"


def _excel_quote(text: str) -> str:
    return text.replace('"', "")


def _fixed(number: float, digits: int, signed: bool) -> str:
    """``1,234.5``: thousands separators, a real minus sign, no ``-0``, halves rounded up.

    Halves round away from zero on the shortest decimal form of the float (``420.5`` → ``421``,
    ``2.675`` → ``2.68``), as Excel displays the same number with the column's number format,
    so a table and its workbook show the same figure (Python's own formatting would round half
    to even on the binary value: ``420``, ``2.67``).
    """
    quantum = decimal.Decimal(1).scaleb(-digits)
    rounded = decimal.Decimal(repr(abs(float(number)))).quantize(
        quantum, rounding=decimal.ROUND_HALF_UP
    )
    text = f"{rounded:,.{digits}f}"
    if float(text.replace(",", "")) == 0.0:
        return text
    if number < 0:
        return _MINUS + text
    return "+" + text if signed else text


def _format_time(value: Any, kind: str) -> str:
    if isinstance(value, str):
        text = value
        try:
            value = pd.Timestamp(text)
        except (ValueError, TypeError):
            return text
    if isinstance(value, dt.date | np.datetime64 | pd.Timestamp):
        stamp = pd.Timestamp(value)
        if pd.isna(stamp):
            return NA_TEXT
        if kind == "month":
            return f"{stamp:%b %Y}"
        if kind == "datetime":
            return f"{stamp:%a} {stamp.day} {stamp:%b %Y %H:%M}"
        return f"{stamp.day} {stamp:%b %Y}"
    return str(value)


# ------------------------------------------------------------------------------- headers


# Words shown differently from their snake_case token.
_WORDS: dict[str, str] = {
    "aht": "AHT",
    "asa": "ASA",
    "fte": "FTE",
    "ftes": "FTEs",
    "npv": "NPV",
    "irr": "IRR",
    "roi": "ROI",
    "tco": "TCO",
    "tei": "TEI",
    "kpi": "KPI",
    "kpis": "KPIs",
    "csat": "CSAT",
    "nps": "NPS",
    "ces": "CES",
    "fcr": "FCR",
    "id": "ID",
    "ci": "CI",
    "qa": "QA",
    "crm": "CRM",
    "wfm": "WFM",
    "bpo": "BPO",
    "sla": "SLA",
    "sl": "service level",
    "pv": "PV",
    "p10": "P10",
    "p50": "P50",
    "p90": "P90",
    "erl": "Erlangs",
    "inhouse": "in-house",
    "csv": "CSV",
    "cv": "CV",
    "std": "standard deviation",
    "max": "maximum",
    "min": "minimum",
    "avg": "average",
    "pct": "%",
    "n": "number of",
    "mc": "Monte Carlo",
}
# a leading/trailing rate word becomes "per <period>"
_PERIOD = {
    "weekly": "week",
    "monthly": "month",
    "annual": "year",
    "yearly": "year",
    "daily": "day",
    "hourly": "hour",
}
# trailing unit tokens: (kind, whether the word stays in the header)
_UNIT_SUFFIX: dict[str, str] = {
    "s": "seconds",
    "seconds": "seconds",
    "minutes": "minutes",
    "min": "minutes",
    "hours": "hours",
    "h": "hours",
    "days": "days",
    "weeks": "weeks",
    "months": "months",
}
_MONEY_WORDS = frozenset(
    {
        "cost",
        "costs",
        "price",
        "fee",
        "wage",
        "wages",
        "pay",
        "benefit",
        "benefits",
        "npv",
        "saving",
        "savings",
        "invoice",
        "spend",
        "budget",
        "revenue",
        "cash",
        "amount",
        "governance",
        "leakage",
        "charge",
        "overage",
        "salary",
    }
)
_PERCENT_WORDS = frozenset(
    {
        "share",
        "rate",
        "occupancy",
        "shrinkage",
        "attrition",
        "abandonment",
        "probability",
        "efficiency",
        "growth",
        "load",
        "reduction",
        "deflection",
        "improvement",
        "roi",
        "irr",
        "pct",
        "percent",
    }
)
_COUNT_WORDS = frozenset(
    {
        "contacts",
        "calls",
        "chats",
        "emails",
        "agents",
        "headcount",
        "hires",
        "leavers",
        "seats",
        "draws",
        "count",
        "backlog",
        "classes",
        "met",
    }
)


def humanize(name: str) -> str:
    """Return a readable label for a snake_case name, without unit handling.

    Acronyms are upper-cased (``aht`` → ``AHT``), ``inhouse`` becomes ``in-house``, a leading
    or trailing ``weekly``/``monthly``/``annual`` becomes "per week/month/year". A name that is
    already readable (has a space or a capital letter) is returned unchanged.

    Examples
    --------
    >>> humanize("weekly_contacts"), humanize("inhouse_cost_per_month"), humanize("Year 1")
    ('Contacts per week', 'In-house cost per month', 'Year 1')
    >>> humanize("attrition_annual"), humanize("npv_p10")
    ('Attrition per year', 'NPV P10')
    """
    text = str(name)
    if " " in text.strip() or any(ch.isupper() for ch in text) or not text:
        return text
    tokens = [t for t in re.split(r"[_\s]+", text.strip("_")) if t]
    if not tokens:
        return text
    period = None
    if tokens[0] in _PERIOD and len(tokens) > 1:
        period = _PERIOD[tokens.pop(0)]
    elif tokens[-1] in _PERIOD and len(tokens) > 1:
        period = _PERIOD[tokens.pop()]
    words = [_WORDS.get(t, t) for t in tokens]
    if period:
        words += ["per", period]
    label = " ".join(words)
    return label[:1].upper() + label[1:]


_SMALL_DENOMINATORS = frozenset({"contact", "minute", "call", "chat", "email", "unit", "seat"})
_HOURS_WORDS = frozenset({"agent", "paid", "productive", "saved", "staffed", "vendor"})


def _rule_spec(name: str) -> ColumnSpec | None:
    """Return a spec from the name's words and unit suffix alone (``None`` when nothing matches)."""
    tokens = [t for t in str(name).lower().split("_") if t]
    single = _MONEY_WORDS | _COUNT_WORDS | _PERCENT_WORDS
    if not tokens or (len(tokens) == 1 and tokens[0] not in single):
        return None
    words = set(tokens)
    last = tokens[-1]
    if last in _UNIT_SUFFIX and len(tokens) > 1:
        kind: Kind = _UNIT_SUFFIX[last]  # type: ignore[assignment]
        if kind == "hours" and tokens[-2] in _HOURS_WORDS:
            return ColumnSpec(humanize(name), "hours", unit="")  # "Agent hours" reads as is
        # the unit goes into brackets: "aht_s" -> "AHT (s)"
        return ColumnSpec(humanize("_".join(tokens[:-1])), kind)
    if last == "fte":
        return ColumnSpec(humanize(name), "fte")
    if words & _MONEY_WORDS and not words & {"share", "ratio", "rate", "load"}:
        if "per" in words and last in ("hour", "hourly"):
            return ColumnSpec(humanize(name), "money_per_hour")
        small = "per" in words and last in _SMALL_DENOMINATORS
        return ColumnSpec(humanize(name), "money", 2 if small else None)
    if words & _PERCENT_WORDS or tokens[0] == "p":
        return ColumnSpec(humanize(name), "percent")
    if words & _COUNT_WORDS:
        return ColumnSpec(humanize(name), "count")
    return None


def _dtype_spec(name: str, values: pd.Series | None) -> ColumnSpec:
    header = humanize(name)
    if values is None:
        return ColumnSpec(header, "number")
    if pd.api.types.is_bool_dtype(values):
        return ColumnSpec(header, "bool")
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = pd.DatetimeIndex(values.dropna())
        if len(stamps) and bool((stamps == stamps.normalize()).all()):
            if bool((stamps.day == 1).all()) and len(stamps) > 1:
                return ColumnSpec(header, "month")
            return ColumnSpec(header, "date")
        return ColumnSpec(header, "datetime")
    if pd.api.types.is_integer_dtype(values):
        return ColumnSpec(header, "integer")
    if pd.api.types.is_numeric_dtype(values):
        return ColumnSpec(header, "number")
    sample = values.dropna()
    if len(sample) and all(isinstance(v, dt.date) for v in sample.head(20)):
        return ColumnSpec(header, "date")
    return ColumnSpec(header, "text")


def column_spec(
    name: Any,
    values: pd.Series | None = None,
    *,
    registry: Mapping[str, ColumnSpec] | None = None,
) -> ColumnSpec:
    """Return the spec of a column: registry, then name rules, then dtype.

    Parameters
    ----------
    name : str
        The column name (other types are converted with ``str``).
    values : pandas.Series, optional
        The column, used when neither the registry nor the name decides (dtype), and to tell a
        date column from a month column.
    registry : mapping, optional
        Specs by exact name checked first (default :data:`COLUMNS`).

    Returns
    -------
    ColumnSpec

    Examples
    --------
    >>> column_spec("asa_s")
    ColumnSpec(header='ASA', kind='seconds', decimals=1, unit=None, signed=False)
    >>> column_spec("channel_mix_share").title()
    'Channel mix share'
    """
    key = str(name)
    table = COLUMNS if registry is None else registry
    if key in table:
        spec = table[key]
    else:
        prefixed = _prefixed_spec(key)
        spec = prefixed or _rule_spec(key) or _dtype_spec(key, values)
    if values is not None and len(values):
        numeric_values = pd.api.types.is_numeric_dtype(values) and not (
            pd.api.types.is_bool_dtype(values)
        )
        if spec.kind == "number" and pd.api.types.is_integer_dtype(values):
            return spec.replace(kind="integer")
        if spec.temporal and numeric_values:  # e.g. "month" as a month number 0, 1, 2, ...
            return spec.replace(kind="integer")
        if spec.numeric and not numeric_values and not _all_numbers(values):
            return spec.replace(kind="text")  # labels in a column named like a number
    return spec


def _all_numbers(values: pd.Series) -> bool:
    sample = values.dropna().head(50)
    return all(isinstance(v, int | float | np.number) and not isinstance(v, bool) for v in sample)


def _prefixed_spec(name: str) -> ColumnSpec | None:
    """``agents_voice`` → "Agents required, voice" (per-channel columns of ``combine``)."""
    for prefix, base in _PER_CHANNEL.items():
        if name.startswith(prefix) and len(name) > len(prefix):
            channel = name[len(prefix) :].replace("_", " ")
            return base.replace(header=f"{base.header}, {channel}")
    return None


def header_for(name: Any, *, currency: str | None = None) -> str:
    """Return the human header of a column name, with its unit (see :func:`column_spec`).

    Examples
    --------
    >>> header_for("agent_hours"), header_for("traffic_erl"), header_for("payback_months")
    ('Agent hours', 'Traffic (Erlangs)', 'Payback (months)')
    """
    return column_spec(name).title(currency)


_PER_CHANNEL: dict[str, ColumnSpec] = {k: ColumnSpec(**v) for k, v in PER_CHANNEL.items()}

#: Specs of the columns cxplan's models produce and of the parameter keys, by exact name (the
#: data is in :mod:`cxplan.present._registry`).
COLUMNS: Mapping[str, ColumnSpec] = {k: ColumnSpec(**v) for k, v in SPECS.items()}
