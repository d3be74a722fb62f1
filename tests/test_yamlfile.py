"""Tests for cxplan.config.yamlfile: safe, line-aware YAML loading and pydantic error formatting."""

from __future__ import annotations

import math
import textwrap
import tracemalloc
from pathlib import Path
from typing import Annotated, Literal

import pytest
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from cxplan.config.yamlfile import (
    Locator,
    format_location,
    format_validation_error,
    load_model,
    load_yaml,
    merge,
)
from cxplan.errors import ParamsError

# ---------------------------------------------------------------- a small schema for the tests


class Tier(BaseModel):
    model_config = ConfigDict(extra="forbid")
    upto: int = Field(ge=0)
    price: float = Field(gt=0)


class Voice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    aht_s: float = Field(gt=0)
    share: float = Field(ge=0, le=1)

    @field_validator("share")
    @classmethod
    def _not_half(cls, value: float) -> float:
        if value == 0.5:
            raise ValueError("share must not be exactly 0.5 (test rule)")
        return value


class PerMinute(BaseModel):
    model_config = ConfigDict(extra="forbid")
    model: Literal["per_minute"]
    rate: float = Field(gt=0)


class PerContact(BaseModel):
    model_config = ConfigDict(extra="forbid")
    model: Literal["per_contact"]
    price: float = Field(gt=0)


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    region: str
    currency: str = "USD"
    voice: Voice
    tiers: list[Tier] = []
    pricing: Annotated[PerMinute | PerContact, Field(discriminator="model")] | None = None


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems_of(call: object, *args: object, **kwargs: object) -> list[str]:
    with pytest.raises(ParamsError) as info:
        call(*args, **kwargs)  # type: ignore[operator]
    return info.value.problems


# ------------------------------------------------------------------------------- load_yaml


def test_load_yaml_returns_data_and_key_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "x.yaml",
        """
        # comment line 1
        region: North
        voice:
          aht_s: 300
        tiers:
          - upto: 10
            price: 2.5
          - upto: 20
            price: 2.0
        """,
    )
    data, locator = load_yaml(path)
    assert data == {
        "region": "North",
        "voice": {"aht_s": 300},
        "tiers": [{"upto": 10, "price": 2.5}, {"upto": 20, "price": 2.0}],
    }
    assert locator.path == str(path)
    assert locator.line(("region",)) == 2
    assert locator.line(("voice", "aht_s")) == 4
    assert locator.line(("tiers", 1)) == 8
    assert locator.line(("tiers", 1, "price")) == 9
    # a missing key resolves to its nearest existing parent
    assert locator.line(("voice", "share")) == 3
    assert locator.line(("tiers", 1, "missing")) == 8


