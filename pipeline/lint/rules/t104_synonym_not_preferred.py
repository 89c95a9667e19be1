"""T104: a synonym where the preferred term is required."""

from __future__ import annotations

from collections.abc import Iterator

from typing_extensions import override

from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.lint.rules._terms import concept_hint, senses, to_preferred


class SynonymNotPreferred(Rule):
    """Flags a synonym where the preferred term is required.

    Key Facts, headings and differential names take the preferred term; a
    ``synonyms-list-only`` synonym may stand only in Terminology › Synonyms.

    What it does: checks each allowed synonym against where it stands: Key Facts and
    headings take the preferred term only; a ``synonyms-list-only`` synonym may appear only
    in the Synonyms list.
    Why it matters: Key Facts and headings are what trainees skim and search; they must use
    the name the rest of the monograph indexes.
    Example: ``## Imaging`` › ``- Sclerotic metastases in the spine`` in Key Facts
    Use instead: the preferred term (``- Blastic osseous metastases in the spine``).
    Fix: unsafe (shown, not applied): the preferred term may need the sentence reworded.
    """

    code = "T104"
    name = "synonym-not-preferred"
    fix = "unsafe"

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        for match, sense in senses(ctx.matches, "synonym", "allowed", "synonyms-list-only"):
            place = match.unit.place
            if place.in_synonyms_list:
                continue
            if sense.status == "allowed" and not (place.in_key_facts or place.kind == "heading"):
                continue
            where = "here" if sense.status == "synonyms-list-only" else "in Key Facts and headings"
            preferred = sense.concept.preferred
            yield Finding(
                match.unit.span(match.start),
                f"'{match.text}' is a synonym; {where} write '{preferred}'",
                concept_hint(sense.concept, preferred),
                fix=to_preferred(match, preferred, safe=False),
            )
