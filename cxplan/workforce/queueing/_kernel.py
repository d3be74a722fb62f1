"""Special-function kernels of the queueing formulas: flat arrays in, arrays out, no validation.

Erlang B through the upper incomplete gamma function in log space, the ``J(x, y)`` function of
the abandonment (M/M/n+M) model through the lower one, series where those underflow, and
:class:`_Measures`, which evaluates the Erlang C or Erlang A measures of flat arrays sharing the
intermediate quantities. The formulas, their sources and the numerical approach are described in
:mod:`cxplan.workforce.queueing`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy.special import expit, gammainc, gammaincc, gammaln

__all__: list[str] = []

Array = npt.NDArray[np.float64]

# Below this the incomplete gamma value is too close to underflow to trust; the series is used.
_TINY = 1e-250
_SERIES_RTOL = 1e-17
_SERIES_MAXITER = 1_000_000
_X_SERIES = 1e6
_MIN_TRAFFIC = 1e-300
# Erlang B is carried between nearby agent counts by at most this many recursion steps, and
# downwards only while the relative error grows less than this (see _erlang_b_shift)
_B_SHIFT_MAX = 8
_B_GROWTH_MAX = 64.0

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
    good = q > _TINY
    if good.all():  # the usual case: no masked copies
        fast: Array = a + gammaln(n + 1.0) - n * np.log(a) + np.log(q)
        return fast
    out = np.empty_like(a)
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
    pos = y > 0
    all_pos = bool(pos.all())
    xp, yp = (x, y) if all_pos else (x[pos], y[pos])
    p = gammainc(xp, yp)
    # scipy's gammainc matches mpmath to ~1e-10 for x ≤ 1e6 wherever it does not underflow, but
    # loses relative accuracy deep in the lower tail for larger x (extreme patience): there, and
    # wherever it underflows, the series (geometric with ratio < y/x < 1) is summed instead.
    good = (p > _TINY) & ~((xp > _X_SERIES) & (yp < xp))
    if all_pos and good.all():  # the usual case: no masked copies
        fast: Array = gammaln(xp + 1.0) + yp - xp * np.log(yp) + np.log(p)
        return fast
    out = np.zeros_like(y)
    res = np.empty_like(yp)
    res[good] = gammaln(xp[good] + 1.0) + yp[good] - xp[good] * np.log(yp[good]) + np.log(p[good])
    bad = ~good
    if bad.any():
        xb, yb = xp[bad], yp[bad]
        res[bad] = np.log(_sum_series(yb / (xb + 1.0), lambda i, k: yb[i] / (xb[i] + k)))
    out[pos] = res
    return out


def _erlang_b_kernel(a: Array, n: Array) -> Array:
    m = (a > 0) & (n > 0)
    if m.all():
        return np.exp(-_log_inv_erlang_b(a, n))
    out = np.where(n == 0, 1.0, 0.0)
    if m.any():
        out[m] = np.exp(-_log_inv_erlang_b(a[m], n[m]))
    return out


def _erlang_b_shift(a: Array, n0: Array, b0: Array, n1: Array) -> Array:
    """Erlang B at ``n1`` from its known value at ``n0`` by a few recursion steps.

    Upward ``B(n+1) = A·B(n) / (n+1 + A·B(n))`` is stable (it damps relative errors);
    downward ``B(n−1) = n·B(n) / (A·(1 − B(n)))`` multiplies the relative error by
    ``1/(1 − B(n))`` a step, which explodes in overload (``B`` near 1: 610 Erlangs at 5 agents
    carried a wrong B into 2 agents and reported them enough). So only gaps of at most
    ``_B_SHIFT_MAX`` steps are bridged, and a downward bridge only while that growth stays below
    ``_B_GROWTH_MAX`` (error below ~1e-13); other elements, and those with no known value (``n0``
    NaN), are computed afresh from the incomplete gamma function.
    """
    d = n1 - n0
    near = np.isfinite(n0) & (np.abs(d) <= _B_SHIFT_MAX) & (a > 0) & (n1 > 0) & (n0 > 0)
    out = np.empty_like(a)
    if near.any():
        an, n, b, dn = a[near], n0[near].copy(), b0[near].copy(), d[near]
        growth = np.ones(an.size)
        for _ in range(_B_SHIFT_MAX):
            up, down = dn > 0, dn < 0
            if not (up.any() or down.any()):
                break
            nn = np.where(up, n + 1.0, n)
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                growth = np.where(down, growth / (1.0 - b), growth)
                b = np.where(up, an * b / (nn + an * b), b)
                b = np.where(down, n * b / (an * (1.0 - b)), b)
            n = np.where(up, n + 1.0, np.where(down, n - 1.0, n))
            dn = dn - up + down
        out[near] = np.clip(b, 0.0, 1.0)
        near[near] = growth <= _B_GROWTH_MAX  # (NaN growth fails too)
    far = ~near
    if far.any():
        out[far] = _erlang_b_kernel(a[far], n1[far])
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
        self.abandon = m = np.isfinite(patience) & (a > _MIN_TRAFFIC)
        # every element abandons (an Erlang A table): no masked copies, no Erlang C part
        self.all_abandon = all_ab = bool(m.all())
        self.b = _erlang_b_kernel(a, n) if b is None else b
        if not all_ab:
            # Erlang C part (patience infinite, or zero traffic)
            self.pwait = _erlang_c_from_b(a, n, self.b)
            self.pab = np.zeros_like(a)
        if all_ab or m.any():
            am, nm, pm, hm, b = (
                (a, n, patience, aht, self.b)
                if all_ab
                else (a[m], n[m], patience[m], aht[m], self.b[m])
            )
            self.x = nm * pm / hm  # n μ / θ
            self.y = am * pm / hm  # λ / θ
            self.logj = _log_j(self.x, self.y)
            with np.errstate(divide="ignore", over="ignore"):
                log_e = -np.log(b)  # log(1/B) (inf when B underflows: then P(wait) → 0)
                # P(W>0) = 1 / (1 + (1/B − 1)/J)
                z = log_e + np.log(-np.expm1(-log_e)) - self.logj
            pw = np.where(nm == 0, 1.0, expit(-z))
            # P(Ab) = P(W>0) · (1 − (n/A)(1 − 1/J))      [2], eq. for exponential patience
            pab = np.clip(pw * (1.0 - (nm / am) * (-np.expm1(-self.logj))), 0.0, 1.0)
            if all_ab:
                self.pwait, self.pab = pw, pab
            else:
                self.pwait[m], self.pab[m] = pw, pab

    def _sub(self, values: Array) -> Array:
        """``values`` at the elements with abandonment."""
        return values if self.all_abandon else values[self.abandon]

    def occupancy(self) -> Array:
        a, n = self.a, self.n
        with np.errstate(divide="ignore", invalid="ignore"):
            occ = np.minimum(a * (1.0 - self.pab) / n, 1.0)
        return np.where(n == 0, np.where(a > 0, 1.0, 0.0), occ)

    def service_level(self, t: Array, definition: str) -> Array:
        if self.all_abandon:
            return np.clip(self._sl_abandon(t, definition), 0.0, 1.0)
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
        a, n, aht, pat = (self._sub(v) for v in (self.a, self.n, self.aht, self.patience))
        x, y, logj, pw = self.x, self.y, self.logj, self._sub(self.pwait)
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
        served = 1.0 - self._sub(self.pab)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(served > 0, offered / served, 0.0)

    def asa(self) -> Array:
        if self.all_abandon:
            return self._asa_abandon()
        a, n, aht = self.a, self.n, self.aht
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(n > a, self.pwait * aht / (n - a), np.inf)
        out[a == 0] = 0.0
        m = self.abandon
        if m.any():
            out[m] = self._asa_abandon()
        return out

    def _asa_abandon(self) -> Array:
        n, pat = self._sub(self.n), self._sub(self.patience)
        x, y, logj, pw = self.x, self.y, self.logj, self._sub(self.pwait)
        # E[W; served] = P(W>0)/J · x(J−1)/(yθ) · [1/(x+1) − ∂x log J(x+1, y)]
        # (Laplace-type integral of the wait density, see module notes); derivative by central
        # differences on the smooth log J (relative error ~1e-9).
        h = 1e-5 * np.maximum(1.0, x)
        dlogj = (_log_j(x + 1.0 + h, y) - _log_j(x + 1.0 - h, y)) / (2.0 * h)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            j_minus_1_over_j = -np.expm1(-logj)
            w_served = pw * j_minus_1_over_j * (x / y) * pat * (1.0 / (x + 1.0) - dlogj)
            served = 1.0 - self._sub(self.pab)
            out = np.where(served > 0, np.maximum(w_served, 0.0) / served, np.inf)
        return np.where(n == 0, np.inf, out)
