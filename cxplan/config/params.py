"""Parameter files: the pydantic schema of a region and :func:`load_params`.

A region file (``params/regions/<name>.yaml``) is merged over ``params/defaults.yaml`` (mappings
merge key by key; lists and scalars in the region file replace the default) and validated here.
Every model forbids unknown keys (a typo is an error, not ignored) and NaN or infinite numbers.
Validators are pure (no file access); problems come back as one line each,
``file:line: field: what was expected (got what was found)``, from :mod:`cxplan.config.yamlfile`.

Units are in the key names: ``_s`` seconds, ``_minutes``, ``_weeks``, ``_months``, ``_days``,
``_per_hour``/``_per_month``/``_per_year`` money rates in the region's currency; shares are
fractions.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from cxplan._schema import (
    MONEY,
    Fraction,
    Int,
    Money,
    NonNegative,
    Num,
    OpenFraction,
    Positive,
    Share,
    Text,
)
from cxplan.config.money import convert_defaults
from cxplan.config.naming import region_slug
from cxplan.config.yamlfile import Locator, load_model
from cxplan.data.columns import FIELDS as HISTORY_FIELDS
from cxplan.economics import costs, outsourcing, sourcing
from cxplan.errors import CxplanError, InputError, ParamsError
from cxplan.plan import kpi, pilot_readout, roadmap
from cxplan.workforce import capacity, staffing

__all__ = [
    "KPI_NAMES",
    "MAX_DATA_FILE_BYTES",
    "ChannelsParams",
    "ChatParams",
    "Dist",
    "EmailParams",
    "FinanceParams",
    "ForecastParams",
    "HistoryParams",
    "InitiativeParams",
    "KpiParams",
    "LicenceParams",
    "LocationParams",
    "PhaseParams",
    "PilotParams",
    "RegionInfo",
    "RegionParams",
    "RoadmapParams",
    "SourcingParams",
    "TaskParams",
    "TechnologyParams",
    "VendorParams",
    "VoiceParams",
    "WorkforceParams",
    "base_value",
    "data_file",
    "find_defaults",
    "load_params",
    "params_root",
]

# Largest plausible weekly volume of one channel in one region; beyond it a number is a typo.
MAX_WEEKLY_CONTACTS = 1e8

# Names are shown in reports and turned into file names: plain words only. Anything that looks
# like code or a path (quotes, brackets, slashes, $, ;, `, |, <, >, =, _) is refused.
_NAME_RE = re.compile(r"^[A-Za-z0-9À-ÖØ-öø-ÿ][A-Za-z0-9À-ÖØ-öø-ÿ &',.-]{0,59}$")
_ID_RE = r"^[a-z0-9][a-z0-9-]{0,39}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _plain_name(value: str) -> str:
    if not _NAME_RE.match(value) or ".." in value:
        raise ValueError(
            "must be plain words (letters, digits, spaces, - & ' , .; at most 60 characters)"
        )
    return value


class RegionInfo(_Model):
    """Who and where: the region's display name, currency and plan start."""

    name: Text
    currency: Annotated[Text, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    start_date: date
    description: Text = ""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        _plain_name(value)
        try:  # the same rule the batch uses for report file names
            region_slug(value)
        except CxplanError as exc:
            raise ValueError(str(exc).replace(f"region name {value!r} ", "")) from None
        return value

    @field_validator("start_date")
    @classmethod
    def _monday(cls, value: date) -> date:
        if value.weekday() != 0:
            raise ValueError(f"must be a Monday (plans run in whole weeks; got a {value:%A})")
        return value


class ForecastParams(_Model):
    """Volume shape: interval length, horizon, growth, weekly seasonality and intraday profile."""

    interval_minutes: Literal[15, 30, 60] = 30
    horizon_weeks: Annotated[Int, Field(ge=4, le=52)] = 26
    growth_annual: Annotated[Num, Field(ge=-0.9, le=5.0)] = 0.0
    seasonality: list[Positive] | None = None
    day_of_week_share: Annotated[list[Fraction], Field(min_length=7, max_length=7)]
    intraday_profile: Annotated[list[NonNegative], Field(min_length=1)]

    @field_validator("day_of_week_share")
    @classmethod
    def _dow_sums_to_one(cls, value: list[float]) -> list[float]:
        total = sum(value)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"must sum to 1 (Monday to Sunday shares; got {total:.6g})")
        return value

    @field_validator("intraday_profile")
    @classmethod
    def _profile_has_volume(cls, value: list[float]) -> list[float]:
        if sum(value) <= 0:
            raise ValueError("must have at least one interval with volume (all values are 0)")
        return value

    @model_validator(mode="after")
    def _shapes(self) -> ForecastParams:
        per_day = 24 * 60 // self.interval_minutes
        if len(self.intraday_profile) != per_day:
            raise ValueError(
                f"intraday_profile must have {per_day} values for {self.interval_minutes}-minute "
                f"intervals (got {len(self.intraday_profile)})"
            )
        if self.seasonality is not None and len(self.seasonality) != self.horizon_weeks:
            raise ValueError(
                f"seasonality must have one factor per week of the horizon, {self.horizon_weeks} "
                f"(got {len(self.seasonality)})"
            )
        return self


