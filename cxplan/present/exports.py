"""Report deliverables: the formats of ``cxplan report --formats`` and the model's workbooks.

:func:`report_outputs` is the one call the batch makes after exporting a notebook to HTML: it
finishes the HTML (:func:`cxplan.present.document.finish_report`: the region's name in
``<title>`` and ``<h1>``, the report stylesheet), and, as asked, prints it to PDF
(:mod:`cxplan.present.pdf`), writes the region's (or the portfolio's) Excel workbook
(:mod:`cxplan.present.xlsx`) and the chart files for slides (:mod:`cxplan.present.figures`). It
returns every file's content; the batch writes them all together, atomically, with the
notebook and the results JSON, so nothing partial is left on a failure.

Formats (:data:`FORMATS`): ``html`` (always written: the report, and the source of the PDF),
``pdf``, ``xlsx``, ``svg`` and ``png`` (one file per chart, named ``<slug>-<chart>.svg``).

The region workbook (:func:`region_workbook`) takes every table from
:class:`cxplan.model.RegionModel` (nothing is recomputed here): key figures, assumptions,
interval requirements, weekly and monthly plan, capacity plan, cost per hour, in-house cost,
sourcing TCO and totals, initiative cash flows, the TEI summary, the Monte Carlo summary, the
NPV sensitivity and the programme cash flow. The portfolio workbook (:func:`portfolio_workbook`)
has the regions side by side and every region's key figures.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cxplan.errors import InputError, ReportError
from cxplan.present.columns import ColumnSpec, column_spec, header_for
from cxplan.present.tables import FormattedTable, format_table

if TYPE_CHECKING:
    from cxplan.model import RegionModel

__all__ = [
    "DEFAULT_FORMATS",
    "FORMATS",
    "KEY_FIGURE_SPECS",
    "check_formats",
    "parse_formats",
    "portfolio_tables",
    "portfolio_workbook",
    "region_tables",
    "region_workbook",
    "report_heading",
    "report_outputs",
]

#: Output formats of ``cxplan report --formats``.
FORMATS: tuple[str, ...] = ("html", "pdf", "xlsx", "svg", "png")
#: The default: the HTML report only.
DEFAULT_FORMATS: tuple[str, ...] = ("html",)

_PORTFOLIO = "portfolio"

#: Specs of headline figures whose key alone would be misread (by dotted key).
KEY_FIGURE_SPECS: Mapping[str, ColumnSpec] = {
    "version": ColumnSpec("Result file version", "code"),
    "risk.seed": ColumnSpec("Random seed", "code"),
    "risk.draws": ColumnSpec("Monte Carlo draws", "integer"),
    "risk.percentile_definition": ColumnSpec("Percentile definition", "text"),
    "risk.top_sensitivity": ColumnSpec("Most sensitive input", "text"),
    "initiative.risk_adjusted.benefit": ColumnSpec("Benefit risk adjustment", "percent", 0),
    "initiative.risk_adjusted.cost": ColumnSpec("Cost risk adjustment", "percent", 0),
    "costs.sourcing_total_by_option": ColumnSpec("Total cost", "money"),
    "costs.crossover_outsourcing_cheaper_above": ColumnSpec(
        "Outsourcing cheaper above the crossover", "bool"
    ),
    "staffing.peak_agents_by_channel": ColumnSpec("Peak agents", "integer"),
    "weekly_contacts": ColumnSpec("Contacts per week", "count"),
    "plan.max_shortfall_fte": ColumnSpec("Largest shortfall", "fte", unit="FTE"),
    "plan.hires": ColumnSpec("Hires", "integer"),
    "pilot.weeks_needed": ColumnSpec("Pilot weeks needed", "number", 1),
    "pilot.decision": ColumnSpec("Pilot decision", "text"),
    "kpi.no_data": ColumnSpec("KPIs without data", "integer"),
    "kpi.met": ColumnSpec("KPIs met", "integer"),
    "kpi.near": ColumnSpec("KPIs near target", "integer"),
    "kpi.missed": ColumnSpec("KPIs missed", "integer"),
}


# ------------------------------------------------------------------------------------ formats


def parse_formats(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Parse ``"html,pdf,xlsx"`` (or a list) into the formats to write, ``html`` first.

    HTML is always included: it is the report, and the PDF is printed from it.

    Raises
    ------
    InputError
        An unknown format (the message lists the known ones).

    Examples
    --------
    >>> parse_formats("pdf, XLSX"), parse_formats(None)
    (('html', 'pdf', 'xlsx'), ('html',))
    """
    if value is None:
        items: list[str] = []
    elif isinstance(value, str):
        items = [part.strip().lower() for part in value.split(",")]
    else:
        items = [str(part).strip().lower() for part in value]
    items = [item for item in items if item]
    unknown = [item for item in items if item not in FORMATS]
    if unknown:
        raise InputError(
            f"unknown report format(s) {', '.join(map(repr, unknown))}: choose from "
            f"{', '.join(FORMATS)} (comma-separated, e.g. html,pdf,xlsx)"
        )
    chosen = set(items) | set(DEFAULT_FORMATS)
    return tuple(f for f in FORMATS if f in chosen)


