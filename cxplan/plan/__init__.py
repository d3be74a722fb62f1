"""The 90-180-day plan: phased roadmap and its cash flows, A/B pilot design and readout, KPIs.

Modules: ``roadmap``, ``programme``, ``pilot_power``, ``pilot_design``,
``pilot_readout``, ``kpi``.
Import them directly (``from cxplan.plan import roadmap``); this package imports nothing itself.
"""

__all__: list[str] = []
