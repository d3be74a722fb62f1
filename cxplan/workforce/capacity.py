"""Weekly capacity plan: headcount by tenure band, attrition, hiring classes, learning curve.

The 90–180-day plan needs to know, week by week, whether the people on the books can carry the
required workload: new hires are paid through training but produce nothing, then work at reduced
efficiency while they learn, and every band loses people to attrition. This module simulates that
flow for a given set of hiring classes (:func:`simulate_capacity`); :mod:`cxplan.workforce.hiring`
solves the inverse problem (which classes, when and how large). The weekly requirement comes from
the region model (:class:`cxplan.model.RegionModel`, through :mod:`cxplan.workforce.staffing`).

Model (one step per week ``t = 0 … H−1``)
-----------------------------------------
Moves happen at the start of each week, then the week is worked:

1. leavers: every person on the books at the end of the previous week leaves with the weekly
   probability of their band (``opening_headcount`` is that previous headcount);
2. the survivors age one week; a class whose pipeline (training + learning curve) is complete joins
   the tenured band;
3. the classes starting this week join (``hires``);
4. the week is worked by the resulting ``headcount``: tenured agents at efficiency 1, agents on the
   learning curve ("nesting") at their curve's efficiency, trainees at 0 (paid, not productive).

So ``headcount[t] = opening_headcount[t] + hires[t] − leavers[t]`` and
``opening_headcount[t] = headcount[t−1]`` hold exactly, every week. Headcounts are expected values
(attrition is applied as a fixed fraction), which keeps the dynamics linear in the class sizes: that
is what makes the exact integer programme of :func:`cxplan.workforce.hiring.plan_hiring` possible.

Attrition
---------
An annual attrition share ``a`` becomes the constant weekly leaving probability that compounds to it
over 52 weeks, ``r = 1 − (1 − a)^(1/52)`` (:func:`weekly_attrition_rate`); contact centres run at
30–45 % a year (domain notes, "Capacity planning"). **Trainees do leave**: by default at the
same annual rate as everyone else, and at ``training_attrition_annual`` when that is given
(early-tenure attrition is usually higher — new hires who drop out of training are the classic
case). Agents on the learning curve leave at the tenured rate.

Learning curve
--------------
After training a new hire works through ``LearningCurve.weeks`` weeks of reduced efficiency
(:class:`LearningCurve`). Efficiency ``e`` (output per paid hour relative to a tenured agent) and
the handle-time multiplier ``m`` (new-hire AHT / tenured AHT) are the same thing, ``e = 1/m``: an
agent with 1.5× the tenured AHT handles 2/3 of the contacts per hour. Either can be given. Domain
notes:
new-hire AHT 1.3–1.8× tenured, month-1 efficiency about 53 % of month 12, proficiency in 3–6 months.

References
----------
.. [1] cxplan domain notes, "Capacity planning" (NICE, Verint, Calabrio, WFM Labs templates):
   attrition 30–45 %/yr, hiring classes with lead time, training weeks, learning curve, occupancy
   0.82–0.88.
.. [2] Seed 001: onboarding 4–8 weeks for typical product support, 12+ weeks in regulated
   industries.
.. [3] Seed 003: plan to avoid both over- and under-staffing — the two-sided gap cost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal, Self, overload

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import Field, model_validator

from cxplan._schema import ConfigModel, Int, Money, NonNegative, Num, OpenFraction
from cxplan._validation import ArrayLike, FloatArray, as_array, as_scalar, float_or_array
from cxplan.errors import InputError

__all__ = [
    "CAPACITY_COLUMNS",
    "CapacityCosts",
    "HiringClass",
    "LearningCurve",
    "Workforce",
    "default_learning_curve",
    "simulate_capacity",
    "weekly_attrition_rate",
]

Array = npt.NDArray[np.float64]
LearningShape = Literal["linear", "linear_aht"]

#: Columns of the weekly plan returned by :func:`simulate_capacity` (the cost columns only when
#: ``costs`` is given; ``week_start`` only when ``start_date`` is given).
CAPACITY_COLUMNS: tuple[str, ...] = (
    "week",
    "week_start",
    "required_fte",
    "opening_headcount",
    "hires",
    "classes",
    "leavers",
    "leavers_training",
    "leavers_nesting",
    "leavers_tenured",
    "headcount_training",
    "headcount_nesting",
    "headcount_tenured",
    "headcount",
    "paid_fte",
    "productive_fte",
    "gap_fte",
    "shortfall_fte",
    "surplus_fte",
    "shortfall_cost",
    "surplus_cost",
    "gap_cost",
    "hiring_cost",
    "training_pay",
    "total_cost",
)

_WEEKS_PER_YEAR = 52
_MAX_HORIZON_WEEKS = 260


# ---------------------------------------------------------------------------------------------
# configuration
# ---------------------------------------------------------------------------------------------


def _check_int(name: str, value: Any, *, low: int | None = None, high: int | None = None) -> int:
    """Validate a whole-number argument (``bool`` rejected) and return it as ``int``."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise InputError(f"{name} must be a whole number (got {value!r})")
    arr = as_array(name, value, low=low, high=high, integer=True)
    return int(arr)


