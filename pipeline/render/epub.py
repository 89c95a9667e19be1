"""The book as one EPUB 3: a cover, a title page, a navigation document, a file per chapter.

``EpubRenderer`` reuses the shared HTML pieces (``html.py``, ``inline.py``, ``plan.py``,
``macros.html.j2``) through its own XHTML templates (``templates/epub-*.xhtml.j2``) and one
reflowable stylesheet (``css/epub.css``). EbookLib writes the package document (OPF), the NCX
and the container; the zip is then written again here so the bytes never depend on the clock,
the time zone or the locale: entries sorted, ``mimetype`` first and stored, every timestamp the
build's stamp. Accessibility metadata is computed from the content, never claimed by default.

Images are sized for screens: one larger than ``SCREEN_PIXELS`` on its long side is scaled
down to it (``screen_sized``), so no reader downloads a 4,000-pixel original to look at it on
a phone. Smaller images go in as validation checked them, byte for byte.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import uuid
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ebooklib import epub  # type: ignore[import-untyped]
from lxml import etree  # type: ignore[import-untyped]
from markupsafe import Markup
from PIL import Image, ImageOps

from pipeline.diagnostics import Diagnostic, finding, has_errors, ordered
from pipeline.model import Book, Chapter, ImageFile, Section, Span, Subsection
from pipeline.model.skeleton import KEY_FACTS, TOP_DIFFERENTIALS
from pipeline.render.annotate import overlay_inline
from pipeline.render.cover import cover_alt, draw_cover
from pipeline.render.gate import ASSETS, asset_file
from pipeline.render.html import GENERATOR, ChapterView, render_template
from pipeline.render.inline import InlineRenderer
from pipeline.render.plan import END, FigureView, plan_chapter
from pipeline.render.stamp import Stamp

PACKAGE_DIR = "EPUB"
"""The folder inside the zip that holds the package (EbookLib's name for it)."""
IDENTIFIER_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:x-monograph-pipeline:book")
"""``urn:uuid:`` identifiers are uuid5(this, book id) unless book.yaml gives ``identifier``."""
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
CORE_IMAGES = {"PNG": (".png", "image/png"), "JPEG": (".jpg", "image/jpeg"),
               "GIF": (".gif", "image/gif"), "WEBP": (".webp", "image/webp")}  # fmt: skip
"""Image formats (as Pillow names them) every EPUB 3 reading system shows: suffix, type."""
SCREEN_PIXELS = 1600
"""The long side, in pixels, of the largest image the EPUB carries; larger ones are scaled."""
SCALED_AS: dict[str, tuple[str, dict[str, int]]] = {
    "PNG": ("PNG", {}),
    "GIF": ("PNG", {}),
    "JPEG": ("JPEG", {"quality": 90}),
    "WEBP": ("WEBP", {"quality": 90}),
}
"""The format (and Pillow's options) an image scaled for screens is written in, by its own."""
XHTML = "application/xhtml+xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NCX_NS = {"ncx": "http://www.daisy.org/z3986/2005/ncx/"}
_EBOOKLIB = ".".join(str(n) for n in epub.VERSION)


@dataclass
class EpubReport:
    """Every finding of rendering an EPUB, and where each XHTML element came from."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    places: dict[str, list[tuple[int, Span]]] = field(default_factory=dict)
    """For each XHTML file of the zip, (line, span) where a section, figure or reference starts."""

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return not has_errors(self.diagnostics)

    def locate(self, path: str, line: int) -> Span | None:
        """The source span of the element around ``line`` of ``path`` (an epubcheck location)."""
        before = [span for start, span in self.places.get(path, []) if start <= line]
        return before[-1] if before else None


@dataclass(frozen=True)
class Part:
    """One file of the package: where it goes (relative to ``EPUB/``) and what it holds."""

    uid: str
    href: str
    media_type: str
    data: bytes
    properties: tuple[str, ...] = ()


@dataclass(frozen=True)
class Picture:
    """A figure's image as packaged, and whether it moves (an animated GIF, WebP or PNG)."""

    href: str
    part: Part
    animated: bool
    overlay: Markup | None = None
    """The inline SVG of its annotations, laid over the image (``annotate.overlay_inline``)."""


@dataclass(frozen=True)
class NavEntry:
    """One entry of the contents (nav and NCX): its title, the id it leads to, its children."""

    title: str
    fragment: str
    children: tuple[NavEntry, ...] = ()


@dataclass(frozen=True)
class ChapterDoc:
    """One chapter's XHTML document: its file name, its plan and the ids of what it prints."""

    view: ChapterView
    href: str
    titles: ClassVar[dict[str, str]] = {
        "further-figures": "Further Figures",
        "references": "Selected References",
    }
    """The sections the renderer adds after the chapter's own, by id suffix."""

    @property
    def chapter(self) -> Chapter:
        """The chapter itself."""
        return self.view.chapter

    def part_id(self, key: str) -> str:
        """The id of a section: a key of the chapter's (Key Facts included) or of ``titles``."""
        return f"{self.view.plan.prefix}-{key}"

    def section_id(self, section: Section) -> str:
        """The id of a section of the chapter."""
        return self.part_id(section.key)

    def sub_id(self, section: Section, sub: Subsection) -> str:
        """The id of a subsection."""
        return f"{self.section_id(section)}-{sub.key}"

    def entries(self) -> list[NavEntry]:
        """Every section the document prints, in reading order, with its subsections.

        The same outline as the PDF's bookmarks: sections, and the subsections of each but Key
        Facts (whose parts are a box, not a place to go).
        """
        plan = self.view.plan
        ordered_sections = sorted(self.chapter.sections, key=lambda s: s.key != KEY_FACTS)
        found = [
            NavEntry(s.title, self.section_id(s), self._subentries(s)) for s in ordered_sections
        ]
        added = {"further-figures": plan.placed.get(END), "references": plan.references}
        found += [NavEntry(self.titles[k], self.part_id(k)) for k, shown in added.items() if shown]
        return found

    def _subentries(self, section: Section) -> tuple[NavEntry, ...]:
        if section.key == KEY_FACTS:
            return ()
        return tuple(NavEntry(sub.title, self.sub_id(section, sub)) for sub in section.subsections)

    def spans(self) -> dict[str, Span]:
        """Every id the document prints that came from a place in the source."""
        plan, found = self.view.plan, {self.view.plan.prefix: self.chapter.span}
        for section in self.chapter.sections:
            found[self.section_id(section)] = section.span
            found.update({self.sub_id(section, sub): sub.span for sub in section.subsections})
        found.update({v.anchor: v.figure.span for v in plan.figures.values()})
        found.update({r.anchor: r.reference.span for r in plan.references})
        return found


@dataclass(frozen=True)
class Accessibility:
    """What the content offers a reader who cannot see or cannot use the images."""

    images: int
    """Figures shown as image files (placeholders are text)."""
    missing_alt: int
    described: bool
    """Every image has a long description."""
    animated: bool
    clean: bool
    """The render reported no error (an unrendered node, a refused or unreadable image)."""

    @property
    def conforms(self) -> bool:
        """The checks behind the EPUB Accessibility 1.1 claim all pass."""
        return self.missing_alt == 0 and self.clean

    def features(self) -> list[str]:
        """``schema:accessibilityFeature`` values that the content bears out."""
        found = [
            "tableOfContents",
            "readingOrder",
            "structuralNavigation",
            "displayTransformability",
        ]
        found += ["alternativeText"] if self.missing_alt == 0 else []
        return found + (["longDescription"] if self.images and self.described else [])

    def properties(self) -> list[tuple[str, str]]:
        """Every accessibility ``meta`` of the package document, as (property, value)."""
        rows = [("schema:accessMode", "textual")]
        rows += [("schema:accessMode", "visual")] if self.images else []
        if not self.images or (self.described and self.missing_alt == 0):
            rows.append(("schema:accessModeSufficient", "textual"))
        rows += [("schema:accessModeSufficient", "textual,visual")] if self.images else []
        rows += [("schema:accessibilityFeature", value) for value in self.features()]
        hazards = ["unknownFlashingHazard", "unknownMotionSimulationHazard", "noSoundHazard"]
        rows += [
            ("schema:accessibilityHazard", h) for h in (hazards if self.animated else ["none"])
        ]
        rows.append(("schema:accessibilitySummary", self.summary()))
        rows += [("dcterms:conformsTo", CONFORMANCE)] if self.conforms else []
        return rows

    def summary(self) -> str:
        """The ``accessibilitySummary``: what a reader can rely on, in plain words."""
        alt = (f"{self.missing_alt} figure(s) lack alternative text." if self.missing_alt else
               "Every figure has alternative text; a figure without an image file is described "
               "in words.")  # fmt: skip
        long = " Every image also has a long description." if self.images and self.described else ""
        claim = f"Meets {CONFORMANCE} by the publisher's automated checks." if self.conforms else (
            "No accessibility conformance is claimed.")  # fmt: skip
        return (
            "A table of contents and headings for every section give structured navigation; "
            "the reading order follows the chapters; differential diagnoses are numbered lists, "
            "or tables with row and column headers where they give features; the text reflows "
            "and takes the reader's fonts and colours. "
            f"{alt}{long} {claim}"
        )


class EpubRenderer:
    """Render a book as EPUB 3 bytes, with the findings of doing so (Sphinx-builder style)."""

    name: ClassVar[str] = "epub"
    format: ClassVar[str] = "epub"
    out_suffix: ClassVar[str] = ".epub"
    stylesheet: ClassVar[str] = "css/epub.css"
    templates: ClassVar[dict[str, str]] = {
        "cover": "epub-cover.xhtml.j2",
        "title": "epub-title.xhtml.j2",
        "nav": "epub-nav.xhtml.j2",
        "chapter": "epub-chapter.xhtml.j2",
    }
    front: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("cover", "cover.xhtml", "Cover"),
        ("title", "title.xhtml", "Title Page"),
        ("nav", "nav.xhtml", "Contents"),
    )
    """The front matter in reading order: (template, file, title)."""

    def __init__(self, book: Book, stamp: Stamp) -> None:
        self.book, self.stamp = book, stamp
        self.report: list[Diagnostic] = []
        self.places: dict[str, list[tuple[int, Span]]] = {}

    @property
    def identifier(self) -> str:
        """book.yaml's ``identifier``, else a urn:uuid derived from the book id."""
        derived = f"urn:uuid:{uuid.uuid5(IDENTIFIER_NAMESPACE, self.book.meta.id)}"
        return self.book.meta.identifier or derived

    @property
    def file_name(self) -> str:
        """``<book-id>.epub``."""
        return self.book.meta.id + self.out_suffix

    def findings(self) -> EpubReport:
        """What rendering found, ordered by place, and where each XHTML element came from."""
        return EpubReport(ordered(self.report), self.places)

    def render(self) -> bytes:
        """Return the EPUB's bytes; findings go to ``report``, locations to ``places``."""
        docs = self._chapter_docs()
        pictures = self._pictures(docs)
        chapters = [self._chapter(doc, pictures) for doc in docs]
        a11y = self._accessibility(docs, pictures)
        cover = self._cover_image()
        parts = [*self._front(docs, a11y), *chapters, cover, self._stylesheet()]
        parts += [picture.part for picture in pictures.values()]
        return repack(self._package(parts, docs, a11y), self.stamp.moment)

    def _chapter_docs(self) -> list[ChapterDoc]:
        docs = []
        for number, chapter in enumerate(self.book.chapters, start=1):
            plan = plan_chapter(chapter, self.book.bibliography, number_prefix=f"{number}.")
            view = ChapterView(plan, InlineRenderer(plan, self.report), number)
            docs.append(ChapterDoc(view, f"{number:02d}-{chapter.id}.xhtml"))
        return docs

    def _pictures(self, docs: list[ChapterDoc]) -> dict[str, Picture]:
        found = {}
        for doc in docs:
            for view in doc.view.plan.figures.values():
                picture = self._picture(view, view.figure.image) if view.figure.image else None
                if picture is not None:
                    found[view.anchor] = picture
        return found

    def _picture(self, view: FigureView, image: ImageFile) -> Picture | None:
        data, span = image.data, view.figure.span  # the bytes validation checked: no file read
        try:
            kind, animated = _inspect(data)
            if not animated:  # an animation goes in as it is (see ``screen_sized``)
                kind, data = screen_sized(kind, data)
        except (OSError, ValueError, SyntaxError) as err:  # SyntaxError: Pillow's "broken PNG"
            message = f"cannot put '{view.figure.image_path}' in the EPUB: {err}"
            self.report.append(finding("P107", span, message))
            return None
        href = f"images/{view.anchor}{CORE_IMAGES[kind][0]}"
        part = Part(f"img-{view.anchor}", href, CORE_IMAGES[kind][1], data)
        overlay = Markup(overlay_inline(view.figure)) if view.figure.annotations else None
        return Picture(href, part, animated, overlay)

    def _accessibility(
        self, docs: list[ChapterDoc], pictures: Mapping[str, Picture]
    ) -> Accessibility:
        views = [v for doc in docs for v in doc.view.plan.figures.values()]
        for view in views:
            if not view.figure.alt.strip():
                message = f"{view.figure.id} has no alt text; the EPUB claims no alternativeText"
                self.report.append(finding("P106", view.figure.span, message))
        shown = [v for v in views if v.anchor in pictures]
        return Accessibility(
            images=len(shown),
            missing_alt=sum(1 for v in views if not v.figure.alt.strip()),
            described=all(v.figure.long_description for v in shown),
            animated=any(p.animated for p in pictures.values()),
            clean=not has_errors(self.report),
        )

    def _xhtml(self, template: str, href: str, title: str, **context: Any) -> Part:
        text = render_template(
            self.templates[template], self.book, self.stamp,
            title=title, stylesheet=self.stylesheet, **context,
        )  # fmt: skip
        data = text.encode("utf-8")
        etree.fromstring(data)  # a template that is not well-formed XML is a pipeline bug
        properties = ("nav",) if template == "nav" else ()
        return Part(_uid(href), href, XHTML, data, properties)

    def _chapter(self, doc: ChapterDoc, pictures: Mapping[str, Picture]) -> Part:
        part = self._xhtml(
            "chapter", doc.href, doc.chapter.meta.title,
            doc=doc, pictures=pictures, top_differentials=TOP_DIFFERENTIALS[1],
        )  # fmt: skip
        self.places[f"{PACKAGE_DIR}/{doc.href}"] = _places(part.data, doc.spans())
        drawn = [pictures.get(v.anchor) for v in doc.view.plan.figures.values()]
        if any(picture and picture.overlay for picture in drawn):  # inline SVG, declared
            part = dataclasses.replace(part, properties=(*part.properties, "svg"))
        return part

    def _front(self, docs: list[ChapterDoc], a11y: Accessibility) -> list[Part]:
        meta = self.book.meta
        cover = {"href": "images/cover.png", "alt": cover_alt(self.book)}
        landmarks = [
            ("cover", "cover.xhtml", "Cover"),
            ("titlepage", "title.xhtml", "Title Page"),
            ("toc", "nav.xhtml#toc", "Contents"),
            ("bodymatter", docs[0].href, "Start of Content"),
        ]
        context: dict[str, dict[str, Any]] = {
            "cover": {"cover": cover},
            "title": {"identifier": self.identifier, "summary": a11y.summary()},
            "nav": {"chapters": docs, "landmarks": landmarks},
        }
        return [
            self._xhtml(name, href, f"{title} · {meta.title}", **context[name])
            for name, href, title in self.front
        ]

    def _stylesheet(self) -> Part:
        path = asset_file((ASSETS / self.stylesheet).as_uri())
        assert path is not None, "the EPUB stylesheet is missing from the package"
        return Part("css", self.stylesheet, "text/css", path.read_bytes())

    def _cover_image(self) -> Part:
        return Part("cover-image", "images/cover.png", "image/png", draw_cover(self.book))

    def _package(self, parts: list[Part], docs: list[ChapterDoc], a11y: Accessibility) -> bytes:
        book = epub.EpubBook()
        book.IDENTIFIER_ID = "pub-id"
        book.set_identifier(self.identifier)
        book.title = self.book.meta.title
        book.language = self.book.meta.language
        generator = {"name": "generator", "content": f"{GENERATOR} with EbookLib {_EBOOKLIB}"}
        book.set_unique_metadata("OPF", "generator", "", generator)
        for namespace, name, value, attributes in self._metadata(a11y):
            book.add_metadata(namespace, name, value, attributes)
        items = {part.uid: book.add_item(_item(part)) for part in parts}
        book.add_item(epub.EpubNcx())
        book.spine = [items[_uid(href)] for _, href, _ in self.front]
        book.spine += [items[_uid(doc.href)] for doc in docs]
        book.toc = [_toc_entry(doc) for doc in docs]
        buffer = io.BytesIO()
        options = {"mtime": self.stamp.moment, "epub3_pages": False, "epub2_guide": False}
        writer = _Writer(buffer, book, options)
        writer.process()
        writer.write()
        return buffer.getvalue()

    def _metadata(
        self, a11y: Accessibility
    ) -> Iterator[tuple[str | None, str, str, dict[str, str]]]:
        meta = self.book.meta
        yield "DC", "title", meta.title, {"id": "main-title"}
        yield from _refine("main-title", "title-type", "main")
        if meta.subtitle:
            yield "DC", "title", meta.subtitle, {"id": "subtitle"}
            yield from _refine("subtitle", "title-type", "subtitle")
        yield "DC", "language", meta.language, {}
        for number, (element, person, role) in enumerate(_people(self.book), start=1):
            yield "DC", element, person, {"id": f"person-{number}"}
            yield from _refine(f"person-{number}", "role", role, scheme="marc:relators")
        yield "DC", "publisher", meta.publisher, {}
        yield "DC", "rights", meta.license, {}
        yield None, "meta", "", {"name": "cover", "content": "cover-image"}
        for prop, value in a11y.properties():
            yield None, "meta", value, {"property": prop}
        if a11y.conforms:
            yield None, "meta", meta.publisher, {"property": "a11y:certifiedBy"}


