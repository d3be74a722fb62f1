"""Client-ready tables: one formatted table object for HTML, Markdown, tests and Excel.

:func:`format_table` turns a cxplan DataFrame into a :class:`FormattedTable`: human headers with
units and currency, numbers with thousands separators (never scientific notation), percentages,
dates, ``n/a`` for missing values (with a numbered footnote saying why, when a reason is given),
no meaningless index column (a meaningful one becomes a named first column), a caption and notes.
Each column's :class:`~cxplan.present.columns.ColumnSpec` comes from the column name
(:func:`~cxplan.present.columns.column_spec`) unless overridden.

The same object renders as

- HTML (:meth:`FormattedTable.to_html`, also its ``_repr_html_`` in a notebook): built with
  pandas' :class:`~pandas.io.formats.style.Styler`; every text is HTML-escaped; CSS classes
  ``cx-table``, ``cx-num``/``cx-text`` (numbers right-aligned) and ``cx-wide`` on tables too
  wide for a portrait A4 page (the print stylesheet puts them on a landscape page);
- strings (:meth:`FormattedTable.to_text_frame`, :meth:`FormattedTable.to_markdown`);
- Excel cells (:attr:`FormattedTable.columns`: raw values plus each column's number format),
  written by :mod:`cxplan.present.xlsx`.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"aht_s": [300.0, 420.5], "total_cost": [1.363793e7, None]})
>>> table = format_table(frame, currency="USD", na_reasons={"total_cost": "no quote"})
>>> table.to_text_frame()
  AHT (s) Total cost (USD)
0     300       13,637,930
1     421              n/a
>>> table.footnotes
('no quote',)
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from cxplan.errors import InputError
from cxplan.present.columns import KINDS, ColumnSpec, column_spec, is_missing

if TYPE_CHECKING:
    from pandas.io.formats.style_render import CSSDict

__all__ = [
    "LANDSCAPE_CHARS",
    "PORTRAIT_CHARS",
    "Column",
    "FormattedTable",
    "Override",
    "format_table",
]

#: Estimated characters of table width that fit a portrait A4 page at the print font size;
#: a wider table is marked ``cx-wide`` (landscape page). 180 mm of content at 8.5 pt.
PORTRAIT_CHARS = 104
#: Characters that fit a landscape A4 page; a wider table is also marked ``cx-dense``.
LANDSCAPE_CHARS = 160

Override = ColumnSpec | str | Mapping[str, Any]
"""A column override: a whole :class:`ColumnSpec`, a kind name (``"money"``), a header text, or
a mapping of spec fields to change (``{"decimals": 2}``)."""

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Column:
    """One formatted column.

    Attributes
    ----------
    key : str
        The column's name in the source frame (``"aht_s"``; ``"index"`` for an index).
    spec : ColumnSpec
    header : str
        The header shown, with its unit (``"AHT (s)"``).
    values : tuple
        Raw cell values for Excel: ``float``/``int``/``str``/``bool``/``datetime`` or ``None``
        for a missing value.
    note : int or None
        Footnote number of the reason for this column's missing values.
    currencies : tuple of str or None
        Currency per cell, when the table mixes currencies (money cells then carry the code).
    """

    key: str
    spec: ColumnSpec
    header: str
    values: tuple[Any, ...]
    note: int | None = None
    currencies: tuple[str | None, ...] | None = None

    @functools.cached_property
    def texts(self) -> tuple[str, ...]:
        """Display text of each cell (``"n/a"`` when missing); computed on first use."""
        if self.currencies is not None:
            return tuple(
                self.spec.format(v, cur)
                for v, cur in zip(self.values, self.currencies, strict=True)
            )
        return tuple(self.spec.format(v) for v in self.values)

    @property
    def numeric(self) -> bool:
        """Whether the column holds numbers (right-aligned)."""
        return self.spec.numeric

    def excel_format(self, row: int | None = None) -> str:
        """Excel number format of the column (or of one cell, for mixed currencies)."""
        if self.currencies is not None and row is not None:
            return self.spec.excel_format(self.currencies[row], in_cell=True)
        return self.spec.excel_format()

    def width_chars(self) -> int:
        """Estimated width in characters: the longest header word or cell (text wraps at 28)."""
        longest_word = max((len(w) for w in self.header.split()), default=0)
        cells = max((len(t) for t in self.texts), default=0)
        if not self.numeric:
            cells = min(cells, 28)
        return max(longest_word, cells, 3) + 2


class FormattedTable:
    """A table formatted for a client (see :func:`format_table`).

    Attributes
    ----------
    columns : tuple of Column
    caption : str or None
    notes : tuple of str
        General notes shown under the table.
    footnotes : tuple of str
        Reasons for ``n/a`` cells, numbered from 1 in this order.
    currency : str or None
        The currency in the money headers (``None`` for mixed or no money).
    name : str or None
        A short name (the Excel sheet name).
    wide, dense : bool
        Too wide for a portrait A4 page (printed landscape); too wide even for landscape
        (printed in a smaller font).
    """

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        caption: str | None = None,
        notes: Sequence[str] = (),
        footnotes: Sequence[str] = (),
        currency: str | None = None,
        name: str | None = None,
        landscape: bool | None = None,
    ) -> None:
        self.columns = tuple(columns)
        self.caption = caption
        self.notes = tuple(notes)
        self.footnotes = tuple(footnotes)
        self.currency = currency
        self.name = name
        self._landscape = landscape

    @functools.cached_property
    def wide(self) -> bool:
        """Whether the table is too wide for a portrait A4 page (printed landscape)."""
        if self._landscape is not None:
            return bool(self._landscape)
        return self.width_chars() > PORTRAIT_CHARS

    @functools.cached_property
    def dense(self) -> bool:
        """Whether the table is too wide even for its page (printed in a smaller font)."""
        return self.width_chars() > (LANDSCAPE_CHARS if self.wide else PORTRAIT_CHARS)

    def __len__(self) -> int:
        return len(self.columns[0].texts) if self.columns else 0

    def __repr__(self) -> str:
        return (
            f"<FormattedTable {self.caption or self.name or ''!r}: {len(self)} rows × "
            f"{len(self.columns)} columns>"
        )

    @property
    def headers(self) -> list[str]:
        """The headers shown, in order."""
        return [c.header for c in self.columns]

    def width_chars(self) -> int:
        """Estimated width of the table in characters (sum over the columns)."""
        return sum(c.width_chars() for c in self.columns)

    # ------------------------------------------------------------------------------- strings

    def _cell(self, column: Column, row: int, *, markers: bool) -> str:
        text = column.texts[row]
        if markers and column.note is not None and is_missing(column.values[row]):
            return text + str(column.note).translate(_SUPERSCRIPTS)
        return text

    def to_text_frame(self, *, markers: bool = False) -> pd.DataFrame:
        """Return the table as strings: human headers, formatted cells, a plain 0..n-1 index.

        Parameters
        ----------
        markers : bool
            Add the footnote number to ``n/a`` cells (``n/a¹``).
        """
        frame = pd.DataFrame(
            {
                j: [self._cell(c, i, markers=markers) for i in range(len(self))]
                for j, c in enumerate(self.columns)
            },
            index=pd.RangeIndex(len(self)),
            dtype=object,
        )
        frame.columns = pd.Index(self.headers, dtype=object)
        return frame

    def to_markdown(self) -> str:
        """Return a Markdown (GFM) table, caption above and notes below; text is escaped."""

        def esc(text: str) -> str:
            # the one escape for text in Markdown (cxplan.present.report.safe_text): HTML, link,
            # image, autolink, emphasis and the cell separator "|" all come out as literal text
            from cxplan.present.report import safe_text

            return safe_text(text)

        lines: list[str] = []
        if self.caption:
            lines += [f"**{esc(self.caption)}**", ""]
        lines.append("| " + " | ".join(esc(h) for h in self.headers) + " |")
        lines.append(
            "| " + " | ".join("---:" if c.numeric else ":---" for c in self.columns) + " |"
        )
        for i in range(len(self)):
            cells = [esc(self._cell(c, i, markers=True)) for c in self.columns]
            lines.append("| " + " | ".join(cells) + " |")
        for note in self.notes:
            lines += ["", esc(note)]
        for number, reason in enumerate(self.footnotes, start=1):
            lines += ["", f"{str(number).translate(_SUPERSCRIPTS)} {esc(reason)}"]
        return "\n".join(lines)

    # ---------------------------------------------------------------------------------- HTML

    def to_html(self) -> str:
        """HTML fragment: the table (pandas Styler) and its notes in a ``div.cx-table-block``.

        Every header, cell, caption and note is HTML-escaped; numbers carry ``cx-num`` (right
        aligned), text ``cx-text``; ``n/a`` cells with a reason carry a footnote marker. The
        output is deterministic (the Styler id is a hash of the content).
        """
        n = len(self)
        keys = [f"c{j}" for j in range(len(self.columns))]  # unique keys for the Styler
        shown = pd.DataFrame(
            {
                key: [self._html_cell(c, i) for i in range(n)]
                for key, c in zip(keys, self.columns, strict=True)
            },
            index=pd.RangeIndex(n),
            dtype=object,
        )
        classes = pd.DataFrame(
            {
                key: ["cx-num" if c.numeric else "cx-text"] * n
                for key, c in zip(keys, self.columns, strict=True)
            },
            index=shown.index,
            dtype=object,
        )
        digest = hashlib.sha256(
            repr((self.caption, self.headers, [c.texts for c in self.columns])).encode()
        ).hexdigest()[:10]
        table_class = (
            "cx-table" + (" cx-wide" if self.wide else "") + (" cx-dense" if self.dense else "")
        )
        styler = (
            Styler(shown, cell_ids=False)
            .hide(axis="index")
            .relabel_index([html.escape(h) for h in self.headers], axis=1)
            .set_td_classes(classes)
            .set_table_attributes(f'class="{table_class}"')
            .set_uuid(f"cx{digest}")
        )
        numeric: dict[Any, list[CSSDict]] = {
            key: [{"selector": "th", "props": [("text-align", "right")]}]
            for key, c in zip(keys, self.columns, strict=True)
            if c.numeric
        }
        if numeric:
            styler = styler.set_table_styles(numeric, overwrite=False)
        if self.caption:
            styler = styler.set_caption(html.escape(self.caption))
        table_html = styler.to_html(doctype_html=False)
        notes = [f'<p class="cx-note">{html.escape(note)}</p>' for note in self.notes]
        notes += [
            f'<p class="cx-note cx-footnote"><sup>{number}</sup> {html.escape(reason)}</p>'
            for number, reason in enumerate(self.footnotes, start=1)
        ]
        block_class = "cx-table-block" + (" cx-wide" if self.wide else "")
        notes_html = f'<div class="cx-table-notes">{"".join(notes)}</div>' if notes else ""
        return f'<div class="{block_class}">\n{table_html}{notes_html}</div>\n'

    def _html_cell(self, column: Column, row: int) -> str:
        text = html.escape(column.texts[row])
        if column.note is not None and is_missing(column.values[row]):
            label = html.escape(self.footnotes[column.note - 1], quote=True)
            return f'{text}<sup class="cx-marker" title="{label}">{column.note}</sup>'
        return text

    def _repr_html_(self) -> str:
        return self.to_html()


# ------------------------------------------------------------------------------- building


def _resolve(key: str, base: ColumnSpec, override: Override | None) -> ColumnSpec:
    if override is None:
        return base
    if isinstance(override, ColumnSpec):
        return override
    if isinstance(override, str):
        return base.replace(kind=override) if override in KINDS else base.replace(header=override)
    if isinstance(override, Mapping):
        try:
            return base.replace(**dict(override))
        except TypeError as exc:
            raise InputError(f"overrides[{key!r}]: {exc}") from None
    raise InputError(
        f"overrides[{key!r}] must be a ColumnSpec, a kind, a header or a mapping "
        f"(got {type(override).__name__})"
    )


def _python(value: Any) -> Any:
    """Return a cell value as a plain Python object for Excel (``None`` when missing)."""
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, list | tuple | np.ndarray):
        return ", ".join(str(v) for v in value)
    return value


def _index_spec(index: pd.Index, label: str | None) -> tuple[str, ColumnSpec]:
    """Return the key and spec of an index shown as the first column."""
    name = label if label is not None else index.name
    if name is not None:
        key = str(name)
        return key, column_spec(key, pd.Series(index, index=pd.RangeIndex(len(index))))
    if isinstance(index, pd.DatetimeIndex) and len(index):
        stamps = index.tz_localize(None) if index.tz is not None else index
        seconds = stamps.to_numpy().astype("datetime64[s]").astype(np.int64)
        whole_days = bool((stamps == stamps.normalize()).all())
        if whole_days and len(stamps) > 1 and bool((stamps.day == 1).all()):
            return "month", ColumnSpec("Month", "month")
        if whole_days and len(stamps) > 1 and bool((np.diff(seconds) == 7 * 86_400).all()):
            return "week_ending", ColumnSpec("Week ending", "date")
        if whole_days:
            return "date", ColumnSpec("Date", "date")
        return "interval_start", ColumnSpec("Interval start", "datetime")
    return "index", column_spec("index", pd.Series(index, index=pd.RangeIndex(len(index)))).replace(
        header="", kind="text"
    )


def _meaningful_index(index: pd.Index) -> bool:
    if isinstance(index, pd.MultiIndex):
        return True
    if isinstance(index, pd.RangeIndex):
        return index.name is not None
    if index.name is None and pd.api.types.is_integer_dtype(index):
        return not bool(np.array_equal(index.to_numpy(), np.arange(len(index))))
    return True


def format_table(
    data: pd.DataFrame | pd.Series,
    overrides: Mapping[str, Override] | None = None,
    *,
    currency: str | None = None,
    caption: str | None = None,
    notes: Iterable[str] = (),
    na_reasons: Mapping[str, str] | None = None,
    index: bool | Literal["auto"] = "auto",
    index_label: str | None = None,
    columns: Sequence[str] | None = None,
    name: str | None = None,
    landscape: bool | None = None,
) -> FormattedTable:
    """Format a DataFrame for a client: headers, units, currency, separators, n/a, caption.

    Parameters
    ----------
    data : pandas.DataFrame or pandas.Series
        The table, e.g. ``RegionModel.weekly``. Not modified.
    overrides : mapping, optional
        Per column name: a :class:`ColumnSpec`, a kind (``"money"``), a header text, or a
        mapping of spec fields (``{"decimals": 2, "header": "Cost"}``). Unlisted columns take
        :func:`~cxplan.present.columns.column_spec`.
    currency : str, optional
        Currency code for money columns (shown in the header). Default: the table's
        ``currency`` column when it holds one code; when it holds several, each money cell
        carries its row's code.
    caption : str, optional
        Shown above the table.
    notes : iterable of str, optional
        Notes shown under the table (sources, definitions).
    na_reasons : mapping, optional
        Column name → why its values may be missing; ``n/a`` cells of that column get a
        numbered footnote with the reason.
    index : bool or "auto"
        Show the index as the first column. ``"auto"``: unless it is an unnamed 0..n-1 index.
    index_label : str, optional
        Name of the index column (default: the index's name; a date index is named from its
        step: month, week ending, date, interval start).
    columns : sequence of str, optional
        The columns to show, in order (default: all).
    name : str, optional
        Short name (Excel sheet name).
    landscape : bool, optional
        Force (``True``) or forbid (``False``) landscape printing; default: by estimated width.

    Returns
    -------
    FormattedTable

    Raises
    ------
    InputError
        ``data`` not a DataFrame/Series, unknown columns, a bad override or kind.
    """
    if isinstance(data, pd.Series):
        data = data.to_frame(name=data.name if data.name is not None else "value")
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"data must be a pandas DataFrame or Series (got {type(data).__name__})")
    overrides = dict(overrides or {})
    na_reasons = dict(na_reasons or {})
    frame = data
    if columns is not None:
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise InputError(f"columns not in the table: {missing} (has {list(frame.columns)})")
        frame = frame[list(columns)]
    unknown = sorted(set(map(str, overrides)) - {str(c) for c in frame.columns} - {"index"})
    show_index = _meaningful_index(frame.index) if index == "auto" else bool(index)

    specs: list[tuple[str, ColumnSpec, list[Any]]] = []
    if show_index:
        if isinstance(frame.index, pd.MultiIndex):
            for level, level_name in enumerate(frame.index.names):
                level_values = frame.index.get_level_values(level)
                label = None if level_name is None else str(level_name)
                key, spec = _index_spec(level_values, label)
                specs.append((key, spec, list(level_values)))
        else:
            key, spec = _index_spec(frame.index, index_label)
            specs.append((key, spec, list(frame.index)))
    for col in frame.columns:
        key = str(col)
        series = frame[col]
        specs.append((key, column_spec(key, series), list(series)))
    unknown = [u for u in unknown if u not in {k for k, _, _ in specs}]
    if unknown:
        raise InputError(f"overrides name columns not in the table: {unknown}")
    bad_reasons = sorted(set(na_reasons) - {k for k, _, _ in specs})
    if bad_reasons:
        raise InputError(f"na_reasons name columns not in the table: {bad_reasons}")

    row_currency: list[str | None] | None = None
    if currency is None and "currency" in frame.columns:
        codes = [None if is_missing(v) else str(v) for v in frame["currency"]]
        distinct = sorted({c for c in codes if c})
        if len(distinct) == 1:
            currency = distinct[0]
        elif len(distinct) > 1:
            row_currency = codes

    built: list[Column] = []
    footnotes: list[str] = []
    for key, base, values in specs:
        spec = _resolve(key, base, overrides.get(key))
        money = spec.kind in ("money", "money_per_hour")
        per_cell = row_currency if money and row_currency is not None else None
        note = None
        reason = na_reasons.get(key)
        if reason and any(is_missing(v) for v in values):
            if reason not in footnotes:
                footnotes.append(reason)
            note = footnotes.index(reason) + 1
        built.append(
            Column(
                key=key,
                spec=spec,
                header=spec.title(None if per_cell else currency),
                values=tuple(_python(v) for v in values),
                note=note,
                currencies=tuple(per_cell) if per_cell else None,
            )
        )
    return FormattedTable(
        built,
        caption=caption,
        notes=[str(n) for n in notes],
        footnotes=footnotes,
        currency=currency,
        name=name,
        landscape=landscape,
    )