def check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """Parse the formats and check that this machine can produce them (before any work).

    Raises
    ------
    InputError
        An unknown format.
    ReportError
        ``pdf`` without playwright or Chromium.
    """
    chosen = parse_formats(list(formats))
    if "pdf" in chosen:
        from cxplan.present.pdf import check_pdf_support

        check_pdf_support()
    return chosen


# --------------------------------------------------------------------------- region tables


def _interval_frame(model: RegionModel) -> pd.DataFrame:
    frames = []
    for order, (channel, table) in enumerate(model.staffing.items()):
        frame = table.copy()
        frame.insert(0, "channel", channel)
        frame.insert(0, "interval_start", table.index)
        frame["_order"] = order
        frames.append(frame.reset_index(drop=True))
    joined = pd.concat(frames, ignore_index=True)
    joined = joined.sort_values(["interval_start", "_order"], kind="stable")
    return joined.drop(columns="_order").reset_index(drop=True)


def _cashflow_frame(model: RegionModel) -> pd.DataFrame:
    """Tabulate the business case by plan month: each line (risk-adjusted), net, cumulative."""
    lines = model.case_lines_table
    wide = lines.pivot_table(index="month", columns="line", values="amount", sort=False)
    kinds = lines.drop_duplicates("line").set_index("line")["kind"]
    signed = wide * np.where(kinds.reindex(wide.columns).to_numpy() == "cost", -1.0, 1.0)
    out = signed.reset_index()
    out.columns.name = None
    out["net_cash_flow"] = signed.sum(axis=1).to_numpy()
    out["cumulative_cash_flow"] = np.cumsum(out["net_cash_flow"].to_numpy())
    return out


def _monte_carlo_frame(model: RegionModel) -> tuple[pd.DataFrame, list[str]]:
    summary = model.monte_carlo.summary()
    notes = []
    if "nan_share" in summary.columns:
        shares = summary["nan_share"].astype(float)
        if bool((shares > 0).any()):
            notes += [
                f"{header_for(str(name))}: {100 * share:.1f}% of the draws have no value "
                "(left out of the statistics)."
                for name, share in shares.items()
                if share > 0
            ]
        else:
            notes.append("Every draw has a value for every output.")
        summary = summary.drop(columns="nan_share")
    frame = summary.T
    frame.index = pd.Index([column_spec(str(s)).header for s in frame.index], name="statistic")
    frame.columns = [str(c) for c in frame.columns]
    return frame, notes


def _sensitivity_frame(model: RegionModel) -> pd.DataFrame:
    tornado = model.tornado
    rows = []
    for _, row in tornado.iterrows():
        spec = column_spec(str(row["input"]))
        rows.append(
            {
                "input": model.input_label(str(row["input"])),
                "low_value": spec.format(row["low_value"], None),
                "high_value": spec.format(row["high_value"], None),
                "output_low": row["output_low"],
                "output_high": row["output_high"],
                "swing": row["swing"],
                "base_output": row["base_output"],
            }
        )
    return pd.DataFrame(rows)


