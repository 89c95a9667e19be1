"""Issue 4's acceptance list, as a reader of the PDFs would check it.

Status marking on every page (DRAFT, IN REVIEW, nothing when published), real images
embedded with their alt text in the structure tree, and Key Facts bullets and differential
names in the text in source order. Expected strings come from the validated model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

from pipeline.model import Bullet, Chapter, Figure, Inline, Subsection
from pipeline.model.inline import Code, Emph, Link, Strong, Sub, Sup, Text
from pipeline.model.skeleton import SKELETON
from tests.helpers import build
from tests.render import pdftext
from tests.render.conftest import (
    BOOK_YAML,
    PLAIN_CHAPTER,
    RICH_CHAPTER,
    TERMINOLOGY,
    Built,
    reading_text_of,
    write_rich,
)

MARKINGS = {"draft": "DRAFT", "review": "IN REVIEW", "published": None}
FILLER = "".join(
    f"- Finding {n} described at enough length to take most of a printed line\n" for n in range(70)
)
"""Bullets that make a chapter run over several pages, so the running header matters."""


# ---- helpers ----------------------------------------------------------------------------


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, in reading order."""
    pages = pdftext.page_texts(pdf)
    assert len(pages) == len(PdfReader(pdf).pages), pdf.name
    return pages


def chapter_pages(book_pdf: Path) -> dict[str, list[int]]:
    """The page numbers (from 0) of each chapter of the book, by its top-level bookmark."""
    reader = PdfReader(book_pdf)
    starts = [
        (str(item.title), int(reader.get_destination_page_number(item) or 0))
        for item in reader.outline
        if not isinstance(item, list)
    ]
    ends = [start for _, start in starts[1:]] + [len(reader.pages)]
    return {
        title: list(range(start, end)) for (title, start), end in zip(starts, ends, strict=True)
    }


def assert_marked(pages: list[str], where: str, status: str) -> None:
    """Every page carries the marking of ``status`` and no other one."""
    expected = MARKINGS[status]
    for number, text in enumerate(pages, start=1):
        for marking in ("DRAFT", "IN REVIEW"):
            shown = marking in text
            assert shown == (marking == expected), f"{where}, page {number}: {marking} {shown}"


def published_chapter() -> str:
    """A chapter that validates as published: every section with its required subsections."""
    parts = [
        "---\nid: done\ntitle: Done Disease\nconcept: done-concept\nstatus: published\n"
        "last_reviewed: 2025-01-02\nauthors:\n  - name: Ada Author\n---\n"
    ]
    for section in SKELETON:
        parts.append(f"\n# {section.title}\n")
        subs = [s for s in section.subsections if s.required] or list(section.subsections[:1])
        titles = ["Plain Disease"] if section.free else [s.title for s in subs]
        parts += [f"\n## {title}\n\n- A finding under {title.lower()}\n" for title in titles]
    return "".join(parts) + FILLER  # more bullets under the last subsection


def padded(chapter: str) -> str:
    """The chapter with a long Clinical Issues section appended (it comes last in order)."""
    return chapter + "\n# Clinical Issues\n\n## Natural History & Prognosis\n\n" + FILLER


# ---- 1. status marking ------------------------------------------------------------------


