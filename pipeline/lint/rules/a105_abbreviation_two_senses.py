"""A105: one abbreviation in two senses within one bullet."""

from __future__ import annotations

from collections.abc import Iterator

from typing_extensions import override

from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.lint.rules._abbreviations import Token, ledger


class AbbreviationTwoSenses(Rule):
    """Flags an abbreviation written in two senses in one bullet.

    What it does: finds, in each bullet, caption or other text, a registered abbreviation
    used in its sense and also written where one of its ``not_when`` patterns gives it
    another (``T1`` the weighting and ``at T1`` the vertebra), and flags the later of the
    two at the place where the sense changes. Run-in labels count as uses.
    Why it matters: within one sentence a trainee reads the same letters the same way; a
    vertebra read as a weighting, or the reverse, is a wrong fact learnt.
    Example: ``- Longitudinal relaxation time (T1) is short in the fracture at T1``
    Use instead: spell one of them out (``the T1 vertebra``, ``T1 weighting``) or split the
    bullet.
    Fix: none; which one to spell out needs a person.
    """

    code = "A105"
    name = "abbreviation-two-senses"

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        found = ledger(ctx)
        if not found.others:  # no abbreviation written in another sense: nothing to compare
            return
        uses: dict[tuple[int, str], list[tuple[Token, bool]]] = {}
        for token in found.tokens:
            if token.entry is not None:
                uses.setdefault((token.index, token.entry.abbr), []).append((token, True))
        for token in found.others:
            if token.entry is not None and (token.index, token.entry.abbr) in uses:
                uses[(token.index, token.entry.abbr)].append((token, False))
        for written in uses.values():
            written.sort(key=lambda pair: pair[0].order)
            first = written[0][1]
            changed = next((token for token, sense in written if sense != first), None)
            if changed is not None and changed.entry is not None:
                yield _finding(changed, changed.entry.expansion, first)


def _finding(token: Token, expansion: str, first: bool) -> Finding:
    abbr = token.unit.raw[token.start : token.end]
    if first:
        message = f"'{abbr}' here is not the '{abbr}' ({expansion}) used earlier in this text"
    else:
        message = f"'{abbr}' here means {expansion}, unlike the '{abbr}' earlier in this text"
    return Finding(
        token.span,
        message,
        f"Spell one of them out, for example '{expansion}', or split the sentence.",
    )
