"""Tests for cxplan.config.params: the region schema, the defaults merge and where each error
points.

Files are written under ``tmp_path`` laid out like the repository (``params/defaults.yaml`` and
``params/regions/<name>.yaml``) so :func:`cxplan.config.params.load_params` finds the defaults
itself. A
test region is a copy of a demo region with one line edited (:func:`region_file`), so the real
defaults are merged underneath and every line number in an assertion can be checked against the
demo file it quotes.
"""

from __future__ import annotations

import copy
import functools
import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from cxplan.app.batch import region_slug
from cxplan.config.params import (
    KPI_NAMES,
    Dist,
    RegionInfo,
    RegionParams,
    find_defaults,
    load_params,
)
from cxplan.config.yamlfile import (
    Locator,
    format_location,
    format_validation_error,
    load_yaml,
    merge,
)
from cxplan.economics import outsourcing
from cxplan.errors import CxplanError, ParamsError, ReportError
from cxplan.plan import roadmap

REPO = Path(__file__).resolve().parent.parent
DEFAULTS = REPO / "params" / "defaults.yaml"
REGIONS = REPO / "params" / "regions"
DEMOS = ["asia-pacific", "latin-america", "north-america"]


def line_of(path: Path, number: int) -> str:
    """Line ``number`` (1-based) of ``path``; used to check every cited line."""
    return path.read_text(encoding="utf-8").splitlines()[number - 1]


def dline(text: str) -> int:
    """The 1-based line of ``params/defaults.yaml`` that contains ``text`` (exactly one).

    Defaults lines are found by their content, like the demo lines (:func:`at`), so adding a
    documented option to the defaults does not invalidate every citation below it.
    """
    lines = DEFAULTS.read_text(encoding="utf-8").splitlines()
    hits = [number for number, line in enumerate(lines, 1) if text in line]
    assert len(hits) == 1, f"defaults.yaml: {text!r} is on lines {hits}"
    return hits[0]


def at(demo: str, text: str) -> int:
    """The 1-based line of ``params/regions/<demo>.yaml`` that contains ``text`` (exactly one).

    Demo lines are found by their content, so a line added to a demo file moves the expected
    numbers with it; the defaults are cited by line number instead.
    """
    lines = (REGIONS / f"{demo}.yaml").read_text(encoding="utf-8").splitlines()
    hits = [number for number, line in enumerate(lines, 1) if text in line]
    assert len(hits) == 1, f"{demo}.yaml: {text!r} is on lines {hits}"
    return hits[0]


def edited(path: Path, edits: dict[int, tuple[str, str]]) -> list[str]:
    """The lines of ``path`` with ``{line: (text that must be there, replacement)}`` applied."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, (old, new) in edits.items():
        assert old in lines[number - 1], f"{path.name}:{number} is {lines[number - 1]!r}"
        lines[number - 1] = new
    return lines


def region_file(
    root: Path,
    demo: str,
    edits: dict[str, str] | None = None,
    append: str = "",
    *,
    defaults_edits: dict[int, tuple[str, str]] | None = None,
) -> Path:
    """Write ``root/params/regions/<demo>.yaml`` beside a copy of the defaults.

    ``edits`` replaces the demo line containing each key (see :func:`at`) by its value (one or
    more lines; ``""`` blanks it); ``append`` is added at the end; ``defaults_edits`` are
    ``{line: (text that must be there, replacement)}`` for the defaults copy.
    """
    params = root / "params"
    (params / "regions").mkdir(parents=True, exist_ok=True)
    # the pilot data the defaults name (load_params reads it as the report will)
    shutil.copytree(REPO / "params" / "pilot", params / "pilot", dirs_exist_ok=True)
    (params / "defaults.yaml").write_text(
        "\n".join(edited(DEFAULTS, defaults_edits or {})) + "\n", encoding="utf-8"
    )
    path = params / "regions" / f"{demo}.yaml"
    numbered = {at(demo, old): (old, new) for old, new in (edits or {}).items()}
    lines = edited(REGIONS / f"{demo}.yaml", numbered)
    path.write_text("\n".join(lines) + "\n" + append, encoding="utf-8")
    return path


def forecast_file(root: Path, *lines: str) -> Path:
    """north-america with ``lines`` (indented keys) added to its forecast section (after line 9)."""
    # north-america.yaml `forecast:` / `growth_annual: 0.06`; later lines move down.
    new = "\n".join(["  growth_annual: 0.06", *lines])
    return region_file(root, "north-america", {"growth_annual: 0.06": new})


def appended_line(path: Path, text: str) -> int:
    """The 1-based line of the first line of ``path`` equal to ``text`` (after the demo lines)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines.count(text) == 1, text
    return lines.index(text) + 1


def problems(path: Path) -> list[str]:
    with pytest.raises(ParamsError) as info:
        load_params(path)
    assert type(info.value) is ParamsError
    return info.value.problems


def defaults_of(path: Path) -> str:
    """How ``load_params`` names the defaults file found for ``path`` in its messages."""
    found = find_defaults(path)
    assert found is not None
    return str(found)


@functools.cache
def _demo_data(demo: str) -> dict[str, Any]:
    defaults, _ = load_yaml(DEFAULTS)
    region, _ = load_yaml(REGIONS / f"{demo}.yaml")
    region.pop("scenarios", None)  # load_params validates them on their own (test_scenarios.py)
    return merge(defaults, region)


def demo_data(demo: str) -> dict[str, Any]:
    """A fresh copy of the merged plain data (defaults <- demo region), as load_params sees it."""
    return copy.deepcopy(_demo_data(demo))


def validation_lines(data: dict[str, Any]) -> list[str]:
    """Validate merged data in memory; return the formatted problems ([] when valid).

    Every location is put on line 1 of ``x.yaml``: only the field names matter here (the lines
    are checked on real files below). This is much faster than writing and parsing a file.
    """
    kinds = {dict: "map", list: "seq"}
    entries = {loc: (1, kinds.get(type(value), "scalar")) for loc, value in walk(data)}
    try:
        RegionParams.model_validate(data)
    except ValidationError as exc:
        return format_validation_error(
            "x.yaml", exc, Locator("x.yaml", entries), model=RegionParams
        )
    return []


