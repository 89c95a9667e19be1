"""A figure's picture settings: DICOM made into an image, annotations placed and told.

A DICOM file is never embedded. ``dicom_image`` asks ``pipeline.media`` for the image a
figure's settings describe (window or preset, frame, crop, size): a file that still
identifies a patient, or has text burned into its pixels, is refused here with the
attributes named and never their values (F113, F114), and nothing of it goes further.
``annotations`` checks each marker against the image and the caption (F116, F117, F118) and
moves it from the source frame's pixels to the pixels of the image embedded.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline import media
from pipeline.diagnostics import Sink
from pipeline.model.inline import Inline, Marker
from pipeline.model.source import Annotation, FigureSource
from pipeline.model.span import Span
from pipeline.model.walk import inlines
from pipeline.read.files import write_atomic
from pipeline.read.yaml import YamlDoc

DICOM_ONLY = ("window", "frame", "crop", "size")
"""The settings that make an image of a DICOM file; on any other image they mean nothing."""
CODES = {
    "identifying": "F113",
    "burned-in-annotation": "F114",
    "unsupported-transfer-syntax": "F115",
    "unsupported-image": "F115",
    "not-dicom": "F112",
    "damaged": "F112",
    "too-large": "F111",
    "frame-out-of-range": "F116",
    "crop-outside-image": "F116",
    "invalid-window": "F116",
    "unknown-preset": "F116",
    "preset-needs-ct": "F116",
    "invalid-size": "F116",
}
"""Each of ``media.KINDS`` as a finding code."""
SETTING = {
    "frame-out-of-range": "frame",
    "crop-outside-image": "crop",
    "invalid-window": "window",
    "unknown-preset": "window",
    "preset-needs-ct": "window",
    "invalid-size": "size",
}
"""Where a problem of the settings is reported: at the setting, not at the file name."""


@dataclass(frozen=True)
class Placement:
    """How the source frame's pixels land on the image embedded: the box drawn, its size."""

    box: tuple[int, int, int, int]
    """(x, y, width, height) of the source frame that was drawn (the crop, or all of it)."""
    width: int
    height: int
    """The image embedded, in pixels."""

    def place(self, at: tuple[int, int]) -> tuple[int, int] | None:
        """``at`` (source pixels) in the embedded image's pixels; None outside the box."""
        x, y, width, height = self.box
        if not (x <= at[0] < x + width and y <= at[1] < y + height):
            return None
        scale = self.width / width
        return round((at[0] - x) * scale), round((at[1] - y) * scale)


MADE_FORMAT = 1
"""Bumped when what ``Made`` keeps changes shape."""


