"""cxplan.workforce.routing: routing rules on hand-built cases, validation, reproducibility, Dask.

The hand cases feed fixed arrival times, handle times and patience (``Inputs`` built here, aht 1 s
so that ``work`` is the handle time in seconds) and state the expected answer times worked out by
hand from the routing rules in the module docstring. tests/test_routing_simpy.py checks the
compiled event loop against an independent simpy model on random multi-skill cases.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from cxplan.errors import InputError
from cxplan.workforce import routing, skills_staffing
from cxplan.workforce._routing_kernel import route
from cxplan.workforce.routing import (
    AgentGroup,
    ContactType,
    Inputs,
    RoutingModel,
    contact_log,
    draw_inputs,
    simulate,
)

INF = math.inf


def inputs(rows: list[tuple[float, int, float, float]]) -> Inputs:
    """Contacts as (arrival s, queue index, handle s, patience s)."""
    a = np.array([r[0] for r in rows])
    return Inputs(
        arrival_s=a,
        queue=np.array([r[1] for r in rows], dtype=np.int64),
        work=np.array([r[2] for r in rows]),
        deadline_s=a + np.array([r[3] for r in rows]),
        window=(0.0, 1e9),
    )


def ct(name: str, **kw: object) -> ContactType:
    return ContactType(name, rate_per_hour=1.0, aht_s=1.0, **kw)  # type: ignore[arg-type]


def log(model: RoutingModel, agents: list[int], rows: list[tuple[float, int, float, float]]):
    return contact_log(model, agents, inputs(rows))


# ---------------------------------------------------------------------------------------------
# routing rules, by hand
# ---------------------------------------------------------------------------------------------


def test_priority_beats_waiting_time() -> None:
    # one agent; L arrives at 0 (served to 100), L2 at 10, H at 20: at 100 the agent takes H
    # (priority 0) although L2 waited longer; L2 starts when H ends at 100 + 30.
    m = RoutingModel([ct("H", priority=0), ct("L", priority=1)], [AgentGroup("G", ["H", "L"])])
    out = log(m, [1], [(0, 1, 100, INF), (10, 1, 50, INF), (20, 0, 30, INF)])
    assert out["answered_s"].tolist() == [0.0, 130.0, 100.0]
    assert out["wait_s"].tolist() == [0.0, 120.0, 80.0]


def test_equal_priority_is_first_come_first_served_across_queues() -> None:
    m = RoutingModel([ct("A"), ct("B")], [AgentGroup("G", ["A", "B"])])
    out = log(m, [1], [(0, 0, 100, INF), (10, 1, 50, INF), (20, 0, 30, INF)])
    assert out["answered_s"].tolist() == [0.0, 100.0, 150.0]


def test_overflow_waits_for_the_threshold() -> None:
    # A's own agent is busy 0-1000; the B agent (A as secondary, threshold 30 s) is idle, so the
    # second A contact (arrives 10) is answered by it at 10 + 30 = 40.
    m = RoutingModel(
        [ct("A", overflow_after_s=30.0), ct("B")],
        [AgentGroup("GA", ["A"]), AgentGroup("GB", ["B"], secondary_skills=["A"])],
    )
    out = log(m, [1, 1], [(0, 0, 1000, INF), (10, 0, 5, INF)])
    assert out["answered_s"].tolist() == [0.0, 40.0]
    assert out["group_index"].tolist() == [0, 1]


def test_zero_threshold_overflows_at_once_but_primary_first() -> None:
    m = RoutingModel(
        [ct("A"), ct("B")],
        [AgentGroup("GB", ["B"], secondary_skills=["A"]), AgentGroup("GA", ["A"])],
    )
    # first A contact: primary agent GA (although GB idled as long); second: GB at once
    out = log(m, [1, 1], [(0, 0, 1000, INF), (10, 0, 5, INF)])
    assert out["group_index"].tolist() == [1, 0]
    assert out["answered_s"].tolist() == [0.0, 10.0]


def test_freed_secondary_agent_leaves_a_contact_under_the_threshold() -> None:
    # GB frees at 50 when the A contact (arrived 45) has waited 5 < 30 s: GB idles, then takes
    # it at the threshold, 45 + 30 = 75.
    m = RoutingModel(
        [ct("A", overflow_after_s=30.0), ct("B")],
        [AgentGroup("GA", ["A"]), AgentGroup("GB", ["B"], secondary_skills=["A"])],
    )
    out = log(m, [1, 1], [(0, 0, 1000, INF), (0.5, 1, 49.5, INF), (45, 0, 5, INF)])
    assert out["answered_s"].tolist() == [0.0, 0.5, 75.0]
    assert out["group_index"].tolist() == [0, 1, 1]


def test_contact_abandons_before_the_threshold() -> None:
    m = RoutingModel(
        [ct("A", overflow_after_s=30.0, patience_s=20.0), ct("B")],
        [AgentGroup("GA", ["A"]), AgentGroup("GB", ["B"], secondary_skills=["A"])],
    )
    out = log(m, [1, 1], [(0, 0, 1000, INF), (10, 0, 5, 20.0)])
    assert out["abandoned"].tolist() == [False, True]
    assert np.isnan(out["answered_s"][1])
    # had it waited, GB (idle, A as secondary) would have taken it at the threshold, 30 s
    assert out["virtual_wait_s"][1] == 30.0


def test_longest_idle_agent_across_groups() -> None:
    # G1 and G2 both serve A; G2's agent frees at 5, G1's at 8: the contact at 20 goes to G2's
    # agent (idle since 5), the next one at 21 to G1's.
    m = RoutingModel([ct("A")], [AgentGroup("G1", ["A"]), AgentGroup("G2", ["A"])])
    out = log(m, [1, 1], [(0, 0, 8, INF), (1, 0, 4, INF), (20, 0, 100, INF), (21, 0, 1, INF)])
    assert out["group_index"].tolist() == [0, 1, 1, 0]


def test_handle_time_factor_per_skill() -> None:
    m = RoutingModel(
        [ct("A"), ct("B")],
        [AgentGroup("G", ["A", "B"], aht_factor={"B": 2.0})],
    )
    # B contact handled in 2 x 10 s, so the A contact at 5 starts at 20
    out = log(m, [1], [(0, 1, 10, INF), (5, 0, 10, INF)])
    assert out["answered_s"].tolist() == [0.0, 20.0]


def test_abandoned_contacts_free_no_agent_time_and_virtual_wait_is_exact() -> None:
    m = RoutingModel([ct("A")], [AgentGroup("G", ["A"])])
    out = log(m, [1], [(0, 0, 100, INF), (10, 0, 5, 30.0), (20, 0, 5, INF)])
    assert out["abandoned"].tolist() == [False, True, False]
    assert out["answered_s"][2] == 100.0  # not delayed by the contact that left at 40
    assert out["virtual_wait_s"].tolist() == [0.0, 90.0, 80.0]


def test_queue_without_agents_waits_forever_or_abandons() -> None:
    m = RoutingModel(
        [ct("A"), ct("B", patience_s=10.0)], [AgentGroup("G", ["A"]), AgentGroup("H", ["B"])]
    )
    out = log(m, [1, 0], [(0, 0, 1, INF), (1, 1, 1, 10.0)])
    assert out["abandoned"].tolist() == [False, True]


def test_compiled_loop_equals_its_python_source() -> None:
    py = getattr(route, "py_func", None)
    if py is None:  # numba not installed: the loop is already plain Python
        pytest.skip("numba is not installed")
    model = RoutingModel(
        [ct("A", patience_s=50.0, overflow_after_s=5.0), ct("B", priority=1)],
        [AgentGroup("G1", ["A"], ["B"]), AgentGroup("G2", ["B"], ["A"])],
    )
    rng = np.random.default_rng(7)
    n = 400
    x = Inputs(
        arrival_s=np.sort(rng.uniform(0, 4000, n)),
        queue=rng.integers(0, 2, n),
        work=rng.exponential(20.0, n),
        deadline_s=np.full(n, INF),
        window=(0.0, 4000.0),
    )
    x = Inputs(x.arrival_s, x.queue, x.work, x.arrival_s + rng.exponential(50.0, n), x.window)
    level, factor = model.skill_matrix()
    args = (
        x.arrival_s,
        x.queue,
        x.work,
        x.deadline_s,
        np.ones(2),
        np.array([0, 1]),
        np.array([5.0, 0.0]),
        level,
        factor,
        np.array([2, 2]),
    )
    for a, b in zip(route(*args), py(*args), strict=True):
        np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------------------------------------
# statistics, reproducibility, Dask
# ---------------------------------------------------------------------------------------------


def two_queue_model() -> RoutingModel:
    return RoutingModel(
        [
            ContactType("Sales", rate_per_hour=120, aht_s=240, patience_s=180),
            ContactType("Care", rate_per_hour=90, aht_s=360, overflow_after_s=15, priority=1),
        ],
        [
            AgentGroup("Sales team", ["Sales"], secondary_skills=["Care"], cost_per_hour=30),
            AgentGroup("Care team", ["Care"], aht_factor={"Care": 0.9}, cost_per_hour=32),
        ],
    )


def test_seeded_runs_are_identical_and_seeds_matter() -> None:
    m = two_queue_model()
    kw = {"replications": 4, "run_s": 4 * 3600.0}
    a = simulate(m, {"Sales team": 10, "Care team": 9}, seed=5, **kw)
    b = simulate(m, [10, 9], seed=5, **kw)
    c = simulate(m, [10, 9], seed=6, **kw)
    np.testing.assert_array_equal(a.tally, b.tally)
    np.testing.assert_array_equal(a.busy_s, b.busy_s)
    assert not np.array_equal(a.tally, c.tally)
    # replication i does not depend on how many replications run
    d = simulate(m, [10, 9], seed=5, replications=2, run_s=4 * 3600.0)
    np.testing.assert_array_equal(a.tally[:2], d.tally)


def test_result_tables_are_consistent() -> None:
    m = two_queue_model()
    r = simulate(m, [10, 9], replications=5, run_s=4 * 3600.0, seed=1)
    q, g = r.queues, r.groups
    assert list(q.index) == ["Sales", "Care"] and list(g.index) == ["Sales team", "Care team"]
    for metric in routing.METRICS:
        assert (q[f"{metric}_low"] <= q[metric]).all() and (q[metric] <= q[f"{metric}_high"]).all()
    assert (q["sl_answered"] >= q["sl"]).all()  # abandoned contacts only lower the offered basis
    assert q.loc["Care", "abandon_rate"] == 0.0  # infinitely patient
    assert g["answered_share"].sum() == pytest.approx(1.0)
    assert ((g["occupancy"] > 0) & (g["occupancy"] < 1)).all()
    assert r.contacts_simulated > q["offered"].sum() * 5  # warm-up and cool-down included
    assert r.meets_targets().dtype == bool


def test_per_interval_rates() -> None:
    m = RoutingModel(
        [ContactType("A", rate_per_hour=[60.0, 240.0, 60.0], aht_s=300.0)],
        [AgentGroup("G", ["A"])],
        interval_s=3600.0,
    )
    r = simulate(m, [8], replications=6, seed=3)
    iv = r.intervals
    assert iv["interval"].tolist() == [0, 1, 2]
    assert iv["offered"][1] > 2.5 * iv["offered"][0]
    assert iv["sl"][1] < iv["sl"][0]  # 20 Erlangs on 8 agents: overloaded in the peak
    with pytest.raises(InputError, match="run_s applies to constant"):
        simulate(m, [8], run_s=3600.0)


def test_draws_do_not_depend_on_staffing() -> None:
    m = two_queue_model()
    x = draw_inputs(m, 9)
    assert np.all(np.diff(x.arrival_s) >= 0)
    a = contact_log(m, [10, 9], x)
    b = contact_log(m, [12, 12], x)
    assert (b["wait_s"].fillna(0).mean()) < (a["wait_s"].fillna(0).mean())


@pytest.mark.slow
def test_dask_client_gives_the_local_result() -> None:
    from distributed import Client, LocalCluster

    m = two_queue_model()
    local = simulate(m, [10, 9], replications=3, run_s=3600.0, seed=11)
    with (
        LocalCluster(
            n_workers=1, processes=False, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        remote = simulate(m, [10, 9], replications=3, run_s=3600.0, seed=11, client=client)
        small = RoutingModel(
            [
                ContactType("A", rate_per_hour=60, aht_s=300),
                ContactType("B", rate_per_hour=30, aht_s=300),
            ],
            [AgentGroup("GA", ["A"], ["B"]), AgentGroup("GB", ["B"], ["A"])],
        )
        kw = {"replications": 3, "run_s": 3600.0, "seed": 4, "validate": False}
        staffed_remote = skills_staffing.staff(small, client=client, **kw)
    np.testing.assert_array_equal(local.tally, remote.tally)
    np.testing.assert_array_equal(local.busy_s, remote.busy_s)
    staffed_local = skills_staffing.staff(small, **kw)
    assert staffed_local.agents.tolist() == staffed_remote.agents.tolist()
    np.testing.assert_array_equal(staffed_local.result.tally, staffed_remote.result.tally)


# ---------------------------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: ContactType("A", rate_per_hour=-1, aht_s=10), "rate_per_hour must be >= 0"),
        (lambda: ContactType("A", rate_per_hour=1, aht_s=0), "aht_s must be > 0"),
        (lambda: ContactType("A", rate_per_hour=1, aht_s=1, patience_s=0), "patience_s"),
        (lambda: ContactType("A", rate_per_hour=1, aht_s=1, sl_target=1.5), "sl_target"),
        (lambda: ContactType("A", rate_per_hour=1, aht_s=1, priority=0.5), "priority"),
        (lambda: ContactType("A", rate_per_hour=1, aht_s=1, handle_time="gamma"), "handle_time"),
        (lambda: ContactType("", rate_per_hour=1, aht_s=1), "name"),
        (lambda: AgentGroup("G", []), "at least one queue"),
        (lambda: AgentGroup("G", "A"), "list of queue names"),
        (lambda: AgentGroup("G", ["A"], ["A"]), "both primary and secondary"),
        (lambda: AgentGroup("G", ["A"], aht_factor={"B": 1.0}), "not one of its skills"),
        (lambda: AgentGroup("G", ["A"], aht_factor={"A": 0.0}), "aht_factor"),
        (lambda: RoutingModel([ct("A")], [AgentGroup("G", ["B"])]), "'B' is not a contact type"),
        (lambda: RoutingModel([ct("A"), ct("A")], [AgentGroup("G", ["A"])]), "unique"),
        (
            lambda: RoutingModel([ct("A"), ct("B")], [AgentGroup("G", ["A"])]),
            "no agent group has the skill",
        ),
        (
            lambda: RoutingModel(
                [
                    ContactType("A", rate_per_hour=[1, 2], aht_s=1),
                    ContactType("B", rate_per_hour=[1, 2, 3], aht_s=1),
                ],
                [AgentGroup("G", ["A", "B"])],
            ),
            "same length",
        ),
    ],
)
def test_bad_model_input_is_an_input_error(build, message: str) -> None:
    with pytest.raises(InputError, match=message):
        build()


@pytest.mark.parametrize(
    ("agents", "kw", "message"),
    [
        ([1.5], {}, "whole number"),
        ([-1], {}, ">= 0"),
        ([1, 2], {}, "one whole number per group"),
        ({"X": 1}, {}, "unknown groups"),
        ([1], {"replications": 0}, "replications"),
        ([1], {"run_s": 0}, "run_s"),
        ([1], {"level": 1.0}, "level"),
    ],
)
def test_bad_simulate_arguments(agents, kw, message: str) -> None:
    m = RoutingModel([ct("A")], [AgentGroup("G", ["A"])])
    with pytest.raises(InputError, match=message):
        simulate(m, agents, **kw)


def test_bench_peer_module_is_importable() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import routing_peers

    assert callable(routing_peers.simulate_simpy)
