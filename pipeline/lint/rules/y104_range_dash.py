"""Y104: a hyphen in a numeric range."""

from __future__ import annotations

import re

from typing_extensions import override

from pipeline.lint.rules._patterns import PatternRule, Rewrite
from pipeline.terminology.text import TextUnit

_RANGE = re.compile(
    r"(?P<low>\d(?<![\w.,:/+\-–]\d)\d*(?:\.\d+)?)(?P<dash>-| - )(?P<high>\d+(?:\.\d+)?)"
    r"(?![\d.,:/]|-\d)"
)


class RangeDash(PatternRule):
    """Flags a numeric range written with a hyphen: ``5-10 mm``, ``10-20%``, ``5 - 20 mm``.

    What it does: finds two numbers joined by a hyphen, or by a hyphen with a space on each
    side, the first not part of a word or of a longer chain. Left alone: dates and chains
    (``2024-05-01``, ``1-2-3``), parts with a leading zero (``2024-05``), numbers in words
    (``T1-weighted``, ``COVID-19``), negative numbers (``-5``), times and ratios
    (``10:30-11:00``), and vertebral levels: ``L3-L4`` often names the disc or junction between
    two levels rather than a range, so the hyphen is kept there on purpose.
    Why it matters: a range takes an en dash in AMA and Chicago style; a hyphen reads as a
    compound or, before a number, as a minus sign.
    Example: ``- Lesions of 5-10 mm in 10-20% of patients``
    Use instead: ``- Lesions of 5–10 mm in 10–20% of patients``
    Fix: safe; replaces the hyphen (and the spaces round a spaced one) by an en dash.
    """

    code = "Y104"
    name = "range-dash"
    pattern = _RANGE

    @override
    def rewrite(self, unit: TextUnit, match: re.Match[str]) -> Rewrite | None:
        if _leading_zero(match["low"]) or _leading_zero(match["high"]):
            return None
        written, joined = match.group(), f"{match['low']}–{match['high']}"
        message = f"'{written}' is a range; join it with an en dash: '{joined}'"
        return Rewrite(*match.span("dash"), "–", message)


def _leading_zero(number: str) -> bool:
    return len(number) > 1 and number[0] == "0" and number[1] != "."
