"""Monthly cash flows of a roadmap: task costs, capacity-plan hiring and training, benefits.

Days and months
---------------
Roadmap days (:mod:`cxplan.plan.roadmap`) are mapped to **months numbered from 1**: without a
``start_date`` a month is 30 days (day ``d`` is in month ``d // 30 + 1``, the seed's 30/90/180-day
phases fall on month boundaries); with a ``start_date`` months are calendar months (month 1 is the
one containing the start date, possibly partial). **Month 0 is "initial"**: the finance layer's
t = 0 (:func:`cxplan.economics.finance.break_even_month` reads index 0 as the upfront flow); only
tasks flagged ``upfront=True`` put their one-off cost there.

Cash flows and double counting
------------------------------
:func:`cost_schedule` returns a :class:`Schedule`: a tidy table ``month, phase, task_id, category,
amount`` with ``amount`` a signed cash flow (costs negative, benefits positive), categories
``one_off`` (task costs spread evenly over the task's days), ``recurring`` (monthly amounts pro rata
by day), ``hiring`` and ``training`` (from the capacity plan, :func:`capacity_cash_flows`) and
``benefit``. Hiring and training money enters **only** from the capacity plan (tasks marked
``cost_source="capacity_plan"`` carry none), so the same hires cannot be priced twice.
``Schedule.net_cash_flow()`` is the array the finance layer takes
(``finance.break_even_month(schedule.net_cash_flow())``); :func:`cashflow_chart_data` is the long
table the cash-flow chart draws.

References
----------
.. [1] Seed 001 ("Implementation Roadmap (90–180 days)"): break-even in 6–12 months.
.. [2] Seed 003: recruit in good time (the capacity plan feeds the hiring cost).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_array
from cxplan.errors import InputError
from cxplan.plan.roadmap import _UNPHASED, Roadmap, Scenario, _day, _money

__all__ = [
    "CATEGORIES",
    "SCHEDULE_COLUMNS",
    "BenefitRamp",
    "Schedule",
    "capacity_cash_flows",
    "cashflow_chart_data",
    "cost_schedule",
]

Array = npt.NDArray[np.float64]

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
    >>> from cxplan.plan.roadmap import Phase, Task
    >>> r = Roadmap((Phase("build", "Build", 0, 30), Phase("run", "Run", 30, 90)),
    ...             (Task("kb", "Knowledge base", "build", 0, 30, cost_base=12_000),
    ...              Task("bot", "Chatbot", "run", 30, 90, depends_on=("kb",), cost_base=30_000,
    ...                   monthly_recurring_cost=1_000)))
    >>> s = cost_schedule(r, horizon_months=6,
    ...                   benefit=BenefitRamp(15_000, start_month=2, ramp_months=2))
    >>> s.total_cost()  # 12,000 + 30,000 + 5 months × 1,000
    47000.0
    >>> s.phase_totals().to_dict()
    {'build': 12000.0, 'run': 35000.0}
    >>> s.wide().loc[4:5, "cumulative"].round().tolist()  # back in the black in month 5
    [-7500.0, 6500.0]
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
# chart data
# ---------------------------------------------------------------------------------------------


def cashflow_chart_data(schedule: Schedule) -> pd.DataFrame:
    """Long table for the cost / benefit / cumulative cash-flow chart.

    Returns
    -------
    pandas.DataFrame
        ``month, month_label, series, value`` with series ``costs`` (positive), ``benefits``,
        ``net`` and ``cumulative`` (the cumulative net cash-flow line).

    Examples
    --------
    >>> from cxplan.plan.roadmap import Phase, Task
    >>> r = Roadmap((Phase("build", "Build", 0, 60),),
    ...             (Task("kb", "Knowledge base", "build", 0, 60, cost_base=12_000),))
    >>> d = cashflow_chart_data(cost_schedule(r))
    >>> d[d.series == "cumulative"]["value"].tolist()  # initial, M1, M2
    [0.0, -6000.0, -12000.0]
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
