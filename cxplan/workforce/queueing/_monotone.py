"""Monotone staffing searches: multi-probe brackets in the agents, a staircase in the traffic.

Two facts make the staffing minimum cheap to find exactly:

* Feasibility is monotone in the number of agents ``n`` (the premise of every staffing search):
  a bracket ``lo`` (fails) < ``hi`` (meets) is narrowed to ``hi − lo = 1``. Numpy evaluates an
  array of a few hundred probes in about the time of one, so each round probes up to
  :data:`_BUDGET` points spread over the open brackets (an ``(m+1)``-ary search) instead of one
  per element: a scalar search takes two or three rounds instead of ten to fifteen.
* For a fixed handle time, threshold, target, patience and caps, the answer ``n*(A)`` is a
  non-decreasing step function of the traffic ``A``. Over a table of intervals that share their
  parameters (a channel's forecast) it has only ``K = n*(A_max) − n*(A_min)`` steps. With the
  traffic sorted, each step ``k`` is located by a search over the sorted positions for the last
  element still meeting the constraints with ``k`` agents: about ``K·log N`` evaluations instead
  of several per element (North America's voice: about 70 steps over 4,290 distinct loads).

Why the answer is monotone in the traffic: the number in system of M/M/n+M (and of M/M/n, with
no abandonment) is a birth-death chain with births ``λ`` and deaths independent of ``λ``, so its
stationary law is ``p_k ∝ λ^k / Π_{i≤k} d_i``; for ``λ' > λ`` the ratio ``p_k(λ')/p_k(λ)`` grows
with ``k`` (likelihood-ratio order [2], hence stochastic order). An arrival finding ``k`` in the
system (PASTA) waits longer, abandons more often and is answered within ``t`` less often the
larger ``k``, and the carried load ``E[min(K, n)]`` grows with ``K``: the probability of waiting,
the offered and virtual service levels, the abandonment, the occupancy and the Erlang C ASA all
get worse with more traffic (the direction of Whitt's elasticities [1]). The answered-basis
service level and the ASA of served calls with abandonment are ratios of two such terms, not
covered by the argument (the answered basis is not even monotone in ``n``); they stay with the
per-element searches of :mod:`.search`, as do targets within ~1e-9 of 1 and abandonment caps
below 1e-6, where the evaluated measures' rounding noise is not monotone.

Both searches return the minimum a per-element search returns: every answer ``n`` is bracketed by
a feasible evaluation at ``n`` of an element with at least as much traffic and an infeasible one
at ``n − 1`` of an element with at most as much traffic.

References
----------
.. [1] W. Whitt, "Sensitivity of performance in the Erlang-A queueing model to changes in the
   model parameters", Operations Research 54(2), 2006.
.. [2] M. Shaked and J. G. Shanthikumar, "Stochastic Orders", Springer, 2007 (likelihood-ratio
   order of birth-death stationary laws; it implies the usual stochastic order).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from cxplan.workforce.queueing._kernel import Array

__all__: list[str] = []

#: Probes evaluated per round (numpy's fixed cost per call is about that of ~150 elements).
_BUDGET = 256
#: Rounds after which a search is abandoned (the caller then runs the canonical search).
_MAX_ROUNDS = 200

Feasible = Callable[[npt.NDArray[np.intp], Array], npt.NDArray[np.bool_]]
Ints = npt.NDArray[np.int64]


class Unbracketed(Exception):
    """No feasible staffing was found below the cap: the caller reruns its canonical search."""


def probe_search(
    feasible: Feasible,
    idx: npt.NDArray[np.intp],
    lo: Array,
    guess: Array,
    cap: Array,
    budget: int = _BUDGET,
) -> Ints:
    """Smallest feasible ``n`` per element by multi-probe bracketing.

    Parameters
    ----------
    feasible : callable
        ``feasible(elements, n)`` → bool array; monotone (non-decreasing) in ``n``.
    idx : ndarray of intp
        The elements to solve (passed through to ``feasible``).
    lo : ndarray
        Per element, a count known to fail (e.g. 0 agents).
    guess : ndarray
        Per element, a likely upper bound, used while no feasible count is known.
    cap : ndarray
        Per element, the largest count tried; failing there raises :class:`Unbracketed`.
    budget : int
        Probes per round over all open brackets.

    Returns
    -------
    ndarray of int64
        ``hi`` with ``hi − 1`` evaluated (or known) infeasible and ``hi`` feasible.

    Notes
    -----
    Bounded brackets get ``m = budget // open`` probes at ``lo + ⌈j (hi − lo)/(m + 1)⌉``; open
    ones (no feasible count yet) get them spread evenly over ``(lo, lo + s]`` with
    ``s = max(2 (guess − lo), lo, 2)``: past a wrong guess the span doubles, as in galloping.

    Examples
    --------
    Elements needing 7, 250 and 3,000 agents, guessed at 10 (8 probes a round):

    >>> need = np.array([7.0, 250.0, 3000.0])
    >>> probe_search(
    ...     lambda i, n: n >= need[i], np.arange(3), np.zeros(3), np.full(3, 10.0),
    ...     np.full(3, 1e6), budget=8,
    ... ).tolist()
    [7, 250, 3000]
    """
    lo = np.asarray(lo, dtype=float).copy()
    hi = np.full(lo.shape, np.inf)  # a count known to meet the constraints (inf: none yet)
    active = np.flatnonzero(hi - lo > 1.0)
    for _ in range(_MAX_ROUNDS):
        if not active.size:
            return hi.astype(np.int64)
        m = max(1, min(budget // active.size, 512))
        lo_a, hi_a, cap_a = lo[active], hi[active], cap[active]
        j = np.arange(1, m + 1, dtype=float)
        open_ = ~np.isfinite(hi_a)
        width = np.where(open_, 0.0, hi_a - lo_a)
        pos = lo_a[:, None] + np.ceil(j[None, :] * width[:, None] / (m + 1.0))
        if open_.any():
            # no feasible count known: spread over (lo, lo + span], twice the distance to the
            # guess while it lies above lo, else doubling lo (a gallop)
            lo_o = lo_a[open_]
            span = np.maximum(np.maximum(2.0 * (guess[active][open_] - lo_o), lo_o), 2.0)
            spread = lo_o[:, None] + np.ceil(j[None, :] * span[:, None] / m)
            pos[open_] = np.minimum(spread, cap_a[open_, None])
        valid = (pos > lo_a[:, None]) & (pos < hi_a[:, None])
        valid[:, 1:] &= pos[:, 1:] != pos[:, :-1]
        rows, cols = np.nonzero(valid)
        ok = np.zeros(pos.shape, dtype=bool)
        ok[rows, cols] = feasible(idx[active[rows]], pos[rows, cols])
        new_hi = np.minimum(hi_a, np.where(valid & ok, pos, np.inf).min(axis=1))
        fail = valid & ~ok & (pos < new_hi[:, None])
        new_lo = np.maximum(lo_a, np.where(fail, pos, -np.inf).max(axis=1))
        if np.any(~np.isfinite(new_hi) & (new_lo >= cap_a)):
            raise Unbracketed
        lo[active], hi[active] = new_lo, new_hi
        active = active[hi[active] - lo[active] > 1.0]
    raise Unbracketed


def staircase(
    feasible: Feasible,
    traffic: Array,
    groups: npt.NDArray[np.intp] | None,
    estimate_steps: Callable[[npt.NDArray[np.intp], Array, Array], Array],
    per_element: Callable[[npt.NDArray[np.intp]], Ints],
    budget: int = _BUDGET,
) -> Ints:
    """Exact staffing of elements whose answer is non-decreasing in the traffic within a group.

    Parameters
    ----------
    feasible : callable
        ``feasible(elements, n)`` → bool array, monotone in ``n`` and, within a group, monotone
        (non-increasing) in the traffic.
    traffic : ndarray
        Offered traffic per element, Erlangs.
    groups : ndarray of intp or None
        Group label per element, ``0 … G−1`` (elements of a group share every other parameter);
        ``None`` for one group.
    estimate_steps : callable
        ``estimate_steps(element, least, most)`` → a rough count of distinct answers of a group
        (``element`` one of its elements; ``least``, ``most`` its extreme traffic), used only to
        choose the method.
    per_element : callable
        ``per_element(elements)`` → their answers by a search per element.
    budget : int
        Probes per round.

    Returns
    -------
    ndarray of int64
        The smallest feasible count per element.

    Notes
    -----
    A group of ``N`` elements and ``K`` estimated steps is solved as a staircase when
    ``K·⌈log₂ N⌉ ≤ N`` (less than one evaluation per element), otherwise per element. Sorted by
    traffic (positions ``s..e−1``), its first and last elements are solved per element, giving
    ``n₀ ≤ n*(A) ≤ n₁`` for the whole group. For each step ``k = n₀ … n₁ − 1`` the last position
    ``L_k`` meeting the constraints with ``k`` agents is bracketed (``s`` meets, ``e − 1``
    fails) and narrowed by multi-probe rounds; as ``L_k`` is non-decreasing in ``k``, the
    brackets of neighbouring steps tighten each other after every round. The element at position
    ``i`` then needs ``n₀ + #{k : L_k < i}`` agents.

    Examples
    --------
    A requirement of ``⌈A + √A⌉`` agents (non-decreasing in ``A``) over 1,000 loads:

    >>> a = np.random.default_rng(1).uniform(0.0, 50.0, 1000)
    >>> def feasible(i, n):
    ...     return n >= np.ceil(a[i] + np.sqrt(a[i]))
    >>> def per_element(i):
    ...     return probe_search(feasible, i, np.zeros(i.size), a[i] + 10.0, np.full(i.size, 1e3))
    >>> def steps(i, least, most):
    ...     return most + np.sqrt(most) - least + 1.0
    >>> got = staircase(feasible, a, None, steps, per_element)
    >>> bool(np.array_equal(got, np.ceil(a + np.sqrt(a))))
    True
    """
    size = traffic.size
    out = np.zeros(size, dtype=np.int64)
    if groups is None:
        count = np.array([size])
        rep = np.zeros(1, dtype=np.intp)
        least, most = traffic.min(keepdims=True), traffic.max(keepdims=True)
    else:
        n_groups = int(groups.max()) + 1
        count = np.bincount(groups, minlength=n_groups)
        rep = np.zeros(n_groups, dtype=np.intp)
        rep[groups[::-1]] = np.arange(size - 1, -1, -1)  # an element of each group
        least, most = np.full(n_groups, np.inf), np.full(n_groups, -np.inf)
        np.minimum.at(least, groups, traffic)
        np.maximum.at(most, groups, traffic)
    stair = count > 2
    if stair.any():
        some = np.flatnonzero(stair)
        cost = estimate_steps(rep[some], least[some], most[some]) * np.ceil(np.log2(count[some]))
        stair[some] = cost <= count[some]
    if groups is None:
        if not stair[0]:
            return per_element(np.arange(size))
        order = np.argsort(traffic)
        starts = np.zeros(1, dtype=np.intp)
    else:
        if not stair.all():
            rest = np.flatnonzero(~stair[groups])
            out[rest] = per_element(rest)
            if not stair.any():
                return out
        mine = np.flatnonzero(stair[groups])
        order = mine[np.lexsort((traffic[mine], groups[mine]))]
        g_sorted = groups[order]
        starts = np.flatnonzero(np.r_[True, g_sorted[1:] != g_sorted[:-1]])
        count = count[stair]
    ends = starts + count
    first, last = order[starts], order[ends - 1]
    ext = np.unique(np.concatenate([first, last]))
    out[ext] = per_element(ext)
    n0 = out[first].astype(float)
    n1 = out[last].astype(float)
    steps = n1 > n0
    if not steps.all():  # one answer for the whole group
        rows = _ranges(starts[~steps] + 1, ends[~steps] - 1)
        out[order[rows]] = np.repeat(out[first[~steps]], count[~steps] - 2)
    if steps.any():
        _stair_groups(
            feasible, order, starts[steps], ends[steps], n0[steps], n1[steps], out, budget
        )
    return out


def _ranges(lo: npt.NDArray[np.intp], hi: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """Concatenated ``arange(lo[i], hi[i])`` (each ``hi ≥ lo``)."""
    lengths = hi - lo
    offsets = np.repeat(lo - np.cumsum(np.r_[0, lengths[:-1]]), lengths)
    out: npt.NDArray[np.intp] = np.arange(int(lengths.sum()), dtype=np.intp) + offsets
    return out


def _stair_groups(
    feasible: Feasible,
    order: npt.NDArray[np.intp],
    starts: npt.NDArray[np.intp],
    ends: npt.NDArray[np.intp],
    n0: Array,
    n1: Array,
    out: Ints,
    budget: int,
) -> None:
    """Locate every step of the staircase of each group (see :func:`staircase`); fills ``out``."""
    steps = (n1 - n0).astype(np.intp)
    pair_group = np.repeat(np.arange(starts.size), steps)
    pair_offset = np.cumsum(np.r_[0, steps[:-1]])
    k = n0[pair_group] + (np.arange(pair_group.size) - pair_offset[pair_group])
    # positions (in the sorted order) known to meet (≤ lo) and known to fail (≥ hi) with k agents
    lo = starts[pair_group].astype(float)
    hi = (ends[pair_group] - 1).astype(float)
    active = np.flatnonzero(hi - lo > 1.0)
    for _ in range(_MAX_ROUNDS):
        if not active.size:
            break
        m = max(1, min(budget // active.size, 512))
        lo_a, hi_a = lo[active], hi[active]
        j = np.arange(1, m + 1, dtype=float)
        pos = lo_a[:, None] + np.ceil(j[None, :] * (hi_a - lo_a)[:, None] / (m + 1.0))
        valid = pos < hi_a[:, None]
        valid[:, 1:] &= pos[:, 1:] != pos[:, :-1]
        rows, cols = np.nonzero(valid)
        ok = np.zeros(pos.shape, dtype=bool)
        p = pos[rows, cols].astype(np.intp)
        ok[rows, cols] = feasible(order[p], k[active[rows]])
        new_lo = np.maximum(lo_a, np.where(valid & ok, pos, -np.inf).max(axis=1))
        fail = valid & ~ok & (pos > new_lo[:, None])
        new_hi = np.minimum(hi_a, np.where(fail, pos, np.inf).min(axis=1))
        lo[active], hi[active] = new_lo, new_hi
        # L_k is non-decreasing in k: brackets of neighbouring steps bound each other (groups
        # occupy disjoint, increasing position ranges, so one running extreme serves them all)
        lo = np.maximum.accumulate(lo)
        hi = np.minimum.accumulate(hi[::-1])[::-1]
        active = np.flatnonzero(hi - lo > 1.0)
    else:  # pragma: no cover - the bracket halves at least every round
        raise Unbracketed
    # element at sorted position i of group g: n0_g + #{steps of g with L_k < i}
    counts = ends - starts
    rows = _ranges(starts, ends)
    g_of_row = np.repeat(np.arange(starts.size), counts)
    below = np.searchsorted(lo, rows, side="left") - pair_offset[g_of_row]
    out[order[rows]] = (n0[g_of_row] + below).astype(np.int64)
