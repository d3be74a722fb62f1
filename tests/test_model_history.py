"""A region planned from its interval history (issue 13: "the forecast drives everything").

``params/regions/demo-bank.yaml`` names ``params/history/demo_history.csv.gz`` (cxplan's
synthetic demo history, labelled as such) and types no weekly contacts. Its volumes must be the
backtested forecast's (the P80 the file asks for), read at the plan's intervals, and everything
downstream -- weekly contacts, staffing, the headline -- must follow from them; a second copy of
the region with a different quantile or another history file must not share any result.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import DEMO_DRAWS, REGIONS

from cxplan.config.params import load_params
from cxplan.data.volumes import plan_forecast
from cxplan.model import RegionModel, load_region
from cxplan.present import sections

pytestmark = pytest.mark.slow  # the forecast of two years of 15-minute history: ~10 s a region

BANK = REGIONS / "demo-bank.yaml"


@pytest.fixture(scope="module")
def bank() -> RegionModel:
    return load_region(BANK, monte_carlo_draws=DEMO_DRAWS)


def test_volumes_are_the_forecasts_quantile_on_the_plan_intervals(bank: RegionModel) -> None:
    p = bank.params
    assert p.history is not None and p.history.staffing_quantile == 0.8
    assert all(getattr(p.channels, ch).weekly_contacts is None for ch in bank.channels)
    # the forecast computed here, independently of the model's shared store
    fc = plan_forecast(
        p.history, REGIONS.parent, p.region.start_date, p.forecast.horizon_weeks,
        p.forecast.interval_minutes, list(bank.channels),
    )  # fmt: skip
    expected = fc.volumes(0.8)
    per_day = 24 * 60 // p.forecast.interval_minutes
    for ch in bank.channels:
        got = bank.volumes[ch]
        assert len(got) == p.forecast.horizon_weeks * 7 * per_day
        assert got.index[0] == pd.Timestamp(p.region.start_date)
        np.testing.assert_allclose(got.to_numpy(), expected[ch].clip(lower=0.0).to_numpy())
        # week-1 contacts are the forecast's first week, summed by hand
        assert bank.weekly_contacts(ch) == pytest.approx(float(got.iloc[: 7 * per_day].sum()))
    # the P80 forecast is above the mean forecast in total (a safety margin, not a copy)
    mean = fc.volumes(None)
    assert sum(float(v.sum()) for v in expected.values()) > sum(
        float(v.sum()) for v in mean.values()
    )


def test_the_headline_names_the_forecast_and_the_demo_history(bank: RegionModel) -> None:
    h = bank.headline()
    fc = h["forecast"]
    assert fc["basis"] == "P80" and fc["history_is_demo"] is True
    assert set(fc["channels"]) == set(bank.channels)
    for name, ch in fc["channels"].items():
        table = bank.plan_forecast.channels[name].backtest.table.set_index("method")
        assert ch["wape"] == pytest.approx(float(table.loc[ch["method"], "wape"]))
        # the chosen method is the lowest WAPE of the methods backtested
        assert ch["wape"] == pytest.approx(float(table["wape"].min()))
    assert h["weekly_contacts"] == {ch: bank.weekly_contacts(ch) for ch in bank.channels}


def test_the_history_section_shows_the_backtest_and_the_demo_notice(bank: RegionModel) -> None:
    html = sections.history(bank)._repr_html_()
    assert "<h2>History and forecast</h2>" in html
    assert "Demo data" in html and "Backtest" in html
    for name in bank.channels:
        assert name.capitalize() in html
    # a region planned from typed contacts shows no history section at all
    typed = load_region(REGIONS / "north-america.yaml", monte_carlo_draws=DEMO_DRAWS)
    assert sections.history(typed)._repr_html_() == ""


def test_another_quantile_or_history_file_shares_no_result(
    bank: RegionModel, tmp_path: Path
) -> None:
    p = bank.params
    assert p.history is not None
    mean = RegionModel(
        p.model_copy(update={"history": p.history.model_copy(update={"staffing_quantile": None})}),
        params_root=REGIONS.parent,
        monte_carlo_draws=DEMO_DRAWS,
    )
    assert mean.headline()["forecast"]["basis"] == "mean"
    peak = "peak_agents"  # staffed to the mean, not the P80
    assert mean.headline()["staffing"][peak] < bank.headline()["staffing"][peak]
    # the same relative file name in another params folder holding a shortened history
    root = tmp_path / "params"
    shutil.copytree(REGIONS.parent, root, ignore=shutil.ignore_patterns("*.gz"))
    frame = pd.read_csv(REGIONS.parent / "history" / "demo_history.csv.gz", comment="#")
    stamp = frame.columns[0]  # the interval start, the file's first column
    cut = frame[frame[stamp] >= "2024-07-01"]  # six months shorter: a different forecast
    (root / "history").mkdir(exist_ok=True)
    cut.to_csv(root / "history" / "demo_history.csv.gz", index=False)
    params = load_params(root / "regions" / "demo-bank.yaml")
    assert params == load_params(BANK)  # the files' sections are equal ...
    other = RegionModel(params, params_root=root, monte_carlo_draws=DEMO_DRAWS)
    assert other.data_identity != bank.data_identity  # ... but not the data they name
    assert other.plan_forecast is not bank.plan_forecast
    first = [m.plan_forecast.history.frame["timestamp"].min() for m in (other, bank)]
    assert first[0] > first[1]
