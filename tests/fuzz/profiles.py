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
    ids: int
    """``test_hostile``: ids meeting in one output name, a build (PDF as its HTML) in process."""
    images: int
    """``test_hostile``: marked images to an EPUB and JSON build; damaged images, each."""
    image_pdfs: int
    """``test_hostile``: marked images to a real PDF build (WeasyPrint: seconds each; 0 skips)."""
    patterns: int
    """``test_hostile``: backtracking registry patterns, ``monograph lint`` in a new process."""
    disguises: int
    """``test_hostile``: disguised terms, lint in process."""
    forgeries: int
    """``test_hostile``: forged lines in quoted fields, lint in process in every format."""
    outputs: int
    """``test_hostile``: plantings in the output folder, a stand-in build in a new process."""


BUDGETS = {
    "fast": Budget(100, 12, 1, ids=8, images=4, image_pdfs=1, patterns=2, disguises=25,
                   forgeries=8, outputs=3),
    "long": Budget(10_000, 600, 25, ids=400, images=200, image_pdfs=12, patterns=40,
                   disguises=2000, forgeries=300, outputs=100),
}  # fmt: skip
PROFILE = os.environ.get("FUZZ_PROFILE", "fast")
BUDGET = BUDGETS[PROFILE]

_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile(
    "fuzz-fast", deadline=None, derandomize=True, database=None, suppress_health_check=_SLOW
)
settings.register_profile("fuzz-long", deadline=None, suppress_health_check=_SLOW)
FUZZ = settings.get_profile(f"fuzz-{PROFILE}")
