"""What rules look at: a chapter's text units and term matches, computed once and shared."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pipeline.model.book import Chapter
from pipeline.model.terminology import Terminology
from pipeline.terminology import Matcher, TermMatch, TextUnit, units_of
from pipeline.terminology.text import Joined, once


@dataclass
class ChapterContext:
    """One chapter with its units and matches, and the registry: all a chapter rule may read.

    Nothing of the book's metadata or of other chapters is here, so a chapter's findings
    depend only on the chapter, the registry and the configuration: what the chapter cache
    keys them on.
    """

    terminology: Terminology
    chapter: Chapter
    matcher: Matcher
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """Results several rules share (the abbreviation ledger), made by the first that asks."""

    @once
    def units(self) -> list[TextUnit]:
        """The chapter's text: a unit per bullet, differential name, caption, front-matter text."""
        return [unit for unit in self.labelled if unit.place.kind != "label"]

    @once
    def labelled(self) -> list[TextUnit]:
        """``units`` with each run-in label where it stands (for the abbreviation ledger)."""
        return units_of(self.chapter, labels=True)

    @once
    def joined(self) -> Joined:
        """``units`` as one text, for a search a chapter (``Joined``)."""
        return Joined(self.units)

    @once
    def matches(self) -> list[TermMatch]:
        """Every registered term the chapter uses, in reading order.

        A term inside quotation marks is mentioned, not used (a historical name, a report's
        words): no rule counts it.
        """
        found = self.matcher.find_all(self.joined)
        if '"' not in self.joined.raw and "\u201c" not in self.joined.raw:
            return found  # nothing quoted in the chapter
        return [match for match in found if not match.unit.mentions(match.start, match.end)]

    def search(self, pattern: re.Pattern[str]) -> Iterator[tuple[TextUnit, re.Match[str]]]:
        """Every match of ``pattern`` in the units' text as written, with its unit, in order.

        ``pattern`` must find in the joined text what it finds in each unit (``Joined``): one
        search of the chapter tells the units where it finds something (few), and only those
        are searched one by one.
        """
        joined = self.joined
        found = sorted({joined.index(match.start()) for match in pattern.finditer(joined.raw)})
        for index in found:
            unit = self.units[index]
            for match in pattern.finditer(unit.raw):
                yield unit, match


@dataclass
class BookContext:
    """What a rule that compares chapters sees: each chapter's summary, in book order.

    A summary is the JSON value the rule's ``summarize`` made from the chapter (kept in the
    chapter cache), so a book-wide check never needs the chapters' models.
    """

    terminology: Terminology
    summaries: list[tuple[str, Any]] = field(default_factory=list)
    """(chapter id, summary) pairs."""