def _check_float(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    low_inclusive: bool = True,
    high: float | None = None,
    high_inclusive: bool = True,
) -> float:
    """Validate a scalar number argument and return it as ``float``."""
    return as_scalar(
        name,
        value,
        allow_bool=False,
        low=low,
        low_inclusive=low_inclusive,
        high=high,
        high_inclusive=high_inclusive,
    )


class LearningCurve(ConfigModel):
    """Efficiency of a new hire in the weeks after training, rising to 100 % (tenured).

    Give exactly one of ``start_efficiency`` or ``start_aht_multiplier`` (they are equivalent,
    ``efficiency = 1 / aht_multiplier``), or a full ``efficiency_by_week`` table.

    Parameters
    ----------
    weeks : int
        Weeks on the learning curve after training (0 to 260; 0 = productive at 100 % straight
        away).
        Domain notes: proficiency in 3–6 months (13–26 weeks) for routine work.
    start_efficiency : float, optional
        Efficiency in the first week after training, a fraction in (0, 1] of a tenured agent.
    start_aht_multiplier : float, optional
        Handle-time multiplier in the first week after training (1 to 10); domain notes: 1.3–1.8.
    shape : {"linear_aht", "linear"}
        ``"linear_aht"`` (default): the AHT multiplier falls linearly from its start value to 1, so
        efficiency rises along ``1/m`` (fast at first, then flattening — the usual learning-curve
        shape). ``"linear"``: efficiency rises linearly from its start value to 1.
    efficiency_by_week : tuple of float, optional
        An explicit curve, one efficiency per learning week (each in (0, 1]); overrides the
        start/shape description and must have ``weeks`` entries.

    Notes
    -----
    The level in learning week ``k`` (``k = 0 … N−1``, ``N = weeks``, the level at the start of the
    week) with ``f = k / N``:

    * ``"linear"``: ``e_k = e_0 + (1 − e_0) f``
    * ``"linear_aht"``: ``m_k = m_0 + (1 − m_0) f`` and ``e_k = 1 / m_k``

    and ``e = 1`` from week ``N`` on. ``e_0 = 1 / m_0``.

    References
    ----------
    .. [1] cxplan domain notes, "Capacity planning": new-hire AHT 1.3–1.8× tenured; month-1
       efficiency about 53 % of month 12; proficiency in 3–6 months.

    Examples
    --------
    >>> LearningCurve(weeks=4, start_efficiency=0.6, shape="linear").efficiency().tolist()
    [0.6, 0.7, 0.8, 0.9]
    >>> LearningCurve(weeks=2, start_aht_multiplier=1.5).aht_multiplier().tolist()
    [1.5, 1.25]
    """

    weeks: Annotated[Int, Field(ge=0, le=_MAX_HORIZON_WEEKS)]
    start_efficiency: Annotated[Num, Field(gt=0.0, le=1.0)] | None = None
    start_aht_multiplier: Annotated[Num, Field(ge=1.0, le=10.0)] | None = None
    shape: LearningShape = "linear_aht"
    efficiency_by_week: tuple[Annotated[Num, Field(gt=0.0, le=1.0)], ...] | None = None

    @classmethod
    def _error_prefix(cls, data: Mapping[str, Any]) -> str:
        return "learning_curve."

    @model_validator(mode="after")
    def _one_description(self) -> Self:
        given = [
            n
            for n in ("start_efficiency", "start_aht_multiplier", "efficiency_by_week")
            if getattr(self, n) is not None
        ]
        if len(given) > 1:
            raise ValueError(
                "give only one of start_efficiency, start_aht_multiplier, efficiency_by_week "
                f"(got {', '.join(given)}; set the others to null)"
            )
        table = self.efficiency_by_week
        if table is not None and len(table) != self.weeks:
            raise ValueError(
                f"efficiency_by_week must have one value per learning week ({self.weeks}), "
                f"got {len(table)}"
            )
        if self.weeks > 0 and not given:
            raise ValueError(
                "give start_efficiency, start_aht_multiplier or efficiency_by_week "
                f"for a {self.weeks}-week curve"
            )
        return self

    def efficiency(self) -> Array:
        """Efficiency in each learning week (length ``weeks``), fractions of a tenured agent."""
        n = self.weeks
        if self.efficiency_by_week is not None:
            return np.asarray(self.efficiency_by_week, dtype=np.float64)
        if n == 0:
            return np.zeros(0)
        f = np.arange(n, dtype=np.float64) / n
        if self.start_efficiency is not None:
            e0 = self.start_efficiency
            m0 = 1.0 / e0
        else:
            assert self.start_aht_multiplier is not None  # guaranteed by validation
            m0 = self.start_aht_multiplier
            e0 = 1.0 / m0
        if self.shape == "linear":
            return e0 + (1.0 - e0) * f
        return 1.0 / (m0 + (1.0 - m0) * f)

    def aht_multiplier(self) -> Array:
        """Handle-time multiplier in each learning week, ``1 / efficiency()``."""
        return 1.0 / self.efficiency()


