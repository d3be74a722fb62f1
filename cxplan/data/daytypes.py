"""Calendar of a contact centre's days: weekday, Saturday, Sunday or holiday.

Public holidays come from the maintained ``holidays`` library (country and optional
subdivision); client-specific event days (a sale, a billing run, a closure) are given as a list
and count as their own kind of day in the forecast.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan.errors import InputError

__all__ = [
    "DAY_TYPES",
    "Calendar",
    "day_types",
    "holiday_dates",
]

#: The day types the baseline and the intraday shapes are keyed by.
DAY_TYPES: tuple[str, ...] = ("weekday", "saturday", "sunday", "holiday")


@lru_cache(maxsize=64)
def _holiday_table(country: str, subdiv: str | None, years: tuple[int, ...]) -> frozenset[date]:
    import holidays

    try:
        table = holidays.country_holidays(country, subdiv=subdiv, years=years)
    except NotImplementedError:
        raise InputError(
            f"country {country!r} is not known to the holidays library "
            "(use an ISO 3166-1 alpha-2 code such as 'US', 'GB', 'DE')"
        ) from None
    return frozenset(table.keys())


def holiday_dates(
    country: str | None, years: Iterable[int], *, subdiv: str | None = None
) -> frozenset[date]:
    """Public holidays of a country (and subdivision) in the given years.

    Parameters
    ----------
    country : str or None
        ISO 3166-1 alpha-2 country code (``"US"``, ``"GB"``); ``None`` gives no holidays.
    years : iterable of int
        Calendar years to cover.
    subdiv : str, optional
        Subdivision code (``"ENG"`` for England, ``"CA"`` for California).

    Returns
    -------
    frozenset of datetime.date
        The holiday dates.

    Raises
    ------
    InputError
        If the country or subdivision is unknown.

    Examples
    --------
    >>> date(2025, 12, 25) in holiday_dates("GB", [2025])
    True
    """
    if country is None:
        return frozenset()
    try:
        return _holiday_table(country.upper(), subdiv, tuple(sorted(set(years))))
    except NotImplementedError as exc:  # unknown subdivision
        raise InputError(f"subdivision {subdiv!r} of {country!r}: {exc}") from None


class Calendar:
    """Day types and holiday/event flags for a country's calendar.

    Parameters
    ----------
    country : str, optional
        ISO country code for public holidays (``None``: no public holidays).
    subdiv : str, optional
        Subdivision code for regional holidays.
    event_days : iterable of date, optional
        Client-specific event days (counted as ``event`` in the forecast's daily model; their
        intraday shape is their day type's).
    """

    def __init__(
        self,
        country: str | None = None,
        *,
        subdiv: str | None = None,
        event_days: Iterable[date | str | pd.Timestamp] = (),
    ) -> None:
        self.country = country.upper() if country else None
        self.subdiv = subdiv
        self.event_days = frozenset(pd.Timestamp(d).date() for d in event_days)
        if self.country is not None:
            holiday_dates(self.country, [2024], subdiv=subdiv)  # fail early on a bad code

    def holidays(self, dates: pd.DatetimeIndex) -> npt.NDArray[np.bool_]:
        """Flag the public holidays among ``dates`` (midnight timestamps or dates)."""
        if self.country is None or len(dates) == 0:
            return np.zeros(len(dates), dtype=bool)
        years = range(int(dates.year.min()), int(dates.year.max()) + 1)
        table = holiday_dates(self.country, years, subdiv=self.subdiv)
        return _member(dates, table)

    def events(self, dates: pd.DatetimeIndex) -> npt.NDArray[np.bool_]:
        """Flag the client's event days among ``dates``."""
        if not self.event_days:
            return np.zeros(len(dates), dtype=bool)
        return _member(dates, self.event_days)

    def day_types(self, dates: pd.DatetimeIndex) -> npt.NDArray[np.str_]:
        """Day type of each date: ``weekday``, ``saturday``, ``sunday`` or ``holiday``."""
        return day_types(dates, self.holidays(dates))


def _member(dates: pd.DatetimeIndex, table: frozenset[date]) -> npt.NDArray[np.bool_]:
    days = np.asarray(dates.values, dtype="datetime64[D]")
    wanted = np.array(sorted(table), dtype="datetime64[D]")
    return np.asarray(np.isin(days, wanted), dtype=bool)


def day_types(
    dates: pd.DatetimeIndex, holiday: npt.NDArray[np.bool_] | None = None
) -> npt.NDArray[np.str_]:
    """Classify dates as ``weekday``, ``saturday``, ``sunday`` or ``holiday``.

    Parameters
    ----------
    dates : pandas.DatetimeIndex
        The dates (any time of day; only the date counts).
    holiday : array of bool, optional
        Holiday flags (take precedence over the weekday).

    Returns
    -------
    numpy.ndarray of str
        One of :data:`DAY_TYPES` per date.

    Examples
    --------
    >>> day_types(pd.DatetimeIndex(["2026-01-02", "2026-01-03", "2026-01-04"])).tolist()
    ['weekday', 'saturday', 'sunday']
    """
    dow = np.asarray(dates.dayofweek)
    out = np.where(dow == 5, "saturday", np.where(dow == 6, "sunday", "weekday"))
    if holiday is not None:
        out = np.where(holiday, "holiday", out)
    return out.astype(str)
