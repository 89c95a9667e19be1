"""Metadata stripped from a figure image's bytes, its pixels' encoding left as it was.

Cameras, scanners, PACS exports and editors write more than pixels into an image file: EXIF
(GPS position, camera owner, ``Artist``, dates), XMP, IPTC, comments, PNG text chunks. In a
radiology book that can be a patient's name or record number, and a renderer that embeds
the file embeds all of it. Each function here takes a file's bytes and returns the same
image without its metadata, by walking the format's container (JPEG segments, PNG chunks,
RIFF chunks, GIF blocks) and keeping only what a decoder needs to draw the pixels and their
colours. Pixel data is copied byte for byte: nothing is decoded or encoded again, so a
JPEG loses no quality.

What each format keeps (everything else goes, including bytes after the image's end):

- JPEG: the frame, table, restart and scan segments; APP0 ``JFIF`` (its thumbnail
  dropped); APP2 ``ICC_PROFILE``; APP14 ``Adobe`` (its 12 bytes, which say how to read CMYK
  colour). Gone: APP1 (EXIF, XMP), APP13 (IPTC, Photoshop), every other APPn, COM, MPF.
- PNG: the critical chunks and the chunks of colour, transparency, pixel size and animation
  (``_PNG_KEPT``); ``iCCP`` with its free-text name replaced. Gone: ``tEXt``, ``zTXt``,
  ``iTXt``, ``eXIf``, ``tIME`` and every chunk not listed.
- WebP: the bitstream chunks (``VP8 ``, ``VP8L``, ``ALPH``), ``ICCP``, ``ANIM`` and
  ``ANMF`` (each frame's unknown chunks dropped); the ``VP8X`` flags for EXIF and XMP cleared.
- GIF: images, colour tables and graphic control; the ``NETSCAPE2.0`` (or ``ANIMEXTS1.0``)
  loop count, rewritten. Gone: comments, plain-text extensions, other application blocks.

EXIF orientation: a photograph of a film taken with a phone is often stored sideways with
an EXIF ``Orientation`` telling viewers to turn it. Dropping that would print the image
sideways, so when the orientation is not 1 (upright) a new EXIF block holding that one tag
and nothing else (``orientation_exif``) takes the old one's place. Renderers then draw the
image exactly as before (WeasyPrint and EPUB reading systems both turn by it).

A container that does not hold together (a length past the end, a bad PNG checksum, a
JPEG without its end marker) raises ``MalformedImageError``: validation reports it (F112), because
an image that cannot be walked cannot be proven clean.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ORIENTATION_TAG = 0x0112
"""EXIF (TIFF) tag of the orientation: 1 upright, 2-8 mirrored and/or turned."""
_EXIF_PREFIX = b"Exif\x00\x00"
"""What starts a JPEG APP1 EXIF segment (and, by some writers, a PNG or WebP EXIF block)."""
_PNG_KEPT = frozenset(
    {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT",
     b"sRGB", b"cICP", b"mDCv", b"cLLi", b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT"}
)  # fmt: skip
"""PNG chunks that draw pixels, their colours, transparency, size or animation."""
_ICC_NAME = b"ICC profile"
"""The name every kept PNG ``iCCP`` chunk gets: the original is free text."""
_WEBP_KEPT = frozenset({b"VP8X", b"VP8 ", b"VP8L", b"ALPH", b"ICCP", b"ANIM", b"ANMF"})
_WEBP_FRAME_KEPT = frozenset({b"VP8 ", b"VP8L", b"ALPH"})
_VP8X_EXIF, _VP8X_XMP = 0x08, 0x04
_GIF_LOOPS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")


class MalformedImageError(ValueError):
    """The bytes do not hold together as their format requires; the message says how."""


def strip_metadata(kind: str, data: bytes) -> bytes:
    """The image ``data`` of format ``kind`` (``PNG``, ``JPEG``, ``GIF``, ``WEBP``), clean.

    Raises ``MalformedImageError`` when the container cannot be walked, and ``KeyError`` for another
    format (validation admits only these four).
    """
    strip: dict[str, Callable[[bytes], bytes]] = {
        "JPEG": strip_jpeg, "PNG": strip_png, "WEBP": strip_webp, "GIF": strip_gif,
    }  # fmt: skip
    return strip[kind](data)


# EXIF orientation -------------------------------------------------------------------------


def exif_orientation(block: bytes) -> int:
    """The ``Orientation`` of an EXIF block (TIFF structure, maybe after ``Exif``); 1 if none.

    Only the first image directory (IFD0) is read, where the tag lives; a block that cannot
    be read, or a value outside 1-8, counts as upright.
    """
    tiff = block.removeprefix(_EXIF_PREFIX)
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None or len(tiff) < 8:
        return 1
    magic, offset = struct.unpack(order + "HI", tiff[2:8])
    if magic != 42 or offset + 2 > len(tiff):
        return 1
    (count,) = struct.unpack(order + "H", tiff[offset : offset + 2])
    for start in range(offset + 2, min(offset + 2 + 12 * count, len(tiff) - 11), 12):
        tag, kind, number = struct.unpack(order + "HHI", tiff[start : start + 8])
        if tag == ORIENTATION_TAG:
            (value,) = struct.unpack(order + "H", tiff[start + 8 : start + 10])
            return value if kind == 3 and number == 1 and 1 <= value <= 8 else 1
    return 1


def orientation_exif(orientation: int) -> bytes:
    """An EXIF block (TIFF structure, big-endian) of one tag, ``Orientation``, and nothing else."""
    if not 1 <= orientation <= 8:
        raise ValueError(f"EXIF orientation is 1 to 8, not {orientation}")
    entry = struct.pack(">HHIHH", ORIENTATION_TAG, 3, 1, orientation, 0)  # SHORT, one value
    return b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1) + entry + bytes(4)


# JPEG -------------------------------------------------------------------------------------


def strip_jpeg(data: bytes) -> bytes:
    """A JPEG's segments without metadata; scans copied as they are, nothing after EOI."""
    if not data.startswith(b"\xff\xd8"):
        raise MalformedImageError("the JPEG does not start with its start-of-image marker")
    out, pos, end = [b"\xff\xd8"], 2, len(data)
    orientation, exif_at = 1, -1
    while True:
        if pos >= end:
            raise MalformedImageError("the JPEG ends before its end-of-image marker (truncated)")
        if data[pos] != 0xFF:
            raise MalformedImageError(
                f"the JPEG has stray data at byte {pos} where a marker belongs"
            )
        while pos < end and data[pos] == 0xFF:  # fill bytes may precede any marker
            pos += 1
        if pos >= end:
            raise MalformedImageError("the JPEG ends before its end-of-image marker (truncated)")
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            out.append(b"\xff\xd9")
            return _with_orientation(out, exif_at, orientation)
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # TEM, RSTn: no length
            out.append(bytes((0xFF, marker)))
            continue
        if marker in (0x00, 0xD8):
            raise MalformedImageError(
                f"the JPEG has a misplaced marker 0xFF{marker:02X} at byte {pos - 2}"
            )
        if pos + 2 > end:
            raise MalformedImageError("the JPEG ends inside a segment (truncated)")
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > end:
            raise MalformedImageError(
                f"the JPEG's segment at byte {pos - 2} runs past the end (truncated)"
            )
        body = data[pos + 2 : pos + length]
        pos += length
        if marker == 0xE1 and body.startswith(_EXIF_PREFIX):
            if exif_at < 0:
                exif_at, orientation = len(out), exif_orientation(body)
            continue
        kept = _jpeg_segment(marker, body)
        if kept is not None:
            out.append(b"\xff" + bytes((marker,)) + struct.pack(">H", len(kept) + 2) + kept)
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next real marker
            scan_end = _scan_end(data, pos)
            out.append(data[pos:scan_end])
            pos = scan_end