def test_duplicate_key_is_an_error_with_both_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "dup.yaml",
        """
        region: North
        voice:
          aht_s: 300
          share: 0.4
          aht_s: 280
        """,
    )
    assert problems_of(load_yaml, path) == [
        f"{path}:5: voice.aht_s: duplicate key 'aht_s' (first at line 3)"
    ]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("a: 1\nb: [1, 2\nc: 3\n", 3, "expected ',' or ']'"),
        ("a: 1\n  b: 2\n", 2, "mapping values are not allowed here"),
        ("a:\n\tb: 1\n", 2, "indent with spaces, not tabs"),
        ("a: 'open\nb: 2\n", 3, "found unexpected end of stream"),
        ("a: 1\n---\nb: 2\n", 2, "second document"),
        ("a: *nowhere\n", 1, "undefined alias"),
        ("a: \x07\n", 1, "control character #x0007"),
    ],
)
def test_yaml_syntax_error_is_one_line_with_its_line_number(
    tmp_path: Path, text: str, line: int, fragment: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    problems = problems_of(load_yaml, path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:{line}: yaml: ")
    assert fragment in problems[0]
    assert "\n" not in problems[0]


@pytest.mark.parametrize("content", [b"", b"  \n\n", b"# only a comment\n\n# another\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.yaml"
    path.write_bytes(content)
    (problem,) = problems_of(load_yaml, path)
    assert problem.startswith(f"{path}:1: file is empty")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    assert problems_of(load_yaml, path) == [f"{path}: file not found"]


def test_non_utf8_bytes_name_line_and_offset(tmp_path: Path) -> None:
    raw = b"region: North\nvoice:\n  name: caf\xe9\n"
    path = tmp_path / "latin1.yaml"
    path.write_bytes(raw)
    offset = raw.index(b"\xe9")  # 27, on line 3
    (problem,) = problems_of(load_yaml, path)
    assert problem == (
        f"{path}:3: not valid UTF-8: byte 0xe9 at offset {offset}; save the file as UTF-8"
    )


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfregion: Z\xc3\xbcrich\n")
    assert load_yaml(path)[0] == {"region": "Zürich"}


def _billion_laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        name, prev = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.timeout(10)
def test_alias_bomb_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    # 9 levels of 9 aliases would expand to 9**9 = 387,420,489 strings if constructed.
    path = tmp_path / "lol.yaml"
    path.write_text(_billion_laughs(), encoding="utf-8")
    tracemalloc.start()
    try:
        problems = problems_of(load_yaml, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(problems) == 1
    assert "aliases expand to more than 10000 nodes" in problems[0]
    assert peak < 50_000_000  # bounded: the limit stops expansion long before it explodes


def test_alias_limit_is_configurable_and_small_anchor_use_works(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "anchors.yaml",
        """
        base: &base
          aht_s: 300
          share: 0.4
        voice:
          <<: *base
          share: 0.6
        copy: *base
        """,
    )
    data, locator = load_yaml(path)
    assert data["voice"] == {"aht_s": 300, "share": 0.6}
    assert data["copy"] == {"aht_s": 300, "share": 0.4}
    assert locator.line(("voice", "share")) == 6  # the explicit key wins, with its own line
    assert locator.line(("voice", "aht_s")) == 2  # merged keys point at the anchor's lines
    assert "expand" in problems_of(load_yaml, path, max_alias_nodes=2)[0]


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "rec.yaml", "a: &x [1, *x]\n")
    (problem,) = problems_of(load_yaml, path)
    assert "recursive alias" in problem


@pytest.mark.parametrize(
    "value",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:pathlib.Path ['{marker}']",
        "!custom {marker}",
        "!!binary aGVsbG8=",
        "!!set {{a, b}}",
    ],
)
def test_unsafe_or_unknown_tags_are_refused_and_never_run(tmp_path: Path, value: str) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "tag.yaml"
    path.write_text(f"region: x\nvalue: {value.format(marker=marker)}\n", encoding="utf-8")
    (problem,) = problems_of(load_yaml, path)
    assert problem.startswith(f"{path}:2: value: unsupported tag ")
    assert not marker.exists()


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # YAML 1.1 surprises that are kept as written (YAML 1.2 core schema)
        ("yes", "yes"),
        ("NO", "NO"),
        ("on", "on"),
        ("0755", "0755"),
        ("8:30", "8:30"),
        ("2024-01-31", "2024-01-31"),
        ("1_000", 1000),
        # YAML 1.2 core values
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("", None),
        ("42", 42),
        ("-7", -7),
        ("0x1F", 31),
        ("0o17", 15),
        ("1e3", 1000.0),
        ("2.5", 2.5),
        (".5", 0.5),
        ("-.inf", -math.inf),
        ('"true"', "true"),
        ("'0755'", "0755"),
        ("!!str 42", "42"),
        ("!!int '12'", 12),
        ("!!float 3", 3.0),
    ],
)
def test_scalars_follow_yaml_12_core_schema(tmp_path: Path, written: str, expected: object) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(f"value: {written}\n", encoding="utf-8")
    value = load_yaml(path)[0]["value"]
    assert value == expected
    assert type(value) is type(expected)


def test_nan_scalar(tmp_path: Path) -> None:
    path = write(tmp_path, "nan.yaml", "value: .nan\n")
    assert math.isnan(load_yaml(path)[0]["value"])


def test_bad_explicitly_tagged_scalar(tmp_path: Path) -> None:
    path = write(tmp_path, "t.yaml", "a: 1\nb: !!int twelve\n")
    assert problems_of(load_yaml, path) == [f"{path}:2: b: 'twelve' is not a valid int"]


# -------------------------------------------------------------------------------- merge


@pytest.mark.parametrize(
    ("defaults", "override", "expected"),
    [
        ({"a": 1}, {"b": 2}, {"a": 1, "b": 2}),
        ({"a": {"x": 1, "y": 2}}, {"a": {"y": 3}}, {"a": {"x": 1, "y": 3}}),
        ({"a": {"x": {"p": 1, "q": 2}}}, {"a": {"x": {"q": 9}}}, {"a": {"x": {"p": 1, "q": 9}}}),
        ({"tiers": [1, 2, 3]}, {"tiers": [9]}, {"tiers": [9]}),  # lists replace
        ({"a": {"x": 1}}, {"a": None}, {"a": None}),  # explicit null replaces
        ({"a": 5}, {"a": {"x": 1}}, {"a": {"x": 1}}),  # mapping replaces scalar
        ({"a": {"x": 1}}, {"a": 5}, {"a": 5}),  # scalar replaces mapping
    ],
)
def test_merge_table(defaults: dict, override: dict, expected: dict) -> None:
    before = (repr(defaults), repr(override))
    assert merge(defaults, override) == expected
    assert (repr(defaults), repr(override)) == before  # inputs unchanged


@pytest.mark.parametrize(
    ("parts", "text"),
    [((), ""), (("voice", "aht_s"), "voice.aht_s"), (("tiers", 2, "price"), "tiers[2].price")],
)
def test_format_location(parts: tuple, text: str) -> None:
    assert format_location(parts) == text


# ---------------------------------------------------------------- validation error formatting

REGION = """
region: North
voice:
  aht_s: -5
  share: 0.5
  aht_sec: 3
tiers:
  - upto: 10
    price: 2.5
  - upto: abc
    price: 1
  - upto: 30
    price: 0
  - price: 1.5
"""


def test_validation_problems_are_one_line_each_with_file_line_field(tmp_path: Path) -> None:
    path = write(tmp_path, "north.yaml", REGION)
    assert problems_of(load_model, Params, path) == [
        f"{path}:3: voice.aht_s: must be > 0 (got -5)",
        f"{path}:4: voice.share: share must not be exactly 0.5 (test rule) (got 0.5)",
        f"{path}:5: voice.aht_sec: unknown key (did you mean 'aht_s'?)",
        f"{path}:9: tiers[1].upto: expected a whole number (got 'abc')",
        f"{path}:12: tiers[2].price: must be > 0 (got 0)",
        f"{path}:13: tiers[3].upto: required field is missing",
    ]


def test_missing_top_level_section_and_type_error(tmp_path: Path) -> None:
    path = write(tmp_path, "r.yaml", "# header\nregion: North\ncurrency: [1]\n")
    assert problems_of(load_model, Params, path) == [
        f"{path}:2: voice: required field is missing",
        f"{path}:3: currency: expected text (got [1])",
    ]


def test_number_type_error_and_code_like_values_are_echoed_safely(tmp_path: Path) -> None:
    evil = "__import__('os').system('touch " + str(tmp_path / "pwned") + "') " + "x" * 80
    path = write(
        tmp_path,
        "r.yaml",
        f"""
        region: North
        voice:
          aht_s: abc
          share: "{evil}"
        """,
    )
    problems = problems_of(load_model, Params, path)
    assert problems[0] == f"{path}:3: voice.aht_s: expected a number (got 'abc')"
    got = problems[1].split("(got ", 1)[1]
    assert problems[1].startswith(f'{path}:4: voice.share: expected a number (got "__import__(')
    assert len(got) <= 61 and got.endswith("...)")
    assert not (tmp_path / "pwned").exists()


def test_control_characters_in_values_are_escaped(tmp_path: Path) -> None:
    path = write(tmp_path, "r.yaml", 'region: North\nvoice:\n  aht_s: "1\\u001b[31mred"\n')
    (_missing_share, first) = problems_of(load_model, Params, path)
    assert "\x1b" not in first
    assert "\\x1b" in first


def test_discriminated_union_location_skips_the_tag_label(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "r.yaml",
        """
        region: North
        voice: {aht_s: 300, share: 0.4}
        pricing:
          model: per_minute
          rate: -1
        """,
    )
    assert problems_of(load_model, Params, path) == [
        f"{path}:5: pricing.rate: must be > 0 (got -1)"
    ]


def test_unknown_discriminator_value(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "r.yaml",
        "region: North\nvoice: {aht_s: 300, share: 0.4}\npricing:\n  model: per_hour\n",
    )
    (problem,) = problems_of(load_model, Params, path)
    assert problem.startswith(f"{path}:3: pricing: 'model' must be one of 'per_minute'")
    assert "(got 'per_hour')" in problem


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "list.yaml", "- a\n- b\n")
    assert problems_of(load_model, Params, path) == [
        f"{path}:1: (top level): expected a mapping of keys (got a list)"
    ]


