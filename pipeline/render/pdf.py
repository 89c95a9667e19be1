"""HTML to PDF with WeasyPrint: one fetcher gate, PDF/UA-1 tags, metadata that never varies.

``PdfWriter`` turns one HTML document into PDF bytes and the findings of doing so: refused
fetches (P104), WeasyPrint's errors such as a missing alt text (P103), a page limit that is
exceeded (P102), and a figure whose image prints below 300 dpi (P111). The same document and
stamp always give the same bytes: dates come from the ``Stamp``, the file identifier from the
document's name, fonts from the package.

A figure's resolution is measured where it is printed, not guessed from the stylesheet: after
layout, each ``<img>`` box of a figure is sized by WeasyPrint's own ``replacedbox_layout``
(the rectangle the image is drawn in, ``object-fit: contain`` applied), and the image's
pixels (turned as it is drawn) are divided by that rectangle's inches, the lesser of the two
directions counting. WeasyPrint keeps a page's boxes in ``Page._page_box``; there is no public
name for them.

Fonts are always subset by fontTools, never by HarfBuzz-Subset. WeasyPrint uses
HarfBuzz-Subset when the host happens to have ``libharfbuzz-subset0`` and fontTools
otherwise, and the two write different bytes; fontTools is pinned with the rest of the
Python environment, so every machine of a kind makes the same fonts. fontTools stamps a
subset's ``head.modified`` from ``SOURCE_DATE_EPOCH`` or else the clock, so the render sets
that variable to the stamp while it writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import weasyprint.pdf.fonts  # type: ignore[import-untyped]
from weasyprint import CSS, HTML
from weasyprint.formatting_structure.boxes import ReplacedBox  # type: ignore[import-untyped]
from weasyprint.images import RasterImage  # type: ignore[import-untyped]
from weasyprint.layout.replaced import replacedbox_layout  # type: ignore[import-untyped]
from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

from pipeline.diagnostics import Diagnostic, finding
from pipeline.model import Figure, Span
from pipeline.render.fetcher import ASSETS, Fetcher
from pipeline.render.fonts import font_face_css
from pipeline.render.plan import overlay_uri
from pipeline.render.stamp import FALLBACK
from pipeline.render.tagging import install as repair_structure_trees

# One subsetter on every host (see the module's docstring). WeasyPrint 70 chooses by this
# module attribute; tests/render check that it exists and that the fonts carry the stamp.
weasyprint.pdf.fonts.harfbuzz_subset = None
# WeasyPrint 70 tags boxes, not elements: tagging.py joins the pieces (see its docstring).
repair_structure_trees()
FONTTOOLS_NOTICE = "Using fontTools instead of HarfBuzz-Subset"
"""WeasyPrint's warning for the subsetter we chose: not a problem, so never shown."""

LOGGER = logging.getLogger(__name__)
Paper = Literal["a4", "letter"]
PAPER_SIZES: dict[str, str] = {"a4": "A4", "letter": "letter"}
STYLESHEETS = ("print.css",)
"""Stylesheets in ``css/``, applied in this order after the @font-face rules."""
PRINT_DPI = 300
"""Pixels per inch a figure's image needs where it is printed; fewer is reported (P111)."""
CSS_PX_PER_INCH = 96
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Document:
    """One PDF to write: its file name, its HTML, and where findings about it point."""

    name: str
    html: str
    span: Span
    max_pages: int | None = None
    figures: Mapping[str, Figure] = field(default_factory=dict)
    """The figures this document shows, by image address: the only images it may load
    (served from the bytes validation checked), and where findings about an image point."""
    subject: str = ""
    """What the document is, in words, for findings about it as a whole."""


@dataclass(frozen=True)
class Rendered:
    """The PDF bytes, the page count and the findings of one document."""

    data: bytes
    pages: int
    diagnostics: list[Diagnostic]
    warnings: list[str]
    """WeasyPrint's warnings (our stylesheets' problems, not the source's): logged, kept."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _not_the_chosen_subsetter(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith(FONTTOOLS_NOTICE)


@contextmanager
def _weasyprint_log() -> Iterator[_Collect]:
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addFilter(_not_the_chosen_subsetter)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.removeFilter(_not_the_chosen_subsetter)


@contextmanager
def _source_date_epoch(moment: dt.datetime) -> Iterator[None]:
    """Set ``SOURCE_DATE_EPOCH`` to ``moment`` for fontTools while a PDF is written."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


