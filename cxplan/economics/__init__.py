"""Money: in-house costs, vendor price models, sourcing TCO, finance, risk and initiatives.

Modules: ``costs``, ``outsourcing``, ``sourcing``, ``finance``, ``risk``, ``initiatives``. Import
them directly
(``from cxplan.economics import costs``); this package imports nothing itself.
"""

__all__: list[str] = []
