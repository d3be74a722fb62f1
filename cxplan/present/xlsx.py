"""Excel workbooks of cxplan tables (XlsxWriter): one sheet per table, formatted like the report.

:func:`workbook_bytes` builds an ``.xlsx`` in memory; :func:`write_workbook` writes it atomically
(temporary file and ``os.replace``, :func:`cxplan._io.atomic_write`), so an earlier good workbook
survives a failed run.

Each table sheet has a title row (the workbook title and the table caption), a note row (the
currency and the table's notes), the header row (bold, wrapped, frozen, with an auto-filter), then
the data as real numbers and dates with the number format of each column's
:class:`~cxplan.present.columns.ColumnSpec` (thousands separators, percentages, dates; never
"General", so never scientific notation). Missing values are the text ``n/a`` with the reason as
a numbered footnote under the table. Column widths fit the headers and the values. A "Key
figures" sheet (the headline) and an "Assumptions" sheet (the parameters) list nested mappings
as rows (section, name, value, key), each value with the number format of its key.

The output is deterministic: the document's creation date is fixed (``created``), so the same
tables give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from cxplan._io import atomic_write
from cxplan.errors import InputError
from cxplan.present.columns import COLUMNS, ColumnSpec, column_spec, humanize, is_missing
from cxplan.present.tables import Column, FormattedTable, format_table

__all__ = [
    "HEADER_ROW",
    "assumption_rows",
    "sheet_name",
    "workbook_bytes",
    "write_workbook",
]

#: 0-based row of the header on every table sheet (row 1: title, row 2: notes).
HEADER_ROW = 2

_MAX_WIDTH = 60
_MIN_WIDTH = 6
_SAMPLE_ROWS = 3000  # rows looked at to fit a column's width
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_EPOCH = dt.datetime(2000, 1, 1)


def sheet_name(name: str, taken: Iterable[str] = ()) -> str:
    """Return a valid, unique Excel sheet name (≤ 31 characters, no ``[ ] : * ? /`` or backslash).

    Examples
    --------
    >>> sheet_name("Sourcing TCO: in-house vs outsourced [USD]")
    'Sourcing TCO in-house vs outsou'
    >>> sheet_name("Weekly plan", taken=["Weekly plan"])
    'Weekly plan (2)'
    """
    base = " ".join(_BAD_SHEET_CHARS.sub(" ", str(name)).split()).strip("'") or "Sheet"
    base = base[:31].rstrip()
    lowered = {t.lower() for t in taken}
    candidate, n = base, 1
    while candidate.lower() in lowered:
        n += 1
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)].rstrip() + suffix
    return candidate


def _flatten(value: Any, path: tuple[str, ...]) -> Iterable[tuple[tuple[str, ...], Any]]:
    if hasattr(value, "model_dump"):
        value = value.model_dump(mode="python")
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _flatten(item, (*path, str(key)))
    elif isinstance(value, list | tuple) and value and all(isinstance(v, Mapping) for v in value):
        for i, item in enumerate(value, start=1):
            yield from _flatten(item, (*path, str(i)))
    else:
        yield path, value


def assumption_rows(
    params: Any,
    *,
    currency: str | None = None,
    specs: Mapping[str, ColumnSpec] | None = None,
) -> list[dict[str, Any]]:
    """Flatten a parameter mapping (or pydantic model) into rows for the "Assumptions" sheet.

    Parameters
    ----------
    params : mapping or pydantic model
        E.g. ``RegionModel.params`` or its ``model_dump()``; also a headline dict.
    currency : str, optional
        Currency of the money parameters (shown in their names).
    specs : mapping, optional
        Specs by dotted key (``"risk.seed"``) that win over the key's own; a spec given for a
        mapping (``"weekly_contacts"``) applies to its items (``weekly_contacts.voice``).

    Returns
    -------
    list of dict
        ``section`` ("Channels › Voice"), ``parameter`` ("AHT (s)"), ``value`` (a number, date,
        text, or a list written as formatted text), ``key`` (the dotted parameter path, as in
        the YAML file) and ``spec`` (the :class:`ColumnSpec` of the value).

    Examples
    --------
    >>> rows = assumption_rows({"channels": {"voice": {"aht_s": 300, "sl_target": 0.8}}})
    >>> [(r["section"], r["parameter"], r["value"]) for r in rows]
    [('Channels › Voice', 'AHT (s)', 300), ('Channels › Voice', 'Service level target', 0.8)]
    """
    given = dict(specs or {})
    rows: list[dict[str, Any]] = []
    for path, value in _flatten(params, ()):
        if not path:
            continue
        key = ".".join(path)
        leaf = path[-1]
        named = list(path[:-1])
        parent_key = ".".join(path[:-1])
        if key in given:
            spec = given[key]
            label = spec.title(currency)
        elif parent_key in given and not leaf.isdigit():
            spec = given[parent_key].replace(header=humanize(leaf))
            label = spec.title(currency)
        elif leaf in ("low", "mode", "high", "dist") and named:
            spec = column_spec(named[-1])
            label = f"{spec.title(currency)}, {column_spec(leaf).header.lower()}"
            if leaf == "dist":
                spec = ColumnSpec("Distribution", "text")
            named = named[:-1]
        elif named and leaf not in COLUMNS and not _has_rule(leaf) and _has_rule(named[-1]):
            # an item of a mapping named for its unit: weekly_contacts.voice -> "Voice"
            spec = column_spec(named[-1]).replace(header=humanize(leaf))
            label = spec.title(currency)
        else:
            spec = column_spec(leaf)
            label = spec.title(currency)
        section = " › ".join(p if p.isdigit() else humanize(p) for p in named) or "General"
        if isinstance(value, list | tuple):
            value = ", ".join(spec.format(v, None) for v in value) if value else "none"
            spec = ColumnSpec(spec.header, "text")
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day)
            spec = ColumnSpec(spec.header, "date")
        elif isinstance(value, bool):
            spec = ColumnSpec(spec.header, "bool")
        elif isinstance(value, str) and spec.kind != "text":
            spec = ColumnSpec(spec.header, "text")
        elif isinstance(value, int | float) and spec.kind in ("text", "bool"):
            spec = ColumnSpec(spec.header, "number")
        if spec.kind == "number" and isinstance(value, int) and spec.decimals is None:
            spec = spec.replace(kind="integer")
        rows.append(
            {"section": section, "parameter": label, "value": value, "key": key, "spec": spec}
        )
    return rows


def _has_rule(name: str) -> bool:
    """Whether a name says its own kind (registry or unit/word rules), not just its dtype."""
    return name in COLUMNS or column_spec(name).kind != "number"


class _Formats:
    """XlsxWriter format objects, created once per distinct style."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.cache: dict[tuple[Any, ...], Any] = {}

    def get(self, **props: Any) -> Any:
        key = tuple(sorted(props.items()))
        if key not in self.cache:
            self.cache[key] = self.book.add_format(dict(props))
        return self.cache[key]

    def cell(self, num_format: str | None, *, numeric: bool, wrap: bool = False) -> Any:
        props: dict[str, Any] = {"valign": "top", "font_size": 10}
        if num_format:
            props["num_format"] = num_format
        props["align"] = "right" if numeric else "left"
        if wrap:
            props["text_wrap"] = True
        return self.get(**props)


