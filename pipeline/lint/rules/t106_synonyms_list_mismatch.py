"""T106: the Synonyms list disagrees with the registry."""

from __future__ import annotations

import re
from collections.abc import Iterator

from typing_extensions import override

from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.terminology.matcher import inflections, key


class SynonymsListMismatch(Rule):
    """Flags a Synonyms list that differs from the registry's synonyms of the chapter's concept.

    What it does: compares each name in the chapter's Synonyms list (one or several per
    bullet, separated by commas or semicolons) with the concept's synonyms that may be used
    (allowed or synonyms-list-only): a listed name the registry lacks is flagged at its
    bullet, a registry synonym the list lacks at the subsection heading.
    Why it matters: the registry drives search, linting and the JSON export; a list that
    drifts from it teaches names the rest of the tooling does not know.
    Example: ``- Ivory vertebra`` listed as a synonym of blastic osseous metastases
    Use instead: add the name to the registry as a synonym, or remove it from the list.
    Fix: none; the registry or the list must be edited by hand.
    """

    code = "T106"
    name = "synonyms-list-mismatch"

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        concept = ctx.terminology.concept(ctx.chapter.meta.concept)
        section = next((s for s in ctx.chapter.sections if s.key == "terminology"), None)
        listed = (
            next((s for s in section.subsections if s.key == "synonyms"), None) if section else None
        )
        if concept is None or listed is None:
            return
        expected = {
            key(s.term): s.term
            for s in concept.synonyms
            if s.status in ("allowed", "synonyms-list-only")
        }
        seen: set[str] = set()
        for unit in (u for u in ctx.units if u.place.in_synonyms_list):
            for name in (n.strip() for n in re.split(r"[,;]", unit.raw)):
                found = _registered(name, expected)
                if found:
                    seen.add(found)
                elif name:
                    where = unit.span(unit.raw.index(name))
                    yield Finding(
                        where, f"'{name}' is not a registered synonym of '{concept.preferred}'"
                    )
        for missing in sorted(set(expected) - seen):
            yield Finding(
                listed.span,
                f"the registry's synonym '{expected[missing]}' is not listed",
                "Add it to the list, or change the registry.",
            )


def _registered(name: str, expected: dict[str, str]) -> str | None:
    for form in inflections(key(name)):
        if form in expected:
            return form
    return None
