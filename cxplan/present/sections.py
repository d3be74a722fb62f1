"""The region report, section by section: what each notebook cell displays.

The report notebook stays thin: one call per section, each returning a :class:`Block` (HTML
that Jupyter and nbconvert render as is). Every figure comes from :class:`~cxplan.model.RegionModel`
and its headline, so the summary, charts, tables and exports quote the same numbers; every table
goes through :func:`cxplan.present.tables.format_table` (human headers, currency, separators,
``n/a`` with reasons); prose is Markdown with every params-derived string escaped
(:func:`cxplan.present.report.safe_text`); charts are static SVG (offline).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import mistune
import numpy as np
import pandas as pd

from cxplan.present import charts
from cxplan.present.columns import ColumnSpec, header_for
from cxplan.present.history_charts import history_forecast_chart
from cxplan.present.report import (
    executive_summary,
    explain_peak,
    initiative_summary,
    money,
    regions_count,
    safe_text,
)
from cxplan.present.tables import format_table

if TYPE_CHECKING:
    from cxplan.model import RegionModel

__all__ = [
    "Block",
    "appendix",
    "business_case",
    "costs",
    "history",
    "kpis",
    "pilot",
    "plan",
    "portfolio",
    "staffing",
    "summary",
    "title",
]

# Markdown → HTML for cxplan's own prose; its params-derived parts are already escaped
# (safe_text), so raw HTML in the source is cxplan's own.
_MARKDOWN = mistune.create_markdown(escape=False)


@dataclass(frozen=True)
class Block:
    """A piece of the report: HTML that notebooks display and nbconvert exports as is."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def _md(text: str) -> str:
    return str(_MARKDOWN(text))


def _join(parts: Iterable[str]) -> Block:
    return Block("\n".join(p for p in parts if p))


def _chart(chart: Any) -> str:
    return charts.svg_html(chart)


def title(model: RegionModel) -> Block:
    """Show the heading: the region's name, the plan's start and horizon, the currency."""
    h = model.headline()
    start = pd.Timestamp(h["start_date"]).strftime("%-d %B %Y")
    return Block(
        f"<h1>{safe_text(h['region'])}: contact-centre plan and business case</h1>"
        f'<p class="cx-subtitle">Plan from {start}, {h["horizon_weeks"]} weeks; business case '
        f"over {h['initiative']['finance_horizon_months']} months; amounts in "
        f"{safe_text(h['currency'])}.</p>"
    )


def summary(model: RegionModel) -> Block:
    """Show the executive summary: the recommendation, its reasons, risks and checks."""
    return Block(_md(executive_summary(model)))


def history(model: RegionModel) -> Block:
    """Show the client's history, its measured baseline and the forecast the plan uses.

    Empty for a region planned from typed assumptions (no ``history:`` section).
    """
    baseline, fc = model.history_baseline, model.plan_forecast
    h = model.headline()
    if baseline is None or fc is None or h["forecast"] is None:
        return Block("")
    parts = ["<h2>History and forecast</h2>"]  # its own heading: absent without a history
    if model.history_is_demo:
        parts.append(
            _md("**Demo data:** the history below is cxplan's synthetic demo file, not this "
                "client's records.")
        )  # fmt: skip
    weekly_forecast = pd.concat(
        [
            s.resample("W-MON", label="left", closed="left").sum().rename("offered").to_frame()
            .assign(channel=name).rename_axis("week_start").reset_index()
            for name, s in model.volumes.items()
        ],
        ignore_index=True,
    )  # fmt: skip
    measured = baseline.weekly[baseline.weekly["days"] == 7]
    parts.append(_chart(history_forecast_chart(measured, weekly_forecast)))
    fch = h["forecast"]
    basis = (
        "the mean forecast"
        if fch["basis"] == "mean"
        else f"the {fch['basis']} forecast (a safety margin over the mean)"
    )
    reasons = " ".join(safe_text(c["reason"]) for c in fch["channels"].values())
    parts.append(_md(f"The plan staffs to {basis}. {reasons}"))
    table = fc.backtest_table()
    table["channel"] = table["channel"].map(str.capitalize)
    parts.append(
        format_table(
            table[["channel", "label", "wape", "bias", "coverage_80", "chosen"]],
            {"channel": ColumnSpec("Channel", "text"),
             "label": ColumnSpec("Method", "text"),
             "wape": ColumnSpec("WAPE", "percent", 1),
             "bias": ColumnSpec("Bias", "percent", 1, signed=True),
             "coverage_80": ColumnSpec("Inside the 80 % interval", "percent", 0),
             "chosen": ColumnSpec("Chosen", "bool")},
            caption="Backtest: one week ahead from each of the last weeks of history",
            notes=["WAPE: absolute errors ÷ actual contacts; bias: (forecast − actual) ÷ actual."],
        ).to_html()
    )  # fmt: skip
    fits = [fit.sentence for fit in baseline.fits.values()]
    if fits:
        parts.append(_md("How well the queueing model explains the measured service level: "
                         + " ".join(safe_text(s) for s in fits)))  # fmt: skip
    quality = baseline.quality.copy()
    quality["channel"] = quality["channel"].map(str.capitalize)
    quality["check"] = quality["check"].map(lambda c: str(c).replace("_", " ").capitalize())
    parts.append(
        format_table(
            quality,
            {"channel": ColumnSpec("Channel", "text"), "check": ColumnSpec("Check", "text"),
             "count": ColumnSpec("Found", "count"), "detail": ColumnSpec("Detail", "text")},
            caption="Data quality of the history",
        ).to_html()
    )  # fmt: skip
    return _join(parts)


