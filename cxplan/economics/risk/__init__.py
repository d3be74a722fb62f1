"""Uncertainty: three-point distributions, Monte Carlo runs and tornado sensitivity.

A model is any function taking keyword arrays (one per input, all of the same length) and
returning a mapping (or DataFrame) of output arrays of that length -- written once with numpy, it
serves a single scenario, a tornado (2k + 1 scenarios) and a Monte Carlo run (``n_draws``
scenarios) alike, each in a single call.

References
----------
.. [1] D. G. Malcolm, J. H. Roseboom, C. E. Clark, W. Fazar, "Application of a technique for
   research and development program evaluation", Operations Research 7(5), 1959 (PERT).
.. [2] R. Pouillot et al., R package ``mc2d``, ``rpert``: the modified PERT with shape
   ``lambda`` (default 4) and mean ``(min + lambda*mode + max) / (lambda + 2)``.
.. [3] domain-notes "Finance" (PERT with lambda = 4; tornado sorted by swing; P10/P90 defined in
   the output because percentile vs exceedance usage differs).

The TEI per-line risk adjustment (benefits reduced, costs raised by fixed fractions) is
:func:`cxplan.economics.finance.risk_adjust`; this module handles uncertainty by sampling instead.

Modules (every public name is re-exported here): ``distributions`` (:class:`Pert`,
:class:`Triangular`, :class:`Uniform`, :class:`Fixed`), ``sampling`` (:func:`sample_inputs`,
:func:`correlate`), ``simulation`` (:func:`monte_carlo`, :class:`MonteCarloResult`,
:func:`histogram_percentile`, :data:`P_DEFINITION`) and ``sensitivity`` (:func:`tornado`).
"""

from cxplan.economics.risk.distributions import Distribution, Fixed, Pert, Triangular, Uniform
from cxplan.economics.risk.sampling import correlate, sample_inputs
from cxplan.economics.risk.sensitivity import tornado
from cxplan.economics.risk.simulation import (
    P_DEFINITION,
    MonteCarloResult,
    histogram_percentile,
    monte_carlo,
)

__all__ = [
    "P_DEFINITION",
    "Distribution",
    "Fixed",
    "MonteCarloResult",
    "Pert",
    "Triangular",
    "Uniform",
    "correlate",
    "histogram_percentile",
    "monte_carlo",
    "sample_inputs",
    "tornado",
]
