"""Batch output files: the output folder, and executed notebooks made ready to publish.

The output folder is checked (created, writable) before anything runs; work files live in hidden
``.cxplan-*`` folders inside it. An executed notebook is normalised (no run-dependent metadata, work
paths rewritten to the published ones) so identical runs store identical files; a failed one
gets an error banner. :func:`_deliverables` asks :mod:`cxplan.present.exports` for the report files;
everything is published with :func:`cxplan._io.atomic_write_many`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from cxplan.app.batch_results import Failure, _Job
from cxplan.app.html_export import _FAILURE_TAG, _INJECTED_TAG, _PAPERMILL_ERROR_TAG
from cxplan.errors import ReportError

if TYPE_CHECKING:
    import nbformat

__all__: list[str] = []

_WORK_PREFIX = ".cxplan-"


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
