"""Typed values in the planner's boxes, read as people write them -- or refused, in one line.

A consultant types ``30,000`` or ``30k`` contacts, ``6 min`` or ``6:00`` handle time, ``75%``
occupancy, ``USD 24.50`` an hour. :func:`parse_value` reads such text for one kind of control
(:data:`KINDS`) and returns the value in the unit the parameter files use (seconds, fractions,
the region's currency, months); anything it cannot read without guessing is refused with an
:class:`~cxplan.errors.InputError` whose message says what was expected. :func:`format_value`
writes a value back the same way, so the box always shows how the planner understood it.

Rules
-----
* A comma or a space separates thousands and must be followed by groups of three digits
  (``30,000``, ``1 250 000``); decimals take a point. ``1,5`` is refused (a decimal comma would
  otherwise be read as thousands).
* ``k``/``thousand``, ``m``/``mn``/``million`` and ``bn``/``billion`` scale counts and money.
* Durations: a bare number is seconds; ``s``/``sec``, ``min``/``m``, ``h``/``hr`` units, or
  ``m:ss`` and ``h:mm:ss`` clock notation.
* Shares: ``75%``, ``75 percent`` or ``0.75``; a bare number above 1 and at most 100 is read as
  a percentage (``75`` → 75 %); the box then shows ``75 %``.
* Money: an optional currency code or symbol, which must be the region's (``$``, ``€``, ``£``,
  ``¥`` stand for USD, EUR, GBP, JPY), and an optional ``/h`` or ``per hour``.
* Months: a whole number of months, or years (``3 years`` → 36 months).

Range checks are the parameter schema's: the planner validates the overridden parameters and
shows that message beside the control.

Hand-written: the locale libraries (babel's ``parse_decimal``) read one locale's numbers but not
units, suffixes or the ambiguity rules above, which are the point here.
"""

from __future__ import annotations

import math
import re
from typing import Literal

from cxplan.errors import InputError

__all__ = ["KINDS", "Kind", "format_value", "parse_value"]

Kind = Literal["count", "seconds", "share", "money", "months"]

#: The kinds of value a control takes, with what a user may type (for messages and tooltips).
KINDS: dict[str, str] = {
    "count": "a number such as 30,000, 30k or 1.2m",
    "seconds": "a duration such as 360, 360 s, 6 min or 6:00",
    "share": "a percentage such as 75%, 75 or 0.75",
    "money": "an amount such as 24.50, 1.2k or USD 24.50",
    "months": "whole months such as 36, or years such as 3 years",
}

_SPACES = "\u00a0\u202f\u2009 "
_NUMBER = re.compile(
    r"""^(?P<sign>[+-])?
    (?:(?P<grouped>\d{1,3}(?:[,\u00a0\u202f\u2009 ]\d{3})+)|(?P<plain>\d+))?
    (?:\.(?P<frac>\d*))?
    (?:[eE](?P<exp>[+-]?\d{1,3}))?$""",
    re.VERBOSE,
)
_SCALE = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mio": 1e6,
    "million": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "billion": 1e9,
}
_DURATION = {
    "s": 1.0,
    "sec": 1.0,
    "secs": 1.0,
    "second": 1.0,
    "seconds": 1.0,
    "m": 60.0,
    "min": 60.0,
    "mins": 60.0,
    "minute": 60.0,
    "minutes": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "hrs": 3600.0,
    "hour": 3600.0,
    "hours": 3600.0,
}
_MONTHS = {
    "mo": 1,
    "mos": 1,
    "month": 1,
    "months": 1,
    "y": 12,
    "yr": 12,
    "yrs": 12,
    "year": 12,
    "years": 12,
}
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_PER_HOUR = re.compile(r"\s*(?:/\s*(?:h|hr|hour)|per\s+hour|an\s+hour|an\s+hr)$")
_CLOCK = re.compile(r"^(?:(?P<h>\d+):)?(?P<m>\d{1,3}):(?P<s>\d{2})(?:\.(?P<f>\d+))?$")


