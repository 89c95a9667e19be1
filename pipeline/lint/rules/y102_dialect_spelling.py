"""Y102: a spelling of another dialect."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from typing_extensions import override

from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.lint.fixes import replacement_fix
from pipeline.terminology.text import TextUnit

Spellings = tuple[tuple[str, str], ...]


class DialectSpelling(Rule):
    """Flags a word spelled in another dialect than the house's: ``tumour`` for ``tumor``.

    What it does: finds each ``variant`` of the registry's ``spellings`` as a whole word (also
    before a hyphen: ``tumour-like``), whatever its case, with a plural ``-s`` or ``-es``, in
    every text a reader sees (see docs/terminology.md, "What is read").
    Why it matters: one dialect throughout reads as one book and keeps search working; the
    monograph is written in US English.
    Example: ``- Peritumoral oedema``
    Use instead: the house spelling the registry gives (``- Peritumoral edema``).
    Fix: safe; replaces the word by the house spelling with the same ending, keeping an
    initial capital or all capitals. Not offered where markup splits the word.
    """

    code = "Y102"
    name = "dialect-spelling"
    fix = "safe"

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        spellings = tuple((s.variant, s.use) for s in ctx.terminology.spellings)
        if not spellings:
            return
        pattern = _pattern(spellings)
        uses = {" ".join(v.lower().split()): u for v, u in spellings}
        for unit in ctx.units:
            for match in pattern.finditer(unit.norm):
                variant = " ".join(match["word"].split())
                yield _finding(unit, match, uses[variant] + (match["ending"] or ""))


def _finding(unit: TextUnit, match: re.Match[str], house: str) -> Finding:
    written = unit.raw[match.start() : match.end()]
    if written.isupper() and len(written) > 1:
        house = house.upper()
    elif written[:1].isupper():
        house = house[:1].upper() + house[1:]  # the writer's capital, wherever it stands
    return Finding(
        unit.span(match.start()),
        f"'{written}' is not the house spelling; write '{house}'",
        f"Write '{house}'.",
        fix=replacement_fix(unit, match.start(), match.end(), house),
    )


@lru_cache(maxsize=8)
def _pattern(spellings: Spellings) -> re.Pattern[str]:
    variants = sorted((v.lower() for v, _use in spellings), key=len, reverse=True)
    body = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in variants)
    return re.compile(rf"(?<![\w'])(?P<word>{body})(?P<ending>e?s)?(?!\w)")
