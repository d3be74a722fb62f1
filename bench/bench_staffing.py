"""Benchmark: cxplan.workforce.queueing.required_agents against pyworkforce 0.5.1 and a birth-death
peer.

Run: ``.venv/bin/python bench/bench_staffing.py`` (``make bench`` installs the ``bench`` extra,
pyworkforce==0.5.1). Prints timings and agreement; asserts nothing about speed.

(a) A year of 15-minute intervals (35,040) with a realistic shape (closed nights with zero volume,
    weekly and seasonal pattern, peak about 300 calls per 15 min, AHT 300 s), Erlang C 80/20:
    cxplan's vectorised ``required_agents`` against pyworkforce's ``ErlangC.required_positions``
    looped over the non-empty intervals (pyworkforce rejects empty ones). Disagreements are
    settled with an independent Erlang C (stable Erlang B recursion written here).
(b) Erlang A at 1,000 Erlangs (AHT 180 s, mean patience 180 s, 80 % answered within 20 s of
    offered): cxplan against pyworkforce's ErlangA if it can be imported, else against a
    birth-death M/M/n+M solver written here, searched the peer's way (linear from ceil(A)) and
    correctly (integer bisection).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import expm_multiply
from scipy.special import gammaln, logsumexp

from cxplan.workforce import queueing as q

SEED = 20_240_601
AHT_S = 300.0
INTERVAL_S = 900.0
ANSWER_S = 20.0
TARGET = 0.8
PEER_BUDGET_S = 60.0


# ---------------------------------------------------------------------------------------------
# (a) the year of intervals
# ---------------------------------------------------------------------------------------------


def year_of_intervals(seed: int = SEED) -> np.ndarray:
    """Calls per 15-minute interval for 365 days: closed 22:00-07:00, weekly and yearly shape."""
    rng = np.random.default_rng(seed)
    slot = np.arange(96) / 4.0  # hour of day
    # two-hump intraday curve (late morning and early afternoon), zero while closed
    shape = np.exp(-0.5 * ((slot - 10.5) / 1.8) ** 2) + 0.8 * np.exp(
        -0.5 * ((slot - 14.5) / 2.0) ** 2
    )
    shape = np.where((slot >= 7.0) & (slot < 22.0), 0.04 + shape, 0.0)
    shape /= shape.max()
    week = np.array([1.15, 1.05, 1.0, 1.0, 0.95, 0.45, 0.25])  # Mon..Sun
    days = np.arange(365)
    season = 1.0 + 0.12 * np.cos(2 * np.pi * (days - 15) / 365.0)  # busier in January
    peak = 300.0 / (week.max() * season.max())  # the busiest slot of the year is ~300 calls
    mean = peak * shape[None, :] * (week[days % 7] * season)[:, None]
    return rng.poisson(mean).ravel().astype(float)


def erlang_c_sl_independent(traffic: float, agents: int, aht: float, t: float) -> float:
    """Erlang C service level with the stable Erlang B recursion (independent of both libraries)."""
    if agents <= traffic:
        return 0.0
    b = 1.0
    for k in range(1, agents + 1):
        b = traffic * b / (k + traffic * b)
    c = agents * b / (agents - traffic * (1.0 - b))
    return 1.0 - c * math.exp(-(agents - traffic) * t / aht)


def best_of(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    best, out = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def bench_year() -> dict[str, Any]:
    calls = year_of_intervals()
    traffic = q.traffic_erlangs(calls, AHT_S, INTERVAL_S)
    t_cx, agents = best_of(lambda: q.required_agents(traffic, AHT_S, ANSWER_S, TARGET))

    from pyworkforce.queuing import ErlangC

    def peer(n_calls: float) -> int:
        # pyworkforce units: aht, asa (its name for the target answer time) and interval in minutes
        erl = ErlangC(
            transactions=n_calls, aht=AHT_S / 60, asa=ANSWER_S / 60, interval=INTERVAL_S / 60,
            shrinkage=0,
        )  # fmt: skip
        return int(erl.required_positions(service_level=TARGET, max_occupancy=1.0)["raw_positions"])

    busy = np.flatnonzero(calls > 0)  # pyworkforce raises on transactions <= 0
    rng = np.random.default_rng(SEED)
    probe = rng.choice(busy, size=min(500, busy.size), replace=False)
    t0 = time.perf_counter()
    for i in probe:
        peer(calls[i])
    per_interval = (time.perf_counter() - t0) / probe.size
    if per_interval * busy.size <= PEER_BUDGET_S:
        sample, scaled = busy, False
    else:
        sample = np.sort(rng.choice(busy, size=int(PEER_BUDGET_S / per_interval), replace=False))
        scaled = True
    t0 = time.perf_counter()
    peer_agents = np.array([peer(calls[i]) for i in sample])
    t_peer = (time.perf_counter() - t0) * (busy.size / sample.size)

    ours = agents[sample]
    differ = np.flatnonzero(peer_agents != ours)
    peer_wrong = ours_wrong = 0
    for k in differ:
        a = float(traffic[sample[k]])

        def minimal(n: int, a: float = a) -> bool:
            return (
                erlang_c_sl_independent(a, n, AHT_S, ANSWER_S) >= TARGET
                and erlang_c_sl_independent(a, n - 1, AHT_S, ANSWER_S) < TARGET
            )

        peer_wrong += not minimal(int(peer_agents[k]))
        ours_wrong += not minimal(int(ours[k]))
    examples = [(float(traffic[sample[k]]), int(ours[k]), int(peer_agents[k])) for k in differ[:3]]
    return {
        "intervals": calls.size,
        "empty": int(calls.size - busy.size),
        "peak_calls": int(calls.max()),
        "t_cx": t_cx,
        "t_peer": t_peer,
        "scaled": scaled,
        "sample": int(sample.size),
        "busy": int(busy.size),
        "same": float(np.mean(peer_agents == ours)),
        "differ": int(differ.size),
        "peer_wrong": peer_wrong,
        "ours_wrong": ours_wrong,
        "examples": examples,
        "cx_empty_zero": bool(np.all(agents[calls == 0] == 0)),
    }


# ---------------------------------------------------------------------------------------------
# (b) Erlang A at 1,000 Erlangs
# ---------------------------------------------------------------------------------------------


def erlang_a_sl_birth_death(
    traffic: float, agents: int, aht: float, patience: float, t: float
) -> float:
    """Offered service level of M/M/n+M from the truncated birth-death chain, solved directly.

    Stationary distribution by the product form of the balance equations (log space), truncated
    where the tail is below e^-60 of the mode; P(answered within t | j queued ahead) from the
    queue-position chain (ahead advances at n mu + i theta, the caller leaves at theta) with a
    sparse matrix exponential.
    """
    lam, mu, th, n = traffic / aht, 1.0 / aht, 1.0 / patience, int(agents)
    k = np.arange(n + 1)
    log_low = k * math.log(traffic) - gammaln(k + 1.0)
    j_max = 64
    while True:
        i = np.arange(1, j_max + 1)
        log_q = log_low[-1] + np.cumsum(np.log(lam / (n * mu + i * th)))
        if lam < n * mu + j_max * th and log_q[-1] < max(log_low.max(), log_q.max()) - 60:
            break
        j_max *= 2
    log_z = logsumexp(np.concatenate([log_low, log_q]))
    ahead = np.exp(np.concatenate([[log_low[-1]], log_q]) - log_z)
    p_nowait = float(np.exp(logsumexp(log_low[:-1]) - log_z))
    r = n * mu + np.arange(ahead.size) * th + th  # total leaving rate of a position (tilted)
    served = np.cumprod((r - th) / r)
    m = r.size
    rows = np.concatenate([np.arange(m), np.arange(1, m), [0]])
    cols = np.concatenate([np.arange(m), np.arange(m - 1), [m]])
    vals = np.concatenate([-r, r[1:], r[:1]])
    gen = sp.csr_matrix((vals, (rows, cols)), shape=(m + 1, m + 1))
    return p_nowait + float(expm_multiply(gen.T * t, np.append(ahead * served, 0.0))[-1])


def peer_linear_from_ceil(traffic: float, sl: Callable[[int], float], target: float) -> int:
    """The peer's search: start at ceil(A) and step up until the target is met."""
    n = math.ceil(traffic)
    while sl(n) < target:
        n += 1
    return n


