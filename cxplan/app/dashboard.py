"""The live planner: ipywidgets controls over the region model, a KPI panel and four charts.

The planner is a view of :class:`~cxplan.model.RegionModel`, not a model of its own. Every
control overrides one parameter field (:mod:`cxplan.app.overrides`); a change validates the
overridden parameters like a parameter file and builds ``RegionModel(params)``, and every figure
and chart is read from that model -- the same properties the region report reads. The model
shares results between instances whose parameter sections are equal (:mod:`cxplan.model._memo`),
so a change recomputes only what it invalidates: the outsourced share reprices the sourcing
options and nothing else; the AHT reduction re-runs the business case, not the staffing.

An update runs in two steps: the operation (staffing and costs: their KPIs and charts) first,
then the business case (hiring plan, cash flow, NPV and the tornado), whose KPIs show as
"updating" in between when the change touched them. Typed values are read as people write them
(:mod:`cxplan.app.inputs`) or refused with a message beside the control.

The wiring lives here, not in the notebook, so that it is unit-tested
(``tests/test_dashboard.py``).
"""

from __future__ import annotations

import contextlib
import functools
import html
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import pandas as pd
from altair.utils.schemapi import debug_mode
from pydantic import ValidationError

from cxplan.app.chart_grid import ChartGrid
from cxplan.app.inputs import KINDS, format_value, parse_value
from cxplan.app.overrides import (
    CONTROLS,
    REGION_LOCATION,
    ControlSpec,
    control_path,
    location_options,
    location_override,
    override_error,
    region_files,
    slider_range,
    with_overrides,
)
from cxplan.app.planner_scenarios import compare_settings, save_planner_scenario
from cxplan.config.params import RegionParams, base_value, load_params, params_root
from cxplan.economics import sourcing
from cxplan.errors import CxplanError
from cxplan.model import RegionModel
from cxplan.model._memo import SHARED, section_key
from cxplan.present import charts
from cxplan.present.columns import ColumnSpec
from cxplan.present.report import money
from cxplan.present.scenario_section import comparison_table

__all__ = [
    "CHART_NAMES",
    "Planner",
    "case_figures",
    "kpi_html",
    "kpi_items",
    "operation_figures",
    "planner_charts",
]

#: The four charts, in page order (staffing and costs are the operation's).
CHART_NAMES = ("staffing", "costs", "cashflow", "tornado")
_OPERATION_CHARTS = ("staffing", "costs")
_CASE_KEYS = ("npv", "roi", "payback_months", "break_even_month", "sanity_flags")


# ------------------------------------------------------------------------------ figures


def operation_figures(model: RegionModel) -> dict[str, Any]:
    """Read the planner's staffing and cost figures off the model's headline sections.

    Keys: ``peak_agents``, ``peak_agents_by_channel``, ``scheduled_fte`` (average weekly
    scheduled FTE), ``inhouse_cost_per_month``, ``sourcing_channel``, ``sourcing_weeks``,
    ``cost_by_option`` (horizon totals), ``cheapest_option``, ``hybrid_option`` (the
    outsourced-share hybrid's name) and ``hybrid_cost``.
    """
    staff, cost = model.headline_staffing, model.headline_costs
    hybrid = next(k for k, v in model.hybrids.items() if isinstance(v, sourcing.ShareSplit))
    return {
        "peak_agents": staff["peak_agents"],
        "peak_agents_by_channel": dict(staff["peak_agents_by_channel"]),
        "scheduled_fte": staff["average_scheduled_fte"],
        "inhouse_cost_per_month": cost["inhouse_cost_per_month"],
        "sourcing_channel": cost["sourcing_channel"],
        "sourcing_weeks": cost["sourcing_horizon_weeks"],
        "cost_by_option": dict(cost["sourcing_total_by_option"]),
        "cheapest_option": cost["cheapest_option"],
        "hybrid_option": hybrid,
        "hybrid_cost": cost["sourcing_total_by_option"][hybrid],
    }


