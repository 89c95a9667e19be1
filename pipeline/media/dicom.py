"""DICOM figures: read only the bytes given, refuse what identifies, render a frame to PNG.

``check`` says whether a file may become a figure at all; ``render`` turns one frame into
deterministic 8-bit grayscale PNG bytes. Neither raises for any input: whatever goes wrong
is a ``Problem``, whose message never quotes a value of the file (nor do pydicom's warnings
and log records get out: ``problem.quiet``).

What decodes: the transfer syntaxes pydicom reads by itself, with no plugin and no host
library that could change the pixels (uncompressed, and RLE Lossless with pydicom's own
decoder). Others, JPEG and JPEG 2000 among them, are refused by name: their decoded pixels
would depend on which decoder is installed. Deflated files are refused too, before inflating
(a small file can inflate to gigabytes). Colour is refused: the output is grayscale, and a
colour DICOM figure (a fused PET, a Doppler frame) is better exported as PNG.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np
from PIL import Image
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.filereader import read_dataset, read_preamble
from pydicom.pixels.utils import pixel_array
from pydicom.tag import BaseTag
from pydicom.uid import (
    UID,
    AllTransferSyntaxes,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    RLELossless,
)

from pipeline.media import is_dicom
from pipeline.media import window as windows
from pipeline.media.deidentify import deidentification_problems
from pipeline.media.problem import Problem, quiet

SUPPORTED = frozenset(
    {ImplicitVRLittleEndian, ExplicitVRLittleEndian, ExplicitVRBigEndian, RLELossless}
)
"""Transfer syntaxes pydicom decodes by itself, the same pixels on every host."""
MAX_PIXELS = 25_000_000
"""A frame's pixels, and an output's: the limit figures have (F111), measured before decoding."""
PIXEL_DATA = ("PixelData", "FloatPixelData", "DoubleFloatPixelData")
PHOTOMETRIC = frozenset(
    {"MONOCHROME1", "MONOCHROME2", "PALETTE COLOR", "RGB", "HSV", "ARGB", "CMYK", "YBR_FULL",
     "YBR_FULL_422", "YBR_PARTIAL_422", "YBR_PARTIAL_420", "YBR_ICT", "YBR_RCT", "XYB"}
)  # fmt: skip
"""PS3.3's defined photometric interpretations: the only file values a message may quote."""

Crop = tuple[int, int, int, int]
"""(x, y, width, height) in the source frame's pixels, x to the right, y down."""


@dataclass(frozen=True)
class Rendered:
    """A rendered frame: PNG bytes (8-bit grayscale, no text or time chunk) and pixel size.

    ``box`` is the part of the source frame drawn, (x, y, width, height): the crop, or the
    whole frame; with ``width`` it maps a point of the source frame onto the PNG.
    """

    png: bytes = field(repr=False)
    width: int
    height: int
    box: Crop = (0, 0, 0, 0)


def _read(data: bytes) -> Dataset | Problem:
    """The dataset of a DICOM file in a transfer syntax we decode, or why not.

    The file meta is read first, alone, so that a syntax we refuse (a deflated one above all)
    is refused before the rest of the file is parsed.
    """
    if not is_dicom(data):
        return Problem("not-dicom", "is not a DICOM file (no DICM after the 128-byte preamble)")
    with quiet():
        try:
            syntax = _transfer_syntax(data)
            if syntax not in SUPPORTED:
                return _unsupported(syntax)
            return dcmread(io.BytesIO(data))
        except Exception:  # pydicom's parsers raise many kinds; their messages may quote values
            return Problem("damaged", "is a DICOM file that cannot be read")


def check(data: bytes) -> list[Problem]:
    """Everything that keeps the file from becoming a figure, found with no pixel decoded.

    Empty when the file reads, identifies no one, and holds a grayscale image within the
    pixel limit. The frame, crop, window and size asked for are ``render``'s to check.
    """
    dataset = _read(data)
    if isinstance(dataset, Problem):
        return [dataset]
    return [*deidentification_problems(dataset), *_image_problems(dataset)]


