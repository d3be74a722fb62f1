"""From interval requirements to a weekly shift schedule, and what it costs against the curve.

:func:`schedule_week` turns one week of required agents per interval (the ``agents`` column of
:func:`cxplan.workforce.staffing.staff_intervals` or :func:`~cxplan.workforce.staffing.combine`)
into whole shifts built from templates (:class:`cxplan.config.shifts.ShiftsParams`): how many
agents start each template at each allowed time on which days, with their unpaid lunches placed,
at the fewest paid hours (or the lowest cost). :func:`compare_to_curve` sets the schedule's paid
hours against "staffing to the curve", the figure every cost in cxplan used so far.

Shrinkage
---------
One rule, the one the costs use: every paid hour at work yields ``1 − shrinkage`` on-phone hours,
so ``on-phone agents = agents at work × (1 − shrinkage)`` in each interval, where ``shrinkage``
is the model's paid shrinkage (``RegionModel.paid_shrinkage``: breaks, training, absence, seed
001). Equivalently the requirement is uplifted to ``agents ÷ (1 − shrinkage)`` agents at work
(not rounded per interval: the schedule's whole agents cover the uplifted figure). Paid breaks
(``break_minutes``) are part of that shrinkage and are not subtracted again; the unpaid lunch is
not paid time, so it is placed explicitly and nobody is on the phone during it. With this rule
the schedule and the curve differ only by the shape of the shifts:
``schedule paid hours = curve paid hours ÷ efficiency`` under hard coverage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from pydantic import ValidationError

from cxplan._validation import as_array, as_scalar
from cxplan.config.shifts import ShiftsParams, ShiftTemplateParams, format_clock
from cxplan.config.yamlfile import format_validation_error
from cxplan.errors import InputError
from cxplan.workforce.cover import CoverProblem, CoverSolution, solve_cover
from cxplan.workforce.staffing import infer_interval_s

__all__ = [
    "DAY_NAMES",
    "ScheduleResult",
    "WeekModel",
    "build_week_model",
    "compare_to_curve",
    "schedule_week",
    "select_week",
]

#: Day labels, Monday first (``Timestamp.day_of_week`` order).
DAY_NAMES: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

_WEEK_MINUTES = 7 * 1440
FloatArray = npt.NDArray[np.float64]


# ---------------------------------------------------------------------------------------------
# input checks
# ---------------------------------------------------------------------------------------------


def _params(shifts_params: ShiftsParams | Mapping[str, Any]) -> ShiftsParams:
    if isinstance(shifts_params, ShiftsParams):
        return shifts_params
    if not isinstance(shifts_params, Mapping):
        raise InputError(
            "shifts_params must be a ShiftsParams or a mapping of the shifts section "
            f"(got {type(shifts_params).__name__})"
        )
    try:
        return ShiftsParams.model_validate(dict(shifts_params))
    except ValidationError as exc:
        lines = format_validation_error("shifts", exc, model=ShiftsParams)
        raise InputError(
            "invalid shifts parameters: " + "; ".join(s.removeprefix("shifts:1: ") for s in lines)
        ) from None


def _interval_s(index: pd.DatetimeIndex) -> float:
    try:
        return infer_interval_s(index)
    except InputError as exc:
        raise InputError(str(exc).replace("volume", "requirement")) from None


def _week_grid(requirement: pd.Series) -> tuple[FloatArray, int, pd.DatetimeIndex]:
    """Check one week of requirement; return values, interval minutes and the index."""
    if not isinstance(requirement, pd.Series):
        raise InputError(
            "requirement must be a pandas Series of agents per interval "
            f"(got {type(requirement).__name__}); e.g. staff_intervals(...)['agents']"
        )
    if len(requirement) == 0:
        raise InputError("requirement is empty: give one week of intervals")
    index = requirement.index
    if not isinstance(index, pd.DatetimeIndex):
        raise InputError("requirement needs a DatetimeIndex (one week of intervals)")
    step_s = _interval_s(index)
    if step_s % 60 or 86_400 % step_s:
        raise InputError(
            f"requirement intervals must be whole minutes that divide a day, e.g. 15, 30 or 60 "
            f"(got {step_s:g} s)"
        )
    step = int(step_s // 60)
    per_day = 1440 // step
    first = index[0]
    if (first.hour, first.minute, first.second, first.microsecond) != (0, 0, 0, 0):
        raise InputError(
            f"requirement must start at midnight (00:00) so that start times are clock times "
            f"(got {first})"
        )
    if len(requirement) != 7 * per_day:
        raise InputError(
            f"requirement must cover exactly one week: 7 days × {per_day} intervals of {step} "
            f"minutes = {7 * per_day} (got {len(requirement)}); select_week() picks one week "
            "of a longer horizon"
        )
    try:
        raw = requirement.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise InputError(
            f"requirement must hold numbers of agents (got dtype {requirement.dtype})"
        ) from None
    return as_array("requirement", raw, low=0.0), step, index


def select_week(requirement: pd.Series, week: int | Literal["peak"] = 0) -> pd.Series:
    """One week of a longer requirement, from a midnight.

    Parameters
    ----------
    requirement : pandas.Series
        Agents per interval over whole weeks (DatetimeIndex starting at 00:00), e.g.
        ``RegionModel.combined["agents"]``.
    week : int or "peak"
        Week number from 0, or ``"peak"`` for the week with the most required agent-hours.

    Returns
    -------
    pandas.Series
        The 7 days of that week, index unchanged.

    Examples
    --------
    >>> idx = pd.date_range("2027-01-04", periods=2 * 7 * 24, freq="h")
    >>> s = pd.Series([1.0] * 168 + [2.0] * 168, index=idx)
    >>> select_week(s, "peak").index[0]
    Timestamp('2027-01-11 00:00:00')
    """
    if not isinstance(requirement, pd.Series) or not isinstance(
        requirement.index, pd.DatetimeIndex
    ):
        raise InputError("requirement must be a pandas Series with a DatetimeIndex")
    if len(requirement) < 2:
        raise InputError("requirement needs at least one week of intervals")
    per_week = round(7 * 86_400 / _interval_s(requirement.index))
    weeks = len(requirement) // per_week
    if weeks == 0:
        raise InputError(
            f"requirement covers less than a week ({len(requirement)} of {per_week} intervals)"
        )
    if week == "peak":
        values = requirement.to_numpy(dtype=float)[: weeks * per_week].reshape(weeks, per_week)
        k = int(np.argmax(values.sum(axis=1)))
    else:
        k = int(as_scalar("week", week, low=0.0, high=weeks - 1, integer=True, allow_bool=False))
    return requirement.iloc[k * per_week : (k + 1) * per_week]


# ---------------------------------------------------------------------------------------------
# the model
# ---------------------------------------------------------------------------------------------


def _minutes_per_interval(start: int, length: int, n: int, step: int) -> FloatArray:
    """Minutes of ``[start, start + length)`` (cyclic over the week) inside each interval."""
    mask = np.zeros(_WEEK_MINUTES)
    idx = (start + np.arange(length)) % _WEEK_MINUTES
    mask[idx] = 1.0
    return np.asarray(mask.reshape(n, step).sum(axis=1), dtype=np.float64)


def _lunch_offsets(t: ShiftTemplateParams, step: int) -> range:
    """Lunch start offsets tried, minutes after the shift start: every interval in the window."""
    if not t.lunch_minutes or t.lunch_window_minutes is None:
        return range(0)
    earliest, latest = t.lunch_window_minutes
    return range(earliest, latest + 1, step)


def _days_label(first: int, days_on: int, names: tuple[str, ...]) -> str:
    if days_on == 7:
        return "every day"
    if days_on == 1:
        return names[first]
    return f"{names[first]}–{names[(first + days_on - 1) % 7]}"


@dataclass(frozen=True)
class WeekModel:
    """A weekly schedule as an integer covering program (see :func:`build_week_model`).

    Attributes
    ----------
    problem : CoverProblem
        Variables: one per tour (template, start, first working day), then one per lunch
        placement (template, start, day, lunch start). Coverage is in minutes at work per
        interval; the requirement is ``agents × interval minutes ÷ (1 − shrinkage)``.
    tours : pandas.DataFrame
        One row per tour variable: ``template``, ``start``, ``first_day``, ``days``,
        ``paid_hours_per_agent`` (per week), ``cost_per_agent``.
    lunches : pandas.DataFrame
        One row per lunch variable: ``template``, ``start``, ``day``, ``lunch_start``.
    at_work : scipy.sparse.csr_array
        Minutes at work in each interval per unit of each variable (lunch variables negative).
    step_minutes : int
        Interval length, minutes.
    shrinkage : float
        Paid shrinkage applied (on-phone = at work × (1 − shrinkage)).
    """

    problem: CoverProblem
    tours: pd.DataFrame
    lunches: pd.DataFrame
    at_work: sp.csr_array
    step_minutes: int
    shrinkage: float


def build_week_model(
    requirement: pd.Series,
    shifts_params: ShiftsParams | Mapping[str, Any],
    *,
    shrinkage: float = 0.0,
) -> WeekModel:
    """Build the covering program of :func:`schedule_week` without solving it.

    Parameters are those of :func:`schedule_week`. Useful to inspect the model's size or to
    solve it with another solver (``bench/bench_shifts.py``).

    Returns
    -------
    WeekModel
        The integer program and the tables that name its variables.
    """
    params = _params(shifts_params)
    req, step, index = _week_grid(requirement)
    s = as_scalar("shrinkage", shrinkage, low=0.0, high=1.0, high_inclusive=False)
    for t in params.templates:
        if t.break_minutes > s * t.paid_minutes + 1e-9:
            raise InputError(
                f"template {t.name!r}: its paid breaks ({t.break_minutes} min) are "
                f"{t.break_minutes / t.paid_minutes:.1%} of its paid time but shrinkage is "
                f"{s:.1%}; shrinkage counts the paid breaks (seed 001), so give at least that "
                "shrinkage or fewer break_minutes"
            )
    n = req.size
    per_day = 1440 // step
    day0 = int(index[0].day_of_week)
    names = tuple(DAY_NAMES[(day0 + d) % 7] for d in range(7))
    labels = [f"{names[i // per_day]} {format_clock((i % per_day) * step)}" for i in range(n)]
    on_phone = 1.0 - s

    rows: list[npt.NDArray[np.int64]] = []
    cols: list[npt.NDArray[np.int64]] = []
    vals: list[FloatArray] = []
    tour_rows: list[dict[str, Any]] = []
    lunch_rows: list[dict[str, Any]] = []
    link_tours: list[tuple[int, list[int]]] = []  # (link row, tour columns) per (t, s, day)
    link_lunch: list[list[int]] = []
    limit_rows: list[tuple[int, list[int]]] = []

    def add(column: int, vector: FloatArray, sign: float) -> None:
        nz = np.flatnonzero(vector)
        rows.append(nz)
        cols.append(np.full(nz.size, column))
        vals.append(sign * vector[nz])

    col = 0
    starts: list[tuple[ShiftTemplateParams, int, list[int]]] = []  # (template, start, tours)
    for ti, t in enumerate(params.templates):
        price = t.cost_per_paid_hour if t.cost_per_paid_hour is not None else 1.0
        paid_week = t.days_on * t.paid_minutes / 60.0
        template_cols: list[int] = []
        for start in t.start_minutes:
            work = _minutes_per_interval(start, t.length_minutes, n, step)
            tour_cols: list[int] = []
            # with seven days on every first day gives the same tour: keep one
            for first in range(7) if t.days_on < 7 else range(1):
                days = [(first + j) % 7 for j in range(t.days_on)]
                add(col, np.sum([np.roll(work, d * per_day) for d in days], axis=0), 1.0)
                tour_rows.append(
                    {
                        "template": t.name,
                        "start": format_clock(start),
                        "first_day": names[first],
                        "days": _days_label(first, t.days_on, names),
                        "paid_hours_per_agent": paid_week,
                        "cost_per_agent": paid_week * price,
                        "_template": ti,
                        "_days": tuple(days),
                    }
                )
                tour_cols.append(col)
                col += 1
            template_cols.extend(tour_cols)
            starts.append((t, start, tour_cols))
        if t.max_agents is not None:
            limit_rows.append((t.max_agents, template_cols))
    # lunch placements after every tour, so that tour variables come first
    for t, start, tour_cols in starts:
        if not t.lunch_minutes:
            continue
        offsets = _lunch_offsets(t, step)
        vectors = [_minutes_per_interval(start + o, t.lunch_minutes, n, step) for o in offsets]
        for d in range(7):
            working = [c for c in tour_cols if d in tour_rows[c]["_days"]]
            lunch_cols: list[int] = []
            for o, vec in zip(offsets, vectors, strict=True):
                add(col, np.roll(vec, d * per_day), -1.0)
                lunch_rows.append(
                    {
                        "template": t.name,
                        "start": format_clock(start),
                        "day": names[d],
                        "lunch_start": format_clock(start + o),
                    }
                )
                lunch_cols.append(col)
                col += 1
            link_tours.append((len(link_tours), working))
            link_lunch.append(lunch_cols)

    k = col
    at_work = sp.csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, k)
    )
    n_tours = len(tour_rows)
    cost = np.zeros(k)
    cost[:n_tours] = [row["cost_per_agent"] for row in tour_rows]
    need = req * step / on_phone  # minutes at work required per interval
    # Finite count domains for CP-SAT. An agent's net minutes at work are >= 0 in every interval
    # and >= 1 wherever they are positive; on each day the most used of a start's L lunch options
    # holds >= 1/L of its agents. So with more than L * (max need + 1) agents on one tour, one
    # agent (and one lunch of that option each working day) can go without uncovering any
    # interval or raising the cost: a safe bound.
    top = float(np.ceil(need.max() - 1e-9))
    upper = np.zeros(k)
    for t, _start, tour_cols in starts:
        upper[tour_cols] = max(len(_lunch_offsets(t, step)), 1) * (top + 1.0)
    for (_, working), lunch_cols in zip(link_tours, link_lunch, strict=True):
        upper[lunch_cols] = upper[working].sum()
    equalities = None
    if link_tours:
        er: list[int] = []
        ec: list[int] = []
        ev: list[float] = []
        for (r, working), lunch_cols in zip(link_tours, link_lunch, strict=True):
            er += [r] * (len(working) + len(lunch_cols))
            ec += working + lunch_cols
            ev += [-1.0] * len(working) + [1.0] * len(lunch_cols)
        eq = sp.csr_array((ev, (er, ec)), shape=(len(link_tours), k))
        equalities = (eq, np.zeros(len(link_tours)))
    limits = None
    if limit_rows:
        lr = [i for i, (_, cs) in enumerate(limit_rows) for _ in cs]
        lc = [c for _, cs in limit_rows for c in cs]
        g = sp.csr_array((np.ones(len(lc)), (lr, lc)), shape=(len(limit_rows), k))
        limits = (g, np.array([float(cap) for cap, _ in limit_rows]))
    under = None
    if params.coverage == "soft":
        # a minute at work short is (1 − shrinkage) ÷ 60 on-phone agent-hours short
        under = float(params.under_penalty_per_agent_hour or 0.0) * on_phone / 60.0
    problem = CoverProblem(
        coverage=at_work,
        requirement=need,
        cost=cost,
        under_penalty=under,
        upper=upper,
        equalities=equalities,
        limits=limits,
        labels=labels,
    )
    tours = pd.DataFrame(tour_rows).drop(columns=["_template", "_days"])
    lunches = pd.DataFrame(lunch_rows, columns=["template", "start", "day", "lunch_start"])
    return WeekModel(problem, tours, lunches, at_work, step, s)


# ---------------------------------------------------------------------------------------------
# the result
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleResult:
    """A weekly schedule and its figures (see :func:`schedule_week`).

    Attributes
    ----------
    schedule : pandas.DataFrame
        One row per tour worked: ``template``, ``start`` ("HH:MM"), ``days`` (e.g. "Mon–Fri"),
        ``first_day``, ``agents`` (count), ``paid_hours_per_agent`` (per week), ``paid_hours``
        and, with template costs, ``cost``.
    lunches : pandas.DataFrame
        Unpaid lunches placed: ``template``, ``start``, ``day``, ``lunch_start``, ``agents``.
    intervals : pandas.DataFrame
        Indexed like the requirement: ``required`` (on-phone agents), ``at_work`` (agents at work,
        lunches excluded), ``on_phone`` (``at_work × (1 − shrinkage)``), ``under`` and ``over``
        (on-phone agents short of / above the requirement).
    coverage : {"hard", "soft"}
        Whether every interval had to be covered (hard) or shortfalls were priced (soft).
    shrinkage : float
        Paid shrinkage applied to scheduled time.
    interval_minutes : int
        Interval length, minutes.
    objective, bound, gap : float
        The objective (paid hours, or cost with template prices, plus soft-coverage penalties),
        the solver's proven lower bound and the relative gap between them.
    status : {"optimal", "time_limit"}
        ``"time_limit"``: the best schedule found when the time limit stopped the search.
    solve_time_s : float
        Solver time, seconds (informative only).
    """

    schedule: pd.DataFrame
    lunches: pd.DataFrame
    intervals: pd.DataFrame
    coverage: Literal["hard", "soft"]
    shrinkage: float
    interval_minutes: int
    objective: float
    bound: float
    gap: float
    status: Literal["optimal", "time_limit"]
    solve_time_s: float

    def _hours(self, column: str) -> float:
        return float(self.intervals[column].sum() * self.interval_minutes / 60.0)

    @property
    def headcount(self) -> int:
        """Agents scheduled (each works one tour a week)."""
        return int(self.schedule["agents"].sum())

    @property
    def paid_hours(self) -> float:
        """Paid agent-hours per week (the unpaid lunch excluded)."""
        return float(self.schedule["paid_hours"].sum())

    @property
    def cost(self) -> float | None:
        """Cost per week with template prices, else ``None``."""
        return float(self.schedule["cost"].sum()) if "cost" in self.schedule else None

    @property
    def required_hours(self) -> float:
        """Required on-phone agent-hours per week (``Σ required × interval hours``)."""
        return self._hours("required")

    @property
    def on_phone_hours(self) -> float:
        """Scheduled on-phone agent-hours per week (``paid hours × (1 − shrinkage)``)."""
        return self._hours("on_phone")

    @property
    def under_hours(self) -> float:
        """On-phone agent-hours short of the requirement (0 under hard coverage)."""
        return self._hours("under")

    @property
    def over_hours(self) -> float:
        """On-phone agent-hours above the requirement."""
        return self._hours("over")

    @property
    def efficiency(self) -> float:
        """Schedule efficiency: required ÷ scheduled on-phone agent-hours, at most 1.

        Only the required hours the schedule covers count (``Σ min(required, on_phone)``), so
        under soft coverage a short interval does not raise it; under hard coverage this is
        exactly required ÷ on-phone hours. 1.0 when nothing is required or scheduled.
        """
        on_phone = self.on_phone_hours
        if on_phone <= 0:
            return 1.0
        return (self.required_hours - self.under_hours) / on_phone

    def weekly(self) -> pd.Series:
        """Weekly totals in one Series.

        Keys: ``headcount``, ``paid_hours``, ``required_hours``, ``on_phone_hours``,
        ``under_hours``, ``over_hours``, ``efficiency``, ``cost`` (``None`` without prices),
        ``coverage``, ``objective``, ``bound``, ``gap``, ``status``.
        """
        return pd.Series(
            {
                "headcount": self.headcount,
                "paid_hours": self.paid_hours,
                "required_hours": self.required_hours,
                "on_phone_hours": self.on_phone_hours,
                "under_hours": self.under_hours,
                "over_hours": self.over_hours,
                "efficiency": self.efficiency,
                "cost": self.cost,
                "coverage": self.coverage,
                "objective": self.objective,
                "bound": self.bound,
                "gap": self.gap,
                "status": self.status,
            },
            dtype=object,
        )


def _result(
    model: WeekModel,
    solution: CoverSolution,
    requirement: pd.Series,
    params: ShiftsParams,
) -> ScheduleResult:
    counts = solution.counts
    n_tours = len(model.tours)
    tours = model.tours.assign(agents=counts[:n_tours])
    tours = tours[tours["agents"] > 0].reset_index(drop=True)
    tours["paid_hours"] = tours["agents"] * tours["paid_hours_per_agent"]
    if params.priced:
        tours["cost"] = tours["agents"] * tours["cost_per_agent"]
    columns = ["template", "start", "days", "first_day", "agents", "paid_hours_per_agent"]
    columns += ["paid_hours"] + (["cost"] if params.priced else [])
    schedule = tours[columns]
    lunches = model.lunches.assign(agents=counts[n_tours:])
    lunches = lunches[lunches["agents"] > 0].reset_index(drop=True)
    at_work = model.at_work @ counts.astype(float) / model.step_minutes
    on_phone = at_work * (1.0 - model.shrinkage)
    required = requirement.to_numpy(dtype=float)
    under = np.clip(required - on_phone, 0.0, None)
    over = np.clip(on_phone - required, 0.0, None)
    under[under < 1e-9] = 0.0
    over[over < 1e-9] = 0.0
    intervals = pd.DataFrame(
        {
            "required": required,
            "at_work": at_work,
            "on_phone": on_phone,
            "under": under,
            "over": over,
        },
        index=requirement.index,
    )
    return ScheduleResult(
        schedule=schedule,
        lunches=lunches,
        intervals=intervals,
        coverage=params.coverage,
        shrinkage=model.shrinkage,
        interval_minutes=model.step_minutes,
        objective=solution.objective,
        bound=solution.bound,
        gap=solution.gap,
        status=solution.status,
        solve_time_s=solution.solve_time_s,
    )


def schedule_week(
    requirement: pd.Series,
    shifts_params: ShiftsParams | Mapping[str, Any],
    *,
    shrinkage: float = 0.0,
    workers: int = 1,
) -> ScheduleResult:
    """Find the cheapest weekly shift schedule covering a requirement per interval.

    Parameters
    ----------
    requirement : pandas.Series
        Required on-phone agents per interval for one week: a DatetimeIndex starting at 00:00
        with 15-, 30- or 60-minute steps (any whole-minute divisor of a day) and ``7 × per-day``
        entries, e.g. ``select_week(model.combined["agents"])``. The week repeats: a shift
        running past the end of the last day continues into the first.
    shifts_params : ShiftsParams or mapping
        Templates and solver settings (a mapping is validated as :class:`ShiftsParams`).
    shrinkage : float
        Paid shrinkage in [0, 1) (``RegionModel.paid_shrinkage``): on-phone agents = agents at work
        × (1 − shrinkage). Must at least cover each template's paid breaks.
    workers : int
        Solver search workers (default 1: one core, and with ``work_limit_s`` reproducible).

    Returns
    -------
    ScheduleResult
        The schedule, lunches, coverage per interval, weekly totals, objective, bound and gap.

    Raises
    ------
    InputError
        Bad requirement (not one week from midnight, negative, NaN, empty) or bad parameters.
    InfeasibleError
        Hard coverage impossible (an interval no template can work, or ``max_agents`` too low),
        or no schedule found within the time limit.

    Notes
    -----
    Tour scheduling as an integer program. A *tour* is a template ``t``, a daily start time
    ``s`` and a first working day ``f``; its agents work ``s`` on days ``f … f + days_on − 1``
    (cyclic over the week). ``x[t,s,f]`` agents work the tour. The unpaid lunch is placed per
    day: ``y[t,s,d,l]`` of the agents working ``(t, s)`` on day ``d`` start their lunch at offset
    ``l`` (every interval length inside the lunch window), with
    ``Σ_l y[t,s,d,l] = Σ_{f: d worked} x[t,s,f]`` — agents of one start are interchangeable on a
    day, so any split is realisable (the implicit lunch model of Bechtold and Jacobs [2]_).
    With ``a[i]`` the share of interval ``i`` a variable is at work (minus its lunch share) and
    ``r[i]`` the requirement::

        minimise   Σ c[t]·x[t,s,f]  (+ p·h·Σ u[i] under soft coverage)
        subject to (1 − shrinkage)·Σ a[i]·(x, −y) + u[i] ≥ r[i]   for every interval i
                   lunch links above;  Σ_{s,f} x[t,s,f] ≤ max_agents[t];  x, y integer ≥ 0

    with ``c[t] = days_on × paid hours per shift`` (× ``cost_per_paid_hour`` when priced),
    ``u = 0`` under hard coverage, ``p`` the under-coverage price per on-phone agent-hour and
    ``h`` the interval length in hours. Solved by :func:`cxplan.workforce.cover.solve_cover`
    (OR-Tools CP-SAT) within ``time_limit_s`` (and ``work_limit_s``); the gap comes from the
    solver's bound. A requirement of zero everywhere gives an empty schedule.

    References
    ----------
    .. [1] Dantzig, G. B. (1954). A comment on Edie's "Traffic delays at toll booths".
       Operations Research 2(3), 339–341.
    .. [2] Bechtold, S. E., Jacobs, L. W. (1990). Implicit modeling of flexible break
       assignments in optimal shift scheduling. Management Science 36(11), 1339–1351.
    .. [3] Ernst, A. T., Jiang, H., Krishnamoorthy, M., Sier, D. (2004). Staff scheduling and
       rostering: a review of applications, methods and models. EJOR 153(1), 3–27.

    Examples
    --------
    A flat 10 agents 24/7 in hourly intervals, 8-hour shifts at 00:00, 08:00 and 16:00 worked
    seven days a week: 30 agents, 1,680 paid hours, nothing wasted.

    >>> idx = pd.date_range("2027-01-04", periods=7 * 24, freq="h")
    >>> params = {"templates": [{"name": "Eight", "length_minutes": 480, "days_on": 7,
    ...                          "start_times": ["00:00", "08:00", "16:00"]}]}
    >>> r = schedule_week(pd.Series(10, index=idx), params)
    >>> r.headcount, r.paid_hours, r.efficiency, r.status
    (30, 1680.0, 1.0, 'optimal')
    """
    params = _params(shifts_params)
    model = build_week_model(requirement, params, shrinkage=shrinkage)
    solution = solve_cover(
        model.problem,
        time_limit_s=params.time_limit_s,
        work_limit_s=params.work_limit_s,
        relative_gap=params.relative_gap,
        workers=workers,
    )
    return _result(model, solution, requirement, params)


def compare_to_curve(
    result: ScheduleResult, *, cost_per_paid_hour: float | None = None
) -> pd.Series:
    """Paid hours per week of the schedule against staffing exactly to the curve.

    Parameters
    ----------
    result : ScheduleResult
        From :func:`schedule_week`.
    cost_per_paid_hour : float, optional
        Fully loaded cost of one paid hour (``RegionModel.cost_per_paid_hour``); adds the cost of
        the difference.

    Returns
    -------
    pandas.Series
        ``required_agent_hours`` (on-phone, per week), ``curve_paid_hours``
        (``required ÷ (1 − shrinkage)``, what cxplan's costs assume), ``schedule_paid_hours``,
        ``extra_paid_hours`` (schedule − curve), ``extra_share`` (÷ curve), ``efficiency`` and,
        with a cost, ``extra_cost`` per week.

    Notes
    -----
    Both sides apply shrinkage the same way (on-phone = paid × (1 − shrinkage)), so under hard
    coverage ``schedule_paid_hours = curve_paid_hours ÷ efficiency``: the difference is what
    whole shifts cost over the curve. Under soft coverage the schedule can be below the curve.

    Examples
    --------
    >>> idx = pd.date_range("2027-01-04", periods=7 * 24, freq="h")
    >>> need = pd.Series(([0] * 8 + [10] * 4 + [0] * 12) * 7, index=idx)
    >>> params = {"templates": [{"name": "Eight", "length_minutes": 480, "days_on": 7,
    ...                          "start_times": ["08:00"]}]}
    >>> c = compare_to_curve(schedule_week(need, params))
    >>> float(c["curve_paid_hours"]), float(c["schedule_paid_hours"]), float(c["efficiency"])
    (280.0, 560.0, 0.5)
    """
    if not isinstance(result, ScheduleResult):
        raise InputError(f"result must be a ScheduleResult (got {type(result).__name__})")
    required = result.required_hours
    curve = required / (1.0 - result.shrinkage)
    paid = result.paid_hours
    extra = paid - curve
    out: dict[str, float] = {
        "required_agent_hours": required,
        "curve_paid_hours": curve,
        "schedule_paid_hours": paid,
        "extra_paid_hours": extra,
        "extra_share": extra / curve if curve > 0 else 0.0,
        "efficiency": result.efficiency,
    }
    if cost_per_paid_hour is not None:
        price = as_scalar("cost_per_paid_hour", cost_per_paid_hour, low=0.0)
        out["extra_cost"] = extra * price
    return pd.Series(out, dtype=float)
