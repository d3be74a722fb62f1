"""Property tests over generated parameter files: valid ones run, invalid ones are refused.

Valid files start from the North America demo region (``params/regions/north-america.yaml``,
merged over the real ``params/defaults.yaml``) and vary volumes, handle times, service targets,
shrinkage, wages, the vendor quote, the initiative and the horizons within the documented ranges
of :mod:`cxplan.config.params`. For each, :class:`cxplan.model.RegionModel` (200 Monte Carlo draws,
a
4-6 week horizon) must compute its whole headline without raising, and:

* every cost is finite and non-negative;
* scaling every channel's ``weekly_contacts`` up never lowers peak agents or (scheduled) FTE;
* the break-even month agrees with the cash flow: the running total is >= 0 at break-even and
  < 0 from the first negative month up to it (the definition in :func:`cxplan.economics.finance.
  break_even_month`, re-derived here with ``numpy.cumsum``);
* the headline is strict JSON (the batch writes it with ``allow_nan=False``).

Invalid files break one to three documented rules each (a number just outside its range, a
cross-field rule, a wrong type, a typo'd key, a missing field, a broken file); ``load_params``
must refuse every one with a :class:`~cxplan.errors.CxplanError` (a ``ParamsError`` whose lines
read ``file:line: ...``) and never with another exception. (``tests/test_bad_params.py`` holds
the fixed corpus and random *type* mutations; these are rule-by-rule violations.)
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from hypothesis_support import scaled

from cxplan.config.params import load_params
from cxplan.config.yamlfile import load_yaml
from cxplan.errors import CxplanError, ParamsError
from cxplan.model import RegionModel

REPO = Path(__file__).resolve().parent.parent
NORTH_AMERICA, _ = load_yaml(REPO / "params" / "regions" / "north-america.yaml")
# seed 003's optional sections (skills:, shifts:) are tested in tests/test_distribution.py; a
# generated operation (other open hours, intervals, shrinkage) would need its own shift templates
NORTH_AMERICA = {k: v for k, v in NORTH_AMERICA.items() if k not in ("skills", "shifts")}
DRAWS = 200
SETTINGS = settings(
    max_examples=scaled(15),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# A model run costs up to a few seconds: report the failing example as generated (it is in the
# log through `note`) instead of shrinking it for minutes.
MODEL_SETTINGS = settings(SETTINGS, phases=[Phase.explicit, Phase.reuse, Phase.generate])


@pytest.fixture(scope="module")
def root(params_root: Path) -> Path:
    """A params folder like the repository's (``conftest.params_root``)."""
    return params_root


def write_region(root: Path, data: Any, name: str = "generated") -> Path:
    path = root / "regions" / f"{name}.yaml"
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if currently_in_test_context():
        note(text)  # the failing file, in hypothesis' report
    path.write_text(text, encoding="utf-8")
    return path


def model_of(root: Path, data: dict[str, Any]) -> RegionModel:
    return RegionModel(
        load_params(write_region(root, data)), params_root=root, monte_carlo_draws=DRAWS
    )


# ------------------------------------------------------------------------ valid strategies


def num(low: float, high: float, digits: int = 3) -> st.SearchStrategy[float]:
    """Floats in [low, high], rounded (tidy YAML) and clipped back into the range."""
    return st.floats(low, high, allow_nan=False, allow_infinity=False).map(
        lambda x: min(max(round(x, digits), low), high)
    )


def ordered(low: float, high: float, digits: int = 3) -> st.SearchStrategy[dict[str, float]]:
    """A low/mode/high triple (``cxplan.config.params.Dist``) inside [low, high]."""
    return st.lists(num(low, high, digits), min_size=3, max_size=3).map(
        lambda v: dict(zip(("low", "mode", "high"), sorted(v), strict=True))
    )


VENDOR_COMPONENTS = st.one_of(
    st.builds(
        lambda p, w: {"kind": "per_minute", "price_per_minute": p, "wrap_minutes_per_contact": w},
        num(0.1, 4.0),
        num(0.0, 2.0),
    ),
    st.builds(lambda p: {"kind": "per_contact", "price_per_contact": p}, num(0.5, 15.0)),
    st.builds(
        lambda p, m: {"kind": "per_agent_hour", "price_per_hour": p, "minimum_hours_per_month": m},
        num(5.0, 40.0),
        num(0.0, 5_000.0, 0),
    ),
    st.builds(
        lambda fee, inc, over: {
            "kind": "fixed_fee",
            "fee_per_month": fee,
            "included_contacts": inc,
            "overage_per_contact": over,
        },
        num(1_000.0, 500_000.0, 0),
        num(0.0, 200_000.0, 0),
        num(0.0, 10.0),
    ),
)


