"""Erlang B, Erlang C and Erlang A performance measures: traffic, waiting, service level, ASA.

Public functions broadcast like numpy ufuncs (scalar in -> float out); the kernels are in
:mod:`cxplan.workforce.queueing._kernel`, the staffing search in
:mod:`cxplan.workforce.queueing.search`. See :mod:`cxplan.workforce.queueing` for the method
and references.
"""

from __future__ import annotations

from typing import Any, Literal, overload

import numpy as np

from cxplan._validation import (
    ArrayLike,
    FloatArray,
    as_array,
    broadcast,
    float_or_array,
    scalar_or_array,
)
from cxplan.errors import InputError
from cxplan.workforce.queueing._kernel import Array, _erlang_b_kernel, _erlang_c_from_b, _Measures

__all__ = [
    "SL_DEFINITIONS",
    "SLDefinition",
    "abandonment",
    "asa",
    "erlang_b",
    "erlang_c",
    "occupancy",
    "performance",
    "prob_wait",
    "service_level",
    "traffic_erlangs",
]

SLDefinition = Literal["offered", "answered", "virtual"]

#: Service-level definitions accepted by :func:`service_level` and :func:`required_agents`.
SL_DEFINITIONS: tuple[str, ...] = ("offered", "answered", "virtual")

# ---------------------------------------------------------------------------------------------
# argument handling
# ---------------------------------------------------------------------------------------------


def _traffic(value: Any) -> Array:
    return as_array("traffic", value, low=0.0)


def _agents(value: Any) -> Array:
    return as_array("agents", value, low=0.0, integer=True)


def _aht(value: Any) -> Array:
    return as_array("aht", value, low=0.0, low_inclusive=False)


def _patience(value: Any) -> Array:
    if value is None:
        return np.asarray(np.inf)
    return as_array("patience", value, low=0.0, low_inclusive=False, allow_inf=True)


def _definition(value: str) -> str:
    if value not in SL_DEFINITIONS:
        raise InputError(f"definition must be one of {', '.join(SL_DEFINITIONS)} (got {value!r})")
    return value


def _is_scalar(*values: Any) -> bool:
    return all(np.ndim(v) == 0 for v in values)


def _measures(
    traffic: Any, agents: Any, aht: Any, patience: Any, **extra: Array
) -> tuple[_Measures, tuple[int, ...], list[Array]]:
    """Validate, broadcast and flatten; ``extra`` arrays are broadcast along and returned flat."""
    arrays = broadcast(
        traffic=_traffic(traffic),
        agents=_agents(agents),
        aht=_aht(aht),
        patience=_patience(patience),
        **extra,
    )
    shape = arrays[0].shape
    a, n, h, p, *rest = (x.ravel() for x in arrays)
    return _Measures(a, n, h, p), shape, rest


# ---------------------------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------------------------


@overload
def traffic_erlangs(contacts: float, aht: float, period: float) -> float: ...
@overload
def traffic_erlangs(contacts: ArrayLike, aht: ArrayLike, period: ArrayLike) -> FloatArray: ...
def traffic_erlangs(contacts: ArrayLike, aht: ArrayLike, period: ArrayLike) -> float | FloatArray:
    """Offered traffic in Erlangs.

    Parameters
    ----------
    contacts : array_like
        Contacts arriving in the period (≥ 0).
    aht : array_like
        Average handle time, seconds (> 0).
    period : array_like
        Length of the period, seconds (> 0).

    Returns
    -------
    float or ndarray
        ``contacts × aht / period``.

    Examples
    --------
    >>> traffic_erlangs(100, 180, 1800)
    10.0
    """
    c = as_array("contacts", contacts, low=0.0)
    h = _aht(aht)
    p = as_array("period", period, low=0.0, low_inclusive=False)
    c, h, p = broadcast(contacts=c, aht=h, period=p)
    return float_or_array(c * h / p, _is_scalar(contacts, aht, period))


