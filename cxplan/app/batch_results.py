"""What a batch run reports: per-region tasks, results and failures (:mod:`cxplan.app.batch`).

:class:`RegionTask` is what one region run needs (picklable, for a process pool or Dask);
:class:`RegionResult` and :class:`Failure` are what it returns; :class:`BatchResult` gathers them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

__all__ = [
    "BatchResult",
    "Failure",
    "ProgressCallback",
    "RegionResult",
    "RegionTask",
]

ProgressCallback = Callable[[int, int, "RegionResult"], None]
"""``progress(done, total, result)``: called in the calling process as each region finishes."""


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


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
