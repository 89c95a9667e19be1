"""Y107: a Latin word with a Cyrillic or Greek look-alike letter in it."""

from __future__ import annotations

from collections.abc import Iterator

from typing_extensions import override

from pipeline.diagnostics import Fix
from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.terminology.normal import describe, shown, word_around
from pipeline.terminology.text import TextUnit


class MixedScriptWord(Rule):
    """Flags a Latin word with a look-alike letter from another script: a Cyrillic ``а``.

    What it does: finds, in a word that has Latin letters, each character drawn exactly
    like a Latin letter but from another script (Cyrillic ``а е о р с у х і ј ѕ ԁ ԛ ԝ һ``
    and capitals ``А В Е К М Н О Р С Т Х І Ј Ѕ``; Greek omicron and the Greek capitals
    identical to Latin ones), and the modifier-letter apostrophe U+02BC, and names its code
    point and the Latin letter it imitates (the table is ``normal.CONFUSABLES``). A word
    wholly in Cyrillic or Greek is left alone, as are Greek letters that only resemble
    Latin ones (``TNFα``, ``β-hCG``). Term matching sees through the look-alikes, so a
    registered form written with one is still found (T101).
    Why it matters: the word looks right on the page and in review, but it is another
    string: search, the index and every rule that reads the words miss it, and a rejected
    term written this way passes.
    Example: ``- P<U+0430>get disease`` (a Cyrillic ``а`` for the Latin ``a``)
    Use instead: ``- Paget disease``, in Latin letters.
    Fix: safe; replaces each look-alike by the Latin letter (or apostrophe) it imitates.
    Not offered where markup splits the text.
    """

    code = "Y107"
    name = "mixed-script-word"
    fix = "safe"

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        for unit in ctx.units:
            if unit.raw.isascii():
                continue  # nothing folded away
            for at, latin in unit.seen.swaps:  # folded once per unit, shared with the matcher
                char = unit.raw[at]
                word = shown(word_around(unit.raw, at))
                what = "the apostrophe" if latin == "'" else f"the Latin '{latin}'"
                yield Finding(
                    unit.span(at),
                    f"'{word}' mixes scripts: {describe(char)} imitates {what}; write {what}",
                    fix=_swap(unit, at, latin),
                )


def _swap(unit: TextUnit, at: int, latin: str) -> Fix | None:
    """A fix writing ``latin`` over the look-alike at ``at``."""
    if not unit.in_one_piece(at, at + 1):
        return None
    char = unit.raw[at]
    return Fix(
        description=f"replace {describe(char)} with '{latin}'",
        span=unit.span(at),
        original=char,
        replacement=latin,
    )
