"""The roadmap template the product uses: the ``roadmap:`` section of ``params/defaults.yaml``.

Seed 001's 90–180-day plan (0–30 / 30–90 / 90–180 days, discovery $5k–20k, licences and
integrations $10k–75k), read exactly as the region model reads it
(:class:`cxplan.config.params.RoadmapParams`, itself a :class:`~cxplan.plan.roadmap.Roadmap`).
Tests import it as ``from roadmap_template import defaults_roadmap``; it has no ``test_``
functions of its own.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from cxplan.config.params import RoadmapParams
from cxplan.plan.roadmap import Roadmap

DEFAULTS = Path(__file__).resolve().parents[1] / "params" / "defaults.yaml"


def defaults_roadmap() -> Roadmap:
    """The roadmap of ``params/defaults.yaml``."""
    data = yaml.safe_load(DEFAULTS.read_text(encoding="utf-8"))
    return RoadmapParams.model_validate(data["roadmap"])