def walk(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every (location, value) under ``data``, parents before children."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        yield (*prefix, key), value
        if isinstance(value, dict | list):
            yield from walk(value, (*prefix, key))


def put(data: Any, location: tuple[Any, ...], value: Any) -> None:
    for part in location[:-1]:
        data = data[part]
    data[location[-1]] = value


def get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


# ------------------------------------------------------------------------- demo regions


@pytest.mark.parametrize(
    ("demo", "name", "channels", "sourcing_channel"),
    [
        ("asia-pacific", "Asia Pacific", ("voice", "chat", "email"), "email"),
        ("latin-america", "Latin America", ("voice", "chat", "email"), "chat"),
        ("north-america", "North America", ("voice", "chat", "email"), "voice"),  # defaults:57
    ],
)
def test_demo_region_loads(
    demo: str, name: str, channels: tuple[str, ...], sourcing_channel: str
) -> None:
    params = load_params(REGIONS / f"{demo}.yaml")
    assert isinstance(params, RegionParams)
    assert params.region.name == name
    assert params.region.currency == "USD"
    assert params.region.start_date.isoformat() == "2027-01-04"
    assert tuple(c for c in ("voice", "chat", "email") if getattr(params.channels, c)) == channels
    assert params.sourcing.channel == sourcing_channel
    # The roadmap is the defaults' template (seed 001 phases, seed 000 pilot) and builds.
    assert len(params.roadmap.tasks) == 14


# ------------------------------------------------------------------------ the merge

# Every defaults.yaml line this file cites (found by content, each exactly once).
CITED_DEFAULTS = [
    "interval_minutes: 30",
    "day_of_week_share: [0.17, 0.16, 0.16, 0.16, 0.15, 0.12, 0.08]",
    "intraday_profile: [",
    "  shrinkage: 0.30",
    "location:",
    "name: cloud contact-centre stack",
    "Cloud contact-centre platform",
    "CRM service seat",
    "Knowledge and QA",
    "implementation_cost: 25000.0",
    "channel: voice",
    "occupancy_caps: [0.65, 0.70, 0.80, 0.85]",
    "aht_reduction: {low: 0.10, mode: 0.20, high: 0.35}",
    "deflection: {low: 0.12, mode: 0.18, high: 0.28}",
    "tooling_per_year:",
]


@pytest.mark.parametrize("text", CITED_DEFAULTS)
def test_cited_defaults_lines(text: str) -> None:
    assert text in line_of(DEFAULTS, dline(text))


@pytest.mark.parametrize(
    ("demo", "field", "value", "default_line"),
    [
        # field, merged value (set by the region file), the defaults.yaml line it replaces
        ("north-america", "forecast.growth_annual", 0.06, "growth_annual: "),
        ("asia-pacific", "forecast.interval_minutes", 60, "interval_minutes: "),
        ("asia-pacific", "workforce.shrinkage", 0.33, "  shrinkage: "),
        ("asia-pacific", "workforce.training_weeks", 8, "training_weeks: "),
        ("latin-america", "workforce.attrition_annual", 0.42, "attrition_annual: "),
    ],
)
def test_region_value_wins_over_default(
    demo: str, field: str, value: float, default_line: str
) -> None:
    key = field.rsplit(".", 1)[1]
    assert (
        line_of(REGIONS / f"{demo}.yaml", at(demo, f"{key}: "))
        .strip()
        .startswith(f"{key}: {value}")
    )
    assert line_of(DEFAULTS, dline(default_line)).strip().startswith(f"{key}: ")
    assert get(load_params(REGIONS / f"{demo}.yaml"), field) == value


@pytest.mark.parametrize(
    ("demo", "field", "value", "default_line"),
    [
        # field untouched by the region file, the value it keeps, the defaults.yaml line it is on
        ("north-america", "workforce.shrinkage", 0.30, "  shrinkage: "),
        ("north-america", "forecast.interval_minutes", 30, "interval_minutes: "),
        ("latin-america", "workforce.fte_hours_per_week", 40.0, "fte_hours_per_week: "),
        ("asia-pacific", "finance.discount_rate_annual", 0.10, "discount_rate_annual: "),
        # the class default is 10_000
        ("asia-pacific", "finance.monte_carlo_draws", 20000, "monte_carlo_draws: "),
        (
            "north-america",
            "location.paid_hours_per_fte_per_year",
            2080.0,
            "paid_hours_per_fte_per_year: ",
        ),
        ("north-america", "vendor.governance_share", 0.05, "governance_share: "),
        ("north-america", "pilot.icc", 0.05, "icc: "),
        # sibling keys of a mapping the region partly overrides stay: latin-america sets
        # initiative.deflection only
        ("latin-america", "initiative.name", "Staccato micro-interactions", "name: Staccato"),
    ],
)
def test_untouched_default_stays(demo: str, field: str, value: object, default_line: str) -> None:
    key = field.rsplit(".", 1)[1]
    assert line_of(DEFAULTS, dline(default_line)).strip().startswith(f"{key}: {value}")
    region, _ = load_yaml(REGIONS / f"{demo}.yaml")
    section, key = field.split(".")
    assert key not in region.get(section, {})  # the region file does not set it
    assert get(load_params(REGIONS / f"{demo}.yaml"), field) == value


def test_untouched_default_list_and_dist_stay() -> None:
    params = load_params(REGIONS / "north-america.yaml")
    # defaults.yaml:59 `occupancy_caps: [0.65, 0.70, 0.80, 0.85]` (the class default differs)
    assert dline("occupancy_caps: [0.65, 0.70, 0.80, 0.85]")
    assert params.sourcing.occupancy_caps == [0.65, 0.70, 0.80, 0.85]
    # defaults.yaml:64 `aht_reduction: {low: 0.10, mode: 0.20, high: 0.35}`
    assert dline("aht_reduction: {low: 0.10, mode: 0.20, high: 0.35}")
    assert params.initiative.aht_reduction == Dist(low=0.10, mode=0.20, high=0.35)
    # defaults.yaml:46-48: three licences
    assert [lic.name for lic in params.technology.licences] == [
        "Cloud contact-centre platform",
        "CRM service seat",
        "Knowledge and QA",
    ]


def test_region_mapping_overrides_only_its_keys() -> None:
    # latin-america.yaml replaces every key of the defaults' deflection range
    at("latin-america", "deflection: {low: 0.15, mode: 0.25, high: 0.40}")
    params = load_params(REGIONS / "latin-america.yaml")
    assert params.initiative.deflection == Dist(low=0.15, mode=0.25, high=0.40)
    assert params.initiative.aht_reduction == Dist(low=0.10, mode=0.20, high=0.35)  # defaults:64


def test_a_partial_mapping_merges_key_by_key(tmp_path: Path) -> None:
    # Only the mode is given: low and high still come from defaults.yaml:65 (0.12 and 0.28).
    path = region_file(tmp_path, "north-america", append="initiative:\n  deflection: {mode: 0.2}\n")
    assert load_params(path).initiative.deflection == Dist(low=0.12, mode=0.2, high=0.28)


@pytest.mark.parametrize(
    ("section", "text", "field", "value"),
    [
        # defaults.yaml:59 has four caps; the region's one-item list replaces them all
        ("sourcing", "  occupancy_caps: [0.75]", "sourcing.occupancy_caps", [0.75]),
        # defaults.yaml:17 has seven shares; a new list replaces it (it is not merged by index)
        (
            "forecast",
            "  day_of_week_share: [0.5, 0.5, 0, 0, 0, 0, 0]",
            "forecast.day_of_week_share",
            [0.5, 0.5, 0, 0, 0, 0, 0],
        ),
    ],
)
def test_region_lists_replace_default_lists(
    tmp_path: Path, section: str, text: str, field: str, value: list[float]
) -> None:
    if section == "forecast":
        path = forecast_file(tmp_path, text)
    else:
        path = region_file(tmp_path, "north-america", append=f"{section}:\n{text}\n")
    assert get(load_params(path), field) == value


def test_region_list_of_mappings_replaces_and_sibling_keys_stay(tmp_path: Path) -> None:
    path = region_file(
        tmp_path,
        "north-america",
        append="technology:\n"
        "  licences:\n"
        "    - {name: CRM only, category: crm, cost_per_agent_per_month: 50}\n",
    )
    technology = load_params(path).technology
    assert [lic.name for lic in technology.licences] == ["CRM only"]  # not merged item by item
    assert technology.implementation_cost == 25000.0  # defaults.yaml:49
    assert technology.name == "cloud contact-centre stack"  # defaults.yaml:44


def test_asia_pacific_hourly_profile_replaces_the_half_hourly_default() -> None:
    # defaults.yaml:20-24 hold 48 half-hour values; asia-pacific.yaml 24 hourly ones.
    params = load_params(REGIONS / "asia-pacific.yaml")
    assert params.forecast.interval_minutes == 60
    assert len(params.forecast.intraday_profile) == 24
    assert params.forecast.intraday_profile[8] == 0.075


# ---------------------------------------------------------------------- find_defaults


def test_find_defaults_of_a_demo_region_is_params_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    assert find_defaults(REGIONS / "north-america.yaml") == DEFAULTS.resolve()
    monkeypatch.chdir(REPO)
    assert find_defaults("params/regions/north-america.yaml") == DEFAULTS.resolve()


def test_find_defaults_prefers_the_file_beside_the_region(tmp_path: Path) -> None:
    regions = tmp_path / "params" / "regions"
    regions.mkdir(parents=True)
    region = regions / "x.yaml"
    region.write_text("region: {}\n", encoding="utf-8")
    assert find_defaults(region) is None
    (tmp_path / "params" / "defaults.yaml").write_text("{}\n", encoding="utf-8")
    assert find_defaults(region) == (tmp_path / "params" / "defaults.yaml").resolve()
    (regions / "defaults.yaml").write_text("{}\n", encoding="utf-8")
    assert find_defaults(region) == (regions / "defaults.yaml").resolve()
    # A defaults file is not its own defaults (the one a folder up is taken, or none).
    assert (
        find_defaults(regions / "defaults.yaml")
        == (tmp_path / "params" / "defaults.yaml").resolve()
    )
    assert find_defaults(tmp_path / "params" / "defaults.yaml") is None


def test_load_params_uses_the_defaults_beside_the_region(tmp_path: Path) -> None:
    path = region_file(
        tmp_path,
        "north-america",
        defaults_edits={dline("shrinkage: 0.30"): ("shrinkage: 0.30", "  shrinkage: 0.25")},
    )
    assert load_params(path).workforce.shrinkage == 0.25
    assert load_params(path, defaults_path=DEFAULTS).workforce.shrinkage == 0.30


def test_load_params_of_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    assert problems(missing) == [f"{missing}: file not found"]


# ------------------------------------------------------------------------------ frozen


def test_region_params_are_frozen() -> None:
    params = load_params(REGIONS / "north-america.yaml")
    with pytest.raises(ValidationError, match="frozen"):
        params.region = params.region  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        params.workforce.shrinkage = 0.5  # type: ignore[misc]
    assert params.channels.voice is not None
    with pytest.raises(ValidationError, match="frozen"):
        params.channels.voice.aht_s = 1.0  # type: ignore[misc]
    assert params.workforce.shrinkage == 0.30
    assert params.channels.voice.aht_s == 360.0


# ------------------------------------------------------------------ unknown keys anywhere


@pytest.mark.parametrize("demo", DEMOS)
def test_an_unknown_key_is_refused_at_every_level(demo: str) -> None:
    data = demo_data(demo)
    mappings = [()] + [loc for loc, value in walk(data) if isinstance(value, dict)]
    assert len(mappings) > 40
    wrong: dict[str, list[str]] = {}
    for location in mappings:
        mutated = demo_data(demo)
        target = mutated
        for part in location:
            target = target[part]
        target["zz_extra"] = 1
        field = format_location((*location, "zz_extra"))
        if location == ("kpi", "actuals"):  # a mapping of KPI names, not a model
            want = [
                f"x.yaml:1: kpi.actuals: unknown KPI 'zz_extra' (known: {', '.join(KPI_NAMES)})"
            ]
        elif location == ("finance", "risk_adjustments"):  # a mapping of business-case lines
            want = [
                "x.yaml:1: finance.risk_adjustments: unknown business-case line 'zz_extra' "
                "(known: labour, recruiting, tooling, licences, agent_training, automation, "
                "release, task:<task id>)"
            ]
        elif location == ("kpi", "channels"):  # a mapping of channel names
            want = [
                "x.yaml:1: kpi.channels.zz_extra: must be 'voice', 'chat' or 'email' (got "
                "'zz_extra')",
                "x.yaml:1: kpi.channels.zz_extra: expected a mapping of keys (got 1)",
            ]
        elif location[:2] == ("kpi", "channels"):  # a mapping of per-channel KPI names
            want = [f"x.yaml:1: {field}: must be 'aht_s' or 'service_level' (got 'zz_extra')"]
        else:
            want = [f"x.yaml:1: {field}: unknown key"]
        got = validation_lines(mutated)
        if [line.split(" (got {")[0] for line in got] != [w.split(" (got {")[0] for w in want]:
            wrong[field] = got
    assert not wrong, "\n".join(f"{k}:\n    " + "\n    ".join(v) for k, v in wrong.items())


# --------------------------------------------------------------------- NaN and infinity


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("demo", ["latin-america", "north-america"])
def test_nan_and_infinity_are_refused_in_every_number(demo: str, bad: float) -> None:
    data = demo_data(demo)
    numbers = [
        loc
        for loc, value in walk(data)
        if isinstance(value, int | float) and not isinstance(value, bool)
    ]
    assert len(numbers) > 100
    accepted = []
    for location in numbers:
        mutated = demo_data(demo)
        put(mutated, location, bad)
        field = format_location(location)
        if not any(line.startswith(f"x.yaml:1: {field}: ") for line in validation_lines(mutated)):
            accepted.append(field)
    assert accepted == []


# ------------------------------------------------------------------------------ Dist


@pytest.mark.parametrize("demo", DEMOS)
def test_every_dist_of_the_demo_regions_is_ordered(demo: str) -> None:
    initiative = load_params(REGIONS / f"{demo}.yaml").initiative
    dists = [v for v in initiative.__dict__.values() if isinstance(v, Dist)]
    assert len(dists) == 5  # the five uncertain inputs of the defaults' initiative section
    for dist in dists:
        assert dist.low <= dist.mode <= dist.high


@pytest.mark.parametrize(
    ("field", "low", "mode", "high"),
    [
        ("aht_reduction", 0.3, 0.2, 0.35),  # mode below low
        ("deflection", 0.1, 0.3, 0.2),  # mode above high
        ("fcr_improvement", 0.06, 0.03, 0.0),  # reversed
        ("realisation", 0.9, 1.0, 0.5),
        ("tooling_per_year", 120000, 60000, 15000),
    ],
)
def test_dist_must_be_low_mode_high(
    tmp_path: Path, field: str, low: float, mode: float, high: float
) -> None:
    text = f"  {field}: {{low: {low}, mode: {mode}, high: {high}}}"
    path = region_file(tmp_path, "north-america", append=f"initiative:\n{text}\n")
    line = appended_line(path, text)
    # Exactly one line: the union member label ("float") and its "expected a number" are noise.
    assert problems(path) == [
        f"{path}:{line}: initiative.{field}: must have low <= mode <= high "
        f"(got {low:g}, {mode:g}, {high:g})"
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("{low: 0.2, mode: 0.2, high: 0.2}", Dist(low=0.2, mode=0.2, high=0.2)),  # a point
        (
            "{low: 0.0, mode: 0.0, high: 0.5, dist: triangular}",
            Dist(low=0.0, mode=0.0, high=0.5, dist="triangular"),
        ),
        ("0.25", 0.25),  # a plain number instead of a range
    ],
)
def test_dist_edges_are_accepted(tmp_path: Path, text: str, value: object) -> None:
    path = region_file(tmp_path, "north-america", append=f"initiative:\n  deflection: {text}\n")
    assert load_params(path).initiative.deflection == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (".nan", "must be a finite number (got nan)"),
        (".inf", "must be a finite number (got inf)"),
        ("lots", "expected a number or a mapping of keys (got 'lots')"),
        ("0.99", "must lie in [0, 0.95] (got 0.99)"),
    ],
)
def test_an_uncertain_input_gives_one_line(tmp_path: Path, text: str, message: str) -> None:
    # aht_reduction is a number or a {low, mode, high} range: one line, whichever was meant.
    line = f"  aht_reduction: {text}"
    path = region_file(tmp_path, "north-america", append=f"initiative:\n{line}\n")
    assert problems(path) == [
        f"{path}:{appended_line(path, line)}: initiative.aht_reduction: {message}"
    ]


