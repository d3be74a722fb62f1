"""One schema (issue 11): the domain configuration classes are the parameter-file schema.

Each params section is its domain class (plus file-level fields such as ``weekly_contacts``), so
every rule is written once: constructed in Python a broken value raises ``InputError`` naming the
class, field and rule; read from a file the same rule is reported as ``file:line: field:
message``. Every domain option is reachable from YAML and reaches the model unchanged.

Figures compared here are the parameters themselves (what a file sets is what the model uses);
effects are checked as directions (a tighter answer-speed cap never needs fewer agents).
"""

from __future__ import annotations

import shutil
import typing
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from pydantic import BaseModel, ValidationError

from cxplan._schema import ConfigModel, models_in
from cxplan.config import params as P
from cxplan.config.money import is_money
from cxplan.config.params import RegionParams, load_params
from cxplan.economics import costs, outsourcing, sourcing
from cxplan.errors import CxplanError, InputError, ParamsError
from cxplan.model import RegionModel
from cxplan.plan import kpi, roadmap
from cxplan.workforce import capacity, staffing

REPO = Path(__file__).resolve().parent.parent
DEFAULTS = REPO / "params" / "defaults.yaml"
REGIONS = REPO / "params" / "regions"

#: Every domain configuration class (issue 11's list of former dataclasses).
DOMAIN = [
    staffing.VoiceChannel,
    staffing.ChatChannel,
    staffing.DeferredChannel,
    costs.Location,
    costs.LocationProfile,
    costs.Licence,
    costs.TechStack,
    outsourcing.Tiers,
    outsourcing.PerMinute,
    outsourcing.PerContact,
    outsourcing.PerAgentHour,
    outsourcing.PerSeat,
    outsourcing.FixedFee,
    outsourcing.VendorQuote,
    sourcing.ShareSplit,
    sourcing.OverflowSplit,
    sourcing.AfterHoursSplit,
    capacity.LearningCurve,
    capacity.Workforce,
    capacity.HiringClass,
    capacity.CapacityCosts,
    roadmap.Phase,
    roadmap.Task,
    roadmap.Roadmap,
    kpi.KpiTarget,
]

#: Params section → the domain class it is (it adds only what belongs to the file).
SECTIONS = [
    (P.VoiceParams, staffing.VoiceChannel, {"weekly_contacts"}),
    (P.ChatParams, staffing.ChatChannel, {"weekly_contacts"}),
    (P.EmailParams, staffing.DeferredChannel, {"weekly_contacts"}),
    (P.LocationParams, costs.Location, set()),
    (P.LicenceParams, costs.Licence, set()),
    (P.TechnologyParams, costs.TechStack, set()),
    (P.VendorParams, outsourcing.VendorQuote, set()),
    (
        P.WorkforceParams,
        capacity.Workforce,
        {
            "shrinkage",
            "shrinkage_method",
            "fte_hours_per_week",
            "max_class_size",
            "min_class_size",
            "recruiting_lead_weeks",
            "hiring_classes",
            "shortfall_cost_per_fte_week",
            "surplus_cost_per_fte_week",
            "cost_per_class",
        },
    ),
    (P.PhaseParams, roadmap.Phase, set()),
    (P.TaskParams, roadmap.Task, set()),
    (P.RoadmapParams, roadmap.Roadmap, set()),
]


def reachable(model: type[BaseModel]) -> set[type[BaseModel]]:
    """Every model class a file can reach from ``model`` through its fields' types."""
    seen: set[type[BaseModel]] = set()
    todo = [model]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for info in current.model_fields.values():
            todo.extend(models_in(info.annotation))
    return seen


# ------------------------------------------------------------------------------ one schema


@pytest.mark.parametrize("cls", DOMAIN, ids=lambda c: c.__name__)
def test_domain_classes_are_frozen_strict_models(cls: type[ConfigModel]) -> None:
    assert issubclass(cls, ConfigModel)
    config = cls.model_config
    assert (config["extra"], config["frozen"], config["allow_inf_nan"]) == ("forbid", True, False)


