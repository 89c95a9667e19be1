"""Helpers shared by the terminology rules."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.diagnostics import Fix
from pipeline.lint.fixes import replacement_fix
from pipeline.terminology.matcher import Sense, TermMatch, key


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


def to_preferred(match: TermMatch, target: str, *, safe: bool = True) -> Fix | None:
    """A fix replacing the match by ``target``, for the registered form only.

    An inflected form is left alone: its replacement would need the same inflection.
    """
    if not any(key(match.text) == key(sense.term) for sense in match.senses):
        return None
    return replacement_fix(match.unit, match.start, match.end, target, safe=safe)


def name_of(sense: Sense) -> str:
    """The registered term a sense stands for (inflections collapse onto it)."""
    return sense.concept.preferred if sense.kind == "preferred" else sense.term
