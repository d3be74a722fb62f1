"""The planner's charts in one widget that changes data in place instead of redrawing.

altair's ``JupyterChart`` embeds a chart again for every new spec (Vega-Lite compile, Vega
parse, render: ~100 ms a chart in the browser) and carries its own copy of the ~0.9 MB Vega
bundle per chart. :class:`ChartGrid` holds several charts in one anywidget (one bundle for all)
and sends each update the cheapest way that shows exactly the new chart:

* the chart's Vega-Lite spec is made by the same builders as the reports' (altair, the one
  theme), its datasets renamed in order (``d0``, ``d1`` …) instead of altair's content hashes;
  given a builder's parts (:mod:`cxplan.present.charts.parts`), the spec altair serialised for
  the same layout is reused with the new tables (:func:`split_spec`): the same spec, without
  building and serialising the altair chart again after every slider change;
* when everything but the datasets is unchanged (titles, axes, encodings), only the new
  datasets are sent and the browser swaps them into the running Vega view (``view.data``);
* otherwise the whole spec is sent and embedded again.

Either way the page shows the chart the new spec describes. The JavaScript
(``chart_grid.js``) is bundled offline with vl-convert (no network), as altair's offline
``JupyterChart`` is. Hand-written because no maintained widget updates Vega datasets in place.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
import pandas as pd
import traitlets
from altair.utils.schemapi import debug_mode

from cxplan.errors import InputError
from cxplan.present import theme
from cxplan.present.charts.parts import ChartParts

__all__ = ["MAX_CHARTS", "MAX_LAYOUTS", "ChartGrid", "records", "split_spec"]

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
    chart : altair chart or ChartParts
        A chart from :mod:`cxplan.present.charts`, or a builder's parts
        (``staffing_chart.parts(...)``): the parts give the same result as their chart, the
        serialised layout reused while the layout and the tables' columns stay the same (see
        the notes).

    Returns
    -------
    spec : dict
        The Vega-Lite spec with its datasets, renamed ``d0``, ``d1`` … in order.
    datasets : dict
        The renamed datasets (name → rows).
    skeleton : str
        The spec without its datasets, as JSON: equal skeletons differ only in data.

    Notes
    -----
    Serialising an altair chart walks and copies its whole object tree (~5 ms a planner chart);
    after a slider change usually only the tables differ. For parts, the spec of the first
    chart of a layout is kept (key: the assemble function, the layout, each table's columns
    and dtypes, and which tables hold the same rows, since altair stores equal datasets once)
    together with which table each of its datasets is; the next parts of that key take that
    spec and their own tables' rows (:func:`records`, as altair's serialisation takes them),
    without building the altair chart. The layout contract of
    :mod:`cxplan.present.charts.parts` (the layout reads nothing of the tables' values) makes
    that the spec the chart itself serialises to. A layout whose spec has a dataset that is
    none of the tables (rows the layout made up) or that JSON does not carry unchanged is not
    kept: its parts are serialised as a chart every time.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> spec, data, _ = split_spec(alt.Chart(pd.DataFrame({"x": [1]})).mark_point())
    >>> list(data), spec["data"]
    (['d0'], {'name': 'd0'})
    """
    if isinstance(chart, ChartParts):
        return _split_parts(chart)
    return _split_chart(chart)


def _split_chart(chart: Any) -> tuple[dict[str, Any], dict[str, Any], str]:
    """:func:`split_spec` of an altair chart: altair serialises it, the fast records."""
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


@dataclass(frozen=True)
class _Layout:
    """A serialised layout: the spec without datasets, and which table each dataset is."""

    spec_json: str  # altair's key order, texts as placeholders; json.loads: the caller's copy
    skeleton: str  # split_spec's skeleton (sorted keys), texts as placeholders
    tables: tuple[int, ...]  # dataset d{j} holds the rows of frames[tables[j]]


#: Layouts kept (most recently used last); ``None``: a layout not kept (see split_spec).
_LAYOUTS: OrderedDict[tuple[Any, ...], _Layout | None] = OrderedDict()
#: Most layouts kept: a planner shows four charts whose layouts change with a few controls.
MAX_LAYOUTS = 64
#: Placeholder of the k-th text of a layout (private-use characters: in no chart's text).
_HOLE = "\ue000cxplan text {}\ue001"


