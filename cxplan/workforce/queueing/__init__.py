"""Erlang B, Erlang C and Erlang A (M/M/n+M) performance measures and staffing search.

All durations are in seconds and traffic is in Erlangs: ``traffic = arrivals per second × aht``.
Every function broadcasts its array arguments like a numpy ufunc and returns a Python float (or
``int`` for :func:`required_agents`) when every argument is a scalar.

Numerical approach
------------------
Nothing here computes ``A**n / n!``. Erlang B uses the upper incomplete gamma function in log space,
``1/B(n, A) = e^A Γ(n+1, A) / A^n``, and the abandonment models use the lower incomplete gamma
function through

    J(x, y) = Σ_{j≥0} Π_{i=1..j} y/(x+i) = Γ(x+1) e^y y^(−x) P(x, y)

(``P`` the regularised lower incomplete gamma function, i.e. ``1F1(1; x+1; y)``). Where the gamma
function form underflows (deep overload for Erlang B, deep underload for ``J``) the defining series
converges geometrically and is summed directly, vectorized over the elements that need it. The
result is accurate at any size: 50,000 Erlangs and beyond, without overflow or warnings.

scipy has no Erlang or M/M/n+M functions and the Python peers (pyworkforce, call-center-tools,
erlanglib) have known defects (linear searches that skip the minimum, probabilities above 1, no
empty intervals, overstaffing under abandonment), so these formulas are written here by hand.

Modules (every public name is re-exported here): ``measures`` (traffic, Erlang B/C/A measures,
:func:`performance`), ``search`` (:func:`required_agents`), ``_monotone`` (the staircase and
multi-probe searches it uses) and ``_kernel`` (the special-function kernels and the shared
Erlang C / Erlang A evaluation).

References
----------
.. [1] A. K. Erlang, "Solution of some problems in the theory of probabilities of significance in
   automatic telephone exchanges", 1917.
.. [2] A. Mandelbaum and S. Zeltyn, "The M/M/n+G queue: summary of performance measures",
   Technion, 2009 (exact M/M/n+M formulas in terms of the incomplete gamma function).
.. [3] N. Gans, G. Koole and A. Mandelbaum, "Telephone call centers: tutorial, review, and
   research prospects", Manufacturing & Service Operations Management 5(2), 2003.
"""

from cxplan.workforce.queueing.measures import (
    SL_DEFINITIONS,
    SLDefinition,
    abandonment,
    asa,
    erlang_b,
    erlang_c,
    occupancy,
    performance,
    prob_wait,
    service_level,
    traffic_erlangs,
)
from cxplan.workforce.queueing.search import required_agents

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
    "required_agents",
    "service_level",
    "traffic_erlangs",
]
