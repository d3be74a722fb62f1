"""Print an HTML report to PDF with headless Chromium; render PDF pages to PNG.

:func:`html_to_pdf` opens the report in Debian's Chromium through playwright (no browser is
downloaded), blocks every request that is not ``file:``, ``data:``, ``blob:`` or ``about:`` (a
report must print offline), switches to print media and prints A4 with the report stylesheet's
page rules (``prefer_css_page_size``: portrait pages, landscape pages for wide tables, margins),
backgrounds, and a header and footer on every page: the report title and region on the left, the
date and "page N of M" on the right.

:func:`pdf_page_images` renders pages to PNG with pypdfium2 (PDFium, Chromium's own PDF engine)
for tests and screenshots; :func:`pdf_page_texts` extracts each page's text.

Chromium is found by :func:`find_chromium`: ``$CXPLAN_CHROMIUM``, then ``/usr/bin/chromium``,
then ``chromium``, ``chromium-browser`` or ``google-chrome`` on ``PATH``. The PDF extra installs
the Python side: ``pip install 'cxplan[pdf]'``; the browser is the system's (``apt-get install
chromium``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import html as html_lib
import io
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cxplan.errors import ReportError

__all__ = [
    "CHROMIUM_ARGS",
    "check_pdf_support",
    "find_chromium",
    "html_to_pdf",
    "pdf_page_images",
    "pdf_page_sizes",
    "pdf_page_texts",
]

#: Chromium flags: headless, no sandbox (containers, root), no GPU, no background traffic.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)
_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
_LOCAL_SCHEMES = frozenset({"file", "data", "blob", "about"})
# Header/footer sit in the page margins (18 mm top, 16 mm bottom, see report.css); their own
# font size must be set, Chromium's default is tiny.
_BAND = (
    "<div style=\"font-family: Helvetica, Arial, 'Liberation Sans', sans-serif; font-size: 8pt; "
    "color: #555555; width: 100%; margin: 0 14mm; display: flex; "
    'justify-content: space-between; -webkit-print-color-adjust: exact;">'
    "<span>{left}</span><span>{right}</span></div>"
)


def find_chromium() -> str:
    """Return the path of the Chromium to print with.

    Raises
    ------
    ReportError
        When none is found (the message says what was tried and how to install one).
    """
    override = os.environ.get("CXPLAN_CHROMIUM")
    candidates = [override] if override else list(_CANDIDATES)
    for candidate in candidates:
        found = candidate if os.path.isabs(candidate) else shutil.which(candidate)
        if found and os.path.isfile(found) and os.access(found, os.X_OK):
            return found
    raise ReportError(
        f"PDF export needs Chromium: none found (tried {', '.join(candidates)}); install it "
        "(Debian: apt-get install chromium) or set CXPLAN_CHROMIUM to its path"
    )


def check_pdf_support() -> str:
    """Check that a PDF can be printed here (playwright installed, Chromium found).

    Returns
    -------
    str
        The Chromium path.

    Raises
    ------
    ReportError
        Saying what is missing and how to install it.
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise ReportError(
            "PDF export needs playwright: pip install 'cxplan[pdf]' (the browser itself is the "
            "system's Chromium)"
        ) from None
    return find_chromium()


def _is_local(url: str) -> bool:
    return urlsplit(url).scheme in _LOCAL_SCHEMES


def _band(left: str, right: str) -> str:
    return _BAND.format(left=left, right=right)


