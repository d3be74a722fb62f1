"""cxplan.workforce.routing.simulate against closed-form queueing results (99 % t intervals).

Sources of the reference values (none computed by the simulator):

* Erlang C (M/M/n) and Erlang A (M/M/n+M): cxplan.workforce.queueing, itself checked against
  published tables and an exact birth-death solver (tests/test_queueing_reference.py); for Erlang C
  the service level is also recomputed here with the stable Erlang B recursion
  ``B(k) = A·B(k−1)/(k + A·B(k−1))``, ``C = nB/(n − A(1 − B))``, ``SL = 1 − C·e^{−(n−A)t/aht}``
  (Gans, Koole & Mandelbaum, M&SOM 2003, eq. (2)-(3)).
* Full cross-training = one pool: with identical handle-time distributions and FCFS across queues,
  every queue of a fully cross-trained centre sees the M/M/n wait of the total traffic
  (Wallace & Whitt, M&SOM 2005, section 3: "resource pooling").
* Non-preemptive priorities in M/M/n with a common service rate: mean wait of class k
  ``W_k = C(n, A) / (nμ (1 − σ_{k−1})(1 − σ_k))``, ``σ_k = Σ_{i≤k} λ_i/(nμ)`` (Cobham 1954; Gross,
  Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed., section 3.4.1).
* Carried load: with no abandonment, occupancy = λ·E[S]/n for any handle-time distribution
  (Little's law), checked with lognormal handle times.

Each configuration runs 20 replications (seed = configuration number, chosen before looking at
results). The checks of one configuration hold jointly at 99 %: with ``m`` checks each t interval
is at level ``1 − 0.01/m`` (Bonferroni), so a correct simulator fails a configuration with
probability at most 1 %. (Per-check 99 % intervals over the ~25 checks here would fail some check
about a fifth of the time by chance alone; the first run did, on one occupancy interval.)
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from cxplan.workforce import queueing as q
from cxplan.workforce.routing import AgentGroup, ContactType, RoutingModel, simulate, t_interval

REPS = 20


def level(checks: int) -> float:
    """Per-interval level so that ``checks`` intervals hold jointly at 99 % (Bonferroni)."""
    return 1.0 - 0.01 / checks


def one_queue(traffic: float, aht: float, patience: float | None, t: float) -> RoutingModel:
    return RoutingModel(
        [
            ContactType(
                "Q",
                rate_per_hour=traffic / aht * 3600,
                aht_s=aht,
                patience_s=patience,
                answer_time_s=t,
            )
        ],
        [AgentGroup("G", ["Q"])],
    )


def inside(result, metric: str, value: float, row: str = "Q") -> None:
    lo = result.queues.loc[row, f"{metric}_low"]
    hi = result.queues.loc[row, f"{metric}_high"]
    assert lo <= value <= hi, f"{metric}: {value:.5f} outside [{lo:.5f}, {hi:.5f}]"


def erlang_c_sl(traffic: float, n: int, aht: float, t: float) -> float:
    b = 1.0
    for k in range(1, n + 1):
        b = traffic * b / (k + traffic * b)
    c = n * b / (n - traffic * (1.0 - b))
    return 1.0 - c * math.exp(-(n - traffic) * t / aht)


# (traffic Erlangs, agents, aht s, answer time s, run hours)
ERLANG_C = {
    "small": (4.0, 6, 240.0, 20.0, 24.0),
    "medium": (45.0, 50, 300.0, 20.0, 8.0),
}


@pytest.mark.parametrize("name", list(ERLANG_C))
def test_one_skill_agrees_with_erlang_c(name: str) -> None:
    a, n, aht, t, hours = ERLANG_C[name]
    res = simulate(
        one_queue(a, aht, None, t),
        [n],
        replications=REPS,
        run_s=hours * 3600,
        seed=list(ERLANG_C).index(name) + 1,
        level=level(5),
    )
    sl = erlang_c_sl(a, n, aht, t)
    assert sl == pytest.approx(q.service_level(a, n, aht, t), rel=1e-10)
    for metric in ("sl", "sl_answered", "sl_virtual"):  # the three coincide without abandonment
        inside(res, metric, sl)
    inside(res, "asa_s", q.asa(a, n, aht))
    occ = res.groups.loc["G"]
    assert occ["occupancy_low"] <= a / n <= occ["occupancy_high"]
    assert res.queues.loc["Q", "abandon_rate"] == 0.0


# (traffic, agents, aht, patience, answer time, run hours)
ERLANG_A = {
    "small": (3.0, 3, 180.0, 120.0, 20.0, 24.0),
    "overloaded": (60.0, 55, 180.0, 240.0, 20.0, 8.0),
}


@pytest.mark.parametrize("name", list(ERLANG_A))
def test_one_skill_agrees_with_erlang_a(name: str) -> None:
    a, n, aht, pat, t, hours = ERLANG_A[name]
    res = simulate(
        one_queue(a, aht, pat, t),
        [n],
        replications=REPS,
        run_s=hours * 3600,
        seed=10 + list(ERLANG_A).index(name),
        level=level(6),
    )
    for metric, definition in (
        ("sl", "offered"),
        ("sl_answered", "answered"),
        ("sl_virtual", "virtual"),
    ):
        inside(res, metric, q.service_level(a, n, aht, t, pat, definition=definition))
    inside(res, "asa_s", q.asa(a, n, aht, pat))
    inside(res, "abandon_rate", q.abandonment(a, n, aht, pat))
    occ = res.groups.loc["G"]
    assert occ["occupancy_low"] <= q.occupancy(a, n, aht, pat) <= occ["occupancy_high"]


def test_full_cross_training_is_the_pooled_erlang_model() -> None:
    # 3 queues of different sizes, two groups that both have every skill: one pool of 40 agents
    rates = {"A": 20.0, "B": 10.0, "C": 5.0}  # Erlangs
    aht, n = 240.0, 40
    model = RoutingModel(
        [ContactType(k, rate_per_hour=v / aht * 3600, aht_s=aht) for k, v in rates.items()],
        [AgentGroup("G1", ["A", "B", "C"]), AgentGroup("G2", ["C", "A", "B"])],
    )
    res = simulate(model, [25, 15], replications=REPS, run_s=8 * 3600, seed=21, level=level(7))
    total = sum(rates.values())
    sl, asa = erlang_c_sl(total, n, aht, 20.0), q.asa(total, n, aht)
    for name in rates:
        inside(res, "sl", sl, name)
        inside(res, "asa_s", asa, name)
    busy = (res.per_replication("occupancy") * np.array([25, 15])).sum(axis=1) / n
    _, lo, hi = t_interval(busy[:, None], level(7))
    assert lo[0] <= total / n <= hi[0]


def test_non_preemptive_priorities_follow_cobham() -> None:
    # one pool of 20 agents, three classes (priority 0 first), common aht 200 s, 17 Erlangs
    aht, n = 200.0, 20
    loads = [4.0, 6.0, 7.0]
    model = RoutingModel(
        [
            ContactType(f"P{k}", rate_per_hour=a / aht * 3600, aht_s=aht, priority=k)
            for k, a in enumerate(loads)
        ],
        [AgentGroup("G", ["P0", "P1", "P2"])],
    )
    res = simulate(model, [n], replications=REPS, run_s=12 * 3600, seed=31, level=level(3))
    c = q.erlang_c(sum(loads), n)
    mu = 1.0 / aht
    sigma = np.cumsum(loads) / n
    prev = 0.0
    for k in range(3):
        w = c / (n * mu * (1.0 - prev) * (1.0 - sigma[k]))
        inside(res, "asa_s", w, f"P{k}")
        prev = sigma[k]
    asa = res.queues["asa_s"].to_numpy()
    assert asa[0] < asa[1] < asa[2]


def test_lognormal_handle_times_carry_their_load() -> None:
    a, n, aht = 8.0, 10, 300.0
    model = RoutingModel(
        [
            ContactType(
                "Q",
                rate_per_hour=a / aht * 3600,
                aht_s=aht,
                handle_time="lognormal",
                handle_time_cv=0.5,
            )
        ],
        [AgentGroup("G", ["Q"])],
    )
    res = simulate(model, [n], replications=REPS, run_s=24 * 3600, seed=41, level=level(1))
    g = res.groups.loc["G"]
    assert g["occupancy_low"] <= a / n <= g["occupancy_high"]
    # less variable handle times wait less than exponential ones (Kingman / Lee-Longton)
    assert res.queues.loc["Q", "asa_s_high"] < q.asa(a, n, aht)
