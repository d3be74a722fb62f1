"""cxplan.workforce.routing's skills-based-routing model written with simpy; M/M/n+M with ciw.

Used by ``bench/bench_routing.py`` (speed of the same model in each library) and by
``tests/test_routing_simpy.py`` (the simpy model, fed the same random draws, must give the same
answer time and answering group for every contact as cxplan's compiled event loop).

The simpy model is written the way simpy is meant to be used, independently of cxplan's arrays:
one process per agent (serve, then choose the next contact or go idle and wait to be woken), one
arrival process, and per waiting contact a patience timer that really removes it from its queue
and an overflow timer that offers it to secondary-skill agents. Routing rules (same as
cxplan.workforce.routing's module docstring):

1. arrival: longest-idle agent among primary-skill groups; if none and the queue's overflow
   threshold is 0, among secondary-skill groups; else wait;
2. overflow timer (threshold > 0): the longest-idle secondary-skill agent takes the contact;
3. a freed agent takes the eligible queue head with the smallest (priority, skill level, arrival
   time); a secondary skill's head is eligible once it has waited the threshold;
4. a waiting contact leaves when its patience runs out.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy


@dataclass
class _Contact:
    index: int
    queue: int
    arrival: float
    work: float
    deadline: float
    waiting: bool = False


@dataclass
class _Agent:
    group: int
    wake: Any = None
    job: _Contact | None = None


@dataclass
class _State:
    env: simpy.Environment
    level: np.ndarray
    factor: np.ndarray
    aht: np.ndarray
    prio: np.ndarray
    tau: np.ndarray
    queues: list[collections.deque[_Contact]] = field(default_factory=list)
    idle: list[collections.deque[tuple[float, _Agent]]] = field(default_factory=list)
    start: np.ndarray | None = None
    group: np.ndarray | None = None


def _longest_idle(st: _State, q: int, lv: int) -> _Agent | None:
    best: tuple[float, int] | None = None
    for g in range(st.level.shape[0]):
        if st.level[g, q] == lv and st.idle[g]:
            since = st.idle[g][0][0]
            if best is None or since < best[0]:
                best = (since, g)
    if best is None:
        return None
    return st.idle[best[1]].popleft()[1]


def _assign(st: _State, agent: _Agent, c: _Contact) -> None:
    c.waiting = False
    assert st.start is not None and st.group is not None
    st.start[c.index] = st.env.now
    st.group[c.index] = agent.group
    agent.job = c
    agent.wake.succeed()


def _agent(st: _State, agent: _Agent) -> Any:
    env = st.env
    while True:
        agent.wake = env.event()
        yield agent.wake
        while agent.job is not None:
            c = agent.job
            yield env.timeout(st.aht[c.queue] * st.factor[agent.group, c.queue] * c.work)
            agent.job = None
            best: tuple[int, int, float, int] | None = None
            for q in range(st.level.shape[1]):
                lv = int(st.level[agent.group, q])
                if lv == 0 or not st.queues[q]:
                    continue
                head = st.queues[q][0]
                if lv == 2 and env.now - head.arrival < st.tau[q]:
                    continue
                key = (int(st.prio[q]), lv, head.arrival, q)
                if best is None or key < best:
                    best = key
            if best is not None:
                c = st.queues[best[3]].popleft()
                c.waiting = False
                assert st.start is not None and st.group is not None
                st.start[c.index] = env.now
                st.group[c.index] = agent.group
                agent.job = c
        st.idle[agent.group].append((env.now, agent))


def _patience(st: _State, c: _Contact) -> Any:
    yield st.env.timeout(c.deadline - c.arrival)
    if c.waiting:
        c.waiting = False
        st.queues[c.queue].remove(c)


def _overflow(st: _State, c: _Contact) -> Any:
    yield st.env.timeout(st.tau[c.queue])
    if c.waiting:
        agent = _longest_idle(st, c.queue, 2)
        if agent is not None:
            st.queues[c.queue].remove(c)
            _assign(st, agent, c)


def _arrivals(
    st: _State, arrival: np.ndarray, queue: np.ndarray, work: np.ndarray, deadline: np.ndarray
) -> Any:
    env = st.env
    for i in range(arrival.size):
        yield env.timeout(arrival[i] - env.now)
        c = _Contact(i, int(queue[i]), float(arrival[i]), float(work[i]), float(deadline[i]))
        q = c.queue
        agent = _longest_idle(st, q, 1)
        if agent is None and st.tau[q] <= 0:
            agent = _longest_idle(st, q, 2)
        if agent is not None:
            _assign(st, agent, c)
            continue
        c.waiting = True
        st.queues[q].append(c)
        if np.isfinite(c.deadline):
            env.process(_patience(st, c))
        if st.tau[q] > 0 and (st.level[:, q] == 2).any() and c.arrival + st.tau[q] < c.deadline:
            env.process(_overflow(st, c))


def simulate_simpy(model: Any, agents: Any, inputs: Any) -> tuple[np.ndarray, np.ndarray]:
    """Run one replication of a cxplan RoutingModel in simpy on cxplan-drawn ``inputs``.

    Returns the answer time (NaN if never answered) and answering group (-1) per contact.
    """
    level, factor = model.skill_matrix()
    cts = model.contact_types
    st = _State(
        env=simpy.Environment(),
        level=level,
        factor=factor,
        aht=np.array([c.aht_s for c in cts], dtype=float),
        prio=np.array([c.priority for c in cts]),
        tau=np.array([c.overflow_after_s for c in cts], dtype=float),
    )
    n = inputs.arrival_s.size
    st.start = np.full(n, np.nan)
    st.group = np.full(n, -1, dtype=np.int64)
    st.queues = [collections.deque() for _ in cts]
    st.idle = [collections.deque() for _ in model.groups]
    for g, count in enumerate(np.asarray(agents, dtype=int)):
        for _ in range(count):
            a = _Agent(g)
            st.env.process(_agent(st, a))
            st.idle[g].append((0.0, a))
    st.env.process(_arrivals(st, inputs.arrival_s, inputs.queue, inputs.work, inputs.deadline_s))
    st.env.run()
    return st.start, st.group


def simulate_ciw(
    rate_per_s: float, aht_s: float, patience_s: float, agents: int, horizon_s: float, seed: int
) -> int:
    """Simulate M/M/n+M in ciw for ``horizon_s`` seconds; return the contacts that arrived."""
    import ciw

    ciw.seed(seed)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=rate_per_s)],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / aht_s)],
        number_of_servers=[agents],
        reneging_time_distributions=[ciw.dists.Exponential(rate=1.0 / patience_s)],
    )
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(horizon_s)
    return len(sim.get_all_records()) + sum(len(n.all_individuals) for n in sim.transitive_nodes)