def _print(
    source: Path,
    *,
    header_left: str,
    footer_left: str,
    date_text: str,
    timeout_s: float,
    blocked: list[str],
) -> bytes:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    executable = check_pdf_support()
    timeout_ms = timeout_s * 1000.0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=executable, args=list(CHROMIUM_ARGS), timeout=timeout_ms
            )
            try:
                context = browser.new_context(java_script_enabled=True, offline=True)
                page = context.new_page()

                def route(route: Any) -> None:
                    if _is_local(route.request.url):
                        route.continue_()
                    else:
                        blocked.append(route.request.url)
                        route.abort("blockedbyclient")

                page.route("**/*", route)
                page.goto(source.as_uri(), wait_until="load", timeout=timeout_ms)
                page.emulate_media(media="print")
                pdf: bytes = page.pdf(
                    format="A4",
                    prefer_css_page_size=True,
                    print_background=True,
                    display_header_footer=True,
                    header_template=_band(header_left, date_text),
                    footer_template=_band(
                        footer_left,
                        'Page <span class="pageNumber"></span> of <span class="totalPages"></span>',
                    ),
                    margin={"top": "18mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                )
            finally:
                browser.close()
    except PlaywrightError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReportError(f"Chromium could not print the report: {first}") from None
    if not pdf.startswith(b"%PDF"):
        raise ReportError("Chromium returned no PDF")
    return pdf


def html_to_pdf(
    html: str,
    *,
    title: str,
    region: str | None = None,
    date: dt.date | str | None = None,
    base_dir: str | os.PathLike[str] | None = None,
    timeout_s: float = 120.0,
    blocked: list[str] | None = None,
) -> bytes:
    """Print an HTML report to an A4 PDF with headless Chromium.

    Parameters
    ----------
    html : str
        The report document (e.g. from :func:`cxplan.present.document.finish_report`).
    title : str
        Shown in the footer of every page (escaped).
    region : str, optional
        Shown in the header of every page (default: ``title``).
    date : datetime.date or str, optional
        Shown in the header (default today, or ``$SOURCE_DATE_EPOCH`` when set, for
        reproducible builds).
    base_dir : path-like, optional
        Directory the HTML is loaded from, for relative links to local files (default: a
        temporary directory; a report needs nothing beside it).
    timeout_s : float
        Limit for starting the browser, loading the page and printing.
    blocked : list, optional
        Receives the URL of every request that was refused (a report should make none).

    Returns
    -------
    bytes
        The PDF.

    Raises
    ------
    ReportError
        No playwright or no Chromium here, or Chromium failed.

    Notes
    -----
    Requests to anything but ``file:``, ``data:``, ``blob:`` and ``about:`` URLs are aborted,
    and the browser context is offline. Called from a thread with a running asyncio loop (a
    Jupyter kernel), the printing runs in a worker thread (playwright's synchronous API needs a
    thread without a loop).
    """
    if date is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        when = (
            dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
            if epoch and epoch.isdigit()
            else dt.date.today()
        )
        date_text = f"{when.day} {when:%B %Y}"
    elif isinstance(date, dt.date):
        date_text = f"{date.day} {date:%B %Y}"
    else:
        date_text = str(date)
    header_left = html_lib.escape(region if region is not None else title)
    footer_left = html_lib.escape(title)
    date_html = html_lib.escape(date_text)
    with tempfile.TemporaryDirectory(prefix="cxplan-pdf-", dir=base_dir) as folder:
        source = Path(folder) / "report.html"
        source.write_text(html, encoding="utf-8")

        def run() -> bytes:
            return _print(
                source,
                header_left=header_left,
                footer_left=footer_left,
                date_text=date_html,
                timeout_s=timeout_s,
                blocked=blocked if blocked is not None else [],
            )

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return run()
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(run).result()


def _document(pdf: bytes | str | os.PathLike[str]) -> Any:
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise ReportError("reading PDFs needs pypdfium2: pip install 'cxplan[pdf]'") from None
    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ReportError(f"not a readable PDF: {exc}") from None


def pdf_page_sizes(pdf: bytes | str | os.PathLike[str]) -> list[tuple[float, float]]:
    """Return each page's (width, height) in points (1/72 inch; A4 portrait ≈ 595 × 842)."""
    doc = _document(pdf)
    try:
        sizes = [doc[i].get_size() for i in range(len(doc))]
        return [(float(w), float(h)) for w, h in sizes]
    finally:
        doc.close()


def pdf_page_texts(pdf: bytes | str | os.PathLike[str]) -> list[str]:
    """Return the text of each page (PDFium's text extraction)."""
    doc = _document(pdf)
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            text = page.get_textpage()
            out.append(str(text.get_text_range()))
            text.close()
            page.close()
        return out
    finally:
        doc.close()


def pdf_page_images(
    pdf: bytes | str | os.PathLike[str],
    *,
    dpi: float = 96.0,
    pages: Sequence[int] | None = None,
) -> list[bytes]:
    """Render PDF pages to PNG images (pypdfium2 and Pillow).

    Parameters
    ----------
    pdf : bytes or path-like
        The PDF.
    dpi : float
        Resolution (96: one pixel per CSS pixel; an A4 page is 794 × 1123 px).
    pages : sequence of int, optional
        0-based page numbers (default all).

    Returns
    -------
    list of bytes
        One PNG per page.
    """
    doc = _document(pdf)
    try:
        chosen = range(len(doc)) if pages is None else pages
        out = []
        for i in chosen:
            page = doc[i]
            bitmap = page.render(scale=dpi / 72.0)
            image = bitmap.to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=True)
            out.append(buffer.getvalue())
            page.close()
        return out
    finally:
        doc.close()
