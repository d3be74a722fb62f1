"""The planner's settings as a named scenario: saved beside the region file, compared with it.

The planner holds its changes as overrides of parameter fields (dotted paths, see
:mod:`cxplan.app.overrides`). :func:`scenario_overlay` turns them into the overlay a scenario
file holds (nested as in a parameter file), taking each value from the validated parameters
(so an uncertain input keeps the low/mode/high range the planner widened, and a location preset
is written field by field); loading the saved scenario gives exactly the planner's parameters.
:func:`save_planner_scenario` writes it (:func:`cxplan.config.scenarios.save_scenario`:
``<region stem>.scenarios/<name>.yaml``, atomic, checked by loading it back);
:func:`compare_settings` compares the planner's settings with the region file's
(:func:`cxplan.model.scenarios.compare`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from cxplan.config.params import RegionParams
from cxplan.config.scenarios import nest, save_scenario
from cxplan.model import RegionModel
from cxplan.model.scenarios import compare

__all__ = [
    "COMPARE_DRAWS",
    "CURRENT",
    "compare_settings",
    "save_planner_scenario",
    "scenario_overlay",
]

#: Monte Carlo draws behind the comparison's "chance of payback" (the report uses the file's).
COMPARE_DRAWS = 2_000
#: The comparison's name for the planner's current settings.
CURRENT = "current"


def scenario_overlay(params: RegionParams, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Return the planner's overrides as a scenario overlay, values read off ``params``.

    Parameters
    ----------
    params : RegionParams
        The planner's current (validated) parameters.
    overrides : mapping of str to value
        ``Planner.overrides``: dotted field path → value (``"location"``: a preset section).

    Returns
    -------
    dict
        Nested as in a parameter file, e.g. ``{"sourcing": {"vendor_share": 0.5}}``.
    """
    data = params.model_dump(mode="json")
    flat: dict[str, Any] = {}
    for path in overrides:
        value: Any = data
        for part in path.split("."):
            value = value[part]
        if isinstance(value, Mapping) and {"low", "mode", "high"} <= set(value):
            value = {k: value[k] for k in ("low", "mode", "high", "dist")}
        flat[path] = value
    return nest(flat)


def save_planner_scenario(
    region_path: str | Path,
    name: str,
    params: RegionParams,
    overrides: Mapping[str, Any],
) -> Path:
    """Save the planner's settings as scenario ``name`` of a region file.

    Raises
    ------
    InputError
        A bad or taken name, or no change to save (nothing is written).
    ParamsError
        The scenario does not load back (nothing is kept).
    """
    region = Path(region_path)
    comment = (
        f"Scenario {name} of {region.name}, saved from the cxplan planner:\n"
        "the fields it changes, merged over the region file (params/defaults.yaml explains)."
    )
    return save_scenario(region, name, scenario_overlay(params, overrides), comment=comment)


def compare_settings(
    base: RegionParams,
    params: RegionParams,
    *,
    params_root: str | Path | None = None,
    draws: int = COMPARE_DRAWS,
) -> pd.DataFrame:
    """Compare the planner's settings with the region file's (:func:`compare`'s table).

    The settings are the scenario :data:`CURRENT`; the Monte Carlo behind the chance of
    payback runs ``draws`` draws for both.
    """
    root = params_root
    base_model = RegionModel(base, params_root=root, monte_carlo_draws=draws)
    current = RegionModel(params, params_root=root, monte_carlo_draws=draws)
    return compare(base_model, {CURRENT: current})
