"""KPI scorecard: actual (or plan) values against benchmark targets.

Targets are plain data, :class:`KpiTarget` (a :class:`~cxplan._schema.ConfigModel`), so a
parameter file can set them (``kpi.targets``). Each
has a direction (higher is better, lower is better, or within a range) and an optional amber
tolerance: a value that misses the target by no more than the tolerance is "near" rather than
"missed". :data:`DEFAULT_TARGETS` carries the seed benchmarks; :func:`scorecard` builds the table.

Units: CSAT, FCR, service level and follow-up completion are fractions (0.85, not 85); NPS is in
points (−100..100); CES is the mean score on the 1–7 agreement scale ("the company made it easy
for me to handle my issue"; higher is easier); AHT is seconds; the cost-per-contact KPI is the
relative change against the pre-pilot baseline (``-0.12`` = 12 % cheaper).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Annotated, Any, Literal, Self

import numpy as np
import pandas as pd
from pydantic import AfterValidator, Field, model_validator

from cxplan._schema import ConfigModel, Int, Name, NonNegative, Num, Text
from cxplan._validation import as_array
from cxplan.errors import InputError

__all__ = [
    "AHT_BASES",
    "DEFAULT_TARGETS",
    "STATUSES",
    "KpiTarget",
    "channel_scorecard",
    "channel_targets",
    "scorecard",
]

Direction = Literal["higher", "lower", "range"]

#: Status values used in the ``status`` column, best first.
STATUSES: tuple[str, ...] = ("met", "near", "missed", "no data")


def _not_nan(value: float) -> float:
    if value != value:
        raise ValueError("must not be NaN")
    return value


# Comparisons forgive this much relative float noise, so that e.g. 0.75 vs (0.80 − 0.05) is "near".
_RTOL = 1e-9


class KpiTarget(ConfigModel):
    """A target for one KPI.

    Parameters
    ----------
    kpi : str
        Key used in the actuals mapping (e.g. ``"csat"``).
    label : str
        Display name.
    unit : str
        Unit of the actual, target and gap: ``"fraction"``, ``"points"``, ``"s"``, ``"score"`` or
        ``"fraction vs baseline"`` (fractions are shown as percentages in the target text).
    direction : {"higher", "lower", "range"}
        ``"higher"``: met at or above ``low``; ``"lower"``: met at or below ``high``; ``"range"``:
        met within ``[low, high]``.
    low, high : float, optional
        Target bounds in ``unit``; the direction says which are required.
    amber : float, default 0
        Tolerance in ``unit``: a value within ``amber`` of the violated bound is "near".
    valid_low, valid_high : float
        Range of meaningful values (inclusive); an actual outside it is an input error.
    valid_low_inclusive : bool, default True
        ``False`` makes ``valid_low`` itself invalid (e.g. AHT must be > 0).
    order : int, default 0
        Row order in the scorecard.
    qualifier : str, default ""
        Text appended to the target (e.g. ``"answered in 20 s"`` for service level).
    source : str, default ""
        Where the target comes from (seed file, benchmark, assumption).
    """

    kpi: Name
    label: Name
    unit: Name
    direction: Direction
    low: Num | None = None
    high: Num | None = None
    amber: NonNegative = 0.0
    valid_low: Annotated[Num, Field(allow_inf_nan=True), AfterValidator(_not_nan)] = -math.inf
    valid_high: Annotated[Num, Field(allow_inf_nan=True), AfterValidator(_not_nan)] = math.inf
    valid_low_inclusive: bool = True
    order: Int = 0
    qualifier: Text = ""
    source: Text = ""

    @classmethod
    def _error_prefix(cls, data: Mapping[str, Any]) -> str:
        kpi = data.get("kpi")
        return f"{kpi}: " if isinstance(kpi, str) and kpi else "KpiTarget."

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        need = {"low": self.direction in ("higher", "range"), "high": self.direction != "higher"}
        for bound, needed in need.items():
            value = getattr(self, bound)
            if needed and value is None:
                raise ValueError(f"direction {self.direction!r} needs a {bound} bound")
            if not needed and value is not None:
                raise ValueError(f"direction {self.direction!r} takes no {bound} bound")
            if value is not None:
                lo, hi = self.valid_low, self.valid_high
                if value < lo or (value == lo and not self.valid_low_inclusive):
                    op = ">=" if self.valid_low_inclusive else ">"
                    raise ValueError(f"{bound} must be {op} {lo:g} (got {value:g})")
                if value > hi:
                    raise ValueError(f"{bound} must be <= {hi:g} (got {value:g})")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low must be <= high (got {self.low} > {self.high})")
        if self.valid_low > self.valid_high:
            raise ValueError("valid_low must be <= valid_high")
        return self

    @property
    def text(self) -> str:
        """Target as text, e.g. ``"≥ 80 %"``, ``"240–600 s"``, ``"≤ -10 % vs baseline"``."""
        if self.direction == "higher":
            core = f"≥ {self._fmt(self.low)}"
        elif self.direction == "lower":
            core = f"≤ {self._fmt(self.high)}"
        else:
            core = f"{self._fmt(self.low, suffix=False)}–{self._fmt(self.high)}"
        if self.unit == "fraction vs baseline":
            core += " vs baseline"
        return f"{core} {self.qualifier}".strip()

    def _fmt(self, value: float | None, *, suffix: bool = True) -> str:
        if value is None:
            return ""
        if self.unit.startswith("fraction"):
            return f"{100 * value:g}" + (" %" if suffix else "")
        if self.unit == "s":
            return f"{value:g}" + (" s" if suffix else "")
        return f"{value:g}"


def _defaults() -> Mapping[str, KpiTarget]:
    frac: dict[str, Any] = {"unit": "fraction", "valid_low": 0.0, "valid_high": 1.0}
    items = [
        KpiTarget(
            kpi="csat",
            label="CSAT",
            direction="higher",
            low=0.80,
            amber=0.05,
            order=1,
            source="seed 001: CSAT ≥ 80 % (seed 000: ≥ 85 % for consumer retail pilots)",
            **frac,
        ),
        KpiTarget(
            kpi="nps",
            label="NPS",
            unit="points",
            direction="higher",
            low=30.0,
            amber=5.0,
            valid_low=-100.0,
            valid_high=100.0,
            order=2,
            source="seed 001: NPS ≥ 30 (> 40 for high-touch financial services)",
        ),
        KpiTarget(
            kpi="ces",
            label="CES",
            unit="score",
            direction="higher",
            low=5.0,
            amber=0.5,
            valid_low=1.0,
            valid_high=7.0,
            order=3,
            qualifier="on 1–7",
            source="seed 001 lists CES without a target; ≥ 5 on the 1–7 agreement scale is the "
            "common 'low effort' reading (e.g. Zonka Feedback CES benchmark guide)",
        ),
        KpiTarget(
            kpi="fcr",
            label="FCR",
            direction="higher",
            low=0.70,
            amber=0.05,
            order=4,
            source="seed 001: FCR ≥ 70 % (seed 000: 65–85 % by industry)",
            **frac,
        ),
        KpiTarget(
            kpi="aht_s",
            label="AHT",
            unit="s",
            direction="range",
            low=240.0,
            high=600.0,
            amber=30.0,
            valid_low=0.0,
            valid_low_inclusive=False,
            order=5,
            source="seed 001: AHT 4–10 min depending on complexity",
        ),
        KpiTarget(
            kpi="service_level",
            label="Service level",
            direction="higher",
            low=0.80,
            amber=0.05,
            order=6,
            qualifier="answered in 20 s",
            source="seed 001: service level 80/20",
            **frac,
        ),
        KpiTarget(
            kpi="cost_per_contact_change",
            label="Cost per contact",
            unit="fraction vs baseline",
            direction="lower",
            high=-0.10,
            amber=0.05,
            valid_low=-1.0,
            order=7,
            source="seed 000: cost per contact 10–20 % lower by month 3",
        ),
        KpiTarget(
            kpi="follow_up_completion",
            label="Follow-up completion",
            direction="higher",
            low=0.95,
            amber=0.05,
            order=8,
            source="assumption: seed 000 names follow-up completion rate as a KPI (every "
            "unresolved contact gets a time-boxed follow-up) but gives no figure",
            **frac,
        ),
    ]
    return MappingProxyType({t.kpi: t for t in items})


#: Benchmark targets from the seeds (read-only). Amber tolerances are cxplan defaults, not seed
#: figures: 5 points for shares and NPS, 0.5 on CES, 30 s on AHT.
DEFAULT_TARGETS: Mapping[str, KpiTarget] = _defaults()


def _targets(targets: Mapping[str, KpiTarget] | Iterable[KpiTarget]) -> list[KpiTarget]:
    items = list(targets.values()) if isinstance(targets, Mapping) else list(targets)
    if isinstance(targets, Mapping):
        for key, t in targets.items():
            if not isinstance(t, KpiTarget):
                raise InputError(f"targets[{key!r}] must be a KpiTarget (got {type(t).__name__})")
            if key != t.kpi:
                raise InputError(f"targets key {key!r} does not match its KpiTarget.kpi {t.kpi!r}")
    seen: set[str] = set()
    for t in items:
        if not isinstance(t, KpiTarget):
            raise InputError(f"targets must hold KpiTarget objects (got {type(t).__name__})")
        if t.kpi in seen:
            raise InputError(f"targets: duplicate KPI {t.kpi!r}")
        seen.add(t.kpi)
    return sorted(items, key=lambda t: t.order)


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT


def scorecard(
    actuals: Mapping[str, Any] | pd.Series,
    targets: Mapping[str, KpiTarget] | Iterable[KpiTarget] = DEFAULT_TARGETS,
) -> pd.DataFrame:
    """Score actual (or plan) KPI values against targets.

    Parameters
    ----------
    actuals : mapping or pandas.Series
        KPI key → value in the target's unit (fractions for CSAT/FCR/SL/follow-up, points for NPS,
        seconds for ``aht_s``, relative change for ``cost_per_contact_change``). A missing key or
        ``None`` gives "no data"; keys without a target are an error (catches typos).
    targets : mapping of str to KpiTarget, or iterable of KpiTarget
        Default :data:`DEFAULT_TARGETS`.

    Returns
    -------
    pandas.DataFrame
        One row per target, sorted by ``order``, with columns ``kpi``, ``label``, ``unit``,
        ``actual``, ``target`` (text), ``target_low``, ``target_high`` (``nan`` where open),
        ``status`` ("met", "near", "missed", "no data"), ``gap`` (in the KPI's unit, positive =
        better than target) and ``order``.

    Raises
    ------
    InputError
        An actual that is not a number, is NaN or lies outside the KPI's valid range (CSAT 1.3 as a
        fraction, negative AHT, NPS 120), naming the KPI; an unknown KPI key.

    Notes
    -----
    ``gap = actual − low`` (higher is better), ``high − actual`` (lower is better), and
    ``min(actual − low, high − actual)`` (within range: the headroom to the nearer bound, negative
    outside). Status: "met" if ``gap ≥ 0``; "near" if ``−amber ≤ gap < 0``; otherwise "missed"
    (bounds inclusive, with 1e-9 relative float tolerance).

    References
    ----------
    .. [1] Seed 001 (CSAT, NPS, FCR, AHT, SL benchmarks) and seed 000 (cost-per-contact target,
       follow-up completion KPI); see :data:`DEFAULT_TARGETS` for each ``source``.

    Examples
    --------
    >>> sc = scorecard({"csat": 0.82, "fcr": 0.67, "aht_s": 700}).set_index("kpi")
    >>> sc.loc[["csat", "fcr", "aht_s", "nps"], "status"].tolist()
    ['met', 'near', 'missed', 'no data']
    >>> round(float(sc.loc["fcr", "gap"]), 3), float(sc.loc["aht_s", "gap"])
    (-0.03, -100.0)
    >>> sc.loc["service_level", "target"]
    '≥ 80 % answered in 20 s'
    """
    if isinstance(actuals, pd.Series):
        actuals = {str(k): v for k, v in actuals.items()}
    if not isinstance(actuals, Mapping):
        raise InputError(
            f"actuals must be a mapping of KPI to value (got {type(actuals).__name__})"
        )
    items = _targets(targets)
    known = {t.kpi for t in items}
    unknown = sorted(str(k) for k in actuals if k not in known)
    if unknown:
        raise InputError(f"actuals: no target for {unknown} (known KPIs: {sorted(known)})")

    n = len(items)
    actual = np.full(n, np.nan)
    for i, t in enumerate(items):
        value = actuals.get(t.kpi)
        if _is_missing(value):
            continue
        if isinstance(value, bool | np.bool_):
            raise InputError(f"{t.kpi} must be a number in {t.unit} (got {value!r})")
        try:
            arr = as_array(
                t.kpi,
                value,
                low=t.valid_low,
                low_inclusive=t.valid_low_inclusive,
                high=t.valid_high,
            )
        except InputError as exc:
            hint = " (a fraction, not a percent)" if t.unit.startswith("fraction") else ""
            raise InputError(f"{exc}{hint}") from None
        if arr.ndim != 0:
            raise InputError(f"{t.kpi} must be a single number (got shape {arr.shape})")
        actual[i] = float(arr)

    low = np.array([np.nan if t.low is None else t.low for t in items], dtype=np.float64)
    high = np.array([np.nan if t.high is None else t.high for t in items], dtype=np.float64)
    amber = np.array([t.amber for t in items], dtype=np.float64)
    direction = np.array([t.direction for t in items], dtype=object)
    with np.errstate(invalid="ignore"):
        gap = np.select(
            [direction == "higher", direction == "lower"],
            [actual - low, high - actual],
            default=np.minimum(actual - low, high - actual),
        )
        scale = np.fmax(1.0, np.fmax(np.nan_to_num(np.abs(low)), np.nan_to_num(np.abs(high))))
        tol = _RTOL * np.fmax(scale, amber)
        status = np.select(
            [np.isnan(actual), gap >= -tol, gap >= -amber - tol],
            ["no data", "met", "near"],
            default="missed",
        )
    return pd.DataFrame(
        {
            "kpi": [t.kpi for t in items],
            "label": [t.label for t in items],
            "unit": [t.unit for t in items],
            "actual": actual,
            "target": [t.text for t in items],
            "target_low": low,
            "target_high": high,
            "status": status.astype(object),
            "gap": gap,
            "order": np.array([t.order for t in items], dtype=np.int64),
        }
    )


#: Bases for per-channel AHT targets: ``"general"`` is seed 001's 4–10 min band for any
#: contact; ``"staccato"`` is seed 000's micro-interaction targets (voice 90–150 s, chat 2–5 min)
#: for operations running that model. Email has no handle-time target in either seed (seed 000's
#: "email triage < 60 min" is a response time), so it keeps the general band.
AHT_BASES: Mapping[str, Mapping[str, tuple[float, float, str]]] = MappingProxyType(
    {
        "general": MappingProxyType(
            dict.fromkeys(
                ("voice", "chat", "email"),
                (240.0, 600.0, "seed 001: AHT 4–10 min depending on complexity"),
            )
        ),
        "staccato": MappingProxyType(
            {
                "voice": (90.0, 150.0, "seed 000: staccato voice AHT target 90–150 s"),
                "chat": (120.0, 300.0, "seed 000: staccato chat AHT target 2–5 min"),
                "email": (
                    240.0,
                    600.0,
                    "seed 001: AHT 4–10 min (seed 000 sets no email handle-time target)",
                ),
            }
        ),
    }
)


def channel_targets(
    channel: str,
    *,
    basis: str = "general",
    answer_time_s: float | None = None,
    sl_target: float = 0.80,
) -> dict[str, KpiTarget]:
    """AHT and service-level targets for one channel.

    Parameters
    ----------
    channel : {"voice", "chat", "email"}
        The channel.
    basis : {"general", "staccato"}
        Which AHT targets apply (see :data:`AHT_BASES`).
    answer_time_s : float, optional
        The channel's service-level threshold (adds "answered in N s" to the target).
    sl_target : float
        Service-level target share (seed 001: 80/20).

    Returns
    -------
    dict of str to KpiTarget
        ``{"aht_s": ..., "service_level": ...}``.

    Examples
    --------
    >>> channel_targets("voice", basis="staccato")["aht_s"].text
    '90–150 s'
    >>> channel_targets("chat", answer_time_s=60)["service_level"].text
    '≥ 80 % answered in 60 s'
    """
    if basis not in AHT_BASES:
        raise InputError(f"basis must be one of {', '.join(AHT_BASES)} (got {basis!r})")
    if channel not in AHT_BASES[basis]:
        raise InputError(f"channel must be one of voice, chat, email (got {channel!r})")
    low, high, source = AHT_BASES[basis][channel]
    base_sl = DEFAULT_TARGETS["service_level"]
    qualifier = "" if answer_time_s is None else f"answered in {answer_time_s:g} s"
    return {
        "aht_s": KpiTarget(
            kpi="aht_s", label="AHT", unit="s", direction="range", low=low, high=high,
            amber=30.0 if high > 200 else 15.0, valid_low=0.0, valid_low_inclusive=False,
            order=1, source=source,
        ),
        "service_level": KpiTarget(
            kpi="service_level", label="Service level", unit="fraction", direction="higher",
            low=sl_target,
            amber=base_sl.amber, valid_low=0.0, valid_high=1.0, order=2, qualifier=qualifier,
            source=base_sl.source if answer_time_s in (None, 20) else
            f"the region's target ({sl_target:.0%} in {answer_time_s:g} s)",
        ),
    }  # fmt: skip


def channel_scorecard(
    actuals: Mapping[str, Mapping[str, Any]],
    *,
    basis: str = "general",
    answer_times_s: Mapping[str, float] | None = None,
    sl_targets: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Score per-channel actuals (AHT, service level) against the channel's own targets.

    Parameters
    ----------
    actuals : mapping of channel to mapping of KPI to value
        E.g. ``{"voice": {"aht_s": 360, "service_level": 0.78}}``.
    basis : {"general", "staccato"}
        AHT target basis (:data:`AHT_BASES`).
    answer_times_s, sl_targets : mapping of channel to float, optional
        Each channel's service-level threshold and target (default 80 %, no threshold text).

    Returns
    -------
    pandas.DataFrame
        :func:`scorecard`'s columns plus ``channel`` and ``source`` (where each target comes
        from), channels in the order given.

    Examples
    --------
    >>> sc = channel_scorecard({"voice": {"aht_s": 130}}, basis="staccato")
    >>> sc[["channel", "kpi", "status"]].values.tolist()[0]
    ['voice', 'aht_s', 'met']
    """
    frames = []
    for channel, values in actuals.items():
        targets = channel_targets(
            channel,
            basis=basis,
            answer_time_s=(answer_times_s or {}).get(channel),
            sl_target=(sl_targets or {}).get(channel, 0.80),
        )
        card = scorecard(values, targets)
        card.insert(0, "channel", channel)
        card["source"] = [targets[k].source for k in card["kpi"]]
        frames.append(card)
    if not frames:
        return pd.DataFrame(columns=["channel", *scorecard({}).columns, "source"])
    return pd.concat(frames, ignore_index=True)