def staffing(model: RegionModel) -> Block:
    """Staffing by interval and channel, the peak explained, weekly FTE and the starting point."""
    weekly = model.weekly.reset_index()
    weekly.insert(0, "week", np.arange(1, len(weekly) + 1))
    start = model.starting_service.reset_index()
    start["channel"] = start["channel"].map(str.capitalize)
    return _join(
        [
            _md(
                "Agents needed in every interval of a typical week to meet each channel's "
                "service target (queueing models for voice and chat; email cleared within its "
                "response time), then the weekly full-time equivalents (FTE) before and after "
                "shrinkage."
            ),
            _chart(charts.staffing_chart(model.staffing)),
            _md(explain_peak(model)),
            _chart(charts.weekly_fte_chart(model.weekly)),
            format_table(
                weekly.drop(columns=[c for c in weekly.columns if c in ("index",)]),
                {"week": ColumnSpec("Plan week", "integer")},
                caption="Weekly requirement, all channels",
                notes=[
                    "FTE are staffed hours ÷ paid hours per FTE; scheduled FTE and headcount "
                    f"include {model.params.workforce.shrinkage:.0%} shrinkage "
                    f"({model.params.workforce.shrinkage_method} rule)."
                ],
            ).to_html(),
            format_table(
                start,
                {
                    "channel": ColumnSpec("Channel", "text"),
                    "required_hours": ColumnSpec("Agent hours needed (week 1)", "hours", 0),
                    "available_hours": ColumnSpec("Agent hours on the books", "hours", 0),
                    "coverage": ColumnSpec("Coverage", "percent", 0),
                    "service_level": ColumnSpec("Service level with today's team", "percent"),
                    "sl_target": ColumnSpec("Service-level target", "percent", 0),
                    "measured": ColumnSpec("Service level measured", "percent"),
                    "gap": ColumnSpec("Model − measured", "percent", signed=True),
                },
                caption="Starting position: the service the people on the books deliver",
                na_reasons={
                    "service_level": "deferred work has no answer-time service level",
                    "measured": "not reported",
                    "gap": "no measured service level to compare",
                    "sl_target": "deferred work has a response time, not a service level",
                },
            ).to_html(),
        ]
    )


