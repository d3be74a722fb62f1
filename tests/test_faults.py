"""Batch faults not covered by test_batch.py / test_cli.py, driven through the ``cxplan`` command.

Already covered there (not repeated here): an output path that is a file, invalid parameters, a
failing/timing-out/crashing fixture region, ``atomic_write`` interrupted by ``os.replace``,
Ctrl-C of a one-worker run, determinism of the fixture notebooks.

Added here:

* an output directory that exists but refuses writes, or cannot be created (``EACCES``): exit 2,
  one clear line, nothing written, nothing run -- with real permission bits when the tests run
  as an ordinary user, and with the same ``PermissionError`` injected at the system-call layer
  (``os.open``/``os.mkdir``/...) when they run as root (root ignores permission bits);
* the disk filling up (``ENOSPC``) half-way through writing a report file: the region fails with
  a clear message, the others complete, no half-written file is left, the previous report set
  survives;
* the real region notebook raising for a valid parameter file (its pilot readout made to raise
  in the kernel, as a data file changed after validation would): the other region and the
  portfolio complete, exit 1, the summary names region, cell and error;
* Ctrl-C of a ``--workers 2`` run of the real demo regions: exit 130, nothing written, no kernel
  left running; the rerun completes and its reports are byte-identical to the session's batch;
* SIGTERM (a CI time limit) during ``cxplan report``: exit 130, nothing written;
* two runs of the real demo batch give byte-identical results, HTML reports and notebooks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import browser_support as bs
import nbformat
import pytest
import yaml

from cxplan.app import cli
from cxplan.config.yamlfile import load_yaml

FIXTURES = Path(__file__).parent / "fixtures"
REGION_NB = FIXTURES / "region.ipynb"
REAL_REGION_NB = bs.REPO / "notebooks" / "region_report.ipynb"


def listing(directory: Path) -> list[str]:
    """Every entry of a directory, hidden ones included, sorted."""
    return sorted(p.name for p in directory.iterdir())


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


# ------------------------------------------------------------------ read-only output folder


def _denied(path: str) -> PermissionError:
    return PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)


@contextlib.contextmanager
def read_only(directory: Path) -> Iterator[str]:
    """Make ``directory`` refuse new entries for this process; yields how ("chmod"/"injected").

    ``chmod 0o555`` is used when it is enforced (an ordinary user). Root bypasses permission
    bits, so then the kernel's answer for such a directory -- ``PermissionError(EACCES)`` -- is
    raised by the system-call wrappers that create, rename or remove an entry in it.
    """
    target = directory.resolve()
    directory.chmod(0o555)
    monkeypatch = pytest.MonkeyPatch()
    try:
        probe = directory / ".cxplan-permission-probe"
        try:
            probe.touch()
        except PermissionError:
            how = "chmod"
        else:
            probe.unlink()
            how = "injected"

            def inside(path: Any) -> bool:
                return Path(os.path.abspath(os.fspath(path))).parent == target

            real_open, real_mkdir = os.open, os.mkdir
            real_replace, real_rename, real_unlink = os.replace, os.rename, os.unlink

            def fake_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
                if flags & os.O_CREAT and inside(path) and not os.path.exists(path):
                    raise _denied(os.fspath(path))
                return real_open(path, flags, *args, **kwargs)

            def fake_mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
                if inside(path):
                    raise _denied(os.fspath(path))
                real_mkdir(path, *args, **kwargs)

            def fake_move(real: Any) -> Any:
                def move(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
                    if inside(src) or inside(dst):
                        raise _denied(os.fspath(dst))
                    real(src, dst, *args, **kwargs)

                return move

            def fake_unlink(path: Any, *args: Any, **kwargs: Any) -> None:
                if inside(path):
                    raise _denied(os.fspath(path))
                real_unlink(path, *args, **kwargs)

            monkeypatch.setattr(os, "open", fake_open)
            monkeypatch.setattr(os, "mkdir", fake_mkdir)
            monkeypatch.setattr(os, "replace", fake_move(real_replace))
            monkeypatch.setattr(os, "rename", fake_move(real_rename))
            monkeypatch.setattr(os, "unlink", fake_unlink)
            monkeypatch.setattr(os, "remove", fake_unlink)
        yield how
    finally:
        monkeypatch.undo()
        directory.chmod(0o755)


def test_read_only_helper_refuses_like_the_kernel(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "kept.txt").write_text("old")
    with read_only(folder) as how:
        assert how in ("chmod", "injected")
        with pytest.raises(PermissionError):
            tempfile.mkstemp(dir=folder)
        with pytest.raises(PermissionError):
            (folder / "sub").mkdir()
        assert (folder / "kept.txt").read_text() == "old"  # reading still works
    assert listing(folder) == ["kept.txt"]


def test_report_into_a_read_only_directory_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    (out / "north-america.html").write_bytes(b"<p>previous report</p>")
    with read_only(out):
        code, stdout, err = run_cli(capsys, "report", str(bs.DEMO_PARAMS), "--out", str(out))
    assert (code, stdout) == (2, "")
    assert err == f"cxplan: cannot write to output directory {out}: Permission denied\n"
    assert listing(out) == ["north-america.html"]
    assert (out / "north-america.html").read_bytes() == b"<p>previous report</p>"


def test_report_whose_output_directory_cannot_be_created_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parent = tmp_path / "shared"
    parent.mkdir()
    out = parent / "reports"
    with read_only(parent):
        code, stdout, err = run_cli(capsys, "report", str(bs.DEMO_PARAMS), "--out", str(out))
    assert (code, stdout) == (2, "")
    assert err == f"cxplan: cannot create output directory {out}: Permission denied\n"
    assert listing(parent) == []


# --------------------------------------------------------------------------- disk full


@pytest.fixture
def fixture_params(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """Stand-in ``cxplan.config.params``: the fixture notebook reads flat ``key: value`` files."""
    module = types.ModuleType("cxplan.config.params")
    module.load_params = lambda path: load_yaml(path)[0]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "cxplan.config.params", module)
    return module


def region_file(directory: Path, stem: str, **values: object) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stem}.yaml"
    path.write_text("".join(f"{key}: {value}\n" for key, value in values.items()))
    return path


class FullDisk:
    """Make writes of one output file fail like a full disk, half-way through the data.

    ``atomic_write`` creates ``.<name>.<random>.tmp`` with ``tempfile.mkstemp`` and writes it
    through ``os.fdopen``; for the chosen file, the first half of the data really reaches the
    disk, then ``OSError(ENOSPC)`` is raised (``error="ENOSPC"``). With ``error="EACCES"``
    the temporary file cannot even be created (the folder turned read-only mid-run).
    """

    def __init__(self, target: Path, error: str) -> None:
        self.target = target
        self.error = error
        self.temp_paths: list[Path] = []
        self.half_written: list[int] = []
        self._fds: dict[int, Path] = {}
        real_mkstemp, real_fdopen = tempfile.mkstemp, os.fdopen
        prefix = f".{target.name}."

        def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
            is_target = (
                kwargs.get("prefix") == prefix
                and Path(str(kwargs.get("dir"))).resolve() == target.parent.resolve()
            )
            if is_target and error == "EACCES":
                raise _denied(str(target.parent / f"{prefix}x.tmp"))
            fd, path = real_mkstemp(*args, **kwargs)
            if is_target:
                self._fds[fd] = Path(path)
            return fd, path

        def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
            handle = real_fdopen(fd, *args, **kwargs)
            path = self._fds.pop(fd, None)  # fd numbers are reused once closed
            if path is None:
                return handle
            disk = self

            class Full:
                def __enter__(self) -> Full:
                    return self

                def __exit__(self, *exc: object) -> None:
                    handle.close()

                def write(self, data: bytes) -> int:
                    half = len(data) // 2
                    handle.write(data[:half])
                    handle.flush()
                    disk.temp_paths.append(path)
                    disk.half_written.append(path.stat().st_size)
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

                def __getattr__(self, name: str) -> Any:
                    return getattr(handle, name)

            return Full()

        self._patch = pytest.MonkeyPatch()
        self._patch.setattr(tempfile, "mkstemp", mkstemp)
        self._patch.setattr(os, "fdopen", fdopen)

    def __enter__(self) -> FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self._patch.undo()


@pytest.mark.notebook
@pytest.mark.parametrize(
    ("failing", "error"),
    [
        ("a.json", "ENOSPC"),
        ("a.ipynb", "ENOSPC"),
        ("a.html", "ENOSPC"),
        ("a.html", "EACCES"),
    ],
)
def test_write_failure_mid_report_keeps_the_previous_report_set(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fixture_params: types.ModuleType,
    failing: str,
    error: str,
) -> None:
    params, out = tmp_path / "params", tmp_path / "reports"
    region_file(params, "a", region="A", volume=2)
    region_file(params, "b", region="B", volume=3)
    argv = ["report", str(params), "--out", str(out), "--notebook", str(REGION_NB)]
    code, _, _ = run_cli(capsys, *argv, "--no-portfolio")
    assert code == 0
    previous = {name: (out / name).read_bytes() for name in ("a.json", "a.ipynb", "a.html")}

    region_file(params, "a", region="A", volume=5)  # the rerun would change A's report
    with FullDisk(out / failing, error) as disk:
        code, stdout, err = run_cli(capsys, *argv, "--no-portfolio")

    assert code == 1
    message = "No space left on device" if error == "ENOSPC" else "Permission denied"
    assert any(line.startswith("FAILED a: ") and message in line for line in err.splitlines()), err
    assert "b: ok" in stdout  # the other region completed
    assert json.loads((out / "b.json").read_text())["volume"] == 3
    if error == "ENOSPC":  # half the file really reached the disk before the error...
        assert disk.half_written and disk.half_written[0] > 0
        assert not any(path.exists() for path in disk.temp_paths)  # ...and was removed
    assert listing(out) == [
        "a.failed.ipynb",
        "a.html",
        "a.ipynb",
        "a.json",
        "b.html",
        "b.ipynb",
        "b.json",
    ]  # no temporary file, no work directory
    for name, content in previous.items():
        assert (out / name).read_bytes() == content, f"{name} changed although the run failed"


# ------------------------------------------------------------ the real notebook raising


def demo_copy(root: Path, regions: dict[str, dict[str, Any]]) -> Path:
    """A params tree like the repository's (real defaults and pilot data), with ``regions``."""
    shutil.copytree(bs.REPO / "params" / "pilot", root / "pilot")
    shutil.copyfile(bs.REPO / "params" / "defaults.yaml", root / "defaults.yaml")
    (root / "regions").mkdir()
    for stem, data in regions.items():
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        (root / "regions" / f"{stem}.yaml").write_text(text, encoding="utf-8")
    return root / "regions"


