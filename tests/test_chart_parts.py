"""The planner's quick chart path gives exactly the spec altair gives for the same chart.

The planner serialises its four charts from the builders' parts
(:mod:`cxplan.present.charts.parts`): a layout serialised once is reused with new tables
(:func:`cxplan.app.chart_grid.split_spec`). Every spec here is checked against a reference made
independently of that path: the builder's altair chart serialised by altair itself (its default
data transformer, ``to_dict`` under the theme), datasets renamed ``d0``, ``d1`` … in order by the
test's own code. The column-wise helpers of the builders are checked against the pandas
operations they stand for.
"""

from __future__ import annotations

import inspect
import json
from collections import OrderedDict
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import pytest
from conftest import REGIONS

from cxplan.app import chart_grid
from cxplan.app.chart_grid import MAX_LAYOUTS, ChartGrid, split_spec
from cxplan.app.dashboard import CHART_NAMES, Planner, planner_charts
from cxplan.model import RegionModel
from cxplan.present import charts, theme
from cxplan.present.charts import _common, business_case, staffing
from cxplan.present.charts.parts import ChartBuilder, ChartParts
from cxplan.workforce.typical_week import typical_week

ALL_REGIONS = sorted(REGIONS.glob("*.yaml"))


def _rename(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: _rename(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, names) for v in value]
    return names.get(value, value) if isinstance(value, str) else value


def altair_spec(chart: Any) -> dict[str, Any]:
    """The reference: altair's own serialisation, datasets renamed d0, d1 … in order."""
    with theme.themed(), alt.data_transformers.enable("default"):
        spec = chart.to_dict(validate=False)
    raw = spec.pop("datasets", {})
    names = {old: f"d{k}" for k, old in enumerate(raw)}
    return {**_rename(spec, names), "datasets": {names[k]: v for k, v in raw.items()}}


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """No layout kept yet; counts the layouts built (``ChartParts.chart``) by assemble name."""
    monkeypatch.setattr(chart_grid, "_LAYOUTS", OrderedDict())
    built: dict[str, int] = {}
    chart = ChartParts.chart

    def counted(self: ChartParts[Any]) -> Any:
        built[self.assemble.__name__] = built.get(self.assemble.__name__, 0) + 1
        return chart(self)

    monkeypatch.setattr(ChartParts, "chart", counted)
    return built


def _check_shown(planner: Planner) -> None:
    """The grid shows, for each chart, altair's own spec of the builder's chart."""
    for name, (_, make) in planner_charts(planner.model).items():
        parts = make()
        # the builder's chart (``parts.chart()``, not counted by the fixture ``layouts``)
        reference = altair_spec(parts.assemble(*parts.frames, **parts.layout))
        assert planner.charts.spec(name) == reference, name
        spec, datasets, skeleton = split_spec(parts)
        assert spec == reference, name
        assert spec["datasets"] == datasets
        rest = {k: v for k, v in spec.items() if k != "datasets"}
        assert json.loads(skeleton) == json.loads(json.dumps(rest)), name


#: Control changes after the region's own values (factors of the current value for the first
#: two): staffing, sourcing, the business case, then back to the file's values.
CHANGES: list[tuple[str, float]] = [
    ("aht_s", 1.05),
    ("aht_s", 1.1),
    ("sl_target", 0.9),
    ("vendor_share", 0.6),
    ("aht_reduction", 0.4),
    ("horizon_months", 48),
]


@pytest.mark.parametrize("path", ALL_REGIONS, ids=lambda p: p.stem)
def test_planner_shows_altairs_own_spec(path: Path, layouts: dict[str, int]) -> None:
    planner = Planner(path)
    _check_shown(planner)
    for key, value in CHANGES:
        target = value * planner.value(key) if key == "aht_s" else value
        assert planner.set_value(key, target), planner.status.value
        _check_shown(planner)
    planner.reset()
    _check_shown(planner)
    # the layouts were reused: the staffing chart (new numbers after most changes, the same
    # layout) was laid out once, for the first drawing
    assert layouts["_staffing_layout"] == 1


def test_the_planners_update_path_reuses_layouts(layouts: dict[str, int]) -> None:
    """Slider changes that move every chart's numbers: each chart laid out once."""
    planner = Planner(REGIONS / "north-america.yaml")
    aht = planner.value("aht_s")
    shown = {name: planner.charts.spec(name) for name in CHART_NAMES}
    for step in range(1, 6):
        assert planner.set_value("aht_s", aht + 2.5 * step)
    assert all(planner.charts.spec(n) != shown[n] for n in CHART_NAMES)  # all redrawn
    assert set(layouts.values()) == {1}, layouts  # the tornado's NPV in its subtitle included
    assert planner.charts.last_update["staffing"] == "data"
    _check_shown(planner)


