"""Stored pixel values to 8-bit grey: the modality rescale, then a linear VOI window.

The rescale (Rescale Slope and Intercept) turns stored values into the modality's units,
Hounsfield units for CT. The window is chosen in this order: an explicit (centre, width), a
named preset, the file's own first Window Center and Window Width, else the frame's minimum
to maximum. It is applied with the linear function of PS3.3 C.11.2.1.2.1, whatever the file's
VOI LUT Function says (a VOI LUT Sequence is not applied either): the same grey for the same
numbers in every figure. An enhanced (multi-frame) image keeps both in its functional groups:
the frame's own group is read first, then the shared one.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue

from pipeline.media.problem import Problem

PRESETS: dict[str, tuple[float, float]] = {
    "bone": (500.0, 2000.0),
    "soft-tissue": (40.0, 400.0),
    "lung": (-600.0, 1500.0),
    "brain": (40.0, 80.0),
}
"""CT windows by name, (centre, width) in Hounsfield units. ``bone`` is the wide one
(500/2000) so that cortex and trabeculae both keep their detail."""

Window = tuple[float, float]
"""(centre, width) in the rescaled units."""


def frame_value(dataset: Dataset, frame: int, sequence: str, keyword: str) -> Any:
    """The attribute of ``frame``: top level, else its per-frame group, else the shared group.

    Classic images carry Rescale Slope or Window Center at the top level; enhanced ones in
    Per-frame or Shared Functional Groups Sequence, item ``sequence``. None when absent.
    """
    if keyword in dataset:
        return dataset[keyword].value
    groups = [("PerFrameFunctionalGroupsSequence", frame), ("SharedFunctionalGroupsSequence", 0)]
    for name, index in groups:
        items = dataset.get(name) or []
        if index < len(items) and sequence in items[index] and items[index][sequence].value:
            inner = items[index][sequence].value[0]
            if keyword in inner:
                return inner[keyword].value
    return None


def rescale(dataset: Dataset, frame: int, stored: NDArray[Any]) -> NDArray[np.float64]:
    """Stored values to modality units: ``stored * slope + intercept`` (1 and 0 if absent)."""
    sequence = "PixelValueTransformationSequence"
    slope = frame_value(dataset, frame, sequence, "RescaleSlope")
    intercept = frame_value(dataset, frame, sequence, "RescaleIntercept")
    slope = 1.0 if slope in (None, "") else float(slope)
    intercept = 0.0 if intercept in (None, "") else float(intercept)
    return stored.astype(np.float64) * slope + intercept


def requested(window: Window | None, preset: str | None) -> Window | Problem | None:
    """The window the caller asked for, a problem with the request, or None (the file's own)."""
    if window is not None and preset is not None:
        return Problem("invalid-window", "give a window or a preset, not both")
    if preset is not None:
        if preset not in PRESETS:
            known = ", ".join(sorted(PRESETS))
            return Problem("unknown-preset", f"unknown window preset {preset!r}; use {known}")
        return PRESETS[preset]
    if window is not None and not _usable(window):
        message = "the window needs a finite centre and a width of 1 or more"
        return Problem("invalid-window", message)
    return window


def of_file(dataset: Dataset, frame: int) -> Window | Problem | None:
    """The file's own first Window Center and Width, a problem if unusable, None if absent."""
    sequence = "FrameVOILUTSequence"
    centre = frame_value(dataset, frame, sequence, "WindowCenter")
    width = frame_value(dataset, frame, sequence, "WindowWidth")
    if centre in (None, "") or width in (None, ""):
        return None
    pair = (float(_first(centre)), float(_first(width)))
    if not _usable(pair):
        message = "the file's WindowCenter or WindowWidth is unusable; give a window or a preset"
        return Problem("invalid-window", message, ("WindowCenter", "WindowWidth"))
    return pair


def full_range(values: NDArray[np.float64]) -> Window:
    """The window that maps the lowest value to black and the highest to white."""
    low, high = float(values.min()), float(values.max())
    return (low + high + 1) / 2, high - low + 1


def linear(values: NDArray[np.float64], window: Window) -> NDArray[np.uint8]:
    """The linear VOI function of PS3.3 C.11.2.1.2.1, to grey levels 0–255.

    At or below the window's lower edge 0, above its upper edge 255, between them
    ``((x - (c - 0.5)) / (w - 1) + 0.5) * 255``, rounded to the nearest level.
    """
    centre, width = window
    lower = centre - 0.5 - (width - 1) / 2
    upper = centre - 0.5 + (width - 1) / 2
    inside = ((values - (centre - 0.5)) / max(width - 1, 1e-9) + 0.5) * 255
    grey = np.where(values <= lower, 0.0, np.where(values > upper, 255.0, inside))
    return np.clip(np.rint(grey), 0, 255).astype(np.uint8)


def _first(value: Any) -> Any:
    """The first of a multi-valued attribute (Window Center may hold several windows)."""
    return value[0] if isinstance(value, (MultiValue, list, tuple)) else value


def _usable(window: Window) -> bool:
    return all(math.isfinite(v) for v in window) and window[1] >= 1
