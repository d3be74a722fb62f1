"""Messages for parameter files: one ``file:line: field: message (got value)`` line per problem.

:func:`format_validation_error` rewrites a pydantic ``ValidationError`` into lines a consultant
can act on (``expected a number``, ``must be >= 0``, ``unknown field 'ahts'; did you mean
'aht_s'?``), placed with a :class:`~cxplan.config.locator.Locator` on the line the offending
value came from; a model validator's error moves to the field its message starts with.
"""

from __future__ import annotations

import difflib
import os
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from cxplan.config.locator import Locator, PathPart, _describe_path, _is_label, format_location

__all__ = ["format_validation_error"]

_REPR_LIMIT = 60


def _safe_repr(value: Any) -> str:
    """``repr`` of a user value, truncated; control characters come out escaped."""
    text = repr(value)
    if len(text) > _REPR_LIMIT:
        text = text[: _REPR_LIMIT - 3] + "..."
    return text


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
