"""Line-aware, safe YAML loading for parameter files.

:func:`load_yaml` reads one YAML file into plain Python data (``dict``, ``list``, ``str``, ``int``,
``float``, ``bool``, ``None``) together with a :class:`Locator` that remembers the line of every key
and list item. :func:`load_model` merges a defaults file with a region file (:func:`merge`),
validates the result with a pydantic model and turns every validation problem into one line
``file:line: dotted.field: message (got value)`` (:func:`format_validation_error`), pointing at the
file the offending value came from.

Safety
------
- Only plain data is built: the document is *composed* with PyYAML's pure-Python ``SafeLoader``
  machinery and converted by this module; any explicit tag other than the standard ``!!str``,
  ``!!int``, ``!!float``, ``!!bool``, ``!!null``, ``!!map`` and ``!!seq`` (``!!python/object``,
  ``!!binary``, ``!!set``, local ``!tags`` ...) is rejected, so nothing is ever instantiated or
  evaluated.
- Anchors and aliases (and ``<<`` merge keys) are supported, but every node reached again through an
  alias counts against :data:`MAX_ALIAS_NODES`; a "billion laughs" document fails after at most that
  many node visits, in bounded time and memory. Recursive aliases are rejected.
- Files larger than :data:`MAX_FILE_BYTES` are refused; nesting too deep for the parser is reported
  as an error instead of a ``RecursionError``.
- Duplicate keys in one mapping are an error (PyYAML silently keeps the last one).

Scalars follow the YAML 1.2 core schema, not PyYAML's YAML 1.1 defaults
------------------------------------------------------------------------
========================  ==================  ===================================================
written                   PyYAML (YAML 1.1)   here (YAML 1.2 core)
========================  ==================  ===================================================
``yes`` ``no`` ``on``     ``True``/``False``  the string as written (``country: NO`` stays "NO";
``off`` ``y`` ``n``                           pydantic still accepts ``yes``/``no`` for a bool
                                              field)
``true`` ``False``        bool                bool
``0755`` ``01234``        493 (octal)         the string as written (leading zeros are kept; a
                                              pydantic ``int`` field still parses it as 755)
``0o755`` ``0x1F``        str / 31            493 / 31
``1_000``                 1000                1000
``1e3``                   the string "1e3"    1000.0
``8:30``                  510 (base 60)       the string "8:30"
``2024-01-31``            ``datetime.date``   the string "2024-01-31" (pydantic parses dates)
``~`` ``null`` (empty)    ``None``            ``None``
========================  ==================  ===================================================

Quoted scalars are always strings.
"""

from __future__ import annotations

import codecs
import difflib
import math
import os
import re
import types
import typing
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cxplan.errors import ParamsError

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_FILE_BYTES",
    "Locator",
    "format_location",
    "format_validation_error",
    "load_model",
    "load_yaml",
    "merge",
    "read_layers",
]

MAX_ALIAS_NODES = 10_000
"""Most nodes a document may re-visit through aliases (anchors expanded more than once)."""

MAX_FILE_BYTES = 5_000_000
"""Largest parameter file accepted, in bytes."""

_REPR_LIMIT = 60

PathPart = Hashable
"""One step of a location: a mapping key (usually ``str``) or a list index (``int``)."""

ModelT = TypeVar("ModelT", bound=BaseModel)

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_MAP, _SEQ, _MERGE = _TAG + "map", _TAG + "seq", _TAG + "merge"