class _Writer(epub.EpubWriter):  # type: ignore[misc]
    """EbookLib's writer, told to keep our navigation document as it is.

    It also gives the package document and the NCX the book's language (``xml:lang``, which
    EbookLib leaves out and DAISY Ace requires) and the NCX its true depth (EbookLib writes 0).
    """

    def _get_nav(self, item: Any) -> bytes:
        return bytes(item.content)

    def _write_opf_file(self, root: Any) -> None:
        root.set(XML_LANG, self.book.language)
        super()._write_opf_file(root)

    def _get_ncx(self) -> bytes:
        root = etree.fromstring(super()._get_ncx())
        root.set(XML_LANG, self.book.language)
        depth = root.find("ncx:head/ncx:meta[@name='dtb:depth']", NCX_NS)
        depth.set("content", str(_depth(root.find("ncx:navMap", NCX_NS))))
        return bytes(
            etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)
        )


def _depth(element: Any) -> int:
    """How deep ``navPoint``s nest under ``element``."""
    points = element.findall("ncx:navPoint", NCX_NS)
    return max((1 + _depth(point) for point in points), default=0)


def _uid(href: str) -> str:
    """A manifest id for a file: an XML name that starts with a letter and no dot."""
    return "doc-" + href.removesuffix(".xhtml")