def default_learning_curve() -> LearningCurve:
    """Return the default learning curve: 12 weeks from 1.5× tenured AHT (efficiency 2/3).

    1.5 is the middle of the domain notes' 1.3–1.8× new-hire AHT range; 12 weeks (about 3 months)
    is the short end of "proficiency in 3–6 months for routine work" (domain notes, "Capacity
    planning").

    Examples
    --------
    >>> default_learning_curve().efficiency()[0].round(3)
    np.float64(0.667)
    """
    return LearningCurve(weeks=12, start_aht_multiplier=1.5, shape="linear_aht")


class Workforce(ConfigModel):
    """The people side of the capacity plan.

    Parameters
    ----------
    starting_headcount : float
        Tenured agents on the books at the start of week 0 (people, 0 to 10^6). Classes already in
        training or on the learning curve are given as hiring classes with a negative
        ``start_week``.
    attrition_annual : float
        Annual attrition share in [0, 1); contact-centre norm 30–45 % (domain notes). Default 0.35.
    training_attrition_annual : float, optional
        Annual attrition share applied to trainees; ``None`` (default) = ``attrition_annual``.
    training_weeks : int
        Classroom training weeks (paid, not productive). Seed 001: 4–8 weeks for typical product
        support, 12+ in regulated industries. Default 6; at most 26.
    learning_curve : LearningCurve
        Efficiency after training; default :func:`default_learning_curve`.
    fte_per_head : float
        Contracted FTE per person in (0, 1] (1.0 = everyone full time); converts headcount to FTE.

    Examples
    --------
    >>> Workforce(starting_headcount=40, attrition_annual=0.35).training_weeks
    6
    """

    starting_headcount: Annotated[NonNegative, Field(le=1e6)]
    attrition_annual: OpenFraction = 0.35
    training_attrition_annual: OpenFraction | None = None
    training_weeks: Annotated[Int, Field(ge=0, le=26)] = 6
    learning_curve: LearningCurve = Field(default_factory=default_learning_curve)
    fte_per_head: Annotated[Num, Field(gt=0.0, le=1.0)] = 1.0

    @classmethod
    def _error_prefix(cls, data: Mapping[str, Any]) -> str:
        return ""

    def weekly_rates(self) -> tuple[float, float]:
        """Weekly leaving probabilities ``(trainees, everyone else)``."""
        r = float(weekly_attrition_rate(self.attrition_annual))
        a_train = self.training_attrition_annual
        r_train = r if a_train is None else float(weekly_attrition_rate(a_train))
        return r_train, r