def test_format_validation_error_without_locator() -> None:
    with pytest.raises(ValidationError) as info:
        Tier.model_validate({"upto": -1, "price": 1, "prise": 2})
    assert format_validation_error("t.yaml", info.value, model=Tier) == [
        "t.yaml:1: upto: must be >= 0 (got -1)",
        "t.yaml:1: prise: unknown key (did you mean 'price'?)",
    ]


# ------------------------------------------------------------------ defaults <- region merging

DEFAULTS = """
currency: EUR
voice:
  aht_s: 300
  share: 0.4
tiers:
  - upto: 10
    price: 2.5
  - upto: 20
    price: 2.0
"""


def test_load_model_merges_defaults_under_region(tmp_path: Path) -> None:
    defaults = write(tmp_path, "defaults.yaml", DEFAULTS)
    region = write(tmp_path, "north.yaml", "region: North\nvoice:\n  aht_s: 280\n")
    params = load_model(Params, region, defaults_path=defaults)
    assert params.region == "North"
    assert params.currency == "EUR"
    assert params.voice == Voice(aht_s=280, share=0.4)
    assert [tier.upto for tier in params.tiers] == [10, 20]


def test_merged_errors_point_at_the_file_the_value_came_from(tmp_path: Path) -> None:
    defaults = write(
        tmp_path,
        "defaults.yaml",
        """
        currency: EUR
        voice:
          aht_s: -1
          share: 0.4
        tiers:
          - upto: 10
            price: 2.5
          - upto: 20
            price: 2.0
        """,
    )
    region = write(
        tmp_path,
        "north.yaml",
        """
        region: North
        voice:
          share: 1.5
        tiers:
          - upto: 5
          - upto: 15
            price: 3.0
        """,
    )
    assert problems_of(load_model, Params, region, defaults_path=defaults) == [
        # aht_s is only in the defaults file
        f"{defaults}:3: voice.aht_s: must be > 0 (got -1)",
        # share is overridden by the region file
        f"{region}:3: voice.share: must be <= 1 (got 1.5)",
        # the region's list replaced the defaults' list: the missing price is the region's,
        # even though the defaults' tiers[0] had one
        f"{region}:5: tiers[0].price: required field is missing",
    ]


