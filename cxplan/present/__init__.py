"""Presentation: what a client sees of the model's results.

Modules (import them directly, e.g. ``from cxplan.present import tables``; this package imports
nothing itself):

``columns``
    Column specs: human headers from unit-carrying names, kinds, decimals, Excel formats.
``tables``
    :func:`~cxplan.present.tables.format_table`: client-ready tables (HTML, text, Excel cells).
``theme``
    The one altair theme of every chart (sizes readable on A4, colour-blind-safe colours).
``charts``
    Altair chart builders, one module per report subject (``staffing``, ``costs``,
    ``business_case``, ``plan``, ``kpi``); ``export``: static SVG for reports, widgets for the
    planner. Every name is re-exported by ``charts``.
``figures``
    Chart files for slides (``<slug>-<chart>.svg``/``.png``).
``document``
    The offline, print-friendly report shell and the nbconvert post-processing.
``pdf``
    HTML to PDF with headless Chromium; PDF pages to PNG.
``xlsx``
    Excel workbooks of formatted tables and parameters.
``exports``
    The deliverables of ``cxplan report --formats`` (the batch's one call).
``report``
    Report prose, result files, the portfolio table.
"""

__all__: list[str] = []
