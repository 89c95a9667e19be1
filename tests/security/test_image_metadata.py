"""Figure images proven whole and clean (issue 14): decoded at validation, stripped of metadata.

A hostile pull request showed three holes: EXIF GPS, an ``Artist`` naming a patient, a JPEG
comment ("Patient: …, MRN …") and PNG text chunks were copied into the EPUB and the PDF; a
PNG with a bad checksum passed validation and crashed the EPUB render; a truncated JPEG was
published 60% blank without a word. Validation now strips the metadata from the bytes every
renderer embeds (``pipeline/validate/imagemeta.py``), and decodes each image whole after its
header passed (F112 for a damaged one, at the figure's ``image:`` line).

The images are made here with Pillow, each carrying the same patient's name and record
number in every place its format allows; the tests look for them in what is published.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, ImageOps, ImageSequence, PngImagePlugin
from pypdf import PdfReader
from pypdf.generic import StreamObject

from pipeline.validate.figures import decode_problem
from pipeline.validate.imagemeta import (
    MalformedImageError,
    exif_orientation,
    orientation_exif,
    strip_metadata,
)
from tests.bench.corpus import make_book
from tests.helpers import build, monograph
from tests.render.conftest import RICH_CHAPTER, write_rich

NAME, MRN = b"Jane Roe", b"123456"
NEEDLES = (NAME, MRN, b"GPS-DATUM-SECRET", b"Exif\x00\x00", b"x:xmpmeta", b"xap/1.0",
           b"Photoshop 3.0", b"8BIM", b"XMP DataXMP", b"MPF\x00")  # fmt: skip
"""What must appear nowhere in an output: the patient, the GPS datum, the metadata markers."""
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Jane Roe</dc:creator></x:xmpmeta>'
COMMENT = b"Patient: Jane Roe, MRN 123456"
pytestmark = pytest.mark.filterwarnings("ignore:Image appears to be a malformed MPO")
"""Pillow's note on reading the hostile JPEG's stray MPF segment."""
ARTIST, GPS, GPS_DATUM = 0x013B, 0x8825, 0x12
PROFILE = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _picture(size: tuple[int, int] = (48, 32), shift: int = 0) -> Image.Image:
    """A colour gradient: every pixel different enough that a changed one shows."""
    width, height = size
    image = Image.new("RGB", size)
    image.putdata([(x * 5 % 256, y * 7 % 256, (x + y + shift) * 3 % 256) for y in range(height)
                   for x in range(width)])  # fmt: skip
    return image


def _exif(orientation: int = 1, gps: bool = True) -> Image.Exif:
    """An EXIF block naming the patient; with ``gps``, where the picture was taken too."""
    exif = Image.Exif()
    exif[ARTIST] = f"{NAME.decode()} MRN {MRN.decode()}"
    exif[0x0112] = orientation
    if gps:
        exif[GPS] = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0),
                     GPS_DATUM: "GPS-DATUM-SECRET"}  # fmt: skip
    return exif


def _segment(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body


def hostile_jpeg(orientation: int = 1, shift: int = 0, gps: bool = True) -> bytes:
    """A JPEG with EXIF (Artist, GPS), XMP, a comment, IPTC, MPF and data after its end."""
    buffer = io.BytesIO()
    _picture(shift=shift).save(
        buffer, "JPEG", quality=92, exif=_exif(orientation, gps), comment=COMMENT, xmp=XMP
    )
    data = buffer.getvalue()
    extra = _segment(0xED, b"Photoshop 3.0\x008BIM\x04\x04\x00\x00" + NAME + MRN)
    extra += _segment(0xE2, b"MPF\x00" + NAME) + _segment(0xEF, NAME)
    return data[:2] + extra + data[2:] + b"Jane Roe trailer"


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def hostile_png(orientation: int = 1, gps: bool = True) -> bytes:
    """A PNG with tEXt, zTXt, iTXt, eXIf, tIME, a private chunk, an ICC profile named by text."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Patient", f"{NAME.decode()}, MRN {MRN.decode()}")
    info.add_text("Comment", "MRN 123456", zip=True)
    info.add_itxt("Author", "Jane Roe", lang="en", tkey="Author")
    info.add(b"tIME", struct.pack(">HBBBBB", 2025, 1, 2, 3, 4, 5))
    info.add(b"prVt", NAME + MRN)
    buffer = io.BytesIO()
    _picture().save(buffer, "PNG", pnginfo=info, exif=_exif(orientation, gps))
    data = buffer.getvalue()
    iccp = _png_chunk(b"iCCP", NAME + b"\x00\x00" + zlib.compress(PROFILE))
    return data[:33] + iccp + data[33:]  # after the signature and IHDR


