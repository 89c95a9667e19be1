"""The EPUB checked structurally: package, metadata, navigation, chapters, accessibility, bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

from PIL import Image

from pipeline.render.cover import COVER_SIZE
from pipeline.render.epub import IDENTIFIER_NAMESPACE, repack
from pipeline.validate import validate_source
from tests.helpers import REPO
from tests.render.conftest import load, write_rich
from tests.render.epub_books import (
    NS,
    PLAIN_WITH_IMAGE,
    BuiltEpub,
    render_epub,
    write_epub_book,
    zip_of,
)

SEED_CHAPTER = "01-blastic-osseous-metastases.xhtml"


def _ids(built: BuiltEpub, name: str) -> set[str]:
    return {el.get("id") for el in built.xml(name).iter() if el.get("id")}


def _text(element: object) -> str:
    return " ".join("".join(element.itertext()).split())  # type: ignore[attr-defined]


# The package


def test_seed_package_holds_one_document_per_chapter_and_the_front_matter(
    seed_epub: BuiltEpub,
) -> None:
    assert seed_epub.path == seed_epub.path.parent.parent / "epub" / "spine-metastases.epub"
    assert seed_epub.names() == [
        "mimetype",
        f"EPUB/{SEED_CHAPTER}",
        "EPUB/content.opf",
        "EPUB/cover.xhtml",
        "EPUB/css/epub.css",
        "EPUB/images/cover.png",
        "EPUB/nav.xhtml",
        "EPUB/title.xhtml",
        "EPUB/toc.ncx",
        "META-INF/container.xml",
    ]
    assert seed_epub.report.diagnostics == [] and seed_epub.report.ok


def test_mimetype_comes_first_stored_and_every_entry_has_the_stamp(rich_epub: BuiltEpub) -> None:
    data = rich_epub.path.read_bytes()
    assert data[30:38] == b"mimetype" and data[38:58] == b"application/epub+zip"
    with zipfile.ZipFile(rich_epub.path) as archive:
        infos = archive.infolist()
    assert infos[0].compress_type == zipfile.ZIP_STORED and infos[0].extra == b""
    assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in infos[1:])
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
    assert {i.date_time for i in infos} == {(2026, 1, 1, 0, 0, 0)}


def test_spine_reads_cover_title_contents_then_chapters_in_book_order(rich_epub: BuiltEpub) -> None:
    opf = rich_epub.opf()
    hrefs = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:manifest/opf:item", NS)}
    spine = [hrefs[ref.get("idref")] for ref in opf.iterfind(".//opf:spine/opf:itemref", NS)]
    assert spine == ["cover.xhtml", "title.xhtml", "nav.xhtml", "01-rich.xhtml", "02-plain.xhtml"]
    assert opf.find(".//opf:spine", NS).get("toc") == "ncx"


def test_repack_sorts_entries_and_fixes_their_timestamps() -> None:
    shuffled = zip_of({"b.txt": b"b", "mimetype": b"application/epub+zip", "a.txt": b"a"})
    moment = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    with zipfile.ZipFile(io.BytesIO(repack(shuffled, moment))) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == ["mimetype", "a.txt", "b.txt"]
    assert {i.date_time for i in infos} == {(2024, 5, 6, 7, 8, 8)}  # zip keeps even seconds
    early = repack(shuffled, dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    assert zipfile.ZipFile(io.BytesIO(early)).infolist()[0].date_time[0] == 1980


# Metadata


def test_metadata_comes_from_book_yaml_and_the_stamp(
    seed_epub: BuiltEpub, rich_epub: BuiltEpub
) -> None:
    opf = seed_epub.opf()
    derived = f"urn:uuid:{uuid.uuid5(IDENTIFIER_NAMESPACE, 'spine-metastases')}"
    assert opf.findtext(".//dc:identifier", namespaces=NS) == derived
    assert opf.get("unique-identifier") == opf.find(".//dc:identifier", NS).get("id")
    titles = [t.text for t in opf.iterfind(".//dc:title", NS)]
    assert titles == ["Imaging of Spinal Metastases", "A radiology teaching monograph"]
    assert opf.findtext(".//dc:creator", namespaces=NS) == "Monograph Editorial Board"
    assert seed_epub.meta("role") == ["edt"]
    assert opf.findtext(".//dc:publisher", namespaces=NS) == "Monograph Editorial Board"
    assert opf.findtext(".//dc:rights", namespaces=NS) == "CC-BY-NC-SA-4.0"
    assert seed_epub.meta("dcterms:modified") == ["2026-01-01T00:00:00Z"]
    assert rich_epub.meta("role") == ["aut"]
    assert rich_epub.opf().findtext(".//dc:creator", namespaces=NS) == "Ada Author"


def test_dc_language_is_book_yaml_language_everywhere(
    seed_epub: BuiltEpub, rich_epub: BuiltEpub
) -> None:
    for built, language in ((seed_epub, "en-US"), (rich_epub, "en-GB")):
        assert [el.text for el in built.opf().iterfind(".//dc:language", NS)] == [language]
        for name in built.names():
            if name.endswith(".xhtml"):
                root = built.xml(name)
                lang = root.get("{http://www.w3.org/XML/1998/namespace}lang")
                assert (root.get("lang"), lang) == (language, language), name


def test_identifier_from_book_yaml_wins_and_is_the_ncx_uid(tmp_path: Path) -> None:
    root = write_rich(tmp_path / "source")
    yaml = (root / "book.yaml").read_text()
    (root / "book.yaml").write_text(yaml + "identifier: urn:isbn:9780306406157\n")
    built = render_epub(root, tmp_path / "out")
    assert built.opf().findtext(".//dc:identifier", namespaces=NS) == "urn:isbn:9780306406157"
    uid = built.xml("toc.ncx").find(".//ncx:meta[@name='dtb:uid']", NS).get("content")
    assert uid == "urn:isbn:9780306406157"


def test_without_source_date_epoch_the_moment_comes_from_the_source(tmp_path: Path) -> None:
    built = render_epub(write_rich(tmp_path / "source"), tmp_path / "out", epoch=None)
    assert built.meta("dcterms:modified") == ["2025-06-30T00:00:00Z"]  # rich's last_reviewed


# Navigation


def test_nav_lists_every_chapter_and_section_in_order(rich_epub: BuiltEpub) -> None:
    nav = rich_epub.xml("nav.xhtml").find(".//x:nav[@epub:type='toc']", NS)
    chapters = nav.findall("x:ol/x:li", NS)
    assert [_text(li.find("x:a", NS)) for li in chapters] == ["1 Rich Disease", "2 Plain Disease"]
    for li, chapter in zip(chapters, rich_epub.book.chapters, strict=True):
        entries = [_text(a) for a in li.findall("x:ol/x:li/x:a", NS)]
        sections = [s.title for s in chapter.sections]
        added = {"rich": ["Further Figures", "Selected References"], "plain": []}[chapter.id]
        assert entries == [*sections, *added]
    for a in nav.iterfind(".//x:a", NS):  # every entry leads to an element that exists
        file, _, fragment = a.get("href").partition("#")
        assert not fragment or fragment in _ids(rich_epub, file), a.get("href")


def test_landmarks_and_ncx_follow_the_same_order(rich_epub: BuiltEpub) -> None:
    landmarks = rich_epub.xml("nav.xhtml").find(".//x:nav[@epub:type='landmarks']", NS)
    kinds = [a.get("{http://www.idpf.org/2007/ops}type") for a in landmarks.iterfind(".//x:a", NS)]
    assert kinds == ["cover", "titlepage", "toc", "bodymatter"]
    toc = [_text(a) for a in rich_epub.xml("nav.xhtml").iterfind(".//x:nav[@id='toc']//x:a", NS)]
    ncx = [_text(t) for t in rich_epub.xml("toc.ncx").iterfind(".//ncx:navLabel/ncx:text", NS)]
    assert ncx == toc


# Chapters


def test_chapter_prints_every_heading_label_and_bullet(seed_epub: BuiltEpub) -> None:
    text = _text(seed_epub.xml(SEED_CHAPTER).find(".//x:body", NS))
    for expected in (
        "Blastic Osseous Metastases",
        "Key Facts",
        "Top Differential Diagnoses",
        "General Features",
        "Best diagnostic clue",
        "CT myelography",
        "T1WI C+",
        "Kept for patients who cannot undergo MR",
        "lumbar deposits are 3× as common as cervical ones",
        "Version 0.1.0 · Built 2026-01-01",
    ):
        assert expected in text, expected


def test_draft_figures_are_placeholders_in_words(seed_epub: BuiltEpub) -> None:
    figures = seed_epub.xml(SEED_CHAPTER).findall(".//x:figure", NS)
    assert len(figures) == 4 and not seed_epub.xml(SEED_CHAPTER).findall(".//x:img", NS)
    nect = next(f for f in figures if f.get("id").endswith("fig-nect-vertebral-sclerosis"))
    assert _text(nect.find(".//x:p[@class='placeholder-kind']", NS)) == (
        "Image pending · CT · axial · NECT"
    )
    assert "Axial CT of a vertebra whose left half is filled with dense bone." in _text(nect)
    assert _text(nect.find(".//x:span[@class='legend']", NS)) == "Markers: → arrow."
    assert _text(nect.find(".//x:figcaption", NS)).startswith("Figure 1.3 Axial NECT")


def test_images_carry_alt_text_and_long_descriptions(rich_epub: BuiltEpub) -> None:
    for name, figure_id, source in (
        ("01-rich.xhtml", "rich-fig-real-image", "real.png"),
        ("02-plain.xhtml", "plain-fig-scan", "scan.jpg"),
    ):
        figure = rich_epub.xml(name).find(f".//x:figure[@id='{figure_id}']", NS)
        img = figure.find(".//x:img", NS)
        model = next(
            f for c in rich_epub.book.chapters for f in c.figures if figure_id.endswith(f.id)
        )
        told = " ".join(
            f"{a.marker.replace('-', ' ').capitalize()}: {a.shows}." for a in model.annotations
        )
        assert img.get("alt") == f"{model.alt} {told}".strip()  # what each marker points at
        described = figure.find(f".//*[@id='{img.get('aria-describedby')}']", NS)
        assert model.long_description in _text(described)
        assert rich_epub.read(img.get("src")) == (rich_epub.root / "figures" / source).read_bytes()
    media = {
        i.get("href"): i.get("media-type") for i in rich_epub.opf().iterfind(".//opf:item", NS)
    }
    assert media["images/plain-fig-scan.jpg"] == "image/jpeg"
    assert media["images/rich-fig-real-image.png"] == "image/png"


def test_annotations_lie_over_the_image_as_vectors_hidden_from_readers(
    rich_epub: BuiltEpub,
) -> None:
    figure = rich_epub.xml("01-rich.xhtml").find(".//x:figure[@id='rich-fig-real-image']", NS)
    wrapper = figure.find("x:span[@class='annotated']", NS)
    img, overlay = list(wrapper)
    assert img.tag == f"{{{NS['x']}}}img" and overlay.tag == "{http://www.w3.org/2000/svg}svg"
    assert overlay.get("aria-hidden") == "true" and overlay.get("viewBox") == "0 0 40 30"
    assert len(overlay.findall(".//{http://www.w3.org/2000/svg}path")) >= 5  # five markers
    assert "Arrow: the upper left corner." in img.get("alt")
    assert rich_epub.read(img.get("src")) == (rich_epub.root / "figures" / "real.png").read_bytes()
    chapter = next(i for i in rich_epub.opf().iterfind(".//opf:item", NS)
                   if i.get("href") == "01-rich.xhtml")  # fmt: skip
    assert "svg" in chapter.get("properties", "").split()


def test_differential_table_has_column_and_row_headers(rich_epub: BuiltEpub) -> None:
    table = rich_epub.xml("01-rich.xhtml").find(".//x:table", NS)
    head = [(th.get("scope"), _text(th)) for th in table.iterfind("x:thead//x:th", NS)]
    assert head == [("col", "Diagnosis"), ("col", "Distinguishing features")]
    rows = table.findall("x:tbody/x:tr", NS)
    assert [(r[0].tag.split("}")[1], r[0].get("scope")) for r in rows] == [("th", "row")] * 3
    assert [_text(r[0]) for r in rows] == ["Plain disease", "Focal fat", "Third Thing"]
    assert _text(rows[0][1]) == "No enhancement Smaller lesions"
    label = rich_epub.xml("01-rich.xhtml").find(f".//*[@id='{table.get('aria-labelledby')}']", NS)
    assert _text(label) == "Top Differential Diagnoses"


def test_citations_and_figure_references_link_inside_the_chapter(rich_epub: BuiltEpub) -> None:
    chapter = rich_epub.xml("01-rich.xhtml")
    ids = _ids(rich_epub, "01-rich.xhtml")
    internal = [
        a.get("href")[1:] for a in chapter.iterfind(".//x:a", NS) if a.get("href")[0] == "#"
    ]
    assert internal and set(internal) <= ids
    cites = [_text(s) for s in chapter.iterfind(".//x:span[@class='cite']", NS)]
    assert cites == ["[1]", "[2]", "[2, 1]", "[3]"]
    refs = chapter.findall(".//x:ol[@class='reference-list']/x:li", NS)
    assert [li.get("id") for li in refs] == [f"rich-ref-{n}" for n in range(1, 5)]
    links = [a.get("href") for a in refs[0].iterfind("x:a", NS)]
    assert links == [
        "https://doi.org/10.5555/early.2020",
        "https://pubmed.ncbi.nlm.nih.gov/12345678/",
    ]
    figrefs = [_text(a) for a in chapter.iterfind(".//x:a[@class='figref']", NS)]
    assert figrefs == ["Figure 1.1", "Figure 1.2"]


def test_report_maps_an_xhtml_line_back_to_the_source(rich_epub: BuiltEpub) -> None:
    lines = rich_epub.read("01-rich.xhtml").decode().splitlines()
    at = next(n for n, line in enumerate(lines, 1) if 'id="rich-fig-caption-only"' in line)
    span = rich_epub.report.locate("EPUB/01-rich.xhtml", at + 2)
    figure = rich_epub.book.chapters[0].figures[1]
    assert span == figure.span and span.path == "chapters/rich.md"
    assert rich_epub.report.locate("EPUB/nav.xhtml", 3) is None


# Cover and title page


def test_cover_is_drawn_from_the_metadata_and_described(seed_epub: BuiltEpub) -> None:
    with Image.open(io.BytesIO(seed_epub.read("images/cover.png"))) as image:
        assert (image.format, image.size) == ("PNG", COVER_SIZE)
    item = seed_epub.opf().find(".//opf:item[@href='images/cover.png']", NS)
    assert item.get("properties") == "cover-image"
    alt = seed_epub.xml("cover.xhtml").find(".//x:img", NS).get("alt")
    assert alt == "Cover: Imaging of Spinal Metastases. A radiology teaching monograph. " + (
        "Monograph Editorial Board."
    )
    title = _text(seed_epub.xml("title.xhtml").find(".//x:body", NS))
    assert "Edited by Monograph Editorial Board" in title and "Licence: CC-BY-NC-SA-4.0" in title


# Accessibility metadata follows the content


FEATURES = ["tableOfContents", "readingOrder", "structuralNavigation", "displayTransformability"]
CLAIM = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def test_accessibility_of_a_book_without_image_files(seed_epub: BuiltEpub) -> None:
    assert seed_epub.meta("schema:accessMode") == ["textual"]
    assert seed_epub.meta("schema:accessModeSufficient") == ["textual"]
    assert seed_epub.meta("schema:accessibilityFeature") == [*FEATURES, "alternativeText"]
    assert seed_epub.meta("schema:accessibilityHazard") == ["none"]
    assert seed_epub.meta("dcterms:conformsTo") == [CLAIM]
    assert seed_epub.meta("a11y:certifiedBy") == ["Monograph Editorial Board"]
    summary = seed_epub.meta("schema:accessibilitySummary")[0]
    assert "Every figure has alternative text" in summary and CLAIM in summary


def test_accessibility_of_a_book_with_described_images(rich_epub: BuiltEpub) -> None:
    assert rich_epub.meta("schema:accessMode") == ["textual", "visual"]
    assert rich_epub.meta("schema:accessModeSufficient") == ["textual", "textual,visual"]
    assert rich_epub.meta("schema:accessibilityFeature") == [
        *FEATURES, "alternativeText", "longDescription",
    ]  # fmt: skip
    assert rich_epub.meta("dcterms:conformsTo") == [CLAIM]


def test_an_image_without_a_long_description_drops_long_description(tmp_path: Path) -> None:
    plain = PLAIN_WITH_IMAGE.replace(
        "    long_description: A near-black rectangle, 60 by 40 pixels, with no structure in it.\n",
        "",
    )
    built = render_epub(
        write_epub_book(tmp_path / "source", **{"chapters/plain.md": plain}), tmp_path
    )
    assert built.meta("schema:accessibilityFeature") == [*FEATURES, "alternativeText"]
    assert built.meta("schema:accessModeSufficient") == ["textual,visual"]
    assert built.meta("dcterms:conformsTo") == [CLAIM]  # alt text is enough for the claim


def test_a_source_without_alt_text_is_not_built(tmp_path: Path) -> None:
    plain = PLAIN_WITH_IMAGE.replace(
        "    alt: A dark test rectangle standing in for a sagittal MR image.\n", ""
    )
    root = write_epub_book(tmp_path / "source", **{"chapters/plain.md": plain})
    result = validate_source(root)
    assert result.book is None
    errors = [
        (d.code, d.span.path, d.span.line) for d in result.diagnostics if d.severity == "error"
    ]
    assert errors == [("V101", "chapters/plain.md", 7)]  # the figure's entry


def test_a_figure_without_alt_text_drops_the_claims_and_is_an_error(
    rich_epub: BuiltEpub, tmp_path: Path
) -> None:
    chapter = rich_epub.book.chapters[1]
    figure = chapter.figures[0].model_copy(update={"alt": ""})
    chapters = [rich_epub.book.chapters[0], chapter.model_copy(update={"figures": [figure]})]
    book = rich_epub.book.model_copy(update={"chapters": chapters})
    built = render_epub(rich_epub.root, tmp_path, book=book)
    assert [(d.code, d.span) for d in built.report.diagnostics] == [("P106", figure.span)]
    assert not built.report.ok and built.path.is_file()
    assert built.meta("schema:accessibilityFeature") == [*FEATURES, "longDescription"]
    assert built.meta("schema:accessModeSufficient") == ["textual,visual"]
    assert built.meta("dcterms:conformsTo") == [] and built.meta("a11y:certifiedBy") == []
    summary = built.meta("schema:accessibilitySummary")[0]
    assert "1 figure(s) lack alternative text" in summary
    assert "No accessibility conformance is claimed" in summary


def _figure_images(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.startswith("EPUB/images/")]
        return {n: archive.read(n) for n in names if "cover" not in n}


def test_an_image_changed_or_removed_after_validation_goes_in_as_checked(
    rich_epub: BuiltEpub, tmp_path: Path
) -> None:
    """The renderer never opens a figure's file again: it packs the bytes validation checked."""
    root = tmp_path / "source"
    shutil.copytree(rich_epub.root, root)
    book = load(root)
    (root / "figures" / "real.png").write_bytes((root / "figures" / "real.png").read_bytes() + b"x")
    built = render_epub(root, tmp_path / "changed", book=book)
    assert built.report.diagnostics == []
    assert _figure_images(built.path) == _figure_images(rich_epub.path)
    (root / "figures" / "real.png").unlink()
    built = render_epub(root, tmp_path / "removed", book=book)
    assert built.report.diagnostics == []
    assert _figure_images(built.path) == _figure_images(rich_epub.path)


