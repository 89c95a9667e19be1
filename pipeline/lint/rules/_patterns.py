"""Rules that look for one regular expression and rewrite part of each match (Y103–Y105)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from typing_extensions import override

from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.lint.fixes import replacement_fix
from pipeline.terminology.text import TextUnit


@dataclass(frozen=True)
class Rewrite:
    """What a match asks for: ``text`` written over ``start:end`` of its unit, and why."""

    start: int
    end: int
    text: str
    message: str


class PatternRule(Rule):
    """Base of the rules that flag matches of ``pattern`` and rewrite part of each.

    A subclass sets ``pattern`` and says in ``rewrite`` what a match asks for, or None when
    the match is left alone. The finding points where the rewrite starts and carries it as
    a safe fix (none where markup splits the text).
    """

    fix = "safe"
    pattern: ClassVar[re.Pattern[str]]
    """What the rule looks for in the text of each unit, as written."""

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        for unit, match in ctx.search(self.pattern):
            rewrite = self.rewrite(unit, match)
            if rewrite is not None:
                fix = replacement_fix(unit, rewrite.start, rewrite.end, rewrite.text)
                yield Finding(unit.span(rewrite.start), rewrite.message, fix=fix)

    def rewrite(self, unit: TextUnit, match: re.Match[str]) -> Rewrite | None:
        """What ``match``, found in ``unit``, asks for; None when it is left alone."""
        return None
