"""Tests for cxplan.app.batch: validation first, atomic outputs, failure isolation, parallel runs.

The notebook tests execute the tiny fixture notebooks in tests/fixtures/ (they import only the
standard library and IPython.display): ``region.ipynb`` reads a flat ``key: value`` parameter file
and, depending on it, raises in cell 2 (``fail: true``), kills its kernel in cell 2
(``crash: true``), sleeps in cell 3 (``sleep_s``), or skips writing its result (``no_result``);
cell 5 writes the results JSON and displays an inline SVG. ``portfolio.ipynb`` sums the results.
"""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest

from cxplan.app.batch import (
    BatchResult,
    Failure,
    RegionResult,
    RegionTask,
    atomic_write,
    expand_params_paths,
    export_html,
    external_references,
    region_slug,
    run_batch,
    run_region,
)
from cxplan.config.yamlfile import load_yaml
from cxplan.errors import CxplanError, InputError, ParamsError, ReportError

FIXTURES = Path(__file__).parent / "fixtures"
REGION_NB = FIXTURES / "region.ipynb"
PORTFOLIO_NB = FIXTURES / "portfolio.ipynb"
CDN_WORDS = ("require.js", "requirejs", "mathjax", "jsdelivr", "unpkg", "cdnjs")


def validate(path: Path) -> dict:
    """A stand-in for cxplan.config.params.load_params: YAML mapping with a 'region' name."""
    data, locator = load_yaml(path)
    if not isinstance(data, dict) or "region" not in data:
        raise ParamsError(f"{path}:{locator.line(())}: region: required field is missing")
    if not isinstance(data.get("volume", 0), int):
        raise ParamsError(f"{path}:{locator.line(('volume',))}: volume: expected a whole number")
    return data


def region_file(directory: Path, stem: str, **values: object) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stem}.yaml"
    lines = [
        f"{key}: {str(value).lower() if isinstance(value, bool) else value}"
        for key, value in values.items()
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def visible_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def embedded_svgs(html: str) -> list[str]:
    """SVG charts embedded as data: URIs (nbconvert's lab template renders SVG as <img>)."""
    found = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    return [base64.b64decode(payload).decode("utf-8") for payload in found]


def only_namespace_urls(html: str) -> bool:
    urls = re.findall(r"https?://[^\s\"'<>)]+", html)
    return all(url.startswith("http://www.w3.org/") for url in urls)


# ------------------------------------------------------------------------- fast, no kernel


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("North America", "north-america"),
        ("EMEA", "emea"),
        ("apac_south", "apac-south"),
        # accents are transliterated and other punctuation becomes "-": slugs are plain ASCII
        ("Zürich", "zurich"),
        ("Asia & Pacific", "asia-pacific"),
        ("Côte d'Ivoire", "cote-d-ivoire"),
        ("c:x", "c-x"),
        ("v1.2", "v1.2"),
    ],
)
def test_region_slug_accepts_safe_names(name: str, slug: str) -> None:
    assert region_slug(name) == slug


@pytest.mark.parametrize(
    "name",
    ["../evil", "a/b", "a\\b", "/etc/passwd", "", "   ", ".hidden", "..", "x..y", "portfolio"],
)
def test_region_slug_rejects_names_that_could_escape(name: str) -> None:
    with pytest.raises(ReportError):
        region_slug(name)


@pytest.mark.parametrize("name", ["../../outside", "/tmp/abs", "sub/dir", "..", ""])
def test_unsafe_slug_is_rejected_before_anything_runs(tmp_path: Path, name: str) -> None:
    params = region_file(tmp_path / "params", "x", region=f'"{name}"')
    out = tmp_path / "out"
    with pytest.raises(ReportError, match="safe file name"):
        run_batch([params], out, notebook=REGION_NB, validate=validate)
    assert not out.exists()


