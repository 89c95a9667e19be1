"""Figure images: only PNG, JPEG, GIF and WebP reach a renderer, measured before decoded.

WeasyPrint parses an image it cannot open with Pillow as SVG (scripts, external references,
``foreignObject``); the EPUB carries what it is given. So SVG in any disguise is refused
(F108), and nothing that passes the signature check is well-formed XML. Validation reads a
header first: a decompression bomb is refused (F111) before any pixel is decoded; only an
image that passed it is decoded whole (tests/security/test_image_metadata.py).
"""

from __future__ import annotations

import gzip
import io
import shutil
import struct
import zlib
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile

from pipeline.validate.figures import MAX_PIXELS
from tests.fuzz.invariants import validate_and_lint
from tests.helpers import SOURCE

CHAPTER = "chapters/blastic-osseous-metastases.md"
FIGURE = "  - id: fig-nect-vertebral-sclerosis\n"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'width="10" height="10"><script>alert(1)</script>'
    b'<image xlink:href="file:///etc/passwd" width="10" height="10"/>'
    b'<foreignObject width="10" height="10"><p xmlns="http://www.w3.org/1999/xhtml">x</p>'
    b"</foreignObject></svg>"
)
SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def _with_image(tmp_path: Path, data: bytes, name: str = "figure.png") -> Path:
    root = tmp_path / "source"
    shutil.copytree(SOURCE, root)
    (root / "figures").mkdir(exist_ok=True)
    (root / "figures" / name).write_bytes(data)
    chapter = root / CHAPTER
    chapter.write_text(chapter.read_text().replace(FIGURE, f"{FIGURE}    image: {name}\n", 1))
    return root


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (width, height)).save(buffer, format="PNG")
    return buffer.getvalue()


SVG_DISGUISES = {
    "plain": SVG,
    "xml-declaration": b'<?xml version="1.0"?>' + SVG,
    "bom": b"\xef\xbb\xbf" + SVG,
    "doctype-entities": b'<!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + SVG,
    "leading-space": b"\n  " + SVG,
    "svgz": gzip.compress(SVG, mtime=0),
    "webp-at-byte-8": b'<svg a="WEBP" ' + SVG[5:],
    "utf-16": SVG.decode().encode("utf-16"),
}


@pytest.mark.parametrize("name", sorted(SVG_DISGUISES))
@pytest.mark.parametrize("suffix", [".png", ".svg", ".webp"])
def test_svg_in_any_disguise_is_refused(name: str, suffix: str, tmp_path: Path) -> None:
    root = _with_image(tmp_path, SVG_DISGUISES[name], f"figure{suffix}")
    status, found = validate_and_lint(root)
    assert status == 1 and "F108" in {d.code for d in found}, found


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(signature=st.sampled_from(SIGNATURES), rest=st.binary(max_size=200))
def test_nothing_with_an_accepted_signature_parses_as_xml(signature: bytes, rest: bytes) -> None:
    """So WeasyPrint's fallback from Pillow to its SVG parser can never read a figure."""
    with pytest.raises(ElementTree.ParseError):
        ElementTree.fromstring(signature + rest)


@given(size=st.binary(min_size=4, max_size=4), rest=st.binary(max_size=200))
@settings(max_examples=100, deadline=None, derandomize=True, database=None)
def test_nothing_with_the_webp_signature_parses_as_xml(size: bytes, rest: bytes) -> None:
    with pytest.raises(ElementTree.ParseError):
        ElementTree.fromstring(b"RIFF" + size + b"WEBP" + rest)


def test_validation_decodes_pixels_only_after_the_header_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decoded: list[tuple[int, int]] = []
    load = ImageFile.ImageFile.load

    def counted(self: ImageFile.ImageFile) -> object:
        decoded.append(self.size)
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counted)
    status, found = validate_and_lint(_with_image(tmp_path / "bomb", _bomb(6000, 5000)))
    assert status == 1 and "F111" in {d.code for d in found}, found
    assert decoded == [], "a bomb was decoded"
    status, found = validate_and_lint(_with_image(tmp_path / "sound", _png(40, 30)))
    assert status == 0, found
    assert (40, 30) in decoded, "a sound image was not decoded"


def _bomb(width: int, height: int) -> bytes:
    """A real PNG of ``width`` × ``height`` black pixels: a few hundred kilobytes at most."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    squeeze = zlib.compressobj(9)
    row = bytes(width + 1)
    idat = b"".join(squeeze.compress(row) for _ in range(height)) + squeeze.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_refused_by_its_header(tmp_path: Path) -> None:
    data = _bomb(6000, 5000)  # 30 million pixels in about 30 kB
    assert len(data) < 100_000
    status, found = validate_and_lint(_with_image(tmp_path, data))
    assert status == 1 and "F111" in {d.code for d in found}, found


def test_an_image_at_the_pixel_limit_is_accepted(tmp_path: Path) -> None:
    side = int(MAX_PIXELS**0.5)
    _, found = validate_and_lint(_with_image(tmp_path, _bomb(side, MAX_PIXELS // side)))
    assert "F111" not in {d.code for d in found}, found


@pytest.mark.parametrize("kind", ["TIFF", "BMP", "ICO", "PPM"])
def test_other_raster_formats_are_refused(kind: str, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format=kind)
    status, found = validate_and_lint(_with_image(tmp_path, buffer.getvalue()))
    assert status == 1 and "F108" in {d.code for d in found}, found