_DEC = r"[0-9](?:_?[0-9])*"
_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT_RE = re.compile(
    r"^(?:[-+]?(?:0|[1-9](?:_?[0-9])*)|0x[0-9a-fA-F](?:_?[0-9a-fA-F])*|0o[0-7](?:_?[0-7])*)$"
)
_FLOAT_RE = re.compile(
    rf"^(?:[-+]?(?:{_DEC})?\.{_DEC}(?:[eE][-+]?[0-9]+)?"  # 1.5  .5  1.5e3
    rf"|[-+]?{_DEC}\.?(?:[eE][-+]?[0-9]+)"  # 1e3  1.e3
    rf"|[-+]?{_DEC}\."  # 1.
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")
_MERGE_RE = re.compile(r"^<<$")


def _implicit_resolvers() -> dict[str | None, list[tuple[str, re.Pattern[str]]]]:
    """Build the YAML 1.2 core schema resolver table (first character -> [(tag, regexp)])."""
    table: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}

    def add(tag: str, regexp: re.Pattern[str], first: Sequence[str]) -> None:
        for char in first:
            table.setdefault(char, []).append((tag, regexp))

    add(_BOOL, _BOOL_RE, "tTfF")
    add(_INT, _INT_RE, "-+0123456789")  # before float: "1" is an int
    add(_FLOAT, _FLOAT_RE, "-+0123456789.")
    add(_NULL, _NULL_RE, ["~", "n", "N", ""])
    add(_MERGE, _MERGE_RE, "<")
    return table


class _Loader(yaml.SafeLoader):
    """PyYAML's pure-Python safe composer with YAML 1.2 core scalar resolution.

    Only the composer (events -> nodes) is used; construction of Python objects is done by
    :class:`_Builder`, which never looks up constructors by tag.
    """

    yaml_implicit_resolvers = _implicit_resolvers()


class _Entry(NamedTuple):
    line: int
    kind: str  # "map", "seq" or "scalar"


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "map"
    if isinstance(node, SequenceNode):
        return "seq"
    return "scalar"


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _describe_path(parts: Sequence[PathPart]) -> str:
    return format_location(parts) or "(top level)"