#: A channel's contacts in the plan's first week (at most 10^8: beyond it a number is a typo).
WeeklyContacts = Annotated[Num, Field(ge=0.0, le=MAX_WEEKLY_CONTACTS)]


class VoiceParams(staffing.VoiceChannel):
    """Inbound voice: :class:`~cxplan.workforce.staffing.VoiceChannel` plus its weekly volume.

    Erlang C, or Erlang A with ``patience_s``; ``max_asa_s``, ``max_abandonment`` and
    ``sl_definition`` as for the channel. In a file the occupancy cap defaults to 0.85.
    """

    max_occupancy: Share = 0.85
    weekly_contacts: WeeklyContacts


class ChatParams(staffing.ChatChannel):
    """Chat with concurrency (:class:`~cxplan.workforce.staffing.ChatChannel`) and its volume."""

    max_occupancy: Share = 0.85
    weekly_contacts: WeeklyContacts


class EmailParams(staffing.DeferredChannel):
    """Email / back-office work (:class:`~cxplan.workforce.staffing.DeferredChannel`), volume."""

    weekly_contacts: WeeklyContacts


class ChannelsParams(_Model):
    """The channels the region staffs (at least one)."""

    voice: VoiceParams | None = None
    chat: ChatParams | None = None
    email: EmailParams | None = None

    @model_validator(mode="after")
    def _one(self) -> ChannelsParams:
        if self.voice is None and self.chat is None and self.email is None:
            raise ValueError("at least one of voice, chat, email must be given")
        return self


#: The learning curve a file gets when it does not describe one (defaults.yaml does): 12 weeks
#: rising linearly from 55 % (domain notes: proficiency in 3-6 months; month-1 efficiency about
#: 53 % of month 12).
_LEARNING_CURVE = capacity.LearningCurve(weeks=12, start_efficiency=0.55, shape="linear")

#: Older spelling of the learning curve (flat keys), still read: key -> learning_curve field.
_LEGACY_LEARNING_KEYS = {
    "learning_curve_weeks": "weeks",
    "learning_start_efficiency": "start_efficiency",
}


