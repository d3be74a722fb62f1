"""One region end to end: parameters → volumes → staffing → costs → ROI and risk → plan.

:class:`RegionModel` turns a validated :class:`~cxplan.config.params.RegionParams` into every table
the
notebooks, the live planner and the batch reports show. Each result is computed once, on first
use (``functools.cached_property``), so a notebook that shows only the staffing never pays for the
Monte Carlo. :meth:`RegionModel.headline` gathers the key figures into a JSON-ready dict, the
machine-readable result a region report hands on to the portfolio.
"""

from __future__ import annotations

import copy
import math
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxplan.config.params import (
    UNCERTAIN_INITIATIVE_INPUTS,
    Dist,
    RegionParams,
    base_value,
    data_file,
    load_params,
    params_root,
)
from cxplan.economics import costs, initiatives, outsourcing, risk, sourcing
from cxplan.economics.business_case import (
    CaseLine,
    CaseResult,
    Release,
    evaluate_lines,
    tei_by_line,
)
from cxplan.economics.programme_case import CaseSetup, TaskCost, case_lines, weeks_in_months
from cxplan.errors import InputError
from cxplan.plan import kpi, roadmap
from cxplan.plan.pilot_design import design_pilot
from cxplan.plan.pilot_readout import PilotReadout, readout_csv
from cxplan.plan.programme import Programme, programme_from_roadmap
from cxplan.plan.sanity import sanity_flags
from cxplan.workforce import capacity, hiring, staffing
from cxplan.workforce.coverage import binding_constraints, starting_service
from cxplan.workforce.hiring import extend_run_rate

__all__ = ["DEMO_MARKER", "RESULT_VERSION", "RegionModel", "load_region"]

#: First line of cxplan's synthetic demo data files (lower case), so outputs can label them.
DEMO_MARKER = "# cxplan demo data"

#: Version of the result file layout written by :meth:`RegionModel.headline`.
RESULT_VERSION = 1


def _distribution(value: float | Dist) -> Any:
    if isinstance(value, Dist):
        if value.dist == "triangular":
            return risk.Triangular(value.low, value.mode, value.high)
        return risk.Pert(value.low, value.mode, value.high)
    return float(value)


def _finite_or_none(x: Any) -> float | None:
    v = float(x)
    return v if math.isfinite(v) else None


