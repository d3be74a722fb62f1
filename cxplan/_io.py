"""Atomic file writes: readers see the old file or the complete new one, never a half-written one.

Shared by the batch runner (:mod:`cxplan.app.batch`), the result files of the reports and the
exports (:mod:`cxplan.present`). A new content goes to a temporary file beside its target
(``tempfile.mkstemp`` in the same directory), is flushed and ``fsync``-ed, then ``os.replace``-d
over the target; the directory is ``fsync``-ed afterwards.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["atomic_write", "atomic_write_many"]


def _write_temp(target: Path, data: bytes | str) -> str:
    """Write ``data`` to a new temporary file beside ``target`` (fsync-ed); return its path.

    The temporary file gets ``target``'s permission bits (``0o644`` for a new file). On any
    exception it is removed.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = os.stat(target).st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp, mode)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def atomic_write(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write a file so that readers see either the old or the complete new content.

    The data goes to a temporary file in the same directory, is flushed and ``fsync``-ed, then
    ``os.replace``-d over ``path``; the directory is ``fsync``-ed afterwards. On any exception,
    including ``KeyboardInterrupt``, the temporary file is removed and ``path`` is unchanged.

    Parameters
    ----------
    path : str or os.PathLike
        The destination; its directory must exist. An existing file keeps its permission bits,
        a new one gets ``0o644``.
    data : bytes or str
        The content (``str`` is encoded as UTF-8).
    """
    atomic_write_many({path: data})


def atomic_write_many(files: Mapping[str | os.PathLike[str], bytes | str | None]) -> None:
    """Replace several files together: all new, or (on a write failure) all untouched.

    Every new content is first written to its own temporary file (flushed and ``fsync``-ed);
    only when all of them are on disk are they renamed over their targets, one ``os.replace``
    each, and targets given ``None`` removed. A failure while writing (a full disk, no
    permission, ``KeyboardInterrupt``) removes the temporary files and leaves every target as it
    was, so a report's ``.json``, ``.ipynb`` and ``.html`` never get out of step.

    Parameters
    ----------
    files : mapping of path to bytes, str or None
        Destination → content; ``None`` removes the destination (after the renames).
    """
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            if data is not None:
                target = Path(path)
                temps.append((_write_temp(target, data), target))
    except BaseException:
        for tmp, _ in temps:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise
    renamed = 0
    try:
        for tmp, target in temps:
            os.replace(tmp, target)
            renamed += 1
    except BaseException:  # a rename failed or was interrupted: leave no temporary file behind
        for tmp, _ in temps[renamed:]:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise
    for path, data in files.items():
        if data is None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
    for folder in {target.parent for _, target in temps}:
        _fsync_dir(folder)
