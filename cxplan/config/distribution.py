"""The region file's ``skills:`` and ``shifts:`` sections (seed 003's "distribute" step).

Both sections are optional and have no defaults: a region without them is planned exactly as
before. ``skills:`` is :class:`cxplan.config.skills.SkillsParams` with one reading that belongs to
the region file (:class:`SkillsSection`): ``cost_per_hour`` omitted (``null``) means the region's
fully loaded cost per paid hour (``RegionModel.cost_per_paid_hour``), so the comparison is priced
like every other in-house figure (see :func:`skills_cost_per_hour`). ``shifts:`` is
:class:`cxplan.config.shifts.ShiftsParams` plus the week of the plan that is scheduled
(:class:`ShiftsSection`).

Example (YAML)::

    shifts:
      week: peak                 # or a plan week number from 0
      work_limit_s: 5            # deterministic: the same schedule on every run
      templates:
        - {name: Full time, length_minutes: 480, start_times: ["06:00-15:00/30"], days_on: 5,
           break_minutes: 30, lunch_minutes: 30, lunch_window_minutes: [150, 300]}
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from cxplan._schema import MONEY, Int, Num
from cxplan.config.shifts import ShiftsParams
from cxplan.config.skills import SkillsParams
from cxplan.workforce import routing

__all__ = ["ShiftsSection", "SkillsSection", "skills_cost_per_hour"]


class SkillsSection(SkillsParams):
    """Section ``skills:`` of a region file (:class:`~cxplan.config.skills.SkillsParams`).

    Attributes
    ----------
    cost_per_hour : float or None
        Cost of a single-skill agent per staffed hour, params' currency; ``None`` (the default)
        prices agents at the region's fully loaded cost per paid hour.
    """

    cost_per_hour: Annotated[Num, Field(ge=0.0, le=1e6), MONEY] | None = None  # type: ignore[assignment]

    def routing_model(self) -> routing.RoutingModel:
        """Build the cross-skilled design (at a unit price until the region's cost is known)."""
        if self.cost_per_hour is None:  # validation: prices do not change which designs are valid
            return SkillsParams.routing_model(self.model_copy(update={"cost_per_hour": 1.0}))
        return super().routing_model()


class ShiftsSection(ShiftsParams):
    """Section ``shifts:`` of a region file: the templates and the week to schedule.

    Attributes
    ----------
    week : int or "peak"
        The plan week scheduled: ``"peak"`` (default) the week with the most required
        agent-hours (:func:`cxplan.workforce.shifts.select_week`), or a week number from 0
        (before the end of the horizon).

    Notes
    -----
    Every other key is :class:`cxplan.config.shifts.ShiftsParams`'s.
    """

    week: Annotated[Int, Field(ge=0, le=520)] | Literal["peak"] = "peak"


def skills_cost_per_hour(
    skills: SkillsParams | SkillsSection, region_cost_per_paid_hour: float
) -> SkillsParams:
    """Return the section with ``cost_per_hour`` from the region when the file omits it.

    Parameters
    ----------
    skills : SkillsSection or SkillsParams
        The validated ``skills:`` section.
    region_cost_per_paid_hour : float
        The region's fully loaded cost of one paid hour (params' currency).

    Returns
    -------
    SkillsParams
        The section with a cost: as given when it has one, else priced at the region's cost.

    Examples
    --------
    >>> s = SkillsSection(queues=[{"name": "A", "rate_per_hour": 60, "aht_s": 300},
    ...                           {"name": "B", "rate_per_hour": 60, "aht_s": 300}])
    >>> s.cost_per_hour is None, skills_cost_per_hour(s, 48.5).cost_per_hour
    (True, 48.5)
    >>> skills_cost_per_hour(s.model_copy(update={"cost_per_hour": 30.0}), 48.5).cost_per_hour
    30.0
    """
    data = skills.model_dump()
    if data["cost_per_hour"] is None:
        data["cost_per_hour"] = float(region_cost_per_paid_hour)
    return SkillsParams.model_validate(data)
