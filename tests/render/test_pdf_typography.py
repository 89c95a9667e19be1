"""Typography of the PDFs, read from the page: running heads, last lines, hyphenation.

Which text is a caption or a Key Facts bullet comes from the structure tree
(test_pdf_structure.py reads it); where its glyphs stand comes from PDFium (pdftext.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.render import pdftext
from tests.render.conftest import Built
from tests.render.test_pdf_structure import Node, Tagged, tagged

TOP_MARGIN = 17 / 25.4 * 72
"""The page's top margin in points (print.css, @page): running heads stand in it."""
HYPHEN = "\u2010"
"""What WeasyPrint prints where it breaks a word."""


def _head(pdf: Path, page: int) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        sheet = document[page - 1]
        height, width = sheet.get_height(), sheet.get_width()
        return " ".join(
            sheet.get_textpage().get_text_bounded(0, height - TOP_MARGIN, width, height).split()
        )
    finally:
        document.close()


@pytest.mark.parametrize("name", ["seed", "rich"])
def test_a_chapter_opener_in_the_book_has_no_running_head(
    name: str, seed_pdfs: Built, rich_pdfs: Built
) -> None:
    built = seed_pdfs if name == "seed" else rich_pdfs
    book = built.pdf(f"{built.book.meta.id}.pdf")
    tree = tagged(book)
    openers = [article.page for article in tree.elements("/Art")]
    assert len(openers) == len(built.book.chapters)
    for page in openers:
        assert page is not None
        assert _head(book, page) == "", f"{book.name} page {page}: {_head(book, page)!r}"
    if name == "seed":  # the chapter's second page still has its running head
        assert built.book.meta.title in _head(book, openers[0] + 1)


def _glyphs_of(tree: Tagged, node: Node, pages: list[list[pdftext.Glyph]]) -> list[pdftext.Glyph]:
    """The seen glyphs of ``node``'s own text (not its nested lists), in painting order."""
    marked: set[tuple[int, int]] = set()
    for element in _own(node):
        kids = element.raw.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int) and element.page is not None:
                marked.add((element.page, kid))
    return [
        glyph
        for page in sorted({page for page, _ in marked})
        for glyph in pages[page - 1]
        if (page, glyph.mcid) in marked and glyph.size >= 2 and not glyph.char.isspace()
    ]


def _own(node: Node) -> Iterator[Node]:
    yield node
    for kid in node.kids:
        if kid.role != "/L":
            yield from _own(kid)


def _set_texts(tree: Tagged) -> Iterator[Node]:
    """Captions, and the bullets of Key Facts (the box, and the handout's table)."""
    for node in tree.document.walk():
        if node.role == "/Caption":
            yield from (kid for kid in node.kids if kid.role == "/P")
    for article in tree.elements("/Art"):
        boxes = [kid for kid in article.kids if kid.role == "/Sect"][:1]
        if tree.name.endswith("-key-facts.pdf"):
            boxes += [node for node in article.walk() if node.role == "/Table"]
        for box in boxes:
            yield from (node for node in box.walk() if node.role == "/LBody")


def _lines(glyphs: list[pdftext.Glyph]) -> list[str]:
    """The glyphs' lines in the order they were set (as ``pdftext.runs`` cuts them)."""
    found: list[pdftext.Line] = []
    for run in pdftext.runs(glyphs):
        beside = [line for line in found if pdftext._same_line(line, run)]
        if beside:
            beside[0].add(run)
        else:
            found.append(run)
    return [" ".join(line.text().split()) for line in found]


def test_captions_and_key_facts_end_in_two_words_and_break_no_short_word(
    seed_pdfs: Built, rich_pdfs: Built
) -> None:
    wrapped = 0
    for built in (seed_pdfs, rich_pdfs):
        for artifact in built.report.artifacts:
            tree, pages = tagged(artifact.path), list(pdftext.page_glyphs(artifact.path))
            for node in _set_texts(tree):
                lines = _lines(_glyphs_of(tree, node, pages))
                if len(lines) < 2:
                    continue
                wrapped += 1
                where = f"{tree.name}: {node.where()}: {lines}"
                assert len(lines[-1].split()) >= 2, f"one word on the last line: {where}"
                for line, following in itertools.pairwise(lines):
                    if line.endswith(HYPHEN):
                        word = line.split()[-1][:-1] + following.split()[0]
                        letters = [c for c in word if c.isalpha()]
                        assert len(letters) >= 10, f"'{word}' broken: {where}"
    assert wrapped >= 10, f"only {wrapped} captions and bullets take two lines or more"
