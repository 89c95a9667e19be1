"""Y101: an eponym written possessive."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from typing_extensions import override

from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.lint.fixes import replacement_fix
from pipeline.model.terminology import EponymPolicy
from pipeline.terminology.matcher import key
from pipeline.terminology.text import TextUnit


class EponymPossessive(Rule):
    """Flags a possessive eponym before one of the policy's nouns: ``Paget's disease``.

    What it does: under the registry's ``nonpossessive`` eponym policy, finds a capitalised
    name with ``'s`` (or ``'`` after a final s: ``Graves'``) followed by one of the policy's
    ``nouns`` (disease, syndrome, sign, fracture, …, singular or plural), also when emphasis
    or a line break splits the words. Names in the policy's ``exceptions`` are left alone, as
    are a name alone (``Paget``) and the nonpossessive form. Under a ``possessive`` policy
    the rule flags nothing: which capitalised words are eponyms cannot be told.
    Why it matters: AMA style, which the monograph follows, drops the possessive (the
    person neither had nor owned the disease); mixed forms also split searches.
    Example: ``- Paget's disease of bone``
    Use instead: ``- Paget disease of bone``
    Fix: safe; deletes the ``'s`` (or ``'``) and nothing else, so markup around the name is
    kept. A capitalised ordinary word before a listed noun (``Patient's syndrome`` at the
    start of a bullet) is flagged too: suppress it or list it in ``exceptions``.
    """

    code = "Y101"
    name = "eponym-possessive"
    fix = "safe"

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        policy = ctx.terminology.eponyms
        if policy.style != "nonpossessive":
            return
        raw = ctx.joined.raw
        if "'" not in raw and "\u2019" not in raw:
            return  # no possessive without an apostrophe
        pattern = _pattern(tuple(policy.nouns))
        for unit, match in ctx.search(pattern):
            if not _excepted(match, policy):
                yield _finding(unit, match)


def _finding(unit: TextUnit, match: re.Match[str]) -> Finding:
    name, phrase = match["name"], " ".join(match.group().split())
    return Finding(
        unit.span(match.start()),
        f"'{phrase}' is a possessive eponym; write '{name} {match['noun']}'",
        fix=replacement_fix(unit, *match.span("mark"), ""),
    )


def _excepted(match: re.Match[str], policy: EponymPolicy) -> bool:
    exceptions = {key(e) for e in policy.exceptions}
    phrase = f"{match['name']}{match['mark']} {match['noun']}"
    return bool({key(match["name"]), key(phrase)} & exceptions)


@lru_cache(maxsize=8)
def _pattern(nouns: tuple[str, ...]) -> re.Pattern[str]:
    # Searched in a chapter's joined units (``ChapterContext.search``): the ``.`` of the
    # lookbehind is the capital just read, never the separator before it.
    ordered = sorted(nouns, key=len, reverse=True)
    body = "|".join(re.escape(noun).replace(r"\ ", r"\s+") for noun in ordered)
    return re.compile(
        r"(?P<name>[A-Z](?<![\w'’].)[\w-]*?)(?P<mark>['’]s|(?<=s)['’])"
        rf"\s+(?P<noun>(?i:{body or '(?!)'})(?:e?s)?)(?!\w)"
    )