@overload
def erlang_b(traffic: float, agents: float) -> float: ...
@overload
def erlang_b(traffic: ArrayLike, agents: ArrayLike) -> FloatArray: ...
def erlang_b(traffic: ArrayLike, agents: ArrayLike) -> float | FloatArray:
    """Erlang B blocking probability of an M/M/n/n loss system.

    Parameters
    ----------
    traffic : array_like
        Offered traffic ``A`` in Erlangs (≥ 0).
    agents : array_like
        Number of servers ``n`` (whole number ≥ 0).

    Returns
    -------
    float or ndarray
        Probability an arrival finds every server busy, in [0, 1].

    Notes
    -----
    ``B(n, A) = (A^n/n!) / Σ_{k≤n} A^k/k!``, evaluated as ``1/B = e^A Γ(n+1, A) / A^n`` in log
    space with the regularised upper incomplete gamma function, or by the terminating series
    ``Σ_k n!/((n−k)! A^k)`` where that underflows. ``B(0, A) = 1``; ``B(n, 0) = 0`` for ``n ≥ 1``.

    References
    ----------
    .. [1] Erlang (1917); the incomplete-gamma form as in Jagerman, "Some properties of the Erlang
       loss function", Bell System Technical Journal 53(3), 1974.

    Examples
    --------
    >>> round(erlang_b(10, 10), 6)
    0.214582
    >>> erlang_b([0.0, 2.0], [1, 0]).tolist()
    [0.0, 1.0]
    """
    a, n = broadcast(traffic=_traffic(traffic), agents=_agents(agents))
    out = _erlang_b_kernel(a.ravel(), n.ravel()).reshape(a.shape)
    return float_or_array(out, _is_scalar(traffic, agents))


@overload
def erlang_c(traffic: float, agents: float) -> float: ...
@overload
def erlang_c(traffic: ArrayLike, agents: ArrayLike) -> FloatArray: ...
def erlang_c(traffic: ArrayLike, agents: ArrayLike) -> float | FloatArray:
    """Erlang C probability that an arrival has to wait (M/M/n, infinite patience).

    Parameters
    ----------
    traffic : array_like
        Offered traffic ``A`` in Erlangs (≥ 0).
    agents : array_like
        Number of agents ``n`` (whole number ≥ 0).

    Returns
    -------
    float or ndarray
        ``P(wait > 0)`` in [0, 1]; 1.0 where ``agents ≤ traffic`` (the queue is unstable), 0.0 where
        traffic is 0 and there is at least one agent.

    Notes
    -----
    ``C = n·B / (n − A·(1 − B))`` with ``B`` the Erlang B probability, for ``n > A``.

    Examples
    --------
    >>> round(erlang_c(10, 11), 6)
    0.682118
    >>> erlang_c(12, 10)
    1.0
    """
    a, n = broadcast(traffic=_traffic(traffic), agents=_agents(agents))
    af, nf = a.ravel(), n.ravel()
    out = _erlang_c_from_b(af, nf, _erlang_b_kernel(af, nf)).reshape(a.shape)
    return float_or_array(out, _is_scalar(traffic, agents))


@overload
def prob_wait(
    traffic: float, agents: float, aht: float, patience: float | None = None
) -> float: ...
@overload
def prob_wait(
    traffic: ArrayLike, agents: ArrayLike, aht: ArrayLike, patience: ArrayLike | None = None
) -> FloatArray: ...
def prob_wait(
    traffic: ArrayLike, agents: ArrayLike, aht: ArrayLike, patience: ArrayLike | None = None
) -> float | FloatArray:
    """Probability an arrival has to wait, Erlang C or Erlang A.

    Parameters
    ----------
    traffic, agents, aht
        Traffic (Erlangs), agents (whole number) and average handle time (s).
    patience : array_like or None
        Mean patience in seconds (exponential); ``None`` or ``inf`` gives Erlang C.

    Returns
    -------
    float or ndarray
        ``P(W > 0)``.

    Notes
    -----
    Erlang A: ``P(W>0) = B·J / (1 + B·(J − 1))`` with ``J = J(nμ/θ, λ/θ)`` [2]_.

    References
    ----------
    .. [2] Mandelbaum & Zeltyn, "The M/M/n+G queue: summary of performance measures".

    Examples
    --------
    >>> round(prob_wait(10, 11, 180), 6)
    0.682118
    """
    m, shape, _ = _measures(traffic, agents, aht, patience)
    return float_or_array(m.pwait.reshape(shape), _is_scalar(traffic, agents, aht, patience))


