"""Pilot readout from per-contact records (a DataFrame or a CSV file): summarize, then analyse."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from cxplan._validation import as_array
from cxplan.errors import InputError
from cxplan.plan.pilot_readout.analysis import ProportionTest, _readout_core
from cxplan.plan.pilot_readout.results import COST_TARGET_CHANGE, ArmSummary, PilotReadout

__all__ = ["readout", "readout_csv"]

Array = npt.NDArray[np.float64]


def _numeric_column(data: pd.DataFrame, col: str) -> Array:
    try:
        values = pd.to_numeric(data[col], errors="raise")
    except (TypeError, ValueError):
        raise InputError(f"column {col!r} must be numeric") from None
    return np.asarray(pd.Series(values).to_numpy(dtype=np.float64, na_value=np.nan))


def _flag_column(data: pd.DataFrame, col: str) -> Array:
    """Bool / 0-1 column to float with NaN for missing; anything else is an InputError."""
    s = data[col]
    out = np.full(len(s), np.nan)
    present = s.notna().to_numpy()
    vals = s[present]
    if len(vals) == 0:
        return out
    if all(isinstance(v, bool | np.bool_) for v in vals):
        out[present] = vals.astype(bool).to_numpy(dtype=np.float64)
        return out
    num = _numeric_column(data.loc[present], col)
    if not np.all((num == 0.0) | (num == 1.0)):
        raise InputError(f"column {col!r} must hold True/False (or 1/0), missing allowed")
    out[present] = num
    return out


def _summarize(
    arm: pd.DataFrame, csat_satisfied_min: float, csat_scale_max: float
) -> tuple[ArmSummary, Array, Array | None]:
    aht = _numeric_column(arm, "handle_time_s")
    as_array("handle_time_s", aht, low=0.0, low_inclusive=False)
    fcr = csat = None
    if "resolved_first_contact" in arm:
        f = _flag_column(arm, "resolved_first_contact")
        f = f[~np.isnan(f)]
        if f.size:
            fcr = (int(f.sum()), int(f.size))
    if "csat" in arm:
        s = arm["csat"]
        present = s.dropna()
        if len(present) and all(isinstance(v, bool | np.bool_) for v in present):
            sat = _flag_column(arm, "csat")
        else:
            raw = _numeric_column(arm, "csat")
            scores = raw[~np.isnan(raw)]
            as_array("csat", scores, low=1.0, high=csat_scale_max, integer=True)
            sat = np.where(np.isnan(raw), np.nan, (raw >= csat_satisfied_min).astype(np.float64))
        sat = sat[~np.isnan(sat)]
        if sat.size:
            csat = (int(sat.sum()), int(sat.size))
    cost_arr = None
    cost_mean = cost_sd = None
    if "cost" in arm:
        cost_arr = _numeric_column(arm, "cost")
        as_array("cost", cost_arr, low=0.0)
        cost_mean, cost_sd = float(cost_arr.mean()), float(cost_arr.std(ddof=1))
        if cost_mean <= 0.0:
            raise InputError("column 'cost' must have a positive mean per arm")
    summary = ArmSummary(
        n=int(aht.size),
        aht_mean_s=float(aht.mean()),
        aht_sd_s=float(aht.std(ddof=1)),
        fcr_resolved=None if fcr is None else fcr[0],
        fcr_n=None if fcr is None else fcr[1],
        csat_satisfied=None if csat is None else csat[0],
        csat_n=None if csat is None else csat[1],
        cost_mean=cost_mean,
        cost_sd=cost_sd,
    )
    return summary, aht, cost_arr


def readout(
    data: pd.DataFrame,
    *,
    control: str = "control",
    treatment: str = "treatment",
    alpha: float = 0.05,
    csat_satisfied_min: float = 4,
    csat_scale_max: float = 5,
    proportion_test: ProportionTest = "auto",
    cost_target_change: tuple[float, float] = COST_TARGET_CHANGE,
    guardrail_margin: float | None = None,
) -> PilotReadout:
    """Compare treatment (staccato) with control (standard) from per-contact records.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per contact. Required columns: ``group`` (arm label) and ``handle_time_s`` (> 0).
        Optional: ``resolved_first_contact`` (bool or 0/1; missing = not measured), ``csat`` (a
        1–``csat_scale_max`` integer score or a satisfied bool; missing = no survey response) and
        ``cost`` (cost of the contact, money, >= 0). Other columns are ignored.
    control, treatment : str
        The ``group`` labels of the two arms; other labels are an error.
    alpha : float, default 0.05
        Two-sided significance level.
    csat_satisfied_min : float, default 4
        A score at or above this is "satisfied": CSAT = share of respondents scoring 4–5 on a
        5-point scale (top-two-box), the usual reading of the seed 001 "CSAT ≥ 80 %" benchmark.
    csat_scale_max : float, default 5
        Top of the CSAT scale (scores must be whole numbers in 1..max).
    proportion_test, cost_target_change, guardrail_margin
        As in :func:`readout_from_summaries`.

    Returns
    -------
    PilotReadout
        As :func:`readout_from_summaries`, plus Mann–Whitney U p-values for handle time and cost.

    Notes
    -----
    Aggregates each arm and applies :func:`readout_from_summaries`. Handle times are right-skewed:
    Welch's t compares means (what cost depends on) and is reliable at pilot sizes; the Mann–Whitney
    U test (two-sided, scipy's default method) is the rank-based check that does not lean on
    normality. Cost per contact is the mean of ``cost``. To check the seed's month-3 cost target,
    pass only month-3 contacts (e.g. ``data[data.day > 60]``).

    References
    ----------
    .. [1] H. B. Mann and D. R. Whitney, "On a test of whether one of two random variables is
       stochastically larger than the other", Ann. Math. Stat. 18, 1947.
    .. [2] Seed 000 (pilot metrics and target) and seed 001 (CSAT benchmark).

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "group": ["control"] * 4 + ["treatment"] * 4,
    ...     "handle_time_s": [330, 420, 360, 390, 280, 310, 285, 325],  # means 375 s, 300 s
    ...     "resolved_first_contact": [True, False, True, True, True, True, False, True],
    ... })
    >>> r = readout(df)
    >>> round(r.metric("aht").relative_change, 3)
    -0.2
    >>> r.metric("csat").outcome
    'no data'
    >>> list(r.table().metric)
    ['aht', 'fcr', 'csat', 'cost_per_contact']
    """
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"data must be a pandas DataFrame (got {type(data).__name__})")
    for col in ("group", "handle_time_s"):
        if col not in data:
            raise InputError(f"data must have a {col!r} column")
    if control == treatment:
        raise InputError("control and treatment must be different group labels")
    groups = data["group"]
    seen = set(groups.dropna().unique().tolist())
    for name, label in (("control", control), ("treatment", treatment)):
        if label not in seen:
            raise InputError(
                f"{name} group {label!r} not found in data['group'] "
                f"(found {sorted(map(str, seen))})"
            )
    other = seen - {control, treatment}
    if other or groups.isna().any():
        raise InputError(
            f"data['group'] must hold only {control!r} and {treatment!r} "
            f"(found also {sorted(map(str, other)) or 'missing values'})"
        )
    as_array("csat_satisfied_min", csat_satisfied_min, low=1.0, high=csat_scale_max)
    summ_c, aht_c, cost_c = _summarize(data[groups == control], csat_satisfied_min, csat_scale_max)
    summ_t, aht_t, cost_t = _summarize(
        data[groups == treatment], csat_satisfied_min, csat_scale_max
    )
    robust: dict[str, tuple[str, float]] = {
        "aht": ("Mann–Whitney U", float(stats.mannwhitneyu(aht_t, aht_c).pvalue))
    }
    if cost_c is not None and cost_t is not None:
        robust["cost_per_contact"] = (
            "Mann–Whitney U",
            float(stats.mannwhitneyu(cost_t, cost_c).pvalue),
        )
    return _readout_core(
        summ_c,
        summ_t,
        alpha=alpha,
        proportion_test=proportion_test,
        cost_target_change=cost_target_change,
        guardrail_margin=guardrail_margin,
        robust=robust,
    )


def readout_csv(path: str | os.PathLike[str], **kwargs: Any) -> PilotReadout:
    """Read a pilot data file (CSV, ``#`` starts a comment) and compute its :func:`readout`.

    The one reader of pilot data files: ``cxplan validate`` calls it on the file a parameter file
    names, so that a file the report could not read is refused before the report runs.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file (one row per contact, see :func:`readout` for the columns).
    **kwargs
        Passed to :func:`readout` (e.g. ``alpha``).

    Returns
    -------
    PilotReadout

    Raises
    ------
    InputError
        ``"<path>: <problem>"``: not a readable CSV table (binary, empty, ragged rows), or any
        problem :func:`readout` finds (a missing column, an unknown group, bad values).
    """
    try:
        data = pd.read_csv(path, comment="#")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{os.fspath(path)}: not a CSV text file (not UTF-8: byte {exc.start})"
        ) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(f"{os.fspath(path)}: not a readable CSV table ({reason})") from None
    except OSError as exc:
        raise InputError(f"{os.fspath(path)}: cannot read ({exc.strerror or exc})") from None
    try:
        return readout(data, **kwargs)
    except InputError as exc:
        raise InputError(f"{os.fspath(path)}: {exc}") from None
