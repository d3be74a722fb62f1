"""cxplan: contact-centre planning and ROI toolkit.

Sub-modules are imported on demand; importing :mod:`cxplan` itself has no side effects.

Modules
-------
queueing
    Erlang B, Erlang C and Erlang A (M/M/n+M) performance measures and staffing search.
staffing
    Workload formula, shrinkage, interval staffing and channel models (voice, chat, email).
costs, outsourcing, sourcing
    In-house cost, vendor price models, in-house/outsourced/hybrid comparison and crossover.
finance, tei, risk, initiatives
    Cash-flow maths, the TEI table, Monte Carlo and tornado, initiative levers through staffing.
capacity, hiring, roadmap, programme, pilot_power, pilot_design, pilot_readout, kpi
    The 90–180-day plan: headcount, hiring classes, phased roadmap and its money, A/B pilot, KPIs.
params, yamlfile, naming, model, report, charts, dashboard, batch, cli
    Parameter files, one region end to end, reports, charts, the live planner, batch and CLI.
errors
    The exception hierarchy rooted at :class:`~cxplan.errors.CxplanError`.
"""

from cxplan.errors import CxplanError

__all__ = ["CxplanError", "__version__"]

__version__ = "0.1.0"
