"""Named scenarios (issue 14): overlays of a region file, their models, comparison and report.

A scenario is checked against a region file edited by hand: the same fields written into a copy
of the region file (plain ``yaml.safe_load``/``safe_dump``, not cxplan's merge) must give the
same parameters and, built without the shared-results store, the same key figures that
:func:`cxplan.model.scenarios.compare` reads off the scenario's model. The CLI is checked for
its exit codes, file names and that nothing is written on an error; the report section for its
escaping; the planner for a saved scenario that loads back to exactly its settings.
"""

from __future__ import annotations

import copy
import html
import json
import math
import re
import shutil
from pathlib import Path
from typing import Any

import mistune
import nbformat
import pandas as pd
import pytest
import yaml
from conftest import REGIONS, REPO

from cxplan.app import cli
from cxplan.app.dashboard import Planner
from cxplan.app.planner_scenarios import CURRENT, scenario_overlay
from cxplan.config.params import load_params, scenario_names
from cxplan.config.scenarios import check_name, nest, read_scenarios, scenario_path
from cxplan.config.sources import assumptions_table
from cxplan.errors import InputError, ParamsError
from cxplan.model import RegionModel, load_region
from cxplan.model._memo import MEMO
from cxplan.model.scenarios import FIGURES, Change, changes, compare, key_figures
from cxplan.present.scenario_section import (
    change_sentence,
    comparison_table,
    portfolio_scenarios,
    scenarios,
)

NA = REGIONS / "north-america.yaml"
DRAWS = 300  # Monte Carlo draws: the figures are compared exactly, draws only cost time

