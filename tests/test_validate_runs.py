"""`cxplan validate` accepts only what `cxplan report` can run (issue 10).

Each file below passed ``validate`` and then failed or lost its region in ``report`` before the
fix. Each now either is refused by ``validate`` with ``file:line: field: problem`` (exit 2) or
gives a correct report: the model computes every figure, the headline is strict JSON, and the
real ``cxplan report`` (papermill, the real notebooks) writes the region's files.
"""

from __future__ import annotations

import copy
import json
import math
import os
import shutil
from pathlib import Path
from typing import Any

import browser_support as bs
import pytest
import yaml
from region_edits import free_initiative, without_milestones

from cxplan.app import cli
from cxplan.config.params import find_defaults, load_params, params_root
from cxplan.config.yamlfile import load_yaml
from cxplan.economics import finance
from cxplan.model import RegionModel, load_region
from cxplan.plan import roadmap
from cxplan.present import charts, report, sections

#: The sections of notebooks/region_report.ipynb that take only the model.
SECTIONS = (
    "title",
    "summary",
    "history",
    "staffing",
    "costs",
    "business_case",
    "plan",
    "pilot",
    "kpis",
)

REPO = Path(__file__).resolve().parent.parent
NORTH_AMERICA, _ = load_yaml(REPO / "params" / "regions" / "north-america.yaml")
DEFAULTS, _ = load_yaml(REPO / "params" / "defaults.yaml")
DRAWS = 200


def quick(**sections: dict[str, Any]) -> dict[str, Any]:
    """North America on a 4-week horizon with 200 draws, sections replaced or merged."""
    data = copy.deepcopy(NORTH_AMERICA)
    data.pop("scenarios", None)  # its named scenarios are tested in tests/test_scenarios.py
    data["forecast"] = {"horizon_weeks": 4}
    data["finance"] = {"monte_carlo_draws": DRAWS}
    for key, value in sections.items():
        data[key] = {**data.get(key, {}), **value}
    return data


def write(root: Path, stem: str, data: dict[str, Any]) -> Path:
    path = root / "regions" / f"{stem}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def model_of(root: Path, stem: str, data: dict[str, Any]) -> RegionModel:
    path = write(root, stem, data)
    return RegionModel(load_params(path), params_root=params_root(path), monte_carlo_draws=DRAWS)


def assert_reports(model: RegionModel) -> dict[str, Any]:
    """Everything the region notebook computes, without a kernel: figures, prose, result."""
    headline = model.headline()
    json.dumps(headline, allow_nan=False)  # the result file is strict JSON
    report.executive_summary(model)
    report.initiative_summary(model)
    start = model.params.region.start_date
    charts.gantt_chart(
        roadmap.gantt_data(model.roadmap, start_date=start),
        roadmap.milestone_data(model.roadmap, start_date=start),
    )
    for name in SECTIONS:  # every section the region notebook shows
        getattr(sections, name)(model)
    return headline


