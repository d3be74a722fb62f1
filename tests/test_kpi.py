"""Tests for cxplan.plan.kpi: default targets from the seeds, statuses at the boundaries, errors."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxplan.errors import InputError
from cxplan.plan import kpi
from cxplan.plan.kpi import DEFAULT_TARGETS, STATUSES, KpiTarget, scorecard

COLUMNS = [
    "kpi",
    "label",
    "unit",
    "actual",
    "target",
    "target_low",
    "target_high",
    "status",
    "gap",
    "order",
]


def _rows(actuals: Any, targets: Any = DEFAULT_TARGETS) -> dict[str, dict[str, Any]]:
    """Scorecard as {kpi: {column: value}}."""
    table = scorecard(actuals, targets)
    return {str(r["kpi"]): {str(k): v for k, v in r.items()} for r in table.to_dict("records")}


def _row(actuals: Any, kpi: str, targets: Any = DEFAULT_TARGETS) -> dict[str, Any]:
    return _rows(actuals, targets)[kpi]


# ---------------------------------------------------------------------------------------------
# default targets: the seed figures, typed in from the seed files
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kpi", "direction", "low", "high", "text"),
    [
        ("csat", "higher", 0.80, None, "≥ 80 %"),  # seed 001: CSAT ≥ 80 %
        ("nps", "higher", 30.0, None, "≥ 30"),  # seed 001: NPS ≥ 30
        ("fcr", "higher", 0.70, None, "≥ 70 %"),  # seed 001: FCR ≥ 70 %
        ("aht_s", "range", 240.0, 600.0, "240–600 s"),  # seed 001: AHT 4–10 minutes
        ("service_level", "higher", 0.80, None, "≥ 80 % answered in 20 s"),  # seed 001: 80/20
        # seed 000: cost per contact 10–20 % lower by month 3
        ("cost_per_contact_change", "lower", None, -0.10, "≤ -10 % vs baseline"),
        ("ces", "higher", 5.0, None, "≥ 5 on 1–7"),  # CES: no seed figure (see source)
        ("follow_up_completion", "higher", 0.95, None, "≥ 95 %"),  # assumption (see source)
    ],
)
def test_default_targets_are_the_seed_figures(
    kpi: str, direction: str, low: float | None, high: float | None, text: str
) -> None:
    t = DEFAULT_TARGETS[kpi]
    assert (t.direction, t.low, t.high, t.text) == (direction, low, high, text)
    assert t.source


def test_default_targets_are_read_only() -> None:
    with pytest.raises(TypeError):
        DEFAULT_TARGETS["csat"] = DEFAULT_TARGETS["fcr"]  # type: ignore[index]


def test_columns_and_order() -> None:
    table = scorecard({})
    assert list(table.columns) == COLUMNS
    assert table.kpi.tolist() == [
        "csat",
        "nps",
        "ces",
        "fcr",
        "aht_s",
        "service_level",
        "cost_per_contact_change",
        "follow_up_completion",
    ]
    assert table.order.is_monotonic_increasing
    assert (table.status == "no data").all()
    assert table.gap.isna().all()
    rows = _rows({})
    assert math.isnan(rows["csat"]["target_high"])
    assert (rows["aht_s"]["target_low"], rows["aht_s"]["target_high"]) == (240.0, 600.0)


# ---------------------------------------------------------------------------------------------
# statuses at the boundaries (bounds inclusive; amber band inclusive)
# ---------------------------------------------------------------------------------------------

BOUNDARIES = [
    # higher is better: CSAT ≥ 0.80, amber 0.05 → near down to 0.75
    ("csat", 0.81, "met"),
    ("csat", 0.80, "met"),
    ("csat", 0.7999, "near"),
    ("csat", 0.75, "near"),
    ("csat", 0.7499, "missed"),
    ("csat", 0.0, "missed"),
    ("csat", 1.0, "met"),
    # NPS ≥ 30 points, amber 5
    ("nps", 30, "met"),
    ("nps", 25, "near"),
    ("nps", 24.9, "missed"),
    ("nps", -100, "missed"),
    ("nps", 100, "met"),
    # FCR ≥ 0.70, amber 0.05
    ("fcr", 0.70, "met"),
    ("fcr", 0.65, "near"),
    ("fcr", 0.6499, "missed"),
    # SL ≥ 0.80 within 20 s, amber 0.05
    ("service_level", 0.80, "met"),
    ("service_level", 0.76, "near"),
    ("service_level", 0.70, "missed"),
    # within range: AHT 240–600 s, amber 30 s on either side
    ("aht_s", 240, "met"),
    ("aht_s", 600, "met"),
    ("aht_s", 420, "met"),
    ("aht_s", 239, "near"),
    ("aht_s", 210, "near"),
    ("aht_s", 209, "missed"),
    ("aht_s", 601, "near"),
    ("aht_s", 630, "near"),
    ("aht_s", 631, "missed"),
    (
        "aht_s",
        90,
        "missed",
    ),  # a staccato voice AHT (seed 000: 90–150 s) is outside seed 001's range
    # lower is better: cost change ≤ -0.10, amber 0.05
    ("cost_per_contact_change", -0.25, "met"),
    ("cost_per_contact_change", -0.10, "met"),
    ("cost_per_contact_change", -0.05, "near"),
    ("cost_per_contact_change", -0.0499, "missed"),
    ("cost_per_contact_change", 0.10, "missed"),
    # CES ≥ 5 on 1–7, amber 0.5
    ("ces", 5.0, "met"),
    ("ces", 4.5, "near"),
    ("ces", 4.49, "missed"),
    # follow-up completion ≥ 0.95, amber 0.05
    ("follow_up_completion", 0.95, "met"),
    ("follow_up_completion", 0.90, "near"),
    ("follow_up_completion", 0.89, "missed"),
]


@pytest.mark.parametrize(("kpi", "value", "status"), BOUNDARIES)
def test_status_at_boundaries(kpi: str, value: float, status: str) -> None:
    assert _row({kpi: value}, kpi)["status"] == status


@pytest.mark.parametrize(
    ("kpi", "value", "gap"),
    [
        ("csat", 0.85, 0.05),  # 0.85 − 0.80
        ("csat", 0.72, -0.08),
        ("nps", 12, -18.0),  # 12 − 30
        ("aht_s", 300, 60.0),  # headroom to the nearer bound: 300 − 240
        ("aht_s", 560, 40.0),  # 600 − 560
        ("aht_s", 700, -100.0),  # 600 − 700
        ("aht_s", 200, -40.0),  # 200 − 240
        ("cost_per_contact_change", -0.14, 0.04),  # −0.10 − (−0.14)
        ("cost_per_contact_change", -0.06, -0.04),
    ],
)
def test_gap_sign_and_size(kpi: str, value: float, gap: float) -> None:
    assert _row({kpi: value}, kpi)["gap"] == pytest.approx(gap)


def test_missing_values_are_no_data() -> None:
    rows = _rows({"csat": None, "nps": pd.NA, "fcr": 0.71})
    assert rows["csat"]["status"] == "no data"
    assert rows["nps"]["status"] == "no data"
    assert math.isnan(rows["csat"]["actual"])
    assert rows["fcr"]["status"] == "met"


def test_series_input() -> None:
    rows = _rows(pd.Series({"csat": 0.78, "aht_s": 410.0}))
    assert rows["csat"]["status"] == "near"
    assert rows["aht_s"]["status"] == "met"


# ---------------------------------------------------------------------------------------------
# invalid actuals and targets
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actuals", "match"),
    [
        ({"csat": 1.3}, r"csat must be <= 1.*fraction, not a percent"),
        ({"csat": 85}, "csat"),
        ({"fcr": float("nan")}, "fcr must not be NaN"),
        ({"aht_s": -5}, "aht_s must be > 0"),
        ({"aht_s": 0}, "aht_s"),
        ({"nps": 120}, "nps must be <= 100"),
        ({"nps": -101}, "nps must be >= -100"),
        ({"ces": 0.5}, "ces"),
        ({"service_level": float("inf")}, "service_level"),
        ({"cost_per_contact_change": -1.5}, "cost_per_contact_change"),
        ({"csat": "high"}, "csat must be numeric"),
        ({"csat": True}, "csat must be a number"),
        ({"csat": [0.8, 0.9]}, "csat must be a single number"),
        ({"cast": 0.8}, "no target for \\['cast'\\]"),
    ],
)
def test_invalid_actuals_name_the_kpi(actuals: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match):
        scorecard(actuals)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"direction": "up", "low": 0.5}, "direction"),
        ({"direction": "higher"}, "needs a low"),
        ({"direction": "lower", "low": 0.1, "high": 0.2}, "takes no low"),
        ({"direction": "range", "low": 0.9, "high": 0.1}, "low must be <= high"),
        ({"direction": "higher", "low": 0.5, "amber": -0.1}, "amber"),
        ({"direction": "higher", "low": 1.5}, "x: low must be <= 1"),
    ],
)
def test_invalid_targets(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match):
        KpiTarget("x", "X", "fraction", valid_low=0.0, valid_high=1.0, **kwargs)  # type: ignore[arg-type]


def test_custom_targets() -> None:
    # e.g. the seed 000 consumer-retail pilot target CSAT ≥ 85 %, passed as a sequence
    retail = [
        KpiTarget("csat", "CSAT", "fraction", "higher", low=0.85, valid_low=0.0, valid_high=1.0),
        KpiTarget("aht_s", "AHT voice", "s", "range", low=90, high=150, amber=10, order=2),
    ]
    rows = _rows({"csat": 0.83, "aht_s": 155}, retail)
    assert list(rows) == ["csat", "aht_s"]
    assert rows["csat"]["status"] == "missed"  # amber 0 → no near band
    assert rows["aht_s"]["status"] == "near"
    assert rows["aht_s"]["target"] == "90–150 s"
    with pytest.raises(InputError, match="does not match"):
        scorecard({}, {"fcr": retail[0]})
    with pytest.raises(InputError, match="duplicate"):
        scorecard({}, [retail[0], retail[0]])


# ---------------------------------------------------------------------------------------------
# invariants
# ---------------------------------------------------------------------------------------------

_RANK = {s: i for i, s in enumerate(STATUSES)}


@settings(max_examples=100, deadline=None)
@given(a=st.floats(0.0, 1.0), b=st.floats(0.0, 1.0))
def test_status_monotone_for_higher_is_better(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    s_lo = _row({"fcr": lo}, "fcr")["status"]
    s_hi = _row({"fcr": hi}, "fcr")["status"]
    assert _RANK[s_hi] <= _RANK[s_lo]


@settings(max_examples=100, deadline=None)
@given(x=st.floats(1.0, 2000.0))
def test_met_iff_gap_non_negative(x: float) -> None:
    row = _row({"aht_s": x}, "aht_s")
    assert (row["status"] == "met") == (row["gap"] >= -1e-9 * 600)
    assert (row["status"] == "missed") == (row["gap"] < -30 - 1e-9 * 600)
    assert np.isfinite(row["gap"])


# ------------------------------------------------------------------ per-channel targets


@pytest.mark.parametrize(
    ("basis", "channel", "aht", "status"),
    [
        ("staccato", "voice", 130.0, "met"),  # seed 000: voice 90-150 s
        ("general", "voice", 130.0, "missed"),  # seed 001: 240-600 s, 110 s short (amber 30)
        ("staccato", "chat", 240.0, "met"),  # seed 000: chat 2-5 min
        ("staccato", "email", 420.0, "met"),  # no staccato email target: seed 001 band applies
    ],
)
def test_channel_aht_targets_follow_the_stated_basis(basis, channel, aht, status) -> None:
    card = kpi.channel_scorecard({channel: {"aht_s": aht}}, basis=basis)
    row = card.set_index("kpi").loc["aht_s"]
    assert row["status"] == status
    assert row["channel"] == channel
    expected = "seed 000" if basis == "staccato" and channel != "email" else "seed 001"
    assert row["source"].startswith(expected)


def test_channel_service_level_uses_the_channels_own_target() -> None:
    card = kpi.channel_scorecard(
        {"chat": {"service_level": 0.78}},
        answer_times_s={"chat": 60.0},
        sl_targets={"chat": 0.75},
    ).set_index("kpi")
    assert card.loc["service_level", "target"] == "≥ 75 % answered in 60 s"
    assert card.loc["service_level", "status"] == "met"
    assert card.loc["aht_s", "status"] == "no data"


def test_channel_targets_bad_basis() -> None:
    with pytest.raises(InputError, match="basis must be one of"):
        kpi.channel_targets("voice", basis="fast")
