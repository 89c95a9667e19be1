"""T110: one concept named differently in two chapters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from typing_extensions import override

from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import BookContext, ChapterContext
from pipeline.lint.rules._terms import name_of
from pipeline.model.span import Span


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
    def summarize(self, ctx: ChapterContext) -> list[list[Any]]:
        """Each concept's first use in the chapter: [concept id, name, text, path, line, column]."""
        first: dict[str, list[Any]] = {}
        for match in ctx.matches:
            if match.unit.place.in_synonyms_list:
                continue
            for sense in match.senses:
                if sense.kind != "rejected" and sense.concept.id not in first:
                    span = match.unit.span(match.start)
                    first[sense.concept.id] = [sense.concept.id, name_of(sense), match.text,
                                               span.path, span.line, span.column]  # fmt: skip
        return list(first.values())

    @override
    @classmethod
    def summary_from_state(cls, state: Any) -> list[list[Any]]:
        uses = []
        for use in state:
            concept, name, text, path, line, column = use
            if not all(isinstance(v, str) for v in (concept, name, text, path)):
                raise ValueError(use)
            uses.append([concept, name, text, path, int(line), int(column)])
        return uses

    @override
    def check_book(self, ctx: BookContext) -> Iterator[Finding]:
        first: dict[str, dict[str, list[Any]]] = {}
        for chapter_id, summary in ctx.summaries:
            for use in summary or ():
                first.setdefault(use[0], {})[chapter_id] = use
        for concept_id, by_chapter in first.items():
            yield from _differing(concept_id, by_chapter, ctx)


def _differing(
    concept_id: str, by_chapter: dict[str, list[Any]], ctx: BookContext
) -> Iterator[Finding]:
    used = {chapter: use[1] for chapter, use in by_chapter.items()}
    if len(set(used.values())) < 2:
        return
    concept = ctx.terminology.concept(concept_id)
    preferred = concept.preferred if concept else ""
    for _, name, text, path, line, column in by_chapter.values():
        if name == preferred:
            continue
        other = next(c for c, n in used.items() if n != name)
        yield Finding(
            Span(path=path, line=line, column=column),
            f"'{text}' here, but chapter '{other}' calls it '{used[other]}'",
            f"Use the preferred term '{preferred}' in every chapter.",
        )