@overload
def service_level(
    traffic: float,
    agents: float,
    aht: float,
    answer_time: float,
    patience: float | None = None,
    *,
    definition: SLDefinition = "offered",
) -> float: ...
@overload
def service_level(
    traffic: ArrayLike,
    agents: ArrayLike,
    aht: ArrayLike,
    answer_time: ArrayLike,
    patience: ArrayLike | None = None,
    *,
    definition: SLDefinition = "offered",
) -> FloatArray: ...
def service_level(
    traffic: ArrayLike,
    agents: ArrayLike,
    aht: ArrayLike,
    answer_time: ArrayLike,
    patience: ArrayLike | None = None,
    *,
    definition: SLDefinition = "offered",
) -> float | FloatArray:
    """Share of contacts answered within ``answer_time`` seconds.

    Parameters
    ----------
    traffic : array_like
        Offered traffic in Erlangs (≥ 0).
    agents : array_like
        Agents (whole number ≥ 0).
    aht : array_like
        Average handle time, seconds (> 0).
    answer_time : array_like
        Service-level threshold ``t``, seconds (≥ 0).
    patience : array_like or None
        Mean caller patience in seconds (exponential abandonment, Erlang A / M/M/n+M). ``None``
        (or ``inf``) gives Erlang C.
    definition : {"offered", "answered", "virtual"}
        Which service level (they coincide for Erlang C):

        - ``"offered"`` (default): contacts answered within ``t`` ÷ contacts offered; abandoned
          contacts count as misses. The conservative, contract-style figure.
        - ``"answered"``: contacts answered within ``t`` ÷ contacts answered.
        - ``"virtual"``: probability the wait of an infinitely patient caller (the "virtual
          wait") is at most ``t``.

    Returns
    -------
    float or ndarray
        Service level in [0, 1]. Erlang C gives 0 where ``agents ≤ traffic`` (unstable queue) and 1
        where traffic is 0.

    Notes
    -----
    Erlang C: ``SL(t) = 1 − C·exp(−(n − A)·t / AHT)``.

    Erlang A, with ``x = nμ/θ``, ``y = λ/θ`` (θ = 1/patience), ``q = e^{−θt}`` and
    ``J(x, y) = Γ(x+1) e^y y^{−x} P(x, y)``, computed exactly (not the heavy-traffic
    approximation):

    - virtual: ``P(V > t) = P(W>0)·e^{−nμt + y(1−q)}·J(x, yq) / J(x, y)``;
    - offered: ``1 − P(W>0) + P(W>0)·[(n/A)(1 − 1/J) − x/(x+1)·q^{x+1} e^{y(1−q)} J(x+1, yq)/J]``;
    - answered: offered ÷ (1 − P(abandon)).

    These follow from the stationary distribution of the M/M/n+M birth–death chain and the
    representation of the virtual wait as an order statistic of exponential patience times; they
    reduce to Erlang C as patience → ∞ [2]_.

    References
    ----------
    .. [2] A. Mandelbaum and S. Zeltyn, "The M/M/n+G queue: summary of performance measures",
       Technion, 2009.

    Examples
    --------
    >>> round(service_level(10, 11, 180, 20), 4)
    0.3896
    >>> round(service_level(10, 11, 180, 20, patience=120), 4)
    0.7422
    """
    definition = _definition(definition)  # type: ignore[assignment]
    t = as_array("answer_time", answer_time, low=0.0)
    m, shape, (tf,) = _measures(traffic, agents, aht, patience, answer_time=t)
    out = m.service_level(tf, definition).reshape(shape)
    return float_or_array(out, _is_scalar(traffic, agents, aht, answer_time, patience))


@overload
def asa(traffic: float, agents: float, aht: float, patience: float | None = None) -> float: ...
@overload
def asa(
    traffic: ArrayLike, agents: ArrayLike, aht: ArrayLike, patience: ArrayLike | None = None
) -> FloatArray: ...
def asa(
    traffic: ArrayLike, agents: ArrayLike, aht: ArrayLike, patience: ArrayLike | None = None
) -> float | FloatArray:
    """Average speed of answer: mean wait of answered contacts, seconds.

    Parameters
    ----------
    traffic, agents, aht
        Traffic (Erlangs), agents (whole number) and average handle time (s).
    patience : array_like or None
        Mean patience in seconds; ``None`` gives Erlang C.

    Returns
    -------
    float or ndarray
        ASA in seconds; ``inf`` where no contact is ever answered in steady state (Erlang C with
        ``agents ≤ traffic``, or no agents); 0 where traffic is 0.

    Notes
    -----
    Erlang C: ``ASA = C·AHT / (n − A)``. Erlang A: ``E[W | served]`` from
    ``E[W; served] = P(W>0)·(1 − 1/J)·(x/y)·θ^{−1}·[1/(x+1) − ∂ₓ log J(x+1, y)]``, the integral
    of the wait density of served contacts (derived from [2]_), divided by ``1 − P(abandon)``.

    References
    ----------
    .. [2] Mandelbaum & Zeltyn, "The M/M/n+G queue: summary of performance measures".

    Examples
    --------
    >>> round(asa(10, 11, 180), 2)
    122.78
    """
    m, shape, _ = _measures(traffic, agents, aht, patience)
    return float_or_array(m.asa().reshape(shape), _is_scalar(traffic, agents, aht, patience))


