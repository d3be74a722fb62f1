"""``cxplan init`` and finding the defaults: a new engagement validates, reports, and says why not.

The scaffolded region's example values are the North America demo region's
(``params/regions/north-america.yaml``), compared key by key with that file; the pilot template's
columns are the demo pilot file's header (``params/pilot/demo_pilot.csv``).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import browser_support as bs
import pytest

from cxplan.app import cli
from cxplan.app.scaffold import HISTORY_COLUMNS, PILOT_COLUMNS, init_engagement, scaffold_files
from cxplan.config.params import load_params
from cxplan.config.yamlfile import load_yaml
from cxplan.data.columns import FIELDS, detect_columns
from cxplan.errors import InputError, ParamsError

REPO = Path(__file__).resolve().parent.parent
PARAMS = REPO / "params"
NORTH_AMERICA = PARAMS / "regions" / "north-america.yaml"
#: A Friday: the plan starts on the Monday after it, 2026-12-07.
FRIDAY = dt.date(2026, 12, 4)

LAYOUT = [
    "README.md",
    "defaults.yaml",
    "regions/acme.yaml",
    "history/README.md",
    "history/interval-history.template.csv",
    "pilot/README.md",
    "pilot/pilot.template.csv",
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def line_of(path: Path, text: str) -> int:
    """1-based number of the (one) line of ``path`` containing ``text``."""
    numbers = [i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line]
    assert len(numbers) == 1, (text, numbers)
    return numbers[0]


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    folder = tmp_path / "acme"
    init_engagement(folder, today=FRIDAY)
    return folder


# ------------------------------------------------------------------------------- the layout


def test_init_writes_the_engagement_layout(acme: Path) -> None:
    assert files_under(acme) == sorted(LAYOUT)
    # the defaults are cxplan's, byte for byte (a client may edit their copy)
    assert (acme / "defaults.yaml").read_bytes() == (PARAMS / "defaults.yaml").read_bytes()


def test_scaffold_files_writes_nothing(tmp_path: Path) -> None:
    files = scaffold_files(tmp_path / "new", today=FRIDAY)
    assert [str(p.relative_to(tmp_path / "new")) for p in files] == [
        name.replace("acme", "new") for name in LAYOUT
    ]
    assert not (tmp_path / "new").exists()


def test_the_scaffolded_region_validates_and_starts_on_the_next_monday(acme: Path) -> None:
    params = load_params(acme / "regions" / "acme.yaml")
    assert params.region.name == "Acme"  # from the folder's name
    assert params.region.currency == "USD"  # the defaults' currency: no fx section needed
    assert params.region.start_date == dt.date(2026, 12, 7)  # Friday 4 Dec + 3 days, a Monday
    assert params.history is None and params.pilot.data_csv is None  # no data files yet
    assert "fx:" not in (acme / "regions" / "acme.yaml").read_text("utf-8")


@pytest.mark.parametrize(
    "section",
    ["forecast", "channels", "location", "vendor", "kpi"],
)
def test_the_examples_are_the_north_america_demo_values(acme: Path, section: str) -> None:
    template, _ = load_yaml(acme / "regions" / "acme.yaml")
    demo, _ = load_yaml(NORTH_AMERICA)
    assert template[section] == demo[section]


def test_the_workforce_examples_are_the_demo_values(acme: Path) -> None:
    template, _ = load_yaml(acme / "regions" / "acme.yaml")
    demo, _ = load_yaml(NORTH_AMERICA)
    assert template["workforce"] == demo["workforce"]


def test_every_field_of_the_template_has_a_comment(acme: Path) -> None:
    # a field line is "key: value" (not a mapping header); each carries "# what, unit, where"
    text = (acme / "regions" / "acme.yaml").read_text("utf-8")
    uncommented = [
        line
        for line in text.splitlines()
        if not line.lstrip().startswith("#")
        and ":" in line
        and not line.rstrip().endswith(":")
        and "#" not in line
        and not line.lstrip().startswith("chat: {")  # the KPI rows share the voice row's comment
    ]
    assert uncommented == []


@pytest.mark.parametrize(
    ("currency", "base", "has_fx"),
    [(None, "USD", False), ("USD", "USD", False), ("gbp", "GBP", True), ("EUR", "EUR", True)],
)
def test_the_currency_decides_the_fx_section(
    tmp_path: Path, currency: str | None, base: str, has_fx: bool
) -> None:
    files = scaffold_files(tmp_path / "x", currency=currency, region="North", today=FRIDAY)
    region = files[tmp_path / "x" / "regions" / "north.yaml"]
    assert f"currency: {base}" in region
    assert ("fx:\n  rates:\n    USD: null" in region) is has_fx
    readme = files[tmp_path / "x" / "README.md"]
    assert ("fx.rates.USD" in readme) is has_fx


def test_country_sets_the_history_country_and_the_data_sections_work_uncommented(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "uk"
    init_engagement(folder, country="gb", region="London", today=FRIDAY)
    region = folder / "regions" / "london.yaml"
    text = region.read_text("utf-8")
    assert "#   country: GB " in text
    # the consultant's next step: the data arrive, the sections are uncommented
    shutil.copyfile(PARAMS / "history" / "demo_history.csv.gz", folder / "history" / "h.csv.gz")
    shutil.copyfile(PARAMS / "pilot" / "demo_pilot.csv", folder / "pilot" / "pilot.csv")
    lines = []
    for line in text.splitlines():
        if line.startswith(
            ("# pilot:", "#   data_csv:", "# history:", "#   file:", "#   country:")
        ):
            line = line[2:]
        lines.append(line.replace("history/interval-history.csv", "history/h.csv.gz"))
    region.write_text("\n".join(lines) + "\n", encoding="utf-8")
    params = load_params(region)
    assert params.history is not None
    assert params.history.country == "GB"
    assert params.history.file == "history/h.csv.gz"
    assert params.pilot.data_csv == "pilot/pilot.csv"


def test_the_history_template_has_canonical_columns(acme: Path) -> None:
    header = (acme / "history" / "interval-history.template.csv").read_text("utf-8")
    assert header == ",".join(HISTORY_COLUMNS) + "\n"
    assert set(HISTORY_COLUMNS) <= set(FIELDS)
    # cxplan's own import recognises every header as the field of the same name
    assert detect_columns(list(HISTORY_COLUMNS)).headers == {c: c for c in HISTORY_COLUMNS}
    readme = (acme / "history" / "README.md").read_text("utf-8")
    assert all(f"`{c}`" in readme for c in HISTORY_COLUMNS)


def test_the_pilot_template_has_the_demo_pilot_columns(acme: Path) -> None:
    demo = [
        line
        for line in (PARAMS / "pilot" / "demo_pilot.csv").read_text("utf-8").splitlines()
        if not line.startswith("#")
    ]
    header = (acme / "pilot" / "pilot.template.csv").read_text("utf-8")
    assert header == demo[0] + "\n"
    assert tuple(demo[0].split(",")) == PILOT_COLUMNS


def test_the_readme_says_what_to_fill_in_and_the_commands(acme: Path) -> None:
    readme = (acme / "README.md").read_text("utf-8")
    for phrase in (
        "regions/acme.yaml",
        "cxplan validate regions/",
        "cxplan report regions/ --out reports/",
        "--defaults PATH",
        "starting_headcount",
    ):
        assert phrase in readme, phrase


# ------------------------------------------------------------------------------- refusals


def test_init_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "acme"
    code, out, err = run(capsys, "init", str(folder), "--country", "GB")
    assert (code, err) == (0, "")
    assert [line for line in out.splitlines() if line.startswith("wrote ")] == [
        f"wrote {folder / name}" for name in LAYOUT
    ]
    assert files_under(folder) == sorted(LAYOUT)


@pytest.mark.parametrize("existing", ["notes.txt", "regions/a.yaml", ".git/HEAD"])
def test_init_refuses_a_non_empty_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], existing: str
) -> None:
    folder = tmp_path / "acme"
    (folder / existing).parent.mkdir(parents=True)
    (folder / existing).write_text("mine\n", encoding="utf-8")
    code, out, err = run(capsys, "init", str(folder))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"cxplan: {folder} is not empty; give a new or empty folder (nothing was written)"
    ]
    assert files_under(folder) == [existing]  # nothing written


def test_init_into_an_empty_folder(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    init_engagement(folder, today=FRIDAY)
    assert files_under(folder) == sorted(name.replace("acme", "empty") for name in LAYOUT)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--currency", "pounds"],
            "--currency must be an ISO 4217 code such as GBP (got 'pounds')",
        ),
        (
            ["--country", "XX"],
            "--country must be a country code the holidays library knows, such as GB (got 'XX')",
        ),
        (["--region", "a/b"], "--region: "),
    ],
)
def test_init_bad_arguments_exit_2_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    folder = tmp_path / "acme"
    code, out, err = run(capsys, "init", str(folder), *args)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"cxplan: {message}"), lines
    assert not folder.exists()


def test_init_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="exists and is not a folder"):
        init_engagement(target)
    assert target.read_text("utf-8") == "x"


# ------------------------------------------------------------------------ the exchange rate


def test_a_region_in_another_currency_must_fill_in_the_rate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "uk"
    init_engagement(folder, currency="GBP", region="London", today=FRIDAY)
    region = folder / "regions" / "london.yaml"
    line = line_of(region, "    USD: null")
    code, out, err = run(capsys, "validate", str(region))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{region}:{line}: fx.rates.USD: must be a number > 0, how many GBP one USD buys "
        "(region.currency GBP differs from the defaults' currency USD; got null)"
    ]
    region.write_text(region.read_text("utf-8").replace("USD: null", "USD: 0.79"), "utf-8")
    params = load_params(region)
    # a money default the region does not set, converted: platform licence 125 USD × 0.79
    platform = next(x for x in params.technology.licences if x.category == "platform")
    assert platform.cost_per_agent_per_month == pytest.approx(98.75)
    assert params.location.wage_per_hour == 24.0  # set by the region: in GBP, as written


# ------------------------------------------------------------------------ missing defaults


@pytest.fixture
def loose(tmp_path: Path) -> Path:
    """The demo region copied to a folder with no defaults.yaml in it or above it."""
    folder = tmp_path / "loose"
    folder.mkdir()
    shutil.copyfile(NORTH_AMERICA, folder / "north-america.yaml")
    text = (folder / "north-america.yaml").read_text("utf-8")
    # its pilot file is the repository's: drop it (data files stay inside the params folder)
    text = text.replace("  data_csv: pilot/demo_pilot.csv", "  aht_change: -0.20")
    (folder / "north-america.yaml").write_text(text, encoding="utf-8")
    return folder / "north-america.yaml"


def no_defaults_line(region: Path) -> str:
    folder = region.parent
    return (
        f"{region}:1: no defaults.yaml found (looked for {folder / 'defaults.yaml'} and "
        f"{folder.parent / 'defaults.yaml'}); a region file is merged over its defaults: put "
        "defaults.yaml in one of those folders (cxplan init writes one) or pass --defaults "
        "PATH (the region file alone lacks technology, roadmap, forecast.day_of_week_share, ...)"
    )


def test_validate_names_the_missing_defaults(
    loose: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "validate", str(loose))
    assert (code, out) == (2, "")
    assert err.splitlines() == [no_defaults_line(loose)]


def test_load_params_names_the_missing_defaults(loose: Path) -> None:
    with pytest.raises(ParamsError) as info:
        load_params(loose)
    assert info.value.problems == [no_defaults_line(loose)]


def test_validate_with_defaults_path(loose: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "validate", str(loose), "--defaults", str(PARAMS / "defaults.yaml")
    )
    # its named scenarios are validated over the same defaults
    assert (code, out, err) == (0, f"ok: {loose} (scenarios: conservative, hybrid-50)\n", "")


def test_a_defaults_path_that_is_not_a_file(
    loose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.yaml"
    for command in ("validate", "report"):
        code, out, err = run(capsys, command, str(loose), "--defaults", str(missing))
        assert (code, out) == (2, "")
        assert err.splitlines() == [f"cxplan: --defaults: file not found: {missing}"]
    with pytest.raises(ParamsError) as info:
        load_params(loose, defaults_path=missing)
    assert info.value.problems == [
        f"{loose}: defaults file not found: {missing} (given as its defaults)"
    ]


def test_report_names_the_missing_defaults_and_writes_nothing(
    loose: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "reports"
    code, out, err = run(capsys, "report", str(loose), "--out", str(out_dir))
    assert (code, out) == (2, "")
    assert err.splitlines() == [no_defaults_line(loose)]
    assert not out_dir.exists()


def test_a_complete_region_file_needs_no_defaults(tmp_path: Path) -> None:
    # merged by hand (defaults then region, as the loader merges): nothing is missing, so the
    # absence of defaults.yaml is not an error
    import yaml

    from cxplan.config.yamlfile import merge

    merged = merge(load_yaml(PARAMS / "defaults.yaml")[0], load_yaml(NORTH_AMERICA)[0])
    del merged["pilot"]["data_csv"]
    path = tmp_path / "alone" / "region.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(merged, sort_keys=False), encoding="utf-8")
    assert load_params(path).region.name == "North America"


# -------------------------------------------------------------------------- end to end


def report(*args: str) -> bs.BatchRun:
    out = Path(args[args.index("--out") + 1])
    import subprocess
    import time

    started = time.monotonic()
    proc = subprocess.run(
        bs.cxplan_command("report", *args),
        capture_output=True,
        text=True,
        timeout=bs.BATCH_TIMEOUT_S,
    )
    return bs.BatchRun(out, proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started)


@pytest.mark.notebook
@pytest.mark.slow
def test_a_scaffolded_engagement_reports(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    init_engagement(folder)
    run = report(str(folder / "regions"), "--out", str(folder / "reports")).check()
    result: dict[str, Any] = run.result("acme")
    assert result["region"] == "Acme"
    assert result["currency"] == "USD"
    assert result["pilot"]["decision"] is None  # no pilot data yet: no readout, no demo verdict
    html = (folder / "reports" / "acme.html").read_text("utf-8")
    assert "Template with example values" in html  # the report says its figures are examples
    assert (folder / "reports" / "portfolio.html").is_file()


@pytest.mark.notebook
@pytest.mark.slow
def test_report_with_defaults_path_reaches_the_notebook_and_the_workbook(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    init_engagement(folder)
    elsewhere = tmp_path / "elsewhere" / "acme.yaml"
    elsewhere.parent.mkdir()
    shutil.copyfile(folder / "regions" / "acme.yaml", elsewhere)
    out = tmp_path / "reports"
    run = report(
        str(elsewhere),
        "--defaults",
        str(folder / "defaults.yaml"),
        "--out",
        str(out),
        "--no-portfolio",
        "--formats",
        "html,xlsx",
    ).check()
    assert run.result("acme")["region"] == "Acme"
    assert (out / "acme.xlsx").is_file()


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cxplan.app.scaffold as scaffold

    def full_disk(files: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(scaffold, "atomic_write_many", full_disk)
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (tmp_path / "new", empty):
        with pytest.raises(InputError, match=f"cannot write {folder}: No space left on device"):
            init_engagement(folder)
    assert not (tmp_path / "new").exists()
    assert list(empty.iterdir()) == []  # the folder it was given stays, empty
