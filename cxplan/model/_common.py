"""Constants and small helpers shared by the parts of :class:`~cxplan.model.RegionModel`."""

from __future__ import annotations

import gzip
import math
from pathlib import Path
from typing import Any

from cxplan.config.params import Dist
from cxplan.economics import risk

__all__ = ["DEMO_MARKER", "RESULT_VERSION", "distribution", "finite_or_none", "is_demo_file"]

#: First line of cxplan's synthetic demo data files (lower case), so outputs can label them.
DEMO_MARKER = "# cxplan demo data"

#: Version of the result file layout written by :meth:`RegionModel.headline`.
RESULT_VERSION = 1


def distribution(value: float | Dist) -> Any:
    """Turn a params value (a number or low/mode/high) into a risk distribution or a float."""
    if isinstance(value, Dist):
        if value.dist == "triangular":
            return risk.Triangular(value.low, value.mode, value.high)
        return risk.Pert(value.low, value.mode, value.high)
    return float(value)


def finite_or_none(x: Any) -> float | None:
    """Return ``float(x)``, or ``None`` when it is not finite (JSON has no inf or NaN)."""
    v = float(x)
    return v if math.isfinite(v) else None


def is_demo_file(path: Path) -> bool:
    """Whether a data file is cxplan's synthetic demo data: its first line is the marker.

    Reads only the first line (of the decompressed text for ``.gz`` files).
    """
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
                first = fh.readline()
        else:
            with path.open(encoding="utf-8", errors="replace") as fh:
                first = fh.readline()
    except (OSError, EOFError):
        return False
    return first.lower().startswith(DEMO_MARKER)
