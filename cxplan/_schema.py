"""The domain configuration base: frozen pydantic models that are both the API and the schema.

Every configuration object of the domain modules (a channel, a location, a price component, a
hiring class, a roadmap task …) is a :class:`ConfigModel`: a frozen pydantic model that forbids
unknown fields and NaN or infinite numbers, with numbers that are numbers (``True`` or ``"30"``
is not read as 1 or 30; numpy scalars and whole floats for whole-number fields are accepted).
The parameter-file schema (:mod:`cxplan.config.params`) is made of the same classes, extended
only by what belongs to the file (a channel's ``weekly_contacts``), so each rule is written once:

- constructed in Python, a broken value raises :class:`~cxplan.errors.InputError` naming the
  class, the field and the rule (``LocationProfile.wage_per_hour must be >= 0 (got -1.0)``);
- read from a parameter file, the same rule is reported as ``file:line: field: message`` by
  :mod:`cxplan.config.yamlfile` (validation there goes through ``model_validate``).

The shared number types (:data:`Num`, :data:`Int`, :data:`Share`, :data:`Money` …) carry the rules
as ``Annotated`` metadata; money fields also carry the :data:`MONEY` marker that the currency
conversion of the defaults reads (:mod:`cxplan.config.money`).
"""

from __future__ import annotations

import re
import types
import typing
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Self

import numpy as np
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict
from pydantic import ValidationError as _ValidationError

from cxplan.errors import InputError

__all__ = [
    "MONEY",
    "ConfigModel",
    "Fraction",
    "Int",
    "Money",
    "Name",
    "NonNegative",
    "NonNegativeInt",
    "Num",
    "OpenFraction",
    "Positive",
    "Share",
    "Text",
    "describe_errors",
    "models_in",
]


class _MoneyMark:
    """Type marker for money fields (``Annotated[float, ..., MONEY]``)."""

    def __repr__(self) -> str:
        return "MONEY"


#: Marker placed in the ``Annotated`` metadata of every money field (see cxplan.config.money).
MONEY = _MoneyMark()


def _whole(value: Any) -> Any:
    """Read a numpy integer or a whole float (``4.0``) as an ``int``; leave anything else."""
    if isinstance(value, bool | np.bool_):
        return value
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return int(value)
    return value


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _text(value: object) -> object:
    """Normalise text to NFC; refuse what cannot be written as UTF-8 (lone surrogates).

    A decomposed accent ("Co" + U+0302 + "te") is the same name as the composed "Côte": it is
    compared, validated and shown composed. Other values pass unchanged (and fail as not text).
    """
    if isinstance(value, str):
        found = _SURROGATE_RE.search(value)
        if found is not None:
            code = ord(found.group(0))
            raise ValueError(
                f"must be text that can be written as UTF-8 (found a lone surrogate U+{code:04X}, "
                f"e.g. from a \\u{code:04x} escape)"
            )
        return unicodedata.normalize("NFC", value)
    return value


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("must be a non-empty string")
    return value


#: A number: int or float (numpy scalars too), never a bool or text; finite unless a field allows.
Num = Annotated[float, Strict()]
#: A whole number (numpy integers and whole floats such as ``4.0`` are accepted), never a bool.
Int = Annotated[int, BeforeValidator(_whole), Strict()]
#: A fraction in [0, 1].
Fraction = Annotated[Num, Field(ge=0.0, le=1.0)]
#: A fraction in [0, 1): shrinkage, attrition, overhead shares.
OpenFraction = Annotated[Num, Field(ge=0.0, lt=1.0)]
#: A share in (0, 1]: targets, occupancy caps.
Share = Annotated[Num, Field(gt=0.0, le=1.0)]
#: A number > 0.
Positive = Annotated[Num, Field(gt=0.0)]
#: A number >= 0.
NonNegative = Annotated[Num, Field(ge=0.0)]
#: A whole number >= 0.
NonNegativeInt = Annotated[Int, Field(ge=0)]
#: Money in the params' currency, >= 0 (at most 10^12: beyond it a number is a typo).
Money = Annotated[Num, Field(ge=0.0, le=1e12), MONEY]
#: Text (NFC-normalised, writable as UTF-8); may be empty.
Text = Annotated[str, BeforeValidator(_text), Strict()]
#: A label: text that is not empty or blank.
Name = Annotated[Text, AfterValidator(_nonblank)]


