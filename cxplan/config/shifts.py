"""Parameter section ``shifts:``: the shift templates a schedule is built from.

A template is one kind of shift an agent may work: its length, the clock times it may start,
how many consecutive days a week it is worked, its paid breaks and its unpaid lunch with the
window the lunch must start in. :class:`ShiftsParams` holds the templates and the solver settings
that :func:`cxplan.workforce.shifts.schedule_week` needs. Like every params model it forbids
unknown keys and validates without file access; units are in the key names (``_minutes``,
``_s``, ``_per_hour`` in the region's currency).

Example (YAML)::

    shifts:
      coverage: hard
      time_limit_s: 20
      templates:
        - name: Full time
          length_minutes: 510          # 8 h 30 at work incl. the lunch -> 8 h paid
          start_times: ["06:00-14:30/30"]
          days_on: 5
          break_minutes: 30            # two paid 15-minute breaks (counted in shrinkage)
          lunch_minutes: 30            # unpaid
          lunch_window_minutes: [180, 300]
        - name: Part time
          length_minutes: 240
          start_times: ["10:00", "16:00", "18:00"]
          days_on: 5
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, field_validator, model_validator

from cxplan._schema import MONEY

__all__ = [
    "MAX_SHIFT_MINUTES",
    "ShiftTemplateParams",
    "ShiftsParams",
    "expand_start_times",
    "format_clock",
]

#: Longest shift accepted, minutes (16 h: anything longer is a typo, not a shift).
MAX_SHIFT_MINUTES = 16 * 60

Num = Annotated[float, Strict()]
Int = Annotated[int, Strict()]
Minutes = Annotated[Int, Field(ge=0, le=MAX_SHIFT_MINUTES)]

_CLOCK = r"([01]\d|2[0-3]):([0-5]\d)"
_TIME_RE = re.compile(rf"^{_CLOCK}$")
_RANGE_RE = re.compile(rf"^{_CLOCK}\s*-\s*{_CLOCK}\s*/\s*(\d{{1,4}})$")
_NAME_RE = re.compile(r"^[A-Za-z0-9À-ÖØ-öø-ÿ][A-Za-z0-9À-ÖØ-öø-ÿ &'+,.()-]{0,39}$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def format_clock(minute_of_day: int) -> str:
    """Clock time ``"HH:MM"`` of a minute of the day (0 → ``"00:00"``, 1439 → ``"23:59"``).

    Examples
    --------
    >>> format_clock(390)
    '06:30'
    """
    m = int(minute_of_day) % 1440
    return f"{m // 60:02d}:{m % 60:02d}"


def expand_start_times(entries: list[str]) -> list[int]:
    """Expand ``"HH:MM"`` entries and ``"HH:MM-HH:MM/step"`` ranges into minutes after midnight.

    Parameters
    ----------
    entries : list of str
        Each entry is one clock time (``"06:30"``) or an inclusive range with a step in minutes
        (``"06:00-14:30/30"``: 06:00, 06:30, …, 14:30). A range may not cross midnight; write two
        ranges for that.

    Returns
    -------
    list of int
        Sorted, distinct minutes after midnight (0–1439).

    Raises
    ------
    ValueError
        On a malformed entry, an empty or backwards range, or a time given twice.

    Examples
    --------
    >>> expand_start_times(["06:00-07:00/30", "22:00"])
    [360, 390, 420, 1320]
    """
    out: list[int] = []
    for entry in entries:
        text = entry.strip()
        single = _TIME_RE.match(text)
        if single:
            out.append(int(single[1]) * 60 + int(single[2]))
            continue
        rng = _RANGE_RE.match(text)
        if not rng:
            raise ValueError(
                f'each start time must be "HH:MM" (00:00-23:59) or a range "HH:MM-HH:MM/step" '
                f"(got {entry!r})"
            )
        first = int(rng[1]) * 60 + int(rng[2])
        last = int(rng[3]) * 60 + int(rng[4])
        step = int(rng[5])
        if step <= 0:
            raise ValueError(f"the step of range {entry!r} must be > 0 minutes")
        if last < first:
            raise ValueError(
                f"range {entry!r} ends before it starts (a range may not cross midnight: "
                "write two ranges)"
            )
        out.extend(range(first, last + 1, step))
    if len(set(out)) != len(out):
        twice = sorted({m for m in out if out.count(m) > 1})
        raise ValueError(
            f"start times must not repeat (given twice: {', '.join(map(format_clock, twice))})"
        )
    return sorted(out)


class ShiftTemplateParams(_Model):
    """One kind of shift: length, allowed starts, days on per week, breaks and lunch.

    Attributes
    ----------
    name : str
        Shown in the schedule (plain words, at most 40 characters).
    length_minutes : int
        Time at work from start to end, lunch included, minutes (1–960).
    start_times : list of str
        Allowed clock start times, ``"HH:MM"`` or ranges ``"HH:MM-HH:MM/step"`` (see
        :func:`expand_start_times`). The same start is worked on every working day of the week.
    days_on : int
        Consecutive working days per week (1–7); the remaining ``7 − days_on`` days off are
        consecutive too (5 → five on, two off, starting on any day of the week).
    break_minutes : int
        Paid breaks per shift, minutes (e.g. 2 × 15). Paid and off the phone: they are part of
        the shrinkage (seed 001 counts breaks in shrinkage), so they are not placed in the
        schedule and must fit inside the shrinkage the schedule is given.
    lunch_minutes : int
        Unpaid lunch per shift, minutes (0 for none); placed by the solver inside
        ``lunch_window_minutes``, each working day separately.
    lunch_window_minutes : [int, int] or None
        Earliest and latest lunch *start*, minutes after the shift start; needed when
        ``lunch_minutes > 0``. The lunch must end before the shift does.
    cost_per_paid_hour : float or None
        Money per paid hour of this template (e.g. a night premium). Give it for every template
        to minimise cost, or for none to minimise paid hours.
    max_agents : int or None
        Most agents that may work this template (e.g. part-time contracts available).
    """

    name: str
    length_minutes: Annotated[Int, Field(gt=0, le=MAX_SHIFT_MINUTES)]
    start_times: Annotated[list[str], Field(min_length=1)]
    days_on: Annotated[Int, Field(ge=1, le=7)] = 5
    break_minutes: Minutes = 0
    lunch_minutes: Minutes = 0
    lunch_window_minutes: tuple[Minutes, Minutes] | None = None
    cost_per_paid_hour: Annotated[Num, Field(gt=0.0, le=1e6), MONEY] | None = None
    max_agents: Annotated[Int, Field(ge=0, le=1_000_000)] | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME_RE.match(value):
            raise ValueError(
                "must be plain words (letters, digits, spaces, - & ' + , . ( ); at most 40 "
                "characters)"
            )
        return value

    @field_validator("start_times")
    @classmethod
    def _starts(cls, value: list[str]) -> list[str]:
        expand_start_times(value)
        return value

    @model_validator(mode="after")
    def _fits(self) -> ShiftTemplateParams:
        length, lunch, brk = self.length_minutes, self.lunch_minutes, self.break_minutes
        if lunch + brk >= length:
            raise ValueError(
                f"lunch_minutes + break_minutes must be shorter than length_minutes ({length}; "
                f"got {lunch} + {brk})"
            )
        window = self.lunch_window_minutes
        if lunch > 0:
            if window is None:
                raise ValueError(
                    "lunch_window_minutes is needed when lunch_minutes > 0: "
                    "[earliest, latest] lunch start, minutes after the shift start"
                )
            earliest, latest = window
            if earliest > latest:
                raise ValueError(
                    f"lunch_window_minutes must be [earliest, latest] with earliest <= latest "
                    f"(got {list(window)})"
                )
            if earliest == 0 or latest + lunch >= length:
                raise ValueError(
                    f"lunch_window_minutes must put the lunch inside the shift: after the start "
                    f"and ending before minute {length} (got {list(window)} with a "
                    f"{lunch}-minute lunch)"
                )
        elif window is not None:
            raise ValueError("lunch_window_minutes is given but lunch_minutes is 0")
        return self

    @property
    def paid_minutes(self) -> int:
        """Paid minutes per shift: ``length_minutes − lunch_minutes`` (the lunch is unpaid)."""
        return self.length_minutes - self.lunch_minutes

    @property
    def start_minutes(self) -> list[int]:
        """Allowed starts, minutes after midnight, sorted."""
        return expand_start_times(self.start_times)


class ShiftsParams(_Model):
    """Section ``shifts:``: templates and solver settings for :func:`schedule_week`.

    Attributes
    ----------
    templates : list of ShiftTemplateParams
        At least one; names distinct.
    coverage : {"hard", "soft"}
        ``"hard"`` (default): every interval is covered (on-phone agents ≥ required).
        ``"soft"``: an interval may be short, at ``under_penalty_per_agent_hour`` per on-phone
        agent-hour missing.
    under_penalty_per_agent_hour : float or None
        Soft coverage only (required there): the price of one missing on-phone agent-hour, in the
        objective's unit (money with template costs, else paid hours).
    time_limit_s : float
        Wall-clock limit for the solver, seconds (default 30). When it is reached the best
        schedule found is returned with its optimality gap.
    work_limit_s : float or None
        Optional deterministic work limit (CP-SAT deterministic seconds, about one second of an
        unloaded core each). With it the same week and templates give the same schedule however
        loaded the machine is (as long as ``time_limit_s`` is not reached first): use it for
        committed notebooks and reports.
    relative_gap : float
        The solver stops once the schedule is proven within this share of the optimum
        (default 0.0001).
    """

    templates: Annotated[list[ShiftTemplateParams], Field(min_length=1, max_length=50)]
    coverage: Literal["hard", "soft"] = "hard"
    under_penalty_per_agent_hour: Annotated[Num, Field(gt=0.0, le=1e9)] | None = None
    time_limit_s: Annotated[Num, Field(gt=0.0, le=3600.0)] = 30.0
    work_limit_s: Annotated[Num, Field(gt=0.0, le=3600.0)] | None = None
    relative_gap: Annotated[Num, Field(ge=0.0, le=0.5)] = 1e-4

    @model_validator(mode="after")
    def _consistent(self) -> ShiftsParams:
        names = [t.name for t in self.templates]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"templates must have distinct names (repeated: {', '.join(twice)})")
        priced = [t.cost_per_paid_hour is not None for t in self.templates]
        if any(priced) and not all(priced):
            missing = [t.name for t in self.templates if t.cost_per_paid_hour is None]
            raise ValueError(
                "templates must all have cost_per_paid_hour or none of them "
                f"(missing for: {', '.join(missing)})"
            )
        if self.coverage == "soft" and self.under_penalty_per_agent_hour is None:
            raise ValueError(
                "under_penalty_per_agent_hour is needed with coverage: soft (the price of one "
                "missing on-phone agent-hour)"
            )
        if self.coverage == "hard" and self.under_penalty_per_agent_hour is not None:
            raise ValueError(
                "under_penalty_per_agent_hour is only used with coverage: soft (coverage is hard)"
            )
        return self

    @property
    def priced(self) -> bool:
        """Whether the objective is money (every template has ``cost_per_paid_hour``)."""
        return self.templates[0].cost_per_paid_hour is not None