def _excel_value(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


def _write_cell(sheet: Any, row: int, col: int, value: Any, fmt: Any, na: Any) -> None:
    if isinstance(value, float) and math.isfinite(value):  # the common case first
        sheet.write_number(row, col, value, fmt)
    elif value is None or is_missing(value):
        sheet.write_string(row, col, "n/a", na)
    elif isinstance(value, bool):
        sheet.write_string(row, col, "yes" if value else "no", fmt)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, float(value), fmt)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, _excel_value(value), fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)


def _width(column: Column) -> float:
    rows = range(min(len(column.values), _SAMPLE_ROWS))
    longest = max((len(column.spec.format(column.values[i])) for i in rows), default=0)
    if column.numeric and len(column.values) > _SAMPLE_ROWS:  # the largest magnitude is longest
        finite = [abs(v) for v in column.values if isinstance(v, int | float) and math.isfinite(v)]
        if finite:
            longest = max(longest, len(column.spec.format(max(finite))) + 1)
    header_word = max((len(w) for w in column.header.split()), default=0)
    header_fit = min(len(column.header), 18)  # longer headers wrap over two or three lines
    return float(min(max(longest, header_word, header_fit, _MIN_WIDTH) + 2, _MAX_WIDTH))


def _table_sheet(
    book: Any, formats: _Formats, name: str, table: FormattedTable, title: str, note: str
) -> None:
    sheet = book.add_worksheet(name)
    ncols = max(len(table.columns), 1)
    heading = f"{title}: {table.caption}" if table.caption and title else (table.caption or title)
    sheet.write_string(0, 0, heading, formats.get(bold=True, font_size=14))
    notes = " ".join(x for x in (note, *table.notes) if x)
    if notes:
        sheet.write_string(1, 0, notes, formats.get(italic=True, font_size=9, font_color="#555555"))
    header = formats.get(
        bold=True,
        text_wrap=True,
        valign="bottom",
        bottom=2,
        font_size=10,
        bg_color="#EEF2F7",
    )
    header_num = formats.get(
        bold=True,
        text_wrap=True,
        valign="bottom",
        bottom=2,
        font_size=10,
        bg_color="#EEF2F7",
        align="right",
    )
    widths = [_width(c) for c in table.columns]
    lines = 1
    for j, (column, width) in enumerate(zip(table.columns, widths, strict=True)):
        sheet.write_string(HEADER_ROW, j, column.header, header_num if column.numeric else header)
        sheet.set_column(j, j, width)
        lines = max(lines, math.ceil(len(column.header) / max(width - 2, 1)))
    sheet.set_row(HEADER_ROW, 15 * min(lines, 4))
    na = formats.get(align="right", font_color="#777777", font_size=10, valign="top")
    for j, column in enumerate(table.columns):
        wrap = not column.numeric and widths[j] >= _MAX_WIDTH
        shared = formats.cell(
            column.spec.excel_format() if column.spec.kind != "text" else None,
            numeric=column.numeric,
            wrap=wrap,
        )
        for i, value in enumerate(column.values):
            fmt = shared
            if column.currencies is not None:
                fmt = formats.cell(column.excel_format(i), numeric=True)
            _write_cell(sheet, HEADER_ROW + 1 + i, j, value, fmt, na)
    last = HEADER_ROW + len(table)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    if len(table):
        sheet.autofilter(HEADER_ROW, 0, last, ncols - 1)
    small = formats.get(font_size=9, font_color="#555555")
    for k, reason in enumerate(table.footnotes, start=1):
        sheet.write_string(last + 1 + k, 0, f"[{k}] n/a: {reason}", small)