def region_tables(model: RegionModel) -> dict[str, FormattedTable]:
    """Return every table of a region, formatted, by sheet name (in workbook order).

    Parameters
    ----------
    model : RegionModel

    Returns
    -------
    dict of str to FormattedTable
    """
    cur = model.currency
    region = model.params.region.name
    channel = model.sourcing_channel
    text = ColumnSpec("", "text")
    mc_frame, mc_notes = _monte_carlo_frame(model)
    tables: dict[str, FormattedTable] = {
        "Interval requirements": format_table(
            _interval_frame(model),
            currency=cur,
            caption=f"Required agents per interval and channel, {region}",
            notes=[
                "One row per interval and channel over the plan horizon; agents are on the "
                "phones (before shrinkage); service level, ASA and abandonment as the queueing "
                "model predicts them at that staffing."
            ],
            name="Interval requirements",
        ),
        "Weekly plan": format_table(
            model.weekly,
            caption="Weekly requirement, all channels",
            notes=["Scheduled FTE and headcount include shrinkage."],
        ),
        "Monthly plan": format_table(model.monthly, caption="Monthly requirement, all channels"),
        "Capacity plan": format_table(
            model.capacity_plan,
            currency=cur,
            caption="Capacity plan: headcount, hires, requirement and gap by week",
        ),
        "Cost per hour": format_table(
            model.cost_mix,
            currency=cur,
            caption="Fully loaded in-house cost per hour by component",
        ),
        "In-house cost": format_table(
            model.inhouse_cost, currency=cur, caption="In-house cost by month, all channels"
        ),
        "Sourcing TCO": format_table(
            model.sourcing_comparison,
            currency=cur,
            caption=f"Total cost of ownership by month and sourcing option ({channel})",
            na_reasons={
                "vendor_agent_hours": "not applicable: the option sends no work to the vendor, "
                "or the vendor's price is not per agent hour"
            },
        ),
        "Sourcing totals": format_table(
            model.sourcing_totals.to_frame("total_cost"),
            currency=cur,
            caption=f"Total cost over the horizon by sourcing option ({channel}), cheapest first",
        ),
        "Initiative cash flows": format_table(
            _cashflow_frame(model),
            {
                "month": ColumnSpec("Plan month", "integer"),
                **{
                    line: ColumnSpec(line, "money")
                    for line in model.case_lines_table["line"].unique()
                },
            },
            currency=cur,
            caption=f"Business case by plan month, risk-adjusted: {model.params.initiative.name}",
            notes=[
                "Plan month 0 starts on the plan's start date; costs are negative. Each line is "
                "risk-adjusted as in the TEI table (benefits reduced, costs raised)."
            ],
        ),
        "ROI summary (TEI)": format_table(
            model.tei_table,
            {
                "kind": ColumnSpec("Line type", "text"),
                "risk_adjustment": ColumnSpec("Risk adjustment", "percent", 0),
                **{
                    c: ColumnSpec(c, "money")
                    for c in model.tei_table.columns
                    if c.startswith("Year")
                },
                "total": ColumnSpec("Total", "money"),
                "present_value": ColumnSpec("Present value", "money"),
                "present_value_unadjusted": ColumnSpec("Present value before risk", "money"),
            },
            currency=cur,
            caption="Benefits and costs by line and year, risk-adjusted (TEI), with present values",
            index_label="Line",
            na_reasons={"risk_adjustment": "totals combine lines with different adjustments"},
        ),
        "Monte Carlo summary": format_table(
            mc_frame,
            currency=cur,
            caption=f"Monte Carlo summary of the initiative over {model.monte_carlo.n_draws:,} "
            "draws",
            notes=mc_notes,
        ),
        "NPV sensitivity": format_table(
            _sensitivity_frame(model),
            {
                "low_value": text.replace(header="Low value"),
                "high_value": text.replace(header="High value"),
            },
            currency=cur,
            caption="NPV sensitivity: one input at a time from its low to its high value",
        ),
        "FTE release and hiring": format_table(
            model.release_table.drop(columns=["week"]),
            currency=cur,
            caption="Agents freed by the initiative and hires with and without it, by week",
            notes=[
                "Released FTE leave through attrition and hires not made; weeks beyond the "
                "capacity plan continue at its run rate (in_plan = no)."
            ],
        ),
    }
    for name, table in tables.items():
        table.name = name
    return tables


def region_workbook(model: RegionModel, *, created: dt.datetime | None = None) -> bytes:
    """Build the region's Excel workbook (see :func:`region_tables`), as bytes."""
    from cxplan.present.xlsx import workbook_bytes

    region = model.params.region.name
    return workbook_bytes(
        region_tables(model),
        title=region,
        assumptions=model.params,
        key_figures=model.headline(),
        key_figure_specs=KEY_FIGURE_SPECS,
        currency=model.currency,
        created=created,
    )


# ----------------------------------------------------------------------------------- portfolio


def portfolio_tables(results: Sequence[Mapping[str, Any]]) -> dict[str, FormattedTable]:
    """Return the portfolio's tables (regions side by side), by sheet name."""
    from cxplan.present.report import portfolio_table

    table = portfolio_table(results)
    if table.empty:
        raise ReportError("the portfolio has no region results")
    return {
        "Regions": format_table(
            table, caption="Regions side by side: staffing, cost, initiative and plan"
        )
    }