def test_builders_are_their_parts_laid_out() -> None:
    model = RegionModel(_params("asia-pacific"))
    cases: list[tuple[ChartBuilder[Any, Any], Any, dict[str, Any]]] = [
        (charts.staffing_chart, model.staffing, {}),
        (charts.staffing_chart, model.typical_week, {"statistic": "max", "width": 400}),
        (charts.cost_comparison_chart, model.sourcing_comparison, {"kind": "monthly"}),
        (charts.cost_comparison_chart, model.sourcing_comparison, {"kind": "total"}),
        (charts.cashflow_chart, model.programme_cashflow, {"rate": 0.01}),
        (charts.cashflow_chart, [-500.0, 100.0, 100.0], {}),
        (charts.tornado_chart, model.tornado_labelled, {"unit": "USD"}),
    ]
    for builder, data, kwargs in cases:
        parts = builder.parts(data, **kwargs)
        assert isinstance(parts, ChartParts)
        assert altair_spec(builder(data, **kwargs)) == altair_spec(parts.chart())
        assert split_spec(parts)[0] == altair_spec(parts.chart())
        assert split_spec(parts)[0] == altair_spec(parts.chart())  # a kept layout
    # the builder keeps its function's name, docstring and signature
    body = charts.tornado_chart.parts
    assert charts.tornado_chart.__name__ == "tornado_chart"
    assert charts.tornado_chart.__doc__ == body.__doc__
    assert inspect.signature(charts.tornado_chart) == inspect.signature(body)
    assert "tornado_chart" in repr(charts.tornado_chart)


def _params(stem: str) -> Any:
    from cxplan.config.params import load_params

    return load_params(REGIONS / f"{stem}.yaml")


# ------------------------------------------------------------------ the layout cache's rules


def _pair_layout(a: pd.DataFrame, b: pd.DataFrame, *, title: str, subtitle: str) -> Any:
    return alt.layer(
        alt.Chart(a).mark_point().encode(x="x:Q", y="y:Q"),
        alt.Chart(b).mark_line().encode(x="x:Q", y="y:Q"),
    ).properties(title=alt.Title(title, subtitle=subtitle) if subtitle else title)


def _pair(a: pd.DataFrame, b: pd.DataFrame, *, title: str = "T", subtitle: str = "S") -> Any:
    """Parts of two layers, one table each; the subtitle a text of the layout."""
    layout = {"title": title, "subtitle": subtitle}
    return ChartParts(_pair_layout, (a, b), layout, texts=("subtitle",))


def _xy(*ys: float, x: Any = None) -> pd.DataFrame:
    return pd.DataFrame({"x": list(range(len(ys))) if x is None else x, "y": list(ys)})


def test_equal_tables_are_one_dataset_as_in_altair(layouts: dict[str, int]) -> None:
    cases = [
        (_xy(1.0, 2.0), _xy(1.0, 2.0)),  # equal: one dataset
        (_xy(1.0, 2.0), _xy(1.0, 3.0)),  # then different: two
        (_xy(1.0, 2.0), _xy(1.0, 2.0)),  # equal again
        (_xy(5.0, 6.0), _xy(5.0, 6.0)),  # equal, other rows: the kept layout of one dataset
        (_xy(), _xy()),  # empty, equal
        (_xy(1.0), _xy()),
        (_xy(1.0, x=[1]), _xy(1.0, x=[1.0])),  # equal in Python, not in JSON: two
        (_xy(1.0, x=[1.0]), _xy(1.0, x=[1.0])),
        (_xy(1.0, x=[1]), pd.DataFrame({"y": [1.0], "x": [1]})),  # columns in another order: one
    ]
    for a, b in cases:
        parts = _pair(a, b)
        assert split_spec(parts)[0] == altair_spec(parts.chart()), (a, b)
    assert len(altair_spec(_pair(*cases[0]).chart())["datasets"]) == 1
    assert len(altair_spec(_pair(*cases[1]).chart())["datasets"]) == 2
    assert len(altair_spec(_pair(*cases[-1]).chart())["datasets"]) == 1


