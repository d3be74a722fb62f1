"""Parameter files: the pydantic schema, line-aware YAML loading and naming rules.

Modules: ``params`` (:class:`~cxplan.config.params.RegionParams`, ``load_params``), ``sections``
(the sections that are domain configuration classes), ``file_sections`` (the file's own:
history, kpi, sanity, fx), ``files`` (defaults, params folder, data
files), ``money`` (money fields, currency of the defaults), ``yamlfile`` (safe, line-aware
loading; ``locator``: file and line of every key; ``messages``: one line per problem),
``naming``, ``sources``,
``skills`` and ``shifts`` (the ``skills:`` and ``shifts:`` sections). Import them directly
(``from cxplan.config import params``); this package imports nothing itself.
"""

__all__: list[str] = []
