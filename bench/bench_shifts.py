"""Benchmark: cxplan's shift scheduling against pyworkforce 0.5.1, and CP-SAT against HiGHS.

Run: ``.venv/bin/python bench/bench_shifts.py [--limit SECONDS] [--regions a,b]``
(``make bench`` installs the ``bench`` extra, pyworkforce==0.5.1). Prints objectives, bounds,
gaps and timings; asserts nothing about speed. Exits 1 if cxplan's schedule is worse than
pyworkforce's on pyworkforce's own objective in any example.

(a) Peer check. pyworkforce 0.5.1's scheduling examples (README, docs/tutorials/scheduling.rst,
    examples/scheduling/*.py and pyworkforce/scheduling/tests/test_shifts.py): two days of 24
    hourly requirements, four shifts (Morning, Afternoon, Night, Mixed), with the examples' limits
    per period (gamma) and per shift (beta). ``MinRequiredResources`` (hard coverage, minimum
    weighted resources) and ``MinAbsDifference`` (minimum Σ|scheduled − required|) are posed to
    :func:`cxplan.workforce.cover.solve_cover` with pyworkforce's exact constraints, and both
    solutions are scored by one objective function written here from pyworkforce's formulas.
    Without pyworkforce installed, its published optima (157 and 113, docs) are used.
(b) Solver choice. The demo regions' first plan week (``RegionModel.combined["agents"]``) with
    three template sets: full time only (8 h paid, 5 days, 30-minute starts, lunch placed), full
    time plus 4-hour part time, and four contracts (4 x 10 h, 5 x 8 h, 6 h, 4 h). The same integer
    model is solved by CP-SAT (cxplan, one worker) and by HiGHS (:func:`scipy.optimize.milp`)
    with the same time limit: objective, proven bound and gap of each.
(c) Schedule efficiency of each region's week and its paid hours against the curve.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from cxplan.errors import InfeasibleError
from cxplan.model import load_region
from cxplan.workforce import cover, shifts

ROOT = Path(__file__).resolve().parent.parent

# --- (a) pyworkforce 0.5.1's examples (verbatim data) ------------------------------------------
REQUIRED = [
    [9, 11, 17, 9, 7, 12, 5, 11, 8, 9, 18, 17, 8, 12, 16, 8, 7, 12, 11, 10, 13, 19, 16, 7],
    [13, 13, 12, 15, 18, 20, 13, 16, 17, 8, 13, 11, 6, 19, 11, 20, 19, 17, 10, 13, 14, 23, 16, 8],
]
SHIFTS = {
    "Morning": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    "Afternoon": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0],
    "Night": [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1],
    "Mixed": [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
}
# (model, gamma = max_period_concurrency, beta = max_shift_concurrency, cost_dict, source,
#  published optimum or None)
CASES: list[tuple[str, int, int, dict[str, int] | None, str, float | None]] = [
    ("MinAbsDifference", 27, 25, None, "README / tutorial", 157.0),
    ("MinAbsDifference", 25, 20, None, "test_min_abs_difference_schedule", None),
    ("MinAbsDifference", 10, 20, None, "test_infeasible_min_abs_difference_schedule", None),
    ("MinRequiredResources", 27, 25, None, "README / tutorial", 113.0),
    ("MinRequiredResources", 25, 25, None, "test_min_required_resources_schedule", None),
    (
        "MinRequiredResources",
        25,
        25,
        {"Morning": 8, "Afternoon": 8, "Night": 10, "Mixed": 7},
        "test_cost_min_required_resources_schedule",
        None,
    ),
    ("MinRequiredResources", 25, 20, None, "test_infeasible_min_required_resources_schedule", None),
]


def peer_objective(
    kind: str, x: np.ndarray, gamma: int, beta: int, cost: dict[str, int] | None
) -> float:
    """pyworkforce's objective of counts ``x[day, shift]``; inf when a constraint is broken."""
    e = np.array(list(SHIFTS.values()))  # E_sp
    n = np.array(REQUIRED)  # N_dp
    scheduled = x @ e  # Σ_s X_ds E_sp
    if np.any(x < 0) or np.any(x > beta) or np.any(scheduled > gamma):
        return math.inf
    if kind == "MinAbsDifference":
        return float(np.abs(scheduled - n).sum())
    if np.any(scheduled < n):
        return math.inf
    c = np.array([(cost or {}).get(s, 1) for s in SHIFTS])
    return float((x * c).sum())


