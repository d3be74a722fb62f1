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
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import functools
import json
import logging
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import types
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from cxplan._io import atomic_write, atomic_write_many
from cxplan._resources import bundled_file
from cxplan.config.naming import PORTFOLIO, region_slug
from cxplan.errors import CxplanError, InputError, ParamsError, ReportError

if TYPE_CHECKING:
    import nbformat

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

_INJECTED_TAG = "injected-parameters"
_PAPERMILL_ERROR_TAG = "papermill-error-cell-tag"
_FAILURE_TAG = "cxplan-failure"
_HIDDEN_CELL_TAGS = frozenset({"remove-cell", "parameters", _INJECTED_TAG, _PAPERMILL_ERROR_TAG})
_WORK_PREFIX = ".cxplan-"

_REPORT_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{#- cxplan: the lab template without anything loaded from a CDN. -#}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""

_EXTERNAL_RE = re.compile(
    r"""<(?:script|img|iframe|embed|source|audio|video)\b[^>]*?\bsrc\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|<link\b[^>]*?\bhref\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)

_SCRIPT_RE = re.compile(r"<script\b[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SCRIPT_URL_RE = re.compile(r"""["'`(]\s*(?:https?:)?//[\w-]+(?:\.[\w-]+)+""", re.IGNORECASE)
_CDN_RE = re.compile(
    r"cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com|cdn\.plot\.ly|cdn\.mathjax\.org"
    r"|code\.jquery\.com|ajax\.googleapis\.com|fonts\.googleapis\.com",
    re.IGNORECASE,
)

_ORPHANED = "the batch that started this run has ended: nothing was published"

ProgressCallback = Callable[[int, int, "RegionResult"], None]
"""``progress(done, total, result)``: called in the calling process as each region finishes."""


# --------------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Failure:
    """Why one region (or the portfolio) failed.

    Attributes
    ----------
    region : str
        The region slug (``"portfolio"`` for the portfolio step).
    kind : {"error", "timeout", "dead-kernel", "no-result", "internal"}
        A cell raised; a cell ran past the timeout; the kernel died; the notebook did not write a
        valid results JSON; anything else (kernel start-up, export, writing files, worker crash).
    error : str
        One line, e.g. ``"ValueError: share must be < 1"``.
    cell : int or None
        0-based index of the failing cell in the source notebook (papermill's injected-parameters
        cell is not counted), when known.
    """

    region: str
    kind: Literal["error", "timeout", "dead-kernel", "no-result", "internal"]
    error: str
    cell: int | None = None

    @property
    def message(self) -> str:
        """The failure without the region, e.g. ``"cell 2: ValueError: boom"``."""
        if self.kind == "timeout":
            return f"timeout in cell {self.cell}: {self.error}"
        if self.kind == "dead-kernel":
            where = f" in cell {self.cell}" if self.cell is not None else ""
            return f"kernel died{where}: {self.error}"
        if self.cell is not None:
            return f"cell {self.cell}: {self.error}"
        return self.error

    def __str__(self) -> str:
        return f"{self.region}: {self.message}"


@dataclass(frozen=True)
class RegionResult:
    """Outcome of one notebook run (a region, or the portfolio).

    Attributes
    ----------
    region : str
        The slug; output files are named after it.
    params_path : pathlib.Path or None
        The parameter file (``None`` for the portfolio).
    status : {"ok", "failed"}
    duration_s : float
        Wall-clock seconds for execution and export.
    notebook_path : pathlib.Path or None
        ``<slug>.ipynb`` when ok, ``<slug>.failed.ipynb`` when failed (``None`` when execution did
        not get far enough to save one).
    html_path, json_path : pathlib.Path or None
        The report and results written by this run (``None`` when failed; ``json_path`` is also
        ``None`` for a portfolio notebook that writes no ``output_path``).
    failure : Failure or None
    """

    region: str
    params_path: Path | None
    status: Literal["ok", "failed"]
    duration_s: float
    notebook_path: Path | None = None
    html_path: Path | None = None
    json_path: Path | None = None
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        """Whether the run succeeded."""
        return self.status == "ok"


@dataclass(frozen=True)
class BatchResult:
    """Outcome of :func:`run_batch`.

    Attributes
    ----------
    out_dir : pathlib.Path
    regions : tuple of RegionResult
        In the order of the parameter files.
    portfolio : RegionResult or None
        ``None`` when there is no portfolio notebook or no region succeeded.
    """

    out_dir: Path
    regions: tuple[RegionResult, ...]
    portfolio: RegionResult | None = None

    @property
    def failures(self) -> list[Failure]:
        """Every failure, regions first, then the portfolio."""
        runs = [*self.regions, *([self.portfolio] if self.portfolio else [])]
        return [run.failure for run in runs if run.failure is not None]

    @property
    def exit_code(self) -> int:
        """0 when everything succeeded, 1 when any region or the portfolio failed."""
        return 1 if self.failures else 0

    def summary(self) -> str:
        """Human-readable summary: counts, then one line per failure (region, cell, error)."""
        ok = sum(run.ok for run in self.regions)
        lines = [f"{ok} of {len(self.regions)} regions ok"]
        lines += [f"FAILED {failure}" for failure in self.failures]
        if self.portfolio is not None and self.portfolio.ok and self.portfolio.html_path:
            lines.append(f"portfolio: {self.portfolio.html_path}")
        return "\n".join(lines)


@dataclass(frozen=True)
class RegionTask:
    """Everything one region run needs; picklable, so it can go to a process pool or Dask.

    Attributes
    ----------
    slug : str
        Output name (validated by :func:`region_slug`).
    params_path : str
        Absolute path of the parameter file.
    notebook : str
        Absolute path of the region notebook.
    out_dir : str
        Absolute path of the output directory (must exist).
    timeout_s : float
        Per-cell execution timeout in seconds.
    start_timeout_s : float
        Kernel start-up timeout in seconds.
    kernel_name : str or None
        Kernel to use (default: the notebook's kernelspec).
    formats : tuple of str
        Deliverables besides the notebook and results JSON (``cxplan.present.exports.FORMATS``:
        ``html`` always, ``pdf``, ``xlsx``, ``svg``, ``png``).
    defaults_path : str or None
        Absolute path of the defaults file (the notebook's ``defaults_path``); ``None``: the
        ``defaults.yaml`` beside the parameter file or one folder up.
    scenario : str or None
        A named scenario of the region to report (the notebook's ``scenario`` parameter);
        ``None``: the region itself (no ``scenario`` parameter is passed).
    """

    slug: str
    params_path: str
    notebook: str
    out_dir: str
    timeout_s: float = 600.0
    start_timeout_s: float = 60.0
    kernel_name: str | None = None
    formats: tuple[str, ...] = ("html",)
    defaults_path: str | None = None
    scenario: str | None = None


@dataclass(frozen=True)
class _Job:
    name: str
    params_path: str | None
    notebook: str
    out_dir: str
    parameters: dict[str, str]
    result_param: str
    result_required: bool
    timeout_s: float
    start_timeout_s: float
    kernel_name: str | None
    rewrite: dict[str, str] = field(default_factory=dict)
    formats: tuple[str, ...] = ("html",)


# ----------------------------------------------------------------------------------- file output


def _remove_css_comments(html: str) -> str:
    def clean(match: re.Match[str]) -> str:
        return re.sub(r"/\*.*?\*/", "", match.group(0), flags=re.DOTALL)

    return re.sub(r"<style\b[^>]*>.*?</style>", clean, html, flags=re.DOTALL | re.IGNORECASE)


def external_references(html: str) -> list[str]:
    """Find references to network resources in an HTML document.

    Parameters
    ----------
    html : str
        The document.

    Returns
    -------
    list of str
        Up to 80 characters of context for every ``<script src>``, ``<link href>``, ``<img src>``
        (and similar), CSS ``@import`` or ``url()`` pointing at ``http://``, ``https://`` or ``//``,
        every URL quoted inside an inline ``<script>`` (e.g. a require.js configuration), and any
        mention of a well-known CDN host. XML namespace URIs
        (``xmlns="http://www.w3.org/2000/svg"``) and ``<a href>`` links are not references.

    Examples
    --------
    >>> external_references('<script src="https://cdn.example/require.js"></script>')
    ['<script src="https://cdn.example/require.js"></script>']
    >>> external_references('<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    []
    """
    starts = [m.start() for m in _EXTERNAL_RE.finditer(html)]
    for script in _SCRIPT_RE.finditer(html):  # e.g. a require.js config inside an inline script
        starts += [script.start(1) + m.start() for m in _SCRIPT_URL_RE.finditer(script.group(1))]
    starts += [m.start() for m in _CDN_RE.finditer(html)]
    found: list[str] = []
    end = -1
    for start in sorted(starts):
        if start >= end:  # one entry per place, however many patterns matched it
            found.append(html[start : start + 80])
            end = start + 80
    return found


def export_html(nb: nbformat.NotebookNode, title: str) -> str:
    """Export an executed notebook as a self-contained, offline HTML report.

    Code cells' input is excluded (``exclude_input=True``), as are cells tagged ``remove-cell``,
    ``parameters`` or ``injected-parameters``, outputs of cells tagged ``remove-output``, stderr
    streams and the widget state. The template is JupyterLab's with the require.js, MathJax,
    Mermaid and widget loaders removed, and CSS comments are stripped, so the report contains no
    ``http(s)://`` reference other than XML namespace URIs.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook (not modified).
    title : str
        The HTML ``<title>`` when the notebook metadata has none.

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    ReportError
        If the report would still load something from the network (e.g. a Markdown image with an
        ``https://`` source).
    """
    import jinja2
    from nbconvert import HTMLExporter

    report = copy.deepcopy(nb)
    report.metadata.pop("widgets", None)
    kept = []
    for cell in report.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & _HIDDEN_CELL_TAGS or _FAILURE_TAG in tags:
            continue
        if cell.get("cell_type") == "code":
            if "remove-output" in tags:
                cell.outputs = []
            cell.outputs = [
                out
                for out in cell.outputs
                if not (out.get("output_type") == "stream" and out.get("name") == "stderr")
            ]
        kept.append(cell)
    report.cells = kept
    exporter = HTMLExporter(
        template_name="lab",
        template_file="cxplan_report.html.j2",
        extra_loaders=[jinja2.DictLoader({"cxplan_report.html.j2": _REPORT_TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    html, _ = exporter.from_notebook_node(report, resources={"metadata": {"name": title}})
    html = _remove_css_comments(html)
    found = external_references(html)
    if found:
        raise ReportError(f"the report would load from the network: {found[0]!r}")
    return html


# ------------------------------------------------------------------------------- notebook runs


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


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _normalise(nb: nbformat.NotebookNode, rewrite: dict[str, str]) -> None:
    """Remove run-dependent metadata so that identical runs store identical notebooks."""
    meta = nb.metadata.get("papermill")
    if meta is not None:
        for key in ("start_time", "end_time", "duration"):
            meta.pop(key, None)
        for key in ("input_path", "output_path"):
            if isinstance(meta.get(key), str):
                meta[key] = _rewrite(meta[key], rewrite)
        params = meta.get("parameters") or {}
        for key, value in list(params.items()):
            if isinstance(value, str):
                params[key] = _rewrite(value, rewrite)
    has_ids = (nb.get("nbformat"), nb.get("nbformat_minor", 0)) >= (4, 5)
    counters: dict[str, int] = {}
    for index, cell in enumerate(nb.cells):
        cell_meta = cell.get("metadata", {})
        cell_meta.pop("execution", None)
        pm_meta = cell_meta.get("papermill")
        if pm_meta is not None:
            for key in ("start_time", "end_time", "duration"):
                pm_meta.pop(key, None)
        tags = set(cell_meta.get("tags", []))
        fixed = next(
            (tag for tag in (_INJECTED_TAG, _PAPERMILL_ERROR_TAG, _FAILURE_TAG) if tag in tags),
            None,
        )
        if _INJECTED_TAG in tags:
            cell.source = _rewrite(cell.source, rewrite)
        if has_ids and fixed is not None:
            counters[fixed] = counters.get(fixed, 0) + 1
            cell.id = f"{fixed}-{counters[fixed]}"
        elif has_ids and not cell.get("id"):
            cell.id = f"cell-{index}"


def _rewrite(text: str, rewrite: dict[str, str]) -> str:
    for old, new in rewrite.items():
        text = text.replace(old, new)
    return text


def _add_failure_banner(nb: nbformat.NotebookNode, failure: Failure) -> None:
    import nbformat

    from cxplan.present.report import safe_text  # the message may quote a parameter file

    banner = nbformat.v4.new_markdown_cell(
        f'<span style="color:red; font-size:1.5em;">cxplan: execution stopped: '
        f"{safe_text(failure.message)}</span>"
    )
    banner.metadata["tags"] = [_FAILURE_TAG]
    nb.cells.insert(0, banner)


def _read_notebook(path: Path) -> nbformat.NotebookNode | None:
    import nbformat

    try:
        node: nbformat.NotebookNode = nbformat.read(path, as_version=4)
        return node
    except (OSError, ValueError):
        return None


def _deliverables(
    job: _Job, html: str, result: bytes | None
) -> dict[str | os.PathLike[str], bytes | str | None]:
    """Return the finished ``<name>.html`` and the exports asked for (PDF, workbook, charts)."""
    from cxplan.present.exports import report_outputs

    outputs = report_outputs(
        html,
        name=job.name,
        out_dir=job.out_dir,
        formats=job.formats,
        params_path=job.params_path,
        results_dir=job.parameters.get("results_dir"),
        result=result,
        defaults_path=job.parameters.get("defaults_path"),
    )
    files: dict[str | os.PathLike[str], bytes | str | None] = {}
    for path, content in outputs.items():
        files[path] = content
    return files


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


# ------------------------------------------------------------------------------ parallel running

_busy = False
_terminating = False
_batch_pid: int | None = None  # in a pool worker: the batch process that started it
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_WATCH_INTERVAL_S = 0.25
_HANGUP = (signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ()  # not on Windows


def _ignore(signum: int, frame: types.FrameType | None) -> None:
    """Do nothing (unlike SIG_IGN, a signal already pending is then harmless)."""


def _on_sigterm(signum: int, frame: types.FrameType | None) -> None:
    global _terminating
    for stop in (signal.SIGTERM, *_HANGUP):  # the batch may send SIGTERM after a SIGHUP
        signal.signal(stop, _ignore)
    _terminating = True
    if _busy:
        raise KeyboardInterrupt  # unwinds run_region: kernel shut down, work files removed
    raise SystemExit(130)


def _batch_gone() -> bool:
    """In a pool worker: whether the batch that started it has ended (the worker is orphaned).

    Workers are direct children of the batch (``spawn``), so their parent changes exactly when
    the batch dies, whatever killed it (``SIGKILL`` included).
    """
    return _batch_pid is not None and os.getppid() != _batch_pid


def _die_with_parent() -> None:
    """Have Linux send this process SIGTERM when its parent dies (``prctl(PR_SET_PDEATHSIG)``).

    Hand-written with ctypes: the standard library has no binding and no maintained small
    library is worth a dependency for one system call. Elsewhere (or without a usable libc)
    nothing happens: the watch thread of :func:`_worker_init` notices the parent's end too.
    """
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)


def _watch_batch() -> None:
    """Parent-alive check: SIGTERM this worker once its batch has gone."""
    while not _batch_gone():
        time.sleep(_WATCH_INTERVAL_S)
    os.kill(os.getpid(), signal.SIGTERM)


def _worker_init(batch_pid: int) -> None:
    global _batch_pid
    _batch_pid = batch_pid
    # Pool workers ignore Ctrl-C (the parent handles it) and abort cleanly on SIGTERM or SIGHUP
    # (a closed terminal), and when the batch dies: the parent-death signal, and a watch thread
    # for what it misses. Their kernels follow them (ipykernel polls its parent, JPY_PARENT_PID).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for stop in (signal.SIGTERM, *_HANGUP):
        signal.signal(stop, _on_sigterm)
    _die_with_parent()
    if _batch_gone():  # the batch died before the parent-death signal was set up
        os._exit(130)
    threading.Thread(target=_watch_batch, name="cxplan-batch-watch", daemon=True).start()
    # nbclient may leave an orphaned asyncio task whose "Kernel died" error asyncio would log
    # with a traceback when the kernel is stopped on an interrupt
    logging.getLogger("asyncio").disabled = True


def _pool_run_region(task: RegionTask) -> RegionResult:
    global _busy
    if _terminating or _batch_gone():  # the batch was interrupted or died: no further region
        os._exit(130)
    _busy = True
    try:
        return run_region(task)
    finally:
        _busy = False
        if _terminating:
            # run_region has cleaned up (kernel stopped, work files removed); leave now rather
            # than go back to the pool's queue and run a region after the interrupt
            os._exit(130)


def _crashed(task: RegionTask, exc: BaseException) -> RegionResult:
    return RegionResult(
        region=task.slug,
        params_path=Path(task.params_path),
        status="failed",
        duration_s=0.0,
        failure=Failure(task.slug, "internal", _one_line(f"{type(exc).__name__}: {exc}")),
    )


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker immune to SIGHUP (it ignores SIGINT and SIGTERM).

    A closed terminal sends SIGHUP to the whole process group; a dead tracker would be
    relaunched during the clean-up and print tracebacks about the pool's semaphores. A signal
    ignored when a process is started stays ignored in it.
    """
    from multiprocessing import resource_tracker

    if not _HANGUP or threading.current_thread() is not threading.main_thread():
        return  # (signal handlers can only be changed in the main thread)
    previous = signal.signal(_HANGUP[0], signal.SIG_IGN)
    try:
        resource_tracker.ensure_running()
    finally:
        signal.signal(_HANGUP[0], previous)


def _run_pool(
    tasks: Sequence[RegionTask], workers: int, done: Callable[[int, RegionResult], None]
) -> None:
    # spawn, not forkserver: the workers are children of this process, so they can die with it
    # (a forkserver outlives a killed batch, and so would workers forked from it)
    context = multiprocessing.get_context("spawn")
    _start_resource_tracker()
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)),
        mp_context=context,
        initializer=_worker_init,
        initargs=(os.getpid(),),
    )
    futures: dict[Future[RegionResult], int] = {}
    try:
        futures = {pool.submit(_pool_run_region, task): i for i, task in enumerate(tasks)}
        for future in as_completed(futures):
            index = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # a worker died (BrokenProcessPool) or could not unpickle
                outcome = _crashed(tasks[index], exc)
            done(index, outcome)
    except BaseException:
        for future in futures:
            future.cancel()
        processes = getattr(pool, "_processes", None) or {}
        for process in list(processes.values()):
            with contextlib.suppress(OSError, ValueError):
                if process.is_alive() and process.pid is not None:
                    os.kill(process.pid, signal.SIGTERM)
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _run_dask(
    tasks: Sequence[RegionTask], client: Any, done: Callable[[int, RegionResult], None]
) -> None:
    from distributed import as_completed as dask_as_completed

    futures = client.map(run_region, list(tasks), pure=False)
    index = {future.key: i for i, future in enumerate(futures)}
    try:
        for future in dask_as_completed(futures):
            i = index[future.key]
            try:
                outcome = future.result()
            except Exception as exc:  # the worker died or raised outside run_region's guard
                outcome = _crashed(tasks[i], exc)
            done(i, outcome)
    except BaseException:
        client.cancel(futures)
        raise


# ------------------------------------------------------------------------------- batch driver


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


def _prepare_out_dir(out_dir: Path) -> Path:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ReportError(f"output directory {out_dir} exists and is not a directory") from None
    except OSError as exc:
        raise ReportError(
            f"cannot create output directory {out_dir}: {exc.strerror or exc}"
        ) from None
    if not out_dir.is_dir():
        raise ReportError(f"output directory {out_dir} exists and is not a directory")
    try:
        fd, probe = tempfile.mkstemp(prefix=f"{_WORK_PREFIX}probe-", dir=out_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ReportError(
            f"cannot write to output directory {out_dir}: {exc.strerror or exc}"
        ) from None
    return out_dir.resolve()


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
            _run_dask(tasks, client, done)
        elif workers > 1 and len(tasks) > 1:
            _run_pool(tasks, workers, done)
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
