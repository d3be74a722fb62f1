"""cxplan.workforce.skills_staffing and cxplan.config.skills.

References:

* Erlang C staffing (smallest n with SL >= target) recomputed here with the stable Erlang B
  recursion (Gans, Koole & Mandelbaum 2003, eq. (2)-(3)), independently of cxplan.
* Wallace & Whitt, "A staffing algorithm for call centers with skill-based routing", M&SOM
  7(4), 2005: with service times independent of call type and agent, two skills per agent in a
  suitable arrangement perform almost as well as full cross-training, far better than dedicated
  agents. Asserted qualitatively on a symmetric 6-queue example like theirs.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from cxplan.config.skills import SkillsParams, skills_comparison
from cxplan.errors import InfeasibleError, InputError
from cxplan.workforce import skills_staffing as ss
from cxplan.workforce.routing import AgentGroup, ContactType, RoutingModel


def erlang_c_agents(traffic: float, aht: float, t: float, target: float) -> int:
    n = math.floor(traffic) + 1
    while True:
        b = 1.0
        for k in range(1, n + 1):
            b = traffic * b / (k + traffic * b)
        c = n * b / (n - traffic * (1.0 - b))
        if 1.0 - c * math.exp(-(n - traffic) * t / aht) >= target:
            return n
        n += 1


def symmetric_queues(k: int = 6, erlangs: float = 12.0) -> list[ContactType]:
    return [
        ContactType(f"Q{i + 1}", rate_per_hour=erlangs / 300.0 * 3600, aht_s=300.0)
        for i in range(k)
    ]


def test_erlang_bounds_are_the_dedicated_and_pooled_erlang_c_staffing() -> None:
    models = ss.design_models(symmetric_queues())
    pooled, dedicated = ss.erlang_bounds(models["chain"])
    assert dedicated == {f"Q{i}": erlang_c_agents(12.0, 300.0, 20.0, 0.8) for i in range(1, 7)}
    assert pooled == erlang_c_agents(72.0, 300.0, 20.0, 0.8)
    assert pooled < sum(dedicated.values())


def test_single_queue_staffing_matches_erlang_c() -> None:
    m = RoutingModel([ContactType("Q", rate_per_hour=360.0, aht_s=300.0)], [AgentGroup("G", ["Q"])])
    res = ss.staff(m, replications=10, run_s=8 * 3600.0, seed=3)
    assert abs(res.total_agents - erlang_c_agents(30.0, 300.0, 20.0, 0.8)) <= 1
    assert res.converged and res.result.meets_targets().all()
    assert res.validation is not None and res.validation.replications == 10
    assert res.history["feasible"].iloc[-1]


def test_a_little_cross_training_gets_most_of_the_pooling_benefit() -> None:
    models = ss.design_models(symmetric_queues())
    table = ss.compare_designs(models, replications=6, run_s=4 * 3600.0, seed=2005)
    ded, chain, pool = (table.loc[d, "agents"] for d in ("dedicated", "chain", "pooled"))
    # Erlang: dedicated 6 x 16 = 96, pooled 79 (checked above)
    assert abs(ded - 96) <= 2 and abs(pool - 79) <= 2
    assert ded - chain >= 10  # far fewer agents than dedicated
    assert chain - pool <= 3  # within a few agents of full pooling
    assert (ded - chain) >= 0.8 * (ded - pool)  # most of the benefit
    assert table.loc["chain", "skills_per_agent"] == 2
    assert {f"sl_Q{i}" for i in range(1, 7)} <= set(table.columns)
    assert table["converged"].all()


def test_cheapest_group_gets_the_agents() -> None:
    m = RoutingModel(
        [
            ContactType("A", rate_per_hour=120, aht_s=300),
            ContactType("B", rate_per_hour=120, aht_s=300),
        ],
        [
            AgentGroup("pricey", ["A", "B"], cost_per_hour=40.0),
            AgentGroup("cheap", ["A", "B"], cost_per_hour=30.0),
        ],
    )
    res = ss.staff(m, replications=4, run_s=4 * 3600.0, seed=1, validate=False)
    assert res.agents["pricey"] == 0
    assert res.cost_per_hour == 30.0 * res.agents["cheap"]


def test_staffing_is_deterministic_for_a_seed() -> None:
    m = ss.design_models(symmetric_queues(3, 6.0), designs=("chain",))["chain"]
    a = ss.staff(m, replications=4, run_s=2 * 3600.0, seed=8, validate=False)
    b = ss.staff(m, replications=4, run_s=2 * 3600.0, seed=8, validate=False)
    pd.testing.assert_series_equal(a.agents, b.agents)
    assert a.evaluations == b.evaluations


def test_budget_exhaustion_is_reported() -> None:
    m = ss.design_models(symmetric_queues(3, 6.0), designs=("chain",))["chain"]
    res = ss.staff(m, replications=3, run_s=2 * 3600.0, seed=8, max_evaluations=12, validate=False)
    assert not res.converged and res.evaluations == 12
    assert res.result.meets_targets().all()


def test_unreachable_targets_and_bad_input() -> None:
    m = RoutingModel(
        [ContactType("Q", rate_per_hour=60, aht_s=300, answer_time_s=0.0, sl_target=1.0)],
        [AgentGroup("G", ["Q"])],
    )
    with pytest.raises(InfeasibleError):
        ss.staff(m, replications=2, run_s=3600.0)
    varying = RoutingModel(
        [ContactType("Q", rate_per_hour=[60, 90], aht_s=300)], [AgentGroup("G", ["Q"])]
    )
    with pytest.raises(InputError, match="constant arrival rates"):
        ss.staff(varying)
    ok = RoutingModel([ContactType("Q", rate_per_hour=60, aht_s=300)], [AgentGroup("G", ["Q"])])
    with pytest.raises(InputError, match="criterion"):
        ss.staff(ok, criterion="median")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="design"):
        ss.design_models(symmetric_queues(2), designs=("star",))


# ---------------------------------------------------------------------------------------------
# params section and the report table
# ---------------------------------------------------------------------------------------------

QUEUES = [
    {"name": "Billing", "rate_per_hour": 96.0, "aht_s": 300.0},
    {"name": "Tech", "rate_per_hour": 72.0, "aht_s": 420.0, "patience_s": 300.0},
    {"name": "Sales", "rate_per_hour": 60.0, "aht_s": 240.0},
]


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"queues": QUEUES, "bogus": 1}, "Extra inputs are not permitted"),
        ({"queues": QUEUES[:1]}, "at least 2"),
        ({"queues": [QUEUES[0], QUEUES[0]]}, "names must be unique"),
        ({"queues": QUEUES, "groups": [{"name": "X", "skills": ["Nope"]}]}, "not a contact type"),
        (
            {
                "queues": QUEUES,
                "groups": [
                    {"name": "X", "skills": ["Billing", "Tech"], "secondary_skills": ["Sales"]}
                ],
            },
            "'Sales' is no group's primary skill",
        ),
        (
            {"queues": [{**QUEUES[0], "answer_time_s": 0.0, "sl_target": 1.0}, QUEUES[1]]},
            "queues no finite staffing",
        ),
        ({"queues": [{**QUEUES[0], "aht_s": 0}, QUEUES[1]]}, "greater than 0"),
        ({"queues": [{**QUEUES[0], "name": "<b>"}, QUEUES[1]]}, "plain words"),
        ({"queues": [{**QUEUES[0], "rate_per_hour": "96"}, QUEUES[1]]}, "valid number"),
    ],
)
def test_bad_skills_section(section: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        SkillsParams.model_validate(section)


def test_skills_section_builds_the_chain_or_the_configured_groups() -> None:
    chain = SkillsParams.model_validate({"queues": QUEUES, "premium_per_extra_skill": 0.1})
    m = chain.routing_model()
    assert [g.secondary_skills for g in m.groups] == [["Tech"], ["Sales"], ["Billing"]]
    assert m.groups[0].cost_per_hour == pytest.approx(1.1)
    own = SkillsParams.model_validate(
        {
            "queues": QUEUES,
            "groups": [
                {"name": "Front", "skills": ["Billing", "Sales"]},
                {
                    "name": "Tech desk",
                    "skills": ["Tech"],
                    "secondary_skills": ["Billing"],
                    "cost_per_hour": 35.0,
                },
            ],
            "cost_per_hour": 30.0,
            "premium_per_extra_skill": 0.05,
        }
    )
    m2 = own.routing_model()
    assert [g.cost_per_hour for g in m2.groups] == [pytest.approx(31.5), 35.0]


def test_skills_comparison_table() -> None:
    p = SkillsParams.model_validate(
        {"queues": QUEUES, "cost_per_hour": 30.0, "replications": 4, "run_hours": 3.0}
    )
    table = skills_comparison(p)
    assert list(table.index) == ["dedicated", "cross_skilled", "pooled"]
    assert table.loc["cross_skilled", "label"] == "Cross-skilled (2-skill chain)"
    assert table.loc["dedicated", "agents"] > table.loc["pooled", "agents"]
    assert table.loc["dedicated", "agents"] >= table.loc["cross_skilled", "agents"]
    assert table.loc["dedicated", "cost_per_hour"] == 30.0 * table.loc["dedicated", "agents"]
    for col in ("sl_Billing", "sl_Tech", "sl_Sales", "abandon_max", "agents_erlang"):
        assert col in table.columns
    assert np.isnan(table.loc["cross_skilled", "agents_erlang"])


def test_docstring_examples() -> None:
    import doctest

    from cxplan.workforce import routing, routing_result

    for module in (routing, routing_result, ss):
        failed, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert tried > 0 and failed == 0, module.__name__


def test_staff_intervals_follows_the_volume() -> None:
    m = RoutingModel(
        [
            ContactType("A", rate_per_hour=[0.0, 60.0, 180.0], aht_s=300.0),
            ContactType("B", rate_per_hour=[0.0, 60.0, 60.0], aht_s=300.0),
        ],
        [AgentGroup("GA", ["A"], ["B"]), AgentGroup("GB", ["B"], ["A"])],
        interval_s=1800.0,
    )
    table = ss.staff_by_interval(m, replications=4, run_s=4 * 3600.0, seed=5)
    assert list(table.index) == [0, 1, 2]
    assert table.loc[0, "total_agents"] == 0 and table.loc[0, "cost_per_hour"] == 0.0
    assert 0 < table.loc[1, "total_agents"] < table.loc[2, "total_agents"]
    assert (table.loc[[1, 2], "sl_min"] >= 0.8).all() and table["converged"].all()
    # interval 2 alone, searched from the scaled Erlang start, finds the same staffing
    alone = ss.staff(
        RoutingModel(
            [
                ContactType("A", rate_per_hour=180.0, aht_s=300.0),
                ContactType("B", rate_per_hour=60.0, aht_s=300.0),
            ],
            m.groups,
        ),
        replications=4,
        run_s=4 * 3600.0,
        seed=5,
        validate=False,
    )
    assert alone.cost_per_hour == table.loc[2, "cost_per_hour"]
