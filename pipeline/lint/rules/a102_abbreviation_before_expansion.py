"""A102: an abbreviation used before the chapter expands it."""

from __future__ import annotations

from collections.abc import Iterator

from typing_extensions import override

from pipeline.lint.base import Finding
from pipeline.lint.rules._abbreviations import AbbreviationRule, Ledger
from pipeline.model.terminology import Abbreviation


class AbbreviationBeforeExpansion(AbbreviationRule):
    """Flags the first use of an abbreviation that the chapter has not yet expanded.

    What it does: for each abbreviation whose policy is ``expand-at-first-use``, reads the
    chapter in order (Key Facts, the body, the captions, then the title, alt texts, long
    descriptions and credits) and flags its first use when no expansion comes before it. An
    expansion is ``Expansion (ABBR)`` in the text or an entry of Terminology › Abbreviations
    (``ABBR: expansion``), which covers the whole chapter. House-standard abbreviations never
    need expanding. A token that a ``not_when`` pattern gives another sense (``at T1``, the
    vertebra) is not a use.
    Why it matters: a chapter is read on its own; a reader who does not know the
    abbreviation meets it before learning what it stands for.
    Example: ``- Primary tumors: prostate, GI tract`` with no expansion of GI before it
    Use instead: ``gastrointestinal (GI) tract`` at the first use, or ``- GI:
    gastrointestinal`` in Terminology › Abbreviations.
    Fix: none; where the expansion goes, and the article or capital before it, need a person.
    """

    code = "A102"
    name = "abbreviation-before-expansion"

    @override
    def check_entry(self, found: Ledger, entry: Abbreviation) -> Iterator[Finding]:
        if entry.policy == "expand-at-first-use":
            yield from _early_use(found, entry)


def _early_use(found: Ledger, entry: Abbreviation) -> Iterator[Finding]:
    uses = found.uses(entry)
    expansions = found.expansions_of(entry)
    if not uses or any(e.token.in_glossary for e in expansions):
        return
    first = expansions[0].token if expansions else None
    if first is not None and first.order < uses[0].order:
        return
    later = f"; it is expanded only later, at line {first.span.line}" if first else ""
    yield Finding(
        uses[0].span,
        f"'{entry.abbr}' is used before it is expanded{later}",
        f"Write '{entry.expansion} ({entry.abbr})' here, or add '{entry.abbr}: "
        f"{entry.expansion}' to Terminology › Abbreviations.",
    )
