"""Staffing search: the fewest agents that meet service-level, ASA, abandonment and occupancy caps.

:func:`required_agents` solves a table of intervals sharing their parameters as a staircase in
the traffic and small arrays by multi-probe brackets (:mod:`._monotone`); the rest, as before,
scans upwards with the Erlang B recursion for Erlang C and gallops then bisects for Erlang A
(feasibility is monotone in the number of agents), large arrays split across threads. See
:mod:`cxplan.workforce.queueing` for the formulas.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import overload

import numpy as np
import numpy.typing as npt

from cxplan._validation import ArrayLike, as_array, broadcast
from cxplan.errors import InfeasibleError, InputError
from cxplan.workforce.queueing._kernel import (
    _MIN_TRAFFIC,
    Array,
    _erlang_b_kernel,
    _erlang_b_shift,
    _Measures,
)
from cxplan.workforce.queueing._monotone import _BUDGET, Unbracketed, probe_search, staircase
from cxplan.workforce.queueing.measures import (
    SLDefinition,
    _aht,
    _definition,
    _is_scalar,
    _patience,
    _traffic,
)

__all__ = ["required_agents"]

# Erlang A searches over at least this many elements first solve a sample of _SAMPLE_SIZE
_SAMPLE_FROM = 20_000
_SAMPLE_SIZE = 200
# Erlang A searches over fewer elements than this skip the Erlang C guess
_GUESS_FROM = 64
# Erlang A searches over at least this many elements are split across up to _MAX_THREADS threads
_PARALLEL_FROM = 100_000
_MAX_THREADS = 4
# The staircase in the traffic serves at least this many elements (fewer: per element)
_STAIR_FROM = 64
# ... with service-level targets below this (near 1 the measures' rounding is not monotone) ...
_STAIR_MAX_TARGET = 1.0 - 1e-9
# ... and abandonment caps from this (near 0 likewise)
_STAIR_MIN_ABANDONMENT = 1e-6
# Erlang A probe searches give up past this many agents (the canonical search then raises)
_A_CAP = 2.0**62


@overload
def required_agents(
    traffic: float,
    aht: float,
    answer_time: float,
    target: float | None,
    *,
    max_occupancy: float = 1.0,
    patience: float | None = None,
    max_asa: float | None = None,
    max_abandonment: float | None = None,
    definition: SLDefinition = "offered",
) -> int: ...
@overload
def required_agents(
    traffic: ArrayLike,
    aht: ArrayLike,
    answer_time: ArrayLike,
    target: ArrayLike | None,
    *,
    max_occupancy: ArrayLike = 1.0,
    patience: ArrayLike | None = None,
    max_asa: ArrayLike | None = None,
    max_abandonment: ArrayLike | None = None,
    definition: SLDefinition = "offered",
) -> npt.NDArray[np.int64]: ...
def required_agents(
    traffic: ArrayLike,
    aht: ArrayLike,
    answer_time: ArrayLike,
    target: ArrayLike | None,
    *,
    max_occupancy: ArrayLike = 1.0,
    patience: ArrayLike | None = None,
    max_asa: ArrayLike | None = None,
    max_abandonment: ArrayLike | None = None,
    definition: SLDefinition = "offered",
) -> int | npt.NDArray[np.int64]:
    """Smallest whole number of agents meeting every given constraint, per element.

    Parameters
    ----------
    traffic : array_like
        Offered traffic in Erlangs (≥ 0).
    aht : array_like
        Average handle time, seconds (> 0).
    answer_time : array_like
        Service-level threshold, seconds (≥ 0).
    target : array_like or None
        Service-level target in (0, 1] (e.g. 0.8 for 80/20); ``None`` for no service-level
        constraint.
    max_occupancy : array_like
        Occupancy cap in (0, 1]; default 1 (no cap).
    patience : array_like or None
        Mean caller patience (s) for Erlang A; ``None`` for Erlang C.
    max_asa : array_like or None
        Upper bound on the average speed of answer, seconds.
    max_abandonment : array_like or None
        Upper bound on the abandonment probability (Erlang A only).
    definition : {"offered", "answered", "virtual"}
        Service-level definition, see :func:`service_level`.

    Returns
    -------
    int or ndarray of int64
        The true minimum: with one agent fewer some constraint fails. 0 where traffic is 0. With
        abandonment the answer can be below the traffic.

    Raises
    ------
    InputError
        On bad arguments, or when no constraint is given.
    InfeasibleError
        When some element's constraints cannot be met by any finite staffing (e.g.
        ``max_asa=0``).

    Notes
    -----
    Elements that share every parameter but the traffic (a channel's intervals: at least 64 of
    them) are solved together: the answer is non-decreasing in the traffic (for Erlang C, and
    for Erlang A with the offered or virtual service level, abandonment and occupancy caps and
    no ASA cap), so with the traffic sorted only the ``K`` positions where it steps up are
    searched, about ``K·log N`` evaluations for ``N`` elements (:mod:`._monotone`). Fewer than
    64 elements (Erlang A) are bracketed with up to 256 probes per round. Otherwise, Erlang C:
    every ``n ≤ A`` fails, so the search starts at ``max(⌊A⌋ + 1, ⌊A / max_occupancy⌋)`` and
    steps up with the stable Erlang B recursion ``B(n) = A·B(n−1) / (n + A·B(n−1))``, vectorized
    over elements; Erlang A: integer bisection on ``[0, hi]`` with ``hi`` found by galloping from
    the Erlang C requirement (or a square-root guess). Feasibility is monotone in ``n``, so each
    method returns the same minimum. All avoid the peers' defects of starting at ``round(A + 1)``
    (skips minima) or at ``⌈A⌉`` (overstaffs under abandonment).

    Examples
    --------
    >>> required_agents(10, 180, 20, 0.8)
    14
    >>> required_agents([0.0, 100.0], 180, 20, 0.8).tolist()
    [0, 107]
    >>> required_agents(1000, 180, 20, 0.8, patience=180) < 1000
    True
    """
    definition = _definition(definition)  # type: ignore[assignment]
    a = _traffic(traffic)
    h = _aht(aht)
    t = as_array("answer_time", answer_time, low=0.0)
    if target is None:
        tg = np.asarray(-np.inf)
    else:
        tg = as_array("target", target, low=0.0, low_inclusive=False, high=1.0)
    occ = as_array("max_occupancy", max_occupancy, low=0.0, low_inclusive=False, high=1.0)
    p = _patience(patience)
    masa = np.asarray(np.inf) if max_asa is None else as_array("max_asa", max_asa, low=0.0)
    mab = (
        np.asarray(1.0)
        if max_abandonment is None
        else as_array("max_abandonment", max_abandonment, low=0.0, high=1.0)
    )
    if target is None and max_asa is None and max_abandonment is None and np.all(occ >= 1.0):
        raise InputError(
            "required_agents needs a constraint: target, max_asa, max_abandonment "
            "or max_occupancy < 1"
        )
    arrays = broadcast(
        traffic=a, aht=h, answer_time=t, target=tg, max_occupancy=occ, patience=p,
        max_asa=masa, max_abandonment=mab,
    )  # fmt: skip
    shape = arrays[0].shape
    # elements sharing every parameter but the traffic (only worth knowing for a staircase)
    big = arrays[0].size >= _STAIR_FROM
    groups = _group_labels(shape, h, t, tg, occ, p, masa, mab) if big else None
    a, h, t, tg, occ, p, masa, mab = (x.ravel() for x in arrays)
    result = np.zeros(a.shape, dtype=np.int64)
    erlang_c_mask = (a > 0) & ~np.isfinite(p)
    erlang_a_mask = (a > 0) & np.isfinite(p)
    if erlang_c_mask.any():
        idx = _selection(erlang_c_mask)
        result[idx] = _solve_erlang_c(
            a[idx], h[idx], t[idx], tg[idx], occ[idx], masa[idx],
            None if groups is None else groups[idx],
        )  # fmt: skip
    if erlang_a_mask.any():
        idx = _selection(erlang_a_mask)
        result[idx] = _solve_erlang_a(
            a[idx], h[idx], t[idx], tg[idx], occ[idx], p[idx], masa[idx], mab[idx], definition,
            None if groups is None else groups[idx],
        )  # fmt: skip
    out = result.reshape(shape)
    if _is_scalar(
        traffic, aht, answer_time, target, max_occupancy, patience, max_asa, max_abandonment
    ):
        return int(out.item())
    return out


def _selection(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp] | slice:
    """Select the elements of ``mask``: a slice (views, no copies) when that is all of them."""
    return slice(None) if mask.all() else np.flatnonzero(mask)


def _group_labels(shape: tuple[int, ...], *params: Array) -> npt.NDArray[np.intp] | None:
    """Label of each element's parameter set (all but the traffic), or ``None`` for a single set.

    Labels follow the broadcast structure: a parameter that varies along some axes splits the
    elements by its index there (equal values at different indices form different groups, which
    costs only speed). Arrays holding one repeated value count as scalars.
    """
    shapes = [() if x.size <= 1 or bool(np.all(x == x.flat[0])) else x.shape for x in params]
    pshape = np.broadcast_shapes(*shapes)
    count = int(np.prod(pshape))
    if count <= 1:
        return None
    labels = np.arange(count, dtype=np.intp).reshape(pshape)
    return np.broadcast_to(labels, shape).ravel()


def _feasible_erlang_c(
    a: Array, n: Array, h: Array, t: Array, tg: Array, occ: Array, masa: Array
) -> npt.NDArray[np.bool_]:
    """Erlang C constraints met with ``n`` agents: the expressions of :func:`_scan_erlang_c`."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ok = _erlang_c_meets(a, n, _erlang_b_kernel(a, n), h, t, tg, occ, masa)
    return ok & (n > a)


