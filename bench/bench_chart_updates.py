"""Benchmark: the planner's chart work after a slider change, by chart, against the previous path.

Run: ``.venv/bin/python bench/bench_chart_updates.py`` (options: ``--changes``, ``--step``,
``--regions``, ``--baseline COMMIT``). Prints timings; asserts nothing about speed.

What is measured, per demo region (``params/regions/*.yaml``): a planner
(:class:`cxplan.app.dashboard.Planner`) is built, then the AHT control of its first channel is
moved ``--changes`` times by ``--step`` seconds (every value new: staffing, costs, cash flow and
tornado all redraw). For each chart the planner redraws, two times are taken inside the
planner's own update (its ``_draw``):

- **build**: the chart's builder, called as the planner calls it (``planner_charts``);
- **send**: ``ChartGrid.update``: serialise the chart (Vega-Lite spec and datasets), compare it
  with the chart shown, set the widget's traits (ipywidgets walks the state for binary buffers;
  no kernel is attached, so nothing is sent further).

Their sum over the four charts is the chart work of one change; median over the changes. Times
are the planner thread's CPU time (``time.thread_time``): since the planner solves the hiring
plan on a worker thread while it draws the staffing and cost charts, their wall time includes
waiting for that thread (the GIL) and varies from run to run; the wall time of the four charts
is printed too.

Paths, all in this run (each the same charts: the specs are checked equal, see
``tests/test_chart_parts.py``):

- ``parts`` (now): the builders' parts, the serialised layout reused with new tables
  (:func:`cxplan.app.chart_grid.split_spec`);
- ``altair``: the same builders' altair charts, serialised by altair after every change (the
  planner's path before layouts were reused, with today's builders);
- ``baseline``: the planner of ``--baseline COMMIT`` (default ``4242572``: the commit before
  this work), its code and region files extracted with ``git archive`` into a temporary folder
  and measured the same way in a subprocess of this environment. ``--baseline ''`` skips it.

Target (lead, issue: planner charts within 150 ms of a slider change in the browser): the chart
path of a planner update at least 2.5 times faster than before.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHARTS = ("staffing", "costs", "cashflow", "tornado")
BASELINE = "4242572"


def measure(path: Path, changes: int, step: float, altair_path: bool) -> dict[str, Any]:
    """Median build and send time per chart (ms) and chart work per change, for one region."""
    from cxplan.app import chart_grid, dashboard
    from cxplan.app.dashboard import Planner

    times: dict[str, list[float]] = defaultdict(list)  # CPU seconds of this thread
    walls: list[float] = []  # wall seconds of each chart's build and send
    per_change: list[tuple[float, float]] = []
    charts_of = dashboard.planner_charts

    def timed_charts(model: Any, names: tuple[str, ...] = dashboard.CHART_NAMES) -> Any:
        def timed(name: str, make: Callable[[], Any]) -> Callable[[], Any]:
            def run() -> Any:
                w0, t0 = time.perf_counter(), time.thread_time()
                chart = make()
                if altair_path and hasattr(chart, "chart"):
                    chart = chart.chart()  # the builder's altair chart
                times[name + " build"].append(time.thread_time() - t0)
                walls.append(time.perf_counter() - w0)
                return chart

            return run

        return {n: (d, timed(n, m)) for n, (d, m) in charts_of(model, names).items()}

    update = chart_grid.ChartGrid.update

    def timed_update(self: Any, name: str, chart: Any) -> str:
        w0, t0 = time.perf_counter(), time.thread_time()
        how: str = update(self, name, chart)
        times[name + " send"].append(time.thread_time() - t0)
        walls.append(time.perf_counter() - w0)
        return how

    dashboard.planner_charts = timed_charts
    chart_grid.ChartGrid.update = timed_update  # type: ignore[method-assign]
    try:
        planner = Planner(path)
        aht = planner.value("aht_s")
        times.clear()
        for k in range(1, changes + 1):
            before, wall = sum(map(sum, times.values())), sum(walls)
            if not planner.set_value("aht_s", aht + step * k):
                raise SystemExit(f"{path.stem}: AHT {aht + step * k} refused: {planner.status}")
            per_change.append((sum(map(sum, times.values())) - before, sum(walls) - wall))
    finally:
        dashboard.planner_charts = charts_of
        chart_grid.ChartGrid.update = update  # type: ignore[method-assign]
    out: dict[str, Any] = {key: 1e3 * statistics.median(v) for key, v in times.items()}
    out["total"] = 1e3 * statistics.median(cpu for cpu, _ in per_change)
    out["wall"] = 1e3 * statistics.median(wall for _, wall in per_change)
    out["redraws"] = {c: len(times[c + " send"]) for c in CHARTS}
    return out


def baseline_run(commit: str, stems: list[str], changes: int, step: float) -> dict[str, Any]:
    """Measure the planner of ``commit`` in a subprocess (its code and region files)."""
    with tempfile.TemporaryDirectory(prefix="cxplan-baseline-") as tmp:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", commit],
            check=True,
            capture_output=True,
        ).stdout
        tar = Path(tmp) / "tree.tar"
        tar.write_bytes(archive)
        with tarfile.open(tar) as tf:
            tf.extractall(tmp, filter="data")
        env = {**os.environ, "PYTHONPATH": tmp}
        args = ["--worker", "--changes", str(changes), "--step", str(step)]
        regions = [str(Path(tmp) / "params" / "regions" / f"{s}.yaml") for s in stems]
        done = subprocess.run(
            [sys.executable, __file__, *args, "--regions", *regions],
            check=True,
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp,
        )
        result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
        return result


def _row(label: str, m: dict[str, Any], new: float) -> str:
    cells = [
        f"{m[c + ' build']:.1f} + {m[c + ' send']:.1f}" if m["redraws"][c] else "not redrawn"
        for c in CHARTS
    ]
    totals = f" | {m['total']:.1f} | {m['wall']:.1f} | {m['total'] / new:.2f} |"
    return f"| {label} | " + " | ".join(cells) + totals


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--changes", type=int, default=12, help="AHT changes per region")
    ap.add_argument("--step", type=float, default=2.5, help="seconds of AHT per change")
    ap.add_argument("--regions", nargs="*", type=Path, default=None)
    ap.add_argument("--baseline", default=BASELINE, help="commit to compare with ('' to skip)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    regions = args.regions or sorted((ROOT / "params" / "regions").glob("*.yaml"))

    if args.worker:  # a baseline tree's planner: print one JSON line
        out = {p.stem: measure(p, args.changes, args.step, False) for p in regions}
        print(json.dumps(out))
        return 0

    import altair
    import pandas

    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"python {platform.python_version()}, altair {altair.__version__}, "
        f"pandas {pandas.__version__}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(
        f"{args.changes} AHT changes of +{args.step:g} s per region; per chart: build + send "
        "(CPU ms of the planner's thread, median); total: the four charts' work per change "
        "(median; CPU and wall); ratio: CPU total / the parts path's\n"
    )
    base = (
        baseline_run(args.baseline, [p.stem for p in regions], args.changes, args.step)
        if args.baseline
        else {}
    )
    head = "| region, path | " + " | ".join(CHARTS) + " | total ms | wall ms | ratio |"
    print(head)
    print("| --- |" + " ---: |" * (len(CHARTS) + 3))
    ratios: dict[str, list[float]] = defaultdict(list)
    wall_ratios: dict[str, list[float]] = defaultdict(list)
    for path in regions:
        new = measure(path, args.changes, args.step, altair_path=False)
        old = measure(path, args.changes, args.step, altair_path=True)
        rows = [("parts (now)", new), ("altair each change", old)]
        if path.stem in base:
            rows.append((f"baseline {args.baseline}", base[path.stem]))
        for label, m in rows:
            print(_row(f"{path.stem}, {label}", m, new["total"]))
            ratios[label.split(" ")[0]].append(m["total"] / new["total"])
            wall_ratios[label.split(" ")[0]].append(m["wall"] / new["wall"])
    print()
    for label, values in ratios.items():
        if label != "parts":
            walls = wall_ratios[label]
            print(
                f"{label}: chart work per change {statistics.median(values):.2f}x the parts "
                f"path's (CPU; median over regions, min {min(values):.2f}x); wall time "
                f"{statistics.median(walls):.2f}x (min {min(walls):.2f}x)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
