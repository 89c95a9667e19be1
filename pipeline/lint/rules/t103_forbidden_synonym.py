"""T103: a forbidden synonym."""

from __future__ import annotations

from collections.abc import Iterator

from typing_extensions import override

from pipeline.diagnostics import Severity
from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.lint.rules._terms import senses, to_preferred


class ForbiddenSynonym(Rule):
    """Flags a synonym the registry marks ``forbidden``, wherever it stands.

    What it does: finds forbidden synonyms anywhere, the Synonyms list included.
    Why it matters: a forbidden name is wrong or harmful (an outdated eponym, a misleading
    or stigmatising label); it should not appear even as an alias.
    Example: ``- Marie-Strümpell disease`` where the registry forbids it
    Use instead: the concept's preferred term.
    Fix: safe; replaces the synonym by the preferred term, keeping a leading capital.
    """

    code = "T103"
    name = "forbidden-synonym"
    severity = Severity.ERROR
    fix = "safe"

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        for match, sense in senses(ctx.matches, "synonym", "forbidden"):
            preferred = sense.concept.preferred
            yield Finding(
                match.unit.span(match.start),
                f"'{match.text}' is a forbidden name; write '{preferred}'",
                fix=to_preferred(match, preferred),
            )