def costs(model: RegionModel) -> Block:
    """Cost per hour, the sourcing options, the crossover volume and the occupancy choice."""
    cur = model.currency
    h = model.headline()
    totals = model.sourcing_totals.to_frame("total_cost").reset_index()
    pricing = (
        model.occupancy_pricing.groupby("max_occupancy")[
            ["paid_fte", "extra_paid_fte", "cost", "extra_cost"]
        ]
        .mean()
        .reset_index()
    )
    return _join(
        [
            _md(
                f"What an agent hour costs in-house, fully loaded, and what each sourcing option "
                f"costs for {safe_text(h['costs']['sourcing_channel'])} over the "
                f"{h['horizon_weeks']}-week plan."
            ),
            _chart(charts.cost_mix_chart(model.cost_mix, currency=cur)),
            _chart(charts.cost_comparison_chart(
                model.sourcing_comparison, kind="total", currency=cur,
                horizon=f"the {h['horizon_weeks']}-week plan")),
            format_table(
                totals,
                {"option": ColumnSpec("Sourcing option", "text"),
                 "total_cost": ColumnSpec("Total cost over the plan", "money")},
                currency=cur,
                caption="Total cost by sourcing option, cheapest first",
            ).to_html(),
            _chart(charts.crossover_chart(model.crossover, currency=cur)),
            _md(
                "Running agents at a lower occupancy leaves room for longer conversations at a "
                "price: the extra paid FTE and cost of each occupancy cap against today's."
            ),
            format_table(
                pricing,
                {"max_occupancy": ColumnSpec("Occupancy cap", "percent", 0),
                 "paid_fte": ColumnSpec("Paid FTE", "fte"),
                 "extra_paid_fte": ColumnSpec("Extra paid FTE", "fte", signed=True),
                 "cost": ColumnSpec("Cost per month", "money"),
                 "extra_cost": ColumnSpec("Extra cost per month", "money", signed=True)},
                currency=cur,
                caption="The price of a lower occupancy cap (monthly averages)",
            ).to_html(),
        ]
    )  # fmt: skip


def business_case(model: RegionModel) -> Block:
    """Show the business case: lines, cash flow, sensitivity and the simulated range."""
    cur = model.currency
    h = model.headline()
    ini, rk = h["initiative"], h["risk"]
    tei = model.tei_table
    years = [c for c in tei.columns if c.startswith("Year ")]
    mc = model.monte_carlo
    npv_q = {f"P{q}": float(rk[f"npv_p{q}"]) for q in (10, 50, 90)}  # the headline's figures
    stats = mc.summary()
    keep = [c for c in ("npv", "roi", "payback_months", "fte_released_end") if c in stats.index]
    table = stats.loc[keep].drop(columns=[c for c in ("nan_share",) if c in stats.columns])
    table = table.reset_index().rename(columns={"index": "output"})
    table["output"] = table["output"].map(
        {"npv": f"NPV ({cur})", "roi": "ROI", "payback_months": "Payback (months)",
         "fte_released_end": "FTE released by the end"}
    )  # fmt: skip
    discounting = (
        f"Amounts are risk-adjusted per line and discounted monthly at "
        f"{ini['discount_rate_annual']:.0%} a year (the first plan month undiscounted)."
    )
    return _join(
        [
            _md(initiative_summary(model)),
            format_table(
                tei.drop(columns=["kind"]),
                {
                    "risk_adjustment": ColumnSpec("Risk adjustment", "percent", 0),
                    **{y: ColumnSpec(y, "money") for y in years},
                    "total": ColumnSpec("Total", "money"),
                    "present_value": ColumnSpec("Present value", "money"),
                    "present_value_unadjusted": ColumnSpec("Present value before risk", "money"),
                },
                currency=cur,
                caption=f"Benefits and costs by line, {ini['finance_horizon_months']} months",
                notes=[discounting, "Costs are negative."],
                na_reasons={"risk_adjustment": "a total of lines with different adjustments"},
                index_label="Line",
            ).to_html(),
            _chart(charts.cashflow_chart(model.programme_cashflow, currency=cur,
                                         title="Business case by month: costs, benefits, "
                                               "cumulative net")),
            _chart(charts.tornado_chart(model.tornado_labelled, output_title="NPV", unit=cur)),
            _chart(
                charts.histogram_chart(
                    mc.histogram("npv", 40),
                    percentiles=npv_q,
                    output_title="NPV", unit=cur,
                )
            ),
            format_table(
                table,
                {"output": ColumnSpec("Outcome", "text")},
                caption=f"{rk['draws']:,} simulated outcomes (seed {rk['seed']})",
                notes=[
                    "pNN is the NN-th percentile: NN % of the outcomes are at or below it.",
                    f"Median NPV {money(rk['npv_p50'], cur)}; positive in "
                    f"{100 * rk['probability_npv_positive']:.0f} % of outcomes.",
                ],
            ).to_html(),
        ]
    )  # fmt: skip