# ------------------------------------------------------------------------ the forecast


@pytest.mark.parametrize(("minutes", "count"), [(15, 96), (30, 48), (60, 24)])
def test_intraday_profile_with_one_value_per_interval_loads(
    tmp_path: Path, minutes: int, count: int
) -> None:
    values = ", ".join(["1"] * count)
    path = forecast_file(
        tmp_path, f"  interval_minutes: {minutes}", f"  intraday_profile: [{values}]"
    )
    assert len(load_params(path).forecast.intraday_profile) == 24 * 60 // minutes


@pytest.mark.parametrize(("minutes", "count"), [(60, 48), (30, 47), (15, 48)])
def test_intraday_profile_count_must_match_the_interval(
    tmp_path: Path, minutes: int, count: int
) -> None:
    values = ", ".join(["1"] * count)
    profile = f"  intraday_profile: [{values}]"
    path = forecast_file(tmp_path, f"  interval_minutes: {minutes}", profile)
    want = 24 * 60 // minutes
    # The problem is the profile: its line, its field.
    assert problems(path) == [
        f"{path}:{appended_line(path, profile)}: forecast.intraday_profile: must have {want} "
        f"values for {minutes}-minute intervals (got {count})"
    ]


def test_interval_change_without_a_profile_is_refused(tmp_path: Path) -> None:
    # The 48 half-hour values of defaults.yaml:20 do not fit 15-minute intervals.
    path = forecast_file(tmp_path, "  interval_minutes: 15")
    (line,) = problems(path)
    assert "must have 96 values for 15-minute intervals (got 48)" in line


