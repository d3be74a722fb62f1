"""Regenerate ``params/pilot/demo_pilot.csv``, the synthetic standard-vs-staccato pilot.

Run from anywhere with the repository's environment::

    python params/pilot/make_demo_pilot.py            # rewrites demo_pilot.csv beside this file
    python params/pilot/make_demo_pilot.py --out x.csv

The file is byte-for-byte what :func:`synthetic_pilot` returns with its defaults, written as CSV
with Unix line ends; ``tests/test_pilot.py`` regenerates it and checks that. This is demo data for
the report and the tests, not part of the cxplan library.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cxplan.plan.pilot_design import PILOT_DAYS

DEMO_CSV = Path(__file__).resolve().with_name("demo_pilot.csv")


def synthetic_pilot(
    n_per_arm: int = 1500,
    *,
    seed: int = 25,
    regions: Sequence[str] = ("north", "south"),
    days: int = PILOT_DAYS,
    baseline_aht_s: float = 360.0,
    aht_change: float = -0.22,
    aht_cv: float = 0.8,
    fcr_control: float = 0.72,
    fcr_change: float = 0.01,
    csat_control: float = 0.80,
    csat_change: float = 0.02,
    csat_response_rate: float = 0.30,
    cost_per_handle_hour: float = 28.0 * 1.30 / 0.85,
    fixed_cost_per_contact: float = 2.50,
    tooling_cost_per_contact: float = 0.15,
) -> pd.DataFrame:
    """Generate a deterministic synthetic standard-vs-staccato pilot, one row per contact.

    Parameters
    ----------
    n_per_arm : int, default 1500
        Contacts per arm, split evenly over ``regions`` (remainder to the first).
    seed : int, default 25
        Seed for :func:`numpy.random.default_rng`; the same arguments give the same frame.
    regions : sequence of str, default ("north", "south")
        Pilot regions (seed 000: 2 regions).
    days : int, default 90
        Pilot length; each contact gets a uniform day 1..days (seed 000: 90 days).
    baseline_aht_s : float, default 360
        Control mean handle time: 6 minutes, the seed 001 worked example.
    aht_change : float, default -0.22
        Treatment change in mean handle time; seed 000 expects 20–35 % lower (ROI example −25 %).
    aht_cv : float, default 0.8
        Coefficient of variation of handle time in both arms (lognormal, right-skewed).
    fcr_control, fcr_change : float, default 0.72, +0.01
        Control FCR (seed 000: 65–85 %; seed 001: ≥ 70 %) and the treatment change (flat).
    csat_control, csat_change : float, default 0.80, +0.02
        Control share satisfied (seed 001: ≥ 80 %) and the treatment change.
    csat_response_rate : float, default 0.30
        Share of contacts with a survey response (assumption; the rest have a missing ``csat``).
    cost_per_handle_hour : float, default 28 × 1.30 / 0.85 ≈ 42.8
        Loaded agent cost per handled hour: $28/h wage (seed 000), 30 % overhead (seed 001:
        25–40 %), 85 % occupancy (seed 001).
    fixed_cost_per_contact : float, default 2.50
        Non-agent cost per contact (supervision, technology, facilities): about 37 % of the control
        cost, in line with an agent share of 55–65 % (domain notes).
    tooling_cost_per_contact : float, default 0.15
        Extra staccato tooling per contact: seed 000's $15k–120k/yr over its 1,200 contacts/day.

    Returns
    -------
    pandas.DataFrame
        Columns ``contact_id`` (int), ``region`` (str), ``day`` (int), ``group`` (``"control"`` =
        standard agents, ``"treatment"`` = staccato agents), ``handle_time_s`` (int seconds >= 1),
        ``resolved_first_contact`` (bool), ``csat`` (nullable Int64 score 1–5) and ``cost`` (money,
        2 decimals), sorted by day then contact id.

    Notes
    -----
    Handle time is lognormal with ``σ² = ln(1 + cv²)``, ``μ = ln(mean) − σ²/2``, rounded to whole
    seconds. FCR is Bernoulli. A responder is satisfied with the arm's CSAT probability; satisfied
    scores are 4 or 5 (45 % / 55 %), dissatisfied 1, 2 or 3 (20 % / 30 % / 50 %). Cost is
    ``handle_time_s/3600 · cost_per_handle_hour + fixed_cost_per_contact``, plus tooling in the
    treatment arm. With the defaults the cost per contact falls about 12 %, inside the seed 000
    target band.

    References
    ----------
    .. [1] Seeds 000 and 001 as cited per parameter.

    """
    if not regions or len(set(regions)) != len(regions):
        raise ValueError("regions must be a non-empty sequence of distinct names")

    rng = np.random.default_rng(seed)
    n = int(n_per_arm)
    k = len(regions)
    per_region = np.full(k, n // k)
    per_region[0] += n - per_region.sum()
    region_idx = np.repeat(np.arange(k), per_region)
    arm = np.repeat([0, 1], n)  # 0 = control, 1 = treatment
    region_all = np.concatenate([region_idx, region_idx])
    total = 2 * n

    mean = baseline_aht_s * np.where(arm == 1, 1.0 + aht_change, 1.0)
    sigma2 = math.log1p(aht_cv**2)
    mu = np.log(mean) - sigma2 / 2.0
    handle = np.maximum(1.0, np.rint(rng.lognormal(mu, math.sqrt(sigma2))))
    fcr_p = np.where(arm == 1, fcr_control + fcr_change, fcr_control)
    resolved = rng.random(total) < fcr_p
    responded = rng.random(total) < csat_response_rate
    sat_p = np.where(arm == 1, csat_control + csat_change, csat_control)
    satisfied = rng.random(total) < sat_p
    high = rng.choice(np.array([4, 5]), size=total, p=[0.45, 0.55])
    low = rng.choice(np.array([1, 2, 3]), size=total, p=[0.2, 0.3, 0.5])
    score = np.where(satisfied, high, low)
    day = rng.integers(1, int(days) + 1, size=total)
    cost = (
        handle / 3600.0 * cost_per_handle_hour
        + fixed_cost_per_contact
        + np.where(arm == 1, tooling_cost_per_contact, 0.0)
    )
    frame = pd.DataFrame(
        {
            "region": np.asarray(list(regions), dtype=object)[region_all],
            "day": day.astype(np.int64),
            "group": np.where(arm == 1, "treatment", "control").astype(object),
            "handle_time_s": handle.astype(np.int64),
            "resolved_first_contact": resolved,
            "csat": pd.array(np.where(responded, score, 0), dtype="Int64"),
            "cost": np.round(cost, 2),
        }
    )
    frame.loc[~responded, "csat"] = pd.NA
    frame = frame.sort_values(["day", "group", "region"], kind="stable").reset_index(drop=True)
    frame.insert(0, "contact_id", np.arange(1, total + 1, dtype=np.int64))
    return frame


def main(argv: Sequence[str] | None = None) -> None:
    """Write the demo pilot (the defaults of :func:`synthetic_pilot`) to ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEMO_CSV, help="default: %(default)s")
    args = parser.parse_args(argv)
    with open(args.out, "w", encoding="utf-8", newline="") as handle:
        # the marker cxplan looks for: every output that reads this file labels it as demo data
        handle.write(f"{DEMO_MARKER}: synthetic, not client data (params/pilot/README.md)\n")
        synthetic_pilot().to_csv(handle, index=False, lineterminator="\n")


#: First line of cxplan's demo data files (``cxplan.model.DEMO_MARKER``, written out here so the
#: script runs without cxplan installed).
DEMO_MARKER = "# cxplan demo data"


if __name__ == "__main__":
    main()
