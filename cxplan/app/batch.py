"""Batch reports: one executed notebook, offline HTML report and results JSON per region.

:func:`run_batch` validates every parameter file first (nothing runs and nothing is written when any
is invalid), then executes the region notebook once per file with papermill, exports an HTML report
that renders offline, and finally runs the portfolio notebook over the regions' results.

Outputs in ``out_dir`` for a region with slug ``s``:

``s.ipynb``
    The executed notebook (papermill's and nbclient's timing metadata removed).
``s.html``
    The report: no code cells, no stderr output, no reference to any network resource (no
    require.js, MathJax or widget loader; CSS inlined).
``s.json``
    The machine-readable results the notebook wrote to its ``result_path`` parameter.
``s.pdf``, ``s.xlsx``, ``s-<chart>.svg``, ``s-<chart>.png``
    Only when asked (``formats``): the report printed to PDF, the model's tables as a workbook,
    and one file per chart (see :func:`cxplan.present.exports.report_outputs`). The HTML report
    gets the region's name in its title and the report stylesheet in every case.
``s.failed.ipynb``
    Only after a failed run: the executed notebook with an error banner. The previous good
    ``s.ipynb``/``s.html``/``s.json`` are left untouched; a later successful run removes it.
``portfolio.ipynb``, ``portfolio.html``, ``portfolio.json``
    From the portfolio notebook (``portfolio.json`` only if the notebook writes ``output_path``);
    ``portfolio.pdf``, ``portfolio.xlsx`` and chart files likewise when asked.

Every file is written atomically (temporary file in ``out_dir``, ``fsync``, ``os.replace``): a
crash, a timeout or Ctrl-C never leaves a half-written report. Work files live in a hidden
``.cxplan-<slug>-*`` directory inside ``out_dir`` that is removed when the region ends.

Notebook contract
-----------------
Region notebook (default ``notebooks/region_report.ipynb``): a cell tagged ``parameters``
defining ``params_path`` (absolute path of the parameter file, ``str``) and ``result_path``
(where the notebook must write its results as JSON, ``str``), and, only when ``run_batch``
is given ``defaults_path``, ``defaults_path`` (the defaults file). Portfolio notebook (default
``notebooks/portfolio.ipynb``, skipped when absent): parameters ``results_dir`` (a directory
holding exactly one ``<slug>.json`` per region that succeeded in this batch) and ``output_path``
(where it may write ``portfolio.json``). Outputs must be deterministic for the
byte-identical-rerun guarantee: charts as inline SVG, no timestamps, no random ids.

Kernels are started with the ZMQ ``ipc`` transport and a private connection-file directory, so
several processes (``workers=N``, Dask workers) starting kernels at once cannot race for TCP ports
(papermill issue #511).

This module is the orchestrator and the public face of the batch; the parts live beside it:
:mod:`~cxplan.app.batch_results` (tasks, results, failures), :mod:`~cxplan.app.batch_io` (output
folder, notebooks made ready to publish), :mod:`~cxplan.app.html_export` (notebook → offline
HTML), :mod:`~cxplan.app.execution` (one notebook run with papermill) and
:mod:`~cxplan.app.pool` (process pool, Dask, worker signals).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from cxplan._io import atomic_write, atomic_write_many
from cxplan._resources import bundled_file
from cxplan.app.batch_io import _add_failure_banner as _add_failure_banner  # (tests use it)
from cxplan.app.batch_io import _prepare_out_dir
from cxplan.app.batch_results import (
    BatchResult,
    Failure,
    ProgressCallback,
    RegionResult,
    RegionTask,
)
from cxplan.app.execution import _run_portfolio, run_region
from cxplan.app.html_export import export_html, external_references
from cxplan.app.pool import _run_dask, _run_pool
from cxplan.config.naming import PORTFOLIO, region_slug
from cxplan.errors import CxplanError, InputError, ParamsError, ReportError

__all__ = [
    "PORTFOLIO",
    "BatchResult",
    "Failure",
    "RegionResult",
    "RegionTask",
    "atomic_write",
    "atomic_write_many",
    "default_notebook",
    "default_validator",
    "expand_params_paths",
    "export_html",
    "external_references",
    "region_slug",
    "run_batch",
    "run_region",
]

"""Output name of the portfolio step (reserved: no region may use it as its slug)."""


def default_notebook(name: str) -> Path:
    """Locate a notebook shipped with cxplan.

    An installed wheel carries the notebooks (:func:`cxplan._resources.bundled_file`); a source
    checkout or an editable install reads them from the repository's ``notebooks/``; last,
    ``./notebooks/``.

    Parameters
    ----------
    name : str
        File name, e.g. ``"region_report.ipynb"``.

    Returns
    -------
    pathlib.Path
        The first candidate that exists, otherwise the first candidate.
    """
    candidates = [bundled_file(f"notebooks/{name}"), Path.cwd() / "notebooks" / name]
    return next((path for path in candidates if path.is_file()), candidates[0])


def expand_params_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand files and directories into the list of parameter files.

    Parameters
    ----------
    paths : iterable of path-like
        Files are taken as given; a directory contributes its ``*.yaml`` and ``*.yml`` files
        (except ``defaults.yaml``)
        (sorted, not recursive).

    Returns
    -------
    list of pathlib.Path
        Without duplicates, in the given order.

    Raises
    ------
    ParamsError
        One line per path that does not exist or directory without YAML files.
    """
    problems: list[str] = []
    found: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p
                for p in path.iterdir()
                # defaults.yaml is merged under the regions, it is not a region itself
                if p.suffix in (".yaml", ".yml") and p.is_file() and p.stem != "defaults"
            )
            if not files:
                problems.append(f"{path}: no *.yaml files in this directory")
        elif path.exists():
            files = [path]
        else:
            problems.append(f"{path}: no such file or directory")
            files = []
        for file in files:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                found.append(file)
    if problems:
        raise ParamsError(problems)
    return found