@pytest.fixture(scope="module")
def statuses(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A draft, a published and a review chapter, in that order in the book."""
    root = write_rich(
        tmp_path_factory.mktemp("statuses") / "source",
        **{
            "book.yaml": BOOK_YAML.replace("  - plain\n", "  - done\n  - plain\n"),
            "terminology.yaml": TERMINOLOGY
            + "  - {id: done-concept, kind: diagnosis, preferred: done disease}\n",
            "chapters/rich.md": padded(RICH_CHAPTER),
            "chapters/done.md": published_chapter(),
            "chapters/plain.md": padded(PLAIN_CHAPTER.replace("status: draft", "status: review")),
        },
    )
    out = tmp_path_factory.mktemp("statuses-out")
    return Built.of(build(root, out, formats=("pdf",), lint=False, in_process=True))


def test_every_page_of_the_draft_seed_chapter_says_draft(seed_pdfs: Built) -> None:
    chapter = seed_pdfs.book.chapters[0]
    assert chapter.meta.status == "draft", "the seed chapter is meant to be a draft"
    handout = page_texts(seed_pdfs.pdf(f"{chapter.id}.pdf"))
    assert len(handout) >= 2, "the marking must be seen past the first page"
    assert_marked(handout, f"{chapter.id}.pdf", "draft")
    assert_marked(page_texts(seed_pdfs.pdf(f"{chapter.id}-key-facts.pdf")), "key facts", "draft")
    book_pdf = seed_pdfs.pdf(f"{seed_pdfs.book.meta.id}.pdf")
    book_pages = page_texts(book_pdf)
    pages = chapter_pages(book_pdf)[chapter.meta.title]
    assert len(pages) >= 2
    assert_marked([book_pages[n] for n in pages], "the book's chapter", "draft")


def test_review_says_in_review_and_published_says_nothing_on_every_page(
    statuses: Built,
) -> None:
    book_pdf = statuses.pdf("rich-book.pdf")
    book_pages = page_texts(book_pdf)
    in_book = chapter_pages(book_pdf)
    assert [c.meta.status for c in statuses.book.chapters] == ["draft", "published", "review"]
    for chapter in statuses.book.chapters:
        status = chapter.meta.status
        handout = page_texts(statuses.pdf(f"{chapter.id}.pdf"))
        assert len(handout) >= 2, chapter.id
        assert_marked(handout, f"{chapter.id}.pdf", status)
        key_facts = page_texts(statuses.pdf(f"{chapter.id}-key-facts.pdf"))
        assert_marked(key_facts, f"{chapter.id}-key-facts.pdf", status)
        pages = in_book[chapter.meta.title]
        assert len(pages) >= 2, chapter.id
        assert_marked([book_pages[n] for n in pages], f"book, {chapter.id}", status)


def test_the_book_pages_before_the_chapters_carry_no_marking(statuses: Built) -> None:
    book_pdf = statuses.pdf("rich-book.pdf")
    in_book = chapter_pages(book_pdf)
    first = min(in_book[chapter.meta.title][0] for chapter in statuses.book.chapters)
    assert first >= 2  # the title page and the contents come first
    assert_marked(page_texts(book_pdf)[:first], "the book's front matter", "published")


# ---- 2. real images, embedded, with their alt text --------------------------------------

IMAGED_CHAPTER = """\
---
id: plain
title: Plain Disease
concept: plain-concept
status: review
authors:
  - name: Ada Author
figures:
  - id: fig-axial
    image: axial.png
    alt: Axial CT slice shown as a red test rectangle, wider than it is tall.
    caption: Axial NECT {arrow}.
    modality: CT
    plane: axial
  - id: fig-sagittal
    image: scans/sagittal.jpg
    alt: Sagittal MR slice shown as a blue test rectangle, taller than it is wide.
    caption: Sagittal T2WI.
    modality: MR
    plane: sagittal
    sequence: T2WI
---

# Key Facts

## Imaging

- A plain finding (@fig-axial)

# Imaging

## General Features

- **Location**
  - Everywhere (@fig-sagittal)
"""

IMAGES = {
    "fig-axial": ("axial.png", (64, 40), (200, 40, 40)),
    "fig-sagittal": ("scans/sagittal.jpg", (36, 56), (40, 60, 200)),
}
"""Each figure's file under figures/, its size and its colour, generated by the test."""


@dataclass(frozen=True)
class Placed:
    """An image drawn on a page, and the alt text of the /Figure element that tags it."""

    alt: str
    size: tuple[int, int]
    colour: tuple[int, ...]


def _kids(element: DictionaryObject) -> list[object]:
    kids = element.get("/K")
    if kids is None:
        return []
    kids = kids.get_object()
    return list(kids) if isinstance(kids, list) else [kids]


def _figures(element: DictionaryObject) -> Iterator[DictionaryObject]:
    """Every /Figure structure element under ``element``, in tree order."""
    for kid in _kids(element):
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, DictionaryObject):
            if kid.get("/S") == "/Figure":
                yield kid
            yield from _figures(kid)


def _drawn(reader: PdfReader, page_number: int) -> dict[int, list[str]]:
    """The image XObjects each marked-content id of a page draws (innermost id wins)."""
    page = reader.pages[page_number]
    drawn: dict[int, list[str]] = {}
    stack: list[int | None] = []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator in (b"BDC", b"BMC"):
            props = operands[1] if operator == b"BDC" else None
            stack.append(props.get("/MCID") if isinstance(props, dict) else None)
        elif operator == b"EMC":
            stack.pop()
        elif operator == b"Do" and stack and stack[-1] is not None:
            drawn.setdefault(int(stack[-1]), []).append(str(operands[0]))
    return drawn


