"""Benchmark: the staffing search (staircase in the traffic, multi-probe brackets) and the interval
staffing built on it, against the previous code measured in the same run.

Run: ``.venv/bin/python bench/bench_staffing_search.py``. The previous code is the frozen copy in
``bench/previous_queueing.py`` (search, measures, ``_staff_queued``, ``rollup``, ``combine`` of
commit 4242572). Prints best-of-N times and ratios (previous ÷ current) and checks that both give
identical agents and tables; asserts nothing about speed.

(a) Per demo region and queued channel: ``required_agents`` over the model's intervals (26 weeks
    of 30-minute intervals) and ``staff_intervals`` of the channel.
(b) The live planner, North America and Asia Pacific: ``operation_figures`` of a fresh model per
    AHT change (what the planner recomputes when the AHT slider moves), with the current staffing
    code and with the previous one swapped in; and the whole ``Planner.set_value`` redraw (its
    hiring plan solves on a worker thread meanwhile, so the staffing saved shows only in part).
(c) The small searches the planner also runs per update: a scalar Erlang A requirement (skills
    staffing) and 17 intervals (initiative savings).
"""

from __future__ import annotations

import contextlib
import math
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import cxplan.workforce.staffing as staffing
from cxplan.app.dashboard import Planner, operation_figures
from cxplan.app.overrides import control_path, with_overrides
from cxplan.model import RegionModel, load_region
from cxplan.model._memo import MEMO
from cxplan.workforce import queueing as q

sys.path.insert(0, str(Path(__file__).resolve().parent))
import previous_queueing as previous  # bench/ is on sys.path above

REPO = Path(__file__).resolve().parents[1]
REGIONS = sorted((REPO / "params" / "regions").glob("*.yaml"))


def best_of(fn: Callable[[], Any], repeat: int = 7) -> tuple[float, Any]:
    best, out = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def previous_staff_intervals(volume: pd.Series, channel: Any) -> pd.DataFrame:
    """``staff_intervals`` of commit 4242572 for a queued channel (previous search and measures)."""
    contacts = volume.to_numpy(dtype=float)
    step = staffing.infer_interval_s(volume.index)
    if isinstance(channel, staffing.ChatChannel):
        data = previous.staff_queued(
            contacts, step, channel.slot_aht_s, channel.concurrency, channel.sl_target,
            channel.answer_time_s, channel.max_occupancy, channel.patience_s, None, "offered", None,
        )  # fmt: skip
    else:
        data = previous.staff_queued(
            contacts, step, channel.aht_s, 1, channel.sl_target, channel.answer_time_s,
            channel.max_occupancy, channel.patience_s, channel.max_asa_s, channel.sl_definition,
            channel.max_abandonment,
        )  # fmt: skip
    return pd.DataFrame(data, index=volume.index, columns=list(staffing.COLUMNS))


