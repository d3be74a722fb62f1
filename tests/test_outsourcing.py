"""Vendor price models (economics.outsourcing): hand-computed cases, tier behaviour, invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_support import scaled

from cxplan.economics.outsourcing import (
    QUOTE_PRESETS,
    FixedFee,
    PerAgentHour,
    PerContact,
    PerMinute,
    PerSeat,
    Tiers,
    VendorQuote,
    billable_agent_hours,
    expected_billed_seconds,
)
from cxplan.errors import InputError

SETTINGS = settings(
    max_examples=scaled(80),
    deadline=None,
)

INF = float("inf")


def quote(*components: object, **terms: float) -> VendorQuote:
    base = {
        "governance_share": 0.0,
        "value_leakage_share": 0.0,
        "transition_cost": 0.0,
        "parallel_run_months": 0.0,
    }
    base.update(terms)
    return VendorQuote(name="q", components=components, **base)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# hand-computed cases, one per price model
# ---------------------------------------------------------------------------------------------


def test_per_contact_by_hand() -> None:
    # seed 001 ticket range $2–15: 1,500 tickets × $2 = 3,000; × $15 = 22,500
    assert PerContact(price_per_contact=2.0).cost(1500) == 3000.0
    assert PerContact(price_per_contact=15.0).cost(1500) == 22_500.0
    assert PerContact(price_per_contact=2.0).cost([0, 10]).tolist() == [0.0, 20.0]


def test_per_minute_exact_billing_with_wrap_by_hand() -> None:
    # 10,000 calls × (240 s / 60 = 4 min + 0.5 wrap min) × $1.20 = 54,000
    pm = PerMinute(price_per_minute=1.2, wrap_minutes_per_contact=0.5, round_up_per_contact=False)
    assert pm.cost(10_000, aht_s=240) == pytest.approx(54_000.0)
    assert pm.billed_minutes_per_contact(240) == pytest.approx(4.5)


def test_per_minute_round_up_exponential_by_hand() -> None:
    # Exponential handle time, mean 240 s, billed per started minute. ⌈T/60⌉ is geometric with
    # p = 1 − e^(−60/240) = 1 − e^(−0.25) = 1 − 0.7788007831 = 0.2211992169, so
    # E[billed minutes] = 1/p = 4.5208 (vs 4.0 exact). 1,000 calls × 4.5208 × $2 = 9,041.6…
    p = 1 - 0.7788007830714049
    assert expected_billed_seconds(240.0) == pytest.approx(60 / p, rel=1e-12)
    pm = PerMinute(price_per_minute=2.0)
    assert pm.cost(1000, aht_s=240) == pytest.approx(1000 * 2 * (1 / p), rel=1e-12)
    # The same expectation as an explicit series: Σ_k k · P(⌈T/60⌉ = k), P = e^{-(k-1)/4} − e^{-k/4}
    k = np.arange(1, 400)
    series = float(np.sum(k * (np.exp(-(k - 1) / 4) - np.exp(-k / 4))))
    assert pm.billed_minutes_per_contact(240) == pytest.approx(series, rel=1e-12)
    # plus wrap: every call adds 0.5 minutes → 1,000 × 2 × (4.5208 + 0.5)
    wrap = PerMinute(price_per_minute=2.0, wrap_minutes_per_contact=0.5)
    assert wrap.cost(1000, aht_s=240) == pytest.approx(1000 * 2 * (1 / p + 0.5), rel=1e-12)


def test_per_minute_round_up_matches_a_simulation() -> None:
    # Monte Carlo check of E[⌈T/60⌉] for exponential T with mean 150 s (seeded, 400k draws).
    rng = np.random.default_rng(20260101)
    draws = np.ceil(rng.exponential(150.0, size=400_000) / 60.0)
    se = draws.std(ddof=1) / math.sqrt(draws.size)
    expected = PerMinute(price_per_minute=1.0).billed_minutes_per_contact(150.0)
    assert abs(draws.mean() - expected) < 4 * se
    # six-second billing (increment 6 s) lands close to the exact mean: 150 s → 2.5 min + ~0.05
    six = PerMinute(price_per_minute=1.0, billing_increment_s=6.0)
    assert 2.5 < six.billed_minutes_per_contact(150.0) < 2.5 + 0.1


def test_per_minute_round_up_constant_handle_time_by_hand() -> None:
    # every call exactly 150 s → ⌈2.5⌉ = 3 billed minutes; 240 s → exactly 4 (no rounding up)
    pm = PerMinute(price_per_minute=1.0, handle_time_distribution="constant")
    assert pm.cost(1000, aht_s=150) == 3000.0
    assert pm.cost(1000, aht_s=240) == 4000.0
    assert expected_billed_seconds([150.0, 240.0], distribution="constant").tolist() == [180, 240]


def test_per_agent_hour_by_hand() -> None:
    # domain notes: offshore billed $8–12/h. 1,250 h × $10 = 12,500; a 1,500 h minimum → 15,000
    assert PerAgentHour(price_per_hour=10.0).cost(10_000, agent_hours=1250.0) == 12_500.0
    floor = PerAgentHour(price_per_hour=10.0, minimum_hours_per_month=1500.0)
    assert floor.cost(10_000, agent_hours=1250.0) == 15_000.0
    assert floor.cost(10_000, agent_hours=2000.0) == 20_000.0
    # billable hours from volume when no staffing result is at hand: 10,000 × 360 s / 3600 / 0.8
    assert billable_agent_hours(10_000, 360, 0.8) == 1250.0


def test_per_seat_by_hand() -> None:
    # 1,250 h / 160 h per seat = 7.81 → 8 seats × 2,000 = 16,000; exactly 1,280 h → 8 seats
    seat = PerSeat(price_per_seat_per_month=2000.0, hours_per_seat_per_month=160.0)
    assert seat.cost(0, agent_hours=1250.0) == 16_000.0
    assert seat.cost(0, agent_hours=1280.0) == 16_000.0
    assert seat.cost(0, agent_hours=1280.5) == 18_000.0
    assert seat.seats([0.0, 0.1, 160.0]).tolist() == [0.0, 1.0, 1.0]
    # a 10-seat minimum: 10 × 2,000 = 20,000 until 1,600 h are needed
    minimum = PerSeat(
        price_per_seat_per_month=2000.0, hours_per_seat_per_month=160.0, minimum_seats=10
    )
    assert minimum.cost(0, agent_hours=[0.0, 1250.0, 1700.0]).tolist() == [20_000, 20_000, 22_000]


def test_fixed_fee_with_included_volume_and_overage_by_hand() -> None:
    # $20,000 covers 8,000 contacts; $3 each above: 10,000 → 20,000 + 2,000 × 3 = 26,000
    fee = FixedFee(fee_per_month=20_000.0, included_contacts=8_000.0, overage_per_contact=3.0)
    assert fee.cost([0, 5_000, 8_000, 10_000]).tolist() == [20_000, 20_000, 20_000, 26_000]
    pure = FixedFee(fee_per_month=5_000.0, included_contacts=INF)
    assert pure.cost(1e9) == 5_000.0


# Bands: 0–1,000 at 5.00, 1,000–5,000 at 4.00, 5,000+ at 3.00.
BANDS = [(0.0, 1000.0, 5.0), (1000.0, 5000.0, 4.0), (5000.0, INF, 3.0)]


@pytest.mark.parametrize(
    ("units", "graduated", "all_units"),
    [
        # graduated: 1,000 × 5 + 4,000 × 4 + 1,000 × 3 = 24,000; all-units: 6,000 × 3 = 18,000
        (6000.0, 24_000.0, 18_000.0),
        # 999: both 999 × 5 = 4,995
        (999.0, 4_995.0, 4_995.0),
        # on the boundary 1,000 the new band applies to all units: 1,000 × 4 = 4,000
        (1000.0, 5_000.0, 4_000.0),
        # 4,999: graduated 5,000 + 3,999 × 4 = 20,996; all-units 4,999 × 4 = 19,996
        (4999.0, 20_996.0, 19_996.0),
        # 5,000: graduated 5,000 + 16,000 = 21,000; all-units 5,000 × 3 = 15,000 (a drop)
        (5000.0, 21_000.0, 15_000.0),
        (0.0, 0.0, 0.0),
    ],
)
def test_tiers_by_hand(units: float, graduated: float, all_units: float) -> None:
    g = Tiers.from_bands(BANDS, method="graduated")
    a = Tiers.from_bands(BANDS, method="all_units")
    assert g.charge(units) == pytest.approx(graduated)
    assert a.charge(units) == pytest.approx(all_units)


def test_tiered_price_inside_a_component() -> None:
    # per-contact graduated tiers at 6,000 contacts: 24,000 (see above)
    tiers = Tiers(band_starts=[0, 1000, 5000], prices=[5, 4, 3], method="graduated")
    assert PerContact(price_per_contact=tiers).cost(6000) == pytest.approx(24_000.0)
    # per-minute tiers apply to billed minutes: 1,500 calls × 4 min = 6,000 minutes → 24,000
    pm = PerMinute(price_per_minute=tiers, round_up_per_contact=False)
    assert pm.cost(1500, aht_s=240) == pytest.approx(24_000.0)


def test_vendor_quote_combines_components_by_hand() -> None:
    # $0.50 per contact + $1.00 per exact minute (5 min calls) + $2,000 platform fee, with a
    # $10,000 monthly minimum, 5 % governance, 10 % value leakage:
    #   1,000 contacts: 500 + 5,000 + 2,000 = 7,500 → minimum 10,000 (top-up 2,500)
    #                   → 10,000 × (1 + 0.05 + 0.10) = 11,500
    #   3,000 contacts: 1,500 + 15,000 + 2,000 = 18,500 → × 1.15 = 21,275
    q = quote(
        PerContact(price_per_contact=0.5),
        PerMinute(price_per_minute=1.0, round_up_per_contact=False),
        FixedFee(fee_per_month=2_000.0, included_contacts=INF),
        minimum_charge_per_month=10_000.0,
        governance_share=0.05,
        value_leakage_share=0.10,
    )
    assert q.invoice([1000, 3000], aht_s=300).tolist() == pytest.approx([10_000, 18_500])
    assert q.monthly_cost([1000, 3000], aht_s=300).tolist() == pytest.approx([11_500, 21_275])
    frame = q.breakdown([1000, 3000], aht_s=300, index=["Jan", "Feb"])
    assert list(frame.columns) == [
        "per_contact",
        "per_minute",
        "fixed_fee",
        "minimum_top_up",
        "invoice",
        "governance",
        "value_leakage",
        "cost",
    ]
    assert frame.loc["Jan", "minimum_top_up"] == pytest.approx(2_500.0)
    assert frame.loc["Feb", "governance"] == pytest.approx(925.0)
    assert frame.loc["Feb", "value_leakage"] == pytest.approx(1_850.0)
    assert frame["cost"].tolist() == pytest.approx([11_500, 21_275])
    assert q.needs_aht and not q.needs_agent_hours
    assert isinstance(q.invoice(1000, aht_s=300), float)


def test_quote_presets_follow_the_sources() -> None:
    # seed 001: $1–6 per inbound voice minute, $2–15 per ticket; domain notes: $8–12/h offshore,
    # governance 3–6 %, leakage 5–30 %, 4–5 weeks to stable operation.
    expected = {
        "voice_per_minute_low": 1.0,
        "voice_per_minute_high": 6.0,
        "ticket_low": 2.0,
        "ticket_high": 15.0,
        "offshore_agent_hour_low": 8.0,
        "offshore_agent_hour_high": 12.0,
    }
    for name, price in expected.items():
        q = QUOTE_PRESETS[name]
        (component,) = q.components
        unit_price = next(
            getattr(component, f)
            for f in ("price_per_minute", "price_per_contact", "price_per_hour")
            if hasattr(component, f)
        )
        assert unit_price == price
        assert 0.03 <= q.governance_share <= 0.06
        assert 0.05 <= q.value_leakage_share <= 0.30
        assert 28 / 30.4 <= q.parallel_run_months <= 35 / 30.4  # 4–5 weeks in months
    # $6/min for a 4-min call billed per started minute: 6 × 4.5208 = 27.12 per call invoiced
    q = QUOTE_PRESETS["voice_per_minute_high"]
    assert q.invoice(1, aht_s=240) == pytest.approx(6 / (1 - math.exp(-0.25)))


# ---------------------------------------------------------------------------------------------
# invariants
# ---------------------------------------------------------------------------------------------

price_st = st.floats(0.0, 50.0)


@st.composite
def tiers_st(draw: st.DrawFn, method: str | None = None) -> Tiers:
    n = draw(st.integers(1, 5))
    widths = draw(st.lists(st.floats(1.0, 5_000.0), min_size=n - 1, max_size=n - 1))
    starts = np.concatenate([[0.0], np.cumsum(widths)]) if widths else np.array([0.0])
    prices = draw(st.lists(price_st, min_size=n, max_size=n))
    m = method or draw(st.sampled_from(["graduated", "all_units"]))
    return Tiers(band_starts=starts.tolist(), prices=prices, method=m)  # type: ignore[arg-type]


def monotone_price_st() -> st.SearchStrategy[float | Tiers]:
    # graduated tiers are monotone for any prices ≥ 0; all-units tiers only when prices do
    # not fall (see test_all_units_tiers_jump_as_documented)
    return price_st | tiers_st("graduated")


@st.composite
def component_st(draw: st.DrawFn) -> object:
    kind = draw(st.sampled_from(["minute", "contact", "hour", "seat", "fixed"]))
    if kind == "minute":
        return PerMinute(
            price_per_minute=draw(monotone_price_st()),
            wrap_minutes_per_contact=draw(st.floats(0.0, 3.0)),
            round_up_per_contact=draw(st.booleans()),
            billing_increment_s=draw(st.sampled_from([1.0, 6.0, 30.0, 60.0])),
            handle_time_distribution=draw(st.sampled_from(["exponential", "constant"])),
        )
    if kind == "contact":
        return PerContact(price_per_contact=draw(monotone_price_st()))
    if kind == "hour":
        return PerAgentHour(
            price_per_hour=draw(monotone_price_st()),
            minimum_hours_per_month=draw(st.floats(0.0, 2_000.0)),
        )
    if kind == "seat":
        return PerSeat(
            price_per_seat_per_month=draw(st.floats(0.0, 5_000.0)),
            hours_per_seat_per_month=draw(st.floats(100.0, 200.0)),
            minimum_seats=draw(st.integers(0, 20)),
        )
    return FixedFee(
        fee_per_month=draw(st.floats(0.0, 50_000.0)),
        included_contacts=draw(st.floats(0.0, 20_000.0)),
        overage_per_contact=draw(price_st),
    )


volumes_st = st.lists(st.floats(0.0, 100_000.0), min_size=2, max_size=12)


@SETTINGS
@given(
    components=st.lists(component_st(), min_size=1, max_size=4),
    volumes=volumes_st,
    aht=st.floats(30.0, 1200.0),
    occupancy=st.floats(0.3, 1.0),
    minimum=st.floats(0.0, 100_000.0),
    governance=st.floats(0.0, 0.2),
    leakage=st.floats(0.0, 0.3),
)
def test_cost_never_falls_as_volume_rises(
    components: list[object],
    volumes: list[float],
    aht: float,
    occupancy: float,
    minimum: float,
    governance: float,
    leakage: float,
) -> None:
    contacts = np.sort(np.asarray(volumes))
    hours = billable_agent_hours(contacts, aht, occupancy)
    for comp in components:
        each = np.asarray(comp.cost(contacts, aht_s=aht, agent_hours=hours))  # type: ignore[attr-defined]
        assert np.all(np.diff(each) >= -1e-9 * np.maximum(1.0, np.abs(each[1:]))), comp
        assert np.all(each >= 0)
    labels = [f"c{i}" for i in range(len(components))]
    relabelled = [
        c.replace(label=lab)  # type: ignore[attr-defined]
        for c, lab in zip(components, labels, strict=True)
    ]
    q = quote(
        *relabelled,
        minimum_charge_per_month=minimum,
        governance_share=governance,
        value_leakage_share=leakage,
    )
    total = np.asarray(q.monthly_cost(contacts, aht_s=aht, agent_hours=hours))
    assert np.all(np.diff(total) >= -1e-9 * np.maximum(1.0, np.abs(total[1:])))
    assert np.all(total >= minimum * (1 + governance + leakage) - 1e-6)
    # the breakdown adds up to the same total
    frame = q.breakdown(contacts, aht_s=aht, agent_hours=hours)
    np.testing.assert_allclose(frame["cost"].to_numpy(), total, rtol=1e-12, atol=1e-9)


@SETTINGS
@given(tiers=tiers_st("graduated"), eps=st.floats(1e-6, 1e-2))
def test_graduated_tiers_are_continuous_at_every_boundary(tiers: Tiers, eps: float) -> None:
    for b in tiers.band_starts[1:]:
        jump = tiers.charge(b) - tiers.charge(b - eps)
        # continuity: across the boundary the charge moves by at most price × ε
        assert 0.0 <= jump <= max(tiers.prices) * eps * (1 + 1e-9) + 1e-9
    # and the charge equals the band-by-band sum written out
    u = tiers.band_starts[-1] + 123.0
    by_hand = sum(
        p * (min(u, hi) - lo)
        for lo, hi, p in zip(
            tiers.band_starts, [*tiers.band_starts[1:], INF], tiers.prices, strict=True
        )
        if u > lo
    )
    assert tiers.charge(u) == pytest.approx(by_hand, rel=1e-12)


@SETTINGS
@given(tiers=tiers_st("all_units"), eps=st.floats(1e-6, 1e-2))
def test_all_units_tiers_jump_as_documented(tiers: Tiers, eps: float) -> None:
    starts, prices = tiers.band_starts, tiers.prices
    for i in range(1, len(starts)):
        b = starts[i]
        # the documented jump at boundary b: b × (price_new − price_old), within ε × price_old
        jump = tiers.charge(b) - tiers.charge(b - eps)
        assert jump == pytest.approx(
            b * (prices[i] - prices[i - 1]) + eps * prices[i - 1], abs=1e-6
        )
        # inside a band the charge is linear with that band's price
        lo = starts[i - 1]
        mid = (lo + b) / 2
        assert tiers.charge(mid) == pytest.approx(mid * prices[i - 1], rel=1e-12)
    if all(np.diff(prices) >= 0):  # with prices that never fall, all-units is monotone too
        grid = np.linspace(0.0, starts[-1] * 1.5 + 10, 200)
        assert np.all(np.diff(tiers.charge(grid)) >= -1e-9)


def test_all_units_with_falling_prices_is_not_monotone() -> None:
    # The documented consequence: 4,999 units cost 19,996 but 5,000 cost 15,000.
    a = Tiers.from_bands(BANDS, method="all_units")
    assert a.charge(5000) < a.charge(4999)


@SETTINGS
@given(aht=st.floats(1.0, 3600.0), inc=st.floats(0.5, 120.0))
def test_round_up_bounds(aht: float, inc: float) -> None:
    # exponential: max(a, d) ≤ E[d ⌈T/d⌉] < a + d; constant: a ≤ d ⌈a/d⌉ < a + d
    e = expected_billed_seconds(aht, billing_increment_s=inc)
    assert max(aht, inc) * (1 - 1e-12) <= e < aht + inc
    c = expected_billed_seconds(aht, billing_increment_s=inc, distribution="constant")
    assert aht * (1 - 1e-9) <= c < aht + inc * (1 + 1e-9)


# ---------------------------------------------------------------------------------------------
# bad parameters
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: PerMinute(price_per_minute=-1.0), "PerMinute.price_per_minute must be >= 0"),
        (lambda: PerContact(price_per_contact=-0.01), "PerContact.price_per_contact"),
        (lambda: PerAgentHour(price_per_hour=-8.0), "PerAgentHour.price_per_hour"),
        (lambda: PerAgentHour(price_per_hour=8.0, minimum_hours_per_month=-1), "minimum_hours"),
        (lambda: PerSeat(price_per_seat_per_month=-1, hours_per_seat_per_month=160), "per_seat"),
        (lambda: PerSeat(price_per_seat_per_month=1, hours_per_seat_per_month=0), "hours_per_seat"),
        (
            lambda: PerSeat(
                price_per_seat_per_month=1, hours_per_seat_per_month=160, minimum_seats=2.5
            ),
            "PerSeat.minimum_seats must be a whole number",
        ),
        (lambda: FixedFee(fee_per_month=-1.0), "FixedFee.fee_per_month"),
        (lambda: FixedFee(fee_per_month=1.0, overage_per_contact=-1.0), "overage_per_contact"),
        (lambda: PerMinute(price_per_minute=1, billing_increment_s=0), "billing_increment_s"),
        (lambda: PerMinute(price_per_minute=1, wrap_minutes_per_contact=-1), "wrap_minutes"),
        (
            lambda: PerMinute(price_per_minute=1, handle_time_distribution="lognormal"),
            "distribution",
        ),  # type: ignore[arg-type]
        (lambda: PerContact(price_per_contact=1, label=""), "label"),
        # tiers: unordered, overlapping (equal starts), not from zero, mismatched, negative
        (
            lambda: Tiers(band_starts=[0, 5000, 1000], prices=[5, 4, 3], method="graduated"),
            "unordered",
        ),
        (
            lambda: Tiers(band_starts=[0, 1000, 1000], prices=[5, 4, 3], method="graduated"),
            "overlap",
        ),
        (lambda: Tiers(band_starts=[100, 1000], prices=[5, 4], method="graduated"), "start at 0"),
        (
            lambda: Tiers(band_starts=[0, 1000], prices=[5], method="graduated"),
            "one price per band",
        ),
        (lambda: Tiers(band_starts=[0, 1000], prices=[5, -4], method="graduated"), "Tiers.prices"),
        (lambda: Tiers(band_starts=[0], prices=[5], method="incremental"), "Tiers.method"),  # type: ignore[arg-type]
        (
            lambda: Tiers.from_bands([(0, 1000, 5), (500, INF, 4)], method="graduated"),
            "overlaps band 0",
        ),
        (
            lambda: Tiers.from_bands([(0, 1000, 5), (2000, INF, 4)], method="graduated"),
            "gap between band 0",
        ),
        (
            lambda: Tiers.from_bands([(1000, INF, 4), (0, 1000, 5)], method="graduated"),
            "overlaps band 0|unordered",
        ),
        (lambda: Tiers.from_bands([(0, 1000, 5)], method="graduated"), "open-ended"),
        (lambda: Tiers.from_bands([(0, 0, 5)], method="graduated"), "to_units > from_units"),
        # quote terms
        (lambda: quote(PerContact(price_per_contact=1), governance_share=1.0), "governance_share"),
        (
            lambda: quote(PerContact(price_per_contact=1), governance_share=-0.01),
            "governance_share",
        ),
        (
            lambda: quote(PerContact(price_per_contact=1), value_leakage_share=1.5),
            "value_leakage_share",
        ),
        (lambda: quote(PerContact(price_per_contact=1), transition_cost=-1), "transition_cost"),
        (lambda: quote(PerContact(price_per_contact=1), parallel_run_months=-1), "parallel_run"),
        (
            lambda: quote(PerContact(price_per_contact=1), minimum_charge_per_month=-1),
            "minimum_charge",
        ),
        (lambda: quote(), "at least one price component"),
        (lambda: quote("per_contact"), r"components\[0\]"),
        (lambda: quote(PerContact(price_per_contact=1), PerContact(price_per_contact=2)), "unique"),
        (lambda: quote(PerContact(price_per_contact=1, label="invoice")), "must not be one of"),
    ],
)
def test_bad_parameters_raise_naming_the_field(build: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        build()  # type: ignore[operator]


def test_missing_or_bad_drivers_raise() -> None:
    with pytest.raises(InputError, match="aht_s is required by PerMinute"):
        PerMinute(price_per_minute=1.0).cost(100)
    with pytest.raises(InputError, match="agent_hours is required by PerAgentHour"):
        PerAgentHour(price_per_hour=10.0).cost(100)
    with pytest.raises(InputError, match="agent_hours is required"):
        quote(PerSeat(price_per_seat_per_month=1, hours_per_seat_per_month=160)).invoice(100)
    with pytest.raises(InputError, match="contacts must be >= 0"):
        PerContact(price_per_contact=1.0).cost(-5)
    with pytest.raises(InputError, match="units"):
        Tiers(band_starts=[0], prices=[1], method="graduated").charge(-1)
    with pytest.raises(InputError, match="shapes do not broadcast"):
        PerMinute(price_per_minute=1.0).cost([1, 2, 3], aht_s=[100, 200])
    with pytest.raises(InputError, match="occupancy"):
        billable_agent_hours(100, 300, 0.0)