def test_duplicate_slugs_are_rejected(tmp_path: Path) -> None:
    a = region_file(tmp_path / "p", "a", region="North")
    b = region_file(tmp_path / "p", "b", region="north")
    out = tmp_path / "out"
    with pytest.raises(ReportError, match="also produced by"):
        run_batch([a, b], out, notebook=REGION_NB, validate=validate)
    assert not out.exists()


def test_invalid_params_raise_all_problems_and_write_nothing(tmp_path: Path) -> None:
    good = region_file(tmp_path / "p", "good", region="North")
    missing = region_file(tmp_path / "p", "missing", volume=3)
    wrong = region_file(tmp_path / "p", "wrong", region="South", volume="lots")
    out = tmp_path / "out"
    with pytest.raises(ParamsError) as info:
        run_batch([good, missing, wrong], out, notebook=REGION_NB, validate=validate)
    assert info.value.problems == [
        f"{missing}:1: region: required field is missing",
        f"{wrong}:2: volume: expected a whole number",
    ]
    assert not out.exists()


def test_default_validator_needs_cxplan_params(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "cxplan.config.params", None)  # import fails
    params = region_file(tmp_path, "a", region="A")
    with pytest.raises(CxplanError, match=r"cxplan\.config\.params\.load_params is not available"):
        run_batch([params], tmp_path / "out", notebook=REGION_NB)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("relative_out", ["a-file/reports", "a-file"])
def test_unwritable_out_dir_is_a_report_error(tmp_path: Path, relative_out: str) -> None:
    (tmp_path / "a-file").write_text("not a directory")
    params = region_file(tmp_path / "p", "a", region="A")
    with pytest.raises(ReportError, match="output directory"):
        run_batch([params], tmp_path / relative_out, notebook=REGION_NB, validate=validate)


def test_missing_notebooks_are_report_errors(tmp_path: Path) -> None:
    params = region_file(tmp_path / "p", "a", region="A")
    with pytest.raises(ReportError, match="region notebook not found"):
        run_batch([params], tmp_path / "o", notebook=tmp_path / "no.ipynb", validate=validate)
    with pytest.raises(ReportError, match="portfolio notebook not found"):
        run_batch(
            [params],
            tmp_path / "o",
            notebook=REGION_NB,
            portfolio_notebook=tmp_path / "none.ipynb",
            validate=validate,
        )
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"workers": 0}, "workers"),
        ({"workers": 1.5}, "workers"),
        ({"timeout_s": 0}, "timeout_s"),
        ({"timeout_s": -3}, "timeout_s"),
    ],
)
def test_bad_arguments_are_input_errors(tmp_path: Path, kwargs: dict, match: str) -> None:
    with pytest.raises(InputError, match=match):
        run_batch([tmp_path], tmp_path / "o", validate=validate, **kwargs)


def test_expand_params_paths(tmp_path: Path) -> None:
    regions = tmp_path / "regions"
    b = region_file(regions, "b", region="B")
    a = regions / "a.yml"
    a.write_text("region: A\n")
    (regions / "notes.txt").write_text("not yaml")
    extra = region_file(tmp_path, "extra", region="X")
    assert expand_params_paths([regions, extra, b]) == [a, b, extra]
    (tmp_path / "empty").mkdir()
    with pytest.raises(ParamsError) as info:
        expand_params_paths([tmp_path / "empty", tmp_path / "nope.yaml"])
    assert info.value.problems == [
        f"{tmp_path / 'empty'}: no *.yaml files in this directory",
        f"{tmp_path / 'nope.yaml'}: no such file or directory",
    ]


def test_atomic_write_creates_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    atomic_write(target, "first")
    assert target.read_text() == "first"
    assert target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o600)
    atomic_write(target, b"second")
    assert target.read_bytes() == b"second"
    assert target.stat().st_mode & 0o777 == 0o600  # an existing file keeps its mode
    assert visible_files(tmp_path) == ["r.html"]