class WorkforceParams(capacity.Workforce):
    """The workforce (:class:`~cxplan.workforce.capacity.Workforce`) and how it is planned.

    Beyond the capacity model's fields (starting headcount, attrition, training attrition,
    training weeks, learning curve, FTE per head): shrinkage and its rule, FTE hours, hiring
    class limits, recruiting lead time, committed classes and the unit costs of the plan.
    """

    learning_curve: capacity.LearningCurve = _LEARNING_CURVE
    shrinkage: OpenFraction = 0.30
    shrinkage_method: Literal["divide", "multiply"] = "divide"
    fte_hours_per_week: Annotated[Positive, Field(le=80.0)] = 40.0
    max_class_size: Annotated[Int, Field(ge=1, le=10_000)] = 20
    min_class_size: Annotated[Int, Field(ge=1, le=10_000)] = 1
    recruiting_lead_weeks: Annotated[Int, Field(ge=0, le=52)] = 6
    hiring_classes: tuple[capacity.HiringClass, ...] = ()
    shortfall_cost_per_fte_week: Money = 2_000.0
    surplus_cost_per_fte_week: Money = 1_000.0
    cost_per_class: Money = 0.0

    @model_validator(mode="before")
    @classmethod
    def _legacy_learning_keys(cls, data: Any) -> Any:
        """Read ``learning_curve_weeks`` / ``learning_start_efficiency`` (the older spelling)."""
        if not isinstance(data, Mapping) or not set(_LEGACY_LEARNING_KEYS) & set(data):
            return data
        data = dict(data)
        curve = data.get("learning_curve")
        curve = dict(curve) if isinstance(curve, Mapping) else {}
        efficiency_given = "learning_start_efficiency" in data
        for key, field in _LEGACY_LEARNING_KEYS.items():
            if key in data:
                curve[field] = data.pop(key)
        if efficiency_given:
            # the older keys described a linear rise in efficiency from that start
            curve.setdefault("shape", "linear")
            curve["start_aht_multiplier"] = curve["efficiency_by_week"] = None
        try:  # report a problem on the key the file wrote (learning_curve_weeks: ...)
            data["learning_curve"] = capacity.LearningCurve(**curve)
        except InputError as exc:
            message = str(exc)
            for key, field in _LEGACY_LEARNING_KEYS.items():
                message = message.replace(f"learning_curve.{field} ", f"{key} ")
            raise ValueError(message) from None
        return data


#: A name shown in reports and used in file names: plain words (see ``_NAME_RE``).
PlainName = Annotated[Text, AfterValidator(_plain_name)]


class LocationParams(costs.Location):
    """Where the in-house agents sit and what an hour of them costs (:class:`~costs.Location`).

    In a file the name must be plain words (it is shown in reports) and the wage positive.
    """

    name: PlainName

    @field_validator("wage_per_hour")
    @classmethod
    def _paid(cls, value: float) -> float:
        if not value > 0:
            raise ValueError("must be > 0 (an agent hour is paid)")
        return value


class LicenceParams(costs.Licence):
    """One per-seat monthly licence, in one of the stack's categories."""

    category: Literal["platform", "crm", "knowledge_qa", "workforce", "other"]


class TechnologyParams(costs.TechStack):
    """The technology stack (:class:`~cxplan.economics.costs.TechStack`)."""

    licences: tuple[LicenceParams, ...]


def _component_labels(components: Any) -> Any:
    """Label the components a file gives without one: the kind, numbered when it repeats."""
    if not isinstance(components, list | tuple):
        return components
    kinds = [c.get("kind") if isinstance(c, Mapping) else None for c in components]
    out = []
    for i, (c, kind) in enumerate(zip(components, kinds, strict=True)):
        if isinstance(c, Mapping) and isinstance(kind, str) and "label" not in c:
            n = kinds.count(kind)
            c = {**c, "label": kind if n == 1 else f"{kind}_{kinds[: i + 1].count(kind)}"}
        out.append(c)
    return out


