"""Programme timeline: dates read off the roadmap and the adoption curve (hand values)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from cxplan.errors import InputError
from cxplan.plan.programme import Programme, programme_from_roadmap
from cxplan.plan.roadmap import Phase, Roadmap, Task


def roadmap(rollout_start: int = 130, rollout_end: int = 190) -> Roadmap:
    return Roadmap(
        phases=(Phase("all", "All", 0, 200),),
        tasks=(
            Task("pilot", "Pilot", "all", 30, 120),
            Task("rollout", "Rollout", "all", rollout_start, rollout_end),
        ),
        horizon_days=200,
    )


def test_dates_come_from_the_roadmap() -> None:
    p = programme_from_roadmap(
        roadmap(), pilot_task="pilot", rollout_task="rollout", decision_lag_days=7
    )
    assert (p.pilot_start_day, p.readout_day, p.decision_day) == (30, 120, 127)
    assert (p.rollout_start_day, p.rollout_end_day) == (130, 190)
    table = p.milestones(date(2027, 1, 4))
    assert table.loc[table["event"] == "Pilot readout", "date"].item() == date(2027, 5, 4)


def test_adoption_is_zero_until_rollout_then_linear() -> None:
    p = Programme(30, 120, 120, 130, 190)
    # hand: day 160 is half way from 130 to 190
    assert p.adoption_by_day([0, 129, 130, 160, 190, 500]).tolist() == [0, 0, 0, 0.5, 1, 1]
    weeks = p.adoption_by_week(30)
    assert weeks[:18].sum() == 0.0  # weeks 0-17 end on day 125 < 130
    assert weeks[28] == 1.0 and np.all(np.diff(weeks) >= 0)
    # week 20 = days 140..146: mean of (d - 130) / 60
    assert weeks[20] == pytest.approx(np.mean([(d - 130) / 60 for d in range(140, 147)]))


def test_instant_rollout_is_a_step() -> None:
    assert Programme(0, 10, 10, 20, 20).adoption_by_day([19, 20]).tolist() == [0.0, 1.0]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"pilot_task": "pilott", "rollout_task": "rollout"}, "pilot_task must be one of"),
        ({"pilot_task": "pilot", "rollout_task": "x"}, "rollout_task must be one of"),
        (
            {"pilot_task": "pilot", "rollout_task": "rollout", "decision_lag_days": 20},
            "before the go/no-go decision on day 140",
        ),
        ({"pilot_task": "pilot", "rollout_task": "rollout", "decision_lag_days": -1}, ">= 0"),
    ],
)
def test_bad_programme(kwargs, match) -> None:
    with pytest.raises(InputError, match=match):
        programme_from_roadmap(roadmap(), **kwargs)


def test_days_out_of_order_are_refused() -> None:
    with pytest.raises(InputError, match="in order"):
        Programme(30, 20, 20, 20, 40)
