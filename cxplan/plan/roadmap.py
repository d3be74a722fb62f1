"""The 90–180-day roadmap: phases and tasks as data, validation, monthly cash flows, chart data.

A roadmap is a set of :class:`Phase` windows and :class:`Task` rows (id, phase, start/end day,
dependencies, a low/base/high one-off cost, an optional monthly recurring cost, milestones). The
default template (:func:`default_roadmap`) is the three-phase plan of seed 001 (0–30, 30–90, 90–180
days) with its cost ranges.

Days and months
---------------
Days are 0-based offsets from the programme start; a task occupies ``[start_day, end_day)`` (end
exclusive: a 0–30 task lasts 30 days; a task with ``start_day == end_day`` is an instant, e.g. a
milestone or a lump payment on that day). Money is mapped to **months numbered from 1**: without a
``start_date`` a month is 30 days (day ``d`` is in month ``d // 30 + 1``, the seed's 30/90/180-day
phases fall on month boundaries); with a ``start_date`` months are calendar months (month 1 is the
one containing the start date, possibly partial). **Month 0 is "initial"**: the finance layer's
t = 0 (:func:`cxplan.economics.finance.break_even_month` reads index 0 as the upfront flow); only
tasks
flagged ``upfront=True`` put their one-off cost there.

Cash flows and double counting
------------------------------
:func:`cost_schedule` returns a :class:`Schedule`: a tidy table ``month, phase, task_id, category,
amount`` with ``amount`` a signed cash flow (costs negative, benefits positive), categories
``one_off`` (task costs spread evenly over the task's days), ``recurring`` (monthly amounts pro rata
by day), ``hiring`` and ``training`` (from the capacity plan, :func:`capacity_cash_flows`) and
``benefit``. Hiring and training money enters **only** from the capacity plan: tasks whose people
cost lives there are marked ``cost_source="capacity_plan"`` and must carry no cost of their own
(validated), so the same hires cannot be priced twice. ``Schedule.net_cash_flow()`` is the array the
finance layer takes (``finance.break_even_month(schedule.net_cash_flow())``).

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
   scale-up, bots/NLP, analytics dashboards, monthly RCA and NPS; break-even in 6–12 months.
.. [2] Seed 003: recruit in good time (the capacity plan feeds the hiring cost).
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
    "CATEGORIES",
    "SCHEDULE_COLUMNS",
    "BenefitRamp",
    "Phase",
    "Roadmap",
    "Schedule",
    "ScheduleWarning",
    "Task",
    "capacity_cash_flows",
    "cashflow_chart_data",
    "cost_schedule",
    "default_phases",
    "default_roadmap",
    "default_tasks",
    "gantt_data",
    "milestone_data",
]

Array = npt.NDArray[np.float64]
Scenario = Literal["low", "base", "high"]
CostSource = Literal["task", "capacity_plan"]
OverlapPolicy = Literal["error", "warn"]

#: Cash-flow categories of the tidy schedule, costs first.
CATEGORIES: tuple[str, ...] = ("one_off", "recurring", "hiring", "training", "benefit")
#: Columns of :attr:`Schedule.tidy`.
SCHEDULE_COLUMNS: tuple[str, ...] = (
    "month",
    "month_label",
    "phase",
    "task_id",
    "category",
    "amount",
)

_DAYS_PER_MONTH = 30
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
# the seed's template
# ---------------------------------------------------------------------------------------------


def default_phases() -> tuple[Phase, ...]:
    """Return the three phases of seed 001's 90–180-day roadmap: days 0–30, 30–90, 90–180.

    Examples
    --------
    >>> [(p.id, p.start_day, p.end_day) for p in default_phases()]
    [('P1', 0, 30), ('P2', 30, 90), ('P3', 90, 180)]
    """
    return (
        Phase("P1", "0–30 days: baseline and design", 0, 30),
        Phase("P2", "30–90 days: build and first cohort", 30, 90),
        Phase("P3", "90–180 days: scale and optimise", 90, 180),
    )


def default_tasks() -> tuple[Task, ...]:
    """Return the task template of seed 001's roadmap.

    Cost ranges: seed 001 gives one range per phase, which is split over the phase's tasks so that
    the tasks' low / high sum to the seed's range and base is its midpoint — phase 1 (discovery)
    $5k / $12.5k / $20k; phase 2 (licences and integrations) $10k / $42.5k / $75k. Phase 3 has no
    seed cost range: its tasks are priced at 0 and should be costed for the engagement. The
    first-cohort (25–50 % of target headcount) and scale-up tasks take their money from the
    capacity plan (``cost_source="capacity_plan"``). No recurring cost is assumed: per-seat
    licences belong to the cost model (seed 001: $75–200 per agent-month for the contact-centre
    platform).

    Examples
    --------
    >>> sum(t.cost_base for t in default_tasks() if t.phase == "P1")
    12500.0
    >>> sum(t.cost_high for t in default_tasks() if t.phase == "P2")
    75000.0
    """
    s = "seed 001"
    return (
        Task("T01", "Baseline measurement (volume, AHT, CSAT)", "P1", 0, 21,
             cost_low=2_000, cost_base=5_000, cost_high=8_000,
             workstream="measurement", source=s),
        Task("T02", "Define SLAs", "P1", 21, 30, depends_on=("T01",),
             cost_low=1_000, cost_base=2_500, cost_high=4_000, milestone=True,
             milestone_name="Baseline and SLAs signed off", workstream="governance", source=s),
        Task("T03", "Choose technology stack", "P1", 7, 30,
             cost_low=2_000, cost_base=5_000, cost_high=8_000, milestone=True,
             milestone_name="Technology stack chosen", workstream="technology", source=s),
        Task("T04", "Hire WFM / operations lead", "P1", 0, 30,
             workstream="people", source=f"{s} (salary in the cost model)"),
        Task("T05", "Implement contact routing and integrations", "P2", 30, 60,
             depends_on=("T03",), cost_low=4_000, cost_base=18_000, cost_high=30_000,
             workstream="technology", source=s),
        Task("T06", "Build knowledge base", "P2", 30, 60, depends_on=("T01",),
             cost_low=2_000, cost_base=9_500, cost_high=15_000,
             workstream="knowledge", source=s),
        Task("T07", "Hire and train first cohort (25–50 % of target)", "P2", 30, 90,
             depends_on=("T02",), milestone=True, milestone_name="First cohort on the floor",
             workstream="people", cost_source="capacity_plan", source=s),
        Task("T08", "Set up QA programme", "P2", 45, 90, depends_on=("T02",),
             workstream="quality", source=s),
        Task("T09", "Pilot automation (1–2 use cases)", "P2", 60, 90,
             depends_on=("T05", "T06"), cost_low=4_000, cost_base=15_000, cost_high=30_000,
             milestone=True, milestone_name="Automation pilot readout",
             workstream="automation", source=s),
        Task("T10", "Scale headcount", "P3", 90, 180, depends_on=("T07",),
             workstream="people", cost_source="capacity_plan", source=s),
        Task("T11", "Refine bots / NLP", "P3", 90, 150, depends_on=("T09",),
             workstream="automation", source=f"{s} (no cost range given)"),
        Task("T12", "Advanced analytics dashboards", "P3", 90, 135, depends_on=("T05",),
             workstream="analytics", source=f"{s} (no cost range given)"),
        Task("T13", "Monthly RCA and NPS programme", "P3", 90, 180, depends_on=("T08",),
             workstream="quality", source=f"{s} (no cost range given)"),
        Task("T14", "Break-even review", "P3", 180, 180,
             depends_on=("T10", "T11", "T12", "T13"), milestone=True,
             milestone_name="Break-even review (seed 001 expects 6–12 months)",
             workstream="governance", source=s),
    )  # fmt: skip


def default_roadmap() -> Roadmap:
    """Return seed 001's 90–180-day roadmap: :func:`default_phases` and :func:`default_tasks`.

    Examples
    --------
    >>> r = default_roadmap()
    >>> r.horizon_days, len(r.tasks)
    (180, 14)
    """
    return Roadmap(default_phases(), default_tasks())


# ---------------------------------------------------------------------------------------------
# calendar: day -> month
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Calendar:
    """Maps days ``0 … n_days−1`` to months ``1 … months`` (month 0 is "initial")."""

    months: int
    month_of_day: npt.NDArray[np.int64]
    days_in_month: Array  # per day: length of its month
    labels: tuple[str, ...]  # months + 1 labels

    @classmethod
    def build(cls, min_days: int, months: int | None, start_date: Any) -> _Calendar:
        if start_date is None:
            need = max(1, -(-min_days // _DAYS_PER_MONTH))
            m = need if months is None else months
            if m < need:
                raise InputError(
                    f"horizon_months ({m}) must cover day {min_days - 1} (needs {need} months)"
                )
            n_days = m * _DAYS_PER_MONTH
            month_of_day = np.arange(n_days) // _DAYS_PER_MONTH + 1
            dim = np.full(n_days, float(_DAYS_PER_MONTH))
            labels = ("initial", *(f"M{i}" for i in range(1, m + 1)))
            return cls(m, month_of_day, dim, labels)
        try:
            start = pd.Timestamp(start_date).normalize()
        except (TypeError, ValueError):
            raise InputError(f"start_date must be a date (got {start_date!r})") from None
        first = start.to_period("M")
        last_needed = (start + pd.Timedelta(days=max(min_days - 1, 0))).to_period("M")
        need = (last_needed - first).n + 1
        m = need if months is None else months
        if m < need:
            raise InputError(
                f"horizon_months ({m}) must cover day {min_days - 1} (needs {need} months)"
            )
        end = (first + m).to_timestamp()
        dates = pd.date_range(start, end - pd.Timedelta(days=1), freq="D")
        periods = dates.to_period("M")
        month_of_day = (
            (periods.year - first.year) * 12 + (periods.month - first.month) + 1
        ).to_numpy(dtype=np.int64)
        dim = dates.days_in_month.to_numpy(dtype=np.float64)
        labels = ("initial", *(str(first + i) for i in range(m)))
        return cls(m, month_of_day, dim, labels)

    @property
    def n_days(self) -> int:
        return int(self.month_of_day.size)


def _spread(
    keys: npt.NDArray[np.int64],
    starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
    per_day: Array,
    cal: _Calendar,
    *,
    per_month: bool,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], Array]:
    """Spread amounts over day ranges and sum by (key, month), vectorized.

    Each item ``i`` puts ``per_day[i]`` (or ``per_day[i] / days_in_month`` with ``per_month``) on
    every day in ``[starts[i], ends[i])``. Returns ``(key, month, amount)`` of the non-empty groups.
    """
    lengths = np.maximum(ends - starts, 0)
    total = int(lengths.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    item = np.repeat(np.arange(lengths.size), lengths)
    offset = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    day = starts[item] + offset
    amount = per_day[item] / (cal.days_in_month[day] if per_month else 1.0)
    month = cal.month_of_day[day]
    n_m = cal.months + 1
    flat = np.asarray(np.bincount(keys[item] * n_m + month, weights=amount), dtype=np.float64)
    nz = np.flatnonzero(np.bincount(keys[item] * n_m + month))
    return (nz // n_m).astype(np.int64), (nz % n_m).astype(np.int64), flat[nz]


# ---------------------------------------------------------------------------------------------
# cash flows
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenefitRamp:
    """Monthly benefit ramping linearly to a run rate.

    Parameters
    ----------
    monthly_benefit : float
        Full monthly benefit (≥ 0), money per month.
    start_month : int
        First month with benefit (≥ 1).
    ramp_months : int
        Months to reach the full benefit (0 = full at once); month ``start_month + k`` gets
        ``min(1, (k + 1) / ramp_months)`` of it.

    Examples
    --------
    >>> BenefitRamp(1000, start_month=3, ramp_months=2).amounts(5).tolist()
    [0.0, 0.0, 500.0, 1000.0, 1000.0]
    """

    monthly_benefit: float
    start_month: int = 1
    ramp_months: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "monthly_benefit", _money("benefit.monthly_benefit", self.monthly_benefit)
        )
        object.__setattr__(
            self,
            "start_month",
            int(as_array("benefit.start_month", self.start_month, low=1, integer=True)),
        )
        object.__setattr__(
            self,
            "ramp_months",
            int(as_array("benefit.ramp_months", self.ramp_months, low=0, integer=True)),
        )

    def amounts(self, months: int) -> Array:
        """Benefit in months ``1 … months``."""
        k = np.arange(1, months + 1) - self.start_month
        share = np.where(
            k < 0, 0.0, np.minimum(1.0, (k + 1) / self.ramp_months) if self.ramp_months else 1.0
        )
        return self.monthly_benefit * share


def _tidy(rows: dict[str, Any], cal: _Calendar) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["month", "phase", "task_id", "category", "amount"])
    df["month"] = df["month"].astype(np.int64)
    df.insert(1, "month_label", np.asarray(cal.labels, dtype=object)[df["month"].to_numpy()])
    df["amount"] = df["amount"].astype(np.float64)
    return df


def capacity_cash_flows(
    plan: pd.DataFrame,
    *,
    cost_per_hire: float,
    trainee_pay_per_week: float,
    cost_per_class: float = 0.0,
    start_day: int = 0,
    start_date: Any = None,
    horizon_months: int | None = None,
    roadmap: Roadmap | None = None,
) -> pd.DataFrame:
    """Monthly hiring and training cash flows from a weekly capacity plan.

    Parameters
    ----------
    plan : pandas.DataFrame
        Output of :func:`cxplan.workforce.capacity.simulate_capacity` (needs ``week``, ``hires``,
        ``headcount_training``; ``classes`` when ``cost_per_class`` > 0).
    cost_per_hire : float
        One-off cost per hire (recruiting, onboarding), paid on the first day of the class's week.
    trainee_pay_per_week : float
        Pay of one trainee for one week (trainees are paid, not productive), spread over the
        week's 7 days.
    cost_per_class : float
        Fixed cost per class (trainer, room), paid on the first day of its week.
    start_day : int
        Roadmap day on which plan week 0 starts (≥ 0).
    start_date : date-like, optional
        Programme start date (day 0): calendar months; default 30-day months.
    horizon_months : int, optional
        Months of the schedule (default: up to the plan's last day).
    roadmap : Roadmap, optional
        Assigns each amount to the phase whose window holds its day (else ``"unphased"``);
        without a roadmap ``phase`` is ``"unphased"``.

    Returns
    -------
    pandas.DataFrame
        Tidy rows :data:`SCHEDULE_COLUMNS` with categories ``hiring`` and ``training``, amounts
        negative (cash out), ``task_id`` empty.

    Notes
    -----
    Week ``w`` covers days ``start_day + 7w … start_day + 7w + 6``. Hiring cost of week ``w`` =
    ``hires_w × cost_per_hire + classes_w × cost_per_class`` on its first day; training pay =
    ``headcount_training_w × trainee_pay_per_week / 7`` per day. Each total is preserved exactly
    across month boundaries.

    Examples
    --------
    >>> plan = pd.DataFrame({"week": [0, 1, 2, 3, 4], "hires": [3.0, 0, 0, 0, 0],
    ...                      "headcount_training": [3.0, 3.0, 0, 0, 0]})
    >>> f = capacity_cash_flows(plan, cost_per_hire=1000, trainee_pay_per_week=700)
    >>> f.groupby("category")["amount"].sum().to_dict()
    {'hiring': -3000.0, 'training': -4200.0}
    """
    if not isinstance(plan, pd.DataFrame):
        raise InputError(f"plan must be a capacity-plan DataFrame (got {type(plan).__name__})")
    need = ["hires", "headcount_training"] + (["classes"] if cost_per_class else [])
    missing = [c for c in need if c not in plan.columns]
    if missing:
        raise InputError(
            f"plan is missing column(s) {', '.join(missing)} (simulate_capacity output)"
        )
    hire_cost = _money("cost_per_hire", cost_per_hire)
    pay = _money("trainee_pay_per_week", trainee_pay_per_week)
    class_cost = _money("cost_per_class", cost_per_class)
    day0 = _day("start_day", start_day)
    hires = as_array("plan.hires", plan["hires"].to_numpy(dtype=float), low=0.0)
    trainees = as_array(
        "plan.headcount_training", plan["headcount_training"].to_numpy(dtype=float), low=0.0
    )
    classes = (
        as_array("plan.classes", plan["classes"].to_numpy(dtype=float), low=0.0)
        if class_cost
        else np.zeros_like(hires)
    )
    weeks = hires.size
    last_day = day0 + 7 * weeks
    if roadmap is not None:
        last_day = max(last_day, roadmap.horizon)
    cal = _Calendar.build(last_day, horizon_months, start_date)
    week_day = day0 + 7 * np.arange(weeks, dtype=np.int64)
    # hiring: instant on the week's first day
    h_key, h_month, h_amt = _spread(
        np.arange(weeks, dtype=np.int64),
        week_day,
        week_day + 1,
        hires * hire_cost + classes * class_cost,
        cal,
        per_month=False,
    )
    t_key, t_month, t_amt = _spread(
        np.arange(weeks, dtype=np.int64),
        week_day,
        week_day + 7,
        trainees * pay / 7.0,
        cal,
        per_month=False,
    )
    phase_of = (
        roadmap.phase_of_day
        if roadmap is not None
        else (lambda d: np.full(np.shape(d), _UNPHASED, dtype=object))
    )
    # phase by the week's first day (training days of a week stay with the week's phase)
    frame = pd.DataFrame(
        {
            "month": np.r_[h_month, t_month],
            "phase": np.r_[phase_of(week_day[h_key]), phase_of(week_day[t_key])],
            "task_id": "",
            "category": ["hiring"] * h_key.size + ["training"] * t_key.size,
            "amount": -np.r_[h_amt, t_amt],
        }
    )
    frame = frame[frame["amount"] != 0]
    grouped = frame.groupby(["month", "phase", "task_id", "category"], as_index=False, sort=True)[
        "amount"
    ].sum()
    return _tidy({c: grouped[c].to_numpy() for c in grouped.columns}, cal)


@dataclass(frozen=True, eq=False)
class Schedule:
    """Monthly cash-flow schedule (output of :func:`cost_schedule`).

    Attributes
    ----------
    tidy : pandas.DataFrame
        Columns :data:`SCHEDULE_COLUMNS`; ``amount`` signed (costs negative, benefits positive);
        ``month`` 0 = initial (t = 0), 1 … ``horizon_months``.
    horizon_months : int
        Months after month 0.
    month_labels : tuple of str
        ``"initial"`` then ``"M1"…`` (30-day months) or ``"2025-01"…`` (calendar months).
    phase_ids : tuple of str
        Phase ids in roadmap order (for :meth:`phase_totals`).
    """

    tidy: pd.DataFrame
    horizon_months: int
    month_labels: tuple[str, ...]
    phase_ids: tuple[str, ...]

    def wide(self) -> pd.DataFrame:
        """Return one row per month 0 … M.

        Columns: ``month_label``, one per category (signed), ``costs`` (positive), ``benefits``,
        ``net`` and ``cumulative`` (running total of ``net``).
        """
        months = np.arange(self.horizon_months + 1)
        table = self.tidy.pivot_table(
            index="month", columns="category", values="amount", aggfunc="sum", fill_value=0.0
        ).reindex(index=months, columns=list(CATEGORIES), fill_value=0.0)
        table.columns.name = None
        cost_cols = [c for c in CATEGORIES if c != "benefit"]
        table["costs"] = -table[cost_cols].sum(axis=1)
        table["benefits"] = table["benefit"]
        table["net"] = table["benefits"] - table["costs"]
        table["cumulative"] = table["net"].cumsum()
        table.insert(0, "month_label", list(self.month_labels))
        table.index.name = "month"
        return table

    def net_cash_flow(self) -> Array:
        """Net cash flow per month, index 0 = initial (t = 0): the finance layer's input."""
        out = np.zeros(self.horizon_months + 1)
        np.add.at(out, self.tidy["month"].to_numpy(), self.tidy["amount"].to_numpy())
        return out

    def phase_totals(self) -> pd.Series:
        """Total cost (positive money) per phase, in roadmap order, then ``"unphased"``."""
        costs = self.tidy[self.tidy["category"] != "benefit"]
        totals = -costs.groupby("phase")["amount"].sum()
        order = [*self.phase_ids, *sorted(set(totals.index) - set(self.phase_ids))]
        return totals.reindex(order, fill_value=0.0).rename("cost")

    def total_cost(self) -> float:
        """All costs over the horizon (positive money)."""
        return float(-self.tidy.loc[self.tidy["category"] != "benefit", "amount"].sum())


def cost_schedule(
    roadmap: Roadmap,
    *,
    scenario: Scenario = "base",
    horizon_months: int | None = None,
    start_date: Any = None,
    capacity_plan: pd.DataFrame | None = None,
    cost_per_hire: float = 0.0,
    trainee_pay_per_week: float = 0.0,
    cost_per_class: float = 0.0,
    capacity_start_day: int = 0,
    benefit: BenefitRamp | Any = None,
) -> Schedule:
    """Monthly cost (and benefit) schedule of a roadmap.

    Parameters
    ----------
    roadmap : Roadmap
        Phases and tasks.
    scenario : {"low", "base", "high"}
        Which one-off cost of each task to use.
    horizon_months : int, optional
        Months to schedule (default: the roadmap's days, or the capacity plan's if longer). Use
        12+ to see break-even (seed 001: 6–12 months).
    start_date : date-like, optional
        Programme start (day 0) for calendar months; default 30-day months.
    capacity_plan : pandas.DataFrame, optional
        :func:`cxplan.workforce.capacity.simulate_capacity` output; its hiring and training money
        is added
        through :func:`capacity_cash_flows` with ``cost_per_hire``, ``trainee_pay_per_week``,
        ``cost_per_class`` and ``capacity_start_day`` (the roadmap day of plan week 0).
    cost_per_hire, trainee_pay_per_week, cost_per_class : float
        Unit costs for the capacity plan's money.
    capacity_start_day : int
        Roadmap day on which capacity-plan week 0 starts.
    benefit : BenefitRamp or array_like, optional
        Monthly benefit: a ramp, or ``horizon_months`` amounts for months 1 … M.

    Returns
    -------
    Schedule

    Raises
    ------
    InputError
        Bad scenario, a horizon shorter than the roadmap or capacity plan, a benefit of the wrong
        length.

    Notes
    -----
    One-off cost ``c`` of a task over ``[s, e)`` puts ``c / (e − s)`` on each day (all of it on
    day ``s`` when ``e = s``; month 0 when ``upfront``); recurring cost ``r`` per month puts
    ``r / days_in_month`` on each day from ``s`` to ``recurring_end_day`` (default the horizon's
    end); days are summed into months. Totals are preserved exactly: the sum of the schedule's
    costs equals Σ task costs + recurring + capacity money, and equals the sum of
    :meth:`Schedule.phase_totals`.

    Examples
    --------
    >>> s = cost_schedule(default_roadmap(), horizon_months=12,
    ...                   benefit=BenefitRamp(20_000, start_month=4, ramp_months=3))
    >>> s.total_cost()
    55000.0
    >>> s.phase_totals().to_dict()
    {'P1': 12500.0, 'P2': 42500.0, 'P3': 0.0}
    >>> s.wide().loc[6:7, "cumulative"].round().tolist()  # back in the black in month 7
    [-15000.0, 5000.0]
    """
    if not isinstance(roadmap, Roadmap):
        raise InputError(f"roadmap must be a Roadmap (got {type(roadmap).__name__})")
    if scenario not in ("low", "base", "high"):
        raise InputError(f"scenario must be 'low', 'base' or 'high' (got {scenario!r})")
    months_arg = (
        None
        if horizon_months is None
        else int(as_array("horizon_months", horizon_months, low=1, integer=True))
    )
    cap_day0 = _day("capacity_start_day", capacity_start_day)
    min_days = roadmap.horizon
    if capacity_plan is not None:
        min_days = max(min_days, cap_day0 + 7 * len(capacity_plan))
    cal = _Calendar.build(min_days, months_arg, start_date)

    tasks = roadmap.tasks
    n = len(tasks)
    keys = np.arange(n, dtype=np.int64)
    starts = np.array([t.start_day for t in tasks], dtype=np.int64)
    ends = np.array([t.end_day for t in tasks], dtype=np.int64)
    cost = np.array([t.cost(scenario) for t in tasks], dtype=np.float64)
    upfront = np.array([t.upfront for t in tasks], dtype=bool)
    instant = ends == starts
    # an instant on the horizon's closing day (e.g. a day-180 review) is booked on its last day
    o_start = np.where(instant, np.minimum(starts, cal.n_days - 1), starts)
    o_end = np.where(instant, o_start + 1, ends)
    per_day = np.where(upfront, 0.0, cost / (o_end - o_start))
    o_key, o_month, o_amt = _spread(keys, o_start, o_end, per_day, cal, per_month=False)
    rec = np.array([t.monthly_recurring_cost for t in tasks], dtype=np.float64)
    rec_end = np.array(
        [cal.n_days if t.recurring_end_day is None else t.recurring_end_day for t in tasks],
        dtype=np.int64,
    )
    r_key, r_month, r_amt = _spread(
        keys, starts, np.minimum(rec_end, cal.n_days), rec, cal, per_month=True
    )
    up_key = np.flatnonzero(upfront & (cost > 0))
    ids = np.array([t.id for t in tasks], dtype=object)
    phases = np.array([t.phase for t in tasks], dtype=object)
    parts: list[pd.DataFrame] = [
        pd.DataFrame(
            {
                "month": np.r_[o_month, np.zeros(up_key.size, dtype=np.int64), r_month],
                "phase": np.r_[phases[o_key], phases[up_key], phases[r_key]],
                "task_id": np.r_[ids[o_key], ids[up_key], ids[r_key]],
                "category": ["one_off"] * (o_key.size + up_key.size) + ["recurring"] * r_key.size,
                "amount": -np.r_[o_amt, cost[up_key], r_amt],
            }
        )
    ]
    if capacity_plan is not None:
        cap = capacity_cash_flows(
            capacity_plan,
            cost_per_hire=cost_per_hire,
            trainee_pay_per_week=trainee_pay_per_week,
            cost_per_class=cost_per_class,
            start_day=cap_day0,
            start_date=start_date,
            horizon_months=cal.months,
            roadmap=roadmap,
        )
        parts.append(cap.drop(columns="month_label"))
    if benefit is not None:
        if isinstance(benefit, BenefitRamp):
            amounts = benefit.amounts(cal.months)
        else:
            amounts = as_array("benefit", benefit, low=0.0)
            if amounts.shape != (cal.months,):
                raise InputError(
                    f"benefit must have one amount per month 1…{cal.months} "
                    f"(got shape {amounts.shape})"
                )
        m = np.flatnonzero(amounts) + 1
        parts.append(
            pd.DataFrame(
                {
                    "month": m,
                    "phase": "",
                    "task_id": "",
                    "category": "benefit",
                    "amount": amounts[m - 1],
                }
            )
        )
    nonempty = [p for p in parts if len(p)]
    frame = pd.concat(nonempty, ignore_index=True) if nonempty else parts[0]
    frame = frame[frame["amount"] != 0]
    order = {c: i for i, c in enumerate(CATEGORIES)}
    frame = frame.assign(_cat=frame["category"].map(order)).sort_values(
        ["month", "_cat", "phase", "task_id"], kind="stable"
    )
    tidy = _tidy(
        {c: frame[c].to_numpy() for c in ("month", "phase", "task_id", "category", "amount")}, cal
    )
    return Schedule(
        tidy=tidy.reset_index(drop=True),
        horizon_months=cal.months,
        month_labels=cal.labels,
        phase_ids=tuple(p.id for p in roadmap.phases),
    )


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
    >>> g = gantt_data(default_roadmap(), start_date="2025-01-06")
    >>> g.loc[0, "task_id"], int(g.loc[0, "start_day"]), int(g.loc[0, "end_day"])
    ('T01', 0, 21)
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
    >>> milestone_data(default_roadmap())[["task_id", "day"]].values.tolist()[:2]
    [['T02', 30], ['T03', 30]]
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


def cashflow_chart_data(schedule: Schedule) -> pd.DataFrame:
    """Long table for the cost / benefit / cumulative cash-flow chart.

    Returns
    -------
    pandas.DataFrame
        ``month, month_label, series, value`` with series ``costs`` (positive), ``benefits``,
        ``net`` and ``cumulative`` (the cumulative net cash-flow line).

    Examples
    --------
    >>> s = cost_schedule(default_roadmap())
    >>> d = cashflow_chart_data(s)
    >>> float(d[d.series == "cumulative"]["value"].iloc[-1])
    -55000.0
    """
    if not isinstance(schedule, Schedule):
        raise InputError(f"schedule must be a Schedule (got {type(schedule).__name__})")
    wide = schedule.wide().reset_index()
    long = wide.melt(
        id_vars=["month", "month_label"],
        value_vars=["costs", "benefits", "net", "cumulative"],
        var_name="series",
        value_name="value",
    )
    return long
