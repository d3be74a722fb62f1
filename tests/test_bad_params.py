"""The bad-input corpus: every broken file in tests/bad_params/ gives its exact error, everywhere.

Each ``tests/bad_params/NAME.yaml`` is copied to ``<tmp>/params/regions/NAME.yaml`` beside a copy
of the real ``params/defaults.yaml`` (``<tmp>/params/defaults.yaml``) and loaded from ``<tmp>`` as
``params/regions/NAME.yaml``, the way a real region is (see ``tests/bad_params/README.md``). It
must be refused with exactly the lines of ``NAME.expected`` by ``load_params``, by
``cxplan validate`` and by ``cxplan report`` -- which must not write anything.
"""

from __future__ import annotations

import copy
import math
import os
import re
import shutil
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from hypothesis_support import scaled

from cxplan.app import cli
from cxplan.config.params import RegionParams, load_params
from cxplan.config.yamlfile import load_yaml, merge
from cxplan.errors import ParamsError

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "bad_params"
DEFAULTS = REPO / "params" / "defaults.yaml"
DEMO_REGIONS = sorted((REPO / "params" / "regions").glob("*.yaml"))
CASES = sorted(path.stem for path in CORPUS.glob("*.yaml"))
# `cxplan validate` names the scenarios it validated with a region (params/regions/*.yaml)
SCENARIOS = {"north-america": " (scenarios: conservative, hybrid-50)"}
SENTINEL = b"<!doctype html><title>previous report</title><p>must survive a refused run</p>\n"

# Every line the loader prints for a corpus case: file, 1-based line, then the problem.
PROBLEM_LINE = re.compile(r"^params/(regions/[\w-]+|defaults)\.yaml:[1-9][0-9]*: \S")


def expected(name: str) -> list[str]:
    return (CORPUS / f"{name}.expected").read_text(encoding="utf-8").splitlines()


