"""The planner's charts in one widget that changes data in place instead of redrawing.

altair's ``JupyterChart`` embeds a chart again for every new spec (Vega-Lite compile, Vega
parse, render: ~100 ms a chart in the browser) and carries its own copy of the ~0.9 MB Vega
bundle per chart. :class:`ChartGrid` holds several charts in one anywidget (one bundle for all)
and sends each update the cheapest way that shows exactly the new chart:

* the chart's Vega-Lite spec is made by the same builders as the reports' (altair, the one
  theme), its datasets renamed in order (``d0``, ``d1`` …) instead of altair's content hashes;
* when everything but the datasets is unchanged (titles, axes, encodings), only the new
  datasets are sent and the browser swaps them into the running Vega view (``view.data``);
* otherwise the whole spec is sent and embedded again.

Either way the page shows the chart the new spec describes. The JavaScript
(``chart_grid.js``) is bundled offline with vl-convert (no network), as altair's offline
``JupyterChart`` is. Hand-written because no maintained widget updates Vega datasets in place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
import pandas as pd
import traitlets

from cxplan.errors import InputError
from cxplan.present import theme

__all__ = ["MAX_CHARTS", "ChartGrid", "records", "split_spec"]

#: Charts one grid holds.
MAX_CHARTS = 4

_JS = Path(__file__).with_name("chart_grid.js")
_CSS = """
.cx-chart-grid { display: grid; grid-template-columns: repeat(2, minmax(0, max-content));
  gap: 12px 24px; align-items: start; }