def case_figures(model: RegionModel) -> dict[str, Any]:
    """Read the planner's business case (the headline ``initiative``) and flags off the model.

    Keys: ``npv``, ``roi``, ``payback_months``, ``break_even_month`` (``None`` when not
    finite, as in the headline), ``finance_months``, ``discount_rate`` and ``sanity_flags``
    (``(key, title, advice)`` triples).
    """
    ini = model.headline_initiative
    flags = model.sanity_flags
    return {
        "npv": ini["npv"],
        "roi": ini["roi"],
        "payback_months": ini["payback_months"],
        "break_even_month": ini["break_even_month"],
        "finance_months": ini["finance_horizon_months"],
        "discount_rate": ini["discount_rate_annual"],
        "sanity_flags": [
            (str(r.key), str(r.title), str(r.advice)) for r in flags.itertuples(index=False)
        ],
    }


def planner_charts(model: RegionModel, names: tuple[str, ...] = CHART_NAMES) -> dict[str, Any]:
    """Return the planner's charts of a model: (chart input, builder) pairs, by name.

    The input is what the chart draws (compared before redrawing: an unchanged input keeps its
    chart); calling the builder gives the chart's parts (the report's builder, its tables and
    layout: :class:`~cxplan.present.charts.parts.ChartParts`, whose ``chart()`` is the altair
    chart), which the chart grid serialises reusing the layout it serialised last time.
    """
    cur = model.currency
    out: dict[str, Any] = {}
    for name in names:
        if name == "staffing":
            data: Any = model.typical_week
            out[name] = (
                data,
                lambda d=data: charts.staffing_chart.parts(
                    d, title="Required agents by channel, typical week", width=560, height=170
                ),
            )
        elif name == "costs":
            data = model.sourcing_comparison
            title = (
                f"{model.sourcing_channel.capitalize()}: cost over the "
                f"{model.params.forecast.horizon_weeks}-week plan by option"
            )
            out[name] = (
                data,
                lambda d=data, t=title, w=model.params.forecast.horizon_weeks: (
                    charts.cost_comparison_chart.parts(
                        d,
                        kind="total",
                        currency=cur,
                        title=t,
                        width=560,
                        height=230,
                        horizon=f"the {w}-week plan",
                    )
                ),
            )
        elif name == "cashflow":
            data = model.programme_cashflow
            out[name] = (
                data,
                lambda d=data: charts.cashflow_chart.parts(
                    d,
                    currency=cur,
                    title="Programme cash flow (risk-adjusted)",
                    width=560,
                    height=230,
                ),
            )
        else:
            data = model.tornado_labelled
            out[name] = (
                data,
                lambda d=data: charts.tornado_chart.parts(
                    d, output_title="NPV", unit=cur, title="NPV sensitivity", width=560
                ),
            )
    return out


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if isinstance(a, pd.DataFrame | pd.Series):
        return type(a) is type(b) and bool(a.equals(b))  # type: ignore[arg-type]
    if isinstance(a, Mapping):
        return isinstance(b, Mapping) and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return False


# ------------------------------------------------------------------------------ KPI panel

_INT = ColumnSpec("", "integer")
_FTE = ColumnSpec("", "fte", decimals=1)
_PCT = ColumnSpec("", "percent", decimals=0)


def _months(value: float | None, horizon: int) -> str:
    return f"not within {horizon} months" if value is None else f"{value:.1f} months"