def relative(text: str, root: Path) -> str:
    """Strip ``root`` from absolute paths (``find_defaults`` returns a resolved path)."""
    for prefix in {f"{root.resolve()}{os.sep}", f"{root}{os.sep}"}:
        text = text.replace(prefix, "")
    return text


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp_path`` laid out like the repository (real defaults, empty regions/); cwd = tmp_path."""
    (tmp_path / "params" / "regions").mkdir(parents=True)
    shutil.copyfile(DEFAULTS, tmp_path / "params" / "defaults.yaml")
    shutil.copytree(REPO / "params" / "pilot", tmp_path / "params" / "pilot")  # data it names
    monkeypatch.chdir(tmp_path)
    return tmp_path


def place(sandbox: Path, name: str) -> str:
    """Copy corpus case ``name`` into the sandbox; return its path relative to the sandbox."""
    shutil.copyfile(CORPUS / f"{name}.yaml", sandbox / "params" / "regions" / f"{name}.yaml")
    return f"params/regions/{name}.yaml"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------------------ the corpus


def test_corpus_is_complete() -> None:
    yaml_names = {path.stem for path in CORPUS.glob("*.yaml")}
    expected_names = {path.stem for path in CORPUS.glob("*.expected")}
    assert len(yaml_names) >= 25
    assert yaml_names == expected_names  # every case has its expected error and vice versa
    assert (CORPUS / "README.md").is_file()
    for name in sorted(yaml_names):
        text = (CORPUS / f"{name}.expected").read_text(encoding="utf-8")
        lines = text.splitlines()
        assert lines, name
        assert text.endswith("\n") and not text.endswith("\n\n"), name
        for line in lines:
            assert PROBLEM_LINE.match(line), (name, line)


@pytest.mark.parametrize("name", CASES)
def test_load_params_gives_the_exact_error(sandbox: Path, name: str) -> None:
    path = place(sandbox, name)
    with pytest.raises(ParamsError) as info:
        load_params(path)
    problems = [relative(line, sandbox) for line in info.value.problems]
    assert problems == expected(name)
    assert str(info.value).splitlines() == info.value.problems  # one problem per line


@pytest.mark.parametrize("name", CASES)
def test_validate_command_exits_2_with_one_line_per_problem(
    sandbox: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path = place(sandbox, name)
    code, out, err = run_cli(capsys, "validate", path)
    assert code == 2
    assert out == ""  # no "ok: ..." for a refused file
    assert "Traceback" not in err
    assert relative(err, sandbox).splitlines() == expected(name)


@pytest.mark.parametrize("name", CASES)
def test_report_command_exits_2_and_writes_nothing(
    sandbox: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path = place(sandbox, name)
    with pytest.raises(ParamsError):  # refused at validation: no kernel is ever started
        load_params(path)

    # A fresh output folder is not even created.
    code, out, err = run_cli(capsys, "report", path, "--out", "reports/new")
    assert code == 2
    assert out == ""  # no region was started
    assert "Traceback" not in err
    assert relative(err, sandbox).splitlines() == expected(name)
    assert not (sandbox / "reports").exists()

    # An earlier report in the output folder is left exactly as it was, with nothing added.
    previous = sandbox / "old" / "previous.html"
    previous.parent.mkdir()
    previous.write_bytes(SENTINEL)
    code, _, err = run_cli(capsys, "report", path, "--out", "old")
    assert code == 2
    assert "Traceback" not in err
    assert relative(err, sandbox).splitlines() == expected(name)
    assert sorted(p.name for p in previous.parent.iterdir()) == ["previous.html"]
    assert previous.read_bytes() == SENTINEL


def test_the_demo_regions_validate(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(DEMO_REGIONS) == 4
    code, out, err = run_cli(capsys, "validate", *map(str, DEMO_REGIONS))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"ok: {path}{SCENARIOS.get(path.stem, '')}" for path in DEMO_REGIONS
    ]


# ------------------------------------------------------------- the installed entry point


def cxplan_command() -> Path:
    command = Path(sys.executable).with_name("cxplan")
    assert command.is_file(), f"the cxplan entry point is not installed beside {sys.executable}"
    return command


def test_installed_cxplan_validates_the_demo_regions() -> None:
    result = subprocess.run(
        [cxplan_command(), "validate", "params/regions/"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        f"ok: params/regions/{path.name}{SCENARIOS.get(path.stem, '')}" for path in DEMO_REGIONS
    ]


def test_installed_cxplan_report_refuses_bad_files_and_keeps_the_old_report(sandbox: Path) -> None:
    names = ["alias_bomb", "name_python_code", "negative_volume"]
    paths = [place(sandbox, name) for name in names]
    for path in paths:  # all refused at validation: no kernel is ever started
        with pytest.raises(ParamsError):
            load_params(path)
    previous = sandbox / "reports" / "previous.html"
    previous.parent.mkdir()
    previous.write_bytes(SENTINEL)
    result = subprocess.run(
        [cxplan_command(), "report", *paths, "--out", "reports"],
        cwd=sandbox,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stdout == ""  # no region was started
    # Every problem of every file, in the order the files were given.
    assert relative(result.stderr, sandbox).splitlines() == [
        line for name in names for line in expected(name)
    ]
    assert sorted(p.name for p in previous.parent.iterdir()) == ["previous.html"]
    assert previous.read_bytes() == SENTINEL


# ------------------------------------------------------------------------ alias bombs


@pytest.mark.parametrize("name", ["alias_bomb", "alias_bomb_merge_keys"])
def test_alias_bomb_is_refused_fast_with_bounded_memory(sandbox: Path, name: str) -> None:
    # Expanded, alias_bomb.yaml is 10^9 strings and alias_bomb_merge_keys.yaml 2^29 merges.
    path = place(sandbox, name)
    start = time.perf_counter()
    with pytest.raises(ParamsError, match="refusing a possible alias bomb"):
        load_params(path)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"took {elapsed:.2f} s"

    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        with pytest.raises(ParamsError):
            load_params(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        if not was_tracing:
            tracemalloc.stop()
    assert peak < 100 * 2**20, f"peak {peak / 2**20:.1f} MiB"


# ------------------------------------------------------ random mutations of a valid region

NORTH_AMERICA = REPO / "params" / "regions" / "north-america.yaml"

# Values a mutation may put anywhere: text, negative, huge, non-finite, and the wrong shape.
ODD_VALUES = st.one_of(
    st.text(max_size=30),
    st.floats(max_value=-1e-12, allow_nan=False, allow_infinity=False),
    st.integers(max_value=-1),
    st.sampled_from(
        [1e300, -1e300, 10**400, 2**64, math.nan, math.inf, -math.inf, None, True, [], {}]
    ),
)


def locations(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key and list item under ``data``, as a path of keys/indices."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        yield (*prefix, key)
        if isinstance(value, dict | list) and value:
            yield from locations(value, (*prefix, key))


def node_at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def mutate(data: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(data)
    all_paths = list(locations(data))
    operation = draw(st.sampled_from(["delete", "set", "add"]))
    if operation == "add":
        mappings = [()] + [p for p in all_paths if isinstance(node_at(data, p), dict)]
        target = node_at(data, draw(st.sampled_from(mappings)))
        target[draw(st.text(min_size=1, max_size=20))] = draw(ODD_VALUES)
        return data
    path = draw(st.sampled_from(all_paths))
    parent = node_at(data, path[:-1])
    if operation == "delete":
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(ODD_VALUES)
    return data


@pytest.fixture(scope="module")
def mutation_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("mutations")
    over = root / "over-defaults" / "params"
    (over / "regions").mkdir(parents=True)
    shutil.copyfile(DEFAULTS, over / "defaults.yaml")
    shutil.copytree(REPO / "params" / "pilot", over / "pilot")
    alone = root / "standalone" / "params" / "regions"  # no defaults.yaml anywhere up to root
    alone.mkdir(parents=True)
    return {"over_defaults": over / "regions", "standalone": alone}


@pytest.mark.parametrize("layout", ["over_defaults", "standalone"])
@settings(max_examples=scaled(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(draw=st.data())
def test_random_mutations_validate_or_raise_params_error(
    mutation_dirs: dict[str, Path], layout: str, draw: st.DataObject
) -> None:
    # "over_defaults": the region file is mutated and merged over the real defaults;
    # "standalone": the merged document is mutated and loaded without any defaults (so deleting
    # a key that the defaults provide really removes it).
    region, _ = load_yaml(NORTH_AMERICA)
    if layout == "standalone":
        region = merge(load_yaml(DEFAULTS)[0], region)
    mutated = mutate(region, draw.draw)
    text = yaml.safe_dump(mutated, sort_keys=False, allow_unicode=True)
    note(text)
    path = mutation_dirs[layout] / "region.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        loaded = load_params(path)
    except ParamsError as exc:
        event("refused")
        assert exc.problems
        files = {str(path), str((mutation_dirs[layout].parent / "defaults.yaml").resolve())}
        for line in exc.problems:
            file, number, rest = line.split(":", 2)
            assert file in files, line
            assert number.isdigit() and int(number) >= 1, line
            assert rest.startswith(" ") and "Traceback" not in rest, line
    else:
        event("valid")
        assert isinstance(loaded, RegionParams)
