"""The staffing search and measures as they were before the staircase search (frozen copy).

A verbatim copy of ``cxplan/workforce/queueing/_kernel.py`` and ``search.py`` at commit 4242572
(the Erlang C upward scan and the Erlang A gallop-and-bisect search with its Erlang C guess, and
the ``_Measures`` evaluation), plus :func:`performance` and :func:`staff_queued` assembled from
them the way ``cxplan.workforce.queueing.performance`` and ``cxplan.workforce.staffing``'s
``_staff_queued`` did, and that module's :func:`combine` and :func:`rollup` of the same commit.
``bench/bench_staffing_search.py`` times it against the current code in the same run and checks
that both give the same agents and figures; ``tests/test_staffing_search.py`` checks the same
answers and errors. Not used by the package.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import expit, gammainc, gammaincc, gammaln

from cxplan._validation import ArrayLike, as_array, broadcast
from cxplan.errors import InfeasibleError, InputError
from cxplan.workforce.queueing.measures import (
    SLDefinition,
    _agents,
    _aht,
    _definition,
    _is_scalar,
    _patience,
    _traffic,
)
from cxplan.workforce.staffing import ShrinkageMethod, _check, infer_interval_s, scheduled_headcount

__all__ = ["combine", "performance", "required_agents", "rollup", "staff_queued"]


Array = npt.NDArray[np.float64]

# Below this the incomplete gamma value is too close to underflow to trust; the series is used.
_TINY = 1e-250
_SERIES_RTOL = 1e-17
_SERIES_MAXITER = 1_000_000
_X_SERIES = 1e6
_MIN_TRAFFIC = 1e-300
# Erlang B is carried between nearby agent counts by at most this many recursion steps
_B_SHIFT_MAX = 8

# ---------------------------------------------------------------------------------------------
# special-function kernels (arrays in, arrays out, no validation)
# ---------------------------------------------------------------------------------------------


def _sum_series(first_ratio: Array, ratio: Callable[[npt.NDArray[np.intp], int], Array]) -> Array:
    """Sum ``1 + r1 + r1 r2 + ...`` where ``r_k = ratio(idx, k)`` decreases in ``k``.

    Used only where the terms fall geometrically; iterates over terms, vectorized over elements,
    compressing to the elements that have not yet converged.
    """
    n = first_ratio.shape[0]
    total = np.ones(n)
    term = np.ones(n)
    idx = np.arange(n)
    k = 1
    while idx.size and k < _SERIES_MAXITER:
        r = ratio(idx, k)
        term[idx] *= r
        total[idx] += term[idx]
        # tail ≤ term·r/(1−r) because the ratios decrease; stop once it is negligible
        with np.errstate(divide="ignore", invalid="ignore"):
            tail = term[idx] * r / np.maximum(1.0 - r, 1e-300)
        idx = idx[~((r <= 0) | (tail <= _SERIES_RTOL * total[idx]))]
        k += 1
    return total


def _log_inv_erlang_b(a: Array, n: Array) -> Array:
    """``log(1/B(n, a))`` for ``a > 0``, integer ``n ≥ 0`` (1-D arrays of equal length)."""
    q = gammaincc(n + 1.0, a)
    out = np.empty_like(a)
    good = q > _TINY
    ag, ng = a[good], n[good]
    out[good] = ag + gammaln(ng + 1.0) - ng * np.log(ag) + np.log(q[good])
    bad = ~good
    if bad.any():
        ab, nb = a[bad], n[bad]
        # 1/B = Σ_{k=0..n} n!/((n−k)! a^k); ratio of successive terms (n−k+1)/a ≤ n/a ≪ 1 here
        total = _sum_series(nb / ab, lambda i, k: np.maximum(nb[i] - k + 1.0, 0.0) / ab[i])
        out[bad] = np.log(total)
    return out


def _log_j(x: Array, y: Array) -> Array:
    """``log J(x, y)`` with ``J = Σ_j Π_{i≤j} y/(x+i) = Γ(x+1) e^y y^-x P(x, y)``, x ≥ 0, y ≥ 0."""
    out = np.zeros_like(y)
    pos = y > 0
    xp, yp = x[pos], y[pos]
    p = gammainc(xp, yp)
    res = np.empty_like(yp)
    # scipy's gammainc matches mpmath to ~1e-10 for x ≤ 1e6 wherever it does not underflow, but
    # loses relative accuracy deep in the lower tail for larger x (extreme patience): there, and
    # wherever it underflows, the series (geometric with ratio < y/x < 1) is summed instead.
    good = (p > _TINY) & ~((xp > _X_SERIES) & (yp < xp))
    res[good] = gammaln(xp[good] + 1.0) + yp[good] - xp[good] * np.log(yp[good]) + np.log(p[good])
    bad = ~good
    if bad.any():
        xb, yb = xp[bad], yp[bad]
        res[bad] = np.log(_sum_series(yb / (xb + 1.0), lambda i, k: yb[i] / (xb[i] + k)))
    out[pos] = res
    return out


def _erlang_b_kernel(a: Array, n: Array) -> Array:
    out = np.where(n == 0, 1.0, 0.0)
    m = (a > 0) & (n > 0)
    if m.any():
        out[m] = np.exp(-_log_inv_erlang_b(a[m], n[m]))
    return out


def _erlang_b_shift(a: Array, n0: Array, b0: Array, n1: Array) -> Array:
    """Erlang B at ``n1`` from its known value at ``n0`` by a few recursion steps.

    Upward ``B(n+1) = A·B(n) / (n+1 + A·B(n))`` is stable; downward ``B(n−1) = n·B(n) /
    (A·(1 − B(n)))`` amplifies rounding by about ``n/A`` a step, so only gaps of at most
    ``_B_SHIFT_MAX`` steps are bridged (error below ~1e-14); other elements, and those with no
    known value (``n0`` NaN), are computed afresh from the incomplete gamma function.
    """
    d = n1 - n0
    near = np.isfinite(n0) & (np.abs(d) <= _B_SHIFT_MAX) & (a > 0) & (n1 > 0) & (n0 > 0)
    out = np.empty_like(a)
    far = ~near
    if far.any():
        out[far] = _erlang_b_kernel(a[far], n1[far])
    if near.any():
        an, n, b, dn = a[near], n0[near].copy(), b0[near].copy(), d[near]
        for _ in range(_B_SHIFT_MAX):
            up, down = dn > 0, dn < 0
            if not (up.any() or down.any()):
                break
            nn = np.where(up, n + 1.0, n)
            with np.errstate(divide="ignore", invalid="ignore"):
                b = np.where(up, an * b / (nn + an * b), b)
                b = np.where(down, n * b / (an * (1.0 - b)), b)
            n = np.where(up, n + 1.0, np.where(down, n - 1.0, n))
            dn = dn - up + down
        out[near] = np.clip(b, 0.0, 1.0)
    return out


def _erlang_c_from_b(a: Array, n: Array, b: Array) -> Array:
    out = np.ones_like(a)
    stable = n > a
    with np.errstate(divide="ignore", invalid="ignore"):
        c = n * b / (n - a * (1.0 - b))
    out[stable] = np.clip(c[stable], 0.0, 1.0)
    out[(a == 0) & (n > 0)] = 0.0
    return out


class _Measures:
    """Erlang C / Erlang A measures for flat arrays (patience ``inf`` → Erlang C)."""

    def __init__(
        self, a: Array, n: Array, aht: Array, patience: Array, b: Array | None = None
    ) -> None:
        self.a, self.n, self.aht, self.patience = a, n, aht, patience
        # below ~1e-300 Erlangs n/A overflows; such traffic is zero for every purpose (Erlang C)
        self.abandon = np.isfinite(patience) & (a > _MIN_TRAFFIC)
        self.b = _erlang_b_kernel(a, n) if b is None else b
        # Erlang C part (patience infinite, or zero traffic)
        self.pwait = _erlang_c_from_b(a, n, self.b)
        self.pab = np.zeros_like(a)
        m = self.abandon
        if m.any():
            am, nm, pm = a[m], n[m], patience[m]
            self.x = nm * pm / aht[m]  # n μ / θ
            self.y = am * pm / aht[m]  # λ / θ
            self.logj = _log_j(self.x, self.y)
            b = self.b[m]
            with np.errstate(divide="ignore", over="ignore"):
                log_e = -np.log(b)  # log(1/B) (inf when B underflows: then P(wait) → 0)
                # P(W>0) = 1 / (1 + (1/B − 1)/J)
                z = log_e + np.log(-np.expm1(-log_e)) - self.logj
            pw = np.where(nm == 0, 1.0, expit(-z))
            self.pwait[m] = pw
            # P(Ab) = P(W>0) · (1 − (n/A)(1 − 1/J))      [2], eq. for exponential patience
            self.pab[m] = np.clip(pw * (1.0 - (nm / am) * (-np.expm1(-self.logj))), 0.0, 1.0)

    def occupancy(self) -> Array:
        a, n = self.a, self.n
        with np.errstate(divide="ignore", invalid="ignore"):
            occ = np.minimum(a * (1.0 - self.pab) / n, 1.0)
        return np.where(n == 0, np.where(a > 0, 1.0, 0.0), occ)

    def service_level(self, t: Array, definition: str) -> Array:
        a, n, aht = self.a, self.n, self.aht
        with np.errstate(over="ignore", invalid="ignore"):
            sl = 1.0 - self.pwait * np.exp(-(n - a) * t / aht)
        sl = np.where(n > a, sl, 0.0)
        sl[a == 0] = 1.0
        m = self.abandon
        if m.any():
            sl[m] = self._sl_abandon(t[m], definition)
        return np.clip(sl, 0.0, 1.0)

    def _sl_abandon(self, t: Array, definition: str) -> Array:
        m = self.abandon
        a, n, aht, pat = self.a[m], self.n[m], self.aht[m], self.patience[m]
        x, y, logj, pw = self.x, self.y, self.logj, self.pwait[m]
        theta_t = t / pat
        yq = y * np.exp(-theta_t)
        y_gain = -y * np.expm1(-theta_t)  # y(1 − q)
        if definition == "virtual":
            # P(V > t) = P(W>0) · e^{−nμt + y(1−q)} J(x, yq) / J(x, y)      (derived from [2])
            with np.errstate(over="ignore"):
                tail = np.exp(-n * t / aht + y_gain + _log_j(x, yq) - logj)
            return 1.0 - pw * tail
        # answered within t (offered basis):
        # 1 − P(W>0) + P(W>0)·[(n/A)(1 − 1/J) − (x/(x+1)) q^{x+1} e^{y(1−q)} J(x+1, yq)/J]
        with np.errstate(divide="ignore", over="ignore"):
            late = np.exp(
                np.log(x / (x + 1.0)) - (x + 1.0) * theta_t + y_gain + _log_j(x + 1.0, yq) - logj
            )
        late = np.where(n == 0, 0.0, late)
        served_wait = (n / a) * (-np.expm1(-logj))
        offered = 1.0 - pw + pw * np.maximum(served_wait - late, 0.0)
        if definition == "offered":
            return offered
        served = 1.0 - self.pab[m]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(served > 0, offered / served, 0.0)

    def asa(self) -> Array:
        a, n, aht = self.a, self.n, self.aht
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(n > a, self.pwait * aht / (n - a), np.inf)
        out[a == 0] = 0.0
        m = self.abandon
        if m.any():
            out[m] = self._asa_abandon()
        return out

    def _asa_abandon(self) -> Array:
        m = self.abandon
        n, pat = self.n[m], self.patience[m]
        x, y, logj, pw = self.x, self.y, self.logj, self.pwait[m]
        # E[W; served] = P(W>0)/J · x(J−1)/(yθ) · [1/(x+1) − ∂x log J(x+1, y)]
        # (Laplace-type integral of the wait density, see module notes); derivative by central
        # differences on the smooth log J (relative error ~1e-9).
        h = 1e-5 * np.maximum(1.0, x)
        dlogj = (_log_j(x + 1.0 + h, y) - _log_j(x + 1.0 - h, y)) / (2.0 * h)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            j_minus_1_over_j = -np.expm1(-logj)
            w_served = pw * j_minus_1_over_j * (x / y) * pat * (1.0 / (x + 1.0) - dlogj)
            served = 1.0 - self.pab[m]
            out = np.where(served > 0, np.maximum(w_served, 0.0) / served, np.inf)
        return np.where(n == 0, np.inf, out)


# Erlang A searches over at least this many elements first solve a sample of _SAMPLE_SIZE
_SAMPLE_FROM = 20_000
_SAMPLE_SIZE = 200
# Erlang A searches over fewer elements than this skip the Erlang C guess
_GUESS_FROM = 64
# Erlang A searches over at least this many elements are split across up to _MAX_THREADS threads
_PARALLEL_FROM = 100_000
_MAX_THREADS = 4


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
    Erlang C: every ``n ≤ A`` fails, so the search starts at ``max(⌊A⌋ + 1, ⌊A / max_occupancy⌋)``
    and steps up with the stable Erlang B recursion ``B(n) = A·B(n−1) / (n + A·B(n−1))``,
    vectorized over elements (the active set shrinks as elements are satisfied). Erlang A:
    integer bisection on ``[0, hi]`` with ``hi`` found by doubling; service level and ASA are
    monotone in ``n``, so bisection returns the minimum. Both avoid the peers' defects of starting
    at ``round(A + 1)`` (skips minima) or at ``⌈A⌉`` (overstaffs under abandonment).

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
    a, h, t, tg, occ, p, masa, mab = (x.ravel() for x in arrays)
    result = np.zeros(a.shape, dtype=np.int64)
    erlang_c_mask = (a > 0) & ~np.isfinite(p)
    erlang_a_mask = (a > 0) & np.isfinite(p)
    if erlang_c_mask.any():
        idx = np.flatnonzero(erlang_c_mask)
        result[idx] = _parallel(
            lambda i: _search_erlang_c(a[i], h[i], t[i], tg[i], occ[i], masa[i]), idx
        )
    if erlang_a_mask.any():
        idx = np.flatnonzero(erlang_a_mask)
        result[idx] = _parallel(
            lambda i: _search_bisect(
                a[i], h[i], t[i], tg[i], occ[i], p[i], masa[i], mab[i], definition
            ),
            idx,
        )
    out = result.reshape(shape)
    if _is_scalar(
        traffic, aht, answer_time, target, max_occupancy, patience, max_asa, max_abandonment
    ):
        return int(out.item())
    return out


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
        gap = n - aw
        c = np.clip(n * b / (n - aw * (1.0 - b)), 0.0, 1.0)
        ok = (1.0 - c * np.exp(-gap * tw / hw) >= tgw) & (aw <= occw * n) & (c * hw <= masaw * gap)
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
        m = _Measures(a[idx], n, h[idx], p[idx], b=b)
        ok = m.occupancy() <= occ[idx]
        if np.any(tg[idx] > -np.inf):
            ok &= m.service_level(t[idx], definition) >= tg[idx]
        if np.any(np.isfinite(masa[idx])):
            ok &= m.asa() <= masa[idx]
        ok &= m.pab <= mab[idx]
        return ok & (n > 0)

    size = a.size
    floor_lo = np.zeros(size)  # infeasible: traffic > 0 needs at least one agent
    if definition == "offered":
        floor_lo = np.maximum(floor_lo, np.where(tg > 0, np.ceil(tg * a) - 1.0, 0.0))
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


# ---------------------------------------------------------------------------------------------
# assembled from the copies above as cxplan did at commit 4242572
# ---------------------------------------------------------------------------------------------


def performance(
    traffic: Any, agents: Any, aht: Any, answer_time: Any, patience: Any = None,
    *, definition: SLDefinition = "offered",
) -> dict[str, Any]:  # fmt: skip
    """``cxplan.workforce.queueing.performance`` of commit 4242572 (array inputs)."""
    definition = _definition(definition)  # type: ignore[assignment]
    t = as_array("answer_time", answer_time, low=0.0)
    arrays = broadcast(
        traffic=_traffic(traffic), agents=_agents(agents), aht=_aht(aht),
        patience=_patience(patience), answer_time=t,
    )  # fmt: skip
    shape = arrays[0].shape
    a, n, h, p, tf = (x.ravel() for x in arrays)
    m = _Measures(a, n, h, p)
    values = {
        "prob_wait": m.pwait,
        "service_level": m.service_level(tf, definition),
        "asa": m.asa(),
        "abandonment": m.pab,
        "occupancy": m.occupancy(),
    }
    return {k: v.reshape(shape) for k, v in values.items()}


def staff_queued(
    contacts: npt.NDArray[np.float64], step: float, aht_s: float, slots_per_agent: int,
    sl_target: float, answer_time_s: float, max_occupancy: float, patience_s: float | None,
    max_asa_s: float | None, definition: SLDefinition, max_abandonment: float | None,
) -> dict[str, Any]:  # fmt: skip
    """``cxplan.workforce.staffing._staff_queued`` of commit 4242572 (one search per interval)."""
    traffic = contacts * aht_s / step
    slots_needed = required_agents(
        traffic, aht_s, answer_time_s, sl_target, max_occupancy=max_occupancy,
        patience=patience_s, max_asa=max_asa_s, max_abandonment=max_abandonment,
        definition=definition,
    )  # fmt: skip
    agents = np.ceil(slots_needed / slots_per_agent).astype(np.int64)
    slots = agents * slots_per_agent
    perf = performance(traffic, slots, aht_s, answer_time_s, patience_s, definition=definition)
    return {
        "contacts": contacts,
        "traffic_erl": traffic,
        "agents": agents,
        "service_level": perf["service_level"],
        "asa_s": perf["asa"],
        "occupancy": perf["occupancy"],
        "abandonment": perf["abandonment"],
        "backlog": np.zeros_like(traffic),
        "agent_hours": agents * step / 3600.0,
    }


def combine(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``cxplan.workforce.staffing.combine`` of commit 4242572 (column inserts)."""
    if not tables:
        raise InputError("combine needs at least one channel table")
    first = next(iter(tables.values())).index
    out = pd.DataFrame(index=first)
    for name, table in tables.items():
        if not table.index.equals(first):
            raise InputError(f"channel {name!r} has a different interval index from the others")
        out[f"agents_{name}"] = table["agents"]
    out["contacts"] = sum(t["contacts"] for t in tables.values())
    out["agents"] = sum(t["agents"] for t in tables.values())
    out["agent_hours"] = sum(t["agent_hours"] for t in tables.values())
    return out


