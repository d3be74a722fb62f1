"""Bad input to workforce.queueing raises InputError naming the argument (docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from cxplan.errors import CxplanError, InputError
from cxplan.workforce import queueing as q

NAN = float("nan")

# (function, positional args, keyword args, the argument name the message must contain)
BAD_INPUTS: list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any], str]] = [
    # traffic: negative, NaN, infinite, non-numeric, one bad element in an array
    (q.erlang_b, (-1.0, 10), {}, "traffic"),
    (q.erlang_c, (NAN, 10), {}, "traffic"),
    (q.erlang_c, (np.inf, 10), {}, "traffic"),
    (q.erlang_c, ("ten", 10), {}, "traffic"),
    (q.service_level, ([5.0, -0.1], 10, 180, 20), {}, "traffic"),
    (q.asa, (NAN, 10, 180), {}, "traffic"),
    (q.abandonment, (-5.0, 10, 180, 60), {}, "traffic"),
    (q.occupancy, (-5.0, 10), {}, "traffic"),
    (q.required_agents, (-1.0, 180, 20, 0.8), {}, "traffic"),
    (q.required_agents, ([10.0, NAN], 180, 20, 0.8), {}, "traffic"),
    # agents: negative, fractional, NaN
    (q.erlang_b, (10.0, -1), {}, "agents"),
    (q.erlang_c, (10.0, 10.5), {}, "agents"),
    (q.service_level, (10.0, NAN, 180, 20), {}, "agents"),
    # aht <= 0 or NaN
    (q.service_level, (10.0, 12, 0.0, 20), {}, "aht"),
    (q.service_level, (10.0, 12, -180.0, 20), {}, "aht"),
    (q.asa, (10.0, 12, 0.0), {}, "aht"),
    (q.abandonment, (10.0, 12, NAN, 60), {}, "aht"),
    (q.required_agents, (10.0, 0.0, 20, 0.8), {}, "aht"),
    (q.required_agents, (10.0, -1.0, 20, 0.8), {"patience": 60}, "aht"),
    (q.traffic_erlangs, (100, 0.0, 1800), {}, "aht"),
    # answer_time negative or NaN
    (q.service_level, (10.0, 12, 180, -1.0), {}, "answer_time"),
    (q.required_agents, (10.0, 180, NAN, 0.8), {}, "answer_time"),
    # target outside (0, 1]
    (q.required_agents, (10.0, 180, 20, 0.0), {}, "target"),
    (q.required_agents, (10.0, 180, 20, -0.2), {}, "target"),
    (q.required_agents, (10.0, 180, 20, 1.01), {}, "target"),
    (q.required_agents, (10.0, 180, 20, 80), {}, "target"),  # percent instead of fraction
    (q.required_agents, (10.0, 180, 20, NAN), {}, "target"),
    # patience negative or NaN
    (q.service_level, (10.0, 12, 180, 20, -60.0), {}, "patience"),
    (q.asa, (10.0, 12, 180, -1.0), {}, "patience"),
    (q.abandonment, (10.0, 12, 180, -60.0), {}, "patience"),
    (q.abandonment, (10.0, 12, 180, NAN), {}, "patience"),
    (q.occupancy, (10.0, 12, 180, -60.0), {}, "patience"),
    (q.required_agents, (10.0, 180, 20, 0.8), {"patience": -60.0}, "patience"),
    # other required_agents constraints
    (q.required_agents, (10.0, 180, 20, 0.8), {"max_occupancy": 0.0}, "max_occupancy"),
    (q.required_agents, (10.0, 180, 20, 0.8), {"max_occupancy": 1.5}, "max_occupancy"),
    (q.required_agents, (10.0, 180, 20, 0.8), {"max_asa": -5.0}, "max_asa"),
    (
        q.required_agents,
        (10.0, 180, 20, 0.8),
        {"max_abandonment": 1.5, "patience": 60},
        "max_abandonment",
    ),
    # SL definition
    (q.service_level, (10.0, 12, 180, 20), {"definition": "abandoned"}, "definition"),
    (q.required_agents, (10.0, 180, 20, 0.8), {"definition": "Offered"}, "definition"),
    # traffic_erlangs
    (q.traffic_erlangs, (-1, 180, 1800), {}, "contacts"),
    (q.traffic_erlangs, (100, 180, 0.0), {}, "period"),
    # shapes that do not broadcast: the message names the arguments involved
    (q.erlang_b, ([1.0, 2.0, 3.0], [1, 2]), {}, "agents"),
    (q.erlang_c, ([1.0, 2.0, 3.0], [1, 2]), {}, "traffic"),
    (q.service_level, ([1.0, 2.0, 3.0], 5, [180.0, 200.0], 20), {}, "aht"),
    (q.required_agents, ([1.0, 2.0, 3.0], 180, [10.0, 20.0], 0.8), {}, "answer_time"),
    (q.required_agents, ([1.0, 2.0], 180, 20, [0.8, 0.9, 0.95]), {}, "target"),
]


def _id(case: tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any], str]) -> str:
    fn, args, kwargs, name = case
    return f"{fn.__name__}-{name}-{args!r}-{kwargs!r}"


@pytest.mark.parametrize(("fn", "args", "kwargs", "name"), BAD_INPUTS, ids=map(_id, BAD_INPUTS))
def test_bad_input_raises_input_error_naming_the_argument(
    fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], name: str
) -> None:
    with pytest.raises(InputError) as info:
        fn(*args, **kwargs)
    assert name in str(info.value)


def test_input_error_is_a_cxplan_error_and_a_value_error() -> None:
    assert issubclass(InputError, CxplanError)
    assert issubclass(InputError, ValueError)
    with pytest.raises(ValueError, match="traffic"):  # plain `except ValueError` code still works
        q.erlang_c(-1.0, 3)
    with pytest.raises(CxplanError):
        q.required_agents(10.0, 180, 20, 2.0)


def test_good_edge_values_are_accepted() -> None:
    # The boundaries that are valid must not be rejected: zero traffic, zero agents, answer_time
    # 0, infinite patience (= Erlang C), a target just below 1.
    assert q.erlang_b(0.0, 0) == 1.0
    assert q.erlang_c(0.0, 3) == 0.0
    assert q.service_level(10.0, 12, 180, 0.0) == 1.0 - q.erlang_c(10.0, 12)
    assert q.required_agents(10.0, 180, 20, 0.999) > 10
    assert q.service_level(10.0, 12, 180, 20, np.inf) == q.service_level(10.0, 12, 180, 20)
