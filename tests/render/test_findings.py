"""Render findings P101–P105: each is located at the source line an editor would change."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

import pipeline.render.pdf
from pipeline.diagnostics import RENDERING, Diagnostic, Severity
from pipeline.model import Marker, Span
from pipeline.model.inline import Citation, FigRef
from pipeline.render.fetcher import Fetcher, RefusedFetchError
from pipeline.render.glyphs import missing_glyphs
from pipeline.render.inline import InlineRenderer
from pipeline.render.pdf import Document, PdfWriter
from pipeline.render.plan import plan_chapter
from pipeline.render.products import PDF_PRODUCTS, ChapterHandout, KeyFactsHandout, RenderInput
from pipeline.render.stamp import build_stamp
from tests.helpers import SOURCE, STUB, build
from tests.render.conftest import PLAIN_CHAPTER, RICH_CHAPTER, load, write_rich

SPAN = Span(path="chapters/rich.md", line=7, column=3)


def _codes(report: list[Diagnostic]) -> list[str]:
    return [d.code for d in report]


def test_catalogue_codes_are_unique_and_documented() -> None:
    codes = [c.code for c in RENDERING]
    assert codes == sorted(set(codes)) and all(c.startswith("P") for c in codes)
    assert all(c.name and c.summary and c.hint for c in RENDERING)


def test_missing_glyph_is_reported_at_its_bullet(tmp_path: Path) -> None:
    chapter = PLAIN_CHAPTER.replace("A single plain finding", "Bone 骨 finding")
    root = write_rich(tmp_path / "source", **{"chapters/plain.md": chapter})
    found = missing_glyphs(load(root))
    assert [(d.code, d.span.path, d.span.line) for d in found] == [
        ("P101", "chapters/plain.md", 12)
    ]
    assert "'骨' (U+9AA8 CJK UNIFIED IDEOGRAPH-9AA8)" in found[0].message


def test_the_build_reports_a_missing_glyph_before_rendering(tmp_path: Path) -> None:
    # The real command line on the seed (clean of lint errors), renderers as stand-ins: the
    # check runs on the model, so the finding needs no PDF.
    shutil.copytree(SOURCE, tmp_path / "source")
    chapter = tmp_path / "source" / "chapters" / "blastic-osseous-metastases.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text.replace("- Several osteoblastic lesions", "- Several 骨 osteoblastic lesions", 1)
    )
    line = 1 + chapter.read_text(encoding="utf-8").split("骨")[0].count("\n")
    done = build(tmp_path / "source", tmp_path / "out", formats=("pdf",), module=STUB)
    assert done.run.returncode == 1, done.run.stdout + done.run.stderr
    found = {(d.code, d.span.path, d.span.line) for d in done.diagnostics}
    assert ("P101", "chapters/blastic-osseous-metastases.md", line) in found, done.run.stdout


def test_glyphs_of_figures_references_and_titles_are_checked(tmp_path: Path) -> None:
    chapter = RICH_CHAPTER.replace("title: Cited second", "title: Cited second 骨")
    chapter = chapter.replace("alt: Coronal radiograph", "alt: Coronal 骨 radiograph")
    root = write_rich(tmp_path / "source", **{"chapters/rich.md": chapter})
    lines = sorted(d.span.line for d in missing_glyphs(load(root)))
    assert lines == [33, 47]  # the figure's and the reference's entries


def test_key_facts_overflow_names_the_chapter_and_lays_out_every_page(tmp_path: Path) -> None:
    many = "".join(f"- Finding number {n} with enough words to fill a line\n" for n in range(90))
    chapter = PLAIN_CHAPTER.replace("- A single plain finding\n", many)
    root = write_rich(tmp_path / "source", **{"chapters/plain.md": chapter})
    book = load(root)
    given = RenderInput(book, build_stamp(book, "0"), []).only("plain")
    [document] = KeyFactsHandout().documents(given)  # only the product under test
    rendered = PdfWriter().render(document)
    [overflow] = [d for d in rendered.diagnostics if d.code == "P102"]
    assert overflow.severity is Severity.ERROR
    assert (overflow.span.path, overflow.span.line) == ("chapters/plain.md", 8)  # # Key Facts
    assert "chapter 'plain'" in overflow.message and "must fit on 1" in overflow.message
    assert rendered.pages > 1 and len(PdfReader(io.BytesIO(rendered.data)).pages) == rendered.pages


def test_weasyprint_accessibility_errors_become_findings(tmp_path: Path) -> None:
    figure = load(write_rich(tmp_path / "source")).chapters[0].figures[0]
    assert figure.image is not None
    image = Path(figure.image.location).as_uri()
    html = f'<html><body><p>x</p><img src="{image}"></body></html>'
    document = Document("t.pdf", html, Span(path="book.yaml", line=1), figures={image: figure})
    result = PdfWriter().render(document)
    assert _codes(result.diagnostics) == ["P103", "P103"]
    assert sorted('"lang"' in d.message for d in result.diagnostics) == [False, True]
    html = html.replace("<html>", '<html lang="en">')
    document = Document("t.pdf", html, Span(path="x", line=1), figures={image: figure})
    result = PdfWriter().render(document)
    [found] = result.diagnostics
    assert found.code == "P103" and found.span == figure.span and "alt" in found.message


def test_refused_fetches_are_reported_and_nothing_outside_is_read(tmp_path: Path) -> None:
    root = write_rich(tmp_path / "source")
    secret = tmp_path / "secret.png"
    secret.write_bytes((root / "figures" / "real.png").read_bytes())
    (root / "figures" / "link.png").symlink_to(secret)
    urls = [
        secret.as_uri(),
        (root / "figures" / "link.png").as_uri(),
        "https://example.org/x.png",
        "data:image/png;base64,iVBORw0KGgo=",
    ]
    images = "".join(f'<img alt="a" src="{u}">' for u in urls)
    html = f'<html lang="en"><body>{images}</body></html>'
    document = Document("t.pdf", html, Span(path="b", line=1))
    result = PdfWriter().render(document)
    assert _codes(result.diagnostics) == ["P104"] * 4
    assert all(d.span == document.span for d in result.diagnostics)
    assert all(u in d.message for u, d in zip(urls, result.diagnostics, strict=True))


def test_fetcher_serves_checked_images_and_assets_only(tmp_path: Path) -> None:
    root = write_rich(tmp_path / "source")
    (root / "figures" / "other.png").write_bytes((root / "figures" / "real.png").read_bytes())
    figure = load(root).chapters[0].figures[0]
    assert figure.image is not None
    address = Path(figure.image.location).as_uri()
    fetcher = Fetcher({address: figure})
    response = fetcher.fetch(address)
    assert response.read() == figure.image.data and response.content_type == "image/png"
    css = Path(pipeline.render.pdf.__file__).parent / "css" / "print.css"
    assert fetcher.fetch(css.as_uri()).read() == css.read_bytes()
    refused = [
        (root / "figures" / "other.png").as_uri(),  # in the tree, but no figure checked it
        (root / "book.yaml").as_uri(),
        (root / "figures" / ".." / "book.yaml").as_uri(),
        "file://otherhost" + str(root / "figures" / "real.png"),
        (css.parent / ".." / "pdf.py").as_uri(),  # beside the assets, not in them
    ]
    for url in refused:
        with pytest.raises(RefusedFetchError):
            fetcher.fetch(url)
    assert fetcher.refused == refused


def test_a_checked_image_changed_after_validation_is_printed_as_checked(tmp_path: Path) -> None:
    """The renderer never opens a figure's file: it prints the bytes validation checked."""
    root = write_rich(tmp_path / "source")
    book = load(root)
    given = RenderInput(book, build_stamp(book, "0"), [])
    [document] = [d for d in ChapterHandout().documents(given) if d.name == "rich.pdf"]
    before = PdfWriter().render(document)
    Image.new("RGB", (23, 17), "red").save(root / "figures" / "real.png")  # after validation
    after = PdfWriter().render(document)
    assert after.diagnostics == before.diagnostics and after.data == before.data