def _region_name(loaded: object, path: Path) -> str:
    """Return the region name from the loaded parameters (attribute or key), else the stem."""

    def get(obj: object, key: str) -> object:
        return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)

    for key in ("region_name", "region", "name", "slug"):
        value = get(loaded, key)
        if value is not None and not isinstance(value, str):
            value = get(value, "name")
        if isinstance(value, str):
            return value
    return path.stem


def default_validator(
    defaults_path: str | os.PathLike[str] | None = None,
) -> Callable[[Path], object]:
    """Return ``cxplan.config.params.load_params``, imported on demand (the CLI uses it too).

    With ``defaults_path``, every file is merged over that defaults file.
    """
    try:
        from cxplan.config.params import load_params  # type: ignore[import-not-found, unused-ignore]
    except ImportError as exc:
        raise CxplanError(
            "cannot validate parameter files: cxplan.config.params.load_params is not "
            f"available ({exc})"
        ) from None
    validator: Callable[[Path], object] = load_params
    if defaults_path is not None:
        validator = functools.partial(load_params, defaults_path=defaults_path)
    return validator


def _validate_all(
    paths: Sequence[Path], validate: Callable[[Path], object]
) -> list[tuple[Path, object]]:
    problems: list[str] = []
    loaded: list[tuple[Path, object]] = []
    for path in paths:
        try:
            loaded.append((path, validate(path)))
        except ParamsError as exc:
            problems.extend(exc.problems)
        except CxplanError as exc:
            problems.extend(f"{path}: {line}" for line in str(exc).splitlines() or ["invalid"])
    if problems:
        raise ParamsError(problems)
    return loaded


def _check_scenario_parameter(notebook: Path) -> None:
    """Refuse a region notebook that would ignore ``--scenario`` (and report the base)."""
    import papermill

    try:
        declared = papermill.inspect_notebook(str(notebook))
    except Exception as exc:  # an unreadable notebook: papermill's own error types vary
        raise ReportError(f"cannot read the region notebook {notebook}: {exc}") from None
    if "scenario" not in declared:
        raise ReportError(
            f"the region notebook {notebook} has no 'scenario' parameter, so it cannot "
            "report a scenario (its parameters cell must define scenario and pass it to "
            "load_region)"
        )