@st.composite
def valid_regions(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(NORTH_AMERICA)
    data["forecast"]["horizon_weeks"] = draw(st.integers(4, 6))
    data["forecast"]["growth_annual"] = draw(num(-0.5, 1.0))

    channels = data["channels"]
    voice = channels["voice"]
    # >= 1: a voice channel with no contacts is the known bug of test_region_without_voice_*
    voice["weekly_contacts"] = draw(num(1.0, 60_000.0, 0))
    voice["aht_s"] = draw(num(30.0, 1_200.0, 0))
    voice["sl_target"] = draw(num(0.5, 0.95, 2))
    voice["answer_time_s"] = draw(num(5.0, 120.0, 0))
    voice["max_occupancy"] = draw(num(0.6, 1.0, 2))
    patience = draw(st.none() | num(60.0, 900.0, 0))
    voice.pop("patience_s", None)
    if patience is not None:
        voice["patience_s"] = patience
    if draw(st.booleans()):
        chat = channels["chat"]
        chat["weekly_contacts"] = draw(num(0.0, 15_000.0, 0))
        chat["aht_s"] = draw(num(60.0, 1_200.0, 0))
        chat["concurrency"] = k = draw(st.integers(1, 3))
        chat["concurrency_aht_factor"] = [
            1.0,
            *sorted(draw(st.lists(num(1.0, 2.0, 2), min_size=k - 1, max_size=k - 1))),
        ]
    else:
        del channels["chat"]
        data["kpi"]["channels"].pop("chat", None)  # KPIs of a channel the region lacks: refused
    if draw(st.booleans()):
        email = channels["email"]
        email["weekly_contacts"] = draw(num(0.0, 20_000.0, 0))
        email["aht_s"] = draw(num(60.0, 1_200.0, 0))
        email["response_time_s"] = draw(num(3_600.0, 172_800.0, 0))
    else:
        del channels["email"]
        data["kpi"]["channels"].pop("email", None)

    workforce = data["workforce"]
    workforce["shrinkage"] = draw(num(0.0, 0.5, 2))
    workforce["starting_headcount"] = draw(num(0.0, 300.0, 0))
    workforce["attrition_annual"] = draw(num(0.0, 0.6, 2))

    location = data["location"]
    location["wage_per_hour"] = draw(num(5.0, 60.0, 2))
    location["benefits_load"] = draw(num(0.0, 0.45, 2))
    location["supervisor_wage_per_hour"] = draw(num(0.0, 90.0, 2))
    location["facilities_per_seat_per_month"] = draw(num(0.0, 1_000.0, 0))

    vendor = data["vendor"]
    # one component per kind: two of one kind is the known bug of test_vendor_quote_with_two_*
    components = st.lists(VENDOR_COMPONENTS, min_size=1, max_size=2, unique_by=lambda c: c["kind"])
    vendor["components"] = draw(components)
    vendor["transition_cost"] = draw(num(0.0, 250_000.0, 0))

    data["sourcing"] = {
        "channel": draw(st.sampled_from(sorted(channels))),
        "vendor_share": draw(num(0.0, 1.0, 2)),
    }
    data["initiative"] = {
        "aht_reduction": draw(ordered(0.0, 0.5)),
        "deflection": draw(ordered(0.0, 0.4)),
        "realisation": draw(ordered(0.0, 1.0)),
        "tooling_per_year": draw(ordered(0.0, 1_000_000.0, 0)),
        "training_hours_per_agent": draw(num(0.0, 40.0, 1)),
        "automation_cost_per_contact": draw(num(0.0, 3.0, 2)),
        "release_policy": draw(st.sampled_from(["attrition", "release"])),
        "release_cost_per_fte": draw(num(0.0, 30_000.0, 0)),
    }
    data["finance"] = {
        "horizon_months": draw(st.integers(12, 36)),
        "discount_rate_annual": draw(num(0.0, 0.3, 2)),
        "monte_carlo_draws": DRAWS,
    }
    return data


# ------------------------------------------------------------------------- valid: invariants


def first_recovery(flows: np.ndarray) -> float | None:
    """Break-even month re-derived from its definition (``None``: never recovers)."""
    cum = np.cumsum(flows)
    negative = np.flatnonzero(cum < 0)
    if negative.size == 0:
        return 0.0
    later = np.flatnonzero((cum >= 0) & (np.arange(cum.size) > negative[0]))
    return float(later[0]) if later.size else None


def check_break_even(flows: np.ndarray, month: float | None, what: str) -> None:
    flows = np.asarray(flows, dtype=float)
    cum = np.cumsum(flows)
    assert month == first_recovery(flows), (what, month, cum)
    if month is None:
        assert (cum < 0).any(), what
        return
    j = int(month)
    assert month == j and 0 <= j < cum.size, (what, month)
    assert cum[j] >= 0, (what, j, cum)
    if j > 0:
        start = int(np.flatnonzero(cum < 0)[0])
        assert (cum[start:j] < 0).all(), (what, j, cum)
        assert cum[j - 1] < 0, (what, j, cum)


def assert_costs_non_negative(model: RegionModel) -> None:
    assert math.isfinite(model.cost_per_paid_hour) and model.cost_per_paid_hour > 0
    inhouse = model.inhouse_cost
    for column in inhouse.columns.drop("cost_per_contact"):
        values = inhouse[column].to_numpy(dtype=float)
        assert np.isfinite(values).all() and (values >= 0).all(), column
    per_contact = inhouse.loc[inhouse["contacts"] > 0, "cost_per_contact"].to_numpy(dtype=float)
    assert np.isfinite(per_contact).all() and (per_contact >= 0).all()
    comparison = model.sourcing_comparison
    for column in comparison.select_dtypes("number").columns:
        values = comparison[column].to_numpy(dtype=float)
        if column == "vendor_agent_hours":  # NaN by design when the quote bills no hours
            values = values[~np.isnan(values)]
        assert np.isfinite(values).all() and (values >= 0).all(), column
    plan = model.capacity_plan
    for column in ("shortfall_cost", "surplus_cost", "hiring_cost", "training_pay", "total_cost"):
        values = plan[column].to_numpy(dtype=float)
        assert np.isfinite(values).all() and (values >= 0).all(), column
    lines = model.case_lines_table
    assert np.isfinite(lines["amount"]).all() and (lines["amount"] >= 0).all()
    release = model.release_table
    assert np.isfinite(release.select_dtypes("number")).all().all()
    assert (release["released_fte"] >= 0).all()
    assert (release["hires_with_initiative"] >= -1e-9).all()


@MODEL_SETTINGS
@given(data=valid_regions())
def test_valid_params_run_and_keep_their_invariants(root: Path, data: dict[str, Any]) -> None:
    model = model_of(root, data)
    headline = model.headline()  # every model of the region: never raises for valid input
    json.dumps(headline, allow_nan=False)  # the batch's result file is strict JSON

    assert_costs_non_negative(model)
    assert all(v >= 0 for v in headline["costs"]["sourcing_total_by_option"].values())
    assert headline["costs"]["cheapest_option"] == min(
        headline["costs"]["sourcing_total_by_option"],
        key=headline["costs"]["sourcing_total_by_option"].get,
    )
    check_break_even(
        model.initiative_cashflows, headline["initiative"]["break_even_month"], "initiative"
    )
    assert headline["staffing"]["peak_agents"] == int(model.combined["agents"].max())


@MODEL_SETTINGS
@given(data=valid_regions(), factor=num(1.0, 4.0, 2))
def test_more_contacts_never_need_fewer_agents(
    root: Path, data: dict[str, Any], factor: float
) -> None:
    more = copy.deepcopy(data)
    for channel in more["channels"].values():
        channel["weekly_contacts"] = round(channel["weekly_contacts"] * factor, 3)
    base, scaled = model_of(root, data), model_of(root, more)

    assert scaled.combined["agents"].max() >= base.combined["agents"].max()
    for name, table in base.staffing.items():
        assert scaled.staffing[name]["agents"].max() >= table["agents"].max(), name
        assert (scaled.staffing[name]["agents"].to_numpy() >= table["agents"].to_numpy()).all()
    for column in ("fte", "scheduled_fte", "scheduled_headcount"):
        low, high = base.weekly[column].to_numpy(), scaled.weekly[column].to_numpy()
        assert (high >= low - 1e-9).all(), column


def quick_north_america() -> dict[str, Any]:
    data = copy.deepcopy(NORTH_AMERICA)
    data["forecast"]["horizon_weeks"] = 4
    data["finance"] = {"monte_carlo_draws": DRAWS}
    return data


def test_region_without_voice_contacts_runs(root: Path) -> None:
    data = quick_north_america()
    data["channels"]["voice"]["weekly_contacts"] = 0
    model = model_of(root, data)  # load_params accepts the file
    headline = model.headline()
    assert headline["staffing"]["peak_agents_by_channel"]["voice"] == 0


def test_vendor_quote_with_two_components_of_one_kind_is_refused_or_runs(root: Path) -> None:
    data = quick_north_america()
    data["vendor"]["components"] = [
        {"kind": "per_minute", "price_per_minute": 0.95},
        {"kind": "per_minute", "price_per_minute": 0.10, "wrap_minutes_per_contact": 1.0},
    ]
    try:
        params = load_params(write_region(root, data))
    except ParamsError:
        return  # refused up front with a file:line message: fine
    headline = RegionModel(params, params_root=root, monte_carlo_draws=DRAWS).headline()
    assert headline["costs"]["sourcing_total_by_option"]["outsourced"] > 0


# ------------------------------------------------------------------------ invalid strategies


def at(data: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    for key in path:
        data = data.setdefault(key, {})
    return data


# (path, key, strategy of values that break the documented range)
OUT_OF_RANGE: list[tuple[tuple[str, ...], str, st.SearchStrategy[Any]]] = [
    (("channels", "voice"), "sl_target", num(1.001, 100.0) | num(-1.0, 0.0)),
    (("channels", "voice"), "max_occupancy", num(1.001, 5.0) | st.just(0.0)),
    (("channels", "voice"), "aht_s", num(-1_000.0, 0.0) | num(86_401.0, 1e7, 0)),
    (("channels", "voice"), "weekly_contacts", num(-1e6, -0.001) | num(1.01e8, 1e12, 0)),
    (("channels", "voice"), "answer_time_s", num(-100.0, -0.001)),
    (("channels", "chat"), "concurrency", st.integers(-3, 0) | st.integers(9, 100)),
    (("channels", "email"), "response_time_s", num(2_592_001.0, 1e8, 0) | st.just(0.0)),
    (("forecast",), "horizon_weeks", st.integers(-5, 3) | st.integers(53, 1_000)),
    (("forecast",), "growth_annual", num(-10.0, -0.901) | num(5.001, 100.0)),
    (("workforce",), "shrinkage", num(1.0, 10.0) | num(-1.0, -0.001)),
    (("workforce",), "training_weeks", st.integers(27, 500)),
    (("location",), "wage_per_hour", num(-50.0, 0.0) | num(1_000.01, 1e6)),
    (("location",), "benefits_load", num(1.0, 5.0)),
    (("vendor",), "governance_share", num(1.0, 3.0)),
    (("sourcing",), "vendor_share", num(1.001, 10.0)),
    (("initiative",), "aht_reduction", num(0.951, 5.0)),
    (("finance",), "horizon_months", st.integers(0, 11) | st.integers(121, 10_000)),
    (("finance",), "monte_carlo_draws", st.integers(0, 99)),
    (("finance",), "discount_rate_annual", num(1.001, 50.0)),
    (("pilot",), "alpha", num(0.5, 1.0)),
]

WRONG_TYPE = st.one_of(
    st.text(alphabet="abcxyz", min_size=1, max_size=8),  # 'lots'
    st.integers(0, 100).map(str),  # '30' quoted: numbers are strict
    st.booleans(),  # yes/no is not a number
    st.lists(st.integers(0, 9), min_size=1, max_size=3),
    st.dictionaries(st.sampled_from(["value", "amount"]), st.integers(0, 9), min_size=1),
)
NUMERIC_FIELDS = [(path, key) for path, key, _ in OUT_OF_RANGE]


def cross_field_violations(data: dict[str, Any], choice: int) -> None:
    """Break one rule that ties several fields together (cxplan.config.params validators)."""
    if choice == 0:  # chat: one handle-time factor per concurrent chat
        at(data, ("channels", "chat")).update(concurrency=3, concurrency_aht_factor=[1.0, 1.2])
    elif choice == 1:  # factors must not decrease
        at(data, ("channels", "chat"))["concurrency_aht_factor"] = [1.3, 1.0]
    elif choice == 2:  # day-of-week shares sum to 1
        at(data, ("forecast",))["day_of_week_share"] = [0.2] * 7
    elif choice == 3:  # 30-minute intervals need 48 profile values
        at(data, ("forecast",))["intraday_profile"] = [1.0] * 24
    elif choice == 4:  # one seasonality factor per week
        forecast = at(data, ("forecast",))
        forecast["horizon_weeks"] = 8
        forecast["seasonality"] = [1.0] * 5
    elif choice == 5:  # open hours start before they end
        at(data, ("channels", "email"))["open_hours"] = [20, 8]
    elif choice == 6:  # low <= mode <= high
        at(data, ("initiative",))["deflection"] = {"low": 0.3, "mode": 0.1, "high": 0.4}
    elif choice == 7:  # the sourcing channel must be staffed
        at(data, ("channels",)).pop("chat", None)
        at(data, ("sourcing",))["channel"] = "chat"
    elif choice == 8:  # plans start on a Monday
        at(data, ("region",))["start_date"] = "2027-01-05"
    elif choice == 9:  # roadmap tasks belong to a phase that exists
        at(data, ("roadmap",))["phases"] = [
            {"id": "only", "name": "Only", "start_day": 0, "end_day": 90}
        ]
        data["roadmap"]["tasks"] = [
            {"id": "t", "name": "T", "phase": "missing", "start_day": 0, "end_day": 10}
        ]
    elif choice == 10:  # tiers: bands in increasing order
        at(data, ("vendor",))["components"] = [
            {
                "kind": "per_contact",
                "price_per_contact": {"band_starts": [0, 5000, 1000], "prices": [3, 2, 1]},
            }
        ]
    else:  # no channel at all
        data["channels"] = {}


@st.composite
def invalid_regions(draw: st.DrawFn) -> tuple[Any, list[str]]:
    """A region document breaking one to three rules, and what was broken (for the log)."""
    data: Any = copy.deepcopy(NORTH_AMERICA)
    broken: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(["range", "type", "cross", "typo", "missing", "unknown-section"])
        )
        if kind == "range":
            path, key, values = draw(st.sampled_from(OUT_OF_RANGE))
            at(data, path)[key] = draw(values)
            broken.append(f"{'.'.join(path)}.{key} out of range")
        elif kind == "type":
            path, key = draw(st.sampled_from(NUMERIC_FIELDS))
            at(data, path)[key] = draw(WRONG_TYPE)
            broken.append(f"{'.'.join(path)}.{key} wrong type")
        elif kind == "cross":
            choice = draw(st.integers(0, 11))
            cross_field_violations(data, choice)
            broken.append(f"cross-field rule {choice}")
        elif kind == "typo":
            path, key = draw(st.sampled_from(NUMERIC_FIELDS))
            section = at(data, path)
            section[key.rstrip("s") + "x" if key.endswith("s") else key + "s"] = section.pop(
                key, 1.0
            )
            broken.append(f"{'.'.join(path)}.{key} misspelt")
        elif kind == "missing":
            path, key = draw(
                st.sampled_from(
                    [
                        (("region",), "name"),
                        (("location",), "wage_per_hour"),
                        (("channels", "voice"), "aht_s"),
                        (("vendor",), "components"),
                        (("workforce",), "starting_headcount"),
                    ]
                )
            )
            at(data, path).pop(key, None)
            broken.append(f"{'.'.join(path)}.{key} missing")
        else:
            data[draw(st.sampled_from(["chanels", "finances", "forcast", "extras"]))] = {"a": 1}
            broken.append("unknown section")
    return data, broken


BROKEN_TEXT = st.sampled_from(
    [
        b"region: {name: North America\n",  # unclosed flow mapping
        b"region:\n\tname: North America\n",  # tab indentation
        b"- just\n- a list\n",  # not a mapping
        b"region: {name: A}\nregion: {name: B}\n",  # duplicate key
        b"region: {name: Am\xe9rica}\n",  # Latin-1, not UTF-8
        b"region: !!python/object/apply:os.system ['true']\n",  # code tag
        b"",  # empty
    ]
)


@SETTINGS
@given(case=invalid_regions())
def test_rule_breaking_params_always_raise_a_cxplan_error(
    root: Path, case: tuple[Any, list[str]]
) -> None:
    data, broken = case
    note(f"broken: {broken}")
    path = write_region(root, data, "invalid")
    with pytest.raises(CxplanError) as info:  # anything else propagates and fails the test
        load_params(path)
    assert isinstance(info.value, ParamsError)
    files = {str(path), str(root / "defaults.yaml"), str((root / "defaults.yaml").resolve())}
    assert info.value.problems
    for line in info.value.problems:
        file, number, rest = line.split(":", 2)
        assert file in files and number.isdigit() and rest.startswith(" "), line


@settings(max_examples=scaled(15), deadline=None)
@given(text=BROKEN_TEXT, prefix=st.sampled_from([b"", b"# comment\n", b"\xef\xbb\xbf"]))
def test_broken_files_always_raise_a_cxplan_error(root: Path, text: bytes, prefix: bytes) -> None:
    path = root / "regions" / "broken.yaml"
    path.write_bytes(prefix + text)
    with pytest.raises(CxplanError) as info:
        load_params(path)
    assert isinstance(info.value, ParamsError)
    assert all(line.startswith(f"{path}:") for line in info.value.problems)
