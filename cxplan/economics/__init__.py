"""Money: in-house costs, vendor price models, sourcing TCO, finance, TEI, risk and initiatives.

Modules: ``costs``, ``outsourcing``, ``sourcing``, ``finance``, ``tei``, ``business_case``,
``risk``, ``initiatives``. Import them directly (``from cxplan.economics import costs``); this
package imports nothing itself.
"""

__all__: list[str] = []