class _BuildError(Exception):
    """A problem found while converting nodes to data (carries its 1-based line)."""

    def __init__(self, line: int, where: str, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.where = where
        self.message = message


class _Builder:
    """Convert a composed node graph into plain data, recording the line of every location."""

    def __init__(self, max_alias_nodes: int) -> None:
        self.entries: dict[tuple[PathPart, ...], _Entry] = {}
        self.max_alias_nodes = max_alias_nodes
        self.revisits = 0
        self._seen: set[int] = set()
        self._active: set[int] = set()

    def build(self, node: Node, path: tuple[PathPart, ...]) -> Any:
        ident = id(node)
        if ident in self._active:
            raise _BuildError(
                node.start_mark.line + 1, _describe_path(path), "recursive alias is not allowed"
            )
        if ident in self._seen:
            self.revisits += 1
            if self.revisits > self.max_alias_nodes:
                raise _BuildError(
                    node.start_mark.line + 1,
                    _describe_path(path),
                    f"aliases expand to more than {self.max_alias_nodes} nodes "
                    "(refusing a possible alias bomb)",
                )
        self._seen.add(ident)
        self._active.add(ident)
        try:
            if isinstance(node, MappingNode):
                return self._mapping(node, path)
            if isinstance(node, SequenceNode):
                return self._sequence(node, path)
            return self._scalar(node, path)
        finally:
            self._active.discard(ident)

    def _record(self, path: tuple[PathPart, ...], line: int, kind: str) -> None:
        if path in self.entries:  # an explicit key overriding a merged (<<) one: drop stale entries
            size = len(path)
            for key in [k for k in self.entries if len(k) > size and k[:size] == path]:
                del self.entries[key]
        self.entries[path] = _Entry(line, kind)

    def _sequence(self, node: SequenceNode, path: tuple[PathPart, ...]) -> list[Any]:
        if node.tag != _SEQ:
            raise _BuildError(
                node.start_mark.line + 1,
                _describe_path(path),
                f"unsupported tag {_short_tag(node.tag)}",
            )
        items: list[Any] = []
        for index, item in enumerate(node.value):
            sub = (*path, index)
            self._record(sub, item.start_mark.line + 1, _kind(item))
            items.append(self.build(item, sub))
        return items

    def _mapping(self, node: MappingNode, path: tuple[PathPart, ...]) -> dict[Any, Any]:
        if node.tag != _MAP:
            raise _BuildError(
                node.start_mark.line + 1,
                _describe_path(path),
                f"unsupported tag {_short_tag(node.tag)}",
            )
        result: dict[Any, Any] = {}
        explicit: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == _MERGE:
                self._merge_into(result, value_node, path)
            else:
                explicit.append((key_node, value_node))
        first_line: dict[Any, int] = {}
        for key_node, value_node in explicit:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                raise _BuildError(
                    key_line, _describe_path(path), "complex (list or mapping) keys are not allowed"
                )
            key = self._scalar(key_node, path)
            if key in first_line:
                raise _BuildError(
                    key_line,
                    _describe_path((*path, key)),
                    f"duplicate key {key!r} (first at line {first_line[key]})",
                )
            first_line[key] = key_line
            sub = (*path, key)
            self._record(sub, key_line, _kind(value_node))
            result[key] = self.build(value_node, sub)
        return result

    def _merge_into(self, result: dict[Any, Any], value: Node, path: tuple[PathPart, ...]) -> None:
        sources = value.value if isinstance(value, SequenceNode) else [value]
        # Earlier sources win over later ones (YAML merge key spec), explicit keys win over all.
        for source in reversed(sources):
            if not isinstance(source, MappingNode):
                raise _BuildError(
                    source.start_mark.line + 1,
                    _describe_path(path),
                    "a merge key (<<) must refer to a mapping or a list of mappings",
                )
            result.update(self.build(source, path))

    def _scalar(self, node: Node, path: tuple[PathPart, ...]) -> Any:
        line = node.start_mark.line + 1
        where = _describe_path(path)
        if not isinstance(node, ScalarNode):
            raise _BuildError(line, where, "expected a plain value")
        text: str = node.value
        tag = node.tag
        if tag == _STR:
            return text
        if tag == _NULL:
            if _NULL_RE.match(text):
                return None
        elif tag == _BOOL:
            if text.lower() in ("true", "false"):
                return text.lower() == "true"
        elif tag == _INT:
            number = text.replace("_", "")
            try:
                if number.startswith(("0x", "0X")):
                    return int(number[2:], 16)
                if number.startswith(("0o", "0O")):
                    return int(number[2:], 8)
                return int(number, 10)
            except ValueError:
                pass
        elif tag == _FLOAT:
            number = text.replace("_", "").lower()
            if number in (".inf", "+.inf", "-.inf"):
                return -math.inf if number.startswith("-") else math.inf
            if number == ".nan":
                return math.nan
            try:
                return float(number)
            except ValueError:
                pass
        elif tag == _MERGE:
            raise _BuildError(line, where, "a merge key (<<) is only allowed as a mapping key")
        else:
            raise _BuildError(line, where, f"unsupported tag {_short_tag(tag)}")
        kind = tag.rsplit(":", 1)[-1]
        raise _BuildError(line, where, f"{_safe_repr(text)} is not a valid {kind}")


def _safe_repr(value: Any) -> str:
    """``repr`` of a user value, truncated; control characters come out escaped."""
    text = repr(value)
    if len(text) > _REPR_LIMIT:
        text = text[: _REPR_LIMIT - 3] + "..."
    return text


def _line_of_offset(data: bytes | str, offset: int) -> int:
    newline: Any = b"\n" if isinstance(data, bytes) else "\n"
    return data[:offset].count(newline) + 1


def _decode(display: str, raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)):
        raise ParamsError(f"{display}:1: file is UTF-16/32 encoded; save it as UTF-8")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of_offset(raw, exc.start)
        raise ParamsError(
            f"{display}:{line}: not valid UTF-8: byte 0x{raw[exc.start]:02x} at offset "
            f"{exc.start}; save the file as UTF-8"
        ) from None