def kpi_items(
    operation: Mapping[str, Any],
    case: Mapping[str, Any],
    currency: str,
    *,
    pending: bool = False,
) -> list[dict[str, Any]]:
    """List the KPI tiles: label, value text, definition (the tooltip), detail, pending flag.

    ``pending`` marks the business-case tiles while they are being recomputed (they show the
    last values meanwhile).
    """
    o, c = operation, case
    ch, weeks = o["sourcing_channel"], o["sourcing_weeks"]
    horizon = int(c["finance_months"])
    items: list[dict[str, Any]] = [
        {
            "label": "Peak agents",
            "value": _INT.format(o["peak_agents"]),
            "parts": {
                f"Peak agents: {k}": _INT.format(v) for k, v in o["peak_agents_by_channel"].items()
            },
            "definition": "Agents on duty in the busiest interval of the plan, all channels "
            "(each channel's own peak below); staffed, before shrinkage.",
        },
        {
            "label": "Scheduled FTE",
            "value": _FTE.format(o["scheduled_fte"]),
            "definition": "Average weekly full-time equivalents to schedule over the plan: "
            "staffed hours ÷ FTE hours a week, grossed up for shrinkage.",
        },
        {
            "label": "In-house cost / month",
            "value": money(o["inhouse_cost_per_month"], currency),
            "definition": "Fully loaded in-house cost of all channels per month of the plan: "
            "paid hours × cost per paid hour (wages, benefits, supervision, technology, "
            "facilities, hiring, other).",
        },
        {
            "label": "Cheapest option",
            "value": str(o["cheapest_option"]),
            "detail": f"{money(o['cost_by_option'][o['cheapest_option']], currency)} over "
            f"{weeks} weeks ({ch})",
            "definition": f"Cheapest way to run the {ch} channel over the {weeks}-week plan: "
            "in-house, outsourced or hybrid, with the vendor's transition, governance, value "
            "leakage and parallel run.",
        },
        {
            "label": "Hybrid cost",
            "value": money(o["hybrid_cost"], currency),
            "detail": f"{o['hybrid_option']}, {weeks} weeks ({ch})",
            "definition": f"Cost of the {ch} channel over the {weeks}-week plan when the "
            "outsourced share of its contacts goes to the vendor and the rest stays in-house.",
        },
        {
            "label": "Programme NPV",
            "value": money(c["npv"], currency),
            "definition": "Net present value of the programme's risk-adjusted monthly cash "
            f"flows over {horizon} months at {_PCT.format(c['discount_rate'])} a year.",
        },
        {
            "label": "ROI",
            "value": _PCT.format(c["roi"]),
            "definition": "(present value of benefits − present value of costs) ÷ present "
            "value of costs, risk-adjusted.",
        },
        {
            "label": "Payback",
            "value": _months(c["payback_months"], horizon),
            "definition": "Months until the cumulative risk-adjusted net cash flow turns "
            "positive (interpolated within the month).",
        },
        {
            "label": "Break-even month",
            "value": "not within the horizon"
            if c["break_even_month"] is None
            else f"month {c['break_even_month']:.0f}",
            "definition": "First plan month whose cumulative net cash flow is at or above zero "
            "(month 0 is the first plan month).",
        },
    ]
    for item in items:
        item["pending"] = pending and item["label"] in _CASE_LABELS
    return items


_CASE_LABELS = ("Programme NPV", "ROI", "Payback", "Break-even month")

_STYLE = (
    "<style>.cx-kpis{display:flex;flex-wrap:wrap;gap:8px;font-family:sans-serif}"
    ".cx-kpi{border:1px solid #ccd;border-radius:6px;padding:6px 10px;min-width:150px;"
    "max-width:230px}.cx-kpi-label{font-size:11px;color:#556}"
    ".cx-kpi-value{font-size:18px;font-weight:600}.cx-kpi-detail{font-size:11px;color:#556}"
    ".cx-pending .cx-kpi-value{color:#99a}.cx-flags{font-family:sans-serif;font-size:12px;"
    "margin:6px 0 0 0;padding-left:18px;color:#7a4b00}.cx-ok{font-family:sans-serif;"
    "font-size:12px;color:#2a6b2a;margin-top:6px}</style>"
)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def kpi_html(
    operation: Mapping[str, Any],
    case: Mapping[str, Any],
    currency: str,
    *,
    pending: bool = False,
) -> str:
    """Render the KPI panel: one tile per KPI with its definition as a tooltip, then flags.

    Every text is escaped (labels, values, names from the parameter file); nothing refers to
    an external resource.
    """
    tiles = []
    for item in kpi_items(operation, case, currency, pending=pending):
        label, value = item["label"], item["value"]
        detail = ""
        if "parts" in item:
            detail = " · ".join(
                f'<span data-kpi="{_attr(k)}">{html.escape(k.split(": ", 1)[1])} '
                f"{html.escape(v)}</span>"
                for k, v in item["parts"].items()
            )
        elif item.get("detail"):
            detail = html.escape(item["detail"])
        cls = "cx-kpi cx-pending" if item["pending"] else "cx-kpi"
        tiles.append(
            f'<div class="{cls}" title="{_attr(label + ": " + item["definition"])}">'
            f'<div class="cx-kpi-label">{html.escape(label)}</div>'
            f'<div class="cx-kpi-value" data-kpi="{_attr(label)}">{html.escape(value)}</div>'
            + (f'<div class="cx-kpi-detail">{detail}</div>' if detail else "")
            + "</div>"
        )
    if case["sanity_flags"]:
        rows = "".join(
            f'<li data-flag="{_attr(key)}" title="{_attr(advice)}"><b>{html.escape(title)}</b>'
            f" — {html.escape(advice)}</li>"
            for key, title, advice in case["sanity_flags"]
        )
        flags = f'<ul class="cx-flags" aria-label="Check these figures">{rows}</ul>'
    else:
        flags = '<div class="cx-ok">No sanity flags: the figures are within plausible ranges.</div>'
    return f'{_STYLE}<div class="cx-kpis">{"".join(tiles)}</div>{flags}'