def test_a_node_the_renderer_cannot_show_is_reported_not_dropped(tmp_path: Path) -> None:
    root = write_rich(tmp_path / "source")
    book = load(root)
    report: list[Diagnostic] = []
    render = InlineRenderer(plan_chapter(book.chapters[0]), report)
    html = render(
        [
            Marker(span=SPAN, kind="star"),
            Citation(span=SPAN, keys=["nobody"]),
            FigRef(span=SPAN, id="fig-nothing"),
        ]
    )
    assert str(html) == '[star]<span class="cite">[?]</span>fig-nothing'
    assert _codes(report) == ["P105", "P105", "P105"]
    assert all(d.span == SPAN for d in report)


def test_the_stylesheets_give_weasyprint_nothing_to_warn_about(tmp_path: Path) -> None:
    root = write_rich(tmp_path / "source")
    book = load(root)
    given = RenderInput(book, build_stamp(book, "0"), [])
    writer = PdfWriter("letter")
    for product in PDF_PRODUCTS:
        for document in product.documents(given):
            rendered = writer.render(document)
            assert rendered.warnings == [], document.name
            # Only the stand-in 40 × 30 image printed a column wide (P111, 11 dpi): the tree's.
            assert {d.code for d in rendered.diagnostics} <= {"P111"}, document.name
    assert given.report == []
