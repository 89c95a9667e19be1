"""A103: an abbreviation expanded twice, or not as the registry expands it."""

from __future__ import annotations

from collections.abc import Iterator

from typing_extensions import override

from pipeline.lint.base import Finding
from pipeline.lint.rules._abbreviations import AbbreviationRule, Expansion, Ledger
from pipeline.model.terminology import Abbreviation


class AbbreviationExpandedTwice(AbbreviationRule):
    """Flags an abbreviation expanded more than once in a chapter, or expanded differently.

    What it does: collects every expansion of each registered abbreviation (``Expansion
    (ABBR)`` in the text, entries of Terminology › Abbreviations) and flags each one after
    the first (a glossary entry counts as first, since it covers the whole chapter) and each
    whose words differ from the registry's expansion (case and hyphens aside); the message
    says which.
    Why it matters: a second expansion suggests the text was pasted together; a different
    expansion teaches a second meaning for the same letters.
    Example: ``- Computerised tomography (CT)`` where the registry has ``computed
    tomography``; or ``gastrointestinal (GI)`` in Key Facts and again in Pathology.
    Use instead: one expansion, at the first use, in the registry's words; the bare
    abbreviation afterwards.
    Fix: none; which expansion to keep is an editor's choice.
    """

    code = "A103"
    name = "abbreviation-expanded-twice"

    @override
    def check_entry(self, found: Ledger, entry: Abbreviation) -> Iterator[Finding]:
        expansions = found.expansions_of(entry)
        for index, expansion in enumerate(expansions):
            problems = _problems(expansion, expansions[0] if index else None)
            if problems:
                where = expansion.token.unit.span(expansion.start)
                yield Finding(where, f"'{entry.abbr}' {' and '.join(problems)}")


def _problems(expansion: Expansion, first: Expansion | None) -> list[str]:
    problems = []
    if first is not None:
        problems.append(f"is expanded again (first at line {first.token.span.line})")
    if not expansion.consistent and expansion.token.entry is not None:
        problems.append(
            f"is expanded as '{expansion.written}', "
            f"not as the registry's '{expansion.token.entry.expansion}'"
        )
    return problems