def plan(model: RegionModel) -> Block:
    """Show the programme's dates, the roadmap, the capacity plan and the agents freed."""
    start = model.params.region.start_date
    from cxplan.plan import roadmap  # imported here: only the plan section needs the chart data

    milestones = model.programme.milestones(start)
    release = model.release_table
    inside = release[release["in_plan"]]
    hires = inside.loc[
        (inside["hires_baseline"] > 0) | (inside["hires_with_initiative"] > 0),
        ["week", "week_start", "hires_baseline", "hires_with_initiative", "released_fte"],
    ].copy()
    hires["week"] = hires["week"] + 1
    monthly = release.assign(month=np.floor(release["week"] * 7 / (365.25 / 12)).astype(int) + 1)
    by_month = (
        monthly.groupby("month")
        .agg(adoption=("adoption", "mean"), target_fte=("target_fte", "mean"),
             hires_avoided=("hires_avoided", "sum"))
        .reset_index()
    )  # fmt: skip
    by_month = by_month[by_month["month"] <= model.params.finance.horizon_months]
    # at the month's end, as the headline's "FTE released by month m" (one number per question)
    by_month.insert(
        3, "released_fte", [model.released_fte_by_month(int(m)) for m in by_month["month"]]
    )
    return _join(
        [
            format_table(
                milestones.drop(columns=["day"]),
                {"event": ColumnSpec("Milestone", "text"), "date": ColumnSpec("Date", "date")},
                caption="Programme: pilot, decision and rollout (from the roadmap)",
            ).to_html(),
            _chart(charts.gantt_chart(roadmap.gantt_data(model.roadmap, start_date=start),
                                      roadmap.milestone_data(model.roadmap, start_date=start))),
            _chart(charts.capacity_chart(model.capacity_plan)),
            format_table(
                hires,
                {"week": ColumnSpec("Plan week", "integer"),
                 "week_start": ColumnSpec("Week starting", "date"),
                 "hires_baseline": ColumnSpec("Hires without the initiative", "count"),
                 "hires_with_initiative": ColumnSpec("Hires with the initiative", "count"),
                 "released_fte": ColumnSpec("FTE released by the initiative", "fte")},
                caption="Hiring classes: the plan without the initiative and with it",
                notes=[
                    f"Classes start at least {model.params.workforce.recruiting_lead_weeks} weeks "
                    "after the plan starts (recruiting lead time); hires the initiative makes "
                    "unnecessary are not made."
                ],
            ).to_html(),
            format_table(
                by_month,
                {"month": ColumnSpec("Plan month", "integer"),
                 "adoption": ColumnSpec("Agents on the new way", "percent", 0),
                 "target_fte": ColumnSpec("FTE the initiative saves", "fte"),
                 "released_fte": ColumnSpec("FTE off the books at the month's end", "fte"),
                 "hires_avoided": ColumnSpec("Hires not made", "count", 1)},
                caption="How the saving reaches the payroll, month by month",
                notes=["Released FTE leave through attrition and hires not made; beyond the "
                       "capacity plan the operation is carried on at its run rate."],
            ).to_html(),
        ]
    )  # fmt: skip