def _erlang_c_meets(
    a: Array, n: Array, b: Array, h: Array, t: Array, tg: Array, occ: Array, masa: Array
) -> npt.NDArray[np.bool_]:
    """Service level, occupancy and ASA met with ``n`` agents, Erlang B at ``n`` being ``b``."""
    gap = n - a
    c = np.clip(n * b / (n - a * (1.0 - b)), 0.0, 1.0)
    return (1.0 - c * np.exp(-gap * t / h) >= tg) & (a <= occ * n) & (c * h <= masa * gap)


def _feasible_erlang_a(
    a: Array,
    n: Array,
    h: Array,
    t: Array,
    tg: Array,
    occ: Array,
    p: Array,
    masa: Array,
    mab: Array,
    definition: str,
    b: Array | None = None,
) -> npt.NDArray[np.bool_]:
    """Erlang A (or Erlang C at zero-like traffic) constraints met with ``n`` agents.

    ``b`` is Erlang B at ``n`` when the caller has it (computed afresh otherwise).
    """
    m = _Measures(a, n, h, p, b=b)
    ok = m.occupancy() <= occ
    if np.any(tg > -np.inf):
        ok &= m.service_level(t, definition) >= tg
    if np.any(np.isfinite(masa)):
        ok &= m.asa() <= masa
    ok &= m.pab <= mab
    return ok & (n > 0)


