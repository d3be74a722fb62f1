"""Chart files for slides: ``<slug>-<chart>.svg`` and ``.png`` next to a report.

Two ways in:

- from an altair chart: :func:`chart_files` / :func:`write_chart_files` render it in the cxplan
  theme (:mod:`cxplan.present.theme`) with vl-convert;
- from a finished HTML report: :func:`report_chart_files` takes every chart the report shows
  (``<figure class="cxplan-chart">`` from :func:`cxplan.present.charts.svg_html`) and returns
  the same SVG as a file and a PNG rasterised from it, so the files match the report exactly.
  The batch uses this for ``cxplan report --formats svg,png``.

Names come from the chart title (``"Required agents by channel, typical week"`` →
``north-america-required-agents-by-channel-typical-week.svg``); repeated titles get ``-2``, ``-3``.
"""

from __future__ import annotations

import html as html_lib
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cxplan._io import atomic_write_many
from cxplan.errors import InputError

__all__ = [
    "CHART_FORMATS",
    "Figure",
    "chart_files",
    "chart_slug",
    "find_figures",
    "report_chart_files",
    "write_chart_files",
]

#: File formats a chart can be written in.
CHART_FORMATS: tuple[str, ...] = ("svg", "png")

#: PNG resolution: 2 device pixels per CSS pixel (sharp on slides and high-density screens).
PNG_SCALE = 2.0

_FIGURE_RE = re.compile(
    r"<figure\b(?P<attrs>[^>]*\bclass=\"[^\"]*\bcxplan-chart\b[^\"]*\"[^>]*)>(?P<body>.*?)</figure>",
    re.DOTALL,
)
_LABEL_RE = re.compile(r'\baria-label="([^"]*)"')
_SVG_RE = re.compile(r"<svg\b.*</svg>", re.DOTALL)


def chart_slug(title: str, fallback: str = "chart") -> str:
    """Return a file-name slug of a chart title (lower case ASCII, hyphens, ≤ 60 characters).

    Examples
    --------
    >>> chart_slug("Required agents by channel, typical week")
    'required-agents-by-channel-typical-week'
    >>> chart_slug("Coût / contact (€)"), chart_slug("", "chart-3")
    ('cout-contact', 'chart-3')
    """
    ascii_text = unicodedata.normalize("NFKD", str(title)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:60].rstrip("-")
    return slug or fallback


def _formats(formats: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(str(f).lower() for f in formats))
    bad = [f for f in chosen if f not in CHART_FORMATS]
    if bad or not chosen:
        raise InputError(f"chart formats must be among {list(CHART_FORMATS)} (got {list(formats)})")
    return chosen


def _png(svg: str) -> bytes:
    import vl_convert as vlc

    return bytes(vlc.svg_to_png(svg, scale=PNG_SCALE))


def chart_files(
    chart: object, slug: str, name: str | None = None, formats: Iterable[str] = CHART_FORMATS
) -> dict[str, bytes]:
    """Render an altair chart to ``{file name: content}`` (SVG and/or PNG, in the cxplan theme).

    Parameters
    ----------
    chart : altair chart
        E.g. from :mod:`cxplan.present.charts`.
    slug : str
        The report's slug (``"north-america"``), the first part of the file names.
    name : str, optional
        The chart part of the names (default: a slug of the chart's title).
    formats : iterable of {"svg", "png"}

    Returns
    -------
    dict
        ``{"<slug>-<name>.svg": bytes, "<slug>-<name>.png": bytes}``.
    """
    from cxplan.present import charts

    chosen = _formats(formats)
    svg = charts.to_svg(chart)  # type: ignore[arg-type]  # raises InputError for a non-chart
    if name is None:
        title = chart.to_dict(validate=False).get("title", "")  # type: ignore[attr-defined]
        if isinstance(title, dict):
            title = title.get("text", "")
        if isinstance(title, list):
            title = " ".join(map(str, title))
        name = chart_slug(str(title))
    stem = f"{chart_slug(slug, 'report')}-{chart_slug(name)}"
    out: dict[str, bytes] = {}
    if "svg" in chosen:
        out[f"{stem}.svg"] = svg.encode("utf-8")
    if "png" in chosen:
        out[f"{stem}.png"] = _png(svg)
    return out


def write_chart_files(
    chart: object,
    directory: str | os.PathLike[str],
    slug: str,
    name: str | None = None,
    formats: Iterable[str] = CHART_FORMATS,
) -> list[Path]:
    """Write :func:`chart_files` into ``directory`` (atomically, all or none); return the paths."""
    folder = Path(directory)
    rendered = chart_files(chart, slug, name, formats)
    files: dict[str | os.PathLike[str], bytes | str | None] = {
        folder / fname: data for fname, data in rendered.items()
    }
    atomic_write_many(files)
    return [folder / fname for fname in rendered]


@dataclass(frozen=True)
class Figure:
    """A chart found in an HTML report.

    Attributes
    ----------
    title : str
        The chart title (the figure's ``aria-label``).
    svg : str
        The SVG document as embedded.
    end : int
        Offset just after the figure's ``</figure>`` in the HTML.
    """

    title: str
    svg: str
    end: int


def find_figures(html: str) -> list[Figure]:
    """Return every ``<figure class="cxplan-chart">`` chart of an HTML report, in document order."""
    found = []
    for match in _FIGURE_RE.finditer(html):
        label = _LABEL_RE.search(match.group("attrs"))
        svg = _SVG_RE.search(match.group("body"))
        if svg is None:
            continue
        title = html_lib.unescape(label.group(1)) if label else ""
        found.append(Figure(title=title, svg=svg.group(0), end=match.end()))
    return found


def report_chart_files(
    html: str, slug: str, formats: Sequence[str] = CHART_FORMATS
) -> tuple[dict[str, bytes], list[list[tuple[str, str]]]]:
    """Return the chart files of a report and the download links to put under each chart.

    Parameters
    ----------
    html : str
        The report (e.g. from :func:`cxplan.app.batch.export_html`).
    slug : str
        The report's slug.
    formats : sequence of {"svg", "png"}

    Returns
    -------
    files : dict
        ``{file name: bytes}`` for every chart and format.
    links : list of list of (label, file name)
        Per figure, in document order: ``[("SVG", "north-america-roadmap.svg"), ...]``.
    """
    chosen = _formats(formats)
    files: dict[str, bytes] = {}
    links: list[list[tuple[str, str]]] = []
    used: dict[str, int] = {}
    base = chart_slug(slug, "report")
    for number, figure in enumerate(find_figures(html), start=1):
        name = chart_slug(figure.title, f"chart-{number}")
        used[name] = used.get(name, 0) + 1
        if used[name] > 1:
            name = f"{name}-{used[name]}"
        stem = f"{base}-{name}"
        document = figure.svg
        row: list[tuple[str, str]] = []
        if "svg" in chosen:
            files[f"{stem}.svg"] = document.encode("utf-8")
            row.append(("SVG", f"{stem}.svg"))
        if "png" in chosen:
            files[f"{stem}.png"] = _png(document)
            row.append(("PNG", f"{stem}.png"))
        links.append(row)
    return files, links
