"""Workforce maths: queueing, interval staffing, shift schedules, capacity and hiring.

Modules: ``queueing``, ``staffing``, ``shifts`` (with the covering solver ``cover``),
``capacity``, ``hiring``, ``typical_week``, ``routing`` (skills-based routing simulation; results in
``routing_result``) and ``skills_staffing``. Import them directly
(``from cxplan.workforce import queueing``); this package imports nothing itself.
"""

__all__: list[str] = []
