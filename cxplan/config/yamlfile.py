"""Line-aware, safe YAML loading for parameter files.

:func:`load_yaml` reads one YAML file into plain Python data (``dict``, ``list``, ``str``, ``int``,
``float``, ``bool``, ``None``) together with a :class:`Locator` that remembers the line of every key
and list item. :func:`load_model` merges a defaults file with a region file (:func:`merge`),
validates the result with a pydantic model and turns every validation problem into one line
``file:line: dotted.field: message (got value)`` (:func:`format_validation_error`), pointing at the
file the offending value came from. The line bookkeeping is :mod:`cxplan.config.locator`, the
message layer :mod:`cxplan.config.messages`; their public names are re-exported here.

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
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cxplan.config.locator import Locator, PathPart, _describe_path, _Entry, format_location
from cxplan.config.messages import _safe_repr, format_validation_error
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


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "map"
    if isinstance(node, SequenceNode):
        return "seq"
    return "scalar"


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


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
