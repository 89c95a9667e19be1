"""Hypothesis profiles for the fuzz tests: ``fast`` on every test run, ``long`` for ``nox -s fuzz``.

Choose with ``FUZZ_PROFILE=long``. The fast profile is derandomized (the same examples on
every run, so the suite stays deterministic) and keeps no example database; the long one
explores new examples each run and remembers failures in ``.hypothesis/`` to replay them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from hypothesis import HealthCheck, settings


@dataclass(frozen=True)
class Budget:
    """How many examples each fuzz test runs."""

    validate: int
    """validate + lint in process, on every example."""
    build: int
    """validate + lint + a JSON and EPUB build in process."""
    cli: int
    """validate, lint and a full build (PDF included) through ``python -m pipeline``."""


BUDGETS = {"fast": Budget(100, 12, 1), "long": Budget(10_000, 600, 25)}
PROFILE = os.environ.get("FUZZ_PROFILE", "fast")
BUDGET = BUDGETS[PROFILE]

_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile(
    "fuzz-fast", deadline=None, derandomize=True, database=None, suppress_health_check=_SLOW
)
settings.register_profile("fuzz-long", deadline=None, suppress_health_check=_SLOW)
FUZZ = settings.get_profile(f"fuzz-{PROFILE}")
