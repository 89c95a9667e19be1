"""Figures: image paths kept inside ``source/figures/``, files that exist, alt text, captions.

Each image file is read once, measured by its header (F108, F111), stripped of its metadata
(``imagemeta``) and then decoded whole, every frame (F112): the bytes a renderer embeds are
the ones proven here.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline import media
from pipeline.diagnostics import Sink
from pipeline.model.book import Figure, ImageFile
from pipeline.model.inline import Inline
from pipeline.model.source import FigureSource, Status
from pipeline.model.span import Span
from pipeline.read.files import file_identity
from pipeline.read.inline import InlineBuilder, SearchLocator
from pipeline.read.mdparser import parser
from pipeline.read.yaml import YamlDoc
from pipeline.validate.imagemeta import MalformedImageError, strip_metadata
from pipeline.validate.pictures import Made, Pictures, Placement

FIGURES_DIR = "figures"
MAX_ALT = 150
_FILE_NAME = re.compile(r"[^\s/\\]+\.(?:png|jpe?g|gif|webp|svg|tiff?|bmp|dcm|heic)", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
MAX_FIGURES = 60
"""A chapter declares at most this many figures; the rest are reported, not checked."""
MAX_IMAGE_BYTES = 16 * 1024 * 1024
MAX_PIXELS = 25_000_000
"""Width times height, read from the image header: the pixels a renderer would decode."""
MAX_DECODED_PIXELS = 4 * MAX_PIXELS
"""Width times height times frames: what validation decodes of an animation (F111 above)."""
_SIGNATURES: tuple[tuple[str, tuple[bytes, ...]], ...] = (
    ("PNG", (b"\x89PNG\r\n\x1a\n",)),
    ("JPEG", (b"\xff\xd8\xff",)),
    ("GIF", (b"GIF87a",)),
    ("GIF", (b"GIF89a",)),
    ("WEBP", (b"RIFF", b"WEBP")),  # RIFF, the size (4 bytes), WEBP
)
"""Each format's signature: its parts stand at offsets 0, 8, ...: what the file starts with."""
MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


