"""Pilot readout for the standard-vs-staccato A/B comparison: effects, tests and a verdict.

After the pilot (seed 000: 90 days, two regions, measured on CSAT, FCR, AHT and cost per contact,
with a target of a 10–20 % lower cost per contact by month 3): effect sizes with confidence
intervals, tests and a plain-language verdict per metric and overall ("scale up" / "extend" /
"stop"). :func:`readout` works on per-contact records, :func:`readout_from_summaries` on aggregates
(:class:`ArmSummary`). The design side (sample sizes, duration) is :mod:`cxplan.plan.pilot_design`;
``params/pilot/make_demo_pilot.py`` generates the demo data set ``params/pilot/demo_pilot.csv``.

Conventions: durations in seconds, shares and changes as fractions (``-0.2`` = 20 % lower), money in
the caller's currency.

Independence caveat: the tests treat contacts as independent. When whole agent groups are assigned
to an arm, contacts handled by the same agent are correlated: read contact-level confidence
intervals on clustered data as too narrow.

Modules (every public name is re-exported here): ``results`` (:class:`ArmSummary`,
:class:`MetricResult`, :class:`PilotReadout`, :data:`COST_TARGET_CHANGE`), ``analysis`` (effects,
tests and verdicts; :func:`readout_from_summaries`) and ``records`` (:func:`readout`,
:func:`readout_csv` on per-contact records).
"""

from cxplan.plan.pilot_readout.analysis import readout_from_summaries
from cxplan.plan.pilot_readout.records import readout, readout_csv
from cxplan.plan.pilot_readout.results import (
    COST_TARGET_CHANGE,
    ArmSummary,
    MetricResult,
    PilotReadout,
)

__all__ = [
    "COST_TARGET_CHANGE",
    "ArmSummary",
    "MetricResult",
    "PilotReadout",
    "readout",
    "readout_csv",
    "readout_from_summaries",
]
