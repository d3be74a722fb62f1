"""Safe file names for regions: one rule shared by parameter validation and the batch runner.

A region's name becomes the stem of its report files, so ``cxplan validate`` and ``cxplan report``
must agree on which names are acceptable: both call :func:`region_slug`.
"""

from __future__ import annotations

import re
import unicodedata

from cxplan.errors import ReportError

__all__ = ["PORTFOLIO", "plain_name", "region_slug"]

#: File stem of the portfolio report; no region may use it.
PORTFOLIO = "portfolio"

_SLUG_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")

# Names are shown in reports and turned into file names: plain words only. Anything that looks
# like code or a path (quotes, brackets, slashes, $, ;, `, |, <, >, =, _) is refused.
_NAME_RE = re.compile(r"^[A-Za-z0-9À-ÖØ-öø-ÿ][A-Za-z0-9À-ÖØ-öø-ÿ &',.-]{0,59}$")


def plain_name(value: str) -> str:
    """Check that a name from a parameter file is plain words (a pydantic validator).

    Raises
    ------
    ValueError
        Anything but letters, digits, spaces and ``- & ' , .`` (at most 60 characters), or
        ``..``.
    """
    if not _NAME_RE.match(value) or ".." in value:
        raise ValueError(
            "must be plain words (letters, digits, spaces, - & ' , .; at most 60 characters)"
        )
    return value


def region_slug(name: str) -> str:
    """Turn a region name into the stem of its report files, refusing anything that could escape.

    Accents are transliterated (``Côte`` → ``cote``), letters lower-cased, and every run of other
    characters (spaces, ``&``, ``,``, ``'`` …) becomes ``-``. Names containing a path separator or
    ``..``, and names that leave no letter or digit, are refused, as is the reserved name
    ``portfolio``.

    Parameters
    ----------
    name : str
        The region name (from the parameter file) or the file stem.

    Returns
    -------
    str
        The slug: ``[a-z0-9][a-z0-9._-]*``, at most 100 characters.

    Raises
    ------
    ReportError
        If no safe slug results, or it is the reserved name ``"portfolio"``.

    Examples
    --------
    >>> region_slug("North America"), region_slug("Asia & Pacific"), region_slug("Côte d'Ivoire")
    ('north-america', 'asia-pacific', 'cote-d-ivoire')
    >>> region_slug("../etc")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cxplan.errors.ReportError: region name '../etc' does not give a safe file name ...
    """
    text = str(name)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9.]+", "-", ascii_text.strip().lower()).strip("-")
    if "/" in text or "\\" in text or ".." in text or not _SLUG_RE.fullmatch(slug):
        raise ReportError(
            f"region name {name!r} does not give a safe file name (letters, digits, spaces and "
            "- & ' , . only; no path separators, no '..', not starting with '.')"
        )
    if slug == PORTFOLIO:
        raise ReportError(f"region name {name!r} is reserved for the portfolio report")
    return slug
