"""T102: a deprecated synonym."""

from __future__ import annotations

from collections.abc import Iterator

from typing_extensions import override

from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.lint.rules._terms import senses, to_preferred


class DeprecatedSynonym(Rule):
    """Flags a synonym the registry marks ``deprecated``.

    What it does: finds deprecated synonyms outside Terminology › Synonyms (where a chapter
    may still list them for readers who know the old name).
    Why it matters: deprecated names linger in older literature; the monograph teaches the
    current one.
    Example: ``- Marble bone disease`` (deprecated synonym of osteopetrosis)
    Use instead: the concept's preferred term.
    Fix: safe; replaces the synonym by the preferred term, keeping a leading capital.
    """

    code = "T102"
    name = "deprecated-synonym"
    fix = "safe"

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        for match, sense in senses(ctx.matches, "synonym", "deprecated"):
            if match.unit.place.in_synonyms_list:
                continue
            preferred = sense.concept.preferred
            yield Finding(
                match.unit.span(match.start),
                f"'{match.text}' is deprecated; write '{preferred}'",
                fix=to_preferred(match, preferred),
            )
