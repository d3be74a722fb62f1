"""The service the current headcount delivers: is the plan's starting position consistent.

A plan starts from the people on the books. If the staffing model says the operation needs far
more agents than it has while the client reports meeting its service level, one of the inputs is
wrong (volumes, handle time or headcount) — and every saving computed from them inherits the
error. :func:`starting_service` spreads the available staffed hours over the first week's
intervals in proportion to the requirement (as a scheduler would), and computes the service level
those agents give per queued channel with the same queueing formulas the staffing uses.

References
----------
.. [1] Seed 001: "0–30 days: baseline measurement"; domain notes, "Queueing and staffing".
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cxplan._validation import as_scalar
from cxplan.errors import InputError
from cxplan.workforce import queueing
from cxplan.workforce.staffing import ChatChannel, DeferredChannel, VoiceChannel

__all__ = ["binding_constraints", "starting_service"]

_EXPLAIN = ("contacts", "traffic_erl", "agents", "service_level", "occupancy")


def starting_service(
    tables: Mapping[str, pd.DataFrame],
    channels: Mapping[str, VoiceChannel | ChatChannel | DeferredChannel],
    *,
    staffed_hours: float,
    interval_s: float,
    weeks: int = 1,
) -> pd.DataFrame:
    """Service level per channel with the staffed hours actually available.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Interval staffing per channel (:func:`cxplan.workforce.staffing.staff_intervals`):
        columns ``contacts`` and ``agents``.
    channels : mapping
        The channel configurations (targets, handle time, patience).
    staffed_hours : float
        Agent hours available on the phones (or on email) per week: paid hours × (1 −
        shrinkage) of the headcount on the books.
    interval_s : float
        Interval length, seconds.
    weeks : int
        Weeks at the start of the plan to evaluate (default the first).

    Returns
    -------
    pandas.DataFrame
        One row per channel: ``required_hours`` and ``available_hours`` (a week), ``coverage``
        (available ÷ required, the same for every channel), ``service_level`` (contacts-weighted,
        NaN for deferred work and for a channel without contacts), ``sl_target``.

    Notes
    -----
    Agents in interval ``i`` of channel ``c``: ``round(required_ci × coverage)``. Queued channels:
    :func:`cxplan.workforce.queueing.performance` at those agents (chat: slots =
    agents × concurrency at the slot handle time).

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.date_range("2027-01-04", periods=2, freq="30min")
    >>> t = {"voice": pd.DataFrame({"contacts": [100.0, 100.0], "agents": [20, 20]}, index=idx)}
    >>> ch = {"voice": VoiceChannel(aht_s=300.0)}
    >>> out = starting_service(t, ch, staffed_hours=20.0, interval_s=1800.0)
    >>> float(out.loc["voice", "coverage"])
    1.0
    """
    hours = as_scalar("staffed_hours", staffed_hours, low=0.0)
    step = as_scalar("interval_s", interval_s, low=0.0, low_inclusive=False)
    per_week = round(7 * 86_400 / step)
    n = per_week * int(weeks)
    required = {name: t["agents"].to_numpy(dtype=float)[:n] for name, t in tables.items()}
    required_hours = sum(float(a.sum()) for a in required.values()) * step / 3600.0 / weeks
    coverage = hours / required_hours if required_hours > 0 else np.inf
    rows = []
    for name, table in tables.items():
        ch = channels[name]
        contacts = table["contacts"].to_numpy(dtype=float)[:n]
        agents = np.floor(required[name] * min(coverage, 1e6) + 0.5)
        sl = float("nan")
        if not isinstance(ch, DeferredChannel) and contacts.sum() > 0:
            if isinstance(ch, ChatChannel):
                aht, servers = ch.slot_aht_s, agents * ch.concurrency
                patience, definition = ch.patience_s, "offered"
            else:
                aht, servers = ch.aht_s, agents
                patience, definition = ch.patience_s, ch.sl_definition
            traffic = contacts * aht / step
            busy = contacts > 0
            perf = queueing.performance(
                traffic[busy], servers[busy], aht, ch.answer_time_s, patience,
                definition=definition,  # type: ignore[arg-type]
            )  # fmt: skip
            sl = float(np.average(np.asarray(perf["service_level"]), weights=contacts[busy]))
        rows.append(
            {
                "channel": name,
                "required_hours": float(required[name].sum()) * step / 3600.0 / weeks,
                "available_hours": float(agents.sum()) * step / 3600.0 / weeks,
                "coverage": coverage,
                "service_level": sl,
                "sl_target": float("nan") if isinstance(ch, DeferredChannel) else ch.sl_target,
            }
        )
    return pd.DataFrame(rows).set_index("channel")


def binding_constraints(
    tables: Mapping[str, pd.DataFrame],
    channels: Mapping[str, VoiceChannel | ChatChannel | DeferredChannel],
    at: pd.Timestamp,
    *,
    interval_s: float,
) -> pd.DataFrame:
    """Explain one interval's requirement: volume, workload, agents and what set the number.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Interval staffing per channel (:func:`cxplan.workforce.staffing.staff_intervals`).
    channels : mapping
        The channel configurations.
    at : pandas.Timestamp
        The interval (e.g. the busiest one).
    interval_s : float
        Interval length, seconds.

    Returns
    -------
    pandas.DataFrame
        One row per channel: ``contacts``, ``traffic_erl``, ``agents``, ``service_level``,
        ``occupancy`` and ``binding`` — ``"service level target"`` when the agents the target
        needs already respect the occupancy cap, ``"occupancy cap"`` when the cap adds agents,
        ``"workload within the response time"`` for deferred work, ``"no contacts"``.

    Notes
    -----
    The binding constraint is found by re-running
    :func:`cxplan.workforce.queueing.required_agents` for the interval without the occupancy
    cap: if fewer agents would meet the service target, the cap is what binds.

    Examples
    --------
    >>> import pandas as pd
    >>> from cxplan.workforce.staffing import staff_intervals
    >>> idx = pd.date_range("2027-01-04 09:00", periods=2, freq="30min")
    >>> ch = VoiceChannel(aht_s=300.0, max_occupancy=0.7)
    >>> t = {"voice": staff_intervals(pd.Series([300.0, 10.0], index=idx), ch)}
    >>> binding_constraints(t, {"voice": ch}, idx[0], interval_s=1800).loc["voice", "binding"]
    'occupancy cap'
    """
    step = as_scalar("interval_s", interval_s, low=0.0, low_inclusive=False)
    rows = []
    for name, table in tables.items():
        ch = channels[name]
        i = int(pd.Index(table.index).get_indexer([at])[0])
        if i < 0:
            raise InputError(f"at: {at} is not an interval of the plan")
        row = {c: float(table[c].to_numpy(dtype=float)[i]) for c in _EXPLAIN}
        contacts = row["contacts"]
        agents = int(row["agents"])
        if contacts <= 0:
            binding = "no contacts"
        elif isinstance(ch, DeferredChannel):
            binding = "workload within the response time"
        else:
            definition: queueing.SLDefinition = "offered"
            max_asa: float | None = None
            max_abandonment: float | None = None
            if isinstance(ch, ChatChannel):
                aht, per_agent, patience = ch.slot_aht_s, ch.concurrency, ch.patience_s
            else:
                aht, per_agent, patience = ch.aht_s, 1, ch.patience_s
                max_asa, max_abandonment = ch.max_asa_s, ch.max_abandonment
                definition = ch.sl_definition
            traffic = row["traffic_erl"] if per_agent == 1 else contacts * aht / step
            uncapped = queueing.required_agents(
                traffic, aht, ch.answer_time_s, ch.sl_target, max_occupancy=1.0,
                patience=patience, max_asa=max_asa, max_abandonment=max_abandonment,
                definition=definition,
            )  # fmt: skip
            binding = (
                "occupancy cap"
                if int(np.ceil(uncapped / per_agent)) < agents
                else "service level target"
            )
        rows.append(
            {
                "channel": name,
                "contacts": contacts,
                "traffic_erl": row["traffic_erl"],
                "agents": agents,
                "service_level": row["service_level"],
                "occupancy": row["occupancy"],
                "binding": binding,
            }
        )
    return pd.DataFrame(rows).set_index("channel")
