"""A101: an abbreviation the registry does not know."""

from __future__ import annotations

from collections.abc import Iterator

from typing_extensions import override

from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.lint.rules._abbreviations import ledger


class UnknownAbbreviation(Rule):
    """Flags a token that looks like an abbreviation but is not in the registry.

    What it does: finds tokens of two or more capitals (digits allowed: ``CT``, ``DWI``, ``HU``;
    ``PET/CT`` is two tokens) in every text a reader sees (see docs/terminology.md, "What is
    read"), after the registry's abbreviations have been matched as whole tokens (``T1WI C+``),
    and flags those that are neither a registered abbreviation nor match an ``identifiers``
    pattern (vertebral levels such as ``L3``, Roman numerals). Text in backticks is not read.
    Why it matters: an abbreviation the registry lacks has no agreed expansion, so nobody
    checks that it is expanded, and readers may not know it.
    Example: ``- Attenuation of 40 HU`` with no ``HU`` in the registry
    Use instead: register it in terminology.yaml under ``abbreviations`` (or, for a name
    such as a level or a grade, under ``identifiers``), or write the words out.
    Fix: none.
    """

    code = "A101"
    name = "unknown-abbreviation"

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        for token in ledger(ctx).tokens:
            if token.entry is None and not token.in_label:  # a label is the skeleton's word
                text = token.unit.raw[token.start : token.end]
                yield Finding(token.span, f"'{text}' looks like an abbreviation the registry lacks")
