"""Images sized for where they are seen: 300 dpi in print (P111), 1,600 pixels on screens.

One build of the rich tree with three images of its own: a large annotated PNG (3000 × 2000,
the Key Facts figure), a JPEG stored sideways (2400 × 600 with EXIF orientation 6 and an
ICC profile, so 600 × 2400 upright: tall and narrow, drawn smaller than its box by
``object-fit: contain``) and a small PNG (400 × 300) printed a column wide.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image, ImageCms

from pipeline.diagnostics import Severity
from pipeline.model import Figure
from pipeline.render.epub import SCREEN_PIXELS
from tests.helpers import build
from tests.render.conftest import RICH_CHAPTER, Built, write_rich
from tests.render.epub_books import render_epub

CHAPTER = (
    RICH_CHAPTER.replace("image: real.png", "image: large.png")
    .replace("  - id: fig-caption-only\n", "  - id: fig-caption-only\n    image: turned.jpg\n")
    .replace("  - id: fig-never-cited\n", "  - id: fig-never-cited\n    image: small.png\n")
)
PROFILE = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
ORIENTATION = 0x0112
MESSAGE = re.compile(
    r"fig-never-cited prints at (\d+) × (\d+) mm, (\d+) dpi \(its 400 × 300 pixels\); "
    r"300 dpi needs (\d+) × (\d+) pixels"
)


def _gradient(size: tuple[int, int]) -> Image.Image:
    """An RGB image whose pixels differ across and down (so scaling shows in the bytes)."""
    width, height = size
    red = Image.linear_gradient("L").resize(size)
    green = Image.linear_gradient("L").rotate(90).resize(size)
    return Image.merge("RGB", (red, green, Image.new("L", (width, height), 90)))


def _turned_jpeg(path: Path) -> None:
    """2400 × 600 as stored, told by EXIF to turn a quarter (600 × 2400 upright), with a profile."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    _gradient((2400, 600)).save(path, "JPEG", quality=95, exif=exif.tobytes(), icc_profile=PROFILE)


@pytest.fixture(scope="module")
def quality(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The tree built as PDF and EPUB."""
    root = write_rich(
        tmp_path_factory.mktemp("quality") / "source", **{"chapters/rich.md": CHAPTER}
    )
    _gradient((3000, 2000)).save(root / "figures" / "large.png")
    _turned_jpeg(root / "figures" / "turned.jpg")
    Image.new("RGB", (400, 300), (90, 90, 90)).save(root / "figures" / "small.png")
    out = tmp_path_factory.mktemp("quality-out")
    return Built.of(build(root, out, formats=("pdf", "epub"), lint=False, in_process=True))


def _figure(built: Built, figure_id: str) -> Figure:
    return next(f for c in built.book.chapters for f in c.figures if f.id == figure_id)


def _checked(built: Built, figure_id: str) -> bytes:
    """The bytes validation checked for a figure's image (what the renderers are given)."""
    image = _figure(built, figure_id).image
    assert image is not None, figure_id
    return image.data


def _packaged(built: Built, figure_id: str) -> tuple[str, bytes]:
    """The EPUB entry of a figure's image: its name and bytes."""
    [epub] = (built.out / "epub").glob("*.epub")
    with zipfile.ZipFile(epub) as archive:
        [name] = [n for n in archive.namelist() if re.search(rf"-{figure_id}\.\w+$", n)]
        return name, archive.read(name)


def _png_chunks(data: bytes) -> list[bytes]:
    """The kinds of a PNG's chunks, in order."""
    kinds, at = [], 8
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        kinds.append(data[at + 4 : at + 8])
        at += 12 + length
    return kinds


def test_a_large_image_goes_into_the_epub_at_1600_pixels_its_markers_in_place(
    quality: Built,
) -> None:
    source = (quality.root / "figures" / "large.png").read_bytes()
    name, data = _packaged(quality, "fig-real-image")
    with Image.open(io.BytesIO(data)) as image:
        assert (name.endswith(".png"), image.format, image.size) == (True, "PNG", (1600, 1067))
        assert image.size[0] / image.size[1] == pytest.approx(3000 / 2000, rel=1e-3)
    assert data not in (source, _checked(quality, "fig-real-image"))
    assert _png_chunks(data) == [b"IHDR", *[b"IDAT"] * (len(_png_chunks(data)) - 2), b"IEND"]
    # The markers' SVG keeps the original's pixel coordinates: it is stretched over the image.
    [epub] = (quality.out / "epub").glob("*.epub")
    with zipfile.ZipFile(epub) as archive:
        chapter = archive.read("EPUB/01-rich.xhtml").decode()
    assert chapter.count('class="overlay" viewBox="0 0 3000 2000"') == 1


def test_a_scaled_image_is_the_same_bytes_every_time(quality: Built, tmp_path: Path) -> None:
    again = render_epub(quality.root, tmp_path, book=quality.book)
    for figure_id in ("fig-real-image", "fig-caption-only"):
        name, data = _packaged(quality, figure_id)
        with Image.open(io.BytesIO(data)) as image:
            assert max(image.size) == SCREEN_PIXELS, name  # scaled, not the checked bytes
        with zipfile.ZipFile(again.path) as archive:
            assert archive.read(name) == data, name


def test_a_turned_image_is_scaled_upright_and_keeps_only_its_profile(quality: Built) -> None:
    name, data = _packaged(quality, "fig-caption-only")
    with Image.open(io.BytesIO(data)) as image:
        assert (name.endswith(".jpg"), image.format, image.size) == (True, "JPEG", (400, 1600))
        assert dict(image.getexif()) == {}  # turned already: nothing left to turn it again
        assert image.info.get("icc_profile") == PROFILE
        assert "comment" not in image.info and "exif" not in image.info


def test_a_small_image_goes_into_the_epub_as_validation_checked_it(quality: Built) -> None:
    name, data = _packaged(quality, "fig-never-cited")
    assert name.endswith(".png")
    assert data == _checked(quality, "fig-never-cited")
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) < SCREEN_PIXELS