def _jpeg_segment(marker: int, body: bytes) -> bytes | None:
    """The body to keep of a JPEG segment, or None to drop it."""
    if marker == 0xE0:  # APP0: JFIF's 14 bytes, thumbnail size set to none
        return body[:12] + b"\x00\x00" if body.startswith(b"JFIF\x00") and len(body) >= 14 else None
    if marker == 0xE2:  # APP2: the ICC profile (MPF and FlashPix go)
        return body if body.startswith(b"ICC_PROFILE\x00") else None
    if marker == 0xEE:  # APP14: Adobe's colour transform, 12 bytes
        return body[:12] if body.startswith(b"Adobe") and len(body) >= 12 else None
    if 0xC0 <= marker <= 0xCF or 0xDA <= marker <= 0xDF or marker == 0xDB:
        return body  # frames, Huffman and arithmetic tables, quantisation, restart, scan, DNL
    return None  # other APPn (EXIF, XMP, IPTC, Photoshop…), COM, JPGn, reserved markers


def _scan_end(data: bytes, pos: int) -> int:
    """Where the entropy-coded data starting at ``pos`` ends: at the next marker."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            raise MalformedImageError("the JPEG ends inside its image data (truncated)")
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:  # a stuffed 0xFF, a restart
            pos += 2
        elif following == 0xFF:  # fill before a marker
            pos += 1
        else:
            return pos


def _with_orientation(out: list[bytes], at: int, orientation: int) -> bytes:
    if orientation != 1:
        exif = _EXIF_PREFIX + orientation_exif(orientation)
        out.insert(at, b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif)
    return b"".join(out)


# PNG --------------------------------------------------------------------------------------


def strip_png(data: bytes) -> bytes:
    """A PNG's chunks without metadata, every chunk's checksum checked, nothing after IEND."""
    if not data.startswith(PNG_SIGNATURE):
        raise MalformedImageError("the PNG does not start with its signature")
    out, pos, end = [PNG_SIGNATURE], len(PNG_SIGNATURE), len(data)
    orientation: int | None = None  # of the first eXIf chunk
    header_at = 1
    while True:
        if pos + 12 > end:
            raise MalformedImageError("the PNG ends before its IEND chunk (truncated)")
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        name = kind.decode("latin-1")
        if not kind.isalpha() or length > 0x7FFFFFFF:
            raise MalformedImageError(f"the PNG has a damaged chunk header at byte {pos}")
        if pos + 12 + length > end:
            raise MalformedImageError(
                f"the PNG's {name} chunk at byte {pos} runs past the end (truncated)"
            )
        crc = int.from_bytes(data[pos + 8 + length : pos + 12 + length], "big")
        if zlib.crc32(kind + body) != crc:
            raise MalformedImageError(
                f"the PNG's {name} chunk at byte {pos} fails its checksum (CRC)"
            )
        pos += 12 + length
        if kind == b"eXIf":
            orientation = exif_orientation(body) if orientation is None else orientation
        elif kind == b"iCCP":
            out.append(_png_chunk(kind, _icc_renamed(body)))
        elif kind in _PNG_KEPT:
            out.append(_png_chunk(kind, body))
        if kind == b"IHDR":
            header_at = len(out)
        if kind == b"IEND":
            if orientation not in (None, 1):  # eXIf must come before the image data
                exif = orientation_exif(orientation or 1)
                out.insert(header_at, _png_chunk(b"eXIf", exif))
            return b"".join(out)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body)
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _icc_renamed(body: bytes) -> bytes:
    """An ``iCCP`` chunk's body with its name (free text, up to 79 bytes) replaced."""
    end = body.find(b"\x00", 0, 80)
    if end < 1:
        raise MalformedImageError("the PNG's iCCP chunk has no valid profile name")
    return _ICC_NAME + body[end:]


