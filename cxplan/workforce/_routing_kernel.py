"""Event loop of the skills-based-routing simulation (compiled with numba when it is installed).

Private to :mod:`cxplan.workforce.routing`, which draws the random inputs (vectorized numpy),
calls :func:`route` once per replication and turns the per-contact outcomes into statistics.

Why hand-written
----------------
simpy and ciw run this model (``bench/bench_routing.py`` does exactly that) but spend tens of
microseconds per contact in Python generators and event objects. The routing state here is a
handful of flat arrays (per-queue FIFOs, per-group idle FIFOs, two binary heaps), so the loop
compiles with numba to about a hundred nanoseconds per contact. Without numba the same function
runs as plain Python (same results, about 100x slower).

State and events
----------------
* Arrivals come pre-sorted (``arr_t``); service completions sit in a min-heap of
  ``(time, group)``; overflow-threshold events in a min-heap of ``(time, contact)``.
* Each queue is a FIFO of contact indices (one contiguous segment per queue of one array, since a
  queue never holds more contacts than arrive to it). Abandonment is lazy and exact: a waiting
  contact whose deadline (arrival + patience) has passed is removed when it reaches the head of
  its queue at a routing decision; under FCFS within a queue that gives the same outcome as
  removing it at its deadline (nothing is decided in between).
* Each group keeps a FIFO of the idle-since times of its idle agents; the head is its
  longest-idle agent. Agents within a group are interchangeable.

Routing rules (documented for users in :mod:`cxplan.workforce.routing`)
----------------------------------------------------------------------
* Arrival of a contact of queue ``q``: the longest-idle agent among groups with ``q`` as a
  primary skill; if none and ``q``'s overflow threshold is 0, the longest-idle agent among groups
  with ``q`` as a secondary skill; otherwise the contact waits (and, when a secondary group exists
  and the threshold is positive, an overflow event is set at arrival + threshold).
* Overflow event: if the contact still waits, the longest-idle agent among its secondary groups
  (set for every queued contact of a queue with secondary groups, so that the virtual wait of a
  contact that left before its threshold is known too).
* An agent of group ``g`` becoming free takes, among its queues with a live waiting contact (for
  a secondary skill: one that has waited at least the threshold), the head with the smallest key
  ``(queue priority, skill level (primary 1, secondary 2), arrival time)``; else it goes idle.

Virtual wait
------------
The wait an infinitely patient contact would have had: its wait when answered; for an abandoned
contact, the time until its queue next started a later contact, until an agent with the skill
(for a secondary skill: past the threshold) went idle, or until its overflow threshold if a
secondary-skill agent was idle then. Exact for one queue; in a multi-queue
model this ignores the effect a patient contact would have had on routing choices between queues.
"""

from __future__ import annotations

from typing import Any

import numpy as np

try:  # numba is a declared dependency; without it the kernel runs as plain Python
    from numba import njit
except ImportError:  # pragma: no cover - exercised only where numba is missing

    def njit(*args: Any, **kwargs: Any) -> Any:  # type: ignore[no-redef]
        """Identity stand-in for ``numba.njit``."""
        if args and callable(args[0]):
            return args[0]
        return lambda f: f


__all__ = ["route"]

_PENDING = 0
_WAITING = 1
_SERVED = 2
_ABANDONED = 3


@njit(cache=True, error_model="numpy")
def _push(keys: Any, vals: Any, size: int, key: float, val: int) -> int:
    i = size
    keys[i] = key
    vals[i] = val
    while i > 0:
        p = (i - 1) >> 1
        if keys[p] <= keys[i]:
            break
        keys[p], keys[i] = keys[i], keys[p]
        vals[p], vals[i] = vals[i], vals[p]
        i = p
    return size + 1


@njit(cache=True, error_model="numpy")
def _pop(keys: Any, vals: Any, size: int) -> int:
    size -= 1
    if size > 0:
        keys[0] = keys[size]
        vals[0] = vals[size]
        i = 0
        while True:
            left = 2 * i + 1
            if left >= size:
                break
            m = left
            right = left + 1
            if right < size and keys[right] < keys[left]:
                m = right
            if keys[i] <= keys[m]:
                break
            keys[m], keys[i] = keys[i], keys[m]
            vals[m], vals[i] = vals[i], vals[m]
            i = m
    return size


