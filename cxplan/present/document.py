"""The report shell: an offline, print-friendly HTML document around cxplan's tables and charts.

Two entry points share one stylesheet (``_static/report.css``: CSS only, no ``@import``, no
``url()``, no web fonts):

- :func:`finish_report` post-processes the HTML that nbconvert exports from an executed report
  notebook (:func:`cxplan.app.batch.export_html`): it sets ``<title>`` and the ``<h1>`` (the
  region's name), injects the stylesheet, marks the first section (so printing starts a new page
  at every later ``<h2>``) and adds download links under the charts;
- :func:`report_document` builds a complete report from sections of text, formatted tables
  (:func:`cxplan.present.tables.format_table`) and charts (static SVG).

Print layout (``@media print``): A4 portrait with 18/14/16 mm margins, one section per page
(``h2``), tables in 8.5 pt that wrap inside the page width, a table too wide for portrait on its
own landscape page (named page ``cx-landscape``), charts scaled to the page width and never split.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from cxplan.errors import InputError
from cxplan.present.figures import find_figures

__all__ = [
    "STYLE_ID",
    "Html",
    "Section",
    "finish_report",
    "heading_text",
    "report_css",
    "report_document",
]

#: ``id`` of the injected ``<style>`` element.
STYLE_ID = "cxplan-report-css"

_TITLE_RE = re.compile(r"<title>.*?</title>", re.DOTALL | re.IGNORECASE)
_H1_RE = re.compile(r"<h1\b(?P<attrs>[^>]*)>(?P<inner>.*?)</h1>", re.DOTALL | re.IGNORECASE)
_H2_RE = re.compile(r"<h2\b(?P<attrs>[^>]*)>", re.IGNORECASE)
_BODY_RE = re.compile(r"<body\b(?P<attrs>[^>]*)>", re.IGNORECASE)
_CLASS_RE = re.compile(r'\bclass="(?P<value>[^"]*)"', re.IGNORECASE)
_ANCHOR_RE = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.DOTALL)
_STYLE_RE = re.compile(rf'<style id="{STYLE_ID}">.*?</style>', re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")


@cache
def report_css() -> str:
    """Return the stylesheet (screen and print) of ``_static/report.css``, comments removed."""
    text = (resources.files("cxplan.present") / "_static" / "report.css").read_text("utf-8")
    return re.sub(r"/\*.*?\*/\n?", "", text, flags=re.DOTALL).lstrip()


class Html(str):
    """A string of trusted HTML markup (inserted as is; a plain ``str`` block is escaped)."""

    __slots__ = ()


@dataclass(frozen=True)
class Section:
    """One section of :func:`report_document`: an ``<h2>`` heading and its blocks.

    Blocks are rendered in order: a plain ``str`` becomes an escaped paragraph, :class:`Html`
    is inserted as is, a :class:`~cxplan.present.tables.FormattedTable` (or anything with
    ``to_html()``) as its HTML, a pandas DataFrame through
    :func:`~cxplan.present.tables.format_table`, an altair chart as inline SVG.
    """

    heading: str
    blocks: Sequence[Any] = field(default_factory=tuple)


def _add_class(attrs: str, name: str) -> str:
    match = _CLASS_RE.search(attrs)
    if match is None:
        return f'{attrs} class="{name}"'
    classes = match.group("value").split()
    if name in classes:
        return attrs
    value = " ".join([*classes, name])
    return attrs[: match.start()] + f'class="{value}"' + attrs[match.end() :]


def _text(fragment: str) -> str:
    return html_lib.unescape(_TAG_RE.sub("", _ANCHOR_RE.sub("", fragment))).strip()


def heading_text(html: str) -> str | None:
    """Return the text of the document's first ``<h1>`` (``None`` when it has none)."""
    match = _H1_RE.search(html)
    return None if match is None else _text(match.group("inner"))


def _downloads_html(links: Sequence[tuple[str, str]]) -> str:
    items = " ".join(
        f'<a href="{html_lib.escape(href, quote=True)}" download>{html_lib.escape(label)}</a>'
        for label, href in links
    )
    return f'<p class="cx-downloads">Download chart: {items}</p>'


