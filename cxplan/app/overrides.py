"""The planner's controls as parameter overrides, validated like a parameter file.

Every control of the live planner names one parameter field (:data:`CONTROLS`); its value is an
override of that field. :func:`with_overrides` merges the overrides into the region's parameters
and validates the result with the same schema a parameter file goes through
(``RegionParams.model_validate``), so a control can never reach a value a parameter file could
not hold; :func:`override_error` turns a refusal into one line in the control's own unit.

Uncertain inputs (``initiative.aht_reduction`` given as low/mode/high) keep their range: the
control sets the most likely value and the range widens to include it, so the tornado and the
Monte Carlo always vary the input around the value shown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from cxplan.app.inputs import Kind, format_value
from cxplan.config.params import UNCERTAIN_INITIATIVE_INPUTS, LocationParams, RegionParams
from cxplan.economics import costs
from cxplan.errors import InputError

__all__ = [
    "CONTROLS",
    "REGION_LOCATION",
    "ControlSpec",
    "app_params_path",
    "control_path",
    "location_options",
    "location_override",
    "override_error",
    "region_files",
    "slider_range",
    "with_overrides",
]

#: The location dropdown's value for "the region's own location".
REGION_LOCATION = "region"
#: Environment variable through which ``cxplan app PATH`` hands the planner its region(s).
PARAMS_ENV = "CXPLAN_APP_PARAMS"


@dataclass(frozen=True)
class ControlSpec:
    """One control: the field it overrides, its unit and its help text.

    ``path`` is the dotted field path; ``{channel}`` stands for the channel selected in the
    planner (the per-channel controls).
    """

    key: str
    label: str
    kind: Kind
    path: str
    help: str
    channel_kinds: tuple[str, ...] = ()  # per-channel controls: the channel kinds that have it

    @property
    def per_channel(self) -> bool:
        """Whether the control edits the selected channel."""
        return "{channel}" in self.path


_QUEUED = ("voice", "chat")
_ALL = ("voice", "chat", "email")

#: Every numeric control of the planner, in display order.
CONTROLS: tuple[ControlSpec, ...] = (
    ControlSpec(
        "weekly_contacts", "Contacts / week", "count", "channels.{channel}.weekly_contacts",
        "Contacts a week in the plan's first week for the selected channel (growth and "
        "seasonality apply on top).", _ALL,
    ),
    ControlSpec(
        "aht_s", "AHT", "seconds", "channels.{channel}.aht_s",
        "Average handle time of one contact of the selected channel (talk or handling, hold "
        "and wrap-up).", _ALL,
    ),
    ControlSpec(
        "sl_target", "Service level", "share", "channels.{channel}.sl_target",
        "Share of contacts to be answered within the answer time (voice and chat).", _QUEUED,
    ),
    ControlSpec(
        "answer_time_s", "Answered within", "seconds", "channels.{channel}.answer_time_s",
        "The service level's answer time (voice and chat).", _QUEUED,
    ),
    ControlSpec(
        "max_occupancy", "Occupancy cap", "share", "channels.{channel}.max_occupancy",
        "Highest share of staffed time agents spend handling contacts of the selected channel.",
        _ALL,
    ),
    ControlSpec(
        "shrinkage", "Shrinkage", "share", "workforce.shrinkage",
        "Share of paid time agents are not available (breaks, training, absence).",
    ),
    ControlSpec(
        "wage_per_hour", "Agent wage / hour", "money", "location.wage_per_hour",
        "Base wage of an agent per paid hour, before benefits.",
    ),
    ControlSpec(
        "vendor_share", "Outsourced share", "share", "sourcing.vendor_share",
        "Share of the compared channel's contacts the hybrid option sends to the vendor.",
    ),
    ControlSpec(
        "aht_reduction", "AHT reduction", "share", "initiative.aht_reduction",
        "The initiative's most likely cut in handle time (its low-high range widens to "
        "include the value).",
    ),
    ControlSpec(
        "deflection", "Deflection", "share", "initiative.deflection",
        "The initiative's most likely share of contacts deflected to self-service (its "
        "low-high range widens to include the value).",
    ),
    ControlSpec(
        "horizon_months", "Finance horizon", "months", "finance.horizon_months",
        "Months of the business case (its NPV, ROI and payback).",
    ),
)  # fmt: skip


def control_path(spec: ControlSpec, channel: str) -> str:
    """Return the dotted field path a control edits (its ``{channel}`` filled in)."""
    return spec.path.format(channel=channel)


def _widen(current: Any, value: float) -> Any:
    """Make ``value`` the mode of a low/mode/high input, widening the range to include it."""
    if isinstance(current, Mapping) and {"low", "mode", "high"} <= set(current):
        return {
            **current,
            "low": min(float(current["low"]), value),
            "mode": value,
            "high": max(float(current["high"]), value),
        }
    return value


_UNCERTAIN = {f"initiative.{name}" for name in UNCERTAIN_INITIATIVE_INPUTS}


def with_overrides(params: RegionParams, overrides: Mapping[str, Any]) -> RegionParams:
    """Return the region's parameters with the planner's overrides, validated afresh.

    Parameters
    ----------
    params : RegionParams
        The region as loaded from its file.
    overrides : mapping of str to value
        Dotted field path → value (``"channels.voice.aht_s": 420.0``). A mapping value
        replaces the fields it names (``"location": {...}`` for a location preset); an
        uncertain initiative input keeps its range, widened to include the value.

    Returns
    -------
    RegionParams
        Validated by the parameter schema (``RegionParams.model_validate``).

    Raises
    ------
    pydantic.ValidationError
        An override the schema refuses (see :func:`override_error`).
    """
    # Sections no override touches are passed as the validated (frozen) objects they are:
    # pydantic takes an instance of the field's model as it is, so only the edited sections and
    # the cross-section checks run again (the skills section's check alone stages Erlang
    # staffing: ~8 ms per slider step). The result equals validating the whole dump.
    data: dict[str, Any] = {name: getattr(params, name) for name in type(params).model_fields}
    for section in dict.fromkeys(path.split(".", 1)[0] for path in overrides):
        if isinstance(data[section], BaseModel):
            data[section] = data[section].model_dump()
    for path, value in overrides.items():
        *parents, leaf = path.split(".")
        target = data
        for part in parents:
            target = target[part]
        if path in _UNCERTAIN:
            target[leaf] = _widen(target[leaf], float(value))
        elif isinstance(value, Mapping) and isinstance(target.get(leaf), Mapping):
            target[leaf] = {**target[leaf], **value}
        else:
            target[leaf] = value
    return RegionParams.model_validate(data)


_BOUNDS = {"gt": "above", "ge": "at least", "lt": "below", "le": "at most"}


def override_error(
    exc: ValidationError, spec: ControlSpec | None = None, currency: str | None = None
) -> str:
    """One line saying why the schema refused an override, in the control's unit.

    A bound is written as the control shows values (``must be at most 100 %``).
    """
    parts = []
    for error in exc.errors(include_url=False):
        ctx = error.get("ctx") or {}
        bound = next(((word, ctx[k]) for k, word in _BOUNDS.items() if k in ctx), None)
        if bound is not None and spec is not None and isinstance(bound[1], int | float):
            shown = format_value(float(bound[1]), spec.kind, currency=currency)
            message = f"must be {bound[0]} {shown}"
        else:
            message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        where = ".".join(str(x) for x in error.get("loc", ()))
        label = spec.label if spec is not None else where
        parts.append(f"{label}: {message}" if label else message)
    return "; ".join(dict.fromkeys(parts)) or "invalid value"


def location_options(params: RegionParams) -> list[tuple[str, str]]:
    """List the location dropdown: the region's own location, then the presets it can price.

    The presets (:data:`cxplan.economics.costs.LOCATION_PRESETS`, seed 001) are in USD; a
    region in another currency offers them only when its ``fx.rates`` gives the USD rate.
    """
    options = [(f"{params.location.name} (this region)", REGION_LOCATION)]
    if _usd_rate(params) is not None:
        options += [(name.replace("_", " "), name) for name in costs.LOCATION_PRESETS]
    return options


def _usd_rate(params: RegionParams) -> float | None:
    if params.region.currency == "USD":
        return 1.0
    rate = params.fx.rates.get("USD")
    return None if rate is None else float(rate)


def location_override(params: RegionParams, preset: str) -> dict[str, Any] | None:
    """Return a preset as ``location`` section fields (converted to the region's currency).

    ``None`` for the region's own location (no override). The preset's attrition is not used:
    attrition is the workforce section's (``workforce.attrition_annual``).
    """
    if preset == REGION_LOCATION:
        return None
    if preset not in costs.LOCATION_PRESETS:
        raise InputError(f"unknown location {preset!r}")
    rate = _usd_rate(params)
    if rate is None:
        raise InputError(f"the presets are in USD and the region gives no fx.rates.USD ({preset})")
    from cxplan.config.money import is_money

    profile = costs.LOCATION_PRESETS[preset]
    out: dict[str, Any] = {"name": preset.replace("_", " ").capitalize()}
    for field in LocationParams.model_fields:
        if field == "name" or not hasattr(profile, field):
            continue
        value = float(getattr(profile, field))
        out[field] = value * rate if is_money(LocationParams, field) else value
    return out


def region_files(path: str | Path) -> list[Path]:
    """List the region files a planner may switch between: a file, or a folder's files.

    A folder lists every ``*.yaml``/``*.yml`` in it except ``defaults.yaml``, by name.

    Raises
    ------
    InputError
        No such file or folder, or a folder without region files.
    """
    p = Path(path)
    if p.is_file():
        return [p]
    if not p.is_dir():
        raise InputError(f"no region file or folder at {p}")
    files = sorted(
        f
        for f in p.iterdir()
        if f.suffix in (".yaml", ".yml") and f.name != "defaults.yaml" and f.is_file()
    )
    if not files:
        raise InputError(f"{p} holds no region files (*.yaml)")
    return files


def app_params_path(default: str | Path) -> Path:
    """Return the region file or folder to plan: ``cxplan app PATH``'s, else ``default``.

    ``cxplan app`` passes its ``PATH`` to the planner notebook's kernel in the environment
    variable ``CXPLAN_APP_PARAMS``; a notebook opened directly uses its own ``params_path``.
    """
    import os

    given = os.environ.get(PARAMS_ENV, "").strip()
    return Path(given) if given else Path(default)


def slider_range(spec: ControlSpec, value: float) -> tuple[float, float, float]:
    """Return a slider's (min, max, step) around a region's value (typing may go beyond)."""
    v = abs(float(value))
    if spec.kind == "share":
        lows = {"sl_target": 0.5, "max_occupancy": 0.5}
        highs = {"sl_target": 0.99, "shrinkage": 0.6, "aht_reduction": 0.6, "deflection": 0.8}
        return lows.get(spec.key, 0.0), max(highs.get(spec.key, 1.0), v), 0.01
    if spec.kind == "months":
        return 12.0, max(60.0, v), 6.0
    if spec.kind == "seconds":
        if spec.key == "answer_time_s":
            return 0.0, max(300.0, 2 * v), 5.0
        return 30.0, max(1200.0, 2 * v), 5.0
    top = max(4 * v, 1000.0 if spec.kind == "count" else 10.0)
    step = 10 ** math.floor(math.log10(top / 200)) if top > 0 else 1.0
    low = 0.0 if spec.kind == "count" else step
    return low, float(math.ceil(top / step) * step), float(step)
