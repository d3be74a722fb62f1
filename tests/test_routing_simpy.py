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
from hypothesis import given, settings
from hypothesis import strategies as st

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


# ---------------------------------------------------------------------------------------------
# invariants of any sample path (hypothesis over random models and seeds)
# ---------------------------------------------------------------------------------------------


def _busy_at(times: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Agents of one group busy at each time (services with start <= t < end)."""
    return np.searchsorted(np.sort(starts), times, side="right") - np.searchsorted(
        np.sort(ends), times, side="right"
    )


@settings(max_examples=25, deadline=None)
@given(model_seed=st.integers(0, 10_000), draw_seed=st.integers(0, 10_000))
def test_sample_path_invariants(model_seed: int, draw_seed: int) -> None:
    model, agents = random_model(model_seed)
    x = draw_inputs(model, draw_seed, run_s=2 * 3600.0, warmup_s=0.0)
    out = contact_log(model, agents, x)
    level, factor = model.skill_matrix()
    aht = np.array([c.aht_s for c in model.contact_types])
    tau = np.array([c.overflow_after_s for c in model.contact_types])
    q = out["queue_index"].to_numpy()
    g = out["group_index"].to_numpy()
    a = out["arrival_s"].to_numpy()
    wait = out["wait_s"].to_numpy()
    answered = g >= 0
    patience = x.deadline_s - a
    # every contact is answered, abandoned, or (infinitely patient) still waiting at the end
    assert not (answered & out["abandoned"].to_numpy()).any()
    assert (wait[answered] >= 0).all()
    # answered only by a group with the skill; by a secondary skill only after the threshold
    lv = level[g[answered], q[answered]]
    assert (lv > 0).all()
    assert (wait[answered][lv == 2] >= tau[q[answered]][lv == 2] - 1e-9).all()
    # answered before its patience ran out; the virtual wait is the wait when answered and at
    # least the patience when abandoned
    assert (wait[answered] <= patience[answered]).all()
    np.testing.assert_array_equal(out["virtual_wait_s"].to_numpy()[answered], wait[answered])
    ab = out["abandoned"].to_numpy()
    assert (out["virtual_wait_s"].to_numpy()[ab] >= patience[ab] - 1e-9).all()
    # no group ever has more contacts in service than agents, and nobody waits on arrival
    # while an agent with the queue as a primary skill is idle
    start = out["answered_s"].to_numpy()
    end = start + aht[q] * factor[np.maximum(g, 0), q] * x.work
    waited = wait > 0
    waited |= ~answered
    for gi, n in enumerate(agents):
        mine = g == gi
        busy = _busy_at(start[mine], start[mine], end[mine])
        assert (busy <= n).all()
        prim = waited & (level[gi, q] == 1)
        assert (_busy_at(a[prim], start[mine], end[mine]) == n).all()