class FigureChecker:
    """Checks one chapter's figures and returns them with parsed captions and checked paths."""

    def __init__(
        self,
        root: Path,
        doc: YamlDoc,
        status: Status,
        report: Sink,
        looked: dict[str, list[int] | None],
        made: Path | None = None,
    ) -> None:
        self.root, self.doc, self.status, self.report = root, doc, status, report
        self.made = made
        """Where images made of DICOM files are kept between runs (``pictures.Made``)."""
        self.looked = looked
        """Every image path under ``figures/`` this checker looked at, found or not, with
        the file's ``file_identity`` taken before anything of it was read."""

    def check(self, index: int, source: FigureSource) -> Figure:
        """Return the model figure for ``figures[index]``, reporting what is wrong with it."""
        loc = ("figures", index)
        self._alt(source, loc)
        pictures = Pictures(self.doc, self.report, loc)
        caption = self._caption(source.caption, (*loc, "caption"))
        image, placement = self._image(source, loc, pictures)
        return Figure(
            span=self.doc.span(loc),
            id=source.id,
            alt=source.alt,
            caption=caption,
            image=image,
            long_description=source.long_description,
            modality=source.modality,
            plane=source.plane,
            sequence=source.sequence,
            credit=source.credit,
            license=source.license,
            annotations=pictures.annotations(source, placement, caption),
        )

    def _alt(self, figure: FigureSource, loc: tuple[str | int, ...]) -> None:
        span = self.doc.span((*loc, "alt"))
        alt = figure.alt
        if _FILE_NAME.fullmatch(alt) or (figure.image and alt == Path(figure.image).name):
            self.report.add("F104", span, f"alt text of {figure.id} is a file name: '{alt}'")
        if len(alt) > MAX_ALT:
            self.report.add(
                "F105", span, f"alt text of {figure.id} has {len(alt)} characters (max {MAX_ALT})"
            )

    def _image(
        self, figure: FigureSource, loc: tuple[str | int, ...], pictures: Pictures
    ) -> tuple[ImageFile | None, Placement | None]:
        if figure.image is None:
            if self.status != "draft":
                message = f"{figure.id} has no image and the chapter is '{self.status}'"
                self.report.add("F103", self.doc.span(loc), message)
            return None, None
        span = self.doc.span((*loc, "image"))
        name = figure.image
        if not _safe_name(name):
            self.report.add("F101", span, f"image path '{name}' leaves source/figures/")
            return None, None
        name = "/".join(part for part in name.split("/") if part != ".")
        self.looked[f"{FIGURES_DIR}/{name}"] = file_identity(self.root / FIGURES_DIR / name)
        try:
            base = (self.root / FIGURES_DIR).resolve()
            target = (base / name).resolve()
        except (OSError, RuntimeError):  # RuntimeError: a loop of symbolic links (Python 3.11)
            self.report.add("F102", span, f"image file 'figures/{name}' is a loop of links")
            return None, None
        if not (target.is_relative_to(base) and base.is_relative_to(self.root.resolve())):
            self.report.add("F101", span, f"image path '{name}' resolves outside source/figures/")
            return None, None
        data = self._read(target, name, span)
        if data is None:
            return None, None
        if media.is_dicom(data):
            identity = self.looked[f"{FIGURES_DIR}/{name}"]
            return self._dicom(figure, data, target, name, span, pictures, identity)
        pictures.not_dicom(figure, name)
        image = self._file(data, target, name, span)
        if image is None or image.width is None or image.height is None:
            return image, None
        return image, Placement((0, 0, image.width, image.height), image.width, image.height)

    def _read(self, target: Path, name: str, span: Span) -> bytes | None:
        """The file's bytes, read once and bounded, or None (reported) when it cannot be."""
        if not target.is_file():
            self.report.add("F102", span, f"image file 'figures/{name}' does not exist")
            return None
        size = target.stat().st_size
        if size > MAX_IMAGE_BYTES:
            message = f"'figures/{name}' has {size:,} bytes; the limit is {MAX_IMAGE_BYTES:,}"
            self.report.add("F110", span, message)
            return None
        with target.open("rb") as handle:  # the one read of this file, bounded if it grew
            data = handle.read(MAX_IMAGE_BYTES + 1)
        if len(data) > MAX_IMAGE_BYTES:
            message = f"'figures/{name}' has more than {MAX_IMAGE_BYTES:,} bytes (the limit)"
            self.report.add("F110", span, message)
            return None
        return data

    def _dicom(
        self,
        figure: FigureSource,
        data: bytes,
        target: Path,
        name: str,
        span: Span,
        pictures: Pictures,
        identity: list[int] | None,
    ) -> tuple[ImageFile | None, Placement | None]:
        kept = Made(self.made, data, figure, identity)
        made = pictures.dicom_image(figure, data, name, span, kept)
        if made is None:
            return None, None
        image = ImageFile(
            path=f"{FIGURES_DIR}/{name}", location=str(target), media_type="image/png",
            size=len(made.png), width=made.width, height=made.height,
            sha256=hashlib.sha256(made.png).hexdigest(), data=made.png,
            file_sha256=hashlib.sha256(data).hexdigest(), dicom=True,
        )  # fmt: skip
        return image, Placement(made.box, made.width, made.height)

    def _file(self, data: bytes, target: Path, name: str, span: Span) -> ImageFile | None:
        kind = next((k for k, sig in _SIGNATURES if _starts_with(data, sig)), None)
        if kind is None:
            message = f"'figures/{name}' is not a PNG, JPEG, GIF, WebP or DICOM image"
            self.report.add("F108", span, message)
            return None
        pixels = pixel_size(data)
        if isinstance(pixels, Problem):
            self.report.add(pixels.code, span, f"'figures/{name}' {pixels.message}")
            return None
        if pixels is None:
            self.report.add("F112", span, f"'figures/{name}' is damaged: its header is unreadable")
            return None
        if has_gps(data):
            message = f"'figures/{name}' holds a GPS position in its EXIF (GPSInfo)"
            self.report.add("F119", span, message)
            return None
        try:
            clean = strip_metadata(kind, data)
        except MalformedImageError as err:
            self.report.add("F112", span, f"'figures/{name}' is damaged: {err}")
            return None
        problem = decode_problem(clean)
        if problem is not None:
            self.report.add(problem.code, span, f"'figures/{name}' {problem.message}")
            return None
        width, height = pixels
        return ImageFile(
            path=f"{FIGURES_DIR}/{name}", location=str(target), media_type=MEDIA_TYPES[kind],
            size=len(clean), width=width, height=height, sha256=hashlib.sha256(clean).hexdigest(),
            data=clean, file_sha256=hashlib.sha256(data).hexdigest(),
        )  # fmt: skip

    def _caption(self, caption: str, loc: tuple[str | int, ...]) -> list[Inline]:
        found = self.doc.raw(loc)
        raw, where = found if found else (caption, None)
        line = where.line if where else 1
        column = where.column if where else 1
        locate = SearchLocator(self.doc.path, raw, line, column)
        text = _unfolded(raw, caption)
        tokens = parser().parseInline(text, {})
        children = tokens[0].children or [] if tokens else []
        return InlineBuilder(locate, self.report, caption=True).build(text, children)


