"""Discrete-event simulation of the M/M/n (Erlang C) and M/M/n+M (Erlang A) call-centre queue.

Used by ``test_queueing_simulation.py`` to cross-check :mod:`cxplan.workforce.queueing` against
something that
shares no formula with it.

Why a hand-written simulator instead of simpy
---------------------------------------------
The queue is first-come first-served with identical agents, so the whole event dynamics collapse to
the Kiefer-Wolfowitz recursion on the agents' next-free times (a min-heap of ``n`` values):

* caller ``i`` arrives at ``a_i``; the earliest-free agent is free at ``f = min(heap)``;
* the wait an infinitely patient caller would have is ``v_i = max(0, f - a_i)`` (the virtual
  wait);
* if the caller's patience ``p_i < v_i`` the caller abandons after ``p_i`` and leaves the agents
  untouched (under FCFS an abandoning caller never blocks a later one);
* otherwise the caller is answered at ``a_i + v_i`` and that agent becomes free at
  ``a_i + v_i + s_i``.

This is an exact sample path of the FCFS M/M/n+M queue (patience = inf gives M/M/n), not an
approximation. One ``heapq.heapreplace`` per answered caller costs about 0.4 microseconds against
about 38 for a simpy process per caller (measured: 86x, 40,000 callers, 50 agents). That is what
lets the test run 1-4 million callers per configuration inside its time budget and get 99 %
confidence intervals narrow enough to catch real errors. All random draws are vectorised numpy;
only the heap update is a Python loop (it is inherently sequential).
:func:`simulate_simpy` is the same model written with simpy, used once on a small run to show both
simulators produce the identical sample path from the same draws.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

__all__ = ["Draws", "Replication", "ci", "draw", "replications", "simulate", "simulate_simpy"]


@dataclass(frozen=True)
class Draws:
    """Random inputs of one replication (seconds)."""

    arrival: npt.NDArray[np.float64]
    service: npt.NDArray[np.float64]
    patience: npt.NDArray[np.float64]


@dataclass(frozen=True)
class Replication:
    """Per-caller outcome of one replication (after warm-up) and the agents' busy time."""

    virtual_wait: npt.NDArray[np.float64]  # wait of an infinitely patient caller
    answered: npt.NDArray[np.bool_]
    busy_share: float  # agent busy time / (agents * observed time)


def draw(
    rng: np.random.Generator, *, traffic: float, aht: float, patience: float | None, callers: int
) -> Draws:
    """Draw Poisson arrivals, exponential handle times and exponential patience (inf if None)."""
    rate = traffic / aht
    arrival = np.cumsum(rng.exponential(1.0 / rate, callers))
    service = rng.exponential(aht, callers)
    pat = np.full(callers, np.inf) if patience is None else rng.exponential(patience, callers)
    return Draws(arrival, service, pat)


def simulate(d: Draws, agents: int, warmup: int) -> Replication:
    """Run the FCFS recursion (see module docstring); statistics skip the first ``warmup``."""
    free = [0.0] * agents  # a valid heap: all agents free at t = 0 (empty system)
    arrival = d.arrival.tolist()
    service = d.service.tolist()
    patience = d.patience.tolist()
    n = len(arrival)
    vwait = [0.0] * n
    ans = [False] * n
    start_busy = [0.0] * n  # answer time of answered callers (to measure busy time)
    for i in range(n):
        a = arrival[i]
        f = free[0]
        v = f - a if f > a else 0.0
        vwait[i] = v
        if patience[i] >= v:
            ans[i] = True
            start_busy[i] = a + v
            heapq.heapreplace(free, a + v + service[i])
    vw = np.asarray(vwait)[warmup:]
    an = np.asarray(ans)[warmup:]
    # Busy time inside the observation window [t0, t1]: clip every answered call's service interval.
    t0, t1 = arrival[warmup], arrival[-1]
    s0 = np.asarray(start_busy)
    s1 = s0 + d.service
    mask = np.asarray(ans)
    busy = np.clip(np.minimum(s1, t1) - np.maximum(s0, t0), 0.0, None)[mask].sum()
    return Replication(vw, an, float(busy / (agents * (t1 - t0))))


def simulate_simpy(d: Draws, agents: int) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """The same model as a simpy process model (slow; for a small equivalence check only).

    Returns per-caller virtual wait and answered flag (no warm-up removed).
    """
    import simpy

    env = simpy.Environment()
    staff = simpy.Resource(env, capacity=agents)
    n = len(d.arrival)
    vwait = np.zeros(n)
    ans = np.zeros(n, dtype=bool)
    # The virtual wait of caller i is when an agent would take it were it infinitely patient; with
    # FCFS that is when its request is granted if it stays in line. An impatient caller leaves the
    # line at its patience; its own request is then cancelled and does not delay anyone.
    grant = np.full(n, np.nan)

    def caller(i: int) -> Generator[Any, Any, None]:
        yield env.timeout(d.arrival[i] - env.now)
        with staff.request() as req:
            res = yield req | env.timeout(d.patience[i])
            if req in res:
                grant[i] = env.now
                ans[i] = True
                yield env.timeout(d.service[i])

    def source() -> Generator[Any, Any, None]:
        for i in range(n):
            env.process(caller(i))
            yield env.timeout(0)

    env.process(source())
    env.run()
    vwait[ans] = grant[ans] - d.arrival[ans]
    return vwait, ans


def replications(
    seed: int,
    *,
    reps: int,
    traffic: float,
    agents: int,
    aht: float,
    answer_time: float,
    patience: float | None,
    callers: int,
    warmup: int,
) -> dict[str, npt.NDArray[np.float64]]:
    """Run ``reps`` independent replications; return one estimate per replication for each metric.

    Metrics: ``p_wait`` (arrival finds every agent busy), ``sl_offered`` (answered within
    ``answer_time`` / offered), ``sl_answered`` (... / answered), ``sl_virtual`` (virtual wait
    within ``answer_time``), ``asa`` (mean wait of answered callers), ``abandonment``
    (abandoned / offered), ``occupancy`` (busy time / agent time).
    """
    children = np.random.SeedSequence(seed).spawn(reps)
    out: dict[str, list[float]] = {
        k: []
        for k in (
            "p_wait",
            "sl_offered",
            "sl_answered",
            "sl_virtual",
            "asa",
            "abandonment",
            "occupancy",
        )
    }
    for child in children:
        rng = np.random.default_rng(child)
        d = draw(rng, traffic=traffic, aht=aht, patience=patience, callers=callers)
        r = simulate(d, agents, warmup)
        within = r.answered & (r.virtual_wait <= answer_time)
        out["p_wait"].append(float(np.mean(r.virtual_wait > 0.0)))
        out["sl_offered"].append(float(np.mean(within)))
        out["sl_answered"].append(float(within.sum() / r.answered.sum()))
        out["sl_virtual"].append(float(np.mean(r.virtual_wait <= answer_time)))
        out["asa"].append(float(r.virtual_wait[r.answered].mean()))
        out["abandonment"].append(float(1.0 - np.mean(r.answered)))
        out["occupancy"].append(r.busy_share)
    return {k: np.asarray(v) for k, v in out.items()}


def ci(samples: npt.NDArray[np.float64], level: float) -> tuple[float, float]:
    """Two-sided Student-t confidence interval for the mean of independent replications."""
    k = len(samples)
    half = stats.t.ppf(0.5 + level / 2.0, k - 1) * samples.std(ddof=1) / math.sqrt(k)
    m = float(samples.mean())
    return m - half, m + half
