"""The region model's shared results (:mod:`cxplan.model._memo`): complete keys, same figures.

A result shared between models is keyed on the parameter sections it reads. The keys are proved
complete here the only way a key can be: every section *outside* a result's key is changed (one
valid, material edit per section, table ``EDITS``) and the result, computed afresh with the
store turned off, must stay equal -- while the same edit inside the key changes something
somewhere (so the edits have teeth). The store itself is checked to return the figures a
fresh model computes, and to recompute only what a change invalidates.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import REGIONS

from cxplan.config.params import RegionParams, load_params, params_root
from cxplan.model import RegionModel
from cxplan.model._memo import MEMO, SHARED, Memo, section_key

DRAWS = 200  # Monte Carlo draws: the keys, not the precision, are under test


@functools.cache
def _params(stem: str) -> RegionParams:
    return load_params(REGIONS / f"{stem}.yaml")


def _edit(params: RegionParams, change: Callable[[dict[str, Any]], None]) -> RegionParams:
    data = params.model_dump()
    change(data)
    return RegionParams.model_validate(data)


def _scale(section: str, *fields: str, by: float = 1.2) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target = data
        for part in section.split("."):
            target = target[part]
        for f in fields:
            target[f] = target[f] * by

    return change


def _set(section: str, **values: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target = data
        for part in section.split("."):
            target = target[part]
        target.update(values)

    return change


def _roadmap(data: dict[str, Any]) -> None:
    # every task costs more and the rollout ends two weeks earlier
    for task in data["roadmap"]["tasks"]:
        for key in ("cost_low", "cost_base", "cost_high"):
            task[key] = task[key] * 1.5
    rollout_id = data["initiative"]["rollout_task"]
    rollout = next(t for t in data["roadmap"]["tasks"] if t["id"] == rollout_id)
    rollout["end_day"] = max(rollout["start_day"] + 7, rollout["end_day"] - 14)


def _initiative(data: dict[str, Any]) -> None:
    i = data["initiative"]
    i["realisation"] = {"low": 0.6, "mode": 0.8, "high": 0.9, "dist": "pert"}
    i["training_hours_per_agent"] = i["training_hours_per_agent"] + 4.0
    i["deflection"] = {"low": 0.05, "mode": 0.1, "high": 0.3, "dist": "pert"}


def _region(data: dict[str, Any]) -> None:
    data["region"]["name"] = data["region"]["name"] + " B"
    data["region"]["start_date"] = data["region"]["start_date"] + datetime.timedelta(days=7)


#: One valid, material edit per section (or channel sub-section) of a region.
EDITS: dict[str, Callable[[dict[str, Any]], None]] = {
    "region": _region,
    "forecast": _set("forecast", growth_annual=0.2),
    "channels.voice": _scale("channels.voice", "aht_s", "weekly_contacts"),
    "channels.chat": _scale("channels.chat", "aht_s", "weekly_contacts"),
    "channels.email": _scale("channels.email", "aht_s", "weekly_contacts"),
    "workforce": _set("workforce", shrinkage=0.36, attrition_annual=0.5),
    "location": _scale("location", "wage_per_hour", "hiring_cost_per_hire"),
    "technology": _scale("technology", "implementation_cost", by=2.0),
    "vendor": _set("vendor", transition_cost=123_456.0, governance_share=0.08),
    "sourcing": _set("sourcing", vendor_share=0.55),
    "initiative": _initiative,
    "finance": _set("finance", discount_rate_annual=0.07, horizon_months=48),
    "roadmap": _roadmap,
    "pilot": _set("pilot", alpha=0.1, pilot_share=0.4),
    "kpi": _set("kpi", aht_basis="staccato"),
    "sanity": _set("sanity", max_roi=0.1, max_shortfall_weeks=26),
    "fx": _set("fx", as_of="2099-01-01"),
}


def _technology(data: dict[str, Any]) -> None:
    tech = data["technology"]
    tech["implementation_cost"] = tech["implementation_cost"] * 2 + 1000.0
    for licence in tech["licences"]:
        licence["cost_per_agent_per_month"] = licence["cost_per_agent_per_month"] * 1.5


EDITS["technology"] = _technology

#: A small skills study (2 queues, 4 replications of 2 h: quick) set where a region has none.
_SKILLS = {
    "queues": [
        {"name": "Billing", "rate_per_hour": 60.0, "aht_s": 300.0},
        {"name": "Orders", "rate_per_hour": 40.0, "aht_s": 300.0, "patience_s": 300.0},
    ],
    "replications": 4,
    "run_hours": 2.0,
    "warmup_s": 600.0,
}


def _skills(data: dict[str, Any]) -> None:
    if data["skills"] is None:
        data["skills"] = _SKILLS
    else:
        for q in data["skills"]["queues"]:
            q["rate_per_hour"] = q["rate_per_hour"] * 1.2


def _shifts(data: dict[str, Any]) -> None:
    if data["shifts"] is None:
        data["shifts"] = {
            "work_limit_s": 1.0,
            "templates": [
                {"name": "Day", "length_minutes": 480, "start_times": ["00:00-16:00/60"]}
            ],
        }
    else:
        data["shifts"]["templates"] = data["shifts"]["templates"][:1]


EDITS["skills"] = _skills
EDITS["shifts"] = _shifts


def _assert_same(a: Any, b: Any, where: str = "result") -> None:
    """Deep equality of model results (frames, arrays, dataclasses, containers, numbers)."""
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=where)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True, obj=where)
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), where
        for f in dataclasses.fields(a):
            _assert_same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for k in a:
            _assert_same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for k, (x, y) in enumerate(zip(a, b, strict=True)):
            _assert_same(x, y, f"{where}[{k}]")
    elif isinstance(a, float | np.floating):
        assert (np.isnan(a) and np.isnan(b)) or a == b, f"{where}: {a!r} != {b!r}"
    elif hasattr(a, "__dict__") and not isinstance(a, type):
        _assert_same(vars(a), vars(b), where)
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def _is_same(a: Any, b: Any) -> bool:
    try:
        _assert_same(a, b)
    except AssertionError:
        return False
    return True


# result name → how to read it off a model
RESULTS: dict[str, Callable[[RegionModel], Any]] = {
    "OperationModel.channel_staffing[voice]": lambda m: m.channel_staffing("voice"),
    "OperationModel.channel_staffing[chat]": lambda m: m.channel_staffing("chat"),
    "OperationModel.plan_forecast": lambda m: m.plan_forecast,
    "OperationModel.volumes": lambda m: m.volumes,
    "OperationModel.history_baseline": lambda m: m.history_baseline,
    "OperationModel.combined": lambda m: m.combined,
    "OperationModel.weekly": lambda m: m.weekly,
    "OperationModel.monthly": lambda m: m.monthly,
    "OperationModel.inhouse_cost": lambda m: m.inhouse_cost,
    "CaseModel.initiative_baseline": lambda m: m.initiative_baseline,
    "OperationModel.sourcing_comparison": lambda m: m.sourcing_comparison,
    "OperationModel.crossover": lambda m: m.crossover,
    "PlanModel.hiring_plan": lambda m: m.hiring_plan,
    "CaseModel.business_case": lambda m: m.business_case,
    "CaseModel.tornado": lambda m: m.tornado,
    "CaseModel.monte_carlo": lambda m: m.monte_carlo,
    "DistributionModel.skills_comparison": lambda m: m.skills_comparison,
    # the solver's wall time is informative only (it differs between two equal solves)
    "DistributionModel.schedule": lambda m: (
        None if m.schedule is None else dataclasses.replace(m.schedule, solve_time_s=0.0)
    ),
}


def _key(name: str, params: RegionParams) -> set[str]:
    """The sections a result's key holds (top-level and channel sub-sections)."""
    if name.startswith("OperationModel.channel_staffing["):
        channel = name.split("[")[1].rstrip("]")
        return {"region", "forecast", "history", f"channels.{channel}"}
    sections = set(SHARED[name])
    if name == "OperationModel.volumes":  # each channel's weekly contacts (key extra)
        sections |= {"channels.voice", "channels.chat", "channels.email"}
    if name in ("OperationModel.sourcing_comparison", "OperationModel.crossover"):
        sections.add(f"channels.{params.sourcing.channel}")
    if "channels" in sections:
        sections |= {"channels.voice", "channels.chat", "channels.email"}
    return sections