@pytest.mark.parametrize(
    "shares",
    [
        "[0.17, 0.16, 0.16, 0.16, 0.15, 0.12, 0.08]",  # defaults.yaml:17, sums to 1
        "[1, 0, 0, 0, 0, 0, 0]",
        # 1/7 each: 0.9999999999999998 in floating point, within the tolerance
        "[0.14285714285714285, 0.14285714285714285, 0.14285714285714285, 0.14285714285714285, "
        "0.14285714285714285, 0.14285714285714285, 0.14285714285714285]",
    ],
)
def test_day_of_week_shares_summing_to_one_load(tmp_path: Path, shares: str) -> None:
    path = forecast_file(tmp_path, f"  day_of_week_share: {shares}")
    assert math.isclose(sum(load_params(path).forecast.day_of_week_share), 1.0, abs_tol=1e-9)


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        (
            "[0.17, 0.16, 0.16, 0.16, 0.15, 0.12, 0.07]",
            "must sum to 1 (Monday to Sunday shares; got 0.99)",
        ),
        (
            "[0.17, 0.16, 0.16, 0.16, 0.15, 0.12, 0.09]",
            "must sum to 1 (Monday to Sunday shares; got 1.01)",
        ),
        ("[100, 0, 0, 0, 0, 0, 0]", "must be <= 1 (got 100)"),  # a percentage
        ("[0.2, 0.2, 0.2, 0.2, 0.2, 0.0]", "must have at least 7 items"),  # six days
    ],
)
def test_day_of_week_shares_must_sum_to_one(tmp_path: Path, shares: str, message: str) -> None:
    text = f"  day_of_week_share: {shares}"
    path = forecast_file(tmp_path, text)
    (line,) = problems(path)
    assert line.startswith(f"{path}:{appended_line(path, text)}: forecast.day_of_week_share")
    assert message in line


