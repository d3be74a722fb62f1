"""The report's "Scenarios" section: the region's named scenarios against its base case.

:func:`scenarios` is one report cell (``scenario_section.scenarios(model)``): a heading, a
table of the key figures of the base and each scenario with their differences
(:func:`comparison_table`, the figures of :func:`cxplan.model.scenarios.compare`, read from
each model's headline) and one sentence per scenario naming the inputs it changes
(:func:`change_sentence`). A region without scenarios shows nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from cxplan.config.scenarios import BASE
from cxplan.model.scenarios import Change, changes
from cxplan.present.columns import ColumnSpec, Kind, column_spec, header_for, humanize
from cxplan.present.report import safe_text
from cxplan.present.sections import Block, _join, _md
from cxplan.present.tables import FormattedTable, format_table

if TYPE_CHECKING:
    from cxplan.model import RegionModel

__all__ = ["change_sentence", "comparison_table", "portfolio_scenarios", "scenarios"]

#: How many changed inputs a sentence names before "and N more".
MAX_CHANGES_NAMED = 6

# a figure equal to the base case's
_SAME = "\u2013"

# inputs whose registry kind does not say how a reader thinks of them
_KINDS = {"realisation": ColumnSpec("Realisation", "percent", 0)}


def _cell(kind: str, value: Any, currency: str, *, signed: bool = False) -> str:
    return ColumnSpec("", cast(Kind, kind), signed=signed).format(
        value, currency if kind in ("money", "money_per_hour") else None
    )


def comparison_table(
    comparison: pd.DataFrame, currency: str, *, caption: str | None = None
) -> FormattedTable:
    """Show :func:`cxplan.model.scenarios.compare`'s table: one row per key figure.

    Columns: the figure, the base, then per scenario its value and its change against the
    base (signed; money in ``currency``; "–" when equal; a text figure shows "same" or
    "changed").

    Parameters
    ----------
    comparison : pandas.DataFrame
        The tidy table of :func:`~cxplan.model.scenarios.compare` (or
        :attr:`RegionModel.scenario_comparison`).
    currency : str
        The region's currency code.
    caption : str, optional
        Default: "Key figures by scenario, against the base case".

    Returns
    -------
    FormattedTable
        Escaped when rendered (scenario names become headers as they are).
    """
    names = list(dict.fromkeys(comparison["scenario"]))
    first = comparison[comparison["scenario"] == names[0]]
    columns: dict[str, list[str]] = {"figure": list(first["label"])}
    specs: dict[str, ColumnSpec] = {"figure": ColumnSpec("Key figure", "text")}
    for name in names:
        rows = comparison[comparison["scenario"] == name]
        value_key, delta_key = f"value:{name}", f"delta:{name}"
        columns[value_key] = [
            _cell(k, v, currency) for k, v in zip(rows["kind"], rows["value"], strict=True)
        ]
        specs[value_key] = ColumnSpec("Base case" if name == BASE else name, "text")
        if name == BASE:
            continue
        deltas = []
        for kind, delta, changed in zip(rows["kind"], rows["delta"], rows["changed"], strict=True):
            if kind == "text":
                deltas.append("changed" if changed else "same")
            elif not changed:
                deltas.append(_SAME)
            else:
                deltas.append(_cell(kind, delta, currency, signed=True))
        columns[delta_key] = deltas
        specs[delta_key] = ColumnSpec(f"{name}: change", "text")
    return format_table(
        pd.DataFrame(columns),
        specs,
        caption=caption or "Key figures by scenario, against the base case",
        notes=[
            f"Money in {currency}. Changes are the scenario's figure minus the base case's; "
            "each figure is the one the scenario's own report shows (n/a: none, e.g. a "
            "payback not reached within the finance horizon)."
        ],
    )


def _lower_first(text: str) -> str:
    """Lower-case a label's first letter for prose, unless it starts an acronym (AHT)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _label(path: str) -> str:
    *sections, leaf = path.split(".")
    spec = _KINDS.get(leaf)
    header = spec.header if spec is not None else header_for(leaf)
    parts = [humanize(s) for s in sections if not s.isdigit()] + [header]
    return " › ".join(_lower_first(part) for part in parts)


def _value(leaf: str, value: Any, currency: str) -> str:
    spec = _KINDS.get(leaf) or column_spec(leaf)
    cur = currency if spec.kind in ("money", "money_per_hour") else None
    if isinstance(value, Mapping) and {"low", "mode", "high"} <= set(value):
        return (
            f"{spec.format(value['mode'], cur)} (range {spec.format(value['low'])}–"
            f"{spec.format(value['high'], cur)})"
        )
    if value is None:
        return "none"
    if isinstance(value, list | tuple | Mapping):
        text = str(value)
        return text if len(text) <= 60 else text[:57] + "..."
    return spec.format(value, cur)


