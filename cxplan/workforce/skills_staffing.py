"""Staffing a skills-based-routing centre by simulation, and the value of cross-training.

:func:`staff` finds the cheapest agents per group such that every queue meets its service-level
target (and optional abandonment cap) in :func:`cxplan.workforce.routing.simulate`.
:func:`staff_by_interval` does it interval by interval for per-interval rates (SIPP).
:func:`erlang_bounds` gives the analytic starting points, :func:`design_models` builds the
dedicated, 2-skill chain and fully pooled designs of a set of queues, and :func:`compare_designs`
staffs each and returns the comparison table (Wallace & Whitt's "a little flexibility goes a long
way" [1]_).

Search (simulation optimisation by sample-average approximation)
----------------------------------------------------------------
The replications' random inputs are drawn once and reused for every candidate staffing (common
random numbers), so comparisons between candidates are not blurred by noise and the search is
deterministic for a seed. A staffing is *feasible* when every queue's SL (offered basis, at its
``answer_time_s``) is at least its ``sl_target`` and its abandonment at most ``max_abandon``;
``criterion="mean"`` judges the replication mean, ``"lower"`` the pessimistic end of the
confidence interval.

1. **Bounds.** Dedicated: each queue's Erlang C/A requirement (:func:`queueing.required_agents`)
   given to its *home* group (the cheapest group with the queue as a primary skill). Pooled: the
   Erlang requirement of all traffic in one pool (mean handle time of the mix, the strictest
   queue's target) - the least total any design can need when handle times are alike.
2. **Start and ascend.** Scale the dedicated allocation down to the pooled total (largest
   remainders). While infeasible, add the agent with the largest fall in total shortfall
   (``Σ max(0, target − SL) + Σ max(0, abandonment − cap)``) per unit cost, trying every group.
3. **Greedy descent.** While some group can lose one agent and stay feasible, remove the one
   saving most cost (ties: most remaining slack).
4. **Local improvement.** Try every exchange that lowers cost: one agent moved to a cheaper group,
   or two agents replaced by one of a third group. Take the cheapest feasible one and go back to 3.
5. **Stop** when no removal or exchange is feasible (a local optimum in that neighbourhood), or
   after ``max_evaluations`` simulations (flagged in the result).

Each distinct staffing is simulated once (cached). The final staffing is re-simulated on
independent replications (``validation``) so that the reported figures are not the ones the
search was tuned on.

References
----------
.. [1] R. B. Wallace and W. Whitt, "A staffing algorithm for call centers with skill-based
   routing", Manufacturing & Service Operations Management 7(4):276-294, 2005.
.. [2] J. Atlason, M. A. Epelman and S. G. Henderson, "Call center staffing with simulation and
   cutting plane methods", Annals of Operations Research 127:333-358, 2004 (sample-average
   approximation with common random numbers).
.. [3] W. C. Jordan and S. C. Graves, "Principles on the benefits of manufacturing process
   flexibility", Management Science 41(4):577-594, 1995 (chaining).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_scalar
from cxplan.errors import InfeasibleError, InputError
from cxplan.workforce import queueing
from cxplan.workforce.routing import (
    AgentGroup,
    ContactType,
    RoutingModel,
    RoutingResult,
    draw_inputs,
    evaluate,
    replication_seeds,
    simulate,
)

__all__ = [
    "DESIGNS",
    "StaffingResult",
    "compare_designs",
    "design_models",
    "erlang_bounds",
    "staff",
    "staff_by_interval",
]

#: Skill designs built by :func:`design_models`.
DESIGNS: tuple[str, ...] = ("dedicated", "chain", "pooled")

IntArray = npt.NDArray[np.int64]


def _steady(model: RoutingModel) -> None:
    if not model.steady_state:
        raise InputError(
            "staffing by simulation needs constant arrival rates (one rate_per_hour per queue); "
            "staff a day interval by interval with each interval's rates"
        )


def _home_groups(model: RoutingModel) -> list[int]:
    """For each queue, the cheapest group with it as a primary skill (ties: fewest skills)."""
    homes = []
    for q in model.queue_names:
        cands = [
            (g.cost_per_hour, len(g.skills) + len(g.secondary_skills), i)
            for i, g in enumerate(model.groups)
            if q in g.skills
        ]
        if not cands:
            raise InputError(f"queue {q!r} is no group's primary skill; staffing needs one")
        homes.append(min(cands)[2])
    return homes


def _factor(model: RoutingModel, gi: int, q: str) -> float:
    return float(model.groups[gi].aht_factor.get(q, 1.0))


def erlang_bounds(model: RoutingModel) -> tuple[int, dict[str, int]]:
    """Pooled and dedicated Erlang staffing of the model's queues.

    Parameters
    ----------
    model : RoutingModel
        A model with constant arrival rates.

    Returns
    -------
    pooled : int
        Agents for all traffic in one pool: the largest over queues ``q`` of
        ``required_agents(ΣA, ΣA/Σλ, t_q, target_q, patience_q, max_abandon_q)``.
    dedicated : dict of str to int
        Per queue, ``required_agents(A_q, aht_q·f, t_q, target_q, patience_q, max_abandon_q)``
        with ``f`` the handle-time factor of the queue's home group.

    Notes
    -----
    ``A = λ·aht`` (Erlangs). In one pool served FCFS every queue sees the same wait, so the pool
    must meet the strictest target; the pooled figure uses each queue's fastest handle-time factor
    and is a lower bound on the total of any design when handle times are alike (pooling is the
    most flexible design). Erlang C without patience, Erlang A with it (:mod:`queueing`).

    Examples
    --------
    >>> m = RoutingModel(
    ...     [ContactType(n, rate_per_hour=144, aht_s=300) for n in ("a", "b")],
    ...     [AgentGroup("A", ["a"]), AgentGroup("B", ["b"])],
    ... )
    >>> erlang_bounds(m)
    (29, {'a': 16, 'b': 16})
    """
    _steady(model)
    homes = _home_groups(model)
    dedicated: dict[str, int] = {}
    lam = np.array([c.rates[0] for c in model.contact_types])
    fastest = []
    for qi, c in enumerate(model.contact_types):
        f = _factor(model, homes[qi], c.name)
        fastest.append(
            min(
                _factor(model, gi, c.name)
                for gi, g in enumerate(model.groups)
                if c.name in (*g.skills, *g.secondary_skills)
            )
        )
        dedicated[c.name] = int(
            queueing.required_agents(
                lam[qi] * c.aht_s * f,
                c.aht_s * f,
                c.answer_time_s,
                c.sl_target,
                patience=c.patience_s,
                max_abandonment=c.max_abandon,
            )
        )
    work = lam * np.array([c.aht_s for c in model.contact_types]) * np.array(fastest)
    total_a = float(work.sum())
    if total_a <= 0:
        return 0, dedicated
    aht_mix = total_a / float(lam.sum())
    pooled = max(
        int(
            queueing.required_agents(
                total_a,
                aht_mix,
                c.answer_time_s,
                c.sl_target,
                patience=c.patience_s,
                max_abandonment=c.max_abandon,
            )
        )
        for c in model.contact_types
    )
    return pooled, dedicated


@dataclass(frozen=True)
class StaffingResult:
    """Outcome of :func:`staff`.

    Attributes
    ----------
    agents : pandas.Series
        Agents per group (index: group names).
    cost_per_hour : float
        ``Σ agents × cost_per_hour`` of the groups.
    result : RoutingResult
        The final staffing on the search's replications (common random numbers).
    validation : RoutingResult or None
        The final staffing on independent replications (``validate=True``).
    pooled_bound, dedicated_bound : int
        Total agents of the pooled and dedicated Erlang staffings (:func:`erlang_bounds`).
    evaluations : int
        Distinct staffings simulated.
    converged : bool
        False when the search stopped at ``max_evaluations``.
    history : pandas.DataFrame
        One row per accepted step: phase, agents per group, total, cost, feasible.
    """

    agents: pd.Series
    cost_per_hour: float
    result: RoutingResult
    validation: RoutingResult | None
    pooled_bound: int
    dedicated_bound: int
    evaluations: int
    converged: bool
    history: pd.DataFrame

    @property
    def total_agents(self) -> int:
        """Agents over all groups."""
        return int(self.agents.sum())


class _Search:
    """Cached, common-random-number evaluation of staffings (see the module docstring)."""

    def __init__(
        self,
        model: RoutingModel,
        *,
        replications: int,
        run_s: float | None,
        warmup_s: float | None,
        seed: Any,
        criterion: Literal["mean", "lower"],
        level: float,
        client: Any,
        max_evaluations: int,
    ) -> None:
        self.model = model
        self.criterion = criterion
        self.level = level
        self.client = client
        self.seed = seed
        self.replications = replications
        self.run_s = run_s
        self.warmup_s = warmup_s
        self.max_evaluations = max_evaluations
        self.cost = np.array([g.cost_per_hour for g in model.groups], dtype=float)
        cts = model.contact_types
        self.target = np.array([c.sl_target for c in cts])
        self.cap = np.array([np.inf if c.max_abandon is None else c.max_abandon for c in cts])
        self.inputs = (
            None
            if client is not None
            else [
                draw_inputs(model, s, run_s=run_s, warmup_s=warmup_s)
                for s in replication_seeds(seed, replications)
            ]
        )
        self.cache: dict[tuple[int, ...], tuple[RoutingResult, float, float]] = {}
        self.exhausted = False

    def result(self, n: IntArray) -> RoutingResult:
        return self._eval(n)[0]

    def _eval(self, n: IntArray) -> tuple[RoutingResult, float, float]:
        key = tuple(int(v) for v in n)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        if len(self.cache) >= self.max_evaluations:
            self.exhausted = True
            raise _Exhausted
        if self.inputs is not None:
            res = evaluate(self.model, n, self.inputs, level=self.level)
        else:
            res = simulate(
                self.model,
                n,
                replications=self.replications,
                run_s=self.run_s,
                warmup_s=self.warmup_s,
                seed=self.seed,
                level=self.level,
                client=self.client,
            )
        sl = res.per_replication("sl")
        ab = res.per_replication("abandon_rate")
        if self.criterion == "lower":
            from cxplan.workforce.routing import t_interval

            sl_v, ab_v = t_interval(sl, self.level)[1], t_interval(ab, self.level)[2]
            sl_v, ab_v = np.nan_to_num(sl_v, nan=-np.inf), np.nan_to_num(ab_v, nan=np.inf)
        else:
            sl_v, ab_v = sl.mean(axis=0), ab.mean(axis=0)
        short = float(
            np.maximum(self.target - sl_v, 0.0).sum()
            + np.maximum(ab_v - self.cap, 0.0)[np.isfinite(self.cap)].sum()
        )
        slack = float(np.min(sl_v - self.target))
        out = (res, short, slack)
        self.cache[key] = out
        return out

    def feasible(self, n: IntArray) -> bool:
        return self._eval(n)[1] <= 1e-12

    def shortfall(self, n: IntArray) -> float:
        return self._eval(n)[1]

    def slack(self, n: IntArray) -> float:
        return self._eval(n)[2]


class _Exhausted(Exception):
    """Raised inside the search when the evaluation budget is spent."""


def _scale(alloc: IntArray, total: int) -> IntArray:
    """Scale an allocation to ``total`` by largest remainders (groups at 0 stay at 0)."""
    s = alloc.sum()
    if s <= 0:
        return alloc.copy()
    exact = alloc * (total / s)
    out = np.floor(exact).astype(np.int64)
    rest = total - int(out.sum())
    order = np.argsort(-(exact - out), kind="stable")
    out[order[:rest]] += 1
    return np.asarray(out, dtype=np.int64)


def staff(
    model: RoutingModel,
    *,
    replications: int = 10,
    run_s: float | None = None,
    warmup_s: float | None = None,
    seed: Any = 0,
    criterion: Literal["mean", "lower"] = "mean",
    level: float = 0.95,
    max_evaluations: int = 400,
    validate: bool = True,
    client: Any = None,
    start: Sequence[int] | IntArray | None = None,
) -> StaffingResult:
    """Cheapest agents per group meeting every queue's targets, by simulation optimisation.

    Parameters
    ----------
    model : RoutingModel
        Queues with constant rates and targets (``sl_target`` at ``answer_time_s``, optional
        ``max_abandon``); groups with ``cost_per_hour``.
    replications : int
        Replications per evaluation (common random numbers across evaluations).
    run_s, warmup_s : float, optional
        Window and warm-up of each replication, seconds (see :func:`routing.simulate`).
    seed : int
        Seed of the search's replications; validation uses an independent stream.
    criterion : {"mean", "lower"}
        Feasibility judged on the replication mean or on the CI's pessimistic end.
    level : float
        Confidence level of the intervals (and of ``criterion="lower"``).
    max_evaluations : int
        Budget of distinct staffings simulated.
    validate : bool
        Re-simulate the answer on independent replications (``StaffingResult.validation``).
    client : dask.distributed.Client, optional
        Map each evaluation's replications over Dask (same answer as local).
    start : sequence of int, optional
        Agents per group to start the search from instead of the scaled Erlang allocation
        (e.g. the previous interval's answer); the search then ascends or descends from it.

    Returns
    -------
    StaffingResult

    Raises
    ------
    InputError
        On bad arguments or per-interval rates.
    InfeasibleError
        If no staffing up to four times the dedicated Erlang staffing meets the targets.

    Notes
    -----
    The algorithm and stopping rule are in the module docstring.
    """
    _steady(model)
    reps = int(as_scalar("replications", replications, low=1, integer=True, high=10_000))
    budget = int(as_scalar("max_evaluations", max_evaluations, low=1, integer=True))
    if criterion not in ("mean", "lower"):
        raise InputError(f"criterion must be 'mean' or 'lower' (got {criterion!r})")
    search = _Search(
        model,
        replications=reps,
        run_s=run_s,
        warmup_s=warmup_s,
        seed=seed,
        criterion=criterion,
        level=level,
        client=client,
        max_evaluations=budget,
    )
    pooled, dedicated = erlang_bounds(model)
    homes = _home_groups(model)
    g_count = len(model.groups)
    ded = np.zeros(g_count, np.int64)
    for qi, q in enumerate(model.queue_names):
        ded[homes[qi]] += dedicated[q]
    cost = search.cost
    history: list[dict[str, Any]] = []

    def log(phase: str, n: IntArray) -> None:
        row: dict[str, Any] = {"phase": phase}
        row.update({g: int(v) for g, v in zip(model.group_names, n, strict=True)})
        row.update(total=int(n.sum()), cost_per_hour=float(cost @ n), feasible=search.feasible(n))
        history.append(row)

    n = _scale(ded, min(pooled, int(ded.sum()))) if start is None else model.agents_vector(start)
    cap = 4 * max(int(ded.sum()), 1) + 4 * g_count
    try:
        log("start", n)
        # ascend to feasibility
        while not search.feasible(n):
            if n.sum() >= cap:
                raise InfeasibleError(
                    f"no staffing up to {cap} agents meets the targets (dedicated Erlang "
                    f"staffing {int(ded.sum())}); check the targets and skills"
                )
            base = search.shortfall(n)
            best, best_gain = -1, -np.inf
            for g in range(g_count):
                trial = n.copy()
                trial[g] += 1
                gain = (base - search.shortfall(trial)) / max(cost[g], 1e-9)
                if gain > best_gain + 1e-15:
                    best, best_gain = g, gain
            n = n.copy()
            n[best] += 1
            log("ascend", n)
        # descend, then local improvement, until neither moves
        while True:
            n = _descend(search, n, cost, log)
            better = _exchange(search, n, cost)
            if better is None:
                break
            n = better
            log("exchange", n)
        converged = True
    except _Exhausted:
        feas = [(cost @ np.array(k), k) for k, v in search.cache.items() if v[1] <= 1e-12]
        if not feas:
            raise InfeasibleError(
                f"no feasible staffing found within max_evaluations={budget}"
            ) from None
        n = np.array(min(feas)[1], dtype=np.int64)
        converged = False
    final = search.result(n)
    validation = None
    if validate:
        # child number `reps` of the seed: distinct from the search's children 0 .. reps-1
        vseed = replication_seeds(seed, reps + 1)[reps]
        validation = simulate(
            model,
            n,
            replications=reps,
            run_s=run_s,
            warmup_s=warmup_s,
            seed=vseed,
            level=level,
            client=client,
        )
    return StaffingResult(
        agents=pd.Series(n, index=pd.Index(model.group_names, name="group"), name="agents"),
        cost_per_hour=float(cost @ n),
        result=final,
        validation=validation,
        pooled_bound=pooled,
        dedicated_bound=int(ded.sum()),
        evaluations=len(search.cache),
        converged=converged,
        history=pd.DataFrame(history),
    )


def _descend(search: _Search, n: IntArray, cost: npt.NDArray[np.float64], log: Any) -> IntArray:
    while True:
        best: tuple[float, float, int] | None = None
        for g in range(n.size):
            if n[g] == 0:
                continue
            trial = n.copy()
            trial[g] -= 1
            if search.feasible(trial):
                key = (-cost[g], -search.slack(trial), g)
                if best is None or key < best:
                    best = key
        if best is None:
            return n
        n = n.copy()
        n[best[2]] -= 1
        log("descend", n)


def _exchange(search: _Search, n: IntArray, cost: npt.NDArray[np.float64]) -> IntArray | None:
    g_count = n.size
    moves: list[tuple[float, IntArray]] = []
    for a in range(g_count):
        if n[a] == 0:
            continue
        for b in range(g_count):
            if b != a and cost[b] < cost[a]:
                t = n.copy()
                t[a] -= 1
                t[b] += 1
                moves.append((float(cost[b] - cost[a]), t))
        for c in range(a, g_count):
            if n[c] - (1 if c == a else 0) <= 0:
                continue
            for b in range(g_count):
                if b in (a, c) or cost[b] >= cost[a] + cost[c]:
                    continue
                t = n.copy()
                t[a] -= 1
                t[c] -= 1
                t[b] += 1
                moves.append((float(cost[b] - cost[a] - cost[c]), t))
    moves.sort(key=lambda m: m[0])
    for _, t in moves:
        if search.feasible(t):
            return t
    return None


def staff_by_interval(
    model: RoutingModel,
    *,
    replications: int = 10,
    run_s: float | None = None,
    warmup_s: float | None = None,
    seed: Any = 0,
    criterion: Literal["mean", "lower"] = "mean",
    max_evaluations: int = 400,
    client: Any = None,
) -> pd.DataFrame:
    """Agents per group for each interval of a model with per-interval rates (SIPP).

    Parameters
    ----------
    model : RoutingModel
        Queues with ``rate_per_hour`` per interval (constant rates give one interval).
    replications, run_s, warmup_s, seed, criterion, max_evaluations, client
        Passed to :func:`staff` for every interval (``run_s`` defaults to 8 hours: each interval
        is staffed as a steady state at its own rates).

    Returns
    -------
    pandas.DataFrame
        One row per interval (index ``interval``): agents per group (one column per group),
        ``total_agents``, ``cost_per_hour``, ``sl_min`` (lowest queue SL on the search's
        replications) and ``converged``.

    Notes
    -----
    The stationary independent period-by-period approach (SIPP): each interval is staffed for
    the steady state of its own arrival rates [4]_, which is accurate when intervals are long
    compared with handle times and rates change slowly. Each interval's search starts from the
    previous interval's answer, so neighbouring intervals cost few evaluations. An interval
    without arrivals needs no agents.

    References
    ----------
    .. [4] L. V. Green, P. J. Kolesar and J. Soares, "Improving the SIPP approach for staffing
       service systems that have cyclic demands", Operations Research 49(4), 2001.
    """
    rates = model.rate_matrix() * 3600.0
    names = model.group_names
    rows: list[dict[str, Any]] = []
    previous: IntArray | None = None
    for k in range(rates.shape[0]):
        row: dict[str, Any] = {"interval": k}
        if rates[k].sum() <= 0:
            row.update(dict.fromkeys(names, 0))
            row.update(total_agents=0, cost_per_hour=0.0, sl_min=1.0, converged=True)
            rows.append(row)
            continue
        cts = [
            replace(c, rate_per_hour=float(r))
            for c, r in zip(model.contact_types, rates[k], strict=True)
        ]
        m = RoutingModel(cts, model.groups, interval_s=model.interval_s)
        res = staff(
            m,
            replications=replications,
            run_s=run_s,
            warmup_s=warmup_s,
            seed=seed,
            criterion=criterion,
            max_evaluations=max_evaluations,
            validate=False,
            client=client,
            start=previous,
        )
        previous = res.agents.to_numpy()
        row.update({str(g): int(v) for g, v in res.agents.items()})
        row.update(
            total_agents=res.total_agents,
            cost_per_hour=res.cost_per_hour,
            sl_min=float(res.result.queues["sl"].min()),
            converged=res.converged,
        )
        rows.append(row)
    return pd.DataFrame(rows).set_index("interval")


# ---------------------------------------------------------------------------------------------
# designs and the cross-training comparison
# ---------------------------------------------------------------------------------------------


def design_models(
    contact_types: Sequence[ContactType],
    *,
    cost_per_hour: float = 1.0,
    premium_per_extra_skill: float = 0.0,
    designs: Sequence[str] = DESIGNS,
) -> dict[str, RoutingModel]:
    """Dedicated, 2-skill chain and fully pooled designs of the same queues.

    Parameters
    ----------
    contact_types : sequence of ContactType
        The queues (constant rates), in chain order.
    cost_per_hour : float
        Cost of a single-skill agent per hour.
    premium_per_extra_skill : float
        Extra cost per additional skill, as a fraction of ``cost_per_hour`` (e.g. 0.05).
    designs : sequence of str
        Any of ``"dedicated"`` (group ``i`` has skill ``i`` only), ``"chain"`` (group ``i``:
        primary ``i``, secondary ``i+1``, the last one closing the loop: Jordan & Graves' long
        chain [3]_, Wallace & Whitt's two skills per agent [1]_) and ``"pooled"`` (one group with
        every skill as a primary skill).

    Returns
    -------
    dict of str to RoutingModel
    """
    cts = list(contact_types)
    base = as_scalar("cost_per_hour", cost_per_hour, low=0.0)
    prem = as_scalar("premium_per_extra_skill", premium_per_extra_skill, low=0.0)
    names = [c.name for c in cts]
    k = len(names)
    out: dict[str, RoutingModel] = {}
    for d in designs:
        if d == "dedicated":
            groups = [AgentGroup(f"{q} only", [q], cost_per_hour=base) for q in names]
        elif d == "chain":
            if k < 2:
                raise InputError("a chain needs at least two queues")
            groups = [
                AgentGroup(
                    f"{q} + {names[(i + 1) % k]}",
                    [q],
                    secondary_skills=[names[(i + 1) % k]],
                    cost_per_hour=base * (1.0 + prem),
                )
                for i, q in enumerate(names)
            ]
        elif d == "pooled":
            groups = [AgentGroup("all skills", names, cost_per_hour=base * (1.0 + prem * (k - 1)))]
        else:
            raise InputError(f"design must be one of {', '.join(DESIGNS)} (got {d!r})")
        out[d] = RoutingModel(cts, groups)
    return out


_LABELS = {"dedicated": "Dedicated", "chain": "2-skill chain", "pooled": "Fully pooled"}


def compare_designs(
    models: dict[str, RoutingModel],
    *,
    replications: int = 10,
    run_s: float | None = None,
    warmup_s: float | None = None,
    seed: Any = 0,
    criterion: Literal["mean", "lower"] = "mean",
    client: Any = None,
    max_evaluations: int = 400,
) -> pd.DataFrame:
    """Staff each design by simulation and tabulate agents, cost and SL per queue.

    Parameters
    ----------
    models : dict of str to RoutingModel
        Designs by name (e.g. from :func:`design_models`) sharing the same queues.
    replications, run_s, warmup_s, seed, criterion, client, max_evaluations
        Passed to :func:`staff` (the same seed for every design: common random numbers).

    Returns
    -------
    pandas.DataFrame
        One row per design (index ``design``): ``label``, ``skills_per_agent`` (most skills
        of any group), ``agents``, ``agents_erlang`` (the Erlang staffing of the design where
        one exists: dedicated, pooled; else NaN), ``extra_vs_pooled`` (agents above the pooled
        Erlang bound), ``cost_per_hour``, ``sl_min`` and ``sl_<queue>`` (validated SL, offered
        basis) and ``abandon_max``.

    Examples
    --------
    See :func:`cxplan.config.skills.skills_comparison` for the params-driven call.
    """
    if not models:
        raise InputError("models must name at least one design")
    queues = None
    rows = []
    for name, m in models.items():
        if queues is None:
            queues = m.queue_names
        elif m.queue_names != queues:
            raise InputError("every design must have the same queues in the same order")
        res = staff(
            m,
            replications=replications,
            run_s=run_s,
            warmup_s=warmup_s,
            seed=seed,
            criterion=criterion,
            client=client,
            max_evaluations=max_evaluations,
        )
        shown = res.validation if res.validation is not None else res.result
        q = shown.queues
        pooled, dedicated = erlang_bounds(m)
        erl: float = np.nan
        if all(len(g.skills) + len(g.secondary_skills) == 1 for g in m.groups):
            erl = float(sum(dedicated.values()))
        elif len(m.groups) == 1:
            erl = float(pooled)
        row: dict[str, Any] = {
            "design": name,
            "label": _LABELS.get(name, name),
            "skills_per_agent": max(len(g.skills) + len(g.secondary_skills) for g in m.groups),
            "agents": res.total_agents,
            "agents_erlang": erl,
            "extra_vs_pooled": res.total_agents - pooled,
            "cost_per_hour": res.cost_per_hour,
            "sl_min": float(q["sl"].min()),
        }
        row.update({f"sl_{k}": float(v) for k, v in q["sl"].items()})
        row["abandon_max"] = float(q["abandon_rate"].max())
        row["converged"] = res.converged
        rows.append(row)
    return pd.DataFrame(rows).set_index("design")
