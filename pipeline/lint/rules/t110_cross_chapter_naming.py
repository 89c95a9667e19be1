"""T110: one concept named differently in two chapters."""

from __future__ import annotations

from collections.abc import Iterator

from typing_extensions import override

from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import BookContext
from pipeline.lint.rules._terms import name_of
from pipeline.terminology.matcher import TermMatch


class CrossChapterNaming(Rule):
    """Flags a concept that one chapter names one way and another chapter another way.

    What it does: takes, in each chapter, the first name used for each concept (outside
    Terminology › Synonyms) and flags the chapters whose name differs from the others and
    is not the preferred term, at that first use.
    Why it matters: a book is read across chapters; the same disease under two names in two
    chapters reads as two diseases.
    Example: chapter A writes "osteoblastic metastases", chapter B "blastic osseous
    metastases".
    Use instead: the preferred term in every chapter.
    Fix: none.
    """

    code = "T110"
    name = "cross-chapter-naming"

    @override
    def check_book(self, ctx: BookContext) -> Iterator[Finding]:
        first: dict[str, dict[str, TermMatch]] = {}
        names: dict[tuple[str, str], str] = {}
        for chapter in ctx.chapters:
            for match in chapter.matches:
                if match.unit.place.in_synonyms_list:
                    continue
                for sense in match.senses:
                    if sense.kind == "rejected":
                        continue
                    seen = first.setdefault(sense.concept.id, {})
                    if chapter.chapter.id not in seen:
                        seen[chapter.chapter.id] = match
                        names[(sense.concept.id, chapter.chapter.id)] = name_of(sense)
        for concept_id, by_chapter in first.items():
            yield from _differing(concept_id, by_chapter, names, ctx)


def _differing(
    concept_id: str,
    by_chapter: dict[str, TermMatch],
    names: dict[tuple[str, str], str],
    ctx: BookContext,
) -> Iterator[Finding]:
    used = {chapter: names[(concept_id, chapter)] for chapter in by_chapter}
    if len(set(used.values())) < 2:
        return
    concept = ctx.book.terminology.concept(concept_id)
    preferred = concept.preferred if concept else ""
    for chapter, match in by_chapter.items():
        if used[chapter] == preferred:
            continue
        other = next(c for c, n in used.items() if n != used[chapter])
        yield Finding(
            match.unit.span(match.start),
            f"'{match.text}' here, but chapter '{other}' calls it '{used[other]}'",
            f"Use the preferred term '{preferred}' in every chapter.",
        )
