"""Sourcing comparison (economics.sourcing): hand cases, exact hybrid extremes, the crossover."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_support import scaled

from cxplan.economics import sourcing
from cxplan.economics.costs import (
    LOCATION_PRESETS,
    TECH_STACK_PRESETS,
    Licence,
    LocationProfile,
    TechStack,
)
from cxplan.economics.outsourcing import (
    QUOTE_PRESETS,
    FixedFee,
    PerAgentHour,
    PerContact,
    PerMinute,
    PerSeat,
    Tiers,
    VendorQuote,
)
from cxplan.economics.sourcing import AfterHoursSplit, OverflowSplit, ShareSplit
from cxplan.errors import InputError
from cxplan.workforce.staffing import ChatChannel, DeferredChannel, VoiceChannel

SETTINGS = settings(
    max_examples=scaled(20),
    deadline=None,
)

# Cost per paid hour 33.3 (worked out component by component in tests/test_costs.py).
LOC = LocationProfile(
    name="hand",
    wage_per_hour=20.0,
    benefits_load=0.30,
    paid_hours_per_fte_per_year=2080.0,
    supervisor_span=10.0,
    supervisor_wage_per_hour=30.0,
    facilities_per_seat_per_month=260.0,
    hiring_cost_per_hire=5200.0,
    attrition_per_year=0.40,
)
TECH = TechStack(
    name="hand",
    licences=(
        Licence(name="platform", category="contact_centre_platform", cost_per_agent_per_month=104),
        Licence(name="crm", category="crm", cost_per_agent_per_month=52.0),
    ),
    implementation_cost=10_000.0,
)
RATE = 33.3
VOICE = VoiceChannel(aht_s=300)


def flat(value: float, days: int, start: str = "2026-01-01") -> pd.Series:
    idx = pd.date_range(start, periods=days * 48, freq="30min")
    return pd.Series(float(value), index=idx)


def profile(peak: float, days: int = 59, start: str = "2026-01-01") -> pd.Series:
    """A realistic intraday curve: open 07:00–21:00, sine-shaped, weekends at 60 %."""
    idx = pd.date_range(start, periods=days * 48, freq="30min")
    hour = np.asarray(idx.hour + idx.minute / 60.0)
    shape = np.clip(np.sin((hour - 7.0) / 14.0 * np.pi), 0.0, None)
    weekday = np.where(np.asarray(idx.day_of_week) < 5, 1.0, 0.6)
    return pd.Series(np.round(peak * shape * weekday, 1), index=idx)


def erlang_c_sl(a: float, n: int, aht: float, t: float) -> float:
    """Textbook Erlang C service level, written out with factorials (fine for n < 100)."""
    if n <= a:
        return 0.0
    head = sum(a**k / math.factorial(k) for k in range(n))
    top = a**n / math.factorial(n) * n / (n - a)
    c = top / (head + top)
    return 1.0 - c * math.exp(-(n - a) * t / aht)


def min_agents(a: float, aht: float, t: float, target: float) -> int:
    n = int(a) + 1
    while erlang_c_sl(a, n, aht, t) < target:
        n += 1
    return n


def quote(*components: object, **terms: float) -> VendorQuote:
    base = {
        "governance_share": 0.05,
        "value_leakage_share": 0.10,
        "transition_cost": 10_000.0,
        "parallel_run_months": 0.5,
    }
    base.update(terms)
    return VendorQuote(name="q", components=components, **base)  # type: ignore[arg-type]


EXACT_MINUTE = quote(PerMinute(price_per_minute=1.0, round_up_per_contact=False))


# ---------------------------------------------------------------------------------------------
# splits
# ---------------------------------------------------------------------------------------------


def test_splits_by_hand() -> None:
    v = pd.Series([100.0, 40.0, 0.0])
    inh, ven = ShareSplit(vendor_share=0.3).split(v)
    assert inh.tolist() == pytest.approx([70.0, 28.0, 0.0])
    assert ven.tolist() == pytest.approx([30.0, 12.0, 0.0])
    inh, ven = OverflowSplit(inhouse_contacts_per_interval=50.0).split(v)
    assert (inh.tolist(), ven.tolist()) == ([50.0, 40.0, 0.0], [50.0, 0.0, 0.0])
    # 2026-01-09 is a Friday, 01-10 a Saturday: Mon–Fri 08–18 in-house
    idx = pd.DatetimeIndex(
        ["2026-01-09 07:30", "2026-01-09 08:00", "2026-01-09 18:00", "2026-01-10 12:00"]
    )
    split = AfterHoursSplit(open_hour=8, close_hour=18, open_weekdays=(0, 1, 2, 3, 4))
    inh, ven = split.split(pd.Series(10.0, index=idx))
    assert (inh.tolist(), ven.tolist()) == ([0, 10, 0, 0], [10, 0, 10, 10])


# ---------------------------------------------------------------------------------------------
# the comparison, by hand
# ---------------------------------------------------------------------------------------------


def test_erlang_c_staffing_of_the_hand_case() -> None:
    # 20 calls per 30 min at 300 s: A = 20 × 300 / 1800 = 3.33 Erlangs; 80/20 needs 6 agents
    a = 20 * 300 / 1800
    assert erlang_c_sl(a, 5, 300, 20) < 0.8 <= erlang_c_sl(a, 6, 300, 20)
    assert min_agents(a, 300, 20, 0.8) == 6


def test_compare_sourcing_by_hand() -> None:
    # Jan + Feb 2026, 20 calls per 30 min (6 agents, see above); hours: Jan 744, Feb 672.
    vol = flat(20.0, days=59)
    table = sourcing.compare_sourcing(
        vol, VOICE, LOC, TECH, EXACT_MINUTE, shrinkage=0.3, inhouse_one_off_cost=5_000.0
    )
    assert list(table.columns) == list(sourcing.COMPARISON_COLUMNS)
    inh = table[table["option"] == "in-house"].reset_index(drop=True)
    out = table[table["option"] == "outsourced"].reset_index(drop=True)
    assert inh["month"].tolist() == [pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-01")]
    # in-house: staffed 6 × 744 = 4,464 and 6 × 672 = 4,032 h; paid ÷ 0.7; × 33.3 per paid hour
    jan_inh = 4464 / 0.7 * RATE
    feb_inh = 4032 / 0.7 * RATE
    assert inh["inhouse_agent_hours"].tolist() == pytest.approx([4464.0, 4032.0])
    assert inh["inhouse_cost"].tolist() == pytest.approx([jan_inh, feb_inh])
    assert inh["one_off_cost"].tolist() == pytest.approx([5_000.0, 0.0])
    assert inh["total_cost"].tolist() == pytest.approx([jan_inh + 5_000, feb_inh])
    # outsourced: contacts Jan 20 × 48 × 31 = 29,760; Feb 26,880; 5 exact minutes at $1:
    #   invoice 148,800 / 134,400; governance 5 %; leakage 10 %; transition 10,000 in January;
    #   parallel run 0.5 month → half of January's in-house cost.
    assert out["vendor_contacts"].tolist() == [29_760.0, 26_880.0]
    assert out["vendor_invoice"].tolist() == pytest.approx([148_800.0, 134_400.0])
    assert out["governance"].tolist() == pytest.approx([7_440.0, 6_720.0])
    assert out["value_leakage"].tolist() == pytest.approx([14_880.0, 13_440.0])
    assert out["one_off_cost"].tolist() == pytest.approx([10_000.0, 0.0])
    assert out["parallel_run_cost"].tolist() == pytest.approx([0.5 * jan_inh, 0.0])
    assert out["total_cost"].tolist() == pytest.approx(
        [148_800 * 1.15 + 10_000 + 0.5 * jan_inh, 134_400 * 1.15]
    )
    assert out["inhouse_cost"].tolist() == [0.0, 0.0]
    assert out["vendor_agent_hours"].isna().all()  # not billed by the hour: not staffed


def test_totals_add_up_for_every_option() -> None:
    vol = profile(40.0, days=35)
    q = quote(PerAgentHour(price_per_hour=12.0), minimum_charge_per_month=5_000.0)
    table = sourcing.compare_sourcing(
        vol,
        VOICE,
        LOC,
        TECH,
        q,
        shrinkage=0.3,
        hybrids={
            "share": ShareSplit(vendor_share=0.4),
            "overflow": OverflowSplit(inhouse_contacts_per_interval=25.0),
            "nights": AfterHoursSplit(open_hour=9, close_hour=17),
        },
    )
    parts = [
        "inhouse_cost",
        "vendor_invoice",
        "governance",
        "value_leakage",
        "one_off_cost",
        "parallel_run_cost",
    ]
    np.testing.assert_allclose(table[parts].sum(axis=1), table["total_cost"], rtol=1e-12)
    np.testing.assert_allclose(
        table["inhouse_contacts"] + table["vendor_contacts"], table["contacts"], rtol=1e-12
    )
    assert table["option"].unique().tolist() == [
        "in-house",
        "outsourced",
        "share",
        "overflow",
        "nights",
    ]
    # vendor billed by the hour: its hours come from the staffing engine
    assert (table.loc[table["option"] == "outsourced", "vendor_agent_hours"] > 0).all()


# ---------------------------------------------------------------------------------------------
# hybrid extremes equal the pure options exactly
# ---------------------------------------------------------------------------------------------

QUOTES = {
    "minute_fee_minimum": quote(
        PerMinute(price_per_minute=1.5),
        FixedFee(fee_per_month=3_000.0, included_contacts=1_000.0, overage_per_contact=0.1),
        minimum_charge_per_month=50_000.0,
    ),
    "seats": quote(
        PerSeat(price_per_seat_per_month=2_500.0, hours_per_seat_per_month=160.0, minimum_seats=5)
    ),
    "tiers": quote(
        PerContact(
            price_per_contact=Tiers(
                band_starts=[0, 5000, 20000], prices=[6, 5, 4], method="all_units"
            )
        ),
        parallel_run_months=1.3,
    ),
}
NUMERIC = [c for c in sourcing.COMPARISON_COLUMNS if c not in ("month", "option")]


def _rows(table: pd.DataFrame, option: str) -> pd.DataFrame:
    return table[table["option"] == option].drop(columns="option").reset_index(drop=True)


@pytest.mark.parametrize("quote_name", list(QUOTES))
def test_hybrid_extremes_equal_pure_options_exactly(quote_name: str) -> None:
    vol = profile(30.0, days=40)
    table = sourcing.compare_sourcing(
        vol,
        VOICE,
        LOC,
        TECH,
        QUOTES[quote_name],
        shrinkage=0.3,
        inhouse_one_off_cost=7_500.0,
        hybrids={
            "share0": ShareSplit(vendor_share=0.0),
            "share1": ShareSplit(vendor_share=1.0),
            "overflow_inf": OverflowSplit(inhouse_contacts_per_interval=float("inf")),
            "overflow_0": OverflowSplit(inhouse_contacts_per_interval=0.0),
            "open_always": AfterHoursSplit(open_hour=0, close_hour=24),
        },
    )
    inhouse, outsourced = _rows(table, "in-house"), _rows(table, "outsourced")
    for name in ("share0", "overflow_inf", "open_always"):
        pd.testing.assert_frame_equal(_rows(table, name), inhouse, check_exact=True)
    for name in ("share1", "overflow_0"):
        pd.testing.assert_frame_equal(_rows(table, name), outsourced, check_exact=True)


@SETTINGS
@given(
    peak=st.floats(1.0, 80.0),
    price=st.floats(0.2, 8.0),
    fee=st.floats(0.0, 20_000.0),
    minimum=st.floats(0.0, 200_000.0),
    parallel=st.floats(0.0, 2.5),
)
def test_hybrid_extremes_invariant(
    peak: float, price: float, fee: float, minimum: float, parallel: float
) -> None:
    q = quote(
        PerMinute(price_per_minute=price),
        FixedFee(fee_per_month=fee),
        minimum_charge_per_month=minimum,
        parallel_run_months=parallel,
    )
    table = sourcing.compare_sourcing(
        profile(peak, days=10, start="2026-01-27"),
        VOICE,
        LOC,
        TECH,
        q,
        shrinkage=0.25,
        hybrids={"zero": ShareSplit(vendor_share=0.0), "all": ShareSplit(vendor_share=1.0)},
    )
    pd.testing.assert_frame_equal(_rows(table, "zero"), _rows(table, "in-house"), check_exact=True)
    pd.testing.assert_frame_equal(_rows(table, "all"), _rows(table, "outsourced"), check_exact=True)


# ---------------------------------------------------------------------------------------------
# cost curves and the crossover
# ---------------------------------------------------------------------------------------------

CHANNELS = {
    "voice": VOICE,
    "voice_erlang_a": VoiceChannel(aht_s=240, patience_s=120, max_occupancy=0.9),
    "chat": ChatChannel(aht_s=480, concurrency=2),
    "email": DeferredChannel(aht_s=360, response_time_s=4 * 3600, open_hours=(8, 20)),
}


@pytest.mark.parametrize("channel_name", list(CHANNELS))
@pytest.mark.parametrize("quote_name", ["minute_fee_minimum", "seats"])
def test_cost_curves_equal_the_comparison_on_the_scaled_forecast(
    channel_name: str, quote_name: str
) -> None:
    channel = CHANNELS[channel_name]
    vol = profile(25.0, days=40)
    q = QUOTES[quote_name]
    scales = [0.4, 1.0, 2.7]
    curves = sourcing.cost_curves(
        vol, channel, LOC, TECH, q, shrinkage=0.3, scales=scales, inhouse_one_off_cost=1_000.0
    )
    assert curves["scale"].tolist() == scales
    for k, row in zip(scales, curves.itertuples(), strict=True):
        table = sourcing.compare_sourcing(
            vol * k, channel, LOC, TECH, q, shrinkage=0.3, inhouse_one_off_cost=1_000.0
        )
        totals = table.groupby("option")["total_cost"].sum()
        assert row.inhouse_cost == pytest.approx(totals["in-house"], rel=1e-10)
        assert row.outsourced_cost == pytest.approx(totals["outsourced"], rel=1e-10)
        months = table["month"].nunique()
        assert row.monthly_contacts == pytest.approx((vol * k).sum() / months, rel=1e-12)


def test_cost_curves_without_one_offs_and_per_contact_columns() -> None:
    vol = flat(20.0, days=59)
    curves = sourcing.cost_curves(
        vol, VOICE, LOC, TECH, EXACT_MINUTE, shrinkage=0.3, scales=[1.0], include_one_off=False
    )
    row = curves.iloc[0]
    # in-house (6 agents × 1,416 h) / 0.7 × 33.3; vendor 56,640 contacts × 5 min × $1 × 1.15
    assert row["inhouse_cost"] == pytest.approx(6 * 1416 / 0.7 * RATE)
    assert row["outsourced_cost"] == pytest.approx(56_640 * 5 * 1.15)
    assert row["outsourced_cost_per_contact"] == pytest.approx(5 * 1.15)
    assert row["saving_from_outsourcing"] == pytest.approx(
        row["inhouse_cost"] - row["outsourced_cost"]
    )


def test_crossover_is_solved_numerically_and_brackets_a_sign_change() -> None:
    # Offshore in-house (seed 001 wages) against $1/min (seed 001's low end): a small operation
    # pays for idle agents, so the vendor wins at low volume and the in-house team at scale.
    vol = profile(30.0, days=59)
    loc, tech = LOCATION_PRESETS["offshore"], TECH_STACK_PRESETS["seed001_low"]
    q = QUOTE_PRESETS["voice_per_minute_low"]
    res = sourcing.crossover(
        vol, VOICE, loc, tech, q, shrinkage=0.3, scale_bounds=(0.01, 5.0), xtol=1e-9
    )
    assert res.found
    curve = res.curve
    assert curve["saving_from_outsourcing"].iloc[0] > 0 > curve["saving_from_outsourcing"].iloc[-1]
    last = res.scales[-1]
    assert res.outsourcing_cheaper_above[-1] is False  # cheaper *below* the last crossing
    # the root is not a grid point, and the difference changes sign within ±2·xtol of it
    assert not np.any(np.isclose(curve["scale"], last, rtol=0, atol=1e-12))
    around = sourcing.cost_curves(
        vol, VOICE, loc, tech, q, shrinkage=0.3, scales=[last - 2e-9, last + 2e-9]
    )["saving_from_outsourcing"]
    assert around.iloc[0] > 0 > around.iloc[1]
    # the volume at the crossing is the scale times the mean monthly volume
    monthly = vol.resample("MS").sum().mean()
    assert res.monthly_contacts[-1] == pytest.approx(last * monthly, rel=1e-12)
    assert list(res.scales) == sorted(res.scales)


def test_crossover_reports_none_when_one_option_always_wins() -> None:
    # US in-house against $6/min (seed 001's high end): in-house is cheaper across the range
    res = sourcing.crossover(
        profile(30.0, days=31),
        VOICE,
        LOCATION_PRESETS["onshore_us"],
        TECH_STACK_PRESETS["seed001_low"],
        QUOTE_PRESETS["voice_per_minute_high"],
        shrinkage=0.3,
        scale_bounds=(0.2, 5.0),
        grid_points=9,
    )
    assert not res.found
    assert res.scales == res.monthly_contacts == res.outsourcing_cheaper_above == ()
    assert (res.curve["saving_from_outsourcing"] < 0).all()


# ---------------------------------------------------------------------------------------------
# the occupancy choice priced (seed 002)
# ---------------------------------------------------------------------------------------------


def test_occupancy_investment_by_hand() -> None:
    # January, 200 calls per 30 min at 300 s: A = 33.33 Erlangs. Agents = max(Erlang C minimum
    # for 80/20, ⌈A / cap⌉): cap 0.85 → ⌈39.2⌉ = 40; cap 0.65 → ⌈51.3⌉ = 52 (seed 002: Zappos at
    # 60–70 % against the 80s). Extra 12 agents × 744 h = 8,928 staffed hours → ÷ 0.7 paid hours.
    a = 200 * 300 / 1800
    n_sl = min_agents(a, 300, 20, 0.8)
    base_n = max(n_sl, math.ceil(a / 0.85))
    cap_n = max(n_sl, math.ceil(a / 0.65))
    assert (base_n, cap_n) == (40, 52)
    out = sourcing.occupancy_investment(
        flat(200.0, days=31),
        VOICE,
        LOC,
        TECH,
        shrinkage=0.3,
        max_occupancy=[0.65, 0.85],
        baseline_max_occupancy=0.85,
    )
    assert out["max_occupancy"].tolist() == [0.85, 0.65]  # baseline first, no duplicate
    base, capped = out.iloc[0], out.iloc[1]
    assert base["extra_cost"] == 0 and base["extra_agent_hours"] == 0
    assert capped["peak_agents"] == 52 and capped["extra_peak_agents"] == 12
    assert capped["extra_agent_hours"] == pytest.approx(12 * 744)
    assert capped["extra_paid_fte"] == pytest.approx(12 * 744 / 0.7 / (2080 / 12))
    assert capped["extra_cost"] == pytest.approx(12 * 744 / 0.7 * RATE)
    assert capped["achieved_occupancy"] == pytest.approx(a / 52)
    assert base["achieved_occupancy"] == pytest.approx(a / 40)


def test_occupancy_cap_costs_little_where_queues_are_small() -> None:
    # At 5 calls per 30 min the 80/20 target already keeps occupancy below 65 %: no investment.
    out = sourcing.occupancy_investment(
        flat(5.0, days=31),
        VOICE,
        LOC,
        TECH,
        shrinkage=0.3,
        max_occupancy=[0.65],
        baseline_max_occupancy=0.85,
    )
    assert out["extra_cost"].tolist() == [0.0, 0.0]
    assert (out["achieved_occupancy"] <= 0.65).all()


# ---------------------------------------------------------------------------------------------
# bad parameters
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: ShareSplit(vendor_share=1.5), "ShareSplit.vendor_share must be <= 1"),
        (lambda: ShareSplit(vendor_share=-0.1), "ShareSplit.vendor_share must be >= 0"),
        (lambda: OverflowSplit(inhouse_contacts_per_interval=-1), "inhouse_contacts_per_interval"),
        (lambda: AfterHoursSplit(open_hour=18, close_hour=8), "close_hour must be after open_hour"),
        (lambda: AfterHoursSplit(open_hour=8, close_hour=25), "AfterHoursSplit.close_hour"),
        (lambda: AfterHoursSplit(open_hour=8, close_hour=18, open_weekdays=(7,)), "open_weekdays"),
    ],
)
def test_bad_split_parameters_raise(build: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        build()  # type: ignore[operator]


def test_bad_comparison_arguments_raise() -> None:
    vol = flat(10.0, days=3)
    with pytest.raises(InputError, match="shrinkage must be < 1"):
        sourcing.compare_sourcing(vol, VOICE, LOC, TECH, EXACT_MINUTE, shrinkage=1.0)
    with pytest.raises(InputError, match="volume must be a pandas Series"):
        sourcing.compare_sourcing([1.0, 2.0], VOICE, LOC, TECH, EXACT_MINUTE, shrinkage=0.3)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="inhouse_one_off_cost"):
        sourcing.compare_sourcing(
            vol, VOICE, LOC, TECH, EXACT_MINUTE, shrinkage=0.3, inhouse_one_off_cost=-1
        )
    with pytest.raises(InputError, match="used twice"):
        sourcing.compare_sourcing(
            vol,
            VOICE,
            LOC,
            TECH,
            EXACT_MINUTE,
            shrinkage=0.3,
            hybrids={"in-house": ShareSplit(vendor_share=0.5)},
        )
    with pytest.raises(InputError, match="is not a ShareSplit"):
        sourcing.compare_sourcing(
            vol, VOICE, LOC, TECH, EXACT_MINUTE, shrinkage=0.3, hybrids={"x": 0.5}
        )  # type: ignore[dict-item]
    with pytest.raises(InputError, match="scale_bounds"):
        sourcing.crossover(
            vol, VOICE, LOC, TECH, EXACT_MINUTE, shrinkage=0.3, scale_bounds=(2.0, 1.0)
        )
    with pytest.raises(InputError, match="grid_points"):
        sourcing.crossover(vol, VOICE, LOC, TECH, EXACT_MINUTE, shrinkage=0.3, grid_points=1)
    with pytest.raises(InputError, match="scales must be > 0"):
        sourcing.cost_curves(vol, VOICE, LOC, TECH, EXACT_MINUTE, shrinkage=0.3, scales=[0.0, 1.0])
    with pytest.raises(InputError, match="max_occupancy"):
        sourcing.occupancy_investment(
            vol, VOICE, LOC, TECH, shrinkage=0.3, max_occupancy=[0.0], baseline_max_occupancy=0.85
        )
    with pytest.raises(InputError, match="DatetimeIndex"):
        AfterHoursSplit(open_hour=8, close_hour=18).split(pd.Series([1.0, 2.0]))