@pytest.mark.parametrize(
    "subtitle",
    [
        'Base case 1,234,567; "quoted" \\ and \u2013 dash',
        "x",
        "Base case\nsecond line",
        "",
        "\ue000",
    ],
)
def test_texts_are_filled_in_as_altair_writes_them(subtitle: str, layouts: dict[str, int]) -> None:
    first = _pair(_xy(1.0), _xy(2.0), subtitle="Kept layout")
    assert split_spec(first)[0] == altair_spec(first.chart())
    parts = _pair(_xy(3.0), _xy(4.0), subtitle=subtitle)
    spec, _, skeleton = split_spec(parts)
    assert spec == altair_spec(parts.chart())
    rest = {k: v for k, v in spec.items() if k != "datasets"}
    assert skeleton == json.dumps(rest, sort_keys=True, default=str)


def test_a_layout_that_makes_up_rows_is_serialised_every_time(layouts: dict[str, int]) -> None:
    def assemble(frame: pd.DataFrame, *, n: int) -> Any:
        return alt.Chart(frame.head(n)).mark_point().encode(x="x:Q", y="y:Q")

    for ys in ([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]):
        parts = ChartParts(assemble, (_xy(*ys),), {"n": 2})
        assert split_spec(parts)[0] == altair_spec(parts.chart())
    key = next(iter(chart_grid._LAYOUTS))
    assert chart_grid._LAYOUTS[key] is None  # not kept


def test_a_layout_holds_plain_values_only() -> None:
    parts = ChartParts(
        lambda f, *, axis: alt.Chart(f).mark_point(), (_xy(1.0),), {"axis": alt.Axis()}
    )
    with pytest.raises(TypeError, match="chart layout 'axis' must hold plain values"):
        split_spec(parts)


def test_layouts_kept_are_bounded(monkeypatch: pytest.MonkeyPatch, layouts: dict[str, int]) -> None:
    monkeypatch.setattr(chart_grid, "MAX_LAYOUTS", 3)
    for k in range(5):
        parts = _pair(_xy(1.0), _xy(2.0), title=f"T{k}")
        assert split_spec(parts)[0] == altair_spec(parts.chart())
    assert len(chart_grid._LAYOUTS) == 3
    assert MAX_LAYOUTS >= 16


def test_chart_grid_sends_data_alone_for_new_numbers_in_a_kept_layout(
    layouts: dict[str, int],
) -> None:
    grid = ChartGrid({"pair": _pair(_xy(1.0), _xy(2.0))})
    assert grid.update("pair", _pair(_xy(1.0), _xy(5.0))) == "data"
    assert grid.data_0["datasets"] == {"d1": [{"x": 0, "y": 5.0}]}  # the changed one alone
    assert "subtitle" not in grid.data_0
    assert grid.spec("pair") == altair_spec(_pair(_xy(1.0), _xy(5.0)).chart())
    assert grid.update("pair", _pair(_xy(1.0), _xy(5.0))) == "none"
    # a new subtitle (a result the chart states) goes with the data, not as a new spec
    assert grid.update("pair", _pair(_xy(1.0), _xy(5.0), subtitle="New")) == "data"
    assert grid.data_0["datasets"] == {} and grid.data_0["subtitle"] == "New"
    assert grid.spec("pair") == altair_spec(_pair(_xy(1.0), _xy(5.0), subtitle="New").chart())
    assert grid.update("pair", _pair(_xy(3.0), _xy(5.0), subtitle="S")) == "data"
    assert grid.data_0["datasets"] == {"d0": [{"x": 0, "y": 3.0}]}
    assert grid.data_0["subtitle"] == "S"
    assert grid.spec("pair") == altair_spec(_pair(_xy(3.0), _xy(5.0)).chart())
    # anything else (the title, no subtitle at all) is a new spec
    assert grid.update("pair", _pair(_xy(3.0), _xy(5.0), title="U")) == "spec"
    assert grid.update("pair", _pair(_xy(3.0), _xy(5.0), title="U", subtitle="")) == "spec"
    assert grid.spec("pair") == altair_spec(
        _pair(_xy(3.0), _xy(5.0), title="U", subtitle="").chart()
    )


# ------------------------------------------------------------------ column-wise helpers


def _strftime(index: pd.DatetimeIndex, fmt: str) -> list[str]:
    return [t.strftime(fmt) for t in index]


def test_utc_iso_is_strftimes() -> None:
    rng = np.random.default_rng(7)
    ns = rng.integers(-(2**62), 2**62, 500)
    idx = pd.DatetimeIndex(ns.astype("datetime64[ns]"))
    assert _common._utc_iso(idx) == _strftime(idx, "%Y-%m-%dT%H:%M:%SZ")
    paris = pd.date_range("2024-03-30", periods=100, freq="37min", tz="Europe/Paris")
    utc = paris.tz_convert("UTC").tz_localize(None)
    assert _common._utc_iso(paris) == _strftime(utc, "%Y-%m-%dT%H:%M:%SZ")
    assert _common._utc_iso(pd.DatetimeIndex(["2024-01-01"]).as_unit("s")) == [
        "2024-01-01T00:00:00Z"
    ]
    with pytest.raises(ValueError, match="NaT"):
        _common._utc_iso(pd.DatetimeIndex(["2024-01-01", None]))