@njit(cache=True, error_model="numpy")
def _longest_idle(groups: Any, n_groups: int, icount: Any, ihead: Any, ibuf: Any) -> int:
    """Index of the group whose longest-idle agent has idled longest, or -1."""
    best = -1
    best_t = np.inf
    for k in range(n_groups):
        g = groups[k]
        if icount[g] > 0:
            t = ibuf[g, ihead[g]]
            if t < best_t:
                best_t = t
                best = g
    return best


@njit(cache=True, error_model="numpy")
def route(
    arr_t: Any,
    arr_q: Any,
    work: Any,
    deadline: Any,
    aht: Any,
    prio: Any,
    tau: Any,
    level: Any,
    factor: Any,
    n_agents: Any,
) -> tuple[Any, Any, Any]:
    """Simulate one replication; return per-contact answer time, group and virtual wait.

    Parameters
    ----------
    arr_t : float64[n]
        Arrival times, seconds, non-decreasing.
    arr_q : int64[n]
        Queue of each contact.
    work : float64[n]
        Handle-time multiplier of each contact (mean 1); handle time = ``aht[q]·factor[g, q]·work``.
    deadline : float64[n]
        Arrival + patience, seconds (``inf`` = infinitely patient).
    aht : float64[Q]
        Mean handle time per queue, seconds.
    prio : int64[Q]
        Queue priority (smaller is served first).
    tau : float64[Q]
        Overflow threshold per queue, seconds.
    level : int64[G, Q]
        0 no skill, 1 primary skill, 2 secondary skill.
    factor : float64[G, Q]
        Handle-time factor of group ``g`` on queue ``q``.
    n_agents : int64[G]
        Agents per group.

    Returns
    -------
    start : float64[n]
        Answer time (NaN if never answered).
    group : int64[n]
        Group that answered (-1 if none).
    virtual : float64[n]
        Virtual wait, seconds (``inf`` if unresolved).
    """
    n = arr_t.shape[0]
    n_q = aht.shape[0]
    n_g = n_agents.shape[0]
    start = np.full(n, np.nan)
    group = np.full(n, -1, np.int64)
    virtual = np.full(n, np.inf)
    status = np.zeros(n, np.int8)

    # per-queue FIFO segments of one array (queue) and of another (abandoned "ghosts")
    seg = np.zeros(n_q + 1, np.int64)
    for c in range(n):
        seg[arr_q[c] + 1] += 1
    for q in range(n_q):
        seg[q + 1] += seg[q]
    qbuf = np.empty(n, np.int64)
    qhead = seg[:n_q].copy()
    qtail = seg[:n_q].copy()
    gbuf = np.empty(n, np.int64)
    ghead = seg[:n_q].copy()
    gtail = seg[:n_q].copy()

    # skills of each group (queue indices), and groups by queue and skill level
    gskill = np.empty((n_g, n_q), np.int64)
    n_gskill = np.zeros(n_g, np.int64)
    for g in range(n_g):
        for q in range(n_q):
            if level[g, q] > 0:
                gskill[g, n_gskill[g]] = q
                n_gskill[g] += 1
    prim = np.empty((n_q, n_g), np.int64)
    sec = np.empty((n_q, n_g), np.int64)
    n_prim = np.zeros(n_q, np.int64)
    n_sec = np.zeros(n_q, np.int64)
    for q in range(n_q):
        for g in range(n_g):
            if level[g, q] == 1:
                prim[q, n_prim[q]] = g
                n_prim[q] += 1
            elif level[g, q] == 2:
                sec[q, n_sec[q]] = g
                n_sec[q] += 1

    # idle FIFOs: every agent idle since t = 0
    cap = 1
    total = 0
    for g in range(n_g):
        cap = max(cap, n_agents[g])
        total += n_agents[g]
    ibuf = np.zeros((n_g, cap))
    ihead = np.zeros(n_g, np.int64)
    icount = n_agents.copy()

    ck = np.empty(total + 1)
    cv = np.empty(total + 1, np.int64)
    cs = 0
    tk = np.empty(n + 1)
    tv = np.empty(n + 1, np.int64)
    ts = 0

    i = 0
    while True:
        ta = arr_t[i] if i < n else np.inf
        tc = ck[0] if cs > 0 else np.inf
        tt = tk[0] if ts > 0 else np.inf
        c = -1
        g = -1
        from_idle = True
        if tc <= ta and tc <= tt:
            if tc == np.inf:
                break
            now = tc
            g = cv[0]
            cs = _pop(ck, cv, cs)
            # the freed agent of group g picks the best eligible queue head
            best_q = -1
            best_p = 0
            best_l = 0
            best_a = np.inf
            for k in range(n_gskill[g]):
                q = gskill[g, k]
                lv = level[g, q]
                while qhead[q] < qtail[q]:  # lazy abandonment at the head
                    h = qbuf[qhead[q]]
                    if status[h] != _WAITING:
                        qhead[q] += 1
                    elif deadline[h] <= now:
                        status[h] = _ABANDONED
                        gbuf[gtail[q]] = h
                        gtail[q] += 1
                        qhead[q] += 1
                    else:
                        break
                if qhead[q] == qtail[q]:
                    continue
                h = qbuf[qhead[q]]
                if lv == 2 and now - arr_t[h] < tau[q]:
                    continue
                p = prio[q]
                if best_q < 0 or (
                    p < best_p
                    or (p == best_p and (lv < best_l or (lv == best_l and arr_t[h] < best_a)))
                ):
                    best_q = q
                    best_p = p
                    best_l = lv
                    best_a = arr_t[h]
            if best_q >= 0:
                c = qbuf[qhead[best_q]]
                qhead[best_q] += 1
                from_idle = False
            else:
                # idle: the agent joins the back of its group's idle FIFO
                ibuf[g, (ihead[g] + icount[g]) % n_agents[g]] = now
                icount[g] += 1
                for k in range(n_gskill[g]):
                    q = gskill[g, k]
                    lv = level[g, q]
                    if lv == 1:
                        for k in range(ghead[q], gtail[q]):
                            virtual[gbuf[k]] = now - arr_t[gbuf[k]]
                        ghead[q] = gtail[q]
                    elif lv == 2:
                        while ghead[q] < gtail[q] and arr_t[gbuf[ghead[q]]] + tau[q] <= now:
                            virtual[gbuf[ghead[q]]] = now - arr_t[gbuf[ghead[q]]]
                            ghead[q] += 1
        elif tt <= ta:
            now = tt
            h = tv[0]
            ts = _pop(tk, tv, ts)
            if status[h] == _WAITING:
                g = _longest_idle(sec[arr_q[h]], n_sec[arr_q[h]], icount, ihead, ibuf)
                if g >= 0:  # the contact stays in the queue array as a tombstone
                    if deadline[h] > now:
                        c = h
                    else:  # it left earlier; had it stayed, this agent would answer it now
                        status[h] = _ABANDONED
                        virtual[h] = now - arr_t[h]
                        g = -1
        else:
            now = ta
            h = i
            i += 1
            q = arr_q[h]
            g = _longest_idle(prim[q], n_prim[q], icount, ihead, ibuf)
            if g < 0 and tau[q] <= 0.0:
                g = _longest_idle(sec[q], n_sec[q], icount, ihead, ibuf)
            if g >= 0:
                c = h
            else:
                status[h] = _WAITING
                qbuf[qtail[q]] = h
                qtail[q] += 1
                if tau[q] > 0.0 and n_sec[q] > 0:
                    ts = _push(tk, tv, ts, arr_t[h] + tau[q], h)

        if c >= 0:
            if from_idle:  # the group's longest-idle agent leaves the idle FIFO
                ihead[g] = (ihead[g] + 1) % n_agents[g]
                icount[g] -= 1
            q = arr_q[c]
            status[c] = _SERVED
            start[c] = now
            group[c] = g
            virtual[c] = now - arr_t[c]
            cs = _push(ck, cv, cs, now + aht[q] * factor[g, q] * work[c], g)
            for k in range(ghead[q], gtail[q]):
                virtual[gbuf[k]] = now - arr_t[gbuf[k]]
            ghead[q] = gtail[q]
    return start, group, virtual
