"""Volume tiers of a unit price: graduated or all-units schedules, and a unit price type."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal, Self

import numpy as np
import numpy.typing as npt
from pydantic import model_validator

from cxplan._schema import (
    ConfigModel,
    Money,
    NonNegative,
)
from cxplan._validation import (
    as_array,
    scalar_or_array,
)
from cxplan.errors import InputError

__all__ = ["Price", "Tiers"]

Array = npt.NDArray[np.float64]
TierMethod = Literal["graduated", "all_units"]

# ---------------------------------------------------------------------------------------------
# volume tiers
# ---------------------------------------------------------------------------------------------


class Tiers(ConfigModel):
    """A volume-banded unit price.

    Band ``i`` covers billable units in ``[band_starts[i], band_starts[i+1])``; the last band is
    open-ended. Two conventions exist in contracts, chosen with ``method``:

    ``"graduated"`` (incremental)
        Each unit is priced at the rate of the band it falls in, like income-tax brackets:
        ``charge(u) = Σ_i price_i · clip(u − start_i, 0, width_i)``. The charge is continuous
        in ``u`` and non-decreasing.
    ``"all_units"``
        Every unit is priced at the rate of the band the *total* falls in:
        ``charge(u) = u · price_k`` with ``start_k ≤ u < start_{k+1}`` (a total exactly on a
        boundary takes the new band's price). At a boundary ``b`` the charge jumps by
        ``b · (price_new − price_old)``: with falling prices it *drops*, so the charge is not
        monotone in volume (buying a little more can cost less). This is how such contracts
        bill; it is reproduced, not smoothed.

    Parameters
    ----------
    band_starts : sequence of float
        Lower bound of each band in billable units; the first must be 0, the rest strictly
        increasing (equal or decreasing starts are overlapping or unordered bands).
    prices : sequence of float
        Price per unit in each band (≥ 0), same length.
    method : {"graduated", "all_units"}
        The convention above (default ``"graduated"``).

    Examples
    --------
    First 1,000 contacts at 5.00, the rest at 4.00, for 1,500 contacts:

    >>> t = Tiers(band_starts=[0, 1000], prices=[5.0, 4.0], method="graduated")
    >>> t.charge(1500)
    7000.0
    >>> Tiers(band_starts=[0, 1000], prices=[5.0, 4.0], method="all_units").charge(1500)
    6000.0
    """

    band_starts: tuple[NonNegative, ...]
    prices: tuple[Money, ...]
    method: TierMethod = "graduated"

    @model_validator(mode="after")
    def _bands(self) -> Self:
        starts, prices = self.band_starts, self.prices
        if not starts:
            raise ValueError("band_starts must be a non-empty list of numbers")
        if len(prices) != len(starts):
            raise ValueError(
                f"prices must have one price per band ({len(starts)} bands, "
                f"got {len(prices)} prices)"
            )
        if starts[0] != 0.0:
            raise ValueError(f"band_starts must start at 0 (got {starts[0]:g})")
        for i in range(1, len(starts)):
            if starts[i] <= starts[i - 1]:
                raise ValueError(
                    "band_starts must be strictly increasing: bands overlap or are unordered "
                    f"(band {i} starts at {starts[i]:g} after {starts[i - 1]:g})"
                )
        return self

    @classmethod
    def from_bands(
        cls, bands: Sequence[tuple[float, float, float]], *, method: TierMethod
    ) -> Tiers:
        """Build tiers from explicit ``(from_units, to_units, price)`` bands (contract style).

        Bands must be given in order, start at 0, touch without gaps or overlaps
        (``to`` of one band equals ``from`` of the next) and the last must be open-ended
        (``to = inf``).

        Examples
        --------
        >>> Tiers.from_bands([(0, 1000, 5.0), (1000, float("inf"), 4.0)],
        ...                  method="graduated").band_starts
        (0.0, 1000.0)
        """
        rows = _seq("Tiers bands", bands)
        if not rows:
            raise InputError("Tiers bands must not be empty")
        arr = as_array("Tiers bands", [tuple(r) for r in rows], allow_inf=True)
        if arr.ndim != 2 or arr.shape[1] != 3:
            raise InputError("Tiers bands must be (from_units, to_units, price) triples")
        lo, hi, price = arr[:, 0], arr[:, 1], arr[:, 2]
        if not np.all(np.isfinite(lo)) or not np.all(np.isfinite(price)):
            raise InputError("Tiers bands: from_units and price must be finite")
        if np.any(hi <= lo):
            i = int(np.flatnonzero(hi <= lo)[0])
            raise InputError(f"Tiers bands: band {i} must have to_units > from_units")
        for i in range(1, len(lo)):
            if lo[i] < hi[i - 1]:
                raise InputError(
                    f"Tiers bands: band {i} (from {lo[i]:g}) overlaps band {i - 1} "
                    f"(to {hi[i - 1]:g}) or the bands are unordered"
                )
            if lo[i] > hi[i - 1]:
                raise InputError(
                    f"Tiers bands: gap between band {i - 1} (to {hi[i - 1]:g}) and band {i} "
                    f"(from {lo[i]:g})"
                )
        if np.isfinite(hi[-1]):
            raise InputError("Tiers bands: the last band must be open-ended (to_units = inf)")
        return cls(band_starts=tuple(lo), prices=tuple(price), method=method)

    def charge(self, units: Any) -> Any:
        """Charge for ``units`` billable units (vectorized; scalar in → float out).

        Parameters
        ----------
        units : array_like
            Billable units (contacts, minutes or hours) per month, ≥ 0.

        Returns
        -------
        float or ndarray
            Money per month.
        """
        u = as_array("units", units, low=0.0)
        return scalar_or_array(self._charge(u), u.ndim == 0)

    def _charge(self, u: Array) -> Array:
        starts = np.asarray(self.band_starts)
        prices = np.asarray(self.prices)
        if self.method == "all_units":
            band = np.searchsorted(starts, u, side="right") - 1
            return np.asarray(u * prices[band], dtype=np.float64)
        widths = np.append(np.diff(starts), np.inf)
        in_band = np.clip(u[..., None] - starts, 0.0, widths)
        return np.asarray(in_band @ prices, dtype=np.float64)


#: A unit price: a number (money per unit) or a volume-banded :class:`Tiers` schedule.
Price = Money | Tiers


def _seq(name: str, value: Any) -> list[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InputError(f"{name} must be a list (got {value!r})")
    return list(value)


def _charge(price: float | Tiers, units: Array) -> Array:
    if isinstance(price, Tiers):
        return price._charge(units)
    return units * price
