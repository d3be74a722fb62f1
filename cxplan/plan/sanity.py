"""Sanity flags: the "check this" box of a report.

A business case that promises a 5,000 % return or a payback in three weeks is far more often an
input error than a discovery. :func:`sanity_flags` compares the key figures with thresholds
(parameters, defaults below) and the levers with the ranges their sources support
(:data:`LEVER_RANGES`), and returns one row per flag with the figure, the threshold and what to
check — so the report can show it next to the figures, not in a footnote.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd

__all__ = ["LEVER_RANGES", "Flag", "sanity_flags"]


@dataclass(frozen=True)
class Flag:
    """One flag: what, the figure, the threshold and what to check."""

    key: str
    title: str
    value: float
    threshold: float
    advice: str


#: Cited ranges of the initiative's levers: (low, high, source). A lever whose most likely value
#: (or high end) lies outside is flagged.
LEVER_RANGES: Mapping[str, tuple[float, float, str]] = MappingProxyType(
    {
        "aht_reduction": (0.0, 0.35, "seed 000: AHT −20–35 % vs legacy models"),
        "deflection": (0.0, 0.28, "seed 000: 12–28 % deflection in 3–6-month pilots"),
        "fcr_improvement": (-0.10, 0.10, "assumption: FCR moves a few points (seed 000: 65–85 %)"),
        "realisation": (0.3, 1.0, "assumption: pilot results rarely carry over in full"),
    }
)  # fmt: skip


def sanity_flags(
    *,
    roi: float,
    payback_months: float,
    shortfall_weeks: int,
    service_level_gaps: Mapping[str, float],
    starting_gap_fte: float = 0.0,
    gap_closes_week: int | None = None,
    levers: Mapping[str, tuple[float, float]],
    max_roi: float = 10.0,
    min_payback_months: float = 3.0,
    max_shortfall_weeks: int = 4,
    max_service_level_gap: float = 0.05,
) -> pd.DataFrame:
    """Flag implausible figures.

    Parameters
    ----------
    roi : float
        Risk-adjusted ROI as a fraction (``inf`` when the programme costs nothing).
    payback_months : float
        Payback in months (NaN if never).
    shortfall_weeks : int
        Weeks of the capacity plan with a shortfall.
    starting_gap_fte, gap_closes_week : float, int or None
        How far short of the requirement the plan starts (FTE) and the first week from which
        it is no longer short (``None``: not within the plan); they explain the shortfall flag.
    service_level_gaps : mapping of str to float
        Per channel: service level the starting headcount gives minus the measured one.
    levers : mapping of str to (float, float)
        Per lever: most likely value and high end (the most likely value is checked against
        :data:`LEVER_RANGES`; the high end may reach further, as a range should).
    max_roi, min_payback_months, max_shortfall_weeks, max_service_level_gap
        Thresholds (defaults: 10× ROI, 3 months, 4 weeks, 5 points).

    Returns
    -------
    pandas.DataFrame
        Columns ``key``, ``title``, ``value``, ``threshold``, ``advice``; empty when all is well.

    Examples
    --------
    >>> f = sanity_flags(roi=55.0, payback_months=0.5, shortfall_weeks=0,
    ...                  service_level_gaps={"voice": -0.12}, levers={})
    >>> f["key"].tolist()
    ['roi', 'payback', 'starting_service:voice']
    """
    flags: list[Flag] = []
    if math.isinf(roi) or roi > max_roi:
        flags.append(
            Flag("roi", "Return looks too good", roi, max_roi,
                 "Check the avoidable cost per FTE, the levers' ranges and that every cost line "
                 "(training time, licences, automation) is in the case.")
        )  # fmt: skip
    if math.isfinite(payback_months) and payback_months < min_payback_months:
        flags.append(
            Flag("payback", "Payback looks too fast", payback_months, min_payback_months,
                 "Benefits should start only after the pilot and rollout; check the roadmap "
                 "dates and the one-off costs.")
        )  # fmt: skip
    if shortfall_weeks > max_shortfall_weeks:
        closes = (
            f"the hiring plan closes the gap in week {gap_closes_week}"
            if gap_closes_week is not None
            else "the hiring plan does not close the gap within the plan"
        )
        flags.append(
            Flag("shortfall", f"{shortfall_weeks} weeks short of staff", float(shortfall_weeks),
                 float(max_shortfall_weeks),
                 f"The operation starts {starting_gap_fte:,.0f} FTE below its requirement and new "
                 f"hires need the recruiting lead time and training before they count: {closes}. "
                 "Overtime or temporary staff cover the gap until then.")
        )  # fmt: skip
    for channel, gap in service_level_gaps.items():
        if math.isfinite(gap) and abs(gap) > max_service_level_gap:
            direction = "below" if gap < 0 else "above"
            flags.append(
                Flag(f"starting_service:{channel}",
                     f"Starting {channel} service level {direction} the measured one", gap,
                     max_service_level_gap,
                     "The staffing model and the reported service level disagree: check volumes, "
                     "handle time and the starting headcount.")
            )  # fmt: skip
    for lever, (mode, _high) in levers.items():
        low_ok, high_ok, source = LEVER_RANGES.get(lever, (-math.inf, math.inf, ""))
        if not low_ok <= mode <= high_ok:
            flags.append(
                Flag(f"lever:{lever}", f"{lever.replace('_', ' ').capitalize()} outside its cited "
                     "range", mode, high_ok if mode > high_ok else low_ok,
                     f"Cited range {low_ok:g}–{high_ok:g} ({source}).")
            )  # fmt: skip
    return pd.DataFrame(
        [f.__dict__ for f in flags], columns=["key", "title", "value", "threshold", "advice"]
    )