def hostile_webp(orientation: int = 1, gps: bool = True) -> bytes:
    """A lossless WebP (VP8X) with EXIF (Artist, GPS) and XMP chunks."""
    buffer = io.BytesIO()
    _picture().save(buffer, "WEBP", lossless=True, exif=_exif(orientation, gps), xmp=XMP)
    return buffer.getvalue()


def hostile_gif() -> bytes:
    """A looping three-frame GIF with a comment, a foreign application block and plain text."""
    frames = [_picture().quantize(16), _picture((48, 32)).rotate(180).quantize(16),
              Image.new("P", (48, 32), 3)]  # fmt: skip
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], loop=0,
                   duration=100, comment=COMMENT)  # fmt: skip
    data = buffer.getvalue()
    xmp = b"\x21\xff\x0bXMP DataXMP" + bytes((len(XMP),)) + XMP + b"\x00"
    text = b"\x21\x01\x0c" + bytes(12) + bytes((len(NAME),)) + NAME + b"\x00"
    return data[:-1] + xmp + text + b";"


def bad_crc_png() -> bytes:
    """A whole PNG whose IDAT checksum is wrong: Pillow's ``load`` does not notice."""
    buffer = io.BytesIO()
    _picture().save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    at = data.index(b"IDAT")
    data[at + 4 + int.from_bytes(data[at - 4 : at], "big")] ^= 0xFF
    return bytes(data)


