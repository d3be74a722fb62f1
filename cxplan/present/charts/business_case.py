"""Business-case charts: cash flow and break-even, NPV tornado, Monte Carlo histogram, portfolio."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import altair as alt
import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_array
from cxplan.economics.risk import histogram_percentile
from cxplan.errors import InputError
from cxplan.present.charts._common import (
    _BAD,
    _GOOD,
    _HIGH,
    _INK,
    _LOW,
    _MONEY,
    PALETTE,
    _axis,
    _cap,
    _fmt_number,
    _frame,
    _label,
    _layer,
    _numeric,
    _size,
    _title,
)
from cxplan.present.charts.parts import ChartParts, chart_builder

__all__ = ["cashflow_chart", "histogram_chart", "portfolio_chart", "tornado_chart"]

# ---------------------------------------------------------------------------------------------
# finance and risk
# ---------------------------------------------------------------------------------------------


def _by_month(df: pd.DataFrame) -> tuple[npt.NDArray[Any], dict[Any, npt.NDArray[np.float64]]]:
    """Each series' value per month (months sorted): ``pivot_table(..., aggfunc="sum")``.

    When every series has exactly one row per month (the roadmap's table), each sum is of one
    value, which is the value itself (pandas' sum starts from 0.0: ``+ 0.0``), so the table is
    spread column-wise; otherwise pandas pivots it.
    """
    month = df["month"].to_numpy()
    series = df["series"].to_numpy()
    value = df["value"].to_numpy()
    if month.dtype.kind in "iu" and value.dtype.kind == "f" and not np.isnan(value).any():
        months, slot_of = np.unique(month, return_inverse=True)
        names = list(dict.fromkeys(series.tolist()))
        columns: dict[Any, npt.NDArray[np.float64]] = {}
        if all(isinstance(name, str) for name in names):
            for name in sorted(names):
                slot = slot_of[series == name]
                if slot.size != months.size or np.unique(slot).size != months.size:
                    break  # a month missing or repeated: pandas sums
                column = np.empty(months.size)
                column[slot] = value[series == name] + 0.0
                columns[name] = column
            else:
                return months, columns
    wide = df.pivot_table(index="month", columns="series", values="value", aggfunc="sum")
    wide = wide.sort_index()
    return wide.index.to_numpy(), {c: wide[c].to_numpy(dtype=float) for c in wide.columns}


def _month_labels(df: pd.DataFrame, months: npt.NDArray[Any]) -> list[str]:
    """Return the ``month_label`` of each month's first row."""
    month = df["month"].to_numpy()
    if month.dtype.kind in "iu":
        _, first = np.unique(month, return_index=True)
        return [str(label) for label in df["month_label"].to_numpy()[first]]
    label_map = df.drop_duplicates("month").set_index("month")["month_label"]
    return [str(label_map[m]) for m in months]


def _cash_inputs(
    cashflows: Any,
) -> tuple[npt.NDArray[np.float64], list[str], pd.DataFrame | None]:
    """Net flow, month labels and (for roadmap data) costs/benefits per month."""
    if isinstance(cashflows, pd.DataFrame):
        df = _frame("cashflows", cashflows, ("month", "series", "value"))
        index, wide = _by_month(df)
        if "net" not in wide:
            raise InputError("cashflows needs a 'net' series (roadmap.cashflow_chart_data output)")
        months = as_array("cashflows['month']", index, low=0.0, integer=True)
        if not np.array_equal(months, np.arange(len(months))):
            raise InputError("cashflows months must run 0, 1, 2, … without gaps")
        if "month_label" in df.columns:
            labels = _month_labels(df, index)
        else:
            labels = [str(int(m)) for m in index]
        net = as_array("cashflows net", wide["net"])
        parts = None
        if {"costs", "benefits"} <= set(wide):
            parts = pd.DataFrame(
                {
                    "Costs": -as_array("cashflows costs", wide["costs"]),
                    "Benefits": as_array("cashflows benefits", wide["benefits"]),
                }
            )
        return net, labels, parts
    net = as_array("cashflows", cashflows)
    if net.ndim != 1 or net.size == 0:
        raise InputError(
            f"cashflows must be a one-dimensional array of monthly flows (got shape {net.shape})"
        )
    return net, [str(i) for i in range(net.size)], None


@chart_builder
def cashflow_chart(
    cashflows: Any,
    *,
    rate: float | None = None,
    currency: str = "USD",
    title: str = "Monthly and cumulative net cash flow",
    width: int = 640,
    height: int = 300,
) -> ChartParts[alt.LayerChart]:
    """Monthly cash flow as bars, cumulative as a line, with the break-even month marked.

    Parameters
    ----------
    cashflows : array_like or pandas.DataFrame
        Net cash flow per month, month 0 (upfront, t = 0) first — e.g.
        ``Schedule.net_cash_flow()`` — or :func:`cxplan.plan.roadmap.cashflow_chart_data` output
        (long ``month, month_label, series, value``; its costs and benefits are drawn as
        separate bars and its month labels used).
    rate : float, optional
        Discount rate per month (> -1): the line becomes the discounted cumulative flow and the
        break-even the discounted one. Bars always show the flows as given.
    currency : str
        Currency code for the axis title.
    title : str
        Chart title.
    width, height : int
        Size in pixels.

    Returns
    -------
    altair.LayerChart
        Bars (net inflow / outflow, or costs / benefits), cumulative line with points, a rule
        at zero and, when it occurs, a labelled point at the break-even month.

    Raises
    ------
    InputError
        Not one-dimensional, non-finite values, a bad rate, or more than :data:`MAX_ROWS`
        months.

    Notes
    -----
    Cumulative = :func:`cxplan.economics.finance.cumulative_cashflow`; break-even =
    :func:`cxplan.economics.finance.break_even_month`: the first month in which the cumulative flow
    is
    back at or above zero after being negative (month 0 is the upfront flow, so the index is
    the calendar month). The subtitle states the result, including "never negative" and "no
    break-even within the horizon".

    Examples
    --------
    >>> chart = cashflow_chart([-1000, 150, 150, 150, 150, 150, 150, 150])
    >>> chart.to_dict()["title"]["subtitle"]
    'Cumulative net cash flow: break-even in month 7'
    """
    from cxplan.economics.finance import break_even_month, cumulative_cashflow

    cur = _label("currency", currency)
    _label("title", title)
    w, h = _size("width", width), _size("height", height)
    net, labels, parts = _cash_inputs(cashflows)
    _cap("cashflows", net.size, "aggregate to quarters or shorten the horizon")
    cum = np.asarray(cumulative_cashflow(net, rate), dtype=float)
    be = float(break_even_month(net, rate))
    months = np.arange(net.size)
    if parts is None:
        bars = pd.DataFrame(
            {
                "month": months,
                "month_label": labels,
                "series": np.where(net < 0, "Net outflow", "Net inflow"),
                "amount": net,
            }
        )
        domain, colors = ["Net outflow", "Net inflow"], [_BAD, _GOOD]
    else:
        bars = pd.DataFrame(
            {
                "month": np.tile(months, 2),
                "month_label": labels * 2,
                "series": np.repeat(["Costs", "Benefits"], net.size),
                "amount": np.concatenate([parts["Costs"], parts["Benefits"]]),
            }
        ).sort_values(["month", "series"], kind="stable", ignore_index=True)
        bars = bars[bars["amount"] != 0.0].reset_index(drop=True)
        domain, colors = ["Costs", "Benefits"], [_BAD, _GOOD]
    kind = "Discounted cumulative" if rate is not None else "Cumulative"
    line_data = pd.DataFrame({"month": months, "month_label": labels, "cumulative": cum})
    marker = None
    if math.isnan(be):
        subtitle = f"{kind} net cash flow: no break-even within {net.size - 1} months"
    elif be == 0.0:
        subtitle = f"{kind} net cash flow never negative: nothing to pay back"
    else:
        j = int(be)
        name = f"month {j}" if labels[j] in (str(j), f"M{j}") else f"month {j} ({labels[j]})"
        subtitle = f"{kind} net cash flow: break-even in {name}"
        marker = pd.DataFrame(
            {
                "month_label": [labels[j]],
                "cumulative": [cum[j]],
                "label": [f"Break-even: {name}"],
            }
        )
    layout = {
        "title": title,
        "subtitle": subtitle,
        "width": w,
        "height": h,
        "currency": cur,
        "kind": kind,
        "labels": tuple(labels),
        "domain": tuple(domain),
        "colors": tuple(colors),
        "y_axis": _axis(np.concatenate([bars["amount"], cum])).to_dict(validate=False),
    }
    frames: tuple[pd.DataFrame, ...] = (bars, line_data, pd.DataFrame({"zero": [0.0]}))
    if marker is not None:
        frames = (*frames, marker)
    return ChartParts(_cashflow_layout, frames, layout, texts=("subtitle",))


def _cashflow_layout(
    bars: pd.DataFrame,
    line_data: pd.DataFrame,
    zero_data: pd.DataFrame,
    marker: pd.DataFrame | None = None,
    *,
    title: str,
    subtitle: str,
    width: int,
    height: int,
    currency: str,
    kind: str,
    labels: tuple[str, ...],
    domain: tuple[str, ...],
    colors: tuple[str, ...],
    y_axis: dict[str, Any],
) -> alt.LayerChart:
    """Lay :func:`cashflow_chart` out: bars, zero rule, cumulative line, break-even marker."""
    cur = currency
    x = alt.X(
        "month_label:O",
        sort=list(labels),
        title="Plan month (M0: the first month, undiscounted)",
        axis=alt.Axis(labelAngle=0 if len(labels) <= 24 else -45),
    )
    y_title = f"Cash flow ({cur})"
    bar_layer = (
        alt.Chart(bars)
        .mark_bar(opacity=0.8)
        .encode(
            x=x,
            y=alt.Y("amount:Q", stack="zero", title=y_title, axis=alt.Axis(**y_axis)),
            color=alt.Color(
                "series:N", scale=alt.Scale(domain=list(domain), range=list(colors)), title=None
            ),
            tooltip=[
                alt.Tooltip("month_label:O", title="Month"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("amount:Q", title=f"Amount ({cur})", format=_MONEY),
            ],
        )
    )
    line_layer = (
        alt.Chart(line_data)
        .mark_line(point=alt.OverlayMarkDef(color=_INK), color=_INK, strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("cumulative:Q"),
            tooltip=[
                alt.Tooltip("month_label:O", title="Month"),
                alt.Tooltip("cumulative:Q", title=f"{kind} ({cur})", format=_MONEY),
            ],
        )
    )
    zero = alt.Chart(zero_data).mark_rule(color=_INK, strokeWidth=1).encode(y=alt.Y("zero:Q"))
    layers: list[Any] = [bar_layer, zero, line_layer]
    if marker is not None:
        layers.append(
            alt.Chart(marker)
            .mark_point(shape="diamond", size=160, filled=True, color=_GOOD, stroke=_INK)
            .encode(
                x=x,
                y=alt.Y("cumulative:Q"),
                tooltip=[
                    alt.Tooltip("label:N", title="Break-even"),
                    alt.Tooltip("cumulative:Q", title=f"{kind} ({cur})", format=_MONEY),
                ],
            )
        )
        text: dict[str, Any] = {"align": "left", "dx": 8, "dy": -10, "fontWeight": "bold"}
        for style in ({"stroke": "white", "strokeWidth": 4, "color": "white"}, {"color": _INK}):
            layers.append(  # a white halo under the label keeps it legible over the bars
                alt.Chart(marker)
                .mark_text(**text, **style)
                .encode(x=x, y=alt.Y("cumulative:Q"), text=alt.Text("label:N"))
            )
    return _layer(*layers).properties(title=_title(title, subtitle), width=width, height=height)


def _axis_title(frame: pd.DataFrame, output_title: str | None, unit: str | None) -> str:
    name = output_title or str(frame.attrs.get("output", "Output"))
    return f"{name} ({unit})" if unit else name


@chart_builder
def tornado_chart(
    table: pd.DataFrame,
    *,
    output_title: str | None = None,
    unit: str | None = None,
    max_inputs: int = 15,
    title: str = "Sensitivity (tornado)",
    width: int = 600,
    height: int | None = None,
) -> ChartParts[alt.LayerChart]:
    """Horizontal bars from each input's low-case to high-case output, around the base case.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`cxplan.economics.risk.tornado` output: ``input``, ``output_low``, ``output_high``,
        ``base_output``, ``swing`` (``low_value``/``high_value`` are shown when present).
    output_title : str, optional
        Name of the output for the axis (default ``table.attrs["output"]``).
    unit : str, optional
        Unit of the output, e.g. the currency code for an NPV or ``"months"`` for a payback.
    max_inputs : int
        Show the ``max_inputs`` largest swings (rows beyond are dropped).
    title : str
        Chart title.
    width, height : int
        Size in pixels; ``height`` defaults to 28 px per input.

    Returns
    -------
    altair.LayerChart
        Two bar segments per input (output with the input at its low value, and at its high
        value, each drawn from the base output), inputs sorted by swing (largest on top), and a
        rule at the base output.

    Raises
    ------
    InputError
        Missing columns, an infinite or all-NaN output, or more than one base output.

    Notes
    -----
    A case whose output is NaN (e.g. "never pays back") has no bar; the subtitle counts them.
    """
    _label("title", title)
    w = _size("width", width)
    keep = _size("max_inputs", max_inputs)
    df = _frame("table", table, ("input", "output_low", "output_high", "base_output", "swing"))
    base = _numeric("table", df, "base_output")
    if not np.allclose(base, base[0], rtol=1e-12, atol=0.0):
        raise InputError("table must hold one base case (base_output differs between rows)")
    for col in ("output_low", "output_high"):
        _numeric("table", df, col, allow_nan=True)
    df = df.sort_values("swing", ascending=False, kind="stable", na_position="last").head(keep)
    inputs = [str(i) for i in df["input"]]
    if len(set(inputs)) != len(inputs):
        raise InputError("table has duplicate inputs")
    n = len(df)
    lo_val = df["low_value"].to_numpy(dtype=float) if "low_value" in df else np.full(n, np.nan)
    hi_val = df["high_value"].to_numpy(dtype=float) if "high_value" in df else np.full(n, np.nan)
    sides = ["Input at low value", "Input at high value"]
    data = pd.DataFrame(
        {
            "input": inputs * 2,
            "input_rank": np.tile(np.arange(n), 2),  # 0: the largest swing, drawn on top
            "side": np.repeat(sides, n),
            "input_value": np.concatenate([lo_val, hi_val]),
            "output": np.concatenate(
                [df["output_low"].to_numpy(dtype=float), df["output_high"].to_numpy(dtype=float)]
            ),
            "base_output": float(base[0]),
            "swing": np.tile(df["swing"].to_numpy(dtype=float), 2),
        }
    )
    finite = np.isfinite(data["output"].to_numpy())
    dropped = int((~finite).sum())
    data = data[finite].reset_index(drop=True)
    if data.empty:
        raise InputError("table has no finite output_low / output_high to draw")
    subtitle = f"Base case {_fmt_number(float(base[0]))}; one input at a time, others at base"
    if dropped:
        subtitle += f"; {dropped} case(s) with no finite output not drawn"
    layout = {
        "title": title,
        "subtitle": subtitle,
        "width": w,
        "height": 28 * n if height is None else _size("height", height),
        "axis_title": _axis_title(table, output_title, unit),
        "sides": tuple(sides),
        "x_axis": _axis(data["output"]).to_dict(validate=False),
    }
    base_data = pd.DataFrame({"base_output": [float(base[0])]})
    return ChartParts(_tornado_layout, (data, base_data), layout, texts=("subtitle",))


def _tornado_layout(
    data: pd.DataFrame,
    base_data: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    width: int,
    height: int,
    axis_title: str,
    sides: tuple[str, ...],
    x_axis: dict[str, Any],
) -> alt.LayerChart:
    """Lay :func:`tornado_chart` out: low and high bars per input, a rule at the base case."""
    axis = axis_title
    # inputs by swing, read from the data (the ranking may change while the layout does not)
    y = alt.Y("input:N", sort=alt.EncodingSortField("input_rank", op="min"), title=None)
    bars = (
        alt.Chart(data)
        .mark_bar(opacity=0.9)
        .encode(
            y=y,
            x=alt.X("output:Q", title=axis, scale=alt.Scale(zero=False), axis=alt.Axis(**x_axis)),
            x2=alt.X2("base_output:Q"),
            color=alt.Color(
                "side:N", scale=alt.Scale(domain=list(sides), range=[_LOW, _HIGH]), title=None
            ),
            tooltip=[
                alt.Tooltip("input:N", title="Input"),
                alt.Tooltip("side:N", title="Case"),
                alt.Tooltip("input_value:Q", title="Input value", format=",.4~g"),
                alt.Tooltip("output:Q", title=axis, format=",.4~g"),
                alt.Tooltip("swing:Q", title="Swing", format=",.4~g"),
            ],
        )
    )
    base_rule = (
        alt.Chart(base_data)
        .mark_rule(color=_INK, strokeWidth=1.5)
        .encode(
            x=alt.X("base_output:Q"),
            tooltip=[alt.Tooltip("base_output:Q", title="Base case", format=",.4~g")],
        )
    )
    return _layer(bars, base_rule).properties(
        title=_title(title, subtitle), width=width, height=height
    )


def histogram_chart(
    hist: pd.DataFrame,
    *,
    percentiles: Mapping[str, float] | pd.Series | None = None,
    output_title: str | None = None,
    unit: str | None = None,
    title: str = "Monte Carlo distribution",
    width: int = 600,
    height: int = 260,
) -> alt.LayerChart:
    """Histogram of Monte Carlo draws with P10, P50 and P90 rules.

    Parameters
    ----------
    hist : pandas.DataFrame
        Columns ``bin_start``, ``bin_end``, ``count`` (``MonteCarloResult.histogram``).
    percentiles : mapping or pandas.Series, optional
        Keys ``p10``, ``p50``, ``p90`` (case-insensitive), e.g. a row of
        ``MonteCarloResult.summary()``. Default: estimated from the histogram by linear
        interpolation within bins (within one bin width of the exact value; the subtitle says
        so).
    output_title : str, optional
        Name of the output for the axis (default ``hist.attrs["output"]``).
    unit : str, optional
        Unit of the output (currency code, ``"months"``, ...).
    title : str
        Chart title.
    width, height : int
        Size in pixels.

    Returns
    -------
    altair.LayerChart
        Bars from ``bin_start`` to ``bin_end``; dashed rules at P10 / P50 / P90, labelled with
        their meaning: P10 is the 10th percentile (90 % of draws above it), P90 the 90th
        (10 % of draws above it), see :data:`cxplan.economics.risk.P_DEFINITION`.

    Raises
    ------
    InputError
        Missing columns, negative counts, bins that are not increasing, or missing percentile
        keys.
    """
    _label("title", title)
    w, h = _size("width", width), _size("height", height)
    df = _frame("hist", hist, ("bin_start", "bin_end", "count"))
    _cap("hist", len(df), "use fewer bins")
    df = df.sort_values("bin_start", kind="stable").reset_index(drop=True)
    start = _numeric("hist", df, "bin_start")
    end = _numeric("hist", df, "bin_end")
    count = _numeric("hist", df, "count", low=0.0)
    if np.any(end <= start) or np.any(start[1:] < end[:-1]):
        raise InputError("hist bins must be increasing and not overlap (bin_start < bin_end)")
    keys = ("p10", "p50", "p90")
    if percentiles is None:
        values = [histogram_percentile(start, end, count, q) for q in (10.0, 50.0, 90.0)]
        note = "percentiles estimated from the histogram"
    else:
        lower = {str(k).lower(): v for k, v in dict(percentiles).items()}
        missing = [k for k in keys if k not in lower]
        if missing:
            raise InputError(f"percentiles is missing {missing} (needs p10, p50, p90)")
        values = [float(as_array(f"percentiles[{k!r}]", lower[k], allow_nan=True)) for k in keys]
        note = "percentiles of the draws"
    meaning = ["90 % of draws above", "median", "10 % of draws above"]
    ref = pd.DataFrame(
        {
            "name": ["P10", "P50", "P90"],
            "value": values,
            "label": [
                f"{k.upper()} {_fmt_number(v)} ({m})"
                for k, v, m in zip(keys, values, meaning, strict=True)
            ],
        }
    )
    ref = ref[np.isfinite(ref["value"])].reset_index(drop=True)
    data = pd.DataFrame({"bin_start": start, "bin_end": end, "count": count})
    axis = _axis_title(hist, output_title, unit)
    bars = (
        alt.Chart(data)
        .mark_bar(color=PALETTE[0], opacity=0.85, binSpacing=0)
        .encode(
            x=alt.X(
                "bin_start:Q",
                bin="binned",
                title=axis,
                scale=alt.Scale(zero=False),
                axis=_axis(np.concatenate([start, end])),
            ),
            x2=alt.X2("bin_end:Q"),
            # 30 % headroom above the tallest bar for the percentile labels
            y=alt.Y(
                "count:Q",
                title="Draws (count)",
                scale=alt.Scale(domain=[0.0, 1.3 * float(max(count.max(), 1.0))]),
            ),
            tooltip=[
                alt.Tooltip("bin_start:Q", title="From", format=",.4~g"),
                alt.Tooltip("bin_end:Q", title="To", format=",.4~g"),
                alt.Tooltip("count:Q", title="Draws", format=",.0f"),
            ],
        )
    )
    rules = (
        alt.Chart(ref)
        .mark_rule(strokeDash=[5, 3], strokeWidth=1.5)
        .encode(
            x=alt.X("value:Q"),
            color=alt.Color(
                "name:N",
                scale=alt.Scale(domain=["P10", "P50", "P90"], range=[_BAD, _INK, _GOOD]),
                title=None,
            ),
            tooltip=[alt.Tooltip("label:N", title="Percentile")],
        )
    )
    # one text layer per percentile, each at its own pixel height so the labels never overlap
    labels = [
        alt.Chart(ref.iloc[[i]])
        .mark_text(align="left", dx=4, baseline="top")
        .encode(
            x=alt.X("value:Q"),
            y=alt.value(4 + 14 * i),
            text=alt.Text("label:N"),
            color=alt.Color("name:N", legend=None),
        )
        for i in range(len(ref))
    ]
    subtitle = f"{int(count.sum()):,} draws; P10 = 10th percentile ({note})"
    return _layer(bars, rules, *labels).properties(title=_title(title, subtitle), width=w, height=h)


def portfolio_chart(
    table: pd.DataFrame,
    *,
    currency: str | None = None,
    title: str = "Initiative NPV by region: P10–P90 range and base case",
    width: int = 600,
    height: int | None = None,
) -> alt.LayerChart:
    """NPV range per region for the portfolio report.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`cxplan.present.report.portfolio_table` output: index ``region``; columns ``npv_p10``,
        ``npv_p90``, ``initiative_npv`` and ``currency``.
    currency : str, optional
        Axis currency; default the table's (or "mixed" when regions differ).
    title : str
        Chart title.
    width, height : int
        Size in pixels (height defaults to 40 px per region).

    Returns
    -------
    altair.LayerChart
        A horizontal rule from P10 to P90 per region with a point at the base-case NPV.
    """
    frame = _frame("table", table.reset_index(), ["region", "npv_p10", "npv_p90", "initiative_npv"])
    if currency is None:
        currencies = sorted(set(frame.get("currency", pd.Series(["USD"]))))
        currency = currencies[0] if len(currencies) == 1 else "mixed currencies"
    data = frame[["region", "npv_p10", "npv_p90", "initiative_npv"]].sort_values("region")
    records = alt.Data(values=data.to_dict(orient="records"))
    y = alt.Y("region:N", title=None, sort=list(data["region"]))
    axis_title = f"NPV ({currency})"
    x_axis = _axis(data[["npv_p10", "npv_p90", "initiative_npv"]].to_numpy(dtype=float))
    base = alt.Chart(records)
    rule = base.mark_rule(strokeWidth=6, color=PALETTE[0], opacity=0.5).encode(
        y=y,
        x=alt.X("npv_p10:Q", title=axis_title, axis=x_axis),
        x2="npv_p90:Q",
        tooltip=[
            alt.Tooltip("region:N"),
            alt.Tooltip("npv_p10:Q", title="P10 (90 % of draws above)", format=",.0f"),
            alt.Tooltip("npv_p90:Q", title="P90 (10 % of draws above)", format=",.0f"),
        ],
    )
    point = base.mark_point(filled=True, size=90, color=PALETTE[1]).encode(
        y=y,
        x=alt.X("initiative_npv:Q", title=axis_title, axis=x_axis),
        tooltip=[
            alt.Tooltip("region:N"),
            alt.Tooltip("initiative_npv:Q", title="base case", format=",.0f"),
        ],
    )
    return _layer(rule, point).properties(
        title=_title(title, "bar: P10 to P90 of the Monte Carlo; dot: base case"),
        width=_size("width", width),
        height=_size("height", height if height is not None else 40 * max(1, len(data))),
    )