def _unfolded(raw: str, value: str) -> str:
    """The caption with the line breaks YAML folded away put back, when that is the same text.

    Markdown reads a line break as a space, so the caption reads the same, while each text
    node stays on one source line and lint findings point at the right line and column.
    """
    lines = raw.split("\n")
    if lines and lines[0].lstrip().startswith((">", "|")):
        lines = lines[1:]
    text = "\n".join(line.strip() for line in lines).strip()
    return text if text.split() == value.split() and "\n" in text else value


def _starts_with(head: bytes, signature: tuple[bytes, ...]) -> bool:
    return all(head[8 * i : 8 * i + len(part)] == part for i, part in enumerate(signature))


@dataclass(frozen=True)
class Problem:
    """Why an image's header makes it unfit to render: a code and the rest of the message."""

    code: str
    message: str


GPS_IFD = 0x8825
"""EXIF's GPSInfo tag: the pointer to a photograph's position (latitude, longitude, time)."""


def has_gps(data: bytes) -> bool:
    """True when the image's EXIF has a GPSInfo entry (a damaged header is F112's, not this)."""
    from PIL import Image  # imported when an image is checked: start-up stays small

    try:
        with Image.open(io.BytesIO(data)) as image:
            return GPS_IFD in image.getexif()
    except Exception:  # Pillow raises many kinds on damaged data; F112 reports those
        return False


def pixel_size(data: bytes) -> tuple[int, int] | Problem | None:
    """The image's (width, height) from its header, a ``Problem``, or None if unreadable.

    Pillow opens an image lazily: ``open`` reads the header (format, width, height) and no
    pixel, so a decompression bomb is measured without being expanded. Pillow is asked exactly
    as the renderers ask it (every format it knows), so the format checked is the format a
    renderer would decode. A header Pillow cannot read at all is a damaged image (F112).
    """
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a bomb's, an odd MPO's: the findings say it
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
    except Image.DecompressionBombError:
        return Problem("F111", f"claims more than {2 * (Image.MAX_IMAGE_PIXELS or 0):,} pixels")
    except Exception:  # Pillow's header parsers raise many kinds; the renderers then report it
        return None
    if kind not in MEDIA_TYPES:
        return Problem("F108", f"is a {kind} image, not PNG, JPEG, GIF or WebP")
    if width * height > MAX_PIXELS:
        pixels = f"{width:,} × {height:,} = {width * height:,} pixels"
        return Problem("F111", f"has {pixels}; the limit is {MAX_PIXELS:,}")
    return width, height


def decode_problem(data: bytes) -> Problem | None:
    """Why the image does not decode whole (F112), or None when every pixel of it decoded.

    Call it only after ``pixel_size`` has measured the header. Pillow's ``verify`` checks the
    PNG chunk checksums, then every frame is decoded with truncated data refused (WeasyPrint
    sets ``LOAD_TRUNCATED_IMAGES`` for the whole process on import, which would have Pillow
    draw a cut image with its missing part blank; it is restored after). Frames times their
    pixels above ``MAX_DECODED_PIXELS`` is F111, measured before any frame is decoded.
    """
    from PIL import Image, ImageFile

    tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            frames = getattr(image, "n_frames", 1)
            pixels = frames * image.width * image.height
            if pixels > MAX_DECODED_PIXELS:
                message = f"has {frames:,} frames of {image.width:,} × {image.height:,} pixels"
                return Problem("F111", f"{message}; the limit is {MAX_DECODED_PIXELS:,} in all")
            for frame in range(frames):
                image.seek(frame)
                image.load()
    except Exception as err:  # Pillow's decoders raise many kinds (OSError, SyntaxError, …)
        return Problem("F112", f"is damaged: {str(err) or type(err).__name__}")
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    return None


def _safe_name(name: str) -> bool:
    """A relative path of plain segments: no drive, scheme, backslash, '..' or encoded dots."""
    if name.startswith(("/", "~")) or "\\" in name or _SCHEME.match(name) or "\x00" in name:
        return False
    if "%2e" in name.lower() or "%2f" in name.lower():
        return False
    parts = [part for part in name.split("/") if part != "."]
    return bool(parts) and all(part not in ("", "..") for part in parts)