def quick(data: dict[str, Any]) -> dict[str, Any]:
    """A demo region made cheap to run: 4 weeks, 200 Monte Carlo draws."""
    data = json.loads(json.dumps(data))
    data.setdefault("forecast", {})["horizon_weeks"] = 4
    data.setdefault("finance", {})["monte_carlo_draws"] = 200
    return data


# IPython runs the startup files of IPYTHONDIR's profile in every kernel: this one makes the
# pilot readout of the region "Broken Pilot" raise, as a file changed after validation would
# (`validate` reads the pilot data itself, so no valid parameter file fails this way).
_BROKEN_PILOT_STARTUP = textwrap.dedent(
    """
    import inspect

    from cxplan.errors import InputError
    from cxplan.model import RegionModel

    _readout = inspect.getattr_static(RegionModel, "pilot_readout").func  # from a base class

    def _broken(self):
        if self.params.region.name == "Broken Pilot":
            raise InputError("pilot.data_csv: the pilot file changed since validation")
        return _readout(self)

    RegionModel.pilot_readout = property(_broken)
    """
)


@pytest.mark.notebook
@pytest.mark.slow
def test_real_region_notebook_raising_fails_only_that_region(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    north, _ = load_yaml(bs.DEMO_PARAMS / "north-america.yaml")
    broken = quick(north)
    broken["region"]["name"] = "Broken Pilot"
    regions = demo_copy(tmp_path / "params", {"north-america": quick(north), "broken": broken})
    out = tmp_path / "reports"
    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-broken-pilot.py").write_text(_BROKEN_PILOT_STARTUP, encoding="utf-8")
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))  # inherited by the kernels

    check = subprocess.run(
        bs.cxplan_command("validate", str(regions)), capture_output=True, text=True, timeout=120
    )
    assert check.returncode == 0, check.stderr  # the file is valid: only running it fails

    run = bs.run_report(out, params=regions)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert lines[0] == "cxplan: 1 of 2 regions ok; failures:"
    assert len(lines) == 2, run.stderr
    prefix = "FAILED broken-pilot: cell "
    assert lines[1].startswith(prefix), lines[1]
    cell_text, error = lines[1].removeprefix(prefix).split(": ", 1)
    assert error == "InputError: pilot.data_csv: the pilot file changed since validation"
    source = nbformat.read(REAL_REGION_NB, as_version=4)
    cell = source.cells[int(cell_text)]  # the cell index points at the code that raised
    assert cell.cell_type == "code"
    assert "parameters" not in cell.metadata.get("tags", [])

    assert "portfolio: ok" in run.stdout  # the portfolio still runs over the good region
    assert json.loads((out / "portfolio.json").read_text())["regions"][0]["region"] == (
        "North America"
    )
    assert listing(out) == [
        "broken-pilot.failed.ipynb",
        "north-america.html",
        "north-america.ipynb",
        "north-america.json",
        "portfolio.html",
        "portfolio.ipynb",
        "portfolio.json",
    ]