@pytest.mark.parametrize(("section", "domain", "file_fields"), SECTIONS, ids=lambda x: str(x))
def test_each_section_is_its_domain_class(
    section: type[BaseModel], domain: type[BaseModel], file_fields: set[str]
) -> None:
    assert issubclass(section, domain)
    # every option of the domain class can be written in a file, under the same name ...
    assert set(domain.model_fields) <= set(section.model_fields)
    # ... and the section adds only what belongs to the file
    assert set(section.model_fields) - set(domain.model_fields) == file_fields


def test_every_domain_class_is_reachable_from_a_region_file() -> None:
    found = reachable(RegionParams)
    direct = {c for c in DOMAIN if any(issubclass(f, c) for f in found)}
    # built from a section rather than written as one (their fields are reachable, below)
    built = {
        costs.LocationProfile,  # location: + workforce.attrition_annual (Location.profile)
        capacity.CapacityCosts,  # workforce costs + location.hiring_cost_per_hire + wage
        sourcing.ShareSplit,  # sourcing.vendor_share (SourcingParams.hybrids)
        sourcing.OverflowSplit,  # sourcing.overflow_contacts_per_interval
    }
    assert set(DOMAIN) - direct == built
    workforce = set(P.WorkforceParams.model_fields)
    assert {"shortfall_cost_per_fte_week", "surplus_cost_per_fte_week", "cost_per_class"} <= (
        workforce
    )
    assert set(costs.LocationProfile.model_fields) - set(costs.Location.model_fields) == {
        "attrition_per_year"
    }


# --------------------------------------------------------------- errors from Python


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: staffing.VoiceChannel(aht_s=0), "aht_s must be > 0 (got 0)"),
        (lambda: staffing.VoiceChannel(aht_s=True), "aht_s must be a number (got True)"),
        (lambda: staffing.VoiceChannel(aht_s="300"), "aht_s must be a number (got '300')"),
        (lambda: staffing.VoiceChannel(aht_s=float("nan")), "aht_s must not be NaN (got nan)"),
        (
            lambda: staffing.VoiceChannel(aht_s=300, sl_definition="abandoned"),
            "sl_definition must be 'offered', 'answered' or 'virtual' (got 'abandoned')",
        ),
        (
            lambda: staffing.VoiceChannel(aht_s=300, max_abandonment=0.05),
            "max_abandonment needs patience_s (callers abandon only in the Erlang A model)",
        ),
        (
            lambda: staffing.VoiceChannel(aht_s=300, patience=60),
            "patience is not a known field (got 60)",
        ),
        (
            lambda: costs.LOCATION_PRESETS["offshore"].replace(wage_per_hour=-1),
            "LocationProfile.wage_per_hour must be >= 0 (got -1)",
        ),
        (
            lambda: capacity.HiringClass(start_week=1, size=-3),
            "hiring_class.size must be >= 0 (got -3)",
        ),
        (
            lambda: capacity.LearningCurve(weeks=4, start_efficiency=0.5, start_aht_multiplier=2),
            "learning_curve: give only one of start_efficiency, start_aht_multiplier, "
            "efficiency_by_week (got start_efficiency, start_aht_multiplier; set the others to "
            "null)",
        ),
        (
            lambda: capacity.Workforce(starting_headcount=10, learning_curve=0.5),
            "learning_curve must be a LearningCurve (got 0.5)",
        ),
        (
            lambda: roadmap.Task("a", "A", "p", 5, 3),
            "task 'a': end_day (3) is before start_day (5)",
        ),
        (
            lambda: outsourcing.Tiers(band_starts=[0, 10, 5], prices=[3, 2, 1]),
            "Tiers.band_starts must be strictly increasing: bands overlap or are unordered "
            "(band 2 starts at 5 after 10)",
        ),
        (
            lambda: outsourcing.PerMinute(price_per_minute="abc"),
            "PerMinute.price_per_minute must be a number or a Tiers (got 'abc')",
        ),
        (
            lambda: outsourcing.PerMinute(price_per_minute={"band_starts": [0], "prices": [-1]}),
            "PerMinute.price_per_minute.prices[0] must be >= 0 (got -1)",
        ),
        (
            lambda: outsourcing.VendorQuote(
                name="q", components=[{"kind": "per_seat", "price_per_seat_per_month": 1}]
            ),
            "VendorQuote.components[0].hours_per_seat_per_month is required",
        ),
        (
            lambda: kpi.KpiTarget(
                kpi="x", label="X", unit="fraction", direction="higher", low=1.5, valid_high=1
            ),
            "x: low must be <= 1 (got 1.5)",
        ),
    ],
)
def test_python_construction_raises_input_error_naming_class_field_and_rule(
    build: Any, message: str
) -> None:
    with pytest.raises(InputError) as info:
        build()
    assert str(info.value) == message
    assert isinstance(info.value, CxplanError) and isinstance(info.value, ValueError)