def render(
    data: bytes,
    *,
    window: tuple[float, float] | None = None,
    preset: str | None = None,
    frame: int = 0,
    crop: Crop | None = None,
    long_side: int | None = None,
) -> Rendered | list[Problem]:
    """One frame as PNG, or every problem found (a file that identifies is never decoded).

    ``window`` is (centre, width) in the rescaled units (Hounsfield units for CT); ``preset``
    names a CT window of ``window.PRESETS``; with neither, the file's own window, else the
    frame's full range. ``frame`` counts from 0. ``crop`` is taken from the source frame,
    then the result is resized (Lanczos) so its longer side is ``long_side`` pixels, the
    aspect ratio kept. MONOCHROME1 is inverted so that higher values are always whiter.
    """
    asked = windows.requested(window, preset)
    shapes = (asked, _crop_shape(crop), _size_shape(long_side))
    problems = [p for p in shapes if isinstance(p, Problem)]
    dataset = _read(data)
    if isinstance(dataset, Problem):
        return [dataset, *problems]
    problems = [*deidentification_problems(dataset), *_image_problems(dataset), *problems]
    if not problems:
        problems = _fit_problems(dataset, frame, crop, long_side, preset)
    if problems or isinstance(asked, Problem):
        return problems
    return _draw(dataset, frame, asked, crop, long_side)


def _draw(
    dataset: Dataset,
    frame: int,
    asked: tuple[float, float] | None,
    crop: Crop | None,
    long_side: int | None,
) -> Rendered | list[Problem]:
    values = _values(dataset, frame)
    if isinstance(values, Problem):
        return [values]
    chosen = asked or _file_window(dataset, frame)
    if isinstance(chosen, Problem):
        return [chosen]
    x, y, width, height = crop or (0, 0, values.shape[1], values.shape[0])
    grey = windows.linear(
        values[y : y + height, x : x + width], chosen or windows.full_range(values)
    )
    if _text(dataset, "PhotometricInterpretation") == "MONOCHROME1":
        grey = 255 - grey
    png, out_width, out_height = _png(grey, long_side)
    return Rendered(png, out_width, out_height, (x, y, width, height))


def _values(dataset: Dataset, frame: int) -> np.ndarray | Problem:
    """The frame's pixels in modality units (float64), or why they do not decode."""
    with quiet():
        try:
            plugin = "pydicom" if dataset.file_meta.TransferSyntaxUID == RLELossless else ""
            stored = pixel_array(dataset, index=frame, decoding_plugin=plugin)
        except Exception:  # pydicom's decoders raise many kinds; their messages may quote values
            return Problem("damaged", "its pixel data cannot be decoded", ("PixelData",))
        try:
            values = windows.rescale(dataset, frame, stored)
        except Exception:  # a Rescale Slope or Intercept that is not a number
            message = "RescaleSlope or RescaleIntercept is not a number"
            return Problem("damaged", message, ("RescaleSlope", "RescaleIntercept"))
    if values.ndim != 2 or not np.isfinite(values).all():
        return Problem("damaged", "its pixel data holds values that are not numbers", PIXEL_DATA)
    return values


def _file_window(dataset: Dataset, frame: int) -> tuple[float, float] | Problem | None:
    with quiet():
        try:
            return windows.of_file(dataset, frame)
        except Exception:  # a Window Center or Width that is not a number
            message = "WindowCenter or WindowWidth is not a number; give a window or a preset"
            return Problem("invalid-window", message, ("WindowCenter", "WindowWidth"))


def _png(grey: np.ndarray, long_side: int | None) -> tuple[bytes, int, int]:
    """Deterministic PNG bytes: mode L, Pillow's default compression, no ancillary chunk."""
    image = Image.fromarray(np.ascontiguousarray(grey))
    if long_side is not None:
        size = _scaled(image.width, image.height, long_side)
        if size != image.size:
            image = image.resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue(), image.width, image.height


def _scaled(width: int, height: int, long_side: int) -> tuple[int, int]:
    """(width, height) with the longer side ``long_side``, the other kept in proportion."""
    if width >= height:
        return long_side, max(1, round(height * long_side / width))
    return max(1, round(width * long_side / height)), long_side


