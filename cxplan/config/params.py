"""Parameter files: the pydantic schema of a region and :func:`load_params`.

A region file (``params/regions/<name>.yaml``) is merged over ``params/defaults.yaml`` (mappings
merge key by key; lists and scalars in the region file replace the default) and validated here.
Every model forbids unknown keys (a typo is an error, not ignored) and NaN or infinite numbers.
Validators are pure (no file access); problems come back as one line each,
``file:line: field: what was expected (got what was found)``, from :mod:`cxplan.config.yamlfile`.

Units are in the key names: ``_s`` seconds, ``_minutes``, ``_weeks``, ``_months``, ``_days``,
``_per_hour``/``_per_month``/``_per_year`` money rates in the region's currency; shares are
fractions.

The sections that are domain configuration classes (channels, workforce, location, technology,
vendor, sourcing, roadmap) are in :mod:`cxplan.config.sections`; the file's own sections (history,
kpi, sanity, fx) in :mod:`cxplan.config.file_sections`; where files are found and data files
resolved, in :mod:`cxplan.config.files`. All are re-exported here.
"""

from __future__ import annotations

import functools
import os
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from cxplan._schema import MONEY, Fraction, Int, Money, NonNegative, Num, Positive, Share, Text
from cxplan.config.distribution import ShiftsSection, SkillsSection
from cxplan.config.file_sections import (
    KPI_NAMES,
    FxParams,
    HistoryParams,
    KpiParams,
    SanityParams,
)
from cxplan.config.files import (
    MAX_DATA_FILE_BYTES,
    data_file,
    defaults_candidates,
    find_defaults,
    params_root,
    relative_path,
)
from cxplan.config.money import convert_layers
from cxplan.config.naming import plain_name, region_slug
from cxplan.config.scenarios import SCENARIOS_KEY, Scenario, read_scenarios
from cxplan.config.sections import (
    ChatParams,
    EmailParams,
    LicenceParams,
    LocationParams,
    PhaseParams,
    RoadmapParams,
    SourcingParams,
    TaskParams,
    TechnologyParams,
    VendorParams,
    VoiceParams,
    WorkforceParams,
)
from cxplan.config.yamlfile import Locator, load_model, merge, read_layers
from cxplan.errors import CxplanError, ParamsError
from cxplan.plan import pilot_readout

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
    "ShiftsSection",
    "SkillsSection",
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
    "scenario_names",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class RegionInfo(_Model):
    """Who and where: the region's display name, currency and plan start."""

    name: Text
    currency: Annotated[Text, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    start_date: date
    description: Text = ""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        plain_name(value)
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
        return None if value is None else relative_path(value)


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
    # seed 003's distribution step (optional, no defaults): skills-based routing compared by
    # simulation, and the plan's week turned into shifts (cxplan.config.distribution)
    skills: SkillsSection | None = None
    shifts: ShiftsSection | None = None

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
        if self.history is None:
            for name in given:
                if getattr(self.channels, name).weekly_contacts is None:
                    _fail(
                        ("channels", name, "weekly_contacts"),
                        None,
                        "is required (contacts in the plan's first week), unless the region "
                        "names its interval history (history.file), whose forecast is used instead",
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
        self._check_shifts()
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

    def _check_shifts(self) -> None:
        """Check the scheduled week lies in the plan and paid breaks fit in the paid shrinkage."""
        if self.shifts is None:
            return
        horizon = self.forecast.horizon_weeks
        if self.shifts.week != "peak" and self.shifts.week >= horizon:
            _fail(
                ("shifts", "week"),
                self.shifts.week,
                f"must be a plan week from 0 to {horizon - 1} or peak (got {self.shifts.week})",
            )
        w = self.workforce
        # the shrinkage the costs use (RegionModel.paid_shrinkage): breaks are part of it (seed 001)
        paid = w.shrinkage if w.shrinkage_method == "divide" else w.shrinkage / (1.0 + w.shrinkage)
        for k, t in enumerate(self.shifts.templates):
            if t.break_minutes > paid * t.paid_minutes + 1e-9:
                _fail(
                    ("shifts", "templates", k, "break_minutes"),
                    t.break_minutes,
                    f"paid breaks are counted in shrinkage (seed 001), so they must fit inside "
                    f"the paid shrinkage: at most {paid:.1%} of the {t.paid_minutes} paid minutes "
                    f"= {int(paid * t.paid_minutes + 1e-9)} (got {t.break_minutes})",
                )


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


def _without_scenarios(
    layers: list[tuple[dict[Any, Any], Locator]],
) -> list[tuple[dict[Any, Any], Locator]]:
    """Leave the region file's ``scenarios:`` out of its layer (they are not the region)."""
    if not layers:
        return layers
    data, locator = layers[-1]
    return [*layers[:-1], ({k: v for k, v in data.items() if k != SCENARIOS_KEY}, locator)]


def _with_scenario(
    layers: list[tuple[dict[Any, Any], Locator]], scenario: Scenario
) -> list[tuple[dict[Any, Any], Locator]]:
    """Merge a scenario's overlay into the region file's layer.

    A problem is reported where the scenario writes the value, or else on the scenario's own
    line (a value of the region or the defaults that the scenario's change made wrong).
    """
    *below, (data, locator) = _without_scenarios(layers)
    file, line = scenario.locator.locate(())
    return [
        *[(d, loc.pinned(file, line)) for d, loc in below],
        (merge(data, scenario.overlay), locator.pinned(file, line).overlay(scenario.locator)),
    ]


def _prepare_scenario(
    layers: list[tuple[dict[Any, Any], Locator]], scenario: Scenario
) -> list[tuple[dict[Any, Any], Locator]]:
    return convert_layers(RegionParams, _with_scenario(layers, scenario))


def load_params(
    path: str | os.PathLike[str],
    *,
    defaults_path: str | os.PathLike[str] | None = None,
    scenario: str | None = None,
) -> RegionParams:
    """Load and validate a region file merged over its defaults, and the data files it names.

    Every named scenario of the file (``scenarios:`` and ``<stem>.scenarios/*.yaml``, see
    :mod:`cxplan.config.scenarios`) is validated too: a file loads only when its region and all
    its scenarios do.

    Parameters
    ----------
    path : str or os.PathLike
        The region file (``params/regions/<name>.yaml``).
    defaults_path : str or os.PathLike, optional
        The defaults file (``cxplan validate --defaults PATH``); by default ``defaults.yaml``
        beside the region file or one folder up (see :func:`find_defaults`).
    scenario : str, optional
        Return this named scenario of the region (its overlay merged over the region) instead
        of the region itself.

    Returns
    -------
    RegionParams
        The validated parameters (of the region, or of the scenario asked for).

    Raises
    ------
    ParamsError
        One line per problem: ``file:line: field: what was expected (got what was found)``
        (``file:line: scenarios.NAME.field: ...`` for a scenario's). A data file
        (``pilot.data_csv``) that the report could not use is a problem of its field:
        missing, outside the params folder, not a regular file, not a readable table or
        without the columns its readout needs. A region file that lacks sections the defaults
        would give while no ``defaults.yaml`` was found: one line naming the region file and
        where the defaults were looked for. A ``defaults_path`` that is not a file: one line.
        An unknown ``scenario``: one line naming the scenarios the file has.
    """
    p = Path(path)
    if not p.is_file():
        raise ParamsError(f"{p}: file not found")
    if defaults_path is not None and not Path(defaults_path).is_file():
        raise ParamsError(f"{p}: defaults file not found: {defaults_path} (given as its defaults)")
    defaults = defaults_path if defaults_path is not None else find_defaults(p)
    root = params_root(p, defaults)

    def check(params: RegionParams) -> list[tuple[tuple[str, ...], str]]:
        return _check_data_files(params, root)

    files = read_layers(p, defaults)  # read once: the region and each scenario use them
    try:
        base = load_model(
            RegionParams,
            p,
            defaults_path=defaults,
            prepare=lambda layers: convert_layers(RegionParams, _without_scenarios(layers)),
            check=check,
            layers=files,
        )
    except ParamsError as exc:
        missing = [line for line in exc.problems if line.endswith(": required field is missing")]
        if defaults is not None or not missing:
            raise
        raise ParamsError(_no_defaults(p, missing)) from None
    scenarios = read_scenarios(p, files[-1])
    if scenario is not None and scenario not in scenarios:
        file, line = files[-1][1].locate((SCENARIOS_KEY,))
        known = ", ".join(scenarios) or "none"
        raise ParamsError(
            f"{file}:{line}: {SCENARIOS_KEY}: no scenario {scenario!r} (this region has: {known})"
        )
    problems: list[str] = []
    loaded: dict[str, RegionParams] = {}
    for name in [scenario] if scenario is not None else list(scenarios):
        try:
            loaded[name] = load_model(
                RegionParams,
                p,
                defaults_path=defaults,
                prepare=functools.partial(_prepare_scenario, scenario=scenarios[name]),
                # the data files are the region's (checked above) unless the scenario names others
                check=check if {"pilot", "history"} & set(scenarios[name].overlay) else None,
                prefix=f"{SCENARIOS_KEY}.{name}.",
                layers=files,
            )
        except ParamsError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ParamsError(problems)
    return base if scenario is None else loaded[scenario]


def _no_defaults(path: Path, missing: list[str]) -> str:
    """Return the one line for a region file that needs defaults where none were found."""
    fields = [line.rsplit(": ", 2)[-2] for line in missing]
    shown = ", ".join(fields[:3]) + (", ..." if len(fields) > 3 else "")
    looked = " and ".join(str(c) for c in defaults_candidates(path))
    return (
        f"{path}:1: no defaults.yaml found (looked for {looked}); a region file is merged over "
        "its defaults: put defaults.yaml in one of those folders (cxplan init writes one) or "
        f"pass --defaults PATH (the region file alone lacks {shown})"
    )


def scenario_names(path: str | os.PathLike[str]) -> list[str]:
    """Return the names of a region file's scenarios (file order, then its scenario folder's).

    Only the names are read; :func:`load_params` validates the scenarios.

    Raises
    ------
    ParamsError
        A bad name, a scenario that is not a mapping, a name given twice.
    """
    return list(read_scenarios(path))
