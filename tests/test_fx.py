"""Money has a currency (issue 12): a region in another currency than the defaults'.

The North America demo region is rewritten in GBP over the USD defaults (``params/defaults.yaml``).
Without ``fx.rates.USD`` it is refused on the line that needs it; with 0.79 GBP per USD every money
default it takes is converted (the USD figures below are copied by hand from
``params/defaults.yaml``, times 0.79), its own values are taken as written, and the portfolio
converts it back into the one reporting currency, printing the rate.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cxplan.config.params import RegionParams, load_params
from cxplan.errors import ParamsError
from cxplan.model import load_region
from cxplan.present.report import money, portfolio_summary, portfolio_table, reporting_rate

REPO = Path(__file__).resolve().parent.parent
NORTH_AMERICA = REPO / "params" / "regions" / "north-america.yaml"
RATE = 0.79  # GBP per USD (an example rate; any positive number would do)


def gbp_region(folder: Path, name: str, fx: str | None) -> Path:
    """North America in GBP, with ``fx`` (YAML text of the section) appended when given."""
    text = NORTH_AMERICA.read_text(encoding="utf-8")
    assert text.count("  currency: USD") == 1
    text = text.replace("  currency: USD", "  currency: GBP").replace(
        "name: North America", f"name: {name}"
    )
    if fx is not None:
        text += "\n" + fx + "\n"
    path = folder / "regions" / f"{name.lower().replace(' ', '-')}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    numbers = [i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line]
    assert len(numbers) == 1, (text, numbers)
    return numbers[0]


def problems(path: Path) -> list[str]:
    with pytest.raises(ParamsError) as info:
        load_params(path)
    return list(info.value.problems)


def test_a_region_in_another_currency_without_a_rate_is_refused(params_root: Path) -> None:
    path = gbp_region(params_root, "No Rate", None)
    assert problems(path) == [
        f"{path}:{line_of(path, 'currency: GBP')}: region.currency: GBP differs from the "
        "defaults' currency USD, so every money default would be read in the wrong currency: "
        "give fx.rates.USD (how many GBP one USD buys)"
    ]


@pytest.mark.parametrize(
    ("written", "found"),
    [("null", "null"), ("0", "0"), ("-0.5", "-0.5"), ('"0.79"', "'0.79'"), ("true", "True")],
)
def test_a_rate_written_but_not_a_positive_number_is_named_on_its_line(
    params_root: Path, written: str, found: str
) -> None:
    path = gbp_region(params_root, "Bad Rate", f"fx:\n  rates:\n    USD: {written}")
    assert problems(path) == [
        f"{path}:{line_of(path, 'USD: ')}: fx.rates.USD: must be a number > 0, how many GBP one "
        f"USD buys (region.currency GBP differs from the defaults' currency USD; got {found})"
    ]


@pytest.fixture(scope="module")
def gbp_path(params_root: Path) -> Path:
    return gbp_region(params_root, "London", f"fx:\n  rates: {{USD: {RATE}}}\n  as_of: 2027-01-04")


@pytest.fixture(scope="module")
def gbp(gbp_path: Path) -> RegionParams:
    return load_params(gbp_path)


def platform_licence(p: RegionParams) -> float:
    return next(
        x.cost_per_agent_per_month for x in p.technology.licences if x.category == "platform"
    )


def baseline_task(p: RegionParams) -> tuple[float, float, float]:
    t = next(t for t in p.roadmap.tasks if t.id == "baseline")
    return (t.cost_low, t.cost_base, t.cost_high)


def tooling(p: RegionParams) -> tuple[float, float, float]:
    d: Any = p.initiative.tooling_per_year
    return (d.low, d.mode, d.high)


# (what, read it, its USD value in params/defaults.yaml)
CONVERTED: list[tuple[str, Callable[[RegionParams], Any], Any]] = [
    ("platform licence a month", platform_licence, 125.0),
    ("technology implementation", lambda p: p.technology.implementation_cost, 25_000.0),
    ("shortfall cost per FTE-week", lambda p: p.workforce.shortfall_cost_per_fte_week, 2_000.0),
    ("surplus cost per FTE-week", lambda p: p.workforce.surplus_cost_per_fte_week, 1_000.0),
    ("initiative licence", lambda p: p.initiative.licence_per_agent_per_month, 15.0),
    ("bot session", lambda p: p.initiative.automation_cost_per_contact, 0.99),
    ("tooling a year (low, mode, high)", tooling, (15_000.0, 60_000.0, 120_000.0)),
    ("baseline task (low, base, high)", baseline_task, (5_000.0, 12_000.0, 20_000.0)),
]


@pytest.mark.parametrize(("what", "read", "usd"), CONVERTED, ids=[c[0] for c in CONVERTED])
def test_money_defaults_are_converted_at_the_rate(
    gbp: RegionParams, what: str, read: Callable[[RegionParams], Any], usd: Any
) -> None:
    expected = tuple(v * RATE for v in usd) if isinstance(usd, tuple) else usd * RATE
    assert read(gbp) == pytest.approx(expected, rel=1e-12)


# (what, read it, the value as written: the region's own money, or not money at all)
UNCHANGED: list[tuple[str, Callable[[RegionParams], Any], Any]] = [
    ("the region's wage", lambda p: p.location.wage_per_hour, 24.0),
    ("the region's per-minute price", lambda p: p.vendor.components[0].price_per_minute, 0.95),
    ("shrinkage (a share)", lambda p: p.workforce.shrinkage, 0.30),
    ("training hours per agent", lambda p: p.initiative.training_hours_per_agent, 16.0),
    ("discount rate", lambda p: p.finance.discount_rate_annual, 0.10),
]


@pytest.mark.parametrize(("what", "read", "value"), UNCHANGED, ids=[u[0] for u in UNCHANGED])
def test_the_regions_own_values_and_non_money_are_not_converted(
    gbp: RegionParams, what: str, read: Callable[[RegionParams], Any], value: float
) -> None:
    assert read(gbp) == value


@pytest.mark.slow
def test_the_portfolio_converts_a_gbp_region_into_the_reporting_currency(gbp_path: Path) -> None:
    usd = load_region(NORTH_AMERICA, monte_carlo_draws=200).headline()
    gbp = load_region(gbp_path, monte_carlo_draws=200).headline()
    assert (gbp["currency"], gbp["fx"]["rates"]) == ("GBP", {"USD": RATE})
    assert reporting_rate(gbp) == ("USD", pytest.approx(1 / RATE))
    table = portfolio_table([usd, gbp])
    assert set(table["currency"]) == {"USD"}
    row = table.loc["London"]
    assert row["local_currency"] == "GBP"
    # 1 GBP = 1 / 0.79 USD: every money figure of the GBP region divided by 0.79
    for column, value in (
        ("inhouse_cost_per_month", gbp["costs"]["inhouse_cost_per_month"]),
        ("cost_per_paid_hour", gbp["costs"]["cost_per_paid_hour"]),
        ("initiative_npv", gbp["initiative"]["npv"]),
        ("npv_p10", gbp["risk"]["npv_p10"]),
    ):
        assert row[column] == pytest.approx(value / RATE, rel=1e-12), column
    assert row["roi"] == gbp["initiative"]["roi"]  # a ratio has no currency
    text = portfolio_summary(table)
    total = usd["costs"]["inhouse_cost_per_month"] + gbp["costs"]["inhouse_cost_per_month"] / RATE
    assert f"{money(total, 'USD')} a month in-house" in text
    assert "London converted from GBP at 1.266 USD each" in text  # 1 / 0.79 = 1.2658