def truncated_jpeg() -> bytes:
    """The first 60% of a JPEG: Pillow, told to load truncated images, draws the rest blank."""
    buffer = io.BytesIO()
    _picture((200, 150)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()[: len(buffer.getvalue()) * 6 // 10]


HOSTILE = {"JPEG": hostile_jpeg, "PNG": hostile_png, "WEBP": hostile_webp, "GIF": hostile_gif}


def _frames(data: bytes) -> list[bytes]:
    with Image.open(io.BytesIO(data)) as image:
        return [frame.convert("RGBA").tobytes() for frame in ImageSequence.Iterator(image)]


def _png_chunks(data: bytes) -> Iterator[bytes]:
    pos = 8
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        yield data[pos + 4 : pos + 8]
        pos += 12 + length


# The module, bytes in and bytes out -------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_metadata_is_stripped_and_the_pixels_are_the_same(kind: str) -> None:
    data = HOSTILE[kind]()
    assert NAME in data and MRN in data, "the hostile image must carry what is looked for"
    clean = strip_metadata(kind, data)
    assert [n for n in NEEDLES if n in clean] == [], kind
    assert _frames(clean) == _frames(data)
    assert decode_problem(clean) is None
    with Image.open(io.BytesIO(clean)) as image:
        assert image.format == kind
        assert not {"exif", "xmp", "comment", "icc_profile_name", "Patient", "Author"} & set(
            image.info
        ), image.info


def test_a_jpeg_keeps_its_scans_and_tables_byte_for_byte() -> None:
    data = hostile_jpeg()
    clean = strip_metadata("JPEG", data)
    image_data = data[data.index(b"\xff\xdb") : data.rindex(b"\xff\xd9") + 2]  # DQT … EOI
    assert clean.endswith(image_data), "the JPEG was encoded again"
    assert _jpeg_markers(clean) == [0xE0, *_jpeg_markers(image_data[:-2])]


def _jpeg_markers(data: bytes) -> list[int]:
    """The markers of the segments before the first scan."""
    markers, pos = [], 2 if data.startswith(b"\xff\xd8") else 0
    while data[pos + 1] != 0xDA:
        markers.append(data[pos + 1])
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return [*markers, 0xDA]


def test_a_png_keeps_its_colour_chunks_and_loses_the_profile_name() -> None:
    data = hostile_png()
    clean = strip_metadata("PNG", data)
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME", b"prVt"} <= set(_png_chunks(data))
    assert list(_png_chunks(clean)) == [b"IHDR", b"iCCP", b"IDAT", b"IEND"]
    with Image.open(io.BytesIO(data)) as before, Image.open(io.BytesIO(clean)) as after:
        assert after.info["icc_profile"] == before.info["icc_profile"] == PROFILE
    assert b"iCCPICC profile\x00\x00" in clean


def test_a_webp_has_its_exif_and_xmp_flags_cleared() -> None:
    data = hostile_webp()
    clean = strip_metadata("WEBP", data)
    assert data[20] & 0x0C == 0x0C and clean[20] & 0x0C == 0, "VP8X flags: EXIF 0x08, XMP 0x04"
    assert b"EXIF" in data and b"XMP " in data and b"EXIF" not in clean and b"XMP " not in clean
    assert int.from_bytes(clean[4:8], "little") == len(clean) - 8


def test_a_gif_keeps_its_frames_timing_and_loop() -> None:
    clean = strip_metadata("GIF", hostile_gif())
    with Image.open(io.BytesIO(clean)) as image:
        assert (image.n_frames, image.info.get("loop"), image.info.get("duration")) == (3, 0, 100)


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_a_turned_image_keeps_its_orientation_and_nothing_else(kind: str) -> None:
    make = {"JPEG": hostile_jpeg, "PNG": hostile_png, "WEBP": hostile_webp}[kind]
    data = make(6)
    clean = strip_metadata(kind, data)
    with Image.open(io.BytesIO(data)) as before, Image.open(io.BytesIO(clean)) as after:
        assert dict(after.getexif()) == {0x0112: 6}
        shown, expected = ImageOps.exif_transpose(after), ImageOps.exif_transpose(before)
        assert shown.size == (32, 48) and shown.tobytes() == expected.tobytes()
    assert [n for n in NEEDLES if n in clean and n != b"Exif\x00\x00"] == []


@pytest.mark.parametrize("orientation", range(1, 9))
def test_the_orientation_block_reads_back_in_pillow_and_here(orientation: int) -> None:
    block = orientation_exif(orientation)
    exif = Image.Exif()
    exif.load(b"Exif\x00\x00" + block)
    assert dict(exif) == {0x0112: orientation}
    assert exif_orientation(block) == orientation == exif_orientation(b"Exif\x00\x00" + block)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(block=st.binary(max_size=64), head=st.sampled_from([b"", b"MM\x00*", b"II*\x00"]))
def test_a_garbled_exif_block_counts_as_upright(block: bytes, head: bytes) -> None:
    assert 1 <= exif_orientation(head + block) <= 8


def _whole(kind: str) -> bytes:
    return strip_metadata(kind, HOSTILE[kind]())


@pytest.mark.parametrize("kind", sorted(HOSTILE))
@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9, -1])
def test_a_cut_image_is_damaged(kind: str, keep: float) -> None:
    whole = _whole(kind)
    cut = whole[:-1] if keep == -1 else whole[: int(len(whole) * keep)]
    try:
        problem = decode_problem(strip_metadata(kind, cut))
    except MalformedImageError:
        return
    assert problem is not None and problem.code == "F112", problem


def test_a_bad_png_checksum_is_damaged_though_pillow_would_load_it() -> None:
    data = bad_crc_png()
    with Image.open(io.BytesIO(data)) as image:
        image.load()  # Pillow decodes it; only the EPUB renderer's verify() objected
    with pytest.raises(MalformedImageError, match=r"IDAT chunk at byte \d+ fails its checksum"):
        strip_metadata("PNG", data)


def test_a_truncated_jpeg_is_damaged_even_when_pillow_is_told_to_draw_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """WeasyPrint sets LOAD_TRUNCATED_IMAGES on import; validation must not inherit it."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = truncated_jpeg()
    problem = decode_problem(data)
    assert problem is not None and problem.code == "F112" and "truncated" in problem.message
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True, "the setting must be restored"


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(kind=st.sampled_from(sorted(HOSTILE)), at=st.integers(0, 10_000), byte=st.integers(0, 255))
def test_a_damaged_byte_is_a_finding_never_a_crash(kind: str, at: int, byte: int) -> None:
    data = bytearray(HOSTILE[kind]())
    data[at % len(data)] = byte
    try:
        clean = strip_metadata(kind, bytes(data))
    except MalformedImageError:
        return
    problem = decode_problem(clean)
    assert problem is None or problem.code in ("F111", "F112")


# Validation and the build, through the real command ---------------------------------------

CHAPTER = "chapters/rich.md"
EXTRA_FIGURES = """\
  - id: fig-loop
    image: loop.gif
    alt: A short loop of three frames.
    caption: Cine loop.
  - id: fig-turned
    image: turned.jpg
    alt: A photograph of a film, stored sideways.
    caption: Radiograph.
