"""T109: Key Facts and Differential Diagnosis list different differentials."""

from __future__ import annotations

from collections.abc import Iterator

from typing_extensions import override

from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.lint.rules._differentials import Differential, differentials


class DifferentialListsDisagree(Rule):
    """Flags Key Facts and Differential Diagnosis listing different differentials.

    Membership or order differ between Key Facts › Top Differential Diagnoses and the
    Differential Diagnosis section.

    What it does: when a chapter has both lists, compares them by diagnosis: a name in one
    and not the other is flagged where it stands; if both hold the same names in another
    order, the first name out of order in Key Facts is flagged.
    Why it matters: the Key Facts box is the summary of the section; a trainee who revises
    from it must meet the same differentials, ranked the same way.
    Example: Key Facts lists Hemangioma, Paget disease; the section has Paget disease then
    Hemangioma.
    Use instead: the same differentials in the same order in both places.
    Fix: none.
    """

    code = "T109"
    name = "differential-lists-disagree"

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        summary = differentials(ctx, "key-facts")
        section = differentials(ctx, "section")
        if not summary or not section:
            return
        yield from _missing(summary, section, "Differential Diagnosis")
        yield from _missing(section, summary, "Key Facts › Top Differential Diagnoses")
        common = {d.identity for d in summary} & {d.identity for d in section}
        first = [d for d in summary if d.identity in common]
        second = [d.identity for d in section if d.identity in common]
        for item, expected in zip(first, second, strict=False):
            if item.identity != expected:
                yield Finding(
                    item.unit.span(item.start),
                    f"'{item.name}' is out of the order the section gives",
                )
                return


def _missing(here: list[Differential], there: list[Differential], name: str) -> Iterator[Finding]:
    others = {d.identity for d in there}
    for item in here:
        if item.identity not in others:
            yield Finding(item.unit.span(item.start), f"'{item.name}' is missing from {name}")