# The demo scenarios of params/regions/north-america.yaml, written out by hand.
DEMO = {
    "conservative": {
        "initiative": {
            "aht_reduction": {"low": 0.05, "mode": 0.10, "high": 0.20},
            "realisation": {"low": 0.40, "mode": 0.60, "high": 0.80},
        }
    },
    "hybrid-50": {"sourcing": {"vendor_share": 0.50}},
}


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of params/ (defaults, regions, data) in tmp_path; cwd = tmp_path."""
    shutil.copytree(REPO / "params", tmp_path / "params")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _region_data() -> dict[str, Any]:
    data = yaml.safe_load(NA.read_text(encoding="utf-8"))
    del data["scenarios"]
    return data


def _hand_edited(folder: Path, stem: str, edits: dict[str, Any]) -> Path:
    """Write North America with ``edits`` applied key by key (no cxplan code involved)."""
    data = _region_data()
    for section, fields in edits.items():
        target = data.setdefault(section, {})
        for key, value in fields.items():
            if isinstance(value, dict) and "low" not in value:
                target.setdefault(key, {}).update(value)
            else:
                target[key] = value
    path = folder / "params" / "regions" / f"{stem}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ parameters

# overlay written in a scenario → the same edit by hand (a table of field kinds)
OVERLAYS = [
    ("voice-aht", {"channels": {"voice": {"aht_s": 300}}}),
    ("shrink", {"workforce": {"shrinkage": 0.35}}),
    ("hybrid-50", {"sourcing": {"vendor_share": 0.5}}),
    ("lower-wage", {"location": {"wage_per_hour": 20.0, "benefits_load": 0.30}}),
    ("ranges", {"initiative": {"deflection": {"low": 0.0, "mode": 0.05, "high": 0.10}}}),
    ("horizon", {"finance": {"horizon_months": 48, "discount_rate_annual": 0.08}}),
]


@pytest.mark.parametrize(
    ("where", "name", "overlay"),
    [
        pytest.param(where, name, overlay, id=f"{where}-{name}")
        for where in ("in_file", "folder")
        for name, overlay in OVERLAYS
        if not (where == "folder" and name in DEMO)  # the file itself defines that name
    ],
)
def test_scenario_params_equal_a_hand_edited_region(
    sandbox: Path, name: str, overlay: dict[str, Any], where: str
) -> None:
    region = sandbox / "params" / "regions" / "north-america.yaml"
    if where == "in_file":
        data = yaml.safe_load(region.read_text(encoding="utf-8"))
        data["scenarios"] = {name: overlay} if name not in DEMO else {**data["scenarios"]}
        region.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    else:
        folder = region.with_name("north-america.scenarios")
        folder.mkdir()
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(overlay), encoding="utf-8")
    hand = _hand_edited(sandbox, "hand", overlay)
    assert load_params(region, scenario=name) == load_params(hand)
    assert load_params(region) == load_params(_hand_edited(sandbox, "unchanged", {}))


def test_demo_scenarios_are_listed_and_validated() -> None:
    assert scenario_names(NA) == ["conservative", "hybrid-50"]
    for other in ("asia-pacific", "latin-america", "demo-bank"):
        assert scenario_names(REGIONS / f"{other}.yaml") == []
    base = load_params(NA)
    found = {name: changes(base, load_params(NA, scenario=name)) for name in DEMO}
    assert found["hybrid-50"] == [Change("sourcing.vendor_share", 0.3, 0.5)]
    assert [c.path for c in found["conservative"]] == [
        "initiative.aht_reduction",
        "initiative.realisation",
    ]
    assert found["conservative"][0].value == {
        "low": 0.05,
        "mode": 0.10,
        "high": 0.20,
        "dist": "pert",
    }


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("hybrid-50", None),
        ("a", None),
        ("x" * 40, None),
        ("x" * 41, "at most 40 characters"),
        ("Hybrid", "must be a slug"),
        ("half outsourced", "must be a slug"),
        ("double--hyphen", "must be a slug"),
        ("-lead", "must be a slug"),
        ("../up", "must be a slug"),
        ("<script>", "must be a slug"),
        ("base", "reserved"),
        (5, "must be a slug"),
        (None, "must be a slug"),
    ],
)
def test_scenario_names_are_slugs(name: object, problem: str | None) -> None:
    found = check_name(name)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def _write_scenarios(sandbox: Path, scenarios_yaml: str) -> Path:
    region = sandbox / "params" / "regions" / "north-america.yaml"
    text = region.read_text(encoding="utf-8")
    text = text[: text.index("\nscenarios:")] + "\n" + scenarios_yaml
    region.write_text(text, encoding="utf-8")
    return region


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(needle))


def test_scenario_file_problems_name_the_file_line_and_scenario(sandbox: Path) -> None:
    region = sandbox / "params" / "regions" / "north-america.yaml"
    folder = region.with_name("north-america.scenarios")
    folder.mkdir()
    (folder / "typo.yaml").write_text(
        "# a scenario file\nsourcing:\n  vendor_shar: 0.5\n", encoding="utf-8"
    )
    (folder / "Bad Name.yaml").write_text("sourcing: {vendor_share: 0.5}\n", encoding="utf-8")
    (folder / "conservative.yaml").write_text("sourcing: {vendor_share: 0.5}\n", encoding="utf-8")
    with pytest.raises(ParamsError) as info:
        load_params("params/regions/north-america.yaml")
    scen = "params/regions/north-america.scenarios"
    assert info.value.problems == [
        f"{scen}/Bad Name.yaml:1: scenarios.Bad Name: the file name must be a slug: lowercase "
        "letters, digits and single hyphens, at most 40 characters (got 'Bad Name')",
        f"{scen}/conservative.yaml:1: scenarios.conservative: also defined at "
        f"params/regions/north-america.yaml:{_line_of(region, '  conservative:')} "
        "(give it one place)",
    ]
    (folder / "Bad Name.yaml").unlink()
    (folder / "conservative.yaml").unlink()
    with pytest.raises(ParamsError) as info:
        load_params("params/regions/north-america.yaml")
    assert info.value.problems == [
        f"{scen}/typo.yaml:3: scenarios.typo.sourcing.vendor_shar: unknown key "
        "(did you mean 'vendor_share'?)"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("scenarios: [conservative]\n", "scenarios: expected a mapping of scenario name → the "
         "fields it changes (got a list)"),
        ("scenarios:\n  base:\n    sourcing: {vendor_share: 0.5}\n",
         "scenarios.base: 'base' is reserved for the region's own values"),
        ("scenarios:\n  x:\n    region: {currency: EUR}\n",
         "scenarios.x.region.currency: a scenario cannot change the currency (it is compared "
         "with the region in the region's currency)"),
        ("scenarios:\n  x: {}\n",
         "scenarios.x: expected a mapping of the fields the scenario changes (got an empty "
         "mapping)"),
        ("scenarios:\n  x:\n    scenarios: {y: {}}\n", "scenarios.x.scenarios: unknown key"),
        ("scenarios:\n  x:\n    channels: {voice: {aht_s: -5}}\n",
         "scenarios.x.channels.voice.aht_s: must be > 0 (got -5)"),
    ],
)  # fmt: skip
def test_bad_scenarios_give_one_line_each(sandbox: Path, text: str, expected: str) -> None:
    region = _write_scenarios(sandbox, text)
    with pytest.raises(ParamsError) as info:
        load_params("params/regions/north-america.yaml")
    assert len(info.value.problems) == 1
    file, line, message = info.value.problems[0].split(":", 2)
    assert file == "params/regions/north-america.yaml"
    assert int(line) > _line_of(region, "scenarios:") - 1
    assert message.strip() == expected


def test_unknown_scenario_is_one_line_naming_the_known_ones() -> None:
    with pytest.raises(ParamsError) as info:
        load_params(NA, scenario="optimistic")
    line = _line_of(NA, "scenarios:")
    assert info.value.problems == [
        f"{NA}:{line}: scenarios: no scenario 'optimistic' (this region has: conservative, "
        "hybrid-50)"
    ]


# ------------------------------------------------------------------------------ models


@pytest.fixture(scope="module")
def na() -> RegionModel:
    return load_region(NA, monte_carlo_draws=DRAWS)


def test_scenario_models_carry_their_name(na: RegionModel) -> None:
    assert na.scenario is None and na.headline(scenarios=False)["scenario"] is None
    assert list(na.scenario_models) == list(DEMO)
    for name, model in na.scenario_models.items():
        assert model.scenario == name
        assert model.headline(scenarios=False)["scenario"] == name
        assert model.scenario_models == {name: model}  # its report: itself against the base
        assert model.base_model.params == na.params
        assert model.headline()["scenarios"] == {}  # no nesting in a scenario's result


@pytest.mark.parametrize("name", list(DEMO))
def test_scenario_figures_equal_a_model_of_the_hand_edited_file(
    na: RegionModel, sandbox: Path, name: str
) -> None:
    hand = _hand_edited(sandbox, "hand", DEMO[name])
    with MEMO.disabled():  # computed afresh, not taken from the scenario's shared results
        expected = key_figures(load_region(hand, monte_carlo_draws=DRAWS))
    table = na.scenario_comparison
    rows = table[table["scenario"] == name].set_index("figure")
    for figure, value in expected.items():
        assert rows.loc[figure, "value"] == value, figure
    headline = na.headline()["scenarios"][name]
    assert headline["key_figures"] == expected


def test_compare_is_tidy_with_deltas_read_off_the_headlines(na: RegionModel) -> None:
    table = compare(na, na.scenario_models)
    assert list(table.columns) == [
        "scenario", "figure", "label", "kind", "value", "base", "delta", "changed",
    ]  # fmt: skip
    assert list(table["scenario"]) == [s for s in ["base", *DEMO] for _ in FIGURES]
    assert list(table["figure"][: len(FIGURES)]) == [f.key for f in FIGURES]
    base = na.headline(scenarios=False)
    base_rows = table[table["scenario"] == "base"].set_index("figure")
    assert base_rows.loc["peak_agents", "value"] == base["staffing"]["peak_agents"]
    assert base_rows.loc["npv", "value"] == base["initiative"]["npv"]
    assert base_rows.loc["hires", "value"] == base["plan"]["hires"]
    assert base_rows.loc["p_payback_in_window", "value"] == (
        base["risk"]["probability_payback_within_months"]
    )
    assert "12 months" in base_rows.loc["p_payback_in_window", "label"]
    for row in table.itertuples():
        if row.kind == "text" or row.value is None or row.base is None:
            assert math.isnan(row.delta)
        else:
            assert row.delta == row.value - row.base
        assert row.changed == (row.value != row.base)
    # what each scenario moves (seed 000 levers; hybrid share) and what it leaves alone
    conservative = table[table["scenario"] == "conservative"].set_index("figure")
    assert conservative.loc["npv", "delta"] < 0
    assert conservative.loc["peak_agents", "delta"] == 0
    hybrid = table[table["scenario"] == "hybrid-50"].set_index("figure")
    assert hybrid.loc["hybrid_total", "changed"]
    assert not hybrid.loc["npv", "changed"]
    # the result file carries each scenario's figures and deltas
    result = na.headline()["scenarios"]
    assert set(result) == set(DEMO)
    assert result["conservative"]["change_vs_base"]["npv"] == conservative.loc["npv", "delta"]
    json.dumps(na.headline(), allow_nan=False)  # strict JSON


def test_compare_refuses_bad_names(na: RegionModel) -> None:
    with pytest.raises(InputError, match="must be a slug"):
        compare(na, {"<b>x</b>": na})
    with pytest.raises(InputError, match="reserved"):
        compare(na, {"base": na})


def test_a_region_without_scenarios_compares_to_itself_only() -> None:
    model = load_region(REGIONS / "latin-america.yaml", monte_carlo_draws=DRAWS)
    assert model.scenario_models == {}
    assert model.headline()["scenarios"] == {}
    assert str(scenarios(model)) == ""


# ------------------------------------------------------------------------------ report section


def test_section_shows_heading_sentences_and_table(na: RegionModel) -> None:
    block = str(scenarios(na))
    assert block.startswith("<h2>Scenarios</h2>")
    assert (
        "<strong>hybrid-50</strong> changes sourcing › share to the vendor from 30% to 50%."
        in block
    )
    assert "<strong>conservative</strong> changes initiative › AHT reduction from 20.0%" in block
    for figure in FIGURES:
        assert html.escape(figure.label.format(window=12), quote=True) in block
    table = na.scenario_comparison
    npv = table[(table["scenario"] == "conservative") & (table["figure"] == "npv")].iloc[0]
    shown = f"{npv['value']:,.0f} USD"
    assert shown in block
    assert f"−{abs(npv['delta']):,.0f} USD" in block  # signed, typographic minus
    assert not re.search(r"\d[eE][+-]?\d", block)  # no scientific notation
    assert not re.search(r"\bnan\b", block, re.IGNORECASE)


def test_scenario_report_compares_itself_with_the_base(na: RegionModel) -> None:
    model = na.scenario_models["hybrid-50"]
    block = str(scenarios(model))
    assert "This report is the scenario <strong>hybrid-50</strong> of North America" in block
    assert "conservative" not in block


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "**bold** _x_ `code` | a | b |",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_section_escapes_hostile_text(text: str) -> None:
    sentence = change_sentence(text, [Change("location.name", "Onshore US", text)], "USD")
    rendered = mistune.create_markdown(escape=False)(sentence)
    assert "<script" not in rendered and "<img" not in rendered
    assert "href" not in rendered and "<code>" not in rendered and "<em>" not in rendered
    assert rendered.count("<strong>") == 1  # only cxplan's own emphasis of the name
    frame = pd.DataFrame(
        [
            {"scenario": s, "figure": "cheapest_option", "label": text, "kind": "text",
             "value": text, "base": "in-house", "delta": float("nan"), "changed": True}
            for s in ("base", text)
        ]
    )  # fmt: skip
    table = comparison_table(frame, "USD").to_html()
    assert "<script" not in table and "<img" not in table
    assert html.escape(text, quote=False).split("&lt;")[0] in table


# ------------------------------------------------------------------------------ CLI


def test_validate_names_the_scenarios_it_checked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = cli.main(["validate", str(NA), str(REGIONS / "latin-america.yaml")])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"ok: {NA} (scenarios: conservative, hybrid-50)",
        f"ok: {REGIONS / 'latin-america.yaml'}",
    ]


def _scenario_notebook(path: Path) -> Path:
    """A minimal region notebook that declares ``scenario`` (the contract the lead wires)."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        'params_path = ""\nresult_path = ""\nscenario = ""\nmonte_carlo_draws = 0'
    )
    params.metadata["tags"] = ["parameters"]
    body = nbformat.v4.new_code_cell(
        "from cxplan.model import load_region\n"
        "from cxplan.present import report, scenario_section\n"
        f"model = load_region(params_path, scenario=scenario or None, monte_carlo_draws={DRAWS})\n"
        "scenario_section.scenarios(model)"
    )
    result = nbformat.v4.new_code_cell("_ = report.write_result(model, result_path)")
    nb.cells = [params, body, result]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--scenario", "optimistic"], "scenarios: no scenario 'optimistic'"),
        (["--scenario", "conservative", "--notebook", str(REPO / "notebooks" / "planner.ipynb")],
         "has no 'scenario' parameter"),
    ],
)  # fmt: skip
def test_report_scenario_errors_exit_2_and_write_nothing(
    sandbox: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code = cli.main(["report", "params/regions/north-america.yaml", "--out", "out", *argv])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err
    assert not (sandbox / "out").exists()


def test_report_scenario_argument_must_be_a_slug(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["report", str(NA), "--scenario", "../x", "--out", "never"])
    assert info.value.code == 2
    assert "scenario name must be a slug" in capsys.readouterr().err
    assert not Path("never").exists()


@pytest.mark.notebook
def test_report_scenario_writes_its_own_files_beside_the_base(
    sandbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notebook = _scenario_notebook(sandbox / "region.ipynb")
    out = sandbox / "out"
    out.mkdir()
    base_html = out / "north-america.html"
    base_html.write_text("<p>the base report</p>", encoding="utf-8")
    code = cli.main(
        ["report", "params/regions/north-america.yaml", "--scenario", "hybrid-50",
         "--out", "out", "--notebook", str(notebook), "--no-portfolio"]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert names == [
        "north-america--hybrid-50.html",
        "north-america--hybrid-50.ipynb",
        "north-america--hybrid-50.json",
        "north-america.html",
    ]
    assert base_html.read_text(encoding="utf-8") == "<p>the base report</p>"  # untouched
    result = json.loads((out / "north-america--hybrid-50.json").read_text(encoding="utf-8"))
    assert result["scenario"] == "hybrid-50" and result["scenarios"] == {}
    expected = load_region(NA, scenario="hybrid-50", monte_carlo_draws=DRAWS)
    assert result["costs"] == json.loads(json.dumps(expected.headline()["costs"]))
    assert "hybrid 50% to vendor" in result["costs"]["sourcing_total_by_option"]
    report_html = (out / "north-america--hybrid-50.html").read_text(encoding="utf-8")
    assert "This report is the scenario" in report_html
    assert "<title>North America, scenario hybrid-50" in report_html  # tabs tell them apart


# ------------------------------------------------------------------------------ planner


@pytest.fixture
def planner(sandbox: Path) -> Planner:
    return Planner(sandbox / "params" / "regions" / "north-america.yaml")


def test_planner_saves_its_settings_as_a_scenario_that_loads_back(
    planner: Planner, sandbox: Path
) -> None:
    region = sandbox / "params" / "regions" / "north-america.yaml"
    assert planner.set_value("vendor_share", 0.5)
    assert planner.set_value("aht_reduction", 0.40)  # beyond the file's range: it widens
    assert planner.set_value("horizon_months", 48)
    saved = planner.save_scenario("  half-out ")
    assert saved == sandbox / "params" / "regions" / "north-america.scenarios" / "half-out.yaml"
    assert "Saved scenario half-out" in planner.scenario_message.value
    assert load_params(region, scenario="half-out") == planner.params  # exactly its settings
    assert yaml.safe_load(saved.read_text(encoding="utf-8")) == {
        "sourcing": {"vendor_share": 0.5},
        "initiative": {
            "aht_reduction": {"low": 0.1, "mode": 0.4, "high": 0.4, "dist": "pert"}
        },
        "finance": {"horizon_months": 48},
    }
    assert scenario_names(region) == ["conservative", "hybrid-50", "half-out"]
    assert "<table" in planner.comparison.value  # compared with the file after saving


def test_planner_location_preset_is_saved_field_by_field(
    planner: Planner, sandbox: Path
) -> None:
    planner.location_select.value = "nearshore"
    assert planner.set_value("wage_per_hour", 15.0)
    overlay = scenario_overlay(planner.params, planner.overrides)
    assert overlay["location"]["wage_per_hour"] == 15.0
    assert overlay["location"]["name"] == planner.params.location.name
    planner.save_scenario("nearshore")
    region = sandbox / "params" / "regions" / "north-america.yaml"
    assert load_params(region, scenario="nearshore") == planner.params


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Half Out", "must be a slug"),
        ("../../evil", "must be a slug"),
        ("base", "reserved"),
        ("conservative", "the region file already defines a scenario 'conservative'"),
        ("", "must be a slug"),
    ],
)
def test_planner_refuses_bad_names_and_writes_nothing(
    planner: Planner, sandbox: Path, name: str, message: str
) -> None:
    assert planner.set_value("vendor_share", 0.5)
    before = sorted(p.relative_to(sandbox) for p in sandbox.rglob("*"))
    assert planner.save_scenario(name) is None
    assert message in html.unescape(planner.scenario_message.value)
    assert 'class="cx-error"' in planner.scenario_message.value
    assert sorted(p.relative_to(sandbox) for p in sandbox.rglob("*")) == before


def test_planner_refuses_to_save_nothing_or_twice(planner: Planner, sandbox: Path) -> None:
    assert planner.save_scenario("same") is None
    assert "nothing to save" in planner.scenario_message.value
    assert not (sandbox / "params" / "regions" / "north-america.scenarios").exists()
    assert planner.set_value("shrinkage", 0.35)
    first = planner.save_scenario("more-shrinkage")
    assert first is not None
    text = first.read_text(encoding="utf-8")
    assert planner.set_value("shrinkage", 0.40)
    assert planner.save_scenario("more-shrinkage") is None
    assert "already saved" in planner.scenario_message.value
    assert first.read_text(encoding="utf-8") == text


def test_planner_compares_its_settings_with_the_file(planner: Planner) -> None:
    assert planner.set_value("vendor_share", 0.5)
    table = planner.compare_with_base()
    assert list(dict.fromkeys(table["scenario"])) == ["base", CURRENT]
    rows = table[table["scenario"] == CURRENT].set_index("figure")
    # the hybrid's cost: the planner's own KPI for these settings and for the file's
    assert rows.loc["hybrid_total", "value"] == planner.figures["hybrid_cost"]
    assert rows.loc["hybrid_total", "delta"] > 0  # half the calls at the dearer vendor rate
    assert rows.loc["peak_agents", "delta"] == 0
    page = planner.comparison.value
    assert "These settings (current) against the region file" in page
    assert re.search(r"\+[0-9,]+ USD", page)


def test_nest_and_scenario_path() -> None:
    assert nest({"a.b": 1, "a.c": 2, "d": {"e": 3}, "d.f": 4}) == {
        "a": {"b": 1, "c": 2},
        "d": {"e": 3, "f": 4},
    }
    assert scenario_path("p/r/x.yaml", "y").as_posix() == "p/r/x.scenarios/y.yaml"
    with pytest.raises(InputError):
        scenario_path("p/r/x.yaml", "../y")


def test_read_scenarios_keeps_file_order() -> None:
    found = read_scenarios(NA)
    assert list(found) == list(DEMO)
    assert found["hybrid-50"].overlay == DEMO["hybrid-50"]
    assert copy.deepcopy(found["conservative"].overlay) == DEMO["conservative"]


def test_portfolio_shows_each_regions_scenarios_from_the_result_files(na: RegionModel) -> None:
    na_result = json.loads(json.dumps(na.headline()))  # as written and read back
    other = json.loads(json.dumps(na_result))
    other["region"] = "<script>alert(1)</script>"
    other["scenarios"] = {}
    assert str(portfolio_scenarios([other])) == ""  # no region with scenarios: nothing
    block = str(portfolio_scenarios([na_result, other]))
    assert block.startswith("<h2>Scenarios</h2>")
    assert block.count("<tr>") == 1 + len(DEMO)  # header and one row per scenario
    conservative = na_result["scenarios"]["conservative"]
    assert f"−{abs(conservative['change_vs_base']['npv']):,.0f}" in block
    hybrid = na_result["scenarios"]["hybrid-50"]
    assert f"+{hybrid['change_vs_base']['hybrid_total']:,.0f}" in block
    assert "<script" not in block


def test_assumptions_of_a_scenario_replace_the_regions_and_cite_it(sandbox: Path) -> None:
    region = sandbox / "params" / "regions" / "north-america.yaml"
    base = assumptions_table(region).set_index("field")
    assert not any(f.startswith("scenarios") for f in base.index)  # not the region's values
    table = assumptions_table(region, scenario="hybrid-50").set_index("field")
    assert table.loc["sourcing.vendor_share", "value"] == 0.5
    assert table.loc["sourcing.vendor_share", "file"] == "scenario"
    assert "nearshore" in table.loc["sourcing.vendor_share", "source"]  # the scenario's comment
    assert (table.drop(index="sourcing.vendor_share")["file"] != "scenario").all()
    assert len(table) == len(base)
    folder = region.with_name("north-america.scenarios")
    folder.mkdir()
    (folder / "lean.yaml").write_text(
        "# Leaner shrinkage (assumption: a new WFM tool)\nworkforce:\n  shrinkage: 0.25\n",
        encoding="utf-8",
    )
    lean = assumptions_table(region, scenario="lean").set_index("field")
    assert lean.loc["workforce.shrinkage", "value"] == 0.25
    assert lean.loc["workforce.shrinkage", "source"] == (
        "Leaner shrinkage (assumption: a new WFM tool)"
    )


def test_planner_reset_clears_the_comparison(planner: Planner) -> None:
    assert planner.set_value("vendor_share", 0.5)
    planner.compare_with_base()
    assert planner.comparison.value
    planner.reset()
    assert planner.comparison.value == "" and planner.scenario_message.value == ""


def test_scenarios_of_a_loose_region_use_its_given_defaults(tmp_path: Path) -> None:
    loose = tmp_path / "client" / "north-america.yaml"  # no defaults.yaml beside or above it
    loose.parent.mkdir()
    shutil.copyfile(NA, loose)
    defaults = REPO / "params" / "defaults.yaml"
    model = load_region(loose, defaults_path=defaults, monte_carlo_draws=DRAWS)
    assert list(model.scenario_models) == list(DEMO)
    hybrid = model.scenario_models["hybrid-50"]
    assert hybrid.params == load_params(NA, scenario="hybrid-50")
    assert hybrid.base_model.params == load_params(NA)
    assert load_params(loose, defaults_path=defaults, scenario="conservative") == load_params(
        NA, scenario="conservative"
    )