def _fresh(params: RegionParams, name: str) -> Any:
    with MEMO.disabled():
        return RESULTS[name](RegionModel(params, monte_carlo_draws=DRAWS))


def test_every_shared_result_is_under_test() -> None:
    assert set(SHARED) == {n for n in RESULTS if "[" not in n}


CASES = [
    (stem, name)
    for stem in ("latin-america", "asia-pacific")  # crossover and MILP are quick for these two
    for name in RESULTS
]


@pytest.mark.slow
@pytest.mark.parametrize(("stem", "name"), CASES, ids=[f"{s}-{n}" for s, n in CASES])
def test_key_is_complete(stem: str, name: str) -> None:
    """Changing any section outside the key leaves the result equal."""
    base = _params(stem)
    key = _key(name, base)
    reference = _fresh(base, name)
    outside = [s for s in EDITS if s not in key]
    assert outside, name
    for section in outside:
        edited = _edit(base, EDITS[section])
        assert edited != base, section
        _assert_same(_fresh(edited, name), reference, f"{name} after editing {section}")


@pytest.mark.parametrize("stem", ["north-america", "demo-bank"])
def test_volumes_read_only_the_channels_weekly_contacts(stem: str) -> None:
    """The volumes' key holds each channel's weekly contacts, not the rest of its section."""
    base = _params(stem)
    root = params_root(REGIONS / f"{stem}.yaml")

    def volumes(params: RegionParams) -> dict[str, pd.Series]:
        with MEMO.disabled():
            return RegionModel(params, params_root=root).volumes

    def service(data: dict[str, Any]) -> None:
        for name in ("voice", "chat", "email"):
            channel = data["channels"][name]
            if channel is not None:
                channel["aht_s"] = channel["aht_s"] * 1.3
                if "sl_target" in channel:
                    channel["sl_target"] = 0.5

    reference = volumes(base)
    edited = _edit(base, service)
    assert edited != base
    _assert_same(volumes(edited), reference, "volumes after handle-time and service edits")
    if base.history is None:  # typed volumes follow the weekly contacts
        more = _edit(base, _scale("channels.voice", "weekly_contacts"))
        assert not volumes(more)["voice"].equals(reference["voice"])