def search_args(volume: pd.Series, channel: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    step = staffing.infer_interval_s(volume.index)
    chat = isinstance(channel, staffing.ChatChannel)
    aht = channel.slot_aht_s if chat else channel.aht_s
    traffic = volume.to_numpy(dtype=float) * aht / step
    kwargs = {"max_occupancy": channel.max_occupancy, "patience": channel.patience_s}
    if not chat:
        kwargs |= {
            "max_asa": channel.max_asa_s,
            "max_abandonment": channel.max_abandonment,
            "definition": channel.sl_definition,
        }
    return (traffic, aht, channel.answer_time_s, channel.sl_target), kwargs


# ---------------------------------------------------------------------------------------------
# (a) the regions' interval tables
# ---------------------------------------------------------------------------------------------


def bench_tables() -> list[dict[str, Any]]:
    rows = []
    for path in REGIONS:
        model = load_region(path, monte_carlo_draws=10)
        for name, channel in model.channels.items():
            if isinstance(channel, staffing.DeferredChannel):
                continue
            volume = model.volumes[name]
            args, kwargs = search_args(volume, channel)
            t_new, n_new = best_of(lambda a=args, k=kwargs: q.required_agents(*a, **k))
            t_old, n_old = best_of(lambda a=args, k=kwargs: previous.required_agents(*a, **k))
            s_new, tab_new = best_of(lambda v=volume, c=channel: staffing.staff_intervals(v, c))
            s_old, tab_old = best_of(lambda v=volume, c=channel: previous_staff_intervals(v, c))
            pd.testing.assert_frame_equal(tab_new, tab_old, check_exact=True)
            rows.append({
                "case": f"{model.params.region.name} {name}",
                "kind": "Erlang A" if channel.patience_s is not None else "Erlang C",
                "intervals": int(args[0].size),
                "busy": int(np.count_nonzero(args[0])),
                "search": (t_old, t_new),
                "staff": (s_old, s_new),
                "same": bool(np.array_equal(n_new, n_old)),
            })  # fmt: skip
    return rows


# ---------------------------------------------------------------------------------------------
# (b) the planner
# ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def previous_code() -> Iterator[None]:
    """Swap the previous search, measures, ``_staff_queued``, ``rollup`` and ``combine`` in.

    Every module attribute bound to a current function is rebound (modules that imported the
    name directly included) and restored afterwards.
    """
    swaps = {
        q.required_agents: previous.required_agents,
        q.performance: previous.performance,
        staffing._staff_queued: previous.staff_queued,
        staffing.rollup: previous.rollup,
        staffing.combine: previous.combine,
    }
    patched = []
    for module in list(sys.modules.values()):
        if not getattr(module, "__name__", "").startswith("cxplan"):
            continue
        for attr, value in list(vars(module).items()):
            if callable(value) and value in swaps:
                patched.append((module, attr, value))
                setattr(module, attr, swaps[value])
    try:
        yield
    finally:
        for module, attr, value in patched:
            setattr(module, attr, value)


def bench_planner(region: str, changes: int = 9) -> dict[str, Any]:
    planner = Planner(str(REPO / "params" / "regions" / f"{region}.yaml"))
    path = control_path(planner.controls["aht_s"].spec, planner.channel)
    aht = planner.value("aht_s")
    out: dict[str, Any] = {"region": region}
    offset = 0.0
    for label, ctx in (("new", contextlib.nullcontext()), ("old", previous_code())):
        with ctx:
            times, figures = [], []
            for _ in range(changes):
                offset += 1.0  # a value not seen before: nothing comes from the shared memo
                params = with_overrides(planner.base, {**planner.overrides, path: aht + offset})
                model = RegionModel(params, params_root=planner.root)
                t0 = time.perf_counter()
                figures.append(operation_figures(model))
                times.append(time.perf_counter() - t0)
            out[f"figures_{label}"] = float(np.median(times))
            redraw = []
            for _ in range(5):
                offset += 1.0
                t0 = time.perf_counter()
                planner.set_value("aht_s", aht + offset)
                redraw.append(time.perf_counter() - t0)
            out[f"redraw_{label}"] = float(np.median(redraw))
    # the same figures either way, for the same AHT (computed afresh: nothing from the memo)
    params = with_overrides(planner.base, {**planner.overrides, path: aht + 0.5})
    MEMO.clear()
    new = operation_figures(RegionModel(params, params_root=planner.root))
    MEMO.clear()
    with previous_code():
        old = operation_figures(RegionModel(params, params_root=planner.root))
    MEMO.clear()
    out["same"] = new == old
    return out


# ---------------------------------------------------------------------------------------------
# (c) small searches
# ---------------------------------------------------------------------------------------------


def bench_small() -> list[dict[str, Any]]:
    rng = np.random.default_rng(20_240_601)
    cases = {
        "scalar Erlang A, 90 Erl (skills staffing)": (
            (90.0, 360.0, 20.0, 0.8), {"patience": 240.0},
        ),
        "scalar Erlang A, 1,000 Erl": ((1000.0, 180.0, 20.0, 0.8), {"patience": 180.0}),
        "scalar Erlang C, 10 Erl": ((10.0, 180.0, 20.0, 0.8), {}),
        "17 intervals Erlang A (initiatives)": (
            (rng.uniform(1.0, 60.0, 17), np.array([360.0]), 20.0, 0.8),
            {"patience": 240.0, "max_occupancy": np.array([0.85])},
        ),
        "17 intervals Erlang C (initiatives)": (
            (rng.uniform(1.0, 20.0, 17), np.array([702.0]), 60.0, 0.8),
            {"max_occupancy": np.array([0.85])},
        ),
    }  # fmt: skip
    rows = []
    for name, (args, kwargs) in cases.items():
        t_new, n_new = best_of(lambda a=args, k=kwargs: q.required_agents(*a, **k), 30)
        t_old, n_old = best_of(lambda a=args, k=kwargs: previous.required_agents(*a, **k), 30)
        rows.append({"case": name, "search": (t_old, t_new), "same": bool(np.all(n_new == n_old))})
    return rows


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms"


def main() -> None:
    print(f"cxplan staffing search benchmark (numpy {np.__version__}, pandas {pd.__version__})")
    print("times are best of 7 (tables) or 30 (small searches); planner: median of 9 changes\n")
    print("(a) interval tables of the demo regions (26 weeks x 48 half hours)")
    print("| case | model | intervals (busy) | required_agents prev -> now | ratio "
          "| staff_intervals prev -> now | ratio | same |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in bench_tables():
        (so, sn), (to, tn) = r["search"], r["staff"]
        print(f"| {r['case']} | {r['kind']} | {r['intervals']:,} ({r['busy']:,}) | {ms(so)} -> "
              f"{ms(sn)} | {so / sn:.1f}x | {ms(to)} -> {ms(tn)} | {to / tn:.1f}x | "
              f"{r['same']} |")  # fmt: skip

    print("\n(b) the planner, one AHT change")
    print("| region | operation_figures prev -> now | ratio | set_value redraw prev -> now "
          "| same figures |")  # fmt: skip
    print("| --- | --- | --- | --- | --- |")
    for region in ("north-america", "asia-pacific"):
        p = bench_planner(region)
        print(f"| {region} | {ms(p['figures_old'])} -> {ms(p['figures_new'])} | "
              f"{p['figures_old'] / p['figures_new']:.1f}x | {ms(p['redraw_old'])} -> "
              f"{ms(p['redraw_new'])} | {p['same']} |")  # fmt: skip

    print("\n(c) small searches run on each planner update")
    print("| case | previous | now | ratio | same |")
    print("| --- | --- | --- | --- | --- |")
    for r in bench_small():
        so, sn = r["search"]
        print(f"| {r['case']} | {ms(so)} | {ms(sn)} | {so / sn:.1f}x | {r['same']} |")


if __name__ == "__main__":
    main()