def rollup(
    table: pd.DataFrame,
    freq: str = "W",
    *,
    shrinkage: float = 0.30,
    fte_hours_per_week: float = 40.0,
    method: ShrinkageMethod = "divide",
    interval_s: float | None = None,
) -> pd.DataFrame:
    """``cxplan.workforce.staffing.rollup`` of commit 4242572 (resample, inserts)."""
    if not isinstance(table.index, pd.DatetimeIndex):
        raise InputError("rollup needs a table with a DatetimeIndex")
    for col in ("contacts", "agent_hours"):
        if col not in table.columns:
            raise InputError(f"rollup needs a {col!r} column")
    _check("fte_hours_per_week", fte_hours_per_week, low=0.0, low_inclusive=False)
    if interval_s is None:
        step = infer_interval_s(table.index)
    else:
        step = float(as_array("interval_s", interval_s, low=0.0, low_inclusive=False))
    resampled = table[["contacts", "agent_hours"]].resample(freq)
    out = resampled.sum()
    # FTE hours available in a period scale with the time the table covers in it
    days = resampled.size().to_numpy() * step / 86_400.0
    hours_per_fte = fte_hours_per_week * days / 7.0
    with np.errstate(divide="ignore", invalid="ignore"):
        fte = np.where(hours_per_fte > 0, out["agent_hours"].to_numpy() / hours_per_fte, 0.0)
    out["fte"] = fte
    out["scheduled_fte"] = scheduled_headcount(fte, shrinkage, method)
    out["scheduled_headcount"] = np.ceil(np.round(out["scheduled_fte"].to_numpy(), 9)).astype(
        np.int64
    )
    return out
