"""Cost and sourcing charts: options compared, the cost of an agent hour, crossover volumes."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import altair as alt
import numpy as np
import pandas as pd

from cxplan._validation import as_array
from cxplan.errors import InputError
from cxplan.present.charts._common import (
    _INK,
    _MONEY,
    MAX_ROWS,
    OPTION_COLORS,
    _axis,
    _cap,
    _fmt_number,
    _frame,
    _label,
    _layer,
    _numeric,
    _period_labels,
    _scale,
    _size,
    _title,
    _unique,
)
from cxplan.present.charts.parts import ChartParts, chart_builder

__all__ = ["cost_comparison_chart", "cost_mix_chart", "crossover_chart"]

# ---------------------------------------------------------------------------------------------
# costs and sourcing
# ---------------------------------------------------------------------------------------------

#: compare_sourcing cost columns that add up to total_cost, with their display names.
_TCO_PARTS: dict[str, str] = {
    "inhouse_cost": "In-house running cost",
    "vendor_invoice": "Vendor invoice",
    "governance": "Governance",
    "value_leakage": "Value leakage",
    "one_off_cost": "One-off (transition / set-up)",
    "parallel_run_cost": "Parallel run",
}


def _option_fixed(options: Sequence[str]) -> dict[str, str]:
    return {o: c for o, c in OPTION_COLORS.items() if o in options}


@chart_builder
def cost_comparison_chart(
    comparison: pd.DataFrame,
    *,
    kind: Literal["monthly", "total"] = "monthly",
    currency: str = "USD",
    title: str | None = None,
    horizon: str | None = None,
    width: int = 720,
    height: int = 300,
) -> ChartParts[alt.Chart | alt.LayerChart]:
    """Compare sourcing options: monthly cost per option, or horizon TCO by component.

    Parameters
    ----------
    comparison : pandas.DataFrame
        :func:`cxplan.economics.sourcing.compare_sourcing` output (tidy: ``month``, ``option``,
        ``total_cost`` and the cost components).
    kind : {"monthly", "total"}
        ``"monthly"``: grouped bars, one per option in each month (``total_cost``).
        ``"total"``: one stacked bar per option over the whole horizon, split into in-house
        running cost, vendor invoice, governance, value leakage, one-off and parallel run, with
        the total printed above.
    currency : str
        Currency code for the axis titles.
    title : str, optional
        Chart title (default depends on ``kind``).
    horizon : str, optional
        How the report names the horizon, for the ``"total"`` axis (e.g. ``"the 26-week
        plan"``); default the number of calendar months in ``comparison``.
    width, height : int
        Size in pixels.

    Returns
    -------
    altair.Chart or altair.LayerChart
        The bar chart (``"total"`` adds a text layer).

    Raises
    ------
    InputError
        Missing columns, a bad ``kind``, or more than :data:`MAX_ROWS` rows.
    """
    if kind not in ("monthly", "total"):
        raise InputError(f"kind must be 'monthly' or 'total' (got {kind!r})")
    cur = _label("currency", currency)
    w, h = _size("width", width), _size("height", height)
    need = ["month", "option", "total_cost"] + (list(_TCO_PARTS) if kind == "total" else [])
    df = _frame("comparison", comparison, need)
    _cap("comparison", len(df), "pass fewer months or options")
    options = [str(o) for o in _unique(df["option"].tolist())]
    total = _numeric("comparison", df, "total_cost")
    if kind == "monthly":
        months = pd.Series(df["month"]).drop_duplicates()
        with contextlib.suppress(TypeError):  # unorderable labels keep their order
            months = months.sort_values(kind="stable")
        labels, x_title = _period_labels(months)
        label_of = dict(zip(months.tolist(), labels, strict=True))
        data = pd.DataFrame(
            {
                "month": [label_of[m] for m in df["month"].tolist()],
                "option": df["option"].astype(str).to_numpy(),
                "option_order": [options.index(str(o)) for o in df["option"]],
                "total_cost": total,
            }
        ).sort_values(["month", "option_order"], kind="stable", ignore_index=True)
        monthly = {
            "title": title or "Monthly cost by sourcing option",
            "width": w,
            "height": h,
            "currency": cur,
            "options": tuple(options),
            "labels": tuple(labels),
            "x_title": x_title,
            "y_axis": _axis(total).to_dict(validate=False),
        }
        return ChartParts(_monthly_layout, (data,), monthly)
    n_months = int(pd.Series(df["month"]).nunique())
    sums = df.groupby("option", sort=False)[list(_TCO_PARTS)].sum()
    parts = list(_TCO_PARTS.values())
    order = {o: k for k, o in enumerate(options)}
    long = pd.DataFrame(
        {
            "option": np.repeat([str(o) for o in sums.index], len(parts)),
            "option_order": np.repeat([order[str(o)] for o in sums.index], len(parts)),
            "component": parts * len(sums),
            "component_order": list(range(len(parts))) * len(sums),
            "cost": sums.to_numpy(dtype=float).ravel(),
        }
    )
    long = long[long["cost"] != 0.0].reset_index(drop=True)
    totals = df.groupby("option", sort=False)["total_cost"].sum()
    total_rows = pd.DataFrame(
        {
            "option": [str(o) for o in totals.index],
            "option_order": [order[str(o)] for o in totals.index],
            "total_cost": totals.to_numpy(dtype=float),
            "label": [_fmt_number(float(v)) for v in totals.to_numpy(dtype=float)],
        }
    )
    # the horizon as the report states it (e.g. "the 26-week plan"); calendar months touched by
    # a plan that starts mid-month would overstate it
    layout = {
        "title": title or "Total cost of ownership by sourcing option",
        "width": w,
        "height": h,
        "currency": cur,
        "y_title": f"Total cost over {horizon or f'{n_months} months'} ({cur})",
        "y_axis": _axis(totals).to_dict(validate=False),
    }
    return ChartParts(_total_layout, (long, total_rows), layout)


def _monthly_layout(
    data: pd.DataFrame,
    *,
    title: str,
    width: int,
    height: int,
    currency: str,
    options: tuple[str, ...],
    labels: tuple[str, ...],
    x_title: str,
    y_axis: dict[str, Any],
) -> alt.Chart:
    """Lay the monthly :func:`cost_comparison_chart` out: grouped bars per month."""
    colors = _scale(options, _option_fixed(options))
    chart: alt.Chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("month:O", sort=list(labels), title=x_title, axis=alt.Axis(labelAngle=-45)),
            xOffset=alt.XOffset("option:N", sort=list(options)),
            y=alt.Y("total_cost:Q", title=f"Cost per month ({currency})", axis=alt.Axis(**y_axis)),
            color=alt.Color("option:N", scale=colors, sort=list(options), title="Option"),
            tooltip=[
                alt.Tooltip("month:O", title=x_title),
                alt.Tooltip("option:N", title="Option"),
                alt.Tooltip("total_cost:Q", title=f"Total cost ({currency})", format=_MONEY),
            ],
        )
        .properties(title=_title(title), width=width, height=height)
    )
    return chart


def _total_layout(
    long: pd.DataFrame,
    total_rows: pd.DataFrame,
    *,
    title: str,
    width: int,
    height: int,
    currency: str,
    y_title: str,
    y_axis: dict[str, Any],
) -> alt.LayerChart:
    """Lay the total :func:`cost_comparison_chart` out: stacked components, totals above."""
    parts = list(_TCO_PARTS.values())
    # options in the comparison's order, read from the data (a hybrid's name states its share:
    # the layout stays the same when the share moves)
    x = alt.X(
        "option:N",
        sort=alt.EncodingSortField("option_order", op="min"),
        title="Sourcing option",
        axis=alt.Axis(labelAngle=0),
    )
    stack = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("cost:Q", stack="zero", title=y_title, axis=alt.Axis(**y_axis)),
            color=alt.Color("component:N", scale=_scale(parts), sort=parts, title="Cost component"),
            order=alt.Order("component_order:Q"),
            tooltip=[
                alt.Tooltip("option:N", title="Option"),
                alt.Tooltip("component:N", title="Component"),
                alt.Tooltip("cost:Q", title=f"Cost ({currency})", format=_MONEY),
            ],
        )
    )
    text = (
        alt.Chart(total_rows)
        .mark_text(dy=-6, baseline="bottom", color=_INK)
        .encode(
            x=x,
            y=alt.Y("total_cost:Q"),
            text=alt.Text("label:N"),
            tooltip=[alt.Tooltip("total_cost:Q", title=f"Total ({currency})", format=_MONEY)],
        )
    )
    return _layer(stack, text).properties(title=_title(title), width=width, height=height)


def cost_mix_chart(
    breakdown: pd.DataFrame | Mapping[str, pd.DataFrame],
    *,
    per: Literal["paid_hour", "productive_hour"] = "paid_hour",
    kind: Literal["bar", "donut"] = "bar",
    currency: str = "USD",
    title: str = "Cost mix per agent hour",
    width: int = 600,
    height: int | None = None,
) -> alt.Chart:
    """Cost components of one agent hour, as a stacked bar (one per profile) or a donut.

    Parameters
    ----------
    breakdown : DataFrame or mapping of str to DataFrame
        :func:`cxplan.economics.costs.hourly_cost_breakdown` output (index or column ``component``,
        columns ``cost_per_paid_hour``, ``cost_per_productive_hour``, ``share``), or a mapping
        profile name → breakdown to compare locations side by side (bar only).
    per : {"paid_hour", "productive_hour"}
        Which rate to show.
    kind : {"bar", "donut"}
        Horizontal stacked bar(s), or a donut for a single breakdown.
    currency : str
        Currency code for the axis title.
    title : str
        Chart title.
    width, height : int
        Size in pixels; ``height`` defaults to 60 px per bar (bar) or ``width`` (donut).

    Returns
    -------
    altair.Chart
        Components in :data:`cxplan.economics.costs.COST_COMPONENTS` order, same colours in every
        mix.

    Raises
    ------
    InputError
        Missing columns, negative costs, a bad ``per``/``kind``, or a donut of several mixes.
    """
    if per not in ("paid_hour", "productive_hour"):
        raise InputError(f"per must be 'paid_hour' or 'productive_hour' (got {per!r})")
    if kind not in ("bar", "donut"):
        raise InputError(f"kind must be 'bar' or 'donut' (got {kind!r})")
    cur = _label("currency", currency)
    _label("title", title)
    w = _size("width", width)
    column = f"cost_per_{per}"
    if isinstance(breakdown, Mapping):
        if not breakdown:
            raise InputError("breakdown must hold at least one cost mix")
        mixes = dict(breakdown)
    else:
        mixes = {"": breakdown}
    if kind == "donut" and len(mixes) != 1:
        raise InputError("kind='donut' takes a single breakdown (got several)")
    from cxplan.economics.costs import COST_COMPONENTS

    frames = []
    for profile, mix in mixes.items():
        where = "breakdown" if profile == "" else f"breakdown[{profile!r}]"
        if isinstance(mix, pd.DataFrame) and "component" not in mix.columns:
            mix = mix.reset_index()
        mix = _frame(where, mix, ("component", column))
        cost = _numeric(where, mix, column, low=0.0)
        frames.append(
            pd.DataFrame(
                {
                    "profile": profile,
                    "component": mix["component"].astype(str).to_numpy(),
                    "cost": cost,
                }
            )
        )
    data = pd.concat(frames, ignore_index=True)
    known = [c for c in COST_COMPONENTS if c in set(data["component"])]
    components = known + sorted(set(data["component"]) - set(known))
    data["component_order"] = [components.index(c) for c in data["component"]]
    data["share"] = data["cost"] / data.groupby("profile")["cost"].transform("sum").replace(
        0.0, np.nan
    )
    profiles = list(mixes)
    data["profile_order"] = [profiles.index(p) for p in data["profile"]]
    data = data.sort_values(["profile_order", "component_order"], kind="stable", ignore_index=True)
    rate = "paid" if per == "paid_hour" else "productive"
    sums = data.groupby("profile_order", sort=True)["cost"].sum().to_numpy()
    subtitle = (
        f"Total {sums[0]:,.2f} {cur} per {rate} hour"
        if len(profiles) == 1
        else "Total per "
        + rate
        + " hour: "
        + ", ".join(f"{p} {v:,.2f}" for p, v in zip(profiles, sums, strict=True))
        + f" {cur}"
    )
    color = alt.Color("component:N", scale=_scale(components), sort=components, title="Component")
    tooltip = [
        alt.Tooltip("component:N", title="Component"),
        alt.Tooltip("cost:Q", title=f"Cost per {rate} hour ({cur})", format=",.2f"),
        alt.Tooltip("share:Q", title="Share", format=".1%"),
    ]
    if kind == "donut":
        size = min(w, 320) if height is None else _size("height", height)
        chart: alt.Chart = (
            alt.Chart(data)
            .mark_arc(innerRadius=max(size // 5, 10))
            .encode(
                theta=alt.Theta("cost:Q", stack=True, title=f"Cost per {rate} hour ({cur})"),
                color=color,
                order=alt.Order("component_order:Q"),
                tooltip=tooltip,
            )
            .properties(title=_title(title, subtitle), width=size, height=size)
        )
        return chart
    h = 60 * len(profiles) if height is None else _size("height", height)
    bars: alt.Chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("cost:Q", stack="zero", title=f"Cost per {rate} agent hour ({cur})"),
            y=alt.Y("profile:N", sort=profiles, title=None),
            color=color,
            order=alt.Order("component_order:Q"),
            tooltip=[alt.Tooltip("profile:N", title="Profile"), *tooltip],
        )
        .properties(title=_title(title, subtitle), width=w, height=h)
    )
    return bars


def _thin(frame: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Keep at most ``limit`` rows, evenly spaced, always the first and last."""
    if len(frame) <= limit:
        return frame
    keep = np.unique(np.linspace(0, len(frame) - 1, limit).round().astype(np.int64))
    return frame.iloc[keep]


def crossover_chart(
    curves: Any,
    *,
    crossings: Sequence[float] | None = None,
    metric: Literal["total", "per_contact"] = "total",
    log_x: bool = False,
    currency: str = "USD",
    title: str = "In-house vs outsourced cost by volume",
    width: int = 640,
    height: int = 320,
) -> alt.LayerChart:
    """Cost of each option against monthly volume, with a rule at each crossover.

    Parameters
    ----------
    curves : pandas.DataFrame or cxplan.economics.sourcing.CrossoverResult
        :func:`cxplan.economics.sourcing.cost_curves` output (``monthly_contacts``,
        ``inhouse_cost``,
        ``outsourced_cost``, the per-contact columns), or a
        :func:`cxplan.economics.sourcing.crossover`
        result (its ``curve`` and exact ``monthly_contacts`` crossings are used).
    crossings : sequence of float, optional
        Monthly volumes of the crossings. Default: the result's own, or for a bare curve table
        a linear interpolation of the sign changes of ``saving_from_outsourcing`` between grid
        points (approximate; use :func:`cxplan.economics.sourcing.crossover` for the solved values).
    metric : {"total", "per_contact"}
        Horizon total cost, or cost per contact.
    log_x : bool
        Logarithmic volume axis (suits the geometric grid of ``crossover``).
    currency : str
        Currency code for the axis title.
    title : str
        Chart title.
    width, height : int
        Size in pixels.

    Returns
    -------
    altair.LayerChart
        One line per option; vertical rules and labels at the crossings. Curves longer than
        :data:`MAX_ROWS` points are thinned evenly.

    Raises
    ------
    InputError
        Missing columns, a bad ``metric``, or non-finite crossings.
    """
    if metric not in ("total", "per_contact"):
        raise InputError(f"metric must be 'total' or 'per_contact' (got {metric!r})")
    cur = _label("currency", currency)
    _label("title", title)
    w, h = _size("width", width), _size("height", height)
    given: Sequence[float] | None = crossings
    if not isinstance(curves, pd.DataFrame) and hasattr(curves, "curve"):
        if given is None:
            given = tuple(curves.monthly_contacts)
        curves = curves.curve
    suffix = "_cost" if metric == "total" else "_cost_per_contact"
    cols = {"in-house": f"inhouse{suffix}", "outsourced": f"outsourced{suffix}"}
    df = _frame("curves", curves, ["monthly_contacts", *cols.values()])
    df = df.sort_values("monthly_contacts", kind="stable").reset_index(drop=True)
    x_vals = _numeric("curves", df, "monthly_contacts", low=0.0)
    if given is None:
        d = df["inhouse_cost"].to_numpy(dtype=float) - df["outsourced_cost"].to_numpy(dtype=float)
        idx = np.flatnonzero(np.sign(d[:-1]) * np.sign(d[1:]) < 0)
        found = x_vals[idx] + (x_vals[idx + 1] - x_vals[idx]) * d[idx] / (d[idx] - d[idx + 1])
        at_zero = x_vals[1:-1][(d[1:-1] == 0) & (np.sign(d[:-2]) * np.sign(d[2:]) < 0)]
        marks = sorted(float(v) for v in np.concatenate([found, at_zero]))
    else:
        marks = sorted(float(v) for v in np.atleast_1d(as_array("crossings", list(given), low=0.0)))
    limit = MAX_ROWS // 2
    df = _thin(df, limit)
    options = list(cols)
    long = pd.DataFrame(
        {
            "monthly_contacts": np.tile(df["monthly_contacts"].to_numpy(dtype=float), 2),
            "option": np.repeat(options, len(df)),
            "cost": np.concatenate([df[c].to_numpy(dtype=float) for c in cols.values()]),
        }
    )
    long = long[np.isfinite(long["cost"])].reset_index(drop=True)
    y_title = (
        f"Total cost over the horizon ({cur})" if metric == "total" else f"Cost per contact ({cur})"
    )
    x_scale = alt.Scale(type="log") if log_x else alt.Scale(zero=False)
    x = alt.X("monthly_contacts:Q", scale=x_scale, title="Monthly contacts", axis=_axis(x_vals))
    lines = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y(
                "cost:Q",
                title=y_title,
                axis=_axis(long["cost"]) if metric == "total" else alt.Axis(format=",.2f"),
            ),
            color=alt.Color("option:N", scale=_scale(options, OPTION_COLORS), title="Option"),
            tooltip=[
                alt.Tooltip("option:N", title="Option"),
                alt.Tooltip("monthly_contacts:Q", title="Monthly contacts", format=",.0f"),
                alt.Tooltip(
                    "cost:Q", title=y_title, format=_MONEY if metric == "total" else ",.2f"
                ),
            ],
        )
    )
    layers: list[Any] = [lines]
    subtitle = "No crossover in the range shown"
    if marks:
        rule_data = pd.DataFrame(
            {
                "monthly_contacts": marks,
                "label": [f"Crossover ≈ {_fmt_number(v)} contacts/month" for v in marks],
            }
        )
        rules = (
            alt.Chart(rule_data)
            .mark_rule(strokeDash=[4, 3], color=_INK)
            .encode(
                x=alt.X("monthly_contacts:Q"),
                tooltip=[
                    alt.Tooltip(
                        "monthly_contacts:Q", title="Crossover (contacts/month)", format=",.0f"
                    )
                ],
            )
        )
        labels = (
            alt.Chart(rule_data)
            .mark_text(align="left", dx=4, baseline="top", color=_INK)
            .encode(x=alt.X("monthly_contacts:Q"), y=alt.value(4), text=alt.Text("label:N"))
        )
        layers += [rules, labels]
        subtitle = "; ".join(rule_data["label"])
    return _layer(*layers).properties(title=_title(title, subtitle), width=w, height=h)
