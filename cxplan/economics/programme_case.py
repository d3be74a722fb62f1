"""The programme's business case, line by line, vectorized over Monte Carlo draws.

:class:`CaseSetup` holds everything that does not vary between draws (the timeline, the baseline
requirement and hiring plan over the finance horizon, unit costs, the programme's tasks);
:func:`case_lines` takes the uncertain inputs as arrays of draws and returns the benefit and cost
lines (:class:`~cxplan.economics.business_case.CaseLine`) plus the release schedule. The same
function serves the base case (one draw), the tornado and the Monte Carlo, so the three agree by
construction.

Lines
-----
Benefits (only the cost that really goes away):

* ``labour`` — paid FTE released (:func:`~cxplan.economics.business_case.release_schedule`) ×
  the *avoidable* cost of an FTE-week. Which cost components fall with headcount is a stated
  parameter: wages, benefits, supervision and per-seat technology do; facilities and overheads
  do not in the short run (domain notes, "Costs": cost mix; seed 001: overhead 25–40 %).
* ``recruiting`` — baseline hires not made × cost per hire (recruiting and onboarding; the
  notes' agent replacement cost $10k–15k).

Costs (everything that scales with the operation, not only the tools):

* one line per roadmap task with a cost (``task:<id>``), spread over the task's days;
* ``tooling`` — the initiative's annual tooling from the pilot start (seed 000: $15k–120k/yr);
* ``licences`` — per-seat licences for agents working the new way;
* ``agent_training`` — agents' hours in training at the fully loaded rate: every agent as the
  rollout reaches them, and every new hire after (seed 000: a 2-day staccato module);
* ``automation`` — a per-contact price for the contacts bots take (e.g. $0.99 per resolution,
  Intercom Fin);
* ``release`` — exits beyond attrition at a release cost per FTE (``policy="release"`` only).

Flow of one week ``w`` (draw axes lead)::

    target[w]   = saving_share × realisation × adoption[w] × requirement[w]
    released[w] = min(target[w], released[w−1]·(1 − r) + baseline_hires[w])   (attrition policy)

References
----------
.. [1] Forrester TEI methodology (per-line risk adjustment), domain notes "Finance".
.. [2] Seeds 000 and 001 (costs, training, tooling, pilot); domain notes "Costs".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from cxplan._validation import as_array
from cxplan.economics.business_case import (
    CaseLine,
    Release,
    monthly_from_weekly,
    release_schedule,
    span_month_shares,
    week_month_matrix,
)
from cxplan.errors import InputError

__all__ = ["CaseSetup", "TaskCost", "case_lines", "line_totals", "weeks_in_months"]

Array = npt.NDArray[np.float64]

_WEEKS_PER_MONTH = 52.0 / 12.0


def weeks_in_months(months: int) -> int:
    """Whole weeks that cover ``months`` plan months (365.25/12 days each)."""
    return int(np.ceil(months * 365.25 / 12.0 / 7.0 - 1e-9))


@dataclass(frozen=True)
class TaskCost:
    """A programme task with a one-off cost, spread evenly over its days.

    Attributes
    ----------
    key : str
        Line key, ``task:<task id>``.
    label : str
        Task name (the line's label).
    start_day, end_day : int
        The task's days ``[start_day, end_day)`` from the plan start (equal = paid on one day).
    """

    key: str
    label: str
    start_day: int
    end_day: int


@dataclass(frozen=True, eq=False)
class CaseSetup:
    """Everything in the business case that does not change between draws.

    Attributes
    ----------
    months : int
        Finance horizon in plan months.
    adoption : ndarray
        Share of agents working the new way per week, shape ``(weeks,)``.
    requirement_fte : ndarray
        Scheduled FTE the operation needs per week without the initiative.
    baseline_hires, baseline_headcount : ndarray
        People the baseline plan hires per week and its headcount per week.
    attrition_weekly : float
        Weekly leaving probability.
    avoidable_cost_per_fte_week : float
        Cost of one paid FTE-week that goes away when the FTE goes (money).
    cost_per_hire : float
        Recruiting and onboarding cost per hire (money).
    loaded_cost_per_paid_hour : float
        Fully loaded cost of a paid agent hour (training time is valued at it).
    training_hours_per_agent : float
        Hours of training per agent for the new way of working.
    licence_per_agent_per_month : float
        Per-seat licence of the initiative's tools (money per agent per month).
    automation_cost_per_contact : float
        Price per contact a bot takes (money).
    tooling_start_day : int
        Day the annual tooling starts to be paid (the pilot start).
    tasks : tuple of TaskCost
        Roadmap tasks with a cost.
    policy : {"attrition", "release"}
        How released FTE leave.
    release_cost_per_fte : float
        Cost per FTE released beyond attrition (``policy="release"``).
    risk : mapping of str to float
        TEI risk adjustment per line key; lines not in it take ``risk_benefit`` / ``risk_cost``.
    risk_benefit, risk_cost : float
        Default risk adjustments for benefit and cost lines.
    """

    months: int
    adoption: Array
    requirement_fte: Array
    baseline_hires: Array
    baseline_headcount: Array
    attrition_weekly: float
    avoidable_cost_per_fte_week: float
    cost_per_hire: float
    loaded_cost_per_paid_hour: float
    training_hours_per_agent: float = 0.0
    licence_per_agent_per_month: float = 0.0
    automation_cost_per_contact: float = 0.0
    tooling_start_day: int = 0
    tasks: tuple[TaskCost, ...] = ()
    policy: Literal["attrition", "release"] = "attrition"
    release_cost_per_fte: float = 0.0
    risk: Mapping[str, float] = field(default_factory=dict)
    risk_benefit: float = 0.0
    risk_cost: float = 0.0

    def __post_init__(self) -> None:
        weeks = weeks_in_months(self.months)
        for name in ("adoption", "requirement_fte", "baseline_hires", "baseline_headcount"):
            arr = as_array(name, getattr(self, name), low=0.0)
            if arr.shape != (weeks,):
                raise InputError(
                    f"{name} must have one value per week of the {self.months}-month horizon "
                    f"({weeks}; got shape {arr.shape})"
                )
            object.__setattr__(self, name, np.asarray(arr, dtype=float))
        if self.policy not in ("attrition", "release"):
            raise InputError(f"policy must be 'attrition' or 'release' (got {self.policy!r})")

    @property
    def weeks(self) -> int:
        """Weeks in the finance horizon."""
        return int(self.adoption.size)

    def line_risk(self, key: str, kind: str) -> float:
        """Return the TEI risk adjustment of a line (its own, else the default for its kind)."""
        default = self.risk_benefit if kind == "benefit" else self.risk_cost
        return float(self.risk.get(key, default))


def case_lines(
    setup: CaseSetup,
    *,
    saving_share: Any,
    realisation: Any = 1.0,
    deflected_contacts_per_month: Any = 0.0,
    tooling_per_year: Any = 0.0,
    task_costs: Mapping[str, Any] | None = None,
) -> tuple[list[CaseLine], Release]:
    """Build the business case's lines for arrays of draws.

    Parameters
    ----------
    setup : CaseSetup
        The fixed part of the case.
    saving_share : array_like
        Share of paid hours the levers remove at full adoption (draws).
    realisation : array_like
        Share of that effect realised at scale (draws, in [0, 1]).
    deflected_contacts_per_month : array_like
        Contacts bots take per month at full adoption (draws).
    tooling_per_year : array_like
        Annual tooling cost (draws).
    task_costs : mapping of str to array_like, optional
        One-off cost per task key (draws); tasks not given cost 0.

    Returns
    -------
    (list of CaseLine, Release)
        Lines in a fixed order (benefits first) and the weekly release schedule.

    Notes
    -----
    Weekly streams become plan months with
    :func:`~cxplan.economics.business_case.week_month_matrix`; a week's requirement is the
    operation's need that week, so deflected contacts follow it too
    (``deflected × realisation × adoption[w] × requirement[w] / mean(requirement)`` per month).
    """
    share = np.asarray(saving_share, dtype=float)
    real = np.asarray(realisation, dtype=float)
    deflected = np.asarray(deflected_contacts_per_month, dtype=float)
    tooling = np.asarray(tooling_per_year, dtype=float)
    costs = {k: np.asarray(v, dtype=float) for k, v in (task_costs or {}).items()}
    draw_shape = np.broadcast_shapes(
        share.shape, real.shape, deflected.shape, tooling.shape, *(v.shape for v in costs.values())
    )
    w2m = week_month_matrix(setup.weeks, setup.months)
    effect = np.broadcast_to(share * real, draw_shape)[..., None]
    target = np.clip(effect * setup.adoption * setup.requirement_fte, 0.0, None)
    release = release_schedule(
        target, setup.baseline_hires, setup.attrition_weekly, policy=setup.policy
    )

    def line(key: str, label: str, kind: Literal["benefit", "cost"], monthly: Any) -> CaseLine:
        arr = np.broadcast_to(np.asarray(monthly, dtype=float), (*draw_shape, setup.months))
        return CaseLine(key, label, kind, np.array(arr), setup.line_risk(key, kind))

    lines = [
        line(
            "labour",
            "Agent time released (paid FTE off the books)",
            "benefit",
            monthly_from_weekly(release.released_fte, w2m) * setup.avoidable_cost_per_fte_week,
        ),
        line(
            "recruiting",
            "Recruiting and onboarding avoided",
            "benefit",
            monthly_from_weekly(release.hires_avoided, w2m) * setup.cost_per_hire,
        ),
    ]
    for task in setup.tasks:
        amount = costs.get(task.key, np.zeros(()))
        shares = span_month_shares(task.start_day, task.end_day, setup.months)
        lines.append(line(task.key, task.label, "cost", amount[..., None] * shares))
    start_month = int(np.floor(setup.tooling_start_day / (365.25 / 12.0)))
    tool_months = (np.arange(setup.months) >= start_month).astype(float)
    lines.append(
        line("tooling", "Initiative tooling", "cost", tooling[..., None] / 12 * tool_months)
    )
    headcount_new_way = (setup.baseline_headcount - release.released_fte) * setup.adoption
    lines.append(
        line(
            "licences",
            "Per-agent licences",
            "cost",
            monthly_from_weekly(headcount_new_way, w2m)
            * setup.licence_per_agent_per_month
            / _WEEKS_PER_MONTH,
        )
    )
    newly_adopting = np.diff(setup.adoption, prepend=0.0).clip(0.0, None) * setup.baseline_headcount
    hires_after = (setup.baseline_hires - release.hires_avoided) * setup.adoption
    trained = newly_adopting + hires_after
    lines.append(
        line(
            "agent_training",
            "Agents' training time",
            "cost",
            monthly_from_weekly(trained, w2m)
            * setup.training_hours_per_agent
            * setup.loaded_cost_per_paid_hour,
        )
    )
    mean_req = float(setup.requirement_fte.mean()) if setup.requirement_fte.any() else 1.0
    volume_index = setup.requirement_fte / mean_req
    bot_contacts = (deflected * real)[..., None] / _WEEKS_PER_MONTH * setup.adoption * volume_index
    lines.append(
        line(
            "automation",
            "Bot sessions for deflected contacts",
            "cost",
            monthly_from_weekly(bot_contacts, w2m) * setup.automation_cost_per_contact,
        )
    )
    if setup.policy == "release":
        lines.append(
            line(
                "release",
                "Release of staff beyond attrition",
                "cost",
                monthly_from_weekly(release.exits, w2m) * setup.release_cost_per_fte,
            )
        )
    return lines, release


def line_totals(lines: Sequence[CaseLine]) -> dict[str, Array]:
    """Risk-adjusted total of each line over the horizon (draws), keyed by line key."""
    return {ln.key: np.asarray(ln.adjusted.sum(axis=-1), dtype=float) for ln in lines}
