"""Example counts that follow the selected hypothesis profile (see ``tests/conftest.py``).

A test that sets its own ``max_examples`` (because one example is expensive, or cheap) would
otherwise ignore the profile: ``@settings(max_examples=scaled(15))`` gives 15 examples under
``ci`` and ``dev`` (100 examples per test) and 150 under ``thorough`` (1,000).
"""

from __future__ import annotations

from hypothesis import settings

__all__ = ["scaled"]

#: ``max_examples`` of the ``ci`` and ``dev`` profiles (hypothesis' default).
BASE_EXAMPLES = 100


def scaled(examples: int) -> int:
    """``examples`` scaled by the loaded profile's ``max_examples`` relative to 100."""
    return max(1, round(examples * settings().max_examples / BASE_EXAMPLES))