def validate(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, str, str]:
    code = cli.main(["validate", *map(str, paths)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


# ----------------------------------------------------------------------------- horizons


def test_a_52_week_plan_runs_with_the_default_36_month_finance_horizon(params_root: Path) -> None:
    # was: "horizon_months (12) must cover day 363" -- the roadmap schedule got 36 // 3 = 12
    # months of 30 days for a 52-week (364-day) capacity plan, which needs 13
    data = quick(forecast={"horizon_weeks": 52})
    assert "horizon_months" not in data["finance"]  # the default, 36
    model = model_of(params_root, "long", data)
    assert_reports(model)
    # the programme's cash flow runs over the finance horizon, which covers the 52-week plan
    months = model.programme_cashflow["month"].nunique()
    assert months == 36
    assert months * 30.4375 >= 52 * 7  # 36 months of 365.25/12 days hold 364 days


# -------------------------------------------------------------------- volumes and costs


def test_ten_million_contacts_a_week_report(params_root: Path) -> None:
    # was: "no staffing up to 97521 agents meets the constraints" (Erlang C bound ignored the cap)
    voice = {"weekly_contacts": 10_000_000, "aht_s": 360, "max_occupancy": 0.85}
    data = quick(channels={"voice": {**NORTH_AMERICA["channels"]["voice"], **voice}})
    data["channels"]["voice"].pop("patience_s")
    model = model_of(params_root, "huge", data)
    headline = assert_reports(model)
    table = model.staffing["voice"]
    # occupancy never above the cap, so at least traffic / 0.85 agents in every busy interval
    busy = table["traffic_erl"] > 0
    assert (table["agents"][busy] >= table["traffic_erl"][busy] / 0.85 - 1e-9).all()
    assert headline["staffing"]["peak_agents"] > 10_000


def test_zero_voice_contacts_with_chat_and_email_report(params_root: Path) -> None:
    # was: ZeroDivisionError in the naive-vs-queue-aware comparison (cell 12)
    channels = copy.deepcopy(NORTH_AMERICA["channels"])
    channels["voice"]["weekly_contacts"] = 0
    model = model_of(
        params_root, "no-voice", quick(channels=channels, sourcing={"channel": "chat"})
    )
    headline = assert_reports(model)
    assert model.naive_comparison is None  # nothing to compare without voice contacts
    assert headline["staffing"]["peak_agents_by_channel"]["voice"] == 0
    assert "break-even" in report.initiative_summary(model)


def test_an_initiative_that_costs_nothing_has_an_infinite_roi(params_root: Path) -> None:
    # was: "Out of range float values are not JSON compliant: nan" writing the result (cell 23)
    data = free_initiative(quick(), DEFAULTS["roadmap"])
    model = model_of(params_root, "free", data)
    headline = assert_reports(model)
    assert model.initiative["roi"] == math.inf  # benefits > 0 over zero costs (finance.roi)
    assert headline["initiative"]["roi"] is None  # JSON has no infinity: null, documented
    assert headline["initiative"]["npv"] > 0
    assert math.isnan(finance.roi([0.0, 0.0], [0.0, 0.0]))  # nothing for nothing: undefined


def test_a_custom_roadmap_without_milestones_reports(params_root: Path) -> None:
    # was: "milestones is empty: nothing to chart" in the Gantt chart (cell 16)
    data = quick()
    data["roadmap"] = without_milestones(DEFAULTS["roadmap"])
    model = model_of(params_root, "no-milestones", data)
    assert roadmap.milestone_data(model.roadmap).empty
    assert_reports(model)


# ------------------------------------------------------------------------------- text


def test_a_lone_surrogate_is_refused_on_its_line(
    params_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # was: valid, then UnicodeEncodeError writing the notebook (cell 4)
    path = write(params_root, "surrogate", quick())
    with path.open("a", encoding="utf-8") as handle:
        handle.write('initiative: {name: "Staccato \\ud800 pilot"}\n')
    line = len(path.read_text(encoding="utf-8").splitlines())
    code, _, err = validate(capsys, path)
    assert code == 2
    assert err.splitlines() == [
        f"{path}:{line}: initiative.name: must be text that can be written as UTF-8 (found a "
        "lone surrogate U+D800, e.g. from a \\ud800 escape) (got 'Staccato \\ud800 pilot')"
    ]


def test_a_decomposed_accent_is_the_composed_name(params_root: Path) -> None:
    # was: refused ("must be plain words") although it is the same name as "Côte d'Ivoire"
    data = quick(region={"name": "Co\u0302te d'Ivoire"}, initiative={"name": "Se\u0301ance"})
    model = model_of(params_root, "cote", data)
    assert model.params.region.name == "Côte d'Ivoire"  # NFC: one code point for ô
    assert model.params.initiative.name == "Séance"
    headline = assert_reports(model)
    assert headline["region"] == "Côte d'Ivoire"


# -------------------------------------------------------------------------- data files


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)  # an image, say


def _ascii_garbage(path: Path) -> None:
    path.write_bytes(bytes(range(1, 128)) * 8)


def _text_garbage(path: Path) -> None:
    path.write_text('"unterminated,\nquote\n', encoding="utf-8")


def _wrong_columns(path: Path) -> None:
    path.write_text("contact,arm,seconds\n1,control,300\n2,treatment,250\n", encoding="utf-8")


def _bad_values(path: Path) -> None:
    path.write_text("group,handle_time_s\ncontrol,fast\ntreatment,250\n", encoding="utf-8")


def _one_arm(path: Path) -> None:
    path.write_text("group,handle_time_s\ncontrol,300\ncontrol,250\n", encoding="utf-8")


def _empty(path: Path) -> None:
    path.write_text("", encoding="utf-8")


def _folder(path: Path) -> None:
    path.mkdir()


def _fifo(path: Path) -> None:
    os.mkfifo(path)  # reading it would block the batch forever


def _link_out(path: Path) -> None:
    outside = path.parent.parent.parent / "elsewhere.csv"  # beside params/, not inside it
    shutil.copyfile(REPO / "params" / "pilot" / "demo_pilot.csv", outside)
    path.symlink_to(outside)


BAD_PILOT = [
    (None, "file not found: {path}"),
    (_garbage, "{path}: not a CSV text file (not UTF-8: byte 0)"),
    (_ascii_garbage, "{path}: data must have a 'group' column"),
    (_text_garbage, "{path}: not a readable CSV table"),
    (_wrong_columns, "{path}: data must have a 'group' column"),
    (_bad_values, "{path}: column 'handle_time_s' must be numeric"),
    (_one_arm, "{path}: treatment group 'treatment' not found in data['group']"),
    (_empty, "{path}: not a readable CSV table (No columns to parse from file)"),
    (_folder, "{path} is a folder, not a data file"),
    (_fifo, "{path} is not a regular file (a pipe, socket or device)"),
    (_link_out, "{path} leads outside the params folder"),
]


@pytest.mark.parametrize(("make", "message"), BAD_PILOT, ids=lambda v: getattr(v, "__name__", ""))
def test_every_bad_pilot_file_is_refused_on_its_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Any, message: str
) -> None:
    root = tmp_path / "params"
    shutil.copytree(REPO / "params", root)
    target = root / "pilot" / "bad.csv"
    if make is not None:
        make(target)
    path = write(root, "pilot", quick(pilot={"data_csv": "pilot/bad.csv"}))
    line = next(i + 1 for i, text in enumerate(path.read_text().splitlines()) if "data_csv" in text)
    code, _, err = validate(capsys, path)
    assert code == 2
    (problem,) = err.splitlines()
    assert problem.startswith(f"{path}:{line}: pilot.data_csv: {message.format(path=target)}")


def test_a_pilot_file_behind_a_folder_link_out_of_the_params_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "params"
    shutil.copytree(REPO / "params", root)
    outside = tmp_path / "other-client"
    outside.mkdir()
    shutil.copyfile(REPO / "params" / "pilot" / "demo_pilot.csv", outside / "pilot.csv")
    (root / "shared").symlink_to(outside, target_is_directory=True)
    path = write(root, "linked", quick(pilot={"data_csv": "shared/pilot.csv"}))
    code, _, err = validate(capsys, path)
    assert code == 2
    assert f"pilot.data_csv: {root / 'shared' / 'pilot.csv'} leads outside the params folder" in err
    # a link that stays inside the params folder is fine
    (root / "pilot" / "again.csv").symlink_to(root / "pilot" / "demo_pilot.csv")
    code, out, _ = validate(
        capsys, write(root, "linked", quick(pilot={"data_csv": "pilot/again.csv"}))
    )
    assert code == 0, out


def test_a_region_file_reached_through_a_link_finds_its_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the region file lives elsewhere (no defaults.yaml there); the link sits in params/regions
    root = tmp_path / "params"
    shutil.copytree(REPO / "params", root)
    kept = tmp_path / "shared-regions"
    kept.mkdir()
    (root / "regions" / "north-america.yaml").rename(kept / "north-america.yaml")
    # north-america.yaml names pilot/demo_pilot.csv: read from this params folder
    assert "data_csv: pilot/demo_pilot.csv" in (kept / "north-america.yaml").read_text("utf-8")
    link = root / "regions" / "north-america.yaml"
    link.symlink_to(kept / "north-america.yaml")
    assert find_defaults(link) == root / "defaults.yaml"
    code, _, err = validate(capsys, root / "regions")
    assert code == 0, err
    model = load_region(link, monte_carlo_draws=DRAWS)
    assert model.params_root == root  # pilot data is read from this params folder
    assert model.pilot_readout is not None


def test_two_files_with_one_region_slug_are_refused_by_validate(
    params_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write(params_root, "a-first", quick(region={"name": "North America"}))
    second = write(params_root, "b-second", quick(region={"name": "north  america"}))
    line = next(
        i + 1 for i, t in enumerate(second.read_text().splitlines()) if "north  america" in t
    )
    code, out, err = validate(capsys, first, second)
    assert code == 2
    assert out == f"ok: {first}\n"
    assert err == (
        f"{second}:{line}: region.name: gives the report name 'north-america', as {first} "
        "does (each region needs a name of its own)\n"
    )


def test_report_into_an_empty_out_path_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # was: `--out ""` wrote into the current folder
    monkeypatch.chdir(tmp_path)
    code = cli.main(["report", str(REPO / "params" / "regions"), "--out", ""])
    _, err = capsys.readouterr()
    assert code == 2
    assert err == "cxplan: output directory must be given (got an empty path)\n"
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- the real report, end to end


@pytest.mark.notebook
@pytest.mark.slow
def test_the_formerly_failing_files_report_with_the_real_notebooks(tmp_path: Path) -> None:
    root = tmp_path / "params"
    shutil.copytree(REPO / "params", root)
    for stale in (root / "regions").iterdir():
        stale.unlink()
    channels = copy.deepcopy(NORTH_AMERICA["channels"])
    channels["voice"]["weekly_contacts"] = 0
    huge = copy.deepcopy(NORTH_AMERICA["channels"])
    huge["voice"].update(weekly_contacts=10_000_000)
    plan = without_milestones(DEFAULTS["roadmap"])
    files = {
        "long": quick(region={"name": "Long"}, forecast={"horizon_weeks": 52}),
        "huge": quick(region={"name": "Huge"}, channels=huge),
        "no-voice": quick(
            region={"name": "No Voice"}, channels=channels, sourcing={"channel": "chat"}
        ),
        "free": free_initiative(quick(region={"name": "Free"}), DEFAULTS["roadmap"]),
        "no-milestones": {**quick(region={"name": "No Milestones"}), "roadmap": plan},
        "cote": quick(region={"name": "Co\u0302te d'Ivoire"}),
    }
    for stem, data in files.items():
        write(root, stem, data)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    write(root, "linked", quick(region={"name": "Linked"})).rename(elsewhere / "linked.yaml")
    (root / "regions" / "linked.yaml").symlink_to(elsewhere / "linked.yaml")

    run = bs.run_report(tmp_path / "reports", params=root / "regions")
    run.check()
    slugs = ["cote-d-ivoire", "free", "huge", "linked", "long", "no-milestones", "no-voice"]
    for slug in slugs:
        result = run.result(slug)
        assert result["version"] == 1
        assert (run.out / f"{slug}.html").stat().st_size > 10_000
    assert run.result("free")["initiative"]["roi"] is None
    assert run.result("cote-d-ivoire")["region"] == "Côte d'Ivoire"
    assert run.result("huge")["staffing"]["peak_agents"] > 10_000
    assert len(json.loads((run.out / "portfolio.json").read_text())["regions"]) == len(slugs)
