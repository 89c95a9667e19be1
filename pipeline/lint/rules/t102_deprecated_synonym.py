"""T102: a deprecated synonym."""

from __future__ import annotations

from pipeline.lint.rules._terms import SenseRule


class DeprecatedSynonym(SenseRule):
    """Flags a synonym the registry marks ``deprecated``.

    What it does: finds deprecated synonyms outside Terminology › Synonyms (where a chapter
    may still list them for readers who know the old name).
    Why it matters: deprecated names linger in older literature; the monograph teaches the
    current one.
    Example: ``- Marble bone disease`` (deprecated synonym of osteopetrosis)
    Use instead: the concept's preferred term.
    Fix: safe; replaces the synonym by the preferred term, keeping a leading capital.
    """

    code = "T102"
    name = "deprecated-synonym"
    kind = "synonym"
    statuses = ("deprecated",)
    problem = "is deprecated"
    skip_synonyms_list = True