# WebP -------------------------------------------------------------------------------------


def strip_webp(data: bytes) -> bytes:
    """A WebP's RIFF chunks without EXIF, XMP or unknown chunks; nothing after the RIFF."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise MalformedImageError("the WebP does not start with its RIFF header")
    size = int.from_bytes(data[4:8], "little")
    if size < 4 or 8 + size > len(data):
        raise MalformedImageError("the WebP is shorter than its RIFF header says (truncated)")
    chunks = _riff_chunks(data[12 : 8 + size], 12)
    if not chunks or chunks[0][0] != b"VP8X":  # the simple format: one bitstream chunk
        kept = [(kind, body) for kind, body in chunks if kind in (b"VP8 ", b"VP8L")]
        return _riff(kept)
    orientation = next((exif_orientation(b) for k, b in chunks if k == b"EXIF"), 1)
    kept = []
    for kind, body in chunks:
        if kind == b"VP8X":
            if len(body) < 10:
                raise MalformedImageError("the WebP's VP8X chunk is too short")
            flags = body[0] & ~(_VP8X_EXIF | _VP8X_XMP) | (_VP8X_EXIF if orientation != 1 else 0)
            body = bytes((flags,)) + body[1:]
        elif kind == b"ANMF":
            if len(body) < 16:
                raise MalformedImageError("the WebP's ANMF chunk is too short")
            frame = [(k, b) for k, b in _riff_chunks(body[16:], 0) if k in _WEBP_FRAME_KEPT]
            body = body[:16] + _chunks(frame)
        if kind in _WEBP_KEPT:
            kept.append((kind, body))
    if orientation != 1:  # EXIF follows the image data
        kept.append((b"EXIF", orientation_exif(orientation)))
    return _riff(kept)


def _riff_chunks(data: bytes, offset: int) -> list[tuple[bytes, bytes]]:
    """The (FourCC, payload) chunks of ``data``, which starts at byte ``offset`` of the file."""
    chunks, pos = [], 0
    while pos < len(data):
        if pos + 8 > len(data):
            raise MalformedImageError(
                f"the WebP has a cut chunk header at byte {offset + pos} (truncated)"
            )
        kind, size = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "little")
        if pos + 8 + size > len(data):
            raise MalformedImageError(f"the WebP's chunk at byte {offset + pos} runs past the end")
        chunks.append((kind, data[pos + 8 : pos + 8 + size]))
        pos += 8 + size + size % 2  # a chunk of odd size is padded to even
    return chunks


def _chunks(chunks: list[tuple[bytes, bytes]]) -> bytes:
    return b"".join(
        kind + struct.pack("<I", len(body)) + body + b"\x00" * (len(body) % 2)
        for kind, body in chunks
    )


def _riff(chunks: list[tuple[bytes, bytes]]) -> bytes:
    body = b"WEBP" + _chunks(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


# GIF --------------------------------------------------------------------------------------


def strip_gif(data: bytes) -> bytes:
    """A GIF's blocks without comments, plain text or foreign application data."""
    if len(data) < 13 or data[:6] not in (b"GIF87a", b"GIF89a"):
        raise MalformedImageError("the GIF does not start with its header")
    pos = 13 + _colour_table(data[10])
    out, end = [data[:pos]], len(data)
    while True:
        if pos >= end:
            raise MalformedImageError("the GIF ends before its trailer (truncated)")
        block = data[pos]
        if block == 0x3B:  # trailer
            out.append(b";")
            return b"".join(out)
        if block == 0x2C:  # image: descriptor, local colour table, LZW code size, data
            if pos + 11 > end:
                raise MalformedImageError(f"the GIF's image at byte {pos} is cut short (truncated)")
            start = pos
            pos = _sub_blocks_end(data, pos + 11 + _colour_table(data[pos + 9]))
            out.append(data[start:pos])
        elif block == 0x21:  # extension: label, sub-blocks
            if pos + 2 > end:
                raise MalformedImageError(
                    f"the GIF's extension at byte {pos} is cut short (truncated)"
                )
            label, start, pos = data[pos + 1], pos + 2, _sub_blocks_end(data, pos + 2)
            kept = _gif_extension(label, _sub_blocks(data, start))
            if kept is not None:
                out.append(kept)
        else:
            raise MalformedImageError(f"the GIF has an unknown block (0x{block:02X}) at byte {pos}")


