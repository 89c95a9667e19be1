"""T107: a differential that is not a registered diagnosis."""

from __future__ import annotations

from collections.abc import Iterator

from typing_extensions import override

from pipeline.diagnostics import Severity
from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.lint.rules._differentials import differentials


class UnknownDifferential(Rule):
    """Flags a differential name that does not resolve to a registry concept of kind diagnosis.

    What it does: looks up each bullet of Key Facts › Top Differential Diagnoses and each
    ``##`` heading of Differential Diagnosis, as a whole, among the registry's names.
    Why it matters: differentials link chapters to each other and feed question banks; a
    name the registry does not know links to nothing.
    Example: ``- Hemangioma, atypical``
    Use instead: a registered name, alone on its bullet (``- Hemangioma``); register a new
    diagnosis in terminology.yaml first if it is missing.
    Fix: none.
    """

    code = "T107"
    name = "unknown-differential"
    severity = Severity.ERROR

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        for where in ("key-facts", "section"):
            for item in differentials(ctx, where):
                if item.diagnosis is not None:
                    continue
                kinds = sorted({s.concept.kind for s in item.senses})
                why = (
                    f"is a registered {' / '.join(kinds)}, not a diagnosis"
                    if kinds
                    else ("is not a registered diagnosis")
                )
                yield Finding(item.unit.span(item.start), f"differential '{item.name}' {why}")