def test_numpy_numbers_positional_values_and_replace() -> None:
    ch = staffing.ChatChannel(aht_s=np.float64(300), concurrency_aht_factor=np.array([1.0, 1.2]))
    assert type(ch.aht_s) is float and ch.concurrency_aht_factor == (1.0, 1.2)
    hc = capacity.HiringClass(np.int64(2), np.float64(12.0))  # whole floats are whole numbers
    assert (hc.start_week, hc.size) == (2, 12) and type(hc.size) is int
    with pytest.raises(InputError, match=r"hiring_class.size must be a whole number \(got 12.5\)"):
        capacity.HiringClass(start_week=2, size=12.5)
    phase = roadmap.Phase("p1", "0-30 days", 0, 30)
    assert phase == roadmap.Phase(id="p1", name="0-30 days", start_day=0, end_day=30)
    voice = staffing.VoiceChannel(aht_s=300)
    assert voice.replace(aht_s=240) == staffing.VoiceChannel(aht_s=240)
    with pytest.raises(InputError, match=r"^max_occupancy must be <= 1 \(got 85\)$"):
        voice.replace(max_occupancy=85)  # a percent, not a fraction
    with pytest.raises(ValidationError, match="frozen"):
        voice.aht_s = 1.0  # type: ignore[misc]
    assert voice.aht_s == 300.0


# --------------------------------------------------------------------- from a file


def write_region(
    root: Path, region: dict[str, Any], defaults: dict[str, Any] | None = None
) -> Path:
    """A params folder under ``root``: the real defaults (or ``defaults``) and one region."""
    params = root / "params"
    (params / "regions").mkdir(parents=True)
    shutil.copytree(REPO / "params" / "pilot", params / "pilot")
    if defaults is None:
        shutil.copy(DEFAULTS, params / "defaults.yaml")
    else:
        (params / "defaults.yaml").write_text(yaml.safe_dump(defaults, sort_keys=False))
    path = params / "regions" / "test.yaml"
    path.write_text(yaml.safe_dump(region, sort_keys=False), encoding="utf-8")
    return path


def north_america() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REGIONS / "north-america.yaml").read_text())
    return data


def defaults_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DEFAULTS.read_text())
    return data


def every_option(data: dict[str, Any]) -> dict[str, Any]:
    """North America with every option the hand adapters used to drop set in its file."""
    ch = data["channels"]
    ch["voice"].update(max_asa_s=30, max_abandonment=0.05, sl_definition="answered")
    ch["chat"]["patience_s"] = 300
    ch["email"]["cyclic"] = False
    data["vendor"]["components"] = [
        {
            "kind": "per_minute",
            "price_per_minute": 0.95,
            "billing_increment_s": 6,
            "handle_time_distribution": "constant",
        },
        {"kind": "per_seat", "price_per_seat_per_month": 900, "hours_per_seat_per_month": 160},
    ]
    data["workforce"].update(
        learning_curve={
            "weeks": 8,
            "start_efficiency": None,
            "start_aht_multiplier": 1.5,
            "shape": "linear_aht",
        },
        training_attrition_annual=0.5,
        fte_per_head=0.9,
        cost_per_class=3000,
        hiring_classes=[{"start_week": -2, "size": 10}, {"start_week": 2, "size": 12}],
    )
    data["technology"] = {"licences_per_fte": 1.1}
    data["sourcing"] = {
        "after_hours": {"open_hour": 8, "close_hour": 20, "open_weekdays": [0, 1, 2, 3, 4]}
    }
    plan = defaults_data()["roadmap"]
    for task in plan["tasks"]:
        if task["id"] == "stack":
            task.update(
                cost_base=5000,
                upfront=True,
                monthly_recurring_cost=400,
                recurring_end_day=120,
                source="assumption: licence pilot",
            )
    data["roadmap"] = {**plan, "dependency_overlap": "warn"}
    data["kpi"]["targets"] = [
        {
            "kpi": "csat",
            "label": "CSAT",
            "unit": "fraction",
            "direction": "higher",
            "low": 0.85,
            "amber": 0.05,
            "valid_low": 0.0,
            "valid_high": 1.0,
            "source": "seed 000: CSAT >= 85 % for consumer retail pilots",
        }
    ]
    return data