@pytest.mark.parametrize("error", [KeyboardInterrupt, OSError])
def test_atomic_write_interrupted_keeps_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type[BaseException]
) -> None:
    target = tmp_path / "r.json"
    target.write_text('{"good": true}')

    def boom(src: str, dst: str) -> None:
        raise error("interrupted")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(error):
        atomic_write(target, '{"half": ')
    assert target.read_text() == '{"good": true}'
    assert visible_files(tmp_path) == ["r.json"]


def _report_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("secret_code = 42\nprint('hello')")
    code.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="visible text\n"),
        nbformat.v4.new_output("stream", name="stderr", text="DeprecationWarning: noise\n"),
        nbformat.v4.new_output(
            "display_data",
            data={
                "image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg"><rect width="7"/></svg>',
                "text/plain": "<chart>",
            },
        ),
    ]
    hidden = nbformat.v4.new_code_cell("print('hidden')")
    hidden.metadata["tags"] = ["remove-cell"]
    hidden.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hidden output\n")]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title with $x^2$"), code, hidden]
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {
            "state": {},
            "version_major": 2,
            "version_minor": 0,
        }
    }
    return nb


def test_export_html_has_no_inputs_and_no_network_references() -> None:
    html = export_html(_report_notebook(), "north")
    assert "visible text" in html
    assert embedded_svgs(html) == [
        '<svg xmlns="http://www.w3.org/2000/svg"><rect width="7"/></svg>'
    ]
    assert "secret_code" not in html  # inputs excluded
    assert "hidden output" not in html
    assert "DeprecationWarning" not in html
    assert external_references(html) == []
    assert only_namespace_urls(html)
    assert not any(word in html.lower() for word in CDN_WORDS)
    assert "<title>north</title>" in html


def test_export_html_refuses_a_network_image() -> None:
    nb = _report_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("![logo](https://example.com/logo.png)"))
    with pytest.raises(ReportError, match="network"):
        export_html(nb, "x")


@pytest.mark.parametrize(
    ("html", "count"),
    [
        ('<script src="https://cdn.jsdelivr.net/x.js"></script>', 1),
        ("<script src='//unpkg.com/x.js'></script>", 1),
        ('<link rel="stylesheet" href="http://cdnjs.com/a.css">', 1),
        ('<img alt="x" src="https://example.com/a.png">', 1),
        ("<style>@import url(https://fonts.example/a.css);</style>", 1),
        ('<script src="data:text/javascript,1"></script>', 0),
        ('<svg xmlns="http://www.w3.org/2000/svg"></svg>', 0),
        ('<a href="https://example.com">a link is not a loaded resource</a>', 0),
        # altair's default HTML renderer: require.js paths inside an inline script
        (
            '<script type="text/javascript">requirejs.config({paths: '
            '{"vega": "https://cdn.jsdelivr.net/npm/vega@5?noext"}});</script>',
            1,
        ),
        ("<script>fetch('//api.example.com/data')</script>", 1),
        ("<script>var a = 1; // no URL here\n</script>", 0),
        ("<p>loaded from unpkg.com</p>", 1),
    ],
)
def test_external_references_table(html: str, count: int) -> None:
    assert len(external_references(html)) == count


@pytest.mark.parametrize(
    ("failure", "text"),
    [
        (Failure("emea", "error", "ValueError: boom", 2), "emea: cell 2: ValueError: boom"),
        (
            Failure("apac", "timeout", "no reply within 2 s", 3),
            "apac: timeout in cell 3: no reply within 2 s",
        ),
        (Failure("x", "dead-kernel", "Kernel died", 1), "x: kernel died in cell 1: Kernel died"),
        (Failure("y", "no-result", "the notebook did not write result_path"), "y: the notebook"),
    ],
)
def test_failure_text(failure: Failure, text: str) -> None:
    assert str(failure).startswith(text)


