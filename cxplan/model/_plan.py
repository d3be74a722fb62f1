"""Capacity, hiring, roadmap, pilot, KPIs and the starting position (second layer)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from cxplan.config.params import (
    data_file,
)
from cxplan.errors import InputError
from cxplan.model._common import is_demo_file
from cxplan.model._memo import shared
from cxplan.model._operation import OperationModel
from cxplan.plan import kpi, roadmap
from cxplan.plan.pilot_design import design_pilot
from cxplan.plan.pilot_readout import PilotReadout, readout_csv
from cxplan.workforce import capacity, hiring, staffing
from cxplan.workforce.coverage import starting_service
from cxplan.workforce.hiring import extend_run_rate

__all__ = ["PlanModel"]


class PlanModel(OperationModel):
    """The 90–180-day plan on top of the operation: capacity, roadmap, pilot and KPIs."""

    # ------------------------------------------------------------------ capacity and roadmap

    @cached_property
    def workforce(self) -> capacity.Workforce:
        """Starting workforce, attrition, training and learning curve."""
        return self.params.workforce

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
            cost_per_class=w.cost_per_class,
        )

    @cached_property
    def required_fte(self) -> np.ndarray:
        """Scheduled FTE required per plan week (after shrinkage)."""
        return self.weekly["scheduled_fte"].to_numpy(dtype=float)

    @shared("region", "forecast", "history", "channels", "workforce", "location")
    def hiring_plan(self) -> hiring.HiringPlan:
        """Least-cost hiring classes on top of the committed ones (MILP)."""
        w = self.params.workforce
        horizon = len(self.required_fte)
        lead = min(w.recruiting_lead_weeks, horizon - 1)
        # A hire serves long after the plan's last week: plan against the requirement carried on
        # at its run rate for a full pipeline (training + learning curve) and a quarter more, so
        # the plan does not stop hiring near its end (the horizon end effect); classes still
        # start inside the plan.
        lookahead = w.training_weeks + w.learning_curve.weeks + 13
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
        return self.params.workforce.hiring_classes

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
    def short_weeks(self) -> np.ndarray:
        """Plan weeks whose productive FTE fall more than 1 % short of the requirement.

        One definition for the headline, the sanity flag and the report: below 1 % a shortfall
        is the hiring plan's rounding, not a staffing gap a client would notice.
        """
        plan = self.capacity_plan
        return np.asarray(
            plan["shortfall_fte"].to_numpy() > 0.01 * plan["required_fte"].to_numpy(), dtype=bool
        )

    @cached_property
    def roadmap(self) -> roadmap.Roadmap:
        """The phased roadmap."""
        return self.params.roadmap

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
        return path is not None and is_demo_file(path)

    @cached_property
    def kpi_scorecard(self) -> pd.DataFrame:
        """Operation-wide KPI actuals against the benchmark targets."""
        return kpi.scorecard(self.params.kpi.actuals, self.params.kpi.scorecard_targets())

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
        """Service the starting headcount gives over the first four weeks, per channel.

        Four weeks, so that one holiday week does not decide it; beside the measured actuals.

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
            weeks=min(4, self.params.forecast.horizon_weeks),
        )
        measured = {
            ch: values.get("service_level", np.nan)
            for ch, values in self.params.kpi.channels.items()
        }
        table["measured"] = [float(measured.get(ch, np.nan)) for ch in table.index]
        table["gap"] = table["service_level"] - table["measured"]
        return table
