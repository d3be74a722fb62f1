"""Executed notebook → self-contained, offline HTML report (the batch's export step).

:func:`export_html` drops code input, hidden cells, stderr and widget state and renders with
JupyterLab's template minus everything it would load from a CDN; :func:`external_references`
finds what would still reach the network. Also the notebook cell tags the batch relies on.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

from cxplan.errors import ReportError

if TYPE_CHECKING:
    import nbformat

__all__ = ["export_html", "external_references"]

_INJECTED_TAG = "injected-parameters"
_PAPERMILL_ERROR_TAG = "papermill-error-cell-tag"
_FAILURE_TAG = "cxplan-failure"
_HIDDEN_CELL_TAGS = frozenset({"remove-cell", "parameters", _INJECTED_TAG, _PAPERMILL_ERROR_TAG})

_REPORT_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{#- cxplan: the lab template without anything loaded from a CDN. -#}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""

_EXTERNAL_RE = re.compile(
    r"""<(?:script|img|iframe|embed|source|audio|video)\b[^>]*?\bsrc\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|<link\b[^>]*?\bhref\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)

_SCRIPT_RE = re.compile(r"<script\b[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SCRIPT_URL_RE = re.compile(r"""["'`(]\s*(?:https?:)?//[\w-]+(?:\.[\w-]+)+""", re.IGNORECASE)
_CDN_RE = re.compile(
    r"cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com|cdn\.plot\.ly|cdn\.mathjax\.org"
    r"|code\.jquery\.com|ajax\.googleapis\.com|fonts\.googleapis\.com",
    re.IGNORECASE,
)


def _remove_css_comments(html: str) -> str:
    def clean(match: re.Match[str]) -> str:
        return re.sub(r"/\*.*?\*/", "", match.group(0), flags=re.DOTALL)

    return re.sub(r"<style\b[^>]*>.*?</style>", clean, html, flags=re.DOTALL | re.IGNORECASE)


def external_references(html: str) -> list[str]:
    """Find references to network resources in an HTML document.

    Parameters
    ----------
    html : str
        The document.

    Returns
    -------
    list of str
        Up to 80 characters of context for every ``<script src>``, ``<link href>``, ``<img src>``
        (and similar), CSS ``@import`` or ``url()`` pointing at ``http://``, ``https://`` or ``//``,
        every URL quoted inside an inline ``<script>`` (e.g. a require.js configuration), and any
        mention of a well-known CDN host. XML namespace URIs
        (``xmlns="http://www.w3.org/2000/svg"``) and ``<a href>`` links are not references.

    Examples
    --------
    >>> external_references('<script src="https://cdn.example/require.js"></script>')
    ['<script src="https://cdn.example/require.js"></script>']
    >>> external_references('<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    []
    """
    starts = [m.start() for m in _EXTERNAL_RE.finditer(html)]
    for script in _SCRIPT_RE.finditer(html):  # e.g. a require.js config inside an inline script
        starts += [script.start(1) + m.start() for m in _SCRIPT_URL_RE.finditer(script.group(1))]
    starts += [m.start() for m in _CDN_RE.finditer(html)]
    found: list[str] = []
    end = -1
    for start in sorted(starts):
        if start >= end:  # one entry per place, however many patterns matched it
            found.append(html[start : start + 80])
            end = start + 80
    return found


def export_html(nb: nbformat.NotebookNode, title: str) -> str:
    """Export an executed notebook as a self-contained, offline HTML report.

    Code cells' input is excluded (``exclude_input=True``), as are cells tagged ``remove-cell``,
    ``parameters`` or ``injected-parameters``, outputs of cells tagged ``remove-output``, stderr
    streams and the widget state. The template is JupyterLab's with the require.js, MathJax,
    Mermaid and widget loaders removed, and CSS comments are stripped, so the report contains no
    ``http(s)://`` reference other than XML namespace URIs.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook (not modified).
    title : str
        The HTML ``<title>`` when the notebook metadata has none.

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    ReportError
        If the report would still load something from the network (e.g. a Markdown image with an
        ``https://`` source).
    """
    import jinja2
    from nbconvert import HTMLExporter

    report = copy.deepcopy(nb)
    report.metadata.pop("widgets", None)
    kept = []
    for cell in report.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & _HIDDEN_CELL_TAGS or _FAILURE_TAG in tags:
            continue
        if cell.get("cell_type") == "code":
            if "remove-output" in tags:
                cell.outputs = []
            cell.outputs = [
                out
                for out in cell.outputs
                if not (out.get("output_type") == "stream" and out.get("name") == "stderr")
            ]
        kept.append(cell)
    report.cells = kept
    exporter = HTMLExporter(
        template_name="lab",
        template_file="cxplan_report.html.j2",
        extra_loaders=[jinja2.DictLoader({"cxplan_report.html.j2": _REPORT_TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    html, _ = exporter.from_notebook_node(report, resources={"metadata": {"name": title}})
    html = _remove_css_comments(html)
    found = external_references(html)
    if found:
        raise ReportError(f"the report would load from the network: {found[0]!r}")
    return html