def finish_report(
    html: str,
    *,
    title: str,
    heading: str | None = None,
    downloads: Sequence[Sequence[tuple[str, str]]] | None = None,
) -> str:
    """Make an nbconvert HTML report client-ready: title, heading, stylesheet, download links.

    Parameters
    ----------
    html : str
        The exported report (a whole document).
    title : str
        The document ``<title>`` (escaped here), e.g. ``"North America — Region report"``.
    heading : str, optional
        The text of the ``<h1>`` (default ``title``): it replaces the text of the first
        ``<h1>``, or is inserted at the top of the document when there is none.
    downloads : sequence of sequence of (label, href), optional
        Per chart (``<figure class="cxplan-chart">``, in document order): links put under it,
        e.g. ``[("SVG", "north-america-roadmap.svg")]``; the links are hidden in print.

    Returns
    -------
    str
        The document with ``class="cx-report"`` on ``<body>``, the stylesheet in a
        ``<style id="cxplan-report-css">`` at the end of ``<head>`` (replacing an earlier one,
        so applying this twice is harmless) and ``class="cx-first-section"`` on the first
        ``<h2>``.

    Raises
    ------
    InputError
        An empty title, or more download rows than charts.
    """
    if not isinstance(title, str) or not title.strip():
        raise InputError(f"title must be a non-empty string (got {title!r})")
    heading = title if heading is None else heading
    out = html
    if downloads:
        figures = find_figures(out)
        if len(downloads) > len(figures):
            raise InputError(
                f"downloads has {len(downloads)} rows but the report has {len(figures)} charts"
            )
        for figure, links in reversed(list(zip(figures, downloads, strict=False))):
            if links:
                out = out[: figure.end] + _downloads_html(links) + out[figure.end :]

    escaped_title = html_lib.escape(title, quote=False)
    if _TITLE_RE.search(out):
        out = _TITLE_RE.sub(lambda _: f"<title>{escaped_title}</title>", out, count=1)
    elif "<head>" in out:
        out = out.replace("<head>", f"<head>\n<title>{escaped_title}</title>", 1)

    escaped_heading = html_lib.escape(heading, quote=False)
    match = _H1_RE.search(out)
    if match is not None:
        anchor = _ANCHOR_RE.search(match.group("inner"))
        inner = escaped_heading + (anchor.group(0) if anchor else "")
        out = out[: match.start()] + f"<h1{match.group('attrs')}>{inner}</h1>" + out[match.end() :]
    else:
        h1 = f'<h1 class="cx-title">{escaped_heading}</h1>'
        if "<main>" in out:
            out = out.replace("<main>", f"<main>\n{h1}", 1)
        else:
            body = _BODY_RE.search(out)
            at = body.end() if body else 0
            out = out[:at] + h1 + out[at:]

    h2 = _H2_RE.search(out)
    if h2 is not None and "cx-first-section" not in out:
        attrs = _add_class(h2.group("attrs"), "cx-first-section")
        out = out[: h2.start()] + f"<h2{attrs}>" + out[h2.end() :]

    body = _BODY_RE.search(out)
    if body is not None:
        attrs = _add_class(body.group("attrs"), "cx-report")
        out = out[: body.start()] + f"<body{attrs}>" + out[body.end() :]

    style = f'<style id="{STYLE_ID}">\n{report_css()}</style>'
    if _STYLE_RE.search(out):
        out = _STYLE_RE.sub(lambda _: style, out, count=1)
    elif "</head>" in out:
        out = out.replace("</head>", f"{style}\n</head>", 1)
    else:
        out = style + out
    return out


def _block_html(block: Any) -> str:
    from cxplan.present.tables import format_table

    if isinstance(block, Html):
        return str(block)
    if isinstance(block, str):
        return f"<p>{html_lib.escape(block, quote=False)}</p>"
    if hasattr(block, "to_html") and hasattr(block, "columns") and hasattr(block, "footnotes"):
        return str(block.to_html())
    try:
        import pandas as pd

        if isinstance(block, pd.DataFrame | pd.Series):
            return format_table(block).to_html()
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    import altair as alt

    if isinstance(block, alt.TopLevelMixin):
        from cxplan.present.charts import svg_html

        return svg_html(block)  # type: ignore[arg-type]
    raise InputError(
        "a report block must be text, Html, a formatted table, a DataFrame or an altair chart "
        f"(got {type(block).__name__})"
    )


def report_document(
    title: str,
    sections: Sequence[Section],
    *,
    heading: str | None = None,
    subtitle: str | None = None,
    lang: str = "en",
) -> str:
    """Build a complete, offline HTML report: title, sections, tables and charts.

    Parameters
    ----------
    title : str
        ``<title>``, and the ``<h1>`` unless ``heading`` is given.
    sections : sequence of Section
        Each becomes an ``<h2>`` and its blocks (see :class:`Section`).
    heading, subtitle : str, optional
        The ``<h1>`` text and a line under it.
    lang : str
        The document language.

    Returns
    -------
    str
        The HTML document (every text escaped; the stylesheet inline).

    Examples
    --------
    >>> doc = report_document("North <America>", [Section("Summary", ["Peak 90 agents."])])
    >>> "<title>North &lt;America&gt;</title>" in doc
    True
    >>> '<h2 class="cx-first-section">Summary</h2>' in doc
    True
    """
    if not isinstance(title, str) or not title.strip():
        raise InputError(f"title must be a non-empty string (got {title!r})")
    parts = [f"<h1>{html_lib.escape(heading or title, quote=False)}</h1>"]
    if subtitle:
        parts.append(f'<p class="cx-subtitle">{html_lib.escape(subtitle, quote=False)}</p>')
    for number, section in enumerate(sections):
        if not isinstance(section, Section):
            raise InputError(f"sections[{number}] must be a Section (got {type(section).__name__})")
        first = ' class="cx-first-section"' if number == 0 else ""
        parts.append(f"<section>\n<h2{first}>{html_lib.escape(section.heading, quote=False)}</h2>")
        parts.extend(_block_html(block) for block in section.blocks)
        parts.append("</section>")
    body = "\n".join(parts)
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lib.escape(lang, quote=True)}">\n<head>\n'
        '<meta charset="utf-8"/>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0"/>\n'
        f"<title>{html_lib.escape(title, quote=False)}</title>\n"
        f'<style id="{STYLE_ID}">\n{report_css()}</style>\n</head>\n'
        f'<body class="cx-report">\n<main>\n{body}\n</main>\n</body>\n</html>\n'
    )
