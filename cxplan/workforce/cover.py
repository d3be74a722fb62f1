"""Integer covering programs: how many of each shift variant so that every interval is covered.

:func:`solve_cover` solves the general model behind shift scheduling (Dantzig's set covering
with integer multiplicities, 1954): an integer coverage matrix ``A`` (intervals × variants), a
requirement per interval, a cost per variant, optional penalties for under- and over-coverage,
and optional side constraints. :mod:`cxplan.workforce.shifts` builds such a problem from shift
templates; the same function solves pyworkforce's ``MinRequiredResources`` and
``MinAbsDifference`` models (``bench/bench_shifts.py``).

Solver
------
OR-Tools CP-SAT, chosen over HiGHS (:func:`scipy.optimize.milp`) by measurement
(``bench/bench_shifts.py``, which repeats it): the first plan week of each demo region (336
half-hour or 168 hourly intervals) with three template sets (500–1,225 variables: tours plus
lunch placements), the same integer model, one thread each, 10 s limit. CP-SAT's schedule was
never worse and was cheaper in 5 of 9 cases (e.g. Latin America, four contracts: 4,940 against
5,290 paid hours); its gap was 0–1.2 % against HiGHS's 0–7.6 %. Both proved two of the nine
optimal within 2 s, and their bounds agree to one tour (the LP relaxation is tight), so the
difference is CP-SAT's better search for schedules (large-neighbourhood search around the LP).
CP-SAT also has a deterministic work limit (``max_deterministic_time``): with one worker the same
problem gives the same schedule whatever the machine's load, which committed notebooks need.
It needs integer coefficients, hence the integer coverage matrix (shifts use minutes at work).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from ortools.sat.python import cp_model

from cxplan._validation import as_array, as_scalar
from cxplan.errors import CxplanError, InfeasibleError, InputError

__all__ = ["CoverProblem", "CoverSolution", "solve_cover"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Status = Literal["optimal", "time_limit"]

# Largest coefficient, requirement or count CP-SAT is given; far above any contact centre.
_MAX_INT = 10**9


@dataclass(frozen=True)
class CoverProblem:
    """An integer covering program.

    minimise ``cost·x + Σ_i under_penalty_i·u_i + Σ_i over_penalty_i·o_i`` subject to
    ``A x + u ≥ ⌈r⌉``, ``A x − o ≤ ⌊r⌋`` (only when over-coverage is priced),
    ``A x ≤ max_coverage``, ``E x = e``, ``G x ≤ g``, ``0 ≤ x ≤ upper``; ``x, u, o`` integer.

    Parameters
    ----------
    coverage : array_like or scipy sparse matrix of integers, shape (m, k)
        ``A``: units of coverage one count of variant ``j`` gives interval ``i`` (e.g. minutes at
        work); may be negative (a lunch placement removes coverage). Whole numbers.
    requirement : array_like, shape (m,)
        ``r``: units required per interval (≥ 0). As ``A x`` is whole, ``A x ≥ r`` is
        ``A x ≥ ⌈r⌉``.
    cost : array_like, shape (k,)
        Objective per count of each variant (≥ 0), e.g. paid hours per week of one agent.
    under_penalty : float, array_like of shape (m,), or None
        ``None`` (default): hard coverage. Otherwise the objective price of each unit short of
        ``⌈r⌉`` in each interval (soft coverage).
    over_penalty : float or array_like of shape (m,)
        Objective price of each unit above ``⌊r⌋`` (default 0: not priced).
    upper : array_like of shape (k,), optional
        Largest count per variant (default: unbounded).
    max_coverage : float, optional
        Largest coverage in any interval.
    equalities : tuple of (matrix, array), optional
        ``(E, e)``, whole numbers: linking rows, e.g. lunches taken on a day = agents working.
    limits : tuple of (matrix, array), optional
        ``(G, g)``, whole numbers: further ``≤`` rows, e.g. most agents on one template.
    labels : sequence of str, optional
        One name per interval for error messages (e.g. ``"Mon 06:00"``).
    """

    coverage: Any
    requirement: Any
    cost: Any
    under_penalty: Any = None
    over_penalty: Any = 0.0
    upper: Any = None
    max_coverage: float | None = None
    equalities: tuple[Any, Any] | None = None
    limits: tuple[Any, Any] | None = None
    labels: Sequence[str] | None = field(default=None, repr=False)


@dataclass(frozen=True)
class CoverSolution:
    """The counts found by :func:`solve_cover` and how good they are proven to be.

    Attributes
    ----------
    counts : ndarray of int, shape (k,)
        Count of each variant.
    coverage : ndarray, shape (m,)
        ``A @ counts``.
    under, over : ndarray, shape (m,)
        ``max(0, r − coverage)`` and ``max(0, coverage − r)``.
    objective : float
        Objective of ``counts`` as the solver priced it (penalties on ``⌈r⌉``/``⌊r⌋``).
    bound : float
        Lower bound on the optimum proven by the solver (≤ objective).
    gap : float
        ``(objective − bound) ÷ objective`` (0 when the objective is 0), a fraction.
    status : {"optimal", "time_limit"}
        ``"optimal"``: proven optimal (within the relative gap asked for). ``"time_limit"``: the
        time or work limit stopped the search; ``counts`` is the best found and ``gap`` bounds how
        far from optimal it may be.
    solve_time_s : float
        Solver wall-clock time, seconds (informative only).
    """

    counts: IntArray
    coverage: FloatArray
    under: FloatArray
    over: FloatArray
    objective: float
    bound: float
    gap: float
    status: Status
    solve_time_s: float


def _matrix(name: str, value: Any, cols: int) -> sp.csr_array:
    try:
        mat = sp.csr_array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a numeric matrix") from None
    if mat.ndim != 2 or mat.shape[1] != cols:
        raise InputError(f"{name} must have shape (rows, {cols}) (got {mat.shape})")
    mat.eliminate_zeros()
    data = mat.data
    if data.size and (
        not np.all(np.isfinite(data))
        or np.any(data != np.rint(data))
        or np.abs(data).max() > _MAX_INT
    ):
        raise InputError(f"{name} must hold whole numbers (CP-SAT needs integer coefficients)")
    return mat


def _vector(name: str, value: Any, size: int, **rules: Any) -> FloatArray:
    arr = as_array(name, value, **rules)
    if arr.ndim == 0:
        return np.full(size, float(arr))
    if arr.shape != (size,):
        raise InputError(f"{name} must have {size} values (got shape {arr.shape})")
    return np.array(arr, dtype=np.float64)


def _label(problem: CoverProblem, i: int) -> str:
    if problem.labels is not None and i < len(problem.labels):
        return str(problem.labels[i])
    return f"interval {i}"


def _uncoverable(problem: CoverProblem, a: sp.csr_array, need: IntArray, ub: IntArray) -> None:
    """Raise a readable InfeasibleError for hard coverage that no counts can reach."""
    positive = a.multiply(a > 0).tocsr()
    best = positive @ ub.astype(float)
    bad = np.flatnonzero((need > 0) & (best < need))
    if bad.size:
        shown = ", ".join(_label(problem, int(i)) for i in bad[:6])
        more = f" and {bad.size - 6} more" if bad.size > 6 else ""
        raise InfeasibleError(
            f"no schedule can cover {shown}{more}: no shift variant works then, or too few may; "
            "add start times or templates, or use soft coverage"
        )
    if problem.max_coverage is not None and np.any(need > problem.max_coverage):
        i = int(np.argmax(need))
        raise InfeasibleError(
            f"the requirement at {_label(problem, i)} ({need[i]:g}) is above max_coverage "
            f"({problem.max_coverage:g})"
        )


def _rows(
    model: cp_model.CpModel,
    mat: sp.csr_array,
    x: list[cp_model.IntVar],
    lower: Sequence[int | None],
    upper: Sequence[int | None],
    extra: list[cp_model.IntVar] | None = None,
    extra_sign: int = 1,
) -> None:
    """Add ``lower_i ≤ row_i·x (+ extra_sign·extra_i) ≤ upper_i`` for each row of ``mat``."""
    indptr, indices, data = mat.indptr, mat.indices, mat.data
    for i in range(mat.shape[0]):
        lo_i, hi_i = lower[i], upper[i]
        if lo_i is None and hi_i is None:
            continue
        sl = slice(indptr[i], indptr[i + 1])
        terms = [x[j] for j in indices[sl]]
        coefs = [int(v) for v in data[sl]]
        if extra is not None:
            terms.append(extra[i])
            coefs.append(extra_sign)
        expr = cp_model.LinearExpr.weighted_sum(terms, coefs)
        if lo_i is not None and hi_i is not None:
            model.add_linear_constraint(expr, lo_i, hi_i)
        elif lo_i is not None:
            model.add(expr >= lo_i)
        else:
            model.add(expr <= hi_i)


def solve_cover(
    problem: CoverProblem,
    *,
    time_limit_s: float = 30.0,
    work_limit_s: float | None = None,
    relative_gap: float = 1e-4,
    workers: int = 1,
) -> CoverSolution:
    """Solve an integer covering program with OR-Tools CP-SAT.

    Parameters
    ----------
    problem : CoverProblem
        The model.
    time_limit_s : float
        Wall-clock limit, seconds (> 0). When it stops the search the best counts found are
        returned with ``status="time_limit"`` and their gap.
    work_limit_s : float, optional
        Deterministic work limit (CP-SAT's ``max_deterministic_time``, in its deterministic
        seconds, roughly seconds of one unloaded core). With one worker the same problem and
        work limit give the same counts on any machine load, provided the wall-clock limit is
        not reached first.
    relative_gap : float
        Stop once the counts are proven within this share of the optimum (0 – 0.5).
    workers : int
        CP-SAT search workers (default 1: one core, deterministic).

    Returns
    -------
    CoverSolution

    Raises
    ------
    InputError
        On malformed arrays (shapes, fractional coverage, negative requirement or cost, NaN).
    InfeasibleError
        When hard coverage (or a side constraint) cannot be met, naming the intervals where it
        can be seen, or when the limit passes before any feasible counts are found.

    Notes
    -----
    Variables: counts ``x`` and, only when priced, shortfalls ``u`` and excesses ``o`` per
    interval, all integer. Rows: ``A x + u ≥ ⌈r⌉``; ``A x − o ≤ ⌊r⌋``; ``A x ≤ max_coverage``;
    ``E x = e``; ``G x ≤ g``. Each count gets the finite domain ``0 … ⌈max r ÷ a_j⌉`` (``a_j``
    its smallest positive coefficient; counts beyond it over-cover every interval they touch and
    are never cheaper), capped by ``upper``. CP-SAT [1]_ combines clause learning, LP relaxations
    and large-neighbourhood search; its best bound gives the gap.

    References
    ----------
    .. [1] Perron, L., Didier, F., Gay, S. (2023). The CP-SAT-LP solver. 29th International
       Conference on Principles and Practice of Constraint Programming (CP 2023), LIPIcs 280.
    .. [2] Dantzig, G. B. (1954). A comment on Edie's "Traffic delays at toll booths".
       Operations Research 2(3), 339–341 (the set-covering shift scheduling model).

    Examples
    --------
    Two 2-interval shifts covering a requirement of 1, 2, 1 agents:

    >>> p = CoverProblem(coverage=[[1, 0], [1, 1], [0, 1]], requirement=[1, 2, 1], cost=[2, 2])
    >>> s = solve_cover(p)
    >>> s.counts.tolist(), s.objective, s.status
    ([1, 1], 4.0, 'optimal')
    """
    limit = as_scalar("time_limit_s", time_limit_s, low=0.0, low_inclusive=False)
    work = (
        None
        if work_limit_s is None
        else as_scalar("work_limit_s", work_limit_s, low=0.0, low_inclusive=False)
    )
    gap_goal = as_scalar("relative_gap", relative_gap, low=0.0, high=0.5)
    n_workers = int(as_scalar("workers", workers, low=1.0, high=64.0, integer=True))
    cost = as_array("cost", problem.cost, low=0.0)
    if cost.ndim != 1 or cost.size == 0:
        raise InputError(f"cost must be a non-empty 1-d array (got shape {cost.shape})")
    k = cost.size
    a = _matrix("coverage", problem.coverage, k)
    m = a.shape[0]
    if m == 0:
        raise InputError("coverage has no intervals (0 rows)")
    r = _vector("requirement", problem.requirement, m, low=0.0, high=float(_MAX_INT))
    need = np.ceil(r - 1e-9).astype(np.int64)
    floor_r = np.floor(r + 1e-9).astype(np.int64)
    soft = problem.under_penalty is not None
    pen_u = _vector("under_penalty", problem.under_penalty, m, low=0.0) if soft else np.zeros(m)
    pen_o = _vector("over_penalty", problem.over_penalty, m, low=0.0)
    over = bool(np.any(pen_o > 0))
    cap = None
    if problem.max_coverage is not None:
        cap = math.floor(as_scalar("max_coverage", problem.max_coverage, low=0.0) + 1e-9)

    # finite domains (see Notes)
    upper = (
        np.full(k, np.inf)
        if problem.upper is None
        else _vector("upper", problem.upper, k, low=0.0, allow_inf=True)
    )
    if a.nnz and a.data.min() < 0:
        if not np.all(np.isfinite(upper)):
            raise InputError(
                "upper must be finite for every variant when coverage has negative coefficients "
                "(no safe bound can be derived then)"
            )
        domain = np.floor(upper)
    else:
        top = float(need.max())
        pos = a.tocsc()
        smallest = np.array(
            [pos.data[pos.indptr[j] : pos.indptr[j + 1]].min(initial=np.inf) for j in range(k)]
        )
        domain = np.minimum(np.where(np.isfinite(smallest), np.ceil(top / smallest), 0.0), upper)
    domain = np.clip(domain, 0, _MAX_INT).astype(np.int64)
    if not soft:
        _uncoverable(problem, a, need, domain)

    model = cp_model.CpModel()
    x = [model.new_int_var(0, int(domain[j]), f"x{j}") for j in range(k)]
    under_vars = [model.new_int_var(0, int(need[i]), f"u{i}") for i in range(m)] if soft else None
    span = int(np.abs(a).sum(axis=1).max() * max(int(domain.max()), 1)) if over else 0
    over_vars = (
        [model.new_int_var(0, min(span, _MAX_INT), f"o{i}") for i in range(m)] if over else None
    )
    none: list[int | None] = [None] * m
    _rows(model, a, x, [int(v) if v > 0 else None for v in need], none, under_vars, 1)
    if over_vars is not None:
        _rows(model, a, x, none, [int(v) for v in floor_r], over_vars, -1)
    if cap is not None:
        _rows(model, a, x, none, [cap] * m)
    for name, pair, equal in (
        ("equalities", problem.equalities, True),
        ("limits", problem.limits, False),
    ):
        if pair is None:
            continue
        mat = _matrix(name, pair[0], k)
        rhs = _vector(f"{name} right-hand side", pair[1], mat.shape[0], allow_inf=not equal)
        if np.any(np.isfinite(rhs) & (rhs != np.rint(rhs))):
            raise InputError(f"{name} right-hand side must hold whole numbers")
        bounds = [int(v) if np.isfinite(v) else None for v in rhs]
        _rows(model, mat, x, bounds if equal else [None] * len(bounds), bounds)
    terms: list[Any] = list(x)
    coefs: list[float] = [float(c) for c in cost]
    if under_vars is not None:
        terms += under_vars
        coefs += [float(p) for p in pen_u]
    if over_vars is not None:
        terms += over_vars
        coefs += [float(p) for p in pen_o]
    model.minimize(cp_model.LinearExpr.weighted_sum(terms, coefs))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    if work is not None:
        solver.parameters.max_deterministic_time = work
    solver.parameters.relative_gap_limit = gap_goal
    solver.parameters.num_workers = n_workers
    started = time.perf_counter()
    code = solver.solve(model)
    elapsed = time.perf_counter() - started

    if code == cp_model.INFEASIBLE:
        raise InfeasibleError(
            "no schedule meets every constraint (coverage, most agents per template, lunch "
            "links); raise max_agents, add start times or use soft coverage"
        )
    if code == cp_model.UNKNOWN:
        raise InfeasibleError(
            f"no schedule was found within the limit (time_limit_s={limit:g}"
            + (f", work_limit_s={work:g}" if work is not None else "")
            + "); raise it"
        )
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise CxplanError(f"the CP-SAT solver failed: {solver.status_name(code)}")
    counts = np.array([solver.value(v) for v in x], dtype=np.int64)
    cov = a @ counts.astype(float)
    short = np.clip(r - cov, 0.0, None)
    excess = np.clip(cov - r, 0.0, None)
    objective = float(
        cost @ counts
        + pen_u @ np.clip(need - cov, 0.0, None)
        + pen_o @ np.clip(cov - floor_r, 0.0, None)
    )
    bound = min(float(solver.best_objective_bound), objective)
    if code == cp_model.OPTIMAL and gap_goal == 0:
        bound = objective
    gap = 0.0 if objective <= 0 else max(0.0, (objective - bound) / objective)
    return CoverSolution(
        counts=counts,
        coverage=cov,
        under=short,
        over=excess,
        objective=objective,
        bound=bound,
        gap=gap,
        status="optimal" if code == cp_model.OPTIMAL else "time_limit",
        solve_time_s=elapsed,
    )
