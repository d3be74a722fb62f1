"""The 90–180-day roadmap: phases and tasks as data, their validation, Gantt and milestone data.

A roadmap is a set of :class:`Phase` windows and :class:`Task` rows (id, phase, start/end day,
dependencies, a low/base/high one-off cost, an optional monthly recurring cost, milestones). The
template is the ``roadmap:`` section of ``params/defaults.yaml`` (seed 001's three phases, 0–30,
30–90 and 90–180 days, with its cost ranges), read as :class:`Roadmap` itself
(:class:`cxplan.config.params.RoadmapParams`). The roadmap's monthly money is
:mod:`cxplan.economics.programme_case`.

Days
----
Days are 0-based offsets from the programme start; a task occupies ``[start_day, end_day)`` (end
exclusive: a 0–30 task lasts 30 days; a task with ``start_day == end_day`` is an instant, e.g. a
milestone or a lump payment on that day).

Capacity-plan tasks
-------------------
Hiring and training money enters the cash flows **only** from the capacity plan: tasks whose people
cost lives there are marked ``cost_source="capacity_plan"`` and must carry no cost of their own
(validated), so the same hires cannot be priced twice.

Dependencies
------------
A task may depend on others (``depends_on``, ids). Duplicate ids, a dependency on an unknown task,
a cycle (the message gives the path ``a -> b -> a``) and a task ending before it starts are errors
(:class:`~cxplan.errors.InputError`). A task starting before one of its dependencies ends is an
error by default (``dependency_overlap="error"``), because a dated plan in that order cannot be
executed as written; set ``dependency_overlap="warn"`` to allow deliberate fast-tracking, which
then issues a :class:`ScheduleWarning` naming the tasks.

References
----------
.. [1] Seed 001 ("Implementation Roadmap (90–180 days)"): 0–30 days baseline, tech stack, SLAs,
   WFM/ops lead, discovery $5k–20k; 30–90 days routing, knowledge base, first cohort at 25–50 % of
   target headcount, QA, 1–2 automation pilots, licences and integrations $10k–75k; 90–180 days
   scale-up, bots/NLP, analytics dashboards, monthly RCA and NPS.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, Literal, Self

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import Field, model_validator

from cxplan._schema import ConfigModel, Int, Money, Name, Text
from cxplan.errors import InputError

__all__ = [
    "Phase",
    "Roadmap",
    "ScheduleWarning",
    "Task",
    "gantt_data",
    "milestone_data",
]

Scenario = Literal["low", "base", "high"]
CostSource = Literal["task", "capacity_plan"]
OverlapPolicy = Literal["error", "warn"]

_UNPHASED = "unphased"


class ScheduleWarning(UserWarning):
    """A roadmap that is allowed but suspicious (a task starting before a dependency ends)."""


#: A day of the programme, counted from its start (0 to 3,650: ten years).
Day = Annotated[Int, Field(ge=0, le=3_650)]


def _who(kind: str, data: Mapping[str, Any]) -> str:
    """Error prefix of a phase or task: ``task 'a': `` once it has an id, else ``task.``."""
    ident = data.get("id")
    return f"{kind} {ident!r}: " if isinstance(ident, str) and ident.strip() else f"{kind}."


# ---------------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------------


class Phase(ConfigModel):
    """A phase window of the roadmap.

    Parameters
    ----------
    id : str
        Unique phase id (tasks refer to it).
    name : str
        Display name.
    start_day, end_day : int
        Window ``[start_day, end_day)`` in days from the programme start (0 to 3,650);
        ``end_day > start_day``.

    Examples
    --------
    >>> Phase("p1", "0-30 days", 0, 30).end_day
    30
    """

    id: Name
    name: Name
    start_day: Day
    end_day: Day

    @classmethod
    def _error_prefix(cls, data: Mapping[str, Any]) -> str:
        return _who("phase", data)

    @model_validator(mode="after")
    def _window(self) -> Self:
        if self.end_day <= self.start_day:
            raise ValueError(f"end_day ({self.end_day}) must be after start_day ({self.start_day})")
        return self


class Task(ConfigModel):
    """One roadmap task (or milestone).

    Parameters
    ----------
    id : str
        Unique task id.
    name : str
        What is done.
    phase : str
        Id of the :class:`Phase` the task belongs to.
    start_day, end_day : int
        Days ``[start_day, end_day)`` from the programme start (0 to 3,650); ``end_day >=
        start_day`` (equal = an instant).
    depends_on : tuple of str
        Ids of tasks that must end before this one starts.
    cost_low, cost_base, cost_high : float
        One-off cost range (``0 <= low <= base <= high``), spread evenly over the task's days;
        ``cost_low`` / ``cost_high`` default to ``cost_base`` (a point estimate).
    monthly_recurring_cost : float
        Recurring cost per month (licences, subscriptions) from ``start_day`` on.
    recurring_end_day : int, optional
        Day the recurring cost stops (exclusive); default: the end of the schedule horizon.
    milestone : bool
        Whether the task carries a milestone (marked at ``end_day``).
    milestone_name : str
        Milestone label (default: the task name).
    workstream : str
        Workstream label (people, technology, quality, ...).
    upfront : bool
        Pay the one-off cost in full at t = 0 (month 0, "initial") instead of over the task's days.
    cost_source : {"task", "capacity_plan"}
        ``"capacity_plan"``: the task's money (hiring, training) comes from the capacity plan
        through :func:`capacity_cash_flows`; such a task must have no cost of its own.
    source : str
        Where the figures come from (e.g. "seed 001").

    Raises
    ------
    InputError
        Empty id, negative days, ``end_day < start_day``, an unordered or negative cost range, a
        capacity-plan task with its own cost.

    Examples
    --------
    >>> Task("T1", "Baseline", "p1", 0, 21, cost_low=2_000, cost_base=5_000, cost_high=8_000).cost(
    ...     "high")
    8000.0
    """

    id: Name
    name: Name
    phase: Name
    start_day: Day
    end_day: Day
    depends_on: tuple[Name, ...] = ()
    cost_low: Money = 0.0
    cost_base: Money = 0.0
    cost_high: Money = 0.0
    monthly_recurring_cost: Money = 0.0
    recurring_end_day: Day | None = None
    milestone: bool = False
    milestone_name: Text = ""
    workstream: Text = ""
    upfront: bool = False
    cost_source: CostSource = "task"
    source: Text = ""

    @classmethod
    def _error_prefix(cls, data: Mapping[str, Any]) -> str:
        return _who("task", data)

    @model_validator(mode="before")
    @classmethod
    def _point_estimate(cls, data: Any) -> Any:
        """Default a cost range not given to the base cost (a point estimate)."""
        if isinstance(data, Mapping):
            base = data.get("cost_base", 0.0)
            data = dict(data)
            for bound in ("cost_low", "cost_high"):
                if data.get(bound) is None:
                    data[bound] = base
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        start, end = self.start_day, self.end_day
        if end < start:
            raise ValueError(f"end_day ({end}) is before start_day ({start})")
        low, base, high = self.cost_low, self.cost_base, self.cost_high
        if not low <= base <= high:
            raise ValueError(
                "costs must satisfy cost_low <= cost_base <= cost_high "
                f"(got {low:g}, {base:g}, {high:g})"
            )
        stop = self.recurring_end_day
        if stop is not None and stop < start:
            raise ValueError(f"recurring_end_day ({stop}) is before start_day ({start})")
        rec = self.monthly_recurring_cost
        if self.cost_source == "capacity_plan" and (high > 0 or rec > 0):
            raise ValueError(
                "cost_source='capacity_plan' takes its money from the capacity plan, so "
                f"its own costs must be 0 (got cost_high={high:g}, "
                f"monthly_recurring_cost={rec:g}); price hires there, not twice"
            )
        return self

    def cost(self, scenario: Scenario = "base") -> float:
        """One-off cost for a scenario ("low", "base" or "high")."""
        if scenario not in ("low", "base", "high"):
            raise InputError(f"scenario must be 'low', 'base' or 'high' (got {scenario!r})")
        return float(getattr(self, f"cost_{scenario}"))

    @property
    def label(self) -> str:
        """Milestone label: ``milestone_name`` or the task name."""
        return self.milestone_name or self.name


def _find_cycle(tasks: Sequence[Task]) -> list[str] | None:
    """First dependency cycle in task order (iterative DFS), as a closed path of ids."""
    deps = {t.id: t.depends_on for t in tasks}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in deps:
        if state.get(root):
            continue
        path: list[str] = [root]
        iters = [iter(deps[root])]
        state[root] = 1
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                iters.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                iters.append(iter(deps[nxt]))
    return None


class Roadmap(ConfigModel):
    """Phases and tasks, validated as a whole.

    Parameters
    ----------
    phases : tuple of Phase
        Phase windows (unique ids).
    tasks : tuple of Task
        Tasks (unique ids, each in a known phase, dependencies on known tasks, no cycle).
    horizon_days : int, optional
        Length of the roadmap in days; default the latest phase or task end. Every task must end
        within it.
    dependency_overlap : {"error", "warn"}
        What a task starting before a dependency ends is: an error (default) or a
        :class:`ScheduleWarning` (deliberate fast-tracking).

    Raises
    ------
    InputError
        Duplicate phase or task ids, a task in an unknown phase, a dependency on an unknown task, a
        dependency cycle (message: the path), a task starting before a dependency ends (with
        ``dependency_overlap="error"``), a task or phase past ``horizon_days``. Each message names
        the task(s).

    Examples
    --------
    >>> p = (Phase("p1", "Start", 0, 30),)
    >>> Roadmap(p, (Task("a", "A", "p1", 0, 10), Task("b", "B", "p1", 5, 20, depends_on=("a",))))
    Traceback (most recent call last):
    ...
    cxplan.errors.InputError: tasks: 'b' starts on day 5, before its dependency 'a' ends (day 10)
    >>> Roadmap(p, (Task("a", "A", "p1", 0, 10, depends_on=("b",)),
    ...             Task("b", "B", "p1", 10, 20, depends_on=("a",))))
    Traceback (most recent call last):
    ...
    cxplan.errors.InputError: tasks: dependency cycle a -> b -> a
    """

    phases: Annotated[tuple[Phase, ...], Field(min_length=1)]
    tasks: tuple[Task, ...]
    horizon_days: Annotated[Int, Field(ge=1, le=3_650)] | None = None
    dependency_overlap: OverlapPolicy = "error"

    @classmethod
    def _error_prefix(cls, data: Mapping[str, Any]) -> str:
        return ""

    @model_validator(mode="after")
    def _whole(self) -> Self:
        phases, tasks = self.phases, self.tasks
        dup_p = _duplicates(p.id for p in phases)
        if dup_p:
            raise ValueError(f"phases: duplicate id(s) {', '.join(map(repr, dup_p))}")
        dup_t = _duplicates(t.id for t in tasks)
        if dup_t:
            raise ValueError(f"tasks: duplicate id(s) {', '.join(map(repr, dup_t))}")
        phase_ids = {p.id for p in phases}
        bad_phase = [f"{t.id!r} (phase {t.phase!r})" for t in tasks if t.phase not in phase_ids]
        if bad_phase:
            raise ValueError(
                f"tasks: unknown phase for {', '.join(bad_phase)}; phases are "
                f"{', '.join(map(repr, (p.id for p in phases)))}"
            )
        by_id = {t.id: t for t in tasks}
        unknown = [f"{t.id!r} -> {d!r}" for t in tasks for d in t.depends_on if d not in by_id]
        if unknown:
            raise ValueError(f"tasks: dependency on unknown task: {', '.join(unknown)}")
        cycle = _find_cycle(tasks)
        if cycle:
            raise ValueError(f"tasks: dependency cycle {' -> '.join(cycle)}")
        early = [
            f"{t.id!r} starts on day {t.start_day}, before its dependency {d!r} ends "
            f"(day {by_id[d].end_day})"
            for t in tasks
            for d in t.depends_on
            if t.start_day < by_id[d].end_day
        ]
        if early:
            msg = f"tasks: {'; '.join(early)}"
            if self.dependency_overlap == "error":
                raise ValueError(msg)
            warnings.warn(msg, ScheduleWarning, stacklevel=2)
        last = max([p.end_day for p in phases] + [t.end_day for t in tasks])
        if self.horizon_days is None:
            # resolved once, on the frozen object being built (the default is "the last end")
            object.__setattr__(self, "horizon_days", last)
        else:
            horizon = self.horizon_days
            late = [f"{t.id!r} (day {t.end_day})" for t in tasks if t.end_day > horizon]
            late += [f"phase {p.id!r} (day {p.end_day})" for p in phases if p.end_day > horizon]
            if late:
                raise ValueError(f"horizon_days ({horizon}) ends before {', '.join(late)}")
        return self

    @property
    def horizon(self) -> int:
        """Horizon in days (resolved ``horizon_days``)."""
        assert self.horizon_days is not None  # resolved in __post_init__
        return self.horizon_days

    def task(self, task_id: str) -> Task:
        """Return the task with id ``task_id``."""
        for t in self.tasks:
            if t.id == task_id:
                return t
        raise InputError(f"task_id: no task {task_id!r} in the roadmap")

    def phase_of_day(self, days: Any) -> npt.NDArray[np.object_]:
        """Phase id of each day (the first phase whose window holds it, else ``"unphased"``)."""
        d = np.asarray(days)
        out = np.full(d.shape, _UNPHASED, dtype=object)
        for p in reversed(self.phases):  # earlier phases win on overlap
            out[(d >= p.start_day) & (d < p.end_day)] = p.id
        return out


def _duplicates(ids: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dup: list[str] = []
    for i in ids:
        if i in seen and i not in dup:
            dup.append(i)
        seen.add(i)
    return dup


# ---------------------------------------------------------------------------------------------
# chart data (tidy frames for altair; no charts built here)
# ---------------------------------------------------------------------------------------------


def _dates(days: Any, start_date: Any) -> pd.DatetimeIndex:
    try:
        start = pd.Timestamp(start_date).normalize()
    except (TypeError, ValueError):
        raise InputError(f"start_date must be a date (got {start_date!r})") from None
    return pd.DatetimeIndex(start + pd.to_timedelta(np.asarray(days), unit="D"))


def gantt_data(roadmap: Roadmap, *, start_date: Any = None) -> pd.DataFrame:
    """One row per task for a Gantt view.

    Parameters
    ----------
    roadmap : Roadmap
        The roadmap.
    start_date : date-like, optional
        Programme start; adds ``start_date`` / ``end_date`` columns (``end_date`` exclusive, as
        ``end_day``).

    Returns
    -------
    pandas.DataFrame
        ``task_id, task, phase, phase_name, workstream, start_day, end_day, duration_days,
        depends_on`` (comma-separated ids), ``cost_low, cost_base, cost_high,
        monthly_recurring_cost, cost_source, milestone, milestone_name`` and the dates.

    Examples
    --------
    >>> r = Roadmap((Phase("p1", "0-30 days", 0, 30),),
    ...             (Task("base", "Baseline", "p1", 0, 21),
    ...              Task("sla", "Define SLAs", "p1", 21, 30, depends_on=("base",))))
    >>> g = gantt_data(r, start_date="2025-01-06")
    >>> g.loc[0, "task_id"], int(g.loc[0, "start_day"]), int(g.loc[0, "end_day"])
    ('base', 0, 21)
    >>> str(g.loc[0, "end_date"].date())
    '2025-01-27'
    """
    names = {p.id: p.name for p in roadmap.phases}
    t = roadmap.tasks
    df = pd.DataFrame(
        {
            "task_id": [x.id for x in t],
            "task": [x.name for x in t],
            "phase": [x.phase for x in t],
            "phase_name": [names[x.phase] for x in t],
            "workstream": [x.workstream for x in t],
            "start_day": np.array([x.start_day for x in t], dtype=np.int64),
            "end_day": np.array([x.end_day for x in t], dtype=np.int64),
            "duration_days": np.array([x.end_day - x.start_day for x in t], dtype=np.int64),
            "depends_on": [", ".join(x.depends_on) for x in t],
            "cost_low": [x.cost_low for x in t],
            "cost_base": [x.cost_base for x in t],
            "cost_high": [x.cost_high for x in t],
            "monthly_recurring_cost": [x.monthly_recurring_cost for x in t],
            "cost_source": [x.cost_source for x in t],
            "milestone": [x.milestone for x in t],
            "milestone_name": [x.label if x.milestone else "" for x in t],
        }
    )
    if start_date is not None:
        df["start_date"] = _dates(df["start_day"], start_date)
        df["end_date"] = _dates(df["end_day"], start_date)
    return df


def milestone_data(roadmap: Roadmap, *, start_date: Any = None) -> pd.DataFrame:
    """Milestone markers for the Gantt view.

    Columns ``task_id, milestone_name, phase, day`` (the task's ``end_day``), and ``date`` when
    ``start_date`` is given.

    Examples
    --------
    >>> r = Roadmap((Phase("p1", "0-30 days", 0, 30),),
    ...             (Task("base", "Baseline", "p1", 0, 21),
    ...              Task("sla", "Define SLAs", "p1", 21, 30, depends_on=("base",),
    ...                   milestone=True, milestone_name="SLAs signed off")))
    >>> milestone_data(r)[["task_id", "milestone_name", "day"]].values.tolist()
    [['sla', 'SLAs signed off', 30]]
    """
    t = [x for x in roadmap.tasks if x.milestone]
    df = pd.DataFrame(
        {
            "task_id": [x.id for x in t],
            "milestone_name": [x.label for x in t],
            "phase": [x.phase for x in t],
            "day": np.array([x.end_day for x in t], dtype=np.int64),
        }
    )
    if start_date is not None:
        df["date"] = _dates(df["day"], start_date)
    return df
