"""The 90-180-day plan: phased roadmap, A/B pilot design and readout, KPI scorecard.

Modules: ``roadmap``, ``pilot``, ``kpi``. Import them directly
(``from cxplan.plan import roadmap``); this package imports nothing itself.
"""

__all__: list[str] = []
