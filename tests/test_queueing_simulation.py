"""cxplan.workforce.queueing against a seeded discrete-event simulation of M/M/n and M/M/n+M.

Each configuration runs 20 independent replications (own seed from one SeedSequence, empty system
at t = 0, first 5,000 callers discarded as warm-up). Every metric is estimated once per replication,
and a Student-t 99 % confidence interval over the replications must contain the analytic value.
The simulator (tests/_des.py) is an exact FCFS sample-path recursion; see its docstring for why it
is hand-written rather than simpy (speed), and ``test_recursion_equals_simpy`` for the proof that
both give the same sample path.

Deterministic: fixed seeds, so the outcome never changes between runs. About 40 intervals are
checked; the seeds were not chosen after looking at results (seed = configuration number).
"""

from __future__ import annotations

import functools

import _des  # tests/ is on sys.path under pytest's default rootdir import mode
import numpy as np
import pytest

from cxplan.workforce import queueing as q

LEVEL = 0.99
REPS = 20
WARMUP = 5_000

# (name, traffic, agents, aht s, patience s or None, answer_time s, callers per replication)
CONFIGS = {
    "C-small": (2.0, 3, 180.0, None, 20.0, 60_000),
    "C-medium": (45.0, 50, 300.0, None, 20.0, 100_000),
    "C-near-critical": (47.5, 50, 300.0, None, 20.0, 200_000),  # occupancy 0.95
    "A-small": (3.0, 3, 180.0, 120.0, 20.0, 60_000),
    "A-medium": (48.0, 50, 300.0, 180.0, 20.0, 100_000),
    "A-overloaded": (60.0, 50, 180.0, 120.0, 20.0, 100_000),  # n < A: only abandonment saves it
}
SEEDS = {name: i for i, name in enumerate(CONFIGS, start=1)}


@functools.cache
def _simulated(name: str) -> dict[str, np.ndarray]:
    traffic, agents, aht, patience, t, callers = CONFIGS[name]
    return _des.replications(
        SEEDS[name],
        reps=REPS,
        traffic=traffic,
        agents=agents,
        aht=aht,
        answer_time=t,
        patience=patience,
        callers=callers,
        warmup=WARMUP,
    )


def _analytic(name: str, metric: str) -> float:
    traffic, agents, aht, patience, t, _ = CONFIGS[name]
    args = (traffic, agents, aht)
    if metric == "p_wait":
        # P(wait > 0) = 1 - P(virtual wait <= 0); for Erlang C also checked against erlang_c
        value = 1.0 - q.service_level(*args, 0.0, patience, definition="virtual")
        if patience is None:
            assert value == pytest.approx(q.erlang_c(traffic, agents), abs=1e-12)
        return value
    if metric.startswith("sl_"):
        return q.service_level(*args, t, patience, definition=metric[3:])
    if metric == "asa":
        return q.asa(*args, patience)
    if metric == "abandonment":
        return q.abandonment(*args, np.inf if patience is None else patience)
    if metric == "occupancy":
        return q.occupancy(*args, patience)
    raise AssertionError(metric)


METRICS = ["p_wait", "sl_offered", "sl_answered", "sl_virtual", "asa", "abandonment", "occupancy"]
CASES = [(name, m) for name in CONFIGS for m in METRICS]


@pytest.mark.parametrize(("name", "metric"), CASES, ids=[f"{n}-{m}" for n, m in CASES])
def test_analytic_value_inside_simulation_ci(name: str, metric: str) -> None:
    samples = _simulated(name)[metric]
    expected = _analytic(name, metric)
    if CONFIGS[name][3] is None and metric == "abandonment":
        assert expected == 0.0 and np.all(samples == 0.0)  # nobody abandons in Erlang C
        return
    lo, hi = _des.ci(samples, LEVEL)
    assert lo <= expected <= hi, (
        f"{name} {metric}: analytic {expected:.6g} not in [{lo:.6g}, {hi:.6g}]"
    )


def test_simulation_can_tell_the_service_level_definitions_apart() -> None:
    # Power check: the intervals are narrow enough that the three Erlang A definitions, which
    # differ by about 0.006-0.17 here, are told apart. A wrong definition would fail above.
    sim = _simulated("A-small")
    traffic, agents, aht, patience, t, _ = CONFIGS["A-small"]
    for measured in ("sl_offered", "sl_answered", "sl_virtual"):
        lo, hi = _des.ci(sim[measured], LEVEL)
        for other in {"sl_offered", "sl_answered", "sl_virtual"} - {measured}:
            wrong = q.service_level(traffic, agents, aht, t, patience, definition=other[3:])
            assert not lo <= wrong <= hi, (measured, other)
    # and Erlang C with one agent fewer or more is far outside the medium-size interval
    lo, hi = _des.ci(_simulated("C-medium")["sl_offered"], LEVEL)
    for n in (49, 51):
        assert not lo <= q.service_level(45.0, n, 300.0, 20.0) <= hi


def test_recursion_equals_simpy() -> None:
    # The same draws through the hand-written recursion and a simpy process model give the same
    # callers answered and the same waits (Erlang A, 3 agents, 4,000 callers).
    rng = np.random.default_rng(2024)
    d = _des.draw(rng, traffic=3.0, aht=180.0, patience=120.0, callers=4_000)
    fast = _des.simulate(d, 3, warmup=0)
    wait, answered = _des.simulate_simpy(d, 3)
    assert np.array_equal(fast.answered, answered)
    np.testing.assert_allclose(fast.virtual_wait[answered], wait[answered], rtol=0, atol=1e-6)
    assert 0.1 < 1 - answered.mean() < 0.5  # a real test: a good share abandons
