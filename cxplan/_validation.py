"""Argument checking shared by the model modules.

Every public model function funnels its numeric arguments through :func:`as_array`, so that bad
input raises :class:`~cxplan.errors.InputError` naming the argument and the rule it broke,
never a numpy traceback or a silently wrong number.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from cxplan.errors import InputError

__all__ = [
    "ArrayLike",
    "FloatArray",
    "as_array",
    "as_scalar",
    "broadcast",
    "float_or_array",
    "scalar_field",
    "scalar_or_array",
]

#: Array input of the vectorised maths: a number, a sequence or an array of numbers.
ArrayLike = npt.ArrayLike
#: What the vectorised maths returns for array input.
FloatArray = npt.NDArray[np.float64]


def _first_bad(values: npt.NDArray[Any], bad: npt.NDArray[np.bool_]) -> str:
    idx = np.argwhere(bad)[0]
    val = values[tuple(idx)]
    where = (
        ""
        if values.ndim == 0
        else f" at index {tuple(int(i) for i in idx) if len(idx) > 1 else int(idx[0])}"
    )
    return f"got {val!r}{where}"


def as_array(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    low_inclusive: bool = True,
    high: float | None = None,
    high_inclusive: bool = True,
    allow_inf: bool = False,
    allow_nan: bool = False,
    integer: bool = False,
) -> npt.NDArray[np.float64]:
    """Convert ``value`` to a float array and check it against a rule.

    Parameters
    ----------
    name : str
        Argument name used in the error message.
    value : array_like
        The value to check.
    low, high : float, optional
        Bounds; ``low_inclusive``/``high_inclusive`` choose ``>=`` or ``>``.
    allow_inf, allow_nan : bool
        Whether ``inf`` / ``nan`` are acceptable (default: neither).
    integer : bool
        Require whole numbers.

    Returns
    -------
    numpy.ndarray
        ``value`` as float64 (0-d for scalars).

    Raises
    ------
    InputError
        If the value is not numeric or breaks a rule; the message names ``name`` and the rule.
    """
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be numeric (got {value!r})") from None
    if not allow_nan and np.isnan(arr).any():
        raise InputError(f"{name} must not be NaN ({_first_bad(arr, np.isnan(arr))})")
    if not allow_inf and np.isinf(arr).any():
        raise InputError(f"{name} must be finite ({_first_bad(arr, np.isinf(arr))})")
    with np.errstate(invalid="ignore"):
        if low is not None:
            bad = ~(arr >= low) if low_inclusive else ~(arr > low)
            bad &= ~np.isnan(arr)
            if bad.any():
                op = ">=" if low_inclusive else ">"
                raise InputError(f"{name} must be {op} {low:g} ({_first_bad(arr, bad)})")
        if high is not None:
            bad = ~(arr <= high) if high_inclusive else ~(arr < high)
            bad &= ~np.isnan(arr)
            if bad.any():
                op = "<=" if high_inclusive else "<"
                raise InputError(f"{name} must be {op} {high:g} ({_first_bad(arr, bad)})")
        if integer:
            bad = np.isfinite(arr) & (arr != np.floor(arr))
            if bad.any():
                raise InputError(f"{name} must be a whole number ({_first_bad(arr, bad)})")
    return arr


def as_scalar(name: str, value: Any, *, allow_bool: bool = True, **rules: Any) -> float:
    """Check a single number with :func:`as_array`'s rules and return it as ``float``.

    Parameters
    ----------
    name : str
        Argument name used in the error message.
    value : Any
        The value to check.
    allow_bool : bool
        Whether ``True``/``False`` are accepted as 1/0 (default); ``False`` refuses them.
    **rules
        Passed to :func:`as_array` (``low``, ``high``, ``integer``, ...).

    Raises
    ------
    InputError
        If the value is not a single number or breaks a rule.
    """
    if not allow_bool and isinstance(value, bool | np.bool_):
        raise InputError(f"{name} must be a number (got {value!r})")
    arr = as_array(name, value, **rules)
    if arr.ndim != 0:
        raise InputError(f"{name} must be a single number (got shape {arr.shape})")
    return float(arr)


def scalar_field(owner: str, field: str, value: Any, **rules: Any) -> float:
    """:func:`as_scalar` for a configuration field; the error names ``owner.field``."""
    return as_scalar(f"{owner}.{field}", value, **rules)


def broadcast(**arrays: npt.NDArray[Any]) -> list[npt.NDArray[Any]]:
    """Broadcast named arrays together, raising :class:`InputError` naming them on a mismatch.

    Returns the arrays, in the order given, as contiguous copies of the common shape.
    """
    try:
        out = np.broadcast_arrays(*arrays.values())
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
        raise InputError(f"shapes do not broadcast together: {shapes}") from None
    return [np.array(a, dtype=a.dtype, copy=True) for a in out]


def scalar_or_array(result: npt.NDArray[Any], scalar: bool) -> Any:
    """Return ``result`` as a Python scalar when ``scalar`` is true, else as the array itself."""
    if scalar:
        return result.item()
    return result


def float_or_array(result: npt.NDArray[Any], scalar: bool) -> float | FloatArray:
    """Return ``result`` as a ``float`` when ``scalar`` is true, else as a float64 array."""
    if scalar:
        return float(result)
    return np.asarray(result, dtype=np.float64)