class VendorParams(outsourcing.VendorQuote):
    """An outsourcing quote (:class:`~cxplan.economics.outsourcing.VendorQuote`).

    Components are chosen by ``kind`` (``per_minute``, ``per_contact``, ``per_agent_hour``,
    ``per_seat``, ``fixed_fee``); one without a ``label`` is labelled by its kind (numbered when
    a kind repeats).
    """

    name: PlainName

    @model_validator(mode="before")
    @classmethod
    def _label_components(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and "components" in data:
            return {**data, "components": _component_labels(data["components"])}
        return data


def _hours_pair(value: Any) -> Any:
    """``[open_hour, close_hour]`` (the short form) as an after-hours split's fields."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return {"open_hour": value[0], "close_hour": value[1]}
    return value


class SourcingParams(_Model):
    """Which channel is compared in-house vs outsourced, and the hybrid splits to price.

    ``vendor_share`` prices a :class:`~cxplan.economics.sourcing.ShareSplit`,
    ``overflow_contacts_per_interval`` an :class:`~cxplan.economics.sourcing.OverflowSplit` and
    ``after_hours`` (``[open_hour, close_hour]`` or the split's own fields, with
    ``open_weekdays``) an :class:`~cxplan.economics.sourcing.AfterHoursSplit`.
    """

    channel: Literal["voice", "chat", "email"] = "voice"
    vendor_share: Fraction = 0.30
    overflow_contacts_per_interval: NonNegative | None = None
    after_hours: Annotated[sourcing.AfterHoursSplit, BeforeValidator(_hours_pair)] | None = None
    occupancy_caps: list[Share] = [0.65, 0.70, 0.85]
    baseline_occupancy_cap: Share = 0.85

    def hybrids(self) -> dict[str, sourcing.HybridSplit]:
        """Return the hybrid splits to price, by option name."""
        out: dict[str, sourcing.HybridSplit] = {
            f"hybrid {self.vendor_share:.0%} to vendor": sourcing.ShareSplit(
                vendor_share=self.vendor_share
            )
        }
        if self.overflow_contacts_per_interval is not None:
            out["hybrid overflow"] = sourcing.OverflowSplit(
                inhouse_contacts_per_interval=self.overflow_contacts_per_interval
            )
        if self.after_hours is not None:
            out["hybrid after-hours"] = self.after_hours
        return out


class Dist(_Model):
    """An uncertain input: PERT (λ = 4) or triangular over low ≤ mode ≤ high."""

    low: Num
    mode: Num
    high: Num
    dist: Literal["pert", "triangular"] = "pert"

    @model_validator(mode="after")
    def _ordered(self) -> Dist:
        if not self.low <= self.mode <= self.high:
            raise ValueError(
                f"must have low <= mode <= high (got {self.low:g}, {self.mode:g}, {self.high:g})"
            )
        return self


Uncertain = Num | Dist


def base_value(value: float | Dist) -> float:
    """Return the base-case value of an input (a number, or low/mode/high: its mode)."""
    return float(value.mode) if isinstance(value, Dist) else float(value)


def _bounded(name: str, value: Uncertain, low: float, high: float) -> Uncertain:
    values = [value] if isinstance(value, float | int) else [value.low, value.mode, value.high]
    for v in values:
        if not low <= v <= high:
            raise ValueError(f"must lie in [{low:g}, {high:g}] (got {v:g})")
    return value


class CorrelationParams(_Model):
    """A rank correlation between two uncertain inputs of the Monte Carlo."""

    between: Annotated[list[str], Field(min_length=2, max_length=2)]
    rho: Annotated[Num, Field(gt=-1.0, lt=1.0)]


#: Cost components that may fall when paid FTE leave (``cxplan.economics.costs.COST_COMPONENTS``).
CostComponent = Literal["wages", "benefits", "supervision", "technology", "facilities", "other"]


class InitiativeParams(_Model):
    """The initiative: levers, how it is rolled out, and what it costs beyond the roadmap tasks.

    Levers and ``realisation`` and ``tooling_per_year`` may be numbers or low/mode/high. One-off
    programme costs are the roadmap tasks' cost ranges; the rollout dates are the roadmap's
    ``pilot_task`` and ``rollout_task``.
    """

    name: Text = "Initiative"
    aht_reduction: Uncertain = 0.0
    deflection: Uncertain = 0.0
    fcr_improvement: Uncertain = 0.0
    realisation: Uncertain = 1.0
    occupancy_cap: Share | None = None
    baseline_fcr: Fraction = 0.70
    repeats_per_unresolved: Annotated[Num, Field(ge=0.0, le=10.0)] = 1.0
    deflected_aht_ratio: Annotated[Num, Field(ge=0.0, le=2.0)] = 1.0
    tooling_per_year: Annotated[Uncertain, MONEY] = 0.0
    licence_per_agent_per_month: Money = 0.0
    training_hours_per_agent: Annotated[Num, Field(ge=0.0, le=500.0)] = 0.0
    automation_cost_per_contact: Money = 0.0
    avoidable_cost_components: list[CostComponent] = [
        "wages",
        "benefits",
        "supervision",
        "technology",
    ]
    release_policy: Literal["attrition", "release"] = "attrition"
    release_cost_per_fte: Money = 0.0
    pilot_task: Text = "pilot"
    rollout_task: Text = "rollout"
    decision_lag_days: Annotated[Int, Field(ge=0, le=365)] = 0
    correlations: list[CorrelationParams] = []

    @field_validator("aht_reduction")
    @classmethod
    def _aht(cls, v: Uncertain) -> Uncertain:
        return _bounded("aht_reduction", v, 0.0, 0.95)

    @field_validator("deflection")
    @classmethod
    def _defl(cls, v: Uncertain) -> Uncertain:
        return _bounded("deflection", v, 0.0, 1.0)

    @field_validator("fcr_improvement")
    @classmethod
    def _fcr(cls, v: Uncertain) -> Uncertain:
        return _bounded("fcr_improvement", v, -1.0, 1.0)

    @field_validator("realisation")
    @classmethod
    def _real(cls, v: Uncertain) -> Uncertain:
        return _bounded("realisation", v, 0.0, 1.0)

    @field_validator("tooling_per_year")
    @classmethod
    def _money(cls, v: Uncertain) -> Uncertain:
        return _bounded("cost", v, 0.0, 1e12)

    @model_validator(mode="after")
    def _correlated_inputs(self) -> InitiativeParams:
        uncertain = [n for n in UNCERTAIN_INITIATIVE_INPUTS if isinstance(getattr(self, n), Dist)]
        seen: set[frozenset[str]] = set()
        for i, c in enumerate(self.correlations):
            for name in c.between:
                if name not in uncertain and not name.startswith("task:"):
                    raise ValueError(
                        f"correlations[{i}].between must name inputs given as low/mode/high "
                        f"({', '.join(uncertain) or 'none'}, or task:<id>; got {name!r})"
                    )
            pair = frozenset(c.between)
            if len(pair) < 2 or pair in seen:
                raise ValueError(f"correlations[{i}].between must be two different inputs, once")
            seen.add(pair)
        return self


#: Initiative inputs that may be uncertain (low/mode/high) in the Monte Carlo and tornado.
UNCERTAIN_INITIATIVE_INPUTS: tuple[str, ...] = (
    "aht_reduction",
    "deflection",
    "fcr_improvement",
    "realisation",
    "tooling_per_year",
)


class FinanceParams(_Model):
    """Discounting, horizon, TEI risk adjustment and the Monte Carlo settings."""

    discount_rate_annual: Annotated[Num, Field(ge=0.0, le=1.0)] = 0.10
    horizon_months: Annotated[Int, Field(ge=12, le=120)] = 36
    risk_benefit: Annotated[Num, Field(ge=0.0, lt=1.0)] = 0.10
    risk_cost: Annotated[Num, Field(ge=0.0, le=2.0)] = 0.10
    monte_carlo_draws: Annotated[Int, Field(ge=100, le=1_000_000)] = 10_000
    seed: Annotated[Int, Field(ge=0, le=2**32 - 1)] = 20_261_123
    payback_within_months: Annotated[Int, Field(ge=1, le=120)] = 12
    risk_adjustments: dict[str, Annotated[Num, Field(ge=0.0, le=2.0)]] = {}

    @field_validator("risk_adjustments")
    @classmethod
    def _lines(cls, value: dict[str, float]) -> dict[str, float]:
        for key, share in value.items():
            if key not in CASE_LINES and not key.startswith("task:"):
                raise ValueError(
                    f"unknown business-case line {key!r} (known: {', '.join(CASE_LINES)}, "
                    "task:<task id>)"
                )
            if key in ("labour", "recruiting") and share >= 1.0:
                raise ValueError(f"{key}: a benefit's risk adjustment must be < 1 (got {share:g})")
        return value


#: Business-case line keys (plus ``task:<id>`` for each roadmap task with a cost).
CASE_LINES: tuple[str, ...] = (
    "labour",
    "recruiting",
    "tooling",
    "licences",
    "agent_training",
    "automation",
    "release",
)


_RoadmapId = Annotated[Text, Field(pattern=_ID_RE)]


class PhaseParams(roadmap.Phase):
    """A roadmap phase (:class:`~cxplan.plan.roadmap.Phase`); ids are lower-case words."""

    id: _RoadmapId


class TaskParams(roadmap.Task):
    """A roadmap task (:class:`~cxplan.plan.roadmap.Task`); ids are lower-case words.

    Its id names it in ``finance.risk_adjustments`` and ``initiative.correlations``
    (``task:<id>``).
    """

    id: _RoadmapId


class RoadmapParams(roadmap.Roadmap):
    """Phases and tasks of the 90–180-day plan (:class:`~cxplan.plan.roadmap.Roadmap`).

    The default is the seed 001 template of ``params/defaults.yaml``.
    """

    phases: Annotated[tuple[PhaseParams, ...], Field(min_length=1)]
    tasks: Annotated[tuple[TaskParams, ...], Field(min_length=1)]
    horizon_days: Annotated[Int, Field(ge=30, le=3_650)] = 180


class PilotParams(_Model):
    """The A/B pilot's design assumptions and (optionally) its data file."""

    aht_change: Annotated[Num, Field(gt=-1.0, lt=1.0)] = -0.20
    aht_cv: Annotated[Num, Field(gt=0.0, le=5.0)] = 0.8
    fcr_control: Share = 0.70
    fcr_change: Annotated[Num, Field(gt=-1.0, lt=1.0)] = -0.05
    csat_control: Share = 0.80
    csat_change: Annotated[Num, Field(gt=-1.0, lt=1.0)] = 0.05
    csat_response_rate: Share = 0.30
    alpha: Annotated[Num, Field(gt=0.0, lt=0.5)] = 0.05
    power: Annotated[Num, Field(gt=0.5, lt=1.0)] = 0.80
    pilot_share: Share = 0.25
    pilot_days: Annotated[Int, Field(ge=7, le=365)] = 90
    agents_per_arm: Annotated[Int, Field(ge=1, le=100_000)] | None = None
    icc: Annotated[Num, Field(ge=0.0, lt=1.0)] = 0.0
    cost_target_month: Annotated[Num, Field(ge=0.0, le=24.0)] = 0.0
    data_csv: Text | None = None

    @field_validator("data_csv")
    @classmethod
    def _relative(cls, value: str | None) -> str | None:
        return None if value is None else _relative_path(value)


def _relative_path(value: str) -> str:
    if os.path.isabs(value) or ".." in Path(value).parts:
        raise ValueError(f"must be a path relative to the params folder (got {value!r})")
    return value


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
        return _relative_path(value)

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


class RegionParams(_Model):
    """Everything about one region, after merging ``defaults.yaml`` ← region file."""

    region: RegionInfo
    forecast: ForecastParams
    channels: ChannelsParams
    workforce: WorkforceParams
    location: LocationParams
    technology: TechnologyParams
    vendor: VendorParams
    sourcing: SourcingParams = SourcingParams()
    initiative: InitiativeParams = InitiativeParams()
    finance: FinanceParams = FinanceParams()
    roadmap: RoadmapParams
    pilot: PilotParams = PilotParams()
    kpi: KpiParams = KpiParams()
    sanity: SanityParams = SanityParams()
    fx: FxParams = FxParams()
    history: HistoryParams | None = None

    @model_validator(mode="after")
    def _cross(self) -> RegionParams:
        given = [c for c in ("voice", "chat", "email") if getattr(self.channels, c) is not None]
        channel = self.sourcing.channel
        if getattr(self.channels, channel) is None:
            # reported on sourcing.channel (the value that chose it), not on the whole document
            _fail(
                ("sourcing", "channel"),
                channel,
                f"must be one of this region's channels ({', '.join(given)})",
            )
        horizon = self.forecast.horizon_weeks
        for k, hc in enumerate(self.workforce.hiring_classes):
            if hc.start_week >= horizon:
                _fail(
                    ("workforce", "hiring_classes", k, "start_week"),
                    hc.start_week,
                    f"must be before the end of the {horizon}-week horizon (got {hc.start_week})",
                )
        for kpi_channel in self.kpi.channels:
            if kpi_channel not in given:
                _fail(
                    ("kpi", "channels", kpi_channel),
                    kpi_channel,
                    f"is not one of this region's channels ({', '.join(given)})",
                )
        tasks = {t.id: t for t in self.roadmap.tasks}
        i = self.initiative
        for field in ("pilot_task", "rollout_task"):
            tid = getattr(i, field)
            if tid not in tasks:
                _fail(
                    ("initiative", field),
                    tid,
                    f"must be one of the roadmap's task ids ({', '.join(tasks)})",
                )
        decision = tasks[i.pilot_task].end_day + i.decision_lag_days
        if tasks[i.rollout_task].start_day < decision:
            _fail(
                ("initiative", "rollout_task"),
                i.rollout_task,
                f"starts on day {tasks[i.rollout_task].start_day}, before the go/no-go decision "
                f"on day {decision} (pilot task {i.pilot_task!r} ends on day "
                f"{tasks[i.pilot_task].end_day}, decision lag {i.decision_lag_days} days)",
            )
        costed = {f"task:{t.id}" for t in self.roadmap.tasks}
        for key in self.finance.risk_adjustments:
            if key.startswith("task:") and key not in costed:
                _fail(
                    ("finance", "risk_adjustments", key),
                    key,
                    "names no roadmap task (task:<id> of a roadmap task)",
                )
        for k, c in enumerate(i.correlations):
            for name in c.between:
                if name.startswith("task:") and name not in costed:
                    _fail(
                        ("initiative", "correlations", k, "between"),
                        name,
                        "names no roadmap task (task:<id> of a roadmap task)",
                    )
        if self.region.currency != self.fx.defaults_currency and (
            self.fx.defaults_currency not in self.fx.rates
        ):
            _fail(
                ("region", "currency"),
                self.region.currency,
                f"differs from the defaults' currency {self.fx.defaults_currency}: give "
                f"fx.rates.{self.fx.defaults_currency}",
            )
        return self  # fmt: skip


def _fail(loc: tuple[str | int, ...], value: object, message: str) -> None:
    """Raise a validation error located at ``loc`` (so it is reported on that line)."""
    raise ValidationError.from_exception_data(
        "RegionParams",
        [
            {
                "type": "value_error",
                "loc": loc,
                "input": value,
                "ctx": {"error": ValueError(message)},
            }
        ],
    )


def find_defaults(path: str | os.PathLike[str]) -> Path | None:
    """Find the ``defaults.yaml`` of a region file: beside it, or one folder up (``params/``).

    The folders are looked up where the region file is *reached* first (a symbolic link to a
    region file kept elsewhere still uses the defaults beside the link), then where it really is.
    """
    given = Path(os.path.abspath(path))
    real = Path(os.path.realpath(path))
    folders = [given.parent, given.parent.parent, real.parent, real.parent.parent]
    for folder in dict.fromkeys(folders):  # in order, without repeats
        candidate = folder / "defaults.yaml"
        if candidate.is_file() and os.path.realpath(candidate) != str(real):
            return candidate
    return None


def params_root(
    path: str | os.PathLike[str], defaults_path: str | os.PathLike[str] | None = None
) -> Path:
    """Folder that the data files a region file names are resolved against (and must stay in).

    The folder holding its ``defaults.yaml`` (``params/``), else the region file's own folder;
    both as reached (symbolic links in the path are kept, see :func:`find_defaults`).
    """
    defaults = defaults_path if defaults_path is not None else find_defaults(path)
    anchor = defaults if defaults is not None else path
    return Path(os.path.abspath(anchor)).parent


#: Largest data file a parameter file may name (a pilot readout is a few thousand rows).
MAX_DATA_FILE_BYTES = 256 * 1024 * 1024


def data_file(root: str | os.PathLike[str], relative: str) -> Path:
    """Resolve a data file a parameter file names, relative to the params folder ``root``.

    Every data file (the pilot CSV today, interval histories later) is reached through this
    function: the file must be a regular file inside ``root`` once every symbolic link (of the
    file or of a folder on the way) is followed, so a parameter file cannot make a report read
    ``/etc/passwd`` or another client's folder, and a pipe or device never blocks a run.

    Parameters
    ----------
    root : path-like
        The params folder (see :func:`params_root`).
    relative : str
        The path as written in the parameter file (validated relative, without ``..``).

    Returns
    -------
    pathlib.Path
        The real path of the file.

    Raises
    ------
    InputError
        The file leads outside ``root``, does not exist, is a folder, a pipe, a socket or a
        device, cannot be read, or is larger than :data:`MAX_DATA_FILE_BYTES`.
    """
    folder = Path(os.path.abspath(root))
    candidate = folder / relative
    real = Path(os.path.realpath(candidate))
    real_root = Path(os.path.realpath(folder))
    if real != real_root and real_root not in real.parents:
        raise InputError(
            f"{candidate} leads outside the params folder {folder} (to {real}, through a "
            "symbolic link); data files must stay inside it"
        )
    try:
        info = os.stat(real)
    except FileNotFoundError:
        raise InputError(f"file not found: {candidate}") from None
    except OSError as exc:
        raise InputError(f"cannot read {candidate}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{candidate} is a folder, not a data file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{candidate} is not a regular file (a pipe, socket or device)")
    if info.st_size > MAX_DATA_FILE_BYTES:
        raise InputError(
            f"{candidate} is {info.st_size / 1e6:,.0f} MB; data files may be at most "
            f"{MAX_DATA_FILE_BYTES / 1e6:,.0f} MB"
        )
    if not os.access(real, os.R_OK):
        raise InputError(f"cannot read {candidate}: permission denied")
    return real


def _check_data_files(params: RegionParams, root: Path) -> list[tuple[tuple[str, ...], str]]:
    """Problems with the data files a region names (read as the report will read them)."""
    problems: list[tuple[tuple[str, ...], str]] = []
    relative = params.pilot.data_csv
    if relative is not None:
        try:
            pilot_readout.readout_csv(data_file(root, relative), alpha=params.pilot.alpha)
        except CxplanError as exc:
            problems.append((("pilot", "data_csv"), str(exc)))
    if params.history is not None:  # its content is checked where it is read (cxplan.data)
        try:
            data_file(root, params.history.file)
        except CxplanError as exc:
            problems.append((("history", "file"), str(exc)))
    return problems


def load_params(
    path: str | os.PathLike[str], *, defaults_path: str | os.PathLike[str] | None = None
) -> RegionParams:
    """Load and validate a region file merged over its defaults, and the data files it names.

    Parameters
    ----------
    path : str or os.PathLike
        The region file (``params/regions/<name>.yaml``).
    defaults_path : str or os.PathLike, optional
        The defaults file; by default ``defaults.yaml`` beside the region file or one folder up
        (see :func:`find_defaults`).

    Returns
    -------
    RegionParams
        The validated parameters.

    Raises
    ------
    ParamsError
        One line per problem: ``file:line: field: what was expected (got what was found)``. A
        data file (``pilot.data_csv``) that the report could not use is a problem of its field:
        missing, outside the params folder, not a regular file, not a readable table or
        without the columns its readout needs.
    """
    p = Path(path)
    if not p.is_file():
        raise ParamsError(f"{p}: file not found")
    defaults = defaults_path if defaults_path is not None else find_defaults(p)
    root = params_root(p, defaults)
    return load_model(
        RegionParams,
        p,
        defaults_path=defaults,
        prepare=_convert_currency,
        check=lambda params: _check_data_files(params, root),
    )


def _section(data: Mapping[Any, Any], key: str) -> Mapping[Any, Any]:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def _convert_currency(
    layers: list[tuple[dict[Any, Any], Locator]],
) -> list[tuple[dict[Any, Any], Locator]]:
    """Convert the defaults' money into the region's currency (see :mod:`cxplan.config.money`).

    The defaults file states its currency (``fx.defaults_currency``); a region in another
    currency must give ``fx.rates.<defaults currency>``, else the region cannot be read (a USD
    wage silently read as GBP would be a wrong number, not an error).
    """
    if len(layers) < 2:
        return layers
    (base_data, base_locator), (top_data, top_locator) = layers[0], layers[-1]
    base_currency = _section(base_data, "fx").get("defaults_currency", "USD")
    currency = _section(top_data, "region").get(
        "currency", _section(base_data, "region").get("currency", "USD")
    )
    if not isinstance(currency, str) or not isinstance(base_currency, str):
        return layers  # validation reports the bad type
    if currency == base_currency:
        return layers
    rates = {
        **_section(_section(base_data, "fx"), "rates"),
        **_section(_section(top_data, "fx"), "rates"),
    }
    rate = rates.get(base_currency)
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not rate > 0:
        where = (
            ("region", "currency") if "currency" in _section(top_data, "region") else ("region",)
        )
        file, line = top_locator.locate(where)
        raise ParamsError(
            [
                f"{file}:{line}: region.currency: {currency} differs from the defaults' currency "
                f"{base_currency}, so every money default would be read in the wrong currency: "
                f"give fx.rates.{base_currency} (how many {currency} one {base_currency} buys)"
            ]
        )
    return [(convert_defaults(RegionParams, base_data, float(rate)), base_locator), *layers[1:]]