# --------------------------------------------------------------------------- the region


@pytest.mark.parametrize(
    ("day", "weekday"),
    [
        # 2027-01-01 is a Friday, so 2027-01-04 is a Monday (calendar).
        ("2027-01-05", "Tuesday"),
        ("2027-01-06", "Wednesday"),
        ("2027-01-07", "Thursday"),
        ("2027-01-08", "Friday"),
        ("2027-01-09", "Saturday"),
        ("2027-01-10", "Sunday"),
    ],
)
def test_start_date_must_be_a_monday(tmp_path: Path, day: str, weekday: str) -> None:
    path = region_file(
        tmp_path, "north-america", {'start_date: "2027-01-04"': f'  start_date: "{day}"'}
    )
    line = at("north-america", "start_date:")
    assert problems(path) == [
        f"{path}:{line}: region.start_date: must be a Monday (plans run in whole weeks; "
        f"got a {weekday}) (got '{day}')"
    ]


@pytest.mark.parametrize("day", ["2027-01-11", "2026-12-28", "2028-01-03"])
def test_other_mondays_load(tmp_path: Path, day: str) -> None:
    path = region_file(
        tmp_path, "north-america", {'start_date: "2027-01-04"': f'  start_date: "{day}"'}
    )
    assert load_params(path).region.start_date.isoformat() == day


def test_start_date_must_be_a_real_date(tmp_path: Path) -> None:
    # 2027 is not a leap year.
    path = region_file(
        tmp_path, "north-america", {'start_date: "2027-01-04"': '  start_date: "2027-02-29"'}
    )
    line = at("north-america", "start_date:")
    assert problems(path) == [
        f"{path}:{line}: region.start_date: expected a date (YYYY-MM-DD) (got '2027-02-29')"
    ]


@pytest.mark.parametrize(
    ("field", "anchor"),
    [
        ("region.name", "name: North America"),
        ("location.name", "name: Onshore US"),
        ("vendor.name", "name: Nearshore BPO"),
    ],
)
@pytest.mark.parametrize(
    "name",
    [
        "__import__('os').system('rm -rf /')",
        "$(rm -rf ~)",
        "`rm -rf ~`",
        "../../etc/passwd",
        "emea/north",
        "emea\\\\north",
        "<script>alert(1)</script>",
        "x; rm -rf ~",
        "a" * 61,
        "",
    ],
)
def test_names_that_look_like_code_or_paths_are_refused(
    tmp_path: Path, field: str, anchor: str, name: str
) -> None:
    path = region_file(tmp_path, "north-america", {anchor: f'  name: "{name}"'})
    (line,) = problems(path)
    assert line.startswith(f"{path}:{at('north-america', anchor)}: {field}: must be plain words")


@pytest.mark.parametrize(
    "name", ["Asia & Pacific", "Côte d'Ivoire", "St. Kitts, Nevis", "Portfolio"]
)
def test_a_valid_region_name_gives_a_report_file_name(name: str) -> None:
    # `cxplan validate` must not pass a region that `cxplan report` then refuses for its name:
    # either the schema refuses the name or batch.region_slug makes a file name of it.
    try:
        RegionInfo(name=name, start_date="2027-01-04")  # type: ignore[arg-type]
    except ValidationError:
        return
    try:
        slug = region_slug(name)
    except ReportError as exc:
        pytest.fail(f"validate accepts {name!r} but report refuses it: {exc}")
    assert "/" not in slug and "\\" not in slug and not slug.startswith(".")


# ---------------------------------------------------------------------- channels, KPIs


