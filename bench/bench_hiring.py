"""Benchmark: the hiring MILP (cxplan's HiGHS set-up) against ``scipy.optimize.milp`` defaults.

Run: ``.venv/bin/python bench/bench_hiring.py [--steps N] [--repeat R]``. Prints timings and
ratios; asserts nothing about speed. Exits 1 if the two solvers' optima differ in cost.

The problems are the planner's: for every demo region (``params/regions/*.yaml``) the hiring
plan of the first channel after ``--steps`` AHT changes of +5 s each (what the live planner
re-solves after a slider step), captured from :func:`cxplan.workforce.hiring.plan_hiring`.
Each is solved

- by cxplan (:func:`cxplan.workforce.hiring._solve_milp`: highspy, semi-integer class sizes,
  no presolve, no primal heuristics, no cut rounds below the root), and
- by the baseline, the formulation cxplan used before (binary class-run variables, big-M
  links) with :func:`scipy.optimize.milp` and its default HiGHS options,

both to the same relative gap (1e-6). Reported: median time of each, the ratio, and whether the
plans' costs are equal (they must be: both are optimal to the gap).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array, hstack, identity, vstack

from cxplan.app.overrides import with_overrides
from cxplan.config.params import load_params, params_root
from cxplan.model import RegionModel
from cxplan.workforce import hiring

ROOT = Path(__file__).resolve().parent.parent
GAP = 1e-6


def baseline(p: Any) -> np.ndarray:
    """The earlier formulation with scipy.optimize.milp's default HiGHS options."""
    n_s, h = p.starts.size, p.gap_target.size
    c = np.concatenate(
        [p.hire_cost, np.full(n_s, p.class_cost), np.full(h, p.shortfall), np.full(h, p.surplus)]
    )
    k = csr_array(p.kernel)
    eye_h, eye_s = identity(h, format="csr"), identity(n_s, format="csr")
    z_hs, z_sh = csr_array((h, n_s)), csr_array((n_s, h))
    balance = hstack([k, z_hs, eye_h, -eye_h])
    upper = hstack([eye_s, -p.max_size * eye_s, z_sh, z_sh])
    lower = hstack([eye_s, -p.min_size * eye_s, z_sh, z_sh])
    res = milp(
        c,
        constraints=[
            LinearConstraint(balance, p.gap_target, p.gap_target),
            LinearConstraint(
                vstack([upper, lower]),
                np.r_[np.full(n_s, -np.inf), np.zeros(n_s)],
                np.r_[np.zeros(n_s), np.full(n_s, np.inf)],
            ),
        ],
        integrality=np.r_[np.ones(2 * n_s), np.zeros(2 * h)],
        bounds=Bounds(
            np.zeros(2 * n_s + 2 * h),
            np.r_[np.full(n_s, float(p.max_size)), np.ones(n_s), np.full(2 * h, np.inf)],
        ),
        options={"mip_rel_gap": GAP},
    )
    return np.asarray(np.round(res.x[:n_s]), dtype=np.float64)


def problems(steps: int) -> list[tuple[str, Any]]:
    """The planner's hiring problems: each region's first channel, AHT +5 s per step."""
    captured: list[Any] = []
    original = hiring._solve_milp

    def capture(p: Any, gap: float, limit: float) -> np.ndarray:
        captured.append(p)
        return original(p, gap, limit)

    hiring._solve_milp = capture  # type: ignore[assignment]
    out: list[tuple[str, Any]] = []
    try:
        for path in sorted((ROOT / "params" / "regions").glob("*.yaml")):
            base = load_params(path)
            channel = next(iter(base.channels.model_dump(exclude_none=True)))
            aht = float(getattr(base.channels, channel).aht_s)
            for step in range(steps + 1):
                params = with_overrides(base, {f"channels.{channel}.aht_s": aht + 5.0 * step})
                captured.clear()
                _ = RegionModel(params, params_root=params_root(path)).hiring_plan
                out += [(f"{path.stem} +{5 * step} s", p) for p in captured]
    finally:
        hiring._solve_milp = original  # type: ignore[assignment]
    return out


def timed(function: Any, p: Any, repeat: int) -> tuple[float, np.ndarray]:
    times, x = [], np.zeros(0)
    for _ in range(repeat):
        t0 = time.perf_counter()
        x = function(p)
        times.append(time.perf_counter() - t0)
    return min(times), x


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=3, help="AHT steps per region (default 3)")
    ap.add_argument("--repeat", type=int, default=3, help="timings per problem, best kept")
    args = ap.parse_args(argv)
    cases = problems(args.steps)
    print(f"{len(cases)} hiring problems (starts x weeks: ", end="")
    print(", ".join(sorted({f"{p.starts.size}x{p.gap_target.size}" for _, p in cases})) + ")")
    print(f"{'problem':<28}{'cxplan ms':>11}{'scipy ms':>10}{'ratio':>8}  same cost")
    ours_all, base_all, ok = [], [], True
    for label, p in cases:
        t_ours, x_ours = timed(lambda q: hiring._solve_milp(q, GAP, 60.0), p, args.repeat)
        t_base, x_base = timed(baseline, p, args.repeat)
        same = bool(np.isclose(float(p.cost(x_ours)), float(p.cost(x_base)), rtol=GAP, atol=1e-6))
        ok &= same
        ours_all.append(t_ours)
        base_all.append(t_base)
        print(
            f"{label:<28}{t_ours * 1e3:>11.1f}{t_base * 1e3:>10.1f}"
            f"{t_base / t_ours:>7.1f}x  {'yes' if same else 'NO'}"
        )
    mo, mb = statistics.median(ours_all), statistics.median(base_all)
    print(
        f"median: cxplan {mo * 1e3:.1f} ms, scipy.optimize.milp {mb * 1e3:.1f} ms: {mb / mo:.1f}x; "
        f"total {sum(base_all) / sum(ours_all):.1f}x"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