class RegionModel:
    """All models of one region, computed lazily from its parameters.

    Parameters
    ----------
    params : RegionParams
        Validated parameters (see :func:`cxplan.config.params.load_params`).
    params_root : path, optional
        Folder that relative data paths in the parameters (``pilot.data_csv``) are resolved
        against; normally the folder holding ``defaults.yaml``.
    monte_carlo_draws : int, optional
        Override of ``finance.monte_carlo_draws`` (the live planner uses fewer draws).
    """

    def __init__(
        self,
        params: RegionParams,
        *,
        params_root: str | Path | None = None,
        monte_carlo_draws: int | None = None,
    ) -> None:
        self.params = params
        self.params_root = Path(params_root) if params_root is not None else None
        self.draws = monte_carlo_draws or params.finance.monte_carlo_draws

    # ------------------------------------------------------------------ volumes and staffing

    @property
    def currency(self) -> str:
        """The region's currency code."""
        return self.params.region.currency

    @cached_property
    def interval_s(self) -> float:
        """Interval length, seconds."""
        return self.params.forecast.interval_minutes * 60.0

    @cached_property
    def index(self) -> pd.DatetimeIndex:
        """Every interval of the horizon."""
        f = self.params.forecast
        per_day = 24 * 60 // f.interval_minutes
        return pd.date_range(
            pd.Timestamp(self.params.region.start_date),
            periods=f.horizon_weeks * 7 * per_day,
            freq=f"{f.interval_minutes}min",
        )

    @cached_property
    def volume_shape(self) -> np.ndarray:
        """Share of a week's volume in each interval of the horizon, times growth and seasonality.

        ``weekly_contacts × shape`` is the forecast of a channel: day-of-week share × intraday share
        × ``(1 + growth_annual)^(week/52)`` × the week's seasonality factor.
        """
        f = self.params.forecast
        intraday = np.asarray(f.intraday_profile, dtype=float)
        intraday = intraday / intraday.sum()
        dow = np.asarray(f.day_of_week_share, dtype=float)
        week = np.outer(dow, intraday).ravel()  # one week, Monday first
        weeks = np.arange(f.horizon_weeks, dtype=float)
        growth = (1.0 + f.growth_annual) ** (weeks / 52.0)
        season = np.ones(f.horizon_weeks) if f.seasonality is None else np.asarray(f.seasonality)
        out = np.outer(growth * season, week).ravel()
        return out

    @cached_property
    def channels(
        self,
    ) -> dict[str, staffing.VoiceChannel | staffing.ChatChannel | staffing.DeferredChannel]:
        """Channel configurations for the staffing engine."""
        c = self.params.channels
        out: dict[str, Any] = {}
        if c.voice is not None:
            out["voice"] = staffing.VoiceChannel(
                aht_s=c.voice.aht_s,
                sl_target=c.voice.sl_target,
                answer_time_s=c.voice.answer_time_s,
                max_occupancy=c.voice.max_occupancy,
                patience_s=c.voice.patience_s,
            )
        if c.chat is not None:
            out["chat"] = staffing.ChatChannel(
                aht_s=c.chat.aht_s,
                concurrency=c.chat.concurrency,
                concurrency_aht_factor=tuple(c.chat.concurrency_aht_factor),
                sl_target=c.chat.sl_target,
                answer_time_s=c.chat.answer_time_s,
                max_occupancy=c.chat.max_occupancy,
                patience_s=c.chat.patience_s,
            )
        if c.email is not None:
            out["email"] = staffing.DeferredChannel(
                aht_s=c.email.aht_s,
                response_time_s=c.email.response_time_s,
                max_occupancy=c.email.max_occupancy,
                open_hours=c.email.open_hours,
            )
        return out

    def weekly_contacts(self, channel: str) -> float:
        """Week-1 contacts of a channel."""
        return float(getattr(self.params.channels, channel).weekly_contacts)

    @cached_property
    def volumes(self) -> dict[str, pd.Series]:
        """Forecast contacts per interval over the horizon, per channel."""
        return {
            name: pd.Series(
                self.weekly_contacts(name) * self.volume_shape, index=self.index, name=name
            )
            for name in self.channels
        }

    @cached_property
    def staffing(self) -> dict[str, pd.DataFrame]:
        """Interval staffing table per channel (see ``staffing.staff_intervals``)."""
        return {
            name: staffing.staff_intervals(self.volumes[name], ch, interval_s=self.interval_s)
            for name, ch in self.channels.items()
        }

    @cached_property
    def combined(self) -> pd.DataFrame:
        """All channels added into one requirement per interval."""
        return staffing.combine(self.staffing)

    def rollup(self, freq: str) -> pd.DataFrame:
        """Roll the combined requirement up per day ("D"), week ("W") or month ("MS")."""
        w = self.params.workforce
        return staffing.rollup(
            self.combined,
            freq,
            shrinkage=w.shrinkage,
            fte_hours_per_week=w.fte_hours_per_week,
            method=w.shrinkage_method,
            interval_s=self.interval_s,
        )

    @cached_property
    def weekly(self) -> pd.DataFrame:
        """Combined requirement per plan week (weeks start on the plan's Monday)."""
        return self.rollup("W-SUN")

    @cached_property
    def monthly(self) -> pd.DataFrame:
        """Combined requirement per calendar month."""
        return self.rollup("MS")

    # ------------------------------------------------------------------ costs and sourcing

    @cached_property
    def location(self) -> costs.LocationProfile:
        """The in-house location profile."""
        p = self.params
        return costs.LocationProfile(
            **p.location.model_dump(), attrition_per_year=p.workforce.attrition_annual
        )

    @cached_property
    def tech(self) -> costs.TechStack:
        """The technology stack."""
        t = self.params.technology
        return costs.TechStack(
            name=t.name,
            licences=tuple(costs.Licence(**lic.model_dump()) for lic in t.licences),
            implementation_cost=t.implementation_cost,
            licences_per_fte=t.licences_per_fte,
        )

    @cached_property
    def quote(self) -> outsourcing.VendorQuote:
        """The vendor quote."""
        v = self.params.vendor

        def price(value: Any) -> Any:
            if isinstance(value, float | int):
                return float(value)
            return outsourcing.Tiers(
                band_starts=tuple(value.band_starts),
                prices=tuple(value.prices),
                method=value.method,
            )

        parts: list[Any] = []
        kinds: list[str] = [c.kind for c in v.components]

        def label(i: int, kind: str) -> str:
            # unique labels: a quote may combine two components of one kind
            return kind if kinds.count(kind) == 1 else f"{kind}_{kinds[: i + 1].count(kind)}"

        for i, c in enumerate(v.components):
            if c.kind == "per_minute":
                parts.append(
                    outsourcing.PerMinute(
                        price_per_minute=price(c.price_per_minute),
                        wrap_minutes_per_contact=c.wrap_minutes_per_contact,
                        round_up_per_contact=c.round_up_per_contact,
                        label=label(i, c.kind),
                    )
                )
            elif c.kind == "per_contact":
                parts.append(
                    outsourcing.PerContact(
                        price_per_contact=price(c.price_per_contact), label=label(i, c.kind)
                    )
                )
            elif c.kind == "per_agent_hour":
                parts.append(
                    outsourcing.PerAgentHour(
                        price_per_hour=price(c.price_per_hour),
                        minimum_hours_per_month=c.minimum_hours_per_month,
                        label=label(i, c.kind),
                    )
                )
            else:
                parts.append(
                    outsourcing.FixedFee(
                        fee_per_month=c.fee_per_month,
                        included_contacts=c.included_contacts,
                        overage_per_contact=c.overage_per_contact,
                        label=label(i, c.kind),
                    )
                )
        return outsourcing.VendorQuote(
            name=v.name,
            components=tuple(parts),
            governance_share=v.governance_share,
            value_leakage_share=v.value_leakage_share,
            transition_cost=v.transition_cost,
            parallel_run_months=v.parallel_run_months,
            minimum_charge_per_month=v.minimum_charge_per_month,
        )

    @cached_property
    def cost_per_paid_hour(self) -> float:
        """Fully loaded in-house cost of one paid agent hour."""
        return float(costs.cost_per_paid_hour(self.location, self.tech))

    @cached_property
    def cost_mix(self) -> pd.DataFrame:
        """Cost per paid/productive hour by component (the cost mix)."""
        occ = float(np.average(self.combined_occupancy)) if self.combined_occupancy.size else 0.85
        return costs.hourly_cost_breakdown(
            self.location, self.tech, shrinkage=self.paid_shrinkage, occupancy=occ
        )

    @cached_property
    def combined_occupancy(self) -> np.ndarray:
        """Agent-hours-weighted occupancy over all channels and the horizon (one value).

        Each channel's own occupancy column is used (for chat it is the share of busy chat slots,
        so concurrency never pushes it above 1).
        """
        occ = np.concatenate([t["occupancy"].to_numpy() for t in self.staffing.values()])
        hours = np.concatenate([t["agent_hours"].to_numpy() for t in self.staffing.values()])
        if hours.sum() <= 0:
            return np.asarray([])
        return np.asarray([float(np.average(occ, weights=hours))])

    @cached_property
    def inhouse_cost(self) -> pd.DataFrame:
        """Monthly in-house cost of the whole requirement, by component."""
        return costs.staffing_cost(
            self.monthly, self.location, self.tech, shrinkage=self.paid_shrinkage
        )

    @cached_property
    def paid_shrinkage(self) -> float:
        """Shrinkage as the divide rule uses it: paid hours = staffed ÷ (1 − this).

        With the "multiply" rule (paid = staffed × (1 + s)) this is ``s / (1 + s)``, so costs and
        scheduled FTE follow the same rule.
        """
        w = self.params.workforce
        return w.shrinkage if w.shrinkage_method == "divide" else w.shrinkage / (1.0 + w.shrinkage)

    @cached_property
    def sourcing_channel(self) -> str:
        """The channel compared in-house vs outsourced."""
        return self.params.sourcing.channel

    @cached_property
    def hybrids(self) -> dict[str, Any]:
        """The hybrid splits to price."""
        s = self.params.sourcing
        out: dict[str, Any] = {
            f"hybrid {s.vendor_share:.0%} to vendor": sourcing.ShareSplit(
                vendor_share=s.vendor_share
            )
        }
        if s.overflow_contacts_per_interval is not None:
            out["hybrid overflow"] = sourcing.OverflowSplit(
                inhouse_contacts_per_interval=s.overflow_contacts_per_interval
            )
        if s.after_hours is not None:
            out["hybrid after-hours"] = sourcing.AfterHoursSplit(
                open_hour=s.after_hours[0], close_hour=s.after_hours[1]
            )
        return out

    def _sourcing_args(
        self,
    ) -> tuple[pd.Series, Any, costs.LocationProfile, costs.TechStack, outsourcing.VendorQuote]:
        ch = self.sourcing_channel
        return self.volumes[ch], self.channels[ch], self.location, self.tech, self.quote

    def _sourcing(self, function: Any, **kwargs: Any) -> Any:
        """Call a :mod:`~cxplan.economics.sourcing` function on the sourcing channel's forecast.

        Shrinkage is :attr:`paid_shrinkage`, so every cost follows the configured shrinkage rule.
        """
        return function(
            *self._sourcing_args(),
            shrinkage=self.paid_shrinkage,
            interval_s=self.interval_s,
            **kwargs,
        )

    @cached_property
    def sourcing_comparison(self) -> pd.DataFrame:
        """Monthly total cost of in-house, outsourced and hybrid options (sourcing channel)."""
        return self._sourcing(sourcing.compare_sourcing, hybrids=self.hybrids)

    @cached_property
    def sourcing_totals(self) -> pd.Series:
        """Total cost over the horizon per option, cheapest first."""
        return (
            self.sourcing_comparison.groupby("option", sort=False)["total_cost"].sum().sort_values()
        )

    @cached_property
    def crossover(self) -> sourcing.CrossoverResult:
        """Volume scale(s) at which outsourcing and in-house cost the same."""
        return self._sourcing(sourcing.crossover, scale_bounds=(0.1, 10.0), grid_points=33)

    @cached_property
    def occupancy_pricing(self) -> pd.DataFrame:
        """Monthly cost of each occupancy cap against the baseline cap (seed 002, priced)."""
        vol, ch, loc, tech, _ = self._sourcing_args()
        s = self.params.sourcing
        if isinstance(ch, staffing.DeferredChannel):
            ch = self.channels.get("voice", ch)
            vol = self.volumes.get("voice", vol)
        return sourcing.occupancy_investment(
            vol,
            ch,
            loc,
            tech,
            shrinkage=self.paid_shrinkage,
            max_occupancy=list(s.occupancy_caps),
            baseline_max_occupancy=s.baseline_occupancy_cap,
            interval_s=self.interval_s,
        )

    # ------------------------------------------------------------------ initiative, ROI and risk

    @cached_property
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

    @cached_property
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

        Columns ``month`` (0 = the plan's first month), ``month_label`` (``M1`` …), ``series``
        (``costs``, ``benefits``, ``net``, ``cumulative``) and ``value``; the input of
        :func:`cxplan.present.charts.cashflow_chart`.
        """
        res = self.business_case[2]
        n = len(res.net)
        wide = pd.DataFrame(
            {
                "month": np.arange(n),
                "month_label": [f"M{m + 1}" for m in range(n)],
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
            or voice.weekly_contacts <= 0
            or base_value(self.params.initiative.aht_reduction) <= 0
        ):
            return None
        dow = self.params.forecast.day_of_week_share
        weekdays = sum(1 for s in dow if s > 0)
        return initiatives.naive_vs_queue_aware(
            voice.weekly_contacts / weekdays,
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
            name: _distribution(getattr(i, name))
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

    @cached_property
    def tornado(self) -> pd.DataFrame:
        """One-at-a-time sensitivity of the programme's NPV."""
        ranges = self.uncertain_inputs
        if not ranges:
            raise InputError("tornado needs at least one input given as low/mode/high")
        return risk.tornado(self.case_outputs, self.base_inputs, ranges, output="npv")

    @cached_property
    def monte_carlo(self) -> risk.MonteCarloResult:
        """Monte Carlo of the business case over ``finance.monte_carlo_draws`` draws (seeded)."""
        return risk.monte_carlo(
            self.case_outputs,
            self.uncertain_inputs,
            self.draws,
            self.params.finance.seed,
            correlations=self.correlations,
        )

    # ------------------------------------------------------------------ capacity and roadmap

    @cached_property
    def workforce(self) -> capacity.Workforce:
        """Starting workforce, attrition, training and learning curve."""
        w = self.params.workforce
        return capacity.Workforce(
            starting_headcount=w.starting_headcount,
            attrition_annual=w.attrition_annual,
            training_weeks=w.training_weeks,
            learning_curve=capacity.LearningCurve(
                weeks=w.learning_curve_weeks,
                start_efficiency=w.learning_start_efficiency,
                shape="linear",
            ),
        )

    @cached_property
    def capacity_costs(self) -> capacity.CapacityCosts:
        """Unit costs of the capacity plan (hiring, trainee pay, shortfall and surplus)."""
        w, loc = self.params.workforce, self.params.location
        return capacity.CapacityCosts(
            shortfall_cost_per_fte_week=w.shortfall_cost_per_fte_week,
            surplus_cost_per_fte_week=w.surplus_cost_per_fte_week,
            cost_per_hire=loc.hiring_cost_per_hire,
            trainee_pay_per_week=loc.wage_per_hour
            * (1.0 + loc.benefits_load)
            * w.fte_hours_per_week,
        )

    @cached_property
    def required_fte(self) -> np.ndarray:
        """Scheduled FTE required per plan week (after shrinkage)."""
        return self.weekly["scheduled_fte"].to_numpy(dtype=float)

    @cached_property
    def hiring_plan(self) -> hiring.HiringPlan:
        """Least-cost hiring classes on top of the committed ones (MILP)."""
        w = self.params.workforce
        horizon = len(self.required_fte)
        lead = min(w.recruiting_lead_weeks, horizon - 1)
        # A hire serves long after the plan's last week: plan against the requirement carried on
        # at its run rate for a full pipeline (training + learning curve) and a quarter more, so
        # the plan does not stop hiring near its end (the horizon end effect); classes still
        # start inside the plan.
        lookahead = w.training_weeks + w.learning_curve_weeks + 13
        requirement, _, _ = extend_run_rate(
            self.required_fte,
            np.zeros(horizon),
            self.required_fte,
            weeks=horizon + lookahead,
            attrition_weekly=self.workforce.weekly_rates()[1],
            growth_annual=self.params.forecast.growth_annual,
        )
        return hiring.plan_hiring(
            requirement,
            self.workforce,
            self.capacity_costs,
            max_class_size=w.max_class_size,
            min_class_size=min(w.min_class_size, w.max_class_size),
            # a new class needs a requisition, sourcing and offers first (recruiting lead time)
            allowed_start_weeks=range(lead, horizon),
            committed=self.committed_classes,
            time_limit_s=20.0,
        )

    @cached_property
    def committed_classes(self) -> tuple[capacity.HiringClass, ...]:
        """Hiring classes already committed in the parameters."""
        w = self.params.workforce
        return tuple(capacity.HiringClass(c.start_week, c.size) for c in w.hiring_classes)

    @cached_property
    def hiring_classes(self) -> tuple[capacity.HiringClass, ...]:
        """Committed classes plus the classes the planner proposes, by start week."""
        both = (*self.committed_classes, *self.hiring_plan.classes)
        return tuple(sorted(both, key=lambda c: (c.start_week, c.size)))

    @cached_property
    def capacity_plan(self) -> pd.DataFrame:
        """Week-by-week headcount, productive FTE, requirement, gap and cost (with hiring plan)."""
        return capacity.simulate_capacity(
            self.required_fte,
            self.workforce,
            self.hiring_classes,
            self.capacity_costs,
            start_date=pd.Timestamp(self.params.region.start_date),
        )

    @cached_property
    def roadmap(self) -> roadmap.Roadmap:
        """The phased roadmap."""
        return self.params.roadmap.build()

    # ------------------------------------------------------------------ pilot and KPIs

    @cached_property
    def pilot_design(self) -> pd.DataFrame:
        """Sample sizes and weeks needed for the A/B pilot at this region's volume."""
        p = self.params.pilot
        ch = "voice" if "voice" in self.channels else next(iter(self.channels))
        aht = float(getattr(self.params.channels, ch).aht_s)
        if self.weekly_contacts(ch) * p.pilot_share <= 0:
            # no volume to pilot on: an empty design (the report says so), not an error
            return pd.DataFrame(
                columns=[
                    "metric", "baseline", "expected", "test", "n_control", "n_treatment",
                    "design_effect", "min_agents_per_arm", "contacts_needed", "days_statistical",
                    "days", "weeks", "fits_pilot",
                ]
            )  # fmt: skip
        return design_pilot(
            aht,
            self.weekly_contacts(ch) * p.pilot_share,
            aht_change=p.aht_change,
            cv=p.aht_cv,
            fcr_control=p.fcr_control,
            fcr_change=p.fcr_change,
            csat_control=p.csat_control,
            csat_change=p.csat_change,
            csat_response_rate=p.csat_response_rate,
            alpha=p.alpha,
            power=p.power,
            agents_per_arm=p.agents_per_arm,
            icc=p.icc,
            pilot_days=p.pilot_days,
            min_months=p.cost_target_month,
        )

    @cached_property
    def pilot_data_path(self) -> Path | None:
        """Resolved path of the pilot data file, if any.

        See :func:`cxplan.config.params.data_file`.

        Raises
        ------
        InputError
            ``pilot.data_csv: ...``: the file is missing, outside the params folder or not a
            regular file (``load_params`` refuses such files already; this guards a file that
            changed since).
        """
        rel = self.params.pilot.data_csv
        if rel is None or self.params_root is None:
            return None
        try:
            return data_file(self.params_root, rel)
        except InputError as exc:
            raise InputError(f"pilot.data_csv: {exc}") from None

    @cached_property
    def pilot_readout(self) -> PilotReadout | None:
        """Readout of the pilot data, when a data file is given."""
        path = self.pilot_data_path
        if path is None:
            return None
        try:
            return readout_csv(path, alpha=self.params.pilot.alpha)
        except InputError as exc:
            raise InputError(f"pilot.data_csv: {exc}") from None

    @cached_property
    def pilot_data_is_demo(self) -> bool:
        """Whether the pilot data file is cxplan's synthetic demo (its first line says so)."""
        path = self.pilot_data_path
        if path is None or not path.is_file():
            return False
        with path.open(encoding="utf-8", errors="replace") as fh:
            return fh.readline().lower().startswith(DEMO_MARKER)

    @cached_property
    def kpi_scorecard(self) -> pd.DataFrame:
        """Operation-wide KPI actuals against the benchmark targets."""
        return kpi.scorecard(self.params.kpi.actuals)

    @cached_property
    def channel_scorecard(self) -> pd.DataFrame:
        """Each channel's AHT and service level against that channel's own targets."""
        k = self.params.kpi
        queued = {
            n: c for n, c in self.channels.items() if not isinstance(c, staffing.DeferredChannel)
        }
        return kpi.channel_scorecard(
            {str(ch): {str(n): float(x) for n, x in v.items()} for ch, v in k.channels.items()},
            basis=k.aht_basis,
            answer_times_s={n: c.answer_time_s for n, c in queued.items()},
            sl_targets={n: c.sl_target for n, c in queued.items()},
        )

    # ------------------------------------------------------------------ consistency checks

    @cached_property
    def starting_service(self) -> pd.DataFrame:
        """Service level the starting headcount gives in week 1, per channel, beside the actuals.

        Columns of :func:`cxplan.workforce.coverage.starting_service` plus ``measured``
        (``kpi.channels.<channel>.service_level``, NaN if not given) and ``gap`` (model −
        measured).
        """
        w, loc = self.params.workforce, self.params.location
        paid = w.starting_headcount * loc.paid_hours_per_fte_per_year / 52.0
        table = starting_service(
            self.staffing,
            self.channels,
            staffed_hours=paid * (1.0 - self.paid_shrinkage),
            interval_s=self.interval_s,
        )
        measured = {
            ch: values.get("service_level", np.nan)
            for ch, values in self.params.kpi.channels.items()
        }
        table["measured"] = [float(measured.get(ch, np.nan)) for ch in table.index]
        table["gap"] = table["service_level"] - table["measured"]
        return table

    @cached_property
    def peak_interval(self) -> pd.Timestamp:
        """The busiest interval of the plan (most agents on duty, all channels)."""
        return pd.Timestamp(self.combined.index[int(np.argmax(self.combined["agents"].to_numpy()))])

    @cached_property
    def peak_breakdown(self) -> pd.DataFrame:
        """Why the peak is what it is: contacts, Erlangs, agents and binding constraint.

        Per channel at :attr:`peak_interval`
        (:func:`~cxplan.workforce.coverage.binding_constraints`).
        """
        return binding_constraints(
            self.staffing, self.channels, self.peak_interval, interval_s=self.interval_s
        )

    @cached_property
    def sanity_flags(self) -> pd.DataFrame:
        """The report's "check this" box (:func:`cxplan.plan.sanity.sanity_flags`)."""
        s, i = self.params.sanity, self.params.initiative
        ini = self.initiative
        levers = {}
        for name in ("aht_reduction", "deflection", "fcr_improvement", "realisation"):
            value = getattr(i, name)
            high = value.high if isinstance(value, Dist) else base_value(value)
            levers[name] = (base_value(value), high)
        gaps = self.starting_service["gap"].dropna().to_dict()
        return sanity_flags(
            roi=ini["roi"],
            payback_months=ini["payback_months"],
            shortfall_weeks=int((self.capacity_plan["shortfall_fte"] > 0.5).sum()),
            service_level_gaps={str(k): float(v) for k, v in gaps.items()},
            levers=levers,
            max_roi=s.max_roi,
            min_payback_months=s.min_payback_months,
            max_shortfall_weeks=s.max_shortfall_weeks,
            max_service_level_gap=s.max_service_level_gap,
        )

    # ------------------------------------------------------------------ headline

    def headline(self) -> dict[str, Any]:
        """Key figures as a JSON-ready dict (the region's result file).

        Computed once per model (the report asks for it several times); each call returns a
        fresh copy, so callers may modify it. Strict JSON: a figure with no finite value is
        ``None`` (e.g. ``initiative.roi`` of an initiative with zero costs, whose ROI is
        infinite or undefined; ``payback_months`` never reached).
        """
        return copy.deepcopy(self._headline)

    @cached_property
    def _headline(self) -> dict[str, Any]:
        p = self.params
        weekly = self.weekly
        mc = self.monte_carlo
        npv_q = mc.percentiles((10.0, 50.0, 90.0), columns=["npv"]).loc["npv"].to_numpy()
        totals = self.sourcing_totals
        cross = self.crossover
        # a month of the plan: horizon total ÷ the months the horizon spans (52/12 weeks each)
        months = p.forecast.horizon_weeks / initiatives.WEEKS_PER_MONTH
        base_monthly = float(self.volumes[self.sourcing_channel].sum()) / months
        monthly_contacts = [float(k) * base_monthly for k in cross.scales]
        pilot_result = self.pilot_readout
        card = pd.concat(
            [c for c in (self.kpi_scorecard, self.channel_scorecard) if len(c)], ignore_index=True
        )
        ini = self.initiative
        start = p.region.start_date
        prog = self.programme
        release = self.release_table
        plan_weeks = release["in_plan"].to_numpy()
        peak_at = self.peak_interval

        def day(d: int) -> str:
            return (start + pd.Timedelta(days=int(d))).isoformat()[:10]

        def released_by(month: int) -> float:
            w = min(int(month * 365.25 / 12 / 7), len(release)) - 1
            return float(release["released_fte"].iloc[w]) if w >= 0 else 0.0

        starting = self.starting_service
        return {
            "version": RESULT_VERSION,
            "region": p.region.name,
            "currency": self.currency,
            "fx": {
                "defaults_currency": p.fx.defaults_currency,
                "rates": dict(p.fx.rates),
                "as_of": p.fx.as_of,
            },
            "start_date": start.isoformat(),
            "horizon_weeks": p.forecast.horizon_weeks,
            "channels": list(self.channels),
            "weekly_contacts": {ch: self.weekly_contacts(ch) for ch in self.channels},
            "staffing": {
                "peak_agents": int(self.combined["agents"].max()),
                "peak_agents_definition": "agents on duty in the busiest interval, all channels",
                "peak_interval": pd.Timestamp(peak_at).isoformat(),
                "peak_agents_by_channel": {
                    ch: int(t["agents"].max()) for ch, t in self.staffing.items()
                },
                "average_weekly_fte": float(weekly["fte"].mean()),
                "average_scheduled_fte": float(weekly["scheduled_fte"].mean()),
                "max_scheduled_headcount": int(weekly["scheduled_headcount"].max()),
                "shrinkage": p.workforce.shrinkage,
                "shrinkage_method": p.workforce.shrinkage_method,
            },
            "costs": {
                "cost_per_paid_hour": self.cost_per_paid_hour,
                # per month of the plan (calendar months at either end are partial)
                "inhouse_cost_per_month": float(self.inhouse_cost["cost"].sum()) / months,
                "sourcing_channel": self.sourcing_channel,
                "sourcing_horizon_weeks": p.forecast.horizon_weeks,
                "sourcing_total_by_option": {k: float(v) for k, v in totals.items()},
                "cheapest_option": str(totals.index[0]),
                "crossover_monthly_contacts": monthly_contacts,
                "crossover_outsourcing_cheaper_above": [
                    bool(b) for b in cross.outsourcing_cheaper_above
                ],
            },
            "initiative": {
                "name": p.initiative.name,
                "npv": ini["npv"],
                # null when the initiative costs nothing: ROI is then +inf (finance.roi), which
                # JSON cannot hold, or undefined (no benefit either)
                "roi": _finite_or_none(ini["roi"]),
                "payback_months": _finite_or_none(ini["payback_months"]),
                "break_even_month": _finite_or_none(ini["break_even_month"]),
                "pv_benefits": ini["pv_benefits"],
                "pv_costs": ini["pv_costs"],
                "saving_share": ini["saving_share"],
                "hours_saved_per_month_full_adoption": ini["hours_saved_per_month"],
                "target_fte": ini["target_fte"],
                "fte_released_end": ini["fte_released_end"],
                "fte_released_by_month": {
                    str(m): released_by(m) for m in (6, 12, 24, 36) if m <= p.finance.horizon_months
                },
                "hires_avoided": ini["hires_avoided"],
                "finance_horizon_months": p.finance.horizon_months,
                "discount_rate_annual": p.finance.discount_rate_annual,
                "discounting": "monthly, (1 + r)^(1/12) - 1, first plan month undiscounted",
                "basis": "risk-adjusted",
            },
            "programme": {
                "pilot_start": day(prog.pilot_start_day),
                "pilot_readout": day(prog.readout_day),
                "decision": day(prog.decision_day),
                "rollout_start": day(prog.rollout_start_day),
                "rollout_end": day(prog.rollout_end_day),
            },
            "risk": {
                "draws": mc.n_draws,
                "seed": p.finance.seed,
                "npv_p10": float(npv_q[0]),
                "npv_p50": float(npv_q[1]),
                "npv_p90": float(npv_q[2]),
                "percentile_definition": risk.P_DEFINITION,
                "probability_npv_positive": float(mc.probability("npv", 0.0, side=">")),
                "probability_payback_within_months": float(
                    mc.probability("paid_back_in_window", 0.5, side=">=")
                ),
                "payback_window_months": p.finance.payback_within_months,
                "top_sensitivity": str(self.tornado["input"].iloc[0]),
            },
            "plan": {
                "hiring_classes": [
                    {"start_week": c.start_week, "size": c.size} for c in self.hiring_plan.classes
                ],
                "committed_classes": [
                    {"start_week": c.start_week, "size": c.size} for c in self.committed_classes
                ],
                "recruiting_lead_weeks": p.workforce.recruiting_lead_weeks,
                "hires": round(float(self.capacity_plan["hires"].sum())),
                "hires_with_initiative": round(
                    float(release.loc[plan_weeks, "hires_with_initiative"].sum())
                ),
                "max_shortfall_fte": float(self.capacity_plan["shortfall_fte"].max()),
                "shortfall_weeks": int((self.capacity_plan["shortfall_fte"] > 0.5).sum()),
                "starting_headcount": p.workforce.starting_headcount,
            },
            "starting_service": {
                str(ch): {
                    "model": _finite_or_none(row["service_level"]),
                    "measured": _finite_or_none(row["measured"]),
                }
                for ch, row in starting.iterrows()
            },
            "pilot": {
                "weeks_needed": _finite_or_none(self.pilot_design["weeks"].max()),
                "decision": None if pilot_result is None else pilot_result.decision,
                "data_is_demo": self.pilot_data_is_demo,
            },
            "kpi": {
                "met": int((card["status"] == "met").sum()),
                "near": int((card["status"] == "near").sum()),
                "missed": int((card["status"] == "missed").sum()),
                "no_data": int((card["status"] == "no data").sum()),
            },
            "sanity_flags": self.sanity_flags["key"].tolist(),
        }


def load_region(path: str | Path, **kwargs: Any) -> RegionModel:
    """Load a region file (merged over its defaults) and build its :class:`RegionModel`."""
    params = load_params(path)
    return RegionModel(params, params_root=params_root(path), **kwargs)