references:
"""


def hostile_tree(root: Path, images: dict[str, bytes]) -> Path:
    """The render tests' rich tree, each of its figures given one of ``images`` (by name)."""
    text = (
        RICH_CHAPTER.replace("image: real.png", "image: scan.jpg")
        .replace(
            "  - id: fig-caption-only\n",
            "  - id: fig-caption-only\n    image: text.png\n"
            "    annotations: [{marker: open-arrow, at: [1, 1], shows: a corner}]\n",
        )
        .replace("  - id: fig-never-cited\n", "  - id: fig-never-cited\n    image: meta.webp\n")
        .replace("references:\n", EXTRA_FIGURES, 1)
        .replace("pmid: 12345678", "pmid: 87654321")  # the outputs must hold no 123456
    )
    write_rich(root, **{CHAPTER: text})
    for name, data in images.items():
        (root / "figures" / name).write_bytes(data)
    return root


def _line(root: Path, name: str) -> tuple[int, int]:
    """The line and column of ``name`` after ``image:`` in the chapter."""
    for number, line in enumerate((root / CHAPTER).read_text().splitlines(), start=1):
        if line.endswith(f"image: {name}"):
            return number, line.index(name) + 1
    raise AssertionError(f"no image: {name}")


def test_damaged_images_are_each_reported_at_their_image_line(tmp_path: Path) -> None:
    images = {"scan.jpg": truncated_jpeg(), "text.png": bad_crc_png(),
              "meta.webp": _whole("WEBP")[:-9], "loop.gif": _whole("GIF")[:-40],
              "turned.jpg": _whole("JPEG")}  # fmt: skip
    root = hostile_tree(tmp_path / "source", images)
    run = monograph("validate", "--source", str(root), "--format", "json")
    assert run.returncode == 1, run.stderr
    records = [r for r in json.loads(run.stdout) if r["code"] == "F112"]
    found = {(r["path"].removeprefix(f"{root}/"), r["line"], r["column"]) for r in records}
    damaged = ("scan.jpg", "text.png", "meta.webp", "loop.gif")
    assert found == {(CHAPTER, *_line(root, name)) for name in damaged}, run.stdout


def test_a_bad_checksum_stops_the_build_with_a_finding_not_a_crash(tmp_path: Path) -> None:
    """It passed validation and crashed the EPUB render (exit 3); the book lints clean."""
    root = make_book(tmp_path / "source", chapters=1)
    (root / "figures" / "chapter-0000.png").write_bytes(bad_crc_png())
    result = build(root, tmp_path / "out", formats=["epub"])
    assert result.run.returncode == 1, result.run.stderr
    errors = [
        (d.code, d.span.path, d.span.line) for d in result.diagnostics if d.severity == "error"
    ]
    chapter = "chapters/chapter-0000.md"
    text = (root / chapter).read_text().splitlines()
    line = next(n for n, s in enumerate(text, 1) if s.endswith("image: chapter-0000.png"))
    assert errors == [("F112", chapter, line)], result.run.stdout
    assert result.artifacts == []


IMAGES = {"scan.jpg": hostile_jpeg(gps=False), "text.png": hostile_png(gps=False),
          "meta.webp": hostile_webp(gps=False), "loop.gif": hostile_gif(),
          "turned.jpg": hostile_jpeg(6, shift=40, gps=False)}  # fmt: skip
"""Images whose metadata names the patient: stripped, and the book built. (A GPS position
is refused outright: ``test_a_gps_position_is_refused_and_nothing_is_built``.)"""
FIGURE_OF = {
    "scan.jpg": "fig-real-image",
    "text.png": "fig-caption-only",
    "meta.webp": "fig-never-cited",
    "loop.gif": "fig-loop",
    "turned.jpg": "fig-turned",
}
EXIF, DOCUMENT_XMP = b"Exif\x00\x00", (b"x:xmpmeta", b"xap/1.0")
"""Markers an output may hold: the EXIF of an image stored turned, a PDF's own XMP packet."""