def _mcid(kid: object) -> int | None:
    """A marked-content id: a bare integer, or a marked-content reference's /MCID."""
    kid = kid.get_object() if hasattr(kid, "get_object") else kid
    if isinstance(kid, DictionaryObject):
        kid = kid.get("/MCID")
    return int(kid) if isinstance(kid, int) else None


def tagged_images(pdf: Path) -> list[Placed]:
    """Each image the structure tree's /Figure elements tag, with the element's /Alt."""
    reader = PdfReader(pdf)
    refs = [page.indirect_reference for page in reader.pages]
    pages = {ref.idnum: n for n, ref in enumerate(refs) if ref is not None}
    root = reader.root_object["/StructTreeRoot"].get_object()
    assert isinstance(root, DictionaryObject)
    found = []
    for figure in _figures(root):
        page_number = pages[figure.raw_get("/Pg").idnum]
        mcids = [mcid for mcid in map(_mcid, _kids(figure)) if mcid is not None]
        drawn = _drawn(reader, page_number)
        for name in (name for mcid in mcids for name in drawn.get(mcid, [])):
            image = reader.pages[page_number].images[name].image
            assert image is not None
            colour = image.convert("RGB").resize((1, 1)).getpixel((0, 0))
            assert isinstance(colour, tuple)
            found.append(Placed(str(figure.get("/Alt")), image.size, colour))
    return found


def _image_xobjects(pdf: Path) -> int:
    """How many image XObjects the pages use."""
    return sum(len(page.images) for page in PdfReader(pdf).pages)