def test_week_labels_are_strftimes() -> None:
    offsets = np.arange(0, 7 * 86_400, 900, dtype=np.int64)
    starts = _common._REF_MONDAY + pd.to_timedelta(offsets, unit="s")
    assert staffing._week_labels(offsets) == _strftime(starts, "%a %H:%M")


def _interval_frame(index: pd.DatetimeIndex, seed: int, columns: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 50.0, (len(index), columns))
    values[rng.random(values.shape) < 0.1] = 0.0
    values[rng.random(values.shape) < 0.1] = -0.0
    values[rng.random(values.shape) < 0.05] = 1e300
    return pd.DataFrame(values, columns=[f"c{k}" for k in range(columns)])


@pytest.mark.parametrize(
    ("start", "periods", "freq", "slot_s"),
    [
        ("2027-01-04", 336, "30min", 1800),  # one week from a Monday (the planner's)
        ("2027-01-06 08:00", 672, "15min", 900),  # one week from a Wednesday
        ("2027-01-04", 1008, "30min", 1800),  # three weeks: pandas folds
        ("2027-01-04", 672, "15min", 1800),  # widened slots: pandas folds
        ("2027-01-04", 40, "60min", 3600),  # part of a week
    ],
)
@pytest.mark.parametrize("statistic", ["mean", "max"])
def test_fold_is_typical_week(
    start: str, periods: int, freq: str, slot_s: int, statistic: Any
) -> None:
    index = pd.date_range(start, periods=periods, freq=freq)
    step = int(pd.Timedelta(freq).total_seconds())
    shuffled = np.random.default_rng(3).permutation(periods)
    for within in ("mean", "sum"):
        for order in (np.arange(periods), shuffled):
            frame = _interval_frame(index, periods).iloc[order].reset_index(drop=True)
            idx = index[order]
            slots, values = staffing._fold(frame, idx, slot_s, step, within, statistic)
            expected = typical_week(
                frame.set_axis(idx), slot_s=slot_s, within=within, statistic=statistic
            )
            np.testing.assert_array_equal(slots, expected.index.to_numpy())
            # bit for bit, the sign of zero included
            assert values.tobytes() == expected.to_numpy(dtype=float).tobytes()


def _pivot(df: pd.DataFrame) -> tuple[np.ndarray, dict[Any, np.ndarray]]:
    wide = df.pivot_table(index="month", columns="series", values="value", aggfunc="sum")
    wide = wide.sort_index()
    return wide.index.to_numpy(), {c: wide[c].to_numpy(dtype=float) for c in wide.columns}


def _long(months: int, series: list[Any], seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "month": np.repeat(np.arange(months), len(series)),
            "month_label": np.repeat([f"M{m}" for m in range(months)], len(series)),
            "series": series * months,
            "value": rng.normal(0.0, 1e5, months * len(series)),
        }
    )
    frame.loc[frame.index[::7], "value"] = -0.0
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


@pytest.mark.parametrize(
    "change",
    ["none", "repeated row", "missing row", "nan", "float months", "number series", "int values"],
)
def test_by_month_is_pandas_pivot(change: str) -> None:
    df = _long(36, ["costs", "benefits", "net", "cumulative"], seed=len(change))
    if change == "repeated row":
        df = pd.concat([df, df.iloc[[3]]], ignore_index=True)
    elif change == "missing row":
        df = df.drop(index=5).reset_index(drop=True)
    elif change == "nan":
        df.loc[4, "value"] = np.nan
    elif change == "float months":
        df["month"] = df["month"].astype(float)
    elif change == "number series":
        df["series"] = df["series"].map({"costs": 1, "benefits": 2, "net": 3, "cumulative": 4})
    elif change == "int values":
        df["value"] = df["value"].round().astype(np.int64)
    months, columns = business_case._by_month(df)
    expected_months, expected = _pivot(df)
    np.testing.assert_array_equal(months, expected_months)
    assert list(columns) == list(expected)
    for name, values in expected.items():
        assert columns[name].tobytes() == values.tobytes(), name
    label_map = df.drop_duplicates("month").set_index("month")["month_label"]
    assert business_case._month_labels(df, months) == [str(label_map[m]) for m in months]
