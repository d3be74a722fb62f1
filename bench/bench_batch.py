"""Benchmark: ``cxplan report --workers 2`` against a sequential loop of the papermill CLI.

Run: ``.venv/bin/python bench/bench_batch.py`` (options: ``--copies``, ``--workers``, ``--draws``,
``--keep``). Prints timings; asserts nothing about speed.

Set-up: the three demo regions are copied ``--copies`` times (default 4 → 12 regions) into a
temporary ``params/regions/`` folder with distinct region names (``North America 2`` …), with
``params/defaults.yaml`` and ``params/pilot/`` copied one level up so that
:func:`cxplan.config.params.load_params` finds the defaults and the pilot data as in the repository.
Each copy sets ``finance.monte_carlo_draws`` to ``--draws`` (default 2000): the batch has no
notebook-parameter pass-through, so this keeps both sides on the same, moderate Monte Carlo.

1. **batch**: :func:`cxplan.app.batch.run_batch` (what ``cxplan report PARAMS --out DIR --workers
2``
   calls): validate all files, run ``notebooks/region_report.ipynb`` per region in a process
   pool (papermill in each worker), export the offline HTML and the result JSON, then the
   portfolio notebook. Timed to the last region's completion (``regions``) and in full
   (``total``, with the portfolio).
2. **papermill loop**: for each region, one after the other, the bare CLI
   ``papermill notebooks/region_report.ipynb OUT.ipynb -p params_path P -p result_path R
   -p monte_carlo_draws N --cwd notebooks`` (no HTML export, no portfolio, no validation).

One untimed papermill run warms the disk cache and the kernel start first. The result JSON of
every region is compared between the two sides (same parameters, same seed, same draws).

Reported:

- ``speed-up`` = papermill-loop time ÷ batch time (regions phase); target ≥ 1.7× on 2 cores.
- ``per-region overhead`` = (batch regions-phase time × workers ÷ regions) ÷ (papermill-loop time
  ÷ regions): the worker-seconds the batch spends per region relative to one bare papermill
  execution of it (1.0 = no overhead, perfect parallel use of the workers); target ≤ 1.2×.
- ``in-worker overhead`` = mean per-region duration inside the batch workers
  (``RegionResult.duration_s``: papermill + HTML export + atomic writes) ÷ mean papermill-CLI
  time per region (includes the CLI's own start-up).
- ``1-worker overhead``: the batch with ``workers=1`` on one copy of each demo region against
  the papermill CLI on the same three: the batch's own cost per region without contention.
- ``machine scaling``: a pure-Python CPU loop in 1 process, then in ``workers`` processes at once;
  ``workers × t(1) ÷ t(parallel)`` is the throughput the machine gives that many processes (2.0
  on two free cores). The speed-up target assumes it is close to ``workers``; the
  ``contention-corrected overhead`` = batch regions-phase time × machine scaling ÷ loop time
  divides the contention out (1.0 = the batch runs as fast as the machine allows).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import yaml

from cxplan.app import batch
from cxplan.app.batch import RegionResult

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "region_report.ipynb"
REGIONS = sorted((ROOT / "params" / "regions").glob("*.yaml"))
PAPERMILL = Path(sys.executable).parent / "papermill"
TARGET_SPEEDUP = 1.7
TARGET_OVERHEAD = 1.2


def make_params(folder: Path, copies: int, draws: int) -> list[Path]:
    """Copy the demo regions ``copies`` times under ``folder/params`` with distinct names."""
    params = folder / "params"
    (params / "regions").mkdir(parents=True)
    shutil.copy2(ROOT / "params" / "defaults.yaml", params / "defaults.yaml")
    shutil.copytree(ROOT / "params" / "pilot", params / "pilot")
    out = []
    for k in range(1, copies + 1):
        for src in REGIONS:
            data = yaml.safe_load(src.read_text(encoding="utf-8"))
            if k > 1:
                data["region"]["name"] = f"{data['region']['name']} {k}"
            data.setdefault("finance", {})["monte_carlo_draws"] = draws
            dst = params / "regions" / f"{src.stem}-{k}.yaml"
            dst.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
            out.append(dst)
    return out


def papermill(params_path: Path, out_dir: Path, draws: int) -> float:
    """Execute the region notebook with the papermill CLI; return the wall time in seconds."""
    cmd = [
        str(PAPERMILL),
        str(NOTEBOOK),
        str(out_dir / f"{params_path.stem}.ipynb"),
        "-p",
        "params_path",
        str(params_path),
        "-p",
        "result_path",
        str(out_dir / f"{params_path.stem}.json"),
        "-p",
        "monte_carlo_draws",
        str(draws),
        "--cwd",
        str(NOTEBOOK.parent),
        "--no-progress-bar",
    ]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t0


def _spin(_: int = 0) -> float:
    t0 = time.perf_counter()
    total = 0
    for i in range(20_000_000):
        total += i
    return time.perf_counter() - t0


def machine_scaling(workers: int) -> float:
    """Throughput of ``workers`` CPU-bound processes relative to one (``workers`` = ideal)."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers) as pool:
        pool.map(_spin, range(workers))  # start-up and imports, untimed
        one = min(pool.apply(_spin) for _ in range(2))
        t0 = time.perf_counter()
        pool.map(_spin, range(workers), chunksize=1)
        parallel = time.perf_counter() - t0
    return workers * one / parallel


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--copies", type=int, default=4, help="copies of the 3 demo regions")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--draws", type=int, default=2000, help="Monte Carlo draws per region")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="cxplan-bench-batch-"))
    try:
        files = make_params(tmp, args.copies, args.draws)
        n = len(files)
        print(
            f"# bench_batch: {n} regions, {args.workers} workers, {args.draws} Monte Carlo draws; "
            f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}"
        )

        scaling = machine_scaling(args.workers)
        print(f"machine scaling, {args.workers} CPU-bound processes: {scaling:.2f}x")

        warm_dir = tmp / "warm-up"
        warm_dir.mkdir()
        warm = papermill(files[0], warm_dir, args.draws)
        print(f"warm-up papermill run (untimed in the comparison): {warm:.1f} s")

        # --- batch (cxplan report) ---------------------------------------------------------
        done_at: list[float] = []

        def progress(done: int, total: int, result: RegionResult) -> None:
            done_at.append(time.perf_counter())
            print(
                f"  batch {done:2d}/{total}: {result.region} {result.status} "
                f"({result.duration_s:.1f} s in its worker)",
                flush=True,
            )

        batch_out = tmp / "batch-out"
        t0 = time.perf_counter()
        result = batch.run_batch(
            [files[0].parent], batch_out, workers=args.workers, progress=progress
        )
        t_total = time.perf_counter() - t0
        t_regions = done_at[-1] - t0
        if result.exit_code != 0:
            print(result.summary(), file=sys.stderr)
            return 1
        region_durations = [r.duration_s for r in result.regions]
        portfolio_s = result.portfolio.duration_s if result.portfolio is not None else 0.0

        # --- papermill loop ----------------------------------------------------------------
        pm_out = tmp / "papermill-out"
        pm_out.mkdir()
        pm_times = []
        t0 = time.perf_counter()
        for path in files:
            pm_times.append(papermill(path, pm_out, args.draws))
            print(f"  papermill {len(pm_times):2d}/{n}: {path.stem} {pm_times[-1]:.1f} s")
        t_papermill = time.perf_counter() - t0

        # --- one worker, one copy of each region: the batch's own cost per region -----------
        trio = files[: len(REGIONS)]
        t0 = time.perf_counter()
        single = batch.run_batch(trio, tmp / "batch-1", workers=1, portfolio_notebook=False)
        t_single = time.perf_counter() - t0
        single_pm = sum(papermill(path, pm_out, args.draws) for path in trio)
        if single.exit_code != 0:
            print(single.summary(), file=sys.stderr)
            return 1

        # --- same results on both sides ----------------------------------------------------
        same = 0
        for r in result.regions:
            if r.json_path is None or r.params_path is None:
                continue
            ours = json.loads(r.json_path.read_text(encoding="utf-8"))
            theirs = json.loads((pm_out / f"{r.params_path.stem}.json").read_text("utf-8"))
            same += ours == theirs

        speedup = t_papermill / t_regions
        overhead = (t_regions * args.workers / n) / (t_papermill / n)
        in_worker = statistics.mean(region_durations) / statistics.mean(pm_times)
        corrected = t_regions * scaling / t_papermill
        print()
        print("| measure | value |")
        print("|---|---:|")
        print(f"| regions | {n} |")
        per = t_papermill / n
        print(f"| papermill CLI loop, sequential | {t_papermill:.1f} s ({per:.1f} s/region) |")
        print(f"| batch, {args.workers} workers: regions phase | {t_regions:.1f} s |")
        print(
            f"| batch, {args.workers} workers: total incl. portfolio | {t_total:.1f} s "
            f"(portfolio {portfolio_s:.1f} s) |"
        )
        print(f"| speed-up (loop ÷ batch regions phase) | {speedup:.2f}× |")
        print(f"| speed-up incl. portfolio (loop ÷ batch total) | {t_papermill / t_total:.2f}× |")
        print(f"| per-region overhead (batch × workers ÷ loop) | {overhead:.2f}× |")
        print(f"| in-worker overhead (mean region in batch ÷ mean papermill) | {in_worker:.2f}× |")
        print(
            f"| 1-worker overhead ({len(trio)} regions: batch ÷ papermill loop) "
            f"| {t_single / single_pm:.2f}× ({t_single:.1f} s vs {single_pm:.1f} s) |"
        )
        print(f"| machine scaling, {args.workers} CPU-bound processes | {scaling:.2f}× |")
        print(f"| contention-corrected overhead (batch × scaling ÷ loop) | {corrected:.2f}× |")
        print(f"| results identical on both sides | {same}/{n} |")
        print()
        ok_speed = "met" if speedup >= TARGET_SPEEDUP else "MISSED"
        ok_over = "met" if overhead <= TARGET_OVERHEAD else "MISSED"
        print(
            f"target speed-up >= {TARGET_SPEEDUP}x on {args.workers} workers: {ok_speed}; "
            f"target per-region overhead <= {TARGET_OVERHEAD}x: {ok_over}"
        )
        return 0
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
