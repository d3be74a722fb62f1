"""Charts in parts: the tables a chart draws, apart from the altair code that lays it out.

A chart builder does two things: it computes the tables the chart draws (rows, labels, sort
orders) and it lays the altair chart out around them (marks, encodings, titles). The builders
the live planner redraws after every slider change (:func:`~cxplan.present.charts.staffing_chart`,
:func:`~cxplan.present.charts.cost_comparison_chart`,
:func:`~cxplan.present.charts.cashflow_chart`, :func:`~cxplan.present.charts.tornado_chart`)
keep the two apart: the builder's body returns :class:`ChartParts` (the tables and the layout's
arguments) and :func:`chart_builder` makes it the usual builder, ``builder(...)`` being
``builder.parts(...).chart()``. Reports call the builder; the planner asks for the parts and
serialises the layout once per distinct layout, swapping in new tables
(:func:`cxplan.app.chart_grid.split_spec`): the same builder code makes both, and altair
serialises every layout the page shows.

The layout contract: ``assemble(*frames, **layout)`` hands each frame to altair unchanged as a
chart's data and reads nothing of the frames but their columns and dtypes; everything else it
draws (titles, sizes, sort orders, colour domains, axis formats) comes from ``layout``, which
holds only plain values (str, int, float, bool, None, and tuples of them). Two parts with the
same ``assemble``, layout and frame columns therefore serialise to the same spec up to the
datasets. Layout entries named in ``texts`` (a subtitle stating a result) are non-empty text
that ``assemble`` only writes into the chart's strings, as given or inside a longer string: two
parts that differ only in those texts serialise to the same spec up to the datasets and the
texts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec, TypeVar

import pandas as pd

__all__ = ["ChartBuilder", "ChartParts", "chart_builder"]

P = ParamSpec("P")
C = TypeVar("C")


@dataclass(frozen=True, eq=False)
class ChartParts(Generic[C]):
    """A chart as its tables and the function that lays the altair chart out around them.

    Attributes
    ----------
    assemble : callable
        ``assemble(*frames, **layout)`` returns the altair chart (see the module's contract).
    frames : tuple of pandas.DataFrame
        The chart's tables, each one chart's (or several layers') data.
    layout : mapping of str to plain values
        Every other argument of ``assemble``.
    texts : tuple of str
        The layout entries that are text written into the chart as given (see the module).

    Examples
    --------
    >>> from cxplan.present.charts import cashflow_chart
    >>> parts = cashflow_chart.parts([-1000, 600, 600])
    >>> [list(f.columns) for f in parts.frames][1]
    ['month', 'month_label', 'cumulative']
    >>> parts.chart().to_dict() == cashflow_chart([-1000, 600, 600]).to_dict()
    True
    """

    assemble: Callable[..., C]
    frames: tuple[pd.DataFrame, ...]
    layout: Mapping[str, Any]
    texts: tuple[str, ...] = ()

    def chart(self) -> C:
        """Lay the altair chart out: ``assemble(*frames, **layout)``."""
        return self.assemble(*self.frames, **self.layout)


class ChartBuilder(Generic[P, C]):
    """A chart builder whose body returns :class:`ChartParts`: calling it returns the chart.

    ``builder(*args, **kwargs)`` is ``builder.parts(*args, **kwargs).chart()``; the builder
    keeps the body's name, docstring and signature (``__wrapped__``).
    """

    __name__: str  # the body's, set by functools.update_wrapper
    __qualname__: str

    def __init__(self, parts: Callable[P, ChartParts[C]]) -> None:
        self.parts = parts
        functools.update_wrapper(self, parts)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> C:
        """Build the chart: the body's parts, laid out."""
        return self.parts(*args, **kwargs).chart()

    def __repr__(self) -> str:
        """Name the builder as its function is named."""
        return f"<chart builder {self.parts.__module__}.{self.parts.__qualname__}>"


def chart_builder(parts: Callable[P, ChartParts[C]]) -> ChartBuilder[P, C]:
    """Make a chart builder of a function returning :class:`ChartParts` (used as a decorator)."""
    return ChartBuilder(parts)
