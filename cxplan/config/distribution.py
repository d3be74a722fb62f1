"""The region file's ``skills:`` and ``shifts:`` sections (seed 003's "distribute" step).

Both sections are optional and have no defaults: a region without them is planned exactly as
before. ``skills:`` is :class:`cxplan.config.skills.SkillsParams` as it is, with one reading that
belongs to the region file: an omitted ``cost_per_hour`` means the region's fully loaded cost per
paid hour (``RegionModel.cost_per_paid_hour``), so the comparison is priced like every other
in-house figure (see :func:`skills_cost_per_hour`). ``shifts:`` is
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

from cxplan._schema import Int
from cxplan.config.shifts import ShiftsParams
from cxplan.config.skills import SkillsParams

__all__ = ["ShiftsSection", "SkillsParams", "skills_cost_per_hour"]


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


def skills_cost_per_hour(skills: SkillsParams, region_cost_per_paid_hour: float) -> SkillsParams:
    """Return the section with ``cost_per_hour`` from the region when the file omits it.

    Parameters
    ----------
    skills : SkillsParams
        The validated ``skills:`` section.
    region_cost_per_paid_hour : float
        The region's fully loaded cost of one paid hour (params' currency).

    Returns
    -------
    SkillsParams
        ``skills`` itself when it gives ``cost_per_hour``; else a copy with the region's cost.

    Examples
    --------
    >>> s = SkillsParams(queues=[{"name": "A", "rate_per_hour": 60, "aht_s": 300},
    ...                          {"name": "B", "rate_per_hour": 60, "aht_s": 300}])
    >>> skills_cost_per_hour(s, 48.5).cost_per_hour
    48.5
    >>> given = SkillsParams(queues=s.queues, cost_per_hour=30.0)
    >>> skills_cost_per_hour(given, 48.5).cost_per_hour
    30.0
    """
    if "cost_per_hour" in skills.model_fields_set:
        return skills
    return skills.model_copy(update={"cost_per_hour": float(region_cost_per_paid_hour)})
