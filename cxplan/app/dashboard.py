"""The live planner: ipywidgets controls wired to a fast model recompute, a KPI panel and charts.

The consultant moves a slider; :func:`compute` re-runs the staffing engine and the cost,
sourcing and initiative models for one representative week of the region's lead channel
(voice when present) and scales it to months, so one change takes a few tens of milliseconds;
:class:`Planner` then updates the KPI panel and the charts in place (one chart widget per
chart, updated, never rebuilt).

The wiring lives here, not in the notebook, so that it is unit-tested: setting a control's value
updates the figures (``tests/test_dashboard.py``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cxplan.config.params import RegionParams, base_value
from cxplan.economics import costs, finance, initiatives, risk
from cxplan.errors import CxplanError, InputError
from cxplan.model import RegionModel
from cxplan.present import charts
from cxplan.present.report import money, safe_text
from cxplan.workforce import staffing

__all__ = ["Planner", "PlannerResult", "PlannerState", "compute", "initial_state"]

WEEKS_PER_MONTH = 52.0 / 12.0
_REGION_LOCATION = "region"


@dataclass(frozen=True)
class PlannerState:
    """The values of the planner's controls (units as in the parameter files)."""

    weekly_contacts: float
    aht_s: float
    sl_target: float
    answer_time_s: float
    max_occupancy: float
    shrinkage: float
    location: str
    wage_per_hour: float
    vendor_share: float
    aht_reduction: float
    deflection: float
    horizon_months: int


def _lead_channel(params: RegionParams) -> str:
    for name in ("voice", "chat"):
        if getattr(params.channels, name) is not None:
            return name
    raise InputError("the live planner needs a voice or chat channel in the region's parameters")


def initial_state(params: RegionParams) -> PlannerState:
    """Planner controls at the region's own values."""
    ch = getattr(params.channels, _lead_channel(params))
    i = params.initiative
    return PlannerState(
        weekly_contacts=float(ch.weekly_contacts),
        aht_s=float(ch.aht_s),
        sl_target=float(ch.sl_target),
        answer_time_s=float(ch.answer_time_s),
        max_occupancy=float(ch.max_occupancy),
        shrinkage=float(params.workforce.shrinkage),
        location=_REGION_LOCATION,
        wage_per_hour=float(params.location.wage_per_hour),
        vendor_share=float(params.sourcing.vendor_share),
        aht_reduction=base_value(i.aht_reduction),
        deflection=base_value(i.deflection),
        horizon_months=int(params.finance.horizon_months),
    )


@dataclass
class PlannerResult:
    """Everything the planner shows for one state."""

    state: PlannerState
    staffing: pd.DataFrame
    kpis: dict[str, float | str | None]
    costs: pd.DataFrame
    cashflows: np.ndarray
    tornado: pd.DataFrame


class _Context:
    """Per-region pieces that do not depend on the controls (built once per planner)."""

    def __init__(self, params: RegionParams) -> None:
        self.params = params
        self.model = RegionModel(params)
        self.channel_name = _lead_channel(params)
        self.base_channel = self.model.channels[self.channel_name]
        f = params.forecast
        intraday = np.asarray(f.intraday_profile, dtype=float)
        week = np.outer(np.asarray(f.day_of_week_share), intraday / intraday.sum()).ravel()
        self.week_shape = week
        self.index = pd.date_range(
            pd.Timestamp(params.region.start_date),
            periods=week.size,
            freq=f"{f.interval_minutes}min",
        )
        self.quote = self.model.quote
        self.tech = self.model.tech
        self.region_location = self.model.location
        i = params.initiative
        self.initiative_costs = initiatives.InitiativeCosts(
            discovery=base_value(i.discovery),
            implementation=base_value(i.implementation),
            training=base_value(i.training),
            tooling_per_year=base_value(i.tooling_per_year),
            ramp_months=i.ramp_months,
        )
        self.uncertain = dict(self.model.uncertain_inputs)

    def location(self, state: PlannerState) -> costs.LocationProfile:
        base = (
            self.region_location
            if state.location == _REGION_LOCATION
            else costs.LOCATION_PRESETS[state.location]
        )
        return dataclasses.replace(base, wage_per_hour=state.wage_per_hour)

    def channel(self, state: PlannerState) -> Any:
        base: Any = self.base_channel
        return dataclasses.replace(
            base,
            aht_s=state.aht_s,
            sl_target=state.sl_target,
            answer_time_s=state.answer_time_s,
            max_occupancy=state.max_occupancy,
        )


