"""Where each assumption comes from: the "Assumptions and sources" appendix of a report.

Parameter files cite their sources in comments (``wage_per_hour: 24.0  # seed 001: US $18-35/h``).
:func:`assumptions_table` lists every value a region uses — from the region file or the defaults
it is merged over — with the comment that cites it, so client prose can stay free of citations
and the appendix carries them all. A value's source is the comment at the end of its line, else
the comment block directly above it (or above the block that holds it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from cxplan.config.yamlfile import Locator, load_yaml

__all__ = ["assumptions_table"]


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list) and any(isinstance(v, dict | list) for v in data):
        for i, value in enumerate(data):
            yield from _leaves(value, (*path, i))
    else:
        yield path, data


def _comment_of(line: str) -> str:
    """Return the comment at the end of a YAML line (``#`` after whitespace, outside quotes)."""
    quote: str | None = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[i + 1 :].strip()
    return ""


def _block_above(lines: list[str], index: int) -> str:
    """Join the comment lines directly above line ``index`` (0-based); not the file header."""
    out: list[str] = []
    j = index - 1
    while j >= 0 and lines[j].lstrip().startswith("#"):
        out.insert(0, lines[j].lstrip()[1:].strip())
        j -= 1
    if j < 0:  # the comment block opens the file: it describes the file, not this value
        return ""
    return " ".join(out)


def _source(lines: list[str], locator: Locator, path: tuple[Any, ...]) -> str:
    line_no = locator.line(path)
    text = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
    found = _comment_of(text) or _block_above(lines, line_no - 1)
    if found:
        return found
    # the comment above the enclosing block (e.g. a list item or a section)
    for cut in range(len(path) - 1, 0, -1):
        outer = locator.line(path[:cut])
        if outer != line_no:
            block = _comment_of(lines[outer - 1]) or _block_above(lines, outer - 1)
            if block:
                return block
    return ""


def _owned_by_top(path: tuple[Any, ...], top: dict[Any, Any]) -> bool:
    node: Any = top
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
            if not isinstance(node, dict):
                return True  # a list or scalar in the region file replaces the default wholesale
        else:
            return isinstance(node, list)
    return True


def assumptions_table(
    region_path: str | os.PathLike[str],
    defaults_path: str | os.PathLike[str] | None = None,
    *,
    scenario: str | None = None,
) -> pd.DataFrame:
    """Every value a region uses, with the file it comes from and the comment citing it.

    Parameters
    ----------
    region_path : path
        The region file.
    defaults_path : path, optional
        The defaults it is merged over (:func:`cxplan.config.params.find_defaults` when omitted).
    scenario : str, optional
        A named scenario of the region (:mod:`cxplan.config.scenarios`): its values replace the
        region's, marked ``scenario``. The region's ``scenarios:`` are never assumptions of the
        region itself.

    Returns
    -------
    pandas.DataFrame
        Columns ``field`` (dotted path), ``value`` (as written), ``source`` (the citing comment,
        empty when none), ``file`` (``scenario``, ``region`` or ``defaults``), in file order.

    Examples
    --------
    >>> t = assumptions_table("params/regions/north-america.yaml")
    >>> row = t.set_index("field").loc["location.wage_per_hour"]
    >>> row["file"], row["source"].startswith("seed 001")
    ('region', True)
    >>> t = assumptions_table("params/regions/north-america.yaml", scenario="hybrid-50")
    >>> t.set_index("field").loc["sourcing.vendor_share", ["value", "file"]].tolist()
    [0.5, 'scenario']
    """
    from cxplan.config.params import find_defaults  # imported here: params imports this package
    from cxplan.config.scenarios import SCENARIOS_KEY, read_scenarios

    region = Path(region_path)
    defaults = Path(defaults_path) if defaults_path is not None else find_defaults(region)
    top, top_loc = load_yaml(region)
    top = {k: v for k, v in top.items() if k != SCENARIOS_KEY}
    # (data, locator, lines, file label, order), highest layer first
    layers: list[tuple[dict[Any, Any], Locator, list[str], str, int]] = []
    if scenario is not None:
        found = read_scenarios(region)[scenario]
        lines = Path(found.locator.path).read_text(encoding="utf-8").splitlines()
        layers.append((found.overlay, found.locator, lines, "scenario", -1))
    layers.append((top, top_loc, region.read_text(encoding="utf-8").splitlines(), "region", 0))
    if defaults is not None:
        base, base_loc = load_yaml(defaults)
        base_lines = defaults.read_text(encoding="utf-8").splitlines()
        layers.append((base, base_loc, base_lines, "defaults", 1))
    rows: list[dict[str, Any]] = []
    for k, (data, locator, lines, label, order) in enumerate(layers):
        above = [layer[0] for layer in layers[:k]]
        for path, value in _leaves(data):
            if any(_owned_by_top(path, higher) for higher in above):
                continue
            source = _source(lines, locator, path)
            if not source and label == "scenario":  # what the scenario says about itself
                source = _scenario_comment(lines, locator.line(()))
            rows.append(
                {
                    "field": _dotted(path),
                    "value": value,
                    "source": source,
                    "file": label,
                    "_order": (order, locator.line(path)),
                }
            )
    out = pd.DataFrame(rows, columns=["field", "value", "source", "file", "_order"])
    return out.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)


def _scenario_comment(lines: list[str], root: int) -> str:
    """Return the comment on or above a scenario's name, or a scenario file's opening comment."""
    if not 0 < root <= len(lines):
        return ""
    found = _comment_of(lines[root - 1]) or _block_above(lines, root - 1)
    if found:
        return found
    opening: list[str] = []  # a scenario file: its opening comment describes the scenario
    j = root - 2
    while j >= 0 and lines[j].lstrip().startswith("#"):
        opening.insert(0, lines[j].lstrip()[1:].strip())
        j -= 1
    return " ".join(opening) if j < 0 else ""


def _dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