def test_overlay_locator_prefers_region_and_falls_back_to_defaults(tmp_path: Path) -> None:
    defaults = write(tmp_path, "d.yaml", DEFAULTS)
    region = write(tmp_path, "r.yaml", "region: North\nvoice:\n  share: 0.7\n")
    locator = load_yaml(defaults)[1].overlay(load_yaml(region)[1])
    assert locator.paths == (str(defaults), str(region))
    assert locator.locate(("voice", "share")) == (str(region), 3)
    assert locator.locate(("voice", "aht_s")) == (str(defaults), 3)
    assert locator.locate(("tiers", 1, "price")) == (str(defaults), 9)
    assert locator.locate(("voice", "new_key")) == (str(region), 2)  # nearest parent, region wins
    assert locator.locate(("not_there",)) == (str(region), 1)


def test_problems_from_both_files_are_reported_together(tmp_path: Path) -> None:
    defaults = write(tmp_path, "d.yaml", "voice: [1, 2\n")
    region = write(tmp_path, "r.yaml", "region: a\nregion: b\n")
    problems = problems_of(load_model, Params, region, defaults_path=defaults)
    assert [p.split(": ", 1)[0] for p in problems] == [f"{defaults}:2", f"{region}:2"]


@pytest.mark.parametrize(
    ("loc", "missing", "expected"),
    [
        (("voice", "function-after[_not_half(), float]"), False, ("voice",)),
        (("tiers", 0, "price"), False, ("tiers", 0, "price")),
        (("voice", "int"), False, ("voice",)),  # union member label under a scalar
        (("tiers", "list[Tier]"), False, ("tiers",)),
        (("tiers", 0, "Tier", "price"), False, ("tiers", 0, "price")),  # union member model
        (("tiers", 0, "constrained-float"), False, ("tiers", 0)),
        (("tiers", 0, "Tier", "upto"), True, ("tiers", 0, "upto")),  # a missing field is kept
        (("region",), True, ("region",)),
        (("region",), False, ()),  # not in the document and not missing: a label
    ],
)
def test_locator_field_path_drops_pydantic_labels(
    loc: tuple, missing: bool, expected: tuple
) -> None:
    locator = Locator(
        "x.yaml",
        {
            (): (1, "map"),
            ("voice",): (2, "scalar"),
            ("tiers",): (3, "seq"),
            ("tiers", 0): (4, "map"),
            ("tiers", 0, "price"): (4, "scalar"),
        },
    )
    assert locator.field_path(loc, missing=missing) == expected