def _plain(value: Any) -> Any:
    """Python values for numpy ones (a 0-d array is its scalar, an array a list)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.item() if value.ndim == 0 else value.tolist()
    return value


class ConfigModel(BaseModel):
    """Base of every domain configuration class (frozen, validated on construction).

    Fields may be given by keyword or, in declaration order, by position. A broken value raises
    :class:`~cxplan.errors.InputError` (also a ``ValueError``) naming the class, the field and the
    rule; :meth:`replace` returns a validated copy with some fields changed.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    def __init__(self, /, *args: Any, **data: Any) -> None:
        cls = type(self)
        if args:
            names = list(cls.model_fields)
            if len(args) > len(names):
                raise InputError(
                    f"{cls.__name__} takes at most {len(names)} positional values "
                    f"({', '.join(names)}); got {len(args)}"
                )
            for name, value in zip(names, args, strict=False):
                if name in data:
                    raise InputError(f"{cls.__name__}: {name} given twice")
                data[name] = value
        data = {key: _plain(value) for key, value in data.items()}
        try:
            super().__init__(**data)
        except _ValidationError as exc:
            raise InputError(describe_errors(cls, exc, data)) from None

    # Tell pydantic this __init__ only wraps its own: nested objects (a parameter file's
    # sections) are then validated by the schema directly, so their problems keep their
    # locations (``channels.voice.aht_s``) instead of surfacing as one InputError.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def replace(self, **changes: Any) -> Self:
        """Return a copy with some fields changed, validated like a new object.

        Examples
        --------
        >>> from cxplan.workforce.staffing import VoiceChannel
        >>> VoiceChannel(aht_s=300).replace(aht_s=240).aht_s
        240.0
        """
        return type(self)(**{**dict(self), **changes})

    @classmethod
    def _error_prefix(cls, data: Mapping[str, Any]) -> str:
        """Return what error messages start with: the class name and a dot (``LocationProfile.``).

        A class may name itself differently (``hiring_class.``, ``task 'a': ``, or nothing).
        """
        return f"{cls.__name__}."


# --------------------------------------------------------------------------------- messages

_BOUNDS = {
    "greater_than": (">", "gt"),
    "greater_than_equal": (">=", "ge"),
    "less_than": ("<", "lt"),
    "less_than_equal": ("<=", "le"),
}
_SHAPE = {
    "float_type",
    "float_parsing",
    "int_type",
    "int_parsing",
    "int_from_float",
    "model_type",
    "model_attributes_type",
    "dataclass_type",
    "string_type",
    "bool_type",
    "tuple_type",
    "list_type",
}