def _describe(change: Change, currency: str) -> str:
    leaf = change.path.rsplit(".", 1)[-1]
    return (
        f"{_label(change.path)} from {_value(leaf, change.base, currency)} to "
        f"{_value(leaf, change.value, currency)}"
    )


def change_sentence(name: str, found: list[Change], currency: str) -> str:
    """Say in one Markdown sentence which inputs a scenario changes (params text escaped).

    Examples
    --------
    >>> change_sentence("hybrid-50", [Change("sourcing.vendor_share", 0.3, 0.5)], "USD")
    '**hybrid-50** changes sourcing › share to the vendor from 30% to 50%.'
    """
    if not found:
        return f"**{safe_text(name)}** sets every input as the base case does."
    items = [_describe(c, currency) for c in found[:MAX_CHANGES_NAMED]]
    more = len(found) - MAX_CHANGES_NAMED
    if more > 0:
        items.append(f"{more} more input{'s' if more > 1 else ''}")
    if len(items) <= 2:
        listed = " and ".join(items)
    else:
        listed = "; ".join(items[:-1]) + "; and " + items[-1]
    return f"**{safe_text(name)}** changes {safe_text(listed)}."


def scenarios(model: RegionModel) -> Block:
    """Show the region's named scenarios against its base case (empty without scenarios).

    A heading, one sentence per scenario naming what it changes, and the key figures of the
    base and each scenario with their changes (:func:`comparison_table`). In a scenario's own
    report, that scenario against the base.
    """
    models = model.scenario_models
    if not models:
        return Block("")
    base = model.base_model
    cur = model.currency
    if model.scenario is None:
        intro = (
            "Each scenario changes some of the assumptions above and keeps the rest; the "
            "table puts its key figures beside the base case's (the plan in this report)."
        )
    else:
        intro = (
            f"This report is the scenario **{safe_text(model.scenario)}** of "
            f"{safe_text(model.params.region.name)}; the table puts its key figures beside "
            "the base case's (the region as its file sets it)."
        )
    sentences = [
        change_sentence(name, changes(base.params, m.params), cur) for name, m in models.items()
    ]
    return _join(
        [
            "<h2>Scenarios</h2>",
            _md(intro),
            _md("\n\n".join(sentences)),
            comparison_table(model.scenario_comparison, cur).to_html(),
        ]
    )


def portfolio_scenarios(results: list[dict[str, Any]]) -> Block:
    """Show every region's named scenarios from their result files (the portfolio's section).

    Parameters
    ----------
    results : list of dict
        Region result files (:func:`cxplan.present.report.load_results`); each carries its
        scenarios' key figures and deltas (``scenarios``).

    Returns
    -------
    Block
        A heading and one row per region and scenario (NPV and its change, ROI, payback, the
        hybrid's cost change, hires); empty when no region has scenarios.
    """
    rows = []
    for result in results:
        for name, entry in (result.get("scenarios") or {}).items():
            figures, delta = entry["key_figures"], entry["change_vs_base"]
            rows.append(
                {
                    "region": result["region"],
                    "scenario": name,
                    "currency": result["currency"],
                    "npv": figures["npv"],
                    "npv_change": delta.get("npv"),
                    "roi": figures["roi"],
                    "payback_months": figures["payback_months"],
                    "hybrid_change": delta.get("hybrid_total"),
                    "hires_with_initiative": figures["hires_with_initiative"],
                }
            )
    if not rows:
        return Block("")
    table = format_table(
        pd.DataFrame(rows),
        {
            "region": ColumnSpec("Region", "text"),
            "scenario": ColumnSpec("Scenario", "text"),
            "currency": ColumnSpec("Currency", "text"),
            "npv": ColumnSpec("Programme NPV", "money"),
            "npv_change": ColumnSpec("NPV change vs base", "money", signed=True),
            "roi": ColumnSpec("ROI", "percent", 0),
            "payback_months": ColumnSpec("Payback", "months"),
            "hybrid_change": ColumnSpec("Hybrid cost change vs base", "money", signed=True),
            "hires_with_initiative": ColumnSpec("Hires with the initiative", "integer"),
        },
        caption="Named scenarios of each region, against its base case",
        na_reasons={"payback_months": "not paid back within the finance horizon"},
    )
    return _join(["<h2>Scenarios</h2>", table.to_html()])