def _known_infeasible(a: Array, tg: Array, definition: str) -> Array:
    """Return an agent count per element known to fail without evaluation (Erlang A).

    Traffic > 0 needs at least one agent; on the offered basis ``SL ≤ 1 − P(Ab) ≤ n/A``, so
    every ``n < target·A`` fails.
    """
    floor_lo = np.zeros(a.size)
    if definition == "offered":
        floor_lo = np.maximum(floor_lo, np.where(tg > 0, np.ceil(tg * a) - 1.0, 0.0))
    return floor_lo


def _solve_erlang_c(
    a: Array,
    h: Array,
    t: Array,
    tg: Array,
    occ: Array,
    masa: Array,
    groups: npt.NDArray[np.intp] | None,
) -> npt.NDArray[np.int64]:
    """Erlang C requirement of elements with traffic > 0: staircase, else the upward scan."""

    def scan(i: npt.NDArray[np.intp]) -> npt.NDArray[np.int64]:
        return _parallel(lambda j: _search_erlang_c(a[j], h[j], t[j], tg[j], occ[j], masa[j]), i)

    if np.any((masa <= 0) | (tg >= 1.0) & (t <= 0)):
        return scan(np.arange(a.size))  # raises the canonical error

    def feasible(i: npt.NDArray[np.intp], n: Array) -> npt.NDArray[np.bool_]:
        return _feasible_erlang_c(a[i], n, h[i], t[i], tg[i], occ[i], masa[i])

    # rounding noise of SL ≈ 1 is not monotone in the traffic: such targets go element-wise
    stair = tg < _STAIR_MAX_TARGET
    estimate = _steps_estimate(a, occ, lambda i, least: np.floor(least))
    try:
        out, solved = _solve(feasible, a, groups, stair, estimate, scan)
    except InfeasibleError:  # from a scan over part of the elements: raise it for all of them
        return scan(np.arange(a.size))
    if solved is not None:
        # the scan gives up past this count (see _scan_erlang_c): so must the staircase
        i = np.flatnonzero(solved)
        n0 = np.maximum(np.floor(a[i]) + 1.0, np.floor(a[i] / occ[i]))
        cap = np.maximum(n0 + 1.0, a[i] + 50.0 * np.sqrt(a[i]) + 100.0)
        if np.any(out[i] > np.floor(cap) + 1.0):
            return scan(np.arange(a.size))  # raises the canonical error
    return out