# north-america.yaml's voice channel, a flow mapping on one line
VOICE = {
    "weekly_contacts": "30000",
    "aht_s": "360",
    "sl_target": "0.80",
    "answer_time_s": "20",
    "max_occupancy": "0.85",
    "patience_s": "240",
}


def voice_line(**changes: str) -> str:
    return "  voice: {" + ", ".join(f"{k}: {v}" for k, v in {**VOICE, **changes}.items()) + "}"


def test_voice_line_reproduces_the_demo_line() -> None:
    assert voice_line() == line_of(
        REGIONS / "north-america.yaml", at("north-america", "voice: {weekly_contacts")
    )


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("aht_s", "-5", "must be > 0 (got -5)"),
        ("aht_s", "0", "must be > 0 (got 0)"),
        ("aht_s", "lots", "expected a number (got 'lots')"),
        ("weekly_contacts", "-1", "must be >= 0 (got -1)"),
        ("weekly_contacts", "1e300", "must be <= 100000000 (got 1e+300)"),
        ("weekly_contacts", ".nan", "must be a finite number (got nan)"),
        ("weekly_contacts", "-.inf", "must be a finite number (got -inf)"),
        ("max_occupancy", "1.01", "must be <= 1 (got 1.01)"),
        ("max_occupancy", "0", "must be > 0 (got 0)"),
        ("sl_target", "0", "must be > 0 (got 0)"),
        ("sl_target", "80", "must be <= 1 (got 80)"),
        ("answer_time_s", "-1", "must be >= 0 (got -1)"),
        ("patience_s", "0", "must be > 0 (got 0)"),
    ],
)
def test_voice_rules(tmp_path: Path, key: str, value: str, message: str) -> None:
    path = region_file(
        tmp_path, "north-america", {"voice: {weekly_contacts": voice_line(**{key: value})}
    )
    line = at("north-america", "voice: {weekly_contacts")
    assert problems(path) == [f"{path}:{line}: channels.voice.{key}: {message}"]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("30000, aht_s: 360", "30000, aht_s: true", "channels.voice.aht_s"),
        ("starting_headcount: 158", "starting_headcount: true", "workforce.starting_headcount"),
        ("wage_per_hour: 24.0", "wage_per_hour: true", "location.wage_per_hour"),
    ],
)
def test_true_is_not_a_number(tmp_path: Path, old: str, new: str, field: str) -> None:
    # `true` is a YAML boolean; it must not be read as 1 contact-second / agent / dollar.
    line = at("north-america", old)
    source = line_of(REGIONS / "north-america.yaml", line)
    path = region_file(tmp_path, "north-america", {old: source.replace(old, new)})
    assert problems(path) == [f"{path}:{line}: {field}: expected a number (got True)"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("concurrency: 2", "concurrency: 3", "needs 3 values, one per concurrent chat (got 2)"),
        ("[1.0, 1.3]", "[1.3, 1.0]", "must be non-decreasing"),
    ],
)
def test_chat_concurrency_factors(tmp_path: Path, old: str, new: str, message: str) -> None:
    # north-america.yaml `chat: {..., concurrency: 2, concurrency_aht_factor: [1.0, 1.3], ...}`
    line = at("north-america", "chat: {weekly_contacts")
    source = line_of(REGIONS / "north-america.yaml", line)
    path = region_file(
        tmp_path, "north-america", {"chat: {weekly_contacts": source.replace(old, new)}
    )
    assert problems(path) == [f"{path}:{line}: channels.chat.concurrency_aht_factor: {message}"]


def test_shrinkage_must_be_below_one(tmp_path: Path) -> None:
    path = region_file(tmp_path, "asia-pacific", {"shrinkage: 0.33": "  shrinkage: 1"})
    line = at("asia-pacific", "shrinkage: 0.33")
    assert problems(path) == [f"{path}:{line}: workforce.shrinkage: must be < 1 (got 1)"]


def test_kpi_names_are_the_scorecard_names() -> None:
    # The eight KPIs the scorecard knows; the demo regions report AHT and service level per
    # channel (kpi.channels) and the other six operation-wide (kpi.actuals).
    assert set(KPI_NAMES) == {
        "csat",
        "nps",
        "ces",
        "fcr",
        "aht_s",
        "service_level",
        "cost_per_contact_change",
        "follow_up_completion",
    }
    kpi = load_params(REGIONS / "asia-pacific.yaml").kpi
    per_channel = {name for values in kpi.channels.values() for name in values}
    assert set(kpi.actuals) | per_channel == set(KPI_NAMES)


@pytest.mark.parametrize("unknown", ["happiness", "csta", "CSAT"])
def test_unknown_kpi_is_refused(tmp_path: Path, unknown: str) -> None:
    path = region_file(
        tmp_path, "north-america", {"actuals:": f"  actuals: {{{unknown}: 0.5, csat: 0.78}}"}
    )
    (line,) = problems(path)
    assert line.startswith(f"{path}:{at('north-america', 'actuals:')}: kpi.actuals")
    assert f"unknown KPI {unknown!r}" in line


def test_a_kpi_without_data_is_allowed(tmp_path: Path) -> None:
    path = region_file(tmp_path, "north-america", {"actuals:": "  actuals: {csat: null, nps: 27}"})
    assert load_params(path).kpi.actuals == {"csat": None, "nps": 27.0}


def test_sourcing_channel_must_be_a_channel_of_the_region(tmp_path: Path) -> None:
    # Without north-america's chat channel, sourcing chat has nothing to price.
    path = region_file(
        tmp_path,
        "north-america",
        {"chat: {weekly_contacts": "", "chat: {aht_s": ""},
        append="sourcing:\n  channel: chat\n",
    )
    (line,) = problems(path)
    # On the field and the line that chose the channel, not "(top level)" at line 2.
    assert line.startswith(f"{path}:{appended_line(path, '  channel: chat')}: sourcing.channel: ")
    assert "chat" in line.split(": sourcing.channel: ", 1)[1]
    assert "{" not in line  # the whole document is not echoed


