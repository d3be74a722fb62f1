"""The ``history:`` params section (HistoryParams) and the model hook plan_volumes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from cxplan.config.params import HistoryParams
from cxplan.data.volumes import plan_forecast, plan_volumes
from cxplan.errors import InputError


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("file", "/etc/passwd", "relative to the params folder"),
        ("file", "../x.csv", "relative to the params folder"),
        ("columns", {"volume": "Calls"}, "unknown field 'volume'"),
        ("timezone", "Mars/Base", "IANA zone"),
        ("country", "XX", "holidays library"),
        ("staffing_quantile", 1.0, "less than 1"),
        ("gap_fill", "guess", "'auto'"),
        ("channels", {"fax": "Q1"}, "'voice'"),
        ("unknown_key", 1, "Extra inputs are not permitted"),
    ],
)
def test_history_params_reject_bad_values(field, value, message):
    with pytest.raises(ValidationError, match=message):
        HistoryParams(**{"file": "history/h.csv", field: value})


def _write(root, weeks=8):
    rng = np.random.default_rng(0)
    idx = pd.date_range("2026-01-05", periods=weeks * 7 * 96, freq="15min")
    lam = np.where((idx.hour >= 8) & (idx.hour < 18), 12.0, 0.0)
    frame = pd.DataFrame(
        {"Interval": idx.strftime("%Y-%m-%d %H:%M"), "Queue": "Sales", "Calls": rng.poisson(lam)}
    )
    (root / "history").mkdir()
    frame.to_csv(root / "history" / "h.csv", index=False)


def test_plan_volumes_on_the_plan_index(tmp_path):
    _write(tmp_path)
    hp = HistoryParams(file="history/h.csv", channels={"voice": "Sales"}, backtest_weeks=2)
    start = pd.Timestamp("2026-03-09")  # the Monday after the 8-week history
    volumes = plan_volumes(hp, tmp_path, start.date(), 4, 30, ["voice"])
    v = volumes["voice"]
    assert v.index[0] == start and len(v) == 4 * 7 * 48
    assert (v.index.to_series().diff().dropna() == pd.Timedelta(minutes=30)).all()
    # 10 open hours x 2 intervals x 24 contacts a day (12 per 15 minutes)
    daily = v.groupby(v.index.normalize()).sum()
    np.testing.assert_allclose(daily.to_numpy(), 480.0, rtol=0.1)
    assert (v[(v.index.hour < 8) | (v.index.hour >= 18)] == 0).all()
    p80 = plan_volumes(hp.model_copy(update={"staffing_quantile": 0.8}), tmp_path, start, 4, 30,
                       ["voice"])["voice"]  # fmt: skip
    open_ = v > 0
    assert (p80[open_] >= v[open_].round() - 1).all() and p80.sum() > v.sum()
    table = plan_forecast(hp, tmp_path, start, 4, 30, ["voice"]).backtest_table()
    assert (
        set(table["method"]) >= {"seasonal_naive", "four_week_mean"} and table["chosen"].sum() == 1
    )


def test_plan_volumes_refuses_overlap_and_unmapped_channels(tmp_path):
    _write(tmp_path)
    hp = HistoryParams(file="history/h.csv", backtest_weeks=1)
    with pytest.raises(InputError, match="must come after the history's last interval"):
        plan_volumes(hp, tmp_path, pd.Timestamp("2026-02-02"), 4, 30, ["voice"])
    # one history channel and one plan channel map by themselves
    assert set(plan_volumes(hp, tmp_path, pd.Timestamp("2026-03-09"), 1, 60, ["voice"])) == {
        "voice"
    }
    with pytest.raises(InputError, match="plan channel 'chat' has no history channel 'Chats'"):
        plan_volumes(
            hp.model_copy(update={"channels": {"chat": "Chats"}}),
            tmp_path, pd.Timestamp("2026-03-09"), 1, 60, ["chat"],
        )  # fmt: skip
