"""Skills-based routing: the model and a fast, seeded discrete-event simulation of it.

A contact centre with several contact types (queues) and agent groups with skill sets:

* :class:`ContactType` - a queue: Poisson arrivals at a constant rate (steady-state studies) or a
  rate per interval, handle times (exponential, or lognormal with a given coefficient of
  variation), exponential patience (``None`` = infinitely patient), a priority, an overflow
  threshold and its service-level targets.
* :class:`AgentGroup` - agents with the same primary and secondary skills, optional per-skill
  handle-time factors and a cost per agent-hour.
* :class:`RoutingModel` - the contact types, the groups and the interval length.

:func:`simulate` runs independent replications (each seeded from one ``SeedSequence`` spawn, so
results do not depend on where replications run: locally or mapped over a Dask client) and returns
per-queue service level (the three definitions of :mod:`cxplan.workforce.queueing`), ASA and
abandonment, and occupancy per group, each with a Student-t confidence interval across
replications.

Routing policy
--------------
1. An arriving contact goes to the longest-idle agent among the groups with its queue as a
   primary skill; if there is none and the queue's ``overflow_after_s`` is 0, to the longest-idle
   agent among the groups with it as a secondary skill. Otherwise it waits in its queue (FCFS).
2. A waiting contact may be taken by a secondary-skill group only once it has waited
   ``overflow_after_s``; at that moment the longest-idle such agent takes it.
3. An agent becoming free takes, among its skills' queues with an eligible waiting contact, the
   one with the smallest ``(priority, skill level, arrival time)``: higher-priority queues first
   (smaller ``priority``), then primary before secondary skills, then the longest-waiting contact.
   Service is non-preemptive. With nothing eligible the agent goes idle.
4. A waiting contact abandons when its patience runs out.

References
----------
.. [1] R. B. Wallace and W. Whitt, "A staffing algorithm for call centers with skill-based
   routing", Manufacturing & Service Operations Management 7(4), 2005 (routing by primary and
   secondary skills, longest-idle agent, simulation-based staffing).
.. [2] N. Gans, G. Koole and A. Mandelbaum, "Telephone call centers: tutorial, review, and
   research prospects", M&SOM 5(2), 2003 (skills-based routing; the longest-idle-agent rule).
.. [3] A. M. Law, *Simulation Modeling and Analysis*, 5th ed., McGraw-Hill, 2015, ch. 9
   (independent replications, warm-up deletion, t confidence intervals).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_array, as_scalar
from cxplan.errors import InputError
from cxplan.workforce.routing_result import (
    _ABANDONED,
    _ANSWERED,
    _N_TALLY,
    _OFFERED,
    _VIRTUAL_WITHIN,
    _WAIT_SUM,
    _WITHIN,
    METRICS,
    RoutingResult,
    _combine,
    _Tally,
    t_interval,
)

__all__ = [
    "HANDLE_TIME_DISTRIBUTIONS",
    "METRICS",
    "AgentGroup",
    "ContactType",
    "Inputs",
    "RoutingModel",
    "RoutingResult",
    "contact_log",
    "draw_inputs",
    "evaluate",
    "replication_seeds",
    "simulate",
    "t_interval",
]

#: Handle-time distributions a :class:`ContactType` accepts.
HANDLE_TIME_DISTRIBUTIONS: tuple[str, ...] = ("exponential", "lognormal")


_DEFAULT_RUN_S = 8 * 3600.0
_DEFAULT_WARMUP_S = 3600.0

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _name(owner: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{owner} name must be a non-empty string (got {value!r})")
    return value


@dataclass(frozen=True)
class ContactType:
    """A contact type (queue) with its arrivals, handle times, patience and targets.

    Parameters
    ----------
    name : str
        Queue name (unique in the model).
    rate_per_hour : float or sequence of float
        Poisson arrival rate, contacts per hour: one number for a steady-state study, or one per
        interval of :attr:`RoutingModel.interval_s` (all queues of a model the same length).
    aht_s : float
        Mean handle time, seconds (> 0), for an agent with handle-time factor 1.
    patience_s : float or None
        Mean patience, seconds (exponential); ``None`` for infinitely patient contacts.
    answer_time_s : float
        Service-level threshold, seconds (≥ 0).
    sl_target : float
        Service-level target in (0, 1] at ``answer_time_s`` (offered basis), used by staffing.
    max_abandon : float or None
        Optional cap on the abandonment rate (fraction), used by staffing.
    priority : int
        Queue priority for a freed agent choosing between queues; smaller is served first.
    overflow_after_s : float
        Wait, seconds, before secondary-skill groups may take the contact (0 = at once, but
        primary-skill agents are still preferred).
    handle_time : {"exponential", "lognormal"}
        Handle-time distribution.
    handle_time_cv : float
        Coefficient of variation of a lognormal handle time (> 0); ignored for exponential (1).
    """

    name: str
    rate_per_hour: float | Sequence[float]
    aht_s: float
    patience_s: float | None = None
    answer_time_s: float = 20.0
    sl_target: float = 0.80
    max_abandon: float | None = None
    priority: int = 0
    overflow_after_s: float = 0.0
    handle_time: Literal["exponential", "lognormal"] = "exponential"
    handle_time_cv: float = 1.0

    def __post_init__(self) -> None:
        """Check every field; raise :class:`~cxplan.errors.InputError` naming it."""
        who = f"contact type {self.name!r}"
        _name("contact type", self.name)
        rates = as_array(f"{who}: rate_per_hour", self.rate_per_hour, low=0.0)
        if rates.ndim > 1 or (rates.ndim == 1 and rates.size == 0):
            raise InputError(f"{who}: rate_per_hour must be a number or a non-empty sequence")
        as_scalar(f"{who}: aht_s", self.aht_s, low=0.0, low_inclusive=False)
        if self.patience_s is not None:
            as_scalar(f"{who}: patience_s", self.patience_s, low=0.0, low_inclusive=False)
        as_scalar(f"{who}: answer_time_s", self.answer_time_s, low=0.0)
        as_scalar(f"{who}: sl_target", self.sl_target, low=0.0, low_inclusive=False, high=1.0)
        if self.max_abandon is not None:
            as_scalar(f"{who}: max_abandon", self.max_abandon, low=0.0, high=1.0)
        if not isinstance(self.priority, int | np.integer) or isinstance(self.priority, bool):
            raise InputError(f"{who}: priority must be a whole number (got {self.priority!r})")
        as_scalar(f"{who}: overflow_after_s", self.overflow_after_s, low=0.0)
        if self.handle_time not in HANDLE_TIME_DISTRIBUTIONS:
            raise InputError(
                f"{who}: handle_time must be one of {', '.join(HANDLE_TIME_DISTRIBUTIONS)} "
                f"(got {self.handle_time!r})"
            )
        as_scalar(f"{who}: handle_time_cv", self.handle_time_cv, low=0.0, low_inclusive=False)

    @property
    def rates(self) -> Array:
        """Arrival rate per interval, contacts per second (1-D; length 1 if constant)."""
        return np.atleast_1d(np.asarray(self.rate_per_hour, dtype=float)) / 3600.0


@dataclass(frozen=True)
class AgentGroup:
    """Agents sharing a skill set.

    Parameters
    ----------
    name : str
        Group name (unique in the model).
    skills : sequence of str
        Queues the group serves as primary skills (at least one).
    secondary_skills : sequence of str
        Queues it serves only after their ``overflow_after_s`` wait (and after primary work).
    aht_factor : mapping of str to float
        Handle-time factor per skill (> 0; default 1): handle time = ``aht_s × factor``.
    cost_per_hour : float
        Cost of one agent of the group per staffed hour, in the params' currency (≥ 0).
    """

    name: str
    skills: Sequence[str]
    secondary_skills: Sequence[str] = ()
    aht_factor: Mapping[str, float] = field(default_factory=dict)
    cost_per_hour: float = 1.0

    def __post_init__(self) -> None:
        """Check the fields; skills are checked against the queues by :class:`RoutingModel`."""
        who = f"agent group {self.name!r}"
        _name("agent group", self.name)
        for label, seq in (("skills", self.skills), ("secondary_skills", self.secondary_skills)):
            if isinstance(seq, str) or not all(isinstance(s, str) for s in seq):
                raise InputError(f"{who}: {label} must be a list of queue names (got {seq!r})")
        if not self.skills:
            raise InputError(f"{who}: skills must name at least one queue")
        both = set(self.skills) & set(self.secondary_skills)
        if both:
            raise InputError(f"{who}: {sorted(both)} cannot be both primary and secondary skills")
        if len(set(self.skills)) != len(self.skills) or len(set(self.secondary_skills)) != len(
            self.secondary_skills
        ):
            raise InputError(f"{who}: a skill is listed twice")
        for skill, f in self.aht_factor.items():
            if skill not in self.skills and skill not in self.secondary_skills:
                raise InputError(
                    f"{who}: aht_factor names {skill!r}, which is not one of its skills"
                )
            as_scalar(f"{who}: aht_factor[{skill!r}]", f, low=0.0, low_inclusive=False)
        as_scalar(f"{who}: cost_per_hour", self.cost_per_hour, low=0.0)


@dataclass(frozen=True)
class RoutingModel:
    """Contact types, agent groups and the interval length of a skills-based-routing study.

    Parameters
    ----------
    contact_types : sequence of ContactType
        The queues (at least one). Rates are all constant or all per interval of equal length.
    groups : sequence of AgentGroup
        The agent groups (at least one); every queue must be a skill of some group.
    interval_s : float
        Interval length, seconds, for per-interval rates (default 1,800).
    """

    contact_types: Sequence[ContactType]
    groups: Sequence[AgentGroup]
    interval_s: float = 1800.0

    def __post_init__(self) -> None:
        """Check names, skills and rate shapes; raise :class:`~cxplan.errors.InputError`."""
        object.__setattr__(self, "contact_types", tuple(self.contact_types))
        object.__setattr__(self, "groups", tuple(self.groups))
        if not self.contact_types or not all(
            isinstance(c, ContactType) for c in self.contact_types
        ):
            raise InputError("contact_types must be a non-empty list of ContactType")
        if not self.groups or not all(isinstance(g, AgentGroup) for g in self.groups):
            raise InputError("groups must be a non-empty list of AgentGroup")
        for label, names in (("contact type", self.queue_names), ("group", self.group_names)):
            dup = {n for n in names if names.count(n) > 1}
            if dup:
                raise InputError(f"{label} names must be unique (repeated: {sorted(dup)})")
        known = set(self.queue_names)
        served: set[str] = set()
        for g in self.groups:
            for skill in (*g.skills, *g.secondary_skills):
                if skill not in known:
                    raise InputError(
                        f"agent group {g.name!r}: skill {skill!r} is not a contact type "
                        f"(known: {', '.join(self.queue_names)})"
                    )
                served.add(skill)
        unserved = [q for q in self.queue_names if q not in served]
        if unserved:
            raise InputError(f"no agent group has the skill for {unserved}")
        lengths = {c.rates.size for c in self.contact_types if np.ndim(c.rate_per_hour) == 1}
        if len(lengths) > 1:
            raise InputError(
                "per-interval rate_per_hour must have the same length for every contact type "
                f"(got lengths {sorted(lengths)}); a single number is repeated over the intervals"
            )
        as_scalar("interval_s", self.interval_s, low=0.0, low_inclusive=False)

    @property
    def queue_names(self) -> list[str]:
        """Names of the contact types, in order."""
        return [c.name for c in self.contact_types]

    @property
    def group_names(self) -> list[str]:
        """Names of the agent groups, in order."""
        return [g.name for g in self.groups]

    @property
    def n_intervals(self) -> int:
        """Number of rate intervals (1 when every rate is constant)."""
        return max(c.rates.size for c in self.contact_types)

    @property
    def steady_state(self) -> bool:
        """Whether every arrival rate is a single constant."""
        return all(np.ndim(c.rate_per_hour) == 0 for c in self.contact_types)

    def rate_matrix(self) -> Array:
        """Arrival rates, contacts per second, shape ``(intervals, queues)``."""
        k = self.n_intervals
        return np.stack([np.broadcast_to(c.rates, (k,)) for c in self.contact_types], axis=1)

    def skill_matrix(self) -> tuple[IntArray, Array]:
        """Skill levels (0 none, 1 primary, 2 secondary) and handle-time factors, ``(G, Q)``."""
        index = {n: i for i, n in enumerate(self.queue_names)}
        level = np.zeros((len(self.groups), len(self.contact_types)), np.int64)
        factor = np.ones(level.shape)
        for gi, g in enumerate(self.groups):
            for s in g.skills:
                level[gi, index[s]] = 1
            for s in g.secondary_skills:
                level[gi, index[s]] = 2
            for s, f in g.aht_factor.items():
                factor[gi, index[s]] = float(f)
        return level, factor

    def agents_vector(self, agents: Mapping[str, int] | Sequence[int] | Any) -> IntArray:
        """Agents per group as an int array in group order, from a mapping or a sequence."""
        if isinstance(agents, Mapping):
            unknown = set(agents) - set(self.group_names)
            if unknown:
                raise InputError(f"agents names unknown groups {sorted(unknown)}")
            missing = [g for g in self.group_names if g not in agents]
            if missing:
                raise InputError(f"agents is missing groups {missing}")
            values: Any = [agents[g] for g in self.group_names]
        else:
            values = agents
        arr = as_array("agents", values, low=0.0, integer=True, high=1e6)
        if arr.shape != (len(self.groups),):
            raise InputError(
                f"agents must give one whole number per group ({len(self.groups)}; "
                f"got shape {arr.shape})"
            )
        return arr.astype(np.int64)


@dataclass(frozen=True)
class Inputs:
    """Random inputs of one replication (all contacts sorted by arrival time).

    Attributes
    ----------
    arrival_s, queue, work, deadline_s : ndarray
        Arrival time (s), queue index, handle-time multiplier (mean 1) and arrival + patience
        (s; ``inf`` for infinite patience), per contact.
    window : tuple of float
        Start and end (s) of the measured window: contacts arriving in it are counted.
    """

    arrival_s: Array
    queue: IntArray
    work: Array
    deadline_s: Array
    window: tuple[float, float]


def _horizon(
    model: RoutingModel, run_s: float | None, warmup_s: float | None
) -> tuple[float, float, float, float]:
    """Return ``(warmup, interval length, window length, cool-down)`` in seconds."""
    if model.steady_state:
        run = _DEFAULT_RUN_S if run_s is None else as_scalar("run_s", run_s, low=0.0)
        if run <= 0:
            raise InputError(f"run_s must be > 0 (got {run_s!r})")
        warm = _DEFAULT_WARMUP_S if warmup_s is None else as_scalar("warmup_s", warmup_s, low=0.0)
        return warm, run, run, warm
    if run_s is not None:
        raise InputError(
            "run_s applies to constant arrival rates only: with per-interval rates the measured "
            "window is the intervals themselves"
        )
    warm = 0.0 if warmup_s is None else as_scalar("warmup_s", warmup_s, low=0.0)
    return warm, float(model.interval_s), float(model.interval_s) * model.n_intervals, 0.0


def draw_inputs(
    model: RoutingModel,
    seed: Any,
    *,
    run_s: float | None = None,
    warmup_s: float | None = None,
) -> Inputs:
    """Draw the random inputs of one replication.

    Parameters
    ----------
    model : RoutingModel
        The model.
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        Seed of this replication.
    run_s, warmup_s : float, optional
        See :func:`simulate`.

    Returns
    -------
    Inputs
        Arrivals over warm-up, measured window and cool-down, with their draws.

    Notes
    -----
    Arrivals are a piecewise-homogeneous Poisson process: on each piece ``[a, b)`` with rates
    ``λ_q`` the count is Poisson(``Σλ_q (b − a)``), the times are the order statistics of i.i.d.
    uniforms on the piece, drawn in order as normalised partial sums of exponential spacings (no
    sort), and each contact's queue is ``q`` with probability ``λ_q / Σλ`` (superposition of
    independent Poisson processes) [1]_. The warm-up runs at the first interval's rates and the
    cool-down (steady-state studies: as long as the warm-up; per-interval studies: none, the day
    ends) at the last one's. The inputs do not depend on the staffing, so every staffing sees the
    same contacts (common random numbers). Lognormal handle-time multipliers with coefficient of
    variation ``cv`` have ``σ² = ln(1 + cv²)`` and ``μ = −σ²/2`` (mean 1).

    References
    ----------
    .. [1] L. Devroye, *Non-Uniform Random Variate Generation*, Springer, 1986, ch. V.2 (uniform
       order statistics from exponential spacings).
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    warm, ilen, window, cool = _horizon(model, run_s, warmup_s)
    rates = model.rate_matrix()
    k = rates.shape[0]
    edges = [(0.0, warm, rates[0])] if warm > 0 else []
    edges += [(warm + i * ilen, warm + min((i + 1) * ilen, window), rates[i]) for i in range(k)]
    if cool > 0:
        edges.append((warm + window, warm + window + cool, rates[-1]))
    times: list[Array] = []
    queues: list[IntArray] = []
    for a, b, r in edges:
        total = float(r.sum())
        n = int(rng.poisson(total * (b - a))) if total > 0 else 0
        if n == 0:
            continue
        # n sorted uniforms on [a, b) without sorting: normalised partial sums of n + 1
        # exponential spacings; queue labels i.i.d. with P(q) = λ_q / Σλ (Poisson superposition)
        gaps = rng.exponential(1.0, n + 1)
        times.append(a + (b - a) * (np.cumsum(gaps[:n]) / gaps.sum()))
        cdf = np.cumsum(r) / total
        queues.append(np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), r.size - 1))
    arrival = np.concatenate(times) if times else np.empty(0)
    queue = np.concatenate(queues).astype(np.int64) if queues else np.empty(0, np.int64)
    n = arrival.size
    cts = model.contact_types
    work = rng.exponential(1.0, n)
    if any(c.handle_time == "lognormal" for c in cts):
        s2 = np.array([math.log1p(c.handle_time_cv**2) for c in cts])[queue]
        logn = np.exp(-s2 / 2.0 + np.sqrt(s2) * rng.standard_normal(n))
        lognormal = np.array([c.handle_time == "lognormal" for c in cts])[queue]
        work = np.where(lognormal, logn, work)
    mean_patience = np.array([np.inf if c.patience_s is None else c.patience_s for c in cts])
    return Inputs(
        arrival_s=arrival,
        queue=queue,
        work=work,
        deadline_s=arrival + mean_patience[queue] * rng.exponential(1.0, n),
        window=(warm, warm + window),
    )


