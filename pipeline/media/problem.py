"""Why a DICOM file cannot become a figure: a problem as data, never an exception.

A message names attributes by keyword and never quotes a value of the file: a value may be
a patient's name, and messages end up in CI logs, SARIF files and editors' screens. The few
words taken from a file come from closed vocabularies (a registered transfer syntax's name, a
defined photometric interpretation), never from free text.

pydicom's own warnings and log records do quote values (``Invalid value for VR UI: '…'``), so
its warnings are silenced wherever it reads (``quiet``) and its logger does not propagate to
the process's handlers: what it says stays with its own (null) handler.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

logging.getLogger("pydicom").propagate = False  # its records may quote values (see quiet)

KINDS: dict[str, str] = {
    "not-dicom": "Export the image again as a DICOM Part 10 file (or as PNG).",
    "damaged": "Export the image again; the file is cut short or an attribute is malformed.",
    "unsupported-transfer-syntax": (
        "Convert the file to Explicit VR Little Endian (for example `dcmconv +te`, or "
        "pydicom's `Dataset.decompress()`)."
    ),
    "unsupported-image": "Export a single-sample grayscale (MONOCHROME1 or MONOCHROME2) image.",
    "too-large": "Crop or downsample the image before adding it.",
    "identifying": (
        "De-identify the file (PS3.15 Annex E): empty or remove the attributes named; replace "
        "UIDs and set PatientIdentityRemoved to YES."
    ),
    "burned-in-annotation": (
        "Use an image without burned-in text, or remove the text from the pixels and set "
        "BurnedInAnnotation to NO."
    ),
    "frame-out-of-range": "Give a frame within the image's number of frames.",
    "crop-outside-image": "Give a crop box (x, y, width, height) inside the image's pixels.",
    "invalid-window": "Give a window width of at least 1, and a window or a preset, not both.",
    "unknown-preset": "Use one of the presets named in the message.",
    "preset-needs-ct": "Presets are in Hounsfield units: give an explicit window for this image.",
    "invalid-size": "Give a long side of at least 1 pixel, within the pixel limit.",
}
"""Every kind of problem and what an editor does about it (the hint of the finding)."""


@dataclass(frozen=True)
class Problem:
    """One reason a DICOM file cannot be shown: a kind of ``KINDS``, a message, attributes.

    ``attributes`` are keywords (``PatientName``), a nested one with its path
    (``OtherPatientIDsSequence[0].PatientID``), or a private tag (``(0009,1001)``): enough to
    find the value in a DICOM viewer, nothing of the value itself.
    """

    kind: str
    message: str
    attributes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown problem kind {self.kind!r}")

    def __str__(self) -> str:
        return self.message


def listing(names: tuple[str, ...], most: int = 8) -> str:
    """``A, B, C`` and, past ``most`` names, ``and N more``: a message stays one line."""
    shown = ", ".join(names[:most])
    return f"{shown} and {len(names) - most} more" if len(names) > most else shown


@contextmanager
def quiet() -> Iterator[None]:
    """Silence warnings while pydicom reads or converts: they may quote a value."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