def test_default_sourcing_channel_needs_voice(tmp_path: Path) -> None:
    # defaults.yaml:57 `channel: voice`; a region without voice must choose another channel.
    no_voice = {"voice: {weekly_contacts": "", "voice: {aht_s": ""}
    path = region_file(tmp_path, "north-america", no_voice)
    (line,) = problems(path)
    assert "sourcing.channel" in line and "voice" in line
    path = region_file(tmp_path, "north-america", no_voice, "sourcing: {channel: chat}\n")
    assert load_params(path).sourcing.channel == "chat"


def test_at_least_one_channel(tmp_path: Path) -> None:
    path = region_file(
        tmp_path,
        "north-america",
        {
            "voice: {weekly_contacts": "  voice: null",
            "chat: {weekly_contacts": "",
            "email:": "",
            "  channels:": "",
            "voice: {aht_s": "",
            "chat: {aht_s": "",
        },
    )
    (line,) = problems(path)
    # the top-level `channels:` line (kpi has an indented `channels:` too)
    channels = (REGIONS / "north-america.yaml").read_text().splitlines().index("channels:") + 1
    assert line.startswith(f"{path}:{channels}: channels: at least one of voice, chat, email")


# ----------------------------------------------------------------------- vendor tiers


def tiers_message(band_starts: list[float], prices: list[float], method: str) -> str:
    """What outsourcing.Tiers itself says about these bands (without the class name)."""
    try:
        outsourcing.Tiers(band_starts=tuple(band_starts), prices=tuple(prices), method=method)  # type: ignore[arg-type]
    except CxplanError as exc:
        return str(exc).replace("Tiers.", "")
    raise AssertionError("Tiers accepted the bands")


@pytest.mark.parametrize(
    ("band_starts", "prices", "method"),
    [
        ([0, 100000, 50000], [3.4, 3.1, 2.85], "graduated"),  # out of order
        ([0, 50000, 50000], [3.4, 3.1, 2.85], "all_units"),  # overlapping (equal starts)
        ([1000, 50000], [3.4, 3.1], "graduated"),  # first band does not start at 0
        ([0, 50000], [3.4], "graduated"),  # one price short
        ([], [], "graduated"),  # no bands
    ],
)
def test_vendor_tiers_are_checked_by_outsourcing_tiers(
    tmp_path: Path, band_starts: list[float], prices: list[float], method: str
) -> None:
    # latin-america.yaml's vendor has per-contact tiers on the `price_per_contact:` line
    new = (
        f"      price_per_contact: {{band_starts: {band_starts}, prices: {prices}, "
        f"method: {method}}}"
    )
    path = region_file(tmp_path, "latin-america", {"price_per_contact:": new})
    line = at("latin-america", "price_per_contact:")
    # Tiers says e.g. "band_starts must start at 0 (got 1000)": reported on that field.
    field, message = tiers_message(band_starts, prices, method).split(" ", 1)
    assert field in ("band_starts", "prices")
    assert problems(path) == [
        f"{path}:{line}: vendor.components[0].price_per_contact.{field}: {message}"
    ]


@pytest.mark.parametrize("method", ["graduated", "all_units"])
def test_valid_vendor_tiers_load(tmp_path: Path, method: str) -> None:
    new = "      price_per_contact: {band_starts: [0, 50000], prices: [3.4, 3.1], "
    new += f"method: {method}}}"
    path = region_file(tmp_path, "latin-america", {"price_per_contact:": new})
    component = load_params(path).vendor.components[0]
    assert component.kind == "per_contact"
    price = component.price_per_contact
    assert isinstance(price, outsourcing.Tiers)
    assert (price.band_starts, price.prices, price.method) == ((0, 50000), (3.4, 3.1), method)


def test_tier_errors_are_one_line_without_union_noise(tmp_path: Path) -> None:
    new = "      price_per_contact: {band_starts: [0, 50000], prices: [3.4, -3.1]}"
    path = region_file(tmp_path, "latin-america", {"price_per_contact:": new})
    line = at("latin-america", "price_per_contact:")
    assert problems(path) == [
        f"{path}:{line}: vendor.components[0].price_per_contact.prices[1]: must be >= 0 (got -3.1)"
    ]


# --------------------------------------------------------------------------- roadmap

PHASE = "    - {id: only, name: Only phase, start_day: 0, end_day: 90}"


def roadmap_yaml(tasks: list[str], horizon: int = 180) -> str:
    return f"roadmap:\n  horizon_days: {horizon}\n  phases:\n{PHASE}\n  tasks:\n" + "".join(
        f"    - {task}\n" for task in tasks
    )


def roadmap_message(tasks: list[dict[str, Any]], horizon: int = 180) -> str:
    """What cxplan.plan.roadmap.Roadmap itself says about these tasks."""
    try:
        roadmap.Roadmap(
            phases=(roadmap.Phase(id="only", name="Only phase", start_day=0, end_day=90),),
            tasks=tuple(
                roadmap.Task(**{**t, "depends_on": tuple(t.get("depends_on", ()))}) for t in tasks
            ),
            horizon_days=horizon,
        )
    except CxplanError as exc:
        return str(exc)
    raise AssertionError("Roadmap accepted the tasks")


A = {"id": "a", "name": "A", "phase": "only", "start_day": 0, "end_day": 30}
B = {"id": "b", "name": "B", "phase": "only", "start_day": 30, "end_day": 60}