class Made:
    """Images made of DICOM files, kept between runs: one JSON file per file and settings.

    The key is the DICOM file's SHA-256, the figure's settings, the media package's code and
    ``stat``'s identity of the file (device, inode, size, times): an entry planted in a
    checkout, or copied from another, never matches, as with the chapter cache
    (docs/security.md §2.1). An entry that cannot be read is made again; it is JSON, never
    pickle.
    """

    def __init__(
        self, folder: Path | None, data: bytes, source: FigureSource, identity: list[int] | None
    ) -> None:
        self.path: Path | None = None
        if folder is not None and identity is not None:
            settings = source.model_dump(include=set(DICOM_ONLY), mode="json")
            basis = [MADE_FORMAT, _code(), hashlib.sha256(data).hexdigest(), settings, identity]
            key = hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()
            self.path = folder / f"{key}.json"

    def get(self) -> media.Rendered | None:
        """The image kept under this key, or None (absent, unreadable, not ours)."""
        if self.path is None:
            return None
        try:
            entry = json.loads(self.path.read_bytes())
            png = base64.b64decode(entry["png"], validate=True)
            x, y, width, height = (int(v) for v in entry["box"])
            made = media.Rendered(
                png, int(entry["width"]), int(entry["height"]), (x, y, width, height)
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return made if png.startswith(b"\x89PNG\r\n\x1a\n") else None

    def put(self, made: media.Rendered) -> None:
        """Keep ``made`` for the next run; a folder that cannot be written keeps nothing."""
        if self.path is None:
            return
        entry = {"png": base64.b64encode(made.png).decode(), "width": made.width,
                 "height": made.height, "box": list(made.box)}  # fmt: skip
        with contextlib.suppress(OSError):
            write_atomic(self.path, json.dumps(entry).encode(), sync=False)


@lru_cache(maxsize=1)
def _code() -> str:
    """The SHA-256 of the media package's code: a change to how images are made is a new key."""
    folder = Path(media.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class Pictures:
    """Checks one figure's picture settings, reporting at their lines in the front matter."""

    def __init__(self, doc: YamlDoc, report: Sink, loc: tuple[str | int, ...]) -> None:
        self.doc, self.report, self.loc = doc, report, loc

    def span(self, *keys: str | int) -> Span:
        """Where ``figures[i].<keys>`` is written."""
        return self.doc.span((*self.loc, *keys))

    def not_dicom(self, source: FigureSource, name: str) -> None:
        """Report each DICOM-only setting of a figure whose image is not DICOM (F116)."""
        for setting in DICOM_ONLY:
            if getattr(source, setting) is not None:
                message = f"'{setting}' applies to DICOM images only; 'figures/{name}' is not one"
                self.report.add("F116", self.span(setting), message)

    def dicom_image(
        self, source: FigureSource, data: bytes, name: str, at: Span, kept: Made
    ) -> media.Rendered | None:
        """The image ``source``'s settings make of the DICOM file, or None when refused.

        Refusals are found again on every run (they read no pixel); an image made is taken
        from ``kept`` when it holds one made of these bytes with these settings.
        """
        found = kept.get()  # the checks run again on a kept image; render runs them itself
        if found is not None and not media.check(data):
            return found
        window, preset = source.window, None
        if isinstance(window, str):
            window, preset = None, window
        made = media.render(
            data,
            window=(window.center, window.width) if window else None,
            preset=preset,
            frame=(source.frame or 1) - 1,
            crop=source.crop,
            long_side=source.size,
        )
        if isinstance(made, media.Rendered):
            kept.put(made)
            return made
        for problem in made:
            setting = SETTING.get(problem.kind)
            span = self.span(setting) if setting else at
            self.report.add(CODES[problem.kind], span, f"'figures/{name}' {problem.message}")
        return None

    def annotations(
        self, source: FigureSource, placement: Placement | None, caption: list[Inline]
    ) -> list[Annotation]:
        """The annotations moved onto the embedded image, each checked against the caption.

        A figure without an image has nothing to draw on: its annotations and markers wait.
        """
        if placement is None:
            return []
        told = {marker.kind: marker for marker in _markers(caption)}
        placed = []
        for index, annotation in enumerate(source.annotations):
            where = placement.place(annotation.at)
            if where is None:
                x, y, width, height = placement.box
                message = (f"annotation {index + 1} at {list(annotation.at)} is outside the image "
                           f"drawn ({width} × {height} pixels from [{x}, {y}])")  # fmt: skip
                self.report.add("F116", self.span("annotations", index, "at"), message)
                continue
            if annotation.marker not in told:
                message = (f"annotation {index + 1} draws '{{{annotation.marker}}}', which the "
                           f"caption of {source.id} never names")  # fmt: skip
                self.report.add("F118", self.span("annotations", index, "marker"), message)
            placed.append(annotation.model_copy(update={"at": where}))
        drawn = {annotation.marker for annotation in source.annotations}
        for kind, marker in told.items():
            if kind not in drawn:
                message = f"caption marker '{{{kind}}}' has no annotation on {source.id}'s image"
                self.report.add("F117", marker.span, message)
        return placed


def _markers(caption: list[Inline]) -> Iterator[Marker]:
    return (node for node in inlines(caption) if isinstance(node, Marker))