class HiringClass(ConfigModel):
    """One hiring (training) class.

    Parameters
    ----------
    start_week : int
        Week the class starts training (0 = first plan week; at most 260). Negative = a class that
        started before the plan and is still in training or on the learning curve at week 0.
    size : int
        People in the class (0 to 10,000).

    Examples
    --------
    >>> HiringClass(start_week=2, size=12)
    HiringClass(start_week=2, size=12)
    """

    start_week: Annotated[Int, Field(ge=-_MAX_HORIZON_WEEKS, le=_MAX_HORIZON_WEEKS)]
    size: Annotated[Int, Field(ge=0, le=10_000)]

    @classmethod
    def _error_prefix(cls, data: Mapping[str, Any]) -> str:
        return "hiring_class."


class CapacityCosts(ConfigModel):
    """Unit costs of the plan, money per week in the params' currency.

    Parameters
    ----------
    shortfall_cost_per_fte_week : float
        Cost of one productive FTE-week short of the requirement: overtime to cover it, or a
        service-level-loss proxy (≥ 0).
    surplus_cost_per_fte_week : float
        Cost of one productive FTE-week above the requirement: paid idle time (≥ 0).
    cost_per_hire : float
        One-off cost per person hired (recruiting, onboarding); charged in the class's start week.
    trainee_pay_per_week : float
        Pay of one trainee for one week (trainees are paid but produce nothing).
    cost_per_class : float
        Fixed cost of running a class (trainer, room), charged in its start week.

    Examples
    --------
    >>> CapacityCosts(shortfall_cost_per_fte_week=1200, surplus_cost_per_fte_week=800).cost_per_hire
    0.0
    """

    shortfall_cost_per_fte_week: Money
    surplus_cost_per_fte_week: Money
    cost_per_hire: Money = 0.0
    trainee_pay_per_week: Money = 0.0
    cost_per_class: Money = 0.0

    @classmethod
    def _error_prefix(cls, data: Mapping[str, Any]) -> str:
        return ""


# ---------------------------------------------------------------------------------------------
# maths
# ---------------------------------------------------------------------------------------------


@overload
def weekly_attrition_rate(attrition_annual: float) -> float: ...
@overload
def weekly_attrition_rate(attrition_annual: ArrayLike) -> FloatArray: ...
def weekly_attrition_rate(attrition_annual: ArrayLike) -> float | FloatArray:
    """Weekly leaving probability that compounds to an annual attrition share.

    Parameters
    ----------
    attrition_annual : array_like
        Annual attrition share(s) in [0, 1); contact centres: 0.30–0.45 (domain notes).

    Returns
    -------
    float or ndarray
        ``1 − (1 − attrition_annual) ** (1 / 52)``.

    Notes
    -----
    With a constant weekly probability ``r`` a person stays a year with probability
    ``(1 − r)^52``; setting that to ``1 − a`` gives ``r = 1 − (1 − a)^(1/52)``. The simple
    ``a / 52`` understates attrition: 0.35/52 = 0.673 % a week compounds to only 29.6 % a year,
    against 0.825 % a week here. Computed as ``−expm1(log1p(−a)/52)`` for accuracy at small ``a``.

    References
    ----------
    .. [1] cxplan domain notes, "Capacity planning": attrition 30–45 %/yr.

    Examples
    --------
    >>> round(weekly_attrition_rate(0.35), 6)
    0.00825
    >>> round((1 - weekly_attrition_rate(0.35)) ** 52, 12)
    0.65
    """
    a = as_array("attrition_annual", attrition_annual, low=0.0, high=1.0, high_inclusive=False)
    r = -np.expm1(np.log1p(-a) / _WEEKS_PER_YEAR)
    return float_or_array(r, np.ndim(attrition_annual) == 0)


def _pipeline(workforce: Workforce) -> tuple[Array, Array]:
    """Weekly leaving probability and efficiency per pipeline age ``0 … T+N−1``."""
    t_train = workforce.training_weeks
    r_train, r = workforce.weekly_rates()
    eff = np.concatenate([np.zeros(t_train), workforce.learning_curve.efficiency()])
    rates = np.where(np.arange(eff.size) < t_train, r_train, r)
    return rates, eff


def _as_requirement(required_fte: Any) -> Array:
    req = as_array("required_fte", required_fte, low=0.0)
    if req.ndim != 1:
        raise InputError(f"required_fte must be one value per week (1-D), got shape {req.shape}")
    if not 1 <= req.size <= _MAX_HORIZON_WEEKS:
        raise InputError(
            f"required_fte must cover 1 to {_MAX_HORIZON_WEEKS} weeks (got {req.size}); "
            "a 90–180-day plan is 13–26 weeks"
        )
    return req


