"""The initiative's business case: effect, programme, release, lines, tornado, Monte Carlo."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from cxplan.config.params import (
    UNCERTAIN_INITIATIVE_INPUTS,
    Dist,
    base_value,
)
from cxplan.economics import costs, initiatives, risk
from cxplan.economics.business_case import (
    CaseLine,
    CaseResult,
    Release,
    evaluate_lines,
    tei_by_line,
)
from cxplan.economics.programme_case import CaseSetup, TaskCost, case_lines, weeks_in_months
from cxplan.errors import InputError
from cxplan.model._common import distribution
from cxplan.model._memo import shared
from cxplan.model._plan import PlanModel
from cxplan.plan.programme import Programme, programme_from_roadmap
from cxplan.workforce.hiring import extend_run_rate

__all__ = ["CaseModel"]

#: What the business case reads: the operation's volumes and staffing, unit costs, the hiring
#: plan, the roadmap's programme and the initiative and finance sections.
#: The uncertain inputs of the business case in words (reports, charts, the planner).
INPUT_LABELS = {
    "aht_reduction": "Handle-time reduction",
    "deflection": "Deflection to bots",
    "fcr_improvement": "First-contact resolution gain",
    "realisation": "Share of the pilot's effect realised at scale",
    "tooling_per_year": "Tooling cost",
}

_CASE_SECTIONS = (
    "region", "forecast", "history", "channels", "workforce", "location", "technology",
    "initiative", "finance", "roadmap",
)  # fmt: skip


class CaseModel(PlanModel):
    """The business case on top of the plan (see :mod:`cxplan.economics.programme_case`)."""

    # ------------------------------------------------------------------ initiative, ROI and risk

    @shared(
        "region",
        "forecast",
        "history",
        "channels",
        "workforce",
        "location",
        "technology",
        "initiative",
    )
    def initiative_baseline(self) -> initiatives.Baseline:
        """The operation the initiative acts on: an average day per channel at hourly intervals.

        The average day (all horizon days, each interval averaged, aggregated to hours) keeps the
        Monte Carlo's per-draw staffing recompute small (≤ 24 intervals a channel) while keeping
        the daily shape; it occurs 365/12 times a month.
        """
        loads: dict[str, initiatives.ChannelLoad] = {}
        days = self.params.forecast.horizon_weeks * 7
        for name, vol in self.volumes.items():
            # contacts per hour of an average day
            by_time = vol.groupby(pd.DatetimeIndex(vol.index).hour).sum() / days
            idx = pd.date_range(self.params.region.start_date, periods=24, freq="h")
            profile = pd.Series(by_time.reindex(range(24), fill_value=0.0).to_numpy(), index=idx)
            loads[name] = initiatives.ChannelLoad(
                profile,
                self.channels[name],
                periods_per_month=365.0 / 12.0,
                deflectable=name != "email",
            )
        i = self.params.initiative
        return initiatives.Baseline(
            loads,
            self.cost_per_paid_hour,
            shrinkage=self.paid_shrinkage,
            baseline_fcr=i.baseline_fcr,
            repeats_per_unresolved=i.repeats_per_unresolved,
        )

    @cached_property
    def programme(self) -> Programme:
        """Pilot, decision and rollout dates, read off the roadmap."""
        i = self.params.initiative
        return programme_from_roadmap(
            self.roadmap,
            pilot_task=i.pilot_task,
            rollout_task=i.rollout_task,
            decision_lag_days=i.decision_lag_days,
        )

    @cached_property
    def finance_weeks(self) -> int:
        """Weeks of the finance horizon (``finance.horizon_months`` plan months)."""
        return weeks_in_months(self.params.finance.horizon_months)

    @cached_property
    def run_rate_plan(self) -> pd.DataFrame:
        """Baseline requirement, hires and headcount per week over the finance horizon.

        The capacity plan's weeks first (its MILP hiring), then the run rate beyond them
        (:func:`cxplan.workforce.hiring.extend_run_rate`).
        """
        plan = self.capacity_plan
        req, hires, head = extend_run_rate(
            plan["required_fte"].to_numpy(dtype=float),
            plan["hires"].to_numpy(dtype=float),
            plan["headcount"].to_numpy(dtype=float),
            weeks=self.finance_weeks,
            attrition_weekly=self.workforce.weekly_rates()[1],
            growth_annual=self.params.forecast.growth_annual,
        )
        weeks = np.arange(self.finance_weeks)
        return pd.DataFrame(
            {
                "week": weeks,
                "in_plan": weeks < len(plan),
                "required_fte": req,
                "hires": hires,
                "headcount": head,
                "adoption": self.programme.adoption_by_week(self.finance_weeks),
            }
        )

    @cached_property
    def avoidable_cost_per_fte_week(self) -> float:
        """Cost of one paid FTE-week that goes away with the FTE (the chosen components)."""
        rates = costs.component_rates(self.location, self.tech)
        keep = self.params.initiative.avoidable_cost_components
        per_hour = sum(rates[c] for c in keep)
        return float(per_hour * self.params.location.paid_hours_per_fte_per_year / 52.0)

    @cached_property
    def case_setup(self) -> CaseSetup:
        """The fixed part of the business case (timeline, baseline plan, unit costs, tasks)."""
        i, f = self.params.initiative, self.params.finance
        plan = self.run_rate_plan
        tasks = tuple(
            TaskCost(f"task:{t.id}", t.name, t.start_day, t.end_day)
            for t in self.params.roadmap.tasks
            if t.cost_source == "task" and t.cost_high > 0
        )
        return CaseSetup(
            months=f.horizon_months,
            adoption=plan["adoption"].to_numpy(),
            requirement_fte=plan["required_fte"].to_numpy(),
            baseline_hires=plan["hires"].to_numpy(),
            baseline_headcount=plan["headcount"].to_numpy(),
            attrition_weekly=self.workforce.weekly_rates()[1],
            avoidable_cost_per_fte_week=self.avoidable_cost_per_fte_week,
            cost_per_hire=self.params.location.hiring_cost_per_hire,
            loaded_cost_per_paid_hour=self.cost_per_paid_hour,
            training_hours_per_agent=i.training_hours_per_agent,
            licence_per_agent_per_month=i.licence_per_agent_per_month,
            automation_cost_per_contact=i.automation_cost_per_contact,
            tooling_start_day=self.programme.pilot_start_day,
            tasks=tasks,
            policy=i.release_policy,
            release_cost_per_fte=i.release_cost_per_fte,
            risk=dict(f.risk_adjustments),
            risk_benefit=f.risk_benefit,
            risk_cost=f.risk_cost,
        )

    @cached_property
    def base_inputs(self) -> dict[str, float]:
        """Base-case value (most likely) of every input the tornado and Monte Carlo vary."""
        i = self.params.initiative
        out = {name: base_value(getattr(i, name)) for name in UNCERTAIN_INITIATIVE_INPUTS}
        for t in self.params.roadmap.tasks:
            if t.cost_source == "task" and t.cost_high > 0:
                out[f"task:{t.id}"] = float(t.cost_base)
        return out

    def effect(self, **inputs: Any) -> dict[str, np.ndarray]:
        """Compute what the levers do to the operation (hours, contacts), over arrays of draws."""
        i = self.params.initiative
        values = {**self.base_inputs, **inputs}
        levers = initiatives.Levers(
            aht_reduction=values["aht_reduction"],
            deflection=values["deflection"],
            fcr_improvement=values["fcr_improvement"],
            occupancy_cap=i.occupancy_cap,
        )
        return initiatives.effect(self.initiative_baseline, levers)

    def case(self, **inputs: Any) -> tuple[list[CaseLine], Release, CaseResult]:
        """Build the business case for arrays of draws of the uncertain inputs (others at base)."""
        values = {**self.base_inputs, **inputs}
        eff = self.effect(**values)
        lines, release = case_lines(
            self.case_setup,
            saving_share=eff["saving_share"],
            realisation=values["realisation"],
            deflected_contacts_per_month=eff["deflected_contacts_per_month"],
            tooling_per_year=values["tooling_per_year"],
            task_costs={k: v for k, v in values.items() if k.startswith("task:")},
        )
        return lines, release, evaluate_lines(lines, self.params.finance.discount_rate_annual)

    def case_outputs(self, **inputs: Any) -> dict[str, np.ndarray]:
        """Headline outputs of :meth:`case` (the tornado's and the Monte Carlo's model)."""
        f = self.params.finance
        _, release, res = self.case(**inputs)
        payback = np.nan_to_num(res.payback_months, nan=np.inf)
        return {
            "npv": res.npv,
            "roi": res.roi,
            "payback_months": res.payback_months,
            "break_even_month": res.break_even_month,
            "paid_back_in_window": np.asarray(payback <= f.payback_within_months, dtype=float),
            "pv_benefits": res.pv_benefits,
            "pv_costs": res.pv_costs,
            "fte_released_end": release.released_fte[..., -1],
        }

    @shared(*_CASE_SECTIONS)
    def business_case(self) -> tuple[list[CaseLine], Release, CaseResult]:
        """The base case: lines, weekly release and totals (risk-adjusted)."""
        return self.case()

    @cached_property
    def initiative(self) -> dict[str, float]:
        """Key figures of the base case (risk-adjusted; payback NaN if never)."""
        _, release, res = self.business_case
        eff = self.effect()
        return {
            "npv": float(res.npv),
            "roi": float(res.roi),
            "payback_months": float(res.payback_months),
            "break_even_month": float(res.break_even_month),
            "pv_benefits": float(res.pv_benefits),
            "pv_costs": float(res.pv_costs),
            "saving_share": float(eff["saving_share"]),
            "hours_saved_per_month": float(eff["hours_saved_per_month"]),
            "target_fte": float(release.target_fte.max()),
            "fte_released_end": float(release.released_fte[-1]),
            "hires_avoided": float(release.hires_avoided.sum()),
        }

    @cached_property
    def case_lines_table(self) -> pd.DataFrame:
        """The base case's lines per plan month, tidy.

        Columns ``month``, ``month_start``, ``key``, ``line``, ``kind``, ``amount``
        (risk-adjusted) and ``unadjusted``.
        """
        lines, _, _ = self.business_case
        start = pd.Timestamp(self.params.region.start_date)
        rows = []
        for ln in lines:
            for m, (adj, raw) in enumerate(zip(ln.adjusted, ln.monthly, strict=True)):
                rows.append((m, start + pd.DateOffset(months=m), ln.key, ln.label, ln.kind,
                             float(adj), float(raw)))  # fmt: skip
        return pd.DataFrame(
            rows, columns=["month", "month_start", "key", "line", "kind", "amount", "unadjusted"]
        )

    @cached_property
    def initiative_cashflows(self) -> np.ndarray:
        """Base-case monthly net cash flows (risk-adjusted), plan month 0 first."""
        return np.asarray(self.business_case[2].net, dtype=float)

    @cached_property
    def programme_cashflow(self) -> pd.DataFrame:
        """Costs, benefits, net and cumulative net per plan month (risk-adjusted, long form).

        Columns ``month`` (0 = the plan's first month), ``month_label`` (``M0`` …), ``series``
        (``costs``, ``benefits``, ``net``, ``cumulative``) and ``value``; the input of
        :func:`cxplan.present.charts.cashflow_chart`.
        """
        res = self.business_case[2]
        n = len(res.net)
        wide = pd.DataFrame(
            {
                "month": np.arange(n),
                "month_label": [f"M{m}" for m in range(n)],
                "costs": res.costs,
                "benefits": res.benefits,
                "net": res.net,
                "cumulative": np.cumsum(res.net),
            }
        )
        return wide.melt(
            id_vars=["month", "month_label"],
            value_vars=["costs", "benefits", "net", "cumulative"],
            var_name="series",
            value_name="value",
        )

    @cached_property
    def tei_table(self) -> pd.DataFrame:
        """Forrester TEI-style table by line (risk-adjusted, year columns, PV)."""
        lines, _, _ = self.business_case
        return tei_by_line(lines, self.params.finance.discount_rate_annual)

    @cached_property
    def release_table(self) -> pd.DataFrame:
        """Week by week: adoption, target and released FTE, hires with and without."""
        _, release, _ = self.business_case
        plan = self.run_rate_plan
        out = plan[["week", "in_plan", "adoption", "required_fte", "hires", "headcount"]].copy()
        out = out.rename(columns={"hires": "hires_baseline", "headcount": "headcount_baseline"})
        out["target_fte"] = release.target_fte
        out["released_fte"] = release.released_fte
        out["hires_avoided"] = release.hires_avoided
        out["hires_with_initiative"] = out["hires_baseline"] - release.hires_avoided
        out["headcount_with_initiative"] = out["headcount_baseline"] - release.released_fte
        out["week_start"] = pd.Timestamp(self.params.region.start_date) + pd.to_timedelta(
            out["week"] * 7, unit="D"
        )
        return out

    @cached_property
    def naive_comparison(self) -> initiatives.NaiveComparison | None:
        """Seed 000's naive handle-time saving beside the queue-aware one (voice).

        ``None`` when there is nothing to compare: no voice channel, no voice contacts, or no
        handle-time reduction.
        """
        voice = self.params.channels.voice
        if (
            voice is None
            or self.weekly_contacts("voice") <= 0
            or base_value(self.params.initiative.aht_reduction) <= 0
        ):
            return None
        dow = self.params.forecast.day_of_week_share
        weekdays = sum(1 for s in dow if s > 0)
        return initiatives.naive_vs_queue_aware(
            self.weekly_contacts("voice") / weekdays,
            voice.aht_s,
            base_value(self.params.initiative.aht_reduction),
            self.params.location.wage_per_hour,
            days_per_week=weekdays,
            channel=self.channels["voice"],  # type: ignore[arg-type]
            shrinkage=self.paid_shrinkage,
        )

    @cached_property
    def uncertain_inputs(self) -> dict[str, Any]:
        """The inputs given as low/mode/high, as risk distributions (levers, costs, tasks)."""
        i = self.params.initiative
        out: dict[str, Any] = {
            name: distribution(getattr(i, name))
            for name in UNCERTAIN_INITIATIVE_INPUTS
            if isinstance(getattr(i, name), Dist)
        }
        for t in self.params.roadmap.tasks:
            if t.cost_source == "task" and t.cost_low < t.cost_high:
                out[f"task:{t.id}"] = risk.Pert(t.cost_low, t.cost_base, t.cost_high)
        return out

    @cached_property
    def correlations(self) -> dict[tuple[str, str], float]:
        """Rank correlations between uncertain inputs (``initiative.correlations``)."""
        known = self.uncertain_inputs
        return {
            (c.between[0], c.between[1]): c.rho
            for c in self.params.initiative.correlations
            if c.between[0] in known and c.between[1] in known
        }

    @shared(*_CASE_SECTIONS)
    def tornado(self) -> pd.DataFrame:
        """One-at-a-time sensitivity of the programme's NPV."""
        ranges = self.uncertain_inputs
        if not ranges:
            raise InputError("tornado needs at least one input given as low/mode/high")
        return risk.tornado(self.case_outputs, self.base_inputs, ranges, output="npv")

    def input_label(self, name: str) -> str:
        """Name an uncertain input of the business case in words (plain text, not escaped).

        ``task:<id>`` inputs are the cost of a roadmap task, named by the task's own name.
        """
        if name.startswith("task:"):
            tasks = {f"task:{t.id}": t.name for t in self.params.roadmap.tasks}
            return f"Cost of {tasks.get(name, name)}"
        return INPUT_LABELS.get(name, name.replace("_", " ").capitalize())

    @cached_property
    def tornado_labelled(self) -> pd.DataFrame:
        """:attr:`tornado` with each input named in words (what the charts show)."""
        out = self.tornado.copy()
        out["input"] = out["input"].map(self.input_label)
        return out

    @shared(*_CASE_SECTIONS, extra=lambda m: m.draws)
    def monte_carlo(self) -> risk.MonteCarloResult:
        """Monte Carlo of the business case over ``finance.monte_carlo_draws`` draws (seeded)."""
        return risk.monte_carlo(
            self.case_outputs,
            self.uncertain_inputs,
            self.draws,
            self.params.finance.seed,
            correlations=self.correlations,
        )