def _solve_erlang_a(
    a: Array,
    h: Array,
    t: Array,
    tg: Array,
    occ: Array,
    p: Array,
    masa: Array,
    mab: Array,
    definition: str,
    groups: npt.NDArray[np.intp] | None,
) -> npt.NDArray[np.int64]:
    """Erlang A requirement of elements with traffic > 0: staircase, probes or bisection."""
    floor_lo = _known_infeasible(a, tg, definition)

    def feasible(i: npt.NDArray[np.intp], n: Array) -> npt.NDArray[np.bool_]:
        return _feasible_erlang_a(
            a[i], n, h[i], t[i], tg[i], occ[i], p[i], masa[i], mab[i], definition
        )

    def bisect(i: npt.NDArray[np.intp]) -> npt.NDArray[np.int64]:
        return _search_bisect(a[i], h[i], t[i], tg[i], occ[i], p[i], masa[i], mab[i], definition)

    # Monotone in the traffic (and in the agents): the offered and virtual service levels,
    # abandonment and carried load, away from the rounding noise near 0 and 1. The answered basis
    # is not even monotone in the agents (with a tiny patience one overloaded agent answers
    # only the lucky quick ones), and the ASA of served calls is not proven monotone in the
    # traffic: those, and targets in the noise, keep the bisection exactly as before.
    stair = (
        (definition in ("offered", "virtual"))
        & ~np.isfinite(masa)
        & (tg < _STAIR_MAX_TARGET)
        & (mab >= _STAIR_MIN_ABANDONMENT)
        & (a > _MIN_TRAFFIC)
    )

    def per_element(i: npt.NDArray[np.intp]) -> npt.NDArray[np.int64]:
        if i.size * 4 > _BUDGET or not stair[i].all():
            return _parallel(bisect, i)
        guess = np.maximum(np.ceil(a[i] + 2.0 * np.sqrt(a[i]) + 2.0), floor_lo[i] + 1.0)
        return probe_search(feasible, i, floor_lo[i], guess, np.full(i.size, _A_CAP))

    def low(i: npt.NDArray[np.intp], least: Array) -> Array:
        if definition != "offered":
            return np.zeros(i.size)
        return np.maximum(np.ceil(tg[i] * least) - 1.0, 0.0)  # (0 without a target: −inf)

    try:
        return _solve(feasible, a, groups, stair, _steps_estimate(a, occ, low), per_element)[0]
    except (Unbracketed, InfeasibleError):  # (the latter from a bisection over part of them)
        return _parallel(bisect, np.arange(a.size))  # raises the canonical error