@pytest.fixture(scope="module")
def every(tmp_path_factory: pytest.TempPathFactory) -> RegionModel:
    path = write_region(tmp_path_factory.mktemp("every"), every_option(north_america()))
    return RegionModel(load_params(path), params_root=path.parent.parent)


def test_every_option_reaches_the_model(every: RegionModel) -> None:
    voice, chat, email = (every.channels[c] for c in ("voice", "chat", "email"))
    assert isinstance(voice, staffing.VoiceChannel)
    assert (voice.max_asa_s, voice.max_abandonment, voice.sl_definition) == (30, 0.05, "answered")
    assert isinstance(chat, staffing.ChatChannel) and chat.patience_s == 300
    assert isinstance(email, staffing.DeferredChannel) and email.cyclic is False
    minute, seat = every.quote.components
    assert isinstance(minute, outsourcing.PerMinute) and isinstance(seat, outsourcing.PerSeat)
    assert (minute.billing_increment_s, minute.handle_time_distribution) == (6, "constant")
    assert (seat.label, seat.price_per_seat_per_month) == ("per_seat", 900)
    wf = every.workforce
    assert wf.learning_curve == capacity.LearningCurve(weeks=8, start_aht_multiplier=1.5)
    assert (wf.training_attrition_annual, wf.fte_per_head) == (0.5, 0.9)
    assert every.capacity_costs.cost_per_class == 3000
    assert every.committed_classes[0] == capacity.HiringClass(start_week=-2, size=10)
    assert every.tech.licences_per_fte == 1.1
    after = every.hybrids["hybrid after-hours"]
    assert isinstance(after, sourcing.AfterHoursSplit) and after.open_weekdays == (0, 1, 2, 3, 4)
    stack = every.roadmap.task("stack")
    assert (stack.upfront, stack.recurring_end_day, stack.source) == (
        True,
        120,
        "assumption: licence pilot",
    )
    assert (stack.cost_low, stack.cost_high) == (5000, 5000)  # a point estimate
    assert every.roadmap.dependency_overlap == "warn"
    card = every.kpi_scorecard.set_index("kpi")
    assert card.loc["csat", "target"] == "≥ 85 %"


def test_options_change_the_figures(every: RegionModel, tmp_path: Path) -> None:
    base_path = write_region(tmp_path / "base", north_america())
    base = RegionModel(load_params(base_path), params_root=base_path.parent.parent)
    data = north_america()
    data["channels"]["voice"].update(max_asa_s=30, max_abandonment=0.05)
    data["vendor"]["components"].append(
        {"kind": "per_seat", "price_per_seat_per_month": 900, "hours_per_seat_per_month": 160}
    )
    capped_path = write_region(tmp_path / "capped", data)
    capped = RegionModel(load_params(capped_path), params_root=capped_path.parent.parent)
    # an answer-speed and abandonment cap never need fewer agents in any interval, and the
    # 30 s ASA cap does need more somewhere at North America's 240 s patience
    more, plain = capped.staffing["voice"]["agents"], base.staffing["voice"]["agents"]
    assert (more >= plain).all() and (more > plain).any()
    # a per-seat line on top of the per-minute price makes outsourcing dearer
    assert capped.sourcing_totals["outsourced"] > base.sourcing_totals["outsourced"]
    assert every.cost_per_paid_hour > base.cost_per_paid_hour  # 1.1 licences per FTE


def test_defaults_document_every_new_option() -> None:
    text = DEFAULTS.read_text(encoding="utf-8")
    for key in [
        "max_asa_s",
        "max_abandonment",
        "sl_definition",
        "patience_s",
        "cyclic",
        "per_seat",
        "billing_increment_s",
        "handle_time_distribution",
        "learning_curve",
        "start_aht_multiplier",
        "training_attrition_annual",
        "fte_per_head",
        "cost_per_class",
        "licences_per_fte",
        "open_weekdays",
        "dependency_overlap",
        "recurring_end_day",
        "upfront",
        "cost_source",
        "targets",
    ]:
        assert key in text, key


