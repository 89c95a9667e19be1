"""The EPUB's contents: nav and NCX alike, as deep as the book PDF's outline.

Chapters, their sections (Key Facts, the chapter's own, Further Figures, Selected References)
and the subsections of each section but Key Facts, whose parts are a box, as in the PDF's
bookmarks. The NCX says how deep it goes (``dtb:depth``).
"""

from __future__ import annotations

import re
from typing import Any

from pypdf import PdfReader

from tests.render.conftest import Built
from tests.render.epub_books import NS, BuiltEpub

Entry = tuple[int, str, str]


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def nav_outline(built: BuiltEpub) -> list[Entry]:
    """(depth, title, href) of every entry of the nav's table of contents, in order."""
    found: list[Entry] = []

    def walk(ol: Any, depth: int) -> None:
        for li in ol.findall("x:li", NS):
            a = li.find("x:a", NS)
            found.append((depth, _text(a), a.get("href")))
            for child in li.findall("x:ol", NS):
                walk(child, depth + 1)

    walk(built.xml("nav.xhtml").find(".//x:nav[@epub:type='toc']/x:ol", NS), 0)
    return found


def ncx_outline(built: BuiltEpub) -> list[Entry]:
    """(depth, label, src) of every navPoint of the NCX, in order."""
    found: list[Entry] = []

    def walk(parent: Any, depth: int) -> None:
        for point in parent.findall("ncx:navPoint", NS):
            label = _text(point.find("ncx:navLabel/ncx:text", NS))
            found.append((depth, label, point.find("ncx:content", NS).get("src")))
            walk(point, depth + 1)

    walk(built.xml("toc.ncx").find("ncx:navMap", NS), 0)
    return found


def pdf_outline(path: Any) -> list[tuple[int, str]]:
    """(depth, title) of every bookmark of a PDF."""
    found: list[tuple[int, str]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title))

    walk(PdfReader(path).outline, 0)
    return found


def test_nav_lists_chapters_sections_and_subsections(rich_epub: BuiltEpub) -> None:
    outline = nav_outline(rich_epub)
    assert [(depth, title) for depth, title, _ in outline] == [
        (0, "1 Rich Disease"),
        (1, "Key Facts"),
        (1, "Imaging"),
        (2, "General Features"),
        (1, "Differential Diagnosis"),
        (2, "Plain Disease"),
        (2, "Third Thing"),
        (1, "Further Figures"),
        (1, "Selected References"),
        (0, "2 Plain Disease"),
        (1, "Key Facts"),
    ]
    for _, title, href in outline:  # every entry leads to its heading's section
        file, _, fragment = href.partition("#")
        target = rich_epub.xml(file).find(f".//*[@id='{fragment}']", NS) if fragment else None
        assert not fragment or (target is not None and title in _text(target)), href


def test_ncx_is_the_nav_and_says_its_depth(seed_epub: BuiltEpub, rich_epub: BuiltEpub) -> None:
    for built in (seed_epub, rich_epub):
        ncx, nav = ncx_outline(built), nav_outline(built)
        assert ncx == nav
        depth = built.xml("toc.ncx").find(".//ncx:meta[@name='dtb:depth']", NS).get("content")
        assert depth == str(1 + max(d for d, _, _ in nav)) == "3"
        lang = built.xml("toc.ncx").get("{http://www.w3.org/XML/1998/namespace}lang")
        assert lang == built.book.meta.language


def test_nav_goes_as_deep_as_the_book_pdf_outline(seed_epub: BuiltEpub, seed_pdfs: Built) -> None:
    pdf = pdf_outline(seed_pdfs.pdf("spine-metastases.pdf"))
    assert pdf[0] == (0, "Contents")  # the PDF's own contents page; the nav is the EPUB's
    numbered = [(d, re.sub(r"^\d+ ", "", t) if d == 0 else t) for d, t, _ in nav_outline(seed_epub)]
    assert numbered == pdf[1:]
    assert len(numbered) == 10 and max(d for d, _ in numbered) == 2
