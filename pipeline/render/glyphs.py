"""Find characters of the content that no font of the book can draw (P101).

A character outside every shipped font would be drawn by whatever font the machine happens to
have, or as an empty box; either way the PDF would differ between machines. Each such
character is reported once per place, at the node that holds it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator

from pipeline.diagnostics import Diagnostic, finding
from pipeline.model import Book, Bullet, Chapter, Figure, Reference, Span
from pipeline.model.walk import literal_texts
from pipeline.render.fonts import is_covered

_INVISIBLE = {"Zs", "Zl", "Zp", "Cc", "Cf"}


def all_covered(chars: Iterable[str]) -> bool:
    """True when the fonts draw each of ``chars`` (or it is invisible): no P101 to report."""
    return all(unicodedata.category(c) in _INVISIBLE or is_covered(c) for c in chars)


def missing_glyphs(book: Book) -> list[Diagnostic]:
    """Return a P101 finding for each character the fonts lack, once per place."""
    found: dict[tuple[str, Span], Diagnostic] = {}
    for text, span in book_texts(book):
        for char in text:
            if (char, span) in found or unicodedata.category(char) in _INVISIBLE:
                continue
            if not is_covered(char):
                found[(char, span)] = finding("P101", span, _message(char))
    return list(found.values())


def _message(char: str) -> str:
    name = unicodedata.name(char, "unnamed character")
    return f"no font of the book can draw '{char}' (U+{ord(char):04X} {name})"


def book_texts(book: Book) -> Iterator[tuple[str, Span]]:
    """Yield every text the renderers print from the model, with the span it came from."""
    meta = book.meta
    people = [*meta.authors, *meta.editors]
    yield from _at(book.span, meta.title, meta.subtitle, meta.publisher, meta.version)
    yield from _at(book.span, meta.license, *(p.name for p in people))
    yield from _at(book.span, *(p.affiliation for p in people))
    for chapter in book.chapters:
        yield from chapter_texts(chapter)
    for reference in book.bibliography:
        yield from _reference(reference)


def chapter_texts(chapter: Chapter) -> Iterator[tuple[str, Span]]:
    """Every text of ``chapter`` the renderers print, with its span."""
    yield from _at(chapter.span, chapter.meta.title, *(a.name for a in chapter.meta.authors))
    for section in chapter.sections:
        yield section.title, section.span
        for sub in section.subsections:
            yield sub.title, sub.span
            for bullet in sub.bullets:
                yield from _bullet(bullet)
    for figure in chapter.figures:
        yield from _figure(figure)
    for reference in chapter.references:
        yield from _reference(reference)


def _bullet(bullet: Bullet) -> Iterator[tuple[str, Span]]:
    yield from _at(bullet.span, bullet.label)
    yield from literal_texts(bullet.content)
    for child in bullet.children:
        yield from _bullet(child)


def _figure(figure: Figure) -> Iterator[tuple[str, Span]]:
    yield from _at(figure.span, figure.alt, figure.long_description, figure.sequence)
    yield from _at(figure.span, figure.credit, figure.license)
    yield from literal_texts(figure.caption)


def _reference(ref: Reference) -> Iterator[tuple[str, Span]]:
    yield from _at(ref.span, *ref.authors, ref.title, ref.journal, ref.volume, ref.pages)
    yield from _at(ref.span, ref.doi, ref.pmid)


def _at(span: Span, *texts: str | None) -> Iterator[tuple[str, Span]]:
    for text in texts:
        if text:
            yield text, span