def test_batch_result_exit_code_and_summary(tmp_path: Path) -> None:
    ok = RegionResult("north", tmp_path / "n.yaml", "ok", 1.0)
    bad = RegionResult(
        "emea", tmp_path / "e.yaml", "failed", 0.5, failure=Failure("emea", "error", "E: x", 2)
    )
    assert BatchResult(tmp_path, (ok,)).exit_code == 0
    result = BatchResult(tmp_path, (ok, bad))
    assert result.exit_code == 1
    assert result.summary().splitlines() == ["1 of 2 regions ok", "FAILED emea: cell 2: E: x"]


def test_run_region_reports_an_unusable_out_dir_as_a_failure(tmp_path: Path) -> None:
    task = RegionTask("a", str(tmp_path / "a.yaml"), str(REGION_NB), str(tmp_path / "gone"))
    result = run_region(task)
    assert result.status == "failed"
    assert result.failure is not None and result.failure.kind == "internal"
    assert "cannot create a work directory" in result.failure.error


# ------------------------------------------------------------------- notebook execution


@pytest.mark.notebook
def test_success_outputs_are_offline_atomic_and_deterministic(tmp_path: Path) -> None:
    params = tmp_path / "params"
    region_file(params, "na", region="North America", volume=40)
    region_file(params, "emea", region="EMEA", volume=70)
    out = tmp_path / "reports"
    seen: list[tuple[int, int, str, str]] = []

    def run() -> BatchResult:
        return run_batch(
            [params],
            out,
            notebook=REGION_NB,
            portfolio_notebook=PORTFOLIO_NB,
            validate=validate,
            progress=lambda done, total, r: seen.append((done, total, r.region, r.status)),
        )

    first = run()
    assert first.exit_code == 0
    assert [r.region for r in first.regions] == ["emea", "north-america"]  # file order
    assert seen == [(1, 2, "emea", "ok"), (2, 2, "north-america", "ok")]  # sequential: in order
    assert visible_files(out) == [
        "emea.html",
        "emea.ipynb",
        "emea.json",
        "north-america.html",
        "north-america.ipynb",
        "north-america.json",
        "portfolio.html",
        "portfolio.ipynb",
        "portfolio.json",
    ]  # and no temporary or work files
    assert json.loads((out / "north-america.json").read_text()) == {
        "region": "North America",
        "volume": 40,
        "cost": 100.0,
    }
    assert json.loads((out / "portfolio.json").read_text()) == {
        "regions": ["EMEA", "North America"],
        "cost": 275.0,
    }
    html = (out / "north-america.html").read_text(encoding="utf-8")
    assert '<rect width="40"' in embedded_svgs(html)[0]  # the SVG chart, embedded
    assert "North America: volume 40" in html
    assert "params_path" not in html and "import json" not in html  # no input cells
    assert external_references(html) == []
    assert only_namespace_urls(html)
    assert not any(word in html.lower() for word in CDN_WORDS)

    executed = nbformat.read(out / "north-america.ipynb", as_version=4)
    assert "start_time" not in json.dumps(executed.metadata)
    assert all("start_time" not in json.dumps(c.metadata) for c in executed.cells)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert str(out.resolve() / "north-america.json") in injected[0].source  # not a temp path

    snapshot = {p.name: p.read_bytes() for p in out.iterdir()}
    second = run()
    assert second.exit_code == 0
    for name in snapshot:
        if name.endswith((".json", ".html", ".ipynb")):
            assert (out / name).read_bytes() == snapshot[name], name


