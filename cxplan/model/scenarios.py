"""Named scenarios against their region: the key figures side by side, and what each changes.

A scenario (:mod:`cxplan.config.scenarios`) is a region with some fields changed; its model is a
:class:`~cxplan.model.RegionModel` like any other (``load_region(path, scenario=NAME)``).
:func:`compare` puts the key figures of the base and of each scenario in one tidy table with
their differences from the base. Every figure is read from each model's headline (the numbers
its report and result file show); nothing is recomputed here. :func:`changes` lists the
parameter fields a scenario sets differently from the base.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd

from cxplan.config.scenarios import BASE, check_name
from cxplan.errors import InputError

if TYPE_CHECKING:
    from cxplan.config.params import RegionParams
    from cxplan.model.region import RegionModel

__all__ = ["FIGURES", "Change", "Figure", "changes", "compare", "key_figures"]


class Figure(NamedTuple):
    """One compared figure: its key, where the headline holds it, its label and kind."""

    key: str
    path: tuple[str, ...]  # keys into RegionModel.headline(); "{hybrid}": the share split
    label: str
    kind: str  # a cxplan.present.columns kind: how the figure is shown


#: The figures :func:`compare` puts side by side, in display order.
FIGURES: tuple[Figure, ...] = (
    Figure("peak_agents", ("staffing", "peak_agents"), "Peak agents (all channels)", "integer"),
    Figure(
        "scheduled_fte",
        ("staffing", "average_scheduled_fte"),
        "Scheduled FTE (average week)",
        "fte",
    ),
    Figure(
        "inhouse_cost_per_month",
        ("costs", "inhouse_cost_per_month"),
        "In-house cost per month",
        "money",
    ),
    Figure("cheapest_option", ("costs", "cheapest_option"), "Cheapest sourcing option", "text"),
    Figure(
        "hybrid_total",
        ("costs", "sourcing_total_by_option", "{hybrid}"),
        "Hybrid (outsourced share) over the plan",
        "money",
    ),
    Figure("npv", ("initiative", "npv"), "Programme NPV (risk-adjusted)", "money"),
    Figure("roi", ("initiative", "roi"), "Programme ROI", "percent"),
    Figure("payback_months", ("initiative", "payback_months"), "Payback (months)", "months"),
    Figure(
        "p_payback_in_window",
        ("risk", "probability_payback_within_months"),
        "Chance of payback within {window} months",  # the base's finance.payback_within_months
        "percent",
    ),
    Figure("hires", ("plan", "hires"), "Hires (capacity plan)", "integer"),
    Figure(
        "hires_with_initiative",
        ("plan", "hires_with_initiative"),
        "Hires with the initiative",
        "integer",
    ),
)


def _share_split(model: RegionModel) -> str | None:
    """Return the name of the hybrid that sends a share of contacts to the vendor."""
    from cxplan.economics.sourcing import ShareSplit

    return next((k for k, v in model.hybrids.items() if isinstance(v, ShareSplit)), None)


def key_figures(model: RegionModel) -> dict[str, Any]:
    """Read the compared figures (:data:`FIGURES`) off a model's headline.

    Parameters
    ----------
    model : RegionModel
        A region or a scenario of it.

    Returns
    -------
    dict
        Figure key → value as :meth:`RegionModel.headline` (``scenarios=False``) has it
        (``None`` where it has none, e.g. a payback never reached, or no share-split hybrid).
    """
    headline = model.headline(scenarios=False)
    hybrid = _share_split(model)
    out: dict[str, Any] = {}
    for f in FIGURES:
        value: Any = headline
        for part in f.path:
            key = hybrid if part == "{hybrid}" else part
            value = value.get(key) if isinstance(value, Mapping) and key is not None else None
        out[f.key] = value
    return out


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def compare(base: RegionModel, scenarios: Mapping[str, RegionModel]) -> pd.DataFrame:
    """Put the key figures of a region and its scenarios side by side, with deltas vs the base.

    Parameters
    ----------
    base : RegionModel
        The region itself.
    scenarios : mapping of str to RegionModel
        Scenario name → its model (e.g. ``RegionModel.scenario_models``); names are slugs
        (:func:`cxplan.config.scenarios.check_name`), never ``"base"``.

    Returns
    -------
    pandas.DataFrame
        Tidy: one row per scenario and figure, the base first, then the scenarios in the given
        order, each with the figures of :data:`FIGURES` in order. Columns ``scenario``
        (``"base"`` or the name), ``figure`` (key), ``label``, ``kind`` (how it is shown),
        ``value`` (read from the model's headline), ``base`` (the base's value) and ``delta``
        (``value − base``, float; NaN for text and where either is missing), ``changed``
        (whether the value differs from the base's).

    Raises
    ------
    InputError
        A bad scenario name, or a scenario in another currency than the base.

    Notes
    -----
    Figures come from :meth:`RegionModel.headline` (``scenarios=False``): the figures each
    scenario's own report and result file show. ``payback_months`` is ``None`` where the
    programme does not pay back within the finance horizon, ``roi`` where it has no cost.
    """
    for name, model in scenarios.items():
        problem = check_name(name)
        if problem is not None:
            raise InputError(f"scenario name {problem}")
        if model.currency != base.currency:
            raise InputError(
                f"scenario {name!r} is in {model.currency}, the base in {base.currency}: "
                "compare like with like"
            )
    base_figures = key_figures(base)
    window = base.params.finance.payback_within_months
    rows: list[dict[str, Any]] = []
    for name, model in [(BASE, base), *scenarios.items()]:
        figures = base_figures if model is base else key_figures(model)
        for f in FIGURES:
            value, reference = figures[f.key], base_figures[f.key]
            a, b = _number(value), _number(reference)
            delta = a - b if a is not None and b is not None and f.kind != "text" else None
            rows.append(
                {
                    "scenario": name,
                    "figure": f.key,
                    "label": f.label.format(window=window),
                    "kind": f.kind,
                    "value": value,
                    "base": reference,
                    "delta": delta,
                    "changed": value != reference,
                }
            )
    return pd.DataFrame(rows, columns=list(rows[0]))


class Change(NamedTuple):
    """A parameter field a scenario sets differently: dotted path, base value, its value."""

    path: str
    base: Any
    value: Any


def _leaves(data: Any, prefix: tuple[str, ...]) -> dict[tuple[str, ...], Any]:
    """Flatten a dumped model: a low/mode/high range or a list stays one value."""
    if isinstance(data, Mapping) and not {"low", "mode", "high"} <= set(data):
        out: dict[tuple[str, ...], Any] = {}
        for key, value in data.items():
            out.update(_leaves(value, (*prefix, str(key))))
        return out
    return {prefix: data}


def changes(base: RegionParams, other: RegionParams) -> list[Change]:
    """List the fields whose values differ between two regions' parameters, in schema order.

    Parameters
    ----------
    base, other : RegionParams
        The region and a scenario of it (e.g. ``model.params`` of each).

    Returns
    -------
    list of Change
        ``path`` is the dotted field (``"sourcing.vendor_share"``); a low/mode/high input is
        one field whose values are mappings; a section present on one side only gives its
        fields with ``None`` on the other side.

    Examples
    --------
    >>> from cxplan.config.params import load_params
    >>> p = "params/regions/north-america.yaml"
    >>> changes(load_params(p), load_params(p, scenario="hybrid-50"))
    [Change(path='sourcing.vendor_share', base=0.3, value=0.5)]
    """
    a = _leaves(base.model_dump(), ())
    b = _leaves(other.model_dump(), ())
    out = []
    for path in dict.fromkeys([*a, *b]):
        old, new = a.get(path), b.get(path)
        if old != new:
            out.append(Change(".".join(path), old, new))
    return out
