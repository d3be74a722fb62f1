"""The ``cxplan forecast`` contract (cxplan.app.cli -> cxplan.data.cli): columns, row count,
start right after the last history interval, backtest.json, exit codes, nothing written on error."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from cxplan.app.cli import main


def write_history(path, weeks=7, channels=("voice", "chat"), seed=2, channel_column=True):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2026-01-05", periods=weeks * 7 * 48, freq="30min")
    idx = idx[: len(idx) - 5]  # ends mid-day: 2026-02-22 21:00
    parts = []
    for i, ch in enumerate(channels):
        lam = np.where((idx.hour >= 8) & (idx.hour < 20), 15.0 + 10 * i, 0.0)
        parts.append(
            pd.DataFrame(
                {"timestamp": idx.strftime("%Y-%m-%d %H:%M"), "channel": ch,
                 "offered": rng.poisson(lam)}
            )
        )  # fmt: skip
    frame = pd.concat(parts)
    if not channel_column:
        frame = frame.drop(columns="channel")
    frame.to_csv(path, index=False)
    return idx


def test_forecast_contract(tmp_path, capsys):
    history = tmp_path / "history.csv"
    idx = write_history(history)
    out = tmp_path / "out"
    code = main(["forecast", str(history), "--horizon", "2D", "--backtest-weeks", "2",
                 "--country", "US", "--out", str(out)])  # fmt: skip
    assert code == 0
    frame = pd.read_csv(out / "forecast.csv")
    assert list(frame.columns) == ["timestamp", "channel", "forecast", "lower_80", "upper_80"]
    assert len(frame) == 2 * 96  # two channels, 2 days of 30-minute intervals
    for _, sub in frame.groupby("channel"):
        stamps = pd.to_datetime(sub["timestamp"], format="ISO8601")
        assert stamps.iloc[0] == idx[-1] + pd.Timedelta(minutes=30)  # right after the history
        assert (stamps.diff().dropna() == pd.Timedelta(minutes=30)).all()
    assert (frame["lower_80"] <= frame["forecast"] + 1).all()
    assert (frame["forecast"] <= frame["upper_80"] + 1).all()
    assert frame["timestamp"].iloc[0] == "2026-02-22T21:30:00"
    report = json.loads((out / "backtest.json").read_text())
    assert report["interval_minutes"] == 30 and report["horizon_intervals"] == 96
    assert set(report["channels"]) == {"chat", "voice"}
    voice = report["channels"]["voice"]
    assert set(voice["methods"]) == {
        "daily_regression", "daily_mstl", "seasonal_naive", "four_week_mean"
    }  # fmt: skip
    for scores in voice["methods"].values():
        assert set(scores) >= {"wape", "bias", "coverage_80"}
    assert voice["chosen"] in voice["methods"] and voice["reason"]
    assert "wrote" in capsys.readouterr().out


def test_interval_option_aggregates_and_default_channel(tmp_path):
    history = tmp_path / "h.csv"
    idx = write_history(history, channels=("all",), channel_column=False)
    out = tmp_path / "o"
    assert main(["forecast", str(history), "--interval", "60min", "--horizon", "1D",
                 "--backtest-weeks", "1", "--out", str(out)]) == 0  # fmt: skip
    frame = pd.read_csv(out / "forecast.csv")
    assert len(frame) == 24 and set(frame["channel"]) == {"all"}
    # the history's last 30-minute interval 21:00 is half of hour 21:00, which is incomplete:
    # hourly history ends at 20:00, so the forecast starts at 21:00
    assert frame["timestamp"].iloc[0] == "2026-02-22T21:00:00"
    assert idx[-1] == pd.Timestamp("2026-02-22 21:00")


def test_bad_input_exits_2_with_one_line_per_problem_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("timestamp,offered\n2026-01-05 08:00,1\n2026-01-05 08:30,x\nnope,-1\n")
    out = tmp_path / "out"
    assert main(["forecast", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{bad}:3: offered: not a number (got 'x')",
        f"{bad}:4: timestamp: not a timestamp (got 'nope')",
        f"{bad}:4: offered: must be >= 0 (got -1)",
    ]
    assert not out.exists()


def test_earlier_results_survive_a_failed_run(tmp_path, capsys):
    history = tmp_path / "history.csv"
    write_history(history)
    out = tmp_path / "out"
    out.mkdir()
    (out / "forecast.csv").write_text("earlier\n")
    short = tmp_path / "short.csv"
    write_history(short, weeks=3)
    assert main(["forecast", str(short), "--out", str(out)]) == 2
    assert "at least 5" in capsys.readouterr().err
    assert (out / "forecast.csv").read_text() == "earlier\n"
    assert not (out / "backtest.json").exists()
    assert main(["forecast", str(history), "--horizon", "90min", "--interval", "60min",
                 "--out", str(out)]) == 2  # fmt: skip
    assert (
        "--horizon: 90min is not a whole number of 60-minute intervals" in capsys.readouterr().err
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--horizon", "soon"], "--horizon: not a duration"),
        (["--interval", "7min"], "interval: 7 minutes is not a whole multiple"),
        (["--country", "XX"], "country 'XX' is not known"),
    ],
)
def test_bad_options_exit_2(tmp_path, capsys, args, message):
    history = tmp_path / "h.csv"
    write_history(history, channels=("voice",))
    out = tmp_path / "out"
    assert main(["forecast", str(history), "--backtest-weeks", "1", "--out", str(out), *args]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_console_script_runs(tmp_path):
    history = tmp_path / "h.csv"
    write_history(history, channels=("voice",))
    result = subprocess.run(
        [sys.executable, "-m", "cxplan.app.cli", "forecast", str(history), "--out",
         str(tmp_path / "o"), "--backtest-weeks", "1"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(pd.read_csv(tmp_path / "o" / "forecast.csv")) == 7 * 48