def _yaml_problem(display: str, text: str, exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        line = exc.problem_mark.line + 1
        problem = exc.problem or "invalid YAML"
        if problem.startswith("but found another document"):
            return f"{display}:{line}: yaml: found a second document (---); use one per file"
        if exc.context and exc.context_mark is not None:
            problem += f" ({exc.context} at line {exc.context_mark.line + 1})"
        if "'\\t'" in problem:
            problem += "; indent with spaces, not tabs"
        return f"{display}:{line}: yaml: {problem}"
    if isinstance(exc, yaml.reader.ReaderError):
        line = _line_of_offset(text, exc.position)
        return f"{display}:{line}: yaml: control character #x{exc.character:04x} is not allowed"
    return f"{display}:1: yaml: {exc}"


def load_yaml(
    path: str | os.PathLike[str], *, max_alias_nodes: int = MAX_ALIAS_NODES
) -> tuple[Any, Locator]:
    """Read one YAML document safely and record where every key and list item is.

    Parameters
    ----------
    path : str or os.PathLike
        The file to read. It is shown in error messages exactly as given.
    max_alias_nodes : int, optional
        Most nodes the document may re-visit through aliases (default :data:`MAX_ALIAS_NODES`).

    Returns
    -------
    data : object
        Plain data: ``dict``/``list``/``str``/``int``/``float``/``bool``/``None`` (YAML 1.2 core
        schema, see the module docstring).
    locator : Locator
        Maps locations in ``data`` (e.g. ``("tiers", 2, "price")``) to line numbers of ``path``.

    Raises
    ------
    ParamsError
        One ``file:line: ...`` line when the file cannot be read, is empty, is not UTF-8, is not
        valid YAML, holds several documents, has a duplicate key, an unsupported tag, a recursive
        alias or aliases that expand past ``max_alias_nodes``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.yaml"
    >>> _ = p.write_text(chr(10).join(["voice:", "  aht_s: 300", "  country: NO"]))
    >>> data, loc = load_yaml(p)
    >>> data
    {'voice': {'aht_s': 300, 'country': 'NO'}}
    >>> loc.line(("voice", "aht_s"))
    2
    """
    display = os.fspath(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ParamsError(f"{display}: file not found") from None
    except IsADirectoryError:
        raise ParamsError(f"{display}: is a directory, not a file") from None
    except OSError as exc:
        raise ParamsError(f"{display}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ParamsError(f"{display}:1: file is larger than {MAX_FILE_BYTES} bytes")
    if not raw.strip():
        raise ParamsError(f"{display}:1: file is empty")
    text = _decode(display, raw)
    try:
        loader = _Loader(text)
    except yaml.YAMLError as exc:  # the reader rejects control characters up front
        raise ParamsError(_yaml_problem(display, text, exc)) from None
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise ParamsError(_yaml_problem(display, text, exc)) from None
    except RecursionError:
        raise ParamsError(f"{display}:1: yaml: nesting is too deep") from None
    finally:
        loader.dispose()
    if root is None:
        raise ParamsError(f"{display}:1: file is empty (only comments or blank lines)")
    builder = _Builder(max_alias_nodes)
    builder.entries[()] = _Entry(root.start_mark.line + 1, _kind(root))
    try:
        data = builder.build(root, ())
    except _BuildError as exc:
        raise ParamsError(f"{display}:{exc.line}: {exc.where}: {exc.message}") from None
    except RecursionError:
        raise ParamsError(f"{display}:1: yaml: nesting is too deep") from None
    return data, Locator(display, builder.entries)


def merge(defaults: Mapping[Any, Any], override: Mapping[Any, Any]) -> dict[Any, Any]:
    """Deep-merge two mappings: ``override`` wins.

    Mappings present on both sides are merged recursively; anything else in ``override`` (lists,
    scalars, ``None``) replaces the value in ``defaults`` wholesale. Neither input is modified;
    values that are not merged are shared with the inputs, not copied.

    Parameters
    ----------
    defaults, override : Mapping
        The base document and the document layered on top of it.

    Returns
    -------
    dict
        The merged document.

    Examples
    --------
    >>> merge({"voice": {"aht_s": 300, "sl": 0.8}, "tiers": [1, 2]},
    ...       {"voice": {"aht_s": 280}, "tiers": [3]})
    {'voice': {'aht_s': 280, 'sl': 0.8}, 'tiers': [3]}
    """
    result = dict(defaults)
    for key, value in override.items():
        base = result.get(key)
        if isinstance(base, Mapping) and isinstance(value, Mapping):
            result[key] = merge(base, value)
        else:
            result[key] = value
    return result


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


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Every pydantic model class mentioned in a type annotation (through list/dict/Optional)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    if typing.get_origin(annotation) is not None or isinstance(annotation, types.UnionType):
        for arg in typing.get_args(annotation):
            found.extend(_models_in(arg))
    return found


def _field_names(model: type[BaseModel]) -> set[str]:
    names: set[str] = set()
    for name, field in model.model_fields.items():
        names.add(name)
        for alias in (field.alias, field.validation_alias):
            if isinstance(alias, str):
                names.add(alias)
    return names


def _models_at(model: type[BaseModel], parts: Sequence[PathPart]) -> list[type[BaseModel]]:
    current = [model]
    for part in parts:
        if isinstance(part, int):
            continue  # list index: _models_in already looked inside list[...]
        following: list[type[BaseModel]] = []
        for candidate in current:
            field = candidate.model_fields.get(str(part))
            if field is None:
                field = next((f for f in candidate.model_fields.values() if f.alias == part), None)
            if field is not None:
                following.extend(_models_in(field.annotation))
        if not following:
            return []
        current = following
    return current


def _suggest(
    model: type[BaseModel] | None, parent: Sequence[PathPart], key: PathPart
) -> str | None:
    if model is None:
        return None
    names: set[str] = set()
    for candidate in _models_at(model, parent):
        names |= _field_names(candidate)
    lowered = {name.lower(): name for name in names}
    if str(key).lower() in lowered:
        return lowered[str(key).lower()]
    matches = difflib.get_close_matches(str(key), sorted(names), n=1, cutoff=0.6)
    return matches[0] if matches else None


_TYPE_MESSAGES = {
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "decimal_parsing": "expected a number",
    "decimal_type": "expected a number",
    "finite_number": "must be a finite number",
    "bool_parsing": "expected true or false",
    "bool_type": "expected true or false",
    "string_type": "expected text",
    "dict_type": "expected a mapping of keys",
    "model_type": "expected a mapping of keys",
    "model_attributes_type": "expected a mapping of keys",
    "dataclass_type": "expected a mapping of keys",
    "list_type": "expected a list",
    "tuple_type": "expected a list",
    "set_type": "expected a list",
    "date_parsing": "expected a date (YYYY-MM-DD)",
    "date_type": "expected a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "expected a date (YYYY-MM-DD)",
    "datetime_parsing": "expected a date and time (YYYY-MM-DDTHH:MM:SS)",
    "datetime_type": "expected a date and time (YYYY-MM-DDTHH:MM:SS)",
    "time_parsing": "expected a time of day (HH:MM)",
    "time_type": "expected a time of day (HH:MM)",
    "none_required": "must be empty (null)",
}

_BOUND_MESSAGES = {
    "greater_than": ("must be >", "gt"),
    "greater_than_equal": ("must be >=", "ge"),
    "less_than": ("must be <", "lt"),
    "less_than_equal": ("must be <=", "le"),
    "multiple_of": ("must be a multiple of", "multiple_of"),
}


class _Problem(NamedTuple):
    parts: tuple[PathPart, ...]
    kind: str
    message: str  # without the "(got ...)" suffix
    got: str | None  # the echoed value, or None
    labelled: bool  # the pydantic location had labels (union members, validators)
    group: tuple[PathPart, ...]  # the location before any relocation (for union grouping)


def _relocate(
    error: Mapping[str, Any],
    message: str,
    parts: tuple[PathPart, ...],
    model: type[BaseModel] | None,
) -> tuple[tuple[PathPart, ...], str]:
    """Move a model validator's error onto the field its message starts with.

    ``raise ValueError("intraday_profile must have 24 values")`` in a model validator of
    ``forecast`` becomes ``forecast.intraday_profile: must have 24 values``.
    """
    head, _, rest = message.partition(" ")
    value = error.get("input")
    if not rest or not isinstance(value, Mapping):
        return parts, message
    names = {str(key) for key in value}
    if model is not None:
        for candidate in _models_at(model, parts):
            names |= _field_names(candidate)
    if head in names:
        return (*parts, head), rest
    return parts, message


def _problem(
    error: Mapping[str, Any],
    parts: tuple[PathPart, ...],
    model: type[BaseModel] | None,
    labelled: bool,
) -> _Problem:
    kind: str = error["type"]
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    echo = "input" in error
    group = parts
    if kind == "missing":
        return _Problem(parts, kind, "required field is missing", None, labelled, group)
    if kind == "extra_forbidden":
        key = parts[-1] if parts else ""
        hint = _suggest(model, parts[:-1], key)
        message = "unknown key" + (f" (did you mean {hint!r}?)" if hint else "")
        return _Problem(parts, kind, message, None, labelled, group)
    if kind in _BOUND_MESSAGES:
        text, name = _BOUND_MESSAGES[kind]
        message = f"{text} {_number(ctx.get(name))}"
    elif kind in _TYPE_MESSAGES:
        message = _TYPE_MESSAGES[kind]
    elif kind in ("too_short", "too_long"):
        bound = ctx.get("min_length" if kind == "too_short" else "max_length")
        word = "at least" if kind == "too_short" else "at most"
        message = f"must have {word} {bound} item{'s' if bound != 1 else ''}"
    elif kind in ("string_too_short", "string_too_long"):
        bound = ctx.get("min_length" if kind == "string_too_short" else "max_length")
        word = "at least" if kind == "string_too_short" else "at most"
        message = f"must be {word} {bound} character{'s' if bound != 1 else ''} long"
    elif kind == "string_pattern_mismatch":
        message = f"must match the pattern {ctx.get('pattern')!r}"
    elif kind in ("literal_error", "enum"):
        message = f"must be {ctx.get('expected')}"
    elif kind in ("value_error", "assertion_error"):
        message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        # A model validator's message describes the problem; echoing the whole mapping is noise.
        echo = not isinstance(error.get("input"), Mapping)
        parts, message = _relocate(error, message, parts, model)
    elif kind == "union_tag_invalid":
        message = (
            f"{ctx.get('discriminator')} must be one of {ctx.get('expected_tags')} "
            f"(got {_safe_repr(ctx.get('tag'))})"
        )
    elif kind == "union_tag_not_found":
        message = f"missing the key {ctx.get('discriminator')} that selects the kind"
        echo = False
    else:
        text = str(error["msg"]).replace("Input should be", "must be")
        message = text[:1].lower() + text[1:]
    if "(got " in message:
        echo = False
    got = _safe_repr(error["input"]) if echo and "input" in error else None
    return _Problem(parts, kind, message, got, labelled, group)


def _merge_union_problems(problems: list[_Problem]) -> list[_Problem]:
    """One line per field for a value that failed every member of a union.

    When one member got far enough to raise a real problem (e.g. ``band_starts must be
    increasing`` from the ``Tiers`` member of ``float | Tiers``), the other members'
    "expected a number" shape errors are dropped; when every member only rejected the shape,
    their expectations are joined: ``expected a number or a mapping of keys (got 'abc')``.
    """

    def is_shape(p: _Problem) -> bool:
        # "must be a finite number" is a real problem with the value, not a shape mismatch
        return p.kind in _TYPE_MESSAGES and p.kind != "finite_number"

    groups: dict[tuple[PathPart, ...], list[int]] = {}
    for index, problem in enumerate(problems):
        if problem.labelled:
            groups.setdefault(problem.group, []).append(index)
    drop: set[int] = set()
    replace: dict[int, _Problem] = {}
    # a member that got further (a real problem at this field or deeper inside it) makes the
    # other members' shape errors noise
    real = [p.group for p in problems if p.labelled and not is_shape(p)]
    for group, members in groups.items():
        shape = [i for i in members if is_shape(problems[i])]
        deeper = any(g[: len(group)] == group and (len(g) > len(group) or g == group) for g in real)
        if shape and deeper:
            drop.update(shape)
            continue
        if len(members) < 2:
            continue
        wanted = list(dict.fromkeys(problems[i].message.removeprefix("expected ") for i in shape))
        first = problems[shape[0]]
        replace[shape[0]] = first._replace(message="expected " + " or ".join(wanted))
        drop.update(shape[1:])
    return [replace.get(i, p) for i, p in enumerate(problems) if i not in drop]


def format_validation_error(
    path: str | os.PathLike[str],
    exc: ValidationError,
    locator: Locator | None = None,
    *,
    model: type[BaseModel] | None = None,
    prefix: str = "",
) -> list[str]:
    """Rewrite a pydantic ``ValidationError`` as one ``file:line: field: message`` line per problem.

    Pydantic's wording is rewritten (``must be > 0``, ``expected a number``, ``required field is
    missing``, ``unknown key (did you mean 'aht_s'?)``) and the value found is echoed as
    ``(got ...)``. Lines are ordered by file, then line.

    A value that fails every member of a union gives one line. A model validator's
    ``ValueError`` whose message starts with one of the model's field names is reported on that
    field: ``raise ValueError("intraday_profile must have 24 values")`` in the ``forecast``
    model gives ``forecast.intraday_profile: must have 24 values`` at the line of
    ``intraday_profile``; a message that already contains ``(got ...)`` is not echoed again.

    Parameters
    ----------
    path : str or os.PathLike
        File name used when there is no ``locator`` (every problem is then put on line 1).
    exc : pydantic.ValidationError
        The error raised by ``model_validate``.
    locator : Locator, optional
        From :func:`load_yaml` (or an :meth:`Locator.overlay` of several); gives each problem the
        file and line its value came from.
    model : type of pydantic.BaseModel, optional
        The validated model; used to suggest the intended key for an unknown key.
    prefix : str, optional
        Put before every field name (``"scenarios.conservative."``: the document validated is
        a named scenario of the file).

    Returns
    -------
    list of str
        E.g. ``params/regions/x.yaml:12: voice.aht_s: must be > 0 (got -5)``; values are echoed
        with ``repr`` (escaped, truncated to about 60 characters), never evaluated.

    Examples
    --------
    >>> from pydantic import BaseModel, Field
    >>> class Voice(BaseModel):
    ...     aht_s: float = Field(gt=0)
    >>> try:
    ...     Voice.model_validate({"aht_s": -5})
    ... except ValidationError as e:
    ...     format_validation_error("x.yaml", e)
    ['x.yaml:1: aht_s: must be > 0 (got -5)']
    """
    problems: list[_Problem] = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        missing = error["type"] == "missing"
        if locator is not None:
            parts = locator.field_path(loc, missing=missing)
        else:
            parts = tuple(p for p in loc if not _is_label(p))
        labelled = len(parts) < len(loc) or any(_is_label(p) for p in loc)
        problems.append(_problem(error, parts, model, labelled))
    lines: list[tuple[str, int, str]] = []
    for problem in _merge_union_problems(problems):
        if locator is not None:
            file, line = locator.locate(problem.parts, missing=problem.kind == "missing")
        else:
            file, line = os.fspath(path), 1
        where = _describe_path(problem.parts)
        if prefix:
            where = prefix + format_location(problem.parts) if problem.parts else prefix[:-1]
        text = f"{where}: {problem.message}"
        if problem.got is not None:
            text += f" (got {problem.got})"
        lines.append((file, line, text))
    order = {name: rank for rank, name in enumerate(dict.fromkeys(f for f, _, _ in lines))}
    lines.sort(key=lambda item: (order[item[0]], item[1]))
    return [f"{file}:{line}: {text}" for file, line, text in lines]


def _load_mapping(path: str | os.PathLike[str]) -> tuple[dict[Any, Any], Locator]:
    data, locator = load_yaml(path)
    if not isinstance(data, dict):
        found = "a list" if isinstance(data, list) else f"the value {_safe_repr(data)}"
        raise ParamsError(
            f"{locator.path}:{locator.line(())}: (top level): expected a mapping of keys "
            f"(got {found})"
        )
    return data, locator


def read_layers(
    path: str | os.PathLike[str], defaults_path: str | os.PathLike[str] | None = None
) -> list[tuple[dict[Any, Any], Locator]]:
    """Read a file and its optional defaults: ``[(data, locator), ...]``, defaults first.

    Raises
    ------
    ParamsError
        Every problem of both files (each must be a YAML mapping).
    """
    problems: list[str] = []
    layers: list[tuple[dict[Any, Any], Locator]] = []
    for source in (defaults_path, path):
        if source is None:
            continue
        try:
            layers.append(_load_mapping(source))
        except ParamsError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ParamsError(problems)
    return layers


def load_model(
    model_cls: type[ModelT],
    path: str | os.PathLike[str],
    *,
    defaults_path: str | os.PathLike[str] | None = None,
    prepare: Callable[[list[tuple[dict[Any, Any], Locator]]], list[tuple[dict[Any, Any], Locator]]]
    | None = None,
    check: Callable[[ModelT], Iterable[tuple[Sequence[PathPart], str]]] | None = None,
    prefix: str = "",
    layers: Sequence[tuple[dict[Any, Any], Locator]] | None = None,
) -> ModelT:
    """Load a YAML file (over optional defaults) and validate it with a pydantic model.

    Parameters
    ----------
    model_cls : type of pydantic.BaseModel
        The model to validate against (normally with ``extra="forbid"``).
    path : str or os.PathLike
        The file to load (e.g. a region file).
    defaults_path : str or os.PathLike, optional
        A file merged underneath ``path`` with :func:`merge` (mappings merge, lists and scalars
        from ``path`` replace).
    prepare : callable, optional
        Called with the loaded layers (``(data, locator)``, defaults first) before they are
        merged; returns the layers to merge (e.g. with the defaults' money converted) or raises
        :class:`~cxplan.errors.ParamsError`.
    check : callable, optional
        Checks beyond the schema that need the outside world (the files a parameter names):
        ``check(instance)`` yields ``(location, message)`` per problem, reported like a
        validation problem (``file:line: field: message``) at the line the value came from.
    prefix : str, optional
        Put before every field name in the messages (see :func:`format_validation_error`).
    layers : sequence, optional
        The files already read (:func:`read_layers` of ``path`` and ``defaults_path``), so that
        several validations of one file (its named scenarios) read it once.

    Returns
    -------
    model_cls
        The validated instance.

    Raises
    ------
    ParamsError
        With every problem of both files, one ``file:line: field: message`` line each; a problem
        points at the file the offending value came from.
    """
    problems: list[str] = []
    layers = list(layers) if layers is not None else read_layers(path, defaults_path)
    if prepare is not None:
        layers = prepare(layers)
    data, locator = layers[0]
    for top_data, top_locator in layers[1:]:
        data = merge(data, top_data)
        locator = locator.overlay(top_locator)
    try:
        instance = model_cls.model_validate(data)
    except ValidationError as exc:
        raise ParamsError(
            format_validation_error(path, exc, locator, model=model_cls, prefix=prefix)
        ) from None
    if check is not None:
        for loc, message in check(instance):
            file, line = locator.locate(loc)
            problems.append(f"{file}:{line}: {prefix}{format_location(loc)}: {message}")
        if problems:
            raise ParamsError(problems)
    return instance