# ------------------------------------------------------------------------------ the widget


class _Control:
    """A slider with a box to type the value in and a line for messages."""

    def __init__(self, planner: Planner, spec: ControlSpec) -> None:
        import ipywidgets as w

        self.planner, self.spec = planner, spec
        slider = w.IntSlider if spec.kind == "months" else w.FloatSlider
        self.slider = slider(
            description=spec.label,
            readout=False,
            continuous_update=False,
            tooltip=spec.help,
            style={"description_width": "130px"},
            layout=w.Layout(width="340px"),
        )
        self.text = w.Text(
            continuous_update=False,
            tooltip=f"Type a value: {KINDS[spec.kind]}",
            layout=w.Layout(width="120px"),
        )
        self.message = w.HTML(layout=w.Layout(width="auto"))
        self.row = w.HBox([self.slider, self.text, self.message])
        self.row.add_class("cx-control")
        self.row.add_class(f"cx-control-{spec.key}")  # a stable hook for the browser tests
        self.slider.observe(self._on_slider, names="value")
        self.text.observe(self._on_text, names="value")

    def show(self, value: float) -> None:
        """Show ``value`` on the slider (its range widened if needed) and in the box, quietly."""
        with self.planner.quiet():
            s = self.slider
            if value > s.max:
                s.max = value
            if value < s.min:
                s.min = value
            s.value = round(value) if self.spec.kind == "months" else float(value)
            self.text.value = format_value(value, self.spec.kind, currency=self.planner.currency)

    def configure(self, value: float) -> None:
        """Set the slider's range around a region's value and show it (quietly)."""
        lo, hi, step = slider_range(self.spec, value)
        with self.planner.quiet():
            s = self.slider
            s.min, s.max = -1e18, 1e18  # any order of the next assignments is valid
            if self.spec.kind == "months":
                s.min, s.max, s.step = int(lo), int(hi), int(step)
            else:
                s.min, s.max, s.step = lo, hi, step
            s.disabled = self.text.disabled = False
        self.show(value)
        self.message.value = ""

    def disable(self, text: str) -> None:
        """Grey the control out with ``text`` in its box (a field the channel does not have)."""
        with self.planner.quiet():
            self.slider.disabled = self.text.disabled = True
            self.text.value = text
        self.message.value = ""

    def error(self, text: str) -> None:
        """Show a one-line message beside the control (escaped)."""
        self.message.value = _error_html(text)

    def _on_slider(self, change: dict[str, Any]) -> None:
        if self.planner.is_quiet:
            return
        self.planner.set_value(self.spec.key, float(change["new"]))

    def _on_text(self, change: dict[str, Any]) -> None:
        if self.planner.is_quiet:
            return
        self.planner.type_value(self.spec.key, str(change["new"]))