@pytest.mark.parametrize(
    ("tasks_yaml", "tasks", "horizon"),
    [
        (
            [
                "{id: a, name: A, phase: only, start_day: 0, end_day: 30, depends_on: [b]}",
                "{id: b, name: B, phase: only, start_day: 30, end_day: 60, depends_on: [a]}",
            ],
            [{**A, "depends_on": ["b"]}, {**B, "depends_on": ["a"]}],
            180,
        ),
        (
            ["{id: a, name: A, phase: only, start_day: 0, end_day: 30, depends_on: [ghost]}"],
            [{**A, "depends_on": ["ghost"]}],
            180,
        ),
        (
            ["{id: a, name: A, phase: later, start_day: 0, end_day: 30}"],
            [{**A, "phase": "later"}],
            180,
        ),
        (
            [
                "{id: a, name: A, phase: only, start_day: 0, end_day: 30}",
                "{id: a, name: B, phase: only, start_day: 30, end_day: 60}",
            ],
            [A, {**B, "id": "a"}],
            180,
        ),
        (
            [
                "{id: a, name: A, phase: only, start_day: 0, end_day: 30}",
                "{id: b, name: B, phase: only, start_day: 10, end_day: 60, depends_on: [a]}",
            ],
            [A, {**B, "start_day": 10, "depends_on": ["a"]}],
            180,
        ),
        (["{id: a, name: A, phase: only, start_day: 0, end_day: 30}"], [A], 60),
    ],
    ids=["cycle", "unknown-dependency", "unknown-phase", "duplicate-id", "starts-early", "horizon"],
)
def test_roadmap_errors_are_params_errors(
    tmp_path: Path, tasks_yaml: list[str], tasks: list[dict[str, Any]], horizon: int
) -> None:
    path = region_file(tmp_path, "north-america", append=roadmap_yaml(tasks_yaml, horizon))
    (line,) = problems(path)
    file, number, text = line.split(":", 2)
    assert file == str(path)
    assert int(number) >= appended_line(path, "roadmap:")  # inside the roadmap section
    # Roadmap's own message, e.g. "tasks: dependency cycle a -> b -> a", on `roadmap` or moved
    # onto the field it names (`roadmap.horizon_days: ...`).
    message = roadmap_message(tasks, horizon)
    head, rest = message.split(" ", 1)
    assert text.startswith((f" roadmap: {message}", f" roadmap.{head.rstrip(':')}: {rest}"))


# -------------------------------------------------------- where each error points (lines)


def test_error_line_points_into_the_region_file(tmp_path: Path) -> None:
    path = region_file(
        tmp_path, "asia-pacific", {"starting_headcount: 169": "  starting_headcount: -1"}
    )
    line = at("asia-pacific", "starting_headcount: 169")
    assert problems(path) == [f"{path}:{line}: workforce.starting_headcount: must be >= 0 (got -1)"]


def test_error_line_points_into_a_block_list(tmp_path: Path) -> None:
    # latin-america.yaml `- kind: per_contact` opens the first vendor component (block style)
    path = region_file(tmp_path, "latin-america", {"kind: per_contact": "    - kind: per_contract"})
    line = at("latin-america", "kind: per_contact")
    assert problems(path) == [
        f"{path}:{line}: vendor.components[0]: 'kind' must be one of 'per_minute', 'per_contact', "
        "'per_agent_hour', 'per_seat', 'fixed_fee' (got 'per_contract')"
    ]


def test_error_line_points_into_the_defaults_file(tmp_path: Path) -> None:
    # the defaults' `shrinkage: 0.30` and its CRM licence, broken in the defaults copy
    shrinkage, crm = dline("shrinkage: 0.30"), dline("CRM service seat")
    path = region_file(
        tmp_path,
        "north-america",
        defaults_edits={
            shrinkage: ("shrinkage: 0.30", "  shrinkage: 1.5"),
            crm: (
                "CRM service seat",
                "    - {name: CRM, category: crm, cost_per_agent_per_month: -60.0}",
            ),
        },
    )
    defaults = defaults_of(path)
    assert problems(path) == [
        f"{defaults}:{shrinkage}: workforce.shrinkage: must be < 1 (got 1.5)",
        f"{defaults}:{crm}: technology.licences[1].cost_per_agent_per_month: must be >= 0 "
        "(got -60.0)",
    ]


def test_a_region_override_hides_a_bad_default(tmp_path: Path) -> None:
    # asia-pacific.yaml sets shrinkage, so the broken defaults.yaml:27 is never used.
    path = region_file(
        tmp_path,
        "asia-pacific",
        defaults_edits={dline("shrinkage: 0.30"): ("shrinkage: 0.30", "  shrinkage: 1.5")},
    )
    assert load_params(path).workforce.shrinkage == 0.33


def test_problems_of_both_files_are_listed_each_at_its_own_line(tmp_path: Path) -> None:
    path = region_file(
        tmp_path,
        "north-america",
        {"starting_headcount: 158": "  starting_headcount: -150"},
        defaults_edits={
            dline("interval_minutes: 30"): ("interval_minutes: 30", "  interval_minutes: 20")
        },
    )
    line = at("north-america", "starting_headcount: 158")
    assert problems(path) == [
        f"{defaults_of(path)}:{dline('interval_minutes: 30')}: forecast.interval_minutes: "
        "must be 15, 30 or 60 (got 20)",
        f"{path}:{line}: workforce.starting_headcount: must be >= 0 (got -150)",
    ]


def test_a_missing_key_points_at_its_section_in_the_region(tmp_path: Path) -> None:
    # north-america.yaml `wage_per_hour: 24.0` removed: reported at its `location:` section
    path = region_file(tmp_path, "north-america", {"  wage_per_hour: 24.0": ""})
    line = at("north-america", "location:")
    assert problems(path) == [f"{path}:{line}: location.wage_per_hour: required field is missing"]


def test_a_missing_section_is_reported_in_the_region_not_the_defaults(tmp_path: Path) -> None:
    # Remove north-america's location section. defaults.yaml:38 has a `location:` section with
    # optional keys only; the region must say where its agents sit, so the problem is the
    # region's: it must not send the reader to edit the shared defaults. Reported at the region
    # file's first key (`region:` on line 2).
    demo_lines = (REGIONS / "north-america.yaml").read_text(encoding="utf-8").splitlines()
    start = at("north-america", "location:") - 1
    end = demo_lines.index("", start)
    path = region_file(tmp_path, "north-america", dict.fromkeys(demo_lines[start:end], ""))
    assert at("north-america", "region:") == 2
    assert problems(path) == [
        f"{path}:2: location.{field}: required field is missing"
        for field in (
            "name",
            "wage_per_hour",
            "benefits_load",
            "supervisor_wage_per_hour",
            "facilities_per_seat_per_month",
            "hiring_cost_per_hire",
        )
    ]