def _list_sheet(
    book: Any,
    formats: _Formats,
    name: str,
    rows: Sequence[Mapping[str, Any]],
    heading: str,
    intro: str,
    label: str = "Parameter",
) -> None:
    sheet = book.add_worksheet(name)
    sheet.write_string(0, 0, heading, formats.get(bold=True, font_size=14))
    sheet.write_string(1, 0, intro, formats.get(italic=True, font_size=9, font_color="#555555"))
    header = formats.get(bold=True, valign="bottom", bottom=2, font_size=10, bg_color="#EEF2F7")
    for j, text in enumerate(("Section", label, "Value", "Key")):
        sheet.write_string(HEADER_ROW, j, text, header)
    text_fmt = formats.cell(None, numeric=False)
    widths = [10.0, 12.0, 12.0, 10.0]
    na = formats.get(align="right", font_color="#777777", font_size=10, valign="top")
    for i, row in enumerate(rows):
        r = HEADER_ROW + 1 + i
        spec: ColumnSpec = row["spec"]
        value = row["value"]
        sheet.write_string(r, 0, str(row["section"]), text_fmt)
        sheet.write_string(r, 1, str(row["parameter"]), text_fmt)
        if spec.kind in ("code", "bool") and value is not None:
            value = spec.format(value)
        if isinstance(value, int | float) and not isinstance(value, bool) and spec.numeric:
            fmt = formats.cell(spec.excel_format(), numeric=True)
            shown = spec.format(value)
        elif isinstance(value, dt.date):
            fmt = formats.cell(spec.excel_format(), numeric=False)
            shown = spec.format(value)
        else:
            fmt = formats.cell(None, numeric=False, wrap=True)
            shown = "n/a" if value is None else str(value)
        _write_cell(sheet, r, 2, value, fmt, na)
        sheet.write_string(r, 3, str(row["key"]), text_fmt)
        for j, text in enumerate((str(row["section"]), str(row["parameter"]), shown, row["key"])):
            widths[j] = max(widths[j], min(len(str(text)) + 2, _MAX_WIDTH))
    for j, width in enumerate(widths):
        sheet.set_column(j, j, width)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    if rows:
        sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + len(rows), 3)


