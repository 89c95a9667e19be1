"""T105: one concept named in several ways within a chapter."""

from __future__ import annotations

from collections.abc import Iterator

from typing_extensions import override

from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.lint.rules._terms import name_of
from pipeline.terminology.matcher import Sense, TermMatch


class MixedVariants(Rule):
    """Flags a concept named by more than one of its names in the same chapter.

    What it does: groups the chapter's terms by concept (outside Terminology › Synonyms) and
    flags each use of a name other than the chapter's main one: the preferred term if the
    chapter uses it, otherwise the first name used.
    Why it matters: "osteoblastic", "blastic" and "sclerotic" metastases mixed on one page
    make a trainee wonder whether they are three things.
    Example: ``- Osteoblastic metastases …`` then ``- Sclerotic metastases …``
    Use instead: one name throughout, preferably the preferred term.
    Fix: none; choose the name, then edit.
    """

    code = "T105"
    name = "mixed-variants"

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        uses: dict[str, list[tuple[TermMatch, Sense]]] = {}
        for match in ctx.matches:
            if match.unit.place.in_synonyms_list:
                continue
            for sense in match.senses:
                if sense.kind != "rejected":
                    uses.setdefault(sense.concept.id, []).append((match, sense))
        for named in uses.values():
            yield from _deviations(named)


def _deviations(named: list[tuple[TermMatch, Sense]]) -> Iterator[Finding]:
    names = [name_of(sense) for _match, sense in named]
    if len(set(names)) < 2:
        return
    preferred = named[0][1].concept.preferred
    main = preferred if preferred in names else names[0]
    for (match, _sense), name in zip(named, names, strict=True):
        if name != main:
            yield Finding(
                match.unit.span(match.start),
                f"'{match.text}' names the same thing as '{main}' elsewhere in this chapter",
                f"Keep to one name; the registry prefers '{preferred}'.",
            )
