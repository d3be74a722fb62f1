"""Results of the skills-based-routing simulation: tallies, tables and confidence intervals.

:class:`RoutingResult` is what :func:`cxplan.workforce.routing.simulate` returns; it keeps the
per-replication counts and builds the per-queue, per-group and per-interval tables from them.
:func:`t_interval` is the Student-t interval over replications.

References
----------
.. [1] A. M. Law, *Simulation Modeling and Analysis*, 5th ed., McGraw-Hill, 2015, ch. 9
   (independent replications, t confidence intervals).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_scalar
from cxplan.errors import InputError

if TYPE_CHECKING:
    from cxplan.workforce.routing import RoutingModel

__all__ = ["METRICS", "RoutingResult", "t_interval"]

#: Per-queue metrics of a :class:`RoutingResult` (each with ``_low``/``_high`` CI columns).
METRICS: tuple[str, ...] = ("sl", "sl_answered", "sl_virtual", "asa_s", "abandon_rate")

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# ---------------------------------------------------------------------------------------------
# one replication: route, then tally by queue and interval (vectorized)
# ---------------------------------------------------------------------------------------------

# rows of the per-queue tally
_OFFERED, _ANSWERED, _WITHIN, _ABANDONED, _WAIT_SUM, _VIRTUAL_WITHIN = range(6)
_N_TALLY = 6


@dataclass(frozen=True)
class _Tally:
    """Counts of one replication: per queue and interval, busy time and handled contacts."""

    queue: Array  # (6, Q, K) rows as _OFFERED ...
    busy_s: Array  # (G, K) agent-seconds busy inside each measured interval
    handled: Array  # (G, Q) contacts of the window answered by each group
    contacts: int  # contacts simulated (warm-up and cool-down included)


# ---------------------------------------------------------------------------------------------
# statistics
# ---------------------------------------------------------------------------------------------


def t_interval(values: Any, level: float = 0.95) -> tuple[Array, Array, Array]:
    """Mean and Student-t confidence interval over replications (axis 0), ignoring NaN.

    Parameters
    ----------
    values : array_like
        One row per replication.
    level : float
        Confidence level in (0, 1).

    Returns
    -------
    mean, low, high : ndarray
        ``x̄ ∓ t_{(1+level)/2, r−1} · s / √r`` per column (``r`` finite values); the interval is
        NaN with fewer than two replications.

    Notes
    -----
    Replications are independent and identically distributed, so the replication means are
    i.i.d. and the t interval applies (approximately normal by the central limit theorem) [1]_.

    Examples
    --------
    >>> m, lo, hi = t_interval([[1.0], [2.0], [3.0]], level=0.95)
    >>> float(m[0]), round(float(hi[0] - m[0]), 4)
    (2.0, 2.4841)
    """
    from scipy import stats  # scipy.stats is slow to import; only needed here

    lvl = as_scalar("level", level, low=0.0, low_inclusive=False, high=1.0, high_inclusive=False)
    x = np.asarray(values, dtype=float)
    x = x.reshape(x.shape[0], -1) if x.ndim != 2 else x
    r = np.sum(np.isfinite(x), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nanmean(np.where(np.isfinite(x), x, np.nan), axis=0) if x.size else x[0]
        sd = np.sqrt(
            np.nansum((np.where(np.isfinite(x), x, np.nan) - mean) ** 2, axis=0)
            / np.maximum(r - 1, 1)
        )
        half = np.where(r >= 2, stats.t.ppf(0.5 + lvl / 2.0, np.maximum(r - 1, 1)), np.nan)
        half = half * sd / np.sqrt(r)
    return mean, mean - half, mean + half


def _ratio(num: Array, den: Array, empty: float) -> Array:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), empty)


@dataclass(frozen=True)
class RoutingResult:
    """Outcome of :func:`simulate`: per-replication tallies and the tables built from them.

    Attributes
    ----------
    model : RoutingModel
        The simulated model.
    agents : ndarray of int64
        Agents per group.
    level : float
        Confidence level of the intervals.
    tally : ndarray
        Per replication, queue and interval: offered, answered, answered within the threshold,
        abandoned, total wait of answered (s), virtual wait within the threshold;
        shape ``(replications, 6, queues, intervals)``.
    busy_s : ndarray
        Agent-seconds busy per replication, group and interval, ``(replications, groups,
        intervals)``.
    handled : ndarray
        Contacts answered per replication, group and queue.
    interval_s : float
        Length of each measured interval, seconds (the whole window for steady state).
    contacts_simulated : int
        Contacts simulated over all replications (warm-up and cool-down included).
    """

    model: RoutingModel
    agents: IntArray
    level: float
    tally: Array
    busy_s: Array
    handled: Array
    interval_s: float
    contacts_simulated: int

    @property
    def replications(self) -> int:
        """Number of replications."""
        return int(self.tally.shape[0])

    def per_replication(self, metric: str) -> Array:
        """One value per replication and queue (``occupancy``: per group) over the window.

        Parameters
        ----------
        metric : str
            One of :data:`METRICS` or ``"occupancy"``.

        Returns
        -------
        ndarray
            Shape ``(replications, queues)`` (``occupancy``: ``(replications, groups)``).
            An empty queue counts as served: SL 1, ASA 0, abandonment 0.
        """
        t = self.tally.sum(axis=3)
        offered, answered = t[:, _OFFERED], t[:, _ANSWERED]
        if metric == "sl":
            return _ratio(t[:, _WITHIN], offered, 1.0)
        if metric == "sl_answered":
            return _ratio(t[:, _WITHIN], answered, 1.0)
        if metric == "sl_virtual":
            return _ratio(t[:, _VIRTUAL_WITHIN], offered, 1.0)
        if metric == "asa_s":
            return _ratio(t[:, _WAIT_SUM], answered, 0.0)
        if metric == "abandon_rate":
            return _ratio(t[:, _ABANDONED], offered, 0.0)
        if metric == "occupancy":
            staffed = self.agents[None, :].astype(float) * self.interval_s * self.busy_s.shape[2]
            return _ratio(
                self.busy_s.sum(axis=2),
                np.broadcast_to(staffed, (self.replications, staffed.shape[1])),
                np.nan,
            )
        raise InputError(
            f"metric must be one of {', '.join((*METRICS, 'occupancy'))} (got {metric!r})"
        )

    @property
    def queues(self) -> pd.DataFrame:
        """One row per queue: targets, mean offered per replication, each metric with its CI."""
        cts = self.model.contact_types
        out: dict[str, Any] = {
            "offered": self.tally[:, _OFFERED].sum(axis=2).mean(axis=0),
            "answer_time_s": [c.answer_time_s for c in cts],
            "sl_target": [c.sl_target for c in cts],
        }
        for m in METRICS:
            mean, lo, hi = t_interval(self.per_replication(m), self.level)
            out[m], out[f"{m}_low"], out[f"{m}_high"] = mean, lo, hi
        frame = pd.DataFrame(out, index=pd.Index(self.model.queue_names, name="queue"))
        frame["meets_target"] = self.meets_targets()
        return frame

    @property
    def groups(self) -> pd.DataFrame:
        """One row per group: agents, occupancy with its CI and share of contacts answered."""
        mean, lo, hi = t_interval(self.per_replication("occupancy"), self.level)
        handled = self.handled.sum(axis=0)
        total = handled.sum()
        return pd.DataFrame(
            {
                "agents": self.agents,
                "occupancy": mean,
                "occupancy_low": lo,
                "occupancy_high": hi,
                "answered_share": handled.sum(axis=1) / total if total > 0 else 0.0,
            },
            index=pd.Index(self.model.group_names, name="group"),
        )

    @property
    def intervals(self) -> pd.DataFrame:
        """One row per interval and queue: pooled ratios over all replications (no CI)."""
        t = self.tally.sum(axis=0)  # (6, Q, K)
        q_names = self.model.queue_names
        k = t.shape[2]
        rows = {
            "interval": np.repeat(np.arange(k), len(q_names)),
            "queue": np.tile(q_names, k),
            "offered": (t[_OFFERED].T / self.replications).ravel(),
            "sl": _ratio(t[_WITHIN], t[_OFFERED], 1.0).T.ravel(),
            "asa_s": _ratio(t[_WAIT_SUM], t[_ANSWERED], 0.0).T.ravel(),
            "abandon_rate": _ratio(t[_ABANDONED], t[_OFFERED], 0.0).T.ravel(),
        }
        return pd.DataFrame(rows)

    def meets_targets(self, criterion: Literal["mean", "lower"] = "mean") -> npt.NDArray[np.bool_]:
        """Whether each queue meets its SL target (and abandonment cap).

        Parameters
        ----------
        criterion : {"mean", "lower"}
            ``"mean"``: the replication mean of the SL (offered basis) is at least the target
            and the mean abandonment at most the cap. ``"lower"``: the CI's pessimistic end
            must meet them.
        """
        if criterion not in ("mean", "lower"):
            raise InputError(f"criterion must be 'mean' or 'lower' (got {criterion!r})")
        sl, sl_lo, _ = t_interval(self.per_replication("sl"), self.level)
        ab, _, ab_hi = t_interval(self.per_replication("abandon_rate"), self.level)
        if criterion == "lower":
            sl, ab = np.nan_to_num(sl_lo, nan=-np.inf), np.nan_to_num(ab_hi, nan=np.inf)
        cts = self.model.contact_types
        target = np.array([c.sl_target for c in cts])
        cap = np.array([np.inf if c.max_abandon is None else c.max_abandon for c in cts])
        return np.asarray((sl >= target - 1e-12) & (ab <= cap + 1e-12))


def _combine(
    model: RoutingModel, agents: IntArray, tallies: Sequence[_Tally], level: float, ilen: float
) -> RoutingResult:
    return RoutingResult(
        model=model,
        agents=agents,
        level=level,
        tally=np.stack([t.queue for t in tallies]),
        busy_s=np.stack([t.busy_s for t in tallies]),
        handled=np.stack([t.handled for t in tallies]),
        interval_s=ilen,
        contacts_simulated=sum(t.contacts for t in tallies),
    )