def correct_bisection(traffic: float, sl: Callable[[int], float], target: float) -> int:
    """Smallest n >= 1 with sl(n) >= target (sl non-decreasing in n), by integer bisection."""
    lo, hi = 0, max(1, math.ceil(traffic))
    while sl(hi) < target:
        lo, hi = hi, 2 * hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if mid > 0 and sl(mid) >= target:
            hi = mid
        else:
            lo = mid
    return hi


def bench_erlang_a() -> dict[str, Any]:
    traffic, aht, patience = 1000.0, 180.0, 180.0
    t_cx, n_cx = best_of(
        lambda: q.required_agents(traffic, aht, ANSWER_S, TARGET, patience=patience), repeat=20
    )

    def sl(n: int) -> float:
        return erlang_a_sl_birth_death(traffic, n, aht, patience, ANSWER_S)

    try:  # newer pyworkforce (Python >= 3.12) ships ErlangA; 0.5.1 does not
        from pyworkforce.queuing import ErlangA  # type: ignore[attr-defined]
    except ImportError:
        ErlangA = None
    peer: dict[str, Any] = {"name": "pyworkforce ErlangA: not importable"}
    if ErlangA is not None:
        # its units are minutes; its service level is answered-within-t over offered, like ours
        erl = ErlangA(
            transactions=traffic * 60 / aht * 60, aht=aht / 60, asa=ANSWER_S / 60, interval=60,
            patience=patience / 60,
        )  # fmt: skip
        t_pw, res = best_of(lambda: erl.required_positions(service_level=TARGET), repeat=1)
        peer = {"name": "pyworkforce ErlangA", "t": t_pw, "n": int(res["raw_positions"])}
    t_lin, n_lin = best_of(lambda: peer_linear_from_ceil(traffic, sl, TARGET), repeat=3)
    t_bis, n_bis = best_of(lambda: correct_bisection(traffic, sl, TARGET), repeat=3)
    return {
        "peer": peer,
        "t_cx": t_cx,
        "n_cx": n_cx,
        "t_lin": t_lin,
        "n_lin": n_lin,
        "t_bis": t_bis,
        "n_bis": n_bis,
        "sl_at_n": sl(n_cx),
        "sl_below": sl(n_cx - 1),
    }