def pilot(model: RegionModel) -> Block:
    """Show the A/B pilot: contacts, agents and days it needs, and its readout when given."""
    design = model.pilot_design
    parts = [
        _md(
            "How many contacts and agents the A/B pilot (standard vs new way of working) needs "
            "to detect the expected change in each measure, and for how long it must run."
        ),
        format_table(
            design.drop(columns=["weeks"]),
            {"metric": ColumnSpec("Measure", "text"),
             "test": ColumnSpec("Test", "text"),
             "design_effect": ColumnSpec("Design effect", "ratio", 2),
             "min_agents_per_arm": ColumnSpec("Fewest agents per arm", "count"),
             "days_statistical": ColumnSpec("Days to fill both arms", "days"),
             "days": ColumnSpec("Recommended days", "days")},
            caption="Pilot design",
            na_reasons={
                "n_control": "not enough agents per arm for this measure at any duration",
                "n_treatment": "not enough agents per arm for this measure at any duration",
                "contacts_needed": "not enough agents per arm for this measure at any duration",
                "days_statistical": "not enough agents per arm for this measure at any duration",
                "days": "not enough agents per arm for this measure at any duration",
                "design_effect": "not enough agents per arm for this measure at any duration",
            },
        ).to_html(),
    ]  # fmt: skip
    readout = model.pilot_readout
    if readout is None:
        parts.append(_md("*No pilot data has been given for this region yet.*"))
    else:
        if model.pilot_data_is_demo:
            parts.append(
                _md("**Demo data:** the readout below uses cxplan's synthetic pilot, not results "
                    "from this operation.")
            )  # fmt: skip
        parts.append(_md(f"**Verdict:** {safe_text(readout.verdict)}"))
        table = readout.table()[
            ["metric", "unit", "control", "treatment", "relative_change", "rel_ci_low",
             "rel_ci_high", "p_value", "outcome"]
        ]  # fmt: skip
        table["metric"] = table["metric"].map(header_for)
        units = {"s": "seconds", "fraction": "share", "money": model.currency}
        table["unit"] = table["unit"].map(lambda u: units.get(u, u))
        parts.append(format_table(table, caption="Pilot readout").to_html())
    return _join(parts)


def kpis(model: RegionModel) -> Block:
    """Show the KPI scorecard: operation-wide and per channel, each target with its basis."""
    card = model.kpi_scorecard[["label", "actual", "target", "status", "gap", "unit"]]
    channel = model.channel_scorecard
    parts = [_chart(charts.kpi_chart(model.kpi_scorecard))]
    parts.append(
        format_table(
            _kpi_values(card),
            caption="KPI scorecard",
        ).to_html()
    )
    if len(channel):
        frame = channel.assign(channel=channel["channel"].map(str.capitalize))
        parts.append(
            format_table(
                _kpi_values(frame[["channel", "label", "actual", "target", "status", "gap",
                                   "unit"]]),
                caption="Handle time and service level by channel",
            ).to_html()
        )  # fmt: skip
    return _join(parts)


def _kpi_values(card: pd.DataFrame) -> pd.DataFrame:
    """KPI rows with actual and gap as text in each KPI's own unit (they differ by row)."""

    def show(value: float, unit: str, signed: bool = False) -> str:
        if value is None or not np.isfinite(value):
            return "n/a"
        sign = "+" if signed and value > 0 else ""
        if unit.startswith("fraction"):
            return f"{sign}{100 * value:,.1f} %".replace("-", "−")
        if unit == "s":
            return f"{sign}{value:,.0f} s".replace("-", "−")
        return f"{sign}{value:,.2f}".rstrip("0").rstrip(".").replace("-", "−")

    out = card.copy()
    out["actual"] = [show(v, u) for v, u in zip(card["actual"], card["unit"], strict=True)]
    out["gap"] = [show(v, u, True) for v, u in zip(card["gap"], card["unit"], strict=True)]
    out = out.drop(columns=["unit"]).rename(columns={"label": "kpi"})
    return out


def appendix(
    model: RegionModel,
    params_path: str | os.PathLike[str],
    defaults_path: str | os.PathLike[str] | None = None,
) -> Block:
    """Assumptions and sources: every value the region uses, its file and what it cites.

    ``defaults_path`` is the defaults file the region was loaded over (default: the one
    beside it or one folder up).
    """
    from cxplan.config.sources import assumptions_table

    table = assumptions_table(params_path, defaults_path, scenario=model.scenario)
    table["field"] = table["field"].map(_field_label)
    table["value"] = table["value"].map(_value_text)
    table["file"] = table["file"].map(
        {"region": "Region", "defaults": "Defaults", "scenario": "Scenario"}
    )
    sources = [
        _plain_words(s) if s else ("client input" if f == "Region" else "assumption")
        for s, f in zip(table["source"], table["file"], strict=True)
    ]
    # a comment that covers several values (a roadmap template, a list) is shown once
    table["source"] = [
        "as above" if k and s == sources[k - 1] and len(s) > 20 else s
        for k, s in enumerate(sources)
    ]
    return Block(
        format_table(
            table,
            {"field": ColumnSpec("Assumption", "text"),
             "value": ColumnSpec("Value", "text"),
             "source": ColumnSpec("Source", "text"),
             "file": ColumnSpec("From", "text")},
            caption="Assumptions and sources",
            notes=["Seed 000–003: the reference documents this toolkit is built from; notes: "
                   "its domain notes (public sources on queueing, costs and finance)."],
        ).to_html()
    )  # fmt: skip


