"""What rules look at: a chapter's text units and term matches, computed once and shared."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pipeline.model.book import Book, Chapter
from pipeline.terminology import Matcher, TermMatch, TextUnit, units_of


@dataclass
class ChapterContext:
    """One chapter with its units and matches."""

    book: Book
    chapter: Chapter
    matcher: Matcher
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """Results several rules share (the abbreviation ledger), made by the first that asks."""

    @cached_property
    def units(self) -> list[TextUnit]:
        """The chapter's text, one unit per bullet, differential name and caption."""
        return units_of(self.chapter)

    @cached_property
    def matches(self) -> list[TermMatch]:
        """Every registered term in the chapter, in reading order."""
        return [match for unit in self.units for match in self.matcher.find(unit)]

    def search(self, pattern: re.Pattern[str]) -> Iterator[tuple[TextUnit, re.Match[str]]]:
        """Every match of ``pattern`` in the units' text as written, with its unit, in order."""
        for unit in self.units:
            for match in pattern.finditer(unit.raw):
                yield unit, match


@dataclass
class BookContext:
    """Every chapter's context, for rules that compare chapters."""

    book: Book
    matcher: Matcher
    chapters: list[ChapterContext] = field(default_factory=list)
