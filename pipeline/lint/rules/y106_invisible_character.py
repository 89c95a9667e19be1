"""Y106: an invisible character in the text."""

from __future__ import annotations

from collections.abc import Iterator

from typing_extensions import override

from pipeline.diagnostics import Fix
from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.terminology.normal import (
    DELETABLE,
    JOINERS,
    describe,
    is_latin,
    shown,
    word_around,
)
from pipeline.terminology.text import TextUnit


class InvisibleCharacter(Rule):
    """Flags an invisible character in the text: a zero-width space, a joiner, a soft hyphen.

    What it does: finds every format character (Unicode category Cf: zero-width space U+200B,
    ZWNJ and ZWJ U+200C and U+200D, LRM and RLM U+200E and U+200F, bidirectional embeddings and
    isolates, word joiner U+2060, a byte-order mark U+FEFF inside the text) and every other
    default-ignorable code point (soft hyphen U+00AD, combining grapheme joiner U+034F,
    variation selectors, tags) in every text a reader sees (see docs/terminology.md, "What is
    read"), and names it by code point. Spaces are not flagged: the no-break space U+00A0 and
    the thin and narrow no-break spaces U+2009 and U+202F are typography. Term matching sees
    through these characters, so a registered form written with one is still found (T101).
    Why it matters: the character draws as nothing, so a reviewer cannot see it, yet it
    splits the word for search, for the index and for every rule that reads the words: a
    rejected term with a zero-width space inside passes as another string.
    Example: ``- Pag<U+200B>et disease`` (a zero-width space after ``Pag``)
    Use instead: ``- Paget disease``; delete the invisible character.
    Fix: safe; deletes the character where deleting is always right: zero-width space,
    word joiner, soft hyphen, combining grapheme joiner, LRM, RLM, Arabic letter mark,
    byte-order mark, and ZWNJ or ZWJ between two Latin letters. Other characters (a
    bidirectional override, a variation selector, a joiner in another script) are reported
    without a fix, and none is offered where markup splits the text.
    """

    code = "Y106"
    name = "invisible-character"
    fix = "safe"

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        for unit in ctx.units:
            if unit.raw.isascii():
                continue  # nothing folded away
            for at in unit.seen.hidden:  # folded once per unit, shared with the matcher
                char = unit.raw[at]
                word = shown(word_around(unit.raw, at))
                yield Finding(
                    unit.span(at),
                    f"invisible {describe(char)} in '{word}'; delete it",
                    fix=_deletion(unit, at),
                )


def _deletion(unit: TextUnit, at: int) -> Fix | None:
    """A fix deleting the invisible character at ``at``, where deleting is the right edit."""
    char = unit.raw[at]
    if char in JOINERS:
        between = unit.raw[at - 1 : at] + unit.raw[at + 1 : at + 2]
        if len(between) != 2 or not all(map(is_latin, between)):
            return None
    elif char not in DELETABLE:
        return None
    if not unit.in_one_piece(at, at + 1):
        return None
    return Fix(
        description=f"delete {describe(char)}",
        span=unit.span(at),
        original=char,
        replacement="",
    )
