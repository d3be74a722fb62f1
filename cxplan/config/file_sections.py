"""The sections of a parameter file that belong to the file, not to a domain class.

``history:`` (the client's interval history and how its forecast drives the plan), ``kpi:``
(scorecard actuals and targets), ``sanity:`` (thresholds of the report's "check this" box) and
``fx:`` (the defaults' currency and conversion rates). :mod:`cxplan.config.params` assembles them
into :class:`~cxplan.config.params.RegionParams` and re-exports them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from cxplan._schema import Int, Num, Text
from cxplan.config.files import relative_path
from cxplan.data.columns import FIELDS as HISTORY_FIELDS
from cxplan.plan import kpi

__all__ = ["KPI_NAMES", "FxParams", "HistoryParams", "KpiParams", "SanityParams"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class HistoryParams(_Model):
    """The client's interval history and how its forecast drives the plan.

    ``file`` is relative to the params folder (CSV, CSV.GZ or XLSX); ``columns`` maps canonical
    fields to the file's headers where auto-detection needs help; ``channels`` maps a plan
    channel (voice, chat, email) to the history's channel or queue name (default: the same name,
    or the only channel). ``staffing_quantile`` staffs to a forecast quantile (0.8 = P80)
    instead of the mean.
    """

    file: Text
    columns: dict[str, str] = {}
    timezone: str | None = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{2,3}$")] | None = None
    subdivision: str | None = None
    event_days: list[date] = []
    backtest_weeks: Annotated[Int, Field(ge=1, le=52)] = 8
    staffing_quantile: Annotated[Num, Field(gt=0.0, lt=1.0)] | None = None
    gap_fill: Literal["auto", "missing", "zero", "last_week", "error"] = "auto"
    channels: dict[Literal["voice", "chat", "email"], str] = {}
    answer_threshold_s: Annotated[Num, Field(ge=0.0, le=86_400.0)] | None = None
    dayfirst: bool = False
    sheet: str | None = None

    @field_validator("file")
    @classmethod
    def _file(cls, value: str) -> str:
        return relative_path(value)

    @field_validator("columns")
    @classmethod
    def _columns(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(HISTORY_FIELDS))
        if unknown:
            raise ValueError(f"unknown field {unknown[0]!r} (known: {', '.join(HISTORY_FIELDS)})")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        import zoneinfo

        if value is not None:
            try:  # the system zone database, not a user file
                zoneinfo.ZoneInfo(value)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise ValueError(
                    f"must be an IANA zone such as 'Europe/London' (got {value!r})"
                ) from None
        return value

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        import holidays

        if value is not None and value not in holidays.list_supported_countries():
            raise ValueError(f"must be a country code the holidays library knows (got {value!r})")
        return value


#: KPIs the scorecard knows (the keys of :data:`cxplan.plan.kpi.DEFAULT_TARGETS`).
KPI_NAMES: tuple[str, ...] = tuple(kpi.DEFAULT_TARGETS)


ChannelKpi = Literal["aht_s", "service_level"]


def _scorecard_kpi(value: Any) -> Any:
    """Check that a KPI target replaces one of the scorecard's targets (reported on its ``kpi``)."""
    if isinstance(value, Mapping) and value.get("kpi") not in KPI_NAMES:
        raise ValueError(f"kpi must be one of {', '.join(KPI_NAMES)} (got {value.get('kpi')!r})")
    return value


class KpiParams(_Model):
    """KPI actuals (or plan values) for the scorecard; missing ones show as "no data".

    ``actuals`` are operation-wide; ``channels`` holds each channel's AHT and service level,
    scored against that channel's targets on the ``aht_basis`` (seed 001 general band or seed 000
    staccato targets). ``targets`` replaces benchmark targets
    (:class:`~cxplan.plan.kpi.KpiTarget`, e.g. seed 000's CSAT ≥ 85 % for consumer retail).
    """

    actuals: dict[str, Num | None] = {}
    channels: dict[Literal["voice", "chat", "email"], dict[ChannelKpi, Num]] = {}
    aht_basis: Literal["general", "staccato"] = "general"
    targets: tuple[Annotated[kpi.KpiTarget, BeforeValidator(_scorecard_kpi)], ...] = ()

    @field_validator("targets")
    @classmethod
    def _once(cls, value: tuple[kpi.KpiTarget, ...]) -> tuple[kpi.KpiTarget, ...]:
        names = [t.kpi for t in value]
        if len(set(names)) != len(names):
            raise ValueError(f"must name each KPI at most once (got {names})")
        return value

    def scorecard_targets(self) -> dict[str, kpi.KpiTarget]:
        """Return the benchmark targets with this file's ``targets`` in place of the defaults."""
        return {**kpi.DEFAULT_TARGETS, **{t.kpi: t for t in self.targets}}

    @field_validator("actuals")
    @classmethod
    def _known(cls, value: dict[str, float | None]) -> dict[str, float | None]:
        unknown = sorted(set(value) - set(KPI_NAMES))
        if unknown:
            raise ValueError(f"unknown KPI {unknown[0]!r} (known: {', '.join(KPI_NAMES)})")
        return value


class SanityParams(_Model):
    """Thresholds of the report's "check this" box."""

    max_roi: Annotated[Num, Field(gt=0.0)] = 10.0
    min_payback_months: Annotated[Num, Field(ge=0.0)] = 3.0
    max_shortfall_weeks: Annotated[Int, Field(ge=0)] = 4
    max_service_level_gap: Annotated[Num, Field(gt=0.0, le=1.0)] = 0.05


class FxParams(_Model):
    """Currencies: the defaults' currency and the rates that convert it into the region's.

    ``rates[C]`` is how many units of the region's currency one unit of ``C`` buys (e.g. a GBP
    region: ``rates: {USD: 0.79}``). A region whose currency differs from
    ``defaults_currency`` must give that rate: every money value it takes from the defaults is
    converted with it.
    """

    defaults_currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    rates: dict[Annotated[str, Field(pattern=r"^[A-Z]{3}$")], Annotated[Num, Field(gt=0.0)]] = {}
    as_of: Text = ""
    source: Text = ""
