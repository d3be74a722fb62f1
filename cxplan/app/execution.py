"""Run one notebook with papermill and publish its outputs, or report why it failed.

:func:`run_region` is the unit of work of a batch (what the process pool or Dask runs); the
portfolio notebook goes through the same :func:`_execute`. Kernels start with the ZMQ ``ipc``
transport and a private connection-file directory, so several processes starting kernels at once
cannot race for TCP ports (papermill issue #511). Failures (cell error, timeout, dead kernel,
missing result, export or disk problems) are returned as a :class:`Failure`, never raised; the
previous good outputs survive and the executed notebook is saved as ``<name>.failed.ipynb``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxplan._io import atomic_write, atomic_write_many
from cxplan.app.batch_io import (
    _WORK_PREFIX,
    _add_failure_banner,
    _deliverables,
    _normalise,
    _read_notebook,
)
from cxplan.app.batch_results import Failure, RegionResult, RegionTask, _Job, _one_line
from cxplan.app.html_export import (
    _FAILURE_TAG,
    _INJECTED_TAG,
    _PAPERMILL_ERROR_TAG,
    export_html,
)
from cxplan.app.pool import _batch_gone
from cxplan.config.naming import PORTFOLIO
from cxplan.errors import ReportError

if TYPE_CHECKING:
    import nbformat

__all__ = ["run_region"]

_ORPHANED = "the batch that started this run has ended: nothing was published"


def _kernel_config(rundir: str) -> Any:
    """Traitlets config: ipc transport, connection file in a private directory (no port race)."""
    from traitlets.config import Config

    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.connection_file = os.path.join(rundir, "kernel.json")
    return config


def _quiet_papermill() -> None:
    # papermill/nbclient log through the "papermill" logger; without a handler Python's
    # last-resort handler prints its warnings on stderr. Failures are reported by us instead.
    logger = logging.getLogger("papermill")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _without_banners(nb: nbformat.NotebookNode) -> list[Any]:
    return [
        cell
        for cell in nb.cells
        if not {_PAPERMILL_ERROR_TAG, _FAILURE_TAG} & set(cell.get("metadata", {}).get("tags", []))
    ]


def _source_index(cells: Sequence[Any], executed_index: int) -> int:
    """Map an index in the executed notebook to the source notebook (skip injected cells)."""
    injected = sum(
        1
        for cell in cells[:executed_index]
        if _INJECTED_TAG in cell.get("metadata", {}).get("tags", [])
    )
    return executed_index - injected


def _last_started_cell(nb: nbformat.NotebookNode) -> int | None:
    cells = _without_banners(nb)
    started = [
        index
        for index, cell in enumerate(cells)
        if cell.get("cell_type") == "code"
        and cell.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    return _source_index(cells, started[-1]) if started else None


def _execute(job: _Job) -> RegionResult:
    """Run one notebook and write its outputs; failures are returned, not raised."""
    started = time.monotonic()
    out_dir = Path(job.out_dir)
    params_path = Path(job.params_path) if job.params_path else None
    final = {ext: out_dir / f"{job.name}{ext}" for ext in (".ipynb", ".html", ".json")}
    failed_path = out_dir / f"{job.name}.failed.ipynb"

    def result(**kwargs: Any) -> RegionResult:
        return RegionResult(
            region=job.name,
            params_path=params_path,
            duration_s=round(time.monotonic() - started, 3),
            **kwargs,
        )

    try:
        work = Path(tempfile.mkdtemp(prefix=f"{_WORK_PREFIX}{job.name}-", dir=out_dir))
    except OSError as exc:
        reason = f"cannot create a work directory in {out_dir}: {exc.strerror or exc}"
        return result(status="failed", failure=Failure(job.name, "internal", reason))
    rundir = tempfile.mkdtemp(prefix="cxk-")  # short: ipc socket paths are limited to ~100 bytes
    try:
        import nbformat
        import papermill
        from nbclient.exceptions import CellTimeoutError, DeadKernelError
        from papermill.exceptions import PapermillExecutionError

        _quiet_papermill()
        result_tmp = work / "result.json"
        executed_tmp = work / "executed.ipynb"
        rewrite = {
            **job.rewrite,
            str(result_tmp): str(final[".json"]),
            str(executed_tmp): str(final[".ipynb"]),
        }
        failure: Failure | None = None
        nb: nbformat.NotebookNode | None = None
        try:
            nb = papermill.execute_notebook(
                job.notebook,
                str(executed_tmp),
                parameters={**job.parameters, job.result_param: str(result_tmp)},
                kernel_name=job.kernel_name,
                progress_bar=False,
                log_output=False,
                start_timeout=job.start_timeout_s,
                cwd=str(Path(job.notebook).parent),
                execution_timeout=job.timeout_s,
                config=_kernel_config(rundir),
                shutdown_kernel="immediate",
                record_timing=False,
            )
        except PapermillExecutionError as exc:
            nb = _read_notebook(executed_tmp)
            cells = _without_banners(nb) if nb is not None else []
            failure = Failure(
                job.name,
                "error",
                _one_line(f"{exc.ename}: {exc.evalue}" if exc.evalue else exc.ename),
                _source_index(cells, exc.cell_index),
            )
        except CellTimeoutError:
            nb = _read_notebook(executed_tmp)
            cell = _last_started_cell(nb) if nb is not None else None
            failure = Failure(job.name, "timeout", f"no reply within {job.timeout_s:g} s", cell)
        except DeadKernelError as exc:
            nb = _read_notebook(executed_tmp)
            cell = _last_started_cell(nb) if nb is not None else None
            failure = Failure(job.name, "dead-kernel", _one_line(str(exc)), cell)
        except Exception as exc:  # kernel start-up, unreadable notebook, ...: report, go on
            nb = _read_notebook(executed_tmp)
            failure = Failure(job.name, "internal", _one_line(f"{type(exc).__name__}: {exc}"))

        if failure is None and nb is not None:
            result_bytes: bytes | None = None
            if result_tmp.exists():
                result_bytes = result_tmp.read_bytes()
                try:
                    json.loads(result_bytes)
                except ValueError as exc:
                    failure = Failure(
                        job.name,
                        "no-result",
                        _one_line(f"{job.result_param} is not valid JSON: {exc}"),
                    )
            elif job.result_required:
                failure = Failure(
                    job.name, "no-result", f"the notebook did not write {job.result_param}"
                )
            if failure is None and _batch_gone():
                failure = Failure(job.name, "internal", _ORPHANED)
            if failure is None:
                try:
                    _normalise(nb, rewrite)
                    notebook_bytes = nbformat.writes(nb).encode("utf-8") + b"\n"
                    html = export_html(nb, job.name)
                    # the files change together or not at all (an optional result not
                    # written this time removes a stale one); never once the batch has gone
                    if _batch_gone():
                        raise ReportError(_ORPHANED)
                    atomic_write_many(
                        {
                            final[".json"]: result_bytes,
                            final[".ipynb"]: notebook_bytes,
                            **_deliverables(job, html, result_bytes),
                        }
                    )
                    with contextlib.suppress(FileNotFoundError):
                        failed_path.unlink()
                except Exception as exc:  # export or disk problems: a failure of this region
                    failure = Failure(
                        job.name, "internal", _one_line(f"{type(exc).__name__}: {exc}")
                    )
                else:
                    return result(
                        status="ok",
                        notebook_path=final[".ipynb"],
                        html_path=final[".html"],
                        json_path=final[".json"] if result_bytes is not None else None,
                    )

        if failure is None:
            failure = Failure(job.name, "internal", "papermill returned no notebook")
        saved: Path | None = None
        if nb is not None and not _batch_gone():  # an orphaned worker publishes nothing
            if failure.kind != "error":  # papermill adds its own banner for cell errors only
                _add_failure_banner(nb, failure)
            _normalise(nb, rewrite)
            with contextlib.suppress(OSError):
                atomic_write(failed_path, nbformat.writes(nb).encode("utf-8") + b"\n")
                saved = failed_path
        return result(status="failed", notebook_path=saved, failure=failure)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(rundir, ignore_errors=True)


def run_region(task: RegionTask) -> RegionResult:
    """Execute the region notebook for one parameter file and write its outputs.

    This is the function :func:`run_batch` maps over a process pool or a Dask cluster; it needs
    the parameter file, the notebook and ``out_dir`` at the same paths on the machine it runs on.

    Parameters
    ----------
    task : RegionTask
        What to run.

    Returns
    -------
    RegionResult
        Never raises for a notebook failure: a cell error, a timeout, a dead kernel or a missing
        result is returned as ``status="failed"`` with a :class:`Failure`.
    """
    job = _Job(
        name=task.slug,
        params_path=task.params_path,
        notebook=task.notebook,
        out_dir=task.out_dir,
        parameters={
            "params_path": task.params_path,
            # only when given: a region notebook without the parameter still runs
            **({"defaults_path": task.defaults_path} if task.defaults_path else {}),
            **({"scenario": task.scenario} if task.scenario is not None else {}),
        },
        result_param="result_path",
        result_required=True,
        timeout_s=task.timeout_s,
        start_timeout_s=task.start_timeout_s,
        kernel_name=task.kernel_name,
        formats=task.formats,
    )
    return _execute(job)


def _run_portfolio(
    notebook: Path,
    out_dir: Path,
    regions: Sequence[RegionResult],
    timeout_s: float,
    start_timeout_s: float,
    kernel_name: str | None,
    formats: tuple[str, ...] = ("html",),
    name: str = PORTFOLIO,
) -> RegionResult:
    stage = Path(tempfile.mkdtemp(prefix=f"{_WORK_PREFIX}portfolio-inputs-", dir=out_dir))
    try:
        for region in regions:
            if region.json_path is not None:
                shutil.copyfile(region.json_path, stage / f"{region.region}.json")
        job = _Job(
            name=name,
            params_path=None,
            notebook=str(notebook),
            out_dir=str(out_dir),
            parameters={"results_dir": str(stage)},
            result_param="output_path",
            result_required=False,
            timeout_s=timeout_s,
            start_timeout_s=start_timeout_s,
            kernel_name=kernel_name,
            rewrite={str(stage): str(out_dir)},
            formats=formats,
        )
        return _execute(job)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