def _g(value: Any) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def _rule(error: Mapping[str, Any]) -> str:
    """Word the rule an error broke as :func:`cxplan._validation.as_array` words it."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind in _BOUNDS:
        op, key = _BOUNDS[kind]
        return f"must be {op} {_g(ctx.get(key))}"
    if kind == "finite_number":
        return "must not be NaN" if value != value else "must be finite"
    if kind in ("float_type", "float_parsing"):
        many = isinstance(value, list | tuple)
        return "must be a single number" if many else "must be a number"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number"
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false"
    if kind == "string_type":
        return "must be text"
    if kind in ("literal_error", "enum"):
        return f"must be {ctx.get('expected')}"
    if kind in ("model_type", "model_attributes_type", "dataclass_type", "is_instance_of"):
        name = ctx.get("class_name") or ctx.get("class")
        return f"must be a {name}" if name else "must be a mapping of fields"
    if kind in ("tuple_type", "list_type", "iterable_type"):
        return "must be a list"
    if kind in ("too_short", "too_long"):
        bound = ctx.get("min_length" if kind == "too_short" else "max_length")
        word = "at least" if kind == "too_short" else "at most"
        return f"must have {word} {bound} item{'s' if bound != 1 else ''}"
    if kind == "string_pattern_mismatch":
        return f"must match the pattern {ctx.get('pattern')!r}"
    if kind == "missing":
        return "is required"
    if kind == "union_tag_invalid":
        return f"{ctx.get('discriminator')} must be one of {ctx.get('expected_tags')}"
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", error.get("msg", "")))
    text = str(error.get("msg", kind)).replace("Input should be", "must be")
    return text[:1].lower() + text[1:]


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """Every pydantic model class named in a type annotation (through unions, lists, tuples)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    if typing.get_origin(annotation) is not None or isinstance(annotation, types.UnionType):
        for arg in typing.get_args(annotation):
            found.extend(models_in(arg))
    return found


def _where(cls: type[BaseModel], loc: Sequence[Any]) -> str:
    """Dotted field path of a pydantic location, without its labels (union members, tags)."""
    out = ""
    current: list[type[BaseModel]] = [cls]
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        fields = [m.model_fields[part] for m in current if part in m.model_fields]
        if fields:
            out += ("." if out else "") + part
            current = [m for f in fields for m in models_in(f.annotation)]
        elif not current:  # inside a plain mapping: its keys are data
            out += ("." if out else "") + str(part)
    return out


def describe_errors(cls: type[ConfigModel], exc: _ValidationError, data: Mapping[str, Any]) -> str:
    """One sentence per problem of a failed construction, joined with ``"; "``.

    Field problems read ``<prefix><field> <rule> (got <value>)``; a problem of the object as a
    whole (a model validator's message) reads ``<prefix><message>`` when the message starts with
    a field name, else ``<owner>: <message>``.
    """
    prefix = cls._error_prefix(data)
    names = set(cls.model_fields)
    seen: dict[str, tuple[int, str]] = {}
    shapes: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False):
        field = _where(cls, error["loc"])
        rule = _rule(error)
        if error["type"] == "extra_forbidden":
            field = _where(cls, error["loc"][:-1])
            field += ("." if field else "") + str(error["loc"][-1])
            rule = "is not a known field"
        if error["type"] == "too_short" and len(error.get("input") or ()) >= (
            (error.get("ctx") or {}).get("min_length", 0)
        ):
            continue  # reported with the items' own problems
        if error["type"] in _SHAPE and field:
            # a value no member of a union takes: "must be a number or a Tiers"
            shapes.setdefault(field, []).append(rule.removeprefix("must be "))
            joined = " or ".join(dict.fromkeys(shapes[field]))
            rule = f"must be {joined}"
        if not field:
            head = rule.split(" ", 1)[0]
            if head in names:
                text = f"{prefix}{rule}"
            elif prefix:
                owner = prefix[:-1] if prefix.endswith(".") else prefix.rstrip(": ")
                text = f"{owner}: {rule}"
            else:
                text = rule
        else:
            text = f"{prefix}{field} {rule}"
            value = error.get("input")
            if "(got " not in rule and error["type"] not in ("missing",):
                text += f" (got {value!r})"
        # one sentence per field: a real problem beats "must be a number" from a union member
        rank = 1 if error["type"] in _SHAPE else 0
        if field not in seen or rank <= seen[field][0]:
            seen[field] = (rank, text)
    real = [f for f, (rank, _) in seen.items() if rank == 0]
    return "; ".join(
        text
        for field, (rank, text) in seen.items()
        # a union member that got further (a real problem inside this field) wins
        if not (rank and any(r.startswith(field) and r != field for r in real))
    )
