"""Build the outputs from a validated book: today the PDFs (chapter, Key Facts, whole book).

``build_pdf`` renders every product of ``pipeline.render.products.PDF_PRODUCTS`` and writes
each file atomically (a temporary file in the same folder, then ``os.replace``), so a reader
never sees half a PDF. It reads ``SOURCE_DATE_EPOCH`` from the environment, here and only
here; the renderers get the moment as a value.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Mapping
from pathlib import Path

from pipeline.diagnostics import ordered
from pipeline.model import Book
from pipeline.render.artifacts import Artifact, BuildReport, write_atomic
from pipeline.render.glyphs import missing_glyphs
from pipeline.render.pdf import Paper, PdfWriter
from pipeline.render.products import PDF_PRODUCTS, RenderInput
from pipeline.render.stamp import build_stamp

LOGGER = logging.getLogger(__name__)
PDF_DIR = "pdf"


def build_pdf(
    book: Book,
    source_root: Path,
    out_dir: Path,
    *,
    paper: Paper = "a4",
    environ: Mapping[str, str] | None = None,
) -> BuildReport:
    """Write ``out_dir/pdf/<chapter-id>.pdf``, ``…-key-facts.pdf`` and ``<book-id>.pdf``.

    ``source_root`` is the folder ``book`` was validated from (figure paths are relative to
    it). ``environ`` defaults to ``os.environ`` and supplies ``SOURCE_DATE_EPOCH``. Raises
    ``StampError`` when that variable is not a whole number. Findings (P101–P105) are in the
    report; a file whose document has errors is still written, so it can be looked at.
    """
    env = os.environ if environ is None else environ
    stamp = build_stamp(book, env.get("SOURCE_DATE_EPOCH"))
    given = RenderInput(book, source_root, stamp, report=missing_glyphs(book))
    writer = PdfWriter(source_root, paper, stamp.moment)
    target = out_dir / PDF_DIR
    target.mkdir(parents=True, exist_ok=True)
    artifacts = []
    for product in PDF_PRODUCTS:
        for document in product.documents(given):
            rendered = writer.render(document)
            given.report.extend(rendered.diagnostics)
            path = target / document.name
            write_atomic(path, rendered.data)
            artifacts.append(_artifact(path, product.name, rendered.pages, rendered.data))
            LOGGER.info("wrote %s (%d pages)", path, rendered.pages)
    return BuildReport(artifacts, ordered(given.report))


def _artifact(path: Path, product: str, pages: int, data: bytes) -> Artifact:
    return Artifact(path, product, pages, len(data), hashlib.sha256(data).hexdigest())
