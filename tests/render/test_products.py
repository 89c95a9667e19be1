"""The three PDF products, checked structurally: files, pages, metadata, fonts, determinism."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.render.pdf import Paper, PdfWriter
from pipeline.render.products import PDF_PRODUCTS, RenderInput
from pipeline.render.stamp import build_stamp
from tests.render import pdftext
from tests.render.conftest import Built, load, reading_text_of, text_of, write_rich

SEED_ID = "blastic-osseous-metastases"
SEED_FILES = [f"{SEED_ID}.pdf", f"{SEED_ID}-key-facts.pdf", "spine-metastases.pdf"]


def _outline(reader: PdfReader) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def walk(items: list[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title))  # type: ignore[attr-defined]

    walk(reader.outline, 0)
    return found


def test_seed_builds_the_three_products_without_findings(seed_pdfs: Built) -> None:
    assert sorted(p.name for p in (seed_pdfs.out / "pdf").iterdir()) == sorted(SEED_FILES)
    assert [a.path.name for a in seed_pdfs.report.artifacts] == SEED_FILES
    assert [a.product for a in seed_pdfs.report.artifacts] == ["chapter", "key-facts", "book"]
    assert seed_pdfs.report.diagnostics == []
    assert seed_pdfs.report.ok
    for artifact in seed_pdfs.report.artifacts:
        assert artifact.path.read_bytes().startswith(b"%PDF-1.7")
        assert len(PdfReader(artifact.path).pages) == artifact.pages


def test_key_facts_handout_is_exactly_one_page(seed_pdfs: Built, rich_pdfs: Built) -> None:
    for built in (seed_pdfs, rich_pdfs):
        for artifact in built.report.artifacts:
            if artifact.product == "key-facts":
                assert len(PdfReader(artifact.path).pages) == 1, artifact.path.name


def test_metadata_language_tags_and_pdf_ua(seed_pdfs: Built) -> None:
    reader = PdfReader(seed_pdfs.pdf(f"{SEED_ID}.pdf"))
    info = reader.metadata
    assert info is not None
    assert info["/Title"] == "Blastic Osseous Metastases"
    assert info["/Author"] == "Monograph Editorial Board"
    assert info["/CreationDate"] == info["/ModDate"] == "D:20260101000000Z"
    assert "blastic osseous metastases" in info["/Keywords"]
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-US"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert "<xmp:CreateDate>2026-01-01T00:00:00Z</xmp:CreateDate>" in xmp


def test_only_the_shipped_fonts_are_used_and_all_are_embedded(
    seed_pdfs: Built, rich_pdfs: Built
) -> None:
    shipped = r"[A-Z]{6}\+Monograph-(Sans|Serif|Symbols)[-A-Za-z]*"
    for pdf in [*seed_pdfs.out.glob("pdf/*.pdf"), *rich_pdfs.out.glob("pdf/*.pdf")]:
        fonts = pdftext.fonts(pdf)
        assert fonts, pdf.name
        for font in fonts:
            assert re.fullmatch(shipped, font.name), font
            whole = font.embedded and font.subset and font.unicode
            assert whole, f"{pdf.name}: font not embedded, subset and mapped to Unicode: {font}"


def _render(root: Path, name: str, paper: Paper = "a4", epoch: str | None = "0") -> bytes:
    """One document of the PDF products, rendered alone (the others are not laid out)."""
    book = load(root)
    given = RenderInput(book, build_stamp(book, epoch), [])
    documents = [d for product in PDF_PRODUCTS for d in product.documents(given)]
    [document] = [d for d in documents if d.name == name]
    return PdfWriter(paper, given.stamp.moment).render(document).data


# Byte identity across builds, clocks, time zones and locales is checked once for every
# product, by tests/orchestrate/test_build.py (tests/reproducible.py).


def test_without_source_date_epoch_the_date_comes_from_the_source(tmp_path: Path) -> None:
    pdf = tmp_path / "rich.pdf"
    pdf.write_bytes(_render(write_rich(tmp_path / "source"), "rich.pdf", epoch=None))
    assert PdfReader(pdf).metadata["/CreationDate"] == "D:20250630000000Z"  # last_reviewed
    assert "Built 2025-06-30" in text_of(pdf)


def test_source_date_epoch_is_printed_in_the_footer(seed_pdfs: Built) -> None:
    text = text_of(seed_pdfs.pdf(f"{SEED_ID}.pdf"))
    assert text.count("Version 0.1.0 · Built 2026-01-01") >= 2  # chapter head and footer
    assert "Page 1 of 2" in text


def test_outline_follows_the_headings(seed_pdfs: Built) -> None:
    chapter = _outline(PdfReader(seed_pdfs.pdf(f"{SEED_ID}.pdf")))
    assert chapter[:3] == [(0, "Blastic Osseous Metastases"), (1, "Key Facts"), (1, "Terminology")]
    assert (2, "General Features") in chapter and (2, "MR Findings") in chapter
    book = _outline(PdfReader(seed_pdfs.pdf("spine-metastases.pdf")))
    assert [title for depth, title in book if depth == 0] == [
        "Contents",
        "Blastic Osseous Metastases",
    ]


def test_book_has_title_page_contents_and_chapter(seed_pdfs: Built) -> None:
    reader = PdfReader(seed_pdfs.pdf("spine-metastases.pdf"))
    title_page = " ".join(reader.pages[0].extract_text().split())
    assert "Imaging of Spinal Metastases" in title_page
    assert "Edited by Monograph Editorial Board" in title_page
    assert "CC-BY-NC-SA-4.0" in title_page
    # In reading order (the structure tree): the item's number (its Lbl), the linked title,
    # then the page number, which is outside the link.
    contents = reading_text_of(seed_pdfs.pdf("spine-metastases.pdf"))
    assert "CONTENTS1. Blastic Osseous Metastases3IMAGING" in contents, contents[:400]


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_paper_size(tmp_path: Path, paper: Paper, size: tuple[int, int]) -> None:
    data = _render(write_rich(tmp_path / "source"), "plain.pdf", paper)
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_files_are_replaced_whole_and_no_temporary_file_remains(rich_pdfs: Built) -> None:
    leftovers = [p.name for p in (rich_pdfs.out / "pdf").iterdir() if p.name.startswith(".")]
    assert leftovers == []
    # The stand-in 40 × 30 image prints at 11 dpi, one warning for the build (P111).
    assert [d.code for d in rich_pdfs.report.diagnostics] == ["P111"]