@overload
def abandonment(traffic: float, agents: float, aht: float, patience: float) -> float: ...
@overload
def abandonment(
    traffic: ArrayLike, agents: ArrayLike, aht: ArrayLike, patience: ArrayLike
) -> FloatArray: ...
def abandonment(
    traffic: ArrayLike, agents: ArrayLike, aht: ArrayLike, patience: ArrayLike
) -> float | FloatArray:
    """Probability an arrival abandons before being answered (Erlang A, M/M/n+M).

    Parameters
    ----------
    traffic, agents, aht
        Traffic (Erlangs), agents (whole number) and average handle time (s).
    patience : array_like
        Mean patience in seconds (> 0; ``inf`` means nobody abandons).

    Returns
    -------
    float or ndarray
        ``P(Ab)`` in [0, 1].

    Notes
    -----
    ``P(Ab) = P(W>0)·(1 − (n/A)·(1 − 1/J(x, y)))`` [2]_; equivalently ``θ·E[queue]/λ``.

    References
    ----------
    .. [2] Mandelbaum & Zeltyn, "The M/M/n+G queue: summary of performance measures".

    Examples
    --------
    >>> round(abandonment(10, 10, 180, 180), 4)
    0.1251
    """
    if patience is None:
        raise InputError("patience must be given for abandonment (mean patience in seconds)")
    m, shape, _ = _measures(traffic, agents, aht, patience)
    return float_or_array(m.pab.reshape(shape), _is_scalar(traffic, agents, aht, patience))


@overload
def occupancy(
    traffic: float, agents: float, aht: float | None = None, patience: float | None = None
) -> float: ...
@overload
def occupancy(
    traffic: ArrayLike,
    agents: ArrayLike,
    aht: ArrayLike | None = None,
    patience: ArrayLike | None = None,
) -> FloatArray: ...
def occupancy(
    traffic: ArrayLike,
    agents: ArrayLike,
    aht: ArrayLike | None = None,
    patience: ArrayLike | None = None,
) -> float | FloatArray:
    """Agent occupancy: carried traffic ÷ agents.

    Parameters
    ----------
    traffic, agents
        Traffic (Erlangs) and agents (whole number).
    aht : array_like, optional
        Average handle time (s); needed only with ``patience``.
    patience : array_like or None
        Mean patience (s); with abandonment the carried traffic is ``A·(1 − P(Ab))``.

    Returns
    -------
    float or ndarray
        Occupancy in [0, 1]: ``A/n`` for Erlang C, capped at 1 where ``n ≤ A``; with no agents, 1 if
        there is traffic and 0 otherwise.

    Examples
    --------
    >>> occupancy(8.5, 10)
    0.85
    """
    if patience is not None and aht is None:
        raise InputError("aht must be given with patience (occupancy needs the abandonment rate)")
    m, shape, _ = _measures(traffic, agents, 1.0 if aht is None else aht, patience)
    return float_or_array(m.occupancy().reshape(shape), _is_scalar(traffic, agents, aht, patience))


def performance(
    traffic: Any,
    agents: Any,
    aht: Any,
    answer_time: Any,
    patience: Any = None,
    *,
    definition: SLDefinition = "offered",
) -> dict[str, Any]:
    """All performance measures at once (one evaluation of the shared intermediate quantities).

    Parameters
    ----------
    traffic, agents, aht, answer_time, patience, definition
        As for :func:`service_level`.

    Returns
    -------
    dict
        ``prob_wait``, ``service_level``, ``asa``, ``abandonment`` and ``occupancy``, each as
        :func:`prob_wait`, :func:`service_level`, :func:`asa`, :func:`abandonment` and
        :func:`occupancy` would return them (abandonment is 0 without patience).

    Examples
    --------
    >>> m = performance(10, 11, 180, 20)
    >>> round(m["service_level"], 4), round(m["asa"], 2), m["abandonment"]
    (0.3896, 122.78, 0.0)
    """
    definition = _definition(definition)  # type: ignore[assignment]
    t = as_array("answer_time", answer_time, low=0.0)
    m, shape, (tf,) = _measures(traffic, agents, aht, patience, answer_time=t)
    scalar = _is_scalar(traffic, agents, aht, answer_time, patience)
    values = {
        "prob_wait": m.pwait,
        "service_level": m.service_level(tf, definition),
        "asa": m.asa(),
        "abandonment": m.pab,
        "occupancy": m.occupancy(),
    }
    return {k: scalar_or_array(v.reshape(shape), scalar) for k, v in values.items()}
