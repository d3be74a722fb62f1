"""Front ends: the papermill batch, the ``cxplan`` command and the live planner.

Modules: ``batch``, ``cli``, ``dashboard``. Import them directly
(``from cxplan.app import batch``); this package imports nothing itself.
"""

__all__: list[str] = []