def _evaluate_initiative(
    ctx: _Context, state: PlannerState, baseline: initiatives.Baseline, **draws: Any
) -> dict[str, np.ndarray]:
    i, f = ctx.params.initiative, ctx.params.finance
    levers = initiatives.Levers(
        aht_reduction=draws.get("aht_reduction", state.aht_reduction),
        deflection=draws.get("deflection", state.deflection),
        fcr_improvement=draws.get("fcr_improvement", base_value(i.fcr_improvement)),
        occupancy_cap=i.occupancy_cap,
    )
    c = ctx.initiative_costs
    icosts = initiatives.InitiativeCosts(
        discovery=draws.get("discovery", c.discovery),
        implementation=draws.get("implementation", c.implementation),
        training=draws.get("training", c.training),
        tooling_per_year=draws.get("tooling_per_year", c.tooling_per_year),
        ramp_months=c.ramp_months,
    )
    return initiatives.evaluate(
        baseline,
        levers,
        icosts,
        horizon_months=state.horizon_months,
        discount_rate_annual=f.discount_rate_annual,
        risk_benefit=f.risk_benefit,
        risk_cost=f.risk_cost,
    )


def compute(params: RegionParams | _Context, state: PlannerState) -> PlannerResult:
    """Recompute every planner figure for one state of the controls.

    Parameters
    ----------
    params : RegionParams
        The region (its other assumptions stay as in the parameter files).
    state : PlannerState
        The controls.

    Returns
    -------
    PlannerResult
        Typical-week staffing of the lead channel, the KPI figures, monthly costs per sourcing
        option over the horizon, the initiative's monthly cash flows and the NPV tornado.

    Notes
    -----
    One representative week (the region's day-of-week and intraday shape × ``weekly_contacts``)
    is staffed with the staffing engine; a month is 52/12 such weeks. In-house cost = paid hours
    (staffed ÷ (1 − shrinkage)) × the location's fully loaded cost per paid hour; the vendor cost
    is the quote's monthly cost (with governance and value leakage) plus its transition cost in
    month 1; the hybrid sends ``vendor_share`` of every interval to the vendor.
    """
    ctx = params if isinstance(params, _Context) else _Context(params)
    location = ctx.location(state)
    channel = ctx.channel(state)
    cost_per_hour = float(costs.cost_per_paid_hour(location, ctx.tech))
    volume = pd.Series(state.weekly_contacts * ctx.week_shape, index=ctx.index)
    table = staffing.staff_intervals(volume, channel)
    months = int(state.horizon_months)
    paid_factor = WEEKS_PER_MONTH / (1.0 - state.shrinkage)

    def inhouse_month(share: float) -> tuple[float, float]:
        if share >= 1.0:
            return 0.0, 0.0
        t = table if share == 0.0 else staffing.staff_intervals(volume * (1.0 - share), channel)
        hours = float(t["agent_hours"].sum()) * paid_factor
        return hours * cost_per_hour, hours

    def vendor_month(share: float) -> float:
        if share <= 0.0:
            return 0.0
        contacts = state.weekly_contacts * share * WEEKS_PER_MONTH
        work_h = contacts * state.aht_s / 3600.0 / max(state.max_occupancy, 1e-9)
        return float(ctx.quote.monthly_cost(contacts, aht_s=state.aht_s, agent_hours=work_h))

    options = {
        "in-house": 0.0,
        "outsourced": 1.0,
        f"hybrid {state.vendor_share:.0%} to vendor": state.vendor_share,
    }
    rows = []
    totals: dict[str, float] = {}
    # calendar months from the plan start, as the region model's monthly tables have them
    month_starts = pd.date_range(
        pd.Timestamp(ctx.params.region.start_date).to_period("M").to_timestamp(),
        periods=months,
        freq="MS",
    )
    for option, share in options.items():
        inhouse, _ = inhouse_month(share)
        vendor = vendor_month(share)
        one_off = ctx.quote.transition_cost if share > 0 else 0.0
        for m, start in enumerate(month_starts, start=1):
            total = inhouse + vendor + (one_off if m == 1 else 0.0)
            rows.append({"month": start, "option": option, "total_cost": total})
        totals[option] = (inhouse + vendor) * months + one_off
    cost_table = pd.DataFrame(rows)

    # the initiative on the average day of that week at hourly intervals, as the region model
    # does (≤ 24 staffing intervals keep the recompute and the tornado small)
    hourly = volume.resample("h").sum()
    day = hourly.groupby(pd.DatetimeIndex(hourly.index).hour).sum() / 7.0
    day.index = ctx.index[:: 60 // ctx.params.forecast.interval_minutes][:24]
    load = initiatives.ChannelLoad(day, channel, periods_per_month=365.0 / 12.0, deflectable=True)
    i = ctx.params.initiative
    baseline = initiatives.Baseline(
        {ctx.channel_name: load},
        cost_per_hour,
        shrinkage=state.shrinkage,
        baseline_fcr=i.baseline_fcr,
        repeats_per_unresolved=i.repeats_per_unresolved,
    )

    # NPV tornado over the uncertain inputs: one vectorized call of 2k + 1 scenarios whose row 0
    # is the base case, which is also the deterministic result shown in the KPI panel
    base = {
        "aht_reduction": state.aht_reduction,
        "deflection": state.deflection,
        "fcr_improvement": base_value(i.fcr_improvement),
        "discovery": float(ctx.initiative_costs.discovery),
        "implementation": float(ctx.initiative_costs.implementation),
        "training": float(ctx.initiative_costs.training),
        "tooling_per_year": float(ctx.initiative_costs.tooling_per_year),
    }
    ranges = ctx.uncertain or {"aht_reduction": (0.0, min(0.9, 2 * state.aht_reduction + 0.05))}
    captured: dict[str, dict[str, np.ndarray]] = {}

    def npv_model(**draws: Any) -> dict[str, np.ndarray]:
        captured["out"] = _evaluate_initiative(ctx, state, baseline, **draws)
        return {"npv": captured["out"]["npv"]}

    tornado = risk.tornado(npv_model, base, ranges, output="npv")
    result = {k: np.asarray(v)[0] for k, v in captured["out"].items()}
    flows = np.asarray(result["cashflows"], dtype=float)

    occ = table["occupancy"].to_numpy()
    hours = table["agent_hours"].to_numpy()
    contacts = table["contacts"].to_numpy()
    weekly_fte = float(hours.sum()) / ctx.params.workforce.fte_hours_per_week
    cheapest = min(totals, key=lambda k: totals[k])
    kpis: dict[str, float | str | None] = {
        "peak_agents": float(table["agents"].max()),
        "average_agents": float(table["agents"].mean()),
        "fte": weekly_fte,
        "scheduled_fte": weekly_fte / (1.0 - state.shrinkage),
        "service_level": float(np.average(table["service_level"], weights=contacts))
        if contacts.sum() > 0
        else 1.0,
        "occupancy": float(np.average(occ, weights=hours)) if hours.sum() > 0 else 0.0,
        "cost_per_paid_hour": cost_per_hour,
        "inhouse_cost_per_month": inhouse_month(0.0)[0],
        "outsourced_cost_per_month": vendor_month(1.0),
        "cheapest_option": cheapest,
        "monthly_benefit": float(result["monthly_benefit"]),
        "npv": float(result["npv"]),
        "payback_months": _finite(result["payback_months"]),
        "break_even_month": _finite(finance.break_even_month(flows)),
    }
    return PlannerResult(state, table, kpis, cost_table, flows, tornado)


def _finite(x: Any) -> float | None:
    v = float(np.asarray(x))
    return v if np.isfinite(v) else None


def kpi_html(result: PlannerResult, currency: str) -> str:
    """Render the KPI panel as HTML (escaped; no external resources)."""
    k = result.kpis

    def months(v: Any) -> str:
        return "never" if v is None else f"{float(v):.1f} months"

    items = [
        ("Peak agents", f"{k['peak_agents']:.0f}"),
        ("Scheduled FTE", f"{k['scheduled_fte']:.1f}"),
        ("Service level", f"{k['service_level']:.1%}"),
        ("Occupancy", f"{k['occupancy']:.1%}"),
        ("In-house / month", money(k["inhouse_cost_per_month"], currency)),  # type: ignore[arg-type]
        ("Outsourced / month", money(k["outsourced_cost_per_month"], currency)),  # type: ignore[arg-type]
        ("Cheapest option", str(k["cheapest_option"])),
        ("Initiative NPV", money(k["npv"], currency)),  # type: ignore[arg-type]
        ("Payback", months(k["payback_months"])),
        (
            "Break-even month",
            "never" if k["break_even_month"] is None else f"{k['break_even_month']:.0f}",
        ),
    ]
    cells = "".join(
        f'<div class="cx-kpi"><div class="cx-kpi-label">{safe_text(label)}</div>'
        f'<div class="cx-kpi-value" data-kpi="{safe_text(label)}">'
        f"{safe_text(value)}</div></div>"
        for label, value in items
    )
    style = (
        "<style>.cx-kpis{display:flex;flex-wrap:wrap;gap:8px;font-family:sans-serif}"
        ".cx-kpi{border:1px solid #ccd;border-radius:6px;padding:6px 10px;min-width:130px}"
        ".cx-kpi-label{font-size:11px;color:#556}.cx-kpi-value{font-size:18px;font-weight:600}</style>"
    )
    return f'{style}<div class="cx-kpis">{cells}</div>'


class Planner:
    """The live planner widget: controls, KPI panel and four charts updated in place.

    Parameters
    ----------
    params : RegionParams
        The region to start from.
    chart_backend : str
        Passed to :func:`cxplan.present.charts.chart_widget` (``"auto"`` picks altair's
        JupyterChart when
        available).

    Examples
    --------
    In a notebook::

        planner = Planner(load_params("params/regions/north-america.yaml"))
        planner.widget   # display it
    """

    def __init__(self, params: RegionParams, *, chart_backend: Any = "auto") -> None:
        import ipywidgets as w  # imported here: the package must not need a display to import

        self.params = params
        self.currency = params.region.currency
        self._ctx = _Context(params)
        s = initial_state(params)
        style = {"description_width": "150px"}
        layout = w.Layout(width="420px")

        def slider(
            cls: Any, value: float, lo: float, hi: float, step: float, label: str, fmt: str
        ) -> Any:
            return cls(
                value=value,
                min=lo,
                max=hi,
                step=step,
                description=label,
                readout_format=fmt,
                continuous_update=False,
                style=style,
                layout=layout,
            )

        fs, cur = w.FloatSlider, self.currency
        locations = [(f"{params.location.name} (region)", _REGION_LOCATION)]
        locations += [(k.replace("_", " "), k) for k in costs.LOCATION_PRESETS]
        top = max(4 * s.weekly_contacts, 1000.0)
        self.controls: dict[str, Any] = {
            "weekly_contacts": slider(
                fs, s.weekly_contacts, 0.0, top, 100.0, "Contacts / week", ",.0f"
            ),
            "aht_s": slider(fs, s.aht_s, 30.0, max(1200.0, 2 * s.aht_s), 5.0, "AHT (s)", ".0f"),
            "sl_target": slider(fs, s.sl_target, 0.5, 0.99, 0.01, "SL target", ".0%"),
            "answer_time_s": slider(
                fs, s.answer_time_s, 0.0, 300.0, 5.0, "Answer within (s)", ".0f"
            ),
            "max_occupancy": slider(fs, s.max_occupancy, 0.5, 1.0, 0.01, "Occupancy cap", ".0%"),
            "shrinkage": slider(fs, s.shrinkage, 0.0, 0.6, 0.01, "Shrinkage", ".0%"),
            "location": w.Dropdown(
                options=locations,
                value=s.location,
                description="Location",
                style=style,
                layout=layout,
            ),
            "wage_per_hour": slider(fs, s.wage_per_hour, 1.0, 80.0, 0.5, f"Wage ({cur}/h)", ".1f"),
            "vendor_share": slider(fs, s.vendor_share, 0.0, 1.0, 0.05, "Outsourced share", ".0%"),
            "aht_reduction": slider(fs, s.aht_reduction, 0.0, 0.6, 0.01, "AHT reduction", ".0%"),
            "deflection": slider(fs, s.deflection, 0.0, 0.8, 0.01, "Deflection", ".0%"),
            "horizon_months": slider(
                w.IntSlider, s.horizon_months, 12, 60, 6, "Horizon (months)", "d"
            ),
        }
        self.kpi_panel = w.HTML()
        self.status = w.HTML()
        self.result = compute(self._ctx, s)
        built = self._charts(self.result)
        self.chart_widgets = {
            name: charts.chart_widget(c, backend=chart_backend) for name, c in built.items()
        }
        self.kpi_panel.value = kpi_html(self.result, self.currency)
        for name, control in self.controls.items():
            control.observe(self._on_change, names="value")
            if name == "location":
                control.observe(self._on_location, names="value")
        # the controls keep their width (440 px: 420 px sliders with their readouts); the KPI
        # panel takes the rest and wraps
        left = w.VBox(
            list(self.controls.values()), layout=w.Layout(flex="0 0 auto", min_width="440px")
        )
        right = w.VBox(
            [self.kpi_panel, self.status], layout=w.Layout(flex="1 1 auto", min_width="0")
        )
        grid = w.VBox(
            [
                w.HBox([self.chart_widgets["staffing"], self.chart_widgets["costs"]]),
                w.HBox([self.chart_widgets["cashflow"], self.chart_widgets["tornado"]]),
            ]
        )
        self.widget = w.VBox([w.HBox([left, right]), grid])

    def state(self) -> PlannerState:
        """Return the current control values."""
        values = {name: c.value for name, c in self.controls.items()}
        values["horizon_months"] = int(values["horizon_months"])
        return PlannerState(**values)

    def _charts(self, r: PlannerResult) -> dict[str, Any]:
        cur = self.currency
        return {
            "staffing": charts.staffing_chart(
                {self._ctx.channel_name: r.staffing},
                width=420,
                height=180,
                title="Required agents, typical week",
            ),
            "costs": charts.cost_comparison_chart(r.costs, currency=cur, width=420, height=220),
            "cashflow": charts.cashflow_chart(r.cashflows, currency=cur, width=420, height=220),
            "tornado": charts.tornado_chart(r.tornado, output_title="NPV", unit=cur, width=420),
        }

    def _on_location(self, change: dict[str, Any]) -> None:
        name = change["new"]
        loc = self.params.location if name == _REGION_LOCATION else costs.LOCATION_PRESETS[name]
        self.controls["wage_per_hour"].value = float(loc.wage_per_hour)

    def _on_change(self, change: dict[str, Any] | None = None) -> None:
        self.update()

    def update(self) -> PlannerResult:
        """Recompute for the current controls and update the KPI panel and charts in place."""
        try:
            self.result = compute(self._ctx, self.state())
        except CxplanError as exc:  # e.g. an unreachable target: say so, keep the last figures
            self.status.value = f'<span style="color:#b00">{safe_text(exc)}</span>'
            return self.result
        self.status.value = ""
        self.kpi_panel.value = kpi_html(self.result, self.currency)
        for name, chart in self._charts(self.result).items():
            charts.update_chart_widget(self.chart_widgets[name], chart)
        return self.result
