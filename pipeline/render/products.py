"""The PDF products, one small declarative class each, and the table that lists them.

A product says what it is called and which documents it makes from the book; ``PdfWriter``
prints them and ``pipeline.orchestrate`` writes the files. Adding a product is one class and one
line in ``PDF_PRODUCTS``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from pipeline.diagnostics import Diagnostic
from pipeline.model import Book, Figure, Span
from pipeline.model.skeleton import KEY_FACTS
from pipeline.render.html import book_document, chapter_document, key_facts_document
from pipeline.render.pdf import Document
from pipeline.render.plan import ChapterPlan, plan_chapter
from pipeline.render.stamp import Stamp


@dataclass
class RenderInput:
    """What every product renders from: the book, its plans, the stamp, a findings list."""

    book: Book
    stamp: Stamp
    report: list[Diagnostic]
    first: int = 1
    """The number in the whole book of ``book``'s first chapter (``only`` keeps one)."""

    def only(self, chapter_id: str) -> RenderInput:
        """The same input restricted to one chapter (for a chapter's own handouts)."""
        ids = [c.id for c in self.book.chapters]
        chapters = [c for c in self.book.chapters if c.id == chapter_id]
        book = self.book.model_copy(update={"chapters": chapters})
        first = ids.index(chapter_id) + self.first if chapter_id in ids else self.first
        return RenderInput(book, self.stamp, self.report, first)

    def plans(self) -> list[ChapterPlan]:
        """Plan every chapter; figure numbers carry the chapter's number in the book.

        ``1.2`` in a chapter's own handouts as in the book, the EPUB and the JSON.
        """
        return [
            plan_chapter(chapter, self.book.bibliography, number_prefix=f"{number}.")
            for number, chapter in enumerate(self.book.chapters, start=self.first)
        ]


def _figures(plans: list[ChapterPlan]) -> dict[str, Figure]:
    """The figures of these chapters that have a checked image, by the image's address."""
    return {
        view.image_uri: view.figure
        for plan in plans
        for view in plan.figures.values()
        if view.image_uri
    }


class ChapterHandout:
    """``<chapter-id>.pdf``: the full chapter, figures and Selected References."""

    name: ClassVar[str] = "chapter"

    def documents(self, given: RenderInput) -> Iterator[Document]:
        """One document per chapter."""
        for plan in given.plans():
            html = chapter_document(given.book, plan, given.stamp, given.report)
            yield Document(f"{plan.chapter.id}.pdf", html, plan.chapter.span,
                           figures=_figures([plan]))  # fmt: skip


class KeyFactsHandout:
    """``<chapter-id>-key-facts.pdf``: Key Facts, differential table, key figures; one page."""

    name: ClassVar[str] = "key-facts"
    max_pages: ClassVar[int] = 1

    def documents(self, given: RenderInput) -> Iterator[Document]:
        """One single-page document per chapter."""
        for plan in given.plans():
            html = key_facts_document(given.book, plan, given.stamp, given.report)
            yield Document(
                f"{plan.chapter.id}-key-facts.pdf",
                html,
                _key_facts_span(plan),
                max_pages=self.max_pages,
                figures=_figures([plan]),
                subject=f"the Key Facts handout of chapter '{plan.chapter.id}'",
            )


class BookPdf:
    """``<book-id>.pdf``: title page, contents, every chapter in order."""

    name: ClassVar[str] = "book"

    def documents(self, given: RenderInput) -> Iterator[Document]:
        """One document for the whole book."""
        plans = given.plans()
        html = book_document(given.book, plans, given.stamp, given.report)
        yield Document(f"{given.book.meta.id}.pdf", html, given.book.span,
                       figures=_figures(plans))  # fmt: skip


def _key_facts_span(plan: ChapterPlan) -> Span:
    section = next((s for s in plan.chapter.sections if s.key == KEY_FACTS), None)
    return section.span if section else plan.chapter.span


PDF_PRODUCTS: tuple[ChapterHandout | KeyFactsHandout | BookPdf, ...] = (
    ChapterHandout(),
    KeyFactsHandout(),
    BookPdf(),
)
"""Every PDF product, in the order they are built."""