# ------------------------------------------------------------------ interrupts and reruns


@pytest.fixture(scope="module")
def session_reports(tmp_path_factory: pytest.TempPathFactory) -> bs.BatchRun:
    return bs.demo_batch(tmp_path_factory)


def kernels_under(pid: int) -> set[int]:
    """Pids of the IPython kernels started (directly or through pool workers) by ``pid``."""
    found = set()
    for child in bs.descendants(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"ipykernel" in cmdline:
            found.add(child)
    return found


@pytest.fixture(scope="module")
def interrupted_then_rerun(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    """Ctrl-C a ``--workers 2`` demo batch once two regions are running, then run it again."""
    out = tmp_path_factory.mktemp("interrupted") / "reports"
    proc = subprocess.Popen(
        bs.cxplan_command("report", str(bs.DEMO_PARAMS), "--out", str(out), "--workers", "2"),
        cwd=bs.REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    running, kernels_running = 0, []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(list(out.glob(".cxplan-*/executed.ipynb"))) < 2:
            time.sleep(0.1)
        running = len(list(out.glob(".cxplan-*/executed.ipynb")))
        time.sleep(1.5)  # inside the notebooks now
        kernels_running = sorted(kernels_under(proc.pid))
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal: the whole process group
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            bs.stop_process(proc)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(bs.alive(pid) for pid in kernels_running):
        time.sleep(0.2)
    leftover = [pid for pid in kernels_running if bs.alive(pid)]
    for pid in leftover:  # kernels this test started: do not leave them behind
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    after_interrupt = listing(out) if out.exists() else []
    rerun = bs.run_report(out)
    return {
        "running": running,
        "kernels_running": kernels_running,
        "returncode": proc.returncode,
        "stdout": stdout,
        "stderr": stderr,
        "leftover_kernels": leftover,
        "after_interrupt": after_interrupt,
        "rerun": rerun,
    }


@pytest.mark.notebook
@pytest.mark.slow
def test_ctrl_c_with_two_workers_stops_every_kernel_and_a_rerun_completes(
    interrupted_then_rerun: dict[str, Any],
) -> None:
    run = interrupted_then_rerun
    assert run["running"] == 2, "two regions never ran at the same time"
    assert len(run["kernels_running"]) == 2, "expected one kernel per worker before Ctrl-C"
    assert run["returncode"] == 130, run["stderr"]
    assert run["stderr"].endswith("cxplan: interrupted; no partial report files were kept\n")
    assert run["leftover_kernels"] == [], "kernels still running after Ctrl-C"
    hidden = [name for name in run["after_interrupt"] if name.startswith(".")]
    assert hidden == []  # no temporary file, no work directory
    half = [n for n in run["after_interrupt"] if not n.endswith((".html", ".ipynb", ".json"))]
    assert half == []

    rerun = run["rerun"]
    assert rerun.returncode == 0, rerun.stderr
    assert "portfolio report:" in rerun.stdout


@pytest.mark.notebook
@pytest.mark.slow
def test_ctrl_c_with_two_workers_writes_no_report(interrupted_then_rerun: dict[str, Any]) -> None:
    assert interrupted_then_rerun["after_interrupt"] == []
    assert "] " not in interrupted_then_rerun["stdout"]  # no "[n/3] region: ok" progress line


@pytest.mark.notebook
@pytest.mark.slow
def test_ctrl_c_with_two_workers_prints_no_traceback(
    interrupted_then_rerun: dict[str, Any],
) -> None:
    assert "Traceback" not in interrupted_then_rerun["stderr"]
    assert interrupted_then_rerun["stderr"] == (
        "cxplan: interrupted; no partial report files were kept\n"
    )


def comparable(out: Path, name: str) -> bytes:
    """A report file's bytes, with its own output folder written as ``<out>`` (notebooks only
    record where their result file went)."""
    data = (out / name).read_bytes()
    if name.endswith(".ipynb"):
        data = data.replace(str(out.resolve()).encode(), b"<out>")
    return data


@pytest.mark.notebook
@pytest.mark.slow
def test_two_demo_batches_are_byte_identical(
    session_reports: bs.BatchRun, interrupted_then_rerun: dict[str, Any]
) -> None:
    first, second = session_reports.out, interrupted_then_rerun["rerun"].check().out
    names = listing(first)
    assert names == listing(second)
    slugs = [*bs.region_slugs(), "portfolio"]
    assert names == sorted(f"{s}{ext}" for s in slugs for ext in (".html", ".ipynb", ".json"))
    different = [name for name in names if comparable(first, name) != comparable(second, name)]
    assert different == []
    # no run timestamp anywhere (the plan dates are in 2027; the run is today)
    today = [dt.date.today().isoformat(), dt.datetime.now(dt.UTC).date().isoformat()]
    stamped = [n for n in names for day in today if day.encode() in (first / n).read_bytes()]
    assert stamped == []


_STUB_DRIVER = textwrap.dedent(
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
def test_sigterm_during_report_exits_130_and_keeps_nothing(tmp_path: Path) -> None:
    driver = tmp_path / "driver.py"
    driver.write_text(_STUB_DRIVER)
    params, out = tmp_path / "params", tmp_path / "reports"
    region_file(params, "a", region="A", volume=1, sleep_s=60)
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
        time.sleep(1.0)  # inside the sleeping cell
        proc.send_signal(signal.SIGTERM)  # what `timeout` or a CI runner sends to the command
        _stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            bs.stop_process(proc)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr
    assert "Traceback" not in stderr
    assert listing(out) == []
