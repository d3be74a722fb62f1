"""Named scenarios of a region: overlays of parameter fields, merged over the region file.

A scenario changes some fields of a region and keeps the rest (`conservative`: a smaller AHT
reduction; `hybrid-50`: half the contacts to the vendor). It is written in one of two places:

- in the region file, under ``scenarios:`` -- a mapping of name → overlay::

      scenarios:
        conservative:
          initiative: {aht_reduction: {mode: 0.08}, realisation: 0.8}
        hybrid-50:
          sourcing: {vendor_share: 0.5}

- or as a file of its own in the folder beside the region file named after it,
  ``<region stem>.scenarios/<name>.yaml`` (``params/regions/north-america.scenarios/
  hybrid-50.yaml``), holding the overlay alone. The live planner saves its settings there
  (:func:`save_scenario`). That folder is not a region file, so ``cxplan report
  params/regions/`` does not mistake it for one.

An overlay has the keys of a region file, nested the same way, and is merged over the region
exactly as the region is merged over ``defaults.yaml`` (mappings merge key by key; a list or a
value replaces the region's); the result is validated with the same schema, and each problem is
reported as ``file:line: scenarios.NAME.field: message`` (:func:`cxplan.config.params.load_params`
validates every scenario of a file). A scenario cannot rename the region or change its currency
(its reports are named after the region and compared with it in its currency).

Names are plain slugs (:func:`check_name`): lowercase letters, digits and single hyphens, at
most 40 characters; ``base`` is reserved for the region's own values.
"""

from __future__ import annotations

import numbers
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from cxplan.config.yamlfile import Locator, format_location, load_yaml
from cxplan.errors import InputError, ParamsError

__all__ = [
    "BASE",
    "FIXED_FIELDS",
    "SCENARIOS_KEY",
    "Scenario",
    "check_name",
    "nest",
    "read_scenarios",
    "save_scenario",
    "scenario_folder",
    "scenario_path",
    "scenario_yaml",
]

#: The key of a region file that holds its scenarios.
SCENARIOS_KEY = "scenarios"
#: The name the region's own values go by in comparisons (no scenario may take it).
BASE = "base"
#: Fields a scenario may not change, with the reason.
FIXED_FIELDS: dict[tuple[str, ...], str] = {
    ("region", "name"): "a scenario cannot rename the region (its reports are named after it)",
    ("region", "currency"): "a scenario cannot change the currency (it is compared with the "
    "region in the region's currency)",
}

_MAX_NAME = 40
_NAME_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_FOLDER_SUFFIX = ".scenarios"


class Scenario(NamedTuple):
    """One named scenario as written: its overlay and where each of its keys is."""

    name: str
    overlay: dict[str, Any]
    locator: Locator  # locations relative to the overlay (its root: the overlay's mapping)


def check_name(name: object) -> str | None:
    """Return why ``name`` cannot name a scenario, or ``None`` when it can.

    Examples
    --------
    >>> check_name("hybrid-50") is None
    True
    >>> check_name("Hybrid 50")
    "must be a slug: lowercase letters, digits and single hyphens, at most 40 characters (got 'Hybrid 50')"
    >>> check_name("base")
    "'base' is reserved for the region's own values"
    """  # noqa: E501
    if not isinstance(name, str) or len(name) > _MAX_NAME or not _NAME_RE.fullmatch(name):
        shown = repr(name) if len(repr(name)) <= 60 else repr(name)[:57] + "..."
        return (
            "must be a slug: lowercase letters, digits and single hyphens, at most "
            f"{_MAX_NAME} characters (got {shown})"
        )
    if name == BASE:
        return f"{BASE!r} is reserved for the region's own values"
    return None


def scenario_folder(region_path: str | os.PathLike[str]) -> Path:
    """Return the folder of a region's scenario files: ``<stem>.scenarios`` beside it.

    Examples
    --------
    >>> scenario_folder("params/regions/north-america.yaml").as_posix()
    'params/regions/north-america.scenarios'
    """
    p = Path(region_path)
    return p.with_name(p.stem + _FOLDER_SUFFIX)