def cxplan_peer_case(
    kind: str, gamma: int, beta: int, cost: dict[str, int] | None
) -> tuple[np.ndarray | None, str, float]:
    """Pose a pyworkforce case to cxplan's covering solver; counts per (day, shift)."""
    e = np.array(list(SHIFTS.values()), dtype=float)
    days = len(REQUIRED)
    a = sp.block_diag([e.T] * days, format="csr")  # rows (day, period), columns (day, shift)
    r = np.array(REQUIRED, dtype=float).ravel()
    c = np.array([(cost or {}).get(s, 1) for s in SHIFTS] * days, dtype=float)
    if kind == "MinAbsDifference":
        problem = cover.CoverProblem(
            a, r, np.zeros_like(c), under_penalty=1.0, over_penalty=1.0, upper=beta,
            max_coverage=gamma,
        )  # fmt: skip
    else:
        problem = cover.CoverProblem(a, r, c, upper=beta, max_coverage=gamma)
    started = time.perf_counter()
    try:
        sol = cover.solve_cover(problem, time_limit_s=60.0, relative_gap=0.0)
    except InfeasibleError as exc:
        return None, f"INFEASIBLE ({str(exc)[:50]}…)", time.perf_counter() - started
    return sol.counts.reshape(days, len(SHIFTS)), sol.status.upper(), sol.solve_time_s


def peer_case(
    kind: str, gamma: int, beta: int, cost: dict[str, int] | None
) -> tuple[np.ndarray | None, str, float] | None:
    try:
        from pyworkforce.scheduling import MinAbsDifference, MinRequiredResources
    except ImportError:
        return None
    cls: Any = MinAbsDifference if kind == "MinAbsDifference" else MinRequiredResources
    kwargs = {"cost_dict": cost} if cost else {}
    started = time.perf_counter()
    sol = cls(
        num_days=len(REQUIRED), periods=24, shifts_coverage=SHIFTS, required_resources=REQUIRED,
        max_period_concurrency=gamma, max_shift_concurrency=beta, **kwargs,
    ).solve()  # fmt: skip
    elapsed = time.perf_counter() - started
    if sol["status"] not in ("OPTIMAL", "FEASIBLE"):
        return None, sol["status"], elapsed
    x = np.zeros((len(REQUIRED), len(SHIFTS)), dtype=np.int64)
    names = list(SHIFTS)
    for row in sol["resources_shifts"]:
        x[row["day"], names.index(row["shift"])] = row["resources"]
    return x, sol["status"], elapsed


def part_a() -> bool:
    print("(a) pyworkforce 0.5.1 scheduling examples, scored by pyworkforce's objective")
    print(
        f"  {'model':20s} {'γ':>3s} {'β':>3s} {'costs':6s} {'pyworkforce':>22s} {'cxplan':>22s}"
        "  source"
    )
    ok = True
    for kind, gamma, beta, cost, source, published in CASES:
        ours, our_status, our_t = cxplan_peer_case(kind, gamma, beta, cost)
        our_obj = peer_objective(kind, ours, gamma, beta, cost) if ours is not None else math.nan
        peer = peer_case(kind, gamma, beta, cost)
        if peer is None:
            peer_obj = published if published is not None else math.nan
            peer_text = f"{peer_obj:8.1f} published"
        else:
            x, status, t = peer
            peer_obj = peer_objective(kind, x, gamma, beta, cost) if x is not None else math.nan
            peer_text = f"{peer_obj:8.1f} {status[:8]:8s} {t:5.2f}s"
        our_text = f"{our_obj:8.1f} {our_status[:8]:8s} {our_t:5.2f}s"
        print(
            f"  {kind:20s} {gamma:3d} {beta:3d} {'yes' if cost else 'no':6s} {peer_text:>22s} "
            f"{our_text:>22s}  {source}"
        )
        if np.isfinite(peer_obj) and not (np.isfinite(our_obj) and our_obj <= peer_obj + 1e-9):
            ok = False
            print("    ^ cxplan is WORSE than pyworkforce here")
        if kind == "MinAbsDifference" and gamma == 10:
            print(
                "    (pyworkforce reports INFEASIBLE because it bounds |scheduled − required| by "
                "γ; the model itself is feasible)"
            )
    return ok


# --- (b) CP-SAT against HiGHS on weekly schedules ---------------------------------------------
FULL_TIME = {
    "name": "Full time",
    "length_minutes": 510,  # 8 h paid + 30 min unpaid lunch
    "start_times": ["06:00-14:30/30"],
    "days_on": 5,
    "break_minutes": 30,
    "lunch_minutes": 30,
    "lunch_window_minutes": [180, 300],
}
PART_TIME = {
    "name": "Part time",
    "length_minutes": 240,
    "start_times": ["06:00-19:00/30"],
    "days_on": 5,
}
FOUR_TENS = {
    "name": "Four tens",
    "length_minutes": 630,  # 10 h paid + 30 min unpaid lunch, 4 days a week
    "start_times": ["06:00-12:00/60"],
    "days_on": 4,
    "break_minutes": 30,
    "lunch_minutes": 30,
    "lunch_window_minutes": [210, 330],
}
SIX_HOURS = {
    "name": "Six hours",
    "length_minutes": 360,
    "start_times": ["07:00-17:00/60"],
    "days_on": 5,
    "break_minutes": 15,
}
PART_TIME_HOURLY = dict(PART_TIME, start_times=["06:00-19:00/60"])
TEMPLATE_SETS = {
    "full time": [FULL_TIME],
    "full + part time": [FULL_TIME, PART_TIME],
    "four contracts": [FOUR_TENS, FULL_TIME, SIX_HOURS, PART_TIME_HOURLY],
}