class Planner:
    """The live planner widget: region, channel and numeric controls, KPIs and four charts.

    Parameters
    ----------
    source : path or RegionParams
        A region file, a folder of region files (a region selector lists them, the first is
        shown) or validated parameters.

    Examples
    --------
    In a notebook::

        planner = Planner("params/regions")
        planner.widget   # display it
    """

    def __init__(self, source: str | Path | RegionParams, *, chart_backend: Any = "auto") -> None:
        import ipywidgets as w  # imported here: the package must not need a display to import

        self._quiet = 0
        if isinstance(source, RegionParams):
            self.files: list[Path] = []
            self.base, self.root = source, None
        else:
            self.files = region_files(source)
            self.base, self.root = load_params(self.files[0]), params_root(self.files[0])
        self.overrides: dict[str, Any] = {}
        self.params = self.base
        self.channel = next(iter(self._channels(self.base)))

        regions = [(_region_label(f), str(f)) for f in self.files] or [(self.base.region.name, "")]
        self.region_select = w.Dropdown(
            options=regions,
            value=regions[0][1],
            description="Region",
            disabled=len(regions) < 2,
            style={"description_width": "130px"},
            layout=w.Layout(width="340px"),
        )
        self.channel_select = w.Dropdown(
            options=self._channels(self.base),
            value=self.channel,
            description="Channel",
            tooltip="The channel the contacts, AHT, service level and occupancy controls edit",
            style={"description_width": "130px"},
            layout=w.Layout(width="340px"),
        )
        self.location_select = w.Dropdown(
            options=location_options(self.base),
            value=REGION_LOCATION,
            description="Location",
            tooltip="Where the in-house agents sit: the region's own location or a preset "
            "(seed 001 wages and seat costs)",
            style={"description_width": "130px"},
            layout=w.Layout(width="340px"),
        )
        self.controls = {spec.key: _Control(self, spec) for spec in CONTROLS}
        self.kpi_panel = w.HTML()
        self.status = w.HTML()
        self._configure_controls()

        self.model = RegionModel(self.params, params_root=self.root)
        self.operation = operation_figures(self.model)
        self.case = case_figures(self.model)
        built = planner_charts(self.model)
        self._chart_inputs = {name: data for name, (data, _) in built.items()}
        self.charts = ChartGrid({name: make() for name, (_, make) in built.items()})
        self.kpi_panel.value = kpi_html(self.operation, self.case, self.currency)

        self.reset_button = w.Button(
            description="Reset to the file's values",
            tooltip="Drop every change made here: the region file's own values",
            layout=w.Layout(width="200px", margin="0 0 0 134px"),
        )
        self.reset_button.on_click(lambda _: self.reset())
        # named scenarios: save the settings beside the region file, compare them with it
        self.scenario_box = w.Text(
            placeholder="e.g. hybrid-50",
            description="Scenario name",
            tooltip="A slug: lowercase letters, digits and hyphens",
            style={"description_width": "130px"},
            layout=w.Layout(width="340px"),
        )
        self.save_button = w.Button(
            description="Save as scenario",
            tooltip="Write the fields changed here as a named scenario file beside the region "
            "file (<region>.scenarios/<name>.yaml); cxplan report --scenario NAME reports it",
            layout=w.Layout(width="160px"),
        )
        self.compare_button = w.Button(
            description="Compare with the file",
            tooltip="Key figures of these settings against the region file's",
            layout=w.Layout(width="200px", margin="0 0 0 134px"),
        )
        self.scenario_message = w.HTML()
        self.comparison = w.HTML()
        self.save_button.on_click(lambda _: self.save_scenario(self.scenario_box.value))
        self.compare_button.on_click(lambda _: self.compare_with_base())
        self.region_select.observe(self._on_region, names="value")
        self.channel_select.observe(self._on_channel, names="value")
        self.location_select.observe(self._on_location, names="value")
        rows = [self.region_select, self.channel_select]
        rows += [self.controls[k].row for k in ("weekly_contacts", "aht_s", "sl_target")]
        rows += [self.controls[k].row for k in ("answer_time_s", "max_occupancy", "shrinkage")]
        rows += [self.location_select]
        rows += [self.controls[s.key].row for s in CONTROLS[6:]]
        rows += [self.reset_button, w.HBox([self.scenario_box, self.save_button])]
        rows += [self.compare_button, self.scenario_message]
        left = w.VBox(rows, layout=w.Layout(flex="0 0 auto", width="640px"))
        right = w.VBox(
            [self.kpi_panel, self.status], layout=w.Layout(flex="1 1 auto", min_width="0")
        )
        self.widget = w.VBox([w.HBox([left, right]), self.charts, self.comparison])

    # -------------------------------------------------------------------------- state

    @property
    def currency(self) -> str:
        """The region's currency code."""
        return self.base.region.currency

    @property
    def figures(self) -> dict[str, Any]:
        """Every figure shown: the operation's and the business case's."""
        return {**self.operation, **self.case}

    @property
    def is_quiet(self) -> bool:
        """Whether control changes are the planner's own (no recompute)."""
        return self._quiet > 0

    @contextlib.contextmanager
    def quiet(self) -> Iterator[None]:
        """Set controls without recomputing (region or channel switch, a refused value)."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    @staticmethod
    def _channels(params: RegionParams) -> list[str]:
        return [c for c in ("voice", "chat", "email") if getattr(params.channels, c) is not None]

    def value(self, key: str) -> float:
        """Return a control's field's current value (an uncertain input's most likely value)."""
        spec = _spec(key)
        target: Any = self.params
        for part in control_path(spec, self.channel).split("."):
            target = getattr(target, part)
        return base_value(target)

    def _configure_controls(self) -> None:
        for spec in CONTROLS:
            control = self.controls[spec.key]
            if spec.key == "weekly_contacts" and self.params.history is not None:
                control.disable("from the history's forecast")  # the volumes are measured
            elif not spec.per_channel or self.channel in spec.channel_kinds:
                control.configure(self.value(spec.key))
            else:
                control.disable(f"n/a ({self.channel})")

    # -------------------------------------------------------------------------- changes

    def type_value(self, key: str, text: str) -> bool:
        """Read a typed value (``"30,000"``, ``"6 min"``, ``"75%"``) and apply it.

        Returns whether the value was taken; a refused value leaves a message beside the
        control and the figures as they were.
        """
        control = self.controls[key]
        try:
            value = parse_value(text, control.spec.kind, currency=self.currency)
        except CxplanError as exc:
            control.show(self.value(key))  # the box shows the value in force again
            control.error(str(exc))
            return False
        return self.set_value(key, value)

    def set_value(self, key: str, value: float) -> bool:
        """Set a control's field to ``value``, validate, and update figures and charts.

        Returns whether the value was taken (a value the schema refuses, or one the model
        cannot staff, leaves a message and the figures as they were).
        """
        control = self.controls[key]
        spec = control.spec
        if spec.kind == "months":
            value = float(round(value))
        path = control_path(spec, self.channel)
        overrides = {**self.overrides, path: int(value) if spec.kind == "months" else value}
        if spec.key == "wage_per_hour":
            overrides.pop(path)
            overrides[path] = value  # after a location preset, which sets its own wage
        try:
            params = with_overrides(self.base, overrides)
        except ValidationError as exc:
            control.error(override_error(exc, spec, self.currency))
            control.show(self.value(key))
            return False
        if not self._apply(params, overrides, control):
            control.show(self.value(key))
            return False
        control.message.value = ""
        control.show(self.value(key))
        return True

    def reset(self) -> None:
        """Back to the region file's own values (every override dropped)."""
        with self.quiet():
            self.location_select.value = REGION_LOCATION
        self.overrides, self.params = {}, self.base
        self.comparison.value = self.scenario_message.value = ""  # compared settings are gone
        self._configure_controls()
        self._apply(self.base, {}, None, force=True)

    @property
    def region_path(self) -> Path | None:
        """The region file shown (``None`` for a planner given parameters, not a file)."""
        return Path(str(self.region_select.value)) if self.files else None

    def save_scenario(self, name: str) -> Path | None:
        """Save the fields changed here as scenario ``name`` beside the region file.

        Returns the file written, or ``None`` with a message (a name that is not a slug or is
        taken, nothing changed, no region file); then compares the settings with the file.
        """
        path = self.region_path
        if path is None:
            self.scenario_message.value = _error_html("no region file to save a scenario beside")
            return None
        try:
            saved = save_planner_scenario(path, name.strip(), self.params, self.overrides)
        except CxplanError as exc:
            lines = getattr(exc, "problems", None) or [str(exc)]
            self.scenario_message.value = _error_html("; ".join(lines))
            return None
        self.scenario_message.value = (
            f'<span class="cx-ok">Saved scenario {html.escape(name.strip())}: '
            f"{html.escape(str(saved))}</span>"
        )
        self.compare_with_base()
        return saved

    def compare_with_base(self) -> pd.DataFrame:
        """Show (and return) the key figures of these settings against the region file's."""
        table = compare_settings(self.base, self.params, params_root=self.root)
        self.comparison.value = comparison_table(
            table, self.currency, caption="These settings (current) against the region file"
        ).to_html()
        return table

    def select_channel(self, channel: str) -> None:
        """Show the controls of another channel (nothing is recomputed)."""
        self.channel_select.value = channel

    def select_region(self, path: str | Path) -> bool:
        """Switch to another region file: its own values, no overrides, figures rebuilt."""
        self.region_select.value = str(path)
        return bool(self.status.value == "")

    def _on_channel(self, change: dict[str, Any]) -> None:
        if self.is_quiet:
            return
        self.channel = str(change["new"])
        self._configure_controls()

    def _on_location(self, change: dict[str, Any]) -> None:
        if self.is_quiet:
            return
        overrides = {k: v for k, v in self.overrides.items() if not k.startswith("location")}
        preset = location_override(self.base, str(change["new"]))
        if preset is not None:
            overrides["location"] = preset
        params = with_overrides(self.base, overrides)
        if self._apply(params, overrides, None):
            self.controls["wage_per_hour"].configure(self.value("wage_per_hour"))

    def _on_region(self, change: dict[str, Any]) -> None:
        if self.is_quiet:
            return
        path = Path(str(change["new"]))
        try:
            base = load_params(path)
        except CxplanError as exc:
            lines = getattr(exc, "problems", None) or str(exc).splitlines()
            self._fail("; ".join(lines))
            with self.quiet():
                self.region_select.value = str(change["old"])
            return
        self.base, self.root, self.overrides, self.params = base, params_root(path), {}, base
        self.comparison.value = self.scenario_message.value = ""  # another region's
        with self.quiet():
            self.channel_select.options = self._channels(base)
            self.channel = self._channels(base)[0]
            self.channel_select.value = self.channel
            self.location_select.options = location_options(base)
            self.location_select.value = REGION_LOCATION
        self._configure_controls()
        self._apply(base, {}, None, force=True)

    # -------------------------------------------------------------------------- recompute

    def _case_key(self, params: RegionParams) -> tuple[str, ...]:
        return tuple(section_key(params, s) for s in SHARED["CaseModel.business_case"])

    def _apply(
        self,
        params: RegionParams,
        overrides: dict[str, Any],
        control: _Control | None,
        *,
        force: bool = False,
    ) -> bool:
        """Build the model for ``params`` and show its figures; on an error keep the last."""
        model = RegionModel(params, params_root=self.root)
        case_changed = force or self._case_key(params) != self._case_key(self.params)
        plan: Future[Any] | None = None
        try:
            if case_changed:
                # The hiring plan (an exact MILP: HiGHS runs without the GIL) is solved on a
                # worker thread while this one prices the operation and sends its KPIs and
                # charts. Both need the weekly requirement: computed here first.
                model.required_fte  # noqa: B018
                plan = _worker().submit(lambda: model.hiring_plan)
            operation = operation_figures(model)
            built = planner_charts(model, _OPERATION_CHARTS)
        except CxplanError as exc:
            if plan is not None:
                wait([plan])  # the model is dropped: let its solve end first
            self._fail(str(exc), control)
            return False
        self.kpi_panel.value = kpi_html(operation, self.case, self.currency, pending=case_changed)
        self._draw(built)
        try:
            if plan is not None:
                # while the plan is solved: the business case's parts that do not need it
                model.initiative_baseline  # noqa: B018
                model.programme  # noqa: B018
                plan.result()  # its error, if any, is the business case's
            case = case_figures(model)
            built = planner_charts(model, ("cashflow", "tornado"))
        except CxplanError as exc:
            # show the last good state again (its results are shared: quick)
            self._fail(str(exc), control)
            self.kpi_panel.value = kpi_html(self.operation, self.case, self.currency)
            self._draw(planner_charts(self.model, _OPERATION_CHARTS))
            return False
        self.model, self.params, self.overrides = model, params, overrides
        self.operation, self.case = operation, case
        self.kpi_panel.value = kpi_html(operation, case, self.currency)
        self._draw(built)
        self.status.value = ""
        return True

    def _draw(self, built: Mapping[str, Any]) -> None:
        for name, (data, make) in built.items():
            if _same(data, self._chart_inputs.get(name)):
                continue  # same input: the chart on the page is already right
            with debug_mode(False):  # tested builders: skip altair's per-object validation
                chart = make()
            self.charts.update(name, chart)
            self._chart_inputs[name] = data

    def _fail(self, message: str, control: _Control | None = None) -> None:
        if control is not None:
            control.error(message)
        self.status.value = _error_html(message)


@functools.cache
def _worker() -> ThreadPoolExecutor:
    """Return the planners' one background thread (made on first use: no import side effects)."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="cxplan-plan")


def _error_html(text: str) -> str:
    return f'<span class="cx-error" style="color:#b00">{html.escape(text)}</span>'


def _spec(key: str) -> ControlSpec:
    return next(s for s in CONTROLS if s.key == key)


def _region_label(path: Path) -> str:
    return path.stem.replace("-", " ").replace("_", " ").title()
