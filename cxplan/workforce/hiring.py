"""Hiring classes: which classes, when and how large, to carry the weekly requirement at least cost.

The inverse problem of :func:`cxplan.workforce.capacity.simulate_capacity`: given the required FTE
per week, the workforce (starting headcount, attrition, training and learning curve: the lead time)
and the unit costs, propose hiring classes. :func:`plan_hiring` solves it exactly with a
mixed-integer programme (``method="milp"``, HiGHS through highspy) or with a documented
greedy rule (``method="greedy"``) whose optimality gap the tests measure. Because attrition is
applied as a fixed fraction, productive FTE is linear in the class sizes, which is what makes the
exact programme possible.

References
----------
.. [1] Huangfu, Q. and Hall, J. A. J. (2018). Parallelizing the dual revised simplex method.
   Mathematical Programming Computation 10, 119–142; HiGHS, https://highs.dev (``highspy``).
.. [2] Seed 003: plan to avoid both over- and under-staffing and begin recruiting in good time — the
   two-sided gap cost and the lead-time-aware planner.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import highspy
import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.sparse import csc_array, hstack, identity, vstack

from cxplan._validation import as_array
from cxplan.errors import InfeasibleError, InputError
from cxplan.workforce.capacity import (
    CapacityCosts,
    HiringClass,
    Workforce,
    _as_requirement,
    _check_classes,
    _check_float,
    _check_int,
    simulate_capacity,
)

__all__ = ["HiringPlan", "extend_run_rate", "plan_hiring"]

Array = npt.NDArray[np.float64]
PlanMethod = Literal["milp", "greedy"]

_INF = highspy.kHighsInf
_SEMI_INTEGER = highspy.HighsVarType.kSemiInteger
_INTEGER = highspy.HighsVarType.kInteger
_CONTINUOUS = highspy.HighsVarType.kContinuous
_FEASIBLE_POINT = 2  # HighsInfo.primal_solution_status: kSolutionStatusFeasible
#: HiGHS options for the hiring MILP (measured in bench/bench_hiring.py): no presolve (nothing to
#: remove in a dense 57 × 20 problem), no primal heuristics and no cut rounds below the root,
#: cheap pseudo-costs, a small cut pool (tuned on the demo regions' planner problems, checked on
#: others: the same plans, ~20 % sooner). Branch and bound alone proves the optimum sooner on
#: these problems. One thread: the planner solves beside its own work and the browser, a batch
#: runs one region per core (HiGHS fixes its thread count for the process at the first solve).
_MILP_OPTIONS: dict[str, object] = {
    "output_flag": False,
    "presolve": "off",
    "mip_heuristic_effort": 0.0,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_allow_cut_separation_at_nodes": False,
    "mip_pscost_minreliable": 0,
    "mip_allow_restart": False,
    "mip_pool_soft_limit": 30,  # few cuts kept and aged out fast: small LPs at every node
    "mip_lp_age_limit": 3,
    "threads": 1,
}


def _quiet_highs() -> Any:
    """Return a HiGHS instance that prints nothing.

    ``highspy.Highs()`` prints HiGHS's banner from C++ while installing its Python callbacks,
    before any option can silence it; in a Jupyter kernel that text lands in the cell's output
    (and so in reports). The pybind class underneath (``highspy._core._Highs``: the same solver
    without highspy's callback layer, which is not used here) prints nothing.
    """
    from highspy._core import _Highs

    return _Highs()


@dataclass(frozen=True, eq=False)
class HiringPlan:
    """Result of :func:`plan_hiring`.

    Attributes
    ----------
    classes : tuple of HiringClass
        Proposed classes (start week, size), sorted by start week; committed classes not included.
    plan : pandas.DataFrame
        :func:`simulate_capacity` of the committed and proposed classes, with cost columns.
    total_cost : float
        ``plan["total_cost"].sum()``: gap, hiring and training costs over the horizon.
    objective : float
        The cost the planner minimised: ``total_cost`` less the hiring and training costs of the
        committed classes (which no decision changes).
    method : str
        ``"milp"`` or ``"greedy"``.
    """

    classes: tuple[HiringClass, ...]
    plan: pd.DataFrame
    total_cost: float
    objective: float
    method: str


@dataclass(frozen=True)
class _Problem:
    starts: npt.NDArray[np.int64]  # candidate start weeks
    base: Array  # productive FTE per week without proposed classes
    kernel: Array  # (weeks, starts): productive FTE per hire
    gap_target: Array  # required − base
    hire_cost: Array  # per hire at each start: cost_per_hire + trainee pay in the horizon
    class_cost: float
    shortfall: float
    surplus: float
    max_size: int
    min_size: int

    def cost(self, sizes: Array) -> Array:
        """Objective for each row of ``sizes`` (…, starts) — vectorized over candidate plans."""
        prod = sizes @ self.kernel.T
        gap = prod - self.gap_target
        return np.asarray(
            sizes @ self.hire_cost
            + self.class_cost * (sizes > 0).sum(axis=-1)
            + self.shortfall * np.maximum(-gap, 0.0).sum(axis=-1)
            + self.surplus * np.maximum(gap, 0.0).sum(axis=-1),
            dtype=np.float64,
        )


def _cohort_kernel(workforce: Workforce, ages: int) -> tuple[Array, Array, Array]:
    """Per-hire survival, productive FTE and trainee headcount at ages ``0 … ages−1`` weeks.

    Closed form of the simulation for one person hired at age 0: survival
    ``s(a) = Π_{j<a} (1 − r(j))``, productive FTE ``s(a)·e(a)·fte_per_head``, trainee ``s(a)`` for
    ``a < training_weeks``. Independent of the week loop in :func:`simulate_capacity` (the tests
    check the two agree).
    """
    r_train, r_ten = workforce.weekly_rates()
    t_train = workforce.training_weeks
    curve = workforce.learning_curve.efficiency()
    age = np.arange(ages)
    leave = np.where(age < t_train, r_train, r_ten)
    surv = np.cumprod(np.concatenate([[1.0], 1.0 - leave]))[:ages]
    learning = (age >= t_train) & (age < t_train + curve.size)
    e = np.where(age < t_train, 0.0, 1.0)
    e[learning] = curve[age[learning] - t_train]
    trainee = np.where(age < t_train, surv, 0.0)
    return surv, surv * e * workforce.fte_per_head, trainee


def _build_problem(
    req: Array,
    workforce: Workforce,
    costs: CapacityCosts,
    starts: npt.NDArray[np.int64],
    committed: Sequence[HiringClass],
    max_size: int,
    min_size: int,
) -> _Problem:
    horizon = req.size
    base = simulate_capacity(req, workforce, committed)["productive_fte"].to_numpy()
    _, prod_k, trainee_k = _cohort_kernel(workforce, horizon)
    age = np.arange(horizon)[:, None] - starts[None, :]
    live = age >= 0
    kernel = np.where(live, prod_k[np.where(live, age, 0)], 0.0)
    trainee_weeks = np.where(live, trainee_k[np.where(live, age, 0)], 0.0).sum(axis=0)
    return _Problem(
        starts=starts,
        base=base,
        kernel=kernel,
        gap_target=req - base,
        hire_cost=costs.cost_per_hire + costs.trainee_pay_per_week * trainee_weeks,
        class_cost=costs.cost_per_class,
        shortfall=costs.shortfall_cost_per_fte_week,
        surplus=costs.surplus_cost_per_fte_week,
        max_size=max_size,
        min_size=min_size,
    )


def _solve_milp(p: _Problem, mip_rel_gap: float, time_limit_s: float) -> Array:
    """Exact integer class sizes: minimise hiring + class + shortfall + surplus cost.

    Variables ``[x (sizes), u (shortfall), o (surplus)]`` and, when classes cost something to
    run, ``y`` (class runs, binary); ``K x + u − o = required − base``. A size is
    *semi-integer*: ``x = 0`` or ``min ≤ x ≤ max`` (HiGHS branches on that directly), and
    ``x ≤ max·y`` charges ``cost_per_class`` for every class that runs.

    HiGHS is driven through highspy rather than :func:`scipy.optimize.milp` for its options:
    on these small, dense problems (20–50 starts, 40–80 weeks) the default root heuristics,
    presolve and node cut separation cost more than the branching they save; without them the
    same optimum is proved 2–5× sooner (``bench/bench_hiring.py``), which the live planner needs
    (it re-plans hiring after every staffing change). The optimality tolerance is unchanged.
    """
    n_s = p.starts.size
    h = p.gap_target.size
    runs = p.class_cost > 0
    k = csc_array(p.kernel)
    eye_h = identity(h, format="csc")
    blocks = [k, eye_h, -eye_h]
    lower, upper = p.gap_target, p.gap_target
    cost = [p.hire_cost, np.full(h, p.shortfall), np.full(h, p.surplus)]
    col_low = [np.full(n_s, float(p.min_size)), np.zeros(2 * h)]
    col_up = [np.full(n_s, float(p.max_size)), np.full(2 * h, _INF)]
    kinds = [_SEMI_INTEGER] * n_s + [_CONTINUOUS] * (2 * h)
    if runs:  # x − max·y ≤ 0 (a class that runs costs cost_per_class)
        eye_s = identity(n_s, format="csc")
        top = hstack([*blocks, csc_array((h, n_s))])
        link = hstack([eye_s, csc_array((n_s, 2 * h)), -p.max_size * eye_s])
        matrix = csc_array(vstack([top, link]))
        lower = np.r_[lower, np.full(n_s, -_INF)]
        upper = np.r_[upper, np.zeros(n_s)]
        cost.append(np.full(n_s, p.class_cost))
        col_low.append(np.zeros(n_s))
        col_up.append(np.ones(n_s))
        kinds += [_INTEGER] * n_s
    else:
        matrix = csc_array(hstack(blocks))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = matrix.shape[1], matrix.shape[0]
    lp.col_cost_ = np.concatenate(cost)
    lp.col_lower_ = np.concatenate(col_low)
    lp.col_upper_ = np.concatenate(col_up)
    lp.row_lower_, lp.row_upper_ = lower, upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    lp.integrality_ = kinds
    solver = _quiet_highs()
    for name, value in {
        **_MILP_OPTIONS,
        "mip_rel_gap": float(mip_rel_gap),
        "time_limit": float(time_limit_s),
    }.items():
        solver.setOptionValue(name, value)
    solver.passModel(lp)
    solver.run()
    status = solver.getModelStatus()
    if solver.getInfo().primal_solution_status != _FEASIBLE_POINT:
        raise InfeasibleError(
            f"plan_hiring: the MILP solver found no plan ({solver.modelStatusToString(status)})"
        )
    x = np.asarray(solver.getSolution().col_value[:n_s], dtype=np.float64)
    return np.asarray(np.round(x), dtype=np.float64)


def _solve_greedy(p: _Problem) -> Array:
    """First-gap, latest-start, best-size greedy rule (see :func:`plan_hiring`)."""
    sizes = np.zeros(p.starts.size)
    skipped: set[int] = set()
    tol = 1e-9
    while True:
        short = p.gap_target - p.kernel @ sizes
        open_weeks = [t for t in np.flatnonzero(short > tol) if t not in skipped]
        if not open_weeks:
            return sizes
        t = int(open_weeks[0])
        feasible = np.flatnonzero((p.kernel[t] > 0) & (sizes < p.max_size))
        if feasible.size == 0:
            skipped.add(t)
            continue
        j = int(feasible[np.argmax(p.starts[feasible])])
        room = p.max_size - int(sizes[j])
        need = math.ceil(short[t] / p.kernel[t, j] - 1e-9)
        top = min(room, max(need, p.min_size if sizes[j] == 0 else 1))
        deltas = np.arange(top + 1, dtype=np.float64)
        if sizes[j] == 0:
            deltas = deltas[(deltas == 0) | (deltas >= p.min_size)]
        trial = np.repeat(sizes[None, :], deltas.size, axis=0)
        trial[:, j] += deltas
        best = int(np.argmin(p.cost(trial)))  # first minimum = smallest size on ties
        if deltas[best] == 0:
            skipped.add(t)
        else:
            sizes[j] += deltas[best]


def plan_hiring(
    required_fte: Any,
    workforce: Workforce,
    costs: CapacityCosts,
    *,
    max_class_size: int,
    min_class_size: int = 1,
    allowed_start_weeks: Sequence[int] | None = None,
    committed: Sequence[HiringClass] = (),
    method: PlanMethod = "milp",
    mip_rel_gap: float = 1e-6,
    time_limit_s: float = 30.0,
) -> HiringPlan:
    """Propose hiring classes (start weeks and sizes) that close the gap at least cost.

    Parameters
    ----------
    required_fte : array_like
        Required FTE per week (see :func:`simulate_capacity`).
    workforce : Workforce
        Starting headcount, attrition, training and learning curve (the lead time).
    costs : CapacityCosts
        Hiring, class, trainee-pay, shortfall and surplus unit costs.
    max_class_size : int
        Largest class (trainer capacity), ≥ 1.
    min_class_size : int
        Smallest class worth running, 1 ≤ min ≤ max (default 1).
    allowed_start_weeks : sequence of int, optional
        Weeks a class may start (default: every week of the horizon); at most one proposed class
        per start week.
    committed : sequence of HiringClass
        Classes already fixed (e.g. in training now, negative start weeks allowed).
    method : {"milp", "greedy"}
        Exact mixed-integer programme (default) or the greedy rule.
    mip_rel_gap : float
        Relative optimality tolerance passed to HiGHS (default 1e-6).
    time_limit_s : float
        Solver time limit, seconds.

    Returns
    -------
    HiringPlan

    Raises
    ------
    InputError
        Bad sizes or start weeks.
    InfeasibleError
        The solver returned no plan (time limit before a first solution).

    Notes
    -----
    With ``x_s`` the size of the class starting in week ``s``, the productive FTE is linear in the
    sizes because attrition is a fixed fraction: ``P_t = B_t + Σ_s K[t, s] x_s``, with ``B`` the
    plan without proposed classes and ``K[t, s] = s(t−s)·e(t−s)·fte_per_head`` the per-hire output
    at age ``t − s`` (survival times efficiency). The MILP is::

        min  Σ_s (cost_per_hire + trainee_pay·W_s) x_s + cost_per_class Σ_s y_s
             + shortfall_cost Σ_t u_t + surplus_cost Σ_t o_t
        s.t. Σ_s K[t, s] x_s + u_t − o_t = R_t − B_t        (every week t)
             min_class_size · y_s ≤ x_s ≤ max_class_size · y_s
             x_s ∈ ℤ≥0, y_s ∈ {0, 1}, u_t, o_t ≥ 0

    where ``W_s`` is the expected trainee-weeks per hire inside the horizon; the objective equals
    the sum of :func:`simulate_capacity`'s ``total_cost`` less the committed classes' costs.

    Greedy rule (``method="greedy"``): repeat — take the first week ``t`` with a shortfall not yet
    given up; among allowed starts whose class is productive by ``t`` (``t − s ≥
    training_weeks``) and not full, take the **latest** (least paid training and attrition before
    it is needed); try every size increase from 0 up to what covers week ``t``'s shortfall at that
    class's efficiency in week ``t`` (capped by the class room, respecting ``min_class_size``) and
    keep the cheapest total plan; if the cheapest increase is 0, give up on week ``t``. It is
    myopic (it never moves a class earlier to use full efficiency, and sizes against one week), so
    it can cost more than the MILP; the tests measure that gap on generated cases.

    Weeks before ``training_weeks`` (plus the first allowed start) cannot be helped by any new
    class: their shortfall is the cost of not having recruited in good time (seed 003).

    References
    ----------
    .. [1] HiGHS (branch and bound with the dual simplex), https://highs.dev, through highspy.
    .. [2] Seed 003: "begin any recruitments in good time"; avoid both over- and under-staffing.

    Examples
    --------
    >>> from cxplan.workforce.capacity import CapacityCosts, LearningCurve, Workforce
    >>> wf = Workforce(starting_headcount=10, attrition_annual=0.0, training_weeks=2,
    ...                learning_curve=LearningCurve(weeks=0))
    >>> costs = CapacityCosts(shortfall_cost_per_fte_week=1000, surplus_cost_per_fte_week=800,
    ...                       cost_per_hire=100)
    >>> plan = plan_hiring([10, 10, 10, 13, 13, 13], wf, costs, max_class_size=5)
    >>> plan.classes
    (HiringClass(start_week=1, size=3),)
    """
    req = _as_requirement(required_fte)
    if not isinstance(workforce, Workforce):
        raise InputError(f"workforce must be a Workforce (got {type(workforce).__name__})")
    if not isinstance(costs, CapacityCosts):
        raise InputError(f"costs must be CapacityCosts (got {type(costs).__name__})")
    if method not in ("milp", "greedy"):
        raise InputError(f"method must be 'milp' or 'greedy' (got {method!r})")
    horizon = req.size
    max_size = _check_int("max_class_size", max_class_size, low=1)
    min_size = _check_int("min_class_size", min_class_size, low=1, high=max_size)
    rel_gap = _check_float("mip_rel_gap", mip_rel_gap, low=0.0)
    limit = _check_float("time_limit_s", time_limit_s, low=0.0, low_inclusive=False)
    fixed = list(committed)
    _check_classes(fixed, horizon, "committed")
    if allowed_start_weeks is None:
        starts = np.arange(horizon, dtype=np.int64)
    else:
        arr = as_array(
            "allowed_start_weeks", list(allowed_start_weeks), low=0, high=horizon - 1, integer=True
        )
        if arr.ndim != 1:
            raise InputError("allowed_start_weeks must be a flat list of week numbers")
        starts = np.unique(arr.astype(np.int64))
    problem = _build_problem(req, workforce, costs, starts, fixed, max_size, min_size)
    useful = problem.kernel.any(axis=0)  # a class productive only after the horizon is never hired
    if not useful.all():
        starts = starts[useful]
        problem = _build_problem(req, workforce, costs, starts, fixed, max_size, min_size)
    if starts.size == 0:
        sizes = np.zeros(0)
    elif method == "milp":
        sizes = _solve_milp(problem, rel_gap, limit)
    else:
        sizes = _solve_greedy(problem)
    proposed = tuple(
        HiringClass(start_week=int(s), size=int(x))
        for s, x in zip(starts, sizes, strict=True)
        if x > 0
    )
    plan = simulate_capacity(req, workforce, [*fixed, *proposed], costs)
    committed_cost = float(
        simulate_capacity(req, workforce, fixed, costs)[["hiring_cost", "training_pay"]].sum().sum()
    )
    total = float(plan["total_cost"].sum())
    return HiringPlan(
        classes=proposed,
        plan=plan,
        total_cost=total,
        objective=total - committed_cost,
        method=method,
    )


def extend_run_rate(
    requirement_fte: Any,
    hires: Any,
    headcount: Any,
    *,
    weeks: int,
    attrition_weekly: float,
    growth_annual: float = 0.0,
) -> tuple[Array, Array, Array]:
    """Carry a weekly plan on at its run rate beyond its last week.

    The capacity plan covers the planning horizon (13–52 weeks); a business case runs for the
    finance horizon (36 months by TEI convention). Beyond the plan the requirement continues at
    the mean of the plan's last four weeks, growing at ``growth_annual``, and the operation hires
    just enough each week to keep the headcount at the requirement after attrition (replacement
    and growth hires). Seasonality beyond the plan is not modelled.

    Parameters
    ----------
    requirement_fte, hires, headcount : array_like
        The plan's weekly requirement (scheduled FTE), hires and headcount (same length).
    weeks : int
        Weeks wanted in total (the plan is truncated if it is longer).
    attrition_weekly : float
        Weekly leaving probability.
    growth_annual : float
        Annual volume growth applied to the requirement beyond the plan.

    Returns
    -------
    (ndarray, ndarray, ndarray)
        Requirement, hires and headcount per week, ``weeks`` long.

    Notes
    -----
    ``R[w] = mean(R[P−4:P]) · (1 + g)^((w − P + 2.5)/52)`` (the mean of the last four weeks sits at
    week ``P − 2.5``); ``keep = H[w−1](1 − r)``, ``hires[w] = max(0, R[w] − keep)``,
    ``H[w] = keep + hires[w]``.

    Examples
    --------
    >>> r, h, n = extend_run_rate([10.0] * 4, [0.0] * 4, [10.0] * 4, weeks=6,
    ...                           attrition_weekly=0.1)
    >>> h.round(2).tolist(), n.tolist()[-2:]  # replacement hires keep 10 on the books
    ([0.0, 0.0, 0.0, 0.0, 1.0, 1.0], [10.0, 10.0])
    """
    req = as_array("requirement_fte", requirement_fte, low=0.0)
    hir = as_array("hires", hires, low=0.0)
    head = as_array("headcount", headcount, low=0.0)
    if req.ndim != 1 or req.shape != hir.shape or req.shape != head.shape or req.size == 0:
        raise InputError("requirement_fte, hires and headcount must be equally long week lists")
    total = int(as_array("weeks", weeks, low=1, integer=True))
    r = float(
        as_array("attrition_weekly", attrition_weekly, low=0.0, high=1.0, high_inclusive=False)
    )
    g = float(as_array("growth_annual", growth_annual, low=-0.99))
    plan = req.size
    if total <= plan:
        return req[:total].copy(), hir[:total].copy(), head[:total].copy()
    extra = total - plan
    base = float(req[-4:].mean())
    offsets = np.arange(plan, total) - plan + 2.5
    req_ext = base * (1.0 + g) ** (offsets / 52.0)
    hires_ext = np.zeros(extra)
    head_ext = np.zeros(extra)
    prev = float(head[-1])
    for k in range(extra):  # one step per week beyond the plan (a few hundred at most)
        keep = prev * (1.0 - r)
        hires_ext[k] = max(0.0, req_ext[k] - keep)
        prev = keep + hires_ext[k]
        head_ext[k] = prev
    return (
        np.concatenate([req, req_ext]),
        np.concatenate([hir, hires_ext]),
        np.concatenate([head, head_ext]),
    )
