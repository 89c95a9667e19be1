"""The build's moment: printed in footers, written into PDF metadata, never read from a clock.

``SOURCE_DATE_EPOCH`` (reproducible-builds.org) sets it when present. Otherwise it is the
latest date the source itself gives (a chapter's ``created`` or ``last_reviewed``), and
failing that a fixed date, so the same source always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.model import Book

FALLBACK = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
"""The moment used when neither SOURCE_DATE_EPOCH nor the source gives one."""


class StampError(ValueError):
    """SOURCE_DATE_EPOCH is set to something that is not a whole number of seconds."""


@dataclass(frozen=True)
class Stamp:
    """The build's moment (UTC), printed and embedded."""

    moment: dt.datetime

    @property
    def date(self) -> str:
        """The calendar date printed in footers, e.g. 2026-11-25."""
        return self.moment.strftime("%Y-%m-%d")

    @property
    def iso(self) -> str:
        """The W3C date-time WeasyPrint writes into the PDF's metadata."""
        return self.moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def build_stamp(book: Book, source_date_epoch: str | None) -> Stamp:
    """Return the stamp from ``SOURCE_DATE_EPOCH``'s value, or else from the source."""
    return stamp_from(source_dates(book), source_date_epoch)


def source_dates(book: Book) -> list[dt.date]:
    """Every date the chapters give (``created``, ``last_reviewed``)."""
    return [
        day
        for chapter in book.chapters
        for day in (chapter.meta.created, chapter.meta.last_reviewed)
        if day is not None
    ]


def stamp_from(dates: Iterable[dt.date], source_date_epoch: str | None) -> Stamp:
    """The stamp from ``SOURCE_DATE_EPOCH``'s value, or else the latest of ``dates``."""
    if source_date_epoch is not None and source_date_epoch.strip():
        try:
            seconds = int(source_date_epoch.strip())
        except ValueError:
            raise StampError(
                f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {source_date_epoch!r}"
            ) from None
        return Stamp(dt.datetime.fromtimestamp(seconds, dt.UTC))
    latest = max(dates, default=None)
    if latest is None:
        return Stamp(FALLBACK)
    return Stamp(dt.datetime(latest.year, latest.month, latest.day, tzinfo=dt.UTC))
