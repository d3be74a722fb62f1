"""Presentation: charts, report prose and result files.

Modules: ``charts``, ``report``. Import them directly
(``from cxplan.present import charts``); this package imports nothing itself.
"""

__all__: list[str] = []