def _check_positive(name: str, value: float) -> None:
    if not value > 0:
        raise InputError(f"{name} must be > 0 (got {value!r})")


def run_batch(
    params_paths: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    notebook: str | os.PathLike[str] | None = None,
    portfolio_notebook: str | os.PathLike[str] | bool = True,
    workers: int = 1,
    dask_address: str | None = None,
    timeout_s: float = 600.0,
    start_timeout_s: float = 60.0,
    kernel_name: str | None = None,
    validate: Callable[[Path], object] | None = None,
    progress: ProgressCallback | None = None,
    formats: Iterable[str] = ("html",),
    defaults_path: str | os.PathLike[str] | None = None,
    scenario: str | None = None,
) -> BatchResult:
    """Validate all parameter files, then run the region notebook for each and the portfolio.

    Parameters
    ----------
    params_paths : iterable of path-like
        Parameter files or directories of ``*.yaml`` files (see :func:`expand_params_paths`).
    out_dir : path-like
        Output directory; created (with parents) only after every file validated.
    notebook : path-like, optional
        The region notebook (default ``notebooks/region_report.ipynb``, see
        :func:`default_notebook`).
    portfolio_notebook : path-like or bool, optional
        ``True`` (default): ``notebooks/portfolio.ipynb`` if it exists; ``False``: no portfolio;
        a path: that notebook (it must exist).
    workers : int, optional
        Regions run in parallel in this many processes (``forkserver``/``spawn`` context).
    dask_address : str, optional
        Address of a running ``dask.distributed`` scheduler; regions are mapped over its workers
        (which must see the same file system paths). Overrides ``workers``.
    timeout_s : float, optional
        Per-cell execution timeout in seconds (default 600).
    start_timeout_s : float, optional
        Kernel start-up timeout in seconds (default 60).
    kernel_name : str, optional
        Kernel for all notebooks (default: each notebook's kernelspec).
    validate : callable, optional
        ``validate(path) -> loaded params``; raises :class:`~cxplan.errors.ParamsError`. Default:
        ``cxplan.config.params.load_params``. The region name is read from the loaded object
        (``region_name``, ``region``, ``region.name``, ``name`` or ``slug``) or is the file stem.
    progress : callable, optional
        ``progress(done, total, result)`` after each region, in the calling process.
    formats : iterable of str, optional
        Deliverables per region and for the portfolio (``cxplan.present.exports.FORMATS``):
        ``html`` (always), ``pdf``, ``xlsx``, ``svg``, ``png``. Checked before anything runs
        (a PDF needs playwright and Chromium).
    defaults_path : path-like, optional
        The defaults every parameter file is merged over (``cxplan report --defaults``);
        default: the ``defaults.yaml`` beside each file or one folder up. Used by the default
        validator and passed to the region notebook.
    scenario : str, optional
        Report this named scenario of every region (:mod:`cxplan.config.scenarios`) instead of
        the regions themselves: files ``<slug>--<scenario>.*`` (and ``portfolio--<scenario>.*``),
        so a scenario never overwrites the base report. ``validate`` must then check that
        scenario (e.g. ``functools.partial(load_params, scenario=...)``), and the region
        notebook must declare a ``scenario`` parameter.

    Returns
    -------
    BatchResult
        Per-region results; ``exit_code`` is 1 when any region or the portfolio failed.

    Raises
    ------
    ParamsError
        If any parameter file is invalid (all problems listed); nothing is run or written.
    ReportError
        Unsafe or duplicate region slug, missing notebook, unreachable Dask scheduler, or an output
        directory that is empty (``""``), cannot be created or written; nothing is run.
    InputError
        For a bad ``workers``/``timeout_s``/``start_timeout_s`` or an unknown format.
    KeyboardInterrupt
        Re-raised after running kernels were stopped and temporary files removed.
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError(f"workers must be a whole number >= 1 (got {workers!r})")
    _check_positive("timeout_s", timeout_s)
    _check_positive("start_timeout_s", start_timeout_s)
    if not os.fspath(out_dir).strip():  # Path("") is the current folder: never that by accident
        raise ReportError("output directory must be given (got an empty path)")
    from cxplan.present.exports import check_formats

    chosen_formats = check_formats(formats)
    paths = expand_params_paths(params_paths)
    if not paths:
        raise ParamsError("no parameter files given")
    if validate is None:
        validate = default_validator(defaults_path)
    loaded = _validate_all(paths, validate)

    slugs: list[str] = []
    problems: list[str] = []
    for path, params in loaded:
        try:
            slug = region_slug(_region_name(params, path))
        except ReportError as exc:
            problems.append(f"{path}: {exc}")
            continue
        if slug in slugs:
            other = loaded[slugs.index(slug)][0]
            problems.append(f"{path}: region {slug!r} is also produced by {other}")
        slugs.append(slug)
    if problems:
        raise ReportError("\n".join(problems))
    if scenario is not None:
        from cxplan.config.scenarios import check_name

        problem = check_name(scenario)
        if problem is not None:
            raise ReportError(f"scenario name {problem}")
        slugs = [f"{slug}--{scenario}" for slug in slugs]  # never the base report's files

    region_nb = Path(notebook) if notebook is not None else default_notebook("region_report.ipynb")
    if not region_nb.is_file():
        raise ReportError(f"region notebook not found: {region_nb}")
    if scenario is not None:
        _check_scenario_parameter(region_nb)
    portfolio_nb: Path | None = None
    if portfolio_notebook is True:
        candidate = default_notebook("portfolio.ipynb")
        portfolio_nb = candidate if candidate.is_file() else None
    elif portfolio_notebook is not False:
        portfolio_nb = Path(portfolio_notebook)
        if not portfolio_nb.is_file():
            raise ReportError(f"portfolio notebook not found: {portfolio_nb}")

    client: Any = None
    if dask_address is not None:
        try:
            from distributed import Client
        except ImportError:
            raise ReportError("--dask needs the dask extra: pip install 'cxplan[dask]'") from None
        try:
            client = Client(dask_address)  # timeout: distributed.comm.timeouts.connect
        except (OSError, TimeoutError, ValueError) as exc:
            raise ReportError(
                f"cannot connect to the dask scheduler at {dask_address}: {exc}"
            ) from None

    try:
        target = _prepare_out_dir(Path(out_dir))
        tasks = [
            RegionTask(
                slug=slug,
                # absolute, symbolic links kept: a linked region file still finds the
                # defaults.yaml beside the link (cxplan.config.params.find_defaults)
                params_path=os.path.abspath(path),
                notebook=str(region_nb.resolve()),
                out_dir=str(target),
                timeout_s=float(timeout_s),
                start_timeout_s=float(start_timeout_s),
                kernel_name=kernel_name,
                formats=chosen_formats,
                defaults_path=None if defaults_path is None else os.path.abspath(defaults_path),
                scenario=scenario,
            )
            for slug, (path, _) in zip(slugs, loaded, strict=True)
        ]
        outcomes: list[RegionResult | None] = [None] * len(tasks)
        finished = 0

        def done(index: int, outcome: RegionResult) -> None:
            nonlocal finished
            outcomes[index] = outcome
            finished += 1
            if progress is not None:
                progress(finished, len(tasks), outcome)

        if client is not None:
            _run_dask(tasks, client, done, run_region)
        elif workers > 1 and len(tasks) > 1:
            _run_pool(tasks, workers, done, run_region)
        else:
            for index, task in enumerate(tasks):
                done(index, run_region(task))
    finally:
        if client is not None:
            client.close()

    regions = tuple(outcome for outcome in outcomes if outcome is not None)
    portfolio: RegionResult | None = None
    if portfolio_nb is not None and any(region.ok for region in regions):
        portfolio = _run_portfolio(
            portfolio_nb.resolve(),
            target,
            [region for region in regions if region.ok],
            float(timeout_s),
            float(start_timeout_s),
            kernel_name,
            chosen_formats,
            PORTFOLIO if scenario is None else f"{PORTFOLIO}--{scenario}",
        )
    return BatchResult(out_dir=target, regions=regions, portfolio=portfolio)