def _steps_estimate(
    a: Array, occ: Array, low: Callable[[npt.NDArray[np.intp], Array], Array]
) -> Callable[[npt.NDArray[np.intp], Array, Array], Array]:
    """Rough count of distinct answers of a group between its least and most loaded elements.

    From ``low(element, least)`` (a lower bound on the answer at the least traffic) to the larger
    of the occupancy bound and square-root staffing with a generous margin at the most. It only
    chooses the method.
    """

    def estimate(i: npt.NDArray[np.intp], least: Array, most: Array) -> Array:
        high = np.maximum(most / occ[i], most + 3.0 * np.sqrt(most) + 3.0)
        return np.maximum(high - low(i, least), 1.0)

    return estimate


def _solve(
    feasible: Callable[[npt.NDArray[np.intp], Array], npt.NDArray[np.bool_]],
    a: Array,
    groups: npt.NDArray[np.intp] | None,
    stair: npt.NDArray[np.bool_],
    estimate: Callable[[npt.NDArray[np.intp], Array, Array], Array],
    per_element: Callable[[npt.NDArray[np.intp]], npt.NDArray[np.int64]],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_] | None]:
    """Staircase over the eligible elements when it pays, per element otherwise.

    Returns the answers and which elements the staircase solved (``None``: none).
    """
    n_stair = int(stair.sum())
    # Groups of the broadcast structure are of (about) equal size. Too small ones, or ones with
    # too many steps even over the whole traffic range (about an upper bound on every group's),
    # end the question before any per-group work.
    per_group = n_stair / (1 if groups is None else int(groups.max()) + 1)
    if per_group >= _STAIR_FROM:
        most = int(np.argmax(a))
        steps = estimate(np.array([most]), a.min(keepdims=True), a[most : most + 1])
        if steps[0] * np.ceil(np.log2(per_group)) > per_group:
            per_group = 0.0
    if per_group < _STAIR_FROM:
        return per_element(np.arange(a.size)), None
    idx = np.flatnonzero(stair)
    out = np.zeros(a.size, dtype=np.int64)
    out[idx] = staircase(
        lambda el, n: feasible(idx[el], n),
        a[idx],
        None if groups is None else groups[idx],
        lambda i, least, most: estimate(idx[i], least, most),
        lambda el: per_element(idx[el]),
    )
    rest = np.flatnonzero(~stair)
    if rest.size:
        out[rest] = per_element(rest)
    return out, stair


def _parallel(
    search: Callable[[npt.NDArray[np.intp]], npt.NDArray[np.int64]], idx: npt.NDArray[np.intp]
) -> npt.NDArray[np.int64]:
    """Run an element-wise search over ``idx``, split across threads when the array is large.

    Used by both the Erlang C and the Erlang A searches.

    numpy and scipy.special ufuncs release the GIL on large arrays, so chunks run truly in
    parallel. Elements are independent, so the answer does not depend on the split.
    """
    workers = min(os.cpu_count() or 1, _MAX_THREADS)
    if workers < 2 or idx.size < _PARALLEL_FROM:
        return search(idx)
    chunks = np.array_split(idx, workers)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(search, chunks))
    return np.concatenate(parts)


def _search_erlang_c(
    a: Array, h: Array, t: Array, tg: Array, occ: Array, masa: Array
) -> npt.NDArray[np.int64]:
    """Upward scan from a proven lower bound using the Erlang B recursion (all elements a > 0)."""
    return _scan_erlang_c(a, h, t, tg, occ, masa)[0]