@pytest.mark.notebook
def test_failing_regions_do_not_stop_others_and_keep_previous_reports(tmp_path: Path) -> None:
    params = tmp_path / "params"
    out = tmp_path / "out"
    region_file(params, "b", region="B", volume=2)
    first = run_batch(
        [params], out, notebook=REGION_NB, portfolio_notebook=False, validate=validate
    )
    assert first.exit_code == 0
    good_html = (out / "b.html").read_bytes()
    good_json = (out / "b.json").read_bytes()

    region_file(params, "a", region="A", volume=1)
    region_file(params, "b", region="B", volume=2, fail=True)
    region_file(params, "c", region="C", volume=3, sleep_s=60)
    region_file(params, "d", region="D", crash=True)
    region_file(params, "e", region="E", no_result=True)
    second = run_batch(
        [params], out, notebook=REGION_NB, portfolio_notebook=False, validate=validate, timeout_s=2
    )
    assert second.exit_code == 1
    status = {r.region: r.status for r in second.regions}
    assert status == {"a": "ok", "b": "failed", "c": "failed", "d": "failed", "e": "failed"}
    failures = {f.region: f for f in second.failures}
    assert failures["b"] == Failure("b", "error", "ValueError: region B asked to fail", 2)
    assert failures["c"] == Failure("c", "timeout", "no reply within 2 s", 3)
    assert (failures["d"].kind, failures["d"].cell) == ("dead-kernel", 2)
    assert failures["e"].kind == "no-result"
    assert "FAILED b: cell 2: ValueError: region B asked to fail" in second.summary()
    assert "FAILED c: timeout in cell 3: no reply within 2 s" in second.summary()

    # the previous good report survives the failed rerun, byte for byte
    assert (out / "b.html").read_bytes() == good_html
    assert (out / "b.json").read_bytes() == good_json
    failed_b = nbformat.read(out / "b.failed.ipynb", as_version=4)
    assert any("papermill-error-cell-tag" in c.metadata.get("tags", []) for c in failed_b.cells)
    failed_c = nbformat.read(out / "c.failed.ipynb", as_version=4)
    assert "timeout in cell 3" in failed_c.cells[0].source
    assert not (out / "c.html").exists() and not (out / "e.json").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]

    # a successful rerun replaces the report and removes the stale failed notebook
    region_file(params, "b", region="B", volume=5)
    third = run_batch(
        [params / "b.yaml"], out, notebook=REGION_NB, portfolio_notebook=False, validate=validate
    )
    assert third.exit_code == 0
    assert not (out / "b.failed.ipynb").exists()
    assert json.loads((out / "b.json").read_text())["volume"] == 5


@pytest.mark.notebook
def test_workers_run_regions_in_parallel_processes(tmp_path: Path) -> None:
    params = tmp_path / "params"
    region_file(params, "a", region="A", volume=1)
    region_file(params, "b", region="B", volume=2)
    region_file(params, "c", region="C", fail=True)
    seen: list[int] = []
    result = run_batch(
        [params],
        tmp_path / "out",
        notebook=REGION_NB,
        portfolio_notebook=False,
        workers=2,
        validate=validate,
        progress=lambda done, total, r: seen.append(done),
    )
    assert sorted(seen) == [1, 2, 3]
    assert [r.status for r in result.regions] == ["ok", "ok", "failed"]  # in file order
    assert result.failures == [Failure("c", "error", "ValueError: region C asked to fail", 2)]
    assert json.loads((tmp_path / "out" / "b.json").read_text())["cost"] == 5.0
    assert visible_files(tmp_path / "out") == [
        "a.html",
        "a.ipynb",
        "a.json",
        "b.html",
        "b.ipynb",
        "b.json",
        "c.failed.ipynb",
    ]


@pytest.mark.notebook
@pytest.mark.slow
def test_dask_local_cluster(tmp_path: Path) -> None:
    from distributed import LocalCluster

    params = tmp_path / "params"
    region_file(params, "a", region="A", volume=4)
    region_file(params, "b", region="B", fail=True)
    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        result = run_batch(
            [params],
            tmp_path / "out",
            notebook=REGION_NB,
            portfolio_notebook=False,
            dask_address=cluster.scheduler_address,
            validate=validate,
        )
    assert [r.status for r in result.regions] == ["ok", "failed"]
    assert result.failures == [Failure("b", "error", "ValueError: region B asked to fail", 2)]
    assert json.loads((tmp_path / "out" / "a.json").read_text())["cost"] == 10.0


