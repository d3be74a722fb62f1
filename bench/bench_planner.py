"""Benchmark: the live planner's recompute for one slider change, and the full widget update.

Run: ``.venv/bin/python bench/bench_planner.py`` (options: ``--values``, ``--widget-values``,
``--regions``). Prints timings; asserts nothing about speed.

For each demo region (``params/regions/*.yaml``):

- **recompute**: :func:`cxplan.app.dashboard.compute` for one changed field -- AHT swept over
  ``--values`` (default 25) values from 0.6× to 1.6× the region's AHT -- with the per-region
  context built once, as :class:`cxplan.app.dashboard.Planner` does (staffing of the typical week,
  the three sourcing options, the initiative and its NPV tornado). One warm-up call is not timed.
  ``cold`` is the same call given the parameters instead of the context (context rebuilt each
  time), for reference.
- **widget update**: ``planner.controls["aht_s"].value = v`` on a built ``Planner`` -- the
  observer runs :meth:`Planner.update`: recompute, KPI panel HTML and the four charts updated in
  place -- for ``--widget-values`` values, with the ``svg`` chart backend (vl-convert renders
  four SVGs per change) and the default backend (altair ``JupyterChart``: the spec is replaced;
  the browser-side render is not part of this number).

Target (from the lead): recompute median ≤ 50 ms per slider change.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cxplan.app import dashboard
from cxplan.config.params import load_params

ROOT = Path(__file__).resolve().parent.parent
REGIONS = sorted((ROOT / "params" / "regions").glob("*.yaml"))
TARGET_MS = 50.0


def _stats(times_s: Sequence[float]) -> tuple[float, float]:
    ms = np.asarray(times_s) * 1e3
    return float(np.median(ms)), float(np.percentile(ms, 90))


def _time_each(fn: Callable[[float], object], values: Sequence[float]) -> list[float]:
    out = []
    for v in values:
        t0 = time.perf_counter()
        fn(v)
        out.append(time.perf_counter() - t0)
    return out


@dataclasses.dataclass
class Row:
    region: str
    lead: str
    intervals: int
    median_ms: float
    p90_ms: float
    cold_median_ms: float
    widget_svg: tuple[float, float]
    widget_auto: tuple[float, float]
    build_svg_s: float
    build_auto_s: float
    n_values: int
    n_widget: int


def bench_region(path: Path, n_values: int, n_widget: int) -> Row:
    params = load_params(path)
    state = dashboard.initial_state(params)
    aht_values = [float(v) for v in np.linspace(0.6, 1.6, n_values) * state.aht_s]

    ctx = dashboard._Context(params)  # what Planner builds once per region
    dashboard.compute(ctx, state)  # warm-up

    warm = _time_each(
        lambda v: dashboard.compute(ctx, dataclasses.replace(state, aht_s=v)), aht_values
    )
    cold = _time_each(
        lambda v: dashboard.compute(params, dataclasses.replace(state, aht_s=v)), aht_values[:5]
    )

    widget: dict[str, tuple[float, float]] = {}
    build: dict[str, float] = {}
    # slider values on the control's 5-second step, skipping the initial value
    step = max(1, n_values // n_widget)
    w_values = [float(5 * round(v / 5)) for v in aht_values[::step]]
    w_values = [v for v in w_values if v != state.aht_s][:n_widget]
    for backend in ("svg", "auto"):
        t0 = time.perf_counter()
        planner = dashboard.Planner(params, chart_backend=backend)
        build[backend] = time.perf_counter() - t0
        control = planner.controls["aht_s"]

        def set_value(v: float, control: Any = control) -> None:
            control.value = v

        times = _time_each(set_value, w_values)
        if planner.result.state.aht_s != w_values[-1] or planner.status.value:
            raise RuntimeError(f"{path.name}: the planner did not update ({planner.status.value})")
        widget[backend] = _stats(times)

    med, p90 = _stats(warm)
    return Row(
        region=params.region.name,
        lead=ctx.channel_name,
        intervals=int(ctx.week_shape.size),
        median_ms=med,
        p90_ms=p90,
        cold_median_ms=_stats(cold)[0],
        widget_svg=widget["svg"],
        widget_auto=widget["auto"],
        build_svg_s=build["svg"],
        build_auto_s=build["auto"],
        n_values=len(aht_values),
        n_widget=len(w_values),
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--values", type=int, default=25, help="AHT values for the recompute")
    ap.add_argument("--widget-values", type=int, default=8, help="AHT values for the widget")
    ap.add_argument("--regions", nargs="*", type=Path, default=REGIONS)
    args = ap.parse_args(argv)

    print(
        f"# bench_planner: Python {platform.python_version()}, numpy {np.__version__}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )
    rows = [bench_region(Path(p), args.values, args.widget_values) for p in args.regions]

    print()
    print(
        "| region | lead channel (intervals/week) | recompute median ms | recompute p90 ms "
        "| cold compute median ms | widget update, svg: median / p90 ms "
        "| widget update, JupyterChart: median / p90 ms |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        ws, wa = r.widget_svg, r.widget_auto
        print(
            f"| {r.region} | {r.lead} ({r.intervals}) | {r.median_ms:.1f} | {r.p90_ms:.1f} "
            f"| {r.cold_median_ms:.1f} | {ws[0]:.0f} / {ws[1]:.0f} | {wa[0]:.0f} / {wa[1]:.0f} |"
        )
    print()
    print(
        f"recompute: dashboard.compute with the planner's context, AHT over {rows[0].n_values} "
        "values (0.6×–1.6× the region's); cold: the same given the params (5 values); widget "
        f"update: {rows[0].n_widget} settings of the AHT slider (Planner.update: recompute, KPI "
        "HTML, 4 charts)."
    )
    print(
        "planner build (s): "
        + "; ".join(
            f"{r.region} svg {r.build_svg_s:.2f}, JupyterChart {r.build_auto_s:.2f}" for r in rows
        )
    )
    worst = max(r.median_ms for r in rows)
    overall = statistics.median(r.median_ms for r in rows)
    verdict = "met" if worst <= TARGET_MS else "MISSED"
    print(
        f"target: recompute median <= {TARGET_MS:.0f} ms -- {verdict} (slowest region "
        f"{worst:.1f} ms; median over regions {overall:.1f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