def highs(model: shifts.WeekModel, limit: float) -> tuple[float, float, str, float]:
    """The same integer model solved by HiGHS (scipy.optimize.milp)."""
    p = model.problem
    a = sp.csr_array(p.coverage)
    need = np.ceil(np.asarray(p.requirement) - 1e-9)
    k = a.shape[1]
    rows = [LinearConstraint(a, need, np.inf)]
    if p.equalities is not None:
        rows.append(LinearConstraint(sp.csr_array(p.equalities[0]), 0.0, 0.0))
    started = time.perf_counter()
    res = milp(
        np.asarray(p.cost, dtype=float), constraints=rows, integrality=np.ones(k, dtype=np.int8),
        bounds=Bounds(0, np.asarray(p.upper, dtype=float)),
        options={"time_limit": limit, "mip_rel_gap": 1e-4},
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    obj = float(res.fun) if res.x is not None else math.nan
    bound = float(res.get("mip_dual_bound") or math.nan)
    status = {0: "optimal", 1: "time_limit", 2: "infeasible"}.get(res.status, str(res.status))
    return obj, bound, status, elapsed


def part_b_c(regions: list[str], limit: float) -> None:
    print(f"\n(b) weekly schedules, same integer model, time limit {limit:g} s, one thread each")
    print(
        f"  {'region':14s} {'templates':17s} {'vars':>5s} {'solver':7s} {'paid h':>8s} "
        f"{'bound':>8s} {'gap':>7s} {'time':>6s}"
    )
    results: list[tuple[str, str, shifts.ScheduleResult, Any]] = []
    for name in regions:
        m = load_region(ROOT / "params" / "regions" / f"{name}.yaml")
        week = shifts.select_week(m.combined["agents"], 0)
        for label, templates in TEMPLATE_SETS.items():
            params = {"templates": templates, "time_limit_s": limit}
            model = shifts.build_week_model(week, params, shrinkage=m.paid_shrinkage)
            res = shifts.schedule_week(week, params, shrinkage=m.paid_shrinkage)
            k = len(np.asarray(model.problem.cost))
            print(
                f"  {name:14s} {label:17s} {k:5d} {'CP-SAT':7s} {res.objective:8.0f} "
                f"{res.bound:8.0f} {res.gap:7.2%} {res.solve_time_s:5.1f}s"
            )
            obj, bound, _status, t = highs(model, limit)
            gap = (obj - bound) / obj if obj else math.nan
            print(
                f"  {'':14s} {'':17s} {'':5s} {'HiGHS':7s} {obj:8.0f} {bound:8.0f} {gap:7.2%} "
                f"{t:5.1f}s"
            )
            results.append((name, label, res, m))
    print("\n(c) schedule efficiency (required ÷ scheduled on-phone hours), first plan week")
    print(
        f"  {'region':14s} {'templates':17s} {'shrink':>6s} {'heads':>5s} {'required':>8s} "
        f"{'curve paid':>10s} {'sched paid':>10s} {'extra':>6s} {'effic.':>6s} {'extra cost':>11s}"
    )
    for name, label, res, m in results:
        c = shifts.compare_to_curve(res, cost_per_paid_hour=m.cost_per_paid_hour)
        print(
            f"  {name:14s} {label:17s} {res.shrinkage:6.0%} {res.headcount:5d} "
            f"{c['required_agent_hours']:8,.0f} {c['curve_paid_hours']:10,.0f} "
            f"{c['schedule_paid_hours']:10,.0f} {c['extra_share']:6.1%} {c['efficiency']:6.1%} "
            f"{c['extra_cost']:11,.0f} {m.currency}/wk"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=10.0, help="solver time limit, seconds")
    parser.add_argument(
        "--regions", default="north-america,latin-america,asia-pacific", help="demo regions"
    )
    parser.add_argument("--skip-weekly", action="store_true", help="only the peer check")
    args = parser.parse_args()
    ok = part_a()
    if not args.skip_weekly:
        part_b_c([r for r in args.regions.split(",") if r], args.limit)
    if not ok:
        print("\nFAIL: cxplan worse than pyworkforce on at least one example")
        return 1
    print("\ncxplan is never worse than pyworkforce on pyworkforce's examples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
