"""Helpers shared by the terminology rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from typing_extensions import override

from pipeline.diagnostics import Fix
from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.lint.fixes import replacement_fix
from pipeline.model.terminology import Concept
from pipeline.terminology.matcher import Sense, SenseKind, TermMatch, key


def senses(
    matches: list[TermMatch], kind: str, *statuses: str
) -> Iterator[tuple[TermMatch, Sense]]:
    """Matches with a sense of ``kind`` (and one of ``statuses``).

    Words that are also some concept's preferred term are that concept's name: skipped.
    """
    for match in matches:
        if any(sense.kind == "preferred" for sense in match.senses):
            continue
        for sense in match.senses:
            if sense.kind == kind and (not statuses or sense.status in statuses):
                yield match, sense


def concept_hint(concept: Concept, target: str) -> str:
    """What to write instead, from the concept at hand (never a static example of another).

    ``target``, and the registry's own good example for the concept that uses it, if any.
    """
    hint = f"Write '{target}'"
    wanted = key(target)
    example = next((good for good in concept.examples.good if wanted in key(good)), None)
    return (
        f"{hint}, as the registry's example has it: \u201c{example}\u201d."
        if example
        else hint + "."
    )


def to_preferred(match: TermMatch, target: str, *, safe: bool = True) -> Fix | None:
    """A fix replacing the match by ``target``, for the registered form only.

    An inflected form is left alone: its replacement would need the same inflection.
    """
    if not any(key(match.text) == key(sense.term) for sense in match.senses):
        return None
    return replacement_fix(match.unit, match.start, match.end, target, safe=safe)


class SenseRule(Rule):
    """Base of the rules that flag a registered form for its sense alone (T101–T103).

    A subclass names the sense it flags (``kind``, and ``statuses`` when only some count) and
    what the message says of such a form. Each form found is flagged with ``'form' {problem};
    write 'target'`` and a safe fix to the target: the registry's replacement for a rejected
    variant, else the concept's preferred term.
    """

    fix = "safe"
    kind: ClassVar[SenseKind]
    statuses: ClassVar[tuple[str, ...]] = ()
    """The statuses flagged; none: every one."""
    problem: ClassVar[str]
    """What the message says of the form, e.g. ``is deprecated``."""
    skip_synonyms_list: ClassVar[bool] = False
    """True to leave forms in Terminology › Synonyms alone."""

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        for match, sense in senses(ctx.matches, self.kind, *self.statuses):
            if self.skip_synonyms_list and match.unit.place.in_synonyms_list:
                continue
            target = sense.use if sense.kind == "rejected" else sense.concept.preferred
            yield Finding(
                match.unit.span(match.start),
                f"'{match.text}' {self.problem}; write '{target}'",
                concept_hint(sense.concept, target),
                fix=to_preferred(match, target),
            )


def name_of(sense: Sense) -> str:
    """The registered term a sense stands for (inflections collapse onto it)."""
    return sense.concept.preferred if sense.kind == "preferred" else sense.term
