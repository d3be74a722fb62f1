"""Benchmark: cxplan.workforce.routing.simulate against simpy and ciw running the same model.

Run: ``.venv/bin/python bench/bench_routing.py`` (``make bench`` installs the ``bench`` extra with
ciw; simpy is a dev dependency). Prints simulated contacts per second and the ratios; asserts
nothing about speed. Brief by design (about half a minute on a shared 2-core machine).

(a) Skills-based routing, a 2-skill chain as in the cross-training study: 6 queues, each 240
    contacts per hour (20 Erlangs), exponential handle time 300 s, exponential patience 300 s,
    answer within 20 s; 6 agent groups in a 2-skill chain (group i: primary queue i, secondary
    queue i+1, overflow after 10 s), 22 agents each; 8-hour window after a 1-hour warm-up plus a
    1-hour cool-down. The same drawn contacts (4 replications) go through cxplan's compiled event
    loop and through the simpy model of bench/routing_peers.py; their per-contact answer times and
    groups must agree exactly (checked here), so both simulate the identical sample path. cxplan's
    time includes drawing the inputs and tallying the statistics; simpy's only the event loop.
    cxplan is timed on 40 replications (its first 4 are simpy's), simpy on 4; both as the best of
    three runs (ciw: two).
(b) One queue M/M/n+M (100 Erlangs, AHT 180 s, patience 120 s, 95 agents): cxplan against ciw,
    whose own draws (same distributions) are used, over four simulated hours for ciw.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from routing_peers import simulate_ciw, simulate_simpy

from cxplan.workforce import routing

SEED = 2024


def chain_model() -> routing.RoutingModel:
    queues = [
        routing.ContactType(
            f"Q{i + 1}", rate_per_hour=240.0, aht_s=300.0, patience_s=300.0, overflow_after_s=10.0
        )
        for i in range(6)
    ]
    groups = [
        routing.AgentGroup(
            f"G{i + 1}", skills=[f"Q{i + 1}"], secondary_skills=[f"Q{(i + 1) % 6 + 1}"]
        )
        for i in range(6)
    ]
    return routing.RoutingModel(queues, groups)


def best_of(fn, repeat: int = 3) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def part_a() -> None:
    model = chain_model()
    agents = np.full(6, 22)
    reps = 4
    t0 = time.perf_counter()
    routing.simulate(model, agents, replications=1, run_s=600.0, seed=0)  # compile or load cache
    print(f"first call (numba compile or cache load): {time.perf_counter() - t0:.2f} s")

    seeds = routing.replication_seeds(SEED, reps)
    inputs = [routing.draw_inputs(model, s) for s in seeds]
    contacts = sum(x.arrival_s.size for x in inputs)

    # cxplan is timed on 10x the replications (same model and seed; its first 4 are the ones
    # simpy runs) so that its timing is not lost in timer noise
    t_cx, result = best_of(
        lambda: routing.simulate(model, agents, replications=10 * reps, seed=SEED)
    )
    rate_cx = result.contacts_simulated / t_cx

    t_py, paths = best_of(lambda: [simulate_simpy(model, agents, x) for x in inputs])
    for x, (start, group) in zip(inputs, paths, strict=True):
        log = routing.contact_log(model, agents, x)
        same = np.array_equal(np.nan_to_num(start, nan=-1.0), log["answered_s"].fillna(-1.0))
        if not (same and np.array_equal(group, log["group_index"])):
            raise SystemExit("simpy and cxplan disagree on the sample path")
    rate_py = contacts / t_py
    print(
        f"(a) 6-queue 2-skill chain, replications of 10 h: simpy {reps} ({contacts:,} contacts), "
        f"cxplan {10 * reps} ({result.contacts_simulated:,}); identical sample paths on simpy's"
    )
    print(f"    cxplan (numba):  {t_cx:8.3f} s  {rate_cx:12,.0f} contacts/s")
    print(f"    simpy {_v('simpy')}:    {t_py:8.3f} s  {rate_py:12,.0f} contacts/s")
    print(f"    ratio cxplan / simpy: {rate_cx / rate_py:.0f}x")
    q = result.queues
    print(
        f"    SL per queue {np.round(q['sl'].to_numpy(), 3)}, abandonment "
        f"{np.round(q['abandon_rate'].to_numpy(), 3)}, occupancy "
        f"{np.round(result.groups['occupancy'].to_numpy(), 3)}"
    )


def part_b() -> None:
    rate, aht, patience, n = 100.0 / 180.0, 180.0, 120.0, 95
    model = routing.RoutingModel(
        [routing.ContactType("Q", rate_per_hour=rate * 3600, aht_s=aht, patience_s=patience)],
        [routing.AgentGroup("G", skills=["Q"])],
    )
    t_cx, res = best_of(
        lambda: routing.simulate(model, [n], replications=10, run_s=8 * 3600.0, seed=SEED)
    )
    rate_cx = res.contacts_simulated / t_cx
    t_ciw, count = best_of(lambda: simulate_ciw(rate, aht, patience, n, 4 * 3600.0, SEED), repeat=2)
    rate_ciw = count / t_ciw
    print(f"(b) M/M/95+M, 100 Erlangs: cxplan {res.contacts_simulated:,} contacts in {t_cx:.3f} s")
    print(f"    cxplan (numba):  {rate_cx:12,.0f} contacts/s")
    print(f"    ciw {_v('ciw')}:      {rate_ciw:12,.0f} contacts/s ({count:,} contacts in 4 h)")
    print(f"    ratio cxplan / ciw: {rate_cx / rate_ciw:.0f}x")


def _v(name: str) -> str:
    from importlib.metadata import version

    return version(name)


if __name__ == "__main__":
    part_a()
    part_b()
