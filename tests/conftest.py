"""Shared test set-up: hypothesis profiles and the fixtures several test modules use.

Hypothesis profiles (select with ``--hypothesis-profile=NAME`` or ``HYPOTHESIS_PROFILE=NAME``;
``ci`` is the default when the ``CI`` environment variable is set, ``dev`` otherwise):

``ci``
    Derandomized (each test draws the same examples on every run, seeded from the test's own
    code), no example database, no deadline: a red build is never a coin toss.
``dev``
    Random examples (a new seed per run; ``--hypothesis-seed=N`` replays one), the local example
    database replays earlier failures first, no deadline.
``thorough``
    As ``dev`` with ten times the examples (``max_examples`` 1,000 instead of 100); tests that
    set their own ``max_examples`` scale it the same way through
    :func:`hypothesis_support.scaled`. For a nightly run.

Deadlines are off everywhere: the machine is shared, and tests never assert wall-clock times.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from cxplan.config.yamlfile import load_yaml
from cxplan.model import RegionModel, load_region

REPO = Path(__file__).resolve().parent.parent
REGIONS = REPO / "params" / "regions"
REGION_FILES = sorted(REGIONS.glob("*.yaml"))
#: Monte Carlo draws of the demo-region models the fixtures build (enough for every figure).
DEMO_DRAWS = 300

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.register_profile(
    "thorough",
    max_examples=1_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


# ------------------------------------------------------------------------------ demo regions


@pytest.fixture(scope="session", params=REGION_FILES, ids=lambda p: p.stem)
def model(request: pytest.FixtureRequest) -> RegionModel:
    """Each demo region's model (300 Monte Carlo draws), built once per session."""
    return load_region(request.param, monte_carlo_draws=DEMO_DRAWS)


#: The demo regions planned from typed weekly contacts (no ``history:`` section).
TYPED_REGION_FILES = [p for p in REGION_FILES if "history" not in load_yaml(p)[0]]


@pytest.fixture(scope="session", params=TYPED_REGION_FILES, ids=lambda p: p.stem)
def typed_model(request: pytest.FixtureRequest) -> RegionModel:
    """Each demo region planned from typed weekly contacts (results shared through the memo)."""
    return load_region(request.param, monte_carlo_draws=DEMO_DRAWS)


@pytest.fixture(scope="session")
def asia() -> RegionModel:
    """The Asia Pacific demo region (email-heavy, 60-minute intervals), 300 draws."""
    return load_region(REGIONS / "asia-pacific.yaml", monte_carlo_draws=DEMO_DRAWS)


@pytest.fixture(scope="module")
def params_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A params folder like the repository's: real defaults and pilot data, empty regions/."""
    folder = tmp_path_factory.mktemp("params-copy") / "params"
    (folder / "regions").mkdir(parents=True)
    shutil.copyfile(REPO / "params" / "defaults.yaml", folder / "defaults.yaml")
    shutil.copytree(REPO / "params" / "pilot", folder / "pilot")
    return folder