def _pdf_streams(data: bytes) -> Iterator[tuple[bool, bytes]]:
    """Every stream of the PDF, its filters undone (DCT data as it is), and if it is an image."""
    reader = PdfReader(io.BytesIO(data))
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if isinstance(obj, StreamObject):
            yield obj.get("/Subtype") == "/Image", obj.get_data()


def test_a_gps_position_is_refused_and_nothing_is_built(tmp_path: Path) -> None:
    located = {"scan.jpg": hostile_jpeg(), "text.png": hostile_png(), "meta.webp": hostile_webp()}
    root = hostile_tree(tmp_path / "source", located)
    result = build(root, tmp_path / "out", formats=["epub", "pdf"], in_process=True, lint=False)
    refused = sorted(d.message.split("'")[1] for d in result.diagnostics if d.code == "F119")
    assert refused == ["figures/meta.webp", "figures/scan.jpg", "figures/text.png"]
    assert result.run.returncode == 1 and result.artifacts == []
    assert b"GPS-DATUM-SECRET" not in result.run.stdout.encode()


def test_a_book_built_from_metadata_laden_images_publishes_none_of_it(tmp_path: Path) -> None:
    root = hostile_tree(tmp_path / "source", IMAGES)
    for name, data in IMAGES.items():
        assert NAME in data and MRN in data, name
    result = build(root, tmp_path / "out", formats=["epub", "pdf"], in_process=True, lint=False)
    assert result.run.returncode == 0, result.diagnostics
    epubs = [a.path for a in result.artifacts if a.path.suffix == ".epub"]
    pdfs = [a.path for a in result.artifacts if a.path.suffix == ".pdf"]
    assert len(epubs) == 1 and len(pdfs) >= 3, result.artifacts

    with zipfile.ZipFile(epubs[0]) as epub:
        members = {name: epub.read(name) for name in epub.namelist()}
    pictures = {n: d for n, d in members.items() if n.endswith((".jpg", ".png", ".webp", ".gif"))}
    for name, data in members.items():
        assert [n for n in NEEDLES if n in data and n != EXIF] == [], name
    turned = [n for n, d in members.items() if EXIF in d]
    assert turned == [n for n in pictures if n.endswith("-fig-turned.jpg")], turned
    assert len(pictures) == len(IMAGES) + 1, sorted(pictures)  # and the cover
    for name, data in IMAGES.items():
        [shown] = [n for n in pictures if n.endswith(f"-{FIGURE_OF[name]}{Path(name).suffix}")]
        assert _frames(pictures[shown]) == _frames(data), f"{name}: other pixels in the EPUB"
        with Image.open(io.BytesIO(pictures[shown])) as image:
            assert dict(image.getexif()) == ({0x0112: 6} if name == "turned.jpg" else {}), name

    images: list[bytes] = []
    for pdf in pdfs:
        data = pdf.read_bytes()
        streams = list(_pdf_streams(data))
        images += [blob for image, blob in streams if image]
        for blob in (data, *(blob for _, blob in streams)):
            assert [n for n in NEEDLES if n in blob and n not in DOCUMENT_XMP] == [], pdf.name
    assert images and all(n not in blob for blob in images for n in NEEDLES)
    assert strip_metadata("JPEG", IMAGES["scan.jpg"]) in images, "the PDF embeds it as it is"


def test_an_animation_is_decoded_only_within_the_frame_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Frames × width × height is measured before a frame is decoded (F111 past the limit)."""
    from PIL import ImageFile

    from pipeline.validate import figures

    clean = _whole("GIF")  # three frames of 48 × 32
    monkeypatch.setattr(figures, "MAX_DECODED_PIXELS", 3 * 48 * 32)
    assert decode_problem(clean) is None
    monkeypatch.setattr(figures, "MAX_DECODED_PIXELS", 3 * 48 * 32 - 1)
    monkeypatch.setattr(ImageFile.ImageFile, "load", _no_decoding)
    problem = decode_problem(clean)
    assert problem is not None and problem.code == "F111", problem
    assert "3 frames of 48 × 32" in problem.message


def _no_decoding(self: object) -> None:
    raise AssertionError("a frame was decoded past the budget")