def _split_parts(parts: ChartParts[Any]) -> tuple[dict[str, Any], dict[str, Any], str]:
    """:func:`split_spec` of a builder's parts: a kept layout's spec with the parts' rows."""
    rows = [records(frame)["values"] for frame in parts.frames]
    texts = {k: v for k, v in parts.layout.items() if k in parts.texts and isinstance(v, str)}
    holes = {k: _HOLE.format(n) for n, k in enumerate(texts)}
    if any("\ue000" in v or not v for v in texts.values()):
        holes = {}  # no placeholder stands for these texts: the layout is keyed on them
    general = {**parts.layout, **holes}
    key = (parts.assemble, _layout_key(general), *_tables_key(parts.frames, rows))
    fill = [(_json(hole)[1:-1], _json(texts[k])[1:-1]) for k, hole in holes.items()]
    if key in _LAYOUTS:
        _LAYOUTS.move_to_end(key)
        layout = _LAYOUTS[key]
        if layout is not None:
            datasets = {f"d{j}": rows[i] for j, i in enumerate(layout.tables)}
            spec = json.loads(_fill(layout.spec_json, fill))
            return {**spec, "datasets": datasets}, datasets, _fill(layout.skeleton, fill)
    with debug_mode(False):  # the builders' layouts are tested: skip per-object validation
        spec, datasets, skeleton = _split_chart(parts.chart())
        if key not in _LAYOUTS:
            template = (spec, datasets, skeleton)
            if holes:  # the layout with placeholders, checked against the chart's own spec
                chart = parts.assemble(*parts.frames, **general)
                template = _split_chart(chart)
            _LAYOUTS[key] = _learn(template, rows, fill, (spec, skeleton))
            while len(_LAYOUTS) > MAX_LAYOUTS:
                _LAYOUTS.popitem(last=False)
    return spec, datasets, skeleton


def _fill(template: str, fill: Sequence[tuple[str, str]]) -> str:
    """Put the texts in place of their placeholders (both as they are written in JSON)."""
    for hole, text in fill:
        template = template.replace(hole, text)
    return template


def _learn(
    template: tuple[dict[str, Any], dict[str, Any], str],
    rows: list[list[Any]],
    fill: Sequence[tuple[str, str]],
    chart: tuple[dict[str, Any], str],
) -> _Layout | None:
    """Return the layout of a serialised chart, or ``None`` when its spec cannot be reused.

    ``template`` is the serialised layout (texts as placeholders), ``chart`` the chart's own
    spec and skeleton: the layout with the texts filled in must give them back.
    """
    spec, datasets, skeleton = template
    texts = [_json(r) for r in rows]
    tables = []
    for values in datasets.values():
        text = _json(values)
        if text not in texts:
            return None  # rows the layout made up, not a table: may change with the data
        tables.append(texts.index(text))
    rest = {k: v for k, v in spec.items() if k != "datasets"}
    spec_json = json.dumps(rest)
    own = {k: v for k, v in chart[0].items() if k != "datasets"}
    if json.loads(_fill(spec_json, fill)) != own or _fill(skeleton, fill) != chart[1]:
        return None  # e.g. NaN, a value JSON writes otherwise, a text not written as given
    return _Layout(spec_json, skeleton, tuple(tables))


def _json(values: Any) -> str:
    """Return the JSON altair hashes to name a dataset: equal text, one dataset."""
    return json.dumps(values, sort_keys=True, default=str)


_PLAIN = (str, int, float, bool, type(None))


def _plain(value: Any) -> bool:
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, tuple | list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def _layout_key(layout: Mapping[str, Any]) -> str:
    """Return the layout as text: equal text, equal layout (repr tells 1 from 1.0, -0.0 from 0)."""
    for name, value in layout.items():
        if not _plain(value):
            raise TypeError(
                f"chart layout {name!r} must hold plain values (str, numbers, bool, None, "
                f"tuples, lists and dicts of them), got {type(value).__name__}"
            )
    return repr(sorted(layout.items()))


