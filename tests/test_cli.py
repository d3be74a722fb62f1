"""Tests for the cxplan command: exit codes, one-line messages, nothing written on bad input."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

import pytest

import cxplan.app.batch
from cxplan.app import cli
from cxplan.app.batch import BatchResult, Failure, RegionResult
from cxplan.config.yamlfile import load_yaml
from cxplan.errors import ParamsError, ReportError

REPO = Path(__file__).resolve().parent.parent

FIXTURES = Path(__file__).parent / "fixtures"
REGION_NB = FIXTURES / "region.ipynb"


def fake_load_params(path: Path) -> dict:
    """Stand-in for cxplan.config.params.load_params (the real schema is written elsewhere)."""
    data, locator = load_yaml(path)
    problems = []
    if "region" not in data:
        problems.append(f"{path}:{locator.line(())}: region: required field is missing")
    if not isinstance(data.get("volume", 0), int):
        problems.append(f"{path}:{locator.line(('volume',))}: volume: expected a whole number")
    if problems:
        raise ParamsError(problems)
    return data


@pytest.fixture
def params_module(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    module = types.ModuleType("cxplan.config.params")
    module.load_params = fake_load_params  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "cxplan.config.params", module)
    return module


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


# ---------------------------------------------------------------------------------- validate


def test_validate_ok_files_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], params_module: types.ModuleType
) -> None:
    a = write(tmp_path / "regions" / "a.yaml", "region: A\n")
    b = write(tmp_path / "regions" / "b.yaml", "region: B\nvolume: 3\n")
    code, out, err = run(capsys, "validate", str(tmp_path / "regions"))
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"ok: {a}", f"ok: {b}"]


def test_validate_invalid_files_exit_2_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], params_module: types.ModuleType
) -> None:
    good = write(tmp_path / "good.yaml", "region: A\n")
    bad = write(tmp_path / "bad.yaml", "# no region\nvolume: lots\n")
    broken = write(tmp_path / "broken.yaml", "region: [A\n")
    code, out, err = run(capsys, "validate", str(good), str(bad), str(broken))
    assert code == 2
    assert out.splitlines() == [f"ok: {good}"]
    lines = err.splitlines()
    assert lines[:2] == [
        f"{bad}:2: region: required field is missing",
        f"{bad}:2: volume: expected a whole number",
    ]
    assert len(lines) == 3 and lines[2].startswith(f"{broken}:2: yaml: ")


def test_validate_missing_path_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], params_module: types.ModuleType
) -> None:
    code, out, err = run(capsys, "validate", str(tmp_path / "nope.yaml"))
    assert (code, out) == (2, "")
    assert err == f"{tmp_path / 'nope.yaml'}: no such file or directory\n"


def test_validate_without_params_module_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "cxplan.config.params", None)  # import fails
    a = write(tmp_path / "a.yaml", "region: A\n")
    code, out, err = run(capsys, "validate", str(a))
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert "cxplan.config.params.load_params is not available" in err


# ------------------------------------------------------------------------------------ report


def test_report_invalid_params_exit_2_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], params_module: types.ModuleType
) -> None:
    write(tmp_path / "regions" / "a.yaml", "region: A\n")
    bad = write(tmp_path / "regions" / "b.yaml", "volume: x\n")
    out_dir = tmp_path / "reports"
    code, out, err = run(
        capsys, "report", str(tmp_path / "regions"), "--out", str(out_dir), "--notebook", "x"
    )
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{bad}:1: region: required field is missing",
        f"{bad}:1: volume: expected a whole number",
    ]
    assert not out_dir.exists()


def test_report_defaults_to_params_regions(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    params_module: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(capsys, "report")
    assert code == 2
    assert err == "params/regions: no such file or directory\n"
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize("out_name", ["a-file/reports", "a-file"])
def test_report_unwritable_out_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    params_module: types.ModuleType,
    out_name: str,
) -> None:
    write(tmp_path / "a-file", "a file, not a directory")
    a = write(tmp_path / "a.yaml", "region: A\n")
    code, _out, err = run(
        capsys, "report", str(a), "--out", str(tmp_path / out_name), "--notebook", str(REGION_NB)
    )
    assert code == 2
    assert len(err.splitlines()) == 1
    assert err.startswith("cxplan: ") and "output directory" in err


class FakeBatch:
    """Replaces run_batch: records its arguments, reports progress, returns a fixed result."""

    def __init__(self, result: BatchResult) -> None:
        self.result = result
        self.kwargs: dict = {}

    def __call__(self, params: list, out_dir: str, **kwargs: object) -> BatchResult:
        self.kwargs = {"params": params, "out_dir": out_dir, **kwargs}
        progress = kwargs["progress"]
        for index, region in enumerate(self.result.regions, start=1):
            progress(index, len(self.result.regions), region)  # type: ignore[operator]
        return self.result


def _results(tmp_path: Path, *, failed: bool) -> BatchResult:
    north = RegionResult("north-america", tmp_path / "na.yaml", "ok", 4.1)
    emea = RegionResult(
        "emea",
        tmp_path / "emea.yaml",
        "failed" if failed else "ok",
        1.25,
        failure=Failure("emea", "error", "ValueError: boom", 2) if failed else None,
    )
    portfolio = RegionResult(
        "portfolio", None, "ok", 2.0, html_path=tmp_path / "out" / "portfolio.html"
    )
    return BatchResult(tmp_path / "out", (north, emea), portfolio)


def test_report_success_exit_0_prints_progress_and_portfolio(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    params_module: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakeBatch(_results(tmp_path, failed=False))
    monkeypatch.setattr(cxplan.app.batch, "run_batch", fake)
    code, out, err = run(capsys, "report", "p/", "--out", "r/", "--workers", "3", "--timeout", "30")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "[1/2] north-america: ok (4.1 s)",
        "[2/2] emea: ok (1.2 s)",
        "portfolio: ok (2.0 s)",
        f"portfolio report: {tmp_path / 'out' / 'portfolio.html'}",
    ]
    assert fake.kwargs["params"] == ["p/"]
    assert fake.kwargs["out_dir"] == "r/"
    assert fake.kwargs["workers"] == 3
    assert fake.kwargs["timeout_s"] == 30.0
    assert fake.kwargs["dask_address"] is None
    assert fake.kwargs["validate"] is fake_load_params


def test_report_region_failure_exit_1_with_summary(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    params_module: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cxplan.app.batch, "run_batch", FakeBatch(_results(tmp_path, failed=True)))
    code, out, err = run(capsys, "report", "--dask", "tcp://scheduler:8786")
    assert code == 1
    assert "[2/2] emea: FAILED cell 2: ValueError: boom (1.2 s)" in out.splitlines()
    assert err.splitlines() == [
        "cxplan: 1 of 2 regions ok; failures:",
        "FAILED emea: cell 2: ValueError: boom",
    ]


@pytest.mark.parametrize(
    ("exc", "code", "message"),
    [
        (KeyboardInterrupt(), 130, "cxplan: interrupted; no partial report files were kept\n"),
        (ReportError("cannot write to output directory r: Read-only"), 2, None),
    ],
)
def test_report_interrupt_and_report_errors(
    capsys: pytest.CaptureFixture[str],
    params_module: types.ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    exc: BaseException,
    code: int,
    message: str | None,
) -> None:
    def boom(*args: object, **kwargs: object) -> BatchResult:
        raise exc

    monkeypatch.setattr(cxplan.app.batch, "run_batch", boom)
    got, _out, err = run(capsys, "report", "p")
    assert got == code
    assert err == (message or f"cxplan: {exc}\n")


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--workers", "0"],
        ["report", "--timeout", "-1"],
        ["report", "--timeout", "soon"],
        ["app", "--port", "70000"],
        ["frobnicate"],
        [],
    ],
)
def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2
    assert "usage: cxplan" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--help"], ["validate", "report", "app", "Exit codes"]),
        (["report", "--help"], ["--out", "--workers", "--dask", "--timeout", "params/regions/"]),
        (["validate", "--help"], ["file:line: field: problem"]),
        (["app", "--help"], ["127.0.0.1", "--port"]),
    ],
)
def test_help_texts(capsys: pytest.CaptureFixture[str], argv: list[str], expected: list) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert all(word in text for word in expected)


@pytest.mark.notebook
def test_report_end_to_end_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], params_module: types.ModuleType
) -> None:
    regions = tmp_path / "regions"
    write(regions / "a.yaml", "region: North America\nvolume: 2\n")
    write(regions / "b.yaml", "region: EMEA\nfail: true\n")
    out_dir = tmp_path / "reports"
    argv = ["report", str(regions), "--out", str(out_dir), "--notebook", str(REGION_NB)]
    code, out, err = run(capsys, *argv, "--no-portfolio")
    assert code == 1
    assert out.splitlines()[0].startswith("[1/2] north-america: ok (")
    assert out.splitlines()[1].startswith("[2/2] emea: FAILED cell 2: ValueError: region EMEA")
    assert err.splitlines()[-1] == "FAILED emea: cell 2: ValueError: region EMEA asked to fail"
    assert (out_dir / "north-america.html").exists()

    write(regions / "b.yaml", "region: EMEA\nvolume: 1\n")
    argv[1] = str(regions / "b.yaml")
    code, out, err = run(capsys, *argv, "--portfolio-notebook", str(FIXTURES / "portfolio.ipynb"))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == f"portfolio report: {out_dir.resolve() / 'portfolio.html'}"


# --------------------------------------------------------------------------------------- app


def test_app_serves_the_notebook_with_the_locked_down_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cxplan.app import server

    calls: list[tuple[Path, dict[str, object]]] = []
    monkeypatch.setattr(server, "serve", lambda nb, **kw: calls.append((nb, kw)))
    monkeypatch.chdir(REPO)  # the default PATH is ./params/regions/
    notebook = write(tmp_path / "planner.ipynb", "{}")
    argv = ["app", "--port", "8870", "--notebook", str(notebook), "--cull-idle-after", "30"]
    code, _, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    regions = (REPO / cli.DEFAULT_PARAMS).resolve()
    assert calls == [
        (
            notebook,
            {
                "port": 8870,
                "open_browser": True,
                "cull_idle_s": 30,
                "max_kernels": 8,
                "params_path": regions,  # the demo regions: the page lists them
                "preheat": 1,
            },
        )
    ]
    # a region file (or folder) and the pool size are passed on
    calls.clear()
    region = REPO / "params" / "regions" / "north-america.yaml"
    code, _, err = run(capsys, *argv, str(region), "--preheat", "0")
    assert (code, err) == (0, "")
    assert calls[0][1]["params_path"] == region.resolve()
    assert calls[0][1]["preheat"] == 0
    # the offline template is served from cxplan's share folder on the Jupyter path
    share = Path(server.__file__).resolve().parent / "_share"
    env = server.voila_environment({"JUPYTER_PATH": "/elsewhere"})
    assert env["JUPYTER_PATH"].split(os.pathsep) == [str(share), "/elsewhere"]
    assert (share / "voila" / "templates" / server.VOILA_TEMPLATE / "index.html.j2").is_file()
    assert server.LOOPBACK == "127.0.0.1"


def test_app_default_port_and_missing_notebook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cxplan.app import server

    monkeypatch.setattr(server, "serve", lambda *a, **k: pytest.fail("must not serve"))
    code, out, err = run(capsys, "app", "--notebook", str(tmp_path / "missing.ipynb"))
    assert (code, out) == (2, "")
    assert err == f"cxplan: planner notebook not found: {tmp_path / 'missing.ipynb'}\n"
    assert cli.build_parser().parse_args(["app"]).port == 8866
    # a region path that is not there: one line, exit 2, no server
    notebook = write(tmp_path / "planner.ipynb", "{}")
    code, out, err = run(capsys, "app", "--notebook", str(notebook), str(tmp_path / "nowhere"))
    assert (code, out) == (2, "")
    assert err == f"cxplan: no region file or folder at {tmp_path / 'nowhere'}\n"
    code, out, err = run(capsys, "app", "--notebook", str(notebook), str(tmp_path))
    assert (code, out) == (2, "")
    assert err == f"cxplan: {tmp_path} holds no region files (*.yaml)\n"