# ------------------------------------------------- model validators, unions, missing fields


class Band(BaseModel):
    model_config = ConfigDict(extra="forbid")
    starts: list[float]
    prices: list[float]

    @model_validator(mode="after")
    def _same_length(self) -> Band:
        if len(self.starts) != len(self.prices):
            raise ValueError(
                f"prices must have one price per band, {len(self.starts)} (got {len(self.prices)})"
            )
        if self.starts and self.starts[0] != 0:
            raise ValueError("the first band must start at 0")
        return self


class Vendor(BaseModel):
    model_config = ConfigDict(extra="forbid")
    price: Annotated[float, Field(gt=0)] | Band
    profile: list[float] = [1.0]

    @field_validator("profile")
    @classmethod
    def _has_volume(cls, value: list[float]) -> list[float]:
        if sum(value) <= 0:
            raise ValueError("must have some volume")
        return value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a model validator naming a field: reported on that field's line, "(got" not repeated
        (
            "price:\n  starts: [0, 10]\n  prices: [1.0]\n",
            ["{p}:3: price.prices: must have one price per band, 2 (got 1)"],
        ),
        # a model validator not naming a field: on the model, without echoing the mapping
        (
            "price:\n  starts: [5]\n  prices: [1.0]\n",
            ["{p}:1: price: the first band must start at 0"],
        ),
        # a value that fits no member of the union: one line
        ("price: abc\n", ["{p}:1: price: expected a number or a mapping of keys (got 'abc')"]),
        ("price: -2\n", ["{p}:1: price: must be > 0 (got -2)"]),
        # a field validator on a list echoes the list
        ("price: 1\nprofile: [0, 0]\n", ["{p}:2: profile: must have some volume (got [0, 0])"]),
    ],
)
def test_validator_and_union_messages(tmp_path: Path, text: str, expected: list[str]) -> None:
    path = write(tmp_path, "v.yaml", text)
    assert problems_of(load_model, Vendor, path) == [line.format(p=path) for line in expected]


def test_missing_field_is_reported_in_the_region_file(tmp_path: Path) -> None:
    # The defaults have a voice section without aht_s; the region has no voice section at all.
    # The field belongs in the region file, so that is where the problem is reported.
    defaults = write(tmp_path, "d.yaml", "currency: EUR\nvoice:\n  share: 0.4\n")
    region = write(tmp_path, "r.yaml", "# North\nregion: North\n")
    assert problems_of(load_model, Params, region, defaults_path=defaults) == [
        f"{region}:2: voice.aht_s: required field is missing"
    ]
