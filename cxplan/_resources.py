"""Files cxplan ships besides its code: the report notebooks and the cited defaults.

A wheel carries them in ``cxplan/_bundled/`` (``force-include`` in ``pyproject.toml``); a
source checkout or an editable install reads them from the repository (``notebooks/``,
``params/``). :func:`bundled_file` looks in that order, so both work without configuration.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled_file"]

_PACKAGE = Path(__file__).resolve().parent


def bundled_file(relative: str) -> Path:
    """Return the path of a shipped file, e.g. ``"notebooks/region_report.ipynb"``.

    Parameters
    ----------
    relative : str
        Path below the repository root (``notebooks/…`` or ``params/defaults.yaml``).

    Returns
    -------
    pathlib.Path
        The installed copy (``cxplan/_bundled/<relative>``) when it exists, else the
        repository's file (which may not exist: callers report a missing file themselves).

    Examples
    --------
    >>> bundled_file("notebooks/region_report.ipynb").name
    'region_report.ipynb'
    """
    installed = _PACKAGE / "_bundled" / relative
    if installed.is_file():
        return installed
    return _PACKAGE.parent / relative