# Reproducible bytes


BUILD_SCRIPT = """
import sys, time
from pathlib import Path
if sys.argv[3] == "late-clock":
    time.time = lambda: 4102444800.0  # the year 2100: zip times would show it if read
from pipeline.validate import validate_source
from pipeline.render.epub import EpubRenderer
from pipeline.render.stamp import build_stamp
book = validate_source(Path(sys.argv[1])).book
data = EpubRenderer(book, build_stamp(book, "1767225600")).render()
Path(sys.argv[2]).mkdir(parents=True)
(Path(sys.argv[2]) / "book.epub").write_bytes(data)
"""


def _build_in(env: dict[str, str], root: Path, out: Path, clock: str) -> bytes:
    environ = {**os.environ, **env, "PYTHONPATH": str(REPO)}
    environ.pop("SOURCE_DATE_EPOCH", None)
    args = [sys.executable, "-c", BUILD_SCRIPT, str(root), str(out), clock]
    subprocess.run(args, env=environ, cwd=REPO, check=True, capture_output=True)
    return (out / "book.epub").read_bytes()


def test_two_builds_under_different_tz_lang_and_clock_are_byte_identical(tmp_path: Path) -> None:
    root = write_epub_book(tmp_path / "source")
    one = _build_in({"TZ": "Pacific/Kiritimati", "LANG": "de_DE.UTF-8"}, root, tmp_path / "a", "")
    two = _build_in(
        {"TZ": "America/Los_Angeles", "LANG": "C", "LC_ALL": "C"},
        root,
        tmp_path / "b",
        "late-clock",
    )
    assert one == two
    assert hashlib.sha256(one).hexdigest() == hashlib.sha256(two).hexdigest()


def test_the_file_is_replaced_whole(rich_epub: BuiltEpub, tmp_path: Path) -> None:
    first = render_epub(rich_epub.root, tmp_path)
    second = render_epub(rich_epub.root, tmp_path)
    assert first.path.read_bytes() == second.path.read_bytes()
    assert [p.name for p in first.path.parent.iterdir()] == ["rich-book.epub"]