def _check_classes(classes: Sequence[HiringClass], horizon: int, name: str) -> None:
    for i, c in enumerate(classes):
        if not isinstance(c, HiringClass):
            raise InputError(f"{name}[{i}] must be a HiringClass (got {type(c).__name__})")
        if c.start_week >= horizon:
            raise InputError(
                f"{name}[{i}].start_week ({c.start_week}) must be before the end of the "
                f"{horizon}-week horizon"
            )


def simulate_capacity(
    required_fte: Any,
    workforce: Workforce,
    hiring_classes: Sequence[HiringClass] = (),
    costs: CapacityCosts | None = None,
    *,
    start_date: Any = None,
) -> pd.DataFrame:
    """Simulate the weekly capacity plan.

    Parameters
    ----------
    required_fte : array_like
        Required FTE per week, one value per week of the horizon (13–26 weeks for a 90–180-day
        plan). Scheduled FTE, i.e. after shrinkage (``RegionModel.required_fte`` gives it).
    workforce : Workforce
        Starting headcount, attrition, training weeks, learning curve.
    hiring_classes : sequence of HiringClass
        Classes starting in the horizon (or before it, with a negative ``start_week``).
    costs : CapacityCosts, optional
        Unit costs; when given the cost columns are added.
    start_date : date-like, optional
        Date of week 0's first day; adds a ``week_start`` column.

    Returns
    -------
    pandas.DataFrame
        One row per week, columns in :data:`CAPACITY_COLUMNS` order: ``week``; ``required_fte``;
        ``opening_headcount`` (headcount before the week's moves), ``hires``, ``classes`` (number
        of classes starting), ``leavers`` and ``leavers_training/nesting/tenured``;
        ``headcount_training/nesting/tenured`` and ``headcount`` (people, after the moves);
        ``paid_fte = headcount × fte_per_head`` (trainees are paid); ``productive_fte``;
        ``gap_fte = productive_fte − required_fte`` (positive = over), ``shortfall_fte``,
        ``surplus_fte``; with ``costs``: ``shortfall_cost``, ``surplus_cost``,
        ``gap_cost`` (their sum), ``hiring_cost`` (hires × cost_per_hire + classes ×
        cost_per_class), ``training_pay`` (trainees × trainee_pay_per_week), ``total_cost``.

    Raises
    ------
    InputError
        A bad requirement, or a class starting at or after the end of the horizon.

    Notes
    -----
    Per week ``t`` (moves at the start of the week, see the module docstring), with pipeline age
    ``a`` (weeks since the class started), weekly leaving probability ``r(a)`` (trainee rate for
    ``a < training_weeks``, else the tenured rate) and efficiency ``e(a)`` (0 in training, the
    learning curve after, 1 once tenured):

    * ``leavers[t] = Σ_bands r · headcount_band[t−1]``
    * ``n_a[t] = n_{a−1}[t−1] · (1 − r(a−1))``; ``n_0[t] = hires[t]``
    * ``productive_fte[t] = fte_per_head · (tenured[t] + Σ_a e(a) · n_a[t])``

    Classes that started before week 0 are run forward from their start; their hires and costs
    before week 0 are not in the table (sunk).

    References
    ----------
    .. [1] cxplan domain notes, "Capacity planning".
    .. [2] Seed 001 (training 4–8 weeks, 12+ regulated); seed 003 (avoid over- and
       under-staffing).

    Examples
    --------
    >>> wf = Workforce(starting_headcount=10, attrition_annual=0.0, training_weeks=2,
    ...                learning_curve=LearningCurve(weeks=2, start_efficiency=0.5, shape="linear"))
    >>> df = simulate_capacity([12, 12, 12, 12, 12], wf, [HiringClass(0, 2)])
    >>> df["productive_fte"].tolist()
    [10.0, 10.0, 11.0, 11.5, 12.0]
    >>> df["headcount_training"].tolist()
    [2.0, 2.0, 0.0, 0.0, 0.0]
    """
    req = _as_requirement(required_fte)
    if not isinstance(workforce, Workforce):
        raise InputError(f"workforce must be a Workforce (got {type(workforce).__name__})")
    if costs is not None and not isinstance(costs, CapacityCosts):
        raise InputError(f"costs must be CapacityCosts or None (got {type(costs).__name__})")
    classes = list(hiring_classes)
    horizon = req.size
    _check_classes(classes, horizon, "hiring_classes")

    first = min([0, *(c.start_week for c in classes)])
    span = horizon - first
    hires_all = np.zeros(span)
    n_classes_all = np.zeros(span)
    for c in classes:
        hires_all[c.start_week - first] += c.size
        n_classes_all[c.start_week - first] += c.size > 0

    rates, eff = _pipeline(workforce)
    t_train = workforce.training_weeks
    r_ten = workforce.weekly_rates()[1]
    depth = rates.size
    pipe = np.zeros(depth)
    tenured = 0.0

    cols = {
        k: np.zeros(horizon)
        for k in (
            "opening_headcount",
            "leavers_training",
            "leavers_nesting",
            "leavers_tenured",
            "headcount_training",
            "headcount_nesting",
            "headcount_tenured",
            "productive_fte",
        )
    }
    for step in range(span):
        t = step + first
        if t == 0:
            tenured += workforce.starting_headcount
        opening = pipe.sum() + tenured
        leave_pipe = pipe * rates
        leave_ten = tenured * r_ten
        survivors = pipe - leave_pipe
        tenured = tenured - leave_ten
        if depth:
            tenured += survivors[-1]
            pipe = np.concatenate([[hires_all[step]], survivors[:-1]])
        else:
            tenured += hires_all[step]
        if t < 0:
            continue
        cols["opening_headcount"][t] = opening
        cols["leavers_training"][t] = leave_pipe[:t_train].sum()
        cols["leavers_nesting"][t] = leave_pipe[t_train:].sum()
        cols["leavers_tenured"][t] = leave_ten
        cols["headcount_training"][t] = pipe[:t_train].sum()
        cols["headcount_nesting"][t] = pipe[t_train:].sum()
        cols["headcount_tenured"][t] = tenured
        cols["productive_fte"][t] = workforce.fte_per_head * (tenured + pipe @ eff)

    hires = hires_all[-first:] if first else hires_all
    n_classes = n_classes_all[-first:] if first else n_classes_all
    leavers = cols["leavers_training"] + cols["leavers_nesting"] + cols["leavers_tenured"]
    headcount = cols["headcount_training"] + cols["headcount_nesting"] + cols["headcount_tenured"]
    productive = cols["productive_fte"]
    gap = productive - req

    out: dict[str, Any] = {"week": np.arange(horizon)}
    if start_date is not None:
        try:
            start = pd.Timestamp(start_date)
        except (TypeError, ValueError):
            raise InputError(f"start_date must be a date (got {start_date!r})") from None
        out["week_start"] = start + pd.to_timedelta(7 * np.arange(horizon), unit="D")
    out.update(
        required_fte=req,
        opening_headcount=cols["opening_headcount"],
        hires=hires,
        classes=n_classes.astype(np.int64),
        leavers=leavers,
        leavers_training=cols["leavers_training"],
        leavers_nesting=cols["leavers_nesting"],
        leavers_tenured=cols["leavers_tenured"],
        headcount_training=cols["headcount_training"],
        headcount_nesting=cols["headcount_nesting"],
        headcount_tenured=cols["headcount_tenured"],
        headcount=headcount,
        paid_fte=headcount * workforce.fte_per_head,
        productive_fte=productive,
        gap_fte=gap,
        shortfall_fte=np.maximum(-gap, 0.0),
        surplus_fte=np.maximum(gap, 0.0),
    )
    if costs is not None:
        out["shortfall_cost"] = out["shortfall_fte"] * costs.shortfall_cost_per_fte_week
        out["surplus_cost"] = out["surplus_fte"] * costs.surplus_cost_per_fte_week
        out["gap_cost"] = out["shortfall_cost"] + out["surplus_cost"]
        out["hiring_cost"] = hires * costs.cost_per_hire + n_classes * costs.cost_per_class
        out["training_pay"] = cols["headcount_training"] * costs.trainee_pay_per_week
        out["total_cost"] = out["gap_cost"] + out["hiring_cost"] + out["training_pay"]
    return pd.DataFrame(out)
