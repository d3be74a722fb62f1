"""The ``skills:`` parameter section and the report's staffing comparison built from it.

:class:`SkillsParams` describes the queues of a skills-based-routing study (the rates of the
interval studied, e.g. the peak half hour), optionally the centre's own cross-skilled agent
groups, the cost of an agent and the simulation settings. :func:`skills_comparison` staffs three
designs of the same queues by simulation (:func:`cxplan.workforce.skills_staffing.staff`) and
returns the table the report shows: dedicated agents, cross-skilled agents (the configured groups,
or a 2-skill chain when none are given) and one fully pooled group.

Units are in the key names: ``_s`` seconds, ``_hours``, ``_per_hour`` (contacts, or money in the
params' currency); shares are fractions. Unknown keys are refused (``extra="forbid"``).

Example section (YAML)::

    skills:
      queues:
        - {name: Billing, rate_per_hour: 144, aht_s: 300}
        - {name: Tech, rate_per_hour: 144, aht_s: 300, patience_s: 240}
      cost_per_hour: 28.0
      premium_per_extra_skill: 0.05
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
    field_validator,
    model_validator,
)

from cxplan._schema import MONEY
from cxplan.errors import CxplanError, InfeasibleError
from cxplan.workforce import routing, skills_staffing

__all__ = ["SkillsGroupParams", "SkillsParams", "SkillsQueueParams", "skills_comparison"]

Num = Annotated[float, Strict()]
Int = Annotated[int, Strict()]
Positive = Annotated[Num, Field(gt=0.0)]
Money = Annotated[Num, Field(ge=0.0, le=1e6), MONEY]  # converted from the defaults' currency

# Plain words only: names appear in report tables and column names.
_NAME_RE = re.compile(r"^[A-Za-z0-9À-ÖØ-öø-ÿ][A-Za-z0-9À-ÖØ-öø-ÿ &',.+-]{0,39}$")


def _plain(value: str) -> str:
    if not _NAME_RE.match(value):
        raise ValueError(
            "must be plain words (letters, digits, spaces, - + & ' , .; at most 40 characters)"
        )
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class SkillsQueueParams(_Model):
    """One contact type (queue) of the study."""

    name: str
    rate_per_hour: Annotated[Num, Field(ge=0.0, le=1e6)]
    aht_s: Annotated[Num, Field(gt=0.0, le=86_400.0)]
    patience_s: Positive | None = None
    answer_time_s: Annotated[Num, Field(ge=0.0, le=86_400.0)] = 20.0
    sl_target: Annotated[Num, Field(gt=0.0, le=1.0)] = 0.80
    max_abandon: Annotated[Num, Field(ge=0.0, le=1.0)] | None = None
    priority: Annotated[Int, Field(ge=0, le=100)] = 0
    overflow_after_s: Annotated[Num, Field(ge=0.0, le=86_400.0)] = 0.0
    handle_time: Literal["exponential", "lognormal"] = "exponential"
    handle_time_cv: Annotated[Num, Field(gt=0.0, le=10.0)] = 1.0

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _plain(value)

    def contact_type(self) -> routing.ContactType:
        """Return the :class:`~cxplan.workforce.routing.ContactType` of this queue."""
        return routing.ContactType(**self.model_dump())


class SkillsGroupParams(_Model):
    """One agent group of the centre's own cross-skilled design."""

    name: str
    skills: Annotated[list[str], Field(min_length=1)]
    secondary_skills: list[str] = []
    aht_factor: dict[str, Annotated[Num, Field(gt=0.0, le=10.0)]] = {}
    cost_per_hour: Money | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _plain(value)