def _item(part: Part) -> Any:
    kinds = {"nav": epub.EpubNav, "cover-image": epub.EpubCover}
    item = kinds.get(part.uid, epub.EpubItem)(uid=part.uid, file_name=part.href)
    item.media_type, item.content = part.media_type, part.data
    item.properties = list(part.properties)
    return item


def _refine(target: str, prop: str, value: str, **extra: str) -> Iterator[Any]:
    yield None, "meta", value, {"refines": f"#{target}", "property": prop, **extra}


def _people(book: Book) -> Iterator[tuple[str, str, str]]:
    """(element, name, MARC relator) for authors, then editors (creators when no author)."""
    meta = book.meta
    yield from (("creator", person.name, "aut") for person in meta.authors)
    element = "contributor" if meta.authors else "creator"
    yield from ((element, person.name, "edt") for person in meta.editors)


def _toc_entry(doc: ChapterDoc) -> tuple[Any, list[Any]]:
    title = f"{doc.view.number} {doc.chapter.meta.title}"
    entries = [_ncx_entry(doc.href, entry) for entry in doc.entries()]
    return epub.Link(doc.href, title, f"nav-{doc.view.plan.prefix}"), entries


def _ncx_entry(href: str, entry: NavEntry) -> Any:
    """An EbookLib toc item: a link, or (link, children) when the entry has children."""
    link = epub.Link(f"{href}#{entry.fragment}", entry.title, f"nav-{entry.fragment}")
    if not entry.children:
        return link
    return link, [_ncx_entry(href, child) for child in entry.children]


