"""Books for the EPUB tests, the EPUB renderer run on them, and how to read an EPUB back.

``write_epub_book`` is the render tests' rich tree with a second real image (a JPEG with a long
description) in its second chapter: two chapters, real images, references and differentials.
``render_epub`` runs the renderer alone, not a build: these tests read its report's map from
EPUB lines back to the source, and some give it a book changed after validation.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from PIL import Image

from pipeline.model import Book
from pipeline.render.epub import EpubRenderer, EpubReport
from pipeline.render.stamp import build_stamp
from tests.helpers import EPOCH
from tests.render.conftest import PLAIN_CHAPTER, load, write_rich

NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}

PLAIN_FIGURE = """\
figures:
  - id: fig-scan
    image: scan.jpg
    alt: A dark test rectangle standing in for a sagittal MR image.
    long_description: A near-black rectangle, 60 by 40 pixels, with no structure in it.
    caption: Sagittal T1WI {arrowhead}.
    modality: MR
    plane: sagittal
    sequence: T1WI
"""
PLAIN_WITH_IMAGE = PLAIN_CHAPTER.replace("status: draft\n", "status: draft\n" + PLAIN_FIGURE)
PLAIN_WITH_IMAGE = PLAIN_WITH_IMAGE.replace("A single plain finding", "A plain finding (@fig-scan)")


def write_epub_book(root: Path, **overrides: str) -> Path:
    """Write the two-chapter tree with two real images under ``root``."""
    write_rich(root, **{"chapters/plain.md": PLAIN_WITH_IMAGE, **overrides})
    Image.new("RGB", (60, 40), (12, 12, 16)).save(root / "figures" / "scan.jpg", format="JPEG")
    return root


@dataclass(frozen=True)
class BuiltEpub:
    """A source tree, its book, the EPUB built from it and the build's report."""

    root: Path
    book: Book
    path: Path
    report: EpubReport

    def names(self) -> list[str]:
        """The zip's entry names, in zip order."""
        with zipfile.ZipFile(self.path) as archive:
            return archive.namelist()

    def read(self, name: str) -> bytes:
        """One entry's bytes; a name inside the package may leave out ``EPUB/``."""
        whole = name == "mimetype" or name.startswith(("EPUB/", "META-INF/"))
        with zipfile.ZipFile(self.path) as archive:
            return archive.read(name if whole else f"EPUB/{name}")

    def xml(self, name: str) -> Any:
        """One entry parsed as XML."""
        return etree.fromstring(self.read(name))

    def opf(self) -> Any:
        """The package document."""
        return self.xml("content.opf")

    def meta(self, prop: str) -> list[str]:
        """The values of ``<meta property=prop>`` in the package document."""
        return [m.text for m in self.opf().iterfind(f".//opf:meta[@property='{prop}']", NS)]


def render_epub(
    root: Path, out: Path, epoch: str | None = EPOCH, book: Book | None = None
) -> BuiltEpub:
    """Validate ``root`` (unless ``book`` is given) and render its EPUB into ``out/epub``."""
    book = book or load(root)
    renderer = EpubRenderer(book, build_stamp(book, epoch))
    path = out / "epub" / renderer.file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(renderer.render())
    return BuiltEpub(root, book, path, renderer.findings())


def zip_of(entries: dict[str, bytes]) -> bytes:
    """A zip holding ``entries`` in the given order, with today's timestamps (for repack)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()
