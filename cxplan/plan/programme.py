"""The programme timeline: pilot → decision → rollout → adoption, read off the roadmap.

An initiative earns nothing until agents work the new way. The roadmap says when: the pilot task
ends with the readout, a decision follows (``decision_lag_days`` later), and the rollout task
brings the remaining agents over. :class:`Programme` holds those dates and gives the adoption
curve (share of agents working the new way) that the business case, the capacity plan and the
roadmap all read, so the three tell one story.

Adoption is 0 until the rollout starts (the pilot group's temporary gain is not banked: pilot
agents are a minority and headcount cannot follow a 90-day test), then rises linearly to 1 at the
rollout's end (agents are moved over in even waves).

References
----------
.. [1] Seed 000: a 90-day pilot across 2 regions, an A/B test for 90 days, cost-per-contact
   target in month 3, then rollout with training and governance.
.. [2] Seed 001: roadmap 0–30 / 30–90 / 90–180 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan.errors import InputError
from cxplan.plan.roadmap import Roadmap

__all__ = ["Programme", "programme_from_roadmap"]

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Programme:
    """Key dates of the initiative, in days from the plan start.

    Parameters
    ----------
    pilot_start_day, readout_day : int
        The pilot runs ``[pilot_start_day, readout_day)``; results are read out at its end.
    decision_day : int
        The go/no-go decision (readout + decision lag).
    rollout_start_day, rollout_end_day : int
        Agents move over evenly during ``[rollout_start_day, rollout_end_day)``;
        ``rollout_start_day >= decision_day``.

    Examples
    --------
    >>> p = Programme(30, 120, 120, 120, 180)
    >>> p.adoption_by_day([0, 119, 120, 150, 180, 400]).tolist()
    [0.0, 0.0, 0.0, 0.5, 1.0, 1.0]
    """

    pilot_start_day: int
    readout_day: int
    decision_day: int
    rollout_start_day: int
    rollout_end_day: int

    def __post_init__(self) -> None:
        days = (
            self.pilot_start_day,
            self.readout_day,
            self.decision_day,
            self.rollout_start_day,
            self.rollout_end_day,
        )
        if any(isinstance(d, bool) or not isinstance(d, int | np.integer) or d < 0 for d in days):
            raise InputError(f"programme days must be whole numbers >= 0 (got {days})")
        if not (
            self.pilot_start_day
            <= self.readout_day
            <= self.decision_day
            <= self.rollout_start_day
            <= self.rollout_end_day
        ):
            raise InputError(
                "programme days must be in order: pilot start <= readout <= decision <= rollout "
                f"start <= rollout end (got {days})"
            )

    def adoption_by_day(self, days: Any) -> Array:
        """Share of agents working the new way on each plan day (0 … 1)."""
        d = np.asarray(days, dtype=float)
        span = self.rollout_end_day - self.rollout_start_day
        if span == 0:
            return np.asarray(d >= self.rollout_start_day, dtype=float)
        return np.asarray(np.clip((d - self.rollout_start_day) / span, 0.0, 1.0), dtype=float)

    def adoption_by_week(self, n_weeks: int) -> Array:
        """Average adoption over each plan week's seven days (week 0 = days 0–6)."""
        days = np.arange(7 * int(n_weeks)).reshape(int(n_weeks), 7)
        return np.asarray(self.adoption_by_day(days).mean(axis=1), dtype=float)

    def milestones(self, start_date: date | None = None) -> pd.DataFrame:
        """Return the programme's dates as a table (``event``, ``day``, ``date`` when given)."""
        rows = [
            ("Pilot starts", self.pilot_start_day),
            ("Pilot readout", self.readout_day),
            ("Go/no-go decision", self.decision_day),
            ("Rollout starts", self.rollout_start_day),
            ("All agents on the new way of working", self.rollout_end_day),
        ]
        out = pd.DataFrame(rows, columns=["event", "day"])
        if start_date is not None:
            out["date"] = [start_date + timedelta(days=int(d)) for d in out["day"]]
        return out


def programme_from_roadmap(
    roadmap: Roadmap, *, pilot_task: str, rollout_task: str, decision_lag_days: int = 0
) -> Programme:
    """Read the programme dates off the roadmap's pilot and rollout tasks.

    Parameters
    ----------
    roadmap : Roadmap
        The phased plan.
    pilot_task, rollout_task : str
        Task ids: the pilot (its end is the readout) and the rollout to all agents.
    decision_lag_days : int
        Days from the readout to the decision (≥ 0).

    Returns
    -------
    Programme

    Raises
    ------
    InputError
        An unknown task id, or a rollout that starts before the decision.

    Examples
    --------
    >>> from cxplan.plan.roadmap import Phase, Task
    >>> rm = Roadmap(phases=(Phase("a", "All", 0, 200),),
    ...              tasks=(Task("pilot", "Pilot", "a", 30, 120),
    ...                     Task("rollout", "Rollout", "a", 130, 180)), horizon_days=200)
    >>> programme_from_roadmap(rm, pilot_task="pilot", rollout_task="rollout",
    ...                        decision_lag_days=10).rollout_start_day
    130
    """
    tasks = {t.id: t for t in roadmap.tasks}
    for name, tid in (("pilot_task", pilot_task), ("rollout_task", rollout_task)):
        if tid not in tasks:
            raise InputError(
                f"{name} must be one of the roadmap's task ids ({', '.join(tasks)}; got {tid!r})"
            )
    if isinstance(decision_lag_days, bool) or int(decision_lag_days) != decision_lag_days:
        raise InputError(f"decision_lag_days must be a whole number (got {decision_lag_days!r})")
    lag = int(decision_lag_days)
    if lag < 0:
        raise InputError(f"decision_lag_days must be >= 0 (got {lag})")
    pilot, rollout = tasks[pilot_task], tasks[rollout_task]
    decision = pilot.end_day + lag
    if rollout.start_day < decision:
        raise InputError(
            f"rollout_task {rollout_task!r} starts on day {rollout.start_day}, before the "
            f"go/no-go decision on day {decision} (pilot {pilot_task!r} ends on day "
            f"{pilot.end_day}, decision lag {lag} days): start the rollout after the decision"
        )
    return Programme(
        pilot_start_day=int(pilot.start_day),
        readout_day=int(pilot.end_day),
        decision_day=decision,
        rollout_start_day=int(rollout.start_day),
        rollout_end_day=int(rollout.end_day),
    )