def _colour_table(flags: int) -> int:
    """The size in bytes of the colour table a GIF descriptor's packed ``flags`` announce."""
    return 3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0


def _sub_blocks_end(data: bytes, pos: int) -> int:
    """Where the run of sub-blocks starting at ``pos`` ends (after its empty terminator)."""
    while True:
        if pos >= len(data):
            raise MalformedImageError("the GIF ends inside a block (truncated)")
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


def _sub_blocks(data: bytes, pos: int) -> list[bytes]:
    blocks = []
    while data[pos]:  # _sub_blocks_end has checked the run holds together
        blocks.append(data[pos + 1 : pos + 1 + data[pos]])
        pos += 1 + data[pos]
    return blocks


def _gif_extension(label: int, blocks: list[bytes]) -> bytes | None:
    """The extension to keep, written anew from what it must hold, or None to drop it."""
    if label == 0xF9 and blocks and len(blocks[0]) == 4:  # graphic control: delay, disposal
        return b"\x21\xf9\x04" + blocks[0] + b"\x00"
    loop = len(blocks) >= 2 and blocks[0] in _GIF_LOOPS and len(blocks[1]) == 3
    if label == 0xFF and loop and blocks[1][0] == 1:  # the loop count
        return b"\x21\xff\x0bNETSCAPE2.0\x03" + blocks[1] + b"\x00"
    return None  # comments, plain text, other applications (XMP, ICC…)
