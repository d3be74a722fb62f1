"""The sections of a parameter file that are domain configuration classes.

Each section *is* its domain class (:mod:`cxplan._schema`), extended only by what belongs to the
file: a channel's ``weekly_contacts``, the workforce's shrinkage and plan costs, a plain-words
rule for names shown in reports, lower-case ids for roadmap tasks. So a section validates with
the domain's own rules and :class:`~cxplan.model.RegionModel` uses it as it is.
:mod:`cxplan.config.params` assembles them into :class:`~cxplan.config.params.RegionParams`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from cxplan._schema import (
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
from cxplan.config.naming import plain_name
from cxplan.economics import costs, outsourcing, sourcing
from cxplan.errors import InputError
from cxplan.plan import roadmap
from cxplan.workforce import capacity, staffing

__all__ = [
    "MAX_WEEKLY_CONTACTS",
    "ChatParams",
    "EmailParams",
    "LicenceParams",
    "LocationParams",
    "PhaseParams",
    "PlainName",
    "RoadmapParams",
    "SourcingParams",
    "TaskParams",
    "TechnologyParams",
    "VendorParams",
    "VoiceParams",
    "WorkforceParams",
]

# Largest plausible weekly volume of one channel in one region; beyond it a number is a typo.
MAX_WEEKLY_CONTACTS = 1e8

_ID_RE = r"^[a-z0-9][a-z0-9-]{0,39}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


#: A name shown in reports and used in file names: plain words.
PlainName = Annotated[Text, AfterValidator(plain_name)]


#: A channel's contacts in the plan's first week (at most 10^8: beyond it a number is a typo);
#: optional when the region names its interval history, whose forecast gives the volumes.
WeeklyContacts = Annotated[Num, Field(ge=0.0, le=MAX_WEEKLY_CONTACTS)]


class VoiceParams(staffing.VoiceChannel):
    """Inbound voice: :class:`~cxplan.workforce.staffing.VoiceChannel` plus its weekly volume.

    Erlang C, or Erlang A with ``patience_s``; ``max_asa_s``, ``max_abandonment`` and
    ``sl_definition`` as for the channel. In a file the occupancy cap defaults to 0.85.
    """

    max_occupancy: Share = 0.85
    weekly_contacts: WeeklyContacts | None = None


class ChatParams(staffing.ChatChannel):
    """Chat with concurrency (:class:`~cxplan.workforce.staffing.ChatChannel`) and its volume."""

    max_occupancy: Share = 0.85
    weekly_contacts: WeeklyContacts | None = None


class EmailParams(staffing.DeferredChannel):
    """Email / back-office work (:class:`~cxplan.workforce.staffing.DeferredChannel`), volume."""

    weekly_contacts: WeeklyContacts | None = None


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
