"""``python -m tests.pictures``: the pictures of docs/rendering.md and README, made again.

Draws page 2 of the figure book's chapter handout (tests/render/figure_book.py: DICOM,
PNG and JPEG figures with every marker) and its EPUB at a tablet's width, at the first
annotated figure. Builds the seed (SOURCE_DATE_EPOCH fixed) into a scratch folder, draws
page 1 of each PDF product and the book's first chapter page with PDFium (pypdfium2, 100
dpi), and opens the EPUB's chapter in headless Chromium at a phone's width (390 px) and a
tablet's (820 px), in the light scheme and, for the phone, the dark one; two cards of the
figure book's study deck as Anki renders them (``deck_cards``). The PNGs go to
docs/images/, each reduced to 256 colours (Pillow) so a change in them is a small diff.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from tests.helpers import SOURCE, build
from tests.render.figure_book import write_figure_book

IMAGES = Path(__file__).resolve().parents[1] / "docs" / "images"
BOOK = "spine-metastases"
CHAPTER = "blastic-osseous-metastases"
PAGES = {  # picture: (PDF, page index)
    "pdf-chapter-handout": (f"{CHAPTER}.pdf", 0),
    "pdf-key-facts-handout": (f"{CHAPTER}-key-facts.pdf", 0),
    "pdf-book-title-page": (f"{BOOK}.pdf", 0),
    "pdf-book-chapter-opener": (f"{BOOK}.pdf", 2),
}
SCREENS = {  # picture: (width, height, dark)
    "epub-phone": (390, 844, False),
    "epub-phone-dark": (390, 844, True),
    "epub-tablet": (820, 1180, False),
}
CHROMIUM = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
            "--hide-scrollbars")  # fmt: skip


def _save(image: Image.Image, name: str) -> None:
    image.convert("RGB").quantize(256).save(IMAGES / f"{name}.png", optimize=True)
    print(f"docs/images/{name}.png {image.width} × {image.height}")


def figures_pages(chromium: str) -> None:
    """The figure book: page 2 of its chapter handout, and its figures in the EPUB on a tablet."""
    with tempfile.TemporaryDirectory() as scratch:
        root = write_figure_book(Path(scratch) / "source")
        out = Path(scratch) / "out"
        build(root, out, formats=("pdf", "epub"), check=True)
        page = pdfium.PdfDocument(out / "pdf" / f"{CHAPTER}.pdf")[1]
        _save(page.render(scale=100 / 72).to_pil(), "pdf-figures")
        unpacked = Path(scratch) / "epub"
        with zipfile.ZipFile(out / "epub" / f"{BOOK}.epub") as epub:
            epub.extractall(unpacked)
        document = next((unpacked / "EPUB").glob(f"*-{CHAPTER}.xhtml"))
        _screenshot(chromium, document.as_uri(), Path(scratch), "epub-figures-tablet",
                    (820, 9000, False), crop=_around_markers)  # fmt: skip


def _around_markers(image: Image.Image) -> Image.Image:
    """The 1,180 px of a tall screenshot that hold the first annotated figure (its yellow)."""
    rgb = image.convert("RGB")
    width, height = rgb.size
    rows = [y for y in range(0, height, 4)
            if any(rgb.getpixel((x, y)) == (255, 212, 0) for x in range(0, width, 3))]  # fmt: skip
    top = max(0, (rows[0] if rows else 0) - 300)
    return rgb.crop((0, top, width, min(height, top + 1180)))


def _screenshot(
    chromium: str,
    address: str,
    scratch: Path,
    name: str,
    screen: tuple[int, int, bool],
    crop: Callable[[Image.Image], Image.Image] | None = None,
) -> None:
    width, height, dark = screen
    shot = scratch / f"{name}.png"
    profile = tempfile.mkdtemp(dir=scratch)
    flags = [*CHROMIUM, f"--user-data-dir={profile}", f"--window-size={width},{height}",
             f"--screenshot={shot}", *(["--force-dark-mode"] if dark else [])]  # fmt: skip
    subprocess.run([chromium, *flags, address], check=True, capture_output=True, timeout=120)
    image = Image.open(shot)
    _save(crop(image) if crop else image, name)


DECK_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><base href="{base}/">
<style>body {{ margin: 0; display: flex; gap: 16px; background: #d9d9d9; font-size: 14px; }}
.side {{ width: 390px; background: #ffffff; }} .side > p {{ margin: 0; padding: 6px 8px;
font: bold 13px sans-serif; color: #ffffff; background: #444444; }}</style></head><body>
<div class="side"><p>Front</p><div class="card">{front}</div></div>
<div class="side"><p>Back</p><div class="card">{back}</div></div></body></html>"""


def deck_cards(chromium: str) -> None:
    """Two cards of the figure book's deck, front and back, as Anki renders their HTML.

    The deck is imported into a fresh collection by Anki's own backend (the ``anki``
    package); the HTML its ``question()`` and ``answer()`` give is drawn at a phone's width.
    """
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        root = write_figure_book(folder / "source")
        build(root, folder / "out", formats=("anki",), check=True)
        (folder / "trainee").mkdir()
        collection = Collection(str(folder / "trainee" / "collection.anki2"))
        package = folder / "out" / "anki" / f"{BOOK}.apkg"
        options = ImportAnkiPackageOptions(with_scheduling=True)
        collection.import_anki_package(ImportAnkiPackageRequest(package_path=str(package),
                                                                options=options))  # fmt: skip
        wanted = {
            "anki-card-key-fact": '"deck:*::Imaging" "Text:*red marrow*"',
            "anki-card-figure": '"Question:What do the asterisk and the arrowhead show?"',
        }
        for name, search in wanted.items():
            (note,) = collection.find_notes(search)
            card = collection.get_note(note).cards()[0]
            page = folder / f"{name}.html"
            html = DECK_PAGE.format(base=Path(collection.media.dir()).as_uri(),
                                    front=card.question(), back=card.answer())  # fmt: skip
            page.write_text(html, encoding="utf-8")
            _screenshot(chromium, page.as_uri(), folder, name, (812, 1200, False), crop=_content)
        collection.close()


def _content(image: Image.Image) -> Image.Image:
    """The screenshot down to its last row that is not the page's grey."""
    rgb = image.convert("RGB")
    width, height = rgb.size
    grey = (217, 217, 217)
    rows = [y for y in range(height)
            if any(rgb.getpixel((x, y)) != grey for x in range(0, width, 2))]  # fmt: skip
    return rgb.crop((0, 0, width, min(height, (rows[-1] if rows else height) + 8)))


def main() -> int:
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("needs Debian's chromium (requirements/system.txt)")
    deck_cards(chromium)
    figures_pages(chromium)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out"
        build(SOURCE, out, formats=("pdf", "epub"), check=True)
        for name, (pdf, index) in PAGES.items():
            page = pdfium.PdfDocument(out / "pdf" / pdf)[index]
            _save(page.render(scale=100 / 72).to_pil(), name)
        unpacked = Path(scratch) / "epub"
        with zipfile.ZipFile(out / "epub" / f"{BOOK}.epub") as epub:
            epub.extractall(unpacked)
        document = next((unpacked / "EPUB").glob(f"*-{CHAPTER}.xhtml"))
        for name, screen in SCREENS.items():
            _screenshot(chromium, document.as_uri(), Path(scratch), name, screen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