def _scan_erlang_c(
    a: Array, h: Array, t: Array, tg: Array, occ: Array, masa: Array
) -> tuple[npt.NDArray[np.int64], Array]:
    """:func:`_search_erlang_c` returning also Erlang B at each answer (for reuse)."""
    if np.any((masa <= 0) | (tg >= 1.0) & (t <= 0)):
        bad = (masa <= 0) | (tg >= 1.0) & (t <= 0)
        i = int(np.flatnonzero(bad)[0])
        raise InfeasibleError(
            f"no finite staffing meets the constraints at index {i}: with Erlang C every contact "
            "waits with positive probability (max_asa must be > 0, and a 100% target needs t > 0)"
        )
    n = np.maximum(np.floor(a) + 1.0, np.floor(a / occ))
    b = _erlang_b_kernel(a, n)
    out = np.zeros(a.shape, dtype=np.int64)
    out_b = np.zeros(a.shape)
    # Past this no finite staffing is expected to help (a target of 1 with t > 0, an ASA bound of
    # ~0): the service-level part needs at most ~a + 8√a agents for any target below 1 (square-
    # root staffing), so a + 50√a + 100 is ample. The occupancy cap alone needs ⌈a / cap⌉, which
    # can lie far above that (557 Erlangs at a 0.3 cap: 1,857), so the bound starts there.
    cap = np.maximum(n + 1.0, a + 50.0 * np.sqrt(a) + 100.0)
    # Working arrays hold only unfinished elements; they are compacted when enough have finished
    # (compacting every step would cost more gathers than it saves).
    pos = np.arange(a.size)
    w = [a, h, t, tg, occ, masa, cap]
    done = np.zeros(a.size, dtype=bool)
    while pos.size:
        aw, hw, tw, tgw, occw, masaw, capw = w
        ok = _erlang_c_meets(aw, n, b, hw, tw, tgw, occw, masaw)
        new = ok & ~done
        out[pos[new]] = n[new].astype(np.int64)
        out_b[pos[new]] = b[new]
        done |= ok
        if done.all():
            break
        if np.any(~done & (n > capw)):
            i = int(pos[np.argmax(~done & (n > capw))])
            raise InfeasibleError(
                f"no staffing up to {int(cap[i])} agents meets the constraints at index {i} "
                f"(traffic {a[i]:g} Erlangs)"
            )
        if done.mean() > 0.25:
            keep = ~done
            pos, n, b, done = pos[keep], n[keep], b[keep], done[keep]
            w = [x[keep] for x in w]
            aw = w[0]
        n = n + 1.0
        b = aw * b / (n + aw * b)
    return out, out_b