def main() -> None:
    import pyworkforce

    print(f"cxplan staffing benchmark (pyworkforce {pyworkforce.__version__}, numpy "
          f"{np.__version__})")  # fmt: skip
    y = bench_year()
    print("\n(a) Erlang C 80/20, a year of 15-minute intervals, AHT 300 s")
    print(f"    intervals {y['intervals']:,} ({y['empty']:,} empty); busiest slot: Poisson "
          f"mean 300, largest draw {y['peak_calls']} calls")  # fmt: skip
    print(
        f"    cxplan required_agents (one vectorised call, all intervals): {y['t_cx'] * 1e3:.1f} ms"
    )
    how = (
        f"measured on a random {y['sample']:,} of {y['busy']:,} non-empty intervals and scaled"
        if y["scaled"]
        else f"all {y['busy']:,} non-empty intervals"
    )
    print(f"    pyworkforce ErlangC.required_positions loop ({how}): {y['t_peer']:.2f} s")
    print(f"    speed ratio: {y['t_peer'] / y['t_cx']:,.0f}x")
    print(f"    identical agent counts: {y['same']:.2%} of compared intervals")
    print(f"    pyworkforce wrong in {y['peer_wrong']} cases; cxplan wrong in "
          f"{y['ours_wrong']} cases (of {y['differ']} disagreements, checked at n and n-1 with an "
          "independent Erlang B recursion)")  # fmt: skip
    for a, ours, theirs in y["examples"]:
        print(f"      e.g. {a:.3f} Erlangs: cxplan {ours}, pyworkforce {theirs}")
    print(f"    cxplan gives 0 agents for every empty interval: {y['cx_empty_zero']}")

    e = bench_erlang_a()
    print(
        "\n(b) Erlang A, 1,000 Erlangs, AHT 180 s, mean patience 180 s, 80 % within 20 s (offered)"
    )
    if "n" in e["peer"]:
        print(f"    {e['peer']['name']}: {e['peer']['n']} agents in {e['peer']['t']:.2f} s")
    else:
        print(f"    {e['peer']['name']} (0.5.1 has none; its ErlangA needs Python >= 3.12), so the "
              "peer is the birth-death M/M/n+M solver in this script (truncated chain, solved "
              "directly)")  # fmt: skip
    print(f"    cxplan required_agents: {e['n_cx']} agents in {e['t_cx'] * 1e3:.2f} ms "
          f"(birth-death SL at n: {e['sl_at_n']:.4f}, at n-1: {e['sl_below']:.4f})")  # fmt: skip
    print(f"    peer search, linear from ceil(A): {e['n_lin']} agents in {e['t_lin']:.3f} s "
          f"(ratio {e['t_lin'] / e['t_cx']:,.0f}x)")  # fmt: skip
    print(f"    birth-death, correct bisection:   {e['n_bis']} agents in {e['t_bis']:.3f} s "
          f"(ratio {e['t_bis'] / e['t_cx']:,.0f}x)")  # fmt: skip

    print("\n| case | cxplan | peer | speed-up | answers |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| Erlang C 80/20, 35,040 x 15 min | {y['t_cx'] * 1e3:.0f} ms | pyworkforce "
          f"{y['t_peer']:.1f} s{' (scaled)' if y['scaled'] else ''} | "
          f"{y['t_peer'] / y['t_cx']:,.0f}x | {y['same']:.1%} identical; pyworkforce wrong in "
          f"{y['peer_wrong']}, cxplan in {y['ours_wrong']} |")  # fmt: skip
    print(f"| Erlang A 1,000 Erl, patience 180 s | {e['t_cx'] * 1e3:.1f} ms | linear from ceil(A) "
          f"{e['t_lin']:.2f} s | {e['t_lin'] / e['t_cx']:,.0f}x | cxplan {e['n_cx']}, peer-style "
          f"{e['n_lin']} (+{e['n_lin'] - e['n_cx']}) |")  # fmt: skip
    print(
        f"| same, correct bisection | | birth-death {e['t_bis']:.2f} s | "
        f"{e['t_bis'] / e['t_cx']:,.0f}x | {e['n_bis']} (agrees: {e['n_bis'] == e['n_cx']}) |"
    )


if __name__ == "__main__":
    main()
