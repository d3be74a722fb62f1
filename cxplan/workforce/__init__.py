"""Workforce maths: Erlang B/C/A queueing, interval staffing by channel, capacity and hiring.

Modules: ``queueing``, ``staffing``, ``capacity``, ``hiring``, ``routing`` (skills-based routing
simulation; results in ``routing_result``) and ``skills_staffing``. Import them directly
(``from cxplan.workforce import queueing``); this package imports nothing itself.
"""

__all__: list[str] = []
