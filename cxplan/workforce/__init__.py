"""Workforce maths: Erlang B/C/A queueing, interval staffing by channel, capacity and hiring.

Modules: ``queueing``, ``staffing``, ``capacity``, ``hiring``. Import them directly
(``from cxplan.workforce import queueing``); this package imports nothing itself.
"""

__all__: list[str] = []
