"""Images for output. So far the DICOM core: de-identification, windowing, one frame to PNG.

``check(data)`` lists what keeps a DICOM file from becoming a figure; ``render(data, …)``
draws one frame as deterministic grayscale PNG bytes, or lists the problems. Both take the
file's bytes and nothing else (no path, no network), and neither raises for any input.

pydicom and numpy are imported on first use of a name other than ``is_dicom``: validation
imports this package on every run, and most books have no DICOM figure (numpy alone is a
tenth of a second of start-up).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.media.deidentify import deidentification_problems
    from pipeline.media.dicom import MAX_PIXELS, SUPPORTED, Crop, Rendered, check, render
    from pipeline.media.problem import KINDS, Problem
    from pipeline.media.window import PRESETS

_WHERE = {
    "deidentification_problems": "deidentify",
    "MAX_PIXELS": "dicom",
    "SUPPORTED": "dicom",
    "Crop": "dicom",
    "Rendered": "dicom",
    "check": "dicom",
    "render": "dicom",
    "KINDS": "problem",
    "Problem": "problem",
    "PRESETS": "window",
}

__all__ = [
    "KINDS",
    "MAX_PIXELS",
    "PRESETS",
    "SUPPORTED",
    "Crop",
    "Problem",
    "Rendered",
    "check",
    "deidentification_problems",
    "is_dicom",
    "render",
]


def is_dicom(data: bytes) -> bool:
    """Whether ``data`` is a DICOM Part 10 file: ``DICM`` after the 128-byte preamble."""
    return data[128:132] == b"DICM"


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'pipeline.media' has no attribute {name!r}")
    return getattr(import_module(f"pipeline.media.{_WHERE[name]}"), name)
