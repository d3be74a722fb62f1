"""Distribution (seed 003): skills-based routing compared by simulation, and shifts vs the curve.

The region's optional ``skills:`` section is staffed three ways by simulation (dedicated agents,
cross-skilled agents, one pooled group: :func:`cxplan.config.skills.skills_comparison`); its
optional ``shifts:`` section turns one week of the plan's combined requirement into whole shifts
(:func:`cxplan.workforce.shifts.schedule_week`) and sets their paid hours against staffing exactly
to the curve, the basis of every other cost figure
(:func:`~cxplan.workforce.shifts.compare_to_curve`).

Cost basis
----------
The in-house costs (``costs.inhouse_cost_per_month``, the sourcing comparison, the business case)
stay on the curve basis: paid hours = required agent-hours ÷ (1 − paid shrinkage). The schedule
adds figures beside them, never in place of them: ``schedule_cost_per_month`` is the in-house cost
per month × (schedule paid hours ÷ curve paid hours) of the scheduled week, i.e. the horizon
priced at the scheduled week's ratio (every in-house cost component scales with paid hours,
:func:`cxplan.economics.costs.staffing_cost`, so for that week the figure is exact). Both sides
apply the same shrinkage, so under hard coverage the ratio is ``1 ÷ efficiency``.

Determinism
-----------
The simulation is seeded (``skills.seed``, common random numbers across designs). The shift
solver (OR-Tools CP-SAT) runs on one worker; with ``shifts.work_limit_s`` (a deterministic work
budget) the same week and templates give the same schedule on every run, however loaded the
machine, as long as ``time_limit_s`` is not reached first: the demo regions set both.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import pandas as pd

from cxplan.config.distribution import skills_cost_per_hour
from cxplan.config.skills import skills_comparison as _skills_comparison
from cxplan.economics import initiatives
from cxplan.model._case import CaseModel
from cxplan.model._common import finite_or_none
from cxplan.model._memo import shared
from cxplan.workforce import shifts

__all__ = ["DistributionModel"]

#: What the skills comparison reads: its section and the sections of the cost per paid hour.
_SKILLS_SECTIONS = ("skills", "location", "technology", "workforce")
#: What the schedule reads: the combined requirement's sections, the shrinkage and the templates.
_SCHEDULE_SECTIONS = ("region", "forecast", "history", "channels", "workforce", "shifts")


class DistributionModel(CaseModel):
    """Skills-based routing and shift scheduling on top of the business case (seed 003).

    Attributes
    ----------
    dask_client : dask.distributed.Client or None
        Set it (``model.dask_client = Client(address)``) before reading
        :attr:`skills_comparison` to map the simulation's replications over a Dask cluster; the
        figures are identical to a local run (same seeds per replication).
    """

    dask_client: Any = None

    # ------------------------------------------------------------------ skills-based routing

    def compare_skills(self, *, client: Any = None) -> pd.DataFrame | None:
        """Dedicated vs cross-skilled vs pooled staffing of the ``skills:`` section.

        Parameters
        ----------
        client : dask.distributed.Client, optional
            Map the simulation's replications over a Dask cluster (``client.map``); the table is
            identical to the local one (same seeds per replication).

        Returns
        -------
        pandas.DataFrame or None
            :func:`cxplan.config.skills.skills_comparison`'s table, priced at the section's
            ``cost_per_hour`` or, when the file omits it, the region's fully loaded cost per
            paid hour; ``None`` without a ``skills:`` section.
        """
        section = self.params.skills
        if section is None:
            return None
        return _skills_comparison(
            skills_cost_per_hour(section, self.cost_per_paid_hour), client=client
        )

    @shared(*_SKILLS_SECTIONS)
    def skills_comparison(self) -> pd.DataFrame | None:
        """The ``skills:`` comparison (:meth:`compare_skills` on :attr:`dask_client`); or ``None``.

        Index ``design`` (``dedicated``, ``cross_skilled``, ``pooled``); columns ``label``,
        ``skills_per_agent``, ``agents``, ``agents_erlang``, ``extra_vs_pooled``,
        ``cost_per_hour`` (money per hour of the design's agents), ``sl_min``, ``sl_<queue>``,
        ``abandon_max``, ``converged``.
        """
        return self.compare_skills(client=self.dask_client)

    # ------------------------------------------------------------------ shifts

    @cached_property
    def schedule_requirement(self) -> pd.Series | None:
        """Required on-phone agents per interval of the week scheduled (``None``: no shifts).

        The plan's combined requirement (all channels) for ``shifts.week``: the busiest week
        (most required agent-hours) or the week number given.
        """
        section = self.params.shifts
        if section is None:
            return None
        return shifts.select_week(self.combined["agents"].astype(float), section.week)

    @shared(*_SCHEDULE_SECTIONS)
    def schedule(self) -> shifts.ScheduleResult | None:
        """The shift schedule of :attr:`schedule_requirement` (``None`` without ``shifts:``).

        :func:`cxplan.workforce.shifts.schedule_week` with the model's paid shrinkage (the one
        the costs use), on one solver worker (deterministic under ``shifts.work_limit_s``).
        """
        section, requirement = self.params.shifts, self.schedule_requirement
        if section is None or requirement is None:
            return None
        return shifts.schedule_week(requirement, section, shrinkage=self.paid_shrinkage, workers=1)

    @cached_property
    def schedule_vs_curve(self) -> pd.Series | None:
        """The scheduled week's paid hours and cost against staffing exactly to the curve.

        ``None`` without ``shifts:``. Per week: ``required_agent_hours`` (on-phone),
        ``curve_paid_hours`` (÷ (1 − paid shrinkage): what the costs assume),
        ``schedule_paid_hours``, ``extra_paid_hours``, ``extra_share``, ``efficiency``
        (required ÷ scheduled on-phone hours, at most 1), ``extra_cost``, ``curve_cost``,
        ``schedule_cost`` (paid hours × the fully loaded cost per paid hour), ``headcount``,
        ``under_hours`` and ``over_hours`` (on-phone agent-hours short of / above the
        requirement), ``gap`` (the solver's proven optimality gap); plus
        ``curve_cost_per_month``, ``schedule_cost_per_month`` and
        ``extra_cost_per_month`` (the horizon's in-house cost per month at the scheduled
        week's ratio of paid hours; see the module's "Cost basis").
        """
        result = self.schedule
        if result is None:
            return None
        price = self.cost_per_paid_hour
        out = shifts.compare_to_curve(result, cost_per_paid_hour=price)
        curve, paid = float(out["curve_paid_hours"]), float(out["schedule_paid_hours"])
        ratio = paid / curve if curve > 0 else 1.0
        months = self.params.forecast.horizon_weeks / initiatives.WEEKS_PER_MONTH
        per_month = float(self.inhouse_cost["cost"].sum()) / months
        extra = {
            "curve_cost": curve * price,
            "schedule_cost": paid * price,
            "headcount": float(result.headcount),
            "under_hours": result.under_hours,
            "over_hours": result.over_hours,
            "gap": result.gap,
            "curve_cost_per_month": per_month,
            "schedule_cost_per_month": per_month * ratio,
            "extra_cost_per_month": per_month * (ratio - 1.0),
        }
        combined: pd.Series = pd.concat([out, pd.Series(extra, dtype=float)])
        return combined

    # ------------------------------------------------------------------ headline

    @cached_property
    def headline_distribution(self) -> dict[str, Any] | None:
        """The headline's ``distribution`` section (``None`` without ``skills:`` and ``shifts:``).

        ``skills``: per design its agents, cost per hour (of all its agents, money per hour),
        lowest validated SL and highest
        abandonment, and the share of full pooling's saving the cross-skilled design gets
        (``(dedicated − cross-skilled) ÷ (dedicated − pooled)`` agents; ``None`` when pooling
        saves nothing). ``schedule``: the scheduled week and its figures
        (:attr:`schedule_vs_curve`).
        """
        p = self.params
        if p.skills is None and p.shifts is None:
            return None
        return {"skills": self._skills_headline(), "schedule": self._schedule_headline()}

    def _skills_headline(self) -> dict[str, Any] | None:
        table = self.skills_comparison
        if table is None or self.params.skills is None:
            return None
        agents = {str(k): int(v) for k, v in table["agents"].items()}
        saved_by_pooling = agents["dedicated"] - agents["pooled"]
        return {
            "designs": {
                str(design): {
                    "skills_per_agent": int(row["skills_per_agent"]),
                    "agents": int(row["agents"]),
                    "cost_per_hour": float(row["cost_per_hour"]),
                    "sl_min": finite_or_none(row["sl_min"]),
                    "abandon_max": finite_or_none(row["abandon_max"]),
                    "converged": bool(row["converged"]),
                }
                for design, row in table.iterrows()
            },
            "cross_skilled_share_of_pooling_saving": (
                (agents["dedicated"] - agents["cross_skilled"]) / saved_by_pooling
                if saved_by_pooling > 0
                else None
            ),
            "replications": self.params.skills.replications,
            "seed": self.params.skills.seed,
        }

    def _schedule_headline(self) -> dict[str, Any] | None:
        result, comparison = self.schedule, self.schedule_vs_curve
        requirement, section = self.schedule_requirement, self.params.shifts
        if result is None or comparison is None or requirement is None or section is None:
            return None
        c = comparison
        return {
            "week": section.week,
            "week_start": pd.Timestamp(requirement.index[0]).isoformat(),
            "headcount": result.headcount,
            "required_agent_hours": float(c["required_agent_hours"]),
            "curve_paid_hours": float(c["curve_paid_hours"]),
            "schedule_paid_hours": float(c["schedule_paid_hours"]),
            "extra_paid_hours": float(c["extra_paid_hours"]),
            "extra_share": float(c["extra_share"]),
            "efficiency": float(c["efficiency"]),
            "under_hours": float(c["under_hours"]),
            "over_hours": float(c["over_hours"]),
            "schedule_cost_per_week": float(c["schedule_cost"]),
            "curve_cost_per_week": float(c["curve_cost"]),
            "coverage": result.coverage,
            "solver_status": result.status,
            "optimality_gap": float(result.gap),
        }

    @cached_property
    def schedule_costs(self) -> dict[str, float | None]:
        """The headline's schedule figures in ``costs`` (``None`` values without ``shifts:``).

        ``schedule_cost_per_month``: the in-house cost per month on the schedule's paid hours;
        ``schedule_extra_cost_per_month``: that minus ``inhouse_cost_per_month`` (the curve).
        """
        c = self.schedule_vs_curve
        if c is None:
            return {"schedule_cost_per_month": None, "schedule_extra_cost_per_month": None}
        return {
            "schedule_cost_per_month": float(c["schedule_cost_per_month"]),
            "schedule_extra_cost_per_month": float(c["extra_cost_per_month"]),
        }
