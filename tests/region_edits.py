"""Edits of a region's plain data (as loaded from YAML) shared by the issue-10 tests."""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["FREE_INITIATIVE", "free_initiative", "without_milestones"]

#: Initiative cost inputs set to zero (the one-off costs are the roadmap tasks' ranges).
FREE_INITIATIVE = {
    "tooling_per_year": 0.0,
    "licence_per_agent_per_month": 0.0,
    "training_hours_per_agent": 0.0,
    "automation_cost_per_contact": 0.0,
    "release_cost_per_fte": 0.0,
}


def free_initiative(data: dict[str, Any], roadmap: dict[str, Any]) -> dict[str, Any]:
    """``data`` with an initiative that costs nothing: no tooling, licences, training hours,
    automation or release cost, and roadmap tasks without cost ranges (``roadmap`` is the
    defaults' roadmap section)."""
    out = copy.deepcopy(data)
    out["initiative"] = {**out.get("initiative", {}), **FREE_INITIATIVE}
    plan = copy.deepcopy(roadmap)
    for task in plan["tasks"]:
        for key in ("cost_low", "cost_base", "cost_high", "monthly_recurring_cost"):
            task.pop(key, None)
    out["roadmap"] = plan
    return out


def without_milestones(roadmap: dict[str, Any]) -> dict[str, Any]:
    """A copy of a roadmap section in which no task is a milestone."""
    plan = copy.deepcopy(roadmap)
    for task in plan["tasks"]:
        task["milestone"] = False
        task.pop("milestone_name", None)
    return plan
