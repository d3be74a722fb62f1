"""Volumes, staffing, costs and sourcing of one region (the first layer of the region model)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from cxplan.config.params import RegionParams, data_file
from cxplan.data.baseline import Baseline, measure_baseline
from cxplan.data.volumes import PlanForecast, plan_forecast
from cxplan.economics import costs, outsourcing, sourcing
from cxplan.errors import InputError
from cxplan.model._common import is_demo_file
from cxplan.model._memo import MEMO, section_key, shared
from cxplan.workforce import staffing

__all__ = ["OperationModel"]

_T = TypeVar("_T")
#: What the sourcing comparison and crossover read (with the sourcing channel's own section).
_SOURCING_SECTIONS = (
    "region", "forecast", "history", "workforce", "location", "technology", "vendor", "sourcing"
)  # fmt: skip


def _sourcing_channel_section(model: OperationModel) -> str:
    return section_key(model.params, f"channels.{model.params.sourcing.channel}")


def _volume_inputs(model: Any) -> tuple[tuple[str, float | None], ...]:
    """Return what the volumes read of the channel sections: names and weekly contacts."""
    channels = model.params.channels
    return tuple((name, getattr(channels, name).weekly_contacts) for name in model.channels)


class OperationModel:
    """Volumes → staffing → costs → sourcing; the base of :class:`~cxplan.model.RegionModel`.

    Parameters
    ----------
    params : RegionParams
        Validated parameters (see :func:`cxplan.config.params.load_params`).
    params_root : path, optional
        Folder that relative data paths in the parameters (``pilot.data_csv``) are resolved
        against; normally the folder holding ``defaults.yaml``.
    monte_carlo_draws : int, optional
        Override of ``finance.monte_carlo_draws`` (the live planner uses fewer draws).
    """

    def __init__(
        self,
        params: RegionParams,
        *,
        params_root: str | Path | None = None,
        monte_carlo_draws: int | None = None,
    ) -> None:
        self.params = params
        self.params_root = Path(params_root) if params_root is not None else None
        self.draws = monte_carlo_draws or params.finance.monte_carlo_draws

    # ------------------------------------------------------------------ volumes and staffing

    @property
    def currency(self) -> str:
        """The region's currency code."""
        return self.params.region.currency

    @cached_property
    def interval_s(self) -> float:
        """Interval length, seconds."""
        return self.params.forecast.interval_minutes * 60.0

    @cached_property
    def index(self) -> pd.DatetimeIndex:
        """Every interval of the horizon."""
        f = self.params.forecast
        per_day = 24 * 60 // f.interval_minutes
        return pd.date_range(
            pd.Timestamp(self.params.region.start_date),
            periods=f.horizon_weeks * 7 * per_day,
            freq=f"{f.interval_minutes}min",
        )

    @cached_property
    def volume_shape(self) -> np.ndarray:
        """Share of a week's volume in each interval of the horizon, times growth and seasonality.

        ``weekly_contacts × shape`` is the forecast of a channel: day-of-week share × intraday share
        × ``(1 + growth_annual)^(week/52)`` × the week's seasonality factor.
        """
        f = self.params.forecast
        intraday = np.asarray(f.intraday_profile, dtype=float)
        intraday = intraday / intraday.sum()
        dow = np.asarray(f.day_of_week_share, dtype=float)
        week = np.outer(dow, intraday).ravel()  # one week, Monday first
        weeks = np.arange(f.horizon_weeks, dtype=float)
        growth = (1.0 + f.growth_annual) ** (weeks / 52.0)
        season = np.ones(f.horizon_weeks) if f.seasonality is None else np.asarray(f.seasonality)
        out = np.outer(growth * season, week).ravel()
        return out

    @cached_property
    def channels(self) -> dict[str, staffing.Channel]:
        """Channel configurations for the staffing engine (the params' channel sections)."""
        c = self.params.channels
        given = {"voice": c.voice, "chat": c.chat, "email": c.email}
        return {name: channel for name, channel in given.items() if channel is not None}

    def weekly_contacts(self, channel: str) -> float:
        """Week-1 contacts of a channel (from the forecast when the region has a history)."""
        if self.params.history is not None:
            per_week = 7 * 24 * 60 // self.params.forecast.interval_minutes
            return float(self.volumes[channel].iloc[:per_week].sum())
        value = getattr(self.params.channels, channel).weekly_contacts
        return float(value)

    @cached_property
    def data_identity(self) -> tuple[str, int, int] | None:
        """The history file a result read (resolved path, modification time, size), or ``None``.

        Part of every shared result's key (:mod:`cxplan.model._memo`): two regions naming the same
        relative file in different folders, or a file rewritten between two runs, never share.
        """
        h = self.params.history
        if h is None or self.params_root is None:
            return None
        path = data_file(self.params_root, h.file)
        st = path.stat()
        return (str(path), st.st_mtime_ns, st.st_size)

    @shared("region", "forecast", "history", extra=lambda m: tuple(m.channels))
    def plan_forecast(self) -> PlanForecast | None:
        """The forecast from the region's interval history (``history:``), or ``None``."""
        h = self.params.history
        if h is None:
            return None
        if self.params_root is None:
            raise InputError("history.file: the params folder is unknown (use load_region)")
        f = self.params.forecast
        return plan_forecast(
            h,
            self.params_root,
            self.params.region.start_date,
            f.horizon_weeks,
            f.interval_minutes,
            list(self.channels),
        )

    @cached_property
    def history_is_demo(self) -> bool:
        """Whether the interval history is cxplan's synthetic demo file (its first line says so)."""
        h = self.params.history
        if h is None or self.params_root is None:
            return False
        return is_demo_file(data_file(self.params_root, h.file))

    @shared("region", "forecast", "history", extra=lambda m: tuple(m.channels))
    def history_baseline(self) -> Baseline | None:
        """What the client's history measures (volumes, AHT, service, data quality, model fit)."""
        fc, h = self.plan_forecast, self.params.history
        if fc is None or h is None:
            return None
        return measure_baseline(
            fc.history,
            country=h.country,
            subdiv=h.subdivision,
            event_days=h.event_days,
            answer_threshold_s=h.answer_threshold_s,
        )

    @shared("region", "forecast", "history", extra=_volume_inputs)
    def volumes(self) -> dict[str, pd.Series]:
        """Forecast contacts per interval over the horizon, per channel.

        From the client's history when the region names one (the mean forecast, or the
        ``history.staffing_quantile``), else ``weekly_contacts`` × the day-of-week and intraday
        shape × growth and seasonality. Shared between models (a handle time or a price does not
        change the forecast; the history's quantiles take ~30 ms to draw again).
        """
        fc = self.plan_forecast
        if fc is not None:
            q = self.params.history.staffing_quantile if self.params.history else None
            return {name: s.clip(lower=0.0) for name, s in fc.volumes(q).items()}
        return {
            name: pd.Series(
                float(getattr(self.params.channels, name).weekly_contacts) * self.volume_shape,
                index=self.index,
                name=name,
            )
            for name in self.channels
        }

    @cached_property
    def staffing(self) -> dict[str, pd.DataFrame]:
        """Interval staffing table per channel (see ``staffing.staff_intervals``)."""
        return {name: self.channel_staffing(name) for name in self.channels}

    def channel_staffing(self, name: str) -> pd.DataFrame:
        """Interval staffing table of one channel, shared between models (:mod:`._memo`).

        It depends on the plan's start and forecast and on that channel's own section only.
        """
        key = (
            "OperationModel.channel_staffing",
            name,
            self.data_identity,
            *(
                section_key(self.params, s)
                for s in ("region", "forecast", "history", f"channels.{name}")
            ),
        )
        return MEMO.get(
            key,
            lambda: staffing.staff_intervals(
                self.volumes[name], self.channels[name], interval_s=self.interval_s
            ),
        )

    @shared("region", "forecast", "history", "channels")
    def combined(self) -> pd.DataFrame:
        """All channels added into one requirement per interval."""
        return staffing.combine(self.staffing)

    def rollup(self, freq: str) -> pd.DataFrame:
        """Roll the combined requirement up per day ("D"), week ("W") or month ("MS")."""
        w = self.params.workforce
        return staffing.rollup(
            self.combined,
            freq,
            shrinkage=w.shrinkage,
            fte_hours_per_week=w.fte_hours_per_week,
            method=w.shrinkage_method,
            interval_s=self.interval_s,
        )

    @shared("region", "forecast", "history", "channels", "workforce")
    def weekly(self) -> pd.DataFrame:
        """Combined requirement per plan week (weeks start on the plan's Monday)."""
        return self.rollup("W-SUN")

    @shared("region", "forecast", "history", "channels", "workforce")
    def monthly(self) -> pd.DataFrame:
        """Combined requirement per calendar month."""
        return self.rollup("MS")

    # ------------------------------------------------------------------ costs and sourcing

    @cached_property
    def location(self) -> costs.LocationProfile:
        """The in-house location profile (the params' location at the workforce's attrition)."""
        p = self.params
        return p.location.profile(attrition_per_year=p.workforce.attrition_annual)

    @cached_property
    def tech(self) -> costs.TechStack:
        """The technology stack."""
        return self.params.technology

    @cached_property
    def quote(self) -> outsourcing.VendorQuote:
        """The vendor quote."""
        return self.params.vendor

    @cached_property
    def cost_per_paid_hour(self) -> float:
        """Fully loaded in-house cost of one paid agent hour."""
        return float(costs.cost_per_paid_hour(self.location, self.tech))

    @cached_property
    def cost_mix(self) -> pd.DataFrame:
        """Cost per paid/productive hour by component (the cost mix)."""
        occ = float(np.average(self.combined_occupancy)) if self.combined_occupancy.size else 0.85
        return costs.hourly_cost_breakdown(
            self.location, self.tech, shrinkage=self.paid_shrinkage, occupancy=occ
        )

    @cached_property
    def combined_occupancy(self) -> np.ndarray:
        """Agent-hours-weighted occupancy over all channels and the horizon (one value).

        Each channel's own occupancy column is used (for chat it is the share of busy chat slots,
        so concurrency never pushes it above 1).
        """
        occ = np.concatenate([t["occupancy"].to_numpy() for t in self.staffing.values()])
        hours = np.concatenate([t["agent_hours"].to_numpy() for t in self.staffing.values()])
        if hours.sum() <= 0:
            return np.asarray([])
        return np.asarray([float(np.average(occ, weights=hours))])

    @shared("region", "forecast", "history", "channels", "workforce", "location", "technology")
    def inhouse_cost(self) -> pd.DataFrame:
        """Monthly in-house cost of the whole requirement, by component."""
        return costs.staffing_cost(
            self.monthly, self.location, self.tech, shrinkage=self.paid_shrinkage
        )

    @cached_property
    def paid_shrinkage(self) -> float:
        """Shrinkage as the divide rule uses it: paid hours = staffed ÷ (1 − this).

        With the "multiply" rule (paid = staffed × (1 + s)) this is ``s / (1 + s)``, so costs and
        scheduled FTE follow the same rule.
        """
        w = self.params.workforce
        return w.shrinkage if w.shrinkage_method == "divide" else w.shrinkage / (1.0 + w.shrinkage)

    @cached_property
    def sourcing_channel(self) -> str:
        """The channel compared in-house vs outsourced."""
        return self.params.sourcing.channel

    @cached_property
    def hybrids(self) -> dict[str, sourcing.HybridSplit]:
        """The hybrid splits to price."""
        return self.params.sourcing.hybrids()

    def _sourcing_args(
        self,
    ) -> tuple[pd.Series, Any, costs.LocationProfile, costs.TechStack, outsourcing.VendorQuote]:
        ch = self.sourcing_channel
        return self.volumes[ch], self.channels[ch], self.location, self.tech, self.quote

    def _sourcing(self, function: Callable[..., _T], **kwargs: Any) -> _T:
        """Call a :mod:`~cxplan.economics.sourcing` function on the sourcing channel's forecast.

        Shrinkage is :attr:`paid_shrinkage`, so every cost follows the configured shrinkage rule.
        """
        return function(
            *self._sourcing_args(),
            shrinkage=self.paid_shrinkage,
            interval_s=self.interval_s,
            **kwargs,
        )

    @shared(*_SOURCING_SECTIONS, extra=_sourcing_channel_section)
    def sourcing_comparison(self) -> pd.DataFrame:
        """Monthly total cost of in-house, outsourced and hybrid options (sourcing channel)."""
        return self._sourcing(
            sourcing.compare_sourcing,
            hybrids=self.hybrids,
            staffed=self.staffing[self.sourcing_channel],  # staffed once, not twice
        )

    @cached_property
    def sourcing_totals(self) -> pd.Series:
        """Total cost over the horizon per option, cheapest first."""
        return (
            self.sourcing_comparison.groupby("option", sort=False)["total_cost"].sum().sort_values()
        )

    @shared(*_SOURCING_SECTIONS, extra=_sourcing_channel_section)
    def crossover(self) -> sourcing.CrossoverResult:
        """Volume scale(s) at which outsourcing and in-house cost the same."""
        return self._sourcing(sourcing.crossover, scale_bounds=(0.1, 10.0), grid_points=33)

    @cached_property
    def occupancy_pricing(self) -> pd.DataFrame:
        """Monthly cost of each occupancy cap against the baseline cap (seed 002, priced)."""
        vol, ch, loc, tech, _ = self._sourcing_args()
        s = self.params.sourcing
        if isinstance(ch, staffing.DeferredChannel):
            ch = self.channels.get("voice", ch)
            vol = self.volumes.get("voice", vol)
        return sourcing.occupancy_investment(
            vol,
            ch,
            loc,
            tech,
            shrinkage=self.paid_shrinkage,
            max_occupancy=list(s.occupancy_caps),
            baseline_max_occupancy=s.baseline_occupancy_cap,
            interval_s=self.interval_s,
        )
