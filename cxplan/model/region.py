"""One region end to end: :class:`RegionModel`, its checks and its headline result."""

from __future__ import annotations

import copy
import math
import os
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxplan.config.params import (
    Dist,
    RegionParams,
    base_value,
    load_params,
    params_root,
    scenario_names,
)
from cxplan.config.scenarios import BASE
from cxplan.economics import initiatives, risk
from cxplan.model._common import RESULT_VERSION, finite_or_none
from cxplan.model._distribute import DistributionModel
from cxplan.model.scenarios import compare
from cxplan.plan.sanity import sanity_flags
from cxplan.workforce.coverage import binding_constraints

__all__ = ["RegionModel", "load_region"]


class RegionModel(DistributionModel):
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
    scenario : str, optional
        The named scenario these parameters are (``None``: the region itself); shown in the
        headline (``scenario``).
    source : path, optional
        The region file the parameters were loaded from; its named scenarios
        (:attr:`scenario_models`) are read from it.
    defaults_path : path, optional
        The defaults file ``source`` was merged over, when not found beside it.
    """

    def __init__(
        self,
        params: RegionParams,
        *,
        params_root: str | Path | None = None,
        monte_carlo_draws: int | None = None,
        scenario: str | None = None,
        source: str | Path | None = None,
        defaults_path: str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__(params, params_root=params_root, monte_carlo_draws=monte_carlo_draws)
        self.scenario = scenario
        self.source = Path(source) if source is not None else None
        self.defaults_path = defaults_path
        self._draws_override = monte_carlo_draws

    # ------------------------------------------------------------------ named scenarios

    @cached_property
    def scenario_models(self) -> dict[str, RegionModel]:
        """The region's named scenarios, each a model of its own, by name (file order).

        Empty without a :attr:`source` file or when it has no scenarios. For a scenario's
        model, only that scenario (itself): what its report compares with the base.
        """
        if self.source is None:
            return {}
        if self.scenario is not None:
            return {self.scenario: self}
        return {
            name: load_region(
                self.source,
                scenario=name,
                defaults_path=self.defaults_path,
                monte_carlo_draws=self._draws_override,
            )
            for name in scenario_names(self.source)
        }

    @cached_property
    def base_model(self) -> RegionModel:
        """The region itself: this model, or for a scenario the model of its region file."""
        if self.scenario is None or self.source is None:
            return self
        return load_region(
            self.source, defaults_path=self.defaults_path, monte_carlo_draws=self._draws_override
        )

    @cached_property
    def scenario_comparison(self) -> pd.DataFrame:
        """Key figures of the base and each scenario with deltas (:func:`scenarios.compare`)."""
        return compare(self.base_model, self.scenario_models)

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
    def typical_week(self) -> dict[str, pd.DataFrame]:
        """Each channel's typical week: contacts and agents per interval of the week.

        The horizon's weeks (seven days each from the plan's start) are averaged interval by
        interval: ``contacts`` and ``agents`` are the means over the weeks (agents may be
        fractional), ``peak_agents`` the largest requirement seen in that interval of any
        week. Indexed by the plan's first seven days of intervals; the input of
        :func:`cxplan.present.charts.staffing_chart` (one week: its mean is the week itself).
        """
        per_week = 7 * 24 * 60 // self.params.forecast.interval_minutes
        weeks = self.params.forecast.horizon_weeks
        out: dict[str, pd.DataFrame] = {}
        for name, table in self.staffing.items():

            def grid(column: str, table: pd.DataFrame = table) -> np.ndarray:
                return table[column].to_numpy(dtype=float).reshape(weeks, per_week)

            agents = grid("agents")
            out[name] = pd.DataFrame(
                {
                    "contacts": grid("contacts").mean(axis=0),
                    "agents": agents.mean(axis=0),
                    "peak_agents": agents.max(axis=0),
                },
                index=table.index[:per_week],
            )
        return out

    @cached_property
    def key_figures(self) -> dict[str, Any]:
        """The headline's staffing, costs, initiative and sanity flags: what the planner shows.

        Everything :meth:`headline` reports except the crossover, the Monte Carlo, the plan,
        the pilot and the KPI counts (the live planner needs neither the Monte Carlo nor the
        crossover search). :meth:`headline` takes these sections from here (one computation);
        each is also a property of its own (:attr:`headline_staffing`, :attr:`headline_costs`,
        :attr:`headline_initiative`), so a view can ask for the operation's figures without the
        business case. Treat as read-only (``headline()`` returns a copy).
        """
        return {
            "staffing": self.headline_staffing,
            "costs": self.headline_costs,
            "initiative": self.headline_initiative,
            "sanity_flags": self.sanity_flags["key"].tolist(),
        }

    @cached_property
    def headline_staffing(self) -> dict[str, Any]:
        """The headline's ``staffing`` section: peak agents (all channels and each), FTE."""
        p, weekly = self.params, self.weekly
        return {
            "peak_agents": int(self.combined["agents"].max()),
            "peak_agents_definition": "agents on duty in the busiest interval, all channels",
            "peak_interval": pd.Timestamp(self.peak_interval).isoformat(),
            "peak_agents_by_channel": {
                ch: int(t["agents"].max()) for ch, t in self.staffing.items()
            },
            "average_weekly_fte": float(weekly["fte"].mean()),
            "average_scheduled_fte": float(weekly["scheduled_fte"].mean()),
            "max_scheduled_headcount": int(weekly["scheduled_headcount"].max()),
            "shrinkage": p.workforce.shrinkage,
            "shrinkage_method": p.workforce.shrinkage_method,
        }

    @cached_property
    def headline_costs(self) -> dict[str, Any]:
        """The headline's ``costs`` section without the crossover: in-house, sourcing options."""
        p = self.params
        totals = self.sourcing_totals
        # a month of the plan: horizon total ÷ the months the horizon spans (52/12 weeks each)
        months = p.forecast.horizon_weeks / initiatives.WEEKS_PER_MONTH
        return {
            "cost_per_paid_hour": self.cost_per_paid_hour,
            # per month of the plan (calendar months at either end are partial)
            "inhouse_cost_per_month": float(self.inhouse_cost["cost"].sum()) / months,
            "sourcing_channel": self.sourcing_channel,
            "sourcing_horizon_weeks": p.forecast.horizon_weeks,
            "sourcing_total_by_option": {k: float(v) for k, v in totals.items()},
            "cheapest_option": str(totals.index[0]),
        }

    def released_fte_by_month(self, month: int) -> float:
        """Paid FTE off the books at the end of plan month ``month`` (1-based).

        The value in the last plan week that ends within the month (months of 365.25 / 12
        days); 0 before the first week ends. The one definition of "FTE released by month m"
        (the headline, the report's monthly table).
        """
        release = self.release_table
        w = min(int(month * 365.25 / 12 / 7), len(release)) - 1
        return float(release["released_fte"].iloc[w]) if w >= 0 else 0.0

    @cached_property
    def headline_initiative(self) -> dict[str, Any]:
        """The headline's ``initiative`` section: the programme's business case (risk-adjusted)."""
        p = self.params
        ini = self.initiative
        released_by = self.released_fte_by_month
        return {
            "name": p.initiative.name,
            "npv": ini["npv"],
            # null when the initiative costs nothing: ROI is then +inf (finance.roi), which JSON
            # cannot hold, or undefined (no benefit either)
            "roi": finite_or_none(ini["roi"]),
            "payback_months": finite_or_none(ini["payback_months"]),
            "break_even_month": finite_or_none(ini["break_even_month"]),
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
        }

    @cached_property
    def gap_closes_week(self) -> int | None:
        """First plan week from which the capacity plan is never short again (``None``: never)."""
        short = self.short_weeks
        if not short.any():
            return 0
        last = int(np.flatnonzero(short)[-1])
        return None if last == len(short) - 1 else last + 1

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
            shortfall_weeks=int(self.short_weeks.sum()),
            starting_gap_fte=float(self.capacity_plan["shortfall_fte"].iloc[0]),
            gap_closes_week=self.gap_closes_week,
            service_level_gaps={str(k): float(v) for k, v in gaps.items()},
            levers=levers,
            max_roi=s.max_roi,
            min_payback_months=s.min_payback_months,
            max_shortfall_weeks=s.max_shortfall_weeks,
            max_service_level_gap=s.max_service_level_gap,
        )

    # ------------------------------------------------------------------ headline

    def headline(self, *, scenarios: bool = True) -> dict[str, Any]:
        """Key figures as a JSON-ready dict (the region's result file).

        Computed once per model (the report asks for it several times); each call returns a
        fresh copy, so callers may modify it. Strict JSON: a figure with no finite value is
        ``None`` (e.g. ``initiative.roi`` of an initiative with zero costs, whose ROI is
        infinite or undefined; ``payback_months`` never reached).

        ``scenario`` is the named scenario's name (``None`` for the region itself);
        ``scenarios`` holds, for the region itself, each named scenario's key figures
        (:data:`cxplan.model.scenarios.FIGURES`) and their differences from the region's:
        ``{name: {"key_figures": {...}, "change_vs_base": {...}}}`` (empty without
        scenarios, and in a scenario's own headline).

        Parameters
        ----------
        scenarios : bool, optional
            ``False`` leaves ``scenarios`` empty without building the scenarios' models.
        """
        out = copy.deepcopy(self._headline)
        out["scenarios"] = self._scenario_headline() if scenarios else {}
        return out

    def _scenario_headline(self) -> dict[str, Any]:
        if self.scenario is not None or not self.scenario_models:
            return {}
        table = self.scenario_comparison
        out: dict[str, Any] = {}
        for name, rows in table[table["scenario"] != BASE].groupby("scenario", sort=False):
            out[str(name)] = {
                "key_figures": dict(zip(rows["figure"], rows["value"], strict=True)),
                "change_vs_base": {
                    f: float(d)
                    for f, d in zip(rows["figure"], rows["delta"], strict=True)
                    if isinstance(d, float) and math.isfinite(d)
                },
            }
        return copy.deepcopy(out)

    @cached_property
    def _headline(self) -> dict[str, Any]:
        p = self.params
        figures = self.key_figures
        mc = self.monte_carlo
        npv_q = mc.percentiles((10.0, 50.0, 90.0), columns=["npv"]).loc["npv"].to_numpy()
        cross = self.crossover
        # a month of the plan: horizon total ÷ the months the horizon spans (52/12 weeks each)
        months = p.forecast.horizon_weeks / initiatives.WEEKS_PER_MONTH
        base_monthly = float(self.volumes[self.sourcing_channel].sum()) / months
        monthly_contacts = [float(k) * base_monthly for k in cross.scales]
        pilot_result = self.pilot_readout
        card = pd.concat(
            [c for c in (self.kpi_scorecard, self.channel_scorecard) if len(c)], ignore_index=True
        )
        start = p.region.start_date
        prog = self.programme
        release = self.release_table
        plan_weeks = release["in_plan"].to_numpy()

        def day(d: int) -> str:
            return (start + pd.Timedelta(days=int(d))).isoformat()[:10]

        starting = self.starting_service
        return {
            "version": RESULT_VERSION,
            "region": p.region.name,
            "scenario": self.scenario,
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
            "staffing": figures["staffing"],
            "costs": {
                **figures["costs"],
                "crossover_monthly_contacts": monthly_contacts,
                "crossover_outsourcing_cheaper_above": [
                    bool(b) for b in cross.outsourcing_cheaper_above
                ],
                # the shift schedule's paid hours priced (None without shifts:); the figures
                # above stay on the curve basis (cxplan.model._distribute: "Cost basis")
                **self.schedule_costs,
            },
            "initiative": figures["initiative"],
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
                "shortfall_weeks": int(self.short_weeks.sum()),
                "starting_headcount": p.workforce.starting_headcount,
            },
            "starting_service": {
                str(ch): {
                    "model": finite_or_none(row["service_level"]),
                    "measured": finite_or_none(row["measured"]),
                }
                for ch, row in starting.iterrows()
            },
            "pilot": {
                "weeks_needed": finite_or_none(self.pilot_design["weeks"].max()),
                "decision": None if pilot_result is None else pilot_result.decision,
                "data_is_demo": self.pilot_data_is_demo,
            },
            "kpi": {
                "met": int((card["status"] == "met").sum()),
                "near": int((card["status"] == "near").sum()),
                "missed": int((card["status"] == "missed").sum()),
                "no_data": int((card["status"] == "no data").sum()),
            },
            "sanity_flags": figures["sanity_flags"],
            "forecast": self._forecast_headline(),
            "distribution": self.headline_distribution,
        }

    def _forecast_headline(self) -> dict[str, Any] | None:
        """Summarise the forecast behind the plan: method, backtest, basis (``None``: none)."""
        fc, h = self.plan_forecast, self.params.history
        if fc is None or h is None:
            return None
        channels = {}
        for name, ch in fc.channels.items():
            table = ch.backtest.table.set_index("method")
            row = table.loc[ch.method]
            channels[name] = {
                "method": ch.method,
                "wape": finite_or_none(row["wape"]),
                "bias": finite_or_none(row["bias"]),
                "coverage_80": finite_or_none(row["coverage_80"]),
                "reason": ch.backtest.reason,
                "source_channel": fc.sources[name],
            }
        return {
            "basis": "mean" if h.staffing_quantile is None else f"P{100 * h.staffing_quantile:g}",
            "history_is_demo": self.history_is_demo,
            "history_end": str(fc.history.end),
            "channels": channels,
        }


def load_region(
    path: str | Path,
    *,
    scenario: str | None = None,
    defaults_path: str | os.PathLike[str] | None = None,
    **kwargs: Any,
) -> RegionModel:
    """Load a region file (merged over its defaults) and build its :class:`RegionModel`.

    Parameters
    ----------
    path : str or Path
        The region file.
    scenario : str, optional
        Build the model of this named scenario of the region (see
        :mod:`cxplan.config.scenarios`) instead of the region itself.
    defaults_path : str or os.PathLike, optional
        The defaults file (default: ``defaults.yaml`` beside the region file or one folder up,
        :func:`~cxplan.config.params.find_defaults`).
    **kwargs
        Passed on to :class:`RegionModel` (``monte_carlo_draws``).
    """
    params = load_params(path, defaults_path=defaults_path, scenario=scenario)
    return RegionModel(
        params,
        params_root=params_root(path, defaults_path),
        scenario=scenario,
        source=path,
        defaults_path=defaults_path,
        **kwargs,
    )