def _number(text: str, original: str) -> float:
    """Read a plain number (thousands groups, decimals, exponent) or refuse it."""
    t = text.strip(_SPACES).replace("\u2212", "-")
    found = _NUMBER.match(t)
    if found is None or not (found["grouped"] or found["plain"] or found["frac"]):
        if re.fullmatch(r"[+-]?\d+,\d{1,2}", t) or re.fullmatch(r"[+-]?\d+(,\d{3})*,\d{1,2}", t):
            raise InputError(
                f"{original!r}: a comma separates thousands (30,000); write decimals with a "
                "point (1.5)"
            )
        raise InputError(f"{original!r} is not a number")
    digits = (found["grouped"] or found["plain"] or "0").translate(
        {ord(c): None for c in "," + _SPACES}
    )
    value = float(f"{found['sign'] or ''}{digits}.{found['frac'] or '0'}e{found['exp'] or '0'}")
    if not math.isfinite(value):
        raise InputError(f"{original!r} is too large")
    return value


def _split_word(text: str) -> tuple[str, str]:
    """Split ``"30 k"``/``"30k"`` into the number part and a trailing word (lower case)."""
    found = re.match(r"^(?P<num>.*?[\d.])\s*(?P<word>[A-Za-z%]+)?\s*$", text)
    if found is None:
        return text, ""
    return found["num"], (found["word"] or "").lower()


def _scaled(text: str, original: str, what: str) -> float:
    num, word = _split_word(text)
    if not word:
        return _number(num, original)
    if word not in _SCALE:
        raise InputError(f"{original!r}: unknown unit {word!r} (expected {what})")
    return _number(num, original) * _SCALE[word]


def _seconds(text: str, original: str) -> float:
    clock = _CLOCK.match(text.strip(_SPACES))
    if clock is not None:
        seconds = int(clock["s"])
        if seconds >= 60 or (clock["h"] is not None and int(clock["m"]) >= 60):
            raise InputError(f"{original!r}: minutes and seconds run 00-59")
        frac = float(f"0.{clock['f']}") if clock["f"] else 0.0
        return int(clock["h"] or 0) * 3600.0 + int(clock["m"]) * 60.0 + seconds + frac
    num, word = _split_word(text)
    if not word:
        return _number(num, original)
    if word not in _DURATION:
        raise InputError(f"{original!r}: unknown unit {word!r} (expected {KINDS['seconds']})")
    return _number(num, original) * _DURATION[word]


def _share(text: str, original: str) -> float:
    t = text.strip(_SPACES)
    for suffix in ("%", "percent", "pct"):
        if t.lower().endswith(suffix):
            return _number(t[: -len(suffix)], original) / 100.0
    num, word = _split_word(t)
    if word:
        raise InputError(f"{original!r}: expected {KINDS['share']}")
    value = _number(num, original)
    if 1.0 < value <= 100.0:
        return value / 100.0  # "75" in a percentage box means 75 %
    if value > 100.0:
        raise InputError(f"{original!r}: a share is at most 100% (expected {KINDS['share']})")
    return value


def _money(text: str, original: str, currency: str | None) -> float:
    t = _PER_HOUR.sub("", text.strip(_SPACES))
    found_code: str | None = None
    code = re.match(r"^([A-Za-z]{3})\s*(.*)$", t)
    if code is not None and code[1].lower() not in _SCALE and not code[2][:1].isalpha():
        found_code, t = code[1].upper(), code[2]
    else:
        code = re.match(r"^(.*?\d)\s*([A-Za-z]{3})$", t)
        if code is not None and code[2].lower() not in _SCALE:
            found_code, t = code[2].upper(), code[1]
    if t[:1] in _SYMBOLS or t[-1:] in _SYMBOLS:
        symbol = t[0] if t[:1] in _SYMBOLS else t[-1]
        found_code = _SYMBOLS[symbol]
        t = t.strip(symbol).strip(_SPACES)
    if found_code is not None and currency is not None and found_code != currency:
        raise InputError(f"{original!r}: this region's amounts are in {currency}, not {found_code}")
    return _scaled(t, original, KINDS["money"])


