"""Tornado sensitivity: each uncertain input from low to high with the others at base."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_array
from cxplan.economics.risk.sampling import _collect_outputs, _is_distribution
from cxplan.errors import InputError

__all__ = ["tornado"]

FloatArray = npt.NDArray[np.float64]


# ----------------------------------------------------------------------------------------------
# tornado
# ----------------------------------------------------------------------------------------------
def _range_of(name: str, spec: Any) -> tuple[float, float]:
    if _is_distribution(spec) and hasattr(spec, "low") and hasattr(spec, "high"):
        low, high = spec.low, spec.high
    else:
        try:
            low, high = spec
        except (TypeError, ValueError):
            raise InputError(
                f"ranges[{name!r}] must be a (low, high) pair or a distribution (got {spec!r})"
            ) from None
    lo = as_array(f"ranges[{name!r}] low", low)
    hi = as_array(f"ranges[{name!r}] high", high)
    if lo.ndim or hi.ndim:
        raise InputError(f"ranges[{name!r}] low and high must be single numbers")
    if float(lo) > float(hi):
        raise InputError(f"ranges[{name!r}] must have low <= high (got {float(lo)}, {float(hi)})")
    return float(lo), float(hi)


def tornado(
    model: Callable[..., Any],
    base: Mapping[str, float],
    ranges: Mapping[str, Any],
    *,
    output: str,
) -> pd.DataFrame:
    """One-at-a-time sensitivity: each uncertain input from low to high, the others at base.

    Parameters
    ----------
    model : callable
        As for :func:`monte_carlo`; called **once** with arrays of length ``2k + 1`` (row 0 the
        base case, rows ``2i + 1`` / ``2i + 2`` input ``i`` at its low / high value).
    base : mapping of str to float
        Base-case value of every model input (numbers; use e.g. a distribution's mode).
    ranges : mapping of str to (low, high) or distribution
        The inputs to swing (each must be in ``base``); a distribution contributes its ``low``
        and ``high``.
    output : str
        The model output to rank by.

    Returns
    -------
    pandas.DataFrame
        Columns ``input``, ``low_value``, ``high_value``, ``output_low``, ``output_high``,
        ``swing`` (``|output_high - output_low|``), ``base_output``; sorted by ``swing``
        descending (ties keep the order of ``ranges``; NaN swings last).

    Raises
    ------
    InputError
        Empty ``ranges``, a range input missing from ``base``, ``low > high``, a non-finite base
        value, or model outputs of the wrong type or shape.

    Examples
    --------
    >>> def model(volume, aht_s, wage):
    ...     return {"cost": volume * aht_s / 3600 * wage}
    >>> t = tornado(model, {"volume": 1000, "aht_s": 360, "wage": 30},
    ...             {"aht_s": (300, 480), "wage": (28, 32)}, output="cost")
    >>> t[["input", "output_low", "output_high", "swing"]].round(1).values.tolist()
    [['aht_s', 2500.0, 4000.0, 1500.0], ['wage', 2800.0, 3200.0, 400.0]]
    """
    if not isinstance(ranges, Mapping) or len(ranges) == 0:
        raise InputError("ranges must map at least one input name to (low, high)")
    if not isinstance(base, Mapping):
        raise InputError(
            f"base must be a mapping of input name to number (got {type(base).__name__})"
        )
    base_vals: dict[str, float] = {}
    for name, value in base.items():
        if _is_distribution(value):
            raise InputError(
                f"base[{name!r}] must be a number (got a distribution; pass e.g. its mode)"
            )
        v = as_array(f"base[{name!r}]", value)
        if v.ndim:
            raise InputError(f"base[{name!r}] must be a single number (got shape {v.shape})")
        base_vals[str(name)] = float(v)
    names = list(ranges)
    for name in names:
        if name not in base_vals:
            raise InputError(f"ranges[{name!r}] has no base value: add {name!r} to base")
    bounds = [_range_of(name, ranges[name]) for name in names]
    k = len(names)
    arrays = {name: np.full(2 * k + 1, v) for name, v in base_vals.items()}
    for i, (name, (lo, hi)) in enumerate(zip(names, bounds, strict=True)):
        arrays[name][2 * i + 1] = lo
        arrays[name][2 * i + 2] = hi
    vals = _collect_outputs(model(**arrays), 2 * k + 1, [output])[output]
    out_low, out_high = vals[1::2], vals[2::2]
    df = pd.DataFrame(
        {
            "input": names,
            "low_value": [b[0] for b in bounds],
            "high_value": [b[1] for b in bounds],
            "output_low": out_low,
            "output_high": out_high,
            "swing": np.abs(out_high - out_low),
            "base_output": np.full(k, vals[0]),
        }
    )
    df = df.sort_values("swing", ascending=False, kind="stable", na_position="last")
    df = df.reset_index(drop=True)
    df.attrs["output"] = output
    return df
