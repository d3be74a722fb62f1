"""The 90–180-day roadmap: phases and tasks as data, their validation, Gantt and milestone data.

A roadmap is a set of :class:`Phase` windows and :class:`Task` rows (id, phase, start/end day,
dependencies, a low/base/high one-off cost, an optional monthly recurring cost, milestones). The
template is the ``roadmap:`` section of ``params/defaults.yaml`` (seed 001's three phases, 0–30,
30–90 and 90–180 days, with its cost ranges), built by
:meth:`cxplan.config.params.RoadmapParams.build`. The roadmap's monthly money is
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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_array, as_scalar
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


def _text(name: str, value: Any, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise InputError(f"{name} must be a {'' if empty else 'non-empty '}string (got {value!r})")
    return value


def _day(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise InputError(f"{name} must be a whole number of days (got {value!r})")
    return int(as_array(name, value, low=0, integer=True))


def _money(name: str, value: Any) -> float:
    return as_scalar(name, value, allow_bool=False, low=0.0)


# ---------------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    """A phase window of the roadmap.

    Parameters
    ----------
    id : str
        Unique phase id (tasks refer to it).
    name : str
        Display name.
    start_day, end_day : int
        Window ``[start_day, end_day)`` in days from the programme start; ``end_day > start_day``.

    Examples
    --------
    >>> Phase("p1", "0-30 days", 0, 30).end_day
    30
    """

    id: str
    name: str
    start_day: int
    end_day: int

    def __post_init__(self) -> None:
        pid = _text("phase.id", self.id)
        _text(f"phase {pid!r}: name", self.name)
        start = _day(f"phase {pid!r}: start_day", self.start_day)
        end = _day(f"phase {pid!r}: end_day", self.end_day)
        if end <= start:
            raise InputError(f"phase {pid!r}: end_day ({end}) must be after start_day ({start})")
        object.__setattr__(self, "start_day", start)
        object.__setattr__(self, "end_day", end)


@dataclass(frozen=True)
class Task:
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
        Days ``[start_day, end_day)`` from the programme start; ``end_day >= start_day``
        (equal = an instant).
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

    id: str
    name: str
    phase: str
    start_day: int
    end_day: int
    depends_on: tuple[str, ...] = ()
    cost_low: float | None = None
    cost_base: float = 0.0
    cost_high: float | None = None
    monthly_recurring_cost: float = 0.0
    recurring_end_day: int | None = None
    milestone: bool = False
    milestone_name: str = ""
    workstream: str = ""
    upfront: bool = False
    cost_source: CostSource = "task"
    source: str = ""

    def __post_init__(self) -> None:
        tid = _text("task.id", self.id)
        who = f"task {tid!r}"
        set_ = object.__setattr__
        _text(f"{who}: name", self.name)
        _text(f"{who}: phase", self.phase)
        start = _day(f"{who}: start_day", self.start_day)
        end = _day(f"{who}: end_day", self.end_day)
        if end < start:
            raise InputError(f"{who}: end_day ({end}) is before start_day ({start})")
        set_(self, "start_day", start)
        set_(self, "end_day", end)
        deps = self.depends_on
        if isinstance(deps, str) or not isinstance(deps, Iterable):
            raise InputError(f"{who}: depends_on must be a list of task ids (got {deps!r})")
        deps = tuple(deps)
        for d in deps:
            _text(f"{who}: depends_on entry", d)
        set_(self, "depends_on", deps)
        base = _money(f"{who}: cost_base", self.cost_base)
        low = base if self.cost_low is None else _money(f"{who}: cost_low", self.cost_low)
        high = base if self.cost_high is None else _money(f"{who}: cost_high", self.cost_high)
        if not low <= base <= high:
            raise InputError(
                f"{who}: costs must satisfy cost_low <= cost_base <= cost_high "
                f"(got {low:g}, {base:g}, {high:g})"
            )
        set_(self, "cost_low", low)
        set_(self, "cost_base", base)
        set_(self, "cost_high", high)
        rec = _money(f"{who}: monthly_recurring_cost", self.monthly_recurring_cost)
        set_(self, "monthly_recurring_cost", rec)
        if self.recurring_end_day is not None:
            stop = _day(f"{who}: recurring_end_day", self.recurring_end_day)
            if stop < start:
                raise InputError(f"{who}: recurring_end_day ({stop}) is before start_day ({start})")
            set_(self, "recurring_end_day", stop)
        for flag in ("milestone", "upfront"):
            if not isinstance(getattr(self, flag), bool):
                raise InputError(f"{who}: {flag} must be true or false")
        _text(f"{who}: milestone_name", self.milestone_name, empty=True)
        _text(f"{who}: workstream", self.workstream, empty=True)
        _text(f"{who}: source", self.source, empty=True)
        if self.cost_source not in ("task", "capacity_plan"):
            raise InputError(
                f"{who}: cost_source must be 'task' or 'capacity_plan' (got {self.cost_source!r})"
            )
        if self.cost_source == "capacity_plan" and (high > 0 or rec > 0):
            raise InputError(
                f"{who}: cost_source='capacity_plan' takes its money from the capacity plan, so "
                f"its own costs must be 0 (got cost_high={high:g}, "
                f"monthly_recurring_cost={rec:g}); price hires there, not twice"
            )

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


@dataclass(frozen=True)
class Roadmap:
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

    phases: tuple[Phase, ...]
    tasks: tuple[Task, ...]
    horizon_days: int | None = None
    dependency_overlap: OverlapPolicy = "error"

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        phases = tuple(self.phases)
        tasks = tuple(self.tasks)
        for i, p in enumerate(phases):
            if not isinstance(p, Phase):
                raise InputError(f"phases[{i}] must be a Phase (got {type(p).__name__})")
        for i, t in enumerate(tasks):
            if not isinstance(t, Task):
                raise InputError(f"tasks[{i}] must be a Task (got {type(t).__name__})")
        if not phases:
            raise InputError("phases must not be empty")
        set_(self, "phases", phases)
        set_(self, "tasks", tasks)
        if self.dependency_overlap not in ("error", "warn"):
            raise InputError(
                f"dependency_overlap must be 'error' or 'warn' (got {self.dependency_overlap!r})"
            )

        dup_p = _duplicates(p.id for p in phases)
        if dup_p:
            raise InputError(f"phases: duplicate id(s) {', '.join(map(repr, dup_p))}")
        dup_t = _duplicates(t.id for t in tasks)
        if dup_t:
            raise InputError(f"tasks: duplicate id(s) {', '.join(map(repr, dup_t))}")
        phase_ids = {p.id for p in phases}
        bad_phase = [f"{t.id!r} (phase {t.phase!r})" for t in tasks if t.phase not in phase_ids]
        if bad_phase:
            raise InputError(
                f"tasks: unknown phase for {', '.join(bad_phase)}; phases are "
                f"{', '.join(map(repr, (p.id for p in phases)))}"
            )
        by_id = {t.id: t for t in tasks}
        unknown = [f"{t.id!r} -> {d!r}" for t in tasks for d in t.depends_on if d not in by_id]
        if unknown:
            raise InputError(f"tasks: dependency on unknown task: {', '.join(unknown)}")
        cycle = _find_cycle(tasks)
        if cycle:
            raise InputError(f"tasks: dependency cycle {' -> '.join(cycle)}")
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
                raise InputError(msg)
            warnings.warn(msg, ScheduleWarning, stacklevel=3)

        last = max([p.end_day for p in phases] + [t.end_day for t in tasks])
        if self.horizon_days is None:
            set_(self, "horizon_days", last)
        else:
            horizon = _day("horizon_days", self.horizon_days)
            late = [f"{t.id!r} (day {t.end_day})" for t in tasks if t.end_day > horizon]
            late += [f"phase {p.id!r} (day {p.end_day})" for p in phases if p.end_day > horizon]
            if late:
                raise InputError(f"horizon_days ({horizon}) ends before {', '.join(late)}")
            if horizon <= 0:
                raise InputError("horizon_days must be > 0")
            set_(self, "horizon_days", horizon)

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