def _months(text: str, original: str) -> float:
    num, word = _split_word(text.strip(_SPACES))
    factor = 1
    if word:
        if word not in _MONTHS:
            raise InputError(f"{original!r}: expected {KINDS['months']}")
        factor = _MONTHS[word]
    value = _number(num, original) * factor
    if not float(value).is_integer():
        raise InputError(f"{original!r}: the horizon is a whole number of months")
    return value


def parse_value(text: str, kind: Kind, *, currency: str | None = None) -> float:
    """Read a typed value for a control of ``kind``, in the parameter files' unit.

    Parameters
    ----------
    text : str
        What was typed.
    kind : {"count", "seconds", "share", "money", "months"}
        What the control holds: contacts (a count), a duration (returned in seconds), a share
        (returned as a fraction), money (in ``currency``) or months (a whole number).
    currency : str, optional
        The region's currency code; a different code or symbol in ``text`` is refused.

    Returns
    -------
    float
        The value (``months`` as a whole number of months).

    Raises
    ------
    InputError
        One line: the text, and what was expected (never a silent misreading).

    Examples
    --------
    >>> parse_value("30,000", "count"), parse_value("1.2m", "count")
    (30000.0, 1200000.0)
    >>> parse_value("6 min", "seconds"), parse_value("6:30", "seconds")
    (360.0, 390.0)
    >>> parse_value("75%", "share"), parse_value("75", "share"), parse_value("0.75", "share")
    (0.75, 0.75, 0.75)
    >>> parse_value("USD 24.50/h", "money", currency="USD")
    24.5
    >>> parse_value("3 years", "months")
    36.0
    >>> try:
    ...     parse_value("1,5", "count")
    ... except InputError as exc:
    ...     print(exc)
    '1,5': a comma separates thousands (30,000); write decimals with a point (1.5)
    """
    if kind not in KINDS:
        raise InputError(f"kind must be one of {', '.join(KINDS)} (got {kind!r})")
    if not isinstance(text, str) or not text.strip(_SPACES):
        raise InputError(f"type a value: {KINDS[kind]}")
    original = text.strip(_SPACES)
    if len(original) > 40:
        raise InputError(f"too long for a value: expected {KINDS[kind]}")
    if kind == "count":
        value = _scaled(original, original, KINDS["count"])
    elif kind == "seconds":
        value = _seconds(original, original)
    elif kind == "share":
        value = _share(original, original)
    elif kind == "money":
        value = _money(original, original, currency)
    else:
        value = _months(original, original)
    if value == 0.0:
        value = 0.0  # no "-0"
    return value


def _trim(number: float, decimals: int) -> str:
    text = f"{number:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace("-", "\u2212")


def format_value(value: float, kind: Kind, *, currency: str | None = None) -> str:
    """Write a value as the control's box shows it (and :func:`parse_value` reads back).

    Examples
    --------
    >>> format_value(30000, "count"), format_value(360, "seconds"), format_value(0.75, "share")
    ('30,000', '360 s', '75 %')
    >>> format_value(24.5, "money", currency="USD"), format_value(36, "months")
    ('24.50 USD', '36 months')
    >>> parse_value(format_value(0.825, "share"), "share")
    0.825
    """
    if kind == "count":
        return _trim(value, 1)
    if kind == "seconds":
        return f"{_trim(value, 1)} s"
    if kind == "share":
        return f"{_trim(100.0 * value, 2)} %"
    if kind == "money":
        text = f"{value:,.2f}".replace("-", "\u2212")
        return f"{text} {currency}" if currency else text
    if kind == "months":
        return f"{value:.0f} months"
    raise InputError(f"kind must be one of {', '.join(KINDS)} (got {kind!r})")
