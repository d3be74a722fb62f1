"""Three-point and simple distributions of uncertain inputs: PERT, triangular, uniform, fixed.

Each has ``low``, ``high``, ``mean`` and ``sample(rng, n)``; see :mod:`cxplan.economics.risk`
for the references.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from cxplan.errors import InputError

__all__ = ["Distribution", "Fixed", "Pert", "Triangular", "Uniform"]

FloatArray = npt.NDArray[np.float64]


# ----------------------------------------------------------------------------------------------
# distributions
# ----------------------------------------------------------------------------------------------
@runtime_checkable
class Distribution(Protocol):
    """What :func:`monte_carlo` and :func:`tornado` need from an input distribution."""

    @property
    def low(self) -> float:
        """Smallest possible value."""
        ...

    @property
    def high(self) -> float:
        """Largest possible value."""
        ...

    @property
    def mean(self) -> float:
        """Expected value."""
        ...

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        """Draw ``n`` values with ``rng``."""
        ...


def _finite(cls: str, name: str, value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{cls}.{name} must be a number (got {value!r})") from None
    if not math.isfinite(v):
        raise InputError(f"{cls}.{name} must be finite (got {v!r})")
    return v


def _check_n(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
        raise InputError(f"n must be a whole number >= 0 (got {n!r})")
    return int(n)


def _check_rng(rng: Any) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise InputError(
            f"rng must be a numpy.random.Generator, e.g. numpy.random.default_rng(seed) "
            f"(got {type(rng).__name__})"
        )
    return rng


def _three_point(cls: str, obj: Any) -> None:
    for name in ("low", "mode", "high"):
        object.__setattr__(obj, name, _finite(cls, name, getattr(obj, name)))
    if obj.low > obj.high:
        raise InputError(f"{cls}.low must be <= {cls}.high (got low={obj.low}, high={obj.high})")
    if not obj.low <= obj.mode:
        raise InputError(f"{cls}.mode must be >= {cls}.low (got mode={obj.mode}, low={obj.low})")
    if not obj.mode <= obj.high:
        raise InputError(f"{cls}.mode must be <= {cls}.high (got mode={obj.mode}, high={obj.high})")


@dataclass(frozen=True)
class Pert:
    """Modified PERT (beta-PERT) distribution on ``[low, high]`` with most likely value ``mode``.

    Parameters
    ----------
    low, mode, high : float
        Minimum, most likely and maximum value; ``low <= mode <= high``.
    lam : float
        Shape ``lambda`` > 0 (default 4, the classic PERT); larger concentrates mass at the mode.

    Raises
    ------
    InputError
        Non-finite values, ``low > high``, ``mode`` outside ``[low, high]``, ``lam <= 0``.

    Notes
    -----
    ``alpha = 1 + lam (mode - low) / (high - low)``, ``beta = 1 + lam (high - mode) /
    (high - low)``, ``X = low + (high - low) B`` with ``B ~ Beta(alpha, beta)``;
    mean ``(low + lam mode + high) / (lam + 2)`` = ``(low + 4 mode + high) / 6`` at lam = 4
    (domain-notes "Finance"; Malcolm et al. 1959; R ``mc2d::rpert``). ``low == high`` is the
    constant ``low`` (no 0/0).

    Examples
    --------
    >>> Pert(10.0, 20.0, 60.0).mean
    25.0
    >>> Pert(5.0, 5.0, 5.0).sample(np.random.default_rng(0), 3)
    array([5., 5., 5.])
    """

    low: float
    mode: float
    high: float
    lam: float = 4.0

    def __post_init__(self) -> None:
        _three_point("Pert", self)
        lam = _finite("Pert", "lam", self.lam)
        if lam <= 0:
            raise InputError(f"Pert.lam must be > 0 (got {lam})")
        object.__setattr__(self, "lam", lam)

    @property
    def alpha(self) -> float:
        """First Beta shape parameter (1.0 for a degenerate distribution)."""
        span = self.high - self.low
        return 1.0 + self.lam * (self.mode - self.low) / span if span > 0 else 1.0

    @property
    def beta(self) -> float:
        """Second Beta shape parameter (1.0 for a degenerate distribution)."""
        span = self.high - self.low
        return 1.0 + self.lam * (self.high - self.mode) / span if span > 0 else 1.0

    @property
    def mean(self) -> float:
        """Expected value ``(low + lam*mode + high) / (lam + 2)``."""
        if self.high == self.low:
            return self.low
        return (self.low + self.lam * self.mode + self.high) / (self.lam + 2.0)

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        """Draw ``n`` values (vectorized ``rng.beta``, scaled to ``[low, high]``)."""
        rng, n = _check_rng(rng), _check_n(n)
        if self.high == self.low:
            return np.full(n, self.low)
        b = rng.beta(self.alpha, self.beta, size=n)
        return np.asarray(self.low + (self.high - self.low) * b, dtype=np.float64)


@dataclass(frozen=True)
class Triangular:
    """Triangular distribution on ``[low, high]`` with peak at ``mode``.

    Parameters
    ----------
    low, mode, high : float
        Minimum, most likely and maximum value; ``low <= mode <= high``.

    Raises
    ------
    InputError
        Non-finite values, ``low > high``, ``mode`` outside ``[low, high]``.

    Notes
    -----
    Mean ``(low + mode + high) / 3``. Sampled with ``rng.triangular``; ``low == high`` is the
    constant ``low``.

    Examples
    --------
    >>> Triangular(0.0, 3.0, 6.0).mean
    3.0
    """

    low: float
    mode: float
    high: float

    def __post_init__(self) -> None:
        _three_point("Triangular", self)

    @property
    def mean(self) -> float:
        """Expected value ``(low + mode + high) / 3``."""
        return (self.low + self.mode + self.high) / 3.0

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        """Draw ``n`` values."""
        rng, n = _check_rng(rng), _check_n(n)
        if self.high == self.low:
            return np.full(n, self.low)
        return np.asarray(rng.triangular(self.low, self.mode, self.high, size=n), dtype=np.float64)


@dataclass(frozen=True)
class Uniform:
    """Uniform distribution on ``[low, high]``.

    Parameters
    ----------
    low, high : float
        Bounds, ``low <= high``.

    Raises
    ------
    InputError
        Non-finite values or ``low > high``.

    Examples
    --------
    >>> Uniform(2.0, 4.0).mean
    3.0
    """

    low: float
    high: float

    def __post_init__(self) -> None:
        for name in ("low", "high"):
            object.__setattr__(self, name, _finite("Uniform", name, getattr(self, name)))
        if self.low > self.high:
            raise InputError(
                f"Uniform.low must be <= Uniform.high (got low={self.low}, high={self.high})"
            )

    @property
    def mean(self) -> float:
        """Expected value ``(low + high) / 2``."""
        return 0.5 * (self.low + self.high)

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        """Draw ``n`` values."""
        rng, n = _check_rng(rng), _check_n(n)
        if self.high == self.low:
            return np.full(n, self.low)
        return np.asarray(rng.uniform(self.low, self.high, size=n), dtype=np.float64)


@dataclass(frozen=True)
class Fixed:
    """A known value (a distribution with no spread).

    Parameters
    ----------
    value : float
        The value.

    Examples
    --------
    >>> Fixed(3.5).sample(np.random.default_rng(0), 2)
    array([3.5, 3.5])
    """

    value: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _finite("Fixed", "value", self.value))

    @property
    def low(self) -> float:
        """The value."""
        return self.value

    @property
    def high(self) -> float:
        """The value."""
        return self.value

    @property
    def mean(self) -> float:
        """The value."""
        return self.value

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        """Return ``n`` copies of the value (``rng`` is not used)."""
        _check_rng(rng)
        return np.full(_check_n(n), self.value)
