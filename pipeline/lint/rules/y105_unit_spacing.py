"""Y105: a number glued to its unit."""

from __future__ import annotations

import re

from typing_extensions import override

from pipeline.lint.rules._patterns import PatternRule, Rewrite
from pipeline.terminology.text import TextUnit

UNITS: tuple[str, ...] = (
    "mm", "cm", "µm", "μm", "nm", "mL", "ml", "dL", "µL", "μL", "cc",
    "mg", "kg", "µg", "μg", "mcg", "mmol", "mmHg",
    "Gy", "cGy", "mGy", "Sv", "mSv", "µSv", "μSv", "MBq", "GBq", "kBq", "mCi", "µCi", "μCi",
    "kV", "kVp", "mA", "mAs", "keV", "MeV", "T", "mT", "Hz", "kHz", "MHz", "HU",
    "ms", "min", "h",
)  # fmt: skip
"""Units a number must be spaced from. Deliberately absent: ``%`` and ``°`` (written close
up), ``s`` (``1980s``), ``m`` and ``L`` (too often part of other tokens), ``d``, ``g``."""

UNIT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
NUMBER = r"\d(?<![\w.,]\d)\d*(?:[.,]\d+)?"
"""A number not part of a word; its first digit first, so that the regex engine can skip fast."""
_GLUED = re.compile(rf"(?P<number>{NUMBER})(?P<unit>{UNIT})(?![^\WxX])")


class UnitSpacing(PatternRule):
    """Flags a number written against its unit: ``5mm``, ``3cm``, ``20mL``, ``1.5T``.

    What it does: finds a number followed, with no space, by one of the units in
    ``y105_unit_spacing.UNITS`` and nothing else of the word (``5mm2`` and ``99mTc`` are
    left alone). Percent and degree signs are written close up and are not flagged.
    Why it matters: SI and AMA style put a space between a number and its unit; ``5mm``
    also hides from searches for ``5 mm``.
    Example: ``- Lesions of 5mm to 3cm``
    Use instead: ``- Lesions of 5 mm to 3 cm``
    Fix: safe; inserts one space between the number and the unit. Not offered where markup
    splits them.
    """

    code = "Y105"
    name = "unit-spacing"
    pattern = _GLUED

    @override
    def rewrite(self, unit: TextUnit, match: re.Match[str]) -> Rewrite:
        spaced = f"{match['number']} {match['unit']}"
        message = f"'{match.group()}' has no space between number and unit; write '{spaced}'"
        return Rewrite(match.start(), match.end(), spaced, message)