def _tables_key(frames: Sequence[pd.DataFrame], rows: list[list[Any]]) -> tuple[Any, ...]:
    """Each table's columns and dtypes, and which tables altair would store as one dataset.

    Altair names a dataset by its rows' JSON, so tables with equal JSON share one. Rows name
    every column, so non-empty tables of different string columns never do; only tables that
    might (the same columns, or empty) have their JSON compared.
    """
    columns = tuple(
        tuple(zip(map(repr, f.columns), map(str, f.dtypes), strict=True)) for f in frames
    )
    every_str = all(isinstance(c, str) for f in frames for c in f.columns)
    groups: dict[Any, list[int]] = {}
    for i, (frame, r) in enumerate(zip(frames, rows, strict=True)):
        group = "empty" if not r else frozenset(frame.columns) if every_str else "any"
        groups.setdefault(group, []).append(i)
    same = list(range(len(frames)))  # same[i]: the first table with table i's rows
    for members in groups.values():
        if len(members) > 1:
            texts = {i: _json(rows[i]) for i in members}
            for i in members:
                same[i] = next(m for m in members if texts[m] == texts[i])
    return columns, tuple(same)


class ChartGrid(anywidget.AnyWidget):
    """Up to :data:`MAX_CHARTS` Vega-Lite charts in a two-column grid, updated in place.

    Parameters
    ----------
    charts : mapping of str to altair chart or ChartParts
        The charts (or builders' parts), by name, in display order.

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
        self._keys: list[str | None] = [None] * len(names)
        #: What each slot shows: its datasets and its subtitle (sent as changes to the spec).
        self._shown: list[dict[str, Any]] = [{} for _ in names]
        self._subtitles: list[Any] = [None] * len(names)
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
        """Show a new chart (an altair chart or a builder's parts) in the slot ``name``.

        Returns how it was sent: ``"data"``: only datasets and the subtitle changed (the
        changed datasets and the subtitle are sent alone and swapped into the running view);
        ``"spec"``: anything else changed (the whole spec is embedded again); ``"none"``:
        nothing changed.

        Notes
        -----
        A subtitle often states a result ("Base case 5,722,234", "break-even in May 2027"),
        which every slider step changes. The page binds each chart's subtitle to a Vega
        signal when it embeds the chart (``chart_grid.js``), so a new subtitle is one signal
        update rather than a new embed (~100 ms a chart in the browser).
        """
        try:
            i = list(self.names).index(name)
        except ValueError:
            raise InputError(f"no chart named {name!r} (charts: {', '.join(self.names)})") from None
        spec, datasets, _ = split_spec(chart)
        key, subtitle = _without_subtitle(spec)
        if key == self._keys[i] and getattr(self, f"spec_{i}"):
            shown = self._shown[i]
            changed = {k: rows for k, rows in datasets.items() if shown.get(k) != rows}
            message: dict[str, Any] = {"datasets": changed}
            if subtitle != self._subtitles[i]:
                message["subtitle"] = subtitle
            if not changed and "subtitle" not in message:
                how = "none"
            else:
                self._seq += 1
                setattr(self, f"data_{i}", {"seq": self._seq, **message})
                how = "data"
        else:
            self._keys[i] = key
            with self.hold_sync():
                setattr(self, f"data_{i}", {})
                setattr(self, f"spec_{i}", spec)
            how = "spec"
        self._shown[i], self._subtitles[i] = datasets, subtitle
        self.last_update[name] = how
        return how

    def spec(self, name: str) -> dict[str, Any]:
        """Return the Vega-Lite spec the page shows for ``name`` (its latest datasets included)."""
        i = list(self.names).index(name)
        spec = dict(getattr(self, f"spec_{i}"))
        spec["datasets"] = self._shown[i]
        if isinstance(spec.get("title"), dict) and "subtitle" in spec["title"]:
            spec["title"] = {**spec["title"], "subtitle": self._subtitles[i]}
        return spec


def _without_subtitle(spec: Mapping[str, Any]) -> tuple[str, Any]:
    """Return the spec as JSON without its datasets and subtitle, and the subtitle.

    Equal JSON: the two specs differ at most in data and subtitle. The subtitle is ``None``
    when the chart has none.
    """
    rest = {k: v for k, v in spec.items() if k != "datasets"}
    title = rest.get("title")
    subtitle = None
    if isinstance(title, dict) and "subtitle" in title:
        subtitle = title["subtitle"]
        rest["title"] = {**title, "subtitle": True}  # "has a subtitle": bound to the signal
    return json.dumps(rest, sort_keys=True, default=str), subtitle
