"""Where a value of a parameter file came from: file and line of every key and list item.

:class:`Locator` maps a location (``("tiers", 2, "price")``) in a YAML document, or in several
merged over each other (defaults, then a region file), to the file and 1-based line it came
from; :func:`cxplan.config.yamlfile.load_yaml` builds one per file. :func:`format_location`
writes a location as people read it (``tiers[2].price``).
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Mapping, Sequence
from typing import NamedTuple

__all__ = ["Locator", "PathPart", "format_location"]

PathPart = Hashable
"""One step of a location: a mapping key (usually ``str``) or a list index (``int``)."""


class _Entry(NamedTuple):
    line: int
    kind: str  # "map", "seq" or "scalar"


def format_location(parts: Sequence[PathPart]) -> str:
    """Render a location as a dotted field name: ``("tiers", 2, "price")`` -> ``tiers[2].price``.

    Parameters
    ----------
    parts : sequence
        Mapping keys and list indices.

    Returns
    -------
    str
        The dotted name (empty for the top level).

    Examples
    --------
    >>> format_location(("voice", "aht_s"))
    'voice.aht_s'
    >>> format_location(("tiers", 2, "price"))
    'tiers[2].price'
    """
    text = ""
    for part in parts:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def _describe_path(parts: Sequence[PathPart]) -> str:
    return format_location(parts) or "(top level)"


def _is_label(part: object) -> bool:
    """Whether a pydantic location element names a validator/union member, not a key."""
    return isinstance(part, str) and any(c in part for c in "[](),")


class _Layer(NamedTuple):
    path: str
    entries: Mapping[tuple[PathPart, ...], _Entry]


class Locator:
    """Map locations in a (possibly merged) YAML document to the file and line they came from.

    A locator made by :func:`load_yaml` has one layer (one file). :meth:`overlay` stacks a second
    file's locator on top, mirroring :func:`merge`: a location resolves to the top file when the key
    exists there (or when the top file replaced an enclosing list/scalar), otherwise to the file
    below.

    Parameters
    ----------
    path : str or os.PathLike
        The file name shown in messages.
    entries : Mapping
        ``location tuple -> (line, kind)`` with kind ``"map"``, ``"seq"`` or ``"scalar"``; the empty
        tuple is the document root.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        entries: Mapping[tuple[PathPart, ...], tuple[int, str]],
    ) -> None:
        table = {key: _Entry(*value) for key, value in entries.items()}
        table.setdefault((), _Entry(1, "map"))
        self._layers: tuple[_Layer, ...] = (_Layer(os.fspath(path), table),)

    @classmethod
    def _from_layers(cls, layers: tuple[_Layer, ...]) -> Locator:
        new = cls.__new__(cls)
        new._layers = layers
        return new

    @property
    def path(self) -> str:
        """The file name of the top layer (the file loaded last)."""
        return self._layers[-1].path

    @property
    def paths(self) -> tuple[str, ...]:
        """All file names, bottom (defaults) first."""
        return tuple(layer.path for layer in self._layers)

    def overlay(self, top: Locator) -> Locator:
        """Stack ``top`` (e.g. a region file) over this locator (e.g. the defaults file).

        Parameters
        ----------
        top : Locator
            The locator of the document that was merged on top (the ``override`` of :func:`merge`).

        Returns
        -------
        Locator
            A locator for ``merge(this_data, top_data)``.
        """
        return Locator._from_layers(self._layers + top._layers)

    def subtree(self, prefix: Sequence[PathPart]) -> Locator:
        """Return a one-file locator for the part of the top file under ``prefix``.

        Locations of the result are relative to ``prefix`` (the mapping found there is its
        document root), with the lines of the top file: a scenario's overlay
        (``scenarios.NAME`` of a region file) located like a file of its own.

        Parameters
        ----------
        prefix : sequence
            Keys (and list indices) of the top file, e.g. ``("scenarios", "conservative")``.

        Returns
        -------
        Locator
            Its single layer has the top file's name.

        Examples
        --------
        >>> loc = Locator("r.yaml", {("s",): (3, "map"), ("s", "a"): (4, "map"),
        ...                          ("s", "a", "x"): (5, "scalar")})
        >>> sub = loc.subtree(("s", "a"))
        >>> sub.locate(("x",)), sub.locate(())
        (('r.yaml', 5), ('r.yaml', 4))
        """
        top = self._layers[-1]
        size = len(prefix)
        key = tuple(prefix)
        entries = {
            parts[size:]: entry
            for parts, entry in top.entries.items()
            if len(parts) >= size and parts[:size] == key
        }
        if () not in entries:
            entries[()] = top.entries.get((), _Entry(1, "map"))
        return Locator._from_layers((_Layer(top.path, entries),))

    def pinned(self, path: str | os.PathLike[str], line: int) -> Locator:
        """Return a one-file locator that knows the same locations, all on one line of ``path``.

        Under a scenario's overlay, a problem with a value the scenario did not write (a rule
        across fields it broke) is reported on the scenario's own line.

        Examples
        --------
        >>> loc = Locator("d.yaml", {("a",): (3, "map"), ("a", "b"): (4, "scalar")})
        >>> loc.pinned("r.yaml", 9).locate(("a", "b"))
        ('r.yaml', 9)
        """
        entries: dict[tuple[PathPart, ...], _Entry] = {}
        for layer in self._layers:
            for parts, entry in layer.entries.items():
                entries[parts] = _Entry(line, entry.kind)
        return Locator._from_layers((_Layer(os.fspath(path), entries),))

    def _exists(self, parts: tuple[PathPart, ...]) -> bool:
        return any(parts in layer.entries for layer in self._layers)

    def _kind_at(self, parts: tuple[PathPart, ...]) -> str | None:
        for layer in reversed(self._layers):
            entry = layer.entries.get(parts)
            if entry is not None:
                return entry.kind
        return None

    def field_path(self, loc: Sequence[PathPart], *, missing: bool = False) -> tuple[PathPart, ...]:
        """Reduce a pydantic error location to the document location it refers to.

        Keys and indices present in the document are kept. Anything else is one of pydantic's
        labels (``function-after[...]``, ``constrained-float``, a union member such as ``Tier``
        or ``int``, a discriminator tag) and is dropped -- except the last element of the
        location of a missing required field (``missing=True``).

        Parameters
        ----------
        loc : sequence
            A pydantic ``loc`` tuple, e.g. ``("tiers", 2, "price")``.
        missing : bool, optional
            The location names a required field that is absent (pydantic error type
            ``"missing"``).

        Returns
        -------
        tuple
            The location in the document.
        """
        parts: list[PathPart] = []
        last = len(loc) - 1
        for index, part in enumerate(loc):
            if _is_label(part):
                continue
            if self._exists((*parts, part)) or (missing and index == last):
                parts.append(part)
        return tuple(parts)

    def locate(self, loc: Sequence[PathPart], *, missing: bool = False) -> tuple[str, int]:
        """Find the file and the best line for a location.

        The line is that of the key (or list item) itself when it exists, otherwise that of the
        nearest enclosing key that exists. A location present in several files belongs to the
        file loaded last, unless a list or value there was replaced wholesale by it. A missing
        required field (``missing=True``) is reported in the file loaded last (it belongs in
        the region file, not in the shared defaults), unless it is missing inside a list item
        that came from an earlier file.

        Parameters
        ----------
        loc : sequence
            A pydantic ``loc`` tuple or a document location.
        missing : bool, optional
            The location names a required field that is absent.

        Returns
        -------
        (str, int)
            The file name and the 1-based line.
        """
        parts = self.field_path(loc, missing=missing)
        top = self._layers[-1]
        in_list = any(isinstance(p, int) and not isinstance(p, bool) for p in parts[:-1])
        if missing and not in_list:
            depth = 0
            while depth < len(parts) and parts[: depth + 1] in top.entries:
                depth += 1
            return top.path, top.entries[parts[:depth]].line
        best: tuple[int, _Layer] = (0, top)
        cap = len(parts)
        for layer in reversed(self._layers):  # top layer first; it wins ties
            depth = 0
            blocked_at: int | None = None
            while depth < cap and parts[: depth + 1] in layer.entries:
                depth += 1
                if blocked_at is None and layer.entries[parts[:depth]].kind != "map":
                    blocked_at = depth
            if depth > best[0]:
                best = (depth, layer)
            if blocked_at is not None:
                # This layer replaced a list/scalar: layers below cannot own anything under it.
                cap = min(cap, blocked_at - 1)
        depth, layer = best
        return layer.path, layer.entries[parts[:depth]].line

    def line(self, loc: Sequence[PathPart]) -> int:
        """Return the best line for ``loc`` (see :meth:`locate`)."""
        return self.locate(loc)[1]