def portfolio_workbook(
    results: Sequence[Mapping[str, Any]], *, created: dt.datetime | None = None
) -> bytes:
    """Build the portfolio workbook: the regions table and every region's key figures."""
    from cxplan.present.xlsx import workbook_bytes

    currencies = sorted({str(r.get("currency")) for r in results})
    return workbook_bytes(
        portfolio_tables(results),
        title="Portfolio",
        key_figures={str(r.get("region")): r for r in results},
        key_figure_specs={
            f"{r.get('region')}.{k}": v for r in results for k, v in KEY_FIGURE_SPECS.items()
        },
        currency=currencies[0] if len(currencies) == 1 else None,
        created=created,
    )


# --------------------------------------------------------------------------------- batch hook


def report_heading(html: str, name: str) -> str:
    """Return the report's title: its ``<h1>`` with the region's name.

    ``"Region report"`` for North America becomes ``"North America — Region report"``.

    The first heading is kept when it already names the region; a report without one is titled
    with the name alone.
    """
    from cxplan.present.document import heading_text

    current = heading_text(html)
    if not current:
        return name
    if name.casefold() in current.casefold():
        return current
    return f"{name} — {current}"


def report_outputs(
    html: str,
    *,
    name: str,
    out_dir: str | os.PathLike[str],
    formats: Iterable[str] = DEFAULT_FORMATS,
    params_path: str | os.PathLike[str] | None = None,
    results_dir: str | os.PathLike[str] | None = None,
    result: bytes | str | Mapping[str, Any] | None = None,
    defaults_path: str | os.PathLike[str] | None = None,
) -> dict[Path, bytes | str]:
    """Return every deliverable of one report, as ``{path: content}`` for one atomic write.

    Parameters
    ----------
    html : str
        The report exported by nbconvert.
    name : str
        The output slug (``"north-america"``, ``"portfolio"``).
    out_dir : path-like
        Where the files go (nothing is written here).
    formats : iterable of str
        See :data:`FORMATS`.
    params_path : path-like, optional
        The region's parameter file (needed for a region's ``xlsx``).
    results_dir : path-like, optional
        The folder of region results (needed for the portfolio's ``xlsx``).
    result : bytes, str or mapping, optional
        The region's results JSON: its ``region`` is the name put in the title.
    defaults_path : path-like, optional
        The defaults the region file is merged over (default: the one beside it or one folder
        up).

    Returns
    -------
    dict of pathlib.Path to bytes or str
        ``<name>.html`` always; ``<name>.pdf``, ``<name>.xlsx`` and ``<name>-<chart>.svg/.png``
        as asked.

    Raises
    ------
    ReportError, InputError
        A format that cannot be produced (no Chromium, no parameter file for a workbook).
    """
    from cxplan.present import document, figures

    chosen = parse_formats(list(formats))
    folder = Path(out_dir)
    data: Mapping[str, Any] = {}
    if isinstance(result, bytes | str):
        try:
            loaded = json.loads(result)
        except ValueError:
            loaded = {}
        data = loaded if isinstance(loaded, dict) else {}
    elif isinstance(result, Mapping):
        data = result
    portfolio = name == _PORTFOLIO or name.startswith(f"{_PORTFOLIO}--")  # a scenario's too
    display = str(data.get("region") or ("Portfolio" if portfolio else name))
    scenario = data.get("scenario")  # a named scenario's report: its name in the title too
    if isinstance(scenario, str) and scenario:
        display = f"{display}, scenario {scenario}"
    title = report_heading(html, display)

    files: dict[str, bytes] = {}
    links: list[list[tuple[str, str]]] | None = None
    chart_formats = [f for f in chosen if f in figures.CHART_FORMATS]
    if chart_formats:
        files, links = figures.report_chart_files(html, name, chart_formats)
    final = document.finish_report(html, title=title, heading=title, downloads=links)
    out: dict[Path, bytes | str] = {folder / f"{name}.html": final}
    out.update({folder / fname: content for fname, content in files.items()})
    if "pdf" in chosen:
        from cxplan.present.pdf import html_to_pdf

        out[folder / f"{name}.pdf"] = html_to_pdf(final, title=title, region=display)
    if "xlsx" in chosen:
        if params_path is not None:
            from cxplan.model import load_region

            model = load_region(
                Path(params_path),
                defaults_path=defaults_path,
                scenario=scenario if isinstance(scenario, str) and scenario else None,
            )
            out[folder / f"{name}.xlsx"] = region_workbook(model)
        elif results_dir is not None:
            from cxplan.present.report import load_results

            out[folder / f"{name}.xlsx"] = portfolio_workbook(load_results(results_dir))
        else:
            raise InputError("an xlsx export needs the parameter file or the results folder")
    return out