def scenario_path(region_path: str | os.PathLike[str], name: str) -> Path:
    """Return the file a scenario ``name`` of a region is saved in.

    Raises
    ------
    InputError
        ``name`` is not a scenario name (:func:`check_name`).
    """
    problem = check_name(name)
    if problem is not None:
        raise InputError(f"scenario name {problem}")
    return scenario_folder(region_path) / f"{name}.yaml"


def _got(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return f"the value {text if len(text) <= 60 else text[:57] + '...'}"


def _overlay_problems(name: str, overlay: object, locator: Locator) -> list[str]:
    """Problems with an overlay's shape (the schema checks its content)."""
    prefix = format_location((SCENARIOS_KEY, name))
    if not isinstance(overlay, dict) or not overlay:
        file, line = locator.locate(())
        return [
            f"{file}:{line}: {prefix}: expected a mapping of the fields the scenario changes "
            f"(got {'an empty mapping' if overlay == {} else _got(overlay)})"
        ]
    problems = []
    for fixed, reason in FIXED_FIELDS.items():
        section = overlay.get(fixed[0])
        if isinstance(section, Mapping) and fixed[1] in section:
            file, line = locator.locate(fixed)
            problems.append(f"{file}:{line}: {prefix}.{format_location(fixed)}: {reason}")
    return problems


def read_scenarios(
    region_path: str | os.PathLike[str], region: tuple[Any, Locator] | None = None
) -> dict[str, Scenario]:
    """Read a region's scenarios: the file's ``scenarios:`` and its scenario folder's files.

    Only the names and the shape are checked here (a mapping of fields per scenario, names that
    are slugs, each name once, no change of the region's name or currency); the content is
    validated by :func:`cxplan.config.params.load_params`.

    Parameters
    ----------
    region_path : str or os.PathLike
        The region file.
    region : (data, Locator), optional
        The region file as already read (:func:`~cxplan.config.yamlfile.load_yaml`).

    Returns
    -------
    dict of str to Scenario
        By name: the file's scenarios in their order, then the folder's by file name.

    Raises
    ------
    ParamsError
        One ``file:line: scenarios.NAME: problem`` line per problem.
    """
    data, locator = region if region is not None else load_yaml(region_path)
    found: dict[str, Scenario] = {}
    where: dict[str, str] = {}
    problems: list[str] = []
    section = data.get(SCENARIOS_KEY) if isinstance(data, dict) else None
    if isinstance(data, dict) and SCENARIOS_KEY in data:
        if not isinstance(section, dict):
            file, line = locator.locate((SCENARIOS_KEY,))
            problems.append(
                f"{file}:{line}: {SCENARIOS_KEY}: expected a mapping of scenario name → the "
                f"fields it changes (got {_got(section)})"
            )
            section = {}
        for name, overlay in section.items():
            file, line = locator.locate((SCENARIOS_KEY, name))
            problem = check_name(name)
            if problem is not None:
                label = format_location((SCENARIOS_KEY, name))
                problems.append(f"{file}:{line}: {label}: {problem}")
                continue
            sub = locator.subtree((SCENARIOS_KEY, name))
            shape = _overlay_problems(name, overlay, sub)
            if shape:
                problems.extend(shape)
                continue
            found[name] = Scenario(name, overlay, sub)
            where[name] = f"{file}:{line}"
    folder = scenario_folder(region_path)
    if folder.is_dir():
        files = sorted(f for f in folder.iterdir() if f.suffix in (".yaml", ".yml"))
        for path in files:
            name = path.stem
            label = format_location((SCENARIOS_KEY, name))
            problem = check_name(name)
            if problem is not None:
                problems.append(f"{path}:1: {label}: the file name {problem}")
                continue
            if path.is_symlink() or not path.is_file():
                problems.append(f"{path}:1: {label}: must be a regular file (not a link)")
                continue
            if name in where:
                problems.append(
                    f"{path}:1: {label}: also defined at {where[name]} (give it one place)"
                )
                continue
            try:
                overlay, file_locator = load_yaml(path)
            except ParamsError as exc:
                problems.extend(exc.problems)
                continue
            shape = _overlay_problems(name, overlay, file_locator)
            if shape:
                problems.extend(shape)
                continue
            found[name] = Scenario(name, overlay, file_locator)
            where[name] = f"{path}:1"
    if problems:
        raise ParamsError(problems)
    return found


def nest(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Turn dotted field paths into the nested mapping a parameter file writes.

    Examples
    --------
    >>> nest({"sourcing.vendor_share": 0.5, "initiative.aht_reduction": 0.1,
    ...       "initiative.deflection": 0.05})
    {'sourcing': {'vendor_share': 0.5}, 'initiative': {'aht_reduction': 0.1, 'deflection': 0.05}}
    """
    out: dict[str, Any] = {}
    for path, value in overrides.items():
        *parents, leaf = path.split(".")
        target = out
        for part in parents:
            target = target.setdefault(part, {})
        if isinstance(value, Mapping) and isinstance(target.get(leaf), dict):
            target[leaf] = {**target[leaf], **value}
        else:
            target[leaf] = value
    return out


def _plain(value: Any) -> Any:
    """Plain YAML data: numpy scalars as numbers, tuples as lists, dates as ISO text."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def scenario_yaml(overlay: Mapping[str, Any], *, comment: str = "") -> str:
    """Write an overlay as the text of a scenario file (``comment`` lines first).

    Examples
    --------
    >>> print(scenario_yaml({"sourcing": {"vendor_share": 0.5}}, comment="half outsourced"),
    ...       end="")
    # half outsourced
    sourcing:
      vendor_share: 0.5
    """
    head = "".join(f"# {line}\n" for line in comment.splitlines())
    body = yaml.safe_dump(_plain(overlay), sort_keys=False, allow_unicode=True)
    return head + body


def save_scenario(
    region_path: str | os.PathLike[str],
    name: str,
    overlay: Mapping[str, Any],
    *,
    comment: str = "",
    replace: bool = False,
) -> Path:
    """Write a scenario file beside a region file, atomically, and check that it loads.

    Parameters
    ----------
    region_path : str or os.PathLike
        The region file.
    name : str
        The scenario's name (:func:`check_name`); not one the region file defines itself.
    overlay : mapping
        The fields the scenario changes, nested as in a parameter file.
    comment : str, optional
        Written as comment lines at the top of the file.
    replace : bool, optional
        Overwrite a scenario file of that name (default: refuse).

    Returns
    -------
    pathlib.Path
        The file written (``<region stem>.scenarios/<name>.yaml``).

    Raises
    ------
    InputError
        A bad name, a name taken, or an empty overlay; nothing is written.
    ParamsError
        The scenario does not validate over the region; the previous file (or none) is put back.
    """
    from cxplan._io import atomic_write
    from cxplan.config.params import load_params

    target = scenario_path(region_path, name)
    if not overlay:
        raise InputError("nothing to save: no setting differs from the region file")
    data, _ = load_yaml(region_path)
    section = data.get(SCENARIOS_KEY) if isinstance(data, dict) else None
    if isinstance(section, dict) and name in section:
        raise InputError(
            f"the region file already defines a scenario {name!r}; choose another name"
        )
    previous = target.read_bytes() if target.is_file() else None
    if previous is not None and not replace:
        raise InputError(f"a scenario {name!r} is already saved ({target}); choose another name")
    target.parent.mkdir(exist_ok=True)
    atomic_write(target, scenario_yaml(overlay, comment=comment))
    try:
        load_params(region_path, scenario=name)
    except ParamsError:
        if previous is None:
            target.unlink()
        else:
            atomic_write(target, previous)
        raise
    return target