@pytest.fixture(scope="module")
def imaged(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The rich tree with a review chapter whose two figures have real PNG and JPEG files."""
    root = write_rich(
        tmp_path_factory.mktemp("imaged") / "source", **{"chapters/plain.md": IMAGED_CHAPTER}
    )
    for name, size, colour in IMAGES.values():
        path = root / "figures" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", size, colour).save(path, quality=95)
    out = tmp_path_factory.mktemp("imaged-out")
    return Built.of(build(root, out, formats=("pdf",), lint=False, in_process=True))


def _expected(chapter: Chapter, ids: list[str]) -> list[tuple[str, tuple[int, int]]]:
    alts = {figure.id: figure.alt for figure in chapter.figures}
    return sorted((alts[i], IMAGES[i][1]) for i in ids)


def _close(one: tuple[int, ...], two: tuple[int, ...]) -> bool:
    return all(abs(a - b) <= 12 for a, b in zip(one, two, strict=True))


def test_real_images_are_embedded_and_tagged_with_their_alt_text(imaged: Built) -> None:
    chapter = next(c for c in imaged.book.chapters if c.id == "plain")
    assert chapter.meta.status == "review"
    assert all(figure.image_path for figure in chapter.figures)
    products = {
        "plain.pdf": ["fig-axial", "fig-sagittal"],
        "plain-key-facts.pdf": ["fig-axial"],  # the one Key Facts refers to
    }
    for name, ids in products.items():
        placed = tagged_images(imaged.pdf(name))
        assert sorted((p.alt, p.size) for p in placed) == _expected(chapter, ids), name
        colours = {p.alt: p.colour for p in placed}
        for figure in chapter.figures:
            if figure.id in ids:
                assert _close(colours[figure.alt], IMAGES[figure.id][2]), (name, figure.id)
        assert _image_xobjects(imaged.pdf(name)) == len(ids), name


def _alt(figure: Figure) -> str:
    """The alt text as printed: the source's, then what each annotation's marker shows."""
    told = [f"{a.marker.replace('-', ' ').capitalize()}: {a.shows}." for a in figure.annotations]
    return " ".join([figure.alt, *told])


def test_the_book_tags_every_chapter_image_with_its_alt_text(imaged: Built) -> None:
    rich, plain = imaged.book.chapters
    placed = sorted((p.alt, p.size) for p in tagged_images(imaged.pdf("rich-book.pdf")))
    rich_real = [(_alt(f), (40, 30)) for f in rich.figures if f.image_path]
    expected = sorted([*_expected(plain, list(IMAGES)), *rich_real])
    assert placed == expected
    # The generated images are a few dozen pixels: printed a column wide, each is a P111.
    assert {d.code for d in imaged.report.diagnostics} == {"P111"}


# ---- 4. Key Facts bullets and differential names in source order -----------------------


def _runs(nodes: list[Inline], runs: list[str], current: list[str]) -> None:
    for node in nodes:
        if isinstance(node, Text | Code):
            current.append(node.text)
        elif isinstance(node, Emph | Strong | Sup | Sub | Link):
            _runs(node.children, runs, current)
        else:  # a citation, figure reference or marker prints as a number or a glyph
            runs.append("".join(current))
            current.clear()


def own_texts(bullet: Bullet) -> list[str]:
    """The text runs of one bullet (label and content, not its children)."""
    runs: list[str] = []
    current = [bullet.label + " "] if bullet.label else []
    _runs(bullet.content, runs, current)
    runs.append("".join(current))
    return [run for run in runs if re.search(r"\w", run)]


def bullet_texts(bullets: list[Bullet]) -> Iterator[str]:
    """The text runs of each bullet and its children, depth first, in source order."""
    for bullet in bullets:
        yield from own_texts(bullet)
        yield from bullet_texts(bullet.children)


def key_facts_texts(chapter: Chapter, skip: tuple[str, ...] = ()) -> list[str]:
    """Every Key Facts bullet's text, in source order."""
    subs = _subsections(chapter, "key-facts")
    return [text for sub in subs if sub.key not in skip for text in bullet_texts(sub.bullets)]


def differential_names(chapter: Chapter) -> list[str]:
    """Key Facts › Top Differential Diagnoses, then the other Differential Diagnosis titles."""
    top = [
        " ".join(own_texts(bullet))
        for sub in _subsections(chapter, "key-facts")
        if sub.key == "top-differential-diagnoses"
        for bullet in sub.bullets
    ]
    named = {name.casefold() for name in top}
    detailed = [sub.title for sub in _subsections(chapter, "differential-diagnosis")]
    return top + [title for title in detailed if title.casefold() not in named]


def _subsections(chapter: Chapter, key: str) -> list[Subsection]:
    return [
        sub for section in chapter.sections if section.key == key for sub in section.subsections
    ]


def _squeeze(text: str) -> str:
    """Text without white space or hyphens, so line breaks and hyphenation do not matter."""
    return re.sub(r"[\s\-\u2010\u00ad]+", "", text)


def assert_in_order(pdf: Path, expected: list[str]) -> None:
    """Each string occurs in the PDF's text, in reading order, after the one before it."""
    text = _squeeze(reading_text_of(pdf))
    cursor = 0
    for item in expected:
        found = text.find(_squeeze(item), cursor)
        assert found >= 0, f"{pdf.name}: '{item}' missing or out of order"
        cursor = found + len(_squeeze(item))


def test_seed_chapter_text_has_key_facts_and_differentials_in_source_order(
    seed_pdfs: Built,
) -> None:
    chapter = seed_pdfs.book.chapters[0]
    bullets = key_facts_texts(chapter)
    names = differential_names(chapter)
    assert len(bullets) >= 10 and len(names) >= 3
    for pdf in (seed_pdfs.pdf(f"{chapter.id}.pdf"), seed_pdfs.pdf(f"{seed_pdfs.book.meta.id}.pdf")):
        assert_in_order(pdf, bullets)
        assert_in_order(pdf, names)
    handout = seed_pdfs.pdf(f"{chapter.id}-key-facts.pdf")
    assert_in_order(handout, key_facts_texts(chapter, skip=("top-differential-diagnoses",)))
    assert_in_order(handout, names)  # the table's rows


def test_rich_chapter_text_keeps_source_order_across_markup(rich_pdfs: Built) -> None:
    chapter = rich_pdfs.book.chapters[0]
    names = differential_names(chapter)
    detailed = [sub.title for sub in _subsections(chapter, "differential-diagnosis")]
    assert len(names) > len(detailed) >= 2  # names from both places
    assert_in_order(rich_pdfs.pdf("rich.pdf"), key_facts_texts(chapter))
    assert_in_order(rich_pdfs.pdf("rich.pdf"), names)
    assert_in_order(rich_pdfs.pdf("rich.pdf"), detailed)  # the Differential Diagnosis section
    handout = rich_pdfs.pdf("rich-key-facts.pdf")
    assert_in_order(handout, key_facts_texts(chapter, skip=("top-differential-diagnoses",)))
    assert_in_order(handout, names)


def test_order_check_notices_a_swap(seed_pdfs: Built) -> None:
    bullets = key_facts_texts(seed_pdfs.book.chapters[0])
    swapped = [bullets[1], bullets[0], *bullets[2:]]
    with pytest.raises(AssertionError, match="out of order"):
        assert_in_order(seed_pdfs.pdf(f"{seed_pdfs.book.chapters[0].id}.pdf"), swapped)