class PdfWriter:
    """Render HTML documents to PDF on one paper size; each loads only its checked images."""

    def __init__(self, paper: Paper = "a4", moment: dt.datetime = FALLBACK) -> None:
        self.paper = paper
        self.moment = moment
        """The build's moment: written into the subset fonts (``head.modified``)."""

    def render(self, document: Document) -> Rendered:
        """Lay out and write ``document``; return its bytes, page count and findings."""
        fetcher = Fetcher(document.figures)
        with _weasyprint_log() as log, _source_date_epoch(self.moment):
            data, pages, low = self._write(document, fetcher)
        found = [self._refused(url, document) for url in fetcher.refused]
        found += low
        found += self._errors(log.records, document, fetcher.refused)
        if document.max_pages is not None and pages > document.max_pages:
            found.append(_overflow(document, pages))
        warnings = [r.getMessage() for r in log.records if r.levelno < logging.ERROR]
        for message in warnings:
            LOGGER.warning("%s: WeasyPrint: %s", document.name, message)
        return Rendered(data, pages, found, warnings)

    def _write(self, document: Document, fetcher: Fetcher) -> tuple[bytes, int, list[Diagnostic]]:
        """The PDF's bytes, its page count, and its figures printed below ``PRINT_DPI``."""
        fonts = FontConfiguration()
        sheets = [CSS(string=font_face_css(), font_config=fonts, url_fetcher=fetcher)]
        sheets += [
            CSS(url=(ASSETS / "css" / name).as_uri(), font_config=fonts, url_fetcher=fetcher)
            for name in STYLESHEETS
        ]
        size = f"@page {{ size: {PAPER_SIZES[self.paper]}; }}"
        sheets.append(CSS(string=size, font_config=fonts, url_fetcher=fetcher))
        html = HTML(string=document.html, base_url=ASSETS.as_uri() + "/", url_fetcher=fetcher)
        laid_out = html.render(stylesheets=sheets, font_config=fonts)
        low = low_resolution((page._page_box for page in laid_out.pages), document.figures)
        data = laid_out.write_pdf(
            pdf_variant="pdf/ua-1",
            pdf_identifier=hashlib.sha256(document.name.encode()).hexdigest()[:32].encode(),
        )
        return data, len(laid_out.pages), low

    def _refused(self, url: str, document: Document) -> Diagnostic:
        # A figure's image is always served (from its checked bytes): what is refused is not one.
        return finding("P104", document.span, f"refused to load '{url}' for {document.name}")

    def _errors(
        self, records: list[logging.LogRecord], document: Document, refused: list[str]
    ) -> list[Diagnostic]:
        found = []
        for record in records:
            message = record.getMessage()
            if record.levelno < logging.ERROR or any(url in message for url in refused):
                continue
            span = next((f.span for u, f in document.figures.items() if u in message), None)
            text = f"{document.name}: WeasyPrint: {message}"
            found.append(finding("P103", span or document.span, text))
        return found


def low_resolution(page_boxes: Iterable[Any], figures: Mapping[str, Figure]) -> list[Diagnostic]:
    """A P111 for each figure of ``figures`` printed below ``PRINT_DPI``, once per size.

    ``page_boxes`` are the laid-out pages' boxes; ``figures`` the document's, by image
    address. A figure's ``<img>`` shows its image or, when annotated, the SVG drawn over it
    (``plan.FigureView.picture_uri``). The same figure at the same size gives the same
    message, so the build's findings (``ordered``) hold it once however many PDFs print it.
    """
    shown = {(overlay_uri(url) if f.annotations else url): f for url, f in figures.items()}
    found: dict[str, Diagnostic] = {}
    for page in page_boxes:
        for box in page.descendants():
            if not isinstance(box, ReplacedBox) or box.element_tag != "img":
                continue
            figure = shown.get(box.element.get("src"))
            low = _resolution(box, figure) if figure is not None else None
            if low is not None:
                found.setdefault(low.message, low)
    return list(found.values())


def _resolution(box: Any, figure: Figure) -> Diagnostic | None:
    """P111 when ``figure``'s image, drawn in ``box``, has under ``PRINT_DPI`` pixels an inch."""
    pixels = _pixels(box, figure)
    drawn_width, drawn_height, _, _ = replacedbox_layout(box)  # in CSS px, object-fit applied
    if pixels is None or drawn_width <= 0 or drawn_height <= 0:
        return None
    inches = (drawn_width / CSS_PX_PER_INCH, drawn_height / CSS_PX_PER_INCH)
    dpi = min(pixels[0] / inches[0], pixels[1] / inches[1])
    if dpi >= PRINT_DPI:
        return None
    mm = " × ".join(str(round(side * MM_PER_INCH)) for side in inches)
    needed = " × ".join(str(math.ceil(side * PRINT_DPI)) for side in inches)
    message = (
        f"{figure.id} prints at {mm} mm, {math.floor(dpi)} dpi (its {pixels[0]} × {pixels[1]} "
        f"pixels); {PRINT_DPI} dpi needs {needed} pixels"
    )
    return finding("P111", figure.span, message)


def _pixels(box: Any, figure: Figure) -> tuple[int, int] | None:
    """The image's pixels across and down as drawn.

    A raster is turned by its EXIF orientation; the figure's image inside its annotations'
    SVG is drawn at its stored size.
    """
    if isinstance(box.replacement, RasterImage):
        return int(box.replacement.width), int(box.replacement.height)
    image = figure.image
    if image is None or image.width is None or image.height is None:
        return None
    return image.width, image.height


def _overflow(document: Document, pages: int) -> Diagnostic:
    subject = document.subject or document.name
    message = f"{subject} takes {pages} pages; it must fit on {document.max_pages}"
    return finding("P102", document.span, message)
