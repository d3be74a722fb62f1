"""Hybrid splits of a forecast between in-house and a vendor: share, overflow, after hours."""

from __future__ import annotations

from typing import Annotated, Any, Self

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import Field, model_validator

from cxplan._schema import ConfigModel, Fraction, Int, NonNegative
from cxplan._validation import as_array
from cxplan.errors import InputError

__all__ = ["AfterHoursSplit", "HybridSplit", "OverflowSplit", "ShareSplit"]

Array = npt.NDArray[np.float64]

# hybrid splits
# ---------------------------------------------------------------------------------------------


def _volume(volume: Any) -> Array:
    if not isinstance(volume, pd.Series):
        raise InputError(
            f"volume must be a pandas Series of contacts per interval (got {type(volume).__name__})"
        )
    if len(volume) == 0:
        raise InputError("volume is empty: give at least one interval")
    return as_array("volume", volume.to_numpy(dtype=float, na_value=np.nan), low=0.0)


class ShareSplit(ConfigModel):
    """Send a fixed share of every interval's contacts to the vendor.

    Parameters
    ----------
    vendor_share : float
        Fraction of contacts sent to the vendor, in [0, 1].

    Examples
    --------
    >>> inh, ven = ShareSplit(vendor_share=0.25).split(pd.Series([100.0, 40.0]))
    >>> inh.tolist(), ven.tolist()
    ([75.0, 30.0], [25.0, 10.0])
    """

    vendor_share: Fraction

    @property
    def label(self) -> str:
        """Option name used in comparison tables."""
        return f"hybrid: {self.vendor_share:.0%} to vendor"

    def split(self, volume: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Return ``(in-house, vendor)`` contacts per interval."""
        v = _volume(volume)
        return (
            pd.Series(v * (1.0 - self.vendor_share), index=volume.index),
            pd.Series(v * self.vendor_share, index=volume.index),
        )


class OverflowSplit(ConfigModel):
    """Keep up to a fixed number of contacts per interval in-house; the excess goes to the vendor.

    A planning approximation of real-time overflow routing: the *forecast* contacts above the
    threshold are costed at the vendor. (Live overflow also moves calls when the in-house queue
    is momentarily long; that second-order effect is not modelled.)

    Parameters
    ----------
    inhouse_contacts_per_interval : float
        Contacts per interval kept in-house (≥ 0; ``inf`` keeps everything).

    Examples
    --------
    >>> inh, ven = OverflowSplit(inhouse_contacts_per_interval=50).split(pd.Series([30.0, 80.0]))
    >>> inh.tolist(), ven.tolist()
    ([30.0, 50.0], [0.0, 30.0])
    """

    inhouse_contacts_per_interval: Annotated[NonNegative, Field(allow_inf_nan=True)]

    @property
    def label(self) -> str:
        """Option name used in comparison tables."""
        return f"hybrid: overflow above {self.inhouse_contacts_per_interval:g}/interval"

    def split(self, volume: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Return ``(in-house, vendor)`` contacts per interval."""
        v = _volume(volume)
        inh = np.minimum(v, self.inhouse_contacts_per_interval)
        return pd.Series(inh, index=volume.index), pd.Series(v - inh, index=volume.index)


class AfterHoursSplit(ConfigModel):
    """Handle in-house during opening hours; intervals outside them go to the vendor.

    Parameters
    ----------
    open_hour : float
        Start of in-house hours, hour of day in [0, 24).
    close_hour : float
        End of in-house hours, hour of day in (open_hour, 24].
    open_weekdays : tuple of int
        Days with in-house hours (Monday = 0 … Sunday = 6); default every day.

    Notes
    -----
    An interval is in-house when it *starts* within ``[open_hour, close_hour)`` on an open
    weekday. Needs a DatetimeIndex on the volume.

    Examples
    --------
    >>> idx = pd.date_range("2026-01-05 06:00", periods=4, freq="4h")  # 06, 10, 14, 18 h
    >>> inh, ven = AfterHoursSplit(open_hour=8, close_hour=18).split(pd.Series(10.0, index=idx))
    >>> inh.tolist(), ven.tolist()
    ([0.0, 10.0, 10.0, 0.0], [10.0, 0.0, 0.0, 10.0])
    """

    open_hour: Annotated[NonNegative, Field(lt=24.0)]
    close_hour: Annotated[NonNegative, Field(le=24.0)]
    open_weekdays: tuple[Annotated[Int, Field(ge=0, le=6)], ...] = (0, 1, 2, 3, 4, 5, 6)

    @model_validator(mode="after")
    def _order(self) -> Self:
        if not self.close_hour > self.open_hour:
            raise ValueError(
                f"close_hour must be after open_hour (got {self.open_hour:g}–{self.close_hour:g})"
            )
        return self

    @property
    def label(self) -> str:
        """Option name used in comparison tables."""
        return f"hybrid: after hours to vendor (in-house {self.open_hour:g}–{self.close_hour:g}h)"

    def split(self, volume: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Return ``(in-house, vendor)`` contacts per interval."""
        v = _volume(volume)
        idx = volume.index
        if not isinstance(idx, pd.DatetimeIndex):
            raise InputError("AfterHoursSplit needs a DatetimeIndex on the volume")
        hour = np.asarray(idx.hour + idx.minute / 60.0 + idx.second / 3600.0)
        is_open = (hour >= self.open_hour) & (hour < self.close_hour)
        is_open &= np.isin(np.asarray(idx.day_of_week), self.open_weekdays)
        inh = np.where(is_open, v, 0.0)
        return pd.Series(inh, index=idx), pd.Series(v - inh, index=idx)


HybridSplit = ShareSplit | OverflowSplit | AfterHoursSplit
