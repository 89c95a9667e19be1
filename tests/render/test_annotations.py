"""Annotations are vectors over the image: the image embedded is the file's, unchanged.

The rich tree's fig-real-image is a uniform grey 40 × 30 PNG with its five markers
annotated (tests/render/conftest.py). In the PDF the markers must show on the page, yellow,
and never in the image's own pixels: drawn into the raster, they would blur when printed
large and could not be told from the radiograph.
"""

from __future__ import annotations

import pypdfium2 as pdfium
from PIL import Image
from pypdf import PdfReader

from pipeline.render.annotate import FILL
from tests.render.conftest import Built

YELLOW = tuple(int(FILL[i : i + 2], 16) for i in (1, 3, 5))


def _yellow(image: Image.Image) -> int:
    """How many pixels of ``image`` are the markers' yellow (within a small tolerance)."""
    rgb = image.convert("RGB")
    return sum(
        1
        for pixel in rgb.getdata()
        if all(abs(a - b) <= 24 for a, b in zip(pixel, YELLOW, strict=True))
    )


def test_the_markers_are_drawn_on_the_page_and_not_into_the_image(rich_pdfs: Built) -> None:
    path = rich_pdfs.pdf("rich.pdf")
    embedded = [image.image for page in PdfReader(path).pages for image in page.images]
    grey = [image for image in embedded if image.size == (40, 30)]
    assert len(grey) == 1, [image.size for image in embedded]
    assert set(grey[0].convert("L").getdata()) == {128}  # the file's pixels, unchanged
    assert _yellow(grey[0]) == 0
    page = pdfium.PdfDocument(path)[0]
    drawn = page.render(scale=1).to_pil()
    assert _yellow(drawn) > 200  # five markers, each some hundred pixels at 72 dpi


def test_an_unannotated_figure_gets_no_markers(seed_pdfs: Built) -> None:
    # The seed's figures have no image (draft): their placeholders draw nothing over them.
    page = pdfium.PdfDocument(seed_pdfs.pdf("blastic-osseous-metastases.pdf"))[0]
    assert _yellow(page.render(scale=1).to_pil()) == 0
