"""Images for output. So far the DICOM core: de-identification, windowing, one frame to PNG.

``check(data)`` lists what keeps a DICOM file from becoming a figure; ``render(data, …)``
draws one frame as deterministic grayscale PNG bytes, or lists the problems. Both take the
file's bytes and nothing else (no path, no network), and neither raises for any input.
"""

from pipeline.media.deidentify import deidentification_problems
from pipeline.media.dicom import (
    MAX_PIXELS,
    SUPPORTED,
    Crop,
    Rendered,
    check,
    is_dicom,
    render,
)
from pipeline.media.problem import KINDS, Problem
from pipeline.media.window import PRESETS

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
