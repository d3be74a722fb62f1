"""Frame checks of an interval history with pandera, reported as ``file:row: column: message``.

Two pandera schemas run in lazy mode (every failure collected, not just the first):

1. :func:`number_schema` coerces the numeric columns to float; a cell pandera cannot coerce is
   text in a number column.
2. :func:`value_schema` checks the parsed frame: timestamps present, counts and durations not
   negative, intervals on the grid, one row per channel and interval.

:func:`problems_from` turns pandera's failure cases into one line per problem that names the
file, the row (the header is row 1) and the column as spelt in the file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from cxplan.data.columns import COUNT_FIELDS, TIME_FIELDS

__all__ = [
    "MAX_PROBLEMS",
    "NUMBER_FIELDS",
    "number_schema",
    "problems_from",
    "run_schema",
    "value_schema",
]

#: Numeric canonical fields.
NUMBER_FIELDS: tuple[str, ...] = (*COUNT_FIELDS, *TIME_FIELDS, "agents")

#: At most this many problem lines are listed; a last line counts the rest.
MAX_PROBLEMS = 100


def _pa() -> Any:
    import pandera.pandas as pa

    return pa


def number_schema(fields: list[str]) -> Any:
    """Build the schema that coerces the given numeric fields to float (empty cells are allowed)."""
    pa = _pa()
    return pa.DataFrameSchema(
        {f: pa.Column(float, coerce=True, nullable=True, required=False) for f in fields},
        strict=False,
    )


def value_schema(fields: list[str]) -> Any:
    """Build the schema of the parsed frame (``timestamp``, ``channel``, ``_on_grid``, numbers).

    Checks: ``timestamp`` present (parsed), counts, durations and agents ``>= 0``, each row's
    interval start on the grid, and ``(channel, timestamp)`` unique (duplicates after the first
    are failures).
    """
    pa = _pa()
    cols: dict[str, Any] = {
        "timestamp": pa.Column(nullable=False),
        "channel": pa.Column(str, nullable=False),
        "_on_grid": pa.Column(
            bool, pa.Check(lambda s: s, element_wise=False, error="off_grid"), nullable=False
        ),
    }
    for f in fields:
        cols[f] = pa.Column(
            float, pa.Check.ge(0, error="negative", ignore_na=True), nullable=True, required=False
        )
    return pa.DataFrameSchema(
        cols,
        unique=["channel", "timestamp"],
        report_duplicates="exclude_first",
        strict=False,
    )


def run_schema(schema: Any, frame: pd.DataFrame) -> pd.DataFrame:
    """Validate ``frame`` lazily; return pandera's failure cases (empty frame when valid)."""
    pa = _pa()
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return pd.DataFrame(exc.failure_cases)
    return pd.DataFrame(columns=["column", "check", "failure_case", "index"])


def problems_from(
    failures: pd.DataFrame,
    frame: pd.DataFrame,
    *,
    source: str,
    header: Callable[[str], str],
    raw: Mapping[str, pd.Series],
    describe: Callable[[str, str, int], str | None],
) -> list[tuple[int, str]]:
    """Turn pandera failure cases into ``(row, line)`` pairs.

    Parameters
    ----------
    failures : pandas.DataFrame
        ``SchemaErrors.failure_cases`` (columns ``column``, ``check``, ``failure_case``,
        ``index``).
    frame : pandas.DataFrame
        The validated frame; its ``_row`` column holds each row's number in the file.
    source : str
        The file name.
    header : callable
        Canonical field → the file's header.
    raw : mapping of str to pandas.Series
        The file's text per canonical field (shown as "got ...").
    describe : callable
        ``(field, check, index) -> message`` for a failure, or ``None`` to drop it (knock-on
        failures such as pandera's dtype check after a failed coercion).

    Returns
    -------
    list of (int, str)
        File row and problem line, one per problem.
    """
    out: list[tuple[int, str]] = []
    seen: set[tuple[int, str]] = set()
    for column, check, index in zip(
        failures["column"], failures["check"], failures["index"], strict=True
    ):
        if index is None or pd.isna(index):
            continue
        i = int(index)
        named = column is not None and not pd.isna(column)
        field = str(column) if named and column not in ("channel", "_on_grid") else "timestamp"
        if check in ("column_in_dataframe", "column_in_schema"):
            continue
        message = describe(field, str(check), i)
        if message is None or (i, field) in seen:
            continue
        seen.add((i, field))
        row = int(frame["_row"].iloc[i])
        out.append((row, f"{source}:{row}: {header(field)}: {message}"))
    return out
