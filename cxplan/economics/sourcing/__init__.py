"""Insource / outsource / hybrid comparison, the crossover volume and the price of an occupancy cap.

Every option is costed from the *same* volume forecast (contacts per interval) through the staffing
engine (:func:`cxplan.workforce.staffing.staff_intervals` then
:func:`~cxplan.workforce.staffing.rollup` by month), so
queueing economies of scale are in the in-house cost and the vendor's billable agent hours:

- **in-house**: staffed agent hours → paid hours ``÷ (1 − shrinkage)`` → fully loaded cost
  (:func:`cxplan.economics.costs.staffing_cost`), plus an optional in-house one-off in the first
  month;
- **outsourced**: the vendor quote (:class:`cxplan.economics.outsourcing.VendorQuote`) on the
monthly
  volume, plus governance and value leakage, the one-off transition cost in the first month and
  the parallel run (the in-house cost continues for ``parallel_run_months``);
- **hybrid**: a split of each interval's volume (:class:`ShareSplit`, :class:`OverflowSplit`,
  :class:`AfterHoursSplit`); each side is staffed and priced on its own part. A side that
  receives no contacts over the horizon costs nothing (no minimum charge, transition or
  one-off), so a 0 % share equals in-house and a 100 % share equals outsourced exactly.

:func:`cost_curves` prices the options over a grid of forecast scale factors in one broadcast
staffing call; :func:`crossover` brackets the sign changes of the cost difference on that grid
and solves each with :func:`scipy.optimize.brentq`. :func:`occupancy_investment` prices an
occupancy cap (e.g. 60–70 % instead of the 80s, seed 002) as extra hours, FTE and money.

References
----------
.. [1] Seed 001: outsourcing price models and ranges; staffing formula and shrinkage.
.. [2] Seed 002 (``shared/reference/seeds/002_*.txt``): Zappos runs at 60–70 % agent occupancy
   against an industry norm in the 80s.
.. [3] ``shared/reference/domain-notes.md``, "Costs": transition 4–5 weeks with both sides paid,
   governance 3–6 %, value leakage 5–30 %.

Modules (every public name is re-exported here): ``hybrid`` (the splits), ``comparison``
(:func:`inhouse_monthly_cost`, :func:`outsourced_monthly_cost`, :func:`compare_sourcing`),
``curves`` (:func:`cost_curves`, :func:`crossover`) and ``occupancy``
(:func:`occupancy_investment`).
"""

from cxplan.economics.sourcing.comparison import (
    COMPARISON_COLUMNS,
    compare_sourcing,
    inhouse_monthly_cost,
    outsourced_monthly_cost,
)
from cxplan.economics.sourcing.curves import CrossoverResult, cost_curves, crossover
from cxplan.economics.sourcing.hybrid import AfterHoursSplit, HybridSplit, OverflowSplit, ShareSplit
from cxplan.economics.sourcing.occupancy import occupancy_investment

__all__ = [
    "COMPARISON_COLUMNS",
    "AfterHoursSplit",
    "CrossoverResult",
    "HybridSplit",
    "OverflowSplit",
    "ShareSplit",
    "compare_sourcing",
    "cost_curves",
    "crossover",
    "inhouse_monthly_cost",
    "occupancy_investment",
    "outsourced_monthly_cost",
]
