"""Y103: the letter x used as a multiplication sign."""

from __future__ import annotations

import re

from typing_extensions import override

from pipeline.lint.rules._patterns import PatternRule, Rewrite
from pipeline.lint.rules.y105_unit_spacing import NUMBER, UNIT
from pipeline.terminology.text import TextUnit

_TIMES = re.compile(
    rf"{NUMBER}(?:\s?(?:{UNIT}))?\s?(?P<x>[xX])(?=\s?\d)"  # 3 x 4 cm, 3x4, 3 cm x 4 cm
    rf"|{NUMBER}(?P<times>x)(?![\w-])"  # 3x as common
)


class MultiplicationSign(PatternRule):
    """Flags the letter x written for "times": ``3x``, ``3 x 4 cm``.

    What it does: finds an ``x`` (or ``X`` between numbers) after a number, optionally with
    a unit, and either before another number (dimensions: ``3 x 4 cm``, ``3 cm x 4 cm``,
    ``3x4``) or ending a word (a factor: ``3x as common``). Words such as ``x-ray`` or
    ``max``, a ``0x`` prefix, and an ``x`` after a letter (``T2x``) are left alone.
    Why it matters: the multiplication sign is the typographic convention and reads
    unambiguously; in a PDF or on a screen reader "x" is a letter.
    Example: ``- Mass of 3 x 4 cm; 3x as common in men``
    Use instead: ``- Mass of 3 × 4 cm; 3× as common in men``
    Fix: safe; replaces the letter by ``×`` and keeps the spacing as written.
    """

    code = "Y103"
    name = "multiplication-sign"
    pattern = _TIMES

    @override
    def rewrite(self, unit: TextUnit, match: re.Match[str]) -> Rewrite | None:
        group = "x" if match["x"] else "times"
        if re.fullmatch(r"0[xX]", unit.raw[match.start() : match.end(group)]):
            return None
        at = match.start(group)
        written = unit.raw[match.start() : at + 1]
        message = f"'{written}' uses the letter x for 'times'; write '{written[:-1]}×'"
        return Rewrite(at, at + 1, "×", message)