def test_unreachable_dask_scheduler_is_a_report_error(tmp_path: Path) -> None:
    import dask

    params = region_file(tmp_path / "p", "a", region="A")
    with (
        dask.config.set({"distributed.comm.timeouts.connect": "0.5s"}),
        pytest.raises(ReportError, match="dask scheduler"),
    ):
        run_batch(
            [params],
            tmp_path / "out",
            notebook=REGION_NB,
            dask_address="tcp://127.0.0.1:9",
            validate=validate,
        )
    assert not (tmp_path / "out").exists()


_CLI_DRIVER = textwrap.dedent(
    """
    import sys, types
    from cxplan.config.yamlfile import load_yaml
    stub = types.ModuleType("cxplan.config.params")
    stub.load_params = lambda path: load_yaml(path)[0]
    sys.modules["cxplan.config.params"] = stub
    from cxplan.app.cli import main
    if __name__ == "__main__":
        sys.exit(main(sys.argv[1:]))
    """
)


@pytest.mark.notebook
@pytest.mark.slow
def test_sigint_leaves_no_partial_files_and_a_rerun_completes(tmp_path: Path) -> None:
    driver = tmp_path / "driver.py"
    driver.write_text(_CLI_DRIVER)
    params = tmp_path / "params"
    region_file(params, "a", region="A", volume=1, sleep_s=60)
    out = tmp_path / "out"
    command = [sys.executable, str(driver), "report", str(params), "--out", str(out)]
    command += ["--notebook", str(REGION_NB), "--no-portfolio"]
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(out.glob(".cxplan-a-*/executed.ipynb")):
            time.sleep(0.1)
        assert list(out.glob(".cxplan-a-*/executed.ipynb")), "the region never started"
        time.sleep(1.0)  # now inside the sleeping cell
        os.killpg(proc.pid, signal.SIGINT)  # like Ctrl-C in a terminal: the whole group
        _stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert "interrupted" in stderr
    assert "Traceback" not in stderr
    assert visible_files(out) == []  # no report, no temp file, no work directory

    region_file(params, "a", region="A", volume=1)
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert "[1/1] a: ok" in rerun.stdout
    assert visible_files(out) == ["a.html", "a.ipynb", "a.json"]


@pytest.mark.notebook
def test_kernels_use_ipc_transport_in_a_private_directory(tmp_path: Path) -> None:
    # The fix for the ZMQ port race (papermill #511): no TCP ports are picked at all.
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.metadata["language_info"] = {"name": "python"}
    params = nbformat.v4.new_code_cell('params_path = ""\nresult_path = ""')
    params.metadata["tags"] = ["parameters"]
    probe = nbformat.v4.new_code_cell(
        "import json, pathlib\n"
        "from ipykernel import get_connection_info\n"
        "info = get_connection_info(unpack=True)\n"
        "pathlib.Path(result_path).write_text(json.dumps(\n"
        "    {'transport': info['transport'], 'ip': info['ip']}))"
    )
    nb.cells = [params, probe]
    notebook = tmp_path / "probe.ipynb"
    nbformat.write(nb, notebook)
    out = tmp_path / "out"
    out.mkdir()
    result = run_region(
        RegionTask(
            slug="probe",
            params_path=str(tmp_path / "unused.yaml"),
            notebook=str(notebook),
            out_dir=str(out),
            timeout_s=60,
        )
    )
    assert result.ok, result.failure
    info = json.loads((out / "probe.json").read_text())
    assert info["transport"] == "ipc"
    assert Path(info["ip"]).name == "kernel-ipc"
    assert not Path(info["ip"]).parent.exists()  # the private directory was removed
