"""A104: an abbreviation expanded but never used afterwards."""

from __future__ import annotations

from collections.abc import Iterator

from typing_extensions import override

from pipeline.diagnostics import Fix
from pipeline.lint.base import Finding
from pipeline.lint.fixes import replacement_fix
from pipeline.lint.rules._abbreviations import AbbreviationRule, Expansion, Ledger
from pipeline.model.terminology import Abbreviation


class AbbreviationExpandedUnused(AbbreviationRule):
    """Flags an abbreviation that is expanded but not used after its expansion.

    What it does: takes the expansion that governs each abbreviation (a Terminology ›
    Abbreviations entry, else the first ``Expansion (ABBR)``) and flags it when the
    abbreviation is not used after it, glossary entries aside (for a glossary entry: not used
    anywhere in the chapter). A run-in label (``- **STIR**``) is a use.
    Why it matters: an abbreviation introduced and never used again costs the reader a
    definition to remember for nothing.
    Example: ``- Short tau inversion recovery (STIR) images`` and no STIR afterwards
    Use instead: the expansion alone (``- Short tau inversion recovery images``); for a
    glossary entry, remove the entry.
    Fix: unsafe (shown, not applied): removes `` (ABBR)`` after the expansion. Not applied
    because the abbreviation may be wanted for figure labels the linter cannot read.
    """

    code = "A104"
    name = "abbreviation-expanded-unused"
    fix = "unsafe"

    @override
    def check_entry(self, found: Ledger, entry: Abbreviation) -> Iterator[Finding]:
        expansions = found.expansions_of(entry)
        if expansions and not _used_after(found, expansions[0]):
            yield _finding(expansions[0])


def _used_after(found: Ledger, expansion: Expansion) -> bool:
    entry = expansion.token.entry
    uses = found.uses(entry, labels=True) if entry else []
    if expansion.token.in_glossary:
        return bool(uses)
    return any(use.order > expansion.token.order for use in uses)


def _finding(expansion: Expansion) -> Finding:
    token = expansion.token
    abbr = token.unit.raw[token.start : token.end]
    if token.in_glossary:
        return Finding(
            token.span,
            f"'{abbr}' is defined in the glossary but never used in the chapter",
            "Remove the glossary entry, or use the abbreviation.",
        )
    return Finding(
        token.unit.span(expansion.start),
        f"'{abbr}' is expanded here but never used afterwards",
        f"Write '{expansion.written}' alone, without '({abbr})'.",
        fix=_drop(expansion),
    )


def _drop(expansion: Expansion) -> Fix | None:
    token = expansion.token
    return replacement_fix(token.unit, expansion.end, token.end + 1, "", safe=False)
