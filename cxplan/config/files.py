"""Where a region's files are: its defaults, its params folder and the data files it names.

A region file is merged over the ``defaults.yaml`` beside it or one folder up
(:func:`find_defaults`); the data files it names (the pilot readout, an interval history) are
relative to the params folder (:func:`params_root`) and reached only through :func:`data_file`,
which keeps them inside it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cxplan.errors import InputError

__all__ = [
    "MAX_DATA_FILE_BYTES",
    "data_file",
    "defaults_candidates",
    "find_defaults",
    "params_root",
    "relative_path",
]


def relative_path(value: str) -> str:
    """Check that a data file a parameter file names is relative and stays below it."""
    if os.path.isabs(value) or ".." in Path(value).parts:
        raise ValueError(f"must be a path relative to the params folder (got {value!r})")
    return value


def find_defaults(path: str | os.PathLike[str]) -> Path | None:
    """Find the ``defaults.yaml`` of a region file: beside it, or one folder up (``params/``).

    The folders are looked up where the region file is *reached* first (a symbolic link to a
    region file kept elsewhere still uses the defaults beside the link), then where it really is.
    """
    real = Path(os.path.realpath(path))
    for candidate in defaults_candidates(path):
        if candidate.is_file() and os.path.realpath(candidate) != str(real):
            return candidate
    return None


def defaults_candidates(path: str | os.PathLike[str]) -> list[Path]:
    """Return the ``defaults.yaml`` files :func:`find_defaults` tries for a region, in order.

    Examples
    --------
    >>> [str(p) for p in defaults_candidates("/client/regions/north.yaml")]
    ['/client/regions/defaults.yaml', '/client/defaults.yaml']
    """
    given = Path(os.path.abspath(path))
    real = Path(os.path.realpath(path))
    folders = [given.parent, given.parent.parent, real.parent, real.parent.parent]
    return [folder / "defaults.yaml" for folder in dict.fromkeys(folders)]  # without repeats


def params_root(
    path: str | os.PathLike[str], defaults_path: str | os.PathLike[str] | None = None
) -> Path:
    """Folder that the data files a region file names are resolved against (and must stay in).

    The folder holding its ``defaults.yaml`` (``params/``), else the region file's own folder;
    both as reached (symbolic links in the path are kept, see :func:`find_defaults`).
    """
    defaults = defaults_path if defaults_path is not None else find_defaults(path)
    anchor = defaults if defaults is not None else path
    return Path(os.path.abspath(anchor)).parent


#: Largest data file a parameter file may name (a pilot readout is a few thousand rows).
MAX_DATA_FILE_BYTES = 256 * 1024 * 1024


def data_file(root: str | os.PathLike[str], relative: str) -> Path:
    """Resolve a data file a parameter file names, relative to the params folder ``root``.

    Every data file (the pilot CSV today, interval histories later) is reached through this
    function: the file must be a regular file inside ``root`` once every symbolic link (of the
    file or of a folder on the way) is followed, so a parameter file cannot make a report read
    ``/etc/passwd`` or another client's folder, and a pipe or device never blocks a run.

    Parameters
    ----------
    root : path-like
        The params folder (see :func:`params_root`).
    relative : str
        The path as written in the parameter file (validated relative, without ``..``).

    Returns
    -------
    pathlib.Path
        The real path of the file.

    Raises
    ------
    InputError
        The file leads outside ``root``, does not exist, is a folder, a pipe, a socket or a
        device, cannot be read, or is larger than :data:`MAX_DATA_FILE_BYTES`.
    """
    folder = Path(os.path.abspath(root))
    candidate = folder / relative
    real = Path(os.path.realpath(candidate))
    real_root = Path(os.path.realpath(folder))
    if real != real_root and real_root not in real.parents:
        raise InputError(
            f"{candidate} leads outside the params folder {folder} (to {real}, through a "
            "symbolic link); data files must stay inside it"
        )
    try:
        info = os.stat(real)
    except FileNotFoundError:
        raise InputError(f"file not found: {candidate}") from None
    except OSError as exc:
        raise InputError(f"cannot read {candidate}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{candidate} is a folder, not a data file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{candidate} is not a regular file (a pipe, socket or device)")
    if info.st_size > MAX_DATA_FILE_BYTES:
        raise InputError(
            f"{candidate} is {info.st_size / 1e6:,.0f} MB; data files may be at most "
            f"{MAX_DATA_FILE_BYTES / 1e6:,.0f} MB"
        )
    if not os.access(real, os.R_OK):
        raise InputError(f"cannot read {candidate}: permission denied")
    return real
