"""Front ends: the papermill batch, the ``cxplan`` command and the live planner.

Modules: ``batch``, ``cli``, ``server`` (the planner's Voilà server), ``dashboard`` (the planner),
``overrides`` and ``inputs`` (its controls), ``chart_grid`` (its charts). Import them directly
(``from cxplan.app import batch``); this package imports nothing itself.
"""

__all__: list[str] = []
