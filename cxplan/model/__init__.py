"""One region end to end: parameters → volumes → staffing → costs → ROI and risk → plan.

:class:`RegionModel` turns a validated :class:`~cxplan.config.params.RegionParams` into every table
the
notebooks, the live planner and the batch reports show. Each result is computed once, on first
use (``functools.cached_property``), so a notebook that shows only the staffing never pays for the
Monte Carlo. :meth:`RegionModel.headline` gathers the key figures into a JSON-ready dict, the
machine-readable result a region report hands on to the portfolio.
"""

from cxplan.model._common import DEMO_MARKER, RESULT_VERSION
from cxplan.model.region import RegionModel, load_region

__all__ = ["DEMO_MARKER", "RESULT_VERSION", "RegionModel", "load_region"]
