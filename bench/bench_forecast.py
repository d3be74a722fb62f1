"""Benchmark: interval history import, validation, backtest and forecast (cxplan.data).

Run: ``.venv/bin/python bench/bench_forecast.py`` (options: ``--series N`` for the Dask part,
default 200; ``--workers``, default 2). Prints timings; asserts nothing about speed.

1. **One region**: a year of 15-minute history for 3 channels (the demo process of
   ``params/history/make_demo_history.py``, last 52 weeks), written as CSV, then
   :func:`cxplan.data.history.read_history` (parse + pandera validation + gap rules) and
   :func:`cxplan.data.forecast.forecast_history` at 30 minutes (8-week rolling backtest of all
   four methods, refit of the chosen one, 7-day forecast). Target: ≤ 10 s in all, on 2 cores.
   The **baseline** measured in the same run is the WFM practice alone (the same import and the
   4-week mean with its backtest); the ratio says what the model selection costs over it.
2. **Many queues**: ``--series`` series (the 3 demo channels, scaled and re-noised) forecast
   through ``dask.distributed`` on a local cluster of ``--workers`` single-threaded processes
   (the batch's ``--dask`` path maps tasks over a cluster the same way), time per series.
"""

from __future__ import annotations

import argparse
import importlib.util
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def _demo():
    spec = importlib.util.spec_from_file_location(
        "make_demo_history", ROOT / "params" / "history" / "make_demo_history.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _one_year_csv(folder: Path) -> Path:
    export, _ = _demo().demo_history()
    last = export["timestamp"].max()
    export = export[export["timestamp"] > last - pd.Timedelta(weeks=52)].copy()
    export["timestamp"] = export["timestamp"].dt.strftime("%Y-%m-%d %H:%M")
    path = folder / "year.csv"
    export.to_csv(path, index=False)
    return path


def _run(path: Path, methods: tuple[str, ...]) -> tuple[float, float, int]:
    from cxplan.data.forecast import forecast_history
    from cxplan.data.history import read_history

    t0 = time.perf_counter()
    history = read_history(path)
    t1 = time.perf_counter()
    result = forecast_history(history, interval_minutes=30, country="US", methods=methods)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, len(result.channels)


def _forecast_one(args: tuple[np.ndarray, str]) -> float:
    from cxplan.data.daytypes import Calendar
    from cxplan.data.forecast import forecast_channel

    values, start = args
    index = pd.date_range(start, periods=len(values), freq="30min")
    fc = forecast_channel(pd.Series(values, index=index), 30, 7 * 48, Calendar("US"))
    return float(fc.mean.sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--series", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    import statsforecast.models  # noqa: F401  (library import time is not part of the work)

    with tempfile.TemporaryDirectory() as tmp:
        path = _one_year_csv(Path(tmp))
        rows = sum(1 for _ in path.open()) - 1
        _run(path, ("seasonal_naive", "four_week_mean"))  # warm caches (holidays, pandera)
        base_read, base_fc, n = _run(path, ("seasonal_naive", "four_week_mean"))
        read_s, fc_s, n = _run(path, ("daily_regression", "daily_mstl"))
    total = read_s + fc_s
    base = base_read + base_fc
    print(f"one region: {rows:,} rows, {n} channels, 52 weeks of 15-minute intervals")
    print(f"  import + validate        {read_s:6.2f} s")
    print(f"  backtest + forecast      {fc_s:6.2f} s  (8 weekly origins, 4 methods, 30 min)")
    print(f"  total                    {total:6.2f} s  (target <= 10 s)  {total / n:.2f} s/series")
    print(f"  baseline (4-week mean)   {base:6.2f} s  {base / n:.2f} s/series")
    print(f"  ratio total / baseline   {total / base:6.2f}x")

    from cxplan.data.history import read_history

    with tempfile.TemporaryDirectory() as tmp:
        history = read_history(_one_year_csv(Path(tmp))).at(30)
    rng = np.random.default_rng(0)
    seeds = [history.series(c) for c in history.channels]
    tasks = []
    for i in range(args.series):
        s = seeds[i % len(seeds)]
        lam = np.nan_to_num(s.to_numpy()) * rng.uniform(0.2, 3.0)
        tasks.append((rng.poisson(lam).astype(float), str(s.index[0])))

    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(lambda: __import__("statsforecast.models"))  # warm the workers' imports
        client.gather(client.map(_forecast_one, tasks[: args.workers], pure=False))
        t0 = time.perf_counter()
        totals = client.gather(client.map(_forecast_one, tasks, pure=False))
        dask_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for task in tasks[:4]:
        _forecast_one(task)
    serial = (time.perf_counter() - t0) / 4
    print(
        f"many queues: {args.series} series x 52 weeks at 30 min via dask.distributed "
        f"({args.workers} workers)"
    )
    print(
        f"  wall {dask_s:6.2f} s  {dask_s / args.series:.3f} s/series "
        f"(serial in this process {serial:.3f} s/series; "
        f"speed-up {serial * args.series / dask_s:.2f}x); forecasts: {len(totals)}"
    )


if __name__ == "__main__":
    main()