def _placed_mm(pdf: Path, pixels: tuple[int, int]) -> tuple[float, float]:
    """The width and height in mm at which the PDF draws the one image of ``pixels``."""
    found = []
    for page in pdfium.PdfDocument(pdf):
        for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
            if tuple(image.get_px_size()) == pixels:
                left, bottom, right, top = image.get_bounds()
                found.append(((right - left) / 72 * 25.4, (top - bottom) / 72 * 25.4))
    assert len(found) == 1, found
    return found[0]


def test_a_small_image_printed_a_column_wide_is_a_warning_at_its_figure(quality: Built) -> None:
    low = [d for d in quality.report.diagnostics if d.code == "P111"]
    figure = _figure(quality, "fig-never-cited")
    # Printed the same size in the chapter handout and the book: one finding for the build.
    assert [(d.severity, d.span) for d in low] == [(Severity.WARNING, figure.span)], low
    match = MESSAGE.fullmatch(low[0].message)
    assert match is not None, low[0].message
    width_mm, height_mm, dpi, need_across, need_down = map(int, match.groups())
    placed = _placed_mm(quality.pdf("rich.pdf"), (400, 300))
    assert (width_mm, height_mm) == tuple(round(side) for side in placed)
    assert dpi == math.floor(400 / (placed[0] / 25.4)) < 300
    assert (need_across, need_down) == tuple(math.ceil(side / 25.4 * 300) for side in placed)


def test_images_with_pixels_enough_where_they_are_drawn_are_not_reported(quality: Built) -> None:
    """The large image at a column's width; the turned one upright, drawn narrower than its box.

    Measured against its box (a column wide) or unturned (2400 pixels across, 600 down) the
    turned image would be under 300 dpi: only as drawn, 600 × 2400 in 20 × 80 mm, it is not.
    """
    placed = _placed_mm(quality.pdf("rich.pdf"), (600, 2400))
    assert placed[0] < 25 and placed[1] == pytest.approx(80, abs=0.5)
    spans = {d.span for d in quality.report.diagnostics if d.code == "P111"}
    assert _figure(quality, "fig-real-image").span not in spans
    assert _figure(quality, "fig-caption-only").span not in spans