class SkillsParams(_Model):
    """The ``skills:`` section: queues, optional cross-skilled groups, costs and settings.

    Attributes
    ----------
    queues : list of SkillsQueueParams
        At least two queues (the comparison is about sharing agents between them).
    groups : list of SkillsGroupParams or None
        The centre's cross-skilled groups; ``None`` uses the 2-skill chain (group ``i``:
        primary queue ``i``, secondary queue ``i+1``, the last closing the loop).
    cost_per_hour : float
        Cost of a single-skill agent per staffed hour (params' currency).
    premium_per_extra_skill : float
        Extra cost per additional skill, fraction of ``cost_per_hour`` (groups without their
        own ``cost_per_hour``).
    replications, run_hours, warmup_s, seed, criterion
        Simulation settings of the staffing search (:func:`skills_staffing.staff`).
    """

    queues: Annotated[list[SkillsQueueParams], Field(min_length=2, max_length=20)]
    groups: Annotated[list[SkillsGroupParams], Field(min_length=1, max_length=40)] | None = None
    cost_per_hour: Money = 1.0
    premium_per_extra_skill: Annotated[Num, Field(ge=0.0, le=2.0)] = 0.0
    replications: Annotated[Int, Field(ge=2, le=200)] = 10
    run_hours: Annotated[Num, Field(gt=0.0, le=168.0)] = 8.0
    warmup_s: Annotated[Num, Field(ge=0.0, le=86_400.0)] = 3_600.0
    seed: Annotated[Int, Field(ge=0, le=2**32 - 1)] = 20_050_401
    criterion: Literal["mean", "lower"] = "mean"
    # set once the checks below have passed: pydantic runs "after" validators again when a
    # validated (frozen, so unchanged) instance is passed to a parent model, as the planner's
    # overrides do on every slider step; the Erlang staffing need not run again
    _checked: bool = PrivateAttr(default=False)

    @model_validator(mode="after")
    def _consistent(self) -> SkillsParams:
        # messages start with the field's name and a space: a params file reports them on that
        # field's line (cxplan.config.yamlfile)
        if self._checked:
            return self
        names = [q.name for q in self.queues]
        if len(set(names)) != len(names):
            raise ValueError(f"queues names must be unique (got {names})")
        try:
            model = self.routing_model()
        except CxplanError as exc:
            raise ValueError(f"groups {exc}") from None
        try:  # every queue needs a home group, and Erlang staffing must exist for its targets
            skills_staffing.erlang_bounds(model)
        except InfeasibleError as exc:
            raise ValueError(f"queues {exc}") from None
        except CxplanError as exc:
            raise ValueError(f"groups {exc}") from None
        self._checked = True
        return self

    def _cost(self, n_skills: int) -> float:
        return self.cost_per_hour * (1.0 + self.premium_per_extra_skill * (n_skills - 1))

    def routing_model(self) -> routing.RoutingModel:
        """Build the cross-skilled design: the configured groups, or the 2-skill chain."""
        cts = [q.contact_type() for q in self.queues]
        if self.groups is None:
            return skills_staffing.design_models(
                cts,
                cost_per_hour=self.cost_per_hour,
                premium_per_extra_skill=self.premium_per_extra_skill,
                designs=("chain",),
            )["chain"]
        groups = [
            routing.AgentGroup(
                g.name,
                g.skills,
                secondary_skills=g.secondary_skills,
                aht_factor=g.aht_factor,
                cost_per_hour=(
                    g.cost_per_hour
                    if g.cost_per_hour is not None
                    else self._cost(len(g.skills) + len(g.secondary_skills))
                ),
            )
            for g in self.groups
        ]
        return routing.RoutingModel(cts, groups)


def skills_comparison(skills: SkillsParams, *, client: Any = None) -> pd.DataFrame:
    """Dedicated vs cross-skilled vs pooled staffing of the section's queues, by simulation.

    Parameters
    ----------
    skills : SkillsParams
        The ``skills:`` section.
    client : dask.distributed.Client, optional
        Map replications over Dask (same table as local).

    Returns
    -------
    pandas.DataFrame
        Index ``design`` (``dedicated``, ``cross_skilled``, ``pooled``); columns ``label``,
        ``skills_per_agent``, ``agents``, ``agents_erlang``, ``extra_vs_pooled``,
        ``cost_per_hour``, ``sl_min``, ``sl_<queue>`` per queue, ``abandon_max``, ``converged``
        (see :func:`cxplan.workforce.skills_staffing.compare_designs`).

    Notes
    -----
    All three designs are staffed with the same seed (common random numbers) and their reported
    service levels come from independent validation replications.
    """
    cts = [q.contact_type() for q in skills.queues]
    designs = skills_staffing.design_models(
        cts,
        cost_per_hour=skills.cost_per_hour,
        premium_per_extra_skill=skills.premium_per_extra_skill,
        designs=("dedicated", "pooled"),
    )
    models = {
        "dedicated": designs["dedicated"],
        "cross_skilled": skills.routing_model(),
        "pooled": designs["pooled"],
    }
    table = skills_staffing.compare_designs(
        models,
        replications=skills.replications,
        run_s=skills.run_hours * 3600.0,
        warmup_s=skills.warmup_s,
        seed=skills.seed,
        criterion=skills.criterion,
        client=client,
    )
    if skills.groups is not None:
        table.loc["cross_skilled", "label"] = "Cross-skilled (configured groups)"
    else:
        table.loc["cross_skilled", "label"] = "Cross-skilled (2-skill chain)"
    return table
