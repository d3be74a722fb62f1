"""cxplan's compiled routing loop against independent models of the same rules, contact by contact.

* simpy (bench/routing_peers.py): one process per agent, real patience and overflow timers, Python
  deques; written from the routing rules, sharing no code with cxplan's arrays. Fed the same
  draws, both must give every contact the same answer time and answering group (exact equality:
  the same sample path), on random models with priorities, overflow thresholds, handle-time
  factors, abandonment and lognormal handle times.
* One FCFS queue: the Kiefer-Wolfowitz recursion on the agents' next-free times (as in
  tests/_des.py) gives the exact virtual wait ``max(0, earliest free − arrival)`` of every contact,
  answered or abandoned; cxplan's virtual waits must equal it.
"""

from __future__ import annotations

import heapq
import sys
from pathlib import Path

import numpy as np
import pytest

from cxplan.workforce.routing import (
    AgentGroup,
    ContactType,
    RoutingModel,
    contact_log,
    draw_inputs,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from routing_peers import simulate_simpy


def random_model(seed: int) -> tuple[RoutingModel, np.ndarray]:
    rng = np.random.default_rng(seed)
    n_q = int(rng.integers(2, 5))
    names = [f"Q{i}" for i in range(n_q)]
    queues = [
        ContactType(
            name,
            rate_per_hour=float(rng.uniform(30, 120)),
            aht_s=float(rng.uniform(120, 480)),
            patience_s=None if rng.random() < 0.3 else float(rng.uniform(60, 400)),
            priority=int(rng.integers(0, 3)),
            overflow_after_s=float(rng.choice([0.0, 10.0, 45.0])),
            handle_time="lognormal" if rng.random() < 0.3 else "exponential",
            handle_time_cv=0.6,
        )
        for name in names
    ]
    groups = []
    for gi in range(int(rng.integers(2, 5))):
        k = int(rng.integers(1, n_q + 1))
        skills = [str(s) for s in rng.permutation(names)[:k]]
        split = int(rng.integers(1, k + 1))
        groups.append(
            AgentGroup(
                f"G{gi}",
                skills[:split],
                secondary_skills=skills[split:],
                aht_factor={s: float(rng.uniform(0.8, 1.3)) for s in skills if rng.random() < 0.5},
            )
        )
    covered = {s for g in groups for s in (*g.skills, *g.secondary_skills)}
    groups.append(AgentGroup("Backup", [q for q in names if q not in covered] or [names[0]]))
    agents = rng.integers(1, 6, len(groups))
    return RoutingModel(queues, groups), agents


@pytest.mark.parametrize("seed", range(8))
def test_same_sample_path_as_simpy(seed: int) -> None:
    model, agents = random_model(seed)
    x = draw_inputs(model, 100 + seed, run_s=4 * 3600.0, warmup_s=600.0)
    ours = contact_log(model, agents, x)
    start, group = simulate_simpy(model, agents, x)
    np.testing.assert_array_equal(ours["answered_s"].to_numpy(), start)
    np.testing.assert_array_equal(ours["group_index"].to_numpy(), group)
    # the cases exercise what they claim to
    assert ours["answered_s"].notna().sum() > 100
    if any(c.patience_s is not None for c in model.contact_types):
        assert ours["abandoned"].any()


@pytest.mark.parametrize(("agents", "patience"), [(8, 120.0), (11, 300.0), (6, 60.0)])
def test_virtual_wait_matches_the_fcfs_recursion(agents: int, patience: float) -> None:
    model = RoutingModel(
        [ContactType("Q", rate_per_hour=40.0, aht_s=900.0, patience_s=patience)],
        [AgentGroup("G", ["Q"])],
    )
    x = draw_inputs(model, agents, run_s=6 * 3600.0, warmup_s=0.0)
    ours = contact_log(model, [agents], x)
    free = [0.0] * agents
    virtual, start = [], []
    for a, w, d in zip(x.arrival_s, x.work, x.deadline_s, strict=True):
        v = max(0.0, free[0] - a)
        virtual.append(v)
        if a + v > d:
            start.append(np.nan)
        else:
            start.append(a + v)
            heapq.heapreplace(free, a + v + 900.0 * w)
    np.testing.assert_allclose(ours["virtual_wait_s"].to_numpy(), virtual, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(ours["answered_s"].to_numpy(), np.array(start))
    assert ours["abandoned"].sum() > 10