@pytest.mark.slow
@pytest.mark.parametrize("section", list(EDITS))
def test_every_edit_changes_some_figure(section: str) -> None:
    """The edits of the table are material: each changes at least one result whose key holds it
    (or, for sections no shared result reads, something the report shows)."""
    base = _params("latin-america")
    edited = _edit(base, EDITS[section])
    readers = [n for n in RESULTS if section in _key(n, base)]
    if readers:
        assert any(not _is_same(_fresh(edited, n), _fresh(base, n)) for n in readers), section
        return
    # pilot, kpi, sanity, fx: read only by the report's own (unshared) results
    with MEMO.disabled():
        a = RegionModel(base, monte_carlo_draws=DRAWS)
        b = RegionModel(edited, monte_carlo_draws=DRAWS)
        seen = {
            "pilot": lambda m: m.pilot_design,
            "kpi": lambda m: m.channel_scorecard,
            "sanity": lambda m: m.sanity_flags,
            "fx": lambda m: m.params.fx.as_of,
        }[section]
        assert not _is_same(seen(a), seen(b)), section


def test_shared_results_are_the_fresh_ones_and_only_invalidated_ones_recompute() -> None:
    base = _params("north-america")
    MEMO.clear()
    first = RegionModel(base, monte_carlo_draws=DRAWS)
    staffing, plan, case = first.staffing, first.hiring_plan, first.business_case
    comparison = first.sourcing_comparison
    # the outsourced share: only the sourcing comparison depends on it
    moved = _edit(base, _set("sourcing", vendor_share=0.6))
    second = RegionModel(moved, monte_carlo_draws=DRAWS)
    assert all(second.staffing[ch] is staffing[ch] for ch in staffing)
    assert second.hiring_plan is plan
    assert second.business_case is case
    assert second.sourcing_comparison is not comparison
    _assert_same(second.sourcing_comparison, _fresh(moved, "OperationModel.sourcing_comparison"))
    # voice AHT: voice staffing, sourcing (voice is compared) and the plan; chat and email kept
    longer = _edit(base, _scale("channels.voice", "aht_s", by=1.1))
    third = RegionModel(longer, monte_carlo_draws=DRAWS)
    assert third.staffing["chat"] is staffing["chat"]
    assert third.staffing["email"] is staffing["email"]
    assert third.staffing["voice"] is not staffing["voice"]
    for name in ("OperationModel.channel_staffing[voice]", "PlanModel.hiring_plan"):
        _assert_same(RESULTS[name](third), _fresh(longer, name), name)
    with MEMO.disabled():
        fresh = RegionModel(longer, monte_carlo_draws=DRAWS)
        assert third.key_figures == fresh.key_figures


def test_section_key_reads_sub_sections_and_missing_channels() -> None:
    p = _params("north-america")
    assert section_key(p, "channels.voice") == p.channels.voice.model_dump_json()  # type: ignore[union-attr]
    no_chat = p.model_copy(update={"channels": p.channels.model_copy(update={"chat": None})})
    assert section_key(no_chat, "channels.chat") == "null"


def test_memo_is_bounded_and_least_recently_used_goes_first() -> None:
    memo = Memo(maxsize=2)
    calls: list[str] = []

    def compute(k: str) -> Callable[[], str]:
        return lambda: calls.append(k) or k.upper()

    assert memo.get("a", compute("a")) == "A"
    assert memo.get("b", compute("b")) == "B"
    assert memo.get("a", compute("a")) == "A"  # a is now the most recent
    assert memo.get("c", compute("c")) == "C"  # b goes
    assert len(memo) == 2
    assert memo.get("a", compute("a")) == "A"
    assert memo.get("b", compute("b")) == "B"  # recomputed
    assert calls == ["a", "b", "c", "b"]
    with memo.disabled():
        memo.get("a", compute("a"))
    assert calls[-1] == "a"
    with pytest.raises(ValueError, match="maxsize"):
        Memo(maxsize=0)