def _route(model: RoutingModel, agents: IntArray, inputs: Inputs) -> tuple[Array, IntArray, Array]:
    # imported here: numba (about a second to import) loads with the first simulation, not with
    # the params schema that imports this module
    from cxplan.workforce._routing_kernel import route

    level, factor = model.skill_matrix()
    cts = model.contact_types
    return route(
        inputs.arrival_s,
        inputs.queue,
        inputs.work,
        inputs.deadline_s,
        np.array([c.aht_s for c in cts], dtype=float),
        np.array([int(c.priority) for c in cts], dtype=np.int64),
        np.array([c.overflow_after_s for c in cts], dtype=float),
        level,
        factor,
        np.ascontiguousarray(agents, dtype=np.int64),
    )


def contact_log(
    model: RoutingModel, agents: Mapping[str, int] | Sequence[int] | Any, inputs: Inputs
) -> pd.DataFrame:
    """Per-contact outcome of one replication (all contacts, warm-up and cool-down included).

    Parameters
    ----------
    model : RoutingModel
        The model the inputs were drawn for.
    agents : mapping or sequence of int
        Agents per group.
    inputs : Inputs
        One replication's draws (:func:`draw_inputs`).

    Returns
    -------
    pandas.DataFrame
        Columns ``arrival_s``, ``queue_index``, ``answered_s`` (NaN if not answered),
        ``group_index`` (-1 if not answered), ``wait_s`` (NaN if not answered), ``abandoned``,
        ``virtual_wait_s`` (``inf`` if unresolved) and ``counted`` (arrived in the window).
    """
    n = model.agents_vector(agents)
    start, group, virtual = _route(model, n, inputs)
    w0, w1 = inputs.window
    return pd.DataFrame(
        {
            "arrival_s": inputs.arrival_s,
            "queue_index": inputs.queue,
            "answered_s": start,
            "group_index": group,
            "wait_s": start - inputs.arrival_s,
            "abandoned": (group < 0) & np.isfinite(inputs.deadline_s),
            "virtual_wait_s": virtual,
            "counted": (inputs.arrival_s >= w0) & (inputs.arrival_s < w1),
        }
    )


