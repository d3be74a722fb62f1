"""Front ends: the papermill batch, the ``cxplan`` command and the live planner.

Modules: ``batch`` (the batch's orchestrator and public names; its parts: ``batch_results``,
``batch_io``, ``html_export``, ``execution``, ``pool``), ``cli``, ``scaffold`` (``cxplan init``),
``server`` (the planner's Voilà server), ``dashboard`` (the planner), ``overrides`` and ``inputs``
(its controls), ``chart_grid`` (its charts), ``planner_scenarios``. Import them directly
(``from cxplan.app import batch``); this package imports nothing itself.
"""

__all__: list[str] = []
