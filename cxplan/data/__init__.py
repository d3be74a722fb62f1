"""The client's own data: interval history import, measured baseline, forecast and backtest.

Modules: ``columns`` (header mapping), ``checks`` (pandera frame checks), ``history``
(:func:`~cxplan.data.history.read_history`, aggregation, gap rules), ``daytypes`` (holidays and
day types), ``grid`` (day × interval-of-day matrices, daylight saving), ``models`` (forecast
methods), ``backtest`` (rolling origins, method choice), ``forecast``
(:func:`~cxplan.data.forecast.forecast_history`), ``baseline`` (measured baseline and the
queueing model's fit), ``volumes`` (:func:`~cxplan.data.volumes.plan_volumes`, the model hook)
and ``cli`` (``cxplan forecast``). Import them directly; this package imports nothing itself.
"""

__all__: list[str] = []
