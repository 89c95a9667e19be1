"""T101: a rejected variant of a registered term."""

from __future__ import annotations

from collections.abc import Iterator

from typing_extensions import override

from pipeline.diagnostics import Severity
from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.lint.rules._terms import senses, to_preferred


class RejectedVariant(Rule):
    """Flags a form the terminology registry rejects, such as ``Paget's disease``.

    What it does: finds every variant listed under a concept's ``rejected`` entries, in
    bullets, differential names and captions, whatever its case or inflection.
    Why it matters: one name per thing is what makes a reference searchable and
    unambiguous; a rejected form is one the editors decided against.
    Example: ``- Paget's disease``
    Use instead: the form the registry gives (``- Paget disease``).
    Fix: safe; replaces the registered variant by its replacement, keeping a leading
    capital. Not offered where markup splits the words or for an inflected form.
    """

    code = "T101"
    name = "rejected-variant"
    severity = Severity.ERROR
    fix = "safe"

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        for match, sense in senses(ctx.matches, "rejected"):
            yield Finding(
                match.unit.span(match.start),
                f"'{match.text}' is a rejected form; write '{sense.use}'",
                fix=to_preferred(match, sense.use),
            )
