"""T108: a differential named by other than its preferred term."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from typing_extensions import override

from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import ChapterContext
from pipeline.lint.fixes import replacement_fix
from pipeline.lint.rules._differentials import differentials
from pipeline.lint.rules._terms import concept_hint
from pipeline.terminology.matcher import key


class DifferentialNotPreferred(Rule):
    """Flags a differential written with a synonym or variant instead of the preferred term.

    What it does: resolves each differential name to its diagnosis and compares the name
    with the preferred term (case aside, since a list item starts with a capital).
    Why it matters: differential lists are scanned and compared across chapters; one form
    per diagnosis keeps them comparable.
    Example: ``- Osteitis deformans`` (a synonym of Paget disease)
    Use instead: ``- Paget disease``
    Fix: safe; replaces the name by the preferred term, keeping a leading capital.
    """

    code = "T108"
    name = "differential-not-preferred"
    fix = "safe"

    @override
    def check_chapter(self, ctx: ChapterContext) -> Iterator[Finding]:
        for where in ("key-facts", "section"):
            for item in differentials(ctx, where):
                sense = item.diagnosis
                preferred = sense.concept.preferred if sense else ""
                if sense is None or key(item.name) in {key(preferred), *_plurals(preferred)}:
                    continue
                end = item.start + len(item.name)
                yield Finding(
                    item.unit.span(item.start),
                    f"differential '{item.name}' is not the preferred '{preferred}'",
                    concept_hint(sense.concept, preferred),
                    fix=replacement_fix(item.unit, item.start, end, preferred),
                )


@lru_cache(maxsize=1024)
def _plurals(term: str) -> frozenset[str]:
    """The keys of a preferred term's forms: asked for each differential, made once a term."""
    from pipeline.terminology.matcher import inflections

    return frozenset(inflections(key(term)))
