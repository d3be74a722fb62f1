"""The report's distribution sections (seed 003): skills-based routing and shift scheduling.

Two report sections, each a :class:`~cxplan.present.sections.Block` with its own ``<h2>`` and
empty when the region has no such parameter section, so the report notebook can call both for
every region::

    from cxplan.present import distribution_sections
    display(distribution_sections.skills(model))
    display(distribution_sections.shifts(model))

Every figure is read from :class:`~cxplan.model.RegionModel` (``skills_comparison``,
``schedule``, ``schedule_vs_curve`` and the headline); tables go through
:func:`cxplan.present.tables.format_table`; prose is Markdown with every params-derived string
escaped (:func:`cxplan.present.report.safe_text`); the chart is static SVG.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from cxplan.present.columns import ColumnSpec
from cxplan.present.distribution_charts import coverage_chart
from cxplan.present.report import money, safe_text
from cxplan.present.sections import Block, _chart, _join, _md
from cxplan.present.tables import format_table

if TYPE_CHECKING:
    from cxplan.model import RegionModel

__all__ = ["shifts", "skills"]


def _names(names: list[str]) -> str:
    quoted = [safe_text(n) for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def skills(model: RegionModel) -> Block:
    """Show dedicated vs cross-skilled vs pooled staffing of the ``skills:`` study.

    Empty when the region has no ``skills:`` section.
    """
    table = model.skills_comparison
    section = model.params.skills
    if table is None or section is None:
        return Block("")
    cur = model.currency
    queues = [q.name for q in section.queues]
    agents = table["agents"].astype(int)
    ded, cross, pooled = (int(agents[d]) for d in ("dedicated", "cross_skilled", "pooled"))
    design = "the centre's own groups" if section.groups is not None else "a 2-skill chain"
    shown = table.reset_index()[
        ["label", "skills_per_agent", "agents", "agents_erlang", "cost_per_hour"]
        + [f"sl_{q}" for q in queues]
        + ["abandon_max"]
    ]
    specs: dict[str, ColumnSpec] = {
        "label": ColumnSpec("Design", "text"),
        "skills_per_agent": ColumnSpec("Skills per agent", "integer"),
        "agents": ColumnSpec("Agents needed", "integer"),
        "agents_erlang": ColumnSpec("Agents by the Erlang formula", "integer"),
        "cost_per_hour": ColumnSpec("Cost of the agents per hour", "money"),
        **{f"sl_{q}": ColumnSpec(f"Service level, {q}", "percent", 1) for q in queues},
        "abandon_max": ColumnSpec("Highest abandonment", "percent", 1),
    }
    inputs = pd.DataFrame(
        {
            "queue": queues,
            "rate_per_hour": [q.rate_per_hour for q in section.queues],
            "aht_s": [q.aht_s for q in section.queues],
            "patience_s": [q.patience_s for q in section.queues],
            "target": [f"{q.sl_target:.0%} in {q.answer_time_s:g} s" for q in section.queues],
        }
    )
    saved = ded - cross
    cost = table["cost_per_hour"].astype(float)
    cheaper = float(cost["dedicated"]) - float(cost["cross_skilled"])
    verdict = (
        f"Cross-skilling ({design}) needs **{cross}** agents against **{ded}** dedicated and "
        f"**{pooled}** fully pooled: {saved} agents fewer than dedicated teams, and "
        f"{money(cheaper, cur)} an hour cheaper after the pay premium for extra skills."
        if saved >= 0
        else f"Cross-skilling ({design}) needs **{cross}** agents against **{ded}** dedicated "
        f"and **{pooled}** fully pooled."
    )
    return _join(
        [
            "<h2>Skills-based routing: dedicated, cross-skilled or pooled agents</h2>",
            _md(
                f"How many agents the {len(queues)} call types {_names(queues)} need when each "
                "agent takes only one type, two types, or all of them, so that every queue meets "
                f"its target; found by simulating the routing ({section.replications} "
                f"replications of {section.run_hours:g} hours, seed {section.seed})."
            ),
            format_table(
                inputs,
                {
                    "queue": ColumnSpec("Call type", "text"),
                    "rate_per_hour": ColumnSpec("Contacts per hour", "count"),
                    "aht_s": ColumnSpec("Handle time", "seconds", 0),
                    "patience_s": ColumnSpec("Average patience", "seconds", 0),
                    "target": ColumnSpec("Service-level target", "text"),
                },
                caption="The call types studied",
                na_reasons={"patience_s": "callers do not abandon (Erlang C)"},
            ).to_html(),
            format_table(
                shown,
                specs,
                currency=cur,
                caption="Agents and cost by design, every queue at its target",
                notes=[
                    "Service levels and abandonment are measured on fresh simulation runs at "
                    "the staffing found (share of offered contacts answered in time).",
                    "Agents with more skills cost more per hour "
                    f"({section.premium_per_extra_skill:.0%} per extra skill).",
                    *(
                        [
                            "The search meets each target on the mean of its replications, so a "
                            "fresh run may land a point either side of it (simulation noise)."
                        ]
                        if section.criterion == "mean"
                        else []
                    ),
                ],
                na_reasons={"agents_erlang": "no closed formula for cross-skilled groups"},
            ).to_html(),
            _md(verdict),
        ]
    )


def shifts(model: RegionModel) -> Block:
    """Show the shift schedule of the scheduled week and its cost against the curve.

    Empty when the region has no ``shifts:`` section.
    """
    result, comparison = model.schedule, model.schedule_vs_curve
    requirement, section = model.schedule_requirement, model.params.shifts
    if result is None or comparison is None or requirement is None or section is None:
        return Block("")
    cur = model.currency
    c = comparison
    start = pd.Timestamp(requirement.index[0])
    which = (
        "the busiest week of the plan"
        if section.week == "peak"
        else f"plan week {int(section.week) + 1}"
    )
    templates = _names([t.name for t in section.templates])
    basis = pd.DataFrame(
        {
            "basis": ["Staffing exactly to the curve", "The shift schedule", "Difference"],
            "paid_hours": [
                c["curve_paid_hours"],
                c["schedule_paid_hours"],
                c["extra_paid_hours"],
            ],
            "cost_per_week": [c["curve_cost"], c["schedule_cost"], c["extra_cost"]],
            "cost_per_month": [
                c["curve_cost_per_month"],
                c["schedule_cost_per_month"],
                c["extra_cost_per_month"],
            ],
        }
    )
    schedule = result.schedule[["template", "start", "days", "agents", "paid_hours"]]
    solved = (
        "the schedule is optimal"
        if result.status == "optimal"
        else f"the solver's budget was reached with the schedule proven within "
        f"{result.gap:.1%} of the optimum"
    )
    coverage = (
        "every interval is covered"
        if result.coverage == "hard"
        else f"{result.under_hours:,.1f} on-phone agent-hours are short of the requirement"
    )
    return _join(
        [
            "<h2>Shifts: the requirement as a weekly schedule</h2>",
            _md(
                f"The week of {start:%-d %B %Y} ({which}) as whole shifts ({templates}) at the "
                f"fewest paid hours: **{result.headcount:,} agents**, schedule efficiency "
                f"**{c['efficiency']:.1%}** (required ÷ scheduled on-phone hours); "
                f"{coverage}, and {solved}."
            ),
            _chart(coverage_chart(result.intervals)),
            format_table(
                basis,
                {
                    "basis": ColumnSpec("Basis", "text"),
                    "paid_hours": ColumnSpec("Paid hours per week", "hours", 0),
                    "cost_per_week": ColumnSpec("Cost per week", "money"),
                    "cost_per_month": ColumnSpec("In-house cost per month", "money"),
                },
                currency=cur,
                caption="Paid hours and cost: the schedule against staffing to the curve",
                notes=[
                    "Both include the same shrinkage; the difference is what whole shifts cost "
                    "over the curve. Per month: the plan's in-house cost at this week's ratio "
                    "of paid hours.",
                ],
            ).to_html(),
            _md(
                "The other in-house costs in this report staff exactly to the curve; on the "
                f"schedule's paid hours the in-house cost is "
                f"**{money(c['schedule_cost_per_month'], cur)} a month**, "
                f"{money(c['extra_cost_per_month'], cur)} more."
            ),
            format_table(
                schedule,
                {
                    "template": ColumnSpec("Shift", "text"),
                    "start": ColumnSpec("Starts at", "text"),
                    "days": ColumnSpec("Days worked", "text"),
                    "agents": ColumnSpec("Agents", "integer"),
                    "paid_hours": ColumnSpec("Paid hours per week", "hours", 0),
                },
                caption="The schedule: agents per shift, start time and working days",
                notes=["Unpaid lunches are placed inside each shift's lunch window."],
            ).to_html(),
        ]
    )