.cx-chart-grid .vega-embed { overflow: visible; }
.cx-chart-error { color: #b00; font-family: sans-serif; font-size: 12px; }
"""


def _bundle() -> str:
    """Return the grid's JavaScript with Vega, Vega-Lite and Vega-Embed bundled in (built once)."""
    if ChartGrid._bundled is None:
        import vl_convert
        from altair.utils._importers import vl_version_for_vl_convert

        source = _JS.read_text(encoding="utf-8")
        ChartGrid._bundled = vl_convert.javascript_bundle(
            source, vl_version=vl_version_for_vl_convert()
        )
    return ChartGrid._bundled


def _rename(value: Any, names: Mapping[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: _rename(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, names) for v in value]
    if isinstance(value, str):
        return names.get(value, value)
    return value


_FAST = "cxplan_records"
_registered: list[bool] = []


def records(data: Any) -> dict[str, Any]:
    """Altair's default data transformer (``{"values": rows}``), faster on plain frames.

    For a DataFrame of string keys whose columns are floats, integers, booleans or Python
    objects, the rows are built column-wise (NaN and infinities become ``None``, numpy
    numbers Python numbers), exactly as altair's ``sanitize_pandas_dataframe`` followed by
    ``to_dict(orient="records")`` builds them, in a fraction of the time; anything else goes
    to altair's own transformer. (The planner redraws after every slider change; altair's
    general sanitiser costs ~10 ms a frame.)

    Examples
    --------
    >>> records(pd.DataFrame({"a": [1, 2], "b": [0.5, np.nan], "c": ["x", "y"]}))["values"]
    [{'a': 1, 'b': 0.5, 'c': 'x'}, {'a': 2, 'b': None, 'c': 'y'}]
    """
    import altair as alt

    if (
        not isinstance(data, pd.DataFrame)
        or len(data) > 5000  # altair's row limit: let it raise its own error
        or isinstance(data.index, pd.MultiIndex)
        or isinstance(data.columns, pd.MultiIndex)
        or not all(isinstance(c, str) for c in data.columns)
        or data.columns.has_duplicates
    ):
        return dict(alt.vegalite.data.default_data_transformer(data))
    columns: list[list[Any]] = []
    for name in data.columns:
        column = data[name]
        kind = column.dtype.kind
        if kind == "f":
            values = column.to_numpy()
            rows = values.tolist()
            for k in np.flatnonzero(~np.isfinite(values)):
                rows[k] = None
        elif kind in "iub" or column.dtype == object:
            rows = column.tolist()
        else:
            return dict(alt.vegalite.data.default_data_transformer(data))
        columns.append(rows)
    names = list(data.columns)
    return {"values": [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]}


def split_spec(chart: Any) -> tuple[dict[str, Any], dict[str, Any], str]:
    """Serialise a chart (with the theme) into its datasets and the rest.

    Parameters
    ----------
    chart : altair chart
        A chart from :mod:`cxplan.present.charts`.

    Returns
    -------
    spec : dict
        The Vega-Lite spec with its datasets, renamed ``d0``, ``d1`` … in order.
    datasets : dict
        The renamed datasets (name → rows).
    skeleton : str
        The spec without its datasets, as JSON: equal skeletons differ only in data.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> spec, data, _ = split_spec(alt.Chart(pd.DataFrame({"x": [1]})).mark_point())
    >>> list(data), spec["data"]
    (['d0'], {'name': 'd0'})
    """
    import altair as alt

    if not _registered:  # once: names() scans the installed entry points (~30 ms)
        if _FAST not in alt.data_transformers.names():
            alt.data_transformers.register(_FAST, records)
        _registered.append(True)
    with theme.themed(), alt.data_transformers.enable(_FAST):
        spec = chart.to_dict(validate=False)
    raw = spec.pop("datasets", {}) or {}
    names = {old: f"d{k}" for k, old in enumerate(raw)}
    spec = _rename(spec, names)
    datasets = {names[old]: rows for old, rows in raw.items()}
    skeleton = json.dumps(spec, sort_keys=True, default=str)
    return {**spec, "datasets": datasets}, datasets, skeleton


class ChartGrid(anywidget.AnyWidget):
    """Up to :data:`MAX_CHARTS` Vega-Lite charts in a two-column grid, updated in place.

    Parameters
    ----------
    charts : mapping of str to altair chart
        The charts, by name, in display order.

    Examples
    --------
    ::

        grid = ChartGrid({"staffing": chart_a, "costs": chart_b})
        grid.update("costs", new_chart)   # data only when only the data changed
    """

    _bundled: str | None = None
    _css = _CSS
    names = traitlets.List(traitlets.Unicode()).tag(sync=True)
    spec_0 = traitlets.Dict().tag(sync=True)
    spec_1 = traitlets.Dict().tag(sync=True)
    spec_2 = traitlets.Dict().tag(sync=True)
    spec_3 = traitlets.Dict().tag(sync=True)
    data_0 = traitlets.Dict().tag(sync=True)
    data_1 = traitlets.Dict().tag(sync=True)
    data_2 = traitlets.Dict().tag(sync=True)
    data_3 = traitlets.Dict().tag(sync=True)

    def __init__(self, charts: Mapping[str, Any], **kwargs: Any) -> None:
        names = list(charts)
        if not 1 <= len(names) <= MAX_CHARTS:
            raise InputError(f"a chart grid holds 1 to {MAX_CHARTS} charts (got {len(names)})")
        type(self)._esm = _bundle()  # anywidget reads the module from the class
        super().__init__(names=names, **kwargs)
        self._skeletons: list[str | None] = [None] * len(names)
        self._seq = 0
        #: How the last update of each chart was sent: "spec", "data" or "none" (unchanged).
        self.last_update: dict[str, str] = {}
        for name, chart in charts.items():
            self.update(name, chart)

    @property
    def chart_names(self) -> Sequence[str]:
        """The charts' names, in display order."""
        return tuple(self.names)

    def update(self, name: str, chart: Any) -> str:
        """Show a new chart in the slot ``name``; return how it was sent.

        ``"data"``: only the datasets changed (sent alone, swapped into the running view);
        ``"spec"``: the whole spec (embedded again); ``"none"``: nothing changed.
        """
        try:
            i = list(self.names).index(name)
        except ValueError:
            raise InputError(f"no chart named {name!r} (charts: {', '.join(self.names)})") from None
        spec, datasets, skeleton = split_spec(chart)
        current = getattr(self, f"spec_{i}")
        if skeleton == self._skeletons[i] and current:
            shown = getattr(self, f"data_{i}").get("datasets") or current.get("datasets")
            if shown == datasets:
                how = "none"
            else:
                self._seq += 1
                setattr(self, f"data_{i}", {"seq": self._seq, "datasets": datasets})
                how = "data"
        else:
            self._skeletons[i] = skeleton
            with self.hold_sync():
                setattr(self, f"data_{i}", {})
                setattr(self, f"spec_{i}", spec)
            how = "spec"
        self.last_update[name] = how
        return how

    def spec(self, name: str) -> dict[str, Any]:
        """Return the Vega-Lite spec the page shows for ``name`` (its latest datasets included)."""
        i = list(self.names).index(name)
        spec = dict(getattr(self, f"spec_{i}"))
        data = getattr(self, f"data_{i}").get("datasets")
        if data is not None:
            spec["datasets"] = data
        return spec