def _run(model: RoutingModel, agents: IntArray, inputs: Inputs) -> _Tally:
    _, factor = model.skill_matrix()
    cts = model.contact_types
    aht = np.array([c.aht_s for c in cts], dtype=float)
    answer = np.array([c.answer_time_s for c in cts], dtype=float)
    start, group, virtual = _route(model, agents, inputs)
    n_q, n_g = len(cts), len(model.groups)
    w0, w1 = inputs.window
    ilen = (w1 - w0) if model.steady_state else float(model.interval_s)
    k = model.n_intervals
    # contacts arriving in the window, by queue and interval of arrival
    inside = (inputs.arrival_s >= w0) & (inputs.arrival_s < w1)
    q = inputs.queue[inside]
    b = np.minimum(((inputs.arrival_s[inside] - w0) // ilen).astype(np.int64), k - 1)
    cell = q * k + b
    size = n_q * k
    g = group[inside]
    answered = g >= 0
    wait = start[inside] - inputs.arrival_s[inside]
    thr = answer[q]
    abandoned = ~answered & np.isfinite(inputs.deadline_s[inside])
    tally = np.empty((_N_TALLY, size))
    tally[_OFFERED] = np.bincount(cell, minlength=size)
    tally[_ANSWERED] = np.bincount(cell, weights=answered, minlength=size)
    tally[_WITHIN] = np.bincount(cell, weights=answered & (wait <= thr), minlength=size)
    tally[_ABANDONED] = np.bincount(cell, weights=abandoned, minlength=size)
    tally[_WAIT_SUM] = np.bincount(cell, weights=np.where(answered, wait, 0.0), minlength=size)
    tally[_VIRTUAL_WITHIN] = np.bincount(cell, weights=virtual[inside] <= thr, minlength=size)
    handled = np.bincount(g[answered] * n_q + q[answered], minlength=n_g * n_q)
    # busy time of every answered contact (warm-up ones too) clipped to each measured interval
    served = group >= 0
    s0 = start[served]
    gs = group[served]
    s1 = s0 + aht[inputs.queue[served]] * factor[gs, inputs.queue[served]] * inputs.work[served]
    busy = np.empty((n_g, k))
    for i in range(k):
        a, z = w0 + i * ilen, min(w0 + (i + 1) * ilen, w1)
        overlap = np.clip(np.minimum(s1, z) - np.maximum(s0, a), 0.0, None)
        busy[:, i] = np.bincount(gs, weights=overlap, minlength=n_g)
    return _Tally(
        queue=tally.reshape(_N_TALLY, n_q, k),
        busy_s=busy,
        handled=handled.reshape(n_g, n_q).astype(float),
        contacts=int(inputs.arrival_s.size),
    )


def _replication(
    model: RoutingModel,
    agents: IntArray,
    seed: np.random.SeedSequence,
    run_s: float | None,
    warmup_s: float | None,
) -> _Tally:
    """Draw and run one replication (module level so that Dask can ship it to workers)."""
    return _run(model, agents, draw_inputs(model, seed, run_s=run_s, warmup_s=warmup_s))


def replication_seeds(seed: Any, replications: int) -> list[np.random.SeedSequence]:
    """Independent seeds for ``replications`` replications: ``SeedSequence(seed).spawn(n)``.

    Replication ``i`` gets the same seed wherever it runs (locally or on a Dask worker), so
    results depend only on ``seed``.
    """
    n = int(as_scalar("replications", replications, low=1, integer=True, high=1e6))
    if isinstance(
        seed, np.random.SeedSequence
    ):  # a fresh copy: spawn() must not advance the caller's
        ss = np.random.SeedSequence(
            seed.entropy, spawn_key=seed.spawn_key, pool_size=seed.pool_size
        )
    else:
        ss = np.random.SeedSequence(seed)
    return list(ss.spawn(n))


def evaluate(
    model: RoutingModel,
    agents: Mapping[str, int] | Sequence[int] | Any,
    inputs: Sequence[Inputs],
    *,
    level: float = 0.95,
) -> RoutingResult:
    """Simulate a staffing on already drawn inputs (common random numbers across staffings).

    Parameters
    ----------
    model : RoutingModel
        The model the inputs were drawn for (:func:`draw_inputs`).
    agents : mapping or sequence of int
        Agents per group (by name, or in group order).
    inputs : sequence of Inputs
        One per replication.
    level : float
        Confidence level of the result's intervals.

    Returns
    -------
    RoutingResult
    """
    n = model.agents_vector(agents)
    if not inputs:
        raise InputError("inputs must hold at least one replication")
    w0, w1 = inputs[0].window
    ilen = (w1 - w0) if model.steady_state else float(model.interval_s)
    return _combine(model, n, [_run(model, n, x) for x in inputs], level, ilen)


def simulate(
    model: RoutingModel,
    agents: Mapping[str, int] | Sequence[int] | Any,
    *,
    replications: int = 10,
    run_s: float | None = None,
    warmup_s: float | None = None,
    seed: Any = 0,
    level: float = 0.95,
    client: Any = None,
) -> RoutingResult:
    """Simulate the model with the given agents; statistics with confidence intervals.

    Parameters
    ----------
    model : RoutingModel
        Queues, groups and routing rules.
    agents : mapping or sequence of int
        Agents per group, by group name or in group order (constant over the run).
    replications : int
        Independent replications (≥ 1; two or more for confidence intervals).
    run_s : float, optional
        Length of the measured window, seconds, for constant rates (default 8 hours). With
        per-interval rates the window is the intervals and ``run_s`` must not be given.
    warmup_s : float, optional
        Warm-up before the window, seconds, whose contacts are not counted (default 1 hour for
        constant rates, 0 for per-interval rates: the day starts empty).
    seed : int or numpy.random.SeedSequence
        Seed; replication ``i`` uses the ``i``-th ``SeedSequence(seed).spawn`` child.
    level : float
        Confidence level of the intervals (default 0.95).
    client : dask.distributed.Client, optional
        When given, replications run as ``client.map`` tasks; the result is identical to the
        local run for the same seed.

    Returns
    -------
    RoutingResult
        Tables ``queues`` (SL on the three definitions, ASA, abandonment, each with a CI),
        ``groups`` (occupancy with a CI) and ``intervals``.

    Notes
    -----
    Contacts arriving in the measured window are counted, whenever they finish (arrivals
    continue through a cool-down as long as the warm-up for constant rates, so the last counted
    contacts meet realistic competition). Definitions, per queue and replication:

    * SL (offered) = answered with wait ≤ ``answer_time_s`` ÷ offered;
    * SL (answered) = the same ÷ answered; SL (virtual) = contacts whose virtual wait (the wait
      had they been infinitely patient) is ≤ ``answer_time_s`` ÷ offered;
    * ASA = mean wait of answered contacts; abandonment = abandoned ÷ offered;
    * occupancy = busy agent-time inside the window ÷ (agents × window).

    Each is averaged over replications with a Student-t interval (:func:`t_interval`).

    Examples
    --------
    >>> m = RoutingModel(
    ...     [ContactType("sales", rate_per_hour=100, aht_s=180)],
    ...     [AgentGroup("team", skills=["sales"])],
    ... )
    >>> r = simulate(m, {"team": 7}, replications=5, run_s=4 * 3600, seed=1)
    >>> bool(0.7 < r.queues.loc["sales", "sl"] < 0.95)
    True
    """
    n = model.agents_vector(agents)
    seeds = replication_seeds(seed, replications)
    as_scalar("level", level, low=0.0, low_inclusive=False, high=1.0, high_inclusive=False)
    _, ilen, _, _ = _horizon(model, run_s, warmup_s)
    if client is not None:
        futures = client.map(
            _replication,
            [model] * len(seeds),
            [n] * len(seeds),
            seeds,
            [run_s] * len(seeds),
            [warmup_s] * len(seeds),
            pure=False,
        )
        tallies = client.gather(futures)
    else:
        tallies = [_replication(model, n, s, run_s, warmup_s) for s in seeds]
    return _combine(model, n, tallies, float(level), ilen)