#: A parameter name or option written in a comment or value (``risk_cost``, ``per_minute``);
#: file names and paths (``demo_pilot.csv``) are not.
_IDENTIFIER = re.compile(r"(?<![\w/.])((?:[a-z]+\.)*[a-z]+(?:_[a-z0-9]+)+)(?![\w/]|\.\w)")
_ACRONYMS = {"csat": "CSAT", "nps": "NPS", "ces": "CES", "fcr": "FCR", "aht": "AHT", "kpi": "KPI"}


def _plain_words(text: str) -> str:
    """Write a source comment in plain words: parameter names as words (risk_cost → risk cost)."""
    return _IDENTIFIER.sub(lambda m: m.group(1).replace(".", " › ").replace("_", " "), text)


def _field_label(path: str) -> str:
    parts = []
    for part in path.replace("[", ".[").split("."):
        if part.startswith("["):
            parts.append(f"#{int(part.strip('[]')) + 1}")
        else:
            if part in _ACRONYMS:
                label = _ACRONYMS[part]
            else:
                label = header_for(part) if "_" in part else part.capitalize()
            parts.append({"Fx": "Currency"}.get(label, label))
    return " › ".join(parts)


def _value_text(value: Any) -> str:
    if isinstance(value, str):
        return _plain_words(value)
    if isinstance(value, list):
        shown = ", ".join(_value_text(v) for v in value[:8])
        return f"[{shown}{', …' if len(value) > 8 else ''}]"
    if isinstance(value, float):
        return f"{value:,.6g}"
    return str(value)


def portfolio(results: list[dict[str, Any]]) -> Block:
    """Show the portfolio: every region side by side, in one reporting currency."""
    from cxplan.present.report import portfolio_summary, portfolio_table

    table = portfolio_table(results)
    if table.empty:
        return Block("<h1>Portfolio</h1>" + _md("No region results were found."))
    cur = str(table["currency"].iloc[0])
    shown = table.reset_index()[
        ["region", "weekly_contacts", "peak_agents", "scheduled_fte", "inhouse_cost_per_month",
         "cheapest_option", "initiative_npv", "npv_p10", "npv_p90", "roi", "payback_months",
         "fte_released_by_month_12", "hires", "sanity_flags"]
    ]  # fmt: skip
    return _join(
        [
            f"<h1>Portfolio: {regions_count(len(table))}</h1>",
            _md(portfolio_summary(table)),
            format_table(
                shown,
                {"region": ColumnSpec("Region", "text"),
                 "inhouse_cost_per_month": ColumnSpec("In-house cost per month", "money"),
                 "initiative_npv": ColumnSpec("Initiative NPV", "money"),
                 "npv_p10": ColumnSpec("NPV p10", "money"),
                 "npv_p90": ColumnSpec("NPV p90", "money"),
                 "roi": ColumnSpec("ROI", "percent", 0),
                 "payback_months": ColumnSpec("Payback (months)", "months", 1),
                 "fte_released_by_month_12": ColumnSpec("FTE released by month 12", "fte"),
                 "hires": ColumnSpec("Hires in the plan", "count"),
                 "sanity_flags": ColumnSpec("Checks flagged", "count")},
                currency=cur,
                caption=f"Regions side by side (amounts in {cur})",
                na_reasons={"roi": "the programme costs nothing", "payback_months": "not within "
                            "the horizon"},
            ).to_html(),
            _chart(charts.portfolio_chart(table, currency=cur)),
        ]
    )  # fmt: skip
