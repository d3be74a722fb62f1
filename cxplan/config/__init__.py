"""Parameter files: the pydantic schema, line-aware YAML loading and naming rules.

Modules: ``params``, ``yamlfile``, ``naming``, ``skills`` and ``shifts`` (the ``skills:`` and
``shifts:`` sections). Import them directly (``from cxplan.config import params``); this package
imports nothing itself.
"""

__all__: list[str] = []
