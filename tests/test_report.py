"""Tests of :mod:`cxplan.present.report`: money formatting, the prose, result files and the
portfolio.

Reference values are hand arithmetic written beside each case; the prose is checked against the
region's own headline figures formatted with :func:`cxplan.present.report.money`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from cxplan.app import batch
from cxplan.errors import ReportError
from cxplan.model import RESULT_VERSION, RegionModel
from cxplan.present.report import (
    executive_summary,
    initiative_summary,
    load_results,
    money,
    portfolio_summary,
    portfolio_table,
    write_result,
)

ROOT = Path(__file__).resolve().parent.parent
REGION_FILES = sorted((ROOT / "params" / "regions").glob("*.yaml"))

DRAWS = 300


# ---------------------------------------------------------------------------------------------
# money
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        (1_234_567, "USD", "1.23 M USD"),  # ≥ 1e6: millions, 2 decimals
        (1_000_000, "USD", "1.00 M USD"),
        (25_500_000_000, "EUR", "25,500.00 M EUR"),  # no billions: thousands separator
        (456_789, "USD", "457 k USD"),  # 1e4 ≤ v < 1e6: thousands, rounded
        (10_000, "USD", "10 k USD"),
        (-45_600, "EUR", "−46 k EUR"),  # minus sign U+2212
        (-2_500_000, "GBP", "−2.50 M GBP"),
        (9_999, "USD", "9,999 USD"),  # < 1e4: whole units with separators
        (789.4, "USD", "789 USD"),
        (0.0, "USD", "0 USD"),
        (-12.6, "USD", "−13 USD"),
        (None, "USD", "n/a"),
        (math.nan, "USD", "n/a"),
        (math.inf, "USD", "n/a"),
        (-math.inf, "USD", "n/a"),
    ],
)
def test_money(value: float | None, currency: str, expected: str) -> None:
    assert money(value, currency) == expected


# ---------------------------------------------------------------------------------------------
# prose
# ---------------------------------------------------------------------------------------------


def test_executive_summary_states_the_headline_numbers(model: RegionModel) -> None:
    h = model.headline()
    cur = h["currency"]
    text = executive_summary(model)
    st, co, ini, rk, pl = (h[k] for k in ("staffing", "costs", "initiative", "risk", "plan"))
    assert text.startswith("**Recommendation: ")
    totals = sorted(co["sourcing_total_by_option"].values())
    gap = totals[1] - totals[0]  # the cheapest option's lead over the next one
    for amount in (
        co["inhouse_cost_per_month"],
        gap,
        ini["npv"],
        rk["npv_p10"],
        rk["npv_p50"],
        rk["npv_p90"],
    ):
        assert money(amount, cur) in text, amount
    assert f"({st['peak_agents']} agents on duty at the busiest interval)" in text
    assert f"takes {st['average_scheduled_fte']:,.0f} scheduled FTE" in text
    assert f"hires {pl['hires']} over" in text and f"({pl['hires_with_initiative']} with" in text
    assert f"{co['cheapest_option']} is the cheapest option" in text
    assert f"Over {rk['draws']:,} simulated outcomes" in text
    assert f"{100 * rk['probability_payback_within_months']:,.0f} %" in text
    assert f"ROI {100 * ini['roi']:,.0f} %" in text
    assert f"payback in {ini['payback_months']:.1f} months" in text
    # the top three inputs of the tornado, each with its NPV range
    for _, row in model.tornado.head(3).iterrows():
        low, high = sorted((row["output_low"], row["output_high"]))
        assert f"between {money(low, cur)} and {money(high, cur)}" in text
    # every flag of the "check this" box, explained
    for title in model.sanity_flags["title"]:
        assert title in text
    demo = "uses cxplan's synthetic demo data" in text
    assert demo == h["pilot"]["data_is_demo"]
    # no internal wording in client prose
    assert "seed" not in text.lower()


@pytest.mark.parametrize(
    ("npv", "p_positive", "decision"),
    [
        (1_000.0, 0.95, "proceed"),
        (1_000.0, 0.60, "pilot first"),
        (-1_000.0, 0.30, "do not proceed"),
    ],
)
def test_recommendation_follows_the_business_case(
    asia: RegionModel, npv: float, p_positive: float, decision: str
) -> None:
    from cxplan.present.report import recommendation

    h = json.loads(json.dumps(asia.headline()))
    h["initiative"]["npv"] = npv
    h["risk"]["probability_npv_positive"] = p_positive
    rec = recommendation(h)
    assert rec["decision"] == decision
    assert len(rec["reasons"]) == 3


def test_explain_peak_names_the_interval_and_the_binding_constraint(model: RegionModel) -> None:
    from cxplan.present.report import explain_peak

    text = explain_peak(model)
    h = model.headline()
    assert f"Peak {h['staffing']['peak_agents']:,} agents" in text
    table = model.peak_breakdown
    assert int(table["agents"].sum()) == h["staffing"]["peak_agents"]
    for channel, row in table.iterrows():
        if row["contacts"] > 0:
            assert f"{channel} {row['contacts']:,.0f} contacts" in text
            assert f"set by the {row['binding']}" in text


@pytest.mark.parametrize(
    ("break_even", "verdict", "when"),
    [
        (0.0, "before", "month 0"),  # never below zero: before the claimed window
        (3.0, "before", "month 3"),
        (5.0, "before", "month 5"),
        (6.0, "inside", "month 6"),  # seed 000/001 claim: break-even within 6–12 months
        (9.0, "inside", "month 9"),
        (12.0, "inside", "month 12"),
        (13.0, "outside", "month 13"),
        (30.0, "outside", "month 30"),
        (None, "outside", "never within the horizon"),
    ],
)
def test_initiative_summary_verdict(
    asia: RegionModel,
    monkeypatch: pytest.MonkeyPatch,
    break_even: float | None,
    verdict: str,
    when: str,
) -> None:
    h = json.loads(json.dumps(asia.headline()))  # a deep copy
    h["initiative"]["break_even_month"] = break_even
    monkeypatch.setattr(asia, "headline", lambda: h)
    text = initiative_summary(asia)
    assert f"breaks even in {when}, {verdict} that range." in text
    assert "seed" not in text.lower()


def _with_initiative(base: RegionModel, **update: Any) -> RegionModel:
    p = base.params
    params = p.model_copy(update={"initiative": p.initiative.model_copy(update=update)})
    return RegionModel(params, params_root=base.params_root, monte_carlo_draws=DRAWS)


def test_initiative_summary_with_params_that_never_break_even(asia: RegionModel) -> None:
    # tooling of 5 M a year (417 k a month) outweighs any benefit of this region
    m = _with_initiative(asia, tooling_per_year=5_000_000.0)
    assert math.isnan(m.initiative["break_even_month"])
    text = initiative_summary(m)
    assert "breaks even in never within the horizon, outside that range." in text


def test_initiative_summary_describes_the_naive_comparison(model: RegionModel) -> None:
    comp = model.naive_comparison
    assert comp is not None  # every demo region has voice
    text = initiative_summary(model)
    cur = model.currency
    assert f"gives {comp.naive_hours_per_week:,.0f} h a week" in text
    assert money(comp.naive_saving_per_year, cur) in text
    assert money(comp.queue_saving_per_year, cur) in text
    for line in comp.explanation:
        assert f"- {line}" in text


# ---------------------------------------------------------------------------------------------
# result files
# ---------------------------------------------------------------------------------------------


def test_write_result_writes_strict_json(asia: RegionModel, tmp_path: Path) -> None:
    path = tmp_path / "asia-pacific.json"
    result = write_result(asia, path)
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    assert json.loads(text) == result == asia.headline()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["asia-pacific.json"]  # no temp files


def test_write_result_with_an_empty_path_writes_nothing(
    asia: RegionModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = write_result(asia, "")
    assert result == asia.headline()
    assert list(tmp_path.iterdir()) == []


def test_write_result_keeps_the_old_file_when_the_result_is_not_json(
    asia: RegionModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.json"
    write_result(asia, path)
    before = path.read_bytes()
    bad = json.loads(before)
    bad["initiative"]["npv"] = math.nan  # allow_nan=False refuses it
    monkeypatch.setattr(asia, "headline", lambda: bad)
    with pytest.raises(ValueError, match="JSON"):
        write_result(asia, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_write_result_is_atomic_when_the_replace_fails(
    asia: RegionModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"old": true}\n', encoding="utf-8")

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(batch.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_result(asia, path)
    assert path.read_text(encoding="utf-8") == '{"old": true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # the temp file is gone


def test_results_round_trip_into_the_portfolio(model: RegionModel, tmp_path: Path) -> None:
    write_result(model, tmp_path / "region.json")
    (loaded,) = load_results(tmp_path)
    h = model.headline()
    assert loaded == h
    row = portfolio_table([loaded]).loc[h["region"]]
    assert row["weekly_contacts"] == pytest.approx(sum(h["weekly_contacts"].values()))
    assert row["peak_agents"] == h["staffing"]["peak_agents"]
    assert row["initiative_npv"] == h["initiative"]["npv"]


@pytest.mark.parametrize(
    "content",
    [
        '{"region": "X"}',  # no version
        '{"version": 999, "region": "X"}',  # another layout
        "[1, 2, 3]",  # not an object
        '"just a string"',
        "{not json",  # unreadable
        "",
    ],
)
def test_load_results_rejects_a_non_result_json(tmp_path: Path, content: str) -> None:
    (tmp_path / "a-good.json").write_text(json.dumps(_result("Alpha")), encoding="utf-8")
    (tmp_path / "b-bad.json").write_text(content, encoding="utf-8")
    with pytest.raises(ReportError, match=r"b-bad\.json"):
        load_results(tmp_path)


def test_load_results_sorts_by_region_and_ignores_other_files(tmp_path: Path) -> None:
    for name, region in (("1.json", "Gamma"), ("2.json", "Alpha"), ("3.json", "Beta")):
        (tmp_path / name).write_text(json.dumps(_result(region)), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a result", encoding="utf-8")
    assert [r["region"] for r in load_results(tmp_path)] == ["Alpha", "Beta", "Gamma"]
    assert load_results(tmp_path / "missing") == []


# ---------------------------------------------------------------------------------------------
# portfolio
# ---------------------------------------------------------------------------------------------


def _result(
    region: str,
    *,
    currency: str = "USD",
    weekly: dict[str, float] | None = None,
    fte: float = 10.0,
    inhouse: float = 100_000.0,
    npv: float = 0.0,
    cheapest: str = "in-house",
    met: int = 1,
    fx: dict[str, float] | None = None,
) -> dict[str, Any]:
    return {
        "version": RESULT_VERSION,
        "region": region,
        "currency": currency,
        "weekly_contacts": weekly or {"voice": 1_000.0},
        "staffing": {"peak_agents": 7, "average_scheduled_fte": fte},
        "costs": {
            "inhouse_cost_per_month": inhouse,
            "cost_per_paid_hour": 30.0,
            "cheapest_option": cheapest,
        },
        "initiative": {
            "npv": npv,
            "roi": 1.5,
            "payback_months": 4.5,
            "fte_released_by_month": {"12": 3.0},
        },
        "risk": {
            "npv_p10": npv - 1.0,
            "npv_p90": npv + 1.0,
            "probability_payback_within_months": 0.8,
        },
        "plan": {"hires": 12},
        "kpi": {"met": met, "near": 0, "missed": 0, "no_data": 0},
        "sanity_flags": [],
        "fx": {"defaults_currency": "USD", "rates": fx or {}},
    }


SYNTHETIC = [
    _result(
        "Alpha",
        weekly={"voice": 10_000.0, "chat": 2_000.0},
        fte=100.4,
        inhouse=500_000.0,
        npv=1_200_000.0,
        met=3,
    ),
    _result("Beta", weekly={"voice": 5_000.0}, fte=50.3, inhouse=250_000.0, npv=2_500_000.0),
    _result(
        "Gamma",
        weekly={"email": 3_000.0, "chat": 1_000.0},
        fte=40.0,
        inhouse=130_000.0,
        npv=-40_000.0,
        cheapest="outsourced",
        met=2,
    ),
]


def test_portfolio_table_by_hand() -> None:
    table = portfolio_table(SYNTHETIC)
    assert list(table.index) == ["Alpha", "Beta", "Gamma"]
    # weekly contacts: the channels added, 10,000 + 2,000 = 12,000; 5,000; 3,000 + 1,000 = 4,000
    assert table["weekly_contacts"].tolist() == [12_000.0, 5_000.0, 4_000.0]
    assert table["weekly_contacts"].sum() == 21_000.0
    assert table["scheduled_fte"].sum() == pytest.approx(190.7)  # 100.4 + 50.3 + 40.0
    assert table["inhouse_cost_per_month"].sum() == 880_000.0  # 500 k + 250 k + 130 k
    assert table["initiative_npv"].sum() == 3_660_000.0  # 1.2 M + 2.5 M − 40 k
    assert table["kpis_met"].tolist() == [3, 1, 2]
    assert table.loc["Gamma", "cheapest_option"] == "outsourced"
    assert table.loc["Beta", "npv_p90"] == 2_500_001.0


def test_portfolio_summary_by_hand() -> None:
    text = portfolio_summary(portfolio_table(SYNTHETIC))
    lines = text.splitlines()
    assert lines[0] == (
        "- **3 regions**, 21,000 contacts a week, 191 scheduled FTE, 880 k USD a month in-house."
    )
    # portfolio NPV 3,660,000 → "3.66 M USD"; largest in Beta (2,500,000 → "2.50 M USD")
    assert lines[1] == (
        "- **Initiative:** portfolio NPV 3.66 M USD (risk-adjusted); largest in Beta (2.50 M USD)."
    )
    assert lines[2] == (
        "- **Cheapest sourcing option by region:** Alpha: in-house; Beta: in-house; "
        "Gamma: outsourced."
    )


def test_portfolio_converts_every_region_into_one_currency_with_its_rate() -> None:
    table = portfolio_table(
        [
            _result("Home", inhouse=40_000.0, npv=10_000.0),
            # 0.8 EUR per USD: 60,000 EUR = 75,000 USD; 5,000 EUR = 6,250 USD
            _result("Euro", currency="EUR", inhouse=60_000.0, npv=5_000.0, fx={"USD": 0.8}),
        ]
    )
    assert table.loc["Euro", "inhouse_cost_per_month"] == pytest.approx(75_000.0)
    assert table.loc["Euro", "initiative_npv"] == pytest.approx(6_250.0)
    assert set(table["currency"]) == {"USD"}
    text = portfolio_summary(table)
    assert "115 k USD a month in-house" in text  # 40,000 + 75,000, never a sum of mixed units
    assert "Euro converted from EUR at 1.25 USD each" in text


def test_portfolio_refuses_a_region_it_cannot_convert() -> None:
    with pytest.raises(ReportError, match="no rate to convert EUR into USD"):
        portfolio_table([_result("Euro", currency="EUR")])


def test_empty_portfolio() -> None:
    table = portfolio_table([])
    assert isinstance(table, pd.DataFrame) and table.empty
    assert portfolio_summary(table) == "No region results were found."


def test_portfolio_table_of_files_written_by_write_result(tmp_path: Path) -> None:
    # the batch hands results on as files: files → load_results → table keeps every region
    for r in SYNTHETIC:
        (tmp_path / f"{r['region'].lower()}.json").write_text(
            json.dumps(r, allow_nan=False), encoding="utf-8"
        )
    table = portfolio_table(load_results(tmp_path))
    assert table["weekly_contacts"].sum() == 21_000.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alpha.json", "beta.json", "gamma.json"]