def test_older_learning_curve_keys_are_still_read(tmp_path: Path) -> None:
    nested = load_params(REGIONS / "north-america.yaml").workforce.learning_curve
    defaults = defaults_data()
    defaults["workforce"].pop("learning_curve")
    defaults["workforce"].update(learning_curve_weeks=12, learning_start_efficiency=0.55)
    path = write_region(tmp_path, north_america(), defaults)
    assert load_params(path).workforce.learning_curve == nested


def test_an_older_learning_curve_key_is_reported_on_its_line(tmp_path: Path) -> None:
    data = north_america()
    data["workforce"]["learning_curve_weeks"] = -1
    path = write_region(tmp_path, data)
    (line,) = problems(path)
    number = path.read_text().splitlines().index("  learning_curve_weeks: -1") + 1
    assert line == f"{path}:{number}: workforce.learning_curve_weeks: must be >= 0 (got -1)"


def problems(path: Path) -> list[str]:
    with pytest.raises(ParamsError) as info:
        load_params(path)
    return info.value.problems


@pytest.mark.parametrize(
    ("section", "field"),
    [
        (P.LocationParams, "wage_per_hour"),
        (P.LocationParams, "hiring_cost_per_hire"),
        (outsourcing.PerSeat, "price_per_seat_per_month"),
        (outsourcing.FixedFee, "fee_per_month"),
        (outsourcing.Tiers, "prices"),
        (P.TaskParams, "cost_base"),
        (P.TaskParams, "monthly_recurring_cost"),
        (P.WorkforceParams, "cost_per_class"),
        (P.VendorParams, "transition_cost"),
        (P.TechnologyParams, "implementation_cost"),
    ],
)
def test_money_fields_carry_the_money_marker(section: type[BaseModel], field: str) -> None:
    assert is_money(section, field)


@pytest.mark.parametrize(
    ("section", "field"),
    [(outsourcing.PerSeat, "hours_per_seat_per_month"), (outsourcing.Tiers, "band_starts")],
)
def test_volumes_are_not_money(section: type[BaseModel], field: str) -> None:
    assert not is_money(section, field)


def test_a_per_seat_price_in_the_defaults_is_converted_to_the_region_currency(
    tmp_path: Path,
) -> None:
    defaults = defaults_data()
    defaults["vendor"]["components"] = [
        {"kind": "per_seat", "price_per_seat_per_month": 2000, "hours_per_seat_per_month": 160}
    ]
    region = north_america()
    del region["vendor"]["components"]
    region["region"]["currency"] = "GBP"
    region["fx"] = {"rates": {"USD": 0.8}}
    path = write_region(tmp_path, region, defaults)
    (seat,) = load_params(path).vendor.components
    assert isinstance(seat, outsourcing.PerSeat)
    assert seat.price_per_seat_per_month == pytest.approx(1600.0)  # 2000 USD × 0.8 GBP/USD
    assert seat.hours_per_seat_per_month == 160.0  # hours are not money


def test_component_labels_number_a_repeated_kind(tmp_path: Path) -> None:
    data = north_america()
    data["vendor"]["components"] = [
        {"kind": "per_minute", "price_per_minute": 0.95},
        {"kind": "per_minute", "price_per_minute": 0.10, "wrap_minutes_per_contact": 1.0},
        {"kind": "fixed_fee", "fee_per_month": 1000, "label": "platform fee"},
    ]
    quote = load_params(write_region(tmp_path, data)).vendor
    assert [c.label for c in quote.components] == ["per_minute_1", "per_minute_2", "platform fee"]


def test_union_annotations_are_resolved() -> None:
    # the component union is discriminated by kind (one error line per wrong kind)
    hints = typing.get_type_hints(outsourcing.VendorQuote, include_extras=True)
    assert "components" in hints
    assert set(models_in(hints["components"])) == {
        outsourcing.PerMinute,
        outsourcing.PerContact,
        outsourcing.PerAgentHour,
        outsourcing.PerSeat,
        outsourcing.FixedFee,
    }
