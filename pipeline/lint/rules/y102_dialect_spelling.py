"""Y102: a spelling of another dialect."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from typing_extensions import override

from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.lint.fixes import replacement_fix
from pipeline.terminology.dialect import DEFAULTS, exception_set, respell
from pipeline.terminology.text import TextUnit

Spellings = tuple[tuple[str, str], ...]


class DialectSpelling(Rule):
    """Flags a word spelled in another dialect than the house's: ``tumour`` for ``tumor``.

    What it does: finds, in every text a reader sees (see docs/terminology.md, "What is
    read"), each ``variant`` of the registry's ``spellings`` as a whole word (also before a
    hyphen: ``tumour-like``), whatever its case, with a plural ``-s`` or ``-es``; and any
    other word in British spelling by its form: ``-ise``/``-isation`` (``mineralised``), the
    ``ae`` and ``oe`` of medical stems (``oedematous``, ``haemorrhagic``, ``paediatric``),
    ``-our`` (``peritumoural``), ``-tre`` (``centre``, ``litres``). The ``spellings`` list
    wins where it names the word; the registry's ``dialect.exceptions`` and a built-in list
    (``exercise``, ``otherwise``, ``vertebrae``, ``contour``, ``theatre``, …) are left alone.
    Why it matters: one dialect throughout reads as one book and keeps search working; the
    monograph is written in US English.
    Example: ``- Peritumoural oedema``
    Use instead: the house spelling (``- Peritumoral edema``).
    Fix: safe; replaces the word by the house spelling with the same ending, keeping an
    initial capital or all capitals. Not offered where markup splits the word.
    """

    code = "Y102"
    name = "dialect-spelling"
    fix = "safe"

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        terminology = ctx.terminology
        spellings = tuple((s.variant, s.use) for s in terminology.spellings)
        exceptions = _exceptions(tuple(terminology.dialect.exceptions))
        pattern = _pattern(spellings) if spellings else None
        uses = {" ".join(v.lower().split()): u for v, u in spellings}
        if pattern is not None and not _any_listed(spellings, ctx.joined.norm):
            pattern = None  # no listed word in the chapter
        for unit, plain in zip(ctx.units, ctx.joined.plain, strict=True):
            if plain and pattern is None:
                continue  # no British word here, and no listed one
            listed = list(pattern.finditer(unit.norm)) if pattern else []
            for match in listed:
                variant = " ".join(match["word"].split())
                yield _finding(unit, *match.span(), uses[variant] + (match["ending"] or ""))
            for word in unit.british:
                if any(m.start() < word.end and word.start < m.end() for m in listed):
                    continue  # the list names it
                house = word.house if exceptions is DEFAULTS else respell(word.word, exceptions)
                if house is not None:
                    yield _finding(unit, word.start, word.end, house)


def _finding(unit: TextUnit, start: int, end: int, house: str) -> Finding:
    written = unit.raw[start:end]
    if written.isupper() and len(written) > 1:
        house = house.upper()
    elif written[:1].isupper():
        house = house[:1].upper() + house[1:]  # the writer's capital, wherever it stands
    return Finding(
        unit.span(start),
        f"'{written}' is not the house spelling; write '{house}'",
        f"Write '{house}'.",
        fix=replacement_fix(unit, start, end, house),
    )


@lru_cache(maxsize=8)
def _exceptions(extra: tuple[str, ...]) -> frozenset[str]:
    """The built-in exceptions with the registry's (the same object when it adds none)."""
    return exception_set(extra) if extra else DEFAULTS


def _any_listed(spellings: Spellings, norm: str) -> bool:
    """False when no listed variant can stand in ``norm``: none's first word is in it."""
    return any(head in norm for head in _heads(spellings))


@lru_cache(maxsize=8)
def _heads(spellings: Spellings) -> frozenset[str]:
    """Each variant up to its first space, lower case: text any match of it holds."""
    return frozenset(v.lower().split(" ", 1)[0] for v, _use in spellings)


@lru_cache(maxsize=8)
def _pattern(spellings: Spellings) -> re.Pattern[str]:
    variants = sorted((v.lower() for v, _use in spellings), key=len, reverse=True)
    body = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in variants)
    return re.compile(rf"(?<![\w'])(?P<word>{body})(?P<ending>e?s)?(?!\w)")