def _search_bisect(
    a: Array,
    h: Array,
    t: Array,
    tg: Array,
    occ: Array,
    p: Array,
    masa: Array,
    mab: Array,
    definition: str,
) -> npt.NDArray[np.int64]:
    """Integer search for Erlang A: feasibility is monotone in the number of agents.

    Galloping from a guess, then bisection: the guess is the Erlang C requirement for the same
    service-level and occupancy targets (usually within a few agents); from it the search steps
    down (if feasible) or up (if not) with a step that doubles, until the answer is bracketed by
    ``lo`` (infeasible) and ``hi`` (feasible), then bisects to ``hi − lo = 1``: ``hi`` is the true
    minimum. With the offered-basis service level ``SL ≤ 1 − P(Ab) ≤ n/A``, so every
    ``n < target·A`` fails without evaluation.
    """
    # Erlang B at the last agent count evaluated per element, carried to the next one by the
    # recursion (saves one incomplete-gamma evaluation per step; see _erlang_b_shift)
    known_n = np.full(a.size, np.nan)
    known_b = np.full(a.size, np.nan)

    def feasible(idx: npt.NDArray[np.intp], n: Array) -> npt.NDArray[np.bool_]:
        b = _erlang_b_shift(a[idx], known_n[idx], known_b[idx], n)
        known_n[idx], known_b[idx] = n, b
        return _feasible_erlang_a(
            a[idx], n, h[idx], t[idx], tg[idx], occ[idx], p[idx], masa[idx], mab[idx],
            definition, b,
        )  # fmt: skip

    size = a.size
    floor_lo = _known_infeasible(a, tg, definition)
    guess = np.ceil(a + 2.0 * np.sqrt(a) + 2.0)
    # The Erlang C guess pays off on large arrays (Monte Carlo draws), where answers sit within
    # an agent or two of it; a few elements with large traffic can be far below it (1,000
    # Erlangs with 3-minute patience: 928 vs 1,011), where halving the bracket is quicker.
    small = size < _GUESS_FROM
    sl_only = (tg > -np.inf) & (tg < 1.0) & ~np.isfinite(masa) & ~small
    if sl_only.any():
        i = np.flatnonzero(sl_only)
        guess[i], known_b[i] = _scan_erlang_c(a[i], h[i], t[i], tg[i], occ[i], masa[i])
        known_n[i] = guess[i]
    guess = np.maximum(guess, floor_lo + 1.0)
    if size >= _SAMPLE_FROM:
        # Large arrays (Monte Carlo draws × intervals): solve a small sample exactly and shift
        # every guess by the sample's most common offset from the Erlang C requirement. The answer
        # stays exact (the search below brackets it); most elements then need only two
        # evaluations (n feasible, n − 1 not) instead of ~4.
        # fixed-seed random positions (an even stride can alias with the intervals of each draw)
        sample = np.sort(np.random.default_rng(0).choice(size, _SAMPLE_SIZE, replace=False))
        exact = _search_bisect(
            a[sample], h[sample], t[sample], tg[sample], occ[sample], p[sample],
            masa[sample], mab[sample], definition,
        )  # fmt: skip
        values, counts = np.unique(exact - guess[sample], return_counts=True)
        offset = float(values[np.argmax(counts)])  # the most common offset: a whole number
        guess = np.maximum(guess + offset, floor_lo + 1.0)
    lo, hi = floor_lo.copy(), np.full(size, np.inf)
    ok = feasible(np.arange(size), guess)
    hi[ok], lo[~ok] = guess[ok], guess[~ok]
    # first step: 1 from the Erlang C guess; half the proven bracket otherwise (bisection-like)
    step = np.ones(size) if not small else np.maximum(1.0, np.floor((guess - floor_lo) / 2.0))
    # gallop: feasible guesses probe downwards, infeasible ones upwards, doubling the step
    down = np.flatnonzero(ok & (hi - lo > 1))
    up = np.flatnonzero(~ok)
    for rounds in range(64):
        if not (down.size or up.size):
            break
        probe_d = np.maximum(hi[down] - step[down], lo[down])
        probe_u = lo[up] + step[up]
        idx = np.concatenate([down, up])
        probe = np.concatenate([probe_d, probe_u])
        test = probe > lo[idx]  # probes at the proven floor need no evaluation
        res = np.zeros(idx.size, dtype=bool)
        if test.any():
            res[test] = feasible(idx[test], probe[test])
        feas, infeas = idx[res], idx[~res]
        hi[feas], lo[infeas] = probe[res], np.maximum(lo[infeas], probe[~res])
        if rounds >= 1:  # steps 1, 1, 2, 4, …: answers are usually within two of the guess
            step[idx] *= 2.0
        down = np.intersect1d(down, feas, assume_unique=True)
        down = down[hi[down] - lo[down] > 1]
        up = np.intersect1d(up, infeas, assume_unique=True)
    else:
        first = int(np.concatenate([down, up])[0])
        raise InfeasibleError(
            f"no finite staffing meets the constraints at index {first} "
            f"(traffic {a[first]:g} Erlangs)"
        )
    active = np.flatnonzero(hi - lo > 1)
    while active.size:
        mid = np.floor((lo[active] + hi[active]) / 2.0)
        ok = feasible(active, mid)
        hi[active[ok]] = mid[ok]
        lo[active[~ok]] = mid[~ok]
        active = active[hi[active] - lo[active] > 1]
    return hi.astype(np.int64)