def _image_problems(dataset: Dataset) -> list[Problem]:
    """Why the dataset holds no image we render: no pixels, colour, a LUT, too many pixels."""
    if not any(keyword in dataset for keyword in PIXEL_DATA):
        return [Problem("unsupported-image", "holds no pixel data", ("PixelData",))]
    photometric = _text(dataset, "PhotometricInterpretation")
    samples = _number(dataset, "SamplesPerPixel", 1)
    if photometric not in ("MONOCHROME1", "MONOCHROME2") or samples != 1:
        named = photometric if photometric in PHOTOMETRIC else "an unknown interpretation"
        message = f"is {named}, not grayscale (MONOCHROME1 or MONOCHROME2, one sample)"
        return [Problem("unsupported-image", message, ("PhotometricInterpretation",))]
    if "ModalityLUTSequence" in dataset:
        message = "maps its values with a ModalityLUTSequence, which is not supported"
        return [Problem("unsupported-image", message, ("ModalityLUTSequence",))]
    rows, columns = _number(dataset, "Rows", 0), _number(dataset, "Columns", 0)
    if rows < 1 or columns < 1:
        return [Problem("damaged", "gives no usable Rows and Columns", ("Rows", "Columns"))]
    if rows * columns > MAX_PIXELS:
        message = f"has {columns:,} × {rows:,} pixels a frame; the limit is {MAX_PIXELS:,}"
        return [Problem("too-large", message, ("Rows", "Columns"))]
    if _number(dataset, "NumberOfFrames", 1) < 1:
        return [Problem("damaged", "gives no usable NumberOfFrames", ("NumberOfFrames",))]
    return []


def _fit_problems(
    dataset: Dataset, frame: int, crop: Crop | None, long_side: int | None, preset: str | None
) -> list[Problem]:
    """Whether the frame, crop box, size and preset asked for fit this image."""
    problems = []
    frames = _number(dataset, "NumberOfFrames", 1)
    rows, columns = _number(dataset, "Rows", 0), _number(dataset, "Columns", 0)
    if not 0 <= frame < frames:
        message = f"has {frames} frame(s); the frame asked for is not one of them"
        problems.append(Problem("frame-out-of-range", message, ("NumberOfFrames",)))
    x, y, width, height = crop or (0, 0, columns, rows)
    if x + width > columns or y + height > rows:
        box = f"({x}, {y}, {width}, {height})"
        message = f"the crop box {box} reaches outside the {columns} × {rows} image"
        problems.append(Problem("crop-outside-image", message, ("Columns", "Rows")))
    elif long_side is not None and _area(_scaled(width, height, long_side)) > MAX_PIXELS:
        message = f"a long side of {long_side} pixels makes more than {MAX_PIXELS:,} pixels"
        problems.append(Problem("invalid-size", message))
    if preset is not None and _text(dataset, "Modality") != "CT":
        message = f"the preset {preset!r} is in Hounsfield units, and the Modality is not CT"
        problems.append(Problem("preset-needs-ct", message, ("Modality",)))
    return problems


def _crop_shape(crop: Crop | None) -> Problem | None:
    if crop is None or (crop[0] >= 0 and crop[1] >= 0 and crop[2] >= 1 and crop[3] >= 1):
        return None
    message = "the crop box needs x and y of 0 or more, and a width and height of 1 or more"
    return Problem("crop-outside-image", message)


def _size_shape(long_side: int | None) -> Problem | None:
    if long_side is None or long_side >= 1:
        return None
    return Problem("invalid-size", f"a long side of {long_side} pixels; give 1 or more")


def _area(size: tuple[int, int]) -> int:
    return size[0] * size[1]


def _transfer_syntax(data: bytes) -> UID:
    """The file meta's Transfer Syntax UID, read with nothing after group 0002."""
    stream = io.BytesIO(data)
    read_preamble(stream, False)
    meta = read_dataset(stream, False, True, stop_when=_after_file_meta)
    return UID(str(meta.get("TransferSyntaxUID", "") or ""))


def _after_file_meta(tag: BaseTag, vr: str | None, length: int) -> bool:
    return tag >> 16 != 2


def _unsupported(syntax: UID) -> Problem:
    """Name a registered syntax; an unregistered UID is not quoted (it is a file value)."""
    if not syntax:
        return Problem("damaged", "gives no TransferSyntaxUID", ("TransferSyntaxUID",))
    name = syntax.name if syntax in AllTransferSyntaxes else "an unregistered transfer syntax"
    return Problem("unsupported-transfer-syntax", f"unsupported transfer syntax {name}",
                   ("TransferSyntaxUID",))  # fmt: skip


def _text(dataset: Dataset, keyword: str) -> str:
    """A top-level coded string, stripped and upper-cased; empty when absent or malformed."""
    with quiet():
        try:
            return str(dataset.get(keyword, "") or "").strip().upper()
        except Exception:  # pydicom's converters raise many kinds on malformed values
            return ""


def _number(dataset: Dataset, keyword: str, default: int) -> int:
    """A top-level integer attribute; ``default`` when absent, -1 when malformed."""
    with quiet():
        try:
            value = dataset.get(keyword)
            return default if value in (None, "") else int(value)
        except Exception:  # pydicom's converters raise many kinds on malformed values
            return -1