def _places(data: bytes, spans: Mapping[str, Span]) -> list[tuple[int, Span]]:
    """(line, span) of each element whose id came from the source, in document order."""
    tree = etree.fromstring(data)
    found = [(el.sourceline, spans[el.get("id")]) for el in tree.iter() if el.get("id") in spans]
    return sorted(found, key=lambda pair: pair[0])


def _inspect(data: bytes) -> tuple[str, bool]:
    """The image's format (a key of ``CORE_IMAGES``) and whether it is animated."""
    with Image.open(io.BytesIO(data)) as image:
        image.verify()
    with Image.open(io.BytesIO(data)) as image:
        if image.format not in CORE_IMAGES:
            raise ValueError(f"{image.format} images cannot be shown by EPUB reading systems")
        return str(image.format), bool(getattr(image, "is_animated", False))


def screen_sized(kind: str, data: bytes) -> tuple[str, bytes]:
    """A still image of format ``kind`` as the EPUB carries it: (format, bytes).

    ``data`` itself when its long side is at most ``SCREEN_PIXELS``. A larger image is turned
    upright by its EXIF orientation (the long side is the same either way), scaled with
    Lanczos to ``SCREEN_PIXELS`` on its long side, and written again (``SCALED_AS``) with its
    pixels and its ICC profile only: no EXIF, comment, text or gamma chunk, so the same image
    always gives the same bytes and nothing of the original's metadata comes back.
    Animations are not given here: an animated image goes in as it is, whatever its size
    (scaling each frame would mean writing GIF, WebP and APNG animations again).
    """
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        if max(width, height) <= SCREEN_PIXELS:
            return kind, data
        profile = image.info.get("icc_profile")
        upright = _resizable(ImageOps.exif_transpose(image))
    scale = SCREEN_PIXELS / max(width, height)
    across, down = (max(1, round(side * scale)) for side in upright.size)
    scaled = upright.resize((across, down), Image.Resampling.LANCZOS)
    scaled.info = {}  # Pillow writes some of ``info`` (comments, transparency) unless told not to
    written, options = SCALED_AS[kind]
    out = io.BytesIO()
    scaled.save(out, format=written, **options, **({"icc_profile": profile} if profile else {}))
    return written, out.getvalue()


def _resizable(image: Image.Image) -> Image.Image:
    """``image`` in a mode Pillow scales with Lanczos, its transparency as an alpha channel.

    Pillow scales palette and 1-bit images pixel by pixel, and a transparent colour
    (``tRNS`` of a grey or RGB PNG) would not survive the blending.
    """
    if image.mode in ("P", "PA") or "transparency" in image.info:
        return image.convert("RGBA" if image.has_transparency_data else "RGB")
    return image.convert("L") if image.mode == "1" else image


def repack(data: bytes, moment: dt.datetime) -> bytes:
    """Write the zip again: ``mimetype`` first and stored, the rest sorted, fixed timestamps."""
    stamp = max(moment.astimezone(dt.UTC).timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = sorted(name for name in source.namelist() if name != "mimetype")
        entries = [("mimetype", b"application/epub+zip")]
        entries += [(name, source.read(name)) for name in names]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.create_system, info.external_attr = 3, 0o100644 << 16
            target.writestr(info, content)
    return out.getvalue()