def workbook_bytes(
    tables: Mapping[str, FormattedTable | pd.DataFrame],
    *,
    title: str = "",
    assumptions: Any = None,
    key_figures: Any = None,
    key_figure_specs: Mapping[str, ColumnSpec] | None = None,
    currency: str | None = None,
    note: str | None = None,
    created: dt.datetime | None = None,
) -> bytes:
    """Build an Excel workbook: one sheet per table, plus an "Assumptions" sheet.

    Parameters
    ----------
    tables : mapping of sheet name to FormattedTable or DataFrame
        In sheet order. A DataFrame is formatted with
        :func:`~cxplan.present.tables.format_table` (``currency`` applied).
    title : str
        Shown in the title row of every sheet and as the document title.
    assumptions : mapping or pydantic model, optional
        Parameters for the "Assumptions" sheet (see :func:`assumption_rows`), after the
        key figures and before the tables.
    key_figures : mapping, optional
        Headline figures for a first "Key figures" sheet (same layout as the assumptions),
        e.g. :meth:`cxplan.model.RegionModel.headline`.
    key_figure_specs : mapping, optional
        Specs of key figures by dotted key (see :func:`assumption_rows`).
    currency : str, optional
        Currency of money values (noted on each sheet and used for DataFrames).
    note : str, optional
        Extra note for every table sheet's note row.
    created : datetime, optional
        The document's creation date (default a fixed date, for identical output).

    Returns
    -------
    bytes
        The ``.xlsx`` file.

    Raises
    ------
    InputError
        No tables and no assumptions, or a table that is not a DataFrame/FormattedTable.
    """
    import xlsxwriter

    if not tables and assumptions is None and key_figures is None:
        raise InputError("a workbook needs at least one table, key figures or the assumptions")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    try:
        book.set_properties(
            {"title": title, "author": "cxplan", "created": created or _EPOCH, "comments": ""}
        )
        formats = _Formats(book)
        taken: list[str] = []
        base_note = f"Money in {currency}." if currency else ""
        if note:
            base_note = f"{base_note} {note}".strip()

        if key_figures is not None:
            name = sheet_name("Key figures", taken)
            taken.append(name)
            rows = assumption_rows(key_figures, currency=currency, specs=key_figure_specs)
            _list_sheet(
                book,
                formats,
                name,
                rows,
                f"{title}: key figures" if title else "Key figures",
                "The headline figures of the report, as computed by the model.",
                label="Figure",
            )
        if assumptions is not None:
            name = sheet_name("Assumptions", taken)
            taken.append(name)
            _list_sheet(
                book,
                formats,
                name,
                assumption_rows(assumptions, currency=currency),
                f"{title}: assumptions" if title else "Assumptions",
                "Every parameter the figures are computed from, as the parameter file (or its "
                "defaults) sets it; Key is the field in the YAML file.",
            )
        for raw_name, table in tables.items():
            if isinstance(table, pd.DataFrame | pd.Series):
                table = format_table(table, currency=currency, caption=raw_name)
            if not isinstance(table, FormattedTable):
                raise InputError(
                    f"tables[{raw_name!r}] must be a FormattedTable or a DataFrame "
                    f"(got {type(table).__name__})"
                )
            name = sheet_name(raw_name, taken)
            taken.append(name)
            _table_sheet(book, formats, name, table, title, base_note)
    finally:
        book.close()
    return buffer.getvalue()


def write_workbook(
    path: str | os.PathLike[str],
    tables: Mapping[str, FormattedTable | pd.DataFrame],
    **kwargs: Any,
) -> None:
    """Write :func:`workbook_bytes` to ``path`` atomically (old file kept on any failure)."""
    atomic_write(path, workbook_bytes(tables, **kwargs))
