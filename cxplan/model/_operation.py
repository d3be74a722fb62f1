"""Volumes, staffing, costs and sourcing of one region (the first layer of the region model)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxplan.config.params import (
    RegionParams,
)
from cxplan.economics import costs, outsourcing, sourcing
from cxplan.model._memo import MEMO, section_key, shared
from cxplan.workforce import staffing

__all__ = ["OperationModel"]

#: What the sourcing comparison and crossover read (with the sourcing channel's own section).
_SOURCING_SECTIONS = (
    "region", "forecast", "workforce", "location", "technology", "vendor", "sourcing"
)  # fmt: skip


def _sourcing_channel_section(model: OperationModel) -> str:
    return section_key(model.params, f"channels.{model.params.sourcing.channel}")


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
    def channels(
        self,
    ) -> dict[str, staffing.VoiceChannel | staffing.ChatChannel | staffing.DeferredChannel]:
        """Channel configurations for the staffing engine."""
        c = self.params.channels
        out: dict[str, Any] = {}
        if c.voice is not None:
            out["voice"] = staffing.VoiceChannel(
                aht_s=c.voice.aht_s,
                sl_target=c.voice.sl_target,
                answer_time_s=c.voice.answer_time_s,
                max_occupancy=c.voice.max_occupancy,
                patience_s=c.voice.patience_s,
            )
        if c.chat is not None:
            out["chat"] = staffing.ChatChannel(
                aht_s=c.chat.aht_s,
                concurrency=c.chat.concurrency,
                concurrency_aht_factor=tuple(c.chat.concurrency_aht_factor),
                sl_target=c.chat.sl_target,
                answer_time_s=c.chat.answer_time_s,
                max_occupancy=c.chat.max_occupancy,
                patience_s=c.chat.patience_s,
            )
        if c.email is not None:
            out["email"] = staffing.DeferredChannel(
                aht_s=c.email.aht_s,
                response_time_s=c.email.response_time_s,
                max_occupancy=c.email.max_occupancy,
                open_hours=c.email.open_hours,
            )
        return out

    def weekly_contacts(self, channel: str) -> float:
        """Week-1 contacts of a channel."""
        return float(getattr(self.params.channels, channel).weekly_contacts)

    @cached_property
    def volumes(self) -> dict[str, pd.Series]:
        """Forecast contacts per interval over the horizon, per channel."""
        return {
            name: pd.Series(
                self.weekly_contacts(name) * self.volume_shape, index=self.index, name=name
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
            *(section_key(self.params, s) for s in ("region", "forecast", f"channels.{name}")),
        )
        return MEMO.get(
            key,
            lambda: staffing.staff_intervals(
                self.volumes[name], self.channels[name], interval_s=self.interval_s
            ),
        )

    @shared("region", "forecast", "channels")
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

    @shared("region", "forecast", "channels", "workforce")
    def weekly(self) -> pd.DataFrame:
        """Combined requirement per plan week (weeks start on the plan's Monday)."""
        return self.rollup("W-SUN")

    @shared("region", "forecast", "channels", "workforce")
    def monthly(self) -> pd.DataFrame:
        """Combined requirement per calendar month."""
        return self.rollup("MS")

    # ------------------------------------------------------------------ costs and sourcing

    @cached_property
    def location(self) -> costs.LocationProfile:
        """The in-house location profile."""
        p = self.params
        return costs.LocationProfile(
            **p.location.model_dump(), attrition_per_year=p.workforce.attrition_annual
        )

    @cached_property
    def tech(self) -> costs.TechStack:
        """The technology stack."""
        t = self.params.technology
        return costs.TechStack(
            name=t.name,
            licences=tuple(costs.Licence(**lic.model_dump()) for lic in t.licences),
            implementation_cost=t.implementation_cost,
            licences_per_fte=t.licences_per_fte,
        )

    @cached_property
    def quote(self) -> outsourcing.VendorQuote:
        """The vendor quote."""
        v = self.params.vendor

        def price(value: Any) -> Any:
            if isinstance(value, float | int):
                return float(value)
            return outsourcing.Tiers(
                band_starts=tuple(value.band_starts),
                prices=tuple(value.prices),
                method=value.method,
            )

        parts: list[Any] = []
        kinds: list[str] = [c.kind for c in v.components]

        def label(i: int, kind: str) -> str:
            # unique labels: a quote may combine two components of one kind
            return kind if kinds.count(kind) == 1 else f"{kind}_{kinds[: i + 1].count(kind)}"

        for i, c in enumerate(v.components):
            if c.kind == "per_minute":
                parts.append(
                    outsourcing.PerMinute(
                        price_per_minute=price(c.price_per_minute),
                        wrap_minutes_per_contact=c.wrap_minutes_per_contact,
                        round_up_per_contact=c.round_up_per_contact,
                        label=label(i, c.kind),
                    )
                )
            elif c.kind == "per_contact":
                parts.append(
                    outsourcing.PerContact(
                        price_per_contact=price(c.price_per_contact), label=label(i, c.kind)
                    )
                )
            elif c.kind == "per_agent_hour":
                parts.append(
                    outsourcing.PerAgentHour(
                        price_per_hour=price(c.price_per_hour),
                        minimum_hours_per_month=c.minimum_hours_per_month,
                        label=label(i, c.kind),
                    )
                )
            else:
                parts.append(
                    outsourcing.FixedFee(
                        fee_per_month=c.fee_per_month,
                        included_contacts=c.included_contacts,
                        overage_per_contact=c.overage_per_contact,
                        label=label(i, c.kind),
                    )
                )
        return outsourcing.VendorQuote(
            name=v.name,
            components=tuple(parts),
            governance_share=v.governance_share,
            value_leakage_share=v.value_leakage_share,
            transition_cost=v.transition_cost,
            parallel_run_months=v.parallel_run_months,
            minimum_charge_per_month=v.minimum_charge_per_month,
        )

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

    @shared("region", "forecast", "channels", "workforce", "location", "technology")
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
    def hybrids(self) -> dict[str, Any]:
        """The hybrid splits to price."""
        s = self.params.sourcing
        out: dict[str, Any] = {
            f"hybrid {s.vendor_share:.0%} to vendor": sourcing.ShareSplit(
                vendor_share=s.vendor_share
            )
        }
        if s.overflow_contacts_per_interval is not None:
            out["hybrid overflow"] = sourcing.OverflowSplit(
                inhouse_contacts_per_interval=s.overflow_contacts_per_interval
            )
        if s.after_hours is not None:
            out["hybrid after-hours"] = sourcing.AfterHoursSplit(
                open_hour=s.after_hours[0], close_hour=s.after_hours[1]
            )
        return out

    def _sourcing_args(
        self,
    ) -> tuple[pd.Series, Any, costs.LocationProfile, costs.TechStack, outsourcing.VendorQuote]:
        ch = self.sourcing_channel
        return self.volumes[ch], self.channels[ch], self.location, self.tech, self.quote

    def _sourcing(self, function: Any, **kwargs: Any) -> Any:
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
